/*
 * time.c — UTC intervals and Europe/Brussels local time (SPEC §1).
 *
 * Why our own code: the result must not depend on the machine's TZ or
 * tzdata, so no localtime/mktime here. Brussels follows the EU rule: CET
 * (UTC+1), and CEST (UTC+2) from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC. Calendar arithmetic is Howard
 * Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
 *
 * Workload: called per interval by reports and tariffs (cheap, pure) and
 * per row by the readings parser, which has its own fast path for the
 * common "YYYY-MM-DDTHH:MM:SSZ" shape and falls back to cab_time_parse_iso.
 */
#include "cabine/time.h"

#include <string.h>

#include "engine/base/i18n.h"

static const char WHAT_SHAPE[] =
    N_("expected ISO 8601 timestamp like 2024-03-05T10:00:00Z");
static const char WHAT_DATE_SHAPE[] = N_("expected a date like 2024-03-05");
static const char WHAT_DATE[] = N_("impossible date");
static const char WHAT_TIME[] = N_("impossible time of day");
static const char WHAT_OFFSET[] = N_("impossible UTC offset");
static const char WHAT_FRACTION[] =
    N_("fractional seconds must be zero (intervals start on whole seconds)");
static const char WHAT_GAP[] = N_("local time does not exist (spring DST gap)");
static const char WHAT_AMBIGUOUS[] =
    N_("ambiguous local time of the autumn DST change cannot be placed (rows "
       "out of time order; expected each local time at most twice, in order, "
       "or an explicit UTC offset)");

static enum cab_status fail(const char **what, const char *msg);

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t cab_time_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;			     /* [0, 399] */
	int64_t mp = (month + 9) % 12;			     /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + day - 1;	     /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

void cab_time_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (year)
		*year = (int)(y + (m <= 2));
	if (month)
		*month = (int)m;
	if (day)
		*day = (int)d;
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int cab_time_days_in_month(int year, int month)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && is_leap(year))
		return 29;
	return dim[month - 1];
}

int cab_time_days_in_year(int year)
{
	return is_leap(year) ? 366 : 365;
}

/* ISO weekday of a day number: 0 = Monday … 6 = Sunday (1970-01-01 was a
 * Thursday). */
static int wday_of_days(int64_t days)
{
	return (int)(((days + 3) % 7 + 7) % 7);
}

/* UTC instant of 01:00 UTC on the last Sunday of `month`. */
static int64_t last_sunday_0100(int year, int month)
{
	int64_t last = cab_time_days_from_civil(
	    year, month, cab_time_days_in_month(year, month));
	last -= (wday_of_days(last) + 1) % 7; /* back to Sunday (wday 6) */
	return last * 86400 + 3600;
}

int cab_time_brussels_offset_s(int64_t utc_s)
{
	int year;
	cab_time_civil_from_days(floor_div(utc_s, 86400), &year, NULL, NULL);
	if (utc_s >= last_sunday_0100(year, 3) &&
	    utc_s < last_sunday_0100(year, 10))
		return 7200;
	return 3600;
}

static void civil_of(int64_t s, int offset_s, struct cab_civil *out)
{
	int64_t days = floor_div(s, 86400);
	int64_t sod = s - days * 86400;
	cab_time_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(sod / 3600);
	out->minute = (int)(sod / 60 % 60);
	out->second = (int)(sod % 60);
	out->wday = wday_of_days(days);
	out->offset_s = offset_s;
}

void cab_time_to_local(int64_t utc_s, struct cab_civil *out)
{
	int off = cab_time_brussels_offset_s(utc_s);
	civil_of(utc_s + off, off, out);
}

void cab_time_to_utc_civil(int64_t utc_s, struct cab_civil *out)
{
	civil_of(utc_s, 0, out);
}

/* Local wall-clock seconds (as if UTC) → UTC instant. Ambiguous autumn
 * times take the summer (first) occurrence; returns false in the spring
 * gap. */
static bool local_to_utc(int64_t local_s, int64_t *utc_s)
{
	if (cab_time_brussels_offset_s(local_s - 7200) == 7200) {
		*utc_s = local_s - 7200;
		return true;
	}
	if (cab_time_brussels_offset_s(local_s - 3600) == 3600) {
		*utc_s = local_s - 3600;
		return true;
	}
	return false;
}

int cab_time_local_candidates(int64_t wall_s, int64_t out[2])
{
	int n = 0;
	/* Summer time first: it is the earlier instant of an ambiguous time. */
	if (cab_time_brussels_offset_s(wall_s - 7200) == 7200)
		out[n++] = wall_s - 7200;
	if (cab_time_brussels_offset_s(wall_s - 3600) == 3600)
		out[n++] = wall_s - 3600;
	return n;
}

enum cab_status cab_time_local_in_order(struct cab_local_clock *c,
					int64_t wall_s, int64_t *utc_s,
					const char **what)
{
	int64_t cand[2];
	int n = cab_time_local_candidates(wall_s, cand);
	if (n == 0)
		return fail(what, WHAT_GAP);
	int64_t t = cand[0];
	if (n == 2) {
		/* The autumn hour happens twice: the first time it appears it
		 * is summer time; once the file has reached or passed that
		 * instant (the clock went back), it is winter time. */
		if (c->has_prev && c->prev_utc >= cand[0])
			t = cand[1];
		if (c->has_prev && c->prev_utc >= cand[1])
			return fail(what, WHAT_AMBIGUOUS);
	}
	c->prev_utc = t;
	c->has_prev = true;
	*utc_s = t;
	return CAB_OK;
}

int64_t cab_time_local_midnight(int year, int month, int day)
{
	int64_t t = 0;
	int64_t local = cab_time_days_from_civil(year, month, day) * 86400;
	if (!local_to_utc(local, &t))
		t = local - 3600; /* cannot happen in Brussels */
	return t;
}

int cab_time_local_day_intervals(int year, int month, int day)
{
	int64_t d = cab_time_days_from_civil(year, month, day);
	int y2, m2, d2;
	cab_time_civil_from_days(d + 1, &y2, &m2, &d2);
	int64_t a = cab_time_local_midnight(year, month, day);
	int64_t b = cab_time_local_midnight(y2, m2, d2);
	return (int)((b - a) / CAB_INTERVAL_S);
}

bool cab_time_is_day_rate(int64_t utc_s, int day_start_h, int day_end_h)
{
	struct cab_civil c;
	cab_time_to_local(utc_s, &c);
	return c.wday < 5 && c.hour >= day_start_h && c.hour < day_end_h;
}

/* Read exactly n digits at s[*i]; false if any is not a digit. */
static bool digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;
	for (int k = 0; k < n; k++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return false;
		v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	*out = v;
	return true;
}

static bool expect(const char *s, size_t len, size_t *i, char c)
{
	if (*i < len && s[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

static enum cab_status fail(const char **what, const char *msg)
{
	if (what)
		*what = msg;
	return CAB_EINPUT;
}

/* "YYYY-MM-DD" at s[*i], checked against the calendar. */
static enum cab_status parse_ymd(const char *s, size_t len, size_t *i, int *y,
				 int *m, int *d, const char **what,
				 const char *shape)
{
	if (!digits(s, len, i, 4, y) || !expect(s, len, i, '-') ||
	    !digits(s, len, i, 2, m) || !expect(s, len, i, '-') ||
	    !digits(s, len, i, 2, d))
		return fail(what, shape);
	if (*m < 1 || *m > 12 || *d < 1 || *d > cab_time_days_in_month(*y, *m))
		return fail(what, WHAT_DATE);
	return CAB_OK;
}

enum cab_status cab_time_parse_iso(const char *s, size_t len, int64_t *utc_s,
				   const char **what)
{
	size_t i = 0;
	int y, mo, d, h, mi, sec = 0;
	if (!s)
		return fail(what, WHAT_SHAPE);
	enum cab_status st =
	    parse_ymd(s, len, &i, &y, &mo, &d, what, WHAT_SHAPE);
	if (st != CAB_OK)
		return st;
	if (!(expect(s, len, &i, 'T') || expect(s, len, &i, ' ')) ||
	    !digits(s, len, &i, 2, &h) || !expect(s, len, &i, ':') ||
	    !digits(s, len, &i, 2, &mi))
		return fail(what, WHAT_SHAPE);
	bool nonzero_fraction = false;
	if (expect(s, len, &i, ':')) {
		if (!digits(s, len, &i, 2, &sec))
			return fail(what, WHAT_SHAPE);
		if (expect(s, len, &i, '.')) {
			size_t start = i;
			while (i < len && s[i] >= '0' && s[i] <= '9') {
				nonzero_fraction |= s[i] != '0';
				i++;
			}
			if (i == start)
				return fail(what, WHAT_SHAPE);
		}
	}
	if (h > 23 || mi > 59 || sec > 59)
		return fail(what, WHAT_TIME);

	bool has_zone = false;
	int offset_s = 0;
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		has_zone = true;
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
		i++;
		has_zone = true;
		if (!digits(s, len, &i, 2, &oh))
			return fail(what, WHAT_SHAPE);
		if (expect(s, len, &i, ':')) {
			if (!digits(s, len, &i, 2, &om))
				return fail(what, WHAT_SHAPE);
		} else if (i < len && s[i] >= '0' && s[i] <= '9') {
			if (!digits(s, len, &i, 2, &om))
				return fail(what, WHAT_SHAPE);
		}
		if (oh > 23 || om > 59)
			return fail(what, WHAT_OFFSET);
		offset_s = sign * (oh * 3600 + om * 60);
	}
	if (i != len)
		return fail(what, WHAT_SHAPE);
	if (nonzero_fraction)
		return fail(what, WHAT_FRACTION);

	int64_t wall = cab_time_days_from_civil(y, mo, d) * 86400 + h * 3600 +
		       mi * 60 + sec;
	int64_t t;
	if (has_zone) {
		t = wall - offset_s;
	} else if (!local_to_utc(wall, &t)) {
		return fail(what, WHAT_GAP);
	}
	if (utc_s)
		*utc_s = t;
	return CAB_OK;
}

enum cab_status cab_time_parse_date(const char *s, size_t len, int *year,
				    int *month, int *day, const char **what)
{
	size_t i = 0;
	int y, m, d;
	if (!s)
		return fail(what, WHAT_DATE_SHAPE);
	enum cab_status st =
	    parse_ymd(s, len, &i, &y, &m, &d, what, WHAT_DATE_SHAPE);
	if (st != CAB_OK)
		return st;
	if (i != len)
		return fail(what, WHAT_DATE_SHAPE);
	if (year)
		*year = y;
	if (month)
		*month = m;
	if (day)
		*day = d;
	return CAB_OK;
}

/* Write v as exactly n decimal digits (clamped to fit). */
static void put_digits(char *p, int v, int n)
{
	if (v < 0)
		v = 0;
	for (int k = n - 1; k >= 0; k--) {
		p[k] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void format_civil(const struct cab_civil *c, char *buf, bool seconds)
{
	put_digits(buf, c->year, 4);
	buf[4] = '-';
	put_digits(buf + 5, c->month, 2);
	buf[7] = '-';
	put_digits(buf + 8, c->day, 2);
	buf[10] = 'T';
	put_digits(buf + 11, c->hour, 2);
	buf[13] = ':';
	put_digits(buf + 14, c->minute, 2);
	if (seconds) {
		buf[16] = ':';
		put_digits(buf + 17, c->second, 2);
		buf[19] = 'Z';
		buf[20] = '\0';
	} else {
		buf[16] = '\0';
	}
}

void cab_time_format_utc(int64_t utc_s, char buf[21])
{
	struct cab_civil c;
	cab_time_to_utc_civil(utc_s, &c);
	format_civil(&c, buf, true);
}

void cab_time_format_local(int64_t utc_s, char buf[17])
{
	struct cab_civil c;
	cab_time_to_local(utc_s, &c);
	format_civil(&c, buf, false);
}
