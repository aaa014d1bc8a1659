/*
 * scenario.h — a community's scenario file (SPEC §8), loaded and checked.
 *
 * Why: the scenario is the only place where users describe their
 * community, tariff and choices. It is validated strictly (an unknown key
 * is an error: a typo must not silently change a bill) and every problem
 * is listed as "file: $.json.path: message". cJSON never leaves this
 * module: the rest of cabine reads the plain structs below.
 *
 * The structs are plain data, read-only for everyone but the loader.
 * Ownership: cab_scenario_load() returns a scenario that the caller frees
 * with cab_scenario_free(); every string and array inside belongs to it.
 */
#ifndef CABINE_SCENARIO_H
#define CABINE_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"

enum cab_participant_kind {
	CAB_KIND_HOUSEHOLD = 0,
	CAB_KIND_ASSOCIATION,
	CAB_KIND_COMMON, /* a common space */
	CAB_KIND_PRODUCER,
	CAB_KIND_OTHER
};

enum cab_billing_mode {
	CAB_BILLING_INDIVIDUAL = 0, /* everyone alone: the baseline */
	CAB_BILLING_SHARED,	    /* SPEC §2 then §5 (default) */
	CAB_BILLING_POT		    /* SPEC §3 */
};

enum cab_perimeter {
	CAB_PERIMETER_COMMUNITY = 0, /* one pool */
	CAB_PERIMETER_CABIN	     /* one pool per cabin */
};

enum cab_lang { CAB_LANG_FR = 0, CAB_LANG_NL, CAB_LANG_EN };

/* How missing intervals are filled (SPEC §8 "fill"). */
enum cab_fill {
	CAB_FILL_NONE = 0, /* leave them missing (default) */
	CAB_FILL_LINEAR,   /* interpolate short gaps linearly */
	CAB_FILL_PROFILE   /* use the meter's mean profile */
};

struct cab_cabin {
	char *id;      /* unique id */
	char *meter;   /* meter measuring the cabin's net flow, or NULL */
	char locality; /* 'A'..'D', default 'B' (same LV cabin) */
};

struct cab_participant {
	char *id; /* unique id, [A-Za-z0-9_.-] not required */
	enum cab_participant_kind kind; /* default household */
	int cabin;			/* index in cabins, -1 if none */
	char *meter_consumption;	/* gross consumption meter or NULL */
	char *meter_production;		/* gross production meter or NULL */
	char *meter_offtake;		/* net offtake meter (DSO) or NULL */
	char *meter_injection;		/* net injection meter (DSO) or NULL */
	bool is_meterless;		/* no meter at all */
	int occupants;			/* -1 if not given */
	int income_band;		/* -1 if not given */
	char epb_class;			/* 'A'..'G', 0 if not given */
	double floor_area_m2;		/* < 0 if not given */
	bool is_protected;  /* protected household (social tariff) */
	double vat;	    /* VAT rate, default 0.06 */
	enum cab_lang lang; /* invoice language, default fr */
	double history_kwh; /* < 0 if not given */
	double weight;	    /* sharing weight in [0,1]; see has_weight */
	bool has_weight;    /* listed in sharing.weights */
	int priority_group; /* 0-based group for key "priority" */
	char *name;	    /* as printed on the invoice, or NULL */
	char *address;	    /* postal address on the invoice, or NULL */
	bool has_pv;	    /* "pv" given (SPEC §15) */
	struct cab_scenario_pv {
		double kwp;	    /* peak power, kW (> 0) */
		double tilt_deg;    /* 0 horizontal … 90 vertical */
		double azimuth_deg; /* clockwise from north, 180 south */
		double losses;	    /* system losses, default 0.14 */
	} pv;			    /* the installation, if has_pv */
	char *ean; /* the operator's 18-digit meter code (SPEC §11, §13), or
		      NULL; unique among the participants */
};

/* Bounds on every number of a scenario that reaches money or energy
 * (docs/scenario.md, "Bounds"), checked by the loader: with them and the
 * readings' CAB_READINGS_MAX_KWH no bill can overflow on its way to the
 * run's checks (engine/billing/bill.c says why), and a price typed in
 * the wrong unit is an error. A key's unit says which applies. */
#define CAB_SCENARIO_MAX_EUR_KWH 1000.0 /* a price per kWh (_eur_kwh) */
#define CAB_SCENARIO_MAX_EUR_YEAR 1e7	/* a yearly term (_eur_year) */
#define CAB_SCENARIO_MAX_EUR 1e9	/* an amount (_eur) */
#define CAB_SCENARIO_MAX_KWH 1e12	/* an energy over a period (_kwh) */
#define CAB_SCENARIO_MAX_NUMBER 1e12	/* any other number */

struct cab_tariff {
	double supplier_day_eur_kwh;	  /* required */
	double supplier_night_eur_kwh;	  /* default: the day price */
	bool has_night_price;		  /* supplier_night_eur_kwh was given */
	double supplier_fixed_eur_year;	  /* default 0 */
	double network_eur_kwh;		  /* required: complementary volume */
	double network_shared_eur_kwh[4]; /* required: locality A, B, C, D */
	double network_fixed_eur_year;	  /* default 0 */
	double taxes_eur_kwh;	  /* required: every kWh from the grid */
	double injection_eur_kwh; /* required: unallocated surplus */
	int day_start_h;	  /* default 7 (local) */
	int day_end_h;		  /* default 22 (local) */
};

struct cab_sharing {
	/* "fixed", "proportional" (default), "hybrid", "priority", "optimal" */
	char key[32];
	bool is_until_done;	      /* rounds "until-done" (used by fixed) */
	bool has_weights;	      /* weights given (else equal weights) */
	enum cab_perimeter perimeter; /* default community */
	double price_eur_kwh; /* internal price of shared energy, default 0 */
	char locality;	      /* override of every pool's locality, 0 if none */
	size_t n_groups;      /* priority: number of groups (unlisted = last) */
	char group_key[32];   /* priority: key inside a group, default
				 "proportional" */
	bool is_fairness_first; /* optimal: "objective": "fairness" (max–min
				   first) instead of "saving" (default) */
	/* SPEC §12. The arrays below belong to the scenario (the base's
	 * sharing, or the variant's); copies of this struct borrow them. */
	bool is_without_self_share;  /* "self_share": false (default true):
					the Flemish rule, no member receives
					its own injection of the interval */
	size_t n_weight_blocks;	     /* weights from a CSV of blocks ("weights":
					"FILE.csv"); 0: the weights do not change */
	size_t *block_first;	     /* n_weight_blocks: first interval of each
					block in the period (block 0 starts at 0) */
	double *block_weight;	     /* n_weight_blocks rows of n_participants
					weights (0 for a participant not listed) */
	bool has_constraints;	     /* any of the three constraints below */
	bool is_no_bill_above_alone; /* constraints.no_bill_above_alone */
	double *min_self_sufficiency; /* n_participants targets, NaN where
					 none; NULL when none at all */
	bool is_min_self_sufficiency_for_all;  /* given as one number */
	double community_min_self_sufficiency; /* NaN when none */
	double *fit_min_weight; /* fit.min_weight per participant, NULL: 0 */
	double *fit_max_weight; /* fit.max_weight per participant, NULL: 1 */
};

struct cab_bound {
	char *who;		  /* participant id, or "protected" */
	double max_eur;		  /* < 0 if not given */
	double max_price_eur_kwh; /* < 0 if not given */
	double min_eur;		  /* < 0 if not given */
};

/* Billing-key criteria (SPEC §3), in this fixed order. */
enum cab_criterion {
	CAB_CRIT_EQUAL = 0,
	CAB_CRIT_OCCUPANTS,
	CAB_CRIT_HISTORY,
	CAB_CRIT_MEASURED,
	CAB_CRIT_INCOME,
	CAB_CRIT_BUILDING,
	CAB_CRIT_COUNT
};

/* Where the shared, complementary and shared-injection volumes of the
 * bills come from (SPEC §13 billing.source). */
enum cab_billing_source {
	CAB_SOURCE_KEY = 0, /* the sharing key on the readings (default) */
	CAB_SOURCE_OPERATOR /* the operator's 15-minute data, by ean */
};

/* billing.invoice (SPEC §13): invoices as documents. */
struct cab_invoice_cfg {
	bool is_set;  /* billing.invoice was given */
	char *series; /* number prefix, e.g. "CE-2025-"; "" if none */
	long first;   /* first number, default 1 */
	int issue_y, issue_m, issue_d; /* issue date; default: the period's
					  end (its first day after) */
	int due_days;		       /* days to pay, default 30 */
	char *issuer_name;	       /* the community as issuer, or NULL */
	char *issuer_address;	       /* or NULL */
	char *issuer_vat_number;       /* or NULL */
	char *issuer_iban;	       /* or NULL */
	char *issuer_email;	       /* or NULL */
};

struct cab_billing {
	enum cab_billing_mode mode;   /* default shared */
	double alpha[CAB_CRIT_COUNT]; /* pot key: weight of each criterion */
	size_t n_income_factors;      /* income band b → factor, bands 0.. */
	double *income_factors;	      /* indexed by band; < 0 = not given */
	double building_factors[7];   /* EPB A..G → factor, < 0 = not given */
	double vat;		      /* pot VAT, default 0.06 */
	double fixed_eur_year;	      /* community fixed terms, default 0 */
	size_t n_bounds;	      /* entries in bounds */
	struct cab_bound *bounds;     /* pot bounds, in file order */
	enum cab_billing_source source; /* default key */
	struct cab_invoice_cfg invoice; /* is_set false when absent */
};

struct cab_alert {
	int64_t start_s;   /* UTC instant of the local start */
	int64_t end_s;	   /* UTC instant of the local end (exclusive) */
	bool is_announced; /* announced in advance, default false */
};

/* A named set of participants (top-level "groups"), e.g. for load-curve
 * statistics per group (SPEC §6). */
struct cab_group {
	char *name;	  /* the group's name (key in "groups") */
	size_t n_members; /* number of participants listed */
	size_t *members;  /* their indices in participants, in file order */
};

/* Classes of the appliance inventory (docs/appliances.md): what a
 * household said it cannot do without, what helps, what is comfort. */
enum cab_use_class {
	CAB_USE_INDISPENSABLE = 0,
	CAB_USE_USEFUL,
	CAB_USE_COMFORT,
	CAB_USE_CLASSES /* number of classes */
};

/* One row of the appliance inventory ("appliances": a table for all
 * households or one per household, docs/appliances.md): an appliance or
 * use as the household estimated it, and a wattmeter's reading if any. */
struct cab_appliance {
	size_t participant;	      /* index in participants */
	char *name;		      /* the appliance or use, as written */
	enum cab_use_class use_class; /* indispensable, useful or comfort */
	double watts;		      /* estimated power when on (W) */
	double hours_per_day;	      /* estimated hours on per day */
	bool has_time;		      /* a usual time of day was given */
	int from_min, to_min; /* that local clock range [from, to) in minutes
			       * after midnight; to <= from crosses it */
	bool is_shiftable;    /* could be moved to other hours */
	char *alternative;    /* a way to do without electricity, or NULL */
	double measured_kwh;  /* wattmeter reading (kWh), NaN if none */
	double measured_days; /* days that reading covers, default 1 */
	char *file;	      /* the table it was read from (messages) */
	unsigned long line;   /* its line or spreadsheet row */
};

/* A variant of `compare`: the base scenario's sharing and billing with the
 * keys the variant names replaced (already merged by the loader). */
struct cab_variant {
	char *name;		    /* unique among the variants */
	struct cab_sharing sharing; /* merged over the base's */
	struct cab_billing billing; /* owns its own arrays */
	double *weights;	    /* per participant, variant's weights */
	bool *has_weight;	    /* per participant: listed in weights */
	int *priority_group; /* per participant: 0-based priority group */
};

struct cab_scenario {
	char *path; /* the scenario file as given */
	char *dir;  /* its directory: base of relative paths */
	char *name; /* required */
	int start_y, start_m, start_d; /* period start, local date */
	int end_y, end_m, end_d;       /* period end, local date, exclusive */
	int64_t t0_s;	     /* UTC instant of local midnight at start */
	size_t n_intervals;  /* quarter-hours in the period */
	size_t n_days;	     /* local days in the period */
	char *readings_path; /* resolved path, or NULL */
	char *db_path;	     /* resolved path, or NULL */
	double min_coverage; /* default 0.9 */
	enum cab_fill fill;  /* filling of missing intervals, default none */
	size_t fill_max_intervals; /* linear: longest gap filled, default 4 */
	size_t n_cabins;	   /* entries in cabins (may be 0) */
	struct cab_cabin *cabins;  /* in file order */
	size_t n_participants;	   /* entries in participants, at least 1 */
	struct cab_participant *participants; /* in file order */
	struct cab_tariff tariff;	      /* prices (SPEC §5) */
	struct cab_sharing sharing; /* the base sharing key (SPEC §2) */
	struct cab_billing billing; /* the base billing mode (SPEC §3, §5) */
	size_t n_alerts;	    /* entries in alerts */
	struct cab_alert *alerts;   /* demand-response alerts (SPEC §6) */
	int64_t alerts_ref_start_s; /* alerts' reference windows start at or
				     * after this UTC instant (default t0_s) */
	int64_t alerts_ref_end_s;   /* … and end by this one (default: the
				     * period's end); "alerts_reference" */
	size_t n_variants;	    /* entries in variants */
	struct cab_variant *variants; /* `compare`, in file order */
	size_t n_groups; /* top-level "groups" (not sharing.groups) */
	struct cab_group *groups;
	char *site_secret_path; /* site.secret_file resolved against the
				 * scenario's folder (default "site.secret")
				 * for `cabine site` (SPEC §14) */
	size_t n_appliances;	/* rows of the appliance inventory */
	struct cab_appliance *appliances; /* "appliances", in table order */
	size_t n_signal_windows; /* the last n_signal_windows alerts are windows
				  * of a signal.csv (`alerts --signal`):
				  * households were asked to use, not cut */
	bool has_location;	 /* "location" given (SPEC §15) */
	double lat_deg;		 /* its latitude, north positive */
	double lon_deg;		 /* its longitude, east positive */
	bool is_shapley;	 /* "fairness": {"shapley": true}: every run
				    computes the Shapley shares (SPEC §12) */
};

/* Load and validate a scenario file. On CAB_EINPUT every problem found is
 * in err, one per line; *out is NULL. Relative paths are resolved against
 * the scenario's directory; the readings/db files are not opened here. */
enum cab_status cab_scenario_load(const char *path, struct cab_scenario **out,
				  struct cab_err *err);
/* Same from a buffer; `path` names it in messages and anchors paths. */
enum cab_status cab_scenario_parse(const char *path, const char *json,
				   size_t len, struct cab_scenario **out,
				   struct cab_err *err);
/* Free a scenario; NULL is allowed. */
void cab_scenario_free(struct cab_scenario *sc);

/* The meters of participant i (consumption, production, offtake,
 * injection; NULL where it has none) for i < n_participants, else of cabin
 * i − n_participants (its meter, or NULL, in m[0]; the rest NULL), into
 * m. Borrowed from sc. */
void cab_scenario_meters(const struct cab_scenario *sc, size_t i,
			 const char *m[4]);

/* Index of a participant by id, or -1. */
long cab_scenario_find(const struct cab_scenario *sc, const char *id);
/* Name of an appliance class as the inventory writes it in English
 * ("indispensable", "useful", "comfort"). */
const char *cab_scenario_use_class_name(enum cab_use_class k);
/* Name of a billing criterion ("equal", "occupants", …). */
const char *cab_criterion_name(enum cab_criterion c);

/* Append the windows of a signal.csv written by `cabine forecast`
 * (header start,end,surplus_kwh; local times) to sc's alerts as
 * announced windows, counted in n_signal_windows (`cabine alerts
 * --signal`), in file order. The file is read by cab_signal_csv_read
 * (cabine/signal_csv.h), with its messages; on any problem sc is
 * unchanged. Fails with CAB_EINPUT, CAB_EIO or CAB_ENOMEM. */
enum cab_status cab_scenario_add_signal(struct cab_scenario *sc,
					const char *path, struct cab_err *err);
/* Same from a buffer; `name` prefixes the messages (fuzz target). */
enum cab_status cab_scenario_parse_signal(struct cab_scenario *sc,
					  const char *name, const char *buf,
					  size_t len, struct cab_err *err);

/* A batch file (`cabine batch`, docs/batch.md, SPEC §16): a list
 * {"scenarios": ["a/scenario.json", …]} (paths relative to the file), or
 * a sweep {"base": "s.json", "sweep": {"sharing.key": ["fixed", …],
 * "pv_scale": [1, 2], "participants_sample": [10, {"n": 10, "seed": 2}]}}:
 * the cartesian product of the sweep's values, the first key varying
 * slowest, run i named "<base name>-<i + 1>". */
struct cab_batch_axis {
	char *path;	  /* a JSON path into the scenario, or "pv_scale" */
	bool is_pv_scale; /* multiplies every production series */
	bool is_sample;	  /* "participants_sample": a sub-community */
	size_t n_values;  /* at least 1 */
	double *scale;	  /* pv_scale: its values (≥ 0), else NULL */
	size_t *sample_n; /* participants_sample: participants kept */
	uint64_t *sample_seed; /* … and the seed of each draw */
};
struct cab_batch {
	char *path;	  /* the batch file */
	size_t n;	  /* runs */
	char **scenarios; /* list: n resolved paths; sweep: NULL */
	char *base;	  /* sweep: the base scenario (resolved), else NULL */
	char *base_name;  /* sweep: the base's "name", else NULL */
	size_t n_axes;	  /* sweep keys, in the file's order */
	struct cab_batch_axis *axes;
	char fingerprint[65]; /* SHA-256 (hex) of the batch file and of
				 every scenario file it names */
	void *json;	      /* private: the files' parsed trees */
};
/* Load and check a batch file; *out is freed with cab_batch_free(). */
enum cab_status cab_batch_load(const char *path, struct cab_batch **out,
			       struct cab_err *err);
/* Same from a buffer; path names it in messages and anchors its paths. */
enum cab_status cab_batch_parse(const char *path, const char *text, size_t len,
				struct cab_batch **out, struct cab_err *err);
void cab_batch_free(struct cab_batch *b);
/* Run i's scenario (0 ≤ i < b->n), checked like any scenario (its
 * problems in err), and its PV scale (1 unless swept) into *pv_scale.
 * Swept runs name their problems after the base file. */
enum cab_status cab_batch_scenario(const struct cab_batch *b, size_t i,
				   struct cab_scenario **out, double *pv_scale,
				   struct cab_err *err);
/* Run i's parameters as a flat JSON object {"path": value, …} in the
 * sweep's order ("{}" for a list); heap, NULL when out of memory. */
char *cab_batch_params_json(const struct cab_batch *b, size_t i);
/* Run i's name into buf: "<base name>-<i + 1>" for a sweep; for a list,
 * the scenario file as the batch names it (until its scenario is read). */
void cab_batch_run_name(const struct cab_batch *b, size_t i, char *buf,
			size_t size);

/* The readings of a batch's runs, each distinct file or store read once
 * (engine/scenario/batch_sources.c): runs of one source share one
 * struct cab_readings, and those of a PV scale other than 1 share one
 * scaled copy, all loaded before the workers are forked so that every
 * worker reads them copy-on-write. */
struct cab_readings;
struct cab_batch_sources;
enum cab_status cab_batch_sources_new(struct cab_batch_sources **out,
				      struct cab_err *err);
void cab_batch_sources_free(struct cab_batch_sources *s);
/* Note that a run reads sc's readings with its production series times
 * pv_scale; *idx names that source for the calls below. Only the
 * scenario's period, sources, min_coverage and meters are read. */
enum cab_status cab_batch_sources_add(struct cab_batch_sources *s,
				      const struct cab_scenario *sc,
				      double pv_scale, size_t *idx,
				      struct cab_err *err);
/* Read every source noted: each file or store once, for the meters of
 * every run that uses it. A source that cannot be read keeps its
 * messages for the runs that use it; the call fails only with
 * CAB_ENOMEM. */
enum cab_status cab_batch_sources_load(struct cab_batch_sources *s,
				       struct cab_err *err);
/* Whether source idx was read; if not, *why holds its messages
 * (borrowed) and *code its status. */
bool cab_batch_sources_is_ok(const struct cab_batch_sources *s, size_t idx,
			     const char **why, enum cab_status *code);
/* The readings of source idx into *out (borrowed from s): its file's, or
 * a copy with the production series scaled, made now (replacing the
 * previous copy: the borrowed readings of an earlier call may be gone).
 * Fails with the source's messages, or CAB_ENOMEM. */
enum cab_status cab_batch_sources_use(struct cab_batch_sources *s, size_t idx,
				      const struct cab_readings **out,
				      struct cab_err *err);

#endif
