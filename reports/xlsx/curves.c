/*
 * curves.c — curves.xlsx (`cabine curves`, SPEC §6): the load-curve
 * statistics of curves.csv, curves_week.csv and coincidence.csv drawn, for
 * people who look rather than read. Texts in --lang (French by default).
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

#define SHEET_BUF 128	     /* ≥ 4·31+1: a sheet name in UTF-8 */
#define MAX_COLS 16384	     /* Excel's column limit */
#define SHOWN_PARTICIPANTS 5 /* participants drawn on the last sheet */

/* Every text of curves.xlsx, in one language. */
struct curves_words {
	const char *title;		/* workbook and first sheet title */
	const char *community_sheet;	/* sheet 1 */
	const char *week_sheet;		/* sheet 2 */
	const char *coincidence_sheet;	/* sheet 4 */
	const char *participants_sheet; /* sheet 5 */
	const char *community;		/* the community as a column label */
	const char *cabin, *group;	/* prefixes of group sheet names */
	const char *band_note;		/* how to read the band */
	const char *seasons[CAB_SEASONS];
	const char *series[CAB_CURVE_SERIES];
	const char *stats[3]; /* Q1, median, Q3 */
	const char *time, *day, *members;
	const char *weekdays[7];
	const char *chart_day;	 /* printf: season */
	const char *chart_group; /* printf: group label */
	const char *chart_week, *chart_cf, *chart_participants;
	const char *participants_note, *cf_note;
	const char *members_fmt; /* printf: group label, count */
	const char *axis_kwh, *axis_cf;
};

static const struct curves_words CVWORDS[3] = {
    [CAB_LANG_FR] =
	{
	    .title = "Courbes de charge",
	    .community_sheet = "Communauté",
	    .week_sheet = "Semaine",
	    .coincidence_sheet = "Simultanéité",
	    .participants_sheet = "Participants",
	    .community = "Communauté",
	    .cabin = "Cabine",
	    .group = "Groupe",
	    .band_note = "Trait plein : la médiane (un jour sur deux est "
			 "au-dessus). Pointillés : le 1er et le 3e quartile ; "
			 "entre les deux se trouve la moitié des jours.",
	    .seasons = {"année", "hiver", "printemps", "été", "automne"},
	    .series = {"Consommation", "Production", "Net"},
	    .stats = {"1er quartile", "médiane", "3e quartile"},
	    .time = "Heure",
	    .day = "Jour",
	    .members = "Participants",
	    .weekdays = {"lun", "mar", "mer", "jeu", "ven", "sam", "dim"},
	    .chart_day = "Journée type de la communauté, %s (kWh par quart "
			 "d'heure)",
	    .chart_group = "%s, journée type sur la période (kWh par quart "
			   "d'heure)",
	    .chart_week = "Semaine moyenne de la communauté (kWh par quart "
			  "d'heure)",
	    .chart_cf = "Facteur de simultanéité selon le nombre de "
			"participants",
	    .chart_participants = "Consommation médiane de quelques "
				  "participants (kWh par quart d'heure)",
	    .participants_note = "Consommation médiane de chaque participant "
				 "par quart d'heure, sur toute la période "
				 "(kWh).",
	    .cf_note = "Pointe du groupe / somme des pointes de ses membres, "
		       "quand ses k premiers membres s'additionnent : plus "
		       "c'est bas, plus les courbes se compensent.",
	    .members_fmt = "%s (%zu participants)",
	    .axis_kwh = "kWh",
	    .axis_cf = "Facteur de simultanéité",
	},
    [CAB_LANG_NL] =
	{
	    .title = "Belastingscurves",
	    .community_sheet = "Gemeenschap",
	    .week_sheet = "Week",
	    .coincidence_sheet = "Gelijktijdigheid",
	    .participants_sheet = "Deelnemers",
	    .community = "Gemeenschap",
	    .cabin = "Cabine",
	    .group = "Groep",
	    .band_note = "Volle lijn: de mediaan (één dag op twee ligt "
			 "hoger). Stippellijnen: het 1e en 3e kwartiel; "
			 "daartussen ligt de helft van de dagen.",
	    .seasons = {"jaar", "winter", "lente", "zomer", "herfst"},
	    .series = {"Verbruik", "Productie", "Netto"},
	    .stats = {"1e kwartiel", "mediaan", "3e kwartiel"},
	    .time = "Uur",
	    .day = "Dag",
	    .members = "Deelnemers",
	    .weekdays = {"ma", "di", "wo", "do", "vr", "za", "zo"},
	    .chart_day = "Typische dag van de gemeenschap, %s (kWh per "
			 "kwartier)",
	    .chart_group = "%s, typische dag over de periode (kWh per "
			   "kwartier)",
	    .chart_week = "Gemiddelde week van de gemeenschap (kWh per "
			  "kwartier)",
	    .chart_cf = "Gelijktijdigheidsfactor volgens het aantal "
			"deelnemers",
	    .chart_participants = "Mediaan verbruik van enkele deelnemers "
				  "(kWh per kwartier)",
	    .participants_note = "Mediaan verbruik van elke deelnemer per "
				 "kwartier, over de hele periode (kWh).",
	    .cf_note = "Piek van de groep / som van de pieken van de leden, "
		       "wanneer de eerste k leden optellen: hoe lager, hoe "
		       "meer de curves elkaar compenseren.",
	    .members_fmt = "%s (%zu deelnemers)",
	    .axis_kwh = "kWh",
	    .axis_cf = "Gelijktijdigheidsfactor",
	},
    [CAB_LANG_EN] =
	{
	    .title = "Load curves",
	    .community_sheet = "Community",
	    .week_sheet = "Week",
	    .coincidence_sheet = "Coincidence",
	    .participants_sheet = "Participants",
	    .community = "Community",
	    .cabin = "Cabin",
	    .group = "Group",
	    .band_note = "Solid line: the median (one day in two is above "
			 "it). Dashed lines: the 1st and 3rd quartiles; half "
			 "of the days lie between them.",
	    .seasons = {"year", "winter", "spring", "summer", "autumn"},
	    .series = {"Consumption", "Production", "Net"},
	    .stats = {"1st quartile", "median", "3rd quartile"},
	    .time = "Time",
	    .day = "Day",
	    .members = "Participants",
	    .weekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
	    .chart_day = "The community's typical day, %s (kWh per "
			 "quarter-hour)",
	    .chart_group = "%s, typical day over the period (kWh per "
			   "quarter-hour)",
	    .chart_week = "The community's mean week (kWh per quarter-hour)",
	    .chart_cf = "Coincidence factor by number of participants",
	    .chart_participants = "Median consumption of a few participants "
				  "(kWh per quarter-hour)",
	    .participants_note = "Each participant's median consumption per "
				 "quarter-hour over the whole period (kWh).",
	    .cf_note = "Peak of the group / sum of its members' peaks, as "
		       "its first k members add up: the lower, the more the "
		       "curves offset each other.",
	    .members_fmt = "%s (%zu participants)",
	    .axis_kwh = "kWh",
	    .axis_cf = "Coincidence factor",
	},
};

/* Line colours: consumption blue, production orange, net grey. */
static const lxw_color_t SERIES_COLOR[CAB_CURVE_SERIES] = {0x1F77B4, 0xFF7F0E,
							   0x7F7F7F};

/* place_chart() with an 11-point title: the titles here are sentences. */
static void place(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		  lxw_chart *chart, const char *title, const char *y_name,
		  uint16_t x_interval)
{
	place_chart(b, ws, r, c, chart, title, y_name, x_interval);
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
			  enum subject_kind k, const struct curves_words *w,
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
static void put_day_table(struct book *b, lxw_worksheet *ws, lxw_row_t r0,
			  lxw_col_t c0, const struct cab_curve_stats *cons,
			  const struct cab_curve_stats *prod)
{
	const struct cab_curve_stats *st[2] = {cons, prod};
	for (int q = 0; q < CAB_DAY_SLOTS; q++) {
		lxw_row_t r = r0 + (lxw_row_t)q;
		for (int k = 0; k < 2; k++) {
			lxw_col_t c = c0 + (lxw_col_t)(3 * k);
			put_num(b, ws, r, c, st[k]->q1[q], b->kwh);
			put_num(b, ws, r, c + 1, st[k]->median[q], b->kwh);
			put_num(b, ws, r, c + 2, st[k]->q3[q], b->kwh);
		}
	}
}

/* Six column heads "Consommation, 1er quartile"… from (r, c0). */
static void put_day_heads(struct book *b, lxw_worksheet *ws, lxw_row_t r,
			  lxw_col_t c0, const struct curves_words *w)
{
	char label[128];
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 3; j++) {
			snprintf(label, sizeof(label), "%s, %s", w->series[k],
				 w->stats[j]);
			put_str(b, ws, r, c0 + (lxw_col_t)(3 * k + j), label,
				b->head_num);
		}
}

/* A line chart of the six columns put by put_day_table() at rows
 * r0..r0+95 of `sheet`, times in column tc: medians solid, quartiles
 * dashed, consumption blue, production orange. Production is left out
 * when has_production is false (its band is flat at 0). */
static lxw_chart *day_chart(struct book *b, const char *sheet, lxw_row_t r0,
			    lxw_col_t tc, lxw_col_t c0, bool has_production,
			    const struct curves_words *w)
{
	lxw_chart *ch = new_chart(b, LXW_CHART_LINE);
	char label[128];
	for (int k = 0; k < (has_production ? 2 : 1); k++)
		for (int j = 0; j < 3; j++) {
			snprintf(label, sizeof(label), "%s, %s", w->series[k],
				 w->stats[j]);
			lxw_chart_series *s = add_series_at(
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

static void community_sheet(struct book *b, lxw_worksheet *ws,
			    const char *sheet, const struct cab_scenario *sc,
			    const struct cab_curve_subject *cm,
			    const struct curves_words *w)
{
	put_str(b, ws, 0, 0, w->title, b->title);
	put_str(b, ws, 1, 0, sc->name ? sc->name : "", b->bold);
	put_str(b, ws, 2, 0, w->band_note, NULL);
	put_str(b, ws, HEAD_ROW + 1, TABLE_COL, w->time, b->head);
	lxw_row_t r0 = HEAD_ROW + 2;
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		put_hhmm(b, ws, r0 + (lxw_row_t)q, TABLE_COL, q);
	int drawn = 0;
	for (int sn = 0; sn < CAB_SEASONS; sn++) {
		lxw_col_t c0 = (lxw_col_t)(TABLE_COL + 1 + 6 * sn);
		put_str(b, ws, HEAD_ROW, c0, w->seasons[sn], b->bold);
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
	print_charts(b, ws, HEAD_ROW + 40, (size_t)(drawn + 1) / 2);
}

/* Sheet 2: the community's mean week (year), Monday 00:00 first. */
static void week_sheet(struct book *b, lxw_worksheet *ws, const char *sheet,
		       const struct cab_curve_subject *cm,
		       const struct curves_words *w)
{
	put_str(b, ws, 0, 0, w->chart_week, b->title);
	put_str(b, ws, 1, 0, w->day, b->head);
	put_str(b, ws, 1, 1, w->time, b->head);
	for (int se = 0; se < CAB_CURVE_SERIES; se++)
		put_str(b, ws, 1, (lxw_col_t)(2 + se), w->series[se],
			b->head_num);
	for (int k = 0; k < CAB_WEEK_SLOTS; k++) {
		lxw_row_t r = (lxw_row_t)(2 + k);
		put_str(b, ws, r, 0, w->weekdays[k / CAB_DAY_SLOTS], NULL);
		put_hhmm(b, ws, r, 1, k % CAB_DAY_SLOTS);
		for (int se = 0; se < CAB_CURVE_SERIES; se++)
			put_num(b, ws, r, (lxw_col_t)(2 + se),
				cm->stats[se][0].week_mean[k], b->kwh);
	}
	lxw_chart *ch = new_chart(b, LXW_CHART_LINE);
	for (int se = 0; se < CAB_CURVE_SERIES; se++) {
		lxw_chart_series *s =
		    add_series_at(b, ch, sheet, 2, 1 + CAB_WEEK_SLOTS, 0,
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
static void group_sheet(struct book *b, lxw_worksheet *ws, const char *sheet,
			const struct cab_curve_subject *s, const char *label,
			const struct curves_words *w)
{
	char title[256];
	snprintf(title, sizeof(title), w->members_fmt, label, s->n_members);
	put_str(b, ws, 0, 0, title, b->title);
	put_str(b, ws, 1, 0, w->band_note, NULL);
	put_str(b, ws, 2, 0, w->time, b->head);
	put_day_heads(b, ws, 2, 1, w);
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		put_hhmm(b, ws, (lxw_row_t)(3 + q), 0, q);
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
static void coincidence_sheet(struct book *b, lxw_worksheet *ws,
			      const char *sheet, const struct cab_curves *cv,
			      size_t n_participants,
			      const struct curves_words *w, lxw_format *cf)
{
	put_str(b, ws, 0, 0, w->chart_cf, b->title);
	put_str(b, ws, 1, 0, w->cf_note, NULL);
	put_str(b, ws, 2, 0, w->members, b->head);
	size_t max_m = 0;
	lxw_col_t c = 1;
	lxw_chart *ch = new_chart(b, LXW_CHART_SCATTER_STRAIGHT);
	for (size_t i = 0; i < cv->n && c < MAX_COLS; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		enum subject_kind k = kind_of(cv, n_participants, i);
		if (k == SUBJECT_PARTICIPANT || s->n_members == 0)
			continue;
		char label[256];
		subject_label(s, k, w, label, sizeof(label));
		put_str(b, ws, 2, c, label, b->head_num);
		for (size_t j = 0; j < s->n_members; j++)
			put_num(b, ws, (lxw_row_t)(3 + j), c, s->coincidence[j],
				cf);
		if (s->n_members > max_m)
			max_m = s->n_members;
		lxw_chart_series *se =
		    add_series_at(b, ch, sheet, 3,
				  (lxw_row_t)(2 + s->n_members), 0, c, label);
		if (se && k == SUBJECT_COMMUNITY) {
			lxw_chart_line thick = {.color = LXW_COLOR_BLACK,
						.width = 2.5};
			chart_series_set_line(se, &thick);
		}
		c++;
	}
	for (size_t j = 0; j < max_m; j++)
		put_num(b, ws, (lxw_row_t)(3 + j), 0, (double)(j + 1), NULL);
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

static void participants_sheet(struct book *b, lxw_worksheet *ws,
			       const char *sheet, const struct cab_curves *cv,
			       size_t n_participants,
			       const struct curves_words *w)
{
	put_str(b, ws, 0, 0, w->participants_sheet, b->title);
	put_str(b, ws, 1, 0, w->participants_note, NULL);
	put_str(b, ws, PT_HEAD_ROW, 0, w->time, b->head);
	lxw_row_t r0 = PT_HEAD_ROW + 1;
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		put_hhmm(b, ws, r0 + (lxw_row_t)q, 0, q);
	lxw_chart *ch = new_chart(b, LXW_CHART_LINE);
	lxw_col_t c = 1;
	for (size_t i = 0; i < cv->n && c < MAX_COLS; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		if (kind_of(cv, n_participants, i) != SUBJECT_PARTICIPANT)
			continue;
		put_str(b, ws, PT_HEAD_ROW, c, s->name, b->head_num);
		for (int q = 0; q < CAB_DAY_SLOTS; q++)
			put_num(b, ws, r0 + (lxw_row_t)q, c,
				s->stats[0][0].median[q], b->kwh);
		if (c <= SHOWN_PARTICIPANTS)
			add_series_at(b, ch, sheet, r0, r0 + CAB_DAY_SLOTS - 1,
				      0, c, s->name);
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
	print_charts(b, ws, PT_HEAD_ROW, 1);
}

static enum cab_status write_curves_xlsx(const struct cab_run *run,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err)
{
	const struct cab_curves *cv = opts ? opts->curves : NULL;
	if (!cv || cv->n == 0)
		return CAB_OK;
	const struct curves_words *w = &CVWORDS[report_lang(opts)];
	const struct cab_curve_subject *cm = &cv->subject[cv->n - 1];
	char path[4096];
	struct book b;
	/* Sheet names so far, for sheet_name()'s uniqueness. */
	char(*names)[SHEET_BUF] = calloc(cv->n + 4, sizeof(*names));
	const char **taken = calloc(cv->n + 4, sizeof(*taken));
	if (!names || !taken) {
		free(names);
		free(taken);
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/curves.xlsx: out of memory", dir);
	}
	size_t n_taken = 0;
	enum cab_status st = book_open(&b, dir, "curves.xlsx", w->title, path,
				       sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *cf = new_format(&b);
	if (cf)
		format_set_num_format(cf, "0.000");
	const char *fixed[2] = {w->community_sheet, w->week_sheet};
	lxw_worksheet *fs[2];
	for (int k = 0; k < 2; k++) {
		sheet_name(fixed[k], taken, n_taken, names[n_taken], SHEET_BUF);
		taken[n_taken] = names[n_taken];
		fs[k] = book_sheet(&b, names[n_taken++]);
	}
	if (b.e)
		goto close;
	community_sheet(&b, fs[0], taken[0], run->sc, cm, w);
	week_sheet(&b, fs[1], taken[1], cm, w);
	print_table(&b, fs[1], true, 0);
	for (size_t i = 0; i < cv->n && !b.e; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		enum subject_kind k = kind_of(cv, run->n, i);
		if (k != SUBJECT_CABIN && k != SUBJECT_GROUP)
			continue;
		char label[256];
		subject_label(s, k, w, label, sizeof(label));
		sheet_name(label, taken, n_taken, names[n_taken], SHEET_BUF);
		taken[n_taken] = names[n_taken];
		lxw_worksheet *ws = book_sheet(&b, names[n_taken++]);
		if (ws)
			group_sheet(&b, ws, taken[n_taken - 1], s, label, w);
		print_table(&b, ws, true, 0);
	}
	const char *last[2] = {w->coincidence_sheet, w->participants_sheet};
	for (int k = 0; k < 2 && !b.e; k++) {
		sheet_name(last[k], taken, n_taken, names[n_taken], SHEET_BUF);
		taken[n_taken] = names[n_taken];
		lxw_worksheet *ws = book_sheet(&b, names[n_taken++]);
		if (ws && k == 0) {
			coincidence_sheet(&b, ws, taken[n_taken - 1], cv,
					  run->n, w, cf);
			print_table(&b, ws, true, 0);
		} else if (ws)
			participants_sheet(&b, ws, taken[n_taken - 1], cv,
					   run->n, w);
	}
	if (!b.e)
		worksheet_activate(fs[0]);
close:
	st = book_close(&b, path, err);
done:
	free(names);
	free(taken);
	return st;
}

const struct cab_report_ops cab_report_curves_xlsx = {"curves.xlsx",
						      write_curves_xlsx};
