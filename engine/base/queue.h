/*
 * queue.h — many independent items handed one at a time to forked worker
 * processes, each result handed back to the parent as it is ready
 * (internal to the library and the command line).
 *
 * Why: `cabine batch` runs thousands of runs of unequal cost (the optimal
 * key takes five times the others) and the parent alone writes the
 * results database, committing each run as it finishes so that a killed
 * batch keeps what it did. The one worker pool (pool.h) gives each worker
 * a fixed share and reports only at the end; this queue gives the next
 * item to whichever worker is free and passes every result back through
 * the worker's pipe. A worker that dies (a crash, a signal) loses only
 * its item, which the parent is told about; a new worker takes its place.
 *
 * Workers are forked after the caller has loaded what they share (the
 * readings): they read it copy-on-write and never change the parent.
 *
 * Ownership: everything passed in is borrowed for the call; a result's
 * bytes belong to the queue and live until done() returns.
 */
#ifndef CABINE_QUEUE_H
#define CABINE_QUEUE_H

#include <stddef.h>

#include "cabine/err.h"

struct cab_queue {
	int jobs;	     /* worker processes, at least 1 */
	size_t n_items;	     /* items to do */
	const size_t *items; /* their numbers, in the order to hand them;
				NULL: 0, 1, …, n_items − 1 */
	/* In a worker: do item `item` and put its result in *out (heap,
	 * *len bytes; the queue frees it). A result can say the item
	 * failed: only CAB_ENOMEM or CAB_EIO of the worker itself end it. */
	enum cab_status (*work)(size_t item, void *arg, char **out, size_t *len,
				struct cab_err *err);
	void *arg;
	/* In the parent, for every item as it ends: its result (data, len),
	 * or data NULL and `lost` saying how its worker died. A failure
	 * stops the queue (workers are killed) and is returned. */
	enum cab_status (*done)(size_t item, const char *data, size_t len,
				const char *lost, void *ctx,
				struct cab_err *err);
	void *ctx;
};

/* Hand every item to the workers and wait for all. Fails with done()'s
 * status, or CAB_EIO when no worker can be started. */
enum cab_status cab_queue_run(const struct cab_queue *q, struct cab_err *err);

#endif
