/*
 * appliances_csv.c — the appliance inventory's two tables for researchers
 * (docs/appliances.md): appliances_households.csv, one row per household
 * with an inventory then the community, and appliances_alerts.csv, per
 * alert window what each household's uses usually draw then against what
 * it shed.
 *
 * Why two CSV files beside appliances.xlsx: scripts and spreadsheets read
 * one flat table each; the workbook is the facilitator's. Numbers come
 * from cab_appliances_new (engine/analyse/appliances.c), written with
 * kWh's 6 decimals and shares with 6; a value that cannot be known (a
 * household without meter data, an alert without a complete reference)
 * is an empty field. Rows are in participant-id order, alerts by start.
 * The output names differ from the inventory's usual name
 * (appliances.csv) so that --out beside the scenario never overwrites it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/appliances.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"

/* ",<kWh>" or "," when unknown. */
static void put_kwh(FILE *f, double v)
{
	char b[48] = "";
	if (!isnan(v))
		cab_report_fmt_kwh(v, b, sizeof(b));
	fprintf(f, ",%s", b);
}

static void put_share(FILE *f, double v)
{
	if (isnan(v))
		fputs(",", f);
	else
		fprintf(f, ",%.6f", v + 0.0);
}

static void put_sums(FILE *f, const struct cab_appliance_sums *s)
{
	fprintf(f, ",%zu,%zu", s->n_appliances, s->n_measured);
	put_kwh(f, s->estimated_kwh_day);
	put_kwh(f, s->n_measured ? s->measured_kwh_day : NAN);
	put_kwh(f, s->n_measured ? s->estimate_of_measured_kwh_day : NAN);
	put_kwh(f, s->inventory_kwh_day);
	for (int c = 0; c < CAB_USE_CLASSES; c++)
		put_kwh(f, s->class_kwh_day[c]);
	put_kwh(f, s->shiftable_kwh_day);
}

static enum cab_status write_households(const struct cab_run *run,
					const struct cab_report_opts *opts,
					const char *dir, struct cab_err *err)
{
	const struct cab_appliances *ap = opts ? opts->appliances : NULL;
	if (!ap)
		return CAB_OK;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f = cab_report_open(dir, "appliances_households.csv", path,
				  sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	fputs("participant,appliances,measured,estimated_kwh_day,"
	      "measured_kwh_day,estimate_of_measured_kwh_day,"
	      "inventory_kwh_day,indispensable_kwh_day,useful_kwh_day,"
	      "comfort_kwh_day,shiftable_kwh_day,meter_kwh_day,"
	      "explained_share\n",
	      f);
	for (size_t j = 0; j < run->n; j++) {
		const struct cab_appliance_household *h =
		    cab_appliances_find(ap, order[j]);
		if (!h)
			continue;
		cab_report_csv_text(f,
				    run->sc->participants[h->participant].id);
		put_sums(f, &h->sums);
		put_kwh(f, h->meter_kwh_day);
		put_share(f, h->explained_share);
		fputc('\n', f);
	}
	fputs("community", f);
	put_sums(f, &ap->community);
	put_kwh(f, ap->community_meter_kwh_day);
	put_share(f, ap->community_explained_share);
	fputc('\n', f);
	free(order);
	return cab_report_close(f, path, err);
}

static const struct cab_scenario *sort_sc;

static int by_start(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int64_t a = sort_sc->alerts[i].start_s, b = sort_sc->alerts[j].start_s;
	return a < b ? -1 : a > b ? 1 : (i > j) - (i < j);
}

static void put_alert_values(FILE *f, const struct cab_appliance_alert *r)
{
	for (int c = 0; c < CAB_USE_CLASSES; c++)
		put_kwh(f, r->class_kwh[c]);
	put_kwh(f, r->could_shed_kwh);
	put_kwh(f, r->has_effect ? r->shed_kwh : NAN);
	fputc('\n', f);
}

static enum cab_status write_alerts(const struct cab_run *run,
				    const struct cab_report_opts *opts,
				    const char *dir, struct cab_err *err)
{
	const struct cab_appliances *ap = opts ? opts->appliances : NULL;
	const struct cab_scenario *sc = run->sc;
	if (!ap)
		return CAB_OK;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	size_t *alerts = malloc((sc->n_alerts + 1) * sizeof(size_t));
	long *slot = malloc((run->n + 1) * sizeof(long));
	FILE *f = NULL;
	if (!order || !alerts || !slot) {
		free(order), free(alerts), free(slot);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < run->n; i++)
		slot[i] = -1;
	for (size_t h = 0; h < ap->n_households; h++)
		slot[ap->household[h].participant] = (long)h;
	for (size_t k = 0; k < sc->n_alerts; k++)
		alerts[k] = k;
	sort_sc = sc;
	qsort(alerts, sc->n_alerts, sizeof(size_t), by_start);
	sort_sc = NULL;
	f = cab_report_open(dir, "appliances_alerts.csv", path, sizeof(path),
			    err);
	if (!f) {
		free(order), free(alerts), free(slot);
		return CAB_EIO;
	}
	fputs("alert,participant,indispensable_kwh,useful_kwh,comfort_kwh,"
	      "could_shed_kwh,shed_kwh\n",
	      f);
	for (size_t ka = 0; ka < sc->n_alerts; ka++) {
		size_t k = alerts[ka];
		char start[24];
		cab_time_format_local(sc->alerts[k].start_s, start);
		for (size_t j = 0; j < run->n; j++) {
			long h = slot[order[j]];
			if (h < 0)
				continue;
			const struct cab_appliance_alert *r =
			    &ap->alert_row[k * ap->n_households + (size_t)h];
			fprintf(f, "%s,", start);
			cab_report_csv_text(f, sc->participants[order[j]].id);
			put_alert_values(f, r);
		}
		fprintf(f, "%s,", start);
		fputs("community", f);
		put_alert_values(f, &ap->alert_total[k]);
	}
	free(order), free(alerts), free(slot);
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_appliances_households_csv = {
    "appliances_households.csv", write_households};
const struct cab_report_ops cab_report_appliances_alerts_csv = {
    "appliances_alerts.csv", write_alerts};
