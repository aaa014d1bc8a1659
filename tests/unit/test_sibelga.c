/*
 * test_sibelga.c — the grid operator's two files (sibelga-15min,
 * sibelga-month, SPEC §13): hand-made files with the values read back
 * at their UTC instants (the autumn DST day's repeated hour in both
 * orders), the zeros of left-out rows, CSV and xlsx of the committed
 * samples giving the same series, and every refusal with its row.
 *
 * Tests run from the repository root; the samples are
 * tests/data/samples/operator/ (synthetic: tests/data/samples/SOURCES.md).
 */
#include "engine/ingest/formats.h"

#include <stdint.h>

#include "cabine/time.h"
#include "engine/base/slurp.h"
#include "harness.h"

#define SAMPLES "tests/data/samples/operator/"
#define HEADER "Date Début;EAN;Type de volume;Volume (kWh)\n"
#define EAN1 "541449200000000011"
#define EAN2 "541449200000000028"

struct fixture {
	struct cab_qhset *qh;
	struct cab_opmonth_set months;
	struct cab_ingest ing;
	struct cab_err err;
};

static void fx_init(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	if (cab_qhset_new(&fx->qh, NULL) != CAB_OK)
		abort();
	fx->ing.qh = fx->qh;
	fx->ing.months = &fx->months;
	cab_err_init(&fx->err);
}

static void fx_release(struct fixture *fx)
{
	cab_qhset_free(fx->qh);
	cab_opmonth_set_release(&fx->months);
	cab_err_release(&fx->err);
}

static enum cab_status parse(struct fixture *fx, enum cab_format f,
			     const char *name, const char *buf, size_t len)
{
	return cab_format_ops(f)->parse(&fx->ing, name, buf, len, &fx->err);
}

static enum cab_status parse_text(struct fixture *fx, enum cab_format f,
				  const char *text)
{
	return parse(fx, f, "q.csv", text, strlen(text));
}

/* Value of series `meter` at UTC instant t; NaN outside it. */
static double at(const struct fixture *fx, const char *meter, int64_t t)
{
	struct cab_qh_series s;
	size_t i = cab_qhset_find(fx->qh, meter);
	if (i == (size_t)-1 || !cab_qhset_series(fx->qh, i, &s) || t < s.t0_s ||
	    t >= s.t0_s + (int64_t)s.n * 900)
		return NAN;
	return s.kwh[(t - s.t0_s) / 900];
}

static int64_t utc(const char *iso)
{
	int64_t t = 0;
	cab_time_parse_iso(iso, strlen(iso), &t, NULL);
	return t;
}

/* A whole October 2024 (31 days) of one row a day at 12:00 for EAN1,
 * 0.5 kWh of grid offtake, plus `extra` rows; into buf. */
static void october(char *buf, size_t size, const char *extra)
{
	size_t n = (size_t)snprintf(buf, size, "%s", HEADER);
	for (int d = 1; d <= 31; d++)
		n += (size_t)snprintf(
		    buf + n, size - n,
		    "%02d/10/2024 12:00;" EAN1 ";Consommation Réseau;0,5\n", d);
	snprintf(buf + n, size - n, "%s", extra);
}

/* 0.5 kWh at 12:00 local on 1 October (10:00 UTC); 0 in the quarter-hours
 * without a row, for all four types; the series span the month's local
 * days: 2,980 quarter-hours (31 × 96 + 4 of the autumn day). */
TEST(left_out_rows_are_zero_over_the_files_whole_days)
{
	struct fixture fx;
	fx_init(&fx);
	static char buf[8192];
	october(buf, sizeof buf, "");
	CHECK_INT(parse_text(&fx, CAB_FMT_SIBELGA_15MIN, buf), CAB_OK);
	CHECK_NEAR(at(&fx, EAN1 ".grid_offtake", utc("2024-10-01T10:00:00Z")),
		   0.5, 1e-12);
	CHECK_NEAR(at(&fx, EAN1 ".grid_offtake", utc("2024-10-01T10:15:00Z")),
		   0, 0);
	CHECK_NEAR(at(&fx, EAN1 ".shared_offtake", utc("2024-10-31T22:45:00Z")),
		   0, 0);
	CHECK(isnan(
	    at(&fx, EAN1 ".shared_offtake", utc("2024-10-31T23:00:00Z"))));
	CHECK(isnan(
	    at(&fx, EAN1 ".grid_injection", utc("2024-09-30T21:45:00Z"))));
	struct cab_qh_series s;
	cab_qhset_series(fx.qh, 0, &s);
	CHECK_INT(s.n, 2980);
	CHECK_INT(s.t0_s, utc("2024-09-30T22:00:00Z"));
	CHECK_INT(cab_qhset_n_meters(fx.qh), 4);
	CHECK_INT(fx.ing.rows, 31);
	fx_release(&fx);
}

/* The autumn day: 02:00–02:45 happens twice. In time order (summer, then
 * winter) the second 02:15 is 01:15 UTC; two EANs at one local time are
 * one instant, not the clock going on. */
TEST(autumn_hour_in_file_order_and_one_instant_per_run)
{
	struct fixture fx;
	fx_init(&fx);
	static char buf[8192];
	october(buf, sizeof buf,
		"27/10/2024 02:15;" EAN1 ";Consommation Partagée;0,1\n"
		"27/10/2024 02:15;" EAN2 ";Injection Partagée;0,1\n"
		"27/10/2024 02:45;" EAN1 ";Consommation Partagée;0,2\n"
		"27/10/2024 02:15;" EAN1 ";Consommation Partagée;0,3\n"
		"27/10/2024 02:15;" EAN2 ";Injection Partagée;0,3\n"
		"27/10/2024 03:00;" EAN1 ";Consommation Partagée;0,4\n");
	CHECK_INT(parse_text(&fx, CAB_FMT_SIBELGA_15MIN, buf), CAB_OK);
	const char *so = EAN1 ".shared_offtake", *si = EAN2 ".shared_injection";
	CHECK_NEAR(at(&fx, so, utc("2024-10-27T00:15:00Z")), 0.1, 1e-12);
	CHECK_NEAR(at(&fx, si, utc("2024-10-27T00:15:00Z")), 0.1, 1e-12);
	CHECK_NEAR(at(&fx, so, utc("2024-10-27T00:45:00Z")), 0.2, 1e-12);
	CHECK_NEAR(at(&fx, so, utc("2024-10-27T01:15:00Z")), 0.3, 1e-12);
	CHECK_NEAR(at(&fx, si, utc("2024-10-27T01:15:00Z")), 0.3, 1e-12);
	CHECK_NEAR(at(&fx, so, utc("2024-10-27T02:00:00Z")), 0.4, 1e-12);
	/* EAN2 is present: its other types are zeros, its series too. */
	CHECK_NEAR(at(&fx, EAN2 ".grid_offtake", utc("2024-10-27T01:15:00Z")),
		   0, 0);
	fx_release(&fx);
}

/* A file sorted by EAN (each EAN's rows in time order) restarts the
 * clock at each EAN; a (EAN, type) seen twice in a run of a repeated
 * time is its winter occurrence. */
TEST(autumn_hour_sorted_by_ean_and_twice_in_a_run)
{
	struct fixture fx;
	fx_init(&fx);
	static char buf[8192];
	october(buf, sizeof buf,
		"27/10/2024 02:30;" EAN2 ";Consommation Réseau;1\n"
		"27/10/2024 02:30;" EAN2 ";Consommation Réseau;2\n"
		"01/10/2024 00:00;" EAN1 ";Injection Réseau;7\n");
	CHECK_INT(parse_text(&fx, CAB_FMT_SIBELGA_15MIN, buf), CAB_OK);
	const char *go = EAN2 ".grid_offtake";
	CHECK_NEAR(at(&fx, go, utc("2024-10-27T00:30:00Z")), 1, 0);
	CHECK_NEAR(at(&fx, go, utc("2024-10-27T01:30:00Z")), 2, 0);
	CHECK_NEAR(at(&fx, EAN1 ".grid_injection", utc("2024-09-30T22:00:00Z")),
		   7, 0);
	fx_release(&fx);
}

/* Columns by name, any order, accents and case free, a unit in
 * parentheses; ',' separator with quoted decimal commas; dates as ISO
 * text; `="…"` EANs. */
TEST(columns_any_order_accents_case_and_separators)
{
	struct fixture fx;
	fx_init(&fx);
	static char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof buf,
				    "volume (KWH),TYPE DE VOLUME,date debut,"
				    "Extra,ean\r\n");
	for (int d = 1; d <= 31; d++)
		n += (size_t)snprintf(
		    buf + n, sizeof buf - n,
		    "\"0,25\",consommation reseau,2024-10-%02d 12:00:00,x,"
		    "=\"" EAN1 "\"\r\n",
		    d);
	CHECK_INT(parse_text(&fx, CAB_FMT_SIBELGA_15MIN, buf), CAB_OK);
	CHECK_NEAR(at(&fx, EAN1 ".grid_offtake", utc("2024-10-31T11:00:00Z")),
		   0.25, 1e-12);
	fx_release(&fx);
}

/* A title line or two above the table (with commas in it) are not the
 * header: the header is the first line naming the columns, and the rows
 * keep their numbers. */
TEST(title_lines_above_the_header)
{
	struct fixture fx;
	fx_init(&fx);
	static char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof buf,
				    "Partage d'énergie, communauté X, "
				    "février 2025\n\n" HEADER);
	for (int d = 1; d <= 28; d++)
		n += (size_t)snprintf(buf + n, sizeof buf - n,
				      "%02d/02/2025 12:00;" EAN1
				      ";Consommation Réseau;%s\n",
				      d, d == 5 ? "x" : "1");
	CHECK_INT(parse_text(&fx, CAB_FMT_SIBELGA_15MIN, buf), CAB_EINPUT);
	CHECK_STR(fx.err.text, "q.csv:8: volume 'x' is not a number (expected "
			       "a decimal like 0,125)\n");
	fx_release(&fx);
}

/* One refusal: status, one message, its text. */
static void refused(enum cab_format f, const char *text, const char *want)
{
	struct fixture fx;
	fx_init(&fx);
	CHECK_INT(parse_text(&fx, f, text), CAB_EINPUT);
	CHECK_INT(fx.err.count, 1);
	CHECK_STR(fx.err.text, want);
	fx_release(&fx);
}

TEST(bad_quarter_hour_files_name_the_row)
{
	static char buf[8192];
	october(buf, sizeof buf,
		"05/10/2024 10:00;" EAN1 ";Autoconsommation;1\n");
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:33: unknown volume type 'Autoconsommation' (expected "
		"Consommation Partagée, Consommation Réseau, Injection "
		"Partagée or Injection Réseau)\n");
	october(buf, sizeof buf,
		"05/10/2024 10:00;" EAN1 ";Injection Partagée;-0,2\n");
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:33: volume '-0,2' is negative (expected an energy of 0 "
		"kWh or more)\n");
	october(buf, sizeof buf,
		"05/10/2024 12:00;" EAN1 ";Consommation Réseau;0,5\n");
	refused(
	    CAB_FMT_SIBELGA_15MIN, buf,
	    "q.csv:33: EAN 541449200000000011: Consommation Réseau at "
	    "05/10/2024 12:00 appears twice (first at q.csv:6; expected one "
	    "row per EAN, type and quarter-hour)\n");
	october(buf, sizeof buf,
		"29/02/2025 10:00;" EAN1 ";Consommation Réseau;1\n");
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:33: date '29/02/2025 10:00' does not exist (expected a "
		"calendar date)\n");
	october(buf, sizeof buf,
		"05/10/2024 10:10;" EAN1 ";Consommation Réseau;1\n");
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:33: date '05/10/2024 10:10' is not the start of a "
		"quarter-hour (expected a date and time like 27/10/2024 "
		"02:15)\n");
	october(buf, sizeof buf,
		"05/10/2024 10:00;5,41449E+17;Consommation Réseau;1\n");
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:33: EAN '5,41449E+17' is not an EAN code (expected 18 "
		"digits, e.g. 541449200000000011)\n");
	october(buf, sizeof buf,
		"05/10/2024 10:00;" EAN1 ";Consommation Réseau;1.234,5\n");
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:33: volume '1.234,5' has both a decimal point and a "
		"comma (expected one decimal separator, e.g. 12,5 or 12.5)\n");
	refused(CAB_FMT_SIBELGA_15MIN, "Date Début;EAN;Volume (kWh)\n",
		"q.csv:1: header has no column 'Type de volume' (expected the "
		"operator's columns Date Début, EAN, Type de volume, Volume "
		"(kWh))\n");
	refused(CAB_FMT_SIBELGA_15MIN, "a;b\n1;2\n",
		"q.csv:1: header is not the operator's quarter-hour file "
		"(expected the operator's columns Date Début, EAN, Type de "
		"volume, Volume (kWh))\n");
}

/* November has 30 days; a file with rows on 29 of them is a truncated
 * export (the operator sends whole months): the row named is the one
 * nearest the gap, the first after it. */
TEST(a_month_with_29_of_30_days_is_refused)
{
	static char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s", HEADER);
	for (int d = 1; d <= 30; d++)
		if (d != 17)
			n += (size_t)snprintf(buf + n, sizeof buf - n,
					      "%02d/11/2024 08:00;" EAN1
					      ";Consommation Réseau;1\n",
					      d);
	refused(CAB_FMT_SIBELGA_15MIN, buf,
		"q.csv:18: the quarter-hours of 2024-11 cover 29 of its 30 "
		"days (none on 17/11/2024; expected the operator's whole "
		"month)\n");
}

/* The committed sample `stem` of format f parsed as .csv into fx[0] and
 * as .xlsx into fx[1]; false if a file is missing. */
static bool parse_pair(enum cab_format f, const char *stem,
		       struct fixture fx[2])
{
	static const char *const ext[2] = {".csv", ".xlsx"};
	bool ok = true;
	for (int k = 0; k < 2; k++) {
		char path[256], *buf = NULL;
		size_t len = 0;
		snprintf(path, sizeof path, SAMPLES "%s%s", stem, ext[k]);
		fx_init(&fx[k]);
		CHECK_INT(cab_slurp(path, &buf, &len, NULL), CAB_OK);
		if (buf)
			CHECK_INT(parse(&fx[k], f, path, buf, len), CAB_OK);
		ok &= buf != NULL;
		free(buf);
	}
	return ok;
}

/* The committed sample as xlsx (date cells, EANs as text) and as CSV
 * gives the same series, value for value. */
TEST(sample_xlsx_and_csv_give_the_same_series)
{
	struct fixture fx[2];
	if (!parse_pair(CAB_FMT_SIBELGA_15MIN, "sibelga-15min", fx)) {
		fx_release(&fx[0]);
		fx_release(&fx[1]);
		return;
	}
	size_t nm = cab_qhset_n_meters(fx[0].qh);
	CHECK_INT(nm, 20); /* 5 EANs × 4 types */
	CHECK_INT(cab_qhset_n_meters(fx[1].qh), nm);
	size_t differ = 0, values = 0;
	for (size_t i = 0; i < nm; i++) {
		struct cab_qh_series a, b;
		cab_qhset_series(fx[0].qh, i, &a);
		size_t j = cab_qhset_find(fx[1].qh, a.meter);
		CHECK(j != (size_t)-1);
		if (j == (size_t)-1)
			continue;
		cab_qhset_series(fx[1].qh, j, &b);
		CHECK_INT(a.n, 2980);
		CHECK_INT(b.t0_s, a.t0_s);
		for (size_t k = 0; k < a.n && k < b.n; k++, values++)
			differ += fabs(a.kwh[k] - b.kwh[k]) > 1e-12;
	}
	CHECK_INT(values, 20 * 2980);
	CHECK_INT(differ, 0);
	fx_release(&fx[0]);
	fx_release(&fx[1]);
}

#define MONTH_HEADER                                                           \
	"COMPTEUR;mois;Registre;Volume partagé (kWh);Volume Complementaire;"  \
	"Injection Partagée;Gridfee total (€);Utilisation du réseau;"      \
	"Surcharges\n"

TEST(monthly_rows_with_registers_months_and_fee_components)
{
	struct fixture fx;
	fx_init(&fx);
	CHECK_INT(parse_text(&fx, CAB_FMT_SIBELGA_MONTH,
			     MONTH_HEADER EAN1
			     ";2024-10;HI;12,5;100,25;0;15,10;"
			     "12,00;3,10\n" EAN1
			     ";10/2024;low;2.5;80;0;;;\n" EAN2
			     ";01/10/2024;TH;0;3;46,5;;0,30;"
			     "0,06\n"
			     "Total;;;15;183,25;46,5;;;\n"),
		  CAB_OK);
	CHECK_INT(fx.months.n, 3);
	const struct cab_opmonth *m = fx.months.row;
	CHECK_STR(m[0].ean, EAN1);
	CHECK_INT(m[0].year, 2024);
	CHECK_INT(m[0].month, 10);
	CHECK_STR(m[0].reg, "HI");
	CHECK_NEAR(m[0].v[CAB_OPM_SHARED], 12.5, 1e-12);
	CHECK_NEAR(m[0].v[CAB_OPM_GRIDFEE], 15.1, 1e-12);
	CHECK_NEAR(m[0].v[CAB_OPM_FEE_SURCHARGES], 3.1, 1e-12);
	CHECK(isnan(m[0].v[CAB_OPM_COMPLEMENTARY_INJECTION]));
	CHECK_STR(m[1].reg, "LOW");
	CHECK(isnan(m[1].v[CAB_OPM_GRIDFEE]));
	CHECK_INT(m[1].row, 3);
	/* Components only: the total is their sum, 0.30 + 0.06. */
	CHECK_NEAR(m[2].v[CAB_OPM_GRIDFEE], 0.36, 1e-12);
	CHECK_INT(fx.ing.rows, 3);
	fx_release(&fx);
}

TEST(bad_monthly_files_name_the_row)
{
	refused(CAB_FMT_SIBELGA_MONTH,
		MONTH_HEADER EAN1 ";2024-10;TH;1;2;0;;;\n" EAN1
				  ";2024-10;TH;1;2;0;;;\n",
		"q.csv:3: meter 541449200000000011 in 2024-10: register TH "
		"appears twice (first at q.csv:2; expected TH alone, or HI and "
		"LOW, once each)\n");
	refused(CAB_FMT_SIBELGA_MONTH,
		MONTH_HEADER EAN1 ";2024-10;TH;1;2;0;;;\n" EAN1
				  ";2024-10;HI;1;2;0;;;\n",
		"q.csv:3: meter 541449200000000011 in 2024-10: register HI "
		"beside another register (first at q.csv:2; expected TH alone, "
		"or HI and LOW, once each)\n");
	refused(CAB_FMT_SIBELGA_MONTH,
		MONTH_HEADER EAN1 ";2024-10;TH;1;-2;0;;;\n",
		"q.csv:2: column 'Volume Complémentaire': '-2' is negative "
		"(expected an energy of 0 kWh or more)\n");
	refused(CAB_FMT_SIBELGA_MONTH,
		MONTH_HEADER EAN1 ";2024-10;PEAK;1;2;0;;;\n",
		"q.csv:2: unknown register 'PEAK' (expected TH, or HI and "
		"LOW)\n");
	refused(
	    CAB_FMT_SIBELGA_MONTH,
	    MONTH_HEADER EAN1 ";2024-10;TH;1;2;0;5;1;1\n",
	    "q.csv:2: the grid fee's components add up to 2.00 EUR, not the "
	    "Gridfee total 5.00 EUR (expected the total of its parts)\n");
	refused(CAB_FMT_SIBELGA_MONTH,
		MONTH_HEADER EAN1 ";octobre;TH;1;2;0;;;\n",
		"q.csv:2: month 'octobre' is not a month (expected 2024-10, "
		"10/2024 or a date in the month)\n");
}

TEST(sample_monthly_xlsx_and_csv_give_the_same_rows)
{
	struct fixture fx[2];
	if (!parse_pair(CAB_FMT_SIBELGA_MONTH, "sibelga-month", fx)) {
		fx_release(&fx[0]);
		fx_release(&fx[1]);
		return;
	}
	/* Five meters, h02 dual-rate: six rows. */
	CHECK_INT(fx[0].months.n, 6);
	CHECK_INT(fx[1].months.n, 6);
	for (size_t i = 0; i < fx[0].months.n && i < fx[1].months.n; i++) {
		const struct cab_opmonth *a = &fx[0].months.row[i],
					 *b = &fx[1].months.row[i];
		CHECK_STR(a->ean, b->ean);
		CHECK_STR(a->reg, b->reg);
		CHECK_INT(a->year * 100 + a->month, b->year * 100 + b->month);
		for (int v = 0; v < CAB_OPM_COUNT; v++)
			CHECK(isnan(a->v[v]) ? isnan(b->v[v])
					     : fabs(a->v[v] - b->v[v]) < 1e-9);
	}
	CHECK_STR(fx[0].months.row[2].reg, "LOW");
	fx_release(&fx[0]);
	fx_release(&fx[1]);
}

static const struct harness_test tests[] = {
    T(left_out_rows_are_zero_over_the_files_whole_days),
    T(autumn_hour_in_file_order_and_one_instant_per_run),
    T(autumn_hour_sorted_by_ean_and_twice_in_a_run),
    T(columns_any_order_accents_case_and_separators),
    T(title_lines_above_the_header),
    T(bad_quarter_hour_files_name_the_row),
    T(a_month_with_29_of_30_days_is_refused),
    T(sample_xlsx_and_csv_give_the_same_series),
    T(monthly_rows_with_registers_months_and_fee_components),
    T(bad_monthly_files_name_the_row),
    T(sample_monthly_xlsx_and_csv_give_the_same_rows),
};
HARNESS_MAIN("test_sibelga", tests)
