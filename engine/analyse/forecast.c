/*
 * forecast.c — the surplus-hours signal (SPEC §15, include/cabine/
 * forecast.h): the days a weather file covers, what the forecast needs of
 * the scenario, the community's PV and expected consumption per
 * quarter-hour, the surplus and its windows.
 *
 * Why here: the analyse stage reads the scenario and its readings and
 * hands plain arrays to the reports (reports/forecast_csv.c); the physics
 * is pv.c and solar.c, the comparison with what was measured backtest.c.
 *
 * The expected consumption is a median, not a mean: one evening of
 * guests or a week away must not move tomorrow's signal, and a median of
 * four values keeps a household's habits (the washing on Saturday
 * morning) where they are. Local clock quarter-hours are compared, so a
 * DST change between the history and the forecast keeps habits at their
 * clock time; the repeated autumn hour counts twice, the missing spring
 * hour not at all.
 *
 * Workload: a forecast of 2–7 days for up to a few hundred participants;
 * a backtest over a year: per participant and day one bucketing of its
 * 4 weeks (2,700 values) and 96 medians of about 4 — under a second.
 * Ownership: a forecast owns its arrays and borrows its scenario.
 */
#include "cabine/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/pv.h"
#include "cabine/solar.h"
#include "cabine/time.h"
#include "engine/base/i18n.h"

#define SLOTS 96	 /* local clock quarter-hours of a day */
#define KEYS (7 * SLOTS) /* weekday × clock quarter-hour */
#define DAY_S (24 * 3600)

/* Local weekday × 96 + clock quarter-hour of the interval starting at t. */
static int key_of(int64_t t)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	return c.wday * SLOTS + c.hour * 4 + c.minute / 15;
}

int64_t cab_forecast_midnight(int64_t t, int days)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	int64_t d = cab_time_days_from_civil(c.year, c.month, c.day) + days;
	int y, m, dd;
	cab_time_civil_from_days(d, &y, &m, &dd);
	return cab_time_local_midnight(y, m, dd);
}

/* ---- the days a weather file covers ------------------------------------ */

/* Does the Open-Meteo file give the quarter-hour starting at t? Its
 * radiation step, and the temperatures its middle lies between. */
static bool om_known(const struct cab_weather *w, int64_t t)
{
	int64_t first = w->end_s[0] - w->step_s;
	if (t < first || t + CAB_INTERVAL_S > w->end_s[w->n - 1])
		return false;
	size_t k = (size_t)((t - first) / w->step_s);
	double mid = (double)t + CAB_INTERVAL_S / 2.0;
	size_t i = mid < (double)w->end_s[k] && k > 0 ? k - 1 : k;
	return !isnan(w->ghi_w_m2[k]) && !isnan(w->temp_c[i]) &&
	       !isnan(w->temp_c[k]);
}

/* Is the sun below the horizon at the middle of the quarter-hour at t?
 * Then its PV is 0 whatever the weather (a forecast ending at 23:45 still
 * covers its last day). */
static bool is_night(const struct cab_solar_site *site, int64_t t)
{
	struct cab_solar_pos p;
	cab_solar_position((double)t + CAB_INTERVAL_S / 2.0, site, &p);
	return p.zenith_deg >= 90;
}

enum cab_status cab_forecast_days(const struct cab_scenario *sc,
				  const struct cab_weather *w,
				  const char *weather_path, int64_t *t0_s,
				  size_t *n_days, struct cab_err *err)
{
	struct cab_solar_site site =
	    cab_solar_site_at(sc->lat_deg, sc->lon_deg);
	*t0_s = 0;
	*n_days = 0;
	if (w->n == 0)
		return cab_err_add(err, CAB_EINPUT, _("%s: no time step"),
				   weather_path);
	int64_t first = w->end_s[0] - cab_weather_step_len(w, 0);
	int64_t last = w->end_s[w->n - 1];
	if (last - first > (int64_t)CAB_FORECAST_MAX_DAYS * DAY_S)
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: the weather spans %lld days (expected "
		      "at most %d: a forecast, or a backtest of a "
		      "year or two)"),
		    weather_path, (long long)((last - first) / DAY_S),
		    CAB_FORECAST_MAX_DAYS);
	int64_t day = cab_forecast_midnight(first, 0);
	int64_t t_first = -1, t_last = -1;
	size_t n = 0, n_covered = 0;
	for (; day < last; day = cab_forecast_midnight(day, 1), n++) {
		int64_t next = cab_forecast_midnight(day, 1);
		bool is_covered = true;
		if (w->source == CAB_WEATHER_FORECAST_SOLAR) {
			/* Covered: a period ends on that day (forecast.solar
			 * lists the hours of light only). */
			is_covered = false;
			for (size_t k = 0; k < w->n && !is_covered; k++)
				is_covered =
				    w->end_s[k] > day && w->end_s[k] <= next;
		} else {
			for (int64_t t = day; t < next && is_covered;
			     t += CAB_INTERVAL_S)
				is_covered =
				    om_known(w, t) || is_night(&site, t);
		}
		if (!is_covered)
			continue;
		if (t_first < 0)
			t_first = day;
		t_last = next;
		n_covered++;
	}
	if (t_first < 0) {
		char a[17], b[17];
		cab_time_format_local(first, a);
		cab_time_format_local(last, b);
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: the weather from %s to %s covers no "
				     "whole local day (expected every quarter-"
				     "hour of at least one day, with values)"),
				   weather_path, a, b);
	}
	*t0_s = t_first;
	for (int64_t d = t_first; d < t_last; d = cab_forecast_midnight(d, 1))
		(*n_days)++;
	return CAB_OK;
}

/* ---- what the forecast needs -------------------------------------------- */

enum cab_status cab_forecast_check(const struct cab_scenario *sc,
				   const struct cab_weather *w,
				   const char *weather_path,
				   struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	const char *f = sc->path;
	if (!sc->has_location)
		st =
		    cab_err_at_path(err, CAB_EINPUT, f, "$",
				    _("missing key 'location' (cabine forecast "
				      "needs the community's latitude and "
				      "longitude, e.g. \"location\": {\"lat\": "
				      "50.85, \"lon\": 4.35})"));
	size_t n_pv = 0;
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		n_pv += p->has_pv;
		bool is_producer = p->meter_production || p->meter_injection;
		if (w->source == CAB_WEATHER_OPEN_METEO && is_producer &&
		    !p->has_pv) {
			char path[64];
			snprintf(path, sizeof(path), "$.participants[%zu]", i);
			st = cab_err_at_path(
			    err, CAB_EINPUT, f, path,
			    p->meter_production
				? _("participant '%s' has a production meter "
				    "but no 'pv' (its panels' kwp, tilt and "
				    "azimuth: the forecast needs every "
				    "installation)")
				: _("participant '%s' has an injection meter "
				    "but no 'pv' (its panels' kwp, tilt and "
				    "azimuth: the forecast needs every "
				    "installation)"),
			    p->id);
		}
	}
	if (n_pv == 0)
		st = cab_err_at_path(
		    err, CAB_EINPUT, f, "$.participants",
		    _("no participant has 'pv' (cabine forecast "
		      "needs each installation: \"pv\": "
		      "{\"kwp\", \"tilt\", \"azimuth\"})"));
	if (sc->has_location && !isnan(w->lat_deg) && !isnan(w->lon_deg)) {
		double dlat = fabs(w->lat_deg - sc->lat_deg);
		double dlon = fabs(w->lon_deg - sc->lon_deg) *
			      cos(sc->lat_deg * 3.14159265358979 / 180);
		if (dlat > CAB_FORECAST_MAX_DISTANCE ||
		    dlon > CAB_FORECAST_MAX_DISTANCE)
			st = cab_err_add(err, CAB_EINPUT,
					 _("%s: the forecast is for latitude "
					   "%.3f, longitude "
					   "%.3f, more than %.1f\xC2\xB0 from "
					   "the scenario's "
					   "location %.3f, %.3f (expected a "
					   "forecast fetched "
					   "for the community's place)"),
					 weather_path, w->lat_deg, w->lon_deg,
					 CAB_FORECAST_MAX_DISTANCE, sc->lat_deg,
					 sc->lon_deg);
	}
	return st;
}

/* ---- expected consumption ------------------------------------------------ */

static double median(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) /* insertion sort: n is ~4 */
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The values of one history window bucketed by key (counting sort). */
struct buckets {
	size_t start[KEYS + 1]; /* bucket k is vals[start[k]..start[k+1]) */
	size_t slot_start[SLOTS + 1];
	double *vals;	   /* by key */
	double *slot_vals; /* by clock quarter-hour alone */
	double *all;	   /* every value */
	double *tmp;	   /* scratch for a median */
	size_t n;	   /* values */
};

/* Bucket the known values of hist[i0, i1) (keys precomputed). */
static void bucket(struct buckets *b, const double *hist, const int *keys,
		   size_t i0, size_t i1)
{
	size_t count[KEYS] = {0}, scount[SLOTS] = {0};
	b->n = 0;
	for (size_t i = i0; i < i1; i++)
		if (!isnan(hist[i])) {
			count[keys[i]]++;
			scount[keys[i] % SLOTS]++;
			b->all[b->n++] = hist[i];
		}
	b->start[0] = b->slot_start[0] = 0;
	for (int k = 0; k < KEYS; k++)
		b->start[k + 1] = b->start[k] + count[k];
	for (int k = 0; k < SLOTS; k++)
		b->slot_start[k + 1] = b->slot_start[k] + scount[k];
	size_t fill[KEYS], sfill[SLOTS];
	memcpy(fill, b->start, sizeof(fill));
	memcpy(sfill, b->slot_start, sizeof(sfill));
	for (size_t i = i0; i < i1; i++)
		if (!isnan(hist[i])) {
			b->vals[fill[keys[i]]++] = hist[i];
			b->slot_vals[sfill[keys[i] % SLOTS]++] = hist[i];
		}
}

/* The expected value at key k from the buckets (the fallbacks of
 * forecast.h), NaN without any value. */
static double expect(struct buckets *b, int k)
{
	const double *src = b->vals + b->start[k];
	size_t m = b->start[k + 1] - b->start[k];
	if (m == 0) {
		src = b->slot_vals + b->slot_start[k % SLOTS];
		m = b->slot_start[k % SLOTS + 1] - b->slot_start[k % SLOTS];
	}
	if (m == 0) {
		src = b->all;
		m = b->n;
	}
	if (m == 0)
		return NAN;
	memcpy(b->tmp, src, m * sizeof(double));
	return median(b->tmp, m);
}

/* The calendar of a history and a forecast, the same for every
 * participant: each history interval's key, each forecast interval's key
 * and the history range [lo, hi) of its 4 weeks. */
struct calendar {
	int *hist_key; /* n_hist keys */
	int *key;      /* n keys */
	size_t *lo;    /* n: first history index of the window */
	size_t *hi;    /* n: its end */
	size_t n;      /* forecast quarter-hours */
};

static void calendar_release(struct calendar *c)
{
	free(c->hist_key), free(c->key), free(c->lo), free(c->hi);
}

/* Index in a history of n_hist from h0 of instant t, within [0, n_hist]. */
static size_t hist_at(int64_t h0, size_t n_hist, int64_t t)
{
	if (t <= h0)
		return 0;
	size_t i = (size_t)((t - h0) / CAB_INTERVAL_S);
	return i > n_hist ? n_hist : i;
}

static bool calendar_init(struct calendar *c, int64_t h0, size_t n_hist,
			  int64_t t0_s, size_t n, bool is_rolling)
{
	c->n = n;
	c->hist_key = malloc((n_hist + 1) * sizeof(int));
	c->key = malloc((n + 1) * sizeof(int));
	c->lo = malloc((n + 1) * sizeof(size_t));
	c->hi = malloc((n + 1) * sizeof(size_t));
	if (!c->hist_key || !c->key || !c->lo || !c->hi)
		return false;
	for (size_t i = 0; i < n_hist; i++)
		c->hist_key[i] = key_of(h0 + (int64_t)i * CAB_INTERVAL_S);
	int64_t h = t0_s, next = cab_forecast_midnight(t0_s, 1);
	size_t lo = hist_at(
	    h0, n_hist, cab_forecast_midnight(h, -CAB_FORECAST_HISTORY_DAYS));
	size_t hi = hist_at(h0, n_hist, h);
	for (size_t q = 0; q < n; q++) {
		int64_t t = t0_s + (int64_t)q * CAB_INTERVAL_S;
		if (is_rolling && t >= next) {
			h = next;
			next = cab_forecast_midnight(h, 1);
			lo = hist_at(h0, n_hist,
				     cab_forecast_midnight(
					 h, -CAB_FORECAST_HISTORY_DAYS));
			hi = hist_at(h0, n_hist, h);
		}
		c->key[q] = key_of(t);
		c->lo[q] = lo;
		c->hi[q] = hi;
	}
	return true;
}

/* The expected consumption of hist by the calendar into out; *n_known:
 * the values in the first quarter-hour's window. */
static void expected_on(const struct calendar *c, struct buckets *b,
			const double *hist, double *out, size_t *n_known)
{
	size_t lo = (size_t)-1, hi = 0;
	*n_known = 0;
	for (size_t q = 0; q < c->n; q++) {
		if (c->lo[q] != lo || c->hi[q] != hi) {
			lo = c->lo[q], hi = c->hi[q];
			bucket(b, hist, c->hist_key, lo, hi);
			if (q == 0)
				*n_known = b->n;
		}
		out[q] = expect(b, c->key[q]);
	}
}

static bool buckets_init(struct buckets *b, size_t n_hist)
{
	memset(b, 0, sizeof(*b));
	b->vals = malloc((n_hist + 1) * sizeof(double));
	b->slot_vals = malloc((n_hist + 1) * sizeof(double));
	b->all = malloc((n_hist + 1) * sizeof(double));
	b->tmp = malloc((n_hist + 1) * sizeof(double));
	return b->vals && b->slot_vals && b->all && b->tmp;
}

static void buckets_release(struct buckets *b)
{
	free(b->vals), free(b->slot_vals), free(b->all), free(b->tmp);
}

enum cab_status cab_forecast_expected(const double *hist, int64_t hist_t0_s,
				      size_t n_hist, int64_t t0_s, size_t n,
				      bool is_rolling, double *out,
				      size_t *n_known, struct cab_err *err)
{
	struct calendar c = {0};
	struct buckets b;
	bool is_ok = buckets_init(&b, n_hist) &&
		     calendar_init(&c, hist_t0_s, n_hist, t0_s, n, is_rolling);
	if (is_ok)
		expected_on(&c, &b, hist, out, n_known);
	calendar_release(&c);
	buckets_release(&b);
	return is_ok ? CAB_OK
		     : cab_err_add(err, CAB_ENOMEM, _("out of memory"));
}

/* ---- windows ------------------------------------------------------------- */

size_t cab_forecast_windows(int64_t t0_s, const double *surplus_kwh, size_t n,
			    struct cab_forecast_window *out)
{
	size_t nw = 0;
	for (size_t q = 0; q < n;) {
		if (!(surplus_kwh[q] > 0)) {
			q++;
			continue;
		}
		size_t r = q;
		double sum = 0;
		while (r < n && surplus_kwh[r] > 0)
			sum += surplus_kwh[r++];
		if (r - q >= CAB_FORECAST_MIN_WINDOW)
			out[nw++] = (struct cab_forecast_window){
			    .start_s = t0_s + (int64_t)q * CAB_INTERVAL_S,
			    .end_s = t0_s + (int64_t)r * CAB_INTERVAL_S,
			    .surplus_kwh = sum};
		q = r;
	}
	return nw;
}

/* ---- the forecast -------------------------------------------------------- */

void cab_forecast_free(struct cab_forecast *f)
{
	if (!f)
		return;
	free(f->pv_kwh);
	free(f->consumption_kwh);
	free(f->surplus_kwh);
	free(f->array_of);
	free(f->array_kwh);
	free(f->expected_kwh);
	free(f->windows);
	free(f);
}

/* A participant's consumption series in rd: its gross consumption or
 * net offtake meter, NULL without one (or without data). */
static const double *consumption_of(const struct cab_participant *p,
				    const struct cab_readings *rd,
				    const char **meter)
{
	*meter = p->meter_consumption ? p->meter_consumption : p->meter_offtake;
	return *meter ? cab_readings_series(rd, *meter) : NULL;
}

/* Each installation's PV (Open-Meteo) or the community's (forecast.solar)
 * into f. */
static enum cab_status forecast_pv(struct cab_forecast *f,
				   const struct cab_weather *w,
				   struct cab_err *err)
{
	const struct cab_scenario *sc = f->sc;
	struct cab_solar_site site =
	    cab_solar_site_at(sc->lat_deg, sc->lon_deg);
	size_t n = f->n;
	if (w->source == CAB_WEATHER_FORECAST_SOLAR) {
		cab_pv_spread_energy(w, &site, f->t0_s, n, f->pv_kwh);
		return CAB_OK;
	}
	struct cab_pv_sky *sky = malloc((n + 1) * sizeof(*sky));
	for (size_t i = 0; i < sc->n_participants; i++)
		f->n_arrays += sc->participants[i].has_pv;
	f->array_of = calloc(f->n_arrays + 1, sizeof(size_t));
	f->array_kwh = calloc(f->n_arrays * n + 1, sizeof(double));
	if (!sky || !f->array_of || !f->array_kwh) {
		free(sky);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	cab_pv_skies(w, &site, f->t0_s, n, sky);
	size_t a = 0;
	for (size_t q = 0; q < n; q++)
		f->pv_kwh[q] = sky[q].is_known ? 0 : NAN;
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		if (!p->has_pv)
			continue;
		struct cab_pv_array arr = {p->pv.kwp, p->pv.tilt_deg,
					   p->pv.azimuth_deg, p->pv.losses};
		double *kwh = f->array_kwh + a * n;
		f->array_of[a++] = i;
		for (size_t q = 0; q < n; q++) {
			kwh[q] = cab_pv_quarter_kwh(&arr, &sky[q]);
			f->pv_kwh[q] += kwh[q];
		}
	}
	free(sky);
	return CAB_OK;
}

/* Each participant's expected consumption, and the community's: one
 * calendar and one set of buckets for all. */
static enum cab_status forecast_consumption(struct cab_forecast *f,
					    const struct cab_readings *rd,
					    struct cab_err *err)
{
	const struct cab_scenario *sc = f->sc;
	size_t n = f->n;
	enum cab_status st = CAB_OK;
	int64_t rt0 = cab_readings_t0(rd);
	size_t rn = cab_readings_n_intervals(rd);
	struct calendar cal = {0};
	struct buckets b;
	if (!buckets_init(&b, rn) ||
	    !calendar_init(&cal, rt0, rn, f->t0_s, n, f->is_rolling)) {
		calendar_release(&cal);
		buckets_release(&b);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	for (size_t q = 0; q < n; q++)
		f->consumption_kwh[q] = 0;
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		double *e = f->expected_kwh + i * n;
		const char *meter = NULL;
		const double *c = consumption_of(p, rd, &meter);
		size_t n_known = 0;
		if (c)
			expected_on(&cal, &b, c, e, &n_known);
		else
			for (size_t q = 0; q < n; q++)
				e[q] = 0; /* PV only or meterless (SPEC §15) */
		if (meter && n_known == 0 && !f->is_rolling) {
			char a[17], d[17];
			cab_time_format_local(
			    cab_forecast_midnight(f->t0_s,
						  -CAB_FORECAST_HISTORY_DAYS),
			    a);
			cab_time_format_local(
			    cab_forecast_midnight(f->t0_s, -1), d);
			a[10] = d[10] = '\0';
			st = cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: participant '%s': no reading of meter '%s' "
			      "in "
			      "the 4 weeks before the forecast (%s to %s; the "
			      "expected consumption is their median)"),
			    sc->path, p->id, meter, a, d);
		}
		for (size_t q = 0; q < n; q++)
			f->consumption_kwh[q] += e[q];
	}
	calendar_release(&cal);
	buckets_release(&b);
	return st;
}

enum cab_status cab_forecast_new(const struct cab_scenario *sc,
				 const struct cab_weather *w,
				 const struct cab_readings *rd, bool is_rolling,
				 struct cab_forecast **out, struct cab_err *err)
{
	*out = NULL;
	struct cab_forecast *f = calloc(1, sizeof(*f));
	if (!f)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	f->sc = sc;
	f->source = w->source;
	f->is_rolling = is_rolling;
	f->weather_start_s =
	    w->n ? w->end_s[0] - cab_weather_step_len(w, 0) : 0;
	enum cab_status st =
	    cab_forecast_days(sc, w, sc->path, &f->t0_s, &f->n_days, err);
	if (st != CAB_OK)
		goto done;
	for (int64_t d = f->t0_s, k = 0; k < (int64_t)f->n_days;
	     k++, d = cab_forecast_midnight(d, 1)) {
		struct cab_civil c;
		cab_time_to_local(d, &c);
		f->n += (size_t)cab_time_local_day_intervals(c.year, c.month,
							     c.day);
	}
	size_t n = f->n;
	f->pv_kwh = calloc(n + 1, sizeof(double));
	f->consumption_kwh = calloc(n + 1, sizeof(double));
	f->surplus_kwh = calloc(n + 1, sizeof(double));
	f->expected_kwh = calloc(sc->n_participants * n + 1, sizeof(double));
	f->windows = calloc(n / 2 + 1, sizeof(*f->windows));
	if (!f->pv_kwh || !f->consumption_kwh || !f->surplus_kwh ||
	    !f->expected_kwh || !f->windows) {
		st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		goto done;
	}
	st = forecast_pv(f, w, err);
	if (st == CAB_OK)
		st = forecast_consumption(f, rd, err);
	if (st != CAB_OK)
		goto done;
	for (size_t q = 0; q < n; q++)
		f->surplus_kwh[q] = f->pv_kwh[q] - f->consumption_kwh[q];
	f->n_windows =
	    cab_forecast_windows(f->t0_s, f->surplus_kwh, n, f->windows);
done:
	if (st != CAB_OK) {
		cab_forecast_free(f);
		return st;
	}
	*out = f;
	return CAB_OK;
}
