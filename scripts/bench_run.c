/*
 * bench_run.c — `make bench`: the main job on a 1,000-participant
 * community over one year (35 M participant-intervals), every key.
 * Prints participant-intervals per second of cab_run_new (sharing,
 * volumes, bills) and the peak resident memory against the size of the
 * input series held as doubles.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cabine/alerts.h"
#include "cabine/curves.h"
#include "cabine/readings.h"
#include "cabine/report.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "scripts/bench_community.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000;
	const char *only = argc > 2 ? argv[2] : NULL;
	struct bench_community bc;
	if (bench_community_new(&bc, n) != 0) {
		fprintf(stderr, "bench_run: out of memory\n");
		return 1;
	}
	struct cab_scenario sc = bc.sc;
	struct cab_readings *rd = bc.rd;
	size_t nt = sc.n_intervals;
	double input_mb = bc.input_mb;
	printf("community: %zu participants, %zu intervals, %zu series "
	       "(%.0f MB as doubles)\n",
	       n, nt, bc.n_series, input_mb);
	const char *keys[] = {"fixed", "fixed-until-done", "proportional",
			      "hybrid", "priority"};
	for (int k = 0; k < 5; k++) {
		if (only && strcmp(only, keys[k]))
			continue;
		snprintf(sc.sharing.key, sizeof(sc.sharing.key), "%s",
			 k == 1 ? "fixed" : keys[k]);
		sc.sharing.is_until_done = k == 1;
		for (int per = 0; per < 2; per++) {
			sc.sharing.perimeter =
			    per ? CAB_PERIMETER_CABIN : CAB_PERIMETER_COMMUNITY;
			struct cab_run *run = NULL;
			struct cab_err err;
			cab_err_init(&err);
			double t0 = now();
			if (cab_run_new(&sc, rd, -1, &run, &err) != CAB_OK) {
				fprintf(stderr, "%s",
					err.text ? err.text : "failed\n");
				return 1;
			}
			double dt = now() - t0;
			printf("key %-17s perimeter %-9s %7.3f s  %6.1f M "
			       "participant-intervals/s\n",
			       keys[k], per ? "cabin" : "community", dt,
			       (double)n * (double)nt / dt / 1e6);
			cab_run_free(run);
			cab_err_release(&err);
		}
	}
	if (!only || !strcmp(only, "curves")) {
		/* Issue 6: six alerts and every load-curve statistic. */
		struct cab_alert al[6];
		for (int k = 0; k < 6; k++) {
			al[k].start_s =
			    cab_time_local_midnight(2024, 2 + k, 14) +
			    18 * 3600;
			al[k].end_s = al[k].start_s + 3 * 3600;
			al[k].is_announced = k % 2;
		}
		sc.alerts = al;
		sc.n_alerts = 6;
		sc.billing.mode = CAB_BILLING_INDIVIDUAL;
		struct cab_run *run = NULL;
		cab_run_new(&sc, rd, -1, &run, NULL);
		struct cab_alerts *a = NULL;
		struct cab_curves *cv = NULL;
		double t0 = now();
		cab_alerts_new(run, &a, NULL);
		double t1 = now();
		cab_curves_new(run, &cv, NULL);
		double t2 = now();
		printf("alerts (6 windows)        %7.3f s\n", t1 - t0);
		printf("load-curve statistics     %7.3f s (%zu subjects)\n",
		       t2 - t1, cv ? cv->n : 0);
		/* The curves writers, into a scratch folder. */
		char dir[] = "/tmp/cabine-bench-curves-XXXXXX";
		if (cv && mkdtemp(dir)) {
			struct cab_report_opts o = {.lang = -1, .curves = cv};
			double t3 = now();
			enum cab_status s1 =
			    cab_report_curves_csv.write(run, &o, dir, NULL);
			double t4 = now();
			enum cab_status s2 =
			    cab_report_curves_xlsx.write(run, &o, dir, NULL);
			double t5 = now();
			printf("curves CSV files          %7.3f s%s\n", t4 - t3,
			       s1 == CAB_OK ? "" : " (failed)");
			printf("curves.xlsx               %7.3f s%s\n", t5 - t4,
			       s2 == CAB_OK ? "" : " (failed)");
			char cmd[128];
			snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
			if (system(cmd) != 0)
				fprintf(stderr, "could not remove %s\n", dir);
		}
		cab_curves_free(cv);
		cab_alerts_free(a);
		cab_run_free(run);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS %.0f MB (%.2f × the input series)\n",
	       (double)ru.ru_maxrss / 1024,
	       (double)ru.ru_maxrss / 1024 / input_mb);
	bench_community_free(&bc);
	return 0;
}
