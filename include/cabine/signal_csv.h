/*
 * signal_csv.h — the one reader of signal.csv, the windows of expected
 * solar surplus that `cabine forecast` writes (SPEC §15).
 *
 * Why: two commands read the file back — `cabine alerts --signal` (the
 * windows as announced windows, to measure whether households followed
 * them) and `cabine site --signal` (the inhabitants' "when to use the
 * sun" box, which shows the surplus) — and a file must mean the same to
 * both, so there is one parser (engine/ingest/signal_csv.c).
 *
 * Format: the header `start,end,surplus_kwh`, then one window a line:
 * start and end in local Brussels time "YYYY-MM-DDTHH:MM" (an offset or Z
 * is allowed; a local time of the repeated autumn hour is the summer
 * one), on quarter-hours, end after start and within 24 h; surplus_kwh a
 * decimal ≥ 0 and at most CAB_READINGS_MAX_KWH per quarter-hour of the
 * window (the bound of every meter reading: 1 GW). A UTF-8 BOM, CRLF and
 * blank lines are accepted. Windows are returned in file order.
 *
 * Ownership: *out is a heap array the caller frees (NULL when there is
 * no window).
 */
#ifndef CABINE_SIGNAL_CSV_H
#define CABINE_SIGNAL_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"

/* One window of signal.csv. */
struct cab_signal_window {
	int64_t start_s, end_s; /* UTC, multiples of 900, end > start */
	double surplus_kwh;	/* the community's expected surplus over it,
				   finite, ≥ 0 */
};

/* Parse the signal.csv text buf[0..len) named `name` in messages into
 * *out (*n windows). Problems are "name:line: what (expected)", at most
 * CAB_ERR_LIST_MAX, then "… and N more problems"; on failure (CAB_EINPUT,
 * CAB_ENOMEM) *out is NULL and *n 0. */
enum cab_status cab_signal_csv_parse(const char *name, const char *buf,
				     size_t len, struct cab_signal_window **out,
				     size_t *n, struct cab_err *err);

/* Read and parse the file at path (messages name the path). */
enum cab_status cab_signal_csv_read(const char *path,
				    struct cab_signal_window **out, size_t *n,
				    struct cab_err *err);

#endif
