/*
 * batch.h — internal to engine/cli/: what `cabine batch` (cmd_batch.c)
 * shares with the work of its workers (batch_run.c).
 *
 * Ownership: a job is built by the parent before the workers are forked
 * and only read by them (copy-on-write); everything in it is borrowed.
 */
#ifndef CABINE_CLI_BATCH_H
#define CABINE_CLI_BATCH_H

#include "engine/cli/cli.h"

/* What every worker of a batch reads. */
struct cab_cli_batch_job {
	const struct cab_cli_opts *o;  /* quiet */
	const struct cab_batch *b;     /* the batch */
	struct cab_batch_sources *src; /* its readings (a worker makes its
					  scaled copies in its own copy) */
	const size_t *runs;	       /* run index (0-based) of each item */
	const size_t *src_of;	       /* source of each item */
	const char *reports_dir;       /* each run's folder goes in here */
	const struct cab_report_ops *const *writers; /* NULL: none */
	int lang;				     /* enum cab_lang */
};

/* The queue's work (engine/base/queue.h): run item `item` of job `arg`
 * and pack its results, ok or failed, into *out (*len bytes). Fails only
 * when nothing can be handed over (CAB_ENOMEM). */
enum cab_status cab_cli_batch_work(size_t item, void *arg, char **out,
				   size_t *len, struct cab_err *err);
/* Remove every entry of dir whose name starts with prefix: the staging
 * folders a killed earlier batch left. */
void cab_cli_batch_clean(const char *dir, const char *prefix);
/* err's messages as one text without the last newline (heap, NULL when
 * out of memory). */
char *cab_cli_batch_error_text(const struct cab_err *err);

#endif
