/*
 * curves.h — load-curve statistics (SPEC §6, issue 6).
 *
 * Why: researchers and assemblies look at how a household's or a group's
 * consumption is shaped: the median day with its quartiles, the mean week,
 * each by season, and how curves smooth out when added up (the
 * coincidence factor as a group grows).
 *
 * Subjects are each participant, each group (every cabin with members,
 * then the scenario's "groups"), and the community. A subject's series at
 * an interval is the sum of its members' values, missing when any member
 * is missing there; missing intervals are left out of every statistic.
 * Quartiles use linear interpolation between order statistics (the
 * "type 7" rule of R and NumPy).
 *
 * Ownership: cab_curves_new() returns an object freed with
 * cab_curves_free(); it borrows the run (which must outlive it).
 */
#ifndef CABINE_CURVES_H
#define CABINE_CURVES_H

#include <stddef.h>

#include "cabine/err.h"
#include "cabine/run.h"

#define CAB_DAY_SLOTS 96 /* quarter-hours of a local day */
#define CAB_WEEK_SLOTS                                                         \
	672	      /* quarter-hours of a local week, Monday 00:00 first */
#define CAB_SEASONS 5 /* all, winter (DJF), spring, summer, autumn */
#define CAB_CURVE_SERIES 3 /* consumption, production, net = C − P */

/* Statistics of one subject, series and season. */
struct cab_curve_stats {
	double q1[CAB_DAY_SLOTS]; /* first quartile by local time of day */
	double median[CAB_DAY_SLOTS];
	double q3[CAB_DAY_SLOTS];
	double mean[CAB_DAY_SLOTS];
	double week_mean[CAB_WEEK_SLOTS]; /* NaN where no value */
};

struct cab_curve_subject {
	char *name; /* participant id, "cabin:<id>", "group:<name>", "community"
		     */
	size_t n_members;
	size_t missing_intervals; /* intervals left out */
	struct cab_curve_stats stats[CAB_CURVE_SERIES][CAB_SEASONS];
	double *coincidence; /* coincidence factor of its first k+1 members, k <
				n_members */
};

struct cab_curves {
	size_t n;			   /* subjects */
	struct cab_curve_subject *subject; /* n subjects, owned */
};

/* Names used in files: "consumption", "production", "net"; "all",
 * "winter", "spring", "summer", "autumn". */
const char *cab_curves_series_name(int series);
const char *cab_curves_season_name(int season);

/* Compute the statistics of every subject. Fails only with CAB_ENOMEM. */
enum cab_status cab_curves_new(const struct cab_run *run,
			       struct cab_curves **out, struct cab_err *err);
void cab_curves_free(struct cab_curves *c);

/* Quartile helper, exposed for tests: the p-quantile (0 ≤ p ≤ 1) of the
 * n sorted values x, by linear interpolation; NaN when n = 0. */
double cab_curves_quantile(const double *sorted, size_t n, double p);

#endif
