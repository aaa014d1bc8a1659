/*
 * test_forecast.c — the surplus-hours signal (engine/analyse/forecast.c,
 * backtest.c, reports/forecast_csv.c): the expected consumption's medians
 * and fallbacks by hand, the windows, DST days of 92 and 100
 * quarter-hours, what the forecast needs of a scenario, the backtest's
 * sums by hand, the calendar and the SMS, and byte-identical files.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/forecast.h"
#include "cabine/readings.h"
#include "cabine/report.h"
#include "cabine/scenario.h"
#include "cabine/time.h"
#include "cabine/weather.h"
#include "harness.h"

#define Q 900

/* Index in a series from t0 of the local time (y-m-d h:mi). */
static size_t at(int64_t t0, int y, int m, int d, int h, int mi)
{
	int64_t t = cab_time_local_midnight(y, m, d) + h * 3600 + mi * 60;
	/* Local times after a DST change that day are not needed here. */
	return (size_t)((t - t0) / Q);
}

TEST(expected_consumption_is_a_median_with_fallbacks)
{
	/* History: the 4 weeks before Saturday 2024-06-01 (CEST all along),
	 * all missing but Saturdays 10:00 — 1, 2, 10, 3 — and Monday 6 May
	 * 10:00 — 7. Saturday 10:00: median(1, 2, 3, 10) = (2 + 3)/2 = 2.5.
	 * Monday 10:00: the one Monday value, 7. Tuesday 10:00: no Tuesday,
	 * so 10:00 on any day: median(1, 2, 3, 7, 10) = 3. Tuesday 11:00:
	 * no 11:00 at all, so every value: 3 again; Saturday 11:00 too. */
	int64_t h0 = cab_time_local_midnight(2024, 5, 4);
	int64_t t0 = cab_time_local_midnight(2024, 6, 1);
	size_t nh = (size_t)((t0 - h0) / Q);
	double *hist = malloc(nh * sizeof(double));
	for (size_t i = 0; i < nh; i++)
		hist[i] = NAN;
	int sat[4] = {4, 11, 18, 25};
	double v[4] = {1, 2, 10, 3};
	for (int k = 0; k < 4; k++)
		hist[at(h0, 2024, 5, sat[k], 10, 0)] = v[k];
	hist[at(h0, 2024, 5, 6, 10, 0)] = 7;
	double out[4 * 96];
	size_t n_known = 0;
	CHECK_INT(cab_forecast_expected(hist, h0, nh, t0, 4 * 96, false, out,
					&n_known, NULL),
		  CAB_OK);
	CHECK_INT(n_known, 5);
	CHECK_NEAR(out[at(t0, 2024, 6, 1, 10, 0)], 2.5, 1e-12);
	CHECK_NEAR(out[at(t0, 2024, 6, 3, 10, 0)], 7, 1e-12);
	CHECK_NEAR(out[at(t0, 2024, 6, 4, 10, 0)], 3, 1e-12);
	CHECK_NEAR(out[at(t0, 2024, 6, 4, 11, 0)], 3, 1e-12);
	CHECK_NEAR(out[at(t0, 2024, 6, 1, 11, 0)], 3, 1e-12);
	free(hist);
}

TEST(rolling_history_moves_with_each_day)
{
	/* The same Saturdays plus 100 on Saturday 1 June 10:00. Forecast of
	 * Saturday 8 June: fixed history (before 1 June) → 2.5; rolling
	 * (the 4 weeks before 8 June: 11, 18, 25 May, 1 June → 2, 10, 3,
	 * 100) → (3 + 10)/2 = 6.5. */
	int64_t h0 = cab_time_local_midnight(2024, 5, 4);
	int64_t t0 = cab_time_local_midnight(2024, 6, 1);
	int64_t t1 = cab_time_local_midnight(2024, 6, 9);
	size_t nh = (size_t)((t1 - h0) / Q), n = (size_t)((t1 - t0) / Q);
	double *hist = malloc(nh * sizeof(double)), *out = malloc(n * 8);
	for (size_t i = 0; i < nh; i++)
		hist[i] = NAN;
	int sat[5] = {4, 11, 18, 25, 32};
	double v[5] = {1, 2, 10, 3, 100};
	for (int k = 0; k < 5; k++)
		hist[at(h0, 2024, 5, sat[k], 10, 0)] = v[k];
	size_t n_known;
	size_t q8 = at(t0, 2024, 6, 8, 10, 0);
	cab_forecast_expected(hist, h0, nh, t0, n, false, out, &n_known, NULL);
	CHECK_NEAR(out[q8], 2.5, 1e-12);
	cab_forecast_expected(hist, h0, nh, t0, n, true, out, &n_known, NULL);
	CHECK_NEAR(out[q8], 6.5, 1e-12);
	CHECK_NEAR(out[at(t0, 2024, 6, 1, 10, 0)], 2.5, 1e-12);
	free(hist);
	free(out);
}

TEST(windows_are_runs_of_at_least_30_minutes)
{
	/* −1, 1 | −1 | 1, 1 | NaN | 1, 1, 1 | 0 | 2, 2: a lone positive
	 * quarter-hour is no window, NaN and 0 end a run. Windows: [3, 5)
	 * with 2, [6, 9) with 3, [10, 12) with 4 kWh. */
	double s[12] = {-1, 1, -1, 1, 1, NAN, 1, 1, 1, 0, 2, 2};
	struct cab_forecast_window w[6];
	size_t n = cab_forecast_windows(1000 * Q, s, 12, w);
	CHECK_INT(n, 3);
	CHECK_INT(w[0].start_s, 1003 * Q);
	CHECK_INT(w[0].end_s, 1005 * Q);
	CHECK_NEAR(w[0].surplus_kwh, 2, 1e-12);
	CHECK_INT(w[1].start_s, 1006 * Q);
	CHECK_INT(w[1].end_s, 1009 * Q);
	CHECK_NEAR(w[2].surplus_kwh, 4, 1e-12);
}

/* ---- a small community --------------------------------------------------- */

static const char SCENARIO[] =
    "{\"name\": \"rue-du-soleil\", \"period\": {\"start\": \"2024-01-01\", "
    "\"end\": \"2024-01-02\"}, \"readings\": \"r.csv\","
    " \"location\": {\"lat\": 50.85, \"lon\": 4.35},"
    " \"participants\": ["
    "  {\"id\": \"h1\", \"meters\": {\"consumption\": \"h1-c\", "
    "\"production\": \"h1-pv\"}, \"pv\": {\"kwp\": 3, \"tilt\": 35, "
    "\"azimuth\": 180}},"
    "  {\"id\": \"h2\", \"meters\": {\"consumption\": \"h2-c\"}}],"
    " \"tariff\": {\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": "
    "0.12, \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": "
    "0.09, \"D\": 0.12}, \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": "
    "0.03}}";

static struct cab_scenario *load(const char *json)
{
	struct cab_scenario *sc = NULL;
	struct cab_err err;
	cab_err_init(&err);
	if (cab_scenario_parse("s.json", json, strlen(json), &sc, &err) !=
	    CAB_OK)
		fprintf(stderr, "%s", err.text ? err.text : "?");
	cab_err_release(&err);
	return sc;
}

/* An Open-Meteo-like weather of `days` local days from (y, m, d), hourly,
 * times in UTC (as with timeformat=unixtime): a bright midday. */
static struct cab_weather *weather(int y, int m, int d, int days)
{
	struct cab_weather *w = calloc(1, sizeof(*w));
	int64_t t0 = cab_time_local_midnight(y, m, d);
	int64_t t1 = t0 + (int64_t)days * 86400 + 4 * 3600;
	w->source = CAB_WEATHER_OPEN_METEO;
	w->step_s = 3600;
	w->n = (size_t)((t1 - t0) / 3600) + 1;
	w->end_s = calloc(w->n, sizeof(int64_t));
	w->ghi_w_m2 = calloc(w->n, sizeof(double));
	w->temp_c = calloc(w->n, sizeof(double));
	w->lat_deg = w->lon_deg = NAN;
	for (size_t k = 0; k < w->n; k++) {
		w->end_s[k] = t0 + (int64_t)k * 3600;
		struct cab_civil c;
		cab_time_to_utc_civil(w->end_s[k], &c);
		w->ghi_w_m2[k] = c.hour >= 8 && c.hour <= 16 ? 600 : 0;
		w->temp_c[k] = 10;
	}
	return w;
}

/* Readings over [from, to): h1 and h2 use 0.1 kWh every quarter-hour,
 * h2 0.3 at local 02:00–02:45 (the hour that DST repeats or skips). */
static struct cab_readings *history(int64_t from, int64_t to)
{
	struct cab_readings *rd = NULL;
	size_t n = (size_t)((to - from) / Q);
	cab_readings_new(from, n, &rd, NULL);
	double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		struct cab_civil c;
		cab_time_to_local(from + (int64_t)i * Q, &c);
		a[i] = 0.1;
		b[i] = c.hour == 2 ? 0.3 : 0.1;
	}
	cab_readings_put(rd, "h1-c", a, NULL);
	cab_readings_put(rd, "h2-c", b, NULL);
	free(a);
	free(b);
	return rd;
}

static struct cab_forecast *forecast_days(struct cab_scenario *sc, int y, int m,
					  int d, int days)
{
	struct cab_weather *w = weather(y, m, d, days);
	int64_t t0 = cab_time_local_midnight(y, m, d);
	struct cab_readings *rd = history(t0 - 29 * 86400, t0);
	struct cab_forecast *f = NULL;
	struct cab_err err;
	cab_err_init(&err);
	if (cab_forecast_new(sc, w, rd, false, &f, &err) != CAB_OK)
		fprintf(stderr, "%s", err.text ? err.text : "?");
	cab_err_release(&err);
	cab_readings_free(rd);
	cab_weather_free(w);
	return f;
}

TEST(dst_days_have_92_and_100_quarter_hours)
{
	/* 31 March 2024 (spring) and 27 October 2024 (autumn), each alone:
	 * 92 and 100 quarter-hours; 30 March–1 April: 96 + 92 + 96. On the
	 * autumn day both occurrences of 02:xx take the same clock
	 * quarter-hour's median: h1 0.1 + h2 0.3 = 0.4 kWh. */
	struct cab_scenario *sc = load(SCENARIO);
	CHECK(sc != NULL);
	if (!sc)
		return;
	struct cab_forecast *f = forecast_days(sc, 2024, 3, 31, 1);
	CHECK(f && f->n == 92 && f->n_days == 1);
	cab_forecast_free(f);
	f = forecast_days(sc, 2024, 3, 30, 3);
	CHECK(f && f->n == 96 + 92 + 96 && f->n_days == 3);
	cab_forecast_free(f);
	f = forecast_days(sc, 2024, 10, 27, 1);
	CHECK(f && f->n == 100);
	if (f) {
		/* Local midnight is 22:00 UTC (CEST); 02:00 CEST is
		 * quarter-hour 8, 02:00 CET (01:00 UTC) is 12. */
		size_t first = (size_t)((cab_time_local_midnight(2024, 10, 27) +
					 2 * 3600 - f->t0_s) /
					Q);
		CHECK_INT(first, 8);
		CHECK_NEAR(f->consumption_kwh[first], 0.4, 1e-12);
		CHECK_NEAR(f->consumption_kwh[first + 4], 0.4, 1e-12);
		CHECK_NEAR(f->consumption_kwh[first + 8], 0.2, 1e-12);
		CHECK_NEAR(f->consumption_kwh[first - 1], 0.2, 1e-12);
	}
	cab_forecast_free(f);
	cab_scenario_free(sc);
}

TEST(forecast_needs_location_and_pv)
{
	struct cab_weather *w = weather(2024, 6, 1, 1);
	struct cab_err err;
	/* No location, no pv: both said, each naming what is missing. */
	char json[4096];
	snprintf(json, sizeof(json), "%s", SCENARIO);
	char *loc = strstr(json, " \"location\"");
	memmove(loc, strstr(loc, "\"participants\""),
		strlen(strstr(loc, "\"participants\"")) + 1);
	char *pv = strstr(json, ", \"pv\"");
	memmove(pv, strstr(pv, "}}") + 1, strlen(strstr(pv, "}}") + 1) + 1);
	struct cab_scenario *sc = load(json);
	CHECK(sc != NULL);
	cab_err_init(&err);
	CHECK_INT(cab_forecast_check(sc, w, "w.json", &err), CAB_EINPUT);
	CHECK_STR(err.text,
		  "s.json: $: missing key 'location' (cabine forecast needs "
		  "the community's latitude and longitude, e.g. \"location\": "
		  "{\"lat\": 50.85, \"lon\": 4.35})\n"
		  "s.json: $.participants[0]: participant 'h1' has a "
		  "production meter but no 'pv' (its panels' kwp, tilt and "
		  "azimuth: the forecast needs every installation)\n"
		  "s.json: $.participants: no participant has 'pv' (cabine "
		  "forecast needs each installation: \"pv\": {\"kwp\", "
		  "\"tilt\", \"azimuth\"})\n");
	cab_err_release(&err);
	cab_scenario_free(sc);
	/* A weather file for Paris is not the community's. */
	sc = load(SCENARIO);
	w->lat_deg = 48.85, w->lon_deg = 2.35;
	cab_err_init(&err);
	CHECK_INT(cab_forecast_check(sc, w, "w.json", &err), CAB_EINPUT);
	CHECK_STR(err.text,
		  "w.json: the forecast is for latitude 48.850, longitude "
		  "2.350, more than 0.5\xC2\xB0 from the scenario's location "
		  "50.850, 4.350 (expected a forecast fetched for the "
		  "community's place)\n");
	cab_err_release(&err);
	w->lat_deg = 50.84, w->lon_deg = 4.36;
	CHECK_INT(cab_forecast_check(sc, w, "w.json", NULL), CAB_OK);
	cab_scenario_free(sc);
	cab_weather_free(w);
}

TEST(participant_without_history_is_named)
{
	/* h2's meter has no value in the 4 weeks before: an error naming it
	 * and the dates (1 June: 4 May to 31 May). */
	struct cab_scenario *sc = load(SCENARIO);
	struct cab_weather *w = weather(2024, 6, 1, 1);
	int64_t t0 = cab_time_local_midnight(2024, 6, 1);
	struct cab_readings *rd = history(t0 - 28 * 86400, t0);
	double nan[28 * 96 + 4];
	for (size_t i = 0; i < 28 * 96 + 4; i++)
		nan[i] = NAN;
	cab_readings_put(rd, "h2-c", nan, NULL);
	struct cab_forecast *f = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_forecast_new(sc, w, rd, false, &f, &err), CAB_EINPUT);
	CHECK(f == NULL);
	CHECK_STR(err.text,
		  "s.json: participant 'h2': no reading of meter 'h2-c' in the "
		  "4 weeks before the forecast (2024-05-04 to 2024-05-31; the "
		  "expected consumption is their median)\n");
	cab_err_release(&err);
	cab_readings_free(rd);
	cab_weather_free(w);
	cab_scenario_free(sc);
}

/* ---- the backtest
 * ------------------------------------------------------------ */

TEST(backtest_sums_by_hand)
{
	/* One day (2024-06-01, 96 quarter-hours), built by hand. h1's
	 * installation: forecast 1.0 kWh at quarter-hours 40–47, measured
	 * 0.5 there: Σf = 8, Σm = 4, bias 4 (100 %), nMAE Σ|f − m| / Σm =
	 * 4/4 = 100 %. Consumption forecast 0.2 everywhere, measured h1 0.25
	 * + h2 0 except quarter-hour 0 missing: 95 intervals, Σf = 19,
	 * Σm = 23.75, bias −4.75 (−20 %), nMAE 20 %. Window [40, 48): the
	 * measured surplus 8 × (0.5 − 0.25) = 2 > 0: judged, a hit. */
	struct cab_scenario *sc = load(SCENARIO);
	int64_t t0 = cab_time_local_midnight(2024, 6, 1);
	struct cab_forecast f = {.sc = sc,
				 .source = CAB_WEATHER_OPEN_METEO,
				 .is_rolling = true,
				 .t0_s = t0,
				 .n_days = 1,
				 .n = 96,
				 .n_arrays = 1};
	double pv[96], cons[96], sur[96], arr[96];
	size_t of[1] = {0};
	for (int q = 0; q < 96; q++) {
		arr[q] = pv[q] = q >= 40 && q < 48 ? 1.0 : 0;
		cons[q] = 0.2;
		sur[q] = pv[q] - cons[q];
	}
	f.pv_kwh = pv, f.consumption_kwh = cons, f.surplus_kwh = sur;
	f.array_of = of, f.array_kwh = arr;
	struct cab_forecast_window win = {t0 + 40 * Q, t0 + 48 * Q, 6.4};
	f.windows = &win, f.n_windows = 1;
	struct cab_readings *rd = NULL;
	cab_readings_new(t0 - 28 * 86400, 29 * 96, &rd, NULL);
	double mp[29 * 96], mc[29 * 96], m2[29 * 96];
	for (int i = 0; i < 29 * 96; i++) {
		int q = i - 28 * 96;
		mp[i] = q >= 40 && q < 48 ? 0.5 : 0;
		mc[i] = q == 0 ? NAN : 0.25;
		m2[i] = 0;
	}
	cab_readings_put(rd, "h1-pv", mp, NULL);
	cab_readings_put(rd, "h1-c", mc, NULL);
	cab_readings_put(rd, "h2-c", m2, NULL);
	struct cab_backtest *b = NULL;
	CHECK_INT(cab_backtest_new(&f, rd, &b, NULL), CAB_OK);
	CHECK(b && b->n_rows == 4);
	if (b && b->n_rows == 4) {
		const struct cab_backtest_row *h1 = &b->rows[0];
		CHECK_INT(h1->participant, 0);
		CHECK_INT(h1->intervals, 96);
		CHECK_NEAR(cab_backtest_bias_kwh(h1), 4, 1e-12);
		CHECK_NEAR(cab_backtest_bias_pct(h1), 100, 1e-9);
		CHECK_NEAR(cab_backtest_nmae_pct(h1), 100, 1e-9);
		const struct cab_backtest_row *c = &b->rows[2];
		CHECK_INT(c->quantity, CAB_BACKTEST_CONSUMPTION);
		CHECK_INT(c->intervals, 95);
		CHECK_NEAR(c->forecast_kwh, 19, 1e-9);
		CHECK_NEAR(c->measured_kwh, 23.75, 1e-9);
		CHECK_NEAR(cab_backtest_bias_pct(c), -20, 1e-9);
		CHECK_NEAR(cab_backtest_nmae_pct(c), 20, 1e-9);
		CHECK_INT(b->n_judged, 1);
		CHECK_INT(b->n_hits, 1);
		CHECK_NEAR(b->windows[0].measured_surplus_kwh, 2, 1e-9);
		CHECK_INT(b->windows[0].positive_intervals, 8);
		CHECK_NEAR(b->day_forecast_pv_kwh[0], 8, 1e-9);
		CHECK_NEAR(b->day_measured_pv_kwh[0], 4, 1e-9);
	}
	cab_backtest_free(b);
	cab_readings_free(rd);
	cab_scenario_free(sc);
}

/* ---- the files
 * ----------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, fp);
	buf[*len] = 0;
	fclose(fp);
	return buf;
}

static const struct cab_report_ops *const WRITERS[] = {
    &cab_report_forecast_csv, &cab_report_signal_csv, &cab_report_signal_ics,
    &cab_report_signal_txt, NULL};
static const char *const FILES[] = {"forecast.csv", "signal.csv", "signal.ics",
				    "signal.txt", NULL};

static void write_all(const struct cab_forecast *f, const char *dir)
{
	mkdir(dir, 0777);
	struct cab_report_opts ro = {.lang = -1, .forecast = f};
	for (int k = 0; WRITERS[k]; k++)
		CHECK_INT(WRITERS[k]->write(NULL, &ro, dir, NULL), CAB_OK);
}

TEST(files_are_byte_identical_and_the_calendar_is_rfc5545)
{
	struct cab_scenario *sc = load(SCENARIO);
	struct cab_forecast *a = forecast_days(sc, 2024, 6, 1, 2);
	struct cab_forecast *b = forecast_days(sc, 2024, 6, 1, 2);
	CHECK(a && b && a->n_windows == 2);
	if (!a || !b)
		return;
	char d1[] = "/tmp/cabine-fc-XXXXXX", d2[] = "/tmp/cabine-fc-XXXXXX";
	CHECK(mkdtemp(d1) && mkdtemp(d2));
	write_all(a, d1);
	write_all(b, d2);
	for (int k = 0; FILES[k]; k++) {
		char p1[256], p2[256];
		snprintf(p1, sizeof(p1), "%s/%s", d1, FILES[k]);
		snprintf(p2, sizeof(p2), "%s/%s", d2, FILES[k]);
		size_t l1 = 0, l2 = 0;
		char *x = slurp(p1, &l1), *y = slurp(p2, &l2);
		CHECK(x && y && l1 == l2 && memcmp(x, y, l1) == 0);
		if (x && strcmp(FILES[k], "signal.ics") == 0) {
			/* CRLF after every line, none above 75 octets, one
			 * event per window, UIDs from the window and the
			 * name, DTSTAMP the weather's first hour (31 May
			 * 22:00 UTC: the hour before local midnight). */
			size_t events = 0, line = 0, bad = 0;
			for (size_t i = 0; i < l1; i++) {
				if (x[i] == '\n') {
					bad += i == 0 || x[i - 1] != '\r';
					bad += line > 76;
					line = 0;
				} else {
					line++;
				}
			}
			for (char *e = x; (e = strstr(e, "BEGIN:VEVENT")); e++)
				events++;
			CHECK_INT(bad, 0);
			CHECK_INT(events, 2);
			CHECK(strncmp(x, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
				      30) == 0);
			CHECK(strstr(x, "\r\nDTSTAMP:20240531T210000Z\r\n"));
			CHECK(strstr(x, "\r\nUID:20240601T"));
			CHECK(strstr(x,
				     "SUMMARY:Surplus solaire pr\xC3\xA9vu ("));
			CHECK(strstr(x, "END:VCALENDAR\r\n") &&
			      strcmp(x + l1 - 15, "END:VCALENDAR\r\n") == 0);
		}
		free(x);
		free(y);
		unlink(p1);
		unlink(p2);
	}
	rmdir(d1);
	rmdir(d2);
	cab_forecast_free(a);
	cab_forecast_free(b);
	cab_scenario_free(sc);
}

/* Is s (UTF-8) made of the GSM 03.38 basic alphabet only? */
static bool is_gsm7(const char *s)
{
	static const char *const extra[] = {
	    "£", "¥", "è", "é", "ù", "ì", "ò", "Ç", "Ø", "ø",
	    "Å", "å", "Δ", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ",
	    "Θ", "Ξ", "Æ", "æ", "ß", "É", "¤", "¡", "Ä", "Ö",
	    "Ñ", "Ü", "§", "¿", "ä", "ö", "ñ", "ü", "à", NULL};
	while (*s) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\r') || c == '[' ||
			    c == ']' || c == '{' || c == '}' || c == '\\' ||
			    c == '^' || c == '~' || c == '|' || c == '`')
				return false;
			s++;
			continue;
		}
		size_t k = 0;
		while (extra[k] && strncmp(s, extra[k], strlen(extra[k])))
			k++;
		if (!extra[k])
			return false;
		s += strlen(extra[k]);
	}
	return true;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

TEST(sms_fits_one_message_in_every_language)
{
	/* Ten windows over five days: each text at most 160 characters of
	 * the GSM alphabet, the window with the most surplus kept; with no
	 * window, a text that says so. */
	struct cab_scenario *sc = load(SCENARIO);
	struct cab_forecast *f = forecast_days(sc, 2024, 6, 1, 1);
	CHECK(f != NULL);
	if (!f)
		return;
	struct cab_forecast_window w[10], *keep = f->windows;
	size_t keep_n = f->n_windows;
	for (int k = 0; k < 10; k++)
		w[k] = (struct cab_forecast_window){
		    f->t0_s + (k / 2) * 86400 + (9 + 4 * (k % 2)) * 3600,
		    f->t0_s + (k / 2) * 86400 + (11 + 4 * (k % 2)) * 3600,
		    k == 7 ? 9.9 : 1.0 + k * 0.1};
	f->windows = w, f->n_windows = 10;
	char sms[1024];
	for (int lang = 0; lang < 3; lang++) {
		cab_report_signal_sms(f, lang, sms, sizeof(sms));
		CHECK(utf8_len(sms) <= CAB_REPORT_SMS_MAX);
		CHECK(is_gsm7(sms));
		CHECK(strstr(sms, lang == 2   ? "Tue 4/6 13:00-15:00"
				  : lang == 1 ? "di 4/6 13u00-15u00"
					      : "mar 4/6 13h00-15h00"));
	}
	f->n_windows = 0;
	cab_report_signal_sms(f, CAB_LANG_FR, sms, sizeof(sms));
	CHECK_STR(sms, "rue-du-soleil: pas de surplus solaire pr\xC3\xA9vu "
		       "sam 1/6.");
	cab_report_signal_sms(f, CAB_LANG_EN, sms, sizeof(sms));
	CHECK_STR(sms, "rue-du-soleil: no solar surplus expected Sat 1/6.");
	f->n_windows = keep_n;
	cab_report_signal_sms(f, CAB_LANG_NL, sms, sizeof(sms));
	CHECK(is_gsm7(sms) && utf8_len(sms) <= CAB_REPORT_SMS_MAX);
	f->windows = keep;
	cab_forecast_free(f);
	cab_scenario_free(sc);
}

TEST(signal_csv_reads_back_as_announced_windows)
{
	struct cab_scenario *sc = load(SCENARIO);
	const char ok[] = "\xEF\xBB\xBFstart,end,surplus_kwh\r\n"
			  "2024-06-01T11:15,2024-06-01T15:30,12.5\r\n"
			  "2024-06-02T12:00,2024-06-02T13:00,1\r\n";
	CHECK_INT(
	    cab_scenario_parse_signal(sc, "signal.csv", ok, strlen(ok), NULL),
	    CAB_OK);
	CHECK_INT(sc->n_alerts, 2);
	CHECK_INT(sc->n_signal_windows, 2);
	CHECK(sc->alerts[0].is_announced);
	/* 11:15 CEST = 09:15 UTC. */
	CHECK_INT(sc->alerts[0].start_s,
		  cab_time_local_midnight(2024, 6, 1) + 11 * 3600 + 900);
	const char bad[] = "start,end,surplus_kwh\n"
			   "2024-06-01T11:15,2024-06-01T11:00,1\n"
			   "2024-06-01T11:15\n"
			   "2024-13-01T11:15,2024-06-01T12:00,1\n";
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    cab_scenario_parse_signal(sc, "signal.csv", bad, strlen(bad), &err),
	    CAB_EINPUT);
	CHECK_STR(err.text,
		  "signal.csv:2: the window must end after it starts, within "
		  "24 h, on quarter-hours\n"
		  "signal.csv:3: expected 3 fields: start,end,surplus_kwh\n"
		  "signal.csv:4: invalid start time '2024-13-01T11:15' "
		  "(impossible date)\n");
	CHECK_INT(sc->n_alerts, 2); /* unchanged */
	cab_err_release(&err);
	cab_scenario_free(sc);
}

static const struct harness_test tests[] = {
    T(expected_consumption_is_a_median_with_fallbacks),
    T(rolling_history_moves_with_each_day),
    T(windows_are_runs_of_at_least_30_minutes),
    T(dst_days_have_92_and_100_quarter_hours),
    T(forecast_needs_location_and_pv),
    T(participant_without_history_is_named),
    T(backtest_sums_by_hand),
    T(files_are_byte_identical_and_the_calendar_is_rfc5545),
    T(sms_fits_one_message_in_every_language),
    T(signal_csv_reads_back_as_announced_windows),
};

HARNESS_MAIN("test_forecast", tests)
