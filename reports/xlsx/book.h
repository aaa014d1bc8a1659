/*
 * book.h — internal to reports/xlsx/: the workbook helpers of xlsx.c that
 * other xlsx writers (curves.c) share, so that every workbook has
 * the same fixed creation date, formats, error handling and chart style.
 *
 * Errors: a struct book keeps the first libxlsxwriter error in `e`; every
 * helper does nothing once `e` is set, and book_close() turns it into a
 * cab_err naming the file (and removes the half-written file).
 * Ownership: book_open() creates the workbook, book_close() frees it
 * (always); sheets, formats and charts belong to the workbook.
 */
#ifndef CABINE_REPORTS_XLSX_UTIL_H
#define CABINE_REPORTS_XLSX_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "cabine/err.h"
#include "cabine/report.h"

/* One workbook being written; `e` keeps the first libxlsxwriter error so
 * that each cell call is checked without a test after every line. */
struct book {
	lxw_workbook *wb;
	lxw_worksheet *ws;   /* the invoice sheet */
	lxw_worksheet *data; /* average day, for the chart */
	lxw_error e;	     /* first error, LXW_NO_ERROR if none */
	lxw_format *title, *bold, *head, *head_num, *kwh, *eur, *price, *pct,
	    *total_label, *total_eur;
	lxw_format *remark; /* a remark under a table: italic */
};

/* Print a table sheet on A4 one page wide, rows 0..head repeated on top
 * of each page. */
void print_table(struct book *b, lxw_worksheet *ws, bool is_landscape,
		 lxw_row_t head);
/* Print a sheet of charts on A4 portrait one page wide, a new page every
 * `every` rows (n_pages pages), so that no chart is cut. */
void print_charts(struct book *b, lxw_worksheet *ws, lxw_row_t every,
		  size_t n_pages);

/* Keep e in b unless an earlier error is already there. */
void note(struct book *b, lxw_error e);
/* Text / number cells; a non-finite number leaves the cell empty. */
void put_str(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	     const char *s, lxw_format *f);
void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	     double v, lxw_format *f);
/* Local quarter-hour `slot` (0..95) as "HH:MM" text. */
void put_hhmm(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	      int slot);
/* A new format of b's workbook, or NULL (error noted). */
lxw_format *new_format(struct book *b);

/* Open dir/name as a workbook in b (fixed creation date, formats made);
 * path receives the full name. Fails with CAB_EIO. */
enum cab_status book_open(struct book *b, const char *dir, const char *name,
			  const char *title, char *path, size_t size,
			  struct cab_err *err);
/* Close b's workbook (freed even after an error); on any error the file
 * is removed and err names it (CAB_EIO or CAB_ENOMEM). */
enum cab_status book_close(struct book *b, const char *path,
			   struct cab_err *err);
/* A new sheet named `name` (already Excel-safe), or NULL (error noted). */
lxw_worksheet *book_sheet(struct book *b, const char *name);

/* A sheet name Excel accepts made from any text: none of []:*?/\, no
 * apostrophe at either end, 1 to 31 characters (UTF-8 aware), not
 * "History", unlike every name in taken[0..n_taken) case-insensitively
 * ("~2", "~3"… appended when needed). buf holds at least 4·31+1 bytes. */
void sheet_name(const char *name, const char *const *taken, size_t n_taken,
		char *buf, size_t size);

/* A chart of b's workbook, or NULL (error noted). */
lxw_chart *new_chart(struct book *b, uint8_t type);
/* A series of values in column `col`, rows r0..r1 of `sheet`, with the
 * categories in column `cat` of the same rows; NULL if chart is NULL. */
lxw_chart_series *add_series_at(struct book *b, lxw_chart *chart,
				const char *sheet, lxw_row_t r0, lxw_row_t r1,
				lxw_col_t cat, lxw_col_t col, const char *name);
/* Title, axis name, legend at the bottom, inserted at (r, c) of ws. */
void place_chart(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		 lxw_chart *chart, const char *title, const char *y_name,
		 uint16_t x_interval);

/* opts->lang when it names a language, else French. */
int report_lang(const struct cab_report_opts *opts);

#endif
