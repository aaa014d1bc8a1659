/*
 * fuzz_bill.c — fuzz target for the money path: scenario + readings →
 * bills (SPEC §3, §5), so that libFuzzer explores prices, volumes and
 * billing modes, not only the parsers.
 *
 * The input's bytes choose a community of 1 to 6 participants behind one
 * cabin (with or without a cabin meter), over one day (96 quarter-hours):
 * the sharing key, the billing mode (individual, shared, pot with one of
 * its criteria), every price and fixed term of the tariff, the VAT and
 * each quarter-hour's consumption and production. Numbers are drawn in
 * several scales, from a tenth of a cent to beyond the bounds of
 * docs/scenario.md (a price of 5,000 EUR/kWh, a reading of 10^6 kWh), so
 * that both sides of every bound are tried. The scenario is written as
 * JSON and loaded by the scenario loader (its bounds apply); the readings
 * are put in memory.
 *
 * Checked on every input, else abort():
 * - a run either succeeds or fails with CAB_EINPUT and at least one
 *   message (a bound, a total beyond what cabine counts), never another
 *   status;
 * - on success, for every participant, the lines of its bill and of its
 *   baseline add up to their totals, every amount within ±CAB_CENTS_MAX;
 *   the run's totals are the sums of the bills and of the baselines (of
 *   the participants that have one); in mode individual a bill is its
 *   baseline; in pot mode the members' shares add up to the pot, to the
 *   cent;
 * - a scenario refused by the loader is refused with CAB_EINPUT.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/bill.h"
#include "cabine/readings.h"
#include "cabine/run.h"
#include "cabine/scenario.h"

#define NT 96 /* 2024-03-05, a day of CET */
#define MAX_P 6

/* The input as a stream of bytes; zeros once it is used up. */
struct bytes {
	const uint8_t *p;
	size_t n;
};

static unsigned next8(struct bytes *b)
{
	if (!b->n)
		return 0;
	b->n--;
	return *b->p++;
}

static unsigned next16(struct bytes *b)
{
	unsigned hi = next8(b);
	return hi << 8 | next8(b);
}

/* A number ≥ 0 in one of several scales: the last one, beyond the
 * bounds, only when the scale byte is 255 (so that a day of 96 readings
 * is not nearly always refused). */
static double draw(struct bytes *b, const double *scales, unsigned n_scales)
{
	unsigned k = next8(b);
	k = k == 255 ? n_scales - 1 : k % (n_scales - 1);
	return (double)next16(b) / 65535.0 * scales[k];
}

static const double price_scales[] = {0, 0.001, 0.3, 2, 1000, 1000, 5000};
static const double year_scales[] = {0, 60, 1000, 1e7, 1e7, 3e7};
static const double kwh_scales[] = {0, 0.01, 1, 100, 250000, 250000, 1e6};

/* The bills of r are consistent with the run's totals (see the header). */
static void check_run(const struct cab_run *run)
{
	int64_t sum_bill = 0, sum_base = 0, sum_pot = 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		const struct cab_bill *bills[2] = {&r->bill, &r->baseline};
		for (int k = 0; k < 2; k++) {
			int64_t s = 0;
			for (size_t l = 0; l < bills[k]->n_lines; l++) {
				int64_t c = bills[k]->lines[l].amount_cents;
				if (c > CAB_CENTS_MAX || c < -CAB_CENTS_MAX)
					abort();
				s += c;
			}
			if (s != bills[k]->total_cents || s > CAB_CENTS_MAX ||
			    s < -CAB_CENTS_MAX)
				abort();
		}
		sum_bill += r->bill.total_cents;
		if (!r->is_without_baseline)
			sum_base += r->baseline.total_cents;
		if (r->pot >= 0)
			sum_pot += r->bill.total_cents;
		if (run->billing.mode == CAB_BILLING_INDIVIDUAL &&
		    r->bill.total_cents != r->baseline.total_cents)
			abort();
		if (r->delta_cents !=
		    (r->is_without_baseline
			 ? 0
			 : r->bill.total_cents - r->baseline.total_cents))
			abort();
	}
	if (sum_bill != run->total_bill_cents ||
	    sum_base != run->total_baseline_cents)
		abort();
	if (run->billing.mode == CAB_BILLING_POT && sum_pot != run->pot_cents)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = {data, size};
	static const char *const keys[] = {"proportional", "fixed", "hybrid"};
	static const char *const modes[] = {"individual", "shared", "pot"};
	static const char *const criteria[] = {"equal", "occupants",
					       "measured"};
	unsigned n = 1 + next8(&b) % MAX_P;
	const char *key = keys[next8(&b) % 3];
	unsigned mode = next8(&b) % 3;
	const char *crit = criteria[next8(&b) % 3];
	bool has_cabin_meter = next8(&b) & 1;
	double price[9];
	for (int k = 0; k < 9; k++)
		price[k] = draw(&b, price_scales, 7);
	double fixed[3];
	for (int k = 0; k < 3; k++)
		fixed[k] = draw(&b, year_scales, 6);
	double vat = (double)(next8(&b) % 101) / 100.0;

	char json[8192];
	int len = snprintf(
	    json, sizeof(json),
	    "{\"name\": \"fuzz\", \"period\": {\"start\": \"2024-03-05\", "
	    "\"end\": \"2024-03-06\"}, \"readings\": \"r.csv\",\n"
	    "\"cabins\": [{\"id\": \"c\"%s}],\n"
	    "\"tariff\": {\"supplier_day_eur_kwh\": %.17g, "
	    "\"supplier_night_eur_kwh\": %.17g, \"supplier_fixed_eur_year\": "
	    "%.17g, \"network_eur_kwh\": %.17g, \"network_shared_eur_kwh\": "
	    "{\"A\": %.17g, \"B\": %.17g, \"C\": %.17g, \"D\": %.17g}, "
	    "\"network_fixed_eur_year\": %.17g, \"taxes_eur_kwh\": %.17g, "
	    "\"injection_eur_kwh\": %.17g},\n"
	    "\"sharing\": {\"key\": \"%s\", \"price_eur_kwh\": %.17g},\n"
	    "\"billing\": {\"mode\": \"%s\"",
	    has_cabin_meter ? ", \"meter\": \"cab\"" : "", price[0], price[1],
	    fixed[0], price[2], price[3], price[4], price[5], price[6],
	    fixed[1], price[7], price[8] / 10, key, price[8], modes[mode]);
	if (mode == 2)
		len += snprintf(json + len, sizeof(json) - (size_t)len,
				", \"key\": {\"%s\": 1}, \"vat\": %.17g, "
				"\"fixed_eur_year\": %.17g",
				crit, vat, fixed[2]);
	len += snprintf(json + len, sizeof(json) - (size_t)len,
			"},\n\"participants\": [");
	for (unsigned i = 0; i < n; i++)
		len += snprintf(
		    json + len, sizeof(json) - (size_t)len,
		    "%s{\"id\": \"p%u\", \"cabin\": \"c\", \"vat\": %.17g, "
		    "\"occupants\": %u, \"meters\": {\"consumption\": "
		    "\"p%u-c\"%s}}",
		    i ? ", " : "", i, vat, next8(&b) % 6, i,
		    i % 2 ? ", \"production\": \"pv\"" : "");
	len += snprintf(json + len, sizeof(json) - (size_t)len, "]}\n");

	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	enum cab_status st =
	    cab_scenario_parse("fuzz.json", json, (size_t)len, &sc, &err);
	if (st != CAB_OK) {
		if (st != CAB_EINPUT || !err.count)
			abort();
		goto done;
	}
	if (cab_readings_new(sc->t0_s, sc->n_intervals, &rd, NULL) != CAB_OK)
		abort();
	double s[NT];
	char meter[16];
	for (unsigned i = 0; i <= n; i++) {
		/* p0-c … p(n-1)-c, then the shared production "pv". */
		for (size_t t = 0; t < NT && t < sc->n_intervals; t++)
			s[t] = next8(&b) == 255 ? NAN : draw(&b, kwh_scales, 7);
		snprintf(meter, sizeof(meter), i < n ? "p%u-c" : "pv", i);
		if (cab_readings_put(rd, meter, s, NULL) != CAB_OK)
			abort();
	}
	for (size_t t = 0; t < NT; t++)
		s[t] = draw(&b, kwh_scales, 7);
	if (has_cabin_meter && cab_readings_put(rd, "cab", s, NULL) != CAB_OK)
		abort();
	st = cab_run_new(sc, rd, -1, &run, &err);
	if (st == CAB_OK)
		check_run(run);
	else if (st != CAB_EINPUT || !err.count)
		abort();
done:
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
	return 0;
}
