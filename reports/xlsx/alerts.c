/*
 * alerts.c — alerts.xlsx (`cabine alerts`, SPEC §8): alerts.csv's table,
 * in the same row order (alerts by start, windows during/after/before,
 * participants by id, groups, the community), with localized headers
 * (words.c); then per alert two charts: the community's curve on the
 * alert day against its reference with the alert window drawn over it,
 * and the distribution of the participants' Δ % during the window
 * (sorted columns).
 *
 * Both curves come from the alerts module (cab_alerts_profile): the
 * participants the community row of alerts.csv counts, on the alert day
 * and at the same offsets from the start of each of their reference
 * windows (SPEC §6), so that over the window the chart adds up to the
 * row's e_alert_kwh and e_ref_kwh. A quarter-hour that occurs twice on
 * the autumn DST day shows the mean of both.
 *
 * Workload: a handful of alerts; the table has 3 × (participants +
 * groups + 1) rows per alert, each chart 96 points.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/alerts.h"
#include "cabine/curves.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* Sort key of an alerts row: the CSV's order. */
struct alert_row {
	int64_t start_s;
	size_t alert;
	int window;
	int kind;	/* 0 participant, 1 group, 2 community */
	const char *id; /* participant id, for kind 0 */
	long group;	/* k of a group, for kind 1 */
	size_t effect;
};

/* A local time as people write it, "14/05/2024 18:00" (chart titles;
 * the table keeps alerts.csv's ISO form). */
static void readable_time(int64_t utc_s, char buf[32])
{
	struct cab_civil c;
	cab_time_to_local(utc_s, &c);
	snprintf(buf, 32, "%02d/%02d/%04d %02d:%02d", c.day % 100,
		 c.month % 100, c.year % 10000, c.hour % 100, c.minute % 100);
}

/* alerts.csv's "cabin:tilleul" / "group:proteges" as a reader says it,
 * "Cabine tilleul" / "Groupe proteges", in place. */
static void readable_group(char *who, size_t size, int lang)
{
	const struct cab_curves_words *cw = cab_words_curves(lang);
	const char *prefix = NULL, *name = NULL;
	if (strncmp(who, "cabin:", 6) == 0)
		prefix = cw->cabin, name = who + 6;
	else if (strncmp(who, "group:", 6) == 0)
		prefix = cw->group, name = who + 6;
	if (!prefix)
		return;
	char tmp[300];
	snprintf(tmp, sizeof(tmp), "%s %s", prefix, name);
	snprintf(who, size, "%s", tmp);
}

static int by_alert_row(const void *x, const void *y)
{
	const struct alert_row *a = x, *b = y;
	if (a->start_s != b->start_s)
		return a->start_s < b->start_s ? -1 : 1;
	if (a->alert != b->alert)
		return a->alert < b->alert ? -1 : 1;
	if (a->window != b->window)
		return a->window - b->window;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->kind == 0)
		return strcmp(a->id, b->id);
	return (a->group > b->group) - (a->group < b->group);
}

struct pct_item {
	double pct;
	const char *id;
};

static int by_pct(const void *x, const void *y)
{
	const struct pct_item *a = x, *b = y;
	if (a->pct != b->pct)
		return a->pct < b->pct ? -1 : 1;
	return strcmp(a->id, b->id);
}

#define DAY_INTERVALS_MAX 100 /* the autumn DST day */

/* Alert k's day and reference curves by local quarter-hour of the alert's
 * local day (NaN where no value) and which slots the alert covers: the
 * community row of alerts.csv drawn by the alerts module. Fails with
 * CAB_ENOMEM. */
static enum cab_status alert_day(const struct cab_run *run, size_t k,
				 double day[CAB_DAY_SLOTS],
				 double ref[CAB_DAY_SLOTS],
				 bool in_window[CAB_DAY_SLOTS])
{
	const struct cab_alert *al = &run->sc->alerts[k];
	struct cab_civil la;
	cab_time_to_local(al->start_s, &la);
	int64_t midnight = cab_time_local_midnight(la.year, la.month, la.day);
	int len = cab_time_local_day_intervals(la.year, la.month, la.day);
	size_t n = len > 0 && len <= DAY_INTERVALS_MAX ? (size_t)len : 0;
	double a[DAY_INTERVALS_MAX], r[DAY_INTERVALS_MAX];
	enum cab_status st = cab_alerts_profile(
	    run, k, CAB_WINDOW_DURING,
	    (long)((midnight - al->start_s) / CAB_INTERVAL_S), n, a, r, NULL);
	if (st != CAB_OK)
		return st;
	double dsum[CAB_DAY_SLOTS] = {0}, rsum[CAB_DAY_SLOTS] = {0};
	size_t dn[CAB_DAY_SLOTS] = {0}, rn[CAB_DAY_SLOTS] = {0};
	for (int q = 0; q < CAB_DAY_SLOTS; q++)
		in_window[q] = false;
	for (size_t u = 0; u < n; u++) {
		int64_t ts = midnight + (int64_t)u * CAB_INTERVAL_S;
		struct cab_civil lc;
		cab_time_to_local(ts, &lc);
		int q = (lc.hour * 60 + lc.minute) / 15;
		if (ts >= al->start_s && ts < al->end_s)
			in_window[q] = true;
		if (!isnan(a[u]))
			dsum[q] += a[u], dn[q]++;
		if (!isnan(r[u]))
			rsum[q] += r[u], rn[q]++;
	}
	for (int q = 0; q < CAB_DAY_SLOTS; q++) {
		day[q] = dn[q] ? dsum[q] / (double)dn[q] : NAN;
		ref[q] = rn[q] ? rsum[q] / (double)rn[q] : NAN;
	}
	return CAB_OK;
}

/* Alert k's two charts and their data: columns 4j..4j+3 of `ds` (time,
 * day, reference, window) and 4·n_alerts + 2j.. (participant, Δ %). */
static void alert_charts(struct cab_book *b, const struct cab_run *run,
			 size_t k, size_t j, const struct cab_alerts *al,
			 lxw_worksheet *ds, lxw_worksheet *cs,
			 const struct cab_alerts_words *w)
{
	const struct cab_scenario *sc = run->sc;
	double day[CAB_DAY_SLOTS], ref[CAB_DAY_SLOTS];
	bool in_window[CAB_DAY_SLOTS];
	if (alert_day(run, k, day, ref, in_window) != CAB_OK) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	lxw_col_t c0 = (lxw_col_t)(4 * j);
	cab_book_put_str(b, ds, 0, c0, w->time, b->head);
	cab_book_put_str(b, ds, 0, c0 + 1, w->day, b->head_num);
	cab_book_put_str(b, ds, 0, c0 + 2, w->reference, b->head_num);
	cab_book_put_str(b, ds, 0, c0 + 3, w->window, b->head_num);
	for (int q = 0; q < CAB_DAY_SLOTS; q++) {
		lxw_row_t r = (lxw_row_t)q + 1;
		cab_book_put_hhmm(b, ds, r, c0, q);
		cab_book_put_num(b, ds, r, c0 + 1, day[q], b->kwh);
		cab_book_put_num(b, ds, r, c0 + 2, ref[q], b->kwh);
		if (in_window[q])
			cab_book_put_num(b, ds, r, c0 + 3, day[q], b->kwh);
	}
	char start[32], title[256];
	/* A signal window keeps its label ("signal:…"); an alert reads as
	 * people write a time. */
	if (k + sc->n_signal_windows >= sc->n_alerts)
		cab_alerts_label(sc, k, start, sizeof(start));
	else
		readable_time(sc->alerts[k].start_s, start);
	snprintf(title, sizeof(title), w->chart_day, start);
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_LINE);
	cab_book_add_series(b, ch, "data", 1, CAB_DAY_SLOTS, c0, c0 + 1,
			    w->day);
	cab_book_add_series(b, ch, "data", 1, CAB_DAY_SLOTS, c0, c0 + 2,
			    w->reference);
	lxw_chart_series *s = cab_book_add_series(
	    b, ch, "data", 1, CAB_DAY_SLOTS, c0, c0 + 3, w->window);
	if (s) {
		lxw_chart_line thick = {.color = 0xD03030, .width = 4.5};
		chart_series_set_line(s, &thick);
	}
	lxw_row_t at = (lxw_row_t)(j * 38);
	cab_book_place_chart(b, cs, at, 0, ch, title, w->axis_kwh, 8);

	/* The participants' Δ % during the alert, sorted. */
	struct pct_item *items = calloc(run->n ? run->n : 1, sizeof(*items));
	if (!items) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	size_t m = 0;
	for (size_t e = 0; e < al->n; e++) {
		const struct cab_alert_effect *ef = &al->effect[e];
		if (ef->alert == k && ef->window == CAB_WINDOW_DURING &&
		    ef->participant >= 0 && ef->is_complete &&
		    isfinite(ef->delta_pct) && m < run->n)
			items[m++] = (struct pct_item){
			    ef->delta_pct,
			    sc->participants[ef->participant].id};
	}
	qsort(items, m, sizeof(*items), by_pct);
	lxw_col_t p0 = (lxw_col_t)(4 * sc->n_alerts + 2 * j);
	cab_book_put_str(b, ds, 0, p0, w->cols[1], b->head);
	cab_book_put_str(b, ds, 0, p0 + 1, w->cols[6], b->head_num);
	for (size_t u = 0; u < m; u++) {
		cab_book_put_str(b, ds, (lxw_row_t)u + 1, p0, items[u].id,
				 NULL);
		cab_book_put_num(b, ds, (lxw_row_t)u + 1, p0 + 1, items[u].pct,
				 NULL);
	}
	free(items);
	if (!m)
		return;
	snprintf(title, sizeof(title), w->chart_pct, start);
	lxw_chart *pc = cab_book_chart(b, LXW_CHART_COLUMN);
	cab_book_add_series(b, pc, "data", 1, (lxw_row_t)m, p0, p0 + 1,
			    w->cols[6]);
	cab_book_place_chart(b, cs, at + 19, 0, pc, title, w->axis_pct, 0);
	/* One series: no legend (cab_book_place_chart puts one below). */
	if (pc)
		chart_legend_set_position(pc, LXW_CHART_LEGEND_NONE);
}

static enum cab_status write_alerts_xlsx(const struct cab_run *run,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err)
{
	const struct cab_alerts *al = opts ? opts->alerts : NULL;
	if (!al)
		return CAB_OK;
	const struct cab_scenario *sc = run->sc;
	const struct cab_alerts_words *w =
	    cab_words_alerts(cab_book_lang(opts));
	char path[4096];
	struct cab_book b;
	struct alert_row *rows = calloc(al->n ? al->n : 1, sizeof(*rows));
	size_t *alert_order =
	    calloc(sc->n_alerts ? sc->n_alerts : 1, sizeof(*alert_order));
	if (!rows || !alert_order) {
		free(rows);
		free(alert_order);
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/alerts.xlsx: out of memory", dir);
	}
	for (size_t e = 0; e < al->n; e++) {
		const struct cab_alert_effect *ef = &al->effect[e];
		struct alert_row *r = &rows[e];
		r->start_s = sc->alerts[ef->alert].start_s;
		r->alert = ef->alert;
		r->window = (int)ef->window;
		r->kind = ef->participant >= 0	  ? 0
			  : ef->participant == -1 ? 2
						  : 1;
		r->id = ef->participant >= 0
			    ? sc->participants[ef->participant].id
			    : "";
		r->group = ef->participant < -1 ? -2 - ef->participant : 0;
		r->effect = e;
	}
	qsort(rows, al->n, sizeof(*rows), by_alert_row);
	/* Alerts in start order, for the charts. */
	size_t n_order = 0;
	for (size_t e = 0; e < al->n; e++)
		if (n_order == 0 || rows[e].alert != alert_order[n_order - 1])
			if (n_order < sc->n_alerts)
				alert_order[n_order++] = rows[e].alert;
	enum cab_status st = cab_book_open(&b, dir, "alerts.xlsx", w->sheet,
					   NULL, path, sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *pct = cab_book_format(&b), *count = cab_book_format(&b);
	if (pct)
		format_set_num_format(pct, "0.00");
	if (count)
		format_set_num_format(count, "0");
	lxw_worksheet *ws = cab_book_sheet(&b, w->sheet);
	lxw_worksheet *cs = cab_book_sheet(&b, w->charts);
	lxw_worksheet *ds = cab_book_sheet(&b, "data");
	if (b.e)
		goto close;
	for (lxw_col_t c = 0; c < 8; c++)
		cab_book_put_str(&b, ws, 0, c, w->cols[c],
				 c > 2 ? b.head_num : b.head);
	for (size_t u = 0; u < al->n; u++) {
		const struct cab_alert_effect *ef = &al->effect[rows[u].effect];
		lxw_row_t r = (lxw_row_t)u + 1;
		char start[32], who[300];
		cab_alerts_label(sc, rows[u].alert, start, sizeof(start));
		cab_book_put_str(&b, ws, r, 0, start, NULL);
		if (rows[u].kind == 0)
			snprintf(who, sizeof(who), "%s", rows[u].id);
		else if (rows[u].kind == 2)
			snprintf(who, sizeof(who), "%s", w->community);
		else if (!cab_alerts_group_name(sc, (size_t)rows[u].group, who,
						sizeof(who)))
			who[0] = 0;
		else
			readable_group(who, sizeof(who), cab_book_lang(opts));
		cab_book_put_str(&b, ws, r, 1, who,
				 rows[u].kind ? b.bold : NULL);
		cab_book_put_str(&b, ws, r, 2, w->windows[rows[u].window],
				 NULL);
		if (ef->is_complete) {
			cab_book_put_num(&b, ws, r, 3, ef->e_alert_kwh, b.kwh);
			cab_book_put_num(&b, ws, r, 4, ef->e_ref_kwh, b.kwh);
			cab_book_put_num(&b, ws, r, 5, ef->delta_kwh, b.kwh);
			cab_book_put_num(&b, ws, r, 6, ef->delta_pct, pct);
		}
		cab_book_put_num(&b, ws, r, 7, (double)ef->reference_windows,
				 count);
	}
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 1, 20, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 2, 7, 15, NULL);
	if (!b.e)
		worksheet_freeze_panes(ws, 1, 0);
	cab_book_print_table(&b, ws, true, 0);
	if (!b.e && al->n)
		b.e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)al->n, 7);
	for (size_t j = 0; j < n_order && !b.e; j++)
		alert_charts(&b, run, alert_order[j], j, al, ds, cs, w);
	cab_book_print_charts(&b, cs, 38, n_order); /* one alert a page */
	if (!b.e)
		worksheet_activate(ws);
close:
	st = cab_book_close(&b, path, err);
done:
	free(rows);
	free(alert_order);
	return st;
}

const struct cab_report_ops cab_report_alerts_xlsx = {"alerts.xlsx",
						      write_alerts_xlsx};
