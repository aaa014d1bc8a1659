/*
 * fill.c — linear and mean-week-profile filling of missing quarter-hours
 * (SPEC §8). Pure functions on one series; the caller decides whether to
 * fill and reports the counts.
 */
#include "cabine/fill.h"

#include <math.h>
#include <string.h>

#include "cabine/time.h"

size_t cab_fill_linear(double *kwh, size_t n, size_t max_gap, bool *is_filled)
{
	size_t filled = 0;
	size_t t = 0;
	while (t < n) {
		if (!isnan(kwh[t])) {
			t++;
			continue;
		}
		size_t start = t;
		while (t < n && isnan(kwh[t]))
			t++;
		/* [start, t) is a gap; it needs a value on each side. */
		size_t len = t - start;
		if (start == 0 || t == n || len > max_gap)
			continue;
		double a = kwh[start - 1], b = kwh[t];
		for (size_t k = 0; k < len; k++) {
			double f = (double)(k + 1) / (double)(len + 1);
			kwh[start + k] = a + (b - a) * f;
			if (is_filled)
				is_filled[start + k] = true;
		}
		filled += len;
	}
	return filled;
}

size_t cab_fill_profile(double *kwh, size_t n, int64_t t0_s, bool *is_filled)
{
	enum { SLOTS = 672 };
	double sum[SLOTS];
	size_t cnt[SLOTS];
	memset(sum, 0, sizeof(sum));
	memset(cnt, 0, sizeof(cnt));
	/* Local week slot of interval t, computed once per interval. */
	for (size_t t = 0; t < n; t++) {
		if (isnan(kwh[t]))
			continue;
		struct cab_civil lc;
		cab_time_to_local(t0_s + (int64_t)t * CAB_INTERVAL_S, &lc);
		int s = lc.wday * 96 + lc.hour * 4 + lc.minute / 15;
		sum[s] += kwh[t];
		cnt[s]++;
	}
	size_t filled = 0;
	for (size_t t = 0; t < n; t++) {
		if (!isnan(kwh[t]))
			continue;
		struct cab_civil lc;
		cab_time_to_local(t0_s + (int64_t)t * CAB_INTERVAL_S, &lc);
		int s = lc.wday * 96 + lc.hour * 4 + lc.minute / 15;
		if (!cnt[s])
			continue;
		kwh[t] = sum[s] / (double)cnt[s];
		if (is_filled)
			is_filled[t] = true;
		filled++;
	}
	return filled;
}
