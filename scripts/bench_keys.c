/*
 * bench_keys.c — `make bench`: choosing a key (issue 13) on a community of
 * N participants (default 60) over one year: fit-key one round and until
 * done, the optimal key with coupled constraints (its gap), the Shapley
 * shares (2,000 orders). Each figure is the minimum of R repetitions
 * (default 3; the machine is shared), wall and CPU time.
 * Usage: bench_keys [N] [R]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cabine/fairness.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "scripts/bench_community.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

static uint64_t rng = 0x243F6A8885A308D3ull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* A run of sc under sharing sh, timed; NULL on failure (printed). */
static struct cab_run *timed(const struct cab_scenario *sc,
			     const struct cab_readings *rd,
			     const struct cab_sharing *sh, int reps,
			     double *wall, double *cpus)
{
	struct cab_run *run = NULL;
	*wall = *cpus = INFINITY;
	for (int r = 0; r < reps; r++) {
		cab_run_free(run);
		run = NULL;
		struct cab_err err;
		cab_err_init(&err);
		double t0 = now(), c0 = cpu();
		if (cab_run_new_with(sc, rd, -1, sh, &run, &err) != CAB_OK) {
			fprintf(stderr, "%s", err.text ? err.text : "failed\n");
			cab_err_release(&err);
			return NULL;
		}
		double dt = now() - t0, dc = cpu() - c0;
		*wall = dt < *wall ? dt : *wall;
		*cpus = dc < *cpus ? dc : *cpus;
		cab_err_release(&err);
	}
	return run;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress as it comes */
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 60;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
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
	struct cab_cabin cabin = {"c0", NULL, 'B'};
	sc.n_cabins = 1;
	sc.cabins = &cabin;
	struct cab_participant *p = calloc(n, sizeof(*p));
	char(*ids)[16] = calloc(n, 16);
	char(*mc)[24] = calloc(n, 24);
	char(*mp)[24] = calloc(n, 24);
	sc.participants = p;
	sc.n_participants = n;
	bench_tariff(&sc.tariff);
	sc.sharing.price_eur_kwh = 0.15;
	sc.sharing.n_groups = 1;
	sc.sharing.community_min_self_sufficiency = NAN;
	sc.billing.mode = CAB_BILLING_SHARED;
	size_t nt = sc.n_intervals;
	struct cab_readings *rd = NULL;
	cab_readings_new(sc.t0_s, nt, &rd, NULL);
	double *c = malloc(nt * sizeof(double)),
	       *pv = malloc(nt * sizeof(double));
	/* One in three with PV; participant 0 a school at 21 % VAT that
	 * consumes in the day; the others' evening peak varies. */
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], 16, "h%04zu", i);
		snprintf(mc[i], 24, "h%04zu-c", i);
		p[i].id = ids[i];
		p[i].meter_consumption = mc[i];
		p[i].vat = i == 0 ? 0.21 : 0.06;
		bool has_pv = i % 3 == 1;
		int peak = 64 + (int)(i % 24);
		double size = 0.5 + rnd();
		for (size_t k = 0; k < nt; k++) {
			int q = (int)(k % 96);
			double season =
			    1 + 0.5 * cos(2 * M_PI * (double)k / (double)nt);
			c[k] = i == 0
				   ? (q > 32 && q < 68 ? 2 * rnd() : 0.2)
				   : size * (0.04 + 0.08 * rnd() +
					     (q > peak && q < peak + 12 ? 0.25
									: 0));
			pv[k] = has_pv && q > 28 && q < 72
				    ? 0.9 / season *
					  sin(M_PI * (q - 28) / 44.0) * rnd()
				    : 0;
		}
		cab_readings_put(rd, mc[i], c, NULL);
		if (has_pv) {
			snprintf(mp[i], 24, "h%04zu-pv", i);
			p[i].meter_production = mp[i];
			cab_readings_put(rd, mp[i], pv, NULL);
		}
	}
	printf("community: %zu participants (1 school at 21 %% VAT, 1 in 3 "
	       "with PV), %zu intervals; minimum of %d run(s)\n",
	       n, nt, reps);
	double w0, c0, w, cs;
	struct cab_sharing sh = sc.sharing;
	snprintf(sh.key, sizeof sh.key, "fixed");
	struct cab_run *base = timed(&sc, rd, &sh, reps, &w0, &c0);
	printf("run, key fixed (1/N)             %7.2f s wall %7.2f s CPU\n",
	       w0, c0);
	cab_run_free(base);
	snprintf(sh.key, sizeof sh.key, "fit");
	struct cab_run *run = timed(&sc, rd, &sh, reps, &w, &cs);
	if (run)
		printf("run, key fit (one round)         %7.2f s wall %7.2f s "
		       "CPU  (the fit: %.2f s CPU); loss %.3f %%\n",
		       w, cs, cs - c0, run->fit.loss_pct);
	cab_run_free(run);
	sh.is_until_done = true;
	run = timed(&sc, rd, &sh, 1, &w, &cs);
	if (run)
		printf("run, key fit (until done)        %7.2f s wall %7.2f s "
		       "CPU  (%zu replays); loss %.3f %%\n",
		       w, cs, run->fit.evaluations, run->fit.loss_pct);
	cab_run_free(run);
	sh.is_until_done = false;

	/* The optimal key: unconstrained, then everyone at least the
	 * median self-sufficiency of the unconstrained optimum (half of the
	 * members are below it),
	 * and the community 0.01 below its own. */
	snprintf(sh.key, sizeof sh.key, "optimal");
	struct cab_run *free_run = timed(&sc, rd, &sh, 1, &w, &cs);
	if (!free_run)
		return 1;
	printf("run, key optimal per interval    %7.2f s wall %7.2f s CPU\n", w,
	       cs);
	double *rate = malloc(n * sizeof *rate),
	       *target = malloc(n * sizeof *target);
	for (size_t i = 0; i < n; i++)
		rate[i] = free_run->p[i].self_sufficiency_rate;
	double sorted_mid = 0;
	{
		double *s = malloc(n * sizeof *s);
		memcpy(s, rate, n * sizeof *s);
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
				double x = s[j];
				s[j] = s[j - 1];
				s[j - 1] = x;
			}
		sorted_mid = s[n / 2];
		free(s);
	}
	for (size_t i = 0; i < n; i++)
		target[i] = sorted_mid;
	sh.has_constraints = true;
	sh.min_self_sufficiency = target;
	sh.is_min_self_sufficiency_for_all = true;
	sh.community_min_self_sufficiency =
	    free_run->ind.self_sufficiency_rate - 0.01;
	size_t below = 0;
	for (size_t i = 0; i < n; i++)
		below += rate[i] < target[i];
	run = timed(&sc, rd, &sh, 1, &w, &cs);
	if (run)
		printf("run, key optimal, coupled        %7.2f s wall %7.2f s "
		       "CPU  (min %.3f for all: %zu below it unconstrained; "
		       "%zu masters, gap %.2g EUR of %.2f)\n",
		       w, cs, target[0], below, run->lp.iterations, run->lp.gap,
		       run->lp.objective);
	cab_run_free(run);
	sh.is_fairness_first = true;
	run = timed(&sc, rd, &sh, 1, &w, &cs);
	if (run)
		printf("run, optimal coupled, max-min    %7.2f s wall %7.2f s "
		       "CPU  (%zu masters, smallest share %.4f, gap %.2g)\n",
		       w, cs, run->lp.iterations, run->lp.objective,
		       run->lp.gap);
	cab_run_free(run);

	/* Shapley shares of the unconstrained optimum's run. */
	double fw = INFINITY, fc = INFINITY;
	struct cab_fairness *f = NULL;
	for (int r = 0; r < reps; r++) {
		cab_fairness_free(f);
		f = NULL;
		double t0 = now(), k0 = cpu();
		cab_fairness_new(free_run, true, &f, NULL);
		double dt = now() - t0, dc = cpu() - k0;
		fw = dt < fw ? dt : fw;
		fc = dc < fc ? dc : fc;
	}
	if (f)
		printf("Shapley shares (%s)      %7.2f s wall %7.2f s CPU  "
		       "(value %.2f EUR)\n",
		       f->is_exact ? "exact        " : "2,000 orders ", fw, fc,
		       f->value_eur);
	cab_fairness_free(f);
	cab_run_free(free_run);
	free(rate);
	free(target);
	cab_readings_free(rd);
	free(c);
	free(pv);
	free(p);
	free(ids);
	free(mc);
	free(mp);
	return 0;
}
