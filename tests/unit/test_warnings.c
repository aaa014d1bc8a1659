/*
 * test_warnings.c — the warnings of SPEC §10 (engine/analyse/warnings.c)
 * on one-day communities built from JSON and CSV text: one case per
 * code with its numbers by hand, and a clean community without any.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cabine/import.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/scenario.h"
#include "cabine/source.h"
#include "cabine/time.h"
#include "cabine/warnings.h"
#include "harness.h"

#define TARIFF                                                                 \
	"\"tariff\": {\"supplier_day_eur_kwh\": %s, "                          \
	"\"supplier_fixed_eur_year\": %s, \"network_eur_kwh\": 0.12, "         \
	"\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, " \
	"\"D\": 0.12}, \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03}"

/* A scenario of participants a (consumer) and b (consumer and producer)
 * behind cabin rg metered by "cab", over [2024-03-05, end), with the
 * supplier's day price and fixed term, and a sharing section. */
static char *scenario(const char *end, const char *day_price, const char *fixed,
		      const char *extra_participant, const char *sharing)
{
	char *s = malloc(4096);
	snprintf(s, 4096,
		 "{\"name\": \"w\", \"period\": {\"start\": \"2024-03-05\", "
		 "\"end\": \"%s\"}, \"readings\": \"r.csv\", \"cabins\": "
		 "[{\"id\": \"rg\", \"meter\": \"cab\"}], \"participants\": "
		 "[{\"id\": \"a\", \"cabin\": \"rg\", \"meters\": "
		 "{\"consumption\": \"a-c\"}}, {\"id\": \"b\", \"cabin\": "
		 "\"rg\", \"meters\": {\"consumption\": \"b-c\", "
		 "\"production\": \"b-pv\"}}%s], " TARIFF ", \"sharing\": %s}",
		 end, extra_participant, day_price, fixed, sharing);
	return s;
}

/* One day of readings from 2024-03-05 local midnight: each meter of
 * names[0..n) at kwh[k] every quarter-hour. */
static char *one_day(const char *const *names, const double *kwh, size_t n)
{
	size_t cap = 96 * n * 48 + 64;
	char *s = malloc(cap);
	size_t len = (size_t)snprintf(s, cap, "timestamp,meter,kwh\n");
	int64_t t0 = cab_time_local_midnight(2024, 3, 5);
	for (int q = 0; q < 96; q++) {
		char ts[21];
		cab_time_format_utc(t0 + q * CAB_INTERVAL_S, ts);
		for (size_t k = 0; k < n; k++)
			len +=
			    (size_t)snprintf(s + len, cap - len, "%s,%s,%.3f\n",
					     ts, names[k], kwh[k]);
	}
	return s;
}

/* Load the scenario and readings like `cabine run` (only its meters are
 * kept), run its base and find its warnings into err; the run and the
 * rest are freed. Returns the status of the first failing step. */
static enum cab_status warnings_of(char *json, char *csv, struct cab_err *err)
{
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	enum cab_status st =
	    cab_scenario_parse("w.json", json, strlen(json), &sc, err);
	if (st == CAB_OK)
		st = cab_readings_new(sc->t0_s, sc->n_intervals, &rd, err);
	for (size_t i = 0; st == CAB_OK && i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		const char *m[] = {p->meter_consumption, p->meter_production};
		for (int k = 0; k < 2; k++)
			if (m[k])
				cab_readings_want(rd, m[k], err);
	}
	if (st == CAB_OK) {
		cab_readings_want(rd, "cab", err);
		st = cab_readings_parse_csv(rd, "r.csv", csv, strlen(csv), err);
	}
	if (st == CAB_OK)
		st = cab_run_new(sc, rd, -1, &run, err);
	if (st == CAB_OK) {
		/* Warnings never change a number: the run's results are the
		 * same bytes before and after. */
		size_t size = run->n * sizeof(*run->p);
		void *before = malloc(size);
		memcpy(before, run->p, size);
		int64_t bill = run->total_bill_cents;
		st = cab_warnings_find(sc, rd, run, err);
		CHECK(memcmp(before, run->p, size) == 0);
		CHECK(bill == run->total_bill_cents);
		free(before);
	}
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	free(json);
	free(csv);
	return st;
}

static const char *const METERS[] = {"a-c", "b-c", "b-pv", "cab"};

/* err holds exactly one warning, of this code and this stderr line; err
 * is released. */
static void expect_only(struct cab_err *err, const char *code, const char *line)
{
	CHECK_INT(err->n_warnings, 1);
	if (err->n_warnings == 1) {
		CHECK_STR(err->warnings[0].code, code);
		CHECK_STR(err->warnings[0].line, line);
	}
	cab_err_release(err);
}
#define PROPORTIONAL "{\"key\": \"proportional\", \"price_eur_kwh\": 0.15}"

TEST(a_plausible_community_has_no_warning)
{
	/* Per quarter-hour a takes 0.1, b 0.3 − 0.2 = 0.1 net: the cabin
	 * should import 0.2 and its meter reads 0.21, a residual of
	 * 0.01 / 0.21 = 4.8 % (under 10 %). */
	const double kwh[] = {0.1, 0.3, 0.2, 0.21};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    warnings_of(scenario("2024-03-06", "0.25", "60", "", PROPORTIONAL),
			one_day(METERS, kwh, 4), &err),
	    CAB_OK);
	CHECK_INT(err.n_warnings, 0);
	CHECK_INT(err.count, 0);
	cab_err_release(&err);
}

TEST(a_period_beyond_the_data_and_low_coverage)
{
	/* Two days, data on the first only: 96 of 192 intervals (50.0 %)
	 * have no data, for the period and for each participant. */
	const double kwh[] = {0.1, 0.3, 0.2, 0.21};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    warnings_of(scenario("2024-03-07", "0.25", "60", "", PROPORTIONAL),
			one_day(METERS, kwh, 4), &err),
	    CAB_OK);
	CHECK_INT(err.n_warnings, 3);
	CHECK_STR(err.warnings[0].code, "period_beyond_data");
	CHECK_STR(err.warnings[0].line,
		  "w.json: $.period: the readings have data only from "
		  "2024-03-05 to 2024-03-05, but the period runs from "
		  "2024-03-05 to 2024-03-06: 50.0 % of it has no data "
		  "(expected readings over the whole period, or a period that "
		  "ends with them: fixed terms are billed for every day of the "
		  "period)");
	CHECK_STR(err.warnings[1].code, "low_coverage");
	CHECK_STR(err.warnings[1].message,
		  "participant 'a': 96 of the period's 192 intervals have no "
		  "reading (50.0 %, expected at most 10 %: those intervals are "
		  "left out of its sharing and of its bill)");
	CHECK_STR(err.warnings[2].line,
		  "w.json: $.participants[1]: participant 'b': 96 of the "
		  "period's 192 intervals have no reading (50.0 %, expected at "
		  "most 10 %: those intervals are left out of its sharing and "
		  "of its bill)");
	cab_err_release(&err);
}

TEST(a_meter_of_the_readings_that_no_one_names)
{
	/* h09-c is a household forgotten in the scenario. */
	const char *const names[] = {"a-c", "b-c", "b-pv", "cab", "h09-c"};
	const double kwh[] = {0.1, 0.3, 0.2, 0.21, 0.4};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    warnings_of(scenario("2024-03-06", "0.25", "60", "", PROPORTIONAL),
			one_day(names, kwh, 5), &err),
	    CAB_OK);
	expect_only(&err, "unused_meter",
		    "w.json: $.readings: the readings hold meters that no "
		    "participant or cabin names: 'h09-c' (a participant "
		    "forgotten in $.participants, or a meter id mistyped?)");
}

TEST(a_cabin_that_imports_more_than_its_participants_take)
{
	/* The meter reads 0.3 a quarter-hour where the participants' net
	 * is 0.2: 96 × 0.3 = 28.8 kWh imported, 96 × 0.1 = 9.6 kWh of
	 * residual, 9.6 / 28.8 = 33.3 %. */
	const double kwh[] = {0.1, 0.3, 0.2, 0.3};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    warnings_of(scenario("2024-03-06", "0.25", "60", "", PROPORTIONAL),
			one_day(METERS, kwh, 4), &err),
	    CAB_OK);
	expect_only(&err, "cabin_residual",
		    "w.json: $.cabins[0]: cabin 'rg': its meter 'cab' imported "
		    "28.800 kWh, 9.600 kWh (33.3 %) more than the participants "
		    "behind it account for (expected at most 10 %: is someone "
		    "behind it missing from $.participants?)");
}

TEST(prices_typed_in_cents)
{
	const double kwh[] = {0.1, 0.3, 0.2, 0.21};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(warnings_of(scenario("2024-03-06", "25", "6000", "",
				       "{\"price_eur_kwh\": 15}"),
			      one_day(METERS, kwh, 4), &err),
		  CAB_OK);
	CHECK_INT(err.n_warnings, 3);
	CHECK_STR(err.warnings[0].code, "implausible_price");
	CHECK_STR(err.warnings[0].line,
		  "w.json: $.tariff.supplier_day_eur_kwh: price 25 EUR/kWh is "
		  "above 2 EUR/kWh (typed in cents? 25 cents are written "
		  "0.25)");
	CHECK_STR(err.warnings[1].line,
		  "w.json: $.tariff.supplier_fixed_eur_year: fixed term 6000 "
		  "EUR a year is above 1000 EUR (typed in cents? 6000 cents "
		  "are written 60)");
	CHECK_STR(err.warnings[2].line,
		  "w.json: $.sharing.price_eur_kwh: price 15 EUR/kWh is above "
		  "2 EUR/kWh (typed in cents? 15 cents are written 0.15)");
	cab_err_release(&err);
}

TEST(fixed_weights_that_leave_production_unallocated)
{
	/* 0.2 + 0.2 = 0.4: 60 % of what is shared never finds a taker
	 * in one round. With rounds "until-done" nothing is lost. */
	const double kwh[] = {0.1, 0.3, 0.2, 0.21};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(warnings_of(scenario("2024-03-06", "0.25", "60", "",
				       "{\"key\": \"fixed\", \"weights\": "
				       "{\"a\": 0.2, \"b\": 0.2}}"),
			      one_day(METERS, kwh, 4), &err),
		  CAB_OK);
	expect_only(
	    &err, "weights_below_one",
	    "w.json: $.sharing.weights: weights sum to 0.4: 60 % of the "
	    "production shared can never be allocated (expected weights "
	    "that sum to 1)");
	cab_err_init(&err);
	CHECK_INT(warnings_of(scenario("2024-03-06", "0.25", "60", "",
				       "{\"key\": \"fixed\", \"rounds\": "
				       "\"until-done\", \"weights\": "
				       "{\"a\": 0.2, \"b\": 0.2}}"),
			      one_day(METERS, kwh, 4), &err),
		  CAB_OK);
	CHECK_INT(err.n_warnings, 0);
	cab_err_release(&err);
}

TEST(a_weight_given_to_a_producer)
{
	/* p only produces (0.1 a quarter-hour, no consumption meter): no
	 * demand over the day, yet weight 0.5. The cabin's meter reads
	 * the net 0.2 − 0.1 = 0.1. */
	const char *const names[] = {"a-c", "b-c", "b-pv", "cab", "p-pv"};
	const double kwh[] = {0.1, 0.3, 0.2, 0.1, 0.1};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(warnings_of(scenario("2024-03-06", "0.25", "60",
				       ", {\"id\": \"p\", \"kind\": "
				       "\"producer\", \"cabin\": \"rg\", "
				       "\"meters\": {\"production\": "
				       "\"p-pv\"}}",
				       "{\"key\": \"fixed\", \"weights\": "
				       "{\"a\": 0.25, \"b\": 0.25, \"p\": "
				       "0.5}}"),
			      one_day(names, kwh, 5), &err),
		  CAB_OK);
	expect_only(
	    &err, "weight_without_demand",
	    "w.json: $.sharing.weights.p: participant 'p' has weight 0.5 "
	    "but no demand over the whole period (a producer? expected "
	    "weights for the participants who consume)");
}

TEST(a_meter_of_the_store_that_no_one_names)
{
	/* The store holds the scenario's meters, h09-c over the period and
	 * x-old only in 2023: only h09-c is unused over the period. */
	char dir[] = "/tmp/cabine-test-warnings-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(false);
		return;
	}
	char csv_path[64], db_path[64];
	snprintf(csv_path, sizeof csv_path, "%s/r.csv", dir);
	snprintf(db_path, sizeof db_path, "%s/r.db", dir);
	const char *const names[] = {"a-c", "b-c", "b-pv", "cab", "h09-c"};
	const double kwh[] = {0.1, 0.3, 0.2, 0.21, 0.4};
	char *csv = one_day(names, kwh, 5);
	FILE *f = fopen(csv_path, "w");
	if (f) {
		fputs(csv, f);
		fputs("2023-01-10T10:00:00Z,x-old,1\n", f);
		fclose(f);
	}
	free(csv);
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = db_path;
	o.format = CAB_FMT_CSV;
	const char *files[] = {csv_path};
	struct cab_import_result res;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_import(&o, files, 1, &res, &err), CAB_OK);
	char *json = scenario("2024-03-06", "0.25", "60", "", PROPORTIONAL);
	char *at = strstr(json, "\"readings\": \"r.csv\"");
	char *sc_json = malloc(4200);
	snprintf(sc_json, 4200, "%.*s\"db\": \"%s\"%s", (int)(at - json), json,
		 db_path, at + strlen("\"readings\": \"r.csv\""));
	free(json);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	CHECK_INT(
	    cab_scenario_parse("w.json", sc_json, strlen(sc_json), &sc, &err),
	    CAB_OK);
	if (sc)
		CHECK_INT(cab_source_load(sc, &rd, &err), CAB_OK);
	if (rd)
		CHECK_INT(cab_run_new(sc, rd, -1, &run, &err), CAB_OK);
	if (run)
		CHECK_INT(cab_warnings_find(sc, rd, run, &err), CAB_OK);
	expect_only(
	    &err, "unused_meter",
	    "w.json: $.db: the readings hold meters that no participant "
	    "or cabin names: 'h09-c' (a participant forgotten in "
	    "$.participants, or a meter id mistyped?)");
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	free(sc_json);
	unlink(csv_path);
	unlink(db_path);
	rmdir(dir);
}

static const struct harness_test tests[] = {
    T(a_plausible_community_has_no_warning),
    T(a_period_beyond_the_data_and_low_coverage),
    T(a_meter_of_the_readings_that_no_one_names),
    T(a_meter_of_the_store_that_no_one_names),
    T(a_cabin_that_imports_more_than_its_participants_take),
    T(prices_typed_in_cents),
    T(fixed_weights_that_leave_production_unallocated),
    T(a_weight_given_to_a_producer),
};

HARNESS_MAIN("test_warnings", tests)
