/*
 * test_weather.c — the weather files of `cabine forecast`
 * (engine/scenario/weather.c): the samples of tests/data/samples/ as the
 * services document them, and every problem said as "file: $.path: …".
 */
#include "cabine/time.h"
#include "cabine/weather.h"
#include "harness.h"

static struct cab_weather *parse(const char *json, struct cab_err *err)
{
	struct cab_weather *w = NULL;
	cab_weather_parse("w.json", json, strlen(json), &w, err);
	return w;
}

/* The error text of json, or "" when it parses. */
static char msg[4096];
static const char *problem(const char *json)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_weather *w = parse(json, &err);
	snprintf(msg, sizeof(msg), "%s", err.text ? err.text : "");
	if (w && err.text)
		snprintf(msg, sizeof(msg), "parsed with messages");
	cab_weather_free(w);
	cab_err_release(&err);
	return msg;
}

TEST(open_meteo_minutely_15_sample)
{
	/* Two local days from 2024-06-01T00:00 with utc_offset_seconds
	 * 7200: 192 steps of 15 minutes, the first ending at 31 May 22:00
	 * UTC; diffuse and direct normal given, direct horizontal not. */
	struct cab_weather *w = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(
	    cab_weather_load("tests/data/samples/open_meteo_minutely_15.json",
			     &w, &err),
	    CAB_OK);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->source, CAB_WEATHER_OPEN_METEO);
		CHECK_INT(w->step_s, 900);
		CHECK_INT(w->n, 192);
		CHECK_INT(w->utc_offset_s, 7200);
		CHECK_INT(w->end_s[0], cab_time_local_midnight(2024, 6, 1));
		CHECK_INT(w->end_s[191] - w->end_s[0], 191 * 900);
		CHECK(w->dhi_w_m2 && w->dni_w_m2 && !w->bhi_w_m2 && !w->wh);
		CHECK_NEAR(w->lat_deg, 50.84, 1e-9);
		CHECK(w->ghi_w_m2[0] == 0 && w->ghi_w_m2[50] > 100);
	}
	cab_weather_free(w);
	cab_err_release(&err);
}

TEST(open_meteo_hourly_sample)
{
	struct cab_weather *w = NULL;
	CHECK_INT(cab_weather_load("tests/data/samples/open_meteo_hourly.json",
				   &w, NULL),
		  CAB_OK);
	if (w) {
		CHECK_INT(w->step_s, 3600);
		CHECK_INT(w->n, 72);
		CHECK(!w->dhi_w_m2 && !w->dni_w_m2 && w->temp_c);
	}
	CHECK(w != NULL);
	cab_weather_free(w);
}

TEST(forecast_solar_sample)
{
	/* 36 periods over two days; the Wh of the periods add up to the
	 * file's own watt_hours_day (written by the sample's maker). */
	struct cab_weather *w = NULL;
	CHECK_INT(
	    cab_weather_load("tests/data/samples/forecast_solar_estimate.json",
			     &w, NULL),
	    CAB_OK);
	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_INT(w->source, CAB_WEATHER_FORECAST_SOLAR);
	CHECK_INT(w->n, 36);
	double sum = 0;
	for (size_t k = 0; k < w->n; k++)
		sum += w->wh[k];
	CHECK(sum > 10000 && sum < 60000);
	/* "2024-06-01 05:31:44" is Brussels time, 03:31:44 UTC. */
	CHECK_INT(w->end_s[0], cab_time_local_midnight(2024, 6, 1) + 5 * 3600 +
				   31 * 60 + 44);
	CHECK_INT(cab_weather_step_len(w, 1), 60 * 60 - (31 * 60 + 44));
	cab_weather_free(w);
}

TEST(unix_times_are_utc)
{
	struct cab_weather *w = parse(
	    "{\"utc_offset_seconds\": 3600, \"hourly\": {\"time\": "
	    "[1717200000, 1717203600], \"shortwave_radiation\": [0, null], "
	    "\"temperature_2m\": [12.5, 13]}}",
	    NULL);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->end_s[0], 1717200000);
		CHECK(isnan(w->ghi_w_m2[1]));
	}
	cab_weather_free(w);
}

TEST(problems_name_the_path)
{
	CHECK_STR(problem("{\"hourly\": {\"time\": [\"2024-06-01T00:00\", "
			  "\"2024-06-01T02:00\"], \"shortwave_radiation\": "
			  "[0, 1], \"temperature_2m\": [1, 2]}}"),
		  "w.json: $.hourly.time[1]: '2024-06-01T02:00' is not 60 "
		  "minutes after the previous time (expected evenly spaced "
		  "times)\n");
	CHECK_STR(
	    problem("{\"hourly_units\": {\"temperature_2m\": "
		    "\"\xC2\xB0"
		    "F\"}, \"hourly\": {\"time\": [\"2024-06-01T00:00\"], "
		    "\"shortwave_radiation\": [0], \"temperature_2m\": "
		    "[50]}}"),
	    "w.json: $.hourly_units.temperature_2m: unit '\xC2\xB0"
	    "F' (expected '\xC2\xB0"
	    "C')\n");
	CHECK_STR(problem("{\"minutely_15\": {\"time\": [\"2024-06-01T00:00\"],"
			  " \"temperature_2m\": [5]}}"),
		  "w.json: $.minutely_15: missing required key "
		  "'shortwave_radiation'\n");
	CHECK_STR(problem("{\"hourly\": {\"time\": [\"2024-06-01T00:00\"], "
			  "\"shortwave_radiation\": [\"x\"], "
			  "\"temperature_2m\": [5, 6]}}"),
		  "w.json: $.hourly.shortwave_radiation[0]: expected a number "
		  "or null\n"
		  "w.json: $.hourly.temperature_2m: holds 2 values (expected "
		  "1, one per time)\n");
	CHECK_STR(problem("{\"error\": true, \"reason\": \"Latitude must be in "
			  "range of -90 to 90\xC2\xB0.\"}"),
		  "w.json: $: the file is an error the service answered: "
		  "'Latitude must be in range of -90 to 90\xC2\xB0.'\n");
	CHECK_STR(problem("{\"daily\": {}}"),
		  "w.json: $: neither an Open-Meteo forecast ('hourly' or "
		  "'minutely_15') nor a forecast.solar estimate "
		  "('result.watt_hours_period')\n");
	CHECK_STR(problem("{\"hourly\": {\"time\": [\"2024-06-01T00:00\"],\n"
			  "  \"shortwave_radiation\": [0,]}}"),
		  "w.json:2:29: invalid JSON (unexpected ']')\n");
	CHECK_STR(
	    problem("{\"result\": {\"watt_hours_period\": "
		    "{\"2024-06-01 06:00:00\": 5, \"2024-06-01 05:00:00\": "
		    "1}}, \"message\": {\"info\": {\"timezone\": "
		    "\"Europe/Brussels\"}}}"),
	    "w.json: $.result.watt_hours_period[\"2024-06-01 05:00:00\"]: "
	    "time is not after the previous one (expected times in "
	    "order)\n");
	CHECK_STR(
	    problem("{\"result\": {\"watt_hours_period\": "
		    "{\"2024-06-01 06:00:00\": 5}}, \"message\": "
		    "{\"info\": {\"timezone\": \"Europe/Lisbon\"}}}"),
	    "w.json: $.result.watt_hours_period[\"2024-06-01 06:00:00\"]: "
	    "local time of 'Europe/Lisbon' (expected times of "
	    "Europe/Brussels, or with an offset: time=iso8601)\n");
	/* With an offset, any zone will do. */
	CHECK_STR(problem("{\"result\": {\"watt_hours_period\": "
			  "{\"2024-06-01T06:00:00+01:00\": 5}}, \"message\": "
			  "{\"info\": {\"timezone\": \"Europe/Lisbon\"}}}"),
		  "");
}

TEST(a_long_list_of_problems_is_cut)
{
	/* 30 bad values: 20 messages, then "… and 10 more problems". */
	char json[8192];
	size_t len =
	    (size_t)snprintf(json, sizeof(json), "{\"hourly\": {\"time\": [");
	for (int k = 0; k < 30; k++)
		len += (size_t)snprintf(json + len, sizeof(json) - len,
					"%s\"2024-06-01T%02d:00\"",
					k ? "," : "", k % 24);
	len += (size_t)snprintf(json + len, sizeof(json) - len,
				"], \"shortwave_radiation\": [");
	for (int k = 0; k < 30; k++)
		len += (size_t)snprintf(json + len, sizeof(json) - len, "%s-5",
					k ? "," : "");
	snprintf(json + len, sizeof(json) - len,
		 "], \"temperature_2m\": [0]}}");
	const char *m = problem(json);
	size_t lines = 0;
	for (const char *s = m; *s; s++)
		lines += *s == '\n';
	CHECK_INT(lines, 21);
	CHECK(strstr(m, "\xE2\x80\xA6 and ") != NULL);
}

static const struct harness_test tests[] = {
    T(open_meteo_minutely_15_sample), T(open_meteo_hourly_sample),
    T(forecast_solar_sample),	      T(unix_times_are_utc),
    T(problems_name_the_path),	      T(a_long_list_of_problems_is_cut),
};

HARNESS_MAIN("test_weather", tests)
