/*
 * fit.c — the sharing stage's side of fit-key (SPEC §12): each pool's
 * data of the period handed to the solver of keys/fit.c as plain arrays,
 * the fitted weights put back into the pools' fixed keys.
 *
 * Why here: the solver knows nothing of scenarios or series; this file
 * gathers, per pool, the intervals with shared injection (the only ones
 * a weight acts on): each member's demand D, the pool's S, the value
 * c(t) of a kWh at VAT factor 1 for the pool's locality type and the
 * interval's day or night price (cab_share_value_eur_kwh), and each
 * member's factor 1 + VAT and bounds (sharing.fit.min_weight,
 * max_weight). Candidates are the members with demand in the period:
 * the others get no weight and fit.json does not list them.
 *
 * Workload: one pass over the members' series per pool, then the solver;
 * the demand matrix of a pool is members × intervals with S > 0 (60 × ~
 * 17,500 doubles for a year: 8 MB).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sharing/sharing.h"

/* The fit problem of pool p into f (arrays malloc'd here, freed by
 * release). */
struct problem {
	struct cab_fit_problem f;
	double *demand, *supply, *value, *factor, *lo, *hi;
	bool *cand;
};

static void release(struct problem *q)
{
	free(q->demand);
	free(q->supply);
	free(q->value);
	free(q->factor);
	free(q->lo);
	free(q->hi);
	free(q->cand);
}

static enum cab_status build(const struct cab_scenario *sc,
			     const struct cab_sharing *sh,
			     const struct cab_pool *p,
			     const struct cab_share_member *m,
			     const struct cab_calendar *cal, struct problem *q)
{
	size_t n = p->n, nt = cal->n_intervals, n_t = 0;
	memset(q, 0, sizeof *q);
	size_t nn = n ? n : 1;
	q->factor = malloc(nn * sizeof(double));
	q->lo = malloc(nn * sizeof(double));
	q->hi = malloc(nn * sizeof(double));
	q->cand = malloc(nn * sizeof(bool));
	q->supply = malloc((nt ? nt : 1) * sizeof(double));
	q->value = malloc((nt ? nt : 1) * sizeof(double));
	if (!q->factor || !q->lo || !q->hi || !q->cand || !q->supply ||
	    !q->value)
		return CAB_ENOMEM;
	for (size_t j = 0; j < n; j++) {
		size_t i = p->member[j];
		q->factor[j] = 1 + sc->participants[i].vat;
		q->cand[j] = p->has_demand[j];
		q->lo[j] = sh->fit_min_weight ? sh->fit_min_weight[i] : 0;
		q->hi[j] = sh->fit_max_weight ? sh->fit_max_weight[i] : 1;
	}
	/* The intervals with shared injection and some demand, first
	 * counted, then gathered row by row. */
	for (size_t t = 0; t < nt; t++) {
		double s = 0, dsum = 0, d, x;
		for (size_t j = 0; j < n; j++) {
			cab_share_dx(&m[p->member[j]], t, &d, &x);
			s += x;
			dsum += d;
		}
		if (s > 0 && dsum > 0) {
			q->supply[n_t] = s;
			q->value[n_t] = cab_share_value_eur_kwh(
			    &sc->tariff, sh, p->locality, cal->is_day[t], 0);
			n_t++;
		}
	}
	q->demand = malloc((n_t ? n_t : 1) * nn * sizeof(double));
	if (!q->demand)
		return CAB_ENOMEM;
	size_t k = 0;
	for (size_t t = 0; t < nt && k < n_t; t++) {
		double s = 0, dsum = 0, d, x;
		double *row = q->demand + k * n;
		for (size_t j = 0; j < n; j++) {
			cab_share_dx(&m[p->member[j]], t, &d, &x);
			row[j] = d;
			s += x;
			dsum += d;
		}
		if (s > 0 && dsum > 0)
			k++;
	}
	q->f = (struct cab_fit_problem){
	    .n = n,
	    .n_t = n_t,
	    .demand = q->demand,
	    .supply = q->supply,
	    .value = q->value,
	    .factor = q->factor,
	    .min_weight = q->lo,
	    .max_weight = q->hi,
	    .is_candidate = q->cand,
	    .is_until_done = sh->is_until_done,
	};
	return CAB_OK;
}

/* The bounds of pool p's members with demand must admit Σ w = 1:
 * reported at where.fit.min_weight or max_weight (cabin k, SIZE_MAX for
 * the community). */
static enum cab_status check_bounds(const struct cab_scenario *sc,
				    const char *where, const struct cab_pool *p,
				    size_t k, const struct cab_fit_problem *f,
				    struct cab_err *err)
{
	double lo = 0, hi = 0;
	size_t n_cand = 0;
	for (size_t j = 0; j < p->n; j++) {
		if (!f->is_candidate[j])
			continue;
		lo += f->min_weight[j];
		hi += f->max_weight[j];
		n_cand++;
	}
	char pool[160] = "";
	if (k != SIZE_MAX)
		snprintf(pool, sizeof pool, " of cabin '%s'", sc->cabins[k].id);
	if (lo > 1 + 1e-9)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: %s.fit.min_weight: the %zu participants "
		    "with demand%s have lower bounds summing to "
		    "%g (expected at most 1)",
		    sc->path, where, n_cand, pool, lo);
	if (hi < 1 - 1e-9)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: %s.fit.max_weight: the %zu participants "
		    "with demand%s have upper bounds summing to "
		    "%g (expected at least 1, their weights sum "
		    "to 1)",
		    sc->path, where, n_cand, pool, hi);
	return CAB_OK;
}

enum cab_status cab_share_fit(const struct cab_scenario *sc, const char *where,
			      const struct cab_sharing *sh,
			      struct cab_pool *pools, size_t n_pools,
			      const struct cab_share_member *m,
			      const struct cab_calendar *cal,
			      double *fit_weight, struct cab_fit_report *rep,
			      struct cab_err *err)
{
	size_t n = sc->n_participants;
	enum cab_status st = CAB_OK;
	*rep = (struct cab_fit_report){.is_fitted = true,
				       .is_until_done = sh->is_until_done};
	if (sh->is_without_self_share)
		return cab_err_add(err, CAB_EINPUT,
				   "%s: %s.self_share: key 'fit' fits "
				   "the fixed key with each member's own "
				   "surplus in its pool (expected self_share "
				   "true or absent)",
				   sc->path, where);
	double *w = calloc(n ? n : 1, sizeof *w);
	double *pw = NULL;
	if (!w)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		fit_weight[i] = NAN;
	for (size_t k = 0; k < n_pools && st == CAB_OK; k++) {
		struct cab_pool *p = &pools[k];
		size_t n_cand = 0;
		for (size_t j = 0; j < p->n; j++)
			n_cand += p->has_demand[j];
		if (n_cand == 0)
			continue; /* nobody to give a weight to */
		struct problem q = {0};
		struct cab_fit_outcome o;
		free(pw);
		pw = malloc((p->n ? p->n : 1) * sizeof *pw);
		st = pw ? build(sc, sh, p, m, cal, &q) : CAB_ENOMEM;
		if (st == CAB_OK) {
			struct cab_err e;
			cab_err_init(&e);
			st =
			    check_bounds(sc, where, p,
					 n_pools > 1 ? k : SIZE_MAX, &q.f, err);
			if (st == CAB_OK)
				st = cab_key_fit(&q.f, pw, &o, &e);
			if (st == CAB_EINPUT && e.text) {
				char pool[160] = "";
				if (n_pools > 1)
					snprintf(
					    pool, sizeof pool,
					    "cabin '%s': ", sc->cabins[k].id);
				size_t len = strcspn(e.text, "\n");
				cab_err_add(
				    err, st, "%s: %s.price_eur_kwh: %s%.*s",
				    sc->path, where, pool, (int)len, e.text);
			}
			cab_err_release(&e);
		}
		if (st == CAB_OK) {
			for (size_t j = 0; j < p->n; j++) {
				w[p->member[j]] = pw[j];
				if (p->has_demand[j])
					fit_weight[p->member[j]] = pw[j];
			}
			rep->shared_kwh += o.shared_kwh;
			rep->saving_eur += o.saving;
			rep->optimum_shared_kwh += o.optimum_shared_kwh;
			rep->optimum_saving_eur += o.optimum_saving;
			rep->one_round_saving_eur += o.one_round_saving;
			rep->evaluations += o.evaluations;
		}
		release(&q);
	}
	if (st == CAB_OK) {
		rep->loss_pct =
		    rep->optimum_saving_eur > 0
			? 100 * (rep->optimum_saving_eur - rep->saving_eur) /
			      rep->optimum_saving_eur
			: 0;
		st = cab_pools_set_weights(pools, n_pools, w, err);
	} else if (st == CAB_ENOMEM) {
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	free(w);
	free(pw);
	return st;
}
