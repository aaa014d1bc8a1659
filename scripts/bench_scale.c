/*
 * bench_scale.c — `make bench`: how the sharing engine scales with the
 * pool (issue 18). For each size (default 10, 100, 1,000 and 3,000
 * participants, a year each, one community pool) and each key, the CPU
 * time of cab_run_new (series set-up, sharing, volumes, indicators,
 * bills), its nanoseconds and millions of participant-intervals per
 * second, and the peak resident memory of the process against the input
 * series held as doubles. The first run of each key is shown apart: the
 * outputs' pages are new to the process then (faulted in and zeroed by
 * the kernel, which the later runs find recycled).
 *
 * Why a child process per size: the peak RSS is a process's high-water
 * mark; each size runs in a fork of its own and the parent reads it
 * from wait4(). CPU time (CLOCK_PROCESS_CPUTIME_ID), not wall time: the
 * 2 cores are shared with other jobs. Each figure is the minimum of
 * BENCH_SCALE_REPS runs (default 3).
 *
 * Usage: bench_scale [n ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cabine/run.h"
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
				first = dc;
			if (dc < best)
				best = dc;
			if (dw < best_wall)
				best_wall = dw;
		}
		printf(
		    "%6zu  %-17s %8.3f s %8.3f s %7.1f ns %7.1f M/s %8.3f s\n",
		    n, key_name[k], best, best_wall, best * 1e9 / pi,
		    pi / best / 1e6, first);
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
	printf("    n   key                    CPU      wall  per p-i    "
	       "rate  1st run CPU (min of %d runs, one pool, a year)\n",
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
