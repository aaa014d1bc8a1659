/*
 * fuzz_scenario.c — fuzz target for the scenario loader.
 *
 * Each input is parsed as a scenario file. Besides not crashing or
 * leaking, the result must be consistent: success means a scenario and no
 * message, with every participant named, every index in range and a
 * period of whole local days; failure
 * means no scenario and at least one message, each a single line that
 * starts with the file name, or with a file the scenario names (a
 * participants table, SPEC §11). A violation aborts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/scenario.h"

static void check_ok(const struct cab_scenario *sc)
{
	if (!sc || !sc->name || sc->n_participants == 0 ||
	    (!sc->readings_path == !sc->db_path) || sc->n_intervals == 0 ||
	    sc->sharing.n_groups == 0)
		abort();
	/* The period: local midnights, 92 to 100 quarter-hours a day (DST
	 * days), a coverage in (0, 1]. */
	if (sc->t0_s % 900 != 0 || sc->n_days == 0 ||
	    sc->n_intervals < sc->n_days * 92 ||
	    sc->n_intervals > sc->n_days * 100 || !(sc->min_coverage > 0) ||
	    sc->min_coverage > 1)
		abort();
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		if (!p->id || p->cabin >= (long)sc->n_cabins ||
		    p->priority_group < 0 ||
		    (size_t)p->priority_group >= sc->sharing.n_groups ||
		    cab_scenario_find(sc, p->id) != (long)i)
			abort();
	}
	for (size_t v = 0; v < sc->n_variants; v++)
		if (!sc->variants[v].name ||
		    (sc->n_participants && !sc->variants[v].weights))
			abort();
}

/* Does the line at s start with "name:" for a name the input holds? */
static bool names_a_file_of(const char *s, const uint8_t *data, size_t size)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : 0;
	if (n == 0 || memchr(s, '\n', n))
		return false;
	for (size_t i = 0; i + n <= size; i++)
		if (memcmp(data + i, s, n) == 0)
			return true;
	return false;
}

static void check_messages(const struct cab_err *err, const uint8_t *data,
			   size_t size)
{
	if (err->count == 0 || !err->text)
		abort();
	size_t lines = 0;
	const char *s = err->text;
	while (*s) {
		if (strncmp(s, "fuzz.json", 9) != 0 &&
		    !names_a_file_of(s, data, size))
			abort();
		const char *nl = strchr(s, '\n');
		if (!nl)
			abort();
		for (const char *k = s; k < nl; k++)
			if ((unsigned char)*k < 0x20)
				abort();
		lines++;
		s = nl + 1;
	}
	if (lines != err->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_err err;
	struct cab_scenario *sc = NULL;
	cab_err_init(&err);
	enum cab_status st = cab_scenario_parse("fuzz.json", (const char *)data,
						size, &sc, &err);
	if (st == CAB_OK) {
		if (err.count != 0)
			abort();
		check_ok(sc);
	} else {
		if (st != CAB_EINPUT || sc)
			abort();
		check_messages(&err, data, size);
	}
	cab_scenario_free(sc);
	cab_err_release(&err);
	return 0;
}
