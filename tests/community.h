/*
 * community.h — a community built in memory for the unit tests of the
 * run, fit-key and fairness: a one-day scenario (Tuesday 2024-03-05,
 * Brussels tariff of the demo) with n participants whose meters are
 * "<letter>-c" and "<letter>-pv". Static: each test binary has its own.
 */
#ifndef CABINE_TEST_COMMUNITY_H
#define CABINE_TEST_COMMUNITY_H

#include <stdio.h>
#include <string.h>

#include "cabine/scenario.h"
#include "cabine/time.h"

static struct cab_cabin cabin_b = {"cab", NULL, 'B'};

/* A one-day scenario on Tuesday 2024-03-05 with n participants; meters
 * "<k>-c" and "<k>-pv" where k is the participant's letter. */
static void make_scenario(struct cab_scenario *sc, struct cab_participant *p,
			  size_t n, char ids[][8], char meters[][2][12])
{
	memset(sc, 0, sizeof(*sc));
	sc->path = "test.json";
	sc->name = "test";
	sc->start_y = 2024, sc->start_m = 3, sc->start_d = 5;
	sc->end_y = 2024, sc->end_m = 3, sc->end_d = 6;
	sc->t0_s = cab_time_local_midnight(2024, 3, 5);
	sc->n_intervals = 96;
	sc->n_days = 1;
	sc->n_cabins = 1;
	sc->cabins = &cabin_b;
	sc->n_participants = n;
	sc->participants = p;
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
	sc->sharing.price_eur_kwh = 0.15;
	sc->billing.mode = CAB_BILLING_SHARED;
	for (size_t i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		snprintf(ids[i], 8, "%c", (char)('a' + i));
		snprintf(meters[i][0], 12, "%c-c", (char)('a' + i));
		snprintf(meters[i][1], 12, "%c-pv", (char)('a' + i));
		p[i].id = ids[i];
		p[i].cabin = 0;
		p[i].meter_consumption = meters[i][0];
		p[i].meter_production = meters[i][1];
		p[i].vat = 0.06;
		p[i].occupants = p[i].income_band = -1;
	}
}

#endif
