/*
 * cmd_analyse.c — `cabine alerts` and `cabine curves`: run one scenario,
 * then measure what the community did during its alerts (alerts.csv,
 * alerts.xlsx) or its load curves (curves*.csv, coincidence.csv,
 * curves.xlsx), staged into --out like every report.
 *
 * Workload: one run of the scenario, then one pass of the analysis over
 * its series (engine/analyse/).
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

static const struct cab_report_ops *const alerts_writers[] = {
    &cab_report_alerts_csv,
    &cab_report_alerts_xlsx,
    NULL,
};

static const struct cab_report_ops *const curves_writers[] = {
    &cab_report_curves_csv,
    &cab_report_curves_xlsx,
    NULL,
};

enum cab_status cab_cli_alerts(const struct cab_cli_opts *o,
			       struct cab_err *err)
{
	struct cab_cli_loaded l;
	struct cab_alerts *alerts = NULL;
	enum cab_status st = cab_cli_load_run(o, o->operands[0], &l, err);
	size_t n_signal = 0; /* --signal: windows of a signal.csv */
	if (st == CAB_OK && o->signal) {
		size_t before = l.sc->n_alerts;
		st = cab_scenario_add_signal(l.sc, o->signal, err);
		n_signal = l.sc->n_alerts - before;
	}
	if (st == CAB_OK && l.sc->n_alerts == 0)
		st = cab_err_add(err, CAB_EINPUT,
				 _("%s: $.alerts: no alert to analyse "
				   "(expected at least one window)"),
				 o->operands[0]);
	else if (st == CAB_OK)
		st = cab_alerts_new(l.run, &alerts, err);
	char out[4096];
	struct cab_report_opts ro = {.alerts = alerts};
	if (st == CAB_OK)
		st = cab_cli_write_run(o, &l, alerts_writers, &ro, out,
				       sizeof(out), err);
	if (st == CAB_OK && !o->is_quiet && n_signal == 0)
		printf(P_("%s: %zu alert analysed; alerts.csv and alerts.xlsx "
			  "in %s/\n",
			  "%s: %zu alerts analysed; alerts.csv and alerts.xlsx "
			  "in %s/\n",
			  l.sc->n_alerts),
		       l.sc->name, l.sc->n_alerts, out);
	if (st == CAB_OK && !o->is_quiet && n_signal) {
		/* The community's row during each signal window: did it use
		 * more than on comparable days? */
		size_t followed = 0;
		for (size_t e = 0; e < alerts->n; e++) {
			const struct cab_alert_effect *ef = &alerts->effect[e];
			followed += ef->participant == -1 &&
				    ef->window == CAB_WINDOW_DURING &&
				    cab_alerts_is_signal(l.sc, ef->alert) &&
				    cab_alerts_is_followed(l.sc, ef);
		}
		printf(
		    "%s: %zu alerts and %zu signal windows analysed; the "
		    "community used more than on comparable days in %zu of "
		    "the signal windows; alerts.csv and alerts.xlsx in %s/\n",
		    l.sc->name, l.sc->n_alerts - n_signal, n_signal, followed,
		    out);
	}
	cab_alerts_free(alerts);
	cab_cli_loaded_release(&l);
	return st;
}

enum cab_status cab_cli_curves(const struct cab_cli_opts *o,
			       struct cab_err *err)
{
	struct cab_cli_loaded l;
	struct cab_curves *curves = NULL;
	enum cab_status st = cab_cli_load_run(o, o->operands[0], &l, err);
	if (st == CAB_OK) {
		cab_cli_progress(o, _("computing load-curve statistics"));
		st = cab_curves_new(l.run, &curves, err);
	}
	char out[4096];
	struct cab_report_opts ro = {.curves = curves};
	if (st == CAB_OK)
		st = cab_cli_write_run(o, &l, curves_writers, &ro, out,
				       sizeof(out), err);
	if (st == CAB_OK && !o->is_quiet)
		printf(P_("%s: load curves of %zu subject; curves.csv and "
			  "curves.xlsx in %s/\n",
			  "%s: load curves of %zu subjects; curves.csv and "
			  "curves.xlsx in %s/\n",
			  curves->n),
		       l.sc->name, curves->n, out);
	cab_curves_free(curves);
	cab_cli_loaded_release(&l);
	return st;
}
