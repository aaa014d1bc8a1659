/*
 * book.h — internal to reports/xlsx/: the small toolkit every workbook
 * writer uses (invoice.c, community.c, compare.c, sibelga.c, alerts.c,
 * curves.c), so that every workbook has the same fixed creation date,
 * formats, error handling, chart style and print set-up. The only header
 * that includes xlsxwriter.h; only reports/xlsx/ includes it.
 *
 * Errors: a struct cab_book keeps the first libxlsxwriter error in `e`;
 * every helper does nothing once `e` is set, and cab_book_close() turns
 * it into a cab_err naming the file (and removes the half-written file),
 * so that each cell call is checked without a test after every line.
 * Ownership: cab_book_open() creates the workbook, cab_book_close() frees
 * it (always); sheets, formats and charts belong to the workbook.
 * Workload: called once per cell; every helper is a check and one
 * libxlsxwriter call.
 */
#ifndef CABINE_REPORTS_XLSX_BOOK_H
#define CABINE_REPORTS_XLSX_BOOK_H

#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "cabine/err.h"
#include "cabine/report.h"
#include "reports/xlsx/pack.h"

/* One workbook being written. */
struct cab_book {
	lxw_workbook *wb;
	lxw_worksheet *ws;   /* the main sheet, when a writer keeps one */
	lxw_worksheet *data; /* the sheet its charts read, if any */
	lxw_error e;	     /* first error, LXW_NO_ERROR if none */
	lxw_format *title, *bold, *head, *head_num, *kwh, *eur, *price, *pct,
	    *total_label, *total_eur;
	lxw_format *remark;    /* a remark under a table: italic */
	lxw_format *right;     /* plain text aligned as the numbers */
	lxw_format *total_kwh; /* a totals row's kWh: bold, 3 decimals */
	/* Non-NULL: cab_book_close writes the file with cab_pack_close
	 * (pack.h: the same parts, faster) reusing this cache's parts;
	 * NULL: with libxlsxwriter's workbook_close. Borrowed. */
	struct cab_pack_cache *pack;
};

/* Open dir/name as a workbook in b (fixed creation date, the formats of
 * struct cab_book made); path (size bytes) receives the full name.
 * tmpdir: where libxlsxwriter stages its parts, NULL for its default.
 * Fails with CAB_EIO; b then holds no workbook. */
enum cab_status cab_book_open(struct cab_book *b, const char *dir,
			      const char *name, const char *title,
			      const char *tmpdir, char *path, size_t size,
			      struct cab_err *err);
/* Close b's workbook (freed even after an error); on any error the file
 * is removed and err names it (CAB_EIO or CAB_ENOMEM). */
enum cab_status cab_book_close(struct cab_book *b, const char *path,
			       struct cab_err *err);
/* A new sheet named `name` (already Excel-safe), or NULL (error noted). */
lxw_worksheet *cab_book_sheet(struct cab_book *b, const char *name);

/* Keep e in b unless an earlier error is already there. */
void cab_book_note(struct cab_book *b, lxw_error e);
/* Text / number cells; a non-finite number leaves the cell empty. */
void cab_book_put_str(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		      lxw_col_t c, const char *s, lxw_format *f);
void cab_book_put_num(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		      lxw_col_t c, double v, lxw_format *f);
/* Local quarter-hour `slot` (0..95) as "HH:MM" text. */
void cab_book_put_hhmm(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		       lxw_col_t c, int slot);
/* A new format of b's workbook, or NULL (error noted). */
lxw_format *cab_book_format(struct cab_book *b);
/* Excel's "good" (green) and "bad" (red) cell styles, new formats. */
void cab_book_gain_loss(struct cab_book *b, lxw_format **gain,
			lxw_format **loss);
/* Cells of the range below 0 in `gain`, above 0 in `loss` (conditional
 * formats: the colours follow the stored values). */
void cab_book_highlight_sign(struct cab_book *b, lxw_worksheet *ws,
			     lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
			     lxw_col_t c1, lxw_format *gain, lxw_format *loss);

/* Print a table sheet on A4 one page wide, rows 0..head repeated on top
 * of each page. */
void cab_book_print_table(struct cab_book *b, lxw_worksheet *ws,
			  bool is_landscape, lxw_row_t head);
/* Print a sheet of charts on A4 portrait one page wide, a new page every
 * `every` rows (n_pages pages), so that no chart is cut. */
void cab_book_print_charts(struct cab_book *b, lxw_worksheet *ws,
			   lxw_row_t every, size_t n_pages);

/* A sheet name Excel accepts made from any text: none of []:*?/\, no
 * apostrophe at either end, 1 to 31 characters (UTF-8 aware), not
 * "History", unlike every name in taken[0..n_taken) case-insensitively
 * ("~2", "~3"… appended when needed). buf holds at least
 * CAB_BOOK_SHEET_BUF bytes. */
#define CAB_BOOK_SHEET_NAME_MAX 31 /* Excel's limit, in characters */
#define CAB_BOOK_SHEET_BUF (4 * CAB_BOOK_SHEET_NAME_MAX + 1)
void cab_book_sheet_name(const char *name, const char *const *taken,
			 size_t n_taken, char *buf, size_t size);

/* A chart of b's workbook, or NULL (error noted). */
lxw_chart *cab_book_chart(struct cab_book *b, uint8_t type);
/* A series of values in column `col`, rows r0..r1 of `sheet`, with the
 * categories in column `cat` of the same rows; NULL if chart is NULL. */
lxw_chart_series *cab_book_add_series(struct cab_book *b, lxw_chart *chart,
				      const char *sheet, lxw_row_t r0,
				      lxw_row_t r1, lxw_col_t cat,
				      lxw_col_t col, const char *name);
/* s as a chart name libxlsxwriter shows as text: s itself, or, when it
 * begins with '=' (which libxlsxwriter would take for a formula), " " + s
 * in buf (size bytes). Every chart name and title goes through it. */
const char *cab_book_chart_text(const char *s, char *buf, size_t size);
/* Title, axis name, legend at the bottom, inserted at (r, c) of ws. */
void cab_book_place_chart(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
			  lxw_col_t c, lxw_chart *chart, const char *title,
			  const char *y_name, uint16_t x_interval);

/* opts->lang when it names a language, else French. */
int cab_book_lang(const struct cab_report_opts *opts);
/* The scenario's period "d1 m1 y1 … d2 m2 y2" with the last day billed
 * (its end is exclusive), through printf format `fmt` of the words. */
void cab_book_period(const struct cab_scenario *sc, const char *fmt, char *buf,
		     size_t size);
/* Local quarter-hour of the day (0..95) of each interval of the run and,
 * if season_of is not NULL, its meteorological season (1 winter DJF, 2
 * spring, 3 summer, 4 autumn, as in curves.h), into arrays of
 * run->n_intervals entries. */
void cab_book_local_slots(const struct cab_run *run, uint8_t *slot_of,
			  uint8_t *season_of);

/* Cents as a EUR cell value. */
static inline double cab_book_eur(int64_t cents)
{
	return (double)cents / 100.0;
}

#endif
