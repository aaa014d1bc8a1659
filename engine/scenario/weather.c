/*
 * weather.c — the weather files of `cabine forecast` (SPEC §15): an
 * Open-Meteo forecast or a forecast.solar estimate, read into the plain
 * arrays of include/cabine/weather.h.
 *
 * Why here: cJSON is the scenario stage's (docs/ARCHITECTURE.md), and the
 * weather file is one more input a community writes down beside its
 * scenario; reading it with the scenario's JSON toolkit gives the same
 * messages ("file: $.hourly.time[3]: …"). What each service writes is in
 * weather.h and docs/forecast.md; the samples in tests/data/samples/ were
 * written from their documentation.
 *
 * Open-Meteo's times are its local times with the one utc_offset_seconds
 * of the whole response (the service applies no DST change inside a
 * response, as its maintainers say), so UTC = time − utc_offset_seconds;
 * with timeformat=unixtime the times are UTC seconds already.
 *
 * Workload: a few days of quarter-hours (a few hundred steps) to a year
 * of hourly archive (9 k steps) for a backtest; one pass over each array.
 *
 * Ownership: the struct and its arrays belong to the caller after a
 * successful parse; the cJSON tree lives only during the call.
 */
#include "cabine/weather.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/scenario/json.h"

#define MAX_PROBLEMS 20	 /* messages listed before "… and N more" */
#define MAX_STEPS 400000 /* 11 years of quarter-hours */

/* Parsing state: the toolkit's context and the problems left unsaid. */
struct wctx {
	struct cab_json_ctx c;
	size_t n_more; /* problems beyond MAX_PROBLEMS */
};

__attribute__((format(printf, 3, 4))) static void
fail(struct wctx *w, const char *path, const char *fmt, ...)
{
	if (w->c.n_errors >= MAX_PROBLEMS) {
		w->n_more++;
		return;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	cab_json_fail(&w->c, path, "%s", msg);
}

void cab_weather_free(struct cab_weather *w)
{
	if (!w)
		return;
	free(w->end_s);
	free(w->ghi_w_m2);
	free(w->dhi_w_m2);
	free(w->bhi_w_m2);
	free(w->dni_w_m2);
	free(w->temp_c);
	free(w->wh);
	free(w);
}

int64_t cab_weather_step_len(const struct cab_weather *w, size_t k)
{
	if (w->step_s > 0)
		return w->step_s;
	return k == 0 ? 3600 : w->end_s[k] - w->end_s[k - 1];
}

/* ---- Open-Meteo ------------------------------------------------------ */

/* Digits s[0..n) as a number, or -1 if any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A wall-clock "YYYY-MM-DDTHH:MM[:SS]" as seconds since 1970-01-01
 * 00:00 of that clock; false if it is not one. */
static bool wall_seconds(const char *s, int64_t *out)
{
	size_t len = strlen(s);
	if ((len != 16 && len != 19) || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || (len == 19 && s[16] != ':'))
		return false;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = digits(s + 11, 2), mi = digits(s + 14, 2);
	int sec = len == 19 ? digits(s + 17, 2) : 0;
	if (y < 0 || mo < 1 || mo > 12 || d < 1 ||
	    d > cab_time_days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59)
		return false;
	*out = cab_time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	       sec;
	return true;
}

/* The values of block[key] (n numbers or nulls → NaN) into a new array,
 * or NULL (absent: *has false; wrong: reported). */
static double *values(struct wctx *w, const cJSON *block, const char *bpath,
		      const char *key, size_t n, bool is_required, bool *has)
{
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, bpath, key);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(block, key);
	*has = arr != NULL;
	if (!arr) {
		if (is_required)
			fail(w, bpath, _("missing required key '%s'"), key);
		return NULL;
	}
	if (!cJSON_IsArray(arr)) {
		fail(w, p, _("expected an array of numbers"));
		return NULL;
	}
	if ((size_t)cJSON_GetArraySize(arr) != n) {
		fail(w, p, _("holds %d values (expected %zu, one per time)"),
		     cJSON_GetArraySize(arr), n);
		return NULL;
	}
	double *v = cab_json_zalloc(&w->c, n ? n : 1, sizeof(double));
	size_t i = 0;
	for (const cJSON *el = arr->child; el && v; el = el->next, i++) {
		if (cJSON_IsNull(el)) {
			v[i] = NAN;
		} else if (cJSON_IsNumber(el) && isfinite(el->valuedouble)) {
			v[i] = el->valuedouble;
		} else {
			char pi[CAB_JSON_PATH_CAP];
			cab_json_path_index(pi, p, i);
			fail(w, pi, _("expected a number or null"));
			v[i] = NAN;
		}
	}
	return v;
}

/* A unit of block_units[key], checked when the file gives it. */
static void check_unit(struct wctx *w, const cJSON *units, const char *upath,
		       const char *key, const char *want, const char *alt)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(units, key);
	if (!cJSON_IsString(u))
		return;
	if (strcmp(u->valuestring, want) != 0 &&
	    (!alt || strcmp(u->valuestring, alt) != 0)) {
		char p[CAB_JSON_PATH_CAP];
		cab_json_path_key(p, upath, key);
		fail(w, p, _("unit %s (expected '%s')"),
		     cab_json_quote(&w->c, u->valuestring), want);
	}
}

/* The time array of an Open-Meteo block into w->end_s (UTC), checked to
 * step by `step` seconds. */
static void om_times(struct wctx *w, struct cab_weather *out, const cJSON *arr,
		     const char *tpath, int step)
{
	size_t n = out->n;
	out->end_s = cab_json_zalloc(&w->c, n ? n : 1, sizeof(int64_t));
	if (!out->end_s)
		return;
	size_t i = 0;
	bool is_ok = true;
	for (const cJSON *el = arr->child; el; el = el->next, i++) {
		char p[CAB_JSON_PATH_CAP];
		cab_json_path_index(p, tpath, i);
		int64_t t;
		if (cJSON_IsNumber(el) &&
		    el->valuedouble == floor(el->valuedouble) &&
		    fabs(el->valuedouble) < 1e11) {
			t = (int64_t)el->valuedouble; /* unixtime: UTC */
		} else if (cJSON_IsString(el) &&
			   wall_seconds(el->valuestring, &t)) {
			t -= out->utc_offset_s;
		} else {
			fail(w, p,
			     _("expected a time like 2024-06-01T12:00 (or Unix "
			       "seconds)"));
			is_ok = false;
			continue;
		}
		out->end_s[i] = t;
		if (is_ok && i > 0 && t != out->end_s[i - 1] + step) {
			fail(w, p,
			     _("%s is not %d minutes after the previous time "
			       "(expected evenly spaced times)"),
			     cab_json_quote(&w->c, cJSON_IsString(el)
						       ? el->valuestring
						       : "(number)"),
			     step / 60);
			is_ok = false;
		}
	}
}

static void parse_open_meteo(struct wctx *w, const cJSON *root,
			     struct cab_weather *out)
{
	out->source = CAB_WEATHER_OPEN_METEO;
	const cJSON *off =
	    cJSON_GetObjectItemCaseSensitive(root, "utc_offset_seconds");
	if (off && (!cJSON_IsNumber(off) || fabs(off->valuedouble) > 86400 ||
		    off->valuedouble != floor(off->valuedouble)))
		fail(w, "$.utc_offset_seconds",
		     _("expected a whole number of seconds"));
	else if (off)
		out->utc_offset_s = (int)off->valuedouble;
	const char *name = "minutely_15";
	const cJSON *block = cJSON_GetObjectItemCaseSensitive(root, name);
	if (!cJSON_IsObject(block) ||
	    !cJSON_HasObjectItem(block, "shortwave_radiation")) {
		const cJSON *h =
		    cJSON_GetObjectItemCaseSensitive(root, "hourly");
		if (h || !block) {
			name = "hourly";
			block = h;
		}
	}
	char bpath[CAB_JSON_PATH_CAP], tpath[CAB_JSON_PATH_CAP];
	cab_json_path_key(bpath, "$", name);
	if (!cJSON_IsObject(block)) {
		cab_json_type_error(&w->c, bpath, "an object", block);
		return;
	}
	out->step_s = strcmp(name, "hourly") == 0 ? 3600 : 900;
	cab_json_path_key(tpath, bpath, "time");
	const cJSON *times = cJSON_GetObjectItemCaseSensitive(block, "time");
	if (!cJSON_IsArray(times) || cJSON_GetArraySize(times) == 0) {
		fail(w, tpath, _("expected a non-empty array of times"));
		return;
	}
	if (cJSON_GetArraySize(times) > MAX_STEPS) {
		fail(w, tpath, _("holds %d times (expected at most %d)"),
		     cJSON_GetArraySize(times), MAX_STEPS);
		return;
	}
	out->n = (size_t)cJSON_GetArraySize(times);
	om_times(w, out, times, tpath, out->step_s);
	bool has;
	out->ghi_w_m2 =
	    values(w, block, bpath, "shortwave_radiation", out->n, true, &has);
	out->temp_c =
	    values(w, block, bpath, "temperature_2m", out->n, true, &has);
	out->dhi_w_m2 =
	    values(w, block, bpath, "diffuse_radiation", out->n, false, &has);
	out->bhi_w_m2 =
	    values(w, block, bpath, "direct_radiation", out->n, false, &has);
	out->dni_w_m2 = values(w, block, bpath, "direct_normal_irradiance",
			       out->n, false, &has);
	/* Radiation in W/m², temperature in °C, as Open-Meteo writes them
	 * by default: a file asked in °F must not pass for °C. */
	char uname[40], upath[CAB_JSON_PATH_CAP];
	snprintf(uname, sizeof(uname), "%s_units", name);
	cab_json_path_key(upath, "$", uname);
	const cJSON *units = cJSON_GetObjectItemCaseSensitive(root, uname);
	static const char *const rad[] = {
	    "shortwave_radiation", "diffuse_radiation", "direct_radiation",
	    "direct_normal_irradiance", NULL};
	for (int k = 0; units && rad[k]; k++)
		check_unit(w, units, upath, rad[k], "W/m\xC2\xB2", "W/m2");
	if (units)
		check_unit(w, units, upath, "temperature_2m",
			   "\xC2\xB0"
			   "C",
			   NULL);
	const double *ghi = out->ghi_w_m2;
	for (size_t i = 0; ghi && i < out->n; i++)
		if (ghi[i] < 0 || ghi[i] > 1500) {
			char p[CAB_JSON_PATH_CAP], pi[CAB_JSON_PATH_CAP];
			cab_json_path_key(p, bpath, "shortwave_radiation");
			cab_json_path_index(pi, p, i);
			fail(w, pi, _("%g W/m2 (expected 0 to 1500)"), ghi[i]);
		}
}

/* ---- forecast.solar -------------------------------------------------- */

static void parse_forecast_solar(struct wctx *w, const cJSON *root,
				 const cJSON *result, struct cab_weather *out)
{
	out->source = CAB_WEATHER_FORECAST_SOLAR;
	const char *path = "$.result.watt_hours_period";
	const cJSON *per =
	    cJSON_GetObjectItemCaseSensitive(result, "watt_hours_period");
	if (!cJSON_IsObject(per) || !per->child) {
		fail(w, path, _("expected an object of times and Wh"));
		return;
	}
	/* Times without an offset are the plant's local times: cabine
	 * knows Brussels' only. */
	const cJSON *tz = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "message"), "info"),
	    "timezone");
	bool is_brussels = !cJSON_IsString(tz) ||
			   strcmp(tz->valuestring, "Europe/Brussels") == 0;
	size_t n = (size_t)cJSON_GetArraySize(per);
	if (n > MAX_STEPS) {
		fail(w, path, _("holds %zu times (expected at most %d)"), n,
		     MAX_STEPS);
		return;
	}
	out->n = n;
	out->end_s = cab_json_zalloc(&w->c, n, sizeof(int64_t));
	out->wh = cab_json_zalloc(&w->c, n, sizeof(double));
	if (!out->end_s || !out->wh)
		return;
	size_t i = 0;
	for (const cJSON *el = per->child; el; el = el->next, i++) {
		char p[CAB_JSON_PATH_CAP];
		cab_json_path_key(p, path, el->string);
		const char *key = el->string, *what = NULL;
		int64_t t = 0;
		size_t klen = strlen(key);
		bool has_zone = klen > 19 && (key[19] == '+' ||
					      key[19] == '-' || key[19] == 'Z');
		if (!has_zone && !is_brussels) {
			fail(w, p,
			     _("local time of %s (expected times of "
			       "Europe/Brussels, or with an offset: "
			       "time=iso8601)"),
			     cab_json_quote(&w->c, tz->valuestring));
			continue;
		}
		if (cab_time_parse_iso(key, klen, &t, &what) != CAB_OK) {
			fail(w, p, _("invalid time (%s)"), what);
			continue;
		}
		if (!cJSON_IsNumber(el) || !isfinite(el->valuedouble) ||
		    el->valuedouble < 0) {
			fail(w, p, _("expected a number of Wh (0 or more)"));
			continue;
		}
		if (i > 0 && t <= out->end_s[i - 1]) {
			fail(w, p,
			     _("time is not after the previous one "
			       "(expected times in order)"));
			continue;
		}
		out->end_s[i] = t;
		out->wh[i] = el->valuedouble;
	}
}

/* ---- the file -------------------------------------------------------- */

static void parse_root(struct wctx *w, const cJSON *root,
		       struct cab_weather *out)
{
	if (!cJSON_IsObject(root)) {
		cab_json_type_error(&w->c, "$", "an object", root);
		return;
	}
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(root, "reason");
	if (cJSON_IsTrue(e)) {
		fail(w, "$", _("the file is an error the service answered: %s"),
		     cab_json_quote(&w->c, cJSON_IsString(reason)
					       ? reason->valuestring
					       : _("(no reason)")));
		return;
	}
	const cJSON *lat = cJSON_GetObjectItemCaseSensitive(root, "latitude");
	const cJSON *lon = cJSON_GetObjectItemCaseSensitive(root, "longitude");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
	if (cJSON_IsObject(result)) {
		const cJSON *info = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(root, "message"), "info");
		lat = cJSON_GetObjectItemCaseSensitive(info, "latitude");
		lon = cJSON_GetObjectItemCaseSensitive(info, "longitude");
	}
	out->lat_deg = cJSON_IsNumber(lat) ? lat->valuedouble : NAN;
	out->lon_deg = cJSON_IsNumber(lon) ? lon->valuedouble : NAN;
	if (cJSON_IsObject(result))
		parse_forecast_solar(w, root, result, out);
	else if (cJSON_HasObjectItem(root, "hourly") ||
		 cJSON_HasObjectItem(root, "minutely_15"))
		parse_open_meteo(w, root, out);
	else
		fail(w, "$",
		     _("neither an Open-Meteo forecast ('hourly' or "
		       "'minutely_15') nor a forecast.solar estimate "
		       "('result.watt_hours_period')"));
}

enum cab_status cab_weather_parse(const char *name, const char *buf, size_t len,
				  struct cab_weather **out, struct cab_err *err)
{
	*out = NULL;
	struct wctx w = {.c = {.file = name ? name : "-", .err = err}};
	struct cab_weather *res = calloc(1, sizeof(*res));
	char *copy = malloc(len + 1);
	cJSON *root = NULL;
	enum cab_status st = CAB_OK;
	if (!res || !copy) {
		st = cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"),
				 w.c.file);
		goto done;
	}
	/* A NUL sentinel inside the parsed length: cJSON reports a cut
	 * file at its end (as the scenario loader does). */
	memcpy(copy, buf, len);
	copy[len] = '\0';
	const char *end = NULL;
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 0);
	size_t pos = end ? (size_t)(end - copy) : 0;
	if (!root) {
		cab_json_syntax_error(&w.c, copy, len, pos, "");
		st = CAB_EINPUT;
		goto done;
	}
	while (pos < len && copy[pos] && strchr(" \t\r\n", copy[pos]))
		pos++;
	if (pos < len) {
		cab_json_syntax_error(&w.c, copy, len, pos,
				      _(" after the JSON value"));
		st = CAB_EINPUT;
		goto done;
	}
	parse_root(&w, root, res);
	if (w.c.is_oom) {
		st = cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"),
				 w.c.file);
	} else if (w.c.n_errors) {
		if (w.n_more)
			cab_err_add(err, CAB_EINPUT,
				    P_("… and %zu more problem",
				       "… and %zu more problems", w.n_more),
				    w.n_more);
		st = CAB_EINPUT;
	}
done:
	cJSON_Delete(root);
	free(copy);
	if (st != CAB_OK) {
		cab_weather_free(res);
		return st;
	}
	*out = res;
	return CAB_OK;
}

enum cab_status cab_weather_load(const char *path, struct cab_weather **out,
				 struct cab_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st != CAB_OK)
		return st;
	st = cab_weather_parse(path, buf, len, out, err);
	free(buf);
	return st;
}
