/*
 * curves.c — load-curve statistics (SPEC §6): median and quartiles by
 * local time of day, the weekly mean profile, by season, and the
 * coincidence factor as a group grows.
 *
 * Workload: a thousand participants over a year, each series bucketed by
 * local quarter-hour of the day (96 buckets of ~365 values) and sorted.
 * The local slot, weekday slot and season of every interval are computed
 * once per run, not once per subject.
 */
#include "cabine/curves.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

static const char *const series_names[CAB_CURVE_SERIES] = {"consumption",
							   "production", "net"};
static const char *const season_names[CAB_SEASONS] = {"all", "winter", "spring",
						      "summer", "autumn"};

const char *cab_curves_series_name(int s)
{
	return s >= 0 && s < CAB_CURVE_SERIES ? series_names[s] : "?";
}

const char *cab_curves_season_name(int s)
{
	return s >= 0 && s < CAB_SEASONS ? season_names[s] : "?";
}

double cab_curves_quantile(const double *x, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* Sort doubles ascending: quicksort with a median-of-three pivot and an
 * insertion sort for short runs. Buckets hold ~90–370 values; an inlined
 * comparison is several times faster than qsort's callback here. */
static void sort_doubles(double *x, size_t n)
{
	while (n > 16) {
		double a = x[0], b = x[n / 2], c = x[n - 1];
		double pivot = a < b ? (b < c ? b : (a < c ? c : a))
				     : (a < c ? a : (b < c ? c : b));
		size_t i = 0, j = n - 1;
		for (;;) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i >= j)
				break;
			double t = x[i];
			x[i] = x[j];
			x[j] = t;
			i++;
			j--;
		}
		/* Recurse on the smaller side, loop on the larger. */
		if (j + 1 < n - j - 1) {
			sort_doubles(x, j + 1);
			x += j + 1;
			n -= j + 1;
		} else {
			sort_doubles(x + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		double v = x[i];
		size_t k = i;
		while (k > 0 && x[k - 1] > v) {
			x[k] = x[k - 1];
			k--;
		}
		x[k] = v;
	}
}

/* Where each interval falls: local day slot, week slot, season 1..4. */
struct calendar {
	unsigned char *day_slot;   /* 0..95 */
	unsigned short *week_slot; /* 0..671 */
	unsigned char *season;	   /* 1..4 */
};

#define N_BUCKETS (4 * CAB_DAY_SLOTS) /* (season − 1) × 96 + slot */

/* Scratch for one series: values bucketed by season and day slot. */
struct buckets {
	size_t count[N_BUCKETS];
	size_t start[N_BUCKETS + 1];
	double *values; /* n_intervals values */
	double *merged; /* n_intervals values: one slot, all seasons */
};

static void quartiles(const double *x, size_t n, struct cab_curve_stats *st,
		      int k)
{
	double sum = 0;
	for (size_t j = 0; j < n; j++)
		sum += x[j];
	st->q1[k] = cab_curves_quantile(x, n, 0.25);
	st->median[k] = cab_curves_quantile(x, n, 0.5);
	st->q3[k] = cab_curves_quantile(x, n, 0.75);
	st->mean[k] = n ? sum / (double)n : NAN;
}

/* Fill st[0..CAB_SEASONS) from series v (NaN = missing): each season's
 * buckets are sorted once, and the whole year's are their merge. */
static void stats_of(const double *v, size_t nt, const struct calendar *cal,
		     struct buckets *b, struct cab_curve_stats *st)
{
	memset(b->count, 0, sizeof(b->count));
	double wsum[CAB_SEASONS * CAB_WEEK_SLOTS];
	size_t wn[CAB_SEASONS * CAB_WEEK_SLOTS];
	memset(wsum, 0, sizeof(wsum));
	memset(wn, 0, sizeof(wn));
	for (size_t t = 0; t < nt; t++)
		if (!isnan(v[t]))
			b->count[(cal->season[t] - 1) * CAB_DAY_SLOTS +
				 cal->day_slot[t]]++;
	b->start[0] = 0;
	for (int k = 0; k < N_BUCKETS; k++)
		b->start[k + 1] = b->start[k] + b->count[k];
	size_t fillp[N_BUCKETS];
	memcpy(fillp, b->start, sizeof(fillp));
	for (size_t t = 0; t < nt; t++) {
		if (isnan(v[t]))
			continue;
		int se = cal->season[t];
		b->values[fillp[(se - 1) * CAB_DAY_SLOTS +
				cal->day_slot[t]]++] = v[t];
		wsum[cal->week_slot[t]] += v[t];
		wn[cal->week_slot[t]]++;
		wsum[se * CAB_WEEK_SLOTS + cal->week_slot[t]] += v[t];
		wn[se * CAB_WEEK_SLOTS + cal->week_slot[t]]++;
	}
	for (int k = 0; k < N_BUCKETS; k++)
		sort_doubles(b->values + b->start[k], b->count[k]);
	for (int k = 0; k < CAB_DAY_SLOTS; k++) {
		/* Merge the four sorted season buckets of slot k. */
		size_t pos[4], end[4], m = 0;
		for (int se = 0; se < 4; se++) {
			pos[se] = b->start[se * CAB_DAY_SLOTS + k];
			end[se] = pos[se] + b->count[se * CAB_DAY_SLOTS + k];
			quartiles(b->values + pos[se], end[se] - pos[se],
				  &st[se + 1], k);
		}
		for (;;) {
			int best = -1;
			for (int se = 0; se < 4; se++)
				if (pos[se] < end[se] &&
				    (best < 0 ||
				     b->values[pos[se]] < b->values[pos[best]]))
					best = se;
			if (best < 0)
				break;
			b->merged[m++] = b->values[pos[best]++];
		}
		quartiles(b->merged, m, &st[0], k);
	}
	for (int se = 0; se < CAB_SEASONS; se++)
		for (int k = 0; k < CAB_WEEK_SLOTS; k++) {
			size_t i = (size_t)se * CAB_WEEK_SLOTS + (size_t)k;
			st[se].week_mean[k] =
			    wn[i] ? wsum[i] / (double)wn[i] : NAN;
		}
}

/* Coincidence factor of members[0..k] for every k: max_t Σ C / Σ max_t C,
 * over intervals where all of the first k+1 members have data. */
static void coincidence(const struct cab_run *run, const size_t *members,
			size_t m, double *sum_t, double *out)
{
	size_t nt = run->n_intervals;
	double sum_max = 0;
	for (size_t t = 0; t < nt; t++)
		sum_t[t] = 0;
	for (size_t k = 0; k < m; k++) {
		const double *c = run->p[members[k]].consumption_kwh;
		double mx = 0, max_sum = 0;
		for (size_t t = 0; t < nt; t++) {
			if (isnan(c[t]) || isnan(sum_t[t])) {
				sum_t[t] = NAN;
				continue;
			}
			sum_t[t] += c[t];
			if (c[t] > mx)
				mx = c[t];
			if (sum_t[t] > max_sum)
				max_sum = sum_t[t];
		}
		sum_max += mx;
		out[k] = sum_max > 0 ? max_sum / sum_max : NAN;
	}
}

void cab_curves_free(struct cab_curves *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->subject[i].name);
		free(c->subject[i].coincidence);
	}
	free(c->subject);
	free(c);
}

static char *dup_name(const char *prefix, const char *name)
{
	size_t n = strlen(prefix) + strlen(name) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s", prefix, name);
	return s;
}

enum cab_status cab_curves_new(const struct cab_run *run,
			       struct cab_curves **out, struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	size_t nt = run->n_intervals, n = run->n;
	*out = NULL;
	struct calendar cal = {0};
	struct buckets b = {0};
	double *series[CAB_CURVE_SERIES] = {0};
	size_t *members = NULL;
	struct cab_curves *res = calloc(1, sizeof(*res));
	size_t cap = n + sc->n_cabins + sc->n_groups + 1;
	cal.day_slot = malloc(nt + 1);
	cal.week_slot = malloc((nt + 1) * sizeof(unsigned short));
	cal.season = malloc(nt + 1);
	b.values = malloc((nt + 1) * sizeof(double));
	b.merged = malloc((nt + 1) * sizeof(double));
	members = malloc((n + 1) * sizeof(size_t));
	for (int s = 0; s < CAB_CURVE_SERIES; s++)
		series[s] = malloc((nt + 1) * sizeof(double));
	if (!res || !cal.day_slot || !cal.week_slot || !cal.season ||
	    !b.values || !b.merged || !members || !series[0] || !series[1] ||
	    !series[2] || !(res->subject = calloc(cap, sizeof(*res->subject))))
		goto nomem;
	for (size_t t = 0; t < nt; t++) {
		struct cab_civil lc;
		cab_time_to_local(run->t0_s + (int64_t)t * CAB_INTERVAL_S, &lc);
		int slot = lc.hour * 4 + lc.minute / 15;
		cal.day_slot[t] = (unsigned char)slot;
		cal.week_slot[t] = (unsigned short)(lc.wday * 96 + slot);
		cal.season[t] =
		    (unsigned char)(lc.month == 12 || lc.month <= 2 ? 1
				    : lc.month <= 5		    ? 2
				    : lc.month <= 8		    ? 3
								    : 4);
	}
	/* Subjects: participants, cabins, declared groups, community. */
	for (size_t s = 0; s < cap; s++) {
		size_t m = 0;
		char *name = NULL;
		if (s < n) {
			members[m++] = s;
			name = dup_name("", sc->participants[s].id);
		} else if (s < n + sc->n_cabins) {
			size_t c = s - n;
			for (size_t i = 0; i < n; i++)
				if (sc->participants[i].cabin == (int)c)
					members[m++] = i;
			if (m == 0)
				continue;
			name = dup_name("cabin:", sc->cabins[c].id);
		} else if (s < n + sc->n_cabins + sc->n_groups) {
			const struct cab_group *g =
			    &sc->groups[s - n - sc->n_cabins];
			for (size_t k = 0; k < g->n_members; k++)
				members[m++] = g->members[k];
			name = dup_name("group:", g->name);
		} else {
			for (size_t i = 0; i < n; i++)
				members[m++] = i;
			name = dup_name("", "community");
		}
		struct cab_curve_subject *sub = &res->subject[res->n++];
		sub->name = name;
		sub->n_members = m;
		sub->coincidence = malloc((m ? m : 1) * sizeof(double));
		if (!name || !sub->coincidence)
			goto nomem;
		bool has_production = false;
		for (size_t t = 0; t < nt; t++) {
			double c = 0, p = 0;
			for (size_t k = 0; k < m; k++) {
				const struct cab_participant_result *r =
				    &run->p[members[k]];
				c += r->consumption_kwh[t];
				p += r->production_kwh[t];
			}
			if (isnan(c))
				sub->missing_intervals++;
			series[0][t] = c;
			series[1][t] = isnan(c) ? NAN : p;
			series[2][t] = c - p;
			has_production |= p != 0 && !isnan(c);
		}
		stats_of(series[0], nt, &cal, &b, sub->stats[0]);
		if (has_production) {
			stats_of(series[1], nt, &cal, &b, sub->stats[1]);
			stats_of(series[2], nt, &cal, &b, sub->stats[2]);
		} else {
			/* No production: P = 0 wherever C exists, net = C. */
			for (size_t t = 0; t < nt; t++)
				series[1][t] = isnan(series[0][t]) ? NAN : 0;
			stats_of(series[1], nt, &cal, &b, sub->stats[1]);
			memcpy(sub->stats[2], sub->stats[0],
			       sizeof(sub->stats[0]));
		}
		coincidence(run, members, m, series[0], sub->coincidence);
	}
	for (int s = 0; s < CAB_CURVE_SERIES; s++)
		free(series[s]);
	free(cal.day_slot), free(cal.week_slot), free(cal.season);
	free(b.values), free(b.merged), free(members);
	*out = res;
	return CAB_OK;
nomem:
	for (int s = 0; s < CAB_CURVE_SERIES; s++)
		free(series[s]);
	free(cal.day_slot), free(cal.week_slot), free(cal.season);
	free(b.values), free(b.merged), free(members);
	cab_curves_free(res);
	return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
}
