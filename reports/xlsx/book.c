/*
 * book.c — the workbook toolkit of reports/xlsx/ (book.h): open a workbook
 * with the fixed creation date and the usual formats, write cells that
 * keep the first error, name sheets the way Excel accepts, make and place
 * charts, set up printing, close (unlinking a half-written file).
 *
 * Reproducible output: the creation date is fixed (2024-01-01T00:00Z) so
 * that identical inputs give identical bytes; writers store values, never
 * formulas, so a viewer that does not recalculate shows every number.
 * Text is always a string: cells through worksheet_write_string, chart
 * names through cab_book_chart_text (libxlsxwriter reads a chart name
 * that begins with '=' as a formula).
 *
 * Workload: one call per cell or chart; nothing here loops over a run's
 * intervals except cab_book_local_slots() (one local-time conversion per
 * interval, once per workbook).
 */
#include "reports/xlsx/book.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabine/time.h"

/* Fixed document creation time: 2024-01-01T00:00:00Z. */
#define XLSX_CREATED_S 1704067200

void cab_book_note(struct cab_book *b, lxw_error e)
{
	if (!b->e)
		b->e = e;
}

void cab_book_put_str(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		      lxw_col_t c, const char *s, lxw_format *f)
{
	if (!b->e)
		b->e = worksheet_write_string(ws, r, c, s, f);
}

void cab_book_put_num(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		      lxw_col_t c, double v, lxw_format *f)
{
	if (!b->e && isfinite(v))
		b->e = worksheet_write_number(ws, r, c, v, f);
}

lxw_format *cab_book_format(struct cab_book *b)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return f;
}

static void make_formats(struct cab_book *b)
{
	const lxw_color_t fill = 0xDDEBF7; /* light blue header fill */
	if (!(b->title = cab_book_format(b)) ||
	    !(b->bold = cab_book_format(b)) ||
	    !(b->head = cab_book_format(b)) ||
	    !(b->head_num = cab_book_format(b)) ||
	    !(b->kwh = cab_book_format(b)) || !(b->eur = cab_book_format(b)) ||
	    !(b->price = cab_book_format(b)) ||
	    !(b->pct = cab_book_format(b)) ||
	    !(b->total_label = cab_book_format(b)) ||
	    !(b->total_eur = cab_book_format(b)) ||
	    !(b->remark = cab_book_format(b)) ||
	    !(b->right = cab_book_format(b)) ||
	    !(b->total_kwh = cab_book_format(b)))
		return;
	/* Totals in kWh read like the rows above (1,959,723.321). */
	format_set_bold(b->total_kwh);
	format_set_top(b->total_kwh, LXW_BORDER_THIN);
	format_set_num_format(b->total_kwh, "#,##0.000");
	format_set_align(b->right, LXW_ALIGN_RIGHT);
	format_set_italic(b->remark);
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	format_set_bold(b->bold);
	format_set_bold(b->head);
	format_set_bg_color(b->head, fill);
	format_set_bottom(b->head, LXW_BORDER_THIN);
	format_set_bold(b->head_num);
	format_set_bg_color(b->head_num, fill);
	format_set_bottom(b->head_num, LXW_BORDER_THIN);
	format_set_align(b->head_num, LXW_ALIGN_RIGHT);
	format_set_text_wrap(b->head_num);
	format_set_num_format(b->kwh, "#,##0.000");
	format_set_num_format(b->eur, "#,##0.00 €");
	format_set_num_format(b->price, "#,##0.0000 €");
	format_set_num_format(b->pct, "0%");
	format_set_bold(b->total_label);
	format_set_top(b->total_label, LXW_BORDER_THIN);
	format_set_bold(b->total_eur);
	format_set_top(b->total_eur, LXW_BORDER_THIN);
	format_set_num_format(b->total_eur, "#,##0.00 €");
}

/* Print a table sheet on A4, one page wide (its rows flow onto the next
 * pages) with rows 0..head repeated on top of each page: printed, a wide
 * table otherwise spreads its columns over many pages. */
void cab_book_print_table(struct cab_book *b, lxw_worksheet *ws,
			  bool is_landscape, lxw_row_t head)
{
	if (b->e || !ws)
		return;
	worksheet_set_paper(ws, 9); /* A4 */
	if (is_landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(ws, 1, 0);
	cab_book_note(b, worksheet_repeat_rows(ws, 0, head));
}

/* Print a sheet of charts on A4 portrait, one page wide, a new page every
 * `every` rows (n_pages pages): a chart is never cut at a page's edge. */
void cab_book_print_charts(struct cab_book *b, lxw_worksheet *ws,
			   lxw_row_t every, size_t n_pages)
{
	if (b->e || !ws)
		return;
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_portrait(ws);
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(ws, 1, 0);
	if (n_pages < 2)
		return;
	lxw_row_t *breaks = calloc(n_pages, sizeof(*breaks)); /* 0-ended */
	if (!breaks) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t k = 1; k < n_pages; k++)
		breaks[k - 1] = (lxw_row_t)(k * every);
	cab_book_note(b, worksheet_set_h_pagebreaks(ws, breaks));
	free(breaks);
}

/* ASCII case-insensitive equality: Excel treats "Base" and "base" as the
 * same sheet. */
static bool same_sheet_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		int cb = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
		if (ca != cb)
			return false;
	}
	return *a == *b;
}

/* Copy at most max_chars characters of the UTF-8 text s into buf (size
 * ≥ 4·max+1), never cutting a character. Characters are counted as Excel
 * does, in UTF-16 units: one beyond U+FFFF (4 bytes in UTF-8) counts 2. */
static void utf8_prefix(const char *s, size_t max_chars, char *buf, size_t size)
{
	size_t n = 0, chars = 0;
	while (s[n]) {
		size_t len = 1;
		while ((s[n + len] & 0xC0) == 0x80)
			len++;
		size_t units = len == 4 ? 2 : 1;
		if (chars + units > max_chars || n + len + 1 > size)
			break;
		n += len;
		chars += units;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
}

/* A sheet name from a run name that Excel accepts: none of []:*?/\, no
 * apostrophe at either end, 1 to 31 characters, not "History", and unlike
 * every name in taken[0..n_taken) (case-insensitively), with "~2", "~3"…
 * appended when needed. buf holds at least 4·31+1 bytes. */
void cab_book_sheet_name(const char *name, const char *const *taken,
			 size_t n_taken, char *buf, size_t size)
{
	char clean[256];
	size_t n = 0;
	for (const char *s = name; *s && n + 1 < sizeof(clean); s++)
		clean[n++] = strchr("[]:*?/\\", *s) ? '_' : *s;
	clean[n] = 0;
	if (n && clean[0] == '\'')
		clean[0] = '_';
	if (n && clean[n - 1] == '\'')
		clean[n - 1] = '_';
	if (!n)
		snprintf(clean, sizeof(clean), "variant");
	for (unsigned k = 1;; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof(suffix), "~%u", k);
		utf8_prefix(clean, CAB_BOOK_SHEET_NAME_MAX - strlen(suffix),
			    buf, size);
		strncat(buf, suffix, size - strlen(buf) - 1);
		/* Truncation may leave an apostrophe at the end. */
		size_t len = strlen(buf);
		if (len && buf[len - 1] == '\'')
			buf[len - 1] = '_';
		/* Excel reserves "History" for its change tracking. */
		bool is_taken = same_sheet_name(buf, "History");
		for (size_t j = 0; j < n_taken && !is_taken; j++)
			is_taken = same_sheet_name(buf, taken[j]);
		if (!is_taken)
			return;
	}
}

enum cab_status cab_book_open(struct cab_book *b, const char *dir,
			      const char *name, const char *title,
			      const char *tmpdir, char *path, size_t size,
			      struct cab_err *err)
{
	memset(b, 0, sizeof(*b));
	if ((size_t)snprintf(path, size, "%s/%s", dir, name) >= size)
		return cab_err_add(err, CAB_EIO, "%s/%s: path too long", dir,
				   name);
	/* Not constant_memory: it would be faster (no chart caches) but a
	 * chart would then carry no values of its own, and a viewer that does
	 * not recalculate would draw it empty (docs/PERFORMANCE.md). */
	lxw_workbook_options o = {.constant_memory = LXW_FALSE,
				  .tmpdir = (char *)tmpdir,
				  .use_zip64 = LXW_FALSE};
	b->wb = workbook_new_opt(path, &o);
	if (!b->wb)
		return cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
				   lxw_strerror(LXW_ERROR_CREATING_XLSX_FILE));
	lxw_doc_properties props = {.title = (char *)title,
				    .author = "cabine",
				    .created = (time_t)XLSX_CREATED_S};
	cab_book_note(b, workbook_set_properties(b->wb, &props));
	make_formats(b);
	return CAB_OK;
}

/* libxlsxwriter prints its own lines on stderr ("[ERROR]
 * workbook_close(): Error creating '…'. System error = …", "[ERROR]
 * [packager.c:…]: …" on a full disk) and has no hook for them. While it
 * writes the file out, stderr goes into a pipe (non-blocking: a flood of
 * lines is cut, never a deadlock), and what it said joins cabine's one
 * line. */
struct capture {
	int saved; /* the real stderr, or -1: nothing captured */
	int rd;	   /* the pipe's end we read */
};

static void capture_begin(struct capture *c)
{
	int p[2];
	c->saved = c->rd = -1;
	fflush(stderr);
	if (pipe(p) != 0)
		return;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	c->saved = dup(STDERR_FILENO);
	if (c->saved < 0 || dup2(p[1], STDERR_FILENO) < 0) {
		if (c->saved >= 0)
			close(c->saved);
		c->saved = -1;
		close(p[0]);
		close(p[1]);
		return;
	}
	close(p[1]);
	c->rd = p[0];
}

/* Restore stderr; what libxlsxwriter said into buf: the system's error
 * of its "System error = …" when it gave one, else its first line
 * without the "[ERROR][file:line]: " and "function(): " prefixes. */
static void capture_end(struct capture *c, char *buf, size_t size)
{
	buf[0] = '\0';
	if (c->saved < 0)
		return;
	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	clearerr(stderr);
	char raw[1024];
	ssize_t n = read(c->rd, raw, sizeof(raw) - 1);
	close(c->rd);
	raw[n > 0 ? n : 0] = '\0';
	char *s = strstr(raw, "System error = ");
	if (s) {
		s += strlen("System error = ");
		snprintf(buf, size, "%.*s", (int)strcspn(s, "\r\n"), s);
		return;
	}
	s = raw;
	while (*s == '[') { /* [ERROR], [packager.c:123] */
		char *end = strchr(s, ']');
		if (!end)
			break;
		s = end + 1;
	}
	s += strspn(s, ": ");
	char *call = strstr(s, "(): ");
	if (call && !memchr(s, ' ', (size_t)(call - s)))
		s = call + 4;
	size_t len = strcspn(s, "\r\n");
	while (len && (s[len - 1] == '.' || s[len - 1] == ' '))
		len--;
	snprintf(buf, size, "%.*s", (int)len, s);
	for (char *k = buf; *k; k++)
		if ((unsigned char)*k < 0x20)
			*k = ' ';
}

enum cab_status cab_book_close(struct cab_book *b, const char *path,
			       struct cab_err *err)
{
	struct capture cap;
	char said[512];
	capture_begin(&cap);
	lxw_error e =
	    b->pack ? cab_pack_close(b->wb, b->pack) : workbook_close(b->wb);
	capture_end(&cap, said, sizeof(said));
	b->wb = NULL;
	if (b->e)
		e = b->e;
	if (!e)
		return CAB_OK;
	unlink(path);
	const char *what = lxw_strerror(e);
	size_t len = strlen(what);
	while (len && what[len - 1] == '.')
		len--;
	return cab_err_add(
	    err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? CAB_ENOMEM : CAB_EIO,
	    "%s: cannot write (%.*s%s%s)", path, (int)len, what,
	    said[0] ? ": " : "", said);
}

lxw_worksheet *cab_book_sheet(struct cab_book *b, const char *name)
{
	if (b->e)
		return NULL;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
	if (!ws)
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return ws;
}

/* Excel's "good" (green) and "bad" (red) cell styles. */
void cab_book_gain_loss(struct cab_book *b, lxw_format **gain,
			lxw_format **loss)
{
	*gain = cab_book_format(b);
	*loss = cab_book_format(b);
	if (!*gain || !*loss)
		return;
	format_set_bg_color(*gain, 0xC6EFCE);
	format_set_font_color(*gain, 0x006100);
	format_set_bg_color(*loss, 0xFFC7CE);
	format_set_font_color(*loss, 0x9C0006);
}

/* Cells of the range below 0 in green, above 0 in red (conditional
 * formats: the colours follow the stored values). */
void cab_book_highlight_sign(struct cab_book *b, lxw_worksheet *ws,
			     lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
			     lxw_col_t c1, lxw_format *gain, lxw_format *loss)
{
	if (b->e || r1 < r0)
		return;
	lxw_conditional_format cf = {0};
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
	cf.value = 0;
	cf.format = gain;
	cab_book_note(
	    b, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf));
	cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
	cf.format = loss;
	cab_book_note(
	    b, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf));
}

lxw_chart *cab_book_chart(struct cab_book *b, uint8_t type)
{
	if (b->e)
		return NULL;
	lxw_chart *c = workbook_add_chart(b->wb, type);
	if (!c)
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return c;
}

/* A series of values in column `col`, rows r0..r1 of `sheet`, with the
 * categories in column `cat` of the same rows. */
lxw_chart_series *cab_book_add_series(struct cab_book *b, lxw_chart *chart,
				      const char *sheet, lxw_row_t r0,
				      lxw_row_t r1, lxw_col_t cat,
				      lxw_col_t col, const char *name)
{
	if (!chart)
		return NULL;
	lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
	if (!s) {
		cab_book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	chart_series_set_categories(s, sheet, r0, cat, r1, cat);
	chart_series_set_values(s, sheet, r0, col, r1, col);
	if (name) {
		char text[512];
		chart_series_set_name(
		    s, cab_book_chart_text(name, text, sizeof(text)));
	}
	return s;
}

/* libxlsxwriter takes a chart name that begins with '=' for a formula (a
 * reference such as =Sheet1!A1, which a variant named "=cmd|' /C
 * calc'!A0" would turn into): such a text gets a leading space, so that
 * it is shown, never evaluated. */
const char *cab_book_chart_text(const char *s, char *buf, size_t size)
{
	if (!s || s[0] != '=')
		return s;
	snprintf(buf, size, " %s", s);
	return buf;
}

/* Title, axis name, legend at the bottom, inserted at (r, c) of ws. */
void cab_book_place_chart(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
			  lxw_col_t c, lxw_chart *chart, const char *title,
			  const char *y_name, uint16_t x_interval)
{
	if (!chart || b->e)
		return;
	char t[512], y[512];
	chart_title_set_name(chart, cab_book_chart_text(title, t, sizeof(t)));
	if (y_name && chart->y_axis)
		chart_axis_set_name(chart->y_axis,
				    cab_book_chart_text(y_name, y, sizeof(y)));
	if (x_interval && chart->x_axis)
		chart_axis_set_interval_unit(chart->x_axis, x_interval);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options o = {.x_scale = 1.5, .y_scale = 1.2};
	cab_book_note(b, worksheet_insert_chart_opt(ws, r, c, chart, &o));
}

void cab_book_local_slots(const struct cab_run *run, uint8_t *slot_of,
			  uint8_t *season_of)
{
	for (size_t t = 0; t < run->n_intervals; t++) {
		struct cab_civil c;
		cab_time_to_local(run->t0_s + (int64_t)t * CAB_INTERVAL_S, &c);
		slot_of[t] = (uint8_t)((c.hour * 60 + c.minute) / 15);
		if (season_of)
			season_of[t] = (uint8_t)(c.month % 12 / 3 + 1);
	}
}

void cab_book_put_hhmm(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		       lxw_col_t c, int slot)
{
	/* "%02d:%02d", by hand for the day's slots: 96 in every invoice. */
	char hhmm[24];
	if (slot >= 0 && slot < 400) {
		int h = slot / 4, m = slot % 4 * 15;
		hhmm[0] = (char)('0' + h / 10);
		hhmm[1] = (char)('0' + h % 10);
		hhmm[2] = ':';
		hhmm[3] = (char)('0' + m / 10);
		hhmm[4] = (char)('0' + m % 10);
		hhmm[5] = 0;
	} else {
		snprintf(hhmm, sizeof(hhmm), "%02d:%02d", slot / 4,
			 slot % 4 * 15);
	}
	cab_book_put_str(b, ws, r, c, hhmm, NULL);
}

int cab_book_lang(const struct cab_report_opts *opts)
{
	return opts && opts->lang >= CAB_LANG_FR && opts->lang <= CAB_LANG_EN
		   ? opts->lang
		   : CAB_LANG_FR;
}

void cab_book_period(const struct cab_scenario *sc, const char *fmt, char *buf,
		     size_t size)
{
	/* The scenario's end is exclusive; people read the last day billed. */
	int ey, em, ed;
	cab_time_civil_from_days(
	    cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d) - 1, &ey,
	    &em, &ed);
	snprintf(buf, size, fmt, sc->start_d, sc->start_m, sc->start_y, ed, em,
		 ey);
}
