/*
 * appliances.h — the appliance inventory set against the meter and the
 * alerts (docs/appliances.md, issue 15).
 *
 * Why: at L'Échappée households estimated their appliances' use, classed
 * each as indispensable, useful or comfort, measured some with a
 * wattmeter and compared — to know what they could shed during an alert.
 * This module says, per household, how the estimates compare with the
 * wattmeter and how much of the meter's consumption the inventory
 * explains; per alert window, what its useful and comfort uses usually
 * draw then (what it could shed) beside what it did shed (the alert's
 * Δ, SPEC §6); and the community's totals by class.
 *
 * An appliance's day: its estimate is watts × hours_per_day / 1000 kWh;
 * a wattmeter reading gives measured_kwh / measured_days; the inventory
 * counts the measurement where there is one, else the estimate. Its
 * energy is spread evenly over its usual time of day (the whole day when
 * none is given); what it draws in an alert window is that day's energy
 * times the share of its usual hours the window covers (local clock).
 *
 * Ownership: cab_appliances_new() returns a result freed with
 * cab_appliances_free(); it borrows nothing after returning.
 */
#ifndef CABINE_APPLIANCES_H
#define CABINE_APPLIANCES_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/alerts.h"
#include "cabine/err.h"
#include "cabine/run.h"
#include "cabine/scenario.h"

/* Energies of a set of appliance rows, in kWh per day. */
struct cab_appliance_sums {
	size_t n_appliances;		     /* rows */
	size_t n_measured;		     /* rows with a wattmeter reading */
	double estimated_kwh_day;	     /* Σ estimates, every row */
	double measured_kwh_day;	     /* Σ wattmeter readings per day */
	double estimate_of_measured_kwh_day; /* Σ estimates of the measured
						rows (to set beside the
						readings) */
	double inventory_kwh_day;	     /* Σ reading, else estimate */
	double class_kwh_day[CAB_USE_CLASSES]; /* the inventory by class */
	size_t class_count[CAB_USE_CLASSES];   /* rows by class */
	double shiftable_kwh_day; /* the inventory of shiftable rows */
};

/* One household that has an inventory. */
struct cab_appliance_household {
	size_t participant;		/* index in the scenario */
	struct cab_appliance_sums sums; /* its rows */
	double meter_kwh_day; /* the meter's mean day: Σ C / valid intervals ×
				 intervals per day of the period; NaN when
				 it has no valid interval */
	double explained_share; /* inventory / meter, NaN if meter is 0/NaN */
};

/* One alert window (during) and household. */
struct cab_appliance_alert {
	size_t alert;			   /* index in scenario alerts */
	size_t household;		   /* index in households */
	double class_kwh[CAB_USE_CLASSES]; /* its uses of each class usually
					      draw in the window */
	double could_shed_kwh;		   /* useful + comfort */
	bool has_effect; /* the alert's Δ is known for it (complete) */
	double shed_kwh; /* −Δ kWh of SPEC §6: > 0 when it used less */
};

struct cab_appliances {
	size_t n_households; /* households with at least one row */
	struct cab_appliance_household *household; /* by participant index */
	struct cab_appliance_sums community;	   /* every row */
	double community_meter_kwh_day;		   /* Σ households' meter days
						      (those with one) */
	double community_explained_share;      /* community inventory of those
						  households / that Σ, NaN if 0 */
	size_t n_alert_rows;		       /* n_alerts × n_households */
	struct cab_appliance_alert *alert_row; /* alert-major */
	/* Per alert (n_alerts entries): the households' rows added up;
	 * household = n_households, has_effect when any row has it, shed_kwh
	 * the Σ over those rows (0 if none). */
	struct cab_appliance_alert *alert_total;
	size_t *alert_n_effect; /* per alert: rows with has_effect */
};

/* An appliance's kWh per day: the wattmeter's when it was measured, else
 * the estimate. Cannot fail. */
double cab_appliance_kwh_day(const struct cab_appliance *a);

/* What appliance a usually draws (kWh) in a window of local clock time
 * starting start_min minutes after midnight and lasting len_min minutes
 * (≤ 1440). Cannot fail. */
double cab_appliance_window_kwh(const struct cab_appliance *a, int start_min,
				int len_min);

/* Set the run's scenario inventory against its meters and, when alerts
 * is not NULL, against each alert's effect. Fails only with CAB_ENOMEM. */
enum cab_status cab_appliances_new(const struct cab_run *run,
				   const struct cab_alerts *alerts,
				   struct cab_appliances **out,
				   struct cab_err *err);
void cab_appliances_free(struct cab_appliances *a);

/* The household entry of participant i, or NULL. */
const struct cab_appliance_household *
cab_appliances_find(const struct cab_appliances *a, size_t participant);

#endif
