/*
 * appliances.c — the appliance inventory against the meter and the alerts
 * (include/cabine/appliances.h, docs/appliances.md).
 *
 * Why: the inventory is what households believe they use; the meter is
 * what they use; an alert is when they were asked to use less. Setting
 * the three side by side is the experiment of L'Échappée: how good are
 * the estimates, how much of the bill do the listed uses explain, and
 * during an alert, what could have been shed (useful and comfort uses)
 * against what was (SPEC §6's Δ, from cab_alerts_new, never recomputed
 * here).
 *
 * Workload: a few hundred rows, a few alerts; one pass over each
 * household's consumption series for its mean day.
 */
#include "cabine/appliances.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

#define DAY_MIN 1440 /* minutes in a day of local clock time */

double cab_appliance_kwh_day(const struct cab_appliance *a)
{
	if (!isnan(a->measured_kwh) && a->measured_days > 0)
		return a->measured_kwh / a->measured_days;
	return a->watts * a->hours_per_day / 1000.0;
}

/* Length of [a0, a1) ∩ [b0, b1). */
static int overlap(int a0, int a1, int b0, int b1)
{
	int lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
	return hi > lo ? hi - lo : 0;
}

double cab_appliance_window_kwh(const struct cab_appliance *a, int start_min,
				int len_min)
{
	int from = 0, len = DAY_MIN;
	if (a->has_time) {
		from = a->from_min;
		len = a->to_min > a->from_min ? a->to_min - a->from_min
					      : a->to_min + DAY_MIN - from;
	}
	if (len_min > DAY_MIN)
		len_min = DAY_MIN;
	int s = ((start_min % DAY_MIN) + DAY_MIN) % DAY_MIN;
	/* The usual hours repeat every day: the window (at most a day from
	 * s < 1440) meets the ones of the day before, that day and the next. */
	int covered = 0;
	for (int d = -1; d <= 1; d++)
		covered += overlap(s, s + len_min, from + d * DAY_MIN,
				   from + len + d * DAY_MIN);
	return cab_appliance_kwh_day(a) * (double)covered / (double)len;
}

static void add_row(struct cab_appliance_sums *s, const struct cab_appliance *a)
{
	double est = a->watts * a->hours_per_day / 1000.0;
	double day = cab_appliance_kwh_day(a);
	s->n_appliances++;
	s->estimated_kwh_day += est;
	if (!isnan(a->measured_kwh)) {
		s->n_measured++;
		s->measured_kwh_day += day;
		s->estimate_of_measured_kwh_day += est;
	}
	s->inventory_kwh_day += day;
	s->class_kwh_day[a->use_class] += day;
	s->class_count[a->use_class]++;
	if (a->is_shiftable)
		s->shiftable_kwh_day += day;
}

/* The meter's mean day of participant i over its valid intervals. */
static double meter_day(const struct cab_run *run, size_t i)
{
	const double *c = run->p[i].consumption_kwh;
	double sum = 0;
	size_t n = 0;
	for (size_t t = 0; c && t < run->n_intervals; t++)
		if (!isnan(c[t])) {
			sum += c[t];
			n++;
		}
	if (n == 0 || run->sc->n_days == 0)
		return NAN;
	return sum / (double)n * (double)run->n_intervals /
	       (double)run->sc->n_days;
}

/* The "during" row of alert k for participant i, or NULL. */
static const struct cab_alert_effect *during_row(const struct cab_alerts *al,
						 size_t k, size_t i)
{
	for (size_t r = 0; al && r < al->n; r++) {
		const struct cab_alert_effect *e = &al->effect[r];
		if (e->alert == k && e->window == CAB_WINDOW_DURING &&
		    e->participant == (long)i)
			return e;
	}
	return NULL;
}

enum cab_status cab_appliances_new(const struct cab_run *run,
				   const struct cab_alerts *alerts,
				   struct cab_appliances **out,
				   struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	*out = NULL;
	struct cab_appliances *res = calloc(1, sizeof(*res));
	long *slot = malloc((sc->n_participants + 1) * sizeof(long));
	if (!res || !slot)
		goto oom;
	/* Households in participant order, each with its rows. */
	for (size_t i = 0; i < sc->n_participants; i++)
		slot[i] = -1;
	for (size_t r = 0; r < sc->n_appliances; r++)
		slot[sc->appliances[r].participant] = 0;
	for (size_t i = 0; i < sc->n_participants; i++)
		if (slot[i] == 0)
			slot[i] = (long)res->n_households++;
		else
			slot[i] = -1;
	res->household = calloc(res->n_households ? res->n_households : 1,
				sizeof(*res->household));
	if (!res->household)
		goto oom;
	for (size_t i = 0; i < sc->n_participants; i++)
		if (slot[i] >= 0)
			res->household[slot[i]].participant = i;
	for (size_t r = 0; r < sc->n_appliances; r++) {
		const struct cab_appliance *a = &sc->appliances[r];
		add_row(&res->household[slot[a->participant]].sums, a);
		add_row(&res->community, a);
	}
	double metered_inventory = 0; /* inventory of metered households */
	for (size_t h = 0; h < res->n_households; h++) {
		struct cab_appliance_household *hh = &res->household[h];
		hh->meter_kwh_day = meter_day(run, hh->participant);
		hh->explained_share =
		    hh->meter_kwh_day > 0
			? hh->sums.inventory_kwh_day / hh->meter_kwh_day
			: NAN;
		if (!isnan(hh->meter_kwh_day)) {
			res->community_meter_kwh_day += hh->meter_kwh_day;
			metered_inventory += hh->sums.inventory_kwh_day;
		}
	}
	res->community_explained_share =
	    res->community_meter_kwh_day > 0
		? metered_inventory / res->community_meter_kwh_day
		: NAN;
	res->n_alert_rows = sc->n_alerts * res->n_households;
	res->alert_row = calloc(res->n_alert_rows ? res->n_alert_rows : 1,
				sizeof(*res->alert_row));
	res->alert_total =
	    calloc(sc->n_alerts ? sc->n_alerts : 1, sizeof(*res->alert_total));
	res->alert_n_effect = calloc(sc->n_alerts ? sc->n_alerts : 1,
				     sizeof(*res->alert_n_effect));
	if (!res->alert_row || !res->alert_total || !res->alert_n_effect)
		goto oom;
	for (size_t k = 0; k < sc->n_alerts; k++) {
		struct cab_civil lc;
		cab_time_to_local(sc->alerts[k].start_s, &lc);
		int start = lc.hour * 60 + lc.minute;
		int len =
		    (int)((sc->alerts[k].end_s - sc->alerts[k].start_s) / 60);
		for (size_t h = 0; h < res->n_households; h++) {
			struct cab_appliance_alert *row =
			    &res->alert_row[k * res->n_households + h];
			row->alert = k;
			row->household = h;
			size_t i = res->household[h].participant;
			for (size_t r = 0; r < sc->n_appliances; r++) {
				const struct cab_appliance *a =
				    &sc->appliances[r];
				if (a->participant == i)
					row->class_kwh[a->use_class] +=
					    cab_appliance_window_kwh(a, start,
								     len);
			}
			row->could_shed_kwh = row->class_kwh[CAB_USE_USEFUL] +
					      row->class_kwh[CAB_USE_COMFORT];
			const struct cab_alert_effect *e =
			    during_row(alerts, k, i);
			row->has_effect = e && e->is_complete;
			row->shed_kwh = row->has_effect ? -e->delta_kwh : NAN;
			struct cab_appliance_alert *tot = &res->alert_total[k];
			tot->alert = k;
			tot->household = res->n_households;
			for (int c = 0; c < CAB_USE_CLASSES; c++)
				tot->class_kwh[c] += row->class_kwh[c];
			tot->could_shed_kwh += row->could_shed_kwh;
			if (row->has_effect) {
				tot->has_effect = true;
				tot->shed_kwh += row->shed_kwh;
				res->alert_n_effect[k]++;
			}
		}
	}
	free(slot);
	*out = res;
	return CAB_OK;
oom:
	free(slot);
	cab_appliances_free(res);
	return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
}

void cab_appliances_free(struct cab_appliances *a)
{
	if (!a)
		return;
	free(a->household);
	free(a->alert_row);
	free(a->alert_total);
	free(a->alert_n_effect);
	free(a);
}

const struct cab_appliance_household *
cab_appliances_find(const struct cab_appliances *a, size_t participant)
{
	for (size_t h = 0; a && h < a->n_households; h++)
		if (a->household[h].participant == participant)
			return &a->household[h];
	return NULL;
}
