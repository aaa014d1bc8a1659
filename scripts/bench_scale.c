/*
 * bench_scale.c — `make bench`: how the sharing engine scales with the
 * pool (issue 18). For each size (default 10, 100, 1,000 and 3,000
 * participants, a year each, one community pool) and each key: the CPU
 * and wall times of cab_run_new (series set-up, sharing, volumes,
 * indicators, bills) and its nanoseconds and millions of
 * participant-intervals per second of wall time (the block loop runs on
 * both cores); the block loop alone (cab_share_period_volumes into fresh
 * output pages, new or faulted in before as a run's are while its series
 * load); and the peak resident memory of the
 * process against the input series held as doubles. The first run of
 * each key is shown apart: the outputs' pages are new to the process then
 * (faulted in and zeroed by the kernel, which the later runs find
 * recycled).
 *
 * Why a child process per size: the peak RSS is a process's high-water
 * mark; each size runs in a fork of its own and the parent reads it
 * from wait4(). CPU time (CLOCK_PROCESS_CPUTIME_ID) is that of both
 * threads; wall time is what a user waits, and what other jobs on the
 * 2 cores disturb. Each figure is the minimum of BENCH_SCALE_REPS runs
 * (default 3).
 *
 * Usage: bench_scale [n ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cabine/run.h"
#include "engine/sharing/sharing.h"
#include "scripts/bench_community.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const key_name[] = {"fixed", "fixed-until-done",
				       "proportional", "hybrid", "priority"};
#define N_KEYS 5

/* The block loop alone on bc's community with its key: the minimum wall
 * time of reps runs of cab_share_period_volumes, each into a fresh
 * output mapping (huge pages asked for, as run.c does), its pages new
 * or, with is_faulted, faulted in before (as a run's are, on its second
 * thread while the series load); -1 on failure. */
static double loop_alone(struct bench_community *bc, int reps, bool is_faulted)
{
	const struct cab_scenario *sc = &bc->sc;
	size_t n = sc->n_participants, nt = sc->n_intervals;
	struct cab_calendar cal = {0};
	double *zeros = calloc(nt, sizeof(double)), best = -1;
	struct cab_share_member *m = calloc(n, sizeof(*m));
	if (cab_calendar_init(&cal, sc->t0_s, nt, &sc->tariff) != CAB_OK ||
	    !zeros || !m)
		goto done;
	struct cab_volumes *month = calloc(n * cal.n_months, sizeof(*month));
	size_t n_out = 0;
	for (size_t i = 0; i < n && month; i++) {
		struct cab_series s;
		if (cab_series_load(sc, bc->rd, i, zeros, &s, NULL) != CAB_OK)
			goto done;
		m[i] = (struct cab_share_member){
		    .consumption_kwh = s.consumption_kwh,
		    .production_kwh = s.production_kwh,
		    .is_net = s.is_net,
		    .month = month + i * cal.n_months,
		};
		n_out += 1 + (s.production_kwh != zeros);
	}
	for (int r = 0; r < reps && month; r++) {
		size_t size = n_out * nt * sizeof(double);
		double *out = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct cab_pool *pools = NULL;
		size_t n_pools = 0;
		struct cab_indicators ind = {0};
		if (out == MAP_FAILED)
			break;
		madvise(out, size, MADV_HUGEPAGE);
		for (size_t off = 0; is_faulted && off < size; off += 4096)
			((char *)out)[off] = 0;
		double *next = out;
		for (size_t i = 0; i < n; i++) {
			m[i].shared_kwh = next;
			next += nt;
			m[i].given_kwh = NULL;
			if (m[i].production_kwh != zeros) {
				m[i].given_kwh = next;
				next += nt;
			}
		}
		double w0 = wall_now();
		if (cab_pools_new(sc, -1, &sc->sharing, m, nt, &pools, &n_pools,
				  NULL) == CAB_OK &&
		    cab_share_period_volumes(pools, n_pools, &sc->sharing, sc,
					     m, &cal, nt, &ind,
					     NULL) == CAB_OK) {
			double dw = wall_now() - w0;
			if (best < 0 || dw < best)
				best = dw;
		}
		cab_pools_free(pools, n_pools);
		munmap(out, size);
	}
	free(month);
done:
	cab_calendar_release(&cal);
	free(zeros);
	free(m);
	return best;
}

/* One size in this process: a line per key on stdout. */
static int run_size(size_t n, int reps)
{
	struct bench_community bc;
	if (bench_community_new(&bc, n) != 0) {
		fprintf(stderr, "bench_scale: out of memory\n");
		return 1;
	}
	double pi = (double)n * (double)bc.sc.n_intervals;
	for (int k = 0; k < N_KEYS; k++) {
		snprintf(bc.sc.sharing.key, sizeof(bc.sc.sharing.key), "%s",
			 k == 1 ? "fixed" : key_name[k]);
		bc.sc.sharing.is_until_done = k == 1;
		double best = 1e30, best_wall = 1e30, first = 0;
		for (int r = 0; r < reps; r++) {
			struct cab_run *run = NULL;
			struct cab_err err;
			cab_err_init(&err);
			double w0 = wall_now(), c0 = cpu_now();
			if (cab_run_new(&bc.sc, bc.rd, -1, &run, &err) !=
			    CAB_OK) {
				fprintf(stderr, "%s",
					err.text ? err.text : "failed\n");
				return 1;
			}
			double dc = cpu_now() - c0, dw = wall_now() - w0;
			cab_run_free(run);
			cab_err_release(&err);
			if (r == 0)
				first = dw;
			if (dc < best)
				best = dc;
			if (dw < best_wall)
				best_wall = dw;
		}
		double loop = loop_alone(&bc, reps, false);
		double warm = loop_alone(&bc, reps, true);
		printf("%6zu  %-17s %7.3f s %7.3f s %6.1f ns %6.1f M/s   "
		       "%6.1f ns %6.1f M/s   %6.1f ns %6.1f M/s   %7.3f s\n",
		       n, key_name[k], best, best_wall, best_wall * 1e9 / pi,
		       pi / best_wall / 1e6, loop * 1e9 / pi, pi / loop / 1e6,
		       warm * 1e9 / pi, pi / warm / 1e6, first);
	}
	fflush(stdout);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%6zu  peak RSS %.0f MB = %.2f x the input series (%.0f MB)\n",
	       n, (double)ru.ru_maxrss / 1024,
	       (double)ru.ru_maxrss / 1024 / bc.input_mb, bc.input_mb);
	fflush(stdout);
	bench_community_free(&bc);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = {10, 100, 1000, 3000};
	const char *e = getenv("BENCH_SCALE_REPS");
	int reps = e && atoi(e) > 0 ? atoi(e) : 3;
	size_t n_sizes = argc > 1 ? (size_t)argc - 1 : 4;
	printf("                          cab_run_new: CPU, wall, per p-i and "
	       "rate (wall)   loop, new pages     loop, pages in      "
	       "1st run\n");
	printf("    n   key                    CPU      wall  per p-i    "
	       "rate    per p-i    rate      per p-i    rate       wall  "
	       "(min of %d runs, one pool, a year)\n",
	       reps);
	fflush(stdout);
	for (size_t s = 0; s < n_sizes; s++) {
		size_t n = argc > 1 ? (size_t)atol(argv[s + 1]) : sizes[s];
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(run_size(n, reps));
		int status = 0;
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			return 1;
	}
	return 0;
}
