/*
 * sharing.c — the scenario's "sharing" (SPEC §2): the sharing key and its
 * parameters, for the base scenario and for each variant of "compare".
 *
 * Why: the key decides who receives the community's surplus each
 * quarter-hour; its weights, priority groups and perimeter are checked
 * against the declared participants and cabins here, once, so that the
 * sharing stage never meets an unknown id.
 *
 * Ownership: the per-participant arrays w, hw, pg are the caller's.
 */
#include "engine/scenario/sections.h"

#include "cabine/key.h"
#include "engine/base/i18n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sharing_keys[] = {
    "key",	   "weights", "rounds",	   "perimeter", "price_eur_kwh",
    "locality",	   "groups",  "group_key", "objective", "self_share",
    "constraints", "fit",     NULL};
static const char *const constraint_keys[] = {
    "no_bill_above_alone", "min_self_sufficiency",
    "community_min_self_sufficiency", NULL};
static const char *const fit_keys[] = {"min_weight", "max_weight", NULL};
static const char *const fairness_keys[] = {"shapley", NULL};
static const char *const rounds_names[] = {"one", "until-done", NULL};
static const char *const objective_names[] = {"saving", "fairness", NULL};
static const char *const perimeter_names[] = {"community", "cabin", NULL};

/* The registry's key names (keys/registry.c: adding a key touches only
 * its file and the registry), every key or only those that can serve a
 * priority group, NULL-terminated in `names` (CAB_SC_MAX_KEYS + 1), in
 * registry order except that `first` (the default) comes first when the
 * list is offered as a choice of group keys. */
#define CAB_SC_MAX_KEYS 32
static void registry_names(bool is_group_only, const char *first,
			   const char *names[CAB_SC_MAX_KEYS + 1])
{
	const struct cab_key_ops *const *all = cab_key_all();
	size_t k = 0;
	if (first)
		names[k++] = first;
	for (size_t i = 0; all[i] && k < CAB_SC_MAX_KEYS; i++)
		if ((!is_group_only || all[i]->can_serve_group) &&
		    !(first && strcmp(all[i]->name, first) == 0))
			names[k++] = all[i]->name;
	/* "fit" is the fixed key with weights fitted to the data (SPEC
	 * §12): not a key of its own in the registry, the sharing stage
	 * fits the weights and runs "fixed" with them. */
	if (!is_group_only && k < CAB_SC_MAX_KEYS)
		names[k++] = "fit";
	names[k] = NULL;
}

/* Index of `name` in names, or -1. */
static int index_of(const char *const *names, const char *name)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* Sum of the weights w (listed in hw) of the pools of sh: the whole
 * community, or each cabin with perimeter "cabin"; each must be ≤ 1. */
void cab_sc_check_weight_sums(struct cab_json_ctx *c, const char *where,
			      const struct cab_sharing *sh, const double *w,
			      const bool *hw)
{
	const struct cab_scenario *sc = c->sc;
	bool is_cabin = sh->perimeter == CAB_PERIMETER_CABIN;
	size_t np = is_cabin ? sc->n_cabins : 1;
	for (size_t k = 0; k < np; k++) {
		double sum = 0;
		for (size_t i = 0; i < sc->n_participants; i++)
			if ((!hw || hw[i]) &&
			    (!is_cabin || sc->participants[i].cabin == (int)k))
				sum += w[i];
		if (sum <= 1 + CAB_SC_WEIGHT_EPS)
			continue;
		if (is_cabin)
			cab_json_fail(
			    c, where,
			    _("weights of cabin %s sum to %g (expected "
			      "at most 1 in each cabin)"),
			    cab_json_quote(c, sc->cabins[k].id), sum);
		else
			cab_json_fail(
			    c, where,
			    _("weights sum to %g (expected at most 1)"), sum);
	}
}

/* Member m of an object id → number in [0, 1] at base: the participant's
 * index into *i (-1 when not declared: reported) and the number into *x
 * (`name` in messages); false when it is not such a number (reported). */
static bool id_number(struct cab_json_ctx *c, const cJSON *m, const char *base,
		      const char *name, long *i, double *x)
{
	const char *id = m->string ? m->string : "";
	char pi[CAB_JSON_PATH_CAP];
	cab_json_path_key(pi, base, id);
	*i = cab_sc_need_participant(c, pi, id);
	char subject[CAB_JSON_QUOTE_CAP + 24];
	if (snprintf(subject, sizeof(subject), _("participant %s: "),
		     cab_json_quote(c, id)) < 0)
		subject[0] = '\0';
	return cab_json_num_value(c, m, pi, subject, name, CAB_RANGE_UNIT, x);
}

/* "weights": {id: w}: the participants' fixed weights into w and hw. */
static void parse_weights(struct cab_json_ctx *c, const cJSON *obj,
			  const char *path, struct cab_sharing *sh, double *w,
			  bool *hw)
{
	const cJSON *wo = cab_json_get_object(c, obj, path, "weights", false);
	if (!wo || !c->has_participants)
		return;
	char pw[CAB_JSON_PATH_CAP];
	cab_json_path_key(pw, path, "weights");
	sh->has_weights = true;
	bool is_ok = true;
	for (const cJSON *m = wo->child; m; m = m->next) {
		const char *id = m->string ? m->string : "";
		long i;
		double x;
		if (!id_number(c, m, pw, N_("weight"), &i, &x)) {
			is_ok = false;
			continue;
		}
		if (i < 0) {
			is_ok = false;
			continue;
		}
		if (hw[i]) {
			cab_json_fail(c, pw, _("duplicate key %s"),
				      cab_json_quote(c, id));
			is_ok = false;
			continue;
		}
		w[i] = x;
		hw[i] = true;
	}
	if (is_ok)
		cab_sc_check_weight_sums(c, pw, sh, w, hw);
}

/* A number in [0, 1] for every participant, or an object id → number,
 * at obj.key into a new array (NaN where `dflt` is NaN and none given);
 * *is_for_all: it was one number. NULL when absent. */
static double *per_participant(struct cab_json_ctx *c, const cJSON *obj,
			       const char *path, const char *key, double dflt,
			       bool *is_for_all)
{
	const struct cab_scenario *sc = c->sc;
	size_t n = sc->n_participants;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char pk[CAB_JSON_PATH_CAP];
	cab_json_path_key(pk, path, key);
	if (is_for_all)
		*is_for_all = false;
	if (!v || !c->has_participants)
		return NULL;
	if (!cJSON_IsNumber(v) && !cJSON_IsObject(v)) {
		cab_json_type_error(c, pk, N_("a number or an object"), v);
		return NULL;
	}
	double *out = cab_json_zalloc(c, n, sizeof(double));
	if (!out)
		return NULL;
	double x = dflt;
	if (cJSON_IsNumber(v)) {
		if (!cab_json_num_value(c, v, pk, "", key, CAB_RANGE_UNIT, &x))
			x = dflt;
		if (is_for_all)
			*is_for_all = true;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = x;
	if (cJSON_IsNumber(v))
		return out;
	for (const cJSON *m = v->child; m; m = m->next) {
		long i;
		if (id_number(c, m, pk, key, &i, &x) && i >= 0)
			out[i] = x;
	}
	return out;
}

/* "constraints" (SPEC §12): only the optimal key takes them. */
static void parse_constraints(struct cab_json_ctx *c, const cJSON *obj,
			      const char *path, const char *key,
			      struct cab_sharing *sh)
{
	const cJSON *co =
	    cab_json_get_object(c, obj, path, "constraints", false);
	if (!co)
		return;
	char pc[CAB_JSON_PATH_CAP];
	cab_json_path_key(pc, path, "constraints");
	cab_json_check_keys(c, co, pc, constraint_keys);
	cab_json_get_bool(c, co, pc, "no_bill_above_alone",
			  &sh->is_no_bill_above_alone);
	sh->min_self_sufficiency =
	    per_participant(c, co, pc, "min_self_sufficiency", NAN,
			    &sh->is_min_self_sufficiency_for_all);
	double m = NAN;
	if (cab_json_get_num(c, co, pc, "community_min_self_sufficiency", false,
			     "", CAB_RANGE_UNIT, &m))
		sh->community_min_self_sufficiency = m;
	/* The object itself (even empty) asks for the optimum over the
	 * period: with "objective": "fairness", the max–min over it. */
	sh->has_constraints = true;
	/* A variant that changes the key inherits the base's constraints
	 * through the merge: only the base must use them with "optimal". */
	if (sh->has_constraints && strcmp(key, "optimal") != 0 &&
	    strcmp(path, "$.sharing") == 0)
		cab_json_fail(c, pc,
			      _("constraints apply to key 'optimal' only "
				"(expected \"key\": \"optimal\" or no "
				"constraints)"));
}

/* "fit": {"min_weight", "max_weight"}: bounds of `cabine fit-key`. */
static void parse_fit_bounds(struct cab_json_ctx *c, const cJSON *obj,
			     const char *path, struct cab_sharing *sh)
{
	const cJSON *fo = cab_json_get_object(c, obj, path, "fit", false);
	if (!fo)
		return;
	char pf[CAB_JSON_PATH_CAP];
	cab_json_path_key(pf, path, "fit");
	cab_json_check_keys(c, fo, pf, fit_keys);
	sh->fit_min_weight = per_participant(c, fo, pf, "min_weight", 0, NULL);
	sh->fit_max_weight = per_participant(c, fo, pf, "max_weight", 1, NULL);
	const struct cab_scenario *sc = c->sc;
	for (size_t i = 0;
	     sh->fit_min_weight && sh->fit_max_weight && i < sc->n_participants;
	     i++)
		if (sh->fit_min_weight[i] > sh->fit_max_weight[i])
			cab_json_fail(
			    c, pf,
			    _("participant %s: min_weight %g is above "
			      "max_weight %g (expected min ≤ max)"),
			    cab_json_quote(c, sc->participants[i].id),
			    sh->fit_min_weight[i], sh->fit_max_weight[i]);
}

void cab_sc_parse_fairness(struct cab_json_ctx *c, const cJSON *root)
{
	const cJSON *fo = cab_json_get_object(c, root, "$", "fairness", false);
	if (!fo)
		return;
	cab_json_check_keys(c, fo, "$.fairness", fairness_keys);
	cab_json_get_bool(c, fo, "$.fairness", "shapley", &c->sc->is_shapley);
}

void cab_sc_sharing_release(struct cab_sharing *sh)
{
	free(sh->block_first);
	free(sh->block_weight);
	free(sh->min_self_sufficiency);
	free(sh->fit_min_weight);
	free(sh->fit_max_weight);
	sh->block_first = NULL;
	sh->block_weight = NULL;
	sh->min_self_sufficiency = NULL;
	sh->fit_min_weight = sh->fit_max_weight = NULL;
	sh->n_weight_blocks = 0;
}

/* Sharing of the base (obj = $.sharing) or of a variant (obj merged). w,
 * hw and pg are per participant (n_participants long), filled here. */
void cab_sc_parse_sharing(struct cab_json_ctx *c, const cJSON *obj,
			  const char *path, struct cab_sharing *sh, double *w,
			  bool *hw, int *pg)
{
	const struct cab_scenario *sc = c->sc;
	size_t n = sc->n_participants;
	char p[CAB_JSON_PATH_CAP];
	memset(sh, 0, sizeof(*sh));
	strcpy(sh->key, "proportional");
	strcpy(sh->group_key, "proportional");
	sh->n_groups = 1;
	sh->community_min_self_sufficiency = NAN;
	if (!obj)
		return;
	cab_json_check_keys(c, obj, path, sharing_keys);
	const char *key_names[CAB_SC_MAX_KEYS + 1];
	const char *group_key_names[CAB_SC_MAX_KEYS + 1];
	registry_names(false, NULL, key_names);
	registry_names(true, "proportional", group_key_names);
	int key =
	    cab_json_get_enum(c, obj, path, "key", N_("sharing key"), key_names,
			      index_of(key_names, "proportional"));
	strcpy(sh->key, key_names[key]);
	sh->is_until_done = cab_json_get_enum(c, obj, path, "rounds", "rounds",
					      rounds_names, 0) == 1;
	sh->is_fairness_first =
	    cab_json_get_enum(c, obj, path, "objective", "objective",
			      objective_names, 0) == 1;
	sh->perimeter = (enum cab_perimeter)cab_json_get_enum(
	    c, obj, path, "perimeter", "perimeter", perimeter_names,
	    CAB_PERIMETER_COMMUNITY);
	cab_json_get_num(c, obj, path, "price_eur_kwh", false, "",
			 CAB_RANGE_NONNEG, &sh->price_eur_kwh);
	int loc = cab_json_get_enum(c, obj, path, "locality", "locality",
				    cab_sc_locality_names, -1);
	sh->locality = loc < 0 ? 0 : (char)('A' + loc);
	strcpy(sh->group_key,
	       group_key_names[cab_json_get_enum(
		   c, obj, path, "group_key", "group_key", group_key_names,
		   index_of(group_key_names, "proportional"))]);

	if (sh->perimeter == CAB_PERIMETER_CABIN && c->has_participants) {
		cab_json_path_key(p, path, "perimeter");
		for (size_t i = 0; i < n; i++)
			if (sc->participants[i].cabin < 0 &&
			    sc->participants[i].id)
				cab_json_fail(
				    c, p,
				    _("participant %s has no cabin (perimeter "
				      "'cabin' needs one for every "
				      "participant)"),
				    cab_json_quote(c, sc->participants[i].id));
	}

	const cJSON *wv = cJSON_GetObjectItemCaseSensitive(obj, "weights");
	if (cJSON_IsString(wv) && c->has_participants) {
		cab_json_path_key(p, path, "weights");
		sh->has_weights = true;
		cab_sc_weights_csv(c, p, wv->valuestring, sh);
	} else {
		parse_weights(c, obj, path, sh, w, hw);
	}
	bool is_self_share = true;
	cab_json_get_bool(c, obj, path, "self_share", &is_self_share);
	sh->is_without_self_share = !is_self_share;
	parse_constraints(c, obj, path, key_names[key], sh);
	parse_fit_bounds(c, obj, path, sh);

	const cJSON *ga = cab_json_get_array(c, obj, path, "groups", false);
	if (!ga && key == 3) /* priority */
		cab_json_fail(c, path,
			      _("missing required key 'groups' (key 'priority' "
				"needs priority groups)"));
	if (ga && c->has_participants) {
		char pg_path[CAB_JSON_PATH_CAP], pgi[CAB_JSON_PATH_CAP],
		    pgij[CAB_JSON_PATH_CAP];
		cab_json_path_key(pg_path, path, "groups");
		for (size_t i = 0; i < n; i++)
			pg[i] = -1;
		size_t g = 0;
		for (const cJSON *ge = ga->child; ge; ge = ge->next, g++) {
			cab_json_path_index(pgi, pg_path, g);
			if (!cJSON_IsArray(ge)) {
				cab_json_type_error(c, pgi, "an array", ge);
				continue;
			}
			if (!ge->child)
				cab_json_fail(c, pgi,
					      _("empty group (expected at "
						"least one participant id)"));
			size_t j = 0;
			for (const cJSON *m = ge->child; m; m = m->next, j++) {
				cab_json_path_index(pgij, pgi, j);
				const char *id = cab_json_str_value(c, m, pgij);
				if (!id)
					continue;
				long i = cab_sc_need_participant(c, pgij, id);
				if (i < 0)
					continue;
				if (pg[i] >= 0)
					cab_json_fail(c, pgij,
						      _("participant %s is in "
							"more than one group"),
						      cab_json_quote(c, id));
				else
					pg[i] = (int)g;
			}
		}
		bool has_unlisted = false;
		for (size_t i = 0; i < n; i++) {
			if (pg[i] < 0) {
				pg[i] = (int)g;
				has_unlisted = true;
			}
		}
		sh->n_groups = g + (has_unlisted ? 1 : 0);
	}
}
