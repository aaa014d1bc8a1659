/*
 * invoice_doc.h — internal: invoices as documents (SPEC §13), computed
 * once the bills are known (invoice_doc.c); the structured communication
 * itself is public (cabine/bill.h).
 */
#ifndef CABINE_ENGINE_INVOICE_DOC_H
#define CABINE_ENGINE_INVOICE_DOC_H

#include "cabine/bill.h"
#include "cabine/err.h"
#include "cabine/scenario.h"

/* Fill docs[i] (one per participant, scenario order) from billing.invoice
 * cfg and each participant's bill bills[i] (borrowed): numbers in id
 * order, dates, communication, VAT and total excluding VAT. Without cfg
 * (is_set false) every doc is cleared. Fails with CAB_EINPUT (a number
 * of more than ten digits: "file: $.billing.invoice.series: …") or
 * CAB_ENOMEM. */
enum cab_status cab_invoice_docs(const struct cab_scenario *sc,
				 const struct cab_invoice_cfg *cfg,
				 const struct cab_bill *const *bills,
				 struct cab_invoice_doc *docs,
				 struct cab_err *err);

#endif
