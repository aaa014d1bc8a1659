/*
 * optable.c — the grid operator's files as tables (optable.h): an .xlsx
 * through the sheet reader, a CSV record by record into the same rows,
 * and the comparisons and numbers both operator formats need.
 *
 * Why the CSV becomes a sheet: the formats then read one shape, and a
 * message names the same row whether the facilitator kept the operator's
 * .xlsx or saved it as CSV. Rules for the CSV: RFC 4180 quotes (a quoted
 * field may hold the separator, a quote written twice, a line break);
 * the separator is the one of `;`, tab and `,` a line of the first ten
 * (the header) holds most of, outside quotes; a UTF-8 byte-order mark, CR LF
 * and a last line without line break are accepted; a record whose cells are all
 * empty (a blank line, `;;;`) is skipped. Cells are trimmed of spaces.
 *
 * Workload: a month of quarter-hours for 30 members is ~100,000 records;
 * each cell is one small allocation, the file is read once.
 */
#include "engine/ingest/optable.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/decimal.h"

/* Latin-1 letters U+00C0..U+00FF without accents, lower case. */
static const char latin1[65] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
			       "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void cab_optable_fold(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	bool is_space = true; /* at the start: drop leading spaces */
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n + 1 < cap) {
		unsigned c = *p++;
		char ch = 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == 0xA0) {
			ch = ' ';
		} else if (c == 0xC2 && *p == 0xA0) {
			p++;
			ch = ' ';
		} else if (c == 0xC3 && *p >= 0x80 && *p <= 0xBF) {
			ch = latin1[*p++ - 0x80];
		} else if (c >= 0xC0) {
			/* Not the UTF-8 of a Latin-1 letter: a Windows-1252
			 * byte, or another script kept as it is. */
			bool is_utf8 = (*p & 0xC0) == 0x80;
			ch = is_utf8 ? (char)c : latin1[c - 0xC0];
		} else {
			ch = lower((char)c);
		}
		if (ch == ' ') {
			if (!is_space)
				out[n++] = ' ';
			is_space = true;
			continue;
		}
		out[n++] = ch;
		is_space = false;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	if (cap)
		out[n < cap ? n : cap - 1] = '\0';
}

size_t cab_optable_column(const struct cab_sheet_row *header,
			  const char *const *names)
{
	char f[CAB_OPTABLE_TEXT];
	for (size_t c = 0; c < header->n_cells; c++) {
		const char *t = cab_sheet_text(header, c);
		if (!t)
			continue;
		cab_optable_fold(t, f, sizeof f);
		/* A unit in parentheses at the end says nothing of the
		 * column: "Volume Partagé (kWh)" is "Volume Partagé". */
		size_t n = strlen(f);
		char *open = n && f[n - 1] == ')' ? strrchr(f, '(') : NULL;
		for (int pass = 0; pass < (open ? 2 : 1); pass++) {
			if (pass == 1) {
				*open = '\0';
				while (open > f && open[-1] == ' ')
					*--open = '\0';
			}
			for (size_t k = 0; names[k]; k++)
				if (!strcmp(f, names[k]))
					return c;
		}
	}
	return SIZE_MAX;
}

size_t cab_optable_header_row(const struct cab_sheet *sh,
			      const char *const names[][6], size_t n)
{
	for (size_t r = 0; r < sh->n_rows && r < 10; r++) {
		size_t found = 0;
		for (size_t c = 0; c < n; c++)
			found += cab_optable_column(&sh->row[r], names[c]) !=
				 SIZE_MAX;
		if (found >= 2)
			return r;
	}
	return 0;
}

enum cab_status
cab_optable_header(const char *name, const struct cab_sheet_row *h,
		   const char *const names[][6], const char *const *shown,
		   size_t n, size_t n_required, const char *what,
		   const char *expect, size_t *col, struct cab_err *err)
{
	size_t found = 0;
	for (size_t c = 0; c < n; c++) {
		col[c] = cab_optable_column(h, names[c]);
		found += col[c] != SIZE_MAX;
	}
	for (size_t c = 0; c < n_required; c++) {
		if (col[c] != SIZE_MAX)
			continue;
		if (found <= 1)
			return cab_err_at_line(
			    err, CAB_EINPUT, name, (long)h->number,
			    "header is not %s (%s)", what, expect);
		return cab_err_at_line(err, CAB_EINPUT, name, (long)h->number,
				       "header has no column '%s' (%s)",
				       shown[c], expect);
	}
	return CAB_OK;
}

const char *cab_optable_code(const struct cab_cell *c, const char **s,
			     size_t *n)
{
	const char *t = c->text ? c->text : "";
	size_t len = strlen(t);
	if (c->type == CAB_CELL_NUMBER && (strpbrk(t, ".eE") || len > 15))
		return "is stored as a number, which keeps only 15 digits "
		       "(expected the EAN as text: format the column as "
		       "text)";
	if (len >= 3 && t[0] == '=' && t[1] == '"' && t[len - 1] == '"') {
		t += 2;
		len -= 3;
	}
	*s = t;
	*n = len;
	return NULL;
}

const char *cab_optable_show(const char *s, char out[CAB_OPTABLE_TEXT])
{
	size_t n = 0;
	for (; s && *s && n < CAB_OPTABLE_TEXT - 4; s++)
		out[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	if (s && *s) {
		/* Cut between UTF-8 characters. */
		while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)out[n - 1] >= 0xC0)
			n--;
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

const char *cab_optable_number(const struct cab_cell *c, double *v)
{
	const char *s = c->text;
	if (!s || !*s)
		return "is empty (expected a number)";
	char b[64];
	size_t n = 0;
	int commas = 0, points = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* Spaces between digit groups: ASCII, no-break (C2 A0) and
		 * narrow no-break (E2 80 AF) as Excel writes them. */
		if (*p == ' ' || *p == 0xA0)
			continue;
		if (p[0] == 0xC2 && p[1] == 0xA0) {
			p++;
			continue;
		}
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) {
			p += 2;
			continue;
		}
		if (n + 1 >= sizeof b)
			return "is not a number (too long)";
		commas += *p == ',';
		points += *p == '.';
		b[n++] =
		    *p == ',' && c->type != CAB_CELL_NUMBER ? '.' : (char)*p;
	}
	b[n] = '\0';
	if (commas && points)
		return "has both a decimal point and a comma (expected one "
		       "decimal separator, e.g. 12,5 or 12.5)";
	if (commas + points > 1)
		return "is not a number (expected one decimal separator, "
		       "e.g. 12,5)";
	if (!cab_decimal_parse(b, n, v) || !(*v - *v == 0))
		return "is not a number (expected a decimal like 0,125)";
	return NULL;
}

/* ---- dates ---- */

#define EXPECT_WHEN "expected a date and time like 27/10/2024 02:15"

/* n digits at s[*i] (exactly n when is_exact, else 1..n). */
static bool digits_at(const char *s, size_t *i, int n, bool is_exact, int *out)
{
	int v = 0, k = 0;
	while (k < n && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	*out = v;
	return is_exact ? k == n : k >= 1;
}

/* " HH:MM[:SS]" or "THH:MM[:SS]" at s[*i], if any. */
static bool time_at(const char *s, size_t *i, struct cab_optable_when *w)
{
	if (s[*i] != ' ' && s[*i] != 'T')
		return true;
	while (s[*i] == ' ')
		(*i)++;
	if (s[*i] == 'T')
		(*i)++;
	if (!s[*i])
		return true;
	if (!digits_at(s, i, 2, false, &w->hour) || s[*i] != ':' ||
	    (++*i, !digits_at(s, i, 2, true, &w->minute)))
		return false;
	if (s[*i] == ':' && (++*i, !digits_at(s, i, 2, true, &w->second)))
		return false;
	if (s[*i] == '.') /* fractions of a second: dropped if zero */
		while (s[++*i] == '0')
			;
	w->has_time = true;
	return w->hour < 24 && w->minute < 60 && w->second < 60;
}

static const char *when_text(const char *s, struct cab_optable_when *w)
{
	size_t i = 0;
	int a, b, c;
	if (!digits_at(s, &i, 4, false, &a))
		return "is not a date (" EXPECT_WHEN ")";
	if (i == 4 && s[i] == '-') { /* yyyy-mm[-dd…] */
		i++;
		w->year = a;
		if (!digits_at(s, &i, 2, false, &w->month))
			return "is not a date (" EXPECT_WHEN ")";
		if (s[i] == '-' && (i++, !digits_at(s, &i, 2, false, &w->day)))
			return "is not a date (" EXPECT_WHEN ")";
	} else if (i <= 2 && (s[i] == '/' || s[i] == '-' || s[i] == '.')) {
		char sep = s[i++];
		if (!digits_at(s, &i, 4, false, &b))
			return "is not a date (" EXPECT_WHEN ")";
		if (s[i] != sep && b >= 1000) { /* mm/yyyy */
			w->month = a;
			w->year = b;
		} else {
			if (s[i++] != sep || !digits_at(s, &i, 4, true, &c))
				return "is not a date (" EXPECT_WHEN ")";
			w->day = a;
			w->month = b;
			w->year = c;
		}
	} else {
		return "is not a date (" EXPECT_WHEN ")";
	}
	if (w->day && !time_at(s, &i, w))
		return "has no valid time of day (" EXPECT_WHEN ")";
	if (s[i] == 'Z' || s[i] == '+' || (s[i] == '-' && w->has_time)) {
		const char *what = NULL;
		if (cab_time_parse_iso(s, strlen(s), &w->utc_s, &what) !=
		    CAB_OK)
			return "has a malformed UTC offset (expected Z or "
			       "+01:00)";
		w->has_zone = true;
		return NULL;
	}
	return s[i] ? "is not a date (" EXPECT_WHEN ")" : NULL;
}

const char *cab_optable_when(const struct cab_cell *c, bool is_1904,
			     struct cab_optable_when *w)
{
	memset(w, 0, sizeof *w);
	if (!c->text || !*c->text)
		return "is empty (" EXPECT_WHEN ")";
	const char *what = NULL;
	if (c->type == CAB_CELL_NUMBER) {
		double serial;
		struct cab_civil cv;
		if (!c->is_date ||
		    !cab_decimal_parse(c->text, strlen(c->text), &serial) ||
		    cab_sheet_serial_to_civil(serial, is_1904, &cv) != CAB_OK)
			return "is a number, not a date (" EXPECT_WHEN ")";
		*w = (struct cab_optable_when){.year = cv.year,
					       .month = cv.month,
					       .day = cv.day,
					       .hour = cv.hour,
					       .minute = cv.minute,
					       .second = cv.second,
					       /* its fraction is the time;
						* none is midnight */
					       .has_time = true};
	} else if ((what = when_text(c->text, w)) != NULL) {
		return what;
	}
	if (w->month < 1 || w->month > 12 ||
	    (w->day && w->day > cab_time_days_in_month(w->year, w->month)))
		return "does not exist (expected a calendar date)";
	if (w->year < 2000 || w->year > 2099)
		return "is not between 2000 and 2099 (expected a date of the "
		       "operator's data)";
	return NULL;
}

/* ---- the CSV reader ---- */

struct csv {
	const char *name; /* for messages */
	const char *buf;  /* text */
	size_t len, pos;  /* bytes, and where the reader is */
	long line;	  /* line of pos, 1 = first */
	char sep;	  /* separator */
	struct cab_sheet *s;
	size_t cap_rows;
	char *field; /* current field's bytes */
	size_t n_field, cap_field;
	struct cab_cell *cells; /* current record's cells */
	size_t n_cells, cap_cells;
	bool is_open; /* the bad input was a quote never closed */
};

/* The separator: of ';', tab and ',', the one a line of the first ten
 * holds most of, outside quotes (the header, even under a title line;
 * ties: ';' then tab then ','). */
static char choose_sep(const char *b, size_t len)
{
	size_t best_count[3] = {0, 0, 0}, count[3] = {0, 0, 0};
	bool in_q = false;
	int lines = 0;
	for (size_t i = 0; i <= len && lines < 10; i++) {
		char c = i < len ? b[i] : '\n';
		if (c == '"')
			in_q = !in_q;
		if (in_q)
			continue;
		int k = c == ';' ? 0 : c == '\t' ? 1 : c == ',' ? 2 : -1;
		if (k >= 0)
			count[k]++;
		if (c != '\n')
			continue;
		for (int j = 0; j < 3; j++) {
			if (count[j] > best_count[j])
				best_count[j] = count[j];
			count[j] = 0;
		}
		lines++;
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (best_count[k] > best_count[best])
			best = k;
	return ";\t,"[best];
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *t = realloc(*p, c * size);
	if (!t)
		return false;
	*p = t;
	*cap = c;
	return true;
}

static bool put_byte(struct csv *r, char c)
{
	if (!grow((void **)&r->field, &r->cap_field, r->n_field + 2, 1))
		return false;
	r->field[r->n_field++] = c;
	return true;
}

/* The current field, trimmed, as the record's next cell. */
static bool end_field(struct csv *r)
{
	size_t a = 0, b = r->n_field;
	while (a < b && (r->field[a] == ' ' || r->field[a] == '\t'))
		a++;
	while (b > a && (r->field[b - 1] == ' ' || r->field[b - 1] == '\t'))
		b--;
	if (!grow((void **)&r->cells, &r->cap_cells, r->n_cells + 1,
		  sizeof *r->cells) ||
	    r->n_cells >= CAB_SHEET_MAX_COLS)
		return false;
	struct cab_cell *c = &r->cells[r->n_cells++];
	*c = (struct cab_cell){.type = CAB_CELL_EMPTY};
	r->n_field = 0;
	if (b == a)
		return true;
	if (!(c->text = malloc(b - a + 1)))
		return false;
	memcpy(c->text, r->field + a, b - a);
	c->text[b - a] = '\0';
	c->type = CAB_CELL_STRING;
	return true;
}

/* The record's cells as a row numbered `number`, unless all are empty. */
static bool end_record(struct csv *r, long number)
{
	size_t last = r->n_cells;
	while (last > 0 && r->cells[last - 1].type == CAB_CELL_EMPTY)
		last--;
	if (last == 0) {
		r->n_cells = 0;
		return true;
	}
	struct cab_sheet *s = r->s;
	if (!grow((void **)&s->row, &r->cap_rows, s->n_rows + 1,
		  sizeof *s->row))
		return false;
	struct cab_cell *cells = malloc(last * sizeof *cells);
	if (!cells)
		return false;
	memcpy(cells, r->cells, last * sizeof *cells);
	s->row[s->n_rows++] = (struct cab_sheet_row){
	    .number = (unsigned long)number, .n_cells = last, .cell = cells};
	r->n_cells = 0;
	return true;
}

/* One record from r->pos. Returns CAB_OK, CAB_EINPUT or CAB_ENOMEM. */
static enum cab_status read_record(struct csv *r)
{
	long start = r->line;
	for (;;) {
		bool is_quoted = false;
		while (r->pos < r->len && r->buf[r->pos] == ' ')
			r->pos++;
		if (r->pos < r->len && r->buf[r->pos] == '"') {
			is_quoted = true;
			r->pos++;
			for (;;) {
				if (r->pos >= r->len)
					return r->is_open = true, CAB_EINPUT;
				char c = r->buf[r->pos++];
				if (c == '"' && r->pos < r->len &&
				    r->buf[r->pos] == '"') {
					r->pos++;
				} else if (c == '"') {
					break;
				} else if (c == '\n') {
					r->line++;
				}
				if (!put_byte(r, c))
					return CAB_ENOMEM;
			}
			while (r->pos < r->len && r->buf[r->pos] == ' ')
				r->pos++;
		}
		while (r->pos < r->len && r->buf[r->pos] != r->sep &&
		       r->buf[r->pos] != '\n') {
			char c = r->buf[r->pos++];
			if (is_quoted && c != '\r')
				return CAB_EINPUT; /* text after the quote */
			if (c == '\r' &&
			    (r->pos == r->len || r->buf[r->pos] == '\n'))
				continue;
			if (!put_byte(r, c))
				return CAB_ENOMEM;
		}
		if (!end_field(r))
			return CAB_ENOMEM;
		if (r->pos < r->len && r->buf[r->pos] == r->sep) {
			r->pos++;
			continue;
		}
		if (r->pos < r->len) { /* '\n' */
			r->pos++;
			r->line++;
		}
		return end_record(r, start) ? CAB_OK : CAB_ENOMEM;
	}
}

static enum cab_status read_csv(const char *name, const char *buf, size_t len,
				struct cab_sheet **out, struct cab_err *err)
{
	struct csv r = {.name = name, .buf = buf, .len = len, .line = 1};
	enum cab_status st = CAB_ENOMEM;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		r.pos = 3;
	r.sep = choose_sep(buf + r.pos, len - r.pos);
	r.s = calloc(1, sizeof *r.s);
	if (!r.s || !(r.s->name = strdup("csv")))
		goto done;
	while (r.pos < r.len) {
		long at = r.line;
		st = read_record(&r);
		if (st == CAB_EINPUT) {
			cab_err_at_line(err, CAB_EINPUT, name, at,
					r.is_open
					    ? "a quoted field is never "
					      "closed (expected a "
					      "closing quote \")"
					    : "text after a closing quote "
					      "(expected the separator "
					      "'%c' or the end of the "
					      "line)",
					r.sep == '\t' ? 't' : r.sep);
			goto done;
		}
		if (st != CAB_OK)
			goto done;
		if (r.s->n_rows >= CAB_SHEET_MAX_ROWS) {
			st = cab_err_at_line(err, CAB_EINPUT, name, at,
					     "more than %u rows (expected a "
					     "spreadsheet's table)",
					     CAB_SHEET_MAX_ROWS);
			goto done;
		}
	}
	st = CAB_OK;
	*out = r.s;
	r.s = NULL;
done:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "%s: out of memory", name);
	for (size_t k = 0; k < r.n_cells; k++)
		free(r.cells[k].text);
	free(r.cells);
	free(r.field);
	cab_sheet_free(r.s);
	return st;
}

enum cab_status cab_optable_read(const char *name, const char *buf, size_t len,
				 struct cab_sheet **out, struct cab_err *err)
{
	*out = NULL;
	if (len >= 4 && !memcmp(buf, "PK\3\4", 4))
		return cab_sheet_read_mem(buf, len, name, NULL, out, err);
	return read_csv(name, buf, len, out, err);
}
