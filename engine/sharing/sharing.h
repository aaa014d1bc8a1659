/*
 * sharing.h — internal: the sharing stage (SPEC §1, §2, §6), from a
 * scenario's readings to each participant's allocations, volumes and the
 * community's indicators. engine/run/run.c calls these in order; each job
 * lives in its own file:
 *
 *   series.c      the participants' C and P series (borrowed or merged)
 *   calendar.c    the period's local months and the tariff's day period
 *   pools.c       the pools of the perimeter, each with its key configured
 *   share.c       the block loop that drives the keys: a and given
 *   volumes.c     per-interval accounting summed per month and period
 *   indicators.c  self-sufficiency, coincidence and the community's rates
 *   cabin.c       import at metered cabins against the members' meters
 *   operator.c    billing.source "operator": C, P, a and given from the
 *                 operator's quarter-hour series instead of a key
 *
 * Includes only base, public headers (scenario, readings, key, sharing)
 * and nothing of billing/ or run/: the bills are computed from what this
 * stage returns. The O/D/X split is cab_own_split() in cabine/sharing.h.
 */
#ifndef CABINE_ENGINE_SHARING_H
#define CABINE_ENGINE_SHARING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/key.h"
#include "cabine/readings.h"
#include "cabine/scenario.h"
#include "cabine/sharing.h"

/* Intervals per sharing block, at most: the rows of a pool's block
 * matrices (cab_share_block_len). */
#define CAB_SHARE_BLOCK 128
/* Bytes of a block's matrices a large pool's block length is chosen to
 * fit (the L3 cache; below 16,384 members the block is CAB_SHARE_BLOCK
 * intervals). */
#define CAB_SHARE_BLOCK_BYTES ((size_t)64 << 20)
/* The blocks whose order the indicators' sums Σ S and Σ a follow (those
 * of the loop before it ran in longer blocks, cab_share_sum_len): at
 * most CAB_SHARE_SUM_BLOCK intervals, shorter for large pools, so that
 * the sums keep their doubles. */
#define CAB_SHARE_SUM_BLOCK 64
#define CAB_SHARE_SUM_BYTES (1024u * 1024u)

/* --- series.c ------------------------------------------------------- */

/* One participant's interval series over the period, as loaded. */
struct cab_series {
	const double *consumption_kwh; /* C: borrowed, copy[0] or zeros;
					  NaN where the interval is missing */
	const double *production_kwh;  /* P: borrowed, copy[1] or zeros */
	double *copy[2];	       /* owned by the caller after the call:
					  merged copies of C and P, or NULL */
	bool is_net;		       /* net offtake/injection (O = 0) */
	size_t missing_intervals;      /* intervals with any meter missing */
	size_t filled_intervals;       /* intervals with a filled value */
	double max_kwh; /* the largest value of C and P (−inf if none):
			   the bills' bound needs no other look below it */
};

/* Point out->consumption_kwh and production_kwh of participant i at its
 * series: borrowed from the readings (which must outlive them), or copied
 * when filling applies or its two meters miss different intervals (an
 * interval is missing when any meter misses it); `zeros` (borrowed,
 * n_intervals zeros) stands for a meter it does not have. Fails with
 * CAB_EINPUT (a meter without data, message in err) or CAB_ENOMEM (no
 * message: the caller adds it); *out then owns nothing. */
enum cab_status cab_series_load(const struct cab_scenario *sc,
				const struct cab_readings *rd, size_t i,
				const double *zeros, struct cab_series *out,
				struct cab_err *err);

/* --- calendar.c ----------------------------------------------------- */

/* The period's calendar. Owns its three arrays until
 * cab_calendar_release(); a caller that keeps `months` sets it to NULL. */
struct cab_calendar {
	size_t n_intervals;	  /* quarter-hours in the period */
	size_t n_months;	  /* local calendar months it touches */
	struct cab_month *months; /* n_months months, in order */
	unsigned short *month_of; /* n_intervals: index in months */
	unsigned char *is_day;	  /* n_intervals: 1 in the day period */
};

/* Fill cal for n_intervals quarter-hours from UTC instant t0_s, with the
 * day period of tariff tf (weekdays, local hours [day_start_h,
 * day_end_h)). Fails with CAB_ENOMEM (no message); cal is then empty. */
enum cab_status cab_calendar_init(struct cab_calendar *cal, int64_t t0_s,
				  size_t n_intervals,
				  const struct cab_tariff *tf);
/* Free what cal owns; a zeroed cal is allowed. */
void cab_calendar_release(struct cab_calendar *cal);

/* --- the participants as the sharing sees them ---------------------- */

/* One participant's series for the block loop, the volumes and the
 * cabin flows; every pointer is borrowed (n_intervals values). */
struct cab_share_member {
	const double *consumption_kwh; /* C, NaN where missing */
	const double *production_kwh;  /* P */
	bool is_net;		       /* O = 0 */
	double *shared_kwh; /* a: written by cab_share_period(); NULL when
			       nobody shares (read as 0) */
	double *given_kwh;  /* given: written likewise; NULL when it gives
			       nothing (read as 0) */
	struct cab_volumes *month; /* its volumes per local month, added to
				      by cab_share_period_volumes(); NULL
				      elsewhere */
};

/* --- pools.c -------------------------------------------------------- */

/* One sharing pool: the community or one cabin, with its key. */
struct cab_pool {
	size_t n;	/* members */
	size_t *member; /* participant indices */
	double *weight; /* members' weights */
	double *value;	/* members' value of a kWh received (optimal) */
	int *group;	/* members' priority groups */
	char locality;	/* 'A'..'D': the least local type of its members */
	const struct cab_key_ops *ops; /* the key, from the registry */
	void *state;		       /* key state, owned */
	struct cab_key_params params;  /* what the key was configured with
					  (its arrays are the pool's) */
	bool is_fit;	    /* key "fit": fixed with weights fitted first */
	bool is_self_share; /* false: no member receives its own surplus */
	bool is_replay;	    /* the coupled optimum wrote a in the members'
			       shared_kwh already: the loop reads it */
	bool *has_demand;   /* members with demand in the period */
	double *demand;	    /* scratch: cab_share_block_len(n) rows of
			       members' D */
	double *alloc;	    /* scratch: as many rows of members' a */
	double *surplus;    /* scratch: as many rows of members' X,
			       NaN where a member's data is missing */
	double *given;	    /* scratch: as many rows of what each gave
			       (self_share false) */
	double *rest;	    /* scratch: n residual demands */
	double *part;	    /* scratch: n allocations of one producer's X */
	double supply[CAB_SHARE_BLOCK];	   /* scratch: S of each interval */
	double given_f[CAB_SHARE_BLOCK];   /* scratch: Σa / S of each one */
	double allocated[CAB_SHARE_BLOCK]; /* scratch: Σa of each one */
};

/* Build the pools of the perimeter of `sh` (one, or one per cabin) with
 * the key sh->key from the registry configured for each ("fit": the
 * fixed key, its weights set later by cab_share_fit). The members'
 * weights and priority groups come from variant `variant` of sc (-1: the
 * base scenario's participants), or from block 0 of sh's weight blocks;
 * without weights each member with demand in the period gets 1/N, N the
 * members of its pool with demand (m[]: the participants' series over
 * n_intervals; NULL: every member counts). *pools (n_pools entries) is
 * freed with cab_pools_free(). Fails with CAB_EINPUT (unknown key, a
 * participant without cabin under perimeter "cabin", a key's own check)
 * or CAB_ENOMEM, with the message in err. */
enum cab_status cab_pools_new(const struct cab_scenario *sc, long variant,
			      const struct cab_sharing *sh,
			      const struct cab_share_member *m,
			      size_t n_intervals, struct cab_pool **pools,
			      size_t *n_pools, struct cab_err *err);
/* A copy of pools (n_pools entries) for a second thread of the block
 * loop: the same members, weights, values, groups and flags, its own
 * scratch, its key configured again from the copy's arrays. *out is
 * freed with cab_pools_free(). Fails with CAB_ENOMEM or a key's
 * CAB_EINPUT, without a message (the caller runs on one thread). */
enum cab_status cab_pools_copy(const struct cab_pool *pools, size_t n_pools,
			       struct cab_pool **out);
/* Free pools and their keys' states; NULL allowed. */
void cab_pools_free(struct cab_pool *pools, size_t n_pools);
/* The pool participant i belongs to. */
const struct cab_pool *cab_pools_of(const struct cab_pool *pools,
				    size_t n_pools,
				    const struct cab_scenario *sc, size_t i);
/* Give every pool's members the weights w[participant] and configure its
 * key again. Fails with CAB_ENOMEM or a key's CAB_EINPUT (message in
 * err); the pools are then unusable (free them). */
enum cab_status cab_pools_set_weights(struct cab_pool *pools, size_t n_pools,
				      const double *w, struct cab_err *err);

/* --- share.c -------------------------------------------------------- */

/* One block of pool p: intervals [t0, t0 + tb) (tb at most the pool's
 * cab_share_block_len) gathered, allocated by the key and scattered into
 * the members' shared_kwh and given_kwh (m[] indexed by participant),
 * with, when cal is not NULL, their volumes added to m[].month. Leaves
 * S and Σa of each interval in p->supply and p->allocated. Cannot
 * fail. */
void cab_share_block(struct cab_pool *p, const struct cab_share_member *m,
		     const struct cab_calendar *cal, size_t t0, size_t tb);

/* Intervals per block for pools of at most n members (8..CAB_SHARE_BLOCK,
 * a multiple of 8): the block's four matrices within
 * CAB_SHARE_BLOCK_BYTES. */
size_t cab_share_block_len(size_t n);
/* Intervals per block of the order in which the indicators' sums are
 * made (8..CAB_SHARE_SUM_BLOCK, a multiple of 8: 40 B per
 * member-interval within CAB_SHARE_SUM_BYTES). */
size_t cab_share_sum_len(size_t n);

/* --- period.c ------------------------------------------------------- */

/* Run every pool's key over the n_intervals of the period: writes each
 * member's shared_kwh (and given_kwh, where not NULL) in m[] (indexed by
 * participant, every shared_kwh non-NULL), NaN where its data is missing,
 * and adds Σ S and Σ a to ind. With weight blocks in sh, each block's
 * weights from its first interval (the pools are configured again).
 * Fails with CAB_ENOMEM or a key's CAB_EINPUT (message in err). */
enum cab_status cab_share_period(struct cab_pool *pools, size_t n_pools,
				 const struct cab_sharing *sh,
				 const struct cab_scenario *sc,
				 const struct cab_share_member *m,
				 size_t n_intervals, struct cab_indicators *ind,
				 struct cab_err *err);

/* The same, adding each member's volumes of the valid intervals to its
 * m[].month (one per cal->months; every m[].month non-NULL) in the pass
 * that writes a and given: the same sums, in the same order, as
 * cab_volumes_of() reading the series afterwards, without that second
 * pass over them. cal NULL: as cab_share_period(). */
enum cab_status cab_share_period_volumes(
    struct cab_pool *pools, size_t n_pools, const struct cab_sharing *sh,
    const struct cab_scenario *sc, const struct cab_share_member *m,
    const struct cab_calendar *cal, size_t n_intervals,
    struct cab_indicators *ind, struct cab_err *err);

/* Whether the passes over n participants' series of n_intervals run on
 * two threads (cab_share_threads allows it and the work is worth a
 * thread: at least 2^20 participant-intervals). */
bool cab_share_is_threaded(size_t n, size_t n_intervals);

/* The sharing of a run (run.c calls it once): the pools of sh, then
 * "fit" weights fitted (cab_share_fit: *fit filled), or the coupled
 * optimum solved (sh->has_constraints with key "optimal": *lp filled),
 * then the block loop, which adds every member's volumes to its
 * m[].month. cal: the period's calendar (months, day/night values).
 * *pools is the caller's to free with cab_pools_free(), also on
 * failure. Fails like the steps. */
enum cab_status cab_share_run(const struct cab_scenario *sc, long variant,
			      const struct cab_sharing *sh,
			      const struct cab_share_member *m,
			      const struct cab_calendar *cal,
			      struct cab_pool **pools, size_t *n_pools,
			      struct cab_indicators *ind,
			      struct cab_fit_report *fit, double *fit_weight,
			      struct cab_lp_report *lp, struct cab_err *err);

/* --- fit.c ---------------------------------------------------------- */

/* Fit each pool's fixed weights to the period (SPEC §12, keys/fit.c):
 * the pools' keys are configured again with them, fit_weight[i] (per
 * participant, NaN for a member without demand) and *rep are filled.
 * sh's fit bounds apply; `where` is sh's JSON path in messages
 * ("$.sharing", "$.compare[1].sharing"). Fails with CAB_EINPUT (bounds that
 * admit no Σ w = 1, a sharing price above the grid's: message names the
 * scenario) or CAB_ENOMEM. */
enum cab_status cab_share_fit(const struct cab_scenario *sc, const char *where,
			      const struct cab_sharing *sh,
			      struct cab_pool *pools, size_t n_pools,
			      const struct cab_share_member *m,
			      const struct cab_calendar *cal,
			      double *fit_weight, struct cab_fit_report *rep,
			      struct cab_err *err);

/* --- coupled.c ------------------------------------------------------ */

/* The optimal key under sh's constraints over the whole period (SPEC
 * §12, keys/optimal_coupled.c): writes every member's shared_kwh and
 * marks the pools for the block loop to replay them; *lp filled. Fails
 * with CAB_EINPUT (constraints that cannot be met: the message names the
 * one that binds and its largest feasible value, at `where`),
 * CAB_ENOMEM or CAB_EINTERNAL. */
enum cab_status
cab_share_coupled(const struct cab_scenario *sc, const char *where,
		  const struct cab_sharing *sh, struct cab_pool *pools,
		  size_t n_pools, const struct cab_share_member *m,
		  const struct cab_calendar *cal, struct cab_lp_report *lp,
		  struct cab_err *err);

/* D_i and X_i of member r in interval t (0 and 0 when its data is
 * missing): the block loop's view, for the solvers that need the whole
 * period. */
static inline void cab_share_dx(const struct cab_share_member *r, size_t t,
				double *d_kwh, double *x_kwh)
{
	double c = r->consumption_kwh[t], o;
	if (c != c) { /* NaN: missing */
		*d_kwh = *x_kwh = 0;
		return;
	}
	cab_own_split(c, r->production_kwh[t], r->is_net, &o, d_kwh, x_kwh);
}

/* --- volumes.c ------------------------------------------------------ */

/* Add the volumes of one participant's valid intervals to month[] (one
 * per cal->months, zeroed by the caller) and then the months to *total.
 * Cannot fail. */
void cab_volumes_of(const struct cab_share_member *m,
		    const struct cab_calendar *cal, struct cab_volumes *month,
		    struct cab_volumes *total);
/* Add every field of v to sum. */
void cab_volumes_add(struct cab_volumes *sum, const struct cab_volumes *v);
/* Add the months month[0..cal->n_months) to *total, in order (the end of
 * cab_volumes_of(), for months the block loop filled). */
void cab_volumes_total(const struct cab_calendar *cal,
		       const struct cab_volumes *month,
		       struct cab_volumes *total);

/* One valid participant-interval added to v: C, P, their split O, D, X
 * (cab_own_split), the allocation a and what it gave. The one formula of
 * the volumes, in two halves: what C and P give (the block loop adds it
 * as it reads the series) and what needs a and given (added as it writes
 * them). cab_volumes_of() and the block loop call both, so each field
 * gets the same doubles in the same order (t ascending). */
static inline void cab_volumes_add_own(struct cab_volumes *v, double c,
				       double p, double o, double d, double x,
				       bool is_day)
{
	v->consumption_kwh += c;
	v->production_kwh += p;
	v->self_consumed_kwh += o;
	v->demand_kwh += d;
	if (is_day)
		v->demand_day_kwh += d;
	v->surplus_kwh += x;
}

static inline void cab_volumes_add_shared(struct cab_volumes *v, double d,
					  double x, double a, double given,
					  bool is_day)
{
	double g = d - a;
	if (g < 0)
		g = 0;
	double inj = x - given;
	if (inj < 0)
		inj = 0;
	v->shared_kwh += a;
	v->given_kwh += given;
	v->complementary_kwh += g;
	if (is_day) {
		v->shared_day_kwh += a;
		v->given_day_kwh += given;
		v->complementary_day_kwh += g;
	}
	v->injected_kwh += inj;
}

static inline void cab_volumes_add_interval(struct cab_volumes *v, double c,
					    double p, double o, double d,
					    double x, double a, double given,
					    bool is_day)
{
	cab_volumes_add_own(v, c, p, o, d, x, is_day);
	cab_volumes_add_shared(v, d, x, a, given, is_day);
}

/* --- indicators.c --------------------------------------------------- */

/* Self-sufficiency (O + a) / C (SPEC §6), NaN when c_kwh is 0. */
double cab_self_sufficiency(double o_kwh, double a_kwh, double c_kwh);

/* The community's indicators: from its n members' series (coincidence
 * factor), the Σ of their period volumes `community`, and the Σ S and Σ a
 * that cab_share_period() left in ind (is_sharing; without sharing every
 * surplus counts as injection S). Fails with CAB_ENOMEM (no message). */
enum cab_status
cab_indicators_compute(size_t n, const struct cab_share_member *m,
		       size_t n_intervals, const struct cab_volumes *community,
		       bool is_sharing, struct cab_indicators *ind);

/* --- cabin.c -------------------------------------------------------- */

/* The import at every metered cabin against its members' meters:
 * *flows (*n_flows entries, owned by the caller, NULL when none) and
 * *residual_kwh (Σ residual, NaN when no cabin has a flow). m[]: the
 * participants' series. is_meter_required: a cabin meter without data is
 * an error (the pot bills it) rather than left out. Fails with
 * CAB_EINPUT (message in err) or CAB_ENOMEM (no message); *flows is then
 * NULL. */
enum cab_status cab_cabin_flows_new(const struct cab_scenario *sc,
				    const struct cab_readings *rd,
				    const struct cab_share_member *m,
				    bool is_meter_required,
				    struct cab_cabin_flow **flows,
				    size_t *n_flows, double *residual_kwh,
				    struct cab_err *err);

/* --- operator.c (billing.source "operator", SPEC §13) --------------- */

/* Participant i's series from the operator's quarter-hour data in the
 * readings (series "EAN.shared_offtake", … loaded by the source): net
 * offtake C = shared + grid offtake, net injection P = shared + grid
 * injection (O = 0), copied into out->copy[]; an interval where one of
 * the four has no value is missing. Fails with CAB_EINPUT when the
 * participant has no operator data in the period, or CAB_ENOMEM. */
enum cab_status cab_series_load_operator(const struct cab_scenario *sc,
					 const struct cab_readings *rd,
					 size_t i, struct cab_series *out,
					 struct cab_err *err);

/* What the operator allocated instead of a key: each member's a = its
 * shared offtake and given = its shared injection (NaN where missing);
 * adds Σ S (every injection) and Σ a to ind. Fails with CAB_EINPUT when,
 * in an interval, the shared offtake exceeds the community's injection
 * by more than the file's rounding (0.001 kWh a member). */
enum cab_status
cab_share_operator(const struct cab_scenario *sc, const struct cab_readings *rd,
		   const struct cab_share_member *m, size_t n_intervals,
		   struct cab_indicators *ind, struct cab_err *err);

#endif
