/*
 * reconcile_fit.h — internal to engine/analyse/: which sharing key the
 * operator applied, found by replaying keys on its own data
 * (reconcile_fit.c).
 */
#ifndef CABINE_RECONCILE_FIT_H
#define CABINE_RECONCILE_FIT_H

#include "cabine/reconcile.h"

/* Try the scenario's key, the other standard keys and fixed weights
 * fitted by least squares on the operator's demand and injection; *fits
 * (heap, *n entries, each weights array heap) belongs to the caller:
 * the scenario's first, then the others by how well they fit. Fails
 * with CAB_ENOMEM, or CAB_EINPUT from a key's own check. */
enum cab_status cab_reconcile_fit_keys(const struct cab_run *run,
				       const struct cab_operator *op,
				       struct cab_key_fit **fits, size_t *n,
				       struct cab_err *err);

/* Index of the fit with the lowest differ_rate (the scenario's on a tie
 * within 0.05 %). */
long cab_reconcile_best_fit(const struct cab_key_fit *fits, size_t n);

#endif
