/*
 * formats.c — the registry of import formats: every format's table, in
 * the order of enum cab_format (cabine/import.h), and what the import
 * and the command line ask of them (by name, the list for messages, the
 * sniffing of a file given the wrong --format).
 *
 * Why: one list, so that the import dispatches through the table and a
 * message naming the formats can never forget one. To add a format:
 * write fmt_<name>.c with its `const struct cab_format_ops`, declare it
 * and add its line below, and add its enumerator (before CAB_FMT_COUNT)
 * in cabine/import.h.
 *
 * Workload: a handful of string compares per command.
 */
#include "engine/ingest/formats.h"

#include <stdio.h>
#include <string.h>

/* Each defined in its format file: fmt_csv.c, fmt_power.c (power-csv,
 * flukso-csv), fmt_flukso_json.c, fmt_tmpo.c, fmt_dso.c,
 * fmt_sibelga_15min.c, fmt_sibelga_month.c. */
extern const struct cab_format_ops cab_format_csv;
extern const struct cab_format_ops cab_format_power_csv;
extern const struct cab_format_ops cab_format_flukso_csv;
extern const struct cab_format_ops cab_format_flukso_json;
extern const struct cab_format_ops cab_format_flukso_tmpo;
extern const struct cab_format_ops cab_format_dso_csv;
extern const struct cab_format_ops cab_format_sibelga_15min;
extern const struct cab_format_ops cab_format_sibelga_month;

static const struct cab_format_ops *const formats[CAB_FMT_COUNT] = {
    [CAB_FMT_CSV] = &cab_format_csv,
    [CAB_FMT_POWER_CSV] = &cab_format_power_csv,
    [CAB_FMT_FLUKSO_CSV] = &cab_format_flukso_csv,
    [CAB_FMT_FLUKSO_JSON] = &cab_format_flukso_json,
    [CAB_FMT_FLUKSO_TMPO] = &cab_format_flukso_tmpo,
    [CAB_FMT_DSO_CSV] = &cab_format_dso_csv,
    [CAB_FMT_SIBELGA_15MIN] = &cab_format_sibelga_15min,
    [CAB_FMT_SIBELGA_MONTH] = &cab_format_sibelga_month,
};

const struct cab_format_ops *cab_format_ops(enum cab_format f)
{
	return (unsigned)f < CAB_FMT_COUNT ? formats[f] : NULL;
}

const struct cab_format_ops *cab_format_find(const char *name)
{
	for (int f = 0; name && f < CAB_FMT_COUNT; f++)
		if (!strcmp(name, formats[f]->name))
			return formats[f];
	return NULL;
}

bool cab_format_parse(const char *name, enum cab_format *out)
{
	for (int f = 0; name && f < CAB_FMT_COUNT; f++)
		if (!strcmp(name, formats[f]->name)) {
			*out = (enum cab_format)f;
			return true;
		}
	return false;
}

const char *cab_format_name(enum cab_format f)
{
	const struct cab_format_ops *ops = cab_format_ops(f);
	return ops ? ops->name : "?";
}

const char *cab_format_summary(enum cab_format f)
{
	const struct cab_format_ops *ops = cab_format_ops(f);
	return ops ? ops->summary : "?";
}

bool cab_format_needs_meter(enum cab_format f)
{
	const struct cab_format_ops *ops = cab_format_ops(f);
	return ops && ops->needs_meter;
}

const char *cab_format_list(char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return out;
	out[0] = '\0';
	for (int f = 0; f < CAB_FMT_COUNT && n < cap; f++) {
		const char *sep = f == 0		   ? ""
				  : f == CAB_FMT_COUNT - 1 ? " or "
							   : ", ";
		int w =
		    snprintf(out + n, cap - n, "%s%s", sep, formats[f]->name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return out;
}

enum cab_format cab_format_sniff(const unsigned char *d, size_t len)
{
	char head[256];
	size_t n = len < sizeof head - 1 ? len : sizeof head - 1;
	memcpy(head, d, n);
	head[n] = '\0';
	const char *h = strncmp(head, "\xEF\xBB\xBF", 3) == 0 ? head + 3 : head;
	while (*h == ' ' || *h == '\t' || *h == '\r' || *h == '\n')
		h++;
	enum cab_format shape = CAB_FMT_COUNT;
	for (int f = 0; f < CAB_FMT_COUNT; f++) {
		enum cab_sniff s = formats[f]->sniff(d, len, h);
		if (s == CAB_SNIFF_SIGNATURE)
			return (enum cab_format)f;
		if (s == CAB_SNIFF_SHAPE && shape == CAB_FMT_COUNT)
			shape = (enum cab_format)f;
	}
	return shape;
}
