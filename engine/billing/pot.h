/*
 * pot.h — internal: collective billing, the common pot (SPEC §3).
 *
 * The pot is the cabin meter's bill (same tariff rules as every bill,
 * through cab_bill_compute) plus the community's fixed terms, or the sum
 * of the members' baselines when no cabin has a meter. It is split by the
 * billing key, within bounds, to the cent (largest remainder). Choices
 * the spec leaves open are documented in docs/pot.md.
 *
 * The pot takes arrays and returns shares: it reads the scenario and what
 * the caller gives it (each participant's measured consumption and
 * baseline, the metered cabins with their meters' series) and returns
 * the pots and each participant's share, weight and key; it never sees
 * the run, which writes the shares into the bills itself.
 */
#ifndef CABINE_ENGINE_POT_H
#define CABINE_ENGINE_POT_H

#include <stddef.h>
#include <stdint.h>

#include "cabine/bill.h"
#include "cabine/err.h"
#include "cabine/scenario.h"

/* Sentinels for "no bound" in cab_pot_split. */
#define CAB_POT_NO_MAX INT64_MAX
#define CAB_POT_NO_MIN INT64_MIN

/* Split total_cents among n parts by weight (≥ 0) so that the parts add
 * up to total_cents exactly and min_cents[i] ≤ share[i] ≤ max_cents[i]
 * (NULL: no bounds; CAB_POT_NO_MAX / CAB_POT_NO_MIN: none for i). What a
 * bound removes is re-split among the unbounded by their weights until
 * every bound holds (water filling); parts whose weights all are 0 share
 * equally. Cents go by largest remainder; ties go to the smaller `rank`
 * (NULL: index order). Fails with CAB_EINPUT when the bounds cannot hold
 * (Σ max < total or Σ min > total), writing nothing in err: the caller
 * names the bounds. share_cents: n values, written by the call. */
enum cab_status cab_pot_split(int64_t total_cents, size_t n,
			      const double *weight, const int64_t *min_cents,
			      const int64_t *max_cents, const size_t *rank,
			      int64_t *share_cents);

/* What the pot reads of one participant. */
struct cab_pot_member {
	double consumption_kwh; /* its measured Σ C over the period */
	int64_t baseline_cents; /* its bill alone (total) */
};

/* A metered cabin with data: one pot, billed on its meter's import. */
struct cab_pot_cabin {
	int cabin;		  /* index in sc->cabins */
	const double *import_kwh; /* its meter's series, NaN = missing */
};

/* Everything the pot needs; every pointer is borrowed. */
struct cab_pot_input {
	const struct cab_scenario *sc;	   /* participants, cabins, tariff */
	const struct cab_billing *billing; /* the billing applied */
	const struct cab_sharing *sharing; /* the sharing applied */
	long variant; /* -1 or the variant (names the JSON path) */
	const struct cab_pot_member *member; /* sc->n_participants entries */
	size_t n_cabins; /* metered cabins with data; 0: one pot for all,
			    the Σ of the metered members' baselines */
	const struct cab_pot_cabin *cabin; /* n_cabins cabins, in order */
	const unsigned char *is_day; /* n_intervals: 1 in the day period */
};

/* Which of a member's bounds holds its share (for its invoice: why the
 * share differs from its weight × the pot). */
struct cab_pot_bound {
	int kind;	      /* 0 none, 1 its cap, -1 its floor */
	int64_t cents;	      /* the bound's amount, when kind != 0 */
	bool is_price;	      /* the cap is max_price_eur_kwh × kWh */
	double price_eur_kwh; /* that price, when is_price */
};

/* What the pot returns. Arrays "per participant" have
 * sc->n_participants entries, in scenario order. */
struct cab_pot_shares {
	size_t n_pots;	      /* pots with members */
	struct cab_pot *pots; /* n_pots pots; set to NULL to keep them */
	int64_t pot_cents;    /* Σ pots' totals */
	int *pot;	      /* per participant: its pot, -1 if none */
	int64_t *share_cents; /* per participant: its share (pot >= 0) */
	double *weight;	      /* per participant: w_i / Σ w_j, else NaN */
	double (*key)[CAB_CRIT_COUNT]; /* per participant: w_i^k / Σ w_j^k,
					  NaN if unused */
	struct cab_pot_bound *bound;   /* per participant: the bound that
					  holds its share, if any */
};

/* Compute the pots and split each among its members: the members of a
 * cabin's pot are the participants behind it (a cabin with nobody behind
 * has no pot); without metered cabins, everyone. *out is released with
 * cab_pot_shares_release(), also after a failure. Fails with CAB_EINPUT
 * (no cabin meter nor metered member, impossible bounds: message in
 * err), CAB_EINTERNAL or CAB_ENOMEM (no message). */
enum cab_status cab_pot_compute(const struct cab_pot_input *in,
				struct cab_pot_shares *out,
				struct cab_err *err);
/* Free what s holds; a zeroed s is allowed. */
void cab_pot_shares_release(struct cab_pot_shares *s);

#endif
