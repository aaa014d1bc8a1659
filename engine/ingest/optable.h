/*
 * optable.h — internal to engine/ingest/: a table as the grid operator's
 * files come, xlsx or CSV, read into the sheet reader's rows (cabine/
 * sheet.h), and the small tools both operator formats use on its cells:
 * names compared without accents or case, numbers with a decimal comma
 * or point, text made safe for a message.
 *
 * Why: the operator's monthly and quarter-hour files arrive as .xlsx,
 * and facilitators re-save them as CSV from Excel or LibreOffice (`;` and
 * a decimal comma in Belgium, `,` and a point elsewhere, sometimes in
 * Windows-1252). Reading both into one shape lets each format read its
 * rows once, and name the spreadsheet row in every message (header =
 * row 1), which for a CSV is the line where the record starts.
 *
 * Ownership: cab_optable_read() returns a sheet freed with
 * cab_sheet_free(); the tools write into the caller's buffers.
 */
#ifndef CABINE_OPTABLE_H
#define CABINE_OPTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/sheet.h"

/* Longest folded name or shown text, in bytes with the NUL. */
#define CAB_OPTABLE_TEXT 80

/* buf (len bytes, an .xlsx when it starts with the zip signature, else a
 * CSV) into *out: its first sheet, or every CSV record with text cells
 * (RFC 4180 quotes; `;`, tab or `,` as separator, chosen from the first
 * lines; a UTF-8 BOM and CR LF accepted; records of empty cells left
 * out). Fails with CAB_EINPUT (name:row: …) or CAB_ENOMEM. */
enum cab_status cab_optable_read(const char *name, const char *buf, size_t len,
				 struct cab_sheet **out, struct cab_err *err);

/* s folded for comparison into out (cap bytes): ASCII lower case, the
 * accents of Latin letters removed (UTF-8 or Windows-1252), runs of
 * white space as one space, trimmed. */
void cab_optable_fold(const char *s, char *out, size_t cap);

/* Column of the header row whose folded name, as it is or without a
 * unit in parentheses at its end ("Volume (kWh)"), is one of names[]
 * (folded already, NULL-terminated); SIZE_MAX if none. */
size_t cab_optable_column(const struct cab_sheet_row *header,
			  const char *const *names);

/* Where the header row is: the first of the sheet's first 10 rows that
 * names at least two of the n columns (an export may open with a title
 * line or two above the table), else 0. */
size_t cab_optable_header_row(const struct cab_sheet *sh,
			      const char *const names[][6], size_t n);

/* The columns of header row h (row 1 of file `name`): col[c] for each of
 * the n columns, SIZE_MAX when absent, names[c] its folded names. Fails
 * with CAB_EINPUT when at most one is found ("name:row: header is not
 * <what> (<expect>)") or one of the first n_required is missing
 * ("header has no column '<shown[c]>' (<expect>)"). */
enum cab_status
cab_optable_header(const char *name, const struct cab_sheet_row *h,
		   const char *const names[][6], const char *const *shown,
		   size_t n, size_t n_required, const char *what,
		   const char *expect, size_t *col, struct cab_err *err);

/* A meter code cell (an EAN) as text: *s and *n its bytes, without the
 * `="…"` Excel writes around text in a CSV. Returns NULL, or what is
 * wrong: a number cell in exponent form or of more than 15 digits has
 * lost digits (an EAN as a number in Excel). */
const char *cab_optable_code(const struct cab_cell *c, const char **s,
			     size_t *n);

/* A number cell, or a text cell with a decimal comma or point (spaces
 * between digit groups allowed; "1.234,5" refused as ambiguous), into
 * *v. Returns NULL, or what is wrong ("is not a number (…)"). An empty
 * cell is not a number. */
const char *cab_optable_number(const struct cab_cell *c, double *v);

/* A date, a date and time, or a month as a cell gives it. */
struct cab_optable_when {
	int year, month, day;	  /* day 0: a month only ("2024-10") */
	int hour, minute, second; /* 0 without a time */
	bool has_time;		  /* a time of day was given */
	bool has_zone;		  /* "Z" or an offset: utc_s is exact */
	int64_t utc_s;		  /* with has_zone, the instant */
};
/* A date cell (days since 1899-12-30, or 1904 when is_1904), or text
 * "dd/mm/yyyy[ HH:MM[:SS]]" (also '-' or '.' between the date's parts),
 * "yyyy-mm-dd[ HH:MM[:SS]]" (also 'T', and "Z" or an offset), "yyyy-mm"
 * or "mm/yyyy" (a month), into *w with a calendar date checked (years
 * 2000–2099: meter data). Returns NULL, or what is wrong. */
const char *cab_optable_when(const struct cab_cell *c, bool is_1904,
			     struct cab_optable_when *w);

/* Cell text safe for a one-line message (control bytes as '?', cut at
 * CAB_OPTABLE_TEXT − 4 bytes with "..."): into out, returned. */
const char *cab_optable_show(const char *s, char out[CAB_OPTABLE_TEXT]);

#endif
