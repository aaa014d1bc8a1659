/*
 * test_appliances.c — the appliance inventory (docs/appliances.md): the
 * table read from a Belgian-locale CSV and from an .xlsx, its problems
 * reported by line and column, and the sums by hand — estimates,
 * wattmeter days, the share of the meter explained, what uses draw in an
 * alert window (across midnight too) and what was shed.
 */
#include <math.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cabine/alerts.h"
#include "cabine/appliances.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/scenario.h"
#include "cabine/time.h"
#include "harness.h"

static char dir[64];

static void put_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* A two-day scenario of two households whose appliances are `table`. */
static struct cab_scenario *load(const char *appliances, struct cab_err *err)
{
	char json[2048], path[256];
	snprintf(json, sizeof(json),
		 "{\"name\": \"t\", \"period\": {\"start\": \"2024-03-04\", "
		 "\"end\": \"2024-03-06\"}, \"readings\": \"r.csv\", "
		 "\"participants\": [{\"id\": \"h1\", \"meters\": "
		 "{\"consumption\": \"h1-c\"}}, {\"id\": \"h2\", \"meters\": "
		 "{\"consumption\": \"h2-c\"}}], \"tariff\": "
		 "{\"supplier_day_eur_kwh\": 0.3, \"network_eur_kwh\": 0.1, "
		 "\"network_shared_eur_kwh\": {\"A\": 0, \"B\": 0, \"C\": 0, "
		 "\"D\": 0}, \"taxes_eur_kwh\": 0, \"injection_eur_kwh\": 0}, "
		 "\"appliances\": %s}",
		 appliances);
	snprintf(path, sizeof(path), "%s/scenario.json", dir);
	struct cab_scenario *sc = NULL;
	cab_scenario_parse(path, json, strlen(json), &sc, err);
	return sc;
}

TEST(a_belgian_csv_reads_with_french_headers_and_decimal_commas)
{
	put_file(
	    "a.csv",
	    "\xEF\xBB\xBFparticipant;appareil;classe;watts;heures_par_jour;"
	    "moment;déplaçable;alternative;kwh_mesures;jours_mesures\r\n"
	    "h1;Frigo;indispensable;90;24;;non;;2,3;1\r\n"
	    "h1;\"Four; grand\";utile;2500;0,5;18h-20h;oui;\"Cuire "
	    "\"\"ensemble\"\"\";;\r\n"
	    "\r\n"
	    "h2;Sèche-linge;confortable;2500;1;22:00-06:00;ja;;;\r\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = load("\"a.csv\"", &err);
	if (err.text)
		fprintf(stderr, "%s", err.text);
	CHECK(sc != NULL);
	if (sc) {
		CHECK_INT(sc->n_appliances, 3);
		const struct cab_appliance *a = sc->appliances;
		CHECK_STR(a[0].name, "Frigo");
		CHECK_NEAR(a[0].measured_kwh, 2.3, 1e-12);
		CHECK_STR(a[1].name, "Four; grand");
		CHECK_STR(a[1].alternative, "Cuire \"ensemble\"");
		CHECK_INT(a[1].use_class, CAB_USE_USEFUL);
		CHECK_NEAR(a[1].hours_per_day, 0.5, 1e-12);
		CHECK(a[1].has_time && a[1].from_min == 18 * 60 &&
		      a[1].to_min == 20 * 60);
		CHECK(a[1].is_shiftable);
		CHECK_INT(a[1].line, 3);
		CHECK_INT(a[2].participant, 1);
		CHECK_INT(a[2].use_class, CAB_USE_COMFORT);
		CHECK(a[2].from_min == 22 * 60 && a[2].to_min == 6 * 60);
		CHECK_INT(a[2].line, 5); /* the empty line 4 is skipped */
	}
	cab_scenario_free(sc);
	cab_err_release(&err);
}

TEST(an_xlsx_per_household_reads_like_the_csv)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/h2.xlsx", dir);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	const char *head[] = {"Appliance",     "Class",	       "Watts",
			      "Hours_per_day", "Measured_kwh", "Measured_days"};
	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	worksheet_write_string(ws, 1, 0, "Heat pump", NULL);
	worksheet_write_string(ws, 1, 1, "indispensable", NULL);
	worksheet_write_number(ws, 1, 2, 4000, NULL);
	worksheet_write_number(ws, 1, 3, 3, NULL);
	worksheet_write_number(ws, 1, 4, 21, NULL);
	worksheet_write_number(ws, 1, 5, 2, NULL);
	CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = load("{\"h2\": \"h2.xlsx\"}", &err);
	if (err.text)
		fprintf(stderr, "%s", err.text);
	CHECK(sc && sc->n_appliances == 1);
	if (sc && sc->n_appliances == 1) {
		CHECK_INT(sc->appliances[0].participant, 1);
		/* 21 kWh over 2 days = 10.5 a day; estimate 4000 × 3 = 12. */
		CHECK_NEAR(cab_appliance_kwh_day(&sc->appliances[0]), 10.5,
			   1e-12);
	}
	cab_scenario_free(sc);
	cab_err_release(&err);
}

TEST(every_bad_cell_is_reported_with_its_line_and_column)
{
	put_file("bad.csv", "participant,appliance,class,watts,hours_per_day,"
			    "colour\n"
			    "h9,Lamp,useful,60,5,blue\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = load("\"bad.csv\"", &err);
	CHECK(sc == NULL);
	char want[1024];
	snprintf(want, sizeof(want),
		 "%s/bad.csv:1: unknown column 'colour' (expected "
		 "participant, appliance, class, watts, hours_per_day, "
		 "time_of_day, shiftable, alternative, measured_kwh, "
		 "measured_days)\n",
		 dir);
	CHECK_STR(err.text, want);
	cab_err_release(&err);
	put_file("bad2.csv", "participant,appliance,class,watts,hours_per_day,"
			     "time_of_day\n"
			     "h9,Lamp,luxury,-60,25,evening\n");
	cab_err_init(&err);
	sc = load("\"bad2.csv\"", &err);
	CHECK(sc == NULL);
	snprintf(want, sizeof(want),
		 "%s/bad2.csv:2: column 'participant': 'h9' is not declared in "
		 "$.participants\n"
		 "%s/bad2.csv:2: column 'class': 'luxury' (expected "
		 "indispensable, useful or comfort)\n"
		 "%s/bad2.csv:2: column 'watts': '-60' is not a power in W "
		 "from 0\n"
		 "%s/bad2.csv:2: column 'hours_per_day': '25' is not a number "
		 "of hours from 0 to 24\n"
		 "%s/bad2.csv:2: column 'time_of_day': 'evening' (expected a "
		 "range of local time such as 18:00-21:00)\n",
		 dir, dir, dir, dir, dir);
	CHECK_STR(err.text, want);
	cab_err_release(&err);
}

TEST(what_a_use_draws_in_a_window_is_its_share_of_its_usual_hours)
{
	/* 2000 W × 1 h = 2 kWh a day, spread over 18:00–20:00: a window
	 * 19:00–22:00 covers 1 h of its 2 → 1 kWh. */
	struct cab_appliance a = {.watts = 2000,
				  .hours_per_day = 1,
				  .has_time = true,
				  .from_min = 18 * 60,
				  .to_min = 20 * 60,
				  .measured_kwh = NAN,
				  .measured_days = 1};
	CHECK_NEAR(cab_appliance_window_kwh(&a, 19 * 60, 180), 1.0, 1e-12);
	CHECK_NEAR(cab_appliance_window_kwh(&a, 6 * 60, 180), 0.0, 1e-12);
	/* 800 W × 8 h = 6.4 kWh over 22:00–06:00 (8 h): 05:00–07:00 covers
	 * 1 h → 0.8; 23:00–01:00 covers 2 h → 1.6. */
	struct cab_appliance b = {.watts = 800,
				  .hours_per_day = 8,
				  .has_time = true,
				  .from_min = 22 * 60,
				  .to_min = 6 * 60,
				  .measured_kwh = NAN,
				  .measured_days = 1};
	CHECK_NEAR(cab_appliance_window_kwh(&b, 5 * 60, 120), 0.8, 1e-12);
	CHECK_NEAR(cab_appliance_window_kwh(&b, 23 * 60, 120), 1.6, 1e-12);
	/* No usual time: the whole day; 90 W × 24 h = 2.16 kWh, measured
	 * 2.3 kWh in 1 day counts: 3 h → 2.3 × 3/24 = 0.2875. */
	struct cab_appliance c = {.watts = 90,
				  .hours_per_day = 24,
				  .measured_kwh = 2.3,
				  .measured_days = 1};
	CHECK_NEAR(cab_appliance_window_kwh(&c, 18 * 60, 180), 0.2875, 1e-12);
}

TEST(inventory_against_meter_and_alert_by_hand)
{
	put_file("i.csv", "participant,appliance,class,watts,hours_per_day,"
			  "time_of_day,shiftable,measured_kwh\n"
			  "h1,Fridge,indispensable,90,24,,no,2.4\n"
			  "h1,Oven,useful,2000,1,18:00-20:00,yes,\n"
			  "h1,TV,comfort,100,4,18:00-22:00,no,\n"
			  "h2,Lamp,useful,50,4,,no,\n");
	struct cab_scenario *sc = load("\"i.csv\"", NULL);
	CHECK(sc != NULL);
	if (!sc)
		return;
	/* An alert on Monday 2024-03-04 18:00–20:00 has no reference
	 * window in two days: no shed is known. */
	struct cab_alert al = {.start_s = sc->t0_s + 18 * 3600,
			       .end_s = sc->t0_s + 20 * 3600};
	sc->alerts = &al;
	sc->n_alerts = 1;
	struct cab_readings *rd = NULL;
	cab_readings_new(sc->t0_s, sc->n_intervals, &rd, NULL);
	double v[192];
	for (int t = 0; t < 192; t++)
		v[t] = 0.1; /* 9.6 kWh a day */
	v[5] = NAN;	    /* a missing quarter-hour: the mean day stays 9.6 */
	cab_readings_put(rd, "h1-c", v, NULL);
	v[5] = 0.1;
	for (int t = 0; t < 192; t++)
		v[t] = 0.05; /* 4.8 kWh a day */
	cab_readings_put(rd, "h2-c", v, NULL);
	struct cab_run *run = NULL;
	struct cab_alerts *alerts = NULL;
	struct cab_appliances *ap = NULL;
	CHECK_INT(cab_run_new(sc, rd, -1, &run, NULL), CAB_OK);
	if (run)
		CHECK_INT(cab_alerts_new(run, &alerts, NULL), CAB_OK);
	if (run)
		CHECK_INT(cab_appliances_new(run, alerts, &ap, NULL), CAB_OK);
	if (ap) {
		CHECK_INT(ap->n_households, 2);
		const struct cab_appliance_household *h = &ap->household[0];
		/* Estimates 2.16 + 2 + 0.4 = 4.56; inventory with the
		 * fridge's 2.4 measured: 2.4 + 2 + 0.4 = 4.8; share of the
		 * meter's 9.6: 0.5. */
		CHECK_NEAR(h->sums.estimated_kwh_day, 4.56, 1e-9);
		CHECK_NEAR(h->sums.inventory_kwh_day, 4.8, 1e-9);
		CHECK_NEAR(h->sums.measured_kwh_day, 2.4, 1e-9);
		CHECK_NEAR(h->sums.estimate_of_measured_kwh_day, 2.16, 1e-9);
		CHECK_NEAR(h->meter_kwh_day, 9.6, 1e-9);
		CHECK_NEAR(h->explained_share, 0.5, 1e-9);
		CHECK_NEAR(h->sums.shiftable_kwh_day, 2.0, 1e-9);
		/* 18:00–20:00: fridge 2.4 × 2/24 = 0.2; oven all 2; TV
		 * 0.4 × 2/4 = 0.2 → could shed 2.2. */
		const struct cab_appliance_alert *r = &ap->alert_row[0];
		CHECK_NEAR(r->class_kwh[CAB_USE_INDISPENSABLE], 0.2, 1e-9);
		CHECK_NEAR(r->could_shed_kwh, 2.2, 1e-9);
		CHECK(!r->has_effect);
		/* Community: 4.8 + 0.2 (lamp) = 5.0 kWh a day; meters
		 * 9.6 + 4.8 = 14.4; share 5/14.4. */
		CHECK_NEAR(ap->community.inventory_kwh_day, 5.0, 1e-9);
		CHECK_NEAR(ap->community_explained_share, 5.0 / 14.4, 1e-9);
		CHECK_INT(ap->community.class_count[CAB_USE_USEFUL], 2);
		/* Lamp 0.2 a day over the whole day: 2 h → 1/60. */
		CHECK_NEAR(ap->alert_total[0].could_shed_kwh,
			   2.2 + 0.2 * 2 / 24, 1e-9);
	}
	cab_appliances_free(ap);
	cab_alerts_free(alerts);
	cab_run_free(run);
	cab_readings_free(rd);
	sc->alerts = NULL;
	sc->n_alerts = 0;
	cab_scenario_free(sc);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/cabine-appl-XXXXXX");
	if (!mkdtemp(dir))
		exit(1);
}

static const struct harness_test tests[] = {
    T(a_belgian_csv_reads_with_french_headers_and_decimal_commas),
    T(an_xlsx_per_household_reads_like_the_csv),
    T(every_bad_cell_is_reported_with_its_line_and_column),
    T(what_a_use_draws_in_a_window_is_its_share_of_its_usual_hours),
    T(inventory_against_meter_and_alert_by_hand),
};

int main(void)
{
	setup();
	int rc = harness_main("test_appliances", tests,
			      sizeof(tests) / sizeof(tests[0]));
	char rm[128];
	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	if (system(rm) != 0)
		rc = 1;
	return rc;
}
