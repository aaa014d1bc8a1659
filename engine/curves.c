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

static const char *const series_names[CAB_CURVE_SERIES] = {
	"consumption", "production", "net"};
static const char *const season_names[CAB_SEASONS] = {
	"all", "winter", "spring", "summer", "autumn"};

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Where each interval falls: local day slot, week slot, season 1..4. */
struct calendar {
	unsigned char *day_slot;     /* 0..95 */
	unsigned short *week_slot;   /* 0..671 */
	unsigned char *season;       /* 1..4 */
};

/* Scratch for one subject: values bucketed by day slot. */
struct buckets {
	size_t count[CAB_DAY_SLOTS];
	size_t start[CAB_DAY_SLOTS + 1];
	double *values;              /* n_intervals values */
};

/* Fill st from series v (NaN = missing) restricted to season (0 = all). */
static void stats_of(const double *v, size_t nt, const struct calendar *cal,
		     int season, struct buckets *b, struct cab_curve_stats *st)
{
	memset(b->count, 0, sizeof(b->count));
	double wsum[CAB_WEEK_SLOTS] = {0};
	size_t wn[CAB_WEEK_SLOTS] = {0};
	for (size_t t = 0; t < nt; t++)
		if (!isnan(v[t]) && (season == 0 || cal->season[t] == season))
			b->count[cal->day_slot[t]]++;
	b->start[0] = 0;
	for (int k = 0; k < CAB_DAY_SLOTS; k++)
		b->start[k + 1] = b->start[k] + b->count[k];
	size_t fillp[CAB_DAY_SLOTS];
	memcpy(fillp, b->start, sizeof(fillp));
	for (size_t t = 0; t < nt; t++) {
		if (isnan(v[t]) || (season != 0 && cal->season[t] != season))
			continue;
		b->values[fillp[cal->day_slot[t]]++] = v[t];
		wsum[cal->week_slot[t]] += v[t];
		wn[cal->week_slot[t]]++;
	}
	for (int k = 0; k < CAB_DAY_SLOTS; k++) {
		double *x = b->values + b->start[k];
		size_t n = b->count[k];
		qsort(x, n, sizeof(double), cmp_double);
		double s = 0;
		for (size_t j = 0; j < n; j++)
			s += x[j];
		st->q1[k] = cab_curves_quantile(x, n, 0.25);
		st->median[k] = cab_curves_quantile(x, n, 0.5);
		st->q3[k] = cab_curves_quantile(x, n, 0.75);
		st->mean[k] = n ? s / (double)n : NAN;
	}
	for (int k = 0; k < CAB_WEEK_SLOTS; k++)
		st->week_mean[k] = wn[k] ? wsum[k] / (double)wn[k] : NAN;
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
	members = malloc((n + 1) * sizeof(size_t));
	for (int s = 0; s < CAB_CURVE_SERIES; s++)
		series[s] = malloc((nt + 1) * sizeof(double));
	if (!res || !cal.day_slot || !cal.week_slot || !cal.season ||
	    !b.values || !members || !series[0] || !series[1] || !series[2] ||
	    !(res->subject = calloc(cap, sizeof(*res->subject))))
		goto nomem;
	for (size_t t = 0; t < nt; t++) {
		struct cab_civil lc;
		cab_time_to_local(run->t0_s + (int64_t)t * CAB_INTERVAL_S, &lc);
		int slot = lc.hour * 4 + lc.minute / 15;
		cal.day_slot[t] = (unsigned char)slot;
		cal.week_slot[t] = (unsigned short)(lc.wday * 96 + slot);
		cal.season[t] = (unsigned char)(lc.month == 12 || lc.month <= 2 ? 1
						: lc.month <= 5		 ? 2
						: lc.month <= 8		 ? 3
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
			const struct cab_group *g = &sc->groups[s - n - sc->n_cabins];
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
		}
		for (int se = 0; se < CAB_CURVE_SERIES; se++)
			for (int season = 0; season < CAB_SEASONS; season++)
				stats_of(series[se], nt, &cal, season, &b,
					 &sub->stats[se][season]);
		coincidence(run, members, m, series[0], sub->coincidence);
	}
	for (int s = 0; s < CAB_CURVE_SERIES; s++)
		free(series[s]);
	free(cal.day_slot), free(cal.week_slot), free(cal.season);
	free(b.values), free(members);
	*out = res;
	return CAB_OK;
nomem:
	for (int s = 0; s < CAB_CURVE_SERIES; s++)
		free(series[s]);
	free(cal.day_slot), free(cal.week_slot), free(cal.season);
	free(b.values), free(members);
	cab_curves_free(res);
	return cab_err_add(err, CAB_ENOMEM, "out of memory");
}
