/*
 * time.h — UTC intervals and Europe/Brussels local time.
 *
 * Why: every series is indexed by quarter-hour intervals named by their
 * start instant in UTC (seconds since the Unix epoch). People speak in
 * local time (tariff periods, alert windows, scenario dates), which is
 * Europe/Brussels: CET (UTC+1) in winter, CEST (UTC+2) from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC
 * (the EU rule). We compute it ourselves rather than trust the machine's
 * TZ setting, so results do not depend on where cabine runs.
 *
 * All functions are pure and cannot fail unless they return a status.
 */
#ifndef CABINE_TIME_H
#define CABINE_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"

#define CAB_INTERVAL_S 900 /* one quarter-hour, in seconds */

/* A civil (calendar + clock) time, local or UTC depending on context. */
struct cab_civil {
	int year;     /* e.g. 2024 */
	int month;    /* 1..12 */
	int day;      /* 1..31 */
	int hour;     /* 0..23 */
	int minute;   /* 0..59 */
	int second;   /* 0..59 */
	int wday;     /* 0 = Monday … 6 = Sunday (ISO order) */
	int offset_s; /* UTC offset in seconds for local times, 0 for UTC */
};

/* Days since 1970-01-01 of a proleptic Gregorian date (may be negative). */
int64_t cab_time_days_from_civil(int year, int month, int day);
/* Inverse of cab_time_days_from_civil. */
void cab_time_civil_from_days(int64_t days, int *year, int *month, int *day);
/* Number of days in a month (leap years included); 0 for a bad month. */
int cab_time_days_in_month(int year, int month);
/* 365 or 366. */
int cab_time_days_in_year(int year);

/* Brussels UTC offset (3600 or 7200 seconds) in force at UTC instant t. */
int cab_time_brussels_offset_s(int64_t utc_s);
/* UTC instant t as Brussels local civil time (offset_s filled in). */
void cab_time_to_local(int64_t utc_s, struct cab_civil *out);
/* UTC instant t as UTC civil time. */
void cab_time_to_utc_civil(int64_t utc_s, struct cab_civil *out);
/* UTC instant of local midnight starting the given local date. Midnight
 * always exists in Brussels (DST changes happen at 02:00/03:00 local). */
int64_t cab_time_local_midnight(int year, int month, int day);
/* Number of quarter-hours in a local day: 92, 96 or 100. */
int cab_time_local_day_intervals(int year, int month, int day);

/* Is interval starting at utc_s in the day tariff period? Day = local
 * hour in [day_start_h, day_end_h) on Monday..Friday; night = the rest
 * and weekends. SPEC §5 defaults: 7 and 22. */
bool cab_time_is_day_rate(int64_t utc_s, int day_start_h, int day_end_h);

/* Parse an ISO 8601 instant "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z"
 * or "+HH:MM"/"-HH:MM" (also "+HHMM", "+HH"); a space may replace 'T'.
 * Without a zone, the text is local Brussels time; an ambiguous local time
 * (autumn hour) takes the first (summer) occurrence and a non-existent one
 * (spring gap) is an error. Returns CAB_OK or CAB_EINPUT; on error, *what
 * (if not NULL) points to a static description. len may stop before NUL. */
enum cab_status cab_time_parse_iso(const char *s, size_t len, int64_t *utc_s,
				   const char **what);
/* Parse a local date "YYYY-MM-DD" (validated calendar date). */
enum cab_status cab_time_parse_date(const char *s, size_t len, int *year,
				    int *month, int *day, const char **what);

/* UTC candidates of a local Brussels wall-clock time given as seconds
 * since 1970-01-01 00:00 of the local calendar ("as if UTC"): 0 in the
 * spring gap, 2 in the repeated autumn hour (summer-time instant first),
 * else 1. Returns the count and fills out[0..count). */
int cab_time_local_candidates(int64_t wall_s, int64_t out[2]);

/* Resolves naive local times of a source read in time order (a Flukso
 * file, a grid-operator export). An ambiguous autumn time is the summer
 * occurrence the first time, the winter one once the source has reached
 * that instant (its clock went back). Times in the spring gap, and an
 * ambiguous time that cannot be either occurrence given what came before,
 * fail with CAB_EINPUT and *what set. Embed zeroed. */
struct cab_local_clock {
	int64_t prev_utc; /* last instant resolved */
	int has_prev;	  /* prev_utc is set */
};
enum cab_status cab_time_local_in_order(struct cab_local_clock *c,
					int64_t wall_s, int64_t *utc_s,
					const char **what);

/* Format as "2024-03-05T10:00:00Z" into buf (at least 21 bytes). */
void cab_time_format_utc(int64_t utc_s, char buf[21]);
/* Format as local "2024-03-05T11:00" into buf (at least 17 bytes). */
void cab_time_format_local(int64_t utc_s, char buf[17]);

#endif
