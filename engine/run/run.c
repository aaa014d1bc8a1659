/*
 * run.c — the main job: from a scenario and its readings to shared
 * energy, bills and indicators (SPEC §1, §2, §3, §5, §6).
 *
 * Why a file of its own: it only orchestrates. The sharing stage
 * (engine/sharing/: series, calendar, pools, the block loop, volumes,
 * indicators, cabin flows) and the billing stage (engine/billing/: bills,
 * the pot) compute; this file hands each stage what it needs, writes what
 * they return into struct cab_run, and computes the run's totals once.
 *
 * Workload: up to ~1,000 participants × 35,040 quarter-hours; the cost is
 * the block loop (engine/sharing/share.c) and faulting in the outputs.
 *
 * Memory: the run owns everything but the scenario and the readings. The
 * consumption and production series are borrowed from the readings
 * unless a participant's series had to be copied (engine/sharing/
 * series.c); a participant without production points at one shared
 * array of zeros; a and given of every participant live in one mapping.
 *
 * Missing data: a participant whose meter has no valid value in an
 * interval is left out of that interval's sharing (demand and surplus 0),
 * counted in missing_intervals, and written as empty fields by reports.
 */
#include "cabine/run.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/billing/bill.h"
#include "engine/billing/invoice_doc.h"
#include "engine/billing/pot.h"
#include "engine/sharing/sharing.h"

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
	free(run->fit_weight);
	if (run->arena)
		munmap(run->arena, run->arena_size);
	free(run);
}

/* CAB_EINPUT when the series s of a participant or cabin (kind) id
 * (what: "consumed", "produced", "imported") holds a quarter-hour above
 * CAB_READINGS_MAX_KWH: the bills' bound by proof (engine/billing/bill.c) rests
 * on it, whatever the source (a CSV, the store, a test). */
static enum cab_status check_series(const struct cab_scenario *sc,
				    const char *kind, const char *id,
				    const char *what, const double *s,
				    struct cab_err *err)
{
	for (size_t t = 0; t < sc->n_intervals; t++) {
		if (!(s[t] > CAB_READINGS_MAX_KWH))
			continue;
		char ts[32];
		cab_time_format_utc(sc->t0_s + (int64_t)t * CAB_INTERVAL_S, ts);
		return cab_err_add(err, CAB_EINPUT,
				   "%s: %s '%s': %g kWh %s in the quarter-hour "
				   "of %s (expected at most 250000 kWh a "
				   "quarter-hour, 1 GW: see the bounds in "
				   "docs/scenario.md)",
				   sc->path, kind, id, s[t], what, ts);
	}
	return CAB_OK;
}

/* A run for the base scenario (variant -1) or a variant, its months
 * taken from cal; its participants' series are load_series'. */
static enum cab_status start_run(const struct cab_scenario *sc, long variant,
				 struct cab_calendar *cal, struct cab_run *run)
{
	const struct cab_variant *v =
	    variant >= 0 ? &sc->variants[variant] : NULL;
	size_t n = sc->n_participants, nt = sc->n_intervals;
	run->sc = sc;
	run->variant = v ? v->name : NULL;
	run->sharing = v ? v->sharing : sc->sharing;
	run->billing = v ? v->billing : sc->billing;
	run->t0_s = sc->t0_s;
	run->n_intervals = nt;
	run->n = n;
	run->months = cal->months;
	run->n_months = cal->n_months;
	cal->months = NULL; /* the run owns them now */
	run->zeros = calloc(nt ? nt : 1, sizeof(double));
	run->p = calloc(n ? n : 1, sizeof(*run->p));
	if (!run->zeros || !run->p)
		return CAB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant_result *r = &run->p[i];
		r->month = calloc(run->n_months ? run->n_months : 1,
				  sizeof(*r->month));
		if (!r->month)
			return CAB_ENOMEM;
		r->pot = -1;
		r->pot_weight = NAN;
		for (int k = 0; k < CAB_CRIT_COUNT; k++)
			r->key[k] = NAN;
	}
	return CAB_OK;
}

/* Every participant's series, checked against the bills' bound. */
static enum cab_status load_series(struct cab_run *run,
				   const struct cab_readings *rd,
				   struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	for (size_t i = 0; i < run->n; i++) {
		struct cab_participant_result *r = &run->p[i];
		struct cab_series s;
		enum cab_status st =
		    run->billing.source == CAB_SOURCE_OPERATOR
			? cab_series_load_operator(sc, rd, i, &s, err)
			: cab_series_load(sc, rd, i, run->zeros, &s, err);
		if (st != CAB_OK)
			return st;
		r->consumption_kwh = s.consumption_kwh;
		r->production_kwh = s.production_kwh;
		/* The shared zeros (a meterless participant) need no look;
		 * nor do series whose largest value is within the bound. */
		const char *id = sc->participants[i].id;
		bool is_above = s.max_kwh > CAB_READINGS_MAX_KWH;
		if (is_above && s.consumption_kwh != run->zeros)
			st = check_series(sc, "participant", id, "consumed",
					  s.consumption_kwh, err);
		if (is_above && st == CAB_OK && s.production_kwh != run->zeros)
			st = check_series(sc, "participant", id, "produced",
					  s.production_kwh, err);
		r->copy[0] = s.copy[0];
		r->copy[1] = s.copy[1];
		r->is_net = s.is_net;
		r->missing_intervals = s.missing_intervals;
		r->filled_intervals = s.filled_intervals;
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

/* Whether participant i gives: it has production and someone shares
 * (with the operator's volumes, anyone may have injected). */
static bool has_given(const struct cab_run *run, size_t i, bool is_sharing)
{
	const struct cab_participant *pa = &run->sc->participants[i];
	return is_sharing && (pa->meter_production || pa->meter_injection ||
			      run->billing.source == CAB_SOURCE_OPERATOR);
}

/* Touch one byte of every page of [base, base + size): the kernel
 * faults them in and zeroes them on this thread. */
struct prefault {
	char *base;
	size_t size;
};

static void *prefault_run(void *arg)
{
	const struct prefault *w = arg;
	for (size_t off = 0; off < w->size; off += 4096)
		w->base[off] = 0;
	return NULL;
}

/* Map the outputs a and given of every participant. A year of a
 * thousand participants is ~300 MB written once, and faulting it in
 * 4 KiB pages costs more than the sharing itself, so ask for transparent
 * huge pages where the kernel offers them; and for a run that shares on
 * two threads, the pages are faulted in on a second thread (*th, when
 * *is_prefaulting) while this one loads the series: nothing else
 * touches the mapping until the caller joins it. */
static enum cab_status map_outputs(struct cab_run *run, bool is_sharing,
				   struct prefault *w, pthread_t *th,
				   bool *is_prefaulting)
{
	size_t n = run->n, nt = run->n_intervals, n_out = 0;
	*is_prefaulting = false;
	for (size_t i = 0; i < n; i++)
		n_out += (is_sharing ? 1 : 0) + has_given(run, i, is_sharing);
	if (n_out) {
		run->arena_size = n_out * nt * sizeof(double);
		run->arena = mmap(NULL, run->arena_size, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (run->arena == MAP_FAILED) {
			run->arena = NULL;
			return CAB_ENOMEM;
		}
#ifdef MADV_HUGEPAGE
		madvise(run->arena, run->arena_size, MADV_HUGEPAGE);
#endif
		*w = (struct prefault){(char *)run->arena, run->arena_size};
		*is_prefaulting =
		    cab_share_is_threaded(n, nt) &&
		    pthread_create(th, NULL, prefault_run, w) == 0;
	}
	double *next = run->arena;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant_result *r = &run->p[i];
		if (is_sharing) {
			r->out[0] = next;
			next += nt;
		}
		if (has_given(run, i, is_sharing)) {
			r->out[1] = next;
			next += nt;
		}
		r->shared_kwh = r->out[0] ? r->out[0] : run->zeros;
		r->given_kwh = r->out[1] ? r->out[1] : run->zeros;
	}
	return CAB_OK;
}

/* The sharing's view m[] of every participant, once its series are
 * loaded. */
static void view_of(const struct cab_run *run, struct cab_share_member *m)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		m[i] = (struct cab_share_member){
		    .consumption_kwh = r->consumption_kwh,
		    .production_kwh = r->production_kwh,
		    .is_net = r->is_net,
		    .shared_kwh = r->out[0],
		    .given_kwh = r->out[1],
		    .month = r->month,
		};
	}
}

/* Every participant's volumes, self-sufficiency, and the indicators.
 * is_keyed: the block loop of a key added the monthly volumes already
 * (cab_share_run), only their totals are left. */
static enum cab_status add_volumes(struct cab_run *run,
				   const struct cab_share_member *m,
				   const struct cab_calendar *cal,
				   bool is_sharing, bool is_keyed)
{
	struct cab_volumes community = {0};
	for (size_t i = 0; i < run->n; i++) {
		struct cab_participant_result *r = &run->p[i];
		if (is_keyed)
			cab_volumes_total(cal, r->month, &r->total);
		else
			cab_volumes_of(&m[i], cal, r->month, &r->total);
		r->self_sufficiency_rate = cab_self_sufficiency(
		    r->total.self_consumed_kwh, r->total.shared_kwh,
		    r->total.consumption_kwh);
		cab_volumes_add(&community, &r->total);
	}
	return cab_indicators_compute(run->n, m, run->n_intervals, &community,
				      is_sharing, &run->ind);
}

/* Each participant's bill and baseline (SPEC §5), each checked against
 * what cabine counts (CAB_CENTS_MAX: CAB_EINPUT naming the line). */
static enum cab_status bill_participants(struct cab_run *run, bool is_sharing,
					 const struct cab_pool *pools,
					 size_t n_pools, struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	for (size_t i = 0; i < run->n; i++) {
		struct cab_participant_result *r = &run->p[i];
		r->locality =
		    is_sharing ? cab_pools_of(pools, n_pools, sc, i)->locality
			       : 0;
		cab_bill_compute(sc, &sc->participants[i], &r->total, true,
				 r->locality, &run->sharing, &r->baseline);
		if (is_sharing)
			cab_bill_compute(sc, &sc->participants[i], &r->total,
					 false, r->locality, &run->sharing,
					 &r->bill);
		else
			r->bill = r->baseline;
		char who[160];
		snprintf(who, sizeof(who), _("participant '%s'"),
			 sc->participants[i].id);
		enum cab_status st =
		    cab_bill_check(sc->path, who, &r->baseline, err);
		if (st == CAB_OK)
			st = cab_bill_check(sc->path, who, &r->bill, err);
		if (st != CAB_OK)
			return st;
	}
	return CAB_OK;
}

/* Pot mode (SPEC §3): the pots, and each member's share as its bill. */
static enum cab_status bill_pots(struct cab_run *run,
				 const struct cab_readings *rd,
				 const struct cab_calendar *cal, long variant,
				 struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	struct cab_pot_shares out = {0};
	size_t nc = run->n_cabin_flows;
	struct cab_pot_member *member =
	    malloc((run->n ? run->n : 1) * sizeof(*member));
	struct cab_pot_cabin *cabin = malloc((nc ? nc : 1) * sizeof(*cabin));
	enum cab_status st = CAB_ENOMEM;
	if (!member || !cabin)
		goto done;
	for (size_t i = 0; i < run->n; i++)
		member[i] =
		    (struct cab_pot_member){run->p[i].total.consumption_kwh,
					    run->p[i].baseline.total_cents};
	for (size_t k = 0; k < nc; k++) {
		int c = run->cabin_flows[k].cabin;
		cabin[k] = (struct cab_pot_cabin){
		    c, cab_readings_series(rd, sc->cabins[c].meter)};
		st = cabin[k].import_kwh
			 ? check_series(sc, "cabin", sc->cabins[c].id,
					"imported", cabin[k].import_kwh, err)
			 : CAB_OK;
		if (st != CAB_OK)
			goto done;
	}
	struct cab_pot_input in = {
	    .sc = sc,
	    .billing = &run->billing,
	    .sharing = &run->sharing,
	    .variant = variant,
	    .member = member,
	    .n_cabins = nc,
	    .cabin = cabin,
	    .is_day = cal->is_day,
	};
	st = cab_pot_compute(&in, &out, err);
	if (st != CAB_OK)
		goto done;
	run->pots = out.pots;
	run->n_pots = out.n_pots;
	run->pot_cents = out.pot_cents;
	out.pots = NULL; /* the run owns them now */
	for (size_t i = 0; i < run->n; i++) {
		struct cab_participant_result *r = &run->p[i];
		r->pot = out.pot[i];
		r->pot_weight = out.weight[i];
		memcpy(r->key, out.key[i], sizeof(r->key));
		r->pot_bound = out.bound[i].kind;
		r->pot_bound_cents = out.bound[i].cents;
		r->pot_bound_price =
		    out.bound[i].is_price ? out.bound[i].price_eur_kwh : -1;
		if (r->pot >= 0)
			cab_bill_pot_share(out.share_cents[i], &r->bill);
	}
done:
	cab_pot_shares_release(&out);
	free(member);
	free(cabin);
	return st;
}

/* Deltas against the baselines and the run's totals, once; every sum
 * checked (CAB_EINPUT naming the participant at which a total goes
 * beyond CAB_CENTS_MAX). Each bill is within ±CAB_CENTS_MAX, so a delta
 * cannot overflow. */
static enum cab_status add_totals(struct cab_run *run, struct cab_err *err)
{
	run->total_bill_cents = run->total_baseline_cents = 0;
	for (size_t i = 0; i < run->n; i++) {
		struct cab_participant_result *r = &run->p[i];
		/* A meterless member of a pot has no bill of its own to
		 * compare with. */
		r->is_without_baseline =
		    r->pot >= 0 && run->sc->participants[i].is_meterless;
		r->delta_cents =
		    r->is_without_baseline
			? 0
			: r->bill.total_cents - r->baseline.total_cents;
		const char *what = NULL;
		if (!cab_cents_add(&run->total_bill_cents, r->bill.total_cents))
			what = _("the bills");
		else if (!r->is_without_baseline &&
			 !cab_cents_add(&run->total_baseline_cents,
					r->baseline.total_cents))
			what = _("the bills alone (baselines)");
		if (what) {
			char who[160];
			snprintf(who, sizeof(who), _("participant '%s'"),
				 run->sc->participants[i].id);
			return cab_bill_sum_error(run->sc->path, what, who,
						  err);
		}
	}
	return CAB_OK;
}

/* billing.invoice: each bill's number, dates and communication. */
static enum cab_status add_documents(struct cab_run *run, struct cab_err *err)
{
	if (!run->billing.invoice.is_set)
		return CAB_OK;
	const struct cab_bill **bills =
	    malloc((run->n ? run->n : 1) * sizeof(*bills));
	struct cab_invoice_doc *docs =
	    malloc((run->n ? run->n : 1) * sizeof(*docs));
	enum cab_status st = CAB_ENOMEM;
	if (bills && docs) {
		for (size_t i = 0; i < run->n; i++)
			bills[i] = &run->p[i].bill;
		st = cab_invoice_docs(run->sc, &run->billing.invoice, bills,
				      docs, err);
		for (size_t i = 0; st == CAB_OK && i < run->n; i++)
			run->p[i].doc = docs[i];
	}
	free(bills);
	free(docs);
	return st;
}

enum cab_status cab_run_new(const struct cab_scenario *sc,
			    const struct cab_readings *rd, long variant,
			    struct cab_run **out, struct cab_err *err)
{
	return cab_run_new_with(sc, rd, variant, NULL, out, err);
}

enum cab_status cab_run_new_with(const struct cab_scenario *sc,
				 const struct cab_readings *rd, long variant,
				 const struct cab_sharing *sh,
				 struct cab_run **out, struct cab_err *err)
{
	enum cab_status st = CAB_ENOMEM;
	struct cab_run *run = calloc(1, sizeof(*run));
	struct cab_calendar cal = {0};
	struct cab_share_member *m = NULL;
	struct cab_pool *pools = NULL;
	size_t n_pools = 0;
	*out = NULL;
	if (!run)
		goto done;
	st = cab_calendar_init(&cal, sc->t0_s, sc->n_intervals, &sc->tariff);
	if (st == CAB_OK)
		st = start_run(sc, variant, &cal, run);
	if (st != CAB_OK)
		goto done;
	if (sh)
		run->sharing = *sh;
	bool is_sharing = run->billing.mode != CAB_BILLING_INDIVIDUAL;
	bool is_keyed =
	    is_sharing && run->billing.source != CAB_SOURCE_OPERATOR;
	struct prefault w;
	pthread_t th;
	bool is_prefaulting = false;
	st = map_outputs(run, is_sharing, &w, &th, &is_prefaulting);
	if (st == CAB_OK)
		st = load_series(run, rd, err);
	if (is_prefaulting)
		pthread_join(th, NULL);
	if (st != CAB_OK)
		goto done;
	st = CAB_ENOMEM;
	m = calloc(run->n ? run->n : 1, sizeof(*m));
	if (!m)
		goto done;
	view_of(run, m);
	if (is_sharing && run->billing.source == CAB_SOURCE_OPERATOR) {
		/* The operator's own allocation replaces the key's: the pools
		 * are still made (the bills read them), no key runs. */
		st = cab_pools_new(sc, variant, &run->sharing, m,
				   run->n_intervals, &pools, &n_pools, err);
		if (st == CAB_OK)
			st = cab_share_operator(sc, rd, m, run->n_intervals,
						&run->ind, err);
		if (st != CAB_OK)
			goto done;
	} else if (is_keyed) {
		run->fit_weight =
		    malloc((run->n ? run->n : 1) * sizeof(double));
		st = !run->fit_weight
			 ? CAB_ENOMEM
			 : cab_share_run(sc, variant, &run->sharing, m, &cal,
					 &pools, &n_pools, &run->ind, &run->fit,
					 run->fit_weight, &run->lp, err);
		if (st != CAB_OK)
			goto done;
		if (!run->fit.is_fitted) {
			free(run->fit_weight);
			run->fit_weight = NULL;
		}
	}
	st = add_volumes(run, m, &cal, is_sharing, is_keyed);
	if (st != CAB_OK)
		goto done;
	st = bill_participants(run, is_sharing, pools, n_pools, err);
	if (st != CAB_OK)
		goto done;
	st = cab_cabin_flows_new(
	    sc, rd, m, run->billing.mode == CAB_BILLING_POT, &run->cabin_flows,
	    &run->n_cabin_flows, &run->cabin_residual_kwh, err);
	if (st == CAB_OK && run->billing.mode == CAB_BILLING_POT)
		st = bill_pots(run, rd, &cal, variant, err);
	if (st != CAB_OK)
		goto done;
	st = add_totals(run, err);
	if (st == CAB_OK)
		st = add_documents(run, err);
	if (st != CAB_OK)
		goto done;
	*out = run;
	run = NULL;
done:
	if (st == CAB_ENOMEM)
		cab_err_add(err, CAB_ENOMEM, "out of memory");
	cab_pools_free(pools, n_pools);
	cab_calendar_release(&cal);
	free(m);
	cab_run_free(run);
	return st;
}
