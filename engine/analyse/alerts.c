/*
 * alerts.c — alert effects (SPEC §6): consumption during an alert window
 * against the same weekday and local clock time on days without alerts.
 *
 * A window is a run of L quarter-hours starting at an interval whose
 * local weekday, hour and minute match the alert's start. Comparing local
 * clock times (not UTC offsets) keeps the reference right across DST.
 * reference_windows() chooses them for alerts.csv (cab_alerts_new) and
 * for the chart of alerts.xlsx (cab_alerts_profile) alike.
 *
 * Windows of signal.csv (`cabine alerts --signal`, SPEC §15) are the
 * scenario's last n_signal_windows announced alerts: measured by the same
 * formula, their success read with the sign reversed (cab_alerts_is_followed).
 *
 * Workload: per alert and window, one pass over the period's intervals
 * to find the reference windows, then each participant's consumption in
 * them (some 50 windows of a few hours over a year).
 */
#include "cabine/alerts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

/* Does [a0, a1) overlap any alert of the scenario? (UTC seconds) */
static bool overlaps_alert(const struct cab_scenario *sc, int64_t a0,
			   int64_t a1)
{
	for (size_t k = 0; k < sc->n_alerts; k++)
		if (a0 < sc->alerts[k].end_s && sc->alerts[k].start_s < a1)
			return true;
	return false;
}

/* Sum of consumption over [t, t + len) or NaN if any value is missing
 * or the window leaves the period. */
static double window_sum(const double *c, size_t nt, long t, size_t len)
{
	if (t < 0 || (size_t)t + len > nt)
		return NAN;
	double s = 0;
	for (size_t u = 0; u < len; u++) {
		double v = c[(size_t)t + u];
		if (isnan(v))
			return NAN;
		s += v;
	}
	return s;
}

/* The one place of SPEC §6's formula: Δ = E_alert − E_ref, Δ % = Δ / E_ref. */
static void fill(struct cab_alert_effect *e, double e_alert, double e_ref,
		 size_t n_ref)
{
	e->is_complete = !isnan(e_alert) && n_ref > 0;
	e->reference_windows = n_ref;
	if (!e->is_complete) {
		e->e_alert_kwh = e->e_ref_kwh = e->delta_kwh = e->delta_pct =
		    NAN;
		return;
	}
	e->e_alert_kwh = e_alert;
	e->e_ref_kwh = e_ref;
	e->delta_kwh = e->e_alert_kwh - e->e_ref_kwh;
	e->delta_pct =
	    e->e_ref_kwh > 0 ? e->delta_kwh / e->e_ref_kwh * 100 : NAN;
}

/* Alert k's window w (during, after, or before an announced alert): its
 * first interval *tw counted from run->t0_s (it may lie outside the
 * period) and its length *len in intervals; the first intervals of its
 * reference windows into refs (room for run->n_intervals), their count
 * returned. SPEC §6: the same local weekday and clock time, overlapping
 * no alert, inside the reference range when one is given, not W itself.
 * The one place that chooses reference windows. */
static size_t reference_windows(const struct cab_run *run, size_t k, int w,
				long *tw, size_t *len, long *refs)
{
	const struct cab_scenario *sc = run->sc;
	const struct cab_alert *al = &sc->alerts[k];
	int64_t len_s = al->end_s - al->start_s;
	*len = (size_t)(len_s / CAB_INTERVAL_S);
	int64_t w0 = al->start_s;
	if (w == CAB_WINDOW_AFTER)
		w0 = al->end_s;
	else if (w == CAB_WINDOW_BEFORE)
		w0 = al->start_s - len_s;
	*tw = (long)((w0 - run->t0_s) / CAB_INTERVAL_S);
	struct cab_civil lw;
	cab_time_to_local(w0, &lw);
	size_t nr = 0;
	for (size_t t = 0; t < run->n_intervals; t++) {
		int64_t ts = run->t0_s + (int64_t)t * CAB_INTERVAL_S;
		struct cab_civil lc;
		cab_time_to_local(ts, &lc);
		if (lc.wday != lw.wday || lc.hour != lw.hour ||
		    lc.minute != lw.minute || (long)t == *tw)
			continue;
		if (overlaps_alert(sc, ts, ts + len_s))
			continue;
		if (sc->alerts_ref_end_s > sc->alerts_ref_start_s &&
		    (ts < sc->alerts_ref_start_s ||
		     ts + len_s > sc->alerts_ref_end_s))
			continue;
		refs[nr++] = (long)t;
	}
	return nr;
}

/* A participant's complete reference windows among refs[0..nr): their
 * consumption summed into *sum, their starts into good (NULL allowed);
 * returns how many. */
static size_t complete_refs(const double *c, size_t nt, const long *refs,
			    size_t nr, size_t len, double *sum, long *good)
{
	size_t n = 0;
	*sum = 0;
	for (size_t r = 0; r < nr; r++) {
		double s = window_sum(c, nt, refs[r], len);
		if (isnan(s))
			continue;
		*sum += s;
		if (good)
			good[n] = refs[r];
		n++;
	}
	return n;
}

/* Members of the k-th group (cabins with members, then "groups"). */
static size_t group_members(const struct cab_scenario *sc, size_t k,
			    size_t *members)
{
	size_t m = 0;
	for (size_t c = 0; c < sc->n_cabins; c++) {
		size_t before = m;
		for (size_t i = 0; i < sc->n_participants; i++)
			if (sc->participants[i].cabin == (int)c)
				members[m++] = i;
		if (m == before)
			continue;
		if (k-- == 0) {
			memmove(members, members + before,
				(m - before) * sizeof(size_t));
			return m - before;
		}
		m = before;
	}
	if (k < sc->n_groups) {
		const struct cab_group *g = &sc->groups[k];
		memcpy(members, g->members, g->n_members * sizeof(size_t));
		return g->n_members;
	}
	return (size_t)-1;
}

bool cab_alerts_group_name(const struct cab_scenario *sc, size_t k, char *buf,
			   size_t size)
{
	for (size_t c = 0; c < sc->n_cabins; c++) {
		bool has = false;
		for (size_t i = 0; i < sc->n_participants && !has; i++)
			has = sc->participants[i].cabin == (int)c;
		if (has && k-- == 0) {
			snprintf(buf, size, "cabin:%s", sc->cabins[c].id);
			return true;
		}
	}
	if (k < sc->n_groups) {
		snprintf(buf, size, "group:%s", sc->groups[k].name);
		return true;
	}
	return false;
}

/* A group's row: its complete members' consumption summed, against the
 * sum of their mean references (the community is the group of all). */
static void group_row(struct cab_alert_effect *e, const struct cab_alerts *res,
		      size_t first_row, const size_t *members, size_t m)
{
	double g_alert = 0, g_ref = 0;
	size_t g_n = 0, g_ref_windows = 0;
	for (size_t k = 0; k < m; k++) {
		const struct cab_alert_effect *pe =
		    &res->effect[first_row + members[k]];
		if (!pe->is_complete)
			continue;
		g_alert += pe->e_alert_kwh;
		g_ref += pe->e_ref_kwh;
		g_n++;
		if (pe->reference_windows > g_ref_windows)
			g_ref_windows = pe->reference_windows;
	}
	fill(e, g_n ? g_alert : NAN, g_ref, g_ref_windows);
}

enum cab_status cab_alerts_new(const struct cab_run *run,
			       struct cab_alerts **out, struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	size_t nt = run->n_intervals, n = run->n;
	*out = NULL;
	struct cab_alerts *res = calloc(1, sizeof(*res));
	size_t n_groups = 0;
	char name[8];
	while (cab_alerts_group_name(sc, n_groups, name, sizeof(name)))
		n_groups++;
	size_t cap = sc->n_alerts * 3 * (n + 1 + n_groups);
	size_t *members = malloc((n + 1) * sizeof(size_t));
	long *refs = malloc((nt ? nt : 1) * sizeof(long));
	double *ref_sum = calloc(n ? n : 1, sizeof(double));
	size_t *n_ref = calloc(n ? n : 1, sizeof(size_t));
	double *e_alert = calloc(n ? n : 1, sizeof(double));
	if (!res || !refs || !ref_sum || !n_ref || !e_alert || !members ||
	    !(res->effect = calloc(cap ? cap : 1, sizeof(*res->effect)))) {
		free(refs), free(ref_sum), free(n_ref), free(e_alert);
		free(members);
		cab_alerts_free(res);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	for (size_t k = 0; k < sc->n_alerts; k++) {
		for (int w = 0; w < 3; w++) {
			if (w == CAB_WINDOW_BEFORE &&
			    !sc->alerts[k].is_announced)
				continue;
			long tw;
			size_t len;
			size_t nr =
			    reference_windows(run, k, w, &tw, &len, refs);
			size_t first_row = res->n;
			for (size_t i = 0; i < n; i++) {
				const double *c = run->p[i].consumption_kwh;
				e_alert[i] = window_sum(c, nt, tw, len);
				n_ref[i] = complete_refs(c, nt, refs, nr, len,
							 &ref_sum[i], NULL);
				struct cab_alert_effect *e =
				    &res->effect[res->n++];
				e->alert = k;
				e->window = (enum cab_alert_window)w;
				e->participant = (long)i;
				fill(e, e_alert[i],
				     n_ref[i] ? ref_sum[i] / (double)n_ref[i]
					      : 0,
				     n_ref[i]);
				if (!e->is_complete)
					res->n_excluded++;
			}
			for (size_t g = 0; g < n_groups; g++) {
				size_t m = group_members(sc, g, members);
				struct cab_alert_effect *e =
				    &res->effect[res->n++];
				e->alert = k;
				e->window = (enum cab_alert_window)w;
				e->participant = -2 - (long)g;
				group_row(e, res, first_row, members, m);
			}
			for (size_t i = 0; i < n; i++)
				members[i] = i;
			struct cab_alert_effect *e = &res->effect[res->n++];
			e->alert = k;
			e->window = (enum cab_alert_window)w;
			e->participant = -1;
			group_row(e, res, first_row, members, n);
		}
	}
	free(refs), free(ref_sum), free(n_ref), free(e_alert);
	free(members);
	*out = res;
	return CAB_OK;
}

/* Value of c at interval t, NaN outside [0, nt). */
static double value_at(const double *c, size_t nt, long t)
{
	return t >= 0 && (size_t)t < nt ? c[t] : NAN;
}

enum cab_status cab_alerts_profile(const struct cab_run *run, size_t k,
				   enum cab_alert_window w, long offset,
				   size_t n, double *alert_kwh, double *ref_kwh,
				   struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	size_t nt = run->n_intervals;
	if (k >= sc->n_alerts || (int)w < 0 || w > CAB_WINDOW_BEFORE ||
	    (w == CAB_WINDOW_BEFORE && !sc->alerts[k].is_announced))
		return cab_err_add(err, CAB_EINPUT,
				   _("alert %zu has no such window"), k);
	long *refs = malloc((nt ? nt : 1) * sizeof(long));
	long *good = malloc((nt ? nt : 1) * sizeof(long));
	bool *has = calloc(n ? 2 * n : 1, sizeof(bool)); /* alert, ref */
	if (!refs || !good || !has) {
		free(refs), free(good), free(has);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	for (size_t u = 0; u < n; u++)
		alert_kwh[u] = ref_kwh[u] = 0;
	long tw;
	size_t len;
	size_t nr = reference_windows(run, k, (int)w, &tw, &len, refs);
	for (size_t i = 0; i < run->n; i++) {
		const double *c = run->p[i].consumption_kwh;
		double sum;
		size_t ng = complete_refs(c, nt, refs, nr, len, &sum, good);
		/* Only the participants the community row counts (fill()). */
		if (isnan(window_sum(c, nt, tw, len)) || ng == 0)
			continue;
		for (size_t u = 0; u < n; u++) {
			long d = offset + (long)u;
			double v = value_at(c, nt, tw + d);
			if (!isnan(v)) {
				alert_kwh[u] += v;
				has[2 * u] = true;
			}
			double rs = 0;
			size_t rn = 0;
			for (size_t r = 0; r < ng; r++) {
				double x = value_at(c, nt, good[r] + d);
				if (!isnan(x))
					rs += x, rn++;
			}
			if (rn) {
				ref_kwh[u] += rs / (double)rn;
				has[2 * u + 1] = true;
			}
		}
	}
	for (size_t u = 0; u < n; u++) {
		if (!has[2 * u])
			alert_kwh[u] = NAN;
		if (!has[2 * u + 1])
			ref_kwh[u] = NAN;
	}
	free(refs), free(good), free(has);
	return CAB_OK;
}

void cab_alerts_free(struct cab_alerts *a)
{
	if (!a)
		return;
	free(a->effect);
	free(a);
}

bool cab_alerts_is_signal(const struct cab_scenario *sc, size_t k)
{
	return k < sc->n_alerts && k + sc->n_signal_windows >= sc->n_alerts;
}

void cab_alerts_label(const struct cab_scenario *sc, size_t k, char *buf,
		      size_t size)
{
	char start[17];
	cab_time_format_local(sc->alerts[k].start_s, start);
	snprintf(buf, size, "%s%s",
		 cab_alerts_is_signal(sc, k) ? "signal:" : "", start);
}

bool cab_alerts_is_followed(const struct cab_scenario *sc,
			    const struct cab_alert_effect *e)
{
	if (!e->is_complete || e->alert >= sc->n_alerts)
		return false;
	return cab_alerts_is_signal(sc, e->alert) ? e->delta_kwh > 0
						  : e->delta_kwh < 0;
}
