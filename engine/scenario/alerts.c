/*
 * alerts.c — the scenario's demand-response "alerts" and
 * "alerts_reference" (SPEC §6).
 *
 * Why: an alert is a window of local time when the community was asked
 * to use less; the analyse stage measures it against reference windows
 * taken within alerts_reference (default: the whole period). Times are
 * local (Europe/Brussels) and converted to UTC instants here.
 *
 * Ownership: the alerts array goes into c->sc.
 */
#include "engine/scenario/sections.h"

#include "cabine/time.h"
#include "engine/base/i18n.h"

static const char *const alert_keys[] = {"start", "end", "announced", NULL};

/* "alerts_reference": {"start", "end"}: local dates narrowing where the
 * reference windows of alerts are taken (default: the whole period). */
static void parse_alerts_reference(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	sc->alerts_ref_start_s = sc->t0_s;
	sc->alerts_ref_end_s =
	    sc->t0_s + (int64_t)sc->n_intervals * CAB_INTERVAL_S;
	const cJSON *o =
	    cab_json_get_object(c, root, "$", "alerts_reference", false);
	if (!o)
		return;
	cab_json_check_keys(c, o, "$.alerts_reference", cab_sc_period_keys);
	const char *keys[2] = {"start", "end"};
	int64_t t[2] = {sc->alerts_ref_start_s, sc->alerts_ref_end_s};
	bool is_ok = true;
	for (int k = 0; k < 2; k++) {
		const char *v =
		    cab_json_get_str(c, o, "$.alerts_reference", keys[k], true);
		if (!v) {
			is_ok = false;
			continue;
		}
		int y, m, d;
		char pk[CAB_JSON_PATH_CAP];
		cab_json_path_key(pk, "$.alerts_reference", keys[k]);
		if (!cab_json_date_value(c, pk, v, &y, &m, &d)) {
			is_ok = false;
			continue;
		}
		t[k] = cab_time_local_midnight(y, m, d);
	}
	if (is_ok && t[1] <= t[0])
		cab_json_fail(c, "$.alerts_reference",
			      _("end must be after start"));
	else if (is_ok) {
		sc->alerts_ref_start_s = t[0];
		sc->alerts_ref_end_s = t[1];
	}
}

void cab_sc_parse_alerts(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	parse_alerts_reference(c, root);
	const cJSON *arr = cab_json_get_array(c, root, "$", "alerts", false);
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	sc->alerts = cab_json_zalloc(c, n, sizeof(*sc->alerts));
	if (!sc->alerts)
		return;
	sc->n_alerts = n;
	size_t i = 0;
	for (const cJSON *el = arr->child; el && i < n; el = el->next, i++) {
		struct cab_alert *a = &sc->alerts[i];
		char p[CAB_JSON_PATH_CAP], pk[CAB_JSON_PATH_CAP];
		cab_json_path_index(p, "$.alerts", i);
		if (!cJSON_IsObject(el)) {
			cab_json_type_error(c, p, "an object", el);
			continue;
		}
		cab_json_check_keys(c, el, p, alert_keys);
		const char *s = cab_json_get_str(c, el, p, "start", true);
		const char *e = cab_json_get_str(c, el, p, "end", true);
		cab_json_get_bool(c, el, p, "announced", &a->is_announced);
		bool is_ok = s && e;
		cab_json_path_key(pk, p, "start");
		if (s && !cab_json_local_time_value(c, pk, s, &a->start_s))
			is_ok = false;
		cab_json_path_key(pk, p, "end");
		if (e && !cab_json_local_time_value(c, pk, e, &a->end_s))
			is_ok = false;
		if (!is_ok)
			continue;
		if (a->end_s <= a->start_s)
			cab_json_fail(c, p, _("end %s must be after start %s"),
				      cab_json_quote(c, e),
				      cab_json_quote(c, s));
		else if (a->end_s - a->start_s > 24 * 3600)
			cab_json_fail(
			    c, p, _("alert lasts %g h (expected at most 24 h)"),
			    (double)(a->end_s - a->start_s) / 3600.0);
	}
}
