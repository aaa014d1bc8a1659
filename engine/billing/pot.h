/*
 * pot.h — internal: collective billing, the common pot (SPEC §3).
 *
 * The pot is the cabin meter's bill (same tariff rules as every bill,
 * through cab_bill_compute) plus the community's fixed terms, or the sum
 * of the members' baselines when no cabin has a meter. It is split by the
 * billing key, within bounds, to the cent (largest remainder). Choices
 * the spec leaves open are documented in docs/pot.md.
 */
#ifndef CABINE_ENGINE_POT_H
#define CABINE_ENGINE_POT_H

#include <stddef.h>
#include <stdint.h>

#include "cabine/readings.h"
#include "cabine/run.h"

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

/* The per-cabin import against members' meters (every billing mode):
 * fills run->cabin_flows and run->cabin_residual_kwh. Fails with
 * CAB_EINPUT (a cabin meter without data) or CAB_ENOMEM. */
enum cab_status cab_pot_cabin_flows(struct cab_run *run,
				    const struct cab_readings *rd,
				    struct cab_err *err);

/* Pot mode: compute the pots and replace the members' bills by their
 * shares. Needs the run's volumes, baselines and cabin flows. is_day:
 * per interval, 1 in the tariff's day period. variant: -1 or the index
 * of the variant (names the JSON path in messages). Fails with
 * CAB_EINPUT (no cabin meter nor metered member, impossible bounds) or
 * CAB_ENOMEM. */
enum cab_status cab_pot_bill(struct cab_run *run, const struct cab_readings *rd,
			     const unsigned char *is_day, long variant,
			     struct cab_err *err);

#endif
