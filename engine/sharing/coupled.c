/*
 * coupled.c — the sharing stage's side of the coupled optimum (SPEC §4,
 * §12): the assembly's constraints ("sharing.constraints") turned into
 * the rows of keys/optimal_coupled.c, the period's data into its slots,
 * its allocation written into the members' series for the block loop to
 * replay, and an infeasible set named with the largest value that can be
 * met.
 *
 * The rows:
 *   min_self_sufficiency m_i   Σ_t a_i ≥ m_i·C_i − O_i (participants with
 *                              consumption; a target its own production
 *                              already meets needs no row)
 *   community_min_…      m     Σ_t Σ_i a_i ≥ m·ΣC − ΣO
 *   no_bill_above_alone        saving_i = Σ_t v_i·a_i + κ·given_i ≥ 0,
 *                              κ = sharing price − injection price; only
 *                              when a v < 0 or κ < 0 (else every
 *                              allocation meets it: the row is left out)
 *   "objective": "fairness"    saving_i − z·V_i ≥ 0, maximise z, then the
 *                              saving; V_i = Σ v_i·D_i over the slots,
 *                              what i would save if all its demand were
 *                              shared: z is the smallest share of that
 *                              possible saving any member gets
 * The bill − baseline is −saving_i before the lines are rounded, so a
 * bill can exceed its baseline by the rounding of its lines (≤ half a
 * cent each).
 *
 * Workload: one pass over the members' series to build the slots
 * (entries: members × intervals with demand and shared injection), the
 * solver, one pass to write a back. Memory: ~20 bytes per entry (20 MB
 * for a year of 60 participants).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/sharing/sharing.h"

struct slots {
	struct cab_coupled_problem p;
	size_t *first, *pfirst;
	unsigned *who, *pwho;
	double *demand, *supply, *value, *pshare, *factor;
	size_t *pool, *t; /* per slot: its pool and interval */
	struct cab_coupled_row *rows;
	double *alloc;
	double *c_kwh, *o_kwh, *possible; /* per participant */
	const char **row_what;		  /* per row: its JSON key */
};

static void slots_release(struct slots *q)
{
	free(q->first);
	free(q->pfirst);
	free(q->who);
	free(q->pwho);
	free(q->demand);
	free(q->supply);
	free(q->value);
	free(q->pshare);
	free(q->factor);
	free(q->pool);
	free(q->t);
	free(q->rows);
	free(q->alloc);
	free(q->c_kwh);
	free(q->o_kwh);
	free(q->possible);
	free(q->row_what);
}

/* Count, then fill, the slots of every pool. */
static bool build_slots(const struct cab_scenario *sc,
			const struct cab_sharing *sh,
			const struct cab_pool *pools, size_t n_pools,
			const struct cab_share_member *m,
			const struct cab_calendar *cal, struct slots *q)
{
	size_t n = sc->n_participants, nt = cal->n_intervals;
	size_t ns = 0, ne = 0, npr = 0;
	double d, x;
	for (int pass = 0; pass < 2; pass++) {
		size_t u = 0, e = 0, r = 0;
		for (size_t k = 0; k < n_pools; k++) {
			const struct cab_pool *p = &pools[k];
			for (size_t t = 0; t < nt; t++) {
				double s = 0, dd = 0;
				for (size_t j = 0; j < p->n; j++) {
					cab_share_dx(&m[p->member[j]], t, &d,
						     &x);
					s += x, dd += d;
				}
				if (!(s > 0) || !(dd > 0))
					continue;
				if (pass == 1) {
					q->first[u] = e, q->pfirst[u] = r;
					q->supply[u] = s;
					q->pool[u] = k, q->t[u] = t;
					q->value[u] = cab_share_value_eur_kwh(
					    &sc->tariff, sh, p->locality,
					    cal->is_day[t], 0);
				}
				for (size_t j = 0; j < p->n; j++) {
					size_t i = p->member[j];
					cab_share_dx(&m[i], t, &d, &x);
					if (d > 0 && pass == 1)
						q->who[e] = (unsigned)i,
						q->demand[e] = d;
					if (x > 0 && pass == 1)
						q->pwho[r] = (unsigned)i,
						q->pshare[r] = x / s;
					e += d > 0;
					r += x > 0;
				}
				u++;
			}
		}
		if (pass == 0) {
			ns = u, ne = e, npr = r;
			q->first = malloc((ns + 1) * sizeof(size_t));
			q->pfirst = malloc((ns + 1) * sizeof(size_t));
			q->supply = malloc((ns ? ns : 1) * sizeof(double));
			q->value = malloc((ns ? ns : 1) * sizeof(double));
			q->pool = malloc((ns ? ns : 1) * sizeof(size_t));
			q->t = malloc((ns ? ns : 1) * sizeof(size_t));
			q->who = malloc((ne ? ne : 1) * sizeof(unsigned));
			q->demand = malloc((ne ? ne : 1) * sizeof(double));
			q->alloc = calloc(ne ? ne : 1, sizeof(double));
			q->pwho = malloc((npr ? npr : 1) * sizeof(unsigned));
			q->pshare = malloc((npr ? npr : 1) * sizeof(double));
			if (!q->first || !q->pfirst || !q->supply ||
			    !q->value || !q->pool || !q->t || !q->who ||
			    !q->demand || !q->alloc || !q->pwho || !q->pshare)
				return false;
		} else {
			q->first[u] = e, q->pfirst[u] = r;
		}
	}
	q->factor = malloc((n ? n : 1) * sizeof(double));
	q->c_kwh = calloc(n ? n : 1, sizeof(double));
	q->o_kwh = calloc(n ? n : 1, sizeof(double));
	q->possible = calloc(n ? n : 1, sizeof(double));
	if (!q->factor || !q->c_kwh || !q->o_kwh || !q->possible)
		return false;
	for (size_t i = 0; i < n; i++) {
		q->factor[i] = 1 + sc->participants[i].vat;
		for (size_t t = 0; t < nt; t++) {
			double c = m[i].consumption_kwh[t], o;
			if (isnan(c))
				continue;
			cab_own_split(c, m[i].production_kwh[t], m[i].is_net,
				      &o, &d, &x);
			q->c_kwh[i] += c;
			q->o_kwh[i] += o;
		}
	}
	for (size_t u = 0; u < ns; u++)
		for (size_t e = q->first[u]; e < q->first[u + 1]; e++)
			q->possible[q->who[e]] +=
			    q->value[u] * q->factor[q->who[e]] * q->demand[e];
	q->p = (struct cab_coupled_problem){
	    .n = n,
	    .n_slots = ns,
	    .first = q->first,
	    .who = q->who,
	    .demand = q->demand,
	    .supply = q->supply,
	    .value = q->value,
	    .factor = q->factor,
	    .pfirst = q->pfirst,
	    .pwho = q->pwho,
	    .pshare = q->pshare,
	    .kappa = sh->price_eur_kwh - sc->tariff.injection_eur_kwh,
	};
	return true;
}

/* The rows of sh's constraints (and of the fairness objective). */
static bool build_rows(const struct cab_scenario *sc,
		       const struct cab_sharing *sh, struct slots *q)
{
	size_t n = sc->n_participants, nr = 0;
	q->rows = malloc((3 * n + 1) * sizeof *q->rows);
	q->row_what = malloc((3 * n + 1) * sizeof *q->row_what);
	if (!q->rows || !q->row_what)
		return false;
	for (size_t i = 0; sh->min_self_sufficiency && i < n; i++) {
		double t = sh->min_self_sufficiency[i];
		double need = t * q->c_kwh[i] - q->o_kwh[i];
		if (isnan(t) || !(q->c_kwh[i] > 0) || need <= 1e-12)
			continue;
		q->row_what[nr] = "min_self_sufficiency";
		q->rows[nr++] =
		    (struct cab_coupled_row){CAB_ROW_SELF, i, need, 0};
	}
	double c_all = 0, o_all = 0;
	for (size_t i = 0; i < n; i++)
		c_all += q->c_kwh[i], o_all += q->o_kwh[i];
	double cm = sh->community_min_self_sufficiency;
	if (!isnan(cm) && c_all > 0 && cm * c_all - o_all > 1e-12) {
		q->row_what[nr] = "community_min_self_sufficiency";
		q->rows[nr++] = (struct cab_coupled_row){CAB_ROW_COMMUNITY, 0,
							 cm * c_all - o_all, 0};
	}
	bool can_lose = q->p.kappa < 0;
	for (size_t u = 0; u < q->p.n_slots && !can_lose; u++)
		can_lose = q->value[u] < 0;
	for (size_t i = 0; sh->is_no_bill_above_alone && can_lose && i < n;
	     i++) {
		q->row_what[nr] = "no_bill_above_alone";
		q->rows[nr++] =
		    (struct cab_coupled_row){CAB_ROW_SAVING, i, 0, 0};
	}
	for (size_t i = 0; sh->is_fairness_first && i < n; i++) {
		if (!(q->possible[i] > 0))
			continue;
		q->row_what[nr] = "objective";
		q->rows[nr++] = (struct cab_coupled_row){CAB_ROW_SAVING, i, 0,
							 q->possible[i]};
	}
	q->p.rows = q->rows;
	q->p.n_rows = nr;
	q->p.is_max_z = sh->is_fairness_first;
	q->p.z_max = 10;
	return true;
}

/* Infeasible: the largest value of the binding constraint that can be
 * met (by everyone when it was given as one number), as an error. */
static enum cab_status infeasible(const struct cab_scenario *sc,
				  const char *where,
				  const struct cab_sharing *sh, struct slots *q,
				  size_t worst, struct cab_err *err)
{
	const struct cab_coupled_row *w = &q->rows[worst];
	size_t nr = q->p.n_rows;
	struct cab_coupled_row *rows = malloc((nr ? nr : 1) * sizeof *rows);
	double *alloc = calloc(q->first[q->p.n_slots] + 1, sizeof *alloc);
	if (!rows || !alloc) {
		free(rows);
		free(alloc);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	/* The binding rows get z: Σ a − C·z ≥ −O, z the self-sufficiency. */
	bool is_all =
	    w->kind == CAB_ROW_SELF && sh->is_min_self_sufficiency_for_all;
	double c_all = 0, o_all = 0;
	for (size_t i = 0; i < sc->n_participants; i++)
		c_all += q->c_kwh[i], o_all += q->o_kwh[i];
	for (size_t k = 0; k < nr; k++) {
		rows[k] = q->rows[k];
		bool is_z =
		    k == worst || (is_all && rows[k].kind == CAB_ROW_SELF);
		if (!is_z)
			continue;
		if (rows[k].kind == CAB_ROW_SELF) {
			rows[k].b_z = q->c_kwh[rows[k].who];
			rows[k].rhs = -q->o_kwh[rows[k].who];
		} else {
			rows[k].b_z = c_all;
			rows[k].rhs = -o_all;
		}
	}
	struct cab_coupled_problem p = q->p;
	p.rows = rows;
	p.is_max_z = true;
	p.z_max = 1;
	struct cab_coupled_result r;
	struct cab_err e;
	cab_err_init(&e);
	enum cab_status st = cab_key_coupled_solve(&p, alloc, &r, &e);
	cab_err_release(&e);
	free(rows);
	free(alloc);
	const char *id =
	    w->kind == CAB_ROW_COMMUNITY ? "" : sc->participants[w->who].id;
	if (w->kind == CAB_ROW_COMMUNITY)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: %s.constraints.community_min_self_sufficiency: %g "
		    "cannot be met%s: the largest feasible value is %.4f",
		    sc->path, where, sh->community_min_self_sufficiency,
		    nr > 1 ? " with the other constraints" : "",
		    st == CAB_OK && r.is_feasible ? floor(r.z * 1e4) / 1e4 : 0);
	if (is_all)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: %s.constraints.min_self_sufficiency: %g cannot be "
		    "met by every participant ('%s' falls short first): the "
		    "largest value all can meet is %.4f",
		    sc->path, where, sh->min_self_sufficiency[w->who], id,
		    st == CAB_OK && r.is_feasible ? floor(r.z * 1e4) / 1e4 : 0);
	if (w->kind == CAB_ROW_SELF)
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: %s.constraints.min_self_sufficiency.%s: %g cannot be "
		    "met%s: the largest feasible value for '%s' is %.4f",
		    sc->path, where, id, sh->min_self_sufficiency[w->who],
		    nr > 1 ? " with the other constraints" : "", id,
		    st == CAB_OK && r.is_feasible ? floor(r.z * 1e4) / 1e4 : 0);
	return cab_err_add(err, CAB_EINPUT,
			   "%s: %s.constraints.%s: cannot be met for '%s' "
			   "with the other constraints",
			   sc->path, where, q->row_what[worst], id);
}

enum cab_status cab_share_coupled(const struct cab_scenario *sc,
				  const char *where,
				  const struct cab_sharing *sh,
				  struct cab_pool *pools, size_t n_pools,
				  const struct cab_share_member *m,
				  const struct cab_calendar *cal,
				  struct cab_lp_report *lp, struct cab_err *err)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct slots q = {0};
	enum cab_status st = CAB_ENOMEM;
	if (!build_slots(sc, sh, pools, n_pools, m, cal, &q) ||
	    !build_rows(sc, sh, &q)) {
		st = cab_err_add(err, CAB_ENOMEM, "out of memory");
		goto done;
	}
	struct cab_coupled_result r;
	st = cab_key_coupled_solve(&q.p, q.alloc, &r, err);
	if (st != CAB_OK)
		goto done;
	if (!r.is_feasible) {
		st = infeasible(sc, where, sh, &q, r.worst_row, err);
		goto done;
	}
	/* Write a into the members' series: 0 outside the slots. */
	for (size_t k = 0; k < n_pools; k++) {
		for (size_t j = 0; j < pools[k].n; j++) {
			double *a = m[pools[k].member[j]].shared_kwh;
			for (size_t t = 0; t < cal->n_intervals; t++)
				a[t] = 0;
		}
		pools[k].is_replay = true;
	}
	for (size_t u = 0; u < q.p.n_slots; u++)
		for (size_t e = q.first[u]; e < q.first[u + 1]; e++)
			m[q.who[e]].shared_kwh[q.t[u]] = q.alloc[e];
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*lp = (struct cab_lp_report){
	    .is_solved = true,
	    .objective = r.objective,
	    .seconds = (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
	    .gap = r.bound - r.objective > 0 ? r.bound - r.objective : 0,
	    .iterations = r.iterations,
	};
	snprintf(lp->status, sizeof lp->status, "%s",
		 r.is_optimal ? "optimal" : "feasible");
done:
	slots_release(&q);
	return st;
}
