/*
 * solar.h — where the sun is: NREL's Solar Position Algorithm (SPA).
 *
 * Why: the surplus-hours signal (SPEC §15) turns a weather forecast into
 * PV output per quarter-hour, and every step of that (splitting global
 * radiation, projecting it on a tilted panel, the night) needs the sun's
 * zenith and azimuth to a precision that never decides a window by
 * itself: SPA gives 0.0003° over −2000…6000, far below what the weather
 * forecast can tell. The algorithm is Reda & Andreas, "Solar position
 * algorithm for solar radiation applications", Solar Energy 76 (2004)
 * 577–589, revised NREL/TP-560-34302 (2008); engine/analyse/solar.c
 * implements it and holds its periodic-term tables.
 *
 * All functions are pure and cannot fail; they take plain numbers and
 * fill the caller's struct. Angles are in degrees.
 */
#ifndef CABINE_SOLAR_H
#define CABINE_SOLAR_H

/* Where and in what air the sun is observed. */
struct cab_solar_site {
	double lat_deg;	      /* latitude, north positive, [−90, 90] */
	double lon_deg;	      /* longitude, east positive, [−180, 180] */
	double elevation_m;   /* height above sea level */
	double pressure_mbar; /* mean local pressure (refraction), e.g. 1013 */
	double temp_c;	      /* mean local temperature (refraction) */
	double delta_t_s;     /* TT − UT in seconds (69 around 2024) */
};

/* The sun seen from the site at one instant. */
struct cab_solar_pos {
	double zenith_deg;  /* topocentric zenith angle, refraction included;
			     * above 90 when the sun is below the horizon */
	double azimuth_deg; /* clockwise from north, [0, 360): 180 = south */
	double radius_au;   /* Earth–Sun distance in astronomical units */
};

/* ΔT = TT − UT used by the forecast when nothing better is known: 69 s
 * (IERS, 2020–2025). One second of error moves the sun by 0.0002°. */
#define CAB_SOLAR_DELTA_T_S 69.0

/* The solar constant (W/m²) at 1 AU, for the extraterrestrial irradiance
 * I0 = CAB_SOLAR_CONSTANT_W_M2 / radius_au² (Kopp & Lean 2011). */
#define CAB_SOLAR_CONSTANT_W_M2 1361.0

/* A site with the standard atmosphere (1013.25 mbar, 12 °C), sea level
 * and CAB_SOLAR_DELTA_T_S. */
struct cab_solar_site cab_solar_site_at(double lat_deg, double lon_deg);

/* The sun at UTC instant utc_s (seconds since 1970-01-01T00:00:00Z,
 * fractions allowed) from site, into *out. */
void cab_solar_position(double utc_s, const struct cab_solar_site *site,
			struct cab_solar_pos *out);

#endif
