/*
 * journal.csv — the invoices as the treasurer books them (SPEC §13
 * billing.invoice): `number,participant,date,due,total_excl_vat_eur,
 * vat_eur,total_eur,communication`, one row per participant in the
 * series' order (participant ids), producers' statements included
 * (numbered in the same series, their totals below zero or nil).
 *
 * Why: the accounts need each document's number, dates and amounts,
 * and the structured communication the bank statement will show. The
 * numbers and dates are the billing stage's (engine/billing/
 * invoice_doc.c); this writer prints them. Nothing is written when the
 * scenario has no billing.invoice.
 *
 * Workload: a row per participant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/report.h"
#include "reports/io.h"

static enum cab_status write_journal(const struct cab_run *run,
				     const struct cab_report_opts *opts,
				     const char *dir, struct cab_err *err)
{
	if (!run->billing.invoice.is_set)
		return CAB_OK;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f = cab_report_open(dir, "journal.csv", path, sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	fputs("number,participant,date,due,total_excl_vat_eur,vat_eur,"
	      "total_eur,communication\n",
	      f);
	for (size_t k = 0; k < run->n; k++) {
		size_t i = order[k];
		const struct cab_invoice_doc *d = &run->p[i].doc;
		char ex[32], vat[32], tot[32];
		cab_report_fmt_cents(d->total_excl_vat_cents, ex, sizeof ex);
		cab_report_fmt_cents(d->vat_cents, vat, sizeof vat);
		cab_report_fmt_cents(run->p[i].bill.total_cents, tot,
				     sizeof tot);
		cab_report_csv_text(f, d->number);
		fputc(',', f);
		cab_report_csv_text(f, run->sc->participants[i].id);
		fprintf(f, ",%04d-%02d-%02d,%04d-%02d-%02d,%s,%s,%s,%s\n",
			d->issue_y, d->issue_m, d->issue_d, d->due_y, d->due_m,
			d->due_d, ex, vat, tot, d->communication);
	}
	free(order);
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_journal_csv = {"journal.csv",
						      write_journal};
