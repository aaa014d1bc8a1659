/*
 * optimal.c — key "optimal" (SPEC §4): each quarter-hour, the allocation that
 * maximises the community's saving, found by linear programming (GLPK).
 * The only file that calls GLPK (STYLE.md).
 *
 * Why a linear programme: the assembly states goals, not a formula. Per
 * interval and pool the programme is
 *
 *     maximise  Σ_i v_i · a_i          (v_i: what a kWh received saves i)
 *     s.t.      Σ_i a_i ≤ S,  0 ≤ a_i ≤ D_i
 *
 * and, because many allocations often save the same (every member pays
 * the same prices: only the VAT rate differs), a second stage picks among
 * them the fairest one: maximise z, the smallest share a_i / D_i, while
 * keeping the saving at its optimum. With equal values this is exactly the
 * proportional key; with "objective": "fairness" the two stages swap
 * (max–min share first, then the saving). The grid price minus the shared
 * price is the same for every member in an interval, so v_i = 1 + VAT_i
 * orders members as the euro saving does.
 *
 * Workload: one small problem (n ≤ a few hundred columns) per interval,
 * 35,040 intervals a year; the problem object is built once per pool and
 * only bounds and objective change, so GLPK warm-starts from the previous
 * basis. When S covers every demand the answer is a = D without solving.
 *
 * GLPK aborts on misuse: every bound is checked finite before the call and
 * glp_error_hook turns an internal error into a fallback instead of an
 * abort. An interval whose programme does not reach GLP_OPT (never seen on
 * these bounded, feasible problems) falls back to the proportional key and
 * is counted in the state (lp_failures) for the tests.
 */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

struct lp_state {
	size_t n;      /* members */
	double *value; /* n values v_i */
	bool is_fairness_first;
	glp_prob *lp;	     /* columns 1..n = a_i, n+1 = z */
	glp_smcp parm;	     /* simplex parameters */
	size_t *idx;	     /* scratch: members with D_i > 0 */
	size_t *prev_idx;    /* the members the problem was built for */
	size_t prev_m;	     /* their count */
	size_t failures;     /* intervals solved by the fallback */
	unsigned generation; /* env_generation when lp was created */
};

/* Rows: 1 = Σa ≤ S; 2 = Σ v a ≥ V (second stage); 2+k = a_k − D_k z ≥ 0. */
enum { ROW_SUPPLY = 1, ROW_SAVING = 2, ROW_FAIR0 = 3 };

static jmp_buf *hook_env;
/* Bumped when a GLPK failure freed its environment (and with it every
 * problem object): states built before then must not touch theirs. */
static unsigned env_generation;

static void on_glpk_error(void *info)
{
	(void)info;
	if (hook_env)
		longjmp(*hook_env, 1);
}

static void lp_free(void *state)
{
	struct lp_state *s = state;
	if (!s)
		return;
	if (s->lp && s->generation == env_generation)
		glp_delete_prob(s->lp);
	free(s->value);
	free(s->idx);
	free(s->prev_idx);
	free(s);
}

static enum cab_status lp_configure(const struct cab_key_params *p,
				    void **state, struct cab_err *err)
{
	struct lp_state *s = calloc(1, sizeof *s);
	if (!s)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	s->n = p->n;
	s->is_fairness_first = p->is_fairness_first;
	s->value = malloc((p->n + 1) * sizeof *s->value);
	s->idx = malloc((p->n + 1) * sizeof *s->idx);
	s->prev_idx = malloc((p->n + 1) * sizeof *s->prev_idx);
	if (!s->value || !s->idx || !s->prev_idx) {
		lp_free(s);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < p->n; i++) {
		double v = p->value ? p->value[i] : 1;
		if (!(v > 0) || !isfinite(v)) {
			lp_free(s);
			return cab_err_add(err, CAB_EINPUT,
					   "optimal key: member %zu has value "
					   "%g (expected a positive saving per "
					   "kWh)",
					   i + 1, v);
		}
		s->value[i] = v;
	}
	glp_init_smcp(&s->parm);
	s->parm.msg_lev = GLP_MSG_OFF;
	s->parm.presolve = GLP_OFF;
	*state = s;
	return CAB_OK;
}

/* Build the problem for the members in s->idx[0..m) (their count varies
 * with who has demand, so it is rebuilt when the set changes). */
static void build(struct lp_state *s, size_t m)
{
	if (s->lp) {
		glp_erase_prob(s->lp);
	} else {
		s->lp = glp_create_prob();
		s->generation = env_generation;
	}
	glp_prob *lp = s->lp;
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_cols(lp, (int)m + 1);
	glp_add_rows(lp, 2 + (int)m);
	int *ia = malloc((4 * m + 4) * sizeof *ia);
	int *ja = malloc((4 * m + 4) * sizeof *ja);
	double *ar = malloc((4 * m + 4) * sizeof *ar);
	if (!ia || !ja || !ar) {
		free(ia);
		free(ja);
		free(ar);
		return;
	}
	int ne = 0;
	for (size_t k = 0; k < m; k++) {
		int col = (int)k + 1;
		ne++, ia[ne] = ROW_SUPPLY, ja[ne] = col, ar[ne] = 1;
		ne++, ia[ne] = ROW_SAVING, ja[ne] = col,
		      ar[ne] = s->value[s->idx[k]];
		ne++, ia[ne] = ROW_FAIR0 + (int)k, ja[ne] = col, ar[ne] = 1;
		ne++, ia[ne] = ROW_FAIR0 + (int)k, ja[ne] = (int)m + 1,
		      ar[ne] = -1; /* × D_k, set per interval */
	}
	glp_load_matrix(lp, ne, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
}

/* Solve; true when optimal. */
static bool solve(struct lp_state *s)
{
	int rc = glp_simplex(s->lp, &s->parm);
	if (rc != 0) {
		/* A stale basis can be singular: start from scratch once. */
		glp_std_basis(s->lp);
		rc = glp_simplex(s->lp, &s->parm);
	}
	return rc == 0 && glp_get_status(s->lp) == GLP_OPT;
}

/* Both stages of one interval's programme for the members s->idx[0..m);
 * false if GLPK did not reach an optimum (or failed internally). */
static bool solve_interval(struct lp_state *s, const double *demand,
			   double supply, size_t m)
{
	jmp_buf env;
	jmp_buf *saved = hook_env;
	hook_env = &env;
	glp_error_hook(on_glpk_error, NULL);
	if (setjmp(env)) {
		/* GLPK failed internally: its environment is unusable. */
		glp_free_env();
		env_generation++;
		s->lp = NULL;
		s->prev_m = 0;
		hook_env = saved;
		return false;
	}
	if (s->lp && s->generation != env_generation) {
		s->lp = NULL;
		s->prev_m = 0;
	}
	/* Rebuild only when the members with demand change (often they do
	 * not from one interval to the next): GLPK then warm-starts. */
	if (!s->lp || m != s->prev_m ||
	    memcmp(s->idx, s->prev_idx, m * sizeof *s->idx) != 0) {
		build(s, m);
		memcpy(s->prev_idx, s->idx, m * sizeof *s->idx);
		s->prev_m = m;
	}
	glp_prob *lp = s->lp;
	int z = (int)m + 1;
	glp_set_row_bnds(lp, ROW_SUPPLY, GLP_UP, 0, supply);
	for (size_t k = 0; k < m; k++) {
		double d = demand[s->idx[k]];
		glp_set_col_bnds(lp, (int)k + 1, GLP_DB, 0, d);
		/* a_k − D_k z ≥ 0: z is the smallest share a_k / D_k. */
		int ind[3] = {0, (int)k + 1, z};
		double val[3] = {0, 1, -d};
		glp_set_mat_row(lp, ROW_FAIR0 + (int)k, 2, ind, val);
	}
	glp_set_col_bnds(lp, z, GLP_DB, 0, 1);
	bool ok;
	double best;
	if (!s->is_fairness_first) {
		/* Stage 1: the saving alone. */
		for (size_t k = 0; k < m; k++) {
			glp_set_obj_coef(lp, (int)k + 1, s->value[s->idx[k]]);
			glp_set_row_bnds(lp, ROW_FAIR0 + (int)k, GLP_FR, 0, 0);
		}
		glp_set_obj_coef(lp, z, 0);
		glp_set_row_bnds(lp, ROW_SAVING, GLP_FR, 0, 0);
		ok = solve(s);
		best = glp_get_obj_val(lp);
		/* Stage 2: the fairest allocation that keeps that saving. */
		if (ok) {
			for (size_t k = 0; k < m; k++) {
				glp_set_obj_coef(lp, (int)k + 1, 0);
				glp_set_row_bnds(lp, ROW_FAIR0 + (int)k, GLP_LO,
						 0, 0);
			}
			glp_set_obj_coef(lp, z, 1);
			glp_set_row_bnds(lp, ROW_SAVING, GLP_LO,
					 best * (1 - 1e-12), 0);
			ok = solve(s);
		}
	} else {
		/* Stage 1: the max–min share. */
		for (size_t k = 0; k < m; k++) {
			glp_set_obj_coef(lp, (int)k + 1, 0);
			glp_set_row_bnds(lp, ROW_FAIR0 + (int)k, GLP_LO, 0, 0);
		}
		glp_set_obj_coef(lp, z, 1);
		glp_set_row_bnds(lp, ROW_SAVING, GLP_FR, 0, 0);
		ok = solve(s);
		best = glp_get_obj_val(lp);
		/* Stage 2: the largest saving with that smallest share. */
		if (ok) {
			for (size_t k = 0; k < m; k++)
				glp_set_obj_coef(lp, (int)k + 1,
						 s->value[s->idx[k]]);
			glp_set_obj_coef(lp, z, 0);
			glp_set_col_bnds(lp, z, GLP_DB, best * (1 - 1e-12), 1);
			ok = solve(s);
		}
	}
	hook_env = saved;
	return ok;
}

static void lp_allocate(void *state, const double *demand, double supply,
			double *alloc)
{
	struct lp_state *s = state;
	size_t n = s->n, m = 0;
	double need = 0;
	for (size_t i = 0; i < n; i++) {
		alloc[i] = 0;
		if (demand[i] > CAB_KEY_EPS_KWH && isfinite(demand[i])) {
			s->idx[m++] = i;
			need += demand[i];
		}
	}
	if (m == 0 || !(supply > CAB_KEY_EPS_KWH))
		return;
	if (supply >= need) {
		/* Every demand met: the saving and the fairness are both at
		 * their maximum, no programme to solve. */
		for (size_t k = 0; k < m; k++)
			alloc[s->idx[k]] = demand[s->idx[k]];
		return;
	}
	if (!solve_interval(s, demand, supply, m)) {
		s->failures++;
		/* alloc is still all zero: this is the proportional key. */
		cab_key_pro_rata_of_need(n, demand, supply, alloc);
		return;
	}
	glp_prob *lp = s->lp;
	/* Clamp the solver's round-off so that the invariants hold exactly:
	 * 0 ≤ a_i ≤ D_i and Σa ≤ S. */
	double sum = 0;
	for (size_t k = 0; k < m; k++) {
		size_t i = s->idx[k];
		double a = glp_get_col_prim(lp, (int)k + 1);
		a = a < 0 ? 0 : a > demand[i] ? demand[i] : a;
		alloc[i] = a;
		sum += a;
	}
	if (sum > supply) {
		double f = supply / sum;
		for (size_t k = 0; k < m; k++)
			alloc[s->idx[k]] *= f;
	}
}

const struct cab_key_ops cab_key_optimal = {
    .name = "optimal",
    .summary = "linear programme (GLPK): the largest saving, then the "
	       "fairest split",
    .can_serve_group = false,
    .configure = lp_configure,
    .allocate = lp_allocate,
    .free_state = lp_free,
};

size_t cab_key_optimal_failures(const void *state)
{
	return state ? ((const struct lp_state *)state)->failures : 0;
}
