/*
 * power.h — the parser state that the power-sample formats share
 * (internal to engine/ingest/: fmt_power.c, fmt_flukso_json.c).
 *
 * Why: power-csv, flukso-csv and flukso-json report problems the same
 * way (up to CAB_POWER_MAX_PROBLEMS per file, then only counted, and the
 * list ends with "… and N more problems"; the integrator's input
 * problems count, anything else stops at once) and
 * hand samples to the same integrator; this keeps that one rule for the
 * three.
 *
 * Ownership: a struct cab_pparser lives on its parser's stack and
 * borrows everything it points to.
 */
#ifndef CABINE_POWER_H
#define CABINE_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/time.h"
#include "engine/ingest/ingest.h"

#define CAB_POWER_MAX_PROBLEMS                                                 \
	20 /* problems listed per file before                                  \
	      giving up */

/* How a file writes its timestamps (its first one decides). */
enum cab_zone_form { CAB_FORM_UNKNOWN, CAB_FORM_ZONED, CAB_FORM_NAIVE };

/* One power file being parsed. */
struct cab_pparser {
	struct cab_ingest *ing;	      /* destination */
	const char *name;	      /* file name for messages (borrowed) */
	struct cab_err *err;	      /* messages */
	int n_problems;		      /* input problems reported */
	size_t cap_mark;	      /* cab_err_cap's mark, for pp_status */
	bool is_capped;		      /* err is capped until pp_status */
	enum cab_status hard;	      /* a non-input failure (memory), or OK */
	char date_key[10];	      /* "YYYY-MM-DD" of date_days */
	int64_t date_days;	      /* days since 1970 of date_key */
	bool has_date;		      /* date_key is valid */
	enum cab_zone_form form;      /* form of the file's first timestamp */
	struct cab_local_clock clock; /* resolves naive local times */
	bool has_wall;		      /* last_wall is set */
	int64_t last_wall;	      /* last naive wall time resolved … */
	int64_t last_utc;	      /* … and its UTC instant */
};

/* A hard failure: stop reading (input problems are all counted). */
static inline bool must_stop(const struct cab_pparser *p)
{
	return p->hard != CAB_OK;
}

/* Result of a status from the integrator: input problems count and
 * parsing goes on, anything else stops. */
static inline void took(struct cab_pparser *p, enum cab_status st)
{
	if (st == CAB_EINPUT)
		p->n_problems++;
	else if (st != CAB_OK)
		p->hard = st;
}

/* The parse's result: a hard failure, else CAB_EINPUT if any problem.
 * Ends the file's capped list of problems (call it once the file is
 * done). */
static inline enum cab_status pp_status(struct cab_pparser *p)
{
	if (p->is_capped) {
		cab_err_uncap(p->err, p->cap_mark);
		p->is_capped = false;
	}
	if (p->hard != CAB_OK)
		return p->hard;
	return p->n_problems ? CAB_EINPUT : CAB_OK;
}

/* Start a Flukso file (one sensor, readings that close their period):
 * false, with the problem recorded, when --meter did not name it. */
bool cab_flukso_start(struct cab_pparser *p, struct cab_ingest *ing,
		      const char *name, struct cab_err *err);

#endif
