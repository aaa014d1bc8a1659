/*
 * sections.h — the sections of a scenario file, one parser each
 * (internal to engine/scenario/).
 *
 * Why: scenario.c reads the root object and hands each top-level key to
 * the file that knows what it means (SPEC §8, docs/scenario.md):
 *   period_sources.c  period, readings/db, min_coverage, fill
 *   participants.c    cabins, participants (and the id lookup)
 *   participants_table.c  participants from a CSV or xlsx table
 *   tariff.c          tariff
 *   sharing.c         sharing (base or variant)
 *   billing.c         billing (modes, pot key, factors, bounds)
 *   invoice.c         billing.source, billing.invoice (any mode)
 *   alerts.c          alerts, alerts_reference
 *   variants.c        compare (variants merged over the base), groups
 *   appliances.c      appliances (the inventory tables, via table.c)
 *   site.c            site (the secret of the inhabitants' links)
 *   location.c        location, and each participant's pv (SPEC §15)
 * Each parser fills c->sc and reports every problem through the JSON
 * toolkit (json.h); none stops at the first.
 *
 * Ownership: what a parser allocates belongs to c->sc (freed by
 * cab_scenario_free()); the cJSON nodes are borrowed.
 */
#ifndef CABINE_SCENARIO_SECTIONS_H
#define CABINE_SCENARIO_SECTIONS_H

#include <string.h>

#include "engine/scenario/json.h"

#define CAB_SC_MAX_INCOME_BAND 999 /* highest income band accepted */
#define CAB_SC_WEIGHT_EPS 1e-9	   /* tolerance on Σ weights and Σ alphas */

/* Names shared by several sections (NULL-terminated). */
extern const char *const cab_sc_period_keys[];	   /* "start", "end" */
extern const char *const cab_sc_locality_names[];  /* "A".."D" */
extern const char *const cab_sc_epb_names[];	   /* "A".."G" */
extern const char *const cab_sc_criterion_names[]; /* by enum cab_criterion */

/* Participant index of id, or -1 after reporting it at path as not
 * declared in $.participants (needs c->has_participants). */
long cab_sc_need_participant(struct cab_json_ctx *c, const char *path,
			     const char *id);

/* $.participants given as a table file (participants_table.c, SPEC §11):
 * replaced in root by the array of participants it stands for, its
 * weight column put in $.sharing.weights and its groups column in
 * $.groups; sets c->table and c->relocate, so that later problems on
 * those values are said at the table's row and column. Nothing happens
 * when $.participants is not a string. cab_sc_table_free releases the
 * table's state (NULL allowed). */
void cab_sc_expand_participants(struct cab_json_ctx *c, cJSON *root);
void cab_sc_table_free(struct cab_json_ctx *c);

/* Top-level sections, in the order scenario.c calls them. */
void cab_sc_parse_period(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_sources(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_cabins(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_participants(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_tariff(struct cab_json_ctx *c, const cJSON *root);
/* sharing and billing of the base, then the variants of compare. */
void cab_sc_parse_choices(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_alerts(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_groups(struct cab_json_ctx *c, const cJSON *root);
/* "appliances" (appliances.c): the inventory tables, read and checked;
 * cab_sc_free_appliances releases them (cab_scenario_free). */
void cab_sc_parse_appliances(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_free_appliances(struct cab_scenario *sc);
/* "site" (site.c): the secret file of `cabine site`. */
void cab_sc_parse_site(struct cab_json_ctx *c, const cJSON *root);
void cab_sc_parse_location(struct cab_json_ctx *c, const cJSON *root);
/* A participant's "pv" (el: its object, path: its JSON path) into pa. */
void cab_sc_parse_pv(struct cab_json_ctx *c, const cJSON *el, const char *path,
		     struct cab_participant *pa, const char *subject);

/* Sharing of the base (obj = $.sharing) or of a variant (obj merged), or
 * the defaults when obj is NULL. w, hw and pg are per participant
 * (n_participants long), filled here: weight, listed in weights, priority
 * group. */
void cab_sc_parse_sharing(struct cab_json_ctx *c, const cJSON *obj,
			  const char *path, struct cab_sharing *sh, double *w,
			  bool *hw, int *pg);
/* Billing of the base or of a variant (obj merged), or the defaults when
 * obj is NULL; b's arrays are allocated here (b is overwritten). */
void cab_sc_parse_billing(struct cab_json_ctx *c, const cJSON *obj,
			  const char *path, struct cab_billing *b);

/* billing.source and billing.invoice (invoice.c), for every mode: into
 * b->source and b->invoice. */
void cab_sc_parse_billing_doc(struct cab_json_ctx *c, const cJSON *obj,
			      const char *path, struct cab_billing *b);
/* Is key one of those two (not a pot-only key)? */
static inline bool cab_sc_is_billing_doc_key(const char *key)
{
	return !strcmp(key, "source") || !strcmp(key, "invoice");
}

#endif
