/*
 * cli.h — internal to engine/cli/: what main.c, the option parser, the
 * output staging and the command files (cmd_*.c) share.
 *
 * Why: main.c dispatches from one commands[] table and is the only file
 * that prints usage or decides the exit status; every command parses its
 * arguments with the one parser (opts.c), from a table of the options it
 * accepts, and writes its outputs through the one staging (stage.c), so a
 * failed command never leaves half-written files. A command returns an
 * enum cab_status and fills a struct cab_err; main.c prints the messages.
 *
 * Ownership: struct cab_cli_opts borrows its strings from argv and owns
 * its operand array (cab_cli_opts_release). Everything else is borrowed
 * for the call.
 */
#ifndef CABINE_CLI_H
#define CABINE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/cabine.h"

struct cab_pool_hook;

/* The library's test extension points, as the entry point sets them:
 * NULL in ./cabine (entry.c); tests/hooks.c (build/tests/cabine-hooks)
 * fills them from test environment variables. */
struct cab_cli_hooks {
	/* Into cab_report_opts.worker_hook: the invoice workers. */
	const struct cab_pool_hook *invoice_workers;
	/* Into cab_import_opts.before_commit / before_commit_ctx. */
	void (*before_commit)(void *ctx);
	void *before_commit_ctx;
	/* Into the batch's worker pool (cmd_batch.c). */
	const struct cab_pool_hook *batch_workers;
	/* Into the output staging (stage.c), each called with ctx:
	 * before_swap just before the new folder replaces --out,
	 * between_renames between the two renames of a swap without
	 * exchange; is_exchange_off swaps with two renames even where the
	 * kernel exchanges folders in one step. */
	void (*before_swap)(void *ctx);
	void (*between_renames)(void *ctx);
	bool is_exchange_off;
	void *ctx;
};

/* What a command runs with: its arguments as the parser left them, and
 * the hooks of the entry point. */
struct cab_cli_opts {
	const char **operands; /* owned array of borrowed strings:
				  SCENARIO.json, BATCH.json or the FILEs */
	size_t n_operands;
	const char *out;       /* --out DIR or NULL */
	bool is_detail;	       /* --detail */
	int lang;	       /* --lang: enum cab_lang, -1 if not given */
	bool is_quiet;	       /* --quiet, -q: no progress, no summary */
	bool is_strict;	       /* --strict: every warning is an error */
	int jobs;	       /* --jobs N, 0 if not given */
	long shard_k, shard_n; /* --shard K/N, 1/1 if not given */
	bool has_shard;	       /* --shard was given */
	int reports; /* batch --reports: enum cab_cli_reports, -1 if not given
		      */
	bool is_all_or_nothing;	       /* batch --all-or-nothing */
	int households;		       /* init --households N, 0 if not given */
	struct cab_import_opts import; /* import's options: the defaults and
					  what was given */
	int rounds; /* fit-key --rounds: 1 until-done, 0 one, -1 not given
		       (the scenario's) */
	const struct cab_cli_hooks *hooks; /* NULL in production */
	const char *weather; /* forecast --weather FILE, or NULL */
	bool is_backtest;    /* forecast --backtest */
	const char *signal;  /* alerts or site --signal FILE (a signal.csv),
				or NULL */
	bool is_fail_on_difference; /* reconcile --fail-on-difference */
	int *exit_status; /* a command that succeeds may set another exit
			     status here (reconcile: 3 when it differs) */
};

/* batch --reports: which reports each run writes. */
enum cab_cli_reports {
	CAB_CLI_REPORTS_NONE = 0, /* none: batch.sqlite, batch.csv only */
	CAB_CLI_REPORTS_CSV,	  /* summary.json and invoices.csv */
	CAB_CLI_REPORTS_ALL	  /* everything `cabine run` writes */
};

/* The options one command accepts (opts.c). */
struct cab_cli_spec;
extern const struct cab_cli_spec cab_cli_spec_scenario; /* run, check, … */
extern const struct cab_cli_spec cab_cli_spec_demo;
extern const struct cab_cli_spec cab_cli_spec_import;
extern const struct cab_cli_spec cab_cli_spec_batch;
extern const struct cab_cli_spec cab_cli_spec_forecast;
extern const struct cab_cli_spec cab_cli_spec_alerts; /* + --signal */
extern const struct cab_cli_spec cab_cli_spec_site;   /* + --signal */
extern const struct cab_cli_spec cab_cli_spec_reconcile;
extern const struct cab_cli_spec cab_cli_spec_init;
extern const struct cab_cli_spec cab_cli_spec_fit;

/* Parse argv[0..argc) (the words after the command) by spec into *o. Fails
 * with CAB_EINPUT and one message without the command's name (a usage
 * error: "unknown option '-x'") or CAB_ENOMEM; *o is set up in every case
 * and released with cab_cli_opts_release. */
enum cab_status cab_cli_parse(const struct cab_cli_spec *spec, int argc,
			      char **argv, struct cab_cli_opts *o,
			      struct cab_err *err);
void cab_cli_opts_release(struct cab_cli_opts *o);

/* --jobs N, or else one invoice worker per core (1 to 64): the files do
 * not depend on it. */
int cab_cli_invoice_jobs(const struct cab_cli_opts *o);

/* A progress line on stderr ("cabine: …"), only when stderr is a terminal
 * and the command is not --quiet (main.c). */
void cab_cli_progress(const struct cab_cli_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The language of the messages from the environment, and where their
 * translations are (locale.c); once, before anything is printed. */
void cab_cli_locale_init(void);

/* The entry point's dispatch (main.c): the exit status of the command
 * line argv[0..argc); hooks may be NULL. */
int cab_cli_main(int argc, char **argv, const struct cab_cli_hooks *hooks);

/* The commands (one file each; alerts and curves in cmd_analyse.c). Each
 * prints its summary line on stdout unless --quiet and leaves its
 * problems in err. */
enum cab_status cab_cli_run(const struct cab_cli_opts *o, struct cab_err *err);
enum cab_status cab_cli_check(const struct cab_cli_opts *o,
			      struct cab_err *err);
enum cab_status cab_cli_demo(const struct cab_cli_opts *o, struct cab_err *err);
enum cab_status cab_cli_import(const struct cab_cli_opts *o,
			       struct cab_err *err);
enum cab_status cab_cli_compare(const struct cab_cli_opts *o,
				struct cab_err *err);
enum cab_status cab_cli_alerts(const struct cab_cli_opts *o,
			       struct cab_err *err);
enum cab_status cab_cli_curves(const struct cab_cli_opts *o,
			       struct cab_err *err);
enum cab_status cab_cli_batch(const struct cab_cli_opts *o,
			      struct cab_err *err);
/* cmd_site.c: the inhabitants' pages; cmd_appliances.c: the appliance
 * inventory's reports. */
enum cab_status cab_cli_site(const struct cab_cli_opts *o, struct cab_err *err);
enum cab_status cab_cli_appliances(const struct cab_cli_opts *o,
				   struct cab_err *err);
enum cab_status cab_cli_forecast(const struct cab_cli_opts *o,
				 struct cab_err *err);
/* `cabine batch merge OUT.sqlite SHARD.sqlite…` (cmd_batch.c). */
enum cab_status cab_cli_batch_merge(const struct cab_cli_opts *o,
				    struct cab_err *err);
enum cab_status cab_cli_reconcile(const struct cab_cli_opts *o,
				  struct cab_err *err);
enum cab_status cab_cli_init(const struct cab_cli_opts *o, struct cab_err *err);
enum cab_status cab_cli_fit(const struct cab_cli_opts *o, struct cab_err *err);

/* Load the scenario's readings (its CSV or its store), saying so. */
enum cab_status cab_cli_load_readings(const struct cab_cli_opts *o,
				      const struct cab_scenario *sc,
				      struct cab_readings **out,
				      struct cab_err *err);

/* A scenario, its readings and the run of its base (cmd_run.c); each
 * NULL until loaded, owned. */
struct cab_cli_loaded {
	struct cab_scenario *sc;
	struct cab_readings *rd;
	struct cab_run *run;
};

/* Load the scenario at path, its readings, and run its base, saying so;
 * then its warnings (SPEC §10) go into err's warnings, or with --strict
 * become errors (CAB_EINPUT). *l is set up in every case: release it
 * with cab_cli_loaded_release. */
enum cab_status cab_cli_load_run(const struct cab_cli_opts *o, const char *path,
				 struct cab_cli_loaded *l, struct cab_err *err);
void cab_cli_loaded_release(struct cab_cli_loaded *l);

/* Write the reports of l's run with `writers` into --out or out/<name>/
 * (its path into out, size bytes), staged, with ro's is_detail, lang,
 * jobs and worker hook set from o (cmd_run.c). */
enum cab_status cab_cli_write_run(const struct cab_cli_opts *o,
				  const struct cab_cli_loaded *l,
				  const struct cab_report_ops *const *writers,
				  struct cab_report_opts *ro, char *out,
				  size_t size, struct cab_err *err);
/* Write run's reports with `writers` into dir (staged, as
 * cab_cli_write_reports) with its fairness audit made once for them all
 * (Shapley shares when is_shapley); ro->fairness is set meanwhile, NULL
 * again on return (cmd_run.c; also each run of a batch). */
enum cab_status cab_cli_write_audited(
    const struct cab_cli_opts *o, const struct cab_report_ops *const *writers,
    const struct cab_run *run, bool is_shapley, struct cab_report_opts *ro,
    const char *dir, struct cab_err *err);

/* The warnings of a scenario's base run into err (cabine/warnings.h),
 * or with --strict as errors: CAB_EINPUT when there is any. */
enum cab_status cab_cli_warnings(const struct cab_cli_opts *o,
				 const struct cab_scenario *sc,
				 const struct cab_readings *rd,
				 const struct cab_run *run,
				 struct cab_err *err);

/* stage.c: the output staging. */

/* The writers of one command: run writers read runs[0], compare writers
 * read every run. Either list may be NULL. */
struct cab_cli_writers {
	const struct cab_report_ops *const *run;
	const struct cab_report_compare_ops *const *compare;
};

/* --out DIR, or out/<the scenario's name made safe>. */
void cab_cli_out_dir(const struct cab_cli_opts *o,
		     const struct cab_scenario *sc, char *buf, size_t size);

/* Write the reports of runs[0..n_runs) with every writer of w into
 * out_dir, all or nothing: into a staging folder beside out_dir, which
 * replaces it whole only when every writer succeeded (what other
 * commands wrote there is kept; what w's writers are named after is
 * not). */
enum cab_status cab_cli_write_reports(const struct cab_cli_opts *o,
				      const struct cab_cli_writers *w,
				      const struct cab_run *const *runs,
				      size_t n_runs,
				      const struct cab_report_opts *ro,
				      const char *out_dir, struct cab_err *err);

/* An output folder being replaced whole (stage.c says how): the
 * command writes its set into dir, beside out, and commits it. */
struct cab_cli_stage {
	char out[4096];	      /* --out, without a trailing '/' */
	char parent[4096];    /* the folder out is in */
	char base[256];	      /* out's name in parent */
	char dir[4096 + 256]; /* the staging folder, parent/.cabine-<base>.
				 XXXXXX: writers write here */
	int lock_fd;	      /* dir's ALIVE file, flock'ed while we live;
				 -1 */
	bool has_out;	      /* out exists */
	unsigned mode;	      /* out's permissions when it exists */
	bool is_committed;    /* the set is in place */
};

/* CAB_OK when out can be replaced whole: not a symbolic link, a file, the
 * current folder or one holding it (else CAB_EINPUT, said as the staging
 * would). For a command that writes into out before its staging. */
enum cab_status cab_cli_out_check(const char *out, struct cab_err *err);
/* Open a staging folder for out (created with its parents, like mkdir
 * -p, only when committed): removes the staging folders of killed runs
 * beside it first. Fails with CAB_EINPUT when out is a symbolic link, a
 * file, the current folder or holds it; CAB_EIO when the folder cannot be
 * made. *s is set up in every case: release it. */
/* stage_merge.c: for the commands that add to a folder (batch, site,
 * init): create out_dir and a hidden staging folder in it,
 * "<out_dir>/<prefix>XXXXXX" (its path into stage, size bytes); then move
 * every entry of stage into out_dir, merging folders, never following a
 * symbolic link. Fail with CAB_EIO or CAB_EINPUT (path too long). */
enum cab_status cab_cli_stage_open_in(const char *out_dir, const char *prefix,
				      char *stage, size_t size,
				      struct cab_err *err);
enum cab_status cab_cli_stage_merge(const char *stage, const char *out_dir,
				    struct cab_err *err);
enum cab_status cab_cli_stage_open(struct cab_cli_stage *s, const char *out,
				   struct cab_err *err);
/* Replace out by s->dir whole: the entries of the old out that are not
 * in owned (NULL-terminated names; may be NULL) and not written into
 * s->dir are kept, then the folders are swapped and the old tree removed,
 * never following a symbolic link. hooks (NULL in production) are the
 * tests'. Fails with CAB_EIO (out is then as it was) or CAB_EINPUT (out
 * became a link or a file). */
enum cab_status cab_cli_stage_commit(struct cab_cli_stage *s,
				     const char *const *owned,
				     const struct cab_cli_hooks *hooks,
				     struct cab_err *err);
/* Remove s->dir unless committed; close the lock. */
void cab_cli_stage_release(struct cab_cli_stage *s);
/* mkdir -p; 0 or -1 with errno set. */
int cab_cli_mkdir_p(const char *path);
/* rm -rf: remove path and whatever it holds (a staging folder), never
 * following a symbolic link. */
void cab_cli_rm_tree(const char *path);

#endif
