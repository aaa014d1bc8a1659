/*
 * integ.c — power samples and energy counters into quarter-hour energies.
 *
 * Why one integrator: Flukso sensors give power (W) every 8 s or mean
 * power per minute, tmpo blocks give a cumulative counter (Wh); both must
 * become quarter-hour energies under the same coverage rule (SPEC §8: an
 * interval with less than min_coverage of its 900 s covered is missing,
 * never zero) and the same max-gap rule, so that the rules are written
 * once. Workload: millions of samples per meter-year, in time order, so
 * the work per sample is a hash-free lookup (the last meter is cached), a
 * few comparisons and one addition; memory per meter is constant apart
 * from the warm-up buffer of its first samples.
 *
 * How a sample becomes covered time:
 * - power, label START: the sample at t holds over [t, next sample);
 *   label END: over (previous sample, t]. The first sample (END) or the
 *   last one (START) has no known period and covers nothing: we do not
 *   guess how long a reading lasted.
 * - a sample never stands for longer than the max gap: a START sample
 *   covers at most [t, t + max_gap), an END sample (t − max_gap, t]; the
 *   rest of a longer silence is uncovered, never bridged.
 * - NaN watts: that sample's own period is uncovered.
 * - counters: the energy between two readings is spread evenly over the
 *   time between them when that time is at most the max gap; else the
 *   time is uncovered (the energy is not attributed anywhere).
 * - max gap: opts->max_gap_s when > 0, else 3 × the median spacing of the
 *   meter's first 64 spacings (65 samples). Until then the meter's samples
 *   wait in a small buffer and are replayed once the gap is known; a meter
 *   with fewer samples uses the median of the spacings it has. For
 *   counters that default is at least one hour: a pulse counter (tmpo
 *   writes one point per Wh) is read more often the more power flows, so
 *   a busy first minute (1 s per Wh at 3.6 kW) would otherwise make every
 *   quiet evening an outage; and the energy between two readings is
 *   exact, only its spread over the time between them is assumed.
 *
 * An interval's value is its energy scaled to the whole quarter-hour,
 * energy × 900 / covered (the mean power over the covered time), quality
 * read when fully covered (within 1e-6 s) and estimated otherwise. Every
 * interval between a meter's first and last covered instant is put once,
 * as soon as no later sample can touch it, located at the sample that
 * completed it.
 */
#include "engine/base/nameidx.h"
#include "engine/ingest/ingest.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"

#define WARMUP_SPACINGS 64	 /* spacings whose median sets the max gap */
#define GAP_FACTOR 3.0		 /* max gap = GAP_FACTOR × median spacing */
#define FULL_TOL_S 1e-6		 /* covered this close to 900 s = full */
#define DEFAULT_COVERAGE 0.9	 /* SPEC §8 */
#define MAX_POWER_W 1e9		 /* 1 GW: more is a typo or a unit mistake */
#define MAX_COUNTER_WH 1e15	 /* 1 PWh, likewise */
#define COUNTER_MIN_GAP_S 3600.0 /* default max gap of counters, at least */

enum integ_kind { KIND_POWER, KIND_COUNTER };

/* A sample waiting for the max gap to be known. */
struct pending {
	double t_s;	  /* UTC instant */
	double v;	  /* watts or Wh */
	const char *file; /* borrowed location */
	long line;
};

/* One meter's integrator. */
struct imeter {
	char *name;	      /* owned copy */
	enum integ_kind kind; /* power or counter, fixed by the first */
	enum cab_label label; /* START or END, fixed by the first sample */
	double max_gap_s;     /* > 0 once known */
	struct pending *warm; /* warm-up buffer, NULL once the gap is known */
	size_t n_warm;	      /* samples in warm */
	/* arrival checks (before any buffering) */
	bool has_last;	       /* last_t_s is set */
	double first_t_s;      /* instant of the first sample accepted */
	double last_t_s;       /* instant of the last sample accepted */
	const char *last_file; /* its location, for the final flush */
	long last_line;
	bool has_last_wh; /* counter: last_wh is set */
	double last_wh;	  /* counter: last non-NaN reading */
	/* integration state */
	bool has_prev;	   /* prev_* hold the previous sample */
	double prev_t_s;   /* previous sample's instant */
	double prev_v;	   /* its watts (NaN allowed) or Wh */
	bool has_open;	   /* open_k has covered time not yet put */
	int64_t open_k;	   /* interval index (start / 900) */
	double open_j;	   /* energy covered in open_k, joules (W·s: sums of
			      whole-second samples stay exact) */
	double open_cov_s; /* seconds covered in open_k */
	bool is_started;   /* an interval was opened: next_k is valid */
	int64_t next_k;	   /* first interval not yet put */
};

struct cab_integ_set {
	struct imeter *m; /* meters in order of first sample */
	size_t n, cap;
	struct cab_name_index names; /* meters by name */
	size_t last; /* index of the last meter used, SIZE_MAX if none */
};

static const char *name_of(const void *ctx, size_t i)
{
	return ((const struct cab_integ_set *)ctx)->m[i].name;
}

void cab_ingest_init(struct cab_ingest *ing, struct cab_qhset *qh,
		     const struct cab_import_opts *opts)
{
	memset(ing, 0, sizeof *ing);
	ing->qh = qh;
	ing->opts = opts;
	ing->label_default = CAB_LABEL_START;
}

void cab_ingest_release(struct cab_ingest *ing)
{
	if (!ing || !ing->integ)
		return;
	struct cab_integ_set *s = ing->integ;
	for (size_t i = 0; i < s->n; i++) {
		free(s->m[i].name);
		free(s->m[i].warm);
	}
	free(s->m);
	cab_name_index_release(&s->names);
	free(s);
	ing->integ = NULL;
}

static double min_coverage(const struct cab_ingest *ing)
{
	double c = ing->opts ? ing->opts->min_coverage : 0;
	/* 0 means "not set" (a zeroed options struct); above 1 is
	 * unreachable, so both fall back to SPEC's default. */
	return c > 0 && c <= 1 ? c : DEFAULT_COVERAGE;
}

/* The meter named `name`, created as `kind` if new; NULL when out of
 * memory. */
static struct imeter *meter_of(struct cab_ingest *ing, const char *name,
			       enum integ_kind kind)
{
	struct cab_integ_set *s = ing->integ;
	if (!s) {
		s = calloc(1, sizeof *s);
		if (!s)
			return NULL;
		s->last = SIZE_MAX;
		ing->integ = s;
	}
	if (s->last != SIZE_MAX && strcmp(s->m[s->last].name, name) == 0)
		return &s->m[s->last];
	size_t found = cab_name_index_find(&s->names, name, name_of, s);
	if (found != (size_t)-1) {
		s->last = found;
		return &s->m[found];
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct imeter *m = realloc(s->m, cap * sizeof *m);
		if (!m)
			return NULL;
		s->m = m;
		s->cap = cap;
	}
	struct imeter *m = &s->m[s->n];
	memset(m, 0, sizeof *m);
	m->name = strdup(name);
	if (!m->name)
		return NULL;
	m->kind = kind;
	enum cab_label label = ing->opts ? ing->opts->label : CAB_LABEL_DEFAULT;
	if (label == CAB_LABEL_DEFAULT)
		label = ing->label_default;
	m->label = label == CAB_LABEL_END ? CAB_LABEL_END : CAB_LABEL_START;
	if (ing->opts && ing->opts->max_gap_s > 0)
		m->max_gap_s = ing->opts->max_gap_s;
	if (!cab_name_index_add(&s->names, s->n + 1, name_of, s)) {
		free(m->name);
		return NULL;
	}
	s->last = s->n;
	s->n++;
	return m;
}

/* Put interval k of m: value from its covered energy, or missing. */
static enum cab_status emit(struct cab_ingest *ing, struct imeter *m, int64_t k,
			    double j, double cov_s, const char *file, long line,
			    struct cab_err *err)
{
	double kwh = NAN;
	enum cab_quality q = CAB_Q_MISSING;
	if (cov_s > 0 && cov_s + FULL_TOL_S >= min_coverage(ing) * 900.0) {
		bool is_full = cov_s >= 900.0 - FULL_TOL_S;
		kwh = is_full ? j / 3.6e6 : j * 900.0 / cov_s / 3.6e6;
		q = is_full ? CAB_Q_READ : CAB_Q_ESTIMATED;
	}
	m->next_k = k + 1;
	return cab_qhset_put(ing->qh, m->name, k * CAB_INTERVAL_S, kwh, q,
			     CAB_QH_SET, file, line, err);
}

/* Add covered time [a, b) at constant power `watts`, after everything
 * added before. Intervals that end by b are complete and put at once. */
static enum cab_status add_segment(struct cab_ingest *ing, struct imeter *m,
				   double a, double b, double watts,
				   const char *file, long line,
				   struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	double t = a;
	while (t < b && st == CAB_OK) {
		int64_t k = (int64_t)floor(t / 900.0);
		double end = (double)(k + 1) * 900.0;
		double e = b < end ? b : end;
		if (!m->has_open || m->open_k != k) {
			if (m->has_open)
				st = emit(ing, m, m->open_k, m->open_j,
					  m->open_cov_s, file, line, err);
			/* Uncovered quarter-hours since the last one put. */
			for (int64_t j = m->is_started ? m->next_k : k;
			     j < k && st == CAB_OK; j++)
				st = emit(ing, m, j, 0, 0, file, line, err);
			m->has_open = true;
			m->open_k = k;
			m->open_j = 0;
			m->open_cov_s = 0;
			m->is_started = true;
		}
		m->open_j += watts * (e - t);
		m->open_cov_s += e - t;
		t = e;
		if (e >= end && st == CAB_OK) {
			m->has_open = false;
			st = emit(ing, m, k, m->open_j, m->open_cov_s, file,
				  line, err);
		}
	}
	return st;
}

/* One sample into the integration, max gap known, checks done. */
static enum cab_status integrate(struct cab_ingest *ing, struct imeter *m,
				 double t, double v, const char *file,
				 long line, struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	double gap = m->max_gap_s;
	if (m->kind == KIND_COUNTER) {
		if (isnan(v))
			return CAB_OK; /* no reading: spread across it */
		if (m->has_prev && t - m->prev_t_s <= gap)
			st = add_segment(ing, m, m->prev_t_s, t,
					 (v - m->prev_v) * 3600.0 /
					     (t - m->prev_t_s),
					 file, line, err);
	} else if (m->has_prev && m->label == CAB_LABEL_START) {
		double b = t < m->prev_t_s + gap ? t : m->prev_t_s + gap;
		if (!isnan(m->prev_v))
			st = add_segment(ing, m, m->prev_t_s, b, m->prev_v,
					 file, line, err);
	} else if (m->has_prev) {
		double a = m->prev_t_s > t - gap ? m->prev_t_s : t - gap;
		if (!isnan(v))
			st = add_segment(ing, m, a, t, v, file, line, err);
	}
	m->has_prev = true;
	m->prev_t_s = t;
	m->prev_v = v;
	return st;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Set the max gap from the buffered samples and replay them. */
static enum cab_status end_warmup(struct cab_ingest *ing, struct imeter *m,
				  struct cab_err *err)
{
	double sp[WARMUP_SPACINGS];
	size_t n = 0;
	for (size_t i = 1; i < m->n_warm && n < WARMUP_SPACINGS; i++)
		sp[n++] = m->warm[i].t_s - m->warm[i - 1].t_s;
	if (n) {
		qsort(sp, n, sizeof *sp, cmp_double);
		double median =
		    n % 2 ? sp[n / 2] : (sp[n / 2 - 1] + sp[n / 2]) / 2;
		m->max_gap_s = GAP_FACTOR * median;
		if (m->kind == KIND_COUNTER && m->max_gap_s < COUNTER_MIN_GAP_S)
			m->max_gap_s = COUNTER_MIN_GAP_S;
	} else {
		m->max_gap_s = INFINITY; /* one sample: no period anyway */
	}
	enum cab_status st = CAB_OK;
	struct pending *w = m->warm;
	size_t nw = m->n_warm;
	m->warm = NULL;
	m->n_warm = 0;
	for (size_t i = 0; i < nw && st == CAB_OK; i++)
		st = integrate(ing, m, w[i].t_s, w[i].v, w[i].file, w[i].line,
			       err);
	free(w);
	return st;
}

/* Checks on arrival (so that errors name the right line), then buffer or
 * integrate. */
static enum cab_status accept(struct cab_ingest *ing, const char *meter,
			      enum integ_kind kind, double t, double v,
			      const char *file, long line, struct cab_err *err)
{
	assert(ing && meter);
	struct imeter *m = meter_of(ing, meter, kind);
	if (!m)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	if (m->kind != kind)
		return cab_err_at_line(
		    err, CAB_EINPUT, file, line,
		    "meter '%s' has both power samples and counter readings "
		    "(expected one kind per meter)",
		    meter);
	/* Every interval between a meter's first and last sample is kept,
	 * so a typo in a year must not ask for centuries of intervals. */
	if (!(t >= (double)CAB_INGEST_MIN_S && t < (double)CAB_INGEST_END_S))
		return cab_err_at_line(err, CAB_EINPUT, file, line,
				       "sample of meter '%s' outside the years "
				       "2000 to 2099 (expected a date of "
				       "measurement)",
				       meter);
	if (m->has_last && !(t > m->last_t_s))
		return cab_err_at_line(err, CAB_EINPUT, file, line,
				       "samples of meter '%s' go back in time "
				       "(expected increasing timestamps)",
				       meter);
	/* Bounds keep every energy below finite double range; beyond them
	 * the number is a typo or a unit mistake, not a measurement. */
	if (kind == KIND_POWER && !isnan(v) && !(v >= 0 && v <= MAX_POWER_W))
		return cab_err_at_line(err, CAB_EINPUT, file, line,
				       "power %g W of meter '%s' (expected "
				       "power ≥ 0 W and at most 1 GW)",
				       v, meter);
	if (kind == KIND_COUNTER && !isnan(v)) {
		if (!(fabs(v) <= MAX_COUNTER_WH))
			return cab_err_at_line(
			    err, CAB_EINPUT, file, line,
			    "counter of meter '%s' at %g Wh (expected a "
			    "number of Wh of at most 1e15 in size)",
			    meter, v);
		if (m->has_last_wh && v < m->last_wh)
			return cab_err_at_line(
			    err, CAB_EINPUT, file, line,
			    "counter of meter '%s' goes down from %.15g to "
			    "%.15g Wh (expected a cumulative counter)",
			    meter, m->last_wh, v);
		m->has_last_wh = true;
		m->last_wh = v;
	}
	if (!m->has_last)
		m->first_t_s = t;
	m->has_last = true;
	m->last_t_s = t;
	m->last_file = file;
	m->last_line = line;
	ing->rows++;
	if (m->max_gap_s > 0)
		return integrate(ing, m, t, v, file, line, err);
	if (!m->warm) {
		m->warm = malloc((WARMUP_SPACINGS + 1) * sizeof *m->warm);
		if (!m->warm)
			return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	m->warm[m->n_warm++] = (struct pending){t, v, file, line};
	if (m->n_warm == WARMUP_SPACINGS + 1)
		return end_warmup(ing, m, err);
	return CAB_OK;
}

enum cab_status cab_ingest_power(struct cab_ingest *ing, const char *meter,
				 double t_s, double watts, const char *file,
				 long line, struct cab_err *err)
{
	if (ing->on_power)
		ing->on_power(ing->on_power_ctx, meter, t_s, watts);
	return accept(ing, meter, KIND_POWER, t_s, watts, file, line, err);
}

enum cab_status cab_ingest_counter(struct cab_ingest *ing, const char *meter,
				   double t_s, double wh, const char *file,
				   long line, struct cab_err *err)
{
	return accept(ing, meter, KIND_COUNTER, t_s, wh, file, line, err);
}

enum cab_status cab_ingest_finish(struct cab_ingest *ing, struct cab_err *err)
{
	struct cab_integ_set *s = ing->integ;
	if (!s)
		return CAB_OK;
	enum cab_status st = CAB_OK;
	for (size_t i = 0; i < s->n && st == CAB_OK; i++) {
		struct imeter *m = &s->m[i];
		if (m->warm)
			st = end_warmup(ing, m, err);
		if (st == CAB_OK && m->has_open) {
			m->has_open = false;
			st = emit(ing, m, m->open_k, m->open_j, m->open_cov_s,
				  m->last_file, m->last_line, err);
		}
		/* Samples that cover no time (all nan, or a single one):
		 * the meter is known and has no value over their span, a
		 * hole, so that a phase of a --sum cannot drop out. */
		for (int64_t k = (int64_t)floor(m->first_t_s / 900.0);
		     st == CAB_OK && !m->is_started && m->has_last &&
		     k <= (int64_t)floor(m->last_t_s / 900.0);
		     k++)
			st = cab_qhset_put(ing->qh, m->name, k * CAB_INTERVAL_S,
					   NAN, CAB_Q_MISSING, CAB_QH_SET,
					   m->last_file, m->last_line, err);
	}
	return st;
}
