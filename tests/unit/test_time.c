/*
 * test_time.c — calendar arithmetic, Brussels DST and ISO 8601 parsing.
 *
 * Expectations are computed by hand from the EU rule: in 2024 summer time
 * starts on Sunday 31 March at 01:00 UTC and ends on Sunday 27 October at
 * 01:00 UTC.
 */
#include "cabine/time.h"

#include "harness.h"

/* 2024-03-05T10:00:00Z = 19787 days × 86400 + 10 h */
#define T_2024_03_05_10 ((int64_t)19787 * 86400 + 36000)

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return cab_time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

TEST(days_from_civil_matches_known_dates)
{
	CHECK_INT(cab_time_days_from_civil(1970, 1, 1), 0);
	CHECK_INT(cab_time_days_from_civil(1969, 12, 31), -1);
	CHECK_INT(cab_time_days_from_civil(2000, 3, 1), 11017);
	CHECK_INT(cab_time_days_from_civil(2024, 3, 5), 19787);
	/* round trip over 1900..2100 */
	int bad = 0;
	for (int64_t d = -25567; d < 47482; d++) {
		int y, m, dd;
		cab_time_civil_from_days(d, &y, &m, &dd);
		bad += cab_time_days_from_civil(y, m, dd) != d;
	}
	CHECK_INT(bad, 0);
}

TEST(days_in_month_and_year_follow_leap_rules)
{
	CHECK_INT(cab_time_days_in_month(2024, 2), 29);
	CHECK_INT(cab_time_days_in_month(2023, 2), 28);
	CHECK_INT(cab_time_days_in_month(1900, 2), 28);
	CHECK_INT(cab_time_days_in_month(2000, 2), 29);
	CHECK_INT(cab_time_days_in_month(2024, 4), 30);
	CHECK_INT(cab_time_days_in_month(2024, 13), 0);
	CHECK_INT(cab_time_days_in_month(2024, 0), 0);
	CHECK_INT(cab_time_days_in_year(2024), 366);
	CHECK_INT(cab_time_days_in_year(2023), 365);
	CHECK_INT(cab_time_days_in_year(2100), 365);
}

TEST(local_days_have_92_96_or_100_intervals)
{
	CHECK_INT(cab_time_local_day_intervals(2024, 3, 31), 92);
	CHECK_INT(cab_time_local_day_intervals(2024, 10, 27), 100);
	CHECK_INT(cab_time_local_day_intervals(2024, 3, 30), 96);
	CHECK_INT(cab_time_local_day_intervals(2024, 4, 1), 96);
	CHECK_INT(cab_time_local_day_intervals(2024, 10, 26), 96);
	CHECK_INT(cab_time_local_day_intervals(2024, 10, 28), 96);
	CHECK_INT(cab_time_local_day_intervals(2024, 1, 1), 96);
	CHECK_INT(cab_time_local_day_intervals(2025, 3, 30), 92);
	CHECK_INT(cab_time_local_day_intervals(2025, 10, 26), 100);
	/* a whole year: 366 × 96 intervals (the two changes cancel) */
	int64_t a = cab_time_local_midnight(2024, 1, 1);
	int64_t b = cab_time_local_midnight(2025, 1, 1);
	CHECK_INT((b - a) / CAB_INTERVAL_S, 366 * 96);
}

TEST(local_midnight_is_utc_minus_offset)
{
	/* winter: 2024-01-01 00:00 CET = 2023-12-31 23:00 UTC */
	CHECK_INT(cab_time_local_midnight(2024, 1, 1),
		  utc(2023, 12, 31, 23, 0));
	/* summer: 2024-07-01 00:00 CEST = 2024-06-30 22:00 UTC */
	CHECK_INT(cab_time_local_midnight(2024, 7, 1), utc(2024, 6, 30, 22, 0));
	/* the spring day starts in winter time */
	CHECK_INT(cab_time_local_midnight(2024, 3, 31),
		  utc(2024, 3, 30, 23, 0));
}

TEST(offset_changes_at_0100_utc_on_last_sundays)
{
	int64_t spring = utc(2024, 3, 31, 1, 0);
	int64_t autumn = utc(2024, 10, 27, 1, 0);
	CHECK_INT(cab_time_brussels_offset_s(spring - 1), 3600);
	CHECK_INT(cab_time_brussels_offset_s(spring), 7200);
	CHECK_INT(cab_time_brussels_offset_s(autumn - 1), 7200);
	CHECK_INT(cab_time_brussels_offset_s(autumn), 3600);
	CHECK_INT(cab_time_brussels_offset_s(utc(2024, 1, 15, 12, 0)), 3600);
	CHECK_INT(cab_time_brussels_offset_s(utc(2024, 7, 15, 12, 0)), 7200);
	CHECK_INT(cab_time_brussels_offset_s(utc(2024, 12, 31, 23, 59)), 3600);

	struct cab_civil c;
	cab_time_to_local(spring - 900, &c); /* 00:45 UTC = 01:45 CET */
	CHECK_INT(c.hour, 1);
	CHECK_INT(c.minute, 45);
	CHECK_INT(c.offset_s, 3600);
	cab_time_to_local(spring, &c); /* 01:00 UTC = 03:00 CEST */
	CHECK_INT(c.hour, 3);
	CHECK_INT(c.minute, 0);
	CHECK_INT(c.offset_s, 7200);
	CHECK_INT(c.wday, 6);		     /* Sunday */
	cab_time_to_local(autumn - 900, &c); /* 00:45 UTC = 02:45 CEST */
	CHECK_INT(c.hour, 2);
	CHECK_INT(c.minute, 45);
	cab_time_to_local(autumn, &c); /* 01:00 UTC = 02:00 CET (again) */
	CHECK_INT(c.hour, 2);
	CHECK_INT(c.minute, 0);
	CHECK_INT(c.offset_s, 3600);
}

TEST(day_rate_is_weekdays_7_to_22_local)
{
	/* Tuesday 2024-03-05, CET: local = UTC + 1 */
	CHECK(!cab_time_is_day_rate(utc(2024, 3, 5, 5, 45), 7, 22)); /* 06:45 */
	CHECK(cab_time_is_day_rate(utc(2024, 3, 5, 6, 0), 7, 22));   /* 07:00 */
	CHECK(cab_time_is_day_rate(utc(2024, 3, 5, 20, 45), 7, 22)); /* 21:45 */
	CHECK(!cab_time_is_day_rate(utc(2024, 3, 5, 21, 0), 7, 22)); /* 22:00 */
	/* Tuesday 2024-07-02, CEST: local = UTC + 2 */
	CHECK(!cab_time_is_day_rate(utc(2024, 7, 2, 4, 45), 7, 22));
	CHECK(cab_time_is_day_rate(utc(2024, 7, 2, 5, 0), 7, 22));
	CHECK(cab_time_is_day_rate(utc(2024, 7, 2, 19, 45), 7, 22));
	CHECK(!cab_time_is_day_rate(utc(2024, 7, 2, 20, 0), 7, 22));
	/* Saturday 2024-03-09 and Sunday 2024-03-10: night all day */
	CHECK(!cab_time_is_day_rate(utc(2024, 3, 9, 11, 0), 7, 22));
	CHECK(!cab_time_is_day_rate(utc(2024, 3, 10, 11, 0), 7, 22));
	/* Friday 21:45 local is day, Monday 07:00 local is day */
	CHECK(cab_time_is_day_rate(utc(2024, 3, 8, 20, 45), 7, 22));
	CHECK(cab_time_is_day_rate(utc(2024, 3, 11, 6, 0), 7, 22));
}

TEST(parse_accepts_z_offsets_and_local)
{
	int64_t t = 0;
	const char *what = NULL;
	const char *ok[] = {
	    "2024-03-05T10:00:00Z",	 "2024-03-05T10:00Z",
	    "2024-03-05 10:00:00Z",	 "2024-03-05T11:00:00+01:00",
	    "2024-03-05T12:00:00+02:00", "2024-03-05T09:00:00-01:00",
	    "2024-03-05T11:00:00+0100",	 "2024-03-05T11:00+01",
	    "2024-03-05T10:00:00.000Z",	 "2024-03-05T11:00",
	    "2024-03-05T11:00:00",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		t = 0;
		what = NULL;
		enum cab_status st =
		    cab_time_parse_iso(ok[i], strlen(ok[i]), &t, &what);
		if (st != CAB_OK || t != T_2024_03_05_10)
			fprintf(stderr, "  case '%s': %s\n", ok[i],
				what ? what : "wrong instant");
		CHECK_INT(st, CAB_OK);
		CHECK_INT(t, T_2024_03_05_10);
	}
	/* summer local time: UTC + 2 */
	CHECK_INT(cab_time_parse_iso("2024-07-01T12:00", 16, &t, &what),
		  CAB_OK);
	CHECK_INT(t, utc(2024, 7, 1, 10, 0));
	/* autumn ambiguous 02:30 takes the summer (first) occurrence */
	CHECK_INT(cab_time_parse_iso("2024-10-27T02:30", 16, &t, &what),
		  CAB_OK);
	CHECK_INT(t, utc(2024, 10, 27, 0, 30));
	/* len may stop before the NUL */
	CHECK_INT(cab_time_parse_iso("2024-03-05T10:00:00Zjunk", 20, &t, &what),
		  CAB_OK);
	CHECK_INT(t, T_2024_03_05_10);
}

TEST(parse_rejects_bad_inputs_with_reason)
{
	struct {
		const char *s;
		const char *what;
	} bad[] = {
	    {"2023-02-29T00:00Z", "impossible date"},
	    {"2024-02-30T00:00Z", "impossible date"},
	    {"2024-13-01T00:00Z", "impossible date"},
	    {"2024-00-01T00:00Z", "impossible date"},
	    {"2024-03-05T24:00Z", "impossible time of day"},
	    {"2024-03-05T10:60Z", "impossible time of day"},
	    {"2024-03-05T10:00:60Z", "impossible time of day"},
	    {"2024-03-05T10:00+25:00", "impossible UTC offset"},
	    {"2024-03-31T02:30", "local time does not exist (spring DST gap)"},
	    {"garbage",
	     "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	    {"", "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	    {"2024-03-05",
	     "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	    {"2024-3-5T10:00Z",
	     "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	    {"2024-03-05T10:00:00ZZ",
	     "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	    {"2024-03-05T10:00:00.Z",
	     "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	    {"2024-03-05T10:00:00+1",
	     "expected ISO 8601 timestamp like 2024-03-05T10:00:00Z"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t t = 12345;
		const char *what = NULL;
		CHECK_INT(
		    cab_time_parse_iso(bad[i].s, strlen(bad[i].s), &t, &what),
		    CAB_EINPUT);
		CHECK_STR(what, bad[i].what);
		CHECK_INT(t, 12345);
	}
	/* a NULL what is allowed */
	CHECK_INT(cab_time_parse_iso("x", 1, NULL, NULL), CAB_EINPUT);
}

TEST(parse_date_validates_calendar)
{
	int y = 0, m = 0, d = 0;
	const char *what = NULL;
	CHECK_INT(cab_time_parse_date("2024-02-29", 10, &y, &m, &d, &what),
		  CAB_OK);
	CHECK_INT(y, 2024);
	CHECK_INT(m, 2);
	CHECK_INT(d, 29);
	CHECK_INT(cab_time_parse_date("2023-02-29", 10, &y, &m, &d, &what),
		  CAB_EINPUT);
	CHECK_STR(what, "impossible date");
	CHECK_INT(cab_time_parse_date("2024-02-1", 9, &y, &m, &d, &what),
		  CAB_EINPUT);
	CHECK_STR(what, "expected a date like 2024-03-05");
	CHECK_INT(cab_time_parse_date("2024-02-10T", 11, &y, &m, &d, &what),
		  CAB_EINPUT);
}

TEST(format_round_trips)
{
	char buf[21], loc[17];
	cab_time_format_utc(T_2024_03_05_10, buf);
	CHECK_STR(buf, "2024-03-05T10:00:00Z");
	cab_time_format_local(T_2024_03_05_10, loc);
	CHECK_STR(loc, "2024-03-05T11:00");
	cab_time_format_local(utc(2024, 7, 1, 10, 0), loc);
	CHECK_STR(loc, "2024-07-01T12:00");
	/* every quarter-hour of 2024 (and a bit) survives format → parse */
	int bad = 0;
	int64_t a = utc(2023, 12, 31, 0, 0), b = utc(2025, 1, 2, 0, 0);
	for (int64_t t = a; t < b; t += CAB_INTERVAL_S) {
		int64_t back = -1;
		cab_time_format_utc(t, buf);
		bad += cab_time_parse_iso(buf, 20, &back, NULL) != CAB_OK ||
		       back != t;
		/* local form is unambiguous except in the repeated hour */
		cab_time_format_local(t, loc);
		back = -1;
		if (cab_time_parse_iso(loc, 16, &back, NULL) != CAB_OK)
			bad++;
		else if (back != t && back != t - 3600)
			bad++;
	}
	CHECK_INT(bad, 0);
}

static const struct harness_test tests[] = {
    T(days_from_civil_matches_known_dates),
    T(days_in_month_and_year_follow_leap_rules),
    T(local_days_have_92_96_or_100_intervals),
    T(local_midnight_is_utc_minus_offset),
    T(offset_changes_at_0100_utc_on_last_sundays),
    T(day_rate_is_weekdays_7_to_22_local),
    T(parse_accepts_z_offsets_and_local),
    T(parse_rejects_bad_inputs_with_reason),
    T(parse_date_validates_calendar),
    T(format_round_trips),
};
HARNESS_MAIN("test_time", tests)
