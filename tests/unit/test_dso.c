/*
 * test_dso.c — the grid operator's quarter-hour export (dso-csv): the two
 * real Fluvius samples (English and Dutch) checked against a reference
 * computed here line by line, hand-read intervals placed on their UTC
 * instant, the autumn DST hour in both layouts, every error message with
 * its line, and several exports of one import adding up.
 *
 * Tests run from the repository root; the samples live next to the
 * repository in tests/data/samples/ (copied from ../shared/data/samples with
 * their SOURCES.md, so that a clean clone tests alone).
 */
#include "engine/ingest/ingest.h"

#include <stdint.h>

#include "cabine/time.h"
#include "harness.h"

#define SAMPLES "tests/data/samples/"
#define EN_FILE SAMPLES "fluvius_mijnfluvius_export_EN_15min.csv"
#define NL_FILE SAMPLES "fluvius_mijnfluvius_export_NL_15min.csv"

#define EN_HEADER                                                              \
	"From (date);From (time);Until (date);Until (time);EAN code;Meter;"    \
	"Meter type;Register;Volume;Unit;Validation status;Description\r\n"
#define NL_HEADER                                                              \
	"Van datum;Van tijdstip;Tot datum;Tot tijdstip;EAN;Meter;Metertype;"   \
	"Register;Volume;Eenheid;Validatiestatus\n"
/* The middle columns of an English row, for building test files. */
#define EAN ";=\"123\";1SAG;Digital meter;"

/* Whole file into a NUL-terminated buffer (caller frees); NULL if absent. */
static char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "  cannot open %s\n", path);
		return NULL;
	}
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 65536 + 1 > cap) {
			cap = cap ? 2 * cap : 1 << 20;
			char *t = realloc(buf, cap);
			if (!t)
				abort();
			buf = t;
		}
		size_t got = fread(buf + *len, 1, 65536, f);
		*len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* A set with one parse context for meter `meter` (NULL: no --meter). */
struct fixture {
	struct cab_qhset *qh;
	struct cab_ingest ing;
	struct cab_err err;
};

static void fx_init(struct fixture *fx, const char *meter)
{
	if (cab_qhset_new(&fx->qh, NULL) != CAB_OK)
		abort();
	memset(&fx->ing, 0, sizeof fx->ing);
	fx->ing.qh = fx->qh;
	fx->ing.file_meter = meter;
	cab_err_init(&fx->err);
}

static void fx_release(struct fixture *fx)
{
	cab_qhset_free(fx->qh);
	cab_err_release(&fx->err);
}

static enum cab_status fx_parse(struct fixture *fx, const char *name,
				const char *text)
{
	return cab_parse_dso_csv(&fx->ing, name, text, strlen(text), &fx->err);
}

/* The series `meter` (zeroed if absent). */
static struct cab_qh_series series(const struct fixture *fx, const char *meter)
{
	struct cab_qh_series s;
	memset(&s, 0, sizeof s);
	size_t i = cab_qhset_find(fx->qh, meter);
	if (i != (size_t)-1)
		cab_qhset_series(fx->qh, i, &s);
	return s;
}

/* Value and quality at UTC instant t; NaN/missing outside the series. */
static double at(const struct cab_qh_series *s, int64_t t, int *q)
{
	if (!s->n || t < s->t0_s || t >= s->t0_s + (int64_t)s->n * 900) {
		*q = CAB_Q_MISSING;
		return NAN;
	}
	size_t k = (size_t)((t - s->t0_s) / 900);
	*q = s->quality[k];
	return s->kwh[k];
}

/* UTC instant of "YYYY-MM-DDTHH:MM:SSZ". */
static int64_t utc(const char *iso)
{
	int64_t t = 0;
	if (cab_time_parse_iso(iso, strlen(iso), &t, NULL) != CAB_OK)
		abort();
	return t;
}

/* ---- the real samples against a reference computed here ------------ */

/* What the file says, read without the parser: every row's register
 * (column 8), volume (9) and status (11), split by direction. */
struct reference {
	size_t rows[2];	     /* rows per direction (offtake, injection) */
	double kwh[2];	     /* sum of the volumes */
	size_t estimated[2]; /* rows with an estimated status */
	size_t missing[2];   /* empty volume, status not "no consumption" */
};

static void reference(const char *buf, struct reference *r)
{
	memset(r, 0, sizeof *r);
	char *copy = strdup(buf), *save = NULL;
	bool header = true;
	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (header) {
			header = false;
			continue;
		}
		char *col[12] = {0};
		int n = 0;
		for (char *p = line; n < 12; n++) {
			col[n] = p;
			char *semi = strchr(p, ';');
			if (!semi)
				break;
			*semi = '\0';
			p = semi + 1;
		}
		if (n < 10)
			continue; /* blank */
		int dir = strncmp(col[7], "Offtake", 7) == 0 ||
				  strncmp(col[7], "Afname", 6) == 0
			      ? 0
			      : 1;
		r->rows[dir]++;
		for (char *c = col[8]; *c; c++)
			if (*c == ',')
				*c = '.';
		r->kwh[dir] += atof(col[8]);
		if (!strcmp(col[10], "Estimated") ||
		    !strcmp(col[10], "Geschat"))
			r->estimated[dir]++;
		if (!col[8][0] && strcmp(col[10], "No consumption") != 0 &&
		    strcmp(col[10], "Geen verbruik") != 0)
			r->missing[dir]++;
	}
	free(copy);
}

/* Quarter-hours of series s on local day y-m-d. */
static int day_count(const struct cab_qh_series *s, int y, int m, int d)
{
	int n = 0;
	struct cab_civil c;
	for (size_t k = 0; k < s->n; k++) {
		cab_time_to_local(s->t0_s + (int64_t)k * 900, &c);
		n += c.year == y && c.month == m && c.day == d;
	}
	return n;
}

/* The parsed series of a direction agree with the reference, and every
 * local day holds the number of quarter-hours it has (92/96/100). */
static void check_against_reference(const struct fixture *fx,
				    const struct reference *ref, int dir,
				    const char *meter)
{
	struct cab_qh_series s = series(fx, meter);
	CHECK_INT(s.n, ref->rows[dir]);
	double sum = 0;
	size_t est = 0, miss = 0;
	for (size_t k = 0; k < s.n; k++) {
		if (s.quality[k] == CAB_Q_MISSING)
			miss++;
		else
			sum += s.kwh[k];
		est += s.quality[k] == CAB_Q_ESTIMATED;
		CHECK(isnan(s.kwh[k]) == (s.quality[k] == CAB_Q_MISSING));
	}
	CHECK_NEAR(sum, ref->kwh[dir], 1e-9);
	CHECK_INT(est, ref->estimated[dir]);
	CHECK_INT(miss, ref->missing[dir]);

	/* Quarter-hours per local day, from the first day to the last. */
	struct cab_civil c;
	int per_day[400] = {0};
	cab_time_to_local(s.t0_s, &c);
	int64_t day0 = cab_time_days_from_civil(c.year, c.month, c.day);
	for (size_t k = 0; k < s.n; k++) {
		cab_time_to_local(s.t0_s + (int64_t)k * 900, &c);
		int64_t d = cab_time_days_from_civil(c.year, c.month, c.day);
		if (d - day0 >= 0 && d - day0 < 400)
			per_day[d - day0]++;
	}
	for (int64_t d = 0; d < 400 && per_day[d]; d++) {
		int y, m, dd;
		cab_time_civil_from_days(day0 + d, &y, &m, &dd);
		CHECK_INT(per_day[d], cab_time_local_day_intervals(y, m, dd));
	}
}

/* Fluvius EN, 22/10/2023 00:00 – 01/01/2024 00:00 local: 70 days of 96
 * quarter-hours and 29/10/2023 (autumn DST) of 100 → 6820 intervals,
 * one row each per direction. */
TEST(english_sample_matches_a_line_by_line_reference)
{
	size_t len;
	char *buf = load(EN_FILE, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	struct reference ref;
	reference(buf, &ref);
	CHECK_INT(ref.rows[0], 6820);
	CHECK_INT(ref.rows[1], 6820);

	struct fixture fx;
	fx_init(&fx, "h01");
	CHECK_INT(cab_parse_dso_csv(&fx.ing, "en.csv", buf, len, &fx.err),
		  CAB_OK);
	CHECK_STR(fx.err.text ? fx.err.text : "", "");
	CHECK_INT(fx.ing.rows, 13640);
	CHECK_INT(cab_qhset_n_meters(fx.qh), 2);
	check_against_reference(&fx, &ref, 0, "h01.offtake");
	check_against_reference(&fx, &ref, 1, "h01.injection");

	struct cab_qh_series off = series(&fx, "h01.offtake");
	struct cab_qh_series inj = series(&fx, "h01.injection");
	CHECK_INT(off.t0_s, utc("2023-10-21T22:00:00Z"));
	int q;
	/* line 2: 22/10 00:00 CEST, Offtake Night, empty, No consumption. */
	CHECK_NEAR(at(&off, utc("2023-10-21T22:00:00Z"), &q), 0, 0);
	CHECK_INT(q, CAB_Q_READ);
	/* line 4: 22/10 00:15 CEST Offtake Night 0,173. */
	CHECK_NEAR(at(&off, utc("2023-10-21T22:15:00Z"), &q), 0.173, 1e-12);
	/* line 250: 23/10 07:00 CEST Offtake Day 0,191. */
	CHECK_NEAR(at(&off, utc("2023-10-23T05:00:00Z"), &q), 0.191, 1e-12);
	/* line 1085: 27/10 15:15 CEST Injection Day 1,086. */
	CHECK_NEAR(at(&inj, utc("2023-10-27T13:15:00Z"), &q), 1.086, 1e-12);
	/* 29/10/2023, lines 1360-1384: 01:45 CEST; 02:00 twice (0,276 summer,
	 * 0,261 winter); 02:45 until 02:00 (0,295, summer) and 02:45 until
	 * 03:00 (0,286, winter); 03:00 CET 0,283. */
	CHECK_NEAR(at(&off, utc("2023-10-28T23:45:00Z"), &q), 0.284, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T00:00:00Z"), &q), 0.276, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T00:15:00Z"), &q), 0.286, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T00:30:00Z"), &q), 0.269, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T00:45:00Z"), &q), 0.295, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T01:00:00Z"), &q), 0.261, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T01:15:00Z"), &q), 0.268, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T01:30:00Z"), &q), 0.273, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T01:45:00Z"), &q), 0.286, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-10-29T02:00:00Z"), &q), 0.283, 1e-12);
	CHECK_INT(q, CAB_Q_READ);
	/* 4 × 25 on the autumn day, 4 × 24 around it. */
	CHECK_INT(day_count(&off, 2023, 10, 29), 100);
	CHECK_INT(day_count(&inj, 2023, 10, 29), 100);
	CHECK_INT(day_count(&off, 2023, 10, 28), 96);
	CHECK_INT(day_count(&off, 2023, 10, 30), 96);
	/* last line: 31/12 23:45 CET Offtake Night 0,211. */
	CHECK_NEAR(at(&off, utc("2023-12-31T22:45:00Z"), &q), 0.211, 1e-12);
	CHECK_INT(off.t0_s + (int64_t)off.n * 900, utc("2023-12-31T23:00:00Z"));
	fx_release(&fx);
	free(buf);
}

/* Fluvius NL, 12-10-2021 – 31-10-2021 (the autumn DST day, 100
 * quarter-hours): 19 × 96 + 100 = 1924 intervals; LF, no final newline,
 * no Description column, many empty volumes (Geen verbruik). */
TEST(dutch_sample_matches_a_line_by_line_reference)
{
	size_t len;
	char *buf = load(NL_FILE, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	struct reference ref;
	reference(buf, &ref);
	CHECK_INT(ref.rows[0], 1924);
	CHECK_INT(ref.estimated[0], 354);

	struct fixture fx;
	fx_init(&fx, "h02");
	CHECK_INT(cab_parse_dso_csv(&fx.ing, "nl.csv", buf, len, &fx.err),
		  CAB_OK);
	CHECK_STR(fx.err.text ? fx.err.text : "", "");
	CHECK_INT(fx.ing.rows, 3848);
	check_against_reference(&fx, &ref, 0, "h02.offtake");
	check_against_reference(&fx, &ref, 1, "h02.injection");

	struct cab_qh_series off = series(&fx, "h02.offtake");
	CHECK_INT(off.t0_s, utc("2021-10-11T22:00:00Z"));
	int q;
	/* line 62: 12-10 07:30 CEST Afname Dag 0,067 Gevalideerd. */
	CHECK_NEAR(at(&off, utc("2021-10-12T05:30:00Z"), &q), 0.067, 1e-12);
	CHECK_INT(q, CAB_Q_READ);
	/* line 250: 13-10 07:00 CEST Afname Dag 0,005 Geschat. */
	CHECK_NEAR(at(&off, utc("2021-10-13T05:00:00Z"), &q), 0.005, 1e-12);
	CHECK_INT(q, CAB_Q_ESTIMATED);
	/* 31-10-2021 lines 3666-3681: the repeated hour, all Geen verbruik:
	 * eight read zeros from 00:00 to 01:45 UTC. */
	for (int k = 0; k < 8; k++) {
		CHECK_NEAR(at(&off, utc("2021-10-31T00:00:00Z") + k * 900, &q),
			   0, 0);
		CHECK_INT(q, CAB_Q_READ);
	}
	CHECK_INT(day_count(&off, 2021, 10, 31), 100);
	CHECK_INT(day_count(&off, 2021, 10, 30), 96);
	CHECK_INT(off.t0_s + (int64_t)off.n * 900, utc("2021-10-31T23:00:00Z"));
	fx_release(&fx);
	free(buf);
}

/* ---- the autumn hour, synthetic ------------------------------------- */

/* 29/10/2023: 02:00-03:00 local happens twice. Offtake values 1..8 and
 * injection 11..18 in time order; both layouts must give the eight
 * quarter-hours 00:00 … 01:45 UTC in order. */
static void check_autumn_hour(const char *text, size_t n)
{
	struct fixture fx;
	fx_init(&fx, "m");
	CHECK_INT(fx_parse(&fx, "dst.csv", text), CAB_OK);
	CHECK_STR(fx.err.text ? fx.err.text : "", "");
	struct cab_qh_series off = series(&fx, "m.offtake");
	struct cab_qh_series inj = series(&fx, "m.injection");
	CHECK_INT(off.n, n);
	CHECK_INT(inj.n, n);
	CHECK_INT(off.t0_s, utc("2023-10-29T00:00:00Z"));
	for (size_t k = 0; k < off.n && k < n; k++) {
		CHECK_NEAR(off.kwh[k], (double)(k + 1), 0);
		CHECK_NEAR(inj.kwh[k], (double)(k + 11), 0);
	}
	fx_release(&fx);
}

#define ROW(from, until, reg, vol)                                             \
	"29/10/2023;" from ";29/10/2023;" until EAN reg ";" vol ";kWh;Read;"   \
	"\r\n"

/* The file: EN_HEADER then rows; returned in a static buffer. */
static const char *with_header(const char *const *rows, size_t n)
{
	static char buf[8192];
	strcpy(buf, EN_HEADER);
	for (size_t i = 0; i < n; i++)
		strcat(buf, rows[i]);
	return buf;
}

/* As the portal writes it: each local time twice in a row, summer
 * first; 02:45 is told apart by its Until. */
TEST(autumn_hour_as_the_portal_lists_it)
{
	static const char *const rows[] = {
	    ROW("02:00:00", "02:15:00", "Offtake Night", "1"),
	    ROW("02:00:00", "02:15:00", "Injection Night", "11"),
	    ROW("02:00:00", "02:15:00", "Offtake Night", "5"),
	    ROW("02:00:00", "02:15:00", "Injection Night", "15"),
	    ROW("02:15:00", "02:30:00", "Offtake Night", "2"),
	    ROW("02:15:00", "02:30:00", "Injection Night", "12"),
	    ROW("02:15:00", "02:30:00", "Offtake Night", "6"),
	    ROW("02:15:00", "02:30:00", "Injection Night", "16"),
	    ROW("02:30:00", "02:45:00", "Offtake Night", "3"),
	    ROW("02:30:00", "02:45:00", "Injection Night", "13"),
	    ROW("02:30:00", "02:45:00", "Offtake Night", "7"),
	    ROW("02:30:00", "02:45:00", "Injection Night", "17"),
	    ROW("02:45:00", "02:00:00", "Offtake Night", "4"),
	    ROW("02:45:00", "02:00:00", "Injection Night", "14"),
	    ROW("02:45:00", "03:00:00", "Offtake Night", "8"),
	    ROW("02:45:00", "03:00:00", "Injection Night", "18"),
	};
	check_autumn_hour(with_header(rows, sizeof rows / sizeof *rows), 8);
}

/* The whole hour in time order, then again. */
TEST(autumn_hour_listed_twice_in_time_order)
{
	static const char *const rows[] = {
	    ROW("02:00:00", "02:15:00", "Offtake Night", "1"),
	    ROW("02:00:00", "02:15:00", "Injection Night", "11"),
	    ROW("02:15:00", "02:30:00", "Offtake Night", "2"),
	    ROW("02:15:00", "02:30:00", "Injection Night", "12"),
	    ROW("02:30:00", "02:45:00", "Offtake Night", "3"),
	    ROW("02:30:00", "02:45:00", "Injection Night", "13"),
	    ROW("02:45:00", "02:00:00", "Offtake Night", "4"),
	    ROW("02:45:00", "02:00:00", "Injection Night", "14"),
	    ROW("02:00:00", "02:15:00", "Offtake Night", "5"),
	    ROW("02:00:00", "02:15:00", "Injection Night", "15"),
	    ROW("02:15:00", "02:30:00", "Offtake Night", "6"),
	    ROW("02:15:00", "02:30:00", "Injection Night", "16"),
	    ROW("02:30:00", "02:45:00", "Offtake Night", "7"),
	    ROW("02:30:00", "02:45:00", "Injection Night", "17"),
	    ROW("02:45:00", "03:00:00", "Offtake Night", "8"),
	    ROW("02:45:00", "03:00:00", "Injection Night", "18"),
	};
	check_autumn_hour(with_header(rows, sizeof rows / sizeof *rows), 8);
}

/* All offtake rows, then all injection rows: the clock starts again
 * when the From jumps back more than an hour (03:15 → 02:00); 03:00 and
 * 03:15 CET are 02:00 and 02:15 UTC, values 9, 10 and 19, 20. */
TEST(autumn_hour_in_a_file_sorted_by_register)
{
	static const char *const rows[] = {
	    ROW("02:00:00", "02:15:00", "Offtake Night", "1"),
	    ROW("02:00:00", "02:15:00", "Offtake Night", "5"),
	    ROW("02:15:00", "02:30:00", "Offtake Night", "2"),
	    ROW("02:15:00", "02:30:00", "Offtake Night", "6"),
	    ROW("02:30:00", "02:45:00", "Offtake Night", "3"),
	    ROW("02:30:00", "02:45:00", "Offtake Night", "7"),
	    ROW("02:45:00", "02:00:00", "Offtake Night", "4"),
	    ROW("02:45:00", "03:00:00", "Offtake Night", "8"),
	    ROW("03:00:00", "03:15:00", "Offtake Night", "9"),
	    ROW("03:15:00", "03:30:00", "Offtake Night", "10"),
	    ROW("02:00:00", "02:15:00", "Injection Night", "11"),
	    ROW("02:00:00", "02:15:00", "Injection Night", "15"),
	    ROW("02:15:00", "02:30:00", "Injection Night", "12"),
	    ROW("02:15:00", "02:30:00", "Injection Night", "16"),
	    ROW("02:30:00", "02:45:00", "Injection Night", "13"),
	    ROW("02:30:00", "02:45:00", "Injection Night", "17"),
	    ROW("02:45:00", "02:00:00", "Injection Night", "14"),
	    ROW("02:45:00", "03:00:00", "Injection Night", "18"),
	    ROW("03:00:00", "03:15:00", "Injection Night", "19"),
	    ROW("03:15:00", "03:30:00", "Injection Night", "20"),
	};
	check_autumn_hour(with_header(rows, sizeof rows / sizeof *rows), 10);
}

/* Spring day 26/03/2023: 01:45 CET until 03:00 CEST is one quarter-hour
 * (00:45-01:00 UTC); 03:00 CEST is 01:00 UTC. */
TEST(spring_day_interval_across_the_gap_is_a_quarter_hour)
{
	struct fixture fx;
	fx_init(&fx, "m");
	CHECK_INT(fx_parse(&fx, "s.csv",
			   EN_HEADER
			   "26/03/2023;01:45:00;26/03/2023;03:00:00" EAN
			   "Offtake Night;0,100;kWh;Read;\r\n"
			   "26/03/2023;03:00:00;26/03/2023;03:15:00" EAN
			   "Offtake Night;0,200;kWh;Read;\r\n"),
		  CAB_OK);
	struct cab_qh_series off = series(&fx, "m.offtake");
	int q;
	CHECK_INT(off.n, 2);
	CHECK_NEAR(at(&off, utc("2023-03-26T00:45:00Z"), &q), 0.1, 1e-12);
	CHECK_NEAR(at(&off, utc("2023-03-26T01:00:00Z"), &q), 0.2, 1e-12);
	fx_release(&fx);
}

/* ---- registers, statuses, volumes ----------------------------------- */

/* Day and night rows of one interval add up (0,1 + 0,25 = 0,35, worst
 * quality estimated); a missing register makes the interval missing even
 * if the other has a value; No consumption is a read 0; an empty Read is
 * missing; registers match ignoring case and spaces; columns found by
 * name in any order. */
TEST(registers_add_per_interval_and_missing_parts_make_it_missing)
{
	struct fixture fx;
	fx_init(&fx, "m");
	CHECK_INT(
	    fx_parse(
		&fx, "r.csv",
		"Register;Volume;Validation status;From (date);From "
		"(time);Until (date);Until (time)\n"
		"offtake  DAY;0,1;Read;20/11/2023;10:00;20/11/2023;10:15\n"
		" Offtake Night ;0,25;estimated;20/11/2023;10:00;20/11/"
		"2023;10:15\n"
		"Offtake Day;;Read;20/11/2023;10:15;20/11/2023;10:30\n"
		"Offtake Night;0,3;Read;20/11/2023;10:15;20/11/2023;10:30\n"
		"Offtake Day;;No consumption;20/11/2023;10:30;20/11/"
		"2023;10:45\n"
		";;;;;;\n"
		"\n"
		"Offtake Day;;Estimated;20/11/2023;10:45;20/11/2023;11:00\n"
		"Offtake Day;12,5;Read;20/11/2023;11:30;20/11/2023;11:45\n"),
	    CAB_OK);
	CHECK_STR(fx.err.text ? fx.err.text : "", "");
	CHECK_INT(fx.ing.rows, 7);
	struct cab_qh_series s = series(&fx, "m.offtake");
	CHECK_INT(s.n, 7); /* 09:00 … 10:30 UTC */
	CHECK_INT(cab_qhset_find(fx.qh, "m.injection"), (size_t)-1);
	int q;
	int64_t t = utc("2023-11-20T09:00:00Z");
	CHECK_NEAR(at(&s, t, &q), 0.35, 1e-12);
	CHECK_INT(q, CAB_Q_ESTIMATED);
	CHECK(isnan(at(&s, t + 900, &q)));
	CHECK_INT(q, CAB_Q_MISSING);
	CHECK_INT(s.line[1], 4); /* the empty Offtake Day row */
	CHECK_NEAR(at(&s, t + 1800, &q), 0, 0);
	CHECK_INT(q, CAB_Q_READ);
	CHECK(isnan(at(&s, t + 2700, &q)));
	CHECK(isnan(at(&s, t + 3600, &q))); /* no row at all */
	CHECK_NEAR(at(&s, t + 5400, &q), 12.5, 1e-12);
	fx_release(&fx);
}

/* Two monthly exports of one import add to the same series; the same
 * interval in both is the set's duplicate error naming both files. */
TEST(consecutive_exports_of_one_import_add_up)
{
	struct fixture fx;
	fx_init(&fx, "m");
	CHECK_INT(fx_parse(&fx, "nov.csv",
			   EN_HEADER
			   "30/11/2023;23:45:00;01/12/2023;00:00:00" EAN
			   "Offtake Night;0,4;kWh;Read;\r\n"),
		  CAB_OK);
	CHECK_INT(fx_parse(&fx, "dec.csv",
			   EN_HEADER
			   "01/12/2023;00:00:00;01/12/2023;00:15:00" EAN
			   "Offtake Night;0,5;kWh;Read;\r\n"),
		  CAB_OK);
	struct cab_qh_series s = series(&fx, "m.offtake");
	CHECK_INT(s.n, 2);
	CHECK_NEAR(s.kwh[0], 0.4, 1e-12);
	CHECK_NEAR(s.kwh[1], 0.5, 1e-12);
	/* An overlapping export that agrees is accepted (docs/store.md)… */
	CHECK_INT(fx_parse(&fx, "dec2.csv",
			   EN_HEADER
			   "01/12/2023;00:00:00;01/12/2023;00:15:00" EAN
			   "Offtake Night;0,5;kWh;Read;\r\n"),
		  CAB_OK);
	/* … one that disagrees is an error naming both lines. */
	CHECK_INT(fx_parse(&fx, "dec2.csv",
			   EN_HEADER
			   "01/12/2023;00:00:00;01/12/2023;00:15:00" EAN
			   "Offtake Night;0,6;kWh;Read;\r\n"),
		  CAB_EINPUT);
	CHECK_STR(fx.err.text,
		  "dec2.csv:2: meter m.offtake has a second value for the "
		  "interval 2023-11-30T23:00:00Z (first at dec.csv:2; expected "
		  "one value per meter and interval)\n");
	fx_release(&fx);
}

/* ---- every error with its line ---------------------------------------- */

#define R(d, t, d2, t2, reg, vol, st)                                          \
	d ";" t ";" d2 ";" t2 EAN reg ";" vol ";kWh;" st ";\r\n"
#define GOOD                                                                   \
	R("20/11/2023", "10:00:00", "20/11/2023", "10:15:00", "Offtake Day",   \
	  "0,1", "Read")

static const struct {
	const char *text; /* the file */
	const char *msg;  /* the exact message */
} bad_cases[] = {
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Reactive Day", "0,1", "Read"),
     "x.csv:3: unknown register 'Reactive Day' (expected Offtake Day, "
     "Offtake Night, Injection Day or Injection Night)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Total", "0,1", "Read"),
     "x.csv:3: unknown register 'Offtake Total' (expected Offtake Day, "
     "Offtake Night, Injection Day or Injection Night)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Day", "0,1", "Guessed"),
     "x.csv:3: unknown validation status 'Guessed' (expected Read, "
     "Estimated or No consumption, in Dutch Gevalideerd, Geschat or Geen "
     "verbruik)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Day", "0.173", "Read"),
     "x.csv:3: volume '0.173' uses a decimal point (expected a decimal "
     "comma like 0,173)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Day", "1.234,5", "Read"),
     "x.csv:3: volume '1.234,5' uses a decimal point (expected a decimal "
     "comma like 0,173)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Day", "-0,1", "Read"),
     "x.csv:3: volume '-0,1' is negative (expected an energy of 0 kWh or "
     "more)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Day", "0,1a", "Read"),
     "x.csv:3: volume '0,1a' is not a number (expected a decimal comma "
     "like 0,173)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:30:00",
		      "Offtake Day", "0,5", "No consumption"),
     "x.csv:3: volume '0,5' with status 'No consumption' (expected no "
     "volume or 0 when there was no consumption)\n"},
    {EN_HEADER GOOD "20/11/2023;10:15:00;20/11/2023;10:30:00" EAN
		    "Offtake Day;0,1\r\n",
     "x.csv:3: row has 9 fields (expected 12, one per column of the "
     "header)\n"},
    {EN_HEADER "\r\n" GOOD GOOD,
     "x.csv:4: register 'Offtake Day' appears twice for the interval "
     "2023-11-20T09:00:00Z (first at x.csv:3; expected one row per "
     "register and interval)\n"},
    {EN_HEADER GOOD R("20/11/2023", "10:15:00", "20/11/2023", "10:45:00",
		      "Offtake Day", "0,1", "Read"),
     "x.csv:3: interval from 20/11/2023 10:15:00 to 20/11/2023 10:45:00 "
     "lasts 30 min (expected a quarter-hour)\n"},
    {EN_HEADER R("20/11/2023", "10:15:00", "20/11/2023", "10:15:00",
		 "Offtake Day", "0,1", "Read"),
     "x.csv:2: interval from 20/11/2023 10:15:00 to 20/11/2023 10:15:00 "
     "does not end after it starts (expected a quarter-hour)\n"},
    {EN_HEADER R("20/11/2023", "10:10:00", "20/11/2023", "10:25:00",
		 "Offtake Day", "0,1", "Read"),
     "x.csv:2: from time '10:10:00' is not on a quarter-hour (expected "
     "minutes 00, 15, 30 or 45)\n"},
    {"From;To;Register;Volume\r\n" GOOD,
     "x.csv:1: header is not a grid operator's export (expected the "
     "columns From (date), From (time), Until (date), Until (time), "
     "Register, Volume, Validation status, or in Dutch Van datum, Van "
     "tijdstip, Tot datum, Tot tijdstip, Register, Volume, "
     "Validatiestatus)\n"},
    {"Van datum;Van tijdstip;Tot datum;Register;Volume;Validatiestatus\n",
     "x.csv:1: header has no column 'Tot tijdstip' (expected the columns "
     "From (date), From (time), Until (date), Until (time), Register, "
     "Volume, Validation status, or in Dutch Van datum, Van tijdstip, Tot "
     "datum, Tot tijdstip, Register, Volume, Validatiestatus)\n"},
    {"\xEF\xBB\xBF\r\n;;\r\n",
     "x.csv:1: empty file (expected the columns From (date), From (time), "
     "Until (date), Until (time), Register, Volume, Validation status, or "
     "in Dutch Van datum, Van tijdstip, Tot datum, Tot tijdstip, Register, "
     "Volume, Validatiestatus)\n"},
    {EN_HEADER R("30/02/2023", "10:00:00", "30/02/2023", "10:15:00",
		 "Offtake Day", "0,1", "Read"),
     "x.csv:2: from date '30/02/2023' does not exist (expected a calendar "
     "date like 22/10/2023)\n"},
    {EN_HEADER R("20/11/2023", "10:00:00", "20/11/0023", "10:15:00",
		 "Offtake Day", "0,1", "Read"),
     "x.csv:2: until date '20/11/0023' is not between 2000 and 2099 "
     "(expected a date of the meter's readings)\n"},
    {EN_HEADER R("2023-11-20", "10:00:00", "2023-11-20", "10:15:00",
		 "Offtake Day", "0,1", "Read"),
     "x.csv:2: from date '2023-11-20' is not a date (expected a date like "
     "22/10/2023)\n"},
    {EN_HEADER R("20/11/2023", "10:00:00", "20/11/2023", "25:15:00",
		 "Offtake Day", "0,1", "Read"),
     "x.csv:2: until time '25:15:00' is not a time of day (expected a time "
     "like 14:15:00)\n"},
    {EN_HEADER R("26/03/2023", "02:30:00", "26/03/2023", "02:45:00",
		 "Offtake Night", "0,1", "Read"),
     "x.csv:2: from 26/03/2023 02:30:00: local time does not exist (spring "
     "DST gap)\n"},
    {EN_HEADER R("26/03/2023", "01:45:00", "26/03/2023", "02:00:00",
		 "Offtake Night", "0,1", "Read"),
     "x.csv:2: until 26/03/2023 02:00:00: local time does not exist "
     "(spring DST gap)\n"},
    {EN_HEADER R(
	 "20/11/2023", "10:00:00", "20/11/2023", "10:15:00", "Offtake Day",
	 "0,1",
	 "Read") "20/11/2023;10:15:00;20/11/2023;"
		 "10:30:00;=\"999\";1SAG;Digital meter;Offtake Day;0,1;kWh;"
		 "Read;\r\n",
     "x.csv:3: EAN '=\"999\"' differs from '=\"123\"' on line 2 (expected "
     "one meter per file: import each meter's export with its own "
     "--meter)\n"},
    {EN_HEADER "20/11/2023;10:00:00;20/11/2023;10:15:00" EAN
	       "Offtake Day;0,1;Wh;Read;\r\n",
     "x.csv:2: unit 'Wh' is not kWh (expected volumes in kWh)\n"},
    /* The autumn 02:00 after 03:00 has passed cannot be placed. */
    {EN_HEADER R("29/10/2023", "03:00:00", "29/10/2023", "03:15:00",
		 "Offtake Night", "0,1", "Read")
	 R("29/10/2023", "02:30:00", "29/10/2023", "02:45:00", "Offtake Night",
	   "0,1", "Read"),
     "x.csv:3: from 29/10/2023 02:30:00: ambiguous local time of the "
     "autumn DST change cannot be placed (rows out of time order; expected "
     "each local time at most twice, in order, or an explicit UTC "
     "offset)\n"},
};

TEST(every_error_names_its_line_and_what_was_expected)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
		struct fixture fx;
		fx_init(&fx, "m");
		CHECK_INT(fx_parse(&fx, "x.csv", bad_cases[i].text),
			  CAB_EINPUT);
		CHECK_STR(fx.err.text, bad_cases[i].msg);
		CHECK_INT(fx.err.count, 1);
		fx_release(&fx);
	}
}

/* A name followed by NUL bytes is not that name (found by libFuzzer:
 * the comparison ran past the end of the expected name). */
TEST(column_name_with_nul_bytes_is_not_recognised)
{
	static const char text[] = "Register;Volume;Validation status;From "
				   "(date);From (time);Until (date);EAN\0\0"
				   ";Until (time)\n";
	struct fixture fx;
	fx_init(&fx, "m");
	CHECK_INT(
	    cab_parse_dso_csv(&fx.ing, "x.csv", text, sizeof text - 1, &fx.err),
	    CAB_OK);
	CHECK_STR(fx.err.text ? fx.err.text : "", "");
	fx_release(&fx);
}

TEST(missing_meter_is_an_error)
{
	struct fixture fx;
	fx_init(&fx, NULL);
	CHECK_INT(fx_parse(&fx, "x.csv", EN_HEADER GOOD), CAB_EINPUT);
	CHECK_STR(fx.err.text, "x.csv: the grid operator's export needs "
			       "--meter ID (expected the id the scenario "
			       "uses)\n");
	CHECK_INT(cab_qhset_n_meters(fx.qh), 0);
	fx_release(&fx);
}

/* The Dutch header, LF, without the Description column. */
TEST(dutch_header_and_statuses)
{
	struct fixture fx;
	fx_init(&fx, "m");
	CHECK_INT(fx_parse(&fx, "n.csv",
			   "\xEF\xBB\xBF" NL_HEADER
			   "20-11-2023;10:00:00;20-11-2023;10:15:00;=\"1\";1S;"
			   "Digitale Meter;Injectie Dag;1,5;kWh;Geschat\n"
			   "20-11-2023;10:00:00;20-11-2023;10:15:00;=\"1\";1S;"
			   "Digitale Meter;Afname Dag;;kWh;Geen verbruik\n"),
		  CAB_OK);
	struct cab_qh_series inj = series(&fx, "m.injection");
	struct cab_qh_series off = series(&fx, "m.offtake");
	int q;
	CHECK_NEAR(at(&inj, utc("2023-11-20T09:00:00Z"), &q), 1.5, 1e-12);
	CHECK_INT(q, CAB_Q_ESTIMATED);
	CHECK_NEAR(at(&off, utc("2023-11-20T09:00:00Z"), &q), 0, 0);
	CHECK_INT(q, CAB_Q_READ);
	fx_release(&fx);
}

static const struct harness_test tests[] = {
    T(english_sample_matches_a_line_by_line_reference),
    T(dutch_sample_matches_a_line_by_line_reference),
    T(autumn_hour_as_the_portal_lists_it),
    T(autumn_hour_listed_twice_in_time_order),
    T(autumn_hour_in_a_file_sorted_by_register),
    T(spring_day_interval_across_the_gap_is_a_quarter_hour),
    T(registers_add_per_interval_and_missing_parts_make_it_missing),
    T(consecutive_exports_of_one_import_add_up),
    T(every_error_names_its_line_and_what_was_expected),
    T(column_name_with_nul_bytes_is_not_recognised),
    T(missing_meter_is_an_error),
    T(dutch_header_and_statuses),
};
HARNESS_MAIN("test_dso", tests)
