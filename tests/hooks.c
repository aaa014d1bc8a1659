/*
 * hooks.c — main() of the test build of the command line
 * (build/tests/cabine-hooks): the same dispatch as ./cabine (engine/cli/),
 * with the library's test extension points set from the environment.
 *
 * Why: tests must prove that a failing worker or a killed import leaves
 * nothing behind, but ./cabine and the library never read test
 * variables. This entry point, linked only into the test binary, reads
 *   CABINE_TEST_FAIL_WORKER=k         invoice worker k fails after its
 *                                     share, with the message "worker k:
 *                                     failing on purpose
 *                                     (CABINE_TEST_FAIL_WORKER)"; no effect
 *                                     with one job (no worker)
 *   CABINE_TEST_KILL_BEFORE_COMMIT=1  the import kills itself (SIGKILL)
 *                                     just before COMMIT
 *   CABINE_TEST_KILL_AT_SWAP=1        the command kills itself (SIGKILL)
 *                                     just before its new output folder
 *                                     replaces --out; =between: swap by
 *                                     two renames and kill between them
 *   CABINE_TEST_SWAP=rename           swap by two renames even where the
 *                                     kernel exchanges folders
 *   CABINE_TEST_KILL_BATCH=DIR        each batch worker k writes its pid
 *                                     into DIR/worker-k.pid; worker 0
 *                                     then kills the batch (SIGKILL), and
 *                                     every worker waits 2 s before its
 *                                     share (a worker that outlives its
 *                                     parent shows in a test)
 *   CABINE_TEST_KILL_FROM_INVOICES=DIR each forked invoice worker k
 *                                     writes its pid into
 *                                     DIR/invoices-k.pid, kills the
 *                                     command (SIGKILL) while it writes
 *                                     its other reports, and waits 2 s
 *                                     before its share
 * and passes them to the commands as struct cab_cli_hooks. tests/cli
 * runs a case with this binary when the case has a file `bin` saying
 * `hooks`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/base/pool.h"
#include "engine/cli/cli.h"

/* The failing worker of CABINE_TEST_FAIL_WORKER. */
static enum cab_status fail_worker(int k, int n, void *ctx, struct cab_err *err)
{
	const int *which = ctx;
	if (k != *which)
		return CAB_OK;
	return cab_err_add(err, CAB_EINTERNAL,
			   "worker %d: failing on purpose "
			   "(CABINE_TEST_FAIL_WORKER)",
			   k);
}

static void kill_self(void *ctx)
{
	raise(SIGKILL);
}

/* CABINE_TEST_KILL_BATCH: worker k says who it is, worker 0 kills the
 * batch, and each waits before its share. */
static void kill_batch(int k, int n, void *ctx)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/worker-%d.pid", (const char *)ctx, k);
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
	}
	if (k == 0)
		kill(getppid(), SIGKILL);
	sleep(2);
}

/* CABINE_TEST_KILL_FROM_INVOICES: the same for the invoice workers. */
static void kill_from_invoices(int k, int n, void *ctx)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/invoices-%d.pid", (const char *)ctx,
		 k);
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
	}
	kill(getppid(), SIGKILL);
	sleep(2);
}

int main(int argc, char **argv)
{
	struct cab_cli_hooks hooks = {0};
	int which = 0;
	struct cab_pool_hook workers = {.after_share = fail_worker,
					.ctx = &which};
	const char *v = getenv("CABINE_TEST_FAIL_WORKER");
	if (v && *v) {
		which = atoi(v);
		hooks.invoice_workers = &workers;
	}
	if (getenv("CABINE_TEST_KILL_BEFORE_COMMIT"))
		hooks.before_commit = kill_self;
	const char *swap = getenv("CABINE_TEST_KILL_AT_SWAP");
	if (swap && !strcmp(swap, "between"))
		hooks.between_renames = kill_self;
	else if (swap && *swap)
		hooks.before_swap = kill_self;
	v = getenv("CABINE_TEST_SWAP");
	hooks.is_exchange_off =
	    (v && !strcmp(v, "rename")) || hooks.between_renames;
	struct cab_pool_hook batch = {.before_share = kill_batch};
	v = getenv("CABINE_TEST_KILL_BATCH");
	if (v && *v) {
		batch.ctx = (void *)v;
		hooks.batch_workers = &batch;
	}
	struct cab_pool_hook invoices = {.before_share = kill_from_invoices};
	v = getenv("CABINE_TEST_KILL_FROM_INVOICES");
	if (v && *v) {
		invoices.ctx = (void *)v;
		hooks.invoice_workers = &invoices;
	}
	return cab_cli_main(argc, argv, &hooks);
}
