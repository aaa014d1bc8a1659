/*
 * location.c — the scenario's "location" (SPEC §15): where the
 * community's panels are, for the sun of `cabine forecast`; and the
 * checks of a participant's "pv" (participants.c reads the key).
 *
 * Why: a forecast needs the sun's path over the community, which the
 * latitude and longitude fix (one point is enough for a neighbourhood:
 * 1 km moves the sun by 0.01°). Other commands ignore it, so it is
 * optional here; `cabine forecast` says when it is missing.
 *
 * Ownership: plain numbers into c->sc.
 */
#include "engine/scenario/sections.h"

#include "engine/base/i18n.h"
#include <math.h>

static const char *const location_keys[] = {"lat", "lon", NULL};
static const char *const pv_keys[] = {"kwp", "tilt", "azimuth", "losses", NULL};

/* Required member key of obj as a number in [lo, hi] (hi excluded when
 * is_open_hi) into *out; a problem is reported. */
static bool number_in(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, const char *subject,
		      double lo, double hi, bool is_open_hi, double *out)
{
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, key);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v) {
		cab_json_fail(c, path, _("%smissing required key '%s'"),
			      subject, key);
		return false;
	}
	if (!cJSON_IsNumber(v)) {
		cab_json_type_error(c, p, "a number", v);
		return false;
	}
	double x = v->valuedouble;
	if (!isfinite(x) || x < lo || x > hi || (is_open_hi && x == hi)) {
		cab_json_fail(c, p,
			      is_open_hi ? _("%s%s must be from %g up to (not "
					     "including) %g, got %g")
					 : _("%s%s must be between %g and %g, "
					     "got %g"),
			      subject, key, lo, hi, x);
		return false;
	}
	*out = x;
	return true;
}

void cab_sc_parse_location(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *o = cab_json_get_object(c, root, "$", "location", false);
	if (!o)
		return;
	cab_json_check_keys(c, o, "$.location", location_keys);
	bool is_ok = number_in(c, o, "$.location", "lat", "", -90, 90, false,
			       &sc->lat_deg);
	is_ok = number_in(c, o, "$.location", "lon", "", -180, 180, false,
			  &sc->lon_deg) &&
		is_ok;
	sc->has_location = is_ok;
}

void cab_sc_parse_pv(struct cab_json_ctx *c, const cJSON *el, const char *path,
		     struct cab_participant *pa, const char *subject)
{
	const cJSON *o = cab_json_get_object(c, el, path, "pv", false);
	if (!o)
		return;
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "pv");
	cab_json_check_keys(c, o, p, pv_keys);
	struct cab_scenario_pv *pv = &pa->pv;
	pv->losses = 0.14;
	bool is_ok =
	    number_in(c, o, p, "kwp", subject, 0, 1e6, false, &pv->kwp);
	if (is_ok && pv->kwp == 0) {
		char pk[CAB_JSON_PATH_CAP];
		cab_json_path_key(pk, p, "kwp");
		cab_json_fail(c, pk, _("%skwp must be more than 0"), subject);
		is_ok = false;
	}
	is_ok =
	    number_in(c, o, p, "tilt", subject, 0, 90, false, &pv->tilt_deg) &&
	    is_ok;
	is_ok = number_in(c, o, p, "azimuth", subject, 0, 360, true,
			  &pv->azimuth_deg) &&
		is_ok;
	if (cJSON_HasObjectItem(o, "losses"))
		is_ok = number_in(c, o, p, "losses", subject, 0, 1, true,
				  &pv->losses) &&
			is_ok;
	pa->has_pv = is_ok;
}
