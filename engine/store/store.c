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

#include "cabine/opfile.h"
#include "cabine/time.h"
#include "engine/base/i18n.h"

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

/* Added for the operator's files (SPEC §13, docs/store.md): created in
 * the first write transaction of a store that lacks them, so stores made
 * before stay readable (a store without them has no monthly rows and no
 * sources) and a failed import leaves no trace. */
static const char OPERATOR_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS operator_month (\n"
    "  ean      TEXT NOT NULL,\n"
    "  month    TEXT NOT NULL CHECK (length(month) = 7),\n"
    "  register TEXT NOT NULL CHECK (register IN ('TH', 'HI', 'LOW')),\n"
    "  shared_kwh REAL NOT NULL CHECK (shared_kwh >= 0),\n"
    "  complementary_kwh REAL NOT NULL CHECK (complementary_kwh >= 0),\n"
    "  shared_injection_kwh REAL NOT NULL CHECK (shared_injection_kwh >= "
    "0),\n"
    "  complementary_injection_kwh REAL,\n"
    "  gridfee_eur REAL, fee_network_eur REAL, fee_surcharges_eur REAL,\n"
    "  fee_capacity_eur REAL, fee_metering_eur REAL, fee_pso_eur REAL,\n"
    "  fee_transport_eur REAL, fee_road_eur REAL,\n"
    "  import   INTEGER NOT NULL REFERENCES import(id),\n"
    "  row      INTEGER NOT NULL,\n"
    "  PRIMARY KEY (ean, month, register)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS meter_source (\n"
    "  meter  INTEGER NOT NULL REFERENCES meter(id),\n"
    "  import INTEGER NOT NULL REFERENCES import(id),\n"
    "  row    INTEGER NOT NULL,\n"
    "  PRIMARY KEY (meter, import)\n"
    ") WITHOUT ROWID;\n";

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
	bool has_operator;	 /* operator_month and meter_source exist */
	sqlite3_stmt *ops[6];	 /* their statements, prepared when first
					used (enum op_stmt) */
};

/* The statements on the operator's tables, prepared on first use. */
enum op_stmt {
	OP_SEL_MONTHS, /* rows of one EAN and month */
	OP_DEL_MONTH,  /* delete them */
	OP_PUT_MONTH,  /* insert one row */
	OP_PUT_SOURCE, /* a meter's first row in a file */
	OP_ALL_MONTHS, /* every row of months [from, to) */
	OP_SOURCE      /* the file and row a meter's data came from */
};

/* SQLite's own messages (sqlite3_errmsg, sqlite3_exec's) are passed on
 * inside cabine's one line (cab_err_add keeps it one line); SQLite prints
 * nothing itself, as no SQLITE_CONFIG_LOG is set. */
static enum cab_status db_error(struct cab_store *s, struct cab_err *err,
				const char *what)
{
	return cab_err_add(err, CAB_EIO, "%s: %s: %s", s->path, _(what),
			   sqlite3_errmsg(s->db));
}

static enum cab_status prepare(struct cab_store *s, sqlite3_stmt **st,
			       const char *sql, struct cab_err *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return db_error(s, err, N_("cannot prepare a statement"));
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
				   _("%s: not a database (expected a "
				     "store made by cabine import)"),
				   s->path);
	}
	version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1,
			       &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return db_error(s, err, N_("cannot read the schema"));
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
					_("%s: cannot create the "
					  "store: %s"),
					s->path, msg ? msg : "?");
			sqlite3_free(msg);
			return st;
		}
		return CAB_OK;
	}
	if (version == 0 && tables == 0)
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: empty database (expected a "
				     "store made by cabine import)"),
				   s->path);
	return cab_err_add(err, CAB_EINPUT,
			   _("%s: not a cabine store of this version (schema "
			     "version %d, expected %d)"),
			   s->path, version, SCHEMA_VERSION);
}

/* Whether the operator's tables exist (a store made before them has
 * none until its next write). */
static enum cab_status find_operator_tables(struct cab_store *s,
					    struct cab_err *err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT count(*) FROM sqlite_master WHERE name "
			       "IN ('operator_month', 'meter_source')",
			       -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return db_error(s, err, N_("cannot read the schema"));
	}
	s->has_operator = sqlite3_column_int(q, 0) == 2;
	sqlite3_finalize(q);
	return CAB_OK;
}

enum cab_status cab_store_open(const char *path, bool is_writable,
			       struct cab_store **out, struct cab_err *err)
{
	struct cab_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	int flags = is_writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				: SQLITE_OPEN_READONLY;
	enum cab_status st = CAB_OK;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		st = cab_err_add(
		    err, CAB_EINPUT,
		    is_writable ? _("%s: cannot open the store: %s (expected a "
				    "file in an existing, writable folder)")
				: _("%s: cannot open the store: %s (expected a "
				    "file made by cabine import)"),
		    path, s->db ? sqlite3_errmsg(s->db) : "?");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	st = check_schema(s, is_writable, err);
	if (st == CAB_OK)
		st = find_operator_tables(s, err);
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
	for (int k = 0; k < 6; k++)
		sqlite3_finalize(s->ops[k]);
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
		return db_error(s, err, N_("cannot read meters"));
	sqlite3_reset(s->sel_meter);
	if (*id || !is_creating)
		return CAB_OK;
	sqlite3_reset(s->ins_meter);
	sqlite3_bind_text(s->ins_meter, 1, meter, -1, SQLITE_STATIC);
	if (sqlite3_step(s->ins_meter) != SQLITE_DONE)
		return db_error(s, err, N_("cannot add a meter"));
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
		return db_error(s, err, N_("cannot start a transaction"));
	s->in_tx = true;
	if (!s->has_operator) {
		char *msg = NULL;
		if (sqlite3_exec(s->db, OPERATOR_SCHEMA, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			enum cab_status st =
			    cab_err_add(err, CAB_EIO,
					_("%s: cannot add the operator's "
					  "tables: %s"),
					s->path, msg ? msg : "?");
			sqlite3_free(msg);
			return st;
		}
		s->has_operator = true;
	}
	return CAB_OK;
}

enum cab_status cab_store_commit(struct cab_store *s, struct cab_err *err)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		enum cab_status st = db_error(s, err, N_("cannot commit"));
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
	/* The operator's tables may have gone with the transaction. */
	for (int k = 0; k < 6; k++) {
		sqlite3_finalize(s->ops[k]);
		s->ops[k] = NULL;
	}
	find_operator_tables(s, NULL);
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
		return db_error(s, err, N_("cannot read the import log"));
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
		return db_error(s, err, N_("cannot write the import log"));
	sqlite3_reset(q);
	*id = sqlite3_last_insert_rowid(s->db);
	return CAB_OK;
}

/* An import-log row as "FILE (import N, TIME)", or its file alone. */
static void describe(struct cab_store *s, int64_t id, bool is_file_only,
		     char *buf, size_t cap)
{
	sqlite3_stmt *q = s->desc_file;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_ROW)
		snprintf(buf, cap, "import %lld", (long long)id);
	else if (is_file_only)
		snprintf(buf, cap, "%s",
			 (const char *)sqlite3_column_text(q, 0));
	else
		snprintf(buf, cap, "%s (import %lld, %s)",
			 (const char *)sqlite3_column_text(q, 0), (long long)id,
			 (const char *)sqlite3_column_text(q, 1));
	sqlite3_reset(q);
}

void cab_store_describe_import(struct cab_store *s, int64_t id, char *buf,
			       size_t cap)
{
	describe(s, id, false, buf, cap);
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
		return db_error(s, err, N_("cannot read readings"));
	return CAB_OK;
}

enum cab_status cab_store_meters(struct cab_store *s, int64_t t_from,
				 int64_t t_to,
				 int (*fn)(void *ctx, const char *meter),
				 void *ctx, struct cab_err *err)
{
	/* One probe of the primary key (meter, t) per meter. */
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT name FROM meter AS m WHERE EXISTS "
			       "(SELECT 1 FROM reading AS r WHERE r.meter = "
			       "m.id AND r.t >= ?1 AND r.t < ?2 AND r.kwh IS "
			       "NOT NULL) ORDER BY name",
			       -1, &q, NULL) != SQLITE_OK)
		return db_error(s, err, N_("cannot prepare a statement"));
	sqlite3_bind_int64(q, 1, t_from);
	sqlite3_bind_int64(q, 2, t_to);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (name && fn(ctx, name))
			break;
	}
	enum cab_status st = CAB_OK;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		st = db_error(s, err, N_("cannot read the meters"));
	sqlite3_finalize(q);
	return st;
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
			return db_error(s, err, N_("cannot write readings"));
	}
	sqlite3_reset(q);
	return CAB_OK;
}

/* ---- the operator's monthly rows and the meters' sources ------------- */

static const char *const OP_SQL[6] = {
    [OP_SEL_MONTHS] = "SELECT register, shared_kwh, complementary_kwh, "
		      "shared_injection_kwh, complementary_injection_kwh, "
		      "gridfee_eur, fee_network_eur, fee_surcharges_eur, "
		      "fee_capacity_eur, fee_metering_eur, fee_pso_eur, "
		      "fee_transport_eur, fee_road_eur, import, row, ean, "
		      "month FROM operator_month WHERE ean = ?1 AND month = "
		      "?2 ORDER BY register",
    [OP_DEL_MONTH] = "DELETE FROM operator_month WHERE ean = ?1 AND month "
		     "= ?2",
    [OP_PUT_MONTH] = "INSERT INTO operator_month VALUES (?1, ?2, ?3, ?4, "
		     "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
		     "?17)",
    [OP_PUT_SOURCE] = "INSERT OR IGNORE INTO meter_source(meter, import, "
		      "row) VALUES (?1, ?2, ?3)",
    [OP_ALL_MONTHS] = "SELECT register, shared_kwh, complementary_kwh, "
		      "shared_injection_kwh, complementary_injection_kwh, "
		      "gridfee_eur, fee_network_eur, fee_surcharges_eur, "
		      "fee_capacity_eur, fee_metering_eur, fee_pso_eur, "
		      "fee_transport_eur, fee_road_eur, import, row, ean, "
		      "month FROM operator_month WHERE month >= ?1 AND month "
		      "< ?2 ORDER BY ean, month, register",
    [OP_SOURCE] = "SELECT i.file, ms.row FROM reading r JOIN meter m ON "
		  "m.id = r.meter JOIN import i ON i.id = r.import LEFT "
		  "JOIN meter_source ms ON ms.meter = r.meter AND ms.import "
		  "= r.import WHERE m.name = ?1 AND r.t >= ?2 AND r.t < ?3 "
		  "ORDER BY r.t LIMIT 1",
};

/* The statement k, prepared on first use; NULL when the tables are not
 * there (an old store opened to read) or on error (reported). */
static sqlite3_stmt *op(struct cab_store *s, enum op_stmt k,
			struct cab_err *err)
{
	if (!s->has_operator)
		return NULL;
	if (!s->ops[k] && prepare(s, &s->ops[k], OP_SQL[k], err))
		return NULL;
	sqlite3_reset(s->ops[k]);
	sqlite3_clear_bindings(s->ops[k]);
	return s->ops[k];
}

static void month_key(int y, int m, char out[8])
{
	unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u;
	snprintf(out, 8, "%04u-%02u", yy, mm);
}

/* One row of a SELECT on operator_month (columns as in OP_SQL) into m. */
static void read_month_row(sqlite3_stmt *q, struct cab_opmonth *m)
{
	memset(m, 0, sizeof *m);
	snprintf(m->reg, sizeof m->reg, "%s",
		 (const char *)sqlite3_column_text(q, 0));
	for (int v = 0; v < CAB_OPM_COUNT; v++)
		m->v[v] = sqlite3_column_type(q, 1 + v) == SQLITE_NULL
			      ? NAN
			      : sqlite3_column_double(q, 1 + v);
	m->import_id = sqlite3_column_int64(q, 13);
	m->row = (long)sqlite3_column_int64(q, 14);
	snprintf(m->ean, sizeof m->ean, "%s",
		 (const char *)sqlite3_column_text(q, 15));
	const char *mk = (const char *)sqlite3_column_text(q, 16);
	if (mk && sscanf(mk, "%4d-%2d", &m->year, &m->month) != 2)
		m->year = m->month = 0;
}

enum cab_status cab_store_month_get(struct cab_store *s, const char *ean,
				    int year, int month,
				    struct cab_opmonth out[3], size_t *n,
				    struct cab_err *err)
{
	*n = 0;
	if (!s->has_operator)
		return CAB_OK;
	sqlite3_stmt *q = op(s, OP_SEL_MONTHS, err);
	if (!q)
		return CAB_EIO;
	char mk[8];
	month_key(year, month, mk);
	sqlite3_bind_text(q, 1, ean, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mk, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < 3)
		read_month_row(q, &out[(*n)++]);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, err,
				N_("cannot read the operator's months"));
	return CAB_OK;
}

enum cab_status cab_store_month_replace(struct cab_store *s,
					const struct cab_opmonth *rows,
					size_t n, struct cab_err *err)
{
	if (n == 0)
		return CAB_OK;
	char mk[8];
	month_key(rows[0].year, rows[0].month, mk);
	sqlite3_stmt *q = op(s, OP_DEL_MONTH, err);
	if (!q)
		return CAB_EIO;
	sqlite3_bind_text(q, 1, rows[0].ean, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mk, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err,
				N_("cannot write the operator's months"));
	for (size_t i = 0; i < n; i++) {
		const struct cab_opmonth *m = &rows[i];
		if (!(q = op(s, OP_PUT_MONTH, err)))
			return CAB_EIO;
		sqlite3_bind_text(q, 1, m->ean, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, mk, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 3, m->reg, -1, SQLITE_STATIC);
		for (int v = 0; v < CAB_OPM_COUNT; v++)
			if (isnan(m->v[v]))
				sqlite3_bind_null(q, 4 + v);
			else
				sqlite3_bind_double(q, 4 + v, m->v[v]);
		sqlite3_bind_int64(q, 16, m->import_id);
		sqlite3_bind_int64(q, 17, m->row);
		if (sqlite3_step(q) != SQLITE_DONE)
			return db_error(
			    s, err, N_("cannot write the operator's months"));
	}
	return CAB_OK;
}

enum cab_status cab_store_months(struct cab_store *s, int y0, int m0, int y1,
				 int m1, struct cab_opmonth **rows, size_t *n,
				 struct cab_err *err)
{
	*rows = NULL;
	*n = 0;
	if (!s->has_operator)
		return CAB_OK;
	sqlite3_stmt *q = op(s, OP_ALL_MONTHS, err);
	if (!q)
		return CAB_EIO;
	char k0[8], k1[8];
	month_key(y0, m0, k0);
	month_key(y1, m1, k1);
	sqlite3_bind_text(q, 1, k0, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, k1, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	int rc;
	enum cab_status st = CAB_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			struct cab_opmonth *t = realloc(*rows, cap * sizeof *t);
			if (!t) {
				st = cab_err_add(err, CAB_ENOMEM,
						 _("out of memory"));
				break;
			}
			*rows = t;
		}
		read_month_row(q, &(*rows)[(*n)++]);
	}
	sqlite3_reset(q);
	if (st == CAB_OK && rc != SQLITE_DONE)
		st = db_error(s, err, N_("cannot read the operator's months"));
	if (st != CAB_OK) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return st;
}

enum cab_status cab_store_note_source(struct cab_store *s, const char *meter,
				      int64_t import_id, long row,
				      struct cab_err *err)
{
	int64_t id;
	enum cab_status st = meter_id(s, meter, true, &id, err);
	sqlite3_stmt *q = st == CAB_OK ? op(s, OP_PUT_SOURCE, err) : NULL;
	if (!q)
		return st == CAB_OK ? CAB_EIO : st;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, import_id);
	sqlite3_bind_int64(q, 3, row);
	if (sqlite3_step(q) != SQLITE_DONE)
		return db_error(s, err, N_("cannot write the meters' sources"));
	return CAB_OK;
}

enum cab_status cab_store_source(struct cab_store *s, const char *meter,
				 int64_t t_from, int64_t t_to, char *file,
				 size_t size, long *row, struct cab_err *err)
{
	if (size)
		file[0] = '\0';
	*row = 0;
	if (!s->has_operator)
		return CAB_OK;
	sqlite3_stmt *q = op(s, OP_SOURCE, err);
	if (!q)
		return CAB_EIO;
	sqlite3_bind_text(q, 1, meter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, t_from);
	sqlite3_bind_int64(q, 3, t_to);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(file, size, "%s",
			 (const char *)sqlite3_column_text(q, 0));
		*row = (long)sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, err, N_("cannot read the meters' sources"));
	return CAB_OK;
}

enum cab_status cab_store_meters_ending(struct cab_store *s, const char *suffix,
					int64_t t_from, int64_t t_to,
					int (*fn)(void *ctx, const char *name),
					void *ctx, struct cab_err *err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(
		s->db,
		"SELECT name FROM meter WHERE substr(name, -length(?1)) = ?1 "
		"AND length(name) > length(?1) AND EXISTS (SELECT 1 FROM "
		"reading WHERE meter = meter.id AND t >= ?2 AND t < ?3) ORDER "
		"BY name",
		-1, &q, NULL) != SQLITE_OK)
		return db_error(s, err, N_("cannot read meters"));
	sqlite3_bind_text(q, 1, suffix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, t_from);
	sqlite3_bind_int64(q, 3, t_to);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0)))
			break;
	enum cab_status st = rc == SQLITE_DONE || rc == SQLITE_ROW
				 ? CAB_OK
				 : db_error(s, err, N_("cannot read meters"));
	sqlite3_finalize(q);
	return st;
}

void cab_store_import_file(struct cab_store *s, int64_t id, char *buf,
			   size_t cap)
{
	describe(s, id, true, buf, cap);
}
