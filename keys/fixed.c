/*
 * fixed.c — key "fixed" (SPEC §2): each participant is entitled to a fixed
 * fraction w_i of the pool's shared injection S.
 *
 * One round: a_i = min(D_i, w_i·S); what saturated participants cannot
 * take stays unallocated. With rounds "until-done", the remainder
 * R = S − Σa is handed again to the unsaturated participants with w_i > 0,
 * pro rata of their weights, until R ≤ ε or all are saturated. Each round
 * saturates at least one participant or hands out all of R, so there are
 * at most n + 1 rounds, each over the participants still unsaturated.
 */
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

struct fixed_state {
	size_t n;	    /* pool members */
	double *weight;	    /* n weights, owned */
	bool is_until_done; /* repeat rounds */
	size_t *unsat;	    /* scratch: n indices, owned */
	double *without;    /* scratch: n weights without one member */
};

static enum cab_status fixed_configure(const struct cab_key_params *p,
				       void **state, struct cab_err *err)
{
	struct fixed_state *s = calloc(1, sizeof(*s));
	if (!s)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	s->n = p->n;
	s->is_until_done = p->is_until_done;
	s->weight = calloc(p->n ? p->n : 1, sizeof(double));
	s->unsat = calloc(p->n ? p->n : 1, sizeof(size_t));
	s->without = calloc(p->n ? p->n : 1, sizeof(double));
	if (!s->weight || !s->unsat || !s->without) {
		free(s->weight);
		free(s->unsat);
		free(s->without);
		free(s);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	if (p->weight)
		memcpy(s->weight, p->weight, p->n * sizeof(double));
	*state = s;
	return CAB_OK;
}

void cab_key_fixed_rounds(size_t n, const double *weight, bool is_until_done,
			  const double *demand, double supply, double *alloc,
			  size_t *unsat)
{
	if (!is_until_done || !unsat) {
		/* One round: nothing to track (what is handed out, who is
		 * left unsaturated), a loop without branches. */
		for (size_t i = 0; i < n; i++) {
			double a = weight[i] * supply;
			alloc[i] = a < demand[i] ? a : demand[i];
		}
		return;
	}
	double given = 0;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double a = weight[i] * supply;
		alloc[i] = a < demand[i] ? a : demand[i];
		given += alloc[i];
		/* Written always, kept when unsaturated: no branch that the
		 * data decides (a thousand members, half of them each way). */
		unsat[m] = i;
		m += weight[i] > 0 && demand[i] - alloc[i] > CAB_KEY_EPS_KWH;
	}
	/* unsat[0..m) lists the unsaturated members with a weight; each
	 * round hands out the rest pro rata of their weights and drops the
	 * ones it saturates, so a round costs what is still open. */
	for (size_t round = 0; m > 0 && round <= n; round++) {
		double rest = supply - given;
		if (rest <= CAB_KEY_EPS_KWH)
			return;
		double w_unsat = 0;
		for (size_t k = 0; k < m; k++)
			w_unsat += weight[unsat[k]];
		size_t kept = 0;
		double handed = 0;
		for (size_t k = 0; k < m; k++) {
			size_t i = unsat[k];
			double need = demand[i] - alloc[i];
			double a = rest * weight[i] / w_unsat;
			bool is_saturated = a >= need - CAB_KEY_EPS_KWH;
			a = is_saturated ? need : a;
			unsat[kept] = i;
			kept += !is_saturated;
			alloc[i] += a;
			handed += a;
		}
		given += handed;
		/* Nobody saturated: the whole rest was handed out, and what
		 * float rounding leaves is not energy. */
		if (kept == m)
			return;
		m = kept;
	}
}

static void fixed_allocate(void *state, const double *demand, double supply,
			   double *alloc)
{
	const struct fixed_state *s = state;
	cab_key_fixed_rounds(s->n, s->weight, s->is_until_done, demand, supply,
			     alloc, s->unsat);
}

void cab_key_weights_without(size_t n, const double *weight, size_t excluded,
			     double *out)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += weight[i];
	double rest = sum - (excluded < n ? weight[excluded] : 0);
	double f = rest > 0 ? sum / rest : 0;
	for (size_t i = 0; i < n; i++)
		out[i] = i == excluded ? 0 : weight[i] * f;
}

static void fixed_allocate_without(void *state, const double *demand,
				   double supply, size_t excluded,
				   double *alloc)
{
	struct fixed_state *s = state;
	cab_key_weights_without(s->n, s->weight, excluded, s->without);
	cab_key_fixed_rounds(s->n, s->without, s->is_until_done, demand, supply,
			     alloc, s->unsat);
}

static void fixed_free(void *state)
{
	struct fixed_state *s = state;
	if (!s)
		return;
	free(s->weight);
	free(s->unsat);
	free(s->without);
	free(s);
}

const struct cab_key_ops cab_key_fixed = {
    .name = "fixed",
    .summary = "each participant gets min(D_i, w_i·S); rounds \"until-done\" "
	       "re-shares the rest",
    .can_serve_group = true,
    .configure = fixed_configure,
    .allocate = fixed_allocate,
    .free_state = fixed_free,
    .allocate_without = fixed_allocate_without,
};
