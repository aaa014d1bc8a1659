/*
 * sibelga.c — sibelga.xlsx (`cabine run`, SPEC §8): the shape of the grid
 * operator's monthly file, so a facilitator can reconcile both line by line.
 * One row per meter, month and register: `TH` (total) when the tariff has a
 * single rate, else `HI` (day) and `LOW` (night). Columns as in the operator's
 * file (its French headers, whatever --lang): the meter, the month
 * ("2024-01"), the register, shared volume (kWh received), complementary
 * volume (kWh), shared injection (kWh given), and the grid fee in EUR
 * excluding VAT: complementary × network_eur_kwh + shared ×
 * network_shared_eur_kwh[locality], rounded to the cent.
 *
 * The meter is the participant's consumption (or offtake) meter, else its
 * production (or injection) meter; a meterless participant has no row.
 *
 * Workload: (months × registers) rows per metered participant; no
 * interval series read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cabine/report.h"
#include "reports/io.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

/* The meter a participant's rows are filed under, or NULL. */
static const char *operator_meter(const struct cab_participant *pt)
{
	return pt->meter_consumption  ? pt->meter_consumption
	       : pt->meter_offtake    ? pt->meter_offtake
	       : pt->meter_production ? pt->meter_production
				      : pt->meter_injection;
}

/* Grid fee in cents (excl. VAT) of one row: the network lines of the bill
 * (SPEC §5) restricted to the row's volumes. */
static int64_t grid_fee_cents(const struct cab_tariff *tf, char locality,
			      double shared_kwh, double complementary_kwh)
{
	double shared_price = locality >= 'A' && locality <= 'D'
				  ? tf->network_shared_eur_kwh[locality - 'A']
				  : 0;
	return cab_round_cents(complementary_kwh * tf->network_eur_kwh +
			       shared_kwh * shared_price);
}

static enum cab_status write_sibelga_xlsx(const struct cab_run *run,
					  const struct cab_report_opts *opts,
					  const char *dir, struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	const struct cab_tariff *tf = &sc->tariff;
	const struct cab_sibelga_words *w =
	    cab_words_sibelga(cab_book_lang(opts));
	char path[4096];
	struct cab_book b;
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/sibelga.xlsx: out of memory", dir);
	enum cab_status st = cab_book_open(&b, dir, "sibelga.xlsx", "Sibelga",
					   NULL, path, sizeof(path), err);
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
		const struct cab_participant_result *p = &run->p[i];
		const char *meter = operator_meter(&sc->participants[i]);
		if (!meter || !p->month)
			continue;
		for (size_t m = 0; m < run->n_months; m++) {
			const struct cab_volumes *v = &p->month[m];
			char month[16];
			snprintf(month, sizeof(month), "%04d-%02d",
				 run->months[m].year, run->months[m].month);
			/* register, shared, complementary, given */
			struct {
				const char *name;
				double shared, compl, given;
			} reg[2] = {
			    {"HI", v->shared_day_kwh, v->complementary_day_kwh,
			     v->given_day_kwh},
			    {"LOW", v->shared_kwh - v->shared_day_kwh,
			     v->complementary_kwh - v->complementary_day_kwh,
			     v->given_kwh - v->given_day_kwh}};
			int n_reg = 2;
			if (!tf->has_night_price) {
				reg[0].name = "TH";
				reg[0].shared = v->shared_kwh;
				reg[0].compl = v->complementary_kwh;
				reg[0].given = v->given_kwh;
				n_reg = 1;
			}
			for (int g = 0; g < n_reg; g++, r++) {
				cab_book_put_str(&b, ws, r, 0, meter, NULL);
				cab_book_put_str(&b, ws, r, 1, month, NULL);
				cab_book_put_str(&b, ws, r, 2, reg[g].name,
						 NULL);
				cab_book_put_num(&b, ws, r, 3, reg[g].shared,
						 b.kwh);
				cab_book_put_num(&b, ws, r, 4, reg[g].compl,
						 b.kwh);
				cab_book_put_num(&b, ws, r, 5, reg[g].given,
						 b.kwh);
				cab_book_put_num(
				    &b, ws, r, 6,
				    cab_book_eur(grid_fee_cents(tf, p->locality,
								reg[g].shared,
								reg[g].compl )),
				    b.eur);
			}
		}
	}
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
	return st;
}

const struct cab_report_ops cab_report_sibelga_xlsx = {"sibelga.xlsx",
						       write_sibelga_xlsx};
