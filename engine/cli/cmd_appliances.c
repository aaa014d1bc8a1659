/*
 * cmd_appliances.c — `cabine appliances SCENARIO.json [--out DIR]
 * [--lang L]`: the households' appliance inventory (the scenario's
 * "appliances", docs/appliances.md) against their meters and the alerts:
 * appliances_households.csv, appliances_alerts.csv and appliances.xlsx,
 * staged into --out like every report.
 *
 * Workload: one run of the scenario, its alerts, a few hundred
 * inventory rows.
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

static const struct cab_report_ops *const appliances_writers[] = {
    &cab_report_appliances_households_csv,
    &cab_report_appliances_alerts_csv,
    &cab_report_appliances_xlsx,
    NULL,
};

enum cab_status cab_cli_appliances(const struct cab_cli_opts *o,
				   struct cab_err *err)
{
	struct cab_cli_loaded l;
	struct cab_alerts *alerts = NULL;
	struct cab_appliances *ap = NULL;
	enum cab_status st = cab_cli_load_run(o, o->operands[0], &l, err);
	if (st == CAB_OK && l.sc->n_appliances == 0)
		st = cab_err_add(err, CAB_EINPUT,
				 _("%s: $.appliances: no appliance inventory "
				   "(expected a table's file name, see "
				   "docs/appliances.md)"),
				 o->operands[0]);
	if (st == CAB_OK && l.sc->n_alerts)
		st = cab_alerts_new(l.run, &alerts, err);
	if (st == CAB_OK)
		st = cab_appliances_new(l.run, alerts, &ap, err);
	char out[4096];
	struct cab_report_opts ro = {.alerts = alerts, .appliances = ap};
	if (st == CAB_OK)
		st = cab_cli_write_run(o, &l, appliances_writers, &ro, out,
				       sizeof(out), err);
	if (st == CAB_OK && !o->is_quiet) {
		char nh[96], na[64];
		snprintf(nh, sizeof nh,
			 P_("%zu household's inventory",
			    "%zu households' inventories", ap->n_households),
			 ap->n_households);
		snprintf(na, sizeof na,
			 P_("%zu appliance", "%zu appliances",
			    ap->community.n_appliances),
			 ap->community.n_appliances);
		printf(_("%s: %s (%s); appliances.xlsx, "
			 "appliances_households.csv and appliances_alerts.csv "
			 "in %s/\n"),
		       l.sc->name, nh, na, out);
	}
	cab_appliances_free(ap);
	cab_alerts_free(alerts);
	cab_cli_loaded_release(&l);
	return st;
}
