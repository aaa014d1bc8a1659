/*
 * import.c — `cabine import`: files → quarter-hours → the store, all or
 * nothing.
 *
 * Why: the order of the steps is what makes an import safe. Every file is
 * read and parsed completely first (a bad line anywhere changes nothing
 * and never opens a transaction); then phases are summed and gaps filled
 * as asked; then, inside one SQLite transaction, each meter's new series
 * is walked beside what the store holds and merged by the rules below; a
 * conflict, like any error, rolls everything back.
 *
 * Merge rules, per meter and quarter-hour (docs/store.md):
 * - nothing stored, or a stored hole → the new record is written;
 * - a new hole never erases a stored value;
 * - equal values (within 5e-7 kWh, below the 6 decimals of every output)
 *   → unchanged, unless the new quality is better (read beats estimated);
 * - a real value replaces a filled one, and a reading replaces an
 *   operator's estimate: that is what a later export is for;
 * - a filled value never replaces data;
 * - otherwise two different values are a conflict, reported with both
 *   sources, unless --replace.
 *
 * Workload: a meter-year of 8-s samples (3.9 M lines, ~100 MB) gives
 * 35,040 quarter-hours; the file is mapped, not copied, and parsers
 * stream through it.
 */
#include "cabine/import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/fill.h"
#include "cabine/store.h"
#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/ingest/formats.h"
#include "engine/store/import_month.h"

#define MAX_CONFLICTS 20
#define HASH_STEP ((size_t)4 << 20)

static const char *const QUALITY[] = {"read", "estimated", "filled", "missing"};

const char *cab_quality_name(enum cab_quality q)
{
	return (unsigned)q < 4 ? QUALITY[q] : "?";
}

void cab_import_opts_default(struct cab_import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->format = CAB_FMT_CSV;
	o->label = CAB_LABEL_DEFAULT;
	o->min_coverage = 0.9;
	o->fill = CAB_IMPORT_FILL_NONE;
}

/* One input file, mapped. */
struct source {
	char *path;		   /* owned */
	const unsigned char *data; /* mapping or NULL when empty */
	size_t len;
	char sha256[65];   /* hex */
	int64_t import_id; /* log row, set while writing */
	size_t rows;	   /* data rows or samples it gave */
	size_t intervals;  /* quarter-hours it gave */
	bool is_known;	   /* same hash already in the log */
};

/* Residency hint of the parsers: drop the pages of the mapping before
 * upto (page-aligned down); they are read back from the file if needed. */
static void drop_before(void *ctx, const char *upto)
{
	struct source *src = ctx;
	if (!src->data || upto <= (const char *)src->data)
		return;
	uintptr_t base = (uintptr_t)src->data;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = ((uintptr_t)upto - base) / page * page;
	if (n)
		madvise((void *)base, n, MADV_DONTNEED);
}

static void unmap(struct source *src)
{
	if (src->data)
		munmap((void *)src->data, src->len);
	src->data = NULL;
}

static enum cab_status map_file(struct source *src, struct cab_err *err)
{
	int fd = open(src->path, O_RDONLY);
	if (fd < 0)
		return cab_err_add(err, CAB_EINPUT, _("%s: cannot open: %s"),
				   src->path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: not a regular file (expected a data "
				     "file)"),
				   src->path);
	}
	src->len = (size_t)sb.st_size;
	if (src->len) {
		void *m = mmap(NULL, src->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			close(fd);
			return cab_err_add(err, CAB_EIO,
					   _("%s: cannot read: %s"), src->path,
					   strerror(errno));
		}
		madvise(m, src->len, MADV_SEQUENTIAL);
		src->data = m;
	}
	close(fd);
	struct sha256_ctx h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&h);
	/* Hash in steps, letting each step's pages go: the file is read
	 * twice (hash, parse) without ever being resident as a whole. */
	for (size_t off = 0; off < src->len; off += HASH_STEP) {
		size_t n =
		    src->len - off < HASH_STEP ? src->len - off : HASH_STEP;
		sha256_update(&h, n, src->data + off);
		madvise((void *)(src->data + off), n, MADV_DONTNEED);
	}
	sha256_digest(&h, sizeof digest, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(src->sha256 + 2 * i, 3, "%02x", digest[i]);
	return CAB_OK;
}

struct import {
	const struct cab_import_opts *o;
	const struct cab_format_ops *fmt; /* o->format's table */
	struct source *src;
	size_t n_src, cap_src;
	struct cab_qhset *qh;
	struct cab_opmonth_set months; /* sibelga-month's rows */
	struct cab_store *store;
	struct cab_import_result *res;
	struct cab_err *err;
	size_t conflicts;
	size_t last_src; /* source_of()'s last answer: rows come in runs */
};

/* Index of the source a record names: parsers record the source's own
 * path pointer, so pointers are compared. n_src if none (NULL). */
static size_t source_of(struct import *im, const char *file)
{
	if (!file)
		return im->n_src;
	if (im->last_src < im->n_src && im->src[im->last_src].path == file)
		return im->last_src;
	for (size_t i = 0; i < im->n_src; i++)
		if (im->src[i].path == file)
			return im->last_src = i;
	return im->n_src;
}

static enum cab_status add_source(struct import *im, const char *path)
{
	if (im->n_src == im->cap_src) {
		size_t cap = im->cap_src ? 2 * im->cap_src : 8;
		struct source *s = realloc(im->src, cap * sizeof *s);
		if (!s)
			return cab_err_add(im->err, CAB_ENOMEM,
					   _("out of memory"));
		im->src = s;
		im->cap_src = cap;
	}
	struct source *s = &im->src[im->n_src];
	memset(s, 0, sizeof *s);
	if (!(s->path = strdup(path)))
		return cab_err_add(im->err, CAB_ENOMEM, _("out of memory"));
	im->n_src++;
	return CAB_OK;
}

/* After a failed parse: if the file looks like another format, say so
 * (a Fluvius export given as csv is the commonest slip). */
static void hint_format(struct import *im, const struct source *s)
{
	if (!s->data)
		return;
	enum cab_format f = cab_format_sniff(s->data, s->len);
	if (f != CAB_FMT_COUNT && f != im->o->format)
		cab_err_add(
		    im->err, CAB_EINPUT,
		    _("%s: this looks like a %s file (expected --format "
		      "%s?)"),
		    s->path, cab_format_name(f), cab_format_name(f));
}

/* Parse every source of one command-line argument into the set. */
static enum cab_status parse_argument(struct import *im, struct cab_ingest *ing,
				      const char *arg, const char *file_meter)
{
	size_t first = im->n_src;
	enum cab_status st = CAB_OK;
	struct stat sb;
	if (im->fmt->list_folder && stat(arg, &sb) == 0 &&
	    S_ISDIR(sb.st_mode)) {
		char **paths = NULL;
		size_t n = 0;
		st = im->fmt->list_folder(arg, &paths, &n, im->err);
		for (size_t i = 0; i < n; i++) {
			if (st == CAB_OK)
				st = add_source(im, paths[i]);
			free(paths[i]);
		}
		free(paths);
	} else {
		st = add_source(im, arg);
	}
	ing->file_meter = file_meter;
	size_t rows_before = ing->rows;
	for (size_t i = first; i < im->n_src && st == CAB_OK; i++) {
		struct source *s = &im->src[i];
		st = map_file(s, im->err);
		if (st != CAB_OK)
			break;
		/* An empty file has no mapping: parsers get an empty text,
		 * never NULL (NULL + 0 is undefined). */
		const char *b = s->data ? (const char *)s->data : "";
		ing->done_upto = drop_before;
		ing->done_ctx = s;
		st = im->fmt->parse(ing, s->path, b, s->len, im->err);
		ing->done_upto = NULL;
		if (st == CAB_EINPUT)
			hint_format(im, s);
		s->rows = ing->rows - rows_before;
		rows_before = ing->rows;
		unmap(s);
	}
	return st;
}

/* Quarter-hours each file gave (for the import log), counted before
 * --sum makes one series of the phases, whose intervals then name one
 * phase's file only. */
static void count_intervals(struct import *im)
{
	size_t nm = cab_qhset_n_meters(im->qh);
	for (size_t i = 0; i < nm; i++) {
		struct cab_qh_series s;
		cab_qhset_series(im->qh, i, &s);
		for (size_t k = 0; k < s.n; k++) {
			size_t j = source_of(im, s.file[k]);
			if (j < im->n_src)
				im->src[j].intervals++;
		}
	}
}

/* --sum: every part "ID#…" of the set becomes the one meter ID. For
 * formats whose file is one sensor ("ID#k" for the k-th of n_args
 * arguments), every argument must have given its part: a phase without
 * data is not a phase of zero. */
static enum cab_status sum_parts(struct import *im, const char *const *files,
				 size_t n_args)
{
	const char *id = im->o->meter;
	size_t idlen = strlen(id), n = 0;
	size_t nm = cab_qhset_n_meters(im->qh);
	const char **parts = calloc(nm + 1, sizeof *parts);
	char **names = calloc(nm + 1, sizeof *names);
	enum cab_status st = CAB_OK;
	if (!parts || !names) {
		st = cab_err_add(im->err, CAB_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < nm; i++) {
		struct cab_qh_series s;
		cab_qhset_series(im->qh, i, &s);
		if (!strncmp(s.meter, id, idlen) && s.meter[idlen] == '#') {
			if (!(names[n] = strdup(s.meter))) {
				st = cab_err_add(im->err, CAB_ENOMEM,
						 _("out of memory"));
				goto done;
			}
			parts[n] = names[n];
			n++;
		}
	}
	for (size_t k = 0; im->fmt->is_one_sensor && n && k < n_args; k++) {
		char part[512];
		snprintf(part, sizeof part, "%s#%zu", id, k + 1);
		if (cab_qhset_find(im->qh, part) == (size_t)-1) {
			st =
			    cab_err_add(im->err, CAB_EINPUT,
					_("%s: --sum: no reading of this phase "
					  "of meter '%s' (expected data from "
					  "every sensor of the meter)"),
					files[k], id);
			goto done;
		}
	}
	if (n == 0)
		st =
		    cab_err_add(im->err, CAB_EINPUT,
				_("--sum: no data for meter '%s' (expected its "
				  "sensors in the files)"),
				id);
	else
		st = cab_qhset_combine(im->qh, id, parts, n, true, im->err);
done:
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	free(parts);
	return st;
}

static enum cab_status fill_series(struct import *im, struct cab_qh_series *s)
{
	if (im->o->fill == CAB_IMPORT_FILL_NONE)
		return CAB_OK;
	bool *was = calloc(s->n + 1, sizeof *was);
	if (!was)
		return cab_err_add(im->err, CAB_ENOMEM, _("out of memory"));
	if (im->o->fill == CAB_IMPORT_FILL_LINEAR)
		cab_fill_linear(s->kwh, s->n, im->o->fill_max_intervals, was);
	else
		cab_fill_profile(s->kwh, s->n, s->t0_s, was);
	for (size_t k = 0; k < s->n; k++)
		if (was[k])
			s->quality[k] = CAB_Q_FILLED;
	free(was);
	return CAB_OK;
}

/* Walk state of one meter's merge. */
struct merge {
	struct import *im;
	const struct cab_qh_series *s;
	struct cab_store_row *out; /* rows to write */
	size_t n_out;
	uint8_t *is_stored; /* n: 0 nothing stored, 1 stored and kept,
			       2 stored and to be overwritten */
	enum cab_status st;
};

static bool same_kwh(double a, double b)
{
	return fabs(a - b) <= 5e-7;
}

static int64_t import_of(struct import *im, const char *file)
{
	size_t i = source_of(im, file);
	if (i < im->n_src)
		return im->src[i].import_id;
	return im->n_src ? im->src[0].import_id : 0;
}

static void emit(struct merge *m, size_t k)
{
	const struct cab_qh_series *s = m->s;
	m->out[m->n_out++] =
	    (struct cab_store_row){.t_s = s->t0_s + (int64_t)k * CAB_INTERVAL_S,
				   .kwh = s->kwh[k],
				   .quality = s->quality[k],
				   .import_id = import_of(m->im, s->file[k])};
}

static int merge_row(void *ctx, const struct cab_store_row *row)
{
	struct merge *m = ctx;
	const struct cab_qh_series *s = m->s;
	struct import *im = m->im;
	size_t k = (size_t)((row->t_s - s->t0_s) / CAB_INTERVAL_S);
	m->is_stored[k] = 1;
	int nq = s->quality[k], oq = row->quality;
	double nv = s->kwh[k], ov = row->kwh;
	if (nq == CAB_Q_MISSING) {
		im->res->unchanged++;
		return 0;
	}
	if (oq == CAB_Q_MISSING) {
		im->res->inserted++;
		m->is_stored[k] = 2; /* write it */
		return 0;
	}
	if (same_kwh(nv, ov)) {
		if (nq < oq && nq != CAB_Q_FILLED) {
			im->res->replaced++;
			m->is_stored[k] = 2; /* write it */
		} else {
			im->res->unchanged++;
		}
		return 0;
	}
	if (nq == CAB_Q_FILLED) {
		im->res->unchanged++;
		return 0;
	}
	if (im->o->replace || oq == CAB_Q_FILLED ||
	    (oq == CAB_Q_ESTIMATED && nq == CAB_Q_READ)) {
		im->res->replaced++;
		m->is_stored[k] = 2; /* write it */
		return 0;
	}
	if (++im->conflicts <= MAX_CONFLICTS) {
		char ts[21], old[512];
		cab_time_format_utc(row->t_s, ts);
		cab_store_describe_import(im->store, row->import_id, old,
					  sizeof old);
		cab_err_at_line(
		    im->err, CAB_EINPUT, s->file[k] ? s->file[k] : "?",
		    (long)s->line[k],
		    _("meter '%s' at %s: %.6f kWh here but %.6f kWh in "
		      "the store from %s (expected the same value; "
		      "--replace overwrites)"),
		    s->meter, ts, nv, ov, old);
	}
	m->st = CAB_EINPUT;
	return 0;
}

static enum cab_status merge_meter(struct import *im, struct cab_qh_series *s)
{
	struct merge m = {.im = im, .s = s, .st = CAB_OK};
	m.out = malloc((s->n + 1) * sizeof *m.out);
	m.is_stored = calloc(s->n + 1, 1);
	enum cab_status st = CAB_OK;
	if (!m.out || !m.is_stored) {
		st = cab_err_add(im->err, CAB_ENOMEM, _("out of memory"));
		goto done;
	}
	st = cab_store_scan(im->store, s->meter, s->t0_s,
			    s->t0_s + (int64_t)s->n * CAB_INTERVAL_S, merge_row,
			    &m, im->err);
	if (st != CAB_OK)
		goto done;
	/* Rows to write, in time order (SQLite's B-tree likes it): new
	 * intervals, and stored ones the merge decided to overwrite. */
	for (size_t k = 0; k < s->n; k++) {
		if (!m.is_stored[k])
			im->res->inserted++;
		if (m.is_stored[k] != 1)
			emit(&m, k);
	}
	if (m.st != CAB_OK) {
		st = m.st;
		goto done;
	}
	st = cab_store_put(im->store, s->meter, m.out, m.n_out, im->err);
done:
	free(m.out);
	free(m.is_stored);
	return st;
}

/* Where each file's data of a meter start (its first row), so that a
 * later command can name the row of an EAN no scenario knows. */
static enum cab_status note_sources(struct import *im,
				    const struct cab_qh_series *s)
{
	long *first = calloc(im->n_src + 1, sizeof *first);
	if (!first)
		return cab_err_add(im->err, CAB_ENOMEM, _("out of memory"));
	for (size_t k = 0; k < s->n; k++) {
		size_t j = source_of(im, s->file[k]);
		if (j < im->n_src && s->line[k] &&
		    (!first[j] || (long)s->line[k] < first[j]))
			first[j] = (long)s->line[k];
	}
	enum cab_status st = CAB_OK;
	for (size_t j = 0; j < im->n_src && st == CAB_OK; j++)
		if (first[j])
			st = cab_store_note_source(im->store, s->meter,
						   im->src[j].import_id,
						   first[j], im->err);
	free(first);
	return st;
}

static enum cab_status write_store(struct import *im)
{
	enum cab_status st =
	    cab_store_open(im->o->db_path, true, &im->store, im->err);
	if (st != CAB_OK)
		return st;
	st = cab_store_begin(im->store, im->err);
	/* The import log: one row per new file; a file already imported
	 * keeps its first row (importing it again adds nothing). */
	for (size_t i = 0; i < im->n_src && st == CAB_OK; i++) {
		struct source *s = &im->src[i];
		st = cab_store_find_file(im->store, s->sha256, &s->import_id,
					 im->err);
		if (st == CAB_OK && s->import_id) {
			s->is_known = true;
			im->res->files_known++;
		}
	}
	size_t nm = cab_qhset_n_meters(im->qh);
	for (size_t i = 0; i < im->n_src && st == CAB_OK; i++) {
		struct source *s = &im->src[i];
		/* The same bytes given twice in this import: one entry. */
		for (size_t j = 0; j < i && !s->is_known; j++)
			if (!strcmp(im->src[j].sha256, s->sha256))
				s->import_id = im->src[j].import_id;
		if (!s->is_known && !s->import_id)
			st = cab_store_log_file(
			    im->store, s->path, s->sha256, im->fmt->name,
			    s->rows, s->intervals, &s->import_id, im->err);
	}
	for (size_t i = 0; i < nm && st == CAB_OK; i++) {
		struct cab_qh_series s;
		cab_qhset_series(im->qh, i, &s);
		st = merge_meter(im, &s);
		if (st == CAB_OK)
			st = note_sources(im, &s);
		if (st == CAB_EINPUT && im->conflicts)
			st = CAB_OK; /* go on to list every conflict */
	}
	for (size_t i = 0; i < im->months.n; i++)
		im->months.row[i].import_id = import_of(im, im->months.file[i]);
	if (st == CAB_OK && im->months.n) {
		st = cab_import_months(im->store, &im->months, im->o->replace,
				       &im->res->inserted, &im->res->unchanged,
				       &im->res->replaced, im->err);
	}
	if (st == CAB_OK && im->conflicts) {
		if (im->conflicts > MAX_CONFLICTS)
			cab_err_add(im->err, CAB_EINPUT,
				    _("%s: %zu conflicts in all (the first %d "
				      "are listed)"),
				    im->o->db_path, im->conflicts,
				    MAX_CONFLICTS);
		st = CAB_EINPUT;
	}
	/* Tests prove here that a killed import leaves the store as before. */
	if (st == CAB_OK && im->o->before_commit)
		im->o->before_commit(im->o->before_commit_ctx);
	if (st == CAB_OK)
		st = cab_store_commit(im->store, im->err);
	else
		cab_store_rollback(im->store);
	cab_store_close(im->store);
	im->store = NULL;
	return st;
}

enum cab_status cab_import(const struct cab_import_opts *o,
			   const char *const *files, size_t n_files,
			   struct cab_import_result *res, struct cab_err *err)
{
	struct cab_import_result dummy;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	struct import im = {.o = o, .res = res, .err = err};
	if (o->sum && !o->meter)
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("--sum needs --meter ID (expected the meter "
		      "the sensors form)"));
	im.fmt = cab_format_ops(o->format);
	if (!im.fmt)
		return cab_err_add(err, CAB_EINTERNAL, _("unknown format"));
	if (o->sum && im.fmt->no_sum)
		return cab_err_add(err, CAB_EINPUT, "%s", im.fmt->no_sum);
	if (n_files == 0)
		return cab_err_add(err, CAB_EINPUT,
				   _("no file to import (expected FILE...)"));
	enum cab_status st = cab_qhset_new(&im.qh, err);
	if (st != CAB_OK)
		return st;
	struct cab_ingest ing;
	cab_ingest_init(&ing, im.qh, o);
	ing.months = &im.months;
	char part[512];
	for (size_t i = 0; i < n_files && st == CAB_OK; i++) {
		const char *fm = o->meter;
		if (o->sum) {
			snprintf(part, sizeof part, "%s#%zu", o->meter, i + 1);
			fm = part;
		}
		st = parse_argument(&im, &ing, files[i], fm);
	}
	if (st == CAB_OK)
		st = cab_ingest_finish(&ing, err);
	res->rows = ing.rows;
	cab_ingest_release(&ing);
	if (st == CAB_OK)
		count_intervals(&im);
	if (st == CAB_OK && o->sum)
		st = sum_parts(&im, files, n_files);
	size_t nm = cab_qhset_n_meters(im.qh);
	for (size_t i = 0; i < nm && st == CAB_OK; i++) {
		struct cab_qh_series s;
		cab_qhset_series(im.qh, i, &s);
		st = fill_series(&im, &s);
		res->intervals += s.n;
		for (size_t k = 0; k < s.n; k++) {
			res->missing += s.quality[k] == CAB_Q_MISSING;
			res->filled += s.quality[k] == CAB_Q_FILLED;
			res->estimated += s.quality[k] == CAB_Q_ESTIMATED;
		}
	}
	res->meters = nm;
	res->files = im.n_src;
	res->month_rows = im.months.n;
	if (st == CAB_OK && nm == 0 && im.months.n == 0)
		st = cab_err_add(err, CAB_EINPUT,
				 o->meter ? _("%s: no reading in the files "
					      "(expected at least one row of "
					      "that meter)")
					  : _("%s: no reading in the files "
					      "(expected at least one data "
					      "row)"),
				 files[0]);
	if (st == CAB_OK)
		st = write_store(&im);
	for (size_t i = 0; i < im.n_src; i++) {
		unmap(&im.src[i]);
		free(im.src[i].path);
	}
	free(im.src);
	cab_qhset_free(im.qh);
	cab_opmonth_set_release(&im.months);
	return st;
}
