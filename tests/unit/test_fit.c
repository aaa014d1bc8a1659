/*
 * test_fit.c — SPEC §12 "choosing a key": fit-key's exact one-round
 * answer (by hand, and against a fine grid of weights), its until-done
 * search, the rounding of weights to 1e-9, the value v of a kWh against
 * the bill, the default weights over members with demand, the Flemish
 * rule (self_share false) and weights that change by blocks.
 */
#include <math.h>
#include <stdint.h>
#include <unistd.h>

#include "cabine/key.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/sharing.h"
#include "community.h"
#include "harness.h"

static uint64_t rng = 88172645463325252ULL;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* A problem over caller arrays (at most 8 members, 64 intervals). */
struct prob {
	struct cab_fit_problem p;
	double d[64 * 8], s[64], c[64], f[8], lo[8], hi[8];
	bool cand[8];
};

static void setup(struct prob *q, size_t n, size_t nt)
{
	memset(q, 0, sizeof *q);
	for (size_t i = 0; i < n; i++) {
		q->f[i] = 1.06;
		q->lo[i] = 0;
		q->hi[i] = 1;
		q->cand[i] = true;
	}
	q->p = (struct cab_fit_problem){.n = n,
					.n_t = nt,
					.demand = q->d,
					.supply = q->s,
					.value = q->c,
					.factor = q->f,
					.min_weight = q->lo,
					.max_weight = q->hi,
					.is_candidate = q->cand};
}

/* Random data: n members, nt intervals, mixed VAT; some members without
 * demand in some intervals. */
static void random_problem(struct prob *q, size_t n, size_t nt)
{
	setup(q, n, nt);
	for (size_t i = 0; i < n; i++)
		q->f[i] = rnd() < 0.3 ? 1.21 : 1.06;
	for (size_t t = 0; t < nt; t++) {
		q->s[t] = 0.1 + rnd() * 4;
		q->c[t] = rnd() < 0.5 ? 0.17 : 0.14; /* day, night */
		for (size_t i = 0; i < n; i++)
			q->d[t * n + i] = rnd() < 0.2 ? 0 : rnd() * 2;
	}
}

static double saving(const struct prob *q, const double *w, bool until)
{
	double sv = 0, sa = 0;
	CHECK_INT(cab_key_fit_evaluate(&q->p, w, until, &sv, &sa), CAB_OK);
	return sv;
}

/* Two members, two intervals, c = 1, f = 1:
 *   t0: S = 4, D = [1, 3]; t1: S = 2, D = [2, 0].
 * F_A(w) = min(1, 4w) + min(2, 2w): slope 6 up to w = 0.25, then 2 up
 * to 1; F_B(w) = min(3, 4w): slope 4 up to 0.75. The budget goes to A's
 * steepest segment (0.25), then to B's (0.75): w = [0.25, 0.75], saving
 * F_A = 1 + 0.5 = 1.5 plus F_B = 3, 4.5; the optimum hands out
 * min(S, ΣD) = 4 + 2 = 6, so the fixed key loses 25 %. */
TEST(one_round_fit_by_hand)
{
	struct prob q;
	setup(&q, 2, 2);
	q.s[0] = 4, q.d[0] = 1, q.d[1] = 3;
	q.s[1] = 2, q.d[2] = 2, q.d[3] = 0;
	q.c[0] = q.c[1] = 1;
	q.f[0] = q.f[1] = 1;
	double w[2];
	struct cab_fit_outcome o;
	CHECK_INT(cab_key_fit(&q.p, w, &o, NULL), CAB_OK);
	CHECK_NEAR(w[0], 0.25, 1e-12);
	CHECK_NEAR(w[1], 0.75, 1e-12);
	CHECK_NEAR(o.saving, 4.5, 1e-12);
	CHECK_NEAR(o.shared_kwh, 4.5, 1e-12);
	CHECK_NEAR(o.optimum_saving, 6, 1e-12);
	CHECK_NEAR(o.optimum_shared_kwh, 6, 1e-12);
}

/* Identical members tie at every slope: they get identical weights. */
TEST(identical_members_get_identical_weights)
{
	struct prob q;
	setup(&q, 3, 4);
	for (size_t t = 0; t < 4; t++) {
		q.s[t] = 1 + (double)t, q.c[t] = 0.17;
		for (size_t i = 0; i < 3; i++)
			q.d[t * 3 + i] = 0.5 + 0.25 * (double)t;
	}
	double w[3];
	struct cab_fit_outcome o;
	CHECK_INT(cab_key_fit(&q.p, w, &o, NULL), CAB_OK);
	/* 1/3 in units of 1e-9: 333333334 + 2 × 333333333 = 1e9. */
	CHECK_NEAR(w[0], 0.333333334, 1e-15);
	CHECK_NEAR(w[1], 0.333333333, 1e-15);
	CHECK_NEAR(w[2], 0.333333333, 1e-15);
}

/* Three members, random data: the fit against every weight vector of a
 * grid of step 1/300 on the simplex (45,451 points). The fit is never
 * beaten, and the grid comes within its resolution of it. */
TEST(one_round_fit_beats_a_fine_grid_of_three)
{
	int beaten = 0, far = 0, cases = 0;
	for (int rep = 0; rep < 4; rep++) {
		struct prob q;
		random_problem(&q, 3, 24);
		if (rep == 3) { /* with bounds */
			q.lo[0] = 0.2, q.hi[1] = 0.3;
		}
		double w[3];
		struct cab_fit_outcome o;
		CHECK_INT(cab_key_fit(&q.p, w, &o, NULL), CAB_OK);
		CHECK(w[0] >= q.lo[0] - 1e-12 && w[1] <= q.hi[1] + 1e-12);
		CHECK_NEAR(w[0] + w[1] + w[2], 1, 1e-12);
		double best = 0;
		const int g = 300;
		for (int a = 0; a <= g; a++)
			for (int b = 0; a + b <= g; b++) {
				double x[3] = {a / (double)g, b / (double)g,
					       (g - a - b) / (double)g};
				if (x[0] < q.lo[0] || x[1] > q.hi[1])
					continue;
				double sv = 0, sa = 0;
				cab_key_fit_evaluate(&q.p, x, false, &sv, &sa);
				if (sv > best)
					best = sv;
			}
		cases++;
		/* Exact up to 1e-6 relative (the rounding to 1e-9). */
		beaten += best > o.saving * (1 + 1e-6);
		far += o.saving - best > 0.01 * o.saving;
	}
	CHECK_INT(cases, 4);
	CHECK_INT(beaten, 0);
	CHECK_INT(far, 0);
}

/* Random communities: the fitted weights save at least as much as any of
 * 30 random weight vectors, one round and until done; until done ends at
 * or above its start, the one-round answer replayed until done; no fixed
 * key beats the optimum. */
TEST(fit_saves_at_least_any_random_fixed_key)
{
	int worse = 0, below_start = 0, above_optimum = 0, tried = 0;
	for (int rep = 0; rep < 20; rep++) {
		size_t n = 2 + (size_t)(rnd() * 6);
		struct prob q;
		random_problem(&q, n, 48);
		for (int until = 0; until < 2; until++) {
			q.p.is_until_done = until;
			double w[8];
			struct cab_fit_outcome o;
			CHECK_INT(cab_key_fit(&q.p, w, &o, NULL), CAB_OK);
			below_start += o.saving < o.one_round_saving - 1e-9;
			above_optimum += o.saving > o.optimum_saving + 1e-9;
			for (int k = 0; k < 30; k++) {
				double x[8], sum = 0;
				for (size_t i = 0; i < n; i++)
					sum += x[i] = rnd();
				for (size_t i = 0; i < n; i++)
					x[i] /= sum;
				double sv = saving(&q, x, until);
				worse += sv > o.saving * (1 + 1e-6) + 1e-9;
				tried++;
			}
		}
	}
	CHECK_INT(tried, 1200);
	CHECK_INT(worse, 0);
	CHECK_INT(below_start, 0);
	CHECK_INT(above_optimum, 0);
}

/* Until done with everyone's weight > 0 hands out min(S, ΣD): with one
 * VAT rate the one-round answer replayed until done is the optimum. */
TEST(until_done_reaches_the_optimum_with_one_vat_rate)
{
	struct prob q;
	random_problem(&q, 5, 40);
	for (size_t i = 0; i < 5; i++)
		q.f[i] = 1.06;
	q.p.is_until_done = true;
	double w[5];
	struct cab_fit_outcome o;
	CHECK_INT(cab_key_fit(&q.p, w, &o, NULL), CAB_OK);
	CHECK_NEAR(o.saving, o.optimum_saving, 1e-9 * o.optimum_saving);
	CHECK_NEAR(o.shared_kwh, o.optimum_shared_kwh, 1e-9);
}

/* Largest remainder in units of 1e-9: 0.1234567894 + 0.3765432106 +
 * 0.5 → floors 123456789 + 376543210 + 500000000 = 999999999, the unit
 * left goes to the largest remainder (0.6 of the second). */
TEST(weights_round_to_units_that_sum_to_one)
{
	double w[3] = {0.1234567894, 0.3765432106, 0.5};
	long long u[3];
	cab_key_fit_round(3, w, NULL, NULL, u);
	CHECK_INT(u[0], 123456789);
	CHECK_INT(u[1], 376543211);
	CHECK_INT(u[2], 500000000);
	/* A bound caps the unit: the next remainder takes it. */
	double hi[3] = {1, 0.376543210, 1};
	cab_key_fit_round(3, w, NULL, hi, u);
	CHECK_INT(u[0] + u[1] + u[2], 1000000000);
	CHECK_INT(u[1], 376543210);
	CHECK_INT(u[0], 123456790);
}

TEST(fit_reports_impossible_bounds_and_costly_sharing)
{
	struct prob q;
	random_problem(&q, 3, 8);
	double w[3];
	struct cab_fit_outcome o;
	struct cab_err err;
	cab_err_init(&err);
	q.lo[0] = q.lo[1] = 0.6;
	CHECK_INT(cab_key_fit(&q.p, w, &o, &err), CAB_EINPUT);
	CHECK_STR(err.text, "the lower bounds sum to 1.2 (expected at most "
			    "1)\n");
	cab_err_release(&err);
	cab_err_init(&err);
	q.lo[0] = q.lo[1] = 0;
	q.c[2] = -0.01;
	CHECK_INT(cab_key_fit(&q.p, w, &o, &err), CAB_EINPUT);
	CHECK_STR(err.text,
		  "in 1 quarter-hours a shared kWh costs more than a kWh "
		  "from the grid, so no weight is best (expected a sharing "
		  "price and shared network rate below the supplier and "
		  "network prices)\n");
	cab_err_release(&err);
}

/* v = (supplier + network − price − network_shared[B]) · (1 + vat):
 * day (0.25 + 0.12 − 0.15 − 0.05) · 1.06 = 0.1802; night 0.22 → 0.1484. */
TEST(value_of_a_shared_kwh_by_hand)
{
	struct cab_scenario sc;
	struct cab_participant p[1];
	char ids[1][8], meters[1][2][12];
	make_scenario(&sc, p, 1, ids, meters);
	CHECK_NEAR(
	    cab_share_value_eur_kwh(&sc.tariff, &sc.sharing, 'B', true, 0.06),
	    0.1802, 1e-12);
	CHECK_NEAR(
	    cab_share_value_eur_kwh(&sc.tariff, &sc.sharing, 'B', false, 0.06),
	    0.1484, 1e-12);
}

/* Readings of n participants from arrays c[i][96] and pv[i][96]. */
static struct cab_readings *readings(const struct cab_scenario *sc, size_t n,
				     double c[][96], double pv[][96])
{
	struct cab_readings *rd = NULL;
	CHECK_INT(cab_readings_new(sc->t0_s, 96, &rd, NULL), CAB_OK);
	for (size_t i = 0; i < n && rd; i++) {
		cab_readings_put(rd, sc->participants[i].meter_consumption,
				 c[i], NULL);
		cab_readings_put(rd, sc->participants[i].meter_production,
				 pv[i], NULL);
	}
	return rd;
}

/* The saving the bill shows is the value of what was received plus what
 * producers sold above the injection price: baseline − bill =
 * Σ_t v(t)·a(t) + given·(price − injection), to the rounding of the
 * lines (a few cents), on random days of four participants. */
TEST(value_matches_the_bill)
{
	int bad = 0, runs = 0;
	for (int rep = 0; rep < 10; rep++) {
		struct cab_scenario sc;
		struct cab_participant p[4];
		char ids[4][8], meters[4][2][12];
		make_scenario(&sc, p, 4, ids, meters);
		p[3].vat = 0.21;
		double c[4][96], pv[4][96];
		for (size_t i = 0; i < 4; i++)
			for (size_t t = 0; t < 96; t++) {
				c[i][t] = rnd();
				pv[i][t] =
				    i < 2 && t > 30 && t < 70 ? rnd() * 3 : 0;
			}
		struct cab_readings *rd = readings(&sc, 4, c, pv);
		struct cab_run *run = NULL;
		CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
		for (size_t i = 0; run && i < 4; i++) {
			const struct cab_participant_result *r = &run->p[i];
			double v = 0;
			for (size_t t = 0; t < 96; t++) {
				/* Tuesday in UTC+1: interval t at t/4 h. */
				bool is_day = t / 4 >= 7 && t / 4 < 22;
				v += cab_share_value_eur_kwh(&sc.tariff,
							     &sc.sharing, 'B',
							     is_day, p[i].vat) *
				     r->shared_kwh[t];
			}
			v += r->total.given_kwh * (0.15 - 0.03);
			double got = (double)(r->baseline.total_cents -
					      r->bill.total_cents) /
				     100;
			bad += fabs(got - v) > 0.05;
			runs++;
		}
		cab_run_free(run);
		cab_readings_free(rd);
	}
	CHECK_INT(runs, 40);
	CHECK_INT(bad, 0);
}

/* The participants' meters as net offtake/injection (DSO data), and
 * readings of c (offtake) and pv (injection) for them. */
static struct cab_readings *net_readings(struct cab_scenario *sc,
					 struct cab_participant *p, size_t n,
					 double c[][96], double pv[][96])
{
	struct cab_readings *rd = readings(sc, n, c, pv);
	for (size_t i = 0; i < n; i++) {
		p[i].meter_offtake = p[i].meter_consumption;
		p[i].meter_injection = p[i].meter_production;
		p[i].meter_consumption = p[i].meter_production = NULL;
	}
	return rd;
}

/* key fixed without weights: 1/N over the members with demand. P only
 * produces (4 kWh at 10:00), A and B consume 3 each: each gets 1/2 of
 * 4 = 2 (not 4/3, which left P's third unallocated). */
TEST(default_weights_skip_members_without_demand)
{
	struct cab_scenario sc;
	struct cab_participant p[3];
	char ids[3][8], meters[3][2][12];
	make_scenario(&sc, p, 3, ids, meters);
	snprintf(sc.sharing.key, sizeof sc.sharing.key, "fixed");
	double c[3][96] = {{0}}, pv[3][96] = {{0}};
	pv[0][40] = 4, c[1][40] = 3, c[2][40] = 3;
	struct cab_readings *rd = readings(&sc, 3, c, pv);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_NEAR(run->p[1].shared_kwh[40], 2, 1e-12);
		CHECK_NEAR(run->p[2].shared_kwh[40], 2, 1e-12);
		CHECK_NEAR(run->p[0].given_kwh[40], 4, 1e-12);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Net data at 10:00: A takes 2 and injects 3 in the same quarter-hour
 * (offtake and injection meters), B takes 1; fixed 50/50.
 * self_share true: S = 3, a_A = min(2, 1.5) = 1.5, a_B = min(1, 1.5) = 1.
 * self_share false: A's 3 go to B alone (B's weight 0.5 renormalised
 * without A to 1): a_B = min(1, 3) = 1, a_A = 0, A gives 1. */
TEST(flemish_rule_keeps_own_injection_out)
{
	for (int flemish = 0; flemish < 2; flemish++) {
		struct cab_scenario sc;
		struct cab_participant p[2];
		char ids[2][8], meters[2][2][12];
		make_scenario(&sc, p, 2, ids, meters);
		for (size_t i = 0; i < 2; i++)
			p[i].weight = 0.5, p[i].has_weight = true;
		snprintf(sc.sharing.key, sizeof sc.sharing.key, "fixed");
		sc.sharing.has_weights = true;
		sc.sharing.is_without_self_share = flemish;
		double c[2][96] = {{0}}, pv[2][96] = {{0}};
		c[0][40] = 2, pv[0][40] = 3, c[1][40] = 1;
		struct cab_readings *rd = net_readings(&sc, p, 2, c, pv);
		struct cab_run *run = NULL;
		CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
		if (run) {
			CHECK_NEAR(run->p[0].shared_kwh[40], flemish ? 0 : 1.5,
				   1e-12);
			CHECK_NEAR(run->p[1].shared_kwh[40], 1, 1e-12);
			CHECK_NEAR(run->p[0].given_kwh[40], flemish ? 1 : 2.5,
				   1e-12);
		}
		cab_run_free(run);
		cab_readings_free(rd);
	}
}

/* The Flemish rule with the proportional key and two producers that
 * also consume (net data, one interval): A takes 1 and injects 2, B
 * takes 3 and injects 1, C takes 2. A's 2 go to B and C pro rata of
 * their demand 3 : 2 → 1.2 and 0.8; then B's 1 to A and C pro rata of
 * what they still need, 1 : 1.2 → 0.454545 and 0.545455.
 * a = [0.454545, 1.2, 1.345455]; A gave 2, B gave 1. */
TEST(flemish_rule_with_two_producers)
{
	struct cab_scenario sc;
	struct cab_participant p[3];
	char ids[3][8], meters[3][2][12];
	make_scenario(&sc, p, 3, ids, meters);
	sc.sharing.is_without_self_share = true;
	double c[3][96] = {{0}}, pv[3][96] = {{0}};
	c[0][40] = 1, pv[0][40] = 2, c[1][40] = 3, pv[1][40] = 1, c[2][40] = 2;
	struct cab_readings *rd = net_readings(&sc, p, 3, c, pv);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_NEAR(run->p[0].shared_kwh[40], 1 / 2.2, 1e-9);
		CHECK_NEAR(run->p[1].shared_kwh[40], 1.2, 1e-9);
		CHECK_NEAR(run->p[2].shared_kwh[40], 0.8 + 1.2 / 2.2, 1e-9);
		CHECK_NEAR(run->p[0].given_kwh[40], 2, 1e-9);
		CHECK_NEAR(run->p[1].given_kwh[40], 1, 1e-9);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

/* Write text into a file of the test's own temporary folder. */
static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* A scenario file of a day with a weights CSV: the morning block gives
 * A 0.8 and B 0.2, from 12:00 (local) the other way round. At 10:00 and
 * 14:00 S = 1 (P) and A, B take 1 each: 0.8/0.2, then 0.2/0.8. */
TEST(weights_change_at_each_block)
{
	char dir[] = "/tmp/cabine-fit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], csv[256];
	snprintf(csv, sizeof csv, "%s/weights.csv", dir);
	put_file(csv, "\xEF\xBB\xBF"
		      "From;Participant;Weight\r\n"
		      "2024-03-05;a;0,8\r\n2024-03-05;b;0,2\r\n"
		      "2024-03-05T12:00;a;0,2\r\n2024-03-05T12:00;b;0,8\r\n");
	snprintf(path, sizeof path, "%s/scenario.json", dir);
	put_file(path,
		 "{\"name\": \"blocks\", \"period\": {\"start\": "
		 "\"2024-03-05\", \"end\": \"2024-03-06\"}, \"readings\": "
		 "\"r.csv\", \"participants\": [{\"id\": \"a\", \"meters\": "
		 "{\"consumption\": \"a-c\"}}, {\"id\": \"b\", \"meters\": "
		 "{\"consumption\": \"b-c\"}}, {\"id\": \"p\", \"meters\": "
		 "{\"production\": \"p-pv\"}}], \"tariff\": "
		 "{\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": 0.12, "
		 "\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
		 "\"C\": 0.09, \"D\": 0.12}, \"taxes_eur_kwh\": 0.05, "
		 "\"injection_eur_kwh\": 0.03}, \"sharing\": {\"key\": "
		 "\"fixed\", \"weights\": \"weights.csv\"}}");
	struct cab_scenario *sc = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_scenario_load(path, &sc, &err), CAB_OK);
	if (err.text)
		fputs(err.text, stderr);
	cab_err_release(&err);
	if (!sc)
		return;
	CHECK_INT(sc->sharing.n_weight_blocks, 2);
	CHECK_INT(sc->sharing.block_first[1], 48);
	double c[3][96] = {{0}}, pv[3][96] = {{0}};
	c[0][40] = c[1][40] = c[0][56] = c[1][56] = 1;
	pv[2][40] = pv[2][56] = 1;
	struct cab_readings *rd = NULL;
	CHECK_INT(cab_readings_new(sc->t0_s, 96, &rd, NULL), CAB_OK);
	cab_readings_put(rd, "a-c", c[0], NULL);
	cab_readings_put(rd, "b-c", c[1], NULL);
	cab_readings_put(rd, "p-pv", pv[2], NULL);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK_NEAR(run->p[0].shared_kwh[40], 0.8, 1e-12);
		CHECK_NEAR(run->p[1].shared_kwh[40], 0.2, 1e-12);
		CHECK_NEAR(run->p[0].shared_kwh[56], 0.2, 1e-12);
		CHECK_NEAR(run->p[1].shared_kwh[56], 0.8, 1e-12);
	}
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	/* A block after the period's start and a bad row: every problem with
	 * its line. */
	put_file(csv, "from,participant,weight\n2024-03-05T12:10,a,0.5\n"
		      "2024-03-06,zz,0.5\n2024-03-07,b,1.5\n");
	cab_err_init(&err);
	CHECK_INT(cab_scenario_load(path, &sc, &err), CAB_EINPUT);
	char want[1024];
	snprintf(want, sizeof want,
		 "%s:2: column 'from': '2024-03-05T12:10' is not the start of "
		 "a quarter-hour (expected :00, :15, :30 or :45)\n"
		 "%s:3: column 'participant': 'zz' is not declared in "
		 "$.participants\n"
		 "%s:4: column 'weight': 1.5 is out of range (expected a "
		 "fraction between 0 and 1)\n",
		 csv, csv, csv);
	CHECK_STR(err.text, want);
	cab_err_release(&err);
	put_file(csv, "from,participant,weight\n2024-03-05T06:00,a,0.5\n");
	cab_err_init(&err);
	CHECK_INT(cab_scenario_load(path, &sc, &err), CAB_EINPUT);
	snprintf(want, sizeof want,
		 "%s:2: the first block starts on 2024-03-05T06:00, after the "
		 "period's start 2024-03-05 (expected a block from 2024-03-05 "
		 "or before)\n",
		 csv);
	CHECK_STR(err.text, want);
	cab_err_release(&err);
	unlink(csv);
	unlink(path);
	rmdir(dir);
}

/* key "fit" in a run: the weights of the members with demand sum to 1
 * exactly in units of 1e-9; the producer has none (NaN). */
TEST(fit_key_in_a_run_lists_members_with_demand)
{
	struct cab_scenario sc;
	struct cab_participant p[4];
	char ids[4][8], meters[4][2][12];
	make_scenario(&sc, p, 4, ids, meters);
	snprintf(sc.sharing.key, sizeof sc.sharing.key, "fit");
	double c[4][96] = {{0}}, pv[4][96] = {{0}};
	for (size_t t = 0; t < 96; t++) {
		pv[0][t] = t > 30 && t < 70 ? 2 + rnd() : 0;
		for (size_t i = 1; i < 4; i++)
			c[i][t] = rnd() * (double)i;
	}
	struct cab_readings *rd = readings(&sc, 4, c, pv);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (run) {
		CHECK(run->fit.is_fitted);
		CHECK(isnan(run->fit_weight[0]));
		long long units = 0;
		for (size_t i = 1; i < 4; i++)
			units += llround(run->fit_weight[i] * 1e9);
		CHECK_INT(units, 1000000000);
		CHECK_NEAR(run->fit.shared_kwh, run->ind.allocated_kwh, 1e-9);
		CHECK(run->fit.saving_eur <= run->fit.optimum_saving_eur);
		CHECK(run->fit.loss_pct >= 0);
	}
	cab_run_free(run);
	cab_readings_free(rd);
}

static const struct harness_test tests[] = {
    T(one_round_fit_by_hand),
    T(identical_members_get_identical_weights),
    T(one_round_fit_beats_a_fine_grid_of_three),
    T(fit_saves_at_least_any_random_fixed_key),
    T(until_done_reaches_the_optimum_with_one_vat_rate),
    T(weights_round_to_units_that_sum_to_one),
    T(fit_reports_impossible_bounds_and_costly_sharing),
    T(value_of_a_shared_kwh_by_hand),
    T(value_matches_the_bill),
    T(default_weights_skip_members_without_demand),
    T(flemish_rule_keeps_own_injection_out),
    T(flemish_rule_with_two_producers),
    T(weights_change_at_each_block),
    T(fit_key_in_a_run_lists_members_with_demand),
};
HARNESS_MAIN("test_fit", tests)
