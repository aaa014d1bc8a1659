/*
 * gridfee.c — the grid fee of a month as the operator's monthly file
 * states it (SPEC §8 sibelga.xlsx, §13 reconcile.csv's gridfee_eur): the
 * bill's network lines (complementary volume at the normal rate, shared
 * volume at the rate of its locality type; no fixed term, no VAT) on each
 * register's volumes, rounded per register as the bill rounds a line.
 *
 * Why here: the tariff rule is cab_bill_compute()'s (bill.c); the writers
 * of sibelga.xlsx and the reconciliation call these two functions rather
 * than re-derive the fee, so simulated and operator fees are computed
 * the same way.
 *
 * Workload: one cab_bill_compute() per register and month.
 */
#include <string.h>

#include "engine/billing/bill.h"

int cab_bill_registers(const struct cab_volumes *m, bool has_night,
		       struct cab_register out[2])
{
	memset(out, 0, 2 * sizeof(*out));
	if (!has_night) {
		out[0].name = "TH";
		out[0].v.shared_kwh = m->shared_kwh;
		out[0].v.complementary_kwh = m->complementary_kwh;
		out[0].v.given_kwh = m->given_kwh;
		return 1;
	}
	out[0].name = "HI";
	out[0].v.shared_kwh = m->shared_day_kwh;
	out[0].v.complementary_kwh = m->complementary_day_kwh;
	out[0].v.given_kwh = m->given_day_kwh;
	out[1].name = "LOW";
	out[1].v.shared_kwh = m->shared_kwh - m->shared_day_kwh;
	out[1].v.complementary_kwh =
	    m->complementary_kwh - m->complementary_day_kwh;
	out[1].v.given_kwh = m->given_kwh - m->given_day_kwh;
	return 2;
}

int64_t cab_bill_gridfee_cents(const struct cab_scenario *sc,
			       const struct cab_participant *pa,
			       const struct cab_volumes *v, char locality,
			       const struct cab_sharing *sh)
{
	struct cab_bill bill;
	cab_bill_compute(sc, pa, v, false, locality, sh, &bill);
	int64_t cents = 0;
	for (size_t k = 0; k < bill.n_lines; k++)
		if (strcmp(bill.lines[k].name, "network") == 0 ||
		    strcmp(bill.lines[k].name, "network_shared") == 0)
			cents += bill.lines[k].amount_cents;
	return cents;
}
