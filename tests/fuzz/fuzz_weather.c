/*
 * fuzz_weather.c — fuzz target for the weather files of `cabine forecast`
 * (engine/scenario/weather.c): Open-Meteo and forecast.solar JSON.
 *
 * Besides not crashing or leaking: success means a file with at least one
 * step, times strictly increasing (evenly by step_s for Open-Meteo), the
 * arrays its source needs present, Wh never negative, and no message;
 * failure means no result and at least one message, each one line
 * starting with the file name (or "…" for the cut list's last line).
 * A violation aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/weather.h"

static void check_ok(const struct cab_weather *w)
{
	if (!w || w->n == 0 || !w->end_s)
		abort();
	for (size_t k = 1; k < w->n; k++)
		if (w->end_s[k] <= w->end_s[k - 1] ||
		    (w->step_s > 0 &&
		     w->end_s[k] - w->end_s[k - 1] != w->step_s))
			abort();
	if (w->source == CAB_WEATHER_OPEN_METEO) {
		if (!w->ghi_w_m2 || !w->temp_c || w->wh ||
		    (w->step_s != 900 && w->step_s != 3600))
			abort();
		for (size_t k = 0; k < w->n; k++)
			if (!isnan(w->ghi_w_m2[k]) &&
			    (w->ghi_w_m2[k] < 0 || w->ghi_w_m2[k] > 1500))
				abort();
	} else {
		if (!w->wh || w->ghi_w_m2 || w->step_s != 0)
			abort();
		for (size_t k = 0; k < w->n; k++)
			if (!(w->wh[k] >= 0) || isinf(w->wh[k]))
				abort();
		if (cab_weather_step_len(w, 0) != 3600)
			abort();
	}
}

static void check_messages(const struct cab_err *err)
{
	if (err->count == 0 || !err->text)
		abort();
	size_t lines = 0;
	for (const char *s = err->text; *s;) {
		if (strncmp(s, "fuzz.json", 9) != 0 &&
		    strncmp(s, "\xE2\x80\xA6 and ", 8) != 0)
			abort();
		const char *nl = strchr(s, '\n');
		if (!nl)
			abort();
		for (const char *k = s; k < nl; k++)
			if ((unsigned char)*k < 0x20)
				abort();
		lines++;
		s = nl + 1;
	}
	if (lines != err->count || lines > 21)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_err err;
	struct cab_weather *w = NULL;
	cab_err_init(&err);
	enum cab_status st =
	    cab_weather_parse("fuzz.json", (const char *)data, size, &w, &err);
	if (st == CAB_OK) {
		if (err.count != 0)
			abort();
		check_ok(w);
	} else {
		if (st != CAB_EINPUT || w)
			abort();
		check_messages(&err);
	}
	cab_weather_free(w);
	cab_err_release(&err);
	return 0;
}
