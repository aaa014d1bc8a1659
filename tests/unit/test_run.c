/*
 * test_run.c — the main job on communities built in memory: bills by
 * hand to the cent, fixed terms pro rata, missing data, and the
 * invariants of SPEC §9 on random communities.
 */
#include <math.h>
#include <stdint.h>

#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "engine/billing/bill.h"
#include "harness.h"

#include "community.h"

static const struct cab_bill_line *line(const struct cab_bill *b,
					const char *name)
{
	for (size_t l = 0; l < b->n_lines; l++)
		if (!strcmp(b->lines[l].name, name))
			return &b->lines[l];
	return NULL;
}

static int64_t amount(const struct cab_bill *b, const char *name)
{
	const struct cab_bill_line *l = line(b, name);
	return l ? l->amount_cents : -999999;
}

/* One interval at 10:00 local (day rate): A consumes 2; B consumes 0.5
 * and produces 3, so O_B = 0.5, X_B = S = 2.5, D_A = 2 → a_A = 2,
 * given_B = 2, injected_B = 0.5. */
TEST(bills_of_a_consumer_and_a_producer_by_hand)
{
	struct cab_scenario sc;
	struct cab_participant p[2];
	char ids[2][8], meters[2][2][12];
	make_scenario(&sc, p, 2, ids, meters);
	struct cab_readings *rd = NULL;
	CHECK_INT(cab_readings_new(sc.t0_s, 96, &rd, NULL), CAB_OK);
	double ac[96] = {0}, apv[96] = {0}, bc[96] = {0}, bpv[96] = {0};
	ac[40] = 2, bc[40] = 0.5, bpv[40] = 3; /* 40 × 15 min = 10:00 local */
	cab_readings_put(rd, "a-c", ac, NULL);
	cab_readings_put(rd, "a-pv", apv, NULL);
	cab_readings_put(rd, "b-c", bc, NULL);
	cab_readings_put(rd, "b-pv", bpv, NULL);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		const struct cab_participant_result *a = &run->p[0],
						    *b = &run->p[1];
		CHECK_NEAR(a->total.shared_kwh, 2, 1e-12);
		CHECK_NEAR(b->total.given_kwh, 2, 1e-12);
		CHECK_NEAR(b->total.injected_kwh, 0.5, 1e-12);
		CHECK_NEAR(b->total.self_consumed_kwh, 0.5, 1e-12);
		/* A: shared 2 × 0.15 = 0.30, network_shared (B) 2 × 0.05 =
		 * 0.10, taxes 2 × 0.05 = 0.10; base 0.50, VAT 6 % 0.03. */
		CHECK_INT(amount(&a->bill, "shared_energy"), 30);
		CHECK_INT(amount(&a->bill, "network_shared"), 10);
		CHECK_INT(amount(&a->bill, "taxes"), 10);
		CHECK_INT(amount(&a->bill, "vat"), 3);
		CHECK(line(&a->bill, "supplier_day") == NULL);
		CHECK_INT(a->bill.total_cents, 53);
		/* A alone: supplier day 2 × 0.25 = 0.50, network 0.24, taxes
		 * 0.10; base 0.84, VAT 0.0504 → 0.05; total 0.89. */
		CHECK_INT(amount(&a->baseline, "supplier_day"), 50);
		CHECK_INT(amount(&a->baseline, "network"), 24);
		CHECK_INT(a->baseline.total_cents, 89);
		CHECK_INT(a->delta_cents, -36);
		/* B: sold 2 × 0.15 = −0.30; injected 0.5 × 0.03 = −0.015 →
		 * −0.02 (half away from zero). Alone: −2.5 × 0.03 = −0.075 →
		 * −0.08. */
		CHECK_INT(amount(&b->bill, "shared_sold"), -30);
		CHECK_INT(amount(&b->bill, "injection"), -2);
		CHECK_INT(b->bill.total_cents, -32);
		CHECK_INT(b->baseline.total_cents, -8);
		CHECK(line(&b->bill, "vat") == NULL);
		CHECK_NEAR(run->ind.self_consumption_rate, 2 / 2.5, 1e-12);
		/* (ΣO + Σa) / ΣC = (0.5 + 2) / 2.5 */
		CHECK_NEAR(run->ind.self_sufficiency_rate, 1.0, 1e-12);
		CHECK_NEAR(run->ind.positive_energy_balance_kwh, 0.5, 1e-12);
		/* max_t ΣC = 2.5 at 10:00; Σ max C = 2 + 0.5. */
		CHECK_NEAR(run->ind.coincidence_factor, 1.0, 1e-12);
		CHECK_INT(run->n_months, 1);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Night: 23:00 local (interval 92) is night even on a weekday. */
TEST(complementary_volume_splits_day_and_night)
{
	struct cab_scenario sc;
	struct cab_participant p[1];
	char ids[1][8], meters[1][2][12];
	make_scenario(&sc, p, 1, ids, meters);
	p[0].meter_production = NULL;
	struct cab_readings *rd = NULL;
	cab_readings_new(sc.t0_s, 96, &rd, NULL);
	double c[96] = {0};
	c[27] = 1; /* 06:45: night */
	c[28] = 2; /* 07:00: day */
	c[87] = 4; /* 21:45: day */
	c[88] = 8; /* 22:00: night */
	cab_readings_put(rd, "a-c", c, NULL);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		/* day 6 kWh × 0.25 = 1.50; night 9 × 0.22 = 1.98 */
		CHECK_INT(amount(&run->p[0].bill, "supplier_day"), 150);
		CHECK_INT(amount(&run->p[0].bill, "supplier_night"), 198);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Two producers-consumers, proportional key. 06:45 (night): A consumes
 * 1, B produces 3 → a_A = 1, given_B = 1. 10:00 (day): A consumes 2, B
 * produces 1 → a_A = 1, given_B = 1, G_A = 1. So shared 2 (1 by day),
 * given 2 (1 by day), complementary 1 (all by day), per month and total. */
TEST(shared_and_given_split_day_and_night)
{
	struct cab_scenario sc;
	struct cab_participant p[2];
	char ids[2][8], meters[2][2][12];
	make_scenario(&sc, p, 2, ids, meters);
	struct cab_readings *rd = NULL;
	cab_readings_new(sc.t0_s, 96, &rd, NULL);
	double ca[96] = {0}, pb[96] = {0}, zero[96] = {0};
	ca[27] = 1, pb[27] = 3;
	ca[40] = 2, pb[40] = 1;
	cab_readings_put(rd, "a-c", ca, NULL);
	cab_readings_put(rd, "a-pv", zero, NULL);
	cab_readings_put(rd, "b-c", zero, NULL);
	cab_readings_put(rd, "b-pv", pb, NULL);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		const struct cab_volumes *a = &run->p[0].total,
					 *b = &run->p[1].total;
		CHECK_NEAR(a->shared_kwh, 2, 1e-12);
		CHECK_NEAR(a->shared_day_kwh, 1, 1e-12);
		CHECK_NEAR(a->complementary_day_kwh, 1, 1e-12);
		CHECK_NEAR(b->given_kwh, 2, 1e-12);
		CHECK_NEAR(b->given_day_kwh, 1, 1e-12);
		CHECK_NEAR(run->p[0].month[0].shared_day_kwh, 1, 1e-12);
		CHECK_NEAR(run->p[1].month[0].given_day_kwh, 1, 1e-12);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

/* 47.24 EUR/year for 1 day of 2024 (366 days): 0.129071 → 0.13. Across a
 * new year: 1/366 + 1/365 of a year. */
TEST(fixed_terms_are_billed_pro_rata_of_days)
{
	struct cab_scenario sc;
	struct cab_participant p[1];
	char ids[1][8], meters[1][2][12];
	make_scenario(&sc, p, 1, ids, meters);
	CHECK_NEAR(cab_bill_year_fraction(&sc), 1.0 / 366, 1e-15);
	sc.start_y = 2024, sc.start_m = 12, sc.start_d = 31;
	sc.end_y = 2025, sc.end_m = 1, sc.end_d = 2;
	CHECK_NEAR(cab_bill_year_fraction(&sc), 1.0 / 366 + 1.0 / 365, 1e-15);
	make_scenario(&sc, p, 1, ids, meters);
	sc.tariff.network_fixed_eur_year = 47.24;
	struct cab_volumes v = {0};
	struct cab_bill b;
	cab_bill_compute(&sc, &p[0], &v, true, 'B', &sc.sharing, &b);
	CHECK_INT(amount(&b, "network_fixed"), 13);
	CHECK_INT(amount(&b, "vat"), 1); /* 0.13 × 6 % = 0.0078 → 0.01 */
	CHECK_INT(b.total_cents, 14);
}

TEST(cents_round_half_away_from_zero)
{
	CHECK_INT(cab_round_cents(0.015), 2);
	CHECK_INT(cab_round_cents(-0.015), -2);
	CHECK_INT(cab_round_cents(0.014999), 1);
	CHECK_INT(cab_round_cents(2.675), 268); /* 2.67499999… in binary */
	CHECK_INT(cab_round_cents(0.125 * 0.06 * 100), 75);
	CHECK_INT(cab_round_cents(0), 0);
}

/* A missing value leaves the participant out of that interval and is
 * counted. */
TEST(missing_intervals_are_counted_never_zero)
{
	struct cab_scenario sc;
	struct cab_participant p[2];
	char ids[2][8], meters[2][2][12];
	make_scenario(&sc, p, 2, ids, meters);
	struct cab_readings *rd = NULL;
	cab_readings_new(sc.t0_s, 96, &rd, NULL);
	double c[96], pv[96];
	for (int t = 0; t < 96; t++)
		c[t] = 1, pv[t] = 0;
	cab_readings_put(rd, "b-c", c, NULL);
	pv[50] = 4;
	cab_readings_put(rd, "b-pv", pv, NULL);
	c[50] = NAN;
	c[51] = NAN;
	cab_readings_put(rd, "a-c", c, NULL);
	pv[50] = 0;
	cab_readings_put(rd, "a-pv", pv, NULL);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_INT(run->p[0].missing_intervals, 2);
		CHECK_INT(run->p[1].missing_intervals, 0);
		CHECK(isnan(run->p[0].shared_kwh[50]));
		CHECK_NEAR(run->p[0].total.consumption_kwh, 94, 1e-9);
		/* a is missing at 50: b's surplus 3 goes unallocated. */
		CHECK_NEAR(run->ind.unallocated_kwh, 3, 1e-9);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* What a run must hold for one participant, recomputed by the test from
 * the series it generated and the run's per-interval a and given only. */
struct expect {
	double c, p, o, a, given, g, inj, d, x; /* Σ over valid intervals */
	double a_day, given_day, g_day, d_day;	/* Σ over the day period */
	size_t missing;				/* intervals with C missing */
};

/* |x − y| above 1e-9 (sums of at most 96 values below 3 kWh); two NaN
 * (a rate of nothing) agree. */
static int differs(double x, double y)
{
	if (isnan(x) && isnan(y))
		return 0;
	return !(fabs(x - y) <= 1e-9);
}

/* Count the fields of the run's period volumes v that differ from e. */
static int volumes_differ(const struct cab_volumes *v, const struct expect *e)
{
	return differs(v->consumption_kwh, e->c) +
	       differs(v->production_kwh, e->p) +
	       differs(v->self_consumed_kwh, e->o) +
	       differs(v->shared_kwh, e->a) + differs(v->given_kwh, e->given) +
	       differs(v->complementary_kwh, e->g) +
	       differs(v->injected_kwh, e->inj) + differs(v->demand_kwh, e->d) +
	       differs(v->surplus_kwh, e->x) +
	       differs(v->shared_day_kwh, e->a_day) +
	       differs(v->given_day_kwh, e->given_day) +
	       differs(v->complementary_day_kwh, e->g_day) +
	       differs(v->demand_day_kwh, e->d_day);
}

/* SPEC §9 on 40 random communities, every key, both perimeters, shared
 * and individual billing. The test recomputes everything from the C and
 * P series it generated, with O = min(C, P), D = C − O, X = P − O written
 * here, and the run's per-interval a and given:
 * - per interval and pool: Σa ≤ S + 1e-9, 0 ≤ a_i ≤ D_i + 1e-9, given_i
 *   = X_i · Σa / S (SPEC §2), so that G_i = D_i − a_i ≥ 0 and injected_i
 *   = X_i − given_i ≥ 0 close C = O + a + G and P = O + given + injected;
 * - per participant: every period volume of the run (consumption,
 *   production, self-consumed, shared, given, complementary Σ(C − O − a),
 *   injected Σ(X − given), demand, surplus and their day parts) against
 *   those sums, and its missing intervals;
 * - for the community: Σ complementary and Σ injected, ΣS, Σa, the
 *   unallocated energy and the four indicators of SPEC §6;
 * - per bill Σ lines = total; individual = baseline. */
TEST(invariants_hold_on_random_communities)
{
	const char *keys[] = {"fixed", "proportional", "hybrid", "priority",
			      "optimal"};
	int bad_energy = 0, bad_bill = 0, bad_baseline = 0, runs = 0;
	int bad_volumes = 0, bad_community = 0;
	long checked = 0;
	for (int iter = 0; iter < 40; iter++) {
		size_t n = 2 + (size_t)(rnd() * 6);
		struct cab_scenario sc;
		struct cab_participant p[8];
		char ids[8][8], meters[8][2][12];
		struct cab_cabin cabins[2] = {{"c1", NULL, 'A'},
					      {"c2", NULL, 'C'}};
		make_scenario(&sc, p, n, ids, meters);
		sc.n_cabins = 2;
		sc.cabins = cabins;
		struct cab_readings *rd = NULL;
		cab_readings_new(sc.t0_s, 96, &rd, NULL);
		double gc[8][96], gp[8][96]; /* the generated C and P */
		for (size_t i = 0; i < n; i++) {
			bool has_pv = rnd() < 0.5;
			for (int t = 0; t < 96; t++) {
				gc[i][t] = rnd() < 0.02 ? NAN : rnd() * 2;
				gp[i][t] = has_pv ? rnd() * 3 : 0;
			}
			cab_readings_put(rd, meters[i][0], gc[i], NULL);
			cab_readings_put(rd, meters[i][1], gp[i], NULL);
			p[i].cabin = rnd() < 0.5;
			p[i].weight = 1.0 / (double)n * rnd();
			p[i].has_weight = true;
			p[i].priority_group = (int)(rnd() * 2);
		}
		snprintf(sc.sharing.key, sizeof(sc.sharing.key), "%s",
			 keys[iter % 5]);
		sc.sharing.has_weights = true;
		sc.sharing.is_until_done = iter % 10 == 0; /* fixed */
		sc.sharing.n_groups = 2;
		sc.sharing.perimeter = iter % 3 == 0 ? CAB_PERIMETER_CABIN
						     : CAB_PERIMETER_COMMUNITY;
		bool by_cabin = sc.sharing.perimeter == CAB_PERIMETER_CABIN;
		for (int mode = 0; mode < 2; mode++) {
			sc.billing.mode =
			    mode ? CAB_BILLING_INDIVIDUAL : CAB_BILLING_SHARED;
			struct cab_run *run = NULL;
			if (cab_run_new(&sc, rd, -1, &run, NULL) != CAB_OK) {
				bad_energy++;
				continue;
			}
			runs++;
			struct expect e[8];
			memset(e, 0, sizeof(e));
			double sum_s = 0, sum_a = 0, sum_c_max = 0;
			double max_t[8] = {0};
			for (size_t t = 0; t < 96; t++) {
				/* 2024-03-05 is a Tuesday in UTC+1: interval t
				 * starts at t / 4 o'clock local. */
				bool is_day = t / 4 >= 7 && t / 4 < 22;
				double s[2] = {0, 0}, pool_a[2] = {0, 0};
				double sum_c_t = 0;
				for (size_t i = 0; i < n; i++) {
					double c = gc[i][t], pv = gp[i][t];
					if (isnan(c))
						continue;
					size_t k =
					    by_cabin ? (size_t)p[i].cabin : 0;
					double o = c < pv ? c : pv;
					s[k] += pv - o;
					pool_a[k] += run->p[i].shared_kwh[t];
				}
				for (size_t i = 0; i < n; i++) {
					const struct cab_participant_result *r =
					    &run->p[i];
					struct expect *x = &e[i];
					double c = gc[i][t], pv = gp[i][t];
					if (isnan(c)) {
						x->missing++;
						if (!mode &&
						    !isnan(r->shared_kwh[t]))
							bad_energy++;
						continue;
					}
					size_t k =
					    by_cabin ? (size_t)p[i].cabin : 0;
					double o = c < pv ? c : pv;
					double d = c - o, sur = pv - o;
					double a = r->shared_kwh[t],
					       gv = r->given_kwh[t];
					double want_gv =
					    s[k] > 0 ? sur * pool_a[k] / s[k]
						     : 0;
					double compl = d - a, inj = sur - gv;
					if (!(a >= 0) || a > d + 1e-9 ||
					    !(gv >= 0) || differs(gv, want_gv))
						bad_energy++;
					if (compl < -1e-9 || inj < -1e-9 ||
					    differs(c, o + a + compl ) ||
					    differs(pv, o + gv + inj))
						bad_energy++;
					checked++;
					x->c += c, x->p += pv, x->o += o;
					x->a += a, x->given += gv;
					x->g += compl > 0 ? compl : 0;
					x->inj += inj > 0 ? inj : 0;
					x->d += d, x->x += sur;
					if (is_day) {
						x->a_day += a;
						x->given_day += gv;
						x->g_day +=
						    compl > 0 ? compl : 0;
						x->d_day += d;
					}
					sum_c_t += c;
					if (c > max_t[i])
						max_t[i] = c;
				}
				for (int k = 0; k < 2; k++) {
					if (pool_a[k] > s[k] + 1e-9)
						bad_energy++;
					sum_s += s[k];
					sum_a += pool_a[k];
				}
				if (sum_c_t > sum_c_max)
					sum_c_max = sum_c_t;
			}
			struct expect all;
			memset(&all, 0, sizeof(all));
			double sum_max_c = 0, run_g = 0, run_inj = 0;
			for (size_t i = 0; i < n; i++) {
				const struct cab_participant_result *r =
				    &run->p[i];
				bad_volumes += volumes_differ(&r->total, &e[i]);
				bad_volumes +=
				    volumes_differ(&r->month[0], &e[i]);
				if (r->missing_intervals != e[i].missing)
					bad_volumes++;
				all.c += e[i].c, all.p += e[i].p;
				all.o += e[i].o, all.g += e[i].g;
				all.inj += e[i].inj;
				run_g += r->total.complementary_kwh;
				run_inj += r->total.injected_kwh;
				sum_max_c += max_t[i];
			}
			const struct cab_indicators *ind = &run->ind;
			bad_community +=
			    (run->n_months != 1) + differs(run_g, all.g) +
			    differs(run_inj, all.inj) +
			    differs(ind->shared_injection_kwh, sum_s) +
			    differs(ind->allocated_kwh, sum_a) +
			    differs(ind->unallocated_kwh, all.inj) +
			    differs(ind->self_consumption_rate,
				    sum_s > 0 ? sum_a / sum_s : NAN) +
			    differs(ind->self_sufficiency_rate,
				    (all.o + sum_a) / all.c) +
			    differs(ind->positive_energy_balance_kwh,
				    all.p - all.c) +
			    differs(ind->coincidence_factor,
				    sum_c_max / sum_max_c);
			for (size_t i = 0; i < n; i++) {
				const struct cab_bill *b = &run->p[i].bill;
				int64_t s = 0;
				for (size_t l = 0; l < b->n_lines; l++)
					s += b->lines[l].amount_cents;
				if (s != b->total_cents)
					bad_bill++;
				if (mode && b->total_cents !=
						run->p[i].baseline.total_cents)
					bad_baseline++;
			}
			cab_run_free(run);
		}
		cab_readings_free(rd);
	}
	CHECK_INT(runs, 80);
	CHECK_INT(bad_energy, 0);
	CHECK_INT(bad_bill, 0);
	CHECK_INT(bad_baseline, 0);
	CHECK_INT(bad_volumes, 0);
	CHECK_INT(bad_community, 0);
	/* Not vacuous: ~80 runs × ~5 participants × 94 valid intervals. */
	CHECK(checked > 20000);
}

static const struct harness_test tests[] = {
    T(bills_of_a_consumer_and_a_producer_by_hand),
    T(complementary_volume_splits_day_and_night),
    T(shared_and_given_split_day_and_night),
    T(fixed_terms_are_billed_pro_rata_of_days),
    T(cents_round_half_away_from_zero),
    T(missing_intervals_are_counted_never_zero),
    T(invariants_hold_on_random_communities),
};
HARNESS_MAIN("test_run", tests)
