/*
 * sheet.h — a spreadsheet's first (or named) sheet read as a table of
 * text cells: what a participants table, an appliance inventory or the
 * operator's monthly and quarter-hour files look like once opened.
 *
 * Why: the people who run a community keep their lists in LibreOffice or
 * Excel and the grid operator sends .xlsx files. One small reader, built
 * on Debian's libzip (the container) and expat (the XML), turns a sheet
 * into rows of cells with the spreadsheet's own row numbers, so that a
 * message can say `participants.xlsx:7: column 'occupants': …` exactly as
 * the CSV readers say `file.csv:7:` (SPEC §11, §13). No hand-written unzip
 * or XML scanner (SPEC §11).
 *
 * A cell keeps the text the file stores: a shared or inline string as
 * written; a number as the decimal text of its <v> element (Excel writes
 * the shortest text that reads back to the same double, so "0.25" stays
 * "0.25"); a boolean as "1" or "0"; a formula as its cached value. Date
 * cells are numbers (days since 1899-12-30) flagged is_date from the
 * cell's number format; cab_sheet_serial_to_civil turns them into a date.
 *
 * Workload: sheets of tens of rows (participants) to ~100,000 rows (a
 * month of quarter-hours for 30 meters); parts are inflated whole in
 * memory, bounded by CAB_SHEET_MAX_PART_BYTES (a zip bomb is an error).
 *
 * Ownership: cab_sheet_read returns a sheet freed with cab_sheet_free
 * (NULL allowed); it owns every row and cell text.
 */
#ifndef CABINE_SHEET_H
#define CABINE_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/err.h"
#include "cabine/time.h"

/* Largest inflated part (sheet, shared strings) read, in bytes. */
#define CAB_SHEET_MAX_PART_BYTES (256u << 20)
/* Largest column index (XFD, Excel's limit) and row number. */
#define CAB_SHEET_MAX_COLS 16384u
#define CAB_SHEET_MAX_ROWS 1048576u

enum cab_cell_type {
	CAB_CELL_EMPTY = 0, /* no cell, or a cell without a value */
	CAB_CELL_STRING,    /* shared, inline or formula string */
	CAB_CELL_NUMBER,    /* text is the stored decimal, e.g. "0.25" */
	CAB_CELL_BOOL,	    /* text "1" or "0" */
	CAB_CELL_ERROR,	    /* text as stored, e.g. "#DIV/0!" */
};

struct cab_cell {
	enum cab_cell_type type;
	bool is_date; /* a number formatted as a date or time */
	char *text;   /* NUL-terminated UTF-8; NULL for an empty cell */
};

struct cab_sheet_row {
	unsigned long number;  /* spreadsheet row number, 1 = first row */
	size_t n_cells;	       /* columns A.. up to the last non-empty one */
	struct cab_cell *cell; /* n_cells cells, column A first */
};

struct cab_sheet {
	char *name;		   /* the sheet's name in the workbook */
	bool is_1904;		   /* workbook uses the 1904 date system */
	size_t n_rows;		   /* rows holding at least one value */
	struct cab_sheet_row *row; /* in row-number order */
};

/* Read sheet `sheet_name` (NULL: the first sheet in the workbook's order)
 * of the .xlsx file at `path`. Fails with CAB_EIO (unreadable file),
 * CAB_EINPUT (not an xlsx workbook, no such sheet, malformed XML, a part
 * above the size bound; the message names `path`) or CAB_ENOMEM. *out is
 * the caller's. */
enum cab_status cab_sheet_read(const char *path, const char *sheet_name,
			       struct cab_sheet **out, struct cab_err *err);

/* The same from an xlsx held in memory (len bytes, borrowed); `name` is
 * the file name used in messages. */
enum cab_status cab_sheet_read_mem(const void *data, size_t len,
				   const char *name, const char *sheet_name,
				   struct cab_sheet **out, struct cab_err *err);

void cab_sheet_free(struct cab_sheet *s);

/* The text of row r's cell in column col (0 = A), or NULL when empty. */
const char *cab_sheet_text(const struct cab_sheet_row *r, size_t col);

/* A date serial (days since 1899-12-30, or 1904-01-01 when is_1904; the
 * fraction is the time of day) as civil date and time, rounded to the
 * second; wday and offset_s are set to 0. Fails with CAB_EINPUT outside
 * the years 1900–9999. */
enum cab_status cab_sheet_serial_to_civil(double serial, bool is_1904,
					  struct cab_civil *out);

/* True when a .xlsx file name or the first bytes of a file ("PK\3\4")
 * say it is a zip container, i.e. a workbook rather than a CSV. */
bool cab_sheet_is_xlsx(const char *path);

#endif
