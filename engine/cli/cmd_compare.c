/*
 * cmd_compare.c — `cabine compare`: the base scenario and every variant
 * of its "compare" array on the same readings, loaded once; compare.xlsx
 * and compare.csv, all or nothing (nothing is written if any variant
 * fails).
 *
 * Workload: 1 + (number of variants) runs of one scenario, all held in
 * memory until the writers have read them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

enum cab_status cab_cli_compare(const struct cab_cli_opts *o,
				struct cab_err *err)
{
	const char *path = o->operands[0];
	struct cab_scenario *sc = NULL;
	struct cab_readings *rd = NULL;
	struct cab_run **runs = NULL;
	size_t n_runs = 0;
	enum cab_status st = cab_scenario_load(path, &sc, err);
	if (st == CAB_OK && sc->n_variants == 0)
		st = cab_err_add(err, CAB_EINPUT,
				 _("%s: $.compare: no variant to compare "
				   "(expected a non-empty \"compare\" array)"),
				 path);
	/* compare.csv names the base "base": a variant of that name would
	 * make its rows ambiguous. */
	for (size_t k = 0; st == CAB_OK && k < sc->n_variants; k++)
		if (strcmp(sc->variants[k].name, "base") == 0)
			st = cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: $.compare[%zu].name: variant name 'base' is "
			      "reserved for the base scenario"),
			    path, k);
	if (st == CAB_OK)
		st = cab_cli_load_readings(o, sc, &rd, err);
	if (st == CAB_OK) {
		runs = calloc(sc->n_variants + 1, sizeof(*runs));
		if (!runs)
			st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	for (size_t k = 0; st == CAB_OK && k <= sc->n_variants; k++) {
		long v = (long)k - 1; /* the base first, then the variants */
		cab_cli_progress(o, _("running %s"),
				 v < 0 ? "base" : sc->variants[v].name);
		st = cab_run_new(sc, rd, v, &runs[k], err);
		if (st == CAB_OK)
			n_runs++;
		if (st == CAB_OK && v < 0)
			st = cab_cli_warnings(o, sc, rd, runs[0], err);
	}
	/* compare always audits fairness with Shapley shares (SPEC §12). */
	struct cab_fairness **fair = NULL;
	if (st == CAB_OK) {
		fair = calloc(n_runs ? n_runs : 1, sizeof(*fair));
		if (!fair)
			st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	for (size_t k = 0; st == CAB_OK && k < n_runs; k++) {
		cab_cli_progress(o, _("fairness of %s"),
				 k ? sc->variants[k - 1].name : "base");
		/* A variant that changes only the key plays the base's
		 * game: its shares are copied. */
		struct cab_fairness_opts fo = {.is_shapley = true};
		for (size_t j = 0; j < k && !fo.shapley_of; j++)
			if (cab_fairness_same_game(runs[j], runs[k]))
				fo.shapley_of = fair[j];
		st = cab_fairness_new_opts(runs[k], &fo, &fair[k], err);
	}
	if (st == CAB_OK) {
		char out[4096];
		cab_cli_out_dir(o, sc, out, sizeof(out));
		struct cab_report_opts ro = {
		    .lang = o->lang,
		    .fairness = (const struct cab_fairness *const *)fair};
		const struct cab_cli_writers w = {
		    .compare = cab_report_compare_writers()};
		st = cab_cli_write_reports(o, &w,
					   (const struct cab_run *const *)runs,
					   n_runs, &ro, out, err);
		if (st == CAB_OK && !o->is_quiet) {
			char np[64], nv[64];
			snprintf(np, sizeof np,
				 P_("%zu participant", "%zu participants",
				    sc->n_participants),
				 sc->n_participants);
			snprintf(
			    nv, sizeof nv,
			    P_("%zu variant", "%zu variants", sc->n_variants),
			    sc->n_variants);
			printf(_("%s: %s, base and %s; compare.xlsx and "
				 "compare.csv in %s/\n"),
			       sc->name, np, nv, out);
		}
	}
	for (size_t k = 0; k < n_runs; k++) {
		cab_fairness_free(fair ? fair[k] : NULL);
		cab_run_free(runs[k]);
	}
	free(fair);
	free(runs);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	return st;
}
