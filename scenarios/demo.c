/*
 * demo.c — the embedded demo community written by `cabine demo`.
 *
 * Why: a newcomer should see cabine work on a believable neighbourhood
 * before preparing any data. We synthesise one year (2024, local
 * Brussels dates) of quarter-hour readings for 61 participants behind
 * five LV cabins: 40 households (12 with rooftop PV, 5 with heat pumps),
 * a co-housing block of 18 households sharing a 15 kWp installation, a
 * school with 30 kWp and a common space. The cabin "rouge-gorge" has a
 * meter measuring the net import of everyone behind it.
 *
 * Determinism: a splitmix64 generator seeded from fixed constants and
 * the meter ids (so the order of generation does not matter), no libc
 * rand or time zone (local time comes from time.h), numbers formatted by
 * integer arithmetic. Output bytes are the same on every machine.
 *
 * Workload: ~75 meters × 35,136 intervals ≈ 2.6 M rows (~100 MB) kept in
 * memory as one double array per meter (~21 MB), written through a large
 * buffer; the whole demo takes about a second.
 *
 * tests/unit/test_demo.c mirrors the PV table below (kWp per meter) to
 * check yields; keep both in step.
 */
#include "cabine/demo.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/time.h"

#define DEMO_YEAR 2024
#define DEMO_DAYS 366		/* 2024 is a leap year */
#define DEMO_N (DEMO_DAYS * 96) /* intervals; DST days cancel out */
#define DEMO_PI 3.14159265358979323846
#define DEMO_LAT_DEG 50.85 /* Brussels */
#define DEMO_LON_DEG 4.35
#define DEMO_PV_YIELD 950.0 /* kWh/kWp/year, site factor 1 */
#define DEMO_PV_CAP 0.25    /* kWh/kWp per quarter = 1 kW/kWp */
#define DEMO_MISSING (-1.0) /* series value for an absent row */
#define DEMO_NHOUSE 40
#define DEMO_NCOH 18

/* ------------------------------------------------------------------ */
/* Deterministic random numbers                                        */

struct demo_rng {
	uint64_t s; /* splitmix64 state */
};

static uint64_t rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unif(struct demo_rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Approximately standard normal (Irwin–Hall with 4 terms): no libm, so
 * the stream is identical everywhere. */
static double rng_norm(struct demo_rng *r)
{
	double s = rng_unif(r) + rng_unif(r) + rng_unif(r) + rng_unif(r);
	return (s - 2.0) * 1.7320508075688772;
}

/* A generator seeded from a fixed salt and a name (FNV-1a). */
static void rng_seed(struct demo_rng *r, uint64_t salt, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull ^ salt;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	r->s = h;
	(void)rng_next(r);
}

/* ------------------------------------------------------------------ */
/* The community                                                       */

enum demo_kind { K_HOUSE, K_SCHOOL, K_COMMON, K_PRODUCER };

struct demo_part {
	char id[16];	     /* participant id */
	enum demo_kind kind; /* what generates its consumption */
	int cabin;	     /* index in demo_cabins */
	bool has_c;	     /* has a consumption meter "<id>-c" */
	double kwp;	     /* PV peak power, 0 if none ("<id>-pv") */
	double pv_site;	     /* orientation/shading factor on the yield */
	int occupants;	     /* households: 1..5 */
	int income_band;     /* households: 0..3 */
	char epb;	     /* households: 'A'..'G' */
	int area_m2;	     /* households: floor area */
	bool is_protected;   /* social tariff */
	bool has_heat_pump;  /* electric heating */
	bool is_cohousing;   /* member of the co-housing block (weight 0.02) */
	const char *lang;    /* "fr", "nl", "en" */
	double target_kwh;   /* yearly consumption before alerts */
	double shift_h;	     /* personal habit: daily routine shifted (h) */
	double home_day;     /* 0..1: present at home on weekdays */
	double alert_cut;    /* reduction during alerts, 0 = ignores them */
	int gap_day; /* local day index with no consumption rows, or -1 */
};

struct demo_cabin {
	const char *id;	   /* cabin id */
	const char *meter; /* cabin meter or NULL */
};

static const struct demo_cabin demo_cabins[] = {
    {"rouge-gorge", "cabin-rg"},
    {"mesange", NULL},
    {"pinson", NULL},
    {"merle", NULL},
    {"moineau", NULL},
};

/* Rooftop PV of households (test_demo.c mirrors this table). */
static const struct {
	int house; /* h number */
	double kwp;
} demo_rooftops[] = {
    {2, 3.5},  {5, 4.0},  {8, 5.0},  {11, 3.0}, {14, 6.0}, {17, 4.5},
    {20, 3.5}, {24, 5.5}, {27, 4.0}, {30, 3.0}, {34, 5.0}, {38, 4.5},
};

/* Alert windows, local time; none falls on a DST day. */
static const struct demo_alert {
	int month, day, start_h, end_h; /* local date, hours [start, end) */
	bool announced;			/* announced in advance */
} demo_alerts[] = {
    {1, 17, 17, 20, true}, {2, 8, 7, 10, false},   {5, 14, 18, 21, false},
    {7, 2, 12, 16, true},  {11, 20, 16, 22, true}, {12, 12, 17, 19, false},
};
#define DEMO_NALERTS (sizeof(demo_alerts) / sizeof(demo_alerts[0]))

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

static int nth_house_with(int h, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == h)
			return 1;
	return 0;
}

/* Build the participant table (deterministic). Returns the count. */
static size_t demo_build(struct demo_part *p)
{
	static const int heat_pumps[] = {3, 15, 26, 36, 39};
	static const int protect[] = {9, 21, 33};
	static const int nl[] = {6, 13, 19, 28, 35};
	static const int en[] = {10, 31};
	static const char epbs[] = "ABCCDDDEEEFFG";
	struct demo_rng r;
	size_t n = 0;
	rng_seed(&r, 0x5eed, "participants");

	for (int i = 0; i < DEMO_NHOUSE + DEMO_NCOH; i++) {
		struct demo_part *q = &p[n++];
		bool coh = i >= DEMO_NHOUSE;
		int h = coh ? i - DEMO_NHOUSE + 1 : i + 1;
		memset(q, 0, sizeof(*q));
		snprintf(q->id, sizeof(q->id), coh ? "co%02d" : "h%02d", h);
		q->kind = K_HOUSE;
		q->has_c = true;
		q->is_cohousing = coh;
		if (coh)
			q->cabin = 0;
		else
			q->cabin = h <= 4    ? 0
				   : h <= 12 ? 1
				   : h <= 22 ? 2
				   : h <= 31 ? 3
					     : 4;
		q->occupants = 1 + (int)(rng_unif(&r) * (coh ? 4 : 5));
		q->area_m2 = 45 + q->occupants * 14 +
			     (int)(rng_unif(&r) * (coh ? 30 : 45));
		if (q->area_m2 > 160)
			q->area_m2 = 160;
		q->epb = coh ? (rng_unif(&r) < 0.5 ? 'A' : 'B')
			     : epbs[(int)(rng_unif(&r) * 13)];
		q->income_band = (int)(rng_unif(&r) * 4);
		q->lang = "fr";
		q->gap_day = -1;
		if (!coh) {
			q->has_heat_pump = nth_house_with(h, heat_pumps, 5);
			q->is_protected = nth_house_with(h, protect, 3);
			if (nth_house_with(h, nl, 5))
				q->lang = "nl";
			if (nth_house_with(h, en, 2))
				q->lang = "en";
			for (size_t k = 0; k < sizeof(demo_rooftops) /
						   sizeof(demo_rooftops[0]);
			     k++)
				if (demo_rooftops[k].house == h) {
					q->kwp = demo_rooftops[k].kwp;
					q->pv_site = 0.95 + 0.1 * rng_unif(&r);
				}
			if (h == 12)
				q->gap_day = 43; /* 2024-02-13 */
			if (h == 29)
				q->gap_day = 247; /* 2024-09-04 */
		} else {
			q->is_protected = h == 7;
			if (h == 4 || h == 12)
				q->lang = "nl";
			if (h == 9)
				q->lang = "en";
		}
		if (q->is_protected)
			q->income_band = 0;
		double t = 700.0 + 480.0 * q->occupants + 7.0 * q->area_m2 +
			   (q->has_heat_pump ? 1500.0 : 0.0);
		t *= 0.9 + 0.2 * rng_unif(&r);
		q->target_kwh = t < 1500.0 ? 1500.0 : t > 5000.0 ? 5000.0 : t;
		q->shift_h = (rng_unif(&r) - 0.5) * 1.5;
		q->home_day = rng_unif(&r);
		/* about a quarter ignore alerts */
		q->alert_cut =
		    rng_unif(&r) < 0.25 ? 0.0 : 0.20 + 0.10 * rng_unif(&r);
	}

	struct demo_part *q = &p[n++];
	memset(q, 0, sizeof(*q));
	snprintf(q->id, sizeof(q->id), "cohousing-pv");
	q->kind = K_PRODUCER;
	q->kwp = 15.0;
	q->pv_site = 1.0;
	q->lang = "fr";
	q->gap_day = -1;

	q = &p[n++];
	memset(q, 0, sizeof(*q));
	snprintf(q->id, sizeof(q->id), "ecole-tilleuls");
	q->kind = K_SCHOOL;
	q->cabin = 1;
	q->has_c = true;
	q->kwp = 30.0;
	q->pv_site = 1.0;
	q->lang = "fr";
	q->target_kwh = 38000.0;
	q->gap_day = -1;

	q = &p[n++];
	memset(q, 0, sizeof(*q));
	snprintf(q->id, sizeof(q->id), "espace-commun");
	q->kind = K_COMMON;
	q->has_c = true;
	q->lang = "fr";
	q->target_kwh = 2600.0;
	q->gap_day = -1;
	return n;
}

/* ------------------------------------------------------------------ */
/* Calendar and sun                                                    */

struct demo_slot {
	int64_t utc_s;	 /* interval start */
	int day;	 /* local day index 0..365 */
	double hour;	 /* local hour at mid-interval, 0..24 */
	int wday;	 /* 0 = Monday */
	bool is_holiday; /* weekend or public holiday */
	bool is_school;	 /* school open (weekday outside holidays) */
	double sun_sin;	 /* sine of the sun's elevation at mid-interval */
	double pv;	 /* PV output, kWh per kWp in this interval */
	int alert; /* alert index + 1 during a window, -(idx+1) in the hour
		      after, 0 */
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
static void demo_calendar(struct demo_slot *s)
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
		const struct demo_alert *al = &demo_alerts[a];
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

/* ------------------------------------------------------------------ */
/* Load shapes (kW-like relative power; normalised to targets later)   */

static void gen_household(const struct demo_part *p, const struct demo_slot *s,
			  double *out)
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

static void gen_school(const struct demo_part *p, const struct demo_slot *s,
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

static void gen_common(const struct demo_part *p, const struct demo_slot *s,
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

static void gen_pv(const struct demo_part *p, const struct demo_slot *s,
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
static void shape_finish(const struct demo_part *p, const struct demo_slot *s,
			 double *v)
{
	double sum = 0.0;
	for (int i = 0; i < DEMO_N; i++)
		sum += v[i];
	double f = p->target_kwh / sum;
	for (int i = 0; i < DEMO_N; i++) {
		v[i] *= f;
		if (p->kind == K_HOUSE && p->alert_cut > 0.0 && s[i].alert) {
			int a = (s[i].alert > 0 ? s[i].alert : -s[i].alert) - 1;
			/* fewer follow an unannounced alert */
			if (!demo_alerts[a].announced && p->home_day < 0.3)
				continue;
			v[i] *= s[i].alert > 0 ? 1.0 - p->alert_cut
					       : 1.0 + 0.5 * p->alert_cut;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Output                                                              */

static enum cab_status mkdir_p(const char *dir, struct cab_err *err)
{
	char path[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof(path))
		return cab_err_add(err, CAB_EIO, "'%s': bad directory name",
				   dir);
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return cab_err_add(err, CAB_EIO,
					   "cannot create '%s': %s", path,
					   strerror(errno));
		path[i] = c;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cab_err_add(err, CAB_EIO, "'%s' is not a directory",
				   dir);
	return CAB_OK;
}

/* Close f and rename tmp to final; on failure remove tmp. */
static enum cab_status finish_file(FILE *f, const char *tmp, const char *final,
				   struct cab_err *err)
{
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0)
		bad = true;
	if (bad) {
		remove(tmp);
		return cab_err_add(err, CAB_EIO, "cannot write '%s': %s", tmp,
				   strerror(errno));
	}
	if (rename(tmp, final) != 0) {
		int e = errno;
		remove(tmp);
		return cab_err_add(err, CAB_EIO,
				   "cannot rename '%s' to '%s': %s", tmp, final,
				   strerror(e));
	}
	return CAB_OK;
}

static FILE *open_tmp(const char *dir, const char *name, char *tmp, char *final,
		      size_t size, struct cab_err *err)
{
	if ((size_t)snprintf(final, size, "%s/%s", dir, name) >= size ||
	    (size_t)snprintf(tmp, size, "%s/%s.tmp", dir, name) >= size) {
		cab_err_add(err, CAB_EIO, "'%s': path too long", dir);
		return NULL;
	}
	FILE *f = fopen(tmp, "wb");
	if (!f)
		cab_err_add(err, CAB_EIO, "cannot write '%s': %s", tmp,
			    strerror(errno));
	return f;
}

static const char *kind_name(enum demo_kind k)
{
	switch (k) {
	case K_SCHOOL:
		return "association";
	case K_COMMON:
		return "common";
	case K_PRODUCER:
		return "producer";
	default:
		return "household";
	}
}

static void write_scenario(FILE *f, const struct demo_part *p, size_t n)
{
	fputs("{\n  \"name\": \"demo-brussels\",\n"
	      "  \"period\": {\"start\": \"2024-01-01\", \"end\": "
	      "\"2025-01-01\"},\n"
	      "  \"readings\": \"readings.csv\",\n  \"cabins\": [\n",
	      f);
	size_t nc = sizeof(demo_cabins) / sizeof(demo_cabins[0]);
	for (size_t c = 0; c < nc; c++) {
		fprintf(f, "    {\"id\": \"%s\", ", demo_cabins[c].id);
		if (demo_cabins[c].meter)
			fprintf(f, "\"meter\": \"%s\", ", demo_cabins[c].meter);
		fprintf(f, "\"locality\": \"B\"}%s\n", c + 1 < nc ? "," : "");
	}
	fputs("  ],\n  \"participants\": [\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct demo_part *q = &p[i];
		fprintf(f,
			"    {\"id\": \"%s\", \"kind\": \"%s\", \"cabin\": "
			"\"%s\",\n",
			q->id, kind_name(q->kind), demo_cabins[q->cabin].id);
		fputs("     \"meters\": {", f);
		if (q->has_c)
			fprintf(f, "\"consumption\": \"%s-c\"%s", q->id,
				q->kwp > 0 ? ", " : "");
		if (q->kwp > 0)
			fprintf(f, "\"production\": \"%s-pv\"", q->id);
		fputs("},\n     ", f);
		if (q->kind == K_HOUSE)
			fprintf(f,
				"\"occupants\": %d, \"income_band\": %d, "
				"\"epb_class\": \"%c\", \"floor_area_m2\": "
				"%d,\n     "
				"\"protected\": %s, ",
				q->occupants, q->income_band, q->epb,
				q->area_m2, q->is_protected ? "true" : "false");
		fprintf(f, "\"vat\": %s, \"lang\": \"%s\"}%s\n",
			q->kind == K_SCHOOL ? "0.21" : "0.06", q->lang,
			i + 1 < n ? "," : "");
	}
	fputs("  ],\n"
	      "  \"tariff\": {\n"
	      "    \"supplier_day_eur_kwh\": 0.25,\n"
	      "    \"supplier_night_eur_kwh\": 0.22,\n"
	      "    \"supplier_fixed_eur_year\": 60,\n"
	      "    \"network_eur_kwh\": 0.12,\n"
	      "    \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
	      "\"C\": 0.09, \"D\": 0.12},\n"
	      "    \"network_fixed_eur_year\": 47.24,\n"
	      "    \"taxes_eur_kwh\": 0.05,\n"
	      "    \"injection_eur_kwh\": 0.03\n"
	      "  },\n"
	      "  \"sharing\": {\n"
	      "    \"key\": \"hybrid\",\n"
	      "    \"weights\": {\n",
	      f);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		const char *w = p[i].is_cohousing	? "0.02"
				: p[i].kind == K_SCHOOL ? "0.05"
							: NULL;
		if (!w)
			continue;
		fprintf(f, "%s      \"%s\": %s", first ? "" : ",\n", p[i].id,
			w);
		first = false;
	}
	fputs("\n    },\n"
	      "    \"perimeter\": \"community\",\n"
	      "    \"price_eur_kwh\": 0.15\n"
	      "  },\n"
	      "  \"billing\": {\"mode\": \"shared\"},\n"
	      "  \"alerts\": [\n",
	      f);
	for (size_t a = 0; a < DEMO_NALERTS; a++) {
		const struct demo_alert *al = &demo_alerts[a];
		fprintf(
		    f,
		    "    {\"start\": \"%d-%02d-%02dT%02d:00\", "
		    "\"end\": \"%d-%02d-%02dT%02d:00\", \"announced\": %s}%s\n",
		    DEMO_YEAR, al->month, al->day, al->start_h, DEMO_YEAR,
		    al->month, al->day, al->end_h,
		    al->announced ? "true" : "false",
		    a + 1 < DEMO_NALERTS ? "," : "");
	}
	fputs("  ],\n"
	      "  \"compare\": [\n"
	      "    {\"name\": \"prorata\", \"sharing\": {\"key\": "
	      "\"proportional\"}},\n"
	      "    {\"name\": \"fixed-until-done\", \"sharing\": {\"key\": "
	      "\"fixed\", "
	      "\"rounds\": \"until-done\"}},\n"
	      "    {\"name\": \"pot-rouge-gorge\", \"billing\": {\"mode\": "
	      "\"pot\", "
	      "\"key\": {\"measured\": 0.7, \"equal\": 0.3}, "
	      "\"bounds\": {\"protected\": {\"max_price_eur_kwh\": 0.3}}}},\n"
	      "    {\"name\": \"alone\", \"billing\": {\"mode\": "
	      "\"individual\"}}\n"
	      "  ]\n"
	      "}\n",
	      f);
}

/* A meter: its id and its series (borrowed from the series block). */
struct demo_meter {
	char id[24];   /* meter id */
	size_t id_len; /* strlen(id) */
	double *kwh;   /* DEMO_N values, DEMO_MISSING for absent rows */
};

/* id + suffix; participant ids are < 16 bytes, so it always fits. */
static void meter_name(struct demo_meter *m, const char *id, const char *suffix)
{
	size_t a = strlen(id), b = strlen(suffix);
	if (a + b >= sizeof(m->id))
		a = sizeof(m->id) - 1 - b;
	memcpy(m->id, id, a);
	memcpy(m->id + a, suffix, b + 1);
}

static int meter_cmp(const void *a, const void *b)
{
	return strcmp(((const struct demo_meter *)a)->id,
		      ((const struct demo_meter *)b)->id);
}

/* Append "<int>.<6 digits>" for v ≥ 0, rounded half up at 1e-6. */
static size_t fmt_kwh(char *b, double v)
{
	uint64_t u = (uint64_t)(v * 1e6 + 0.5);
	uint64_t ip = u / 1000000u, fp = u % 1000000u;
	char tmp[24];
	size_t n = 0, k = 0;
	do {
		tmp[k++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (k)
		b[n++] = tmp[--k];
	b[n++] = '.';
	for (int d = 5; d >= 0; d--) {
		b[n + (size_t)d] = (char)('0' + fp % 10);
		fp /= 10;
	}
	return n + 6;
}

#define DEMO_BUF (1u << 20)

static enum cab_status write_readings(FILE *f, const struct demo_slot *s,
				      const struct demo_meter *m, size_t nm,
				      char *buf)
{
	static const char header[] = "timestamp,meter,kwh\n";
	size_t len = sizeof(header) - 1;
	memcpy(buf, header, len);
	for (int i = 0; i < DEMO_N; i++) {
		char ts[21];
		cab_time_format_utc(s[i].utc_s, ts);
		for (size_t k = 0; k < nm; k++) {
			double v = m[k].kwh[i];
			if (v < 0.0)
				continue;
			if (len + 128 > DEMO_BUF) {
				if (fwrite(buf, 1, len, f) != len)
					return CAB_EIO;
				len = 0;
			}
			memcpy(buf + len, ts, 20);
			buf[len + 20] = ',';
			len += 21;
			memcpy(buf + len, m[k].id, m[k].id_len);
			len += m[k].id_len;
			buf[len++] = ',';
			len += fmt_kwh(buf + len, v);
			buf[len++] = '\n';
		}
	}
	if (len && fwrite(buf, 1, len, f) != len)
		return CAB_EIO;
	return CAB_OK;
}

enum cab_status cab_demo_write(const char *dir, struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	struct demo_part parts[DEMO_NHOUSE + DEMO_NCOH + 3];
	struct demo_meter meters[2 * (DEMO_NHOUSE + DEMO_NCOH + 3) + 1];
	struct demo_slot *slots = NULL;
	double *block = NULL;
	char *buf = NULL;
	char tmp[4200], final[4200];
	FILE *f = NULL;
	size_t nm = 0;

	st = mkdir_p(dir, err);
	if (st != CAB_OK)
		goto done;
	size_t np = demo_build(parts);
	size_t nseries = 1;
	for (size_t i = 0; i < np; i++)
		nseries +=
		    (parts[i].has_c ? 1 : 0) + (parts[i].kwp > 0 ? 1 : 0);
	slots = calloc(DEMO_N, sizeof(*slots));
	block = malloc(nseries * DEMO_N * sizeof(double));
	buf = malloc(DEMO_BUF);
	if (!slots || !block || !buf) {
		st = cab_err_add(err, CAB_ENOMEM, "demo: out of memory");
		goto done;
	}
	demo_calendar(slots);

	/* the cabin meter first, filled once its participants are known */
	double *cabin = block;
	memset(cabin, 0, DEMO_N * sizeof(double));
	snprintf(meters[0].id, sizeof(meters[0].id), "%s",
		 demo_cabins[0].meter);
	meters[0].kwh = cabin;
	nm = 1;
	for (size_t i = 0; i < np; i++) {
		const struct demo_part *p = &parts[i];
		if (p->has_c) {
			double *v = block + nm * DEMO_N;
			if (p->kind == K_HOUSE)
				gen_household(p, slots, v);
			else if (p->kind == K_SCHOOL)
				gen_school(p, slots, v);
			else
				gen_common(p, slots, v);
			shape_finish(p, slots, v);
			meter_name(&meters[nm], p->id, "-c");
			meters[nm++].kwh = v;
			if (p->cabin == 0)
				for (int t = 0; t < DEMO_N; t++)
					cabin[t] += v[t];
		}
		if (p->kwp > 0) {
			double *v = block + nm * DEMO_N;
			gen_pv(p, slots, v);
			meter_name(&meters[nm], p->id, "-pv");
			meters[nm++].kwh = v;
			if (p->cabin == 0)
				for (int t = 0; t < DEMO_N; t++)
					cabin[t] -= v[t];
		}
	}
	/* the cabin sees the net import of everything behind it, plus losses */
	for (int t = 0; t < DEMO_N; t++)
		cabin[t] = cabin[t] > 0.0 ? cabin[t] * 1.03 : 0.0;
	/* a Flukso sensor down for a day: rows absent, never zero */
	for (size_t i = 0, k = 1; i < np; i++) {
		const struct demo_part *p = &parts[i];
		if (p->has_c && p->gap_day >= 0)
			for (int t = 0; t < DEMO_N; t++)
				if (slots[t].day == p->gap_day)
					meters[k].kwh[t] = DEMO_MISSING;
		k += (p->has_c ? 1 : 0) + (p->kwp > 0 ? 1 : 0);
	}
	for (size_t k = 0; k < nm; k++)
		meters[k].id_len = strlen(meters[k].id);
	qsort(meters, nm, sizeof(meters[0]), meter_cmp);

	f = open_tmp(dir, "scenario.json", tmp, final, sizeof(tmp), err);
	if (!f) {
		st = CAB_EIO;
		goto done;
	}
	write_scenario(f, parts, np);
	st = finish_file(f, tmp, final, err);
	f = NULL;
	if (st != CAB_OK)
		goto done;

	f = open_tmp(dir, "readings.csv", tmp, final, sizeof(tmp), err);
	if (!f) {
		st = CAB_EIO;
		goto done;
	}
	if (write_readings(f, slots, meters, nm, buf) != CAB_OK) {
		st = cab_err_add(err, CAB_EIO, "cannot write '%s': %s", tmp,
				 strerror(errno));
		fclose(f);
		remove(tmp);
		f = NULL;
		goto done;
	}
	st = finish_file(f, tmp, final, err);
	f = NULL;
done:
	free(slots);
	free(block);
	free(buf);
	return st;
}
