/*
 * fuzz_appliances.c — fuzz target for the table reader of the appliance
 * inventory (engine/scenario/table.c): any bytes as a CSV.
 *
 * Afterwards: a failure has exactly one message and the status bad
 * input, a success none; rows are numbered in increasing order from 1;
 * every cell text is NUL-terminated and the last cell of a row is not
 * empty; at least one cell of every row has a value. A violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/scenario/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_sheet *t = NULL;
	enum cab_status st =
	    cab_table_parse_csv("f.csv", (const char *)data, size, &t, &err);
	if (st != CAB_ENOMEM &&
	    (st == CAB_OK ? err.count != 0 || !t
			  : st != CAB_EINPUT || err.count != 1 || t))
		abort();
	unsigned long prev = 0;
	for (size_t i = 0; t && i < t->n_rows; i++) {
		const struct cab_sheet_row *r = &t->row[i];
		if (r->number <= prev || r->n_cells == 0 ||
		    !r->cell[r->n_cells - 1].text)
			abort();
		prev = r->number;
		for (size_t j = 0; j < r->n_cells; j++)
			if (r->cell[j].text && strlen(r->cell[j].text) > size)
				abort();
	}
	cab_sheet_free(t);
	cab_err_release(&err);
	return 0;
}
