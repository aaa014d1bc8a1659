/*
 * store.h — the SQLite store of quarter-hour series (docs/store.md).
 *
 * Why: researchers keep years of meter data of a community in one file
 * and scenarios read from it with "db" (SPEC §8). The store holds meters,
 * one row per meter and quarter-hour with a quality flag, and an import
 * log (file, SHA-256, rows, time). Every change happens inside one
 * transaction opened by cab_store_begin(): commit or rollback leaves the
 * file either fully updated or exactly as before, even if the process is
 * killed (SQLite's journal). SQLite is used in store.c only.
 *
 * Workload: an import writes tens of thousands to millions of rows in one
 * transaction; a run reads a few thousand series of ~35,000 rows each.
 *
 * Ownership: cab_store_open() returns a handle closed (and freed) by
 * cab_store_close(), which rolls back an open transaction. Strings passed
 * in are borrowed for the call.
 */
#ifndef CABINE_STORE_H
#define CABINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/import.h"
#include "cabine/opfile.h"

struct cab_store;

/* Open (and with is_writable, create or upgrade the schema of) the store
 * at path. A file that is not a cabine store is an error naming it. */
enum cab_status cab_store_open(const char *path, bool is_writable,
			       struct cab_store **out, struct cab_err *err);
void cab_store_close(struct cab_store *s);

/* Read a meter's series over [t0_s, t0_s + n × 900): kwh[k] = NaN where
 * the store has no value. is_filled (n bytes, may be NULL) is set to 1
 * where the stored value was filled at import. *found = false when the
 * meter has no row at all in that period. */
enum cab_status cab_store_read(struct cab_store *s, const char *meter,
			       int64_t t0_s, size_t n, double *kwh,
			       uint8_t *is_filled, bool *found,
			       struct cab_err *err);

/* ---- writing (cab_import only) --------------------------------------- */

enum cab_status cab_store_begin(struct cab_store *s, struct cab_err *err);
enum cab_status cab_store_commit(struct cab_store *s, struct cab_err *err);
void cab_store_rollback(struct cab_store *s);

/* Import-log id of a file with this SHA-256 (hex), or 0 if none. */
enum cab_status cab_store_find_file(struct cab_store *s, const char *sha256,
				    int64_t *id, struct cab_err *err);
/* Add an import-log row; *id receives its id. */
enum cab_status cab_store_log_file(struct cab_store *s, const char *file,
				   const char *sha256, const char *format,
				   size_t rows, size_t intervals, int64_t *id,
				   struct cab_err *err);
/* Describe an import-log row for messages: "FILE (import N, TIME)" into
 * buf of size cap. */
void cab_store_describe_import(struct cab_store *s, int64_t id, char *buf,
			       size_t cap);

/* One stored quarter-hour, as read back for merging. */
struct cab_store_row {
	int64_t t_s;	   /* UTC start */
	double kwh;	   /* NaN when quality is missing */
	int quality;	   /* enum cab_quality */
	int64_t import_id; /* log row that gave it */
};

/* Call fn for each stored row of meter in [t_from, t_to), in time order;
 * fn returns non-zero to stop. */
enum cab_status cab_store_scan(struct cab_store *s, const char *meter,
			       int64_t t_from, int64_t t_to,
			       int (*fn)(void *ctx,
					 const struct cab_store_row *row),
			       void *ctx, struct cab_err *err);

/* Insert or overwrite rows of a meter (creating the meter). Rows with
 * quality missing store NULL. */
enum cab_status cab_store_put(struct cab_store *s, const char *meter,
			      const struct cab_store_row *rows, size_t n,
			      struct cab_err *err);

/* ---- the operator's files (SPEC §13): monthly rows and the meters'
 * sources; added by the operator branch ---- */

/* The registers (at most 3) stored for an EAN and month, by register
 * name. Nothing in a store made before the operator's tables. */
enum cab_status cab_store_month_get(struct cab_store *s, const char *ean,
				    int year, int month,
				    struct cab_opmonth out[3], size_t *n,
				    struct cab_err *err);
/* Replace the registers of rows[0]'s EAN and month by rows[0..n) (all of
 * one EAN and month, import_id set). In a transaction (cab_import). */
enum cab_status cab_store_month_replace(struct cab_store *s,
					const struct cab_opmonth *rows,
					size_t n, struct cab_err *err);
/* Every monthly row of the months [y0-m0, y1-m1), by EAN, month and
 * register: *rows (heap, *n entries) belongs to the caller. */
enum cab_status cab_store_months(struct cab_store *s, int y0, int m0, int y1,
				 int m1, struct cab_opmonth **rows, size_t *n,
				 struct cab_err *err);
/* Record that meter's data in import import_id start at the file's
 * row `row` (kept once per meter and import). In a transaction. */
enum cab_status cab_store_note_source(struct cab_store *s, const char *meter,
				      int64_t import_id, long row,
				      struct cab_err *err);
/* The file and row that gave the first stored quarter-hour of meter in
 * [t_from, t_to): file ("" when none) and *row (0 when unknown). */
enum cab_status cab_store_source(struct cab_store *s, const char *meter,
				 int64_t t_from, int64_t t_to, char *file,
				 size_t size, long *row, struct cab_err *err);
/* Call fn for every meter whose name ends in suffix (and is longer) and
 * has a stored quarter-hour in [t_from, t_to), by name; fn returns
 * non-zero to stop. */
enum cab_status cab_store_meters_ending(struct cab_store *s, const char *suffix,
					int64_t t_from, int64_t t_to,
					int (*fn)(void *ctx, const char *name),
					void *ctx, struct cab_err *err);
/* The file an import-log row names, into buf (cap bytes). */
void cab_store_import_file(struct cab_store *s, int64_t id, char *buf,
			   size_t cap);

#endif
