/*
 * cmd_reconcile.c — `cabine reconcile` (SPEC §13): the simulation of the
 * scenario (its key on its readings, whatever billing.source says)
 * beside the operator's files in the store, written as reconcile.csv and
 * reconcile.xlsx into --out, staged like every report.
 *
 * Workload: one run of the scenario, one read of the operator's series
 * of the period, the comparison and the key fits (engine/analyse/).
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

static const struct cab_report_ops *const reconcile_writers[] = {
    &cab_report_reconcile_csv,
    &cab_report_reconcile_xlsx,
    NULL,
};

enum cab_status cab_cli_reconcile(const struct cab_cli_opts *o,
				  struct cab_err *err)
{
	struct cab_cli_loaded l = {0};
	struct cab_operator *op = NULL;
	struct cab_reconcile *rec = NULL;
	const char *path = o->operands[0];
	enum cab_status st = cab_scenario_load(path, &l.sc, err);
	const char *db = o->import.db_path;
	if (st == CAB_OK && !db)
		db = l.sc->db_path;
	if (st == CAB_OK && !db)
		st = cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: no store of the operator's files "
		      "(expected --db DB, or \"db\" in the scenario)"),
		    path);
	if (st == CAB_OK) {
		cab_cli_progress(o, _("reading the operator's data in %s"), db);
		st = cab_operator_load(l.sc, db, &op, err);
	}
	/* The simulation is the scenario's key on its readings: a scenario
	 * billed from the operator's volumes is reconciled against its key.
	 * sim is a shallow copy the run borrows until it is freed here. */
	struct cab_scenario sim = l.sc ? *l.sc : (struct cab_scenario){0};
	sim.billing.source = CAB_SOURCE_KEY;
	if (st == CAB_OK)
		st = cab_cli_load_readings(o, &sim, &l.rd, err);
	if (st == CAB_OK) {
		cab_cli_progress(o,
				 P_("simulating %zu participant",
				    "simulating %zu participants",
				    sim.n_participants),
				 sim.n_participants);
		st = cab_run_new(&sim, l.rd, -1, &l.run, err);
	}
	if (st == CAB_OK)
		st = cab_reconcile_new(l.run, op, db, &rec, err);
	char out[4096];
	struct cab_report_opts ro = {.reconcile = rec};
	if (st == CAB_OK)
		st = cab_cli_write_run(o, &l, reconcile_writers, &ro, out,
				       sizeof(out), err);
	if (st == CAB_OK && !o->is_quiet)
		printf(
		    _("%s: %zu of %zu monthly values differ, %zu quarter-hour "
		      "values differ; reconcile.csv and reconcile.xlsx in "
		      "%s/\n"),
		    l.sc->name, rec->n_different, rec->n_compared,
		    rec->n_quarters_all, out);
	if (st == CAB_OK && o->is_fail_on_difference && rec->is_different)
		*o->exit_status = 3;
	cab_reconcile_free(rec);
	cab_operator_free(op);
	cab_run_free(l.run);
	l.run = NULL;
	cab_cli_loaded_release(&l);
	return st;
}
