/*
 * cmd_batch.c — `cabine batch`: the runs of a batch file (a list of
 * scenarios or a sweep of one, SPEC §16, docs/batch.md) in worker
 * processes, their results in batch.sqlite as each run finishes, then
 * batch.csv and batch.xlsx; and `cabine batch merge`.
 *
 * How: the parent loads the batch, plans the runs of its shard that the
 * results file does not hold yet (a killed batch restarted skips what it
 * finished), reads each distinct readings file or store once
 * (cab_batch_sources), then forks the workers (engine/base/queue.h),
 * which share those readings copy-on-write and hand each run's results
 * back over a pipe; the parent alone writes batch.sqlite, one transaction
 * per run. A run that fails is recorded with its messages and status
 * failed, and the others go on; --all-or-nothing keeps the behaviour
 * batch always had: every scenario checked first, and nothing written if
 * any fails (then everything is written into a staging folder, moved
 * into --out at the end).
 *
 * --shard K/N (or Slurm's job-array variables) runs the runs K, K + N, …
 * into batch-K-of-N.sqlite; `cabine batch merge` joins the shards.
 *
 * Workload: thousands of runs of a few dozen participants over a year; a
 * run costs its sharing and bills (tens of milliseconds) unless reports
 * are asked for.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/base/i18n.h"
#include "engine/base/queue.h"
#include "engine/cli/batch.h"
#include "reports/batch.h"

#define SHOWN_FAILURES 10 /* failed runs whose messages are printed */

/* The shard from Slurm's job-array variables, when --shard is not given
 * (SPEC §16). False with a message when they do not make one. */
static bool shard_from_slurm(struct cab_cli_opts *o, struct cab_err *err)
{
	const char *id = getenv("SLURM_ARRAY_TASK_ID");
	if (o->has_shard || !id || !*id)
		return true;
	const char *count = getenv("SLURM_ARRAY_TASK_COUNT");
	const char *min = getenv("SLURM_ARRAY_TASK_MIN");
	const char *step = getenv("SLURM_ARRAY_TASK_STEP");
	long k = 0, n = 0, lo = 0, st = 1;
	char *end;
	bool ok = count && min;
	if (ok) {
		k = strtol(id, &end, 10);
		ok = !*end;
		n = strtol(count, &end, 10);
		ok = ok && !*end;
		lo = strtol(min, &end, 10);
		ok = ok && !*end;
		if (step && *step) {
			st = strtol(step, &end, 10);
			ok = ok && !*end && st >= 1;
		}
	}
	ok = ok && n >= 1 && k >= lo && (k - lo) % st == 0 && (k - lo) / st < n;
	if (!ok) {
		cab_err_add(
		    err, CAB_EINPUT,
		    _("SLURM_ARRAY_TASK_ID '%s' of SLURM_ARRAY_TASK_COUNT "
		      "'%s' (from SLURM_ARRAY_TASK_MIN '%s'): expected a "
		      "task of a job array, or give --shard K/N"),
		    id, count ? count : "", min ? min : "");
		return false;
	}
	o->shard_k = (k - lo) / st + 1;
	o->shard_n = n;
	return true;
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

/* "batch" or "batch-K-of-N", the stem of the shard's files. */
static void stem_of(const struct cab_cli_opts *o, char *buf, size_t size)
{
	if (o->shard_n > 1)
		snprintf(buf, size, "batch-%ld-of-%ld", o->shard_k, o->shard_n);
	else
		snprintf(buf, size, "batch");
}

/* Progress on a terminal: runs done, failed, and the time left. */
struct progress {
	bool is_shown;
	size_t total, done, failed;
	struct timespec t0;
	double last;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress_show(struct progress *p, bool is_last)
{
	if (!p->is_shown)
		return;
	double t = now_s(),
	       t0 = (double)p->t0.tv_sec + (double)p->t0.tv_nsec / 1e9;
	if (!is_last && t - p->last < 0.2)
		return;
	p->last = t;
	char eta[64] = "";
	if (p->done > 0 && p->done < p->total) {
		double left =
		    (t - t0) / (double)p->done * (double)(p->total - p->done);
		long s = (long)ceil(left);
		snprintf(eta, sizeof eta, _(", %ld:%02ld:%02ld left"), s / 3600,
			 s / 60 % 60, s % 60);
	}
	fputc('\r', stderr);
	fprintf(stderr, _("cabine: %zu of %zu runs done"), p->done, p->total);
	if (p->failed)
		fprintf(stderr, _(" (%zu failed)"), p->failed);
	fprintf(stderr, "%s\033[K%s", eta, is_last ? "\n" : "");
	fflush(stderr);
}

/* The run plan of the shard: which runs to do, their sources; list
 * names checked (two scenarios of one name would share a folder). */
struct plan {
	size_t n;	       /* runs of the shard */
	size_t *shard;	       /* their indices */
	size_t n_todo;	       /* of them, not finished yet */
	size_t *todo;	       /* their indices */
	size_t *src_of;	       /* source of each todo, or (size_t)-1: failed */
	char (*names)[256];    /* list batches: each shard run's folder name */
	char (*raw)[256];      /* list batches: its scenario's name, or "" */
	long shard_k, shard_n; /* the shard */
};

/* The name of run i in messages and in the results file: a list's
 * scenario name once read (else its file), a sweep's run name. */
static void name_of(const struct cab_batch *b, const struct plan *p, size_t i,
		    char *buf, size_t size)
{
	size_t j = (i - (size_t)(p->shard_k - 1)) / (size_t)p->shard_n;
	if (p->raw && p->raw[j][0])
		snprintf(buf, size, "%s", p->raw[j]);
	else
		cab_batch_run_name(b, i, buf, size);
}

/* Failed runs' messages, kept in the batch's order whatever order the
 * workers finished in: every one with --all-or-nothing, else the first
 * SHOWN_FAILURES runs. */
struct failure {
	size_t run;	      /* its index */
	enum cab_status code; /* its status */
	char *text;	      /* its lines, each ending in '\n' (owned) */
};
struct failures {
	struct failure *f;
	size_t n, cap, max;
};

static void failures_release(struct failures *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		free(fl->f[i].text);
	free(fl->f);
}

/* Keep text (taken) for run, in run order, at most fl->max of them. */
static void failures_add(struct failures *fl, size_t run, enum cab_status code,
			 char *text)
{
	size_t at = fl->n;
	while (at > 0 && fl->f[at - 1].run > run)
		at--;
	if (!text || at >= fl->max) {
		free(text);
		return;
	}
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? 2 * fl->cap : 16;
		struct failure *nf = realloc(fl->f, cap * sizeof *nf);
		if (!nf) {
			free(text);
			return;
		}
		fl->f = nf;
		fl->cap = cap;
	}
	memmove(fl->f + at + 1, fl->f + at, (fl->n - at) * sizeof *fl->f);
	fl->f[at] = (struct failure){run, code, text};
	if (++fl->n > fl->max)
		free(fl->f[--fl->n].text);
}

/* Every failure kept, in order, into err. */
static void failures_say(const struct failures *fl, struct cab_err *err)
{
	for (size_t i = 0; i < fl->n; i++) {
		const char *t = fl->f[i].text;
		size_t len = strlen(t);
		if (len)
			cab_err_add(err, fl->f[i].code, "%.*s", (int)len - 1,
				    t);
	}
}

/* The parent's side of a batch. */
struct batch_parent {
	const struct cab_cli_opts *o;
	const struct cab_batch *b;
	struct cab_results *res; /* the results file */
	const size_t *runs;	 /* run index of each item */
	const struct plan *plan; /* the shard's runs */
	struct progress prog;
	size_t n_failed;	  /* runs recorded failed */
	struct failures failures; /* their messages, for stderr */
};

/* A failed run i: counted, its messages kept for stderr ("run 'name':
 * message"); with --all-or-nothing every message as it is, as batch
 * always printed them. */
static void note_failure(struct batch_parent *bp, size_t i, const char *name,
			 int code, const char *why)
{
	bp->n_failed++;
	bp->prog.failed++;
	enum cab_status c = code > CAB_OK && code < CAB_STATUS_COUNT
				? (enum cab_status)code
				: CAB_EINTERNAL;
	bool is_raw = bp->o->is_all_or_nothing;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	if (!f)
		return;
	for (const char *l = why ? why : ""; *l;) {
		size_t len = strcspn(l, "\n");
		if (is_raw)
			fprintf(f, "%.*s\n", (int)len, l);
		else
			fprintf(f, _("run '%s': %.*s\n"), name, (int)len, l);
		l += len + (l[len] == '\n');
	}
	if (fclose(f) != 0) {
		free(text);
		text = NULL;
	}
	failures_add(&bp->failures, i, c, text);
}

/* Record a run that failed before any worker took it. */
static enum cab_status record_failed(struct batch_parent *bp, size_t i,
				     const char *name, int code,
				     const char *why, struct cab_err *err)
{
	char *params = cab_batch_params_json(bp->b, i);
	struct cab_result r = {.id = (int64_t)i + 1,
			       .name = name,
			       .params_json = params ? params : "{}",
			       .error = why,
			       .code = code};
	note_failure(bp, i, name, code, why);
	enum cab_status st = cab_results_put(bp->res, &r, err);
	free(params);
	return st;
}

/* The queue's done(): record the run a worker finished (or lost). */
static enum cab_status batch_done(size_t item, const char *data, size_t len,
				  const char *lost, void *ctx,
				  struct cab_err *err)
{
	struct batch_parent *bp = ctx;
	size_t i = bp->runs[item];
	bp->prog.done++;
	enum cab_status st;
	if (!data) {
		char name[512];
		name_of(bp->b, bp->plan, i, name, sizeof name);
		st = record_failed(bp, i, name, CAB_EINTERNAL, lost, err);
	} else {
		struct cab_result r;
		struct cab_result_participant *parts = NULL;
		st = cab_result_unpack(data, len, &r, &parts, err);
		if (st == CAB_OK && !r.is_ok)
			note_failure(bp, i, r.name, r.code, r.error);
		if (st == CAB_OK)
			st = cab_results_put(bp->res, &r, err);
		free(parts);
	}
	progress_show(&bp->prog, false);
	return st;
}

/* The writers of --reports. */
static const struct cab_report_ops *const *writers_of(int reports)
{
	static const struct cab_report_ops *const csv[] = {
	    &cab_report_summary_json, &cab_report_invoices_csv, NULL};
	if (reports == CAB_CLI_REPORTS_ALL)
		return cab_report_run_writers();
	return reports == CAB_CLI_REPORTS_NONE ? NULL : csv;
}

static void plan_release(struct plan *p)
{
	free(p->shard);
	free(p->todo);
	free(p->src_of);
	free(p->names);
	free(p->raw);
}

/* The names of a list batch's runs in the shard, checked before any
 * work, as batch always did. */
static enum cab_status check_names(const struct cab_batch *b, struct plan *p,
				   struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	p->names = calloc(p->n ? p->n : 1, sizeof *p->names);
	p->raw = calloc(p->n ? p->n : 1, sizeof *p->raw);
	if (!p->names || !p->raw)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t j = 0; j < p->n; j++) {
		struct cab_scenario *sc = NULL;
		double pv;
		struct cab_err quiet;
		cab_err_init(&quiet);
		if (cab_batch_scenario(b, p->shard[j], &sc, &pv, &quiet) !=
		    CAB_OK) {
			cab_err_release(&quiet);
			continue; /* the run reports it */
		}
		cab_err_release(&quiet);
		cab_report_safe_name(sc->name, p->names[j], sizeof *p->names);
		snprintf(p->raw[j], sizeof *p->raw, "%s", sc->name);
		for (size_t k = 0; k < j; k++)
			if (!strcmp(p->names[k], p->names[j]))
				st = cab_err_add(
				    err, CAB_EINPUT,
				    _("%s: $.scenarios[%zu]: scenario name "
				      "'%s' "
				      "already used by %s (expected one name "
				      "per "
				      "scenario: each gets its folder)"),
				    b->path, p->shard[j], sc->name,
				    b->scenarios[p->shard[k]]);
		cab_scenario_free(sc);
	}
	return st;
}

/* Plan the shard's unfinished runs: each scenario read (a problem is the
 * run's failure) and its source noted. */
static enum cab_status plan_runs(struct batch_parent *bp, struct plan *p,
				 struct cab_batch_sources *src,
				 const uint8_t *is_done, struct cab_err *err)
{
	const struct cab_batch *b = bp->b;
	p->todo = calloc(p->n ? p->n : 1, sizeof *p->todo);
	p->src_of = calloc(p->n ? p->n : 1, sizeof *p->src_of);
	if (!p->todo || !p->src_of)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	enum cab_status st = CAB_OK;
	for (size_t j = 0; j < p->n && st != CAB_ENOMEM; j++) {
		size_t i = p->shard[j];
		if (is_done[i])
			continue;
		struct cab_scenario *sc = NULL;
		double pv = 1;
		struct cab_err why;
		cab_err_init(&why);
		enum cab_status rst = cab_batch_scenario(b, i, &sc, &pv, &why);
		size_t at = p->n_todo;
		if (rst == CAB_OK) {
			p->todo[p->n_todo++] = i;
			rst = cab_batch_sources_add(src, sc, pv, &p->src_of[at],
						    &why);
			if (rst != CAB_OK)
				st = rst;
		} else if (bp->o->is_all_or_nothing) {
			/* Every message, in the batch's order. */
			note_failure(bp, i, "", rst, why.text);
		} else {
			char name[512], *text = cab_cli_batch_error_text(&why);
			cab_batch_run_name(b, i, name, sizeof name);
			bp->prog.done++;
			enum cab_status wst = record_failed(
			    bp, i, name, rst, text ? text : "", err);
			free(text);
			if (wst != CAB_OK)
				st = wst;
		}
		cab_err_release(&why);
		cab_scenario_free(sc);
	}
	return st;
}

/* Runs whose source could not be read fail with its messages (printed
 * once with --all-or-nothing); the others stay in todo. */
static enum cab_status drop_failed_sources(struct batch_parent *bp,
					   struct plan *p,
					   const struct cab_batch_sources *src,
					   struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	size_t kept = 0, n_said = 0;
	/* The failed sources already reported (--all-or-nothing). */
	size_t *said = calloc(p->n_todo ? p->n_todo : 1, sizeof *said);
	if (!said)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t j = 0; j < p->n_todo; j++) {
		const char *why = NULL;
		enum cab_status code = CAB_OK;
		size_t s = p->src_of[j];
		if (cab_batch_sources_is_ok(src, s, &why, &code)) {
			p->todo[kept] = p->todo[j];
			p->src_of[kept++] = s;
			continue;
		}
		size_t k = 0;
		while (k < n_said && said[k] != s)
			k++;
		if (bp->o->is_all_or_nothing) {
			if (k == n_said) {
				said[n_said++] = s;
				note_failure(bp, p->todo[j], "", code, why);
			}
			continue;
		}
		char name[512];
		name_of(bp->b, p, p->todo[j], name, sizeof name);
		size_t len = strlen(why);
		char *text = strndup(why, len - (len && why[len - 1] == '\n'));
		bp->prog.done++;
		enum cab_status wst = record_failed(bp, p->todo[j], name, code,
						    text ? text : "", err);
		free(text);
		if (wst != CAB_OK)
			st = wst;
	}
	/* The source index of each kept run moved with it. */
	p->n_todo = kept;
	free(said);
	return st;
}

/* A run to hand out: its source, then its index (qsort). */
struct todo_run {
	size_t src, run;
};

static int by_source(const void *a, const void *b)
{
	const struct todo_run *x = a, *y = b;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return x->run < y->run ? -1 : x->run > y->run;
}

/* Hand the runs out grouped by source and PV scale, in the batch's order
 * within each group: a worker then makes one scaled copy per scale
 * (cab_batch_sources_use). The results file does not depend on it. */
static enum cab_status group_by_source(struct plan *p, struct cab_err *err)
{
	struct todo_run *t = malloc((p->n_todo ? p->n_todo : 1) * sizeof *t);
	if (!t)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t j = 0; j < p->n_todo; j++)
		t[j] = (struct todo_run){p->src_of[j], p->todo[j]};
	qsort(t, p->n_todo, sizeof *t, by_source);
	for (size_t j = 0; j < p->n_todo; j++) {
		p->src_of[j] = t[j].src;
		p->todo[j] = t[j].run;
	}
	free(t);
	return CAB_OK;
}

enum cab_status cab_cli_batch(const struct cab_cli_opts *o_in,
			      struct cab_err *err)
{
	if (!strcmp(o_in->operands[0], "merge"))
		return cab_cli_batch_merge(o_in, err);
	if (o_in->n_operands > 1)
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("cabine batch: unexpected argument '%s' (see "
		      "'cabine batch --help')"),
		    o_in->operands[1]);
	struct cab_cli_opts o = *o_in;
	if (!shard_from_slurm(&o, err))
		return CAB_EINPUT;
	const char *file = o.operands[0];
	int lang = o.lang < 0 ? CAB_LANG_FR : o.lang;
	struct cab_batch *b = NULL;
	enum cab_status st = cab_batch_load(file, &b, err);
	if (st != CAB_OK)
		return st;
	struct plan p = {.shard_k = o.shard_k, .shard_n = o.shard_n};
	p.shard = calloc(b->n / (size_t)o.shard_n + 1, sizeof *p.shard);
	if (!p.shard) {
		cab_batch_free(b);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	for (size_t i = (size_t)o.shard_k - 1; i < b->n; i += (size_t)o.shard_n)
		p.shard[p.n++] = i;
	if (b->scenarios)
		st = check_names(b, &p, err);
	char out[4096], stem[64], stage[4096 + 64] = "", db[8192];
	char prefix[128];
	batch_out_dir(&o, file, out, sizeof out);
	stem_of(&o, stem, sizeof stem);
	snprintf(prefix, sizeof prefix, ".cabine-%s-", stem);
	if (st == CAB_OK && !o.is_all_or_nothing) {
		if (cab_cli_mkdir_p(out) != 0)
			st = cab_err_add(err, CAB_EIO, _("%s: cannot create"),
					 out);
		else
			cab_cli_batch_clean(out, prefix);
	}
	if (st == CAB_OK)
		st = cab_cli_stage_open_in(out, prefix, stage, sizeof stage,
					   err);
	bool has_stage = st == CAB_OK;
	/* The results file: in --out, committed run by run; staged with
	 * --all-or-nothing. */
	snprintf(db, sizeof db, "%s/%s.sqlite",
		 o.is_all_or_nothing ? stage : out, stem);
	struct batch_parent bp = {.o = &o,
				  .b = b,
				  .plan = &p,
				  .failures = {.max = o.is_all_or_nothing
							  ? SIZE_MAX
							  : SHOWN_FAILURES}};
	const struct cab_results_meta meta = {.fingerprint = b->fingerprint,
					      .n_runs = b->n};
	if (st == CAB_OK)
		st = cab_results_open(db, &meta, &bp.res, err);
	uint8_t *is_done = st == CAB_OK ? calloc(b->n ? b->n : 1, 1) : NULL;
	if (st == CAB_OK && !is_done)
		st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	if (st == CAB_OK)
		st = cab_results_finished(bp.res, is_done, err);
	size_t n_skipped = 0;
	for (size_t j = 0; st == CAB_OK && j < p.n; j++)
		n_skipped += is_done[p.shard[j]];
	bp.prog =
	    (struct progress){.is_shown = !o.is_quiet && isatty(STDERR_FILENO),
			      .total = p.n - n_skipped};
	clock_gettime(CLOCK_MONOTONIC, &bp.prog.t0);
	struct cab_batch_sources *src = NULL;
	if (st == CAB_OK)
		st = cab_batch_sources_new(&src, err);
	if (st == CAB_OK)
		st = plan_runs(&bp, &p, src, is_done, err);
	if (st == CAB_OK) {
		if (p.n_todo)
			cab_cli_progress(&o,
					 _("reading the readings of %zu runs "
					   "(each file or store once)"),
					 p.n_todo);
		st = cab_batch_sources_load(src, err);
	}
	if (st == CAB_OK)
		st = drop_failed_sources(&bp, &p, src, err);
	if (st == CAB_OK)
		st = group_by_source(&p, err);
	/* --all-or-nothing: a run that failed already fails the batch. */
	if (st == CAB_OK && p.n_todo && !(o.is_all_or_nothing && bp.n_failed)) {
		int jobs = o.jobs > 0 ? o.jobs : 1;
		/* Several worker processes share the cores already: each
		 * run's sharing stays on its worker's thread. */
		if (jobs > 1)
			cab_share_threads(1);
		struct cab_cli_opts quiet = o;
		quiet.is_quiet = true;
		const struct cab_cli_batch_job job = {
		    .o = &quiet,
		    .b = b,
		    .src = src,
		    .runs = p.todo,
		    .src_of = p.src_of,
		    .reports_dir = o.is_all_or_nothing ? stage : out,
		    .writers = writers_of(o.reports < 0 ? CAB_CLI_REPORTS_CSV
							: o.reports),
		    .lang = lang};
		bp.runs = p.todo;
		cab_cli_progress(&o, _("running %zu runs with %d worker(s)%s"),
				 p.n_todo, jobs,
				 n_skipped ? _(" (the others were done)") : "");
		const struct cab_queue q = {.jobs = jobs,
					    .n_items = p.n_todo,
					    .work = cab_cli_batch_work,
					    .arg = (void *)&job,
					    .done = batch_done,
					    .ctx = &bp};
		/* The time left is measured from the first run. */
		clock_gettime(CLOCK_MONOTONIC, &bp.prog.t0);
		st = cab_queue_run(&q, err);
		progress_show(&bp.prog, true);
	}
	cab_results_close(bp.res);
	cab_batch_sources_free(src);
	if (st == CAB_OK && o.is_all_or_nothing && bp.n_failed) {
		/* Nothing is written: every message, in the batch's order
		 * for those found before any run. */
		failures_say(&bp.failures, err);
		st = bp.failures.n ? bp.failures.f[0].code : CAB_EINTERNAL;
	}
	/* batch.csv and batch.xlsx of every run the file holds. */
	char name[128];
	snprintf(name, sizeof name, "%s.csv", stem);
	if (st == CAB_OK)
		st = cab_report_batch_csv(db, stage, name, err);
	snprintf(name, sizeof name, "%s.xlsx", stem);
	if (st == CAB_OK)
		st = cab_report_batch_xlsx(db, stage, name, lang, err);
	if (st == CAB_OK)
		st = cab_cli_stage_merge(stage, out, err);
	if (has_stage)
		cab_cli_rm_tree(stage);
	if (st == CAB_OK && !o.is_quiet)
		printf(_("%s: %zu run(s) done, %zu failed%s; %s.sqlite, %s.csv "
			 "and %s.xlsx in %s/\n"),
		       file, p.n - n_skipped - bp.n_failed, bp.n_failed,
		       n_skipped ? _(" (the others were already done)") : "",
		       stem, stem, stem, out);
	if (st == CAB_OK && bp.n_failed) {
		/* The results are written and the batch succeeded: the
		 * failed runs are left in err as warnings, which main.c
		 * prints on stderr; the exit status stays 0 (docs/batch.md).
		 * They are also in batch.sqlite. */
		failures_say(&bp.failures, err);
		if (bp.n_failed > SHOWN_FAILURES)
			cab_err_add(
			    err, CAB_EINPUT,
			    _("… and %zu more failed runs (see the error "
			      "column of table run in %s)"),
			    bp.n_failed - SHOWN_FAILURES, db);
	}
	failures_release(&bp.failures);
	free(is_done);
	plan_release(&p);
	cab_batch_free(b);
	return st;
}

enum cab_status cab_cli_batch_merge(const struct cab_cli_opts *o,
				    struct cab_err *err)
{
	if (o->n_operands < 3)
		return cab_err_add(err, CAB_EINPUT,
				   _("cabine batch: merge needs OUT.sqlite and "
				     "at least one SHARD.sqlite (see 'cabine "
				     "batch --help')"));
	const char *outp = o->operands[1];
	struct cab_results_merged info;
	enum cab_status st = cab_results_merge(outp, o->operands + 2,
					       o->n_operands - 2, &info, err);
	/* batch.csv and batch.xlsx beside it, named after it. */
	char dir[4096], stem[1024], name[1100];
	const char *slash = strrchr(outp, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - outp) : 1,
		 slash ? outp : ".");
	snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : outp);
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	int lang = o->lang < 0 ? CAB_LANG_FR : o->lang;
	char stage[4096 + 64];
	if (st == CAB_OK)
		st = cab_cli_stage_open_in(dir, ".cabine-merge-", stage,
					   sizeof stage, err);
	if (st == CAB_OK) {
		snprintf(name, sizeof name, "%s.csv", stem);
		st = cab_report_batch_csv(outp, stage, name, err);
		snprintf(name, sizeof name, "%s.xlsx", stem);
		if (st == CAB_OK)
			st =
			    cab_report_batch_xlsx(outp, stage, name, lang, err);
		if (st == CAB_OK)
			st = cab_cli_stage_merge(stage, dir, err);
		cab_cli_rm_tree(stage);
	}
	if (st == CAB_OK && !o->is_quiet)
		printf(_("%s: %zu of %zu runs (%zu ok, %zu failed, %zu in no "
			 "shard) from %zu shard(s); %s.csv and %s.xlsx beside "
			 "it\n"),
		       outp, info.n_ok + info.n_failed, info.n_runs, info.n_ok,
		       info.n_failed, info.n_missing, o->n_operands - 2, stem,
		       stem);
	return st;
}
