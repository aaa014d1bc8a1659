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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/cabine.h"

struct opts {
	const char *scenario;  /* positional argument */
	const char *out;       /* --out DIR or NULL */
	bool is_detail;        /* --detail */
	int lang;              /* --lang, -1 if not given */
	bool is_quiet;         /* --quiet */
	int jobs;              /* --jobs N: invoice worker processes */
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
				return usage_error(cmd, "unknown language '%s' (expected fr, nl or en)", l);
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

/* Load the scenario's readings for the meters it names. */
static enum cab_status load_readings(const struct cab_scenario *sc,
				     struct cab_readings **out,
				     struct cab_err *err)
{
	struct cab_readings *rd = NULL;
	enum cab_status st = cab_readings_new(sc->t0_s, sc->n_intervals, &rd, err);
	if (st != CAB_OK)
		return st;
	for (size_t i = 0; i < sc->n_participants && st == CAB_OK; i++) {
		const struct cab_participant *p = &sc->participants[i];
		const char *m[] = {p->meter_consumption, p->meter_production,
				   p->meter_offtake, p->meter_injection};
		for (int k = 0; k < 4 && st == CAB_OK; k++)
			if (m[k])
				st = cab_readings_want(rd, m[k], err);
	}
	for (size_t c = 0; c < sc->n_cabins && st == CAB_OK; c++)
		if (sc->cabins[c].meter)
			st = cab_readings_want(rd, sc->cabins[c].meter, err);
	if (st == CAB_OK && sc->readings_path) {
		progress("reading %s", sc->readings_path);
		st = cab_readings_load_csv(rd, sc->readings_path, err);
	} else if (st == CAB_OK && sc->db_path) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: $.db: reading from a database is not "
				 "available in this version (expected \"readings\")",
				 sc->path);
	}
	if (st != CAB_OK) {
		cab_readings_free(rd);
		return st;
	}
	*out = rd;
	return CAB_OK;
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
		st = cab_err_add(err, CAB_EIO, "%s: cannot move reports into place (%s)",
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
		progress("sharing and billing %zu participants over %zu intervals",
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
			printf("%s: %zu alerts analysed; alerts.csv and alerts.xlsx in %s/\n",
			       sc->name, sc->n_alerts, out);
		} else if (st == CAB_OK && !o->is_quiet && job == JOB_CURVES) {
			printf("%s: load curves of %zu subjects in %s/\n",
			       sc->name, curves->n, out);
		} else if (st == CAB_OK && !o->is_quiet) {
			char tot[48];
			cab_report_fmt_cents(run->total_bill_cents, tot, sizeof(tot));
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
	/* The assembly's view too: every variant of the demo side by side. */
	return rc ? rc : do_compare(o);
}

static const struct command commands[];

static int cmd_unavailable(const char *name)
{
	fprintf(stderr,
		"cabine %s: not available in this version (see 'cabine --help')\n",
		name);
	return 2;
}

static int cmd_import(int argc, char **argv)
{
	return cmd_unavailable("import");
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
			st = cab_err_add(&err, CAB_EINPUT,
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

static int cmd_batch(int argc, char **argv)
{
	return cmd_unavailable("batch");
}

static const struct command commands[] = {
	{"demo", cmd_demo, "cabine demo [--out DIR] [--jobs N] [--quiet]",
	 "Write the embedded demo community (a Brussels neighbourhood of ~60\n"
	 "participants, a year of quarter-hour data), run it and compare its\n"
	 "variants (compare.xlsx). Default DIR: out/demo.\n"},
	{"run", cmd_run,
	 "cabine run SCENARIO.json [--out DIR] [--detail] [--lang fr|nl|en] [--jobs N] [--quiet]",
	 "Share the community's energy every quarter-hour, bill each participant\n"
	 "and write summary.json, invoices.csv, invoices/<id>.xlsx (and\n"
	 "allocation.csv with --detail) into DIR (default out/<name>/).\n"
	 "--jobs N: invoice workbooks written by N processes (default: one per\n"
	 "core); the files are the same whatever N.\n"},
	{"check", cmd_check, "cabine check SCENARIO.json",
	 "Validate the scenario and its readings; list every problem found.\n"},
	{"import", cmd_import,
	 "cabine import --db DB --format F [--meter ID] FILE...",
	 "Import meter data into a SQLite store (not yet available).\n"},
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
	 "cabine curves SCENARIO.json [--out DIR] [--detail] [--quiet]",
	 "Load-curve statistics for each participant, cabin, group and the\n"
	 "community: median and quartiles by local time of day, the mean week,\n"
	 "each for the year and by season, for consumption, production and net;\n"
	 "and the coincidence factor as a group grows. Writes curves.csv,\n"
	 "curves_week.csv (participants' weeks only with --detail) and\n"
	 "coincidence.csv into DIR (default out/<name>/).\n"},
	{"batch", cmd_batch,
	 "cabine batch BATCH.json [--jobs N] [--shard K/N] [--out DIR]",
	 "Run many scenarios (not yet available).\n"},
	{NULL, NULL, NULL, NULL},
};

static void print_help(FILE *f)
{
	fprintf(f, "cabine %s — share a Brussels energy community's electricity "
		   "and its bill\n\nUsage:\n",
		CABINE_VERSION);
	for (size_t i = 0; commands[i].name; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fputs("\nOptions: --help (also after a command), --version, --quiet\n"
	      "Exit status: 0 success, 1 internal failure, 2 bad input or usage.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
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
			if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
				printf("Usage: %s\n\n%s", commands[i].usage,
				       commands[i].help);
				return 0;
			}
		return commands[i].fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "cabine: unknown command '%s' (see 'cabine --help')\n", cmd);
	return 2;
}
