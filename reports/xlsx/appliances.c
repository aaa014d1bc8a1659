/*
 * appliances.c — appliances.xlsx (`cabine appliances`,
 * docs/appliances.md): the facilitator's view of the households'
 * appliance inventories.
 *
 * Sheets: the households (appliances_households.csv's table with the
 * share of the meter explained, the community's row, the totals by
 * class, and a chart of inventory against meter per household); the
 * inventory itself (every row as the households wrote it, with its
 * estimated and measured kWh per day); the alerts (appliances_alerts.csv:
 * what the useful and comfort uses usually draw in each alert window
 * against what was shed, and a chart of the community's totals).
 * Every number comes from cab_appliances_new; nothing is computed here.
 *
 * Workload: tens of households, hundreds of rows, a handful of alerts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/appliances.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"
#include "reports/xlsx/book.h"
#include "reports/xlsx/words.h"

static void put_sums(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		     const struct cab_appliance_sums *s)
{
	cab_book_put_num(b, ws, r, 1, (double)s->n_appliances, NULL);
	cab_book_put_num(b, ws, r, 2, (double)s->n_measured, NULL);
	cab_book_put_num(b, ws, r, 3, s->estimated_kwh_day, b->kwh);
	if (s->n_measured) {
		cab_book_put_num(b, ws, r, 4, s->measured_kwh_day, b->kwh);
		cab_book_put_num(b, ws, r, 5, s->estimate_of_measured_kwh_day,
				 b->kwh);
	}
	cab_book_put_num(b, ws, r, 6, s->inventory_kwh_day, b->kwh);
	for (int c = 0; c < CAB_USE_CLASSES; c++)
		cab_book_put_num(b, ws, r, (lxw_col_t)(7 + c),
				 s->class_kwh_day[c], b->kwh);
	cab_book_put_num(b, ws, r, 10, s->shiftable_kwh_day, b->kwh);
}

static void households_sheet(struct cab_book *b, const struct cab_run *run,
			     const struct cab_appliances *ap,
			     const struct cab_appliances_words *w,
			     const size_t *order)
{
	lxw_worksheet *ws = cab_book_sheet(b, w->households_sheet);
	if (!ws)
		return;
	cab_book_put_str(b, ws, 0, 0, w->title, b->title);
	for (lxw_col_t c = 0; c < 13; c++)
		cab_book_put_str(b, ws, 2, c, w->household_cols[c],
				 c ? b->head_num : b->head);
	lxw_row_t r = 3;
	for (size_t j = 0; j < run->n; j++) {
		const struct cab_appliance_household *h =
		    cab_appliances_find(ap, order[j]);
		if (!h)
			continue;
		cab_book_put_str(b, ws, r, 0,
				 run->sc->participants[h->participant].id,
				 NULL);
		put_sums(b, ws, r, &h->sums);
		cab_book_put_num(b, ws, r, 11, h->meter_kwh_day, b->kwh);
		cab_book_put_num(b, ws, r, 12, h->explained_share, b->pct);
		r++;
	}
	lxw_row_t last = r - 1;
	cab_book_put_str(b, ws, r, 0, w->community, b->total_label);
	put_sums(b, ws, r, &ap->community);
	cab_book_put_num(b, ws, r, 11, ap->community_meter_kwh_day, b->kwh);
	cab_book_put_num(b, ws, r, 12, ap->community_explained_share, b->pct);
	r += 2;
	cab_book_put_str(b, ws, r++, 0, w->note, b->remark);
	r++;
	cab_book_put_str(b, ws, r++, 0, w->by_class, b->bold);
	for (lxw_col_t c = 0; c < 3; c++)
		cab_book_put_str(b, ws, r, c, w->class_cols[c],
				 c ? b->head_num : b->head);
	r++;
	for (int c = 0; c < CAB_USE_CLASSES; c++, r++) {
		cab_book_put_str(b, ws, r, 0, w->classes[c], NULL);
		cab_book_put_num(b, ws, r, 1,
				 (double)ap->community.class_count[c], NULL);
		cab_book_put_num(b, ws, r, 2, ap->community.class_kwh_day[c],
				 b->kwh);
	}
	cab_book_put_str(b, ws, r, 0, w->total, b->total_label);
	cab_book_put_num(b, ws, r, 1, (double)ap->community.n_appliances, NULL);
	cab_book_put_num(b, ws, r, 2, ap->community.inventory_kwh_day, b->kwh);
	r += 2;
	if (last >= 3) {
		lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
		const char *sheet = w->households_sheet;
		cab_book_add_series(b, ch, sheet, 3, last, 0, 6,
				    w->series_inventory);
		cab_book_add_series(b, ch, sheet, 3, last, 0, 11,
				    w->series_meter);
		cab_book_place_chart(b, ws, r, 0, ch, w->chart_households,
				     w->axis_kwh_day, 1);
	}
	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, 12, 13, NULL);
	cab_book_print_table(b, ws, true, 2);
}

static void inventory_sheet(struct cab_book *b, const struct cab_run *run,
			    const struct cab_appliances_words *w,
			    const size_t *order)
{
	const struct cab_scenario *sc = run->sc;
	lxw_worksheet *ws = cab_book_sheet(b, w->inventory_sheet);
	if (!ws)
		return;
	for (lxw_col_t c = 0; c < 10; c++)
		cab_book_put_str(b, ws, 0, c, w->inventory_cols[c],
				 c == 3 || c == 4 || c >= 8 ? b->head_num
							    : b->head);
	lxw_row_t r = 1;
	for (size_t j = 0; j < run->n; j++) {
		size_t i = order[j];
		for (size_t k = 0; k < sc->n_appliances; k++) {
			const struct cab_appliance *a = &sc->appliances[k];
			if (a->participant != i)
				continue;
			cab_book_put_str(b, ws, r, 0, sc->participants[i].id,
					 NULL);
			cab_book_put_str(b, ws, r, 1, a->name, NULL);
			cab_book_put_str(b, ws, r, 2, w->classes[a->use_class],
					 NULL);
			cab_book_put_num(b, ws, r, 3, a->watts, NULL);
			cab_book_put_num(b, ws, r, 4, a->hours_per_day, NULL);
			if (a->has_time) {
				char t[32];
				snprintf(t, sizeof(t), "%02d:%02d-%02d:%02d",
					 a->from_min / 60, a->from_min % 60,
					 a->to_min / 60, a->to_min % 60);
				cab_book_put_str(b, ws, r, 5, t, NULL);
			}
			cab_book_put_str(b, ws, r, 6,
					 a->is_shiftable ? w->yes : w->no,
					 NULL);
			if (a->alternative)
				cab_book_put_str(b, ws, r, 7, a->alternative,
						 NULL);
			cab_book_put_num(b, ws, r, 8,
					 a->watts * a->hours_per_day / 1000.0,
					 b->kwh);
			if (!isnan(a->measured_kwh))
				cab_book_put_num(b, ws, r, 9,
						 cab_appliance_kwh_day(a),
						 b->kwh);
			r++;
		}
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 24, NULL);
	worksheet_set_column(ws, 2, 9, 13, NULL);
	worksheet_set_column(ws, 7, 7, 24, NULL);
	cab_book_print_table(b, ws, true, 0);
}

static void alert_values(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
			 const struct cab_appliance_alert *a)
{
	for (int c = 0; c < CAB_USE_CLASSES; c++)
		cab_book_put_num(b, ws, r, (lxw_col_t)(2 + c), a->class_kwh[c],
				 b->kwh);
	cab_book_put_num(b, ws, r, 5, a->could_shed_kwh, b->kwh);
	if (a->has_effect)
		cab_book_put_num(b, ws, r, 6, a->shed_kwh, b->kwh);
}

static const struct cab_scenario *sort_sc;

static int by_start(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int64_t a = sort_sc->alerts[i].start_s, b = sort_sc->alerts[j].start_s;
	return a < b ? -1 : a > b ? 1 : (i > j) - (i < j);
}

static void alerts_sheet(struct cab_book *b, const struct cab_run *run,
			 const struct cab_appliances *ap,
			 const struct cab_appliances_words *w,
			 const size_t *order, size_t *alerts)
{
	const struct cab_scenario *sc = run->sc;
	if (sc->n_alerts == 0)
		return;
	lxw_worksheet *ws = cab_book_sheet(b, w->alerts_sheet);
	if (!ws)
		return;
	for (lxw_col_t c = 0; c < 7; c++)
		cab_book_put_str(b, ws, 0, c, w->alert_cols[c],
				 c >= 2 ? b->head_num : b->head);
	for (size_t k = 0; k < sc->n_alerts; k++)
		alerts[k] = k;
	sort_sc = sc;
	qsort(alerts, sc->n_alerts, sizeof(size_t), by_start);
	sort_sc = NULL;
	/* The community rows, one per alert, for the chart: in columns
	 * 9.. (alert, could shed, shed). */
	lxw_row_t r = 1;
	for (size_t ka = 0; ka < sc->n_alerts; ka++) {
		size_t k = alerts[ka];
		char start[24];
		cab_time_format_local(sc->alerts[k].start_s, start);
		for (size_t j = 0; j < run->n; j++) {
			const struct cab_appliance_household *h =
			    cab_appliances_find(ap, order[j]);
			if (!h)
				continue;
			size_t hi = (size_t)(h - ap->household);
			cab_book_put_str(b, ws, r, 0, start, NULL);
			cab_book_put_str(b, ws, r, 1,
					 sc->participants[order[j]].id, NULL);
			alert_values(b, ws, r,
				     &ap->alert_row[k * ap->n_households + hi]);
			r++;
		}
		cab_book_put_str(b, ws, r, 0, start, b->total_label);
		cab_book_put_str(b, ws, r, 1, w->community, b->total_label);
		alert_values(b, ws, r, &ap->alert_total[k]);
		r++;
		cab_book_put_str(b, ws, (lxw_row_t)(1 + ka), 9, start, NULL);
		cab_book_put_num(b, ws, (lxw_row_t)(1 + ka), 10,
				 ap->alert_total[k].could_shed_kwh, b->kwh);
		if (ap->alert_total[k].has_effect)
			cab_book_put_num(b, ws, (lxw_row_t)(1 + ka), 11,
					 ap->alert_total[k].shed_kwh, b->kwh);
	}
	cab_book_put_str(b, ws, 0, 9, w->alert_cols[0], b->head);
	cab_book_put_str(b, ws, 0, 10, w->series_could, b->head_num);
	cab_book_put_str(b, ws, 0, 11, w->series_shed, b->head_num);
	lxw_chart *ch = cab_book_chart(b, LXW_CHART_COLUMN);
	lxw_row_t last = (lxw_row_t)sc->n_alerts;
	cab_book_add_series(b, ch, w->alerts_sheet, 1, last, 9, 10,
			    w->series_could);
	cab_book_add_series(b, ch, w->alerts_sheet, 1, last, 9, 11,
			    w->series_shed);
	cab_book_place_chart(b, ws, last + 2, 9, ch, w->chart_alerts,
			     w->axis_kwh, 1);
	worksheet_set_column(ws, 0, 0, 17, NULL);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_set_column(ws, 2, 6, 14, NULL);
	worksheet_set_column(ws, 9, 9, 17, NULL);
	worksheet_set_column(ws, 10, 11, 14, NULL);
	cab_book_print_table(b, ws, true, 0);
}

static enum cab_status write_book(const struct cab_run *run,
				  const struct cab_report_opts *opts,
				  const char *dir, struct cab_err *err)
{
	const struct cab_appliances *ap = opts ? opts->appliances : NULL;
	if (!ap)
		return CAB_OK;
	const struct cab_appliances_words *w =
	    cab_words_appliances(cab_book_lang(opts));
	size_t *order = cab_report_order_by_id(run);
	size_t *alerts = malloc((run->sc->n_alerts + 1) * sizeof(size_t));
	if (!order || !alerts) {
		free(order), free(alerts);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	struct cab_book b;
	char path[4096];
	enum cab_status st = cab_book_open(&b, dir, "appliances.xlsx", w->title,
					   NULL, path, sizeof(path), err);
	if (st == CAB_OK) {
		households_sheet(&b, run, ap, w, order);
		inventory_sheet(&b, run, w, order);
		alerts_sheet(&b, run, ap, w, order, alerts);
		st = cab_book_close(&b, path, err);
	}
	free(order), free(alerts);
	return st;
}

const struct cab_report_ops cab_report_appliances_xlsx = {"appliances.xlsx",
							  write_book};
