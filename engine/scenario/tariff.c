/*
 * tariff.c — the scenario's "tariff" (SPEC §5, §8): supplier, network and
 * tax prices, fixed yearly terms, the day period.
 *
 * Why: every price a bill multiplies comes from here; the required ones
 * must be given (no silent zero), the optional ones have the defaults of
 * SPEC §8 (night price = day price, fixed terms 0, day 7–22 h).
 */
#include "engine/base/i18n.h"
#include "engine/scenario/sections.h"

static const char *const tariff_keys[] = {"supplier_day_eur_kwh",
					  "supplier_night_eur_kwh",
					  "supplier_fixed_eur_year",
					  "network_eur_kwh",
					  "network_shared_eur_kwh",
					  "network_fixed_eur_year",
					  "taxes_eur_kwh",
					  "injection_eur_kwh",
					  "day_start_h",
					  "day_end_h",
					  NULL};

void cab_sc_parse_tariff(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_tariff *t = &c->sc->tariff;
	const char *p = "$.tariff";
	t->day_start_h = 7;
	t->day_end_h = 22;
	const cJSON *o = cab_json_get_object(c, root, "$", "tariff", true);
	if (!o)
		return;
	cab_json_check_keys(c, o, p, tariff_keys);
	cab_json_get_num(c, o, p, "supplier_day_eur_kwh", true, "",
			 CAB_RANGE_NONNEG, &t->supplier_day_eur_kwh);
	t->has_night_price =
	    cab_json_get_num(c, o, p, "supplier_night_eur_kwh", false, "",
			     CAB_RANGE_NONNEG, &t->supplier_night_eur_kwh);
	if (!t->has_night_price)
		t->supplier_night_eur_kwh = t->supplier_day_eur_kwh;
	cab_json_get_num(c, o, p, "supplier_fixed_eur_year", false, "",
			 CAB_RANGE_NONNEG, &t->supplier_fixed_eur_year);
	cab_json_get_num(c, o, p, "network_eur_kwh", true, "", CAB_RANGE_NONNEG,
			 &t->network_eur_kwh);
	const cJSON *ns =
	    cab_json_get_object(c, o, p, "network_shared_eur_kwh", true);
	if (ns) {
		const char *pn = "$.tariff.network_shared_eur_kwh";
		cab_json_check_keys(c, ns, pn, cab_sc_locality_names);
		for (int k = 0; k < 4; k++)
			cab_json_get_num(c, ns, pn, cab_sc_locality_names[k],
					 true, "", CAB_RANGE_PRICE,
					 &t->network_shared_eur_kwh[k]);
	}
	cab_json_get_num(c, o, p, "network_fixed_eur_year", false, "",
			 CAB_RANGE_NONNEG, &t->network_fixed_eur_year);
	cab_json_get_num(c, o, p, "taxes_eur_kwh", true, "", CAB_RANGE_NONNEG,
			 &t->taxes_eur_kwh);
	cab_json_get_num(c, o, p, "injection_eur_kwh", true, "",
			 CAB_RANGE_NONNEG, &t->injection_eur_kwh);
	bool is_ok = true;
	if (cJSON_HasObjectItem(o, "day_start_h"))
		is_ok &= cab_json_get_int(c, o, p, "day_start_h", "", 0, 23,
					  &t->day_start_h);
	if (cJSON_HasObjectItem(o, "day_end_h"))
		is_ok &= cab_json_get_int(c, o, p, "day_end_h", "", 1, 24,
					  &t->day_end_h);
	if (is_ok && t->day_start_h >= t->day_end_h)
		cab_json_fail(
		    c, p, _("day_start_h (%d) must be before day_end_h (%d)"),
		    t->day_start_h, t->day_end_h);
}
