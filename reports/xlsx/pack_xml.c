/*
 * pack_xml.c — the two repetitive pieces of a workbook's XML that
 * cab_pack_close (pack.c) writes itself instead of libxlsxwriter: a
 * worksheet's <sheetData> (rows and cells) and a chart series' cached
 * values (<c:numCache>, <c:strCache>), byte for byte as libxlsxwriter
 * 1.1.4 writes them (worksheet.c _worksheet_write_rows, _write_row,
 * _write_cell; chart.c _chart_write_num_cache, _chart_write_str_cache;
 * workbook.c _populate_range_data_cache).
 *
 * Why: libxlsxwriter writes each element with several fprintf calls; in
 * an invoice (96 × 3 values on the hidden data sheet, the same values
 * again in the average-day chart's cache, the months twice) that was a
 * third of its XML time. Here a cell is a few memcpy and one number
 * formatting ("%.16G", the format libxlsxwriter uses, so that every digit
 * is the same).
 *
 * Workload: a few hundred cells per invoice; up to ~100,000 in the
 * largest workbooks (curves.xlsx).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/xlsx/pack_int.h"

/* In-order walks of libxlsxwriter's row and cell trees (its own
 * generators are static to worksheet.c). */
RB_GENERATE_NEXT(lxw_table_rows, lxw_row, tree_pointers, static)
RB_GENERATE_MINMAX(lxw_table_rows, lxw_row, tree_pointers, static)
RB_GENERATE_NEXT(lxw_table_cells, lxw_cell, tree_pointers, static)
RB_GENERATE_MINMAX(lxw_table_cells, lxw_cell, tree_pointers, static)

bool cab_pack_reserve(struct cab_pack_buf *b, size_t more)
{
	if (b->is_bad)
		return false;
	if (b->n + more <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->is_bad = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void cab_pack_put(struct cab_pack_buf *b, const char *s, size_t n)
{
	if (!cab_pack_reserve(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

void cab_pack_puts(struct cab_pack_buf *b, const char *s)
{
	cab_pack_put(b, s, strlen(s));
}

void cab_pack_put_escaped(struct cab_pack_buf *b, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "&<>");
		cab_pack_put(b, s, n);
		s += n;
		if (!*s)
			return;
		cab_pack_puts(b, *s == '&'   ? "&amp;"
				 : *s == '<' ? "&lt;"
					     : "&gt;");
		s++;
	}
}

/* n in decimal (n ≥ 0 as libxlsxwriter's "%d" of its row and index
 * numbers). */
static void put_uint(struct cab_pack_buf *b, unsigned long n)
{
	char d[24];
	int k = sizeof d;
	do {
		d[--k] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	cab_pack_put(b, d + k, sizeof d - (size_t)k);
}

static void put_int(struct cab_pack_buf *b, long n)
{
	if (n < 0) {
		cab_pack_put(b, "-", 1);
		put_uint(b, (unsigned long)0 - (unsigned long)n);
	} else {
		put_uint(b, (unsigned long)n);
	}
}

/* 10^k, k = 0..22 (exact in 75 bits). */
static unsigned __int128 pow10_u128(int k)
{
	unsigned __int128 p = 1;
	while (k-- > 0)
		p *= 10;
	return p;
}

int cab_pack_g16(double x, char *buf)
{
	/* The fast case: 1e-7 ≤ |x| < 1e15, where x·10^k, k = 15 − X
	 * (X = ⌊log10 |x|⌋), is m·10^k·2^e with m·10^k < 2^128: the 16
	 * digits are that integer shifted right by −e, rounded half to even
	 * on the bits shifted out — exactly what glibc's printf does. */
	double ax = x < 0 ? -x : x;
	if (ax == 0) { /* "0", or "-0" for −0 */
		int n = signbit(x) ? 2 : 1;
		memcpy(buf, n == 2 ? "-0" : "0", (size_t)n + 1);
		return n;
	}
	if (!(ax >= 1e-7 && ax < 1e15))
		return snprintf(buf, 32, "%.16G", x);
	int e2;
	double f = frexp(ax, &e2); /* ax = f·2^e2, 0.5 ≤ f < 1 */
	uint64_t m = (uint64_t)ldexp(f, 53);
	int shift = 53 - e2; /* ax = m / 2^shift, shift > 0 here */
	int X = (int)floor(log10(ax));
	unsigned __int128 q = 0, rem = 0, half = 0;
	static const uint64_t lo = 1000000000000000ull; /* 10^15 */
	for (int tries = 0; tries < 3; tries++) {
		unsigned __int128 t = (unsigned __int128)m * pow10_u128(15 - X);
		q = t >> shift;
		rem = t & ((((unsigned __int128)1) << shift) - 1);
		half = ((unsigned __int128)1) << (shift - 1);
		if (q < lo && X > -7)
			X--;
		else if (q >= 10 * (unsigned __int128)lo && X < 15)
			X++;
		else
			break;
	}
	if (q < lo || q >= 10 * (unsigned __int128)lo)
		return snprintf(buf, 32, "%.16G", x);
	if (rem > half || (rem == half && (q & 1)))
		q++;
	if (q == 10 * (unsigned __int128)lo) { /* 9.99…95 → 10.00… */
		q = lo;
		X++;
	}
	char d[16];
	uint64_t v = (uint64_t)q;
	for (int i = 15; i >= 0; i--, v /= 10)
		d[i] = (char)('0' + v % 10);
	int nd = 16; /* significant digits left after trailing zeros */
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	char *p = buf;
	if (x < 0)
		*p++ = '-';
	if (X < -4) { /* %E style: d.dddE-XX */
		*p++ = d[0];
		if (nd > 1) {
			*p++ = '.';
			memcpy(p, d + 1, (size_t)nd - 1);
			p += nd - 1;
		}
		int ex = -X;
		*p++ = 'E';
		*p++ = '-';
		*p++ = (char)('0' + ex / 10);
		*p++ = (char)('0' + ex % 10);
	} else if (X < 0) { /* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		for (int i = 1; i < -X; i++)
			*p++ = '0';
		memcpy(p, d, (size_t)nd);
		p += nd;
	} else { /* ddd.ddd */
		memcpy(p, d, (size_t)X + 1);
		p += X + 1;
		if (nd > X + 1) {
			*p++ = '.';
			memcpy(p, d + X + 1, (size_t)(nd - X - 1));
			p += nd - X - 1;
		}
	}
	*p = 0;
	return (int)(p - buf);
}

/* x as libxlsxwriter prints every number ("%.16G"). */
static void put_number(struct cab_pack_buf *b, double x)
{
	char s[40];
	int n = cab_pack_g16(x, s);
	if (n > 0)
		cab_pack_put(b, s, (size_t)n);
}

/* "B7" for row 6, column 1 (lxw_rowcol_to_cell). */
static void put_cell_name(struct cab_pack_buf *b, lxw_row_t row, lxw_col_t col)
{
	char name[8];
	int k = sizeof name;
	unsigned c = (unsigned)col + 1;
	while (c) {
		unsigned r = (c - 1) % 26;
		name[--k] = (char)('A' + r);
		c = (c - 1) / 26;
	}
	cab_pack_put(b, name + k, sizeof name - (size_t)k);
	put_uint(b, (unsigned long)row + 1);
}

bool cab_pack_rows_supported(const lxw_worksheet *ws)
{
	if (ws->optimize)
		return false;
	for (lxw_row *row = RB_MIN(lxw_table_rows, ws->table); row;
	     row = lxw_table_rows_RB_NEXT(row)) {
		for (lxw_cell *c = RB_MIN(lxw_table_cells, row->cells); c;
		     c = lxw_table_cells_RB_NEXT(c))
			if (c->type != NUMBER_CELL && c->type != STRING_CELL &&
			    c->type != BLANK_CELL)
				return false;
	}
	return true;
}

/* The "spans" of the 16-row block of `row`: first to last column used by
 * this row and the following rows of its block (_calculate_spans). */
static void row_spans(lxw_row *row, char *span, size_t size, int32_t *block)
{
	lxw_col_t lo = RB_MIN(lxw_table_cells, row->cells)->col_num;
	lxw_col_t hi = RB_MAX(lxw_table_cells, row->cells)->col_num;
	*block = (int32_t)(row->row_num / 16);
	for (row = lxw_table_rows_RB_NEXT(row);
	     row && (int32_t)(row->row_num / 16) == *block;
	     row = lxw_table_rows_RB_NEXT(row)) {
		if (RB_EMPTY(row->cells))
			continue;
		lxw_col_t a = RB_MIN(lxw_table_cells, row->cells)->col_num;
		lxw_col_t z = RB_MAX(lxw_table_cells, row->cells)->col_num;
		if (a < lo)
			lo = a;
		if (z > hi)
			hi = z;
	}
	snprintf(span, size, "%d:%d", lo + 1, hi + 1);
}

/* <row …> (_write_row): the attributes in libxlsxwriter's order. */
static void put_row(struct cab_pack_buf *b, const lxw_worksheet *ws,
		    lxw_row *row, const char *spans)
{
	int32_t xf = row->format ? lxw_format_get_xf_index(row->format) : 0;
	double height =
	    row->height_changed ? row->height : ws->default_row_height;
	cab_pack_puts(b, "<row r=\"");
	put_uint(b, (unsigned long)row->row_num + 1);
	cab_pack_puts(b, "\"");
	if (spans) {
		cab_pack_puts(b, " spans=\"");
		cab_pack_puts(b, spans);
		cab_pack_puts(b, "\"");
	}
	if (xf) {
		cab_pack_puts(b, " s=\"");
		put_int(b, xf);
		cab_pack_puts(b, "\"");
	}
	if (row->format)
		cab_pack_puts(b, " customFormat=\"1\"");
	if (height != LXW_DEF_ROW_HEIGHT) {
		cab_pack_puts(b, " ht=\"");
		put_number(b, height);
		cab_pack_puts(b, "\"");
	}
	if (row->hidden)
		cab_pack_puts(b, " hidden=\"1\"");
	if (height != LXW_DEF_ROW_HEIGHT)
		cab_pack_puts(b, " customHeight=\"1\"");
	if (row->level) {
		cab_pack_puts(b, " outlineLevel=\"");
		put_uint(b, row->level);
		cab_pack_puts(b, "\"");
	}
	if (row->collapsed)
		cab_pack_puts(b, " collapsed=\"1\"");
	if (ws->excel_version == 2010)
		cab_pack_puts(b, " x14ac:dyDescent=\"0.25\"");
	cab_pack_puts(b, row->data_changed ? ">" : "/>");
}

/* One cell (_write_cell): its style is its own format's, else its row's,
 * else its column's. */
static void put_cell(struct cab_pack_buf *b, const lxw_worksheet *ws,
		     const lxw_cell *c, lxw_format *row_format)
{
	int32_t style = 0;
	if (c->format)
		style = lxw_format_get_xf_index(c->format);
	else if (row_format)
		style = lxw_format_get_xf_index(row_format);
	else if (c->col_num < ws->col_formats_max &&
		 ws->col_formats[c->col_num])
		style = lxw_format_get_xf_index(ws->col_formats[c->col_num]);
	/* A blank cell is written only with a format of its own. */
	if (c->type == BLANK_CELL && !c->format)
		return;
	cab_pack_puts(b, "<c r=\"");
	put_cell_name(b, c->row_num, c->col_num);
	cab_pack_puts(b, "\"");
	if (style) {
		cab_pack_puts(b, " s=\"");
		put_int(b, style);
		cab_pack_puts(b, "\"");
	}
	if (c->type == NUMBER_CELL) {
		cab_pack_puts(b, "><v>");
		put_number(b, c->u.number);
		cab_pack_puts(b, "</v></c>");
	} else if (c->type == STRING_CELL) {
		cab_pack_puts(b, " t=\"s\"><v>");
		put_int(b, c->u.string_id);
		cab_pack_puts(b, "</v></c>");
	} else {
		cab_pack_puts(b, "/>");
	}
}

void cab_pack_rows(struct cab_pack_buf *b, lxw_worksheet *ws)
{
	if (RB_EMPTY(ws->table)) {
		cab_pack_puts(b, "<sheetData/>");
		return;
	}
	cab_pack_puts(b, "<sheetData>");
	int32_t block = -1;
	char spans[32];
	for (lxw_row *row = RB_MIN(lxw_table_rows, ws->table); row;
	     row = lxw_table_rows_RB_NEXT(row)) {
		if (RB_EMPTY(row->cells)) {
			/* A row with no cells but a height or a format. */
			put_row(b, ws, row, ws->default_row_set ? "1:1" : NULL);
			continue;
		}
		if ((int32_t)row->row_num / 16 > block)
			row_spans(row, spans, sizeof spans, &block);
		put_row(b, ws, row, spans);
		if (!row->data_changed)
			continue;
		for (lxw_cell *c = RB_MIN(lxw_table_cells, row->cells); c;
		     c = lxw_table_cells_RB_NEXT(c))
			put_cell(b, ws, c, row->format);
		cab_pack_puts(b, "</row>");
	}
	cab_pack_puts(b, "</sheetData>");
}

void cab_pack_range_cache(struct cab_pack_buf *b, lxw_workbook *wb,
			  const lxw_series_range *range, bool is_str)
{
	/* As _populate_range_data_cache: one point per cell of a row or a
	 * column of a worksheet that exists. */
	if (range->ignore_cache || !range->sheetname)
		return;
	if (range->first_row != range->last_row &&
	    range->first_col != range->last_col)
		return;
	lxw_worksheet *ws =
	    workbook_get_worksheet_by_name(wb, range->sheetname);
	if (!ws || ws->optimize)
		return;
	/* libxlsxwriter counts the points in 16 bits. */
	uint16_t count = 0;
	for (lxw_row_t r = range->first_row; r <= range->last_row; r++)
		for (lxw_col_t c = range->first_col; c <= range->last_col; c++)
			count++;
	if (is_str) {
		cab_pack_puts(b, "<c:strCache><c:ptCount val=\"");
	} else {
		cab_pack_puts(b, "<c:numCache><c:formatCode>General"
				 "</c:formatCode><c:ptCount val=\"");
	}
	put_uint(b, count);
	cab_pack_puts(b, "\"/>");
	uint16_t index = 0;
	for (lxw_row_t r = range->first_row; r <= range->last_row; r++) {
		lxw_row *row = lxw_worksheet_find_row(ws, r);
		for (lxw_col_t col = range->first_col; col <= range->last_col;
		     col++, index++) {
			lxw_cell *cell =
			    lxw_worksheet_find_cell_in_row(row, col);
			if (!cell) /* no data: no point */
				continue;
			cab_pack_puts(b, "<c:pt idx=\"");
			put_uint(b, index);
			cab_pack_puts(b, "\"><c:v>");
			if (is_str && cell->type == STRING_CELL &&
			    cell->sst_string)
				cab_pack_put_escaped(b, cell->sst_string);
			else
				put_number(b, cell->type == NUMBER_CELL
						  ? cell->u.number
						  : 0.0);
			cab_pack_puts(b, "</c:v></c:pt>");
		}
	}
	cab_pack_puts(b, is_str ? "</c:strCache>" : "</c:numCache>");
}

void cab_pack_sst(struct cab_pack_buf *b, const lxw_sst *sst)
{
	/* shared_strings.c lxw_sst_assemble_xml_file. */
	cab_pack_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
			 "standalone=\"yes\"?>\n<sst xmlns=\"http://"
			 "schemas.openxmlformats.org/spreadsheetml/2006/main\""
			 " count=\"");
	put_uint(b, sst->string_count);
	cab_pack_puts(b, "\" uniqueCount=\"");
	put_uint(b, sst->unique_count);
	cab_pack_puts(b, "\">");
	const struct sst_element *e;
	STAILQ_FOREACH(e, sst->order_list, sst_order_pointers)
	{
		cab_pack_puts(b, "<si>");
		if (e->is_rich_string) { /* already XML */
			cab_pack_puts(b, e->string);
			cab_pack_puts(b, "</si>");
			continue;
		}
		char *escaped = NULL;
		const char *t = e->string;
		if (lxw_has_control_characters(t))
			t = escaped = lxw_escape_control_characters(t);
		size_t len = t ? strlen(t) : 0;
		/* Keep leading or trailing white space. */
		if (len && (isspace((unsigned char)t[0]) ||
			    isspace((unsigned char)t[len - 1])))
			cab_pack_puts(b, "<t xml:space=\"preserve\">");
		else
			cab_pack_puts(b, "<t>");
		if (t)
			cab_pack_put_escaped(b, t);
		else
			b->is_bad = true;
		cab_pack_puts(b, "</t></si>");
		free(escaped);
	}
	cab_pack_puts(b, "</sst>");
}
