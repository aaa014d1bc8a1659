/*
 * hybrid.c — key "hybrid" (SPEC §2): one fixed round a_i = min(D_i, w_i·S),
 * then the remainder pro rata of the residual need D_i − a_i. It keeps
 * the fixed key's entitlements and, like the proportional key, leaves
 * nothing unallocated while anyone has demand.
 */
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

struct hybrid_state {
	size_t n;	 /* pool members */
	double *weight;	 /* n weights, owned */
	double *without; /* scratch: n weights without one member */
	double *demand;	 /* scratch: n demands without one member */
};

static enum cab_status hybrid_configure(const struct cab_key_params *p,
					void **state, struct cab_err *err)
{
	struct hybrid_state *s = calloc(1, sizeof(*s));
	double *w = calloc(p->n ? p->n : 1, sizeof(double));
	double *wo = calloc(p->n ? p->n : 1, sizeof(double));
	double *d = calloc(p->n ? p->n : 1, sizeof(double));
	if (!s || !w || !wo || !d) {
		free(s);
		free(w);
		free(wo);
		free(d);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	s->without = wo;
	s->demand = d;
	if (p->weight)
		memcpy(w, p->weight, p->n * sizeof(double));
	s->n = p->n;
	s->weight = w;
	*state = s;
	return CAB_OK;
}

/* The fixed round with `weight`, then the rest pro rata of need. */
static void hybrid_rounds(size_t n, const double *weight, const double *demand,
			  double supply, double *alloc)
{
	cab_key_fixed_rounds(n, weight, false, demand, supply, alloc, NULL);
	double given = 0;
	for (size_t i = 0; i < n; i++)
		given += alloc[i];
	cab_key_pro_rata_of_need(n, demand, supply - given, alloc);
}

static void hybrid_allocate(void *state, const double *demand, double supply,
			    double *alloc)
{
	const struct hybrid_state *s = state;
	hybrid_rounds(s->n, s->weight, demand, supply, alloc);
}

static void hybrid_allocate_without(void *state, const double *demand,
				    double supply, size_t excluded,
				    double *alloc)
{
	struct hybrid_state *s = state;
	cab_key_weights_without(s->n, s->weight, excluded, s->without);
	memcpy(s->demand, demand, s->n * sizeof *s->demand);
	if (excluded < s->n)
		s->demand[excluded] = 0;
	hybrid_rounds(s->n, s->without, s->demand, supply, alloc);
}

static void hybrid_free(void *state)
{
	struct hybrid_state *s = state;
	if (!s)
		return;
	free(s->weight);
	free(s->without);
	free(s->demand);
	free(s);
}

const struct cab_key_ops cab_key_hybrid = {
    .name = "hybrid",
    .summary = "a fixed round, then the rest pro rata of the residual need",
    .can_serve_group = true,
    .configure = hybrid_configure,
    .allocate = hybrid_allocate,
    .free_state = hybrid_free,
    .allocate_without = hybrid_allocate_without,
};
