/*
 * outputs.h — for tests that compare what two scenarios give: run one
 * (its base and every variant) and write summary.json, invoices.csv and
 * compare.csv into a folder; compare two files byte for byte.
 *
 * Used by test_dialect_demo.c (a readings dialect against the canonical
 * file) and test_participants_table.c (a table against the JSON array).
 * Everything is static: include it in one test file of a binary.
 */
#ifndef CABINE_TEST_OUTPUTS_H
#define CABINE_TEST_OUTPUTS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/cabine.h"
#include "engine/base/slurp.h"

/* Run the scenario at path and write its reports into out (created). */
static bool outputs_write(const char *path, const char *out)
{
	mkdir(out, 0777);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *runs[16] = {NULL};
	size_t n = 0;
	enum cab_status st = cab_scenario_load(path, &sc, &err);
	if (st == CAB_OK)
		st = cab_source_load(sc, &rd, &err);
	for (long v = -1; st == CAB_OK && v < (long)sc->n_variants && n < 16;
	     v++)
		st = cab_run_new(sc, rd, v, &runs[n++], &err);
	struct cab_report_opts ro = {.lang = -1, .jobs = 1};
	if (st == CAB_OK)
		st = cab_report_summary_json.write(runs[0], &ro, out, &err);
	if (st == CAB_OK)
		st = cab_report_invoices_csv.write(runs[0], &ro, out, &err);
	if (st == CAB_OK)
		st = cab_report_compare_csv.write(
		    (const struct cab_run *const *)runs, n, &ro, out, &err);
	if (st != CAB_OK)
		fprintf(stderr, "  %s: %s", path, err.text ? err.text : "?\n");
	for (size_t i = 0; i < n; i++)
		cab_run_free(runs[i]);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
	return st == CAB_OK;
}

/* Do folders a and b hold the same file `name`, of more than 100 bytes? */
static bool outputs_same(const char *a, const char *b, const char *name)
{
	char pa[300], pb[300];
	snprintf(pa, sizeof(pa), "%s/%s", a, name);
	snprintf(pb, sizeof(pb), "%s/%s", b, name);
	char *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	bool ok = cab_slurp(pa, &x, &nx, NULL) == CAB_OK &&
		  cab_slurp(pb, &y, &ny, NULL) == CAB_OK && nx == ny &&
		  nx > 100 && memcmp(x, y, nx) == 0;
	free(x);
	free(y);
	return ok;
}

#endif
