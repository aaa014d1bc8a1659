/*
 * test_books.c — the overview workbooks: community.xlsx (`cabine run`)
 * and sibelga.xlsx (the operator's monthly shape). Each is read back
 * from its sheet XML: header texts, every number against the figure of
 * the run it came from, reproducible bytes, the language chosen.
 * The run and scenario are built by hand: no engine needed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/alerts.h"
#include "cabine/readings.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "harness.h"
#include "xlsx_read.h"

#define T0 1704063600 /* 2024-01-01 00:00 Brussels = 2023-12-31T23:00Z */
#define NT 192	      /* two days */

/* Scenario order "h02" then "h01": the sheets sort by id. */
struct fixture {
	struct cab_scenario sc;
	struct cab_participant parts[2];
	struct cab_run run;
	struct cab_participant_result p[2];
	struct cab_month month[2];
	struct cab_volumes vols[2][2];
	double series[2][3][NT];
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->sc.name = "coin-du-balai";
	f->sc.start_y = 2024, f->sc.start_m = 1, f->sc.start_d = 31;
	f->sc.end_y = 2024, f->sc.end_m = 2, f->sc.end_d = 2;
	f->sc.t0_s = T0;
	f->sc.n_intervals = NT;
	f->parts[0].id = "h02";
	f->parts[0].meter_consumption = "h02-c";
	f->parts[1].id = "h01";
	f->parts[1].meter_offtake = "h01.offtake";
	f->sc.n_participants = 2;
	f->sc.participants = f->parts;
	f->sc.tariff.network_eur_kwh = 0.12;
	f->sc.tariff.network_shared_eur_kwh[1] = 0.05; /* B */
	f->sc.tariff.network_shared_eur_kwh[2] = 0.09; /* C */

	f->month[0] = (struct cab_month){2024, 1, 0, 96};
	f->month[1] = (struct cab_month){2024, 2, 96, 96};
	f->run.sc = &f->sc;
	f->run.t0_s = T0;
	f->run.n_intervals = NT;
	f->run.n_months = 2;
	f->run.months = f->month;
	f->run.n = 2;
	f->run.p = f->p;
	f->run.cabin_residual_kwh = NAN;
	f->run.ind =
	    (struct cab_indicators){.self_consumption_rate = 0.5,
				    .self_sufficiency_rate = 0.25,
				    .positive_energy_balance_kwh = -12.5,
				    .coincidence_factor = 0.75};
	/* Bills h02 9.50 (alone 10.00), h01 21.25 (alone 20.00). */
	const int64_t bill[2] = {950, 2125}, alone[2] = {1000, 2000};
	for (size_t i = 0; i < 2; i++) {
		struct cab_participant_result *p = &f->p[i];
		for (size_t t = 0; t < NT; t++) {
			f->series[i][0][t] = 0.1 + 0.01 * (double)(t % 96);
			f->series[i][1][t] =
			    (t % 96 >= 40 && t % 96 < 64) ? 0.3 : 0;
			f->series[i][2][t] = 0.05;
		}
		f->series[i][0][5] = NAN; /* one missing interval */
		p->consumption_kwh = f->series[i][0];
		p->production_kwh = f->series[i][1];
		p->shared_kwh = f->series[i][2];
		p->locality = i == 0 ? 'B' : 'C';
		p->missing_intervals = 1;
		p->pot = -1;
		p->bill.total_cents = bill[i];
		p->baseline.total_cents = alone[i];
		p->delta_cents = bill[i] - alone[i];
		for (size_t m = 0; m < 2; m++) {
			double k = (double)(1 + i + 2 * m);
			f->vols[i][m] = (struct cab_volumes){
			    .consumption_kwh = 40 * k,
			    .production_kwh = 10 * k,
			    .self_consumed_kwh = 5 * k,
			    .shared_kwh = 12.5 * k,
			    .shared_day_kwh = 10 * k,
			    .given_kwh = 2 * k,
			    .given_day_kwh = 1.5 * k,
			    .complementary_kwh = 22.5 * k,
			    .complementary_day_kwh = 20 * k,
			    .injected_kwh = 1.25 * k};
		}
		p->month = f->vols[i];
		struct cab_volumes *tv = &p->total;
		for (size_t m = 0; m < 2; m++) {
			const struct cab_volumes *v = &f->vols[i][m];
			tv->consumption_kwh += v->consumption_kwh;
			tv->production_kwh += v->production_kwh;
			tv->self_consumed_kwh += v->self_consumed_kwh;
			tv->shared_kwh += v->shared_kwh;
			tv->given_kwh += v->given_kwh;
			tv->complementary_kwh += v->complementary_kwh;
			tv->injected_kwh += v->injected_kwh;
		}
		f->run.total_bill_cents += bill[i];
		f->run.total_baseline_cents += alone[i];
	}
}

static void rm_rf(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* Write one report into a fresh temporary dir (tmpl, ≥ 64 bytes). */
static enum cab_status write_into(const struct cab_report_ops *ops,
				  const struct fixture *f, int lang, char *tmpl)
{
	strcpy(tmpl, "/tmp/cabine-books-XXXXXX");
	if (!mkdtemp(tmpl))
		return CAB_EIO;
	struct cab_report_opts o = {.lang = lang};
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = ops->write(&f->run, &o, tmpl, &err);
	if (st != CAB_OK)
		fprintf(stderr, "  %s", err.text ? err.text : "?\n");
	cab_err_release(&err);
	return st;
}

static double num_at(const char *sheet, int col, int row)
{
	char ref[16];
	xr_ref(col, row, ref, sizeof(ref));
	double v = NAN;
	if (!xr_num(sheet, ref, &v))
		return NAN;
	return v;
}

static const char *text_at(const char *sheet, const char *strs, int col,
			   int row, char *buf, size_t size)
{
	char ref[16];
	xr_ref(col, row, ref, sizeof(ref));
	if (!xr_text(sheet, strs, ref, buf, size))
		snprintf(buf, size, "(none)");
	return buf;
}

/* Row 7 is the first participant (title, community, period, legend,
 * blank, header in row 6): h01 then h02, sorted by id. */
TEST(community_rows_hold_every_figure_of_the_run)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128], txt[256];
	CHECK_INT(write_into(&cab_report_community_xlsx, &f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/community.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	char *book = xr_member(path, "xl/workbook.xml");
	CHECK(sheet && strs && book);
	CHECK(book && strstr(book, "name=\"Communauté\"") != NULL);
	CHECK(book && strstr(book, "name=\"Graphiques\"") != NULL);
	CHECK_STR(text_at(sheet, strs, 0, 6, txt, sizeof(txt)), "Participant");
	CHECK_STR(text_at(sheet, strs, 4, 6, txt, sizeof(txt)),
		  "Énergie partagée reçue (kWh)");
	CHECK_STR(text_at(sheet, strs, 11, 6, txt, sizeof(txt)),
		  "Différence (€)");
	const size_t order[2] = {1, 0}; /* h01, h02 */
	for (int k = 0; k < 2; k++) {
		const struct cab_participant_result *p = &f.p[order[k]];
		const struct cab_volumes *v = &p->total;
		int row = 7 + k;
		CHECK_STR(text_at(sheet, strs, 0, row, txt, sizeof(txt)),
			  f.parts[order[k]].id);
		const double kwh[7] = {
		    v->consumption_kwh, v->production_kwh, v->self_consumed_kwh,
		    v->shared_kwh,	v->given_kwh,	   v->complementary_kwh,
		    v->injected_kwh};
		for (int c = 0; c < 7; c++)
			CHECK_NEAR(num_at(sheet, 1 + c, row), kwh[c], 1e-12);
		CHECK_NEAR(num_at(sheet, 8, row), 1, 0);
		CHECK_INT(llround(num_at(sheet, 9, row) * 100),
			  p->bill.total_cents);
		CHECK_INT(llround(num_at(sheet, 10, row) * 100),
			  p->baseline.total_cents);
		CHECK_INT(llround(num_at(sheet, 11, row) * 100),
			  p->delta_cents);
	}
	/* Totals: 9.50 + 21.25 = 30.75; alone 30.00; +0.75; kWh
	 * consumption (40·1 + 40·3) + (40·2 + 40·4) = 400. */
	CHECK_STR(text_at(sheet, strs, 0, 9, txt, sizeof(txt)), "Total");
	CHECK_INT(llround(num_at(sheet, 9, 9) * 100), f.run.total_bill_cents);
	CHECK_NEAR(num_at(sheet, 9, 9), 30.75, 1e-9);
	CHECK_NEAR(num_at(sheet, 10, 9), 30.00, 1e-9);
	CHECK_NEAR(num_at(sheet, 11, 9), 0.75, 1e-9);
	CHECK_NEAR(num_at(sheet, 1, 9), 400, 1e-9);
	CHECK_NEAR(num_at(sheet, 8, 9), 2, 0);
	/* Indicators from row 12: the four of SPEC §6; no cabin meter and
	 * no pot, so no fifth or sixth row. */
	CHECK_STR(text_at(sheet, strs, 0, 11, txt, sizeof(txt)), "Indicateurs");
	CHECK_NEAR(num_at(sheet, 1, 12), 0.5, 0);
	CHECK_NEAR(num_at(sheet, 1, 13), 0.25, 0);
	CHECK_NEAR(num_at(sheet, 1, 14), -12.5, 0);
	CHECK_NEAR(num_at(sheet, 1, 15), 0.75, 0);
	CHECK(xr_cell(sheet, "A16") == NULL);
	/* Green and red on the differences. */
	CHECK(sheet &&
	      strstr(sheet, "<conditionalFormatting sqref=\"L7:L9\">") != NULL);
	free(sheet);
	free(strs);
	free(book);
	rm_rf(dir);
}

TEST(community_shows_cabin_residual_and_pot_when_present)
{
	struct fixture f;
	fixture_init(&f);
	struct cab_cabin_flow flow = {.cabin = 0, .residual_kwh = 3.5};
	f.run.cabin_flows = &flow;
	f.run.n_cabin_flows = 1;
	f.run.cabin_residual_kwh = 3.5;
	struct cab_pot pot = {.cabin = 0, .total_cents = 3075};
	f.run.pots = &pot;
	f.run.n_pots = 1;
	f.run.pot_cents = 3075;
	char dir[64], path[128], txt[256];
	CHECK_INT(write_into(&cab_report_community_xlsx, &f, CAB_LANG_EN, dir),
		  CAB_OK);
	snprintf(path, sizeof(path), "%s/community.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	CHECK_STR(text_at(sheet, strs, 0, 16, txt, sizeof(txt)),
		  "Cabin residual (kWh)");
	CHECK_NEAR(num_at(sheet, 1, 16), 3.5, 0);
	CHECK_STR(text_at(sheet, strs, 0, 17, txt, sizeof(txt)),
		  "Common pot (EUR)");
	CHECK_NEAR(num_at(sheet, 1, 17), 30.75, 1e-9);
	CHECK_STR(text_at(sheet, strs, 11, 6, txt, sizeof(txt)),
		  "Difference (EUR)");
	free(sheet);
	free(strs);
	rm_rf(dir);
}

/* Average day, winter (January and February): each participant's
 * consumption at slot s is 0.1 + 0.01·s, so the community's at 12:00
 * (slot 48, row 50) is 2 × 0.58 = 1.16 and production 2 × 0.3 = 0.6;
 * slot 5 (row 7) misses one interval per participant: still 2 × 0.15.
 * Spring has no data: its cells stay empty. */
TEST(community_average_day_per_season)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128];
	CHECK_INT(write_into(&cab_report_community_xlsx, &f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/community.xlsx", dir);
	char *data = xr_member(path, "xl/worksheets/sheet3.xml");
	CHECK(data != NULL);
	CHECK_NEAR(num_at(data, 1, 50), 1.16, 1e-12);
	CHECK_NEAR(num_at(data, 2, 50), 0.6, 1e-12);
	CHECK_NEAR(num_at(data, 1, 7), 0.3, 1e-12);
	CHECK(xr_cell(data, "D50") == NULL);
	free(data);
	/* Four charts: two average days (winter only), the pie of shared
	 * energy, the differences with a colour per bar. */
	char *c1 = xr_member(path, "xl/charts/chart1.xml");
	char *c3 = xr_member(path, "xl/charts/chart3.xml");
	char *c4 = xr_member(path, "xl/charts/chart4.xml");
	CHECK(c1 && strstr(c1, "lineChart") && strstr(c1, "data!$B$2:$B$97"));
	CHECK(c1 && !strstr(c1, "data!$D$2"));
	CHECK(c3 && strstr(c3, "pieChart") &&
	      strstr(c3, "'Communauté'!$E$7:$E$8"));
	CHECK(c4 && strstr(c4, "barChart") && strstr(c4, "<c:dPt>"));
	free(c1);
	free(c3);
	free(c4);
	rm_rf(dir);
}

TEST(community_is_reproducible_and_follows_lang)
{
	struct fixture f;
	fixture_init(&f);
	char d1[64], d2[64], p1[128], p2[128];
	CHECK_INT(write_into(&cab_report_community_xlsx, &f, -1, d1), CAB_OK);
	CHECK_INT(write_into(&cab_report_community_xlsx, &f, -1, d2), CAB_OK);
	snprintf(p1, sizeof(p1), "%s/community.xlsx", d1);
	snprintf(p2, sizeof(p2), "%s/community.xlsx", d2);
	CHECK(xr_same_bytes(p1, p2));
	rm_rf(d2);
	CHECK_INT(write_into(&cab_report_community_xlsx, &f, CAB_LANG_NL, d2),
		  CAB_OK);
	snprintf(p2, sizeof(p2), "%s/community.xlsx", d2);
	char *book = xr_member(p2, "xl/workbook.xml");
	char *strs = xr_member(p2, "xl/sharedStrings.xml");
	CHECK(book && strstr(book, "name=\"Gemeenschap\""));
	CHECK(strs && strstr(strs, "Gelijktijdigheidsfactor"));
	free(book);
	free(strs);
	rm_rf(d1);
	rm_rf(d2);
}

/* Occurrences of needle in hay. */
static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* community.xlsx of n participants (two intervals each, gains and losses
 * in turn): the bars of the differences (the fourth chart) are coloured
 * one by one up to 1,000 participants, and by two series above (the
 * gains green, the losses red, read from the data sheet): libxlsxwriter's
 * coloured points are quadratic, and 100,000 never finish. */
static void delta_chart_of(size_t n, size_t *points, size_t *series,
			   bool *has_split)
{
	struct cab_scenario sc = {.name = "big"};
	sc.start_y = sc.end_y = 2024, sc.start_m = sc.end_m = 1;
	sc.start_d = 1, sc.end_d = 2;
	sc.t0_s = T0, sc.n_intervals = 2, sc.n_participants = n;
	struct cab_participant *parts = calloc(n, sizeof(*parts));
	struct cab_participant_result *p = calloc(n, sizeof(*p));
	char(*ids)[8] = calloc(n, sizeof(*ids));
	double c[2] = {0.5, 0.25};
	struct cab_run run = {.sc = &sc,
			      .t0_s = T0,
			      .n_intervals = 2,
			      .n = n,
			      .p = p,
			      .cabin_residual_kwh = NAN};
	*points = *series = 0;
	*has_split = false;
	CHECK(parts && p && ids);
	if (!parts || !p || !ids)
		goto done;
	sc.participants = parts;
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], 8, "p%05zu", i);
		parts[i].id = ids[i];
		p[i].consumption_kwh = c;
		p[i].pot = -1;
		p[i].delta_cents = i % 2 ? 125 : -250;
		p[i].bill.total_cents = 1000 + p[i].delta_cents;
		p[i].baseline.total_cents = 1000;
	}
	char dir[64] = "/tmp/cabine-books-XXXXXX", path[128];
	CHECK(mkdtemp(dir) != NULL);
	struct cab_report_opts o = {.lang = -1};
	CHECK_INT(cab_report_community_xlsx.write(&run, &o, dir, NULL), CAB_OK);
	snprintf(path, sizeof(path), "%s/community.xlsx", dir);
	char *chart = xr_member(path, "xl/charts/chart4.xml");
	char *data = xr_member(path, "xl/worksheets/sheet3.xml");
	CHECK(chart != NULL);
	*points = count_of(chart, "<c:dPt>");
	*series = count_of(chart, "<c:ser>");
	/* The data sheet holds a gain in K2 (p00000: -2.50) and a loss in
	 * L3 (p00001: 1.25) when the bars are split. */
	*has_split =
	    data && strstr(data, "<c r=\"K2\"") && strstr(data, "<c r=\"L3\"");
	free(chart);
	free(data);
	rm_rf(dir);
done:
	free(parts);
	free(p);
	free(ids);
}

TEST(community_delta_chart_stays_linear_above_1000_participants)
{
	size_t points, series;
	bool has_split;
	delta_chart_of(1000, &points, &series, &has_split);
	CHECK_INT(points, 1000);
	CHECK_INT(series, 1);
	CHECK(!has_split);
	delta_chart_of(1001, &points, &series, &has_split);
	CHECK_INT(points, 0);
	CHECK_INT(series, 2);
	CHECK(has_split);
}

/* Expected rows of sibelga.xlsx, by id (h01 then h02), month, register. */
static void check_sibelga_rows(const struct fixture *f, const char *sheet,
			       const char *strs, bool has_night)
{
	char txt[256];
	const size_t order[2] = {1, 0};
	const char *meters[2] = {"h01.offtake", "h02-c"};
	const double shared_price[2] = {0.09, 0.05}; /* C, B */
	int row = 2;
	for (int k = 0; k < 2; k++) {
		const struct cab_participant_result *p = &f->p[order[k]];
		for (int m = 0; m < 2; m++) {
			const struct cab_volumes *v = &p->month[m];
			double day[3] = {v->shared_day_kwh,
					 v->complementary_day_kwh,
					 v->given_day_kwh};
			double all[3] = {v->shared_kwh, v->complementary_kwh,
					 v->given_kwh};
			for (int g = 0; g < (has_night ? 2 : 1); g++, row++) {
				CHECK_STR(text_at(sheet, strs, 0, row, txt,
						  sizeof(txt)),
					  meters[k]);
				CHECK_STR(text_at(sheet, strs, 1, row, txt,
						  sizeof(txt)),
					  m ? "2024-02" : "2024-01");
				CHECK_STR(text_at(sheet, strs, 2, row, txt,
						  sizeof(txt)),
					  !has_night ? "TH"
					  : g	     ? "LOW"
						     : "HI");
				double x[3];
				for (int c = 0; c < 3; c++) {
					x[c] = !has_night ? all[c]
					       : g	  ? all[c] - day[c]
							  : day[c];
					CHECK_NEAR(num_at(sheet, 3 + c, row),
						   x[c], 1e-12);
				}
				double fee =
				    x[1] * 0.12 + x[0] * shared_price[k];
				CHECK_INT(llround(num_at(sheet, 6, row) * 100),
					  cab_round_cents(fee));
			}
		}
	}
	char ref[16];
	xr_ref(0, row, ref, sizeof(ref));
	CHECK(xr_cell(sheet, ref) == NULL); /* nothing after */
}

/* Single rate: one TH row per meter and month. h01 (locality C), January
 * (k = 2): complementary 45 kWh × 0.12 + shared 25 kWh × 0.09 = 7.65. */
TEST(sibelga_single_rate_has_one_total_register)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128], txt[256];
	CHECK_INT(write_into(&cab_report_sibelga_xlsx, &f, CAB_LANG_EN, dir),
		  CAB_OK);
	snprintf(path, sizeof(path), "%s/sibelga.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	CHECK(sheet && strs);
	const char *head[7] = {"Compteur",
			       "Mois",
			       "Registre",
			       "Volume Partagé",
			       "Volume Complémentaire",
			       "Injection Partagée",
			       "Gridfee total"};
	for (int c = 0; c < 7; c++)
		CHECK_STR(text_at(sheet, strs, c, 1, txt, sizeof(txt)),
			  head[c]);
	CHECK(xr_cell(sheet, "H1") == NULL);
	CHECK_NEAR(num_at(sheet, 6, 2), 7.65, 1e-9);
	check_sibelga_rows(&f, sheet, strs, false);
	free(sheet);
	free(strs);
	rm_rf(dir);
}

TEST(sibelga_day_night_tariff_splits_hi_and_low)
{
	struct fixture f;
	fixture_init(&f);
	f.sc.tariff.has_night_price = true;
	char dir[64], path[128], d2[64], p2[128];
	CHECK_INT(write_into(&cab_report_sibelga_xlsx, &f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/sibelga.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	CHECK(sheet && strs);
	/* h01 January HI: compl 40 × 0.12 + shared 20 × 0.09 = 6.60;
	 * LOW: 5 × 0.12 + 5 × 0.09 = 1.05. */
	CHECK_NEAR(num_at(sheet, 6, 2), 6.6, 1e-9);
	CHECK_NEAR(num_at(sheet, 6, 3), 1.05, 1e-9);
	check_sibelga_rows(&f, sheet, strs, true);
	free(sheet);
	free(strs);
	CHECK_INT(write_into(&cab_report_sibelga_xlsx, &f, -1, d2), CAB_OK);
	snprintf(p2, sizeof(p2), "%s/sibelga.xlsx", d2);
	CHECK(xr_same_bytes(path, p2));
	rm_rf(dir);
	rm_rf(d2);
}

/* sibelga.xlsx from a run of the engine (shared billing, day/night
 * tariff, one cabin of locality B): Tuesday 2024-01-30 to Thursday
 * 2024-02-01. "a" takes 0.3 kWh at 12:00 on January 30 while "b" injects
 * 0.5 (a receives 0.3), and 0.125 kWh at 01:00 (night) on January 31 and
 * on February 1. a's rows: January HI 0.3 × 0.05 = 0.015 → 0.02, January
 * LOW 0.125 × 0.12 = 0.015 → 0.02, February HI 0, February LOW 0.02:
 * 0.06. Its bill's network lines: 0.25 × 0.12 = 0.03 and 0.3 × 0.05 =
 * 0.015 → 0.02: 0.05. The note under the table says so: 0.06, 0.05,
 * +0.01. b takes nothing: no fee, no network line, no note. */
TEST(sibelga_monthly_fees_add_up_to_the_bills_network_lines)
{
	static struct cab_cabin cabin = {"cab", NULL, 'B'};
	static char *ids[2] = {"a", "b"}, *cons[2] = {"a-c", "b-c"};
	struct cab_scenario sc = {0};
	struct cab_participant pt[2] = {{0}};
	sc.path = "t.json";
	sc.name = "t";
	sc.start_y = 2024, sc.start_m = 1, sc.start_d = 30;
	sc.end_y = 2024, sc.end_m = 2, sc.end_d = 2;
	sc.t0_s = cab_time_local_midnight(2024, 1, 30);
	sc.n_intervals = 3 * 96;
	sc.n_days = 3;
	sc.n_cabins = 1;
	sc.cabins = &cabin;
	sc.n_participants = 2;
	sc.participants = pt;
	for (int i = 0; i < 2; i++) {
		pt[i].id = ids[i];
		pt[i].meter_consumption = cons[i];
		pt[i].cabin = 0;
		pt[i].vat = 0.06;
	}
	pt[1].meter_production = "b-pv";
	struct cab_tariff *tf = &sc.tariff;
	tf->has_night_price = true;
	tf->network_eur_kwh = 0.12;
	tf->network_shared_eur_kwh[1] = 0.05; /* B */
	tf->day_start_h = 7, tf->day_end_h = 22;
	snprintf(sc.sharing.key, sizeof(sc.sharing.key), "proportional");
	sc.billing.mode = CAB_BILLING_SHARED;
	double ac[3 * 96] = {0}, bc[3 * 96] = {0}, bpv[3 * 96] = {0};
	ac[48] = 0.3, bpv[48] = 0.5;	     /* 12:00 on January 30 */
	ac[96 + 4] = ac[2 * 96 + 4] = 0.125; /* 01:00 */
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	CHECK_INT(cab_readings_new(sc.t0_s, sc.n_intervals, &rd, NULL), CAB_OK);
	cab_readings_put(rd, "a-c", ac, NULL);
	cab_readings_put(rd, "b-c", bc, NULL);
	cab_readings_put(rd, "b-pv", bpv, NULL);
	CHECK_INT(cab_run_new(&sc, rd, -1, &run, NULL), CAB_OK);
	if (!run) {
		cab_readings_free(rd);
		return;
	}
	char dir[64], path[128], txt[256];
	strcpy(dir, "/tmp/cabine-books-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	struct cab_report_opts o = {.lang = CAB_LANG_EN};
	CHECK_INT(cab_report_sibelga_xlsx.write(run, &o, dir, NULL), CAB_OK);
	snprintf(path, sizeof(path), "%s/sibelga.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	CHECK(sheet && strs);
	/* The rows: meter in A, month in B; the fee in G. */
	int64_t fees[2] = {0, 0}, bill[2] = {0, 0};
	int row = 2, n_rows = 0;
	for (; strcmp(text_at(sheet, strs, 1, row, txt, sizeof(txt)),
		      "(none)") != 0;
	     row++, n_rows++) {
		bool is_a =
		    !strcmp(text_at(sheet, strs, 0, row, txt, 256), "a-c");
		fees[is_a ? 0 : 1] += llround(num_at(sheet, 6, row) * 100);
	}
	CHECK_INT(n_rows, 8); /* 2 meters × 2 months × HI, LOW */
	CHECK_INT(fees[0], 6);
	CHECK_INT(fees[1], 0);
	/* The bills' own network lines. */
	for (int i = 0; i < 2; i++)
		for (size_t l = 0; l < run->p[i].bill.n_lines; l++) {
			const struct cab_bill_line *bl =
			    &run->p[i].bill.lines[l];
			if (!strcmp(bl->name, "network") ||
			    !strcmp(bl->name, "network_shared"))
				bill[i] += bl->amount_cents;
		}
	CHECK_INT(bill[0], 5);
	CHECK_INT(bill[1], 0);
	/* The note, after a blank row: the remark, a header, then one row
	 * per meter whose months differ from its bill. */
	row++;
	CHECK(strncmp(text_at(sheet, strs, 0, row, txt, sizeof(txt)),
		      "Rounding:", 9) == 0);
	CHECK_STR(text_at(sheet, strs, 0, row + 1, txt, sizeof(txt)), "Meter");
	CHECK_STR(text_at(sheet, strs, 0, row + 2, txt, sizeof(txt)), "a-c");
	CHECK_INT(llround(num_at(sheet, 4, row + 2) * 100), fees[0]);
	CHECK_INT(llround(num_at(sheet, 5, row + 2) * 100), bill[0]);
	CHECK_INT(llround(num_at(sheet, 6, row + 2) * 100), fees[0] - bill[0]);
	/* b adds up: no row. */
	CHECK_STR(text_at(sheet, strs, 0, row + 3, txt, sizeof(txt)), "(none)");
	free(sheet);
	free(strs);
	rm_rf(dir);
	cab_run_free(run);
	cab_readings_free(rd);
}

/* A meterless participant has no meter to file under: no row. */
TEST(sibelga_leaves_out_meterless_participants)
{
	struct fixture f;
	fixture_init(&f);
	f.parts[1].meter_offtake = NULL;
	f.parts[1].is_meterless = true;
	char dir[64], path[128], txt[256];
	CHECK_INT(write_into(&cab_report_sibelga_xlsx, &f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/sibelga.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	CHECK_STR(text_at(sheet, strs, 0, 2, txt, sizeof(txt)), "h02-c");
	CHECK_STR(text_at(sheet, strs, 0, 3, txt, sizeof(txt)), "h02-c");
	CHECK(xr_cell(sheet, "A4") == NULL);
	free(sheet);
	free(strs);
	rm_rf(dir);
}

/* Three weeks from Monday 2024-03-04, participants "a" (0.2 kWh per
 * quarter-hour) and "b" (0.3), one alert on Wednesday 2024-03-20
 * 18:00–21:00 during which "a" uses 0.1. With is_uneven, "b" uses 0.5 on
 * Wednesday 2024-03-13 and misses 19:00 that day. The engine computes
 * the run and the effects. */
struct alert_fx {
	struct cab_scenario sc;
	struct cab_participant p[2];
	struct cab_alert alert;
	struct cab_readings *rd;
	struct cab_run *run;
	struct cab_alerts *res;
	double *ca, *cb;
};

static void alert_fx_init(struct alert_fx *f, bool is_uneven)
{
	memset(f, 0, sizeof(*f));
	struct cab_scenario *sc = &f->sc;
	sc->path = "t.json";
	sc->name = "t";
	sc->start_y = 2024, sc->start_m = 3, sc->start_d = 4;
	sc->end_y = 2024, sc->end_m = 3, sc->end_d = 25;
	sc->t0_s = cab_time_local_midnight(2024, 3, 4);
	sc->n_intervals = 21 * 96;
	sc->n_participants = 2;
	sc->participants = f->p;
	static char *ids[2] = {"b", "a"}, *meters[2] = {"b-c", "a-c"};
	for (int i = 0; i < 2; i++) {
		f->p[i].id = ids[i];
		f->p[i].meter_consumption = meters[i];
		f->p[i].cabin = -1;
		f->p[i].vat = 0.06;
	}
	sc->tariff.day_start_h = 7, sc->tariff.day_end_h = 22;
	sc->billing.mode = CAB_BILLING_INDIVIDUAL;
	f->alert.start_s = cab_time_local_midnight(2024, 3, 20) + 18 * 3600;
	f->alert.end_s = f->alert.start_s + 3 * 3600;
	sc->alerts = &f->alert;
	sc->n_alerts = 1;
	f->ca = calloc(sc->n_intervals, sizeof(double));
	f->cb = calloc(sc->n_intervals, sizeof(double));
	for (size_t t = 0; f->ca && f->cb && t < sc->n_intervals; t++) {
		int64_t ts = sc->t0_s + (int64_t)t * 900;
		f->ca[t] =
		    ts >= f->alert.start_s && ts < f->alert.end_s ? 0.1 : 0.2;
		f->cb[t] = 0.3;
		int64_t d13 = cab_time_local_midnight(2024, 3, 13);
		if (is_uneven && ts >= d13 && ts < d13 + 86400)
			f->cb[t] = ts == d13 + 19 * 3600 ? NAN : 0.5;
	}
	cab_readings_new(sc->t0_s, sc->n_intervals, &f->rd, NULL);
	cab_readings_put(f->rd, "a-c", f->ca, NULL);
	cab_readings_put(f->rd, "b-c", f->cb, NULL);
	CHECK_INT(cab_run_new(sc, f->rd, -1, &f->run, NULL), CAB_OK);
	if (f->run)
		CHECK_INT(cab_alerts_new(f->run, &f->res, NULL), CAB_OK);
}

static void alert_fx_release(struct alert_fx *f)
{
	cab_alerts_free(f->res);
	cab_run_free(f->run);
	cab_readings_free(f->rd);
	free(f->ca);
	free(f->cb);
}

static enum cab_status write_alerts_into(const struct alert_fx *f,
					 const struct cab_report_ops *ops,
					 int lang, char *tmpl)
{
	strcpy(tmpl, "/tmp/cabine-books-XXXXXX");
	if (!mkdtemp(tmpl))
		return CAB_EIO;
	struct cab_report_opts o = {.lang = lang, .alerts = f->res};
	enum cab_status st = ops->write(f->run, &o, tmpl, NULL);
	if (st == CAB_OK && ops != &cab_report_alerts_csv)
		st = cab_report_alerts_csv.write(f->run, &o, tmpl, NULL);
	return st;
}

/* Row u + 2 of the sheet is line u + 2 of alerts.csv, field by field
 * (in English the participant and window names are the CSV's). */
TEST(alerts_workbook_table_equals_alerts_csv)
{
	struct alert_fx f;
	alert_fx_init(&f, false);
	char dir[64], path[128], txt[256];
	CHECK_INT(
	    write_alerts_into(&f, &cab_report_alerts_xlsx, CAB_LANG_EN, dir),
	    CAB_OK);
	snprintf(path, sizeof(path), "%s/alerts.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	snprintf(txt, sizeof(txt), "%s/alerts.csv", dir);
	size_t len = 0;
	char *csv = xr_read_file(txt, &len);
	CHECK(sheet && strs && csv);
	CHECK_STR(text_at(sheet, strs, 6, 1, txt, sizeof(txt)),
		  "Difference (%)");
	int row = 2, rows = 0;
	char *save = NULL;
	char *line = csv ? strtok_r(csv, "\n", &save) : NULL; /* header */
	while (line && (line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *f8[8] = {0}, *fs = NULL;
		int n = 0;
		/* Fields may be empty: split by hand. */
		for (char *p = line; n < 8; n++) {
			f8[n] = p;
			char *comma = strchr(p, ',');
			if (!comma)
				break;
			*comma = 0;
			p = comma + 1;
		}
		(void)fs;
		CHECK_INT(n, 7);
		for (int c = 0; c < 3; c++)
			CHECK_STR(
			    text_at(sheet, strs, c, row, txt, sizeof(txt)),
			    f8[c]);
		for (int c = 3; c < 7; c++) {
			if (!*f8[c]) {
				CHECK(isnan(num_at(sheet, c, row)));
				continue;
			}
			CHECK_NEAR(num_at(sheet, c, row), strtod(f8[c], NULL),
				   c == 6 ? 0.005 : 5e-7);
		}
		CHECK_NEAR(num_at(sheet, 7, row), strtod(f8[7], NULL), 0);
		row++, rows++;
	}
	CHECK_INT(rows, 6); /* a, b, community × during, after */
	free(sheet);
	free(strs);
	free(csv);
	rm_rf(dir);
	alert_fx_release(&f);
}

/* The chart data: at 18:00 (slot 72, row 74) the community uses 0.1 +
 * 0.3 = 0.4 on the alert day against 0.5 on the two other Wednesdays;
 * the window series holds 0.4 there and nothing at 17:45 (row 73). The
 * Δ % of "a" is −50, of "b" 0: sorted a then b. */
TEST(alerts_workbook_charts_day_reference_and_spread)
{
	struct alert_fx f;
	alert_fx_init(&f, false);
	char dir[64], path[128], txt[256], d2[64], p2[128];
	CHECK_INT(write_alerts_into(&f, &cab_report_alerts_xlsx, -1, dir),
		  CAB_OK);
	snprintf(path, sizeof(path), "%s/alerts.xlsx", dir);
	char *data = xr_member(path, "xl/worksheets/sheet3.xml");
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	char *book = xr_member(path, "xl/workbook.xml");
	CHECK(book && strstr(book, "name=\"Alertes\""));
	CHECK_NEAR(num_at(data, 1, 74), 0.4, 1e-12);
	CHECK_NEAR(num_at(data, 2, 74), 0.5, 1e-12);
	CHECK_NEAR(num_at(data, 3, 74), 0.4, 1e-12);
	CHECK_NEAR(num_at(data, 1, 73), 0.5, 1e-12);
	CHECK(isnan(num_at(data, 3, 73)));
	CHECK_STR(text_at(data, strs, 4, 2, txt, sizeof(txt)), "a");
	CHECK_NEAR(num_at(data, 5, 2), -50, 1e-9);
	CHECK_STR(text_at(data, strs, 4, 3, txt, sizeof(txt)), "b");
	CHECK_NEAR(num_at(data, 5, 3), 0, 1e-9);
	char *c1 = xr_member(path, "xl/charts/chart1.xml");
	char *c2 = xr_member(path, "xl/charts/chart2.xml");
	CHECK(c1 && strstr(c1, "lineChart") && strstr(c1, "data!$D$2:$D$97"));
	CHECK(c2 && strstr(c2, "barChart") && strstr(c2, "data!$F$2:$F$3"));
	free(c1);
	free(c2);
	free(data);
	free(strs);
	free(book);
	CHECK_INT(write_alerts_into(&f, &cab_report_alerts_xlsx, -1, d2),
		  CAB_OK);
	snprintf(p2, sizeof(p2), "%s/alerts.xlsx", d2);
	CHECK(xr_same_bytes(path, p2));
	rm_rf(dir);
	rm_rf(d2);
	alert_fx_release(&f);
}

/* The reference series of the alert-day chart is alerts.csv's reference:
 * over the window (rows where the window column has a value) it adds up
 * to e_ref_kwh of the community row, and the day series to e_alert_kwh.
 * Uneven data: "b" misses 19:00 on March 13, so its only complete
 * reference window is March 6 (0.3 × 12 = 3.6 kWh); "a" has both
 * (0.2 × 12 = 2.4): e_ref = 6.0. At 18:00 (row 74) the reference is
 * 0.2 + 0.3 = 0.5 — not the mean of both Wednesdays' whole days, which
 * would count b's 0.5 of March 13 (0.6). The alert: 1.2 + 3.6 = 4.8. */
TEST(alerts_chart_reference_sums_to_csv_e_ref)
{
	struct alert_fx f;
	alert_fx_init(&f, true);
	char dir[64], path[128];
	CHECK_INT(write_alerts_into(&f, &cab_report_alerts_xlsx, -1, dir),
		  CAB_OK);
	snprintf(path, sizeof(path), "%s/alerts.xlsx", dir);
	char *data = xr_member(path, "xl/worksheets/sheet3.xml");
	snprintf(path, sizeof(path), "%s/alerts.csv", dir);
	size_t len = 0;
	char *csv = xr_read_file(path, &len);
	CHECK(data && csv);
	double e_alert = NAN, e_ref = NAN;
	const char *key = "\n2024-03-20T18:00,community,during,";
	const char *row = csv ? strstr(csv, key) : NULL;
	CHECK(row != NULL);
	if (row)
		CHECK_INT(
		    sscanf(row + strlen(key), "%lf,%lf", &e_alert, &e_ref), 2);
	double sum_day = 0, sum_ref = 0;
	int n_window = 0;
	for (int r = 2; r <= 97; r++) {
		if (isnan(num_at(data, 3, r)))
			continue;
		n_window++;
		sum_day += num_at(data, 1, r);
		sum_ref += num_at(data, 2, r);
	}
	CHECK_INT(n_window, 12);
	CHECK_NEAR(e_ref, 6.0, 1e-6);
	CHECK_NEAR(e_alert, 4.8, 1e-6);
	CHECK_NEAR(sum_ref, e_ref, 5e-7); /* the CSV has 6 decimals */
	CHECK_NEAR(sum_day, e_alert, 5e-7);
	CHECK_NEAR(num_at(data, 2, 74), 0.5, 1e-12);
	free(data);
	free(csv);
	rm_rf(dir);
	alert_fx_release(&f);
}

static const struct harness_test tests[] = {
    T(alerts_workbook_table_equals_alerts_csv),
    T(alerts_workbook_charts_day_reference_and_spread),
    T(alerts_chart_reference_sums_to_csv_e_ref),
    T(sibelga_single_rate_has_one_total_register),
    T(sibelga_day_night_tariff_splits_hi_and_low),
    T(sibelga_leaves_out_meterless_participants),
    T(sibelga_monthly_fees_add_up_to_the_bills_network_lines),
    T(community_rows_hold_every_figure_of_the_run),
    T(community_shows_cabin_residual_and_pot_when_present),
    T(community_average_day_per_season),
    T(community_is_reproducible_and_follows_lang),
    T(community_delta_chart_stays_linear_above_1000_participants),
};

HARNESS_MAIN("test_books", tests)
