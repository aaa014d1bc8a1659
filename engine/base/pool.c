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
 */
#include "engine/base/pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

enum cab_status cab_pool_run(const struct cab_pool *pool, cab_pool_fn fn,
			     void *arg, struct cab_err *err)
{
	int jobs = pool->jobs < 1 ? 1 : pool->jobs;
	if (jobs == 1 && !pool->is_always_forked)
		return fn(0, 1, arg, err);
	pid_t *pid = calloc((size_t)jobs, sizeof(*pid));
	int *fd = calloc((size_t)jobs, sizeof(*fd));
	enum cab_status st = CAB_OK;
	int started = 0;
	if (!pid || !fd) {
		st = cab_err_add(err, CAB_ENOMEM, "out of memory");
		goto done;
	}
	/* Whatever the parent buffered must not be written twice. */
	fflush(NULL);
	pid_t parent = getpid();
	for (; started < jobs; started++) {
		int p[2];
		if (pipe(p) != 0) {
			st = cab_err_add(err, CAB_EIO,
					 "cannot start worker %d (%s)", started,
					 strerror(errno));
			break;
		}
		pid_t c = fork();
		if (c < 0) {
			st = cab_err_add(err, CAB_EIO,
					 "cannot start worker %d (%s)", started,
					 strerror(errno));
			close(p[0]);
			close(p[1]);
			break;
		}
		if (c == 0) {
			close(p[0]);
			for (int j = 0; j < started; j++)
				close(fd[j]);
			worker_main(started, jobs, fn, arg, pool->hook, p[1],
				    parent);
		}
		close(p[1]);
		pid[started] = c;
		fd[started] = p[0];
	}
	for (int k = 0; k < started; k++) {
		/* After a failure the rest of the work is useless. */
		if (st != CAB_OK)
			kill(pid[k], SIGKILL);
		enum cab_status wst =
		    reap(k, pid[k], fd[k], st == CAB_OK ? err : NULL);
		if (st == CAB_OK)
			st = wst;
	}
done:
	free(pid);
	free(fd);
	return st;
}
