/*
 * readings_set.h — the meters and series behind struct cab_readings
 * (internal to engine/ingest/: readings.c keeps them, readings_csv.c
 * fills them from a readings CSV).
 *
 * Why: the public API (cabine/readings.h) is an opaque set of
 * quarter-hour series; the parser needs its insides (a meter's cells
 * and the bitmap of what the running parse wrote) to write in place and
 * to undo a bad file.
 *
 * Ownership: the set owns every meter, id and array; a meter's `seen`
 * lives for one parse.
 */
#ifndef CABINE_READINGS_SET_H
#define CABINE_READINGS_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cabine/readings.h"

/* One meter known by name: declared, stored, or seen in a file. */
struct cab_rd_meter {
	char *id;	   /* NUL-terminated, owned */
	size_t id_len;	   /* strlen(id) */
	uint64_t hash;	   /* hash of id */
	double *kwh;	   /* n_intervals values, NaN = missing; NULL if none */
	uint8_t *filled;   /* n_intervals flags: value filled at import (store),
			      or NULL when none is */
	uint64_t *seen;	   /* cells written by the running parse, or NULL */
	size_t next_guess; /* index + 1 of the meter that followed it last */
	bool is_wanted;	   /* declared with cab_readings_want */
	bool is_new;	   /* kwh allocated by the running parse */
	bool is_touched;   /* listed in touched[] of the running parse */
};

struct cab_readings {
	int64_t t0_s; /* start of the period, UTC, multiple of 900 */
	size_t n;     /* intervals in the period */
	struct cab_rd_meter *
	    *all;	  /* every known meter, in order of first appearance */
	size_t n_all;	  /* entries used in all */
	size_t cap_all;	  /* entries allocated in all */
	size_t *slots;	  /* hash table: index + 1 into all, 0 = empty */
	size_t n_slots;	  /* power of two, ≥ 2 × n_all */
	size_t n_wanted;  /* meters declared */
	size_t rows;	  /* data rows accepted so far */
	size_t *touched;  /* meters touched by the running parse */
	size_t n_touched; /* entries used in touched */
	size_t cap_touched; /* entries allocated in touched */
};

/* Is m the meter id (len bytes, not NUL-terminated)? */
static inline bool meter_is(const struct cab_rd_meter *m, const char *id,
			    size_t len)
{
	return m->id_len == len && memcmp(m->id, id, len) == 0;
}

/* Index + 1 of meter id in r->all, 0 if unknown. */
size_t cab_rd_find_meter(const struct cab_readings *r, const char *id,
			 size_t len);
/* Index + 1 of meter id, adding it if unknown; 0 when out of memory. */
size_t cab_rd_add_meter(struct cab_readings *r, const char *id, size_t len);
/* n NaNs (heap, at least one element), or NULL. */
double *cab_rd_nan_array(size_t n);

#endif
