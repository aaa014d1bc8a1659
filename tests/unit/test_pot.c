/*
 * test_pot.c — the common pot (SPEC §3): pots computed by hand to the
 * cent for every criterion and a mix, caps that cascade, impossible
 * bounds, and properties of the split on random communities (the shares
 * add up to the pot, bounds hold, a larger weight never lowers a share),
 * and the pot computed on arrays alone, without a run.
 *
 * The hand-computed community (also the worked example of docs/pot.md):
 * Tuesday 2024-03-05, one quarter-hour at 10:00 (day rate). Behind cabin
 * "cab" with meter "cab-m": a (metered, 120 kWh), b (metered, 60 kWh) and
 * c (meterless, protected). The cabin meter reads 200 kWh.
 * Cabin bill: 200 × (0.25 + 0.12 + 0.05) = 84.00, VAT 6 % 5.04 → 89.04;
 * community fixed terms 4011.36 EUR/year × 1/366 = 10.96; pot 100.00.
 */
#include <math.h>
#include <stdint.h>

#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "engine/billing/pot.h"
#include "harness.h"

struct community {
	struct cab_scenario sc;
	struct cab_participant p[3];
	struct cab_cabin cabin;
	struct cab_bound bounds[4];
	double income_factors[2];
	struct cab_readings *rd;
};

static void make_community(struct community *k, bool has_cabin_meter)
{
	memset(k, 0, sizeof(*k));
	struct cab_scenario *sc = &k->sc;
	sc->path = "test.json";
	sc->name = "pot";
	sc->start_y = 2024, sc->start_m = 3, sc->start_d = 5;
	sc->end_y = 2024, sc->end_m = 3, sc->end_d = 6;
	sc->t0_s = cab_time_local_midnight(2024, 3, 5);
	sc->n_intervals = 96;
	sc->n_days = 1;
	k->cabin =
	    (struct cab_cabin){"cab", has_cabin_meter ? "cab-m" : NULL, 'B'};
	sc->n_cabins = 1;
	sc->cabins = &k->cabin;
	sc->n_participants = 3;
	sc->participants = k->p;
	struct cab_tariff *t = &sc->tariff;
	t->supplier_day_eur_kwh = 0.25;
	t->supplier_night_eur_kwh = 0.22;
	t->has_night_price = true;
	t->network_eur_kwh = 0.12;
	double shared[4] = {0.03, 0.05, 0.09, 0.12};
	memcpy(t->network_shared_eur_kwh, shared, sizeof(shared));
	t->taxes_eur_kwh = 0.05;
	t->injection_eur_kwh = 0.03;
	t->day_start_h = 7;
	t->day_end_h = 22;
	snprintf(sc->sharing.key, sizeof(sc->sharing.key), "proportional");
	struct cab_billing *b = &sc->billing;
	b->mode = CAB_BILLING_POT;
	b->vat = 0.06;
	b->fixed_eur_year = 4011.36;
	k->income_factors[0] = 1, k->income_factors[1] = 0.5;
	b->n_income_factors = 2;
	b->income_factors = k->income_factors;
	for (int e = 0; e < 7; e++)
		b->building_factors[e] = -1;
	b->building_factors['C' - 'A'] = 0.8;
	b->building_factors['D' - 'A'] = 1.0;
	b->building_factors['F' - 'A'] = 1.5;
	b->bounds = k->bounds;
	static char *ids[3] = {"a", "b", "c"};
	static char *meters[3] = {"a-c", "b-c", NULL};
	const int occupants[3] = {1, 2, 3}, band[3] = {0, 1, 0};
	const char epb[3] = {'D', 'C', 'F'};
	const double area[3] = {60, 80, 100}, history[3] = {1000, 2000, 1500};
	for (int i = 0; i < 3; i++) {
		struct cab_participant *p = &k->p[i];
		p->id = ids[i];
		p->cabin = 0;
		p->meter_consumption = meters[i];
		p->is_meterless = meters[i] == NULL;
		p->occupants = occupants[i];
		p->income_band = band[i];
		p->epb_class = epb[i];
		p->floor_area_m2 = area[i];
		p->history_kwh = history[i];
		p->vat = 0.06;
	}
	k->p[2].is_protected = true;
	cab_readings_new(sc->t0_s, 96, &k->rd, NULL);
	double a[96] = {0}, bb[96] = {0}, cab[96] = {0};
	a[40] = 120, bb[40] = 60, cab[40] = 200; /* 10:00 local */
	cab_readings_put(k->rd, "a-c", a, NULL);
	cab_readings_put(k->rd, "b-c", bb, NULL);
	cab_readings_put(k->rd, "cab-m", cab, NULL);
}

static void set_key(struct community *k, int c1, double a1, int c2, double a2)
{
	for (int c = 0; c < CAB_CRIT_COUNT; c++)
		k->sc.billing.alpha[c] = 0;
	k->sc.billing.alpha[c1] = a1;
	if (c2 >= 0)
		k->sc.billing.alpha[c2] = a2;
}

/* Run the community and check the three shares (cents). */
static void check_shares(struct community *k, int64_t a, int64_t b, int64_t c)
{
	struct cab_run *run = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_run_new(&k->sc, k->rd, -1, &run, &err), CAB_OK);
	if (err.text)
		fprintf(stderr, "  %s", err.text);
	if (run) {
		CHECK_INT(run->pot_cents, 10000);
		CHECK_INT(run->p[0].bill.total_cents, a);
		CHECK_INT(run->p[1].bill.total_cents, b);
		CHECK_INT(run->p[2].bill.total_cents, c);
		CHECK_INT(run->total_bill_cents, 10000);
	}
	cab_run_free(run);
	cab_err_release(&err);
	cab_readings_free(k->rd);
}

TEST(pot_is_the_cabin_bill_plus_fixed_terms)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&k.sc, k.rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_INT(run->n_pots, 1);
		/* 84.00 + VAT 5.04 = 89.04; fixed 10.96. */
		CHECK_INT(run->pots[0].bill.total_cents, 8904);
		CHECK_INT(run->pots[0].fixed_cents, 1096);
		CHECK_INT(run->pots[0].total_cents, 10000);
		/* Residual: 200 − (120 + 60) = 20 kWh. */
		CHECK_INT(run->n_cabin_flows, 1);
		CHECK_NEAR(run->cabin_flows[0].import_kwh, 200, 1e-9);
		CHECK_NEAR(run->cabin_flows[0].metered_import_kwh, 180, 1e-9);
		CHECK_NEAR(run->cabin_residual_kwh, 20, 1e-9);
		/* Invoice: one line pot_share. a alone: 120 × 0.42 = 50.40,
		 * VAT 3.024 → 3.02; 53.42. c is meterless: no baseline. */
		const struct cab_participant_result *a = &run->p[0],
						    *c = &run->p[2];
		CHECK_INT(a->bill.n_lines, 1);
		CHECK_STR(a->bill.lines[0].name, "pot_share");
		CHECK_INT(a->baseline.total_cents, 5342);
		CHECK_INT(a->delta_cents, 3334 - 5342);
		CHECK(!a->is_without_baseline);
		CHECK(c->is_without_baseline);
		CHECK_NEAR(a->pot_weight, 1.0 / 3, 1e-12);
		CHECK_NEAR(a->key[CAB_CRIT_EQUAL], 1.0 / 3, 1e-12);
		CHECK(isnan(a->key[CAB_CRIT_OCCUPANTS]));
	}
	cab_run_free(run);
	cab_readings_free(k.rd);
}

/* 100.00 / 3 = 33.333…: floors 33.33 each, the cent left goes to the
 * first id on a tie. */
TEST(equal_key_hands_the_odd_cent_by_id)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	check_shares(&k, 3334, 3333, 3333);
}

/* Occupants 1, 2, 3 of 6: 16.666…, 33.333…, 50.00 → 16.66 + 33.33 +
 * 50.00 = 99.99; the cent goes to the largest remainder (a, .67). */
TEST(occupants_key_by_hand)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_OCCUPANTS, 1, -1, 0);
	check_shares(&k, 1667, 3333, 5000);
}

/* History 1000, 2000, 1500 of 4500: 22.222, 44.444, 33.333 → 99.99; the
 * cent goes to b (.44). */
TEST(history_key_by_hand)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_HISTORY, 1, -1, 0);
	check_shares(&k, 2222, 4445, 3333);
}

/* Measured 120, 60 and none (meterless: weight 0) of 180: 66.667,
 * 33.333, 0 → the cent to a (.67). */
TEST(measured_key_gives_meterless_nothing)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_MEASURED, 1, -1, 0);
	check_shares(&k, 6667, 3333, 0);
}

/* Income factors band 0 → 1, band 1 → 0.5: 1, 0.5, 1 of 2.5 → 40, 20,
 * 40. */
TEST(income_key_by_hand)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_INCOME, 1, -1, 0);
	check_shares(&k, 4000, 2000, 4000);
}

/* Building: 60 m² × 1.0 (D), 80 × 0.8 (C) = 64, 100 × 1.5 (F) = 150, of
 * 274: 21.8978, 23.3577, 54.7445 → 21.89 + 23.35 + 54.74 = 99.98; two
 * cents to a (.78) and b (.77). */
TEST(building_key_by_hand)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_BUILDING, 1, -1, 0);
	check_shares(&k, 2190, 2336, 5474);
}

/* Mix ½ equal + ½ occupants: w = ½·⅓ + ½·⅙ = ¼, ½·⅓ + ½·⅓ = ⅓,
 * ½·⅓ + ½·½ = 5/12 → 25.00, 33.333, 41.667 → the cent to c (.67). */
TEST(mixed_key_by_hand)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 0.5, CAB_CRIT_OCCUPANTS, 0.5);
	check_shares(&k, 2500, 3333, 4167);
}

/* The mix above with the protected household capped at 40.00: 60.00
 * left for a and b in the ratio ¼ : ⅓ = 3 : 4 → 25.714, 34.286 → the
 * cent to b (.57). */
TEST(cap_on_protected_is_resplit_by_weight)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 0.5, CAB_CRIT_OCCUPANTS, 0.5);
	k.bounds[0] = (struct cab_bound){"protected", 40, -1, -1};
	k.sc.billing.n_bounds = 1;
	check_shares(&k, 2571, 3429, 4000);
}

/* Caps that cascade: c capped at 40 pushes b to 34.286, above its own
 * cap 34.00; b capped, a pays the rest: 100 − 40 − 34 = 26.00. */
TEST(caps_cascade_until_every_bound_holds)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 0.5, CAB_CRIT_OCCUPANTS, 0.5);
	k.bounds[0] = (struct cab_bound){"protected", 40, -1, -1};
	k.bounds[1] = (struct cab_bound){"b", 34, -1, -1};
	k.sc.billing.n_bounds = 2;
	check_shares(&k, 2600, 3400, 4000);
}

/* A floor: a pays at least 30.00 instead of 25.00; 70.00 left for b and
 * c by ⅓ : 5/12 = 4 : 5 → 31.111, 38.889 → the cent to c (.89). A price
 * cap: b at most 0.50 EUR/kWh × 60 kWh = 30.00. */
TEST(floors_and_price_caps)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 0.5, CAB_CRIT_OCCUPANTS, 0.5);
	k.bounds[0] = (struct cab_bound){"a", -1, -1, 30};
	k.sc.billing.n_bounds = 1;
	check_shares(&k, 3000, 3111, 3889);
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 0.5, CAB_CRIT_OCCUPANTS, 0.5);
	/* b capped at 30.00: 70.00 for a and c by ¼ : 5/12 = 3 : 5 →
	 * 26.25, 43.75. */
	k.bounds[0] = (struct cab_bound){"b", -1, 0.5, -1};
	k.sc.billing.n_bounds = 1;
	check_shares(&k, 2625, 3000, 4375);
}

static void check_error(struct community *k, const char *want)
{
	struct cab_run *run = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_run_new(&k->sc, k->rd, -1, &run, &err), CAB_EINPUT);
	CHECK(run == NULL);
	CHECK_STR(err.text, want);
	cab_err_release(&err);
	cab_readings_free(k->rd);
}

TEST(impossible_bounds_are_errors_naming_them)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	k.bounds[0] = (struct cab_bound){"a", 30, -1, -1};
	k.bounds[1] = (struct cab_bound){"b", 30, -1, -1};
	k.bounds[2] = (struct cab_bound){"protected", 20, -1, -1};
	k.sc.billing.n_bounds = 3;
	check_error(&k, "test.json: $.billing.bounds: caps total 80.00 EUR, "
			"below the pot 100.00 EUR (expected caps that can "
			"cover the pot)\n");
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	k.bounds[0] = (struct cab_bound){"a", -1, -1, 60};
	k.bounds[1] = (struct cab_bound){"b", -1, -1, 50};
	k.sc.billing.n_bounds = 2;
	check_error(&k, "test.json: $.billing.bounds: floors total 110.00 "
			"EUR, above the pot 100.00 EUR (expected floors the "
			"pot can cover)\n");
}

/* Without a cabin meter the pot is Σ of the members' baselines: a 53.42
 * (above), b 60 × 0.42 = 25.20 + VAT 1.512 → 1.51 = 26.71; plus fixed
 * 10.96 → 91.09, split equally: 30.37, 30.36, 30.36. */
TEST(without_cabin_meter_the_pot_is_the_baselines)
{
	struct community k;
	make_community(&k, false);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&k.sc, k.rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_INT(run->n_pots, 1);
		CHECK_INT(run->n_cabin_flows, 0);
		CHECK(isnan(run->cabin_residual_kwh));
		CHECK_INT(run->pot_cents, 9109);
		CHECK_INT(run->p[0].bill.total_cents, 3037);
		CHECK_INT(run->p[1].bill.total_cents, 3036);
		CHECK_INT(run->p[2].bill.total_cents, 3036);
	}
	cab_run_free(run);
	cab_readings_free(k.rd);
	make_community(&k, false);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	k.p[0].meter_consumption = k.p[1].meter_consumption = NULL;
	k.p[0].is_meterless = k.p[1].is_meterless = true;
	check_error(&k, "test.json: $.billing: the pot needs a cabin meter or "
			"metered participants (expected a cabin with "
			"\"meter\")\n");
}

/* Two cabins, one metered: b behind the unmetered cabin is billed as in
 * mode shared (its own lines, no pot); a and c split the cabin's pot
 * (100.00, equal: 50.00 each). Residual 200 − 120 = 80 kWh. */
TEST(participants_behind_an_unmetered_cabin_are_billed_as_shared)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	struct cab_cabin cabins[2] = {k.cabin, {"other", NULL, 'B'}};
	k.sc.n_cabins = 2;
	k.sc.cabins = cabins;
	k.p[1].cabin = 1;
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&k.sc, k.rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_INT(run->n_pots, 1);
		CHECK_INT(run->pot_cents, 10000);
		CHECK_INT(run->p[0].bill.total_cents, 5000);
		CHECK_INT(run->p[2].bill.total_cents, 5000);
		CHECK_INT(run->p[1].pot, -1);
		/* b alone and shared alike (nobody produces): 26.71. */
		CHECK_INT(run->p[1].bill.total_cents, 2671);
		CHECK(isnan(run->p[1].pot_weight));
		CHECK_NEAR(run->cabin_residual_kwh, 80, 1e-9);
	}
	cab_run_free(run);
	cab_readings_free(k.rd);
}

/* The pot on arrays alone, no run: it reads only the consumption and
 * baselines it is given (not the readings), and the cabin meter's
 * series. The community's cabin: 200 kWh at 10:00 (day), pot 100.00 as
 * above. Measured consumptions given as 30 and 90 (the readings say 120
 * and 60): weights 1/4, 3/4, 0 → 25.00, 75.00, 0.00. Without the cabin:
 * the metered baselines 53.42 + 26.71 + fixed 10.96 = 91.09, equal key
 * 30.363… each → 30.37, 30.36, 30.36 (the cent to the first id). */
TEST(pot_takes_arrays_and_returns_shares)
{
	struct community k;
	make_community(&k, true);
	set_key(&k, CAB_CRIT_MEASURED, 1, -1, 0);
	struct cab_pot_member member[3] = {{30, 5342}, {90, 2671}, {0, 0}};
	double import[96] = {0};
	unsigned char is_day[96];
	import[40] = 200;
	for (int t = 0; t < 96; t++)
		is_day[t] = t / 4 >= 7 && t / 4 < 22; /* Tuesday */
	struct cab_pot_cabin cabin = {0, import};
	struct cab_pot_input in = {
	    .sc = &k.sc,
	    .billing = &k.sc.billing,
	    .sharing = &k.sc.sharing,
	    .variant = -1,
	    .member = member,
	    .n_cabins = 1,
	    .cabin = &cabin,
	    .is_day = is_day,
	};
	struct cab_pot_shares out;
	CHECK_INT(cab_pot_compute(&in, &out, NULL), CAB_OK);
	if (out.pots) {
		CHECK_INT(out.n_pots, 1);
		CHECK_INT(out.pots[0].bill.total_cents, 8904);
		CHECK_INT(out.pots[0].n_members, 3);
		CHECK_INT(out.pot_cents, 10000);
		CHECK_INT(out.share_cents[0], 2500);
		CHECK_INT(out.share_cents[1], 7500);
		CHECK_INT(out.share_cents[2], 0);
		CHECK_INT(out.pot[2], 0);
		CHECK_NEAR(out.weight[0], 0.25, 1e-12);
		CHECK_NEAR(out.key[1][CAB_CRIT_MEASURED], 0.75, 1e-12);
		CHECK(isnan(out.key[1][CAB_CRIT_EQUAL]));
	}
	cab_pot_shares_release(&out);
	set_key(&k, CAB_CRIT_EQUAL, 1, -1, 0);
	in.n_cabins = 0;
	CHECK_INT(cab_pot_compute(&in, &out, NULL), CAB_OK);
	if (out.pots) {
		CHECK_INT(out.pots[0].cabin, -1);
		CHECK_INT(out.pot_cents, 9109);
		CHECK_INT(out.share_cents[0], 3037);
		CHECK_INT(out.share_cents[1], 3036);
		CHECK_INT(out.share_cents[2], 3036);
	}
	cab_pot_shares_release(&out);
	cab_readings_free(k.rd);
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* Properties of the split on 2,000 random communities with random
 * bounds: the shares add up to the pot to the cent, no share is above
 * its cap or below its floor, infeasible bounds are refused, and raising
 * one weight never lowers that participant's share. */
TEST(split_properties_on_random_communities)
{
	int bad_sum = 0, bad_bound = 0, bad_mono = 0, refused = 0, ok = 0;
	for (int iter = 0; iter < 2000; iter++) {
		size_t n = 1 + (size_t)(rnd() * 12);
		double w[12];
		int64_t lo[12], hi[12], s[12], s2[12];
		int64_t total = (int64_t)(rnd() * 200000);
		for (size_t i = 0; i < n; i++) {
			w[i] = rnd() < 0.1 ? 0 : rnd() * 10;
			lo[i] = CAB_POT_NO_MIN;
			hi[i] = CAB_POT_NO_MAX;
			double u = rnd();
			int64_t even = total / (int64_t)n;
			if (u < 0.3)
				hi[i] = (int64_t)(rnd() * 1.5 * (double)even);
			else if (u < 0.45)
				lo[i] = (int64_t)(rnd() * 1.2 * (double)even);
			else if (u < 0.55) {
				lo[i] = (int64_t)(rnd() * (double)even);
				hi[i] = lo[i] + (int64_t)(rnd() * (double)even);
			}
		}
		enum cab_status st =
		    cab_pot_split(total, n, w, lo, hi, NULL, s);
		if (st == CAB_EINPUT) {
			refused++;
			continue;
		}
		if (st != CAB_OK) {
			bad_sum++;
			continue;
		}
		ok++;
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++) {
			sum += s[i];
			if ((hi[i] != CAB_POT_NO_MAX && s[i] > hi[i]) ||
			    (lo[i] != CAB_POT_NO_MIN && s[i] < lo[i]))
				bad_bound++;
		}
		if (sum != total)
			bad_sum++;
		size_t j = (size_t)(rnd() * (double)n);
		w[j] = w[j] * (1 + rnd()) + rnd();
		if (cab_pot_split(total, n, w, lo, hi, NULL, s2) != CAB_OK ||
		    s2[j] < s[j])
			bad_mono++;
	}
	CHECK(ok > 1000);
	CHECK(refused > 0);
	CHECK_INT(bad_sum, 0);
	CHECK_INT(bad_bound, 0);
	CHECK_INT(bad_mono, 0);
}

/* Whole runs: random communities behind a metered cabin, random keys;
 * the invoices of the pot add up to the pot to the cent. */
TEST(invoices_sum_to_the_pot_on_random_runs)
{
	int bad = 0, runs = 0;
	for (int iter = 0; iter < 60; iter++) {
		struct community k;
		make_community(&k, iter % 3 != 0);
		double cab[96], a[96], b[96];
		for (int t = 0; t < 96; t++) {
			a[t] = rnd() < 0.02 ? NAN : rnd() * 3;
			b[t] = rnd() * 2;
			cab[t] = rnd() * 6;
		}
		cab_readings_put(k.rd, "a-c", a, NULL);
		cab_readings_put(k.rd, "b-c", b, NULL);
		cab_readings_put(k.rd, "cab-m", cab, NULL);
		double alpha[CAB_CRIT_COUNT], sum = 0;
		for (int c = 0; c < CAB_CRIT_COUNT; c++)
			sum += alpha[c] = rnd() < 0.5 ? rnd() : 0;
		for (int c = 0; c < CAB_CRIT_COUNT; c++)
			k.sc.billing.alpha[c] =
			    sum > 0 ? alpha[c] / sum : c == 0;
		if (iter % 2) {
			k.bounds[0] =
			    (struct cab_bound){"protected", rnd() * 20, -1, -1};
			k.sc.billing.n_bounds = 1;
		}
		struct cab_run *run = NULL;
		if (cab_run_new(&k.sc, k.rd, -1, &run, NULL) == CAB_OK) {
			runs++;
			int64_t s = 0;
			for (size_t i = 0; i < 3; i++)
				s += run->p[i].bill.total_cents;
			if (s != run->pot_cents ||
			    s != run->pots[0].total_cents)
				bad++;
			if (iter % 2 &&
			    run->p[2].bill.total_cents >
				cab_round_cents(k.bounds[0].max_eur))
				bad++;
		}
		cab_run_free(run);
		cab_readings_free(k.rd);
	}
	CHECK(runs > 40);
	CHECK_INT(bad, 0);
}

static const struct harness_test tests[] = {
    T(pot_is_the_cabin_bill_plus_fixed_terms),
    T(equal_key_hands_the_odd_cent_by_id),
    T(occupants_key_by_hand),
    T(history_key_by_hand),
    T(measured_key_gives_meterless_nothing),
    T(income_key_by_hand),
    T(building_key_by_hand),
    T(mixed_key_by_hand),
    T(cap_on_protected_is_resplit_by_weight),
    T(caps_cascade_until_every_bound_holds),
    T(floors_and_price_caps),
    T(impossible_bounds_are_errors_naming_them),
    T(without_cabin_meter_the_pot_is_the_baselines),
    T(participants_behind_an_unmetered_cabin_are_billed_as_shared),
    T(pot_takes_arrays_and_returns_shares),
    T(split_properties_on_random_communities),
    T(invoices_sum_to_the_pot_on_random_runs),
};
HARNESS_MAIN("test_pot", tests)
