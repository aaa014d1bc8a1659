/*
 * community.c — who lives in the demo neighbourhood, and its scenario
 * file: 40 households (12 with rooftop PV, 5 with heat pumps), a
 * co-housing block of 18 households sharing a 15 kWp installation, a
 * school with 30 kWp and a common space, behind five LV cabins of which
 * "rouge-gorge" has a meter; the tariff, the hybrid sharing key, the
 * alerts and the variants of `compare`.
 *
 * Why: the participants' facts (occupants, EPB class, income band …) are
 * drawn once from a seeded stream, so that the scenario and the load
 * shapes (profiles.c) agree on every machine.
 *
 * tests/unit/test_demo.c mirrors the PV table below (kWp per meter) to
 * check yields; keep both in step.
 */
#include <stdio.h>
#include <string.h>

#include "scenarios/demo/demo.h"

const struct demo_cabin cab_demo_cabins[DEMO_NCABINS] = {
    {"rouge-gorge", "cabin-rg"},
    {"mesange", NULL},
    {"pinson", NULL},
    {"merle", NULL},
    {"moineau", NULL},
};

/* Rooftop PV of households (test_demo.c mirrors this table). */
static const struct {
	int house; /* h number */
	double kwp;
} demo_rooftops[] = {
    {2, 3.5},  {5, 4.0},  {8, 5.0},  {11, 3.0}, {14, 6.0}, {17, 4.5},
    {20, 3.5}, {24, 5.5}, {27, 4.0}, {30, 3.0}, {34, 5.0}, {38, 4.5},
};

static int nth_house_with(int h, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == h)
			return 1;
	return 0;
}

/* Build the participant table (deterministic). Returns the count. */
size_t cab_demo_build(struct demo_part *p)
{
	static const int heat_pumps[] = {3, 15, 26, 36, 39};
	static const int protect[] = {9, 21, 33};
	static const int nl[] = {6, 13, 19, 28, 35};
	static const int en[] = {10, 31};
	static const char epbs[] = "ABCCDDDEEEFFG";
	struct demo_rng r;
	size_t n = 0;
	rng_seed(&r, 0x5eed, "participants");

	for (int i = 0; i < DEMO_NHOUSE + DEMO_NCOH; i++) {
		struct demo_part *q = &p[n++];
		bool coh = i >= DEMO_NHOUSE;
		int h = coh ? i - DEMO_NHOUSE + 1 : i + 1;
		memset(q, 0, sizeof(*q));
		snprintf(q->id, sizeof(q->id), coh ? "co%02d" : "h%02d", h);
		q->kind = DEMO_K_HOUSE;
		q->has_c = true;
		q->is_cohousing = coh;
		if (coh)
			q->cabin = 0;
		else
			q->cabin = h <= 4    ? 0
				   : h <= 12 ? 1
				   : h <= 22 ? 2
				   : h <= 31 ? 3
					     : 4;
		q->occupants = 1 + (int)(rng_unif(&r) * (coh ? 4 : 5));
		q->area_m2 = 45 + q->occupants * 14 +
			     (int)(rng_unif(&r) * (coh ? 30 : 45));
		if (q->area_m2 > 160)
			q->area_m2 = 160;
		q->epb = coh ? (rng_unif(&r) < 0.5 ? 'A' : 'B')
			     : epbs[(int)(rng_unif(&r) * 13)];
		q->income_band = (int)(rng_unif(&r) * 4);
		q->lang = "fr";
		q->gap_day = -1;
		if (!coh) {
			q->has_heat_pump = nth_house_with(h, heat_pumps, 5);
			q->is_protected = nth_house_with(h, protect, 3);
			if (nth_house_with(h, nl, 5))
				q->lang = "nl";
			if (nth_house_with(h, en, 2))
				q->lang = "en";
			for (size_t k = 0; k < sizeof(demo_rooftops) /
						   sizeof(demo_rooftops[0]);
			     k++)
				if (demo_rooftops[k].house == h) {
					q->kwp = demo_rooftops[k].kwp;
					q->pv_site = 0.95 + 0.1 * rng_unif(&r);
				}
			if (h == 12)
				q->gap_day = 43; /* 2024-02-13 */
			if (h == 29)
				q->gap_day = 247; /* 2024-09-04 */
		} else {
			q->is_protected = h == 7;
			if (h == 4 || h == 12)
				q->lang = "nl";
			if (h == 9)
				q->lang = "en";
		}
		if (q->is_protected)
			q->income_band = 0;
		double t = 700.0 + 480.0 * q->occupants + 7.0 * q->area_m2 +
			   (q->has_heat_pump ? 1500.0 : 0.0);
		t *= 0.9 + 0.2 * rng_unif(&r);
		q->target_kwh = t < 1500.0 ? 1500.0 : t > 5000.0 ? 5000.0 : t;
		q->shift_h = (rng_unif(&r) - 0.5) * 1.5;
		q->home_day = rng_unif(&r);
		/* about a quarter ignore alerts */
		q->alert_cut =
		    rng_unif(&r) < 0.25 ? 0.0 : 0.20 + 0.10 * rng_unif(&r);
	}

	struct demo_part *q = &p[n++];
	memset(q, 0, sizeof(*q));
	snprintf(q->id, sizeof(q->id), "cohousing-pv");
	q->kind = DEMO_K_PRODUCER;
	q->kwp = 15.0;
	q->pv_site = 1.0;
	q->lang = "fr";
	q->gap_day = -1;

	q = &p[n++];
	memset(q, 0, sizeof(*q));
	snprintf(q->id, sizeof(q->id), "ecole-tilleuls");
	q->kind = DEMO_K_SCHOOL;
	q->cabin = 1;
	q->has_c = true;
	q->kwp = 30.0;
	q->pv_site = 1.0;
	q->lang = "fr";
	q->target_kwh = 38000.0;
	q->gap_day = -1;

	q = &p[n++];
	memset(q, 0, sizeof(*q));
	snprintf(q->id, sizeof(q->id), "espace-commun");
	q->kind = DEMO_K_COMMON;
	q->has_c = true;
	q->lang = "fr";
	q->target_kwh = 2600.0;
	q->gap_day = -1;
	return n;
}

/* Alert windows, local time; none falls on a DST day. */
const struct demo_alert cab_demo_alerts[DEMO_NALERTS] = {
    {1, 17, 17, 20, true}, {2, 8, 7, 10, false},   {5, 14, 18, 21, false},
    {7, 2, 12, 16, true},  {11, 20, 16, 22, true}, {12, 12, 17, 19, false},
};

static const char *kind_name(enum demo_kind k)
{
	switch (k) {
	case DEMO_K_SCHOOL:
		return "association";
	case DEMO_K_COMMON:
		return "common";
	case DEMO_K_PRODUCER:
		return "producer";
	default:
		return "household";
	}
}

const char cab_demo_tariff_json[] =
    "  \"tariff\": {\n"
    "    \"supplier_day_eur_kwh\": 0.25,\n"
    "    \"supplier_night_eur_kwh\": 0.22,\n"
    "    \"supplier_fixed_eur_year\": 60,\n"
    "    \"network_eur_kwh\": 0.12,\n"
    "    \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, "
    "\"D\": 0.12},\n"
    "    \"network_fixed_eur_year\": 47.24,\n"
    "    \"taxes_eur_kwh\": 0.05,\n"
    "    \"injection_eur_kwh\": 0.03\n"
    "  },\n";

void cab_demo_write_scenario(FILE *f, const struct demo_part *p, size_t n)
{
	fputs("{\n  \"name\": \"demo-brussels\",\n"
	      "  \"period\": {\"start\": \"2024-01-01\", \"end\": "
	      "\"2025-01-01\"},\n"
	      "  \"readings\": \"readings.csv\",\n  \"cabins\": [\n",
	      f);
	size_t nc = DEMO_NCABINS;
	for (size_t c = 0; c < nc; c++) {
		fprintf(f, "    {\"id\": \"%s\", ", cab_demo_cabins[c].id);
		if (cab_demo_cabins[c].meter)
			fprintf(f, "\"meter\": \"%s\", ",
				cab_demo_cabins[c].meter);
		fprintf(f, "\"locality\": \"B\"}%s\n", c + 1 < nc ? "," : "");
	}
	fputs("  ],\n  \"participants\": [\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct demo_part *q = &p[i];
		fprintf(f,
			"    {\"id\": \"%s\", \"kind\": \"%s\", \"cabin\": "
			"\"%s\",\n",
			q->id, kind_name(q->kind),
			cab_demo_cabins[q->cabin].id);
		fputs("     \"meters\": {", f);
		if (q->has_c)
			fprintf(f, "\"consumption\": \"%s-c\"%s", q->id,
				q->kwp > 0 ? ", " : "");
		if (q->kwp > 0)
			fprintf(f, "\"production\": \"%s-pv\"", q->id);
		fputs("},\n     ", f);
		if (q->kind == DEMO_K_HOUSE)
			fprintf(f,
				"\"occupants\": %d, \"income_band\": %d, "
				"\"epb_class\": \"%c\", \"floor_area_m2\": "
				"%d,\n     "
				"\"protected\": %s, ",
				q->occupants, q->income_band, q->epb,
				q->area_m2, q->is_protected ? "true" : "false");
		fprintf(f, "\"vat\": %s, \"lang\": \"%s\"}%s\n",
			q->kind == DEMO_K_SCHOOL ? "0.21" : "0.06", q->lang,
			i + 1 < n ? "," : "");
	}
	fputs("  ],\n", f);
	fputs(cab_demo_tariff_json, f);
	fputs("  \"sharing\": {\n"
	      "    \"key\": \"hybrid\",\n"
	      "    \"weights\": {\n",
	      f);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		const char *w = p[i].is_cohousing	     ? "0.02"
				: p[i].kind == DEMO_K_SCHOOL ? "0.05"
							     : NULL;
		if (!w)
			continue;
		fprintf(f, "%s      \"%s\": %s", first ? "" : ",\n", p[i].id,
			w);
		first = false;
	}
	fputs("\n    },\n"
	      "    \"perimeter\": \"community\",\n"
	      "    \"price_eur_kwh\": 0.15\n"
	      "  },\n"
	      "  \"billing\": {\"mode\": \"shared\"},\n"
	      "  \"alerts\": [\n",
	      f);
	for (size_t a = 0; a < DEMO_NALERTS; a++) {
		const struct demo_alert *al = &cab_demo_alerts[a];
		fprintf(
		    f,
		    "    {\"start\": \"%d-%02d-%02dT%02d:00\", "
		    "\"end\": \"%d-%02d-%02dT%02d:00\", \"announced\": %s}%s\n",
		    DEMO_YEAR, al->month, al->day, al->start_h, DEMO_YEAR,
		    al->month, al->day, al->end_h,
		    al->announced ? "true" : "false",
		    a + 1 < DEMO_NALERTS ? "," : "");
	}
	fputs("  ],\n"
	      "  \"compare\": [\n"
	      "    {\"name\": \"prorata\", \"sharing\": {\"key\": "
	      "\"proportional\"}},\n"
	      "    {\"name\": \"fixed-until-done\", \"sharing\": {\"key\": "
	      "\"fixed\", "
	      "\"rounds\": \"until-done\"}},\n"
	      "    {\"name\": \"pot-rouge-gorge\", \"billing\": {\"mode\": "
	      "\"pot\", "
	      "\"key\": {\"measured\": 0.7, \"equal\": 0.3}, "
	      "\"bounds\": {\"protected\": {\"max_price_eur_kwh\": 0.3}}}},\n"
	      "    {\"name\": \"alone\", \"billing\": {\"mode\": "
	      "\"individual\"}}\n"
	      "  ]\n"
	      "}\n",
	      f);
}
