/*
 * weather.h — a weather forecast file for the surplus-hours signal
 * (SPEC §15), read into plain arrays.
 *
 * Why: communities fetch tomorrow's weather from Open-Meteo (free, no
 * key) or a PV estimate from forecast.solar, both as JSON. The readers
 * live in engine/scenario/weather.c, where cJSON is allowed
 * (docs/ARCHITECTURE.md); everything after them reads struct cab_weather.
 * The two shapes, as their services document them:
 *   - Open-Meteo: `minutely_15` (preferred when present) or `hourly`
 *     holding `time`, `shortwave_radiation` (required),
 *     `diffuse_radiation`, `direct_radiation`, `direct_normal_irradiance`
 *     (each optional), `temperature_2m` (required); radiation in W/m² as
 *     the mean over the period ENDING at the time, temperature at the
 *     time; times local with the file's one `utc_offset_seconds` (or Unix
 *     seconds with timeformat=unixtime); a value may be null (unknown).
 *   - forecast.solar: `result.watt_hours_period`, Wh produced in the
 *     period ending at each time (local "YYYY-MM-DD HH:MM:SS", Brussels,
 *     or ISO 8601 with an offset), for the whole plant it was asked for.
 * Problems are "file: $.json.path: message" (syntax: "file:line:col:"),
 * at most 20, then "… and N more problems".
 *
 * Ownership: cab_weather_load()/cab_weather_parse() return a struct the
 * caller frees with cab_weather_free(); it owns its arrays.
 */
#ifndef CABINE_WEATHER_H
#define CABINE_WEATHER_H

#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"

enum cab_weather_source {
	CAB_WEATHER_OPEN_METEO = 0, /* radiation and temperature */
	CAB_WEATHER_FORECAST_SOLAR  /* energy of a PV plant */
};

struct cab_weather {
	enum cab_weather_source source;
	int step_s;	  /* Open-Meteo: 900 (minutely_15) or 3600 (hourly);
			   * forecast.solar: 0 (periods of any length) */
	size_t n;	  /* time steps */
	int64_t *end_s;	  /* n UTC instants, strictly increasing: the end
			   * of each step's period (Open-Meteo: its time) */
	double *ghi_w_m2; /* Open-Meteo: mean global horizontal irradiance
			   * over (end − step, end], NaN if null; else NULL */
	double *dhi_w_m2; /* mean diffuse horizontal, or NULL if absent */
	double *bhi_w_m2; /* mean direct horizontal, or NULL if absent */
	double *dni_w_m2; /* mean direct normal, or NULL if absent */
	double *temp_c;	  /* Open-Meteo: air temperature at 2 m at end_s,
			   * NaN if null; else NULL */
	double *wh;	  /* forecast.solar: Wh in (end_s[k − 1], end_s[k]]
			   * (the first step: its last hour); else NULL */
	double lat_deg, lon_deg; /* where the file says it is, NaN if not */
	int utc_offset_s;	 /* Open-Meteo: utc_offset_seconds applied to
				  * its local times (0 for unixtime) */
};

/* Read a weather file: Open-Meteo or forecast.solar JSON, told apart by
 * their keys. Fails with CAB_EINPUT (every problem listed, *out NULL),
 * CAB_EIO or CAB_ENOMEM. */
enum cab_status cab_weather_load(const char *path, struct cab_weather **out,
				 struct cab_err *err);
/* Same from a buffer of len bytes; `name` prefixes the messages. */
enum cab_status cab_weather_parse(const char *name, const char *buf, size_t len,
				  struct cab_weather **out,
				  struct cab_err *err);
/* Free a weather file; NULL is allowed. */
void cab_weather_free(struct cab_weather *w);

/* The steps' length: step_s, or for forecast.solar the seconds since the
 * previous step (3600 for the first). */
int64_t cab_weather_step_len(const struct cab_weather *w, size_t k);

#endif
