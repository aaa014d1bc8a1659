/*
 * pack.c — cab_pack_close (pack.h): a libxlsxwriter workbook closed into
 * its .xlsx in memory, with the parts workbook_close() would write, at
 * about 40 % of its cost for an invoice (docs/PERFORMANCE.md).
 *
 * How: the steps of libxlsxwriter 1.1.4's workbook_close() and
 * lxw_create_package() (workbook.c, packager.c) in the same order, with
 * the same objects and the XML writers its headers declare, each writing
 * into a memory stream instead of a temporary file (pack_prep.c redoes
 * the three static steps, pack_parts.c the parts). Then, here:
 *  - each part is deflated by libdeflate at its fastest level (zlib's
 *    level 6 was a third of an invoice's time); the zip is laid out as
 *    minizip lays it out (the same members in the same order, no extra
 *    fields, dated 1980-01-01, "text"), only the compressed bytes differ;
 *  - a part whose bytes were already compressed in this cache (the theme,
 *    the styles, the relationships, the properties of every invoice) is
 *    not compressed again;
 *  - the file is written with one write().
 * Anything else (images, comments, tables, macros, chartsheets, formulas,
 * constant_memory, user-given chart caches, a chart naming a sheet that
 * does not exist) goes to workbook_close() untouched.
 *
 * Workload: one call per workbook; the invoices call it ~10,000 times per
 * process, each with ~65 kB of XML in 16 parts.
 */
#include "reports/xlsx/pack_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_ENTRIES 48     /* distinct parts kept */
#define CACHE_NAMES 48	     /* part names followed */
#define CACHE_MISSES 6	     /* distinct contents tried per part name */
#define CACHE_MAX_PART 16384 /* larger parts are not kept */

/* One compressed part kept for reuse. */
struct entry {
	char name[LXW_FILENAME_LENGTH]; /* the part it was first seen as */
	uint32_t crc;			/* CRC-32 of the raw bytes */
	size_t len;			/* uncompressed bytes */
	char *raw;			/* the uncompressed bytes, to compare */
	char *deflated;			/* the compressed bytes */
	size_t csize;			/* their size */
	int is_text;			/* the "text" internal attribute */
};

/* How often a part name brought new bytes: a part that changes in every
 * workbook (a sheet) stops being kept. */
struct name_misses {
	char name[LXW_FILENAME_LENGTH]; /* "xl/styles.xml", … */
	unsigned misses;		/* contents not found in the cache */
};

struct cab_pack_cache {
	struct libdeflate_compressor *z;   /* made at the first part */
	struct entry e[CACHE_ENTRIES];	   /* the parts kept */
	size_t n_e;			   /* entries used */
	struct name_misses m[CACHE_NAMES]; /* the part names seen */
	size_t n_m;			   /* names used */
};

struct cab_pack_cache *cab_pack_cache_new(void)
{
	return calloc(1, sizeof(struct cab_pack_cache));
}

static void cache_release(struct cab_pack_cache *c)
{
	libdeflate_free_compressor(c->z);
	for (size_t i = 0; i < c->n_e; i++) {
		free(c->e[i].raw);
		free(c->e[i].deflated);
	}
}

void cab_pack_cache_free(struct cab_pack_cache *c)
{
	if (!c)
		return;
	cache_release(c);
	free(c);
}

/* The zip. */

static void put_le(struct cab_pack_buf *b, uint32_t v, int bytes)
{
	char le[4];
	for (int i = 0; i < bytes; i++)
		le[i] = (char)(v >> (8 * i));
	cab_pack_put(b, le, (size_t)bytes);
}

/* The date of every member, 1980-01-01 00:00 as libxlsxwriter sets it:
 * minizip's dosDate (date in the high 16 bits). */
#define ZIP_DOS_DATE ((uint32_t)((1 << 5) | 1) << 16)

/* Deflate level: libdeflate's fastest. It compresses an invoice's parts
 * to 6 % more bytes than libxlsxwriter's zlib at level 6, in a quarter of
 * its time (docs/PERFORMANCE.md); the parts inside are the same bytes. */
#define ZIP_LEVEL 1
/* The general purpose flags of a member: deflated "super fast" (bits 1
 * and 2, as minizip marks level 1). */
#define ZIP_FLAGS 6

static struct entry *cache_find(struct cab_pack_cache *c, uint32_t crc,
				const char *data, size_t len)
{
	for (size_t i = 0; i < c->n_e; i++)
		if (c->e[i].crc == crc && c->e[i].len == len &&
		    memcmp(c->e[i].raw, data, len) == 0)
			return &c->e[i];
	return NULL;
}

/* May a new content of part `name` be kept? Counts its misses. */
static bool cache_may_keep(struct cab_pack_cache *c, const char *name,
			   size_t len)
{
	if (len > CACHE_MAX_PART || c->n_e == CACHE_ENTRIES)
		return false;
	for (size_t i = 0; i < c->n_m; i++)
		if (strcmp(c->m[i].name, name) == 0)
			return ++c->m[i].misses <= CACHE_MISSES;
	if (c->n_m == CACHE_NAMES)
		return false;
	snprintf(c->m[c->n_m].name, sizeof c->m[c->n_m].name, "%s", name);
	c->m[c->n_m++].misses = 1;
	return true;
}

/* Member `name` (pack_int.h): its local header and deflated bytes to the
 * zip, its entry to the directory. */
void cab_pack_zip_add(struct cab_pack *pk, const char *name, const char *data,
		      size_t len)
{
	if (pk->e)
		return;
	struct cab_pack_cache *c = pk->cache;
	if (!c->z && !(c->z = libdeflate_alloc_compressor(ZIP_LEVEL))) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	if (pk->n_m == pk->cap_m) {
		size_t cap = pk->cap_m ? 2 * pk->cap_m : 32;
		struct cab_pack_member *m = realloc(pk->m, cap * sizeof(*m));
		if (!m) {
			pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
			return;
		}
		pk->m = m;
		pk->cap_m = cap;
	}
	struct cab_pack_member *m = &pk->m[pk->n_m];
	snprintf(m->name, sizeof m->name, "%s", name);
	m->crc = libdeflate_crc32(0, data, len);
	m->usize = len;
	m->offset = pk->zip.n;
	size_t name_len = strlen(m->name);
	struct cab_pack_buf *z = &pk->zip;
	put_le(z, 0x04034b50, 4);
	put_le(z, 20, 2); /* version needed to extract */
	put_le(z, ZIP_FLAGS, 2);
	put_le(z, 8, 2); /* deflated */
	put_le(z, ZIP_DOS_DATE, 4);
	size_t sizes_at = z->n;
	put_le(z, 0, 4); /* crc, sizes: below */
	put_le(z, 0, 4);
	put_le(z, 0, 4);
	put_le(z, (uint32_t)name_len, 2);
	put_le(z, 0, 2); /* no extra field */
	cab_pack_put(z, m->name, name_len);
	const struct entry *hit = cache_find(c, m->crc, data, len);
	if (hit) {
		cab_pack_put(z, hit->deflated, hit->csize);
		m->csize = hit->csize;
		m->is_text = hit->is_text;
	} else {
		size_t bound = libdeflate_deflate_compress_bound(c->z, len);
		if (!cab_pack_reserve(z, bound)) {
			pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
			return;
		}
		size_t at = z->n;
		m->csize = libdeflate_deflate_compress(c->z, data, len,
						       z->p + at, bound);
		if (!m->csize) {
			pk->e = LXW_ERROR_ZIP_FILE_OPERATION;
			return;
		}
		/* minizip copies zlib's guess of text or binary into the
		 * member's "internal attributes"; every part is XML. */
		m->is_text = 1;
		z->n = at + m->csize;
		if (cache_may_keep(c, name, len)) {
			struct entry *e = &c->e[c->n_e];
			e->raw = malloc(len ? len : 1);
			e->deflated = malloc(m->csize ? m->csize : 1);
			if (e->raw && e->deflated) {
				memcpy(e->raw, data, len);
				memcpy(e->deflated, z->p + at, m->csize);
				snprintf(e->name, sizeof e->name, "%s", name);
				e->crc = m->crc;
				e->len = len;
				e->csize = m->csize;
				e->is_text = m->is_text;
				c->n_e++;
			} else {
				free(e->raw);
				free(e->deflated);
				e->raw = e->deflated = NULL;
			}
		}
	}
	if (z->is_bad) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	char *p = z->p + sizes_at;
	for (int i = 0; i < 4; i++) {
		p[i] = (char)(m->crc >> (8 * i));
		p[4 + i] = (char)(m->csize >> (8 * i));
		p[8 + i] = (char)(m->usize >> (8 * i));
	}
	pk->n_m++;
}

/* The central directory and its end record (minizip's zipClose). */
static void zip_finish(struct cab_pack *pk)
{
	struct cab_pack_buf *z = &pk->zip;
	size_t dir_at = z->n;
	for (size_t i = 0; i < pk->n_m; i++) {
		const struct cab_pack_member *m = &pk->m[i];
		size_t name_len = strlen(m->name);
		put_le(z, 0x02014b50, 4);
		put_le(z, 0, 2);  /* version made by */
		put_le(z, 20, 2); /* version needed */
		put_le(z, ZIP_FLAGS, 2);
		put_le(z, 8, 2); /* deflated */
		put_le(z, ZIP_DOS_DATE, 4);
		put_le(z, (uint32_t)m->crc, 4);
		put_le(z, (uint32_t)m->csize, 4);
		put_le(z, (uint32_t)m->usize, 4);
		put_le(z, (uint32_t)name_len, 2);
		put_le(z, 0, 2); /* extra */
		put_le(z, 0, 2); /* comment */
		put_le(z, 0, 2); /* disk */
		put_le(z, m->is_text ? 1 : 0, 2);
		put_le(z, 0, 4); /* external attributes */
		put_le(z, (uint32_t)m->offset, 4);
		cab_pack_put(z, m->name, name_len);
	}
	size_t dir_size = z->n - dir_at;
	put_le(z, 0x06054b50, 4);
	put_le(z, 0, 2);
	put_le(z, 0, 2);
	put_le(z, (uint32_t)pk->n_m, 2);
	put_le(z, (uint32_t)pk->n_m, 2);
	put_le(z, (uint32_t)dir_size, 4);
	put_le(z, (uint32_t)dir_at, 4);
	put_le(z, 0, 2); /* no comment */
	if (z->is_bad && !pk->e)
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
}

/* Write the zip into `path` at once; the file is created only here. */
static void write_file(struct cab_pack *pk, const char *path)
{
	if (pk->e)
		return;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0) {
		pk->e = LXW_ERROR_CREATING_XLSX_FILE;
		return;
	}
	size_t done = 0;
	while (done < pk->zip.n) {
		ssize_t w = write(fd, pk->zip.p + done, pk->zip.n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pk->e = LXW_ERROR_ZIP_FILE_OPERATION;
			break;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0 && !pk->e)
		pk->e = LXW_ERROR_ZIP_FILE_OPERATION;
}

lxw_error cab_pack_close(lxw_workbook *wb, struct cab_pack_cache *cache)
{
	if (!cab_pack_is_supported(wb))
		return workbook_close(wb);
	struct cab_pack *pk = calloc(1, sizeof(*pk));
	if (pk) {
		pk->wb = wb;
		pk->cache = cache ? cache : (pk->own = cab_pack_cache_new());
	}
	if (!pk || !pk->cache) {
		free(pk);
		lxw_workbook_free(wb);
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	cab_pack_prepare(pk);
	cab_pack_write_parts(pk);
	zip_finish(pk);
	write_file(pk, wb->filename);
	lxw_error e = pk->e;
	lxw_workbook_free(wb);
	for (size_t i = 0; i < pk->n_ranges; i++)
		free(pk->ranges[i].escaped);
	free(pk->ranges);
	free(pk->m);
	free(pk->part);
	free(pk->join.p);
	free(pk->zip.p);
	cab_pack_cache_free(pk->own);
	free(pk);
	return e;
}
