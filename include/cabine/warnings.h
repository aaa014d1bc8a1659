/*
 * warnings.h — what is legal but probably wrong in a scenario, its
 * readings and its run (SPEC §10).
 *
 * Why: a setup can pass every check and still give wrong bills: a year's
 * period with one month of data bills a year of fixed terms, a household
 * forgotten in the scenario while its meter is in the readings, a price
 * typed in cents, fixed weights that leave most of the production
 * unallocated. None of these may block a run (they can be intended), and
 * none may pass silently: each becomes a warning with a stable code, a
 * message and its location, which the command line prints on stderr and
 * summary.json lists. Warnings never change a number.
 *
 * Why in the analyse stage: two of them read the run (a cabin's residual,
 * a participant's demand over the period); the others read the scenario
 * and its readings, which the run already holds, so one pass after the
 * base run finds them all, for every command that loads a scenario.
 *
 * Ownership: everything is borrowed for the call; the warnings go into
 * err (cabine/err.h), which owns them.
 */
#ifndef CABINE_WARNINGS_H
#define CABINE_WARNINGS_H

#include "cabine/err.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/scenario.h"

/* The codes, stable for scripts (SPEC §10). */
#define CAB_WARN_PERIOD_BEYOND_DATA "period_beyond_data"
#define CAB_WARN_LOW_COVERAGE "low_coverage"
#define CAB_WARN_UNUSED_METER "unused_meter"
#define CAB_WARN_CABIN_RESIDUAL "cabin_residual"
#define CAB_WARN_IMPLAUSIBLE_PRICE "implausible_price"
#define CAB_WARN_WEIGHTS_BELOW_ONE "weights_below_one"
#define CAB_WARN_WEIGHT_WITHOUT_DEMAND "weight_without_demand"

/* The thresholds of SPEC §10. */
#define CAB_WARN_MAX_MISSING 0.10   /* of the period's intervals */
#define CAB_WARN_MAX_RESIDUAL 0.10  /* of a cabin's import */
#define CAB_WARN_MAX_EUR_KWH 2.0    /* a price per kWh */
#define CAB_WARN_MAX_EUR_YEAR 1000. /* a yearly fixed term */
#define CAB_WARN_MIN_WEIGHTS 0.99   /* Σ fixed weights of a pool */

/* Find every warning of the scenario sc, its readings rd and the run of
 * its base (run, from cab_run_new with variant -1; the variants' weights
 * are read from sc) and add them to err's warnings, in the order of the
 * table of SPEC §10. err's code is left as it was. A scenario reading a
 * store ("db") has the store opened again to list its meters. Fails with
 * CAB_ENOMEM, or CAB_EIO when the store cannot be read (then the message
 * is in err). */
enum cab_status cab_warnings_find(const struct cab_scenario *sc,
				  const struct cab_readings *rd,
				  const struct cab_run *run,
				  struct cab_err *err);

#endif
