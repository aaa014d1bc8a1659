/*
 * fixed.c — key "fixed" (SPEC §2): each participant is entitled to a fixed
 * fraction w_i of the pool's shared injection S.
 *
 * One round: a_i = min(D_i, w_i·S); what saturated participants cannot
 * take stays unallocated. With rounds "until-done", the remainder
 * R = S − Σa is handed again to the unsaturated participants with w_i > 0,
 * pro rata of their weights, until R ≤ ε or all are saturated. Each round
 * saturates at least one participant or hands out all of R, so there are
 * at most n + 1 rounds.
 */
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

struct fixed_state {
	size_t n;           /* pool members */
	double *weight;     /* n weights, owned */
	bool is_until_done; /* repeat rounds */
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
	if (!s->weight) {
		free(s);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	if (p->weight)
		memcpy(s->weight, p->weight, p->n * sizeof(double));
	*state = s;
	return CAB_OK;
}

void cab_key_fixed_rounds(size_t n, const double *weight, bool is_until_done,
			  const double *demand, double supply, double *alloc)
{
	double given = 0;
	for (size_t i = 0; i < n; i++) {
		double a = weight[i] * supply;
		alloc[i] = a < demand[i] ? a : demand[i];
		given += alloc[i];
	}
	if (!is_until_done)
		return;
	for (size_t round = 0; round <= n; round++) {
		double rest = supply - given;
		if (rest <= CAB_KEY_EPS_KWH)
			return;
		double w_unsat = 0;
		for (size_t i = 0; i < n; i++)
			if (weight[i] > 0 && demand[i] - alloc[i] > CAB_KEY_EPS_KWH)
				w_unsat += weight[i];
		if (w_unsat <= 0)
			return;
		for (size_t i = 0; i < n; i++) {
			double need = demand[i] - alloc[i];
			if (weight[i] <= 0 || need <= CAB_KEY_EPS_KWH)
				continue;
			double a = rest * weight[i] / w_unsat;
			if (a > need)
				a = need;
			alloc[i] += a;
			given += a;
		}
	}
}

static void fixed_allocate(void *state, const double *demand, double supply,
			   double *alloc)
{
	const struct fixed_state *s = state;
	cab_key_fixed_rounds(s->n, s->weight, s->is_until_done, demand, supply,
			     alloc);
}

static void fixed_free(void *state)
{
	struct fixed_state *s = state;
	if (!s)
		return;
	free(s->weight);
	free(s);
}

const struct cab_key_ops cab_key_fixed = {
	.name = "fixed",
	.summary = "each participant gets min(D_i, w_i·S); rounds \"until-done\" re-shares the rest",
	.configure = fixed_configure,
	.allocate = fixed_allocate,
	.free_state = fixed_free,
};
