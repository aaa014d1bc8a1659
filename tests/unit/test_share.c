/*
 * test_share.c — the block loop of engine/sharing/share.c (issue 18):
 * the block length it picks from a pool's size, and the volumes it adds
 * while it writes a and given, against an independent second pass over
 * the series it wrote (cab_volumes_of, the pass the loop replaced), bit
 * for bit, on random communities large enough that blocks are shorter
 * than 64 intervals and a month ends inside a block.
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

/* 64 intervals up to 409 members (64 × 409 × 40 B ≤ 1 MiB); then the
 * longest multiple of 8 that keeps 40 B per member-interval within 1 MiB:
 * 1,000 members → 1 MiB / 40,000 B = 26.2 → 24; never below 8. */
TEST(block_length_follows_the_pool_size)
{
	CHECK_INT(cab_share_block_len(0), 64);
	CHECK_INT(cab_share_block_len(1), 64);
	CHECK_INT(cab_share_block_len(409), 64);
	CHECK_INT(cab_share_block_len(410), 56);
	CHECK_INT(cab_share_block_len(1000), 24);
	CHECK_INT(cab_share_block_len(3000), 8);
	CHECK_INT(cab_share_block_len(100000), 8);
	int bad = 0;
	for (size_t n = 1; n <= 6000; n++) {
		size_t tb = cab_share_block_len(n);
		if (tb < 8 || tb > CAB_SHARE_BLOCK || tb % 8 ||
		    (tb > 8 &&
		     tb * n * 5 * sizeof(double) > CAB_SHARE_BLOCK_BYTES))
			bad++;
	}
	CHECK_INT(bad, 0);
}

/* The run's monthly volumes and totals, made by the block loop, against
 * cab_volumes_of() reading the run's C, P, a and given afterwards: the
 * same doubles (memcmp), for every key, both perimeters, self_share
 * false, weights that change at interval 77, net meters and missing
 * data, over 2024-03-30 → 04-03 (a month ends on day 2, inside a block
 * whatever its length). */
TEST(volumes_of_the_block_loop_are_those_of_a_second_pass)
{
	const char *keys[] = {"fixed", "proportional", "hybrid", "priority"};
	int runs = 0, bad_month = 0, bad_total = 0, compared = 0;
	for (int iter = 0; iter < 12; iter++) {
		size_t n = iter % 3 == 0 ? 1200 : 3 + (size_t)(rnd() * 40);
		struct cab_scenario sc;
		memset(&sc, 0, sizeof(sc));
		sc.path = "test";
		sc.name = "test";
		sc.start_y = 2024, sc.start_m = 3, sc.start_d = 30;
		sc.end_y = 2024, sc.end_m = 4, sc.end_d = 3;
		sc.t0_s = cab_time_local_midnight(2024, 3, 30);
		sc.n_intervals =
		    (size_t)((cab_time_local_midnight(2024, 4, 3) - sc.t0_s) /
			     900);
		sc.n_days = 4;
		char cid[2][4] = {"c0", "c1"};
		struct cab_cabin cabins[2] = {{cid[0], NULL, 'A'},
					      {cid[1], NULL, 'C'}};
		sc.n_cabins = 2;
		sc.cabins = cabins;
		struct cab_participant *p = calloc(n, sizeof(*p));
		char(*ids)[16] = calloc(n, 16);
		char(*mc)[16] = calloc(n, 16);
		char(*mp)[16] = calloc(n, 16);
		size_t nt = sc.n_intervals;
		double *c = malloc(nt * sizeof(double));
		double *pv = malloc(nt * sizeof(double));
		double *bw = malloc(2 * n * sizeof(double));
		size_t first[2] = {0, 77};
		struct cab_readings *rd = NULL;
		CHECK_INT(cab_readings_new(sc.t0_s, nt, &rd, NULL), CAB_OK);
		sc.participants = p;
		sc.n_participants = n;
		sc.tariff.supplier_day_eur_kwh = 0.25;
		sc.tariff.network_eur_kwh = 0.12;
		sc.tariff.day_start_h = 7, sc.tariff.day_end_h = 22;
		for (size_t i = 0; i < n; i++) {
			snprintf(ids[i], 16, "h%u", (unsigned)i);
			snprintf(mc[i], 16, "h%u-c", (unsigned)i);
			snprintf(mp[i], 16, "h%u-p", (unsigned)i);
			p[i].id = ids[i];
			p[i].cabin = (int)(i % 2);
			p[i].weight = rnd() / (double)n;
			p[i].has_weight = true;
			p[i].priority_group = rnd() < 0.3 ? 0 : 1;
			bw[i] = p[i].weight;
			bw[n + i] = rnd() / (double)n;
			bool is_net = rnd() < 0.2, has_pv = rnd() < 0.4;
			for (size_t t = 0; t < nt; t++) {
				int q = (int)(t % 96);
				c[t] = rnd() < 0.02 ? NAN : 0.3 * rnd();
				pv[t] = has_pv && q > 30 && q < 70 ? rnd() : 0;
			}
			cab_readings_put(rd, mc[i], c, NULL);
			if (is_net)
				p[i].meter_offtake = mc[i];
			else
				p[i].meter_consumption = mc[i];
			if (has_pv) {
				cab_readings_put(rd, mp[i], pv, NULL);
				if (is_net)
					p[i].meter_injection = mp[i];
				else
					p[i].meter_production = mp[i];
			}
		}
		snprintf(sc.sharing.key, sizeof(sc.sharing.key), "%s",
			 keys[iter % 4]);
		sc.sharing.has_weights = true;
		sc.sharing.is_until_done = iter % 5 == 0;
		sc.sharing.n_groups = 2;
		sc.sharing.perimeter =
		    iter % 2 ? CAB_PERIMETER_CABIN : CAB_PERIMETER_COMMUNITY;
		sc.sharing.is_without_self_share = iter % 4 == 1;
		if (iter % 3 != 2) {
			sc.sharing.n_weight_blocks = 2;
			sc.sharing.block_first = first;
			sc.sharing.block_weight = bw;
		}
		sc.billing.mode = CAB_BILLING_SHARED;
		struct cab_run *run = NULL;
		struct cab_calendar cal = {0};
		CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
		CHECK_INT(cab_calendar_init(&cal, sc.t0_s, nt, &sc.tariff),
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
		cab_readings_free(rd);
		free(p), free(ids), free(mc), free(mp), free(c), free(pv),
		    free(bw);
	}
	CHECK_INT(runs, 12);
	CHECK(compared > 4 * 1200);
	CHECK_INT(bad_month, 0);
	CHECK_INT(bad_total, 0);
}

static const struct harness_test tests[] = {
    T(block_length_follows_the_pool_size),
    T(volumes_of_the_block_loop_are_those_of_a_second_pass),
};
HARNESS_MAIN("test_share", tests)
