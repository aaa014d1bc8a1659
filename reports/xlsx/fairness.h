/*
 * fairness.h — internal to reports/xlsx/: the fairness sheet (SPEC §12)
 * that community.xlsx and compare.xlsx share, and community.xlsx's sheet
 * of how many participants receive shared energy per quarter-hour.
 *
 * Both only read the run(s) and the fairness audits computed by
 * engine/analyse/fairness.c; errors stay in the book (book.h).
 */
#ifndef CABINE_REPORTS_XLSX_FAIRNESS_H
#define CABINE_REPORTS_XLSX_FAIRNESS_H

#include "cabine/fairness.h"
#include "reports/xlsx/book.h"

/* Sheet ws (named `sheet`, for its chart) of b: per run its sentence
 * ("3 participants pay more than alone; …"), then one row per
 * participant in `order` with the Shapley share of each distinct game
 * and the bill saving under each run, and a chart of both per
 * participant. fair[k] is runs[k]'s audit. */
void cab_xlsx_fairness_sheet(struct cab_book *b, lxw_worksheet *ws,
			     const char *sheet,
			     const struct cab_run *const *runs,
			     const struct cab_fairness *const *fair,
			     size_t n_runs, const size_t *order, int lang);

/* Sheet ws (named `sheet`) of b: over the quarter-hours with shared
 * injection, how many had k participants receiving shared energy, k =
 * 0..the most seen, with a column chart. Fails only on memory (noted in
 * b). */
void cab_xlsx_recipients_sheet(struct cab_book *b, lxw_worksheet *ws,
			       const char *sheet, const struct cab_run *run,
			       int lang);

#endif
