/*
 * fmt_power.c — power samples (W) from CSV and from the Flukso API:
 * `--format power-csv` and `flukso-csv` here, `flukso-json` in
 * fmt_flukso_json.c (SPEC §7–§8); the parser state they share is
 * power.h.
 *
 * Why: Flukso sensors and the tools around them (opengrid, the Flukso
 * API's savecsv) give power, not energy; these parsers only read and
 * check the samples and hand each one to the integrator (integ.c), which
 * owns the coverage and max-gap rules.
 *
 * Shapes read:
 * - power-csv, long: header `timestamp,meter,watts`, one sample per row;
 *   with --meter only that meter's rows are kept (the others are still
 *   checked), with --sum each meter becomes the part "ID#meter".
 * - power-csv, wide: header `timestamp…,<sensor>[,<sensor>…]` (opengrid's
 *   `timestamp_europe_brussels,064fe…`), one column of watts per sensor;
 *   --meter names a single column, --sum makes every column a part.
 * - flukso-csv: no header, `YYYY-mm-dd HH:MM:SS,watt`, naive local time,
 *   the meter is --meter.
 * - flukso-json: the API's `[[unix_ts, watt], …]`, in fmt_flukso_json.c.
 * Timestamps are ISO 8601 with Z or an offset, or naive Brussels local
 * time resolved in file order (the repeated autumn hour placed by
 * cab_time_local_in_order); one file uses one form. Watts: decimal point,
 * empty or nan = no reading, negative is an error. A UTF-8 BOM and CRLF
 * line ends are tolerated.
 *
 * Workload: a meter-year of 8-second samples is 3.9 M rows, so the row
 * path parses digits directly, caches the day number of the date and the
 * last meter name, and never allocates.
 */
#include "engine/ingest/formats.h"
#include "engine/ingest/power.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/decimal.h"

#define MAX_NAME 256 /* longest meter name (bytes, with "ID#") */
#define SHOWN(len) ((int)((len) > 40 ? 40 : (len)))

/* ---- numbers ---- */

static bool is_nan_word(const char *s, size_t len)
{
	return len == 3 && (s[0] | 32) == 'n' && (s[1] | 32) == 'a' &&
	       (s[2] | 32) == 'n';
}

static bool all_digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned)(s[i] - '0') > 9)
			return false;
	return true;
}

/* ---- the parser's state ---- */

static void pp_init(struct cab_pparser *p, struct cab_ingest *ing,
		    const char *name, struct cab_err *err)
{
	memset(p, 0, sizeof *p);
	p->ing = ing;
	p->name = name;
	p->err = err;
	p->cap_mark = cab_err_cap(err, CAB_POWER_MAX_PROBLEMS);
	p->is_capped = true;
}

static void problem(struct cab_pparser *p, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One input problem at `line` (0: the whole file). */
static void problem(struct cab_pparser *p, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		cab_err_at_line(p->err, CAB_EINPUT, p->name, line, "%s", msg);
	else
		cab_err_add(p->err, CAB_EINPUT, "%s: %s", p->name, msg);
	p->n_problems++;
}

/* ---- timestamps ---- */

static bool dig2(const char *s, int *v)
{
	unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');
	if (a > 9 || b > 9)
		return false;
	*v = (int)(a * 10 + b);
	return true;
}

static const char WHAT_SHAPE[] =
    "expected a timestamp like 2017-10-07 00:00:00+02:00, "
    "2017-10-07T00:00:00Z or naive local 2017-10-07 00:00:00";

/* Parse a timestamp field into a UTC instant (fractional seconds kept).
 * Returns false after reporting the problem at `line`. */
static bool parse_stamp(struct cab_pparser *p, const char *s, size_t len,
			long line, double *utc)
{
	const char *what = WHAT_SHAPE;
	int64_t days;
	int h, mi, sec = 0;
	size_t i = 16;
	if (len < 16 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    (s[10] != ' ' && s[10] != 'T' && s[10] != 't'))
		goto bad;
	if (p->has_date && memcmp(s, p->date_key, 10) == 0) {
		days = p->date_days;
	} else {
		int y1, y2, mo, d;
		if (!dig2(s, &y1) || !dig2(s + 2, &y2) || !dig2(s + 5, &mo) ||
		    !dig2(s + 8, &d))
			goto bad;
		int y = y1 * 100 + y2;
		if (mo < 1 || mo > 12 || d < 1 ||
		    d > cab_time_days_in_month(y, mo)) {
			what = "impossible date";
			goto bad;
		}
		days = cab_time_days_from_civil(y, mo, d);
		memcpy(p->date_key, s, 10);
		p->date_days = days;
		p->has_date = true;
	}
	if (!dig2(s + 11, &h) || !dig2(s + 14, &mi))
		goto bad;
	if (i < len && s[i] == ':') {
		if (len < 19 || !dig2(s + 17, &sec))
			goto bad;
		i = 19;
	}
	double frac = 0, scale = 0.1;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		for (; i < len && (unsigned)(s[i] - '0') < 10; i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
		if (i == start)
			goto bad;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		what = "impossible time of day";
		goto bad;
	}
	bool has_zone = false;
	int offset_s = 0;
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		has_zone = true;
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
		has_zone = true;
		i++;
		if (i + 2 > len || !dig2(s + i, &oh))
			goto bad;
		i += 2;
		if (i < len && s[i] == ':')
			i++;
		if (i < len) {
			if (i + 2 > len || !dig2(s + i, &om))
				goto bad;
			i += 2;
		}
		if (oh > 23 || om > 59) {
			what = "impossible UTC offset";
			goto bad;
		}
		offset_s = sign * (oh * 3600 + om * 60);
	}
	if (i != len)
		goto bad;
	enum cab_zone_form form = has_zone ? CAB_FORM_ZONED : CAB_FORM_NAIVE;
	if (p->form == CAB_FORM_UNKNOWN)
		p->form = form;
	if (form != p->form) {
		problem(p, line,
			has_zone
			    ? "timestamp with a UTC offset in a file whose "
			      "first timestamp has none (expected the "
			      "same form on every line)"
			    : "timestamp without UTC offset in a file "
			      "whose first timestamp has one (expected "
			      "the same form on every line)");
		return false;
	}
	int64_t wall = days * 86400 + h * 3600 + mi * 60 + sec;
	int64_t t;
	if (has_zone) {
		t = wall - offset_s;
	} else if (p->has_wall && wall == p->last_wall) {
		/* Rows of several meters at one local time are one instant. */
		t = p->last_utc;
	} else {
		const char *w = NULL;
		if (cab_time_local_in_order(&p->clock, wall, &t, &w) !=
		    CAB_OK) {
			problem(p, line, "'%.*s': %s", SHOWN(len), s, w);
			return false;
		}
		p->has_wall = true;
		p->last_wall = wall;
		p->last_utc = t;
	}
	*utc = (double)t + frac;
	return true;
bad:
	problem(p, line, "'%.*s' is not a valid timestamp (%s)", SHOWN(len), s,
		what);
	return false;
}

/* Parse a watts field: NaN for no reading. Reports and returns false on
 * a bad value. */
static bool parse_watts(struct cab_pparser *p, const char *s, size_t len,
			long line, double *w)
{
	if (len == 0 || is_nan_word(s, len)) {
		*w = NAN;
		return true;
	}
	if (!cab_decimal_parse(s, len, w) || !isfinite(*w)) {
		problem(p, line,
			"'%.*s' is not a number of watts (expected a decimal "
			"like 155.9, or nan for no reading)",
			SHOWN(len), s);
		return false;
	}
	if (*w < 0) {
		problem(p, line,
			"power %.*s W is negative (expected power ≥ 0 W)",
			SHOWN(len), s);
		return false;
	}
	*w += 0.0; /* -0 becomes +0 */
	return true;
}

/* ---- lines and fields ---- */

struct cursor {
	const char *p, *end;	/* unread text */
	long lineno;		/* number of the last line returned */
	struct cab_ingest *ing; /* for the residency hint, or NULL */
	const char *hinted;	/* where the last hint was given */
};

#define HINT_STEP ((size_t)4 << 20) /* residency hint every 4 MiB */

static void cursor_init(struct cursor *c, const char *buf, size_t len)
{
	c->p = buf;
	c->end = buf + len;
	c->lineno = 0;
	c->ing = NULL;
	c->hinted = buf;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

/* Next line without its end (LF or CRLF); false at the end of text. */
static bool next_line(struct cursor *c, const char **s, size_t *len)
{
	if (c->p >= c->end)
		return false;
	if (c->ing && (size_t)(c->p - c->hinted) >= HINT_STEP) {
		cab_ingest_done_upto(c->ing, c->p);
		c->hinted = c->p;
	}
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	const char *e = nl ? nl : c->end;
	*s = c->p;
	*len = (size_t)(e - c->p);
	if (*len && (*s)[*len - 1] == '\r')
		(*len)--;
	c->p = nl ? nl + 1 : c->end;
	c->lineno++;
	return true;
}

#define MAX_FIELDS 64

struct field {
	const char *s; /* start */
	size_t len;    /* bytes */
};

/* Split a line at commas into f[0..max); returns the field count (which
 * may exceed max: the extra fields are not stored). */
static size_t split(const char *s, size_t len, struct field *f, size_t max)
{
	size_t n = 0;
	const char *end = s + len;
	for (;;) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		const char *e = c ? c : end;
		if (n < max)
			f[n] = (struct field){s, (size_t)(e - s)};
		n++;
		if (!c)
			return n;
		s = c + 1;
	}
}

/* A wrong field count; hints at a decimal comma when the extra fields
 * look like the halves of numbers. */
static void wrong_count(struct cab_pparser *p, long line, const struct field *f,
			size_t n, size_t want, size_t first_value,
			const char *shape)
{
	if (n > want && n <= MAX_FIELDS && n > first_value + 1) {
		bool digits = true;
		for (size_t k = first_value; k < n && digits; k++)
			digits = all_digits(f[k].s, f[k].len) ||
				 (k == first_value && f[k].len > 1 &&
				  f[k].s[0] == '-' &&
				  all_digits(f[k].s + 1, f[k].len - 1));
		if (digits) {
			const struct field *a = &f[first_value],
					   *b = &f[first_value + 1];
			problem(p, line,
				"%zu fields, expected %zu (%s); a decimal "
				"comma? write %.*s.%.*s, not %.*s,%.*s",
				n, want, shape, SHOWN(a->len), a->s,
				SHOWN(b->len), b->s, SHOWN(a->len), a->s,
				SHOWN(b->len), b->s);
			return;
		}
	}
	problem(p, line, "%zu field%s, expected %zu (%s)", n, n == 1 ? "" : "s",
		want, shape);
}

/* ---- power-csv ---- */

/* Series name for a sensor or meter `s` of the file into out (size
 * MAX_NAME); false if too long. */
static bool series_name(const struct cab_import_opts *o, const char *s,
			size_t len, bool is_single_column, char *out)
{
	int n;
	if (o->sum)
		n = snprintf(out, MAX_NAME, "%s#%.*s", o->meter, (int)len, s);
	else if (o->meter && is_single_column)
		n = snprintf(out, MAX_NAME, "%s", o->meter);
	else
		n = snprintf(out, MAX_NAME, "%.*s", (int)len, s);
	return n >= 0 && n < MAX_NAME;
}

/* Rows of the long shape, after the header. */
static void long_rows(struct cab_pparser *p, struct cursor *c)
{
	const struct cab_import_opts *o = p->ing->opts;
	char last_raw[MAX_NAME]; /* the file's meter name of the last row */
	size_t last_raw_len = SIZE_MAX;
	char series[MAX_NAME]; /* and its series name */
	bool is_kept = false;
	size_t kept = 0, other = 0;
	const char *s;
	size_t len;
	while (!must_stop(p) && next_line(c, &s, &len)) {
		if (len == 0)
			continue;
		struct field f[MAX_FIELDS];
		size_t n = split(s, len, f, MAX_FIELDS);
		if (n != 3) {
			wrong_count(p, c->lineno, f, n, 3, 2,
				    "timestamp,meter,watts");
			continue;
		}
		double t, w;
		bool ok = parse_stamp(p, f[0].s, f[0].len, c->lineno, &t);
		ok &= parse_watts(p, f[2].s, f[2].len, c->lineno, &w);
		if (f[1].len == 0 || f[1].len >= MAX_NAME - 1) {
			problem(p, c->lineno,
				"meter name is empty or too long (expected 1 "
				"to %d bytes)",
				MAX_NAME - 2);
			continue;
		}
		if (f[1].len != last_raw_len ||
		    memcmp(f[1].s, last_raw, f[1].len) != 0) {
			memcpy(last_raw, f[1].s, f[1].len);
			last_raw_len = f[1].len;
			is_kept = !o->meter || o->sum ||
				  (strlen(o->meter) == f[1].len &&
				   memcmp(o->meter, f[1].s, f[1].len) == 0);
			if (!series_name(o, f[1].s, f[1].len, true, series)) {
				last_raw_len = SIZE_MAX;
				problem(p, c->lineno,
					"meter name too long (expected at most "
					"%d bytes)",
					MAX_NAME - 2);
				continue;
			}
		}
		if (!ok)
			continue;
		if (!is_kept) {
			other++;
			continue;
		}
		kept++;
		took(p, cab_ingest_power(p->ing, series, t, w, p->name,
					 c->lineno, p->err));
	}
	if (!must_stop(p) && o->meter && !o->sum && kept == 0 && other > 0)
		problem(p, 0,
			"no rows of meter '%s' (expected --meter to name a "
			"meter of the file)",
			o->meter);
}

/* Rows of the wide shape: one column of watts per sensor. */
static void wide_rows(struct cab_pparser *p, struct cursor *c,
		      char (*names)[MAX_NAME], size_t n_sensors,
		      const char *shape)
{
	const char *s;
	size_t len;
	size_t want = n_sensors + 1;
	while (!must_stop(p) && next_line(c, &s, &len)) {
		if (len == 0)
			continue;
		struct field f[MAX_FIELDS];
		size_t n = split(s, len, f, MAX_FIELDS);
		if (n != want) {
			wrong_count(p, c->lineno, f, n, want, 1, shape);
			continue;
		}
		double t;
		if (!parse_stamp(p, f[0].s, f[0].len, c->lineno, &t)) {
			for (size_t k = 1; k < n; k++) {
				double w;
				parse_watts(p, f[k].s, f[k].len, c->lineno, &w);
			}
			continue;
		}
		for (size_t k = 1; k < n && !must_stop(p); k++) {
			double w;
			if (parse_watts(p, f[k].s, f[k].len, c->lineno, &w))
				took(p, cab_ingest_power(p->ing, names[k - 1],
							 t, w, p->name,
							 c->lineno, p->err));
		}
	}
}

static bool field_is(const struct field *f, const char *word)
{
	return f->len == strlen(word) && memcmp(f->s, word, f->len) == 0;
}

enum cab_status cab_parse_power_csv(struct cab_ingest *ing, const char *name,
				    const char *buf, size_t len,
				    struct cab_err *err)
{
	struct cab_pparser p;
	pp_init(&p, ing, name, err);
	ing->label_default = CAB_LABEL_START;
	const struct cab_import_opts *o = ing->opts;
	if (o->sum && !o->meter) {
		problem(&p, 0,
			"--sum needs the meter whose parts the sensors "
			"are (expected --meter ID)");
		return pp_status(&p);
	}
	struct cursor c;
	cursor_init(&c, buf, len);
	c.ing = ing;
	const char *s;
	size_t n;
	if (!next_line(&c, &s, &n) || n == 0) {
		problem(&p, 1,
			"no header (expected timestamp,meter,watts or "
			"timestamp,<sensor>[,<sensor>…])");
		return pp_status(&p);
	}
	struct field f[MAX_FIELDS];
	size_t nf = split(s, n, f, MAX_FIELDS);
	if (nf == 3 && field_is(&f[0], "timestamp") &&
	    field_is(&f[1], "meter") && field_is(&f[2], "watts")) {
		long_rows(&p, &c);
		return pp_status(&p);
	}
	/* Wide shape: the first column's name only has to say it is a
	 * time (pandas writes the index name, e.g. timestamp_europe_
	 * brussels); the other names are sensors, unless they are the words
	 * of another shape (a canonical readings file, a typo). */
	bool is_wide = nf >= 2 && nf <= MAX_FIELDS && f[0].len >= 9 &&
		       memcmp(f[0].s, "timestamp", 9) == 0;
	for (size_t k = 1; is_wide && k < nf; k++)
		is_wide = f[k].len > 0 && !field_is(&f[k], "meter") &&
			  !field_is(&f[k], "watts") && !field_is(&f[k], "kwh");
	if (!is_wide) {
		problem(&p, 1,
			"unknown header '%.*s' (expected timestamp,meter,watts "
			"or timestamp,<sensor>[,<sensor>…])",
			SHOWN(n), s);
		return pp_status(&p);
	}
	size_t n_sensors = nf - 1;
	if (o->meter && !o->sum && n_sensors > 1) {
		problem(&p, 1,
			"%zu sensor columns for one --meter (expected one "
			"column, or --sum to add them as parts of '%s')",
			n_sensors, o->meter);
		return pp_status(&p);
	}
	char(*names)[MAX_NAME] = malloc(n_sensors * sizeof *names);
	if (!names) {
		p.hard = cab_err_add(err, CAB_ENOMEM, "out of memory");
		return pp_status(&p);
	}
	for (size_t k = 0; k < n_sensors; k++) {
		const struct field *fk = &f[k + 1];
		if (!series_name(o, fk->s, fk->len, n_sensors == 1, names[k])) {
			problem(&p, 1,
				"sensor name too long (expected at most "
				"200 bytes)");
			goto done;
		}
		for (size_t j = 1; j <= k; j++)
			if (f[j].len == fk->len &&
			    memcmp(f[j].s, fk->s, fk->len) == 0) {
				problem(&p, 1,
					"sensor '%.*s' appears twice in the "
					"header (expected one column per "
					"sensor)",
					SHOWN(fk->len), fk->s);
				goto done;
			}
	}
	wide_rows(&p, &c, names, n_sensors,
		  "timestamp and one value per sensor");
done:
	free(names);
	return pp_status(&p);
}

/* ---- flukso-csv ---- */

/* Start a Flukso file (power.h). */
bool cab_flukso_start(struct cab_pparser *p, struct cab_ingest *ing,
		      const char *name, struct cab_err *err)
{
	pp_init(p, ing, name, err);
	ing->label_default = CAB_LABEL_END;
	if (ing->file_meter)
		return true;
	problem(p, 0,
		"the file does not name its sensor (expected --meter ID)");
	return false;
}

enum cab_status cab_parse_flukso_csv(struct cab_ingest *ing, const char *name,
				     const char *buf, size_t len,
				     struct cab_err *err)
{
	struct cab_pparser p;
	if (!cab_flukso_start(&p, ing, name, err))
		return pp_status(&p);
	char names[1][MAX_NAME];
	int k = snprintf(names[0], MAX_NAME, "%s", ing->file_meter);
	if (k < 0 || k >= MAX_NAME) {
		problem(&p, 0,
			"meter name too long (expected at most %d bytes)",
			MAX_NAME - 1);
		return pp_status(&p);
	}
	struct cursor c;
	cursor_init(&c, buf, len);
	c.ing = ing;
	wide_rows(&p, &c, names, 1, "timestamp,watt");
	return pp_status(&p);
}

/* ---- the formats' tables ---- */

/* The header's first word; csv's header, also "timestamp…", comes first
 * in the registry and wins. */
static enum cab_sniff sniff_power_csv(const unsigned char *raw, size_t len,
				      const char *head)
{
	return strncmp(head, "timestamp", 9) ? CAB_SNIFF_NO : CAB_SNIFF_SHAPE;
}

/* A Flukso savecsv row: "YYYY-mm-dd HH:MM:SS,". */
static enum cab_sniff sniff_flukso_csv(const unsigned char *raw, size_t len,
				       const char *head)
{
	int y, mo, d, h, mi, s;
	char c;
	return sscanf(head, "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi,
		      &s, &c) == 7 &&
		       c == ','
		   ? CAB_SNIFF_SHAPE
		   : CAB_SNIFF_NO;
}

const struct cab_format_ops cab_format_power_csv = {
    .name = "power-csv",
    .summary = "power samples in watts at any spacing: timestamp,meter,watts "
	       "or one column per sensor",
    .parse = cab_parse_power_csv,
    .sniff = sniff_power_csv,
};

const struct cab_format_ops cab_format_flukso_csv = {
    .name = "flukso-csv",
    .summary = "a Flukso sensor's savecsv: YYYY-mm-dd HH:MM:SS,watt (one "
	       "sensor)",
    .parse = cab_parse_flukso_csv,
    .sniff = sniff_flukso_csv,
    .needs_meter = true,
    .is_one_sensor = true,
};
