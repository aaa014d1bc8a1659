/*
 * import.h — `cabine import`: meter data of any supported format into the
 * SQLite store (SPEC §7, docs/store.md).
 *
 * Why: communities receive Flukso files, grid-operator exports and LV-
 * cabin readings; researchers keep years of them. An import reads every
 * file completely, then writes in one transaction: on any bad line, any
 * conflict with what the store already holds, or a crash, the database is
 * exactly as before. Importing the same file twice changes nothing.
 *
 * Ownership: options and file names are borrowed for the call.
 */
#ifndef CABINE_IMPORT_H
#define CABINE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"

/* Quality of a stored quarter-hour (the store's `quality` column). */
enum cab_quality {
	CAB_Q_READ = 0,	     /* measured */
	CAB_Q_ESTIMATED = 1, /* estimated by the source (operator), or a power
				interval covered at least min_coverage but
				not completely */
	CAB_Q_FILLED = 2,    /* filled by cabine at import (--fill) */
	CAB_Q_MISSING = 3    /* known hole: no value */
};
const char *cab_quality_name(enum cab_quality q); /* "read", … */

enum cab_format {
	CAB_FMT_CSV,
	CAB_FMT_POWER_CSV,
	CAB_FMT_FLUKSO_CSV,
	CAB_FMT_FLUKSO_JSON,
	CAB_FMT_FLUKSO_TMPO,
	CAB_FMT_DSO_CSV,
	CAB_FMT_SIBELGA_15MIN, /* the operator's quarter-hour file */
	CAB_FMT_SIBELGA_MONTH, /* the operator's monthly file */
	CAB_FMT_COUNT
};
/* The formats, as the registry (engine/ingest/formats.c) lists them. */
/* Parse a format name (a --format value); false if unknown. */
bool cab_format_parse(const char *name, enum cab_format *out);
/* Its name ("csv", …), or "?" for a value out of the enum. */
const char *cab_format_name(enum cab_format f);
/* One line saying what it reads, for help texts; "?" if out of the enum. */
const char *cab_format_summary(enum cab_format f);
/* Whether its files need --meter ID (they do not name their series). */
bool cab_format_needs_meter(enum cab_format f);
/* Every name, for messages: "csv, power-csv, … or dso-csv" into out (cap
 * bytes, cut if too small); returns out. */
const char *cab_format_list(char *out, size_t cap);

/* Which period a power sample stands for. */
enum cab_label {
	CAB_LABEL_DEFAULT, /* per format: end for flukso-*, start otherwise */
	CAB_LABEL_START,   /* the sample's power holds from t to the next */
	CAB_LABEL_END	   /* the sample's power held from the previous to t */
};

enum cab_import_fill {
	CAB_IMPORT_FILL_NONE,	/* leave holes missing (default) */
	CAB_IMPORT_FILL_LINEAR, /* gaps up to fill_max_intervals */
	CAB_IMPORT_FILL_PROFILE /* the meter's mean week in this import */
};

struct cab_import_opts {
	const char *db_path; /* SQLite file, created if absent */
	enum cab_format format;
	const char *meter;    /* --meter ID or NULL */
	bool sum;	      /* --sum: the sources are phases of --meter */
	bool replace;	      /* --replace: new values win conflicts */
	enum cab_label label; /* --label */
	double max_gap_s;     /* --max-gap seconds; 0 = 3 × median */
	double min_coverage;  /* --min-coverage, default 0.9 */
	enum cab_import_fill fill; /* --fill */
	size_t fill_max_intervals; /* --fill linear:N */
	/* Tests only, NULL in production: called inside the transaction,
	 * after every row is written and just before COMMIT (a test kills
	 * the process there to prove the store is left as before). */
	void (*before_commit)(void *ctx);
	void *before_commit_ctx; /* borrowed; passed to before_commit */
};
/* Defaults: csv, no meter, label default, min_coverage 0.9, fill none. */
void cab_import_opts_default(struct cab_import_opts *o);

struct cab_import_result {
	size_t files;	    /* files (tmpo blocks) read */
	size_t files_known; /* files already imported with the same hash */
	size_t rows;	    /* data rows or samples read */
	size_t meters;	    /* meters touched */
	size_t intervals;   /* quarter-hours in the files */
	size_t inserted;    /* new values stored */
	size_t unchanged;   /* identical to what the store held */
	size_t replaced;    /* different values overwritten (--replace) */
	size_t missing;	    /* intervals without value */
	size_t filled;	    /* intervals filled (--fill) */
	size_t estimated;   /* intervals flagged estimated */
	size_t month_rows;  /* sibelga-month: rows (EAN, month, register)
			       read; inserted/unchanged/replaced then count
			       these rows, not quarter-hours */
};

/* Import files (a flukso-tmpo argument may be a sensor's folder). On
 * success the store holds the data and one import-log row per new file.
 * On any problem: CAB_EINPUT (messages "file:line: …"), store unchanged. */
enum cab_status cab_import(const struct cab_import_opts *o,
			   const char *const *files, size_t n_files,
			   struct cab_import_result *res, struct cab_err *err);

#endif
