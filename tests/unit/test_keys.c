/*
 * test_keys.c — the sharing keys of SPEC §2: the worked examples by hand,
 * then the invariants of SPEC §9 as properties on random pools.
 */
#include <stdint.h>

#include "cabine/key.h"
#include "harness.h"
#include "keys/keys.h"

/* Run key `name` on one interval. */
static void alloc_with(const char *name, size_t n, const double *w,
		       bool until_done, const int *group, size_t n_groups,
		       const char *group_key, const double *d, double s,
		       double *a)
{
	const struct cab_key_ops *k = cab_key_find(name);
	CHECK(k != NULL);
	if (!k)
		return;
	struct cab_key_params p = {.n = n,
				   .weight = w,
				   .is_until_done = until_done,
				   .group = group,
				   .n_groups = n_groups,
				   .group_key = group_key};
	void *st = NULL;
	CHECK_INT(k->configure(&p, &st, NULL), CAB_OK);
	k->allocate(st, d, s, a);
	/* optimal: GLPK solved it (its fallback, the proportional key,
	 * would give the same numbers when the values are equal). */
	if (k == &cab_key_optimal)
		CHECK_INT(cab_key_optimal_failures(st), 0);
	k->free_state(st);
}

static const double D4[4] = {1, 2, 4, 6};
static const double EQ4[4] = {0.25, 0.25, 0.25, 0.25};
static const double W4[4] = {0.4, 0.3, 0.2, 0.1};

static void check4(const double *a, double a0, double a1, double a2, double a3)
{
	CHECK_NEAR(a[0], a0, 1e-6);
	CHECK_NEAR(a[1], a1, 1e-6);
	CHECK_NEAR(a[2], a2, 1e-6);
	CHECK_NEAR(a[3], a3, 1e-6);
}

/* S = 10, w = 25 %: w·S = 2.5 each; A and B take their demand 1 and 2. */
TEST(fixed_one_round_leaves_rest_unallocated)
{
	double a[4];
	alloc_with("fixed", 4, EQ4, false, NULL, 0, NULL, D4, 10, a);
	check4(a, 1, 2, 2.5, 2.5); /* Σ = 8, 2 unallocated */
}

/* Rest 2 goes to C and D (unsaturated, equal weights): 1 each. */
TEST(fixed_until_done_reshares_rest_among_unsaturated)
{
	double a[4];
	alloc_with("fixed", 4, EQ4, true, NULL, 0, NULL, D4, 10, a);
	check4(a, 1, 2, 3.5, 3.5);
}

/* w·S = [4,3,2,1]: min with D = [1,2,2,1], 4 unallocated. */
TEST(fixed_uneven_weights_one_round)
{
	double a[4];
	alloc_with("fixed", 4, W4, false, NULL, 0, NULL, D4, 10, a);
	check4(a, 1, 2, 2, 1);
}

/* Rest 4 to C (0.2) and D (0.1): C +2.667→ capped at 4 (+2), D +1.333;
 * then rest 0.667 all to D: D = 1 + 1.333 + 0.667 = 3. */
TEST(fixed_until_done_uneven_weights)
{
	double a[4];
	alloc_with("fixed", 4, W4, true, NULL, 0, NULL, D4, 10, a);
	check4(a, 1, 2, 4, 3);
}

/* ΣD = 13 > S = 10: a_i = D_i · 10/13. */
TEST(proportional_scales_demand_by_supply_over_need)
{
	double a[4];
	alloc_with("proportional", 4, NULL, false, NULL, 0, NULL, D4, 10, a);
	check4(a, 0.769231, 1.538462, 3.076923, 4.615385);
}

TEST(proportional_gives_full_demand_when_supply_suffices)
{
	double a[4];
	alloc_with("proportional", 4, NULL, false, NULL, 0, NULL, D4, 20, a);
	check4(a, 1, 2, 4, 6);
}

TEST(proportional_gives_nothing_without_demand)
{
	double d[3] = {0, 0, 0}, a[3] = {9, 9, 9};
	alloc_with("proportional", 3, NULL, false, NULL, 0, NULL, d, 5, a);
	CHECK_NEAR(a[0] + a[1] + a[2], 0, 0);
}

/* Fixed round [1,2,2.5,2.5], rest 2 pro rata of residual need [0,0,1.5,3.5]
 * (Σ 5): C +0.6, D +1.4. */
TEST(hybrid_gives_rest_pro_rata_of_residual_need)
{
	double a[4];
	alloc_with("hybrid", 4, EQ4, false, NULL, 0, NULL, D4, 10, a);
	check4(a, 1, 2, 3.1, 3.9);
}

/* Group 0 = {C} takes 4 of S = 10; group 1 = {A, B, D} shares the rest 6
 * proportionally to [1, 2, 6] (Σ 9): 6/9 each unit. */
TEST(priority_serves_first_group_first)
{
	double a[4];
	int g[4] = {1, 1, 0, 1};
	alloc_with("priority", 4, NULL, false, g, 2, NULL, D4, 10, a);
	check4(a, 1 * 6.0 / 9, 2 * 6.0 / 9, 4, 6 * 6.0 / 9);
}

/* Groups served by "hybrid" with the members' weights. S = 10.
 * Group 0 = {D}, w 0.1: fixed 1, rest 9 pro rata of need 5 → D = 6.
 * Group 1 = {A, B, C} from the rest 4, w 0.4/0.3/0.2: fixed round
 * min(D, w·4) = [1, 1.2, 0.8] (Σ 3), rest 1 pro rata of residual need
 * [0, 0.8, 3.2] → B +0.2, C +0.8. */
TEST(priority_groups_can_use_their_weights)
{
	double a[4];
	int g[4] = {1, 1, 1, 0};
	alloc_with("priority", 4, W4, false, g, 2, "hybrid", D4, 10, a);
	check4(a, 1, 1.4, 1.6, 6);
}

/* At 1e8 kWh the float sum of the shares misses S by ~1e-8, far above
 * ε: the rounds must stop anyway (this once looped forever). No one is
 * saturated, so a_i = w_i·S. */
TEST(fixed_until_done_stops_on_rounding_crumbs)
{
	double d[3] = {1e9, 1e9, 1e9}, w[3] = {0.3, 0.3, 0.4}, a[3];
	double s = 1e8 + 0.1;
	alloc_with("fixed", 3, w, true, NULL, 0, NULL, d, s, a);
	CHECK_NEAR(a[0], 0.3 * s, 1e-6);
	CHECK_NEAR(a[2], 0.4 * s, 1e-6);
	CHECK(a[0] + a[1] + a[2] <= s + 1e-6);
}

TEST(registry_lists_every_key_once)
{
	const struct cab_key_ops *const *all = cab_key_all();
	size_t n = 0;
	for (; all[n]; n++) {
		CHECK(all[n]->summary && all[n]->summary[0]);
		CHECK(cab_key_find(all[n]->name) == all[n]);
	}
	CHECK_INT(n, 5);
	CHECK(cab_key_find("nope") == NULL);
}

/* A priority group may use proportional, fixed or hybrid inside, never
 * priority itself nor optimal; the messages list the registry's names. */
TEST(registry_says_which_keys_can_serve_a_group)
{
	const char *can[] = {"fixed", "proportional", "hybrid"};
	const char *cannot[] = {"priority", "optimal"};
	for (size_t i = 0; i < 3; i++)
		CHECK(cab_key_find(can[i]) &&
		      cab_key_find(can[i])->can_serve_group);
	for (size_t i = 0; i < 2; i++)
		CHECK(cab_key_find(cannot[i]) &&
		      !cab_key_find(cannot[i])->can_serve_group);
	char names[128];
	cab_key_names(false, names, sizeof(names));
	CHECK_STR(names, "fixed, proportional, hybrid, priority or optimal");
	cab_key_names(true, names, sizeof(names));
	CHECK_STR(names, "fixed, proportional or hybrid");
	cab_key_names(false, names, 8); /* cut short, still a string */
	CHECK_STR(names, "fixed, ");
	/* The priority key refuses a group key that cannot serve. */
	const struct cab_key_ops *k = cab_key_find("priority");
	struct cab_key_params p = {.n = 1, .group_key = "optimal"};
	void *st = NULL;
	CHECK_INT(k->configure(&p, &st, NULL), CAB_EINPUT);
	CHECK(st == NULL);
}

/* Run "optimal" with member values v (NULL = equal). */
static void optimal(size_t n, const double *v, bool fairness_first,
		    const double *d, double s, double *a)
{
	const struct cab_key_ops *k = cab_key_find("optimal");
	CHECK(k != NULL);
	if (!k)
		return;
	struct cab_key_params p = {
	    .n = n, .value = v, .is_fairness_first = fairness_first};
	void *st = NULL;
	CHECK_INT(k->configure(&p, &st, NULL), CAB_OK);
	k->allocate(st, d, s, a);
	/* optimal: GLPK solved it (its fallback, the proportional key,
	 * would give the same numbers when the values are equal). */
	if (k == &cab_key_optimal)
		CHECK_INT(cab_key_optimal_failures(st), 0);
	k->free_state(st);
}

/* Equal values: every allocation of all of S saves the same, and the
 * fairest of them (max–min share a_i / D_i) is the proportional one:
 * the worked example's 0.769231, 1.538462, 3.076923, 4.615385. */
TEST(optimal_with_equal_values_is_proportional)
{
	double a[4];
	optimal(4, NULL, false, D4, 10, a);
	check4(a, 10.0 / 13, 20.0 / 13, 40.0 / 13, 60.0 / 13);
	optimal(4, NULL, true, D4, 10, a);
	check4(a, 10.0 / 13, 20.0 / 13, 40.0 / 13, 60.0 / 13);
	/* Enough for all: a = D without solving. */
	optimal(4, NULL, false, D4, 20, a);
	check4(a, 1, 2, 4, 6);
}

/* D pays 21 % VAT, the others 6 %: a kWh given to D saves 1.21 against
 * 1.06, so the saving-first programme serves D fully (6), and splits the
 * remaining 4 fairly among A, B, C (share 4/7 each: 4/7, 8/7, 16/7). The
 * fairness-first programme keeps the max–min share 10/13 for everyone,
 * which already uses all of S: proportional. */
TEST(optimal_serves_the_largest_saving_then_fairly)
{
	const double v[4] = {1.06, 1.06, 1.06, 1.21};
	double a[4];
	optimal(4, v, false, D4, 10, a);
	check4(a, 4.0 / 7, 8.0 / 7, 16.0 / 7, 6);
	optimal(4, v, true, D4, 10, a);
	check4(a, 10.0 / 13, 20.0 / 13, 40.0 / 13, 60.0 / 13);
	/* A member without demand gets nothing and does not bind z. */
	const double d0[4] = {0, 2, 4, 6};
	optimal(4, v, false, d0, 7, a);
	check4(a, 0, 2.0 / 6, 4.0 / 6, 6); /* share 1/6 for B and C */
}

/* xorshift64*: deterministic random communities. */
static uint64_t rng_state = 88172645463325252ull;
static double rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) /
	       9007199254740992.0;
}

/* SPEC §9 for every key on 2,000 random pools: 0 ≤ a_i ≤ D_i, Σa ≤ S;
 * the work-conserving keys leave nothing while demand remains. */
TEST(every_key_conserves_energy_on_random_pools)
{
	const char *keys[] = {"fixed",	"fixed+",   "proportional",
			      "hybrid", "priority", "optimal"};
	int bad = 0, lazy = 0;
	for (int iter = 0; iter < 2000; iter++) {
		size_t n = 1 + (size_t)(rnd() * 40);
		double d[41], w[41], a[41], sumw = 0, sumd = 0;
		int g[41];
		for (size_t i = 0; i < n; i++) {
			d[i] = rnd() < 0.2 ? 0 : rnd() * 3;
			w[i] = rnd();
			sumw += w[i];
			g[i] = (int)(rnd() * 3);
			sumd += d[i];
		}
		double scale = rnd() < 0.5 ? 1.0 : rnd();
		for (size_t i = 0; i < n; i++)
			w[i] = w[i] / sumw * scale; /* Σw ≤ 1 */
		double s = rnd() * sumd * 1.5;
		for (size_t k = 0; k < 6; k++) {
			bool until = k == 1;
			const char *name = k == 1 ? "fixed" : keys[k];
			alloc_with(name, n, w, until, g, 3, NULL, d, s, a);
			double sum = 0;
			for (size_t i = 0; i < n; i++) {
				if (a[i] < 0 || a[i] > d[i] + 1e-9)
					bad++;
				sum += a[i];
			}
			if (sum > s + 1e-9)
				bad++;
			/* until-done with Σw = 1 and every w > 0, proportional,
			 * hybrid and priority hand out min(S, ΣD). */
			bool conserving = k >= 2 || (k == 1 && scale == 1.0);
			double want = s < sumd ? s : sumd;
			if (conserving && fabs(sum - want) > 1e-6)
				lazy++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(lazy, 0);
}

static const struct harness_test tests[] = {
    T(fixed_one_round_leaves_rest_unallocated),
    T(fixed_until_done_reshares_rest_among_unsaturated),
    T(fixed_uneven_weights_one_round),
    T(fixed_until_done_uneven_weights),
    T(proportional_scales_demand_by_supply_over_need),
    T(proportional_gives_full_demand_when_supply_suffices),
    T(proportional_gives_nothing_without_demand),
    T(hybrid_gives_rest_pro_rata_of_residual_need),
    T(priority_serves_first_group_first),
    T(priority_groups_can_use_their_weights),
    T(fixed_until_done_stops_on_rounding_crumbs),
    T(registry_lists_every_key_once),
    T(registry_says_which_keys_can_serve_a_group),
    T(optimal_with_equal_values_is_proportional),
    T(optimal_serves_the_largest_saving_then_fairly),
    T(every_key_conserves_energy_on_random_pools),
};
HARNESS_MAIN("test_keys", tests)
