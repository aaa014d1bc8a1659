/*
 * sharing.h — what the sharing stage hands on: energy volumes per month
 * and over the period, the community's indicators, the flows measured at
 * metered cabins, and the one formula of SPEC §1 that splits a
 * participant's interval into O, D and X.
 *
 * Why a header of its own: billing (bills, the pot) and the reports read
 * these results without depending on the run that holds them, so data
 * flows one way, sharing → billing → run → reports.
 *
 * The structs are plain data; whoever holds them owns them (the run, for
 * cab_run_new()).
 */
#ifndef CABINE_SHARING_H
#define CABINE_SHARING_H

#include <stdbool.h>
#include <stddef.h>

/* Energy totals (kWh) over some time span, SPEC §1 names. */
struct cab_volumes {
	double consumption_kwh;	      /* Σ C */
	double production_kwh;	      /* Σ P */
	double self_consumed_kwh;     /* Σ O */
	double shared_kwh;	      /* Σ a: received from the community */
	double shared_day_kwh;	      /* part of a in the day period */
	double given_kwh;	      /* own surplus shared with others */
	double given_day_kwh;	      /* part of given in the day period */
	double complementary_kwh;     /* Σ G: bought from the supplier */
	double complementary_day_kwh; /* part of G in the day period */
	double injected_kwh;	      /* own surplus left unallocated */
	double demand_kwh;	      /* Σ D */
	double demand_day_kwh;	      /* part of D in the day period */
	double surplus_kwh;	      /* Σ X */
};

struct cab_month {
	int year, month;     /* local calendar month */
	size_t first, count; /* its intervals in the period */
};

struct cab_indicators {
	double self_consumption_rate; /* Σa / ΣS, NaN if ΣS = 0 */
	double self_sufficiency_rate; /* (ΣO + Σa) / ΣC, NaN if ΣC = 0 */
	double positive_energy_balance_kwh; /* ΣP − ΣC */
	double coincidence_factor;   /* max_t ΣC / Σ max_t C, NaN if 0 */
	double shared_injection_kwh; /* Σ S */
	double allocated_kwh;	     /* Σ a */
	double unallocated_kwh;	     /* Σ U */
};

/* Import at a metered cabin against its members' meters (every mode). */
struct cab_cabin_flow {
	int cabin;		   /* index in sc->cabins */
	double import_kwh;	   /* Σ of the cabin meter (valid intervals) */
	double metered_import_kwh; /* Σ_t max(0, Σ_i C_i − P_i) behind it */
	double residual_kwh;	   /* import − metered import */
	size_t missing_intervals;  /* intervals the cabin meter misses */
};

/* SPEC §1 for one participant-interval: from gross consumption c_kwh and
 * production p_kwh (both valid), own self-consumption O = min(C, P),
 * demand D = C − O and surplus X = P − O; with net data (is_net: offtake
 * and injection from the DSO) O = 0, D = C, X = P. The only place these
 * three are written: the block loop, the volumes and allocation.csv call
 * it. Cannot fail. */
static inline void cab_own_split(double c_kwh, double p_kwh, bool is_net,
				 double *o_kwh, double *d_kwh, double *x_kwh)
{
	double o = is_net ? 0 : (c_kwh < p_kwh ? c_kwh : p_kwh);
	*o_kwh = o;
	*d_kwh = c_kwh - o;
	*x_kwh = p_kwh - o;
}

/* What one kWh received in an interval saves a participant (EUR, VAT
 * included, SPEC §12 "v_i(t)"): its grid price — the supplier's day or
 * night price plus the network rate of a complementary kWh — minus the
 * price of a shared kWh — sharing.price_eur_kwh plus the network rate of
 * the locality type ('A'..'D') — times (1 + vat). Taxes are paid on both
 * and cancel. It is the same for every member of a pool in one interval
 * but for the VAT factor, so the optimal key ranks members by 1 + vat.
 * Every user of v (fit-key, the coupled optimum, fairness) calls this
 * function. Cannot fail. */
struct cab_tariff;
struct cab_sharing;
double cab_share_value_eur_kwh(const struct cab_tariff *tf,
			       const struct cab_sharing *sh, char locality,
			       bool is_day, double vat);

/* What `cabine fit-key` (and a variant with "key": "fit") found, SPEC
 * §12: the fixed weights of each pool that maximise Σ_i Σ_t v_i(t)·a_i(t)
 * and how far the best fixed key stays from the optimal key. */
struct cab_fit_report {
	bool is_fitted;		     /* the run's key was "fit" */
	bool is_until_done;	     /* rounds "until-done" */
	double shared_kwh;	     /* Σ a under the fitted weights */
	double saving_eur;	     /* Σ v·a under them */
	double optimum_shared_kwh;   /* Σ a under the optimal key */
	double optimum_saving_eur;   /* Σ v·a under it: the upper bound */
	double one_round_saving_eur; /* until-done: the one-round answer
					replayed until done (the start) */
	double loss_pct;	     /* 100·(optimum − saving) / optimum, 0
					when the optimum is 0 */
	size_t evaluations;	     /* until-done: key replays tried */
};

/* What the coupled optimum (SPEC §12 "coupled constraints") reports in
 * summary.json "lp". */
struct cab_lp_report {
	bool is_solved;	   /* a coupled programme was solved */
	char status[16];   /* "optimal", "feasible" (gap left) */
	double objective;  /* its objective: EUR saved, or the smallest
			      relative saving for "objective": "fairness" */
	double seconds;	   /* wall time of the solve */
	double gap;	   /* bound − objective, ≥ 0 (same unit) */
	size_t iterations; /* master programmes solved */
};

/* Threads the sharing's block loop may use (cabine run --jobs): 1 keeps
 * it on the caller's thread; 0, the default, is two. A long period of a
 * large community is split at a month boundary near its middle and each
 * part shares on a thread of its own, with the same results, bit for
 * bit (engine/sharing/share.c). Set it before the runs, from one thread;
 * it holds for the process. */
void cab_share_threads(int n);

#endif
