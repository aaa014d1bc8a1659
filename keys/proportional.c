/*
 * proportional.c — key "proportional" (SPEC §2): the shared injection is
 * split pro rata of demand, a_i = D_i · min(1, S / ΣD), 0 when ΣD = 0.
 * It is the grid operator's default key: nothing is left unallocated
 * while anyone still has demand.
 */
#include <stdlib.h>

#include "cabine/key.h"
#include "keys/keys.h"

void cab_key_pro_rata_of_need(size_t n, const double *demand, double supply,
			      double *alloc)
{
	double need = 0;
	for (size_t i = 0; i < n; i++)
		need += demand[i] - alloc[i];
	if (need <= 0 || supply <= 0)
		return;
	if (supply >= need) {
		/* Enough for everyone: give exactly the need, no rounding. */
		for (size_t i = 0; i < n; i++)
			alloc[i] = demand[i];
		return;
	}
	double f = supply / need;
	for (size_t i = 0; i < n; i++) {
		double a = alloc[i] + (demand[i] - alloc[i]) * f;
		alloc[i] = a < demand[i] ? a : demand[i];
	}
}

static enum cab_status prop_configure(const struct cab_key_params *p,
				      void **state, struct cab_err *err)
{
	size_t *n = malloc(sizeof(*n));
	if (!n)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	*n = p->n;
	*state = n;
	return CAB_OK;
}

static void prop_allocate(void *state, const double *demand, double supply,
			  double *alloc)
{
	size_t n = *(const size_t *)state;
	for (size_t i = 0; i < n; i++)
		alloc[i] = 0;
	cab_key_pro_rata_of_need(n, demand, supply, alloc);
}

const struct cab_key_ops cab_key_proportional = {
    .name = "proportional",
    .summary = "pro rata of demand: a_i = D_i · min(1, S / ΣD)",
    .can_serve_group = true,
    .configure = prop_configure,
    .allocate = prop_allocate,
    .free_state = free,
};
