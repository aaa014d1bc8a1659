/*
 * fuzz_readings_split.c — fuzz target for the readings CSV read on
 * threads (engine/ingest/readings_par.c) against the one-thread parser.
 *
 * Each input is parsed with the one-thread parser (the reference) and
 * with 2, 3 or 7 threads on parts as small as one line (the internal knob
 * cab_rd_set_split), so that every line feed of the input may be a part
 * boundary: rows, duplicates, empty lines, local times of the autumn hour
 * and problems on either side of one. The period (a day from
 * 2024-03-05T00:00Z, or from 2024-10-26T22:00Z around the autumn hour)
 * and whether the set already holds data with declared meters are chosen
 * from the input's bytes. The two must give the same status, the same
 * messages, the same rows and the same series with the meters in the same
 * order; a difference aborts. Each input is also turned into a mostly
 * valid file of canonical rows (generated()), read the same two ways.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/readings.h"
#include "cabine/time.h"
#include "engine/ingest/readings_set.h"

#define T_MARCH ((int64_t)19787 * 86400) /* 2024-03-05T00:00:00Z */
#define N 96

/* The set's contents and the parse's messages, in one string. */
static char *outcome(struct cab_readings *r, enum cab_status st,
		     const char *text, size_t *len)
{
	size_t n_m = 0;
	while (cab_readings_meter_id(r, n_m))
		n_m++;
	size_t cap = 64 + strlen(text) + n_m * (260 + N * sizeof(double));
	for (size_t i = 0; cab_readings_undeclared_id(r, i); i++)
		cap += strlen(cab_readings_undeclared_id(r, i)) + 1;
	char *s = malloc(cap);
	if (!s)
		abort();
	size_t o = (size_t)snprintf(s, cap, "%d %zu %s|", (int)st,
				    cab_readings_rows(r), text);
	for (size_t i = 0; i < n_m; i++) {
		const char *id = cab_readings_meter_id(r, i);
		memcpy(s + o, id, strlen(id) + 1);
		o += strlen(id) + 1;
		memcpy(s + o, cab_readings_series(r, id), N * sizeof(double));
		o += N * sizeof(double);
	}
	for (size_t i = 0; cab_readings_undeclared_id(r, i); i++) {
		const char *id = cab_readings_undeclared_id(r, i);
		memcpy(s + o, id, strlen(id) + 1);
		o += strlen(id) + 1;
	}
	*len = o;
	return s;
}

static char *parse(const uint8_t *data, size_t size, int64_t t0, bool is_loaded,
		   int threads, size_t *len)
{
	struct cab_readings *r = NULL;
	if (cab_readings_new(t0, N, &r, NULL) != CAB_OK)
		abort();
	if (is_loaded) {
		double v[N];
		for (size_t i = 0; i < N; i++)
			v[i] = i % 5 ? NAN : 1;
		if (cab_readings_put(r, "a", v, NULL) != CAB_OK ||
		    cab_readings_want(r, "a", NULL) != CAB_OK ||
		    cab_readings_want(r, "h01-c", NULL) != CAB_OK)
			abort();
	}
	cab_rd_set_split(r, threads, 1);
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st =
	    cab_readings_parse_csv(r, "fuzz", (const char *)data, size, &err);
	char *s = outcome(r, st, err.text ? err.text : "", len);
	cab_err_release(&err);
	cab_readings_free(r);
	return s;
}

static void compare(const uint8_t *data, size_t size, unsigned h)
{
	static const int threads[] = {2, 3, 7};
	int64_t t0 = h & 8
			 ? cab_time_days_from_civil(2024, 10, 27) * 86400 - 7200
			 : T_MARCH;
	bool is_loaded = h & 16;
	size_t la, lb;
	char *a = parse(data, size, t0, is_loaded, -1, &la);
	char *b = parse(data, size, t0, is_loaded, threads[h % 3], &lb);
	if (la != lb || memcmp(a, b, la) != 0)
		abort();
	free(a);
	free(b);
}

/* A mostly valid file made from the input's bytes, three per row: the
 * meter (a to e; CRLF when the high bit is set), the step to its next
 * quarter-hour (a zero byte: a duplicate), the energy (0: an empty
 * cell, 1: with an exponent). Mutations of the input move duplicates and
 * empty cells across the part boundaries of a file that is otherwise
 * read on threads. */
static size_t generated(const uint8_t *data, size_t size, char *out)
{
	size_t o = (size_t)sprintf(out, "timestamp,meter,kwh\n");
	int64_t next[5] = {0, 0, 0, 0, 0};
	for (size_t i = 0; i + 3 <= size; i += 3) {
		int m = data[i] % 5;
		int64_t k = next[m] - (data[i + 1] == 0 && next[m] > 0);
		next[m] = k + 1;
		char ts[21];
		cab_time_format_utc(T_MARCH + k * CAB_INTERVAL_S, ts);
		unsigned v = data[i + 2];
		o += (size_t)sprintf(out + o, "%s,%c,", ts, 'a' + m);
		if (v == 1)
			o += (size_t)sprintf(out + o, "2.5e-1");
		else if (v)
			o += (size_t)sprintf(out + o, "%u.%02u", v / 100,
					     v % 100);
		o += (size_t)sprintf(out + o, "%s",
				     data[i] & 0x80 ? "\r\n" : "\n");
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned h = 0;
	for (size_t i = 0; i < size; i++)
		h = h * 31 + data[i];
	compare(data, size, h);
	char *text = malloc(32 + size / 3 * 40);
	if (!text)
		abort();
	size_t len = generated(data, size, text);
	compare((const uint8_t *)text, len, h & ~8u);
	free(text);
	return 0;
}
