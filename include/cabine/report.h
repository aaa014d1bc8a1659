/*
 * report.h — writers of what users read: CSV, JSON and xlsx outputs.
 *
 * Why: every output is written by one writer behind struct
 * cab_report_ops (like curl's protocol tables), so `run`, `compare` and
 * `batch` pick writers from one list. Writers read a finished struct
 * cab_run and write files into a directory the caller chose: the caller
 * stages them in a temporary directory and moves them into --out only
 * when every writer succeeded, so a failed run leaves nothing behind.
 */
#ifndef CABINE_REPORT_H
#define CABINE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cabine/err.h"
#include "cabine/run.h"

struct cab_alerts;
struct cab_backtest;
struct cab_curves;
struct cab_forecast;
struct cab_fairness;
struct cab_pool_hook;
struct cab_appliances;
struct cab_site_input;
struct cab_reconcile;

struct cab_report_opts {
	bool is_detail; /* --detail: write allocation.csv */
	int lang; /* -1: each participant's language; else enum cab_lang */
	const struct cab_alerts
	    *alerts; /* alert effects, for the alerts writers */
	const struct cab_curves
	    *curves; /* load-curve statistics, for curves writers */
	int jobs; /* worker processes for the invoice workbooks; ≤ 1: none */
	/* The fairness audit of each run (cabine/fairness.h): run writers
	 * read [0], compare writers one per run in run order. NULL: a
	 * writer that needs it computes it without Shapley shares. */
	const struct cab_fairness *const *fairness;
	/* Tests only, NULL in production: a hook into each invoice worker
	 * (engine/base/pool.h), e.g. to make one fail after its share. */
	const struct cab_pool_hook *worker_hook;
	const struct cab_appliances
	    *appliances; /* the inventory's results, for its writers */
	const struct cab_site_input
	    *site; /* `cabine site`: tokens' key, power days (site.h) */
	/* The warnings of the run (SPEC §10), listed in summary.json;
	 * borrowed, n_warnings entries (none when NULL). */
	const struct cab_warning *warnings;
	size_t n_warnings;
	/* The surplus-hours signal, for the forecast writers (which take
	 * no run: `cabine forecast` shares and bills nothing). */
	const struct cab_forecast *forecast;
	const struct cab_backtest *backtest; /* --backtest, else NULL */
	/* The simulation beside the operator's files, for the reconcile
	 * writers (`cabine reconcile`), or NULL. */
	const struct cab_reconcile *reconcile;
	/* Close the invoice workbooks with libxlsxwriter's workbook_close
	 * (slower; the same parts, compressed otherwise: the tests compare
	 * both ways) instead of reports/xlsx/pack.c. */
	bool is_xlsx_reference;
};

struct cab_report_ops {
	const char *name; /* "summary.json", "invoices.csv", … */
	/* Write the report into directory `dir` (exists). Fails with
	 * CAB_EIO (message names the file) or CAB_ENOMEM. */
	enum cab_status (*write)(const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_err *err);
};

/* A writer's work left running in worker processes. */
struct cab_report_work;

/* Whether cab_report_start leaves op's writing running in worker
 * processes (the invoice workbooks), so that a caller starts it first. */
bool cab_report_can_start(const struct cab_report_ops *op);
/* Write like op->write, but for a writer that cab_report_can_start, only
 * start opts->jobs − 1 worker processes and return: *work is finished by
 * cab_report_finish (or cab_report_abandon) once the caller has written
 * its other reports meanwhile; the finish then takes this process's part
 * of the work and waits for the workers. *work is NULL when nothing is
 * left to do (any other writer, one job, a failure). run, opts and dir
 * must stay valid until the finish. Fails like op->write. */
enum cab_status cab_report_start(const struct cab_report_ops *op,
				 const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_report_work **work,
				 struct cab_err *err);
/* Do this process's part of a started writer, wait for its workers to
 * end and free work (NULL: CAB_OK). Fails like the writer's write. */
enum cab_status cab_report_finish(struct cab_report_work *work,
				  struct cab_err *err);
/* Stop a started writer whose output is abandoned (the caller failed
 * elsewhere): its workers are killed and waited for; frees work (NULL
 * allowed). */
void cab_report_abandon(struct cab_report_work *work);

/* The writers of `cabine run`, NULL-terminated, in writing order. */
const struct cab_report_ops *const *cab_report_run_writers(void);

/* Individual writers (also reachable through the table). */
extern const struct cab_report_ops cab_report_summary_json;
extern const struct cab_report_ops cab_report_invoices_csv;
extern const struct cab_report_ops cab_report_allocation_csv;
/* invoices/<participant>.xlsx: one workbook per participant in its
 * language (reports/xlsx/invoice.c, docs/reports.md). */
extern const struct cab_report_ops cab_report_invoices_xlsx;
/* community.xlsx: every participant side by side, totals, indicators,
 * charts (reports/xlsx/community.c, docs/reports.md). */
extern const struct cab_report_ops cab_report_community_xlsx;
/* sibelga.xlsx: the grid operator's monthly shape, one row per meter,
 * month and register (reports/xlsx/sibelga.c, docs/reports.md). */
extern const struct cab_report_ops cab_report_sibelga_xlsx;
extern const struct cab_report_ops cab_report_alerts_csv;
/* README.txt: which file of the folder to open for what, in --lang
 * (reports/readme.c). */
extern const struct cab_report_ops cab_report_readme_txt;
/* alerts.xlsx: alerts.csv's table and, per alert, the community's day
 * against its reference and the participants' Δ %
 * (reports/xlsx/alerts.c). */
extern const struct cab_report_ops cab_report_alerts_xlsx;
extern const struct cab_report_ops cab_report_curves_csv;
/* curves.xlsx: curves.csv, curves_week.csv and coincidence.csv drawn —
 * the community's typical day per season, its mean week, each cabin's and
 * group's day, the coincidence factor, the participants' median days
 * (reports/xlsx/curves.c, docs/alerts.md). */
extern const struct cab_report_ops cab_report_curves_xlsx;

/* appliances_households.csv and appliances_alerts.csv: the inventory
 * against the meter and the alerts (reports/appliances_csv.c,
 * docs/appliances.md); appliances.xlsx the same for the facilitator
 * (reports/xlsx/appliances.c). They write nothing without
 * opts->appliances. */
extern const struct cab_report_ops cab_report_appliances_households_csv;
extern const struct cab_report_ops cab_report_appliances_alerts_csv;
extern const struct cab_report_ops cab_report_appliances_xlsx;
/* site/ (one private page per participant, the community's page) and
 * tokens.csv beside it (reports/site/, SPEC §14, docs/site.md); they
 * need opts->site, opts->curves and, when the scenario has alerts,
 * opts->alerts. */
extern const struct cab_report_ops cab_report_site;
extern const struct cab_report_ops cab_report_tokens_csv;
/* The writers of `cabine forecast` (SPEC §15, docs/forecast.md): they
 * read opts->forecast (and opts->backtest) and ignore run, which may be
 * NULL. forecast.csv, signal.csv, signal.ics, signal.txt
 * (reports/forecast_csv.c); backtest.csv and backtest_windows.csv
 * (reports/backtest_csv.c); backtest.xlsx (reports/xlsx/backtest.c). */
extern const struct cab_report_ops cab_report_forecast_csv;
extern const struct cab_report_ops cab_report_signal_csv;
extern const struct cab_report_ops cab_report_signal_ics;
extern const struct cab_report_ops cab_report_signal_txt;
extern const struct cab_report_ops cab_report_backtest_csv;
extern const struct cab_report_ops cab_report_backtest_xlsx;
/* The SMS of signal.txt in language lang (enum cab_lang): at most
 * CAB_REPORT_SMS_MAX characters of the GSM 7-bit alphabet (accents
 * included, so one SMS carries it), into buf (size bytes, ≥ 4 × max). */
#define CAB_REPORT_SMS_MAX 160
void cab_report_signal_sms(const struct cab_forecast *f, int lang, char *buf,
			   size_t size);
/* reconcile.csv: participant,ean,month,quantity,simulated,operator,
 * difference, the rows that differ (SPEC §13; reports/reconcile_csv.c). */
extern const struct cab_report_ops cab_report_reconcile_csv;
/* reconcile.xlsx: the findings in words, the months side by side, the
 * quarter-hours that differ, charts (reports/xlsx/reconcile.c). */
extern const struct cab_report_ops cab_report_reconcile_xlsx;
/* journal.csv: one row per invoice or statement of billing.invoice (SPEC
 * §13; reports/journal_csv.c); writes nothing without billing.invoice. */
extern const struct cab_report_ops cab_report_journal_csv;
/* fit.json (`cabine fit-key`, SPEC §12): the fitted weights of a run
 * whose key was "fit", what they save, the optimum (reports/fit_json.c);
 * writes nothing for another run. */
extern const struct cab_report_ops cab_report_fit_json;
/* The fitted weights of run as a JSON object {"id": 0.123456789, …}, one
 * member a line after `indent` (the closing brace two spaces less), for
 * fit.json and the block `cabine fit-key` prints. Cannot fail. */
void cab_report_fit_weights(const struct cab_run *run, FILE *f,
			    const char *indent);

/* Writers of `cabine compare`: they read the runs of the base scenario
 * and of every variant side by side. runs[0] is the base (variant NULL,
 * shown as "base"), then the variants in scenario order; every run
 * borrows the same scenario. opts->lang < 0 means French. */
struct cab_report_compare_ops {
	const char *name; /* "compare.csv", "compare.xlsx" */
	/* Write the report into directory `dir` (exists); runs and opts are
	 * borrowed. Fails with CAB_EIO (message names the file) or
	 * CAB_ENOMEM. */
	enum cab_status (*write)(const struct cab_run *const *runs,
				 size_t n_runs,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_err *err);
};

/* The writers of `cabine compare`, NULL-terminated, in writing order. */
const struct cab_report_compare_ops *const *cab_report_compare_writers(void);

/* compare.csv: participant,variant,bill_eur,baseline_eur,delta_eur, rows
 * by participant id then run order (reports/compare.c). */
extern const struct cab_report_compare_ops cab_report_compare_csv;
/* compare.xlsx: the comparison sheet, a chart, one sheet per variant
 * (reports/xlsx/compare.c). */
extern const struct cab_report_compare_ops cab_report_compare_xlsx;

/* Write every compare writer into `dir`, stopping at the first failure
 * (the caller stages `dir`, so a failure leaves nothing in --out).
 * n_runs ≥ 1. Fails like the writers. */
enum cab_status cab_report_compare_write(const struct cab_run *const *runs,
					 size_t n_runs,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err);

/* The name a run shows in compare outputs: its variant, or "base". */
const char *cab_report_run_name(const struct cab_run *run);

/* A file name derived from a participant id that cannot escape a folder:
 * keeps [A-Za-z0-9_-], replaces every other byte by '_', never starts
 * with '.', never empty; appends "-<hex hash>" when anything was replaced
 * or when the name is one Windows reserves for a device (CON, PRN, AUX,
 * NUL, COM0–9, LPT0–9, any case: "CON-<hash>"), so that two ids never
 * share a name and every name opens on Windows too. Writes at most
 * `size` bytes. */
void cab_report_safe_name(const char *id, char *buf, size_t size);

/* Format helpers shared by writers: kWh with 6 decimals, cents as EUR
 * with 2 decimals ("-0.05"), into buf (≥ 32 bytes). */
void cab_report_fmt_kwh(double kwh, char *buf, size_t size);
void cab_report_fmt_cents(int64_t cents, char *buf, size_t size);

/* Write the text s as one field of a CSV row into f (reports/format.c):
 * a text beginning with '=', '+', '-', '@', a tab or a carriage return
 * gets a leading apostrophe (so that a spreadsheet shows it as text
 * instead of running it as a formula: SPEC §11, OWASP), and a text
 * holding a comma, a double quote, CR or LF is quoted with its quotes
 * doubled (RFC 4180). Every CSV writer writes its text fields (ids,
 * names, variants) with it, never its numbers. Errors show in ferror(f). */
void cab_report_csv_text(FILE *f, const char *s);

#endif
