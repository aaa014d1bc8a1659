/*
 * formats.h — the import formats behind one table of operations
 * (internal to engine/; the public names are in cabine/import.h).
 *
 * Why: the import (engine/store/import.c) and the command line's
 * --format check must not know the formats one by one. Each format file
 * (fmt_csv.c, fmt_power.c, fmt_flukso_json.c, fmt_tmpo.c, fmt_dso.c)
 * exports a `const struct cab_format_ops` saying what it reads and how;
 * the registry (formats.c) lists them in the order of enum cab_format.
 * Adding a format is its file, its lines in formats.c and its enumerator
 * in cabine/import.h; nothing in the import changes.
 *
 * Ownership: the tables are constant and live for the whole program.
 */
#ifndef CABINE_FORMATS_H
#define CABINE_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "cabine/err.h"
#include "cabine/import.h"
#include "engine/ingest/ingest.h"

/* How much a file's first bytes look like a format (for the hint after a
 * failed parse): a signature (gzip magic, the operator's column names)
 * wins over a shape (a header word, an opening bracket). */
enum cab_sniff {
	CAB_SNIFF_NO = 0,
	CAB_SNIFF_SHAPE,    /* could be this format */
	CAB_SNIFF_SIGNATURE /* is this format */
};

struct cab_format_ops {
	const char *name;    /* the --format value, also written in the
				import log's format column */
	const char *summary; /* one line for help texts */
	/* One file's bytes (buf never NULL: an empty file is "", len 0)
	 * into ing; validates fully (ingest.h, the parsers). */
	enum cab_status (*parse)(struct cab_ingest *ing, const char *name,
				 const char *buf, size_t len,
				 struct cab_err *err);
	/* raw: the file's first len bytes; head: at most 255 of them as a
	 * string, after a UTF-8 BOM and leading white space. */
	enum cab_sniff (*sniff)(const unsigned char *raw, size_t len,
				const char *head);
	/* NULL, or the files an argument that is a folder stands for (a
	 * tmpo sensor's blocks, in the order to read them): a heap array
	 * of *n heap strings, owned by the caller. */
	enum cab_status (*list_folder)(const char *dir, char ***paths,
				       size_t *n, struct cab_err *err);
	bool needs_meter;   /* the files do not name their series: --meter ID
			       is required (the parser says so) */
	bool is_one_sensor; /* a file is one sensor: with --sum the k-th
			       argument is the phase "ID#k", and every
			       argument must give data */
	const char *no_sum; /* NULL if --sum applies, else why not: the
			       import's whole message */
};

/* The table of a format, or NULL for a value out of the enum. */
const struct cab_format_ops *cab_format_ops(enum cab_format f);
/* The table named `name` (a --format value), or NULL. */
const struct cab_format_ops *cab_format_find(const char *name);
/* The format d (len bytes) looks most like, or CAB_FMT_COUNT: the first
 * signature in registry order, else the first shape. */
enum cab_format cab_format_sniff(const unsigned char *d, size_t len);

#endif
