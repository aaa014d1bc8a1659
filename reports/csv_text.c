/*
 * csv_text.c — a text field of a CSV as the operator-file writers put it
 * (reconcile.csv, journal.csv): quoted when it holds a separator, a
 * quote or a line break, and with a leading apostrophe when it starts
 * like a spreadsheet formula (SPEC §11: `=`, `+`, `-`, `@`, tab, CR), so
 * that a participant id never runs as a formula once opened.
 *
 * Workload: one call per text field.
 */
#include <string.h>

#include "reports/io.h"

void cab_report_put_text(FILE *f, const char *s)
{
	bool is_quoted = strpbrk(s, ",\"\r\n") != NULL;
	if (is_quoted)
		fputc('"', f);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (is_quoted)
		fputc('"', f);
}
