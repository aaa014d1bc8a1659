/*
 * optimal_coupled.c — the optimal key when the assembly's constraints
 * couple the quarter-hours (SPEC §4, §12): no bill above the stand-alone
 * bill, a minimum self-sufficiency per participant or for the community,
 * the max–min relative saving. With keys/optimal.c, the only GLPK user.
 *
 * Why a decomposition: a year of 60 participants is ~2 M allocation
 * variables a_i(t), and handing GLPK that programme whole takes minutes
 * and gigabytes. But the constraints that couple the intervals are few
 * (one row per constrained participant, one for the community); the rest
 * — Σ a ≤ S and 0 ≤ a ≤ D — separates by pool-interval ("slot"). So
 * (Dantzig–Wolfe) the programme is rewritten over convex combinations of
 * whole-period allocations ("columns"):
 *
 *     maximise   Σ_j μ_j·obj_j  (+ z)
 *     subject to Σ_j μ_j = 1,   Σ_j μ_j·g_k(j) − b_k·z ≥ rhs_k,  μ ≥ 0
 *
 * This master has as many rows as constraints; GLPK solves it. Its duals
 * λ_k price each constraint, and the best new column for those prices
 * separates again: in each slot, give S to the members in decreasing
 * order of ṽ_i = v_i + Σ_k λ_k·(coefficient of a_i in row k), while
 * ṽ > 0 (members of equal ṽ pro rata of demand, the fairest of the
 * optimal splits). The same pricing gives an upper bound (the Lagrangian
 * dual): bound = Σ_slots max ṽ·a − Σ λ·rhs + max_z (w_z − Σ λ·b)·z,
 * so the gap bound − objective is known at every iteration: the result
 * is within it of the optimum of the full programme. Phase 1 first finds
 * a feasible combination (artificial slacks, maximise −Σ slack); a
 * phase-1 bound below 0 proves the constraints infeasible. The final
 * allocation is Σ μ_j·a(j), each column regenerated from the prices that
 * made it (columns are never stored).
 *
 * Workload: a pricing pass reads every entry once (members × slots, ~1 M
 * for a year of 60) and sorts the members of a slot only when its supply
 * falls short; a few hundred master programmes of ≤ 1,000 rows.
 *
 * GLPK aborts on misuse: bounds are checked finite before each call and
 * glp_error_hook turns an internal error into CAB_EINTERNAL.
 */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

#define DEFAULT_ITERATIONS 3000
#define DEFAULT_GAP 1e-6

/* Prices of one pricing pass: the objective weight and a λ per row. */
struct prices {
	double w;	   /* weight of Σ v·a */
	const double *lam; /* n_rows, ≥ 0 */
};

/* Per-member sums of the prices, the rows each member enters, and
 * scratch for one slot. */
struct item {
	double vt; /* ṽ of the entry */
	size_t k;  /* the entry within its slot */
};

struct scratch {
	double *self_l;	   /* n: Σ λ of the member's SELF rows */
	double *mu;	   /* n: Σ λ of the member's SAVING rows */
	double comm;	   /* Σ λ of the COMMUNITY rows */
	struct item *it;   /* per entry of a slot */
	double *a;	   /* per entry of a slot: a */
	size_t *rfirst;	   /* n + 1: the member's rows in rows_of */
	size_t *rows_of;   /* its SELF and SAVING rows */
	size_t *comm_rows; /* the COMMUNITY rows */
	size_t n_comm;
};

struct column {
	double obj;  /* Σ v·a */
	double *g;   /* n_rows row values */
	double *lam; /* n_rows prices it was priced at; NULL: a = 0 */
	double w;
};

struct solver {
	const struct cab_coupled_problem *p;
	struct scratch sc;
	struct column *cols;
	size_t n_cols, cap;
	glp_prob *lp;
	glp_smcp parm;
	size_t max_slot; /* most entries in a slot */
};

static jmp_buf *hook_env;

static void on_glpk_error(void *info)
{
	(void)info;
	if (hook_env)
		longjmp(*hook_env, 1);
}

static int by_vt_desc(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->vt != b->vt)
		return a->vt > b->vt ? -1 : 1;
	return a->k < b->k ? -1 : a->k > b->k;
}

/* One pricing pass: every slot's best allocation for the prices. Adds
 * row values into g (zeroed here, may be NULL), returns Σ ṽ·a, *obj =
 * Σ v·a. With alloc, adds weight·a into it. */
static double price(struct solver *s, const struct prices *pr, double *obj,
		    double *g, double *alloc, double weight)
{
	const struct cab_coupled_problem *p = s->p;
	struct scratch *sc = &s->sc;
	for (size_t i = 0; i < p->n; i++)
		sc->self_l[i] = sc->mu[i] = 0;
	sc->comm = 0;
	for (size_t k = 0; k < p->n_rows; k++) {
		double l = pr->lam ? pr->lam[k] : 0;
		const struct cab_coupled_row *r = &p->rows[k];
		if (r->kind == CAB_ROW_SELF)
			sc->self_l[r->who] += l;
		else if (r->kind == CAB_ROW_SAVING)
			sc->mu[r->who] += l;
		else
			sc->comm += l;
		if (g)
			g[k] = 0;
	}
	double total = 0, o = 0;
	for (size_t u = 0; u < p->n_slots; u++) {
		size_t e0 = p->first[u], m = p->first[u + 1] - e0;
		double c = p->value[u], supply = p->supply[u];
		double base = sc->comm;
		for (size_t q = p->pfirst[u]; q < p->pfirst[u + 1]; q++)
			base += p->kappa * sc->mu[p->pwho[q]] * p->pshare[q];
		double need = 0;
		size_t n_pos = 0;
		for (size_t k = 0; k < m; k++) {
			unsigned i = p->who[e0 + k];
			double v = c * p->factor[i];
			double vt =
			    v * (pr->w + sc->mu[i]) + sc->self_l[i] + base;
			sc->a[k] = 0;
			if (vt > 0) {
				need += p->demand[e0 + k];
				sc->it[n_pos++] = (struct item){vt, k};
			}
		}
		if (need <= supply) {
			/* Everyone worth serving is served in full. */
			for (size_t q = 0; q < n_pos; q++)
				sc->a[sc->it[q].k] =
				    p->demand[e0 + sc->it[q].k];
		} else {
			qsort(sc->it, n_pos, sizeof *sc->it, by_vt_desc);
			double rest = supply;
			for (size_t q = 0; q < n_pos && rest > 0;) {
				double top = sc->it[q].vt;
				size_t e = q;
				double dem = 0;
				while (e < n_pos && sc->it[e].vt == top)
					dem += p->demand[e0 + sc->it[e++].k];
				/* Equal values share pro rata of demand. */
				double f = dem <= rest ? 1 : rest / dem;
				for (size_t j = q; j < e; j++)
					sc->a[sc->it[j].k] =
					    p->demand[e0 + sc->it[j].k] * f;
				rest -= dem * f;
				q = e;
			}
		}
		double sum_a = 0;
		for (size_t q = 0; q < n_pos; q++) {
			size_t k = sc->it[q].k;
			double a = sc->a[k];
			if (a == 0)
				continue;
			unsigned i = p->who[e0 + k];
			double v = c * p->factor[i];
			total += sc->it[q].vt * a;
			o += v * a;
			sum_a += a;
			if (alloc)
				alloc[e0 + k] += weight * a;
			for (size_t r = sc->rfirst[i];
			     g && r < sc->rfirst[i + 1]; r++) {
				size_t row = sc->rows_of[r];
				g[row] += p->rows[row].kind == CAB_ROW_SELF
					      ? a
					      : v * a;
			}
		}
		if (!g || sum_a <= 0)
			continue;
		for (size_t r = 0; r < sc->n_comm; r++)
			g[sc->comm_rows[r]] += sum_a;
		/* What each producer gave, pro rata of its surplus. */
		for (size_t q = p->pfirst[u];
		     p->kappa != 0 && q < p->pfirst[u + 1]; q++) {
			unsigned i = p->pwho[q];
			for (size_t r = sc->rfirst[i]; r < sc->rfirst[i + 1];
			     r++) {
				size_t row = sc->rows_of[r];
				if (p->rows[row].kind == CAB_ROW_SAVING)
					g[row] +=
					    p->kappa * p->pshare[q] * sum_a;
			}
		}
	}
	*obj = o;
	return total;
}

static void solver_release(struct solver *s)
{
	for (size_t j = 0; j < s->n_cols; j++) {
		free(s->cols[j].g);
		free(s->cols[j].lam);
	}
	free(s->cols);
	free(s->sc.self_l);
	free(s->sc.mu);
	free(s->sc.it);
	free(s->sc.a);
	free(s->sc.rfirst);
	free(s->sc.rows_of);
	free(s->sc.comm_rows);
	if (s->lp)
		glp_delete_prob(s->lp);
}

/* Add the column priced at (w, lam) — its Σ v·a `obj` and row values g
 * (copied), or a = 0 when lam is NULL — to the master with objective
 * coefficient obj_weight·obj; false on OOM. */
static bool add_column(struct solver *s, double w, const double *lam,
		       double obj, const double *g, double obj_weight)
{
	const struct cab_coupled_problem *p = s->p;
	size_t nr = p->n_rows;
	if (s->n_cols == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct column *grown = realloc(s->cols, cap * sizeof *grown);
		if (!grown)
			return false;
		s->cols = grown;
		s->cap = cap;
	}
	struct column *c = &s->cols[s->n_cols];
	*c = (struct column){.w = w, .obj = lam ? obj : 0};
	c->g = calloc(nr ? nr : 1, sizeof *c->g);
	c->lam = lam ? malloc((nr ? nr : 1) * sizeof *c->lam) : NULL;
	int *ind = malloc((nr + 2) * sizeof *ind);
	double *val = malloc((nr + 2) * sizeof *val);
	if (!c->g || (lam && !c->lam) || !ind || !val) {
		free(c->g);
		free(c->lam);
		free(ind);
		free(val);
		return false;
	}
	for (size_t k = 0; lam && k < nr; k++) {
		c->lam[k] = lam[k];
		c->g[k] = g[k];
	}
	s->n_cols++;
	int j = glp_add_cols(s->lp, 1);
	glp_set_col_bnds(s->lp, j, GLP_LO, 0, 0);
	glp_set_obj_coef(s->lp, j, obj_weight * c->obj);
	int ne = 0;
	ind[++ne] = 1, val[ne] = 1; /* convexity */
	for (size_t k = 0; k < nr; k++)
		if (c->g[k] != 0 && isfinite(c->g[k]))
			ind[++ne] = 2 + (int)k, val[ne] = c->g[k];
	glp_set_mat_col(s->lp, j, ne, ind, val);
	free(ind);
	free(val);
	return true;
}

/* Price at (w, lam) and add the column; false on OOM. */
static bool price_column(struct solver *s, double w, const double *lam,
			 double *g, double obj_weight)
{
	struct prices pr = {w, lam};
	double obj;
	price(s, &pr, &obj, g, NULL, 0);
	return add_column(s, w, lam, obj, g, obj_weight);
}

/* Column numbers in the master: 1 = z, 2..1+nr = slacks, then μ. */
enum { COL_Z = 1, COL_ART0 = 2 };

static void set_phase(struct solver *s, int phase, bool is_z_stage, double z_lo)
{
	const struct cab_coupled_problem *p = s->p;
	size_t nr = p->n_rows;
	glp_prob *lp = s->lp;
	for (size_t k = 0; k < nr; k++) {
		int j = COL_ART0 + (int)k;
		if (phase == 1) {
			glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
			glp_set_obj_coef(lp, j, -1);
		} else {
			glp_set_col_bnds(lp, j, GLP_FX, 0, 0);
			glp_set_obj_coef(lp, j, 0);
		}
	}
	double zmax = p->is_max_z ? p->z_max : 0;
	if (z_lo > zmax)
		z_lo = zmax;
	if (zmax > 0)
		glp_set_col_bnds(lp, COL_Z, GLP_DB, z_lo, zmax);
	else
		glp_set_col_bnds(lp, COL_Z, GLP_FX, 0, 0);
	glp_set_obj_coef(lp, COL_Z, phase == 2 && is_z_stage ? 1 : 0);
	double w = phase == 2 && !is_z_stage ? 1 : 0;
	for (size_t j = 0; j < s->n_cols; j++)
		glp_set_obj_coef(lp, COL_ART0 + (int)nr + (int)j,
				 w * s->cols[j].obj);
}

/* The master from its last basis; when GLPK cannot (a basis made
 * singular by the new columns, numerical trouble as the master grows),
 * scaled from a fresh basis, then by the dual simplex. */
static bool solve_master(struct solver *s)
{
	int rc = glp_simplex(s->lp, &s->parm);
	if (rc == 0 && glp_get_status(s->lp) == GLP_OPT)
		return true;
	/* GLPK prints what glp_adv_basis finds: library code never
	 * prints. */
	int was = glp_term_out(GLP_OFF);
	glp_scale_prob(s->lp, GLP_SF_AUTO);
	glp_adv_basis(s->lp, 0);
	glp_term_out(was);
	rc = glp_simplex(s->lp, &s->parm);
	if (rc == 0 && glp_get_status(s->lp) == GLP_OPT)
		return true;
	glp_smcp dual = s->parm;
	dual.meth = GLP_DUALP;
	glp_std_basis(s->lp);
	rc = glp_simplex(s->lp, &dual);
	return rc == 0 && glp_get_status(s->lp) == GLP_OPT;
}

/* Run column generation in one phase/stage until the gap closes.
 * Returns false on OOM or a master GLPK cannot solve; *lb, *ub: the
 * master objective and the best Lagrangian bound. Stabilised (Wentges):
 * the pricing uses the mean of the master's duals and of the duals that
 * gave the best bound so far, which damps the oscillation of plain
 * column generation; when that column does not improve the master (a
 * mis-price) the master's own duals are priced. */
static bool generate(struct solver *s, int phase, bool is_z_stage, double z_lo,
		     double *lam, size_t *iters, double *lb, double *ub)
{
	const struct cab_coupled_problem *p = s->p;
	size_t nr = p->n_rows;
	size_t max_it =
	    p->max_iterations ? p->max_iterations : DEFAULT_ITERATIONS;
	double tol = p->gap_tolerance > 0 ? p->gap_tolerance : DEFAULT_GAP;
	set_phase(s, phase, is_z_stage, z_lo);
	double w = phase == 2 && !is_z_stage ? 1 : 0;
	double wz = phase == 2 && is_z_stage ? 1 : 0;
	double zmax = p->is_max_z ? p->z_max : 0;
	double zl = z_lo < zmax ? z_lo : zmax;
	double *center = malloc((nr ? nr : 1) * sizeof *center);
	double *lp_ = malloc((nr ? nr : 1) * sizeof *lp_);
	double *g = malloc((nr ? nr : 1) * sizeof *g);
	bool is_ok = center && lp_ && g, has_center = false;
	*ub = INFINITY;
	while (is_ok) {
		if (!solve_master(s)) {
			is_ok = false;
			break;
		}
		++*iters;
		*lb = glp_get_obj_val(s->lp);
		for (size_t k = 0; k < nr; k++) {
			double l = -glp_get_row_dual(s->lp, 2 + (int)k);
			l = l > 0 ? l : 0;
			if (phase == 1 && l > 1)
				l = 1; /* the slack's price caps it */
			lam[k] = l;
		}
		double sigma = glp_get_row_dual(s->lp, 1);
		double scale = fabs(*lb) > 1 ? fabs(*lb) : 1;
		bool is_added = false;
		for (int attempt = has_center ? 0 : 1; attempt < 2; attempt++) {
			for (size_t k = 0; k < nr; k++)
				lp_[k] = attempt == 0
					     ? 0.5 * center[k] + 0.5 * lam[k]
					     : lam[k];
			struct prices pr = {w, lp_};
			double obj;
			double val = price(s, &pr, &obj, g, NULL, 0);
			double lam_b = 0, lam_rhs = 0, d = w * obj - sigma;
			for (size_t k = 0; k < nr; k++) {
				lam_b += lp_[k] * p->rows[k].b_z;
				lam_rhs += lp_[k] * p->rows[k].rhs;
				d += lam[k] * g[k];
			}
			double zc = wz - lam_b;
			double bound =
			    val - lam_rhs + (zc > 0 ? zc * zmax : zc * zl);
			if (bound < *ub) {
				*ub = bound;
				memcpy(center, lp_, nr * sizeof *center);
				has_center = true;
			}
			if (d > 1e-12 * scale) {
				is_ok = add_column(s, w, lp_, obj, g, w);
				is_added = true;
				break;
			}
		}
		if (!is_ok)
			break;
		if (phase == 1 && *lb >= -1e-9 * scale)
			break;
		if (phase == 1 && *ub < -1e-7 * scale)
			break; /* infeasible, proven */
		if (phase == 2 && *ub - *lb <= tol * scale)
			break;
		if (*iters >= max_it || !is_added)
			break; /* the limit, or no column improves */
	}
	free(center);
	free(lp_);
	free(g);
	return is_ok;
}

/* The allocation Σ μ_j·a(j) into alloc; its Σ v·a. */
static double recover(struct solver *s, double *alloc, size_t n_entries)
{
	size_t nr = s->p->n_rows;
	for (size_t e = 0; e < n_entries; e++)
		alloc[e] = 0;
	double total = 0, obj = 0;
	for (size_t j = 0; j < s->n_cols; j++)
		total += fmax(
		    0, glp_get_col_prim(s->lp, COL_ART0 + (int)nr + (int)j));
	for (size_t j = 0; j < s->n_cols && total > 0; j++) {
		double mu = fmax(0, glp_get_col_prim(s->lp, COL_ART0 + (int)nr +
								(int)j)) /
			    total;
		if (mu <= 1e-15 || !s->cols[j].lam)
			continue;
		struct prices pr = {s->cols[j].w, s->cols[j].lam};
		double o;
		price(s, &pr, &o, NULL, alloc, mu);
		obj += mu * o;
	}
	return obj;
}

enum cab_status cab_key_coupled_solve(const struct cab_coupled_problem *p,
				      double *alloc,
				      struct cab_coupled_result *out,
				      struct cab_err *err)
{
	struct solver s = {.p = p};
	size_t nr = p->n_rows, n = p->n;
	memset(out, 0, sizeof *out);
	for (size_t u = 0; u < p->n_slots; u++) {
		size_t m = p->first[u + 1] - p->first[u];
		if (m > s.max_slot)
			s.max_slot = m;
	}
	for (size_t k = 0; k < nr; k++)
		if (!isfinite(p->rows[k].rhs) || !isfinite(p->rows[k].b_z) ||
		    p->rows[k].who >=
			(p->rows[k].kind == CAB_ROW_COMMUNITY ? SIZE_MAX : n))
			return cab_err_add(err, CAB_EINTERNAL,
					   "coupled optimum: row %zu is not "
					   "finite",
					   k);
	size_t ms = s.max_slot ? s.max_slot : 1;
	s.sc.self_l = calloc(n ? n : 1, sizeof(double));
	s.sc.mu = calloc(n ? n : 1, sizeof(double));
	s.sc.it = malloc(ms * sizeof(struct item));
	s.sc.a = malloc(ms * sizeof(double));
	s.sc.rfirst = calloc(n + 1, sizeof(size_t));
	s.sc.rows_of = malloc((nr ? nr : 1) * sizeof(size_t));
	s.sc.comm_rows = malloc((nr ? nr : 1) * sizeof(size_t));
	double *lam = calloc(nr ? nr : 1, sizeof *lam);
	enum cab_status st = CAB_ENOMEM;
	if (!s.sc.self_l || !s.sc.mu || !s.sc.it || !s.sc.a || !s.sc.rfirst ||
	    !s.sc.rows_of || !s.sc.comm_rows || !lam)
		goto done;
	/* Each member's rows, in row order (counting sort). */
	for (size_t k = 0; k < nr; k++)
		if (p->rows[k].kind == CAB_ROW_COMMUNITY)
			s.sc.comm_rows[s.sc.n_comm++] = k;
		else
			s.sc.rfirst[p->rows[k].who + 1]++;
	for (size_t i = 0; i < n; i++)
		s.sc.rfirst[i + 1] += s.sc.rfirst[i];
	for (size_t k = 0, *fill = s.sc.rfirst; k < nr; k++)
		if (p->rows[k].kind != CAB_ROW_COMMUNITY)
			s.sc.rows_of[fill[p->rows[k].who]++] = k;
	/* fill advanced each start to the next one's: shift back. */
	for (size_t i = n; i > 0; i--)
		s.sc.rfirst[i] = s.sc.rfirst[i - 1];
	s.sc.rfirst[0] = 0;

	jmp_buf env;
	jmp_buf *saved = hook_env;
	hook_env = &env;
	glp_error_hook(on_glpk_error, NULL);
	if (setjmp(env)) {
		glp_free_env();
		s.lp = NULL;
		hook_env = saved;
		st = cab_err_add(err, CAB_EINTERNAL,
				 "coupled optimum: GLPK failed internally");
		goto done;
	}
	s.lp = glp_create_prob();
	glp_set_obj_dir(s.lp, GLP_MAX);
	glp_add_rows(s.lp, 1 + (int)nr);
	glp_set_row_bnds(s.lp, 1, GLP_FX, 1, 1);
	glp_add_cols(s.lp, 1 + (int)nr);
	for (size_t k = 0; k < nr; k++) {
		glp_set_row_bnds(s.lp, 2 + (int)k, GLP_LO, p->rows[k].rhs, 0);
		int ind[3] = {0, 2 + (int)k, 0};
		double val[3] = {0, 1, 0};
		glp_set_mat_col(s.lp, COL_ART0 + (int)k, 1, ind, val);
	}
	{
		int *ind = malloc((nr + 1) * sizeof *ind);
		double *val = malloc((nr + 1) * sizeof *val);
		if (!ind || !val) {
			free(ind);
			free(val);
			hook_env = saved;
			goto done;
		}
		int ne = 0;
		for (size_t k = 0; k < nr; k++)
			if (p->rows[k].b_z != 0)
				ind[++ne] = 2 + (int)k,
				val[ne] = -p->rows[k].b_z;
		glp_set_mat_col(s.lp, COL_Z, ne, ind, val);
		free(ind);
		free(val);
	}
	glp_init_smcp(&s.parm);
	s.parm.msg_lev = GLP_MSG_OFF;
	double lb = 0, ub = 0;
	/* Start: nothing shared, and the unconstrained optimum. */
	double *g0 = calloc(nr ? nr : 1, sizeof *g0);
	bool is_started = g0 && add_column(&s, 0, NULL, 0, g0, 0) &&
			  price_column(&s, 1, lam, g0, 0);
	free(g0);
	if (!is_started) {
		hook_env = saved;
		goto done;
	}
	st = CAB_EINTERNAL;
	if (!generate(&s, 1, false, 0, lam, &out->iterations, &lb, &ub)) {
		hook_env = saved;
		cab_err_add(err, st,
			    "coupled optimum: the master programme "
			    "could not be solved");
		goto done;
	}
	double scale = 1;
	for (size_t k = 0; k < nr; k++)
		scale += fabs(p->rows[k].rhs);
	if (lb < -1e-9 * scale) {
		/* Infeasible: name the row the most slack still fills. */
		double worst = 0;
		for (size_t k = 0; k < nr; k++) {
			double a = glp_get_col_prim(s.lp, COL_ART0 + (int)k);
			if (a > worst) {
				worst = a;
				out->worst_row = k;
			}
		}
		out->is_feasible = false;
		out->bound = ub;
		hook_env = saved;
		st = CAB_OK;
		goto done;
	}
	out->is_feasible = true;
	bool is_ok =
	    generate(&s, 2, p->is_max_z, 0, lam, &out->iterations, &lb, &ub);
	if (is_ok) {
		/* The objective (z, or the saving) and its gap. */
		out->objective = lb;
		out->bound = ub;
		out->is_optimal =
		    ub - lb <=
		    (p->gap_tolerance > 0 ? p->gap_tolerance : DEFAULT_GAP) *
			fmax(1, fabs(lb));
	}
	if (is_ok && p->is_max_z) {
		/* Second stage: the largest saving that keeps z. */
		out->z = lb;
		double z_keep = lb - 1e-9 * fmax(1, fabs(lb));
		is_ok = generate(&s, 2, false, z_keep > 0 ? z_keep : 0, lam,
				 &out->iterations, &lb, &ub);
	}
	if (!is_ok) {
		hook_env = saved;
		cab_err_add(err, st,
			    "coupled optimum: the master programme "
			    "could not be solved");
		goto done;
	}
	if (!p->is_max_z)
		out->z = 0;
	out->saving = recover(&s, alloc, p->first[p->n_slots]);
	hook_env = saved;
	st = CAB_OK;
done:
	if (st == CAB_ENOMEM)
		cab_err_add(err, st, "out of memory");
	free(lam);
	solver_release(&s);
	return st;
}
