/*
 * fmt_dso.c — the grid operator's quarter-hour export (`dso-csv`, SPEC §7
 * and §8): one row per interval and register, e.g. Fluvius' "15 minute
 * totals" download in English or Dutch.
 *
 * Why: a community's net offtake and injection per quarter-hour come from
 * the grid operator's digital meter; this is what the operator bills, so
 * it must arrive exactly. The export gives one row per interval and
 * register (Offtake/Injection × Day/Night, Dutch Afname/Injectie ×
 * Dag/Nacht) in naive local Brussels time, with a decimal comma, a UTF-8
 * BOM and a validation status. We give the series `ID.offtake` and
 * `ID.injection` (ID = --meter): per interval the sum of the day and night
 * registers that have a row.
 *
 * Rules chosen:
 * - Columns are found by name (English or Dutch header), so an export
 *   with extra or reordered columns still reads; every row has as many
 *   fields as the header (a shorter row is a truncated file).
 * - Registers: only the four day/night registers. A "total" register next
 *   to day and night would count the same energy twice, and a reactive
 *   register is not energy we share, so any other register is an error
 *   rather than a guess.
 * - Status: Read/Valid/Gevalideerd → read, Estimated/Geschat → estimated,
 *   No consumption/Geen verbruik → 0 kWh read (the portal leaves the
 *   volume empty; a non-zero volume with it is a contradiction, refused).
 *   An empty volume with any other status is a missing value, never a
 *   zero. Per interval the registers that have a row are added; if one of
 *   them is missing the sum is unknown, so the interval is missing. An
 *   interval without any row stays missing.
 * - Volumes use a decimal comma; a decimal point is refused because
 *   "1.234" could mean 1234 or 1,234. Negative volumes
 *   are refused (both directions are counted positive).
 * - Local times: a run of consecutive rows with the same From is one
 *   interval seen through several registers, so the run is resolved once
 *   (cab_time_local_in_order). On the autumn day the portal lists each
 *   repeated local time twice in a row, summer occurrence first (02:00
 *   Offtake, 02:00 Injection, 02:00 Offtake, 02:00 Injection, …); a
 *   register seen again within a run of an ambiguous time takes the next
 *   occurrence. The Until column settles what it can: 02:45 until 02:00
 *   is the summer 02:45, 02:45 until 03:00 the winter one. A file that
 *   lists the whole repeated hour twice in time order works through the
 *   clock. A jump back of more than an hour (a file sorted by register)
 *   restarts the clock.
 * - One meter per file: if the export has an EAN column, every row must
 *   name the same EAN.
 *
 * Workload: a year is 140 k rows (~17 MB). One pass keeps each row as a
 * small record; at the end they are sorted by direction and interval
 * (n log n, and rows in any order cost the same) and each interval's sum
 * is put into the import's set in time order, so that set only grows at
 * its end. Rows are kept rather than put per register into the set
 * because cab_qhset_combine() replaces its destination, which would drop
 * what earlier files of the same import put there, and treats a missing
 * register as absent rather than as an unknown part of the sum.
 * Duplicates across files of one import (overlapping exports) are the
 * set's own error: one value per meter and interval.
 */
#include "engine/ingest/formats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"

/* Columns we read; the first N_REQUIRED must be present. */
enum dso_col {
	COL_FROM_DATE,
	COL_FROM_TIME,
	COL_UNTIL_DATE,
	COL_UNTIL_TIME,
	COL_REGISTER,
	COL_VOLUME,
	COL_STATUS,
	COL_UNIT, /* optional: checked when present */
	COL_EAN,  /* optional: one meter per file */
	COL_COUNT
};
#define N_REQUIRED 7

/* Header names by language: 0 English, 1 Dutch (compared ignoring case
 * and extra spaces). */
static const char *const col_names[2][COL_COUNT] = {
    {"From (date)", "From (time)", "Until (date)", "Until (time)", "Register",
     "Volume", "Validation status", "Unit", "EAN code"},
    {"Van datum", "Van tijdstip", "Tot datum", "Tot tijdstip", "Register",
     "Volume", "Validatiestatus", "Eenheid", "EAN"}};

#define EXPECT_HEADER                                                          \
	"expected the columns From (date), From (time), Until (date), Until "  \
	"(time), Register, Volume, Validation status, or in Dutch Van "        \
	"datum, Van tijdstip, Tot datum, Tot tijdstip, Register, Volume, "     \
	"Validatiestatus"
#define EXPECT_REGISTER                                                        \
	"expected Offtake Day, Offtake Night, Injection Day or Injection "     \
	"Night"
#define EXPECT_STATUS                                                          \
	"expected Read, Estimated or No consumption, in Dutch Gevalideerd, "   \
	"Geschat or Geen verbruik"
#define EXPECT_DATE "expected a date like 22/10/2023"
#define EXPECT_TIME "expected a time like 14:15:00"
#define EXPECT_VOLUME "expected a decimal comma like 0,173"

/* The four registers, offtake first: direction = index / 2. */
static const struct dso_register {
	const char *en; /* English name */
	const char *nl; /* Dutch name */
} registers[4] = {
    {"Offtake Day", "Afname Dag"},
    {"Offtake Night", "Afname Nacht"},
    {"Injection Day", "Injectie Dag"},
    {"Injection Night", "Injectie Nacht"},
};
static const char *const direction_suffix[2] = {".offtake", ".injection"};

enum dso_status { ST_READ, ST_ESTIMATED, ST_NO_CONSUMPTION };
static const struct {
	const char *name;     /* as the portal writes it */
	enum dso_status kind; /* meaning */
} statuses[] = {
    {"Read", ST_READ},
    {"Valid", ST_READ},
    {"Validated", ST_READ},
    {"Gevalideerd", ST_READ},
    {"Estimated", ST_ESTIMATED},
    {"Geschat", ST_ESTIMATED},
    {"No consumption", ST_NO_CONSUMPTION},
    {"Geen verbruik", ST_NO_CONSUMPTION},
};

/* A field of the current line (not NUL-terminated). */
struct field {
	const char *p; /* first byte */
	int n;	       /* length in bytes (lines are short; int for %.*s) */
};

#define MAX_FIELDS 64
#define MAX_LINE (1 << 20) /* longer lines are not an export's */
#define SHOW 40 /* at most this many bytes of a field quoted in a message */

/* One register row, kept until the file is read so that the rows of
 * each direction can be added per interval in time order. */
struct dso_rec {
	int64_t t_s;   /* UTC start of the interval */
	double kwh;    /* energy, NaN = missing */
	uint32_t line; /* source line */
	uint8_t reg;   /* index in registers[] */
	uint8_t q;     /* enum cab_quality */
};

/* State of one file's parse. */
struct dso {
	struct cab_ingest *ing;	      /* destination (borrowed) */
	const char *name;	      /* file name for messages (borrowed) */
	struct cab_err *err;	      /* where messages go (borrowed) */
	size_t col[COL_COUNT];	      /* field index of a column, or SIZE_MAX */
	size_t n_cols;		      /* fields in the header */
	struct cab_local_clock clock; /* places each run's From */
	bool has_run;		      /* run_* are set */
	int64_t run_wall;	 /* From of the current run, local "as UTC" */
	int64_t run_utc;	 /* its instant as the clock placed it */
	bool run_used[4][2];	 /* register × occurrence taken in the run */
	char ean[64];		 /* first data row's EAN (prefix) */
	int ean_len;		 /* its full length; -1 if not seen yet */
	long ean_line;		 /* line of that row */
	struct dso_rec *recs;	 /* rows read (owned) */
	size_t n_recs, cap_recs; /* used and allocated */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does f read as `want` (lower case, single spaces) ignoring case,
 * surrounding spaces and the width of runs of spaces? */
static bool same_words(struct field f, const char *want)
{
	int i = 0;
	while (i < f.n && is_space(f.p[i]))
		i++;
	int end = f.n;
	while (end > i && is_space(f.p[end - 1]))
		end--;
	for (; i < end; i++, want++) {
		if (*want == '\0')
			return false; /* f is longer (a NUL in f included) */
		if (is_space(f.p[i])) {
			if (*want != ' ')
				return false;
			while (i + 1 < end && is_space(f.p[i + 1]))
				i++;
		} else if (lower(f.p[i]) != lower(*want)) {
			return false;
		}
	}
	return *want == '\0';
}

static struct field trim(struct field f)
{
	while (f.n > 0 && is_space(f.p[0])) {
		f.p++;
		f.n--;
	}
	while (f.n > 0 && is_space(f.p[f.n - 1]))
		f.n--;
	return f;
}

/* Shown length of a field in a message. */
static int shown(struct field f)
{
	return f.n < SHOW ? f.n : SHOW;
}

/* Split line [p, p+n) at ';' into at most MAX_FIELDS fields; returns the
 * number of fields of the line (may exceed MAX_FIELDS). */
static size_t split(const char *p, size_t n, struct field *out)
{
	size_t k = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != ';')
			continue;
		if (k < MAX_FIELDS)
			out[k] = (struct field){p + start, (int)(i - start)};
		k++;
		start = i + 1;
	}
	return k;
}

/* A line of nothing but separators and spaces. */
static bool is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ';' && !is_space(p[i]))
			return false;
	return true;
}

/* Read 1..max digits at f.p[*i]. */
static bool digits(struct field f, int *i, int min, int max, int *out)
{
	int v = 0, k = 0;
	while (k < max && *i < f.n && f.p[*i] >= '0' && f.p[*i] <= '9') {
		v = v * 10 + (f.p[*i] - '0');
		(*i)++;
		k++;
	}
	*out = v;
	return k >= min;
}

/* "dd/mm/yyyy" or "dd-mm-yyyy" (day and month may have one digit) →
 * days since 1970-01-01. *what says why not. */
static bool parse_date(struct field f, int64_t *days, const char **what)
{
	f = trim(f);
	int i = 0, d, m, y;
	*what = "is not a date (" EXPECT_DATE ")";
	if (!digits(f, &i, 1, 2, &d) || i >= f.n ||
	    (f.p[i] != '/' && f.p[i] != '-'))
		return false;
	char sep = f.p[i++];
	if (!digits(f, &i, 1, 2, &m) || i >= f.n || f.p[i] != sep)
		return false;
	i++;
	if (!digits(f, &i, 4, 4, &y) || i != f.n)
		return false;
	/* A typo like 0023 would stretch a series over two thousand years
	 * of empty quarter-hours; digital meters date from this century. */
	if (y < 2000 || y > 2099) {
		*what = "is not between 2000 and 2099 (expected a date of the "
			"meter's readings)";
		return false;
	}
	if (d < 1 || d > cab_time_days_in_month(y, m)) {
		*what = "does not exist (expected a calendar date like "
			"22/10/2023)";
		return false;
	}
	*days = cab_time_days_from_civil(y, m, d);
	return true;
}

/* "HH:MM:SS" or "HH:MM" → seconds since midnight; 24:00 only when
 * allow_24 (an interval ending at midnight). */
static bool parse_time(struct field f, bool allow_24, int *secs)
{
	f = trim(f);
	int i = 0, h, m, s = 0;
	if (!digits(f, &i, 1, 2, &h) || i >= f.n || f.p[i++] != ':' ||
	    !digits(f, &i, 2, 2, &m))
		return false;
	if (i < f.n && (f.p[i++] != ':' || !digits(f, &i, 2, 2, &s)))
		return false;
	if (i != f.n || m > 59 || s > 59)
		return false;
	if (h > 23 && !(allow_24 && h == 24 && m == 0 && s == 0))
		return false;
	*secs = h * 3600 + m * 60 + s;
	return true;
}

/* Volume with a decimal comma: digits [',' digits]. Empty → *is_empty.
 * Returns NULL or what is wrong. At most 15 significant digits, so that
 * the value is the correctly rounded double (exact mantissa, one
 * division by an exact power of ten). */
static const char *parse_volume(struct field f, double *kwh, bool *is_empty)
{
	f = trim(f);
	*is_empty = f.n == 0;
	if (f.n == 0)
		return NULL;
	if (memchr(f.p, '.', (size_t)f.n))
		return "uses a decimal point (" EXPECT_VOLUME ")";
	if (f.p[0] == '-')
		return "is negative (expected an energy of 0 kWh or more)";
	uint64_t mant = 0;
	int sig = 0, frac = 0, n_digits = 0;
	bool in_frac = false;
	for (int i = 0; i < f.n; i++) {
		char c = f.p[i];
		if (c == ',' && !in_frac && n_digits > 0 && i + 1 < f.n) {
			in_frac = true;
			continue;
		}
		if (c < '0' || c > '9')
			return "is not a number (" EXPECT_VOLUME ")";
		n_digits++;
		if (mant == 0 && c == '0' && !in_frac)
			continue; /* leading zeros carry nothing */
		if (++sig > 15)
			return "has too many digits (expected at most 15)";
		mant = mant * 10 + (uint64_t)(c - '0');
		if (in_frac)
			frac++;
	}
	static const double pow10[16] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
					 1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
					 1e12, 1e13, 1e14, 1e15};
	*kwh = (double)mant / pow10[frac];
	return NULL;
}

/* "name:line: message" as bad input. */
static enum cab_status fail(struct dso *d, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum cab_status fail(struct dso *d, long line, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cab_err_at_line(d->err, CAB_EINPUT, d->name, line, "%s", msg);
}

static enum cab_status read_header(struct dso *d, const char *p, size_t n,
				   long line)
{
	struct field f[MAX_FIELDS];
	size_t nf = split(p, n, f);
	if (nf > MAX_FIELDS)
		return fail(d, line,
			    "header has %zu columns (expected at most "
			    "%d)",
			    nf, MAX_FIELDS);
	d->n_cols = nf;
	int hits[2] = {0, 0};
	for (int c = 0; c < COL_COUNT; c++) {
		d->col[c] = SIZE_MAX;
		for (size_t k = 0; k < nf; k++) {
			int lang = same_words(f[k], col_names[0][c])   ? 0
				   : same_words(f[k], col_names[1][c]) ? 1
								       : -1;
			if (lang < 0)
				continue;
			if (d->col[c] != SIZE_MAX)
				return fail(d, line,
					    "column '%.*s' appears twice "
					    "(expected each column once)",
					    shown(f[k]), f[k].p);
			d->col[c] = k;
			hits[lang]++;
		}
	}
	int lang = hits[1] > hits[0];
	for (int c = 0; c < N_REQUIRED; c++) {
		if (d->col[c] != SIZE_MAX)
			continue;
		/* "Register" and "Volume" alone say nothing. */
		if (hits[0] + hits[1] <= 2)
			return fail(d, line,
				    "header is not a grid operator's export "
				    "(" EXPECT_HEADER ")");
		return fail(d, line,
			    "header has no column '%s' (" EXPECT_HEADER ")",
			    col_names[lang][c]);
	}
	return CAB_OK;
}

static int find_register(struct field f)
{
	for (int r = 0; r < 4; r++)
		if (same_words(f, registers[r].en) ||
		    same_words(f, registers[r].nl))
			return r;
	return -1;
}

static int find_status(struct field f)
{
	for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++)
		if (same_words(f, statuses[s].name))
			return (int)statuses[s].kind;
	return -1;
}

/* One export must hold one meter: the same EAN on every row. */
static enum cab_status check_ean(struct dso *d, struct field f, long line)
{
	f = trim(f);
	int keep = f.n < (int)sizeof d->ean ? f.n : (int)sizeof d->ean;
	if (d->ean_len < 0) {
		memcpy(d->ean, f.p, (size_t)keep);
		d->ean_len = f.n;
		d->ean_line = line;
		return CAB_OK;
	}
	if (f.n == d->ean_len && memcmp(f.p, d->ean, (size_t)keep) == 0)
		return CAB_OK;
	return fail(d, line,
		    "EAN '%.*s' differs from '%.*s' on line %ld (expected one "
		    "meter per file: import each meter's export with its own "
		    "--meter)",
		    shown(f), f.p, d->ean_len < SHOW ? d->ean_len : SHOW,
		    d->ean, d->ean_line);
}

static enum cab_status add_rec(struct dso *d, struct dso_rec r)
{
	if (d->n_recs == d->cap_recs) {
		size_t cap = d->cap_recs ? 2 * d->cap_recs : 4096;
		struct dso_rec *t = realloc(d->recs, cap * sizeof *t);
		if (!t)
			return cab_err_add(d->err, CAB_ENOMEM, "out of memory");
		d->recs = t;
		d->cap_recs = cap;
	}
	d->recs[d->n_recs++] = r;
	return CAB_OK;
}

/* The instant of a row's From. fc[0..nfc) are its candidates (summer
 * first), ok[k] whether Until − From is a quarter-hour for fc[k]. */
static int64_t place(struct dso *d, int reg, const int64_t fc[2], int nfc,
		     const bool ok[2])
{
	int occ = 0;
	if (nfc == 2 && ok[0] && ok[1]) {
		/* Until does not tell: start at the run's occurrence and
		 * take the next one if this register already has it (the
		 * portal lists the repeated hour's two occurrences of a local
		 * time one after the other, summer first). */
		occ = fc[1] == d->run_utc;
		if (d->run_used[reg][occ] && occ == 0)
			occ = 1;
	} else if (nfc == 2) {
		occ = ok[1];
	}
	d->run_used[reg][occ] = true;
	return fc[occ];
}

/* A date and time column pair as local wall-clock seconds. */
static enum cab_status wall_time(struct dso *d, struct field date,
				 struct field time, const char *which,
				 bool allow_24, long line, int64_t *wall)
{
	int64_t days;
	int secs;
	const char *what;
	if (!parse_date(date, &days, &what))
		return fail(d, line, "%s date '%.*s' %s", which, shown(date),
			    date.p, what);
	if (!parse_time(time, allow_24, &secs))
		return fail(d, line,
			    "%s time '%.*s' is not a time of day (" EXPECT_TIME
			    ")",
			    which, shown(time), time.p);
	*wall = days * 86400 + secs;
	return CAB_OK;
}

static enum cab_status read_row(struct dso *d, const char *p, size_t n,
				long line)
{
	struct field f[MAX_FIELDS];
	size_t nf = split(p, n, f);
	if (nf != d->n_cols)
		return fail(d, line,
			    "row has %zu fields (expected %zu, one per column "
			    "of the header)",
			    nf, d->n_cols);
	enum cab_status st;
	if (d->col[COL_EAN] != SIZE_MAX &&
	    (st = check_ean(d, f[d->col[COL_EAN]], line)) != CAB_OK)
		return st;

	struct field fd = trim(f[d->col[COL_FROM_DATE]]);
	struct field ft = trim(f[d->col[COL_FROM_TIME]]);
	struct field ud = trim(f[d->col[COL_UNTIL_DATE]]);
	struct field ut = trim(f[d->col[COL_UNTIL_TIME]]);
	int64_t from_wall, until_wall;
	if ((st = wall_time(d, fd, ft, "from", false, line, &from_wall)) !=
		CAB_OK ||
	    (st = wall_time(d, ud, ut, "until", true, line, &until_wall)) !=
		CAB_OK)
		return st;
	if (from_wall % CAB_INTERVAL_S != 0)
		return fail(d, line,
			    "from time '%.*s' is not on a quarter-hour "
			    "(expected minutes 00, 15, 30 or 45)",
			    shown(ft), ft.p);

	struct field rf = trim(f[d->col[COL_REGISTER]]);
	int reg = find_register(rf);
	if (reg < 0)
		return fail(d, line,
			    "unknown register '%.*s' (" EXPECT_REGISTER ")",
			    shown(rf), rf.p);
	if (d->col[COL_UNIT] != SIZE_MAX) {
		struct field uf = trim(f[d->col[COL_UNIT]]);
		if (uf.n > 0 && !same_words(uf, "kwh"))
			return fail(d, line,
				    "unit '%.*s' is not kWh (expected volumes "
				    "in kWh)",
				    shown(uf), uf.p);
	}
	struct field vf = trim(f[d->col[COL_VOLUME]]);
	double kwh = NAN;
	bool is_empty;
	const char *what = parse_volume(vf, &kwh, &is_empty);
	if (what)
		return fail(d, line, "volume '%.*s' %s", shown(vf), vf.p, what);
	struct field sf = trim(f[d->col[COL_STATUS]]);
	int status = find_status(sf);
	if (status < 0)
		return fail(d, line,
			    "unknown validation status '%.*s' (" EXPECT_STATUS
			    ")",
			    shown(sf), sf.p);
	enum cab_quality q =
	    status == ST_ESTIMATED ? CAB_Q_ESTIMATED : CAB_Q_READ;
	if (status == ST_NO_CONSUMPTION) {
		if (!is_empty && kwh != 0)
			return fail(d, line,
				    "volume '%.*s' with status '%.*s' "
				    "(expected no volume or 0 when there was "
				    "no consumption)",
				    shown(vf), vf.p, shown(sf), sf.p);
		kwh = 0;
	} else if (is_empty) {
		/* The operator has no value: a hole, never a zero. */
		q = CAB_Q_MISSING;
	}

	/* Rows of one interval repeat its From for each register: the run
	 * is placed once, so a second register does not move the clock
	 * on to the winter hour. */
	if (!d->has_run || from_wall != d->run_wall) {
		/* Back by more than the repeated hour: a new pass over the
		 * period (a file sorted by register), not the autumn hour. */
		if (d->has_run && from_wall < d->run_wall - 3600)
			memset(&d->clock, 0, sizeof d->clock);
		if (cab_time_local_in_order(&d->clock, from_wall, &d->run_utc,
					    &what) != CAB_OK)
			return fail(d, line, "from %.*s %.*s: %s", shown(fd),
				    fd.p, shown(ft), ft.p, what);
		d->run_wall = from_wall;
		d->has_run = true;
		memset(d->run_used, 0, sizeof d->run_used);
	}
	int64_t fc[2], uc[2];
	int nfc = cab_time_local_candidates(from_wall, fc);
	int nuc = cab_time_local_candidates(until_wall, uc);
	if (nuc == 0)
		return fail(d, line,
			    "until %.*s %.*s: local time does not exist "
			    "(spring DST gap)",
			    shown(ud), ud.p, shown(ut), ut.p);
	bool ok[2] = {false, false};
	int64_t dur = uc[0] - fc[0];
	for (int i = 0; i < nfc; i++)
		for (int j = 0; j < nuc; j++)
			if (uc[j] - fc[i] == CAB_INTERVAL_S)
				ok[i] = true;
	if (!ok[0] && !ok[1]) {
		char len_text[48];
		if (dur <= 0)
			snprintf(len_text, sizeof len_text,
				 "does not end after it starts");
		else if (dur % 60 == 0)
			snprintf(len_text, sizeof len_text, "lasts %lld min",
				 (long long)(dur / 60));
		else
			snprintf(len_text, sizeof len_text, "lasts %lld s",
				 (long long)dur);
		return fail(d, line,
			    "interval from %.*s %.*s to %.*s %.*s %s "
			    "(expected a quarter-hour)",
			    shown(fd), fd.p, shown(ft), ft.p, shown(ud), ud.p,
			    shown(ut), ut.p, len_text);
	}
	int64_t t = place(d, reg, fc, nfc, ok);
	d->ing->rows++;
	return add_rec(d, (struct dso_rec){t, kwh, (uint32_t)line, (uint8_t)reg,
					   (uint8_t)q});
}

/* Direction, interval, register, line: each direction's rows of one
 * interval side by side, a duplicate right after its first. */
static int cmp_rec(const void *pa, const void *pb)
{
	const struct dso_rec *a = pa, *b = pb;
	if (a->reg / 2 != b->reg / 2)
		return a->reg / 2 < b->reg / 2 ? -1 : 1;
	if (a->t_s != b->t_s)
		return a->t_s < b->t_s ? -1 : 1;
	if (a->reg != b->reg)
		return a->reg < b->reg ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Add each direction's registers per interval into the import's set. */
static enum cab_status flush(struct dso *d)
{
	enum cab_status st = CAB_OK;
	char *meter[2] = {NULL, NULL};
	for (int dir = 0; dir < 2; dir++) {
		size_t len = strlen(d->ing->file_meter) +
			     strlen(direction_suffix[dir]) + 1;
		meter[dir] = malloc(len);
		if (!meter[dir]) {
			st = cab_err_add(d->err, CAB_ENOMEM, "out of memory");
			goto done;
		}
		snprintf(meter[dir], len, "%s%s", d->ing->file_meter,
			 direction_suffix[dir]);
	}
	if (d->n_recs) /* qsort's array must not be NULL, even empty */
		qsort(d->recs, d->n_recs, sizeof *d->recs, cmp_rec);
	for (size_t i = 0, j; i < d->n_recs; i = j) {
		const struct dso_rec *r = &d->recs[i];
		double sum = 0;
		int worst = CAB_Q_READ;
		long at = r->line;
		for (j = i; j < d->n_recs && d->recs[j].reg / 2 == r->reg / 2 &&
			    d->recs[j].t_s == r->t_s;
		     j++) {
			const struct dso_rec *x = &d->recs[j];
			if (j > i && x->reg == d->recs[j - 1].reg) {
				char ts[21];
				cab_time_format_utc(x->t_s, ts);
				st = fail(d, x->line,
					  "register '%s' appears twice for the "
					  "interval %s (first at %s:%lu; "
					  "expected one row per register and "
					  "interval)",
					  registers[x->reg].en, ts, d->name,
					  (unsigned long)d->recs[j - 1].line);
				goto done;
			}
			/* One unknown register makes the sum unknown. */
			if (x->q == CAB_Q_MISSING && worst != CAB_Q_MISSING)
				at = x->line;
			if (x->q > worst)
				worst = x->q;
			sum += x->kwh;
		}
		st = cab_qhset_put(d->ing->qh, meter[r->reg / 2], r->t_s,
				   worst == CAB_Q_MISSING ? NAN : sum,
				   (enum cab_quality)worst, CAB_QH_SET, d->name,
				   at, d->err);
		if (st != CAB_OK)
			goto done;
	}
done:
	free(meter[0]);
	free(meter[1]);
	return st;
}

enum cab_status cab_parse_dso_csv(struct cab_ingest *ing, const char *name,
				  const char *buf, size_t len,
				  struct cab_err *err)
{
	if (!ing->file_meter)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: the grid operator's export needs --meter "
		    "ID (expected the id the scenario uses)",
		    name);
	struct dso d = {.ing = ing, .name = name, .err = err, .ean_len = -1};
	enum cab_status st = CAB_OK;
	size_t pos = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	bool has_header = false;
	for (long line = 1; pos < len; line++) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *p = buf + pos;
		size_t n = end - pos;
		pos = end + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (is_blank(p, n))
			continue;
		if (n > MAX_LINE) {
			st = fail(&d, line,
				  "line of %zu bytes (expected a row of the "
				  "export)",
				  n);
			goto done;
		}
		st = has_header ? read_row(&d, p, n, line)
				: read_header(&d, p, n, line);
		if (st != CAB_OK)
			goto done;
		has_header = true;
	}
	if (!has_header) {
		st = cab_err_at_line(err, CAB_EINPUT, name, 1,
				     "empty file (" EXPECT_HEADER ")");
		goto done;
	}
	st = flush(&d);
done:
	free(d.recs);
	return st;
}

/* ---- the format's table ---- */

/* The export's column names, English or Dutch. */
static enum cab_sniff sniff_dso(const unsigned char *raw, size_t len,
				const char *head)
{
	return strstr(head, "From (date)") || strstr(head, "Van datum")
		   ? CAB_SNIFF_SIGNATURE
		   : CAB_SNIFF_NO;
}

const struct cab_format_ops cab_format_dso_csv = {
    .name = "dso-csv",
    .summary = "the grid operator's quarter-hour export: ID.offtake and "
	       "ID.injection",
    .parse = cab_parse_dso_csv,
    .sniff = sniff_dso,
    .needs_meter = true,
    .no_sum = "--sum: a grid operator's export is one meter with offtake "
	      "and injection, not phases to add (expected dso-csv without "
	      "--sum)",
};
