/*
 * cmd_forecast.c — `cabine forecast SCENARIO.json --weather FILE [--out
 * DIR] [--backtest]` (SPEC §15, docs/forecast.md): the surplus-hours
 * signal of a community from a weather file, and with --backtest its
 * comparison with what was measured.
 *
 * Steps: the scenario, the weather file, what the forecast needs of both
 * (location, pv, a place that matches), the days the file covers whole,
 * the readings of the 4 weeks before them (through their end for a
 * backtest) from the scenario's CSV or store, whatever its period says;
 * then the forecast, the backtest, and the files staged into --out like
 * every report (nothing is written when anything fails).
 *
 * Workload: a forecast of a few days: milliseconds beyond reading the
 * history; a backtest over a year: a second or so.
 * Ownership: everything loaded here is freed here.
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

static const struct cab_report_ops *const forecast_writers[] = {
    &cab_report_forecast_csv, &cab_report_signal_csv, &cab_report_signal_ics,
    &cab_report_signal_txt, NULL};

static const struct cab_report_ops *const backtest_writers[] = {
    &cab_report_forecast_csv,
    &cab_report_signal_csv,
    &cab_report_signal_ics,
    &cab_report_signal_txt,
    &cab_report_backtest_csv,
    &cab_report_backtest_xlsx,
    NULL};

/* The scenario's readings over [from, to) instead of its period: a
 * shallow copy of the scenario with another period, read-only, that the
 * source loader reads like any scenario (it uses the period, the paths
 * and the meters only). */
static enum cab_status load_history(const struct cab_cli_opts *o,
				    const struct cab_scenario *sc, int64_t from,
				    int64_t to, struct cab_readings **out,
				    struct cab_err *err)
{
	struct cab_scenario h = *sc;
	h.t0_s = from;
	h.n_intervals = (size_t)((to - from) / CAB_INTERVAL_S);
	return cab_cli_load_readings(o, &h, out, err);
}

static void print_summary(const struct cab_cli_opts *o,
			  const struct cab_forecast *f,
			  const struct cab_backtest *bt, const char *out)
{
	double pv = 0, cons = 0;
	for (size_t q = 0; q < f->n; q++) {
		if (f->pv_kwh[q] == f->pv_kwh[q])
			pv += f->pv_kwh[q];
		if (f->consumption_kwh[q] == f->consumption_kwh[q])
			cons += f->consumption_kwh[q];
	}
	char a[17], b[17];
	cab_time_format_local(f->t0_s, a);
	cab_time_format_local(
	    cab_forecast_midnight(f->t0_s, (int)f->n_days - 1), b);
	a[10] = b[10] = '\0';
	char nd[48], nw[64];
	snprintf(nd, sizeof nd, P_("%zu day", "%zu days", f->n_days),
		 f->n_days);
	snprintf(nw, sizeof nw,
		 P_("%zu surplus window", "%zu surplus windows", f->n_windows),
		 f->n_windows);
	printf(_("%s: %s from %s to %s: PV %.1f kWh, consumption %.1f kWh, "
		 "%s; "),
	       f->sc->name, nd, a, b, pv, cons, nw);
	if (bt) {
		const struct cab_backtest_row *c = NULL;
		for (size_t k = 0; k < bt->n_rows && !c; k++)
			if (bt->rows[k].participant < 0)
				c = &bt->rows[k];
		if (c && c->intervals)
			printf(_("community PV bias %+.1f %%, normalised MAE "
				 "%.1f %%; "),
			       cab_backtest_bias_pct(c),
			       cab_backtest_nmae_pct(c));
		printf(P_("%zu of %zu measured window had a surplus; ",
			  "%zu of %zu measured windows had a surplus; ",
			  bt->n_judged),
		       bt->n_hits, bt->n_judged);
	}
	printf(_("forecast.csv, signal.csv, signal.ics, signal.txt%s in %s/\n"),
	       bt ? ", backtest.csv, backtest.xlsx" : "", out);
}

enum cab_status cab_cli_forecast(const struct cab_cli_opts *o,
				 struct cab_err *err)
{
	struct cab_scenario *sc = NULL;
	struct cab_weather *w = NULL;
	struct cab_readings *rd = NULL;
	struct cab_forecast *f = NULL;
	struct cab_backtest *bt = NULL;
	enum cab_status st = cab_scenario_load(o->operands[0], &sc, err);
	if (st == CAB_OK) {
		cab_cli_progress(o, _("reading %s"), o->weather);
		st = cab_weather_load(o->weather, &w, err);
	}
	if (st == CAB_OK)
		st = cab_forecast_check(sc, w, o->weather, err);
	int64_t t0 = 0;
	size_t n_days = 0;
	if (st == CAB_OK)
		st = cab_forecast_days(sc, w, o->weather, &t0, &n_days, err);
	if (st == CAB_OK) {
		int64_t from =
		    cab_forecast_midnight(t0, -CAB_FORECAST_HISTORY_DAYS);
		int64_t to = o->is_backtest
				 ? cab_forecast_midnight(t0, (int)n_days)
				 : t0;
		st = load_history(o, sc, from, to, &rd, err);
	}
	if (st == CAB_OK) {
		cab_cli_progress(
		    o,
		    P_("forecasting %zu day", "forecasting %zu days", n_days),
		    n_days);
		st = cab_forecast_new(sc, w, rd, o->is_backtest, &f, err);
	}
	if (st == CAB_OK && o->is_backtest)
		st = cab_backtest_new(f, rd, &bt, err);
	char out[4096];
	if (st == CAB_OK) {
		struct cab_report_opts ro = {
		    .lang = o->lang, .forecast = f, .backtest = bt};
		const struct cab_cli_writers wr = {
		    .run =
			o->is_backtest ? backtest_writers : forecast_writers};
		const struct cab_run *runs[] = {NULL};
		cab_cli_out_dir(o, sc, out, sizeof(out));
		st = cab_cli_write_reports(o, &wr, runs, 1, &ro, out, err);
	}
	if (st == CAB_OK && !o->is_quiet)
		print_summary(o, f, bt, out);
	cab_backtest_free(bt);
	cab_forecast_free(f);
	cab_readings_free(rd);
	cab_weather_free(w);
	cab_scenario_free(sc);
	return st;
}
