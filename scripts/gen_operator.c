/*
 * gen_operator.c — writes the synthetic samples of the grid operator's
 * files (tests/data/samples/operator/, `make samples`): no operator file
 * is public, so they are made from the columns Sibelga's files are
 * described with (issue 14, docs/operator.md) and from cabine's own run
 * of the sample community.
 *
 * Usage: gen_operator DIR — DIR holds scenario.json (committed, written
 * by hand); this writes into it:
 *   readings.csv                the members' own net meters, October 2024
 *                               (deterministic profiles, the autumn DST
 *                               day included; h03 measured from the 15th,
 *                               the day it joined)
 *   sibelga-15min.csv / .xlsx   the quarter-hour file of cabine's run
 *   sibelga-month.csv / .xlsx   the monthly file (h02 dual-rate: HI/LOW)
 *   sibelga-15min-h04-left-out.csv   the same without member h04
 *   sibelga-15min-proportional.csv   what the proportional key gives
 * The xlsx hold date cells (Date Début, Mois) and the EANs as text, as
 * the operator's workbooks do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cabine/cabine.h"
#include "operator_files.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* One member's consumption and PV (kWp) shape. */
struct member {
	const char *id;
	double day_kwh;	 /* consumption per day */
	double kwp;	 /* PV peak power */
	int from_day;	 /* first day of October with data */
	int is_producer; /* injection meter only */
};

static const struct member members[] = {
    {"h01", 9.0, 0, 1, 0}, {"h02", 7.5, 3.0, 1, 0}, {"h03", 6.0, 0, 15, 0},
    {"h04", 8.0, 0, 1, 0}, {"ecole", 0, 9.0, 1, 1},
};
#define N_MEMBERS (sizeof members / sizeof *members)

/* Consumption shape by local hour: night, morning and evening peaks. */
static double load_shape(int hour)
{
	static const double s[24] = {0.5, 0.4, 0.4, 0.4, 0.4, 0.5, 0.9, 1.4,
				     1.2, 0.8, 0.7, 0.8, 1.0, 0.9, 0.7, 0.7,
				     0.9, 1.3, 1.9, 2.0, 1.7, 1.3, 0.9, 0.6};
	return s[hour] / 21.9;
}

static int write_readings(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/readings.csv", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs("timestamp,meter,kwh\n", f);
	int64_t t0 = cab_time_local_midnight(2024, 10, 1);
	int64_t t1 = cab_time_local_midnight(2024, 11, 1);
	double cloud = 1;
	for (int64_t t = t0; t < t1; t += CAB_INTERVAL_S) {
		struct cab_civil c;
		cab_time_to_local(t, &c);
		if (c.hour == 0 && c.minute == 0)
			cloud = 0.25 + 0.75 * uniform();
		double h = c.hour + c.minute / 60.0 + 0.125;
		/* October in Brussels: sun from about 8:00 to 18:30 local. */
		double sun = h > 8.0 && h < 18.5
				 ? sin(3.14159265358979 * (h - 8.0) / 10.5)
				 : 0;
		char ts[21];
		cab_time_format_utc(t, ts);
		for (size_t k = 0; k < N_MEMBERS; k++) {
			const struct member *m = &members[k];
			double noise = 0.8 + 0.4 * uniform();
			if (c.day < m->from_day)
				continue;
			double cons =
			    m->day_kwh * load_shape(c.hour) / 4 * noise;
			double pv = m->kwp * sun * cloud * 0.25 * 0.8;
			double off = cons > pv ? cons - pv : 0;
			double inj = pv > cons ? pv - cons : 0;
			if (!m->is_producer)
				fprintf(f, "%s,%s.offtake,%.3f\n", ts, m->id,
					off);
			if (m->kwp > 0)
				fprintf(f, "%s,%s.injection,%.3f\n", ts, m->id,
					inj);
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* A CSV the generator just wrote, as an xlsx with date cells. */
static int to_xlsx(const char *csv, const char *xlsx, int is_monthly)
{
	FILE *in = fopen(csv, "rb");
	if (!in)
		return -1;
	lxw_workbook_options wo = {.constant_memory = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(xlsx, &wo);
	lxw_doc_properties props = {.title = "Sibelga", .created = 1700000000};
	workbook_set_properties(wb, &props);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date,
			      is_monthly ? "mm/yyyy" : "dd/mm/yyyy hh:mm");
	char line[512];
	lxw_row_t r = 0;
	while (fgets(line, sizeof line, in)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *cells[16];
		int n = 0;
		for (char *p = line, *s; n < 16 && (s = strsep(&p, ";"));)
			cells[n++] = s;
		for (int c = 0; c < n; c++) {
			char *v = cells[c];
			if (r == 0 || c == (is_monthly ? 0 : 1) ||
			    (!is_monthly && c == 2) || (is_monthly && c == 2)) {
				worksheet_write_string(ws, r, (lxw_col_t)c, v,
						       NULL);
			} else if (c == (is_monthly ? 1 : 0)) {
				lxw_datetime dt = {0};
				if (is_monthly)
					sscanf(v, "%d-%d", &dt.year, &dt.month),
					    dt.day = 1;
				else
					sscanf(v, "%d/%d/%d %d:%d", &dt.day,
					       &dt.month, &dt.year, &dt.hour,
					       &dt.min);
				worksheet_write_datetime(ws, r, (lxw_col_t)c,
							 &dt, date);
			} else {
				for (char *q = v; *q; q++)
					if (*q == ',')
						*q = '.';
				worksheet_write_number(ws, r, (lxw_col_t)c,
						       atof(v), NULL);
			}
		}
		r++;
	}
	fclose(in);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static int run_scenario(const char *dir, const char *key,
			struct cab_scenario **sc, struct cab_readings **rd,
			struct cab_run **run)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/scenario.json", dir);
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_scenario_load(path, sc, &err);
	if (st == CAB_OK && key) {
		snprintf((*sc)->sharing.key, sizeof(*sc)->sharing.key, "%s",
			 key);
		(*sc)->sharing.is_until_done = false;
	}
	if (st == CAB_OK)
		st = cab_source_load(*sc, rd, &err);
	if (st == CAB_OK)
		st = cab_run_new(*sc, *rd, -1, run, &err);
	if (st != CAB_OK)
		fprintf(stderr, "%s", err.text ? err.text : "failed\n");
	cab_err_release(&err);
	return st == CAB_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_operator DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	char a[4096], b[4096];
	if (write_readings(dir))
		return 1;
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	if (run_scenario(dir, NULL, &sc, &rd, &run))
		return 1;
	static const char *const dual[] = {"h02", NULL};
	long h04 = cab_scenario_find(sc, "h04");
	int rc = 0;
	snprintf(a, sizeof a, "%s/sibelga-15min.csv", dir);
	snprintf(b, sizeof b, "%s/sibelga-15min.xlsx", dir);
	rc |= opf_write_15min_csv(run, a, -1) || to_xlsx(a, b, 0);
	snprintf(a, sizeof a, "%s/sibelga-month.csv", dir);
	snprintf(b, sizeof b, "%s/sibelga-month.xlsx", dir);
	rc |= opf_write_month_csv(run, a, -1, dual) || to_xlsx(a, b, 1);
	snprintf(a, sizeof a, "%s/sibelga-15min-h04-left-out.csv", dir);
	rc |= opf_write_15min_csv(run, a, h04);
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	if (run_scenario(dir, "proportional", &sc, &rd, &run))
		return 1;
	snprintf(a, sizeof a, "%s/sibelga-15min-proportional.csv", dir);
	rc |= opf_write_15min_csv(run, a, -1);
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	return rc ? 1 : 0;
}
