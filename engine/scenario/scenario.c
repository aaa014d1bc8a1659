/*
 * scenario.c — load and validate a scenario file (SPEC §8): the entry
 * points, the root object and the release of a scenario.
 *
 * Why: the scenario is what a community's assembly decided (who takes
 * part, the tariff, the sharing and billing keys). A typo must never
 * silently change a bill, so every key is checked, unknown keys are
 * errors, and every problem found is reported (not only the first) as
 * "file: $.json.path: message" so that `cabine check` lists them all.
 * This file reads the root and hands each section to its parser
 * (sections.h); the JSON toolkit they share is json.c; batch files are
 * batch.c.
 *
 * cJSON is used in engine/scenario/ and nowhere else: the JSON tree lives
 * only for the duration of cab_scenario_parse() and the rest of cabine
 * reads the plain structs of scenario.h.
 *
 * Workload: files of a few kilobytes to a few megabytes (hundreds of
 * participants).
 *
 * Ownership: the returned struct cab_scenario owns every string and array
 * inside it; cab_scenario_free() releases them all.
 */
#include "cabine/scenario.h"

#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/scenario/sections.h"

static const char *const top_keys[] = {
    "name",	    "period",  "readings",	   "db",
    "min_coverage", "fill",    "cabins",	   "participants",
    "tariff",	    "sharing", "billing",	   "alerts",
    "compare",	    "groups",  "alerts_reference", "fill_max_intervals",
    "appliances",   "site",    "location",	   NULL};

/* The root object: each top-level key to its section (sections.h). The
 * order matters: participants before the sections that name them,
 * sharing and billing before the variants merged over them. */
static void parse_root(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	if (!cJSON_IsObject(root)) {
		cab_json_type_error(c, "$", "an object", root);
		return;
	}
	cab_json_check_keys(c, root, "$", top_keys);
	sc->name =
	    cab_json_dup(c, cab_json_get_str(c, root, "$", "name", true));
	cab_sc_parse_period(c, root);
	cab_sc_parse_sources(c, root);
	cab_sc_parse_cabins(c, root);
	cab_sc_parse_participants(c, root);
	cab_sc_parse_tariff(c, root);
	cab_sc_parse_choices(c, root);
	cab_sc_parse_alerts(c, root);
	cab_sc_parse_groups(c, root);
	cab_sc_parse_appliances(c, root);
	cab_sc_parse_site(c, root);
	cab_sc_parse_location(c, root);
}

/* ---- entry points ---------------------------------------------------- */

enum cab_status cab_scenario_parse(const char *path, const char *json,
				   size_t len, struct cab_scenario **out,
				   struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	struct cab_json_ctx c = {.file = path ? path : "-", .err = err};
	cJSON *root = NULL;
	*out = NULL;
	/* A NUL sentinel inside the parsed length makes cJSON report an
	 * unexpected end at offset len rather than at the last byte. */
	char *buf = malloc(len + 1);
	c.sc = calloc(1, sizeof(*c.sc));
	if (!buf || !c.sc)
		goto oom;
	memcpy(buf, json, len);
	buf[len] = '\0';
	c.sc->path = strdup(c.file);
	c.sc->dir = cab_json_dir_of(c.file);
	c.dir = c.sc->dir;
	if (!c.sc->path || !c.sc->dir)
		goto oom;

	const char *end = NULL;
	root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
	size_t pos = end ? (size_t)(end - buf) : 0;
	if (!root) {
		cab_json_syntax_error(&c, buf, len, pos, "");
		st = CAB_EINPUT;
		goto done;
	}
	while (pos < len && strchr(" \t\r\n", buf[pos]) && buf[pos])
		pos++;
	if (pos < len) {
		cab_json_syntax_error(&c, buf, len, pos,
				      _(" after the JSON value"));
		st = CAB_EINPUT;
		goto done;
	}
	cab_json_check_nul(&c, buf, len, root);
	cab_sc_expand_participants(&c, root);
	parse_root(&c, root);
	if (c.is_oom)
		goto oom;
	if (c.n_errors) {
		st = CAB_EINPUT;
		goto done;
	}
	*out = c.sc;
	c.sc = NULL;
	goto done;
oom:
	st = cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"), c.file);
done:
	cJSON_Delete(root);
	free(buf);
	free(c.by_id);
	cab_sc_table_free(&c);
	cab_scenario_free(c.sc);
	return st;
}

enum cab_status cab_scenario_load(const char *path, struct cab_scenario **out,
				  struct cab_err *err)
{
	char *data = NULL;
	size_t len = 0;
	*out = NULL;
	enum cab_status st = cab_slurp(path, &data, &len, err);
	if (st != CAB_OK)
		return st;
	st = cab_scenario_parse(path, data, len, out, err);
	free(data);
	return st;
}

static void billing_release(struct cab_billing *b)
{
	free(b->income_factors);
	for (size_t i = 0; i < b->n_bounds; i++)
		free(b->bounds[i].who);
	free(b->bounds);
	free(b->invoice.series);
	free(b->invoice.issuer_name);
	free(b->invoice.issuer_address);
	free(b->invoice.issuer_vat_number);
	free(b->invoice.issuer_iban);
	free(b->invoice.issuer_email);
}

void cab_scenario_free(struct cab_scenario *sc)
{
	if (!sc)
		return;
	free(sc->path);
	free(sc->dir);
	free(sc->name);
	free(sc->readings_path);
	free(sc->db_path);
	for (size_t i = 0; i < sc->n_cabins; i++) {
		free(sc->cabins[i].id);
		free(sc->cabins[i].meter);
	}
	free(sc->cabins);
	for (size_t i = 0; i < sc->n_participants; i++) {
		struct cab_participant *p = &sc->participants[i];
		free(p->id);
		free(p->name);
		free(p->address);
		free(p->ean);
		free(p->meter_consumption);
		free(p->meter_production);
		free(p->meter_offtake);
		free(p->meter_injection);
	}
	free(sc->participants);
	billing_release(&sc->billing);
	free(sc->alerts);
	for (size_t i = 0; i < sc->n_variants; i++) {
		struct cab_variant *v = &sc->variants[i];
		free(v->name);
		billing_release(&v->billing);
		free(v->weights);
		free(v->has_weight);
		free(v->priority_group);
	}
	free(sc->variants);
	for (size_t i = 0; i < sc->n_groups; i++) {
		free(sc->groups[i].name);
		free(sc->groups[i].members);
	}
	free(sc->groups);
	cab_sc_free_appliances(sc);
	free(sc->site_secret_path);
	free(sc);
}

void cab_scenario_meters(const struct cab_scenario *sc, size_t i,
			 const char *m[4])
{
	m[0] = m[1] = m[2] = m[3] = NULL;
	if (i < sc->n_participants) {
		const struct cab_participant *p = &sc->participants[i];
		m[0] = p->meter_consumption;
		m[1] = p->meter_production;
		m[2] = p->meter_offtake;
		m[3] = p->meter_injection;
	} else if (i < sc->n_participants + sc->n_cabins) {
		m[0] = sc->cabins[i - sc->n_participants].meter;
	}
}

long cab_scenario_find(const struct cab_scenario *sc, const char *id)
{
	if (!sc || !id)
		return -1;
	for (size_t i = 0; i < sc->n_participants; i++)
		if (sc->participants[i].id &&
		    strcmp(sc->participants[i].id, id) == 0)
			return (long)i;
	return -1;
}
