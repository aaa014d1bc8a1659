/*
 * participants.c — the scenario's cabins and participants (SPEC §8), and
 * the lookup of participant ids that later sections use.
 *
 * Why: who takes part, behind which cabin, with which meters and which
 * facts for the billing keys (occupants, income band, EPB class …) are
 * the first things an assembly writes down; each is checked here so that
 * a wrong value never reaches a bill. Ids are looked up through a table
 * sorted once, so that weights, groups and bounds of a community of
 * hundreds stay linear-logarithmic.
 *
 * Ownership: strings and arrays go into c->sc; the sorted index c->by_id
 * belongs to the parse and is freed by cab_scenario_parse().
 */
#include "engine/scenario/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/base/suggest.h"

static const char *const cabin_keys[] = {"id", "meter", "locality", NULL};
static const char *const participant_keys[] = {
    "id",	   "kind",	  "cabin",	   "meters",	"occupants",
    "income_band", "epb_class",	  "floor_area_m2", "protected", "vat",
    "lang",	   "history_kwh", "name",	   "address",	"ean",
    "pv",	   NULL};
static const char *const meter_keys[] = {"consumption", "production", "offtake",
					 "injection", NULL};
static const char *const kind_names[] = {"household", "association", "common",
					 "producer",  "other",	     NULL};
const char *const cab_sc_locality_names[] = {"A", "B", "C", "D", NULL};
const char *const cab_sc_epb_names[] = {"A", "B", "C", "D",
					"E", "F", "G", NULL};
static const char *const lang_names[] = {"fr", "nl", "en", NULL};

/* ---- participant lookup ------------------------------------------------ */

static int cmp_id(const void *a, const void *b)
{
	const struct cab_sc_id *x = a, *y = b;
	int d = strcmp(x->id, y->id);
	if (d)
		return d;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Index of the first participant with this id, or -1. */
static long find_id(const struct cab_json_ctx *c, const char *id)
{
	size_t lo = 0, hi = c->n_by_id;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->by_id[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n_by_id && strcmp(c->by_id[lo].id, id) == 0)
		return (long)c->by_id[lo].index;
	return -1;
}

/* Participant index of id, or -1 after reporting it as undeclared. */
long cab_sc_need_participant(struct cab_json_ctx *c, const char *path,
			     const char *id)
{
	long i = find_id(c, id);
	if (i >= 0)
		return i;
	struct cab_suggest sg;
	cab_suggest_init(&sg, id);
	for (size_t k = 0; k < c->n_by_id; k++)
		cab_suggest_offer(&sg, c->by_id[k].id);
	const char *best = cab_suggest_best(&sg);
	if (best)
		cab_json_fail(c, path,
			      _("participant %s is not declared in "
				"$.participants (did you mean '%s'?)"),
			      cab_json_quote(c, id), best);
	else
		cab_json_fail(
		    c, path,
		    _("participant %s is not declared in $.participants"),
		    cab_json_quote(c, id));
	return i;
}

void cab_sc_parse_cabins(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *arr = cab_json_get_array(c, root, "$", "cabins", false);
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	sc->cabins = cab_json_zalloc(c, n, sizeof(*sc->cabins));
	if (!sc->cabins)
		return;
	sc->n_cabins = n;
	size_t i = 0;
	for (const cJSON *el = arr->child; el && i < n; el = el->next, i++) {
		struct cab_cabin *cb = &sc->cabins[i];
		char p[CAB_JSON_PATH_CAP], pid[CAB_JSON_PATH_CAP];
		cab_json_path_index(p, "$.cabins", i);
		cb->locality = 'B';
		if (!cJSON_IsObject(el)) {
			cab_json_type_error(c, p, "an object", el);
			continue;
		}
		cab_json_check_keys(c, el, p, cabin_keys);
		const char *id = cab_json_get_str(c, el, p, "id", true);
		if (id) {
			bool is_dup = false;
			for (size_t j = 0; j < i && !is_dup; j++)
				is_dup = sc->cabins[j].id &&
					 strcmp(sc->cabins[j].id, id) == 0;
			cab_json_path_key(pid, p, "id");
			if (is_dup)
				cab_json_fail(c, pid,
					      _("duplicate cabin id %s"),
					      cab_json_quote(c, id));
			else
				cb->id = cab_json_dup(c, id);
		}
		cb->meter =
		    cab_json_dup(c, cab_json_get_str(c, el, p, "meter", false));
		cb->locality =
		    (char)('A' + cab_json_get_enum(c, el, p, "locality",
						   "locality",
						   cab_sc_locality_names, 1));
	}
}

static void parse_meters(struct cab_json_ctx *c, const cJSON *obj,
			 const char *path, struct cab_participant *pa,
			 const char *subject)
{
	const cJSON *m = cab_json_get_object(c, obj, path, "meters", false);
	pa->is_meterless = true;
	if (!m)
		return;
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "meters");
	cab_json_check_keys(c, m, p, meter_keys);
	pa->meter_consumption =
	    cab_json_dup(c, cab_json_get_str(c, m, p, "consumption", false));
	pa->meter_production =
	    cab_json_dup(c, cab_json_get_str(c, m, p, "production", false));
	pa->meter_offtake =
	    cab_json_dup(c, cab_json_get_str(c, m, p, "offtake", false));
	pa->meter_injection =
	    cab_json_dup(c, cab_json_get_str(c, m, p, "injection", false));
	bool is_gross = cJSON_HasObjectItem(m, "consumption") ||
			cJSON_HasObjectItem(m, "production");
	bool is_net = cJSON_HasObjectItem(m, "offtake") ||
		      cJSON_HasObjectItem(m, "injection");
	if (is_gross && is_net)
		cab_json_fail(
		    c, p,
		    _("%scannot mix gross meters (consumption, production) "
		      "with net meters (offtake, injection)"),
		    subject);
	pa->is_meterless = m->child == NULL;
}

/* "ean": the operator's code of the access point, 18 digits. */
static void parse_ean(struct cab_json_ctx *c, const cJSON *el, const char *path,
		      struct cab_participant *pa)
{
	const char *ean = cab_json_get_str(c, el, path, "ean", false);
	if (!ean)
		return;
	size_t n = strlen(ean);
	bool is_digits = n == 18;
	for (size_t k = 0; k < n && is_digits; k++)
		is_digits = ean[k] >= '0' && ean[k] <= '9';
	if (!is_digits) {
		char pe[CAB_JSON_PATH_CAP];
		cab_json_path_key(pe, path, "ean");
		/* 5.41449E+17: a spreadsheet made a number of it and lost
		 * its last digits */
		bool is_number = strpbrk(ean, "eE") && strpbrk(ean, ".,+");
		if (is_number)
			cab_json_fail(
			    c, pe,
			    _("ean %s was made a number by the "
			      "spreadsheet and lost its digits "
			      "(expected the 18 digits as text: format "
			      "the column as Text, or type an "
			      "apostrophe first, like "
			      "'541448820000000017)"),
			    cab_json_quote(c, ean));
		else
			cab_json_fail(c, pe,
				      _("ean %s is not 18 digits (expected the "
					"operator's code of the meter, like "
					"541448820000000017)"),
				      cab_json_quote(c, ean));
		return;
	}
	pa->ean = cab_json_dup(c, ean);
}

static void parse_participant(struct cab_json_ctx *c, const cJSON *el, size_t i)
{
	struct cab_scenario *sc = c->sc;
	struct cab_participant *pa = &sc->participants[i];
	char p[CAB_JSON_PATH_CAP], subject[CAB_JSON_QUOTE_CAP + 24] = "";
	cab_json_path_index(p, "$.participants", i);
	pa->cabin = -1;
	pa->occupants = -1;
	pa->income_band = -1;
	pa->floor_area_m2 = -1;
	pa->vat = 0.06;
	pa->history_kwh = -1;
	pa->is_meterless = true;
	if (!cJSON_IsObject(el)) {
		cab_json_type_error(c, p, "an object", el);
		return;
	}
	cab_json_check_keys(c, el, p, participant_keys);
	const char *id = cab_json_get_str(c, el, p, "id", true);
	if (id) {
		pa->id = cab_json_dup(c, id);
		/* a table's row already says who (participants_table.c) */
		if (!c->table &&
		    snprintf(subject, sizeof(subject), _("participant %s: "),
			     cab_json_quote(c, id)) < 0)
			subject[0] = '\0';
	}
	pa->name = cab_json_dup(c, cab_json_get_str(c, el, p, "name", false));
	pa->address =
	    cab_json_dup(c, cab_json_get_str(c, el, p, "address", false));
	parse_ean(c, el, p, pa);
	pa->kind = (enum cab_participant_kind)cab_json_get_enum(
	    c, el, p, "kind", "kind", kind_names, CAB_KIND_HOUSEHOLD);
	const char *cabin = cab_json_get_str(c, el, p, "cabin", false);
	if (cabin) {
		for (size_t k = 0; k < sc->n_cabins && pa->cabin < 0; k++)
			if (sc->cabins[k].id &&
			    strcmp(sc->cabins[k].id, cabin) == 0)
				pa->cabin = (int)k;
		if (pa->cabin < 0) {
			char pc[CAB_JSON_PATH_CAP];
			cab_json_path_key(pc, p, "cabin");
			struct cab_suggest sg;
			cab_suggest_init(&sg, cabin);
			for (size_t k = 0; k < sc->n_cabins; k++)
				cab_suggest_offer(&sg, sc->cabins[k].id);
			const char *best = cab_suggest_best(&sg);
			if (best)
				cab_json_fail(
				    c, pc,
				    _("cabin %s is not declared in $.cabins "
				      "(did you mean '%s'?)"),
				    cab_json_quote(c, cabin), best);
			else
				cab_json_fail(
				    c, pc,
				    _("cabin %s is not declared in $.cabins"),
				    cab_json_quote(c, cabin));
		}
	}
	parse_meters(c, el, p, pa, subject);
	cab_json_get_int(c, el, p, "occupants", subject, 0, 1000000,
			 &pa->occupants);
	cab_json_get_int(c, el, p, "income_band", subject, 0,
			 CAB_SC_MAX_INCOME_BAND, &pa->income_band);
	int epb = cab_json_get_enum(c, el, p, "epb_class", "epb_class",
				    cab_sc_epb_names, -1);
	pa->epb_class = epb < 0 ? 0 : (char)('A' + epb);
	cab_json_get_num(c, el, p, "floor_area_m2", false, subject,
			 CAB_RANGE_NONNEG, &pa->floor_area_m2);
	cab_json_get_bool(c, el, p, "protected", &pa->is_protected);
	cab_json_get_num(c, el, p, "vat", false, subject, CAB_RANGE_UNIT,
			 &pa->vat);
	pa->lang = (enum cab_lang)cab_json_get_enum(c, el, p, "lang", "lang",
						    lang_names, CAB_LANG_FR);
	cab_json_get_num(c, el, p, "history_kwh", false, subject,
			 CAB_RANGE_NONNEG, &pa->history_kwh);
	cab_sc_parse_pv(c, el, p, pa, subject);
}

/* Two participants with one ean would share the operator's volumes:
 * the eans sorted like the ids, neighbours compared. */
static void check_eans(struct cab_json_ctx *c)
{
	struct cab_scenario *sc = c->sc;
	struct cab_sc_id *by_ean =
	    cab_json_zalloc(c, sc->n_participants, sizeof(*by_ean));
	size_t n = 0;
	for (size_t i = 0; by_ean && i < sc->n_participants; i++)
		if (sc->participants[i].ean)
			by_ean[n++] =
			    (struct cab_sc_id){sc->participants[i].ean, i};
	if (n > 1)
		qsort(by_ean, n, sizeof(*by_ean), cmp_id);
	for (size_t k = 1; k < n; k++) {
		if (strcmp(by_ean[k - 1].id, by_ean[k].id) != 0)
			continue;
		char p[CAB_JSON_PATH_CAP], pe[CAB_JSON_PATH_CAP];
		cab_json_path_index(p, "$.participants", by_ean[k].index);
		cab_json_path_key(pe, p, "ean");
		const char *other = sc->participants[by_ean[k - 1].index].id;
		cab_json_fail(c, pe,
			      _("duplicate ean %s (also participant %s)"),
			      cab_json_quote(c, by_ean[k].id),
			      cab_json_quote(c, other ? other : "?"));
	}
	free(by_ean);
}

void cab_sc_parse_participants(struct cab_json_ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	/* A table that could not be read: its problems are said. */
	if (c->table && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
			    root, "participants")))
		return;
	const cJSON *arr =
	    cab_json_get_array(c, root, "$", "participants", true);
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0) {
		cab_json_fail(c, "$.participants",
			      _("expected at least one participant"));
		return;
	}
	sc->participants = cab_json_zalloc(c, n, sizeof(*sc->participants));
	c->by_id = cab_json_zalloc(c, n, sizeof(*c->by_id));
	if (!sc->participants || !c->by_id)
		return;
	sc->n_participants = n;
	size_t i = 0;
	for (const cJSON *el = arr->child; el && i < n; el = el->next, i++)
		parse_participant(c, el, i);
	for (i = 0; i < n; i++)
		if (sc->participants[i].id)
			c->by_id[c->n_by_id++] =
			    (struct cab_sc_id){sc->participants[i].id, i};
	qsort(c->by_id, c->n_by_id, sizeof(*c->by_id), cmp_id);
	for (i = 1; i < c->n_by_id; i++) {
		if (strcmp(c->by_id[i - 1].id, c->by_id[i].id) == 0) {
			char p[CAB_JSON_PATH_CAP], pid[CAB_JSON_PATH_CAP];
			cab_json_path_index(p, "$.participants",
					    c->by_id[i].index);
			cab_json_path_key(pid, p, "id");
			cab_json_fail(c, pid, _("duplicate participant id %s"),
				      cab_json_quote(c, c->by_id[i].id));
		}
	}
	check_eans(c);
	c->has_participants = true;
}
