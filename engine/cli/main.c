/*
 * main.c — the `cabine` command line (SPEC §7): the dispatch of its
 * commands from one commands[] table (as git does), the help generated
 * from it, and the only place that prints usage, help and problems or
 * decides the exit status.
 *
 * Exit status: 0 success, 1 internal failure, 2 bad input or usage, with
 * one line per problem on stderr. Each command lives in its own file
 * (cmd_*.c), parses its words with the one option parser (opts.c) by the
 * table of options it names here, and stages its outputs (stage.c), so a
 * failed command never leaves half-written reports.
 *
 * main() itself is in entry.c, so that the test build of the command
 * line (tests/hooks.c) enters this same dispatch with its test hooks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

struct cab_command {
	const char *name; /* the word after `cabine` */
	enum cab_status (*fn)(const struct cab_cli_opts *o,
			      struct cab_err *err);
	const struct cab_cli_spec *spec; /* the options it accepts */
	const char *usage;		 /* its line in the help */
	const char *help;		 /* what --help adds after it */
};

void cab_cli_progress(const struct cab_cli_opts *o, const char *fmt, ...)
{
	if (o->is_quiet || !isatty(STDERR_FILENO))
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
static int fail(const struct cab_err *err)
{
	if (err->text)
		fputs(err->text, stderr);
	else
		fprintf(stderr, "cabine: %s\n", _(cab_status_str(err->code)));
	return exit_code(err->code ? err->code : CAB_EINTERNAL);
}

/* The warnings found (SPEC §10), one line each, whatever the outcome. */
static void print_warnings(const struct cab_err *err)
{
	for (size_t i = 0; i < err->n_warnings; i++)
		fprintf(stderr, _("warning: %s\n"), err->warnings[i].line);
}

/* A usage error: the parser's one message, with the command and where to
 * look. */
static int usage_error(const char *cmd, const struct cab_err *err)
{
	size_t len = err->text ? strlen(err->text) : 0;
	if (len && err->text[len - 1] == '\n')
		len--;
	fprintf(stderr, _("cabine %s: %.*s (see 'cabine %s --help')\n"), cmd,
		(int)len, err->text ? err->text : "", cmd);
	return 2;
}

static const struct cab_command commands[] = {
    {"demo", cab_cli_demo, &cab_cli_spec_demo,
     "cabine demo [--out DIR] [--jobs N] [--quiet]",
     N_("Write the embedded demo community (a Brussels neighbourhood of ~60\n"
	"participants, a year of quarter-hour data), run it and compare its\n"
	"variants (compare.xlsx), measure its alerts (alerts.xlsx) and its\n"
	"load curves (curves.xlsx). Default DIR: out/demo.\n")},
    {"run", cab_cli_run, &cab_cli_spec_scenario,
     "cabine run SCENARIO.json [--out DIR] [--detail] [--lang fr|nl|en] "
     "[--jobs N] [--strict] [--quiet]",
     N_("Share the community's energy every quarter-hour, bill each "
	"participant\n"
	"and write summary.json, invoices.csv, invoices/<id>.xlsx (and\n"
	"allocation.csv with --detail) into DIR (default out/<name>/).\n"
	"--jobs N: the readings read and the energy shared on N threads, the\n"
	"invoice workbooks written by N processes (default: one per core);\n"
	"the files are the same whatever N.\n")},
    {"check", cab_cli_check, &cab_cli_spec_scenario,
     "cabine check SCENARIO.json [--strict]",
     N_("Validate the scenario and its readings; list every problem found,\n"
	"then the warnings (what is legal but probably wrong: see\n"
	"docs/scenario.md). --strict, here and with every command that loads\n"
	"a scenario: every warning is an error (exit status 2, nothing\n"
	"written).\n")},
    {"import", cab_cli_import, &cab_cli_spec_import,
     "cabine import --db DB --format F [--meter ID] [--sum] [--replace] "
     "[--quiet] FILE...",
     N_("Import meter data into a SQLite store (created if absent), all or\n"
	"nothing: formats csv (timestamp,meter,kwh), power-csv (watts at any\n"
	"spacing), flukso-csv, flukso-json, flukso-tmpo (a block or a "
	"sensor's\n"
	"folder), dso-csv (the grid operator's export: ID.offtake and\n"
	"ID.injection), sibelga-15min and sibelga-month (the operator's files\n"
	"of a community, xlsx or CSV: docs/operator.md).\nOptions: --sum (the "
	"files are phases of --meter),\n"
	"--replace (new values win conflicts), --label start|end,\n"
	"--max-gap SECONDS, --min-coverage F (0.9), --fill "
	"none|linear[:N]|profile.\n"
	"Importing a file twice changes nothing. See docs/store.md.\n")},
    {"compare", cab_cli_compare, &cab_cli_spec_scenario,
     "cabine compare SCENARIO.json [--out DIR] [--lang fr|nl|en] [--strict] "
     "[--quiet]",
     N_("Run the base scenario and every variant of its \"compare\" array on\n"
	"the same readings and write, side by side, compare.xlsx (each\n"
	"participant's bill alone, under the base and under each variant, the\n"
	"spread, who gains or loses, a chart, one sheet per variant; sheet\n"
	"texts in --lang, default fr) and compare.csv\n"
	"(participant,variant,bill_eur,baseline_eur,delta_eur) into DIR\n"
	"(default out/<name>/). Nothing is written if any variant fails.\n")},
    {"alerts", cab_cli_alerts, &cab_cli_spec_alerts,
     "cabine alerts SCENARIO.json [--out DIR] [--signal FILE] [--strict] "
     "[--quiet]",
     N_("Measure each alert of the scenario: consumption during the window,\n"
	"right after it and (announced alerts) right before it, against the\n"
	"same weekday and local hours on days without alert; per participant\n"
	"and for the community. Writes alerts.csv into DIR (default\n"
	"out/<name>/).\n"
	"--signal FILE: also the windows of a signal.csv of `cabine forecast`\n"
	"(rows 'signal:<start>'): there the households were asked to use\n"
	"more, so a positive difference means they followed.\n")},
    {"curves", cab_cli_curves, &cab_cli_spec_scenario,
     "cabine curves SCENARIO.json [--out DIR] [--detail] [--lang fr|nl|en] "
     "[--strict] [--quiet]",
     N_("Load-curve statistics for each participant, cabin, group and the\n"
	"community: median and quartiles by local time of day, the mean week,\n"
	"each for the year and by season, for consumption, production and "
	"net;\n"
	"and the coincidence factor as a group grows. Writes curves.csv,\n"
	"curves_week.csv (participants' weeks only with --detail),\n"
	"coincidence.csv and curves.xlsx (the same figures with charts; texts\n"
	"in --lang, default fr) into DIR (default out/<name>/).\n")},
    {"fit-key", cab_cli_fit, &cab_cli_spec_fit,
     "cabine fit-key SCENARIO.json [--rounds one|until-done] [--out DIR] "
     "[--quiet]",
     N_("The fixed key to declare to the grid operator: per pool, the weights\n"
	"(summing to 1, within sharing.fit.min_weight/max_weight) that save "
	"the\n"
	"community the most over the period with the fixed key, one round\n"
	"(exact) or until done (default: the scenario's rounds). Writes "
	"fit.json\n"
	"(the weights, what they save, the optimal key's saving and the loss\n"
	"against it) into DIR (default out/<name>/) and prints the "
	"\"sharing\"\n"
	"block to paste into the scenario. See docs/keys.md.\n")},
    {"batch", cab_cli_batch, &cab_cli_spec_batch,
     "cabine batch BATCH.json [--jobs N] [--shard K/N] [--out DIR] "
     "[--reports none|csv|all] [--all-or-nothing] [--lang fr|nl|en] "
     "[--strict] [--quiet]\n"
     "  cabine batch merge OUT.sqlite SHARD.sqlite...",
     N_("Run every scenario of BATCH.json ({\"scenarios\": [\"a.json\", …]}), "
	"or\n"
	"every combination of a sweep ({\"base\": \"s.json\", \"sweep\":\n"
	"{\"sharing.key\": [\"fixed\", \"hybrid\"], \"pv_scale\": [1, 2]}}), "
	"in "
	"N\n"
	"worker processes. Results go into DIR/batch.sqlite as each run\n"
	"finishes (a run, each participant, the indicators), then batch.csv\n"
	"and batch.xlsx; a batch started again skips the runs it finished.\n"
	"A run that fails is recorded with its messages and the others go on;\n"
	"--all-or-nothing writes nothing if any fails. --reports: what each "
	"run\n"
	"writes into DIR/<name>/ (default csv: summary.json, invoices.csv).\n"
	"--shard K/N (default from Slurm's SLURM_ARRAY_TASK_ID): every N-th\n"
	"run from the K-th, into batch-K-of-N.*; merge joins the shards.\n"
	"Default DIR: out/<batch name>/. See docs/batch.md.\n")},
    {"site", cab_cli_site, &cab_cli_spec_site,
     "cabine site SCENARIO.json [--out DIR] [--signal FILE] [--lang fr|nl|en] "
     "[--quiet]",
     N_("Write the inhabitants' pages into DIR/site/ (default out/<name>/):\n"
	"one private page per participant in site/<token>/ (its year by\n"
	"quarter-hour, its average day per season, its bill and saving, its\n"
	"alerts, its groups, its appliances) and the community's page,\n"
	"site/index.html; they open from a USB stick or file:// with no\n"
	"network. DIR/tokens.csv (id,token) says who gets which link. Tokens\n"
	"come from the secret file site.secret beside the scenario (or\n"
	"$.site.secret_file), created on first use: keep it. --lang: every\n"
	"page in that language (default: each participant's).\n"
	"--signal FILE: a signal.csv of `cabine forecast`; every page opens\n"
	"with its sun hours, day by day (without it, no such box, even if a\n"
	"signal.csv lies in DIR). See docs/site.md.\n")},
    {"appliances", cab_cli_appliances, &cab_cli_spec_scenario,
     "cabine appliances SCENARIO.json [--out DIR] [--lang fr|nl|en] "
     "[--quiet]",
     N_("Set the households' appliance inventory (the scenario's\n"
	"\"appliances\" table) against their meters and the alerts: per\n"
	"household the estimated and wattmeter kWh per day, the share of the\n"
	"meter explained, what useful and comfort uses usually draw during\n"
	"each alert beside what was shed, the totals by class. Writes\n"
	"appliances.xlsx, appliances_households.csv and appliances_alerts.csv\n"
	"into DIR (default out/<name>/). See docs/appliances.md.\n")},
    {"forecast", cab_cli_forecast, &cab_cli_spec_forecast,
     "cabine forecast SCENARIO.json --weather FILE [--out DIR] [--backtest] "
     "[--lang fr|nl|en] [--quiet]",
     N_("The surplus-hours signal: the community's PV per quarter-hour from a\n"
	"weather file (Open-Meteo JSON, minutely_15 or hourly, or a\n"
	"forecast.solar estimate), its expected consumption (the median of "
	"the\n"
	"same weekday and quarter-hour over the 4 weeks before), the surplus\n"
	"and the windows of at least 30 min worth telling the households.\n"
	"Writes forecast.csv, signal.csv, signal.ics (one event per window;\n"
	"texts in --lang, default fr) and signal.txt (one SMS per language)\n"
	"into DIR (default out/<name>/). The scenario needs \"location\" and\n"
	"each installation's \"pv\". --backtest: over a past period, the\n"
	"forecast against the measured PV, consumption and surplus:\n"
	"backtest.csv, backtest_windows.csv, backtest.xlsx. See\n"
	"docs/forecast.md.\n")},
    {"reconcile", cab_cli_reconcile, &cab_cli_spec_reconcile,
     "cabine reconcile SCENARIO.json [--db DB] [--out DIR] [--lang fr|nl|en] "
     "[--fail-on-difference] [--quiet]",
     N_("Set the simulation beside what the grid operator allocated (its "
	"files\n"
	"imported with --format sibelga-15min and sibelga-month into DB, by\n"
	"default the scenario's \"db\"; participants matched by \"ean\") and\n"
	"write reconcile.csv (the rows that differ) and reconcile.xlsx\n"
	"(findings in words, charts) into DIR (default out/<name>/). Exit 0\n"
	"whether or not they differ; --fail-on-difference exits 3 when they "
	"do.\n"
	"See docs/operator.md.\n")},
    {"init", cab_cli_init, &cab_cli_spec_init,
     "cabine init DIR [--households N] [--lang fr|nl|en] [--quiet]",
     N_("Create DIR, a starter folder for a community to fill in with\n"
	"LibreOffice or Excel: participants.csv (N households, default 8, and\n"
	"the community's solar panels), an empty readings.csv, scenario.json\n"
	"(period, an indicative Brussels tariff, the sharing key) and\n"
	"README.txt saying what to fill and what to run, in --lang (default\n"
	"fr). DIR must be new or empty: init never overwrites a file.\n")},
    {NULL, NULL, NULL, NULL, NULL},
};

static void print_help(FILE *f)
{
	fprintf(f,
		_("cabine %s — share a Brussels energy community's electricity "
		  "and its bill\n\nUsage:\n"),
		CABINE_VERSION);
	for (size_t i = 0; commands[i].name; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fputs(_("\nOptions: --help (also after a command), --version, "
		"--quiet, --strict (every warning is an error)\nExit status: 0 "
		"success, 1 internal failure, 2 bad input or usage.\n"),
	      f);
}

/* Parse the command's words by its table and run it. */
static int run_command(const struct cab_command *c, int argc, char **argv,
		       const struct cab_cli_hooks *hooks)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_cli_opts o;
	enum cab_status st = cab_cli_parse(c->spec, argc, argv, &o, &err);
	int rc = 0;
	if (st == CAB_EINPUT) {
		rc = usage_error(c->name, &err);
	} else if (st != CAB_OK) {
		rc = fail(&err);
	} else {
		int status = 0;
		o.hooks = hooks;
		o.exit_status = &status;
		st = c->fn(&o, &err);
		print_warnings(&err);
		if (st != CAB_OK) {
			rc = fail(&err);
		} else {
			if (err.text) /* warnings of a command that succeeded */
				fputs(err.text, stderr);
			rc = status;
		}
	}
	cab_cli_opts_release(&o);
	cab_err_release(&err);
	return rc;
}

int cab_cli_main(int argc, char **argv, const struct cab_cli_hooks *hooks)
{
	cab_cli_locale_init();
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
				printf(_("Usage: %s\n\n%s"), commands[i].usage,
				       _(commands[i].help));
				return 0;
			}
		return run_command(&commands[i], argc - 2, argv + 2, hooks);
	}
	fprintf(stderr,
		_("cabine: unknown command '%s' (see 'cabine --help')\n"), cmd);
	return 2;
}
