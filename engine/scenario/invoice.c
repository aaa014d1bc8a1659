/*
 * invoice.c — the scenario's "billing.source" and "billing.invoice"
 * (SPEC §13): where a bill's volumes come from, and how invoices become
 * documents (numbering series, issue date, days to pay, the issuer).
 *
 * Why a file of its own: both keys apply to every billing mode, unlike
 * the pot's keys of billing.c, and both are what a community running for
 * real (with the operator's files and an account) adds to a scenario
 * that simulated until then. The numbers themselves, the due date and
 * the structured communication are computed in the billing stage
 * (engine/billing/invoice_doc.c), which also checks that a number gives
 * at most ten digits.
 *
 * Workload: a handful of keys per scenario, checked once.
 * Ownership: the strings go into b->invoice (freed with the scenario).
 */
#include "engine/scenario/sections.h"

#include "engine/base/i18n.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const invoice_keys[] = {"series",   "first",	 "issue_date",
					   "due_days", "issuer", NULL};
static const char *const issuer_keys[] = {"name",  "iban",	 "address",
					  "email", "vat_number", NULL};
static const char *const source_names[] = {"key", "operator", NULL};

/* An IBAN's check digits (ISO 13616): letters as 10..35, the first four
 * characters moved to the end, the number mod 97 must be 1. Spaces are
 * allowed between groups. */
static bool is_iban(const char *s)
{
	char v[64];
	size_t n = 0;
	for (; *s; s++) {
		if (*s == ' ')
			continue;
		if (n + 1 >= sizeof v || !isalnum((unsigned char)*s))
			return false;
		v[n++] = (char)toupper((unsigned char)*s);
	}
	if (n < 15 || !isalpha((unsigned char)v[0]) ||
	    !isalpha((unsigned char)v[1]) || !isdigit((unsigned char)v[2]) ||
	    !isdigit((unsigned char)v[3]))
		return false;
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		char ch = v[(k + 4) % n];
		if (isdigit((unsigned char)ch))
			r = (r * 10 + (unsigned)(ch - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(ch - 'A' + 10)) % 97;
	}
	return r == 1;
}

static void parse_issuer(struct cab_json_ctx *c, const cJSON *o,
			 const char *path, struct cab_invoice_cfg *inv)
{
	const cJSON *is = cab_json_get_object(c, o, path, "issuer", false);
	if (!is)
		return;
	char p[CAB_JSON_PATH_CAP], pi[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "issuer");
	cab_json_check_keys(c, is, p, issuer_keys);
	inv->issuer_name =
	    cab_json_dup(c, cab_json_get_str(c, is, p, "name", false));
	inv->issuer_address =
	    cab_json_dup(c, cab_json_get_str(c, is, p, "address", false));
	inv->issuer_vat_number =
	    cab_json_dup(c, cab_json_get_str(c, is, p, "vat_number", false));
	inv->issuer_email =
	    cab_json_dup(c, cab_json_get_str(c, is, p, "email", false));
	const char *iban = cab_json_get_str(c, is, p, "iban", false);
	if (iban && !is_iban(iban)) {
		cab_json_path_key(pi, p, "iban");
		cab_json_fail(c, pi,
			      _("iban %s has wrong check digits (expected the "
				"account as the bank writes it, e.g. BE68 5390 "
				"0754 7034)"),
			      cab_json_quote(c, iban));
	} else {
		inv->issuer_iban = cab_json_dup(c, iban);
	}
}

static void parse_invoice(struct cab_json_ctx *c, const cJSON *o,
			  const char *path, struct cab_invoice_cfg *inv)
{
	const cJSON *io = cab_json_get_object(c, o, path, "invoice", false);
	if (!io)
		return;
	char p[CAB_JSON_PATH_CAP], pk[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "invoice");
	cab_json_check_keys(c, io, p, invoice_keys);
	inv->is_set = true;
	inv->first = 1;
	inv->due_days = 30;
	/* An empty series is allowed: the numbers are then digits only. */
	const cJSON *sv = cJSON_GetObjectItemCaseSensitive(io, "series");
	const char *series = sv ? cJSON_GetStringValue(sv) : "";
	if (!series) {
		cab_json_path_key(pk, p, "series");
		cab_json_type_error(c, pk, "a string", sv);
		series = "";
	}
	inv->series = cab_json_dup(c, series);
	int first = 1;
	cab_json_get_int(c, io, p, "first", "", 0, 99999999, &first);
	inv->first = first;
	cab_json_get_int(c, io, p, "due_days", "", 0, 366, &inv->due_days);
	const char *date = cab_json_get_str(c, io, p, "issue_date", false);
	if (date) {
		cab_json_path_key(pk, p, "issue_date");
		cab_json_date_value(c, pk, date, &inv->issue_y, &inv->issue_m,
				    &inv->issue_d);
	} else if (c->sc) {
		inv->issue_y = c->sc->end_y;
		inv->issue_m = c->sc->end_m;
		inv->issue_d = c->sc->end_d;
	}
	parse_issuer(c, io, p, inv);
}

/* Billing from the operator's volumes needs every participant's ean. */
static void check_operator_source(struct cab_json_ctx *c, const char *path,
				  const struct cab_billing *b)
{
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, "source");
	if (b->mode != CAB_BILLING_SHARED) {
		cab_json_fail(c, p,
			      _("source 'operator' bills the operator's shared "
				"volumes (expected mode 'shared')"));
		return;
	}
	const struct cab_scenario *sc = c->sc;
	for (size_t i = 0; c->has_participants && i < sc->n_participants; i++)
		if (sc->participants[i].id && !sc->participants[i].ean)
			cab_json_fail(
			    c, p,
			    _("participant %s has no 'ean' (expected "
			      "every participant's EAN code to find "
			      "its volumes in the operator's file)"),
			    cab_json_quote(c, sc->participants[i].id));
}

void cab_sc_parse_billing_doc(struct cab_json_ctx *c, const cJSON *o,
			      const char *path, struct cab_billing *b)
{
	b->source = (enum cab_billing_source)cab_json_get_enum(
	    c, o, path, "source", "source", source_names, CAB_SOURCE_KEY);
	if (b->source == CAB_SOURCE_OPERATOR)
		check_operator_source(c, path, b);
	parse_invoice(c, o, path, &b->invoice);
}
