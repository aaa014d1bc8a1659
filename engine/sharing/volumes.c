/*
 * volumes.c — the per-interval accounting of SPEC §1 summed per local
 * month and over the period: consumption, production, own
 * self-consumption O, shared a, given, complementary G = D − a, injected
 * X − given, demand D and surplus X, with their day-period parts for the
 * day/night tariff.
 *
 * Why per interval: SPEC §6 asks for sums of interval values, never
 * values of period totals (G of a month is not D − a of the month: a
 * month can hold both demand and surplus). The months come first and the
 * period's totals are their sums, so the monthly rows of the workbooks
 * add up to the totals of the bills.
 *
 * Workload: one pass over each participant's series, one at a time,
 * where no key ran (individual billing, the operator's allocation); after
 * a key, the block loop (share.c) adds the same volumes as it writes a
 * and given, with the same formula (cab_volumes_add_interval).
 */
#include <math.h>

#include "engine/sharing/sharing.h"

void cab_volumes_add(struct cab_volumes *sum, const struct cab_volumes *v)
{
	sum->consumption_kwh += v->consumption_kwh;
	sum->production_kwh += v->production_kwh;
	sum->self_consumed_kwh += v->self_consumed_kwh;
	sum->shared_kwh += v->shared_kwh;
	sum->shared_day_kwh += v->shared_day_kwh;
	sum->given_kwh += v->given_kwh;
	sum->given_day_kwh += v->given_day_kwh;
	sum->complementary_kwh += v->complementary_kwh;
	sum->complementary_day_kwh += v->complementary_day_kwh;
	sum->injected_kwh += v->injected_kwh;
	sum->demand_kwh += v->demand_kwh;
	sum->demand_day_kwh += v->demand_day_kwh;
	sum->surplus_kwh += v->surplus_kwh;
}

void cab_volumes_of(const struct cab_share_member *m,
		    const struct cab_calendar *cal, struct cab_volumes *month,
		    struct cab_volumes *total)
{
	const double *c = m->consumption_kwh, *p = m->production_kwh;
	const double *a = m->shared_kwh, *given = m->given_kwh;
	for (size_t t = 0; t < cal->n_intervals; t++) {
		if (isnan(c[t]))
			continue;
		double o, d, x;
		cab_own_split(c[t], p[t], m->is_net, &o, &d, &x);
		cab_volumes_add_interval(&month[cal->month_of[t]], c[t], p[t],
					 o, d, x, a ? a[t] : 0,
					 given ? given[t] : 0, cal->is_day[t]);
	}
	cab_volumes_total(cal, month, total);
}

void cab_volumes_total(const struct cab_calendar *cal,
		       const struct cab_volumes *month,
		       struct cab_volumes *total)
{
	for (size_t k = 0; k < cal->n_months; k++)
		cab_volumes_add(total, &month[k]);
}
