/*
 * test_curves.c — load-curve statistics against direct computation:
 * quartiles by hand, the mean week, seasons, DST days and the
 * coincidence factor as a group grows.
 */
#include <math.h>

#include "cabine/curves.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "harness.h"

/* Type-7 quantiles of 1, 2, 3, 4: h = 3p → q1 = 1.75, median 2.5,
 * q3 = 3.25; a single value is every quantile. */
TEST(quantiles_interpolate_between_order_statistics)
{
	double x[4] = {1, 2, 3, 4};
	CHECK_NEAR(cab_curves_quantile(x, 4, 0.25), 1.75, 1e-12);
	CHECK_NEAR(cab_curves_quantile(x, 4, 0.5), 2.5, 1e-12);
	CHECK_NEAR(cab_curves_quantile(x, 4, 0.75), 3.25, 1e-12);
	CHECK_NEAR(cab_curves_quantile(x, 1, 0.25), 1, 0);
	CHECK(isnan(cab_curves_quantile(x, 0, 0.5)));
}

/* Two weeks of March 2024 (Mon 18 → Mon 1 April, DST on Sunday 31).
 * A uses k kWh at 08:00 local on day k (k = 1..14), 0 elsewhere: the
 * 08:00 slot holds 1..14 → median 7.5, q1 = 1 + 13 × 0.25 = 4.25,
 * mean 7.5. B uses a constant 0.1: the community is A + B. */
TEST(day_statistics_week_profile_and_dst)
{
	struct cab_scenario sc;
	memset(&sc, 0, sizeof(sc));
	struct cab_participant p[2];
	memset(p, 0, sizeof(p));
	char *ids[2] = {"a", "b"}, *m[2] = {"a-c", "b-c"};
	for (int i = 0; i < 2; i++)
		p[i].id = ids[i], p[i].meter_consumption = m[i],
		p[i].cabin = -1;
	sc.path = "t.json", sc.name = "t";
	sc.start_y = 2024, sc.start_m = 3, sc.start_d = 18;
	sc.end_y = 2024, sc.end_m = 4, sc.end_d = 1;
	sc.t0_s = cab_time_local_midnight(2024, 3, 18);
	sc.n_intervals =
	    (size_t)((cab_time_local_midnight(2024, 4, 1) - sc.t0_s) / 900);
	CHECK_INT(sc.n_intervals, 14 * 96 - 4);
	sc.n_participants = 2, sc.participants = p;
	sc.tariff.day_start_h = 7, sc.tariff.day_end_h = 22;
	sc.billing.mode = CAB_BILLING_INDIVIDUAL;
	struct cab_readings *rd = NULL;
	cab_readings_new(sc.t0_s, sc.n_intervals, &rd, NULL);
	double a[1400], b[1400];
	for (size_t t = 0; t < sc.n_intervals; t++) {
		struct cab_civil lc;
		cab_time_to_local(sc.t0_s + (int64_t)t * 900, &lc);
		int day = lc.day >= 18 ? lc.day - 17 : lc.day + 14; /* 1..14 */
		a[t] = lc.hour == 8 && lc.minute == 0 ? day : 0;
		b[t] = 0.1;
	}
	cab_readings_put(rd, "a-c", a, NULL);
	cab_readings_put(rd, "b-c", b, NULL);
	struct cab_run *run = NULL;
	struct cab_curves *cv = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run)
		CHECK_INT(cab_curves_new(run, &cv, NULL), CAB_OK);
	if (cv) {
		CHECK_INT(cv->n, 3); /* a, b, community */
		const struct cab_curve_stats *st = &cv->subject[0].stats[0][0];
		CHECK_NEAR(st->median[32], 7.5, 1e-12);
		CHECK_NEAR(st->q1[32], 4.25, 1e-12);
		CHECK_NEAR(st->q3[32], 10.75, 1e-12);
		CHECK_NEAR(st->mean[32], 7.5, 1e-12);
		CHECK_NEAR(st->median[33], 0, 0);
		/* Mean week: Monday 08:00 holds days 1 and 8 → 4.5. */
		CHECK_NEAR(st->week_mean[32], 4.5, 1e-12);
		/* Spring and winter: all days are in March → spring = all,
		 * winter has no value. */
		CHECK_NEAR(cv->subject[0].stats[0][2].median[32], 7.5, 1e-12);
		CHECK(isnan(cv->subject[0].stats[0][1].median[32]));
		/* Community = A + B. */
		const struct cab_curve_stats *cs = &cv->subject[2].stats[0][0];
		CHECK_NEAR(cs->mean[32], 7.6, 1e-12);
		CHECK_NEAR(cs->mean[10], 0.1, 1e-12);
		/* Net = C − P = C (no production). */
		CHECK_NEAR(cv->subject[0].stats[2][0].mean[32], 7.5, 1e-12);
		/* Coincidence of {a}: 1; of {a, b}: max Σ = 14.1 at the 14th
		 * day's 08:00, Σ max = 14 + 0.1 → 1. */
		CHECK_NEAR(cv->subject[2].coincidence[0], 1, 1e-12);
		CHECK_NEAR(cv->subject[2].coincidence[1], 1, 1e-12);
	}
	cab_curves_free(cv);
	cab_run_free(run);
	cab_readings_free(rd);
}

static const struct harness_test tests[] = {
    T(quantiles_interpolate_between_order_statistics),
    T(day_statistics_week_profile_and_dst),
};
HARNESS_MAIN("test_curves", tests)
