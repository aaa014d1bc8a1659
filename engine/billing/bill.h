/*
 * bill.h — internal: the invoice lines of SPEC §5 for one participant.
 * One function computes every bill (shared, baseline, and the cabin
 * meter's bill of a pot) so that a tariff rule is written once. It reads
 * the sharing's volumes (cabine/sharing.h) and writes the bill types of
 * cabine/bill.h; it knows nothing of the run.
 */
#ifndef CABINE_ENGINE_BILL_H
#define CABINE_ENGINE_BILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/bill.h"
#include "cabine/err.h"
#include "cabine/scenario.h"
#include "cabine/sharing.h"

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

/* The invoice of a pot member: one line "pot_share" of share_cents.
 * Cannot fail. */
void cab_bill_pot_share(int64_t share_cents, struct cab_bill *out);

/* gridfee.c: the grid fee of the operator's monthly file. */

/* One register of a month: its name and volumes. */
struct cab_register {
	const char *name;     /* "TH", "HI" or "LOW" */
	struct cab_volumes v; /* shared, complementary, given */
};
/* The registers of month volumes m: TH alone, or HI (the day period) and
 * LOW (the rest) when the tariff has a night price; returns how many. */
int cab_bill_registers(const struct cab_volumes *m, bool has_night,
		       struct cab_register out[2]);
/* The network lines ("network", "network_shared") of pa's bill on
 * volumes v, in cents excluding VAT, billed as a member (SPEC §5).
 * Cannot fail. */
int64_t cab_bill_gridfee_cents(const struct cab_scenario *sc,
			       const struct cab_participant *pa,
			       const struct cab_volumes *v, char locality,
			       const struct cab_sharing *sh);
/* "1234.50" from cents (for messages: the engine does not use reports);
 * buf holds ≥ 32 bytes. */
void cab_bill_fmt_eur(int64_t cents, char *buf, size_t size);

/* CAB_OK when every line of b and its total are within ±CAB_CENTS_MAX
 * (cabine/bill.h); else CAB_EINPUT with one line in err, "file: who: line
 * 'supplier' is 12345678901234.56 EUR, beyond what cabine counts (…)",
 * who naming the participant or the cabin ("participant 'h01'"). */
enum cab_status cab_bill_check(const char *file, const char *who,
			       const struct cab_bill *b, struct cab_err *err);

/* The message of a sum of cents that went beyond ±CAB_CENTS_MAX: "file:
 * what reach more than 10000000000000.00 EUR at who (…)"; returns
 * CAB_EINPUT. */
enum cab_status cab_bill_sum_error(const char *file, const char *what,
				   const char *who, struct cab_err *err);

#endif
