/*
 * registry.c — the list of sharing keys. Adding a key: write keys/<name>.c
 * with its `const struct cab_key_ops` (can_serve_group true if a priority
 * group may use it inside), declare it in keys/keys.h, list it here.
 * Everything else asks the registry: the pools find a key by name, the
 * messages list the names from here. "optimal" (SPEC §4, keys/optimal.c)
 * is the only GLPK user.
 */
#include <stdio.h>
#include <string.h>

#include "cabine/key.h"
#include "keys/keys.h"

static const struct cab_key_ops *const registry[] = {
    &cab_key_fixed,    &cab_key_proportional, &cab_key_hybrid,
    &cab_key_priority, &cab_key_optimal,      NULL,
};

const struct cab_key_ops *const *cab_key_all(void)
{
	return registry;
}

const struct cab_key_ops *cab_key_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; registry[i]; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

void cab_key_names(bool is_group_only, char *buf, size_t size)
{
	size_t n = 0, len = 0;
	if (size == 0)
		return;
	buf[0] = 0;
	for (size_t i = 0; registry[i]; i++)
		n += !is_group_only || registry[i]->can_serve_group;
	for (size_t i = 0, k = 0; registry[i] && len < size; i++) {
		if (is_group_only && !registry[i]->can_serve_group)
			continue;
		const char *sep = k == 0 ? "" : k + 1 == n ? " or " : ", ";
		int w = snprintf(buf + len, size - len, "%s%s", sep,
				 registry[i]->name);
		len += w > 0 ? (size_t)w : 0;
		k++;
	}
}
