/*
 * bench_readings.c — throughput of the readings CSV parser.
 *
 * Generates (once) /tmp/cabine-bench-readings.csv: 1000 meters × 35040
 * quarter-hours of 2024 in rotation (interval-major, 35 M rows, ~1.2 GB),
 * then loads it with all 1000 meters declared, on one thread and on two
 * (cab_readings_parse_threads; issue 18), three times each, and prints
 * the best wall-clock and CPU time (user + system of the process: both
 * threads) of each, the rows/s and the peak resident memory. Build:
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude \
 *     scripts/bench_readings.c build/libcabine.a -lglpk -lsqlite3 \
 *     -lxlsxwriter -lcjson -lz -lm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define REPS 3

#include "cabine/readings.h"
#include "cabine/time.h"

#define METERS 1000
#define INTERVALS 35040
#define PATH "/tmp/cabine-bench-readings.csv"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int generate(int64_t t0)
{
	char tmp[] = PATH ".tmp";
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	fputs("timestamp,meter,kwh\n", f);
	uint32_t x = 12345;
	for (int i = 0; i < INTERVALS; i++) {
		char ts[21];
		cab_time_format_utc(t0 + (int64_t)i * CAB_INTERVAL_S, ts);
		for (int m = 0; m < METERS; m++) {
			x = x * 1664525u + 1013904223u;
			fprintf(f, "%s,m%04d,%u.%03u\n", ts, m, (x >> 28) & 1,
				(x >> 8) % 1000);
		}
	}
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, PATH);
}

int main(void)
{
	int64_t t0 = cab_time_days_from_civil(2024, 1, 1) * 86400;
	if (access(PATH, R_OK) != 0) {
		fprintf(stderr, "generating %s …\n", PATH);
		if (generate(t0) != 0) {
			perror(PATH);
			return 1;
		}
	}
	for (int threads = 1; threads <= 2; threads++) {
		cab_readings_parse_threads(threads);
		double wall = 1e30, cpu = 1e30;
		size_t rows = 0, n_meters = 0;
		for (int k = 0; k < REPS; k++) {
			struct cab_readings *r;
			struct cab_err err;
			cab_err_init(&err);
			if (cab_readings_new(t0, INTERVALS, &r, &err) != CAB_OK)
				return 1;
			for (int m = 0; m < METERS; m++) {
				char id[16];
				snprintf(id, sizeof(id), "m%04d", m);
				cab_readings_want(r, id, &err);
			}
			double a = now_s(), c = cpu_s();
			enum cab_status st =
			    cab_readings_load_csv(r, PATH, &err);
			double b = now_s() - a, d = cpu_s() - c;
			if (st != CAB_OK) {
				fprintf(stderr, "%s",
					err.text ? err.text : "failed\n");
				return 1;
			}
			wall = b < wall ? b : wall;
			cpu = d < cpu ? d : cpu;
			rows = cab_readings_rows(r);
			n_meters = cab_readings_n_meters(r);
			cab_readings_free(r);
			cab_err_release(&err);
		}
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("%d thread%s: rows %zu in %.2f s: %.2f M rows/s (CPU "
		       "%.2f s, %.1f ns a row; best of %d); meters %zu; peak "
		       "RSS %.0f MiB\n",
		       threads, threads > 1 ? "s" : "", rows, wall,
		       rows / wall / 1e6, cpu, cpu / rows * 1e9, REPS, n_meters,
		       ru.ru_maxrss / 1024.0);
	}
	return 0;
}
