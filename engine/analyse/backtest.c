/*
 * backtest.c — `cabine forecast --backtest` (SPEC §15): a past period's
 * forecast against what the meters measured.
 *
 * Why: before a community trusts an SMS that says "use the sun between
 * 11:00 and 15:00", it wants to see how far the forecast was from its own
 * panels and whether a signalled window really had a surplus. The
 * forecast is rolling (each day from the 4 weeks before it, as a forecast
 * sent the evening before would have been) and its errors are summed
 * per quarter-hour, never from period totals:
 *   - per installation with a production meter (gross PV), and for the
 *     community: those installations' PV (forecast.solar: the file's PV
 *     against every production meter), the consumption of every
 *     participant with a consumption or offtake meter, and the surplus
 *     Σ (production − consumption) of every metered participant (net
 *     meters: injection − offtake, the same X − D);
 *   - bias Σ (f − m) and normalised mean absolute error Σ |f − m| / Σ |m|
 *     over the quarter-hours where both are known;
 *   - a window is judged when every metered participant was measured in
 *     each of its quarter-hours, and had a surplus when the measured
 *     surplus summed over it is above 0.
 *
 * Workload: one pass over the forecast's quarter-hours per subject.
 * Ownership: the result owns its arrays; the forecast and readings are
 * borrowed for the call only.
 */
#include "cabine/forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

double cab_backtest_bias_kwh(const struct cab_backtest_row *r)
{
	return r->intervals ? r->forecast_kwh - r->measured_kwh : NAN;
}

double cab_backtest_bias_pct(const struct cab_backtest_row *r)
{
	return r->measured_abs_kwh > 0
		   ? cab_backtest_bias_kwh(r) / r->measured_abs_kwh * 100
		   : NAN;
}

double cab_backtest_nmae_pct(const struct cab_backtest_row *r)
{
	return r->measured_abs_kwh > 0
		   ? r->abs_error_kwh / r->measured_abs_kwh * 100
		   : NAN;
}

void cab_backtest_free(struct cab_backtest *b)
{
	if (!b)
		return;
	free(b->rows);
	free(b->windows);
	free(b->day_forecast_pv_kwh);
	free(b->day_measured_pv_kwh);
	free(b);
}

/* What one participant's meters measured, as series of the readings. */
struct measured {
	const double *p;  /* production (gross) or injection (net), or NULL */
	const double *c;  /* consumption (gross) or offtake (net), or NULL */
	bool is_metered;  /* it has a meter at all */
	bool is_gross_pv; /* p is its PV (a production meter) */
};

static struct measured measured_of(const struct cab_participant *pa,
				   const struct cab_readings *rd)
{
	struct measured m = {0};
	const char *pm =
	    pa->meter_production ? pa->meter_production : pa->meter_injection;
	const char *cm =
	    pa->meter_consumption ? pa->meter_consumption : pa->meter_offtake;
	m.p = pm ? cab_readings_series(rd, pm) : NULL;
	m.c = cm ? cab_readings_series(rd, cm) : NULL;
	m.is_metered = pm || cm;
	m.is_gross_pv = pa->meter_production && m.p;
	return m;
}

/* Value of s at readings index i, NaN outside or without series. */
static double at(const double *s, long i, size_t rn)
{
	return s && i >= 0 && (size_t)i < rn ? s[i] : NAN;
}

static void add(struct cab_backtest_row *r, double f, double m)
{
	if (isnan(f) || isnan(m))
		return;
	r->intervals++;
	r->forecast_kwh += f;
	r->measured_kwh += m;
	r->abs_error_kwh += fabs(f - m);
	r->measured_abs_kwh += fabs(m);
}

enum cab_status cab_backtest_new(const struct cab_forecast *f,
				 const struct cab_readings *rd,
				 struct cab_backtest **out, struct cab_err *err)
{
	const struct cab_scenario *sc = f->sc;
	size_t np = sc->n_participants, n = f->n;
	*out = NULL;
	struct cab_backtest *b = calloc(1, sizeof(*b));
	struct measured *m = calloc(np + 1, sizeof(*m));
	long *array_row = calloc(f->n_arrays + 1, sizeof(long));
	if (!b || !m || !array_row)
		goto oom;
	b->rows = calloc(f->n_arrays + 3, sizeof(*b->rows));
	b->windows = calloc(f->n_windows + 1, sizeof(*b->windows));
	b->n_days = f->n_days;
	b->day_forecast_pv_kwh = calloc(f->n_days + 1, sizeof(double));
	b->day_measured_pv_kwh = calloc(f->n_days + 1, sizeof(double));
	if (!b->rows || !b->windows || !b->day_forecast_pv_kwh ||
	    !b->day_measured_pv_kwh)
		goto oom;
	size_t n_pv_meters = 0;
	for (size_t i = 0; i < np; i++) {
		m[i] = measured_of(&sc->participants[i], rd);
		n_pv_meters += m[i].is_gross_pv;
	}
	/* Rows: each measured installation, then the community's three. */
	for (size_t a = 0; a < f->n_arrays; a++) {
		array_row[a] = -1;
		if (!m[f->array_of[a]].is_gross_pv)
			continue;
		array_row[a] = (long)b->n_rows;
		b->rows[b->n_rows++] = (struct cab_backtest_row){
		    .participant = (long)f->array_of[a],
		    .quantity = CAB_BACKTEST_PV};
	}
	size_t n_inst = b->n_rows;
	/* Installations by participant id (the CSV's order): an insertion
	 * sort, a community has a few dozen of them; array_row follows. */
	for (size_t r = 1; r < n_inst; r++)
		for (size_t j = r;
		     j > 0 &&
		     strcmp(sc->participants[b->rows[j - 1].participant].id,
			    sc->participants[b->rows[j].participant].id) > 0;
		     j--) {
			struct cab_backtest_row x = b->rows[j];
			b->rows[j] = b->rows[j - 1];
			b->rows[j - 1] = x;
		}
	for (size_t a = 0; a < f->n_arrays; a++)
		for (size_t r = 0; r < n_inst && array_row[a] >= 0; r++)
			if ((size_t)b->rows[r].participant == f->array_of[a])
				array_row[a] = (long)r;
	if (f->source == CAB_WEATHER_OPEN_METEO ? n_inst == 0
						: n_pv_meters == 0) {
		cab_err_add(err, CAB_EINPUT,
			    _("%s: no installation with 'pv' has a production "
			      "meter (the backtest compares the forecast with "
			      "measured PV)"),
			    sc->path);
		cab_backtest_free(b);
		free(m);
		free(array_row);
		return CAB_EINPUT;
	}
	struct cab_backtest_row *cpv = &b->rows[b->n_rows++];
	struct cab_backtest_row *ccons = &b->rows[b->n_rows++];
	struct cab_backtest_row *csur = &b->rows[b->n_rows++];
	*cpv = (struct cab_backtest_row){.participant = -1,
					 .quantity = CAB_BACKTEST_PV};
	*ccons = (struct cab_backtest_row){
	    .participant = -1, .quantity = CAB_BACKTEST_CONSUMPTION};
	*csur = (struct cab_backtest_row){.participant = -1,
					  .quantity = CAB_BACKTEST_SURPLUS};

	int64_t rt0 = cab_readings_t0(rd);
	size_t rn = cab_readings_n_intervals(rd);
	bool *is_judged = calloc(n + 1, sizeof(bool));
	double *msur = calloc(n + 1, sizeof(double));
	if (!is_judged || !msur) {
		free(is_judged);
		free(msur);
		goto oom;
	}
	size_t day = 0;
	int64_t next_day = f->t0_s;
	for (size_t q = 0; q < n; q++) {
		int64_t t = f->t0_s + (int64_t)q * CAB_INTERVAL_S;
		if (t >= next_day) {
			if (q > 0)
				day++;
			struct cab_civil c;
			cab_time_to_local(t, &c);
			int64_t d =
			    cab_time_days_from_civil(c.year, c.month, c.day) +
			    1;
			int y, mo, dd;
			cab_time_civil_from_days(d, &y, &mo, &dd);
			next_day = cab_time_local_midnight(y, mo, dd);
			b->day_measured_pv_kwh[day] = NAN;
		}
		long i = (long)((t - rt0) / CAB_INTERVAL_S);
		/* Installations, and the community's PV over the same ones
		 * (forecast.solar: the file against every production
		 * meter). */
		double f_pv = 0, m_pv = 0;
		if (f->source == CAB_WEATHER_FORECAST_SOLAR) {
			f_pv = f->pv_kwh[q];
			for (size_t k = 0; k < np; k++)
				if (m[k].is_gross_pv)
					m_pv += at(m[k].p, i, rn);
		}
		for (size_t a = 0; a < f->n_arrays; a++) {
			if (array_row[a] < 0)
				continue;
			double fa = f->array_kwh[a * n + q];
			double ma = at(m[f->array_of[a]].p, i, rn);
			add(&b->rows[array_row[a]], fa, ma);
			f_pv += fa;
			m_pv += ma;
		}
		add(cpv, f_pv, m_pv);
		if (!isnan(f_pv) && !isnan(m_pv)) {
			b->day_forecast_pv_kwh[day] += f_pv;
			b->day_measured_pv_kwh[day] =
			    (isnan(b->day_measured_pv_kwh[day])
				 ? 0
				 : b->day_measured_pv_kwh[day]) +
			    m_pv;
		}
		/* Consumption and surplus of the metered participants. */
		double m_cons = 0, m_sur = 0;
		for (size_t k = 0; k < np; k++) {
			const struct cab_participant *pa = &sc->participants[k];
			bool has_c = pa->meter_consumption || pa->meter_offtake;
			bool has_p =
			    pa->meter_production || pa->meter_injection;
			double c = has_c ? at(m[k].c, i, rn) : 0;
			double p = has_p ? at(m[k].p, i, rn) : 0;
			m_cons += c;
			m_sur += p - c;
		}
		add(ccons, f->consumption_kwh[q], m_cons);
		add(csur, f->surplus_kwh[q], m_sur);
		is_judged[q] = !isnan(m_sur);
		msur[q] = m_sur;
	}
	for (size_t d = 0; d < b->n_days; d++)
		if (isnan(b->day_measured_pv_kwh[d]))
			b->day_forecast_pv_kwh[d] = NAN;
	for (size_t k = 0; k < f->n_windows; k++) {
		struct cab_backtest_window *bw = &b->windows[b->n_windows++];
		bw->w = f->windows[k];
		size_t q0 =
		    (size_t)((bw->w.start_s - f->t0_s) / CAB_INTERVAL_S);
		size_t q1 = (size_t)((bw->w.end_s - f->t0_s) / CAB_INTERVAL_S);
		bw->is_judged = true;
		bw->measured_surplus_kwh = 0;
		for (size_t q = q0; q < q1; q++) {
			bw->is_judged = bw->is_judged && is_judged[q];
			bw->measured_surplus_kwh += msur[q];
			bw->positive_intervals += msur[q] > 0;
		}
		if (!bw->is_judged) {
			bw->measured_surplus_kwh = NAN;
			continue;
		}
		b->n_judged++;
		b->n_hits += bw->measured_surplus_kwh > 0;
	}
	free(is_judged);
	free(msur);
	free(m);
	free(array_row);
	*out = b;
	return CAB_OK;
oom:
	cab_backtest_free(b);
	free(m);
	free(array_row);
	return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
}
