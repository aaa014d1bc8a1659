/*
 * demo.h — the demo community's parts (internal to scenarios/demo/): who
 * takes part (community.c), the calendar, the sun and the load shapes
 * (profiles.c), the files (demo.c, cab_demo_write of cabine/demo.h).
 *
 * Why: the generator is a few hundred lines of believable detail; each
 * file holds one kind of it. Everything here is deterministic: one
 * splitmix64 stream per purpose, seeded from fixed salts and names.
 *
 * Ownership: the tables are constant; callers own every array they pass.
 */
#ifndef CABINE_DEMO_INTERNAL_H
#define CABINE_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
#define DEMO_NPARTS (DEMO_NHOUSE + DEMO_NCOH + 3) /* + PV, school, common */
#define DEMO_NCABINS 5
#define DEMO_NALERTS 6

/* ---- deterministic random numbers ---- */

struct demo_rng {
	uint64_t s; /* splitmix64 state */
};

static inline uint64_t rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double rng_unif(struct demo_rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Approximately standard normal (Irwin–Hall with 4 terms): no libm, so
 * the stream is identical everywhere. */
static inline double rng_norm(struct demo_rng *r)
{
	double s = rng_unif(r) + rng_unif(r) + rng_unif(r) + rng_unif(r);
	return (s - 2.0) * 1.7320508075688772;
}

/* A generator seeded from a fixed salt and a name (FNV-1a). */
static inline void rng_seed(struct demo_rng *r, uint64_t salt, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull ^ salt;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	r->s = h;
	(void)rng_next(r);
}

/* ---- the community (community.c) ---- */

enum demo_kind { DEMO_K_HOUSE, DEMO_K_SCHOOL, DEMO_K_COMMON, DEMO_K_PRODUCER };

struct demo_part {
	char id[16];	     /* participant id */
	enum demo_kind kind; /* what generates its consumption */
	int cabin;	     /* index in cab_demo_cabins */
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

/* An alert window, local time. */
struct demo_alert {
	int month, day, start_h, end_h; /* local date, hours [start, end) */
	bool announced;			/* announced in advance */
};

extern const struct demo_cabin cab_demo_cabins[DEMO_NCABINS]; /* [0] metered */
extern const struct demo_alert cab_demo_alerts[DEMO_NALERTS];

/* Fill p (DEMO_NPARTS entries) with the participants; returns the count. */
size_t cab_demo_build(struct demo_part *p);
/* The scenario file of the n participants p. */
void cab_demo_write_scenario(FILE *f, const struct demo_part *p, size_t n);

/* ---- calendar, sun and loads (profiles.c) ---- */

/* One quarter-hour of the year. */
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

/* Fill s (DEMO_N slots): calendar, sun and the shared PV profile. */
void cab_demo_calendar(struct demo_slot *s);
/* A participant's relative consumption shape (DEMO_N values). */
void cab_demo_gen_household(const struct demo_part *p,
			    const struct demo_slot *s, double *out);
void cab_demo_gen_school(const struct demo_part *p, const struct demo_slot *s,
			 double *out);
void cab_demo_gen_common(const struct demo_part *p, const struct demo_slot *s,
			 double *out);
/* Its PV output in kWh per interval. */
void cab_demo_gen_pv(const struct demo_part *p, const struct demo_slot *s,
		     double *out);
/* Scale v to p's yearly target, then apply its alert responses. */
void cab_demo_shape_finish(const struct demo_part *p, const struct demo_slot *s,
			   double *v);

#endif
