/*
 * ingest.h — what the import parsers share (internal to engine/).
 *
 * Why: six source formats (SPEC §7) all end as the same thing, quarter-
 * hour energies per meter with a quality flag, which the import then
 * checks against the store and writes in one transaction. Each parser
 * turns its bytes into records of a cab_qhset; power and counter sources
 * go through one integrator (integ.c) so that the coverage rule (SPEC §8)
 * and the max_gap rule live in one place. Parsing never touches SQLite:
 * a file with a bad line is rejected before the database is opened for
 * writing. The import reaches the parsers through each format's table
 * (formats.h), never by name.
 *
 * Ownership: cab_qhset_new() and cab_ingest_init() allocate; the matching
 * _free()/cab_ingest_release() free. Names passed in are copied.
 */
#ifndef CABINE_INGEST_H
#define CABINE_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/import.h"
#include "cabine/opfile.h"

/* ---- quarter-hour set ------------------------------------------------ */

struct cab_qhset;

enum cab_status cab_qhset_new(struct cab_qhset **out, struct cab_err *err);
void cab_qhset_free(struct cab_qhset *s);

/* How cab_qhset_put treats an interval that already has a value. */
enum cab_qh_mode {
	CAB_QH_SET, /* a second value for the interval is a duplicate: error
		       naming both lines */
	CAB_QH_ADD  /* values add up (registers, phases) */
};

/* Record the energy of interval [t_s, t_s + 900) of `meter` (t_s a
 * multiple of 900, UTC). kwh = NaN with CAB_Q_MISSING records a known
 * hole. A missing record never overwrites a value; a value replaces a
 * missing record. `file` (borrowed, must outlive the set: the import
 * keeps its paths) and `line` locate the source for messages. Quality of
 * a sum is the worst (highest) of its parts. */
enum cab_status cab_qhset_put(struct cab_qhset *s, const char *meter,
			      int64_t t_s, double kwh, enum cab_quality q,
			      enum cab_qh_mode mode, const char *file,
			      long line, struct cab_err *err);

/* Number of meters and the i-th meter's series, in order of first put.
 * Every interval between first and last put is present; those never put
 * are CAB_Q_MISSING with NaN. Arrays are borrowed. */
struct cab_qh_series {
	const char *meter; /* name */
	int64_t t0_s;	   /* UTC start of index 0 */
	size_t n;	   /* intervals */
	double *kwh;	   /* n values, NaN = missing */
	uint8_t *quality;  /* n enum cab_quality */
	const char **file; /* n source files (NULL for never put) */
	uint32_t *line;	   /* n source lines */
};
size_t cab_qhset_n_meters(const struct cab_qhset *s);
bool cab_qhset_series(const struct cab_qhset *s, size_t i,
		      struct cab_qh_series *out);
/* Index of a meter by name, or (size_t)-1. */
size_t cab_qhset_find(const struct cab_qhset *s, const char *meter);

/* Replace the meters named srcs[0..n) by one meter `dst`, interval by
 * interval: all_required → the sum where every source has a value, else
 * missing (phases of one meter); !all_required → the sum of the values
 * present, missing only where none has one (day and night registers). */
enum cab_status cab_qhset_combine(struct cab_qhset *s, const char *dst,
				  const char *const *srcs, size_t n,
				  bool all_required, struct cab_err *err);

/* ---- ingestion context ---------------------------------------------- */

struct cab_integ_set;	/* integrators by meter, see integ.c */
struct cab_opmonth_set; /* the operator's monthly rows, below */

/* What a parser sees: where to put records and the import's options. */
struct cab_ingest {
	struct cab_qhset *qh;		    /* destination (borrowed) */
	const struct cab_import_opts *opts; /* options (borrowed) */
	const char *file_meter;	      /* series name for formats without a meter
					 column (flukso-*): --meter, or in --sum
					 mode "ID#k" for the k-th file; NULL if
					 not given */
	size_t rows;		      /* data rows/samples accepted so far */
	struct cab_integ_set *integ;  /* owned; NULL until first use */
	enum cab_label label_default; /* what CAB_LABEL_DEFAULT means for the
					 format being parsed: the parser
					 sets it (END for flukso-*), init
					 sets START */
	/* Residency hint (may be NULL): the parser will not need the bytes
	 * before `upto` of its buffer again; the import then lets the kernel
	 * drop those pages of its file mapping, so that memory does not grow
	 * with the file (they would be read back from the file if touched). */
	void (*done_upto)(void *ctx, const char *upto);
	void *done_ctx; /* argument of done_upto */
	/* Sample tap (may be NULL; imports leave it so): every power sample
	 * as the parser hands it to the integrator, for the inhabitants'
	 * day of power against quarter-hour energy (engine/scenario/
	 * samples.c). */
	void (*on_power)(void *ctx, const char *meter, double t_s,
			 double watts);
	void *on_power_ctx;		/* argument of on_power */
	struct cab_opmonth_set *months; /* where the operator's monthly rows
					   go (sibelga-month), or NULL */
};

/* Parsers call this as they go (it acts every few MiB). */
static inline void cab_ingest_done_upto(struct cab_ingest *ing,
					const char *upto)
{
	if (ing->done_upto)
		ing->done_upto(ing->done_ctx, upto);
}

void cab_ingest_init(struct cab_ingest *ing, struct cab_qhset *qh,
		     const struct cab_import_opts *opts);
/* Flush every integrator (its last interval) into qh. */
enum cab_status cab_ingest_finish(struct cab_ingest *ing, struct cab_err *err);
void cab_ingest_release(struct cab_ingest *ing);

/* ---- integrator of power samples and energy counters ----------------- */

/* Add a power sample (watts, NaN = no reading: the time until the next
 * sample is uncovered) of `meter` at UTC instant t_s. Samples of one meter
 * must come in strictly increasing time (across files of one import);
 * otherwise "file:line: ..." error. What period a sample stands for is
 * opts->label: CAB_LABEL_START → [t, next), CAB_LABEL_END → (prev, t];
 * never longer than the max gap (opts->max_gap_s, or 3 × the meter's
 * median spacing over its first samples when 0). */
enum cab_status cab_ingest_power(struct cab_ingest *ing, const char *meter,
				 double t_s, double watts, const char *file,
				 long line, struct cab_err *err);

/* Add a cumulative energy counter reading (Wh) of `meter` at t_s: the
 * energy between two readings is spread evenly over the time between
 * them, unless that time exceeds the max gap (then it is uncovered). A
 * counter that goes down is an error. */
enum cab_status cab_ingest_counter(struct cab_ingest *ing, const char *meter,
				   double t_s, double wh, const char *file,
				   long line, struct cab_err *err);

/* ---- parsers: one file's bytes into ing (all validate fully; on error
 * the set may hold part of the file, which the import then discards) -- */

enum cab_status cab_parse_csv(struct cab_ingest *ing, const char *name,
			      const char *buf, size_t len, struct cab_err *err);
enum cab_status cab_parse_power_csv(struct cab_ingest *ing, const char *name,
				    const char *buf, size_t len,
				    struct cab_err *err);
enum cab_status cab_parse_flukso_csv(struct cab_ingest *ing, const char *name,
				     const char *buf, size_t len,
				     struct cab_err *err);
enum cab_status cab_parse_flukso_json(struct cab_ingest *ing, const char *name,
				      const char *buf, size_t len,
				      struct cab_err *err);
/* One tmpo block: gzip-compressed bytes. */
enum cab_status cab_parse_tmpo_block(struct cab_ingest *ing, const char *name,
				     const unsigned char *gz, size_t len,
				     struct cab_err *err);
enum cab_status cab_parse_dso_csv(struct cab_ingest *ing, const char *name,
				  const char *buf, size_t len,
				  struct cab_err *err);

/* ---- added by the operator branch: the operator's monthly rows -------- */

/* Rows of the operator's monthly file (cabine/opfile.h), which are not
 * quarter-hours: the import writes them into their own table. */
struct cab_opmonth_set {
	struct cab_opmonth *row; /* n rows, in the order read */
	const char **file;	 /* n source files (borrowed: the import's
				    paths) */
	size_t n, cap;
};
/* Append a copy of m read from `file`. Fails with CAB_ENOMEM. */
enum cab_status cab_opmonth_add(struct cab_opmonth_set *s,
				const struct cab_opmonth *m, const char *file,
				struct cab_err *err);
/* Free the rows; a zeroed set is allowed. */
void cab_opmonth_set_release(struct cab_opmonth_set *s);

/* ---- added by the power branch: tmpo sensor folders ------------------ */

/* Instants a sample may have: 2000-01-01T00:00:00Z to 2100-01-01 (UTC
 * seconds). Measurement data outside is a typo, and the integrator keeps
 * every interval between a meter's first and last sample. */
#define CAB_INGEST_MIN_S INT64_C(946684800)
#define CAB_INGEST_END_S INT64_C(4102444800)

/* List the tmpo block files of a sensor folder (`dir`/<rid>/<level>/<block>)
 * that cover its data once, in time order: where blocks of different levels
 * overlap, the one read is chosen by the rule documented in fmt_tmpo.c.
 * On success *paths is a heap array of *n heap strings ("dir/rid/level/
 * block"), owned by the caller (free each, then the array). Fails with
 * CAB_EIO if the folder cannot be read, CAB_EINPUT if it holds no block. */
enum cab_status cab_tmpo_list(const char *dir, char ***paths, size_t *n,
			      struct cab_err *err);

#endif
