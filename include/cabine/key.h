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

/* --- The coupled optimum (keys/optimal_coupled.c; SPEC §4, §12) ---
 *
 * The optimal key over the whole period when the assembly's constraints
 * couple the intervals. Plain arrays: the pool-intervals with shared
 * injection and demand ("slots"), each with its members' demands
 * ("entries"). Maximises Σ v·a (or, with is_max_z, the variable z)
 * subject to, per slot, Σ a ≤ S and 0 ≤ a ≤ D, and to rows
 *     g_k(a) − b_k·z ≥ rhs_k,
 * g_k being one member's Σ a (SELF), everyone's Σ a (COMMUNITY) or one
 * member's saving Σ v·a + κ·given (SAVING). By Dantzig–Wolfe
 * decomposition: a master programme over the rows (GLPK) whose columns
 * are whole-period allocations, each the best allocation of every slot
 * for the master's prices (a greedy by value); the bound from the same
 * prices gives the gap. docs/keys.md. */
enum cab_coupled_kind {
	CAB_ROW_SELF = 0,  /* Σ_t a_who(t) */
	CAB_ROW_COMMUNITY, /* Σ_t Σ_i a_i(t) */
	CAB_ROW_SAVING	   /* Σ_t v_who(t)·a_who(t) + κ·given_who */
};

struct cab_coupled_row {
	enum cab_coupled_kind kind;
	size_t who; /* member (SELF, SAVING) */
	double rhs; /* right-hand side */
	double b_z; /* coefficient of z (0: none) */
};

struct cab_coupled_problem {
	size_t n;	      /* members (participants) */
	size_t n_slots;	      /* pool-intervals */
	const size_t *first;  /* n_slots + 1: entries of slot u */
	const unsigned *who;  /* per entry: its member */
	const double *demand; /* per entry: D > 0 */
	const double *supply; /* per slot: S > 0 */
	const double *value;  /* per slot: c, v = c·factor[who] */
	const double *factor; /* n: f_i */
	const size_t *pfirst; /* n_slots + 1: producers of slot u */
	const unsigned *pwho; /* per producer entry: its member */
	const double *pshare; /* per producer entry: X / S */
	double kappa;	      /* sharing price − injection price */
	size_t n_rows;
	const struct cab_coupled_row *rows;
	bool is_max_z;	       /* maximise z (then Σ v·a as second stage) */
	double z_max;	       /* z ∈ [0, z_max] */
	size_t max_iterations; /* 0: 3,000 */
	double gap_tolerance;  /* relative; 0: 1e-6 */
};

struct cab_coupled_result {
	bool is_feasible;  /* some allocation meets every row */
	bool is_optimal;   /* gap within the tolerance */
	double objective;  /* Σ v·a, or z when is_max_z */
	double saving;	   /* Σ v·a of the allocation */
	double bound;	   /* upper bound of the objective */
	double z;	   /* z of the allocation */
	size_t iterations; /* master programmes solved */
	size_t worst_row;  /* infeasible: the row furthest from met */
};

/* Solve p; alloc (one per entry, caller's) receives the allocation
 * when feasible. Fails with CAB_ENOMEM or CAB_EINTERNAL (GLPK failed;
 * message in err); an infeasible problem is CAB_OK with !is_feasible. */
enum cab_status cab_key_coupled_solve(const struct cab_coupled_problem *p,
				      double *alloc,
				      struct cab_coupled_result *out,
				      struct cab_err *err);

#endif
