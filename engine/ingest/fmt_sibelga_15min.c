/*
 * fmt_sibelga_15min.c — the grid operator's quarter-hour file of a
 * community (`sibelga-15min`, SPEC §13): one row per EAN, quarter-hour
 * and volume type, xlsx or CSV.
 *
 * Why: once a Brussels community is live, Sibelga computes the sharing
 * itself and sends, per month, the volumes it allocated each member in
 * each quarter-hour. They are what the members are billed for, so they
 * arrive exactly: per EAN four series, `EAN.shared_offtake` (Consommation
 * Partagée), `EAN.grid_offtake` (Consommation Réseau),
 * `EAN.shared_injection` (Injection Partagée) and `EAN.grid_injection`
 * (Injection Réseau), which the reconciliation and the operator-sourced
 * bills read back from the store.
 *
 * Rules chosen (docs/operator.md):
 * - Columns are found by name, accents and case free: `Date Début`, `EAN`,
 *   `Type de volume`, `Volume (kWh)`; other columns are ignored.
 * - The EAN is 18 digits, as text (a number cell has lost its last
 *   digits in Excel: refused); `="…"` as Excel writes text in a CSV is
 *   accepted. Volumes are ≥ 0, with a decimal comma or point.
 * - `Date Début` is the local (Brussels) start of the quarter-hour: a
 *   date cell, or text as optable.c reads it; with an offset it is exact.
 *   Rows come in any order the operator sorts them: consecutive rows of
 *   one local time are one instant; on the autumn day the repeated hour
 *   is summer time until the file's clock goes back (a local time seen
 *   again after a later one), a (EAN, type) seen twice in a run of a
 *   repeated time takes the winter occurrence, and a jump back of more
 *   than an hour (a file sorted by EAN or by type) restarts the clock.
 * - The operator leaves out zero rows: for an EAN present in the file,
 *   a quarter-hour and type without a row is 0, from the file's first
 *   local day to its last. The file covers whole calendar months (the
 *   operator sends one per month): a month with a day without any row
 *   (29 of 30 days, a truncated export) is refused, naming the day.
 * - A quarter-hour given twice for one EAN and type is refused with both
 *   rows; so is one given by two files of one import (the set's rule).
 *
 * Workload: a month of a 30-member community is ~100,000 rows, kept as
 * small records, sorted once (n log n), then each series put in time
 * order.
 */
#include "engine/ingest/formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/opfile.h"
#include "cabine/time.h"
#include "engine/base/nameidx.h"
#include "engine/ingest/optable.h"

enum { COL_DATE, COL_EAN, COL_TYPE, COL_VOLUME, N_COLS };

/* Accepted header names, folded (optable.h). */
static const char *const col_names[N_COLS][6] = {
    {"date debut", "date de debut", "debut", "begindatum", "datum begin", NULL},
    {"ean", "code ean", "ean code", "ean-code", NULL},
    {"type de volume", "type volume", "volumetype", "type", NULL},
    {"volume", "volume kwh", NULL},
};
static const char *const col_shown[N_COLS] = {"Date Début", "EAN",
					      "Type de volume", "Volume (kWh)"};
#define EXPECT_HEADER                                                          \
	"expected the operator's columns Date Début, EAN, Type de volume, "   \
	"Volume (kWh)"
#define EXPECT_TYPE                                                            \
	"expected Consommation Partagée, Consommation Réseau, Injection "    \
	"Partagée or Injection Réseau"

/* Volume types by folded name, in enum cab_opvol order. */
static const char *const type_names[CAB_OPVOL_COUNT][4] = {
    {"consommation partagee", "shared offtake", "gedeelde afname", NULL},
    {"consommation reseau", "grid offtake", "afname net", NULL},
    {"injection partagee", "shared injection", "gedeelde injectie", NULL},
    {"injection reseau", "grid injection", "injectie net", NULL},
};
static const char *const suffixes[CAB_OPVOL_COUNT] = {
    ".shared_offtake", ".grid_offtake", ".shared_injection", ".grid_injection"};
static const char *const labels[CAB_OPVOL_COUNT] = {
    "Consommation Partagée", "Consommation Réseau", "Injection Partagée",
    "Injection Réseau"};

const char *cab_opvol_suffix(enum cab_opvol v)
{
	return (unsigned)v < CAB_OPVOL_COUNT ? suffixes[v] : NULL;
}

const char *cab_opvol_label(enum cab_opvol v)
{
	return (unsigned)v < CAB_OPVOL_COUNT ? labels[v] : NULL;
}

/* One row kept until the file is read. */
struct rec {
	int64_t t_s; /* UTC start */
	double kwh;
	uint32_t row;	/* spreadsheet row */
	uint32_t ean;	/* index in eans */
	uint8_t type;	/* enum cab_opvol */
	uint8_t is_dst; /* the repeated autumn hour: say which occurrence */
};

struct ean {
	char code[19];			    /* 18 digits */
	uint32_t first_row;		    /* its first row */
	uint32_t stamp[CAB_OPVOL_COUNT][2]; /* run that took (type, occ) */
};

struct qh15 {
	struct cab_ingest *ing;
	const char *name;
	struct cab_err *err;
	size_t col[N_COLS];
	struct ean *eans;
	size_t n_eans, cap_eans;
	struct cab_name_index idx;
	struct rec *recs;
	size_t n_recs, cap_recs;
	struct cab_local_clock clock;
	bool has_run;
	int64_t run_wall, run_utc;
	uint32_t run_id; /* counts runs from 1, for ean.stamp */
	bool is_1904;
};

/* "name:row: message" as bad input. */
#define FAIL(q, row, ...)                                                      \
	cab_err_at_line((q)->err, CAB_EINPUT, (q)->name, (row), __VA_ARGS__)

static const char *ean_name(const void *ctx, size_t i)
{
	return ((const struct qh15 *)ctx)->eans[i].code;
}

/* The EAN of a cell into code (19 bytes); NULL or what is wrong. */
static const char *read_ean(const struct cab_cell *c, char code[19])
{
	const char *s;
	size_t n;
	const char *what = cab_optable_code(c, &s, &n);
	if (what)
		return what;
	if (n != 18 || strspn(s, "0123456789") < 18)
		return "is not an EAN code (expected 18 digits, e.g. "
		       "541449200000000011)";
	memcpy(code, s, 18);
	code[18] = '\0';
	return NULL;
}

static enum cab_status find_ean(struct qh15 *q, const char code[19], long row,
				uint32_t *out)
{
	size_t i = cab_name_index_find(&q->idx, code, ean_name, q);
	if (i != (size_t)-1) {
		*out = (uint32_t)i;
		return CAB_OK;
	}
	if (q->n_eans == q->cap_eans) {
		size_t cap = q->cap_eans ? 2 * q->cap_eans : 16;
		struct ean *t = realloc(q->eans, cap * sizeof *t);
		if (!t)
			return cab_err_add(q->err, CAB_ENOMEM, "out of memory");
		q->eans = t;
		q->cap_eans = cap;
	}
	struct ean *e = &q->eans[q->n_eans];
	memset(e, 0, sizeof *e);
	memcpy(e->code, code, 19);
	e->first_row = (uint32_t)row;
	if (!cab_name_index_add(&q->idx, ++q->n_eans, ean_name, q))
		return cab_err_add(q->err, CAB_ENOMEM, "out of memory");
	*out = (uint32_t)(q->n_eans - 1);
	return CAB_OK;
}

static int find_type(const char *text)
{
	char f[CAB_OPTABLE_TEXT];
	cab_optable_fold(text ? text : "", f, sizeof f);
	for (int t = 0; t < CAB_OPVOL_COUNT; t++)
		for (int k = 0; type_names[t][k]; k++)
			if (!strcmp(f, type_names[t][k]))
				return t;
	return -1;
}

static enum cab_status read_header(struct qh15 *q,
				   const struct cab_sheet_row *h)
{
	return cab_optable_header(q->name, h, col_names, col_shown, N_COLS,
				  N_COLS, "the operator's quarter-hour file",
				  EXPECT_HEADER, q->col, q->err);
}

/* The UTC instant of a row's local wall time (seconds "as if UTC"):
 * runs of one wall time resolved once; which occurrence of a repeated
 * time (ean, type) takes in the run. */
static enum cab_status place(struct qh15 *q, int64_t wall, struct ean *e,
			     int type, long row, const char *shown, int64_t *t,
			     bool *is_dst)
{
	const char *what = NULL;
	if (!q->has_run || wall != q->run_wall) {
		if (q->has_run && wall < q->run_wall - 3600)
			memset(&q->clock, 0, sizeof q->clock);
		if (cab_time_local_in_order(&q->clock, wall, &q->run_utc,
					    &what) != CAB_OK)
			return FAIL(q, row, "date '%s': %s", shown, what);
		q->run_wall = wall;
		q->has_run = true;
		q->run_id++;
	}
	int64_t cand[2];
	int n = cab_time_local_candidates(wall, cand);
	int occ = n == 2 && q->run_utc == cand[1];
	if (n == 2 && occ == 0 && e->stamp[type][0] == q->run_id)
		occ = 1;
	e->stamp[type][occ] = q->run_id;
	*t = n == 2 ? cand[occ] : q->run_utc;
	*is_dst = n == 2;
	return CAB_OK;
}

static enum cab_status read_row(struct qh15 *q, const struct cab_sheet_row *r)
{
	long row = (long)r->number;
	const struct cab_cell empty = {.type = CAB_CELL_EMPTY};
	const struct cab_cell *c[N_COLS];
	for (int k = 0; k < N_COLS; k++)
		c[k] = q->col[k] < r->n_cells ? &r->cell[q->col[k]] : &empty;
	char shown[CAB_OPTABLE_TEXT], code[19];
	const char *what = read_ean(c[COL_EAN], code);
	if (what)
		return FAIL(q, row, "EAN '%s' %s",
			    cab_optable_show(c[COL_EAN]->text, shown), what);
	int type = find_type(c[COL_TYPE]->text);
	if (type < 0)
		return FAIL(q, row,
			    "unknown volume type '%s' (" EXPECT_TYPE ")",
			    cab_optable_show(c[COL_TYPE]->text, shown));
	double kwh;
	if ((what = cab_optable_number(c[COL_VOLUME], &kwh)) != NULL)
		return FAIL(q, row, "volume '%s' %s",
			    cab_optable_show(c[COL_VOLUME]->text, shown), what);
	if (kwh < 0)
		return FAIL(q, row,
			    "volume '%s' is negative (expected an energy of 0 "
			    "kWh or more)",
			    cab_optable_show(c[COL_VOLUME]->text, shown));
	if (kwh > 1e6)
		return FAIL(q, row,
			    "volume '%s' is above 1,000,000 kWh in a "
			    "quarter-hour (expected kWh, not Wh)",
			    cab_optable_show(c[COL_VOLUME]->text, shown));
	struct cab_optable_when w;
	cab_optable_show(c[COL_DATE]->text, shown);
	if ((what = cab_optable_when(c[COL_DATE], q->is_1904, &w)) != NULL)
		return FAIL(q, row, "date '%s' %s", shown, what);
	if (!w.day || !w.has_time || w.second || w.minute % 15)
		return FAIL(q, row,
			    "date '%s' is not the start of a quarter-hour "
			    "(expected a date and time like 27/10/2024 02:15)",
			    shown);
	uint32_t ei = 0;
	enum cab_status st = find_ean(q, code, row, &ei);
	if (st != CAB_OK)
		return st;
	int64_t t = 0;
	bool is_dst = false;
	if (w.has_zone) {
		t = w.utc_s;
		if (t % CAB_INTERVAL_S)
			return FAIL(q, row,
				    "date '%s' is not the start of a "
				    "quarter-hour (expected minutes 00, 15, 30 "
				    "or 45)",
				    shown);
	} else {
		int64_t wall =
		    cab_time_days_from_civil(w.year, w.month, w.day) * 86400 +
		    w.hour * 3600 + w.minute * 60;
		st =
		    place(q, wall, &q->eans[ei], type, row, shown, &t, &is_dst);
		if (st != CAB_OK)
			return st;
	}
	if (q->n_recs == q->cap_recs) {
		size_t cap = q->cap_recs ? 2 * q->cap_recs : 4096;
		struct rec *x = realloc(q->recs, cap * sizeof *x);
		if (!x)
			return cab_err_add(q->err, CAB_ENOMEM, "out of memory");
		q->recs = x;
		q->cap_recs = cap;
	}
	q->recs[q->n_recs++] =
	    (struct rec){t, kwh, (uint32_t)row, ei, (uint8_t)type, is_dst};
	q->ing->rows++;
	return CAB_OK;
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;
	if (a->ean != b->ean)
		return a->ean < b->ean ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->t_s != b->t_s)
		return a->t_s < b->t_s ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* "27/10/2024 02:15" of UTC instant t, with the offset on the autumn
 * day's repeated hour ("(UTC+2)"). */
static void local_text(int64_t t, bool is_dst, char *buf, size_t size)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	snprintf(buf, size, "%02d/%02d/%04d %02d:%02d%s", c.day, c.month,
		 c.year, c.hour, c.minute,
		 !is_dst	      ? ""
		 : c.offset_s == 7200 ? " (summer time)"
				      : " (winter time)");
}

/* Every local day of every month the file touches has a row. */
static enum cab_status check_months(struct qh15 *q, int64_t day0, int64_t day1,
				    const uint8_t *has_day)
{
	int y, m, d, y1, m1, d1;
	cab_time_civil_from_days(day0, &y, &m, &d);
	cab_time_civil_from_days(day1, &y1, &m1, &d1);
	int64_t first = cab_time_days_from_civil(y, m, 1);
	int64_t last = cab_time_days_from_civil(y1, m1, 1) +
		       cab_time_days_in_month(y1, m1) - 1;
	for (int64_t ms = first; ms <= last;) {
		int my, mm, md;
		cab_time_civil_from_days(ms, &my, &mm, &md);
		int n = cab_time_days_in_month(my, mm), have = 0;
		int64_t missing = -1;
		for (int64_t k = ms; k < ms + n; k++) {
			bool ok = k >= day0 && k <= day1 && has_day[k - day0];
			have += ok;
			if (!ok && missing < 0)
				missing = k;
		}
		if (have < n) {
			/* Name the row nearest the gap: the earliest one
			 * after it, else the latest one before it. */
			int gy, gm, gd;
			cab_time_civil_from_days(missing, &gy, &gm, &gd);
			int64_t gap_s = cab_time_local_midnight(gy, gm, gd);
			long at = 0;
			int64_t best = 0;
			for (size_t i = 0; i < q->n_recs; i++) {
				int64_t dt = q->recs[i].t_s - gap_s;
				bool after = dt > 0;
				int64_t key =
				    after ? dt : -dt + ((int64_t)1 << 40);
				if (at == 0 || key < best) {
					best = key;
					at = q->recs[i].row;
				}
			}
			return FAIL(
			    q, at,
			    "the quarter-hours of %04d-%02d cover %d of "
			    "its %d days (none on %02d/%02d/%04d; "
			    "expected the operator's whole month)",
			    my, mm, have, n, gd, gm, gy);
		}
		ms += n;
	}
	return CAB_OK;
}

/* Put each EAN's four series, zeros where the file has no row, over the
 * file's whole local days. */
static enum cab_status flush(struct qh15 *q)
{
	if (q->n_recs == 0)
		return CAB_OK;
	qsort(q->recs, q->n_recs, sizeof *q->recs, cmp_rec);
	int64_t t_min = INT64_MAX, t_max = INT64_MIN;
	for (size_t i = 0; i < q->n_recs; i++) {
		const struct rec *r = &q->recs[i];
		if (r->t_s < t_min)
			t_min = r->t_s;
		if (r->t_s > t_max)
			t_max = r->t_s;
		if (i == 0 || r[-1].ean != r->ean || r[-1].type != r->type ||
		    r[-1].t_s != r->t_s)
			continue;
		char when[48];
		local_text(r->t_s, r->is_dst, when, sizeof when);
		return FAIL(q, r->row,
			    "EAN %s: %s at %s appears twice (first at %s:%u; "
			    "expected one row per EAN, type and quarter-hour)",
			    q->eans[r->ean].code, labels[r->type], when,
			    q->name, (unsigned)r[-1].row);
	}
	struct cab_civil c0, c1;
	cab_time_to_local(t_min, &c0);
	cab_time_to_local(t_max, &c1);
	int64_t day0 = cab_time_days_from_civil(c0.year, c0.month, c0.day);
	int64_t day1 = cab_time_days_from_civil(c1.year, c1.month, c1.day);
	uint8_t *has_day = calloc((size_t)(day1 - day0 + 1), 1);
	if (!has_day)
		return cab_err_add(q->err, CAB_ENOMEM, "out of memory");
	for (size_t i = 0; i < q->n_recs; i++) {
		struct cab_civil c;
		cab_time_to_local(q->recs[i].t_s, &c);
		has_day[cab_time_days_from_civil(c.year, c.month, c.day) -
			day0] = 1;
	}
	enum cab_status st = check_months(q, day0, day1, has_day);
	free(has_day);
	if (st != CAB_OK)
		return st;
	int y, m, d;
	cab_time_civil_from_days(day0, &y, &m, &d);
	int64_t from = cab_time_local_midnight(y, m, d);
	cab_time_civil_from_days(day1 + 1, &y, &m, &d);
	int64_t to = cab_time_local_midnight(y, m, d);
	char meter[64];
	size_t i = 0;
	for (size_t e = 0; e < q->n_eans && st == CAB_OK; e++) {
		for (int ty = 0; ty < CAB_OPVOL_COUNT && st == CAB_OK; ty++) {
			snprintf(meter, sizeof meter, "%s%s", q->eans[e].code,
				 suffixes[ty]);
			for (int64_t t = from; t < to && st == CAB_OK;
			     t += CAB_INTERVAL_S) {
				const struct rec *r = NULL;
				if (i < q->n_recs && q->recs[i].ean == e &&
				    q->recs[i].type == ty &&
				    q->recs[i].t_s == t)
					r = &q->recs[i++];
				st = cab_qhset_put(
				    q->ing->qh, meter, t, r ? r->kwh : 0,
				    CAB_Q_READ, CAB_QH_SET, q->name,
				    r ? (long)r->row
				      : (long)q->eans[e].first_row,
				    q->err);
			}
		}
	}
	return st;
}

static enum cab_status parse_15min(struct cab_ingest *ing, const char *name,
				   const char *buf, size_t len,
				   struct cab_err *err)
{
	struct qh15 q = {.ing = ing, .name = name, .err = err};
	struct cab_sheet *sh = NULL;
	enum cab_status st = cab_optable_read(name, buf, len, &sh, err);
	if (st != CAB_OK)
		return st;
	q.is_1904 = sh->is_1904;
	size_t head = cab_optable_header_row(sh, col_names, N_COLS);
	if (sh->n_rows == 0) {
		st = cab_err_at_line(err, CAB_EINPUT, name, 1,
				     "empty file (" EXPECT_HEADER ")");
		goto done;
	}
	st = read_header(&q, &sh->row[head]);
	for (size_t r = head + 1; r < sh->n_rows && st == CAB_OK; r++)
		st = read_row(&q, &sh->row[r]);
	if (st == CAB_OK && q.n_recs == 0)
		st = cab_err_at_line(err, CAB_EINPUT, name,
				     (long)sh->row[head].number,
				     "no row under the header (expected the "
				     "operator's quarter-hours)");
	if (st == CAB_OK)
		st = flush(&q);
done:
	cab_sheet_free(sh);
	cab_name_index_release(&q.idx);
	free(q.eans);
	free(q.recs);
	return st;
}

/* The operator's column names in the first bytes, or a workbook (which
 * the monthly format's sniffer also claims: the parse tells). */
static enum cab_sniff sniff_15min(const unsigned char *raw, size_t len,
				  const char *head)
{
	return strstr(head, "Type de volume") || strstr(head, "type de volume")
		   ? CAB_SNIFF_SIGNATURE
		   : CAB_SNIFF_NO;
}

const struct cab_format_ops cab_format_sibelga_15min = {
    .name = "sibelga-15min",
    .summary = "the grid operator's quarter-hour file of a community (xlsx "
	       "or CSV): EAN.shared_offtake, EAN.grid_offtake, "
	       "EAN.shared_injection, EAN.grid_injection",
    .parse = parse_15min,
    .sniff = sniff_15min,
    .no_sum = "--sum: the operator's file holds every member's volumes, not "
	      "phases to add (expected sibelga-15min without --sum)",
};
