/*
 * run.c — the main job: from a scenario and its readings to shared
 * energy, bills and indicators (SPEC §1, §2, §5, §6).
 *
 * Workload: up to ~1,000 participants × 35,040 quarter-hours. Series are
 * contiguous arrays per participant. A key needs every member of a pool
 * in one interval, but walking a thousand arrays interval by interval
 * touches a thousand pages per step and thrashes the TLB. So sharing runs
 * in blocks of BLOCK intervals: members' demands are gathered (each a
 * short sequential read) into a block matrix with one row per interval,
 * the key runs on contiguous rows, and allocations are scattered back.
 * Everything else (volumes, maxima) walks one participant at a time.
 *
 * Memory: the consumption and production series are borrowed from the
 * readings unless the two meters of a participant disagree on which
 * intervals are missing (then both are copied, merged); a participant
 * without production points at one shared array of zeros.
 *
 * Missing data: a participant whose meter has no valid value in an
 * interval is left out of that interval's sharing (demand and surplus 0),
 * counted in missing_intervals, and written as empty fields by reports.
 */
#include "cabine/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cabine/fill.h"
#include "cabine/key.h"
#include "cabine/time.h"
#include "engine/billing/bill.h"
#include "engine/billing/pot.h"

/* One sharing pool: the community or one cabin. */
#define BLOCK 64 /* intervals per sharing block: 64 × 1,000 × 8 B = 512 KiB */

struct pool {
	size_t n;	/* members */
	size_t *member; /* participant indices */
	double *weight; /* members' weights */
	double *value;	/* members' value of a kWh received (optimal) */
	int *group;	/* members' priority groups */
	char locality;	/* 'A'..'D' */
	const struct cab_key_ops *ops;
	void *state;	       /* key state, owned */
	double *demand;	       /* scratch: BLOCK rows of members' D */
	double *alloc;	       /* scratch: BLOCK rows of members' a */
	double supply[BLOCK];  /* scratch: S of each interval of the block */
	double given_f[BLOCK]; /* scratch: Σa / S of each interval */
};

int64_t cab_round_cents(double eur)
{
	double v = eur * 100.0;
	double a = fabs(v);
	double f = floor(a);
	/* Half away from zero; the tolerance absorbs binary noise such as
	 * 0.125 × 100 = 12.499999… so that "exact" halves round up. */
	if (a - f >= 0.5 - 1e-7)
		f += 1;
	return (int64_t)(v < 0 ? -f : f);
}

static void free_pools(struct pool *pools, size_t n)
{
	if (!pools)
		return;
	for (size_t k = 0; k < n; k++) {
		struct pool *p = &pools[k];
		if (p->ops && p->state)
			p->ops->free_state(p->state);
		free(p->member);
		free(p->weight);
		free(p->value);
		free(p->group);
		free(p->demand);
		free(p->alloc);
	}
	free(pools);
}

void cab_run_free(struct cab_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; run->p && i < run->n; i++) {
		struct cab_participant_result *r = &run->p[i];
		free(r->month);
		free(r->copy[0]);
		free(r->copy[1]);
	}
	free(run->p);
	free(run->pots);
	free(run->cabin_flows);
	free(run->months);
	free(run->zeros);
	if (run->arena)
		munmap(run->arena, run->arena_size);
	free(run);
}

static char locality_of(const struct cab_scenario *sc,
			const struct cab_sharing *sh, size_t i)
{
	if (sh->locality)
		return sh->locality;
	int c = sc->participants[i].cabin;
	if (c < 0)
		return 'D'; /* location unknown: the least local type */
	return sc->cabins[c].locality ? sc->cabins[c].locality : 'B';
}

/* Build the pools of the perimeter with their keys configured. */
static enum cab_status make_pools(const struct cab_scenario *sc, long variant,
				  const struct cab_sharing *sh,
				  const double *weight, const bool *has_weight,
				  const int *group, struct pool **out,
				  size_t *n_out, struct cab_err *err)
{
	enum cab_status st = CAB_ENOMEM;
	size_t np = sh->perimeter == CAB_PERIMETER_CABIN ? sc->n_cabins : 1;
	struct pool *pools = calloc(np ? np : 1, sizeof(*pools));
	if (!pools)
		goto fail;
	const struct cab_key_ops *ops = cab_key_find(sh->key);
	if (!ops) {
		/* Name the variant's key when a variant asked for it. */
		char where[64] = "$.sharing.key";
		if (variant >= 0)
			snprintf(where, sizeof(where),
				 "$.compare[%ld].sharing.key", variant);
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: %s: key '%s' is not available "
				 "(expected fixed, proportional, hybrid, "
				 "priority or optimal)",
				 sc->path, where, sh->key);
		goto fail;
	}
	for (size_t i = 0; i < sc->n_participants; i++) {
		size_t k = np == 1 ? 0 : (size_t)sc->participants[i].cabin;
		if (k >= np) {
			st =
			    cab_err_add(err, CAB_EINPUT,
					"%s: participant '%s' has no cabin "
					"(expected one with perimeter 'cabin')",
					sc->path, sc->participants[i].id);
			goto fail;
		}
		pools[k].n++;
	}
	for (size_t k = 0; k < np; k++) {
		struct pool *p = &pools[k];
		size_t m = p->n ? p->n : 1;
		p->member = calloc(m, sizeof(size_t));
		p->weight = calloc(m, sizeof(double));
		p->value = calloc(m, sizeof(double));
		p->group = calloc(m, sizeof(int));
		p->demand = calloc(m * BLOCK, sizeof(double));
		p->alloc = calloc(m * BLOCK, sizeof(double));
		if (!p->member || !p->weight || !p->value || !p->group ||
		    !p->demand || !p->alloc)
			goto fail;
		p->n = 0;
		p->locality = 0;
	}
	for (size_t i = 0; i < sc->n_participants; i++) {
		size_t k = np == 1 ? 0 : (size_t)sc->participants[i].cabin;
		struct pool *p = &pools[k];
		p->member[p->n] = i;
		/* optimal: a kWh received saves the member the grid price
		 * minus the shared price, VAT included; only the VAT differs
		 * between members of one pool and interval. */
		p->value[p->n] = 1 + sc->participants[i].vat;
		p->weight[p->n] = has_weight[i] ? weight[i] : 0;
		p->group[p->n] = group[i];
		p->n++;
		char loc = locality_of(sc, sh, i);
		if (loc > p->locality)
			p->locality = loc;
	}
	for (size_t k = 0; k < np; k++) {
		struct pool *p = &pools[k];
		/* Without a weights object the weighted keys use equal weights
		 * within the pool (docs/keys.md). */
		if (!sh->has_weights)
			for (size_t j = 0; j < p->n; j++)
				p->weight[j] = 1.0 / (double)p->n;
		struct cab_key_params kp = {
		    .n = p->n,
		    .weight = p->weight,
		    .is_until_done = sh->is_until_done,
		    .group = p->group,
		    .n_groups = sh->n_groups,
		    .group_key = sh->group_key[0] ? sh->group_key : NULL,
		    .value = p->value,
		    .is_fairness_first = sh->is_fairness_first,
		};
		st = ops->configure(&kp, &p->state, err);
		if (st != CAB_OK)
			goto fail;
		p->ops = ops;
		if (!p->locality)
			p->locality = 'D';
	}
	*out = pools;
	*n_out = np;
	return CAB_OK;
fail:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	free_pools(pools, np);
	return st;
}

/* Fetch a meter's series or report that the scenario names a meter
 * without data. */
static enum cab_status need_series(const struct cab_scenario *sc,
				   const struct cab_readings *rd, size_t i,
				   const char *meter, const double **out,
				   struct cab_err *err)
{
	*out = NULL;
	if (!meter)
		return CAB_OK;
	*out = cab_readings_series(rd, meter);
	if (*out)
		return CAB_OK;
	return cab_err_add(
	    err, CAB_EINPUT,
	    "%s: participant '%s': meter '%s' has no reading "
	    "in the period (expected rows for it in the readings)",
	    sc->path, sc->participants[i].id, meter);
}

/* Point C and P of participant i at its series: borrowed from the
 * readings, or copied when its two meters miss different intervals (an
 * interval is missing when any meter misses it). Counts missing ones. */
static enum cab_status load_participant(const struct cab_scenario *sc,
					const struct cab_readings *rd, size_t i,
					const double *zeros,
					struct cab_participant_result *r,
					struct cab_err *err)
{
	const struct cab_participant *pa = &sc->participants[i];
	const double *c = NULL, *p = NULL;
	enum cab_status st;
	r->is_net = pa->meter_offtake || pa->meter_injection;
	if (r->is_net) {
		st = need_series(sc, rd, i, pa->meter_offtake, &c, err);
		if (st == CAB_OK)
			st = need_series(sc, rd, i, pa->meter_injection, &p,
					 err);
	} else {
		st = need_series(sc, rd, i, pa->meter_consumption, &c, err);
		if (st == CAB_OK)
			st = need_series(sc, rd, i, pa->meter_production, &p,
					 err);
	}
	if (st != CAB_OK)
		return st;
	size_t n = sc->n_intervals;
	bool is_mismatched = false;
	if (c && p)
		for (size_t t = 0; t < n && !is_mismatched; t++)
			is_mismatched = isnan(c[t]) != isnan(p[t]);
	bool is_filling = sc->fill != CAB_FILL_NONE;
	if (is_filling || is_mismatched || (!c && p)) {
		/* Work on copies: filling, merging the missing intervals of two
		 * meters, or a producer without consumption meter (C = 0). */
		double *cc = malloc(n * sizeof(double) + 1);
		double *pp = p ? malloc(n * sizeof(double) + 1) : NULL;
		bool *was = is_filling ? calloc(n + 1, sizeof(bool)) : NULL;
		if (!cc || (p && !pp) || (is_filling && !was)) {
			free(cc);
			free(pp);
			free(was);
			return CAB_ENOMEM;
		}
		for (size_t t = 0; t < n; t++)
			cc[t] = c ? c[t] : (isnan(p[t]) ? NAN : 0);
		if (pp)
			memcpy(pp, p, n * sizeof(double));
		for (int k = 0; is_filling && k < 2; k++) {
			double *s = k ? pp : (c ? cc : NULL);
			if (!s)
				continue;
			if (sc->fill == CAB_FILL_LINEAR)
				cab_fill_linear(s, n, sc->fill_max_intervals,
						was);
			else
				cab_fill_profile(s, n, sc->t0_s, was);
		}
		if (!c && pp) /* C = 0 wherever P now exists */
			for (size_t t = 0; t < n; t++)
				cc[t] = isnan(pp[t]) ? NAN : 0;
		for (size_t t = 0; t < n; t++) {
			bool miss = isnan(cc[t]) || (pp && isnan(pp[t]));
			if (miss) {
				cc[t] = NAN;
				if (pp)
					pp[t] = NAN;
			} else if (was && was[t]) {
				r->filled_intervals++;
			}
		}
		free(was);
		r->copy[0] = cc;
		r->copy[1] = pp;
		c = cc;
		p = pp;
	}
	r->consumption_kwh = c ? c : zeros;
	r->production_kwh = p ? p : zeros;
	for (size_t t = 0; t < n; t++)
		if (isnan(r->consumption_kwh[t]))
			r->missing_intervals++;
	/* Values filled at import (store quality "filled") count as filled
	 * too; they have values, so the scenario's own filling above never
	 * touched them. */
	const char *mc = r->is_net ? pa->meter_offtake : pa->meter_consumption;
	const char *mp = r->is_net ? pa->meter_injection : pa->meter_production;
	const uint8_t *f[2] = {mc ? cab_readings_filled(rd, mc) : NULL,
			       mp ? cab_readings_filled(rd, mp) : NULL};
	if (f[0] || f[1])
		for (size_t t = 0; t < n; t++)
			if (!isnan(r->consumption_kwh[t]) &&
			    ((f[0] && f[0][t]) || (f[1] && f[1][t])))
				r->filled_intervals++;
	return CAB_OK;
}

/* Share one block of intervals [t0, t0 + tb) in pool p. */
static void share_block(struct pool *p, struct cab_run *run, size_t t0,
			size_t tb, bool *has_given)
{
	size_t n = p->n;
	for (size_t u = 0; u < tb; u++)
		p->supply[u] = 0;
	for (size_t j = 0; j < n; j++) {
		const struct cab_participant_result *r = &run->p[p->member[j]];
		const double *c = r->consumption_kwh + t0;
		const double *pr = r->production_kwh + t0;
		double *d = p->demand + j;
		for (size_t u = 0; u < tb; u++, d += n) {
			double cv = c[u], pv = pr[u];
			if (isnan(cv)) {
				*d = 0;
				continue;
			}
			double o = r->is_net ? 0 : (cv < pv ? cv : pv);
			*d = cv - o;
			p->supply[u] += pv - o;
		}
	}
	struct cab_indicators *ind = &run->ind;
	for (size_t u = 0; u < tb; u++) {
		double s = p->supply[u];
		double *a = p->alloc + u * n;
		const double *d = p->demand + u * n;
		p->given_f[u] = 0;
		if (s <= 0) {
			memset(a, 0, n * sizeof(double));
			continue;
		}
		p->ops->allocate(p->state, d, s, a);
		double sum_a = 0;
		for (size_t j = 0; j < n; j++) {
			/* Clamp float noise; a key never exceeds D. */
			if (a[j] > d[j])
				a[j] = d[j];
			if (a[j] < 0)
				a[j] = 0;
			sum_a += a[j];
		}
		if (sum_a > s)
			sum_a = s;
		p->given_f[u] = sum_a / s;
		ind->shared_injection_kwh += s;
		ind->allocated_kwh += sum_a;
	}
	for (size_t j = 0; j < n; j++) {
		size_t i = p->member[j];
		struct cab_participant_result *r = &run->p[i];
		const double *c = r->consumption_kwh + t0;
		const double *pr = r->production_kwh + t0;
		double *sh = r->out[0] + t0;
		double *gv = has_given[i] ? r->out[1] + t0 : NULL;
		const double *a = p->alloc + j;
		for (size_t u = 0; u < tb; u++, a += n) {
			if (isnan(c[u])) {
				sh[u] = NAN;
				if (gv)
					gv[u] = NAN;
				continue;
			}
			sh[u] = *a;
			if (gv) {
				double o = r->is_net
					       ? 0
					       : (c[u] < pr[u] ? c[u] : pr[u]);
				gv[u] = (pr[u] - o) * p->given_f[u];
			}
		}
	}
}

/* Local calendar months of the period and each interval's month. */
static enum cab_status make_months(struct cab_run *run,
				   unsigned short *month_of,
				   unsigned char *is_day,
				   const struct cab_tariff *tf)
{
	size_t cap = 16, n = 0;
	struct cab_month *m = calloc(cap, sizeof(*m));
	if (!m)
		return CAB_ENOMEM;
	for (size_t t = 0; t < run->n_intervals; t++) {
		int64_t ts = run->t0_s + (int64_t)t * CAB_INTERVAL_S;
		struct cab_civil lc;
		cab_time_to_local(ts, &lc);
		if (n == 0 || m[n - 1].year != lc.year ||
		    m[n - 1].month != lc.month) {
			if (n == cap) {
				cap *= 2;
				struct cab_month *g =
				    realloc(m, cap * sizeof(*m));
				if (!g) {
					free(m);
					return CAB_ENOMEM;
				}
				m = g;
			}
			m[n].year = lc.year;
			m[n].month = lc.month;
			m[n].first = t;
			m[n].count = 0;
			n++;
		}
		m[n - 1].count++;
		month_of[t] = (unsigned short)(n - 1);
		bool day = lc.wday < 5 && lc.hour >= tf->day_start_h &&
			   lc.hour < tf->day_end_h;
		is_day[t] = day;
	}
	run->months = m;
	run->n_months = n;
	return CAB_OK;
}

/* The per-interval accounting of SPEC §1 for one participant-interval. */
static void add_volumes(struct cab_volumes *v, double c, double p, double a,
			double given, bool is_net, bool is_day)
{
	double o = is_net ? 0 : (c < p ? c : p);
	double d = is_net ? c : c - o;
	double x = is_net ? p : p - o;
	double g = d - a;
	if (g < 0)
		g = 0;
	double inj = x - given;
	if (inj < 0)
		inj = 0;
	v->consumption_kwh += c;
	v->production_kwh += p;
	v->self_consumed_kwh += o;
	v->shared_kwh += a;
	v->given_kwh += given;
	v->complementary_kwh += g;
	if (is_day) {
		v->shared_day_kwh += a;
		v->given_day_kwh += given;
		v->complementary_day_kwh += g;
	}
	v->injected_kwh += inj;
	v->demand_kwh += d;
	if (is_day)
		v->demand_day_kwh += d;
	v->surplus_kwh += x;
}

enum cab_status cab_run_new(const struct cab_scenario *sc,
			    const struct cab_readings *rd, long variant,
			    struct cab_run **out, struct cab_err *err)
{
	enum cab_status st = CAB_ENOMEM;
	struct cab_run *run = calloc(1, sizeof(*run));
	struct pool *pools = NULL;
	size_t n_pools = 0;
	unsigned short *month_of = NULL;
	unsigned char *is_day = NULL;
	bool *has_given = NULL;
	double *sum_c_t = NULL;
	const double *weight = NULL;
	const bool *has_weight = NULL;
	const int *group = NULL;
	double *wbuf = NULL;
	bool *hbuf = NULL;
	int *gbuf = NULL;
	*out = NULL;
	if (!run)
		goto fail;
	run->sc = sc;
	run->t0_s = sc->t0_s;
	run->n_intervals = sc->n_intervals;
	run->n = sc->n_participants;
	size_t n = run->n, nt = run->n_intervals;
	if (variant >= 0) {
		const struct cab_variant *v = &sc->variants[variant];
		run->variant = v->name;
		run->sharing = v->sharing;
		run->billing = v->billing;
		weight = v->weights;
		has_weight = v->has_weight;
		group = v->priority_group;
	} else {
		run->sharing = sc->sharing;
		run->billing = sc->billing;
		wbuf = calloc(n ? n : 1, sizeof(double));
		hbuf = calloc(n ? n : 1, sizeof(bool));
		gbuf = calloc(n ? n : 1, sizeof(int));
		if (!wbuf || !hbuf || !gbuf)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			wbuf[i] = sc->participants[i].weight;
			hbuf[i] = sc->participants[i].has_weight;
			gbuf[i] = sc->participants[i].priority_group;
		}
		weight = wbuf;
		has_weight = hbuf;
		group = gbuf;
	}
	month_of = malloc((nt ? nt : 1) * sizeof(*month_of));
	is_day = malloc(nt ? nt : 1);
	has_given = calloc(n ? n : 1, sizeof(bool));
	sum_c_t = calloc(nt ? nt : 1, sizeof(double));
	run->zeros = calloc(nt ? nt : 1, sizeof(double));
	run->p = calloc(n ? n : 1, sizeof(*run->p));
	if (!month_of || !is_day || !has_given || !sum_c_t || !run->zeros ||
	    !run->p)
		goto fail;
	if (make_months(run, month_of, is_day, &sc->tariff) != CAB_OK)
		goto fail;
	bool is_sharing = run->billing.mode != CAB_BILLING_INDIVIDUAL;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant_result *r = &run->p[i];
		r->month = calloc(run->n_months ? run->n_months : 1,
				  sizeof(*r->month));
		if (!r->month)
			goto fail;
		r->pot = -1;
		r->pot_weight = NAN;
		for (int k = 0; k < CAB_CRIT_COUNT; k++)
			r->key[k] = NAN;
		st = load_participant(sc, rd, i, run->zeros, r, err);
		if (st != CAB_OK)
			goto fail;
		const struct cab_participant *pa = &sc->participants[i];
		has_given[i] =
		    is_sharing && (pa->meter_production || pa->meter_injection);
	}
	/* The outputs a and given of every participant in one mapping: a
	 * year of a thousand participants is ~300 MB written once, and
	 * faulting it in 4 KiB pages costs more than the sharing itself, so
	 * ask for transparent huge pages where the kernel offers them. */
	st = CAB_ENOMEM;
	size_t n_out = 0;
	for (size_t i = 0; i < n; i++)
		n_out += (is_sharing ? 1 : 0) + (has_given[i] ? 1 : 0);
	if (n_out) {
		run->arena_size = n_out * nt * sizeof(double);
		run->arena = mmap(NULL, run->arena_size, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (run->arena == MAP_FAILED) {
			run->arena = NULL;
			goto fail;
		}
#ifdef MADV_HUGEPAGE
		madvise(run->arena, run->arena_size, MADV_HUGEPAGE);
#endif
	}
	double *next = run->arena;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant_result *r = &run->p[i];
		if (is_sharing) {
			r->out[0] = next;
			next += nt;
		}
		if (has_given[i]) {
			r->out[1] = next;
			next += nt;
		}
		r->shared_kwh = r->out[0] ? r->out[0] : run->zeros;
		r->given_kwh = r->out[1] ? r->out[1] : run->zeros;
	}

	if (is_sharing) {
		st = make_pools(sc, variant, &run->sharing, weight, has_weight,
				group, &pools, &n_pools, err);
		if (st != CAB_OK)
			goto fail;
		for (size_t t0 = 0; t0 < nt; t0 += BLOCK) {
			size_t tb = nt - t0 < BLOCK ? nt - t0 : BLOCK;
			for (size_t k = 0; k < n_pools; k++)
				share_block(&pools[k], run, t0, tb, has_given);
		}
	}
	struct cab_indicators *ind = &run->ind;
	double sum_o = 0, sum_c = 0, sum_max_c = 0, sum_p = 0;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant_result *r = &run->p[i];
		const double *c = r->consumption_kwh, *pr = r->production_kwh;
		const double *sh = r->shared_kwh, *gv = r->given_kwh;
		double mx = 0;
		for (size_t t = 0; t < nt; t++) {
			if (isnan(c[t]))
				continue;
			add_volumes(&r->month[month_of[t]], c[t], pr[t], sh[t],
				    gv[t], r->is_net, is_day[t]);
			sum_c_t[t] += c[t];
			if (c[t] > mx)
				mx = c[t];
		}
		sum_max_c += mx;
		for (size_t m = 0; m < run->n_months; m++) {
			const struct cab_volumes *v = &r->month[m];
			struct cab_volumes *tv = &r->total;
			tv->consumption_kwh += v->consumption_kwh;
			tv->production_kwh += v->production_kwh;
			tv->self_consumed_kwh += v->self_consumed_kwh;
			tv->shared_kwh += v->shared_kwh;
			tv->shared_day_kwh += v->shared_day_kwh;
			tv->given_kwh += v->given_kwh;
			tv->given_day_kwh += v->given_day_kwh;
			tv->complementary_kwh += v->complementary_kwh;
			tv->complementary_day_kwh += v->complementary_day_kwh;
			tv->injected_kwh += v->injected_kwh;
			tv->demand_kwh += v->demand_kwh;
			tv->demand_day_kwh += v->demand_day_kwh;
			tv->surplus_kwh += v->surplus_kwh;
		}
		sum_o += r->total.self_consumed_kwh;
		sum_c += r->total.consumption_kwh;
		sum_p += r->total.production_kwh;
		r->self_sufficiency_rate =
		    r->total.consumption_kwh > 0
			? (r->total.self_consumed_kwh + r->total.shared_kwh) /
			      r->total.consumption_kwh
			: NAN;
		if (!is_sharing)
			/* Nobody shares: every surplus is injected, S counts
			 * it for the indicators. */
			ind->shared_injection_kwh += r->total.surplus_kwh;
	}
	double max_sum_c = 0;
	for (size_t t = 0; t < nt; t++)
		if (sum_c_t[t] > max_sum_c)
			max_sum_c = sum_c_t[t];
	ind->unallocated_kwh = ind->shared_injection_kwh - ind->allocated_kwh;
	ind->self_consumption_rate =
	    ind->shared_injection_kwh > 0
		? ind->allocated_kwh / ind->shared_injection_kwh
		: NAN;
	ind->self_sufficiency_rate =
	    sum_c > 0 ? (sum_o + ind->allocated_kwh) / sum_c : NAN;
	ind->positive_energy_balance_kwh = sum_p - sum_c;
	ind->coincidence_factor = sum_max_c > 0 ? max_sum_c / sum_max_c : NAN;

	/* Bills. */
	for (size_t i = 0; i < n; i++) {
		struct cab_participant_result *r = &run->p[i];
		r->locality = 0;
		if (is_sharing) {
			size_t k = n_pools == 1
				       ? 0
				       : (size_t)sc->participants[i].cabin;
			r->locality = pools[k].locality;
		}
		cab_bill_compute(sc, &sc->participants[i], &r->total, true,
				 r->locality, &run->sharing, &r->baseline);
		if (is_sharing)
			cab_bill_compute(sc, &sc->participants[i], &r->total,
					 false, r->locality, &run->sharing,
					 &r->bill);
		else
			r->bill = r->baseline;
		r->delta_cents = r->bill.total_cents - r->baseline.total_cents;
		run->total_bill_cents += r->bill.total_cents;
		run->total_baseline_cents += r->baseline.total_cents;
	}
	st = cab_pot_cabin_flows(run, rd, err);
	if (st == CAB_OK && run->billing.mode == CAB_BILLING_POT)
		st = cab_pot_bill(run, rd, is_day, variant, err);
	if (st != CAB_OK)
		goto fail;
	*out = run;
	run = NULL;
fail:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	free_pools(pools, n_pools);
	free(month_of);
	free(is_day);
	free(has_given);
	free(sum_c_t);
	free(wbuf);
	free(hbuf);
	free(gbuf);
	cab_run_free(run);
	return st;
}
