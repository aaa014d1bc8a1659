/*
 * operator.c — the grid operator's data of a scenario's participants,
 * from the store its files were imported into (cabine/operator.h).
 *
 * Why in the scenario stage: like the scenario's readings (source.c), it
 * is data the scenario names (by its participants' `ean`) over its
 * period; the sharing, billing and analysis stages read the plain arrays
 * this returns and never the store.
 *
 * The EAN check: an EAN with quarter-hours or monthly rows in the
 * period that no participant has is a member the facilitator forgot or
 * whose `ean` has a typo. The import cannot tell (it knows no
 * scenario), so it is said here, once per EAN, with the file and row
 * its data came from (the store keeps a meter's first row per file).
 *
 * Workload: four series of the period per participant with an ean, one
 * query per volume type for the EANs, one for the months.
 */
#include "cabine/operator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/store.h"
#include "cabine/time.h"
#include "engine/base/i18n.h"

#define MAX_FOREIGN 20

void cab_operator_series_name(const char *ean, enum cab_opvol v, char *buf,
			      size_t size)
{
	const char *suffix = cab_opvol_suffix(v);
	snprintf(buf, size, "%s%s", ean, suffix ? suffix : "");
}

static long find_ean(const struct cab_scenario *sc, const char *ean)
{
	for (size_t i = 0; i < sc->n_participants; i++)
		if (sc->participants[i].ean &&
		    !strcmp(sc->participants[i].ean, ean))
			return (long)i;
	return -1;
}

/* The EAN check, over the quarter-hour series. */
struct foreign {
	const struct cab_scenario *sc;
	struct cab_store *store;
	struct cab_err *err;
	const char *suffix;
	char seen[MAX_FOREIGN][40]; /* EANs already reported */
	size_t n_seen, n_more;
	enum cab_status st;
};

static int on_meter(void *ctx, const char *name)
{
	struct foreign *f = ctx;
	size_t n = strlen(name) - strlen(f->suffix);
	char ean[40];
	if (n >= sizeof ean)
		n = sizeof ean - 1;
	memcpy(ean, name, n);
	ean[n] = '\0';
	if (find_ean(f->sc, ean) >= 0)
		return 0;
	for (size_t k = 0; k < f->n_seen; k++)
		if (!strcmp(f->seen[k], ean))
			return 0;
	if (f->n_seen == MAX_FOREIGN) {
		f->n_more++;
		return 0;
	}
	snprintf(f->seen[f->n_seen++], sizeof f->seen[0], "%s", ean);
	char file[4096];
	long row = 0;
	const struct cab_scenario *sc = f->sc;
	int64_t t1 = sc->t0_s + (int64_t)sc->n_intervals * CAB_INTERVAL_S;
	if (cab_store_source(f->store, name, sc->t0_s, t1, file, sizeof file,
			     &row, f->err) != CAB_OK) {
		f->st = CAB_EIO;
		return 1;
	}
	if (!file[0])
		snprintf(file, sizeof file, "%s", "?");
	cab_err_at_line(f->err, CAB_EINPUT, file, row,
			_("EAN %s is not the 'ean' of a participant of %s "
			  "(expected every EAN of the operator's file in the "
			  "scenario's participants)"),
			ean, sc->path);
	f->st = CAB_EINPUT;
	return 0;
}

/* The months [y0-m0, y1-m1) the period touches. */
static void period_months(const struct cab_scenario *sc, int *y0, int *m0,
			  int *y1, int *m1)
{
	*y0 = sc->start_y;
	*m0 = sc->start_m;
	int64_t last =
	    cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d) - 1;
	int y, m, d;
	cab_time_civil_from_days(last, &y, &m, &d);
	*y1 = m == 12 ? y + 1 : y;
	*m1 = m == 12 ? 1 : m + 1;
}

static enum cab_status check_eans(const struct cab_scenario *sc,
				  struct cab_store *store,
				  struct cab_opmonth *rows, size_t n_rows,
				  struct cab_err *err)
{
	struct foreign f = {.sc = sc, .store = store, .err = err};
	int64_t t1 = sc->t0_s + (int64_t)sc->n_intervals * CAB_INTERVAL_S;
	enum cab_status st = CAB_OK;
	for (int v = 0; v < CAB_OPVOL_COUNT && st == CAB_OK; v++) {
		f.suffix = cab_opvol_suffix((enum cab_opvol)v);
		st = cab_store_meters_ending(store, f.suffix, sc->t0_s, t1,
					     on_meter, &f, err);
		if (st == CAB_OK && f.st == CAB_EIO)
			st = CAB_EIO;
	}
	for (size_t i = 0; i < n_rows && st == CAB_OK; i++) {
		if (find_ean(sc, rows[i].ean) >= 0)
			continue;
		bool is_seen = false;
		for (size_t k = 0; k < f.n_seen && !is_seen; k++)
			is_seen = !strcmp(f.seen[k], rows[i].ean);
		if (is_seen)
			continue;
		if (f.n_seen == MAX_FOREIGN) {
			f.n_more++;
			continue;
		}
		snprintf(f.seen[f.n_seen++], sizeof f.seen[0], "%s",
			 rows[i].ean);
		char file[4096];
		cab_store_import_file(store, rows[i].import_id, file,
				      sizeof file);
		cab_err_at_line(err, CAB_EINPUT, file, rows[i].row,
				_("meter %s is not the 'ean' of a participant "
				  "of %s (expected every meter of the "
				  "operator's file in the scenario's "
				  "participants)"),
				rows[i].ean, sc->path);
		f.st = CAB_EINPUT;
	}
	if (st == CAB_OK && f.n_more)
		cab_err_add(err, CAB_EINPUT,
			    P_("… and %zu more problem",
			       "… and %zu more problems", f.n_more),
			    f.n_more);
	return st == CAB_OK ? f.st : st;
}

void cab_operator_free(struct cab_operator *op)
{
	if (!op)
		return;
	for (size_t i = 0; op->p && i < op->n; i++)
		for (int v = 0; v < CAB_OPVOL_COUNT; v++)
			free(op->p[i].kwh[v]);
	free(op->p);
	for (size_t k = 0; op->month_file && k < op->n_months; k++)
		free(op->month_file[k]);
	free(op->month_file);
	free(op->month_of);
	free(op->months);
	free(op);
}

/* Participant i's four series from the store. */
static enum cab_status read_member(const struct cab_scenario *sc,
				   struct cab_store *store, size_t i,
				   struct cab_operator_member *m,
				   struct cab_err *err)
{
	size_t n = sc->n_intervals;
	char name[64];
	for (int v = 0; v < CAB_OPVOL_COUNT; v++) {
		double *kwh = malloc((n ? n : 1) * sizeof *kwh);
		if (!kwh)
			return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		m->kwh[v] = kwh;
		bool found = false;
		cab_operator_series_name(sc->participants[i].ean,
					 (enum cab_opvol)v, name, sizeof name);
		enum cab_status st = cab_store_read(store, name, sc->t0_s, n,
						    kwh, NULL, &found, err);
		if (st != CAB_OK)
			return st;
		m->has_data |= found;
	}
	m->first_nonzero = n;
	for (size_t t = 0; t < n; t++) {
		bool is_valid = true, is_nonzero = false;
		for (int v = 0; v < CAB_OPVOL_COUNT; v++) {
			is_valid &= !isnan(m->kwh[v][t]);
			is_nonzero |= m->kwh[v][t] > 0;
		}
		m->n_valid += is_valid;
		if (is_nonzero && m->first_nonzero == n)
			m->first_nonzero = t;
	}
	if (!m->has_data)
		for (int v = 0; v < CAB_OPVOL_COUNT; v++) {
			free(m->kwh[v]);
			m->kwh[v] = NULL;
		}
	return CAB_OK;
}

/* Keep the rows of participants' eans, with their file names. */
static enum cab_status keep_months(struct cab_operator *op,
				   struct cab_store *store,
				   struct cab_opmonth *rows, size_t n,
				   struct cab_err *err)
{
	op->months = rows;
	op->n_months = n;
	op->month_of = calloc(n ? n : 1, sizeof *op->month_of);
	op->month_file = calloc(n ? n : 1, sizeof *op->month_file);
	if (!op->month_of || !op->month_file)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	char file[4096];
	for (size_t k = 0; k < n; k++) {
		op->month_of[k] = find_ean(op->sc, rows[k].ean);
		cab_store_import_file(store, rows[k].import_id, file,
				      sizeof file);
		if (!(op->month_file[k] = strdup(file)))
			return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	return CAB_OK;
}

enum cab_status cab_operator_load(const struct cab_scenario *sc,
				  const char *db_path,
				  struct cab_operator **out,
				  struct cab_err *err)
{
	*out = NULL;
	struct cab_store *store = NULL;
	struct cab_opmonth *rows = NULL;
	size_t n_rows = 0;
	struct cab_operator *op = calloc(1, sizeof *op);
	enum cab_status st = CAB_ENOMEM;
	if (!op || !(op->p = calloc(sc->n_participants + 1, sizeof *op->p)))
		goto done;
	op->sc = sc;
	op->n = sc->n_participants;
	st = cab_store_open(db_path, false, &store, err);
	int y0, m0, y1, m1;
	period_months(sc, &y0, &m0, &y1, &m1);
	if (st == CAB_OK)
		st = cab_store_months(store, y0, m0, y1, m1, &rows, &n_rows,
				      err);
	if (st == CAB_OK)
		st = check_eans(sc, store, rows, n_rows, err);
	for (size_t i = 0; i < op->n && st == CAB_OK; i++) {
		if (!sc->participants[i].ean)
			continue;
		st = read_member(sc, store, i, &op->p[i], err);
		op->has_15min |= op->p[i].has_data;
	}
	if (st == CAB_OK) {
		st = keep_months(op, store, rows, n_rows, err);
		rows = NULL;
	}
done:
	if (st == CAB_ENOMEM && !op)
		cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	free(rows);
	cab_store_close(store);
	if (st != CAB_OK)
		cab_operator_free(op);
	else
		*out = op;
	return st;
}

enum cab_status cab_operator_check_eans(const struct cab_scenario *sc,
					const char *db_path,
					struct cab_err *err)
{
	struct cab_store *store = NULL;
	struct cab_opmonth *rows = NULL;
	size_t n_rows = 0;
	int y0, m0, y1, m1;
	period_months(sc, &y0, &m0, &y1, &m1);
	enum cab_status st = cab_store_open(db_path, false, &store, err);
	if (st == CAB_OK)
		st = cab_store_months(store, y0, m0, y1, m1, &rows, &n_rows,
				      err);
	if (st == CAB_OK)
		st = check_eans(sc, store, rows, n_rows, err);
	free(rows);
	cab_store_close(store);
	return st;
}
