/*
 * test_fill.c — gap filling by hand: linear between neighbours, limits of
 * the gap length and of the series' ends, the mean week profile.
 */
#include <math.h>

#include "cabine/fill.h"
#include "cabine/time.h"
#include "harness.h"

/* 1, _, _, 4 → 2, 3 (the line from 1 to 4 in three steps). */
TEST(linear_fills_a_short_gap_between_neighbours)
{
	double v[4] = {1, NAN, NAN, 4};
	bool f[4] = {0};
	CHECK_INT(cab_fill_linear(v, 4, 2, f), 2);
	CHECK_NEAR(v[1], 2, 1e-12);
	CHECK_NEAR(v[2], 3, 1e-12);
	CHECK(!f[0] && f[1] && f[2] && !f[3]);
}

/* A gap longer than max_gap and gaps at either end stay missing. */
TEST(linear_leaves_long_gaps_and_ends_missing)
{
	double v[8] = {NAN, 1, NAN, NAN, NAN, 5, 6, NAN};
	CHECK_INT(cab_fill_linear(v, 8, 2, NULL), 0);
	CHECK(isnan(v[0]) && isnan(v[2]) && isnan(v[4]) && isnan(v[7]));
	/* With max_gap 3 the middle gap fills: 2, 3, 4. */
	CHECK_INT(cab_fill_linear(v, 8, 3, NULL), 3);
	CHECK_NEAR(v[2], 2, 1e-12);
	CHECK_NEAR(v[4], 4, 1e-12);
	CHECK(isnan(v[0]) && isnan(v[7]));
}

/* Two weeks from Monday 2024-03-04 local: Monday 10:00 is 1 in week one
 * and missing in week two → filled with the mean of its slot, 1; a slot
 * missing in both weeks stays missing. */
TEST(profile_fills_from_the_mean_week)
{
	int64_t t0 = cab_time_local_midnight(2024, 3, 4);
	enum { N = 14 * 96 };
	static double v[N];
	for (size_t t = 0; t < N; t++)
		v[t] = (double)(t % 96) / 96.0;
	size_t mon10 = 40, mon10_w2 = 7 * 96 + 40;
	v[mon10] = 1;
	v[mon10_w2] = NAN;
	v[5] = NAN;
	v[7 * 96 + 5] = NAN;
	CHECK_INT(cab_fill_profile(v, N, t0, NULL), 1);
	CHECK_NEAR(v[mon10_w2], 1, 1e-12);
	CHECK(isnan(v[5]) && isnan(v[7 * 96 + 5]));
}

static const struct harness_test tests[] = {
    T(linear_fills_a_short_gap_between_neighbours),
    T(linear_leaves_long_gaps_and_ends_missing),
    T(profile_fills_from_the_mean_week),
};
HARNESS_MAIN("test_fill", tests)
