/*
 * bench_invoices.c — `make bench`: invoice workbooks for a large community
 * (issue 5: 10,000 participants in under 20 s on the project's 2 cores).
 *
 * Builds a community of N participants (default 10,000) over one year in
 * memory (one in three with PV, proportional key), runs it, then times:
 * the invoice writer alone on the first S participants with one process
 * (the per-workbook cost, user and system CPU, least of 3 runs), the
 * invoice writer for everyone with 1 and with J worker processes, and
 * every writer of `cabine run` (the whole run after the readings are
 * loaded), one after the other and as `cabine run` overlaps them (issue
 * 18). Usage: bench_invoices [N] [J] [S] [DIR].
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static uint64_t rng = 0x243F6A8885A308D3ull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* CPU seconds (user + system) of this process and its waited workers. */
static double cpu_s(void)
{
	double s = 0;
	int who[2] = {RUSAGE_SELF, RUSAGE_CHILDREN};
	for (int k = 0; k < 2; k++) {
		struct rusage ru;
		getrusage(who[k], &ru);
		s += (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
		     (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
	}
	return s;
}

/* User and system CPU seconds of this process and its waited workers. */
static void cpu_split(double *user, double *sys)
{
	*user = *sys = 0;
	int who[2] = {RUSAGE_SELF, RUSAGE_CHILDREN};
	for (int k = 0; k < 2; k++) {
		struct rusage ru;
		getrusage(who[k], &ru);
		*user +=
		    (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
		*sys += (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
	}
}

#define REPS 3 /* runs of the one-process measure */

static double peak_mb(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_maxrss / 1024;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

/* An empty dir (its parent exists). Not system("rm -rf"): a forked shell
 * would count as a child of the size of this process in RUSAGE_CHILDREN. */
static int fresh_dir(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return mkdir(dir, 0777);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
	int jobs =
	    argc > 2 ? atoi(argv[2]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	size_t n_seq = argc > 3 ? (size_t)atol(argv[3]) : 500;
	const char *dir = argc > 4 ? argv[4] : "build/bench/invoices";
	if (n_seq > n)
		n_seq = n;
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
	bench_tariff(t);
	t->network_fixed_eur_year = 47.24, t->supplier_fixed_eur_year = 60;
	snprintf(sc.sharing.key, sizeof(sc.sharing.key), "proportional");
	sc.sharing.price_eur_kwh = 0.15;
	sc.billing.mode = CAB_BILLING_SHARED;

	size_t nt = sc.n_intervals;
	struct cab_readings *rd = NULL;
	if (cab_readings_new(sc.t0_s, nt, &rd, NULL) != CAB_OK)
		return 1;
	double *c = malloc(nt * sizeof(double)),
	       *pv = malloc(nt * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], 24, "h%05zu", i);
		snprintf(mc[i], 24, "h%05zu-c", i);
		p[i].id = ids[i];
		p[i].cabin = (int)(i % 5);
		p[i].meter_consumption = mc[i];
		p[i].vat = 0.06;
		p[i].lang = (enum cab_lang)(i % 3);
		bool has_pv = i % 3 == 0;
		for (size_t k = 0; k < nt; k++) {
			int q = (int)(k % 96);
			c[k] =
			    0.05 + 0.1 * rnd() + (q > 70 && q < 88 ? 0.2 : 0);
			pv[k] = has_pv && q > 30 && q < 70 ? 0.6 * rnd() : 0;
		}
		cab_readings_put(rd, mc[i], c, NULL);
		if (has_pv) {
			snprintf(mp[i], 24, "h%05zu-pv", i);
			p[i].meter_production = mp[i];
			cab_readings_put(rd, mp[i], pv, NULL);
		}
	}
	free(c), free(pv);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_run *run = NULL;
	double t0 = now();
	if (cab_run_new(&sc, rd, -1, &run, &err) != CAB_OK) {
		fprintf(stderr, "%s", err.text ? err.text : "run failed\n");
		return 1;
	}
	double t_run = now() - t0;
	printf(
	    "community: %zu participants × %zu intervals; cab_run_new %.2f s, "
	    "peak RSS so far %.0f MB\n",
	    n, nt, t_run, peak_mb(RUSAGE_SELF));

	/* One process, the first n_seq participants: the cost of a workbook,
	 * user and system time apart, the least of REPS runs (other
	 * processes on the machine only ever add to it). */
	struct cab_run sub = *run;
	sub.n = n_seq;
	struct cab_report_opts ro = {.lang = -1, .jobs = 1};
	double best_wall = 1e9, best_user = 1e9, best_sys = 1e9;
	for (int rep = 0; rep < REPS; rep++) {
		if (fresh_dir(dir) != 0)
			return 1;
		double u0, s0, u1, s1;
		cpu_split(&u0, &s0);
		t0 = now();
		if (cab_report_invoices_xlsx.write(&sub, &ro, dir, &err) !=
		    CAB_OK) {
			fprintf(stderr, "%s",
				err.text ? err.text : "invoices failed\n");
			return 1;
		}
		double dt = now() - t0;
		cpu_split(&u1, &s1);
		if (dt < best_wall)
			best_wall = dt;
		if (u1 - u0 + s1 - s0 < best_user + best_sys) {
			best_user = u1 - u0;
			best_sys = s1 - s0;
		}
	}
	printf("invoices, 1 process, %zu participants, least of %d runs: "
	       "%.2f s, %.0f workbooks/s (%.2f ms each); CPU %.2f ms each "
	       "(user %.2f, system %.2f)\n",
	       n_seq, REPS, best_wall, (double)n_seq / best_wall,
	       best_wall * 1e3 / (double)n_seq,
	       (best_user + best_sys) * 1e3 / (double)n_seq,
	       best_user * 1e3 / (double)n_seq, best_sys * 1e3 / (double)n_seq);

	/* Everyone, with 1 and with `jobs` worker processes. */
	int counts[2] = {1, jobs};
	for (int c = 0; c < (jobs > 1 ? 2 : 1); c++) {
		ro.jobs = counts[c];
		if (fresh_dir(dir) != 0)
			return 1;
		t0 = now();
		double c0 = cpu_s();
		if (cab_report_invoices_xlsx.write(run, &ro, dir, &err) !=
		    CAB_OK) {
			fprintf(stderr, "%s",
				err.text ? err.text : "invoices failed\n");
			return 1;
		}
		double dt = now() - t0, dc = cpu_s() - c0;
		printf("invoices, %d process%s, %zu participants: %.2f s, %.0f "
		       "workbooks/s (%.2f ms of CPU each)\n",
		       counts[c], counts[c] > 1 ? "es" : "", n, dt,
		       (double)n / dt, dc * 1e3 / (double)n);
	}

	/* Every writer of `cabine run`, one after the other, then as
	 * `cabine run` does it: the invoices started first in jobs − 1
	 * workers while this process writes the others, then invoices. */
	ro.jobs = jobs;
	if (fresh_dir(dir) != 0)
		return 1;
	double t_all = now();
	const struct cab_report_ops *const *w = cab_report_run_writers();
	for (size_t k = 0; w[k]; k++) {
		t0 = now();
		if (w[k]->write(run, &ro, dir, &err) != CAB_OK) {
			fprintf(stderr, "%s", err.text ? err.text : "failed\n");
			return 1;
		}
		printf("  %-14s %6.2f s\n", w[k]->name, now() - t0);
	}
	double dt = now() - t_all;
	printf("every run writer, one after the other, %d processes for the "
	       "invoices: %.2f s; with cab_run_new %.2f s\n",
	       jobs, dt, dt + t_run);
	if (fresh_dir(dir) != 0)
		return 1;
	struct rusage ru0, ru1;
	getrusage(RUSAGE_SELF, &ru0);
	t_all = now();
	struct cab_report_work *started = NULL;
	for (size_t k = 0; w[k]; k++)
		if (cab_report_can_start(w[k]) &&
		    cab_report_start(w[k], run, &ro, dir, &started, &err) !=
			CAB_OK)
			return 1;
	for (size_t k = 0; w[k]; k++)
		if (!cab_report_can_start(w[k]) &&
		    w[k]->write(run, &ro, dir, &err) != CAB_OK)
			return 1;
	double t_others = now() - t_all;
	getrusage(RUSAGE_SELF, &ru1);
	if (cab_report_finish(started, &err) != CAB_OK) {
		fprintf(stderr, "%s", err.text ? err.text : "failed\n");
		return 1;
	}
	dt = now() - t_all;
	printf("every run writer as cabine run writes them (the invoices "
	       "started first, %d processes with this one once its other "
	       "reports are done, after %.2f s, %.2f s of CPU, %ld page "
	       "faults): %.2f s; with cab_run_new %.2f s\n",
	       jobs, t_others,
	       (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
		   (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) * 1e-6 +
		   (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
		   (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) * 1e-6,
	       ru1.ru_minflt - ru0.ru_minflt, dt, dt + t_run);
	printf("peak RSS: parent %.0f MB, largest worker %.0f MB (pages "
	       "shared with the parent included)\n",
	       peak_mb(RUSAGE_SELF), peak_mb(RUSAGE_CHILDREN));
	cab_run_free(run);
	cab_readings_free(rd);
	cab_err_release(&err);
	free(p), free(ids), free(mc), free(mp);
	return 0;
}
