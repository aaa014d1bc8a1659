/*
 * run.h — the result of the main job: sharing, bills and indicators.
 *
 * Why: reports (CSV, JSON, xlsx) and comparisons all read the same
 * result; it is computed once by cab_run_new() from a scenario and its
 * readings. Data flows one way: readings → community series → sharing
 * (keys) → billing → this result → reports. The volumes, indicators
 * and cabin flows it holds are declared in cabine/sharing.h, the bills
 * and pots in cabine/bill.h; this header only gathers them per
 * participant and for the run.
 *
 * The structs are plain data, read-only for reports. Ownership:
 * cab_run_new() returns a run freed with cab_run_free(); it borrows the
 * scenario and the readings (both must outlive it: the interval series
 * of consumption and production point into the readings when no copy is
 * needed) and owns everything else.
 */
#ifndef CABINE_RUN_H
#define CABINE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/bill.h"
#include "cabine/err.h"
#include "cabine/readings.h"
#include "cabine/scenario.h"
#include "cabine/sharing.h"

struct cab_participant_result {
	struct cab_volumes total;  /* over the period */
	struct cab_volumes *month; /* n_months entries */
	size_t missing_intervals;  /* intervals with any meter missing (after
				      filling) */
	size_t
	    filled_intervals; /* intervals where a meter's value was filled */
	double self_sufficiency_rate; /* (O + a) / C, NaN if C = 0 */
	struct cab_bill bill;	      /* under the scenario's billing mode */
	struct cab_bill baseline;     /* billed alone */
	int64_t delta_cents;	    /* bill − baseline (0 without baseline) */
	bool is_without_baseline;   /* meterless member of a pot: no baseline */
	int pot;		    /* index in run->pots, -1 if in no pot */
	double pot_weight;	    /* pot: w_i / Σ w_j of its pot, else NaN */
	double key[CAB_CRIT_COUNT]; /* pot: w_i^k / Σ w_j^k, NaN if unused */
	int pot_bound;		    /* pot: 1 its share is its cap, -1 its
				       floor, 0 neither */
	int64_t pot_bound_cents;    /* that cap or floor */
	double pot_bound_price;	    /* the cap's EUR/kWh, or -1 (max_eur) */
	char locality; /* locality type applied to its shared kWh */
	bool is_net;   /* series are net offtake/injection (O = 0) */
	/* Interval series over the period (n_intervals values): gross
	 * consumption C, production P, allocation a, given. An interval is
	 * missing when consumption_kwh[t] is NaN; the other series are then
	 * NaN or 0 and must not be used. Read-only; borrowed from the
	 * readings or from the run, freed with the run. */
	const double *consumption_kwh;
	const double *production_kwh;
	const double *shared_kwh;
	const double *given_kwh;
	double *copy[2]; /* private: merged copies of C and P, or NULL */
	double *out[2];	 /* private: writable a and given, or NULL */
	struct cab_invoice_doc doc; /* billing.invoice: number, dates and
				       communication (is_set false without) */
};

struct cab_run {
	const struct cab_scenario *sc; /* borrowed */
	const char *variant;	       /* NULL for the base scenario */
	struct cab_sharing sharing;    /* what was applied */
	struct cab_billing billing;    /* what was applied (arrays borrowed) */
	int64_t t0_s;
	size_t n_intervals;
	size_t n_months;
	struct cab_month *months;
	size_t n; /* participants, scenario order */
	struct cab_participant_result *p;
	struct cab_indicators ind;
	double *zeros;		      /* private: n_intervals zeros, shared */
	void *arena;		      /* private: one mapping for a and given */
	size_t arena_size;	      /* private: its size in bytes */
	int64_t total_bill_cents;     /* Σ bills */
	int64_t total_baseline_cents; /* Σ baselines */
	size_t n_pots;		      /* pot mode: common pots, else 0 */
	struct cab_pot *pots;
	int64_t pot_cents;    /* Σ pots' totals */
	size_t n_cabin_flows; /* cabins with a meter */
	struct cab_cabin_flow *cabin_flows;
	double cabin_residual_kwh; /* Σ residual_kwh, NaN if none */
};

/* Run the scenario's main job on readings (borrowed). variant: index in
 * sc->variants, or -1 for the base. Fails with CAB_EINPUT (e.g. a meter
 * the scenario names has no data), CAB_ENOMEM or CAB_EINTERNAL. */
enum cab_status cab_run_new(const struct cab_scenario *sc,
			    const struct cab_readings *rd, long variant,
			    struct cab_run **out, struct cab_err *err);
void cab_run_free(struct cab_run *run);

#endif
