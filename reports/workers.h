/*
 * workers.h — internal to reports/: run one writer's work in worker
 * processes, all or nothing.
 *
 * Why: an invoice workbook costs a few milliseconds of CPU, almost all of
 * it inside libxlsxwriter (XML, deflate) and the kernel (its temporary
 * files); 10,000 of them take one core tens of seconds. Workbooks are
 * independent, so worker k of n writes a disjoint share of the files into
 * the same directory. Processes rather than threads: libxlsxwriter and
 * stdio temporary files are then never shared, and a crash in one worker
 * is reported, not fatal to the run.
 *
 * The parent waits for every worker. When one fails (error, signal), the
 * others are stopped and the call fails with that worker's message, so the
 * caller (which stages the output directory) removes everything written.
 *
 * Test hook: when the environment variable CABINE_TEST_FAIL_WORKER holds
 * a worker number k, worker k fails after doing its share, with the
 * message "worker k: failing on purpose (CABINE_TEST_FAIL_WORKER)". It
 * exists only so that tests can prove a failing worker leaves nothing
 * written (tests/unit/test_xlsx.c, tests/cli); it has no effect with one
 * job.
 */
#ifndef CABINE_REPORTS_WORKERS_H
#define CABINE_REPORTS_WORKERS_H

#include "cabine/err.h"

/* The share of worker k of n: fn does its part of the work and reports
 * failures in err (allocated in the worker; the parent copies the text). */
typedef enum cab_status (*cab_report_work_fn)(int k, int n, void *arg,
					      struct cab_err *err);

/* Run fn(k, jobs, arg, err) for k = 0..jobs-1, each in a forked worker
 * process, and wait for all. jobs ≤ 1 calls fn(0, 1, arg, err) in this
 * process. Fails with the first failing worker's status and message
 * (CAB_EINTERNAL when a worker was killed by a signal), or CAB_EIO when a
 * worker cannot be started. arg is borrowed; workers see it as it was at
 * the call (copy on write) and cannot change the parent's memory. */
enum cab_status cab_report_workers_run(int jobs, cab_report_work_fn fn,
				       void *arg, struct cab_err *err);

#endif
