/*
 * signal.c — a signal.csv of `cabine forecast` read back as announced
 * windows of the scenario (`cabine alerts --signal`, SPEC §15).
 *
 * Why: a community that sent the surplus-hours SMS wants to know whether
 * households followed it, the way it measured its alerts: the windows
 * join the scenario's alerts (announced, the last n_signal_windows) so that the
 * one effect formula of engine/analyse/alerts.c measures them, and every
 * alert's reference windows avoid them. The windows are appended here
 * because the scenario's struct belongs to its loader (STYLE.md: the owner
 * writes); the file itself is read by the one reader of signal.csv,
 * engine/ingest/signal_csv.c (also used by `cabine site --signal`), whose
 * messages these are. surplus_kwh is checked there and not used here.
 *
 * Workload: a few windows a day; one pass.
 * Ownership: the alerts array of sc is replaced by a longer copy.
 */
#include "cabine/scenario.h"

#include <stdlib.h>
#include <string.h>

#include "cabine/signal_csv.h"
#include "engine/base/i18n.h"

/* Append windows w[0..n) to sc's alerts as announced signal windows. */
static enum cab_status append(struct cab_scenario *sc, const char *name,
			      const struct cab_signal_window *w, size_t n,
			      struct cab_err *err)
{
	struct cab_alert *all =
	    malloc((sc->n_alerts + n + 1) * sizeof(struct cab_alert));
	if (!all)
		return cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"),
				   name);
	if (sc->n_alerts)
		memcpy(all, sc->alerts, sc->n_alerts * sizeof(*all));
	for (size_t k = 0; k < n; k++)
		all[sc->n_alerts + k] =
		    (struct cab_alert){.start_s = w[k].start_s,
				       .end_s = w[k].end_s,
				       .is_announced = true};
	free(sc->alerts);
	sc->alerts = all;
	sc->n_alerts += n;
	sc->n_signal_windows += n;
	return CAB_OK;
}

enum cab_status cab_scenario_parse_signal(struct cab_scenario *sc,
					  const char *name, const char *buf,
					  size_t len, struct cab_err *err)
{
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	enum cab_status st = cab_signal_csv_parse(name, buf, len, &w, &n, err);
	if (st == CAB_OK)
		st = append(sc, name, w, n, err);
	free(w);
	return st;
}

enum cab_status cab_scenario_add_signal(struct cab_scenario *sc,
					const char *path, struct cab_err *err)
{
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	enum cab_status st = cab_signal_csv_read(path, &w, &n, err);
	if (st == CAB_OK)
		st = append(sc, path, w, n, err);
	free(w);
	return st;
}
