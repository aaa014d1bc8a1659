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

#include <stdio.h>
#include <string.h>

static const char *const sharing_keys[] = {
    "key",	"weights", "rounds",	"perimeter", "price_eur_kwh",
    "locality", "groups",  "group_key", "objective", NULL};
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

	const cJSON *wo = cab_json_get_object(c, obj, path, "weights", false);
	if (wo && c->has_participants) {
		char pw[CAB_JSON_PATH_CAP], pi[CAB_JSON_PATH_CAP];
		cab_json_path_key(pw, path, "weights");
		sh->has_weights = true;
		double sum = 0;
		bool is_ok = true;
		for (const cJSON *m = wo->child; m; m = m->next) {
			const char *id = m->string ? m->string : "";
			cab_json_path_key(pi, pw, id);
			long i = cab_sc_need_participant(c, pi, id);
			char subject[CAB_JSON_QUOTE_CAP + 24];
			if (snprintf(subject, sizeof(subject),
				     _("participant %s: "),
				     cab_json_quote(c, id)) < 0)
				subject[0] = '\0';
			double x;
			if (!cab_json_num_value(c, m, pi, subject, N_("weight"),
						CAB_RANGE_UNIT, &x)) {
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
			sum += x;
		}
		if (is_ok && sum > 1 + CAB_SC_WEIGHT_EPS)
			cab_json_fail(
			    c, pw, _("weights sum to %g (expected at most 1)"),
			    sum);
	}

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
