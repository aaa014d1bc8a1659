/*
 * opts.c — the one option parser of the command line: every command
 * describes the options it accepts in a table (struct cab_cli_spec) and
 * cab_cli_parse reads its arguments by that table into struct
 * cab_cli_opts.
 *
 * Why: each option is spelt, checked and explained in one place, so
 * `run --jobs x` and `batch --lang de` say what they expect the same way
 * in every command, and a new command only lists its options. The parser
 * prints nothing: a usage error comes back as one message in err, which
 * main.c prints with the command's name and the pointer to --help.
 *
 * Rules, as the commands always had them: a value follows its option as
 * the next word (also "--out=DIR" where takes_eq says so); an option
 * that needs a value but ends the line says so (the user forgot the
 * value: "unknown option" would send them looking for a typo); any other
 * word starting with '-' (but "-" alone) is an unknown option; the rest
 * are operands. The first problem ends the parse. Required options are
 * checked in their order, then the operand.
 *
 * Workload: a few dozen words per command line.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

#define MAX_OPTS 32 /* options of one command */

struct cab_cli_opt {
	const char *name;    /* "--out" */
	const char *alias;   /* "-j", "-q" or NULL */
	const char *metavar; /* the value's name ("DIR"), NULL for a flag */
	bool takes_eq;	     /* also spelt "--out=DIR" */
	/* Check and store the value (NULL for a flag); a bad value fails
	 * with CAB_EINPUT and the message. NULL: the option only stores its
	 * value (a const char *) or true (a flag's bool) at offset `at`. */
	enum cab_status (*set)(struct cab_cli_opts *o, const char *value,
			       struct cab_err *err);
	size_t at; /* offsetof the field in struct cab_cli_opts, without set */
};

/* A value stored as given, or a flag set: no check to make. */
#define STORE(field) .at = offsetof(struct cab_cli_opts, field)

struct cab_cli_spec {
	const struct cab_cli_opt *const *opts;	   /* NULL-terminated */
	const struct cab_cli_opt *const *required; /* NULL-terminated or NULL */
	const char *operand;	/* "SCENARIO.json", …; NULL: no operand */
	bool has_many_operands; /* FILE...: any number of them */
};

/* The options of the scenario commands and demo. */

/* A whole number of processes from 1 to max into *jobs; false if v is
 * not one. */
static bool parse_processes(const char *v, long max, int *jobs)
{
	char *end;
	long j = strtol(v, &end, 10);
	if (*v == 0 || *end || j < 1 || j > max)
		return false;
	*jobs = (int)j;
	return true;
}

static enum cab_status set_jobs(struct cab_cli_opts *o, const char *v,
				struct cab_err *err)
{
	if (!parse_processes(v, 1024, &o->jobs))
		return cab_err_add(err, CAB_EINPUT,
				   _("--jobs '%s': expected a number of "
				     "processes from 1 to 1024"),
				   v);
	return CAB_OK;
}

static enum cab_status set_lang(struct cab_cli_opts *o, const char *v,
				struct cab_err *err)
{
	if (!strcmp(v, "fr"))
		o->lang = CAB_LANG_FR;
	else if (!strcmp(v, "nl"))
		o->lang = CAB_LANG_NL;
	else if (!strcmp(v, "en"))
		o->lang = CAB_LANG_EN;
	else
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("unknown language '%s' (expected fr, nl or en)"), v);
	return CAB_OK;
}

static const struct cab_cli_opt opt_out = {
    .name = "--out", .metavar = "DIR", .takes_eq = true, STORE(out)};
static const struct cab_cli_opt opt_detail = {.name = "--detail",
					      STORE(is_detail)};
static const struct cab_cli_opt opt_jobs = {.name = "--jobs",
					    .alias = "-j",
					    .metavar = "N",
					    .takes_eq = true,
					    .set = set_jobs};
static const struct cab_cli_opt opt_quiet = {
    .name = "--quiet", .alias = "-q", STORE(is_quiet)};
static const struct cab_cli_opt opt_lang = {
    .name = "--lang", .metavar = "fr|nl|en", .set = set_lang};
static const struct cab_cli_opt opt_strict = {.name = "--strict",
					      STORE(is_strict)};

/* The options of import. */

static enum cab_status set_format(struct cab_cli_opts *o, const char *v,
				  struct cab_err *err)
{
	char list[256];
	if (!cab_format_parse(v, &o->import.format))
		return cab_err_add(err, CAB_EINPUT,
				   "unknown format '%s' (expected %s)", v,
				   cab_format_list(list, sizeof list));
	return CAB_OK;
}

static enum cab_status set_label(struct cab_cli_opts *o, const char *v,
				 struct cab_err *err)
{
	if (!strcmp(v, "start"))
		o->import.label = CAB_LABEL_START;
	else if (!strcmp(v, "end"))
		o->import.label = CAB_LABEL_END;
	else
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("unknown label '%s' (expected start or end)"), v);
	return CAB_OK;
}

static enum cab_status set_max_gap(struct cab_cli_opts *o, const char *v,
				   struct cab_err *err)
{
	char *end;
	o->import.max_gap_s = strtod(v, &end);
	if (*end || !(o->import.max_gap_s > 0))
		return cab_err_add(err, CAB_EINPUT,
				   _("--max-gap '%s' (expected seconds > 0)"),
				   v);
	return CAB_OK;
}

static enum cab_status set_min_coverage(struct cab_cli_opts *o, const char *v,
					struct cab_err *err)
{
	char *end;
	double c = strtod(v, &end);
	o->import.min_coverage = c;
	if (*end || !(c > 0 && c <= 1))
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("--min-coverage '%s' (expected a fraction in (0, 1])"),
		    v);
	return CAB_OK;
}

/* "linear:N", "linear" (N = 4), "profile" or "none". */
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

static enum cab_status set_fill(struct cab_cli_opts *o, const char *v,
				struct cab_err *err)
{
	if (!parse_fill(v, &o->import))
		return cab_err_add(err, CAB_EINPUT,
				   _("--fill '%s' (expected none, linear, "
				     "linear:N or profile)"),
				   v);
	return CAB_OK;
}

static const struct cab_cli_opt opt_db = {
    .name = "--db", .metavar = "DB", STORE(import.db_path)};
static const struct cab_cli_opt opt_format = {
    .name = "--format", .metavar = "F", .set = set_format};
static const struct cab_cli_opt opt_meter = {
    .name = "--meter", .metavar = "ID", STORE(import.meter)};
static const struct cab_cli_opt opt_sum = {.name = "--sum", STORE(import.sum)};
static const struct cab_cli_opt opt_replace = {.name = "--replace",
					       STORE(import.replace)};
static const struct cab_cli_opt opt_label = {
    .name = "--label", .metavar = "start|end", .set = set_label};
static const struct cab_cli_opt opt_max_gap = {
    .name = "--max-gap", .metavar = "SECONDS", .set = set_max_gap};
static const struct cab_cli_opt opt_min_coverage = {
    .name = "--min-coverage", .metavar = "F", .set = set_min_coverage};
static const struct cab_cli_opt opt_fill = {
    .name = "--fill", .metavar = "none|linear|profile", .set = set_fill};

/* The options of batch. Its --jobs and --out are spelt as batch always
 * had them: no -j, no --jobs=N or --out=DIR, and 1 to 256 processes. */

static enum cab_status set_batch_jobs(struct cab_cli_opts *o, const char *v,
				      struct cab_err *err)
{
	if (!parse_processes(v, 256, &o->jobs))
		return cab_err_add(err, CAB_EINPUT,
				   _("--jobs '%s' (expected a number of "
				     "processes from 1 to 256)"),
				   v);
	return CAB_OK;
}

static enum cab_status set_shard(struct cab_cli_opts *o, const char *v,
				 struct cab_err *err)
{
	int used = 0;
	if (sscanf(v, "%ld/%ld%n", &o->shard_k, &o->shard_n, &used) != 2 ||
	    v[used] != '\0' || o->shard_n < 1 || o->shard_k < 1 ||
	    o->shard_k > o->shard_n)
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("--shard '%s' (expected K/N with 1 <= K <= N)"), v);
	o->has_shard = true;
	return CAB_OK;
}

static enum cab_status set_reports(struct cab_cli_opts *o, const char *v,
				   struct cab_err *err)
{
	if (!strcmp(v, "none"))
		o->reports = CAB_CLI_REPORTS_NONE;
	else if (!strcmp(v, "csv"))
		o->reports = CAB_CLI_REPORTS_CSV;
	else if (!strcmp(v, "all"))
		o->reports = CAB_CLI_REPORTS_ALL;
	else
		return cab_err_add(err, CAB_EINPUT,
				   "--reports '%s' (expected none, csv or all)",
				   v);
	return CAB_OK;
}

static const struct cab_cli_opt opt_reports = {
    .name = "--reports", .metavar = "none|csv|all", .set = set_reports};
static const struct cab_cli_opt opt_all_or_nothing = {
    .name = "--all-or-nothing", STORE(is_all_or_nothing)};

static const struct cab_cli_opt opt_batch_jobs = {
    .name = "--jobs", .metavar = "N", .set = set_batch_jobs};
static const struct cab_cli_opt opt_batch_out = {
    .name = "--out", .metavar = "DIR", STORE(out)};
static const struct cab_cli_opt opt_shard = {
    .name = "--shard", .metavar = "K/N", .set = set_shard};

/* The options of init. */

static enum cab_status set_households(struct cab_cli_opts *o, const char *v,
				      struct cab_err *err)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v == 0 || *end || n < 1 || n > 999)
		return cab_err_add(err, CAB_EINPUT,
				   "--households '%s': expected a number of "
				   "households from 1 to 999",
				   v);
	o->households = (int)n;
	return CAB_OK;
}

static const struct cab_cli_opt opt_households = {
    .name = "--households", .metavar = "N", .set = set_households};
/* The options of fit-key. */

static enum cab_status set_rounds(struct cab_cli_opts *o, const char *v,
				  struct cab_err *err)
{
	if (!strcmp(v, "one"))
		o->rounds = 0;
	else if (!strcmp(v, "until-done"))
		o->rounds = 1;
	else
		return cab_err_add(err, CAB_EINPUT,
				   "--rounds '%s' (expected one or until-done)",
				   v);
	return CAB_OK;
}

static const struct cab_cli_opt opt_rounds = {
    .name = "--rounds", .metavar = "one|until-done", .set = set_rounds};

/* The tables. */

static const struct cab_cli_opt *const scenario_opts[] = {
    &opt_out, &opt_detail, &opt_jobs, &opt_quiet, &opt_lang, &opt_strict, NULL};

const struct cab_cli_spec cab_cli_spec_scenario = {.opts = scenario_opts,
						   .operand = "SCENARIO.json"};

const struct cab_cli_spec cab_cli_spec_demo = {.opts = scenario_opts};

static const struct cab_cli_opt *const import_opts[] = {
    &opt_db,	  &opt_format, &opt_meter,   &opt_sum,
    &opt_replace, &opt_label,  &opt_max_gap, &opt_min_coverage,
    &opt_fill,	  &opt_quiet,  NULL};
static const struct cab_cli_opt *const import_required[] = {&opt_db,
							    &opt_format, NULL};

const struct cab_cli_spec cab_cli_spec_import = {.opts = import_opts,
						 .required = import_required,
						 .operand = "FILE...",
						 .has_many_operands = true};

static const struct cab_cli_opt *const batch_opts[] = {
    &opt_batch_jobs, &opt_shard,	  &opt_batch_out, &opt_lang, &opt_quiet,
    &opt_reports,    &opt_all_or_nothing, &opt_strict,	  NULL};

/* BATCH.json, or `merge OUT.sqlite SHARD.sqlite…` (cmd_batch.c checks
 * the count). */
const struct cab_cli_spec cab_cli_spec_batch = {
    .opts = batch_opts, .operand = "BATCH.json", .has_many_operands = true};

/* The options of forecast (SPEC §15) and of alerts' signal windows. */

static const struct cab_cli_opt opt_weather = {
    .name = "--weather", .metavar = "FILE", .takes_eq = true, STORE(weather)};
static const struct cab_cli_opt opt_backtest = {.name = "--backtest",
						STORE(is_backtest)};
static const struct cab_cli_opt opt_signal = {
    .name = "--signal", .metavar = "FILE", .takes_eq = true, STORE(signal)};

static const struct cab_cli_opt *const forecast_opts[] = {
    &opt_weather, &opt_backtest, &opt_out, &opt_lang,
    &opt_quiet,	  &opt_strict,	 NULL};
static const struct cab_cli_opt *const forecast_required[] = {&opt_weather,
							      NULL};

const struct cab_cli_spec cab_cli_spec_forecast = {.opts = forecast_opts,
						   .required =
						       forecast_required,
						   .operand = "SCENARIO.json"};

static const struct cab_cli_opt *const alerts_opts[] = {
    &opt_out,  &opt_detail, &opt_jobs,	 &opt_quiet,
    &opt_lang, &opt_signal, &opt_strict, NULL};

const struct cab_cli_spec cab_cli_spec_alerts = {.opts = alerts_opts,
						 .operand = "SCENARIO.json"};

/* site: the scenario's options and --signal (the pages' sun box). */
static const struct cab_cli_opt *const site_opts[] = {
    &opt_out,  &opt_detail, &opt_jobs,	 &opt_quiet,
    &opt_lang, &opt_signal, &opt_strict, NULL};

const struct cab_cli_spec cab_cli_spec_site = {.opts = site_opts,
					       .operand = "SCENARIO.json"};

static const struct cab_cli_opt opt_fail_on_difference = {
    .name = "--fail-on-difference", STORE(is_fail_on_difference)};
static const struct cab_cli_opt *const reconcile_opts[] = {
    &opt_out, &opt_db, &opt_lang, &opt_fail_on_difference, &opt_quiet, NULL};

const struct cab_cli_spec cab_cli_spec_reconcile = {.opts = reconcile_opts,
						    .operand = "SCENARIO.json"};

static const struct cab_cli_opt *const init_opts[] = {
    &opt_households, &opt_lang, &opt_quiet, NULL};

const struct cab_cli_spec cab_cli_spec_init = {.opts = init_opts,
					       .operand = "DIR"};

static const struct cab_cli_opt *const fit_opts[] = {&opt_rounds, &opt_out,
						     &opt_quiet, NULL};

const struct cab_cli_spec cab_cli_spec_fit = {.opts = fit_opts,
					      .operand = "SCENARIO.json"};

/* The parser. */

/* Is word a opt's name or its alias? */
static bool is_named(const struct cab_cli_opt *opt, const char *a)
{
	return !strcmp(a, opt->name) || (opt->alias && !strcmp(a, opt->alias));
}

/* Does word a name opt? Sets *value (NULL for a flag) and *used (words
 * taken: 1 or 2). */
static bool match(const struct cab_cli_opt *opt, int i, int argc, char **argv,
		  const char **value, int *used)
{
	const char *a = argv[i];
	bool is_name = is_named(opt, a);
	*used = 1;
	*value = NULL;
	if (!opt->metavar)
		return is_name;
	if (is_name && i + 1 < argc) {
		*value = argv[i + 1];
		*used = 2;
		return true;
	}
	size_t len = strlen(opt->name);
	if (opt->takes_eq && !strncmp(a, opt->name, len) && a[len] == '=') {
		*value = a + len + 1;
		return true;
	}
	return false;
}

/* Check and store opt's value (NULL for a flag) into o. */
static enum cab_status store(const struct cab_cli_opt *opt,
			     struct cab_cli_opts *o, const char *value,
			     struct cab_err *err)
{
	if (opt->set)
		return opt->set(o, value, err);
	char *field = (char *)o + opt->at;
	if (opt->metavar)
		*(const char **)(void *)field = value;
	else
		*(bool *)(void *)field = true;
	return CAB_OK;
}

enum cab_status cab_cli_parse(const struct cab_cli_spec *spec, int argc,
			      char **argv, struct cab_cli_opts *o,
			      struct cab_err *err)
{
	memset(o, 0, sizeof(*o));
	o->lang = -1;
	o->shard_k = o->shard_n = 1;
	o->reports = -1;
	o->rounds = -1;
	cab_import_opts_default(&o->import);
	o->operands = calloc((size_t)argc + 1, sizeof(*o->operands));
	if (!o->operands)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	/* Which of spec->opts were given, for the required ones. */
	bool seen[MAX_OPTS] = {false};
	for (int i = 0; i < argc;) {
		const char *a = argv[i], *value = NULL;
		int used = 1;
		size_t k = 0;
		while (spec->opts[k] &&
		       !match(spec->opts[k], i, argc, argv, &value, &used))
			k++;
		if (spec->opts[k]) {
			enum cab_status st =
			    store(spec->opts[k], o, value, err);
			if (st != CAB_OK)
				return st;
			assert(k < MAX_OPTS);
			seen[k] = true;
		} else if (a[0] == '-' && a[1]) {
			for (k = 0; spec->opts[k]; k++)
				if (spec->opts[k]->metavar &&
				    is_named(spec->opts[k], a))
					return cab_err_add(
					    err, CAB_EINPUT,
					    _("option '%s' needs a value "
					      "(expected %s %s)"),
					    a, a, spec->opts[k]->metavar);
			return cab_err_add(err, CAB_EINPUT,
					   _("unknown option '%s'"), a);
		} else if (spec->operand &&
			   (spec->has_many_operands || o->n_operands == 0)) {
			o->operands[o->n_operands++] = a;
		} else {
			return cab_err_add(err, CAB_EINPUT,
					   _("unexpected argument '%s'"), a);
		}
		i += used;
	}
	for (size_t r = 0; spec->required && spec->required[r]; r++) {
		const struct cab_cli_opt *opt = spec->required[r];
		size_t k = 0;
		while (spec->opts[k] && spec->opts[k] != opt)
			k++;
		if (!spec->opts[k] || !seen[k])
			return cab_err_add(err, CAB_EINPUT, _("missing %s %s"),
					   opt->name, opt->metavar);
	}
	if (spec->operand && o->n_operands == 0)
		return cab_err_add(err, CAB_EINPUT, _("missing %s"),
				   spec->operand);
	return CAB_OK;
}

void cab_cli_opts_release(struct cab_cli_opts *o)
{
	if (!o)
		return;
	free(o->operands);
	o->operands = NULL;
	o->n_operands = 0;
}

int cab_cli_invoice_jobs(const struct cab_cli_opts *o)
{
	if (o->jobs > 0)
		return o->jobs;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	return ncpu < 1 ? 1 : ncpu > 64 ? 64 : (int)ncpu;
}
