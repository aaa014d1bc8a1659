/*
 * key.h — the interface every sharing key implements (SPEC §2).
 *
 * Why: keys are the heart of what an assembly compares; each lives in its
 * own file in keys/ behind one table of function pointers (like curl's
 * protocol handlers), so adding a key touches its file, keys/keys.h and
 * keys/registry.c; the pools and the priority key ask the registry.
 * Keys never see cJSON, SQLite or GLPK types: they get plain arrays.
 *
 * A key is configured once per pool with the pool's members' parameters,
 * then called once per interval: given each member's demand D_i (kWh,
 * already net of its own self-consumption, 0 when its data is missing)
 * and the pool's shared injection S, it writes allocations a_i with
 * 0 ≤ a_i ≤ D_i and Σ a_i ≤ S. It must not allocate memory per call.
 */
#ifndef CABINE_KEY_H
#define CABINE_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/err.h"

/* Tolerance under which a remainder counts as nothing (kWh). */
#define CAB_KEY_EPS_KWH 1e-12

/* What a key is configured with, for one pool. Borrowed during configure. */
struct cab_key_params {
	size_t n;	      /* members of the pool */
	const double *weight; /* n weights w_i ≥ 0, Σ ≤ 1 (fixed, hybrid) */
	bool is_until_done;   /* fixed: repeat rounds until done */
	const int *group;     /* priority: n group numbers, 0 first */
	size_t n_groups;      /* priority: number of groups */
	const char *group_key;	/* priority: key within a group */
	const double *value;	/* optimal: n relative values of one kWh
				   received by member i (its grid price
				   minus the shared price, VAT included);
				   NULL = all equal */
	bool is_fairness_first; /* optimal: maximise the smallest share
				   a_i / D_i first, the saving second */
};

struct cab_key_ops {
	const char *name;     /* as written in the scenario: "fixed", … */
	const char *summary;  /* one line for --help and docs */
	bool can_serve_group; /* usable as a priority group's inner key */
	/* Build the key's state for one pool. *state is owned by the caller
	 * and released with free_state. Fails with CAB_EINPUT or CAB_ENOMEM. */
	enum cab_status (*configure)(const struct cab_key_params *p,
				     void **state, struct cab_err *err);
	/* One interval: demand[n] (kWh ≥ 0), supply S (kWh ≥ 0) → alloc[n]. */
	void (*allocate)(void *state, const double *demand, double supply,
			 double *alloc);
	/* Release the state; NULL allowed. */
	void (*free_state)(void *state);
};

/* The key registered under `name`, or NULL. */
const struct cab_key_ops *cab_key_find(const char *name);
/* All registered keys, NULL-terminated. */
const struct cab_key_ops *const *cab_key_all(void);
/* The registered keys' names for a message, in registry order: "fixed,
 * proportional, … or optimal"; is_group_only: only the keys that
 * can_serve_group. Writes at most size bytes into buf, NUL-terminated
 * (cut short if buf is too small). Cannot fail. */
void cab_key_names(bool is_group_only, char *buf, size_t size);

#endif
