/*
 * scenario.c — load and validate a scenario file (SPEC §8).
 *
 * Why: the scenario is what a community's assembly decided (who takes
 * part, the tariff, the sharing and billing keys). A typo must never
 * silently change a bill, so every key is checked, unknown keys are
 * errors, and every problem found is reported (not only the first) as
 * "file: $.json.path: message" so that `cabine check` lists them all.
 *
 * cJSON is used here and nowhere else: the JSON tree lives only for the
 * duration of cab_scenario_parse() and the rest of cabine reads the plain
 * structs of scenario.h. We never use cJSON's global error pointer; a
 * syntax error's line and column are computed from the parse end offset.
 *
 * Workload: files of a few kilobytes to a few megabytes (hundreds of
 * participants). Lookups of participant ids go through a sorted index so
 * that large communities stay linear-logarithmic.
 *
 * Ownership: the returned struct cab_scenario owns every string and array
 * inside it; cab_scenario_free() releases them all.
 */
#include "cabine/scenario.h"
#include "engine/base/slurp.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"

#define PATH_CAP 320	    /* bytes of a JSON path in messages */
#define MAX_DAYS 36525	    /* longest period: 100 years */
#define MAX_INCOME_BAND 999 /* highest income band accepted */
#define WEIGHT_EPS 1e-9	    /* tolerance on Σ weights and Σ alphas */
#define QUOTE_CAP 72	    /* longest user text quoted in a message */

/* A participant id and its index, for the sorted lookup table. */
struct id_entry {
	const char *id; /* borrowed from the participant */
	size_t index;	/* index in sc->participants */
};

/* Parsing state for one scenario. */
struct ctx {
	const char *file;	 /* scenario path, prefix of every message */
	struct cab_err *err;	 /* where problems go; may be NULL */
	size_t n_errors;	 /* problems found so far */
	bool is_oom;		 /* an allocation failed */
	struct cab_scenario *sc; /* the scenario being filled */
	bool has_participants;	 /* participants parsed: ids can be checked */
	struct id_entry *by_id;	 /* participants sorted by (id, index) */
	size_t n_by_id;		 /* entries in by_id */
	char quoted[4][QUOTE_CAP + 8]; /* rotating buffers for q() */
	unsigned next_quote;	       /* next buffer of quoted to use */
};

static const char *const top_keys[] = {"name",
				       "period",
				       "readings",
				       "db",
				       "min_coverage",
				       "fill",
				       "cabins",
				       "participants",
				       "tariff",
				       "sharing",
				       "billing",
				       "alerts",
				       "compare",
				       "groups",
				       "alerts_reference",
				       "fill_max_intervals",
				       NULL};
static const char *const period_keys[] = {"start", "end", NULL};
static const char *const cabin_keys[] = {"id", "meter", "locality", NULL};
static const char *const participant_keys[] = {
    "id",	 "kind",	"cabin",     "meters",
    "occupants", "income_band", "epb_class", "floor_area_m2",
    "protected", "vat",		"lang",	     "history_kwh",
    NULL};
static const char *const meter_keys[] = {"consumption", "production", "offtake",
					 "injection", NULL};
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
static const char *const sharing_keys[] = {
    "key",	"weights", "rounds",	"perimeter", "price_eur_kwh",
    "locality", "groups",  "group_key", "objective", NULL};
static const char *const billing_keys[] = {"mode",
					   "key",
					   "income_factors",
					   "building_factors",
					   "vat",
					   "fixed_eur_year",
					   "bounds",
					   NULL};
static const char *const bound_keys[] = {"max_eur", "max_price_eur_kwh",
					 "min_eur", NULL};
static const char *const alert_keys[] = {"start", "end", "announced", NULL};
static const char *const variant_keys[] = {"name", "sharing", "billing", NULL};

static const char *const kind_names[] = {"household", "association", "common",
					 "producer",  "other",	     NULL};
static const char *const locality_names[] = {"A", "B", "C", "D", NULL};
static const char *const epb_names[] = {"A", "B", "C", "D",
					"E", "F", "G", NULL};
static const char *const lang_names[] = {"fr", "nl", "en", NULL};
static const char *const fill_names[] = {"none", "linear", "profile", NULL};
static const char *const key_names[] = {"fixed",    "proportional", "hybrid",
					"priority", "optimal",	    NULL};
static const char *const rounds_names[] = {"one", "until-done", NULL};
static const char *const objective_names[] = {"saving", "fairness", NULL};
static const char *const perimeter_names[] = {"community", "cabin", NULL};
static const char *const group_key_names[] = {"proportional", "fixed", "hybrid",
					      NULL};
static const char *const mode_names[] = {"individual", "shared", "pot", NULL};
static const char *const criterion_names[CAB_CRIT_COUNT + 1] = {
    [CAB_CRIT_EQUAL] = "equal",	    [CAB_CRIT_OCCUPANTS] = "occupants",
    [CAB_CRIT_HISTORY] = "history", [CAB_CRIT_MEASURED] = "measured",
    [CAB_CRIT_INCOME] = "income",   [CAB_CRIT_BUILDING] = "building",
    [CAB_CRIT_COUNT] = NULL};

/* ---- messages ---------------------------------------------------------- */

/* Copy s into dst (cap bytes) replacing control bytes by '?' and cutting
 * long text with "..." (never inside a UTF-8 sequence). */
static void sanitize(char *dst, size_t cap, const char *s)
{
	size_t n = 0, max = cap - 4;
	for (; *s && n < max; s++)
		dst[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
	if (*s) {
		/* The cut is inside a character when the next byte continues
		 * one: drop that character's bytes copied so far. */
		if (((unsigned char)*s & 0xc0) == 0x80) {
			while (n > 0 &&
			       ((unsigned char)dst[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0)
				n--;
		}
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

/* User text in single quotes, made safe for a one-line message. The
 * result lives until four more calls. */
static const char *q(struct ctx *c, const char *s)
{
	char *b = c->quoted[c->next_quote++ % 4];
	char tmp[QUOTE_CAP];
	sanitize(tmp, sizeof(tmp), s ? s : "");
	if (snprintf(b, QUOTE_CAP + 8, "'%s'", tmp) < 0)
		b[0] = '\0';
	return b;
}

__attribute__((format(printf, 3, 4))) static void
fail(struct ctx *c, const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	c->n_errors++;
	cab_err_at_path(c->err, CAB_EINPUT, c->file, path, "%s", msg);
}

/* out = base + ".key" (or base + "[\"key\"]" for keys that are not plain
 * identifiers). out holds PATH_CAP bytes. */
static void path_key(char *out, const char *base, const char *key)
{
	bool is_plain = key && key[0] && !isdigit((unsigned char)key[0]);
	for (const char *k = key; is_plain && *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
			is_plain = false;
	if (is_plain) {
		if (snprintf(out, PATH_CAP, "%s.%s", base, key) < 0)
			out[0] = '\0';
	} else {
		char safe[QUOTE_CAP];
		sanitize(safe, sizeof(safe), key ? key : "");
		if (snprintf(out, PATH_CAP, "%s[\"%s\"]", base, safe) < 0)
			out[0] = '\0';
	}
}

/* out = base + "[i]" */
static void path_index(char *out, const char *base, size_t i)
{
	if (snprintf(out, PATH_CAP, "%s[%zu]", base, i) < 0)
		out[0] = '\0';
}

/* "a, b, c" from a NULL-terminated list. */
static void join(char *out, size_t cap, const char *const *names)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; names[i] && n + 1 < cap; i++) {
		int w =
		    snprintf(out + n, cap - n, "%s%s", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "an invalid value";
}

static void type_error(struct ctx *c, const char *path, const char *expected,
		       const cJSON *v)
{
	fail(c, path, "expected %s, got %s", expected, type_name(v));
}

/* ---- allocation -------------------------------------------------------- */

static void *zalloc(struct ctx *c, size_t n, size_t size)
{
	if (n == 0)
		return NULL;
	void *p = calloc(n, size);
	if (!p)
		c->is_oom = true;
	return p;
}

static char *dup(struct ctx *c, const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		c->is_oom = true;
	return d;
}

/* ---- typed getters ----------------------------------------------------- */

/* Report members of obj that are not in allowed, or given twice. */
static void check_keys(struct ctx *c, const cJSON *obj, const char *path,
		       const char *const *allowed)
{
	bool seen[16] = {false};
	char list[400];
	join(list, sizeof(list), allowed);
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t k = 0;
		while (allowed[k] &&
		       (!m->string || strcmp(m->string, allowed[k])))
			k++;
		if (!allowed[k]) {
			fail(c, path, "unknown key %s (expected one of: %s)",
			     q(c, m->string), list);
		} else if (k < 16 && seen[k]) {
			fail(c, path, "duplicate key %s", q(c, m->string));
		} else if (k < 16) {
			seen[k] = true;
		}
	}
}

/* Member key of obj, or NULL; reports a missing required key. obj NULL
 * (a section that is absent or invalid) reports nothing. */
static const cJSON *get(struct ctx *c, const cJSON *obj, const char *path,
			const char *key, bool is_required)
{
	const cJSON *v =
	    obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v && obj && is_required)
		fail(c, path, "missing required key '%s'", key);
	return v;
}

/* Member key as an object, or NULL (absent, or wrong type: reported). */
static const cJSON *get_object(struct ctx *c, const cJSON *obj,
			       const char *path, const char *key,
			       bool is_required)
{
	const cJSON *v = get(c, obj, path, key, is_required);
	if (v && !cJSON_IsObject(v)) {
		char p[PATH_CAP];
		path_key(p, path, key);
		type_error(c, p, "an object", v);
		return NULL;
	}
	return v;
}

static const cJSON *get_array(struct ctx *c, const cJSON *obj, const char *path,
			      const char *key, bool is_required)
{
	const cJSON *v = get(c, obj, path, key, is_required);
	if (v && !cJSON_IsArray(v)) {
		char p[PATH_CAP];
		path_key(p, path, key);
		type_error(c, p, "an array", v);
		return NULL;
	}
	return v;
}

/* v as a non-empty string, or NULL (reported). */
static const char *str_value(struct ctx *c, const cJSON *v, const char *path)
{
	if (!cJSON_IsString(v) || !v->valuestring) {
		type_error(c, path, "a string", v);
		return NULL;
	}
	if (!v->valuestring[0]) {
		fail(c, path, "expected a non-empty string");
		return NULL;
	}
	return v->valuestring;
}

static const char *get_str(struct ctx *c, const cJSON *obj, const char *path,
			   const char *key, bool is_required)
{
	const cJSON *v = get(c, obj, path, key, is_required);
	if (!v)
		return NULL;
	char p[PATH_CAP];
	path_key(p, path, key);
	return str_value(c, v, p);
}

enum range {
	RANGE_NONNEG,  /* [0, +inf) */
	RANGE_UNIT,    /* [0, 1] */
	RANGE_COVERAGE /* (0, 1] */
};

/* v as a finite number in range r; subject prefixes messages (e.g.
 * "participant 'h01': "), name is the quantity's name. */
static bool num_value(struct ctx *c, const cJSON *v, const char *path,
		      const char *subject, const char *name, enum range r,
		      double *out)
{
	if (!cJSON_IsNumber(v)) {
		type_error(c, path, "a number", v);
		return false;
	}
	double x = v->valuedouble;
	if (!isfinite(x)) {
		fail(c, path, "%s%s must be a finite number", subject, name);
		return false;
	}
	if (r == RANGE_NONNEG && x < 0) {
		fail(c, path, "%s%s must be at least 0, got %g", subject, name,
		     x);
		return false;
	}
	if (r == RANGE_UNIT && (x < 0 || x > 1)) {
		fail(c, path, "%s%s must be between 0 and 1, got %g", subject,
		     name, x);
		return false;
	}
	if (r == RANGE_COVERAGE && (x <= 0 || x > 1)) {
		fail(c, path,
		     "%s%s must be greater than 0 and at most 1, got %g",
		     subject, name, x);
		return false;
	}
	*out = x;
	return true;
}

static bool get_num(struct ctx *c, const cJSON *obj, const char *path,
		    const char *key, bool is_required, const char *subject,
		    enum range r, double *out)
{
	const cJSON *v = get(c, obj, path, key, is_required);
	if (!v)
		return false;
	char p[PATH_CAP];
	path_key(p, path, key);
	return num_value(c, v, p, subject, key, r, out);
}

/* Optional integer in [lo, hi]. */
static bool get_int(struct ctx *c, const cJSON *obj, const char *path,
		    const char *key, const char *subject, long lo, long hi,
		    int *out)
{
	const cJSON *v = get(c, obj, path, key, false);
	if (!v)
		return false;
	char p[PATH_CAP];
	path_key(p, path, key);
	if (!cJSON_IsNumber(v)) {
		type_error(c, p, "an integer", v);
		return false;
	}
	double x = v->valuedouble;
	if (!isfinite(x) || x != floor(x)) {
		fail(c, p, "expected an integer, got %g", x);
		return false;
	}
	if (x < (double)lo) {
		fail(c, p, "%s%s must be at least %ld, got %g", subject, key,
		     lo, x);
		return false;
	}
	if (x > (double)hi) {
		fail(c, p, "%s%s must be at most %ld, got %g", subject, key, hi,
		     x);
		return false;
	}
	*out = (int)x;
	return true;
}

static bool get_bool(struct ctx *c, const cJSON *obj, const char *path,
		     const char *key, bool *out)
{
	const cJSON *v = get(c, obj, path, key, false);
	if (!v)
		return false;
	if (!cJSON_IsBool(v)) {
		char p[PATH_CAP];
		path_key(p, path, key);
		type_error(c, p, "a boolean", v);
		return false;
	}
	*out = cJSON_IsTrue(v);
	return true;
}

/* Index in names of the string at key, or dflt when absent or invalid
 * (reported as "unknown <what> 'x' (expected one of: …)"). */
static int get_enum(struct ctx *c, const cJSON *obj, const char *path,
		    const char *key, const char *what, const char *const *names,
		    int dflt)
{
	const char *s = get_str(c, obj, path, key, false);
	if (!s)
		return dflt;
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	char p[PATH_CAP], list[200];
	path_key(p, path, key);
	join(list, sizeof(list), names);
	fail(c, p, "unknown %s %s (expected one of: %s)", what, q(c, s), list);
	return dflt;
}

/* ---- participant lookup ------------------------------------------------ */

static int cmp_id(const void *a, const void *b)
{
	const struct id_entry *x = a, *y = b;
	int d = strcmp(x->id, y->id);
	if (d)
		return d;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Index of the first participant with this id, or -1. */
static long find_id(const struct ctx *c, const char *id)
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
static long need_participant(struct ctx *c, const char *path, const char *id)
{
	long i = find_id(c, id);
	if (i < 0)
		fail(c, path,
		     "participant %s is not declared in $.participants",
		     q(c, id));
	return i;
}

/* ---- sections ---------------------------------------------------------- */

static void parse_period(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *per = get_object(c, root, "$", "period", true);
	if (!per)
		return;
	check_keys(c, per, "$.period", period_keys);
	const char *s = get_str(c, per, "$.period", "start", true);
	const char *e = get_str(c, per, "$.period", "end", true);
	const char *what = NULL;
	bool is_ok = s && e;
	if (s && cab_time_parse_date(s, strlen(s), &sc->start_y, &sc->start_m,
				     &sc->start_d, &what) != CAB_OK) {
		fail(c, "$.period.start", "invalid date %s (%s)", q(c, s),
		     what ? what : "expected YYYY-MM-DD");
		is_ok = false;
	}
	what = NULL;
	if (e && cab_time_parse_date(e, strlen(e), &sc->end_y, &sc->end_m,
				     &sc->end_d, &what) != CAB_OK) {
		fail(c, "$.period.end", "invalid date %s (%s)", q(c, e),
		     what ? what : "expected YYYY-MM-DD");
		is_ok = false;
	}
	if (!is_ok)
		return;
	int64_t d0 =
	    cab_time_days_from_civil(sc->start_y, sc->start_m, sc->start_d);
	int64_t d1 = cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d);
	if (d1 <= d0) {
		fail(c, "$.period", "end %s must be after start %s", q(c, e),
		     q(c, s));
		return;
	}
	if (d1 - d0 > MAX_DAYS) {
		fail(c, "$.period",
		     "period spans %lld days (expected at most %d)",
		     (long long)(d1 - d0), MAX_DAYS);
		return;
	}
	sc->t0_s =
	    cab_time_local_midnight(sc->start_y, sc->start_m, sc->start_d);
	int64_t t1 = cab_time_local_midnight(sc->end_y, sc->end_m, sc->end_d);
	sc->n_intervals = (size_t)((t1 - sc->t0_s) / CAB_INTERVAL_S);
	sc->n_days = (size_t)(d1 - d0);
}

/* A path of the scenario resolved against its directory. */
static char *resolve(struct ctx *c, const char *rel)
{
	const char *dir = c->sc->dir;
	if (rel[0] == '/' || strcmp(dir, ".") == 0)
		return dup(c, rel);
	size_t nd = strlen(dir), nr = strlen(rel);
	char *p = malloc(nd + nr + 2);
	if (!p) {
		c->is_oom = true;
		return NULL;
	}
	memcpy(p, dir, nd);
	size_t k = nd;
	if (k == 0 || p[k - 1] != '/')
		p[k++] = '/';
	memcpy(p + k, rel, nr + 1);
	return p;
}

static void parse_sources(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const char *r = get_str(c, root, "$", "readings", false);
	const char *d = get_str(c, root, "$", "db", false);
	bool has_r = cJSON_HasObjectItem(root, "readings");
	bool has_d = cJSON_HasObjectItem(root, "db");
	if (has_r && has_d)
		fail(c, "$", "keys 'readings' and 'db' cannot both be given");
	else if (!has_r && !has_d)
		fail(c, "$", "missing required key 'readings' (or 'db')");
	else if (r)
		sc->readings_path = resolve(c, r);
	else if (d)
		sc->db_path = resolve(c, d);
	sc->min_coverage = 0.9;
	get_num(c, root, "$", "min_coverage", false, "", RANGE_COVERAGE,
		&sc->min_coverage);
	sc->fill = (enum cab_fill)get_enum(c, root, "$", "fill", "fill",
					   fill_names, CAB_FILL_NONE);
	int max_gap = 4; /* one hour of quarter-hours */
	get_int(c, root, "$", "fill_max_intervals", "", 1, 96 * 7, &max_gap);
	sc->fill_max_intervals = (size_t)max_gap;
}

static void parse_cabins(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *arr = get_array(c, root, "$", "cabins", false);
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	sc->cabins = zalloc(c, n, sizeof(*sc->cabins));
	if (!sc->cabins)
		return;
	sc->n_cabins = n;
	size_t i = 0;
	for (const cJSON *el = arr->child; el && i < n; el = el->next, i++) {
		struct cab_cabin *cb = &sc->cabins[i];
		char p[PATH_CAP], pid[PATH_CAP];
		path_index(p, "$.cabins", i);
		cb->locality = 'B';
		if (!cJSON_IsObject(el)) {
			type_error(c, p, "an object", el);
			continue;
		}
		check_keys(c, el, p, cabin_keys);
		const char *id = get_str(c, el, p, "id", true);
		if (id) {
			bool is_dup = false;
			for (size_t j = 0; j < i && !is_dup; j++)
				is_dup = sc->cabins[j].id &&
					 strcmp(sc->cabins[j].id, id) == 0;
			path_key(pid, p, "id");
			if (is_dup)
				fail(c, pid, "duplicate cabin id %s", q(c, id));
			else
				cb->id = dup(c, id);
		}
		cb->meter = dup(c, get_str(c, el, p, "meter", false));
		cb->locality =
		    (char)('A' + get_enum(c, el, p, "locality", "locality",
					  locality_names, 1));
	}
}

static void parse_meters(struct ctx *c, const cJSON *obj, const char *path,
			 struct cab_participant *pa, const char *subject)
{
	const cJSON *m = get_object(c, obj, path, "meters", false);
	pa->is_meterless = true;
	if (!m)
		return;
	char p[PATH_CAP];
	path_key(p, path, "meters");
	check_keys(c, m, p, meter_keys);
	pa->meter_consumption = dup(c, get_str(c, m, p, "consumption", false));
	pa->meter_production = dup(c, get_str(c, m, p, "production", false));
	pa->meter_offtake = dup(c, get_str(c, m, p, "offtake", false));
	pa->meter_injection = dup(c, get_str(c, m, p, "injection", false));
	bool is_gross = cJSON_HasObjectItem(m, "consumption") ||
			cJSON_HasObjectItem(m, "production");
	bool is_net = cJSON_HasObjectItem(m, "offtake") ||
		      cJSON_HasObjectItem(m, "injection");
	if (is_gross && is_net)
		fail(c, p,
		     "%scannot mix gross meters (consumption, production) with "
		     "net meters (offtake, injection)",
		     subject);
	pa->is_meterless = m->child == NULL;
}

static void parse_participant(struct ctx *c, const cJSON *el, size_t i)
{
	struct cab_scenario *sc = c->sc;
	struct cab_participant *pa = &sc->participants[i];
	char p[PATH_CAP], subject[QUOTE_CAP + 24] = "";
	path_index(p, "$.participants", i);
	pa->cabin = -1;
	pa->occupants = -1;
	pa->income_band = -1;
	pa->floor_area_m2 = -1;
	pa->vat = 0.06;
	pa->history_kwh = -1;
	pa->is_meterless = true;
	if (!cJSON_IsObject(el)) {
		type_error(c, p, "an object", el);
		return;
	}
	check_keys(c, el, p, participant_keys);
	const char *id = get_str(c, el, p, "id", true);
	if (id) {
		pa->id = dup(c, id);
		if (snprintf(subject, sizeof(subject),
			     "participant %s: ", q(c, id)) < 0)
			subject[0] = '\0';
	}
	pa->kind = (enum cab_participant_kind)get_enum(
	    c, el, p, "kind", "kind", kind_names, CAB_KIND_HOUSEHOLD);
	const char *cabin = get_str(c, el, p, "cabin", false);
	if (cabin) {
		for (size_t k = 0; k < sc->n_cabins && pa->cabin < 0; k++)
			if (sc->cabins[k].id &&
			    strcmp(sc->cabins[k].id, cabin) == 0)
				pa->cabin = (int)k;
		if (pa->cabin < 0) {
			char pc[PATH_CAP];
			path_key(pc, p, "cabin");
			fail(c, pc, "cabin %s is not declared in $.cabins",
			     q(c, cabin));
		}
	}
	parse_meters(c, el, p, pa, subject);
	get_int(c, el, p, "occupants", subject, 0, 1000000, &pa->occupants);
	get_int(c, el, p, "income_band", subject, 0, MAX_INCOME_BAND,
		&pa->income_band);
	int epb = get_enum(c, el, p, "epb_class", "epb_class", epb_names, -1);
	pa->epb_class = epb < 0 ? 0 : (char)('A' + epb);
	get_num(c, el, p, "floor_area_m2", false, subject, RANGE_NONNEG,
		&pa->floor_area_m2);
	get_bool(c, el, p, "protected", &pa->is_protected);
	get_num(c, el, p, "vat", false, subject, RANGE_UNIT, &pa->vat);
	pa->lang = (enum cab_lang)get_enum(c, el, p, "lang", "lang", lang_names,
					   CAB_LANG_FR);
	get_num(c, el, p, "history_kwh", false, subject, RANGE_NONNEG,
		&pa->history_kwh);
}

static void parse_participants(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *arr = get_array(c, root, "$", "participants", true);
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0) {
		fail(c, "$.participants", "expected at least one participant");
		return;
	}
	sc->participants = zalloc(c, n, sizeof(*sc->participants));
	c->by_id = zalloc(c, n, sizeof(*c->by_id));
	if (!sc->participants || !c->by_id)
		return;
	sc->n_participants = n;
	size_t i = 0;
	for (const cJSON *el = arr->child; el && i < n; el = el->next, i++)
		parse_participant(c, el, i);
	for (i = 0; i < n; i++)
		if (sc->participants[i].id)
			c->by_id[c->n_by_id++] =
			    (struct id_entry){sc->participants[i].id, i};
	qsort(c->by_id, c->n_by_id, sizeof(*c->by_id), cmp_id);
	for (i = 1; i < c->n_by_id; i++) {
		if (strcmp(c->by_id[i - 1].id, c->by_id[i].id) == 0) {
			char p[PATH_CAP], pid[PATH_CAP];
			path_index(p, "$.participants", c->by_id[i].index);
			path_key(pid, p, "id");
			fail(c, pid, "duplicate participant id %s",
			     q(c, c->by_id[i].id));
		}
	}
	c->has_participants = true;
}

static void parse_tariff(struct ctx *c, const cJSON *root)
{
	struct cab_tariff *t = &c->sc->tariff;
	const char *p = "$.tariff";
	t->day_start_h = 7;
	t->day_end_h = 22;
	const cJSON *o = get_object(c, root, "$", "tariff", true);
	if (!o)
		return;
	check_keys(c, o, p, tariff_keys);
	get_num(c, o, p, "supplier_day_eur_kwh", true, "", RANGE_NONNEG,
		&t->supplier_day_eur_kwh);
	t->has_night_price =
	    get_num(c, o, p, "supplier_night_eur_kwh", false, "", RANGE_NONNEG,
		    &t->supplier_night_eur_kwh);
	if (!t->has_night_price)
		t->supplier_night_eur_kwh = t->supplier_day_eur_kwh;
	get_num(c, o, p, "supplier_fixed_eur_year", false, "", RANGE_NONNEG,
		&t->supplier_fixed_eur_year);
	get_num(c, o, p, "network_eur_kwh", true, "", RANGE_NONNEG,
		&t->network_eur_kwh);
	const cJSON *ns = get_object(c, o, p, "network_shared_eur_kwh", true);
	if (ns) {
		const char *pn = "$.tariff.network_shared_eur_kwh";
		check_keys(c, ns, pn, locality_names);
		for (int k = 0; k < 4; k++)
			get_num(c, ns, pn, locality_names[k], true, "",
				RANGE_NONNEG, &t->network_shared_eur_kwh[k]);
	}
	get_num(c, o, p, "network_fixed_eur_year", false, "", RANGE_NONNEG,
		&t->network_fixed_eur_year);
	get_num(c, o, p, "taxes_eur_kwh", true, "", RANGE_NONNEG,
		&t->taxes_eur_kwh);
	get_num(c, o, p, "injection_eur_kwh", true, "", RANGE_NONNEG,
		&t->injection_eur_kwh);
	bool is_ok = true;
	if (cJSON_HasObjectItem(o, "day_start_h"))
		is_ok &=
		    get_int(c, o, p, "day_start_h", "", 0, 23, &t->day_start_h);
	if (cJSON_HasObjectItem(o, "day_end_h"))
		is_ok &=
		    get_int(c, o, p, "day_end_h", "", 1, 24, &t->day_end_h);
	if (is_ok && t->day_start_h >= t->day_end_h)
		fail(c, p, "day_start_h (%d) must be before day_end_h (%d)",
		     t->day_start_h, t->day_end_h);
}

/* Sharing of the base (obj = $.sharing) or of a variant (obj merged). w,
 * hw and pg are per participant (n_participants long), filled here. */
static void parse_sharing(struct ctx *c, const cJSON *obj, const char *path,
			  struct cab_sharing *sh, double *w, bool *hw, int *pg)
{
	const struct cab_scenario *sc = c->sc;
	size_t n = sc->n_participants;
	char p[PATH_CAP];
	memset(sh, 0, sizeof(*sh));
	strcpy(sh->key, "proportional");
	strcpy(sh->group_key, "proportional");
	sh->n_groups = 1;
	if (!obj)
		return;
	check_keys(c, obj, path, sharing_keys);
	int key = get_enum(c, obj, path, "key", "sharing key", key_names, 1);
	strcpy(sh->key, key_names[key]);
	sh->is_until_done =
	    get_enum(c, obj, path, "rounds", "rounds", rounds_names, 0) == 1;
	sh->is_fairness_first = get_enum(c, obj, path, "objective", "objective",
					 objective_names, 0) == 1;
	sh->perimeter = (enum cab_perimeter)get_enum(
	    c, obj, path, "perimeter", "perimeter", perimeter_names,
	    CAB_PERIMETER_COMMUNITY);
	get_num(c, obj, path, "price_eur_kwh", false, "", RANGE_NONNEG,
		&sh->price_eur_kwh);
	int loc =
	    get_enum(c, obj, path, "locality", "locality", locality_names, -1);
	sh->locality = loc < 0 ? 0 : (char)('A' + loc);
	strcpy(sh->group_key,
	       group_key_names[get_enum(c, obj, path, "group_key", "group_key",
					group_key_names, 0)]);

	if (sh->perimeter == CAB_PERIMETER_CABIN && c->has_participants) {
		path_key(p, path, "perimeter");
		for (size_t i = 0; i < n; i++)
			if (sc->participants[i].cabin < 0 &&
			    sc->participants[i].id)
				fail(c, p,
				     "participant %s has no cabin (perimeter "
				     "'cabin' needs one for every participant)",
				     q(c, sc->participants[i].id));
	}

	const cJSON *wo = get_object(c, obj, path, "weights", false);
	if (wo && c->has_participants) {
		char pw[PATH_CAP], pi[PATH_CAP];
		path_key(pw, path, "weights");
		sh->has_weights = true;
		double sum = 0;
		bool is_ok = true;
		for (const cJSON *m = wo->child; m; m = m->next) {
			const char *id = m->string ? m->string : "";
			path_key(pi, pw, id);
			long i = need_participant(c, pi, id);
			char subject[QUOTE_CAP + 24];
			if (snprintf(subject, sizeof(subject),
				     "participant %s: ", q(c, id)) < 0)
				subject[0] = '\0';
			double x;
			if (!num_value(c, m, pi, subject, "weight", RANGE_UNIT,
				       &x)) {
				is_ok = false;
				continue;
			}
			if (i < 0) {
				is_ok = false;
				continue;
			}
			if (hw[i]) {
				fail(c, pw, "duplicate key %s", q(c, id));
				is_ok = false;
				continue;
			}
			w[i] = x;
			hw[i] = true;
			sum += x;
		}
		if (is_ok && sum > 1 + WEIGHT_EPS)
			fail(c, pw, "weights sum to %g (expected at most 1)",
			     sum);
	}

	const cJSON *ga = get_array(c, obj, path, "groups", false);
	if (!ga && key == 3) /* priority */
		fail(c, path,
		     "missing required key 'groups' (key 'priority' "
		     "needs priority groups)");
	if (ga && c->has_participants) {
		char pg_path[PATH_CAP], pgi[PATH_CAP], pgij[PATH_CAP];
		path_key(pg_path, path, "groups");
		for (size_t i = 0; i < n; i++)
			pg[i] = -1;
		size_t g = 0;
		for (const cJSON *ge = ga->child; ge; ge = ge->next, g++) {
			path_index(pgi, pg_path, g);
			if (!cJSON_IsArray(ge)) {
				type_error(c, pgi, "an array", ge);
				continue;
			}
			if (!ge->child)
				fail(c, pgi,
				     "empty group (expected at least "
				     "one participant id)");
			size_t j = 0;
			for (const cJSON *m = ge->child; m; m = m->next, j++) {
				path_index(pgij, pgi, j);
				const char *id = str_value(c, m, pgij);
				if (!id)
					continue;
				long i = need_participant(c, pgij, id);
				if (i < 0)
					continue;
				if (pg[i] >= 0)
					fail(c, pgij,
					     "participant %s is in more than "
					     "one group",
					     q(c, id));
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

static void parse_income_factors(struct ctx *c, const cJSON *o,
				 const char *path, struct cab_billing *b)
{
	const cJSON *f = get_object(c, o, path, "income_factors", false);
	if (!f)
		return;
	char p[PATH_CAP], pi[PATH_CAP];
	path_key(p, path, "income_factors");
	size_t n = 0;
	for (const cJSON *m = f->child; m; m = m->next) {
		const char *k = m->string ? m->string : "";
		size_t len = strlen(k);
		bool is_band = len > 0 && len <= 3 &&
			       strspn(k, "0123456789") == len &&
			       (len == 1 || k[0] != '0');
		if (!is_band) {
			fail(c, p,
			     "invalid income band %s (expected an integer "
			     "from 0 to %d)",
			     q(c, k), MAX_INCOME_BAND);
			continue;
		}
		size_t band = (size_t)atoi(k);
		if (band + 1 > n)
			n = band + 1;
	}
	if (n == 0)
		return;
	b->income_factors = zalloc(c, n, sizeof(double));
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
		path_key(pi, p, k);
		double x;
		if (!num_value(c, m, pi, "", "income factor", RANGE_NONNEG, &x))
			continue;
		if (b->income_factors[band] >= 0)
			fail(c, p, "duplicate key %s", q(c, k));
		b->income_factors[band] = x;
	}
}

static void parse_bounds(struct ctx *c, const cJSON *o, const char *path,
			 struct cab_billing *b)
{
	const cJSON *bo = get_object(c, o, path, "bounds", false);
	if (!bo)
		return;
	size_t n = (size_t)cJSON_GetArraySize(bo);
	b->bounds = zalloc(c, n, sizeof(*b->bounds));
	if (!b->bounds)
		return;
	char p[PATH_CAP], pb[PATH_CAP];
	path_key(p, path, "bounds");
	for (const cJSON *m = bo->child; m; m = m->next) {
		const char *who = m->string ? m->string : "";
		path_key(pb, p, who);
		bool is_known = strcmp(who, "protected") == 0;
		if (!is_known && c->has_participants)
			is_known = need_participant(c, pb, who) >= 0;
		for (size_t k = 0; k < b->n_bounds; k++)
			if (strcmp(b->bounds[k].who, who) == 0)
				fail(c, p, "duplicate key %s", q(c, who));
		if (!cJSON_IsObject(m)) {
			type_error(c, pb, "an object", m);
			continue;
		}
		check_keys(c, m, pb, bound_keys);
		struct cab_bound *bd = &b->bounds[b->n_bounds];
		bd->max_eur = bd->max_price_eur_kwh = bd->min_eur = -1;
		get_num(c, m, pb, "max_eur", false, "", RANGE_NONNEG,
			&bd->max_eur);
		get_num(c, m, pb, "max_price_eur_kwh", false, "", RANGE_NONNEG,
			&bd->max_price_eur_kwh);
		get_num(c, m, pb, "min_eur", false, "", RANGE_NONNEG,
			&bd->min_eur);
		if (bd->max_eur >= 0 && bd->min_eur > bd->max_eur)
			fail(c, pb, "min_eur (%g) is above max_eur (%g)",
			     bd->min_eur, bd->max_eur);
		bd->who = dup(c, who);
		if (bd->who)
			b->n_bounds++;
	}
}

/* Check that every participant has what the chosen criteria need. */
static void check_pot_participants(struct ctx *c, const char *path,
				   const struct cab_billing *b)
{
	const struct cab_scenario *sc = c->sc;
	char p[PATH_CAP], kp[PATH_CAP];
	path_key(kp, path, "key");
	for (int k = 0; k < CAB_CRIT_COUNT; k++) {
		if (!(b->alpha[k] > 0))
			continue;
		path_key(p, kp, criterion_names[k]);
		const char *crit = criterion_names[k];
		for (size_t i = 0; i < sc->n_participants; i++) {
			const struct cab_participant *pa = &sc->participants[i];
			const char *id = q(c, pa->id);
			if (!pa->id)
				continue;
			if (k == CAB_CRIT_OCCUPANTS && pa->occupants < 0)
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs 'occupants'",
				     id, crit);
			if (k == CAB_CRIT_HISTORY && pa->history_kwh < 0)
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs 'history_kwh'",
				     id, crit);
			if (k == CAB_CRIT_INCOME && pa->income_band < 0)
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs 'income_band'",
				     id, crit);
			else if (k == CAB_CRIT_INCOME &&
				 ((size_t)pa->income_band >=
				      b->n_income_factors ||
				  b->income_factors[pa->income_band] < 0))
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs a factor for income band %d "
				     "in income_factors",
				     id, crit, pa->income_band);
			if (k != CAB_CRIT_BUILDING)
				continue;
			if (!pa->epb_class)
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs 'epb_class'",
				     id, crit);
			else if (b->building_factors[pa->epb_class - 'A'] < 0)
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs a factor for EPB class '%c' "
				     "in building_factors",
				     id, crit, pa->epb_class);
			if (pa->floor_area_m2 < 0)
				fail(c, p,
				     "participant %s: criterion '%s' "
				     "needs 'floor_area_m2'",
				     id, crit);
		}
	}
}

static void parse_billing(struct ctx *c, const cJSON *o, const char *path,
			  struct cab_billing *b)
{
	char p[PATH_CAP], pi[PATH_CAP];
	memset(b, 0, sizeof(*b));
	b->mode = CAB_BILLING_SHARED;
	b->vat = 0.06;
	for (int k = 0; k < 7; k++)
		b->building_factors[k] = -1;
	if (!o)
		return;
	check_keys(c, o, path, billing_keys);
	b->mode = (enum cab_billing_mode)get_enum(
	    c, o, path, "mode", "mode", mode_names, CAB_BILLING_SHARED);
	if (b->mode != CAB_BILLING_POT) {
		for (const cJSON *m = o->child; m; m = m->next) {
			if (!m->string || strcmp(m->string, "mode") == 0)
				continue;
			bool is_known = false;
			for (size_t k = 0; billing_keys[k]; k++)
				is_known |=
				    strcmp(m->string, billing_keys[k]) == 0;
			if (is_known)
				fail(c, path,
				     "key %s is only used with mode 'pot'",
				     q(c, m->string));
		}
		return;
	}

	const cJSON *ko = get_object(c, o, path, "key", true);
	if (ko) {
		path_key(p, path, "key");
		double sum = 0;
		bool is_ok = true, seen[CAB_CRIT_COUNT] = {false};
		for (const cJSON *m = ko->child; m; m = m->next) {
			const char *name = m->string ? m->string : "";
			int k = 0;
			while (k < CAB_CRIT_COUNT &&
			       strcmp(name, criterion_names[k]))
				k++;
			if (k == CAB_CRIT_COUNT) {
				char list[200];
				join(list, sizeof(list), criterion_names);
				fail(c, p,
				     "unknown criterion %s (expected one of: "
				     "%s)",
				     q(c, name), list);
				is_ok = false;
				continue;
			}
			if (seen[k]) {
				fail(c, p, "duplicate key %s", q(c, name));
				is_ok = false;
				continue;
			}
			seen[k] = true;
			char subject[QUOTE_CAP + 24];
			if (snprintf(subject, sizeof(subject),
				     "criterion %s: ", q(c, name)) < 0)
				subject[0] = '\0';
			path_key(pi, p, name);
			if (!num_value(c, m, pi, subject, "alpha", RANGE_NONNEG,
				       &b->alpha[k])) {
				is_ok = false;
				continue;
			}
			sum += b->alpha[k];
		}
		if (is_ok && fabs(sum - 1) > WEIGHT_EPS)
			fail(c, p, "alphas sum to %g (expected 1)", sum);
	}
	parse_income_factors(c, o, path, b);
	const cJSON *bf = get_object(c, o, path, "building_factors", false);
	if (bf) {
		path_key(p, path, "building_factors");
		check_keys(c, bf, p, epb_names);
		for (int k = 0; k < 7; k++)
			get_num(c, bf, p, epb_names[k], false, "", RANGE_NONNEG,
				&b->building_factors[k]);
	}
	get_num(c, o, path, "vat", false, "", RANGE_UNIT, &b->vat);
	get_num(c, o, path, "fixed_eur_year", false, "", RANGE_NONNEG,
		&b->fixed_eur_year);
	parse_bounds(c, o, path, b);
	if (c->has_participants)
		check_pot_participants(c, path, b);
}

/* "alerts_reference": {"start", "end"}: local dates narrowing where the
 * reference windows of alerts are taken (default: the whole period). */
static void parse_alerts_reference(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	sc->alerts_ref_start_s = sc->t0_s;
	sc->alerts_ref_end_s =
	    sc->t0_s + (int64_t)sc->n_intervals * CAB_INTERVAL_S;
	const cJSON *o = get_object(c, root, "$", "alerts_reference", false);
	if (!o)
		return;
	check_keys(c, o, "$.alerts_reference", period_keys);
	const char *keys[2] = {"start", "end"};
	int64_t t[2] = {sc->alerts_ref_start_s, sc->alerts_ref_end_s};
	bool is_ok = true;
	for (int k = 0; k < 2; k++) {
		const char *v =
		    get_str(c, o, "$.alerts_reference", keys[k], true);
		if (!v) {
			is_ok = false;
			continue;
		}
		int y, m, d;
		const char *what = NULL;
		char pk[PATH_CAP];
		path_key(pk, "$.alerts_reference", keys[k]);
		if (cab_time_parse_date(v, strlen(v), &y, &m, &d, &what) !=
		    CAB_OK) {
			fail(c, pk, "invalid date %s (%s)", q(c, v),
			     what ? what : "expected YYYY-MM-DD");
			is_ok = false;
			continue;
		}
		t[k] = cab_time_local_midnight(y, m, d);
	}
	if (is_ok && t[1] <= t[0])
		fail(c, "$.alerts_reference", "end must be after start");
	else if (is_ok) {
		sc->alerts_ref_start_s = t[0];
		sc->alerts_ref_end_s = t[1];
	}
}

static void parse_alerts(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	parse_alerts_reference(c, root);
	const cJSON *arr = get_array(c, root, "$", "alerts", false);
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	sc->alerts = zalloc(c, n, sizeof(*sc->alerts));
	if (!sc->alerts)
		return;
	sc->n_alerts = n;
	size_t i = 0;
	for (const cJSON *el = arr->child; el && i < n; el = el->next, i++) {
		struct cab_alert *a = &sc->alerts[i];
		char p[PATH_CAP], pk[PATH_CAP];
		path_index(p, "$.alerts", i);
		if (!cJSON_IsObject(el)) {
			type_error(c, p, "an object", el);
			continue;
		}
		check_keys(c, el, p, alert_keys);
		const char *s = get_str(c, el, p, "start", true);
		const char *e = get_str(c, el, p, "end", true);
		get_bool(c, el, p, "announced", &a->is_announced);
		const char *what = NULL;
		bool is_ok = s && e;
		if (s && cab_time_parse_iso(s, strlen(s), &a->start_s, &what) !=
			     CAB_OK) {
			path_key(pk, p, "start");
			fail(c, pk, "invalid local time %s (%s)", q(c, s),
			     what ? what : "expected YYYY-MM-DDTHH:MM");
			is_ok = false;
		}
		what = NULL;
		if (e && cab_time_parse_iso(e, strlen(e), &a->end_s, &what) !=
			     CAB_OK) {
			path_key(pk, p, "end");
			fail(c, pk, "invalid local time %s (%s)", q(c, e),
			     what ? what : "expected YYYY-MM-DDTHH:MM");
			is_ok = false;
		}
		if (!is_ok)
			continue;
		if (a->end_s <= a->start_s)
			fail(c, p, "end %s must be after start %s", q(c, e),
			     q(c, s));
		else if (a->end_s - a->start_s > 24 * 3600)
			fail(c, p, "alert lasts %g h (expected at most 24 h)",
			     (double)(a->end_s - a->start_s) / 3600.0);
	}
}

/* The variant's section over the base's: the keys `over` names replace
 * the base's. A billing variant that changes the mode inherits nothing
 * else (the base's other billing keys belong to the base's mode). */
static cJSON *merge(struct ctx *c, const cJSON *base, const cJSON *over,
		    bool is_billing)
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

static void parse_variant(struct ctx *c, const cJSON *el, size_t i,
			  bool is_sharing_ok, bool is_billing_ok,
			  const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	struct cab_variant *v = &sc->variants[i];
	size_t n = sc->n_participants;
	char p[PATH_CAP], ps[PATH_CAP], pb[PATH_CAP];
	path_index(p, "$.compare", i);
	parse_sharing(c, NULL, "", &v->sharing, NULL, NULL, NULL);
	parse_billing(c, NULL, "", &v->billing);
	if (!cJSON_IsObject(el)) {
		type_error(c, p, "an object", el);
		return;
	}
	check_keys(c, el, p, variant_keys);
	const char *name = get_str(c, el, p, "name", true);
	if (name) {
		for (size_t j = 0; j < i; j++)
			if (sc->variants[j].name &&
			    strcmp(sc->variants[j].name, name) == 0) {
				path_key(ps, p, "name");
				fail(c, ps, "duplicate variant name %s",
				     q(c, name));
				name = NULL;
				break;
			}
		v->name = dup(c, name);
	}
	v->weights = zalloc(c, n, sizeof(double));
	v->has_weight = zalloc(c, n, sizeof(bool));
	v->priority_group = zalloc(c, n, sizeof(int));
	if (n && (!v->weights || !v->has_weight || !v->priority_group))
		return;

	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(root, "sharing");
	const cJSON *vs = get_object(c, el, p, "sharing", false);
	path_key(ps, p, "sharing");
	if (vs && is_sharing_ok) {
		cJSON *m = merge(c, bs, vs, false);
		if (m)
			parse_sharing(c, m, ps, &v->sharing, v->weights,
				      v->has_weight, v->priority_group);
		cJSON_Delete(m);
	} else if (!vs && is_sharing_ok) {
		parse_sharing(c, bs, "$.sharing", &v->sharing, v->weights,
			      v->has_weight, v->priority_group);
	}

	const cJSON *bb = cJSON_GetObjectItemCaseSensitive(root, "billing");
	const cJSON *vb = get_object(c, el, p, "billing", false);
	path_key(pb, p, "billing");
	if (vb && is_billing_ok) {
		cJSON *m = merge(c, bb, vb, true);
		if (m) {
			free(v->billing.income_factors);
			parse_billing(c, m, pb, &v->billing);
		}
		cJSON_Delete(m);
	} else if (!vb && is_billing_ok) {
		parse_billing(c, bb, "$.billing", &v->billing);
	}
}

static void parse_groups(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	const cJSON *go = get_object(c, root, "$", "groups", false);
	if (!go)
		return;
	size_t n = (size_t)cJSON_GetArraySize(go);
	sc->groups = zalloc(c, n, sizeof(*sc->groups));
	if (!sc->groups)
		return;
	sc->n_groups = n;
	size_t g = 0;
	for (const cJSON *m = go->child; m && g < n; m = m->next, g++) {
		struct cab_group *gr = &sc->groups[g];
		const char *name = m->string ? m->string : "";
		char p[PATH_CAP], pj[PATH_CAP];
		path_key(p, "$.groups", name);
		for (size_t k = 0; k < g; k++)
			if (sc->groups[k].name &&
			    strcmp(sc->groups[k].name, name) == 0)
				fail(c, "$.groups", "duplicate key %s",
				     q(c, name));
		gr->name = dup(c, name);
		if (!cJSON_IsArray(m)) {
			type_error(c, p, "an array", m);
			continue;
		}
		size_t nm = (size_t)cJSON_GetArraySize(m);
		gr->members = zalloc(c, nm, sizeof(size_t));
		if (nm && !gr->members)
			continue;
		size_t j = 0;
		for (const cJSON *e = m->child; e && j < nm; e = e->next, j++) {
			path_index(pj, p, j);
			const char *id = str_value(c, e, pj);
			if (!id || !c->has_participants)
				continue;
			long i = need_participant(c, pj, id);
			if (i < 0)
				continue;
			bool is_dup = false;
			for (size_t k = 0; k < gr->n_members && !is_dup; k++)
				is_dup = gr->members[k] == (size_t)i;
			if (is_dup)
				fail(c, pj,
				     "participant %s is listed twice in "
				     "group %s",
				     q(c, id), q(c, name));
			else
				gr->members[gr->n_members++] = (size_t)i;
		}
	}
}

/* Sharing of the base, then the variants of `compare`. */
static void parse_choices(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	size_t n = sc->n_participants;
	double *w = zalloc(c, n, sizeof(double));
	bool *hw = zalloc(c, n, sizeof(bool));
	int *pg = zalloc(c, n, sizeof(int));
	if (n && (!w || !hw || !pg))
		goto done;

	size_t before = c->n_errors;
	const cJSON *so = get_object(c, root, "$", "sharing", false);
	bool has_bad_sharing =
	    so == NULL && cJSON_HasObjectItem(root, "sharing");
	parse_sharing(c, so, "$.sharing", &sc->sharing, w, hw, pg);
	for (size_t i = 0; i < n; i++) {
		sc->participants[i].weight = w[i];
		sc->participants[i].has_weight = hw[i];
		sc->participants[i].priority_group = pg[i];
	}
	bool is_sharing_ok = c->n_errors == before && !has_bad_sharing;

	before = c->n_errors;
	const cJSON *bo = get_object(c, root, "$", "billing", false);
	bool has_bad_billing =
	    bo == NULL && cJSON_HasObjectItem(root, "billing");
	parse_billing(c, bo, "$.billing", &sc->billing);
	bool is_billing_ok = c->n_errors == before && !has_bad_billing;

	const cJSON *arr = get_array(c, root, "$", "compare", false);
	size_t nv = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (nv) {
		sc->variants = zalloc(c, nv, sizeof(*sc->variants));
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

static void parse_root(struct ctx *c, const cJSON *root)
{
	struct cab_scenario *sc = c->sc;
	if (!cJSON_IsObject(root)) {
		type_error(c, "$", "an object", root);
		return;
	}
	check_keys(c, root, "$", top_keys);
	sc->name = dup(c, get_str(c, root, "$", "name", true));
	parse_period(c, root);
	parse_sources(c, root);
	parse_cabins(c, root);
	parse_participants(c, root);
	parse_tariff(c, root);
	parse_choices(c, root);
	parse_alerts(c, root);
	parse_groups(c, root);
}

/* ---- entry points ------------------------------------------------------ */

/* Report a JSON syntax error at byte offset pos of buf (len bytes). */
static void syntax_error(struct ctx *c, const char *buf, size_t len, size_t pos,
			 const char *after)
{
	long line = 1, col = 1;
	for (size_t i = 0; i < pos && i < len; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	char what[64];
	unsigned char ch = pos < len ? (unsigned char)buf[pos] : 0;
	if (pos >= len)
		snprintf(what, sizeof(what), "unexpected end of input");
	else if (ch >= 0x20 && ch < 0x7f)
		snprintf(what, sizeof(what), "unexpected '%c'%s", ch, after);
	else
		snprintf(what, sizeof(what), "unexpected byte 0x%02x%s", ch,
			 after);
	c->n_errors++;
	cab_err_add(c->err, CAB_EINPUT, "%s:%ld:%ld: invalid JSON (%s)",
		    c->file, line, col, what);
}

static char *dir_of(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return strdup(".");
	if (s == path)
		return strdup("/");
	return strndup(path, (size_t)(s - path));
}

enum cab_status cab_scenario_parse(const char *path, const char *json,
				   size_t len, struct cab_scenario **out,
				   struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	struct ctx c = {.file = path ? path : "-", .err = err};
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
	c.sc->dir = dir_of(c.file);
	if (!c.sc->path || !c.sc->dir)
		goto oom;

	const char *end = NULL;
	root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
	size_t pos = end ? (size_t)(end - buf) : 0;
	if (!root) {
		syntax_error(&c, buf, len, pos, "");
		st = CAB_EINPUT;
		goto done;
	}
	while (pos < len && strchr(" \t\r\n", buf[pos]) && buf[pos])
		pos++;
	if (pos < len) {
		syntax_error(&c, buf, len, pos, " after the JSON value");
		st = CAB_EINPUT;
		goto done;
	}
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
	st = cab_err_add(err, CAB_ENOMEM, "%s: out of memory", c.file);
done:
	cJSON_Delete(root);
	free(buf);
	free(c.by_id);
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
	free(sc);
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

const char *cab_criterion_name(enum cab_criterion c)
{
	if ((unsigned)c >= CAB_CRIT_COUNT)
		return "unknown";
	return criterion_names[c];
}

/* ---- batch files (cabine batch) ---------------------------------------- */

void cab_batch_free(struct cab_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->scenarios[i]);
	free(b->scenarios);
	free(b->path);
	free(b);
}

enum cab_status cab_batch_load(const char *path, struct cab_batch **out,
			       struct cab_err *err)
{
	*out = NULL;
	struct cab_scenario *holder = NULL;
	char *buf = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st != CAB_OK)
		return st;
	struct cab_batch *b = calloc(1, sizeof *b);
	if (!b) {
		free(buf);
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
	}
	struct ctx c = {.file = path, .err = err};
	/* resolve() works on a scenario's folder: borrow one. */
	holder = calloc(1, sizeof *holder);
	c.sc = holder;
	b->path = strdup(path);
	if (!holder || !b->path || !(holder->dir = dir_of(path))) {
		st = cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
	if (!root) {
		syntax_error(&c, buf, len, end ? (size_t)(end - buf) : 0, "");
		st = CAB_EINPUT;
		goto done;
	}
	static const char *const batch_keys[] = {"scenarios", NULL};
	check_keys(&c, root, "$", batch_keys);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "scenarios");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		fail(&c, "$.scenarios",
		     "expected a non-empty array of scenario files");
	} else {
		size_t n = (size_t)cJSON_GetArraySize(list);
		b->scenarios = calloc(n, sizeof *b->scenarios);
		if (!b->scenarios)
			c.is_oom = true;
		size_t i = 0;
		const cJSON *it;
		cJSON_ArrayForEach(it, list)
		{
			char where[64];
			snprintf(where, sizeof where, "$.scenarios[%zu]", i);
			if (!cJSON_IsString(it) || !it->valuestring[0])
				fail(&c, where,
				     "expected a scenario file name");
			else if (b->scenarios)
				b->scenarios[b->n++] =
				    resolve(&c, it->valuestring);
			i++;
		}
	}
	cJSON_Delete(root);
	if (c.is_oom)
		st = cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
	else if (c.n_errors)
		st = CAB_EINPUT;
done:
	free(buf);
	cab_scenario_free(holder);
	if (st != CAB_OK) {
		cab_batch_free(b);
		return st;
	}
	*out = b;
	return CAB_OK;
}
