/*
 * main.c — the `cabine` command line (SPEC §7): the only file that
 * prints or exits.
 *
 * Subcommands are dispatched from one commands[] table (as git does).
 * Exit status: 0 success, 1 internal failure, 2 bad input or usage, with
 * one line per problem on stderr. Outputs are staged in a hidden
 * directory inside --out and moved into place only when every writer
 * succeeded, so a failed run never leaves half-written reports.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cabine/cabine.h"
#include "cabine/import.h"
#include "cabine/store.h"

struct opts {
	const char *scenario; /* positional argument */
	const char *out;      /* --out DIR or NULL */
	bool is_detail;	      /* --detail */
	int lang;	      /* --lang, -1 if not given */
	bool is_quiet;	      /* --quiet */
	int jobs;	      /* --jobs N: invoice worker processes */
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static bool show_progress = true;

static void progress(const char *fmt, ...)
{
	if (!show_progress || !isatty(STDERR_FILENO))
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("cabine: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int exit_code(enum cab_status st)
{
	if (st == CAB_OK)
		return 0;
	return st == CAB_EINPUT ? 2 : 1;
}

/* Print the problems of err and return the exit status they call for. */
static int fail(struct cab_err *err)
{
	if (err->text)
		fputs(err->text, stderr);
	else
		fprintf(stderr, "cabine: %s\n", cab_status_str(err->code));
	int rc = exit_code(err->code ? err->code : CAB_EINTERNAL);
	cab_err_release(err);
	return rc;
}

static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "cabine %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'cabine %s --help')\n", cmd);
	va_end(ap);
	return 2;
}

static int mkdir_p(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Move every entry of staged dir `from` into `to`, merging directories. */
static int move_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char src[4096], dst[4096];
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
		struct stat sb;
		if (stat(src, &sb) != 0) {
			rc = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			if (mkdir(dst, 0777) != 0 && errno != EEXIST)
				rc = -1;
			else
				rc = move_tree(src, dst);
		} else if (rename(src, dst) != 0) {
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

/* Parse the options shared by run/check/compare/alerts/demo. */
static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o,
		      bool wants_scenario)
{
	memset(o, 0, sizeof(*o));
	o->lang = -1;
	/* One invoice worker per core: output does not depend on it. */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = ncpu < 1 ? 1 : ncpu > 64 ? 64 : (int)ncpu;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--out") && i + 1 < argc) {
			o->out = argv[++i];
		} else if (!strncmp(a, "--out=", 6)) {
			o->out = a + 6;
		} else if (!strcmp(a, "--detail")) {
			o->is_detail = true;
		} else if (((!strcmp(a, "--jobs") || !strcmp(a, "-j")) &&
			    i + 1 < argc) ||
			   !strncmp(a, "--jobs=", 7)) {
			const char *v =
			    !strncmp(a, "--jobs=", 7) ? a + 7 : argv[++i];
			char *end;
			long j = strtol(v, &end, 10);
			if (*v == 0 || *end || j < 1 || j > 1024)
				return usage_error(
				    cmd,
				    "--jobs '%s': expected a number of "
				    "processes from 1 to 1024",
				    v);
			o->jobs = (int)j;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o->is_quiet = true;
		} else if (!strcmp(a, "--lang") && i + 1 < argc) {
			const char *l = argv[++i];
			if (!strcmp(l, "fr"))
				o->lang = CAB_LANG_FR;
			else if (!strcmp(l, "nl"))
				o->lang = CAB_LANG_NL;
			else if (!strcmp(l, "en"))
				o->lang = CAB_LANG_EN;
			else
				return usage_error(cmd,
						   "unknown language '%s' "
						   "(expected fr, nl or en)",
						   l);
		} else if (a[0] == '-' && a[1]) {
			return usage_error(cmd, "unknown option '%s'", a);
		} else if (wants_scenario && !o->scenario) {
			o->scenario = a;
		} else {
			return usage_error(cmd, "unexpected argument '%s'", a);
		}
	}
	if (wants_scenario && !o->scenario)
		return usage_error(cmd, "missing SCENARIO.json");
	show_progress = !o->is_quiet;
	return 0;
}

/* Load the scenario's readings (its CSV or its store). */
static enum cab_status load_readings(const struct cab_scenario *sc,
				     struct cab_readings **out,
				     struct cab_err *err)
{
	progress("reading %s", sc->readings_path ? sc->readings_path
			       : sc->db_path	 ? sc->db_path
						 : "");
	return cab_source_load(sc, out, err);
}

/* The writers of one command: run writers read runs[0], compare writers
 * read every run. Either list may be NULL. */
struct writers {
	const struct cab_report_ops *const *run;
	const struct cab_report_compare_ops *const *compare;
};

/* Write the reports of runs[0..n_runs) with every writer of w into
 * out_dir, all or nothing: they are written into a hidden staging folder
 * inside out_dir and moved into place only when every writer succeeded. */
static enum cab_status write_reports(const struct writers *w,
				     const struct cab_run *const *runs,
				     size_t n_runs,
				     const struct cab_report_opts *ro,
				     const char *out_dir, struct cab_err *err)
{
	if (mkdir_p(out_dir) != 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)",
				   out_dir, strerror(errno));
	char stage[4096];
	int len = snprintf(stage, sizeof(stage), "%s/.cabine-XXXXXX", out_dir);
	if (len < 0 || (size_t)len >= sizeof(stage))
		return cab_err_add(err, CAB_EINPUT, "%s: output path too long",
				   out_dir);
	if (!mkdtemp(stage))
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)",
				   out_dir, strerror(errno));
	enum cab_status st = CAB_OK;
	for (size_t k = 0; w->run && w->run[k] && st == CAB_OK; k++) {
		progress("writing %s", w->run[k]->name);
		st = w->run[k]->write(runs[0], ro, stage, err);
	}
	for (size_t k = 0; w->compare && w->compare[k] && st == CAB_OK; k++) {
		progress("writing %s", w->compare[k]->name);
		st = w->compare[k]->write(runs, n_runs, ro, stage, err);
	}
	if (st == CAB_OK && move_tree(stage, out_dir) != 0)
		st = cab_err_add(err, CAB_EIO,
				 "%s: cannot move reports into place (%s)",
				 out_dir, strerror(errno));
	rm_tree(stage);
	return st;
}

static void default_out(const struct cab_scenario *sc, char *buf, size_t size)
{
	char safe[256];
	cab_report_safe_name(sc->name, safe, sizeof(safe));
	snprintf(buf, size, "out/%s", safe);
}

enum job { JOB_RUN, JOB_CHECK, JOB_ALERTS, JOB_CURVES };

static const struct cab_report_ops *const alerts_writers[] = {
    &cab_report_alerts_csv,
    &cab_report_alerts_xlsx,
    NULL,
};

static const struct cab_report_ops *const curves_writers[] = {
    &cab_report_curves_csv,
    &cab_report_curves_xlsx,
    NULL,
};

static int do_run(const struct opts *o, enum job job)
{
	bool is_check = job == JOB_CHECK;
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	struct cab_alerts *alerts = NULL;
	struct cab_curves *curves = NULL;
	enum cab_status st = cab_scenario_load(o->scenario, &sc, &err);
	if (st == CAB_OK)
		st = load_readings(sc, &rd, &err);
	if (st == CAB_OK) {
		progress(
		    "sharing and billing %zu participants over %zu intervals",
		    sc->n_participants, sc->n_intervals);
		st = cab_run_new(sc, rd, -1, &run, &err);
	}
	if (st == CAB_OK && job == JOB_ALERTS) {
		if (sc->n_alerts == 0)
			st = cab_err_add(&err, CAB_EINPUT,
					 "%s: $.alerts: no alert to analyse "
					 "(expected at least one window)",
					 o->scenario);
		else
			st = cab_alerts_new(run, &alerts, &err);
	}
	if (st == CAB_OK && job == JOB_CURVES) {
		progress("computing load-curve statistics");
		st = cab_curves_new(run, &curves, &err);
	}
	if (st == CAB_OK && is_check) {
		size_t missing = 0;
		for (size_t i = 0; i < run->n; i++)
			missing += run->p[i].missing_intervals;
		printf("%s: ok: %zu participants, %zu cabins, %zu intervals, "
		       "%zu missing participant-intervals\n",
		       o->scenario, sc->n_participants, sc->n_cabins,
		       sc->n_intervals, missing);
	} else if (st == CAB_OK) {
		char out[4096];
		if (o->out)
			snprintf(out, sizeof(out), "%s", o->out);
		else
			default_out(sc, out, sizeof(out));
		struct cab_report_opts ro = {.is_detail = o->is_detail,
					     .lang = o->lang,
					     .jobs = o->jobs,
					     .alerts = alerts,
					     .curves = curves};
		const struct writers w = {
		    .run = job == JOB_ALERTS   ? alerts_writers
			   : job == JOB_CURVES ? curves_writers
					       : cab_report_run_writers()};
		const struct cab_run *runs[] = {run};
		st = write_reports(&w, runs, 1, &ro, out, &err);
		if (st == CAB_OK && !o->is_quiet && job == JOB_ALERTS) {
			printf("%s: %zu alerts analysed; alerts.csv and "
			       "alerts.xlsx in %s/\n",
			       sc->name, sc->n_alerts, out);
		} else if (st == CAB_OK && !o->is_quiet && job == JOB_CURVES) {
			printf(
			    "%s: load curves of %zu subjects; curves.csv and "
			    "curves.xlsx in %s/\n",
			    sc->name, curves->n, out);
		} else if (st == CAB_OK && !o->is_quiet) {
			char tot[48];
			cab_report_fmt_cents(run->total_bill_cents, tot,
					     sizeof(tot));
			printf("%s: %zu participants, bills total %s EUR; "
			       "reports in %s/\n",
			       sc->name, run->n, tot, out);
		}
	}
	cab_alerts_free(alerts);
	cab_curves_free(curves);
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	if (st != CAB_OK)
		return fail(&err);
	cab_err_release(&err);
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("run", argc, argv, &o, true);
	return rc ? rc : do_run(&o, JOB_RUN);
}

static int cmd_check(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("check", argc, argv, &o, true);
	return rc ? rc : do_run(&o, JOB_CHECK);
}

static int do_compare(struct opts o);

static int cmd_demo(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("demo", argc, argv, &o, false);
	if (rc)
		return rc;
	const char *dir = o.out ? o.out : "out/demo";
	struct cab_err err;
	cab_err_init(&err);
	progress("writing the demo community into %s", dir);
	if (cab_demo_write(dir, &err) != CAB_OK)
		return fail(&err);
	char path[4096];
	snprintf(path, sizeof(path), "%s/scenario.json", dir);
	o.scenario = path;
	o.out = dir;
	rc = do_run(&o, JOB_RUN);
	/* The assembly's view too: every variant of the demo side by side;
	 * then what the community did during its alerts, and its load
	 * curves, so that one command shows every report. */
	if (!rc)
		rc = do_compare(o);
	if (!rc)
		rc = do_run(&o, JOB_ALERTS);
	if (!rc)
		rc = do_run(&o, JOB_CURVES);
	return rc;
}

static const struct command commands[];

/* Parse "linear:N", "linear" (N = 4) or "profile", "none". */
static bool parse_fill(const char *v, struct cab_import_opts *o)
{
	if (!strcmp(v, "none")) {
		o->fill = CAB_IMPORT_FILL_NONE;
	} else if (!strcmp(v, "profile")) {
		o->fill = CAB_IMPORT_FILL_PROFILE;
	} else if (!strncmp(v, "linear", 6)) {
		o->fill = CAB_IMPORT_FILL_LINEAR;
		o->fill_max_intervals = 4;
		if (v[6] == ':') {
			char *end;
			long n = strtol(v + 7, &end, 10);
			if (*end || n < 1 || n > 96 * 7)
				return false;
			o->fill_max_intervals = (size_t)n;
		} else if (v[6]) {
			return false;
		}
	} else {
		return false;
	}
	return true;
}

/* `cabine import`: files of any supported format into the store. */
static int cmd_import(int argc, char **argv)
{
	const char *cmd = "import";
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t n = 0;
	bool has_format = false, is_quiet = false;
	if (!files)
		return 1;
	int rc = -1;
	for (int i = 0; i < argc && rc < 0; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--db") && v) {
			o.db_path = v;
			i++;
		} else if (!strcmp(a, "--format") && v) {
			if (!cab_format_parse(v, &o.format))
				rc = usage_error(
				    cmd,
				    "unknown format '%s' (expected csv, "
				    "power-csv, flukso-csv, flukso-json, "
				    "flukso-tmpo or dso-csv)",
				    v);
			has_format = true;
			i++;
		} else if (!strcmp(a, "--meter") && v) {
			o.meter = v;
			i++;
		} else if (!strcmp(a, "--sum")) {
			o.sum = true;
		} else if (!strcmp(a, "--replace")) {
			o.replace = true;
		} else if (!strcmp(a, "--label") && v) {
			if (!strcmp(v, "start"))
				o.label = CAB_LABEL_START;
			else if (!strcmp(v, "end"))
				o.label = CAB_LABEL_END;
			else
				rc = usage_error(cmd,
						 "unknown label '%s' (expected "
						 "start or end)",
						 v);
			i++;
		} else if (!strcmp(a, "--max-gap") && v) {
			char *end;
			o.max_gap_s = strtod(v, &end);
			if (*end || !(o.max_gap_s > 0))
				rc = usage_error(
				    cmd,
				    "--max-gap '%s' (expected seconds > 0)", v);
			i++;
		} else if (!strcmp(a, "--min-coverage") && v) {
			char *end;
			o.min_coverage = strtod(v, &end);
			if (*end ||
			    !(o.min_coverage > 0 && o.min_coverage <= 1))
				rc =
				    usage_error(cmd,
						"--min-coverage '%s' (expected "
						"a fraction in (0, 1])",
						v);
			i++;
		} else if (!strcmp(a, "--fill") && v) {
			if (!parse_fill(v, &o))
				rc = usage_error(cmd,
						 "--fill '%s' (expected none, "
						 "linear, linear:N or profile)",
						 v);
			i++;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			is_quiet = true;
		} else if (a[0] == '-' && a[1]) {
			rc = usage_error(cmd, "unknown option '%s'", a);
		} else {
			files[n++] = a;
		}
	}
	if (rc < 0 && !o.db_path)
		rc = usage_error(cmd, "missing --db DB");
	if (rc < 0 && !has_format)
		rc = usage_error(cmd, "missing --format F");
	if (rc < 0 && !n)
		rc = usage_error(cmd, "missing FILE...");
	if (rc >= 0) {
		free(files);
		return rc;
	}
	show_progress = !is_quiet;
	progress("importing %zu file(s) into %s", n, o.db_path);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	enum cab_status st = cab_import(&o, files, n, &r, &err);
	free(files);
	if (st != CAB_OK)
		return fail(&err);
	cab_err_release(&err);
	if (!is_quiet)
		printf("imported %zu file(s)%s, %zu rows, %zu meter(s), %zu "
		       "quarter-hours: "
		       "%zu new, %zu unchanged, %zu replaced; %zu missing, %zu "
		       "estimated, %zu filled\n",
		       r.files,
		       r.files_known ? " (already imported before)" : "",
		       r.rows, r.meters, r.intervals, r.inserted, r.unchanged,
		       r.replaced, r.missing, r.estimated, r.filled);
	return 0;
}
/* `cabine compare`: the base and every variant of "compare" on the same
 * readings, loaded once; compare.xlsx and compare.csv, all or nothing. */
static int do_compare(struct opts o)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run **runs = NULL;
	size_t n_runs = 0;
	enum cab_status st = cab_scenario_load(o.scenario, &sc, &err);
	if (st == CAB_OK && sc->n_variants == 0)
		st = cab_err_add(&err, CAB_EINPUT,
				 "%s: $.compare: no variant to compare "
				 "(expected a non-empty \"compare\" array)",
				 o.scenario);
	/* compare.csv names the base "base": a variant of that name would
	 * make its rows ambiguous. */
	for (size_t k = 0; st == CAB_OK && k < sc->n_variants; k++)
		if (strcmp(sc->variants[k].name, "base") == 0)
			st = cab_err_add(
			    &err, CAB_EINPUT,
			    "%s: $.compare[%zu].name: variant name "
			    "'base' is reserved for the base scenario",
			    o.scenario, k);
	if (st == CAB_OK)
		st = load_readings(sc, &rd, &err);
	if (st == CAB_OK) {
		runs = calloc(sc->n_variants + 1, sizeof(*runs));
		if (!runs)
			st = cab_err_add(&err, CAB_ENOMEM, "out of memory");
	}
	for (size_t k = 0; st == CAB_OK && k <= sc->n_variants; k++) {
		long v = (long)k - 1; /* the base first, then the variants */
		progress("running %s", v < 0 ? "base" : sc->variants[v].name);
		st = cab_run_new(sc, rd, v, &runs[k], &err);
		if (st == CAB_OK)
			n_runs++;
	}
	if (st == CAB_OK) {
		char out[4096];
		if (o.out)
			snprintf(out, sizeof(out), "%s", o.out);
		else
			default_out(sc, out, sizeof(out));
		struct cab_report_opts ro = {.lang = o.lang};
		const struct writers w = {.compare =
					      cab_report_compare_writers()};
		st = write_reports(&w, (const struct cab_run *const *)runs,
				   n_runs, &ro, out, &err);
		if (st == CAB_OK && !o.is_quiet)
			printf("%s: %zu participants, base and %zu variants; "
			       "compare.xlsx and compare.csv in %s/\n",
			       sc->name, sc->n_participants, sc->n_variants,
			       out);
	}
	for (size_t k = 0; k < n_runs; k++)
		cab_run_free(runs[k]);
	free(runs);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	if (st != CAB_OK)
		return fail(&err);
	cab_err_release(&err);
	return 0;
}

static int cmd_compare(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("compare", argc, argv, &o, true);
	return rc ? rc : do_compare(o);
}

static int cmd_alerts(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("alerts", argc, argv, &o, true);
	return rc ? rc : do_run(&o, JOB_ALERTS);
}
static int cmd_curves(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts("curves", argc, argv, &o, true);
	return rc ? rc : do_run(&o, JOB_CURVES);
}

/* One scenario of a batch, run by a worker: its reports into dir, its
 * row of batch.csv into row_path, or its messages into err_path. */
static void batch_one(const char *path, const char *dir, const char *row_path,
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
	if (st == CAB_OK) {
		struct cab_report_opts ro = {.lang = (int)lang};
		const struct writers w = {.run = cab_report_run_writers()};
		const struct cab_run *runs[] = {run};
		st = write_reports(&w, runs, 1, &ro, dir, &err);
	}
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

/* `cabine batch`: many scenarios, in parallel worker processes, all or
 * nothing; one folder of reports per scenario and batch.csv (docs/batch.md). */
static int cmd_batch(int argc, char **argv)
{
	const char *cmd = "batch", *file = NULL, *out_opt = NULL;
	long jobs = 1, shard_k = 1, shard_n = 1;
	int lang = CAB_LANG_FR;
	bool is_quiet = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;
		if (!strcmp(a, "--jobs") && v) {
			jobs = strtol(v, &end, 10);
			if (*end || jobs < 1 || jobs > 256)
				return usage_error(
				    cmd,
				    "--jobs '%s' (expected a number of "
				    "processes from 1 to 256)",
				    v);
			i++;
		} else if (!strcmp(a, "--shard") && v) {
			if (sscanf(v, "%ld/%ld", &shard_k, &shard_n) != 2 ||
			    shard_n < 1 || shard_k < 1 || shard_k > shard_n)
				return usage_error(cmd,
						   "--shard '%s' (expected K/N "
						   "with 1 <= K <= N)",
						   v);
			i++;
		} else if (!strcmp(a, "--out") && v) {
			out_opt = v;
			i++;
		} else if (!strcmp(a, "--lang") && v) {
			lang = !strcmp(v, "fr")	  ? CAB_LANG_FR
			       : !strcmp(v, "nl") ? CAB_LANG_NL
			       : !strcmp(v, "en") ? CAB_LANG_EN
						  : -1;
			if (lang < 0)
				return usage_error(cmd,
						   "unknown language '%s' "
						   "(expected fr, nl or en)",
						   v);
			i++;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			is_quiet = true;
		} else if (a[0] == '-' && a[1]) {
			return usage_error(cmd, "unknown option '%s'", a);
		} else if (!file) {
			file = a;
		} else {
			return usage_error(cmd, "unexpected argument '%s'", a);
		}
	}
	if (!file)
		return usage_error(cmd, "missing BATCH.json");
	show_progress = !is_quiet;
	struct cab_err err;
	cab_err_init(&err);
	struct cab_batch *b = NULL;
	if (cab_batch_load(file, &b, &err) != CAB_OK)
		return fail(&err);
	/* The shard's scenarios, and their names: checked before any work
	 * (two scenarios of one name would write into one folder). */
	size_t n = 0;
	size_t *pick = calloc(b->n, sizeof *pick);
	char(*names)[256] = calloc(b->n, sizeof *names);
	enum cab_status st = pick && names ? CAB_OK : CAB_ENOMEM;
	for (size_t i = 0; i < b->n && st == CAB_OK; i++) {
		if ((long)(i % (size_t)shard_n) != shard_k - 1)
			continue;
		struct cab_scenario *sc = NULL;
		if (cab_scenario_load(b->scenarios[i], &sc, &err) != CAB_OK) {
			st = CAB_EINPUT;
			continue;
		}
		cab_report_safe_name(sc->name, names[n], sizeof names[n]);
		for (size_t j = 0; j < n; j++)
			if (!strcmp(names[j], names[n]))
				st = cab_err_add(
				    &err, CAB_EINPUT,
				    "%s: $.scenarios[%zu]: scenario name '%s' "
				    "already used by %s (expected one name per "
				    "scenario: each gets its folder)",
				    file, i, sc->name, b->scenarios[pick[j]]);
		pick[n++] = i;
		cab_scenario_free(sc);
	}
	char out[4096], stage[4096 + 32];
	if (out_opt) {
		snprintf(out, sizeof out, "%s", out_opt);
	} else {
		const char *base = strrchr(file, '/');
		base = base ? base + 1 : file;
		char safe[256];
		cab_report_safe_name(base, safe, sizeof safe);
		char *dot = strrchr(safe, '.');
		if (dot && !strcmp(dot, ".json"))
			*dot = '\0';
		snprintf(out, sizeof out, "out/%s", safe);
	}
	if (st == CAB_OK && mkdir_p(out) != 0)
		st = cab_err_add(&err, CAB_EIO, "%s: cannot create (%s)", out,
				 strerror(errno));
	snprintf(stage, sizeof stage, "%s/.cabine-batch-XXXXXX", out);
	if (st == CAB_OK && !mkdtemp(stage))
		st = cab_err_add(&err, CAB_EIO, "%s: cannot create (%s)", out,
				 strerror(errno));
	bool has_stage = st == CAB_OK;
	char rows[4096 + 64];
	snprintf(rows, sizeof rows, "%s/.rows", stage);
	if (st == CAB_OK && mkdir_p(rows) != 0)
		st = cab_err_add(&err, CAB_EIO, "%s: cannot create", rows);
	if (st == CAB_OK) {
		if ((size_t)jobs > n)
			jobs = n ? (long)n : 1;
		progress("running %zu scenarios with %ld worker(s)", n, jobs);
		fflush(NULL);
		pid_t *pid = calloc((size_t)jobs, sizeof *pid);
		for (long w = 0; pid && w < jobs; w++) {
			pid[w] = fork();
			if (pid[w] == 0) {
				show_progress = false;
				for (size_t j = (size_t)w; j < n;
				     j += (size_t)jobs) {
					char dir[8192], rp[8192], ep[8192];
					snprintf(dir, sizeof dir, "%s/%s",
						 stage, names[j]);
					snprintf(rp, sizeof rp, "%s/%zu.csv",
						 rows, j);
					snprintf(ep, sizeof ep, "%s/%zu.err",
						 rows, j);
					batch_one(b->scenarios[pick[j]], dir,
						  rp, ep, (enum cab_lang)lang);
				}
				_exit(0);
			}
		}
		for (long w = 0; pid && w < jobs; w++) {
			int status = 0;
			if (pid[w] > 0)
				waitpid(pid[w], &status, 0);
			if (pid[w] < 0 || !WIFEXITED(status) ||
			    WEXITSTATUS(status) != 0)
				st = cab_err_add(&err, CAB_EINTERNAL,
						 "%s: a worker process failed",
						 file);
		}
		if (!pid)
			st = CAB_ENOMEM;
		free(pid);
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
			cab_err_add(&err, (enum cab_status)code, "%s", line);
		}
		if (st == CAB_OK || code == CAB_EINTERNAL)
			st = (enum cab_status)code;
		fclose(f);
	}
	if (st == CAB_OK) {
		char csv[8192];
		snprintf(csv, sizeof csv,
			 shard_n > 1 ? "%s/batch-%ld-of-%ld.csv"
				     : "%s/batch.csv",
			 stage, shard_k, shard_n);
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
			st =
			    cab_err_add(&err, CAB_EIO, "%s: cannot write", csv);
	}
	if (has_stage)
		rm_tree(rows);
	if (st == CAB_OK && move_tree(stage, out) != 0)
		st = cab_err_add(&err, CAB_EIO,
				 "%s: cannot move reports into place (%s)", out,
				 strerror(errno));
	if (has_stage)
		rm_tree(stage);
	if (st == CAB_OK && !is_quiet)
		printf("%s: %zu scenario(s) run; batch%s.csv and one folder "
		       "each in %s/\n",
		       file, n, shard_n > 1 ? "-K-of-N" : "", out);
	free(pick);
	free(names);
	cab_batch_free(b);
	if (st != CAB_OK)
		return fail(&err);
	cab_err_release(&err);
	return 0;
}

static const struct command commands[] = {
    {"demo", cmd_demo, "cabine demo [--out DIR] [--jobs N] [--quiet]",
     "Write the embedded demo community (a Brussels neighbourhood of ~60\n"
     "participants, a year of quarter-hour data), run it and compare its\n"
     "variants (compare.xlsx), measure its alerts (alerts.xlsx) and its\n"
     "load curves (curves.xlsx). Default DIR: out/demo.\n"},
    {"run", cmd_run,
     "cabine run SCENARIO.json [--out DIR] [--detail] [--lang fr|nl|en] "
     "[--jobs N] [--quiet]",
     "Share the community's energy every quarter-hour, bill each participant\n"
     "and write summary.json, invoices.csv, invoices/<id>.xlsx (and\n"
     "allocation.csv with --detail) into DIR (default out/<name>/).\n"
     "--jobs N: invoice workbooks written by N processes (default: one per\n"
     "core); the files are the same whatever N.\n"},
    {"check", cmd_check, "cabine check SCENARIO.json",
     "Validate the scenario and its readings; list every problem found.\n"},
    {"import", cmd_import,
     "cabine import --db DB --format F [--meter ID] [--sum] [--replace] "
     "[--quiet] FILE...",
     "Import meter data into a SQLite store (created if absent), all or\n"
     "nothing: formats csv (timestamp,meter,kwh), power-csv (watts at any\n"
     "spacing), flukso-csv, flukso-json, flukso-tmpo (a block or a sensor's\n"
     "folder), dso-csv (the grid operator's export: ID.offtake and\n"
     "ID.injection). Options: --sum (the files are phases of --meter),\n"
     "--replace (new values win conflicts), --label start|end,\n"
     "--max-gap SECONDS, --min-coverage F (0.9), --fill "
     "none|linear[:N]|profile.\n"
     "Importing a file twice changes nothing. See docs/store.md.\n"},
    {"compare", cmd_compare,
     "cabine compare SCENARIO.json [--out DIR] [--lang fr|nl|en] [--quiet]",
     "Run the base scenario and every variant of its \"compare\" array on\n"
     "the same readings and write, side by side, compare.xlsx (each\n"
     "participant's bill alone, under the base and under each variant, the\n"
     "spread, who gains or loses, a chart, one sheet per variant; sheet\n"
     "texts in --lang, default fr) and compare.csv\n"
     "(participant,variant,bill_eur,baseline_eur,delta_eur) into DIR\n"
     "(default out/<name>/). Nothing is written if any variant fails.\n"},
    {"alerts", cmd_alerts, "cabine alerts SCENARIO.json [--out DIR] [--quiet]",
     "Measure each alert of the scenario: consumption during the window,\n"
     "right after it and (announced alerts) right before it, against the\n"
     "same weekday and local hours on days without alert; per participant\n"
     "and for the community. Writes alerts.csv into DIR (default\n"
     "out/<name>/).\n"},
    {"curves", cmd_curves,
     "cabine curves SCENARIO.json [--out DIR] [--detail] [--lang fr|nl|en] "
     "[--quiet]",
     "Load-curve statistics for each participant, cabin, group and the\n"
     "community: median and quartiles by local time of day, the mean week,\n"
     "each for the year and by season, for consumption, production and net;\n"
     "and the coincidence factor as a group grows. Writes curves.csv,\n"
     "curves_week.csv (participants' weeks only with --detail),\n"
     "coincidence.csv and curves.xlsx (the same figures with charts; texts\n"
     "in --lang, default fr) into DIR (default out/<name>/).\n"},
    {"batch", cmd_batch,
     "cabine batch BATCH.json [--jobs N] [--shard K/N] [--out DIR] [--lang "
     "fr|nl|en] [--quiet]",
     "Run every scenario of BATCH.json ({\"scenarios\": [\"a.json\", …]}) in\n"
     "N worker processes; with --shard K/N only every N-th from the K-th.\n"
     "Writes one folder of reports per scenario and batch.csv (one row per\n"
     "scenario: totals and indicators) into DIR (default out/<batch name>/);\n"
     "nothing is written if any scenario fails. See docs/batch.md.\n"},
    {NULL, NULL, NULL, NULL},
};

static void print_help(FILE *f)
{
	fprintf(f,
		"cabine %s — share a Brussels energy community's electricity "
		"and its bill\n\nUsage:\n",
		CABINE_VERSION);
	for (size_t i = 0; commands[i].name; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fputs("\nOptions: --help (also after a command), --version, --quiet\n"
	      "Exit status: 0 success, 1 internal failure, 2 bad input or "
	      "usage.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("cabine %s\n", CABINE_VERSION);
		return 0;
	}
	for (size_t i = 0; commands[i].name; i++) {
		if (strcmp(commands[i].name, cmd) != 0)
			continue;
		for (int k = 2; k < argc; k++)
			if (!strcmp(argv[k], "--help") ||
			    !strcmp(argv[k], "-h")) {
				printf("Usage: %s\n\n%s", commands[i].usage,
				       commands[i].help);
				return 0;
			}
		return commands[i].fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "cabine: unknown command '%s' (see 'cabine --help')\n",
		cmd);
	return 2;
}
