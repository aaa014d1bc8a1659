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
	/* Optional (SPEC §12 "self_share": false): one interval as
	 * allocate, with member `excluded` left out — it receives nothing,
	 * and a key with weights shares the excluded member's weight among
	 * the others pro rata of theirs (their sum stays the pool's). NULL:
	 * the caller sets the member's demand to 0 and calls allocate, which
	 * is the same for keys without weights. */
	void (*allocate_without)(void *state, const double *demand,
				 double supply, size_t excluded, double *alloc);
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

/* --- Fitting the fixed key (keys/fit.c; SPEC §12, `cabine fit-key`) ---
 *
 * The weights w (w_i ≥ 0, Σ w = 1, lo_i ≤ w_i ≤ hi_i) of one pool's
 * fixed key that maximise its saving Σ_t Σ_i v_i(t)·a_i(t), where a is
 * the fixed key with those weights and v_i(t) = c(t)·f_i what a kWh
 * received saves member i (cabine/sharing.h). One round: exact (the
 * saving is a sum of concave piecewise-linear functions, one per weight:
 * docs/keys.md). Until-done: a local search from the one-round answer,
 * never worse than that answer replayed with rounds until done. */
struct cab_fit_problem {
	size_t n;		  /* pool members */
	size_t n_t;		  /* intervals given (those with S > 0) */
	const double *demand;	  /* n_t rows of n: D_i(t) ≥ 0, kWh */
	const double *supply;	  /* n_t: S(t) > 0, kWh */
	const double *value;	  /* n_t: c(t) ≥ 0, EUR per kWh at f = 1 */
	const double *factor;	  /* n: f_i > 0 (1 + VAT) */
	const double *min_weight; /* n: lower bounds lo_i ≥ 0 */
	const double *max_weight; /* n: upper bounds hi_i ≤ 1 */
	const bool *is_candidate; /* n: may get a weight (others get 0) */
	bool is_until_done;	  /* rounds "until-done" */
	size_t max_evaluations;	  /* until-done search: key replays, 0 =
				     the default (2,000) */
};

/* What cab_key_fit found (EUR and kWh over the problem's intervals). */
struct cab_fit_outcome {
	double saving;		   /* Σ v·a with the weights returned */
	double shared_kwh;	   /* Σ a with them */
	double optimum_saving;	   /* Σ v·a of the per-interval optimum */
	double optimum_shared_kwh; /* Σ a of that optimum */
	double one_round_saving;   /* the one-round answer replayed with
				      the problem's rounds */
	size_t evaluations;	   /* key replays of the until-done search */
};

/* Fit p's weights into weight[0..n), rounded to multiples of 1e-9 that
 * add up to exactly 1 (cab_key_fit_round), and fill *out. Fails with
 * CAB_EINPUT when no candidate exists, the bounds admit no Σ w = 1, or
 * some c(t) < 0 (the saving is then not concave in w: the message says
 * so), and with CAB_ENOMEM. */
enum cab_status cab_key_fit(const struct cab_fit_problem *p, double *weight,
			    struct cab_fit_outcome *out, struct cab_err *err);

/* Σ v·a (EUR) and Σ a (kWh) of p under `weight` with rounds one or until
 * done. Fails with CAB_ENOMEM only. */
enum cab_status cab_key_fit_evaluate(const struct cab_fit_problem *p,
				     const double *weight, bool is_until_done,
				     double *saving, double *shared_kwh);

/* Round weights w[0..n) (Σ = 1) to units of 1e-9 that add up to exactly
 * 1,000,000,000 by the largest remainder, each within
 * [ceil(lo·1e9), floor(hi·1e9)] (lo, hi may be NULL: 0 and 1); members
 * with w_i = 0 and lo_i = 0 stay 0. Cannot fail. */
void cab_key_fit_round(size_t n, const double *w, const double *lo,
		       const double *hi, long long *units);

#endif
