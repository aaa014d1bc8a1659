/*
 * pool.c — one piece of work shared among forked worker processes, all
 * or nothing (see pool.h for why processes and what failing means); used
 * by the invoice workbooks (reports/workers.h) and `cabine batch`.
 *
 * Each worker runs its share and ends with _exit (never exit: the
 * parent's stdio buffers and atexit handlers are not the worker's). It
 * reports a failure through its own pipe: one byte of status, then the
 * message (at most MSG_MAX bytes, so the write never blocks on a full
 * pipe before the parent reads it). The parent waits for the workers in
 * order; at the first failure it kills the others (they write only into
 * the caller's staging directory, which the caller removes). A worker
 * dies with its parent (PR_SET_PDEATHSIG), so a killed command leaves no
 * worker running: the next run into the same --out removes what they
 * had written (engine/cli/stage.c).
 *
 * cab_pool_start returns once the workers run, so that the caller can do
 * other work meanwhile (the run's other reports) before cab_pool_wait;
 * with is_parent_helping it forks one worker fewer and the caller does
 * share 0 in the wait, so that there are never more processes than jobs.
 * The work counter (struct cab_pool_counter) is one atomic in a shared
 * anonymous mapping: each worker takes the next item from it instead of
 * a fixed slice, so a worker slowed down by the machine does not leave
 * the others idle at the end.
 */
#include "engine/base/pool.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#define MSG_MAX 4000 /* bytes of a worker's message passed to the parent */

/* In worker k: do the share (then the test hook, if any) and leave.
 * Never returns. */
static void worker_main(int k, int n, cab_pool_fn fn, void *arg,
			const struct cab_pool_hook *hook, int fd, pid_t parent)
{
	/* A worker dies with its parent: a killed `cabine batch` (or run)
	 * leaves no process behind, writing into a folder nobody will
	 * commit. The signal is asked for after the fork, so the parent may
	 * already be gone: then getppid() is no longer it. */
#ifdef __linux__
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
#else
	if (getppid() != parent)
		_exit(1);
#endif
	if (hook && hook->before_share)
		hook->before_share(k, n, hook->ctx);
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = fn(k, n, arg, &err);
	if (st == CAB_OK && hook && hook->after_share)
		st = hook->after_share(k, n, hook->ctx, &err);
	if (st != CAB_OK) {
		char buf[1 + MSG_MAX];
		size_t len = err.text ? strlen(err.text) : 0;
		if (len > MSG_MAX)
			len = MSG_MAX;
		buf[0] = (char)st;
		if (len)
			memcpy(buf + 1, err.text, len);
		/* Nothing to do if the pipe is gone: the exit status still
		 * says the worker failed. */
		ssize_t w = write(fd, buf, 1 + len);
		(void)w;
	}
	_exit(st == CAB_OK ? 0 : 1);
}

/* Collect worker k's end: its exit status and message. */
static enum cab_status reap(int k, pid_t pid, int fd, struct cab_err *err)
{
	int ws = 0;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			close(fd);
			return cab_err_add(err, CAB_EINTERNAL,
					   "worker %d: cannot wait (%s)", k,
					   strerror(errno));
		}
	}
	char buf[1 + MSG_MAX + 1];
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r > 0 && (len += (size_t)r) < sizeof(buf) - 1)
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	close(fd);
	if (WIFSIGNALED(ws))
		return cab_err_add(err, CAB_EINTERNAL,
				   "worker %d: killed by signal %d", k,
				   WTERMSIG(ws));
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
		return CAB_OK;
	enum cab_status st = CAB_EINTERNAL;
	if (len > 0 && buf[0] > CAB_OK && buf[0] < CAB_STATUS_COUNT)
		st = (enum cab_status)buf[0];
	/* Pass the worker's messages on, one line each. */
	buf[len] = 0;
	char *line = len > 1 ? buf + 1 : NULL;
	if (!line)
		return cab_err_add(err, st,
				   "worker %d: failed (exit status %d)", k,
				   WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		cab_err_add(err, st, "%s", line);
		line = nl ? nl + 1 : NULL;
	}
	return st;
}

/* A started piece of work: the workers to wait for. */
struct cab_pool_work {
	pid_t *pid;	/* the process of worker first + i */
	int *fd;	/* the read end of its pipe */
	int started;	/* workers started */
	int first;	/* the first forked worker: 1 when share 0 is the
			   caller's (is_parent_helping), else 0 */
	int n;		/* shares in all */
	cab_pool_fn fn; /* the share, for share 0 */
	void *arg;	/* its argument */
};

/* Wait for every worker of w (killing them all first when st already
 * says the work failed), free w; returns the first failure. */
static enum cab_status finish(struct cab_pool_work *w, enum cab_status st,
			      struct cab_err *err)
{
	for (int k = 0; k < w->started; k++) {
		/* After a failure the rest of the work is useless. */
		if (st != CAB_OK)
			kill(w->pid[k], SIGKILL);
		enum cab_status wst = reap(w->first + k, w->pid[k], w->fd[k],
					   st == CAB_OK ? err : NULL);
		if (st == CAB_OK)
			st = wst;
	}
	free(w->pid);
	free(w->fd);
	free(w);
	return st;
}

enum cab_status cab_pool_start(const struct cab_pool *pool, cab_pool_fn fn,
			       void *arg, struct cab_pool_work **work,
			       struct cab_err *err)
{
	*work = NULL;
	int jobs = pool->jobs < 1 ? 1 : pool->jobs;
	if (jobs == 1 && !pool->is_always_forked)
		return fn(0, 1, arg, err);
	struct cab_pool_work *w = calloc(1, sizeof(*w));
	pid_t *pid = calloc((size_t)jobs, sizeof(*pid));
	int *fd = calloc((size_t)jobs, sizeof(*fd));
	enum cab_status st = CAB_OK;
	int started = 0, first = pool->is_parent_helping ? 1 : 0;
	if (!w || !pid || !fd) {
		free(w);
		free(pid);
		free(fd);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	/* Whatever the parent buffered must not be written twice. */
	fflush(NULL);
	pid_t parent = getpid();
	for (; first + started < jobs; started++) {
		int k = first + started, p[2];
		if (pipe(p) != 0) {
			st = cab_err_add(err, CAB_EIO,
					 "cannot start worker %d (%s)", k,
					 strerror(errno));
			break;
		}
		pid_t c = fork();
		if (c < 0) {
			st = cab_err_add(err, CAB_EIO,
					 "cannot start worker %d (%s)", k,
					 strerror(errno));
			close(p[0]);
			close(p[1]);
			break;
		}
		if (c == 0) {
			close(p[0]);
			for (int j = 0; j < started; j++)
				close(fd[j]);
			worker_main(k, jobs, fn, arg, pool->hook, p[1], parent);
		}
		close(p[1]);
		pid[started] = c;
		fd[started] = p[0];
	}
	*w = (struct cab_pool_work){pid, fd, started, first, jobs, fn, arg};
	if (st != CAB_OK)
		return finish(w, st, NULL);
	*work = w;
	return CAB_OK;
}

enum cab_status cab_pool_wait(struct cab_pool_work *work, struct cab_err *err)
{
	if (!work)
		return CAB_OK;
	/* Share 0 here; if it fails, the workers are stopped. */
	enum cab_status st =
	    work->first ? work->fn(0, work->n, work->arg, err) : CAB_OK;
	return finish(work, st, st == CAB_OK ? err : NULL);
}

void cab_pool_cancel(struct cab_pool_work *work)
{
	if (work)
		finish(work, CAB_EINTERNAL, NULL);
}

enum cab_status cab_pool_run(const struct cab_pool *pool, cab_pool_fn fn,
			     void *arg, struct cab_err *err)
{
	struct cab_pool_work *work;
	enum cab_status st = cab_pool_start(pool, fn, arg, &work, err);
	return st == CAB_OK ? cab_pool_wait(work, err) : st;
}

/* The shared work counter: one page mapped shared before the fork, so
 * that every worker and the parent see the same atomic. */
struct cab_pool_counter {
	atomic_size_t next; /* the next item to take */
};

struct cab_pool_counter *cab_pool_counter_new(void)
{
	void *m =
	    mmap(NULL, sizeof(struct cab_pool_counter), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	struct cab_pool_counter *c = m;
	atomic_init(&c->next, 0);
	return c;
}

void cab_pool_counter_free(struct cab_pool_counter *c)
{
	if (c)
		munmap(c, sizeof(*c));
}

size_t cab_pool_counter_take(struct cab_pool_counter *c)
{
	return atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed);
}

void cab_pool_counter_stop(struct cab_pool_counter *c)
{
	/* Far above any item count, and still far from wrapping around
	 * however many takes follow. */
	atomic_store_explicit(&c->next, SIZE_MAX / 2, memory_order_relaxed);
}
