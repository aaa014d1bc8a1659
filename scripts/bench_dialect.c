/*
 * bench_dialect.c — the one readings parser on the canonical file and on
 * a Belgian spreadsheet's dialect of the same rows (SPEC §11).
 *
 * Generates (once) two files of 100 meters × 35,136 quarter-hours of 2024
 * (3.5 M rows): /tmp/cabine-bench-dialect-canon.csv (`timestamp,meter,kwh`,
 * UTC) and /tmp/cabine-bench-dialect-fr.csv (BOM, CRLF,
 * `Horodatage;Compteur;kWh`, `05/03/2024 10:00`, decimal comma), then loads
 * each as a scenario's readings (all meters declared) on one thread and
 * on two (issue 18) and prints the best wall-clock and CPU time of 3.
 * The dialect takes the slow path (split, local time resolved per meter,
 * decimal comma); the canonical file the inline fast path. Build like
 * bench_readings.c; `make bench` runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cabine/readings.h"
#include "cabine/time.h"

#define METERS 100
#define CANON "/tmp/cabine-bench-dialect-canon.csv"
#define FR "/tmp/cabine-bench-dialect-fr.csv"

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

static int generate(int64_t t0, size_t n)
{
	FILE *a = fopen(CANON ".tmp", "wb"), *b = fopen(FR ".tmp", "wb");
	if (!a || !b)
		return -1;
	static char ba[1 << 20], bb[1 << 20];
	setvbuf(a, ba, _IOFBF, sizeof(ba));
	setvbuf(b, bb, _IOFBF, sizeof(bb));
	fputs("timestamp,meter,kwh\n", a);
	fputs("\xEF\xBB\xBFHorodatage;Compteur;kWh\r\n", b);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		int64_t t = t0 + (int64_t)i * CAB_INTERVAL_S;
		char ts[21];
		struct cab_civil c;
		cab_time_format_utc(t, ts);
		cab_time_to_local(t, &c);
		for (int m = 0; m < METERS; m++) {
			x = x * 1664525u + 1013904223u;
			unsigned ip = (x >> 28) & 1, fp = (x >> 8) % 1000;
			fprintf(a, "%s,m%03d,%u.%03u\n", ts, m, ip, fp);
			fprintf(b, "%02d/%02d/%04d %02d:%02d;m%03d;%u,%03u\r\n",
				c.day, c.month, c.year, c.hour, c.minute, m, ip,
				fp);
		}
	}
	if (fclose(a) || fclose(b))
		return -1;
	return rename(CANON ".tmp", CANON) || rename(FR ".tmp", FR);
}

static int load_once(const char *path, int64_t t0, size_t n, double *wall,
		     double *cpu, size_t *rows)
{
	struct cab_readings *r;
	struct cab_err err;
	cab_err_init(&err);
	if (cab_readings_new(t0, n, &r, &err) != CAB_OK)
		return 1;
	for (int m = 0; m < METERS; m++) {
		char id[16];
		snprintf(id, sizeof(id), "m%03d", m);
		cab_readings_want(r, id, &err);
	}
	double a = now_s(), c = cpu_s();
	enum cab_status st = cab_readings_load_csv(r, path, &err);
	double b = now_s() - a, d = cpu_s() - c;
	if (st != CAB_OK) {
		fprintf(stderr, "%s", err.text ? err.text : "failed\n");
		return 1;
	}
	*wall = b < *wall ? b : *wall;
	*cpu = d < *cpu ? d : *cpu;
	*rows = cab_readings_rows(r);
	cab_readings_free(r);
	cab_err_release(&err);
	return 0;
}

static int load(const char *path, int64_t t0, size_t n)
{
	for (int threads = 1; threads <= 2; threads++) {
		cab_readings_parse_threads(threads);
		double wall = 1e30, cpu = 1e30;
		size_t rows = 0;
		for (int k = 0; k < 3; k++)
			if (load_once(path, t0, n, &wall, &cpu, &rows))
				return 1;
		printf("%s, %d thread%s: %zu rows in %.3f s: %.2f M rows/s "
		       "(CPU %.3f s, %.1f ns a row; best of 3)\n",
		       path, threads, threads > 1 ? "s" : "", rows, wall,
		       rows / wall / 1e6, cpu, cpu / rows * 1e9);
	}
	return 0;
}

int main(void)
{
	int64_t t0 = cab_time_local_midnight(2024, 1, 1);
	size_t n = (size_t)((cab_time_local_midnight(2025, 1, 1) - t0) /
			    CAB_INTERVAL_S);
	if (access(CANON, R_OK) != 0 || access(FR, R_OK) != 0) {
		fprintf(stderr, "generating %s and %s …\n", CANON, FR);
		if (generate(t0, n) != 0) {
			perror("/tmp");
			return 1;
		}
	}
	return load(CANON, t0, n) || load(FR, t0, n);
}
