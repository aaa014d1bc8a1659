/*
 * test_sheet.c — the xlsx sheet reader (engine/ingest/sheet.c).
 *
 * Workbooks are written two ways: by libxlsxwriter (shared strings,
 * styles, a formula's cached value, dates in built-in and custom formats)
 * and by hand with libzip (inline strings, namespace prefixes, rich text
 * with a phonetic run, rows and cells without references), so that the
 * reader is tested on what other generators write, not only on our own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "cabine/sheet.h"
#include "harness.h"

static char dir[64];

static void make_dir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/test_sheet-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
}

/* A workbook as LibreOffice or Excel would save a participants table. */
static void write_lxw(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Participants");
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Autre");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy hh:mm");
	lxw_format *month = workbook_add_format(wb);
	format_set_num_format(month, "yyyy-mm");
	lxw_format *pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.00%");
	lxw_format *builtin = workbook_add_format(wb);
	format_set_num_format_index(builtin, 14); /* m/d/yyyy */
	worksheet_write_string(ws, 0, 0, "id", NULL);
	worksheet_write_string(ws, 0, 1, "name", NULL);
	worksheet_write_string(ws, 0, 3, "occupants", NULL);
	worksheet_write_string(ws, 1, 0, "h01", NULL);
	worksheet_write_string(ws, 1, 1, "Élise Dupont", NULL);
	worksheet_write_number(ws, 1, 3, 3, NULL);
	worksheet_write_number(ws, 1, 4, 0.25, pct);
	worksheet_write_boolean(ws, 1, 5, 1, NULL);
	/* Row 4 (index 3): row 3 left empty on purpose. */
	worksheet_write_string(ws, 3, 0, "h02", NULL);
	worksheet_write_formula_num(ws, 3, 3, "=1+1", NULL, 2);
	worksheet_write_number(ws, 3, 4, 45356.427083333336, date);
	worksheet_write_number(ws, 3, 5, 45352, month);
	worksheet_write_number(ws, 3, 6, 45292, builtin);
	worksheet_write_string(ws2, 0, 0, "other sheet", NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		abort();
}

TEST(reads_strings_numbers_booleans_and_row_numbers)
{
	make_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/p.xlsx", dir);
	write_lxw(path);
	struct cab_sheet *sh = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_sheet_read(path, NULL, &sh, &err), CAB_OK);
	if (!sh) {
		fprintf(stderr, "%s", err.text ? err.text : "");
		return;
	}
	CHECK_STR(sh->name, "Participants");
	CHECK_INT(sh->n_rows, 3); /* rows 1, 2 and 4: row 3 is empty */
	CHECK_INT(sh->row[0].number, 1);
	CHECK_INT(sh->row[1].number, 2);
	CHECK_INT(sh->row[2].number, 4);
	CHECK_STR(cab_sheet_text(&sh->row[0], 0), "id");
	CHECK(cab_sheet_text(&sh->row[0], 2) == NULL); /* C1 never written */
	CHECK_STR(cab_sheet_text(&sh->row[0], 3), "occupants");
	CHECK_STR(cab_sheet_text(&sh->row[1], 1), "Élise Dupont");
	CHECK_STR(cab_sheet_text(&sh->row[1], 3), "3");
	CHECK_INT(sh->row[1].cell[3].type, CAB_CELL_NUMBER);
	/* A percentage format is a number, not a date. */
	CHECK_STR(cab_sheet_text(&sh->row[1], 4), "0.25");
	CHECK(!sh->row[1].cell[4].is_date);
	CHECK_INT(sh->row[1].cell[5].type, CAB_CELL_BOOL);
	CHECK_STR(cab_sheet_text(&sh->row[1], 5), "1");
	/* The formula's cached value. */
	CHECK_STR(cab_sheet_text(&sh->row[2], 3), "2");
	CHECK(cab_sheet_text(&sh->row[1], 40) == NULL);
	cab_sheet_free(sh);
	cab_err_release(&err);
}

TEST(date_cells_are_flagged_and_converted)
{
	make_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/p.xlsx", dir);
	write_lxw(path);
	struct cab_sheet *sh = NULL;
	CHECK_INT(cab_sheet_read(path, NULL, &sh, NULL), CAB_OK);
	if (!sh)
		return;
	const struct cab_sheet_row *r = &sh->row[2];
	CHECK(r->cell[4].is_date); /* custom dd/mm/yyyy hh:mm */
	CHECK(r->cell[5].is_date); /* custom yyyy-mm */
	CHECK(r->cell[6].is_date); /* built-in format 14 */
	CHECK(!r->cell[3].is_date);
	/* 45356 = 2024-03-05 (45292 = 2024-01-01, + 31 + 29 + 4);
	 * 0.427083333 × 24 h = 10.25 h = 10:15. */
	struct cab_civil c;
	CHECK_INT(cab_sheet_serial_to_civil(strtod(r->cell[4].text, NULL),
					    sh->is_1904, &c),
		  CAB_OK);
	CHECK_INT(c.year, 2024);
	CHECK_INT(c.month, 3);
	CHECK_INT(c.day, 5);
	CHECK_INT(c.hour, 10);
	CHECK_INT(c.minute, 15);
	CHECK_INT(c.second, 0);
	CHECK_INT(cab_sheet_serial_to_civil(45292, false, &c), CAB_OK);
	CHECK_INT(c.year * 10000 + c.month * 100 + c.day, 20240101);
	/* 1904 system: serial 0 = 1904-01-01. */
	CHECK_INT(cab_sheet_serial_to_civil(1, true, &c), CAB_OK);
	CHECK_INT(c.year * 10000 + c.month * 100 + c.day, 19040102);
	/* Before 1900-03-01 (Excel's phantom 29 Feb) and NaN: refused. */
	CHECK_INT(cab_sheet_serial_to_civil(60, false, &c), CAB_EINPUT);
	CHECK_INT(cab_sheet_serial_to_civil(0.0 / 0.0, false, &c), CAB_EINPUT);
	cab_sheet_free(sh);
}

TEST(reads_a_sheet_by_name_and_names_a_missing_one)
{
	make_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/p.xlsx", dir);
	write_lxw(path);
	struct cab_sheet *sh = NULL;
	CHECK_INT(cab_sheet_read(path, "Autre", &sh, NULL), CAB_OK);
	if (sh) {
		CHECK_INT(sh->n_rows, 1);
		CHECK_STR(cab_sheet_text(&sh->row[0], 0), "other sheet");
		cab_sheet_free(sh);
	}
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_sheet_read(path, "Tarif", &sh, &err), CAB_EINPUT);
	CHECK(sh == NULL);
	char want[256];
	snprintf(want, sizeof(want), "%s: no sheet named 'Tarif'\n", path);
	CHECK_STR(err.text, want);
	cab_err_release(&err);
}

/* A zip of the given parts (name, content pairs, NULL-terminated). */
static void write_zip(const char *path, const char *const *parts)
{
	int e;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
	if (!z)
		abort();
	for (size_t i = 0; parts[i]; i += 2) {
		zip_source_t *s =
		    zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
		if (!s || zip_file_add(z, parts[i], s, ZIP_FL_OVERWRITE) < 0)
			abort();
	}
	if (zip_close(z) != 0)
		abort();
}

static const char *wb_xml =
    "<?xml version=\"1.0\"?>"
    "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/"
    "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships\"><x:workbookPr date1904=\"1\"/>"
    "<x:sheets><x:sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId7\"/>"
    "</x:sheets></x:workbook>";
static const char *rels_xml =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
    "openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId7\" Type=\"worksheet\" Target=\"/xl/worksheets/s.xml\"/>"
    "</Relationships>";

TEST(reads_inline_strings_prefixes_rich_text_and_implicit_references)
{
	make_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/hand.xlsx", dir);
	const char *sst =
	    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
	    "2006/main\"><si><r><t>Coin </t></r><r><t>du Balai</t></r>"
	    "<rPh><t>ignored</t></rPh></si><si><t xml:space=\"preserve\"> "
	    "a&amp;b </t></si></sst>";
	const char *sheet =
	    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\"><x:sheetData>"
	    "<x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v>"
	    "</x:c></x:row>"
	    "<x:row><x:c t=\"inlineStr\"><x:is><x:t>h01</x:t></x:is></x:c>"
	    "<x:c r=\"C2\"><x:v>1.5E-3</x:v></x:c><x:c t=\"e\"><x:v>#N/A</x:v>"
	    "</x:c></x:row>"
	    "<x:row r=\"5\"><x:c r=\"B5\" t=\"str\"><x:f>A1</x:f><x:v>x</x:v>"
	    "</x:c><x:c r=\"D5\" s=\"0\"/></x:row>"
	    "</x:sheetData></x:worksheet>";
	const char *parts[] = {"xl/workbook.xml",
			       wb_xml,
			       "xl/_rels/workbook.xml.rels",
			       rels_xml,
			       "xl/sharedStrings.xml",
			       sst,
			       "xl/worksheets/s.xml",
			       sheet,
			       NULL};
	write_zip(path, parts);
	struct cab_sheet *sh = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_sheet_read(path, NULL, &sh, &err), CAB_OK);
	if (!sh) {
		fprintf(stderr, "%s", err.text ? err.text : "");
		cab_err_release(&err);
		return;
	}
	CHECK(sh->is_1904);
	CHECK_STR(sh->name, "Feuil1");
	CHECK_INT(sh->n_rows, 3);
	CHECK_STR(cab_sheet_text(&sh->row[0], 0), "Coin du Balai");
	CHECK_STR(cab_sheet_text(&sh->row[0], 1), " a&b ");
	CHECK_INT(sh->row[1].number, 2);
	CHECK_STR(cab_sheet_text(&sh->row[1], 0), "h01");
	CHECK(cab_sheet_text(&sh->row[1], 1) == NULL);
	CHECK_STR(cab_sheet_text(&sh->row[1], 2), "1.5E-3");
	/* The error cell follows C2 without a reference: D2. */
	CHECK_INT(sh->row[1].cell[3].type, CAB_CELL_ERROR);
	CHECK_STR(cab_sheet_text(&sh->row[1], 3), "#N/A");
	CHECK_INT(sh->row[2].number, 5);
	CHECK_STR(cab_sheet_text(&sh->row[2], 1), "x");
	CHECK_INT(sh->row[2].n_cells, 2); /* the empty styled D5 adds none */
	cab_sheet_free(sh);
	cab_err_release(&err);
}

/* Read `parts` as a workbook and return the error text (static). */
static const char *error_of(const char *const *parts)
{
	static char text[512];
	char path[128];
	snprintf(path, sizeof(path), "%s/bad.xlsx", dir);
	write_zip(path, parts);
	struct cab_sheet *sh = NULL;
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_sheet_read(path, NULL, &sh, &err);
	snprintf(text, sizeof(text), "%d %s", (int)st,
		 err.text ? err.text + strlen(path) : "");
	cab_err_release(&err);
	cab_sheet_free(sh);
	return text;
}

TEST(bad_workbooks_are_refused_with_the_part_and_line)
{
	make_dir();
	const char *no_wb[] = {"hello.txt", "hi", NULL};
	CHECK_STR(error_of(no_wb),
		  "1 : not a spreadsheet workbook (expected an .xlsx file "
		  "saved by Excel or LibreOffice)\n");
	const char *bad_xml[] = {"xl/workbook.xml",
				 wb_xml,
				 "xl/_rels/workbook.xml.rels",
				 rels_xml,
				 "xl/worksheets/s.xml",
				 "<worksheet>\n<sheetData><row>",
				 NULL};
	CHECK_STR(error_of(bad_xml), "1 : xl/worksheets/s.xml:2: malformed "
				     "XML (no element found)\n");
	const char *bad_sst[] = {
	    "xl/workbook.xml",
	    wb_xml,
	    "xl/_rels/workbook.xml.rels",
	    rels_xml,
	    "xl/worksheets/s.xml",
	    "<worksheet><sheetData><row><c t=\"s\"><v>3</v></c></row>"
	    "</sheetData></worksheet>",
	    NULL};
	CHECK_STR(error_of(bad_sst), "1 : xl/worksheets/s.xml:1: a shared "
				     "string that does not exist\n");
	const char *bad_ref[] = {
	    "xl/workbook.xml",
	    wb_xml,
	    "xl/_rels/workbook.xml.rels",
	    rels_xml,
	    "xl/worksheets/s.xml",
	    "<worksheet><sheetData><row r=\"2\"><c r=\"A3\"><v>1</v></c>"
	    "</row></sheetData></worksheet>",
	    NULL};
	CHECK_STR(error_of(bad_ref), "1 : xl/worksheets/s.xml:1: a cell "
				     "reference that does not match its "
				     "row\n");
	/* A plain CSV given where a workbook is expected. */
	char path[128];
	snprintf(path, sizeof(path), "%s/plain.csv", dir);
	FILE *f = fopen(path, "w");
	fputs("id;name\n", f);
	fclose(f);
	CHECK(!cab_sheet_is_xlsx(path));
	struct cab_sheet *sh = NULL;
	CHECK_INT(cab_sheet_read(path, NULL, &sh, NULL), CAB_EINPUT);
	snprintf(path, sizeof(path), "%s/bad.xlsx", dir);
	CHECK(cab_sheet_is_xlsx(path));
}

TEST(reads_from_memory_like_from_a_file)
{
	make_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/p.xlsx", dir);
	write_lxw(path);
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct cab_sheet *sh = NULL;
	CHECK_INT(cab_sheet_read_mem(buf, n, "mem.xlsx", NULL, &sh, NULL),
		  CAB_OK);
	if (sh) {
		CHECK_INT(sh->n_rows, 3);
		CHECK_STR(cab_sheet_text(&sh->row[1], 1), "Élise Dupont");
		cab_sheet_free(sh);
	}
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_sheet_read_mem("PK", 2, "short.xlsx", NULL, &sh, &err),
		  CAB_EINPUT);
	CHECK_STR(err.text, "short.xlsx: not a spreadsheet workbook (expected "
			    "an .xlsx file saved by Excel or LibreOffice)\n");
	cab_err_release(&err);
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

static const struct harness_test tests[] = {
    T(reads_strings_numbers_booleans_and_row_numbers),
    T(date_cells_are_flagged_and_converted),
    T(reads_a_sheet_by_name_and_names_a_missing_one),
    T(reads_inline_strings_prefixes_rich_text_and_implicit_references),
    T(bad_workbooks_are_refused_with_the_part_and_line),
    T(reads_from_memory_like_from_a_file),
};

HARNESS_MAIN("test_sheet", tests)
