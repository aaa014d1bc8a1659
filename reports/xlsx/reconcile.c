/*
 * reconcile.c — reconcile.xlsx (`cabine reconcile`, SPEC §13): what a
 * facilitator reads when the operator's files are set beside the
 * simulation, in --lang (default French).
 *
 * Sheets: (1) the findings as sentences, in the order to read them (who
 * is missing, which key the operator applied, what is odd in its data,
 * how many values differ), then the keys tried on the operator's
 * volumes and how well each fits; (2) the months: every participant,
 * month and quantity with the simulated and the operator's value, the
 * difference and where the operator's value comes from, and a chart of
 * the shared energy received, simulation beside operator; (3) with the
 * quarter-hour file, the timeline of the quarter-hours that differ (Σ
 * of the members' |differences| in shared energy, and shared offtake −
 * shared injection, per quarter-hour) charted, and the quarter-hours
 * that differ, member by member.
 *
 * The findings and numbers are the engine's (engine/analyse/
 * reconcile.c); this writer only words and lays them out (words in
 * words_operator.c). Numbers are stored values.
 *
 * Workload: a few hundred cells, the timeline one row per quarter-hour
 * of the period (35,040 for a year) and at most 20,000 detail rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/reconcile.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* What every function of the writer reads. */
struct ctx {
	const struct cab_run *run;
	const struct cab_reconcile *r;
	const struct cab_reconcile_words *w;
	const char *const *months; /* month names of the language */
	struct cab_book *b;
	int lang;
	lxw_format *wrap;
	lxw_format *rate;
};

/* v with `decimals` decimals in the language's notation. */
static const char *num(const struct ctx *c, double v, int decimals, char *buf,
		       size_t size)
{
	snprintf(buf, size, "%.*f", decimals, v);
	char *dot = strchr(buf, '.');
	if (dot && c->w->decimal[0] != '.')
		*dot = c->w->decimal[0];
	return buf;
}

static const char *month_name(const struct ctx *c, long m, char *buf,
			      size_t size)
{
	if (m < 0 || (size_t)m >= c->run->n_months) {
		snprintf(buf, size, "?");
		return buf;
	}
	const struct cab_month *mo = &c->run->months[m];
	snprintf(buf, size, "%s %04d", c->months[(mo->month + 11) % 12],
		 mo->year);
	return buf;
}

/* "27/10/2024 02:15", with the offset on the autumn day's repeated hour. */
static void local_time(int64_t t, char *buf, size_t size)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	int64_t wall =
	    cab_time_days_from_civil(c.year, c.month, c.day) * 86400 +
	    c.hour * 3600 + c.minute * 60;
	int64_t cand[2];
	bool is_twice = cab_time_local_candidates(wall, cand) == 2;
	snprintf(buf, size, "%02d/%02d/%04d %02d:%02d%s", c.day, c.month,
		 c.year, c.hour, c.minute,
		 !is_twice	      ? ""
		 : c.offset_s == 7200 ? " (UTC+2)"
				      : " (UTC+1)");
}

/* A key tried, in words: "fixe jusqu'à épuisement, poids ajustés". */
static void key_label(const struct ctx *c, const struct cab_key_fit *f,
		      char *buf, size_t size)
{
	static const char *const reg[5] = {"fixed", "proportional", "hybrid",
					   "priority", "optimal"};
	const char *name = f->key;
	for (int k = 0; k < 5; k++)
		if (!strcmp(f->key, reg[k]))
			name = c->w->key_names[k];
	bool is_fixed = !strcmp(f->key, "fixed");
	bool has_weights = is_fixed || !strcmp(f->key, "hybrid");
	snprintf(buf, size, "%s%s%s%s%s", name,
		 is_fixed && f->is_until_done ? " " : "",
		 is_fixed && f->is_until_done ? c->w->until_done : "",
		 has_weights && (f->is_fitted || f->is_equal) ? ", " : "",
		 !has_weights	? ""
		 : f->is_fitted ? c->w->fitted
		 : f->is_equal	? c->w->equal
				: "");
}

/* The fitted weights as "h01 0,30 ; h02 0,20". */
static void weights_text(const struct ctx *c, const struct cab_key_fit *f,
			 char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; f->weights && i < c->run->n && n + 1 < size; i++) {
		if (!(f->weights[i] > 0))
			continue;
		char v[32];
		int w = snprintf(buf + n, size - n, "%s%s %s", n ? "; " : "",
				 c->run->sc->participants[i].id,
				 num(c, f->weights[i], 3, v, sizeof v));
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static const char *who(const struct ctx *c, long i)
{
	return i >= 0 ? c->run->sc->participants[i].id : "";
}

/* One finding as a sentence into buf. */
static void sentence(const struct ctx *c, const struct cab_finding *f,
		     char *buf, size_t size)
{
	const struct cab_reconcile_words *w = c->w;
	const struct cab_participant *pa =
	    f->participant >= 0 ? &c->run->sc->participants[f->participant]
				: NULL;
	char m[48], a[48], b2[48], d[112], k1[160], k2[160];
	switch (f->kind) {
	case CAB_FIND_AGREE:
		snprintf(buf, size, "%s", w->agree);
		break;
	case CAB_FIND_ABSENT: {
		const char *file =
		    w->files_of[f->source == CAB_RSRC_QUARTERS ? 1 : 0];
		if (f->count == 0)
			snprintf(buf, size, w->absent_all, pa->id, pa->ean,
				 file);
		else
			snprintf(buf, size, w->absent_some, pa->id, pa->ean,
				 file, f->count, c->r->n_months);
		break;
	}
	case CAB_FIND_NO_EAN:
		snprintf(buf, size, w->no_ean, pa->id);
		break;
	case CAB_FIND_LATE_START: {
		struct cab_civil cv;
		cab_time_to_local(f->t_s, &cv);
		snprintf(d, sizeof d, "%02d/%02d/%04d", cv.day, cv.month,
			 cv.year);
		snprintf(buf, size, w->late, pa->id, d);
		break;
	}
	case CAB_FIND_KEY: {
		const struct cab_key_fit *best = &c->r->fits[f->fit];
		const struct cab_key_fit *mine = &c->r->fits[0];
		key_label(c, best, k1, sizeof k1);
		key_label(c, mine, k2, sizeof k2);
		if (f->fit == 0)
			snprintf(
			    buf, size, w->key_same, k2,
			    num(c, 100 * mine->differ_rate, 1, a, sizeof a));
		else
			snprintf(
			    buf, size, w->key_other, k1,
			    num(c, 100 * best->differ_rate, 1, a, sizeof a), k2,
			    num(c, 100 * mine->differ_rate, 1, b2, sizeof b2));
		break;
	}
	case CAB_FIND_UNBALANCED:
		if (f->month >= 0) {
			snprintf(buf, size, w->unbalanced_month,
				 month_name(c, f->month, m, sizeof m),
				 num(c, f->a, 3, a, sizeof a),
				 num(c, f->b, 3, b2, sizeof b2));
			break;
		}
		local_time(f->t_s, d, sizeof d);
		snprintf(buf, size, w->unbalanced, f->count,
			 num(c, f->a, 3, a, sizeof a),
			 num(c, fabs(f->b), 3, b2, sizeof b2), d);
		break;
	case CAB_FIND_GRIDFEE:
		snprintf(buf, size, w->gridfee,
			 month_name(c, f->month, m, sizeof m), pa->id,
			 num(c, f->a, 2, a, sizeof a),
			 num(c, f->b, 2, b2, sizeof b2));
		break;
	case CAB_FIND_FILES_DISAGREE:
		snprintf(buf, size, w->files,
			 month_name(c, f->month, m, sizeof m), pa->id,
			 w->quantities[f->q], num(c, f->a, 3, a, sizeof a),
			 num(c, f->b, 3, b2, sizeof b2));
		break;
	case CAB_FIND_PARTIAL_MONTH:
		snprintf(buf, size, w->partial,
			 month_name(c, f->month, m, sizeof m));
		break;
	case CAB_FIND_DIFFERENCES:
		snprintf(
		    d, sizeof d, "%s %s",
		    num(c, f->a, f->q == CAB_RQ_GRIDFEE ? 2 : 3, a, sizeof a),
		    f->q == CAB_RQ_GRIDFEE ? "€" : "kWh");
		snprintf(buf, size, w->differences, w->quantities[f->q],
			 f->count, d, who(c, f->participant),
			 month_name(c, f->month, m, sizeof m));
		break;
	}
}

/* Sheet 1: the findings, then the keys tried. */
static void write_findings(struct ctx *c, lxw_worksheet *ws, const char *db)
{
	struct cab_book *b = c->b;
	const struct cab_scenario *sc = c->run->sc;
	char text[1200], period[96];
	lxw_row_t r = 0;
	cab_book_put_str(b, ws, r++, 1, c->w->title, b->title);
	r++;
	cab_book_period(sc, cab_words_invoice(c->lang)->period_fmt, period,
			sizeof period);
	const char *head[3][2] = {{c->w->community, sc->name},
				  {c->w->period, period},
				  {c->w->store, db}};
	for (int k = 0; k < 3; k++) {
		snprintf(text, sizeof text, "%s : %s", head[k][0], head[k][1]);
		if (c->lang != CAB_LANG_FR) /* no space before ':' */
			snprintf(text, sizeof text, "%s: %s", head[k][0],
				 head[k][1]);
		cab_book_put_str(b, ws, r++, 1, text, NULL);
	}
	r++;
	cab_book_put_str(b, ws, r++, 1, c->w->findings, b->bold);
	for (size_t k = 0; k < c->r->n_findings; k++) {
		sentence(c, &c->r->findings[k], text, sizeof text);
		char n[32];
		snprintf(n, sizeof n, "%zu.", k + 1);
		cab_book_put_str(b, ws, r, 0, n, c->wrap);
		cab_book_put_str(b, ws, r, 1, text, c->wrap);
		/* Tall enough for the sentence in a column of ~110 chars. */
		double lines = ceil((double)strlen(text) / 110.0);
		if (!b->e && lines > 1)
			b->e = worksheet_set_row(ws, r, 15 * lines, NULL);
		r++;
	}
	if (c->r->n_fits) {
		r++;
		cab_book_put_str(b, ws, r++, 1, c->w->keys, b->bold);
		for (int k = 0; k < 3; k++)
			cab_book_put_str(b, ws, r, (lxw_col_t)(k + 1),
					 c->w->key_cols[k],
					 k == 1 ? b->head_num : b->head);
		r++;
		for (size_t k = 0; k < c->r->n_fits; k++, r++) {
			const struct cab_key_fit *f = &c->r->fits[k];
			char label[200];
			key_label(c, f, text, sizeof text);
			snprintf(label, sizeof label, "%s%s%s", text,
				 f->is_scenario ? " " : "",
				 f->is_scenario ? c->w->scenario : "");
			cab_book_put_str(b, ws, r, 1, label,
					 f->is_scenario ? b->bold : NULL);
			cab_book_put_num(b, ws, r, 2, f->differ_rate, c->rate);
			weights_text(c, f, text, sizeof text);
			cab_book_put_str(b, ws, r, 3, text, NULL);
		}
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 5, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 1, 110, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 2, 2, 16, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 3, 3, 50, NULL);
	cab_book_print_table(b, ws, true, 0);
}

/* Sheet 2: the months, and the chart of shared energy received. */
static void write_months(struct ctx *c, lxw_worksheet *ws)
{
	struct cab_book *b = c->b;
	const struct cab_reconcile *r = c->r;
	size_t *order = cab_report_order_by_id(c->run);
	if (!order) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (int k = 0; k < 8; k++)
		cab_book_put_str(b, ws, 0, (lxw_col_t)k, c->w->month_cols[k],
				 k >= 4 && k <= 6 ? b->head_num : b->head);
	/* The chart's data, right of the table: label, simulated, operator. */
	const lxw_col_t cd = 9;
	cab_book_put_str(b, ws, 0, cd, c->w->month_cols[0], b->head);
	cab_book_put_str(b, ws, 0, cd + 1, c->w->month_cols[4], b->head_num);
	cab_book_put_str(b, ws, 0, cd + 2, c->w->month_cols[5], b->head_num);
	lxw_row_t row = 1, crow = 1;
	char m[48], label[160];
	for (size_t mi = 0; mi < r->n_months; mi++) {
		for (size_t k = 0; k < r->n; k++) {
			size_t i = order[k];
			const struct cab_participant *pa =
			    &c->run->sc->participants[i];
			month_name(c, (long)mi, m, sizeof m);
			for (int q = 0; q < CAB_RQ_COUNT; q++, row++) {
				const struct cab_rcell *x = cab_reconcile_cell(
				    r, i, mi, (enum cab_rq)q);
				lxw_format *f =
				    q == CAB_RQ_GRIDFEE ? b->eur : b->kwh;
				cab_book_put_str(b, ws, row, 0, pa->id, NULL);
				cab_book_put_str(b, ws, row, 1,
						 pa->ean ? pa->ean : "", NULL);
				cab_book_put_str(b, ws, row, 2, m, NULL);
				cab_book_put_str(b, ws, row, 3,
						 c->w->quantities[q], NULL);
				cab_book_put_num(b, ws, row, 4, x->simulated,
						 f);
				cab_book_put_num(b, ws, row, 5,
						 x->operator_value, f);
				cab_book_put_num(
				    b, ws, row, 6,
				    x->operator_value - x->simulated, f);
				cab_book_put_str(b, ws, row, 7,
						 c->w->sources[x->source],
						 NULL);
			}
			const struct cab_rcell *s =
			    cab_reconcile_cell(r, i, mi, CAB_RQ_SHARED);
			if (s->source == CAB_RSRC_NONE)
				continue;
			snprintf(label, sizeof label, "%s %s", pa->id, m);
			cab_book_put_str(b, ws, crow, cd, label, NULL);
			cab_book_put_num(b, ws, crow, cd + 1, s->simulated,
					 b->kwh);
			cab_book_put_num(b, ws, crow++, cd + 2,
					 s->operator_value, b->kwh);
		}
	}
	free(order);
	if (crow > 1) {
		lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
		const char *sheet = c->w->sheet_months;
		cab_book_add_series(b, ch, sheet, 1, crow - 1, cd, cd + 1,
				    c->w->month_cols[4]);
		cab_book_add_series(b, ch, sheet, 1, crow - 1, cd, cd + 2,
				    c->w->month_cols[5]);
		cab_book_place_chart(b, ws, crow + 1, cd, ch,
				     c->w->chart_months, c->w->axis_kwh, 0);
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 14, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 1, 20, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 2, 3, 22, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 4, 6, 13, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 7, 7, 22, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, cd, cd, 22, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, cd + 1, cd + 2, 13, NULL);
	if (!b->e)
		worksheet_freeze_panes(ws, 1, 0);
	cab_book_print_table(b, ws, true, 0);
}

/* Sheet 3: the timeline and the quarter-hours that differ. */
static void write_quarters(struct ctx *c, lxw_worksheet *ws)
{
	struct cab_book *b = c->b;
	const struct cab_reconcile *r = c->r;
	const struct cab_run *run = c->run;
	char t[48];
	for (int k = 0; k < 3; k++)
		cab_book_put_str(b, ws, 0, (lxw_col_t)k, c->w->timeline_cols[k],
				 k ? b->head_num : b->head);
	for (size_t i = 0; i < run->n_intervals; i++) {
		local_time(run->t0_s + (int64_t)i * CAB_INTERVAL_S, t,
			   sizeof t);
		cab_book_put_str(b, ws, (lxw_row_t)i + 1, 0, t, NULL);
		cab_book_put_num(b, ws, (lxw_row_t)i + 1, 1,
				 r->qh_differ_kwh[i], b->kwh);
		cab_book_put_num(b, ws, (lxw_row_t)i + 1, 2,
				 r->qh_imbalance_kwh[i], b->kwh);
	}
	const lxw_col_t cq = 4;
	for (int k = 0; k < 6; k++)
		cab_book_put_str(b, ws, 0, (lxw_col_t)(cq + k),
				 c->w->quarter_cols[k],
				 k >= 3 ? b->head_num : b->head);
	for (size_t k = 0; k < r->n_quarters; k++) {
		const struct cab_rquarter *q = &r->quarters[k];
		lxw_row_t row = (lxw_row_t)k + 1;
		local_time(run->t0_s + (int64_t)q->t * CAB_INTERVAL_S, t,
			   sizeof t);
		cab_book_put_str(b, ws, row, cq, t, NULL);
		cab_book_put_str(b, ws, row, cq + 1,
				 run->sc->participants[q->participant].id,
				 NULL);
		cab_book_put_str(b, ws, row, cq + 2, c->w->quantities[q->q],
				 NULL);
		cab_book_put_num(b, ws, row, cq + 3, q->simulated, b->kwh);
		cab_book_put_num(b, ws, row, cq + 4, q->operator_value, b->kwh);
		cab_book_put_num(b, ws, row, cq + 5,
				 q->operator_value - q->simulated, b->kwh);
	}
	if (r->n_quarters < r->n_quarters_all) {
		char note[200];
		snprintf(note, sizeof note, c->w->truncated, r->n_quarters,
			 r->n_quarters_all);
		cab_book_put_str(b, ws, (lxw_row_t)r->n_quarters + 2, cq, note,
				 b->remark);
	}
	if (run->n_intervals) {
		lxw_chart *ch = cab_book_chart(b, LXW_CHART_LINE);
		const char *sheet = c->w->sheet_quarters;
		lxw_row_t last = (lxw_row_t)run->n_intervals;
		cab_book_add_series(b, ch, sheet, 1, last, 0, 1,
				    c->w->timeline_cols[1]);
		cab_book_add_series(b, ch, sheet, 1, last, 0, 2,
				    c->w->timeline_cols[2]);
		/* A label a day: 96 quarter-hours. */
		cab_book_place_chart(b, ws, 1, cq + 7, ch, c->w->chart_quarters,
				     c->w->axis_kwh, 96 * 7);
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 24, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 2, 18, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, cq, cq, 24, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, cq + 1, cq + 2, 22, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, cq + 3, cq + 5, 16, NULL);
	if (!b->e)
		worksheet_freeze_panes(ws, 1, 0);
	cab_book_print_table(b, ws, true, 0);
}

static enum cab_status write_reconcile_xlsx(const struct cab_run *run,
					    const struct cab_report_opts *opts,
					    const char *dir,
					    struct cab_err *err)
{
	const struct cab_reconcile *r = opts ? opts->reconcile : NULL;
	if (!r)
		return CAB_OK;
	int lang = cab_book_lang(opts);
	struct cab_book b;
	char path[4096];
	struct ctx c = {.run = run,
			.r = r,
			.w = cab_words_reconcile(lang),
			.months = cab_words_invoice(lang)->months,
			.b = &b,
			.lang = lang};
	enum cab_status st =
	    cab_book_open(&b, dir, "reconcile.xlsx", c.w->title, NULL, path,
			  sizeof path, err);
	if (st != CAB_OK)
		return st;
	c.wrap = cab_book_format(&b);
	c.rate = cab_book_format(&b);
	if (c.wrap) {
		format_set_text_wrap(c.wrap);
		format_set_align(c.wrap, LXW_ALIGN_VERTICAL_TOP);
	}
	if (c.rate)
		format_set_num_format(c.rate, "0.0%");
	lxw_worksheet *f = cab_book_sheet(&b, c.w->sheet_findings);
	lxw_worksheet *m = cab_book_sheet(&b, c.w->sheet_months);
	lxw_worksheet *q =
	    r->op->has_15min ? cab_book_sheet(&b, c.w->sheet_quarters) : NULL;
	if (!b.e) {
		write_findings(&c, f, r->db_path ? r->db_path : "");
		write_months(&c, m);
		if (q)
			write_quarters(&c, q);
		worksheet_activate(f);
	}
	return cab_book_close(&b, path, err);
}

const struct cab_report_ops cab_report_reconcile_xlsx = {"reconcile.xlsx",
							 write_reconcile_xlsx};
