/*
 * test_queue.c — the batch's work queue (engine/base/queue.c): every item
 * is done once and its result reaches the parent, whatever the number of
 * workers; a worker killed in an item loses only that item (the parent
 * hears how it died) and a new worker takes the rest; a failing done()
 * stops the queue with its message.
 *
 * The work's result is the text "item*item", so the parent can check
 * each against a recomputation.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/base/queue.h"
#include "harness.h"

#define N 40

struct seen {
	int results[N]; /* times each item's result came back */
	int lost[N];	/* times each item was lost */
	int bad;	/* results that did not say item*item */
	char why[128];	/* the last lost item's reason */
	int stop_at;	/* done() fails at this item; -1: never */
};

static enum cab_status work(size_t item, void *arg, char **out, size_t *len,
			    struct cab_err *err)
{
	const int *kill_item = arg;
	if ((int)item == *kill_item)
		raise(SIGKILL);
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%zu", item * item);
	*out = strdup(buf);
	*len = (size_t)n;
	return *out ? CAB_OK : cab_err_add(err, CAB_ENOMEM, "out of memory");
}

static enum cab_status done(size_t item, const char *data, size_t len,
			    const char *lost, void *ctx, struct cab_err *err)
{
	struct seen *s = ctx;
	if ((int)item == s->stop_at)
		return cab_err_add(err, CAB_EIO, "item %zu: cannot record",
				   item);
	if (!data) {
		s->lost[item]++;
		snprintf(s->why, sizeof s->why, "%s", lost);
		return CAB_OK;
	}
	char want[32];
	snprintf(want, sizeof want, "%zu", item * item);
	s->results[item]++;
	s->bad += len != strlen(want) || memcmp(data, want, len) != 0;
	return CAB_OK;
}

static void run(int jobs, int kill_item, struct seen *s, enum cab_status *st,
		struct cab_err *err)
{
	memset(s, 0, sizeof *s);
	if (s->stop_at == 0)
		s->stop_at = -1;
	const struct cab_queue q = {.jobs = jobs,
				    .n_items = N,
				    .work = work,
				    .arg = &kill_item,
				    .done = done,
				    .ctx = s};
	*st = cab_queue_run(&q, err);
}

TEST(every_item_once_whatever_the_workers)
{
	int jobs[] = {1, 2, 7, 64};
	for (size_t j = 0; j < 4; j++) {
		struct seen s;
		enum cab_status st;
		run(jobs[j], -1, &s, &st, NULL);
		CHECK(st == CAB_OK);
		int once = 0;
		for (int i = 0; i < N; i++)
			once += s.results[i] == 1 && s.lost[i] == 0;
		CHECK_INT(once, N);
		CHECK_INT(s.bad, 0);
	}
}

TEST(killed_worker_loses_only_its_item)
{
	struct seen s;
	enum cab_status st;
	run(2, 13, &s, &st, NULL);
	CHECK(st == CAB_OK);
	CHECK_INT(s.lost[13], 1);
	CHECK_INT(s.results[13], 0);
	int once = 0;
	for (int i = 0; i < N; i++)
		once += i != 13 && s.results[i] == 1;
	CHECK_INT(once, N - 1);
	CHECK_STR(s.why, "its worker process was killed by signal 9");
}

TEST(failing_done_stops_the_queue_with_its_message)
{
	struct seen s;
	memset(&s, 0, sizeof s);
	s.stop_at = 5;
	struct cab_err err;
	cab_err_init(&err);
	int kill_item = -1;
	const struct cab_queue q = {.jobs = 3,
				    .n_items = N,
				    .work = work,
				    .arg = &kill_item,
				    .done = done,
				    .ctx = &s};
	CHECK(cab_queue_run(&q, &err) == CAB_EIO);
	CHECK_STR(err.text, "item 5: cannot record\n");
	int n = 0;
	for (int i = 0; i < N; i++)
		n += s.results[i];
	CHECK(n < N);
	cab_err_release(&err);
}

static const struct harness_test tests[] = {
    T(every_item_once_whatever_the_workers),
    T(killed_worker_loses_only_its_item),
    T(failing_done_stops_the_queue_with_its_message),
};

HARNESS_MAIN("test_queue", tests)
