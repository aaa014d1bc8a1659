/*
 * fairness.h — is the split fair? (SPEC §12 "Fairness"): who pays more
 * than alone, the spread of the savings, and each participant's Shapley
 * share of what the community creates.
 *
 * Why: an assembly does not only want the key that saves the most; it
 * must be able to say to each household "you gain this, and this is
 * what your presence brings". The saving of a participant is its bill
 * alone minus its bill in the run; the Shapley share is the mean, over
 * the orders in which members join, of what its arrival adds to the
 * saving of the coalition already there, the coalition C valued as
 *
 *     v(C) = Σ_t Σ_{i∈C} v_i(t) · a_i(t),  a = the proportional rule over
 *            C's own surplus and demand (per pool),
 *
 * with v_i(t) what a kWh received saves i (cab_share_value_eur_kwh).
 * The shares add up to v(N), the community's value. Exact (all 2^m
 * coalitions) for a pool of at most 12 members, else the mean over
 * 2,000 random orders (seeded: the same inputs give the same numbers)
 * with its standard error.
 *
 * Ownership: cab_fairness_new() returns a result freed with
 * cab_fairness_free(); it borrows nothing after returning.
 */
#ifndef CABINE_FAIRNESS_H
#define CABINE_FAIRNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/run.h"

#define CAB_FAIRNESS_EXACT_MAX 12    /* pools up to this size: exact */
#define CAB_FAIRNESS_ORDERS 2000     /* random orders above it */
#define CAB_FAIRNESS_SEED 0x5eedcab1 /* the orders' seed */

/* One participant's figures. */
struct cab_fairness_member {
	bool has_saving;       /* has a baseline (not a meterless pot member) */
	int64_t saving_cents;  /* baseline − bill */
	double shapley_eur;    /* its Shapley share, NaN if not computed */
	double shapley_se_eur; /* standard error: 0 when exact, NaN if not
				  computed */
	int64_t shapley_cents; /* the share in cents, the shares' cents
				  adding up to value_cents (largest
				  remainder, SPEC §5) */
};

struct cab_fairness {
	size_t n;		     /* participants, scenario order */
	size_t n_counted;	     /* those with a saving */
	size_t worse_off;	     /* bill above baseline */
	int64_t min_saving_cents;    /* over those counted (0 if none) */
	int64_t median_saving_cents; /* mean of the two middle ones for an
					even count, half-cents away from 0 */
	int64_t max_saving_cents;
	bool has_shapley;    /* Shapley shares computed */
	bool is_exact;	     /* every pool at most CAB_FAIRNESS_EXACT_MAX */
	size_t orders;	     /* random orders per sampled pool (0: exact) */
	double value_eur;    /* v(N): Σ of the shares */
	int64_t value_cents; /* v(N) rounded to the cent */
	struct cab_fairness_member *member; /* n entries */
};

/* Options of cab_fairness_new_opts (tests: fewer orders, another seed). */
struct cab_fairness_opts {
	bool is_shapley;  /* compute the Shapley shares */
	size_t exact_max; /* 0: CAB_FAIRNESS_EXACT_MAX */
	size_t orders;	  /* 0: CAB_FAIRNESS_ORDERS */
	uint64_t seed;	  /* 0: CAB_FAIRNESS_SEED */
	/* The Shapley shares of another run of the same game
	 * (cab_fairness_same_game): copied instead of computed. */
	const struct cab_fairness *shapley_of;
};

/* Whether runs a and b (of one scenario and readings) play the same
 * coalition game — both share, at the same price, perimeter and
 * localities — so that their Shapley shares are the same: the key
 * itself does not enter v(C). Cannot fail. */
bool cab_fairness_same_game(const struct cab_run *a, const struct cab_run *b);

/* The fairness of run (borrowed for the call); is_shapley: compute the
 * Shapley shares too. Fails with CAB_ENOMEM only. */
enum cab_status cab_fairness_new(const struct cab_run *run, bool is_shapley,
				 struct cab_fairness **out,
				 struct cab_err *err);
enum cab_status cab_fairness_new_opts(const struct cab_run *run,
				      const struct cab_fairness_opts *o,
				      struct cab_fairness **out,
				      struct cab_err *err);
/* NULL allowed. */
void cab_fairness_free(struct cab_fairness *f);

/* Shared energy below this (kWh) counts as none when participants that
 * received some are counted: it prints as 0.000000 in allocation.csv. */
#define CAB_FAIRNESS_RECEIVED_KWH 0.0000005

/* How many participants received shared energy (a ≥
 * CAB_FAIRNESS_RECEIVED_KWH) in interval t of run. Cannot fail. */
size_t cab_fairness_n_received(const struct cab_run *run, size_t t);

/* The distribution of cab_fairness_n_received over the intervals with
 * shared injection (some participant's surplus X > 0): counts[k] = how
 * many such intervals had k participants receiving, k = 0..run->n
 * (counts holds run->n + 1 entries). Returns the number of intervals
 * counted. Cannot fail. */
size_t cab_fairness_received_histogram(const struct cab_run *run,
				       size_t *counts);

/* The coalition value v(C) of SPEC §12 for the participants with
 * in_coalition[i] (run->n flags), by the definition: the proportional
 * rule over C's surplus and demand in every interval and pool. The
 * reference the tests check the shares against. Cannot fail. */
double cab_fairness_coalition_value(const struct cab_run *run,
				    const bool *in_coalition);

#endif
