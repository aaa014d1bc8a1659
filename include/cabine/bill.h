/*
 * bill.h — what the billing stage hands on: invoices as lines of
 * quantity × unit price rounded to the cent (SPEC §5), the common pots
 * (SPEC §3), and the one rounding rule every amount goes through.
 *
 * Why a header of its own: the bills are computed in engine/billing/ from
 * the sharing's volumes and read by the run and the reports; none of them
 * needs the others' structs to use a bill.
 *
 * The structs are plain data with no pointers; whoever holds them owns
 * them (the run, for cab_run_new()).
 */
#ifndef CABINE_BILL_H
#define CABINE_BILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAB_BILL_MAX_LINES 24

/* One invoice line: quantity × unit price, rounded to the cent. */
struct cab_bill_line {
	char name[32];	       /* stable id: "shared_energy", "vat", … */
	bool has_quantity;     /* quantity_kwh is meaningful */
	double quantity_kwh;   /* kWh billed */
	bool has_unit_price;   /* unit_price_eur is meaningful */
	double unit_price_eur; /* EUR per kWh (or the rate, for "vat") */
	int64_t amount_cents;  /* rounded half away from zero */
	/* What an invoice shows beside the amount: */
	int64_t base_cents; /* "vat": the amount it is computed on */
	int days_billed;    /* yearly fixed terms: days of the period … */
	int days_in_year;   /* … over the days of its year; 0 when the
			       period spans calendar years (then see
			       cab_bill_year_fraction) */
};

struct cab_bill {
	size_t n_lines;
	struct cab_bill_line lines[CAB_BILL_MAX_LINES];
	int64_t total_cents; /* Σ amount_cents of the lines */
};

/* A common pot (SPEC §3): one per metered cabin, or one for everyone
 * when no cabin has a meter (docs/pot.md). */
struct cab_pot {
	int cabin;	      /* index in sc->cabins, -1: Σ of baselines */
	size_t n_members;     /* participants sharing it */
	struct cab_bill bill; /* cabin meter's bill (cabin >= 0) */
	int64_t fixed_cents;  /* billing.fixed_eur_year pro rata */
	int64_t total_cents;  /* T: what the members' shares add up to */
};

/* An invoice as a document (SPEC §13 billing.invoice): its number in the
 * community's series, its dates and the Belgian structured communication
 * the member writes on the transfer. */
struct cab_invoice_doc {
	bool is_set;		/* billing.invoice was given */
	bool is_statement;	/* a statement of what the community owes (a
				   producer, or a total below zero) */
	char number[48];	/* series + number, e.g. "CE-2025-001" */
	char communication[24]; /* "+++ddd/dddd/dddcc+++" */
	int issue_y, issue_m, issue_d; /* issue date */
	int due_y, due_m, due_d;       /* issue date + due_days */
	int64_t vat_cents;	       /* the bill's VAT line(s) */
	int64_t total_excl_vat_cents;  /* total − VAT */
};

/* The structured communication of the number made of `digits` (10
 * decimal digits, leading zeros included, as a value below 10^10):
 * "+++ddd/dddd/dddcc+++" with cc = digits mod 97, 97 when that is 0,
 * into out. Cannot fail. */
void cab_invoice_communication(uint64_t digits, char out[24]);

/* The most cabine counts: every line, bill and total stays within
 * ±CAB_CENTS_MAX cents (10^13 EUR, ten thousand billion euros), or the run
 * is refused (exit 2, the value named). The scenario's bounds
 * (docs/scenario.md) keep one bill below 6·10^17 cents, so a line or a
 * bill cannot overflow int64 on its way to this check, and the sums that
 * add bills check each step (cab_cents_add). */
#define CAB_CENTS_MAX 1000000000000000LL

/* Round a EUR amount to cents, half away from zero. Never converts a
 * double out of int64's range: beyond ±9.2·10^18 cents it saturates to
 * INT64_MAX / INT64_MIN, and NaN gives INT64_MAX, so that the checks
 * against CAB_CENTS_MAX refuse it rather than bill a silent zero. Cannot
 * fail. */
int64_t cab_round_cents(double eur);

/* *sum += cents, true when both and the result stay within
 * ±CAB_CENTS_MAX; else *sum is left as it was. Cannot fail. */
bool cab_cents_add(int64_t *sum, int64_t cents);

#endif
