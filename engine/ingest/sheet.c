/*
 * sheet.c — an .xlsx sheet read as rows of text cells (include/cabine/sheet.h).
 *
 * Why: facilitators keep their participants in a spreadsheet and the grid
 * operator sends workbooks; SPEC §11 asks for well-kept libraries, so the
 * zip container is libzip's and the XML is expat's. This file only knows
 * the four parts of SpreadsheetML it needs: xl/workbook.xml (sheet names,
 * date system) with its relationships (which part holds which sheet),
 * xl/sharedStrings.xml, xl/styles.xml (which cells are dates) and the
 * sheet itself. Element names are compared without their namespace
 * prefix (expat's namespace mode), since generators differ in prefixes.
 *
 * Workload: a part is inflated whole (bounded by CAB_SHEET_MAX_PART_BYTES)
 * and parsed in one pass; memory is the inflated part plus the cells.
 *
 * Ownership: everything read belongs to the returned struct cab_sheet.
 */
#include "cabine/sheet.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "engine/ingest/sheet_xml.h"
static enum cab_status read_part(zip_t *za, const char *file, const char *name,
				 char **data, size_t *len, struct cab_err *err)
{
	*data = NULL;
	*len = 0;
	zip_stat_t zs;
	zip_int64_t idx = zip_name_locate(za, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return CAB_OK;
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &zs) != 0 ||
	    !(zs.valid & ZIP_STAT_SIZE))
		return cab_err_add(err, CAB_EINPUT, "%s: %s: unreadable (%s)",
				   file, name, zip_strerror(za));
	if (zs.size > CAB_SHEET_MAX_PART_BYTES)
		return cab_err_add(err, CAB_EINPUT,
				   "%s: %s: %llu bytes once inflated (expected "
				   "at most %u)",
				   file, name, (unsigned long long)zs.size,
				   CAB_SHEET_MAX_PART_BYTES);
	char *buf = malloc((size_t)zs.size + 1);
	if (!buf)
		return CAB_ENOMEM;
	zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!zf) {
		free(buf);
		return cab_err_add(err, CAB_EINPUT, "%s: %s: unreadable (%s)",
				   file, name, zip_strerror(za));
	}
	zip_int64_t got = zip_fread(zf, buf, zs.size);
	bool ok = got >= 0 && (zip_uint64_t)got == zs.size;
	if (!ok)
		cab_err_add(err, CAB_EINPUT, "%s: %s: unreadable (%s)", file,
			    name, zip_file_strerror(zf));
	zip_fclose(zf);
	if (!ok) {
		free(buf);
		return CAB_EINPUT;
	}
	buf[zs.size] = 0;
	*data = buf;
	*len = (size_t)zs.size;
	return CAB_OK;
}

/* Parse one part with the given handlers. */
static char *part_of_target(const char *target)
{
	size_t n = strlen(target) + 4;
	char *p = malloc(n);
	if (!p)
		return NULL;
	if (target[0] == '/')
		snprintf(p, n, "%s", target + 1);
	else
		snprintf(p, n, "xl/%s", target);
	return p;
}

static enum cab_status read_zip(zip_t *za, const char *file,
				const char *sheet_name, struct cab_sheet **out,
				struct cab_err *err)
{
	struct cab_sheet_reader r = {.file = file, .err = err};
	enum cab_status st;
	char *data = NULL, *part = NULL;
	size_t len;
	struct cab_sheet *sh = calloc(1, sizeof(*sh));
	if (!sh)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	st = read_part(za, file, "xl/workbook.xml", &data, &len, err);
	if (st == CAB_OK && !data)
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: not a spreadsheet workbook (expected an "
				 ".xlsx file saved by Excel or LibreOffice)",
				 file);
	if (st == CAB_OK)
		st = cab_sheet_xml_parse(&r, CAB_SHEET_PART_WORKBOOK,
					 "xl/workbook.xml", data, len);
	free(data);
	data = NULL;
	if (st != CAB_OK)
		goto done;
	size_t k = 0;
	if (sheet_name) {
		while (k < r.n_sheets && strcmp(r.sheet_names[k], sheet_name))
			k++;
	}
	if (k >= r.n_sheets) {
		st = sheet_name
			 ? cab_err_add(err, CAB_EINPUT,
				       "%s: no sheet named '%s'", file,
				       sheet_name)
			 : cab_err_add(err, CAB_EINPUT,
				       "%s: the workbook has no sheet", file);
		goto done;
	}
	sh->name = strdup(r.sheet_names[k]);
	sh->is_1904 = r.is_1904;
	r.want_rid = r.sheet_rids[k];
	st =
	    read_part(za, file, "xl/_rels/workbook.xml.rels", &data, &len, err);
	if (st == CAB_OK && data)
		st = cab_sheet_xml_parse(&r, CAB_SHEET_PART_RELS,
					 "xl/_rels/workbook.xml.rels", data,
					 len);
	free(data);
	data = NULL;
	if (st != CAB_OK)
		goto done;
	if (!r.target) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: sheet '%s' has no part in the workbook",
				 file, r.sheet_names[k]);
		goto done;
	}
	st = read_part(za, file, "xl/sharedStrings.xml", &data, &len, err);
	if (st == CAB_OK && data)
		st = cab_sheet_xml_parse(&r, CAB_SHEET_PART_SST,
					 "xl/sharedStrings.xml", data, len);
	free(data);
	data = NULL;
	if (st == CAB_OK)
		st = read_part(za, file, "xl/styles.xml", &data, &len, err);
	if (st == CAB_OK && data)
		st = cab_sheet_xml_parse(&r, CAB_SHEET_PART_STYLES,
					 "xl/styles.xml", data, len);
	free(data);
	data = NULL;
	if (st != CAB_OK)
		goto done;
	part = part_of_target(r.target);
	if (!part || !sh->name) {
		st = CAB_ENOMEM;
		goto done;
	}
	st = read_part(za, file, part, &data, &len, err);
	if (st == CAB_OK && !data)
		st =
		    cab_err_add(err, CAB_EINPUT, "%s: %s: missing", file, part);
	r.sh = sh;
	if (st == CAB_OK)
		st = cab_sheet_xml_parse(&r, CAB_SHEET_PART_SHEET, part, data,
					 len);
done:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	free(data);
	free(part);
	cab_sheet_reader_release(&r);
	if (st != CAB_OK) {
		cab_sheet_free(sh);
		sh = NULL;
	}
	*out = sh;
	return st;
}

enum cab_status cab_sheet_read(const char *path, const char *sheet_name,
			       struct cab_sheet **out, struct cab_err *err)
{
	*out = NULL;
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za) {
		if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ)
			return cab_err_add(err, CAB_EIO, "%s: %s", path,
					   strerror(errno));
		return cab_err_add(err, CAB_EINPUT,
				   "%s: not a spreadsheet workbook (expected "
				   "an .xlsx file saved by Excel or "
				   "LibreOffice)",
				   path);
	}
	enum cab_status st = read_zip(za, path, sheet_name, out, err);
	zip_discard(za);
	return st;
}

enum cab_status cab_sheet_read_mem(const void *data, size_t len,
				   const char *name, const char *sheet_name,
				   struct cab_sheet **out, struct cab_err *err)
{
	*out = NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src =
	    zip_source_buffer_create(len ? data : "", len, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	zip_error_fini(&ze);
	if (!za) {
		zip_source_free(src);
		return cab_err_add(err, CAB_EINPUT,
				   "%s: not a spreadsheet workbook (expected "
				   "an .xlsx file saved by Excel or "
				   "LibreOffice)",
				   name);
	}
	enum cab_status st = read_zip(za, name, sheet_name, out, err);
	zip_discard(za); /* frees the source too */
	return st;
}

void cab_sheet_free(struct cab_sheet *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_rows; i++) {
		for (size_t j = 0; j < s->row[i].n_cells; j++)
			free(s->row[i].cell[j].text);
		free(s->row[i].cell);
	}
	free(s->row);
	free(s->name);
	free(s);
}

const char *cab_sheet_text(const struct cab_sheet_row *r, size_t col)
{
	return col < r->n_cells ? r->cell[col].text : NULL;
}

enum cab_status cab_sheet_serial_to_civil(double serial, bool is_1904,
					  struct cab_civil *out)
{
	memset(out, 0, sizeof(*out));
	/* 1900 system: serial 1 = 1900-01-01 counting Excel's phantom
	 * 1900-02-29, so from 61 on day 0 is 1899-12-30; below, 1899-12-31.
	 * 1904 system: day 0 = 1904-01-01. Dates before 1900-03-01 are
	 * never meter data: refuse them rather than guess. */
	if (!isfinite(serial) || serial < (is_1904 ? 0 : 61) ||
	    serial >= 2958466)
		return CAB_EINPUT;
	double day = floor(serial);
	long long secs = llround((serial - day) * 86400.0);
	long long days = (long long)day;
	if (secs >= 86400) {
		secs -= 86400;
		days++;
	}
	int64_t base = is_1904 ? cab_time_days_from_civil(1904, 1, 1)
			       : cab_time_days_from_civil(1899, 12, 30);
	cab_time_civil_from_days(base + days, &out->year, &out->month,
				 &out->day);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	return out->year <= 9999 ? CAB_OK : CAB_EINPUT;
}

bool cab_sheet_is_xlsx(const char *path)
{
	size_t n = strlen(path);
	if (n >= 5 && (strcmp(path + n - 5, ".xlsx") == 0 ||
		       strcmp(path + n - 5, ".XLSX") == 0))
		return true;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	unsigned char b[4] = {0};
	bool is_zip = fread(b, 1, 4, f) == 4 && b[0] == 'P' && b[1] == 'K' &&
		      b[2] == 3 && b[3] == 4;
	fclose(f);
	return is_zip;
}
