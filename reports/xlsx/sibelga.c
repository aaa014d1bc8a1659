/*
 * sibelga.c — sibelga.xlsx (`cabine run`, SPEC §8): the shape of the grid
 * operator's monthly file, so a facilitator can reconcile both line by
 * line. One row per meter, month and register: `TH` (total) when the
 * tariff has a single rate, else `HI` (day) and `LOW` (night). Columns as
 * in the operator's file (its French headers, whatever --lang): the
 * meter, the month ("2024-01"), the register, shared volume (kWh
 * received), complementary volume (kWh), shared injection (kWh given),
 * and the grid fee in EUR excluding VAT.
 *
 * The grid fee is not computed here: it is the network lines of the bill
 * (SPEC §5: complementary volume at the normal rate, shared volume at the
 * rate of its locality type; not the fixed yearly term) that
 * cab_bill_compute() gives for the row's volumes, each line rounded to
 * the cent as on the bill. Rounded per row, the months may add up to a
 * cent or a few other than the bill's network lines over the period;
 * where they do, a note under the table (in --lang) says so, meter by
 * meter, with both sums.
 *
 * The meter is the participant's EAN when the scenario gives it, else
 * its consumption (or offtake) meter, else its production (or injection)
 * meter; a meterless participant has no row.
 *
 * Workload: (months × registers) rows per metered participant, each one
 * call of cab_bill_compute() (a dozen lines); no interval series read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/report.h"
#include "engine/billing/bill.h"
#include "reports/io.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* The meter a participant's rows are filed under, or NULL: its EAN when
 * known (what the operator's file shows), else its meter id. */
static const char *operator_meter(const struct cab_participant *pt)
{
	return pt->ean		       ? pt->ean
	       : pt->meter_consumption ? pt->meter_consumption
	       : pt->meter_offtake     ? pt->meter_offtake
	       : pt->meter_production  ? pt->meter_production
				       : pt->meter_injection;
}

/* The network lines of participant i's bill on volumes v, in cents
 * excluding VAT: engine/billing/gridfee.c, billed as a member (not
 * alone), as engine/run/run.c bills it: without sharing (`individual`)
 * the shared volume is 0 and the complementary volume is the demand, so
 * the lines equal the baseline's; in a common pot, whose invoice is one
 * share of the pot, they are the lines the member's own bill would
 * carry. */
static int64_t network_cents(const struct cab_run *run, size_t i,
			     const struct cab_volumes *v)
{
	return cab_bill_gridfee_cents(run->sc, &run->sc->participants[i], v,
				      run->p[i].locality, &run->sharing);
}

/* The rows of participant i from row r; returns the row after them and
 * the sum of their grid fees in *fees_cents. */
static lxw_row_t write_rows(struct cab_book *b, lxw_worksheet *ws,
			    const struct cab_run *run, size_t i,
			    const char *meter, lxw_row_t r, int64_t *fees_cents)
{
	const struct cab_participant_result *p = &run->p[i];
	*fees_cents = 0;
	for (size_t m = 0; m < run->n_months; m++) {
		char month[16];
		snprintf(month, sizeof(month), "%04d-%02d", run->months[m].year,
			 run->months[m].month);
		struct cab_register reg[2];
		int n_reg = cab_bill_registers(
		    &p->month[m], run->sc->tariff.has_night_price, reg);
		for (int g = 0; g < n_reg; g++, r++) {
			int64_t fee = network_cents(run, i, &reg[g].v);
			*fees_cents += fee;
			cab_book_put_str(b, ws, r, 0, meter, NULL);
			cab_book_put_str(b, ws, r, 1, month, NULL);
			cab_book_put_str(b, ws, r, 2, reg[g].name, NULL);
			cab_book_put_num(b, ws, r, 3, reg[g].v.shared_kwh,
					 b->kwh);
			cab_book_put_num(b, ws, r, 4,
					 reg[g].v.complementary_kwh, b->kwh);
			cab_book_put_num(b, ws, r, 5, reg[g].v.given_kwh,
					 b->kwh);
			cab_book_put_num(b, ws, r, 6, cab_book_eur(fee),
					 b->eur);
		}
	}
	return r;
}

/* A meter whose months add up to other than its bill's network lines. */
struct gap {
	const char *meter;
	int64_t months_cents, bill_cents;
};

/* The rounding note from row r: the remark, a header, one row per gap. */
static void write_note(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		       const struct gap *gaps, size_t n,
		       const struct cab_sibelga_words *w)
{
	cab_book_put_str(b, ws, r++, 0, w->rounding, b->remark);
	const lxw_col_t col[4] = {0, 4, 5, 6};
	for (int c = 0; c < 4; c++)
		cab_book_put_str(b, ws, r, col[c], w->cols[c],
				 c ? b->head_num : b->head);
	r++;
	for (size_t k = 0; k < n; k++, r++) {
		cab_book_put_str(b, ws, r, 0, gaps[k].meter, NULL);
		cab_book_put_num(b, ws, r, 4,
				 cab_book_eur(gaps[k].months_cents), b->eur);
		cab_book_put_num(b, ws, r, 5, cab_book_eur(gaps[k].bill_cents),
				 b->eur);
		cab_book_put_num(
		    b, ws, r, 6,
		    cab_book_eur(gaps[k].months_cents - gaps[k].bill_cents),
		    b->eur);
	}
}

static enum cab_status write_sibelga_xlsx(const struct cab_run *run,
					  const struct cab_report_opts *opts,
					  const char *dir, struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	const struct cab_sibelga_words *w =
	    cab_words_sibelga(cab_book_lang(opts));
	char path[4096];
	struct cab_book b;
	size_t *order = cab_report_order_by_id(run);
	struct gap *gaps = calloc(run->n ? run->n : 1, sizeof(*gaps));
	size_t n_gaps = 0;
	enum cab_status st = CAB_OK;
	if (!order || !gaps) {
		st = cab_err_add(err, CAB_ENOMEM,
				 "%s/sibelga.xlsx: out of memory", dir);
		goto done;
	}
	st = cab_book_open(&b, dir, "sibelga.xlsx", "Sibelga", NULL, path,
			   sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_worksheet *ws = cab_book_sheet(&b, "Sibelga");
	if (b.e)
		goto close;
	for (lxw_col_t c = 0; c < 7; c++)
		cab_book_put_str(&b, ws, 0, c, w->head[c],
				 c > 2 ? b.head_num : b.head);
	lxw_row_t r = 1;
	for (size_t k = 0; k < run->n; k++) {
		size_t i = order[k];
		const char *meter = operator_meter(&sc->participants[i]);
		if (!meter || !run->p[i].month)
			continue;
		int64_t fees;
		r = write_rows(&b, ws, run, i, meter, r, &fees);
		/* The bill's network lines over the period: the same call on
		 * the period's volumes as the bill itself. */
		int64_t bill = network_cents(run, i, &run->p[i].total);
		if (fees != bill)
			gaps[n_gaps++] = (struct gap){meter, fees, bill};
	}
	if (n_gaps)
		write_note(&b, ws, r + 1, gaps, n_gaps, w);
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 0, 24, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 1, 2, 10, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 3, 6, 18, NULL);
	if (!b.e)
		worksheet_freeze_panes(ws, 1, 0);
	cab_book_print_table(&b, ws, false, 0);
	if (!b.e && r > 1)
		b.e = worksheet_autofilter(ws, 0, 0, r - 1, 6);
close:
	st = cab_book_close(&b, path, err);
done:
	free(order);
	free(gaps);
	return st;
}

const struct cab_report_ops cab_report_sibelga_xlsx = {"sibelga.xlsx",
						       write_sibelga_xlsx};
