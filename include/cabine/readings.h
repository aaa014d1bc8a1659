/*
 * readings.h — quarter-hour energy series per meter over one period.
 *
 * Why: the engine needs, for each meter a scenario names, one contiguous
 * array of kWh indexed by interval of the period, with missing intervals
 * kept as missing (NaN), never zero (SPEC §8). The canonical readings CSV
 * `timestamp,meter,kwh` is parsed streaming (files of a thousand meters
 * over a year hold 35 M rows) and validated completely before anything is
 * used: a bad file changes nothing.
 *
 * Ownership: cab_readings_new() returns an object the caller frees with
 * cab_readings_free(); series pointers returned by accessors are borrowed
 * and live as long as the object.
 */
#ifndef CABINE_READINGS_H
#define CABINE_READINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"

struct cab_readings;

/* The most energy a meter can read in one quarter-hour: 250,000 kWh
 * (1 GW), the bound of every readings parser and of the run
 * (docs/scenario.md, "Bounds"): beyond, a typo or a unit mistake, and a
 * bill could not be counted. */
#define CAB_READINGS_MAX_KWH 250000.0

/* New empty set of series over [t0_s, t0_s + n_intervals × 900 s).
 * t0_s must be a multiple of 900. Fails only with CAB_ENOMEM. */
enum cab_status cab_readings_new(int64_t t0_s, size_t n_intervals,
				 struct cab_readings **out,
				 struct cab_err *err);
void cab_readings_free(struct cab_readings *r);

/* Declare a meter the caller needs. Once any meter is declared, rows of
 * undeclared meters are validated but not stored (memory stays bounded by
 * what the scenario uses). Declaring twice is harmless. */
enum cab_status cab_readings_want(struct cab_readings *r, const char *meter,
				  struct cab_err *err);

/* Parse a readings CSV file: the canonical `timestamp,meter,kwh` or any
 * dialect of SPEC §11 (`;` and decimal comma, French or Dutch header,
 * local times; the one readings parser, engine/ingest/dialect.h, shared
 * with `import --format csv`). Rows outside the period are validated and
 * ignored; an empty kwh cell leaves its interval missing. Problems (bad
 * number, negative energy, impossible date, timestamp not on a
 * quarter-hour, duplicate (interval, meter) row, wrong column count) are
 * reported as "path:line: message"; up to 20 are listed, then one line
 * "… and N more problems". On any problem the series are left exactly as before
 * the call. */
enum cab_status cab_readings_load_csv(struct cab_readings *r, const char *path,
				      struct cab_err *err);
/* Same on a buffer in memory; `name` is used in messages (fuzz target). */
enum cab_status cab_readings_parse_csv(struct cab_readings *r, const char *name,
				       const char *buf, size_t len,
				       struct cab_err *err);

/* Threads of the readings CSV parse, process-wide (`--jobs N`; ≤ 0: the
 * default, 2). A file is split at line boundaries into parts of at least
 * 2 MiB, so a smaller one is read on one thread; the result does not
 * depend on the threads (same series, same messages). */
void cab_readings_parse_threads(int n);

/* Store one series directly (tests, demo, SQLite store). `kwh` has
 * n_intervals values, NaN for missing; it is copied. Replaces any
 * previous series of that meter. */
enum cab_status cab_readings_put(struct cab_readings *r, const char *meter,
				 const double *kwh, struct cab_err *err);

/* Same, with the flags of values filled at import (the store's quality
 * "filled"; is_filled may be NULL): run results count them as filled. */
enum cab_status cab_readings_put_filled(struct cab_readings *r,
					const char *meter, const double *kwh,
					const uint8_t *is_filled,
					struct cab_err *err);
/* Flags of values filled at import, or NULL when none is. Borrowed. */
const uint8_t *cab_readings_filled(const struct cab_readings *r,
				   const char *meter);

/* Series of a meter: n_intervals values, NaN = missing. NULL if the meter
 * has no row at all in the period. Borrowed. */
const double *cab_readings_series(const struct cab_readings *r,
				  const char *meter);
/* Number of missing intervals of a meter (n_intervals if unknown). */
size_t cab_readings_missing(const struct cab_readings *r, const char *meter);
size_t cab_readings_n_intervals(const struct cab_readings *r);
int64_t cab_readings_t0(const struct cab_readings *r);
/* Number of meters that have a series. */
size_t cab_readings_n_meters(const struct cab_readings *r);
/* Total data rows accepted by the parsers so far (in or out of period). */
size_t cab_readings_rows(const struct cab_readings *r);
/* Id of the i-th meter that has a series (0 ≤ i < cab_readings_n_meters),
 * in order of first appearance; NULL when i is out of range. Borrowed.
 * O(meters known): for listings and tests, not inner loops. */
const char *cab_readings_meter_id(const struct cab_readings *r, size_t i);
/* Id of the i-th meter the readings hold in the period (a row of a CSV,
 * a stored series) that was never declared with cab_readings_want, in
 * order of first appearance; NULL when i is out of range. Borrowed.
 * O(meters known): for warnings and suggestions, not inner loops. */
const char *cab_readings_undeclared_id(const struct cab_readings *r, size_t i);

#endif
