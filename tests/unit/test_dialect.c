/*
 * test_dialect.c — the one readings parser in every dialect of SPEC §11
 * (engine/ingest/dialect.c, csvtok.c): the CSV splitter, the header in
 * three languages, local times (the autumn hour per meter, the spring
 * gap), decimal commas, and the two readers that use it — a scenario's
 * readings (cab_readings_parse_csv) and `import --format csv`
 * (cab_parse_csv) — giving the same values for the same text.
 *
 * Local-time arithmetic used below (Europe/Brussels, 2024): CET is
 * UTC+1; CEST (UTC+2) runs from 2024-03-31 01:00Z to 2024-10-27 01:00Z.
 * So 05/03/2024 01:00 local = 2024-03-05T00:00Z; on 27/10/2024 the local
 * 02:00–02:59 happens twice, first at 00:00–00:59Z (summer), then at
 * 01:00–01:59Z (winter); on 31/03/2024 local 02:00–02:59 does not exist.
 */
#include "cabine/readings.h"

#include <stdint.h>

#include "cabine/time.h"
#include "engine/ingest/dialect.h"
#include "engine/ingest/formats.h"
#include "harness.h"

#define T0 ((int64_t)19787 * 86400) /* 2024-03-05T00:00:00Z */
#define N 8

/* Parse text as a scenario's readings over [T0, T0 + N·900); the first
 * message (without its "t.csv:" prefix kept) into msg. */
static enum cab_status parse(struct cab_readings **r, int64_t t0, size_t n,
			     const char *text, char *msg, size_t cap)
{
	struct cab_err err;
	cab_err_init(&err);
	if (cab_readings_new(t0, n, r, NULL) != CAB_OK)
		exit(1);
	enum cab_status st =
	    cab_readings_parse_csv(*r, "t.csv", text, strlen(text), &err);
	snprintf(msg, cap, "%s", err.text ? err.text : "");
	cab_err_release(&err);
	return st;
}

TEST(splitter_follows_rfc_4180)
{
	struct cab_csv_record rec = {0};
	const char *what = NULL;
	const char *s = "a;\"b;c\";\"d\"\"e\";";
	CHECK(cab_csv_split(s, strlen(s), ';', false, &rec, NULL, &what));
	CHECK_INT(rec.n, 4);
	if (rec.n == 4) {
		CHECK(rec.f[0].len == 1 && !memcmp(rec.f[0].s, "a", 1));
		CHECK(rec.f[1].len == 3 && !memcmp(rec.f[1].s, "b;c", 3));
		CHECK(rec.f[1].is_quoted && !rec.f[0].is_quoted);
		CHECK(rec.f[2].len == 3 && !memcmp(rec.f[2].s, "d\"e", 3));
		CHECK_INT(rec.f[3].len, 0);
	}
	/* A record may span lines inside quotes (a cell with Alt+Enter). */
	s = "\"Rue Haute 5\r\n1000 Bruxelles\",x\r\nnext";
	size_t used = 0;
	CHECK(cab_csv_split(s, strlen(s), ',', true, &rec, &used, &what));
	CHECK_INT(rec.n, 2);
	CHECK_INT(rec.newlines, 1);
	CHECK_INT(used, strlen(s) - 4);
	CHECK(rec.f[1].len == 1 && rec.f[1].s[0] == 'x');
	s = "\"open,x";
	CHECK(!cab_csv_split(s, strlen(s), ',', false, &rec, NULL, &what));
	CHECK(what && strstr(what, "not closed"));
	s = "\"a\"b,x";
	CHECK(!cab_csv_split(s, strlen(s), ',', false, &rec, NULL, &what));
	CHECK(what && strstr(what, "after the closing quote"));
	/* A quote inside an unquoted cell is an ordinary character. */
	s = "5\" pipe,x";
	CHECK(cab_csv_split(s, strlen(s), ',', false, &rec, NULL, &what));
	CHECK(rec.f[0].len == 7);
	CHECK_INT(cab_csv_guess_sep("id;name,x;y", 11), ';');
	CHECK_INT(cab_csv_guess_sep("\"a;b;c\",d", 9), ',');
	cab_csv_record_release(&rec);
}

TEST(headers_in_three_languages_any_case_and_order)
{
	static const struct {
		const char *line;
		char sep;
		unsigned ts, meter, kwh;
		bool is_fast;
	} ok[] = {
	    {"timestamp,meter,kwh", ',', 0, 1, 2, true},
	    {"\xEF\xBB\xBFHorodatage;Compteur;kWh\r", ';', 0, 1, 2, false},
	    {"kwh,TIJDSTIP,Meter", ',', 1, 2, 0, false},
	    {"\"timestamp\",\"meter\",\"kwh\"", ',', 0, 1, 2, true},
	    {" compteur ; horodatage ; KWH ", ';', 1, 0, 2, false},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct cab_dialect d = {0};
		CHECK(cab_dialect_header(&d, ok[i].line, strlen(ok[i].line)));
		CHECK_INT(d.sep, ok[i].sep);
		CHECK_INT(d.col[0], ok[i].ts);
		CHECK_INT(d.col[1], ok[i].meter);
		CHECK_INT(d.col[2], ok[i].kwh);
		CHECK_INT(d.is_fast, ok[i].is_fast);
		CHECK(cab_dialect_is_header(ok[i].line, strlen(ok[i].line)));
		cab_dialect_release(&d);
	}
	static const struct {
		const char *line, *msg;
	} bad[] = {
	    {"timestamp,meter",
	     "header has 2 columns (expected 3: timestamp, meter and kwh, or "
	     "in French horodatage, compteur, kwh, or in Dutch tijdstip, "
	     "meter, kwh; in any order, separated by ',' or ';')"},
	    {"timestamp;meter;meter",
	     "header: column 'meter' is given twice (expected a timestamp, a "
	     "meter and a kwh column once each)"},
	    {"timestamp,meter,watts",
	     "header: unknown column 'watts' (expected timestamp, horodatage "
	     "or tijdstip; meter or compteur; and kwh)"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cab_dialect d = {0};
		CHECK(
		    !cab_dialect_header(&d, bad[i].line, strlen(bad[i].line)));
		CHECK_STR(d.msg, bad[i].msg);
		cab_dialect_release(&d);
	}
}

/* A Belgian spreadsheet's export: BOM, CRLF, ';', decimal comma, a
 * French header with the columns reordered, day-first local times. */
TEST(belgian_export_lands_on_utc_intervals)
{
	struct cab_readings *r;
	char msg[600];
	CHECK_INT(parse(&r, T0, N,
			"\xEF\xBB\xBF"
			"Compteur;Horodatage;kWh\r\n"
			"a;05/03/2024 01:00;0,5\r\n"
			"a;5/3/2024 1:15;1,25\r\n"
			"a;05/03/2024 01:30:00;\r\n"
			"a;05.03.2024 01:45;2\r\n"
			"b;2024-03-05 02:00;0.75\r\n"
			"b;2024-03-05T02:15:00;3\r\n"
			";;\r\n",
			msg, sizeof(msg)),
		  CAB_OK);
	CHECK_STR(msg, "");
	const double *a = cab_readings_series(r, "a");
	const double *b = cab_readings_series(r, "b");
	CHECK(a && b);
	if (a && b) {
		/* 01:00 local = 00:00Z = index 0; 02:00 local = index 4. */
		CHECK(a[0] == 0.5 && a[1] == 1.25 && a[3] == 2.0);
		CHECK(isnan(a[2])); /* an empty cell is missing, not 0 */
		CHECK(b[4] == 0.75 && b[5] == 3.0);
		CHECK(isnan(b[0]) && isnan(b[6]));
	}
	CHECK_INT(cab_readings_rows(r), 6);
	cab_readings_free(r);
}

/* The autumn hour, rows in time order with two meters interleaved: each
 * meter's 02:00 is summer time first, winter time the second time. */
TEST(repeated_autumn_hour_is_taken_in_file_order_per_meter)
{
	int64_t t0 = cab_time_local_midnight(2024, 10, 27); /* 26th 22:00Z */
	CHECK_INT(t0, (int64_t)20023 * 86400 - 7200);
	struct cab_readings *r;
	char msg[600];
	CHECK_INT(parse(&r, t0, 100,
			"timestamp;meter;kwh\n"
			"27/10/2024 02:00;a;1\n"
			"27/10/2024 02:00;b;10\n"
			"27/10/2024 02:45;a;4\n"
			"27/10/2024 02:45;b;40\n"
			"27/10/2024 02:00;a;5\n"
			"27/10/2024 02:00;b;50\n"
			"27/10/2024 02:45;a;8\n"
			"27/10/2024 03:00;a;9\n",
			msg, sizeof(msg)),
		  CAB_OK);
	CHECK_STR(msg, "");
	const double *a = cab_readings_series(r, "a");
	const double *b = cab_readings_series(r, "b");
	CHECK(a && b);
	if (a && b) {
		/* 00:00Z is index 8 (22:00Z + 2 h); 01:00Z index 12; local
		 * 03:00 CET = 02:00Z index 16. */
		CHECK(a[8] == 1 && a[11] == 4 && a[12] == 5 && a[15] == 8);
		CHECK(a[16] == 9);
		CHECK(b[8] == 10 && b[11] == 40 && b[12] == 50);
	}
	cab_readings_free(r);
	/* A third 02:00 for one meter cannot be placed. */
	CHECK_INT(parse(&r, t0, 100,
			"timestamp;meter;kwh\n"
			"27/10/2024 02:00;a;1\n"
			"27/10/2024 02:00;a;2\n"
			"27/10/2024 02:00;a;3\n",
			msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv:4: timestamp '27/10/2024 02:00': ambiguous "
		       "local time of the autumn DST change cannot be placed "
		       "(rows out of time order; expected each local time at "
		       "most twice, in order, or an explicit UTC offset)\n");
	cab_readings_free(r);
}

TEST(local_problems_have_their_messages)
{
	static const struct {
		const char *rows, *msg;
	} cases[] = {
	    {"31/03/2024 02:15;a;1",
	     "t.csv:2: timestamp '31/03/2024 02:15': local time does not exist "
	     "(spring DST gap)\n"},
	    {"2024-03-31 02:30;a;1",
	     "t.csv:2: timestamp '2024-03-31 02:30': local time does not exist "
	     "(spring DST gap)\n"},
	    {"31/02/2024 10:00;a;1",
	     "t.csv:2: impossible date '31/02/2024 10:00' (expected a local "
	     "time like 05/03/2024 10:00, day first)\n"},
	    {"05/03/2024;a;1",
	     "t.csv:2: timestamp '05/03/2024' is malformed (expected a local "
	     "time like 05/03/2024 10:00, day first)\n"},
	    {"05/03/2024 10:00;a;1\n2024-03-05T10:15:00Z;a;1",
	     "t.csv:3: timestamp '2024-03-05T10:15:00Z' with a UTC offset in a "
	     "file whose first timestamp has none (expected the same form on "
	     "every line)\n"},
	    {"05/03/2024 10:00;a;1\nyesterday;a;1",
	     "t.csv:3: timestamp 'yesterday' is malformed (expected a local "
	     "time like 2024-03-05 10:00 or 05/03/2024 10:00)\n"},
	    {"05/03/2024 10:00;a;1.234,5",
	     "t.csv:2: kwh '1.234,5' has both a point and a comma (expected "
	     "one "
	     "decimal mark and no thousands separator, like 0,125)\n"},
	    {"05/03/2024 10:00;a;0,5,0",
	     "t.csv:2: kwh '0,5,0' is not a number (expected a decimal like "
	     "0,125 or 0.125)\n"},
	    {"05/03/2024 10:10;a;1",
	     "t.csv:2: timestamp '05/03/2024 10:10' is not on a quarter-hour "
	     "(expected minutes 00, 15, 30 or 45 and 0 seconds)\n"},
	    {"05/03/1924 10:00;a;1",
	     "t.csv:2: timestamp '05/03/1924 10:00' outside the years 2000 to "
	     "2099 (expected a date of measurement)\n"},
	    {"05/03/2024 10:00;a;1;2",
	     "t.csv:2: expected 3 columns timestamp;meter;kwh, got 4\n"},
	    {"05/03/2024 10:00;\"a;1",
	     "t.csv:2: a quoted cell is not closed (expected a \" before the "
	     "end of the line)\n"},
	    {"05/03/2024 10:00;a;1\n;;\n05/03/2024 10:15;a;1",
	     "t.csv:3: empty line (expected timestamp,meter,kwh)\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[300], msg[600];
		snprintf(text, sizeof(text), "timestamp;meter;kwh\n%s\n",
			 cases[i].rows);
		struct cab_readings *r;
		CHECK_INT(parse(&r, T0, N, text, msg, sizeof(msg)), CAB_EINPUT);
		CHECK_STR(msg, cases[i].msg);
		cab_readings_free(r);
	}
}

/* Quoted cells ("quote all text cells"), offsets and a ',' file whose
 * decimal comma is quoted (refused: "1,234" could be a thousand). */
TEST(quoted_cells_and_offsets)
{
	struct cab_readings *r;
	char msg[600];
	CHECK_INT(parse(&r, T0, N,
			"\"TIMESTAMP\";\"METER\";\"KWH\"\n"
			"\"2024-03-05T01:00:00+01:00\";\"a\";\"0,5\"\n"
			"\"2024-03-05T00:15:00Z\";\"a\";0.25\n",
			msg, sizeof(msg)),
		  CAB_OK);
	const double *a = cab_readings_series(r, "a");
	CHECK(a && a[0] == 0.5 && a[1] == 0.25);
	cab_readings_free(r);
	CHECK_INT(parse(&r, T0, N,
			"timestamp,meter,kwh\n2024-03-05T00:00:00Z,a,\"0,5\"\n",
			msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv:2: kwh '0,5' has a decimal comma, but the "
		       "columns are separated by ',' (expected a point, like "
		       "0.125, or ';' between the columns)\n");
	cab_readings_free(r);
}

/* `import --format csv` reads the same text to the same values: the
 * import keeps every row in a quarter-hour set. */
TEST(import_and_readings_agree_on_a_dialect_file)
{
	static const char text[] = "tijdstip;meter;kwh\r\n"
				   "05/03/2024 01:00;a;0,5\r\n"
				   "05/03/2024 01:15;a;;\r\n";
	/* A fourth cell: refused by both, with the same message. */
	struct cab_readings *r;
	char msg[600];
	CHECK_INT(parse(&r, T0, N, text, msg, sizeof(msg)), CAB_EINPUT);
	CHECK_STR(msg,
		  "t.csv:3: expected 3 columns tijdstip;meter;kwh, got 4\n");
	cab_readings_free(r);
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	struct cab_qhset *qh = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_qhset_new(&qh, &err), CAB_OK);
	struct cab_ingest ing = {.qh = qh, .opts = &o};
	CHECK_INT(cab_parse_csv(&ing, "t.csv", text, strlen(text), &err),
		  CAB_EINPUT);
	CHECK_STR(err.text, msg);
	cab_qhset_free(qh);
	cab_err_release(&err);

	static const char good[] = "tijdstip;meter;kwh\r\n"
				   "05/03/2024 01:00;a;0,5\r\n"
				   "05/03/2024 01:15;a;\r\n"
				   "05/03/2024 01:30;a;1,75\r\n";
	CHECK_INT(parse(&r, T0, N, good, msg, sizeof(msg)), CAB_OK);
	cab_err_init(&err);
	CHECK_INT(cab_qhset_new(&qh, &err), CAB_OK);
	ing = (struct cab_ingest){.qh = qh, .opts = &o};
	CHECK_INT(cab_parse_csv(&ing, "t.csv", good, strlen(good), &err),
		  CAB_OK);
	CHECK_INT(ing.rows, 3);
	struct cab_qh_series s;
	CHECK(cab_qhset_n_meters(qh) == 1 && cab_qhset_series(qh, 0, &s));
	const double *a = cab_readings_series(r, "a");
	CHECK_INT(s.t0_s, T0);
	CHECK_INT(s.n, 3);
	CHECK(a != NULL);
	for (size_t k = 0; a && k < s.n; k++) {
		CHECK(isnan(a[k]) == isnan(s.kwh[k]));
		CHECK(isnan(a[k]) || a[k] == s.kwh[k]);
	}
	CHECK_INT(s.quality[1], CAB_Q_MISSING);
	cab_qhset_free(qh);
	cab_err_release(&err);
	cab_readings_free(r);
}

/* The hint after a failed import: a Belgian readings file is csv, never
 * power-csv (whose header also starts with "timestamp"). */
TEST(sniffer_calls_every_dialect_csv)
{
	static const char *const heads[] = {
	    "timestamp;meter;kwh\r\n05/03/2024 10:00;a;0,5\r\n",
	    "\xEF\xBB\xBFHorodatage;Compteur;kWh\r\n",
	    "Tijdstip,Meter,kWh\n",
	};
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(cab_format_sniff((const unsigned char *)heads[i],
					   strlen(heads[i])),
			  CAB_FMT_CSV);
	const char *power = "timestamp,meter,watts\n";
	CHECK_INT(cab_format_sniff((const unsigned char *)power, strlen(power)),
		  CAB_FMT_POWER_CSV);
}

/* The fast path takes only what the slow path accepts, with the same
 * values: each line both ways, on one fresh dialect per way. */
TEST(fast_path_agrees_with_the_slow_path)
{
	static const char *const lines[] = {
	    "2024-03-05T10:00:00Z,h01-c,0.125",
	    "2024-03-05T10:15:00Z,h01-c,-0",
	    "2024-03-05T10:15:00Z,h01-c,1e999",
	    "2024-03-05T10:15:30Z,h01-c,1",
	    "2024-03-05T10:10:00Z,h01-c,1",
	    "2024-03-05T10:90:00Z,h01-c,1", /* found by fuzz_readings */
	    "2024-02-30T10:00:00Z,h01-c,1",
	    "1999-12-31T23:45:00Z,h01-c,1",
	    "2024-03-05T24:00:00Z,h01-c,1",
	    "2024-03-05T10:00:00Z,\"h01-c\",1",
	    "2024-03-05T10:00:00Z,,1",
	    "2024-03-05T10:00:00Z,a\tb,1",
	    "2024-03-05T10:00:00Z,a,250000.5",
	    "2024-03-05T10:00:00Z,a,250000",
	    "2024-03-05T10:00:00Z,a,",
	    "2024-03-05T10:00:00Z,a,1,5",
	    "2024-03-05T10:00:00Z,a,.5",
	    "2024-03-05T10:00:00Z,a,5.",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct cab_dialect f = {0}, s = {0};
		CHECK(cab_dialect_header(&f, "timestamp,meter,kwh", 19));
		CHECK(cab_dialect_header(&s, "timestamp,meter,kwh", 19));
		struct cab_dialect_row rf, rs;
		size_t n = strlen(lines[i]);
		bool is_fast = cab_dialect_fast(&f, lines[i], n, &rf);
		enum cab_dialect_line k =
		    cab_dialect_row_slow(&s, lines[i], n, &rs);
		if (is_fast) {
			CHECK(strstr(lines[i], ":90:") == NULL);
			CHECK_INT(k, CAB_DIALECT_ROW);
			CHECK_INT(rf.t_s, rs.t_s);
			CHECK(rf.meter_len == rs.meter_len &&
			      !memcmp(rf.meter, rs.meter, rf.meter_len));
			CHECK(rf.kwh == rs.kwh &&
			      signbit(rf.kwh) == signbit(rs.kwh));
		} else {
			CHECK(1);
		}
		cab_dialect_release(&f);
		cab_dialect_release(&s);
	}
	/* The canonical row itself takes the fast path. */
	struct cab_dialect d = {0};
	struct cab_dialect_row row;
	CHECK(cab_dialect_header(&d, "timestamp,meter,kwh", 19));
	CHECK(cab_dialect_fast(&d, lines[0], strlen(lines[0]), &row));
	CHECK_INT(row.t_s, T0 + 10 * 3600);
	cab_dialect_release(&d);
}

static const struct harness_test tests[] = {
    T(splitter_follows_rfc_4180),
    T(headers_in_three_languages_any_case_and_order),
    T(belgian_export_lands_on_utc_intervals),
    T(repeated_autumn_hour_is_taken_in_file_order_per_meter),
    T(local_problems_have_their_messages),
    T(quoted_cells_and_offsets),
    T(import_and_readings_agree_on_a_dialect_file),
    T(sniffer_calls_every_dialect_csv),
    T(fast_path_agrees_with_the_slow_path),
};
HARNESS_MAIN("test_dialect", tests)
