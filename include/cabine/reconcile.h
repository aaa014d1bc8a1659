/*
 * reconcile.h — the simulation beside what the grid operator allocated
 * (SPEC §13 `cabine reconcile`): per participant and month, and per
 * quarter-hour where the operator's quarter-hour file is there, the
 * simulated and the operator's volumes and grid fees, their differences,
 * and findings a facilitator can act on.
 *
 * Why: the operator computes the sharing from the key the community
 * declared; a member left out, a key applied otherwise, an allocation
 * that gives more than was injected, or a grid fee that is not the
 * tariff's are invisible in its files unless set beside an independent
 * computation. The findings are data here; reports/ say them in words
 * (fr/nl/en).
 *
 * Ownership: cab_reconcile_new() returns an object freed with
 * cab_reconcile_free() (NULL allowed); it borrows the run and the
 * operator's data, which must outlive it.
 */
#ifndef CABINE_RECONCILE_H
#define CABINE_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/operator.h"
#include "cabine/run.h"

/* The quantities compared, in reconcile.csv's names and order. */
enum cab_rq {
	CAB_RQ_SHARED = 0,	 /* shared_kwh: received */
	CAB_RQ_COMPLEMENTARY,	 /* complementary_kwh */
	CAB_RQ_SHARED_INJECTION, /* shared_injection_kwh: given */
	CAB_RQ_GRIDFEE,		 /* gridfee_eur: network lines, excl. VAT */
	CAB_RQ_COUNT
};
/* "shared_kwh", …; "?" outside the enum. */
const char *cab_rq_name(enum cab_rq q);

/* Where an operator's monthly value comes from. */
enum cab_rsource {
	CAB_RSRC_NONE = 0, /* the operator has nothing for it */
	CAB_RSRC_MONTHLY,  /* the monthly file (registers summed) */
	CAB_RSRC_QUARTERS, /* the quarter-hour file summed over the month */
	CAB_RSRC_ABSENT	   /* the member is not in the operator's data of
			      a month others are in: 0 received, 0 given */
};

/* One participant, month and quantity. */
struct cab_rcell {
	double simulated;      /* kWh or EUR */
	double operator_value; /* NaN when source is NONE */
	enum cab_rsource source;
	bool is_different; /* |operator − simulated| > 0.001 kWh (0.01 EUR) */
};

/* What a finding says (reports/ word it). */
enum cab_finding_kind {
	CAB_FIND_AGREE,		 /* nothing differs */
	CAB_FIND_ABSENT,	 /* a member absent from the operator's data */
	CAB_FIND_NO_EAN,	 /* a participant without ean: not compared */
	CAB_FIND_LATE_START,	 /* a member's volumes are 0 until a day */
	CAB_FIND_KEY,		 /* which key fits the operator's volumes */
	CAB_FIND_UNBALANCED,	 /* shared offtake ≠ shared injection */
	CAB_FIND_GRIDFEE,	 /* a month's fee is not the tariff's */
	CAB_FIND_FILES_DISAGREE, /* monthly file ≠ quarter-hour sums */
	CAB_FIND_PARTIAL_MONTH,	 /* a month only partly in the period */
	CAB_FIND_DIFFERENCES	 /* how many rows differ, the largest */
};

struct cab_finding {
	enum cab_finding_kind kind;
	long participant; /* index, or -1 for the community */
	long month;	  /* index in run->months, or -1 */
	enum cab_rq q;	  /* DIFFERENCES, FILES_DISAGREE: the quantity */
	int64_t t_s;	  /* LATE_START: first non-zero interval; UNBALANCED:
			     the largest gap's interval */
	size_t count;	  /* UNBALANCED: intervals; DIFFERENCES: rows;
			     ABSENT: months absent (0: the whole period) */
	double a, b;	  /* GRIDFEE: operator, tariff (EUR); FILES_DISAGREE:
			     monthly, quarter-hours (kWh); UNBALANCED: Σ |gap|,
			     largest gap (kWh); DIFFERENCES: largest |Δ| */
	long fit;	  /* KEY: index of the best fit in fits */
	enum cab_rsource source; /* ABSENT: the file it is missing from
				    (MONTHLY or QUARTERS) */
};

/* A key tried on the operator's own demand and injection (SPEC §13). */
struct cab_key_fit {
	char label[96];	    /* in English, e.g. "fixed, until done, fitted
			       weights" (reports word it from the flags) */
	char key[32];	    /* the key's registry name */
	bool is_scenario;   /* the scenario's own sharing, as configured */
	bool is_until_done; /* fixed: rounds until done */
	bool is_equal;	    /* equal weights (the scenario gives none) */
	bool is_fitted;	    /* weights fitted by least squares */
	double differ_kwh;  /* Σ_t Σ_i |a_key − a_operator| */
	double differ_rate; /* differ_kwh / Σ a_operator (NaN if 0) */
	double *weights;    /* is_fitted: per participant (0 without ean) */
};

/* A quarter-hour where a participant's volume differs (the detail). */
struct cab_rquarter {
	size_t t; /* interval of the run */
	size_t participant;
	enum cab_rq q; /* shared, complementary or shared injection */
	double simulated, operator_value;
};

#define CAB_RECONCILE_MAX_QUARTERS 20000 /* detail rows kept */

struct cab_reconcile {
	const struct cab_run *run;     /* borrowed */
	const struct cab_operator *op; /* borrowed */
	const char *db_path;	       /* the operator's store (borrowed) */
	size_t n, n_months;	       /* participants, months of the run */
	struct cab_rcell *cell; /* [(i × n_months + m) × CAB_RQ_COUNT + q] */
	size_t n_compared;	/* cells with an operator value */
	size_t n_different;	/* cells that differ */
	bool is_different;	/* a value differs, a member is absent, the
				   operator's data disagree with themselves or
				   with the tariff (--fail-on-difference) */
	size_t n_findings;
	struct cab_finding *findings; /* in the order to read them */
	size_t n_fits;
	struct cab_key_fit *fits; /* scenario's first, then by differ_rate */
	/* Per interval of the run (NaN where the operator has no data):
	 * Σ_i |a_sim − a_op| and Σ shared offtake − Σ shared injection. */
	double *qh_differ_kwh;
	double *qh_imbalance_kwh;
	size_t n_quarters;	       /* detail rows kept (at most the max) */
	size_t n_quarters_all;	       /* detail rows there were */
	struct cab_rquarter *quarters; /* by interval, participant, q */
};

/* The cell of participant i, month m, quantity q. */
static inline const struct cab_rcell *
cab_reconcile_cell(const struct cab_reconcile *r, size_t i, size_t m,
		   enum cab_rq q)
{
	return &r->cell[(i * r->n_months + m) * CAB_RQ_COUNT + q];
}

/* Set the simulation run (key-sourced) beside the operator's data op.
 * Fails with CAB_EINPUT when op holds nothing over the period (message
 * names db_path), CAB_ENOMEM. */
enum cab_status cab_reconcile_new(const struct cab_run *run,
				  const struct cab_operator *op,
				  const char *db_path,
				  struct cab_reconcile **out,
				  struct cab_err *err);
void cab_reconcile_free(struct cab_reconcile *r);

#endif
