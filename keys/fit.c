/*
 * fit.c — the fixed weights to declare (SPEC §12, `cabine fit-key`): per
 * pool, w ≥ 0 with Σ w = 1 and lo ≤ w ≤ hi that maximise the saving
 * Σ_t Σ_i v_i(t)·a_i(t) of the fixed key a_i = min(D_i, w_i·S).
 *
 * Why exact for one round: the saving is Σ_i F_i(w_i) with
 *
 *     F_i(w) = Σ_t v_i(t) · min(D_i(t), w · S(t)),
 *
 * each term concave and piecewise linear in w alone (slope v·S until
 * w = D/S, then 0), so F_i is concave and piecewise linear with one
 * breakpoint per interval in which i has demand. Maximising a sum of
 * concave functions of separate variables under one budget Σ w = 1 and
 * box bounds is solved exactly by handing the budget out in decreasing
 * order of marginal value (the KKT conditions: at the optimum every
 * member's slope is ≥ λ left of its weight and ≤ λ right of it, for one
 * λ). So: start every member at its lower bound, take the steepest
 * segment of any member, then the next, until the budget is spent; a
 * level of equal slopes that the budget cannot fill is shared pro rata
 * of the segments' lengths (so identical members get identical weights).
 * docs/keys.md gives the argument with an example.
 *
 * Until-done: the rest of each round goes to the unsaturated members
 * pro rata of their weights, which couples the weights; a local search
 * starts from the one-round optimum and moves weight to or from one
 * member at a time (the others scaled to keep Σ = 1), with steps 0.02 to
 * 0.0002, keeping a move only when the replayed saving grows. It cannot
 * end below its start. When every member has weight > 0 and the same
 * VAT, until-done hands out min(S, ΣD) every interval and the start is
 * already the optimum.
 *
 * Workload: one pool of up to ~1,000 members × the intervals with shared
 * injection of a year (~17,500): the breakpoints (≤ members × intervals)
 * are sorted once per member; the merge runs on a heap of members. An
 * until-done replay costs one pass of the fixed key over the data.
 *
 * Ownership: everything the caller passes is borrowed; scratch is freed
 * before return.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

#define UNITS 1000000000LL /* weights are written in units of 1e-9 */
#define DEFAULT_EVALUATIONS 300

/* One breakpoint of F_i: at w = b the slope drops by g = v·S. */
struct brk {
	double b;
	double g;
};

static int by_b(const void *x, const void *y)
{
	double a = ((const struct brk *)x)->b, c = ((const struct brk *)y)->b;
	return a < c ? -1 : a > c;
}

/* A member in the merge: where it is on its F_i. */
struct cursor {
	size_t i;	   /* member */
	double w;	   /* its weight so far */
	size_t k;	   /* next breakpoint (index in its own run) */
	double slope;	   /* slope right of w */
	double end;	   /* where the current segment ends */
	bool is_at_bound;  /* w reached hi */
	size_t first, len; /* its breakpoints in the big array */
};

/* Max-heap of cursor indices by slope; ties by member index so that the
 * order of work is deterministic (the result does not depend on it). */
static bool above(const struct cursor *c, size_t a, size_t b)
{
	if (c[a].slope != c[b].slope)
		return c[a].slope > c[b].slope;
	return c[a].i < c[b].i;
}

static void heap_push(size_t *h, size_t *n, const struct cursor *c, size_t x)
{
	size_t k = (*n)++;
	h[k] = x;
	while (k > 0) {
		size_t up = (k - 1) / 2;
		if (!above(c, h[k], h[up]))
			break;
		size_t t = h[k];
		h[k] = h[up];
		h[up] = t;
		k = up;
	}
}

static size_t heap_pop(size_t *h, size_t *n, const struct cursor *c)
{
	size_t top = h[0];
	h[0] = h[--(*n)];
	size_t k = 0;
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < *n && above(c, h[l], h[m]))
			m = l;
		if (r < *n && above(c, h[r], h[m]))
			m = r;
		if (m == k)
			break;
		size_t t = h[k];
		h[k] = h[m];
		h[m] = t;
		k = m;
	}
	return top;
}

/* Set the cursor's segment from its position: skip breakpoints at or
 * left of w (their slope is spent), the slope is what remains. */
static void settle(struct cursor *c, const struct brk *bk, const double *suffix,
		   double hi)
{
	while (c->k < c->len && bk[c->first + c->k].b <= c->w)
		c->k++;
	c->slope = c->k < c->len ? suffix[c->first + c->k] : 0;
	c->end = c->k < c->len && bk[c->first + c->k].b < hi
		     ? bk[c->first + c->k].b
		     : hi;
}

enum cab_status cab_key_fit_evaluate(const struct cab_fit_problem *p,
				     const double *weight, bool is_until_done,
				     double *saving, double *shared_kwh)
{
	double *a = malloc((p->n ? p->n : 1) * sizeof *a);
	size_t *unsat = malloc((p->n ? p->n : 1) * sizeof *unsat);
	if (!a || !unsat) {
		free(a);
		free(unsat);
		return CAB_ENOMEM;
	}
	double sv = 0, sa = 0;
	for (size_t t = 0; t < p->n_t; t++) {
		const double *d = p->demand + t * p->n;
		cab_key_fixed_rounds(p->n, weight, is_until_done, d,
				     p->supply[t], a, unsat);
		double v = 0, s = 0;
		for (size_t i = 0; i < p->n; i++) {
			v += p->factor[i] * a[i];
			s += a[i];
		}
		sv += p->value[t] * v;
		sa += s;
	}
	free(a);
	free(unsat);
	*saving = sv;
	*shared_kwh = sa;
	return CAB_OK;
}

/* The per-interval optimum (what the optimal key achieves): members by
 * decreasing factor, each served in full while S lasts. */
static void optimum(const struct cab_fit_problem *p, const size_t *by_f,
		    double *saving, double *shared)
{
	double sv = 0, sa = 0;
	for (size_t t = 0; t < p->n_t; t++) {
		const double *d = p->demand + t * p->n;
		double rest = p->supply[t], v = 0;
		for (size_t k = 0; k < p->n && rest > 0; k++) {
			size_t i = by_f[k];
			double a = d[i] < rest ? d[i] : rest;
			rest -= a;
			v += p->factor[i] * a;
			sa += a;
		}
		sv += p->value[t] * v;
	}
	*saving = sv;
	*shared = sa;
}

/* Members by decreasing factor, ties by index (insertion sort: a pool
 * has at most a few thousand members and this runs once). */
static void order_by_factor(const struct cab_fit_problem *p, size_t *by_f)
{
	for (size_t i = 0; i < p->n; i++) {
		size_t k = i;
		while (k > 0 && p->factor[by_f[k - 1]] < p->factor[i]) {
			by_f[k] = by_f[k - 1];
			k--;
		}
		by_f[k] = i;
	}
}

/* The one-round optimum into w (doubles, Σ = 1). */
static enum cab_status one_round(const struct cab_fit_problem *p,
				 const double *lo, const double *hi, double *w)
{
	size_t n = p->n, nb = 0;
	enum cab_status st = CAB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		w[i] = p->is_candidate[i] ? lo[i] : 0;
	for (size_t t = 0; t < p->n_t; t++)
		for (size_t i = 0; i < n; i++)
			nb += p->is_candidate[i] && p->demand[t * n + i] > 0 &&
			      p->value[t] > 0;
	struct brk *bk = malloc((nb ? nb : 1) * sizeof *bk);
	double *suffix = malloc((nb ? nb : 1) * sizeof *suffix);
	struct cursor *cur = calloc(n ? n : 1, sizeof *cur);
	size_t *heap = malloc((n ? n : 1) * sizeof *heap);
	if (!bk || !suffix || !cur || !heap)
		goto done;
	/* Each member's breakpoints b = D/S with their slope drop v·S,
	 * sorted; suffix[k] = the slope right of breakpoint k−1. */
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		cur[i].i = i;
		cur[i].first = at;
		if (!p->is_candidate[i])
			continue;
		for (size_t t = 0; t < p->n_t; t++) {
			double d = p->demand[t * n + i];
			if (d > 0 && p->value[t] > 0)
				bk[at++] = (struct brk){
				    d / p->supply[t],
				    p->value[t] * p->factor[i] * p->supply[t]};
		}
		cur[i].len = at - cur[i].first;
		qsort(bk + cur[i].first, cur[i].len, sizeof *bk, by_b);
		double s = 0;
		for (size_t k = cur[i].len; k-- > 0;) {
			s += bk[cur[i].first + k].g;
			suffix[cur[i].first + k] = s;
		}
	}
	size_t nh = 0;
	double budget = 1;
	for (size_t i = 0; i < n; i++) {
		if (!p->is_candidate[i])
			continue;
		budget -= lo[i];
		cur[i].w = lo[i];
		settle(&cur[i], bk, suffix, hi[i]);
		if (cur[i].end > cur[i].w)
			heap_push(heap, &nh, cur, i);
	}
	/* Hand the budget out level by level of slope. */
	size_t *level = malloc((n ? n : 1) * sizeof *level);
	if (!level)
		goto done;
	while (budget > 0 && nh > 0) {
		size_t m = 0;
		double top = cur[heap[0]].slope, len = 0;
		while (nh > 0 && cur[heap[0]].slope == top) {
			size_t x = heap_pop(heap, &nh, cur);
			level[m++] = x;
			len += cur[x].end - cur[x].w;
		}
		if (len > budget) {
			/* The budget ends inside this level: each member of
			 * it takes the same fraction of its segment. */
			double f = budget / len;
			for (size_t k = 0; k < m; k++) {
				struct cursor *c = &cur[level[k]];
				c->w += f * (c->end - c->w);
			}
			budget = 0;
			break;
		}
		budget -= len;
		for (size_t k = 0; k < m; k++) {
			struct cursor *c = &cur[level[k]];
			c->w = c->end;
			settle(c, bk, suffix, hi[c->i]);
			if (c->end > c->w)
				heap_push(heap, &nh, cur, c->i);
		}
	}
	free(level);
	for (size_t i = 0; i < n; i++)
		if (p->is_candidate[i])
			w[i] = cur[i].w;
	st = CAB_OK;
done:
	free(bk);
	free(suffix);
	free(cur);
	free(heap);
	return st;
}

void cab_key_fit_round(size_t n, const double *w, const double *lo,
		       const double *hi, long long *units)
{
	long long total = 0;
	for (size_t i = 0; i < n; i++) {
		long long l = lo ? (long long)ceil(lo[i] * UNITS - 1e-6) : 0;
		long long h =
		    hi ? (long long)floor(hi[i] * UNITS + 1e-6) : UNITS;
		long long u = (long long)floor(w[i] * UNITS + 1e-7);
		units[i] = u < l ? l : u > h ? h : u;
		total += units[i];
	}
	/* Hand the missing units to the largest remainders (or take the
	 * surplus from the smallest), one each, ties to the lower index;
	 * a member at its bound is passed over. */
	while (total != UNITS) {
		long long step = total < UNITS ? 1 : -1;
		size_t best = n;
		double best_r = 0;
		for (size_t i = 0; i < n; i++) {
			long long l =
			    lo ? (long long)ceil(lo[i] * UNITS - 1e-6) : 0;
			long long h =
			    hi ? (long long)floor(hi[i] * UNITS + 1e-6) : UNITS;
			if (w[i] <= 0 && l == 0 && step > 0)
				continue;
			if ((step > 0 && units[i] >= h) ||
			    (step < 0 && units[i] <= l))
				continue;
			double r = w[i] * UNITS - (double)units[i];
			if (best == n || (step > 0 ? r > best_r : r < best_r)) {
				best = i;
				best_r = r;
			}
		}
		if (best == n)
			return; /* the bounds leave no room: cannot happen
				   for weights that satisfy them */
		units[best] += step;
		total += step;
	}
}

/* w with δ moved to member i, the other candidates scaled to keep Σ = 1;
 * false if a bound would break. */
static bool move(const struct cab_fit_problem *p, const double *lo,
		 const double *hi, const double *w, size_t i, double delta,
		 double *out)
{
	double wi = w[i] + delta;
	if (wi < lo[i] || wi > hi[i] || w[i] >= 1)
		return false;
	double f = (1 - wi) / (1 - w[i]);
	for (size_t j = 0; j < p->n; j++) {
		out[j] = j == i ? wi : w[j] * f;
		if (j != i && p->is_candidate[j] &&
		    (out[j] < lo[j] - 1e-15 || out[j] > hi[j] + 1e-15))
			return false;
	}
	return true;
}

/* Weights w (doubles) rounded to 1e-9, into r. */
static void rounded(const struct cab_fit_problem *p, const double *lo,
		    const double *hi, const double *w, long long *units,
		    double *r)
{
	cab_key_fit_round(p->n, w, lo, hi, units);
	for (size_t i = 0; i < p->n; i++)
		r[i] = (double)units[i] / (double)UNITS;
}

/* The until-done search from w (rounded in place to the best found):
 * members by decreasing factor (a kWh to a member at 21 % VAT saves more
 * than one at 6 %), each moved up or down by a step that doubles while
 * the saving grows; steps from 0.02 down to 0.0002. */
static enum cab_status until_done(const struct cab_fit_problem *p,
				  const double *lo, const double *hi, double *w,
				  double best, size_t *evals)
{
	static const double steps[] = {0.02, 0.004, 0.0008, 0.0002};
	size_t budget =
	    p->max_evaluations ? p->max_evaluations : DEFAULT_EVALUATIONS;
	size_t n = p->n;
	double *trial = malloc((n ? n : 1) * sizeof *trial);
	double *tr = malloc((n ? n : 1) * sizeof *tr);
	long long *units = malloc((n ? n : 1) * sizeof *units);
	size_t *by_f = malloc((n ? n : 1) * sizeof *by_f);
	enum cab_status st = CAB_ENOMEM;
	if (!trial || !tr || !units || !by_f)
		goto done;
	st = CAB_OK;
	order_by_factor(p, by_f);
	for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
		bool is_better = true;
		for (int sweep = 0; sweep < 2 && is_better; sweep++) {
			is_better = false;
			for (size_t k = 0; k < n; k++) {
				size_t i = by_f[k];
				if (!p->is_candidate[i])
					continue;
				for (int sign = 1; sign >= -1; sign -= 2) {
					double step = sign * steps[s];
					for (;;) {
						if (*evals >= budget)
							goto done;
						if (!move(p, lo, hi, w, i, step,
							  trial))
							break;
						rounded(p, lo, hi, trial, units,
							tr);
						double sv, sa;
						st = cab_key_fit_evaluate(
						    p, tr, true, &sv, &sa);
						if (st != CAB_OK)
							goto done;
						++*evals;
						if (!(sv > best * (1 + 1e-12) +
							       1e-12))
							break;
						best = sv;
						memcpy(w, tr, n * sizeof *w);
						is_better = true;
						step *= 2;
					}
				}
			}
		}
	}
done:
	free(trial);
	free(tr);
	free(units);
	free(by_f);
	return st;
}

/* weight (rounded, saving *best until done) replaced by the best of
 * (1 − ε)·w + ε·equal for a few ε, where they respect the bounds. */
static enum cab_status blends(const struct cab_fit_problem *p, double *weight,
			      const double *w, long long *units, double *best,
			      size_t *evals)
{
	static const double eps[] = {0.01, 0.03, 0.1, 0.3};
	size_t n = p->n, n_cand = 0;
	for (size_t i = 0; i < n; i++)
		n_cand += p->is_candidate[i];
	double *b = malloc((n ? n : 1) * sizeof *b);
	double *r = malloc((n ? n : 1) * sizeof *r);
	enum cab_status st = b && r ? CAB_OK : CAB_ENOMEM;
	for (size_t k = 0; st == CAB_OK && k < sizeof eps / sizeof *eps; k++) {
		bool is_ok = true;
		for (size_t i = 0; i < n; i++) {
			b[i] = p->is_candidate[i] ? (1 - eps[k]) * w[i] +
							eps[k] / (double)n_cand
						  : 0;
			is_ok &=
			    !p->is_candidate[i] || (b[i] >= p->min_weight[i] &&
						    b[i] <= p->max_weight[i]);
		}
		if (!is_ok)
			continue;
		rounded(p, p->min_weight, p->max_weight, b, units, r);
		double sv, sa;
		st = cab_key_fit_evaluate(p, r, true, &sv, &sa);
		++*evals;
		if (st == CAB_OK && sv > *best) {
			*best = sv;
			memcpy(weight, r, n * sizeof *r);
		}
	}
	free(b);
	free(r);
	return st;
}

enum cab_status cab_key_fit(const struct cab_fit_problem *p, double *weight,
			    struct cab_fit_outcome *out, struct cab_err *err)
{
	size_t n = p->n, n_cand = 0;
	double sum_lo = 0, sum_hi = 0;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		weight[i] = 0;
		if (!p->is_candidate[i])
			continue;
		n_cand++;
		sum_lo += p->min_weight[i];
		sum_hi += p->max_weight[i];
	}
	if (n_cand == 0)
		return cab_err_add(err, CAB_EINPUT,
				   "no participant has demand (expected at "
				   "least one to give a weight to)");
	if (sum_lo > 1 + 1e-9)
		return cab_err_add(err, CAB_EINPUT,
				   "the lower bounds sum to %g (expected at "
				   "most 1)",
				   sum_lo);
	if (sum_hi < 1 - 1e-9)
		return cab_err_add(err, CAB_EINPUT,
				   "the upper bounds sum to %g (expected at "
				   "least 1)",
				   sum_hi);
	size_t n_neg = 0;
	for (size_t t = 0; t < p->n_t; t++)
		n_neg += p->value[t] < 0;
	if (n_neg)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "in %zu quarter-hours a shared kWh costs more than a kWh "
		    "from the grid, so no weight is best (expected a sharing "
		    "price and shared network rate below the supplier and "
		    "network prices)",
		    n_neg);
	enum cab_status st = CAB_ENOMEM;
	double *w = malloc((n ? n : 1) * sizeof *w);
	long long *units = malloc((n ? n : 1) * sizeof *units);
	size_t *by_f = malloc((n ? n : 1) * sizeof *by_f);
	if (!w || !units || !by_f)
		goto done;
	st = one_round(p, p->min_weight, p->max_weight, w);
	if (st != CAB_OK)
		goto done;
	rounded(p, p->min_weight, p->max_weight, w, units, weight);
	double sv, sa;
	st = cab_key_fit_evaluate(p, weight, p->is_until_done, &sv, &sa);
	if (st != CAB_OK)
		goto done;
	out->one_round_saving = sv;
	order_by_factor(p, by_f);
	optimum(p, by_f, &out->optimum_saving, &out->optimum_shared_kwh);
	if (p->is_until_done && sv < out->optimum_saving * (1 - 1e-12)) {
		/* Until done hands out everything as soon as every member
		 * with demand has a weight: try the one-round answer blended
		 * with equal weights, keep the best start. */
		st = blends(p, weight, w, units, &sv, &out->evaluations);
		if (st == CAB_OK)
			st = until_done(p, p->min_weight, p->max_weight, weight,
					sv, &out->evaluations);
		if (st != CAB_OK)
			goto done;
		st = cab_key_fit_evaluate(p, weight, true, &sv, &sa);
		if (st != CAB_OK)
			goto done;
	}
	out->saving = sv;
	out->shared_kwh = sa;
done:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	free(w);
	free(units);
	free(by_f);
	return st;
}
