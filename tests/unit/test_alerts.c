/*
 * test_alerts.c — alert effects (SPEC §6) on small synthetic series with
 * a known cut and a known rebound, across a DST change, and the property
 * that scaling a series leaves the percentages unchanged.
 */
#include <math.h>

#include "cabine/alerts.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "harness.h"

/* Four weeks from Monday 2024-03-11 (spans the 2024-03-31 DST change is
 * not included: see the DST test) with two participants. */
struct fx {
	struct cab_scenario sc;
	struct cab_participant p[2];
	struct cab_alert alert[2];
	struct cab_readings *rd;
	struct cab_run *run;
	struct cab_alerts *res;
};

static void setup(struct fx *f, int y, int m, int d, int days)
{
	memset(f, 0, sizeof(*f));
	struct cab_scenario *sc = &f->sc;
	sc->path = "t.json";
	sc->name = "t";
	sc->start_y = y, sc->start_m = m, sc->start_d = d;
	int64_t d0 = cab_time_days_from_civil(y, m, d) + days;
	cab_time_civil_from_days(d0, &sc->end_y, &sc->end_m, &sc->end_d);
	sc->t0_s = cab_time_local_midnight(y, m, d);
	sc->n_intervals =
	    (size_t)((cab_time_local_midnight(sc->end_y, sc->end_m, sc->end_d) -
		      sc->t0_s) /
		     900);
	sc->n_participants = 2;
	sc->participants = f->p;
	static char *ids[2] = {"a", "b"}, *meters[2] = {"a-c", "b-c"};
	for (int i = 0; i < 2; i++) {
		f->p[i].id = ids[i];
		f->p[i].meter_consumption = meters[i];
		f->p[i].cabin = -1;
		f->p[i].vat = 0.06;
	}
	sc->tariff.day_start_h = 7, sc->tariff.day_end_h = 22;
	sc->billing.mode = CAB_BILLING_INDIVIDUAL;
	sc->alerts = f->alert;
	cab_readings_new(sc->t0_s, sc->n_intervals, &f->rd, NULL);
}

static void run(struct fx *f, double *ca, double *cb)
{
	cab_readings_put(f->rd, "a-c", ca, NULL);
	cab_readings_put(f->rd, "b-c", cb, NULL);
	CHECK_INT(cab_run_new(&f->sc, f->rd, -1, &f->run, NULL), CAB_OK);
	if (f->run)
		CHECK_INT(cab_alerts_new(f->run, &f->res, NULL), CAB_OK);
}

static void teardown(struct fx *f)
{
	cab_alerts_free(f->res);
	cab_run_free(f->run);
	cab_readings_free(f->rd);
}

static const struct cab_alert_effect *row(const struct fx *f, size_t alert,
					  int window, long participant)
{
	for (size_t k = 0; f->res && k < f->res->n; k++) {
		const struct cab_alert_effect *e = &f->res->effect[k];
		if (e->alert == alert && (int)e->window == window &&
		    e->participant == participant)
			return e;
	}
	return NULL;
}

static size_t at(const struct fx *f, int y, int m, int d, int hh, int mm)
{
	int64_t t = cab_time_local_midnight(y, m, d) + hh * 3600 + mm * 60;
	return (size_t)((t - f->sc.t0_s) / 900);
}

/* Constant 0.25 kWh per quarter-hour (1 kWh per hour). Alert Tuesday
 * 2024-03-19 18:00–20:00 (8 quarter-hours): A halves (0.125) and
 * rebounds to 0.375 for the next 2 h; B ignores it. Reference: the three
 * other Tuesdays at 18:00, 2 kWh each.
 * A: E_alert = 8 × 0.125 = 1, Δ = −1 kWh, −50 %; after: 3 − 2 = +1, +50 %.
 * Community: 1 + 2 = 3 against 4: −1 kWh, −25 %. */
TEST(known_cut_and_rebound_by_hand)
{
	struct fx f;
	setup(&f, 2024, 3, 4,
	      28); /* Mon 4 → Mon 1 April, Tuesdays 5,12,19,26 */
	f.alert[0].start_s = cab_time_local_midnight(2024, 3, 19) + 18 * 3600;
	f.alert[0].end_s = f.alert[0].start_s + 2 * 3600;
	f.sc.n_alerts = 1;
	size_t nt = f.sc.n_intervals;
	double *ca = malloc(nt * sizeof(double)),
	       *cb = malloc(nt * sizeof(double));
	for (size_t t = 0; t < nt; t++)
		ca[t] = cb[t] = 0.25;
	size_t w = at(&f, 2024, 3, 19, 18, 0);
	for (size_t u = 0; u < 8; u++) {
		ca[w + u] = 0.125;
		ca[w + 8 + u] = 0.375;
	}
	run(&f, ca, cb);
	const struct cab_alert_effect *e = row(&f, 0, CAB_WINDOW_DURING, 0);
	CHECK(e && e->is_complete);
	if (e) {
		CHECK_NEAR(e->e_alert_kwh, 1, 1e-12);
		CHECK_NEAR(e->e_ref_kwh, 2, 1e-12);
		CHECK_NEAR(e->delta_kwh, -1, 1e-12);
		CHECK_NEAR(e->delta_pct, -50, 1e-9);
		CHECK_INT(e->reference_windows, 3);
	}
	e = row(&f, 0, CAB_WINDOW_AFTER, 0);
	CHECK(e && fabs(e->delta_kwh - 1) < 1e-12 &&
	      fabs(e->delta_pct - 50) < 1e-9);
	e = row(&f, 0, CAB_WINDOW_DURING, -1);
	CHECK(e && fabs(e->delta_kwh + 1) < 1e-12 &&
	      fabs(e->delta_pct + 25) < 1e-9);
	CHECK(row(&f, 0, CAB_WINDOW_BEFORE, 0) == NULL); /* not announced */
	teardown(&f);
	/* The same with a declared group {a}: its row is A's. */
	setup(&f, 2024, 3, 4, 28);
	f.alert[0].start_s = cab_time_local_midnight(2024, 3, 19) + 18 * 3600;
	f.alert[0].end_s = f.alert[0].start_s + 2 * 3600;
	f.sc.n_alerts = 1;
	size_t member = 0;
	struct cab_group g = {"first", 1, &member};
	f.sc.groups = &g;
	f.sc.n_groups = 1;
	run(&f, ca, cb);
	e = row(&f, 0, CAB_WINDOW_DURING, -2);
	CHECK(e && fabs(e->delta_kwh + 1) < 1e-12 &&
	      fabs(e->delta_pct + 50) < 1e-9);
	char name[32];
	CHECK(cab_alerts_group_name(&f.sc, 0, name, sizeof(name)));
	CHECK_STR(name, "group:first");
	CHECK(!cab_alerts_group_name(&f.sc, 1, name, sizeof(name)));
	teardown(&f);
	free(ca), free(cb);
}

/* A missing value in W excludes the participant (counted) and the group
 * keeps the others; an announced alert gets a "before" window. A second
 * alert on Tuesday 12 removes that day from the references. */
TEST(missing_data_excludes_and_other_alerts_are_not_references)
{
	struct fx f;
	setup(&f, 2024, 3, 4, 28);
	int64_t s19 = cab_time_local_midnight(2024, 3, 19) + 18 * 3600;
	f.alert[0] = (struct cab_alert){s19, s19 + 7200, true};
	int64_t s12 = cab_time_local_midnight(2024, 3, 12) + 19 * 3600;
	f.alert[1] = (struct cab_alert){s12, s12 + 3600, false};
	f.sc.n_alerts = 2;
	size_t nt = f.sc.n_intervals;
	double *ca = malloc(nt * sizeof(double)),
	       *cb = malloc(nt * sizeof(double));
	for (size_t t = 0; t < nt; t++)
		ca[t] = cb[t] = 0.25;
	ca[at(&f, 2024, 3, 19, 18, 30)] = NAN;
	run(&f, ca, cb);
	const struct cab_alert_effect *e = row(&f, 0, CAB_WINDOW_DURING, 0);
	CHECK(e && !e->is_complete);
	e = row(&f, 0, CAB_WINDOW_DURING, 1);
	CHECK(e && e->is_complete && e->reference_windows == 2); /* 5 and 26 */
	e = row(&f, 0, CAB_WINDOW_DURING, -1);
	CHECK(e && fabs(e->e_alert_kwh - 2) < 1e-12 &&
	      fabs(e->delta_kwh) < 1e-12);
	CHECK(row(&f, 0, CAB_WINDOW_BEFORE, 1) != NULL);
	CHECK(f.res && f.res->n_excluded >= 1);
	teardown(&f);
	free(ca), free(cb);
}

/* Across the spring DST change: an alert on Tuesday 2 April 18:00 local
 * (16:00 UTC) is compared with Tuesdays 18:00 local before the change
 * (17:00 UTC). Only the 18:00-local quarter-hours carry 1 kWh an hour,
 * halved during the alert: A 0.5 against 1 kWh, −50 %. B = 3 × A must
 * show the same percentage. */
TEST(reference_follows_local_clock_across_dst)
{
	struct fx f;
	setup(&f, 2024, 3, 18, 21); /* 18 March → 8 April: Tuesdays 19, 26, 2 */
	f.alert[0].start_s = cab_time_local_midnight(2024, 4, 2) + 18 * 3600;
	f.alert[0].end_s = f.alert[0].start_s + 3600;
	f.sc.n_alerts = 1;
	size_t nt = f.sc.n_intervals;
	double *ca = malloc(nt * sizeof(double)),
	       *cb = malloc(nt * sizeof(double));
	for (size_t t = 0; t < nt; t++) {
		struct cab_civil lc;
		cab_time_to_local(f.sc.t0_s + (int64_t)t * 900, &lc);
		ca[t] = lc.hour == 18 ? 0.25 : 0;
		if (lc.month == 4 && lc.day == 2 && lc.hour == 18)
			ca[t] = 0.125;
		cb[t] = ca[t] * 3;
	}
	run(&f, ca, cb);
	const struct cab_alert_effect *e = row(&f, 0, CAB_WINDOW_DURING, 0);
	CHECK(e && e->is_complete);
	if (e) {
		CHECK_NEAR(e->e_ref_kwh, 1, 1e-12);
		CHECK_NEAR(e->delta_kwh, -0.5, 1e-12);
		CHECK_NEAR(e->delta_pct, -50, 1e-9);
		CHECK_INT(e->reference_windows, 2);
	}
	const struct cab_alert_effect *b = row(&f, 0, CAB_WINDOW_DURING, 1);
	CHECK(b && b->is_complete);
	if (e && b) {
		CHECK_NEAR(b->delta_kwh, 3 * e->delta_kwh, 1e-12);
		CHECK_NEAR(b->delta_pct, e->delta_pct, 1e-9);
	}
	teardown(&f);
	free(ca), free(cb);
}

/* "alerts_reference" narrows the references: from 10 March on, only
 * Tuesday 19 remains. */
TEST(reference_period_narrows_the_reference_windows)
{
	struct fx f;
	setup(&f, 2024, 3, 4, 28);
	f.alert[0].start_s = cab_time_local_midnight(2024, 3, 12) + 18 * 3600;
	f.alert[0].end_s = f.alert[0].start_s + 3600;
	f.sc.n_alerts = 1;
	f.sc.alerts_ref_start_s = cab_time_local_midnight(2024, 3, 10);
	f.sc.alerts_ref_end_s = cab_time_local_midnight(2024, 3, 24);
	size_t nt = f.sc.n_intervals;
	double *ca = malloc(nt * sizeof(double)),
	       *cb = malloc(nt * sizeof(double));
	for (size_t t = 0; t < nt; t++)
		ca[t] = cb[t] = 0.25;
	run(&f, ca, cb);
	const struct cab_alert_effect *e = row(&f, 0, CAB_WINDOW_DURING, 0);
	CHECK(e && e->reference_windows == 1);
	teardown(&f);
	free(ca), free(cb);
}

static const struct harness_test tests[] = {
    T(reference_period_narrows_the_reference_windows),
    T(known_cut_and_rebound_by_hand),
    T(missing_data_excludes_and_other_alerts_are_not_references),
    T(reference_follows_local_clock_across_dst),
};
HARNESS_MAIN("test_alerts", tests)
