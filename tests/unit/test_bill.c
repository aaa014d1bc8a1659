/*
 * test_bill.c — money that cannot overflow (issue 11): the rounding of a
 * EUR amount at and beyond int64, the checked sums, the refusal of a run
 * whose bills or totals go beyond what cabine counts (CAB_CENTS_MAX), and
 * a property on random communities within the bounds of docs/scenario.md
 * (every line recomputed from the inputs, lines adding up to the bill,
 * bills to the run's total) and beyond them (refused as bad input).
 */
#include <math.h>
#include <stdint.h>

#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "engine/billing/bill.h"
#include "harness.h"

#define NT 96 /* Tuesday 2024-03-05, CET */
#define MAX_P 96

/* ---- rounding and sums -------------------------------------------- */

TEST(round_cents_half_away_from_zero_and_saturates)
{
	/* 0.125 EUR = 12.5 cents → 13; binary noise (1.005 × 100 =
	 * 100.49999…) still rounds the half up. */
	CHECK_INT(cab_round_cents(0.125), 13);
	CHECK_INT(cab_round_cents(-0.125), -13);
	CHECK_INT(cab_round_cents(1.005), 101);
	CHECK_INT(cab_round_cents(0.0049), 0);
	/* 9.2e16 EUR is 9.2e18 cents, just below 2^63 ≈ 9.223e18: exact
	 * enough to convert; 1e17 EUR and 1e20 EUR are beyond, and saturate
	 * (a conversion would be undefined: UBSan flagged run.c:64). */
	CHECK(cab_round_cents(9.2e16) == (int64_t)9.2e18);
	CHECK(cab_round_cents(1e17) == INT64_MAX);
	CHECK(cab_round_cents(1e20) == INT64_MAX);
	CHECK(cab_round_cents(-1e20) == INT64_MIN);
	CHECK(cab_round_cents(INFINITY) == INT64_MAX);
	CHECK(cab_round_cents(NAN) == INT64_MAX);
}

TEST(cents_add_refuses_what_cabine_cannot_count)
{
	int64_t s = CAB_CENTS_MAX - 5;
	CHECK(cab_cents_add(&s, 5));
	CHECK(s == CAB_CENTS_MAX);
	CHECK(!cab_cents_add(&s, 1)); /* one cent beyond */
	CHECK(s == CAB_CENTS_MAX);    /* left as it was */
	int64_t t = 0;
	CHECK(!cab_cents_add(&t, INT64_MAX));
	CHECK(!cab_cents_add(&t, -CAB_CENTS_MAX - 1));
	CHECK(t == 0);
	CHECK(cab_cents_add(&t, -CAB_CENTS_MAX));
	CHECK(t == -CAB_CENTS_MAX);
}

/* A bill of 10^20 kWh (no loader would let it through) saturates its
 * lines instead of turning a charge into a credit, and the check names
 * the first line beyond. */
TEST(bill_beyond_the_limit_names_its_line)
{
	struct cab_scenario sc = {.path = "t.json"};
	sc.start_y = sc.end_y = 2024;
	sc.start_m = sc.end_m = 3;
	sc.start_d = 5, sc.end_d = 6;
	sc.tariff.supplier_day_eur_kwh = 0.25;
	sc.tariff.network_eur_kwh = 0.12;
	struct cab_participant pa = {.id = "a", .vat = 0.06};
	struct cab_volumes v = {.demand_kwh = 1e20, .demand_day_kwh = 1e20};
	struct cab_sharing sh = {.price_eur_kwh = 0.15};
	struct cab_bill b;
	cab_bill_compute(&sc, &pa, &v, true, 'B', &sh, &b);
	CHECK(b.n_lines > 0);
	CHECK(b.lines[0].amount_cents == INT64_MAX); /* 2.5e21 cents */
	CHECK(b.total_cents > CAB_CENTS_MAX);	     /* not a credit */
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_bill_check("t.json", "participant 'a'", &b, &err),
		  CAB_EINPUT);
	CHECK_STR(err.text, "t.json: participant 'a': line 'supplier' is "
			    "92233720368547758.07 EUR, beyond what cabine "
			    "counts (at most 10000000000000 EUR; expected "
			    "prices and volumes within the bounds of "
			    "docs/scenario.md)\n");
	cab_err_release(&err);
}

/* ---- a community in memory ------------------------------------------- */

/* n participants p00…, consumption "<id>-c", production "<id>-pv" for
 * every other one, behind cabin B, one day. */
struct community {
	struct cab_scenario sc;
	struct cab_participant p[MAX_P];
	char ids[MAX_P][8], meters[MAX_P][2][12];
	struct cab_cabin cabin;
	double c[MAX_P][NT], pv[MAX_P][NT];
};

static void community_init(struct community *m, size_t n)
{
	memset(m, 0, sizeof(*m));
	struct cab_scenario *sc = &m->sc;
	sc->path = "test.json";
	sc->name = "test";
	sc->start_y = sc->end_y = 2024;
	sc->start_m = sc->end_m = 3;
	sc->start_d = 5, sc->end_d = 6;
	sc->t0_s = cab_time_local_midnight(2024, 3, 5);
	sc->n_intervals = NT;
	sc->n_days = 1;
	m->cabin = (struct cab_cabin){"cab", NULL, 'B'};
	sc->n_cabins = 1;
	sc->cabins = &m->cabin;
	sc->n_participants = n;
	sc->participants = m->p;
	sc->tariff.has_night_price = true;
	sc->tariff.day_start_h = 7;
	sc->tariff.day_end_h = 22;
	snprintf(sc->sharing.key, sizeof(sc->sharing.key), "proportional");
	sc->billing.mode = CAB_BILLING_SHARED;
	for (size_t i = 0; i < n; i++) {
		snprintf(m->ids[i], 8, "p%02zu", i);
		snprintf(m->meters[i][0], 12, "p%02zu-c", i);
		snprintf(m->meters[i][1], 12, "p%02zu-pv", i);
		m->p[i].id = m->ids[i];
		m->p[i].cabin = 0;
		m->p[i].meter_consumption = m->meters[i][0];
		m->p[i].meter_production = i % 2 ? m->meters[i][1] : NULL;
		m->p[i].vat = 0.06;
		m->p[i].occupants = m->p[i].income_band = -1;
		m->p[i].history_kwh = m->p[i].floor_area_m2 = -1;
	}
}

static enum cab_status community_run(struct community *m, struct cab_run **out,
				     struct cab_err *err)
{
	struct cab_readings *rd = NULL;
	*out = NULL;
	if (cab_readings_new(m->sc.t0_s, NT, &rd, NULL) != CAB_OK)
		return CAB_ENOMEM;
	for (size_t i = 0; i < m->sc.n_participants; i++) {
		cab_readings_put(rd, m->meters[i][0], m->c[i], NULL);
		if (m->p[i].meter_production)
			cab_readings_put(rd, m->meters[i][1], m->pv[i], NULL);
	}
	enum cab_status st = cab_run_new(&m->sc, rd, -1, out, err);
	cab_readings_free(rd);
	return st;
}

/* 80 participants each taking 250,000 kWh every quarter-hour (1 GW, the
 * bound) at 1,000 EUR/kWh for three prices, VAT 100 %: a bill is
 * 96 × 250,000 kWh × 3,000 EUR/kWh × 2 = 1.44·10^11 EUR, within what one
 * bill may be, but 70 of them pass 10^13 EUR: the run is refused at the
 * participant where the total goes beyond, as bad input. */
TEST(run_whose_total_goes_beyond_the_limit_is_refused)
{
	static struct community m;
	community_init(&m, 80);
	struct cab_tariff *t = &m.sc.tariff;
	t->supplier_day_eur_kwh = t->supplier_night_eur_kwh = 1000;
	t->network_eur_kwh = t->taxes_eur_kwh = 1000;
	m.sc.billing.mode = CAB_BILLING_INDIVIDUAL;
	for (size_t i = 0; i < 80; i++) {
		m.p[i].meter_production = NULL;
		m.p[i].vat = 1;
		for (size_t k = 0; k < NT; k++)
			m.c[i][k] = CAB_READINGS_MAX_KWH;
	}
	struct cab_run *run = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(community_run(&m, &run, &err), CAB_EINPUT);
	CHECK(run == NULL);
	/* 10^15 / 1.44·10^13 = 69.4: the 70th participant, p69. */
	CHECK_STR(err.text, "test.json: the bills reach more than "
			    "10000000000000 EUR at participant 'p69', beyond "
			    "what cabine counts (expected prices and volumes "
			    "within the bounds of docs/scenario.md)\n");
	cab_err_release(&err);
	/* The same community is counted when it is smaller. */
	m.sc.n_participants = 69;
	CHECK_INT(community_run(&m, &run, NULL), CAB_OK);
	if (run)
		CHECK(run->total_bill_cents == 69 * (int64_t)14400000000000);
	cab_run_free(run);
}

/* A quarter-hour above 250,000 kWh (from a store edited by hand, a
 * test…) is refused by the run whatever its source, naming when. */
TEST(reading_beyond_the_bound_is_refused_by_the_run)
{
	static struct community m;
	community_init(&m, 2);
	m.c[1][40] = 1e20;
	struct cab_err err;
	cab_err_init(&err);
	struct cab_run *run = NULL;
	CHECK_INT(community_run(&m, &run, &err), CAB_EINPUT);
	CHECK_STR(err.text,
		  "test.json: participant 'p01': 1e+20 kWh consumed "
		  "in the quarter-hour of 2024-03-05T09:00:00Z "
		  "(expected at most 250000 kWh a quarter-hour, 1 GW: "
		  "see the bounds in docs/scenario.md)\n");
	cab_err_release(&err);
	cab_run_free(run);
}

/* ---- the property ---------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* A price or a volume anywhere in [0, max], in a random scale: small
 * values, and values up to the bound itself. */
static double value_up_to(double max)
{
	static const double scale[] = {1e-4, 1e-2, 1, 1};
	return uniform() * max * scale[(int)(uniform() * 4) % 4];
}

static int64_t line_of(const struct cab_bill *b, const char *name)
{
	for (size_t l = 0; l < b->n_lines; l++)
		if (!strcmp(b->lines[l].name, name))
			return b->lines[l].amount_cents;
	return 0;
}

/* Within one cent: the engine sums a line's quantity in its own order;
 * a sum that lands on a half cent may round either way. */
static bool near_cents(int64_t a, int64_t b)
{
	return a - b <= 1 && b - a <= 1;
}

/* Random communities (2 to 8 participants, every other a producer, one
 * day) with random prices up to 1,000 EUR/kWh and quarter-hours up to
 * 250,000 kWh, under the proportional key. Every line of every bill is
 * recomputed here from the inputs (SPEC §1, §2, §5: O = min(C, P),
 * D = C − O, X = P − O, a = D · min(1, S / ΣD), given = X · Σa / S; day
 * 07:00–22:00 local on this Tuesday); the lines must add up to each
 * bill's total and the bills to the run's, exactly. */
TEST(random_bills_within_the_bounds_add_up)
{
	static struct community m;
	int bad_lines = 0, bad_sums = 0, runs = 0;
	for (int trial = 0; trial < 300; trial++) {
		size_t n = 2 + (size_t)(uniform() * 7);
		community_init(&m, n);
		struct cab_tariff *t = &m.sc.tariff;
		double max = CAB_SCENARIO_MAX_EUR_KWH;
		t->supplier_day_eur_kwh = value_up_to(max);
		t->supplier_night_eur_kwh = value_up_to(max);
		t->network_eur_kwh = value_up_to(max);
		t->network_shared_eur_kwh[1] = value_up_to(max);
		t->taxes_eur_kwh = value_up_to(max);
		t->injection_eur_kwh = value_up_to(max);
		m.sc.sharing.price_eur_kwh = value_up_to(max);
		double vat = (double)(int)(uniform() * 30) / 100;
		for (size_t i = 0; i < n; i++) {
			m.p[i].vat = vat;
			for (size_t k = 0; k < NT; k++) {
				m.c[i][k] = value_up_to(CAB_READINGS_MAX_KWH);
				m.pv[i][k] = value_up_to(CAB_READINGS_MAX_KWH);
			}
		}
		struct cab_run *run = NULL;
		if (community_run(&m, &run, NULL) != CAB_OK || !run)
			continue; /* beyond what cabine counts: refused */
		runs++;
		/* The sharing, recomputed per interval. */
		double a[MAX_P] = {0}, g[MAX_P] = {0}, cd[MAX_P] = {0},
		       cn[MAX_P] = {0}, inj[MAX_P] = {0}, dd[MAX_P] = {0},
		       dn[MAX_P] = {0}, x[MAX_P] = {0};
		for (size_t k = 0; k < NT; k++) {
			bool is_day = k / 4 >= 7 && k / 4 < 22;
			double sum_d = 0, s = 0, d[MAX_P], xi[MAX_P];
			for (size_t i = 0; i < n; i++) {
				double p =
				    m.p[i].meter_production ? m.pv[i][k] : 0;
				double o = fmin(m.c[i][k], p);
				d[i] = m.c[i][k] - o;
				xi[i] = p - o;
				sum_d += d[i];
				s += xi[i];
			}
			double f = sum_d > 0 ? fmin(1, s / sum_d) : 0;
			double sum_a = f * sum_d;
			for (size_t i = 0; i < n; i++) {
				double ai = d[i] * f;
				double gi = s > 0 ? xi[i] * sum_a / s : 0;
				a[i] += ai;
				g[i] += gi;
				inj[i] += xi[i] - gi;
				x[i] += xi[i];
				*(is_day ? &cd[i] : &cn[i]) += d[i] - ai;
				*(is_day ? &dd[i] : &dn[i]) += d[i];
			}
		}
		int64_t total = 0;
		for (size_t i = 0; i < n; i++) {
			const struct cab_participant_result *r = &run->p[i];
			double ps = m.sc.sharing.price_eur_kwh;
			int64_t want[8] = {
			    cab_round_cents(a[i] * ps),
			    cab_round_cents(cd[i] * t->supplier_day_eur_kwh),
			    cab_round_cents(cn[i] * t->supplier_night_eur_kwh),
			    cab_round_cents((cd[i] + cn[i]) *
					    t->network_eur_kwh),
			    cab_round_cents(a[i] *
					    t->network_shared_eur_kwh[1]),
			    cab_round_cents((a[i] + cd[i] + cn[i]) *
					    t->taxes_eur_kwh),
			    -cab_round_cents(g[i] * ps),
			    -cab_round_cents(inj[i] * t->injection_eur_kwh)};
			static const char *const names[8] = {
			    "shared_energy", "supplier_day",   "supplier_night",
			    "network",	     "network_shared", "taxes",
			    "shared_sold",   "injection"};
			int64_t base = 0, sum = 0;
			for (int l = 0; l < 8; l++) {
				if (!near_cents(line_of(&r->bill, names[l]),
						want[l]))
					bad_lines++;
				if (l < 6)
					base += line_of(&r->bill, names[l]);
			}
			if (!near_cents(
				line_of(&r->bill, "vat"),
				cab_round_cents((double)base * vat / 100)))
				bad_lines++;
			/* Alone: all demand from the supplier, all surplus
			 * injected. */
			if (!near_cents(line_of(&r->baseline, "supplier_day"),
					cab_round_cents(
					    dd[i] * t->supplier_day_eur_kwh)) ||
			    !near_cents(
				line_of(&r->baseline, "injection"),
				-cab_round_cents(x[i] * t->injection_eur_kwh)))
				bad_lines++;
			for (size_t l = 0; l < r->bill.n_lines; l++)
				sum += r->bill.lines[l].amount_cents;
			if (sum != r->bill.total_cents)
				bad_sums++;
			total += r->bill.total_cents;
		}
		if (total != run->total_bill_cents)
			bad_sums++;
		cab_run_free(run);
	}
	CHECK(runs > 250); /* one day within the bounds is always counted */
	CHECK_INT(bad_lines, 0);
	CHECK_INT(bad_sums, 0);
}

/* Beyond the bounds, the loader refuses: a random price above 1,000
 * EUR/kWh, a yearly term above 10^7 EUR or an amount above 10^9 EUR, at
 * a random key, is bad input (exit 2) naming its JSON path. */
TEST(random_prices_beyond_the_bounds_are_bad_input)
{
	static const char *const keys[] = {
	    "\"tariff\": {\"supplier_day_eur_kwh\": %.17g, "
	    "\"network_eur_kwh\": 0.1, \"network_shared_eur_kwh\": {\"A\": "
	    "0, \"B\": 0, \"C\": 0, \"D\": 0}, \"taxes_eur_kwh\": 0, "
	    "\"injection_eur_kwh\": 0}",
	    "\"tariff\": {\"supplier_day_eur_kwh\": 0.2, "
	    "\"network_eur_kwh\": 0.1, \"network_shared_eur_kwh\": {\"A\": "
	    "0, \"B\": %.17g, \"C\": 0, \"D\": 0}, \"taxes_eur_kwh\": 0, "
	    "\"injection_eur_kwh\": 0}",
	    "\"tariff\": {\"supplier_day_eur_kwh\": 0.2, "
	    "\"network_eur_kwh\": 0.1, \"network_shared_eur_kwh\": {\"A\": "
	    "0, \"B\": 0, \"C\": 0, \"D\": 0}, \"taxes_eur_kwh\": 0, "
	    "\"injection_eur_kwh\": 0, \"network_fixed_eur_year\": %.17g}"};
	static const double limits[] = {1000, 1000, 1e7};
	static const char *const paths[] = {"$.tariff.supplier_day_eur_kwh",
					    "$.tariff.network_shared_eur_kwh.B",
					    "$.tariff.network_fixed_eur_year"};
	int refused = 0, named = 0;
	for (int trial = 0; trial < 300; trial++) {
		int k = trial % 3;
		/* Just beyond, or far beyond (up to 10^300). */
		double v = limits[k] *
			   (1 + (trial % 2 ? 1e-9 : pow(10, uniform() * 300)));
		char tariff[512], json[2048];
		snprintf(tariff, sizeof(tariff), keys[k], v);
		int len = snprintf(
		    json, sizeof(json),
		    "{\"name\": \"t\", \"period\": {\"start\": \"2024-03-05\", "
		    "\"end\": \"2024-03-06\"}, \"readings\": \"r.csv\", "
		    "\"participants\": [{\"id\": \"a\"}], %s}",
		    tariff);
		struct cab_scenario *sc = NULL;
		struct cab_err err;
		cab_err_init(&err);
		if (cab_scenario_parse("t.json", json, (size_t)len, &sc,
				       &err) == CAB_EINPUT &&
		    !sc)
			refused++;
		char want[128];
		snprintf(want, sizeof(want), "t.json: %s: ", paths[k]);
		if (err.text && !strncmp(err.text, want, strlen(want)) &&
		    strstr(err.text, "must be at most"))
			named++;
		cab_err_release(&err);
		cab_scenario_free(sc);
	}
	CHECK_INT(refused, 300);
	CHECK_INT(named, 300);
}

static const struct harness_test tests[] = {
    T(round_cents_half_away_from_zero_and_saturates),
    T(cents_add_refuses_what_cabine_cannot_count),
    T(bill_beyond_the_limit_names_its_line),
    T(run_whose_total_goes_beyond_the_limit_is_refused),
    T(reading_beyond_the_bound_is_refused_by_the_run),
    T(random_bills_within_the_bounds_add_up),
    T(random_prices_beyond_the_bounds_are_bad_input),
};

HARNESS_MAIN("test_bill", tests)
