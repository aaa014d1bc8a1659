/*
 * slurp.h — read a whole small or medium file into memory (internal to
 * engine/).
 *
 * Why: the scenario, batch files and power-sample readings are parsed
 * from one buffer; one reader keeps their messages and error handling the
 * same ("cannot open", "cannot read", "out of memory").
 *
 * Ownership: on success *out is a heap buffer of *len bytes plus a NUL
 * (so text parsers may rely on it), freed by the caller.
 */
#ifndef CABINE_SLURP_H
#define CABINE_SLURP_H

#include <stddef.h>

#include "cabine/err.h"

/* Fails with CAB_EINPUT (cannot open, a folder), CAB_EIO (read error) or
 * CAB_ENOMEM, each message starting with the path. */
enum cab_status cab_slurp(const char *path, char **out, size_t *len,
			  struct cab_err *err);

#endif
