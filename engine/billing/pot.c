/*
 * pot.c — collective billing: the common pot (SPEC §3).
 *
 * Communities without individual meters pay one bill, measured at the LV
 * cabin. Its cost (the cabin meter's import with the scenario's tariff,
 * through cab_bill_compute so that the tariff rule is written once, plus
 * the community's fixed terms) is the pot T. The assembly's billing key
 * gives each member a weight w_i; bill_i = T · w_i / Σ w_j, within the
 * bounds the assembly set (e.g. a cap for protected households), split to
 * the cent by largest remainder so that the shares add up to T exactly.
 *
 * The pot takes arrays and returns shares (engine/billing/pot.h): it
 * never reads or writes the run; engine/run/run.c gives it the members'
 * consumption and baselines and the metered cabins (found by
 * engine/sharing/cabin.c), and writes the shares into the bills.
 *
 * Workload: a pot has at most ~1,000 members; the split is a handful of
 * passes over them, negligible next to the sharing. Choices the spec
 * leaves open are documented in docs/pot.md. On CAB_ENOMEM these
 * functions leave the message to their caller (run.c adds it once).
 */
#include "engine/billing/pot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"
#include "engine/billing/bill.h"

/* One free part during a split: its exact share and how it ranks. */
struct part {
	size_t i;    /* index of the part */
	double frac; /* exact share − floor(exact share), cents */
	size_t rank; /* tie-break: smaller first */
};

static int by_remainder(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	if (x->frac != y->frac)
		return x->frac > y->frac ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Split r cents among the m free parts in `idx` by their weights (equal
 * when they sum to 0), by largest remainder. exact[] receives the exact
 * shares (cents); share[] the integer ones. */
static void largest_remainder(int64_t r, const size_t *idx, size_t m,
			      const double *weight, const size_t *rank,
			      double *exact, int64_t *share, struct part *tmp)
{
	double sum_w = 0;
	for (size_t j = 0; j < m; j++)
		sum_w += weight[idx[j]];
	int64_t given = 0;
	for (size_t j = 0; j < m; j++) {
		size_t i = idx[j];
		double q = sum_w > 0 ? (double)r * weight[i] / sum_w
				     : (double)r / (double)m;
		/* Shares that are whole up to float noise stay whole. */
		double f = floor(q + 1e-7);
		exact[i] = q;
		share[i] = (int64_t)f;
		given += share[i];
		double fr = q - f;
		tmp[j] = (struct part){i, fr > 0 ? fr : 0, rank ? rank[i] : i};
	}
	qsort(tmp, m, sizeof(*tmp), by_remainder);
	int64_t left = r - given;
	/* left is in [0, m) with exact arithmetic; the loops absorb noise. */
	for (int64_t k = 0; k < left; k++)
		share[tmp[(size_t)k % m].i]++;
	for (int64_t k = 0; k < -left; k++)
		share[tmp[m - 1 - (size_t)k % m].i]--;
}

/* *sum += x, saturating: a sum of caps or floors only decides whether
 * the bounds can hold (each bound is within the scenario's bounds, their
 * sum need not be). */
static void sat_add(int64_t *sum, int64_t x)
{
	if (__builtin_add_overflow(*sum, x, sum))
		*sum = x < 0 ? INT64_MIN : INT64_MAX;
}

enum cab_status cab_pot_split(int64_t total_cents, size_t n,
			      const double *weight, const int64_t *min_cents,
			      const int64_t *max_cents, const size_t *rank,
			      int64_t *share_cents)
{
	if (n == 0)
		return total_cents == 0 ? CAB_OK : CAB_EINPUT;
	bool is_capped = true;
	int64_t sum_max = 0, sum_min = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t lo = min_cents ? min_cents[i] : CAB_POT_NO_MIN;
		int64_t hi = max_cents ? max_cents[i] : CAB_POT_NO_MAX;
		if (lo != CAB_POT_NO_MIN && hi != CAB_POT_NO_MAX && lo > hi)
			return CAB_EINPUT;
		if (hi == CAB_POT_NO_MAX)
			is_capped = false;
		else
			sat_add(&sum_max, hi);
		if (lo != CAB_POT_NO_MIN)
			sat_add(&sum_min, lo);
	}
	if ((is_capped && sum_max < total_cents) || sum_min > total_cents)
		return CAB_EINPUT;

	enum cab_status st = CAB_ENOMEM;
	bool *is_fixed = calloc(n, sizeof(bool));
	size_t *idx = malloc(n * sizeof(size_t));
	double *exact = malloc(n * sizeof(double));
	struct part *tmp = malloc(n * sizeof(struct part));
	if (!is_fixed || !idx || !exact || !tmp)
		goto done;
	/* Water filling: the answer is clamp(λ·w_i, min_i, max_i) with λ
	 * such that the parts add up to the total. Each pass splits what the
	 * fixed parts left among the free ones; when the parts above their
	 * cap exceed their caps by at least as much as the parts below their
	 * floor miss theirs, λ can only grow, so those capped stay capped
	 * (and the other way round). Every pass fixes at least one part. */
	st = CAB_EINTERNAL;
	for (size_t pass = 0; pass <= n; pass++) {
		int64_t r = total_cents;
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			if (is_fixed[i])
				r -= share_cents[i];
			else
				idx[m++] = i;
		}
		if (m == 0) {
			if (r == 0)
				st = CAB_OK;
			goto done;
		}
		largest_remainder(r, idx, m, weight, rank, exact, share_cents,
				  tmp);
		double over = 0, under = 0;
		for (size_t j = 0; j < m; j++) {
			size_t i = idx[j];
			int64_t lo = min_cents ? min_cents[i] : CAB_POT_NO_MIN;
			int64_t hi = max_cents ? max_cents[i] : CAB_POT_NO_MAX;
			/* The exact share decides; the rounded one must hold
			 * too (it differs by less than a cent). */
			if (hi != CAB_POT_NO_MAX &&
			    (exact[i] > (double)hi || share_cents[i] > hi))
				over += fmax(exact[i] - (double)hi, 1e-9);
			if (lo != CAB_POT_NO_MIN &&
			    (exact[i] < (double)lo || share_cents[i] < lo))
				under += fmax((double)lo - exact[i], 1e-9);
		}
		if (over == 0 && under == 0) {
			st = CAB_OK;
			goto done;
		}
		bool fix_caps = over >= under;
		for (size_t j = 0; j < m; j++) {
			size_t i = idx[j];
			int64_t lo = min_cents ? min_cents[i] : CAB_POT_NO_MIN;
			int64_t hi = max_cents ? max_cents[i] : CAB_POT_NO_MAX;
			if (fix_caps && hi != CAB_POT_NO_MAX &&
			    (exact[i] > (double)hi || share_cents[i] > hi)) {
				is_fixed[i] = true;
				share_cents[i] = hi;
			} else if (!fix_caps && lo != CAB_POT_NO_MIN &&
				   (exact[i] < (double)lo ||
				    share_cents[i] < lo)) {
				is_fixed[i] = true;
				share_cents[i] = lo;
			}
		}
	}
done:
	free(is_fixed);
	free(idx);
	free(exact);
	free(tmp);
	return st;
}

static void billing_path(long variant, char *buf, size_t size)
{
	if (variant >= 0)
		snprintf(buf, size, "$.compare[%ld].billing", variant);
	else
		snprintf(buf, size, "$.billing");
}

/* The criterion k's raw weight of participant i (SPEC §3 table). */
static double raw_weight(const struct cab_pot_input *in, size_t i, int k)
{
	const struct cab_participant *pa = &in->sc->participants[i];
	const struct cab_billing *b = in->billing;
	switch (k) {
	case CAB_CRIT_EQUAL:
		return 1;
	case CAB_CRIT_OCCUPANTS:
		return pa->occupants > 0 ? pa->occupants : 0;
	case CAB_CRIT_HISTORY:
		return pa->history_kwh > 0 ? pa->history_kwh : 0;
	case CAB_CRIT_MEASURED:
		/* A meterless participant has no measured consumption. */
		return pa->is_meterless ? 0 : in->member[i].consumption_kwh;
	case CAB_CRIT_INCOME:
		if (pa->income_band < 0 ||
		    (size_t)pa->income_band >= b->n_income_factors)
			return 0;
		return fmax(b->income_factors[pa->income_band], 0);
	case CAB_CRIT_BUILDING:
		if (!pa->epb_class || pa->floor_area_m2 < 0)
			return 0;
		return pa->floor_area_m2 *
		       fmax(b->building_factors[pa->epb_class - 'A'], 0);
	}
	return 0;
}

/* The key of one pot: w_i = Σ_k α_k · w_i^k / Σ_j w_j^k, skipping a
 * criterion whose Σ_j is 0; fills each member's key[] and weight in out
 * and the mixed weights w[] (by position in members). */
static void pot_weights(const struct cab_pot_input *in, const size_t *members,
			size_t m, double *w, struct cab_pot_shares *out)
{
	const struct cab_billing *b = in->billing;
	for (size_t j = 0; j < m; j++)
		w[j] = 0;
	for (int k = 0; k < CAB_CRIT_COUNT; k++) {
		if (!(b->alpha[k] > 0))
			continue;
		double sum = 0;
		for (size_t j = 0; j < m; j++)
			sum += raw_weight(in, members[j], k);
		if (!(sum > 0))
			continue;
		for (size_t j = 0; j < m; j++) {
			double x = raw_weight(in, members[j], k) / sum;
			out->key[members[j]][k] = x;
			w[j] += b->alpha[k] * x;
		}
	}
	double sum_w = 0;
	for (size_t j = 0; j < m; j++)
		sum_w += w[j];
	for (size_t j = 0; j < m; j++)
		out->weight[members[j]] =
		    sum_w > 0 ? w[j] / sum_w : 1.0 / (double)m;
}

/* The tightest bounds that apply to participant i, in cents. */
static enum cab_status member_bounds(const struct cab_pot_input *in, size_t i,
				     const char *bpath, int64_t *lo,
				     int64_t *hi, double *hi_price,
				     struct cab_err *err)
{
	const struct cab_scenario *sc = in->sc;
	const struct cab_participant *pa = &sc->participants[i];
	const struct cab_billing *b = in->billing;
	*lo = CAB_POT_NO_MIN;
	*hi = CAB_POT_NO_MAX;
	*hi_price = -1;
	for (size_t k = 0; k < b->n_bounds; k++) {
		const struct cab_bound *bd = &b->bounds[k];
		bool is_mine =
		    strcmp(bd->who, pa->id) == 0 ||
		    (strcmp(bd->who, "protected") == 0 && pa->is_protected);
		if (!is_mine)
			continue;
		if (bd->max_eur >= 0) {
			int64_t c = cab_round_cents(bd->max_eur);
			if (c < *hi) {
				*hi = c;
				*hi_price = -1;
			}
		}
		if (bd->max_price_eur_kwh >= 0) {
			double kwh = pa->is_meterless
					 ? pa->history_kwh
					 : in->member[i].consumption_kwh;
			if (kwh < 0)
				return cab_err_add(
				    err, CAB_EINPUT,
				    _("%s: %s.bounds.%s: participant '%s' "
				      "has no measured consumption for "
				      "max_price_eur_kwh (expected "
				      "'history_kwh' for a meterless "
				      "participant)"),
				    sc->path, bpath, bd->who, pa->id);
			int64_t c =
			    cab_round_cents(bd->max_price_eur_kwh * kwh);
			if (c < *hi) {
				*hi = c;
				*hi_price = bd->max_price_eur_kwh;
			}
		}
		if (bd->min_eur >= 0) {
			int64_t c = cab_round_cents(bd->min_eur);
			if (c > *lo)
				*lo = c;
		}
	}
	if (*lo != CAB_POT_NO_MIN && *hi != CAB_POT_NO_MAX && *lo > *hi) {
		char a[32], z[32];
		cab_bill_fmt_eur(*lo, a, sizeof(a));
		cab_bill_fmt_eur(*hi, z, sizeof(z));
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: %s.bounds: participant '%s': floor %s "
		      "EUR is above its cap %s EUR (expected a "
		      "floor below the cap)"),
		    sc->path, bpath, pa->id, a, z);
	}
	return CAB_OK;
}

/* A member and its id, to rank members by id. */
struct named {
	const char *id; /* borrowed from the scenario */
	size_t j;	/* position in the pot's members */
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->id,
		      ((const struct named *)b)->id);
}

/* rank[j] = the place of member j in id order (ids are unique), by one
 * sort: a pot of 100,000 meterless members is ranked in a blink (the
 * pairwise count it replaces took m² comparisons). */
static bool rank_by_id(const struct cab_scenario *sc, const size_t *members,
		       size_t m, size_t *rank)
{
	struct named *v = malloc((m ? m : 1) * sizeof(*v));
	if (!v)
		return false;
	for (size_t j = 0; j < m; j++)
		v[j] = (struct named){sc->participants[members[j]].id, j};
	qsort(v, m, sizeof(*v), by_id);
	for (size_t k = 0; k < m; k++)
		rank[v[k].j] = k;
	free(v);
	return true;
}

/* The caps' or the floors' total against the pot (a, z in EUR): with
 * the cabin named (of_cabin) once a second pot exists, else without;
 * each a whole sentence for the translators. */
static enum cab_status sum_error(struct cab_err *err, const char *cabin,
				 const char *of_cabin, const char *alone,
				 const char *path, const char *bpath,
				 const char *a, const char *z)
{
	return cabin ? cab_err_add(err, CAB_EINPUT, of_cabin, path, bpath, a,
				   cabin, z)
		     : cab_err_add(err, CAB_EINPUT, alone, path, bpath, a, z);
}

/* Split the last pot of out (out->n_pots − 1) among its m members:
 * weights, bounds, shares. */
static enum cab_status split_pot(const struct cab_pot_input *in,
				 struct cab_pot_shares *out,
				 const size_t *members, size_t m,
				 const char *bpath, struct cab_err *err)
{
	const struct cab_scenario *sc = in->sc;
	size_t pot = out->n_pots - 1;
	const struct cab_pot *pt = &out->pots[pot];
	enum cab_status st = CAB_ENOMEM;
	double *w = malloc(m * sizeof(double));
	int64_t *lo = malloc(m * sizeof(int64_t));
	int64_t *hi = malloc(m * sizeof(int64_t));
	double *hi_price = malloc(m * sizeof(double));
	int64_t *share = malloc(m * sizeof(int64_t));
	size_t *rank = malloc(m * sizeof(size_t));
	if (!w || !lo || !hi || !hi_price || !share || !rank)
		goto done;
	pot_weights(in, members, m, w, out);
	bool is_capped = true;
	int64_t sum_max = 0, sum_min = 0;
	for (size_t j = 0; j < m; j++) {
		st = member_bounds(in, members[j], bpath, &lo[j], &hi[j],
				   &hi_price[j], err);
		if (st != CAB_OK)
			goto done;
		if (hi[j] == CAB_POT_NO_MAX)
			is_capped = false;
		else
			sat_add(&sum_max, hi[j]);
		if (lo[j] != CAB_POT_NO_MIN)
			sat_add(&sum_min, lo[j]);
	}
	/* Ties of the largest remainder go in id order. */
	st = CAB_ENOMEM;
	if (!rank_by_id(sc, members, m, rank))
		goto done;
	char a[32], z[32];
	cab_bill_fmt_eur(pt->total_cents, z, sizeof(z));
	/* Named once a second pot exists (the pots so far, this one too);
	 * each message whole in both forms, for the translators. */
	const char *cabin =
	    out->n_pots > 1 && pt->cabin >= 0 ? sc->cabins[pt->cabin].id : NULL;
	if (is_capped && sum_max < pt->total_cents) {
		cab_bill_fmt_eur(sum_max, a, sizeof(a));
		st = sum_error(
		    err, cabin,
		    _("%s: %s.bounds: caps total %s EUR, below the pot of "
		      "cabin '%s' %s EUR (expected caps that can cover the "
		      "pot)"),
		    _("%s: %s.bounds: caps total %s EUR, below the pot %s EUR "
		      "(expected caps that can cover the pot)"),
		    sc->path, bpath, a, z);
		goto done;
	}
	if (sum_min > pt->total_cents) {
		cab_bill_fmt_eur(sum_min, a, sizeof(a));
		st = sum_error(
		    err, cabin,
		    _("%s: %s.bounds: floors total %s EUR, above the pot of "
		      "cabin '%s' %s EUR (expected floors the pot can cover)"),
		    _("%s: %s.bounds: floors total %s EUR, above the pot %s "
		      "EUR (expected floors the pot can cover)"),
		    sc->path, bpath, a, z);
		goto done;
	}
	st = cab_pot_split(pt->total_cents, m, w, lo, hi, rank, share);
	if (st != CAB_OK) {
		st = cabin ? cab_err_add(err, CAB_EINTERNAL,
					 _("%s: the pot of cabin '%s' could "
					   "not be split within its bounds"),
					 sc->path, cabin)
			   : cab_err_add(err, CAB_EINTERNAL,
					 _("%s: the pot could not be split "
					   "within its bounds"),
					 sc->path);
		goto done;
	}
	for (size_t j = 0; j < m; j++) {
		out->share_cents[members[j]] = share[j];
		out->pot[members[j]] = (int)pot;
		struct cab_pot_bound *bd = &out->bound[members[j]];
		if (hi[j] != CAB_POT_NO_MAX && share[j] == hi[j])
			*bd = (struct cab_pot_bound){1, hi[j], hi_price[j] >= 0,
						     hi_price[j]};
		else if (lo[j] != CAB_POT_NO_MIN && share[j] == lo[j])
			*bd = (struct cab_pot_bound){-1, lo[j], false, 0};
	}
	st = CAB_OK;
done:
	free(w);
	free(lo);
	free(hi);
	free(hi_price);
	free(share);
	free(rank);
	return st;
}

/* The cost of cabin k's pot: its meter billed like a participant alone
 * (its import is its demand, with the pot's VAT), plus the fixed terms.
 * Fails with CAB_EINPUT when it is beyond what cabine counts. */
static enum cab_status cabin_pot(const struct cab_pot_input *in, size_t k,
				 int64_t fixed_cents, struct cab_pot *pt,
				 struct cab_err *err)
{
	const struct cab_scenario *sc = in->sc;
	int c = in->cabin[k].cabin;
	const double *s = in->cabin[k].import_kwh;
	struct cab_volumes v = {0};
	for (size_t t = 0; t < sc->n_intervals; t++) {
		if (isnan(s[t]))
			continue;
		v.consumption_kwh += s[t];
		v.demand_kwh += s[t];
		if (in->is_day[t])
			v.demand_day_kwh += s[t];
	}
	struct cab_participant pseudo = {
	    .id = sc->cabins[c].id,
	    .cabin = c,
	    .vat = in->billing->vat,
	};
	cab_bill_compute(sc, &pseudo, &v, true, 'B', in->sharing, &pt->bill);
	char who[160];
	snprintf(who, sizeof(who), _("cabin '%s'"), sc->cabins[c].id);
	enum cab_status st = cab_bill_check(sc->path, who, &pt->bill, err);
	pt->total_cents = pt->bill.total_cents;
	if (st == CAB_OK && !cab_cents_add(&pt->total_cents, fixed_cents))
		st = cab_bill_sum_error(sc->path, _("the pot's costs"), who,
					err);
	return st;
}

void cab_pot_shares_release(struct cab_pot_shares *s)
{
	free(s->pots);
	free(s->pot);
	free(s->share_cents);
	free(s->weight);
	free(s->key);
	free(s->bound);
	*s = (struct cab_pot_shares){0};
}

enum cab_status cab_pot_compute(const struct cab_pot_input *in,
				struct cab_pot_shares *out, struct cab_err *err)
{
	const struct cab_scenario *sc = in->sc;
	size_t n = sc->n_participants, n1 = n ? n : 1;
	char bpath[64];
	billing_path(in->variant, bpath, sizeof(bpath));
	enum cab_status st = CAB_ENOMEM;
	size_t n_pots = in->n_cabins ? in->n_cabins : 1;
	size_t *members = malloc(n1 * sizeof(size_t));
	*out = (struct cab_pot_shares){0};
	out->pots = calloc(n_pots, sizeof(*out->pots));
	out->pot = malloc(n1 * sizeof(*out->pot));
	out->share_cents = calloc(n1, sizeof(*out->share_cents));
	out->weight = malloc(n1 * sizeof(*out->weight));
	out->key = malloc(n1 * sizeof(*out->key));
	out->bound = calloc(n1, sizeof(*out->bound));
	if (!members || !out->pots || !out->pot || !out->share_cents ||
	    !out->weight || !out->key || !out->bound)
		goto done;
	for (size_t i = 0; i < n; i++) {
		out->pot[i] = -1;
		out->weight[i] = NAN;
		for (int k = 0; k < CAB_CRIT_COUNT; k++)
			out->key[i][k] = NAN;
	}
	double years = cab_bill_year_fraction(sc);
	int64_t fixed = cab_round_cents(in->billing->fixed_eur_year * years);
	for (size_t k = 0; k < n_pots; k++) {
		struct cab_pot *pt = &out->pots[out->n_pots];
		size_t m = 0;
		pt->fixed_cents = fixed;
		if (in->n_cabins) {
			pt->cabin = in->cabin[k].cabin;
			for (size_t i = 0; i < n; i++)
				if (sc->participants[i].cabin == pt->cabin)
					members[m++] = i;
			if (m == 0)
				continue; /* nobody behind it pays: docs/pot.md
					   */
			st = cabin_pot(in, k, fixed, pt, err);
			if (st != CAB_OK)
				goto done;
		} else {
			pt->cabin = -1;
			bool has_metered = false;
			for (size_t i = 0; i < n; i++) {
				members[m++] = i;
				if (sc->participants[i].is_meterless)
					continue;
				has_metered = true;
				if (!cab_cents_add(
					&pt->total_cents,
					in->member[i].baseline_cents)) {
					char who[160];
					snprintf(who, sizeof(who),
						 _("participant '%s'"),
						 sc->participants[i].id);
					st = cab_bill_sum_error(
					    sc->path, _("the pot's baselines"),
					    who, err);
					goto done;
				}
			}
			if (!has_metered) {
				st = cab_err_add(
				    err, CAB_EINPUT,
				    _("%s: %s: the pot needs a cabin "
				      "meter or metered participants "
				      "(expected a cabin with \"meter\")"),
				    sc->path, bpath);
				goto done;
			}
			if (!cab_cents_add(&pt->total_cents, fixed)) {
				st = cab_bill_sum_error(
				    sc->path, _("the pot's costs"),
				    _("its fixed terms"), err);
				goto done;
			}
		}
		pt->n_members = m;
		out->n_pots++;
		st = split_pot(in, out, members, m, bpath, err);
		if (st != CAB_OK)
			goto done;
		if (!cab_cents_add(&out->pot_cents, pt->total_cents)) {
			char who[64];
			snprintf(who, sizeof(who), _("pot %zu"), out->n_pots);
			st = cab_bill_sum_error(sc->path, _("the pots"), who,
						err);
			goto done;
		}
	}
	st = CAB_OK;
done:
	free(members);
	return st;
}
