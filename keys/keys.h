/*
 * keys.h — internal to keys/: the registered keys and the formulas they
 * share, so each formula is written once (STYLE: "write a formula once").
 */
#ifndef CABINE_KEYS_KEYS_H
#define CABINE_KEYS_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/key.h"

extern const struct cab_key_ops cab_key_fixed;
extern const struct cab_key_ops cab_key_proportional;
extern const struct cab_key_ops cab_key_hybrid;
extern const struct cab_key_ops cab_key_priority;
/* Defined in keys/optimal.c, the only GLPK user. */
extern const struct cab_key_ops cab_key_optimal;
/* Intervals the optimal key solved by its proportional fallback (tests). */
size_t cab_key_optimal_failures(const void *state);

/* Fixed-weight rounds: a_i = min(D_i, w_i·S), then (until-done) the rest
 * pro rata of the weights of the unsaturated. Writes alloc[n]. unsat is
 * scratch space for n indices, required when is_until_done (else NULL). */
void cab_key_fixed_rounds(size_t n, const double *weight, bool is_until_done,
			  const double *demand, double supply, double *alloc,
			  size_t *unsat);

/* The weights without member `excluded` (SPEC §12 "self_share": false):
 * its weight shared among the others pro rata of theirs, so that their
 * sum stays Σ weight; all 0 when nobody else has a weight. Writes
 * out[n]. */
void cab_key_weights_without(size_t n, const double *weight, size_t excluded,
			     double *out);

/* Adds to alloc[i] a share of `supply` pro rata of the residual need
 * demand[i] − alloc[i], never beyond that need. With alloc all zero this
 * is the proportional key: a_i = D_i · min(1, S / ΣD). */
void cab_key_pro_rata_of_need(size_t n, const double *demand, double supply,
			      double *alloc);

#endif
