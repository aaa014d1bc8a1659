/*
 * fmt_csv.c — `--format csv`: quarter-hour energies (`timestamp,meter,
 * kwh`, SPEC §8, in any dialect of SPEC §11) into the import's
 * quarter-hour set.
 *
 * Why beside readings_csv.c: a scenario's readings fill the arrays of one
 * period and ignore the rest; an import keeps every row of the file,
 * whatever its dates, with its line for conflict messages. What a row is
 * — columns, timestamps, numbers, every rule and message — is the one
 * readings parser's (dialect.h), so both read the same files alike. An
 * empty kwh cell is a known hole (missing), never zero.
 *
 * Workload: the file is in memory (mapped by the import); the parser
 * tells the import every 4 MiB which pages it is done with.
 */
#include "engine/ingest/formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/ingest/dialect.h"

#define EMPTY_FILE "empty file (expected the header timestamp,meter,kwh)"

/* One valid row into the set (the --meter and --sum rules). */
static enum cab_status put_row(struct cab_ingest *ing, const char *name,
			       long line, const struct cab_dialect_row *row,
			       struct cab_err *err)
{
	char meter[CAB_DIALECT_MAX_METER + 1];
	memcpy(meter, row->meter, row->meter_len);
	meter[row->meter_len] = '\0';
	ing->rows++;
	if (ing->opts->meter && !ing->opts->sum &&
	    strcmp(meter, ing->opts->meter) != 0)
		return CAB_OK;
	const char *dst = meter;
	char part[600];
	if (ing->opts->sum && ing->opts->meter) {
		snprintf(part, sizeof part, "%s#%s", ing->opts->meter, meter);
		dst = part;
	}
	return cab_qhset_put(ing->qh, dst, row->t_s, row->kwh,
			     isnan(row->kwh) ? CAB_Q_MISSING : CAB_Q_READ,
			     CAB_QH_SET, name, line, err);
}

enum cab_status cab_parse_csv(struct cab_ingest *ing, const char *name,
			      const char *buf, size_t len, struct cab_err *err)
{
	const char *p = buf, *end = buf + len;
	long line = 0, blank_line = 0;
	struct cab_dialect d = {0};
	enum cab_status st = CAB_OK;
	const char *hinted = p;
	while (p < end && st == CAB_OK) {
		if ((size_t)(p - hinted) >= ((size_t)4 << 20)) {
			cab_ingest_done_upto(ing, p); /* every 4 MiB */
			hinted = p;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p;
		size_t n = (size_t)((nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (line == 1) {
			if (!cab_dialect_header(&d, s, n))
				st = cab_err_at_line(err, CAB_EINPUT, name, 1,
						     "%s", d.msg);
			continue;
		}
		struct cab_dialect_row row;
		enum cab_dialect_line kind =
		    n == 0 ? CAB_DIALECT_BLANK
			   : cab_dialect_row(&d, s, n, &row);
		if (kind == CAB_DIALECT_BLANK) {
			if (!blank_line)
				blank_line = line;
			continue;
		}
		if (blank_line)
			st = cab_err_at_line(
			    err, CAB_EINPUT, name, blank_line,
			    "empty line (expected timestamp,meter,kwh)");
		else if (kind == CAB_DIALECT_BAD)
			st = d.is_oom ? cab_err_add(err, CAB_ENOMEM,
						    "%s: out of memory", name)
				      : cab_err_at_line(err, CAB_EINPUT, name,
							line, "%s", d.msg);
		else
			st = put_row(ing, name, line, &row, err);
	}
	if (st == CAB_OK && line == 0)
		st = cab_err_at_line(err, CAB_EINPUT, name, 1, EMPTY_FILE);
	cab_dialect_release(&d);
	return st;
}

/* A readings header in any dialect (the column names are the
 * signature), e.g. a Belgian spreadsheet's `Horodatage;Compteur;kWh`. */
static enum cab_sniff sniff_csv(const unsigned char *raw, size_t len,
				const char *head)
{
	return cab_dialect_is_header(head, strlen(head)) ? CAB_SNIFF_SIGNATURE
							 : CAB_SNIFF_NO;
}

const struct cab_format_ops cab_format_csv = {
    .name = "csv",
    .summary = "quarter-hour energies: timestamp,meter,kwh (also ';' "
	       "separated, decimal comma, French or Dutch header, local times)",
    .parse = cab_parse_csv,
    .sniff = sniff_csv,
};
