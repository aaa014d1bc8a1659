/*
 * bench_parse_share.c — `make bench` (issue 18): cabine's own parse +
 * share + bill on a scenario, without any report: the part of `cabine run`
 * that the pandas and DuckDB references also do (they only read and apply
 * the key). Prints each repetition's wall time split into load (scenario
 * + readings) and run (cab_run_new), and the community's shared total.
 * usage: bench_parse_share SCENARIO.json [repetitions]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cabine/run.h"
#include "cabine/scenario.h"
#include "cabine/source.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	for (int k = 0; k < reps; k++) {
		struct cab_err err;
		cab_err_init(&err);
		struct cab_scenario *sc = NULL;
		struct cab_readings *rd = NULL;
		struct cab_run *run = NULL;
		double t0 = now();
		if (cab_scenario_load(argv[1], &sc, &err) != CAB_OK ||
		    cab_source_load(sc, &rd, &err) != CAB_OK) {
			fprintf(stderr, "%s", err.text ? err.text : "failed\n");
			return 1;
		}
		double t1 = now();
		if (cab_run_new(sc, rd, -1, &run, &err) != CAB_OK) {
			fprintf(stderr, "%s", err.text ? err.text : "failed\n");
			return 1;
		}
		double t2 = now();
		printf(
		    "parse+share %.3f s (load %.3f s, run %.3f s) shared_kwh "
		    "%.3f\n",
		    t2 - t0, t1 - t0, t2 - t1, run->ind.allocated_kwh);
		cab_run_free(run);
		cab_readings_free(rd);
		cab_scenario_free(sc);
		cab_err_release(&err);
	}
	return 0;
}
