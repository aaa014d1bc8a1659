/*
 * io.h — internal to reports/: opening and closing output files so that
 * every writer checks stdio errors the same way (a full disk is an error
 * naming the file, never a silently truncated report).
 */
#ifndef CABINE_REPORTS_IO_H
#define CABINE_REPORTS_IO_H

#include <stdbool.h>
#include <stdio.h>

#include "cabine/err.h"
#include "cabine/run.h"

/* Open dir/name for writing; path receives the full name (for messages).
 * Returns NULL with CAB_EIO in err on failure. */
FILE *cab_report_open(const char *dir, const char *name, char *path,
		      size_t path_size, struct cab_err *err);
/* Flush and close f; CAB_EIO naming path if anything failed. */
enum cab_status cab_report_close(FILE *f, const char *path,
				 struct cab_err *err);
/* Participant indices sorted by id (strcmp), for CSV row order.
 * Returns a malloc'd array the caller frees, or NULL on ENOMEM. */
size_t *cab_report_order_by_id(const struct cab_run *run);

/* s as a JSON string, quotes and escapes included. */
void cab_report_json_string(FILE *f, const char *s);
/* kWh with 6 decimals (null for NaN); cents as EUR with 2 decimals. */
void cab_report_json_kwh(FILE *f, double kwh);
void cab_report_json_eur(FILE *f, int64_t cents);

struct cab_fairness;
struct cab_report_opts;
/* The fairness of runs[k] as opts gives it, or else computed here
 * without Shapley shares into *owned (the caller frees it with
 * cab_fairness_free); NULL when out of memory (err says so). */
const struct cab_fairness *
cab_report_fairness(const struct cab_run *run, const struct cab_report_opts *o,
		    size_t k, struct cab_fairness **owned, struct cab_err *err);

#endif
