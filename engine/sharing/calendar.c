/*
 * calendar.c — the period's calendar for the volumes and the bills: the
 * local calendar months it touches (Europe/Brussels) and, per interval,
 * its month and whether it falls in the tariff's day period (SPEC §5:
 * day = weekdays between day_start_h and day_end_h local, night = the
 * rest and weekends).
 *
 * Why once: the monthly volumes, the day/night split of every bill and
 * the pot's cabin bill all need the same answer for the same interval.
 * Workload: one local-time conversion per interval (35,040 a year).
 */
#include <stdlib.h>

#include "cabine/time.h"
#include "engine/sharing/sharing.h"

enum cab_status cab_calendar_init(struct cab_calendar *cal, int64_t t0_s,
				  size_t n_intervals,
				  const struct cab_tariff *tf)
{
	size_t nt = n_intervals;
	size_t cap = 16, n = 0;
	*cal = (struct cab_calendar){.n_intervals = nt};
	struct cab_month *m = calloc(cap, sizeof(*m));
	unsigned short *month_of = malloc((nt ? nt : 1) * sizeof(*month_of));
	unsigned char *is_day = malloc(nt ? nt : 1);
	if (!m || !month_of || !is_day)
		goto fail;
	for (size_t t = 0; t < nt; t++) {
		int64_t ts = t0_s + (int64_t)t * CAB_INTERVAL_S;
		struct cab_civil lc;
		cab_time_to_local(ts, &lc);
		if (n == 0 || m[n - 1].year != lc.year ||
		    m[n - 1].month != lc.month) {
			if (n == cap) {
				cap *= 2;
				struct cab_month *g =
				    realloc(m, cap * sizeof(*m));
				if (!g)
					goto fail;
				m = g;
			}
			m[n].year = lc.year;
			m[n].month = lc.month;
			m[n].first = t;
			m[n].count = 0;
			n++;
		}
		m[n - 1].count++;
		month_of[t] = (unsigned short)(n - 1);
		bool day = lc.wday < 5 && lc.hour >= tf->day_start_h &&
			   lc.hour < tf->day_end_h;
		is_day[t] = day;
	}
	cal->months = m;
	cal->n_months = n;
	cal->month_of = month_of;
	cal->is_day = is_day;
	return CAB_OK;
fail:
	free(m);
	free(month_of);
	free(is_day);
	return CAB_ENOMEM;
}

void cab_calendar_release(struct cab_calendar *cal)
{
	free(cal->months);
	free(cal->month_of);
	free(cal->is_day);
	*cal = (struct cab_calendar){0};
}
