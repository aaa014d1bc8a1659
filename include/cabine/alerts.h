/*
 * alerts.h — the effect of consumption alerts (SPEC §6, issue 6).
 *
 * Why: communities send an SMS asking to cut consumption for 2–6 h and
 * want to know, per household and for the group, how much consumption
 * moved against comparable hours. The reference of a window W is the
 * same weekday and the same local clock time in the analysis period, in
 * windows that overlap no alert; E_ref is the mean consumption over those
 * reference windows; Δ kWh = E_alert − E_ref, Δ % = Δ / E_ref · 100.
 * The same is computed for the window of equal length right after W
 * (rebound) and, for announced alerts, right before W (anticipation).
 *
 * Ownership: cab_alerts_new() returns a result freed with
 * cab_alerts_free(); it borrows nothing after returning.
 */
#ifndef CABINE_ALERTS_H
#define CABINE_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/run.h"

enum cab_alert_window {
	CAB_WINDOW_DURING = 0,
	CAB_WINDOW_AFTER,
	CAB_WINDOW_BEFORE
};

/* One row of alerts.csv. */
struct cab_alert_effect {
	size_t alert; /* index in scenario alerts */
	enum cab_alert_window window;
	long participant;   /* index ≥ 0; -1 the community; -2 - k the
			     * k-th group: cabins with members first
			     * (cab_alerts_group_name), then "groups" */
	bool is_complete;   /* data complete in W and ≥ 1 reference */
	double e_alert_kwh; /* consumption in W */
	double e_ref_kwh;   /* mean consumption in the reference windows */
	double delta_kwh;   /* e_alert − e_ref */
	double delta_pct;   /* delta / e_ref × 100, NaN if e_ref = 0 */
	size_t reference_windows; /* complete reference windows used */
};

struct cab_alerts {
	size_t n;			 /* rows */
	struct cab_alert_effect *effect; /* n rows, owned */
	size_t n_excluded; /* participant rows left out for missing data */
};

/* Name of the k-th group of a scenario as written in alerts.csv:
 * "cabin:<id>" or "group:<name>" into buf; false if k is out of range. */
bool cab_alerts_group_name(const struct cab_scenario *sc, size_t k, char *buf,
			   size_t size);

/* Is alert k a window of a signal.csv (`cabine alerts --signal`)? */
bool cab_alerts_is_signal(const struct cab_scenario *sc, size_t k);
/* The name of alert k in alerts.csv and alerts.xlsx: its local start
 * "2024-05-14T18:00", or "signal:2024-05-14T11:15" for a window of
 * signal.csv (`cabine alerts --signal`), into buf (≥ 32 bytes). */
void cab_alerts_label(const struct cab_scenario *sc, size_t k, char *buf,
		      size_t size);

/* Did the participant (or group) do what window e asked? The same effect
 * formula, read with the sign reversed for a signal window: an alert
 * asks to cut (Δ < 0), a surplus window to use (Δ > 0). False when the
 * effect is incomplete. */
bool cab_alerts_is_followed(const struct cab_scenario *sc,
			    const struct cab_alert_effect *e);

/* Compute every alert's effect from the run's consumption series. */
enum cab_status cab_alerts_new(const struct cab_run *run,
			       struct cab_alerts **out, struct cab_err *err);
void cab_alerts_free(struct cab_alerts *a);

/* The community row of alert k's window w, interval by interval, for a
 * chart (alerts.xlsx): for the n intervals that start `offset` intervals
 * after the window's start (offset < 0: before it), alert_kwh[u] is the
 * sum of the consumption of the participants the community row counts
 * (complete data in the window and in at least one reference window),
 * and ref_kwh[u] the sum of the same participants' mean consumption at
 * the same offset from the start of each of their complete reference
 * windows: the reference windows of cab_alerts_new(), drawn beyond the
 * window when offset and n reach past it. NaN where no participant has a
 * value. Over the window itself (offsets 0 to its length − 1),
 * Σ alert_kwh = e_alert_kwh and Σ ref_kwh = e_ref_kwh of the community
 * row. alert_kwh and ref_kwh hold n values each (caller's). Fails with
 * CAB_EINPUT (no such alert or window) or CAB_ENOMEM. */
enum cab_status cab_alerts_profile(const struct cab_run *run, size_t k,
				   enum cab_alert_window w, long offset,
				   size_t n, double *alert_kwh, double *ref_kwh,
				   struct cab_err *err);

#endif
