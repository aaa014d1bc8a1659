/*
 * import_month.h — internal to engine/store/: the operator's monthly rows
 * merged into the store by the import (import_month.c).
 */
#ifndef CABINE_IMPORT_MONTH_H
#define CABINE_IMPORT_MONTH_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/store.h"
#include "engine/ingest/ingest.h"

/* Merge set's rows (import_id set on each) into store, inside the
 * caller's transaction; counts rows into the three counters. Fails with
 * CAB_EINPUT (conflicts, listed; a register in two files) or what the
 * store says. */
enum cab_status cab_import_months(struct cab_store *store,
				  const struct cab_opmonth_set *set,
				  bool is_replacing, size_t *inserted,
				  size_t *unchanged, size_t *replaced,
				  struct cab_err *err);

#endif
