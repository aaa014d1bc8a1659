/*
 * workers.h — internal to reports/: run one writer's work in worker
 * processes, all or nothing, through the one worker pool
 * (engine/base/pool.h, which says why processes and what failing means).
 *
 * Why a header of its own: the writers keep their short call,
 * cab_report_workers_run(jobs, fn, arg, err); the _opts form also passes
 * on the test hook of struct cab_report_opts (worker_hook, NULL in
 * production), so that tests can make a worker of the invoice workbooks
 * fail (tests/unit/test_xlsx.c, tests/cli through tests/hooks.c).
 * cab_report_workers_start_opts leaves the workers running for the
 * caller to finish (struct cab_report_work, reports/workers.c), so that
 * `cabine run` writes its other reports meanwhile.
 */
#ifndef CABINE_REPORTS_WORKERS_H
#define CABINE_REPORTS_WORKERS_H

#include "cabine/err.h"
#include "cabine/report.h"
#include "engine/base/pool.h"

/* The share of worker k of n (see cab_pool_fn). */
typedef cab_pool_fn cab_report_work_fn;

/* Run fn(k, jobs, arg, err) for k = 0..jobs-1, each in a forked worker
 * process, and wait for all. jobs ≤ 1 calls fn(0, 1, arg, err) in this
 * process. Fails with the first failing worker's status and message
 * (CAB_EINTERNAL when a worker was killed by a signal), or CAB_EIO when a
 * worker cannot be started. arg is borrowed; workers see it as it was at
 * the call (copy on write) and cannot change the parent's memory. */
static inline enum cab_status cab_report_workers_run(int jobs,
						     cab_report_work_fn fn,
						     void *arg,
						     struct cab_err *err)
{
	const struct cab_pool pool = {.jobs = jobs};
	return cab_pool_run(&pool, fn, arg, err);
}

/* As cab_report_workers_run, with the hook of opts (opts may be NULL). */
static inline enum cab_status
cab_report_workers_run_opts(const struct cab_report_opts *opts, int jobs,
			    cab_report_work_fn fn, void *arg,
			    struct cab_err *err)
{
	const struct cab_pool pool = {.jobs = jobs,
				      .hook = opts ? opts->worker_hook : NULL};
	return cab_pool_run(&pool, fn, arg, err);
}

/* As cab_report_workers_run_opts, started (cab_pool_start, the caller
 * helping: jobs − 1 workers now, share 0 in cab_report_finish): *work
 * owns arg and calls release(arg) when the work is over; when nothing is
 * left to do (one job, or a failure), release(arg) has been called and
 * *work is NULL. */
enum cab_status cab_report_workers_start_opts(
    const struct cab_report_opts *opts, int jobs, cab_report_work_fn fn,
    void *arg, void (*release)(void *arg), struct cab_report_work **work,
    struct cab_err *err);

/* The invoice workbooks' start (reports/xlsx/invoice.c), as
 * cab_report_start describes it. */
enum cab_status cab_report_invoices_start(const struct cab_run *run,
					  const struct cab_report_opts *opts,
					  const char *dir,
					  struct cab_report_work **work,
					  struct cab_err *err);

#endif
