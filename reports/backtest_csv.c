/*
 * backtest_csv.c — the files of `cabine forecast --backtest` (SPEC §15,
 * docs/forecast.md): backtest.csv, the forecast against what was measured
 * per installation and for the community, and backtest_windows.csv, each
 * signalled window and whether the community really had a surplus in it.
 *
 * backtest.csv: subject,quantity,intervals,forecast_kwh,measured_kwh,
 * bias_kwh,bias_pct,nmae_pct — installations by participant id, then the
 * community's pv, consumption and surplus; a measure that cannot be
 * computed (nothing measured) is an empty field.
 * backtest_windows.csv: start,end (local),forecast_surplus_kwh,
 * measured_surplus_kwh,positive_quarter_hours,had_surplus (yes, no, or
 * empty when the window was not measured whole).
 * Workload: a few rows; ownership: borrows opts->backtest for the call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/forecast.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"

static const char *const quantity_names[] = {"pv", "consumption", "surplus"};

static void fmt_pct(double v, char *buf, size_t size)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, size, "%.2f", v + 0.0);
}

static enum cab_status write_backtest(const struct cab_run *run,
				      const struct cab_report_opts *opts,
				      const char *dir, struct cab_err *err)
{
	const struct cab_backtest *b = opts ? opts->backtest : NULL;
	const struct cab_forecast *f = opts ? opts->forecast : NULL;
	if (!b || !f)
		return CAB_OK;
	char path[4096];
	FILE *fp =
	    cab_report_open(dir, "backtest.csv", path, sizeof(path), err);
	if (!fp)
		return CAB_EIO;
	fputs("subject,quantity,intervals,forecast_kwh,measured_kwh,bias_kwh,"
	      "bias_pct,nmae_pct\n",
	      fp);
	for (size_t k = 0; k < b->n_rows; k++) {
		const struct cab_backtest_row *r = &b->rows[k];
		char fk[32] = "", mk[32] = "", bk[32] = "", bp[32], nm[32];
		if (r->intervals) {
			cab_report_fmt_kwh(r->forecast_kwh, fk, sizeof(fk));
			cab_report_fmt_kwh(r->measured_kwh, mk, sizeof(mk));
			cab_report_fmt_kwh(cab_backtest_bias_kwh(r), bk,
					   sizeof(bk));
		}
		fmt_pct(cab_backtest_bias_pct(r), bp, sizeof(bp));
		fmt_pct(cab_backtest_nmae_pct(r), nm, sizeof(nm));
		fprintf(fp, "%s,%s,%zu,%s,%s,%s,%s,%s\n",
			r->participant >= 0
			    ? f->sc->participants[r->participant].id
			    : "community",
			quantity_names[r->quantity], r->intervals, fk, mk, bk,
			bp, nm);
	}
	enum cab_status st = cab_report_close(fp, path, err);
	if (st != CAB_OK)
		return st;
	fp = cab_report_open(dir, "backtest_windows.csv", path, sizeof(path),
			     err);
	if (!fp)
		return CAB_EIO;
	fputs("start,end,forecast_surplus_kwh,measured_surplus_kwh,"
	      "positive_quarter_hours,had_surplus\n",
	      fp);
	for (size_t k = 0; k < b->n_windows; k++) {
		const struct cab_backtest_window *w = &b->windows[k];
		char a[17], e[17], fs[32], ms[32];
		cab_time_format_local(w->w.start_s, a);
		cab_time_format_local(w->w.end_s, e);
		cab_report_fmt_kwh(w->w.surplus_kwh, fs, sizeof(fs));
		cab_report_fmt_kwh(w->measured_surplus_kwh, ms, sizeof(ms));
		fprintf(fp, "%s,%s,%s,%s,%zu,%s\n", a, e, fs, ms,
			w->positive_intervals,
			!w->is_judged		      ? ""
			: w->measured_surplus_kwh > 0 ? "yes"
						      : "no");
	}
	return cab_report_close(fp, path, err);
}

const struct cab_report_ops cab_report_backtest_csv = {"backtest.csv",
						       write_backtest};
