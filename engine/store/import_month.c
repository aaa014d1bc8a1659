/*
 * import_month.c — the operator's monthly rows (sibelga-month, SPEC §13)
 * merged into the store inside the import's transaction.
 *
 * Why apart from import.c: monthly rows are not quarter-hours; they are
 * kept per EAN, month and register in their own table, and merged a
 * month at a time, since a month's registers go together (TH alone, or
 * HI and LOW). Rules, per EAN and month (docs/store.md):
 * - nothing stored → the file's registers are written;
 * - the same registers with the same amounts (within 0.0000005 kWh and
 *   half a cent) → unchanged, the store keeps its first source;
 * - anything else is a conflict naming both sources, unless --replace:
 *   then the file's registers replace the month's.
 * Two files of one import giving the same EAN, month and register is an
 * error naming both rows (each file is checked alone by its parser).
 *
 * Workload: rows per member, month and register: thousands at most.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/store.h"
#include "engine/base/i18n.h"
#include "engine/store/import_month.h"

#define MAX_CONFLICTS 20

static const char *const value_names[CAB_OPM_COUNT] = {
    N_("shared volume"),    N_("complementary volume"),
    N_("shared injection"), N_("complementary injection"),
    N_("grid fee"),	    N_("network use fee"),
    N_("surcharges"),	    N_("capacity term"),
    N_("metering fee"),	    N_("public-service obligations"),
    N_("Elia transport"),   N_("road fee")};

static const struct cab_opmonth_set *sort_set;

/* EAN, month, register, then the order read. */
static int cmp_index(const void *pa, const void *pb)
{
	size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
	const struct cab_opmonth *a = &sort_set->row[i], *b = &sort_set->row[j];
	int d = strcmp(a->ean, b->ean);
	if (d)
		return d;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if ((d = strcmp(a->reg, b->reg)) != 0)
		return d;
	return i < j ? -1 : i > j;
}

static bool same_value(int v, double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <=
	       (v <= CAB_OPM_COMPLEMENTARY_INJECTION ? 5e-7 : 0.005);
}

/* Index of the first amount that differs between the file's group and
 * the stored rows (same register names required), CAB_OPM_COUNT if none,
 * -1 if the registers differ. */
static int first_difference(const struct cab_opmonth *const *mine, size_t n,
			    const struct cab_opmonth *stored, size_t n_stored,
			    size_t *which)
{
	if (n != n_stored)
		return -1;
	for (size_t k = 0; k < n; k++) {
		/* Both sorted by register name. */
		if (strcmp(mine[k]->reg, stored[k].reg))
			return -1;
		for (int v = 0; v < CAB_OPM_COUNT; v++)
			if (!same_value(v, mine[k]->v[v], stored[k].v[v])) {
				*which = k;
				return v;
			}
	}
	return CAB_OPM_COUNT;
}

static void conflict(struct cab_store *store, const struct cab_opmonth *m,
		     const char *file, const struct cab_opmonth *old, int v,
		     struct cab_err *err)
{
	char from[600];
	cab_store_describe_import(store, old->import_id, from, sizeof from);
	if (v < 0) {
		cab_err_at_line(err, CAB_EINPUT, file, m->row,
				_("meter %s in %04d-%02d: other registers than "
				  "in the store from %s, row %ld (expected the "
				  "same rows; --replace overwrites)"),
				m->ean, m->year, m->month, from, old->row);
		return;
	}
	cab_err_at_line(
	    err, CAB_EINPUT, file, m->row,
	    _("meter %s in %04d-%02d, register %s: %s %.6f here but "
	      "%.6f in the store from %s, row %ld (expected the same "
	      "value; --replace overwrites)"),
	    m->ean, m->year, m->month, m->reg, _(value_names[v]), m->v[v],
	    old->v[v], from, old->row);
}

enum cab_status cab_import_months(struct cab_store *store,
				  const struct cab_opmonth_set *set,
				  bool is_replacing, size_t *inserted,
				  size_t *unchanged, size_t *replaced,
				  struct cab_err *err)
{
	size_t n = set->n, conflicts = 0;
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	const struct cab_opmonth **group = malloc(3 * sizeof *group);
	struct cab_opmonth *rows = malloc(3 * sizeof *rows);
	enum cab_status st = CAB_OK;
	if (!order || !group || !rows) {
		st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_set = set;
	qsort(order, n, sizeof *order, cmp_index);
	sort_set = NULL;
	for (size_t i = 0, j; i < n && st == CAB_OK; i = j) {
		const struct cab_opmonth *m = &set->row[order[i]];
		size_t g = 0;
		for (j = i; j < n; j++) {
			const struct cab_opmonth *x = &set->row[order[j]];
			if (strcmp(x->ean, m->ean) || x->year != m->year ||
			    x->month != m->month)
				break;
			/* Another file of this import has this month: the
			 * same register again, or TH beside HI/LOW. */
			bool is_twice = g && !strcmp(group[g - 1]->reg, x->reg);
			bool is_mixed = g && (!strcmp(x->reg, "TH") !=
					      !strcmp(group[0]->reg, "TH"));
			if (is_twice || is_mixed) {
				size_t o = is_twice ? j - 1 : i;
				st = cab_err_at_line(
				    err, CAB_EINPUT, set->file[order[j]],
				    x->row,
				    is_twice
					? _("meter %s in %04d-%02d: register "
					    "%s is also in %s, row %ld "
					    "(expected each month in one "
					    "file, TH alone or HI and LOW)")
					: _("meter %s in %04d-%02d: register "
					    "%s beside another in %s, row %ld "
					    "(expected each month in one "
					    "file, TH alone or HI and LOW)"),
				    x->ean, x->year, x->month, x->reg,
				    set->file[order[o]],
				    set->row[order[o]].row);
				goto done;
			}
			if (g < 3)
				group[g++] = x;
		}
		struct cab_opmonth stored[3];
		size_t n_stored = 0, which = 0;
		st = cab_store_month_get(store, m->ean, m->year, m->month,
					 stored, &n_stored, err);
		if (st != CAB_OK)
			break;
		int v = n_stored ? first_difference(group, g, stored, n_stored,
						    &which)
				 : CAB_OPM_COUNT;
		if (n_stored && v == CAB_OPM_COUNT) {
			*unchanged += g;
			continue;
		}
		if (n_stored && !is_replacing) {
			if (++conflicts <= MAX_CONFLICTS)
				conflict(
				    store, v < 0 ? group[0] : group[which],
				    set->file[order[i + (v < 0 ? 0 : which)]],
				    v < 0 ? &stored[0] : &stored[which], v,
				    err);
			continue;
		}
		for (size_t k = 0; k < g; k++)
			rows[k] = *group[k];
		st = cab_store_month_replace(store, rows, g, err);
		*(n_stored ? replaced : inserted) += g;
	}
	if (st == CAB_OK && conflicts) {
		if (conflicts > MAX_CONFLICTS)
			cab_err_add(err, CAB_EINPUT,
				    _("%zu conflicts in all (the first %d are "
				      "listed)"),
				    conflicts, MAX_CONFLICTS);
		st = CAB_EINPUT;
	}
done:
	free(order);
	free(group);
	free(rows);
	return st;
}
