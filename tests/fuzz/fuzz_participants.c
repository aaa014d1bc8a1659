/*
 * fuzz_participants.c — fuzz target for the participants table reader
 * (engine/scenario/participants_table.c, SPEC §11).
 *
 * Each input is written as participants.csv beside a fixed scenario that
 * names it (one cabin "rg", a fixed key), and the scenario is loaded.
 * Success means participants with unique ids found again by id, eans of
 * 18 digits, names and addresses without control characters, weights in
 * [0, 1] and groups of declared participants; failure means no scenario
 * and messages of one line each that name the table or the scenario. A
 * violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabine/scenario.h"

static char dir[64];
static char scenario[96], table[96];

static void cleanup(void)
{
	unlink(table);
	rmdir(dir);
}

static void setup(void)
{
	if (dir[0])
		return;
	snprintf(dir, sizeof(dir), "/tmp/cabine-fuzz-pt-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(scenario, sizeof(scenario), "%s/s.json", dir);
	snprintf(table, sizeof(table), "%s/participants.csv", dir);
	atexit(cleanup);
}

static const char json[] =
    "{\"name\": \"f\", \"period\": {\"start\": \"2024-03-05\", \"end\": "
    "\"2024-03-06\"}, \"readings\": \"r.csv\", \"cabins\": [{\"id\": "
    "\"rg\"}], \"participants\": \"participants.csv\", \"tariff\": "
    "{\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": 0.12, "
    "\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, "
    "\"D\": 0.12}, \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03}, "
    "\"sharing\": {\"key\": \"fixed\"}}";

static bool has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static void check_ok(const struct cab_scenario *sc)
{
	if (!sc || sc->n_participants == 0)
		abort();
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		if (!p->id || !p->id[0] ||
		    cab_scenario_find(sc, p->id) != (long)i)
			abort();
		if (has_control(p->name) || has_control(p->address) ||
		    has_control(p->id))
			abort();
		if (p->ean && strspn(p->ean, "0123456789") != 18)
			abort();
		if (p->ean && p->ean[18])
			abort();
		if (p->has_weight && !(p->weight >= 0 && p->weight <= 1))
			abort();
	}
	for (size_t g = 0; g < sc->n_groups; g++)
		for (size_t k = 0; k < sc->groups[g].n_members; k++)
			if (sc->groups[g].members[k] >= sc->n_participants)
				abort();
}

static void check_messages(const struct cab_err *err)
{
	if (err->count == 0 || !err->text)
		abort();
	size_t lines = 0;
	for (const char *s = err->text; *s; lines++) {
		if (strncmp(s, table, strlen(table)) != 0 &&
		    strncmp(s, scenario, strlen(scenario)) != 0)
			abort();
		const char *nl = strchr(s, '\n');
		if (!nl)
			abort();
		for (const char *k = s; k < nl; k++)
			if ((unsigned char)*k < 0x20)
				abort();
		s = nl + 1;
	}
	if (lines != err->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	FILE *f = fopen(table, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct cab_err err;
	struct cab_scenario *sc = NULL;
	cab_err_init(&err);
	enum cab_status st =
	    cab_scenario_parse(scenario, json, sizeof(json) - 1, &sc, &err);
	if (st == CAB_OK) {
		if (err.count != 0)
			abort();
		check_ok(sc);
	} else {
		if (st != CAB_EINPUT || sc)
			abort();
		check_messages(&err);
	}
	cab_scenario_free(sc);
	cab_err_release(&err);
	return 0;
}
