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
 * in blocks of up to CAB_SHARE_BLOCK intervals: members' demands are
 * gathered (each a short sequential read) into a block matrix with one
 * row per interval, the key runs on contiguous rows, and allocations are
 * scattered back. A block's length comes from the pool's size
 * (cab_share_block_len): 64 intervals of 3,000 members are 1.5 MB a
 * matrix, beyond the L2 cache, so a large pool's blocks are shorter.
 *
 * The block loop is also the volumes pass (issue 18): the gather adds
 * what C and P give (C, P, O, D, X) to each member's monthly volumes as
 * it reads them, the scatter what needs a and given as it writes them
 * (from D and X kept in the block's matrices: the series are read once).
 * Each field gets the doubles of cab_volumes_of() in its order (t
 * ascending for each member; a month's sums stay in registers over a run
 * of its intervals), so the sums are bit for bit those of a second pass
 * over the series, which no longer runs. The outputs are written with
 * streaming stores: written once, never read by the loop.
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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/sharing/sharing.h"

size_t cab_share_block_len(size_t n)
{
	/* Per member-interval: its D, X and a in the block's matrices, and
	 * the lines of C and P the gather reads. */
	size_t per = 5 * sizeof(double);
	size_t tb = n ? CAB_SHARE_BLOCK_BYTES / (per * n) : CAB_SHARE_BLOCK;
	if (tb >= CAB_SHARE_BLOCK)
		return CAB_SHARE_BLOCK;
	return tb < 8 ? 8 : tb / 8 * 8;
}

/* Members ahead of the one gathered whose block of the
 * series is fetched into the cache meanwhile: a thousand short reads, one
 * per member, are too many streams for the hardware prefetcher, and each
 * would wait for memory. */
#define CAB_SHARE_AHEAD 4

/* Ask for member r's C and P of intervals [t0, t0 + tb). */
static inline void prefetch_block(const struct cab_share_member *r, size_t t0,
				  size_t tb)
{
	const char *c = (const char *)(r->consumption_kwh + t0);
	const char *pr = (const char *)(r->production_kwh + t0);
	size_t bytes = tb * sizeof(double);
	for (size_t k = 0; k < bytes; k += 64) {
		__builtin_prefetch(c + k, 0, 3);
		__builtin_prefetch(pr + k, 0, 3);
	}
}

/* Gather the members' demands and surpluses (NaN where the member's data
 * is missing: it takes no part, D = 0) and the pool's supply of the
 * block; a replayed pool (the coupled optimum) gathers its a too. With
 * cal, the volumes that need no allocation (C, P, O, D, X) are added to
 * each member's month as its series are read; the scatter adds the rest. */
static void gather(struct cab_pool *p, const struct cab_share_member *m,
		   const struct cab_calendar *cal, size_t t0, size_t tb)
{
	size_t n = p->n;
	double *sup = p->supply;
	for (size_t u = 0; u < tb; u++)
		sup[u] = 0;
	const unsigned short *month_of = cal ? cal->month_of + t0 : NULL;
	const unsigned char *is_day = cal ? cal->is_day + t0 : NULL;
	for (size_t j = 0; j < n; j++) {
		const struct cab_share_member *r = &m[p->member[j]];
		const double *c = r->consumption_kwh + t0;
		const double *pr = r->production_kwh + t0;
		double *d = p->demand + j, *xs = p->surplus + j;
		double *a = p->alloc + j;
		bool is_net = r->is_net;
		if (j + CAB_SHARE_AHEAD < n)
			prefetch_block(&m[p->member[j + CAB_SHARE_AHEAD]], t0,
				       tb);
		if (p->is_replay)
			for (size_t u = 0; u < tb; u++)
				a[u * n] =
				    isnan(c[u]) ? 0 : r->shared_kwh[t0 + u];
		if (!cal) {
			for (size_t u = 0; u < tb; u++, d += n, xs += n) {
				double cu = c[u], o, x;
				if (isnan(cu)) {
					*d = 0;
					*xs = NAN;
					continue;
				}
				cab_own_split(cu, pr[u], is_net, &o, d, &x);
				*xs = x;
				sup[u] += x;
			}
			continue;
		}
		size_t mo = month_of[0];
		struct cab_volumes v = r->month[mo];
		for (size_t u = 0; u < tb; u++, d += n, xs += n) {
			if (month_of[u] != mo) {
				r->month[mo] = v;
				mo = month_of[u];
				v = r->month[mo];
			}
			double cu = c[u], pu = pr[u], o, du, x;
			if (isnan(cu)) {
				*d = 0;
				*xs = NAN;
				continue;
			}
			cab_own_split(cu, pu, is_net, &o, &du, &x);
			*d = du;
			*xs = x;
			sup[u] += x;
			cab_volumes_add_own(&v, cu, pu, o, du, x, is_day[u]);
		}
		r->month[mo] = v;
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

/* Write v at *out without reading its cache line first: the outputs are
 * written once, a thousand short runs a block, and each read-for-ownership
 * of a line would wait for memory (streaming stores fill whole lines in
 * write-combining buffers). */
static inline void put(double *out, double v)
{
#if defined(__SSE2__) && defined(__x86_64__)
	long long bits;
	memcpy(&bits, &v, sizeof bits);
	_mm_stream_si64((long long *)out, bits);
#else
	*out = v;
#endif
}

/* Make the streaming stores visible before anything else reads them. */
static inline void put_fence(void)
{
#if defined(__SSE2__) && defined(__x86_64__)
	_mm_sfence();
#endif
}

/* Member r's given in interval u of the block, X its surplus there and
 * g what its own split handed out (self_share false). */
static inline double given_of(const struct cab_pool *p, size_t u, double x,
			      const double *g)
{
	if (p->is_self_share || p->is_replay)
		return x * p->given_f[u];
	return p->supply[u] > 0 ? *g : 0;
}

/* Scatter a and given back into member j's series (r) and, with cal,
 * add the volumes that need them to its months. D and X come from the
 * block's matrices (X NaN: the member's data is missing), so the member's
 * series are not read again. */
static void scatter_member(const struct cab_pool *p, size_t j,
			   const struct cab_share_member *r,
			   const struct cab_calendar *cal, size_t t0, size_t tb)
{
	size_t n = p->n;
	double *sh = r->shared_kwh + t0;
	double *gv = r->given_kwh ? r->given_kwh + t0 : NULL;
	const double *a = p->alloc + j, *d = p->demand + j;
	const double *xs = p->surplus + j, *g = p->given + j;
	if (!cal) {
		for (size_t u = 0; u < tb; u++, a += n, xs += n, g += n) {
			if (isnan(*xs)) {
				put(&sh[u], NAN);
				if (gv)
					put(&gv[u], NAN);
				continue;
			}
			put(&sh[u], *a);
			if (gv)
				put(&gv[u], given_of(p, u, *xs, g));
		}
		return;
	}
	const unsigned short *month_of = cal->month_of + t0;
	const unsigned char *is_day = cal->is_day + t0;
	size_t mo = month_of[0];
	struct cab_volumes v = r->month[mo];
	for (size_t u = 0; u < tb; u++, a += n, d += n, xs += n, g += n) {
		if (month_of[u] != mo) {
			r->month[mo] = v;
			mo = month_of[u];
			v = r->month[mo];
		}
		double x = *xs;
		if (isnan(x)) {
			put(&sh[u], NAN);
			if (gv)
				put(&gv[u], NAN);
			continue;
		}
		double au = *a, given = 0;
		put(&sh[u], au);
		if (gv) {
			given = given_of(p, u, x, g);
			put(&gv[u], given);
		}
		cab_volumes_add_shared(&v, *d, x, au, given, is_day[u]);
	}
	r->month[mo] = v;
}

/* Scatter the block of pool p back into its members' series. */
static void scatter(const struct cab_pool *p, const struct cab_share_member *m,
		    const struct cab_calendar *cal, size_t t0, size_t tb)
{
	for (size_t j = 0; j < p->n; j++)
		scatter_member(p, j, &m[p->member[j]], cal, t0, tb);
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
	return cab_share_period_volumes(pools, n_pools, sh, sc, m, NULL,
					n_intervals, ind, err);
}

enum cab_status cab_share_period_volumes(
    struct cab_pool *pools, size_t n_pools, const struct cab_sharing *sh,
    const struct cab_scenario *sc, const struct cab_share_member *m,
    const struct cab_calendar *cal, size_t n_intervals,
    struct cab_indicators *ind, struct cab_err *err)
{
	size_t block = 0, n_max = 0;
	for (size_t k = 0; k < n_pools; k++)
		if (pools[k].n > n_max)
			n_max = pools[k].n;
	size_t len = cab_share_block_len(n_max);
	/* Fitted weights hold for the whole period. */
	bool has_blocks = sh && sh->n_weight_blocks > 1 && !pools[0].is_fit;
	for (size_t t0 = 0; t0 < n_intervals;) {
		size_t tb = n_intervals - t0 < len ? n_intervals - t0 : len;
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
			gather(p, m, cal, t0, tb);
			allocate(p, tb, ind);
			scatter(p, m, cal, t0, tb);
		}
		t0 += tb;
	}
	put_fence();
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
		st = cab_share_period_volumes(*pools, *n_pools, sh, sc, m, cal,
					      nt, ind, err);
	return st;
}
