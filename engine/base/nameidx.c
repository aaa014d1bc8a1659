/*
 * nameidx.c — open-addressing index of names (see nameidx.h): FNV-1a
 * hash, linear probing, kept at most half full.
 */
#include "engine/base/nameidx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void place(size_t *slots, size_t n_slots, size_t i, const char *name)
{
	size_t k = hash_name(name) & (n_slots - 1);
	while (slots[k])
		k = (k + 1) & (n_slots - 1);
	slots[k] = i + 1;
}

size_t cab_name_index_find(const struct cab_name_index *x, const char *name,
			   cab_name_of name_of, const void *ctx)
{
	if (!x->n_slots)
		return (size_t)-1;
	size_t mask = x->n_slots - 1;
	for (size_t k = hash_name(name) & mask;; k = (k + 1) & mask) {
		if (!x->slots[k])
			return (size_t)-1;
		if (strcmp(name_of(ctx, x->slots[k] - 1), name) == 0)
			return x->slots[k] - 1;
	}
}

static bool resize(struct cab_name_index *x, size_t n_slots, size_t n,
		   cab_name_of name_of, const void *ctx)
{
	size_t *slots = calloc(n_slots, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < n; i++)
		place(slots, n_slots, i, name_of(ctx, i));
	free(x->slots);
	x->slots = slots;
	x->n_slots = n_slots;
	return true;
}

bool cab_name_index_add(struct cab_name_index *x, size_t n, cab_name_of name_of,
			const void *ctx)
{
	if (2 * n > x->n_slots) /* growing places every entry, the new too */
		return resize(x, x->n_slots ? 2 * x->n_slots : 16, n, name_of,
			      ctx);
	place(x->slots, x->n_slots, n - 1, name_of(ctx, n - 1));
	return true;
}

bool cab_name_index_rebuild(struct cab_name_index *x, size_t n,
			    cab_name_of name_of, const void *ctx)
{
	return resize(x, x->n_slots ? x->n_slots : 16, n, name_of, ctx);
}

void cab_name_index_release(struct cab_name_index *x)
{
	free(x->slots);
	x->slots = NULL;
	x->n_slots = 0;
}
