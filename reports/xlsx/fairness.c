/*
 * fairness.c — the fairness sheet of community.xlsx and compare.xlsx
 * (SPEC §12) and community.xlsx's recipients sheet (issue 13).
 *
 * Fairness: the title and how to read it; one sentence per run an
 * assembly can read aloud ("3 participants pay more than alone; savings
 * from … to … (median …)", words_fairness.c); whether the Shapley shares
 * are exact or estimated (or how to ask for them); then one row per
 * participant: the Shapley share of each distinct coalition game (runs
 * that change only the key share the base's game: one column), the bill
 * saving (alone − in the run) under each run, and the standard error of
 * sampled shares; a column chart of saving and share per participant,
 * so that one who gains much less than it brings stands out.
 *
 * Recipients: per number k of participants receiving shared energy in a
 * quarter-hour, how many quarter-hours with shared injection had k, and
 * their share; a column chart.
 *
 * Every number is a stored value; workload: one row per participant (or
 * per k), one pass over the period for the recipients.
 */
#include "reports/xlsx/fairness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "reports/xlsx/words.h"

/* Which runs get a share column: the first of each distinct game with
 * Shapley shares; their indices into cols, their count returned. */
static size_t share_columns(const struct cab_run *const *runs,
			    const struct cab_fairness *const *fair,
			    size_t n_runs, size_t *cols)
{
	size_t n = 0;
	for (size_t k = 0; k < n_runs; k++) {
		if (!fair[k] || !fair[k]->has_shapley)
			continue;
		bool is_new = true;
		for (size_t j = 0; j < n && is_new; j++)
			is_new =
			    !cab_fairness_same_game(runs[cols[j]], runs[k]);
		if (is_new)
			cols[n++] = k;
	}
	return n;
}

void cab_xlsx_fairness_sheet(struct cab_book *b, lxw_worksheet *ws,
			     const char *sheet,
			     const struct cab_run *const *runs,
			     const struct cab_fairness *const *fair,
			     size_t n_runs, const size_t *order, int lang)
{
	const struct cab_fairness_words *w = cab_words_fairness(lang);
	const struct cab_run *base = runs[0];
	size_t *cols = malloc((n_runs ? n_runs : 1) * sizeof *cols);
	if (!cols) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	size_t n_share = share_columns(runs, fair, n_runs, cols);
	lxw_row_t r = 0;
	char text[512];
	cab_book_put_str(b, ws, r++, 0, w->title, b->title);
	cab_book_put_str(b, ws, r++, 0, w->legend, b->remark);
	r++;
	cab_book_put_str(b, ws, r, 0, w->scenario, b->head);
	cab_book_put_str(b, ws, r++, 1, w->summary, b->head);
	for (size_t k = 0; k < n_runs; k++, r++) {
		const struct cab_fairness *f = fair[k];
		cab_words_fairness_sentence(
		    lang, f->worse_off, f->min_saving_cents,
		    f->max_saving_cents, f->median_saving_cents, text,
		    sizeof text);
		cab_book_put_str(b, ws, r, 0, cab_report_run_name(runs[k]),
				 b->bold);
		cab_book_put_str(b, ws, r, 1, text, NULL);
	}
	r++;
	bool has_se = false;
	for (size_t j = 0; j < n_share; j++)
		has_se |= !fair[cols[j]]->is_exact;
	if (n_share == 0)
		snprintf(text, sizeof text, "%s", w->no_shapley);
	else if (has_se)
		snprintf(text, sizeof text, w->sampled, fair[cols[0]]->orders);
	else
		snprintf(text, sizeof text, "%s", w->exact);
	cab_book_put_str(b, ws, r++, 0, text, b->remark);
	r++;

	/* The table: participant, shares, savings, (standard error). */
	lxw_row_t head = r;
	lxw_col_t c = 0;
	cab_book_put_str(b, ws, r, c++, w->participant, b->head);
	for (size_t j = 0; j < n_share; j++, c++) {
		if (n_share == 1)
			snprintf(text, sizeof text, "%s", w->share);
		else
			snprintf(text, sizeof text, w->share_of,
				 cab_report_run_name(runs[cols[j]]));
		cab_book_put_str(b, ws, r, c, text, b->head_num);
	}
	for (size_t k = 0; k < n_runs; k++, c++) {
		snprintf(text, sizeof text, w->saving_of,
			 cab_report_run_name(runs[k]));
		cab_book_put_str(b, ws, r, c, text, b->head_num);
	}
	lxw_col_t c_se = c;
	if (has_se)
		cab_book_put_str(b, ws, r, c_se, w->se, b->head_num);
	r++;
	lxw_row_t first = r;
	for (size_t q = 0; q < base->n; q++, r++) {
		size_t i = order[q];
		c = 0;
		cab_book_put_str(b, ws, r, c++, base->sc->participants[i].id,
				 NULL);
		for (size_t j = 0; j < n_share; j++, c++)
			cab_book_put_num(
			    b, ws, r, c,
			    cab_book_eur(
				fair[cols[j]]->member[i].shapley_cents),
			    b->eur);
		for (size_t k = 0; k < n_runs; k++, c++) {
			const struct cab_fairness_member *m =
			    &fair[k]->member[i];
			if (m->has_saving)
				cab_book_put_num(b, ws, r, c,
						 cab_book_eur(m->saving_cents),
						 b->eur);
		}
		if (has_se)
			cab_book_put_num(
			    b, ws, r, c_se,
			    fair[cols[0]]->member[i].shapley_se_eur, b->eur);
	}
	lxw_row_t last = r - 1;
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 20, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, c_se, 16, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, head, 45, NULL);
	cab_book_print_table(b, ws, true, head);

	/* Saving and share side by side per participant. */
	if (!b->e && base->n) {
		lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
		for (lxw_col_t k = 1; k < c_se; k++) {
			char name[256];
			size_t x = k - 1;
			if (x < n_share)
				snprintf(name, sizeof name, "%s",
					 n_share == 1 ? w->share
						      : cab_report_run_name(
							    runs[cols[x]]));
			else
				snprintf(
				    name, sizeof name, w->saving_of,
				    cab_report_run_name(runs[x - n_share]));
			cab_book_add_series(b, ch, sheet, first, last, 0, k,
					    name);
		}
		if (ch && !b->e) {
			chart_title_set_name(ch, w->chart);
			chart_axis_set_name(ch->y_axis, w->axis_eur);
			chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
			lxw_chart_options o = {.x_scale = 3.0, .y_scale = 1.6};
			b->e =
			    worksheet_insert_chart_opt(ws, last + 2, 0, ch, &o);
		}
	}
	free(cols);
}

void cab_xlsx_recipients_sheet(struct cab_book *b, lxw_worksheet *ws,
			       const char *sheet, const struct cab_run *run,
			       int lang)
{
	const struct cab_fairness_words *w = cab_words_fairness(lang);
	size_t *counts = malloc((run->n + 1) * sizeof *counts);
	lxw_format *whole = cab_book_format(b);
	if (!counts || !whole) {
		free(counts);
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	format_set_num_format(whole, "0");
	size_t n_t = cab_fairness_received_histogram(run, counts);
	size_t top = 0;
	for (size_t k = 0; k <= run->n; k++)
		if (counts[k])
			top = k;
	lxw_row_t r = 0;
	cab_book_put_str(b, ws, r++, 0, w->recipients_title, b->title);
	r++;
	lxw_row_t head = r;
	cab_book_put_str(b, ws, r, 0, w->served, b->head);
	cab_book_put_str(b, ws, r, 1, w->intervals, b->head_num);
	cab_book_put_str(b, ws, r++, 2, w->intervals_pct, b->head_num);
	lxw_row_t first = r;
	for (size_t k = 0; k <= top; k++, r++) {
		cab_book_put_num(b, ws, r, 0, (double)k, whole);
		cab_book_put_num(b, ws, r, 1, (double)counts[k], whole);
		cab_book_put_num(b, ws, r, 2,
				 n_t ? (double)counts[k] / (double)n_t : NAN,
				 b->pct);
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 2, 22, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, head, 30, NULL);
	cab_book_print_table(b, ws, false, head);
	if (!b->e && n_t) {
		lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
		cab_book_add_series(b, ch, sheet, first, r - 1, 0, 1,
				    w->intervals);
		cab_book_place_chart(b, ws, head, 4, ch, w->recipients_chart,
				     w->intervals, 0);
	}
	free(counts);
}
