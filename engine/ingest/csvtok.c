/*
 * csvtok.c — a CSV record split into fields with RFC 4180 quoting (see
 * csvtok.h).
 *
 * Workload: the readings parser calls it only for lines its fast path
 * does not take (other dialects, quoted cells), the participants table
 * for each of its tens of rows; one pass over the bytes, no allocation
 * once the record's arrays have grown to the widest line.
 */
#include "engine/ingest/csvtok.h"

#include <stdlib.h>
#include <string.h>

static const char WHAT_OPEN[] =
    "a quoted cell is not closed (expected a \" before the end of the line)";
static const char WHAT_AFTER[] =
    "text after the closing quote of a cell (expected the separator or the "
    "end of the line; write a quote inside a quoted cell as \"\")";
static const char WHAT_NOMEM[] = "out of memory";

static bool grow_fields(struct cab_csv_record *rec)
{
	if (rec->n < rec->cap)
		return true;
	size_t cap = rec->cap ? 2 * rec->cap : 8;
	struct cab_csv_field *f = realloc(rec->f, cap * sizeof(*f));
	if (!f)
		return false;
	rec->f = f;
	rec->cap = cap;
	return true;
}

bool cab_csv_split(const char *s, size_t len, char sep, bool is_multiline,
		   struct cab_csv_record *rec, size_t *used, const char **what)
{
	rec->n = 0;
	rec->newlines = 0;
	/* Quoted text never grows when unescaped: len bytes are enough. */
	if (rec->buf_cap < len + 1) {
		char *b = realloc(rec->buf, len + 1);
		if (!b) {
			*what = WHAT_NOMEM;
			return false;
		}
		rec->buf = b;
		rec->buf_cap = len + 1;
	}
	size_t i = 0, out = 0;
	for (;;) {
		if (!grow_fields(rec)) {
			*what = WHAT_NOMEM;
			return false;
		}
		struct cab_csv_field *f = &rec->f[rec->n++];
		f->is_quoted = i < len && s[i] == '"';
		if (f->is_quoted) {
			size_t start = out;
			i++;
			for (;;) {
				if (i >= len) {
					*what = WHAT_OPEN;
					return false;
				}
				char c = s[i];
				if (c == '"' && i + 1 < len &&
				    s[i + 1] == '"') {
					rec->buf[out++] = '"';
					i += 2;
				} else if (c == '"') {
					i++;
					break;
				} else if (c == '\n' && !is_multiline) {
					*what = WHAT_OPEN;
					return false;
				} else {
					rec->newlines += c == '\n';
					rec->buf[out++] = c;
					i++;
				}
			}
			/* buf is not reallocated during the split. */
			f->s = rec->buf + start;
			f->len = out - start;
			bool is_end = i >= len || s[i] == '\n' ||
				      (s[i] == '\r' &&
				       (i + 1 >= len || s[i + 1] == '\n'));
			if (!is_end && s[i] != sep) {
				*what = WHAT_AFTER;
				return false;
			}
		} else {
			size_t start = i;
			while (i < len && s[i] != sep && s[i] != '\n')
				i++;
			size_t end = i;
			if (end > start && s[end - 1] == '\r' &&
			    (end >= len || s[end] == '\n'))
				end--;
			f->s = s + start;
			f->len = end - start;
		}
		if (i < len && s[i] == sep) {
			i++;
			continue;
		}
		if (i < len && s[i] == '\r')
			i++;
		if (i < len && s[i] == '\n')
			i++;
		break;
	}
	if (used)
		*used = i;
	return true;
}

char cab_csv_guess_sep(const char *s, size_t len)
{
	size_t commas = 0, semis = 0;
	bool in_quotes = false;
	for (size_t i = 0; i < len && (in_quotes || s[i] != '\n'); i++) {
		if (s[i] == '"')
			in_quotes = !in_quotes;
		else if (!in_quotes)
			commas += s[i] == ',', semis += s[i] == ';';
	}
	return semis > commas ? ';' : ',';
}

void cab_csv_record_release(struct cab_csv_record *rec)
{
	if (!rec)
		return;
	free(rec->f);
	free(rec->buf);
	memset(rec, 0, sizeof(*rec));
}
