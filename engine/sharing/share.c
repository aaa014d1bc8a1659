/*
 * share.c — the block loop that drives the keys (SPEC §1, §2): per
 * interval and pool, each member's demand D and the pool's shared
 * injection S = Σ X go to the pool's key, which returns the allocations
 * a; each producer gives X · Σa / S of its surplus.
 *
 * Workload: up to ~1,000 participants × 35,040 quarter-hours. Series are
 * contiguous arrays per participant. A key needs every member of a pool
 * in one interval, but walking a thousand arrays interval by interval
 * touches a thousand pages per step and thrashes the TLB. So sharing runs
 * in blocks of CAB_SHARE_BLOCK intervals: members' demands are gathered
 * (each a short sequential read) into a block matrix with one row per
 * interval, the key runs on contiguous rows, and allocations are
 * scattered back.
 *
 * Missing data: a member whose meter has no valid value in an interval
 * takes no part in it (demand and surplus 0); its a and given are NaN.
 *
 * "self_share": false (SPEC §12, the Flemish rule): a member never
 * receives its own surplus of the same interval. Each producer's X in
 * turn (members in pool order) is split by the key over the others,
 * with its own demand left out and, for keys with weights, its weight
 * shared among the others (allocate_without); the demands left are what
 * the next producer's split sees, and each producer gives exactly what
 * its split handed out. For one fixed round this equals
 * a_j = min(D_j, Σ_{p≠j} w_j'·X_p), whatever the order.
 *
 * Weights that change (sh->block_first): the loop's blocks stop at each
 * weight block's first interval, where the pools' keys are configured
 * again with that block's weights.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/sharing/sharing.h"

/* Gather the members' demands, surpluses and the pool's supply of the
 * block; a replayed pool (the coupled optimum) gathers its a too. */
static void gather(struct cab_pool *p, const struct cab_share_member *m,
		   size_t t0, size_t tb)
{
	size_t n = p->n;
	for (size_t u = 0; u < tb; u++)
		p->supply[u] = 0;
	for (size_t j = 0; j < n; j++) {
		const struct cab_share_member *r = &m[p->member[j]];
		const double *c = r->consumption_kwh + t0;
		const double *pr = r->production_kwh + t0;
		double *d = p->demand + j, *xs = p->surplus + j;
		double *a = p->alloc + j;
		for (size_t u = 0; u < tb; u++, d += n, xs += n, a += n) {
			if (isnan(c[u])) {
				*d = *xs = *a = 0;
				continue;
			}
			double o, x;
			cab_own_split(c[u], pr[u], r->is_net, &o, d, &x);
			*xs = x;
			p->supply[u] += x;
			if (p->is_replay)
				*a = r->shared_kwh[t0 + u];
		}
	}
}

/* One interval under the Flemish rule (see the header): a[] and what
 * each member gave, g[]. */
static void allocate_without_self(struct cab_pool *p, const double *d,
				  const double *x, double *a, double *g)
{
	size_t n = p->n;
	memcpy(p->rest, d, n * sizeof(double));
	memset(a, 0, n * sizeof(double));
	for (size_t j = 0; j < n; j++) {
		g[j] = 0;
		if (!(x[j] > 0))
			continue;
		if (p->ops->allocate_without) {
			p->ops->allocate_without(p->state, p->rest, x[j], j,
						 p->part);
		} else {
			double own = p->rest[j];
			p->rest[j] = 0;
			p->ops->allocate(p->state, p->rest, x[j], p->part);
			p->rest[j] = own;
		}
		p->part[j] = 0;
		double gave = 0;
		for (size_t k = 0; k < n; k++) {
			double q = p->part[k];
			q = q > p->rest[k] ? p->rest[k] : q < 0 ? 0 : q;
			a[k] += q;
			p->rest[k] -= q;
			gave += q;
		}
		g[j] = gave > x[j] ? x[j] : gave;
	}
}

/* Run the key on each interval of the block; keep Σa / S per interval. */
static void allocate(struct cab_pool *p, size_t tb, struct cab_indicators *ind)
{
	size_t n = p->n;
	for (size_t u = 0; u < tb; u++) {
		double s = p->supply[u];
		double *a = p->alloc + u * n;
		const double *d = p->demand + u * n;
		p->given_f[u] = 0;
		if (s <= 0) {
			memset(a, 0, n * sizeof(double));
			continue;
		}
		if (p->is_replay)
			; /* a was gathered from the coupled optimum */
		else if (!p->is_self_share)
			allocate_without_self(p, d, p->surplus + u * n, a,
					      p->given + u * n);
		else
			p->ops->allocate(p->state, d, s, a);
		double sum_a = 0;
		for (size_t j = 0; j < n; j++) {
			/* Clamp float noise; a key never exceeds D. */
			if (a[j] > d[j])
				a[j] = d[j];
			if (a[j] < 0)
				a[j] = 0;
			sum_a += a[j];
		}
		if (sum_a > s)
			sum_a = s;
		p->given_f[u] = sum_a / s;
		ind->shared_injection_kwh += s;
		ind->allocated_kwh += sum_a;
	}
}

/* Scatter a and given back into the members' series. */
static void scatter(const struct cab_pool *p, const struct cab_share_member *m,
		    size_t t0, size_t tb)
{
	size_t n = p->n;
	for (size_t j = 0; j < n; j++) {
		const struct cab_share_member *r = &m[p->member[j]];
		const double *c = r->consumption_kwh + t0;
		double *sh = r->shared_kwh + t0;
		double *gv = r->given_kwh ? r->given_kwh + t0 : NULL;
		const double *a = p->alloc + j;
		const double *xs = p->surplus + j;
		const double *g = p->given + j;
		for (size_t u = 0; u < tb; u++, a += n, xs += n, g += n) {
			if (isnan(c[u])) {
				sh[u] = NAN;
				if (gv)
					gv[u] = NAN;
				continue;
			}
			sh[u] = *a;
			if (!gv)
				continue;
			if (p->is_self_share || p->is_replay)
				gv[u] = *xs * p->given_f[u];
			else
				gv[u] = p->supply[u] > 0 ? *g : 0;
		}
	}
}

/* The weight block in force at interval t: its index in sh. */
static size_t block_at(const struct cab_sharing *sh, size_t t)
{
	size_t b = 0;
	while (b + 1 < sh->n_weight_blocks && sh->block_first[b + 1] <= t)
		b++;
	return b;
}

enum cab_status cab_share_period(struct cab_pool *pools, size_t n_pools,
				 const struct cab_sharing *sh,
				 const struct cab_scenario *sc,
				 const struct cab_share_member *m,
				 size_t n_intervals, struct cab_indicators *ind,
				 struct cab_err *err)
{
	size_t block = 0;
	/* Fitted weights hold for the whole period. */
	bool has_blocks = sh && sh->n_weight_blocks > 1 && !pools[0].is_fit;
	for (size_t t0 = 0; t0 < n_intervals;) {
		size_t tb = n_intervals - t0 < CAB_SHARE_BLOCK
				? n_intervals - t0
				: CAB_SHARE_BLOCK;
		if (has_blocks) {
			size_t b = block_at(sh, t0);
			if (b != block) {
				enum cab_status st = cab_pools_set_weights(
				    pools, n_pools,
				    sh->block_weight + b * sc->n_participants,
				    err);
				if (st != CAB_OK)
					return st;
				block = b;
			}
			if (b + 1 < sh->n_weight_blocks &&
			    sh->block_first[b + 1] < t0 + tb)
				tb = sh->block_first[b + 1] - t0;
		}
		for (size_t k = 0; k < n_pools; k++) {
			struct cab_pool *p = &pools[k];
			gather(p, m, t0, tb);
			allocate(p, tb, ind);
			scatter(p, m, t0, tb);
		}
		t0 += tb;
	}
	return CAB_OK;
}

enum cab_status cab_share_run(const struct cab_scenario *sc, long variant,
			      const struct cab_sharing *sh,
			      const struct cab_share_member *m,
			      const struct cab_calendar *cal,
			      struct cab_pool **pools, size_t *n_pools,
			      struct cab_indicators *ind,
			      struct cab_fit_report *fit, double *fit_weight,
			      struct cab_lp_report *lp, struct cab_err *err)
{
	size_t nt = cal->n_intervals;
	enum cab_status st =
	    cab_pools_new(sc, variant, sh, m, nt, pools, n_pools, err);
	char where[64] = "$.sharing";
	if (variant >= 0)
		snprintf(where, sizeof where, "$.compare[%ld].sharing",
			 variant);
	if (st == CAB_OK && (*pools)[0].is_fit)
		st = cab_share_fit(sc, where, sh, *pools, *n_pools, m, cal,
				   fit_weight, fit, err);
	if (st == CAB_OK && sh->has_constraints &&
	    strcmp(sh->key, "optimal") == 0)
		st = cab_share_coupled(sc, where, sh, *pools, *n_pools, m, cal,
				       lp, err);
	if (st == CAB_OK)
		st =
		    cab_share_period(*pools, *n_pools, sh, sc, m, nt, ind, err);
	return st;
}
