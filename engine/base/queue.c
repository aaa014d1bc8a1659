/*
 * queue.c — items handed to forked workers one at a time, results back
 * as they come (see queue.h for why).
 *
 * Each worker has two pipes: the parent writes it item numbers (8 bytes
 * each) on one, and it answers on the other with the item's number, the
 * result's length and its bytes. The parent poll()s every worker's
 * answer pipe, passes each complete result to done() and gives that
 * worker the next item; when none is left it closes the worker's item
 * pipe and the worker leaves. End of file on an answer pipe while an
 * item is out means the worker died: done() hears how (from waitpid), and
 * a new worker is forked if items remain. Workers die with the parent
 * (PR_SET_PDEATHSIG): a batch killed by its user leaves no orphan busy.
 *
 * Workload: thousands of items of tens of milliseconds each; a few
 * system calls per item.
 */
#include "engine/base/queue.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A worker as the parent sees it. */
struct worker {
	pid_t pid;    /* 0: none */
	int to_fd;    /* item pipe (parent writes) */
	int from_fd;  /* answer pipe (parent reads) */
	bool is_busy; /* an item is out */
	size_t item;  /* that item */
};

/* Write all of buf; false on failure. */
static bool write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Read exactly n bytes; 1 done, 0 end of file before any byte, -1 end
 * of file midway or an error. */
static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got == 0 && r == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

/* In a worker: take items until the item pipe closes. Never returns. */
static void worker_main(const struct cab_queue *q, int in_fd, int out_fd)
{
	uint64_t item;
	int rc;
	while ((rc = read_all(in_fd, &item, sizeof item)) == 1) {
		struct cab_err err;
		cab_err_init(&err);
		char *data = NULL;
		size_t len = 0;
		enum cab_status st =
		    q->work((size_t)item, q->arg, &data, &len, &err);
		cab_err_release(&err);
		uint64_t head[2] = {item, len};
		if (st != CAB_OK || !write_all(out_fd, head, sizeof head) ||
		    !write_all(out_fd, data, len))
			_exit(1);
		free(data);
	}
	_exit(rc == 0 ? 0 : 1);
}

/* Start a worker into w; the other workers' pipe ends are closed in it. */
static enum cab_status start(const struct cab_queue *q, struct worker *ws,
			     int n, int k, struct cab_err *err)
{
	int to[2], from[2];
	if (pipe(to) != 0)
		goto fail;
	if (pipe(from) != 0) {
		close(to[0]);
		close(to[1]);
		goto fail;
	}
	fflush(NULL);
	pid_t parent = getpid();
	pid_t c = fork();
	if (c < 0) {
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		goto fail;
	}
	if (c == 0) {
		/* Leave with the parent, even if it is killed. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		signal(SIGPIPE, SIG_DFL);
		close(to[1]);
		close(from[0]);
		for (int j = 0; j < n; j++)
			if (j != k && ws[j].pid) {
				if (ws[j].to_fd >= 0)
					close(ws[j].to_fd);
				close(ws[j].from_fd);
			}
		worker_main(q, to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	ws[k] = (struct worker){.pid = c, .to_fd = to[1], .from_fd = from[0]};
	return CAB_OK;
fail:
	return cab_err_add(err, CAB_EIO, "cannot start a worker process (%s)",
			   strerror(errno));
}

/* Wait for worker w and say how it ended into buf. */
static void reap(struct worker *w, char *buf, size_t size)
{
	int ws = 0;
	while (waitpid(w->pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(ws))
		snprintf(buf, size,
			 "its worker process was killed by signal %d",
			 WTERMSIG(ws));
	else
		snprintf(buf, size,
			 "its worker process ended with exit status %d",
			 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	if (w->to_fd >= 0)
		close(w->to_fd);
	close(w->from_fd);
	w->pid = 0;
	w->is_busy = false;
}

/* Give worker w the next item, or close its item pipe. */
static void feed(const struct cab_queue *q, struct worker *w, size_t *next)
{
	if (*next >= q->n_items) {
		if (w->to_fd >= 0)
			close(w->to_fd);
		w->to_fd = -1;
		return;
	}
	uint64_t item = q->items ? q->items[*next] : *next;
	w->item = (size_t)item;
	w->is_busy = true;
	(*next)++;
	/* A worker that died before reading shows as end of file on its
	 * answer pipe: the item is then reported lost there. */
	write_all(w->to_fd, &item, sizeof item);
}

enum cab_status cab_queue_run(const struct cab_queue *q, struct cab_err *err)
{
	int n = q->jobs < 1 ? 1 : q->jobs;
	if ((size_t)n > q->n_items)
		n = q->n_items ? (int)q->n_items : 1;
	if (q->n_items == 0)
		return CAB_OK;
	struct worker *ws = calloc((size_t)n, sizeof *ws);
	struct pollfd *pf = calloc((size_t)n, sizeof *pf);
	if (!ws || !pf) {
		free(ws);
		free(pf);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	/* A worker gone between two items must not kill the parent when it
	 * is handed the next one. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	enum cab_status st = CAB_OK;
	size_t next = 0, n_done = 0;
	for (int k = 0; k < n && st == CAB_OK; k++) {
		st = start(q, ws, n, k, err);
		if (st == CAB_OK)
			feed(q, &ws[k], &next);
	}
	while (st == CAB_OK && n_done < q->n_items) {
		int np = 0;
		for (int k = 0; k < n; k++)
			if (ws[k].pid && ws[k].is_busy)
				pf[np++] = (struct pollfd){.fd = ws[k].from_fd,
							   .events = POLLIN};
		if (np == 0) {
			st = cab_err_add(err, CAB_EINTERNAL,
					 "batch queue: no worker left");
			break;
		}
		if (poll(pf, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			st = cab_err_add(err, CAB_EIO, "poll: %s",
					 strerror(errno));
			break;
		}
		for (int k = 0, j = 0; k < n && st == CAB_OK; k++) {
			if (!ws[k].pid || !ws[k].is_busy)
				continue;
			short ev = pf[j++].revents;
			if (!ev)
				continue;
			struct worker *w = &ws[k];
			uint64_t head[2];
			char *data = NULL;
			int rc = read_all(w->from_fd, head, sizeof head);
			if (rc == 1 && head[0] == w->item &&
			    head[1] < ((uint64_t)1 << 40)) {
				data = malloc(head[1] ? head[1] : 1);
				if (!data)
					st = cab_err_add(err, CAB_ENOMEM,
							 "out of memory");
				else if (read_all(w->from_fd, data, head[1]) !=
					     1 &&
					 head[1])
					rc = -1;
			} else if (rc == 1) {
				rc = -1;
			}
			if (st != CAB_OK) {
				free(data);
				break;
			}
			if (rc == 1) {
				n_done++;
				st = q->done(w->item, data, head[1], NULL,
					     q->ctx, err);
				w->is_busy = false;
				free(data);
				if (st == CAB_OK)
					feed(q, w, &next);
				continue;
			}
			free(data);
			char why[128];
			size_t item = w->item;
			reap(w, why, sizeof why);
			n_done++;
			st = q->done(item, NULL, 0, why, q->ctx, err);
			if (st == CAB_OK && next < q->n_items) {
				st = start(q, ws, n, k, err);
				if (st == CAB_OK)
					feed(q, &ws[k], &next);
			}
		}
	}
	for (int k = 0; k < n; k++) {
		if (!ws[k].pid)
			continue;
		if (st != CAB_OK)
			kill(ws[k].pid, SIGKILL);
		if (ws[k].to_fd >= 0)
			close(ws[k].to_fd);
		ws[k].to_fd = -1;
		int wst;
		while (waitpid(ws[k].pid, &wst, 0) < 0 && errno == EINTR)
			;
		close(ws[k].from_fd);
	}
	sigaction(SIGPIPE, &old, NULL);
	free(ws);
	free(pf);
	return st;
}
