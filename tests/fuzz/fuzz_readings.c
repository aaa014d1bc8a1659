/*
 * fuzz_readings.c — fuzz target for the readings CSV parser.
 *
 * Each input is parsed twice over a small period (2024-03-05, 8
 * intervals): once into empty readings, once into readings that already
 * hold data (a put series and a loaded file) with two declared meters.
 * Afterwards every stored value must be NaN or ≥ 0, and when the parse
 * failed the readings must be exactly as before (same meters, same bits,
 * same row count). Every line is also read by the dialect's fast path
 * and its slow path (engine/ingest/dialect.h): a row the fast path (and
 * its one-pass form, cab_dialect_fast_at, which must also find the line's
 * end) accepts must be accepted by the slow path with the same instant,
 * meter and energy. A violation aborts. fuzz_readings_split reads the
 * inputs on threads.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/readings.h"
#include "engine/ingest/dialect.h"

#define T0 ((int64_t)19787 * 86400) /* 2024-03-05T00:00:00Z */
#define N 8
#define MAX_METERS 64

/* Copy of the readings' state for comparison. */
struct snapshot {
	size_t n_meters;	      /* meters with a series */
	size_t rows;		      /* rows accepted */
	char *ids[MAX_METERS];	      /* meter ids (first MAX_METERS) */
	double values[MAX_METERS][N]; /* their series */
};

static void check_values(const struct cab_readings *r)
{
	size_t n = cab_readings_n_meters(r);
	for (size_t i = 0; i < n; i++) {
		const double *s =
		    cab_readings_series(r, cab_readings_meter_id(r, i));
		if (!s)
			abort();
		for (size_t k = 0; k < N; k++)
			if (!(isnan(s[k]) || s[k] >= 0) || isinf(s[k]))
				abort();
	}
}

static void take(const struct cab_readings *r, struct snapshot *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->n_meters = cab_readings_n_meters(r);
	sn->rows = cab_readings_rows(r);
	for (size_t i = 0; i < sn->n_meters && i < MAX_METERS; i++) {
		const char *id = cab_readings_meter_id(r, i);
		sn->ids[i] = strdup(id);
		if (!sn->ids[i])
			abort();
		memcpy(sn->values[i], cab_readings_series(r, id),
		       sizeof(sn->values[i]));
	}
}

static void same(const struct cab_readings *r, const struct snapshot *sn)
{
	if (cab_readings_n_meters(r) != sn->n_meters ||
	    cab_readings_rows(r) != sn->rows)
		abort();
	for (size_t i = 0; i < sn->n_meters && i < MAX_METERS; i++) {
		const char *id = cab_readings_meter_id(r, i);
		if (!id || strcmp(id, sn->ids[i]) != 0)
			abort();
		if (memcmp(cab_readings_series(r, id), sn->values[i],
			   sizeof(sn->values[i])) != 0)
			abort();
	}
}

static void drop(struct snapshot *sn)
{
	for (size_t i = 0; i < MAX_METERS; i++)
		free(sn->ids[i]);
}

static void one(struct cab_readings *r, const uint8_t *data, size_t size)
{
	struct snapshot before;
	struct cab_err err;
	cab_err_init(&err);
	take(r, &before);
	enum cab_status st =
	    cab_readings_parse_csv(r, "fuzz", (const char *)data, size, &err);
	if (st != CAB_OK) {
		/* At most 20 problems listed, then one line for the rest. */
		if (st != CAB_EINPUT || err.count == 0 || err.count > 21 ||
		    (err.count == 21 && !strstr(err.text, "\n… and ")))
			abort();
		same(r, &before);
	} else if (err.count != 0) {
		abort();
	}
	check_values(r);
	drop(&before);
	cab_err_release(&err);
}

/* The fast path takes only what the slow path takes, alike. */
static void fast_matches_slow(const char *text, size_t size)
{
	struct cab_dialect f = {0}, s = {0};
	const char *nl = memchr(text, '\n', size);
	size_t hl = nl ? (size_t)(nl - text) : size;
	if (cab_dialect_header(&f, text, hl) &&
	    cab_dialect_header(&s, text, hl)) {
		for (size_t pos = nl ? hl + 1 : size; pos < size;) {
			const char *line = text + pos;
			const char *e = memchr(line, '\n', size - pos);
			size_t n = e ? (size_t)(e - line) : size - pos;
			pos += n + 1;
			struct cab_dialect_row a, b;
			/* the one-pass fast path: the same line, its end */
			const char *next =
			    f.is_fast
				? cab_dialect_fast_at(&f, line, text + size, &a)
				: NULL;
			if (next) {
				s.form = f.form;
				if (next != (e ? e + 1 : text + size) ||
				    cab_dialect_row_slow(&s, line, n, &b) !=
					CAB_DIALECT_ROW ||
				    a.t_s != b.t_s ||
				    a.meter_len != b.meter_len ||
				    memcmp(a.meter, b.meter, a.meter_len) !=
					0 ||
				    a.kwh != b.kwh ||
				    signbit(a.kwh) != signbit(b.kwh))
					abort();
			}
			if (!f.is_fast || !cab_dialect_fast(&f, line, n, &a))
				continue;
			/* the slow path from the same state */
			s.form = f.form;
			if (cab_dialect_row_slow(&s, line, n, &b) !=
				CAB_DIALECT_ROW ||
			    a.t_s != b.t_s || a.meter_len != b.meter_len ||
			    memcmp(a.meter, b.meter, a.meter_len) != 0 ||
			    a.kwh != b.kwh || signbit(a.kwh) != signbit(b.kwh))
				abort();
		}
	}
	cab_dialect_release(&f);
	cab_dialect_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fast_matches_slow((const char *)data, size);
	struct cab_readings *r = NULL;
	if (cab_readings_new(T0, N, &r, NULL) != CAB_OK)
		abort();
	one(r, data, size);
	cab_readings_free(r);

	if (cab_readings_new(T0, N, &r, NULL) != CAB_OK)
		abort();
	double v[N] = {1, NAN, 2, NAN, 3, NAN, 4, NAN};
	static const char pre[] = "timestamp,meter,kwh\n"
				  "2024-03-05T00:00:00Z,a,0.5\n"
				  "2024-03-05T00:30:00Z,h01-c,1\n";
	if (cab_readings_put(r, "p", v, NULL) != CAB_OK ||
	    cab_readings_want(r, "a", NULL) != CAB_OK ||
	    cab_readings_want(r, "h01-c", NULL) != CAB_OK ||
	    cab_readings_parse_csv(r, "pre", pre, sizeof(pre) - 1, NULL) !=
		CAB_OK)
		abort();
	one(r, data, size);
	cab_readings_free(r);
	return 0;
}
