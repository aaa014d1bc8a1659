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
 */
#include <math.h>
#include <string.h>

#include "engine/sharing/sharing.h"

/* Gather the members' demands and the pool's supply of the block. */
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
		double *d = p->demand + j;
		for (size_t u = 0; u < tb; u++, d += n) {
			if (isnan(c[u])) {
				*d = 0;
				continue;
			}
			double o, x;
			cab_own_split(c[u], pr[u], r->is_net, &o, d, &x);
			p->supply[u] += x;
		}
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
		const double *pr = r->production_kwh + t0;
		double *sh = r->shared_kwh + t0;
		double *gv = r->given_kwh ? r->given_kwh + t0 : NULL;
		const double *a = p->alloc + j;
		for (size_t u = 0; u < tb; u++, a += n) {
			if (isnan(c[u])) {
				sh[u] = NAN;
				if (gv)
					gv[u] = NAN;
				continue;
			}
			sh[u] = *a;
			if (gv) {
				double o, d, x;
				cab_own_split(c[u], pr[u], r->is_net, &o, &d,
					      &x);
				gv[u] = x * p->given_f[u];
			}
		}
	}
}

void cab_share_period(struct cab_pool *pools, size_t n_pools,
		      const struct cab_share_member *m, size_t n_intervals,
		      struct cab_indicators *ind)
{
	for (size_t t0 = 0; t0 < n_intervals; t0 += CAB_SHARE_BLOCK) {
		size_t tb = n_intervals - t0 < CAB_SHARE_BLOCK
				? n_intervals - t0
				: CAB_SHARE_BLOCK;
		for (size_t k = 0; k < n_pools; k++) {
			struct cab_pool *p = &pools[k];
			gather(p, m, t0, tb);
			allocate(p, tb, ind);
			scatter(p, m, t0, tb);
		}
	}
}
