/*
 * sheet_xml.c — the SpreadsheetML parts of an xlsx, parsed with expat
 * (engine/ingest/sheet_xml.h): sheet names and the date system, the
 * relationship naming the sheet's part, shared strings (rich text runs
 * joined, phonetic runs left out), which cell formats show dates, and the
 * sheet's rows and cells with their spreadsheet row numbers.
 *
 * Why here and not in sheet.c: the zip container and the XML are two
 * jobs; this file never sees libzip. Element names are compared without
 * their namespace prefix (expat's namespace mode), since generators
 * differ in prefixes.
 *
 * Workload: one pass over each part; memory is the cells kept.
 */
#include "engine/ingest/sheet_xml.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool text_add(struct cab_sheet_text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *g = realloc(t->s, cap);
		if (!g)
			return false;
		t->s = g;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = 0;
	return true;
}

static char *text_take(struct cab_sheet_text *t)
{
	char *s = t->s ? t->s : strdup("");
	t->s = NULL;
	t->len = t->cap = 0;
	return s;
}

/* The local part of an expat namespace-qualified name "uri|local". */
static const char *local(const char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* State shared by every part's parser. */
static void fail_oom(struct cab_sheet_reader *r)
{
	if (r->st == CAB_OK)
		r->st = CAB_ENOMEM;
	XML_StopParser(r->xp, XML_FALSE);
}

static void fail_input(struct cab_sheet_reader *r, const char *what)
{
	if (r->st == CAB_OK)
		r->st = cab_err_add(
		    r->err, CAB_EINPUT, "%s: %s:%lu: %s", r->file, r->part,
		    (unsigned long)XML_GetCurrentLineNumber(r->xp), what);
	XML_StopParser(r->xp, XML_FALSE);
}

static bool push_str(char ***arr, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		char **g = realloc(*arr, c * sizeof(*g));
		if (!g)
			return false;
		*arr = g;
		*cap = c;
	}
	(*arr)[(*n)++] = s;
	return true;
}

/* Inflate part `name`; *data = NULL when the archive has no such part. */
static enum cab_status parse_part(struct cab_sheet_reader *r, const char *part,
				  const char *data, size_t len,
				  XML_StartElementHandler start,
				  XML_EndElementHandler end,
				  XML_CharacterDataHandler chars)
{
	r->part = part;
	r->xp = XML_ParserCreateNS(NULL, '|');
	if (!r->xp)
		return CAB_ENOMEM;
	XML_SetUserData(r->xp, r);
	XML_SetElementHandler(r->xp, start, end);
	if (chars)
		XML_SetCharacterDataHandler(r->xp, chars);
	enum XML_Status xs = XML_STATUS_OK;
	/* expat takes an int length: feed large parts in pieces. */
	size_t off = 0;
	do {
		size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
		xs = XML_Parse(r->xp, data + off, (int)n, off + n == len);
		off += n;
	} while (xs == XML_STATUS_OK && off < len);
	if (xs != XML_STATUS_OK && r->st == CAB_OK)
		r->st =
		    cab_err_add(r->err, CAB_EINPUT,
				"%s: %s:%lu: malformed XML (%s)", r->file, part,
				(unsigned long)XML_GetCurrentLineNumber(r->xp),
				XML_ErrorString(XML_GetErrorCode(r->xp)));
	XML_ParserFree(r->xp);
	r->xp = NULL;
	return r->st;
}

/* --- workbook.xml and its relationships --------------------------- */

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
	struct cab_sheet_reader *r = ud;
	const char *el = local(name);
	if (strcmp(el, "sheet") == 0) {
		const char *nm = attr(atts, "name"), *id = attr(atts, "id");
		if (!nm || !id) {
			fail_input(r, "a sheet without name or id");
			return;
		}
		if (r->n_sheets == r->cap_sheets) {
			size_t c = r->cap_sheets ? r->cap_sheets * 2 : 4;
			char **a = realloc(r->sheet_names, c * sizeof(*a));
			if (a)
				r->sheet_names = a;
			char **b =
			    a ? realloc(r->sheet_rids, c * sizeof(*b)) : NULL;
			if (!b) {
				fail_oom(r);
				return;
			}
			r->sheet_rids = b;
			r->cap_sheets = c;
		}
		char *a = strdup(nm), *b = strdup(id);
		if (!a || !b) {
			free(a);
			free(b);
			fail_oom(r);
			return;
		}
		r->sheet_names[r->n_sheets] = a;
		r->sheet_rids[r->n_sheets++] = b;
	} else if (strcmp(el, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		r->is_1904 =
		    d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	}
}

static void XMLCALL no_end(void *ud, const char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL rels_start(void *ud, const char *name, const char **atts)
{
	struct cab_sheet_reader *r = ud;
	if (strcmp(local(name), "Relationship") != 0 || r->target)
		return;
	const char *id = attr(atts, "Id"), *tg = attr(atts, "Target");
	if (id && tg && strcmp(id, r->want_rid) == 0) {
		r->target = strdup(tg);
		if (!r->target)
			fail_oom(r);
	}
}

/* --- sharedStrings.xml --------------------------------------------- */

static void XMLCALL sst_start(void *ud, const char *name, const char **atts)
{
	struct cab_sheet_reader *r = ud;
	const char *el = local(name);
	(void)atts;
	if (strcmp(el, "si") == 0) {
		r->in_si = true;
		r->buf.len = 0;
		if (r->buf.s)
			r->buf.s[0] = 0;
	} else if (strcmp(el, "rPh") == 0)
		r->in_rph = true; /* phonetic guide: not part of the text */
	else if (strcmp(el, "t") == 0 && r->in_si && !r->in_rph)
		r->in_t = true;
}

static void XMLCALL sst_end(void *ud, const char *name)
{
	struct cab_sheet_reader *r = ud;
	const char *el = local(name);
	if (strcmp(el, "t") == 0)
		r->in_t = false;
	else if (strcmp(el, "rPh") == 0)
		r->in_rph = false;
	else if (strcmp(el, "si") == 0 && r->in_si) {
		r->in_si = false;
		char *s = text_take(&r->buf);
		if (!s || !push_str(&r->sst, &r->n_sst, &r->cap_sst, s)) {
			free(s);
			fail_oom(r);
		}
	}
}

static void XMLCALL sst_chars(void *ud, const char *s, int len)
{
	struct cab_sheet_reader *r = ud;
	if (r->in_t && !text_add(&r->buf, s, (size_t)len))
		fail_oom(r);
}

/* --- styles.xml: which cell formats show dates ---------------------- */

/* Built-in number formats that are dates or times (ECMA-376 18.8.30). */
static bool is_builtin_date(unsigned id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	       (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* A custom format code shows a date or time when, outside quoted text,
 * escaped characters and [..] sections (colours, locales), it holds one
 * of the date/time letters d m y h s. */
static bool is_date_code(const char *code)
{
	for (const char *p = code; *p; p++) {
		switch (*p) {
		case '"':
			p = strchr(p + 1, '"');
			if (!p)
				return false;
			break;
		case '\\':
		case '_':
		case '*':
			if (!p[1])
				return false;
			p++;
			break;
		case '[':
			/* [h], [m], [s]: elapsed time */
			if (strchr("hHmMsS", p[1]) && p[2] == ']')
				return true;
			p = strchr(p, ']');
			if (!p)
				return false;
			break;
		case 'd':
		case 'D':
		case 'm':
		case 'M':
		case 'y':
		case 'Y':
		case 'h':
		case 'H':
		case 's':
		case 'S':
			return true;
		default:
			break;
		}
	}
	return false;
}

static void XMLCALL styles_start(void *ud, const char *name, const char **atts)
{
	struct cab_sheet_reader *r = ud;
	const char *el = local(name);
	if (strcmp(el, "numFmt") == 0) {
		const char *id = attr(atts, "numFmtId"),
			   *code = attr(atts, "formatCode");
		if (!id || !code || !is_date_code(code))
			return;
		if (r->n_date_fmt == r->cap_date_fmt) {
			size_t c = r->cap_date_fmt ? r->cap_date_fmt * 2 : 8;
			unsigned *g = realloc(r->date_fmt, c * sizeof(*g));
			if (!g) {
				fail_oom(r);
				return;
			}
			r->date_fmt = g;
			r->cap_date_fmt = c;
		}
		r->date_fmt[r->n_date_fmt++] = (unsigned)strtoul(id, NULL, 10);
	} else if (strcmp(el, "cellXfs") == 0)
		r->in_cellxfs = true;
	else if (strcmp(el, "xf") == 0 && r->in_cellxfs) {
		const char *id = attr(atts, "numFmtId");
		unsigned f = id ? (unsigned)strtoul(id, NULL, 10) : 0;
		bool is_date = is_builtin_date(f);
		for (size_t i = 0; i < r->n_date_fmt && !is_date; i++)
			is_date = r->date_fmt[i] == f;
		if (r->n_xf == r->cap_xf) {
			size_t c = r->cap_xf ? r->cap_xf * 2 : 16;
			bool *g = realloc(r->xf_date, c * sizeof(*g));
			if (!g) {
				fail_oom(r);
				return;
			}
			r->xf_date = g;
			r->cap_xf = c;
		}
		r->xf_date[r->n_xf++] = is_date;
	}
}

static void XMLCALL styles_end(void *ud, const char *name)
{
	struct cab_sheet_reader *r = ud;
	if (strcmp(local(name), "cellXfs") == 0)
		r->in_cellxfs = false;
}

/* --- the sheet ------------------------------------------------------ */

/* "BC12" → column 54 (0-based), row 12. Returns false when malformed. */
static bool cell_ref(const char *ref, size_t *col, unsigned long *row)
{
	size_t c = 0;
	const char *p = ref;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
		c = c * 26 + (size_t)((*p | 0x20) - 'a' + 1);
		if (c > CAB_SHEET_MAX_COLS)
			return false;
		p++;
	}
	if (c == 0 || *p < '1' || *p > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long rw = strtoul(p, &end, 10);
	if (*end || errno || rw > CAB_SHEET_MAX_ROWS)
		return false;
	*col = c - 1;
	*row = rw;
	return true;
}

static struct cab_sheet_row *current_row(struct cab_sheet_reader *r)
{
	struct cab_sheet *sh = r->sh;
	if (sh->n_rows && sh->row[sh->n_rows - 1].number == r->row_no)
		return &sh->row[sh->n_rows - 1];
	if (sh->n_rows && sh->row[sh->n_rows - 1].number > r->row_no) {
		fail_input(r, "rows out of order");
		return NULL;
	}
	if (sh->n_rows == r->cap_rows) {
		size_t c = r->cap_rows ? r->cap_rows * 2 : 64;
		struct cab_sheet_row *g = realloc(sh->row, c * sizeof(*g));
		if (!g) {
			fail_oom(r);
			return NULL;
		}
		sh->row = g;
		r->cap_rows = c;
	}
	struct cab_sheet_row *row = &sh->row[sh->n_rows++];
	memset(row, 0, sizeof(*row));
	row->number = r->row_no;
	return row;
}

/* Store the finished cell's text (owned by the call) in the sheet. */
static void put_cell(struct cab_sheet_reader *r, enum cab_cell_type type,
		     char *s)
{
	struct cab_sheet_row *row = current_row(r);
	if (!row) {
		free(s);
		return;
	}
	size_t col = r->cell_col;
	if (col < row->n_cells && row->cell[col].text) {
		free(s);
		fail_input(r, "a cell written twice");
		return;
	}
	if (col >= row->n_cells) {
		/* Cells come left to right: grow to the next power of two. */
		size_t cap = 1;
		while (cap < col + 1)
			cap *= 2;
		struct cab_cell *g = realloc(row->cell, cap * sizeof(*g));
		if (!g) {
			free(s);
			fail_oom(r);
			return;
		}
		memset(g + row->n_cells, 0,
		       (col + 1 - row->n_cells) * sizeof(*g));
		row->cell = g;
		row->n_cells = col + 1;
	}
	struct cab_cell *c = &row->cell[col];
	c->type = type;
	c->text = s;
	c->is_date = type == CAB_CELL_NUMBER && r->cell_s >= 0 &&
		     (size_t)r->cell_s < r->n_xf && r->xf_date[r->cell_s];
}

static void XMLCALL sheet_start(void *ud, const char *name, const char **atts)
{
	struct cab_sheet_reader *r = ud;
	const char *el = local(name);
	if (strcmp(el, "row") == 0) {
		const char *rn = attr(atts, "r");
		unsigned long no = r->row_no + 1;
		if (rn) {
			char *end;
			errno = 0;
			no = strtoul(rn, &end, 10);
			if (*end || errno || no == 0) {
				fail_input(r, "a row number that is not one");
				return;
			}
		}
		if (no <= r->row_no || no > CAB_SHEET_MAX_ROWS) {
			fail_input(r, "rows out of order");
			return;
		}
		r->row_no = no;
		r->col = 0;
	} else if (strcmp(el, "c") == 0) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"),
			   *s = attr(atts, "s");
		if (r->row_no == 0) {
			fail_input(r, "a cell outside a row");
			return;
		}
		r->cell_col = r->col;
		if (ref) {
			unsigned long rw;
			if (!cell_ref(ref, &r->cell_col, &rw) ||
			    rw != r->row_no) {
				fail_input(r, "a cell reference that does not "
					      "match its row");
				return;
			}
		}
		if (r->cell_col >= CAB_SHEET_MAX_COLS) {
			fail_input(r, "a column beyond XFD");
			return;
		}
		r->col = r->cell_col + 1;
		snprintf(r->cell_t, sizeof(r->cell_t), "%s", t ? t : "n");
		r->cell_s = s ? strtol(s, NULL, 10) : -1;
		r->in_c = true;
		r->buf.len = 0;
		if (r->buf.s)
			r->buf.s[0] = 0;
	} else if (r->in_c && strcmp(el, "v") == 0)
		r->in_v = true;
	else if (r->in_c && strcmp(el, "is") == 0)
		r->in_is = true;
	else if (r->in_is && strcmp(el, "rPh") == 0)
		r->in_rph = true;
	else if (r->in_is && strcmp(el, "t") == 0 && !r->in_rph)
		r->in_t = true;
}

static void finish_cell(struct cab_sheet_reader *r)
{
	const char *t = r->cell_t;
	if (!r->buf.s || (!r->buf.len && strcmp(t, "inlineStr") != 0 &&
			  strcmp(t, "str") != 0))
		return; /* a formatted but empty cell */
	if (strcmp(t, "s") == 0) {
		char *end;
		errno = 0;
		unsigned long k = strtoul(r->buf.s, &end, 10);
		if (*end || errno || k >= r->n_sst) {
			fail_input(r, "a shared string that does not exist");
			return;
		}
		char *s = strdup(r->sst[k]);
		if (!s) {
			fail_oom(r);
			return;
		}
		put_cell(r, CAB_CELL_STRING, s);
		return;
	}
	enum cab_cell_type type = CAB_CELL_NUMBER;
	if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0)
		type = CAB_CELL_STRING;
	else if (strcmp(t, "b") == 0)
		type = CAB_CELL_BOOL;
	else if (strcmp(t, "e") == 0)
		type = CAB_CELL_ERROR;
	else if (strcmp(t, "n") != 0 && strcmp(t, "d") != 0) {
		fail_input(r, "a cell of unknown type");
		return;
	}
	if (type == CAB_CELL_STRING && !r->buf.len)
		return;
	put_cell(r, type, text_take(&r->buf));
}

static void XMLCALL sheet_end(void *ud, const char *name)
{
	struct cab_sheet_reader *r = ud;
	const char *el = local(name);
	if (strcmp(el, "v") == 0)
		r->in_v = false;
	else if (strcmp(el, "t") == 0)
		r->in_t = false;
	else if (strcmp(el, "rPh") == 0)
		r->in_rph = false;
	else if (strcmp(el, "is") == 0)
		r->in_is = false;
	else if (strcmp(el, "c") == 0 && r->in_c) {
		r->in_c = false;
		finish_cell(r);
	}
}

static void XMLCALL sheet_chars(void *ud, const char *s, int len)
{
	struct cab_sheet_reader *r = ud;
	if ((r->in_v || r->in_t) && !text_add(&r->buf, s, (size_t)len))
		fail_oom(r);
}

void cab_sheet_reader_release(struct cab_sheet_reader *r)
{
	for (size_t i = 0; i < r->n_sheets; i++) {
		free(r->sheet_names[i]);
		free(r->sheet_rids[i]);
	}
	free(r->sheet_names);
	free(r->sheet_rids);
	free(r->target);
	for (size_t i = 0; i < r->n_sst; i++)
		free(r->sst[i]);
	free(r->sst);
	free(r->buf.s);
	free(r->xf_date);
	free(r->date_fmt);
}

/* The part a relationship target names: relative to xl/, or absolute. */
enum cab_status cab_sheet_xml_parse(struct cab_sheet_reader *r,
				    enum cab_sheet_part kind, const char *name,
				    const char *data, size_t len)
{
	switch (kind) {
	case CAB_SHEET_PART_WORKBOOK:
		return parse_part(r, name, data, len, wb_start, no_end, NULL);
	case CAB_SHEET_PART_RELS:
		return parse_part(r, name, data, len, rels_start, no_end, NULL);
	case CAB_SHEET_PART_SST:
		return parse_part(r, name, data, len, sst_start, sst_end,
				  sst_chars);
	case CAB_SHEET_PART_STYLES:
		return parse_part(r, name, data, len, styles_start, styles_end,
				  NULL);
	case CAB_SHEET_PART_SHEET:
		return parse_part(r, name, data, len, sheet_start, sheet_end,
				  sheet_chars);
	}
	return CAB_EINTERNAL;
}
