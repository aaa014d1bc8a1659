/*
 * operator.h — the grid operator's data over a scenario's period (SPEC
 * §13): each participant's four quarter-hour series found by its `ean`,
 * and the monthly rows of the period's months, read from the store the
 * operator's files were imported into.
 *
 * Why: the reconciliation sets them beside the simulation, and billing
 * from the operator's volumes (billing.source "operator") reads the
 * same series. Matching is by EAN; an EAN of the operator's data that no
 * participant has is an error naming the file and row it came from,
 * raised here, since the import knows no scenario (docs/operator.md).
 *
 * Ownership: cab_operator_load() returns an object freed with
 * cab_operator_free() (NULL allowed); it borrows the scenario, which
 * must outlive it, and owns its series and rows.
 */
#ifndef CABINE_OPERATOR_H
#define CABINE_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/err.h"
#include "cabine/opfile.h"
#include "cabine/scenario.h"

/* The series name of a volume type of an EAN: "<ean><suffix>" into buf
 * (size bytes). */
void cab_operator_series_name(const char *ean, enum cab_opvol v, char *buf,
			      size_t size);

struct cab_operator_member {
	bool has_data; /* a quarter-hour of the period in the store */
	/* The four series over the period (sc->n_intervals values, NaN
	 * where the operator has none), or NULL without has_data. */
	double *kwh[CAB_OPVOL_COUNT];
	size_t n_valid;	      /* intervals with a value */
	size_t first_nonzero; /* first interval with a volume > 0, or
				 n_intervals */
};

struct cab_operator {
	const struct cab_scenario *sc; /* borrowed */
	size_t n;		       /* = sc->n_participants */
	struct cab_operator_member *p; /* by participant */
	bool has_15min;		       /* some member has data */
	size_t n_months;	       /* monthly rows of the period's months */
	struct cab_opmonth *months;    /* by ean, month, register; only
					  participants' eans */
	long *month_of;		       /* by row: participant index */
	char **month_file;	       /* by row: its file (owned) */
};

/* Read the operator's data of sc's participants from the store db_path
 * (opened read-only). Fails with CAB_EINPUT when the store holds, over
 * the period, an EAN that no participant has (one "file:row: …" line
 * per EAN, at most 20), or cannot be opened; CAB_EIO, CAB_ENOMEM. */
enum cab_status cab_operator_load(const struct cab_scenario *sc,
				  const char *db_path,
				  struct cab_operator **out,
				  struct cab_err *err);
void cab_operator_free(struct cab_operator *op);

/* Only the check of cab_operator_load: every EAN of the store's operator
 * data over sc's period belongs to a participant. */
enum cab_status cab_operator_check_eans(const struct cab_scenario *sc,
					const char *db_path,
					struct cab_err *err);

#endif
