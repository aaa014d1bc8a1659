/*
 * results.c — batch.sqlite, the results of `cabine batch` (SPEC §16,
 * docs/batch.md): schema, one transaction per run, resumption, merge of
 * shards, and a canonical dump.
 *
 * Why: a researcher's sweep of a thousand runs wants per-participant
 * rows to analyse (SQL, pandas, R), not only batch.csv's totals; a batch
 * killed after three hours must keep what it computed; shards run on a
 * cluster's nodes must join into the same file as one machine would have
 * written. So: one writer process (the batch's parent: workers hand their
 * results over a pipe), each run committed in one transaction that first
 * removes whatever an earlier attempt left for its id (a restart leaves no
 * duplicate), no timestamp in any row, and tables keyed so that their
 * order on disk does not depend on the order runs finished in: run by id,
 * participant_result by (run_id, participant), indicator by (run_id,
 * name), both WITHOUT ROWID.
 *
 * Durability: SQLite's rollback journal makes every commit all or nothing
 * even if the process is killed; synchronous=OFF skips the fsync at each
 * commit (a batch commits a run every few tens of milliseconds), which a
 * killed process does not need and only an operating-system crash would.
 *
 * Workload: thousands of runs of up to thousands of participants; a run
 * is one transaction of n_participants + 16 rows.
 *
 * sqlite3 is used here and in store.c only (STYLE.md).
 */
#include "cabine/store.h"

#include "engine/base/i18n.h"
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESULTS_APP_ID 0x63616252 /* "cabR": a cabine results file */
#define RESULTS_VERSION 1

static const char SCHEMA[] =
    "PRAGMA application_id = 1667326546;\n" /* RESULTS_APP_ID */
    "PRAGMA user_version = 1;\n"
    "CREATE TABLE batch (\n"
    "  key   TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE run (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  name        TEXT NOT NULL,\n"
    "  params_json TEXT NOT NULL,\n"
    "  status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),\n"
    "  error       TEXT,\n"
    "  sharing_key TEXT\n"
    ");\n"
    "CREATE TABLE participant_result (\n"
    "  run_id            INTEGER NOT NULL REFERENCES run(id),\n"
    "  participant       TEXT NOT NULL,\n"
    "  bill_eur          REAL NOT NULL,\n"
    "  baseline_eur      REAL,\n"
    "  delta_eur         REAL,\n"
    "  shared_kwh        REAL NOT NULL,\n"
    "  consumption_kwh   REAL NOT NULL,\n"
    "  production_kwh    REAL NOT NULL,\n"
    "  self_consumed_kwh REAL NOT NULL,\n"
    "  given_kwh         REAL NOT NULL,\n"
    "  complementary_kwh REAL NOT NULL,\n"
    "  injected_kwh      REAL NOT NULL,\n"
    "  self_sufficiency_rate REAL,\n"
    "  missing_intervals INTEGER NOT NULL,\n"
    "  bill_cents        INTEGER NOT NULL,\n"
    "  baseline_cents    INTEGER,\n"
    "  delta_cents       INTEGER,\n"
    "  PRIMARY KEY (run_id, participant)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE indicator (\n"
    "  run_id INTEGER NOT NULL REFERENCES run(id),\n"
    "  name   TEXT NOT NULL,\n"
    "  value  REAL,\n"
    "  PRIMARY KEY (run_id, name)\n"
    ") WITHOUT ROWID;\n";

static const char *const IND_NAMES[CAB_RES_IND_COUNT] = {
    "participants",
    "intervals",
    "missing_intervals",
    "bill_eur",
    "baseline_eur",
    "delta_eur",
    "consumption_kwh",
    "production_kwh",
    "shared_kwh",
    "shared_injection_kwh",
    "unallocated_kwh",
    "self_consumption_rate",
    "self_sufficiency_rate",
    "positive_energy_balance_kwh",
    "coincidence_factor",
};

const char *cab_results_indicator_name(enum cab_res_ind k)
{
	return k < CAB_RES_IND_COUNT ? IND_NAMES[k] : "?";
}

struct cab_results {
	sqlite3 *db;
	char *path;		/* for messages */
	size_t n_runs;		/* of the whole batch */
	sqlite3_stmt *del_part; /* participant rows of a run */
	sqlite3_stmt *del_ind;	/* indicator rows of a run */
	sqlite3_stmt *put_run;	/* insert or replace the run row */
	sqlite3_stmt *put_part; /* one participant row */
	sqlite3_stmt *put_ind;	/* one indicator row */
};

static enum cab_status db_fail(sqlite3 *db, const char *path,
			       struct cab_err *err, const char *what)
{
	return cab_err_add(err, CAB_EIO, "%s: %s: %s", path, _(what),
			   db ? sqlite3_errmsg(db) : _("out of memory"));
}

/* Run sql (no rows expected). */
static enum cab_status exec(sqlite3 *db, const char *path, const char *sql,
			    struct cab_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return CAB_OK;
	enum cab_status st =
	    cab_err_add(err, CAB_EIO, "%s: %s", path, msg ? msg : "?");
	sqlite3_free(msg);
	return st;
}

/* The integer result of a one-value query, or -1. */
static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* A meta value of the batch table into buf ("" if absent). */
static void meta_get(sqlite3 *db, const char *schema, const char *key,
		     char *buf, size_t size)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT value FROM %s.batch WHERE key = ?",
		 schema);
	sqlite3_stmt *q = NULL;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
			snprintf(buf, size, "%s",
				 (const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
}

/* Create the schema and the batch's identity in an empty file. */
static enum cab_status create(sqlite3 *db, const char *path,
			      const struct cab_results_meta *meta,
			      struct cab_err *err)
{
	enum cab_status st = exec(db, path, "BEGIN", err);
	if (st == CAB_OK)
		st = exec(db, path, SCHEMA, err);
	sqlite3_stmt *q = NULL;
	if (st == CAB_OK &&
	    sqlite3_prepare_v2(db,
			       "INSERT INTO batch VALUES ('fingerprint', ?), "
			       "('runs', ?), ('format', '1')",
			       -1, &q, NULL) != SQLITE_OK)
		st = db_fail(db, path, err, N_("cannot create"));
	if (st == CAB_OK) {
		sqlite3_bind_text(q, 1, meta->fingerprint, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)meta->n_runs);
		if (sqlite3_step(q) != SQLITE_DONE)
			st = db_fail(db, path, err, N_("cannot create"));
	}
	sqlite3_finalize(q);
	if (st == CAB_OK)
		st = exec(db, path, "COMMIT", err);
	else
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return st;
}

/* Open path (created if absent when is_writable) and check that it is a
 * results file. */
static enum cab_status open_db(const char *path, bool is_writable,
			       sqlite3 **out, bool *is_empty,
			       struct cab_err *err)
{
	sqlite3 *db = NULL;
	int flags = is_writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				: SQLITE_OPEN_READONLY;
	*out = NULL;
	if (!is_writable && access(path, R_OK) != 0)
		return cab_err_add(err, CAB_EINPUT, _("%s: cannot open (%s)"),
				   path, strerror(errno));
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		enum cab_status st = db_fail(db, path, err, N_("cannot open"));
		sqlite3_close(db);
		return st;
	}
	sqlite3_busy_timeout(db, 10000);
	long long app = query_int(db, "PRAGMA application_id");
	long long tables = query_int(db, "SELECT count(*) FROM sqlite_master");
	*is_empty = tables == 0 && app == 0;
	if (app < 0 || tables < 0 ||
	    (!*is_empty &&
	     (app != RESULTS_APP_ID ||
	      query_int(db, "PRAGMA user_version") != RESULTS_VERSION))) {
		sqlite3_close(db);
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: not a batch results file (expected a "
				     "batch.sqlite written by cabine batch)"),
				   path);
	}
	*out = db;
	return CAB_OK;
}

static enum cab_status prepare(struct cab_results *r, sqlite3_stmt **q,
			       const char *sql, struct cab_err *err)
{
	if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, q,
			       NULL) != SQLITE_OK)
		return db_fail(r->db, r->path, err,
			       N_("cannot prepare a statement"));
	return CAB_OK;
}

void cab_results_close(struct cab_results *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->del_part);
	sqlite3_finalize(r->del_ind);
	sqlite3_finalize(r->put_run);
	sqlite3_finalize(r->put_part);
	sqlite3_finalize(r->put_ind);
	sqlite3_close(r->db);
	free(r->path);
	free(r);
}

enum cab_status cab_results_open(const char *path,
				 const struct cab_results_meta *meta,
				 struct cab_results **out, struct cab_err *err)
{
	*out = NULL;
	struct cab_results *r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"),
				   path);
	}
	r->n_runs = meta->n_runs;
	bool is_empty = false;
	enum cab_status st = open_db(path, true, &r->db, &is_empty, err);
	if (st == CAB_OK)
		st = exec(r->db, path, "PRAGMA synchronous = OFF", err);
	if (st == CAB_OK && is_empty)
		st = create(r->db, path, meta, err);
	if (st == CAB_OK) {
		char fp[256], runs[32], want[32];
		meta_get(r->db, "main", "fingerprint", fp, sizeof fp);
		meta_get(r->db, "main", "runs", runs, sizeof runs);
		snprintf(want, sizeof want, "%zu", meta->n_runs);
		if (strcmp(fp, meta->fingerprint) || strcmp(runs, want))
			st = cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: holds the results of another batch (its "
			      "scenarios or its sweep changed since); remove "
			      "it "
			      "or choose another --out"),
			    path);
	}
	if (st == CAB_OK)
		st = prepare(r, &r->del_part,
			     "DELETE FROM participant_result WHERE run_id = ?",
			     err);
	if (st == CAB_OK)
		st = prepare(r, &r->del_ind,
			     "DELETE FROM indicator WHERE run_id = ?", err);
	if (st == CAB_OK)
		st = prepare(r, &r->put_run,
			     "INSERT OR REPLACE INTO run VALUES (?, ?, ?, ?, "
			     "?, ?)",
			     err);
	if (st == CAB_OK)
		st = prepare(r, &r->put_part,
			     "INSERT INTO participant_result VALUES (?, ?, ?, "
			     "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     err);
	if (st == CAB_OK)
		st = prepare(r, &r->put_ind,
			     "INSERT INTO indicator VALUES (?, ?, ?)", err);
	if (st != CAB_OK) {
		cab_results_close(r);
		return st;
	}
	*out = r;
	return CAB_OK;
}

enum cab_status cab_results_finished(struct cab_results *r, uint8_t *is_ok,
				     struct cab_err *err)
{
	memset(is_ok, 0, r->n_runs);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT id FROM run WHERE status = 'ok'",
			       -1, &q, NULL) != SQLITE_OK)
		return db_fail(r->db, r->path, err, N_("cannot read"));
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(q, 0);
		if (id >= 1 && (size_t)id <= r->n_runs)
			is_ok[id - 1] = 1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(r->db, r->path, err, N_("cannot read"));
	return CAB_OK;
}

/* Bind a double, NULL when it is not finite. */
static void bind_num(sqlite3_stmt *q, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

/* Step a bound insert or delete and reset it; false on failure. */
static bool step_reset(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE;
}

static bool put_participant(struct cab_results *r, int64_t id,
			    const struct cab_result_participant *p)
{
	sqlite3_stmt *q = r->put_part;
	int k = 1;
	sqlite3_bind_int64(q, k++, id);
	sqlite3_bind_text(q, k++, p->participant, -1, SQLITE_STATIC);
	sqlite3_bind_double(q, k++, (double)p->bill_cents / 100.0);
	if (p->has_baseline) {
		sqlite3_bind_double(q, k++, (double)p->baseline_cents / 100.0);
		sqlite3_bind_double(q, k++, (double)p->delta_cents / 100.0);
	} else {
		k += 2; /* NULL */
	}
	const double kwh[] = {p->shared_kwh,	 p->consumption_kwh,
			      p->production_kwh, p->self_consumed_kwh,
			      p->given_kwh,	 p->complementary_kwh,
			      p->injected_kwh,	 p->self_sufficiency_rate};
	for (size_t j = 0; j < sizeof kwh / sizeof *kwh; j++)
		bind_num(q, k++, kwh[j]);
	sqlite3_bind_int64(q, k++, (sqlite3_int64)p->missing_intervals);
	sqlite3_bind_int64(q, k++, p->bill_cents);
	if (p->has_baseline) {
		sqlite3_bind_int64(q, k++, p->baseline_cents);
		sqlite3_bind_int64(q, k++, p->delta_cents);
	}
	return step_reset(q);
}

enum cab_status cab_results_put(struct cab_results *r,
				const struct cab_result *res,
				struct cab_err *err)
{
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(r->db, r->path, err, N_("cannot write"));
	bool ok = true;
	sqlite3_bind_int64(r->del_part, 1, res->id);
	ok = ok && step_reset(r->del_part);
	sqlite3_bind_int64(r->del_ind, 1, res->id);
	ok = ok && step_reset(r->del_ind);
	sqlite3_stmt *q = r->put_run;
	sqlite3_bind_int64(q, 1, res->id);
	sqlite3_bind_text(q, 2, res->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, res->params_json ? res->params_json : "{}", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(q, 4, res->is_ok ? "ok" : "failed", -1,
			  SQLITE_STATIC);
	if (res->error)
		sqlite3_bind_text(q, 5, res->error, -1, SQLITE_STATIC);
	if (res->sharing_key)
		sqlite3_bind_text(q, 6, res->sharing_key, -1, SQLITE_STATIC);
	ok = ok && step_reset(q);
	for (size_t i = 0; ok && res->is_ok && i < res->n_participants; i++)
		ok = put_participant(r, res->id, &res->p[i]);
	for (int k = 0; ok && res->is_ok && k < CAB_RES_IND_COUNT; k++) {
		sqlite3_bind_int64(r->put_ind, 1, res->id);
		sqlite3_bind_text(r->put_ind, 2, IND_NAMES[k], -1,
				  SQLITE_STATIC);
		bind_num(r->put_ind, 3, res->ind[k]);
		ok = step_reset(r->put_ind);
	}
	if (!ok ||
	    sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		enum cab_status st =
		    db_fail(r->db, r->path, err, N_("cannot write a run"));
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	return CAB_OK;
}

/* ---- reading back ---------------------------------------------------- */

static char *dup_col(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? strdup((const char *)t) : NULL;
}

/* The parameters of params_json into row (heap arrays, freed by
 * free_params). */
static bool read_params(sqlite3 *db, const char *json,
			struct cab_results_row *row, char ***names,
			char ***values, bool **is_num)
{
	sqlite3_stmt *q = NULL;
	size_t n = 0, cap = 0;
	*names = *values = NULL;
	*is_num = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT key, CASE WHEN type IN ('object', "
			       "'array') THEN json(value) ELSE value END, "
			       "type IN ('integer', 'real') FROM json_each(?) "
			       "ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(q, 1, json, -1, SQLITE_STATIC);
	bool ok = true;
	while (ok && sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			char **a = realloc(*names, cap * sizeof *a);
			char **b = a ? realloc(*values, cap * sizeof *b) : NULL;
			bool *c = b ? realloc(*is_num, cap * sizeof *c) : NULL;
			if (a)
				*names = a;
			if (b)
				*values = b;
			if (c)
				*is_num = c;
			if (!c) {
				ok = false;
				break;
			}
		}
		(*names)[n] = dup_col(q, 0);
		(*values)[n] = dup_col(q, 1);
		(*is_num)[n] = sqlite3_column_int(q, 2) != 0;
		if (!(*values)[n])
			(*values)[n] = strdup("null");
		n++;
	}
	sqlite3_finalize(q);
	row->n_params = n;
	row->param = (const char *const *)*names;
	row->value = (const char *const *)*values;
	row->is_number = *is_num;
	return ok;
}

static void free_params(char **names, char **values, bool *is_num, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(values[i]);
	}
	free(names);
	free(values);
	free(is_num);
}

enum cab_status cab_results_scan(const char *path,
				 int (*fn)(void *ctx,
					   const struct cab_results_row *row),
				 void *ctx, struct cab_err *err)
{
	sqlite3 *db = NULL;
	bool is_empty = false;
	enum cab_status st = open_db(path, false, &db, &is_empty, err);
	if (st != CAB_OK)
		return st;
	sqlite3_stmt *q = NULL, *qi = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT id, name, params_json, status, error, "
			       "sharing_key FROM run ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT name, value FROM indicator WHERE "
			       "run_id = ?",
			       -1, &qi, NULL) != SQLITE_OK) {
		st = db_fail(db, path, err, N_("cannot read"));
		goto done;
	}
	int rc;
	while (st == CAB_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct cab_results_row row = {0};
		struct cab_result *r = &row.run;
		r->id = sqlite3_column_int64(q, 0);
		r->name = (const char *)sqlite3_column_text(q, 1);
		r->params_json = (const char *)sqlite3_column_text(q, 2);
		const char *status = (const char *)sqlite3_column_text(q, 3);
		r->is_ok = status && !strcmp(status, "ok");
		r->error = (const char *)sqlite3_column_text(q, 4);
		r->sharing_key = (const char *)sqlite3_column_text(q, 5);
		for (int k = 0; k < CAB_RES_IND_COUNT; k++)
			r->ind[k] = NAN;
		sqlite3_bind_int64(qi, 1, r->id);
		while (sqlite3_step(qi) == SQLITE_ROW) {
			const char *name =
			    (const char *)sqlite3_column_text(qi, 0);
			for (int k = 0; name && k < CAB_RES_IND_COUNT; k++)
				if (!strcmp(name, IND_NAMES[k]) &&
				    sqlite3_column_type(qi, 1) != SQLITE_NULL)
					r->ind[k] =
					    sqlite3_column_double(qi, 1);
		}
		sqlite3_reset(qi);
		char **names, **values;
		bool *is_num;
		if (!read_params(db, r->params_json ? r->params_json : "{}",
				 &row, &names, &values, &is_num))
			st = cab_err_add(err, CAB_ENOMEM,
					 _("%s: out of memory"), path);
		if (st == CAB_OK && fn(ctx, &row))
			rc = SQLITE_DONE;
		free_params(names, values, is_num, row.n_params);
		if (rc == SQLITE_DONE)
			break;
	}
	if (st == CAB_OK && rc != SQLITE_DONE)
		st = db_fail(db, path, err, N_("cannot read"));
done:
	sqlite3_finalize(q);
	sqlite3_finalize(qi);
	sqlite3_close(db);
	return st;
}

/* ---- merge ----------------------------------------------------------- */

/* Rows of table t in schema a for the ids of temp table dup, that b does
 * not have. */
static long long differ(sqlite3 *db, const char *t, const char *key,
			const char *a, const char *b)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM (SELECT * FROM %s.%s WHERE %s IN "
		 "(SELECT id FROM dup) EXCEPT SELECT * FROM %s.%s WHERE %s IN "
		 "(SELECT id FROM dup))",
		 a, t, key, b, t, key);
	return query_int(db, sql);
}

/* Join shard s (attached as "s") into main. */
static enum cab_status merge_one(sqlite3 *db, const char *out,
				 const char *shard, struct cab_err *err)
{
	/* A failed run recorded again as ok elsewhere: the ok one wins; of
	 * two failed records, the first shard's is kept. */
	static const char *const steps[] = {
	    "DELETE FROM main.participant_result WHERE run_id IN (SELECT id "
	    "FROM main.run WHERE status = 'failed' AND id IN (SELECT id FROM "
	    "s.run WHERE status = 'ok'))",
	    "DELETE FROM main.indicator WHERE run_id IN (SELECT id FROM "
	    "main.run WHERE status = 'failed' AND id IN (SELECT id FROM "
	    "s.run WHERE status = 'ok'))",
	    "DELETE FROM main.run WHERE status = 'failed' AND id IN (SELECT "
	    "id FROM s.run WHERE status = 'ok')",
	    "DROP TABLE IF EXISTS temp.dup",
	    /* Runs both record as ok must be recorded alike. */
	    "CREATE TEMP TABLE dup AS SELECT id FROM s.run WHERE status = "
	    "'ok' AND id IN (SELECT id FROM main.run WHERE status = 'ok')",
	};
	enum cab_status st = CAB_OK;
	for (size_t i = 0; st == CAB_OK && i < sizeof steps / sizeof *steps;
	     i++)
		st = exec(db, out, steps[i], err);
	if (st != CAB_OK)
		return st;
	static const char *const tables[][2] = {
	    {"run", "id"},
	    {"participant_result", "run_id"},
	    {"indicator", "run_id"},
	};
	for (size_t t = 0; t < 3; t++)
		if (differ(db, tables[t][0], tables[t][1], "s", "main") != 0 ||
		    differ(db, tables[t][0], tables[t][1], "main", "s") != 0)
			return cab_err_add(err, CAB_EINPUT,
					   _("%s: records a run differently "
					     "from another shard "
					     "(expected shards of one batch, "
					     "each run recorded "
					     "once)"),
					   shard);
	static const char *const copy[] = {
	    "INSERT INTO main.participant_result SELECT * FROM "
	    "s.participant_result WHERE run_id NOT IN (SELECT id FROM "
	    "main.run)",
	    "INSERT INTO main.indicator SELECT * FROM s.indicator WHERE "
	    "run_id NOT IN (SELECT id FROM main.run)",
	    "INSERT INTO main.run SELECT * FROM s.run WHERE id NOT IN (SELECT "
	    "id FROM main.run)",
	};
	for (size_t i = 0; st == CAB_OK && i < sizeof copy / sizeof *copy; i++)
		st = exec(db, out, copy[i], err);
	return st;
}

enum cab_status cab_results_merge(const char *out, const char *const *shards,
				  size_t n_shards,
				  struct cab_results_merged *info,
				  struct cab_err *err)
{
	*info = (struct cab_results_merged){0};
	char fp[256] = "", runs[32] = "";
	/* The first shard names the batch; each is checked before any
	 * work. */
	for (size_t i = 0; i < n_shards; i++) {
		sqlite3 *db = NULL;
		bool is_empty = false;
		enum cab_status st =
		    open_db(shards[i], false, &db, &is_empty, err);
		if (st == CAB_OK && is_empty)
			st =
			    cab_err_add(err, CAB_EINPUT,
					_("%s: not a batch results file "
					  "(expected a batch.sqlite written by "
					  "cabine batch)"),
					shards[i]);
		if (st != CAB_OK) {
			sqlite3_close(db);
			return st;
		}
		char f[256], r[32];
		meta_get(db, "main", "fingerprint", f, sizeof f);
		meta_get(db, "main", "runs", r, sizeof r);
		sqlite3_close(db);
		if (i == 0) {
			snprintf(fp, sizeof fp, "%s", f);
			snprintf(runs, sizeof runs, "%s", r);
		} else if (strcmp(fp, f) || strcmp(runs, r)) {
			return cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: holds the results of another "
			      "batch than %s (expected shards of "
			      "one batch)"),
			    shards[i], shards[0]);
		}
	}
	size_t len = strlen(out);
	char *tmp = malloc(len + 16);
	if (!tmp)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	snprintf(tmp, len + 16, "%s.tmp%ld", out, (long)getpid());
	unlink(tmp);
	struct cab_results_meta meta = {
	    .fingerprint = fp, .n_runs = (size_t)strtoull(runs, NULL, 10)};
	struct cab_results *r = NULL;
	enum cab_status st = cab_results_open(tmp, &meta, &r, err);
	for (size_t i = 0; st == CAB_OK && i < n_shards; i++) {
		char *sql = sqlite3_mprintf("ATTACH %Q AS s", shards[i]);
		st = sql ? exec(r->db, shards[i], sql, err)
			 : cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		sqlite3_free(sql);
		if (st != CAB_OK)
			break;
		st = exec(r->db, out, "BEGIN", err);
		if (st == CAB_OK)
			st = merge_one(r->db, out, shards[i], err);
		if (st == CAB_OK)
			st = exec(r->db, out, "COMMIT", err);
		else
			sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_exec(r->db, "DROP TABLE IF EXISTS temp.dup", NULL, NULL,
			     NULL);
		if (st == CAB_OK)
			st = exec(r->db, out, "DETACH s", err);
	}
	if (st == CAB_OK) {
		info->n_runs = meta.n_runs;
		info->n_ok = (size_t)query_int(
		    r->db, "SELECT count(*) FROM run WHERE status = 'ok'");
		info->n_failed = (size_t)query_int(
		    r->db, "SELECT count(*) FROM run WHERE status = 'failed'");
		size_t have = info->n_ok + info->n_failed;
		info->n_missing = have < meta.n_runs ? meta.n_runs - have : 0;
	}
	cab_results_close(r);
	if (st == CAB_OK && rename(tmp, out) != 0)
		st = cab_err_add(err, CAB_EIO, _("%s: cannot write (%s)"), out,
				 strerror(errno));
	if (st != CAB_OK)
		unlink(tmp);
	free(tmp);
	return st;
}

/* ---- dump ------------------------------------------------------------ */

enum cab_status cab_results_dump(const char *path, FILE *f, struct cab_err *err)
{
	sqlite3 *db = NULL;
	bool is_empty = false;
	enum cab_status st = open_db(path, false, &db, &is_empty, err);
	if (st != CAB_OK)
		return st;
	static const char *const queries[] = {
	    "SELECT type, name, sql FROM sqlite_master ORDER BY name",
	    "SELECT * FROM batch ORDER BY key",
	    "SELECT * FROM run ORDER BY id",
	    "SELECT * FROM participant_result ORDER BY run_id, participant",
	    "SELECT * FROM indicator ORDER BY run_id, name",
	};
	for (size_t i = 0; st == CAB_OK && i < sizeof queries / sizeof *queries;
	     i++) {
		sqlite3_stmt *q = NULL;
		if (sqlite3_prepare_v2(db, queries[i], -1, &q, NULL) !=
		    SQLITE_OK) {
			st = db_fail(db, path, err, N_("cannot read"));
			break;
		}
		fprintf(f, "-- %s\n", queries[i]);
		while (sqlite3_step(q) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(q); c++) {
				if (c)
					fputc('|', f);
				switch (sqlite3_column_type(q, c)) {
				case SQLITE_NULL:
					fputs("NULL", f);
					break;
				case SQLITE_INTEGER:
					fprintf(f, "%lld",
						(long long)sqlite3_column_int64(
						    q, c));
					break;
				case SQLITE_FLOAT:
					fprintf(f, "%.17g",
						sqlite3_column_double(q, c));
					break;
				default:
					fprintf(f, "'%s'",
						(const char *)
						    sqlite3_column_text(q, c));
				}
			}
			fputc('\n', f);
		}
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return st;
}
