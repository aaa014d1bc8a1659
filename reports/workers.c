/*
 * workers.c — a writer's work left running in worker processes
 * (struct cab_report_work, report.h and workers.h): the pool's started
 * work and what the writer must free once it is over.
 *
 * cab_report_start knows which writers can be left running (a table:
 * the invoices today).
 *
 * Why: `cabine run` starts the invoice workbooks first and writes its
 * other reports in the parent process meanwhile (engine/cli/stage.c), so
 * that both cores work from the moment the run's figures exist.
 *
 * Ownership: a struct cab_report_work owns the writer's state (released
 * through its callback after the workers are waited for or killed) and
 * is freed by cab_report_finish or cab_report_abandon.
 * Workload: one per started writer and run.
 */
#include <stdlib.h>

#include "reports/workers.h"

struct cab_report_work {
	struct cab_pool_work *pool; /* the workers */
	void (*release)(void *arg); /* frees arg */
	void *arg;		    /* the writer's state */
};

enum cab_status cab_report_workers_start_opts(
    const struct cab_report_opts *opts, int jobs, cab_report_work_fn fn,
    void *arg, void (*release)(void *arg), struct cab_report_work **work,
    struct cab_err *err)
{
	*work = NULL;
	struct cab_report_work *w = malloc(sizeof(*w));
	if (!w) {
		release(arg);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	/* This process writes its other reports, then takes its part. */
	const struct cab_pool pool = {.jobs = jobs,
				      .hook = opts ? opts->worker_hook : NULL,
				      .is_parent_helping = true};
	struct cab_pool_work *started = NULL;
	enum cab_status st = cab_pool_start(&pool, fn, arg, &started, err);
	if (st != CAB_OK || !started) {
		free(w);
		release(arg);
		return st;
	}
	*w = (struct cab_report_work){started, release, arg};
	*work = w;
	return CAB_OK;
}

/* The writers that can be left running, with their start. */
static const struct {
	const struct cab_report_ops *op;
	enum cab_status (*start)(const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_report_work **work,
				 struct cab_err *err);
} startable[] = {
    {&cab_report_invoices_xlsx, cab_report_invoices_start},
};

bool cab_report_can_start(const struct cab_report_ops *op)
{
	for (size_t k = 0; k < sizeof startable / sizeof startable[0]; k++)
		if (startable[k].op == op)
			return true;
	return false;
}

enum cab_status cab_report_start(const struct cab_report_ops *op,
				 const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_report_work **work,
				 struct cab_err *err)
{
	*work = NULL;
	for (size_t k = 0; k < sizeof startable / sizeof startable[0]; k++)
		if (startable[k].op == op)
			return startable[k].start(run, opts, dir, work, err);
	return op->write(run, opts, dir, err);
}

enum cab_status cab_report_finish(struct cab_report_work *work,
				  struct cab_err *err)
{
	if (!work)
		return CAB_OK;
	enum cab_status st = cab_pool_wait(work->pool, err);
	work->release(work->arg);
	free(work);
	return st;
}

void cab_report_abandon(struct cab_report_work *work)
{
	if (!work)
		return;
	cab_pool_cancel(work->pool);
	work->release(work->arg);
	free(work);
}
