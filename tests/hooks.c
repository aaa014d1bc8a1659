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
 * and passes them to the commands as struct cab_cli_hooks. tests/cli
 * runs a case with this binary when the case has a file `bin` saying
 * `hooks`.
 */
#include <signal.h>
#include <stdlib.h>

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
	return cab_cli_main(argc, argv, &hooks);
}
