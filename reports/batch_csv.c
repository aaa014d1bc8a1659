/*
 * batch_csv.c — batch.csv, one row per run of a batch (docs/batch.md),
 * from its results file.
 *
 * Why: a spreadsheet user opens one table; the columns are those batch.csv
 * always had, and a sweep adds one column per swept key after the run's
 * name, so that a pivot table reads the grid without parsing params_json.
 * Amounts come back from the file as the exact cents they were (EUR with
 * two decimals) and kWh with six decimals, as every CSV of cabine writes
 * them: the same runs give the same bytes, merged or not.
 *
 * Workload: one line per run, streamed (memory does not grow with runs).
 */
#include <math.h>
#include <stdio.h>

#include "cabine/report.h"
#include "reports/batch.h"
#include "reports/io.h"

struct csv_ctx {
	FILE *f;
	bool has_header;
};

/* A CSV field: quoted when it holds a separator, a quote or a newline. */
static void put_field(FILE *f, const char *s)
{
	bool is_plain = true;
	for (const char *p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			is_plain = false;
	if (is_plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void put_eur(FILE *f, double eur)
{
	char b[48] = "";
	if (isfinite(eur))
		cab_report_fmt_cents(llround(eur * 100), b, sizeof b);
	fprintf(f, "%s,", b);
}

static void put_kwh(FILE *f, double kwh, const char *sep)
{
	char b[48];
	cab_report_fmt_kwh(kwh, b, sizeof b);
	fprintf(f, "%s%s", b, sep);
}

static int row(void *ctx, const struct cab_results_row *r)
{
	struct csv_ctx *c = ctx;
	FILE *f = c->f;
	if (!c->has_header) {
		c->has_header = true;
		fputs("scenario,", f);
		for (size_t k = 0; k < r->n_params; k++) {
			put_field(f, r->param[k]);
			fputc(',', f);
		}
		fputs("sharing_key,participants,intervals,"
		      "missing_intervals,"
		      "bill_eur,baseline_eur,delta_eur,shared_kwh,"
		      "self_consumption_rate,self_sufficiency_rate,"
		      "positive_energy_balance_kwh\n",
		      f);
	}
	if (!r->run.is_ok)
		return 0;
	const double *v = r->run.ind;
	put_field(f, r->run.name);
	fputc(',', f);
	for (size_t k = 0; k < r->n_params; k++) {
		put_field(f, r->value[k]);
		fputc(',', f);
	}
	put_field(f, r->run.sharing_key ? r->run.sharing_key : "");
	fprintf(f, ",%.0f,%.0f,%.0f,", v[CAB_RES_PARTICIPANTS],
		v[CAB_RES_INTERVALS], v[CAB_RES_MISSING_INTERVALS]);
	put_eur(f, v[CAB_RES_BILL_EUR]);
	put_eur(f, v[CAB_RES_BASELINE_EUR]);
	put_eur(f, v[CAB_RES_DELTA_EUR]);
	put_kwh(f, v[CAB_RES_SHARED_KWH], ",");
	const double rates[] = {v[CAB_RES_SELF_CONSUMPTION_RATE],
				v[CAB_RES_SELF_SUFFICIENCY_RATE]};
	for (int k = 0; k < 2; k++)
		if (isnan(rates[k]))
			fputs(",", f);
		else
			fprintf(f, "%.6f,", rates[k]);
	put_kwh(f, v[CAB_RES_POSITIVE_ENERGY_BALANCE_KWH], "\n");
	return 0;
}

enum cab_status cab_report_batch_csv(const char *results, const char *dir,
				     const char *name, struct cab_err *err)
{
	char path[4096];
	FILE *f = cab_report_open(dir, name, path, sizeof path, err);
	if (!f)
		return CAB_EIO;
	struct csv_ctx c = {.f = f};
	enum cab_status st = cab_results_scan(results, row, &c, err);
	if (st == CAB_OK && !c.has_header) {
		struct cab_results_row none = {0};
		none.run.is_ok = false;
		row(&c, &none);
	}
	enum cab_status cst = cab_report_close(f, path, err);
	return st != CAB_OK ? st : cst;
}
