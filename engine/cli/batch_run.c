/*
 * batch_run.c — one run of `cabine batch`, in a worker process: its
 * scenario from the batch, its readings from the batch's shared sources,
 * the sharing and bills, its reports (--reports), and its results as
 * bytes for the parent (cabine/store.h: cab_result_pack), which alone
 * writes batch.sqlite.
 *
 * Why apart from cmd_batch.c: the command plans, resumes and records;
 * this is the work each worker repeats, and what a run's results are
 * (the participants' rows and the indicators of the results file) is
 * said here once.
 *
 * A run that fails (its scenario, its readings, a report) is a result
 * too: status failed with its messages; only a worker that cannot hand
 * anything over fails the worker.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli/batch.h"

void cab_cli_batch_clean(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	size_t len = strlen(prefix);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, len)) {
			char sub[8192 + 300];
			snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
			cab_cli_rm_tree(sub);
		}
	closedir(d);
}

/* The results of a finished run into res (participants into parts, n
 * entries). */
static void fill_result(const struct cab_run *run, struct cab_result *res,
			struct cab_result_participant *parts)
{
	size_t missing = 0;
	int64_t delta = 0;
	double c = 0, p = 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		missing += r->missing_intervals;
		delta += r->delta_cents;
		c += r->total.consumption_kwh;
		p += r->total.production_kwh;
		parts[i] = (struct cab_result_participant){
		    .participant = run->sc->participants[i].id,
		    .bill_cents = r->bill.total_cents,
		    .baseline_cents = r->baseline.total_cents,
		    .delta_cents = r->delta_cents,
		    .has_baseline = !r->is_without_baseline,
		    .consumption_kwh = r->total.consumption_kwh,
		    .production_kwh = r->total.production_kwh,
		    .self_consumed_kwh = r->total.self_consumed_kwh,
		    .shared_kwh = r->total.shared_kwh,
		    .given_kwh = r->total.given_kwh,
		    .complementary_kwh = r->total.complementary_kwh,
		    .injected_kwh = r->total.injected_kwh,
		    .self_sufficiency_rate = r->self_sufficiency_rate,
		    .missing_intervals = r->missing_intervals};
	}
	double *v = res->ind;
	v[CAB_RES_PARTICIPANTS] = (double)run->n;
	v[CAB_RES_INTERVALS] = (double)run->n_intervals;
	v[CAB_RES_MISSING_INTERVALS] = (double)missing;
	v[CAB_RES_BILL_EUR] = (double)run->total_bill_cents / 100.0;
	v[CAB_RES_BASELINE_EUR] = (double)run->total_baseline_cents / 100.0;
	v[CAB_RES_DELTA_EUR] = (double)delta / 100.0;
	v[CAB_RES_CONSUMPTION_KWH] = c;
	v[CAB_RES_PRODUCTION_KWH] = p;
	v[CAB_RES_SHARED_KWH] = run->ind.allocated_kwh;
	v[CAB_RES_SHARED_INJECTION_KWH] = run->ind.shared_injection_kwh;
	v[CAB_RES_UNALLOCATED_KWH] = run->ind.unallocated_kwh;
	v[CAB_RES_SELF_CONSUMPTION_RATE] = run->ind.self_consumption_rate;
	v[CAB_RES_SELF_SUFFICIENCY_RATE] = run->ind.self_sufficiency_rate;
	v[CAB_RES_POSITIVE_ENERGY_BALANCE_KWH] =
	    run->ind.positive_energy_balance_kwh;
	v[CAB_RES_COINCIDENCE_FACTOR] = run->ind.coincidence_factor;
	res->sharing_key = run->sharing.key;
	res->n_participants = run->n;
	res->p = parts;
}

/* err's messages as one text without the last newline (heap). */
static char *messages(const struct cab_err *err)
{
	const char *t = err->text ? err->text : "";
	size_t n = strlen(t);
	while (n && t[n - 1] == '\n')
		n--;
	char *s = strndup(t, n);
	return s;
}

char *cab_cli_batch_error_text(const struct cab_err *err)
{
	return messages(err);
}

enum cab_status cab_cli_batch_work(size_t item, void *arg, char **out,
				   size_t *len, struct cab_err *werr)
{
	const struct cab_cli_batch_job *job = arg;
	size_t i = job->runs[item];
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	struct cab_run *run = NULL;
	struct cab_result_participant *parts = NULL;
	char name[512], *params = cab_batch_params_json(job->b, i);
	double pv = 1;
	cab_batch_run_name(job->b, i, name, sizeof name);
	struct cab_result res = {
	    .id = (int64_t)i + 1, .name = name, .params_json = params};
	for (int k = 0; k < CAB_RES_IND_COUNT; k++)
		res.ind[k] = 0;
	enum cab_status st = params ? CAB_OK : CAB_ENOMEM;
	if (st == CAB_OK)
		st = cab_batch_scenario(job->b, i, &sc, &pv, &err);
	if (st == CAB_OK)
		snprintf(name, sizeof name, "%s", sc->name);
	const struct cab_readings *rd = NULL;
	if (st == CAB_OK)
		st = cab_batch_sources_use(job->src, job->src_of[item], &rd,
					   &err);
	if (st == CAB_OK)
		st = cab_run_new(sc, rd, -1, &run, &err);
	/* SPEC §10: the run's warnings go into its summary.json; with
	 * --strict a warning fails the run (recorded with its message). */
	if (st == CAB_OK)
		st = cab_cli_warnings(job->o, sc, rd, run, &err);
	if (st == CAB_OK && job->writers && job->writers[0]) {
		char dir[8192], safe[256];
		cab_report_safe_name(sc->name, safe, sizeof safe);
		snprintf(dir, sizeof dir, "%s/%s", job->reports_dir, safe);
		/* What a killed earlier attempt left staged. */
		cab_cli_batch_clean(dir, ".cabine-");
		struct cab_report_opts ro = {.lang = job->lang,
					     .warnings = err.warnings,
					     .n_warnings = err.n_warnings};
		/* The fairness audit as `cabine run` makes it: Shapley
		 * shares when the scenario asks (SPEC §12). */
		st = cab_cli_write_audited(job->o, job->writers, run,
					   sc->is_shapley, &ro, dir, &err);
	}
	if (st == CAB_OK) {
		parts = calloc(run->n ? run->n : 1, sizeof *parts);
		if (!parts)
			st = cab_err_add(&err, CAB_ENOMEM, "out of memory");
	}
	if (st == CAB_OK) {
		res.is_ok = true;
		fill_result(run, &res, parts);
	} else {
		res.code = (int)st;
		res.error = messages(&err);
		if (!res.error || !res.error[0]) {
			free((char *)res.error);
			res.error = strdup(cab_status_str(st));
		}
	}
	enum cab_status pst = cab_result_pack(&res, out, len, werr);
	free((char *)res.error);
	free(parts);
	free(params);
	cab_run_free(run);
	cab_scenario_free(sc);
	cab_err_release(&err);
	return pst;
}
