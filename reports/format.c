/*
 * format.c — number, name and CSV text formatting shared by every writer.
 *
 * Why by hand: outputs must be byte-identical everywhere and fast
 * (allocation.csv of a large community has 35 M rows); printf's "%.6f"
 * is locale-free in the C locale but slow, so kWh are scaled to integer
 * micro-kWh and printed as integers.
 *
 * Why one CSV text writer: an id or a name such as =HYPERLINK("…") runs
 * as a formula when a spreadsheet opens the CSV (OWASP's "CSV
 * injection"). Every text field of every CSV goes through
 * cab_report_csv_text(), which neutralises it the way SPEC §11 says;
 * numbers are written as they are.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cabine/report.h"

void cab_report_fmt_kwh(double kwh, char *buf, size_t size)
{
	if (isnan(kwh)) {
		if (size)
			buf[0] = 0;
		return;
	}
	double v = kwh * 1e6;
	int64_t u = (int64_t)(v < 0 ? -floor(-v + 0.5) : floor(v + 0.5));
	const char *sign = u < 0 ? "-" : "";
	uint64_t a = (uint64_t)(u < 0 ? -u : u);
	snprintf(buf, size, "%s%" PRIu64 ".%06" PRIu64, sign, a / 1000000,
		 a % 1000000);
}

void cab_report_fmt_cents(int64_t cents, char *buf, size_t size)
{
	const char *sign = cents < 0 ? "-" : "";
	uint64_t a = (uint64_t)(cents < 0 ? -cents : cents);
	snprintf(buf, size, "%s%" PRIu64 ".%02" PRIu64, sign, a / 100, a % 100);
}

/* Is name (letters, digits, '_' and '-' only) a device name of Windows,
 * which no file may be called there, whatever its extension: CON, PRN,
 * AUX, NUL, COM0–COM9, LPT0–LPT9, any case? */
static bool is_windows_reserved(const char *name)
{
	static const char *const devices[] = {"CON", "PRN", "AUX", "NUL"};
	char up[5] = "";
	size_t n = strlen(name);
	if (n != 3 && n != 4)
		return false;
	for (size_t k = 0; k < n; k++)
		up[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32
								: name[k]);
	up[n] = 0;
	for (size_t k = 0; n == 3 && k < 4; k++)
		if (strcmp(up, devices[k]) == 0)
			return true;
	return n == 4 && (!memcmp(up, "COM", 3) || !memcmp(up, "LPT", 3)) &&
	       up[3] >= '0' && up[3] <= '9';
}

void cab_report_safe_name(const char *id, char *buf, size_t size)
{
	if (size == 0)
		return;
	size_t n = 0;
	bool is_changed = false;
	/* Keep room for "-" + 8 hex digits + NUL. */
	size_t room = size > 10 ? size - 10 : 0;
	uint32_t h = 2166136261u; /* FNV-1a: stable, no dependency */
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h = (h ^ *p) * 16777619u;
		char c = (char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';
		if (!ok) {
			c = '_';
			is_changed = true;
		}
		if (n < room)
			buf[n++] = c;
		else
			is_changed = true;
	}
	if (n == 0) {
		is_changed = true;
		if (room)
			buf[n++] = '_';
	}
	buf[n] = 0;
	if (is_windows_reserved(buf))
		is_changed = true;
	if (is_changed && size > n + 9)
		snprintf(buf + n, size - n, "-%08x", (unsigned)h);
}

void cab_report_csv_text(FILE *f, const char *s)
{
	/* OWASP: a cell that begins with one of these is taken for a
	 * formula (or, for tab and CR, hides one after them). */
	bool is_formula = s[0] && strchr("=+-@\t\r", s[0]);
	if (!is_formula && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	bool is_quoted = strpbrk(s, ",\"\r\n") != NULL;
	if (is_quoted)
		fputc('"', f);
	if (is_formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (is_quoted)
		fputc('"', f);
}
