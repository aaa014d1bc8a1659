/*
 * pack_int.h — between the files of cab_pack_close (pack.h): the state of
 * one workbook being closed, and what each file does for the others.
 * Internal to reports/xlsx/pack*.c.
 *
 * Ownership: struct cab_pack is pack.c's (cab_pack_close creates and
 * frees it with everything it points to, except the workbook, which
 * lxw_workbook_free frees, and the caller's cache).
 */
#ifndef CABINE_REPORTS_XLSX_PACK_INT_H
#define CABINE_REPORTS_XLSX_PACK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reports/xlsx/pack.h"

/* A growing byte buffer; is_bad once an allocation failed. */
struct cab_pack_buf {
	char *p;     /* the bytes (malloc'd) */
	size_t n;    /* bytes used */
	size_t cap;  /* bytes allocated */
	bool is_bad; /* an allocation failed: the content is incomplete */
};
/* Room for `more` bytes after b->n; false (and is_bad) when out of
 * memory. */
bool cab_pack_reserve(struct cab_pack_buf *b, size_t more);
void cab_pack_put(struct cab_pack_buf *b, const char *s, size_t n);
void cab_pack_puts(struct cab_pack_buf *b, const char *s);
/* s with & < > escaped, as libxlsxwriter escapes element text. */
void cab_pack_put_escaped(struct cab_pack_buf *b, const char *s);

/* Can pack_xml.c write ws's <sheetData> (numbers, shared strings and
 * formatted blanks only)? */
bool cab_pack_rows_supported(const lxw_worksheet *ws);
/* Append ws's <sheetData> element as libxlsxwriter writes it. */
void cab_pack_rows(struct cab_pack_buf *b, lxw_worksheet *ws);

/* Append sst's sharedStrings.xml as libxlsxwriter writes it. */
void cab_pack_sst(struct cab_pack_buf *b, const lxw_sst *sst);

/* Append to b the cached values libxlsxwriter would write after the
 * <c:f> of `range` (its dimensions already set): a <c:strCache> when
 * is_str, else a <c:numCache>; nothing for a range without a cache. */
void cab_pack_range_cache(struct cab_pack_buf *b, lxw_workbook *wb,
			  const lxw_series_range *range, bool is_str);

/* One member of the zip being written (its central directory entry). */
struct cab_pack_member {
	char name[LXW_FILENAME_LENGTH]; /* "xl/worksheets/sheet1.xml" */
	uint32_t crc;			/* CRC-32 of its uncompressed bytes */
	size_t csize, usize;		/* compressed, uncompressed bytes */
	size_t offset;			/* of its local header in the zip */
	int is_text;			/* the "text" internal attribute */
};

/* One chart range whose cached values pack_xml.c writes. */
struct cab_pack_range {
	lxw_series_range *range; /* libxlsxwriter's, in a chart */
	char *escaped;		 /* its formula as the XML shows it */
};

/* One workbook being closed. */
struct cab_pack {
	lxw_workbook *wb;	      /* the workbook being closed */
	struct cab_pack_cache *cache; /* the caller's, or `own` */
	struct cab_pack_cache *own; /* this call's, when the caller gave none */
	struct cab_pack_buf zip;    /* the file */
	struct cab_pack_member *m;  /* the members written so far */
	size_t n_m, cap_m;	    /* their number, the room for them */
	char *part;		    /* the current part (a memory stream's) */
	size_t part_len;	    /* its bytes */
	struct cab_pack_buf join;   /* a part with its spliced pieces */
	struct cab_pack_range *ranges; /* every range of the placed charts */
	size_t n_ranges, cap_ranges;   /* their number, the room for them */
	lxw_error e;		       /* the first error, or LXW_NO_ERROR */
};

/* pack.c: add member `name`, the uncompressed bytes data[0..len), to the
 * zip (its deflated bytes reused from the cache when it holds them). */
void cab_pack_zip_add(struct cab_pack *pk, const char *name, const char *data,
		      size_t len);

/* pack_prep.c: workbook_close()'s steps before the package (active
 * sheet, defined names, charts placed, chart ranges into pk->ranges). */
void cab_pack_prepare(struct cab_pack *pk);

/* pack_parts.c: every part, in lxw_create_package's order. */
void cab_pack_write_parts(struct cab_pack *pk);

#endif
