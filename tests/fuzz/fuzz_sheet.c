/*
 * fuzz_sheet.c — fuzz target for the xlsx sheet reader (engine/ingest/sheet.c).
 *
 * A zip's CRCs make byte mutations of a whole workbook die in libzip, so
 * the input is the XML we parse ourselves: the sheet part, then
 * (after a NUL byte, optional) the shared strings, then (after another)
 * the styles. The target wraps them with a fixed workbook and
 * relationships into an in-memory xlsx and reads it; the raw input is
 * also read as a whole zip once. Afterwards: a failure has exactly one
 * message and the status bad input, a success none; rows are in
 * increasing order within 1..CAB_SHEET_MAX_ROWS; every cell text is
 * NUL-terminated within its row's n_cells, and the last cell of a row is
 * not empty. A violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "cabine/sheet.h"

static const char wb[] =
    "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/>"
    "</sheets></workbook>";
static const char rels[] = "<Relationships><Relationship Id=\"rId1\" "
			   "Target=\"worksheets/sheet1.xml\"/></Relationships>";

static void check(enum cab_status st, const struct cab_sheet *sh,
		  const struct cab_err *err)
{
	if (st == CAB_ENOMEM)
		return;
	if (st == CAB_OK ? err->count != 0 || !sh
			 : st != CAB_EINPUT || err->count != 1 || sh)
		abort();
	if (!sh)
		return;
	unsigned long prev = 0;
	for (size_t i = 0; i < sh->n_rows; i++) {
		const struct cab_sheet_row *r = &sh->row[i];
		if (r->number <= prev || r->number > CAB_SHEET_MAX_ROWS ||
		    r->n_cells == 0 || r->n_cells > CAB_SHEET_MAX_COLS ||
		    !r->cell[r->n_cells - 1].text)
			abort();
		prev = r->number;
		for (size_t j = 0; j < r->n_cells; j++)
			if (r->cell[j].text &&
			    strlen(r->cell[j].text) > (1u << 24))
				abort();
	}
}

static void read_mem(const void *data, size_t size)
{
	struct cab_sheet *sh = NULL;
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st =
	    cab_sheet_read_mem(data, size, "f.xlsx", NULL, &sh, &err);
	check(st, sh, &err);
	cab_sheet_free(sh);
	cab_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_mem(data, size);
	const char *part[3] = {(const char *)data, NULL, NULL};
	size_t len[3] = {size, 0, 0};
	for (int k = 1; k < 3; k++) {
		const char *nul = memchr(part[k - 1], 0, len[k - 1]);
		if (!nul)
			break;
		part[k] = nul + 1;
		len[k] = len[k - 1] - (size_t)(part[k] - part[k - 1]);
		len[k - 1] = (size_t)(nul - part[k - 1]);
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z)
		abort();
	zip_source_keep(src);
	const char *names[] = {"xl/worksheets/sheet1.xml",
			       "xl/sharedStrings.xml", "xl/styles.xml"};
	zip_source_t *s;
	if (!(s = zip_source_buffer(z, wb, sizeof(wb) - 1, 0)) ||
	    zip_file_add(z, "xl/workbook.xml", s, 0) < 0 ||
	    !(s = zip_source_buffer(z, rels, sizeof(rels) - 1, 0)) ||
	    zip_file_add(z, "xl/_rels/workbook.xml.rels", s, 0) < 0)
		abort();
	for (int k = 0; k < 3; k++) {
		if (!part[k])
			break;
		if (!(s = zip_source_buffer(z, part[k], len[k], 0)) ||
		    zip_file_add(z, names[k], s, 0) < 0)
			abort();
	}
	if (zip_close(z) != 0)
		abort();
	/* Read the archive back into memory from the kept source. */
	zip_stat_t st;
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		abort();
	void *buf = malloc(st.size ? st.size : 1);
	if (!buf)
		abort();
	if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	read_mem(buf, st.size);
	free(buf);
	return 0;
}
