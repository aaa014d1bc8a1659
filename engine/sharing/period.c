/*
 * period.c — the sharing over the whole period (SPEC §1, §2): the
 * blocks of engine/sharing/share.c one after the other, the pools'
 * weights changed at each weight block's first interval, the indicators'
 * sums Σ S and Σ a, and the period on two threads.
 *
 * Why a file of its own: share.c is what one block does to a pool; this
 * file is when blocks run, on which thread, and in which order the sums
 * are made.
 *
 * Threads: a long period of a large community (at least
 * CAB_SHARE_THREAD_MIN participant-intervals and two months) is split at
 * the month boundary nearest its middle; the first part runs on the
 * caller's thread with the pools, the second on a thread of its own with
 * a copy of them (cab_pools_copy). Each member's month is summed whole
 * by one thread, in the order of one thread, and the two write disjoint
 * intervals of the outputs: a, given and the volumes are the doubles of
 * one thread. The block records S and Σa per pool and interval; the
 * indicators add them afterwards in the order the loop used when it ran
 * in blocks of cab_share_sum_len() (blocks, then pools, then intervals),
 * so Σ S and Σ a keep their doubles whatever the blocks and threads.
 *
 * Weights that change (sh->block_first): a block stops at each weight
 * block's first interval, where the part's pools are configured again
 * with that block's weights.
 *
 * Workload: a year of a few thousand participants; the records are
 * 2 × pools × intervals doubles.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/sharing/sharing.h"

/* The weight block in force at interval t: its index in sh. */
static size_t block_at(const struct cab_sharing *sh, size_t t)
{
	size_t b = 0;
	while (b + 1 < sh->n_weight_blocks && sh->block_first[b + 1] <= t)
		b++;
	return b;
}

enum cab_status cab_share_period(struct cab_pool *pools, size_t n_pools,
				 const struct cab_sharing *sh,
				 const struct cab_scenario *sc,
				 const struct cab_share_member *m,
				 size_t n_intervals, struct cab_indicators *ind,
				 struct cab_err *err)
{
	return cab_share_period_volumes(pools, n_pools, sh, sc, m, NULL,
					n_intervals, ind, err);
}

/* Where the block of the loop that starts at t0 ends: len intervals on,
 * or before, at t_end or at the next weight block's first interval. */
static size_t block_end(const struct cab_sharing *sh, bool has_blocks,
			size_t t0, size_t len, size_t t_end)
{
	size_t e = t_end - t0 < len ? t_end : t0 + len;
	if (has_blocks) {
		size_t b = block_at(sh, t0);
		if (b + 1 < sh->n_weight_blocks && sh->block_first[b + 1] < e)
			e = sh->block_first[b + 1];
	}
	return e;
}

/* The block loop over intervals [t_begin, t_end) of the period, on one
 * thread with pools of its own. */
struct share_part {
	struct cab_pool *pools; /* its pools, with weight block 0's weights
				   (the loop sets those of each block) */
	size_t n_pools;		/* entries in pools */
	const struct cab_sharing *sh;  /* the run's sharing (weight blocks) */
	const struct cab_scenario *sc; /* the scenario (participants) */
	const struct cab_share_member *m; /* every participant, borrowed */
	const struct cab_calendar *cal;	  /* months and day period, or NULL */
	size_t t_begin, t_end;		  /* its intervals */
	size_t len;			  /* intervals per block */
	bool has_blocks;    /* weights change at sh->block_first */
	size_t n_intervals; /* of the period: the stride of s and a */
	double *s, *a;	    /* n_pools × n_intervals: S and Σa per pool and
			       interval (Σa 0 where S ≤ 0) */
	struct cab_err err; /* what failed, on a thread */
	enum cab_status st; /* how it ended, on a thread */
};

static enum cab_status share_part_run(struct share_part *w, struct cab_err *err)
{
	size_t block = 0;
	for (size_t t0 = w->t_begin; t0 < w->t_end;) {
		size_t t1 =
		    block_end(w->sh, w->has_blocks, t0, w->len, w->t_end);
		size_t tb = t1 - t0;
		if (w->has_blocks) {
			size_t b = block_at(w->sh, t0);
			if (b != block) {
				enum cab_status st = cab_pools_set_weights(
				    w->pools, w->n_pools,
				    w->sh->block_weight +
					b * w->sc->n_participants,
				    err);
				if (st != CAB_OK)
					return st;
				block = b;
			}
		}
		for (size_t k = 0; k < w->n_pools; k++) {
			struct cab_pool *p = &w->pools[k];
			cab_share_block(p, w->m, w->cal, t0, tb);
			size_t at = k * w->n_intervals + t0;
			memcpy(w->s + at, p->supply, tb * sizeof(double));
			memcpy(w->a + at, p->allocated, tb * sizeof(double));
		}
		t0 = t1;
	}
	return CAB_OK;
}

static void *share_part_thread(void *arg)
{
	struct share_part *w = arg;
	w->st = share_part_run(w, &w->err);
	return NULL;
}

static int share_threads; /* cab_share_threads(); 0: two */

void cab_share_threads(int n)
{
	share_threads = n;
}

/* Participant-intervals below which a second thread costs more than it
 * saves (starting it, a copy of the pools). */
#define CAB_SHARE_THREAD_MIN ((size_t)1 << 20)

bool cab_share_is_threaded(size_t n, size_t n_intervals)
{
	int threads = share_threads ? share_threads : 2;
	return threads >= 2 && n * n_intervals >= CAB_SHARE_THREAD_MIN;
}

/* The interval at which a second thread takes over: the first of the
 * month that starts nearest the middle of the period, so that each
 * member's month is summed whole by one thread; 0 when the period is
 * too short or small to split. */
static size_t split_at(const struct cab_pool *pools, size_t n_pools,
		       const struct cab_calendar *cal, size_t n_intervals)
{
	size_t n = 0;
	for (size_t k = 0; k < n_pools; k++)
		n += pools[k].n;
	if (!cal || !cab_share_is_threaded(n, n_intervals))
		return 0;
	/* cal->months may be the run's already: month_of tells the
	 * boundaries. */
	size_t half = n_intervals / 2;
	for (size_t d = 0; d < half; d++) {
		if (cal->month_of[half - d] != cal->month_of[half - d - 1])
			return half - d;
		if (half + d + 1 < n_intervals &&
		    cal->month_of[half + d + 1] != cal->month_of[half + d])
			return half + d + 1;
	}
	return 0;
}

/* Add the records' S and Σa to ind in the order the one-block-length
 * loop made these sums (blocks of cab_share_sum_len, then pools, then
 * intervals), whatever blocks and threads made the records: the
 * indicators keep their doubles. */
static void add_indicators(const struct share_part *w, size_t n_max,
			   struct cab_indicators *ind)
{
	size_t nt = w->n_intervals, len = cab_share_sum_len(n_max);
	for (size_t t0 = 0; t0 < nt;) {
		size_t t1 = block_end(w->sh, w->has_blocks, t0, len, nt);
		for (size_t k = 0; k < w->n_pools; k++)
			for (size_t t = t0; t < t1; t++) {
				double s = w->s[k * nt + t];
				if (s > 0) {
					ind->shared_injection_kwh += s;
					ind->allocated_kwh += w->a[k * nt + t];
				}
			}
		t0 = t1;
	}
}

/* The period on two threads, split at ts: the first part on this
 * thread with the pools, the second with a copy of them. *has_run
 * false when the copy cannot be made (nothing done: the caller runs on
 * one thread). A part's failure is reported as the one-thread loop
 * would: the first part's first. */
static enum cab_status share_two_parts(const struct share_part *w, size_t ts,
				       bool *has_run, struct cab_err *err)
{
	struct cab_pool *copy = NULL;
	*has_run = cab_pools_copy(w->pools, w->n_pools, &copy) == CAB_OK;
	if (!*has_run)
		return CAB_OK;
	struct share_part part[2] = {*w, *w};
	part[0].t_end = part[1].t_begin = ts;
	part[1].pools = copy;
	for (int k = 0; k < 2; k++)
		cab_err_init(&part[k].err);
	pthread_t th;
	bool is_started =
	    pthread_create(&th, NULL, share_part_thread, &part[1]) == 0;
	share_part_thread(&part[0]);
	if (is_started)
		pthread_join(th, NULL);
	else
		share_part_thread(&part[1]);
	enum cab_status st = CAB_OK;
	for (int k = 0; k < 2 && st == CAB_OK; k++) {
		st = part[k].st;
		const char *text = part[k].err.text;
		if (st != CAB_OK && text) {
			size_t len = strlen(text);
			if (len && text[len - 1] == '\n')
				len--; /* cab_err_add ends the line */
			cab_err_add(err, st, "%.*s", (int)len, text);
		}
	}
	for (int k = 0; k < 2; k++)
		cab_err_release(&part[k].err);
	cab_pools_free(copy, w->n_pools);
	return st;
}

enum cab_status cab_share_period_volumes(
    struct cab_pool *pools, size_t n_pools, const struct cab_sharing *sh,
    const struct cab_scenario *sc, const struct cab_share_member *m,
    const struct cab_calendar *cal, size_t n_intervals,
    struct cab_indicators *ind, struct cab_err *err)
{
	size_t n_max = 0;
	for (size_t k = 0; k < n_pools; k++)
		if (pools[k].n > n_max)
			n_max = pools[k].n;
	size_t cells = 2 * n_pools * n_intervals;
	double *rec = malloc((cells ? cells : 1) * sizeof(double));
	if (!rec)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	struct share_part w = {
	    .pools = pools,
	    .n_pools = n_pools,
	    .sh = sh,
	    .sc = sc,
	    .m = m,
	    .cal = cal,
	    .t_end = n_intervals,
	    .len = cab_share_block_len(n_max),
	    /* Fitted weights hold for the whole period. */
	    .has_blocks = sh && sh->n_weight_blocks > 1 && !pools[0].is_fit,
	    .n_intervals = n_intervals,
	    .s = rec,
	    .a = rec + n_pools * n_intervals,
	};
	size_t ts = split_at(pools, n_pools, cal, n_intervals);
	bool has_run = false;
	enum cab_status st = CAB_OK;
	if (ts)
		st = share_two_parts(&w, ts, &has_run, err);
	if (!has_run)
		st = share_part_run(&w, err);
	if (st == CAB_OK)
		add_indicators(&w, n_max, ind);
	free(rec);
	return st;
}

enum cab_status cab_share_run(const struct cab_scenario *sc, long variant,
			      const struct cab_sharing *sh,
			      const struct cab_share_member *m,
			      const struct cab_calendar *cal,
			      struct cab_pool **pools, size_t *n_pools,
			      struct cab_indicators *ind,
			      struct cab_fit_report *fit, double *fit_weight,
			      struct cab_lp_report *lp, struct cab_err *err)
{
	size_t nt = cal->n_intervals;
	enum cab_status st =
	    cab_pools_new(sc, variant, sh, m, nt, pools, n_pools, err);
	char where[64] = "$.sharing";
	if (variant >= 0)
		snprintf(where, sizeof where, "$.compare[%ld].sharing",
			 variant);
	if (st == CAB_OK && (*pools)[0].is_fit)
		st = cab_share_fit(sc, where, sh, *pools, *n_pools, m, cal,
				   fit_weight, fit, err);
	if (st == CAB_OK && sh->has_constraints &&
	    strcmp(sh->key, "optimal") == 0)
		st = cab_share_coupled(sc, where, sh, *pools, *n_pools, m, cal,
				       lp, err);
	if (st == CAB_OK)
		st = cab_share_period_volumes(*pools, *n_pools, sh, sc, m, cal,
					      nt, ind, err);
	return st;
}
