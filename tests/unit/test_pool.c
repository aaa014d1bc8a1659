/*
 * test_pool.c — the one worker pool (engine/base/pool.c): every worker
 * does its own share once, a failing or killed worker fails the call
 * with its messages, one job runs in this process unless told to fork,
 * and the test hook fails worker k after its share (never in this
 * process).
 *
 * Workers cannot change the parent's memory, so each share leaves a file
 * "<k>" holding "k/n" in a scratch folder, which the test reads back.
 *
 * The work counter (shared memory) gives every item to exactly one
 * worker, and a worker held up takes no more than it could; started work
 * runs while the caller goes on, and a cancelled one is stopped. Those
 * workers report through a page mapped shared before the fork.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "engine/base/pool.h"
#include "harness.h"

/* What the shares read: where to leave their file, and what to do. */
struct share_job {
	char dir[64];  /* scratch folder */
	int fail_k;    /* this share fails with two messages; -1: none */
	int kill_k;    /* this share kills its process; -1: none */
	int in_parent; /* set by a share that ran in the calling process */
	pid_t parent;  /* the calling process */
};

static enum cab_status share(int k, int n, void *arg, struct cab_err *err)
{
	struct share_job *job = arg;
	if (getpid() == job->parent)
		job->in_parent++;
	char path[128];
	snprintf(path, sizeof(path), "%s/%d", job->dir, k);
	FILE *f = fopen(path, "a");
	if (!f)
		return cab_err_add(err, CAB_EIO, "%s: cannot write", path);
	fprintf(f, "%d/%d\n", k, n);
	fclose(f);
	if (k == job->kill_k)
		raise(SIGKILL);
	if (k == job->fail_k) {
		cab_err_add(err, CAB_EINPUT, "share %d: first problem", k);
		return cab_err_add(err, CAB_EINPUT, "share %d: second", k);
	}
	return CAB_OK;
}

static void job_init(struct share_job *job)
{
	strcpy(job->dir, "/tmp/cabine-pool-XXXXXX");
	if (!mkdtemp(job->dir))
		abort();
	job->fail_k = job->kill_k = -1;
	job->in_parent = 0;
	job->parent = getpid();
}

/* The text of share k's file ("" if it has none); job's folder. */
static const char *share_file(const struct share_job *job, int k)
{
	static char text[64];
	char path[128];
	snprintf(path, sizeof(path), "%s/%d", job->dir, k);
	text[0] = 0;
	FILE *f = fopen(path, "r");
	if (f) {
		size_t got = fread(text, 1, sizeof(text) - 1, f);
		text[got] = 0;
		fclose(f);
	}
	return text;
}

static void job_release(struct share_job *job)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", job->dir);
	if (system(cmd) != 0)
		abort();
}

/* 4 jobs: shares 0..3 each ran once, in a worker, knowing n = 4. */
TEST(every_worker_does_its_share_once)
{
	struct share_job job;
	job_init(&job);
	struct cab_err err;
	cab_err_init(&err);
	const struct cab_pool pool = {.jobs = 4};
	CHECK_INT(cab_pool_run(&pool, share, &job, &err), CAB_OK);
	CHECK_STR(share_file(&job, 0), "0/4\n");
	CHECK_STR(share_file(&job, 1), "1/4\n");
	CHECK_STR(share_file(&job, 2), "2/4\n");
	CHECK_STR(share_file(&job, 3), "3/4\n");
	CHECK_STR(share_file(&job, 4), "");
	CHECK_INT(job.in_parent, 0);
	CHECK(err.text == NULL);
	cab_err_release(&err);
	job_release(&job);
}

/* One job (or none) is one share in this process; is_always_forked puts
 * it in a worker all the same. */
TEST(one_job_runs_here_unless_always_forked)
{
	struct share_job job;
	job_init(&job);
	const struct cab_pool here = {.jobs = 0};
	CHECK_INT(cab_pool_run(&here, share, &job, NULL), CAB_OK);
	CHECK_INT(job.in_parent, 1);
	CHECK_STR(share_file(&job, 0), "0/1\n");
	const struct cab_pool forked = {.jobs = 1, .is_always_forked = true};
	CHECK_INT(cab_pool_run(&forked, share, &job, NULL), CAB_OK);
	CHECK_INT(job.in_parent, 1);
	CHECK_STR(share_file(&job, 0), "0/1\n0/1\n");
	job_release(&job);
}

/* Share 1 of 3 fails: the call fails with its status and both of its
 * messages, in order. */
TEST(a_failing_worker_fails_the_call_with_its_messages)
{
	struct share_job job;
	job_init(&job);
	job.fail_k = 1;
	struct cab_err err;
	cab_err_init(&err);
	const struct cab_pool pool = {.jobs = 3};
	CHECK_INT(cab_pool_run(&pool, share, &job, &err), CAB_EINPUT);
	CHECK_STR(err.text, "share 1: first problem\nshare 1: second\n");
	cab_err_release(&err);
	job_release(&job);
}

/* A worker killed by a signal is a failure of the call, named, even the
 * single worker of is_always_forked (SIGKILL = 9). */
TEST(a_killed_worker_is_reported)
{
	struct share_job job;
	job_init(&job);
	job.kill_k = 0;
	struct cab_err err;
	cab_err_init(&err);
	const struct cab_pool two = {.jobs = 2};
	CHECK_INT(cab_pool_run(&two, share, &job, &err), CAB_EINTERNAL);
	CHECK_STR(err.text, "worker 0: killed by signal 9\n");
	cab_err_release(&err);
	cab_err_init(&err);
	const struct cab_pool one = {.jobs = 1, .is_always_forked = true};
	CHECK_INT(cab_pool_run(&one, share, &job, &err), CAB_EINTERNAL);
	CHECK_STR(err.text, "worker 0: killed by signal 9\n");
	cab_err_release(&err);
	job_release(&job);
}

static enum cab_status fail_after(int k, int n, void *ctx, struct cab_err *err)
{
	if (k != *(const int *)ctx)
		return CAB_OK;
	return cab_err_add(err, CAB_EINTERNAL, "worker %d of %d: hooked", k, n);
}

/* The hook fails worker 2 of 3 after its share was done; with one job in
 * this process it is not called. */
TEST(the_hook_fails_worker_k_after_its_share)
{
	struct share_job job;
	job_init(&job);
	int which = 2;
	const struct cab_pool_hook hook = {.after_share = fail_after,
					   .ctx = &which};
	struct cab_err err;
	cab_err_init(&err);
	const struct cab_pool three = {.jobs = 3, .hook = &hook};
	CHECK_INT(cab_pool_run(&three, share, &job, &err), CAB_EINTERNAL);
	CHECK_STR(err.text, "worker 2 of 3: hooked\n");
	CHECK_STR(share_file(&job, 2), "2/3\n");
	cab_err_release(&err);
	which = 0;
	cab_err_init(&err);
	const struct cab_pool here = {.jobs = 1, .hook = &hook};
	CHECK_INT(cab_pool_run(&here, share, &job, &err), CAB_OK);
	CHECK(err.text == NULL);
	cab_err_release(&err);
	job_release(&job);
}

/* What the counter's workers share with the test: a page mapped before
 * the fork. */
#define N_ITEMS 500
struct shared_marks {
	atomic_int taken[N_ITEMS]; /* how often each item was taken */
	atomic_int by_worker[8];   /* items taken by worker k */
	atomic_int n_done;	   /* items done, all workers */
	atomic_int go;		   /* set by the test after the start */
	atomic_int finished;	   /* workers that got to their end */
};

struct counter_job {
	struct cab_pool_counter *next;
	struct shared_marks *m;
	bool is_first_held; /* worker 0 waits after its first item until
			       every other item is done */
	bool is_waiting_go; /* workers wait for m->go before working */
	bool is_forever;    /* workers never end (to be cancelled) */
};

static struct shared_marks *marks_new(void)
{
	void *p =
	    mmap(NULL, sizeof(struct shared_marks), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL
			       : memset(p, 0, sizeof(struct shared_marks));
}

static void nap(void)
{
	struct timespec ts = {0, 1000000}; /* 1 ms */
	nanosleep(&ts, NULL);
}

static enum cab_status take_items(int k, int n, void *arg, struct cab_err *err)
{
	struct counter_job *job = arg;
	struct shared_marks *m = job->m;
	/* Up to 20 s of waiting, then fail rather than hang the suite. */
	for (int i = 0; job->is_waiting_go && !atomic_load(&m->go); i++)
		if (i > 20000)
			return cab_err_add(err, CAB_EINTERNAL, "no go");
		else
			nap();
	while (job->is_forever)
		nap();
	/* With worker 0 held, the others start once it has its first item
	 * (on a loaded machine they could otherwise take all of them
	 * before it runs at all). */
	for (int i = 0;
	     job->is_first_held && k != 0 && atomic_load(&m->by_worker[0]) == 0;
	     i++)
		if (i > 20000)
			return cab_err_add(err, CAB_EINTERNAL, "no first");
		else
			nap();
	size_t i;
	while ((i = cab_pool_counter_take(job->next)) < N_ITEMS) {
		atomic_fetch_add(&m->taken[i], 1);
		atomic_fetch_add(&m->by_worker[k], 1);
		atomic_fetch_add(&m->n_done, 1);
		for (int w = 0; k == 0 && job->is_first_held &&
				atomic_load(&m->n_done) < N_ITEMS;
		     w++)
			if (w > 20000)
				return cab_err_add(err, CAB_EINTERNAL, "held");
			else
				nap();
	}
	atomic_fetch_add(&m->finished, 1);
	return CAB_OK;
}

/* Three workers and one counter: each of the 500 items is taken once,
 * whoever takes it. Worker 0 is held after its first item until all the
 * others are done: it took that one item only (with fixed slices it
 * would have had a third of them to do alone, late). */
TEST(the_counter_gives_each_item_to_one_worker)
{
	struct shared_marks *m = marks_new();
	struct counter_job job = {cab_pool_counter_new(), m, true, false,
				  false};
	CHECK(m && job.next);
	if (!m || !job.next)
		return;
	const struct cab_pool pool = {.jobs = 3};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_pool_run(&pool, take_items, &job, &err), CAB_OK);
	int once = 0;
	for (int i = 0; i < N_ITEMS; i++)
		once += atomic_load(&m->taken[i]) == 1;
	CHECK_INT(once, N_ITEMS);
	CHECK_INT(atomic_load(&m->by_worker[0]), 1);
	CHECK_INT(atomic_load(&m->by_worker[1]) + atomic_load(&m->by_worker[2]),
		  N_ITEMS - 1);
	CHECK_INT(atomic_load(&m->finished), 3);
	/* Stopped, the counter hands out nothing more. */
	cab_pool_counter_stop(job.next);
	CHECK(cab_pool_counter_take(job.next) >= SIZE_MAX / 2);
	cab_err_release(&err);
	cab_pool_counter_free(job.next);
	munmap(m, sizeof(*m));
}

/* cab_pool_start returns while the workers run: they wait for a flag the
 * test sets only after the start, then do everything; the wait gets
 * their end. */
TEST(started_work_runs_while_the_caller_goes_on)
{
	struct shared_marks *m = marks_new();
	struct counter_job job = {cab_pool_counter_new(), m, false, true,
				  false};
	CHECK(m && job.next);
	if (!m || !job.next)
		return;
	const struct cab_pool pool = {.jobs = 2};
	struct cab_pool_work *work = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_pool_start(&pool, take_items, &job, &work, &err), CAB_OK);
	CHECK(work != NULL);
	CHECK_INT(atomic_load(&m->n_done), 0); /* nothing before the go */
	atomic_store(&m->go, 1);
	CHECK_INT(cab_pool_wait(work, &err), CAB_OK);
	CHECK_INT(atomic_load(&m->n_done), N_ITEMS);
	CHECK_INT(atomic_load(&m->finished), 2);
	CHECK(err.text == NULL);
	/* One job: the work is done in the start, nothing to wait for. */
	cab_pool_counter_free(job.next);
	job.next = cab_pool_counter_new();
	memset(m, 0, sizeof(*m));
	atomic_store(&m->go, 1);
	const struct cab_pool here = {.jobs = 1};
	CHECK_INT(cab_pool_start(&here, take_items, &job, &work, &err), CAB_OK);
	CHECK(work == NULL);
	CHECK_INT(atomic_load(&m->n_done), N_ITEMS);
	CHECK_INT(cab_pool_wait(NULL, &err), CAB_OK);
	cab_err_release(&err);
	cab_pool_counter_free(job.next);
	munmap(m, sizeof(*m));
}

/* Helped by the caller: cab_pool_start forks workers 1 and 2 only, and
 * cab_pool_wait does share 0 in this process before waiting. */
TEST(the_caller_does_share_0_in_the_wait)
{
	struct share_job job;
	job_init(&job);
	struct cab_err err;
	cab_err_init(&err);
	const struct cab_pool pool = {.jobs = 3, .is_parent_helping = true};
	struct cab_pool_work *work = NULL;
	CHECK_INT(cab_pool_start(&pool, share, &job, &work, &err), CAB_OK);
	CHECK(work != NULL);
	CHECK_INT(job.in_parent, 0);
	CHECK_INT(cab_pool_wait(work, &err), CAB_OK);
	CHECK_INT(job.in_parent, 1);
	CHECK_STR(share_file(&job, 0), "0/3\n");
	CHECK_STR(share_file(&job, 1), "1/3\n");
	CHECK_STR(share_file(&job, 2), "2/3\n");
	CHECK(err.text == NULL);
	/* Share 0 failing stops the workers and fails the wait with it. */
	job_release(&job);
	job_init(&job);
	job.fail_k = 0;
	CHECK_INT(cab_pool_start(&pool, share, &job, &work, &err), CAB_OK);
	CHECK_INT(cab_pool_wait(work, &err), CAB_EINPUT);
	CHECK_STR(err.text, "share 0: first problem\nshare 0: second\n");
	cab_err_release(&err);
	job_release(&job);
}

/* Cancelled work is killed and waited for: workers that would never end
 * are gone when cab_pool_cancel returns. */
TEST(cancelled_work_is_stopped)
{
	struct shared_marks *m = marks_new();
	struct counter_job job = {cab_pool_counter_new(), m, false, false,
				  true};
	CHECK(m && job.next);
	if (!m || !job.next)
		return;
	const struct cab_pool pool = {.jobs = 2};
	struct cab_pool_work *work = NULL;
	CHECK_INT(cab_pool_start(&pool, take_items, &job, &work, NULL), CAB_OK);
	CHECK(work != NULL);
	cab_pool_cancel(work);
	CHECK_INT(atomic_load(&m->finished), 0);
	cab_pool_cancel(NULL);
	cab_pool_counter_free(job.next);
	munmap(m, sizeof(*m));
}

static const struct harness_test tests[] = {
    T(every_worker_does_its_share_once),
    T(one_job_runs_here_unless_always_forked),
    T(a_failing_worker_fails_the_call_with_its_messages),
    T(a_killed_worker_is_reported),
    T(the_hook_fails_worker_k_after_its_share),
    T(the_counter_gives_each_item_to_one_worker),
    T(started_work_runs_while_the_caller_goes_on),
    T(the_caller_does_share_0_in_the_wait),
    T(cancelled_work_is_stopped),
};
HARNESS_MAIN("test_pool", tests)
