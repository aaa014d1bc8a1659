/*
 * fit_json.c — fit.json (SPEC §12, `cabine fit-key`): the fixed weights
 * to declare to the operator, what they save and how far that stays from
 * the optimal key; and the same weights as a block to paste into a
 * scenario's "sharing".
 *
 * Weights are written from integer units of 1e-9 (cab_key_fit_round made
 * them add up to exactly 1 per pool), so the text is exact and pastes
 * into a scenario as it is; only participants with demand are listed,
 * in scenario order. Numbers: kWh 6 decimals, EUR 2, loss_pct 6.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "cabine/report.h"
#include "reports/io.h"

void cab_report_fit_weights(const struct cab_run *run, FILE *f,
			    const char *indent)
{
	bool is_first = true;
	fputc('{', f);
	for (size_t i = 0; run->fit_weight && i < run->n; i++) {
		double w = run->fit_weight[i];
		if (isnan(w))
			continue;
		long long u = llround(w * 1e9);
		fputs(is_first ? "\n" : ",\n", f);
		fputs(indent, f);
		cab_report_json_string(f, run->sc->participants[i].id);
		fprintf(f, ": %lld.%09lld", u / 1000000000LL, u % 1000000000LL);
		is_first = false;
	}
	fputs(is_first ? "}" : "\n", f);
	if (!is_first) {
		/* Close at the indentation of the key holding the object. */
		size_t n = 0;
		while (indent[n])
			n++;
		fprintf(f, "%.*s}", (int)(n >= 2 ? n - 2 : 0), indent);
	}
}

static enum cab_status write_fit(const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_err *err)
{
	if (!run->fit.is_fitted)
		return CAB_OK;
	char path[4096];
	FILE *f = cab_report_open(dir, "fit.json", path, sizeof path, err);
	if (!f)
		return CAB_EIO;
	const struct cab_fit_report *r = &run->fit;
	fprintf(f, "{\n  \"key\": \"fixed\",\n  \"rounds\": \"%s\",\n",
		r->is_until_done ? "until-done" : "one");
	fputs("  \"weights\": ", f);
	cab_report_fit_weights(run, f, "    ");
	fputs(",\n  \"shared_kwh\": ", f);
	cab_report_json_kwh(f, r->shared_kwh);
	fputs(",\n  \"saving_eur\": ", f);
	cab_report_json_eur(f, cab_round_cents(r->saving_eur));
	fputs(",\n  \"optimum_shared_kwh\": ", f);
	cab_report_json_kwh(f, r->optimum_shared_kwh);
	fputs(",\n  \"optimum_saving_eur\": ", f);
	cab_report_json_eur(f, cab_round_cents(r->optimum_saving_eur));
	fprintf(f, ",\n  \"loss_pct\": %.6f\n}\n", r->loss_pct + 0.0);
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_fit_json = {"fit.json", write_fit};
