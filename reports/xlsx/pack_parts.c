/*
 * pack_parts.c — for cab_pack_close (pack.h): the parts of a workbook as
 * libxlsxwriter 1.1.4's packager.c makes them (the same objects, filled
 * the same way, written by the XML writers its headers declare), each
 * into a memory stream instead of a temporary file, then handed to the
 * zip (pack.c). Two parts are joined from two writers: a worksheet is
 * written by libxlsxwriter around an empty <sheetData/> that pack_xml.c
 * fills, and a chart without cached values, each of which pack_xml.c
 * writes after its range's <c:f>.
 *
 * Workload: ~16 parts per invoice, ~65 kB of XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter/app.h>
#include <xlsxwriter/content_types.h>
#include <xlsxwriter/core.h>
#include <xlsxwriter/hash_table.h>
#include <xlsxwriter/relationships.h>
#include <xlsxwriter/styles.h>
#include <xlsxwriter/theme.h>

#include "reports/xlsx/pack_int.h"

/* The first s[0..k) in p[0..n), or NULL (memmem is not in C11/POSIX). */
static const char *find(const char *p, size_t n, const char *s, size_t k)
{
	while (n >= k) {
		const char *c = memchr(p, s[0], n - k + 1);
		if (!c)
			return NULL;
		if (memcmp(c, s, k) == 0)
			return c;
		n -= (size_t)(c + 1 - p);
		p = c + 1;
	}
	return NULL;
}

/* A memory stream for the next part's XML (NULL and pk->e when out of
 * memory). */
static FILE *part_open(struct cab_pack *pk)
{
	if (pk->e)
		return NULL;
	free(pk->part);
	pk->part = NULL;
	pk->part_len = 0;
	FILE *f = open_memstream(&pk->part, &pk->part_len);
	if (!f)
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
	return f;
}

/* End the part's stream; false (and pk->e) if it could not be kept. */
static bool part_end(struct cab_pack *pk, FILE *f)
{
	if (fclose(f) != 0 && !pk->e)
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
	return !pk->e;
}

static void part_add(struct cab_pack *pk, FILE *f, const char *name)
{
	if (part_end(pk, f))
		cab_pack_zip_add(pk, name, pk->part, pk->part_len);
}

static void write_rels(struct cab_pack *pk, lxw_relationships *rels,
		       const char *name)
{
	if (!rels) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	FILE *f = part_open(pk);
	if (f) {
		rels->file = f;
		lxw_relationships_assemble_xml_file(rels);
		part_add(pk, f, name);
	}
	lxw_free_relationships(rels);
}

/* _write_content_types_file (no images, macros, tables, comments). */
static void write_content_types(struct cab_pack *pk)
{
	lxw_workbook *wb = pk->wb;
	lxw_content_types *ct = lxw_content_types_new();
	if (!ct) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	char name[LXW_FILENAME_LENGTH];
	lxw_ct_add_override(ct, "/xl/workbook.xml",
			    LXW_APP_DOCUMENT "spreadsheetml.sheet.main+xml");
	for (uint16_t i = 1; i <= wb->num_worksheets; i++) {
		snprintf(name, sizeof name, "/xl/worksheets/sheet%d.xml", i);
		lxw_ct_add_worksheet_name(ct, name);
	}
	uint32_t n_charts = 0, n_drawings = 0;
	lxw_chart *c;
	STAILQ_FOREACH(c, wb->ordered_charts, ordered_list_pointers)
	n_charts++;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, wb->sheets, list_pointers)
	if (sheet->u.worksheet->drawing)
		n_drawings++;
	for (uint32_t i = 1; i <= n_charts; i++) {
		snprintf(name, sizeof name, "/xl/charts/chart%u.xml", i);
		lxw_ct_add_chart_name(ct, name);
	}
	for (uint32_t i = 1; i <= n_drawings; i++) {
		snprintf(name, sizeof name, "/xl/drawings/drawing%u.xml", i);
		lxw_ct_add_drawing_name(ct, name);
	}
	if (wb->sst->string_count)
		lxw_ct_add_shared_strings(ct);
	FILE *f = part_open(pk);
	if (f) {
		ct->file = f;
		lxw_content_types_assemble_xml_file(ct);
		part_add(pk, f, "[Content_Types].xml");
	}
	lxw_content_types_free(ct);
}

static void write_root_rels(struct cab_pack *pk)
{
	lxw_relationships *rels = lxw_relationships_new();
	if (rels) {
		lxw_add_document_relationship(rels, "/officeDocument",
					      "xl/workbook.xml");
		lxw_add_package_relationship(rels, "/metadata/core-properties",
					     "docProps/core.xml");
		lxw_add_document_relationship(rels, "/extended-properties",
					      "docProps/app.xml");
	}
	write_rels(pk, rels, "_rels/.rels");
}

static void write_workbook_rels(struct cab_pack *pk)
{
	lxw_relationships *rels = lxw_relationships_new();
	if (rels) {
		char name[LXW_FILENAME_LENGTH];
		for (uint16_t i = 1; i <= pk->wb->num_worksheets; i++) {
			snprintf(name, sizeof name, "worksheets/sheet%d.xml",
				 i);
			lxw_add_document_relationship(rels, "/worksheet", name);
		}
		lxw_add_document_relationship(rels, "/theme",
					      "theme/theme1.xml");
		lxw_add_document_relationship(rels, "/styles", "styles.xml");
		if (pk->wb->sst->string_count)
			lxw_add_document_relationship(rels, "/sharedStrings",
						      "sharedStrings.xml");
	}
	write_rels(pk, rels, "xl/_rels/workbook.xml.rels");
}

/* A worksheet: libxlsxwriter writes it around an empty <sheetData/>,
 * pack_xml.c writes the rows into that place. libxlsxwriter gives the
 * formats their style numbers as it meets them (columns, then cells);
 * only the columns come before the rows, so the numbers are the same. */
static void write_worksheets(struct cab_pack *pk)
{
	static const char empty_data[] = "<sheetData/>";
	char name[LXW_FILENAME_LENGTH];
	uint32_t index = 1;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, pk->wb->sheets, list_pointers)
	{
		lxw_worksheet *ws = sheet->u.worksheet;
		snprintf(name, sizeof name, "xl/worksheets/sheet%u.xml",
			 index++);
		FILE *f = part_open(pk);
		if (!f)
			return;
		struct lxw_table_rows none = {0}, *table = ws->table;
		ws->file = f;
		ws->table = &none;
		lxw_worksheet_assemble_xml_file(ws);
		ws->table = table;
		if (!part_end(pk, f))
			return;
		const char *at = find(pk->part, pk->part_len, empty_data,
				      sizeof empty_data - 1);
		if (!at) {
			pk->e = LXW_ERROR_ZIP_FILE_OPERATION;
			return;
		}
		size_t head = (size_t)(at - pk->part);
		size_t tail = head + sizeof empty_data - 1;
		pk->join.n = 0;
		cab_pack_put(&pk->join, pk->part, head);
		cab_pack_rows(&pk->join, ws);
		cab_pack_put(&pk->join, pk->part + tail, pk->part_len - tail);
		if (pk->join.is_bad) {
			pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
			return;
		}
		cab_pack_zip_add(pk, name, pk->join.p, pk->join.n);
	}
}

static void write_workbook(struct cab_pack *pk)
{
	FILE *f = part_open(pk);
	if (!f)
		return;
	pk->wb->file = f;
	lxw_workbook_assemble_xml_file(pk->wb);
	part_add(pk, f, "xl/workbook.xml");
}

/* The chart range whose formula the XML shows as text[0..len). */
static const lxw_series_range *find_range(const struct cab_pack *pk,
					  const char *text, size_t len)
{
	for (size_t i = 0; i < pk->n_ranges; i++)
		if (strncmp(pk->ranges[i].escaped, text, len) == 0 &&
		    pk->ranges[i].escaped[len] == 0)
			return pk->ranges[i].range;
	return NULL;
}

/* A chart: libxlsxwriter writes it with ranges and no cached values;
 * after each <c:f>…</c:f> of a <c:strRef> or <c:numRef>, pack_xml.c
 * writes the cache libxlsxwriter would have put there. */
static void write_charts(struct cab_pack *pk)
{
	static const char end_f[] = "</c:f>";
	char name[LXW_FILENAME_LENGTH];
	uint32_t index = 1;
	lxw_chart *c;
	STAILQ_FOREACH(c, pk->wb->ordered_charts, ordered_list_pointers)
	{
		snprintf(name, sizeof name, "xl/charts/chart%u.xml", index++);
		FILE *f = part_open(pk);
		if (!f)
			return;
		c->file = f;
		lxw_chart_assemble_xml_file(c);
		if (!part_end(pk, f))
			return;
		const char *p = pk->part, *end = pk->part + pk->part_len;
		pk->join.n = 0;
		const char *close;
		while ((close = find(p, (size_t)(end - p), end_f,
				     sizeof end_f - 1))) {
			/* The formula is escaped text: no '<' inside. */
			const char *open = close;
			while (open > p && open[-1] != '>')
				open--;
			const char *after = close + sizeof end_f - 1;
			cab_pack_put(&pk->join, p, (size_t)(after - p));
			bool is_str =
			    open - pk->part >= 15 &&
			    memcmp(open - 15, "<c:strRef><c:f>", 15) == 0;
			const lxw_series_range *r =
			    find_range(pk, open, (size_t)(close - open));
			if (r)
				cab_pack_range_cache(&pk->join, pk->wb, r,
						     is_str);
			p = after;
		}
		cab_pack_put(&pk->join, p, (size_t)(end - p));
		if (pk->join.is_bad) {
			pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
			return;
		}
		cab_pack_zip_add(pk, name, pk->join.p, pk->join.n);
	}
}

static void write_drawings(struct cab_pack *pk)
{
	char name[LXW_FILENAME_LENGTH];
	uint32_t index = 1;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, pk->wb->sheets, list_pointers)
	{
		lxw_drawing *d = sheet->u.worksheet->drawing;
		if (!d)
			continue;
		snprintf(name, sizeof name, "xl/drawings/drawing%u.xml",
			 index++);
		FILE *f = part_open(pk);
		if (!f)
			return;
		d->file = f;
		lxw_drawing_assemble_xml_file(d);
		part_add(pk, f, name);
	}
}

/* By pack_xml.c: libxlsxwriter's writer spends three fprintf per string. */
static void write_shared_strings(struct cab_pack *pk)
{
	lxw_sst *sst = pk->wb->sst;
	if (!sst->string_count)
		return;
	pk->join.n = 0;
	cab_pack_sst(&pk->join, sst);
	if (pk->join.is_bad) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	cab_pack_zip_add(pk, "xl/sharedStrings.xml", pk->join.p, pk->join.n);
}

static void write_theme(struct cab_pack *pk)
{
	lxw_theme *theme = lxw_theme_new();
	FILE *f = theme ? part_open(pk) : NULL;
	if (f) {
		theme->file = f;
		lxw_theme_assemble_xml_file(theme);
		part_add(pk, f, "xl/theme/theme1.xml");
	} else if (!theme) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	lxw_theme_free(theme);
}

/* Copies of the formats of `used` (in their order) at the end of list;
 * false when out of memory. */
static bool copy_formats(lxw_hash_table *used, struct lxw_formats *list)
{
	lxw_hash_element *h;
	LXW_FOREACH_ORDERED(h, used)
	{
		lxw_format *copy = lxw_format_new();
		if (!copy)
			return false;
		memcpy(copy, h->value, sizeof(lxw_format));
		STAILQ_INSERT_TAIL(list, copy, list_pointers);
	}
	return true;
}

/* _write_styles_file: the used formats, copied, in the order of their
 * style numbers. */
static void write_styles(struct cab_pack *pk)
{
	lxw_workbook *wb = pk->wb;
	lxw_styles *styles = lxw_styles_new();
	if (!styles) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	if (!copy_formats(wb->used_xf_formats, styles->xf_formats) ||
	    !copy_formats(wb->used_dxf_formats, styles->dxf_formats)) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		goto done;
	}
	styles->font_count = wb->font_count;
	styles->border_count = wb->border_count;
	styles->fill_count = wb->fill_count;
	styles->num_format_count = wb->num_format_count;
	styles->xf_count = wb->used_xf_formats->unique_count;
	styles->dxf_count = wb->used_dxf_formats->unique_count;
	styles->has_comments = wb->has_comments;
	FILE *f = part_open(pk);
	if (f) {
		styles->file = f;
		lxw_styles_assemble_xml_file(styles);
		part_add(pk, f, "xl/styles.xml");
	}
done:
	lxw_styles_free(styles);
}

static void write_worksheet_rels(struct cab_pack *pk)
{
	char name[LXW_FILENAME_LENGTH];
	uint32_t index = 0;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, pk->wb->sheets, list_pointers)
	{
		lxw_worksheet *ws = sheet->u.worksheet;
		index++;
		if (STAILQ_EMPTY(ws->external_drawing_links))
			continue;
		lxw_relationships *rels = lxw_relationships_new();
		lxw_rel_tuple *rel;
		if (rels)
			STAILQ_FOREACH(rel, ws->external_drawing_links,
				       list_pointers)
		lxw_add_worksheet_relationship(rels, rel->type, rel->target,
					       rel->target_mode);
		snprintf(name, sizeof name,
			 "xl/worksheets/_rels/sheet%u.xml.rels", index);
		write_rels(pk, rels, name);
	}
}

static void write_drawing_rels(struct cab_pack *pk)
{
	char name[LXW_FILENAME_LENGTH];
	uint32_t index = 1;
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, pk->wb->sheets, list_pointers)
	{
		lxw_worksheet *ws = sheet->u.worksheet;
		if (STAILQ_EMPTY(ws->drawing_links))
			continue;
		lxw_relationships *rels = lxw_relationships_new();
		lxw_rel_tuple *rel;
		if (rels)
			STAILQ_FOREACH(rel, ws->drawing_links, list_pointers)
		lxw_add_worksheet_relationship(rels, rel->type, rel->target,
					       rel->target_mode);
		snprintf(name, sizeof name,
			 "xl/drawings/_rels/drawing%u.xml.rels", index++);
		write_rels(pk, rels, name);
	}
}

static void write_core(struct cab_pack *pk)
{
	lxw_core *core = lxw_core_new();
	FILE *f = core ? part_open(pk) : NULL;
	if (f) {
		core->file = f;
		core->properties = pk->wb->properties;
		lxw_core_assemble_xml_file(core);
		part_add(pk, f, "docProps/core.xml");
	} else if (!core) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	lxw_core_free(core);
}

/* _write_app_file: the sheets and the named ranges, by kind. */
static void write_app(struct cab_pack *pk)
{
	lxw_workbook *wb = pk->wb;
	lxw_app *app = lxw_app_new();
	if (!app) {
		pk->e = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	char number[LXW_ATTR_32];
	if (wb->num_worksheets) {
		snprintf(number, sizeof number, "%d", wb->num_worksheets);
		lxw_app_add_heading_pair(app, "Worksheets", number);
	}
	lxw_sheet *sheet;
	STAILQ_FOREACH(sheet, wb->sheets, list_pointers)
	lxw_app_add_part_name(app, sheet->u.worksheet->name);
	uint32_t n_ranges = 0;
	lxw_defined_name *d;
	TAILQ_FOREACH(d, wb->defined_names, list_pointers)
	{
		if (strchr(d->formula, '!') &&
		    !strstr(d->app_name, "_FilterDatabase")) {
			lxw_app_add_part_name(app, d->app_name);
			n_ranges++;
		}
	}
	if (n_ranges) {
		snprintf(number, sizeof number, "%u", n_ranges);
		lxw_app_add_heading_pair(app, "Named Ranges", number);
	}
	app->properties = wb->properties;
	app->doc_security = wb->read_only;
	FILE *f = part_open(pk);
	if (f) {
		app->file = f;
		lxw_app_assemble_xml_file(app);
		part_add(pk, f, "docProps/app.xml");
	}
	lxw_app_free(app);
}

void cab_pack_write_parts(struct cab_pack *pk)
{
	/* lxw_create_package's order. */
	write_content_types(pk);
	write_root_rels(pk);
	write_workbook_rels(pk);
	write_worksheets(pk);
	write_workbook(pk);
	write_charts(pk);
	write_drawings(pk);
	write_shared_strings(pk);
	write_theme(pk);
	write_styles(pk);
	write_worksheet_rels(pk);
	write_drawing_rels(pk);
	write_core(pk);
	write_app(pk);
}
