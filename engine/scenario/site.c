/*
 * site.c — the scenario's "site" section: where `cabine site` keeps the
 * secret that makes the inhabitants' links (SPEC §14).
 *
 * Why: each household's page lives in a folder named by the first 16 hex
 * digits of HMAC-SHA256(secret, id); the secret is a file the
 * facilitator keeps beside the scenario (default "site.secret"), created
 * on first use. Only its place is read here; the file itself is read or
 * created by the site writer (reports/site/token.c).
 *
 * Ownership: the resolved path goes into c->sc->site_secret_path.
 */
#include "engine/scenario/sections.h"

static const char *const site_keys[] = {"secret_file", NULL};

void cab_sc_parse_site(struct cab_json_ctx *c, const cJSON *root)
{
	const char *rel = "site.secret";
	const cJSON *o = cab_json_get_object(c, root, "$", "site", false);
	if (o) {
		cab_json_check_keys(c, o, "$.site", site_keys);
		const char *s =
		    cab_json_get_str(c, o, "$.site", "secret_file", false);
		if (s)
			rel = s;
	}
	c->sc->site_secret_path = cab_json_resolve(c, rel);
}
