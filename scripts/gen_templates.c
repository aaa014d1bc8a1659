/*
 * gen_templates.c — writes the three community templates of scenarios/
 * (cohousing/, district/, social/): participants.csv, readings.csv and
 * scenario.json each, with synthetic data drawn by the demo's generator
 * (scenarios/demo/profiles.c: the same calendar, sun and load shapes), so
 * that they look like the seeds' communities (docs/guide.md):
 *   cohousing  a co-housing of 18 households (17 metered) with three
 *              metered common rooms and a 15 kWp common PV installation
 *              on its roof, one building; alerts of 3 h and 6 h; three
 *              weeks of May 2024 (like L'Échappée)
 *   district   about 60 houses behind five LV cabins; the cabin
 *              rouge-gorge has a meter and its 12 houses none: they share
 *              a common pot by history, income and building; the other
 *              48 houses have meters, 10 with rooftop PV; a week of
 *              February 2024 (like the Coin du Balai)
 *   social     20 social-housing tenants, their landlord (its common
 *              parts and the 30 kWp it plans on the roofs) and a
 *              solidarity kitchen; precarious households served first;
 *              two weeks of April 2024 (like Volta-taqa)
 * The files are committed; this program only regenerates them. It does
 * not touch the demo (its output is unchanged).
 *
 * Build and run from the repository root, after `make`:
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
 *     -Iinclude -o build/gen_templates scripts/gen_templates.c \
 *     build/libcabine.a -lm && build/gen_templates scenarios
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/demo.h"
#include "cabine/time.h"
#include "scenarios/demo/demo.h"

#define MAX_P 64

/* One participant of a template. */
struct tpart {
	struct demo_part p; /* what the demo's generator needs */
	const char *name;   /* printed on its invoice */
	const char *cabin;  /* cabin id */
	bool is_metered;    /* has a consumption meter in the readings */
	int kind;	    /* 0 household, 1 common, 2 producer, 3 landlord */
	const char *group;  /* its groups column, or NULL */
};

static const char *const surnames[] = {
    "Dupont",  "Janssens",  "El Amrani", "Peeters",  "Lambert", "Mertens",
    "Diallo",  "Claes",	    "Dubois",	 "Goossens", "Benali",	"Wouters",
    "Leroy",   "De Smet",   "Moreau",	 "Jacobs",   "Haddad",	"Willems",
    "Simon",   "Maes",	    "Laurent",	 "Hermans",  "Bakkali", "Michel",
    "Lemaire", "Vermeulen", "Ndiaye",	 "Renard",   "Claeys",	"Aydin"};

/* A household with the demo's habits, its draws from its id. */
static void household(struct tpart *t, const char *id, int i, double scale)
{
	struct demo_rng r;
	rng_seed(&r, 0x7e3b, id);
	memset(t, 0, sizeof(*t));
	struct demo_part *q = &t->p;
	snprintf(q->id, sizeof(q->id), "%s", id);
	q->kind = DEMO_K_HOUSE;
	q->has_c = true;
	q->occupants = 1 + (int)(rng_unif(&r) * 5);
	q->area_m2 = 45 + q->occupants * 14 + (int)(rng_unif(&r) * 40);
	q->epb = "ABCCDDDEEEFFG"[(int)(rng_unif(&r) * 13)];
	q->income_band = (int)(rng_unif(&r) * 4);
	q->lang = i % 7 == 3 ? "nl" : i % 11 == 5 ? "en" : "fr";
	q->gap_day = -1;
	double target = 700.0 + 480.0 * q->occupants + 7.0 * q->area_m2;
	q->target_kwh = target * (0.9 + 0.2 * rng_unif(&r)) * scale;
	q->shift_h = (rng_unif(&r) - 0.5) * 1.5;
	q->home_day = rng_unif(&r);
	q->alert_cut = rng_unif(&r) < 0.25 ? 0.0 : 0.2 + 0.1 * rng_unif(&r);
	t->name = surnames[i % 30];
	t->is_metered = true;
}

static void common(struct tpart *t, const char *id, const char *name,
		   double kwh_year)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->p.id, sizeof(t->p.id), "%s", id);
	t->p.kind = DEMO_K_COMMON;
	t->p.has_c = true;
	t->p.lang = "fr";
	t->p.target_kwh = kwh_year;
	t->p.gap_day = -1;
	t->name = name;
	t->is_metered = true;
	t->kind = 1;
}

static void producer(struct tpart *t, const char *id, const char *name,
		     double kwp)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->p.id, sizeof(t->p.id), "%s", id);
	t->p.kind = DEMO_K_PRODUCER;
	t->p.kwp = kwp;
	t->p.pv_site = 1.0;
	t->p.lang = "fr";
	t->p.gap_day = -1;
	t->name = name;
	t->kind = 2;
}

/* Slot index of local midnight starting a date of 2024. */
static int slot_of(int m, int d)
{
	int64_t t0 = cab_time_local_midnight(DEMO_YEAR, 1, 1);
	return (int)((cab_time_local_midnight(DEMO_YEAR, m, d) - t0) /
		     CAB_INTERVAL_S);
}

/* A local time of the template's readings, in its dialect. */
enum dialect { D_CANONICAL, D_DAY_FIRST, D_ISO_LOCAL };

static void put_row(FILE *f, enum dialect dl, int64_t t, const char *meter,
		    double kwh)
{
	long wh = (long)(kwh * 1000.0 + 0.5);
	if (dl == D_CANONICAL) {
		char ts[21];
		cab_time_format_utc(t, ts);
		fprintf(f, "%s,%s,%ld.%03ld\n", ts, meter, wh / 1000,
			wh % 1000);
		return;
	}
	struct cab_civil c;
	cab_time_to_local(t, &c);
	if (dl == D_DAY_FIRST)
		fprintf(f, "%02d/%02d/%04d %02d:%02d;%s;%ld,%03ld\r\n", c.day,
			c.month, c.year, c.hour, c.minute, meter, wh / 1000,
			wh % 1000);
	else
		fprintf(f, "%04d-%02d-%02d %02d:%02d:00;%s;%ld,%03ld\r\n",
			c.year, c.month, c.day, c.hour, c.minute, meter,
			wh / 1000, wh % 1000);
}

/* The template's readings over slots [i0, i1), and a cabin meter (the
 * net import of those behind it, + 3 % losses) when cabin_meter is set. */
static int write_readings(const char *path, enum dialect dl,
			  const struct demo_slot *s, struct tpart *t, size_t n,
			  int i0, int i1, const char *cabin_meter,
			  const char *metered_cabin)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	static const char *const headers[] = {"timestamp,meter,kwh\n",
					      "Horodatage;Compteur;kWh\r\n",
					      "horodatage;compteur;kwh\r\n"};
	fputs(dl == D_DAY_FIRST ? "\xEF\xBB\xBF" : "", f);
	fputs(headers[dl], f);
	double *c[MAX_P], *pv[MAX_P];
	double *cabin = calloc(DEMO_N, sizeof(double));
	for (size_t k = 0; k < n; k++) {
		c[k] = pv[k] = NULL;
		const struct demo_part *q = &t[k].p;
		if (q->has_c) {
			c[k] = malloc(DEMO_N * sizeof(double));
			if (q->kind == DEMO_K_HOUSE)
				cab_demo_gen_household(q, s, c[k]);
			else
				cab_demo_gen_common(q, s, c[k]);
			cab_demo_shape_finish(q, s, c[k]);
		}
		if (q->kwp > 0) {
			pv[k] = malloc(DEMO_N * sizeof(double));
			cab_demo_gen_pv(q, s, pv[k]);
		}
		bool behind = metered_cabin && t[k].cabin &&
			      !strcmp(t[k].cabin, metered_cabin);
		for (int i = 0; behind && i < DEMO_N; i++)
			cabin[i] +=
			    (c[k] ? c[k][i] : 0) - (pv[k] ? pv[k][i] : 0);
	}
	for (int i = i0; i < i1; i++) {
		if (cabin_meter)
			put_row(f, dl, s[i].utc_s, cabin_meter,
				cabin[i] > 0 ? cabin[i] * 1.03 : 0.0);
		for (size_t k = 0; k < n; k++) {
			char m[32];
			if (c[k] && t[k].is_metered) {
				snprintf(m, sizeof(m), "%s-c", t[k].p.id);
				put_row(f, dl, s[i].utc_s, m, c[k][i]);
			}
			if (pv[k]) {
				snprintf(m, sizeof(m), "%s-pv", t[k].p.id);
				put_row(f, dl, s[i].utc_s, m, pv[k][i]);
			}
		}
	}
	for (size_t k = 0; k < n; k++) {
		free(c[k]);
		free(pv[k]);
	}
	free(cabin);
	return fclose(f);
}

static const char *kind_name(const struct tpart *t)
{
	static const char *const k[] = {"household", "common", "producer",
					"association"};
	return k[t->kind];
}

/* participants.csv: the table of SPEC §11, `;`, a BOM, CRLF. */
static int write_table(const char *path, const struct tpart *t, size_t n,
		       bool has_history, const char *street, const char *town)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs("\xEF\xBB\xBF"
	      "id;name;address;kind;cabin;consumption;production;occupants;"
	      "income_band;epb_class;floor_area_m2;protected;history_kwh;"
	      "lang;groups\r\n",
	      f);
	for (size_t k = 0; k < n; k++) {
		const struct tpart *p = &t[k];
		const struct demo_part *q = &p->p;
		bool is_house = q->kind == DEMO_K_HOUSE;
		fprintf(f, "%s;%s;", q->id, p->name);
		if (is_house)
			fprintf(f, "\"%s %zu, %s\"", street, k + 1, town);
		fprintf(f, ";%s;%s;", kind_name(p), p->cabin ? p->cabin : "");
		if (q->has_c && p->is_metered)
			fprintf(f, "%s-c", q->id);
		fputc(';', f);
		if (q->kwp > 0)
			fprintf(f, "%s-pv", q->id);
		if (is_house)
			fprintf(f, ";%d;%d;%c;%d;%s;", q->occupants,
				q->income_band, q->epb, q->area_m2,
				q->is_protected ? "oui" : "non");
		else
			fputs(";;;;;;", f);
		if (is_house && has_history)
			fprintf(f, "%.0f", q->target_kwh);
		fprintf(f, ";%s;%s\r\n", q->lang, p->group ? p->group : "");
	}
	return fclose(f);
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The demo's indicative Brussels tariff (cabine/demo.h). */
static const char *const tariff = cab_demo_tariff_json;

static char path_buf[512];
static const char *in(const char *root, const char *dir, const char *file)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s/%s", root, dir, file);
	return path_buf;
}

/* ---- the three communities --------------------------------------------- */

static int cohousing(const char *root, struct demo_slot *s)
{
	struct tpart t[MAX_P];
	size_t n = 0;
	for (int i = 1; i <= 18; i++) {
		char id[8];
		snprintf(id, sizeof(id), "co%02d", i);
		household(&t[n], id, i, 0.85);
		t[n].cabin = "batiment";
		t[n].p.epb = i % 2 ? 'A' : 'B'; /* built in 2015 */
		/* one household did not want a meter (seeds: 17 of 18) */
		t[n].is_metered = i != 11;
		n++;
	}
	common(&t[n++], "buanderie", "Buanderie", 2200);
	common(&t[n++], "salle", "Salle polyvalente", 1500);
	common(&t[n++], "jardin", "Jardin et chambre d'amis", 900);
	producer(&t[n++], "pv-toit", "Panneaux du toit (15 kWc)", 15.0);
	for (size_t k = 18; k < n; k++)
		t[k].cabin = "batiment";
	/* alerts by SMS half an hour before, unannounced: 3 h then 6 h */
	for (int i = 0; i < DEMO_N; i++)
		s[i].alert = 0;
	const int alert[2][3] = {{14, 18, 21}, {23, 16, 22}}; /* May */
	for (int a = 0; a < 2; a++) {
		int i0 = slot_of(5, alert[a][0]);
		for (int k = alert[a][1] * 4; k < alert[a][2] * 4 + 4; k++)
			s[i0 + k].alert = k < alert[a][2] * 4 ? 2 : -2;
	}
	if (write_table(in(root, "cohousing", "participants.csv"), t, n, false,
			"Rue des Tilleuls 12, boîte", "1020 Bruxelles") ||
	    write_readings(in(root, "cohousing", "readings.csv"), D_DAY_FIRST,
			   s, t, n, slot_of(5, 6), slot_of(5, 27), NULL, NULL))
		return -1;
	char json[4000];
	snprintf(
	    json, sizeof(json),
	    "{\n"
	    "  \"name\": \"cohousing\",\n"
	    "  \"period\": {\"start\": \"2024-05-06\", \"end\": "
	    "\"2024-05-27\"},\n"
	    "  \"readings\": \"readings.csv\",\n"
	    "  \"cabins\": [{\"id\": \"batiment\", \"locality\": \"A\"}],\n"
	    "  \"participants\": \"participants.csv\",\n"
	    "%s"
	    "  \"sharing\": {\"key\": \"hybrid\", \"price_eur_kwh\": 0.12,\n"
	    "              \"weights\": {\"buanderie\": 0.2, \"salle\": "
	    "0.2, \"jardin\": 0.2}},\n"
	    "  \"billing\": {\"mode\": \"shared\"},\n"
	    "  \"alerts\": [\n"
	    "    {\"start\": \"2024-05-14T18:00\", \"end\": "
	    "\"2024-05-14T21:00\", \"announced\": false},\n"
	    "    {\"start\": \"2024-05-23T16:00\", \"end\": "
	    "\"2024-05-23T22:00\", \"announced\": false}\n"
	    "  ],\n"
	    "  \"compare\": [\n"
	    "    {\"name\": \"prorata\", \"sharing\": {\"key\": "
	    "\"proportional\"}}\n"
	    "  ]\n"
	    "}\n",
	    tariff);
	return write_text(in(root, "cohousing", "scenario.json"), json);
}

static int district(const char *root, struct demo_slot *s)
{
	static const char *const cabins[] = {"rouge-gorge", "mesange", "pinson",
					     "merle", "moineau"};
	static const double rooftops[] = {3.5, 4.0, 5.0, 3.0, 6.0,
					  4.5, 3.5, 5.5, 4.0, 3.0};
	struct tpart t[MAX_P];
	size_t n = 0;
	for (int i = 1; i <= 60; i++) {
		char id[8];
		snprintf(id, sizeof(id), "m%02d", i);
		household(&t[n], id, i, 1.0);
		int cb = i <= 12 ? 0 : 1 + (i - 13) % 4;
		t[n].cabin = cabins[cb];
		/* behind the metered cabin: no meter of their own */
		t[n].is_metered = cb != 0;
		t[n].p.is_protected = i % 9 == 4;
		if (t[n].p.is_protected)
			t[n].p.income_band = 0;
		t[n].p.has_heat_pump = i % 13 == 7;
		if (cb != 0 && i % 5 == 0) {
			t[n].p.kwp = rooftops[(i / 5) % 10];
			t[n].p.pv_site = 0.95 + 0.01 * (i % 10);
		}
		t[n].group = cb == 0 ? "pot" : NULL;
		n++;
	}
	for (int i = 0; i < DEMO_N; i++)
		s[i].alert = 0;
	if (write_table(in(root, "district", "participants.csv"), t, n, true,
			"Avenue du Coin", "1170 Bruxelles") ||
	    write_readings(in(root, "district", "readings.csv"), D_CANONICAL, s,
			   t, n, slot_of(2, 5), slot_of(2, 12), "cabin-rg",
			   "rouge-gorge"))
		return -1;
	char json[4000];
	snprintf(
	    json, sizeof(json),
	    "{\n"
	    "  \"name\": \"district\",\n"
	    "  \"period\": {\"start\": \"2024-02-05\", \"end\": "
	    "\"2024-02-12\"},\n"
	    "  \"readings\": \"readings.csv\",\n"
	    "  \"cabins\": [\n"
	    "    {\"id\": \"rouge-gorge\", \"meter\": \"cabin-rg\", "
	    "\"locality\": \"B\"},\n"
	    "    {\"id\": \"mesange\", \"locality\": \"B\"},\n"
	    "    {\"id\": \"pinson\", \"locality\": \"B\"},\n"
	    "    {\"id\": \"merle\", \"locality\": \"B\"},\n"
	    "    {\"id\": \"moineau\", \"locality\": \"B\"}\n"
	    "  ],\n"
	    "  \"participants\": \"participants.csv\",\n"
	    "%s"
	    "  \"sharing\": {\"key\": \"proportional\", \"perimeter\": "
	    "\"cabin\", \"price_eur_kwh\": 0.15},\n"
	    "  \"billing\": {\n"
	    "    \"mode\": \"pot\",\n"
	    "    \"key\": {\"history\": 0.5, \"income\": 0.3, \"building\": "
	    "0.2},\n"
	    "    \"income_factors\": {\"0\": 0.6, \"1\": 0.9, \"2\": 1.1, "
	    "\"3\": 1.4},\n"
	    "    \"building_factors\": {\"A\": 0.6, \"B\": 0.7, \"C\": 0.8, "
	    "\"D\": 1.0, \"E\": 1.2, \"F\": 1.4, \"G\": 1.6},\n"
	    "    \"bounds\": {\"protected\": {\"max_price_eur_kwh\": "
	    "0.30}}\n"
	    "  },\n"
	    "  \"compare\": [\n"
	    "    {\"name\": \"equal-pot\", \"billing\": {\"key\": "
	    "{\"equal\": 1}}},\n"
	    "    {\"name\": \"alone\", \"billing\": {\"mode\": "
	    "\"individual\"}}\n"
	    "  ]\n"
	    "}\n",
	    tariff);
	return write_text(in(root, "district", "scenario.json"), json);
}

static int social(const char *root, struct demo_slot *s)
{
	struct tpart t[MAX_P];
	size_t n = 0;
	char precarious[600] = "";
	for (int i = 1; i <= 20; i++) {
		char id[8];
		snprintf(id, sizeof(id), "lo%02d", i);
		household(&t[n], id, i + 7, 0.9);
		t[n].cabin = "boondael";
		t[n].p.income_band = i % 3 == 0 ? 1 : 0;
		t[n].p.is_protected = i % 3 != 0 && i % 4 != 1;
		t[n].p.epb = "DEEFFG"[i % 6];
		if (t[n].p.is_protected) {
			t[n].group = "precaires";
			size_t l = strlen(precarious);
			snprintf(precarious + l, sizeof(precarious) - l,
				 "%s\"%s\"", l ? ", " : "", id);
		}
		n++;
	}
	common(&t[n], "sisp", "SISP (parties communes)", 6000);
	t[n].kind = 3;
	t[n].p.kwp = 30.0;
	t[n].p.pv_site = 1.0;
	t[n++].cabin = "boondael";
	common(&t[n], "cuisine", "Cuisine solidaire", 2500);
	t[n++].cabin = "boondael";
	for (int i = 0; i < DEMO_N; i++)
		s[i].alert = 0;
	if (write_table(in(root, "social", "participants.csv"), t, n, false,
			"Rue du Bois", "1050 Bruxelles") ||
	    write_readings(in(root, "social", "readings.csv"), D_ISO_LOCAL, s,
			   t, n, slot_of(4, 8), slot_of(4, 22), NULL, NULL))
		return -1;
	char json[4000];
	snprintf(
	    json, sizeof(json),
	    "{\n"
	    "  \"name\": \"social\",\n"
	    "  \"period\": {\"start\": \"2024-04-08\", \"end\": "
	    "\"2024-04-22\"},\n"
	    "  \"readings\": \"readings.csv\",\n"
	    "  \"cabins\": [{\"id\": \"boondael\", \"locality\": \"B\"}],\n"
	    "  \"participants\": \"participants.csv\",\n"
	    "%s"
	    "  \"sharing\": {\"key\": \"priority\", \"price_eur_kwh\": 0.08,\n"
	    "              \"groups\": [[%s]]},\n"
	    "  \"billing\": {\"mode\": \"shared\"},\n"
	    "  \"compare\": [\n"
	    "    {\"name\": \"prorata\", \"sharing\": {\"key\": "
	    "\"proportional\"}}\n"
	    "  ]\n"
	    "}\n",
	    tariff, precarious);
	return write_text(in(root, "social", "scenario.json"), json);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_templates SCENARIOS_DIR\n");
		return 2;
	}
	struct demo_slot *s = calloc(DEMO_N, sizeof(*s));
	if (!s)
		return 1;
	cab_demo_calendar(s);
	int rc =
	    cohousing(argv[1], s) || district(argv[1], s) || social(argv[1], s);
	free(s);
	if (rc)
		perror(argv[1]);
	return rc ? 1 : 0;
}
