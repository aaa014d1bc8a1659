/*
 * cabin.c — the flows at metered LV cabins (SPEC §3 "residual", §6): what
 * a cabin meter imports against what its members' meters say it should.
 *
 * Why in the sharing stage: it is a measure of energy, reported in every
 * billing mode (summary.json, community.xlsx, the cabin_residual
 * warning); the pot only reads it to know which cabins it bills. Per
 * interval, the members' net flow Σ_i (C_i − P_i) is what the cabin
 * imports when positive, as a neighbour's surplus feeds another's demand
 * without passing the cabin (docs/pot.md); the residual, cabin import −
 * metered import, is losses and unmetered use.
 *
 * Workload: one pass over each member's series per metered cabin (a
 * community has a few cabins). Memory: the flows array belongs to the
 * caller.
 */
#include <math.h>
#include <stdlib.h>

#include "engine/sharing/sharing.h"

/* The flow of cabin c whose meter reads s[]. */
static enum cab_status flow_of(const struct cab_scenario *sc, size_t c,
			       const double *s,
			       const struct cab_share_member *m,
			       struct cab_cabin_flow *f)
{
	size_t nt = sc->n_intervals;
	f->cabin = (int)c;
	double *net = calloc(nt ? nt : 1, sizeof(double));
	if (!net)
		return CAB_ENOMEM;
	for (size_t i = 0; i < sc->n_participants; i++) {
		if (sc->participants[i].cabin != (int)c)
			continue;
		const double *cc = m[i].consumption_kwh;
		const double *pp = m[i].production_kwh;
		for (size_t t = 0; t < nt; t++)
			if (!isnan(cc[t]))
				net[t] += cc[t] - pp[t];
	}
	for (size_t t = 0; t < nt; t++) {
		if (isnan(s[t])) {
			f->missing_intervals++;
			continue;
		}
		f->import_kwh += s[t];
		if (net[t] > 0)
			f->metered_import_kwh += net[t];
	}
	free(net);
	f->residual_kwh = f->import_kwh - f->metered_import_kwh;
	return CAB_OK;
}

enum cab_status cab_cabin_flows_new(const struct cab_scenario *sc,
				    const struct cab_readings *rd,
				    const struct cab_share_member *m,
				    bool is_meter_required,
				    struct cab_cabin_flow **out, size_t *n_out,
				    double *residual_kwh, struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	struct cab_cabin_flow *flows = NULL;
	size_t n = 0, cap = 0;
	double residual = NAN;
	*out = NULL;
	*n_out = 0;
	*residual_kwh = NAN;
	for (size_t c = 0; c < sc->n_cabins; c++)
		cap += sc->cabins[c].meter != NULL;
	if (cap == 0)
		return CAB_OK;
	flows = calloc(cap, sizeof(*flows));
	if (!flows)
		return CAB_ENOMEM;
	for (size_t c = 0; c < sc->n_cabins; c++) {
		const struct cab_cabin *cb = &sc->cabins[c];
		if (!cb->meter)
			continue;
		const double *s = cab_readings_series(rd, cb->meter);
		if (!s) {
			/* Only the pot bills the cabin meter; elsewhere a
			 * meter without data is left out of the report. */
			if (!is_meter_required)
				continue;
			st = cab_err_add(err, CAB_EINPUT,
					 "%s: cabin '%s': meter '%s' has no "
					 "reading in the period (expected rows "
					 "for it in the readings)",
					 sc->path, cb->id, cb->meter);
			goto done;
		}
		st = flow_of(sc, c, s, m, &flows[n]);
		if (st != CAB_OK)
			goto done;
		residual =
		    (isnan(residual) ? 0 : residual) + flows[n].residual_kwh;
		n++;
	}
done:
	if (st != CAB_OK) {
		free(flows);
		return st;
	}
	*out = flows;
	*n_out = n;
	*residual_kwh = residual;
	return CAB_OK;
}
