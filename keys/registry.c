/*
 * registry.c — the list of sharing keys. Adding a key: write keys/<name>.c
 * with its `const struct cab_key_ops`, declare it in keys/keys.h, list it
 * here. "optimal" (SPEC §4, keys/optimal.c) is the only GLPK user.
 */
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
