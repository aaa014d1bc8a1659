/*
 * cmd_run.c — `cabine run` and `cabine check`: share and bill one
 * scenario and write its reports, or only say that it is valid; and the
 * steps the other scenario commands (alerts, curves, compare, demo) share
 * with them: loading the readings, running the base, writing a run's
 * reports into --out.
 *
 * Workload: one scenario, a year of quarter-hours for up to a few
 * thousand participants; the invoice workbooks are written by --jobs
 * worker processes (engine/base/pool.c through the writer).
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

enum cab_status cab_cli_load_readings(const struct cab_cli_opts *o,
				      const struct cab_scenario *sc,
				      struct cab_readings **out,
				      struct cab_err *err)
{
	cab_cli_progress(o, _("reading %s"),
			 sc->readings_path ? sc->readings_path
			 : sc->db_path	   ? sc->db_path
					   : "");
	if (o->jobs > 0) { /* the readings CSV and the sharing on --jobs
			      threads too */
		cab_readings_parse_threads(o->jobs);
		cab_share_threads(o->jobs);
	}
	return cab_source_load(sc, out, err);
}

enum cab_status cab_cli_load_run(const struct cab_cli_opts *o, const char *path,
				 struct cab_cli_loaded *l, struct cab_err *err)
{
	*l = (struct cab_cli_loaded){0};
	enum cab_status st = cab_scenario_load(path, &l->sc, err);
	if (st == CAB_OK)
		st = cab_cli_load_readings(o, l->sc, &l->rd, err);
	if (st == CAB_OK) {
		cab_cli_progress(o,
				 _("sharing and billing %zu participants over "
				   "%zu intervals"),
				 l->sc->n_participants, l->sc->n_intervals);
		st = cab_run_new(l->sc, l->rd, -1, &l->run, err);
	}
	if (st == CAB_OK)
		st = cab_cli_warnings(o, l->sc, l->rd, l->run, err);
	return st;
}

enum cab_status cab_cli_warnings(const struct cab_cli_opts *o,
				 const struct cab_scenario *sc,
				 const struct cab_readings *rd,
				 const struct cab_run *run, struct cab_err *err)
{
	enum cab_status st = cab_warnings_find(sc, rd, run, err);
	if (st == CAB_OK && o->is_strict)
		st = cab_err_warnings_to_errors(err);
	return st;
}

void cab_cli_loaded_release(struct cab_cli_loaded *l)
{
	cab_run_free(l->run);
	cab_readings_free(l->rd);
	cab_scenario_free(l->sc);
	*l = (struct cab_cli_loaded){0};
}

enum cab_status cab_cli_write_run(const struct cab_cli_opts *o,
				  const struct cab_cli_loaded *l,
				  const struct cab_report_ops *const *writers,
				  struct cab_report_opts *ro, char *out,
				  size_t size, struct cab_err *err)
{
	cab_cli_out_dir(o, l->sc, out, size);
	ro->is_detail = o->is_detail;
	ro->lang = o->lang;
	ro->jobs = cab_cli_invoice_jobs(o);
	ro->worker_hook = o->hooks ? o->hooks->invoice_workers : NULL;
	ro->warnings = err->warnings;
	ro->n_warnings = err->n_warnings;
	/* Shapley shares when the scenario asks (SPEC §12) and the run's
	 * reports read them (not for alerts or curves). */
	bool is_shapley =
	    l->sc->is_shapley && writers == cab_report_run_writers();
	return cab_cli_write_audited(o, writers, l->run, is_shapley, ro, out,
				     err);
}

enum cab_status cab_cli_write_audited(
    const struct cab_cli_opts *o, const struct cab_report_ops *const *writers,
    const struct cab_run *run, bool is_shapley, struct cab_report_opts *ro,
    const char *dir, struct cab_err *err)
{
	const struct cab_cli_writers w = {.run = writers};
	const struct cab_run *runs[] = {run};
	/* The fairness audit once for every writer. */
	struct cab_fairness *fair = NULL;
	enum cab_status st = cab_fairness_new(run, is_shapley, &fair, err);
	const struct cab_fairness *fa[] = {fair};
	ro->fairness = fa;
	if (st == CAB_OK)
		st = cab_cli_write_reports(o, &w, runs, 1, ro, dir, err);
	ro->fairness = NULL;
	cab_fairness_free(fair);
	return st;
}

enum cab_status cab_cli_run(const struct cab_cli_opts *o, struct cab_err *err)
{
	struct cab_cli_loaded l;
	enum cab_status st = cab_cli_load_run(o, o->operands[0], &l, err);
	char out[4096];
	struct cab_report_opts ro = {0};
	if (st == CAB_OK)
		st = cab_cli_write_run(o, &l, cab_report_run_writers(), &ro,
				       out, sizeof(out), err);
	if (st == CAB_OK && !o->is_quiet) {
		char tot[48];
		cab_report_fmt_cents(l.run->total_bill_cents, tot, sizeof(tot));
		char np[64];
		snprintf(np, sizeof np,
			 P_("%zu participant", "%zu participants", l.run->n),
			 l.run->n);
		printf(_("%s: %s, bills total %s EUR; reports in %s/\n"),
		       l.sc->name, np, tot, out);
	}
	cab_cli_loaded_release(&l);
	return st;
}

enum cab_status cab_cli_check(const struct cab_cli_opts *o, struct cab_err *err)
{
	struct cab_cli_loaded l;
	enum cab_status st = cab_cli_load_run(o, o->operands[0], &l, err);
	if (st == CAB_OK) {
		size_t missing = 0;
		for (size_t i = 0; i < l.run->n; i++)
			missing += l.run->p[i].missing_intervals;
		/* Each count with its own plural form ("1 cabin"). */
		const struct cab_scenario *sc = l.sc;
		char np[64], nc[64], ni[64], nm[96];
		snprintf(np, sizeof np,
			 P_("%zu participant", "%zu participants",
			    sc->n_participants),
			 sc->n_participants);
		snprintf(nc, sizeof nc,
			 P_("%zu cabin", "%zu cabins", sc->n_cabins),
			 sc->n_cabins);
		snprintf(ni, sizeof ni,
			 P_("%zu interval", "%zu intervals", sc->n_intervals),
			 sc->n_intervals);
		snprintf(nm, sizeof nm,
			 P_("%zu missing participant-interval",
			    "%zu missing participant-intervals", missing),
			 missing);
		printf(_("%s: ok: %s, %s, %s, %s\n"), o->operands[0], np, nc,
		       ni, nm);
	}
	cab_cli_loaded_release(&l);
	return st;
}
