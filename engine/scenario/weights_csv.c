/*
 * weights_csv.c — weights that change over time (SPEC §12): "weights":
 * "FILE.csv" names a CSV `from,participant,weight` whose rows form
 * blocks — all rows with the same `from` — each applying from its local
 * date or quarter-hour until the next block's. The operator accepts a
 * change of key on request, so an assembly may declare keys by month or
 * by season.
 *
 * Why a file of its own: a spreadsheet writes it, so it is read the way
 * spreadsheets write (SPEC §11): a UTF-8 BOM, CRLF, ',' or ';' as
 * separator (with ';' a decimal comma is accepted), quoted fields,
 * headers in English, French or Dutch in any order and case. Every
 * problem is reported as "FILE:LINE: message" and the parse goes on.
 *
 * The blocks: sorted by `from`; the one in force at the period's start
 * becomes block 0 (an error if every block starts later); blocks from
 * the period's end on are checked and dropped. In a block a participant
 * not listed has weight 0; a participant listed twice is an error; the
 * weights of each pool (the community, or each cabin) sum to at most 1.
 *
 * Workload: a few hundred rows. Ownership: the arrays put into sh belong
 * to the scenario (cab_sc_sharing_release).
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/scenario/sections.h"

#define MAX_FIELDS 8
#define FIELD_CAP 256

enum { COL_FROM, COL_PARTICIPANT, COL_WEIGHT, N_COLS };

static const char *const col_names[N_COLS][4] = {
    {"from", "depuis", "vanaf", NULL},
    {"participant", "deelnemer", NULL, NULL},
    {"weight", "poids", "gewicht", NULL},
};

struct row {
	int64_t from_s; /* UTC instant the block starts */
	size_t who;	/* participant index */
	double weight;
	size_t line;
};

struct parse {
	const struct cab_scenario *sc;
	const char *file;
	struct cab_err *err;
	size_t n_problems;
	struct row *rows;
	size_t n_rows, cap;
};

__attribute__((format(printf, 3, 4))) static void
problem(struct parse *ps, size_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		msg[0] = 0;
	va_end(ap);
	ps->n_problems++;
	if (line)
		cab_err_add(ps->err, CAB_EINPUT, "%s:%zu: %s", ps->file, line,
			    msg);
	else
		cab_err_add(ps->err, CAB_EINPUT, "%s: %s", ps->file, msg);
}

/* Split one line (without its end) into fields; quotes as RFC 4180
 * within the line. Returns the number of fields, or -1 for a quote left
 * open. Fields longer than FIELD_CAP − 1 bytes are cut. */
static int split(const char *s, size_t len, char sep,
		 char f[MAX_FIELDS][FIELD_CAP])
{
	int n = 0;
	size_t i = 0;
	for (;;) {
		size_t k = 0;
		bool is_quoted = i < len && s[i] == '"';
		if (is_quoted) {
			i++;
			for (;;) {
				if (i >= len)
					return -1;
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (k + 1 < FIELD_CAP && n < MAX_FIELDS)
					f[n][k++] = s[i];
				i++;
			}
			while (i < len && s[i] != sep)
				i++; /* text after the closing quote */
		} else {
			while (i < len && s[i] != sep) {
				if (k + 1 < FIELD_CAP && n < MAX_FIELDS)
					f[n][k++] = s[i];
				i++;
			}
		}
		if (n < MAX_FIELDS)
			f[n][k] = 0;
		n++;
		if (i >= len)
			return n;
		i++; /* the separator */
	}
}

/* Trim spaces at both ends, in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

static int column_of(const char *name)
{
	for (int c = 0; c < N_COLS; c++)
		for (int k = 0; col_names[c][k]; k++) {
			const char *a = name, *b = col_names[c][k];
			while (*a && *b &&
			       tolower((unsigned char)*a) == (unsigned char)*b)
				a++, b++;
			if (!*a && !*b)
				return c;
		}
	return -1;
}

/* `from`: a local date (its midnight) or a local quarter-hour (or an
 * instant with its offset). */
static bool parse_from(struct parse *ps, size_t line, const char *s, int64_t *t)
{
	int y, m, d;
	const char *what = NULL;
	size_t len = strlen(s);
	if (len == 10 &&
	    cab_time_parse_date(s, len, &y, &m, &d, &what) == CAB_OK) {
		*t = cab_time_local_midnight(y, m, d);
		return true;
	}
	if (len > 10 && cab_time_parse_iso(s, len, t, &what) == CAB_OK) {
		if (*t % CAB_INTERVAL_S != 0) {
			problem(
			    ps, line,
			    _("column 'from': '%s' is not the start of a "
			      "quarter-hour (expected :00, :15, :30 or :45)"),
			    s);
			return false;
		}
		return true;
	}
	problem(ps, line,
		_("column 'from': '%s' is not a local date or quarter-hour "
		  "(expected 2024-03-01 or 2024-03-01T10:15%s%s)"),
		s, what ? "; " : "", what ? what : "");
	return false;
}

/* `weight`: a number in [0, 1], with a decimal comma when the separator
 * is ';'. */
static bool parse_weight(struct parse *ps, size_t line, char *s, char sep,
			 double *w)
{
	if (sep == ';')
		for (char *p = s; *p; p++)
			if (*p == ',')
				*p = '.';
	char *end;
	double x = strtod(s, &end);
	if (!*s || *end || !isfinite(x)) {
		problem(ps, line,
			_("column 'weight': '%s' is not a number (expected a "
			  "fraction between 0 and 1)"),
			s);
		return false;
	}
	if (x < 0 || x > 1) {
		problem(ps, line,
			_("column 'weight': %g is out of range (expected a "
			  "fraction between 0 and 1)"),
			x);
		return false;
	}
	*w = x;
	return true;
}

static bool add_row(struct parse *ps, struct row r)
{
	if (ps->n_rows == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 64;
		struct row *g = realloc(ps->rows, cap * sizeof *g);
		if (!g)
			return false;
		ps->rows = g;
		ps->cap = cap;
	}
	ps->rows[ps->n_rows++] = r;
	return true;
}

static int by_from(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->from_s != y->from_s)
		return x->from_s < y->from_s ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Read the lines of buf into ps->rows; false on out of memory. */
static bool read_rows(struct parse *ps, const char *buf, size_t len)
{
	char f[MAX_FIELDS][FIELD_CAP];
	size_t pos = 0, line = 0;
	int col[N_COLS] = {-1, -1, -1};
	int n_head = 0;
	char sep = ',';
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, 0, n)) {
			problem(ps, line, _("a NUL byte (expected text)"));
			continue;
		}
		if (line == 1) {
			sep = memchr(s, ';', n) ? ';' : ',';
			n_head = split(s, n, sep, f);
			for (int k = 0; k < n_head && k < MAX_FIELDS; k++) {
				char *name = trim(f[k]);
				int c = column_of(name);
				if (c < 0)
					problem(
					    ps, line,
					    _("unknown column '%s' (expected "
					      "from, participant, weight)"),
					    name);
				else if (col[c] >= 0)
					problem(ps, line,
						_("column '%s' given twice"),
						col_names[c][0]);
				else
					col[c] = k;
			}
			for (int c = 0; c < N_COLS; c++)
				if (col[c] < 0)
					problem(
					    ps, line,
					    _("missing column '%s' (expected "
					      "from, participant, weight)"),
					    col_names[c][0]);
			if (ps->n_problems)
				return true;
			continue;
		}
		bool is_blank = true;
		for (size_t k = 0; k < n && is_blank; k++)
			is_blank = s[k] == ' ' || s[k] == '\t' || s[k] == sep;
		if (is_blank)
			continue;
		int nf = split(s, n, sep, f);
		if (nf < 0) {
			problem(ps, line, _("a quote is not closed"));
			continue;
		}
		if (nf != n_head) {
			problem(ps, line, _("%d fields (expected %d)"), nf,
				n_head);
			continue;
		}
		struct row r = {.line = line};
		bool is_ok =
		    parse_from(ps, line, trim(f[col[COL_FROM]]), &r.from_s);
		const char *id = trim(f[col[COL_PARTICIPANT]]);
		long i = cab_scenario_find(ps->sc, id);
		if (i < 0) {
			problem(ps, line,
				_("column 'participant': '%s' is not declared "
				  "in $.participants"),
				id);
			is_ok = false;
		}
		r.who = (size_t)(i < 0 ? 0 : i);
		is_ok &= parse_weight(ps, line, trim(f[col[COL_WEIGHT]]), sep,
				      &r.weight);
		if (is_ok && !add_row(ps, r))
			return false;
	}
	if (line == 0)
		problem(ps, 0,
			_("empty file (expected a header from,participant,"
			  "weight and rows)"));
	return true;
}

/* The local date (and time when not midnight) of instant t. */
static void local_text(int64_t t, char *buf, size_t size)
{
	struct cab_civil lc;
	cab_time_to_local(t, &lc);
	if (lc.hour == 0 && lc.minute == 0)
		snprintf(buf, size, "%04d-%02d-%02d", lc.year, lc.month,
			 lc.day);
	else
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d", lc.year,
			 lc.month, lc.day, lc.hour, lc.minute);
}

/* Group the sorted rows into blocks and check them. */
static bool make_blocks(struct parse *ps, struct cab_sharing *sh)
{
	const struct cab_scenario *sc = ps->sc;
	size_t n = sc->n_participants, nr = ps->n_rows;
	if (nr)
		qsort(ps->rows, nr, sizeof *ps->rows, by_from);
	int64_t t0 = sc->t0_s;
	int64_t t_end = t0 + (int64_t)sc->n_intervals * CAB_INTERVAL_S;
	size_t nb = 0;
	for (size_t k = 0; k < nr; k++)
		nb += k == 0 || ps->rows[k].from_s != ps->rows[k - 1].from_s;
	size_t *first = calloc(nb ? nb : 1, sizeof *first);
	double *w = calloc((nb ? nb : 1) * (n ? n : 1), sizeof *w);
	bool *seen = calloc(n ? n : 1, sizeof *seen);
	if (!first || !w || !seen) {
		free(first);
		free(w);
		free(seen);
		return false;
	}
	size_t kept = 0;
	char when[32];
	for (size_t k = 0; k < nr;) {
		size_t e = k;
		while (e < nr && ps->rows[e].from_s == ps->rows[k].from_s)
			e++;
		int64_t from = ps->rows[k].from_s;
		bool is_in_force_at_start = e == nr || ps->rows[e].from_s > t0;
		/* A block that ends before the period starts, or starts at
		 * or after its end, is checked but not kept. */
		bool is_kept =
		    from < t_end && (from >= t0 || is_in_force_at_start);
		double *bw = w + kept * n;
		memset(seen, 0, n * sizeof *seen);
		memset(bw, 0, n * sizeof *bw);
		for (size_t j = k; j < e; j++) {
			const struct row *r = &ps->rows[j];
			if (seen[r->who]) {
				local_text(from, when, sizeof when);
				problem(ps, r->line,
					_("participant '%s' is listed twice in "
					  "the block from %s"),
					sc->participants[r->who].id, when);
			}
			seen[r->who] = true;
			bw[r->who] = r->weight;
		}
		bool is_cabin = sh->perimeter == CAB_PERIMETER_CABIN;
		size_t np = is_cabin ? sc->n_cabins : 1;
		for (size_t c = 0; c < np; c++) {
			double sum = 0;
			for (size_t i = 0; i < n; i++)
				if (!is_cabin ||
				    sc->participants[i].cabin == (int)c)
					sum += bw[i];
			if (sum <= 1 + CAB_SC_WEIGHT_EPS)
				continue;
			local_text(from, when, sizeof when);
			if (is_cabin)
				problem(
				    ps, ps->rows[k].line,
				    _("the weights of cabin '%s' in the "
				      "block from %s sum to %g (expected at "
				      "most 1)"),
				    sc->cabins[c].id, when, sum);
			else
				problem(
				    ps, ps->rows[k].line,
				    _("the weights of the block from %s sum "
				      "to %g (expected at most 1)"),
				    when, sum);
		}
		if (is_kept) {
			first[kept] =
			    from <= t0 ? 0
				       : (size_t)((from - t0) / CAB_INTERVAL_S);
			kept++;
		}
		k = e;
	}
	if (nr && ps->rows[0].from_s > t0) {
		char start[32];
		local_text(ps->rows[0].from_s, when, sizeof when);
		local_text(t0, start, sizeof start);
		problem(ps, ps->rows[0].line,
			_("the first block starts on %s, after the period's "
			  "start %s (expected a block from %s or before)"),
			when, start, start);
	}
	if (nr == 0 && ps->n_problems == 0)
		problem(ps, 0,
			_("no weights (expected rows from,participant,weight "
			  "after the header)"));
	free(seen);
	if (ps->n_problems) {
		free(first);
		free(w);
		return true;
	}
	sh->n_weight_blocks = kept;
	sh->block_first = first;
	sh->block_weight = w;
	return true;
}

size_t cab_sc_weights_parse(const struct cab_scenario *sc, const char *file,
			    const char *buf, size_t len, struct cab_sharing *sh,
			    struct cab_err *err)
{
	struct parse ps = {.sc = sc, .file = file, .err = err};
	bool is_ok = read_rows(&ps, buf, len);
	if (is_ok && !ps.n_problems)
		is_ok = make_blocks(&ps, sh);
	if (!is_ok)
		problem(&ps, 0, _("out of memory"));
	free(ps.rows);
	return ps.n_problems;
}

void cab_sc_weights_csv(struct cab_json_ctx *c, const char *path,
			const char *rel, struct cab_sharing *sh)
{
	char *file = cab_json_resolve(c, rel);
	char *buf = NULL;
	size_t len = 0;
	if (!file)
		return;
	struct cab_err e;
	cab_err_init(&e);
	enum cab_status st = cab_slurp(file, &buf, &len, &e);
	if (st != CAB_OK) {
		size_t n = e.text ? strcspn(e.text, "\n") : 0;
		cab_json_fail(c, path, "%.*s", (int)n, e.text ? e.text : "");
	} else {
		c->n_errors +=
		    cab_sc_weights_parse(c->sc, file, buf, len, sh, c->err);
	}
	cab_err_release(&e);
	free(buf);
	free(file);
}
