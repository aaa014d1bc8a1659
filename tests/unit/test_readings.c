/*
 * test_readings.c — the canonical readings CSV: placement of values,
 * missing intervals, every error message with its line, atomicity and a
 * write/read-back property on random rows.
 *
 * Period used throughout: 2024-03-05T00:00:00Z (day 19787 since the
 * epoch) for 8 intervals, i.e. 00:00 … 01:45 UTC.
 */
#include "cabine/readings.h"

#include <stdint.h>
#include <unistd.h>

#include "cabine/time.h"
#include "harness.h"

#define T0 ((int64_t)19787 * 86400)
#define N 8

static char tmpdir[64];
static int file_no;

/* Write text to a fresh file in the temp dir; returns its path (static). */
static const char *write_file(const char *text)
{
	static char path[128];
	if (!tmpdir[0]) {
		strcpy(tmpdir, "/tmp/cabine-readings-XXXXXX");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(1);
		}
	}
	snprintf(path, sizeof(path), "%s/f%d.csv", tmpdir, file_no++);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static struct cab_readings *new_readings(void)
{
	struct cab_readings *r = NULL;
	if (cab_readings_new(T0, N, &r, NULL) != CAB_OK)
		exit(1);
	return r;
}

/* Load text as a file; returns the status and keeps the message text
 * with the temp path replaced by "f.csv". */
static enum cab_status load(struct cab_readings *r, const char *text, char *msg,
			    size_t cap)
{
	const char *path = write_file(text);
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_readings_load_csv(r, path, &err);
	if (msg) {
		msg[0] = '\0';
		size_t plen = strlen(path);
		const char *s = err.text ? err.text : "";
		size_t o = 0;
		while (*s && o + 8 < cap) {
			if (strncmp(s, path, plen) == 0) {
				memcpy(msg + o, "f.csv", 5);
				o += 5;
				s += plen;
			} else {
				msg[o++] = *s++;
			}
		}
		msg[o] = '\0';
	}
	cab_err_release(&err);
	return st;
}

#define HDR "timestamp,meter,kwh\n"

TEST(values_land_on_their_interval)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:00:00Z,a,0.125\n"
			   "2024-03-05T00:15:00Z,a,1\n"
			   "2024-03-05T01:45:00Z,a,2.5e-1\n"
			   "2024-03-05T00:30:00Z,b,0\n",
		       msg, sizeof(msg)),
		  CAB_OK);
	CHECK_STR(msg, "");
	const double *a = cab_readings_series(r, "a");
	CHECK(a != NULL);
	if (a) {
		CHECK(a[0] == 0.125);
		CHECK(a[1] == 1.0);
		CHECK(a[7] == 0.25);
		for (int i = 2; i < 7; i++)
			CHECK(isnan(a[i]));
	}
	CHECK_INT(cab_readings_missing(r, "a"), 5);
	CHECK_INT(cab_readings_missing(r, "b"), 7);
	CHECK_INT(cab_readings_missing(r, "zz"), N);
	CHECK(cab_readings_series(r, "zz") == NULL);
	CHECK_INT(cab_readings_n_meters(r), 2);
	CHECK_INT(cab_readings_rows(r), 4);
	CHECK_STR(cab_readings_meter_id(r, 0), "a");
	CHECK_STR(cab_readings_meter_id(r, 1), "b");
	CHECK(cab_readings_meter_id(r, 2) == NULL);
	CHECK_INT(cab_readings_n_intervals(r), N);
	CHECK_INT(cab_readings_t0(r), T0);
	cab_readings_free(r);
}

TEST(rows_outside_period_are_validated_but_ignored)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	/* 2024-03-04T23:45Z is before t0, 02:00Z is t0 + 8 intervals */
	CHECK_INT(load(r,
		       HDR "2024-03-04T23:45:00Z,a,1\n"
			   "2024-03-05T02:00:00Z,a,1\n"
			   "2024-03-05T00:00:00Z,a,3\n",
		       msg, sizeof(msg)),
		  CAB_OK);
	CHECK_INT(cab_readings_missing(r, "a"), 7);
	CHECK_INT(cab_readings_rows(r), 3);
	/* an out-of-period bad row is still an error */
	CHECK_INT(load(r, HDR "2030-01-01T00:00:00Z,a,x\n", msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:2: kwh 'x' is not a number (expected a decimal "
		       "like 0.125)\n");
	cab_readings_free(r);
}

TEST(offsets_bom_crlf_and_trailing_line_are_accepted)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	CHECK_INT(load(r,
		       "\xEF\xBB\xBFtimestamp,meter,kwh\r\n"
		       "2024-03-05T01:15:00+01:00,a,0.5\r\n"
		       "2024-03-05T02:30:00+02:00,a,0.75\r\n"
		       "2024-03-05T00:45:00.000Z,a,1.5\r\n"
		       "\r\n",
		       msg, sizeof(msg)),
		  CAB_OK);
	CHECK_STR(msg, "");
	const double *a = cab_readings_series(r, "a");
	CHECK(a && a[1] == 0.5 && a[2] == 0.75 && a[3] == 1.5);
	cab_readings_free(r);
}

TEST(each_problem_has_its_message_and_line)
{
	struct {
		const char *row;
		const char *msg;
	} cases[] = {
	    {"2024-03-05T00:00:00Z,a,abc",
	     "kwh 'abc' is not a number (expected a decimal like 0.125)"},
	    {"2024-03-05T00:00:00Z,a,nan",
	     "kwh 'nan' is not a number (expected a decimal like 0.125)"},
	    {"2024-03-05T00:00:00Z,a,inf",
	     "kwh 'inf' is not a number (expected a decimal like 0.125)"},
	    {"2024-03-05T00:00:00Z,a,1e999",
	     "kwh '1e999' is not finite (expected a decimal like 0.125)"},
	    {"2024-03-05T00:00:00Z,a,-0.5", "kwh must be ≥ 0, got -0.5"},
	    {"2024-02-30T00:00Z,a,1",
	     "impossible date '2024-02-30T00:00Z' (expected a timestamp "
	     "like 2024-03-05T10:00:00Z)"},
	    {"2024-03-05T24:00:00Z,a,1",
	     "impossible time of day '2024-03-05T24:00:00Z' (expected a "
	     "timestamp like 2024-03-05T10:00:00Z)"},
	    {"yesterday,a,1",
	     "timestamp 'yesterday' is malformed (expected ISO 8601 "
	     "timestamp like 2024-03-05T10:00:00Z)"},
	    {"2024-03-05T01:00:00,a,1",
	     "timestamp '2024-03-05T01:00:00' without UTC offset in a file "
	     "whose first timestamp has one (expected the same form on every "
	     "line)"},
	    {"2024-03-05T00:10:00Z,a,1",
	     "timestamp '2024-03-05T00:10:00Z' is not on a quarter-hour "
	     "(expected minutes 00, 15, 30 or 45 and 0 seconds)"},
	    {"2024-03-05T00:00:00Z,,1",
	     "meter is empty (expected a meter id like h01-c)"},
	    {"2024-03-05T00:00:00Z,a\tb,1",
	     "meter contains control character 0x09 at byte 2 (expected a "
	     "meter id like h01-c)"},
	    {"2024-03-05T00:00:00Z,a",
	     "expected 3 columns timestamp,meter,kwh, got 2"},
	    {"2024-03-05T00:00:00Z,a,1,2",
	     "expected 3 columns timestamp,meter,kwh, got 4 (a decimal "
	     "comma? write kwh with a point, like 0.125)"},
	    {"2024-03-05T00:00:00Z,a,1,x",
	     "expected 3 columns timestamp,meter,kwh, got 4"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cab_readings *r = new_readings();
		char text[512], msg[512], want[512];
		snprintf(text, sizeof(text),
			 HDR "2024-03-05T00:15:00Z,a,1\n%s\n", cases[i].row);
		snprintf(want, sizeof(want), "f.csv:3: %s\n", cases[i].msg);
		CHECK_INT(load(r, text, msg, sizeof(msg)), CAB_EINPUT);
		CHECK_STR(msg, want);
		CHECK(cab_readings_series(r, "a") == NULL);
		CHECK_INT(cab_readings_rows(r), 0);
		cab_readings_free(r);
	}
}

TEST(header_and_blank_lines_are_checked)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	CHECK_INT(load(r, "time,meter,kwh\n2024-03-05T00:00:00Z,a,1\n", msg,
		       sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:1: header: unknown column 'time' (expected "
		       "timestamp, horodatage or tijdstip; meter or compteur; "
		       "and kwh)\n");
	CHECK_INT(load(r, "", msg, sizeof(msg)), CAB_EINPUT);
	CHECK_STR(msg,
		  "f.csv:1: empty file (expected the header timestamp,meter,"
		  "kwh)\n");
	CHECK_INT(load(r, HDR "\n2024-03-05T00:00:00Z,a,1\n", msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:2: empty line (expected timestamp,meter,kwh)\n");
	CHECK_INT(
	    load(r, HDR "2024-03-05T00:00:00Z,a,1\n\n\n", msg, sizeof(msg)),
	    CAB_OK);
	cab_readings_free(r);
}

TEST(duplicates_name_the_first_line)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	/* +01:00 names the same interval as Z one hour earlier */
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:00:00Z,a,1\n"
			   "2024-03-05T00:15:00Z,h01-c,1\n"
			   "2024-03-05T00:15:00Z,a,1\n"
			   "2024-03-05T01:15:00+01:00,h01-c,2\n",
		       msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:5: duplicate reading for meter 'h01-c' at "
		       "2024-03-05T00:15:00Z (first on line 3)\n");
	CHECK_INT(cab_readings_n_meters(r), 0);
	cab_readings_free(r);
}

TEST(a_bad_file_changes_nothing)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:00:00Z,a,1\n"
			   "2024-03-05T00:15:00Z,b,2\n",
		       msg, sizeof(msg)),
		  CAB_OK);
	double before[N];
	memcpy(before, cab_readings_series(r, "a"), sizeof(before));
	/* fills a's holes and creates c, then fails on the last line */
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:30:00Z,a,5\n"
			   "2024-03-05T00:45:00Z,a,6\n"
			   "2024-03-05T00:00:00Z,c,7\n"
			   "2024-03-05T01:00:00Z,a,-1\n",
		       msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:5: kwh must be ≥ 0, got -1\n");
	const double *a = cab_readings_series(r, "a");
	CHECK(a != NULL);
	if (a)
		for (int i = 0; i < N; i++)
			CHECK(memcmp(&a[i], &before[i], sizeof(double)) == 0);
	CHECK(cab_readings_series(r, "c") == NULL);
	CHECK_INT(cab_readings_n_meters(r), 2);
	CHECK_INT(cab_readings_rows(r), 2);
	CHECK_INT(cab_readings_missing(r, "a"), 7);
	cab_readings_free(r);
}

TEST(duplicate_across_files_is_refused)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	CHECK_INT(load(r, HDR "2024-03-05T00:00:00Z,a,1\n", msg, sizeof(msg)),
		  CAB_OK);
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:15:00Z,a,2\n"
			   "2024-03-05T00:00:00Z,a,3\n",
		       msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:3: duplicate reading for meter 'a' at "
		       "2024-03-05T00:00:00Z (already loaded before this "
		       "file)\n");
	const double *a = cab_readings_series(r, "a");
	CHECK(a && a[0] == 1.0 && isnan(a[1]));
	/* another interval in a second file is fine */
	CHECK_INT(load(r, HDR "2024-03-05T00:15:00Z,a,2\n", msg, sizeof(msg)),
		  CAB_OK);
	a = cab_readings_series(r, "a");
	CHECK(a && a[1] == 2.0);
	cab_readings_free(r);
}

TEST(undeclared_meters_are_validated_not_stored)
{
	struct cab_readings *r = new_readings();
	char msg[512];
	CHECK_INT(cab_readings_want(r, "a", NULL), CAB_OK);
	CHECK_INT(cab_readings_want(r, "a", NULL), CAB_OK);
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:00:00Z,a,1\n"
			   "2024-03-05T00:00:00Z,x,1\n",
		       msg, sizeof(msg)),
		  CAB_OK);
	CHECK(cab_readings_series(r, "a") != NULL);
	CHECK(cab_readings_series(r, "x") == NULL);
	CHECK_INT(cab_readings_n_meters(r), 1);
	CHECK_INT(cab_readings_rows(r), 2);
	/* a duplicate of an undeclared meter is still a problem */
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:15:00Z,x,1\n"
			   "2024-03-05T00:15:00Z,x,1\n",
		       msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "f.csv:3: duplicate reading for meter 'x' at "
		       "2024-03-05T00:15:00Z (first on line 2)\n");
	/* an undeclared meter's put series survives a failed load */
	double v[N] = {1, 2, 3, 4, 5, 6, 7, 8};
	CHECK_INT(cab_readings_put(r, "q", v, NULL), CAB_OK);
	CHECK_INT(load(r,
		       HDR "2024-03-05T00:00:00Z,q,9\n"
			   "2024-03-05T00:00:00Z,a,x\n",
		       msg, sizeof(msg)),
		  CAB_EINPUT);
	const double *q = cab_readings_series(r, "q");
	CHECK(q && memcmp(q, v, sizeof(v)) == 0);
	cab_readings_free(r);
}

TEST(missing_file_is_bad_input)
{
	struct cab_readings *r = new_readings();
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_readings_load_csv(r, "/nonexistent/x.csv", &err),
		  CAB_EINPUT);
	CHECK_STR(
	    err.text,
	    "/nonexistent/x.csv: cannot open (No such file or directory)\n");
	cab_err_release(&err);
	cab_readings_free(r);
}

TEST(at_most_twenty_problems_are_listed_then_how_many_more)
{
	struct cab_readings *r = new_readings();
	struct cab_err err;
	cab_err_init(&err);
	char text[4096] = HDR;
	for (int i = 0; i < 30; i++)
		strcat(text, "2024-03-05T00:00:00Z,a,bad\n");
	CHECK_INT(cab_readings_parse_csv(r, "mem", text, strlen(text), &err),
		  CAB_EINPUT);
	/* 20 listed (lines 2 to 21), then one line for the 30 − 20 = 10
	 * others. */
	CHECK_INT(err.count, 21);
	CHECK(strstr(err.text, "mem:21: kwh 'bad'") != NULL);
	CHECK(strstr(err.text, "mem:22:") == NULL);
	CHECK(strstr(err.text, "\n… and 10 more problems\n") != NULL);
	cab_err_release(&err);
	cab_readings_free(r);
}

TEST(put_replaces_a_series)
{
	struct cab_readings *r = new_readings();
	double v[N];
	for (int i = 0; i < N; i++)
		v[i] = i == 3 ? NAN : i;
	CHECK_INT(cab_readings_put(r, "p", v, NULL), CAB_OK);
	v[0] = 42;
	const double *s = cab_readings_series(r, "p");
	CHECK(s && s[0] == 0 && s[7] == 7);
	CHECK_INT(cab_readings_missing(r, "p"), 1);
	/* a CSV may fill the hole but not overwrite a value */
	const char *fill = HDR "2024-03-05T00:45:00Z,p,9\n";
	const char *over = HDR "2024-03-05T00:00:00Z,p,9\n";
	CHECK_INT(cab_readings_parse_csv(r, "m", fill, strlen(fill), NULL),
		  CAB_OK);
	CHECK(s[3] == 9);
	CHECK_INT(cab_readings_parse_csv(r, "m", over, strlen(over), NULL),
		  CAB_EINPUT);
	CHECK(s[0] == 0);
	cab_readings_free(r);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

TEST(random_rows_read_back_exactly)
{
	/* 96 intervals × 5 meters, about half present, values with up to 17
	 * significant digits, shuffled order, printed with %.17g (or fewer
	 * digits or an exponent, to reach both number paths). */
	enum { NI = 96, NM = 5 };
	for (int round = 0; round < 20; round++) {
		struct cab_readings *r = NULL;
		CHECK_INT(cab_readings_new(T0, NI, &r, NULL), CAB_OK);
		static double want[NM][NI];
		size_t cap = 64 * NI * NM + 64, len = 0;
		char *text = malloc(cap);
		len += (size_t)snprintf(text, cap, HDR);
		int order[NI * NM];
		for (int i = 0; i < NI * NM; i++)
			order[i] = i;
		for (int i = NI * NM - 1; i > 0; i--) {
			int j = (int)(next_rand() % (uint64_t)(i + 1));
			int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (int k = 0; k < NI * NM; k++) {
			int m = order[k] % NM, i = order[k] / NM;
			want[m][i] = NAN;
			if (next_rand() % 2)
				continue;
			double v;
			switch (next_rand() % 4) {
			case 0:
				v = (double)(next_rand() % 1000000) / 1000;
				break;
			case 1:
				v = (double)(next_rand() >> 11) * 0x1p-53 * 10;
				break;
			case 2:
				v = (double)(next_rand() >> 11) * 0x1p-40;
				break;
			default:
				v = (double)(next_rand() % 100) * 1e-30;
				break;
			}
			want[m][i] = v;
			char ts[21];
			cab_time_format_utc(T0 + (int64_t)i * CAB_INTERVAL_S,
					    ts);
			const char *fmt = next_rand() % 2 ? "%s,m%d,%.17g\n"
							  : "%s,m%d,%.17e\n";
			len += (size_t)snprintf(text + len, cap - len, fmt, ts,
						m, v);
		}
		struct cab_err err;
		cab_err_init(&err);
		CHECK_INT(cab_readings_parse_csv(r, "rand", text, len, &err),
			  CAB_OK);
		if (err.text)
			fprintf(stderr, "%s", err.text);
		cab_err_release(&err);
		int bad = 0;
		for (int m = 0; m < NM; m++) {
			char id[8];
			snprintf(id, sizeof(id), "m%d", m);
			const double *s = cab_readings_series(r, id);
			for (int i = 0; i < NI; i++) {
				double got = s ? s[i] : NAN;
				if (isnan(want[m][i]) ? !isnan(got)
						      : got != want[m][i])
					bad++;
			}
		}
		CHECK_INT(bad, 0);
		free(text);
		cab_readings_free(r);
	}
}

static void cleanup(void)
{
	char path[160];
	for (int i = 0; i < file_no; i++) {
		snprintf(path, sizeof(path), "%s/f%d.csv", tmpdir, i);
		unlink(path);
	}
	if (tmpdir[0])
		rmdir(tmpdir);
}

TEST(remove_temp_files)
{
	cleanup();
	CHECK(1);
}

static const struct harness_test tests[] = {
    T(values_land_on_their_interval),
    T(rows_outside_period_are_validated_but_ignored),
    T(offsets_bom_crlf_and_trailing_line_are_accepted),
    T(each_problem_has_its_message_and_line),
    T(header_and_blank_lines_are_checked),
    T(duplicates_name_the_first_line),
    T(a_bad_file_changes_nothing),
    T(duplicate_across_files_is_refused),
    T(undeclared_meters_are_validated_not_stored),
    T(missing_file_is_bad_input),
    T(at_most_twenty_problems_are_listed_then_how_many_more),
    T(put_replaces_a_series),
    T(random_rows_read_back_exactly),
    T(remove_temp_files),
};
HARNESS_MAIN("test_readings", tests)
