/*
 * billing.c — the scenario's "billing" (SPEC §3, §5): the billing mode
 * and, for the common pot, its key (criterion → α), income and building
 * factors, VAT, fixed costs and bounds.
 *
 * Why: the pot's key is what an assembly votes on; a criterion that a
 * participant lacks the data for (occupants, history_kwh, income band,
 * EPB class and floor area) is reported per participant here, so that
 * the pot never splits on a missing value. Keys of mode "pot" given with
 * another mode are an error (they would silently do nothing).
 *
 * Ownership: income_factors and bounds are allocated into *b.
 */
#include "engine/scenario/sections.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/base/suggest.h"

static const char *const billing_keys[] = {
    "mode",	      "key",	"income_factors", "building_factors", "vat",
    "fixed_eur_year", "bounds", "source",	  "invoice",	      NULL};
static const char *const bound_keys[] = {"max_eur", "max_price_eur_kwh",
					 "min_eur", NULL};
static const char *const mode_names[] = {"individual", "shared", "pot", NULL};
const char *const cab_sc_criterion_names[CAB_CRIT_COUNT + 1] = {
    [CAB_CRIT_EQUAL] = "equal",	    [CAB_CRIT_OCCUPANTS] = "occupants",
    [CAB_CRIT_HISTORY] = "history", [CAB_CRIT_MEASURED] = "measured",
    [CAB_CRIT_INCOME] = "income",   [CAB_CRIT_BUILDING] = "building",
    [CAB_CRIT_COUNT] = NULL};

static void parse_income_factors(struct cab_json_ctx *c, const cJSON *o,
				 const char *path, struct cab_billing *b)
{
	const cJSON *f =
	    cab_json_get_object(c, o, path, "income_factors", false);
	if (!f)
		return;
	char p[CAB_JSON_PATH_CAP], pi[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "income_factors");
	size_t n = 0;
	for (const cJSON *m = f->child; m; m = m->next) {
		const char *k = m->string ? m->string : "";
		size_t len = strlen(k);
		bool is_band = len > 0 && len <= 3 &&
			       strspn(k, "0123456789") == len &&
			       (len == 1 || k[0] != '0');
		if (!is_band) {
			cab_json_fail(c, p,
				      _("invalid income band %s (expected an "
					"integer from 0 to %d)"),
				      cab_json_quote(c, k),
				      CAB_SC_MAX_INCOME_BAND);
			continue;
		}
		size_t band = (size_t)atoi(k);
		if (band + 1 > n)
			n = band + 1;
	}
	if (n == 0)
		return;
	b->income_factors = cab_json_zalloc(c, n, sizeof(double));
	if (!b->income_factors)
		return;
	b->n_income_factors = n;
	for (size_t i = 0; i < n; i++)
		b->income_factors[i] = -1;
	for (const cJSON *m = f->child; m; m = m->next) {
		const char *k = m->string ? m->string : "";
		size_t len = strlen(k);
		if (!(len > 0 && len <= 3 && strspn(k, "0123456789") == len &&
		      (len == 1 || k[0] != '0')))
			continue;
		size_t band = (size_t)atoi(k);
		cab_json_path_key(pi, p, k);
		double x;
		if (!cab_json_num_value(c, m, pi, "", N_("income factor"),
					CAB_RANGE_NONNEG, &x))
			continue;
		if (b->income_factors[band] >= 0)
			cab_json_fail(c, p, _("duplicate key %s"),
				      cab_json_quote(c, k));
		b->income_factors[band] = x;
	}
}

static void parse_bounds(struct cab_json_ctx *c, const cJSON *o,
			 const char *path, struct cab_billing *b)
{
	const cJSON *bo = cab_json_get_object(c, o, path, "bounds", false);
	if (!bo)
		return;
	size_t n = (size_t)cJSON_GetArraySize(bo);
	b->bounds = cab_json_zalloc(c, n, sizeof(*b->bounds));
	if (!b->bounds)
		return;
	char p[CAB_JSON_PATH_CAP], pb[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "bounds");
	for (const cJSON *m = bo->child; m; m = m->next) {
		const char *who = m->string ? m->string : "";
		cab_json_path_key(pb, p, who);
		bool is_known = strcmp(who, "protected") == 0;
		if (!is_known && c->has_participants)
			is_known = cab_sc_need_participant(c, pb, who) >= 0;
		for (size_t k = 0; k < b->n_bounds; k++)
			if (strcmp(b->bounds[k].who, who) == 0)
				cab_json_fail(c, p, _("duplicate key %s"),
					      cab_json_quote(c, who));
		if (!cJSON_IsObject(m)) {
			cab_json_type_error(c, pb, "an object", m);
			continue;
		}
		cab_json_check_keys(c, m, pb, bound_keys);
		struct cab_bound *bd = &b->bounds[b->n_bounds];
		bd->max_eur = bd->max_price_eur_kwh = bd->min_eur = -1;
		cab_json_get_num(c, m, pb, "max_eur", false, "",
				 CAB_RANGE_NONNEG, &bd->max_eur);
		cab_json_get_num(c, m, pb, "max_price_eur_kwh", false, "",
				 CAB_RANGE_NONNEG, &bd->max_price_eur_kwh);
		cab_json_get_num(c, m, pb, "min_eur", false, "",
				 CAB_RANGE_NONNEG, &bd->min_eur);
		if (bd->max_eur >= 0 && bd->min_eur > bd->max_eur)
			cab_json_fail(c, pb,
				      _("min_eur (%g) is above max_eur (%g)"),
				      bd->min_eur, bd->max_eur);
		bd->who = cab_json_dup(c, who);
		if (bd->who)
			b->n_bounds++;
	}
}

/* Check that every participant has what the chosen criteria need. */
static void check_pot_participants(struct cab_json_ctx *c, const char *path,
				   const struct cab_billing *b)
{
	const struct cab_scenario *sc = c->sc;
	char p[CAB_JSON_PATH_CAP], kp[CAB_JSON_PATH_CAP];
	cab_json_path_key(kp, path, "key");
	for (int k = 0; k < CAB_CRIT_COUNT; k++) {
		if (!(b->alpha[k] > 0))
			continue;
		cab_json_path_key(p, kp, cab_sc_criterion_names[k]);
		const char *crit = cab_sc_criterion_names[k];
		for (size_t i = 0; i < sc->n_participants; i++) {
			const struct cab_participant *pa = &sc->participants[i];
			const char *id = cab_json_quote(c, pa->id);
			if (!pa->id)
				continue;
			if (k == CAB_CRIT_OCCUPANTS && pa->occupants < 0)
				cab_json_fail(c, p,
					      _("participant %s: criterion "
						"'%s' needs 'occupants'"),
					      id, crit);
			if (k == CAB_CRIT_HISTORY && pa->history_kwh < 0)
				cab_json_fail(c, p,
					      _("participant %s: criterion "
						"'%s' needs 'history_kwh'"),
					      id, crit);
			if (k == CAB_CRIT_INCOME && pa->income_band < 0)
				cab_json_fail(c, p,
					      _("participant %s: criterion "
						"'%s' needs 'income_band'"),
					      id, crit);
			else if (k == CAB_CRIT_INCOME &&
				 ((size_t)pa->income_band >=
				      b->n_income_factors ||
				  b->income_factors[pa->income_band] < 0))
				cab_json_fail(
				    c, p,
				    _("participant %s: criterion '%s' needs a "
				      "factor for income band %d in "
				      "income_factors"),
				    id, crit, pa->income_band);
			if (k != CAB_CRIT_BUILDING)
				continue;
			if (!pa->epb_class)
				cab_json_fail(c, p,
					      _("participant %s: criterion "
						"'%s' needs 'epb_class'"),
					      id, crit);
			else if (b->building_factors[pa->epb_class - 'A'] < 0)
				cab_json_fail(
				    c, p,
				    _("participant %s: criterion '%s' needs a "
				      "factor for EPB class '%c' in "
				      "building_factors"),
				    id, crit, pa->epb_class);
			if (pa->floor_area_m2 < 0)
				cab_json_fail(c, p,
					      _("participant %s: criterion "
						"'%s' needs 'floor_area_m2'"),
					      id, crit);
		}
	}
}

void cab_sc_parse_billing(struct cab_json_ctx *c, const cJSON *o,
			  const char *path, struct cab_billing *b)
{
	char p[CAB_JSON_PATH_CAP], pi[CAB_JSON_PATH_CAP];
	memset(b, 0, sizeof(*b));
	b->mode = CAB_BILLING_SHARED;
	b->vat = 0.06;
	for (int k = 0; k < 7; k++)
		b->building_factors[k] = -1;
	if (!o)
		return;
	cab_json_check_keys(c, o, path, billing_keys);
	b->mode = (enum cab_billing_mode)cab_json_get_enum(
	    c, o, path, "mode", "mode", mode_names, CAB_BILLING_SHARED);
	if (b->mode != CAB_BILLING_POT) {
		for (const cJSON *m = o->child; m; m = m->next) {
			if (!m->string || strcmp(m->string, "mode") == 0 ||
			    cab_sc_is_billing_doc_key(m->string))
				continue;
			bool is_known = false;
			for (size_t k = 0; billing_keys[k]; k++)
				is_known |=
				    strcmp(m->string, billing_keys[k]) == 0;
			if (is_known)
				cab_json_fail(
				    c, path,
				    _("key %s is only used with mode 'pot'"),
				    cab_json_quote(c, m->string));
		}
		cab_sc_parse_billing_doc(c, o, path, b);
		return;
	}

	const cJSON *ko = cab_json_get_object(c, o, path, "key", true);
	if (ko) {
		cab_json_path_key(p, path, "key");
		double sum = 0;
		bool is_ok = true, seen[CAB_CRIT_COUNT] = {false};
		for (const cJSON *m = ko->child; m; m = m->next) {
			const char *name = m->string ? m->string : "";
			int k = 0;
			while (k < CAB_CRIT_COUNT &&
			       strcmp(name, cab_sc_criterion_names[k]))
				k++;
			if (k == CAB_CRIT_COUNT) {
				char list[200];
				cab_json_join(list, sizeof(list),
					      cab_sc_criterion_names);
				struct cab_suggest sg;
				cab_suggest_init(&sg, name);
				cab_suggest_offer_all(&sg,
						      cab_sc_criterion_names);
				const char *best = cab_suggest_best(&sg);
				if (best)
					cab_json_fail(c, p,
						      _("unknown criterion %s "
							"(did you mean '%s'? "
							"expected one of: %s)"),
						      cab_json_quote(c, name),
						      best, list);
				else
					cab_json_fail(
					    c, p,
					    _("unknown criterion %s (expected "
					      "one of: %s)"),
					    cab_json_quote(c, name), list);
				is_ok = false;
				continue;
			}
			if (seen[k]) {
				cab_json_fail(c, p, _("duplicate key %s"),
					      cab_json_quote(c, name));
				is_ok = false;
				continue;
			}
			seen[k] = true;
			char subject[CAB_JSON_QUOTE_CAP + 24];
			if (snprintf(subject, sizeof(subject),
				     _("criterion %s: "),
				     cab_json_quote(c, name)) < 0)
				subject[0] = '\0';
			cab_json_path_key(pi, p, name);
			if (!cab_json_num_value(c, m, pi, subject, "alpha",
						CAB_RANGE_NONNEG,
						&b->alpha[k])) {
				is_ok = false;
				continue;
			}
			sum += b->alpha[k];
		}
		if (is_ok && fabs(sum - 1) > CAB_SC_WEIGHT_EPS)
			cab_json_fail(c, p, _("alphas sum to %g (expected 1)"),
				      sum);
	}
	parse_income_factors(c, o, path, b);
	const cJSON *bf =
	    cab_json_get_object(c, o, path, "building_factors", false);
	if (bf) {
		cab_json_path_key(p, path, "building_factors");
		cab_json_check_keys(c, bf, p, cab_sc_epb_names);
		for (int k = 0; k < 7; k++)
			cab_json_get_num(c, bf, p, cab_sc_epb_names[k], false,
					 "", CAB_RANGE_NONNEG,
					 &b->building_factors[k]);
	}
	cab_json_get_num(c, o, path, "vat", false, "", CAB_RANGE_UNIT, &b->vat);
	cab_json_get_num(c, o, path, "fixed_eur_year", false, "",
			 CAB_RANGE_NONNEG, &b->fixed_eur_year);
	parse_bounds(c, o, path, b);
	if (c->has_participants)
		check_pot_participants(c, path, b);
	cab_sc_parse_billing_doc(c, o, path, b);
}

const char *cab_criterion_name(enum cab_criterion c)
{
	if ((unsigned)c >= CAB_CRIT_COUNT)
		return "unknown";
	return cab_sc_criterion_names[c];
}
