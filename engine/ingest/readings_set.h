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
 * lives for one parse. readings_par.c fills it from several threads: it
 * adds meters under its own lock and writes disjoint cells.
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
	bool is_added;	   /* added by the running parse on threads */
	bool is_in_slab;   /* kwh lies in one of the set's slabs */
};

/* Memory the parse on threads takes series from (one mapping holding many
 * series side by side: fewer pages to map and to find than one
 * allocation each). Freed with the set. */
struct cab_rd_slab {
	struct cab_rd_slab *next; /* the one made before */
	size_t size;		  /* bytes mapped, this header included */
	size_t used;		  /* bytes handed out, this header included */
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
	int split_threads;  /* threads of a parse, 0: the default, < 0: the
			       one-thread parser only (tests) */
	size_t split_min;   /* bytes of a part at least, 0: the default */
	size_t split_used;  /* parts of the last parse, 0: one-thread parser */
	struct cab_rd_slab *slabs; /* the newest slab, or NULL */
};

/* Is m the meter id (len bytes, not NUL-terminated)? */
static inline bool meter_is(const struct cab_rd_meter *m, const char *id,
			    size_t len)
{
	return m->id_len == len && memcmp(m->id, id, len) == 0;
}

/* The hash of a meter id (FNV-1a). */
uint64_t cab_rd_hash(const char *s, size_t len);
/* Put k (an index + 1) in the open-addressing table slots (n_slots, a
 * power of two) at h's place or the next free one. */
void cab_rd_slot_insert(size_t *slots, size_t n_slots, uint64_t h, size_t k);
/* Index + 1 of meter id in r->all, 0 if unknown. */
size_t cab_rd_find_meter(const struct cab_readings *r, const char *id,
			 size_t len);
/* Index + 1 of meter id, adding it if unknown; 0 when out of memory. */
size_t cab_rd_add_meter(struct cab_readings *r, const char *id, size_t len);
/* n NaNs (heap, at least one element), or NULL. */
double *cab_rd_nan_array(size_t n);
/* n_intervals doubles, not initialised, for a series of r, from its
 * slabs (the meter's is_in_slab set by the caller); NULL when out of
 * memory. */
double *cab_rd_slab_series(struct cab_readings *r);
/* Free m's series (wherever it lies) and set it to NULL. */
void cab_rd_free_series(struct cab_rd_meter *m);
/* Give back the slab memory handed out after mark (the newest slab and
 * its use, from cab_rd_slab_mark), when the series in it were freed. */
struct cab_rd_slab_mark {
	struct cab_rd_slab *slab; /* the newest slab at the mark */
	size_t used;		  /* its use at the mark */
};
struct cab_rd_slab_mark cab_rd_slab_mark(const struct cab_readings *r);
void cab_rd_slab_rewind(struct cab_readings *r, struct cab_rd_slab_mark mark);
/* List meter k (index + 1) in r->touched; false when out of memory. */
bool cab_rd_mark_touched(struct cab_readings *r, size_t k);
/* End of a parse: keep (is_ok) or undo what it wrote (every touched
 * meter's `seen` cells back to NaN, arrays it created freed). */
void cab_rd_settle(struct cab_readings *r, bool is_ok);
/* Forget the meters from index n_keep on (added by a parse undone);
 * the hash table is rebuilt. */
void cab_rd_truncate(struct cab_readings *r, size_t n_keep);
/* Rebuild the hash table after r->all was reordered. */
void cab_rd_reindex(struct cab_readings *r);

/* The parse on threads (readings_par.c): buf[0..len) read in parts in
 * parallel into r, when it can be done without a problem. True: done, r
 * holds the rows (exactly what the one-thread parse gives); false: r is
 * exactly as before and the caller parses on one thread, which words the
 * problems. is_mapped: buf is a private read-only mapping whose pages
 * the parse may drop once read (madvise). */
bool cab_rd_parse_parts(struct cab_readings *r, const char *buf, size_t len,
			bool is_mapped);
/* Test knob: threads (0: the default; < 0: the one-thread parser of
 * readings_csv.c only) and the least bytes of a part (0: 2 MiB) of r's
 * next parses; tiny parts put lines at part boundaries. After a parse,
 * r->split_used says how many parts read it (0: the one-thread parser). */
void cab_rd_set_split(struct cab_readings *r, int threads, size_t min_part);

#endif
