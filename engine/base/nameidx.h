/*
 * nameidx.h — find an entry of an array by its name (internal to engine/).
 *
 * Why: the import's quarter-hour set and its integrator both keep meters
 * in an array in order of first appearance and look them up by name once
 * per record; one open-addressing index serves both. The entries stay in
 * the caller's array: the index only holds their positions, and reads a
 * name through name_of(ctx, i).
 *
 * Ownership: embed zeroed; cab_name_index_release() frees the slots.
 */
#ifndef CABINE_NAMEIDX_H
#define CABINE_NAMEIDX_H

#include <stdbool.h>
#include <stddef.h>

struct cab_name_index {
	size_t *slots;	/* entry position + 1, 0 = empty */
	size_t n_slots; /* power of two, 0 before the first entry */
};

/* Name of entry i of the caller's array. */
typedef const char *(*cab_name_of)(const void *ctx, size_t i);

/* Position of `name`, or (size_t)-1. */
size_t cab_name_index_find(const struct cab_name_index *x, const char *name,
			   cab_name_of name_of, const void *ctx);
/* Index the last of the caller's n entries (just appended, its name
 * readable through name_of). False when out of memory. */
bool cab_name_index_add(struct cab_name_index *x, size_t n, cab_name_of name_of,
			const void *ctx);
/* Index entries 0..n afresh (after the caller removed one). */
bool cab_name_index_rebuild(struct cab_name_index *x, size_t n,
			    cab_name_of name_of, const void *ctx);
void cab_name_index_release(struct cab_name_index *x);

#endif
