/*
 * invoice_doc.c — invoices as documents (SPEC §13 billing.invoice): the
 * numbers of one series in participant-id order, the issue and due
 * dates, and the Belgian structured communication ("communication
 * structurée", +++ddd/dddd/dddcc+++) from each number.
 *
 * Why in the billing stage: a number and its communication are part of
 * the bill a member pays (the bank matches the transfer by it) and the
 * journal the treasurer books; writers only print them (reports/).
 *
 * Rules chosen (docs/operator.md): a number is the series followed by
 * first + k (k the participant's rank by id) written with at least three
 * digits, as wide as the largest number of the run ("CE-2025-001" …
 * "CE-2025-012"), so that numbers sort as text; its communication takes
 * the number's digits in order, left-padded with zeros to ten (a number
 * with more than ten digits is an error: the communication holds ten);
 * the check pair is those ten digits mod 97, 97 when the remainder is 0.
 * A producer, or anyone whose total is below zero, gets a statement (what
 * the community owes) numbered in the same series.
 *
 * Workload: one sort of the ids and a few dozen bytes per participant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/billing/invoice_doc.h"

void cab_invoice_communication(uint64_t digits, char out[24])
{
	digits %= 10000000000ull;
	unsigned cc = (unsigned)(digits % 97);
	if (cc == 0)
		cc = 97;
	snprintf(out, 24, "+++%03u/%04u/%03u%02u+++",
		 (unsigned)(digits / 10000000ull),
		 (unsigned)(digits / 1000ull % 10000ull),
		 (unsigned)(digits % 1000ull), cc);
}

static const struct cab_scenario *sort_sc;

static int by_id(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	return strcmp(sort_sc->participants[i].id, sort_sc->participants[j].id);
}

/* The number's digits as a value, or false when there are more than 10. */
static bool number_digits(const char *number, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	for (const char *p = number; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (++n > 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return true;
}

enum cab_status cab_invoice_docs(const struct cab_scenario *sc,
				 const struct cab_invoice_cfg *cfg,
				 const struct cab_bill *const *bills,
				 struct cab_invoice_doc *docs,
				 struct cab_err *err)
{
	size_t n = sc->n_participants;
	memset(docs, 0, n * sizeof *docs);
	if (!cfg->is_set)
		return CAB_OK;
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_sc = sc;
	qsort(order, n, sizeof *order, by_id);
	sort_sc = NULL;
	long last = cfg->first + (long)(n ? n - 1 : 0);
	int width = snprintf(NULL, 0, "%ld", last);
	if (width < 3)
		width = 3;
	int64_t issue =
	    cab_time_days_from_civil(cfg->issue_y, cfg->issue_m, cfg->issue_d);
	enum cab_status st = CAB_OK;
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		struct cab_invoice_doc *d = &docs[i];
		const struct cab_bill *b = bills[i];
		d->is_set = true;
		snprintf(d->number, sizeof d->number, "%s%0*ld",
			 cfg->series ? cfg->series : "", width,
			 cfg->first + (long)k);
		uint64_t digits;
		if (!number_digits(d->number, &digits)) {
			st = cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: $.billing.invoice.series: invoice number "
			      "'%s' has more than 10 digits (expected at most "
			      "10: the structured communication holds 10)"),
			    sc->path, d->number);
			break;
		}
		cab_invoice_communication(digits, d->communication);
		d->issue_y = cfg->issue_y;
		d->issue_m = cfg->issue_m;
		d->issue_d = cfg->issue_d;
		cab_time_civil_from_days(issue + cfg->due_days, &d->due_y,
					 &d->due_m, &d->due_d);
		for (size_t l = 0; l < b->n_lines; l++)
			if (!strcmp(b->lines[l].name, "vat"))
				d->vat_cents += b->lines[l].amount_cents;
		d->total_excl_vat_cents = b->total_cents - d->vat_cents;
		d->is_statement =
		    sc->participants[i].kind == CAB_KIND_PRODUCER ||
		    b->total_cents < 0;
	}
	free(order);
	return st;
}
