/*
 * compare.c — compare.xlsx (`cabine compare`): the assembly's view of its
 * variants.
 *
 * First sheet: one row per participant (by id) with the bill billed alone,
 * the bill under the base scenario and under each variant, the spread
 * (max − min of those bills) and, per scenario, the difference against
 * billing alone, green when the participant gains and red when it loses
 * (conditional formats, so the colours follow the stored values); a
 * totals row; a clustered column chart of the bills. Then one sheet per
 * run with its volumes, bills and indicators. Every number is a stored
 * value; the creation date is fixed (book.c). Texts in --lang (words.c).
 *
 * Workload: a few variants × up to thousands of participants: one row
 * per participant on each sheet, written once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/report.h"
#include "reports/io.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/fairness.h"
#include "reports/xlsx/words.h"

/* One run's sheet: key and billing mode, one row per participant with
 * volumes, bill, baseline and difference, a totals row, the indicators. */
static void write_run_sheet(struct cab_book *b, lxw_worksheet *ws,
			    const struct cab_run *run, const size_t *order,
			    const struct cab_compare_words *w, int lang)
{
	lxw_row_t r = 0;
	cab_book_put_str(b, ws, r, 0, w->variant, b->bold);
	cab_book_put_str(b, ws, r++, 1, cab_report_run_name(run), NULL);
	char key[256];
	int mode = (int)run->billing.mode;
	/* The key that decides the bills: the pot's billing key (criteria
	 * and their parts) for a pot, else the sharing key. */
	if (mode != CAB_BILLING_POT) {
		snprintf(key, sizeof(key), "%s%s",
			 cab_words_key_name(run->sharing.key, lang),
			 run->sharing.is_until_done ? " (until-done)" : "");
		cab_book_put_str(b, ws, r, 0, w->key, b->bold);
		cab_book_put_str(b, ws, r++, 1, key, NULL);
	} else {
		const char *const *pw = cab_words_pot(lang);
		size_t len = 0;
		key[0] = 0;
		for (int k = 0; k < CAB_CRIT_COUNT && len < sizeof(key); k++)
			if (run->billing.alpha[k] > 0)
				len += (size_t)snprintf(
				    key + len, sizeof(key) - len,
				    "%s%s %.0f %%", len ? ", " : "", pw[3 + k],
				    run->billing.alpha[k] * 100.0);
		cab_book_put_str(b, ws, r, 0, cab_words_billing_key(lang),
				 b->bold);
		cab_book_put_str(b, ws, r++, 1, key, NULL);
	}
	cab_book_put_str(b, ws, r, 0, w->billing, b->bold);
	cab_book_put_str(b, ws, r++, 1,
			 mode >= 0 && mode < 3 ? w->modes[mode] : "?", NULL);
	r++;
	const char *heads[] = {w->participant,	w->col_consumption,
			       w->col_shared,	w->col_complementary,
			       w->col_injected, w->col_bill,
			       w->alone,	w->col_delta};
	for (lxw_col_t c = 0; c < 8; c++)
		cab_book_put_str(b, ws, r, c, heads[c],
				 c ? b->head_num : b->head);
	r++;
	struct cab_volumes sum = {0};
	for (size_t k = 0; k < run->n; k++, r++) {
		size_t i = order[k];
		const struct cab_participant_result *p = &run->p[i];
		cab_book_put_str(b, ws, r, 0, run->sc->participants[i].id,
				 NULL);
		cab_book_put_num(b, ws, r, 1, p->total.consumption_kwh, b->kwh);
		cab_book_put_num(b, ws, r, 2, p->total.shared_kwh, b->kwh);
		cab_book_put_num(b, ws, r, 3, p->total.complementary_kwh,
				 b->kwh);
		cab_book_put_num(b, ws, r, 4, p->total.injected_kwh, b->kwh);
		cab_book_put_num(b, ws, r, 5, cab_book_eur(p->bill.total_cents),
				 b->eur);
		cab_book_put_num(b, ws, r, 6,
				 cab_book_eur(p->baseline.total_cents), b->eur);
		cab_book_put_num(b, ws, r, 7, cab_book_eur(p->delta_cents),
				 b->eur);
		sum.consumption_kwh += p->total.consumption_kwh;
		sum.shared_kwh += p->total.shared_kwh;
		sum.complementary_kwh += p->total.complementary_kwh;
		sum.injected_kwh += p->total.injected_kwh;
	}
	cab_book_put_str(b, ws, r, 0, w->total, b->total_label);
	cab_book_put_num(b, ws, r, 1, sum.consumption_kwh, b->total_kwh);
	cab_book_put_num(b, ws, r, 2, sum.shared_kwh, b->total_kwh);
	cab_book_put_num(b, ws, r, 3, sum.complementary_kwh, b->total_kwh);
	cab_book_put_num(b, ws, r, 4, sum.injected_kwh, b->total_kwh);
	cab_book_put_num(b, ws, r, 5, cab_book_eur(run->total_bill_cents),
			 b->total_eur);
	cab_book_put_num(b, ws, r, 6, cab_book_eur(run->total_baseline_cents),
			 b->total_eur);
	cab_book_put_num(
	    b, ws, r++, 7,
	    cab_book_eur(run->total_bill_cents - run->total_baseline_cents),
	    b->total_eur);
	r++;
	/* A rate is NaN when nothing was shared or consumed: the cell stays
	 * empty rather than showing a made-up 0 %. */
	cab_book_put_str(b, ws, r, 0, w->self_consumption, b->bold);
	cab_book_put_num(b, ws, r++, 1, run->ind.self_consumption_rate, b->pct);
	cab_book_put_str(b, ws, r, 0, w->self_sufficiency, b->bold);
	cab_book_put_num(b, ws, r, 1, run->ind.self_sufficiency_rate, b->pct);
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 34, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 7, 16, NULL);
	cab_book_print_table(b, ws, true, 0);
}

/* The comparison sheet (b->ws): see the block comment above. */
static void write_compare_sheet(struct cab_book *b,
				const struct cab_run *const *runs,
				size_t n_runs, const size_t *order,
				const struct cab_compare_words *w,
				lxw_format *gain, lxw_format *loss)
{
	const struct cab_run *base = runs[0];
	lxw_worksheet *ws = b->ws;
	lxw_row_t r = 0;
	cab_book_put_str(b, ws, r++, 0, w->title, b->title);
	cab_book_put_str(b, ws, r, 0, w->community, b->bold);
	cab_book_put_str(b, ws, r++, 1, base->sc->name ? base->sc->name : "",
			 NULL);
	cab_book_put_str(b, ws, r++, 0, w->legend, NULL);
	r++;
	/* Columns: 0 id, 1 alone, 2..2+n_runs-1 bills, then the spread,
	 * then one difference per run. */
	lxw_col_t c_spread = (lxw_col_t)(2 + n_runs);
	lxw_col_t c_delta = (lxw_col_t)(3 + n_runs);
	lxw_row_t head = r;
	cab_book_put_str(b, ws, r, 0, w->participant, b->head);
	cab_book_put_str(b, ws, r, 1, w->alone, b->head_num);
	for (size_t k = 0; k < n_runs; k++) {
		char label[160];
		snprintf(label, sizeof(label), "%s (%s)",
			 cab_report_run_name(runs[k]), w->axis_eur);
		cab_book_put_str(b, ws, r, (lxw_col_t)(2 + k), label,
				 b->head_num);
		snprintf(label, sizeof(label), w->vs_alone,
			 cab_report_run_name(runs[k]));
		cab_book_put_str(b, ws, r, (lxw_col_t)(c_delta + k), label,
				 b->head_num);
	}
	cab_book_put_str(b, ws, r++, c_spread, w->spread, b->head_num);
	lxw_row_t first = r;
	for (size_t k = 0; k < base->n; k++, r++) {
		size_t i = order[k];
		/* The baseline does not depend on the variant: the base's. */
		int64_t alone = base->p[i].baseline.total_cents;
		cab_book_put_str(b, ws, r, 0, base->sc->participants[i].id,
				 NULL);
		cab_book_put_num(b, ws, r, 1, cab_book_eur(alone), b->eur);
		int64_t lo = 0, hi = 0;
		for (size_t v = 0; v < n_runs; v++) {
			int64_t bill = runs[v]->p[i].bill.total_cents;
			lo = v == 0 || bill < lo ? bill : lo;
			hi = v == 0 || bill > hi ? bill : hi;
			cab_book_put_num(b, ws, r, (lxw_col_t)(2 + v),
					 cab_book_eur(bill), b->eur);
			cab_book_put_num(b, ws, r, (lxw_col_t)(c_delta + v),
					 cab_book_eur(bill - alone), b->eur);
		}
		cab_book_put_num(b, ws, r, c_spread, cab_book_eur(hi - lo),
				 b->eur);
	}
	lxw_row_t last = r - 1;
	cab_book_put_str(b, ws, r, 0, w->total, b->total_label);
	cab_book_put_num(b, ws, r, 1, cab_book_eur(base->total_baseline_cents),
			 b->total_eur);
	int64_t lo = 0, hi = 0;
	for (size_t v = 0; v < n_runs; v++) {
		int64_t bill = runs[v]->total_bill_cents;
		lo = v == 0 || bill < lo ? bill : lo;
		hi = v == 0 || bill > hi ? bill : hi;
		cab_book_put_num(b, ws, r, (lxw_col_t)(2 + v),
				 cab_book_eur(bill), b->total_eur);
		cab_book_put_num(
		    b, ws, r, (lxw_col_t)(c_delta + v),
		    cab_book_eur(bill - base->total_baseline_cents),
		    b->total_eur);
	}
	cab_book_put_num(b, ws, r, c_spread, cab_book_eur(hi - lo),
			 b->total_eur);
	lxw_row_t totals = r;

	/* Gains in green, losses in red: on the differences (cell < 0 or
	 * > 0) and on the bills themselves (compared with column B). */
	if (!b->e && base->n) {
		lxw_col_t c_last = (lxw_col_t)(c_delta + n_runs - 1);
		cab_book_highlight_sign(b, ws, first, c_delta, totals, c_last,
					gain, loss);
		char rule[64];
		lxw_conditional_format ff = {0};
		ff.type = LXW_CONDITIONAL_TYPE_FORMULA;
		snprintf(rule, sizeof(rule), "=C%u<$B%u", (unsigned)first + 1,
			 (unsigned)first + 1);
		ff.value_string = rule;
		ff.format = gain;
		cab_book_note(
		    b, worksheet_conditional_format_range(
			   ws, first, 2, totals, (lxw_col_t)(1 + n_runs), &ff));
		snprintf(rule, sizeof(rule), "=C%u>$B%u", (unsigned)first + 1,
			 (unsigned)first + 1);
		ff.format = loss;
		cab_book_note(
		    b, worksheet_conditional_format_range(
			   ws, first, 2, totals, (lxw_col_t)(1 + n_runs), &ff));
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 20, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, c_delta + (lxw_col_t)n_runs,
					    15, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, head, 45, NULL);
	worksheet_freeze_panes(ws, head + 1, 1);
	cab_book_print_table(b, ws, true, head);

	/* Clustered columns: one category per participant, one series for
	 * billing alone and one per scenario. */
	if (b->e || !base->n)
		return;
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
	if (!ch)
		return;
	for (size_t v = 0; v <= n_runs; v++)
		cab_book_add_series(
		    b, ch, w->sheet, first, last, 0, (lxw_col_t)(1 + v),
		    v ? cab_report_run_name(runs[v - 1]) : w->alone);
	chart_title_set_name(ch, w->chart);
	chart_axis_set_name(ch->y_axis, w->axis_eur);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	/* One bar per participant and scenario: as wide as the table, or
	 * the bars are too thin to read. */
	lxw_chart_options o = {.x_scale = 3.0, .y_scale = 1.6};
	if (!b->e)
		b->e = worksheet_insert_chart_opt(ws, totals + 2, 0, ch, &o);
}

static enum cab_status write_compare_xlsx(const struct cab_run *const *runs,
					  size_t n_runs,
					  const struct cab_report_opts *opts,
					  const char *dir, struct cab_err *err)
{
	const struct cab_compare_words *w =
	    cab_words_compare(cab_book_lang(opts));
	char path[4096];
	struct cab_book b;
	size_t *order = cab_report_order_by_id(runs[0]);
	const char **taken = calloc(n_runs + 2, sizeof(*taken));
	char(*names)[CAB_BOOK_SHEET_BUF] = calloc(n_runs + 1, sizeof(*names));
	struct cab_fairness **owned = calloc(n_runs, sizeof(*owned));
	const struct cab_fairness **fair = calloc(n_runs, sizeof(*fair));
	enum cab_status st = CAB_OK;
	for (size_t k = 0; fair && owned && k < n_runs; k++)
		if (!(fair[k] = cab_report_fairness(runs[k], opts, k, &owned[k],
						    err)))
			st = CAB_ENOMEM;
	if (!order || !taken || !names || !owned || !fair || st != CAB_OK) {
		st = cab_err_add(err, CAB_ENOMEM,
				 "%s/compare.xlsx: out of memory", dir);
		goto done;
	}
	st = cab_book_open(&b, dir, "compare.xlsx", w->title, NULL, path,
			   sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *gain, *loss;
	cab_book_gain_loss(&b, &gain, &loss);
	b.ws = cab_book_sheet(&b, w->sheet);
	taken[0] = w->sheet;
	for (size_t k = 0; k < n_runs && !b.e; k++) {
		cab_book_sheet_name(cab_report_run_name(runs[k]), taken, k + 1,
				    names[k], sizeof(names[k]));
		taken[k + 1] = names[k];
		lxw_worksheet *ws = cab_book_sheet(&b, names[k]);
		if (ws)
			write_run_sheet(&b, ws, runs[k], order, w,
					cab_book_lang(opts));
	}
	if (!b.e)
		write_compare_sheet(&b, runs, n_runs, order, w, gain, loss);
	/* The fairness sheet last, so that the run sheets keep their
	 * places. */
	if (!b.e) {
		const char *fname =
		    cab_words_fairness(cab_book_lang(opts))->sheet;
		cab_book_sheet_name(fname, taken, n_runs + 1, names[n_runs],
				    sizeof(names[n_runs]));
		lxw_worksheet *fs = cab_book_sheet(&b, names[n_runs]);
		if (fs)
			cab_xlsx_fairness_sheet(&b, fs, names[n_runs], runs,
						fair, n_runs, order,
						cab_book_lang(opts));
	}
	if (!b.e)
		worksheet_activate(b.ws);
	st = cab_book_close(&b, path, err);
done:
	for (size_t k = 0; owned && k < n_runs; k++)
		cab_fairness_free(owned[k]);
	free(owned);
	free(fair);
	free(order);
	free(taken);
	free(names);
	return st;
}

const struct cab_report_compare_ops cab_report_compare_xlsx = {
    "compare.xlsx", write_compare_xlsx};
