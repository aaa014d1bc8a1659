/*
 * table.h — a table a person keeps in LibreOffice or Excel, read as rows
 * of text cells whether it is a CSV or an .xlsx workbook (internal to
 * engine/scenario/).
 *
 * Why: an appliance inventory (docs/appliances.md) is typed by
 * households in a spreadsheet and saved as they like: `,` or `;`
 * separated CSV with RFC 4180 quoting (SPEC §11), a UTF-8 BOM, CRLF, or
 * the .xlsx itself. Both come out as the same struct cab_sheet (the xlsx
 * reader's, include/cabine/sheet.h), with each row numbered as the
 * person sees it (the CSV line, the spreadsheet row), so that a message
 * says `appliances.csv:7: column 'watts': …` for either.
 *
 * Workload: tens to a few thousand rows.
 *
 * Ownership: *out is freed with cab_sheet_free().
 */
#ifndef CABINE_SCENARIO_TABLE_H
#define CABINE_SCENARIO_TABLE_H

#include "cabine/err.h"
#include "cabine/sheet.h"

/* Read the table at path: an .xlsx (first sheet) when its name or first
 * bytes say so, else a CSV. Fails with CAB_EINPUT (unreadable or
 * malformed file, an unclosed quote: "path:line: …"), CAB_EIO or
 * CAB_ENOMEM. */
enum cab_status cab_table_read(const char *path, struct cab_sheet **out,
			       struct cab_err *err);

/* The same from a CSV held in memory (len bytes); name is used in
 * messages (fuzz target). */
enum cab_status cab_table_parse_csv(const char *name, const char *buf,
				    size_t len, struct cab_sheet **out,
				    struct cab_err *err);

#endif
