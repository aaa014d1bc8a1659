/*
 * table.c — a CSV or .xlsx table read into rows of text cells
 * (engine/scenario/table.h).
 *
 * Why: the appliance inventory is a spreadsheet that households fill in;
 * whatever LibreOffice or Excel saved (`,` or `;`, quoted cells with
 * separators or line breaks inside, a BOM, CRLF) reads the same. The
 * separator is the header line's: `;` when it holds a `;` outside quotes
 * and no `,`, else `,`. Cells keep their text; unquoted cells lose the
 * spaces around them. Rows without any value are left out, as the xlsx
 * reader leaves them out, and every row keeps the line it starts on.
 *
 * Workload: small tables, parsed in one pass over a buffer in memory.
 */
#include "engine/scenario/table.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/base/slurp.h"

/* A table being built. */
struct builder {
	struct cab_sheet *s;
	size_t cap_rows;
	struct cab_cell *cells; /* the row being read */
	size_t n_cells, cap_cells;
	char *text; /* the cell being read */
	size_t len, cap;
	bool has_value; /* the row has a non-empty cell */
};

static bool push_char(struct builder *b, char c)
{
	if (b->len + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		char *t = realloc(b->text, cap);
		if (!t)
			return false;
		b->text = t;
		b->cap = cap;
	}
	b->text[b->len++] = c;
	return true;
}

/* End the cell being read; unquoted cells are trimmed of spaces. */
static bool end_cell(struct builder *b, bool is_quoted)
{
	size_t a = 0, z = b->len;
	if (!is_quoted) {
		while (a < z && (b->text[a] == ' ' || b->text[a] == '\t'))
			a++;
		while (z > a &&
		       (b->text[z - 1] == ' ' || b->text[z - 1] == '\t'))
			z--;
	}
	if (b->n_cells == b->cap_cells) {
		size_t cap = b->cap_cells ? 2 * b->cap_cells : 16;
		struct cab_cell *c = realloc(b->cells, cap * sizeof(*c));
		if (!c)
			return false;
		b->cells = c;
		b->cap_cells = cap;
	}
	struct cab_cell *c = &b->cells[b->n_cells++];
	*c = (struct cab_cell){.type = CAB_CELL_EMPTY};
	if (z > a) {
		c->text = malloc(z - a + 1);
		if (!c->text)
			return false;
		memcpy(c->text, b->text + a, z - a);
		c->text[z - a] = 0;
		c->type = CAB_CELL_STRING;
		b->has_value = true;
	}
	b->len = 0;
	return true;
}

/* End the row that started on `line`: kept when it holds a value. */
static bool end_row(struct builder *b, unsigned long line)
{
	if (!b->has_value) {
		for (size_t i = 0; i < b->n_cells; i++)
			free(b->cells[i].text);
		b->n_cells = 0;
		return true;
	}
	struct cab_sheet *s = b->s;
	if (s->n_rows == b->cap_rows) {
		size_t cap = b->cap_rows ? 2 * b->cap_rows : 32;
		struct cab_sheet_row *r = realloc(s->row, cap * sizeof(*r));
		if (!r)
			return false;
		s->row = r;
		b->cap_rows = cap;
	}
	/* Trailing empty cells are not columns (as in the xlsx reader). */
	size_t n = b->n_cells;
	while (n > 0 && !b->cells[n - 1].text)
		n--;
	struct cab_sheet_row *r = &s->row[s->n_rows++];
	r->number = line;
	r->n_cells = n;
	r->cell = malloc((n ? n : 1) * sizeof(*r->cell));
	if (!r->cell) {
		r->n_cells = 0;
		return false;
	}
	memcpy(r->cell, b->cells, n * sizeof(*r->cell));
	b->n_cells = 0;
	b->has_value = false;
	return true;
}

/* Free everything b holds: the table and the row being read. */
static void drop(struct builder *b)
{
	for (size_t i = 0; i < b->n_cells; i++)
		free(b->cells[i].text);
	free(b->cells);
	free(b->text);
	cab_sheet_free(b->s);
}

/* The separator of the header line (the first line): ';' when it holds a
 * ';' outside quotes and no ','. */
static char separator(const char *p, const char *end)
{
	bool in_quotes = false, has_semi = false, has_comma = false;
	for (; p < end && (in_quotes || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			in_quotes = !in_quotes;
		else if (!in_quotes && *p == ';')
			has_semi = true;
		else if (!in_quotes && *p == ',')
			has_comma = true;
	}
	return has_semi && !has_comma ? ';' : ',';
}

enum cab_status cab_table_parse_csv(const char *name, const char *buf,
				    size_t len, struct cab_sheet **out,
				    struct cab_err *err)
{
	*out = NULL;
	struct builder b = {0};
	b.s = calloc(1, sizeof(*b.s));
	if (!b.s || !(b.s->name = strdup(name)))
		goto oom;
	const char *p = buf, *end = buf + len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	char sep = separator(p, end);
	unsigned long line = 1, row_line = 1;
	bool in_quotes = false, was_quoted = false;
	for (; p < end; p++) {
		char c = *p;
		if (in_quotes) {
			if (c == '"' && p + 1 < end && p[1] == '"') {
				if (!push_char(&b, '"'))
					goto oom;
				p++;
			} else if (c == '"') {
				in_quotes = false;
			} else {
				if (c == '\n')
					line++;
				if (!push_char(&b, c))
					goto oom;
			}
			continue;
		}
		if (c == '"' && b.len == 0 && !was_quoted) {
			in_quotes = was_quoted = true;
		} else if (c == sep) {
			if (!end_cell(&b, was_quoted))
				goto oom;
			was_quoted = false;
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			if (!end_cell(&b, was_quoted) || !end_row(&b, row_line))
				goto oom;
			was_quoted = false;
			row_line = ++line;
		} else if (c == '\0') {
			drop(&b);
			return cab_err_at_line(err, CAB_EINPUT, name,
					       (long)line,
					       _("a NUL byte (expected text: "
						 "is this a spreadsheet saved "
						 "as CSV?)"));
		} else if (was_quoted && c != ' ' && c != '\t') {
			drop(&b);
			return cab_err_at_line(
			    err, CAB_EINPUT, name, (long)line,
			    _("text after a closing quote (expected %c or the "
			      "end of the line)"),
			    sep);
		} else if (!was_quoted && !push_char(&b, c)) {
			goto oom;
		}
	}
	if (in_quotes) {
		drop(&b);
		return cab_err_at_line(err, CAB_EINPUT, name, (long)row_line,
				       _("a quote is never closed (expected a "
					 "closing \")"));
	}
	if ((b.len > 0 || b.n_cells > 0 || was_quoted) &&
	    (!end_cell(&b, was_quoted) || !end_row(&b, row_line)))
		goto oom;
	for (size_t i = 0; i < b.n_cells; i++)
		free(b.cells[i].text);
	free(b.cells), free(b.text);
	*out = b.s;
	return CAB_OK;
oom:
	drop(&b);
	return cab_err_add(err, CAB_ENOMEM, _("%s: out of memory"), name);
}

enum cab_status cab_table_read(const char *path, struct cab_sheet **out,
			       struct cab_err *err)
{
	*out = NULL;
	if (cab_sheet_is_xlsx(path))
		return cab_sheet_read(path, NULL, out, err);
	char *buf = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st != CAB_OK)
		return st;
	st = cab_table_parse_csv(path, buf, len, out, err);
	free(buf);
	return st;
}
