/*
 * readings.c — quarter-hour kWh series per meter (cabine/readings.h): the
 * set the readings CSV parser (readings_csv.c), the store (engine/store/
 * source.c) and the power-sample readings fill, and that the run reads.
 *
 * Why: a scenario's series are looked up by meter id once per participant
 * and meter, and a CSV of a thousand meters gives one lookup per row, so
 * meters sit in an array in order of first appearance with an open-
 * addressing hash table beside it.
 *
 * Ownership: the set owns its meters and their arrays; the series
 * returned by the accessors are borrowed until cab_readings_free().
 */
#include "engine/ingest/readings_set.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- meters and the hash table ---- */

uint64_t cab_rd_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Index + 1 of meter id in r->all, 0 if unknown. */
size_t cab_rd_find_meter(const struct cab_readings *r, const char *id,
			 size_t len)
{
	if (!r->n_slots)
		return 0;
	uint64_t h = cab_rd_hash(id, len);
	size_t mask = r->n_slots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		size_t k = r->slots[i];
		if (!k)
			return 0;
		const struct cab_rd_meter *m = r->all[k - 1];
		if (m->hash == h && meter_is(m, id, len))
			return k;
	}
}

void cab_rd_slot_insert(size_t *slots, size_t n_slots, uint64_t h, size_t k)
{
	size_t mask = n_slots - 1;
	size_t i = (size_t)h & mask;
	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = k;
}

/* Index + 1 of meter id, adding it if unknown; 0 when out of memory. */
size_t cab_rd_add_meter(struct cab_readings *r, const char *id, size_t len)
{
	size_t k = cab_rd_find_meter(r, id, len);
	if (k)
		return k;
	if (2 * (r->n_all + 1) > r->n_slots) {
		size_t ns = r->n_slots ? 2 * r->n_slots : 64;
		size_t *slots = calloc(ns, sizeof(*slots));
		if (!slots)
			return 0;
		for (size_t i = 0; i < r->n_all; i++)
			cab_rd_slot_insert(slots, ns, r->all[i]->hash, i + 1);
		free(r->slots);
		r->slots = slots;
		r->n_slots = ns;
	}
	if (r->n_all == r->cap_all) {
		size_t cap = r->cap_all ? 2 * r->cap_all : 16;
		struct cab_rd_meter **all = realloc(r->all, cap * sizeof(*all));
		if (!all)
			return 0;
		r->all = all;
		r->cap_all = cap;
	}
	struct cab_rd_meter *m = calloc(1, sizeof(*m));
	char *copy = malloc(len + 1);
	if (!m || !copy) {
		free(m);
		free(copy);
		return 0;
	}
	memcpy(copy, id, len);
	copy[len] = '\0';
	m->id = copy;
	m->id_len = len;
	m->hash = cab_rd_hash(id, len);
	r->all[r->n_all++] = m;
	cab_rd_slot_insert(r->slots, r->n_slots, m->hash, r->n_all);
	return r->n_all;
}

double *cab_rd_nan_array(size_t n)
{
	double *a = malloc((n ? n : 1) * sizeof(*a));
	if (a)
		for (size_t i = 0; i < n; i++)
			a[i] = NAN;
	return a;
}

#define SLAB_BYTES ((size_t)16 << 20)

static size_t series_bytes(const struct cab_readings *r)
{
	return ((r->n ? r->n : 1) * sizeof(double) + 63) & ~(size_t)63;
}

double *cab_rd_slab_series(struct cab_readings *r)
{
	size_t need = series_bytes(r);
	struct cab_rd_slab *s = r->slabs;
	if (!s || s->used + need > s->size) {
		size_t head = (sizeof(*s) + 63) & ~(size_t)63;
		size_t size =
		    head + need > SLAB_BYTES ? head + need : SLAB_BYTES;
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		s = p;
		*s = (struct cab_rd_slab){
		    .next = r->slabs, .size = size, .used = head};
		r->slabs = s;
	}
	double *a = (double *)((char *)s + s->used);
	s->used += need;
	return a;
}

void cab_rd_free_series(struct cab_rd_meter *m)
{
	if (!m->is_in_slab)
		free(m->kwh);
	m->kwh = NULL;
	m->is_in_slab = false;
}

struct cab_rd_slab_mark cab_rd_slab_mark(const struct cab_readings *r)
{
	return (struct cab_rd_slab_mark){.slab = r->slabs,
					 .used = r->slabs ? r->slabs->used : 0};
}

void cab_rd_slab_rewind(struct cab_readings *r, struct cab_rd_slab_mark mark)
{
	while (r->slabs && r->slabs != mark.slab) {
		struct cab_rd_slab *s = r->slabs;
		r->slabs = s->next;
		munmap(s, s->size);
	}
	if (r->slabs) {
		/* the pages handed out since go back to the system */
		size_t page = (size_t)sysconf(_SC_PAGESIZE),
		       from = (mark.used + page - 1) / page * page;
		if (from < r->slabs->used)
			madvise((char *)r->slabs + from, r->slabs->used - from,
				MADV_DONTNEED);
		r->slabs->used = mark.used;
	}
}

bool cab_rd_mark_touched(struct cab_readings *r, size_t k)
{
	struct cab_rd_meter *m = r->all[k - 1];
	if (m->is_touched)
		return true;
	if (r->n_touched == r->cap_touched) {
		size_t cap = r->cap_touched ? 2 * r->cap_touched : 64;
		size_t *t = realloc(r->touched, cap * sizeof(*t));
		if (!t)
			return false;
		r->touched = t;
		r->cap_touched = cap;
	}
	r->touched[r->n_touched++] = k;
	m->is_touched = true;
	return true;
}

void cab_rd_settle(struct cab_readings *r, bool is_ok)
{
	for (size_t i = 0; i < r->n_touched; i++) {
		struct cab_rd_meter *m = r->all[r->touched[i] - 1];
		if (!is_ok && m->is_new) {
			cab_rd_free_series(m);
		} else if (!is_ok && m->kwh && m->seen &&
			   (r->n_wanted == 0 || m->is_wanted)) {
			/* only stored meters had cells written */
			for (size_t w = 0; w <= r->n / 64; w++)
				for (uint64_t b = m->seen[w]; b; b &= b - 1)
					m->kwh[w * 64 + (size_t)__builtin_ctzll(
							    b)] = NAN;
		}
		free(m->seen);
		m->seen = NULL;
		m->is_new = false;
		m->is_touched = false;
		m->is_added = false;
	}
	r->n_touched = 0;
}

void cab_rd_reindex(struct cab_readings *r)
{
	if (!r->n_slots)
		return;
	memset(r->slots, 0, r->n_slots * sizeof(*r->slots));
	for (size_t i = 0; i < r->n_all; i++)
		cab_rd_slot_insert(r->slots, r->n_slots, r->all[i]->hash,
				   i + 1);
}

void cab_rd_truncate(struct cab_readings *r, size_t n_keep)
{
	for (size_t i = n_keep; i < r->n_all; i++) {
		free(r->all[i]->id);
		cab_rd_free_series(r->all[i]);
		free(r->all[i]->filled);
		free(r->all[i]->seen);
		free(r->all[i]);
	}
	if (r->n_all > n_keep) {
		r->n_all = n_keep;
		cab_rd_reindex(r);
	}
}

void cab_rd_set_split(struct cab_readings *r, int threads, size_t min_part)
{
	r->split_threads = threads;
	r->split_min = min_part;
}

enum cab_status cab_readings_new(int64_t t0_s, size_t n_intervals,
				 struct cab_readings **out, struct cab_err *err)
{
	*out = NULL;
	struct cab_readings *r = calloc(1, sizeof(*r));
	if (!r)
		return cab_err_add(err, CAB_ENOMEM, "readings: out of memory");
	r->t0_s = t0_s;
	r->n = n_intervals;
	*out = r;
	return CAB_OK;
}

void cab_readings_free(struct cab_readings *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_all; i++) {
		free(r->all[i]->id);
		cab_rd_free_series(r->all[i]);
		free(r->all[i]->filled);
		free(r->all[i]->seen);
		free(r->all[i]);
	}
	free(r->all);
	free(r->slots);
	free(r->touched);
	cab_rd_slab_rewind(r, (struct cab_rd_slab_mark){0});
	free(r);
}

enum cab_status cab_readings_want(struct cab_readings *r, const char *meter,
				  struct cab_err *err)
{
	size_t k = cab_rd_add_meter(r, meter, strlen(meter));
	if (!k)
		return cab_err_add(err, CAB_ENOMEM, "readings: out of memory");
	if (!r->all[k - 1]->is_wanted) {
		r->all[k - 1]->is_wanted = true;
		r->n_wanted++;
	}
	return CAB_OK;
}

enum cab_status cab_readings_put(struct cab_readings *r, const char *meter,
				 const double *kwh, struct cab_err *err)
{
	size_t k = cab_rd_add_meter(r, meter, strlen(meter));
	double *copy = malloc((r->n ? r->n : 1) * sizeof(*copy));
	if (!k || !copy) {
		free(copy);
		return cab_err_add(err, CAB_ENOMEM, "readings: out of memory");
	}
	if (r->n)
		memcpy(copy, kwh, r->n * sizeof(*copy));
	cab_rd_free_series(r->all[k - 1]);
	r->all[k - 1]->kwh = copy;
	free(r->all[k - 1]->filled);
	r->all[k - 1]->filled = NULL;
	return CAB_OK;
}

enum cab_status cab_readings_put_filled(struct cab_readings *r,
					const char *meter, const double *kwh,
					const uint8_t *is_filled,
					struct cab_err *err)
{
	enum cab_status st = cab_readings_put(r, meter, kwh, err);
	if (st != CAB_OK || !is_filled)
		return st;
	bool any = false;
	for (size_t i = 0; i < r->n && !any; i++)
		any = is_filled[i] != 0;
	if (!any)
		return CAB_OK;
	size_t k = cab_rd_find_meter(r, meter, strlen(meter));
	uint8_t *copy = malloc(r->n ? r->n : 1);
	if (!copy)
		return cab_err_add(err, CAB_ENOMEM, "readings: out of memory");
	memcpy(copy, is_filled, r->n);
	r->all[k - 1]->filled = copy;
	return CAB_OK;
}

const uint8_t *cab_readings_filled(const struct cab_readings *r,
				   const char *meter)
{
	size_t k = cab_rd_find_meter(r, meter, strlen(meter));
	return k ? r->all[k - 1]->filled : NULL;
}

const double *cab_readings_series(const struct cab_readings *r,
				  const char *meter)
{
	size_t k = cab_rd_find_meter(r, meter, strlen(meter));
	return k ? r->all[k - 1]->kwh : NULL;
}

size_t cab_readings_missing(const struct cab_readings *r, const char *meter)
{
	const double *s = cab_readings_series(r, meter);
	if (!s)
		return r->n;
	size_t missing = 0;
	for (size_t i = 0; i < r->n; i++)
		missing += isnan(s[i]) ? 1 : 0;
	return missing;
}

size_t cab_readings_n_intervals(const struct cab_readings *r)
{
	return r->n;
}

int64_t cab_readings_t0(const struct cab_readings *r)
{
	return r->t0_s;
}

size_t cab_readings_n_meters(const struct cab_readings *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_all; i++)
		n += r->all[i]->kwh ? 1 : 0;
	return n;
}

size_t cab_readings_rows(const struct cab_readings *r)
{
	return r->rows;
}

const char *cab_readings_meter_id(const struct cab_readings *r, size_t i)
{
	for (size_t k = 0; k < r->n_all; k++) {
		if (!r->all[k]->kwh)
			continue;
		if (i == 0)
			return r->all[k]->id;
		i--;
	}
	return NULL;
}

const char *cab_readings_undeclared_id(const struct cab_readings *r, size_t i)
{
	for (size_t k = 0; k < r->n_all; k++) {
		if (r->all[k]->is_wanted)
			continue;
		if (i == 0)
			return r->all[k]->id;
		i--;
	}
	return NULL;
}
