/*
 * warnings.c — the warnings of SPEC §10 (see cabine/warnings.h): one
 * function per code, in the order of the spec's table, each reading only
 * what the scenario, its readings and its base run already hold.
 *
 * Why here: the cabin residual and a participant's demand over the
 * period come from the run; the others read the scenario and the
 * readings, which every command that runs a scenario has at hand. Each
 * message names what to look at (the participant, the cabin, the key of
 * the scenario) and what was expected, in English for summary.json and
 * in the user's language on stderr (cab_err_warn_at_path).
 *
 * Workload: one pass over each declared meter's series (period_beyond_
 * data), the rest is per participant, per cabin or per price: well under
 * the run itself.
 */
#include "cabine/warnings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/store.h"
#include "cabine/time.h"
#include "engine/base/i18n.h"

#define SHOWN_METERS 10 /* unused meters named in the message */

/* s in single quotes into buf (at least 72 bytes): at most 64 bytes of
 * it, control bytes as '?', so that a message stays one line. */
static const char *quoted(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	buf[n++] = '\'';
	for (; s && *s && n < 65 && n + 2 < size; s++)
		buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

/* base + ".key", or base + "[\"key\"]" when key is not an identifier
 * (the scenario loader's rule, engine/scenario/json.c). */
static void path_key(char *out, size_t size, const char *base, const char *key)
{
	bool is_plain = key[0] && !(key[0] >= '0' && key[0] <= '9');
	for (const char *k = key; is_plain && *k; k++)
		is_plain = (*k >= 'a' && *k <= 'z') ||
			   (*k >= 'A' && *k <= 'Z') ||
			   (*k >= '0' && *k <= '9') || *k == '_' || *k == '-';
	snprintf(out, size, is_plain ? "%s.%.64s" : "%s[\"%.64s\"]", base, key);
}

/* "YYYY-MM-DD" of the local day holding UTC instant t. */
static void local_date(int64_t t, char out[11])
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	snprintf(out, 11, "%04d-%02d-%02d", c.year, c.month, c.day);
}

/* ---- period_beyond_data ---- */

/* First and last interval with a value in s (n values), or false. */
static bool extent(const double *s, size_t n, size_t *first, size_t *last)
{
	size_t a = 0;
	while (a < n && isnan(s[a]))
		a++;
	if (a == n)
		return false;
	size_t b = n - 1;
	while (isnan(s[b]))
		b--;
	*first = a;
	*last = b;
	return true;
}

static enum cab_status period_beyond_data(const struct cab_scenario *sc,
					  const struct cab_readings *rd,
					  struct cab_err *err)
{
	size_t n = sc->n_intervals, first = n, last = 0;
	bool any = false;
	for (size_t i = 0; i < sc->n_participants + sc->n_cabins; i++) {
		const char *m[4];
		cab_scenario_meters(sc, i, m);
		for (int k = 0; k < 4; k++) {
			const double *s =
			    m[k] ? cab_readings_series(rd, m[k]) : NULL;
			size_t a, b;
			if (!s || !extent(s, n, &a, &b))
				continue;
			any = true;
			first = a < first ? a : first;
			last = b > last ? b : last;
		}
	}
	if (!any || (first == 0 && last + 1 == n))
		return CAB_OK;
	char d0[11], d1[11], p0[11], p1[11];
	local_date(sc->t0_s + (int64_t)first * CAB_INTERVAL_S, d0);
	local_date(sc->t0_s + (int64_t)last * CAB_INTERVAL_S, d1);
	local_date(sc->t0_s, p0);
	local_date(sc->t0_s + (int64_t)(n - 1) * CAB_INTERVAL_S, p1);
	double uncovered = 100.0 * (double)(n - (last + 1 - first)) / (double)n;
	return cab_err_warn_at_path(
	    err, CAB_WARN_PERIOD_BEYOND_DATA, sc->path, "$.period",
	    N_("the readings have data only from %s to %s, but the period runs "
	       "from %s to %s: %.1f %% of it has no data (expected readings "
	       "over the whole period, or a period that ends with them: fixed "
	       "terms are billed for every day of the period)"),
	    d0, d1, p0, p1, uncovered);
}

/* ---- low_coverage ---- */

static enum cab_status low_coverage(const struct cab_scenario *sc,
				    const struct cab_run *run,
				    struct cab_err *err)
{
	size_t n = sc->n_intervals;
	for (size_t i = 0; i < run->n && n > 0; i++) {
		const struct cab_participant *pa = &sc->participants[i];
		size_t miss = run->p[i].missing_intervals;
		if (pa->is_meterless ||
		    !((double)miss > CAB_WARN_MAX_MISSING * (double)n))
			continue;
		char path[64], q[80];
		snprintf(path, sizeof(path), "$.participants[%zu]", i);
		enum cab_status st = cab_err_warn_at_path(
		    err, CAB_WARN_LOW_COVERAGE, sc->path, path,
		    N_("participant %s: %zu of the period's %zu intervals have "
		       "no reading (%.1f %%, expected at most 10 %%: those "
		       "intervals are left out of its sharing and of its "
		       "bill)"),
		    quoted(pa->id, q, sizeof(q)), miss, n,
		    100.0 * (double)miss / (double)n);
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

/* ---- unused_meter ---- */

/* The meters the scenario names, sorted, for bsearch. */
struct named {
	const char **m; /* borrowed from the scenario */
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum cab_status named_new(const struct cab_scenario *sc,
				 struct named *nm)
{
	nm->n = 0;
	nm->m = malloc((4 * sc->n_participants + sc->n_cabins + 1) *
		       sizeof(*nm->m));
	if (!nm->m)
		return CAB_ENOMEM;
	for (size_t i = 0; i < sc->n_participants + sc->n_cabins; i++) {
		const char *m[4];
		cab_scenario_meters(sc, i, m);
		for (int k = 0; k < 4; k++)
			if (m[k])
				nm->m[nm->n++] = m[k];
	}
	qsort(nm->m, nm->n, sizeof(*nm->m), cmp_str);
	return CAB_OK;
}

/* The unused meters found so far, as the message lists them. */
struct unused {
	const struct named *named;
	char list[SHOWN_METERS * 72]; /* "'a', 'b', …" */
	size_t n;		      /* meters found */
};

static int note_unused(void *ctx, const char *meter)
{
	struct unused *u = ctx;
	if (bsearch(&meter, u->named->m, u->named->n, sizeof(*u->named->m),
		    cmp_str))
		return 0;
	if (u->n < SHOWN_METERS) {
		size_t len = strlen(u->list);
		char q[80];
		snprintf(u->list + len, sizeof(u->list) - len, "%s%s",
			 u->n ? ", " : "", quoted(meter, q, sizeof(q)));
	}
	u->n++;
	return 0;
}

static enum cab_status unused_meter(const struct cab_scenario *sc,
				    const struct cab_readings *rd,
				    struct cab_err *err)
{
	struct named nm;
	if (named_new(sc, &nm) != CAB_OK)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	struct unused u = {.named = &nm};
	enum cab_status st = CAB_OK;
	if (sc->db_path) {
		struct cab_store *store = NULL;
		st = cab_store_open(sc->db_path, false, &store, err);
		if (st == CAB_OK)
			st = cab_store_meters(store, sc->t0_s,
					      sc->t0_s +
						  (int64_t)sc->n_intervals *
						      CAB_INTERVAL_S,
					      note_unused, &u, err);
		cab_store_close(store);
	} else {
		const char *m;
		for (size_t i = 0; (m = cab_readings_undeclared_id(rd, i)); i++)
			note_unused(&u, m);
	}
	free(nm.m);
	if (st != CAB_OK || u.n == 0)
		return st;
	const char *where = sc->db_path ? "$.db" : "$.readings";
	if (u.n <= SHOWN_METERS)
		return cab_err_warn_at_path(
		    err, CAB_WARN_UNUSED_METER, sc->path, where,
		    N_("the readings hold meters that no participant or cabin "
		       "names: %s (a participant forgotten in $.participants, "
		       "or a meter id mistyped?)"),
		    u.list);
	return cab_err_warn_at_path(
	    err, CAB_WARN_UNUSED_METER, sc->path, where,
	    N_("the readings hold %zu meters that no participant or cabin "
	       "names: %s, … (participants forgotten in $.participants, or "
	       "meter ids mistyped?)"),
	    u.n, u.list);
}

/* ---- cabin_residual ---- */

static enum cab_status cabin_residual(const struct cab_scenario *sc,
				      const struct cab_run *run,
				      struct cab_err *err)
{
	for (size_t k = 0; k < run->n_cabin_flows; k++) {
		const struct cab_cabin_flow *f = &run->cabin_flows[k];
		if (!(f->import_kwh > 0) ||
		    !(f->residual_kwh > CAB_WARN_MAX_RESIDUAL * f->import_kwh))
			continue;
		const struct cab_cabin *cb = &sc->cabins[f->cabin];
		char path[64], q[80], qm[80];
		snprintf(path, sizeof(path), "$.cabins[%d]", f->cabin);
		enum cab_status st = cab_err_warn_at_path(
		    err, CAB_WARN_CABIN_RESIDUAL, sc->path, path,
		    N_("cabin %s: its meter %s imported %.3f kWh, %.3f kWh "
		       "(%.1f %%) more than the participants behind it account "
		       "for (expected at most 10 %%: is someone behind it "
		       "missing from $.participants?)"),
		    quoted(cb->id, q, sizeof(q)),
		    quoted(cb->meter, qm, sizeof(qm)), f->import_kwh,
		    f->residual_kwh, 100.0 * f->residual_kwh / f->import_kwh);
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

/* ---- implausible_price ---- */

/* A price per kWh (is_yearly false) or a yearly fixed term at path. */
static enum cab_status implausible(struct cab_err *err, const char *file,
				   const char *path, double v, bool is_yearly)
{
	if (!(v > (is_yearly ? CAB_WARN_MAX_EUR_YEAR : CAB_WARN_MAX_EUR_KWH)))
		return CAB_OK;
	return cab_err_warn_at_path(
	    err, CAB_WARN_IMPLAUSIBLE_PRICE, file, path,
	    is_yearly ? N_("fixed term %g EUR a year is above 1000 EUR (typed "
			   "in cents? %g cents are written %g)")
		      : N_("price %g EUR/kWh is above 2 EUR/kWh (typed in "
			   "cents? %g cents are written %g)"),
	    v, v, v / 100);
}

static enum cab_status implausible_price(const struct cab_scenario *sc,
					 struct cab_err *err)
{
	const struct cab_tariff *t = &sc->tariff;
	const char *f = sc->path;
	enum cab_status st = CAB_OK;
	const char *loc[4] = {"A", "B", "C", "D"};
	st |= implausible(err, f, "$.tariff.supplier_day_eur_kwh",
			  t->supplier_day_eur_kwh, false);
	if (t->has_night_price)
		st |= implausible(err, f, "$.tariff.supplier_night_eur_kwh",
				  t->supplier_night_eur_kwh, false);
	st |= implausible(err, f, "$.tariff.supplier_fixed_eur_year",
			  t->supplier_fixed_eur_year, true);
	st |= implausible(err, f, "$.tariff.network_eur_kwh",
			  t->network_eur_kwh, false);
	for (int k = 0; k < 4; k++) {
		char p[64];
		snprintf(p, sizeof(p), "$.tariff.network_shared_eur_kwh.%s",
			 loc[k]);
		st |=
		    implausible(err, f, p, t->network_shared_eur_kwh[k], false);
	}
	st |= implausible(err, f, "$.tariff.network_fixed_eur_year",
			  t->network_fixed_eur_year, true);
	st |= implausible(err, f, "$.tariff.taxes_eur_kwh", t->taxes_eur_kwh,
			  false);
	st |= implausible(err, f, "$.tariff.injection_eur_kwh",
			  t->injection_eur_kwh, false);
	st |= implausible(err, f, "$.sharing.price_eur_kwh",
			  sc->sharing.price_eur_kwh, false);
	for (size_t v = 0; v < sc->n_variants; v++) {
		double pv = sc->variants[v].sharing.price_eur_kwh;
		if (pv == sc->sharing.price_eur_kwh)
			continue; /* the base's, said once */
		char p[96];
		snprintf(p, sizeof(p), "$.compare[%zu].sharing.price_eur_kwh",
			 v);
		st |= implausible(err, f, p, pv, false);
	}
	for (size_t b = 0; b < sc->billing.n_bounds; b++) {
		char p[160], pb[128];
		path_key(pb, sizeof(pb), "$.billing.bounds",
			 sc->billing.bounds[b].who);
		snprintf(p, sizeof(p), "%s.max_price_eur_kwh", pb);
		st |= implausible(
		    err, f, p, sc->billing.bounds[b].max_price_eur_kwh, false);
	}
	return st ? CAB_ENOMEM : CAB_OK;
}

/* ---- weights_below_one, weight_without_demand ---- */

/* The weights of the base (v < 0) or of variant v under key "fixed":
 * where they are written, and each participant's. */
struct weights {
	const struct cab_sharing *sh;
	const double *w; /* per participant, or NULL for the base */
	const bool *has; /* per participant, or NULL for the base */
	char path[64];	 /* "$.sharing.weights" or the variant's */
};

/* The weight blocks of ws ("weights": "FILE.csv"), or 1: the weights do
 * not change. */
static size_t n_blocks_of(const struct weights *ws)
{
	return ws->sh->n_weight_blocks ? ws->sh->n_weight_blocks : 1;
}

/* Participant i's weight in block b of ws (b = 0 without blocks). */
static double weight_of(const struct cab_scenario *sc, const struct weights *ws,
			size_t b, size_t i, bool *has)
{
	if (ws->sh->n_weight_blocks) {
		*has = true;
		return ws->sh->block_weight[b * sc->n_participants + i];
	}
	*has = ws->has ? ws->has[i] : sc->participants[i].has_weight;
	if (!*has)
		return 0;
	return ws->w ? ws->w[i] : sc->participants[i].weight;
}

static void weights_of(const struct cab_scenario *sc, long v,
		       struct weights *ws)
{
	*ws = (struct weights){.sh = v < 0 ? &sc->sharing
					   : &sc->variants[v].sharing};
	snprintf(ws->path, sizeof(ws->path), "$.sharing.weights");
	if (v < 0)
		return;
	const struct cab_variant *var = &sc->variants[v];
	ws->w = var->weights;
	ws->has = var->has_weight;
	bool is_same = sc->sharing.has_weights == var->sharing.has_weights;
	for (size_t i = 0; i < sc->n_participants && is_same; i++)
		is_same =
		    var->has_weight[i] == sc->participants[i].has_weight &&
		    (!var->has_weight[i] ||
		     var->weights[i] == sc->participants[i].weight);
	if (!is_same)
		snprintf(ws->path, sizeof(ws->path),
			 "$.compare[%ld].sharing.weights", v);
}

static enum cab_status weights_below_one(const struct cab_scenario *sc,
					 const struct weights *ws,
					 struct cab_err *err)
{
	/* With rounds "until-done" the rest goes again to the members with
	 * a weight: a sum below 1 then loses nothing. */
	if (ws->sh->is_until_done)
		return CAB_OK;
	bool is_cabin = ws->sh->perimeter == CAB_PERIMETER_CABIN;
	size_t n_pools = is_cabin ? sc->n_cabins : 1;
	for (size_t k = 0; k < n_pools; k++) {
		/* With weights by blocks, the first block whose sum is low
		 * says it (once per pool). */
		double sum = 1;
		size_t members = 0;
		for (size_t b = 0; b < n_blocks_of(ws); b++) {
			sum = 0;
			members = 0;
			for (size_t i = 0; i < sc->n_participants; i++) {
				if (is_cabin &&
				    sc->participants[i].cabin != (int)k)
					continue;
				bool has;
				sum += weight_of(sc, ws, b, i, &has);
				members++;
			}
			if (members && sum < CAB_WARN_MIN_WEIGHTS)
				break;
		}
		if (members == 0 || !(sum < CAB_WARN_MIN_WEIGHTS))
			continue;
		enum cab_status st;
		double lost = 100.0 * (1 - sum);
		if (is_cabin) {
			char q[80];
			st = cab_err_warn_at_path(
			    err, CAB_WARN_WEIGHTS_BELOW_ONE, sc->path, ws->path,
			    N_("the weights of the participants behind cabin "
			       "%s sum to %g: %.0f %% of the production shared "
			       "there can never be allocated (expected weights "
			       "that sum to 1 in each cabin with perimeter "
			       "'cabin')"),
			    quoted(sc->cabins[k].id, q, sizeof(q)), sum, lost);
		} else {
			st = cab_err_warn_at_path(
			    err, CAB_WARN_WEIGHTS_BELOW_ONE, sc->path, ws->path,
			    N_("weights sum to %g: %.0f %% of the production "
			       "shared can never be allocated (expected "
			       "weights that sum to 1)"),
			    sum, lost);
		}
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

static enum cab_status weight_without_demand(const struct cab_scenario *sc,
					     const struct cab_run *run,
					     const struct weights *ws,
					     struct cab_err *err)
{
	for (size_t i = 0; i < run->n; i++) {
		bool has = false;
		double w = 0; /* the largest of its weights */
		for (size_t b = 0; b < n_blocks_of(ws); b++) {
			bool h;
			double x = weight_of(sc, ws, b, i, &h);
			if (h && (!has || x > w))
				w = x;
			has = has || h;
		}
		if (!has || !(w > 0) || run->p[i].total.demand_kwh > 0)
			continue;
		char path[160], q[80];
		path_key(path, sizeof(path), ws->path, sc->participants[i].id);
		enum cab_status st = cab_err_warn_at_path(
		    err, CAB_WARN_WEIGHT_WITHOUT_DEMAND, sc->path, path,
		    N_("participant %s has weight %g but no demand over the "
		       "whole period (a producer? expected weights for the "
		       "participants who consume)"),
		    quoted(sc->participants[i].id, q, sizeof(q)), w);
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

/* Both weight warnings of the base and of every variant under "fixed". */
static enum cab_status fixed_weights(const struct cab_scenario *sc,
				     const struct cab_run *run, bool is_sums,
				     struct cab_err *err)
{
	for (long v = -1; v < (long)sc->n_variants; v++) {
		struct weights ws;
		weights_of(sc, v, &ws);
		if (strcmp(ws.sh->key, "fixed") != 0 || !ws.sh->has_weights)
			continue;
		enum cab_status st =
		    is_sums ? weights_below_one(sc, &ws, err)
			    : weight_without_demand(sc, run, &ws, err);
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

enum cab_status cab_warnings_find(const struct cab_scenario *sc,
				  const struct cab_readings *rd,
				  const struct cab_run *run,
				  struct cab_err *err)
{
	enum cab_status st = period_beyond_data(sc, rd, err);
	if (st == CAB_OK)
		st = low_coverage(sc, run, err);
	if (st == CAB_OK)
		st = unused_meter(sc, rd, err);
	if (st == CAB_OK)
		st = cabin_residual(sc, run, err);
	if (st == CAB_OK)
		st = implausible_price(sc, err);
	if (st == CAB_OK)
		st = fixed_weights(sc, run, true, err);
	if (st == CAB_OK)
		st = fixed_weights(sc, run, false, err);
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	return st;
}
