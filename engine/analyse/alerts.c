/*
 * alerts.c — alert effects (SPEC §6): consumption during an alert window
 * against the same weekday and local clock time on days without alerts.
 *
 * A window is a run of L quarter-hours starting at an interval whose
 * local weekday, hour and minute match the alert's start. Comparing local
 * clock times (not UTC offsets) keeps the reference right across DST.
 */
#include "cabine/alerts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"

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
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < sc->n_alerts; k++) {
		const struct cab_alert *al = &sc->alerts[k];
		int64_t len_s = al->end_s - al->start_s;
		size_t len = (size_t)(len_s / CAB_INTERVAL_S);
		for (int w = 0; w < 3; w++) {
			if (w == CAB_WINDOW_BEFORE && !al->is_announced)
				continue;
			int64_t w0 = al->start_s;
			if (w == CAB_WINDOW_AFTER)
				w0 = al->end_s;
			else if (w == CAB_WINDOW_BEFORE)
				w0 = al->start_s - len_s;
			long tw = (long)((w0 - run->t0_s) / CAB_INTERVAL_S);
			struct cab_civil lw;
			cab_time_to_local(w0, &lw);
			/* Reference windows: same weekday and local clock time,
			 * overlapping no alert. */
			size_t nr = 0;
			for (size_t t = 0; t < nt; t++) {
				int64_t ts =
				    run->t0_s + (int64_t)t * CAB_INTERVAL_S;
				struct cab_civil lc;
				cab_time_to_local(ts, &lc);
				if (lc.wday != lw.wday || lc.hour != lw.hour ||
				    lc.minute != lw.minute || (long)t == tw)
					continue;
				if (overlaps_alert(sc, ts, ts + len_s))
					continue;
				if (sc->alerts_ref_end_s >
					sc->alerts_ref_start_s &&
				    (ts < sc->alerts_ref_start_s ||
				     ts + len_s > sc->alerts_ref_end_s))
					continue;
				refs[nr++] = (long)t;
			}
			size_t first_row = res->n;
			for (size_t i = 0; i < n; i++) {
				const double *c = run->p[i].consumption_kwh;
				e_alert[i] = window_sum(c, nt, tw, len);
				ref_sum[i] = 0;
				n_ref[i] = 0;
				for (size_t r = 0; r < nr; r++) {
					double s =
					    window_sum(c, nt, refs[r], len);
					if (!isnan(s)) {
						ref_sum[i] += s;
						n_ref[i]++;
					}
				}
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

void cab_alerts_free(struct cab_alerts *a)
{
	if (!a)
		return;
	free(a->effect);
	free(a);
}
