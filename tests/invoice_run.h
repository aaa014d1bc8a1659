/*
 * invoice_run.h — for tests of the invoice workbooks: load a scenario and
 * run it, with participant 0 named and addressed as in the golden
 * invoices (tests/golden/invoices/) when asked.
 *
 * Used by test_invoices.c (the goldens) and test_pack.c (the invoices
 * closed both ways). Everything is static: include it in one test file
 * of a binary. The caller frees the three results (also on failure).
 */
#ifndef CABINE_TEST_INVOICE_RUN_H
#define CABINE_TEST_INVOICE_RUN_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/run.h"
#include "cabine/scenario.h"
#include "cabine/source.h"

static bool invoice_run(const char *scenario, bool is_named,
			struct cab_scenario **sc, struct cab_readings **rd,
			struct cab_run **run, struct cab_err *err)
{
	*sc = NULL;
	*rd = NULL;
	*run = NULL;
	bool ok = cab_scenario_load(scenario, sc, err) == CAB_OK &&
		  cab_source_load(*sc, rd, err) == CAB_OK;
	if (ok && is_named) {
		(*sc)->participants[0].name = strdup("Élise Dupont");
		(*sc)->participants[0].address =
		    strdup("Rue du Tilleul 3, 1030 Schaerbeek");
	}
	return ok && cab_run_new(*sc, *rd, -1, run, err) == CAB_OK;
}

#endif
