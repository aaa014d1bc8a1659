/*
 * backtest.c — backtest.xlsx (`cabine forecast --backtest`, SPEC §15,
 * docs/forecast.md): backtest.csv's table with localized headers and how
 * to read it, the share of signalled windows that really had a surplus,
 * a chart of the community's PV per day (forecast and measured), the
 * days' figures and backtest_windows.csv's table.
 *
 * Why a workbook: the assembly that decides whether to trust the SMS
 * looks at a chart, not at a CSV; the numbers are the same as the CSV's
 * (engine/analyse/backtest.c computes them once).
 *
 * Workload: a few installations, a year of days at most.
 * Ownership: borrows opts->forecast and opts->backtest for the call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/forecast.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* The accuracy table from row r0 of ws; returns the next free row. */
static lxw_row_t put_rows(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r0,
			  const struct cab_forecast *f,
			  const struct cab_backtest *bt,
			  const struct cab_backtest_words *w, lxw_format *pct,
			  lxw_format *count)
{
	for (lxw_col_t c = 0; c < 8; c++)
		cab_book_put_str(b, ws, r0, c, w->cols[c],
				 c > 1 ? b->head_num : b->head);
	for (size_t k = 0; k < bt->n_rows; k++) {
		const struct cab_backtest_row *row = &bt->rows[k];
		lxw_row_t r = r0 + 1 + (lxw_row_t)k;
		bool is_community = row->participant < 0;
		cab_book_put_str(b, ws, r, 0,
				 is_community
				     ? w->community
				     : f->sc->participants[row->participant].id,
				 is_community ? b->bold : NULL);
		cab_book_put_str(b, ws, r, 1, w->quantities[row->quantity],
				 NULL);
		cab_book_put_num(b, ws, r, 2, (double)row->intervals, count);
		if (row->intervals) {
			cab_book_put_num(b, ws, r, 3, row->forecast_kwh,
					 b->kwh);
			cab_book_put_num(b, ws, r, 4, row->measured_kwh,
					 b->kwh);
			cab_book_put_num(b, ws, r, 5,
					 cab_backtest_bias_kwh(row), b->kwh);
		}
		cab_book_put_num(b, ws, r, 6, cab_backtest_bias_pct(row), pct);
		cab_book_put_num(b, ws, r, 7, cab_backtest_nmae_pct(row), pct);
	}
	return r0 + 1 + (lxw_row_t)bt->n_rows;
}

static enum cab_status write_backtest_xlsx(const struct cab_run *run,
					   const struct cab_report_opts *opts,
					   const char *dir, struct cab_err *err)
{
	const struct cab_backtest *bt = opts ? opts->backtest : NULL;
	const struct cab_forecast *f = opts ? opts->forecast : NULL;
	if (!bt || !f)
		return CAB_OK;
	const struct cab_backtest_words *w =
	    cab_words_backtest(cab_book_lang(opts));
	char path[4096], text[512];
	struct cab_book b;
	enum cab_status st = cab_book_open(&b, dir, "backtest.xlsx", w->title,
					   NULL, path, sizeof(path), err);
	if (st != CAB_OK)
		return st;
	lxw_format *pct = cab_book_format(&b), *count = cab_book_format(&b);
	if (pct)
		format_set_num_format(pct, "0.00");
	if (count)
		format_set_num_format(count, "0");
	lxw_worksheet *ws = cab_book_sheet(&b, w->sheet);
	lxw_worksheet *ds = cab_book_sheet(&b, w->days_sheet);
	lxw_worksheet *xs = cab_book_sheet(&b, w->windows_sheet);
	if (b.e)
		goto close;
	cab_book_put_str(&b, ws, 0, 0, w->title, b.title);
	cab_book_put_str(&b, ws, 1, 0, f->sc->name, b.bold);
	lxw_row_t r = put_rows(&b, ws, 3, f, bt, w, pct, count);
	cab_book_put_str(&b, ws, r, 0, w->note, b.remark);
	if (bt->n_judged)
		snprintf(text, sizeof(text), w->hits, bt->n_hits, bt->n_judged,
			 100.0 * (double)bt->n_hits / (double)bt->n_judged);
	else
		snprintf(text, sizeof(text), "%s", w->no_window);
	cab_book_put_str(&b, ws, r + 2, 0, text, b.bold);

	/* The days, and their chart on the first sheet. */
	for (lxw_col_t c = 0; c < 3; c++)
		cab_book_put_str(&b, ds, 0, c, w->day_cols[c],
				 c ? b.head_num : b.head);
	int64_t day = f->t0_s;
	for (size_t d = 0; d < bt->n_days; d++) {
		char date[17];
		cab_time_format_local(day, date);
		date[10] = '\0';
		cab_book_put_str(&b, ds, (lxw_row_t)d + 1, 0, date, NULL);
		cab_book_put_num(&b, ds, (lxw_row_t)d + 1, 1,
				 bt->day_forecast_pv_kwh[d], b.kwh);
		cab_book_put_num(&b, ds, (lxw_row_t)d + 1, 2,
				 bt->day_measured_pv_kwh[d], b.kwh);
		struct cab_civil c;
		cab_time_to_local(day + 26 * 3600, &c); /* the next day */
		day = cab_time_local_midnight(c.year, c.month, c.day);
	}
	if (!b.e)
		b.e = worksheet_set_column(ds, 0, 2, 24, NULL);
	if (bt->n_days) {
		lxw_chart *ch = cab_book_chart(&b, LXW_CHART_LINE);
		lxw_row_t last = (lxw_row_t)bt->n_days;
		cab_book_add_series(&b, ch, w->days_sheet, 1, last, 0, 1,
				    w->day_cols[1]);
		cab_book_add_series(&b, ch, w->days_sheet, 1, last, 0, 2,
				    w->day_cols[2]);
		cab_book_place_chart(&b, ws, r + 4, 0, ch, w->chart,
				     w->axis_kwh,
				     bt->n_days > 31 ? (uint16_t)7 : 1);
	}

	/* The windows. */
	for (lxw_col_t c = 0; c < 6; c++)
		cab_book_put_str(&b, xs, 0, c, w->window_cols[c],
				 c > 1 ? b.head_num : b.head);
	for (size_t k = 0; k < bt->n_windows; k++) {
		const struct cab_backtest_window *x = &bt->windows[k];
		lxw_row_t wr = (lxw_row_t)k + 1;
		char a[17], e[17];
		cab_time_format_local(x->w.start_s, a);
		cab_time_format_local(x->w.end_s, e);
		cab_book_put_str(&b, xs, wr, 0, a, NULL);
		cab_book_put_str(&b, xs, wr, 1, e, NULL);
		cab_book_put_num(&b, xs, wr, 2, x->w.surplus_kwh, b.kwh);
		cab_book_put_num(&b, xs, wr, 3, x->measured_surplus_kwh, b.kwh);
		if (x->is_judged) {
			cab_book_put_num(&b, xs, wr, 4,
					 (double)x->positive_intervals, count);
			cab_book_put_str(
			    &b, xs, wr, 5,
			    x->measured_surplus_kwh > 0 ? w->yes : w->no, NULL);
		}
	}
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 1, 18, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 2, 7, 15, NULL);
	if (!b.e)
		b.e = worksheet_set_column(xs, 0, 5, 20, NULL);
	cab_book_print_table(&b, ws, true, 0);
	cab_book_print_table(&b, ds, false, 0);
	cab_book_print_table(&b, xs, false, 0);
	if (!b.e)
		worksheet_activate(ws);
close:
	return cab_book_close(&b, path, err);
}

const struct cab_report_ops cab_report_backtest_xlsx = {"backtest.xlsx",
							write_backtest_xlsx};
