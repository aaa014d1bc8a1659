/*
 * cmd_batch.c — `cabine batch`: many scenarios in parallel worker
 * processes (the one worker pool, engine/base/pool.h), all or nothing;
 * one folder of reports per scenario and batch.csv, one row per scenario
 * (docs/batch.md).
 *
 * Every scenario's name is checked before any work (two scenarios of one
 * name would write into one folder). Worker k of n runs the scenarios
 * k, k + n, …; each writes its folder into the batch's staging folder,
 * and its batch.csv row or its messages into a file of its own, which the
 * parent reads back in the batch's order. Workers are forked even for
 * --jobs 1, so that a crashing scenario is reported, not fatal.
 *
 * Workload: up to thousands of scenarios of a few dozen participants.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/pool.h"
#include "engine/cli/cli.h"

/* One scenario of a batch, run by a worker: its reports into dir, its
 * row of batch.csv into row_path, or its messages into err_path. */
static void batch_one(const struct cab_cli_opts *o, const char *path,
		      const char *dir, const char *row_path,
		      const char *err_path, enum cab_lang lang)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	enum cab_status st = cab_scenario_load(path, &sc, &err);
	if (st == CAB_OK)
		st = cab_source_load(sc, &rd, &err);
	if (st == CAB_OK)
		st = cab_run_new(sc, rd, -1, &run, &err);
	struct cab_fairness *fair = NULL;
	if (st == CAB_OK)
		st = cab_fairness_new(run, sc->is_shapley, &fair, &err);
	if (st == CAB_OK) {
		const struct cab_fairness *fa[] = {fair};
		struct cab_report_opts ro = {.lang = (int)lang, .fairness = fa};
		const struct cab_cli_writers w = {.run =
						      cab_report_run_writers()};
		const struct cab_run *runs[] = {run};
		st = cab_cli_write_reports(o, &w, runs, 1, &ro, dir, &err);
	}
	cab_fairness_free(fair);
	FILE *f = NULL;
	if (st == CAB_OK && (f = fopen(row_path, "w"))) {
		size_t missing = 0;
		int64_t delta = 0;
		for (size_t i = 0; i < run->n; i++) {
			missing += run->p[i].missing_intervals;
			delta += run->p[i].delta_cents;
		}
		char bill[48], base[48], d[48], pe[48], sh[48];
		cab_report_fmt_cents(run->total_bill_cents, bill, sizeof bill);
		cab_report_fmt_cents(run->total_baseline_cents, base,
				     sizeof base);
		cab_report_fmt_cents(delta, d, sizeof d);
		cab_report_fmt_kwh(run->ind.positive_energy_balance_kwh, pe,
				   sizeof pe);
		cab_report_fmt_kwh(run->ind.allocated_kwh, sh, sizeof sh);
		fprintf(f, "%s,%s,%zu,%zu,%zu,%s,%s,%s,%s,", sc->name,
			run->sharing.key, run->n, run->n_intervals, missing,
			bill, base, d, sh);
		const double rates[] = {run->ind.self_consumption_rate,
					run->ind.self_sufficiency_rate};
		for (int k = 0; k < 2; k++)
			if (isnan(rates[k]))
				fputs(",", f);
			else
				fprintf(f, "%.6f,", rates[k]);
		fprintf(f, "%s\n", pe);
		if (fclose(f) != 0)
			st = cab_err_add(&err, CAB_EIO, "%s: cannot write",
					 row_path);
	} else if (st == CAB_OK) {
		st = cab_err_add(&err, CAB_EIO, "%s: cannot write", row_path);
	}
	if (st != CAB_OK && (f = fopen(err_path, "w"))) {
		fprintf(f, "%d\n%s", (int)st, err.text ? err.text : "");
		fclose(f);
	}
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
}

/* What every worker of a batch reads (borrowed). */
struct batch_job {
	const struct cab_cli_opts *o; /* quiet: workers print nothing */
	const struct cab_batch *b;
	const size_t *pick;	  /* scenario index of each picked one */
	const char (*names)[256]; /* its folder name */
	size_t n;		  /* picked scenarios */
	const char *stage, *rows; /* staging folder, its row files */
	enum cab_lang lang;
};

/* Worker k of n_workers: the scenarios k, k + n_workers, …. A failing
 * scenario is not a failing worker: its messages are in its file. */
static enum cab_status batch_share(int k, int n_workers, void *arg,
				   struct cab_err *err)
{
	const struct batch_job *job = arg;
	for (size_t j = (size_t)k; j < job->n; j += (size_t)n_workers) {
		char dir[8192], rp[8192], ep[8192];
		snprintf(dir, sizeof dir, "%s/%s", job->stage, job->names[j]);
		snprintf(rp, sizeof rp, "%s/%zu.csv", job->rows, j);
		snprintf(ep, sizeof ep, "%s/%zu.err", job->rows, j);
		batch_one(job->o, job->b->scenarios[job->pick[j]], dir, rp, ep,
			  job->lang);
	}
	return CAB_OK;
}

/* Append the file at path to f; false if it cannot be read. */
static bool append_file(FILE *f, const char *path)
{
	FILE *in = fopen(path, "r");
	if (!in)
		return false;
	char buf[8192];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, got, f);
	fclose(in);
	return true;
}

/* batch.csv (or batch-K-of-N.csv) in stage: the header and every row. */
static enum cab_status write_csv(const struct cab_cli_opts *o,
				 const char *stage, const char *rows, size_t n,
				 struct cab_err *err)
{
	char csv[8192];
	snprintf(csv, sizeof csv,
		 o->shard_n > 1 ? "%s/batch-%ld-of-%ld.csv" : "%s/batch.csv",
		 stage, o->shard_k, o->shard_n);
	FILE *f = fopen(csv, "w");
	bool ok = f != NULL;
	if (f) {
		fputs("scenario,sharing_key,participants,intervals,"
		      "missing_intervals,"
		      "bill_eur,baseline_eur,delta_eur,shared_kwh,"
		      "self_consumption_rate,self_sufficiency_rate,"
		      "positive_energy_balance_kwh\n",
		      f);
		for (size_t j = 0; j < n && ok; j++) {
			char rp[8192];
			snprintf(rp, sizeof rp, "%s/%zu.csv", rows, j);
			ok = append_file(f, rp);
		}
		ok = fclose(f) == 0 && ok;
	}
	if (!ok)
		return cab_err_add(err, CAB_EIO, "%s: cannot write", csv);
	return CAB_OK;
}

/* --out, or out/<the batch file's name without .json>. */
static void batch_out_dir(const struct cab_cli_opts *o, const char *file,
			  char *out, size_t size)
{
	if (o->out) {
		snprintf(out, size, "%s", o->out);
		return;
	}
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	char safe[256];
	cab_report_safe_name(base, safe, sizeof safe);
	char *dot = strrchr(safe, '.');
	if (dot && !strcmp(dot, ".json"))
		*dot = '\0';
	snprintf(out, size, "out/%s", safe);
}

enum cab_status cab_cli_batch(const struct cab_cli_opts *o, struct cab_err *err)
{
	const char *file = o->operands[0];
	enum cab_lang lang = o->lang < 0 ? CAB_LANG_FR : (enum cab_lang)o->lang;
	struct cab_batch *b = NULL;
	enum cab_status st = cab_batch_load(file, &b, err);
	if (st != CAB_OK)
		return st;
	/* The shard's scenarios, and their names: checked before any work
	 * (two scenarios of one name would write into one folder). */
	size_t n = 0;
	size_t *pick = calloc(b->n, sizeof *pick);
	char(*names)[256] = calloc(b->n, sizeof *names);
	st = pick && names ? CAB_OK : CAB_ENOMEM;
	for (size_t i = 0; i < b->n && st == CAB_OK; i++) {
		if ((long)(i % (size_t)o->shard_n) != o->shard_k - 1)
			continue;
		struct cab_scenario *sc = NULL;
		if (cab_scenario_load(b->scenarios[i], &sc, err) != CAB_OK) {
			st = CAB_EINPUT;
			continue;
		}
		cab_report_safe_name(sc->name, names[n], sizeof names[n]);
		for (size_t j = 0; j < n; j++)
			if (!strcmp(names[j], names[n]))
				st = cab_err_add(
				    err, CAB_EINPUT,
				    "%s: $.scenarios[%zu]: scenario name '%s' "
				    "already used by %s (expected one name per "
				    "scenario: each gets its folder)",
				    file, i, sc->name, b->scenarios[pick[j]]);
		pick[n++] = i;
		cab_scenario_free(sc);
	}
	char out[4096], stage[4096 + 32] = "";
	batch_out_dir(o, file, out, sizeof out);
	if (st == CAB_OK)
		st = cab_cli_stage_open(out, ".cabine-batch-", stage,
					sizeof stage, err);
	bool has_stage = st == CAB_OK;
	char rows[4096 + 64];
	snprintf(rows, sizeof rows, "%s/.rows", stage);
	if (st == CAB_OK && cab_cli_mkdir_p(rows) != 0)
		st = cab_err_add(err, CAB_EIO, "%s: cannot create", rows);
	if (st == CAB_OK) {
		int jobs = o->jobs > 0 ? o->jobs : 1;
		if ((size_t)jobs > n)
			jobs = n ? (int)n : 1;
		cab_cli_progress(o, "running %zu scenarios with %d worker(s)",
				 n, jobs);
		struct cab_cli_opts quiet = *o;
		quiet.is_quiet = true;
		struct batch_job job = {.o = &quiet,
					.b = b,
					.pick = pick,
					.names = (const char(*)[256])names,
					.n = n,
					.stage = stage,
					.rows = rows,
					.lang = lang};
		const struct cab_pool pool = {.jobs = jobs,
					      .is_always_forked = true};
		/* The pool's own message (which worker, which signal) gives
		 * way to the batch's. */
		if (cab_pool_run(&pool, batch_share, &job, NULL) != CAB_OK)
			st = cab_err_add(err, CAB_EINTERNAL,
					 "%s: a worker process failed", file);
	}
	/* Every scenario's messages, in the batch's order. */
	for (size_t j = 0; j < n && has_stage; j++) {
		char ep[8192];
		snprintf(ep, sizeof ep, "%s/%zu.err", rows, j);
		FILE *f = fopen(ep, "r");
		if (!f)
			continue;
		int code = CAB_EINPUT;
		char line[4096];
		if (fscanf(f, "%d\n", &code) != 1)
			code = CAB_EINTERNAL;
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			cab_err_add(err, (enum cab_status)code, "%s", line);
		}
		if (st == CAB_OK || code == CAB_EINTERNAL)
			st = (enum cab_status)code;
		fclose(f);
	}
	if (st == CAB_OK)
		st = write_csv(o, stage, rows, n, err);
	if (has_stage)
		cab_cli_rm_tree(rows);
	if (st == CAB_OK)
		st = cab_cli_stage_commit(stage, out, err);
	if (has_stage)
		cab_cli_rm_tree(stage);
	if (st == CAB_OK && !o->is_quiet)
		printf("%s: %zu scenario(s) run; batch%s.csv and one folder "
		       "each in %s/\n",
		       file, n, o->shard_n > 1 ? "-K-of-N" : "", out);
	free(pick);
	free(names);
	cab_batch_free(b);
	return st;
}
