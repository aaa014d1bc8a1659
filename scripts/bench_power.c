/*
 * bench_power.c — throughput of the power-sample path: power-csv parsing
 * plus integration into quarter-hours (engine/fmt_power.c, integ.c).
 *
 * Generates a temporary file of one meter-year of 8-second samples
 * (2024, 3.95 M rows, `timestamp,meter,watts` with Z timestamps and a
 * few NaN and silences like a real Flukso), reads it into memory, then
 * times cab_parse_power_csv + cab_ingest_finish into a cab_qhset and
 * prints samples/s and the peak resident memory (which includes the
 * ~120 MB file buffer). The file is removed afterwards. Build:
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
 *     -Iinclude scripts/bench_power.c build/libcabine.a -lglpk \
 *     -lsqlite3 -lxlsxwriter -lcjson -lz -lm
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cabine/time.h"
#include "engine/ingest/ingest.h"

#define STEP_S 8

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Write the samples (naive: local Brussels wall-clock times without
 * offset, as Flukso tools save them); returns the number of rows or -1. */
static long generate(FILE *f, int64_t t0, int64_t t1, bool naive)
{
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	fputs("timestamp,meter,watts\n", f);
	uint32_t x = 12345;
	long rows = 0;
	char ts[21];
	int64_t day = -1;
	for (int64_t t = t0; t < t1; t += STEP_S) {
		x = x * 1664525u + 1013904223u;
		/* Every ~4 days, two minutes of Wi-Fi silence. */
		if ((t - t0) % 345600 < 120 && t > t0)
			continue;
		int64_t w = naive ? t + cab_time_brussels_offset_s(t) : t;
		if (w / 86400 != day) {
			day = w / 86400;
			cab_time_format_utc(w, ts);
			if (naive) {
				ts[10] = ' ';
				ts[19] = '\0';
			}
		}
		int sod = (int)(w % 86400);
		ts[11] = (char)('0' + sod / 36000);
		ts[12] = (char)('0' + sod / 3600 % 10);
		ts[14] = (char)('0' + sod / 60 % 60 / 10);
		ts[15] = (char)('0' + sod / 60 % 10);
		ts[17] = (char)('0' + sod % 60 / 10);
		ts[18] = (char)('0' + sod % 10);
		if (x % 5000 == 0)
			fprintf(f, "%s,h01-c,nan\n", ts);
		else
			fprintf(f, "%s,h01-c,%u.%u\n", ts,
				100 + (x >> 20) % 3000, (x >> 8) % 10);
		rows++;
	}
	return fclose(f) == 0 ? rows : -1;
}

/* One run: generate, parse + integrate, print. */
static int run(bool naive)
{
	int64_t t0 = cab_time_days_from_civil(2024, 1, 1) * 86400;
	int64_t t1 = cab_time_days_from_civil(2025, 1, 1) * 86400;
	char path[] = "/tmp/cabine-bench-power-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		perror(path);
		return 1;
	}
	long rows = generate(f, t0, t1, naive);
	size_t len = 0;
	char *buf = NULL;
	f = rows > 0 ? fopen(path, "rb") : NULL;
	if (f) {
		fseek(f, 0, SEEK_END);
		len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(len);
		if (buf && fread(buf, 1, len, f) != len) {
			free(buf);
			buf = NULL;
		}
		fclose(f);
	}
	unlink(path);
	if (!buf) {
		fprintf(stderr, "%s: could not write or read back\n", path);
		return 1;
	}
	struct cab_import_opts o;
	memset(&o, 0, sizeof o);
	o.format = CAB_FMT_POWER_CSV;
	o.min_coverage = 0.9;
	struct cab_qhset *qh = NULL;
	struct cab_err err;
	cab_err_init(&err);
	if (cab_qhset_new(&qh, &err) != CAB_OK)
		return 1;
	struct cab_ingest ing;
	cab_ingest_init(&ing, qh, &o);
	double a = now_s();
	enum cab_status st =
	    cab_parse_power_csv(&ing, "bench.csv", buf, len, &err);
	if (st == CAB_OK)
		st = cab_ingest_finish(&ing, &err);
	double b = now_s();
	if (st != CAB_OK) {
		fprintf(stderr, "%s", err.text ? err.text : "failed\n");
		return 1;
	}
	struct cab_qh_series s;
	cab_qhset_series(qh, 0, &s);
	size_t n_read = 0, n_est = 0, n_miss = 0;
	for (size_t k = 0; k < s.n; k++) {
		n_read += s.quality[k] == CAB_Q_READ;
		n_est += s.quality[k] == CAB_Q_ESTIMATED;
		n_miss += s.quality[k] == CAB_Q_MISSING;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf(
	    "%s: samples %zu (%.0f MB) in %.3f s: %.2f M samples/s; intervals "
	    "%zu (read %zu, estimated %zu, missing %zu); peak RSS %.0f MiB "
	    "(file buffer included)\n",
	    naive ? "naive local times" : "UTC (Z) times", ing.rows, len / 1e6,
	    b - a, ing.rows / (b - a) / 1e6, s.n, n_read, n_est, n_miss,
	    ru.ru_maxrss / 1024.0);
	cab_ingest_release(&ing);
	cab_qhset_free(qh);
	cab_err_release(&err);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	bool naive = argc > 1 && strcmp(argv[1], "naive") == 0;
	return run(naive);
}
