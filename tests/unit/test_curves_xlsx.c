/*
 * test_curves_xlsx.c — curves.xlsx (`cabine curves`) read back from its
 * sheet XML against the CSV files written from the same statistics:
 * every number shown equals its curves.csv, curves_week.csv or
 * coincidence.csv figure (within the CSV's 6 decimals), no other number
 * is shown, an empty CSV field is an empty cell; the sheet names (safe
 * for Excel even from awkward ids), one chart per drawing, reproducible
 * bytes and the language chosen.
 *
 * Fixture: a week across the end of winter (Mon 26 Feb → Mon 4 Mar 2024,
 * so the year, winter and spring have values, summer and autumn none),
 * three participants — p1 and p2 in a cabin with a 40-character id, p2
 * with solar panels, p3 with a missing day — and a declared group
 * "rue/haut:[x]" of p1 and p3 whose name Excel would refuse.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabine/curves.h"
#include "cabine/readings.h"
#include "cabine/report.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "harness.h"
#include "xlsx_read.h"

#define NP 3
#define MAX_SUBJ 8
#define LONG_CABIN "cabine-de-la-rue-du-rouge-gorge-numero-12" /* 41 */

struct fixture {
	struct cab_scenario sc;
	struct cab_participant p[NP];
	struct cab_cabin cabin;
	struct cab_group group;
	size_t group_members[2];
	struct cab_readings *rd;
	struct cab_run *run;
	struct cab_curves *cv;
};

/* Deterministic pseudo-random kWh in [0, 1). */
static double lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (double)(*s >> 8) / (double)(1u << 24);
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	static char *ids[NP] = {"p1", "p2", "p3"};
	static char *cm[NP] = {"p1-c", "p2-c", "p3-c"};
	for (int i = 0; i < NP; i++) {
		f->p[i].id = ids[i];
		f->p[i].meter_consumption = cm[i];
		f->p[i].cabin = i < 2 ? 0 : -1;
	}
	f->p[1].meter_production = "p2-pv";
	f->cabin.id = LONG_CABIN;
	f->cabin.locality = 'B';
	f->group.name = "rue/haut:[x]";
	f->group_members[0] = 0, f->group_members[1] = 2;
	f->group.members = f->group_members;
	f->group.n_members = 2;
	struct cab_scenario *sc = &f->sc;
	sc->path = "t.json", sc->name = "rue-test";
	sc->start_y = 2024, sc->start_m = 2, sc->start_d = 26;
	sc->end_y = 2024, sc->end_m = 3, sc->end_d = 4;
	sc->t0_s = cab_time_local_midnight(2024, 2, 26);
	sc->n_intervals = 7 * 96;
	sc->n_participants = NP, sc->participants = f->p;
	sc->n_cabins = 1, sc->cabins = &f->cabin;
	sc->n_groups = 1, sc->groups = &f->group;
	sc->tariff.day_start_h = 7, sc->tariff.day_end_h = 22;
	sc->billing.mode = CAB_BILLING_INDIVIDUAL;
	cab_readings_new(sc->t0_s, sc->n_intervals, &f->rd, NULL);
	double v[7 * 96];
	uint32_t seed = 12345;
	for (int i = 0; i < NP; i++) {
		for (size_t t = 0; t < sc->n_intervals; t++)
			v[t] = 0.05 + lcg(&seed) * (0.2 + 0.1 * i);
		if (i == 2)
			for (size_t t = 96; t < 192; t++)
				v[t] = NAN; /* p3 misses Tuesday */
		cab_readings_put(f->rd, cm[i], v, NULL);
	}
	for (size_t t = 0; t < sc->n_intervals; t++) {
		int q = (int)(t % 96);
		v[t] = q >= 32 && q < 72 ? lcg(&seed) * 0.8 : 0;
	}
	cab_readings_put(f->rd, "p2-pv", v, NULL);
	CHECK_INT(cab_run_new(sc, f->rd, -1, &f->run, NULL), CAB_OK);
	if (f->run)
		CHECK_INT(cab_curves_new(f->run, &f->cv, NULL), CAB_OK);
}

static void fixture_release(struct fixture *f)
{
	cab_curves_free(f->cv);
	cab_run_free(f->run);
	cab_readings_free(f->rd);
}

/* Write curves.csv… and curves.xlsx into a fresh directory. */
static bool write_all(const struct fixture *f, int lang, char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/cabine-curves-xlsx-XXXXXX");
	if (!mkdtemp(dir) || !f->cv)
		return false;
	struct cab_report_opts o = {.lang = lang, .curves = f->cv};
	return cab_report_curves_csv.write(f->run, &o, dir, NULL) == CAB_OK &&
	       cab_report_curves_xlsx.write(f->run, &o, dir, NULL) == CAB_OK;
}

static void remove_dir(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* The CSV figures, NaN where a field is empty. */
struct csv_figures {
	double day[MAX_SUBJ][CAB_CURVE_SERIES][CAB_SEASONS][CAB_DAY_SLOTS][4];
	double week[MAX_SUBJ][CAB_CURVE_SERIES][CAB_SEASONS][CAB_WEEK_SLOTS];
	double cf[MAX_SUBJ][NP];
	size_t rows_day, rows_week, rows_cf;
};

static int index_of(const char *s, const char *const *names, int n)
{
	for (int k = 0; k < n; k++)
		if (strcmp(s, names[k]) == 0)
			return k;
	return -1;
}

/* Split line at commas into at most 10 fields (in place). */
static int split(char *line, char **fields)
{
	int n = 0;
	fields[n++] = line;
	for (char *c = line; *c && n < 10; c++)
		if (*c == ',') {
			*c = 0;
			fields[n++] = c + 1;
		}
	return n;
}

static double field(const char *s)
{
	return *s ? strtod(s, NULL) : NAN;
}

static bool read_csvs(const char *dir, const struct cab_curves *cv,
		      struct csv_figures *fig)
{
	const char *subj[MAX_SUBJ], *series[CAB_CURVE_SERIES],
	    *seasons[CAB_SEASONS];
	for (size_t i = 0; i < cv->n && i < MAX_SUBJ; i++)
		subj[i] = cv->subject[i].name;
	for (int k = 0; k < CAB_CURVE_SERIES; k++)
		series[k] = cab_curves_series_name(k);
	for (int k = 0; k < CAB_SEASONS; k++)
		seasons[k] = cab_curves_season_name(k);
	double *all = &fig->day[0][0][0][0][0];
	for (size_t k = 0; k < sizeof(fig->day) / sizeof(double); k++)
		all[k] = NAN;
	all = &fig->week[0][0][0][0];
	for (size_t k = 0; k < sizeof(fig->week) / sizeof(double); k++)
		all[k] = NAN;
	all = &fig->cf[0][0];
	for (size_t k = 0; k < sizeof(fig->cf) / sizeof(double); k++)
		all[k] = NAN;
	fig->rows_day = fig->rows_week = fig->rows_cf = 0;
	const char *files[3] = {"curves.csv", "curves_week.csv",
				"coincidence.csv"};
	for (int fi = 0; fi < 3; fi++) {
		char path[600], line[512];
		snprintf(path, sizeof(path), "%s/%s", dir, files[fi]);
		FILE *f = fopen(path, "r");
		if (!f)
			return false;
		bool is_head = true;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (is_head) {
				is_head = false;
				continue;
			}
			char *fl[10];
			int n = split(line, fl);
			int s = index_of(fl[0], subj, (int)cv->n);
			if (s < 0)
				continue;
			if (fi == 2 && n == 3) {
				long k = strtol(fl[1], NULL, 10);
				if (k >= 1 && k <= NP)
					fig->cf[s][k - 1] = field(fl[2]);
				fig->rows_cf++;
				continue;
			}
			int se = index_of(fl[1], series, CAB_CURVE_SERIES);
			int sn = index_of(fl[2], seasons, CAB_SEASONS);
			long slot = strtol(fl[3], NULL, 10);
			if (se < 0 || sn < 0 || slot < 0)
				continue;
			if (fi == 0 && n == 9 && slot < CAB_DAY_SLOTS) {
				for (int j = 0; j < 4; j++)
					fig->day[s][se][sn][slot][j] =
					    field(fl[5 + j]);
				fig->rows_day++;
			} else if (fi == 1 && n == 7 && slot < CAB_WEEK_SLOTS) {
				fig->week[s][se][sn][slot] = field(fl[6]);
				fig->rows_week++;
			}
		}
		fclose(f);
	}
	return true;
}

/* Numeric cells (a <v> and no t="s") in sheet XML. */
static size_t count_numbers(const char *sheet)
{
	size_t n = 0;
	for (const char *c = sheet; c && (c = strstr(c, "<c r=\"")); c++) {
		const char *gt = strchr(c, '>');
		if (gt && gt[-1] != '/' && !xr_is_text(c) &&
		    strncmp(gt + 1, "<v>", 3) == 0)
			n++;
	}
	return n;
}

/* Cell (col, row) shows `want` (within the CSV's rounding), or is empty
 * when want is NaN. Counts the numbers it expects in *n_numbers. */
static bool cell_is(const char *sheet, int col, int row, double want,
		    size_t *n_numbers)
{
	char ref[16];
	double v;
	xr_ref(col, row, ref, sizeof(ref));
	bool has = xr_num(sheet, ref, &v);
	if (isnan(want))
		return !has;
	(*n_numbers)++;
	if (!has || fabs(v - want) > 5.1e-7) {
		fprintf(stderr, "  cell %s: %s %.9g, CSV %.9g\n", ref,
			has ? "shows" : "has no number", has ? v : 0, want);
		return false;
	}
	return true;
}

static char *sheet_xml(const char *xlsx, int k)
{
	char member[64];
	snprintf(member, sizeof(member), "xl/worksheets/sheet%d.xml", k);
	return xr_member(xlsx, member);
}

/* Subjects: p1 p2 p3, the cabin, the group, the community (6). Sheet 1
 * (community): table from column M (12), times in M, data rows 7..102;
 * season sn, series k, statistic j (Q1, median, Q3) in column
 * 13 + 6·sn + 3·k + j. */
TEST(community_sheet_equals_curves_csv)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128];
	struct csv_figures *fig = malloc(sizeof(*fig));
	CHECK(fig && write_all(&f, -1, dir, sizeof(dir)));
	CHECK(f.cv && f.cv->n == 6);
	snprintf(path, sizeof(path), "%s/curves.xlsx", dir);
	if (fig && f.cv && f.cv->n == 6 && read_csvs(dir, f.cv, fig)) {
		/* 6 subjects × 3 series × 5 seasons × 96 slots. */
		CHECK_INT(fig->rows_day, 6 * 3 * 5 * 96);
		char *sh = sheet_xml(path, 1);
		char *strs = xr_member(path, "xl/sharedStrings.xml");
		char txt[64];
		CHECK(xr_text(sh, strs, "M7", txt, sizeof(txt)) &&
		      strcmp(txt, "00:00") == 0);
		CHECK(xr_text(sh, strs, "M102", txt, sizeof(txt)) &&
		      strcmp(txt, "23:45") == 0);
		CHECK(xr_text(sh, strs, "N6", txt, sizeof(txt)) &&
		      strcmp(txt, "Consommation, 1er quartile") == 0);
		size_t n = 0, bad = 0;
		for (int sn = 0; sn < CAB_SEASONS; sn++)
			for (int k = 0; k < 2; k++)
				for (int j = 0; j < 3; j++)
					for (int q = 0; q < 96; q++)
						bad += !cell_is(
						    sh, 13 + 6 * sn + 3 * k + j,
						    7 + q,
						    fig->day[5][k][sn][q][j],
						    &n);
		CHECK_INT(bad, 0);
		/* Summer and autumn are empty: 3 seasons × 6 × 96. */
		CHECK_INT(n, 3 * 6 * 96);
		CHECK_INT(count_numbers(sh), n);
		free(sh);
		free(strs);
	}
	free(fig);
	remove_dir(dir);
	fixture_release(&f);
}

/* Sheet 2: the community's week, rows 3..674, C D E = consumption,
 * production, net of curves_week.csv (season "all"). Sheets 3 and 4:
 * the cabin and the group, rows 4..99, B..G = Q1 median Q3 of
 * consumption then production for the year. */
TEST(week_and_group_sheets_equal_the_csv_files)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128];
	struct csv_figures *fig = malloc(sizeof(*fig));
	CHECK(fig && write_all(&f, -1, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/curves.xlsx", dir);
	if (fig && f.cv && f.cv->n == 6 && read_csvs(dir, f.cv, fig)) {
		/* Without --detail: cabin, group, community weeks only. */
		CHECK_INT(fig->rows_week, 3 * 3 * 5 * 672);
		char *sh = sheet_xml(path, 2);
		size_t n = 0, bad = 0;
		for (int se = 0; se < 3; se++)
			for (int k = 0; k < CAB_WEEK_SLOTS; k++)
				bad += !cell_is(sh, 2 + se, 3 + k,
						fig->week[5][se][0][k], &n);
		CHECK_INT(bad, 0);
		/* Every slot but Tuesday's, when p3 (so the community) has
		 * no value: 3 × 6 × 96. */
		CHECK_INT(n, 3 * 6 * 96);
		CHECK_INT(count_numbers(sh), n);
		char *strs = xr_member(path, "xl/sharedStrings.xml");
		char txt[64];
		CHECK(xr_text(sh, strs, "A3", txt, sizeof(txt)) &&
		      strcmp(txt, "lun") == 0);
		CHECK(xr_text(sh, strs, "A674", txt, sizeof(txt)) &&
		      strcmp(txt, "dim") == 0);
		CHECK(xr_text(sh, strs, "B674", txt, sizeof(txt)) &&
		      strcmp(txt, "23:45") == 0);
		free(sh);
		for (int g = 0; g < 2; g++) {
			sh = sheet_xml(path, 3 + g);
			n = 0, bad = 0;
			for (int k = 0; k < 2; k++)
				for (int j = 0; j < 3; j++)
					for (int q = 0; q < 96; q++)
						bad += !cell_is(
						    sh, 1 + 3 * k + j, 4 + q,
						    fig->day[3 + g][k][0][q][j],
						    &n);
			CHECK_INT(bad, 0);
			CHECK_INT(n, 6 * 96);
			CHECK_INT(count_numbers(sh), n);
			free(sh);
		}
		free(strs);
	}
	free(fig);
	remove_dir(dir);
	fixture_release(&f);
}

/* Sheet 5: k = 1..3 in column A, then the cabin (2 members), the group
 * (2) and the community (3), as in coincidence.csv. Sheet 6: each
 * participant's median consumption for the year, header row 22, data
 * rows 23..118, p1 p2 p3 in B C D; p3's missing Tuesday leaves a
 * median of six days, still a number at every slot. */
TEST(coincidence_and_participants_sheets_equal_the_csv_files)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128];
	struct csv_figures *fig = malloc(sizeof(*fig));
	CHECK(fig && write_all(&f, -1, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/curves.xlsx", dir);
	if (fig && f.cv && f.cv->n == 6 && read_csvs(dir, f.cv, fig)) {
		CHECK_INT(fig->rows_cf, 2 + 2 + 3);
		char *sh = sheet_xml(path, 5);
		size_t n = 0, bad = 0;
		const size_t members[3] = {2, 2, 3};
		for (int k = 0; k < 3; k++)
			bad += !cell_is(sh, 0, 4 + k, k + 1, &n);
		for (int s = 0; s < 3; s++)
			for (size_t k = 0; k < 3; k++)
				bad += !cell_is(
				    sh, 1 + s, 4 + (int)k,
				    k < members[s] ? fig->cf[3 + s][k] : NAN,
				    &n);
		CHECK_INT(bad, 0);
		CHECK_INT(n, 3 + 7);
		CHECK_INT(count_numbers(sh), n);
		char *strs = xr_member(path, "xl/sharedStrings.xml");
		char txt[128];
		CHECK(xr_text(sh, strs, "B3", txt, sizeof(txt)) &&
		      strcmp(txt, "Cabine " LONG_CABIN) == 0);
		CHECK(xr_text(sh, strs, "C3", txt, sizeof(txt)) &&
		      strcmp(txt, "Groupe rue/haut:[x]") == 0);
		CHECK(xr_text(sh, strs, "D3", txt, sizeof(txt)) &&
		      strcmp(txt, "Communauté") == 0);
		free(sh);
		sh = sheet_xml(path, 6);
		n = 0, bad = 0;
		for (int i = 0; i < NP; i++)
			for (int q = 0; q < 96; q++)
				bad += !cell_is(sh, 1 + i, 23 + q,
						fig->day[i][0][0][q][1], &n);
		CHECK_INT(bad, 0);
		CHECK_INT(n, NP * 96);
		CHECK_INT(count_numbers(sh), n);
		CHECK(xr_text(sh, strs, "D22", txt, sizeof(txt)) &&
		      strcmp(txt, "p3") == 0);
		free(sh);
		free(strs);
	}
	free(fig);
	remove_dir(dir);
	fixture_release(&f);
}

/* Sheet names in order, each safe for Excel; one chart per drawing: 3
 * typical days (year, winter, spring), the week, the cabin, the group,
 * the coincidence factor, the participants = 8. */
TEST(sheet_names_are_safe_and_every_chart_exists)
{
	struct fixture f;
	fixture_init(&f);
	char dir[64], path[128];
	CHECK(write_all(&f, -1, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/curves.xlsx", dir);
	char *wb = xr_member(path, "xl/workbook.xml");
	const char *want[6] = {"Communauté",
			       "Semaine",
			       "Cabine cabine-de-la-rue-du-roug",
			       "Groupe rue_haut__x_",
			       "Simultanéité",
			       "Participants"};
	const char *at = wb;
	for (int k = 0; k < 6; k++) {
		char key[96];
		snprintf(key, sizeof(key), "<sheet name=\"%s\"", want[k]);
		const char *hit = at ? strstr(at, key) : NULL;
		if (!hit)
			fprintf(stderr, "  sheet %d: want \"%s\"\n", k + 1,
				want[k]);
		CHECK(hit != NULL);
		at = hit ? hit + 1 : at;
	}
	CHECK(wb && !strstr(wb, "sheet7.xml") &&
	      strstr(wb, "sheetId=\"7\"") == NULL);
	for (int k = 1; k <= 9; k++) {
		char member[64];
		snprintf(member, sizeof(member), "xl/charts/chart%d.xml", k);
		char *c = xr_member(path, member);
		CHECK(k <= 8 ? c != NULL : c == NULL);
		if (c && k == 1) /* the year's day reads the community sheet */
			CHECK(strstr(c, "'Communauté'!$N$7:$N$102") != NULL);
		if (c && k == 7) /* coincidence: a scatter of k */
			CHECK(strstr(c, "<c:scatterChart>") != NULL &&
			      strstr(c, "'Simultanéité'!$A$4:$A$6") != NULL);
		free(c);
	}
	free(wb);
	remove_dir(dir);
	fixture_release(&f);
}

TEST(curves_workbook_is_reproducible_and_follows_lang)
{
	struct fixture f;
	fixture_init(&f);
	char d1[64], d2[64], d3[64], p1[128], p2[128], p3[128];
	CHECK(write_all(&f, -1, d1, sizeof(d1)));
	CHECK(write_all(&f, -1, d2, sizeof(d2)));
	CHECK(write_all(&f, CAB_LANG_EN, d3, sizeof(d3)));
	snprintf(p1, sizeof(p1), "%s/curves.xlsx", d1);
	snprintf(p2, sizeof(p2), "%s/curves.xlsx", d2);
	snprintf(p3, sizeof(p3), "%s/curves.xlsx", d3);
	CHECK(xr_same_bytes(p1, p2));
	char *core = xr_member(p1, "docProps/core.xml");
	CHECK(core && strstr(core, "2024-01-01T00:00:00Z") != NULL);
	free(core);
	char *wb = xr_member(p3, "xl/workbook.xml");
	CHECK(wb && strstr(wb, "<sheet name=\"Community\"") &&
	      strstr(wb, "<sheet name=\"Week\"") &&
	      strstr(wb, "<sheet name=\"Cabin cabine-de-la-rue-du-rouge") &&
	      strstr(wb, "<sheet name=\"Coincidence\""));
	free(wb);
	/* Same numbers in both languages: only the texts differ. */
	for (int k = 1; k <= 6; k++) {
		char *a = sheet_xml(p1, k), *b = sheet_xml(p3, k);
		CHECK(a && b && count_numbers(a) == count_numbers(b));
		free(a);
		free(b);
	}
	remove_dir(d1);
	remove_dir(d2);
	remove_dir(d3);
	fixture_release(&f);
}

static const struct harness_test tests[] = {
    T(community_sheet_equals_curves_csv),
    T(week_and_group_sheets_equal_the_csv_files),
    T(coincidence_and_participants_sheets_equal_the_csv_files),
    T(sheet_names_are_safe_and_every_chart_exists),
    T(curves_workbook_is_reproducible_and_follows_lang),
};
HARNESS_MAIN("test_curves_xlsx", tests)
