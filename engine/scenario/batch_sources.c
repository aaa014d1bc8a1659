/*
 * batch_sources.c — the readings of a batch, each distinct readings file
 * or store read once and shared by every run that uses it (SPEC §16).
 *
 * Why: a sweep of a thousand runs over one community reads one year of
 * quarter-hours a thousand times if each run loads its own (0.2 s of
 * parsing each, more than the sharing and billing); loaded once in the
 * batch's parent before the workers are forked, the series are shared
 * copy-on-write by every worker and never copied.
 *
 * A source is a file or store over one period (and, for power samples,
 * one min_coverage); it is read for the union of the meters its runs
 * name, through the scenario stage's own loader (cab_source_load, given a
 * scenario that names those meters). A run with pv_scale ≠ 1 reads a copy
 * of its source whose production series (the meters named "production"
 * by its runs) are multiplied by the scale, made by the worker that
 * needs it and kept until it needs another (the batch hands runs out
 * grouped by source and scale, so a worker makes one copy per scale).
 *
 * Memory: the series of each distinct source in the parent, shared by the
 * workers; one scaled copy per worker at a time; nothing per run but an
 * index. A sweep of 25 PV scales costs no more memory than one of 2.
 *
 * Ownership: the object owns every readings it loads; cab_batch_sources_get
 * lends them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/scenario.h"
#include "cabine/source.h"
#include "engine/base/i18n.h"
#include "engine/base/nameidx.h"

/* A distinct file or store over one period. */
struct base {
	char *readings_path, *db_path; /* one of them, owned */
	int64_t t0_s;
	size_t n_intervals;
	double min_coverage;
	char **meters;	     /* every meter its runs name, owned */
	bool *is_production; /* meters[i] is some run's production meter */
	size_t n_meters, cap;
	struct cab_name_index index; /* over meters */
	struct cab_readings *rd;     /* loaded, or NULL */
	struct cab_err err;	     /* why it could not be loaded */
};

/* What a run reads: a base, scaled or not. */
struct entry {
	size_t base;
	double pv_scale;
	struct cab_readings *rd; /* scaled copy (pv_scale ≠ 1), or NULL */
	struct cab_err err;	 /* why the copy could not be made */
};

struct cab_batch_sources {
	struct base *bases;
	size_t n_bases, cap_bases;
	struct entry *entries;
	size_t n_entries, cap_entries;
};

static const char *meter_of(const void *ctx, size_t i)
{
	return ((const struct base *)ctx)->meters[i];
}

enum cab_status cab_batch_sources_new(struct cab_batch_sources **out,
				      struct cab_err *err)
{
	*out = calloc(1, sizeof **out);
	return *out ? CAB_OK : cab_err_add(err, CAB_ENOMEM, _("out of memory"));
}

void cab_batch_sources_free(struct cab_batch_sources *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_bases; i++) {
		struct base *b = &s->bases[i];
		free(b->readings_path);
		free(b->db_path);
		for (size_t m = 0; m < b->n_meters; m++)
			free(b->meters[m]);
		free(b->meters);
		free(b->is_production);
		cab_name_index_release(&b->index);
		cab_readings_free(b->rd);
		cab_err_release(&b->err);
	}
	for (size_t i = 0; i < s->n_entries; i++) {
		cab_readings_free(s->entries[i].rd);
		cab_err_release(&s->entries[i].err);
	}
	free(s->bases);
	free(s->entries);
	free(s);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Note meter m of base b (as a production meter when is_production). */
static bool note_meter(struct base *b, const char *m, bool is_production)
{
	if (!m)
		return true;
	size_t at = cab_name_index_find(&b->index, m, meter_of, b);
	if (at != (size_t)-1) {
		b->is_production[at] |= is_production;
		return true;
	}
	if (b->n_meters == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		char **mm = realloc(b->meters, cap * sizeof *mm);
		if (mm)
			b->meters = mm;
		bool *pp =
		    mm ? realloc(b->is_production, cap * sizeof *pp) : NULL;
		if (!pp)
			return false;
		b->is_production = pp;
		b->cap = cap;
	}
	if (!(b->meters[b->n_meters] = strdup(m)))
		return false;
	b->is_production[b->n_meters++] = is_production;
	return cab_name_index_add(&b->index, b->n_meters, meter_of, b);
}

/* The base of sc's readings, added if new; (size_t)-1 when out of
 * memory. */
static size_t find_base(struct cab_batch_sources *s,
			const struct cab_scenario *sc)
{
	for (size_t i = 0; i < s->n_bases; i++) {
		const struct base *b = &s->bases[i];
		if (same(b->readings_path, sc->readings_path) &&
		    same(b->db_path, sc->db_path) && b->t0_s == sc->t0_s &&
		    b->n_intervals == sc->n_intervals &&
		    b->min_coverage == sc->min_coverage)
			return i;
	}
	if (s->n_bases == s->cap_bases) {
		size_t cap = s->cap_bases ? 2 * s->cap_bases : 4;
		struct base *nb = realloc(s->bases, cap * sizeof *nb);
		if (!nb)
			return (size_t)-1;
		s->bases = nb;
		s->cap_bases = cap;
	}
	struct base *b = &s->bases[s->n_bases];
	*b = (struct base){.t0_s = sc->t0_s,
			   .n_intervals = sc->n_intervals,
			   .min_coverage = sc->min_coverage};
	cab_err_init(&b->err);
	if ((sc->readings_path &&
	     !(b->readings_path = strdup(sc->readings_path))) ||
	    (sc->db_path && !(b->db_path = strdup(sc->db_path)))) {
		free(b->readings_path);
		return (size_t)-1;
	}
	return s->n_bases++;
}

enum cab_status cab_batch_sources_add(struct cab_batch_sources *s,
				      const struct cab_scenario *sc,
				      double pv_scale, size_t *idx,
				      struct cab_err *err)
{
	size_t bi = find_base(s, sc);
	bool ok = bi != (size_t)-1;
	struct base *b = ok ? &s->bases[bi] : NULL;
	for (size_t i = 0; ok && i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		ok = note_meter(b, p->meter_consumption, false) &&
		     note_meter(b, p->meter_production, pv_scale != 1) &&
		     note_meter(b, p->meter_offtake, false) &&
		     note_meter(b, p->meter_injection, false);
	}
	for (size_t c = 0; ok && c < sc->n_cabins; c++)
		ok = note_meter(b, sc->cabins[c].meter, false);
	if (!ok)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t e = 0; e < s->n_entries; e++)
		if (s->entries[e].base == bi &&
		    s->entries[e].pv_scale == pv_scale) {
			*idx = e;
			return CAB_OK;
		}
	if (s->n_entries == s->cap_entries) {
		size_t cap = s->cap_entries ? 2 * s->cap_entries : 8;
		struct entry *ne = realloc(s->entries, cap * sizeof *ne);
		if (!ne)
			return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		s->entries = ne;
		s->cap_entries = cap;
	}
	struct entry *e = &s->entries[s->n_entries];
	*e = (struct entry){.base = bi, .pv_scale = pv_scale};
	cab_err_init(&e->err);
	*idx = s->n_entries++;
	return CAB_OK;
}

/* Load base b through the scenario loader's source: a scenario naming
 * every meter of b, each as a participant's consumption. */
static enum cab_status load_base(struct base *b)
{
	struct cab_participant *p =
	    calloc(b->n_meters ? b->n_meters : 1, sizeof *p);
	if (!p)
		return cab_err_add(&b->err, CAB_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < b->n_meters; i++)
		p[i].meter_consumption = b->meters[i];
	struct cab_scenario u = {.readings_path = b->readings_path,
				 .db_path = b->db_path,
				 .t0_s = b->t0_s,
				 .n_intervals = b->n_intervals,
				 .min_coverage = b->min_coverage,
				 .n_participants = b->n_meters,
				 .participants = p};
	enum cab_status st = cab_source_load(&u, &b->rd, &b->err);
	free(p);
	return st;
}

/* The copy of base b with its production meters times e->pv_scale. */
static enum cab_status scale_base(const struct base *b, struct entry *e)
{
	size_t n = b->n_intervals;
	double *kwh = malloc((n ? n : 1) * sizeof *kwh);
	enum cab_status st =
	    kwh ? cab_readings_new(b->t0_s, n, &e->rd, &e->err)
		: cab_err_add(&e->err, CAB_ENOMEM, _("out of memory"));
	for (size_t m = 0; st == CAB_OK && m < cab_readings_n_meters(b->rd);
	     m++) {
		const char *id = cab_readings_meter_id(b->rd, m);
		const double *v = cab_readings_series(b->rd, id);
		size_t at = cab_name_index_find(&b->index, id, meter_of, b);
		bool is_prod = at != (size_t)-1 && b->is_production[at];
		for (size_t k = 0; k < n; k++)
			kwh[k] = is_prod ? v[k] * e->pv_scale : v[k];
		st = cab_readings_put_filled(
		    e->rd, id, kwh, cab_readings_filled(b->rd, id), &e->err);
	}
	free(kwh);
	if (st != CAB_OK) {
		cab_readings_free(e->rd);
		e->rd = NULL;
	}
	return st;
}

enum cab_status cab_batch_sources_load(struct cab_batch_sources *s,
				       struct cab_err *err)
{
	for (size_t i = 0; i < s->n_bases; i++)
		if (load_base(&s->bases[i]) == CAB_ENOMEM)
			return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	return CAB_OK;
}

bool cab_batch_sources_is_ok(const struct cab_batch_sources *s, size_t idx,
			     const char **why, enum cab_status *code)
{
	const struct base *b = &s->bases[s->entries[idx].base];
	*why = b->rd ? NULL : b->err.text ? b->err.text : "";
	*code = b->rd ? CAB_OK : b->err.code ? b->err.code : CAB_EINTERNAL;
	return b->rd != NULL;
}

enum cab_status cab_batch_sources_use(struct cab_batch_sources *s, size_t idx,
				      const struct cab_readings **out,
				      struct cab_err *err)
{
	struct entry *e = &s->entries[idx];
	const struct base *b = &s->bases[e->base];
	*out = NULL;
	if (!b->rd)
		return cab_err_add(
		    err, b->err.code ? b->err.code : CAB_EINTERNAL, "%.*s",
		    (int)(b->err.len ? b->err.len - 1 : 0),
		    b->err.text ? b->err.text : "");
	if (e->pv_scale == 1) {
		*out = b->rd;
		return CAB_OK;
	}
	if (!e->rd) {
		/* One scaled copy at a time: the runs come grouped by source
		 * and scale, so this is one copy per scale and worker. */
		for (size_t i = 0; i < s->n_entries; i++) {
			cab_readings_free(s->entries[i].rd);
			s->entries[i].rd = NULL;
		}
		cab_err_release(&e->err);
		cab_err_init(&e->err);
		enum cab_status st = scale_base(b, e);
		if (st != CAB_OK)
			return cab_err_add(
			    err, st, "%.*s",
			    (int)(e->err.len ? e->err.len - 1 : 0),
			    e->err.text ? e->err.text : "");
	}
	*out = e->rd;
	return CAB_OK;
}
