/*
 * indicators.c — the community's indicators of SPEC §6 from the sharing's
 * results: collective self-consumption Σa / ΣS, self-sufficiency
 * (ΣO + Σa) / ΣC (the same formula per participant), the positive-energy
 * balance ΣP − ΣC and the coincidence factor
 * max_t Σ_i C_i(t) / Σ_i max_t C_i(t).
 *
 * Why here: the indicators are sums of interval values (never values of
 * period totals), so they belong with the volumes that produce them,
 * before any bill. Workload: one pass over each participant's
 * consumption series (on two threads for a long period of a large
 * community) and one array of n_intervals sums.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "engine/sharing/sharing.h"

double cab_self_sufficiency(double o_kwh, double a_kwh, double c_kwh)
{
	return c_kwh > 0 ? (o_kwh + a_kwh) / c_kwh : NAN;
}

/* Intervals [t_begin, t_end) of the coincidence factor's sums: Σ_i C_i(t)
 * into sum_c_t[t] (i ascending) and each member's largest C there into
 * max_c[i] (0 if none is above 0). */
struct coincidence_part {
	size_t n;
	const struct cab_share_member *m;
	size_t t_begin, t_end;
	double *sum_c_t; /* the period's n_intervals sums */
	double *max_c;	 /* n */
};

static void *coincidence_part_run(void *arg)
{
	const struct coincidence_part *w = arg;
	for (size_t i = 0; i < w->n; i++) {
		const double *c = w->m[i].consumption_kwh;
		double mx = 0;
		for (size_t t = w->t_begin; t < w->t_end; t++) {
			if (isnan(c[t]))
				continue;
			w->sum_c_t[t] += c[t];
			if (c[t] > mx)
				mx = c[t];
		}
		w->max_c[i] = mx;
	}
	return NULL;
}

/* max_t Σ_i C_i(t) / Σ_i max_t C_i(t) over the valid intervals. A long
 * period of a large community is read on two threads, each half of the
 * intervals: each Σ_i C_i(t) is still made in participant order and a
 * maximum does not depend on the order, so the factor is the doubles of
 * one pass. */
static enum cab_status coincidence(size_t n, const struct cab_share_member *m,
				   size_t nt, double *out)
{
	double *sum_c_t = calloc(nt ? nt : 1, sizeof(double));
	double *max_c = malloc(2 * (n ? n : 1) * sizeof(double));
	if (!sum_c_t || !max_c) {
		free(sum_c_t);
		free(max_c);
		return CAB_ENOMEM;
	}
	struct coincidence_part part[2] = {{n, m, 0, nt, sum_c_t, max_c},
					   {n, m, nt, nt, sum_c_t, max_c + n}};
	pthread_t th;
	bool is_started = false;
	if (cab_share_is_threaded(n, nt)) {
		part[0].t_end = part[1].t_begin = nt / 2;
		is_started = pthread_create(&th, NULL, coincidence_part_run,
					    &part[1]) == 0;
	}
	coincidence_part_run(&part[0]);
	if (is_started)
		pthread_join(th, NULL);
	else
		coincidence_part_run(&part[1]);
	double sum_max_c = 0;
	for (size_t i = 0; i < n; i++)
		sum_max_c += max_c[i] > max_c[n + i] ? max_c[i] : max_c[n + i];
	double max_sum_c = 0;
	for (size_t t = 0; t < nt; t++)
		if (sum_c_t[t] > max_sum_c)
			max_sum_c = sum_c_t[t];
	free(sum_c_t);
	free(max_c);
	*out = sum_max_c > 0 ? max_sum_c / sum_max_c : NAN;
	return CAB_OK;
}

enum cab_status
cab_indicators_compute(size_t n, const struct cab_share_member *m,
		       size_t n_intervals, const struct cab_volumes *community,
		       bool is_sharing, struct cab_indicators *ind)
{
	if (!is_sharing)
		/* Nobody shares: every surplus is injected, S counts it for
		 * the indicators. */
		ind->shared_injection_kwh += community->surplus_kwh;
	ind->unallocated_kwh = ind->shared_injection_kwh - ind->allocated_kwh;
	ind->self_consumption_rate =
	    ind->shared_injection_kwh > 0
		? ind->allocated_kwh / ind->shared_injection_kwh
		: NAN;
	ind->self_sufficiency_rate = cab_self_sufficiency(
	    community->self_consumed_kwh, ind->allocated_kwh,
	    community->consumption_kwh);
	ind->positive_energy_balance_kwh =
	    community->production_kwh - community->consumption_kwh;
	return coincidence(n, m, n_intervals, &ind->coincidence_factor);
}
