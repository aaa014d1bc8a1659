/*
 * pack.h — internal to reports/xlsx/: close a libxlsxwriter workbook into
 * its .xlsx file in memory, with the same parts as workbook_close() (the
 * same XML, byte for byte, under the same names in the same order), without
 * its temporary files, with a faster deflate, and without compressing
 * twice what every workbook of a run shares (docs/PERFORMANCE.md,
 * "Invoices").
 *
 * Why: workbook_close() of libxlsxwriter 1.1.4 (Debian's) writes each of
 * a workbook's ~16 parts into a temporary file, reads it back and
 * deflates it with zlib at level 6; for an invoice that was a third of
 * its CPU time in the kernel (16 file creations and deletions, ~200
 * system calls) and a third in zlib, and the theme, the styles, the
 * relationships and the document properties are the same bytes in every
 * invoice. cab_pack_close runs libxlsxwriter's own preparation and XML
 * writers (the functions its headers declare) into memory streams, zips
 * the parts itself (libdeflate, level 1: 6 % larger parts, a quarter of
 * the time), reuses the compressed bytes of a part already seen (struct
 * cab_pack_cache), and writes the two repetitive pieces itself: the cells
 * of <sheetData> and the charts' cached values (pack_xml.c), where
 * libxlsxwriter's fprintf per element was a third of the XML time. A
 * workbook using a feature these writers do not cover (images, comments,
 * tables, macros, chartsheets, formulas, constant_memory, …) is closed by
 * workbook_close() instead: the same file as before, slower.
 *
 * The files: pack.c (the cache, the zip, the order of the steps),
 * pack_prep.c (what is supported; workbook_close's preparation),
 * pack_parts.c (each part through libxlsxwriter's writers), pack_xml.c
 * (rows, chart caches, numbers); pack_int.h between them.
 *
 * The parts are checked byte for byte against workbook_close()'s on every
 * kind of invoice and on workbooks using each feature covered
 * (tests/unit/test_pack.c, tests/unit/test_invoices.c).
 *
 * Ownership: cab_pack_close() always frees the workbook (as
 * workbook_close() does). A cache belongs to its caller and to one
 * process at a time (a forked worker gets its own copy).
 */
#ifndef CABINE_REPORTS_XLSX_PACK_H
#define CABINE_REPORTS_XLSX_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include <xlsxwriter.h>

/* Compressed parts kept between the workbooks of one writer, and the
 * compressor they reuse. */
struct cab_pack_cache;

/* A new empty cache, or NULL when out of memory (callers then pass NULL:
 * a cache only saves time). */
struct cab_pack_cache *cab_pack_cache_new(void);
/* Free c (NULL allowed). */
void cab_pack_cache_free(struct cab_pack_cache *c);

/* Close wb into the file it was created for (workbook_new_opt's name),
 * with the parts workbook_close(wb) would write; wb is freed in every
 * case.
 * cache may be NULL. Returns LXW_NO_ERROR or the error workbook_close
 * would give (LXW_ERROR_CREATING_XLSX_FILE when the file cannot be
 * created, LXW_ERROR_MEMORY_MALLOC_FAILED, LXW_ERROR_ZIP_FILE_OPERATION
 * when it cannot be written whole). Nothing is printed. */
lxw_error cab_pack_close(lxw_workbook *wb, struct cab_pack_cache *cache);

/* True when cab_pack_close(wb) writes wb itself rather than through
 * workbook_close() (for the tests). */
bool cab_pack_is_supported(const lxw_workbook *wb);

/* x as "%.16G" prints it (libxlsxwriter's format for every number) into
 * buf (≥ 32 bytes), without printf for 1e-7 ≤ |x| < 1e15; returns its
 * length (exposed for its test against printf). */
int cab_pack_g16(double x, char *buf);

#endif
