/*
 * test_operator.c — running a real community with the operator's files
 * (SPEC §13): the store keeps them (idempotent, all or nothing, old
 * stores readable), a quarter-hour file made from cabine's own
 * allocation reconciles with zero differences (random communities and
 * the sample), one without a member or from another key is found and
 * named, an EAN no participant has names its file and row, and bills
 * from the operator's volumes equal the file's volumes × the tariff (a
 * hand-computed month) and keep SPEC §9's identities.
 *
 * Files are written into a fresh folder under /tmp; the operator's files
 * are written from runs by tests/operator_files.h, as the sample
 * generator writes them.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabine/cabine.h"
#include "engine/base/slurp.h"
#include "harness.h"
#include "operator_files.h"

#define SAMPLES "tests/data/samples/operator/"

static char dir[64];

static const char *path_of(const char *name)
{
	static char buf[8][256];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(path_of(name), "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

/* Import files into store `db` with format f; the status. */
static enum cab_status import(const char *db, enum cab_format f,
			      const char *file, struct cab_import_result *res,
			      struct cab_err *err)
{
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = db;
	o.format = f;
	const char *files[] = {file};
	return cab_import(&o, files, 1, res, err);
}

/* A loaded scenario with its readings and its run. */
struct loaded {
	struct cab_scenario *sc;
	struct cab_readings *rd;
	struct cab_run *run;
	struct cab_err err;
};

static enum cab_status load(struct loaded *l, const char *path)
{
	memset(l, 0, sizeof *l);
	cab_err_init(&l->err);
	enum cab_status st = cab_scenario_load(path, &l->sc, &l->err);
	if (st == CAB_OK)
		st = cab_source_load(l->sc, &l->rd, &l->err);
	if (st == CAB_OK)
		st = cab_run_new(l->sc, l->rd, -1, &l->run, &l->err);
	if (st != CAB_OK && l->err.text)
		fprintf(stderr, "  %s", l->err.text);
	return st;
}

static void unload(struct loaded *l)
{
	cab_run_free(l->run);
	cab_readings_free(l->rd);
	cab_scenario_free(l->sc);
	cab_err_release(&l->err);
}

/* The reconciliation of run against store db; NULL on error. */
static struct cab_reconcile *reconcile(const struct cab_run *run,
				       const char *db, struct cab_operator **op)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_reconcile *r = NULL;
	if (cab_operator_load(run->sc, db, op, &err) == CAB_OK)
		cab_reconcile_new(run, *op, db, &r, &err);
	if (err.text)
		fprintf(stderr, "  %s", err.text);
	cab_err_release(&err);
	return r;
}

static const struct cab_finding *finding(const struct cab_reconcile *r,
					 enum cab_finding_kind k)
{
	for (size_t i = 0; r && i < r->n_findings; i++)
		if (r->findings[i].kind == k)
			return &r->findings[i];
	return NULL;
}

/* ---- the store ---- */

TEST(both_files_import_idempotent_csv_and_xlsx_alike)
{
	const char *db = path_of("a.db");
	struct cab_import_result r;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(import(db, CAB_FMT_SIBELGA_15MIN, SAMPLES "sibelga-15min.csv",
			 &r, &err),
		  CAB_OK);
	/* 5 EANs × 4 types × 2,980 quarter-hours. */
	CHECK_INT(r.inserted, 59600);
	CHECK_INT(import(db, CAB_FMT_SIBELGA_15MIN,
			 SAMPLES "sibelga-15min.xlsx", &r, &err),
		  CAB_OK);
	CHECK_INT(r.inserted, 0);
	CHECK_INT(r.unchanged, 59600);
	CHECK_INT(import(db, CAB_FMT_SIBELGA_MONTH, SAMPLES "sibelga-month.csv",
			 &r, &err),
		  CAB_OK);
	CHECK_INT(r.month_rows, 6);
	CHECK_INT(r.inserted, 6);
	CHECK_INT(import(db, CAB_FMT_SIBELGA_MONTH,
			 SAMPLES "sibelga-month.xlsx", &r, &err),
		  CAB_OK);
	CHECK_INT(r.unchanged, 6);
	/* Another value for a stored month is a conflict; nothing moves. */
	write_file("m2.csv", "Compteur;Mois;Registre;Volume Partagé;Volume "
			     "Complémentaire;Injection Partagée\n"
			     "541449200000000011;2024-10;TH;1;2;0\n");
	CHECK_INT(
	    import(db, CAB_FMT_SIBELGA_MONTH, path_of("m2.csv"), &r, &err),
	    CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "m2.csv:2: meter "
					   "541449200000000011 in 2024-10, "
					   "register TH: shared volume"));
	struct cab_store *s = NULL;
	struct cab_opmonth *rows = NULL;
	size_t n = 0;
	CHECK_INT(cab_store_open(db, false, &s, NULL), CAB_OK);
	CHECK_INT(cab_store_months(s, 2024, 10, 2024, 11, &rows, &n, NULL),
		  CAB_OK);
	CHECK_INT(n, 6);
	CHECK_INT(n ? rows[0].row : 0, 2);
	CHECK_NEAR(n ? rows[0].v[CAB_OPM_SHARED] : 0, 104.9472, 1e-9);
	free(rows);
	cab_store_close(s);
	cab_err_release(&err);
}

/* A store made before the operator's tables (schema 1 as it was) still
 * opens, reads, has no operator data, and takes a monthly file. */
TEST(a_store_made_before_stays_readable)
{
	const char *db = path_of("old.db");
	sqlite3 *h;
	CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(
		      h,
		      "CREATE TABLE meter (id INTEGER PRIMARY KEY, name TEXT "
		      "NOT NULL UNIQUE);"
		      "CREATE TABLE import (id INTEGER PRIMARY KEY, file TEXT "
		      "NOT NULL, sha256 TEXT NOT NULL, format TEXT NOT NULL, "
		      "rows INTEGER NOT NULL, intervals INTEGER NOT NULL, "
		      "imported_at TEXT NOT NULL);"
		      "CREATE INDEX import_sha256 ON import(sha256);"
		      "CREATE TABLE reading (meter INTEGER NOT NULL, t INTEGER "
		      "NOT NULL, kwh REAL, quality INTEGER NOT NULL, import "
		      "INTEGER NOT NULL, PRIMARY KEY (meter, t)) WITHOUT "
		      "ROWID;"
		      "INSERT INTO meter VALUES (1, 'm');"
		      "INSERT INTO import VALUES (1, 'x', 'ab', 'csv', 1, 1, "
		      "'2024');"
		      "INSERT INTO reading VALUES (1, 1727733600, 0.5, 0, 1);"
		      "PRAGMA user_version = 1;",
		      NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
	struct cab_store *s = NULL;
	CHECK_INT(cab_store_open(db, false, &s, NULL), CAB_OK);
	double kwh[2];
	bool found;
	CHECK_INT(
	    cab_store_read(s, "m", 1727733600, 2, kwh, NULL, &found, NULL),
	    CAB_OK);
	CHECK_NEAR(kwh[0], 0.5, 0);
	struct cab_opmonth *rows = NULL;
	size_t n = 9;
	CHECK_INT(cab_store_months(s, 2024, 1, 2025, 1, &rows, &n, NULL),
		  CAB_OK);
	CHECK_INT(n, 0);
	cab_store_close(s);
	struct cab_import_result r;
	CHECK_INT(import(db, CAB_FMT_SIBELGA_MONTH, SAMPLES "sibelga-month.csv",
			 &r, NULL),
		  CAB_OK);
	CHECK_INT(r.inserted, 6);
}

/* ---- reconciliation ---- */

static uint64_t rng = 88172645463325252ull;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* A random community of n members over October 2024 with key `key`
 * (weights random, summing to at most 1): scenario and readings in dir,
 * scenario path returned. Supply is scarce enough that keys differ. */
static const char *random_community(int n, const char *key)
{
	FILE *f = fopen(path_of("r.csv"), "w");
	if (!f)
		abort();
	fputs("timestamp,meter,kwh\n", f);
	int64_t t0 = cab_time_local_midnight(2024, 10, 1);
	int64_t t1 = cab_time_local_midnight(2024, 11, 1);
	double pv[8];
	for (int i = 0; i < n; i++)
		pv[i] = i % 3 == 0 ? 0.2 + uniform() : 0;
	for (int64_t t = t0; t < t1; t += 900) {
		char ts[21];
		cab_time_format_utc(t, ts);
		struct cab_civil c;
		cab_time_to_local(t, &c);
		double sun = c.hour >= 9 && c.hour < 17 ? uniform() : 0;
		for (int i = 0; i < n; i++) {
			double cons = 0.05 + 0.3 * uniform(), p = pv[i] * sun;
			fprintf(f, "%s,m%d.off,%.3f\n", ts, i,
				cons > p ? cons - p : 0);
			if (pv[i] > 0)
				fprintf(f, "%s,m%d.inj,%.3f\n", ts, i,
					p > cons ? p - cons : 0);
		}
	}
	fclose(f);
	f = fopen(path_of("r.json"), "w");
	if (!f)
		abort();
	fprintf(f, "{\"name\": \"random\", \"period\": {\"start\": "
		   "\"2024-10-01\", \"end\": \"2024-11-01\"}, \"readings\": "
		   "\"r.csv\", \"participants\": [");
	for (int i = 0; i < n; i++) {
		fprintf(
		    f,
		    "%s{\"id\": \"m%d\", \"ean\": \"5414492000000000%02d\", "
		    "\"meters\": {\"offtake\": \"m%d.off\"",
		    i ? "," : "", i, i, i);
		if (pv[i] > 0)
			fprintf(f, ", \"injection\": \"m%d.inj\"", i);
		fprintf(f, "}}");
	}
	fprintf(f,
		"], \"tariff\": {\"supplier_day_eur_kwh\": 0.3, "
		"\"network_eur_kwh\": 0.1, \"network_shared_eur_kwh\": "
		"{\"A\": 0.03, \"B\": 0.05, \"C\": 0.08, \"D\": 0.1}, "
		"\"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.04}, "
		"\"sharing\": {\"key\": \"%s\", \"price_eur_kwh\": 0.15",
		key);
	if (!strcmp(key, "fixed") || !strcmp(key, "hybrid")) {
		fprintf(f, ", \"weights\": {");
		for (int i = 0; i < n; i++)
			fprintf(f, "%s\"m%d\": %.3f", i ? ", " : "", i,
				0.9 / n * (0.5 + uniform()));
		fprintf(f, "}");
	}
	fprintf(f, "}}\n");
	fclose(f);
	return path_of("r.json");
}

/* The property of SPEC §13: an operator's file made from cabine's own
 * allocation reconciles with zero differences, on random communities of
 * every standard key; and the scenario's key is the one that fits. */
TEST(own_allocation_reconciles_with_zero_differences)
{
	static const char *const keys[] = {"fixed", "proportional", "hybrid",
					   "fixed", "proportional"};
	for (int k = 0; k < 5; k++) {
		struct loaded l;
		if (load(&l, random_community(2 + k, keys[k])) != CAB_OK) {
			CHECK(false);
			unload(&l);
			continue;
		}
		char db[64];
		snprintf(db, sizeof db, "rand%d.db", k);
		CHECK_INT(opf_write_15min_csv(l.run, path_of("q.csv"), -1), 0);
		CHECK_INT(import(path_of(db), CAB_FMT_SIBELGA_15MIN,
				 path_of("q.csv"), NULL, NULL),
			  CAB_OK);
		struct cab_operator *op = NULL;
		struct cab_reconcile *r = reconcile(l.run, path_of(db), &op);
		CHECK(r != NULL);
		if (r) {
			CHECK_INT(r->n_different, 0);
			CHECK_INT(r->n_quarters_all, 0);
			CHECK(!r->is_different);
			CHECK(finding(r, CAB_FIND_AGREE) != NULL);
			const struct cab_finding *f = finding(r, CAB_FIND_KEY);
			CHECK(f && f->fit == 0 && r->fits[0].is_scenario &&
			      r->fits[0].differ_rate < 1e-4);
		}
		cab_reconcile_free(r);
		cab_operator_free(op);
		unload(&l);
	}
}

/* The sample's own run written as both operator files: no difference,
 * grid fees included, and no finding but h03's late start (it joined on
 * the 15th) and the key. */
TEST(own_files_of_the_sample_reconcile_with_zero_differences)
{
	struct loaded l;
	CHECK_INT(load(&l, SAMPLES "scenario.json"), CAB_OK);
	if (!l.run) {
		unload(&l);
		return;
	}
	static const char *const dual[] = {"h02", NULL};
	CHECK_INT(opf_write_15min_csv(l.run, path_of("own.csv"), -1), 0);
	CHECK_INT(opf_write_month_csv(l.run, path_of("own-m.csv"), -1, dual),
		  0);
	CHECK_INT(import(path_of("own.db"), CAB_FMT_SIBELGA_15MIN,
			 path_of("own.csv"), NULL, NULL),
		  CAB_OK);
	CHECK_INT(import(path_of("own.db"), CAB_FMT_SIBELGA_MONTH,
			 path_of("own-m.csv"), NULL, NULL),
		  CAB_OK);
	struct cab_operator *op = NULL;
	struct cab_reconcile *r = reconcile(l.run, path_of("own.db"), &op);
	CHECK(r && r->n_compared == 5 * 4 && r->n_different == 0 &&
	      !r->is_different && r->n_quarters_all == 0);
	CHECK_INT(r ? r->n_findings : 0, 3);
	const struct cab_finding *late = finding(r, CAB_FIND_LATE_START);
	CHECK(late && late->participant == cab_scenario_find(l.sc, "h03"));
	CHECK(late && late->t_s == cab_time_local_midnight(2024, 10, 15));
	CHECK(finding(r, CAB_FIND_KEY) && finding(r, CAB_FIND_AGREE));
	cab_reconcile_free(r);
	cab_operator_free(op);
	unload(&l);
}

/* The sample with h04 left out of the operator's file: h04 is named as
 * absent from the quarter-hour file, its shared energy differs, and the
 * command's --fail-on-difference would fail. */
TEST(a_member_left_out_is_found_and_named)
{
	struct loaded l;
	CHECK_INT(load(&l, SAMPLES "scenario.json"), CAB_OK);
	long h04 = cab_scenario_find(l.sc, "h04");
	CHECK_INT(opf_write_15min_csv(l.run, path_of("left.csv"), h04), 0);
	CHECK_INT(import(path_of("left.db"), CAB_FMT_SIBELGA_15MIN,
			 path_of("left.csv"), NULL, NULL),
		  CAB_OK);
	struct cab_operator *op = NULL;
	struct cab_reconcile *r = reconcile(l.run, path_of("left.db"), &op);
	const struct cab_finding *f = finding(r, CAB_FIND_ABSENT);
	CHECK(f && f->participant == h04 && f->count == 0 &&
	      f->source == CAB_RSRC_QUARTERS);
	CHECK(r && r->is_different);
	const struct cab_rcell *c =
	    r ? cab_reconcile_cell(r, (size_t)h04, 0, CAB_RQ_SHARED) : NULL;
	CHECK(c && c->is_different && c->source == CAB_RSRC_ABSENT &&
	      c->operator_value == 0 && c->simulated > 50);
	/* Only h04 differs. */
	for (size_t i = 0; r && i < r->n; i++)
		for (int q = 0; q < CAB_RQ_COUNT; q++)
			if ((long)i != h04)
				CHECK(
				    !cab_reconcile_cell(r, i, 0, (enum cab_rq)q)
					 ->is_different);
	cab_reconcile_free(r);
	cab_operator_free(op);
	unload(&l);
}

/* A file made with the proportional key, a scenario declaring fixed
 * until done: the fit names proportional, exact, and the scenario's key
 * off; on random communities too. */
TEST(another_key_is_found_and_named)
{
	for (int k = 0; k < 3; k++) {
		struct loaded sim, other;
		const char *path = random_community(4 + k, "fixed");
		CHECK_INT(load(&sim, path), CAB_OK);
		CHECK_INT(load(&other, path), CAB_OK);
		if (!sim.run || !other.run) {
			unload(&sim);
			unload(&other);
			continue;
		}
		cab_run_free(other.run);
		other.run = NULL;
		snprintf(other.sc->sharing.key, sizeof other.sc->sharing.key,
			 "proportional");
		CHECK_INT(cab_run_new(other.sc, other.rd, -1, &other.run, NULL),
			  CAB_OK);
		char db[64];
		snprintf(db, sizeof db, "key%d.db", k);
		CHECK_INT(opf_write_15min_csv(other.run, path_of("k.csv"), -1),
			  0);
		CHECK_INT(import(path_of(db), CAB_FMT_SIBELGA_15MIN,
				 path_of("k.csv"), NULL, NULL),
			  CAB_OK);
		struct cab_operator *op = NULL;
		struct cab_reconcile *r = reconcile(sim.run, path_of(db), &op);
		const struct cab_finding *f = finding(r, CAB_FIND_KEY);
		CHECK(f && f->fit > 0);
		if (f && f->fit > 0) {
			CHECK_STR(r->fits[f->fit].key, "proportional");
			CHECK(r->fits[f->fit].differ_rate < 1e-4);
			CHECK(r->fits[0].differ_rate > 0.01);
		}
		CHECK(r && r->is_different && r->n_quarters_all > 0);
		cab_reconcile_free(r);
		cab_operator_free(op);
		unload(&sim);
		unload(&other);
	}
}

/* An EAN of the operator's data that no participant has: an error with
 * the file and the row of its first line (found here in the file text). */
TEST(an_ean_not_in_the_scenario_names_its_file_and_row)
{
	CHECK_INT(import(path_of("all.db"), CAB_FMT_SIBELGA_15MIN,
			 SAMPLES "sibelga-15min.csv", NULL, NULL),
		  CAB_OK);
	char *text = NULL, *json = NULL;
	size_t len;
	CHECK_INT(cab_slurp(SAMPLES "sibelga-15min.csv", &text, &len, NULL),
		  CAB_OK);
	CHECK_INT(cab_slurp(SAMPLES "scenario.json", &json, &len, NULL),
		  CAB_OK);
	if (!text || !json)
		return;
	/* The row of the first line holding h04's EAN. */
	long row = 1;
	for (char *p = text; p && *p; row++) {
		char *eol = strchr(p, '\n');
		if (eol)
			*eol = '\0';
		if (strstr(p, "541449200000000042"))
			break;
		p = eol ? eol + 1 : NULL;
	}
	/* The scenario without h04. */
	char *h04 = strstr(json, "{\"id\": \"h04\"");
	char *end = h04 ? strstr(h04, "\"en\"},") : NULL;
	CHECK(h04 && end);
	if (h04 && end)
		memmove(h04, end + 6, strlen(end + 6) + 1);
	char *w = strstr(json, ", \"h04\": 0.3");
	CHECK(w != NULL);
	if (w)
		memmove(w, w + 12, strlen(w + 12) + 1);
	struct cab_scenario *sc = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    cab_scenario_parse(SAMPLES "s.json", json, strlen(json), &sc, &err),
	    CAB_OK);
	struct cab_operator *op = NULL;
	if (sc)
		CHECK_INT(cab_operator_load(sc, path_of("all.db"), &op, &err),
			  CAB_EINPUT);
	char want[512];
	snprintf(want, sizeof want,
		 SAMPLES "sibelga-15min.csv:%ld: EAN 541449200000000042 is "
			 "not the 'ean' of a participant of " SAMPLES "s.json "
			 "(expected every EAN of the operator's file in the "
			 "scenario's participants)\n",
		 row);
	CHECK_STR(err.text, want);
	CHECK_INT(err.count, 1);
	cab_operator_free(op);
	cab_scenario_free(sc);
	cab_err_release(&err);
	free(text);
	free(json);
}

/* The sample's own files, one grid fee changed by 1.00 EUR (h01:
 * 23.56 → 24.56): the month is named with the operator's and the
 * tariff's fee; reconcile.csv's gridfee_eur row differs by 1.00; the
 * first sheet of reconcile.xlsx says it, and names h04 when left out. */
TEST(a_grid_fee_off_the_tariff_is_found_and_worded)
{
	struct loaded l;
	CHECK_INT(load(&l, SAMPLES "scenario.json"), CAB_OK);
	if (!l.run) {
		unload(&l);
		return;
	}
	CHECK_INT(opf_write_month_csv(l.run, path_of("fee.csv"), -1, NULL), 0);
	char *text = NULL;
	size_t len;
	CHECK_INT(cab_slurp(path_of("fee.csv"), &text, &len, NULL), CAB_OK);
	char *fee = text ? strstr(text, ";23,56\r\n") : NULL;
	CHECK(fee != NULL);
	if (fee)
		memcpy(fee, ";24,56", 6);
	if (text)
		write_file("fee.csv", text);
	free(text);
	CHECK_INT(import(path_of("fee.db"), CAB_FMT_SIBELGA_MONTH,
			 path_of("fee.csv"), NULL, NULL),
		  CAB_OK);
	CHECK_INT(opf_write_15min_csv(l.run, path_of("fee15.csv"),
				      cab_scenario_find(l.sc, "h04")),
		  0);
	CHECK_INT(import(path_of("fee.db"), CAB_FMT_SIBELGA_15MIN,
			 path_of("fee15.csv"), NULL, NULL),
		  CAB_OK);
	struct cab_operator *op = NULL;
	struct cab_reconcile *r = reconcile(l.run, path_of("fee.db"), &op);
	const struct cab_finding *f = finding(r, CAB_FIND_GRIDFEE);
	CHECK(f && f->participant == cab_scenario_find(l.sc, "h01") &&
	      f->month == 0);
	CHECK_NEAR(f ? f->a : 0, 24.56, 1e-9);
	CHECK_NEAR(f ? f->b : 0, 23.56, 1e-9);
	size_t h01 = (size_t)cab_scenario_find(l.sc, "h01");
	const struct cab_rcell *c =
	    r ? cab_reconcile_cell(r, h01, 0, CAB_RQ_GRIDFEE) : NULL;
	CHECK(c && c->is_different && c->source == CAB_RSRC_MONTHLY);
	CHECK_NEAR(c ? c->operator_value - c->simulated : 0, 1.0, 1e-9);
	/* h04 is in the monthly file, not in the quarter-hours. */
	const struct cab_finding *a = finding(r, CAB_FIND_ABSENT);
	CHECK(a && a->source == CAB_RSRC_QUARTERS);
	struct cab_report_opts ro = {.lang = CAB_LANG_EN, .reconcile = r};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_report_reconcile_xlsx.write(l.run, &ro, dir, &err),
		  CAB_OK);
	cab_err_release(&err);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "unzip -p %s/reconcile.xlsx xl/sharedStrings.xml", dir);
	FILE *p = popen(cmd, "r");
	static char xml[1 << 20];
	size_t n = p ? fread(xml, 1, sizeof xml - 1, p) : 0;
	if (p)
		pclose(p);
	xml[n] = '\0';
	CHECK(strstr(xml, "h04 (EAN 541449200000000042) is not in the "
			  "operator&apos;s quarter-hour file") ||
	      strstr(xml, "h04 (EAN 541449200000000042) is not in the "
			  "operator's quarter-hour file"));
	CHECK(strstr(xml, "In October 2024 the grid fee of h01 is EUR 24.56; "
			  "the tariff gives EUR 23.56"));
	cab_reconcile_free(r);
	cab_operator_free(op);
	unload(&l);
}

/* Billing from the operator with an EAN in the store that no
 * participant has: the run refuses, naming the file and row. */
TEST(billing_from_the_operator_checks_the_eans_too)
{
	CHECK_INT(import(path_of("b.db"), CAB_FMT_SIBELGA_15MIN,
			 SAMPLES "sibelga-15min.csv", NULL, NULL),
		  CAB_OK);
	char json[1024];
	snprintf(json, sizeof json,
		 "{\"name\": \"b\", \"period\": {\"start\": \"2024-10-01\", "
		 "\"end\": \"2024-11-01\"}, \"db\": \"b.db\", "
		 "\"participants\": [{\"id\": \"h01\", \"ean\": "
		 "\"541449200000000011\"}], \"tariff\": "
		 "{\"supplier_day_eur_kwh\": 0.3, \"network_eur_kwh\": 0.1, "
		 "\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
		 "\"C\": 0.08, \"D\": 0.1}, \"taxes_eur_kwh\": 0.05, "
		 "\"injection_eur_kwh\": 0.04}, \"billing\": {\"source\": "
		 "\"operator\"}}");
	write_file("b.json", json);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_scenario_load(path_of("b.json"), &sc, &err), CAB_OK);
	if (sc)
		CHECK_INT(cab_source_load(sc, &rd, &err), CAB_EINPUT);
	/* Four EANs the scenario lacks, each once, with its first row. */
	CHECK_INT(err.count, 4);
	CHECK(err.text &&
	      strstr(err.text, SAMPLES "sibelga-15min.csv:3: EAN "
				       "541449200000000028 is not the "
				       "'ean' of a participant of "));
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
}

/* ---- bills from the operator's volumes ---- */

/* October 2024: member A every day at 12:00 shared 1 kWh and grid 2 kWh;
 * producer P gives 1 kWh and injects 0.5 kWh to the grid. 23 weekdays
 * (day rate at noon) and 8 weekend days (night rate).
 * A: shared 31 × 0.16 = 4.96; supplier day 46 × 0.31 = 14.26, night
 *    16 × 0.26 = 4.16; network 62 × 0.1012 = 6.2744 → 6.27; shared
 *    network (B) 31 × 0.0512 = 1.5872 → 1.59; fixed 32.58 × 31/366 =
 *    2.7595 → 2.76; taxes 93 × 0.0442 = 4.1106 → 4.11; excl. VAT 38.11;
 *    VAT 6 % 2.2866 → 2.29; total 40.40.
 * P: fixed 2.76; VAT 21 % 0.5796 → 0.58; shared sold −31 × 0.16 =
 *    −4.96; injection −15.5 × 0.04 = −0.62; total −2.24. */
TEST(operator_bills_are_the_files_volumes_times_the_tariff)
{
	FILE *f = fopen(path_of("o.csv"), "w");
	if (!f)
		abort();
	fputs("Date Début;EAN;Type de volume;Volume (kWh)\n", f);
	for (int d = 1; d <= 31; d++) {
		const char *rows[4][2] = {
		    {"541449200000000011", "Consommation Partagée;1"},
		    {"541449200000000011", "Consommation Réseau;2"},
		    {"541449200000000028", "Injection Partagée;1"},
		    {"541449200000000028", "Injection Réseau;0,5"}};
		for (int k = 0; k < 4; k++)
			fprintf(f, "%02d/10/2024 12:00;%s;%s\n", d, rows[k][0],
				rows[k][1]);
	}
	fclose(f);
	CHECK_INT(import(path_of("o.db"), CAB_FMT_SIBELGA_15MIN,
			 path_of("o.csv"), NULL, NULL),
		  CAB_OK);
	write_file("o.json",
		   "{\"name\": \"o\", \"period\": {\"start\": \"2024-10-01\", "
		   "\"end\": \"2024-11-01\"}, \"db\": \"o.db\", \"cabins\": "
		   "[{\"id\": \"c\"}], \"participants\": [{\"id\": \"A\", "
		   "\"cabin\": \"c\", \"ean\": \"541449200000000011\"}, "
		   "{\"id\": \"P\", \"kind\": \"producer\", \"cabin\": \"c\", "
		   "\"vat\": 0.21, \"ean\": \"541449200000000028\"}], "
		   "\"tariff\": {\"supplier_day_eur_kwh\": 0.31, "
		   "\"supplier_night_eur_kwh\": 0.26, \"network_eur_kwh\": "
		   "0.1012, \"network_shared_eur_kwh\": {\"A\": 0.0307, \"B\": "
		   "0.0512, \"C\": 0.0781, \"D\": 0.1012}, "
		   "\"network_fixed_eur_year\": 32.58, \"taxes_eur_kwh\": "
		   "0.0442, \"injection_eur_kwh\": 0.04}, \"sharing\": "
		   "{\"key\": \"proportional\", \"price_eur_kwh\": 0.16}, "
		   "\"billing\": {\"source\": \"operator\"}}");
	struct loaded l;
	CHECK_INT(load(&l, path_of("o.json")), CAB_OK);
	if (!l.run) {
		unload(&l);
		return;
	}
	const struct cab_bill *a = &l.run->p[0].bill, *p = &l.run->p[1].bill;
	static const struct {
		const char *name;
		int64_t cents;
	} want_a[] = {{"shared_energy", 496},  {"supplier_day", 1426},
		      {"supplier_night", 416}, {"network", 627},
		      {"network_shared", 159}, {"network_fixed", 276},
		      {"taxes", 411},	       {"vat", 229}},
	  want_p[] = {{"network_fixed", 276},
		      {"vat", 58},
		      {"shared_sold", -496},
		      {"injection", -62}};
	CHECK_INT(a->n_lines, 8);
	for (size_t k = 0; k < 8 && k < a->n_lines; k++) {
		CHECK_STR(a->lines[k].name, want_a[k].name);
		CHECK_INT(a->lines[k].amount_cents, want_a[k].cents);
	}
	CHECK_INT(a->total_cents, 4040);
	CHECK_INT(p->n_lines, 4);
	for (size_t k = 0; k < 4 && k < p->n_lines; k++) {
		CHECK_STR(p->lines[k].name, want_p[k].name);
		CHECK_INT(p->lines[k].amount_cents, want_p[k].cents);
	}
	CHECK_INT(p->total_cents, -224);
	unload(&l);
}

/* The sample billed from its operator's file: per participant and
 * quarter-hour C = O + a + G, P = O + given + injected, 0 ≤ a ≤ D, per
 * interval Σ a ≤ S, each bill's lines add up to its total, and every
 * volume equals the file's (read back by the operator's loader). */
TEST(operator_bills_keep_every_invariant)
{
	CHECK_INT(import(path_of("s.db"), CAB_FMT_SIBELGA_15MIN,
			 SAMPLES "sibelga-15min.csv", NULL, NULL),
		  CAB_OK);
	char *json = NULL;
	size_t len;
	CHECK_INT(cab_slurp(SAMPLES "scenario.json", &json, &len, NULL),
		  CAB_OK);
	if (!json)
		return;
	/* The sample, from the store, billed from the operator. */
	char *at = strstr(json, "\"readings\": \"readings.csv\"");
	char *mode = strstr(json, "\"mode\": \"shared\"");
	CHECK(at && mode);
	if (!at || !mode)
		return;
	char fixed[8192];
	snprintf(fixed, sizeof fixed,
		 "%.*s\"db\": \"%s\"%.*s\"mode\": "
		 "\"shared\", \"source\": \"operator\"%s",
		 (int)(at - json), json, path_of("s.db"), (int)(mode - at - 26),
		 at + 26, mode + 16);
	write_file("s.json", fixed);
	struct loaded l;
	CHECK_INT(load(&l, path_of("s.json")), CAB_OK);
	struct cab_operator *op = NULL;
	if (l.run)
		CHECK_INT(cab_operator_load(l.sc, path_of("s.db"), &op, NULL),
			  CAB_OK);
	if (!l.run || !op) {
		unload(&l);
		cab_operator_free(op);
		free(json);
		return;
	}
	const struct cab_run *run = l.run;
	size_t bad = 0;
	for (size_t t = 0; t < run->n_intervals; t++) {
		double sum_a = 0, sum_s = 0;
		for (size_t i = 0; i < run->n; i++) {
			const struct cab_participant_result *p = &run->p[i];
			double c = p->consumption_kwh[t],
			       pr = p->production_kwh[t];
			double o, d, x, a = p->shared_kwh[t],
					g = p->given_kwh[t];
			cab_own_split(c, pr, p->is_net, &o, &d, &x);
			double v[CAB_OPVOL_COUNT];
			opf_volumes(run, i, t, v);
			bad += !(a >= 0 && a <= d + 1e-9);
			bad += fabs(c - (o + a + v[CAB_OPVOL_GRID_OFFTAKE])) >
			       1e-9;
			bad +=
			    fabs(pr - (o + g + v[CAB_OPVOL_GRID_INJECTION])) >
			    1e-9;
			/* The file's own numbers, as loaded. */
			const double *const *k =
			    (const double *const *)op->p[i].kwh;
			bad += fabs(a - k[CAB_OPVOL_SHARED_OFFTAKE][t]) > 1e-12;
			bad +=
			    fabs(g - k[CAB_OPVOL_SHARED_INJECTION][t]) > 1e-12;
			sum_a += a;
			sum_s += x;
		}
		bad += sum_a > sum_s + 1e-9;
	}
	CHECK_INT(bad, 0);
	for (size_t i = 0; i < run->n; i++) {
		int64_t sum = 0;
		for (size_t k = 0; k < run->p[i].bill.n_lines; k++)
			sum += run->p[i].bill.lines[k].amount_cents;
		CHECK_INT(sum, run->p[i].bill.total_cents);
		double so = 0, go = 0;
		for (size_t t = 0; t < run->n_intervals; t++) {
			so += op->p[i].kwh[CAB_OPVOL_SHARED_OFFTAKE][t];
			go += op->p[i].kwh[CAB_OPVOL_GRID_OFFTAKE][t];
		}
		CHECK_NEAR(run->p[i].total.shared_kwh, so, 1e-9);
		CHECK_NEAR(run->p[i].total.complementary_kwh, go, 1e-9);
	}
	cab_operator_free(op);
	unload(&l);
	free(json);
}

/* ---- invoices as documents ---- */

/* Hand-computed: 2024101 = 97 × 20867 + 2; 1234567890 = 97 × 12727504
 * + 2; 9700000000 = 97 × 10^8 (remainder 0 → 97); 1 → 01. */
TEST(structured_communication_is_mod_97_with_97_for_0)
{
	char c[24];
	cab_invoice_communication(2024101, c);
	CHECK_STR(c, "+++000/2024/10102+++");
	cab_invoice_communication(1234567890, c);
	CHECK_STR(c, "+++123/4567/89002+++");
	cab_invoice_communication(9700000000ull, c);
	CHECK_STR(c, "+++970/0000/00097+++");
	cab_invoice_communication(97, c);
	CHECK_STR(c, "+++000/0000/09797+++");
	cab_invoice_communication(1, c);
	CHECK_STR(c, "+++000/0000/00101+++");
}

/* The sample's series "TIL-2024-" from 101 in id order (ecole, h01 …
 * h04), issued 2024-11-05, due 30 days later; ecole, a producer, gets a
 * statement. */
TEST(invoices_are_numbered_in_id_order_with_dates)
{
	struct loaded l;
	CHECK_INT(load(&l, SAMPLES "scenario.json"), CAB_OK);
	if (!l.run) {
		unload(&l);
		return;
	}
	static const char *const want[][3] = {
	    {"ecole", "TIL-2024-101", "+++000/2024/10102+++"},
	    {"h01", "TIL-2024-102", "+++000/2024/10203+++"},
	    {"h04", "TIL-2024-105", "+++000/2024/10506+++"}};
	for (int k = 0; k < 3; k++) {
		long i = cab_scenario_find(l.sc, want[k][0]);
		const struct cab_invoice_doc *d = &l.run->p[i].doc;
		CHECK(d->is_set);
		CHECK_STR(d->number, want[k][1]);
		CHECK_STR(d->communication, want[k][2]);
		CHECK_INT(d->due_y * 10000 + d->due_m * 100 + d->due_d,
			  20241205);
		CHECK_INT(d->is_statement, k == 0);
		CHECK_INT(d->total_excl_vat_cents + d->vat_cents,
			  l.run->p[i].bill.total_cents);
	}
	unload(&l);
}

/* Scenario checks of the new keys, each with its exact message. */
TEST(scenario_ean_source_and_invoice_are_checked)
{
	static const char *const cases[][2] = {
	    {"\"participants\": [{\"id\": \"a\", \"ean\": \"5414\"}]",
	     /* one reader of "ean" for JSON and tables (issue 12) */
	     "x.json: $.participants[0].ean: ean '5414' is not 18 digits "
	     "(expected the operator's code of the meter, like "
	     "541448820000000017)\n"},
	    {"\"participants\": [{\"id\": \"a\", \"ean\": "
	     "\"541449200000000011\"}, {\"id\": \"b\", \"ean\": "
	     "\"541449200000000011\"}]",
	     "x.json: $.participants[1].ean: duplicate ean "
	     "'541449200000000011' (also participant 'a')\n"},
	    {"\"participants\": [{\"id\": \"a\"}], \"billing\": {\"source\": "
	     "\"operator\"}",
	     "x.json: $.billing.source: participant 'a' has no 'ean' "
	     "(expected every participant's EAN code to find its volumes in "
	     "the operator's file)\n"},
	    {"\"participants\": [{\"id\": \"a\"}], \"billing\": {\"invoice\": "
	     "{\"issuer\": {\"iban\": \"BE68 5390 0754 7035\"}}}",
	     "x.json: $.billing.invoice.issuer.iban: iban 'BE68 5390 0754 "
	     "7035' has wrong check digits (expected the account as the bank "
	     "writes it, e.g. BE68 5390 0754 7034)\n"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		char json[2048];
		snprintf(json, sizeof json,
			 "{\"name\": \"x\", \"period\": {\"start\": "
			 "\"2024-10-01\", \"end\": \"2024-10-02\"}, "
			 "\"readings\": \"r.csv\", %s, \"tariff\": "
			 "{\"supplier_day_eur_kwh\": 0.3, \"network_eur_kwh\": "
			 "0.1, \"network_shared_eur_kwh\": {\"A\": 0.03, "
			 "\"B\": 0.05, \"C\": 0.08, \"D\": 0.1}, "
			 "\"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": "
			 "0.04}}",
			 cases[k][0]);
		struct cab_scenario *sc = NULL;
		struct cab_err err;
		cab_err_init(&err);
		CHECK_INT(
		    cab_scenario_parse("x.json", json, strlen(json), &sc, &err),
		    CAB_EINPUT);
		CHECK_STR(err.text, cases[k][1]);
		cab_scenario_free(sc);
		cab_err_release(&err);
	}
}

static const struct harness_test tests[] = {
    T(both_files_import_idempotent_csv_and_xlsx_alike),
    T(a_store_made_before_stays_readable),
    T(own_allocation_reconciles_with_zero_differences),
    T(own_files_of_the_sample_reconcile_with_zero_differences),
    T(a_member_left_out_is_found_and_named),
    T(another_key_is_found_and_named),
    T(an_ean_not_in_the_scenario_names_its_file_and_row),
    T(a_grid_fee_off_the_tariff_is_found_and_worded),
    T(billing_from_the_operator_checks_the_eans_too),
    T(operator_bills_are_the_files_volumes_times_the_tariff),
    T(operator_bills_keep_every_invariant),
    T(structured_communication_is_mod_97_with_97_for_0),
    T(invoices_are_numbered_in_id_order_with_dates),
    T(scenario_ean_source_and_invoice_are_checked),
};

int main(void)
{
	/* In memory where there is one: every import commits (fsync). */
	snprintf(dir, sizeof dir, "%s/cabine-test-operator-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	int rc =
	    harness_main("test_operator", tests, sizeof tests / sizeof *tests);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
