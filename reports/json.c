/*
 * json.c — summary.json (SPEC §8): the period, indicators and one object
 * per participant with its volumes and bill.
 *
 * Written by hand rather than through cJSON: numbers need a fixed number
 * of decimals (6 for kWh and rates, 2 for EUR) so that the same inputs
 * give the same bytes, and cJSON stays inside the scenario loader.
 * Undefined ratios (a community without production has no
 * self-consumption rate) are null.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/report.h"
#include "reports/io.h"

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void put_kwh(FILE *f, double v)
{
	char b[48];
	if (isnan(v)) {
		fputs("null", f);
		return;
	}
	cab_report_fmt_kwh(v, b, sizeof(b));
	fputs(b, f);
}

static void put_rate(FILE *f, double v)
{
	if (isnan(v))
		fputs("null", f);
	else
		fprintf(f, "%.6f", v + 0.0); /* + 0.0 turns -0 into 0 */
}

static void put_eur(FILE *f, int64_t cents)
{
	char b[48];
	cab_report_fmt_cents(cents, b, sizeof(b));
	fputs(b, f);
}

static const char *mode_name(enum cab_billing_mode m)
{
	switch (m) {
	case CAB_BILLING_INDIVIDUAL:
		return "individual";
	case CAB_BILLING_POT:
		return "pot";
	default:
		return "shared";
	}
}

static enum cab_status write_summary(const struct cab_run *run,
				     const struct cab_report_opts *opts,
				     const char *dir, struct cab_err *err)
{
	char path[4096];
	FILE *f = cab_report_open(dir, "summary.json", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	const struct cab_scenario *sc = run->sc;
	fputs("{\n  \"name\": ", f);
	put_string(f, sc->name);
	fprintf(f,
		",\n  \"period\": {\"start\": \"%04d-%02d-%02d\", \"end\": "
		"\"%04d-%02d-%02d\", \"intervals\": %zu},\n",
		sc->start_y, sc->start_m, sc->start_d, sc->end_y, sc->end_m,
		sc->end_d, run->n_intervals);
	if (run->variant) {
		fputs("  \"variant\": ", f);
		put_string(f, run->variant);
		fputs(",\n", f);
	}
	fprintf(f, "  \"billing_mode\": \"%s\",\n",
		mode_name(run->billing.mode));
	if (run->billing.mode != CAB_BILLING_INDIVIDUAL)
		fprintf(f, "  \"sharing_key\": \"%s\",\n", run->sharing.key);
	const struct cab_indicators *ind = &run->ind;
	fputs("  \"indicators\": {\n    \"self_consumption_rate\": ", f);
	put_rate(f, ind->self_consumption_rate);
	fputs(",\n    \"self_sufficiency_rate\": ", f);
	put_rate(f, ind->self_sufficiency_rate);
	fputs(",\n    \"positive_energy_balance_kwh\": ", f);
	put_kwh(f, ind->positive_energy_balance_kwh);
	fputs(",\n    \"coincidence_factor\": ", f);
	put_rate(f, ind->coincidence_factor);
	fputs(",\n    \"shared_injection_kwh\": ", f);
	put_kwh(f, ind->shared_injection_kwh);
	fputs(",\n    \"allocated_kwh\": ", f);
	put_kwh(f, ind->allocated_kwh);
	fputs(",\n    \"unallocated_kwh\": ", f);
	put_kwh(f, ind->unallocated_kwh);
	if (run->n_cabin_flows) {
		fputs(",\n    \"cabin_residual_kwh\": ", f);
		put_kwh(f, run->cabin_residual_kwh);
	}
	fputs("\n  },\n", f);
	if (run->billing.mode == CAB_BILLING_POT) {
		fputs("  \"pot_eur\": ", f);
		put_eur(f, run->pot_cents);
		fputs(",\n", f);
	}
	if (run->n_cabin_flows) {
		fputs("  \"cabins\": [", f);
		for (size_t k = 0; k < run->n_cabin_flows; k++) {
			const struct cab_cabin_flow *cf = &run->cabin_flows[k];
			fputs(k ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
			put_string(f, sc->cabins[cf->cabin].id);
			fputs(", \"import_kwh\": ", f);
			put_kwh(f, cf->import_kwh);
			fputs(", \"metered_import_kwh\": ", f);
			put_kwh(f, cf->metered_import_kwh);
			fputs(", \"residual_kwh\": ", f);
			put_kwh(f, cf->residual_kwh);
			fprintf(f, ", \"missing_intervals\": %zu}",
				cf->missing_intervals);
		}
		fputs("\n  ],\n", f);
	}
	fputs("  \"totals\": {\"bill_eur\": ", f);
	put_eur(f, run->total_bill_cents);
	fputs(", \"baseline_eur\": ", f);
	put_eur(f, run->total_baseline_cents);
	/* Σ deltas: participants without a baseline (meterless members
	 * of a pot) have none, so this is not always bill − baseline. */
	int64_t delta = 0;
	for (size_t i = 0; i < run->n; i++)
		delta += run->p[i].delta_cents;
	fputs(", \"delta_eur\": ", f);
	put_eur(f, delta);
	/* SPEC §10: always present, in English whatever the locale (the
	 * codes are what scripts read). */
	fputs("},\n  \"warnings\": [", f);
	for (size_t k = 0; k < opts->n_warnings; k++) {
		fputs(k ? ",\n    {\"code\": " : "\n    {\"code\": ", f);
		put_string(f, opts->warnings[k].code);
		fputs(", \"message\": ", f);
		put_string(f, opts->warnings[k].message);
		fputc('}', f);
	}
	fputs(opts->n_warnings ? "\n  ],\n  \"participants\": ["
			       : "],\n  \"participants\": [",
	      f);
	/* Filled counts appear when anything can be filled: by the scenario
	 * or at import (values the store flags as filled). */
	bool has_filled = run->sc->fill != CAB_FILL_NONE;
	for (size_t i = 0; i < run->n; i++)
		has_filled |= run->p[i].filled_intervals > 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		const struct cab_volumes *v = &r->total;
		fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
		put_string(f, sc->participants[i].id);
		const char *names[] = {"consumption_kwh",   "production_kwh",
				       "self_consumed_kwh", "shared_kwh",
				       "given_kwh",	    "complementary_kwh",
				       "injected_kwh"};
		double vals[] = {v->consumption_kwh,   v->production_kwh,
				 v->self_consumed_kwh, v->shared_kwh,
				 v->given_kwh,	       v->complementary_kwh,
				 v->injected_kwh};
		for (size_t k = 0; k < 7; k++) {
			fprintf(f, ", \"%s\": ", names[k]);
			put_kwh(f, vals[k]);
		}
		fprintf(f, ", \"missing_intervals\": %zu",
			r->missing_intervals);
		if (has_filled)
			fprintf(f, ", \"filled_intervals\": %zu",
				r->filled_intervals);
		fputs(", \"self_sufficiency_rate\": ", f);
		put_rate(f, r->self_sufficiency_rate);
		fputs(", \"bill_eur\": ", f);
		put_eur(f, r->bill.total_cents);
		fputs(", \"baseline_eur\": ", f);
		if (!r->is_without_baseline)
			put_eur(f, r->baseline.total_cents);
		else
			fputs("null", f);
		fputs(", \"delta_eur\": ", f);
		if (!r->is_without_baseline)
			put_eur(f, r->delta_cents);
		else
			fputs("null", f);
		if (r->pot >= 0) {
			fputs(", \"pot_weight\": ", f);
			put_rate(f, r->pot_weight);
			fputs(", \"key\": {", f);
			bool is_first = true;
			for (int k = 0; k < CAB_CRIT_COUNT; k++) {
				if (isnan(r->key[k]))
					continue;
				fprintf(
				    f, "%s\"%s\": ", is_first ? "" : ", ",
				    cab_criterion_name((enum cab_criterion)k));
				put_rate(f, r->key[k]);
				is_first = false;
			}
			fputc('}', f);
		}
		fputc('}', f);
	}
	fputs("\n  ]\n}\n", f);
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_summary_json = {"summary.json",
						       write_summary};
