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
	size_t n;	/* pool members */
	double *weight; /* n weights, owned */
};

static enum cab_status hybrid_configure(const struct cab_key_params *p,
					void **state, struct cab_err *err)
{
	struct hybrid_state *s = calloc(1, sizeof(*s));
	double *w = calloc(p->n ? p->n : 1, sizeof(double));
	if (!s || !w) {
		free(s);
		free(w);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	if (p->weight)
		memcpy(w, p->weight, p->n * sizeof(double));
	s->n = p->n;
	s->weight = w;
	*state = s;
	return CAB_OK;
}

static void hybrid_allocate(void *state, const double *demand, double supply,
			    double *alloc)
{
	const struct hybrid_state *s = state;
	cab_key_fixed_rounds(s->n, s->weight, false, demand, supply, alloc,
			     NULL);
	double given = 0;
	for (size_t i = 0; i < s->n; i++)
		given += alloc[i];
	cab_key_pro_rata_of_need(s->n, demand, supply - given, alloc);
}

static void hybrid_free(void *state)
{
	struct hybrid_state *s = state;
	if (!s)
		return;
	free(s->weight);
	free(s);
}

const struct cab_key_ops cab_key_hybrid = {
    .name = "hybrid",
    .summary = "a fixed round, then the rest pro rata of the residual need",
    .can_serve_group = true,
    .configure = hybrid_configure,
    .allocate = hybrid_allocate,
    .free_state = hybrid_free,
};
