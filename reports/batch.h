/*
 * batch.h — the summaries of `cabine batch` (docs/batch.md), written from
 * its results file (batch.sqlite, cabine/store.h): batch.csv
 * (reports/batch_csv.c) and the workbook across the sweep's grid
 * (reports/xlsx/batch.c).
 *
 * Why from the file: a batch killed and restarted, or shards merged on a
 * cluster, have their runs only there; the summaries read every run
 * recorded, in id order, whichever process computed it.
 *
 * Ownership: everything passed in is borrowed for the call.
 */
#ifndef CABINE_REPORTS_BATCH_H
#define CABINE_REPORTS_BATCH_H

#include "cabine/err.h"
#include "cabine/store.h"

/* dir/name (batch.csv): one row per run recorded ok, in id order: the
 * scenario's name, one column per swept key (a sweep only), its key, its
 * size and totals (docs/batch.md). Fails with CAB_EIO naming the file. */
enum cab_status cab_report_batch_csv(const char *results, const char *dir,
				     const char *name, struct cab_err *err);
/* dir/name (batch.xlsx): every run with its parameters, totals and
 * status, and charts of the bill saving across the grid, texts in lang
 * (enum cab_lang). Fails with CAB_EIO or CAB_ENOMEM. */
enum cab_status cab_report_batch_xlsx(const char *results, const char *dir,
				      const char *name, int lang,
				      struct cab_err *err);

#endif
