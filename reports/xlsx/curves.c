/*
 * curves.c — curves.xlsx (`cabine curves`, SPEC §6): the load-curve
 * statistics of curves.csv, curves_week.csv and coincidence.csv drawn, for
 * people who look rather than read. Texts in --lang (French by default;
 * words.c).
 *
 * Sheets, in order:
 *   1. the community ("Communauté"): its typical day for the year and for
 *      each season — median and inter-quartile band (Q1 and Q3 as dashed
 *      lines) of consumption and production — one chart per season with
 *      data, the table next to the charts;
 *   2. the week ("Semaine"): the community's 672-slot mean week
 *      (consumption, production, net) and its line chart;
 *   3. one sheet per cabin with members and per declared group: its
 *      typical day over the period (median and quartiles) and a chart;
 *   4. the coincidence factor ("Simultanéité") of every cabin, group and
 *      the community as its first k members add up, and a chart of it
 *      against k;
 *   5. every participant's median day of consumption side by side, with a
 *      chart of the first five.
 *
 * Every number is a stored value copied from struct cab_curves — the
 * same figures the CSV writers print (tests read both back and compare
 * them); an empty cell where the CSV field is empty. Times of day are
 * "HH:MM" text. The creation date is fixed (reports/xlsx/book.h), so equal
 * inputs give equal bytes.
 *
 * Workload: a thousand participants give a 96 × 1,000 table and a
 * coincidence column of 1,000 rows; a few hundred thousand cells, written
 * once (libxlsxwriter keeps them in memory until the workbook closes).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/curves.h"
#include "cabine/report.h"
#include "cabine/scenario.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

#define MAX_COLS 16384	     /* Excel's column limit */
#define SHOWN_PARTICIPANTS 5 /* participants drawn on the last sheet */

/* Line colours: consumption blue, production orange, net grey. */
static const lxw_color_t SERIES_COLOR[CAB_CURVE_SERIES] = {0x1F77B4, 0xFF7F0E,
							   0x7F7F7F};

/* cab_book_place_chart() with an 11-point title: the titles here are sentences.
 */
static void place(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		  lxw_col_t c, lxw_chart *chart, const char *title,
		  const char *y_name, uint16_t x_interval)
{
	cab_book_place_chart(b, ws, r, c, chart, title, y_name, x_interval);
	if (chart && !b->e) {
		lxw_chart_font font = {.size = 11, .bold = LXW_TRUE};
		chart_title_set_name_font(chart, &font);
	}
}

enum subject_kind {
	SUBJECT_PARTICIPANT,
	SUBJECT_CABIN,
	SUBJECT_GROUP,
	SUBJECT_COMMUNITY
};

/* Subject i of cv: the run's n_participants participants come first and
 * the community last (curves.h); between them every name starts with
 * "cabin:" or "group:". By position, so that no participant id (even
 * "community" or "cabin:x") is taken for a group. */
static enum subject_kind kind_of(const struct cab_curves *cv,
				 size_t n_participants, size_t i)
{
	if (i < n_participants)
		return SUBJECT_PARTICIPANT;
	if (i + 1 == cv->n)
		return SUBJECT_COMMUNITY;
	return strncmp(cv->subject[i].name, "cabin:", 6) == 0 ? SUBJECT_CABIN
							      : SUBJECT_GROUP;
}

/* The subject's label in the sheets: "Cabine rg", "Groupe rue",
 * "Communauté" (in w's language), or the participant id. */
static void subject_label(const struct cab_curve_subject *s,
			  enum subject_kind k, const struct cab_curves_words *w,
			  char *buf, size_t size)
{
	if (k == SUBJECT_CABIN || k == SUBJECT_GROUP)
		snprintf(buf, size, "%s %s",
			 k == SUBJECT_CABIN ? w->cabin : w->group,
			 strchr(s->name, ':') + 1);
	else if (k == SUBJECT_COMMUNITY)
		snprintf(buf, size, "%s", w->community);
	else
		snprintf(buf, size, "%s", s->name);
}

static bool has_values(const double *x, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (isfinite(x[k]))
			return true;
	return false;
}

/* Q1, median and Q3 of consumption (cons) then production (prod) at each
 * local quarter-hour: six columns from (r0, c0), 96 rows; NaN = empty. */
static void put_day_table(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r0,
			  lxw_col_t c0, const struct cab_curve_stats *cons,
			  const struct cab_curve_stats *prod)
{
	const struct cab_curve_stats *st[2] = {cons, prod};
	for (int q = 0; q < CAB_DAY_SLOTS; q++) {
		lxw_row_t r = r0 + (lxw_row_t)q;
		for (int k = 0; k < 2; k++) {
			lxw_col_t c = c0 + (lxw_col_t)(3 * k);
			cab_book_put_num(b, ws, r, c, st[k]->q1[q], b->kwh);
			cab_book_put_num(b, ws, r, c + 1, st[k]->median[q],
					 b->kwh);
			cab_book_put_num(b, ws, r, c + 2, st[k]->q3[q], b->kwh);
		}
	}
}

/* Six column heads "Consommation, 1er quartile"… from (r, c0). */
static void put_day_heads(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
			  lxw_col_t c0, const struct cab_curves_words *w)
{
	char label[128];
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 3; j++) {
			snprintf(label, sizeof(label), "%s, %s", w->series[k],
				 w->stats[j]);
			cab_book_put_str(b, ws, r, c0 + (lxw_col_t)(3 * k + j),
					 label, b->head_num);
		}
}

/* A line chart of the six columns put by put_day_table() at rows
 * r0..r0+95 of `sheet`, times in column tc: medians solid, quartiles
 * dashed, consumption blue, production orange. Production is left out
 * when has_production is false (its band is flat at 0). */
static lxw_chart *day_chart(struct cab_book *b, const char *sheet, lxw_row_t r0,
			    lxw_col_t tc, lxw_col_t c0, bool has_production,
			    const struct cab_curves_words *w)
{
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_LINE);
	char label[128];
	for (int k = 0; k < (has_production ? 2 : 1); k++)
		for (int j = 0; j < 3; j++) {
			snprintf(label, sizeof(label), "%s, %s", w->series[k],
				 w->stats[j]);
			lxw_chart_series *s = cab_book_add_series(
			    b, ch, sheet, r0, r0 + CAB_DAY_SLOTS - 1, tc,
			    c0 + (lxw_col_t)(3 * k + j), label);
			if (!s)
				continue;
			lxw_chart_line line = {
			    .color = SERIES_COLOR[k],
			    .width = j == 1 ? 2.25 : 1,
			    .dash_type = j == 1 ? LXW_CHART_LINE_DASH_SOLID
						: LXW_CHART_LINE_DASH_DASH};
			chart_series_set_line(s, &line);
		}
	return ch;
}

/* Sheet 1: the community's typical day per season. Charts on the left
 * (one per season with values), the table from column TABLE_COL. */
#define TABLE_COL 12
#define HEAD_ROW 4

static void community_sheet(struct cab_book *b, lxw_worksheet *ws,
			    const char *sheet, const struct cab_scenario *sc,
			    const struct cab_curve_subject *cm,
			    const struct cab_curves_words *w)
{
	cab_book_put_str(b, ws, 0, 0, w->title, b->title);
	cab_book_put_str(b, ws, 1, 0, sc->name ? sc->name : "", b->bold);
	cab_book_put_str(b, ws, 2, 0, w->band_note, NULL);
	cab_book_put_str(b, ws, HEAD_ROW + 1, TABLE_COL, w->time, b->head);
	lxw_row_t r0 = HEAD_ROW + 2;
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		cab_book_put_hhmm(b, ws, r0 + (lxw_row_t)q, TABLE_COL, q);
	int drawn = 0;
	for (int sn = 0; sn < CAB_SEASONS; sn++) {
		lxw_col_t c0 = (lxw_col_t)(TABLE_COL + 1 + 6 * sn);
		cab_book_put_str(b, ws, HEAD_ROW, c0, w->seasons[sn], b->bold);
		put_day_heads(b, ws, HEAD_ROW + 1, c0, w);
		put_day_table(b, ws, r0, c0, &cm->stats[0][sn],
			      &cm->stats[1][sn]);
		if (!has_values(cm->stats[0][sn].median, CAB_DAY_SLOTS))
			continue; /* a season outside the period */
		bool has_p = false;
		for (int q = 0; q < CAB_DAY_SLOTS; q++)
			has_p |= cm->stats[1][sn].q3[q] > 0;
		lxw_chart *ch =
		    day_chart(b, sheet, r0, TABLE_COL, c0, has_p, w);
		char title[256];
		snprintf(title, sizeof(title), w->chart_day, w->seasons[sn]);
		place(b, ws, (lxw_row_t)(HEAD_ROW + 20 * drawn), 0, ch, title,
		      w->axis_kwh, 8);
		drawn++;
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, TABLE_COL, TABLE_COL, 8, NULL);
	if (!b->e)
		b->e = worksheet_set_column(
		    ws, TABLE_COL + 1, TABLE_COL + 6 * CAB_SEASONS, 14, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, HEAD_ROW + 1, 45, NULL);
	/* Printed: the charts, two a page (the table is for the screen). */
	lxw_row_t last = (lxw_row_t)(HEAD_ROW + 20 * (drawn ? drawn : 1));
	if (!b->e)
		b->e = worksheet_print_area(ws, 0, 0, last, TABLE_COL - 1);
	cab_book_print_charts(b, ws, HEAD_ROW + 40, (size_t)(drawn + 1) / 2);
}

/* Sheet 2: the community's mean week (year), Monday 00:00 first. */
static void week_sheet(struct cab_book *b, lxw_worksheet *ws, const char *sheet,
		       const struct cab_curve_subject *cm,
		       const struct cab_curves_words *w)
{
	cab_book_put_str(b, ws, 0, 0, w->chart_week, b->title);
	cab_book_put_str(b, ws, 1, 0, w->day, b->head);
	cab_book_put_str(b, ws, 1, 1, w->time, b->head);
	for (int se = 0; se < CAB_CURVE_SERIES; se++)
		cab_book_put_str(b, ws, 1, (lxw_col_t)(2 + se), w->series[se],
				 b->head_num);
	for (int k = 0; k < CAB_WEEK_SLOTS; k++) {
		lxw_row_t r = (lxw_row_t)(2 + k);
		cab_book_put_str(b, ws, r, 0, w->weekdays[k / CAB_DAY_SLOTS],
				 NULL);
		cab_book_put_hhmm(b, ws, r, 1, k % CAB_DAY_SLOTS);
		for (int se = 0; se < CAB_CURVE_SERIES; se++)
			cab_book_put_num(b, ws, r, (lxw_col_t)(2 + se),
					 cm->stats[se][0].week_mean[k], b->kwh);
	}
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_LINE);
	for (int se = 0; se < CAB_CURVE_SERIES; se++) {
		lxw_chart_series *s =
		    cab_book_add_series(b, ch, sheet, 2, 1 + CAB_WEEK_SLOTS, 0,
					(lxw_col_t)(2 + se), w->series[se]);
		if (!s)
			continue;
		lxw_chart_line line = {.color = SERIES_COLOR[se], .width = 1.5};
		chart_series_set_line(s, &line);
	}
	if (ch && ch->x_axis) {
		chart_axis_set_interval_tick(ch->x_axis, CAB_DAY_SLOTS);
		/* Net is negative when the sun shines: days below the plot. */
		chart_axis_set_label_position(
		    ch->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
	}
	place(b, ws, 1, 6, ch, w->chart_week, w->axis_kwh, CAB_DAY_SLOTS);
	if (!b->e)
		b->e = worksheet_set_column(ws, 2, 4, 14, NULL);
	if (!b->e)
		worksheet_freeze_panes(ws, 2, 0);
}

/* Sheet 3…: a cabin's or group's typical day over the period. */
static void group_sheet(struct cab_book *b, lxw_worksheet *ws,
			const char *sheet, const struct cab_curve_subject *s,
			const char *label, const struct cab_curves_words *w)
{
	char title[256];
	snprintf(title, sizeof(title), w->members_fmt, label, s->n_members);
	cab_book_put_str(b, ws, 0, 0, title, b->title);
	cab_book_put_str(b, ws, 1, 0, w->band_note, NULL);
	cab_book_put_str(b, ws, 2, 0, w->time, b->head);
	put_day_heads(b, ws, 2, 1, w);
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		cab_book_put_hhmm(b, ws, (lxw_row_t)(3 + q), 0, q);
	put_day_table(b, ws, 3, 1, &s->stats[0][0], &s->stats[1][0]);
	bool has_p = false;
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		has_p |= s->stats[1][0].q3[q] > 0;
	lxw_chart *ch = day_chart(b, sheet, 3, 0, 1, has_p, w);
	snprintf(title, sizeof(title), w->chart_group, label);
	place(b, ws, 2, 8, ch, title, w->axis_kwh, 8);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 6, 14, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, 2, 45, NULL);
	if (!b->e)
		worksheet_freeze_panes(ws, 3, 1);
}

/* Sheet 4: coincidence factor of every cabin, group and the community
 * (one column each, in subject order) against k = 1..max members. */
static void coincidence_sheet(struct cab_book *b, lxw_worksheet *ws,
			      const char *sheet, const struct cab_curves *cv,
			      size_t n_participants,
			      const struct cab_curves_words *w, lxw_format *cf)
{
	cab_book_put_str(b, ws, 0, 0, w->chart_cf, b->title);
	cab_book_put_str(b, ws, 1, 0, w->cf_note, NULL);
	cab_book_put_str(b, ws, 2, 0, w->members, b->head);
	size_t max_m = 0;
	lxw_col_t c = 1;
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_SCATTER_STRAIGHT);
	for (size_t i = 0; i < cv->n && c < MAX_COLS; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		enum subject_kind k = kind_of(cv, n_participants, i);
		if (k == SUBJECT_PARTICIPANT || s->n_members == 0)
			continue;
		char label[256];
		subject_label(s, k, w, label, sizeof(label));
		cab_book_put_str(b, ws, 2, c, label, b->head_num);
		for (size_t j = 0; j < s->n_members; j++)
			cab_book_put_num(b, ws, (lxw_row_t)(3 + j), c,
					 s->coincidence[j], cf);
		if (s->n_members > max_m)
			max_m = s->n_members;
		lxw_chart_series *se = cab_book_add_series(
		    b, ch, sheet, 3, (lxw_row_t)(2 + s->n_members), 0, c,
		    label);
		if (se && k == SUBJECT_COMMUNITY) {
			lxw_chart_line thick = {.color = LXW_COLOR_BLACK,
						.width = 2.5};
			chart_series_set_line(se, &thick);
		}
		c++;
	}
	for (size_t j = 0; j < max_m; j++)
		cab_book_put_num(b, ws, (lxw_row_t)(3 + j), 0, (double)(j + 1),
				 NULL);
	if (ch && ch->x_axis) {
		chart_axis_set_name(ch->x_axis, w->members);
		chart_axis_set_min(ch->x_axis, 1);
	}
	if (ch && ch->y_axis)
		chart_axis_set_min(ch->y_axis, 0);
	place(b, ws, 2, (lxw_col_t)(c + 1), ch, w->chart_cf, w->axis_cf, 0);
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 12, NULL);
	if (!b->e && c > 1)
		b->e =
		    worksheet_set_column(ws, 1, (lxw_col_t)(c - 1), 16, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, 2, 30, NULL);
	if (!b->e)
		worksheet_freeze_panes(ws, 3, 1);
}

/* Sheet 5: every participant's median day of consumption (year), one
 * column each in scenario order, under a chart of the first few. */
#define PT_HEAD_ROW 21

static void participants_sheet(struct cab_book *b, lxw_worksheet *ws,
			       const char *sheet, const struct cab_curves *cv,
			       size_t n_participants,
			       const struct cab_curves_words *w)
{
	cab_book_put_str(b, ws, 0, 0, w->participants_sheet, b->title);
	cab_book_put_str(b, ws, 1, 0, w->participants_note, NULL);
	cab_book_put_str(b, ws, PT_HEAD_ROW, 0, w->time, b->head);
	lxw_row_t r0 = PT_HEAD_ROW + 1;
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		cab_book_put_hhmm(b, ws, r0 + (lxw_row_t)q, 0, q);
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_LINE);
	lxw_col_t c = 1;
	for (size_t i = 0; i < cv->n && c < MAX_COLS; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		if (kind_of(cv, n_participants, i) != SUBJECT_PARTICIPANT)
			continue;
		cab_book_put_str(b, ws, PT_HEAD_ROW, c, s->name, b->head_num);
		for (int q = 0; q < CAB_DAY_SLOTS; q++)
			cab_book_put_num(b, ws, r0 + (lxw_row_t)q, c,
					 s->stats[0][0].median[q], b->kwh);
		if (c <= SHOWN_PARTICIPANTS)
			cab_book_add_series(b, ch, sheet, r0,
					    r0 + CAB_DAY_SLOTS - 1, 0, c,
					    s->name);
		c++;
	}
	place(b, ws, 2, 0, ch, w->chart_participants, w->axis_kwh, 8);
	if (!b->e && c > 1)
		b->e =
		    worksheet_set_column(ws, 1, (lxw_col_t)(c - 1), 12, NULL);
	/* Printed: the chart (a table of every participant is for the
	 * screen). */
	if (!b->e)
		b->e = worksheet_print_area(ws, 0, 0, PT_HEAD_ROW - 1, 11);
	cab_book_print_charts(b, ws, PT_HEAD_ROW, 1);
}

static enum cab_status write_curves_xlsx(const struct cab_run *run,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err)
{
	const struct cab_curves *cv = opts ? opts->curves : NULL;
	if (!cv || cv->n == 0)
		return CAB_OK;
	const struct cab_curves_words *w =
	    cab_words_curves(cab_book_lang(opts));
	const struct cab_curve_subject *cm = &cv->subject[cv->n - 1];
	char path[4096];
	struct cab_book b;
	/* Sheet names so far, for cab_book_sheet_name()'s uniqueness. */
	char(*names)[CAB_BOOK_SHEET_BUF] = calloc(cv->n + 4, sizeof(*names));
	const char **taken = calloc(cv->n + 4, sizeof(*taken));
	if (!names || !taken) {
		free(names);
		free(taken);
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/curves.xlsx: out of memory", dir);
	}
	size_t n_taken = 0;
	enum cab_status st = cab_book_open(&b, dir, "curves.xlsx", w->title,
					   NULL, path, sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *cf = cab_book_format(&b);
	if (cf)
		format_set_num_format(cf, "0.000");
	const char *fixed[2] = {w->community_sheet, w->week_sheet};
	lxw_worksheet *fs[2];
	for (int k = 0; k < 2; k++) {
		cab_book_sheet_name(fixed[k], taken, n_taken, names[n_taken],
				    CAB_BOOK_SHEET_BUF);
		taken[n_taken] = names[n_taken];
		fs[k] = cab_book_sheet(&b, names[n_taken++]);
	}
	if (b.e)
		goto close;
	community_sheet(&b, fs[0], taken[0], run->sc, cm, w);
	week_sheet(&b, fs[1], taken[1], cm, w);
	cab_book_print_table(&b, fs[1], true, 0);
	for (size_t i = 0; i < cv->n && !b.e; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		enum subject_kind k = kind_of(cv, run->n, i);
		if (k != SUBJECT_CABIN && k != SUBJECT_GROUP)
			continue;
		char label[256];
		subject_label(s, k, w, label, sizeof(label));
		cab_book_sheet_name(label, taken, n_taken, names[n_taken],
				    CAB_BOOK_SHEET_BUF);
		taken[n_taken] = names[n_taken];
		lxw_worksheet *ws = cab_book_sheet(&b, names[n_taken++]);
		if (ws)
			group_sheet(&b, ws, taken[n_taken - 1], s, label, w);
		cab_book_print_table(&b, ws, true, 0);
	}
	const char *last[2] = {w->coincidence_sheet, w->participants_sheet};
	for (int k = 0; k < 2 && !b.e; k++) {
		cab_book_sheet_name(last[k], taken, n_taken, names[n_taken],
				    CAB_BOOK_SHEET_BUF);
		taken[n_taken] = names[n_taken];
		lxw_worksheet *ws = cab_book_sheet(&b, names[n_taken++]);
		if (ws && k == 0) {
			coincidence_sheet(&b, ws, taken[n_taken - 1], cv,
					  run->n, w, cf);
			cab_book_print_table(&b, ws, true, 0);
		} else if (ws)
			participants_sheet(&b, ws, taken[n_taken - 1], cv,
					   run->n, w);
	}
	if (!b.e)
		worksheet_activate(fs[0]);
close:
	st = cab_book_close(&b, path, err);
done:
	free(names);
	free(taken);
	return st;
}

const struct cab_report_ops cab_report_curves_xlsx = {"curves.xlsx",
						      write_curves_xlsx};
