/*
 * pack_prep.c — for cab_pack_close (pack.h): which workbooks it writes
 * itself (cab_pack_is_supported), and the steps of libxlsxwriter 1.1.4's
 * workbook_close() before the package that its headers do not offer
 * (workbook.c, static there): the defined names of print areas, print
 * titles and autofilters, the charts placed on their drawings, and each
 * chart range's sheet and cells. A range's values are not copied into a
 * cache here (libxlsxwriter would, one allocation per point): pack_xml.c
 * writes them straight from the cells.
 *
 * Workload: once per workbook; a few dozen ranges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/xlsx/pack_int.h"

/* What the workbook uses that only workbook_close() writes. */
static bool sheet_is_supported(const lxw_worksheet *ws)
{
	if (ws->optimize || ws->has_vml || ws->has_header_vml ||
	    ws->has_comments || ws->has_buttons || ws->has_background_image ||
	    ws->has_dynamic_arrays || ws->header_left_object_props ||
	    ws->header_center_object_props || ws->header_right_object_props ||
	    ws->footer_left_object_props || ws->footer_center_object_props ||
	    ws->footer_right_object_props)
		return false;
	if (!STAILQ_EMPTY(ws->image_props) || !STAILQ_EMPTY(ws->table_objs) ||
	    !STAILQ_EMPTY(ws->external_hyperlinks) ||
	    !STAILQ_EMPTY(ws->external_table_links) ||
	    ws->external_vml_header_link || ws->external_vml_comment_link ||
	    ws->external_background_link || ws->external_comment_link)
		return false;
	return cab_pack_rows_supported(ws);
}

/* The sheet name of formula "'Sheet 1'!$A$1:$A$3" (unquoted) into buf
 * (size bytes), as _populate_range_dimensions splits it, and where its
 * cells begin in buf; NULL without a '!'. */
static char *formula_sheet(const char *formula, char *buf, size_t size,
			   char **cells)
{
	snprintf(buf, size, "%s", formula);
	char *bang = strchr(buf, '!');
	if (!bang)
		return NULL;
	*bang = 0;
	*cells = bang + 1;
	char *name = buf;
	if (name[0] == '\'')
		name++;
	size_t len = strlen(name);
	if (len && name[len - 1] == '\'')
		name[len - 1] = 0;
	return name;
}

/* The sheet a chart range names, as _populate_range_dimensions finds it
 * (without changing the range); NULL when it names none. */
static lxw_worksheet *range_sheet(lxw_workbook *wb,
				  const lxw_series_range *range)
{
	if (range->sheetname)
		return workbook_get_worksheet_by_name(wb, range->sheetname);
	char f[LXW_MAX_FORMULA_RANGE_LENGTH], *cells;
	char *name = formula_sheet(range->formula, f, sizeof f, &cells);
	return name ? workbook_get_worksheet_by_name(wb, name) : NULL;
}

/* A range libxlsxwriter would cache but warn about (its sheet is not in
 * the workbook), or whose cache the user gave: workbook_close() then. */
static bool range_is_supported(lxw_workbook *wb, const lxw_series_range *r)
{
	if (!r)
		return true;
	if (r->data_cache && !STAILQ_EMPTY(r->data_cache))
		return false;
	if (r->ignore_cache || (!r->formula && !r->sheetname))
		return true;
	if (!r->sheetname && (r->formula[0] == '(' || !strchr(r->formula, '!')))
		return true;
	return range_sheet(wb, r) != NULL;
}

static bool chart_is_supported(lxw_workbook *wb, const lxw_chart *c)
{
	if (!range_is_supported(wb, c->title.range) ||
	    !range_is_supported(wb, c->x_axis->title.range) ||
	    !range_is_supported(wb, c->y_axis->title.range))
		return false;
	lxw_chart_series *s;
	STAILQ_FOREACH(s, c->series_list, list_pointers)
	{
		if (!range_is_supported(wb, s->categories) ||
		    !range_is_supported(wb, s->values) ||
		    !range_is_supported(wb, s->title.range))
			return false;
		for (uint16_t i = 0; i < s->data_label_count; i++)
			if (!range_is_supported(wb, s->data_labels[i].range))
				return false;
	}
	return true;
}

bool cab_pack_is_supported(const lxw_workbook *cwb)
{
	lxw_workbook *wb = (lxw_workbook *)cwb;
	if (!wb->num_sheets || wb->num_chartsheets || wb->vba_project ||
	    wb->has_metadata || !STAILQ_EMPTY(wb->custom_properties))
		return false;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, wb->sheets, list_pointers)
	{
		if (sheet->is_chartsheet ||
		    !sheet_is_supported(sheet->u.worksheet))
			return false;
		lxw_object_properties *o;
		STAILQ_FOREACH(o, sheet->u.worksheet->chart_data, list_pointers)
		if (o->chart && !chart_is_supported(wb, o->chart))
			return false;
	}
	return true;
}

static int compare_names(const lxw_defined_name *a, const lxw_defined_name *b)
{
	int res = strcmp(a->normalised_name, b->normalised_name);
	return res ? res
		   : strcmp(a->normalised_sheetname, b->normalised_sheetname);
}

/* workbook.c _store_defined_name, for the names workbook_close() adds
 * (global, with an app name): sorted by normalised name then sheet; an
 * existing one is kept. */
static void store_defined_name(lxw_workbook *wb, const char *name,
			       const char *app_name, const char *formula,
			       int16_t index, uint8_t hidden)
{
	if (lxw_utf8_strlen(name) > LXW_DEFINED_NAME_LENGTH ||
	    lxw_utf8_strlen(formula) > LXW_DEFINED_NAME_LENGTH)
		return;
	lxw_defined_name *d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->index = index;
	d->hidden = hidden;
	snprintf(d->name, sizeof d->name, "%s", name);
	snprintf(d->app_name, sizeof d->app_name, "%s", app_name);
	snprintf(d->normalised_sheetname, sizeof d->normalised_sheetname, "%s",
		 app_name);
	snprintf(d->normalised_name, sizeof d->normalised_name, "%s",
		 strstr(name, "_xlnm.") ? d->name + 6 : d->name);
	lxw_str_tolower(d->normalised_name);
	lxw_str_tolower(d->normalised_sheetname);
	snprintf(d->formula, sizeof d->formula, "%s",
		 formula[0] == '=' ? formula + 1 : formula);
	lxw_defined_name *at = TAILQ_FIRST(wb->defined_names);
	if (!at || compare_names(d, at) < 1) {
		TAILQ_INSERT_HEAD(wb->defined_names, d, list_pointers);
		return;
	}
	TAILQ_FOREACH(at, wb->defined_names, list_pointers)
	{
		int res = compare_names(d, at);
		if (res == 0) {
			free(d);
			return;
		}
		if (res < 0) {
			TAILQ_INSERT_BEFORE(at, d, list_pointers);
			return;
		}
	}
	TAILQ_INSERT_TAIL(wb->defined_names, d, list_pointers);
}

/* workbook.c _prepare_defined_names: autofilter, print area, print
 * titles of each worksheet. */
static void prepare_defined_names(lxw_workbook *wb)
{
	lxw_sheet *sheet;
	char app[LXW_DEFINED_NAME_LENGTH], range[LXW_DEFINED_NAME_LENGTH];
	char area[LXW_MAX_CELL_RANGE_LENGTH], c0[8], c1[8];
	STAILQ_FOREACH(sheet, wb->sheets, list_pointers)
	{
		lxw_worksheet *ws = sheet->u.worksheet;
		const char *q = ws->quoted_name;
		if (ws->autofilter.in_use) {
			snprintf(app, sizeof app, "%s!_FilterDatabase", q);
			lxw_rowcol_to_range_abs(area, ws->autofilter.first_row,
						ws->autofilter.first_col,
						ws->autofilter.last_row,
						ws->autofilter.last_col);
			snprintf(range, sizeof range, "%s!%s", q, area);
			store_defined_name(wb, "_xlnm._FilterDatabase", app,
					   range, (int16_t)ws->index, LXW_TRUE);
		}
		const struct lxw_print_area *pa = &ws->print_area;
		if (pa->in_use) {
			snprintf(app, sizeof app, "%s!Print_Area", q);
			if (pa->first_row == 0 &&
			    pa->last_row == LXW_ROW_MAX - 1) {
				lxw_col_to_name(c0, pa->first_col, LXW_FALSE);
				lxw_col_to_name(c1, pa->last_col, LXW_FALSE);
				snprintf(area, sizeof area - 1, "$%s:$%s", c0,
					 c1);
			} else if (pa->first_col == 0 &&
				   pa->last_col == LXW_COL_MAX - 1) {
				snprintf(area, sizeof area - 1, "$%d:$%d",
					 pa->first_row + 1, pa->last_row + 1);
			} else {
				lxw_rowcol_to_range_abs(
				    area, pa->first_row, pa->first_col,
				    pa->last_row, pa->last_col);
			}
			snprintf(range, sizeof range, "%s!%s", q, area);
			store_defined_name(wb, "_xlnm.Print_Area", app, range,
					   (int16_t)ws->index, LXW_FALSE);
		}
		const struct lxw_repeat_rows *rr = &ws->repeat_rows;
		const struct lxw_repeat_cols *rc = &ws->repeat_cols;
		if (!rr->in_use && !rc->in_use)
			continue;
		snprintf(app, sizeof app, "%s!Print_Titles", q);
		if (rc->in_use) {
			lxw_col_to_name(c0, rc->first_col, LXW_FALSE);
			lxw_col_to_name(c1, rc->last_col, LXW_FALSE);
		}
		if (rr->in_use && rc->in_use)
			snprintf(range, sizeof range, "%s!$%s:$%s,%s!$%d:$%d",
				 q, c0, c1, q, rr->first_row + 1,
				 rr->last_row + 1);
		else if (rr->in_use)
			snprintf(range, sizeof range, "%s!$%d:$%d", q,
				 rr->first_row + 1, rr->last_row + 1);
		else
			snprintf(range, sizeof range, "%s!$%s:$%s", q, c0, c1);
		store_defined_name(wb, "_xlnm.Print_Titles", app, range,
				   (int16_t)ws->index, LXW_FALSE);
	}
}

/* workbook.c _prepare_drawings, for charts (the only drawings here). */
static void prepare_drawings(lxw_workbook *wb)
{
	uint32_t chart_id = 0, drawing_id = 0;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, wb->sheets, list_pointers)
	{
		lxw_worksheet *ws = sheet->u.worksheet;
		if (STAILQ_EMPTY(ws->chart_data))
			continue;
		drawing_id++;
		lxw_object_properties *o;
		STAILQ_FOREACH(o, ws->chart_data, list_pointers)
		{
			chart_id++;
			lxw_worksheet_prepare_chart(ws, chart_id, drawing_id, o,
						    LXW_FALSE);
			if (o->chart)
				STAILQ_INSERT_TAIL(wb->ordered_charts, o->chart,
						   ordered_list_pointers);
		}
	}
	wb->drawing_count = (uint16_t)drawing_id;
}

/* workbook.c _populate_range without the data cache: the range's sheet
 * and cells, and whether a string is among them (a category axis of text
 * then). The values themselves are written by cab_pack_range_cache. */
static void prepare_range(struct cab_pack *pk, lxw_series_range *r)
{
	if (!r)
		return;
	if (!r->formula && !r->sheetname) {
		r->ignore_cache = LXW_TRUE;
		return;
	}
	if (!r->sheetname) {
		if (r->formula[0] == '(' || !strchr(r->formula, '!')) {
			r->ignore_cache = LXW_TRUE;
			return;
		}
		char f[LXW_MAX_FORMULA_RANGE_LENGTH], *cells;
		char *name = formula_sheet(r->formula, f, sizeof f, &cells);
		r->sheetname = lxw_strdup(name);
		r->first_row = lxw_name_to_row(cells);
		r->first_col = lxw_name_to_col(cells);
		if (strchr(cells, ':')) {
			r->last_row = lxw_name_to_row_2(cells);
			r->last_col = lxw_name_to_col_2(cells);
		} else {
			r->last_row = r->first_row;
			r->last_col = r->first_col;
		}
	}
	if (r->ignore_cache ||
	    (r->first_row != r->last_row && r->first_col != r->last_col))
		return;
	lxw_worksheet *ws =
	    workbook_get_worksheet_by_name(pk->wb, r->sheetname);
	for (lxw_row_t row = r->first_row; ws && row <= r->last_row; row++) {
		lxw_row *ro = lxw_worksheet_find_row(ws, row);
		for (lxw_col_t c = r->first_col; ro && c <= r->last_col; c++) {
			lxw_cell *cell = lxw_worksheet_find_cell_in_row(ro, c);
			if (cell && cell->type == STRING_CELL)
				r->has_string_cache = LXW_TRUE;
		}
	}
	if (!r->formula)
		return;
	if (pk->n_ranges == pk->cap_ranges) {
		size_t cap = pk->cap_ranges ? 2 * pk->cap_ranges : 16;
		struct cab_pack_range *p =
		    realloc(pk->ranges, cap * sizeof(*pk->ranges));
		if (!p) {
			pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
			return;
		}
		pk->ranges = p;
		pk->cap_ranges = cap;
	}
	struct cab_pack_buf esc = {0};
	cab_pack_put_escaped(&esc, r->formula);
	cab_pack_put(&esc, "", 1);
	if (esc.is_bad) {
		free(esc.p);
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	pk->ranges[pk->n_ranges++] = (struct cab_pack_range){r, esc.p};
}

/* workbook.c _add_chart_cache_data: every range of every placed chart. */
static void prepare_chart_ranges(struct cab_pack *pk)
{
	lxw_chart *c;
	STAILQ_FOREACH(c, pk->wb->ordered_charts, ordered_list_pointers)
	{
		prepare_range(pk, c->title.range);
		prepare_range(pk, c->x_axis->title.range);
		prepare_range(pk, c->y_axis->title.range);
		lxw_chart_series *s;
		STAILQ_FOREACH(s, c->series_list, list_pointers)
		{
			prepare_range(pk, s->categories);
			prepare_range(pk, s->values);
			prepare_range(pk, s->title.range);
			for (uint16_t i = 0; i < s->data_label_count; i++)
				prepare_range(pk, s->data_labels[i].range);
		}
	}
}

/* workbook_close()'s steps before the package (pack_int.h). */
void cab_pack_prepare(struct cab_pack *pk)
{
	lxw_workbook *wb = pk->wb;
	lxw_sheet *sheet;
	if (wb->active_sheet == 0) {
		lxw_worksheet *first = STAILQ_FIRST(wb->sheets)->u.worksheet;
		first->selected = 1;
		first->hidden = 0;
	}
	STAILQ_FOREACH(sheet, wb->sheets, list_pointers)
	if (sheet->u.worksheet->index == wb->active_sheet)
		sheet->u.worksheet->active = 1;
	prepare_defined_names(wb);
	prepare_drawings(wb);
	prepare_chart_ranges(pk);
}
