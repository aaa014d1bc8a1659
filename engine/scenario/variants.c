/*
 * variants.c — the scenario's choices: the base sharing and billing, the
 * variants of "compare" merged over them (SPEC §8), and the top-level
 * "groups" of participants.
 *
 * Why: a variant names only what it changes; its section is merged over
 * the base's (a billing variant that changes the mode inherits nothing
 * else) and then read by the same parsers as the base, so a variant is
 * checked exactly like a scenario. A base section with problems is not
 * merged again (its problems are reported once).
 *
 * Ownership: merged trees live for one parse_variant() call; what the
 * variants and groups hold goes into c->sc.
 */
#include "engine/base/i18n.h"
#include "engine/scenario/sections.h"

#include <stdlib.h>
#include <string.h>

static const char *const variant_keys[] = {"name", "sharing", "billing", NULL};

/* The variant's section over the base's: the keys `over` names replace
 * the base's. A billing variant that changes the mode inherits nothing
 * else (the base's other billing keys belong to the base's mode). */
static cJSON *merge(struct cab_json_ctx *c, const cJSON *base,
		    const cJSON *over, bool is_billing)
{
	bool is_fresh = !base;
	if (is_billing && base &&
	    cJSON_GetObjectItemCaseSensitive(over, "mode")) {
		const cJSON *bm =
		    cJSON_GetObjectItemCaseSensitive(base, "mode");
		const cJSON *om =
		    cJSON_GetObjectItemCaseSensitive(over, "mode");
		const char *bs = bm ? cJSON_GetStringValue(bm) : "shared";
		const char *os = cJSON_GetStringValue(om);
		is_fresh = !bs || !os || strcmp(bs, os) != 0;
	}
	cJSON *m = is_fresh ? cJSON_CreateObject() : cJSON_Duplicate(base, 1);
	if (!m) {
		c->is_oom = true;
		return NULL;
	}
	for (const cJSON *k = over->child; k; k = k->next) {
		if (!k->string)
			continue;
		/* Case-sensitive both ways: cJSON_HasObjectItem ignores case,
		 * so with "a" and "A" in `over` it never became false. */
		while (cJSON_GetObjectItemCaseSensitive(m, k->string))
			cJSON_DeleteItemFromObjectCaseSensitive(m, k->string);
		cJSON *d = cJSON_Duplicate(k, 1);
		if (!d || !cJSON_AddItemToObject(m, k->string, d)) {
			cJSON_Delete(d);
			cJSON_Delete(m);
			c->is_oom = true;
			return NULL;
		}
	}
	return m;
}

static void parse_variant(struct cab_json_ctx *c, const cJSON *el, size_t i,
			  bool is_sharing_ok, bool is_billing_ok,
			  const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	struct cab_variant *v = &sc->variants[i];
	size_t n = sc->n_participants;
	char p[CAB_JSON_PATH_CAP], ps[CAB_JSON_PATH_CAP], pb[CAB_JSON_PATH_CAP];
	cab_json_path_index(p, "$.compare", i);
	cab_sc_parse_sharing(c, NULL, "", &v->sharing, NULL, NULL, NULL);
	cab_sc_parse_billing(c, NULL, "", &v->billing);
	if (!cJSON_IsObject(el)) {
		cab_json_type_error(c, p, "an object", el);
		return;
	}
	cab_json_check_keys(c, el, p, variant_keys);
	const char *name = cab_json_get_str(c, el, p, "name", true);
	if (name) {
		for (size_t j = 0; j < i; j++)
			if (sc->variants[j].name &&
			    strcmp(sc->variants[j].name, name) == 0) {
				cab_json_path_key(ps, p, "name");
				cab_json_fail(c, ps,
					      _("duplicate variant name %s"),
					      cab_json_quote(c, name));
				name = NULL;
				break;
			}
		v->name = cab_json_dup(c, name);
	}
	v->weights = cab_json_zalloc(c, n, sizeof(double));
	v->has_weight = cab_json_zalloc(c, n, sizeof(bool));
	v->priority_group = cab_json_zalloc(c, n, sizeof(int));
	if (n && (!v->weights || !v->has_weight || !v->priority_group))
		return;

	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(root, "sharing");
	const cJSON *vs = cab_json_get_object(c, el, p, "sharing", false);
	cab_json_path_key(ps, p, "sharing");
	if (vs && is_sharing_ok) {
		cJSON *m = merge(c, bs, vs, false);
		if (m)
			cab_sc_parse_sharing(c, m, ps, &v->sharing, v->weights,
					     v->has_weight, v->priority_group);
		cJSON_Delete(m);
	} else if (!vs && is_sharing_ok) {
		cab_sc_parse_sharing(c, bs, "$.sharing", &v->sharing,
				     v->weights, v->has_weight,
				     v->priority_group);
	}

	const cJSON *bb = cJSON_GetObjectItemCaseSensitive(root, "billing");
	const cJSON *vb = cab_json_get_object(c, el, p, "billing", false);
	cab_json_path_key(pb, p, "billing");
	if (vb && is_billing_ok) {
		cJSON *m = merge(c, bb, vb, true);
		if (m) {
			free(v->billing.income_factors);
			cab_sc_parse_billing(c, m, pb, &v->billing);
		}
		cJSON_Delete(m);
	} else if (!vb && is_billing_ok) {
		cab_sc_parse_billing(c, bb, "$.billing", &v->billing);
	}
}

void cab_sc_parse_groups(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *go = cab_json_get_object(c, root, "$", "groups", false);
	if (!go)
		return;
	size_t n = (size_t)cJSON_GetArraySize(go);
	sc->groups = cab_json_zalloc(c, n, sizeof(*sc->groups));
	if (!sc->groups)
		return;
	sc->n_groups = n;
	size_t g = 0;
	for (const cJSON *m = go->child; m && g < n; m = m->next, g++) {
		struct cab_group *gr = &sc->groups[g];
		const char *name = m->string ? m->string : "";
		char p[CAB_JSON_PATH_CAP], pj[CAB_JSON_PATH_CAP];
		cab_json_path_key(p, "$.groups", name);
		for (size_t k = 0; k < g; k++)
			if (sc->groups[k].name &&
			    strcmp(sc->groups[k].name, name) == 0)
				cab_json_fail(c, "$.groups",
					      _("duplicate key %s"),
					      cab_json_quote(c, name));
		cab_json_text_value(c, p, name);
		gr->name = cab_json_dup(c, name);
		if (!cJSON_IsArray(m)) {
			cab_json_type_error(c, p, "an array", m);
			continue;
		}
		size_t nm = (size_t)cJSON_GetArraySize(m);
		gr->members = cab_json_zalloc(c, nm, sizeof(size_t));
		if (nm && !gr->members)
			continue;
		size_t j = 0;
		for (const cJSON *e = m->child; e && j < nm; e = e->next, j++) {
			cab_json_path_index(pj, p, j);
			const char *id = cab_json_str_value(c, e, pj);
			if (!id || !c->has_participants)
				continue;
			long i = cab_sc_need_participant(c, pj, id);
			if (i < 0)
				continue;
			bool is_dup = false;
			for (size_t k = 0; k < gr->n_members && !is_dup; k++)
				is_dup = gr->members[k] == (size_t)i;
			if (is_dup)
				cab_json_fail(c, pj,
					      _("participant %s is listed "
						"twice in group %s"),
					      cab_json_quote(c, id),
					      cab_json_quote(c, name));
			else
				gr->members[gr->n_members++] = (size_t)i;
		}
	}
}

/* Sharing of the base, then the variants of `compare`. */
void cab_sc_parse_choices(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	size_t n = sc->n_participants;
	double *w = cab_json_zalloc(c, n, sizeof(double));
	bool *hw = cab_json_zalloc(c, n, sizeof(bool));
	int *pg = cab_json_zalloc(c, n, sizeof(int));
	if (n && (!w || !hw || !pg))
		goto done;

	size_t before = c->n_errors;
	const cJSON *so = cab_json_get_object(c, root, "$", "sharing", false);
	bool has_bad_sharing =
	    so == NULL && cJSON_HasObjectItem(root, "sharing");
	cab_sc_parse_sharing(c, so, "$.sharing", &sc->sharing, w, hw, pg);
	for (size_t i = 0; i < n; i++) {
		sc->participants[i].weight = w[i];
		sc->participants[i].has_weight = hw[i];
		sc->participants[i].priority_group = pg[i];
	}
	bool is_sharing_ok = c->n_errors == before && !has_bad_sharing;

	before = c->n_errors;
	const cJSON *bo = cab_json_get_object(c, root, "$", "billing", false);
	bool has_bad_billing =
	    bo == NULL && cJSON_HasObjectItem(root, "billing");
	cab_sc_parse_billing(c, bo, "$.billing", &sc->billing);
	bool is_billing_ok = c->n_errors == before && !has_bad_billing;

	const cJSON *arr = cab_json_get_array(c, root, "$", "compare", false);
	size_t nv = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (nv) {
		sc->variants = cab_json_zalloc(c, nv, sizeof(*sc->variants));
		if (!sc->variants)
			goto done;
		sc->n_variants = nv;
		size_t i = 0;
		for (const cJSON *el = arr->child; el && i < nv;
		     el = el->next, i++)
			parse_variant(c, el, i, is_sharing_ok, is_billing_ok,
				      root);
	}
done:
	free(w);
	free(hw);
	free(pg);
}
