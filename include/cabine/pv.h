/*
 * pv.h — a PV installation's output per quarter-hour from the weather
 * (SPEC §15): the sky on the horizontal, split into direct and diffuse
 * (Erbs et al. 1982) when only global radiation is given, projected on
 * the panel plane (Hay & Davies 1980), the cell temperature (the NOCT
 * model) and the output in the PVWatts manner (Dobos 2014): DC at
 * −0.0037 /°C above 25 °C, the losses, the inverter limited to kWp.
 * engine/analyse/pv.c holds the references and docs/forecast.md the
 * known errors.
 *
 * Hourly weather becomes quarter-hours without moving the sun: each
 * quarter-hour takes the sun at its middle, and an hour's mean global
 * radiation is shared among its quarter-hours in proportion to the clear
 * sky (Haurwitz) at their middles (the clear-sky index held for the
 * hour, the energy of the hour kept). A quarter-hour whose middle
 * has the sun below the horizon gives exactly 0.
 *
 * Ownership: every function fills the caller's memory; nothing is kept.
 */
#ifndef CABINE_PV_H
#define CABINE_PV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/solar.h"
#include "cabine/weather.h"

#define CAB_PV_GAMMA_PER_C (-0.0037) /* PVWatts' standard module */
#define CAB_PV_NOCT_C 45.0	     /* nominal operating cell temperature */
#define CAB_PV_ALBEDO 0.2	     /* ground reflectance (grass, roofs) */
#define CAB_PV_LOSSES 0.14	     /* PVWatts' default system losses */

/* One installation (a participant's "pv", SPEC §15). */
struct cab_pv_array {
	double kwp;	    /* peak DC power, kW; also the inverter limit */
	double tilt_deg;    /* 0 horizontal … 90 vertical */
	double azimuth_deg; /* the panel faces it, clockwise from north */
	double losses;	    /* fraction lost in the system, [0, 1) */
};

/* The weather and the sun of one quarter-hour. */
struct cab_pv_sky {
	double zenith_deg;  /* the sun at the quarter-hour's middle */
	double azimuth_deg; /* … clockwise from north */
	double i0_w_m2;	    /* extraterrestrial normal irradiance */
	double ghi_w_m2;    /* mean global horizontal irradiance */
	double dhi_w_m2;    /* … its diffuse part */
	double dni_w_m2;    /* mean direct normal irradiance */
	double temp_c;	    /* air temperature at the middle */
	bool is_known;	    /* the weather file gives this quarter-hour, or
			     * the sun is down at its middle (GHI 0) */
};

/* Erbs et al.: the diffuse fraction of global radiation for a clearness
 * index kt = GHI / (I0 cos zenith); kt is taken within [0, 1]. */
double cab_pv_erbs_diffuse_fraction(double kt);
/* Cosine of the angle between the sun and a panel's normal (negative
 * when the sun is behind it). */
double cab_pv_cos_incidence(double tilt_deg, double panel_azimuth_deg,
			    double zenith_deg, double sun_azimuth_deg);
/* Plane-of-array irradiance (W/m²) by Hay–Davies: beam on the plane,
 * circumsolar and isotropic sky diffuse, ground reflection. */
double cab_pv_poa_w_m2(const struct cab_pv_array *a,
		       const struct cab_pv_sky *s);
/* Cell temperature (°C) by the NOCT model:
 * T_air + POA × (NOCT − 20) / 800. */
double cab_pv_cell_temp_c(double air_c, double poa_w_m2);
/* AC power (kW): kWp × POA / 1000 × (1 + γ (T_cell − 25)) × (1 − losses),
 * within [0, kWp]. */
double cab_pv_power_kw(const struct cab_pv_array *a, double poa_w_m2,
		       double cell_c);
/* Energy of one quarter-hour (kWh): exactly 0 when the sun is below the
 * horizon at its middle, NaN when the weather does not give it. */
double cab_pv_quarter_kwh(const struct cab_pv_array *a,
			  const struct cab_pv_sky *s);

/* The n quarter-hours from t0_s (UTC, a multiple of 900) of an Open-Meteo
 * file w, seen from site: the sun at each middle, the radiation of the
 * step holding it (an hour shared as said above), split by the file's
 * diffuse (or direct) radiation or else by Erbs, the temperature
 * interpolated to the middle. out holds n skies (caller's). */
void cab_pv_skies(const struct cab_weather *w,
		  const struct cab_solar_site *site, int64_t t0_s, size_t n,
		  struct cab_pv_sky *out);

/* A forecast.solar file's Wh spread over the n quarter-hours from t0_s
 * into kwh (caller's, n values): each period's energy shared among the
 * quarter-hours it overlaps, in proportion to the overlap times the
 * cosine of the sun's zenith at their middles (by overlap alone if the
 * sun is down all along). Quarter-hours no period reaches get 0. */
void cab_pv_spread_energy(const struct cab_weather *w,
			  const struct cab_solar_site *site, int64_t t0_s,
			  size_t n, double *kwh);

#endif
