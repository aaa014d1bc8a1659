/*
 * pools.c — the sharing pools of the perimeter (SPEC §1 "perimeter"):
 * one pool for the community, or one per LV cabin, each with its members'
 * weights, priority groups and values, its locality type and its key
 * (SPEC §2) configured from the registry.
 *
 * Why apart from the block loop: building a pool is where the scenario's
 * choices (key name, weights of the base or of a variant, perimeter,
 * locality) are read and checked once; the block loop then only runs
 * keys on plain arrays. The key is asked of the registry by name, so a
 * new key needs no change here.
 *
 * Memory: each pool owns its arrays, its scratch rows
 * (cab_share_block_len intervals × members) and its key's state;
 * cab_pools_free() releases them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/sharing/sharing.h"

void cab_pools_free(struct cab_pool *pools, size_t n)
{
	if (!pools)
		return;
	for (size_t k = 0; k < n; k++) {
		struct cab_pool *p = &pools[k];
		if (p->ops && p->state)
			p->ops->free_state(p->state);
		free(p->member);
		free(p->weight);
		free(p->value);
		free(p->group);
		free(p->has_demand);
		free(p->demand);
		free(p->alloc);
		free(p->surplus);
		free(p->given);
		free(p->rest);
		free(p->part);
	}
	free(pools);
}

/* The locality type of participant i's shared energy (SPEC §1). */
static char locality_of(const struct cab_scenario *sc,
			const struct cab_sharing *sh, size_t i)
{
	if (sh->locality)
		return sh->locality;
	int c = sc->participants[i].cabin;
	if (c < 0)
		return 'D'; /* location unknown: the least local type */
	return sc->cabins[c].locality ? sc->cabins[c].locality : 'B';
}

static size_t pool_index(size_t n_pools, const struct cab_scenario *sc,
			 size_t i)
{
	return n_pools == 1 ? 0 : (size_t)sc->participants[i].cabin;
}

const struct cab_pool *cab_pools_of(const struct cab_pool *pools,
				    size_t n_pools,
				    const struct cab_scenario *sc, size_t i)
{
	return &pools[pool_index(n_pools, sc, i)];
}

/* The key of `sh` from the registry, or an error naming every key. */
static enum cab_status find_key(const struct cab_scenario *sc, long variant,
				const struct cab_sharing *sh,
				const struct cab_key_ops **ops,
				struct cab_err *err)
{
	/* "fit" is the fixed key with weights fitted to the data. */
	*ops = cab_key_find(strcmp(sh->key, "fit") == 0 ? "fixed" : sh->key);
	if (*ops)
		return CAB_OK;
	/* Name the variant's key when a variant asked for it. */
	char where[64] = "$.sharing.key", names[256];
	if (variant >= 0)
		snprintf(where, sizeof(where), "$.compare[%ld].sharing.key",
			 variant);
	cab_key_names(false, names, sizeof(names));
	return cab_err_add(err, CAB_EINPUT,
			   _("%s: %s: key '%s' is not available (expected %s)"),
			   sc->path, where, sh->key, names);
}

/* Put participant i into pool p with its weight, group and value. */
static void add_member(struct cab_pool *p, const struct cab_scenario *sc,
		       long variant, const struct cab_sharing *sh, size_t i)
{
	const struct cab_participant *pa = &sc->participants[i];
	const struct cab_variant *v =
	    variant >= 0 ? &sc->variants[variant] : NULL;
	bool has_weight = v ? v->has_weight[i] : pa->has_weight;
	p->member[p->n] = i;
	/* optimal: a kWh received saves the member the grid price minus
	 * the shared price, VAT included; only the VAT differs between
	 * members of one pool and interval. */
	p->value[p->n] = 1 + pa->vat;
	p->weight[p->n] = has_weight ? (v ? v->weights[i] : pa->weight) : 0;
	if (sh->n_weight_blocks)
		p->weight[p->n] = sh->block_weight[i];
	p->group[p->n] = v ? v->priority_group[i] : pa->priority_group;
	p->n++;
	char loc = locality_of(sc, sh, i);
	if (loc > p->locality)
		p->locality = loc;
}

/* Whether member r has demand in some interval of the period. */
static bool has_demand(const struct cab_share_member *r, size_t nt)
{
	for (size_t t = 0; t < nt; t++) {
		double d, x;
		cab_share_dx(r, t, &d, &x);
		if (d > 0)
			return true;
	}
	return false;
}

/* (Re)configure pool p's key with its params. */
static enum cab_status configure(struct cab_pool *p, struct cab_err *err)
{
	if (p->state)
		p->ops->free_state(p->state);
	p->state = NULL;
	return p->ops->configure(&p->params, &p->state, err);
}

enum cab_status cab_pools_set_weights(struct cab_pool *pools, size_t n_pools,
				      const double *w, struct cab_err *err)
{
	for (size_t k = 0; k < n_pools; k++) {
		struct cab_pool *p = &pools[k];
		for (size_t j = 0; j < p->n; j++)
			p->weight[j] = w[p->member[j]];
		enum cab_status st = configure(p, err);
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

/* Pool p's scratch for n members (n ≥ 1): the block matrices and the
 * rows of one interval. A smaller pool's blocks are never longer than
 * its own length: the loop runs every pool in the blocks of the
 * largest. False when memory runs out (what was allocated is p's, freed
 * with it). */
static bool alloc_scratch(struct cab_pool *p, size_t n)
{
	size_t cells = n * cab_share_block_len(n);
	p->demand = calloc(cells, sizeof(double));
	p->alloc = calloc(cells, sizeof(double));
	p->surplus = calloc(cells, sizeof(double));
	p->given = calloc(cells, sizeof(double));
	p->rest = calloc(n, sizeof(double));
	p->part = calloc(n, sizeof(double));
	return p->demand && p->alloc && p->surplus && p->given && p->rest &&
	       p->part;
}

/* A copy of the n values of size `size` at src, or NULL. */
static void *dup_array(const void *src, size_t n, size_t size)
{
	void *a = malloc((n ? n : 1) * size);
	if (a && n)
		memcpy(a, src, n * size);
	return a;
}

enum cab_status cab_pools_copy(const struct cab_pool *pools, size_t n_pools,
			       struct cab_pool **out)
{
	struct cab_pool *c = calloc(n_pools ? n_pools : 1, sizeof(*c));
	*out = NULL;
	if (!c)
		return CAB_ENOMEM;
	for (size_t k = 0; k < n_pools; k++) {
		const struct cab_pool *p = &pools[k];
		struct cab_pool *q = &c[k];
		size_t n = p->n ? p->n : 1;
		*q = *p;
		q->state = NULL;
		q->member = dup_array(p->member, p->n, sizeof(size_t));
		q->weight = dup_array(p->weight, p->n, sizeof(double));
		q->value = dup_array(p->value, p->n, sizeof(double));
		q->group = dup_array(p->group, p->n, sizeof(int));
		q->has_demand = dup_array(p->has_demand, p->n, sizeof(bool));
		q->params.weight = q->weight;
		q->params.group = q->group;
		q->params.value = q->value;
		bool has_scratch = alloc_scratch(q, n);
		if (!q->member || !q->weight || !q->value || !q->group ||
		    !q->has_demand || !has_scratch ||
		    configure(q, NULL) != CAB_OK) {
			cab_pools_free(c, k + 1);
			return CAB_ENOMEM;
		}
	}
	*out = c;
	return CAB_OK;
}

enum cab_status cab_pools_new(const struct cab_scenario *sc, long variant,
			      const struct cab_sharing *sh,
			      const struct cab_share_member *m,
			      size_t n_intervals, struct cab_pool **out,
			      size_t *n_out, struct cab_err *err)
{
	enum cab_status st = CAB_ENOMEM;
	size_t np = sh->perimeter == CAB_PERIMETER_CABIN ? sc->n_cabins : 1;
	struct cab_pool *pools = calloc(np ? np : 1, sizeof(*pools));
	const struct cab_key_ops *ops = NULL;
	if (!pools)
		goto fail;
	st = find_key(sc, variant, sh, &ops, err);
	if (st != CAB_OK)
		goto fail;
	st = CAB_ENOMEM;
	for (size_t i = 0; i < sc->n_participants; i++) {
		size_t k = pool_index(np, sc, i);
		if (k >= np) {
			st = cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: participant '%s' has no cabin (expected one "
			      "with perimeter 'cabin')"),
			    sc->path, sc->participants[i].id);
			goto fail;
		}
		pools[k].n++;
	}
	for (size_t k = 0; k < np; k++) {
		struct cab_pool *p = &pools[k];
		size_t n = p->n ? p->n : 1;
		p->member = calloc(n, sizeof(size_t));
		p->weight = calloc(n, sizeof(double));
		p->value = calloc(n, sizeof(double));
		p->group = calloc(n, sizeof(int));
		p->has_demand = calloc(n, sizeof(bool));
		bool has_scratch = alloc_scratch(p, n);
		if (!p->member || !p->weight || !p->value || !p->group ||
		    !p->has_demand || !has_scratch)
			goto fail;
		p->n = 0;
		p->locality = 0;
	}
	for (size_t i = 0; i < sc->n_participants; i++)
		add_member(&pools[pool_index(np, sc, i)], sc, variant, sh, i);
	for (size_t k = 0; k < np; k++) {
		struct cab_pool *p = &pools[k];
		size_t n_dem = 0;
		for (size_t j = 0; j < p->n; j++) {
			p->has_demand[j] =
			    !m || has_demand(&m[p->member[j]], n_intervals);
			n_dem += p->has_demand[j];
		}
		/* Without weights the weighted keys give 1/N to each of the
		 * N members of the pool with demand: a producer without
		 * demand would let its share go unallocated
		 * (docs/keys.md). */
		if (!sh->has_weights)
			for (size_t j = 0; j < p->n; j++)
				p->weight[j] =
				    p->has_demand[j] ? 1.0 / (double)n_dem : 0;
		p->params = (struct cab_key_params){
		    .n = p->n,
		    .weight = p->weight,
		    .is_until_done = sh->is_until_done,
		    .group = p->group,
		    .n_groups = sh->n_groups,
		    .group_key = sh->group_key[0] ? sh->group_key : NULL,
		    .value = p->value,
		    .is_fairness_first = sh->is_fairness_first,
		};
		p->ops = ops;
		p->is_fit = strcmp(sh->key, "fit") == 0;
		p->is_self_share = !sh->is_without_self_share;
		st = configure(p, err);
		if (st != CAB_OK)
			goto fail;
		if (!p->locality)
			p->locality = 'D';
	}
	*out = pools;
	*n_out = np;
	return CAB_OK;
fail:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	cab_pools_free(pools, np);
	return st;
}
