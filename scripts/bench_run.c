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

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x243F6A8885A308D3ull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000;
	const char *only = argc > 2 ? argv[2] : NULL;
	struct cab_scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.path = "bench";
	sc.name = "bench";
	sc.start_y = 2024, sc.start_m = 1, sc.start_d = 1;
	sc.end_y = 2025, sc.end_m = 1, sc.end_d = 1;
	sc.t0_s = cab_time_local_midnight(2024, 1, 1);
	sc.n_intervals =
	    (size_t)((cab_time_local_midnight(2025, 1, 1) - sc.t0_s) / 900);
	sc.n_days = 366;
	struct cab_cabin cabins[5] = {{"c0", NULL, 'B'},
				      {"c1", NULL, 'B'},
				      {"c2", NULL, 'B'},
				      {"c3", NULL, 'B'},
				      {"c4", NULL, 'B'}};
	sc.n_cabins = 5;
	sc.cabins = cabins;
	struct cab_participant *p = calloc(n, sizeof(*p));
	char(*ids)[16] = calloc(n, 16);
	char(*mc)[24] = calloc(n, 24);
	char(*mp)[24] = calloc(n, 24);
	sc.participants = p;
	sc.n_participants = n;
	struct cab_tariff *t = &sc.tariff;
	t->supplier_day_eur_kwh = 0.25, t->supplier_night_eur_kwh = 0.22;
	t->has_night_price = true;
	t->network_eur_kwh = 0.12;
	t->network_shared_eur_kwh[0] = 0.03,
	t->network_shared_eur_kwh[1] = 0.05;
	t->network_shared_eur_kwh[2] = 0.09,
	t->network_shared_eur_kwh[3] = 0.12;
	t->taxes_eur_kwh = 0.05, t->injection_eur_kwh = 0.03;
	t->network_fixed_eur_year = 47.24, t->supplier_fixed_eur_year = 60;
	t->day_start_h = 7, t->day_end_h = 22;
	sc.sharing.price_eur_kwh = 0.15;
	sc.sharing.has_weights = true;
	sc.sharing.n_groups = 2;
	sc.billing.mode = CAB_BILLING_SHARED;

	size_t nt = sc.n_intervals;
	struct cab_readings *rd = NULL;
	cab_readings_new(sc.t0_s, nt, &rd, NULL);
	double *c = malloc(nt * sizeof(double)),
	       *pv = malloc(nt * sizeof(double));
	size_t n_series = 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], 16, "h%04zu", i);
		snprintf(mc[i], 24, "h%04zu-c", i);
		p[i].id = ids[i];
		p[i].cabin = (int)(i % 5);
		p[i].meter_consumption = mc[i];
		p[i].vat = 0.06;
		p[i].weight = 1.0 / (double)n;
		p[i].has_weight = true;
		p[i].priority_group = i % 7 == 0 ? 0 : 1;
		bool has_pv = i % 3 == 0;
		for (size_t k = 0; k < nt; k++) {
			int q = (int)(k % 96);
			c[k] =
			    0.05 + 0.1 * rnd() + (q > 70 && q < 88 ? 0.2 : 0);
			pv[k] = has_pv && q > 30 && q < 70 ? 0.6 * rnd() : 0;
		}
		cab_readings_put(rd, mc[i], c, NULL);
		n_series++;
		if (has_pv) {
			snprintf(mp[i], 24, "h%04zu-pv", i);
			p[i].meter_production = mp[i];
			cab_readings_put(rd, mp[i], pv, NULL);
			n_series++;
		}
	}
	double input_mb = (double)n_series * (double)nt * 8 / 1e6;
	printf("community: %zu participants, %zu intervals, %zu series "
	       "(%.0f MB as doubles)\n",
	       n, nt, n_series, input_mb);
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
	cab_readings_free(rd);
	free(c), free(pv), free(p), free(ids), free(mc), free(mp);
	return 0;
}
