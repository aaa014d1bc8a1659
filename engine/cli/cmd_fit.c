/*
 * cmd_fit.c — `cabine fit-key` (SPEC §12): the fixed weights an assembly
 * should declare to the grid operator, fitted to its own year of data.
 *
 * The base scenario is run with its sharing's key replaced by "fit" (the
 * fixed key whose weights the sharing stage fits, engine/sharing/fit.c)
 * and --rounds if given; fit.json is written (staged, all or nothing)
 * and the block to paste into the scenario's "sharing" printed on
 * stdout.
 *
 * Workload: one run of the scenario plus the fit (docs/PERFORMANCE.md).
 */
#include <stdio.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

enum cab_status cab_cli_fit(const struct cab_cli_opts *o, struct cab_err *err)
{
	const char *path = o->operands[0];
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run *run = NULL;
	enum cab_status st = cab_scenario_load(path, &sc, err);
	if (st == CAB_OK && sc->billing.mode == CAB_BILLING_INDIVIDUAL)
		st = cab_err_add(err, CAB_EINPUT,
				 _("%s: $.billing.mode: 'individual' shares "
				   "nothing, so no key can be fitted (expected "
				   "'shared' or 'pot')"),
				 path);
	if (st == CAB_OK)
		st = cab_cli_load_readings(o, sc, &rd, err);
	struct cab_sharing sh;
	if (st == CAB_OK) {
		sh = sc->sharing;
		snprintf(sh.key, sizeof sh.key, "fit");
		if (o->rounds >= 0)
			sh.is_until_done = o->rounds == 1;
		cab_cli_progress(o,
				 P_("fitting the fixed key of %zu participant",
				    "fitting the fixed key of %zu participants",
				    sc->n_participants),
				 sc->n_participants);
		st = cab_run_new_with(sc, rd, -1, &sh, &run, err);
	}
	char out[4096];
	if (st == CAB_OK) {
		cab_cli_out_dir(o, sc, out, sizeof out);
		static const struct cab_report_ops *const writers[] = {
		    &cab_report_fit_json, NULL};
		const struct cab_cli_writers w = {.run = writers};
		const struct cab_run *runs[] = {run};
		struct cab_report_opts ro = {.lang = -1};
		st = cab_cli_write_reports(o, &w, runs, 1, &ro, out, err);
	}
	if (st == CAB_OK && !o->is_quiet) {
		const struct cab_fit_report *r = &run->fit;
		char saving[48], best[48];
		cab_report_fmt_cents(cab_round_cents(r->saving_eur), saving,
				     sizeof saving);
		cab_report_fmt_cents(cab_round_cents(r->optimum_saving_eur),
				     best, sizeof best);
		printf(
		    r->is_until_done
			? _("%s: the fixed key (until-done) saves %s EUR, "
			    "the optimal key %s EUR (%.2f %% less); fit.json "
			    "in %s/\n")
			: _("%s: the fixed key (one round) saves %s EUR, the "
			    "optimal key %s EUR (%.2f %% less); fit.json in "
			    "%s/\n"),
		    sc->name, saving, best, r->loss_pct, out);
		fputs(_("Paste into \"sharing\":\n"), stdout);
		printf("  \"key\": \"fixed\",\n  \"rounds\": \"%s\",\n"
		       "  \"weights\": ",
		       r->is_until_done ? "until-done" : "one");
		cab_report_fit_weights(run, stdout, "    ");
		fputc('\n', stdout);
	}
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	return st;
}
