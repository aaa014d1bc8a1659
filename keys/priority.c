/*
 * priority.c — key "priority" (SPEC §2): ordered groups, e.g. precarious
 * households first. Group 0 is served from S by its own key
 * (proportional by default, or fixed/hybrid with the members' weights);
 * group 1 from what group 0 left, and so on. Any key the registry marks
 * can_serve_group may serve a group.
 *
 * The state keeps, per group, the member indices, the group key's state
 * and scratch arrays, all allocated at configure time so that allocate()
 * never allocates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

struct prio_group {
	size_t n;		       /* members of the group */
	size_t *member;		       /* their indices in the pool */
	const struct cab_key_ops *ops; /* the group's key */
	void *state;		       /* its state, owned */
	double *demand;		       /* scratch: members' demand */
	double *alloc;		       /* scratch: members' allocation */
};

struct prio_state {
	size_t n;	  /* pool members */
	int *group_of;	  /* n: each member's group */
	size_t *index_of; /* n: each member's index in its group */
	size_t n_groups;
	struct prio_group *group; /* n_groups groups, owned */
};

static void prio_free(void *state)
{
	struct prio_state *s = state;
	if (!s)
		return;
	for (size_t g = 0; g < s->n_groups; g++) {
		struct prio_group *gr = &s->group[g];
		if (gr->ops && gr->state)
			gr->ops->free_state(gr->state);
		free(gr->member);
		free(gr->demand);
		free(gr->alloc);
	}
	free(s->group);
	free(s->group_of);
	free(s->index_of);
	free(s);
}

static enum cab_status prio_configure(const struct cab_key_params *p,
				      void **state, struct cab_err *err)
{
	enum cab_status st = CAB_ENOMEM;
	const char *inner = p->group_key ? p->group_key : "proportional";
	const struct cab_key_ops *ops = cab_key_find(inner);
	if (!ops || !ops->can_serve_group) {
		char names[128];
		cab_key_names(true, names, sizeof(names));
		return cab_err_add(err, CAB_EINPUT,
				   "priority: group key '%s' is not a key "
				   "(expected %s)",
				   inner, names);
	}
	struct prio_state *s = calloc(1, sizeof(*s));
	double *w = NULL;
	if (!s)
		goto fail;
	s->n = p->n;
	s->n_groups = p->n_groups ? p->n_groups : 1;
	s->group = calloc(s->n_groups, sizeof(*s->group));
	w = calloc(p->n ? p->n : 1, sizeof(double));
	s->group_of = calloc(p->n ? p->n : 1, sizeof(int));
	s->index_of = calloc(p->n ? p->n : 1, sizeof(size_t));
	if (!s->group || !w || !s->group_of || !s->index_of)
		goto fail;
	for (size_t i = 0; i < p->n; i++) {
		size_t g = p->group ? (size_t)p->group[i] : 0;
		if (g >= s->n_groups)
			g = s->n_groups - 1;
		s->group[g].n++;
	}
	for (size_t g = 0; g < s->n_groups; g++) {
		struct prio_group *gr = &s->group[g];
		size_t m = gr->n ? gr->n : 1;
		gr->member = calloc(m, sizeof(size_t));
		gr->demand = calloc(m, sizeof(double));
		gr->alloc = calloc(m, sizeof(double));
		if (!gr->member || !gr->demand || !gr->alloc)
			goto fail;
		gr->n = 0;
	}
	for (size_t i = 0; i < p->n; i++) {
		size_t g = p->group ? (size_t)p->group[i] : 0;
		if (g >= s->n_groups)
			g = s->n_groups - 1;
		s->group_of[i] = (int)g;
		s->index_of[i] = s->group[g].n;
		s->group[g].member[s->group[g].n++] = i;
	}
	for (size_t g = 0; g < s->n_groups; g++) {
		struct prio_group *gr = &s->group[g];
		for (size_t k = 0; k < gr->n; k++)
			w[k] = p->weight ? p->weight[gr->member[k]] : 0;
		struct cab_key_params gp = {
		    .n = gr->n,
		    .weight = w,
		    .is_until_done = p->is_until_done,
		};
		st = ops->configure(&gp, &gr->state, err);
		if (st != CAB_OK)
			goto fail;
		gr->ops = ops;
	}
	free(w);
	*state = s;
	return CAB_OK;
fail:
	free(w);
	prio_free(s);
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	return st;
}

/* The groups in order, member `excluded` (n: none) left out of its
 * group by the group key's allocate_without, or with no demand. */
static void prio_rounds(const struct prio_state *s, const double *demand,
			double supply, size_t excluded, double *alloc)
{
	double rest = supply;
	size_t xg = excluded < s->n ? (size_t)s->group_of[excluded] : SIZE_MAX;
	for (size_t g = 0; g < s->n_groups; g++) {
		const struct prio_group *gr = &s->group[g];
		for (size_t k = 0; k < gr->n; k++)
			gr->demand[k] = demand[gr->member[k]];
		double r = rest > 0 ? rest : 0;
		if (g == xg && gr->ops->allocate_without) {
			gr->ops->allocate_without(gr->state, gr->demand, r,
						  s->index_of[excluded],
						  gr->alloc);
		} else {
			if (g == xg)
				gr->demand[s->index_of[excluded]] = 0;
			gr->ops->allocate(gr->state, gr->demand, r, gr->alloc);
		}
		for (size_t k = 0; k < gr->n; k++) {
			alloc[gr->member[k]] = gr->alloc[k];
			rest -= gr->alloc[k];
		}
	}
}

static void prio_allocate(void *state, const double *demand, double supply,
			  double *alloc)
{
	prio_rounds(state, demand, supply, SIZE_MAX, alloc);
}

static void prio_allocate_without(void *state, const double *demand,
				  double supply, size_t excluded, double *alloc)
{
	prio_rounds(state, demand, supply, excluded, alloc);
}

const struct cab_key_ops cab_key_priority = {
    .name = "priority",
    .summary =
	"ordered groups, each served by its key from what the previous left",
    .can_serve_group = false,
    .configure = prio_configure,
    .allocate = prio_allocate,
    .free_state = prio_free,
    .allocate_without = prio_allocate_without,
};
