/*
 * reconcile_csv.c — reconcile.csv (SPEC §13): one row per participant,
 * month and quantity where the operator's value differs from the
 * simulation by more than 0.001 kWh (0.01 EUR for the grid fee):
 * `participant,ean,month,quantity,simulated,operator,difference`, with
 * difference = operator − simulated.
 *
 * Rows by month, then participant id, then quantity in SPEC order
 * (shared_kwh, complementary_kwh, shared_injection_kwh, gridfee_eur), as
 * SPEC §8 sorts every CSV; kWh with 6 decimals, EUR with 2, '.' as the
 * separator. A member the operator left out of a month has operator 0
 * for what it received and gave (no row for its complementary volume:
 * the operator's file does not say it). Text that a spreadsheet would
 * take for a formula gets a leading apostrophe (SPEC §11).
 *
 * Workload: a row per differing cell, a few hundred at most.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/reconcile.h"
#include "cabine/report.h"
#include "reports/io.h"

/* A value of quantity q: kWh with 6 decimals or EUR with 2. */
static void fmt_value(enum cab_rq q, double v, char *buf, size_t size)
{
	if (q == CAB_RQ_GRIDFEE)
		cab_report_fmt_cents(cab_round_cents(v), buf, size);
	else
		cab_report_fmt_kwh(v, buf, size);
}

static enum cab_status write_reconcile_csv(const struct cab_run *run,
					   const struct cab_report_opts *opts,
					   const char *dir, struct cab_err *err)
{
	const struct cab_reconcile *r = opts ? opts->reconcile : NULL;
	if (!r)
		return CAB_OK;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f =
	    cab_report_open(dir, "reconcile.csv", path, sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	fputs("participant,ean,month,quantity,simulated,operator,difference\n",
	      f);
	char s[48], o[48], d[48];
	for (size_t m = 0; m < r->n_months; m++) {
		for (size_t k = 0; k < r->n; k++) {
			size_t i = order[k];
			const struct cab_participant *pa =
			    &run->sc->participants[i];
			for (int q = 0; q < CAB_RQ_COUNT; q++) {
				const struct cab_rcell *c =
				    cab_reconcile_cell(r, i, m, (enum cab_rq)q);
				if (!c->is_different)
					continue;
				fmt_value((enum cab_rq)q, c->simulated, s,
					  sizeof s);
				fmt_value((enum cab_rq)q, c->operator_value, o,
					  sizeof o);
				if (q == CAB_RQ_GRIDFEE)
					cab_report_fmt_cents(
					    cab_round_cents(c->operator_value) -
						cab_round_cents(c->simulated),
					    d, sizeof d);
				else
					cab_report_fmt_kwh(c->operator_value -
							       c->simulated,
							   d, sizeof d);
				cab_report_csv_text(f, pa->id);
				fputc(',', f);
				cab_report_csv_text(f, pa->ean ? pa->ean : "");
				fprintf(f, ",%04d-%02d,%s,%s,%s,%s\n",
					run->months[m].year,
					run->months[m].month,
					cab_rq_name((enum cab_rq)q), s, o, d);
			}
		}
	}
	free(order);
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_reconcile_csv = {"reconcile.csv",
							write_reconcile_csv};
