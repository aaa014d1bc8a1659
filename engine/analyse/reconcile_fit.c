/*
 * reconcile_fit.c — which sharing key the operator applied (SPEC §13):
 * keys replayed on the operator's own quarter-hours, each compared with
 * what the operator allocated.
 *
 * Why on the operator's data: its file gives, per member and
 * quarter-hour, the net offtake D = shared + grid offtake and the net
 * injection X = shared + grid injection it started from. Any key run on
 * those D and X through the same pools and block loop as a run
 * (engine/sharing/) gives allocations to set beside its shared offtake;
 * the simulation's own meters (Flukso, gaps, other rounding) play no
 * part, so a key that fits exactly differs by 0.
 *
 * Candidates: the scenario's sharing as configured; then, unless it is
 * the same, proportional, fixed (one round and until done) and hybrid
 * with the scenario's weights (equal weights when it has none); then
 * fixed with weights fitted by least squares, one round and until done.
 * The fit: under `fixed`, an unsaturated member receives a_i = w_i · S,
 * so over the quarter-hours where the operator gave it less than its
 * demand, w_i = Σ a_i S / Σ S² (the least-squares slope through 0); a
 * member always saturated takes the smallest weight that saturates it,
 * max a_i / S. Weights summing above 1 are scaled to 1.
 * The measure: Σ over members and quarter-hours of |a_key − a_operator|,
 * and that divided by the operator's Σ a (0 % = the same allocation).
 *
 * Workload: one pass of the block loop per candidate (at most eight)
 * over the period; memory: one allocation series per participant.
 */
#include "engine/analyse/reconcile_fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/sharing/sharing.h"

/* The operator's D and X of every participant, as the block loop reads
 * them (NaN where it has no data). */
struct fit_data {
	size_t n, nt;
	struct cab_share_member *m;
	double *arena; /* D, X, a of every participant */
	double sum_a;  /* Σ the operator's shared offtake */
};

static void release(struct fit_data *d)
{
	free(d->m);
	free(d->arena);
}

static enum cab_status prepare(const struct cab_operator *op, size_t nt,
			       struct fit_data *d, struct cab_err *err)
{
	d->n = op->n;
	d->nt = nt;
	d->m = calloc(d->n + 1, sizeof(*d->m));
	d->arena = malloc((3 * d->n * nt + 1) * sizeof(double));
	if (!d->m || !d->arena)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < d->n; i++) {
		double *c = d->arena + 3 * i * nt, *p = c + nt, *a = p + nt;
		const struct cab_operator_member *om = &op->p[i];
		for (size_t t = 0; t < nt; t++) {
			c[t] = p[t] = NAN;
			if (!om->has_data)
				continue;
			double v[CAB_OPVOL_COUNT];
			bool ok = true;
			for (int k = 0; k < CAB_OPVOL_COUNT; k++)
				ok &= !isnan(v[k] = om->kwh[k][t]);
			if (!ok)
				continue;
			c[t] = v[CAB_OPVOL_SHARED_OFFTAKE] +
			       v[CAB_OPVOL_GRID_OFFTAKE];
			p[t] = v[CAB_OPVOL_SHARED_INJECTION] +
			       v[CAB_OPVOL_GRID_INJECTION];
			d->sum_a += v[CAB_OPVOL_SHARED_OFFTAKE];
		}
		d->m[i] = (struct cab_share_member){.consumption_kwh = c,
						    .production_kwh = p,
						    .is_net = true,
						    .shared_kwh = a};
	}
	return CAB_OK;
}

/* Least-squares fixed weights of one pool (see the header comment). */
static void fit_weights(const struct cab_pool *p, const struct cab_operator *op,
			const struct fit_data *d, double *w)
{
	double *num = calloc(p->n + 1, sizeof(double));
	double *den = calloc(p->n + 1, sizeof(double));
	double *floor_w = calloc(p->n + 1, sizeof(double));
	if (!num || !den || !floor_w)
		goto done;
	for (size_t t = 0; t < d->nt; t++) {
		double s = 0;
		for (size_t j = 0; j < p->n; j++) {
			double x = d->m[p->member[j]].production_kwh[t];
			if (!isnan(x) &&
			    !isnan(d->m[p->member[j]].consumption_kwh[t]))
				s += x;
		}
		if (!(s > 1e-9))
			continue;
		for (size_t j = 0; j < p->n; j++) {
			size_t i = p->member[j];
			double dem = d->m[i].consumption_kwh[t];
			if (isnan(dem))
				continue;
			double a = op->p[i].kwh[CAB_OPVOL_SHARED_OFFTAKE][t];
			if (a < dem - 1e-6) {
				num[j] += a * s;
				den[j] += s * s;
			} else if (a / s > floor_w[j]) {
				floor_w[j] = a / s;
			}
		}
	}
	double sum = 0;
	for (size_t j = 0; j < p->n; j++) {
		w[j] = den[j] > 0 ? num[j] / den[j] : floor_w[j];
		if (w[j] < 0)
			w[j] = 0;
		sum += w[j];
	}
	for (size_t j = 0; sum > 1 && j < p->n; j++)
		w[j] /= sum;
done:
	free(num);
	free(den);
	free(floor_w);
}

/* One candidate key. */
struct candidate {
	const char *key;
	bool is_until_done, is_scenario, is_fitted;
};

/* Replay candidate c; fill f. */
static enum cab_status try_key(const struct cab_run *run,
			       const struct cab_operator *op,
			       struct fit_data *d, const struct candidate *c,
			       struct cab_key_fit *f, struct cab_err *err)
{
	struct cab_sharing sh = run->sharing;
	const struct cab_scenario *sc = run->sc;
	if (!c->is_scenario) {
		snprintf(sh.key, sizeof sh.key, "%s", c->key);
		sh.is_until_done = c->is_until_done;
	}
	struct cab_pool *pools = NULL;
	size_t n_pools = 0;
	enum cab_status st =
	    cab_pools_new(sc, -1, &sh, d->m, d->nt, &pools, &n_pools, err);
	if (st != CAB_OK)
		return st;
	snprintf(f->key, sizeof f->key, "%s", sh.key);
	f->is_scenario = c->is_scenario;
	f->is_until_done = sh.is_until_done;
	f->is_equal = !sh.has_weights;
	f->is_fitted = c->is_fitted;
	if (c->is_fitted) {
		f->is_equal = false;
		f->weights = calloc(run->n + 1, sizeof(double));
		if (!f->weights)
			st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		for (size_t k = 0; k < n_pools && st == CAB_OK; k++) {
			struct cab_pool *p = &pools[k];
			fit_weights(p, op, d, p->weight);
			for (size_t j = 0; j < p->n; j++)
				f->weights[p->member[j]] = p->weight[j];
			p->ops->free_state(p->state);
			p->state = NULL;
			struct cab_key_params kp = {.n = p->n,
						    .weight = p->weight,
						    .is_until_done =
							sh.is_until_done,
						    .group = p->group,
						    .value = p->value};
			st = p->ops->configure(&kp, &p->state, err);
		}
	}
	snprintf(f->label, sizeof f->label, "%s%s%s%s",
		 c->is_scenario ? "scenario: " : "", sh.key,
		 sh.is_until_done && !strcmp(sh.key, "fixed") ? ", until done"
							      : "",
		 c->is_fitted  ? ", fitted weights"
		 : f->is_equal ? ", equal weights"
			       : "");
	if (st == CAB_OK) {
		struct cab_indicators ind = {0};
		st = cab_share_period(pools, n_pools, &sh, sc, d->m, d->nt,
				      &ind, err);
	}
	if (st == CAB_OK) {
		for (size_t i = 0; i < d->n; i++) {
			const struct cab_share_member *m = &d->m[i];
			for (size_t t = 0; t < d->nt; t++)
				if (!isnan(m->consumption_kwh[t]))
					f->differ_kwh += fabs(
					    m->shared_kwh[t] -
					    op->p[i]
						.kwh[CAB_OPVOL_SHARED_OFFTAKE]
						    [t]);
		}
		f->differ_rate = d->sum_a > 0 ? f->differ_kwh / d->sum_a : NAN;
	}
	cab_pools_free(pools, n_pools);
	return st;
}

static int cmp_fit(const void *pa, const void *pb)
{
	const struct cab_key_fit *a = pa, *b = pb;
	double x = isnan(a->differ_rate) ? INFINITY : a->differ_rate;
	double y = isnan(b->differ_rate) ? INFINITY : b->differ_rate;
	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(a->label, b->label);
}

long cab_reconcile_best_fit(const struct cab_key_fit *fits, size_t n)
{
	long best = n ? 0 : -1;
	for (size_t k = 1; k < n; k++)
		if (fits[k].differ_rate < fits[best].differ_rate - 0.0005)
			best = (long)k;
	return best;
}

enum cab_status cab_reconcile_fit_keys(const struct cab_run *run,
				       const struct cab_operator *op,
				       struct cab_key_fit **fits, size_t *n,
				       struct cab_err *err)
{
	static const struct candidate standard[] = {
	    {"proportional", false, false, false},
	    {"fixed", false, false, false},
	    {"fixed", true, false, false},
	    {"hybrid", false, false, false},
	    {"fixed", false, false, true},
	    {"fixed", true, false, true},
	};
	size_t n_std = sizeof standard / sizeof *standard;
	*fits = calloc(n_std + 1, sizeof(**fits));
	*n = 0;
	struct fit_data d = {0};
	enum cab_status st =
	    *fits ? prepare(op, run->n_intervals, &d, err)
		  : cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	const struct cab_sharing *sh = &run->sharing;
	struct candidate mine = {sh->key, sh->is_until_done, true, false};
	if (st == CAB_OK)
		st = try_key(run, op, &d, &mine, &(*fits)[(*n)++], err);
	for (size_t k = 0; k < n_std && st == CAB_OK; k++) {
		const struct candidate *c = &standard[k];
		bool is_same = !c->is_fitted && !strcmp(c->key, sh->key) &&
			       (strcmp(c->key, "fixed") ||
				c->is_until_done == sh->is_until_done);
		if (is_same)
			continue;
		st = try_key(run, op, &d, c, &(*fits)[(*n)++], err);
	}
	if (st == CAB_OK && *n > 2)
		qsort(*fits + 1, *n - 1, sizeof(**fits), cmp_fit);
	release(&d);
	if (st != CAB_OK) {
		for (size_t k = 0; k < *n; k++)
			free((*fits)[k].weights);
		free(*fits);
		*fits = NULL;
		*n = 0;
	}
	return st;
}
