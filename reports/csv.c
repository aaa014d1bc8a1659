/*
 * csv.c — invoices.csv and allocation.csv (SPEC §8).
 *
 * Rows are sorted by interval, then participant id; kWh have 6 decimals
 * and EUR 2, with '.' as separator, so identical inputs give identical
 * bytes. allocation.csv (--detail) can hold 35 M rows: it is written
 * through a large stdio buffer with hand-made number formatting.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"

FILE *cab_report_open(const char *dir, const char *name, char *path,
		      size_t path_size, struct cab_err *err)
{
	snprintf(path, path_size, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
			    strerror(errno));
	return f;
}

enum cab_status cab_report_close(FILE *f, const char *path, struct cab_err *err)
{
	int bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
				   strerror(errno ? errno : EIO));
	return CAB_OK;
}

static const struct cab_run *sort_run;

static int by_id(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	return strcmp(sort_run->sc->participants[i].id,
		      sort_run->sc->participants[j].id);
}

size_t *cab_report_order_by_id(const struct cab_run *run)
{
	size_t *order = malloc((run->n ? run->n : 1) * sizeof(size_t));
	if (!order)
		return NULL;
	for (size_t i = 0; i < run->n; i++)
		order[i] = i;
	/* qsort has no context argument in C11; writers run on one thread
	 * per run, so a file-scope pointer set just here is safe enough.
	 * Ids are unique, so the order is total and deterministic. */
	sort_run = run;
	qsort(order, run->n, sizeof(size_t), by_id);
	sort_run = NULL;
	return order;
}

static enum cab_status write_invoices(const struct cab_run *run,
				      const struct cab_report_opts *opts,
				      const char *dir, struct cab_err *err)
{
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f = cab_report_open(dir, "invoices.csv", path, sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	fputs("participant,line,quantity_kwh,unit_price_eur,amount_eur\n", f);
	char q[48], u[48], a[48];
	for (size_t k = 0; k < run->n; k++) {
		size_t i = order[k];
		const struct cab_bill *b = &run->p[i].bill;
		const char *id = run->sc->participants[i].id;
		for (size_t l = 0; l < b->n_lines; l++) {
			const struct cab_bill_line *ln = &b->lines[l];
			q[0] = u[0] = 0;
			if (ln->has_quantity)
				cab_report_fmt_kwh(ln->quantity_kwh, q,
						   sizeof(q));
			if (ln->has_unit_price)
				snprintf(u, sizeof(u), "%.6f",
					 ln->unit_price_eur);
			cab_report_fmt_cents(ln->amount_cents, a, sizeof(a));
			cab_report_csv_text(f, id);
			fprintf(f, ",%s,%s,%s,%s\n", ln->name, q, u, a);
		}
		cab_report_fmt_cents(b->total_cents, a, sizeof(a));
		cab_report_csv_text(f, id);
		fprintf(f, ",total,,,%s\n", a);
	}
	free(order);
	return cab_report_close(f, path, err);
}

static enum cab_status write_allocation(const struct cab_run *run,
					const struct cab_report_opts *opts,
					const char *dir, struct cab_err *err)
{
	if (!opts || !opts->is_detail)
		return CAB_OK;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f =
	    cab_report_open(dir, "allocation.csv", path, sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	/* A large buffer: the file can hold tens of millions of rows. */
	char *vbuf = malloc(1 << 20);
	if (vbuf)
		setvbuf(f, vbuf, _IOFBF, 1 << 20);
	fputs("interval,participant,consumption_kwh,production_kwh,"
	      "self_consumed_kwh,shared_kwh,given_kwh,complementary_kwh,"
	      "injected_kwh\n",
	      f);
	char ts[24], v[7][40];
	for (size_t t = 0; t < run->n_intervals; t++) {
		cab_time_format_utc(run->t0_s + (int64_t)t * CAB_INTERVAL_S,
				    ts);
		for (size_t k = 0; k < run->n; k++) {
			size_t i = order[k];
			const struct cab_participant_result *r = &run->p[i];
			double c = r->consumption_kwh[t];
			double p = r->production_kwh[t];
			fputs(ts, f);
			fputc(',', f);
			cab_report_csv_text(f, run->sc->participants[i].id);
			if (isnan(c)) {
				fputs(",,,,,,,\n", f);
				continue;
			}
			double a = r->shared_kwh[t], g = r->given_kwh[t];
			double o, d, x;
			cab_own_split(c, p, r->is_net, &o, &d, &x);
			double compl = d - a > 0 ? d - a : 0;
			double inj = x - g > 0 ? x - g : 0;
			double vals[7] = {c, p, o, a, g, compl, inj};
			for (int j = 0; j < 7; j++)
				cab_report_fmt_kwh(vals[j], v[j], sizeof(v[j]));
			fprintf(f, ",%s,%s,%s,%s,%s,%s,%s\n", v[0], v[1], v[2],
				v[3], v[4], v[5], v[6]);
		}
	}
	free(order);
	enum cab_status st = cab_report_close(f, path, err);
	free(vbuf);
	return st;
}

const struct cab_report_ops cab_report_invoices_csv = {"invoices.csv",
						       write_invoices};
const struct cab_report_ops cab_report_allocation_csv = {"allocation.csv",
							 write_allocation};

static const struct cab_report_ops *const run_writers[] = {
    &cab_report_summary_json,
    &cab_report_invoices_csv,
    &cab_report_allocation_csv,
    &cab_report_invoices_xlsx,
    &cab_report_community_xlsx,
    &cab_report_sibelga_xlsx,
    &cab_report_readme_txt,
    &cab_report_journal_csv,
    NULL,
};

const struct cab_report_ops *const *cab_report_run_writers(void)
{
	return run_writers;
}
