/*
 * signal_csv.c — the one reader of signal.csv (SPEC §15): the windows of
 * expected solar surplus written by `cabine forecast`, read back by
 * `cabine alerts --signal` (engine/scenario/signal.c) and `cabine site
 * --signal` (the inhabitants' box). Format and rules: cabine/signal_csv.h.
 *
 * Why one reader: the file is read by two commands; a window refused by
 * one must be refused by the other with the same words. surplus_kwh is
 * shown to households on their pages, so it is checked like a meter
 * reading (engine/ingest/dialect.c): a decimal, finite, ≥ 0, at most
 * CAB_READINGS_MAX_KWH a quarter-hour of the window.
 *
 * Problems are "path:line: what is wrong (what was expected)", one a
 * line, at most CAB_ERR_LIST_MAX, then "… and N more problems".
 *
 * Workload: a few windows a day, one pass over a small file.
 * Ownership: the returned array is the caller's.
 */
#include "cabine/signal_csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/readings.h"
#include "cabine/time.h"
#include "engine/base/decimal.h"
#include "engine/base/slurp.h"

#define HEADER "start,end,surplus_kwh"
/* Characters of a bad field quoted in a message. */
#define SHOWN(n) ((int)((n) < 40 ? (n) : 40))

struct reader {
	const char *name;
	struct cab_err *err;
	size_t problems; /* found; the first CAB_ERR_LIST_MAX are listed */
};

__attribute__((format(printf, 3, 4))) static void
problem(struct reader *r, long line, const char *fmt, ...)
{
	r->problems++;
	if (r->problems > CAB_ERR_LIST_MAX)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cab_err_at_line(r->err, CAB_EINPUT, r->name, line, "%s", msg);
}

/* Field k (0-based, comma-separated) of line [s, e) into [*fs, *fe). */
static void field(const char *s, const char *e, int k, const char **fs,
		  const char **fe)
{
	for (int i = 0; i < k; i++) {
		const char *c = memchr(s, ',', (size_t)(e - s));
		s = c ? c + 1 : e;
	}
	const char *c = memchr(s, ',', (size_t)(e - s));
	*fs = s;
	*fe = c ? c : e;
}

static int count_commas(const char *s, const char *e)
{
	int n = 0;
	for (; s < e; s++)
		n += *s == ',';
	return n;
}

/* surplus_kwh [s, s + n) of a window of `quarters` quarter-hours. */
static bool surplus(struct reader *r, long line, const char *s, size_t n,
		    int64_t quarters, double *v)
{
	static const char example[] = "12.345678";
	if (n == 0) {
		problem(r, line,
			"surplus_kwh is empty (expected a decimal "
			"like %s)",
			example);
		return false;
	}
	if (!cab_decimal_parse(s, n, v)) {
		problem(r, line,
			"surplus_kwh '%.*s' is not a number (expected a "
			"decimal like %s)",
			SHOWN(n), s, example);
		return false;
	}
	if (!isfinite(*v)) {
		problem(r, line,
			"surplus_kwh '%.*s' is not finite (expected a decimal "
			"like %s)",
			SHOWN(n), s, example);
		return false;
	}
	if (*v < 0) {
		problem(r, line,
			"surplus_kwh must be ≥ 0, got %.*s (a window is where "
			"the community expects a surplus)",
			SHOWN(n), s);
		return false;
	}
	if (*v > CAB_READINGS_MAX_KWH * (double)quarters) {
		problem(r, line,
			"surplus_kwh %.*s is too large (expected at most "
			"%.0f kWh a quarter-hour of the window, 1 GW)",
			SHOWN(n), s, CAB_READINGS_MAX_KWH);
		return false;
	}
	*v += 0.0; /* -0 becomes 0 */
	return true;
}

/* One data line [ls, e): a window into *w, or false (problems said). */
static bool window(struct reader *r, long line, const char *ls, const char *e,
		   struct cab_signal_window *w)
{
	if (count_commas(ls, e) != 2) {
		problem(r, line, "expected 3 fields: start,end,surplus_kwh");
		return false;
	}
	int64_t t[2];
	bool is_ok = true;
	for (int k = 0; k < 2; k++) {
		const char *fs, *fe, *what = NULL;
		field(ls, e, k, &fs, &fe);
		if (cab_time_parse_iso(fs, (size_t)(fe - fs), &t[k], &what) !=
		    CAB_OK) {
			problem(r, line, "invalid %s time '%.*s' (%s)",
				k ? "end" : "start", SHOWN(fe - fs), fs, what);
			is_ok = false;
		}
	}
	if (!is_ok)
		return false;
	if (t[1] <= t[0] || t[1] - t[0] > 24 * 3600 || t[0] % CAB_INTERVAL_S ||
	    t[1] % CAB_INTERVAL_S) {
		problem(r, line,
			"the window must end after it starts, within 24 h, on "
			"quarter-hours");
		return false;
	}
	const char *fs, *fe;
	field(ls, e, 2, &fs, &fe);
	double kwh;
	if (!surplus(r, line, fs, (size_t)(fe - fs),
		     (t[1] - t[0]) / CAB_INTERVAL_S, &kwh))
		return false;
	*w = (struct cab_signal_window){
	    .start_s = t[0], .end_s = t[1], .surplus_kwh = kwh};
	return true;
}

enum cab_status cab_signal_csv_parse(const char *name, const char *buf,
				     size_t len, struct cab_signal_window **out,
				     size_t *n, struct cab_err *err)
{
	*out = NULL;
	*n = 0;
	struct reader r = {.name = name, .err = err};
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t cap = 0, used = 0;
	struct cab_signal_window *w = NULL;
	long line = 0;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *next = e ? e + 1 : end;
		if (!e)
			e = end;
		if (e > p && e[-1] == '\r')
			e--;
		line++;
		const char *ls = p;
		p = next;
		if (line == 1) {
			if ((size_t)(e - ls) != strlen(HEADER) ||
			    memcmp(ls, HEADER, strlen(HEADER)) != 0) {
				problem(&r, line,
					"expected the header '" HEADER
					"' of a signal.csv written by cabine "
					"forecast");
				break;
			}
			continue;
		}
		if (e == ls)
			continue; /* a blank line, e.g. at the end */
		struct cab_signal_window one;
		if (!window(&r, line, ls, e, &one) || r.problems)
			continue;
		if (used == cap) {
			size_t c = cap ? 2 * cap : 16;
			struct cab_signal_window *g =
			    realloc(w, c * sizeof(*w));
			if (!g) {
				free(w);
				return cab_err_add(err, CAB_ENOMEM,
						   "%s: out of memory", name);
			}
			w = g;
			cap = c;
		}
		w[used++] = one;
	}
	if (line == 0)
		problem(&r, 1, "empty file (expected the header '" HEADER "')");
	if (r.problems) {
		if (r.problems > CAB_ERR_LIST_MAX)
			cab_err_more(err, CAB_EINPUT,
				     r.problems - CAB_ERR_LIST_MAX);
		free(w);
		return CAB_EINPUT;
	}
	*out = w;
	*n = used;
	return CAB_OK;
}

enum cab_status cab_signal_csv_read(const char *path,
				    struct cab_signal_window **out, size_t *n,
				    struct cab_err *err)
{
	*out = NULL;
	*n = 0;
	char *buf = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st == CAB_OK)
		st = cab_signal_csv_parse(path, buf, len, out, n, err);
	free(buf);
	return st;
}
