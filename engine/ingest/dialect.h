/*
 * dialect.h — the one readings parser's rules: a readings CSV in any of
 * the dialects of SPEC §11, header and rows (internal to engine/ingest/:
 * the scenario's readings, readings_csv.c, and `import --format csv`,
 * fmt_csv.c, both read their lines through it).
 *
 * Why: the canonical file `timestamp,meter,kwh` is what cabine writes;
 * what a facilitator saves from LibreOffice or Excel in Belgium has a
 * UTF-8 BOM, CRLF, `;` between columns and a decimal comma, a French or
 * Dutch header in any case and order, local times without offset
 * (`2024-03-05 10:00:00`, `05/03/2024 10:00`). Both readers accept exactly
 * the same files with the same values and say the same thing about a bad
 * line, because both ask this module.
 *
 * Rules (docs/store.md): the header names three columns, each one of
 * timestamp|horodatage|tijdstip, meter|compteur, kwh (ASCII case ignored,
 * spaces around a name ignored), separated by `,` or `;`; cells may be
 * quoted (RFC 4180). A timestamp is ISO 8601 with Z or an offset, or a
 * local Brussels time `YYYY-MM-DD[T ]HH:MM[:SS]` or `D/M/YYYY H:MM[:SS]`
 * (day first; `/`, `.` or `-` between the date's parts); one file uses
 * either zoned or local times. A local time is resolved per meter in file
 * order: the repeated autumn hour is summer time the first time a meter
 * reaches it, winter time after; a time in the spring gap is an error.
 * kwh is a decimal ≥ 0 and at most 250,000 (1 GW for a quarter-hour),
 * with a decimal point, or in a `;` file a point or a comma (never both:
 * no thousands separator); an empty kwh cell is a known hole (missing).
 * Timestamps start a quarter-hour of the years 2000 to 2099; a meter id is
 * 1 to 255 bytes without control characters. A line of separators only is
 * an empty line.
 *
 * Workload: 35 M rows for a year of a thousand meters. Rows of a file
 * whose columns are `,`-separated in the canonical order take the inline
 * fast path below (the usual timestamp shape "YYYY-MM-DDTHH:MM:SSZ" parsed
 * by hand, a repeated timestamp reused and the last date's day number
 * cached, the Clinger decimal; cab_dialect_fast_at finds the line's end
 * while it reads the number, so a canonical row is read in one pass);
 * every other row, and every row the fast path would refuse, goes through
 * cab_dialect_row_slow, which decides and words the problem. The fast path
 * accepts only rows the slow path accepts, with the same values (checked
 * by the fuzz target fuzz_readings). A file split for threads
 * (readings_par.c) reads each part with a dialect of its own
 * (cab_dialect_fork).
 *
 * Ownership: struct cab_dialect is embedded zeroed, set up by
 * cab_dialect_header() and released with cab_dialect_release(); a row's
 * meter and the message text are borrowed until the next call.
 */
#ifndef CABINE_DIALECT_H
#define CABINE_DIALECT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/decimal.h"
#include "engine/base/nameidx.h"
#include "engine/ingest/csvtok.h"

#define CAB_DIALECT_MAX_KWH 250000.0 /* per quarter-hour: 1 GW */
#define CAB_DIALECT_MAX_METER 255    /* bytes of a meter id */
/* Instants a reading may have: 2000-01-01T00:00:00Z to 2100-01-01 (UTC
 * seconds); the same bounds as the power formats (ingest.h). */
#define CAB_DIALECT_MIN_S INT64_C(946684800)
#define CAB_DIALECT_END_S INT64_C(4102444800)

/* What a line is. */
enum cab_dialect_line {
	CAB_DIALECT_ROW = 0, /* a valid row: see struct cab_dialect_row */
	CAB_DIALECT_BLANK,   /* empty, or separators only */
	CAB_DIALECT_BAD	     /* a problem: cab_dialect.msg says which */
};

/* A valid row. */
struct cab_dialect_row {
	int64_t t_s;	   /* start of its quarter-hour, UTC */
	const char *meter; /* meter id (borrowed, not NUL-terminated) */
	size_t meter_len;  /* bytes in meter */
	double kwh;	   /* ≥ 0, or NaN for an empty cell (a known hole) */
};

/* A meter's clock for local times (dialect.c). */
struct cab_dialect_clock {
	char *meter;		      /* owned, NUL-terminated */
	size_t len;		      /* strlen(meter) */
	size_t next;		      /* index + 1 of the clock used after it */
	struct cab_local_clock clock; /* its last resolved instant */
};

struct cab_dialect {
	char sep;	   /* ',' or ';' */
	bool is_fast;	   /* ',' and the columns in canonical order: rows may
			      take the fast path */
	unsigned col[3];   /* column index of timestamp, meter and kwh */
	char names[3][24]; /* the header's names of those columns, shown in
			      messages (at most 23 bytes) */
	int form;	   /* timestamps so far: 0 none, 1 zoned, 2 local */
	char date_key[10]; /* fast path: "YYYY-MM-DD" of date_days */
	int64_t date_days; /* its day number */
	bool has_date;	   /* date_key is valid */
	char ts_key[20];   /* fast path: the last timestamp it read */
	int64_t ts_t;	   /* its instant */
	bool has_ts;	   /* ts_key is valid */
	bool is_part; /* a part of a file split for threads (readings_par.c):
			 the meters' clocks before it are unknown */
	bool is_dependent; /* is_part, and a local time of the repeated autumn
			      hour met a meter's first row in the part: its
			      meaning depended on the lines before the part */
	struct cab_csv_record rec;	  /* the slow path's fields */
	struct cab_dialect_clock *clocks; /* local times: one per meter */
	size_t n_clocks, cap_clocks;	  /* used / allocated in clocks */
	struct cab_name_index clock_idx;  /* clocks by meter */
	size_t last_clock;		  /* index + 1 of the last clock used */
	/* The slow path's caches (rows sorted by time repeat a timestamp
	 * once per meter): the last timestamp cell read and what it gave,
	 * the last local time's UTC candidates. */
	char when_key[32];  /* the cell's text */
	size_t when_len;    /* bytes in when_key, 0: none */
	int64_t when_t;	    /* its instant or wall clock */
	bool when_local;    /* it is a local time */
	int64_t cand_wall;  /* wall clock of cand */
	int64_t cand[2];    /* its UTC instants (cab_time_local_candidates) */
	int cand_n;	    /* how many, ≤ 0: to work out */
	char *scratch;	    /* a meter id or number being rewritten */
	size_t scratch_cap; /* bytes allocated in scratch */
	bool is_oom;	    /* an allocation failed (msg says so) */
	char msg[480];	    /* the last problem, without "file:line: " */
};

/* Read the header line s[0..len) (a UTF-8 BOM at its start is skipped, a
 * final CR dropped). False with d->msg set when it is not a readings
 * header. */
bool cab_dialect_header(struct cab_dialect *d, const char *s, size_t len);

/* A dialect for another part of the same file (readings_par.c): from's
 * header (separator, columns, names), with the timestamps' form `form`
 * (0, or what the file's first row set) and no clock; `is_part` says the
 * clocks before the part are unknown. */
void cab_dialect_fork(struct cab_dialect *to, const struct cab_dialect *from,
		      int form, bool is_part);

/* Does the text begin with a readings header line (any dialect)? For the
 * import's sniffer; s need not be NUL-terminated. */
bool cab_dialect_is_header(const char *s, size_t len);

/* Parse the data line s[0..len) (without its line feed; a final CR is
 * dropped). */
enum cab_dialect_line cab_dialect_row_slow(struct cab_dialect *d, const char *s,
					   size_t len,
					   struct cab_dialect_row *row);

void cab_dialect_release(struct cab_dialect *d);

/* Two digits at s, or false. */
static inline bool cab_dialect_two(const char *s, int *v)
{
	unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');
	if (a > 9 || b > 9)
		return false;
	*v = (int)(a * 10 + b);
	return true;
}

/* The fast path's timestamp: the 20 bytes "YYYY-MM-DDTHH:MM:SSZ" at s
 * into *t (a repeated one, as in a file sorted by time, reused as is; the
 * last date's day number cached), or false when the slow path must
 * decide. */
static inline bool cab_dialect_fast_ts(struct cab_dialect *d, const char *s,
				       int64_t *t)
{
	uint64_t a[2], b[2];
	uint32_t a4, b4;
	memcpy(a, s, 16);
	memcpy(&a4, s + 16, 4);
	memcpy(b, d->ts_key, 16);
	memcpy(&b4, d->ts_key + 16, 4);
	if (d->has_ts && ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a4 ^ b4)) == 0) {
		*t = d->ts_t;
		return true;
	}
	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return false;
	int64_t days;
	if (d->has_date && memcmp(s, d->date_key, 10) == 0) {
		days = d->date_days;
	} else {
		int y1, y2, mo, dd;
		if (!cab_dialect_two(s, &y1) || !cab_dialect_two(s + 2, &y2) ||
		    !cab_dialect_two(s + 5, &mo) ||
		    !cab_dialect_two(s + 8, &dd) || mo < 1 || mo > 12 ||
		    dd < 1 || dd > cab_time_days_in_month(y1 * 100 + y2, mo))
			return false;
		days = cab_time_days_from_civil(y1 * 100 + y2, mo, dd);
		memcpy(d->date_key, s, 10);
		d->date_days = days;
		d->has_date = true;
	}
	int hh, mi, ss;
	if (!cab_dialect_two(s + 11, &hh) || !cab_dialect_two(s + 14, &mi) ||
	    !cab_dialect_two(s + 17, &ss) || hh > 23 || mi > 45 || mi % 15 ||
	    ss)
		return false;
	int64_t v = days * 86400 + hh * 3600 + mi * 60;
	if (v < CAB_DIALECT_MIN_S || v >= CAB_DIALECT_END_S)
		return false;
	memcpy(d->ts_key, s, 20);
	d->ts_t = v;
	d->has_ts = true;
	*t = v;
	return true;
}

/* The fast path: the canonical shape "YYYY-MM-DDTHH:MM:SSZ,meter,kwh"
 * with every rule of the slow path met; false for anything else (the
 * slow path then decides). Touches only the timestamp caches and
 * d->form. */
static inline bool cab_dialect_fast(struct cab_dialect *d, const char *s,
				    size_t len, struct cab_dialect_row *row)
{
	if (len && s[len - 1] == '\r')
		len--;
	const char *end = s + len;
	const char *c1 = memchr(s, ',', len);
	if (!c1 || c1 - s != 20 || d->form == 2)
		return false;
	const char *c2 = memchr(c1 + 1, ',', (size_t)(end - c1 - 1));
	if (!c2 || memchr(c2 + 1, ',', (size_t)(end - c2 - 1)))
		return false;
	int64_t t;
	if (!cab_dialect_fast_ts(d, s, &t))
		return false;
	const char *id = c1 + 1, *num = c2 + 1;
	size_t id_len = (size_t)(c2 - id), num_len = (size_t)(end - num);
	if (id_len == 0 || id_len > CAB_DIALECT_MAX_METER || id[0] == '"')
		return false;
	for (size_t i = 0; i < id_len; i++)
		if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
			return false;
	double v;
	if (!cab_decimal_parse(num, num_len, &v) || !(v >= 0) ||
	    !(v <= CAB_DIALECT_MAX_KWH))
		return false;
	d->form = 1;
	row->t_s = t;
	row->meter = id;
	row->meter_len = id_len;
	row->kwh = v + 0.0; /* -0 becomes 0 */
	return true;
}

/* The fast path on a whole line, tokenizer and number in one pass: the
 * line at s (the text ends at end, no terminator needed) when it is
 * "YYYY-MM-DDTHH:MM:SSZ,meter,D[.D]" with at most 15 digits in all and
 * ends with "\n", "\r\n" or the end of the text. Returns the start of the
 * next line, or NULL: then the line is read as before (its text up to
 * the line feed through cab_dialect_row). Accepts only rows
 * cab_dialect_fast accepts, with the same values (≤ 15 digits: the
 * integer is exact and one division rounds it, as cab_decimal_parse
 * does; checked by fuzz_readings). */
static inline const char *cab_dialect_fast_at(struct cab_dialect *d,
					      const char *s, const char *end,
					      struct cab_dialect_row *row)
{
	static const double p10[16] = {1e0,  1e1,  1e2,	 1e3, 1e4,  1e5,
				       1e6,  1e7,  1e8,	 1e9, 1e10, 1e11,
				       1e12, 1e13, 1e14, 1e15};
	if (end - s < 24 || s[20] != ',' || d->form == 2)
		return NULL;
	int64_t t;
	if (!cab_dialect_fast_ts(d, s, &t))
		return NULL;
	const char *id = s + 21, *q = id;
	if (*id == '"')
		return NULL;
	while (q < end && *q != ',') {
		unsigned char c = (unsigned char)*q;
		if (c < 0x20 || c == 0x7f)
			return NULL;
		q++;
	}
	size_t id_len = (size_t)(q - id);
	if (q == end || id_len == 0 || id_len > CAB_DIALECT_MAX_METER)
		return NULL;
	const char *num = ++q;
	uint64_t m = 0;
	while (q < end && (unsigned)(*q - '0') < 10)
		m = m * 10 + (uint64_t)(*q++ - '0');
	size_t n_int = (size_t)(q - num), n_frac = 0;
	if (n_int == 0)
		return NULL;
	if (q < end && *q == '.') {
		const char *f = ++q;
		while (q < end && (unsigned)(*q - '0') < 10)
			m = m * 10 + (uint64_t)(*q++ - '0');
		n_frac = (size_t)(q - f);
		if (n_frac == 0)
			return NULL;
	}
	if (n_int + n_frac > 15)
		return NULL;
	const char *next;
	if (q == end)
		next = end;
	else if (*q == '\n')
		next = q + 1;
	else if (*q == '\r' && (q + 1 == end || q[1] == '\n'))
		next = q + 1 == end ? end : q + 2;
	else
		return NULL;
	double v = n_frac ? (double)m / p10[n_frac] : (double)m;
	if (!(v <= CAB_DIALECT_MAX_KWH))
		return NULL;
	d->form = 1;
	row->t_s = t;
	row->meter = id;
	row->meter_len = id_len;
	row->kwh = v;
	return next;
}

/* A data line: the fast path when it applies, else the slow one. */
static inline enum cab_dialect_line cab_dialect_row(struct cab_dialect *d,
						    const char *s, size_t len,
						    struct cab_dialect_row *row)
{
	if (d->is_fast && cab_dialect_fast(d, s, len, row))
		return CAB_DIALECT_ROW;
	return cab_dialect_row_slow(d, s, len, row);
}

#endif
