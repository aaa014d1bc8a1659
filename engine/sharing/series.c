/*
 * series.c — the participants' interval series for the sharing (SPEC §1,
 * §8): each participant's gross consumption C and production P (or net
 * offtake and injection) over the period, with its missing and filled
 * intervals counted.
 *
 * Why: a key must know, per interval, who takes part; a participant
 * whose meter has no valid value is left out of that interval (demand and
 * surplus 0), never counted as zero consumption.
 *
 * Memory: the series are borrowed from the readings unless the two meters
 * of a participant disagree on which intervals are missing, filling
 * applies, or a producer has no consumption meter (then both are copied,
 * merged, and the copies belong to the caller); a participant without
 * production points at the caller's array of zeros. Workload: one pass
 * per series, up to ~1,000 participants × 35,040 quarter-hours.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/fill.h"
#include "engine/base/i18n.h"
#include "engine/base/suggest.h"
#include "engine/sharing/sharing.h"

/* Fetch a meter's series or report that the scenario names a meter
 * without data. */
static enum cab_status need_series(const struct cab_scenario *sc,
				   const struct cab_readings *rd, size_t i,
				   const char *meter, const double **out,
				   struct cab_err *err)
{
	*out = NULL;
	if (!meter)
		return CAB_OK;
	*out = cab_readings_series(rd, meter);
	if (*out)
		return CAB_OK;
	/* A meter id mistyped (m01-C for m01-c) is among the readings'
	 * meters that no one declared. */
	struct cab_suggest sg;
	cab_suggest_init(&sg, meter);
	const char *m;
	for (size_t k = 0; (m = cab_readings_undeclared_id(rd, k)); k++)
		cab_suggest_offer(&sg, m);
	const char *best = cab_suggest_best(&sg);
	if (best)
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: participant '%s': meter '%s' has no reading in the "
		      "period (did you mean '%s'? expected rows for it in the "
		      "readings)"),
		    sc->path, sc->participants[i].id, meter, best);
	return cab_err_add(
	    err, CAB_EINPUT,
	    _("%s: participant '%s': meter '%s' has no reading "
	      "in the period (expected rows for it in the readings)"),
	    sc->path, sc->participants[i].id, meter);
}

/* One pass over c and p (p may be NULL): how many intervals c misses,
 * whether p misses others, and the largest value of either. */
static void scan(const double *c, const double *p, size_t n, size_t *missing,
		 bool *is_mismatched, double *max_kwh)
{
	size_t miss = 0;
	bool is_other = false;
	double mx = -INFINITY;
	for (size_t t = 0; t < n; t++) {
		double v = c[t];
		bool is_missing = isnan(v);
		miss += is_missing;
		mx = v > mx ? v : mx;
		if (p) {
			is_other |= is_missing != isnan(p[t]);
			mx = p[t] > mx ? p[t] : mx;
		}
	}
	*missing = miss;
	*is_mismatched = is_other;
	*max_kwh = mx;
}

enum cab_status cab_series_load(const struct cab_scenario *sc,
				const struct cab_readings *rd, size_t i,
				const double *zeros, struct cab_series *r,
				struct cab_err *err)
{
	const struct cab_participant *pa = &sc->participants[i];
	const double *c = NULL, *p = NULL;
	enum cab_status st;
	memset(r, 0, sizeof(*r));
	r->is_net = pa->meter_offtake || pa->meter_injection;
	if (r->is_net) {
		st = need_series(sc, rd, i, pa->meter_offtake, &c, err);
		if (st == CAB_OK)
			st = need_series(sc, rd, i, pa->meter_injection, &p,
					 err);
	} else {
		st = need_series(sc, rd, i, pa->meter_consumption, &c, err);
		if (st == CAB_OK)
			st = need_series(sc, rd, i, pa->meter_production, &p,
					 err);
	}
	if (st != CAB_OK)
		return st;
	size_t n = sc->n_intervals;
	bool is_mismatched = false;
	if (c)
		scan(c, p, n, &r->missing_intervals, &is_mismatched,
		     &r->max_kwh);
	bool is_filling = sc->fill != CAB_FILL_NONE;
	if (is_filling || is_mismatched || (!c && p)) {
		/* Work on copies: filling, merging the missing intervals of two
		 * meters, or a producer without consumption meter (C = 0). */
		double *cc = malloc(n * sizeof(double) + 1);
		double *pp = p ? malloc(n * sizeof(double) + 1) : NULL;
		bool *was = is_filling ? calloc(n + 1, sizeof(bool)) : NULL;
		if (!cc || (p && !pp) || (is_filling && !was)) {
			free(cc);
			free(pp);
			free(was);
			return CAB_ENOMEM;
		}
		for (size_t t = 0; t < n; t++)
			cc[t] = c ? c[t] : (isnan(p[t]) ? NAN : 0);
		if (pp)
			memcpy(pp, p, n * sizeof(double));
		for (int k = 0; is_filling && k < 2; k++) {
			double *s = k ? pp : (c ? cc : NULL);
			if (!s)
				continue;
			if (sc->fill == CAB_FILL_LINEAR)
				cab_fill_linear(s, n, sc->fill_max_intervals,
						was);
			else
				cab_fill_profile(s, n, sc->t0_s, was);
		}
		if (!c && pp) /* C = 0 wherever P now exists */
			for (size_t t = 0; t < n; t++)
				cc[t] = isnan(pp[t]) ? NAN : 0;
		for (size_t t = 0; t < n; t++) {
			bool miss = isnan(cc[t]) || (pp && isnan(pp[t]));
			if (miss) {
				cc[t] = NAN;
				if (pp)
					pp[t] = NAN;
			} else if (was && was[t]) {
				r->filled_intervals++;
			}
		}
		free(was);
		r->copy[0] = cc;
		r->copy[1] = pp;
		c = cc;
		p = pp;
	}
	r->consumption_kwh = c ? c : zeros;
	r->production_kwh = p ? p : zeros;
	if (r->copy[0] || !c) { /* copies, or nothing was read: one look */
		bool is_other;
		scan(r->consumption_kwh, p, n, &r->missing_intervals, &is_other,
		     &r->max_kwh);
	}
	/* Values filled at import (store quality "filled") count as filled
	 * too; they have values, so the scenario's own filling above never
	 * touched them. */
	const char *mc = r->is_net ? pa->meter_offtake : pa->meter_consumption;
	const char *mp = r->is_net ? pa->meter_injection : pa->meter_production;
	const uint8_t *f[2] = {mc ? cab_readings_filled(rd, mc) : NULL,
			       mp ? cab_readings_filled(rd, mp) : NULL};
	if (f[0] || f[1])
		for (size_t t = 0; t < n; t++)
			if (!isnan(r->consumption_kwh[t]) &&
			    ((f[0] && f[0][t]) || (f[1] && f[1][t])))
				r->filled_intervals++;
	return CAB_OK;
}
