/*
 * test_signal_csv.c — the one reader of signal.csv (engine/ingest/
 * signal_csv.c): hand-written files, their instants computed by hand,
 * every problem's exact message, the list cut at 20, and the scenario's
 * reader (`alerts --signal`) giving the same windows.
 *
 * Instants by hand: 2024-01-01 is day 19723 of the Unix epoch
 * (1704067200 / 86400). 2024-06-01 is 31+29+31+30+31 = 152 days later,
 * day 19875 = 1717200000 s; summer time (UTC+2), so 11:15 local = 09:15Z
 * = 1717200000 + 33300 and 15:30 local = 13:30Z = 1717200000 + 48600.
 * 2024-10-27 is 274 + 26 = 300 days after 1 January, day 20023 =
 * 1729987200 s; summer time ends at 01:00Z that day, so 11:15 local is
 * winter time (UTC+1) = 10:15Z = 1729987200 + 36900, 15:30 = 14:30Z =
 * 1729987200 + 52200; and the night window 01:45 (summer, UTC+2: 23:45Z
 * the day before = 1729987200 − 900) to 03:00 (winter, UTC+1: 02:00Z =
 * 1729987200 + 7200) lasts 2 h 15 = 9 quarter-hours although the clock
 * says 1 h 15.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/scenario.h"
#include "cabine/signal_csv.h"
#include "harness.h"

#define JUNE_1 INT64_C(1717200000)
#define OCT_27 INT64_C(1729987200)

static enum cab_status parse(const char *text, struct cab_signal_window **w,
			     size_t *n, struct cab_err *err)
{
	return cab_signal_csv_parse("signal.csv", text, strlen(text), w, n,
				    err);
}

TEST(two_windows_with_bom_crlf_and_a_dst_day)
{
	const char text[] = "\xEF\xBB\xBF"
			    "start,end,surplus_kwh\r\n"
			    "2024-06-01T11:15,2024-06-01T15:30,12.345678\r\n"
			    "2024-10-27T11:15,2024-10-27T15:30,0.5\r\n"
			    "\r\n";
	struct cab_signal_window *w = NULL;
	size_t n = 9;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(parse(text, &w, &n, &err), CAB_OK);
	CHECK_INT(err.count, 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(w[0].start_s, JUNE_1 + 33300);
		CHECK_INT(w[0].end_s, JUNE_1 + 48600);
		CHECK_NEAR(w[0].surplus_kwh, 12.345678, 0);
		CHECK_INT(w[1].start_s, OCT_27 + 36900);
		CHECK_INT(w[1].end_s, OCT_27 + 52200);
		CHECK_NEAR(w[1].surplus_kwh, 0.5, 0);
	}
	free(w);
	cab_err_release(&err);
}

TEST(the_autumn_night_window_counts_nine_quarter_hours)
{
	/* The bound is 250,000 kWh per quarter-hour of the window: 9 × 250000
	 * = 2,250,000 is allowed, a millionth more is not. An offset and Z
	 * are allowed too; "-0" is 0. */
	const char ok[] = "start,end,surplus_kwh\n"
			  "2024-10-27T01:45,2024-10-27T03:00,2250000\n"
			  "2024-06-01T11:15+02:00,2024-06-01T13:30Z,-0\n";
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	CHECK_INT(parse(ok, &w, &n, NULL), CAB_OK);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(w[0].start_s, OCT_27 - 900);
		CHECK_INT(w[0].end_s, OCT_27 + 7200);
		CHECK_INT((w[0].end_s - w[0].start_s) / 900, 9);
		CHECK_NEAR(w[0].surplus_kwh, 2250000, 0);
		CHECK_INT(w[1].start_s, JUNE_1 + 33300);
		CHECK_INT(w[1].end_s, JUNE_1 + 48600);
		CHECK(w[1].surplus_kwh == 0 && !signbit(w[1].surplus_kwh));
	}
	free(w);
	const char big[] = "start,end,surplus_kwh\n"
			   "2024-10-27T01:45,2024-10-27T03:00,2250000.000001\n";
	struct cab_err err;
	cab_err_init(&err);
	w = NULL;
	n = 7;
	CHECK_INT(parse(big, &w, &n, &err), CAB_EINPUT);
	CHECK(w == NULL && n == 0);
	CHECK_STR(err.text, "signal.csv:2: surplus_kwh 2250000.000001 is too "
			    "large (expected at most 250000 kWh a "
			    "quarter-hour of the window, 1 GW)\n");
	cab_err_release(&err);
}

TEST(every_problem_is_one_line_saying_what_was_expected)
{
	const char text[] = "start,end,surplus_kwh\n"
			    "2024-06-01T11:15,2024-06-01T11:00,1\n"
			    "2024-06-01T11:15,2024-06-01T12:00\n"
			    "2024-13-01T11:15,2024-06-01T12:00,1\n"
			    "2024-06-01T11:15,2024-06-01T12:00,-1.5\n"
			    "2024-06-01T11:15,2024-06-01T12:00,nan\n"
			    "2024-06-01T11:15,2024-06-01T12:00,NaN\n"
			    "2024-06-01T11:15,2024-06-01T12:00,\n"
			    "2024-06-01T11:15,2024-06-01T12:00,1e999\n"
			    "2024-06-01T11:15,2024-06-01T12:00,12,5\n"
			    "2024-06-01T11:15,2024-06-01T12:00,1 kWh\n"
			    "2024-06-01T11:10,2024-06-01T12:00,1\n"
			    "2024-06-01T11:00,2024-06-02T11:15,1\n";
	struct cab_err err;
	cab_err_init(&err);
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	CHECK_INT(parse(text, &w, &n, &err), CAB_EINPUT);
	CHECK_STR(err.text,
		  "signal.csv:2: the window must end after it starts, within "
		  "24 h, on quarter-hours\n"
		  "signal.csv:3: expected 3 fields: start,end,surplus_kwh\n"
		  "signal.csv:4: invalid start time '2024-13-01T11:15' "
		  "(impossible date)\n"
		  "signal.csv:5: surplus_kwh must be ≥ 0, got -1.5 (a window "
		  "is where the community expects a surplus)\n"
		  "signal.csv:6: surplus_kwh 'nan' is not a number (expected "
		  "a decimal like 12.345678)\n"
		  "signal.csv:7: surplus_kwh 'NaN' is not a number (expected "
		  "a decimal like 12.345678)\n"
		  "signal.csv:8: surplus_kwh is empty (expected a decimal "
		  "like 12.345678)\n"
		  "signal.csv:9: surplus_kwh '1e999' is not finite (expected "
		  "a decimal like 12.345678)\n"
		  "signal.csv:10: expected 3 fields: start,end,surplus_kwh\n"
		  "signal.csv:11: surplus_kwh '1 kWh' is not a number "
		  "(expected a decimal like 12.345678)\n"
		  "signal.csv:12: the window must end after it starts, within "
		  "24 h, on quarter-hours\n"
		  "signal.csv:13: the window must end after it starts, within "
		  "24 h, on quarter-hours\n");
	CHECK_INT(err.count, 12);
	cab_err_release(&err);
	/* The header: a missing column, and an empty file. */
	cab_err_init(&err);
	CHECK_INT(parse("start,end\n2024-06-01T11:15,2024-06-01T12:00\n", &w,
			&n, &err),
		  CAB_EINPUT);
	CHECK_STR(err.text, "signal.csv:1: expected the header "
			    "'start,end,surplus_kwh' of a signal.csv written "
			    "by cabine forecast\n");
	cab_err_release(&err);
	cab_err_init(&err);
	CHECK_INT(parse("", &w, &n, &err), CAB_EINPUT);
	CHECK_STR(err.text, "signal.csv:1: empty file (expected the header "
			    "'start,end,surplus_kwh')\n");
	cab_err_release(&err);
	/* A header alone: no window, no problem. */
	w = (struct cab_signal_window *)&n; /* must be reset */
	n = 3;
	CHECK_INT(parse("start,end,surplus_kwh\n", &w, &n, NULL), CAB_OK);
	CHECK(w == NULL);
	CHECK_INT(n, 0);
}

TEST(more_than_twenty_problems_end_with_their_count)
{
	/* 25 bad lines: 20 listed, then one line for the 5 others. */
	char text[4096] = "start,end,surplus_kwh\n";
	for (int k = 0; k < 25; k++)
		strcat(text, "2024-06-01T11:15,2024-06-01T12:00,-1\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	CHECK_INT(parse(text, &w, &n, &err), CAB_EINPUT);
	CHECK_INT(err.count, 21);
	const char *last = err.text ? strstr(err.text, "signal.csv:21:") : NULL;
	CHECK(last != NULL);
	CHECK(strstr(err.text, "signal.csv:22:") == NULL);
	CHECK(last && strstr(last, "\n… and 5 more problems\n") != NULL);
	cab_err_release(&err);
}

TEST(a_file_that_cannot_be_opened_is_named)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	CHECK_INT(cab_signal_csv_read("/nonexistent/signal.csv", &w, &n, &err),
		  CAB_EINPUT);
	CHECK_STR(err.text, "/nonexistent/signal.csv: cannot open (No such "
			    "file or directory)\n");
	cab_err_release(&err);
}

TEST(alerts_signal_reads_the_same_windows)
{
	const char text[] = "start,end,surplus_kwh\n"
			    "2024-10-27T11:15,2024-10-27T15:30,0.5\n"
			    "2024-06-01T11:15,2024-06-01T15:30,12.345678\n";
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	CHECK_INT(parse(text, &w, &n, NULL), CAB_OK);
	struct cab_scenario sc;
	memset(&sc, 0, sizeof(sc));
	CHECK_INT(cab_scenario_parse_signal(&sc, "signal.csv", text,
					    strlen(text), NULL),
		  CAB_OK);
	CHECK_INT(sc.n_alerts, 2);
	CHECK_INT(sc.n_signal_windows, 2);
	for (size_t k = 0; k < n && k < sc.n_alerts; k++) {
		CHECK_INT(sc.alerts[k].start_s, w[k].start_s);
		CHECK_INT(sc.alerts[k].end_s, w[k].end_s);
		CHECK(sc.alerts[k].is_announced);
	}
	/* A bad surplus is refused by both, the scenario left unchanged. */
	const char bad[] = "start,end,surplus_kwh\n"
			   "2024-06-01T11:15,2024-06-01T15:30,-2\n";
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_scenario_parse_signal(&sc, "signal.csv", bad, strlen(bad),
					    &err),
		  CAB_EINPUT);
	CHECK_INT(sc.n_alerts, 2);
	CHECK_INT(sc.n_signal_windows, 2);
	CHECK_STR(err.text, "signal.csv:2: surplus_kwh must be ≥ 0, got -2 (a "
			    "window is where the community expects a "
			    "surplus)\n");
	cab_err_release(&err);
	free(sc.alerts);
	free(w);
}

static const struct harness_test tests[] = {
    T(two_windows_with_bom_crlf_and_a_dst_day),
    T(the_autumn_night_window_counts_nine_quarter_hours),
    T(every_problem_is_one_line_saying_what_was_expected),
    T(more_than_twenty_problems_end_with_their_count),
    T(a_file_that_cannot_be_opened_is_named),
    T(alerts_signal_reads_the_same_windows),
};

HARNESS_MAIN("test_signal_csv", tests)
