/*
 * readings_par.c — a readings CSV read on several threads (issue 18):
 * the text split at line boundaries, each part read by a thread of its
 * own straight into the set's series, the parts merged.
 *
 * Why: the parse was a third of `cabine run` on the 100-participant year
 * and ran on one core; a year of a thousand meters is 35 M rows.
 *
 * How: the header is read once; each part gets a dialect of its own
 * (cab_dialect_fork) and a table of the meters it met, each tied to the
 * set's meter under one lock the first time the part meets it; values are
 * written in place (distinct cells: a valid file has each meter and
 * quarter-hour once) and each part keeps, per meter, a bitmap of the
 * cells it wrote. The merge ORs the bitmaps (two parts with the same bit:
 * a duplicate across the boundary), puts the meters the parse added in
 * their order of first appearance in the file, and adds the rows.
 *
 * Anything but valid rows — a problem, a duplicate, a blank line before
 * a row, a value already loaded before this file, a local time of the
 * repeated autumn hour that a part cannot resolve alone (the meter's
 * earlier rows lie in an earlier part), out of memory — stops every part:
 * the parse is undone (cab_rd_settle, cab_rd_truncate) and
 * readings_csv.c reads the text again on one thread, which finds and
 * words the problems exactly as before (in line order, at most 20, the
 * first line of a duplicate). A valid file is read once; a bad one is
 * read until its first problem, then once on one thread.
 *
 * Workload: 35 M rows, ~1.2 GB, on 2 cores; the canonical rows take
 * cab_dialect_fast_at, a repeated timestamp and the meter that followed
 * the last one are reused, and the pages of a mapped file are dropped
 * once read so that the resident memory stays the series'.
 *
 * Ownership: the parts and their tables live for one call; the set owns
 * what the parse adds.
 */
#include "engine/ingest/readings_set.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/ingest/dialect.h"

#define MIN_PART ((size_t)2 << 20)	/* smaller files: one thread */
#define MAX_THREADS 64			/* at most, whatever --jobs says */
#define RELEASE_STEP ((size_t)32 << 20) /* bytes read between page drops */
#define AHEAD ((size_t)4 << 20) /* bytes of a mapped text mapped ahead */
/* A part's bitmaps come in blocks of STRIDE meters, word by word: the
 * rows of one quarter-hour, meter after meter, touch one cache line per
 * 8 meters, not one page per meter. */
#define STRIDE 64

static int default_threads; /* cab_readings_parse_threads() */

void cab_readings_parse_threads(int n)
{
	default_threads = n;
}

/* A meter as one part knows it. */
struct lmeter {
	char *id;		/* its id, owned copy */
	size_t len;		/* bytes in id */
	uint64_t hash;		/* cab_rd_hash of id */
	struct cab_rd_meter *m; /* the set's meter */
	double *kwh;		/* m->kwh when the meter is stored, else NULL */
	uint64_t *seen;		/* cells this part wrote: word w at seen[w ×
				   STRIDE] (in the part's blocks) */
	size_t next;		/* index + 1 of the meter that followed it */
	bool check_old;		/* kwh held values before this parse */
};

/* What the parts share. */
struct shared {
	struct cab_readings *r; /* the target */
	pthread_mutex_t lock;	/* r's meters and tables while parts run */
	int stop;		/* a part found what it cannot take (atomic) */
	size_t words;		/* uint64_t in a bitmap of the period */
	size_t n_before;	/* meters of r before the parse */
	const char *map;	/* a mapped text (page-aligned), or NULL */
	size_t page;		/* bytes in a page */
};

struct part {
	struct shared *sh;
	const char *s, *end;  /* its lines */
	struct cab_dialect d; /* its reading of them */
	struct lmeter *lm;    /* meters met, in order of first appearance */
	size_t n_lm, cap_lm;  /* used / allocated in lm */
	uint64_t **blocks;    /* bitmaps of STRIDE meters each */
	size_t n_blocks, cap_blocks; /* used / allocated in blocks */
	size_t *slots;		     /* hash table: index + 1 into lm */
	size_t n_slots;		     /* power of two, ≥ 2 × n_lm */
	size_t rows;		     /* data rows read */
	bool has_row;		     /* a row was read */
	bool ends_blank;	     /* it ends with an empty line */
	bool failed;		     /* it met what only one thread can word */
	pthread_t thread;	     /* its thread, when is_thread */
	bool is_thread;		     /* it runs on a thread of its own */
};

static void fail(struct part *p)
{
	p->failed = true;
	__atomic_store_n(&p->sh->stop, 1, __ATOMIC_RELAXED);
}

/* ---- a part's meters ---- */

/* Tie lm to the set's meter (added if new; its series created when it
 * is stored and has none, not filled: the merge puts NaN in the cells no
 * row wrote, so that each cell is written once); false when out of
 * memory. */
static bool resolve(struct part *p, struct lmeter *lm)
{
	struct shared *sh = p->sh;
	struct cab_readings *r = sh->r;
	pthread_mutex_lock(&sh->lock);
	size_t k = cab_rd_add_meter(r, lm->id, lm->len);
	struct cab_rd_meter *m = k ? r->all[k - 1] : NULL;
	bool is_ok = m && cab_rd_mark_touched(r, k);
	bool is_stored = m && (r->n_wanted == 0 || m->is_wanted);
	double *fresh = NULL;
	if (is_ok && is_stored && !m->kwh) {
		m->kwh = fresh = cab_rd_slab_series(r);
		m->is_new = m->is_in_slab = is_ok = m->kwh != NULL;
	}
	if (is_ok) {
		m->is_added = m->is_added || k > sh->n_before;
		lm->m = m;
		lm->kwh = is_stored ? m->kwh : NULL;
		lm->check_old = !m->is_new;
	}
	pthread_mutex_unlock(&sh->lock);
#ifdef MADV_POPULATE_WRITE
	/* its pages mapped in one call rather than one fault each (outside
	 * the lock; harmless if another part writes there already) */
	if (fresh) {
		uintptr_t a = (uintptr_t)fresh / sh->page * sh->page;
		uintptr_t b = (uintptr_t)(fresh + r->n);
		madvise((void *)a, b - a, MADV_POPULATE_WRITE);
	}
#endif
	return is_ok;
}

/* The bitmap of the part's meter i (0-based), its block made if new. */
static uint64_t *bitmap_of(struct part *p, size_t i)
{
	size_t b = i / STRIDE;
	if (b == p->n_blocks) {
		if (p->n_blocks == p->cap_blocks) {
			size_t cap = p->cap_blocks ? 2 * p->cap_blocks : 16;
			uint64_t **bl = realloc(p->blocks, cap * sizeof(*bl));
			if (!bl)
				return NULL;
			p->blocks = bl;
			p->cap_blocks = cap;
		}
		p->blocks[b] = calloc(p->sh->words * STRIDE, sizeof(uint64_t));
		if (!p->blocks[b])
			return NULL;
		p->n_blocks++;
	}
	return p->blocks[b] + i % STRIDE;
}

static size_t local_find(const struct part *p, const char *id, size_t len,
			 uint64_t h)
{
	if (!p->n_slots)
		return 0;
	size_t mask = p->n_slots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		size_t k = p->slots[i];
		if (!k)
			return 0;
		const struct lmeter *m = &p->lm[k - 1];
		if (m->hash == h && m->len == len &&
		    memcmp(m->id, id, len) == 0)
			return k;
	}
}

/* Index + 1 of meter id in the part, added (and resolved) if new; 0
 * when out of memory. */
static size_t local_add(struct part *p, const char *id, size_t len)
{
	uint64_t h = cab_rd_hash(id, len);
	size_t k = local_find(p, id, len, h);
	if (k)
		return k;
	if (2 * (p->n_lm + 1) > p->n_slots) {
		size_t ns = p->n_slots ? 2 * p->n_slots : 64;
		size_t *slots = calloc(ns, sizeof(*slots));
		if (!slots)
			return 0;
		for (size_t i = 0; i < p->n_lm; i++)
			cab_rd_slot_insert(slots, ns, p->lm[i].hash, i + 1);
		free(p->slots);
		p->slots = slots;
		p->n_slots = ns;
	}
	if (p->n_lm == p->cap_lm) {
		size_t cap = p->cap_lm ? 2 * p->cap_lm : 64;
		struct lmeter *lm = realloc(p->lm, cap * sizeof(*lm));
		if (!lm)
			return 0;
		p->lm = lm;
		p->cap_lm = cap;
	}
	struct lmeter *lm = &p->lm[p->n_lm];
	/* padded with zeros: lm_is reads it 16 bytes at a time */
	*lm = (struct lmeter){.id = calloc(len + 17, 1), .len = len, .hash = h};
	if (!lm->id)
		return 0;
	memcpy(lm->id, id, len);
	lm->seen = bitmap_of(p, p->n_lm);
	if (!lm->seen || !resolve(p, lm)) {
		free(lm->id);
		return 0;
	}
	cab_rd_slot_insert(p->slots, p->n_slots, h, ++p->n_lm);
	return p->n_lm;
}

/* Is m the meter id (len bytes)? An id of up to 16 bytes that lies in
 * the text [text, end) with 16 bytes after its start is compared as two
 * words (a quoted one lies in the dialect's buffer: compared bytewise). */
static inline bool lm_is(const struct lmeter *m, const char *id, size_t len,
			 const char *text, const char *end)
{
	if (m->len != len)
		return false;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uintptr_t at = (uintptr_t)id;
	if (len <= 16 && at >= (uintptr_t)text && at + 16 <= (uintptr_t)end) {
		uint64_t a[2], b[2];
		memcpy(a, id, 16);
		memcpy(b, m->id, 16);
		uint64_t x0 = a[0] ^ b[0], x1 = a[1] ^ b[1];
		if (len < 8) {
			x0 &= (1ull << (8 * len)) - 1;
			x1 = 0;
		} else if (len < 16) {
			x1 &= (1ull << (8 * (len - 8))) - 1;
		}
		return (x0 | x1) == 0;
	}
#endif
	return memcmp(m->id, id, len) == 0;
}

/* The meter of a row: the last one, the one that followed it last time,
 * else the table. NULL when out of memory. */
static struct lmeter *meter_of(struct part *p, size_t *last, const char *id,
			       size_t len)
{
	const char *text = p->s, *end = p->end;
	size_t l = *last;
	if (l) {
		/* rows in rotation: the one that followed it; grouped by
		 * meter (then next is rarely set): the same */
		struct lmeter *m = &p->lm[l - 1];
		size_t g = m->next;
		if (g && lm_is(&p->lm[g - 1], id, len, text, end)) {
			*last = g;
			return &p->lm[g - 1];
		}
		if (lm_is(m, id, len, text, end))
			return m;
	}
	size_t k = local_add(p, id, len);
	if (!k)
		return NULL;
	if (l)
		p->lm[l - 1].next = k;
	*last = k;
	return &p->lm[k - 1];
}

/* ---- a part's lines ---- */

/* Drop the pages of a mapped text between a and b from memory (they are
 * read again from the page cache if touched). */
static void release(const struct shared *sh, const char *a, const char *b)
{
	size_t lo = (size_t)(a - sh->map) / sh->page * sh->page;
	size_t hi = (size_t)(b - sh->map) / sh->page * sh->page;
	if (hi > lo)
		madvise((void *)(sh->map + lo), hi - lo, MADV_DONTNEED);
}

/* Map the pages of a mapped text from a on, AHEAD bytes at most, in one
 * call (fewer faults); returns where that stops. */
static const char *map_ahead(const struct shared *sh, const char *a,
			     const char *end)
{
	const char *b = (size_t)(end - a) > AHEAD ? a + AHEAD : end;
#ifdef MADV_POPULATE_READ
	size_t lo = (size_t)(a - sh->map) / sh->page * sh->page;
	madvise((void *)(sh->map + lo), (size_t)(b - sh->map) - lo,
		MADV_POPULATE_READ);
#endif
	return b;
}

static void parse_part(struct part *p)
{
	struct shared *sh = p->sh;
	const struct cab_readings *r = sh->r;
	const char *s = p->s, *end = p->end, *released = s, *mapped = s;
	bool is_blank = false;
	size_t last = 0, idx = 0;
	int64_t last_t = INT64_MIN;
	bool is_in = false;
	unsigned tick = 0;
	while (s < end) {
		if ((++tick & 1023) == 0) {
			if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
				return;
			if (sh->map && (size_t)(s - released) >= RELEASE_STEP) {
				release(sh, released, s);
				released = s;
			}
			if (sh->map && mapped < end &&
			    (size_t)(mapped - s) < AHEAD / 2)
				mapped = map_ahead(sh, mapped, end);
		}
		struct cab_dialect_row row;
		const char *next =
		    p->d.is_fast ? cab_dialect_fast_at(&p->d, s, end, &row)
				 : NULL;
		if (!next) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
			next = nl ? nl + 1 : end;
			if (len && s[len - 1] == '\r')
				len--;
			enum cab_dialect_line kind =
			    len == 0 ? CAB_DIALECT_BLANK
				     : cab_dialect_row(&p->d, s, len, &row);
			if (kind == CAB_DIALECT_BAD || p->d.is_dependent) {
				fail(p);
				return;
			}
			if (kind == CAB_DIALECT_BLANK) {
				is_blank = true;
				s = next;
				continue;
			}
		}
		if (is_blank) {
			fail(p); /* an empty line before a row */
			return;
		}
		s = next;
		p->rows++;
		if (isnan(row.kwh))
			continue; /* a known hole */
		if (row.t_s != last_t) {
			last_t = row.t_s;
			is_in = row.t_s >= r->t0_s &&
				(uint64_t)(row.t_s - r->t0_s) / CAB_INTERVAL_S <
				    r->n;
			idx = is_in
				  ? (size_t)(row.t_s - r->t0_s) / CAB_INTERVAL_S
				  : 0;
		}
		if (!is_in)
			continue;
		struct lmeter *m = meter_of(p, &last, row.meter, row.meter_len);
		if (!m) {
			fail(p);
			return;
		}
		/* rows in time order visit each meter's next line much
		 * later: ask for it now */
		if (m->kwh && idx + 8 < r->n)
			__builtin_prefetch(&m->kwh[idx + 8], 1);
		uint64_t bit = 1ull << (idx & 63),
			 *w = &m->seen[(idx >> 6) * STRIDE];
		if (*w & bit) {
			fail(p); /* a duplicate inside the part */
			return;
		}
		if (m->kwh) {
			/* relaxed atomics: only a duplicate across parts
			 * makes two threads meet on a cell (then undone) */
			double old = NAN;
			if (m->check_old)
				__atomic_load(&m->kwh[idx], &old,
					      __ATOMIC_RELAXED);
			if (!isnan(old)) {
				fail(p); /* loaded before this file */
				return;
			}
			__atomic_store(&m->kwh[idx], &row.kwh,
				       __ATOMIC_RELAXED);
		}
		*w |= bit;
	}
	p->has_row = p->rows > 0;
	p->ends_blank = is_blank;
	if (sh->map)
		release(sh, released, end);
}

static void *part_thread(void *arg)
{
	parse_part(arg);
	return NULL;
}

/* ---- split and merge ---- */

/* The timestamps' form the file's first data row sets (parts after the
 * first start with it); false when that row is not a valid one. */
static bool first_form(const struct cab_dialect *hd, const char *s,
		       const char *end, int *form)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
	if (len && s[len - 1] == '\r')
		len--;
	if (!len)
		return false;
	struct cab_dialect d;
	cab_dialect_fork(&d, hd, 0, false);
	struct cab_dialect_row row;
	bool is_ok = cab_dialect_row(&d, s, len, &row) == CAB_DIALECT_ROW;
	*form = d.form;
	cab_dialect_release(&d);
	return is_ok;
}

/* OR the parts' bitmaps into each meter's `seen` (for cab_rd_settle);
 * false on a duplicate across parts, a failed part or an empty line
 * before a later part's row. *order receives the meters the parse added,
 * in order of first appearance. */
static bool merge(struct shared *sh, struct part *parts, size_t n,
		  struct cab_rd_meter **order)
{
	bool is_ok = true;
	size_t n_order = 0;
	for (size_t j = 0; j < n; j++) {
		struct part *p = &parts[j];
		is_ok = is_ok && !p->failed;
		for (size_t k = j + 1; k < n && p->ends_blank; k++)
			is_ok = is_ok && !parts[k].has_row;
		for (size_t i = 0; i < p->n_lm; i++) {
			struct lmeter *lm = &p->lm[i];
			struct cab_rd_meter *m = lm->m;
			if (!m->seen) {
				m->seen = calloc(sh->words, sizeof(uint64_t));
				if (!m->seen) {
					is_ok = false;
					continue;
				}
				if (m->is_added && order)
					order[n_order++] = m;
			}
			uint64_t both = 0;
			for (size_t w = 0; w < sh->words; w++) {
				uint64_t x = lm->seen[w * STRIDE];
				both |= m->seen[w] & x;
				m->seen[w] |= x;
			}
			is_ok = is_ok && !both;
		}
	}
	return is_ok;
}

static void part_release(struct part *p)
{
	for (size_t i = 0; i < p->n_lm; i++)
		free(p->lm[i].id);
	for (size_t b = 0; b < p->n_blocks; b++)
		free(p->blocks[b]);
	free(p->blocks);
	free(p->lm);
	free(p->slots);
	cab_dialect_release(&p->d);
}

/* NaN in the cells of the series this parse created that no row wrote. */
static void fill_missing(const struct cab_readings *r)
{
	for (size_t i = 0; i < r->n_touched; i++) {
		const struct cab_rd_meter *m = r->all[r->touched[i] - 1];
		if (!m->is_new)
			continue;
		for (size_t w = 0; w * 64 < r->n; w++) {
			uint64_t b = m->seen ? m->seen[w] : 0;
			size_t hi = r->n - w * 64 < 64 ? r->n - w * 64 : 64;
			for (size_t j = 0; b != ~0ull && j < hi; j++)
				if (!(b >> j & 1))
					m->kwh[w * 64 + j] = NAN;
		}
	}
}

/* Read the parts on threads (the first on the caller's) and merge them;
 * false when the parse must be undone. */
static bool run_parts(struct shared *sh, struct part *parts, size_t n)
{
	struct cab_readings *r = sh->r;
	struct cab_rd_slab_mark mark = cab_rd_slab_mark(r);
	for (size_t j = 1; j < n; j++)
		parts[j].is_thread =
		    pthread_create(&parts[j].thread, NULL, part_thread,
				   &parts[j]) == 0;
	parse_part(&parts[0]);
	for (size_t j = 1; j < n; j++) {
		if (parts[j].is_thread)
			pthread_join(parts[j].thread, NULL);
		else
			parse_part(&parts[j]);
	}
	size_t n_added = r->n_all - sh->n_before;
	struct cab_rd_meter **order =
	    malloc((n_added ? n_added : 1) * sizeof(*order));
	bool is_ok = merge(sh, parts, n, order) && order;
	if (is_ok)
		fill_missing(r);
	cab_rd_settle(r, is_ok);
	if (is_ok) {
		for (size_t j = 0; j < n; j++)
			r->rows += parts[j].rows;
		if (n_added) {
			memcpy(r->all + sh->n_before, order,
			       n_added * sizeof(*order));
			cab_rd_reindex(r);
		}
	} else {
		cab_rd_truncate(r, sh->n_before);
		cab_rd_slab_rewind(r, mark);
	}
	free(order);
	return is_ok;
}

bool cab_rd_parse_parts(struct cab_readings *r, const char *buf, size_t len,
			bool is_mapped)
{
	r->split_used = 0;
	if (r->split_threads < 0)
		return false;
	const char *end = buf + len;
	const char *nl = buf ? memchr(buf, '\n', len) : NULL;
	if (!nl)
		return false; /* empty, or a header alone: one thread */
	size_t hl = (size_t)(nl - buf);
	if (hl && buf[hl - 1] == '\r')
		hl--;
	struct cab_dialect hd = {0};
	const char *body = nl + 1;
	int threads = r->split_threads > 0  ? r->split_threads
		      : default_threads > 0 ? default_threads
					    : 2;
	size_t min_part = r->split_min ? r->split_min : MIN_PART;
	size_t n = (size_t)(end - body) / min_part;
	n = n < 1 ? 1 : n > (size_t)threads ? (size_t)threads : n;
	n = n > MAX_THREADS ? MAX_THREADS : n;
	int form = 0;
	struct part *parts = NULL;
	bool is_ok = cab_dialect_header(&hd, buf, hl) &&
		     (n == 1 || first_form(&hd, body, end, &form)) &&
		     (parts = calloc(n, sizeof(*parts))) != NULL;
	if (!is_ok) {
		cab_dialect_release(&hd);
		return false;
	}
	struct shared sh = {.r = r,
			    .words = r->n / 64 + 1,
			    .n_before = r->n_all,
			    .map = is_mapped ? buf : NULL,
			    .page = (size_t)sysconf(_SC_PAGESIZE)};
	pthread_mutex_init(&sh.lock, NULL);
	const char *from = body;
	for (size_t j = 0; j < n; j++) {
		const char *to = end;
		if (j + 1 < n) {
			/* the line feed at or after the middle byte: a part
			 * begins where a line does */
			to = body + (size_t)(end - body) / n * (j + 1) - 1;
			to = to < from ? from : to;
			const char *e = memchr(to, '\n', (size_t)(end - to));
			to = e ? e + 1 : end;
		}
		parts[j].sh = &sh;
		parts[j].s = from;
		parts[j].end = to;
		cab_dialect_fork(&parts[j].d, &hd, j ? form : 0, j > 0);
		from = to;
	}
	cab_dialect_release(&hd);
	is_ok = run_parts(&sh, parts, n);
	r->split_used = is_ok ? n : 0;
	for (size_t j = 0; j < n; j++)
		part_release(&parts[j]);
	free(parts);
	pthread_mutex_destroy(&sh.lock);
	return is_ok;
}
