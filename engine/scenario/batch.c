/*
 * batch.c — batch files of `cabine batch` (docs/batch.md, SPEC §16): a
 * list {"scenarios": ["a/scenario.json", …]} (paths relative to the
 * file), or a sweep {"base": "s.json", "sweep": {"sharing.key": […],
 * "pv_scale": […]}}: the cartesian product of the values, the first key
 * varying slowest, run i named "<base name>-<i + 1>" with its parameters
 * recorded as a flat {path: value} object.
 *
 * Why: a researcher compares hundreds of variants of one community; a
 * study of twelve scenarios used to need a script writing twelve
 * near-identical files. A sweep's path is any key of the scenario file
 * (an object member, created if the base lacks it, or an array element
 * "participants[3].vat"); each run's scenario is the base's tree with the
 * run's values put in, checked by the scenario loader like any file, so
 * messages read alike ("s.json: $.sharing.key: …"). The batch file is
 * checked whole before any runs (every bad entry reported).
 *
 * Memory: one tree of the base, whatever the number of runs; a run's
 * scenario is made when asked for (cab_batch_scenario) and freed by the
 * caller. The fingerprint (SHA-256 of the batch file and every scenario
 * file it names) tells a restarted batch whether its results file holds
 * this batch.
 *
 * Ownership: cab_batch_load() returns a batch the caller frees with
 * cab_batch_free(); paths, axes and trees belong to it.
 */
#include "cabine/scenario.h"

#include <ctype.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/scenario/batch_sample.h"
#include "engine/scenario/json.h"

#define MAX_RUNS 10000000 /* runs of one sweep */
#define MAX_SEGS 16	  /* steps of a sweep path */

/* One step of a sweep path: a member name or an array index. */
struct seg {
	char *key;    /* member, or NULL for an index */
	size_t index; /* array element */
};

/* The private part of a batch: its trees and parsed paths. */
struct batch_json {
	cJSON *root;	      /* the batch file */
	cJSON *base;	      /* sweep: the base scenario's tree */
	const cJSON **values; /* per axis: its array of values in root */
	size_t *n_segs;	      /* per axis: steps of its path */
	struct seg (*segs)[MAX_SEGS];
};

void cab_batch_free(struct cab_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; b->scenarios && i < b->n; i++)
		free(b->scenarios[i]);
	free(b->scenarios);
	struct batch_json *j = b->json;
	for (size_t a = 0; a < b->n_axes; a++) {
		free(b->axes[a].path);
		free(b->axes[a].scale);
		free(b->axes[a].sample_n);
		free(b->axes[a].sample_seed);
		for (size_t s = 0; j && j->n_segs && s < j->n_segs[a]; s++)
			free(j->segs[a][s].key);
	}
	free(b->axes);
	if (j) {
		cJSON_Delete(j->root);
		cJSON_Delete(j->base);
		free(j->values);
		free(j->n_segs);
		free(j->segs);
		free(j);
	}
	free(b->base);
	free(b->base_name);
	free(b->path);
	free(b);
}

/* Parse "a.b[2].c" (an optional leading "$." allowed) into segs; false
 * if it is not a path. */
static bool parse_path(const char *p, struct seg *segs, size_t *n)
{
	*n = 0;
	if (!strncmp(p, "$.", 2))
		p += 2;
	while (*p) {
		if (*n == MAX_SEGS)
			return false;
		struct seg *s = &segs[(*n)++];
		*s = (struct seg){0};
		if (*p == '[') {
			char *end;
			if (!isdigit((unsigned char)p[1]))
				return false;
			s->index = strtoul(p + 1, &end, 10);
			if (*end != ']')
				return false;
			p = end + 1;
		} else {
			size_t len = strcspn(p, ".[");
			if (len == 0 || !(s->key = strndup(p, len)))
				return false;
			p += len;
		}
		if (*p == '.' && p[1] && p[1] != '.' && p[1] != '[')
			p++;
		else if (*p && *p != '[')
			return false;
	}
	return *n > 0;
}

/* The parent of the path's last step in tree (NULL if a step is missing
 * or of the wrong type); *why says which. */
static cJSON *walk(cJSON *tree, const struct seg *segs, size_t n,
		   const char **why)
{
	cJSON *at = tree;
	*why = NULL;
	for (size_t s = 0; s < n; s++) {
		bool is_last = s + 1 == n;
		if (segs[s].key && !cJSON_IsObject(at)) {
			*why = "is not an object";
			return NULL;
		}
		if (!segs[s].key && !cJSON_IsArray(at)) {
			*why = "is not an array";
			return NULL;
		}
		if (is_last) {
			if (!segs[s].key &&
			    segs[s].index >= (size_t)cJSON_GetArraySize(at)) {
				*why = "has no such element";
				return NULL;
			}
			return at;
		}
		at = segs[s].key
			 ? cJSON_GetObjectItemCaseSensitive(at, segs[s].key)
			 : cJSON_GetArrayItem(at, (int)segs[s].index);
		if (!at) {
			*why = "does not exist";
			return NULL;
		}
	}
	return NULL;
}

/* Put a copy of v at the path in tree (checked by walk at load). */
static bool assign(cJSON *tree, const struct seg *segs, size_t n,
		   const cJSON *v)
{
	const char *why;
	cJSON *parent = walk(tree, segs, n, &why);
	cJSON *copy = cJSON_Duplicate(v, 1);
	if (!parent || !copy) {
		cJSON_Delete(copy);
		return false;
	}
	const struct seg *last = &segs[n - 1];
	if (!last->key)
		return cJSON_ReplaceItemInArray(parent, (int)last->index, copy);
	if (cJSON_GetObjectItemCaseSensitive(parent, last->key))
		return cJSON_ReplaceItemInObjectCaseSensitive(parent, last->key,
							      copy);
	return cJSON_AddItemToObject(parent, last->key, copy);
}

/* Hash the file at path into h (its name when it cannot be read: the
 * run that needs it reports that). */
static void hash_file(struct sha256_ctx *h, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	if (cab_slurp(path, &buf, &len, NULL) == CAB_OK)
		sha256_update(h, len, (const uint8_t *)buf);
	else
		sha256_update(h, strlen(path), (const uint8_t *)path);
	sha256_update(h, 1, (const uint8_t *)"");
	free(buf);
}

/* A list: every entry a file name. */
static void load_list(struct cab_json_ctx *c, struct cab_batch *b,
		      const cJSON *list)
{
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		cab_json_fail(
		    c, "$.scenarios",
		    _("expected a non-empty array of scenario files"));
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
	b->scenarios = calloc(n, sizeof *b->scenarios);
	if (!b->scenarios) {
		c->is_oom = true;
		return;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, list)
	{
		char where[64];
		snprintf(where, sizeof where, "$.scenarios[%zu]", i++);
		if (!cJSON_IsString(it) || !it->valuestring[0])
			cab_json_fail(c, where,
				      _("expected a scenario file name"));
		else
			b->scenarios[b->n++] =
			    cab_json_resolve(c, it->valuestring);
	}
}

/* participants_sample: each value n, or {"n": n, "seed": s} (seed 1 by
 * default), with 1 ≤ n ≤ the base's participants. */
static void load_sample(struct cab_json_ctx *c, struct cab_batch_axis *ax,
			const struct batch_json *j, const cJSON *it,
			const char *where)
{
	ax->is_sample = true;
	ax->sample_n = cab_json_zalloc(c, ax->n_values, sizeof *ax->sample_n);
	ax->sample_seed =
	    cab_json_zalloc(c, ax->n_values, sizeof *ax->sample_seed);
	const cJSON *parts =
	    j->base ? cJSON_GetObjectItemCaseSensitive(j->base, "participants")
		    : NULL;
	long total = cJSON_IsArray(parts) ? cJSON_GetArraySize(parts) : 0;
	size_t k = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, it)
	{
		char at[CAB_JSON_PATH_CAP];
		cab_json_path_index(at, where, k);
		const cJSON *nv = v, *sv = NULL;
		if (cJSON_IsObject(v)) {
			static const char *const keys[] = {"n", "seed", NULL};
			cab_json_check_keys(c, v, at, keys);
			nv = cJSON_GetObjectItemCaseSensitive(v, "n");
			sv = cJSON_GetObjectItemCaseSensitive(v, "seed");
		}
		double n = nv && cJSON_IsNumber(nv) ? nv->valuedouble : -1;
		double seed = sv && cJSON_IsNumber(sv) ? sv->valuedouble : 1;
		if (!(n >= 1 && n <= 1e9) || n != (double)(long)n ||
		    (j->base && n > (double)total))
			cab_json_fail(
			    c, at,
			    _("expected a number of participants from "
			      "1 to %ld (the base's), or {\"n\": n, "
			      "\"seed\": s}"),
			    total);
		else if ((sv && !cJSON_IsNumber(sv)) || !(seed >= 0) ||
			 seed > 9e15 || seed != (double)(int64_t)seed)
			cab_json_fail(c, at, _("expected a whole seed ≥ 0"));
		else if (ax->sample_n && ax->sample_seed) {
			ax->sample_n[k] = (size_t)n;
			ax->sample_seed[k] = (uint64_t)seed;
		}
		k++;
	}
}

/* One sweep key: its path checked against the base, its values. */
static void load_axis(struct cab_json_ctx *c, struct cab_batch *b,
		      struct batch_json *j, const cJSON *it, size_t a)
{
	struct cab_batch_axis *ax = &b->axes[a];
	char where[CAB_JSON_PATH_CAP];
	cab_json_path_key(where, "$.sweep", it->string);
	ax->path = cab_json_dup(c, it->string);
	ax->is_pv_scale = !strcmp(it->string, "pv_scale");
	j->values[a] = it;
	if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) == 0) {
		cab_json_fail(c, where,
			      _("expected a non-empty array of values"));
		return;
	}
	ax->n_values = (size_t)cJSON_GetArraySize(it);
	if (ax->is_pv_scale) {
		ax->scale = cab_json_zalloc(c, ax->n_values, sizeof *ax->scale);
		size_t k = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, it)
		{
			char at[CAB_JSON_PATH_CAP];
			cab_json_path_index(at, where, k);
			double x = 1;
			cab_json_num_value(c, v, at, "", "pv_scale",
					   CAB_RANGE_NONNEG, &x);
			if (ax->scale)
				ax->scale[k] = x;
			k++;
		}
		return;
	}
	if (!strcmp(it->string, "participants_sample")) {
		load_sample(c, ax, j, it, where);
		return;
	}
	if (!parse_path(it->string, j->segs[a], &j->n_segs[a])) {
		cab_json_fail(
		    c, where,
		    _("expected a path into the scenario such as "
		      "\"sharing.key\" or \"participants[0].vat\", or "
		      "\"pv_scale\""));
		return;
	}
	if (j->n_segs[a] == 1 && j->segs[a][0].key &&
	    !strcmp(j->segs[a][0].key, "name")) {
		cab_json_fail(c, where,
			      _("a run's name is '<base name>-<n>' (expected a "
				"key other than \"name\")"));
		return;
	}
	const char *why = NULL;
	if (j->base && !walk(j->base, j->segs[a], j->n_segs[a], &why)) {
		/* Say which prefix of the path fails. */
		size_t s = 0;
		for (; s < j->n_segs[a]; s++)
			if (!walk(j->base, j->segs[a], s + 1, &why))
				break;
		/* An element out of range is named itself. */
		size_t upto = s;
		if (!strcmp(why, "has no such element")) {
			upto = s + 1;
			why = "does not exist";
		}
		char prefix[CAB_JSON_PATH_CAP] = "$";
		for (size_t k = 0; k < upto && k < j->n_segs[a]; k++) {
			char next[CAB_JSON_PATH_CAP];
			if (j->segs[a][k].key)
				cab_json_path_key(next, prefix,
						  j->segs[a][k].key);
			else
				cab_json_path_index(next, prefix,
						    j->segs[a][k].index);
			memcpy(prefix, next, sizeof prefix);
		}
		/* One sentence per case, for the translators. */
		const char *fmt =
		    !strcmp(why, "is not an object")
			? _("%s of %s is not an object (expected a path into "
			    "the base scenario)")
		    : !strcmp(why, "is not an array")
			? _("%s of %s is not an array (expected a path into "
			    "the base scenario)")
			: _("%s of %s does not exist (expected a path into "
			    "the base scenario)");
		cab_json_fail(c, where, fmt, prefix, b->base);
	}
}

/* A sweep: the base scenario's tree and every key of the sweep. */
static void load_sweep(struct cab_json_ctx *c, struct cab_batch *b,
		       struct batch_json *j, const cJSON *base,
		       const cJSON *sweep)
{
	const char *rel = cab_json_str_value(c, base, "$.base");
	if (rel)
		b->base = cab_json_resolve(c, rel);
	if (b->base) {
		char *buf = NULL;
		size_t len = 0;
		if (cab_slurp(b->base, &buf, &len, NULL) != CAB_OK) {
			cab_json_fail(c, "$.base",
				      _("cannot read %s (expected the base "
					"scenario file, relative to the batch "
					"file)"),
				      cab_json_quote(c, rel));
		} else {
			j->base = cJSON_ParseWithLength(buf, len);
			if (!j->base) {
				/* The loader says where. */
				struct cab_scenario *sc = NULL;
				cab_scenario_parse(b->base, buf, len, &sc,
						   c->err);
				cab_scenario_free(sc);
				c->n_errors++;
			} else if (!cJSON_IsObject(j->base)) {
				cab_json_fail(
				    c, "$.base",
				    _("%s is not a scenario (expected "
				      "an object)"),
				    b->base);
				cJSON_Delete(j->base);
				j->base = NULL;
			}
		}
		free(buf);
	}
	const cJSON *nm =
	    j->base ? cJSON_GetObjectItemCaseSensitive(j->base, "name") : NULL;
	if (j->base && (!cJSON_IsString(nm) || !nm->valuestring[0]))
		cab_json_fail(
		    c, "$.base",
		    _("%s has no \"name\" (expected the name its runs "
		      "are named after)"),
		    b->base);
	else if (j->base)
		b->base_name = cab_json_dup(c, nm->valuestring);
	if (!cJSON_IsObject(sweep) || !sweep->child) {
		cab_json_fail(c, "$.sweep",
			      _("expected an object of keys to sweep, e.g. "
				"{\"sharing.key\": [\"fixed\", \"hybrid\"]}"));
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(sweep);
	b->axes = cab_json_zalloc(c, n, sizeof *b->axes);
	j->values = cab_json_zalloc(c, n, sizeof *j->values);
	j->n_segs = cab_json_zalloc(c, n, sizeof *j->n_segs);
	j->segs = cab_json_zalloc(c, n, sizeof *j->segs);
	if (!b->axes || !j->values || !j->n_segs || !j->segs)
		return;
	const cJSON *it;
	cJSON_ArrayForEach(it, sweep) load_axis(c, b, j, it, b->n_axes++);
	size_t runs = 1;
	for (size_t a = 0; a < b->n_axes; a++) {
		if (b->axes[a].n_values &&
		    runs > MAX_RUNS / b->axes[a].n_values) {
			cab_json_fail(c, "$.sweep",
				      _("more than %d runs (expected a smaller "
					"sweep, or several batches)"),
				      MAX_RUNS);
			return;
		}
		runs *= b->axes[a].n_values;
	}
	b->n = runs;
}

enum cab_status cab_batch_load(const char *path, struct cab_batch **out,
			       struct cab_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st == CAB_OK)
		st = cab_batch_parse(path, buf, len, out, err);
	free(buf);
	return st;
}

enum cab_status cab_batch_parse(const char *path, const char *text, size_t len,
				struct cab_batch **out, struct cab_err *err)
{
	*out = NULL;
	char *dir = NULL;
	/* A NUL sentinel inside the parsed length, as for a scenario. */
	char *buf = malloc(len + 1);
	if (!buf)
		return cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"),
				   path);
	memcpy(buf, text, len);
	buf[len] = '\0';
	enum cab_status st = CAB_OK;
	struct cab_batch *b = calloc(1, sizeof *b);
	struct batch_json *j = calloc(1, sizeof *j);
	if (b)
		b->json = j;
	if (!b || !j || !(b->path = strdup(path)) ||
	    !(dir = cab_json_dir_of(path))) {
		if (!b)
			free(j);
		st = cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"), path);
		goto done;
	}
	/* Paths in the file are relative to its folder. */
	struct cab_json_ctx c = {.file = path, .dir = dir, .err = err};
	const char *end = NULL;
	j->root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
	if (!j->root) {
		cab_json_syntax_error(&c, buf, len,
				      end ? (size_t)(end - buf) : 0, "");
		st = CAB_EINPUT;
		goto done;
	}
	static const char *const batch_keys[] = {"scenarios", "base", "sweep",
						 NULL};
	cab_json_check_keys(&c, j->root, "$", batch_keys);
	const cJSON *list =
	    cJSON_GetObjectItemCaseSensitive(j->root, "scenarios");
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(j->root, "base");
	const cJSON *sweep = cJSON_GetObjectItemCaseSensitive(j->root, "sweep");
	if (list && (base || sweep))
		cab_json_fail(&c, "$",
			      _("expected either \"scenarios\" (a list) or "
				"\"base\" and \"sweep\", not both"));
	else if (list || !(base || sweep))
		load_list(&c, b, list);
	else if (!base || !sweep)
		cab_json_fail(&c, "$",
			      _("a sweep needs both \"base\" (the scenario "
				"file) and \"sweep\" (the keys and their "
				"values)"));
	else
		load_sweep(&c, b, j, base, sweep);
	if (c.is_oom)
		st = cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"), path);
	else if (c.n_errors)
		st = CAB_EINPUT;
	if (st == CAB_OK) {
		struct sha256_ctx h;
		uint8_t d[SHA256_DIGEST_SIZE];
		sha256_init(&h);
		sha256_update(&h, len, (const uint8_t *)buf);
		if (b->base)
			hash_file(&h, b->base);
		for (size_t i = 0; b->scenarios && i < b->n; i++)
			hash_file(&h, b->scenarios[i]);
		sha256_digest(&h, sizeof d, d);
		for (size_t i = 0; i < sizeof d; i++)
			snprintf(b->fingerprint + 2 * i, 3, "%02x", d[i]);
	}
done:
	free(buf);
	free(dir);
	if (st != CAB_OK) {
		cab_batch_free(b);
		return st;
	}
	*out = b;
	return CAB_OK;
}

/* The value index of axis a in run i: mixed radix, the last axis
 * fastest. */
static size_t value_of(const struct cab_batch *b, size_t i, size_t a)
{
	for (size_t k = b->n_axes; k-- > a + 1;)
		i /= b->axes[k].n_values;
	return i % b->axes[a].n_values;
}

void cab_batch_run_name(const struct cab_batch *b, size_t i, char *buf,
			size_t size)
{
	if (b->scenarios)
		snprintf(buf, size, "%s", b->scenarios[i]);
	else
		snprintf(buf, size, "%s-%zu", b->base_name, i + 1);
}

char *cab_batch_params_json(const struct cab_batch *b, size_t i)
{
	const struct batch_json *j = b->json;
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	for (size_t a = 0; ok && a < b->n_axes; a++) {
		const cJSON *v =
		    cJSON_GetArrayItem(j->values[a], (int)value_of(b, i, a));
		cJSON *copy = cJSON_Duplicate(v, 1);
		ok = copy && cJSON_AddItemToObject(o, b->axes[a].path, copy);
		if (!ok)
			cJSON_Delete(copy);
	}
	char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return s;
}

enum cab_status cab_batch_scenario(const struct cab_batch *b, size_t i,
				   struct cab_scenario **out, double *pv_scale,
				   struct cab_err *err)
{
	*out = NULL;
	*pv_scale = 1;
	if (b->scenarios)
		return cab_scenario_load(b->scenarios[i], out, err);
	const struct batch_json *j = b->json;
	cJSON *tree = cJSON_Duplicate(j->base, 1);
	char name[512];
	cab_batch_run_name(b, i, name, sizeof name);
	bool ok = tree != NULL;
	for (size_t a = 0; ok && a < b->n_axes; a++) {
		size_t k = value_of(b, i, a);
		if (b->axes[a].is_pv_scale)
			*pv_scale = b->axes[a].scale[k];
		else if (b->axes[a].is_sample)
			continue; /* below, once every value is in */
		else
			ok = assign(tree, j->segs[a], j->n_segs[a],
				    cJSON_GetArrayItem(j->values[a], (int)k));
	}
	for (size_t a = 0; ok && a < b->n_axes; a++)
		if (b->axes[a].is_sample) {
			size_t k = value_of(b, i, a);
			ok = cab_batch_sample(tree, b->axes[a].sample_n[k],
					      b->axes[a].sample_seed[k]);
		}
	cJSON *nm = ok ? cJSON_CreateString(name) : NULL;
	ok = nm && cJSON_ReplaceItemInObjectCaseSensitive(tree, "name", nm);
	if (!ok && nm)
		cJSON_Delete(nm);
	char *text = ok ? cJSON_PrintUnformatted(tree) : NULL;
	cJSON_Delete(tree);
	if (!text)
		return cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"),
				   b->base);
	enum cab_status st =
	    cab_scenario_parse(b->base, text, strlen(text), out, err);
	cJSON_free(text);
	return st;
}
