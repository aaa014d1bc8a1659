/*
 * bench_operator.c — `make bench`: the operator's files of a community of
 * N members (default 100) over one month (October 2024, the autumn DST
 * day included): the quarter-hour file written from cabine's own run
 * (tests/operator_files.h), its import into a new store, and the
 * reconciliation (operator's data loaded, simulation, comparison and the
 * key fits). Prints the CPU time of each step (the minimum of three
 * repetitions: the machine is shared).
 * Usage: bench_operator DIR [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cabine/cabine.h"
#include "operator_files.h"

/* The monthly writer is the generator's and the tests'. */
static int (*const unused_month)(const struct cab_run *, const char *, long,
				 const char *const *) = opf_write_month_csv;

/* CPU time of the process: the machine is shared, wall time is noise
 * (the store's commit waits on the disk too). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char path[3][4096];

static int write_community(const char *dir, int n)
{
	snprintf(path[0], sizeof path[0], "%s/readings.csv", dir);
	FILE *f = fopen(path[0], "w");
	if (!f)
		return -1;
	fputs("timestamp,meter,kwh\n", f);
	uint64_t x = 88172645463325252ull;
	int64_t t0 = cab_time_local_midnight(2024, 10, 1);
	int64_t t1 = cab_time_local_midnight(2024, 11, 1);
	for (int64_t t = t0; t < t1; t += 900) {
		char ts[21];
		cab_time_format_utc(t, ts);
		struct cab_civil c;
		cab_time_to_local(t, &c);
		for (int i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			double u = (double)(x >> 11) / 9007199254740992.0;
			double sun = c.hour >= 9 && c.hour < 17 ? u : 0;
			double p = i % 4 == 0 ? 0.6 * sun : 0;
			double cons = 0.05 + 0.25 * u;
			fprintf(f, "%s,m%d.off,%.3f\n", ts, i,
				cons > p ? cons - p : 0);
			if (i % 4 == 0)
				fprintf(f, "%s,m%d.inj,%.3f\n", ts, i,
					p > cons ? p - cons : 0);
		}
	}
	fclose(f);
	snprintf(path[1], sizeof path[1], "%s/scenario.json", dir);
	f = fopen(path[1], "w");
	if (!f)
		return -1;
	fprintf(f, "{\"name\": \"bench-operator\", \"period\": {\"start\": "
		   "\"2024-10-01\", \"end\": \"2024-11-01\"}, \"readings\": "
		   "\"readings.csv\", \"participants\": [");
	for (int i = 0; i < n; i++) {
		fprintf(f,
			"%s{\"id\": \"m%d\", \"ean\": \"54144920%010d\", "
			"\"meters\": {\"offtake\": \"m%d.off\"",
			i ? "," : "", i, i, i);
		if (i % 4 == 0)
			fprintf(f, ", \"injection\": \"m%d.inj\"", i);
		fputs("}}", f);
	}
	fprintf(f, "], \"tariff\": {\"supplier_day_eur_kwh\": 0.3, "
		   "\"network_eur_kwh\": 0.1, \"network_shared_eur_kwh\": "
		   "{\"A\": 0.03, \"B\": 0.05, \"C\": 0.08, \"D\": 0.1}, "
		   "\"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.04}, "
		   "\"sharing\": {\"key\": \"hybrid\", \"price_eur_kwh\": "
		   "0.15}}\n");
	return fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int n = argc > 2 ? atoi(argv[2]) : 100;
	const char *dir = argv[1];
	if (write_community(dir, n))
		return 1;
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	if (cab_scenario_load(path[1], &sc, &err) != CAB_OK ||
	    cab_source_load(sc, &rd, &err) != CAB_OK ||
	    cab_run_new(sc, rd, -1, &run, &err) != CAB_OK) {
		fprintf(stderr, "%s", err.text ? err.text : "failed\n");
		return 1;
	}
	snprintf(path[2], sizeof path[2], "%s/sibelga-15min.csv", dir);
	double best[3] = {1e9, 1e9, 1e9};
	size_t rows = 0;
	for (int rep = 0; rep < 3; rep++) {
		double t = now();
		opf_write_15min_csv(run, path[2], -1);
		double w = now() - t;
		char db[4200];
		snprintf(db, sizeof db, "%s/s%d.db", dir, rep);
		remove(db);
		struct cab_import_opts o;
		cab_import_opts_default(&o);
		o.db_path = db;
		o.format = CAB_FMT_SIBELGA_15MIN;
		const char *files[] = {path[2]};
		struct cab_import_result r;
		t = now();
		if (cab_import(&o, files, 1, &r, &err) != CAB_OK)
			return 1;
		double im = now() - t;
		rows = r.rows;
		t = now();
		struct cab_operator *op = NULL;
		struct cab_reconcile *rec = NULL;
		struct cab_run *sim = NULL;
		if (cab_operator_load(sc, db, &op, &err) != CAB_OK ||
		    cab_run_new(sc, rd, -1, &sim, &err) != CAB_OK ||
		    cab_reconcile_new(sim, op, db, &rec, &err) != CAB_OK)
			return 1;
		double re = now() - t;
		cab_reconcile_free(rec);
		cab_run_free(sim);
		cab_operator_free(op);
		if (w < best[0])
			best[0] = w;
		if (im < best[1])
			best[1] = im;
		if (re < best[2])
			best[2] = re;
	}
	printf("operator file of %d members × 1 month (%zu rows): CPU time "
	       "written %.2f s, imported %.2f s (%.0f rows/s), reconciled "
	       "%.2f s (min of 3)\n",
	       n, rows, best[0], best[1], (double)rows / best[1], best[2]);
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
	return unused_month ? 0 : 1;
}
