/*
 * community.c — community.xlsx (`cabine run`, SPEC §8): the facilitator's
 * and the assembly's overview, in --lang (French by default; words.c).
 *
 * Sheet 1: every participant (by id) side by side — volumes in kWh,
 * missing intervals, bill, billed alone and the difference (green when
 * the participant gains, red when it loses) — a totals row whose bill
 * is run->total_bill_cents exactly, then the indicators. Sheet 2: the
 * charts — the community's consumption and production over an average
 * day per season, how shared energy is split, gains and losses per
 * participant (above 1,000 participants, two series of one colour each:
 * see delta_chart). Sheet 3 "data": the average days the charts read.
 *
 * The community's average day at a local quarter-hour is the sum of its
 * participants' means there (each over its own valid intervals), so a
 * participant's missing month does not remove everyone's month.
 *
 * Workload: one pass over each participant's consumption and production
 * series (35,040 values a year each) for the average days, then one row
 * per participant.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cabine/curves.h"
#include "cabine/report.h"
#include "reports/io.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* The community's average day per season: out[s][k][slot] with k 0
 * consumption, 1 production; NaN where no participant has a value.
 * has[s] tells whether season s has any value. Fails with ENOMEM. */
static bool community_days(const struct cab_run *run,
			   double out[CAB_BOOK_SEASONS][2][CAB_DAY_SLOTS],
			   bool has[CAB_BOOK_SEASONS])
{
	size_t nt = run->n_intervals;
	uint8_t *slot_of = malloc(nt ? nt : 1);
	uint8_t *season_of = malloc(nt ? nt : 1);
	if (!slot_of || !season_of) {
		free(slot_of);
		free(season_of);
		return false;
	}
	cab_book_local_slots(run, slot_of, season_of);
	bool any[CAB_BOOK_SEASONS][2][CAB_DAY_SLOTS] = {{{0}}};
	for (int s = 0; s < CAB_BOOK_SEASONS; s++)
		for (int k = 0; k < 2; k++)
			for (int q = 0; q < CAB_DAY_SLOTS; q++)
				out[s][k][q] = 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *p = &run->p[i];
		if (!p->consumption_kwh)
			continue;
		double sum[CAB_BOOK_SEASONS][2][CAB_DAY_SLOTS] = {{{0}}};
		size_t cnt[CAB_BOOK_SEASONS][CAB_DAY_SLOTS] = {{0}};
		for (size_t t = 0; t < nt; t++) {
			double c = p->consumption_kwh[t];
			if (isnan(c))
				continue; /* missing: P must not be used */
			int s = season_of[t] - 1, q = slot_of[t];
			double pv =
			    p->production_kwh ? p->production_kwh[t] : 0;
			sum[s][0][q] += c;
			sum[s][1][q] += isnan(pv) ? 0 : pv;
			cnt[s][q]++;
		}
		for (int s = 0; s < CAB_BOOK_SEASONS; s++)
			for (int q = 0; q < CAB_DAY_SLOTS; q++)
				for (int k = 0; k < 2 && cnt[s][q]; k++) {
					out[s][k][q] +=
					    sum[s][k][q] / (double)cnt[s][q];
					any[s][k][q] = true;
				}
	}
	for (int s = 0; s < CAB_BOOK_SEASONS; s++) {
		has[s] = false;
		for (int k = 0; k < 2; k++)
			for (int q = 0; q < CAB_DAY_SLOTS; q++) {
				if (!any[s][k][q])
					out[s][k][q] = NAN;
				else
					has[s] = true;
			}
	}
	free(slot_of);
	free(season_of);
	return true;
}

/* Above this many participants the bars of the differences are not
 * coloured one by one: libxlsxwriter keeps a chart's coloured points in
 * a list it walks for each new one and counts them in 16 bits, so
 * 100,000 points never finish (and 65,536 would wrap). Two series
 * instead, gains and losses, each of one colour (docs/reports.md). */
#define COLOURED_POINTS_MAX 1000

/* The differences above COLOURED_POINTS_MAX participants: the gains
 * (Δ ≤ 0) and the losses (Δ > 0) in columns 10 and 11 of the data sheet
 * ds, rows 1..n, drawn as two overlapping series green and red, with the
 * ids of the main sheet as categories. Linear in n. */
static void delta_series(struct cab_book *b, lxw_chart *ch, lxw_worksheet *ds,
			 const char *sheet, lxw_row_t first,
			 const struct cab_run *run, const size_t *order,
			 const struct cab_community_words *w)
{
	char head[2][96];
	snprintf(head[0], sizeof(head[0]), "%s < 0", w->cols[11]);
	snprintf(head[1], sizeof(head[1]), "%s > 0", w->cols[11]);
	for (int k = 0; k < 2; k++)
		cab_book_put_str(b, ds, 0, (lxw_col_t)(10 + k), head[k],
				 b->head_num);
	for (size_t k = 0; k < run->n; k++) {
		const struct cab_participant_result *p = &run->p[order[k]];
		if (p->is_without_baseline)
			continue;
		cab_book_put_num(b, ds, (lxw_row_t)(k + 1),
				 p->delta_cents > 0 ? 11 : 10,
				 cab_book_eur(p->delta_cents), b->eur);
	}
	lxw_chart_fill fill[2] = {{.color = 0x00A050}, {.color = 0xD03030}};
	for (int k = 0; k < 2; k++) {
		/* Categories from the sheet, values from "data": set once
		 * each (libxlsxwriter leaks a range set twice). */
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		if (!s) {
			cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		chart_series_set_categories(s, sheet, first, 0,
					    first + (lxw_row_t)run->n - 1, 0);
		chart_series_set_values(s, "data", 1, (lxw_col_t)(10 + k),
					(lxw_row_t)run->n, (lxw_col_t)(10 + k));
		char text[512];
		chart_series_set_name(
		    s, cab_book_chart_text(head[k], text, sizeof(text)));
		chart_series_set_fill(s, &fill[k]);
	}
	chart_set_series_overlap(ch, 100);
}

/* Bars of the differences, each bar green (gain) or red (loss). */
static void delta_chart(struct cab_book *b, lxw_worksheet *at, lxw_row_t r,
			lxw_col_t c, const char *sheet, lxw_row_t first,
			const struct cab_run *run, const size_t *order,
			const struct cab_community_words *w, lxw_worksheet *ds)
{
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
	if (ch && run->n > COLOURED_POINTS_MAX) {
		delta_series(b, ch, ds, sheet, first, run, order, w);
		cab_book_place_chart(b, at, r, c, ch, w->chart_delta,
				     w->axis_eur, 0);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		return;
	}
	lxw_chart_series *s = cab_book_add_series(b, ch, sheet, first,
						  first + (lxw_row_t)run->n - 1,
						  0, 11, w->cols[11]);
	if (!s)
		return;
	lxw_chart_fill green = {.color = 0x00A050}, red = {.color = 0xD03030};
	lxw_chart_point pg = {.fill = &green}, pr = {.fill = &red};
	lxw_chart_point **pts = calloc(run->n + 1, sizeof(*pts));
	if (!pts) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t k = 0; k < run->n; k++)
		pts[k] = run->p[order[k]].delta_cents > 0 ? &pr : &pg;
	cab_book_note(b, chart_series_set_points(s, pts));
	free(pts);
	cab_book_place_chart(b, at, r, c, ch, w->chart_delta, w->axis_eur, 0);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
}

static enum cab_status write_community_xlsx(const struct cab_run *run,
					    const struct cab_report_opts *opts,
					    const char *dir,
					    struct cab_err *err)
{
	int lang = cab_book_lang(opts);
	const struct cab_community_words *w = cab_words_community(lang);
	const struct cab_scenario *sc = run->sc;
	char path[4096];
	struct cab_book b;
	size_t *order = cab_report_order_by_id(run);
	double(*day)[2][CAB_DAY_SLOTS] =
	    malloc(CAB_BOOK_SEASONS * sizeof(*day));
	bool has[CAB_BOOK_SEASONS];
	if (!order || !day || !community_days(run, day, has)) {
		free(order);
		free(day);
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/community.xlsx: out of memory", dir);
	}
	enum cab_status st = cab_book_open(&b, dir, "community.xlsx", w->title,
					   NULL, path, sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *gain, *loss, *count = cab_book_format(&b);
	cab_book_gain_loss(&b, &gain, &loss);
	if (count)
		format_set_num_format(count, "0");
	lxw_worksheet *ws = cab_book_sheet(&b, w->sheet);
	lxw_worksheet *cs = cab_book_sheet(&b, w->charts);
	lxw_worksheet *ds = cab_book_sheet(&b, "data");
	if (b.e)
		goto close;

	lxw_row_t r = 0;
	cab_book_put_str(&b, ws, r++, 0, w->title, b.title);
	cab_book_put_str(&b, ws, r, 0, w->community, b.bold);
	cab_book_put_str(&b, ws, r++, 1, sc->name ? sc->name : "", NULL);
	char period[96];
	cab_book_period(sc, cab_words_invoice(lang)->period_fmt, period,
			sizeof(period));
	cab_book_put_str(&b, ws, r, 0, w->period, b.bold);
	cab_book_put_str(&b, ws, r++, 1, period, NULL);
	cab_book_put_str(&b, ws, r++, 0, w->legend, NULL);
	r++;
	lxw_row_t head = r;
	for (lxw_col_t c = 0; c < 12; c++)
		cab_book_put_str(&b, ws, r, c, w->cols[c],
				 c ? b.head_num : b.head);
	r++;
	lxw_row_t first = r;
	struct cab_volumes sum = {0};
	size_t missing = 0;
	for (size_t k = 0; k < run->n; k++, r++) {
		size_t i = order[k];
		const struct cab_participant_result *p = &run->p[i];
		const struct cab_volumes *v = &p->total;
		cab_book_put_str(&b, ws, r, 0, sc->participants[i].id, NULL);
		const double kwh[7] = {
		    v->consumption_kwh, v->production_kwh, v->self_consumed_kwh,
		    v->shared_kwh,	v->given_kwh,	   v->complementary_kwh,
		    v->injected_kwh};
		for (int c = 0; c < 7; c++)
			cab_book_put_num(&b, ws, r, (lxw_col_t)(1 + c), kwh[c],
					 b.kwh);
		cab_book_put_num(&b, ws, r, 8, (double)p->missing_intervals,
				 count);
		cab_book_put_num(&b, ws, r, 9,
				 cab_book_eur(p->bill.total_cents), b.eur);
		if (!p->is_without_baseline) {
			cab_book_put_num(&b, ws, r, 10,
					 cab_book_eur(p->baseline.total_cents),
					 b.eur);
			cab_book_put_num(&b, ws, r, 11,
					 cab_book_eur(p->delta_cents), b.eur);
		}
		sum.consumption_kwh += v->consumption_kwh;
		sum.production_kwh += v->production_kwh;
		sum.self_consumed_kwh += v->self_consumed_kwh;
		sum.shared_kwh += v->shared_kwh;
		sum.given_kwh += v->given_kwh;
		sum.complementary_kwh += v->complementary_kwh;
		sum.injected_kwh += v->injected_kwh;
		missing += p->missing_intervals;
	}
	lxw_row_t last = r - 1;
	cab_book_put_str(&b, ws, r, 0, w->total, b.total_label);
	const double tot[7] = {sum.consumption_kwh,   sum.production_kwh,
			       sum.self_consumed_kwh, sum.shared_kwh,
			       sum.given_kwh,	      sum.complementary_kwh,
			       sum.injected_kwh};
	for (int c = 0; c < 7; c++)
		cab_book_put_num(&b, ws, r, (lxw_col_t)(1 + c), tot[c],
				 b.total_kwh);
	cab_book_put_num(&b, ws, r, 8, (double)missing, b.total_label);
	cab_book_put_num(&b, ws, r, 9, cab_book_eur(run->total_bill_cents),
			 b.total_eur);
	cab_book_put_num(&b, ws, r, 10, cab_book_eur(run->total_baseline_cents),
			 b.total_eur);
	cab_book_put_num(
	    &b, ws, r, 11,
	    cab_book_eur(run->total_bill_cents - run->total_baseline_cents),
	    b.total_eur);
	lxw_row_t totals = r++;
	if (run->n)
		cab_book_highlight_sign(&b, ws, first, 11, totals, 11, gain,
					loss);
	r++;
	cab_book_put_str(&b, ws, r++, 0, w->indicators, b.bold);
	/* A rate is NaN when nothing was shared or consumed: its cell stays
	 * empty rather than showing a made-up 0 %. */
	const struct cab_indicators *ind = &run->ind;
	cab_book_put_str(&b, ws, r, 0, w->ind[0], NULL);
	cab_book_put_num(&b, ws, r++, 1, ind->self_consumption_rate, b.pct);
	cab_book_put_str(&b, ws, r, 0, w->ind[1], NULL);
	cab_book_put_num(&b, ws, r++, 1, ind->self_sufficiency_rate, b.pct);
	cab_book_put_str(&b, ws, r, 0, w->ind[2], NULL);
	cab_book_put_num(&b, ws, r++, 1, ind->positive_energy_balance_kwh,
			 b.kwh);
	cab_book_put_str(&b, ws, r, 0, w->ind[3], NULL);
	cab_book_put_num(&b, ws, r++, 1, ind->coincidence_factor, b.kwh);
	if (!isnan(run->cabin_residual_kwh) && run->n_cabin_flows) {
		cab_book_put_str(&b, ws, r, 0, w->ind[4], NULL);
		cab_book_put_num(&b, ws, r++, 1, run->cabin_residual_kwh,
				 b.kwh);
	}
	if (run->n_pots) {
		cab_book_put_str(&b, ws, r, 0, w->ind[5], NULL);
		cab_book_put_num(&b, ws, r++, 1, cab_book_eur(run->pot_cents),
				 b.eur);
	}
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 0, 34, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 1, 11, 17, NULL);
	if (!b.e)
		b.e = worksheet_set_row(ws, head, 45, NULL);
	if (!b.e)
		worksheet_freeze_panes(ws, head + 1, 1);
	cab_book_print_table(&b, ws, true, head);

	/* data: Heure, then consumption and production per season. */
	cab_book_put_str(&b, ds, 0, 0, w->time, b.head);
	for (int s = 0; s < CAB_BOOK_SEASONS; s++) {
		char label[96];
		for (int k = 0; k < 2; k++) {
			snprintf(label, sizeof(label), "%s, %s",
				 k ? w->production : w->consumption,
				 w->seasons[s]);
			cab_book_put_str(&b, ds, 0, (lxw_col_t)(1 + 2 * s + k),
					 label, b.head_num);
		}
	}
	for (int q = 0; q < CAB_DAY_SLOTS; q++) {
		cab_book_put_hhmm(&b, ds, (lxw_row_t)q + 1, 0, q);
		for (int s = 0; s < CAB_BOOK_SEASONS; s++)
			for (int k = 0; k < 2; k++)
				cab_book_put_num(&b, ds, (lxw_row_t)q + 1,
						 (lxw_col_t)(1 + 2 * s + k),
						 day[s][k][q], b.kwh);
	}
	if (!b.e)
		b.e = worksheet_set_column(ds, 1, 8, 16, NULL);

	/* Charts: two average-day line charts, the split of shared energy,
	 * the differences. */
	for (int k = 0; k < 2; k++) {
		lxw_chart *ch = cab_book_chart(&b, LXW_CHART_LINE);
		for (int s = 0; s < CAB_BOOK_SEASONS; s++)
			if (has[s])
				cab_book_add_series(
				    &b, ch, "data", 1, CAB_DAY_SLOTS, 0,
				    (lxw_col_t)(1 + 2 * s + k), w->seasons[s]);
		cab_book_place_chart(&b, cs, (lxw_row_t)(k * 18), 0, ch,
				     k ? w->chart_day_p : w->chart_day_c,
				     w->axis_kwh, 8);
	}
	if (run->n) {
		lxw_chart *pie = cab_book_chart(&b, LXW_CHART_PIE);
		cab_book_add_series(&b, pie, w->sheet, first, last, 0, 4,
				    w->cols[4]);
		cab_book_place_chart(&b, cs, 36, 0, pie, w->chart_shared, NULL,
				     0);
		delta_chart(&b, cs, 54, 0, w->sheet, first, run, order, w, ds);
	}
	cab_book_print_charts(&b, cs, 36,
			      run->n ? 2 : 1); /* two charts a page */
	if (!b.e)
		worksheet_activate(ws);
close:
	st = cab_book_close(&b, path, err);
done:
	free(order);
	free(day);
	return st;
}

const struct cab_report_ops cab_report_community_xlsx = {"community.xlsx",
							 write_community_xlsx};
