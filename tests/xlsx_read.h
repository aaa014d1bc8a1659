/*
 * xlsx_read.h — reading a workbook back in tests: a member's XML through
 * `unzip -p`, a cell's stored number or text by reference ("J7"), two
 * files' bytes compared, two workbooks' parts compared (the zips may
 * compress them differently). Test-only; every returned buffer is malloc'd and
 * freed by the caller.
 */
#ifndef CABINE_TEST_XLSX_READ_H
#define CABINE_TEST_XLSX_READ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

static inline uint32_t xr_le(const char *p, int n)
{
	uint32_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

/* Member k of the zip z[0..n) (central directory order): its name into
 * name (size bytes) and its uncompressed bytes (*data, malloc'd, *len).
 * False past the last member or on a malformed zip. */
static inline bool xr_zip_member(const char *z, size_t n, uint32_t k,
				 char *name, size_t size, char **data,
				 size_t *len)
{
	*data = NULL;
	size_t eocd = n >= 22 ? n - 22 : 0;
	while (eocd > 0 && xr_le(z + eocd, 4) != 0x06054b50)
		eocd--;
	if (n < 22 || xr_le(z + eocd, 4) != 0x06054b50 ||
	    k >= xr_le(z + eocd + 10, 2))
		return false;
	size_t at = xr_le(z + eocd + 16, 4);
	for (uint32_t i = 0; i < k && at + 46 <= n; i++)
		at += 46 + xr_le(z + at + 28, 2) + xr_le(z + at + 30, 2) +
		      xr_le(z + at + 32, 2);
	if (at + 46 > n || xr_le(z + at, 4) != 0x02014b50)
		return false;
	uint32_t method = xr_le(z + at + 10, 2), csize = xr_le(z + at + 20, 4);
	uint32_t usize = xr_le(z + at + 24, 4), nlen = xr_le(z + at + 28, 2);
	size_t local = xr_le(z + at + 42, 4);
	snprintf(name, size, "%.*s", (int)nlen, z + at + 46);
	if (local + 30 > n)
		return false;
	size_t from =
	    local + 30 + xr_le(z + local + 26, 2) + xr_le(z + local + 28, 2);
	if (from + csize > n || !(*data = malloc(usize + 1)))
		return false;
	*len = usize;
	if (method == 0) {
		memcpy(*data, z + from, usize);
		return csize == usize;
	}
	z_stream s = {0};
	if (method != 8 || inflateInit2(&s, -MAX_WBITS) != Z_OK)
		return false;
	s.next_in = (Bytef *)(z + from);
	s.avail_in = csize;
	s.next_out = (Bytef *)*data;
	s.avail_out = usize;
	int rc = inflate(&s, Z_FINISH);
	inflateEnd(&s);
	return rc == Z_STREAM_END && s.total_out == usize;
}

/* Do two workbooks hold the same parts, under the same names, in the same
 * order, with the same bytes (however each zip compressed them)? */
static inline bool xr_same_parts(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	char *x = xr_read_file(a, &na), *y = xr_read_file(b, &nb);
	bool same = x && y;
	uint32_t k = 0;
	for (; same; k++) {
		char name_a[256], name_b[256];
		char *da = NULL, *db = NULL;
		size_t la = 0, lb = 0;
		bool has_a =
		    xr_zip_member(x, na, k, name_a, sizeof name_a, &da, &la);
		bool has_b =
		    xr_zip_member(y, nb, k, name_b, sizeof name_b, &db, &lb);
		if (!has_a || !has_b) {
			same = !has_a && !has_b && k > 0;
			free(da);
			free(db);
			break;
		}
		same = strcmp(name_a, name_b) == 0 && la == lb &&
		       memcmp(da, db, la) == 0;
		if (!same)
			fprintf(stderr, "  %s of %s and %s differ\n", name_a, a,
				b);
		free(da);
		free(db);
	}
	free(x);
	free(y);
	return same;
}

#endif
