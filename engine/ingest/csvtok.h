/*
 * csvtok.h — one record of a CSV file split into fields, with RFC 4180
 * quoting (internal to engine/; the readings dialects of dialect.c and
 * the participants table of engine/scenario/participants_table.c).
 *
 * Why: what LibreOffice and Excel write is `,` or `;` separated, and a
 * cell holding the separator, a quote or a line break is enclosed in
 * double quotes with inner quotes doubled ("Rue ""Haute"" 5"). One
 * splitter, so that every table cabine reads agrees on what a field is.
 *
 * Rules: a field that begins with `"` is quoted: it runs to the next lone
 * `"`, `""` inside stands for one quote, and only the separator or the end
 * of the record may follow the closing quote. A `"` inside an unquoted
 * field is an ordinary character. A record ends at a line feed outside
 * quotes (a CR before it is dropped); with is_multiline a quoted field
 * may hold line breaks, else the text given is one line.
 *
 * Ownership: struct cab_csv_record is embedded zeroed by the caller,
 * reused from record to record and released with
 * cab_csv_record_release(); field texts point into the input or into the
 * record's own buffer and live until the next split.
 */
#ifndef CABINE_CSVTOK_H
#define CABINE_CSVTOK_H

#include <stdbool.h>
#include <stddef.h>

/* One field of a record. */
struct cab_csv_field {
	const char *s;	/* its text, quotes removed (not NUL-terminated) */
	size_t len;	/* bytes in s */
	bool is_quoted; /* it was enclosed in double quotes */
};

struct cab_csv_record {
	struct cab_csv_field *f; /* n fields, in column order */
	size_t n;		 /* fields in the record (at least 1) */
	size_t cap;		 /* entries allocated in f */
	char *buf;		 /* unescaped text of quoted fields */
	size_t buf_cap;		 /* bytes allocated in buf */
	long newlines;		 /* line breaks inside quoted fields */
};

/* Split the record at s[0..len) with separator sep into rec. *used (may
 * be NULL) receives the bytes consumed, the record's final line feed
 * included. Returns false with *what set (a static text) on a quote left
 * open or text after a closing quote, or when out of memory (*what says
 * so). */
bool cab_csv_split(const char *s, size_t len, char sep, bool is_multiline,
		   struct cab_csv_record *rec, size_t *used, const char **what);

/* The separator a header line uses: ';' when it holds more semicolons
 * than commas outside quotes, else ','. */
char cab_csv_guess_sep(const char *s, size_t len);

void cab_csv_record_release(struct cab_csv_record *rec);

#endif
