/*
 * invoice.c — invoices/<participant>.xlsx: one workbook per participant,
 * in its language (SPEC §8); its texts are in words.c, the workbook
 * toolkit in book.c.
 *
 * Why a workbook: the invoice is what a household reads and prints. The
 * first sheet holds the bill (lines, total, the baseline billed alone and
 * the difference), then the monthly volumes and two charts: the months'
 * volumes, and the participant's average day (96 quarter-hours of mean
 * consumption, production and shared energy, by local time of day). The
 * average day is written as values on a second sheet "data" that the
 * chart references.
 *
 * Reproducible output: the creation date is fixed (book.c) so that
 * identical inputs give identical bytes; every number is a stored value
 * (no formula), so a viewer that does not recalculate shows it.
 *
 * Workload: one workbook per participant, up to ~10,000 of them; the
 * average day reads each participant's three interval series once
 * (35 040 values each for a year), the rest is a few dozen cells. The
 * workbook is closed in memory (reports/xlsx/pack.c: ~1 ms of CPU, about
 * a tenth of it this average day) and the invoices are shared among
 * --jobs worker processes (engine/base/pool.c), which take the next
 * participant from a shared counter; `cabine run` starts them before its
 * other reports (docs/PERFORMANCE.md).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/curves.h"
#include "cabine/report.h"
#include "engine/billing/bill.h"
#include "reports/workers.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* billing.invoice (SPEC §13): the issuer's block, the document's number,
 * dates and structured communication (engine/billing/invoice_doc.c), from
 * row r; returns the next free row. Nothing without billing.invoice. */
static lxw_row_t write_document(struct cab_book *b, const struct cab_run *run,
				size_t i, int lang, lxw_row_t r)
{
	const struct cab_invoice_doc *d = &run->p[i].doc;
	const struct cab_invoice_cfg *cfg = &run->billing.invoice;
	if (!d->is_set)
		return r;
	const struct cab_invoice_doc_words *w = cab_words_invoice_doc(lang);
	const char *issuer[3] = {cfg->issuer_name, cfg->issuer_address,
				 cfg->issuer_email};
	for (int k = 0; k < 3; k++)
		if (issuer[k])
			cab_book_put_str(b, b->ws, r++, 0, issuer[k],
					 k ? NULL : b->bold);
	char date[3][16];
	snprintf(date[0], sizeof date[0], "%02d/%02d/%04d", d->issue_d,
		 d->issue_m, d->issue_y);
	snprintf(date[1], sizeof date[1], "%02d/%02d/%04d", d->due_d, d->due_m,
		 d->due_y);
	const char *rows[6][2] = {
	    {w->vat_number, cfg->issuer_vat_number},
	    {d->is_statement ? w->statement : w->invoice, d->number},
	    {w->issue, date[0]},
	    {w->due, d->is_statement ? NULL : date[1]},
	    {d->is_statement ? w->paid_by : w->pay_to, cfg->issuer_iban},
	    {w->communication, d->communication}};
	for (int k = 0; k < 6; k++) {
		if (!rows[k][1] || (d->is_statement && k == 4))
			continue;
		cab_book_put_str(b, b->ws, r, 0, rows[k][0], b->bold);
		cab_book_put_str(b, b->ws, r++, 1, rows[k][1], NULL);
	}
	return r + 1;
}

/* Header: title, community, participant, period, variant. Returns the
 * next free row. */
static lxw_row_t write_header(struct cab_book *b, const struct cab_run *run,
			      size_t i, int lang,
			      const struct cab_invoice_words *w)
{
	const struct cab_scenario *sc = run->sc;
	lxw_row_t r = 0;
	cab_book_put_str(b, b->ws, r++, 0,
			 run->p[i].doc.is_statement
			     ? cab_words_invoice_doc(lang)->statement_title
			     : w->title,
			 b->title);
	r++;
	r = write_document(b, run, i, lang, r);
	cab_book_put_str(b, b->ws, r, 0, w->community, b->bold);
	cab_book_put_str(b, b->ws, r++, 1, sc->name ? sc->name : "", NULL);
	const struct cab_participant *pa = &sc->participants[i];
	if (pa->name) {
		cab_book_put_str(b, b->ws, r, 0, w->name, b->bold);
		cab_book_put_str(b, b->ws, r++, 1, pa->name, NULL);
	}
	if (pa->address) {
		cab_book_put_str(b, b->ws, r, 0, w->address, b->bold);
		cab_book_put_str(b, b->ws, r++, 1, pa->address, NULL);
	}
	cab_book_put_str(b, b->ws, r, 0, w->participant, b->bold);
	cab_book_put_str(b, b->ws, r++, 1, pa->id, NULL);

	char period[96];
	cab_book_period(sc, w->period_fmt, period, sizeof(period));
	cab_book_put_str(b, b->ws, r, 0, w->period, b->bold);
	cab_book_put_str(b, b->ws, r++, 1, period, NULL);
	if (run->variant) {
		cab_book_put_str(b, b->ws, r, 0, w->variant, b->bold);
		cab_book_put_str(b, b->ws, r++, 1, run->variant, NULL);
	}
	return r + 1;
}

/* cents as "736,97" (or "736.97"): amounts inside a sentence, where a
 * cell format cannot apply. */
static void eur_text(int64_t cents, char decimal, char *buf, size_t size)
{
	uint64_t a =
	    cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(buf, size, "%s%llu%c%02llu", cents < 0 ? "-" : "",
		 (unsigned long long)(a / 100), decimal,
		 (unsigned long long)(a % 100));
}

/* x with `digits` decimals and the language's separator ("0,25"). */
static void num_text(double x, int digits, char decimal, char *buf, size_t size)
{
	snprintf(buf, size, "%.*f", digits, x);
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = decimal;
}

/* For a member of a common pot: the pot, the key (each criterion's part
 * α and the member's weight under it, w_i^k / Σ_j w_j^k), its weight and
 * its final share, and the cap or floor that made the share differ from
 * weight × pot, so a household sees why it pays what it pays. Returns the
 * row after the block. */
static lxw_row_t write_pot_key(struct cab_book *b, const struct cab_run *run,
			       const struct cab_participant_result *p, int lang,
			       const struct cab_invoice_words *w, lxw_row_t r)
{
	if (p->pot < 0 || (size_t)p->pot >= run->n_pots)
		return r;
	int64_t pot_cents = run->pots[p->pot].total_cents;
	const char *const *pw = cab_words_pot(lang);
	/* Shares need two decimals (34.29 %, not 34 %); one workbook has
	 * one invoice, so this format is made once per workbook. */
	lxw_format *pct2 = cab_book_format(b);
	if (!pct2)
		return r;
	format_set_num_format(pct2, "0.00%");
	cab_book_put_str(b, b->ws, r++, 0, pw[0], b->bold);
	cab_book_put_str(b, b->ws, r, 0, w->pot_total, NULL);
	cab_book_put_num(b, b->ws, r++, 3, (double)pot_cents / 100.0, b->eur);
	for (int k = 0; k < CAB_CRIT_COUNT; k++) {
		if (isnan(p->key[k]))
			continue;
		char label[160], a[16];
		num_text(run->billing.alpha[k] * 100.0, 0, w->decimal, a,
			 sizeof(a));
		snprintf(label, sizeof(label), w->pot_alpha, pw[3 + k], a);
		cab_book_put_str(b, b->ws, r, 0, label, NULL);
		cab_book_put_num(b, b->ws, r++, 3, p->key[k], pct2);
	}
	cab_book_put_str(b, b->ws, r, 0, pw[2], NULL);
	cab_book_put_num(b, b->ws, r++, 3, p->pot_weight, pct2);
	if (pot_cents != 0) {
		cab_book_put_str(b, b->ws, r, 0, pw[1], b->bold);
		cab_book_put_num(
		    b, b->ws, r++, 3,
		    (double)p->bill.total_cents / (double)pot_cents, pct2);
	}
	/* Why the share is not weight × pot: its own bound, or the bounds
	 * of others re-split by weight (SPEC §3). A cent is rounding. */
	char text[400], x[32], y[32];
	double by_weight = (double)pot_cents * p->pot_weight;
	double diff = (double)p->bill.total_cents - by_weight;
	if (p->pot_bound > 0 && p->pot_bound_price >= 0) {
		eur_text(p->pot_bound_cents, w->decimal, x, sizeof(x));
		num_text(p->pot_bound_price, 4, w->decimal, y, sizeof(y));
		snprintf(text, sizeof(text), w->cap_price, x, y);
	} else if (p->pot_bound > 0) {
		eur_text(p->pot_bound_cents, w->decimal, x, sizeof(x));
		snprintf(text, sizeof(text), w->cap, x);
	} else if (p->pot_bound < 0) {
		eur_text(p->pot_bound_cents, w->decimal, x, sizeof(x));
		snprintf(text, sizeof(text), w->floor, x);
	} else if (diff > 1.0) {
		snprintf(text, sizeof(text), "%s", w->others_caps);
	} else if (diff < -1.0) {
		snprintf(text, sizeof(text), "%s", w->others_floors);
	} else {
		text[0] = 0;
	}
	if (text[0])
		cab_book_put_str(b, b->ws, r++, 0, text, b->remark);
	return r + 1;
}

/* n with its digits grouped by three ("35 136", "35.136", "35,136"). */
static void group_digits(size_t n, const char *sep, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%zu", n);
	size_t out = 0, seplen = strlen(sep);
	for (int i = 0; i < len && out + seplen + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			memcpy(buf + out, sep, seplen);
			out += seplen;
		}
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
}

/* For a participant with production: what it produced, what of it the
 * community received from it and what went to the grid unshared (the
 * invoice's "injection" line is only the last). Returns the row after. */
static lxw_row_t write_production(struct cab_book *b,
				  const struct cab_participant_result *p,
				  const struct cab_invoice_words *w,
				  lxw_row_t r)
{
	const struct cab_volumes *v = &p->total;
	if (!(v->production_kwh > 0))
		return r;
	cab_book_put_str(b, b->ws, r++, 0, w->producer, b->bold);
	cab_book_put_str(b, b->ws, r, 0, w->produced, NULL);
	cab_book_put_num(b, b->ws, r++, 1, v->production_kwh, b->kwh);
	cab_book_put_str(b, b->ws, r, 0, w->col_self, NULL);
	cab_book_put_num(b, b->ws, r++, 1, v->self_consumed_kwh, b->kwh);
	cab_book_put_str(b, b->ws, r, 0, w->given, NULL);
	cab_book_put_num(b, b->ws, r++, 1, v->given_kwh, b->kwh);
	cab_book_put_str(b, b->ws, r, 0, w->injected_unshared, NULL);
	cab_book_put_num(b, b->ws, r++, 1, v->injected_kwh, b->kwh);
	return r + 1;
}

/* The bill, its total, the baseline and the difference. Returns the last
 * row written (end of the print area). */
static lxw_row_t write_bill(struct cab_book *b, const struct cab_run *run,
			    const struct cab_participant_result *p, int lang,
			    const struct cab_invoice_words *w, lxw_row_t r)
{
	cab_book_put_str(b, b->ws, r, 0, w->col_line, b->head);
	cab_book_put_str(b, b->ws, r, 1, w->col_quantity, b->head_num);
	cab_book_put_str(b, b->ws, r, 2, w->col_unit_price, b->head_num);
	cab_book_put_str(b, b->ws, r++, 3, w->col_amount, b->head_num);
	for (size_t k = 0; k < p->bill.n_lines; k++, r++) {
		const struct cab_bill_line *l = &p->bill.lines[k];
		const char *label = cab_words_line_label(l->name, lang);
		char text[160], x[32];
		if (strcmp(l->name, "vat") == 0) {
			eur_text(l->base_cents, w->decimal, x, sizeof(x));
			snprintf(text, sizeof(text), w->vat_fmt, x);
			label = text;
		}
		cab_book_put_str(b, b->ws, r, 0, label, NULL);
		if (l->has_quantity)
			cab_book_put_num(b, b->ws, r, 1, l->quantity_kwh,
					 b->kwh);
		/* A yearly fixed term: its price × the share of the year. */
		if (!l->has_quantity && l->days_in_year > 0) {
			snprintf(text, sizeof(text), w->days_fmt,
				 l->days_billed, l->days_in_year);
			cab_book_put_str(b, b->ws, r, 1, text, b->right);
		} else if (!l->has_quantity &&
			   (strcmp(l->name, "supplier_fixed") == 0 ||
			    strcmp(l->name, "network_fixed") == 0)) {
			num_text(cab_bill_year_fraction(run->sc), 4, w->decimal,
				 x, sizeof(x));
			snprintf(text, sizeof(text), w->years_fmt, x);
			cab_book_put_str(b, b->ws, r, 1, text, b->right);
		}
		if (l->has_unit_price)
			cab_book_put_num(b, b->ws, r, 2, l->unit_price_eur,
					 strcmp(l->name, "vat") == 0 ? b->pct
					 : l->has_quantity	     ? b->price
								     : b->eur);
		cab_book_put_num(b, b->ws, r, 3,
				 (double)l->amount_cents / 100.0, b->eur);
	}
	cab_book_put_str(b, b->ws, r, 0, w->total, b->total_label);
	cab_book_put_str(b, b->ws, r, 1, "", b->total_label);
	cab_book_put_str(b, b->ws, r, 2, "", b->total_label);
	cab_book_put_num(b, b->ws, r++, 3, (double)p->bill.total_cents / 100.0,
			 b->total_eur);
	/* Gaps in the meter data are said where the total is read (SPEC §8:
	 * missing intervals are shown in every output that depends on them). */
	char note_text[200], n1[32], n2[32];
	if (p->missing_intervals) {
		group_digits(p->missing_intervals, w->thousands, n1, sizeof n1);
		group_digits(run->n_intervals, w->thousands, n2, sizeof n2);
		snprintf(note_text, sizeof(note_text), w->missing, n1, n2);
		cab_book_put_str(b, b->ws, r++, 0, note_text, b->remark);
	}
	if (p->filled_intervals) {
		group_digits(p->filled_intervals, w->thousands, n1, sizeof n1);
		snprintf(note_text, sizeof(note_text), w->filled, n1);
		cab_book_put_str(b, b->ws, r++, 0, note_text, b->remark);
	}
	r++;
	r = write_pot_key(b, run, p, lang, w, r);
	/* A meterless member of a pot has no bill of its own to compare. */
	if (p->is_without_baseline)
		return r - 2;
	cab_book_put_str(b, b->ws, r, 0, w->alone, NULL);
	cab_book_put_num(b, b->ws, r++, 3,
			 (double)p->baseline.total_cents / 100.0, b->eur);
	/* delta = bill − baseline: a negative delta is a gain. */
	int64_t d = p->delta_cents;
	cab_book_put_str(b, b->ws, r, 0,
			 d < 0	 ? w->gain
			 : d > 0 ? w->pay_more
				 : w->same,
			 b->bold);
	cab_book_put_num(b, b->ws, r, 3, (double)(d < 0 ? -d : d) / 100.0,
			 b->total_eur);
	return r;
}

/* The monthly table's columns: only those that apply to the billing
 * mode and to the participant (no sharing columns when nobody shares, no
 * production columns for a household without panels). */
enum month_col {
	COL_CONSUMPTION,
	COL_SELF,
	COL_SHARED,
	COL_COMPLEMENTARY,
	COL_GIVEN,
	COL_INJECTED,
	N_MONTH_COLS
};

struct month_cols {
	int n; /* columns after the month's name */
	enum month_col which[N_MONTH_COLS];
	int at[N_MONTH_COLS]; /* sheet column of each, 0 if absent */
};

static void month_cols(const struct cab_run *run,
		       const struct cab_participant_result *p,
		       struct month_cols *mc)
{
	bool is_sharing = run->billing.mode == CAB_BILLING_SHARED;
	bool is_producer = p->total.production_kwh > 0;
	bool on[N_MONTH_COLS] = {
	    [COL_CONSUMPTION] = true,
	    [COL_SELF] = is_producer,
	    [COL_SHARED] = is_sharing,
	    [COL_COMPLEMENTARY] = is_sharing,
	    [COL_GIVEN] = is_sharing && is_producer,
	    [COL_INJECTED] = is_producer,
	};
	memset(mc, 0, sizeof(*mc));
	for (int k = 0; k < N_MONTH_COLS; k++)
		if (on[k]) {
			mc->which[mc->n++] = (enum month_col)k;
			mc->at[k] = mc->n;
		}
}

static double month_value(const struct cab_volumes *v, enum month_col k)
{
	switch (k) {
	case COL_CONSUMPTION:
		return v->consumption_kwh;
	case COL_SELF:
		return v->self_consumed_kwh;
	case COL_SHARED:
		return v->shared_kwh;
	case COL_COMPLEMENTARY:
		return v->complementary_kwh;
	case COL_GIVEN:
		return v->given_kwh;
	default:
		return v->injected_kwh;
	}
}

/* Monthly volumes table; returns the row after it. Sets *first and *last
 * to the rows of the month values (for the chart). */
static lxw_row_t write_months(struct cab_book *b, const struct cab_run *run,
			      const struct cab_participant_result *p,
			      const struct cab_invoice_words *w,
			      const struct month_cols *mc, lxw_row_t r,
			      lxw_row_t *first, lxw_row_t *last)
{
	const char *head[N_MONTH_COLS] = {
	    [COL_CONSUMPTION] = w->col_consumption,
	    [COL_SELF] = w->col_self,
	    [COL_SHARED] = w->col_shared,
	    [COL_COMPLEMENTARY] = w->col_complementary,
	    [COL_GIVEN] = w->col_given,
	    [COL_INJECTED] = w->col_injected,
	};
	cab_book_put_str(b, b->ws, r++, 0, w->monthly, b->bold);
	cab_book_put_str(b, b->ws, r, 0, w->col_month, b->head);
	for (int k = 0; k < mc->n; k++)
		cab_book_put_str(b, b->ws, r, (lxw_col_t)(k + 1),
				 head[mc->which[k]], b->head_num);
	r++;
	*first = r;
	for (size_t m = 0; m < run->n_months && p->month; m++, r++) {
		const struct cab_month *mo = &run->months[m];
		const struct cab_volumes *v = &p->month[m];
		char label[48];
		int k = mo->month >= 1 && mo->month <= 12 ? mo->month - 1 : 0;
		snprintf(label, sizeof(label), "%s %04d", w->months[k],
			 mo->year);
		cab_book_put_str(b, b->ws, r, 0, label, NULL);
		for (int c = 0; c < mc->n; c++)
			cab_book_put_num(b, b->ws, r, (lxw_col_t)(c + 1),
					 month_value(v, mc->which[c]), b->kwh);
	}
	*last = r ? r - 1 : 0;
	return r;
}

/* The average day on sheet "data": row 0 the header, rows 1..96 the mean
 * kWh per quarter-hour of local time for consumption, production, shared
 * energy. Missing values (NaN) are skipped; a slot with no value stays
 * empty (the spring DST day has no 02:xx, so a one-day run may lack it).
 * slot_of[t] is interval t's quarter-hour of the local day (0..95). */
static void write_average_day(struct cab_book *b, const struct cab_run *run,
			      const struct cab_participant_result *p,
			      const uint8_t *slot_of,
			      const struct cab_invoice_words *w,
			      const struct month_cols *mc)
{
	double sum[3][CAB_DAY_SLOTS] = {{0}};
	size_t count[3][CAB_DAY_SLOTS] = {{0}};
	/* Only the curves that apply (as in the monthly table). */
	const double *series[3] = {p->consumption_kwh,
				   mc->at[COL_SELF] ? p->production_kwh : NULL,
				   mc->at[COL_SHARED] ? p->shared_kwh : NULL};
	for (int s = 0; s < 3; s++) {
		if (!series[s])
			continue;
		for (size_t t = 0; t < run->n_intervals; t++) {
			if (isnan(series[s][t]))
				continue;
			sum[s][slot_of[t]] += series[s][t];
			count[s][slot_of[t]]++;
		}
	}
	cab_book_put_str(b, b->data, 0, 0, w->col_time, b->head);
	const char *head[3] = {w->col_consumption, w->col_production,
			       w->col_shared};
	for (int s = 0; s < 3; s++)
		if (series[s])
			cab_book_put_str(b, b->data, 0, (lxw_col_t)(s + 1),
					 head[s], b->head_num);
	for (int slot = 0; slot < CAB_DAY_SLOTS; slot++) {
		cab_book_put_hhmm(b, b->data, (lxw_row_t)slot + 1, 0, slot);
		for (int s = 0; s < 3; s++)
			if (count[s][slot])
				cab_book_put_num(
				    b, b->data, (lxw_row_t)slot + 1,
				    (lxw_col_t)(s + 1),
				    sum[s][slot] / (double)count[s][slot],
				    b->kwh);
	}
	if (!b->e)
		b->e = worksheet_set_column(b->data, 0, 0, 10, NULL);
	if (!b->e)
		b->e = worksheet_set_column(b->data, 1, 3, 16, NULL);
}

/* The invoice sheet's columns: A holds the labels, B..F the numbers. */
#define INVOICE_COL_A 36
#define INVOICE_COL_NUM 18 /* "Autoconsommation" in bold fits */
/* Their width in pixels (Excel's rule for the default font: 7 px a
 * character plus 5 of padding) and the charts' (half of it each, less a
 * gap): the two charts stand side by side under the months, so that the
 * whole invoice prints on one A4 page. */
#define INVOICE_WIDTH_PX                                                       \
	((INVOICE_COL_A * 7 + 5) + 5 * (INVOICE_COL_NUM * 7 + 5))
#define INVOICE_CHART_PX (INVOICE_WIDTH_PX / 2 - 6)
#define INVOICE_CHART_ROWS 18 /* 360 px high: 18 rows of 20 px */

static void insert_invoice_chart(struct cab_book *b, lxw_row_t r, int x_px,
				 lxw_chart *chart)
{
	lxw_chart_font title = {.bold = LXW_TRUE, .size = 11};
	chart_title_set_name_font(chart, &title);
	lxw_chart_options o = {.x_offset = x_px,
			       .x_scale = INVOICE_CHART_PX / 480.0,
			       .y_scale = INVOICE_CHART_ROWS * 20 / 288.0};
	if (!b->e)
		b->e = worksheet_insert_chart_opt(b->ws, r, 0, chart, &o);
}

/* Chart of the months (shared, complementary, consumption) and, beside
 * it, chart of the average day, from row r. Returns the last row they
 * cover. */
static lxw_row_t write_charts(struct cab_book *b,
			      const struct cab_invoice_words *w,
			      const struct month_cols *mc, lxw_row_t r,
			      lxw_row_t m0, lxw_row_t m1, bool has_months)
{
	lxw_row_t last = r + INVOICE_CHART_ROWS - 1;
	if (b->e)
		return last;
	int x = 0;
	if (has_months) {
		lxw_chart *c = cab_book_chart(b, LXW_CHART_COLUMN);
		if (!c)
			return last;
		if (mc->at[COL_SHARED])
			cab_book_add_series(b, c, w->sheet, m0, m1, 0,
					    (lxw_col_t)mc->at[COL_SHARED],
					    w->col_shared);
		if (mc->at[COL_COMPLEMENTARY])
			cab_book_add_series(
			    b, c, w->sheet, m0, m1, 0,
			    (lxw_col_t)mc->at[COL_COMPLEMENTARY],
			    w->col_complementary);
		cab_book_add_series(b, c, w->sheet, m0, m1, 0,
				    (lxw_col_t)mc->at[COL_CONSUMPTION],
				    w->col_consumption);
		chart_title_set_name(c, w->chart_months);
		chart_axis_set_name(c->y_axis, w->axis_kwh);
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		insert_invoice_chart(b, r, 0, c);
		x = INVOICE_WIDTH_PX - INVOICE_CHART_PX;
	}
	lxw_chart *d = cab_book_chart(b, LXW_CHART_LINE);
	if (!d)
		return last;
	cab_book_add_series(b, d, "data", 1, CAB_DAY_SLOTS, 0, 1,
			    w->col_consumption);
	if (mc->at[COL_SELF]) /* a producer */
		cab_book_add_series(b, d, "data", 1, CAB_DAY_SLOTS, 0, 2,
				    w->col_production);
	if (mc->at[COL_SHARED])
		cab_book_add_series(b, d, "data", 1, CAB_DAY_SLOTS, 0, 3,
				    w->col_shared);
	chart_title_set_name(d, w->chart_day);
	chart_axis_set_name(d->y_axis, w->axis_kwh);
	chart_axis_set_interval_unit(d->x_axis, 12); /* a label every 3 h */
	chart_legend_set_position(d, LXW_CHART_LEGEND_BOTTOM);
	insert_invoice_chart(b, r, x, d);
	return last;
}

/* Write participant i's workbook `name` into folder `dir`. */
static enum cab_status write_one(const struct cab_run *run, size_t i, int lang,
				 const uint8_t *slot_of, const char *tmpdir,
				 const char *dir, const char *name,
				 struct cab_pack_cache *pack,
				 struct cab_err *err)
{
	const struct cab_invoice_words *w = cab_words_invoice(lang);
	const struct cab_participant_result *p = &run->p[i];
	struct cab_book b;
	char path[4096 + 160];
	enum cab_status st = cab_book_open(&b, dir, name, w->title, tmpdir,
					   path, sizeof(path), err);
	if (st != CAB_OK)
		return st;
	b.pack = pack;
	b.ws = cab_book_sheet(&b, w->sheet);
	b.data = cab_book_sheet(&b, "data");
	if (!b.e) {
		lxw_row_t r = write_header(&b, run, i, lang, w);
		lxw_row_t bill_end = write_bill(&b, run, p, lang, w, r);
		lxw_row_t m0, m1;
		struct month_cols mc;
		month_cols(run, p, &mc);
		r = write_production(&b, p, w, bill_end + 2);
		lxw_row_t end = bill_end;
		/* A meterless member of a pot has no curve to show. */
		if (!run->sc->participants[i].is_meterless) {
			r = write_months(&b, run, p, w, &mc, r, &m0, &m1);
			write_average_day(&b, run, p, slot_of, w, &mc);
			end = write_charts(&b, w, &mc, r + 1, m0, m1,
					   run->n_months > 0 && p->month);
		}

		if (!b.e)
			b.e = worksheet_set_column(b.ws, 0, 0, INVOICE_COL_A,
						   NULL);
		lxw_col_t last_col = mc.n > 5 ? (lxw_col_t)mc.n : 5;
		if (!b.e)
			b.e = worksheet_set_column(b.ws, 1, last_col,
						   INVOICE_COL_NUM, NULL);
		/* The bill, the months and both charts on one A4 page. */
		worksheet_set_paper(b.ws, 9); /* A4 */
		worksheet_set_portrait(b.ws);
		worksheet_set_margins(b.ws, 0.5, 0.5, 0.6, 0.6);
		worksheet_fit_to_pages(b.ws, 1, 1);
		if (!b.e)
			b.e = worksheet_print_area(b.ws, 0, 0, end, last_col);
		/* The chart's 96 rows are raw numbers a household never
		 * reads: the sheet is hidden (the chart still reads it), so
		 * printing the workbook prints the invoice alone. */
		worksheet_activate(b.ws);
		worksheet_hide(b.data);
	}
	return cab_book_close(&b, path, err);
}

/* What every invoice worker shares: the run and opts are borrowed (they
 * outlive the work), the rest belongs to the job (release_job). */
struct invoice_job {
	const struct cab_run *run;
	const struct cab_report_opts *opts;
	char sub[4096];	    /* the invoices/ folder */
	uint8_t *slot_of;   /* local quarter-hour of each interval */
	const char *tmpdir; /* libxlsxwriter's temporary files, or NULL */
	struct cab_pack_cache *pack;   /* parts shared by the workbooks, or
					  NULL: workbook_close */
	struct cab_pool_counter *next; /* the next participant to write, or
					  NULL: fixed slices */
};

static void release_job(void *arg)
{
	struct invoice_job *job = arg;
	cab_pool_counter_free(job->next);
	cab_pack_cache_free(job->pack);
	free(job->slot_of);
	free(job);
}

/* Worker k of n writes the invoices of the participants it takes from
 * the shared counter, one at a time, until none is left: a worker slowed
 * down by the machine takes fewer. Without the counter (no shared memory)
 * it writes participants k, k + n, k + 2n, …. */
static enum cab_status write_invoice_share(int k, int n, void *arg,
					   struct cab_err *err)
{
	const struct invoice_job *job = arg;
	const struct cab_run *run = job->run;
	enum cab_status st = CAB_OK;
	size_t i = job->next ? cab_pool_counter_take(job->next) : (size_t)k;
	while (i < run->n && st == CAB_OK) {
		int lang = job->opts && job->opts->lang >= 0
			       ? job->opts->lang
			       : (int)run->sc->participants[i].lang;
		if (lang < CAB_LANG_FR || lang > CAB_LANG_EN)
			lang = CAB_LANG_FR;
		char safe[128], name[160];
		cab_report_safe_name(run->sc->participants[i].id, safe,
				     sizeof(safe));
		snprintf(name, sizeof(name), "%s.xlsx", safe);
		st = write_one(run, i, lang, job->slot_of, job->tmpdir,
			       job->sub, name, job->pack, err);
		i = job->next ? cab_pool_counter_take(job->next)
			      : i + (size_t)n;
	}
	/* The others stop at their next participant. */
	if (st != CAB_OK && job->next)
		cab_pool_counter_stop(job->next);
	return st;
}

/* Where libxlsxwriter stages each part of a workbook (about sixteen small
 * files per workbook, created and deleted at once). On a disk file system
 * creating that many files dominates the cost of an invoice (ext4 scans
 * recently deleted inodes on every creation: 2.5 ms of a workbook became
 * 5–7 ms, docs/PERFORMANCE.md), so they go to the memory file system
 * /dev/shm when it is there, unless the user chose TMPDIR. NULL leaves the
 * choice to libxlsxwriter (TMPDIR, else /tmp). */
static const char *invoice_tmpdir(void)
{
	const char *env = getenv("TMPDIR");
	if (env && *env)
		return NULL;
	struct stat sb;
	if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return NULL;
}

enum cab_status cab_report_invoices_start(const struct cab_run *run,
					  const struct cab_report_opts *opts,
					  const char *dir,
					  struct cab_report_work **work,
					  struct cab_err *err)
{
	*work = NULL;
	struct invoice_job *job = calloc(1, sizeof(*job));
	if (!job)
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/invoices: out of memory", dir);
	char *sub = job->sub;
	if ((size_t)snprintf(sub, sizeof(job->sub), "%s/invoices", dir) >=
	    sizeof(job->sub)) {
		free(job);
		return cab_err_add(err, CAB_EIO, "%s/invoices: path too long",
				   dir);
	}
	if (mkdir(sub, 0777) != 0 && errno != EEXIST) {
		enum cab_status st =
		    cab_err_add(err, CAB_EIO, "%s: cannot create (%s)", sub,
				strerror(errno));
		free(job);
		return st;
	}
	/* The local quarter-hour of each interval is the same for everyone:
	 * computed once, not once per participant. */
	job->slot_of = malloc(run->n_intervals ? run->n_intervals : 1);
	if (!job->slot_of) {
		free(job);
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", sub);
	}
	cab_book_local_slots(run, job->slot_of, NULL);
	job->run = run;
	job->opts = opts;
	job->tmpdir = invoice_tmpdir();
	job->pack =
	    opts && opts->is_xlsx_reference ? NULL : cab_pack_cache_new();
	job->next = cab_pool_counter_new();
	/* No idle worker: at most one per participant. */
	int jobs = opts ? opts->jobs : 1;
	if (jobs > 1 && (size_t)jobs > run->n)
		jobs = (int)run->n;
	return cab_report_workers_start_opts(opts, jobs, write_invoice_share,
					     job, release_job, work, err);
}

static enum cab_status write_invoices(const struct cab_run *run,
				      const struct cab_report_opts *opts,
				      const char *dir, struct cab_err *err)
{
	struct cab_report_work *work;
	enum cab_status st =
	    cab_report_invoices_start(run, opts, dir, &work, err);
	return st == CAB_OK ? cab_report_finish(work, err) : st;
}

const struct cab_report_ops cab_report_invoices_xlsx = {"invoices",
							write_invoices};
