/*
 * bill.h — internal: the invoice lines of SPEC §5 for one participant.
 * One function computes every bill (shared and baseline) so that a tariff
 * rule is written once.
 */
#ifndef CABINE_ENGINE_BILL_H
#define CABINE_ENGINE_BILL_H

#include <stdbool.h>

#include "cabine/run.h"
#include "cabine/scenario.h"

/* Fraction of a year billed for fixed yearly terms over the scenario's
 * period: Σ over calendar years of (days of the period in that year /
 * days in that year). */
double cab_bill_year_fraction(const struct cab_scenario *sc);

/* Compute the bill of participant `pa` from its period volumes `v`.
 * is_baseline: bill it alone (no shared energy, all surplus injected).
 * locality: 'A'..'D', the type of its shared energy. Cannot fail. */
void cab_bill_compute(const struct cab_scenario *sc,
		      const struct cab_participant *pa,
		      const struct cab_volumes *v, bool is_baseline,
		      char locality, const struct cab_sharing *sh,
		      struct cab_bill *out);

#endif
