/*
 * store.c — the SQLite store: schema, transactions, series in and out.
 *
 * Why: the only file that speaks SQLite (STYLE.md), so that the schema
 * and its rules (one row per meter and quarter-hour, NULL energy exactly
 * when the quality is "missing", every row traced to its import) are
 * enforced in one place. Statements are prepared once per handle; rows
 * are written with one upsert statement inside the caller's transaction,
 * which is what makes a million-row import take about a second.
 */
#include "cabine/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cabine/time.h"

#define SCHEMA_VERSION 1

static const char SCHEMA[] =
    "CREATE TABLE meter (\n"
    "  id   INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE\n"
    ");\n"
    "CREATE TABLE import (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  file        TEXT NOT NULL,\n"
    "  sha256      TEXT NOT NULL,\n"
    "  format      TEXT NOT NULL,\n"
    "  rows        INTEGER NOT NULL,\n"
    "  intervals   INTEGER NOT NULL,\n"
    "  imported_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX import_sha256 ON import(sha256);\n"
    "CREATE TABLE reading (\n"
    "  meter   INTEGER NOT NULL REFERENCES meter(id),\n"
    "  t       INTEGER NOT NULL CHECK (t % 900 = 0),\n"
    "  kwh     REAL CHECK (kwh >= 0),\n"
    "  quality INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 3),\n"
    "  import  INTEGER NOT NULL REFERENCES import(id),\n"
    "  CHECK ((quality = 3) = (kwh IS NULL)),\n"
    "  PRIMARY KEY (meter, t)\n"
    ") WITHOUT ROWID;\n"
    "PRAGMA user_version = 1;\n";

struct cab_store {
	sqlite3 *db;		 /* connection */
	char *path;		 /* for messages */
	bool in_tx;		 /* a transaction is open */
	sqlite3_stmt *sel_meter; /* id of a meter by name */
	sqlite3_stmt *ins_meter; /* new meter */
	sqlite3_stmt *sel_rows;	 /* rows of a meter in [from, to) */
	sqlite3_stmt *put_row;	 /* upsert one row */
	sqlite3_stmt *sel_file;	 /* import id by sha256 */
	sqlite3_stmt *ins_file;	 /* new import-log row */
	sqlite3_stmt *desc_file; /* file and time of an import */
};

/* SQLite's own messages (sqlite3_errmsg, sqlite3_exec's) are passed on
 * inside cabine's one line (cab_err_add keeps it one line); SQLite prints
 * nothing itself, as no SQLITE_CONFIG_LOG is set. */
static enum cab_status db_error(struct cab_store *s, struct cab_err *err,
				const char *what)
{
	return cab_err_add(err, CAB_EIO, "%s: %s: %s", s->path, what,
			   sqlite3_errmsg(s->db));
}

static enum cab_status prepare(struct cab_store *s, sqlite3_stmt **st,
			       const char *sql, struct cab_err *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return db_error(s, err, "cannot prepare a statement");
	return CAB_OK;
}

/* Create the schema in an empty database, or check the version. */
static enum cab_status check_schema(struct cab_store *s, bool is_writable,
				    struct cab_err *err)
{
	sqlite3_stmt *q = NULL;
	int version = -1, tables = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) !=
		SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return cab_err_add(err, CAB_EINPUT,
				   "%s: not a database (expected a store made "
				   "by cabine import)",
				   s->path);
	}
	version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1,
			       &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return db_error(s, err, "cannot read the schema");
	}
	tables = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version == SCHEMA_VERSION)
		return CAB_OK;
	if (version == 0 && tables == 0 && is_writable) {
		char *msg = NULL;
		if (sqlite3_exec(s->db, SCHEMA, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			enum cab_status st =
			    cab_err_add(err, CAB_EIO,
					"%s: cannot create the "
					"store: %s",
					s->path, msg ? msg : "?");
			sqlite3_free(msg);
			return st;
		}
		return CAB_OK;
	}
	if (version == 0 && tables == 0)
		return cab_err_add(err, CAB_EINPUT,
				   "%s: empty database (expected a store made "
				   "by cabine import)",
				   s->path);
	return cab_err_add(err, CAB_EINPUT,
			   "%s: not a cabine store of this version (schema "
			   "version %d, expected %d)",
			   s->path, version, SCHEMA_VERSION);
}

enum cab_status cab_store_open(const char *path, bool is_writable,
			       struct cab_store **out, struct cab_err *err)
{
	struct cab_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	int flags = is_writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				: SQLITE_OPEN_READONLY;
	enum cab_status st = CAB_OK;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		st =
		    cab_err_add(err, CAB_EINPUT,
				"%s: cannot open the store: %s (expected %s)",
				path, s->db ? sqlite3_errmsg(s->db) : "?",
				is_writable ? "a file in an existing, writable "
					      "folder"
					    : "a file made by cabine import");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	st = check_schema(s, is_writable, err);
	if (st == CAB_OK)
		st = prepare(s, &s->sel_meter,
			     "SELECT id FROM meter WHERE name = ?1", err);
	if (st == CAB_OK)
		st = prepare(s, &s->sel_rows,
			     "SELECT t, kwh, quality, import FROM reading "
			     "WHERE meter = ?1 AND t >= ?2 AND t < ?3 "
			     "ORDER BY t",
			     err);
	if (st == CAB_OK)
		st = prepare(s, &s->sel_file,
			     "SELECT id FROM import WHERE sha256 = ?1 "
			     "ORDER BY id LIMIT 1",
			     err);
	if (st == CAB_OK)
		st = prepare(s, &s->desc_file,
			     "SELECT file, imported_at FROM import WHERE id = "
			     "?1",
			     err);
	if (st == CAB_OK && is_writable)
		st = prepare(s, &s->ins_meter,
			     "INSERT INTO meter(name) VALUES (?1)", err);
	if (st == CAB_OK && is_writable)
		st = prepare(s, &s->put_row,
			     "INSERT INTO reading(meter, t, kwh, quality, "
			     "import) VALUES (?1, ?2, ?3, ?4, ?5) "
			     "ON CONFLICT(meter, t) DO UPDATE SET "
			     "kwh = excluded.kwh, quality = excluded.quality, "
			     "import = excluded.import",
			     err);
	if (st == CAB_OK && is_writable)
		st = prepare(s, &s->ins_file,
			     "INSERT INTO import(file, sha256, format, rows, "
			     "intervals, imported_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			     err);
	if (st != CAB_OK)
		goto fail;
	*out = s;
	return CAB_OK;
fail:
	cab_store_close(s);
	return st;
}

void cab_store_close(struct cab_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		cab_store_rollback(s);
	sqlite3_finalize(s->sel_meter);
	sqlite3_finalize(s->ins_meter);
	sqlite3_finalize(s->sel_rows);
	sqlite3_finalize(s->put_row);
	sqlite3_finalize(s->sel_file);
	sqlite3_finalize(s->ins_file);
	sqlite3_finalize(s->desc_file);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* Id of a meter, 0 if unknown. */
static enum cab_status meter_id(struct cab_store *s, const char *meter,
				bool is_creating, int64_t *id,
				struct cab_err *err)
{
	*id = 0;
	sqlite3_reset(s->sel_meter);
	sqlite3_bind_text(s->sel_meter, 1, meter, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s->sel_meter);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s->sel_meter, 0);
	else if (rc != SQLITE_DONE)
		return db_error(s, err, "cannot read meters");
	sqlite3_reset(s->sel_meter);
	if (*id || !is_creating)
		return CAB_OK;
	sqlite3_reset(s->ins_meter);
	sqlite3_bind_text(s->ins_meter, 1, meter, -1, SQLITE_STATIC);
	if (sqlite3_step(s->ins_meter) != SQLITE_DONE)
		return db_error(s, err, "cannot add a meter");
	sqlite3_reset(s->ins_meter);
	*id = sqlite3_last_insert_rowid(s->db);
	return CAB_OK;
}

/* Where cab_store_read() puts the rows cab_store_scan() gives. */
struct read_into {
	int64_t t0_s;	    /* start of kwh[0] */
	double *kwh;	    /* values */
	uint8_t *is_filled; /* flags, or NULL */
	bool *found;	    /* set on the first row */
};

static int read_row(void *ctx, const struct cab_store_row *row)
{
	struct read_into *r = ctx;
	size_t k = (size_t)((row->t_s - r->t0_s) / CAB_INTERVAL_S);
	*r->found = true;
	if (row->quality == CAB_Q_MISSING)
		return 0;
	r->kwh[k] = row->kwh;
	if (r->is_filled)
		r->is_filled[k] = row->quality == CAB_Q_FILLED;
	return 0;
}

enum cab_status cab_store_read(struct cab_store *s, const char *meter,
			       int64_t t0_s, size_t n, double *kwh,
			       uint8_t *is_filled, bool *found,
			       struct cab_err *err)
{
	for (size_t k = 0; k < n; k++)
		kwh[k] = NAN;
	if (is_filled)
		memset(is_filled, 0, n);
	*found = false;
	struct read_into r = {t0_s, kwh, is_filled, found};
	return cab_store_scan(s, meter, t0_s,
			      t0_s + (int64_t)n * CAB_INTERVAL_S, read_row, &r,
			      err);
}

enum cab_status cab_store_begin(struct cab_store *s, struct cab_err *err)
{
	/* IMMEDIATE: take the write lock now, so that two imports into one
	 * store queue up instead of failing halfway. */
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_error(s, err, "cannot start a transaction");
	s->in_tx = true;
	return CAB_OK;
}

enum cab_status cab_store_commit(struct cab_store *s, struct cab_err *err)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		enum cab_status st = db_error(s, err, "cannot commit");
		cab_store_rollback(s);
		return st;
	}
	s->in_tx = false;
	return CAB_OK;
}

void cab_store_rollback(struct cab_store *s)
{
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
}

enum cab_status cab_store_find_file(struct cab_store *s, const char *sha256,
				    int64_t *id, struct cab_err *err)
{
	*id = 0;
	sqlite3_reset(s->sel_file);
	sqlite3_bind_text(s->sel_file, 1, sha256, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s->sel_file);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s->sel_file, 0);
	sqlite3_reset(s->sel_file);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, err, "cannot read the import log");
	return CAB_OK;
}

enum cab_status cab_store_log_file(struct cab_store *s, const char *file,
				   const char *sha256, const char *format,
				   size_t rows, size_t intervals, int64_t *id,
				   struct cab_err *err)
{
	char now[21];
	cab_time_format_utc((int64_t)time(NULL), now);
	sqlite3_stmt *q = s->ins_file;
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)rows);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)intervals);
	sqlite3_bind_text(q, 6, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, "cannot write the import log");
	sqlite3_reset(q);
	*id = sqlite3_last_insert_rowid(s->db);
	return CAB_OK;
}

void cab_store_describe_import(struct cab_store *s, int64_t id, char *buf,
			       size_t cap)
{
	sqlite3_stmt *q = s->desc_file;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) == SQLITE_ROW)
		snprintf(buf, cap, "%s (import %lld, %s)",
			 (const char *)sqlite3_column_text(q, 0), (long long)id,
			 (const char *)sqlite3_column_text(q, 1));
	else
		snprintf(buf, cap, "import %lld", (long long)id);
	sqlite3_reset(q);
}

enum cab_status cab_store_scan(struct cab_store *s, const char *meter,
			       int64_t t_from, int64_t t_to,
			       int (*fn)(void *ctx,
					 const struct cab_store_row *row),
			       void *ctx, struct cab_err *err)
{
	int64_t id;
	enum cab_status st = meter_id(s, meter, false, &id, err);
	if (st != CAB_OK || !id)
		return st;
	sqlite3_stmt *q = s->sel_rows;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, t_from);
	sqlite3_bind_int64(q, 3, t_to);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct cab_store_row row = {
		    .t_s = sqlite3_column_int64(q, 0),
		    .kwh = sqlite3_column_type(q, 1) == SQLITE_NULL
			       ? NAN
			       : sqlite3_column_double(q, 1),
		    .quality = sqlite3_column_int(q, 2),
		    .import_id = sqlite3_column_int64(q, 3)};
		if (fn(ctx, &row))
			break;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, err, "cannot read readings");
	return CAB_OK;
}

enum cab_status cab_store_put(struct cab_store *s, const char *meter,
			      const struct cab_store_row *rows, size_t n,
			      struct cab_err *err)
{
	int64_t id;
	enum cab_status st = meter_id(s, meter, true, &id, err);
	if (st != CAB_OK)
		return st;
	sqlite3_stmt *q = s->put_row;
	for (size_t k = 0; k < n; k++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, rows[k].t_s);
		if (rows[k].quality == CAB_Q_MISSING || isnan(rows[k].kwh))
			sqlite3_bind_null(q, 3);
		else
			sqlite3_bind_double(q, 3, rows[k].kwh);
		sqlite3_bind_int(
		    q, 4, isnan(rows[k].kwh) ? CAB_Q_MISSING : rows[k].quality);
		sqlite3_bind_int64(q, 5, rows[k].import_id);
		if (sqlite3_step(q) != SQLITE_DONE)
			return db_error(s, err, "cannot write readings");
	}
	sqlite3_reset(q);
	return CAB_OK;
}
