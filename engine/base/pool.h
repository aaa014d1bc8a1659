/*
 * pool.h — one piece of work shared among forked worker processes, all or
 * nothing (internal to the library and the command line).
 *
 * Why: an invoice workbook costs a few milliseconds of CPU, almost all of
 * it inside libxlsxwriter (XML, deflate) and the kernel (its temporary
 * files); 10,000 of them take one core tens of seconds. `cabine batch`
 * runs whole scenarios side by side. Both are independent shares, so
 * worker k of n does a disjoint share (writing its own files into the
 * caller's directory). Processes rather than threads: libxlsxwriter and
 * stdio temporary files are then never shared, and a crash in one worker
 * is reported, not fatal to the caller.
 *
 * The parent waits for every worker. When one fails (error, signal), the
 * others are stopped and the call fails with that worker's message, so the
 * caller (which stages its output directory) removes everything written.
 *
 * Extension point: struct cab_pool_hook lets a test make a worker fail
 * after its share (to prove that a failing worker leaves nothing
 * written). Production code never sets it; the test build of the command
 * line (tests/hooks.c) and the unit tests do.
 *
 * Ownership: everything passed in is borrowed for the call; workers see
 * the caller's memory as it was at the call (copy on write) and cannot
 * change it.
 */
#ifndef CABINE_POOL_H
#define CABINE_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/err.h"

/* The share of worker k of n: do its part of the work and report failures
 * in err (allocated in the worker; the parent copies the text). */
typedef enum cab_status (*cab_pool_fn)(int k, int n, void *arg,
				       struct cab_err *err);

/* A test's hook into the workers; NULL in production. */
struct cab_pool_hook {
	/* Called in forked worker k of n before its share (a test kills the
	 * parent there, to see the workers die with it); may be NULL. */
	void (*before_share)(int k, int n, void *ctx);
	/* Called in worker k of n (a forked worker only, never when the
	 * share runs in the calling process) after its share succeeded; a
	 * failure fails the worker as a failure of its share would. */
	enum cab_status (*after_share)(int k, int n, void *ctx,
				       struct cab_err *err);
	void *ctx; /* borrowed; passed to after_share */
};

struct cab_pool {
	int jobs; /* shares, each a worker process (the caller does share 0
		     when is_parent_helping); ≤ 1: one share, in this
		     process unless is_always_forked */
	bool is_always_forked;		  /* fork even a single worker, so
					     that its crash is reported */
	const struct cab_pool_hook *hook; /* NULL in production */
	/* For cab_pool_start: fork only workers 1..n−1; cab_pool_wait runs
	 * share 0 in this process before waiting for them, so that the
	 * caller, its other work done, takes its part instead of idling. */
	bool is_parent_helping;
};

/* Run fn(k, n, arg, err) for k = 0..n-1 with n = max(pool->jobs, 1), each
 * in a forked worker process, and wait for all; with n = 1 and not
 * is_always_forked, call fn(0, 1, arg, err) in this process. Fails with
 * the first failing worker's status and message (CAB_EINTERNAL "worker
 * k: killed by signal S" when a worker was killed), or CAB_EIO when a
 * worker cannot be started. */
enum cab_status cab_pool_run(const struct cab_pool *pool, cab_pool_fn fn,
			     void *arg, struct cab_err *err);

/* Workers started by cab_pool_start, to wait for. */
struct cab_pool_work;

/* cab_pool_run in two halves: start the workers and return at once with
 * *work set, so that the caller can do something else before
 * cab_pool_wait(*work) (or cab_pool_cancel); with is_parent_helping the
 * wait first runs share 0 here. When no worker is forked (n = 1, not
 * is_always_forked) fn runs here before the return and *work is NULL. Fails
 * like cab_pool_run when a worker cannot be started (the others are then
 * stopped; *work is NULL); arg must stay valid until the wait. */
enum cab_status cab_pool_start(const struct cab_pool *pool, cab_pool_fn fn,
			       void *arg, struct cab_pool_work **work,
			       struct cab_err *err);
/* Wait for every worker of work and free it (NULL: CAB_OK). Fails like
 * cab_pool_run. */
enum cab_status cab_pool_wait(struct cab_pool_work *work, struct cab_err *err);
/* Kill and wait for every worker of work, free it (NULL allowed): the
 * caller failed elsewhere and removes what they wrote. */
void cab_pool_cancel(struct cab_pool_work *work);

/* A work counter shared by the workers: items 0, 1, 2, … are taken one
 * at a time by whichever worker is free (MAP_SHARED memory, an atomic),
 * each exactly once. Create it before cab_pool_start. */
struct cab_pool_counter;
/* A new counter at 0, or NULL when no shared memory can be mapped. */
struct cab_pool_counter *cab_pool_counter_new(void);
/* Unmap c (NULL allowed); after the workers are gone. */
void cab_pool_counter_free(struct cab_pool_counter *c);
/* The next item: 0 first, then 1, 2, … across every process. */
size_t cab_pool_counter_take(struct cab_pool_counter *c);
/* Make every later take return a value ≥ SIZE_MAX / 2: after a failure
 * the other workers stop at their next take. */
void cab_pool_counter_stop(struct cab_pool_counter *c);

#endif
