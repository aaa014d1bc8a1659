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
 * consumption series and one array of n_intervals sums.
 */
#include <math.h>
#include <stdlib.h>

#include "engine/sharing/sharing.h"

double cab_self_sufficiency(double o_kwh, double a_kwh, double c_kwh)
{
	return c_kwh > 0 ? (o_kwh + a_kwh) / c_kwh : NAN;
}

/* max_t Σ_i C_i(t) / Σ_i max_t C_i(t) over the valid intervals. */
static enum cab_status coincidence(size_t n, const struct cab_share_member *m,
				   size_t nt, double *out)
{
	double *sum_c_t = calloc(nt ? nt : 1, sizeof(double));
	if (!sum_c_t)
		return CAB_ENOMEM;
	double sum_max_c = 0;
	for (size_t i = 0; i < n; i++) {
		const double *c = m[i].consumption_kwh;
		double mx = 0;
		for (size_t t = 0; t < nt; t++) {
			if (isnan(c[t]))
				continue;
			sum_c_t[t] += c[t];
			if (c[t] > mx)
				mx = c[t];
		}
		sum_max_c += mx;
	}
	double max_sum_c = 0;
	for (size_t t = 0; t < nt; t++)
		if (sum_c_t[t] > max_sum_c)
			max_sum_c = sum_c_t[t];
	free(sum_c_t);
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
