/*
 * bench_forecast.c — make bench: the surplus-hours signal's costs
 * (docs/PERFORMANCE.md): solar positions per second (NREL SPA), and a
 * rolling forecast (a backtest's) over one year for N participants with
 * PV from hourly weather, in memory. Prints the minimum of 3 runs.
 * Usage: bench_forecast [N participants, default 100]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cabine/forecast.h"
#include "cabine/readings.h"
#include "cabine/scenario.h"
#include "cabine/solar.h"
#include "cabine/time.h"
#include "cabine/weather.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t np = argc > 1 ? (size_t)atol(argv[1]) : 100;
	struct cab_solar_site site = cab_solar_site_at(50.85, 4.35);
	double best = 1e9, sink = 0;
	for (int r = 0; r < 3; r++) {
		double t = now();
		for (int k = 0; k < 1000000; k++) {
			struct cab_solar_pos p;
			cab_solar_position(1.7e9 + k * 900.0, &site, &p);
			sink += p.zenith_deg;
		}
		best = fmin(best, now() - t);
	}
	printf("solar positions (SPA): %.2f M/s (checksum %.0f)\n", 1.0 / best,
	       sink / 3e6);

	/* A year of hourly weather, and N participants' history. */
	int64_t t0 = cab_time_local_midnight(2024, 1, 1);
	int64_t h0 = t0 - 28 * 86400 - 3600;
	size_t nw = (size_t)((cab_time_local_midnight(2025, 1, 1) - t0) / 3600);
	struct cab_weather *w = calloc(1, sizeof(*w));
	w->source = CAB_WEATHER_OPEN_METEO;
	w->step_s = 3600;
	w->n = nw + 1;
	w->end_s = calloc(w->n, sizeof(int64_t));
	w->ghi_w_m2 = calloc(w->n, sizeof(double));
	w->temp_c = calloc(w->n, sizeof(double));
	w->lat_deg = w->lon_deg = NAN;
	for (size_t k = 0; k < w->n; k++) {
		w->end_s[k] = t0 + (int64_t)k * 3600;
		int h = (int)((w->end_s[k] / 3600) % 24);
		w->ghi_w_m2[k] = h > 6 && h < 18 ? 300 + 200 * sin(h) : 0;
		w->temp_c[k] = 10;
	}
	struct cab_scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.path = "bench.json";
	sc.name = "bench";
	sc.has_location = true;
	sc.lat_deg = 50.85, sc.lon_deg = 4.35;
	sc.n_participants = np;
	sc.participants = calloc(np, sizeof(*sc.participants));
	size_t nh = (size_t)((cab_time_local_midnight(2025, 1, 1) - h0) / 900);
	struct cab_readings *rd = NULL;
	cab_readings_new(h0, nh, &rd, NULL);
	double *c = malloc(nh * sizeof(double));
	char(*ids)[16] = calloc(np, 16), (*meters)[16] = calloc(np, 16);
	for (size_t i = 0; i < np; i++) {
		snprintf(ids[i], 16, "h%04zu", i);
		snprintf(meters[i], 16, "h%04zu-c", i);
		struct cab_participant *p = &sc.participants[i];
		p->id = ids[i];
		p->meter_consumption = meters[i];
		p->has_pv = i % 3 == 0;
		p->pv = (struct cab_scenario_pv){4, 35, 180, 0.14};
		for (size_t k = 0; k < nh; k++)
			c[k] = 0.05 + 0.01 * (double)((k * 7 + i) % 11);
		cab_readings_put(rd, meters[i], c, NULL);
	}
	best = 1e9;
	size_t windows = 0;
	for (int r = 0; r < 3; r++) {
		double t = now();
		struct cab_forecast *f = NULL;
		struct cab_err err;
		cab_err_init(&err);
		if (cab_forecast_new(&sc, w, rd, true, &f, &err) != CAB_OK) {
			fprintf(stderr, "%s", err.text ? err.text : "failed\n");
			return 1;
		}
		best = fmin(best, now() - t);
		windows = f->n_windows;
		cab_forecast_free(f);
		cab_err_release(&err);
	}
	printf("rolling forecast, %zu participants (%zu with PV) x 1 year of "
	       "hourly weather: %.2f s (%zu windows)\n",
	       np, (np + 2) / 3, best, windows);
	return 0;
}
