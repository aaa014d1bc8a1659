/*
 * alerts_csv.c — alerts.csv (SPEC §8): one row per alert, window and
 * participant, then the community. Rows follow the alerts by start time,
 * then the windows (during, after, before), then participant ids; a
 * participant without complete data has empty values and its count of
 * reference windows, so exclusions are visible rather than guessed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/alerts.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"

static const char *const window_names[] = {"during", "after", "before"};

static void put_row(FILE *f, const char *alert, const char *who,
		    const struct cab_alert_effect *e)
{
	char a[40] = "", r[40] = "", d[40] = "", pct[40] = "";
	if (e->is_complete) {
		cab_report_fmt_kwh(e->e_alert_kwh, a, sizeof(a));
		cab_report_fmt_kwh(e->e_ref_kwh, r, sizeof(r));
		cab_report_fmt_kwh(e->delta_kwh, d, sizeof(d));
		if (!isnan(e->delta_pct))
			snprintf(pct, sizeof(pct), "%.2f", e->delta_pct + 0.0);
	}
	cab_report_csv_text(f, alert);
	fputc(',', f);
	cab_report_csv_text(f, who);
	fprintf(f, ",%s,%s,%s,%s,%s,%zu\n", window_names[e->window], a, r, d,
		pct, e->reference_windows);
}

static const struct cab_scenario *sort_sc;

static int by_start(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int64_t a = sort_sc->alerts[i].start_s, b = sort_sc->alerts[j].start_s;
	return a < b ? -1 : a > b ? 1 : (i > j) - (i < j);
}

static enum cab_status write_alerts(const struct cab_run *run,
				    const struct cab_report_opts *opts,
				    const char *dir, struct cab_err *err)
{
	const struct cab_alerts *al = opts ? opts->alerts : NULL;
	if (!al)
		return CAB_OK;
	const struct cab_scenario *sc = run->sc;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	size_t *alert_order =
	    malloc((sc->n_alerts ? sc->n_alerts : 1) * sizeof(size_t));
	/* Row index of (alert, window, slot): slot 0 the community, 1..n
	 * the participants, then the groups. */
	size_t n_groups = 0;
	char gname[300];
	while (cab_alerts_group_name(sc, n_groups, gname, sizeof(gname)))
		n_groups++;
	size_t stride = run->n + 1 + n_groups;
	size_t cells = sc->n_alerts * 3 * stride;
	long *cell = malloc((cells ? cells : 1) * sizeof(long));
	FILE *f = NULL;
	enum cab_status st = CAB_ENOMEM;
	if (!order || !alert_order || !cell)
		goto done;
	for (size_t k = 0; k < cells; k++)
		cell[k] = -1;
	for (size_t k = 0; k < al->n; k++) {
		const struct cab_alert_effect *e = &al->effect[k];
		size_t slot = e->participant >= -1
				  ? (size_t)(e->participant + 1)
				  : run->n + 1 + (size_t)(-2 - e->participant);
		cell[(e->alert * 3 + e->window) * stride + slot] = (long)k;
	}
	for (size_t k = 0; k < sc->n_alerts; k++)
		alert_order[k] = k;
	sort_sc = sc;
	qsort(alert_order, sc->n_alerts, sizeof(size_t), by_start);
	sort_sc = NULL;
	st = CAB_EIO;
	f = cab_report_open(dir, "alerts.csv", path, sizeof(path), err);
	if (!f)
		goto done;
	fputs("alert,participant,window,e_alert_kwh,e_ref_kwh,delta_kwh,"
	      "delta_pct,reference_windows\n",
	      f);
	for (size_t ka = 0; ka < sc->n_alerts; ka++) {
		size_t k = alert_order[ka];
		char start[32];
		cab_alerts_label(sc, k, start, sizeof(start));
		for (int w = 0; w < 3; w++) {
			const long *row = &cell[(k * 3 + (size_t)w) * stride];
			if (row[0] < 0)
				continue; /* no "before" for a surprise alert */
			for (size_t j = 0; j < run->n; j++) {
				size_t i = order[j];
				if (row[i + 1] >= 0)
					put_row(f, start,
						sc->participants[i].id,
						&al->effect[row[i + 1]]);
			}
			for (size_t g = 0; g < n_groups; g++) {
				cab_alerts_group_name(sc, g, gname,
						      sizeof(gname));
				if (row[run->n + 1 + g] >= 0)
					put_row(
					    f, start, gname,
					    &al->effect[row[run->n + 1 + g]]);
			}
			put_row(f, start, "community", &al->effect[row[0]]);
		}
	}
	st = cab_report_close(f, path, err);
	f = NULL;
done:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	free(order);
	free(alert_order);
	free(cell);
	return st;
}

const struct cab_report_ops cab_report_alerts_csv = {"alerts.csv",
						     write_alerts};
