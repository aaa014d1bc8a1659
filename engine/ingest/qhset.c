/*
 * qhset.c — quarter-hour records per meter, as parsed before storing.
 *
 * Why: every import format ends here, so duplicate detection, the
 * missing-never-overwrites rule and the sum of registers or phases are
 * written once. A meter's series is one contiguous array from its first
 * to its last interval (sources are mostly in time order, so growth is at
 * the end; an earlier record shifts the array once).
 */
#include "engine/base/nameidx.h"
#include "engine/ingest/ingest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"

struct qh_meter {
	char *name;
	int64_t t0_s;
	size_t n, cap;
	double *kwh;
	uint8_t *quality;
	const char **file;
	uint32_t *line;
};

struct cab_qhset {
	struct qh_meter *m;
	size_t n, cap;
	struct cab_name_index names; /* meters by name */
	size_t last; /* index of the last meter used (cache), or SIZE_MAX */
};

static const char *name_of(const void *ctx, size_t i)
{
	return ((const struct cab_qhset *)ctx)->m[i].name;
}

enum cab_status cab_qhset_new(struct cab_qhset **out, struct cab_err *err)
{
	struct cab_qhset *s = calloc(1, sizeof *s);
	if (!s)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	s->last = SIZE_MAX;
	*out = s;
	return CAB_OK;
}

static void free_meter(struct qh_meter *m)
{
	free(m->name);
	free(m->kwh);
	free(m->quality);
	free(m->file);
	free(m->line);
}

void cab_qhset_free(struct cab_qhset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free_meter(&s->m[i]);
	free(s->m);
	cab_name_index_release(&s->names);
	free(s);
}

size_t cab_qhset_find(const struct cab_qhset *s, const char *meter)
{
	if (s->last != SIZE_MAX && strcmp(s->m[s->last].name, meter) == 0)
		return s->last;
	return cab_name_index_find(&s->names, meter, name_of, s);
}

static size_t add_meter(struct cab_qhset *s, const char *meter)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct qh_meter *m = realloc(s->m, cap * sizeof *m);
		if (!m)
			return (size_t)-1;
		s->m = m;
		s->cap = cap;
	}
	struct qh_meter *m = &s->m[s->n];
	memset(m, 0, sizeof *m);
	m->name = strdup(meter);
	if (!m->name)
		return (size_t)-1;
	if (!cab_name_index_add(&s->names, s->n + 1, name_of, s)) {
		free(m->name);
		return (size_t)-1;
	}
	return s->n++;
}

static bool reserve(struct qh_meter *m, size_t cap)
{
	if (cap <= m->cap)
		return true;
	size_t c = m->cap ? m->cap : 256;
	while (c < cap)
		c *= 2;
	double *kwh = realloc(m->kwh, c * sizeof *kwh);
	if (kwh)
		m->kwh = kwh;
	uint8_t *q = realloc(m->quality, c);
	if (q)
		m->quality = q;
	const char **f = realloc(m->file, c * sizeof *f);
	if (f)
		m->file = f;
	uint32_t *l = realloc(m->line, c * sizeof *l);
	if (l)
		m->line = l;
	if (!kwh || !q || !f || !l)
		return false;
	m->cap = c;
	return true;
}

static void blank(struct qh_meter *m, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++) {
		m->kwh[k] = NAN;
		m->quality[k] = CAB_Q_MISSING;
		m->file[k] = NULL;
		m->line[k] = 0;
	}
}

/* Make interval t_s addressable; returns its index or SIZE_MAX. */
static size_t slot_of(struct qh_meter *m, int64_t t_s)
{
	if (m->n == 0) {
		if (!reserve(m, 1))
			return SIZE_MAX;
		m->t0_s = t_s;
		m->n = 1;
		blank(m, 0, 1);
		return 0;
	}
	if (t_s < m->t0_s) {
		size_t shift = (size_t)((m->t0_s - t_s) / CAB_INTERVAL_S);
		if (!reserve(m, m->n + shift))
			return SIZE_MAX;
		memmove(m->kwh + shift, m->kwh, m->n * sizeof *m->kwh);
		memmove(m->quality + shift, m->quality, m->n);
		memmove(m->file + shift, m->file, m->n * sizeof *m->file);
		memmove(m->line + shift, m->line, m->n * sizeof *m->line);
		blank(m, 0, shift);
		m->n += shift;
		m->t0_s = t_s;
		return 0;
	}
	size_t k = (size_t)((t_s - m->t0_s) / CAB_INTERVAL_S);
	if (k >= m->n) {
		if (!reserve(m, k + 1))
			return SIZE_MAX;
		blank(m, m->n, k + 1);
		m->n = k + 1;
	}
	return k;
}

enum cab_status cab_qhset_put(struct cab_qhset *s, const char *meter,
			      int64_t t_s, double kwh, enum cab_quality q,
			      enum cab_qh_mode mode, const char *file,
			      long line, struct cab_err *err)
{
	if (t_s % CAB_INTERVAL_S != 0)
		return cab_err_at_line(err, CAB_EINTERNAL, file, line,
				       "interval start not on a quarter-hour");
	size_t i = cab_qhset_find(s, meter);
	if (i == (size_t)-1) {
		i = add_meter(s, meter);
		if (i == (size_t)-1)
			return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	s->last = i;
	struct qh_meter *m = &s->m[i];
	size_t k = slot_of(m, t_s);
	if (k == SIZE_MAX)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	bool has = m->quality[k] != CAB_Q_MISSING;
	if (q == CAB_Q_MISSING || isnan(kwh)) {
		if (!has && !m->file[k]) {
			m->file[k] = file;
			m->line[k] = (uint32_t)line;
		}
		return CAB_OK;
	}
	/* Two files of one import that overlap with the same value (an
	 * export of November and one of the whole quarter) agree: keep the
	 * first, with the better quality. Within one file, or with another
	 * value, it is an error naming both lines. */
	if (has && mode == CAB_QH_SET && m->file[k] && file &&
	    m->file[k] != file && strcmp(m->file[k], file) != 0 &&
	    fabs(m->kwh[k] - kwh) <= 5e-7) {
		if (q < m->quality[k])
			m->quality[k] = (uint8_t)q;
		return CAB_OK;
	}
	if (has && mode == CAB_QH_SET) {
		char ts[21];
		cab_time_format_utc(t_s, ts);
		return cab_err_at_line(
		    err, CAB_EINPUT, file, line,
		    _("meter %s has a second value for the interval %s (first "
		      "at %s:%lu; expected one value per meter and interval)"),
		    meter, ts, m->file[k] ? m->file[k] : "?",
		    (unsigned long)m->line[k]);
	}
	if (has) {
		m->kwh[k] += kwh;
		if (q > m->quality[k])
			m->quality[k] = (uint8_t)q;
	} else {
		m->kwh[k] = kwh;
		m->quality[k] = (uint8_t)q;
		m->file[k] = file;
		m->line[k] = (uint32_t)line;
	}
	return CAB_OK;
}

size_t cab_qhset_n_meters(const struct cab_qhset *s)
{
	return s->n;
}

bool cab_qhset_series(const struct cab_qhset *s, size_t i,
		      struct cab_qh_series *out)
{
	if (i >= s->n)
		return false;
	const struct qh_meter *m = &s->m[i];
	*out = (struct cab_qh_series){m->name,	  m->t0_s, m->n,   m->kwh,
				      m->quality, m->file, m->line};
	return true;
}

/* Remove meter i (order of the others kept) and rebuild the hash. */
static bool remove_meter(struct cab_qhset *s, size_t i)
{
	free_meter(&s->m[i]);
	memmove(&s->m[i], &s->m[i + 1], (s->n - i - 1) * sizeof *s->m);
	s->n--;
	s->last = SIZE_MAX;
	return cab_name_index_rebuild(&s->names, s->n, name_of, s);
}

enum cab_status cab_qhset_combine(struct cab_qhset *s, const char *dst,
				  const char *const *srcs, size_t n,
				  bool all_required, struct cab_err *err)
{
	/* Span of the sources. */
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t j = 0; j < n; j++) {
		size_t i = cab_qhset_find(s, srcs[j]);
		if (i == (size_t)-1) {
			if (all_required)
				return cab_err_add(
				    err, CAB_EINPUT,
				    "%s: no data for the part %s (expected "
				    "every sensor of the meter to have data)",
				    dst, srcs[j]);
			continue;
		}
		struct qh_meter *m = &s->m[i];
		if (m->t0_s < lo)
			lo = m->t0_s;
		int64_t end = m->t0_s + (int64_t)m->n * CAB_INTERVAL_S;
		if (end > hi)
			hi = end;
	}
	if (lo > hi)
		return CAB_OK;
	struct cab_qhset *tmp = NULL;
	enum cab_status st = cab_qhset_new(&tmp, err);
	if (st != CAB_OK)
		return st;
	for (int64_t t = lo; t < hi && st == CAB_OK; t += CAB_INTERVAL_S) {
		double sum = 0;
		int worst = CAB_Q_READ, have = 0;
		const char *file = NULL;
		uint32_t line = 0;
		for (size_t j = 0; j < n; j++) {
			size_t i = cab_qhset_find(s, srcs[j]);
			if (i == (size_t)-1)
				continue;
			struct qh_meter *m = &s->m[i];
			if (t < m->t0_s ||
			    t >= m->t0_s + (int64_t)m->n * CAB_INTERVAL_S)
				continue;
			size_t k = (size_t)((t - m->t0_s) / CAB_INTERVAL_S);
			if (!file && m->file[k]) {
				file = m->file[k];
				line = m->line[k];
			}
			if (m->quality[k] == CAB_Q_MISSING)
				continue;
			have++;
			sum += m->kwh[k];
			if (m->quality[k] > worst)
				worst = m->quality[k];
		}
		bool ok = all_required ? have == (int)n : have > 0;
		st = cab_qhset_put(tmp, dst, t, ok ? sum : NAN,
				   ok ? (enum cab_quality)worst : CAB_Q_MISSING,
				   CAB_QH_SET, file, line, err);
	}
	if (st == CAB_OK) {
		for (size_t j = 0; j < n; j++) {
			size_t i = cab_qhset_find(s, srcs[j]);
			if (i != (size_t)-1 && !remove_meter(s, i)) {
				st = cab_err_add(err, CAB_ENOMEM,
						 "out of memory");
				break;
			}
		}
	}
	/* Move the combined meter over (steal its arrays). */
	if (st == CAB_OK && tmp->n == 1) {
		size_t i = cab_qhset_find(s, dst);
		if (i != (size_t)-1 && !remove_meter(s, i))
			st = cab_err_add(err, CAB_ENOMEM, "out of memory");
		if (st == CAB_OK) {
			i = add_meter(s, dst);
			if (i == (size_t)-1) {
				st = cab_err_add(err, CAB_ENOMEM,
						 "out of memory");
			} else {
				free(s->m[i].name);
				s->m[i] = tmp->m[0];
				tmp->n = 0;
			}
		}
	}
	cab_qhset_free(tmp);
	return st;
}
