/*
 * profiles.c — the demo's year: calendar (weekends, Belgian public and
 * school holidays), the sun over Brussels and one sky's PV profile, and
 * the load shapes of households, the school and the common space.
 *
 * Why: believable daily, weekly and seasonal shapes make the demo's
 * sharing, alerts and load curves look like a real neighbourhood's: a
 * persistent weather (AR(1) clearness index), habits shifted per
 * household, appliances as short spikes, heat pumps following the
 * temperature, and households that answer alerts or not.
 *
 * Workload: a few passes over DEMO_N intervals per meter.
 */
#include <math.h>

#include "cabine/time.h"
#include "scenarios/demo/demo.h"

/* Belgian public holidays 2024 (month, day). */
static const int demo_holidays[][2] = {
    {1, 1},  {4, 1},  {5, 1},  {5, 9},	 {5, 20},
    {7, 21}, {8, 15}, {11, 1}, {11, 11}, {12, 25},
};

/* School holidays 2024, French-speaking community calendar (inclusive). */
static const int demo_school_off[][4] = {
    {1, 1, 1, 5},  {2, 26, 3, 8},   {4, 22, 5, 3},
    {7, 6, 8, 25}, {10, 21, 11, 1}, {12, 23, 12, 31},
};

static double gauss(double x, double mu, double s)
{
	double d = (x - mu) / s;
	return exp(-0.5 * d * d);
}

static bool date_in(int m, int d, int m0, int d0, int m1, int d1)
{
	int k = m * 100 + d;
	return k >= m0 * 100 + d0 && k <= m1 * 100 + d1;
}

/* Fill calendar, sun and the shared PV profile (one sky over Brussels). */
void cab_demo_calendar(struct demo_slot *s)
{
	int64_t t0 = cab_time_local_midnight(DEMO_YEAR, 1, 1);
	int64_t d0 = cab_time_days_from_civil(DEMO_YEAR, 1, 1);
	double lat = DEMO_LAT_DEG * DEMO_PI / 180.0;
	double tilt = 35.0 * DEMO_PI / 180.0;
	struct demo_rng r;
	double cloud[DEMO_DAYS];
	rng_seed(&r, 0xc10d, "weather");
	double z = 0.0;
	for (int d = 0; d < DEMO_DAYS; d++) {
		/* persistent weather: AR(1) on a daily clearness index */
		z = 0.7 * z + 0.714 * rng_norm(&r);
		double m = 0.56 - 0.14 * cos(2.0 * DEMO_PI * (d - 10) / 366.0);
		double k = m + 0.24 * z;
		cloud[d] = k < 0.06 ? 0.06 : k > 1.0 ? 1.0 : k;
	}
	double intra = 0.0, sum = 0.0;
	for (int i = 0; i < DEMO_N; i++) {
		struct demo_slot *q = &s[i];
		struct cab_civil lc;
		q->utc_s = t0 + (int64_t)i * CAB_INTERVAL_S;
		cab_time_to_local(q->utc_s, &lc);
		q->day =
		    (int)(cab_time_days_from_civil(lc.year, lc.month, lc.day) -
			  d0);
		q->hour = lc.hour + lc.minute / 60.0 + 0.125;
		q->wday = lc.wday;
		bool off = lc.wday >= 5;
		for (size_t k = 0;
		     k < sizeof(demo_holidays) / sizeof(demo_holidays[0]); k++)
			if (lc.month == demo_holidays[k][0] &&
			    lc.day == demo_holidays[k][1])
				off = true;
		q->is_holiday = off;
		bool school = !off;
		for (size_t k = 0;
		     k < sizeof(demo_school_off) / sizeof(demo_school_off[0]);
		     k++) {
			const int *h = demo_school_off[k];
			if (date_in(lc.month, lc.day, h[0], h[1], h[2], h[3]))
				school = false;
		}
		q->is_school = school;

		/* sun position at mid-interval (UTC day of year n) */
		double ut = (double)((q->utc_s + 450) % 86400) / 3600.0;
		double n = (double)((q->utc_s + 450) / 86400 - d0) + 1.0;
		double decl = 23.44 * DEMO_PI / 180.0 *
			      sin(2.0 * DEMO_PI * (284.0 + n) / 365.0);
		double b = 2.0 * DEMO_PI * (n - 81.0) / 364.0;
		double eot_min =
		    9.87 * sin(2 * b) - 7.53 * cos(b) - 1.5 * sin(b);
		double solar_h = ut + DEMO_LON_DEG / 15.0 + eot_min / 60.0;
		double ha = (solar_h - 12.0) * 15.0 * DEMO_PI / 180.0;
		double sh =
		    sin(lat) * sin(decl) + cos(lat) * cos(decl) * cos(ha);
		q->sun_sin = sh;
		double pv = 0.0;
		intra = 0.85 * intra + 0.53 * rng_norm(&r);
		if (sh > 0.0) {
			/* south-facing panels tilted 35°: incidence on the
			 * plane */
			double inc = sin(lat - tilt) * sin(decl) +
				     cos(lat - tilt) * cos(decl) * cos(ha);
			double am = 1.0 / (sh + 0.05);
			double tau = pow(0.7, pow(am, 0.678));
			double g = 1.353 * tau * (inc > 0 ? inc : 0) +
				   0.15 * 1.353 * tau * sh; /* kW/m² */
			double c = cloud[q->day];
			double v = 1.0 + (1.0 - c) * 0.35 * intra;
			v = v < 0.25 ? 0.25 : v > 1.1 ? 1.1 : v;
			double k = c * v;
			pv = 0.85 * g * (k > 1.0 ? 1.0 : k) / 4.0;
		}
		q->pv = pv;
		sum += pv;
	}
	/* calibrate to a typical Brussels yield; cap at 1 kW/kWp */
	for (int pass = 0; pass < 2; pass++) {
		double f = DEMO_PV_YIELD / sum;
		sum = 0.0;
		for (int i = 0; i < DEMO_N; i++) {
			double v = s[i].pv * f;
			s[i].pv =
			    v > DEMO_PV_CAP * 0.96 ? DEMO_PV_CAP * 0.96 : v;
			sum += s[i].pv;
		}
	}

	/* alert windows and the hour after each */
	for (size_t a = 0; a < DEMO_NALERTS; a++) {
		const struct demo_alert *al = &cab_demo_alerts[a];
		int64_t m =
		    cab_time_local_midnight(DEMO_YEAR, al->month, al->day);
		int64_t s0 = m + (int64_t)al->start_h * 3600;
		int64_t s1 = m + (int64_t)al->end_h * 3600;
		for (int64_t t = s0; t < s1 + 3600; t += CAB_INTERVAL_S) {
			int64_t i = (t - t0) / CAB_INTERVAL_S;
			if (i >= 0 && i < DEMO_N)
				s[i].alert =
				    t < s1 ? (int)a + 1 : -((int)a + 1);
		}
	}
}

/* ---- load shapes (kW-like relative power; normalised to targets by
 * cab_demo_shape_finish) ---- */

void cab_demo_gen_household(const struct demo_part *p,
			    const struct demo_slot *s, double *out)
{
	struct demo_rng r;
	rng_seed(&r, 0x4053, p->id);
	double tz = 0.0, temp_dev = 0.0, noise = 0.0;
	int spike_left = 0, last_day = -1;
	double spike_kw = 0.0;
	for (int i = 0; i < DEMO_N; i++) {
		const struct demo_slot *q = &s[i];
		if (q->day != last_day) {
			last_day = q->day;
			temp_dev = 0.75 * temp_dev + 0.66 * rng_norm(&r);
			tz = 11.0 -
			     7.5 * cos(2.0 * DEMO_PI * (q->day - 20) / 366.0) +
			     2.5 * temp_dev;
		}
		double season =
		    1.0 + 0.30 * cos(2.0 * DEMO_PI * (q->day - 10) / 366.0);
		double h = q->hour - p->shift_h;
		double kw = 0.16 + 0.04 * season;
		if (q->is_holiday) {
			kw += 0.45 * gauss(h, 9.6, 1.3) +
			      0.55 * gauss(h, 12.8, 1.6) +
			      1.30 * gauss(h, 19.3, 1.8);
		} else {
			kw += 0.65 * gauss(h, 7.1, 0.8) +
			      0.35 * p->home_day * gauss(h, 12.5, 1.8) +
			      1.45 * gauss(h, 19.1, 1.5);
		}
		kw += 0.25 * gauss(h, 22.4, 0.8);
		if (q->sun_sin < 0.05 && q->hour > 6.0 && q->hour < 23.5)
			kw += 0.22; /* lighting when dark */
		kw *= season;
		noise = 0.6 * noise + 0.8 * rng_norm(&r);
		double f = 1.0 + 0.18 * noise;
		kw *= f < 0.4 ? 0.4 : f;
		if (p->has_heat_pump && tz < 15.5)
			kw += (15.5 - tz) * 0.11 *
			      (0.55 + 0.6 * gauss(q->hour, 7.0, 1.5) +
			       0.6 * gauss(q->hour, 19.0, 2.5));
		/* appliances: washing machine, oven, kettle, dishwasher */
		if (spike_left == 0) {
			double rate =
			    q->hour > 7.0 && q->hour < 22.5 ? 0.012 : 0.002;
			if (rng_unif(&r) < rate) {
				spike_left = 1 + (int)(rng_unif(&r) * 6);
				spike_kw = 1.0 + 1.2 * rng_unif(&r);
			}
		}
		if (spike_left > 0) {
			kw += spike_kw;
			spike_left--;
		}
		out[i] = kw / 4.0;
	}
}

void cab_demo_gen_school(const struct demo_part *p, const struct demo_slot *s,
			 double *out)
{
	struct demo_rng r;
	rng_seed(&r, 0x5c01, p->id);
	for (int i = 0; i < DEMO_N; i++) {
		const struct demo_slot *q = &s[i];
		double season =
		    1.0 + 0.25 * cos(2.0 * DEMO_PI * (q->day - 10) / 366.0);
		double kw =
		    1.6 * season; /* fridges, servers, ventilation at rest */
		/* Wednesday afternoons are free in Belgian schools */
		double end = q->wday == 2 ? 12.75 : 16.75;
		if (q->is_school && q->hour >= 7.5 && q->hour < end) {
			kw += 9.0 * season + 5.0 * gauss(q->hour, 12.2, 0.6);
			if (q->hour < 8.25)
				kw -= 4.0;
		} else if (q->is_school && q->hour >= end &&
			   q->hour < end + 1.25) {
			kw += 3.5; /* after-school care, cleaning */
		} else if (!q->is_holiday && q->hour >= 8.0 && q->hour < 16.0) {
			kw += 1.2; /* staff during school holidays */
		}
		kw *= 1.0 + 0.08 * rng_norm(&r);
		out[i] = (kw < 0.5 ? 0.5 : kw) / 4.0;
	}
}

void cab_demo_gen_common(const struct demo_part *p, const struct demo_slot *s,
			 double *out)
{
	struct demo_rng r;
	rng_seed(&r, 0xc033, p->id);
	for (int i = 0; i < DEMO_N; i++) {
		const struct demo_slot *q = &s[i];
		double kw = 0.12;
		bool evening = (q->wday == 1 || q->wday == 3) &&
			       q->hour >= 18.0 && q->hour < 22.0;
		bool weekend =
		    q->wday >= 5 && q->hour >= 14.0 && q->hour < 19.0;
		if (evening || weekend)
			kw += 1.3 + (q->sun_sin < 0.05 ? 0.4 : 0.0);
		kw *= 1.0 + 0.1 * rng_norm(&r);
		out[i] = (kw < 0.05 ? 0.05 : kw) / 4.0;
	}
}

void cab_demo_gen_pv(const struct demo_part *p, const struct demo_slot *s,
		     double *out)
{
	struct demo_rng r;
	rng_seed(&r, 0x9f00, p->id);
	double cap = DEMO_PV_CAP * p->kwp;
	for (int i = 0; i < DEMO_N; i++) {
		double v = s[i].pv * p->kwp * p->pv_site;
		if (v > 0.0)
			v *= 1.0 + 0.03 * rng_norm(&r);
		out[i] = v > cap ? cap : v < 0.0 ? 0.0 : v;
	}
}

/* Scale a series to a yearly total, then apply the alert responses. */
void cab_demo_shape_finish(const struct demo_part *p, const struct demo_slot *s,
			   double *v)
{
	double sum = 0.0;
	for (int i = 0; i < DEMO_N; i++)
		sum += v[i];
	double f = p->target_kwh / sum;
	for (int i = 0; i < DEMO_N; i++) {
		v[i] *= f;
		if (p->kind == DEMO_K_HOUSE && p->alert_cut > 0.0 &&
		    s[i].alert) {
			int a = (s[i].alert > 0 ? s[i].alert : -s[i].alert) - 1;
			/* fewer follow an unannounced alert */
			if (!cab_demo_alerts[a].announced && p->home_day < 0.3)
				continue;
			v[i] *= s[i].alert > 0 ? 1.0 - p->alert_cut
					       : 1.0 + 0.5 * p->alert_cut;
		}
	}
}
