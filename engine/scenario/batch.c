/*
 * batch.c — batch files of `cabine batch` (docs/batch.md):
 * {"scenarios": ["a/scenario.json", …]}, paths relative to the file.
 *
 * Why: a researcher runs hundreds of scenarios at once; the list is
 * checked whole before any runs (every bad entry reported), and read with
 * the scenario loader's JSON toolkit so messages read alike.
 *
 * Ownership: cab_batch_load() returns a batch the caller frees with
 * cab_batch_free(); the resolved paths belong to it.
 */
#include "cabine/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/slurp.h"
#include "engine/scenario/json.h"

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
	char *buf = NULL, *dir = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st != CAB_OK)
		return st;
	struct cab_batch *b = calloc(1, sizeof *b);
	if (!b) {
		free(buf);
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
	}
	b->path = strdup(path);
	dir = cab_json_dir_of(path);
	/* Paths in the file are relative to its folder. */
	struct cab_json_ctx c = {.file = path, .dir = dir, .err = err};
	if (!b->path || !dir) {
		st = cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
	if (!root) {
		cab_json_syntax_error(&c, buf, len,
				      end ? (size_t)(end - buf) : 0, "");
		st = CAB_EINPUT;
		goto done;
	}
	cab_json_check_nul(&c, buf, len, root);
	static const char *const batch_keys[] = {"scenarios", NULL};
	cab_json_check_keys(&c, root, "$", batch_keys);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "scenarios");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		cab_json_fail(&c, "$.scenarios",
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
				cab_json_fail(&c, where,
					      "expected a scenario file name");
			else if (b->scenarios)
				b->scenarios[b->n++] =
				    cab_json_resolve(&c, it->valuestring);
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
	free(dir);
	if (st != CAB_OK) {
		cab_batch_free(b);
		return st;
	}
	*out = b;
	return CAB_OK;
}
