/*
 * sheet_xml.h — internal to engine/ingest/: the SpreadsheetML parts of an
 * xlsx parsed with expat into a struct cab_sheet (engine/ingest/sheet.c
 * opens the zip and hands each part here, in the order workbook →
 * relationships → shared strings → styles → sheet).
 *
 * Ownership: the reader owns what it collects until
 * cab_sheet_reader_release; the sheet it fills (sh) is the caller's.
 */
#ifndef CABINE_INGEST_SHEET_XML_H
#define CABINE_INGEST_SHEET_XML_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>

#include "cabine/sheet.h"

/* A growable byte buffer for character data. */
struct cab_sheet_text {
	char *s;
	size_t len, cap;
};

struct cab_sheet_reader {
	const char *file; /* for messages */
	const char *part; /* the part being parsed */
	struct cab_err *err;
	enum cab_status st; /* first failure inside a callback */
	XML_Parser xp;
	/* workbook.xml */
	char **sheet_names, **sheet_rids;
	size_t n_sheets, cap_sheets;
	bool is_1904;
	/* workbook.xml.rels: the target of the wanted relationship id */
	const char *want_rid;
	char *target;
	/* sharedStrings.xml */
	char **sst;
	size_t n_sst, cap_sst;
	bool in_si, in_t, in_rph;
	struct cab_sheet_text buf;
	/* styles.xml: per cell format index, whether it shows a date */
	bool *xf_date;
	size_t n_xf, cap_xf;
	unsigned *date_fmt; /* custom numFmt ids whose code is a date */
	size_t n_date_fmt, cap_date_fmt;
	bool in_cellxfs;
	/* the sheet */
	struct cab_sheet *sh;
	size_t cap_rows;
	unsigned long row_no; /* current row number, 0 before the first */
	size_t col;	      /* next column when a cell has no r */
	bool in_c, in_v, in_is;
	char cell_t[16];
	long cell_s;
	size_t cell_col;
};

enum cab_sheet_part {
	CAB_SHEET_PART_WORKBOOK, /* xl/workbook.xml: sheets, date system */
	CAB_SHEET_PART_RELS,	 /* its relationships: want_rid → target */
	CAB_SHEET_PART_SST,	 /* xl/sharedStrings.xml */
	CAB_SHEET_PART_STYLES,	 /* xl/styles.xml: date formats */
	CAB_SHEET_PART_SHEET,	 /* the sheet, into r->sh */
};

/* Parse part `name` (len bytes of data, borrowed) of kind `kind` into r.
 * Fails with CAB_EINPUT (malformed XML or content; the message names the
 * file, the part and its line) or CAB_ENOMEM, recorded in r->err. */
enum cab_status cab_sheet_xml_parse(struct cab_sheet_reader *r,
				    enum cab_sheet_part kind, const char *name,
				    const char *data, size_t len);

/* Free what the reader collected (not r->sh). */
void cab_sheet_reader_release(struct cab_sheet_reader *r);

#endif
