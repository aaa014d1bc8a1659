/*
 * test_solar.c — the sun's position (engine/analyse/solar.c, NREL SPA).
 *
 * Two references: the published test point of Reda & Andreas (2008),
 * table A5.1, and over a whole year at Brussels an independent
 * implementation written here from another published algorithm: Meeus,
 * "Astronomical Algorithms" (2nd ed., 1998), chapter 25's solar
 * coordinates of lower accuracy (stated 0.01°, in practice 0.001°),
 * plus the Moon's perturbation of the Earth (O. Montenbruck, T. Pfleger,
 * "Astronomy on the Personal Computer", 4th ed., 2000, §3.2), chapter
 * 22's main nutation terms, chapter 12's sidereal time and
 * chapter 13's horizontal coordinates, with the parallax of the sun's
 * elevation and the same refraction formula (Bennett's, as SPA uses it)
 * so that both see the same atmosphere.
 */
#include "harness.h"

#include "cabine/solar.h"
#include "cabine/time.h"

#define PI 3.14159265358979323846
#define RAD (PI / 180.0)

TEST(spa_published_test_point)
{
	/* 17 October 2003, 12:30:30 local at UTC−7 = 19:30:30 UTC; Golden,
	 * Colorado; 1830.14 m, 820 mbar, 11 °C, ΔT 67 s → zenith 50.11162°,
	 * azimuth 194.34024° (table A5.1), R = 0.9965422974 AU. */
	struct cab_solar_site s = {39.742476, -105.1786, 1830.14, 820, 11, 67};
	double t = (double)cab_time_days_from_civil(2003, 10, 17) * 86400 +
		   19 * 3600 + 30 * 60 + 30;
	struct cab_solar_pos p;
	cab_solar_position(t, &s, &p);
	CHECK_NEAR(p.zenith_deg, 50.11162, 0.01);
	CHECK_NEAR(p.azimuth_deg, 194.34024, 0.01);
	/* …and to the paper's last printed digit. */
	CHECK_NEAR(p.zenith_deg, 50.11162, 1e-5);
	CHECK_NEAR(p.azimuth_deg, 194.34024, 1e-5);
	CHECK_NEAR(p.radius_au, 0.9965422974, 1e-9);
}

/* Meeus' sun, seen from (lat, lon) at sea level through SPA's refraction
 * formula at 1013.25 mbar and 12 °C: zenith and azimuth (from north). */
static void meeus_sun(double utc_s, double lat, double lon, double dt_s,
		      double *zenith, double *azimuth)
{
	double jd = utc_s / 86400.0 + 2440587.5;
	double t = (jd + dt_s / 86400.0 - 2451545.0) / 36525.0; /* TT */
	double tu = (jd - 2451545.0) / 36525.0;			/* UT */
	double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
	double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
	double e = 0.016708634 - 0.000042037 * t - 0.0000001267 * t * t;
	double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m * RAD) +
		   (0.019993 - 0.000101 * t) * sin(2 * m * RAD) +
		   0.000289 * sin(3 * m * RAD);
	double nu = m + c;
	double r = 1.000001018 * (1 - e * e) / (1 + e * cos(nu * RAD));
	double om = 125.04452 - 1934.136261 * t;
	/* The Moon's pull on the Earth (the "lunar inequality", 6.4″ sin D,
	 * as in Montenbruck & Pfleger's low-precision sun): Meeus' short
	 * series leaves it out and it is most of its error. */
	double d = 297.85036 + 445267.111480 * t;
	double lam =
	    l0 + c - 0.00569 - 0.00478 * sin(om * RAD) + 0.00179 * sin(d * RAD);
	double eps0 =
	    23.0 + 26.0 / 60 + 21.448 / 3600 -
	    (46.8150 * t + 0.00059 * t * t - 0.001813 * t * t * t) / 3600;
	double eps = eps0 + 0.00256 * cos(om * RAD);
	double ra = atan2(cos(eps * RAD) * sin(lam * RAD), cos(lam * RAD));
	double dec = asin(sin(eps * RAD) * sin(lam * RAD));
	/* Apparent sidereal time: mean (12.4) + nutation in longitude
	 * (chapter 22, terms above 0.1″) × cos ε. */
	double lsun = 280.4665 + 36000.7698 * t,
	       lmoon = 218.3165 + 481267.8813 * t;
	double dpsi = (-17.20 * sin(om * RAD) - 1.32 * sin(2 * lsun * RAD) -
		       0.23 * sin(2 * lmoon * RAD) + 0.21 * sin(2 * om * RAD)) /
		      3600;
	double theta = 280.46061837 + 360.98564736629 * (jd - 2451545.0) +
		       0.000387933 * tu * tu - tu * tu * tu / 38710000.0 +
		       dpsi * cos(eps * RAD);
	double h = (theta + lon) * RAD - ra;
	double phi = lat * RAD;
	double el =
	    asin(sin(phi) * sin(dec) + cos(phi) * cos(dec) * cos(h)) / RAD;
	double az =
	    atan2(sin(h), cos(h) * sin(phi) - tan(dec) * cos(phi)) / RAD +
	    180.0;
	el -= 8.794 / 3600 / r * cos(el * RAD); /* parallax in elevation */
	double refr = 1013.25 / 1010.0 * 283.0 / (273.0 + 12) * 1.02 /
		      (60 * tan((el + 10.3 / (el + 5.11)) * RAD));
	*zenith = 90 - (el + refr);
	*azimuth = fmod(az + 360, 360);
}

TEST(spa_matches_meeus_over_a_year_at_brussels)
{
	/* Every 20 minutes of 2024 with the sun above the horizon: both
	 * algorithms within 0.01° in zenith and azimuth (measured: 0.004°
	 * and 0.006°, the azimuth's worst at high summer sun, where an
	 * error of the hour angle counts twice). */
	struct cab_solar_site s = cab_solar_site_at(50.85, 4.35);
	double t0 = (double)cab_time_days_from_civil(2024, 1, 1) * 86400;
	double worst_z = 0, worst_a = 0;
	long n = 0;
	for (double t = t0; t < t0 + 366 * 86400.0; t += 1200) {
		struct cab_solar_pos p;
		cab_solar_position(t, &s, &p);
		double z, a;
		meeus_sun(t, 50.85, 4.35, s.delta_t_s, &z, &a);
		if (z >= 90)
			continue;
		double dz = fabs(p.zenith_deg - z);
		double da = fabs(p.azimuth_deg - a);
		if (da > 180)
			da = 360 - da;
		worst_z = fmax(worst_z, dz);
		worst_a = fmax(worst_a, da);
		n++;
	}
	CHECK(n > 10000); /* some 4,400 daylight hours, 3 samples each */
	CHECK(worst_z < 0.01);
	CHECK(worst_a < 0.01);
	printf("  spa vs meeus over 2024 at Brussels: %ld positions, worst "
	       "zenith %.5f deg, worst azimuth %.5f deg\n",
	       n, worst_z, worst_a);
}

TEST(sun_is_due_south_and_highest_at_solar_noon)
{
	/* Brussels, 21 June 2024: the azimuth crosses 180° where the zenith
	 * is smallest, at about 11:44 UTC (12:00 − 4.35°/15° h = 11:42.6,
	 * plus 1.6 min as the equation of time is −1.6 min that day); the
	 * zenith there is 90 − (90 − 50.85 + 23.44) = 27.41° (refraction
	 * takes 0.03° off). */
	struct cab_solar_site s = cab_solar_site_at(50.85, 4.35);
	double day = (double)cab_time_days_from_civil(2024, 6, 21) * 86400;
	double best_t = 0, best_z = 180;
	for (double t = day + 10 * 3600; t < day + 14 * 3600; t += 10) {
		struct cab_solar_pos p;
		cab_solar_position(t, &s, &p);
		if (p.zenith_deg < best_z)
			best_z = p.zenith_deg, best_t = t;
	}
	struct cab_solar_pos p;
	cab_solar_position(best_t, &s, &p);
	CHECK_NEAR((best_t - day) / 60.0, 11 * 60 + 44.2, 1.0);
	CHECK_NEAR(p.azimuth_deg, 180, 0.1);
	CHECK_NEAR(best_z, 90 - (90 - 50.85 + 23.44), 0.05);
}

static const struct harness_test tests[] = {
    T(spa_published_test_point),
    T(spa_matches_meeus_over_a_year_at_brussels),
    T(sun_is_due_south_and_highest_at_solar_noon),
};

HARNESS_MAIN("test_solar", tests)
