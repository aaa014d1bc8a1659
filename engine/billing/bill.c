/*
 * bill.c — invoice lines (SPEC §5): quantity × unit price, each line
 * rounded to the cent half away from zero, then VAT on the charges.
 *
 * Choices the spec leaves open, documented in docs/bills.md:
 * - VAT applies to the charges (energy, network, taxes, fixed terms);
 *   the producer's credits (shared energy sold, injection) come after VAT,
 *   as a household producer is not liable for VAT on them;
 * - a line appears when its quantity or price is non-zero; "total" is
 *   added by the writers, not here.
 * Every amount goes through cab_round_cents() (cabine/bill.h).
 */
#include "engine/billing/bill.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

int64_t cab_round_cents(double eur)
{
	double v = eur * 100.0;
	if (isnan(v))
		return INT64_MAX;
	double a = fabs(v);
	/* 2^63 is exact in a double: at or beyond it, (int64_t) would be
	 * undefined. */
	if (a >= 9223372036854775808.0)
		return v < 0 ? INT64_MIN : INT64_MAX;
	double f = floor(a);
	/* Half away from zero; the tolerance absorbs binary noise such as
	 * 0.125 × 100 = 12.499999… so that "exact" halves round up. */
	if (a - f >= 0.5 - 1e-7)
		f += 1;
	if (f >= 9223372036854775808.0)
		return v < 0 ? INT64_MIN : INT64_MAX;
	return (int64_t)(v < 0 ? -f : f);
}

bool cab_cents_add(int64_t *sum, int64_t cents)
{
	int64_t r;
	if (cents > CAB_CENTS_MAX || cents < -CAB_CENTS_MAX ||
	    __builtin_add_overflow(*sum, cents, &r) || r > CAB_CENTS_MAX ||
	    r < -CAB_CENTS_MAX)
		return false;
	*sum = r;
	return true;
}

double cab_bill_year_fraction(const struct cab_scenario *sc)
{
	int64_t d0 =
	    cab_time_days_from_civil(sc->start_y, sc->start_m, sc->start_d);
	int64_t d1 = cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d);
	double f = 0;
	int y = sc->start_y;
	while (d0 < d1) {
		int64_t next = cab_time_days_from_civil(y + 1, 1, 1);
		int64_t stop = next < d1 ? next : d1;
		f += (double)(stop - d0) / cab_time_days_in_year(y);
		d0 = stop;
		y++;
	}
	return f;
}

static void add_line(struct cab_bill *b, const char *name, bool has_qty,
		     double qty_kwh, bool has_price, double price,
		     int64_t cents)
{
	if (b->n_lines >= CAB_BILL_MAX_LINES)
		return;
	struct cab_bill_line *l = &b->lines[b->n_lines++];
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->has_quantity = has_qty;
	l->quantity_kwh = qty_kwh;
	l->has_unit_price = has_price;
	l->unit_price_eur = price;
	l->amount_cents = cents;
	/* A line beyond the bounds saturates the total, which the run's
	 * check (cab_bill_check) then refuses; within them (docs/
	 * scenario.md) the sum cannot overflow: see the file's header. */
	if (__builtin_add_overflow(b->total_cents, cents, &b->total_cents))
		b->total_cents = cents < 0 ? INT64_MIN : INT64_MAX;
}

/* The days a yearly fixed term is billed for, as the invoice shows them
 * ("31/366 days"): only when the period lies in one calendar year. */
static void days_of(const struct cab_scenario *sc, struct cab_bill_line *l)
{
	int64_t d0 =
	    cab_time_days_from_civil(sc->start_y, sc->start_m, sc->start_d);
	int64_t d1 = cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d);
	int64_t next = cab_time_days_from_civil(sc->start_y + 1, 1, 1);
	if (d1 > next)
		return;
	l->days_billed = (int)(d1 - d0);
	l->days_in_year = cab_time_days_in_year(sc->start_y);
}

static void kwh_line(struct cab_bill *b, const char *name, double qty,
		     double price, double sign)
{
	if (qty <= 0)
		return;
	add_line(b, name, true, qty, true, price,
		 cab_round_cents(sign * qty * price));
}

void cab_bill_compute(const struct cab_scenario *sc,
		      const struct cab_participant *pa,
		      const struct cab_volumes *v, bool is_baseline,
		      char locality, const struct cab_sharing *sh,
		      struct cab_bill *out)
{
	const struct cab_tariff *tf = &sc->tariff;
	memset(out, 0, sizeof(*out));
	double shared = is_baseline ? 0 : v->shared_kwh;
	double compl = is_baseline ? v->demand_kwh : v->complementary_kwh;
	double compl_day =
	    is_baseline ? v->demand_day_kwh : v->complementary_day_kwh;
	double given = is_baseline ? 0 : v->given_kwh;
	double injected = is_baseline ? v->surplus_kwh : v->injected_kwh;
	if (compl_day > compl )
		compl_day = compl ;

	if (!is_baseline)
		kwh_line(out, "shared_energy", shared, sh->price_eur_kwh, 1);
	if (tf->has_night_price) {
		kwh_line(out, "supplier_day", compl_day,
			 tf->supplier_day_eur_kwh, 1);
		kwh_line(out, "supplier_night", compl -compl_day,
			 tf->supplier_night_eur_kwh, 1);
	} else {
		kwh_line(out, "supplier", compl, tf->supplier_day_eur_kwh, 1);
	}
	double years = cab_bill_year_fraction(sc);
	if (tf->supplier_fixed_eur_year > 0) {
		add_line(out, "supplier_fixed", false, 0, true,
			 tf->supplier_fixed_eur_year,
			 cab_round_cents(tf->supplier_fixed_eur_year * years));
		days_of(sc, &out->lines[out->n_lines - 1]);
	}
	kwh_line(out, "network", compl, tf->network_eur_kwh, 1);
	if (!is_baseline && locality >= 'A' && locality <= 'D')
		kwh_line(out, "network_shared", shared,
			 tf->network_shared_eur_kwh[locality - 'A'], 1);
	if (tf->network_fixed_eur_year > 0) {
		add_line(out, "network_fixed", false, 0, true,
			 tf->network_fixed_eur_year,
			 cab_round_cents(tf->network_fixed_eur_year * years));
		days_of(sc, &out->lines[out->n_lines - 1]);
	}
	kwh_line(out, "taxes", shared + compl, tf->taxes_eur_kwh, 1);
	int64_t base = out->total_cents;
	if (out->n_lines > 0) {
		add_line(out, "vat", false, 0, true, pa->vat,
			 cab_round_cents((double)base * pa->vat / 100.0));
		out->lines[out->n_lines - 1].base_cents = base;
	}
	if (!is_baseline)
		kwh_line(out, "shared_sold", given, sh->price_eur_kwh, -1);
	kwh_line(out, "injection", injected, tf->injection_eur_kwh, -1);
}

void cab_bill_pot_share(int64_t share_cents, struct cab_bill *out)
{
	memset(out, 0, sizeof(*out));
	out->n_lines = 1;
	snprintf(out->lines[0].name, sizeof(out->lines[0].name), "pot_share");
	out->lines[0].amount_cents = share_cents;
	out->total_cents = share_cents;
}

void cab_bill_fmt_eur(int64_t cents, char *buf, size_t size)
{
	uint64_t a = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(buf, size, "%s%llu.%02llu", cents < 0 ? "-" : "",
		 (unsigned long long)(a / 100), (unsigned long long)(a % 100));
}

enum cab_status cab_bill_check(const char *file, const char *who,
			       const struct cab_bill *b, struct cab_err *err)
{
	char eur[32];
	for (size_t l = 0; l < b->n_lines; l++) {
		int64_t c = b->lines[l].amount_cents;
		if (c > CAB_CENTS_MAX || c < -CAB_CENTS_MAX) {
			cab_bill_fmt_eur(c, eur, sizeof(eur));
			return cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: %s: line '%s' is %s EUR, beyond what cabine "
			      "counts (at most 10000000000000 EUR; expected "
			      "prices and volumes within the bounds of "
			      "docs/scenario.md)"),
			    file, who, b->lines[l].name, eur);
		}
	}
	if (b->total_cents > CAB_CENTS_MAX || b->total_cents < -CAB_CENTS_MAX) {
		cab_bill_fmt_eur(b->total_cents, eur, sizeof(eur));
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: %s: the bill's total is %s EUR, beyond what cabine "
		      "counts (at most 10000000000000 EUR; expected prices "
		      "and volumes within the bounds of docs/scenario.md)"),
		    file, who, eur);
	}
	return CAB_OK;
}

enum cab_status cab_bill_sum_error(const char *file, const char *what,
				   const char *who, struct cab_err *err)
{
	return cab_err_add(err, CAB_EINPUT,
			   _("%s: %s reach more than 10000000000000 EUR at %s, "
			     "beyond what cabine counts (expected prices and "
			     "volumes within the bounds of docs/scenario.md)"),
			   file, what, who);
}
