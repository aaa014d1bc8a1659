/*
 * period_sources.c — the scenario's period and where its readings come
 * from (SPEC §8): "period", "readings" or "db", "min_coverage", "fill",
 * "fill_max_intervals".
 *
 * Why: the period fixes the quarter-hours every series is cut to (local
 * Brussels midnights, end exclusive), and the source names the file the
 * readings stage opens; paths are relative to the scenario file.
 *
 * Ownership: the resolved paths go into c->sc.
 */
#include "engine/scenario/sections.h"

#include "cabine/time.h"
#include "engine/base/i18n.h"

#define MAX_DAYS 36525 /* longest period: 100 years */

const char *const cab_sc_period_keys[] = {"start", "end", NULL};
static const char *const fill_names[] = {"none", "linear", "profile", NULL};

void cab_sc_parse_period(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *per = cab_json_get_object(c, root, "$", "period", true);
	if (!per)
		return;
	cab_json_check_keys(c, per, "$.period", cab_sc_period_keys);
	const char *s = cab_json_get_str(c, per, "$.period", "start", true);
	const char *e = cab_json_get_str(c, per, "$.period", "end", true);
	bool is_ok = s && e;
	if (s && !cab_json_date_value(c, "$.period.start", s, &sc->start_y,
				      &sc->start_m, &sc->start_d))
		is_ok = false;
	if (e && !cab_json_date_value(c, "$.period.end", e, &sc->end_y,
				      &sc->end_m, &sc->end_d))
		is_ok = false;
	if (!is_ok)
		return;
	int64_t d0 =
	    cab_time_days_from_civil(sc->start_y, sc->start_m, sc->start_d);
	int64_t d1 = cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d);
	if (d1 <= d0) {
		cab_json_fail(c, "$.period", _("end %s must be after start %s"),
			      cab_json_quote(c, e), cab_json_quote(c, s));
		return;
	}
	if (d1 - d0 > MAX_DAYS) {
		cab_json_fail(c, "$.period",
			      _("period spans %lld days (expected at most %d)"),
			      (long long)(d1 - d0), MAX_DAYS);
		return;
	}
	sc->t0_s =
	    cab_time_local_midnight(sc->start_y, sc->start_m, sc->start_d);
	int64_t t1 = cab_time_local_midnight(sc->end_y, sc->end_m, sc->end_d);
	sc->n_intervals = (size_t)((t1 - sc->t0_s) / CAB_INTERVAL_S);
	sc->n_days = (size_t)(d1 - d0);
}

void cab_sc_parse_sources(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const char *r = cab_json_get_str(c, root, "$", "readings", false);
	const char *d = cab_json_get_str(c, root, "$", "db", false);
	bool has_r = cJSON_HasObjectItem(root, "readings");
	bool has_d = cJSON_HasObjectItem(root, "db");
	if (has_r && has_d)
		cab_json_fail(
		    c, "$", _("keys 'readings' and 'db' cannot both be given"));
	else if (!has_r && !has_d)
		cab_json_fail(c, "$",
			      _("missing required key 'readings' (or 'db')"));
	else if (r)
		sc->readings_path = cab_json_resolve(c, r);
	else if (d)
		sc->db_path = cab_json_resolve(c, d);
	sc->min_coverage = 0.9;
	cab_json_get_num(c, root, "$", "min_coverage", false, "",
			 CAB_RANGE_COVERAGE, &sc->min_coverage);
	sc->fill = (enum cab_fill)cab_json_get_enum(
	    c, root, "$", "fill", "fill", fill_names, CAB_FILL_NONE);
	int max_gap = 4; /* one hour of quarter-hours */
	cab_json_get_int(c, root, "$", "fill_max_intervals", "", 1, 96 * 7,
			 &max_gap);
	sc->fill_max_intervals = (size_t)max_gap;
}
