/*
 * fuzz_batch.c — fuzz target for batch files (engine/scenario/batch.c):
 * lists and sweeps.
 *
 * Each input is parsed as a batch file in a scratch folder that holds a
 * small valid base scenario, base.json (written on the first call), so
 * that sweeps of it are expanded. Besides not crashing or leaking:
 * success means at least one run, and every sweep's first and last runs
 * give a parameters object and a scenario that either loads or fails
 * with messages naming the base; failure means at least one message, each
 * a single line starting with the batch file's name or the base's (which
 * may be unreadable). A violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/scenario.h"

#define DIR "/tmp/cabine-fuzz-batch"
#define FILE_NAME DIR "/batch.json"

static void write_base(void)
{
	static int done;
	if (done++)
		return;
	mkdir(DIR, 0777);
	FILE *f = fopen(DIR "/base.json", "w");
	if (!f)
		abort();
	fputs("{\"name\": \"b\", \"period\": {\"start\": \"2024-03-05\", "
	      "\"end\": \"2024-03-06\"}, \"readings\": \"r.csv\", "
	      "\"participants\": [{\"id\": \"a\", \"meters\": "
	      "{\"consumption\": \"a-c\", \"production\": \"a-pv\"}}, "
	      "{\"id\": \"b\"}], \"tariff\": {\"supplier_day_eur_kwh\": 0.25, "
	      "\"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": {\"A\": "
	      "0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12}, "
	      "\"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03}, "
	      "\"sharing\": {\"key\": \"proportional\"}}\n",
	      f);
	fclose(f);
}

/* Every message a line of its own starting with prefix. */
static void check_messages(const struct cab_err *err, const char *prefix)
{
	if (err->count == 0 || !err->text)
		abort();
	for (const char *s = err->text; *s;) {
		const char *nl = strchr(s, '\n');
		if (!nl || strncmp(s, prefix, strlen(prefix)) != 0)
			abort();
		s = nl + 1;
	}
}

static void check_run(const struct cab_batch *b, size_t i)
{
	char *p = cab_batch_params_json(b, i);
	if (!p || p[0] != '{')
		abort();
	free(p);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	double pv = -1;
	enum cab_status st = cab_batch_scenario(b, i, &sc, &pv, &err);
	if (st == CAB_OK && (!sc || err.count || !(pv >= 0)))
		abort();
	if (st != CAB_OK && !b->scenarios)
		check_messages(&err, DIR "/base.json");
	if (st == CAB_OK && b->base_name) {
		char name[600];
		snprintf(name, sizeof name, "%s-%zu", b->base_name, i + 1);
		if (strcmp(sc->name, name) != 0)
			abort();
	}
	cab_scenario_free(sc);
	cab_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_base();
	struct cab_err err;
	cab_err_init(&err);
	struct cab_batch *b = NULL;
	enum cab_status st =
	    cab_batch_parse(FILE_NAME, (const char *)data, size, &b, &err);
	if (st == CAB_OK) {
		if (!b || err.count || b->n == 0)
			abort();
		if (!b->scenarios) {
			check_run(b, 0);
			check_run(b, b->n - 1);
		}
	} else {
		if (st != CAB_EINPUT || b)
			abort();
		/* The batch file, or the base scenario it names. */
		check_messages(&err, DIR "/");
	}
	cab_batch_free(b);
	cab_err_release(&err);
	return 0;
}
