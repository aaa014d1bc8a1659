/*
 * xlsx_read.h — reading a workbook back in tests: a member's XML through
 * `unzip -p`, a cell's stored number or text by reference ("J7"), two
 * files' bytes compared. Test-only; every returned buffer is malloc'd and
 * freed by the caller.
 */
#ifndef CABINE_TEST_XLSX_READ_H
#define CABINE_TEST_XLSX_READ_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whole output of a command, or NULL. */
static inline char *xr_slurp_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	pclose(p);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* One member of a zip (e.g. "xl/worksheets/sheet1.xml"), or NULL. */
static inline char *xr_member(const char *xlsx, const char *member)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", xlsx,
		 member);
	char *s = xr_slurp_cmd(cmd);
	if (s && !*s) {
		free(s);
		return NULL;
	}
	return s;
}

/* The cell element <c r="REF" …>…</c> in sheet XML, or NULL. */
static inline const char *xr_cell(const char *sheet, const char *ref)
{
	char key[32];
	snprintf(key, sizeof(key), "<c r=\"%s\"", ref);
	return sheet ? strstr(sheet, key) : NULL;
}

/* Is the cell element starting at c a shared-string cell? */
static inline bool xr_is_text(const char *c)
{
	const char *gt = strchr(c, '>'), *t = strstr(c, "t=\"s\"");
	return gt && t && t < gt;
}

/* The stored number of cell REF; false if absent or not a number. */
static inline bool xr_num(const char *sheet, const char *ref, double *v)
{
	const char *c = xr_cell(sheet, ref);
	if (!c)
		return false;
	const char *end = strstr(c, "</c>"), *gt = strchr(c, '>');
	if (!gt || gt[-1] == '/')
		return false; /* <c …/>: empty cell */
	if (!end || xr_is_text(c))
		return false;
	const char *vv = strstr(c, "<v>");
	if (!vv || vv > end)
		return false;
	*v = strtod(vv + 3, NULL);
	return true;
}

/* The text of cell REF (shared string), copied into buf; false if none. */
static inline bool xr_text(const char *sheet, const char *strs, const char *ref,
			   char *buf, size_t size)
{
	const char *c = xr_cell(sheet, ref);
	if (!c || !strs)
		return false;
	const char *end = strstr(c, "</c>"), *gt = strchr(c, '>');
	if (!end || !gt || !xr_is_text(c))
		return false;
	const char *vv = strstr(c, "<v>");
	if (!vv || vv > end)
		return false;
	long k = strtol(vv + 3, NULL, 10);
	const char *si = strs;
	for (long j = 0; j <= k; j++) {
		si = strstr(si, "<si>");
		if (!si)
			return false;
		si += 4;
	}
	const char *t = strstr(si, "<t");
	t = t ? strchr(t, '>') : NULL;
	const char *te = t ? strstr(t, "</t>") : NULL;
	if (!t || !te)
		return false;
	size_t n = (size_t)(te - t - 1);
	if (n >= size)
		n = size - 1;
	memcpy(buf, t + 1, n);
	buf[n] = 0;
	return true;
}

/* Excel column letters of a 0-based column + 1-based row: (9, 7) "J7". */
static inline void xr_ref(int col, int row, char *buf, size_t size)
{
	char letters[4];
	int n = 0;
	for (int c = col + 1; c > 0; c = (c - 1) / 26)
		letters[n++] = (char)('A' + (c - 1) % 26);
	char rev[4];
	for (int k = 0; k < n; k++)
		rev[k] = letters[n - 1 - k];
	snprintf(buf, size, "%.*s%d", n, rev, row);
}

static inline char *xr_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

/* Do two files hold the same bytes (and exist)? */
static inline bool xr_same_bytes(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	char *x = xr_read_file(a, &na), *y = xr_read_file(b, &nb);
	bool same = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

#endif
