/*
 * fairness.c — the fairness audit of a run (SPEC §12, cabine/fairness.h):
 * who pays more than alone, the min, median and max saving, and each
 * participant's Shapley share of the community's value.
 *
 * Why this way: the savings come from the bills the run already holds.
 * The Shapley share needs the value of coalitions, v(C) = Σ_t c(t) ·
 * min(1, S_C/D_C) · Σ_{i∈C} f_i·D_i per pool (the proportional rule over
 * C's own surplus S_C and demand D_C; v_i(t) = c(t)·f_i, c the pool's
 * value of a kWh at VAT factor 1 in interval t, f_i = 1 + VAT_i), which
 * depends on C only through three sums per interval. So:
 *   - exact (a pool of at most 12 members with data): the three sums of
 *     all 2^m coalitions in one pass per interval, each from the
 *     coalition without its lowest member, then the Shapley formula
 *     φ_i = Σ_{C∌i} |C|!(m−|C|−1)!/m! · (v(C∪i) − v(C));
 *   - sampled (more members): 2,000 random orders (a seeded xorshift,
 *     Fisher–Yates), each walked member by member adding its surplus and
 *     demand to the running sums; what each arrival adds, summed over
 *     the intervals, is one sample of its share. The mean is the share,
 *     the spread over orders its standard error. Within an order the
 *     additions telescope to v(N), so the shares add up to v(N).
 * Only intervals where the pool has both surplus and demand count (any
 * other gives every coalition 0). Intervals are walked in blocks so that
 * one block's data stays in cache while every order runs over it.
 *
 * Workload: a year has ~17,500 such intervals; exact costs 2^m sums per
 * interval; sampled costs orders × members × intervals additions
 * (2,000 × 60 × 17,500 = 2·10^9 for the demo's size; docs/PERFORMANCE.md).
 *
 * Ownership: the result owns its member array; scratch is freed before
 * return.
 */
#include "cabine/fairness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

#define BLOCK 32 /* intervals per block of the sampled walk */

void cab_fairness_free(struct cab_fairness *f)
{
	if (!f)
		return;
	free(f->member);
	free(f);
}

static int by_cents(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Worse-off count and the spread of the savings. */
static bool savings(const struct cab_run *run, struct cab_fairness *f)
{
	int64_t *s = malloc((run->n ? run->n : 1) * sizeof *s);
	if (!s)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		struct cab_fairness_member *m = &f->member[i];
		m->shapley_eur = m->shapley_se_eur = NAN;
		m->has_saving = !r->is_without_baseline;
		if (!m->has_saving)
			continue;
		m->saving_cents = r->baseline.total_cents - r->bill.total_cents;
		f->worse_off += m->saving_cents < 0;
		s[k++] = m->saving_cents;
	}
	f->n_counted = k;
	if (k) {
		qsort(s, k, sizeof *s, by_cents);
		f->min_saving_cents = s[0];
		f->max_saving_cents = s[k - 1];
		if (k % 2) {
			f->median_saving_cents = s[k / 2];
		} else {
			int64_t sum = s[k / 2 - 1] + s[k / 2];
			f->median_saving_cents =
			    sum >= 0 ? (sum + 1) / 2 : -((-sum + 1) / 2);
		}
	}
	free(s);
	return true;
}

/* One pool's data over its active intervals: rows of m members. */
struct pool_data {
	size_t m;	/* members with data in the pool */
	size_t *member; /* their participant indices */
	size_t n_t;	/* active intervals */
	double *x, *d;	/* n_t rows of m: X and D */
	double *fd;	/* n_t rows of m: f·D */
	double *c;	/* n_t: value of a kWh at factor 1 */
};

static void pool_release(struct pool_data *q)
{
	free(q->member);
	free(q->x);
	free(q->d);
	free(q->fd);
	free(q->c);
}

/* D and X of participant r in interval t (0 when missing; a series a
 * run leaves NULL, like a meterless member's production, reads as 0). */
static void dx(const struct cab_participant_result *r, size_t t, double *d,
	       double *x)
{
	double c = r->consumption_kwh ? r->consumption_kwh[t] : NAN, o;
	if (isnan(c)) {
		*d = *x = 0;
		return;
	}
	cab_own_split(c, r->production_kwh ? r->production_kwh[t] : 0,
		      r->is_net, &o, d, x);
}

static bool in_pool(const struct cab_run *run, size_t k, size_t i)
{
	return run->sharing.perimeter != CAB_PERIMETER_CABIN ||
	       run->sc->participants[i].cabin == (int)k;
}

static bool is_day_at(const struct cab_run *run, size_t t)
{
	const struct cab_tariff *tf = &run->sc->tariff;
	return cab_time_is_day_rate(run->t0_s + (int64_t)t * CAB_INTERVAL_S,
				    tf->day_start_h, tf->day_end_h);
}

/* Gather pool k's members with data and its active intervals. */
static bool pool_load(const struct cab_run *run, size_t k, struct pool_data *q)
{
	size_t n = run->n, nt = run->n_intervals;
	memset(q, 0, sizeof *q);
	q->member = malloc((n ? n : 1) * sizeof *q->member);
	if (!q->member)
		return false;
	char loc = 0;
	for (size_t i = 0; i < n; i++) {
		if (!in_pool(run, k, i))
			continue;
		loc = run->p[i].locality;
		const struct cab_volumes *v = &run->p[i].total;
		if (v->demand_kwh > 0 || v->surplus_kwh > 0)
			q->member[q->m++] = i;
	}
	size_t m = q->m, n_t = 0;
	for (size_t t = 0; t < nt; t++) {
		double s = 0, dd = 0, d, x;
		for (size_t j = 0; j < m; j++) {
			dx(&run->p[q->member[j]], t, &d, &x);
			s += x, dd += d;
		}
		n_t += s > 0 && dd > 0;
	}
	/* One spare row: an inactive interval is written, then
	 * overwritten by the next. */
	size_t cells = (n_t + 1) * (m ? m : 1);
	q->x = malloc(cells * sizeof(double));
	q->d = malloc(cells * sizeof(double));
	q->fd = malloc(cells * sizeof(double));
	q->c = malloc((n_t ? n_t : 1) * sizeof(double));
	if (!q->x || !q->d || !q->fd || !q->c)
		return false;
	for (size_t t = 0; t < nt; t++) {
		double s = 0, dd = 0;
		double *xr = q->x + q->n_t * m, *dr = q->d + q->n_t * m;
		double *fr = q->fd + q->n_t * m;
		for (size_t j = 0; j < m; j++) {
			size_t i = q->member[j];
			dx(&run->p[i], t, &dr[j], &xr[j]);
			fr[j] = (1 + run->sc->participants[i].vat) * dr[j];
			s += xr[j], dd += dr[j];
		}
		if (s > 0 && dd > 0)
			q->c[q->n_t++] = cab_share_value_eur_kwh(
			    &run->sc->tariff, &run->sharing, loc,
			    is_day_at(run, t), 0);
	}
	return true;
}

/* What coalition sums s, d, fd are worth in an interval of value c. */
static inline double worth(double c, double s, double d, double fd)
{
	if (!(d > 0))
		return 0;
	return s >= d ? c * fd : c * fd * (s / d);
}

/* Exact shares of pool q (m ≤ 20) into phi[m]. */
static bool exact(const struct pool_data *q, double *phi)
{
	size_t m = q->m, nm = (size_t)1 << m;
	double *val = calloc(nm, sizeof *val);
	double *s = malloc(nm * sizeof *s), *d = malloc(nm * sizeof *d);
	double *fd = malloc(nm * sizeof *fd);
	unsigned char *low = malloc(nm), *pop = malloc(nm);
	double *w = malloc((m + 1) * sizeof *w);
	bool is_ok = val && s && d && fd && low && pop && w;
	if (!is_ok)
		goto done;
	low[0] = pop[0] = 0;
	for (size_t c = 1; c < nm; c++) {
		unsigned b = 0;
		while (!(c >> b & 1))
			b++;
		low[c] = (unsigned char)b;
		pop[c] = (unsigned char)(pop[c & (c - 1)] + 1);
	}
	s[0] = d[0] = fd[0] = 0;
	for (size_t t = 0; t < q->n_t; t++) {
		const double *xr = q->x + t * m, *dr = q->d + t * m;
		const double *fr = q->fd + t * m;
		double ct = q->c[t];
		for (size_t c = 1; c < nm; c++) {
			size_t prev = c & (c - 1), j = low[c];
			s[c] = s[prev] + xr[j];
			d[c] = d[prev] + dr[j];
			fd[c] = fd[prev] + fr[j];
			val[c] += worth(ct, s[c], d[c], fd[c]);
		}
	}
	/* w[k] = k!(m−k−1)!/m!, the weight of a coalition of k others. */
	for (size_t k = 0; k < m; k++) {
		double x = 1.0 / (double)m;
		for (size_t j = 1; j <= k; j++)
			x *= (double)j / (double)(m - j);
		w[k] = x;
	}
	for (size_t j = 0; j < m; j++) {
		double sum = 0;
		size_t bit = (size_t)1 << j;
		for (size_t c = 0; c < nm; c++)
			if (!(c & bit))
				sum += w[pop[c]] * (val[c | bit] - val[c]);
		phi[j] = sum;
	}
done:
	free(val);
	free(s);
	free(d);
	free(fd);
	free(low);
	free(pop);
	free(w);
	return is_ok;
}

static uint64_t next(uint64_t *st)
{
	uint64_t x = *st;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *st = x;
}

/* Sampled shares of pool q over `orders` random orders: phi[m] and the
 * standard errors se[m]. */
static bool sampled(const struct pool_data *q, size_t orders, uint64_t seed,
		    double *phi, double *se)
{
	size_t m = q->m;
	uint32_t *perm = malloc(orders * m * sizeof *perm);
	double *acc = calloc(orders * m, sizeof *acc);
	double *xb = malloc(m * BLOCK * sizeof *xb);
	double *db = malloc(m * BLOCK * sizeof *db);
	double *fb = malloc(m * BLOCK * sizeof *fb);
	bool is_ok = perm && acc && xb && db && fb;
	if (!is_ok)
		goto done;
	uint64_t st = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	if (!st)
		st = 1;
	for (size_t k = 0; k < orders; k++) {
		uint32_t *p = perm + k * m;
		for (size_t j = 0; j < m; j++)
			p[j] = (uint32_t)j;
		for (size_t j = m; j > 1; j--) {
			size_t r = (size_t)(next(&st) % j);
			uint32_t tmp = p[j - 1];
			p[j - 1] = p[r];
			p[r] = tmp;
		}
	}
	for (size_t t0 = 0; t0 < q->n_t; t0 += BLOCK) {
		size_t tb = q->n_t - t0 < BLOCK ? q->n_t - t0 : BLOCK;
		/* The block member by member, so an arrival reads a row; a
		 * short last block is padded with intervals worth 0. */
		for (size_t u = tb; u < BLOCK; u++)
			for (size_t j = 0; j < m; j++)
				xb[j * BLOCK + u] = db[j * BLOCK + u] =
				    fb[j * BLOCK + u] = 0;
		double cb[BLOCK] = {0};
		for (size_t u = 0; u < tb; u++)
			cb[u] = q->c[t0 + u];
		for (size_t u = 0; u < tb; u++)
			for (size_t j = 0; j < m; j++) {
				size_t at = (t0 + u) * m + j;
				xb[j * BLOCK + u] = q->x[at];
				db[j * BLOCK + u] = q->d[at];
				fb[j * BLOCK + u] = q->fd[at];
			}
		const double *c = cb;
		for (size_t k = 0; k < orders; k++) {
			const uint32_t *p = perm + k * m;
			double *a = acc + k * m;
			double s[BLOCK] = {0}, d[BLOCK] = {0}, fd[BLOCK] = {0};
			double prev[BLOCK] = {0}, gain[BLOCK];
			for (size_t pos = 0; pos < m; pos++) {
				size_t j = p[pos];
				const double *xj = xb + j * BLOCK;
				const double *dj = db + j * BLOCK;
				const double *fj = fb + j * BLOCK;
				/* Element by element (the compiler vectorises
				 * it), then the sum in four lanes. */
				for (size_t u = 0; u < BLOCK; u++) {
					s[u] += xj[u];
					d[u] += dj[u];
					fd[u] += fj[u];
					/* min(1, S/D), the division always
					 * made (D = 0 gives fd = 0). */
					double r =
					    s[u] / (d[u] + (double)(d[u] <= 0));
					r = r < 1 ? r : 1;
					double v = c[u] * fd[u] * r;
					gain[u] = v - prev[u];
					prev[u] = v;
				}
				double g0 = 0, g1 = 0, g2 = 0, g3 = 0;
				for (size_t u = 0; u < BLOCK; u += 4) {
					g0 += gain[u];
					g1 += gain[u + 1];
					g2 += gain[u + 2];
					g3 += gain[u + 3];
				}
				a[j] += (g0 + g1) + (g2 + g3);
			}
		}
	}
	for (size_t j = 0; j < m; j++) {
		double sum = 0, sq = 0;
		for (size_t k = 0; k < orders; k++)
			sum += acc[k * m + j];
		double mean = sum / (double)orders;
		for (size_t k = 0; k < orders; k++) {
			double e = acc[k * m + j] - mean;
			sq += e * e;
		}
		phi[j] = mean;
		se[j] = orders > 1
			    ? sqrt(sq / ((double)orders * (double)(orders - 1)))
			    : NAN;
	}
done:
	free(perm);
	free(acc);
	free(xb);
	free(db);
	free(fb);
	return is_ok;
}

/* Shapley shares of every pool into f. */
static bool shapley(const struct cab_run *run,
		    const struct cab_fairness_opts *o, struct cab_fairness *f)
{
	size_t exact_max = o->exact_max ? o->exact_max : CAB_FAIRNESS_EXACT_MAX;
	size_t orders = o->orders ? o->orders : CAB_FAIRNESS_ORDERS;
	uint64_t seed = o->seed ? o->seed : CAB_FAIRNESS_SEED;
	size_t np = run->sharing.perimeter == CAB_PERIMETER_CABIN
			? run->sc->n_cabins
			: 1;
	f->has_shapley = true;
	f->is_exact = true;
	for (size_t i = 0; i < run->n; i++)
		f->member[i].shapley_eur = f->member[i].shapley_se_eur = 0;
	for (size_t k = 0; k < np; k++) {
		struct pool_data q;
		bool is_ok = pool_load(run, k, &q);
		double *phi = is_ok ? calloc(q.m ? q.m : 1, sizeof *phi) : NULL;
		double *se = is_ok ? calloc(q.m ? q.m : 1, sizeof *se) : NULL;
		is_ok = phi && se;
		if (is_ok && q.m > 0) {
			bool is_exact = q.m <= exact_max && q.m <= 20;
			if (!is_exact) {
				f->is_exact = false;
				f->orders = orders;
			}
			is_ok = is_exact
				    ? exact(&q, phi)
				    : sampled(&q, orders, seed + k, phi, se);
		}
		for (size_t j = 0; is_ok && j < q.m; j++) {
			struct cab_fairness_member *m = &f->member[q.member[j]];
			m->shapley_eur = phi[j];
			m->shapley_se_eur = se[j];
			f->value_eur += phi[j];
		}
		free(phi);
		free(se);
		pool_release(&q);
		if (!is_ok)
			return false;
	}
	return true;
}

/* The shares in cents adding up to value_cents: each rounded down, the
 * cents left to the largest remainders (ties to the lower index). */
static bool share_cents(struct cab_fairness *f)
{
	f->value_cents = cab_round_cents(f->value_eur);
	double *rest = malloc((f->n ? f->n : 1) * sizeof *rest);
	if (!rest)
		return false;
	int64_t sum = 0;
	for (size_t i = 0; i < f->n; i++) {
		struct cab_fairness_member *m = &f->member[i];
		double c = isnan(m->shapley_eur) ? 0 : m->shapley_eur * 100;
		m->shapley_cents = (int64_t)floor(c);
		rest[i] = c - (double)m->shapley_cents;
		sum += m->shapley_cents;
	}
	for (; sum < f->value_cents; sum++) {
		size_t best = 0;
		for (size_t i = 1; i < f->n; i++)
			if (rest[i] > rest[best])
				best = i;
		f->member[best].shapley_cents++;
		rest[best] -= 1;
	}
	for (; sum > f->value_cents; sum--) {
		size_t best = 0;
		for (size_t i = 1; i < f->n; i++)
			if (rest[i] < rest[best])
				best = i;
		f->member[best].shapley_cents--;
		rest[best] += 1;
	}
	free(rest);
	return true;
}

enum cab_status cab_fairness_new_opts(const struct cab_run *run,
				      const struct cab_fairness_opts *o,
				      struct cab_fairness **out,
				      struct cab_err *err)
{
	struct cab_fairness *f = calloc(1, sizeof *f);
	*out = NULL;
	if (!f)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	f->n = run->n;
	f->member = calloc(run->n ? run->n : 1, sizeof *f->member);
	bool is_ok = f->member && savings(run, f);
	bool is_sharing = run->billing.mode != CAB_BILLING_INDIVIDUAL;
	if (is_ok && o->is_shapley && is_sharing && o->shapley_of &&
	    o->shapley_of->has_shapley && o->shapley_of->n == f->n) {
		const struct cab_fairness *g = o->shapley_of;
		f->has_shapley = true;
		f->is_exact = g->is_exact;
		f->orders = g->orders;
		f->value_eur = g->value_eur;
		f->value_cents = g->value_cents;
		for (size_t i = 0; i < f->n; i++) {
			f->member[i].shapley_eur = g->member[i].shapley_eur;
			f->member[i].shapley_se_eur =
			    g->member[i].shapley_se_eur;
			f->member[i].shapley_cents = g->member[i].shapley_cents;
		}
	} else if (is_ok && o->is_shapley && is_sharing) {
		is_ok = shapley(run, o, f) && share_cents(f);
	}
	if (!is_ok) {
		cab_fairness_free(f);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	*out = f;
	return CAB_OK;
}

enum cab_status cab_fairness_new(const struct cab_run *run, bool is_shapley,
				 struct cab_fairness **out, struct cab_err *err)
{
	struct cab_fairness_opts o = {.is_shapley = is_shapley};
	return cab_fairness_new_opts(run, &o, out, err);
}

size_t cab_fairness_n_received(const struct cab_run *run, size_t t)
{
	size_t k = 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		if (!r->shared_kwh || !r->consumption_kwh)
			continue; /* billed alone or meterless: nothing */
		k += !isnan(r->consumption_kwh[t]) &&
		     r->shared_kwh[t] >= CAB_FAIRNESS_RECEIVED_KWH;
	}
	return k;
}

size_t cab_fairness_received_histogram(const struct cab_run *run,
				       size_t *counts)
{
	size_t n_t = 0;
	for (size_t k = 0; k <= run->n; k++)
		counts[k] = 0;
	for (size_t t = 0; t < run->n_intervals; t++) {
		bool has_surplus = false;
		for (size_t i = 0; i < run->n && !has_surplus; i++) {
			double d, x;
			dx(&run->p[i], t, &d, &x);
			has_surplus = x > 0;
		}
		if (!has_surplus)
			continue;
		counts[cab_fairness_n_received(run, t)]++;
		n_t++;
	}
	return n_t;
}

bool cab_fairness_same_game(const struct cab_run *a, const struct cab_run *b)
{
	if (a->sc != b->sc || a->n != b->n ||
	    a->billing.mode == CAB_BILLING_INDIVIDUAL ||
	    b->billing.mode == CAB_BILLING_INDIVIDUAL ||
	    a->sharing.price_eur_kwh != b->sharing.price_eur_kwh ||
	    a->sharing.perimeter != b->sharing.perimeter)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->p[i].locality != b->p[i].locality)
			return false;
	return true;
}

double cab_fairness_coalition_value(const struct cab_run *run,
				    const bool *in_coalition)
{
	const struct cab_scenario *sc = run->sc;
	size_t np =
	    run->sharing.perimeter == CAB_PERIMETER_CABIN ? sc->n_cabins : 1;
	double total = 0;
	for (size_t k = 0; k < np; k++)
		for (size_t t = 0; t < run->n_intervals; t++) {
			double s = 0, dd = 0, d, x;
			for (size_t i = 0; i < run->n; i++)
				if (in_coalition[i] && in_pool(run, k, i)) {
					dx(&run->p[i], t, &d, &x);
					s += x, dd += d;
				}
			if (!(dd > 0) || !(s > 0))
				continue;
			double f = s < dd ? s / dd : 1;
			bool is_day = is_day_at(run, t);
			for (size_t i = 0; i < run->n; i++)
				if (in_coalition[i] && in_pool(run, k, i)) {
					dx(&run->p[i], t, &d, &x);
					total += cab_share_value_eur_kwh(
						     &sc->tariff, &run->sharing,
						     run->p[i].locality, is_day,
						     sc->participants[i].vat) *
						 d * f;
				}
		}
	return total;
}
