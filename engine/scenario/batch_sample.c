/*
 * batch_sample.c — sub-communities for a batch's sweep key
 * "participants_sample" (docs/batch.md): n participants of the base drawn
 * with a seed, every reference to the others removed.
 *
 * Why: a researcher asks how a key behaves in a community of 10, 20 or
 * 40 households drawn from a real one; the same n and seed must draw the
 * same households in every run (so that keys and prices are compared on
 * one sub-community), and a draw must not depend on the platform: a
 * splitmix64 generator and a partial Fisher–Yates shuffle over the
 * participants' positions, the kept ones then put back in file order.
 *
 * Workload: a tree of up to thousands of participants per run; the
 * pruning is linear in the references times the kept participants.
 */
#include "engine/scenario/batch_sample.h"

#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Is id one of the kept ids? */
static bool is_kept(const char *const *kept, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (!strcmp(kept[i], id))
			return true;
	return false;
}

/* Remove the members of obj named after a participant not kept (keys
 * in `except` stay: "protected" in bounds). */
static void prune_object(cJSON *obj, const char *const *kept, size_t n,
			 const char *except)
{
	if (!cJSON_IsObject(obj))
		return;
	for (cJSON *m = obj->child; m;) {
		cJSON *next = m->next;
		if (!(except && !strcmp(m->string, except)) &&
		    !is_kept(kept, n, m->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, m));
		m = next;
	}
}

/* Remove the ids not kept from an array of ids; true if it is left
 * empty. */
static bool prune_ids(cJSON *arr, const char *const *kept, size_t n)
{
	if (!cJSON_IsArray(arr))
		return false;
	for (cJSON *m = arr->child; m;) {
		cJSON *next = m->next;
		if (cJSON_IsString(m) && !is_kept(kept, n, m->valuestring))
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, m));
		m = next;
	}
	return arr->child == NULL;
}

/* sharing.weights and sharing.groups (its empty groups dropped). */
static void prune_sharing(cJSON *sh, const char *const *kept, size_t n)
{
	if (!cJSON_IsObject(sh))
		return;
	prune_object(cJSON_GetObjectItemCaseSensitive(sh, "weights"), kept, n,
		     NULL);
	cJSON *groups = cJSON_GetObjectItemCaseSensitive(sh, "groups");
	if (!cJSON_IsArray(groups))
		return;
	for (cJSON *g = groups->child; g;) {
		cJSON *next = g->next;
		if (prune_ids(g, kept, n))
			cJSON_Delete(cJSON_DetachItemViaPointer(groups, g));
		g = next;
	}
}

static void prune_billing(cJSON *bi, const char *const *kept, size_t n)
{
	if (cJSON_IsObject(bi))
		prune_object(cJSON_GetObjectItemCaseSensitive(bi, "bounds"),
			     kept, n, "protected");
}

bool cab_batch_sample(cJSON *sc, size_t n, uint64_t seed)
{
	cJSON *parts = cJSON_GetObjectItemCaseSensitive(sc, "participants");
	size_t total = (size_t)cJSON_GetArraySize(parts);
	if (n >= total)
		return true;
	size_t *pos = malloc(total * sizeof *pos);
	bool *keep = calloc(total, sizeof *keep);
	const char **kept = calloc(n ? n : 1, sizeof *kept);
	bool ok = pos && keep && kept;
	for (size_t i = 0; ok && i < total; i++)
		pos[i] = i;
	uint64_t s = seed;
	for (size_t i = 0; ok && i < n; i++) {
		size_t j = i + (size_t)(splitmix64(&s) % (total - i));
		size_t t = pos[i];
		pos[i] = pos[j];
		pos[j] = t;
		keep[pos[i]] = true;
	}
	size_t k = 0, i = 0;
	for (cJSON *p = ok ? parts->child : NULL; p; i++) {
		cJSON *next = p->next;
		if (keep[i]) {
			const cJSON *id =
			    cJSON_GetObjectItemCaseSensitive(p, "id");
			kept[k++] = cJSON_IsString(id) ? id->valuestring : "";
		} else {
			/* The kept ids point into the tree: delete only the
			 * others. */
			cJSON_Delete(cJSON_DetachItemViaPointer(parts, p));
		}
		p = next;
	}
	if (ok) {
		prune_sharing(cJSON_GetObjectItemCaseSensitive(sc, "sharing"),
			      kept, k);
		prune_billing(cJSON_GetObjectItemCaseSensitive(sc, "billing"),
			      kept, k);
		cJSON *groups = cJSON_GetObjectItemCaseSensitive(sc, "groups");
		for (cJSON *g = cJSON_IsObject(groups) ? groups->child : NULL;
		     g;) {
			cJSON *next = g->next;
			if (prune_ids(g, kept, k))
				cJSON_Delete(
				    cJSON_DetachItemViaPointer(groups, g));
			g = next;
		}
		cJSON *variants =
		    cJSON_GetObjectItemCaseSensitive(sc, "compare");
		for (cJSON *v = cJSON_IsArray(variants) ? variants->child
							: NULL;
		     v; v = v->next) {
			prune_sharing(
			    cJSON_GetObjectItemCaseSensitive(v, "sharing"),
			    kept, k);
			prune_billing(
			    cJSON_GetObjectItemCaseSensitive(v, "billing"),
			    kept, k);
		}
	}
	free(pos);
	free(keep);
	free(kept);
	return ok;
}
