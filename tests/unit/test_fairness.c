/*
 * test_fairness.c — SPEC §12 fairness: worse-off count and the spread of
 * savings by hand; Shapley shares by hand, exact against the permutation
 * definition (every order of 5 members, each coalition valued by
 * cab_fairness_coalition_value, the definition written out), sampled
 * against exact, and the shares adding up to the community's value on
 * random communities.
 */
#include <math.h>
#include <stdint.h>

#include "cabine/fairness.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "community.h"
#include "harness.h"

static uint64_t rng = 0x1234567887654321ULL;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* A run of n participants of community.h with C and P from c, pv. */
static struct cab_run *run_of(struct cab_scenario *sc, size_t n, double c[][96],
			      double pv[][96], struct cab_readings **rd)
{
	*rd = NULL;
	CHECK_INT(cab_readings_new(sc->t0_s, 96, rd, NULL), CAB_OK);
	for (size_t i = 0; i < n && *rd; i++) {
		cab_readings_put(*rd, sc->participants[i].meter_consumption,
				 c[i], NULL);
		cab_readings_put(*rd, sc->participants[i].meter_production,
				 pv[i], NULL);
	}
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(sc, *rd, -1, &run, NULL), CAB_OK);
	return run;
}

/* One interval at 10:00 (day): A takes 2, P produces 3. Alone neither
 * saves (A has no surplus, P no demand); together A receives 2 worth
 * (0.25 + 0.12 − 0.15 − 0.05) · 1.06 = 0.1802 each: v(N) = 0.3604, and
 * by symmetry of their marginal contributions each gets 0.1802. */
TEST(shapley_by_hand_splits_what_they_create_together)
{
	struct cab_scenario sc;
	struct cab_participant p[2];
	char ids[2][8], meters[2][2][12];
	make_scenario(&sc, p, 2, ids, meters);
	double c[2][96] = {{0}}, pv[2][96] = {{0}};
	c[0][40] = 2, pv[1][40] = 3;
	struct cab_readings *rd;
	struct cab_run *run = run_of(&sc, 2, c, pv, &rd);
	struct cab_fairness *f = NULL;
	CHECK_INT(cab_fairness_new(run, true, &f, NULL), CAB_OK);
	if (f) {
		CHECK(f->has_shapley && f->is_exact);
		CHECK_NEAR(f->value_eur, 0.3604, 1e-12);
		CHECK_NEAR(f->member[0].shapley_eur, 0.1802, 1e-12);
		CHECK_NEAR(f->member[1].shapley_eur, 0.1802, 1e-12);
		CHECK_NEAR(f->member[0].shapley_se_eur, 0, 0);
	}
	cab_fairness_free(f);
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Savings of four by hand: a consumes 2 at 10:00 and receives 2 of b's
 * 3 (bill 0.53, alone 0.89: saves 0.36, test_run's hand bill); b sells
 * 2 at 0.15 instead of 0.03 (−0.30 − 0.02 against −0.08: saves 0.24); c
 * consumes only at night, when nothing is shared (saves 0); d is idle
 * (saves 0). Savings sorted: 0, 0, 0.24, 0.36 → median (0 + 0.24) / 2 =
 * 0.12. With a sharing price above the grid's, a pays more than alone. */
TEST(worse_off_and_the_spread_of_savings)
{
	struct cab_scenario sc;
	struct cab_participant p[4];
	char ids[4][8], meters[4][2][12];
	make_scenario(&sc, p, 4, ids, meters);
	double c[4][96] = {{0}}, pv[4][96] = {{0}};
	c[0][40] = 2, pv[1][40] = 3, c[1][40] = 0, c[2][2] = 1;
	struct cab_readings *rd;
	struct cab_run *run = run_of(&sc, 4, c, pv, &rd);
	struct cab_fairness *f = NULL;
	CHECK_INT(cab_fairness_new(run, false, &f, NULL), CAB_OK);
	if (f) {
		CHECK(!f->has_shapley);
		CHECK_INT(f->n_counted, 4);
		CHECK_INT(f->worse_off, 0);
		CHECK_INT(f->member[0].saving_cents, 36);
		CHECK_INT(f->member[1].saving_cents, 24);
		CHECK_INT(f->member[2].saving_cents, 0);
		CHECK_INT(f->min_saving_cents, 0);
		CHECK_INT(f->median_saving_cents, 12);
		CHECK_INT(f->max_saving_cents, 36);
		CHECK(isnan(f->member[0].shapley_eur));
	}
	cab_fairness_free(f);
	cab_run_free(run);
	/* Shared price 0.45: A pays 2 × (0.45 + 0.05 + 0.05) · 1.06 = 1.17
	 * (rounded per line) against 0.89 alone. */
	sc.sharing.price_eur_kwh = 0.45;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	CHECK_INT(cab_fairness_new(run, false, &f, NULL), CAB_OK);
	if (f) {
		CHECK_INT(f->worse_off, 1);
		CHECK(f->member[0].saving_cents < 0);
	}
	cab_fairness_free(f);
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Random day of n participants: prosumers, consumers, one at 21 % VAT. */
static struct cab_run *random_run(struct cab_scenario *sc,
				  struct cab_participant *p, size_t n,
				  char ids[][8], char meters[][2][12],
				  struct cab_readings **rd)
{
	make_scenario(sc, p, n, ids, meters);
	p[n - 1].vat = 0.21;
	double c[16][96], pv[16][96];
	for (size_t i = 0; i < n; i++) {
		double kwp = rnd() < 0.4 ? 1 + rnd() * 3 : 0;
		for (size_t t = 0; t < 96; t++) {
			c[i][t] = rnd() * 0.6;
			double h = (double)t / 4;
			pv[i][t] = h > 7 && h < 19
				       ? kwp * sin(M_PI * (h - 7) / 12) * rnd()
				       : 0;
		}
	}
	return run_of(sc, n, c, pv, rd);
}

/* φ_i by its definition: the mean over all 5! orders of what i's arrival
 * adds, each coalition valued by the definition of SPEC §12. */
TEST(exact_shapley_matches_the_permutation_definition)
{
	struct cab_scenario sc;
	struct cab_participant p[5];
	char ids[5][8], meters[5][2][12];
	struct cab_readings *rd;
	struct cab_run *run = random_run(&sc, p, 5, ids, meters, &rd);
	double v[32];
	for (unsigned mask = 0; mask < 32; mask++) {
		bool in[5];
		for (unsigned i = 0; i < 5; i++)
			in[i] = mask >> i & 1;
		v[mask] = cab_fairness_coalition_value(run, in);
	}
	double phi[5] = {0};
	int perm[5] = {0, 1, 2, 3, 4}, n_perm = 0;
	/* Heap's algorithm over the 120 orders. */
	int cnt[5] = {0};
	for (int k = 0;;) {
		unsigned pre = 0;
		for (int j = 0; j < 5; j++) {
			phi[perm[j]] += v[pre | 1u << perm[j]] - v[pre];
			pre |= 1u << perm[j];
		}
		n_perm++;
		while (k < 5 && cnt[k] >= k) {
			cnt[k] = 0;
			k++;
		}
		if (k >= 5)
			break;
		int a = k % 2 ? cnt[k] : 0, t = perm[a];
		perm[a] = perm[k], perm[k] = t;
		cnt[k]++;
		k = 1;
	}
	CHECK_INT(n_perm, 120);
	struct cab_fairness *f = NULL;
	CHECK_INT(cab_fairness_new(run, true, &f, NULL), CAB_OK);
	double sum = 0;
	for (int i = 0; f && i < 5; i++) {
		CHECK_NEAR(f->member[i].shapley_eur, phi[i] / 120, 1e-9);
		sum += f->member[i].shapley_eur;
	}
	CHECK(f && f->is_exact);
	CHECK_NEAR(sum, v[31], 1e-9);
	CHECK(v[31] > 0.1); /* not vacuous: the community creates value */
	/* Sampled (forced): within 4 standard errors of exact, and the
	 * shares still add up to v(N). */
	struct cab_fairness *g = NULL;
	struct cab_fairness_opts o = {
	    .is_shapley = true, .exact_max = 2, .orders = 4000};
	CHECK_INT(cab_fairness_new_opts(run, &o, &g, NULL), CAB_OK);
	double gsum = 0;
	int off = 0;
	for (int i = 0; g && f && i < 5; i++) {
		const struct cab_fairness_member *m = &g->member[i];
		off += fabs(m->shapley_eur - f->member[i].shapley_eur) >
		       4 * m->shapley_se_eur + 1e-12;
		gsum += m->shapley_eur;
	}
	CHECK(g && !g->is_exact && g->orders == 4000);
	CHECK_INT(off, 0);
	CHECK_NEAR(gsum, v[31], 1e-9);
	/* Seeded: the same run gives the same numbers. */
	struct cab_fairness *h = NULL;
	CHECK_INT(cab_fairness_new_opts(run, &o, &h, NULL), CAB_OK);
	for (int i = 0; g && h && i < 5; i++)
		CHECK(g->member[i].shapley_eur == h->member[i].shapley_eur);
	cab_fairness_free(f);
	cab_fairness_free(g);
	cab_fairness_free(h);
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Random communities of 3 to 14, exact and sampled: the shares add up
 * to v(N) as the definition computes it (cab_fairness_coalition_value
 * of everyone), and so does value_eur. */
TEST(shapley_shares_add_up_to_the_community_value)
{
	int bad_sum = 0, runs = 0;
	for (int rep = 0; rep < 12; rep++) {
		size_t n = 3 + (size_t)(rnd() * 12);
		struct cab_scenario sc;
		struct cab_participant p[16];
		char ids[16][8], meters[16][2][12];
		struct cab_readings *rd;
		struct cab_run *run = random_run(&sc, p, n, ids, meters, &rd);
		if (!run) {
			cab_readings_free(rd);
			continue;
		}
		bool in[16];
		for (size_t i = 0; i < n; i++)
			in[i] = true;
		double vn = cab_fairness_coalition_value(run, in);
		struct cab_fairness_opts o = {.is_shapley = true,
					      .exact_max = rep % 2 ? 4 : 12,
					      .orders = 300};
		struct cab_fairness *f = NULL;
		CHECK_INT(cab_fairness_new_opts(run, &o, &f, NULL), CAB_OK);
		double sum = 0;
		for (size_t i = 0; f && i < n; i++)
			sum += f->member[i].shapley_eur;
		bad_sum += !f || fabs(sum - vn) > 1e-9 * (1 + vn) ||
			   fabs(f->value_eur - vn) > 1e-9 * (1 + vn);
		runs++;
		cab_fairness_free(f);
		cab_run_free(run);
		cab_readings_free(rd);
	}
	CHECK_INT(runs, 12);
	CHECK_INT(bad_sum, 0);
}

static const struct harness_test tests[] = {
    T(shapley_by_hand_splits_what_they_create_together),
    T(worse_off_and_the_spread_of_savings),
    T(exact_shapley_matches_the_permutation_definition),
    T(shapley_shares_add_up_to_the_community_value),
};
HARNESS_MAIN("test_fairness", tests)
