/*
 * value.c — what one kWh of shared energy saves the member who receives
 * it, v_i(t) of SPEC §12, from the tariff (SPEC §5).
 *
 * Why once: fit-key maximises Σ v·a, the coupled optimum maximises it
 * under the assembly's constraints, and the fairness audit values every
 * coalition with it; all three must mean the same euro as the bill. The
 * bill of a member who receives a kWh instead of buying it loses the
 * supplier's and the network's price of a complementary kWh and gains
 * the sharing price and the network rate of the pool's locality type,
 * VAT on both; the taxes per kWh are paid either way. So
 *
 *     v = (supplier(t) + network − price_shared − network_shared[loc])
 *         · (1 + vat)
 *
 * tests/unit/test_fit.c checks it against cab_bill_compute (bill −
 * baseline = −Σ v·a − given·(price_shared − injection), to the cent).
 * Workload: called once per pool and interval (or member); pure.
 */
#include "cabine/scenario.h"
#include "cabine/sharing.h"

double cab_share_value_eur_kwh(const struct cab_tariff *tf,
			       const struct cab_sharing *sh, char locality,
			       bool is_day, double vat)
{
	double supplier =
	    is_day ? tf->supplier_day_eur_kwh : tf->supplier_night_eur_kwh;
	double shared_net = locality >= 'A' && locality <= 'D'
				? tf->network_shared_eur_kwh[locality - 'A']
				: tf->network_eur_kwh;
	return (supplier + tf->network_eur_kwh - sh->price_eur_kwh -
		shared_net) *
	       (1 + vat);
}
