/*
 * pv.c — from the weather to a PV installation's kWh per quarter-hour
 * (SPEC §15, include/cabine/pv.h).
 *
 * The models, each named and referenced:
 *   - decomposition, when the file gives global radiation only:
 *     D. G. Erbs, S. A. Klein, J. A. Duffie, "Estimation of the diffuse
 *     radiation fraction for hourly, daily and monthly-average global
 *     radiation", Solar Energy 28 (1982) 293–302 (the hourly
 *     correlation), with the clearness index taken at a zenith of at most
 *     86.3° (cos ≥ 0.065) as pvlib does, so that dawn does not divide by
 *     nothing;
 *   - transposition to the panel plane: J. E. Hay and J. A. Davies,
 *     "Calculation of the solar radiation incident on an inclined
 *     surface", Proc. First Canadian Solar Radiation Data Workshop (1980)
 *     59–72: beam on the plane, diffuse split into a circumsolar part
 *     (the anisotropy index DNI / I0, projected like the beam) and an
 *     isotropic rest, plus ground reflection with albedo 0.2;
 *   - cell temperature: the NOCT model, T_cell = T_air + POA (NOCT − 20)
 *     / 800 with NOCT 45 °C (no wind: the forecast's wind at 10 m says
 *     little about a roof);
 *   - output: A. P. Dobos, "PVWatts Version 5 Manual", NREL/TP-6A20-62641
 *     (2014): P_dc = kWp POA/1000 (1 + γ (T_cell − 25)), γ = −0.0037 /°C,
 *     times (1 − losses) (PVWatts' 14 % by default), the inverter limited
 *     to kWp as SPEC §15 says. No incidence-angle modifier: docs/forecast.md
 *     gives what that costs.
 *   - hourly weather to quarter-hours: the hour's mean shared in
 *     proportion to the clear sky of B. Haurwitz, "Insolation in relation
 *     to cloud type", J. Meteorology 3 (1946) 123–124, at each
 *     quarter-hour's middle (the clear-sky index held for the hour).
 * The sun comes from engine/analyse/solar.c (NREL SPA) at each
 * quarter-hour's middle.
 *
 * Workload: per day and site, 96 solar positions and per installation 96
 * evaluations of the closed forms above: microseconds.
 * Ownership: every function fills the caller's memory; nothing is kept.
 */
#include "cabine/pv.h"

#include <math.h>
#include <string.h>

#include "cabine/time.h"

#define RAD (3.14159265358979323846 / 180.0)
#define MIN_COS_ZENITH_KT 0.065	  /* Erbs' clearness index at low sun */
#define MIN_COS_ZENITH_RB 0.01745 /* cos 89°: Hay–Davies' beam ratio */

double cab_pv_erbs_diffuse_fraction(double kt)
{
	if (!(kt > 0))
		kt = 0;
	if (kt > 1)
		kt = 1;
	if (kt <= 0.22)
		return 1.0 - 0.09 * kt;
	if (kt <= 0.80)
		return 0.9511 +
		       kt * (-0.1604 +
			     kt * (4.388 + kt * (-16.638 + kt * 12.336)));
	return 0.165;
}

double cab_pv_cos_incidence(double tilt_deg, double panel_azimuth_deg,
			    double zenith_deg, double sun_azimuth_deg)
{
	double z = zenith_deg * RAD, b = tilt_deg * RAD;
	return cos(z) * cos(b) +
	       sin(z) * sin(b) *
		   cos((sun_azimuth_deg - panel_azimuth_deg) * RAD);
}

double cab_pv_poa_w_m2(const struct cab_pv_array *a, const struct cab_pv_sky *s)
{
	double cos_z = cos(s->zenith_deg * RAD);
	double cos_i = cab_pv_cos_incidence(a->tilt_deg, a->azimuth_deg,
					    s->zenith_deg, s->azimuth_deg);
	double cos_b = cos(a->tilt_deg * RAD);
	double beam = s->dni_w_m2 * fmax(cos_i, 0);
	/* Hay–Davies: the anisotropy index is the share of the diffuse
	 * that comes from around the sun; it is seen like the beam. */
	double ai =
	    s->i0_w_m2 > 0 ? fmin(fmax(s->dni_w_m2 / s->i0_w_m2, 0), 1) : 0;
	double rb = fmax(cos_i, 0) / fmax(cos_z, MIN_COS_ZENITH_RB);
	double sky = s->dhi_w_m2 * (ai * rb + (1 - ai) * (1 + cos_b) / 2);
	double ground = s->ghi_w_m2 * CAB_PV_ALBEDO * (1 - cos_b) / 2;
	return beam + sky + ground;
}

double cab_pv_cell_temp_c(double air_c, double poa_w_m2)
{
	return air_c + poa_w_m2 * (CAB_PV_NOCT_C - 20.0) / 800.0;
}

double cab_pv_power_kw(const struct cab_pv_array *a, double poa_w_m2,
		       double cell_c)
{
	double dc = a->kwp * poa_w_m2 / 1000.0 *
		    (1 + CAB_PV_GAMMA_PER_C * (cell_c - 25.0));
	double p = dc * (1 - a->losses);
	return p < 0 ? 0 : p > a->kwp ? a->kwp : p;
}

double cab_pv_quarter_kwh(const struct cab_pv_array *a,
			  const struct cab_pv_sky *s)
{
	if (!s->is_known)
		return NAN;
	if (s->zenith_deg >= 90 || !(s->ghi_w_m2 > 0))
		return 0;
	double poa = cab_pv_poa_w_m2(a, s);
	double cell = cab_pv_cell_temp_c(s->temp_c, poa);
	return cab_pv_power_kw(a, poa, cell) * CAB_INTERVAL_S / 3600.0;
}

/* ---- the weather's steps as quarter-hours ----------------------------- */

/* The sun at the middle of the quarter-hour starting at t. */
static void sun_at(const struct cab_solar_site *site, int64_t t,
		   struct cab_pv_sky *s)
{
	struct cab_solar_pos p;
	cab_solar_position((double)t + CAB_INTERVAL_S / 2.0, site, &p);
	s->zenith_deg = p.zenith_deg;
	s->azimuth_deg = p.azimuth_deg;
	s->i0_w_m2 = CAB_SOLAR_CONSTANT_W_M2 / (p.radius_au * p.radius_au);
}

static double cos_zenith_up(const struct cab_pv_sky *s)
{
	return s->zenith_deg < 90 ? cos(s->zenith_deg * RAD) : 0;
}

/* The clear sky's global irradiance (W/m²) by Haurwitz (1945):
 * 1098 cos z e^(−0.057 / cos z), 0 with the sun down. Only its shape is
 * used: an hour's mean is shared among its quarter-hours in proportion
 * to it, so that the clear-sky index stays the same within the hour. */
static double haurwitz(const struct cab_pv_sky *s)
{
	double cz = cos_zenith_up(s);
	return cz > 0 ? 1098 * cz * exp(-0.057 / cz) : 0;
}

/* Index of the step whose period (end − step, end] holds instant t, or
 * −1. Steps are evenly spaced (Open-Meteo). */
static long step_of(const struct cab_weather *w, int64_t t)
{
	if (w->n == 0 || w->step_s <= 0)
		return -1;
	int64_t first_start = w->end_s[0] - w->step_s;
	if (t < first_start)
		return -1;
	int64_t k = (t - first_start) / w->step_s;
	return k < (int64_t)w->n ? (long)k : -1;
}

/* Air temperature at instant t, linear between the file's instants
 * (held beyond its ends); NaN when a neighbour is null. */
static double temp_at(const struct cab_weather *w, double t)
{
	if (t <= (double)w->end_s[0])
		return w->temp_c[0];
	if (t >= (double)w->end_s[w->n - 1])
		return w->temp_c[w->n - 1];
	size_t k = (size_t)((t - (double)w->end_s[0]) / w->step_s);
	double f = (t - (double)w->end_s[k]) / w->step_s;
	return w->temp_c[k] + f * (w->temp_c[k + 1] - w->temp_c[k]);
}

/* The diffuse fraction a step's file values give, or NaN (none given, or
 * no light to split): diffuse / global, else 1 − direct / global, else
 * from the direct normal with the mean cosine of the step. */
static double file_diffuse_fraction(const struct cab_weather *w, size_t k,
				    double mean_cos_z)
{
	double g = w->ghi_w_m2[k];
	if (!(g > 0))
		return NAN;
	double f = NAN;
	if (w->dhi_w_m2 && !isnan(w->dhi_w_m2[k]))
		f = w->dhi_w_m2[k] / g;
	else if (w->bhi_w_m2 && !isnan(w->bhi_w_m2[k]))
		f = 1 - w->bhi_w_m2[k] / g;
	else if (w->dni_w_m2 && !isnan(w->dni_w_m2[k]))
		f = 1 - w->dni_w_m2[k] * mean_cos_z / g;
	return isnan(f) ? f : fmin(fmax(f, 0), 1);
}

void cab_pv_skies(const struct cab_weather *w,
		  const struct cab_solar_site *site, int64_t t0_s, size_t n,
		  struct cab_pv_sky *out)
{
	int per = w->step_s > 0 ? w->step_s / CAB_INTERVAL_S : 1;
	/* The sun first, once per quarter-hour: the shares of an hour read
	 * it for the hour's other quarter-hours. */
	for (size_t q = 0; q < n; q++) {
		memset(&out[q], 0, sizeof(out[q]));
		sun_at(site, t0_s + (int64_t)q * CAB_INTERVAL_S, &out[q]);
	}
	for (size_t q = 0; q < n; q++) {
		struct cab_pv_sky *s = &out[q];
		int64_t t = t0_s + (int64_t)q * CAB_INTERVAL_S;
		/* The sun down at the middle: no light to know (GHI 0). */
		s->is_known = s->zenith_deg >= 90;
		long k =
		    w->source == CAB_WEATHER_OPEN_METEO ? step_of(w, t) : -1;
		if (k < 0 || isnan(w->ghi_w_m2[k]))
			continue;
		s->temp_c = temp_at(w, (double)t + CAB_INTERVAL_S / 2.0);
		if (isnan(s->temp_c))
			continue;
		s->is_known = true;
		/* The step's quarter-hours and the weights of their sun. */
		int64_t start = w->end_s[k] - w->step_s;
		double cz = cos_zenith_up(s), sum_cs = 0, sum_cz = 0;
		for (int j = 0; j < per; j++) {
			int64_t tj = start + (int64_t)j * CAB_INTERVAL_S;
			struct cab_pv_sky o;
			if (tj >= t0_s &&
			    tj < t0_s + (int64_t)n * CAB_INTERVAL_S)
				o = out[(tj - t0_s) / CAB_INTERVAL_S];
			else
				sun_at(site, tj, &o);
			sum_cs += haurwitz(&o);
			sum_cz += cos_zenith_up(&o);
		}
		if (!(cz > 0) || !(sum_cs > 0))
			continue; /* night at the middle: GHI stays 0 */
		s->ghi_w_m2 =
		    fmax(w->ghi_w_m2[k], 0) * per * haurwitz(s) / sum_cs;
		double f = file_diffuse_fraction(w, (size_t)k, sum_cz / per);
		if (isnan(f)) {
			double kt = s->ghi_w_m2 /
				    (s->i0_w_m2 * fmax(cz, MIN_COS_ZENITH_KT));
			f = cab_pv_erbs_diffuse_fraction(kt);
		}
		s->dhi_w_m2 = f * s->ghi_w_m2;
		s->dni_w_m2 =
		    fmin((s->ghi_w_m2 - s->dhi_w_m2) / cz, s->i0_w_m2);
	}
}

void cab_pv_spread_energy(const struct cab_weather *w,
			  const struct cab_solar_site *site, int64_t t0_s,
			  size_t n, double *kwh)
{
	for (size_t q = 0; q < n; q++)
		kwh[q] = 0;
	if (!w->wh)
		return;
	int64_t t1_s = t0_s + (int64_t)n * CAB_INTERVAL_S;
	for (size_t k = 0; k < w->n; k++) {
		int64_t e = w->end_s[k], s = e - cab_weather_step_len(w, k);
		if (!(w->wh[k] > 0) || e <= t0_s || s >= t1_s)
			continue;
		/* Every quarter-hour the period (s, e] overlaps, weighed by
		 * overlap and sun (or overlap alone): the whole period's
		 * weights, so that a period cut by [t0, t1) keeps its share
		 * outside. */
		int64_t first = s - ((s % CAB_INTERVAL_S) + CAB_INTERVAL_S) %
					CAB_INTERVAL_S;
		double sum_sun = 0, sum_len = 0;
		for (int pass = 0; pass < 2; pass++) {
			for (int64_t qs = first; qs < e; qs += CAB_INTERVAL_S) {
				int64_t lo = qs > s ? qs : s;
				int64_t hi = qs + CAB_INTERVAL_S < e
						 ? qs + CAB_INTERVAL_S
						 : e;
				double len = (double)(hi - lo);
				struct cab_pv_sky o;
				sun_at(site, qs, &o);
				double wsun = len * cos_zenith_up(&o);
				if (pass == 0) {
					sum_sun += wsun;
					sum_len += len;
					continue;
				}
				if (qs < t0_s || qs >= t1_s)
					continue;
				size_t q =
				    (size_t)((qs - t0_s) / CAB_INTERVAL_S);
				kwh[q] += w->wh[k] / 1000.0 *
					  (sum_sun > 0 ? wsun / sum_sun
						       : len / sum_len);
			}
		}
	}
}
