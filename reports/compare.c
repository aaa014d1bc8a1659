/*
 * compare.c — compare.csv, the table of `cabine compare` for scripts
 * (SPEC §7, §8), and the list of compare writers.
 *
 * Why: an assembly weighs sharing keys and billing modes by what each
 * household pays under each of them. compare.csv gives one row per
 * participant and run (the base scenario, named "base", then each
 * variant of "compare" in scenario order): the bill, the baseline billed
 * alone and the difference, in EUR with 2 decimals. Rows are sorted by
 * participant id, then run order, so identical inputs give identical
 * bytes. compare.xlsx, the same for people, lives in reports/xlsx/compare.c
 * (only reports/xlsx/ includes xlsxwriter.h).
 *
 * Workload: participants × runs rows, a few hundred at most.
 */
#include <stdlib.h>
#include <string.h>

#include "cabine/report.h"
#include "reports/io.h"

const char *cab_report_run_name(const struct cab_run *run)
{
	return run->variant ? run->variant : "base";
}

static enum cab_status write_compare_csv(const struct cab_run *const *runs,
					 size_t n_runs,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err)
{
	/* Every run borrows the same scenario: participants are in the same
	 * order in each, so the base's id order serves them all. */
	char path[4096];
	size_t *order = cab_report_order_by_id(runs[0]);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f = cab_report_open(dir, "compare.csv", path, sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	fputs("participant,variant,bill_eur,baseline_eur,delta_eur\n", f);
	char b[48], base[48], d[48];
	for (size_t k = 0; k < runs[0]->n; k++) {
		size_t i = order[k];
		for (size_t r = 0; r < n_runs; r++) {
			const struct cab_participant_result *p = &runs[r]->p[i];
			cab_report_fmt_cents(p->bill.total_cents, b, sizeof(b));
			cab_report_fmt_cents(p->baseline.total_cents, base,
					     sizeof(base));
			cab_report_fmt_cents(p->delta_cents, d, sizeof(d));
			cab_report_csv_text(f, runs[r]->sc->participants[i].id);
			fputc(',', f);
			cab_report_csv_text(f, cab_report_run_name(runs[r]));
			fprintf(f, ",%s,%s,%s\n", b, base, d);
		}
	}
	free(order);
	return cab_report_close(f, path, err);
}

const struct cab_report_compare_ops cab_report_compare_csv = {
    "compare.csv", write_compare_csv};

static const struct cab_report_compare_ops *const compare_writers[] = {
    &cab_report_compare_csv,
    &cab_report_compare_xlsx,
    NULL,
};

const struct cab_report_compare_ops *const *cab_report_compare_writers(void)
{
	return compare_writers;
}

enum cab_status cab_report_compare_write(const struct cab_run *const *runs,
					 size_t n_runs,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	for (size_t k = 0; compare_writers[k] && st == CAB_OK; k++)
		st = compare_writers[k]->write(runs, n_runs, opts, dir, err);
	return st;
}
