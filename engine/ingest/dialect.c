/*
 * dialect.c — the readings CSV in every dialect of SPEC §11: the header,
 * a row's fields, its timestamp, meter and energy, and the message for
 * each problem (see dialect.h for the rules).
 *
 * Why one file: `import --format csv` and a scenario's readings used to
 * have a parser each, with two sets of rules (a local time was fine for
 * one and refused by the other). Both now call this slow path for every
 * row the inline fast path of dialect.h does not take, so a file is read
 * the same way whoever reads it.
 *
 * Workload: the slow path runs per row of a non-canonical file (a
 * spreadsheet's export: tens of thousands to a few million rows): one
 * split (csvtok.c), one timestamp parse, a per-meter clock lookup for
 * local times, one decimal parse.
 *
 * Ownership: the dialect owns its clocks, its scratch buffer and its
 * record; released by cab_dialect_release().
 */
#include "engine/ingest/dialect.h"

#include "engine/base/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define EXPECT_TS "expected a timestamp like 2024-03-05T10:00:00Z"
#define EXPECT_LOCAL                                                           \
	"expected a local time like 2024-03-05 10:00 or 05/03/2024 10:00"
#define EXPECT_METER "expected a meter id like h01-c"
/* Field text shown in messages: at most 64 bytes. */
#define SHOWN(len) ((int)((len) > 64 ? 64 : (len)))

static const char *const ts_names[] = {"timestamp", "horodatage", "tijdstip",
				       NULL};
static const char *const meter_names[] = {"meter", "compteur", NULL};
static const char *const kwh_names[] = {"kwh", NULL};
static const char *const *const col_names[3] = {ts_names, meter_names,
						kwh_names};

__attribute__((format(printf, 2, 3))) static enum cab_dialect_line
bad(struct cab_dialect *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return CAB_DIALECT_BAD;
}

/* ---- the header -------------------------------------------------------- */

/* Which column (0 timestamp, 1 meter, 2 kwh) a header name is, or -1. */
static int column_of(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (int c = 0; c < 3; c++)
		for (const char *const *n = col_names[c]; *n; n++)
			if (strlen(*n) == len && strncasecmp(*n, s, len) == 0)
				return c;
	return -1;
}

/* The header's columns into col[] (and the names as written into names,
 * when not NULL); a message into msg (cap bytes) when it is not a
 * readings header. */
static bool read_header(const char *s, size_t len, struct cab_csv_record *rec,
			char *sep_out, unsigned col[3], char names[3][24],
			char *msg, size_t cap)
{
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, len -= 3;
	if (len && s[len - 1] == '\r')
		len--;
	char sep = cab_csv_guess_sep(s, len);
	const char *what = NULL;
	if (!cab_csv_split(s, len, sep, false, rec, NULL, &what)) {
		snprintf(msg, cap, "header: %s", what);
		return false;
	}
	if (rec->n != 3) {
		snprintf(msg, cap,
			 "header has %zu column%s (expected 3: timestamp, "
			 "meter and kwh, or in French horodatage, compteur, "
			 "kwh, or in Dutch tijdstip, meter, kwh; in any order, "
			 "separated by ',' or ';')",
			 len ? rec->n : 0, rec->n == 1 && len ? "" : "s");
		return false;
	}
	bool seen[3] = {false, false, false};
	for (unsigned i = 0; i < 3; i++) {
		const struct cab_csv_field *f = &rec->f[i];
		int c = column_of(f->s, f->len);
		if (c < 0) {
			snprintf(msg, cap,
				 "header: unknown column '%.*s' (expected "
				 "timestamp, horodatage or tijdstip; meter or "
				 "compteur; and kwh)",
				 SHOWN(f->len), f->s);
			return false;
		}
		if (seen[c]) {
			snprintf(msg, cap,
				 "header: column '%.*s' is given twice "
				 "(expected a timestamp, a meter and a kwh "
				 "column once each)",
				 SHOWN(f->len), f->s);
			return false;
		}
		seen[c] = true;
		col[c] = i;
		if (names)
			snprintf(names[c], sizeof(names[c]), "%.*s",
				 (int)(f->len > 23 ? 23 : f->len), f->s);
	}
	*sep_out = sep;
	return true;
}

bool cab_dialect_header(struct cab_dialect *d, const char *s, size_t len)
{
	if (!read_header(s, len, &d->rec, &d->sep, d->col, d->names, d->msg,
			 sizeof(d->msg)))
		return false;
	d->is_fast =
	    d->sep == ',' && d->col[0] == 0 && d->col[1] == 1 && d->col[2] == 2;
	d->form = 0;
	d->has_date = false;
	return true;
}

void cab_dialect_fork(struct cab_dialect *to, const struct cab_dialect *from,
		      int form, bool is_part)
{
	*to = (struct cab_dialect){.sep = from->sep,
				   .is_fast = from->is_fast,
				   .form = form,
				   .is_part = is_part};
	memcpy(to->col, from->col, sizeof(to->col));
	memcpy(to->names, from->names, sizeof(to->names));
}

bool cab_dialect_is_header(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);
	struct cab_csv_record rec = {0};
	char sep, msg[8];
	unsigned col[3];
	bool ok = read_header(s, nl ? (size_t)(nl - s) : len, &rec, &sep, col,
			      NULL, msg, sizeof(msg));
	cab_csv_record_release(&rec);
	return ok;
}

/* ---- timestamps -------------------------------------------------------- */

/* 1 or 2 digits at s[*i]. */
static bool short_num(const char *s, size_t len, size_t *i, int max_digits,
		      int *v)
{
	int n = 0, x = 0;
	while (*i < len && n < max_digits && s[*i] >= '0' && s[*i] <= '9') {
		x = x * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	*v = x;
	return n > 0;
}

/* Is s a day-first date "D/M/YYYY" (then the time)? Fills *i past the
 * year. */
static bool is_day_first(const char *s, size_t len)
{
	size_t i = 0;
	int v;
	if (!short_num(s, len, &i, 2, &v) || i >= len ||
	    (s[i] != '/' && s[i] != '.' && s[i] != '-'))
		return false;
	return i < 3; /* ISO dates start with four digits */
}

/* "D/M/YYYY H:MM[:SS]" local: its wall clock (seconds as if UTC). */
static bool parse_day_first(struct cab_dialect *d, const char *s, size_t len,
			    int64_t *wall)
{
	size_t i = 0;
	int day, mon, year, h, mi, sec = 0;
	char c = 0;
	bool ok = short_num(s, len, &i, 2, &day) && i < len;
	if (ok) {
		c = s[i++];
		ok = short_num(s, len, &i, 2, &mon) && i < len && s[i] == c;
	}
	size_t y0 = ++i;
	ok = ok && short_num(s, len, &i, 4, &year) && i - y0 == 4 && i < len &&
	     (s[i] == ' ' || s[i] == 'T');
	i++;
	ok = ok && short_num(s, len, &i, 2, &h) && i < len && s[i] == ':';
	i++;
	size_t m0 = i;
	ok = ok && short_num(s, len, &i, 2, &mi) && i - m0 == 2;
	if (ok && i < len && s[i] == ':') {
		size_t s0 = ++i;
		ok = short_num(s, len, &i, 2, &sec) && i - s0 == 2;
	}
	if (!ok || i != len) {
		bad(d,
		    "timestamp '%.*s' is malformed (expected a local time like "
		    "05/03/2024 10:00, day first)",
		    SHOWN(len), s);
		return false;
	}
	if (mon < 1 || mon > 12 || day < 1 ||
	    day > cab_time_days_in_month(year, mon)) {
		bad(d,
		    "impossible date '%.*s' (expected a local time like "
		    "05/03/2024 10:00, day first)",
		    SHOWN(len), s);
		return false;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		bad(d,
		    "impossible time of day '%.*s' (expected a local time "
		    "like 05/03/2024 10:00, day first)",
		    SHOWN(len), s);
		return false;
	}
	*wall = cab_time_days_from_civil(year, mon, day) * 86400 + h * 3600 +
		mi * 60 + sec;
	return true;
}

/* A timestamp cell: a UTC instant (*is_local false) or a local wall clock
 * to resolve (*is_local true). */
static bool parse_when(struct cab_dialect *d, const char *s, size_t len,
		       int64_t *t, bool *is_local)
{
	if (is_day_first(s, len)) {
		*is_local = true;
		return parse_day_first(d, s, len, t);
	}
	bool is_zoned = false;
	for (size_t i = 10; i < len && !is_zoned; i++)
		is_zoned =
		    s[i] == 'Z' || s[i] == 'z' || s[i] == '+' || s[i] == '-';
	*is_local = !is_zoned && len >= 16;
	const char *what = NULL;
	if (cab_time_parse_iso(s, len, t, &what) == CAB_OK) {
		/* parse_iso placed a local time at its first occurrence;
		 * back to the wall clock, resolved per meter later. */
		if (*is_local)
			*t += cab_time_brussels_offset_s(*t);
		return true;
	}
	if (!what || strncmp(what, "expected ", 9) == 0)
		bad(d, "timestamp '%.*s' is malformed (%s)", SHOWN(len), s,
		    d->form == 2 ? EXPECT_LOCAL
		    : what	 ? what
				 : "expected " EXPECT_TS);
	else if (strncmp(what, "local time", 10) == 0)
		bad(d, "timestamp '%.*s': %s", SHOWN(len), s, what);
	else
		bad(d, "%s '%.*s' (%s)", what, SHOWN(len), s,
		    *is_local ? EXPECT_LOCAL : EXPECT_TS);
	return false;
}

/* ---- local times: one clock per meter ---------------------------------- */

static const char *clock_name(const void *ctx, size_t i)
{
	return ((const struct cab_dialect *)ctx)->clocks[i].meter;
}

static bool scratch(struct cab_dialect *d, size_t n)
{
	if (d->scratch_cap >= n)
		return true;
	char *b = realloc(d->scratch, n);
	if (!b) {
		d->is_oom = true;
		bad(d, "out of memory");
		return false;
	}
	d->scratch = b;
	d->scratch_cap = n;
	return true;
}

static bool is_clock(const struct cab_dialect_clock *c, const char *id,
		     size_t len)
{
	return c->len == len && memcmp(c->meter, id, len) == 0;
}

/* Index of the clock of a meter, made if new; remembered as the last one
 * and as the one after the previous last (rows in rotation). */
static struct cab_local_clock *used(struct cab_dialect *d, size_t k)
{
	if (d->last_clock)
		d->clocks[d->last_clock - 1].next = k + 1;
	d->last_clock = k + 1;
	return &d->clocks[k].clock;
}

/* The clock of a meter (id_len ≤ CAB_DIALECT_MAX_METER), made if new. */
static struct cab_local_clock *clock_of(struct cab_dialect *d, const char *id,
					size_t id_len)
{
	size_t l = d->last_clock;
	if (l) {
		size_t g = d->clocks[l - 1].next;
		if (g && is_clock(&d->clocks[g - 1], id, id_len)) {
			d->last_clock = g;
			return &d->clocks[g - 1].clock;
		}
		if (is_clock(&d->clocks[l - 1], id, id_len))
			return &d->clocks[l - 1].clock;
	}
	if (!scratch(d, id_len + 1))
		return NULL;
	memcpy(d->scratch, id, id_len);
	d->scratch[id_len] = '\0';
	size_t k =
	    cab_name_index_find(&d->clock_idx, d->scratch, clock_name, d);
	if (k != (size_t)-1)
		return used(d, k);
	if (d->n_clocks == d->cap_clocks) {
		size_t cap = d->cap_clocks ? 2 * d->cap_clocks : 16;
		struct cab_dialect_clock *c =
		    realloc(d->clocks, cap * sizeof(*c));
		if (!c)
			goto oom;
		d->clocks = c;
		d->cap_clocks = cap;
	}
	char *copy = strdup(d->scratch);
	if (!copy)
		goto oom;
	d->clocks[d->n_clocks] = (struct cab_dialect_clock){
	    .meter = copy, .len = id_len, .clock = {0}};
	d->n_clocks++;
	if (!cab_name_index_add(&d->clock_idx, d->n_clocks, clock_name, d)) {
		free(copy);
		d->n_clocks--;
		goto oom;
	}
	return used(d, d->n_clocks - 1);
oom:
	d->is_oom = true;
	bad(d, "out of memory");
	return NULL;
}

/* ---- energy ------------------------------------------------------------ */

/* The kwh cell (not empty) into *v, or false with the message. */
static bool parse_kwh(struct cab_dialect *d, const struct cab_csv_field *f,
		      double *v)
{
	const char *s = f->s;
	size_t n = f->len;
	const char *comma = memchr(s, ',', n);
	const char *example = d->sep == ';' ? "0,125 or 0.125" : "0.125";
	if (comma && d->sep == ',') {
		bad(d,
		    "kwh '%.*s' has a decimal comma, but the columns are "
		    "separated by ',' (expected a point, like 0.125, or ';' "
		    "between the columns)",
		    SHOWN(n), s);
		return false;
	}
	if (comma && memchr(s, '.', n)) {
		bad(d,
		    "kwh '%.*s' has both a point and a comma (expected one "
		    "decimal mark and no thousands separator, like 0,125)",
		    SHOWN(n), s);
		return false;
	}
	if (comma) {
		if (!scratch(d, n))
			return false;
		memcpy(d->scratch, s, n);
		d->scratch[comma - s] = '.';
		if (memchr(comma + 1, ',', n - (size_t)(comma - s) - 1)) {
			bad(d,
			    "kwh '%.*s' is not a number (expected a decimal "
			    "like %s)",
			    SHOWN(n), s, example);
			return false;
		}
		s = d->scratch;
	}
	if (!cab_decimal_parse(s, n, v)) {
		bad(d,
		    _("kwh '%.*s' is not a number (expected a decimal like "
		      "%s)"),
		    SHOWN(n), f->s, example);
		return false;
	}
	if (!isfinite(*v)) {
		bad(d, "kwh '%.*s' is not finite (expected a decimal like %s)",
		    SHOWN(n), f->s, example);
		return false;
	}
	if (*v < 0) {
		bad(d, "kwh must be ≥ 0, got %.*s", SHOWN(n), f->s);
		return false;
	}
	if (*v > CAB_DIALECT_MAX_KWH) {
		bad(d,
		    "kwh %.*s is too large (expected at most 250000 kWh a "
		    "quarter-hour, 1 GW)",
		    SHOWN(n), f->s);
		return false;
	}
	*v += 0.0; /* -0 becomes 0 */
	return true;
}

/* ---- a row ------------------------------------------------------------- */

/* "expected 3 columns timestamp,meter,kwh, got N", with the header's own
 * names, and the decimal comma's hint in a ',' file. */
static enum cab_dialect_line wrong_columns(struct cab_dialect *d)
{
	const struct cab_csv_record *r = &d->rec;
	char cols[80];
	unsigned order[3];
	for (unsigned c = 0; c < 3; c++)
		order[d->col[c]] = c;
	snprintf(cols, sizeof(cols), "%s%c%s%c%s", d->names[order[0]], d->sep,
		 d->names[order[1]], d->sep, d->names[order[2]]);
	/* "…,0,5": a spreadsheet's decimal comma splits the energy in two;
	 * say so rather than just count. */
	const struct cab_csv_field *a = &r->f[r->n > 1 ? r->n - 2 : 0],
				   *b = &r->f[r->n - 1];
	bool is_decimal_comma = d->sep == ',' && r->n == 4 && d->col[2] == 2 &&
				a->len && b->len && a->s[a->len - 1] >= '0' &&
				a->s[a->len - 1] <= '9' && b->s[0] >= '0' &&
				b->s[0] <= '9';
	return bad(d, "expected 3 columns %s, got %zu%s", cols, r->n,
		   is_decimal_comma ? " (a decimal comma? write kwh with a "
				      "point, like 0.125)"
				    : "");
}

enum cab_dialect_line cab_dialect_row_slow(struct cab_dialect *d, const char *s,
					   size_t len,
					   struct cab_dialect_row *row)
{
	if (len && s[len - 1] == '\r')
		len--;
	const char *what = NULL;
	if (!cab_csv_split(s, len, d->sep, false, &d->rec, NULL, &what)) {
		d->is_oom = strcmp(what, "out of memory") == 0;
		return bad(d, "%s", what);
	}
	const struct cab_csv_record *r = &d->rec;
	bool is_blank = true;
	for (size_t i = 0; i < r->n && is_blank; i++)
		is_blank = r->f[i].len == 0;
	if (is_blank)
		return CAB_DIALECT_BLANK;
	if (r->n != 3)
		return wrong_columns(d);
	const struct cab_csv_field *ft = &r->f[d->col[0]],
				   *fm = &r->f[d->col[1]],
				   *fk = &r->f[d->col[2]];

	int64_t t;
	bool is_local;
	if (d->when_len && ft->len == d->when_len &&
	    memcmp(ft->s, d->when_key, ft->len) == 0) {
		t = d->when_t; /* parse_when's result depends on the text only
				*/
		is_local = d->when_local;
	} else if (!parse_when(d, ft->s, ft->len, &t, &is_local)) {
		return CAB_DIALECT_BAD;
	} else if (ft->len <= sizeof(d->when_key)) {
		memcpy(d->when_key, ft->s, ft->len);
		d->when_len = ft->len;
		d->when_t = t;
		d->when_local = is_local;
	}
	int form = is_local ? 2 : 1;
	if (d->form && d->form != form)
		return bad(d,
			   "timestamp '%.*s' %s UTC offset in a file whose "
			   "first timestamp has %s (expected the same form "
			   "on every line)",
			   SHOWN(ft->len), ft->s,
			   is_local ? "without" : "with a",
			   is_local ? "one" : "none");
	d->form = form;

	if (fm->len == 0)
		return bad(d, "meter is empty (" EXPECT_METER ")");
	if (fm->len > CAB_DIALECT_MAX_METER)
		return bad(d,
			   "meter is longer than %d bytes (" EXPECT_METER ")",
			   CAB_DIALECT_MAX_METER);
	for (size_t i = 0; i < fm->len; i++) {
		unsigned char c = (unsigned char)fm->s[i];
		if (c < 0x20 || c == 0x7f)
			return bad(d,
				   "meter contains control character 0x%02x "
				   "at byte %zu (" EXPECT_METER ")",
				   c, i + 1);
	}
	if (is_local) {
		struct cab_local_clock *c = clock_of(d, fm->s, fm->len);
		if (!c)
			return CAB_DIALECT_BAD;
		if (d->cand_n <= 0 || d->cand_wall != t) {
			d->cand_n = cab_time_local_candidates(t, d->cand);
			d->cand_wall = t;
		}
		if (d->is_part && !c->has_prev && d->cand_n == 2)
			d->is_dependent = true;
		int64_t utc;
		if (d->cand_n == 1) {
			/* one instant: what cab_time_local_in_order gives,
			 * without working the candidates out again */
			utc = d->cand[0];
			c->prev_utc = utc;
			c->has_prev = true;
		} else if (cab_time_local_in_order(c, t, &utc, &what) !=
			   CAB_OK) {
			return bad(d, "timestamp '%.*s': %s", SHOWN(ft->len),
				   ft->s, what);
		}
		t = utc;
	}
	if (t < CAB_DIALECT_MIN_S || t >= CAB_DIALECT_END_S)
		return bad(d,
			   "timestamp '%.*s' outside the years 2000 to 2099 "
			   "(expected a date of measurement)",
			   SHOWN(ft->len), ft->s);
	if (t % CAB_INTERVAL_S != 0)
		return bad(d,
			   "timestamp '%.*s' is not on a quarter-hour "
			   "(expected minutes 00, 15, 30 or 45 and 0 seconds)",
			   SHOWN(ft->len), ft->s);
	double v = NAN;
	if (fk->len && !parse_kwh(d, fk, &v))
		return CAB_DIALECT_BAD;
	row->t_s = t;
	row->meter = fm->s;
	row->meter_len = fm->len;
	row->kwh = v;
	return CAB_DIALECT_ROW;
}

void cab_dialect_release(struct cab_dialect *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_clocks; i++)
		free(d->clocks[i].meter);
	free(d->clocks);
	cab_name_index_release(&d->clock_idx);
	cab_csv_record_release(&d->rec);
	free(d->scratch);
	memset(d, 0, sizeof(*d));
}
