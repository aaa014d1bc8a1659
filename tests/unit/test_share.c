/*
 * test_share.c — the block loop of engine/sharing/share.c (issue 18):
 * the block length it picks from a pool's size and the order of the
 * indicators' sums; the volumes it adds while it writes a and given,
 * against an independent second pass over the series it wrote
 * (cab_volumes_of, the pass the loop replaced), bit for bit, on random
 * communities where a month ends inside a block; and the loop on two
 * threads against one, byte for byte.
 */
#include <math.h>
#include <stdint.h>

#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "engine/sharing/sharing.h"
#include "harness.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* The loop's blocks: 128 intervals up to 16,384 members (128 × 16,384
 * × 32 B = 64 MiB), then the longest multiple of 8 that keeps its four
 * matrices within 64 MiB, never below 8. */
TEST(block_length_follows_the_pool_size)
{
	CHECK_INT(cab_share_block_len(0), 128);
	CHECK_INT(cab_share_block_len(3000), 128);
	CHECK_INT(cab_share_block_len(16384), 128);
	CHECK_INT(cab_share_block_len(16385), 120);
	CHECK_INT(cab_share_block_len(100000), 16);
	CHECK_INT(cab_share_block_len(1000000), 8);
	int bad = 0;
	for (size_t n = 1; n <= 300000; n += 7) {
		size_t tb = cab_share_block_len(n);
		if (tb < 8 || tb > CAB_SHARE_BLOCK || tb % 8 ||
		    (tb > 8 &&
		     tb * n * 4 * sizeof(double) > CAB_SHARE_BLOCK_BYTES))
			bad++;
	}
	CHECK_INT(bad, 0);
}

/* The order of the indicators' sums, as the loop's blocks were: 64
 * intervals up to 409 members (64 × 409 × 40 B ≤ 1 MiB); then the
 * longest multiple of 8 that keeps 40 B per member-interval within 1 MiB:
 * 1,000 members → 1 MiB / 40,000 B = 26.2 → 24; never below 8. */
TEST(sum_order_follows_the_pool_size)
{
	CHECK_INT(cab_share_sum_len(0), 64);
	CHECK_INT(cab_share_sum_len(1), 64);
	CHECK_INT(cab_share_sum_len(409), 64);
	CHECK_INT(cab_share_sum_len(410), 56);
	CHECK_INT(cab_share_sum_len(1000), 24);
	CHECK_INT(cab_share_sum_len(3000), 8);
	CHECK_INT(cab_share_sum_len(100000), 8);
	int bad = 0;
	for (size_t n = 1; n <= 6000; n++) {
		size_t tb = cab_share_sum_len(n);
		if (tb < 8 || tb > CAB_SHARE_SUM_BLOCK || tb % 8 ||
		    (tb > 8 &&
		     tb * n * 5 * sizeof(double) > CAB_SHARE_SUM_BYTES))
			bad++;
	}
	CHECK_INT(bad, 0);
}

/* A random community for the loop's properties: n participants over
 * [from, to) local dates, two cabins, random weights (a second set from
 * interval 77, a third from `third`), 20 % net meters, 40 % PV, 2 %
 * missing values; key, perimeter, self_share and until-done from iter. */
struct rcomm {
	struct cab_scenario sc;
	struct cab_cabin cabins[2];
	char cid[2][4];
	struct cab_participant *p;
	char (*ids)[16], (*mc)[16], (*mp)[16];
	double *bw;
	size_t first[3];
	struct cab_readings *rd;
};

static void rcomm_new(struct rcomm *r, size_t n, int iter, const int from[3],
		      const int to[3], size_t third)
{
	static const char *keys[] = {"fixed", "proportional", "hybrid",
				     "priority"};
	memset(r, 0, sizeof(*r));
	struct cab_scenario *sc = &r->sc;
	sc->path = "test";
	sc->name = "test";
	sc->start_y = from[0], sc->start_m = from[1], sc->start_d = from[2];
	sc->end_y = to[0], sc->end_m = to[1], sc->end_d = to[2];
	sc->t0_s = cab_time_local_midnight(from[0], from[1], from[2]);
	sc->n_intervals =
	    (size_t)((cab_time_local_midnight(to[0], to[1], to[2]) - sc->t0_s) /
		     900);
	sc->n_days = (int)(sc->n_intervals / 96);
	memcpy(r->cid[0], "c0", 3);
	memcpy(r->cid[1], "c1", 3);
	r->cabins[0] = (struct cab_cabin){r->cid[0], NULL, 'A'};
	r->cabins[1] = (struct cab_cabin){r->cid[1], NULL, 'C'};
	sc->n_cabins = 2;
	sc->cabins = r->cabins;
	r->p = calloc(n, sizeof(*r->p));
	r->ids = calloc(n, 16);
	r->mc = calloc(n, 16);
	r->mp = calloc(n, 16);
	size_t nt = sc->n_intervals;
	double *c = malloc(nt * sizeof(double));
	double *pv = malloc(nt * sizeof(double));
	r->bw = malloc(3 * n * sizeof(double));
	r->first[0] = 0, r->first[1] = 77, r->first[2] = third;
	CHECK_INT(cab_readings_new(sc->t0_s, nt, &r->rd, NULL), CAB_OK);
	sc->participants = r->p;
	sc->n_participants = n;
	sc->tariff.supplier_day_eur_kwh = 0.25;
	sc->tariff.network_eur_kwh = 0.12;
	sc->tariff.day_start_h = 7, sc->tariff.day_end_h = 22;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant *pa = &r->p[i];
		snprintf(r->ids[i], 16, "h%u", (unsigned)i);
		snprintf(r->mc[i], 16, "h%u-c", (unsigned)i);
		snprintf(r->mp[i], 16, "h%u-p", (unsigned)i);
		pa->id = r->ids[i];
		pa->cabin = (int)(i % 2);
		pa->weight = rnd() / (double)n;
		pa->has_weight = true;
		pa->priority_group = rnd() < 0.3 ? 0 : 1;
		r->bw[i] = pa->weight;
		r->bw[n + i] = rnd() / (double)n;
		r->bw[2 * n + i] = rnd() / (double)n;
		bool is_net = rnd() < 0.2, has_pv = rnd() < 0.4;
		for (size_t t = 0; t < nt; t++) {
			int q = (int)(t % 96);
			c[t] = rnd() < 0.02 ? NAN : 0.3 * rnd();
			pv[t] = has_pv && q > 30 && q < 70 ? rnd() : 0;
		}
		cab_readings_put(r->rd, r->mc[i], c, NULL);
		if (is_net)
			pa->meter_offtake = r->mc[i];
		else
			pa->meter_consumption = r->mc[i];
		if (has_pv) {
			cab_readings_put(r->rd, r->mp[i], pv, NULL);
			if (is_net)
				pa->meter_injection = r->mp[i];
			else
				pa->meter_production = r->mp[i];
		}
	}
	free(c);
	free(pv);
	snprintf(sc->sharing.key, sizeof(sc->sharing.key), "%s",
		 keys[iter % 4]);
	sc->sharing.has_weights = true;
	sc->sharing.is_until_done = iter % 5 == 0;
	sc->sharing.n_groups = 2;
	sc->sharing.perimeter =
	    iter % 2 ? CAB_PERIMETER_CABIN : CAB_PERIMETER_COMMUNITY;
	sc->sharing.is_without_self_share = iter % 4 == 1;
	if (iter % 3 != 2) {
		sc->sharing.n_weight_blocks = third ? 3 : 2;
		sc->sharing.block_first = r->first;
		sc->sharing.block_weight = r->bw;
	}
	sc->billing.mode = CAB_BILLING_SHARED;
}

static void rcomm_free(struct rcomm *r)
{
	cab_readings_free(r->rd);
	free(r->p), free(r->ids), free(r->mc), free(r->mp), free(r->bw);
}

/* The run's monthly volumes and totals, made by the block loop, against
 * cab_volumes_of() reading the run's C, P, a and given afterwards: the
 * same doubles (memcmp), for every key, both perimeters, self_share
 * false, weights that change at interval 77, net meters and missing
 * data, over 2024-03-30 → 04-03 (a month ends on day 2, inside a block
 * whatever its length). */
TEST(volumes_of_the_block_loop_are_those_of_a_second_pass)
{
	static const int from[3] = {2024, 3, 30}, to[3] = {2024, 4, 3};
	int runs = 0, bad_month = 0, bad_total = 0, compared = 0;
	for (int iter = 0; iter < 12; iter++) {
		size_t n = iter % 3 == 0 ? 1200 : 3 + (size_t)(rnd() * 40);
		struct rcomm rc;
		rcomm_new(&rc, n, iter, from, to, 0);
		struct cab_scenario *sc = &rc.sc;
		size_t nt = sc->n_intervals;
		struct cab_run *run = NULL;
		struct cab_calendar cal = {0};
		CHECK_INT(cab_run_new(sc, rc.rd, -1, &run, NULL), CAB_OK);
		CHECK_INT(cab_calendar_init(&cal, sc->t0_s, nt, &sc->tariff),
			  CAB_OK);
		CHECK_INT(cal.n_months, 2);
		if (run && cal.n_months == run->n_months) {
			runs++;
			struct cab_volumes *month =
			    calloc(cal.n_months, sizeof(*month));
			for (size_t i = 0; i < n && month; i++) {
				const struct cab_participant_result *r =
				    &run->p[i];
				struct cab_share_member m = {
				    .consumption_kwh = r->consumption_kwh,
				    .production_kwh = r->production_kwh,
				    .is_net = r->is_net,
				    .shared_kwh = (double *)r->shared_kwh,
				    .given_kwh = (double *)r->given_kwh,
				};
				struct cab_volumes total = {0};
				memset(month, 0, cal.n_months * sizeof(*month));
				cab_volumes_of(&m, &cal, month, &total);
				bad_month +=
				    memcmp(month, r->month,
					   cal.n_months * sizeof(*month)) != 0;
				bad_total += memcmp(&total, &r->total,
						    sizeof(total)) != 0;
				compared++;
			}
			free(month);
		}
		cab_calendar_release(&cal);
		cab_run_free(run);
		rcomm_free(&rc);
	}
	CHECK_INT(runs, 12);
	CHECK(compared > 4 * 1200);
	CHECK_INT(bad_month, 0);
	CHECK_INT(bad_total, 0);
}

/* Σ S and Σ a of run, recomputed from its C, P and a in the order the
 * loop made them before it ran in longer blocks: blocks of
 * cab_share_sum_len(largest pool), cut at the weight blocks, then pools
 * (community, or cabins c0, c1), then intervals; S the members' X in
 * pool order, Σa ≤ S. */
static void sums_in_old_order(const struct cab_scenario *sc,
			      const struct cab_run *run, double *s_out,
			      double *a_out)
{
	size_t n = sc->n_participants, nt = sc->n_intervals;
	bool by_cabin = sc->sharing.perimeter == CAB_PERIMETER_CABIN;
	size_t n_pools = by_cabin ? 2 : 1, n_max = 0;
	for (size_t k = 0; k < n_pools; k++) {
		size_t count = 0;
		for (size_t i = 0; i < n; i++)
			count +=
			    !by_cabin || (size_t)sc->participants[i].cabin == k;
		n_max = count > n_max ? count : n_max;
	}
	size_t len = cab_share_sum_len(n_max);
	double s_sum = 0, a_sum = 0;
	for (size_t t0 = 0; t0 < nt;) {
		size_t t1 = t0 + len < nt ? t0 + len : nt;
		for (size_t b = 1; b < sc->sharing.n_weight_blocks; b++)
			if (sc->sharing.block_first[b] > t0 &&
			    sc->sharing.block_first[b] < t1)
				t1 = sc->sharing.block_first[b];
		for (size_t k = 0; k < n_pools; k++)
			for (size_t t = t0; t < t1; t++) {
				double s = 0, a = 0;
				for (size_t i = 0; i < n; i++) {
					const struct cab_participant_result *r =
					    &run->p[i];
					if ((by_cabin &&
					     (size_t)sc->participants[i]
						     .cabin != k) ||
					    isnan(r->consumption_kwh[t]))
						continue;
					double o, d, x;
					cab_own_split(r->consumption_kwh[t],
						      r->production_kwh[t],
						      r->is_net, &o, &d, &x);
					s += x;
					a += r->shared_kwh[t];
				}
				if (s > 0) {
					s_sum += s;
					a_sum += a > s ? s : a;
				}
			}
		t0 = t1;
	}
	*s_out = s_sum;
	*a_out = a_sum;
}

/* The block loop on two threads (a period of several months, large
 * enough to be split) against one thread: every a and given, every
 * month's volumes, the totals, bills and indicators, the same bytes;
 * for every key, both perimeters, self_share false, and weights that
 * change at interval 77 and again after the split (2024-02-24 → 04-12,
 * split at 1 March); and Σ S, Σ a those of the order before
 * (sums_in_old_order). */
TEST(two_threads_give_the_doubles_of_one)
{
	static const int from[3] = {2024, 2, 24}, to[3] = {2024, 4, 12};
	int bad_series = 0, bad_month = 0, bad_other = 0, bad_sums = 0;
	int compared = 0;
	for (int iter = 0; iter < 8; iter++) {
		size_t n = 240 + (size_t)(rnd() * 100);
		struct rcomm rc;
		rcomm_new(&rc, n, iter, from, to, 3300);
		struct cab_scenario *sc = &rc.sc;
		size_t nt = sc->n_intervals;
		CHECK(n * nt >= ((size_t)1 << 20)); /* worth a second thread */
		struct cab_run *run[2] = {NULL, NULL};
		for (int k = 0; k < 2; k++) {
			cab_share_threads(k ? 2 : 1);
			CHECK_INT(cab_run_new(sc, rc.rd, -1, &run[k], NULL),
				  CAB_OK);
		}
		cab_share_threads(0);
		for (size_t i = 0; run[0] && run[1] && i < n; i++) {
			const struct cab_participant_result *a = &run[0]->p[i],
							    *b = &run[1]->p[i];
			bad_series += memcmp(a->shared_kwh, b->shared_kwh,
					     nt * sizeof(double)) != 0 ||
				      memcmp(a->given_kwh, b->given_kwh,
					     nt * sizeof(double)) != 0;
			bad_month +=
			    memcmp(a->month, b->month,
				   run[0]->n_months * sizeof(*a->month)) != 0;
			bad_other += memcmp(&a->total, &b->total,
					    sizeof(a->total)) != 0 ||
				     a->bill.total_cents != b->bill.total_cents;
			compared++;
		}
		if (run[0] && run[1]) {
			bad_other += memcmp(&run[0]->ind, &run[1]->ind,
					    sizeof(run[0]->ind)) != 0;
			double s, a;
			sums_in_old_order(sc, run[1], &s, &a);
			bad_sums +=
			    memcmp(&s, &run[1]->ind.shared_injection_kwh,
				   sizeof(s)) != 0 ||
			    memcmp(&a, &run[1]->ind.allocated_kwh, sizeof(a)) !=
				0;
		}
		cab_run_free(run[0]);
		cab_run_free(run[1]);
		rcomm_free(&rc);
	}
	CHECK(compared >= 8 * 240);
	CHECK_INT(bad_series, 0);
	CHECK_INT(bad_month, 0);
	CHECK_INT(bad_other, 0);
	CHECK_INT(bad_sums, 0);
}

static const struct harness_test tests[] = {
    T(block_length_follows_the_pool_size),
    T(sum_order_follows_the_pool_size),
    T(volumes_of_the_block_loop_are_those_of_a_second_pass),
    T(two_threads_give_the_doubles_of_one),
};
HARNESS_MAIN("test_share", tests)
