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
#include <stdio.h>

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

/* Call fn for each meter with at least one value in [t_from, t_to), by
 * name in byte order (the name is borrowed for the call); fn returns
 * non-zero to stop. */
enum cab_status cab_store_meters(struct cab_store *s, int64_t t_from,
				 int64_t t_to,
				 int (*fn)(void *ctx, const char *meter),
				 void *ctx, struct cab_err *err);

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

/* ---- batch results (engine/store/results.c, docs/batch.md) ----------
 *
 * batch.sqlite: what `cabine batch` computed, one row per run
 * (run), per participant of a run (participant_result) and per
 * indicator of a run (indicator), plus the batch's identity (batch).
 * Written by one process only (the batch's parent), one transaction per
 * run, so a killed batch keeps every run that finished and none twice.
 * Rows carry no timestamps: the same batch gives the same rows whether
 * it ran on one machine or in shards merged later.
 *
 * Ownership: cab_results_open() returns a handle freed by
 * cab_results_close(); a struct cab_result passed in is borrowed; rows
 * given to a scan callback live until it returns. */

/* The indicators of a run (table indicator), in this order. */
enum cab_res_ind {
	CAB_RES_PARTICIPANTS = 0,	     /* participants */
	CAB_RES_INTERVALS,		     /* quarter-hours of the period */
	CAB_RES_MISSING_INTERVALS,	     /* Σ participants' missing ones */
	CAB_RES_BILL_EUR,		     /* Σ bills */
	CAB_RES_BASELINE_EUR,		     /* Σ stand-alone bills */
	CAB_RES_DELTA_EUR,		     /* Σ (bill − baseline) */
	CAB_RES_CONSUMPTION_KWH,	     /* Σ C */
	CAB_RES_PRODUCTION_KWH,		     /* Σ P */
	CAB_RES_SHARED_KWH,		     /* Σ a */
	CAB_RES_SHARED_INJECTION_KWH,	     /* Σ S */
	CAB_RES_UNALLOCATED_KWH,	     /* Σ U */
	CAB_RES_SELF_CONSUMPTION_RATE,	     /* Σa / ΣS, NaN if undefined */
	CAB_RES_SELF_SUFFICIENCY_RATE,	     /* (ΣO + Σa) / ΣC */
	CAB_RES_POSITIVE_ENERGY_BALANCE_KWH, /* ΣP − ΣC */
	CAB_RES_COINCIDENCE_FACTOR,	     /* SPEC §6 */
	CAB_RES_IND_COUNT
};
/* The indicator's name in table indicator ("bill_eur", …). */
const char *cab_results_indicator_name(enum cab_res_ind k);

/* One participant of a run. */
struct cab_result_participant {
	const char *participant; /* its id */
	int64_t bill_cents;	 /* its bill */
	int64_t baseline_cents;	 /* billed alone; see has_baseline */
	int64_t delta_cents;	 /* bill − baseline */
	bool has_baseline;	 /* false: a meterless member of a pot */
	double consumption_kwh, production_kwh, self_consumed_kwh, shared_kwh,
	    given_kwh, complementary_kwh, injected_kwh;
	double self_sufficiency_rate; /* NaN if undefined */
	size_t missing_intervals;
};

/* One run of a batch, as recorded. */
struct cab_result {
	int64_t id;		 /* 1.. in the batch's order */
	const char *name;	 /* the run's name */
	const char *params_json; /* flat {"path": value, …} ("{}" if none) */
	bool is_ok;		 /* status 'ok', else 'failed' */
	int code;		 /* failed: its enum cab_status (not stored) */
	const char *error;	 /* failed: its messages, else NULL */
	const char *sharing_key; /* ok: the key applied, else NULL */
	double ind[CAB_RES_IND_COUNT]; /* ok: indicators, NaN = undefined */
	size_t n_participants;
	const struct cab_result_participant *p; /* n_participants */
};

/* A batch's identity, checked when a results file is opened again. */
struct cab_results_meta {
	const char *fingerprint; /* what the runs are (hex digest) */
	size_t n_runs;		 /* runs of the whole batch (every shard) */
};

struct cab_results;

/* Open the results file at path, creating it if absent; an existing file
 * must hold the same batch (meta), else CAB_EINPUT says so. */
enum cab_status cab_results_open(const char *path,
				 const struct cab_results_meta *meta,
				 struct cab_results **out, struct cab_err *err);
void cab_results_close(struct cab_results *r);
/* is_ok[id - 1] = 1 for every run recorded with status ok (n_runs
 * bytes, zeroed first). */
enum cab_status cab_results_finished(struct cab_results *r, uint8_t *is_ok,
				     struct cab_err *err);
/* Record one run in one transaction, replacing whatever an earlier
 * attempt recorded for its id. */
enum cab_status cab_results_put(struct cab_results *r,
				const struct cab_result *res,
				struct cab_err *err);

/* A run read back, for batch.csv and the summary workbook. */
struct cab_results_row {
	struct cab_result run;	  /* participants not read: p NULL */
	size_t n_params;	  /* members of params_json, in order */
	const char *const *param; /* their paths */
	const char *const *value; /* their values as text (strings bare) */
	const bool *is_number;	  /* value is a JSON number */
};
/* Call fn for each run of the file at path in id order; fn returns
 * non-zero to stop. */
enum cab_status cab_results_scan(const char *path,
				 int (*fn)(void *ctx,
					   const struct cab_results_row *row),
				 void *ctx, struct cab_err *err);

/* What a merge found. */
struct cab_results_merged {
	size_t n_runs;	  /* runs of the batch */
	size_t n_ok;	  /* recorded ok */
	size_t n_failed;  /* recorded failed */
	size_t n_missing; /* in no shard */
};
/* Write out (replaced whole, or left as it was) holding every run of the
 * shards, which must come from one batch; a run recorded in two shards
 * must be recorded alike (else CAB_EINPUT). */
enum cab_status cab_results_merge(const char *out, const char *const *shards,
				  size_t n_shards,
				  struct cab_results_merged *info,
				  struct cab_err *err);
/* Every row of every table of the file at path, in key order, one line
 * each: a canonical text to compare two files (tests). */
enum cab_status cab_results_dump(const char *path, FILE *f,
				 struct cab_err *err);

/* The bytes a batch worker hands its parent for one run: *buf (heap,
 * *len bytes) from res. Fails only with CAB_ENOMEM. */
enum cab_status cab_result_pack(const struct cab_result *res, char **buf,
				size_t *len, struct cab_err *err);
/* res from bytes made by cab_result_pack (its strings point into buf,
 * its participants into *parts, a heap array the caller frees). Fails
 * with CAB_EINTERNAL on bytes it cannot read. */
enum cab_status cab_result_unpack(const char *buf, size_t len,
				  struct cab_result *res,
				  struct cab_result_participant **parts,
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
