/*
 * operator.c — billing.source "operator" (SPEC §13): the volumes the
 * grid operator allocated, read from its quarter-hour series, stand in
 * for the sharing key.
 *
 * Why: once live, what a member receives is what the operator computed,
 * not what cabine's key would give; a community that bills its members
 * from the operator's file must find, to the cent, the file's volumes ×
 * the tariff. Everything after the sharing (volumes, indicators, bills,
 * reports) then runs unchanged on these series: C is the net offtake
 * (shared + grid), P the net injection (shared + grid), a the shared
 * offtake and given the shared injection, so that the complementary
 * volume D − a is the grid offtake and the injected volume X − given the
 * grid injection, and SPEC §9's identities hold interval by interval.
 *
 * Workload: four series per participant, one pass each.
 * Memory: C and P are copies owned by the run (struct cab_series.copy).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/operator.h"
#include "cabine/time.h"
#include "engine/sharing/sharing.h"

/* The four series of participant i in the readings, or false. */
static bool find_series(const struct cab_scenario *sc,
			const struct cab_readings *rd, size_t i,
			const double *kwh[CAB_OPVOL_COUNT])
{
	const char *ean = sc->participants[i].ean;
	bool any = false;
	char name[64];
	for (int v = 0; v < CAB_OPVOL_COUNT; v++) {
		kwh[v] = NULL;
		if (!ean)
			continue;
		cab_operator_series_name(ean, (enum cab_opvol)v, name,
					 sizeof name);
		kwh[v] = cab_readings_series(rd, name);
		any |= kwh[v] != NULL;
	}
	return any;
}

enum cab_status cab_series_load_operator(const struct cab_scenario *sc,
					 const struct cab_readings *rd,
					 size_t i, struct cab_series *out,
					 struct cab_err *err)
{
	memset(out, 0, sizeof *out);
	const double *kwh[CAB_OPVOL_COUNT];
	if (!find_series(sc, rd, i, kwh))
		return cab_err_add(
		    err, CAB_EINPUT,
		    "%s: participant '%s': EAN %s has no volume of the "
		    "operator in the period (expected its rows in the "
		    "operator's quarter-hour file, imported with cabine "
		    "import --format sibelga-15min)",
		    sc->path, sc->participants[i].id,
		    sc->participants[i].ean ? sc->participants[i].ean : "?");
	size_t n = sc->n_intervals;
	double *c = malloc((n ? n : 1) * sizeof *c);
	double *p = malloc((n ? n : 1) * sizeof *p);
	if (!c || !p) {
		free(c);
		free(p);
		return CAB_ENOMEM;
	}
	for (size_t t = 0; t < n; t++) {
		double v[CAB_OPVOL_COUNT];
		bool is_missing = false;
		for (int k = 0; k < CAB_OPVOL_COUNT; k++) {
			v[k] = kwh[k] ? kwh[k][t] : NAN;
			is_missing |= isnan(v[k]);
		}
		c[t] = is_missing ? NAN
				  : v[CAB_OPVOL_SHARED_OFFTAKE] +
					v[CAB_OPVOL_GRID_OFFTAKE];
		p[t] = is_missing ? NAN
				  : v[CAB_OPVOL_SHARED_INJECTION] +
					v[CAB_OPVOL_GRID_INJECTION];
		out->missing_intervals += is_missing;
	}
	out->consumption_kwh = out->copy[0] = c;
	out->production_kwh = out->copy[1] = p;
	out->is_net = true;
	out->max_kwh = INFINITY; /* not looked at here: the run checks them */
	return CAB_OK;
}

enum cab_status
cab_share_operator(const struct cab_scenario *sc, const struct cab_readings *rd,
		   const struct cab_share_member *m, size_t n_intervals,
		   struct cab_indicators *ind, struct cab_err *err)
{
	size_t n = sc->n_participants;
	double *sum_a = calloc(n_intervals + 1, sizeof *sum_a);
	double *sum_s = calloc(n_intervals + 1, sizeof *sum_s);
	if (!sum_a || !sum_s) {
		free(sum_a);
		free(sum_s);
		return CAB_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const double *kwh[CAB_OPVOL_COUNT];
		find_series(sc, rd, i, kwh);
		const double *so = kwh[CAB_OPVOL_SHARED_OFFTAKE];
		const double *si = kwh[CAB_OPVOL_SHARED_INJECTION];
		for (size_t t = 0; t < n_intervals; t++) {
			bool is_missing = isnan(m[i].consumption_kwh[t]);
			double a = is_missing || !so ? 0 : so[t];
			double g = is_missing || !si ? 0 : si[t];
			if (m[i].shared_kwh)
				m[i].shared_kwh[t] = is_missing ? NAN : a;
			if (m[i].given_kwh)
				m[i].given_kwh[t] = is_missing ? NAN : g;
			if (is_missing)
				continue;
			sum_a[t] += a;
			sum_s[t] += m[i].production_kwh[t];
		}
	}
	enum cab_status st = CAB_OK;
	double tol = 1e-3 * (double)n + 1e-9;
	for (size_t t = 0; t < n_intervals; t++) {
		if (sum_a[t] > sum_s[t] + tol) {
			char ts[21];
			cab_time_format_utc(
			    sc->t0_s + (int64_t)t * CAB_INTERVAL_S, ts);
			st = cab_err_add(
			    err, CAB_EINPUT,
			    "%s: $.billing.source: at %s the operator's shared "
			    "offtake (%.6f kWh) exceeds the community's "
			    "injection (%.6f kWh) (expected the operator's "
			    "allocation within what the members injected)",
			    sc->path, ts, sum_a[t], sum_s[t]);
			break;
		}
		ind->shared_injection_kwh += sum_s[t];
		ind->allocated_kwh += sum_a[t];
	}
	free(sum_a);
	free(sum_s);
	return st;
}
