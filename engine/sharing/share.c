/*
 * share.c — one block of the loop that drives the keys (SPEC §1, §2):
 * per interval of the block and for one pool, each member's demand D and
 * the pool's shared injection S = Σ X go to the pool's key, which returns
 * the allocations a; each producer gives X · Σa / S of its surplus. The
 * period's blocks, their threads and the order of the indicators' sums
 * are engine/sharing/period.c's.
 *
 * Workload: up to a few thousand participants × 35,040 quarter-hours.
 * Series are contiguous arrays per participant. A key needs every member
 * of a pool in one interval, but walking a thousand arrays interval by
 * interval touches a thousand pages per step and thrashes the TLB. So a
 * block of up to CAB_SHARE_BLOCK intervals is gathered: members'
 * demands and surpluses (each a short sequential read, fetched ahead)
 * into block matrices with one row per interval, the key runs on
 * contiguous rows, and allocations are scattered back. The gather and
 * the scatter handle two members at once in SSE2 lanes.
 *
 * The block is also the volumes pass (issue 18): the gather adds what C
 * and P give (C, P, O, D, X) to each member's monthly volumes as it reads
 * them, the scatter what needs a and given as it writes them (from D and
 * X kept in the block's matrices: the series are read once). Each field
 * gets the doubles of cab_volumes_of() in its order (t ascending for each
 * member; a month's sums stay in registers over a run of its intervals),
 * so the sums are bit for bit those of a second pass over the series,
 * which no longer runs. The outputs are written with streaming stores:
 * written once, never read by the loop.
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
 */
#include <math.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/sharing/sharing.h"

size_t cab_share_block_len(size_t n)
{
	/* Per member-interval: its D, X, a and given in the matrices. */
	size_t per = 4 * sizeof(double);
	size_t tb = n ? CAB_SHARE_BLOCK_BYTES / (per * n) : CAB_SHARE_BLOCK;
	if (tb >= CAB_SHARE_BLOCK)
		return CAB_SHARE_BLOCK;
	return tb < 8 ? 8 : tb / 8 * 8;
}

size_t cab_share_sum_len(size_t n)
{
	/* The rule of the loop's blocks when the sums were made in them:
	 * per member-interval D, X and a and the lines of C and P read. */
	size_t per = 5 * sizeof(double);
	size_t tb = n ? CAB_SHARE_SUM_BYTES / (per * n) : CAB_SHARE_SUM_BLOCK;
	if (tb >= CAB_SHARE_SUM_BLOCK)
		return CAB_SHARE_SUM_BLOCK;
	return tb < 8 ? 8 : tb / 8 * 8;
}

/* Members ahead of the ones gathered whose block of the series is
 * fetched into the cache meanwhile: a thousand short reads, one per
 * member, are too many streams for the hardware prefetcher, and each
 * would wait for memory. */
#define CAB_SHARE_AHEAD 8

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

#if defined(__SSE2__)
/* Members side by side in SSE2 lanes: the gather and the scatter handle
 * two members at once, one per lane (half the instructions a
 * member-interval takes one at a time). A lane's sums are its member's, in the
 * same order (t ascending), so the doubles are those of one member at a
 * time; a lane with nothing to add (missing data) adds +0.0, which
 * changes no sum: a sum that starts at +0.0 is never -0.0. Elsewhere
 * every member goes through gather_one and scatter_member. */
#define CAB_LANES 2

/* a where m is set, b elsewhere. */
static inline __m128d pick(__m128d m, __m128d a, __m128d b)
{
	return _mm_or_pd(_mm_and_pd(m, a), _mm_andnot_pd(m, b));
}

/* All bits set in lane 0 where a is true, in lane 1 where b is. */
static inline __m128d mask_of(bool a, bool b)
{
	return _mm_castsi128_pd(_mm_set_epi64x(b ? -1 : 0, a ? -1 : 0));
}

/* Lane 0 of v at *lo, lane 1 at *hi. */
static inline void store_lanes(double *lo, double *hi, __m128d v)
{
	_mm_storel_pd(lo, v);
	_mm_storeh_pd(hi, v);
}

/* The volumes of two members' month that the gather adds (C, P, O, D,
 * D by day, X), one member a lane. */
struct own_lanes {
	__m128d c, p, o, d, d_day, x;
};

static inline void own_load(struct own_lanes *v,
			    struct cab_volumes *const *month, size_t mo)
{
	const struct cab_volumes *a = &month[0][mo], *b = &month[1][mo];
	v->c = _mm_set_pd(b->consumption_kwh, a->consumption_kwh);
	v->p = _mm_set_pd(b->production_kwh, a->production_kwh);
	v->o = _mm_set_pd(b->self_consumed_kwh, a->self_consumed_kwh);
	v->d = _mm_set_pd(b->demand_kwh, a->demand_kwh);
	v->d_day = _mm_set_pd(b->demand_day_kwh, a->demand_day_kwh);
	v->x = _mm_set_pd(b->surplus_kwh, a->surplus_kwh);
}

static inline void own_store(const struct own_lanes *v,
			     struct cab_volumes *const *month, size_t mo)
{
	struct cab_volumes *a = &month[0][mo], *b = &month[1][mo];
	store_lanes(&a->consumption_kwh, &b->consumption_kwh, v->c);
	store_lanes(&a->production_kwh, &b->production_kwh, v->p);
	store_lanes(&a->self_consumed_kwh, &b->self_consumed_kwh, v->o);
	store_lanes(&a->demand_kwh, &b->demand_kwh, v->d);
	store_lanes(&a->demand_day_kwh, &b->demand_day_kwh, v->d_day);
	store_lanes(&a->surplus_kwh, &b->surplus_kwh, v->x);
}

/* Gather members j and j + 1 of the block (see gather_one):
 * cab_own_split and cab_volumes_add_own on lanes (MINPD is c < p ? c :
 * p, as cab_own_split). */
static void gather_lanes(struct cab_pool *p, const struct cab_share_member *m,
			 const struct cab_calendar *cal, size_t j, size_t t0,
			 size_t tb)
{
	size_t n = p->n;
	const struct cab_share_member *r0 = &m[p->member[j]],
				      *r1 = &m[p->member[j + 1]];
	const double *c0 = r0->consumption_kwh + t0,
		     *c1 = r1->consumption_kwh + t0;
	const double *p0 = r0->production_kwh + t0,
		     *p1 = r1->production_kwh + t0;
	struct cab_volumes *month[2] = {r0->month, r1->month};
	const __m128d is_net = mask_of(r0->is_net, r1->is_net);
	const __m128d nan = _mm_set1_pd(NAN);
	double *d = p->demand + j, *xs = p->surplus + j;
	const unsigned short *month_of = cal ? cal->month_of + t0 : NULL;
	const unsigned char *is_day = cal ? cal->is_day + t0 : NULL;
	size_t mo = cal ? month_of[0] : 0;
	struct own_lanes v;
	memset(&v, 0, sizeof v); /* read only with cal, loaded then */
	if (cal)
		own_load(&v, month, mo);
	for (size_t u = 0; u < tb; u++, d += n, xs += n) {
		__m128d cu = _mm_set_pd(c1[u], c0[u]);
		__m128d pu = _mm_set_pd(p1[u], p0[u]);
		__m128d ok = _mm_cmpeq_pd(cu, cu);
		__m128d o = _mm_andnot_pd(is_net, _mm_min_pd(cu, pu));
		__m128d du = _mm_and_pd(ok, _mm_sub_pd(cu, o));
		__m128d x = _mm_sub_pd(pu, o);
		_mm_storeu_pd(d, du);
		_mm_storeu_pd(xs, pick(ok, x, nan));
		if (!cal)
			continue;
		if (month_of[u] != mo) {
			own_store(&v, month, mo);
			mo = month_of[u];
			own_load(&v, month, mo);
		}
		v.c = _mm_add_pd(v.c, _mm_and_pd(ok, cu));
		v.p = _mm_add_pd(v.p, _mm_and_pd(ok, pu));
		v.o = _mm_add_pd(v.o, _mm_and_pd(ok, o));
		v.d = _mm_add_pd(v.d, du);
		if (is_day[u])
			v.d_day = _mm_add_pd(v.d_day, du);
		v.x = _mm_add_pd(v.x, _mm_and_pd(ok, x));
	}
	if (cal)
		own_store(&v, month, mo);
}
#else
#define CAB_LANES 1
#endif

/* Gather member j's demands and surpluses (NaN where its data is
 * missing: it takes no part, D = 0) into the block; a replayed pool (the
 * coupled optimum) gathers its a too. With cal, the volumes that need no
 * allocation (C, P, O, D, X) are added to its month as its series are
 * read; the scatter adds the rest. */
static void gather_one(struct cab_pool *p, const struct cab_share_member *r,
		       const struct cab_calendar *cal, size_t j, size_t t0,
		       size_t tb)
{
	size_t n = p->n;
	const double *c = r->consumption_kwh + t0;
	const double *pr = r->production_kwh + t0;
	double *d = p->demand + j, *xs = p->surplus + j;
	bool is_net = r->is_net;
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
		}
		return;
	}
	const unsigned short *month_of = cal->month_of + t0;
	const unsigned char *is_day = cal->is_day + t0;
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
		cab_volumes_add_own(&v, cu, pu, o, du, x, is_day[u]);
	}
	r->month[mo] = v;
}

/* Gather the block of every member of p. */
static void gather(struct cab_pool *p, const struct cab_share_member *m,
		   const struct cab_calendar *cal, size_t t0, size_t tb)
{
	size_t n = p->n, j = 0;
#if CAB_LANES == 2
	for (; j + 2 <= n; j += 2) {
		for (size_t k = j + CAB_SHARE_AHEAD;
		     k < j + CAB_SHARE_AHEAD + 2 && k < n; k++)
			prefetch_block(&m[p->member[k]], t0, tb);
		gather_lanes(p, m, cal, j, t0, tb);
	}
#endif
	for (; j < n; j++) {
		if (j + CAB_SHARE_AHEAD < n)
			prefetch_block(&m[p->member[j + CAB_SHARE_AHEAD]], t0,
				       tb);
		gather_one(p, &m[p->member[j]], cal, j, t0, tb);
	}
	if (p->is_replay)
		for (j = 0; j < n; j++) {
			const struct cab_share_member *r = &m[p->member[j]];
			const double *c = r->consumption_kwh + t0;
			double *a = p->alloc + j;
			for (size_t u = 0; u < tb; u++)
				a[u * n] =
				    isnan(c[u]) ? 0 : r->shared_kwh[t0 + u];
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

/* Run the key on each interval of the block; keep S, Σa and Σa / S
 * per interval (Σa 0 where S ≤ 0: nothing was shared). */
static void allocate(struct cab_pool *p, size_t tb)
{
	size_t n = p->n;
	for (size_t u = 0; u < tb; u++) {
		double *a = p->alloc + u * n;
		const double *d = p->demand + u * n, *x = p->surplus + u * n;
		/* S: the members' X in pool order, those without data left
		 * out (NaN). */
		double s = 0;
		for (size_t j = 0; j < n; j++)
			if (x[j] == x[j])
				s += x[j];
		p->supply[u] = s;
		p->allocated[u] = 0;
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
		p->allocated[u] = sum_a;
		p->given_f[u] = sum_a / s;
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

#if CAB_LANES == 2
/* Lane 0 of v at *lo, lane 1 at *hi, streaming (see put). */
static inline void put_lanes(double *lo, double *hi, __m128d v)
{
#if defined(__x86_64__)
	_mm_stream_si64((long long *)lo,
			_mm_cvtsi128_si64(_mm_castpd_si128(v)));
	_mm_stream_si64((long long *)hi, _mm_cvtsi128_si64(_mm_castpd_si128(
					     _mm_unpackhi_pd(v, v))));
#else
	store_lanes(lo, hi, v);
#endif
}

/* The volumes of two members' month that the scatter adds (a, given, G,
 * their day parts, what is injected), one member a lane. */
struct shared_lanes {
	__m128d a, a_day, given, given_day, g, g_day, inj;
};

static inline void shared_load(struct shared_lanes *v,
			       struct cab_volumes *const *month, size_t mo)
{
	const struct cab_volumes *a = &month[0][mo], *b = &month[1][mo];
	v->a = _mm_set_pd(b->shared_kwh, a->shared_kwh);
	v->a_day = _mm_set_pd(b->shared_day_kwh, a->shared_day_kwh);
	v->given = _mm_set_pd(b->given_kwh, a->given_kwh);
	v->given_day = _mm_set_pd(b->given_day_kwh, a->given_day_kwh);
	v->g = _mm_set_pd(b->complementary_kwh, a->complementary_kwh);
	v->g_day =
	    _mm_set_pd(b->complementary_day_kwh, a->complementary_day_kwh);
	v->inj = _mm_set_pd(b->injected_kwh, a->injected_kwh);
}

static inline void shared_store(const struct shared_lanes *v,
				struct cab_volumes *const *month, size_t mo)
{
	struct cab_volumes *a = &month[0][mo], *b = &month[1][mo];
	store_lanes(&a->shared_kwh, &b->shared_kwh, v->a);
	store_lanes(&a->shared_day_kwh, &b->shared_day_kwh, v->a_day);
	store_lanes(&a->given_kwh, &b->given_kwh, v->given);
	store_lanes(&a->given_day_kwh, &b->given_day_kwh, v->given_day);
	store_lanes(&a->complementary_kwh, &b->complementary_kwh, v->g);
	store_lanes(&a->complementary_day_kwh, &b->complementary_day_kwh,
		    v->g_day);
	store_lanes(&a->injected_kwh, &b->injected_kwh, v->inj);
}

/* Scatter members j and j + 1 (see scatter_member):
 * cab_volumes_add_shared on lanes. A member without a given series
 * gives 0 to its volumes, as scatter_member. */
static void scatter_lanes(const struct cab_pool *p,
			  const struct cab_share_member *m,
			  const struct cab_calendar *cal, size_t j, size_t t0,
			  size_t tb)
{
	size_t n = p->n;
	const struct cab_share_member *r0 = &m[p->member[j]],
				      *r1 = &m[p->member[j + 1]];
	double *sh0 = r0->shared_kwh + t0, *sh1 = r1->shared_kwh + t0;
	double *gv0 = r0->given_kwh ? r0->given_kwh + t0 : NULL;
	double *gv1 = r1->given_kwh ? r1->given_kwh + t0 : NULL;
	struct cab_volumes *month[2] = {r0->month, r1->month};
	const __m128d has_gv = mask_of(gv0 != NULL, gv1 != NULL);
	const __m128d zero = _mm_setzero_pd(), nan = _mm_set1_pd(NAN);
	bool is_fraction = p->is_self_share || p->is_replay;
	const double *a = p->alloc + j, *d = p->demand + j;
	const double *xs = p->surplus + j, *g = p->given + j;
	const unsigned short *month_of = cal ? cal->month_of + t0 : NULL;
	const unsigned char *is_day = cal ? cal->is_day + t0 : NULL;
	size_t mo = cal ? month_of[0] : 0;
	struct shared_lanes v;
	memset(&v, 0, sizeof v); /* read only with cal, loaded then */
	if (cal)
		shared_load(&v, month, mo);
	for (size_t u = 0; u < tb; u++, a += n, d += n, xs += n, g += n) {
		__m128d x = _mm_loadu_pd(xs), au = _mm_loadu_pd(a);
		__m128d ok = _mm_cmpeq_pd(x, x);
		__m128d given = is_fraction
				    ? _mm_mul_pd(x, _mm_set1_pd(p->given_f[u]))
				: p->supply[u] > 0 ? _mm_loadu_pd(g)
						   : zero;
		given = _mm_and_pd(has_gv, given);
		__m128d out_g = pick(ok, given, nan);
		put_lanes(&sh0[u], &sh1[u], pick(ok, au, nan));
		if (gv0)
			put(&gv0[u], _mm_cvtsd_f64(out_g));
		if (gv1)
			put(&gv1[u],
			    _mm_cvtsd_f64(_mm_unpackhi_pd(out_g, out_g)));
		if (!cal)
			continue;
		if (month_of[u] != mo) {
			shared_store(&v, month, mo);
			mo = month_of[u];
			shared_load(&v, month, mo);
		}
		__m128d gu = _mm_sub_pd(_mm_loadu_pd(d), au);
		__m128d inj = _mm_sub_pd(x, given);
		gu = _mm_and_pd(ok, _mm_andnot_pd(_mm_cmplt_pd(gu, zero), gu));
		inj =
		    _mm_and_pd(ok, _mm_andnot_pd(_mm_cmplt_pd(inj, zero), inj));
		au = _mm_and_pd(ok, au);
		given = _mm_and_pd(ok, given);
		v.a = _mm_add_pd(v.a, au);
		v.given = _mm_add_pd(v.given, given);
		v.g = _mm_add_pd(v.g, gu);
		if (is_day[u]) {
			v.a_day = _mm_add_pd(v.a_day, au);
			v.given_day = _mm_add_pd(v.given_day, given);
			v.g_day = _mm_add_pd(v.g_day, gu);
		}
		v.inj = _mm_add_pd(v.inj, inj);
	}
	if (cal)
		shared_store(&v, month, mo);
}
#endif

/* Scatter the block of pool p back into its members' series. */
static void scatter(const struct cab_pool *p, const struct cab_share_member *m,
		    const struct cab_calendar *cal, size_t t0, size_t tb)
{
	size_t n = p->n, j = 0;
#if CAB_LANES == 2
	for (; j + 2 <= n; j += 2)
		scatter_lanes(p, m, cal, j, t0, tb);
#endif
	for (; j < n; j++)
		scatter_member(p, j, &m[p->member[j]], cal, t0, tb);
}

void cab_share_block(struct cab_pool *p, const struct cab_share_member *m,
		     const struct cab_calendar *cal, size_t t0, size_t tb)
{
	gather(p, m, cal, t0, tb);
	allocate(p, tb);
	scatter(p, m, cal, t0, tb);
	put_fence();
}
