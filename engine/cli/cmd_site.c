/*
 * cmd_site.c — `cabine site SCENARIO.json [--out DIR] [--signal FILE]
 * [--lang L]`: the inhabitants' pages (SPEC §14, docs/site.md) into
 * DIR/site/ and the facilitator's list of links DIR/tokens.csv.
 *
 * Steps: with --signal, its windows (engine/ingest/signal_csv.c, before
 * anything else, so that a bad file writes nothing), sorted by time for
 * the pages' sun box; a signal.csv lying in DIR is never read unasked
 * (the user names the file); run the scenario; its load curves, alerts and
 * appliance inventory; the site's secret (read, or created on first use); when
 * the readings are power samples, each household's day of samples (the day of
 * its busiest quarter-hour); then the writers, staged. site/ is replaced whole
 * (a page of a participant who left, or of an old secret, must not linger): the
 * old folder is moved aside, the new one moved in, the old one removed; if the
 * move fails the old one is put back.
 *
 * Workload: one run, one pass of each analysis, one more parse of a
 * power-samples file, ~60 pages.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/samples.h"
#include "cabine/site.h"
#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

/* Windows by start, then end (the box groups them by day). */
static int by_time(const void *a, const void *b)
{
	const struct cab_signal_window *x = a, *y = b;
	if (x->start_s != y->start_s)
		return x->start_s < y->start_s ? -1 : 1;
	return (x->end_s > y->end_s) - (x->end_s < y->end_s);
}

static const struct cab_report_ops *const site_writers[] = {
    &cab_report_site,
    &cab_report_tokens_csv,
    NULL,
};

/* The local day of participant i's busiest quarter-hour: [*a, *b). */
static bool busiest_day(const struct cab_run *run, size_t i, int64_t *a,
			int64_t *b)
{
	const double *c = run->p[i].consumption_kwh;
	long best = -1;
	for (size_t t = 0; t < run->n_intervals; t++)
		if (!isnan(c[t]) && (best < 0 || c[t] > c[best]))
			best = (long)t;
	if (best < 0)
		return false;
	struct cab_civil lc;
	cab_time_to_local(run->t0_s + best * CAB_INTERVAL_S, &lc);
	*a = cab_time_local_midnight(lc.year, lc.month, lc.day);
	int64_t d = cab_time_days_from_civil(lc.year, lc.month, lc.day) + 1;
	int y, m, dd;
	cab_time_civil_from_days(d, &y, &m, &dd);
	*b = cab_time_local_midnight(y, m, dd);
	return true;
}

/* Each participant's day of power samples, when the readings are them. */
static enum cab_status power_days(const struct cab_cli_opts *o,
				  const struct cab_cli_loaded *l,
				  struct cab_power_day **out,
				  struct cab_err *err)
{
	const struct cab_scenario *sc = l->sc;
	*out = NULL;
	if (!sc->readings_path || !cab_source_is_power_file(sc->readings_path))
		return CAB_OK;
	struct cab_power_day *days = calloc(l->run->n + 1, sizeof(*days));
	if (!days)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < l->run->n; i++) {
		const struct cab_participant *p = &sc->participants[i];
		const char *meter = p->meter_consumption ? p->meter_consumption
							 : p->meter_offtake;
		if (meter &&
		    busiest_day(l->run, i, &days[i].start_s, &days[i].end_s))
			days[i].meter = meter;
	}
	cab_cli_progress(o,
			 P_("reading the power samples of %zu day",
			    "reading the power samples of %zu days", l->run->n),
			 l->run->n);
	enum cab_status st = cab_samples_read(sc, days, l->run->n, err);
	if (st != CAB_OK) {
		for (size_t i = 0; i < l->run->n; i++)
			cab_power_day_release(&days[i]);
		free(days);
		return st;
	}
	*out = days;
	return CAB_OK;
}

/* Write the site into a staging folder, then replace out/site whole and
 * move tokens.csv beside it. */
static enum cab_status write_site(const struct cab_cli_opts *o,
				  const struct cab_cli_loaded *l,
				  const struct cab_report_opts *ro,
				  const char *out, struct cab_err *err)
{
	char stage[4096], old[4096], site[4200];
	enum cab_status st =
	    cab_cli_stage_open_in(out, ".cabine-", stage, sizeof(stage), err);
	if (st != CAB_OK)
		return st;
	for (size_t k = 0; site_writers[k] && st == CAB_OK; k++) {
		cab_cli_progress(o, _("writing %s"), site_writers[k]->name);
		st = site_writers[k]->write(l->run, ro, stage, err);
	}
	snprintf(site, sizeof(site), "%s/site", out);
	bool has_old = false;
	struct stat sb;
	if (st == CAB_OK && lstat(site, &sb) == 0) {
		st = cab_cli_stage_open_in(out, ".cabine-old-", old,
					   sizeof(old), err);
		/* rename() onto the new empty folder replaces it. */
		if (st == CAB_OK && rename(site, old) != 0)
			st = cab_err_add(err, CAB_EIO,
					 _("%s: cannot move the old site aside "
					   "(%s)"),
					 site, strerror(errno));
		has_old = st == CAB_OK;
	}
	if (st == CAB_OK) {
		st = cab_cli_stage_merge(stage, out, err);
		if (st != CAB_OK && has_old) {
			cab_cli_rm_tree(site);
			rename(old, site);
			has_old = false;
		}
	}
	if (has_old)
		cab_cli_rm_tree(old);
	cab_cli_rm_tree(stage);
	return st;
}

enum cab_status cab_cli_site(const struct cab_cli_opts *o, struct cab_err *err)
{
	struct cab_cli_loaded l = {0};
	struct cab_curves *curves = NULL;
	struct cab_alerts *alerts = NULL;
	struct cab_appliances *appliances = NULL;
	struct cab_power_day *days = NULL;
	unsigned char *key = NULL;
	size_t key_len = 0;
	bool is_created = false;
	struct cab_signal_window *windows = NULL;
	size_t n_windows = 0;
	enum cab_status st = CAB_OK;
	if (o->signal) {
		st = cab_signal_csv_read(o->signal, &windows, &n_windows, err);
		if (st == CAB_OK && n_windows > 1)
			qsort(windows, n_windows, sizeof(*windows), by_time);
	}
	if (st == CAB_OK)
		st = cab_cli_load_run(o, o->operands[0], &l, err);
	if (st == CAB_OK) {
		cab_cli_progress(o, _("computing load curves and alerts"));
		st = cab_curves_new(l.run, &curves, err);
	}
	if (st == CAB_OK && l.sc->n_alerts)
		st = cab_alerts_new(l.run, &alerts, err);
	if (st == CAB_OK && l.sc->n_appliances)
		st = cab_appliances_new(l.run, alerts, &appliances, err);
	if (st == CAB_OK)
		st = power_days(o, &l, &days, err);
	if (st == CAB_OK)
		st = cab_site_secret(l.sc->site_secret_path, &key, &key_len,
				     &is_created, err);
	char out[4096];
	if (st == CAB_OK) {
		struct cab_site_input in = {
		    .key = key,
		    .key_len = key_len,
		    .power_days = days,
		    .is_power_source =
			l.sc->readings_path &&
			cab_source_is_power_file(l.sc->readings_path),
		    .has_tomorrow = o->signal != NULL,
		    .n_tomorrow = n_windows,
		    .tomorrow = windows,
		};
		struct cab_report_opts ro = {.lang = o->lang,
					     .curves = curves,
					     .alerts = alerts,
					     .appliances = appliances,
					     .site = &in};
		cab_cli_out_dir(o, l.sc, out, sizeof(out));
		st = write_site(o, &l, &ro, out, err);
	}
	if (st == CAB_OK && !o->is_quiet) {
		printf(P_("%s: %zu private page and the community's in "
			  "%s/site/; who gets which link: %s/tokens.csv\n",
			  "%s: %zu private pages and the community's in "
			  "%s/site/; who gets which link: %s/tokens.csv\n",
			  l.run->n),
		       l.sc->name, l.run->n, out, out);
		if (is_created)
			printf(_("%s: the site's secret was created: keep it "
				 "(the links are made from it) and never hand "
				 "it out\n"),
			       l.sc->site_secret_path);
	}
	for (size_t i = 0; days && i < l.run->n; i++)
		cab_power_day_release(&days[i]);
	free(days);
	free(windows);
	free(key);
	cab_appliances_free(appliances);
	cab_alerts_free(alerts);
	cab_curves_free(curves);
	cab_cli_loaded_release(&l);
	return st;
}
