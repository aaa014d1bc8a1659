/*
 * reconcile.c — `cabine reconcile` (SPEC §13): the simulation's volumes
 * and grid fees beside the operator's, per participant and month and
 * per quarter-hour, and the findings in the order a facilitator reads
 * them (cabine/reconcile.h).
 *
 * Where the operator's monthly value comes from: its monthly file when
 * it has the member's rows for a month wholly inside the period
 * (registers summed); else its quarter-hour file summed over the month's
 * intervals of the period; a member without either in a month where
 * others have data is absent (received 0, gave 0: the operator left it
 * out). The grid fee is the monthly file's; the simulated one is the
 * bill's network lines per register (engine/billing/gridfee.c), as
 * sibelga.xlsx writes it. The tolerance is SPEC §13's: 0.001 kWh, 0.01
 * EUR.
 *
 * The key fits are reconcile_fit.c's.
 *
 * Workload: one pass over each participant's series of the period, a
 * few dozen values per participant and month.
 */
#include "cabine/reconcile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/analyse/reconcile_fit.h"
#include "engine/base/i18n.h"
#include "engine/billing/bill.h"

#define TOL_KWH 0.001
#define TOL_EUR 0.01
#define EPS 1e-9

static const char *const rq_names[CAB_RQ_COUNT] = {
    "shared_kwh", "complementary_kwh", "shared_injection_kwh", "gridfee_eur"};

const char *cab_rq_name(enum cab_rq q)
{
	return (unsigned)q < CAB_RQ_COUNT ? rq_names[q] : "?";
}

void cab_reconcile_free(struct cab_reconcile *r)
{
	if (!r)
		return;
	for (size_t k = 0; r->fits && k < r->n_fits; k++)
		free(r->fits[k].weights);
	free(r->fits);
	free(r->cell);
	free(r->findings);
	free(r->qh_differ_kwh);
	free(r->qh_imbalance_kwh);
	free(r->quarters);
	free(r);
}

static struct cab_rcell *cell(struct cab_reconcile *r, size_t i, size_t m,
			      enum cab_rq q)
{
	return &r->cell[(i * r->n_months + m) * CAB_RQ_COUNT + q];
}

static enum cab_status add_finding(struct cab_reconcile *r, size_t *cap,
				   struct cab_finding f, struct cab_err *err)
{
	if (r->n_findings == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		struct cab_finding *t = realloc(r->findings, *cap * sizeof(*t));
		if (!t)
			return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
		r->findings = t;
	}
	r->findings[r->n_findings++] = f;
	return CAB_OK;
}

/* Does month m of the run cover its whole calendar month? */
static bool is_whole_month(const struct cab_month *mo)
{
	int ny = mo->month == 12 ? mo->year + 1 : mo->year;
	int nm = mo->month == 12 ? 1 : mo->month + 1;
	int64_t a = cab_time_local_midnight(mo->year, mo->month, 1);
	int64_t b = cab_time_local_midnight(ny, nm, 1);
	return (size_t)((b - a) / CAB_INTERVAL_S) == mo->count;
}

/* The simulated grid fee of participant i in month m, in cents. */
static int64_t sim_fee_cents(const struct cab_run *run, size_t i, size_t m)
{
	struct cab_register reg[2];
	int n = cab_bill_registers(&run->p[i].month[m],
				   run->sc->tariff.has_night_price, reg);
	int64_t cents = 0;
	for (int g = 0; g < n; g++)
		cents += cab_bill_gridfee_cents(
		    run->sc, &run->sc->participants[i], &reg[g].v,
		    run->p[i].locality, &run->sharing);
	return cents;
}

/* Sums of the operator's monthly rows of participant i, month (y, mo):
 * returns how many registers; fee NaN unless every one gives it. */
static int monthly_sums(const struct cab_operator *op, size_t i, int y, int mo,
			double v[CAB_RQ_COUNT], long *first_row)
{
	int n = 0;
	for (int q = 0; q < CAB_RQ_COUNT; q++)
		v[q] = 0;
	for (size_t k = 0; k < op->n_months; k++) {
		const struct cab_opmonth *om = &op->months[k];
		if (op->month_of[k] != (long)i || om->year != y ||
		    om->month != mo)
			continue;
		if (n++ == 0)
			*first_row = (long)k;
		v[CAB_RQ_SHARED] += om->v[CAB_OPM_SHARED];
		v[CAB_RQ_COMPLEMENTARY] += om->v[CAB_OPM_COMPLEMENTARY];
		v[CAB_RQ_SHARED_INJECTION] += om->v[CAB_OPM_SHARED_INJECTION];
		v[CAB_RQ_GRIDFEE] += om->v[CAB_OPM_GRIDFEE];
	}
	return n;
}

/* The operator's quarter-hour sums of participant i over month m of the
 * run; false when it has no value there. */
static bool quarter_sums(const struct cab_reconcile *r, size_t i, size_t m,
			 double v[CAB_RQ_COUNT])
{
	const struct cab_operator_member *om = &r->op->p[i];
	const struct cab_month *mo = &r->run->months[m];
	bool any = false;
	for (int q = 0; q < CAB_RQ_COUNT; q++)
		v[q] = 0;
	v[CAB_RQ_GRIDFEE] = NAN;
	if (!om->has_data)
		return false;
	for (size_t t = mo->first; t < mo->first + mo->count; t++) {
		if (isnan(om->kwh[CAB_OPVOL_SHARED_OFFTAKE][t]) ||
		    isnan(om->kwh[CAB_OPVOL_GRID_OFFTAKE][t]) ||
		    isnan(om->kwh[CAB_OPVOL_SHARED_INJECTION][t]))
			continue;
		any = true;
		v[CAB_RQ_SHARED] += om->kwh[CAB_OPVOL_SHARED_OFFTAKE][t];
		v[CAB_RQ_COMPLEMENTARY] += om->kwh[CAB_OPVOL_GRID_OFFTAKE][t];
		v[CAB_RQ_SHARED_INJECTION] +=
		    om->kwh[CAB_OPVOL_SHARED_INJECTION][t];
	}
	return any;
}

/* Does anyone have operator data in month m: rows of the monthly file
 * (is_monthly) or quarter-hours? */
static bool month_has_operator(const struct cab_reconcile *r, size_t m,
			       bool is_monthly)
{
	const struct cab_month *mo = &r->run->months[m];
	for (size_t k = 0; is_monthly && k < r->op->n_months; k++)
		if (r->op->months[k].year == mo->year &&
		    r->op->months[k].month == mo->month && is_whole_month(mo))
			return true;
	for (size_t i = 0; !is_monthly && i < r->n; i++) {
		double v[CAB_RQ_COUNT];
		if (quarter_sums(r, i, m, v))
			return true;
	}
	return false;
}

/* The first quantity whose monthly and quarter-hour sums differ. */
static enum cab_rq first_diff(const double *mv, const double *qv)
{
	int q = 0;
	while (q < CAB_RQ_GRIDFEE - 1 && !(fabs(mv[q] - qv[q]) > TOL_KWH + EPS))
		q++;
	return (enum cab_rq)q;
}

/* Fill every cell; findings on absent members, partial months and the
 * two operator files disagreeing. */
static enum cab_status compare_months(struct cab_reconcile *r, size_t *cap,
				      struct cab_err *err)
{
	const struct cab_run *run = r->run;
	enum cab_status st = CAB_OK;
	bool *has_op = calloc(2 * r->n_months + 1, sizeof(*has_op));
	if (!has_op)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	/* Months with rows of the monthly file, with quarter-hours: */
	bool *has_rows_m = has_op + r->n_months;
	for (size_t m = 0; m < r->n_months; m++) {
		has_rows_m[m] = month_has_operator(r, m, true);
		has_op[m] = month_has_operator(r, m, false);
		const struct cab_month *mo = &run->months[m];
		bool has_rows = false;
		for (size_t k = 0; k < r->op->n_months && !has_rows; k++)
			has_rows = r->op->months[k].year == mo->year &&
				   r->op->months[k].month == mo->month;
		if (has_rows && !is_whole_month(mo))
			st = add_finding(
			    r, cap,
			    (struct cab_finding){.kind = CAB_FIND_PARTIAL_MONTH,
						 .participant = -1,
						 .month = (long)m},
			    err);
	}
	for (size_t i = 0; i < r->n && st == CAB_OK; i++) {
		const struct cab_participant *pa = &run->sc->participants[i];
		size_t absent_m = 0, absent_q = 0;
		for (size_t m = 0; m < r->n_months && st == CAB_OK; m++) {
			const struct cab_month *mo = &run->months[m];
			const struct cab_volumes *sv = &run->p[i].month[m];
			double sim[CAB_RQ_COUNT] = {
			    sv->shared_kwh, sv->complementary_kwh,
			    sv->given_kwh,
			    (double)sim_fee_cents(run, i, m) / 100.0};
			double mv[CAB_RQ_COUNT] = {0}, qv[CAB_RQ_COUNT] = {0};
			long first = -1;
			bool has_m = pa->ean && is_whole_month(mo) &&
				     monthly_sums(r->op, i, mo->year, mo->month,
						  mv, &first) > 0;
			bool has_q = pa->ean && quarter_sums(r, i, m, qv);
			for (int q = 0; q < CAB_RQ_COUNT; q++) {
				struct cab_rcell *c =
				    cell(r, i, m, (enum cab_rq)q);
				c->simulated = sim[q];
				c->operator_value = NAN;
				if (has_m && !isnan(mv[q])) {
					c->source = CAB_RSRC_MONTHLY;
					c->operator_value = mv[q];
				} else if (has_q && !isnan(qv[q])) {
					c->source = CAB_RSRC_QUARTERS;
					c->operator_value = qv[q];
				} else if (pa->ean &&
					   (has_op[m] || has_rows_m[m]) &&
					   !has_m && !has_q &&
					   (q == CAB_RQ_SHARED ||
					    q == CAB_RQ_SHARED_INJECTION)) {
					c->source = CAB_RSRC_ABSENT;
					c->operator_value = 0;
				}
				if (c->source == CAB_RSRC_NONE)
					continue;
				r->n_compared++;
				double tol =
				    q == CAB_RQ_GRIDFEE ? TOL_EUR : TOL_KWH;
				c->is_different =
				    fabs(c->operator_value - c->simulated) >
				    tol + EPS;
				r->n_different += c->is_different;
			}
			absent_m += pa->ean && has_rows_m[m] && !has_m;
			absent_q += pa->ean && has_op[m] && !has_q;
			/* The operator's two files on one member and month:
			 * the first quantity that differs. */
			enum cab_rq fq = first_diff(mv, qv);
			if (has_m && has_q &&
			    fabs(mv[fq] - qv[fq]) > TOL_KWH + EPS)
				st = add_finding(
				    r, cap,
				    (struct cab_finding){
					.kind = CAB_FIND_FILES_DISAGREE,
					.participant = (long)i,
					.month = (long)m,
					.q = fq,
					.a = mv[fq],
					.b = qv[fq]},
				    err);
		}
		size_t absent[2] = {absent_m, absent_q};
		for (int k = 0; k < 2 && st == CAB_OK; k++)
			if (absent[k])
				st = add_finding(
				    r, cap,
				    (struct cab_finding){
					.kind = CAB_FIND_ABSENT,
					.participant = (long)i,
					.month = -1,
					.count = absent[k] == r->n_months
						     ? 0
						     : absent[k],
					.source = k ? CAB_RSRC_QUARTERS
						    : CAB_RSRC_MONTHLY},
				    err);
	}
	free(has_op);
	return st;
}

/* Participant i in interval t (some member has the operator's data
 * there): its differences, the timeline's sums. A member with an ean but
 * no data is absent: it received and gave 0. */
static enum cab_status compare_quarter(struct cab_reconcile *r, size_t t,
				       size_t i, size_t *cap,
				       struct cab_err *err)
{
	const struct cab_operator_member *om = &r->op->p[i];
	const struct cab_participant_result *p = &r->run->p[i];
	bool is_absent = !om->has_data;
	if (!r->run->sc->participants[i].ean ||
	    (!is_absent && isnan(om->kwh[CAB_OPVOL_SHARED_OFFTAKE][t])))
		return CAB_OK;
	double so = is_absent ? 0 : om->kwh[CAB_OPVOL_SHARED_OFFTAKE][t];
	double si = is_absent ? 0 : om->kwh[CAB_OPVOL_SHARED_INJECTION][t];
	double go = is_absent ? NAN : om->kwh[CAB_OPVOL_GRID_OFFTAKE][t];
	r->qh_imbalance_kwh[t] += so - (isnan(si) ? 0 : si);
	double c = p->consumption_kwh[t];
	if (isnan(c))
		return CAB_OK;
	double o, d, x;
	cab_own_split(c, p->production_kwh[t], p->is_net, &o, &d, &x);
	double a = p->shared_kwh[t], g = p->given_kwh[t];
	double sim[3] = {a, d - a > 0 ? d - a : 0, g};
	double opv[3] = {so, go, si};
	r->qh_differ_kwh[t] += fabs(a - so);
	for (int q = 0; q < 3; q++) {
		if (isnan(opv[q]) || !(fabs(opv[q] - sim[q]) > TOL_KWH + EPS))
			continue;
		r->n_quarters_all++;
		if (r->n_quarters >= CAB_RECONCILE_MAX_QUARTERS)
			continue;
		if (r->n_quarters == *cap) {
			*cap = *cap ? 2 * *cap : 256;
			struct cab_rquarter *q2 =
			    realloc(r->quarters, *cap * sizeof(*q2));
			if (!q2)
				return cab_err_add(err, CAB_ENOMEM,
						   _("out of memory"));
			r->quarters = q2;
		}
		r->quarters[r->n_quarters++] =
		    (struct cab_rquarter){t, i, (enum cab_rq)q, sim[q], opv[q]};
	}
	return CAB_OK;
}

/* The quarter-hour detail, the timeline and the imbalance. */
static enum cab_status compare_quarters(struct cab_reconcile *r,
					struct cab_err *err)
{
	const struct cab_run *run = r->run;
	size_t nt = run->n_intervals, cap = 0;
	r->qh_differ_kwh = malloc((nt ? nt : 1) * sizeof(double));
	r->qh_imbalance_kwh = malloc((nt ? nt : 1) * sizeof(double));
	if (!r->qh_differ_kwh || !r->qh_imbalance_kwh)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t t = 0; t < nt; t++)
		r->qh_differ_kwh[t] = r->qh_imbalance_kwh[t] = NAN;
	for (size_t t = 0; t < nt; t++) {
		bool has_any = false;
		for (size_t i = 0; i < r->n && !has_any; i++)
			has_any =
			    r->op->p[i].has_data &&
			    !isnan(
				r->op->p[i].kwh[CAB_OPVOL_SHARED_OFFTAKE][t]);
		if (!has_any)
			continue;
		r->qh_imbalance_kwh[t] = r->qh_differ_kwh[t] = 0;
		for (size_t i = 0; i < r->n; i++) {
			enum cab_status st =
			    compare_quarter(r, t, i, &cap, err);
			if (st != CAB_OK)
				return st;
		}
	}
	return CAB_OK;
}

/* Members whose volumes stay 0 for a day or more after the data start
 * (joined mid-month?), the community's imbalance, fees off the tariff. */
static enum cab_status find_operator_oddities(struct cab_reconcile *r,
					      size_t *cap, struct cab_err *err)
{
	const struct cab_run *run = r->run;
	enum cab_status st = CAB_OK;
	size_t start = run->n_intervals;
	for (size_t i = 0; i < r->n; i++)
		for (size_t t = 0; r->op->p[i].has_data && t < start; t++)
			if (!isnan(r->op->p[i].kwh[CAB_OPVOL_GRID_OFFTAKE][t]))
				start = t;
	for (size_t i = 0; i < r->n && st == CAB_OK; i++) {
		const struct cab_operator_member *om = &r->op->p[i];
		if (om->has_data && om->first_nonzero < run->n_intervals &&
		    om->first_nonzero >= start + 96)
			st = add_finding(
			    r, cap,
			    (struct cab_finding){
				.kind = CAB_FIND_LATE_START,
				.participant = (long)i,
				.month = -1,
				.t_s = run->t0_s + (int64_t)om->first_nonzero *
						       CAB_INTERVAL_S},
			    err);
	}
	size_t n_gap = 0;
	double sum = 0, worst = 0;
	int64_t worst_t = 0;
	for (size_t t = 0; t < run->n_intervals; t++) {
		double g = r->qh_imbalance_kwh[t];
		if (isnan(g) || !(fabs(g) > TOL_KWH + EPS))
			continue;
		n_gap++;
		sum += fabs(g);
		if (fabs(g) > fabs(worst)) {
			worst = g;
			worst_t = run->t0_s + (int64_t)t * CAB_INTERVAL_S;
		}
	}
	if (st == CAB_OK && n_gap)
		st = add_finding(
		    r, cap,
		    (struct cab_finding){.kind = CAB_FIND_UNBALANCED,
					 .participant = -1,
					 .month = -1,
					 .t_s = worst_t,
					 .count = n_gap,
					 .a = sum,
					 .b = worst},
		    err);
	/* Without quarter-hours: the monthly file's totals per month. */
	for (size_t m = 0; st == CAB_OK && !r->op->has_15min && m < r->n_months;
	     m++) {
		double so = 0, si = 0;
		for (size_t k = 0; k < r->op->n_months; k++) {
			const struct cab_opmonth *o = &r->op->months[k];
			if (o->year != run->months[m].year ||
			    o->month != run->months[m].month)
				continue;
			so += o->v[CAB_OPM_SHARED];
			si += o->v[CAB_OPM_SHARED_INJECTION];
		}
		if (fabs(so - si) > TOL_KWH + EPS)
			st = add_finding(
			    r, cap,
			    (struct cab_finding){.kind = CAB_FIND_UNBALANCED,
						 .participant = -1,
						 .month = (long)m,
						 .a = so,
						 .b = si},
			    err);
	}
	/* Each month's fee against the tariff on the operator's volumes. */
	for (size_t i = 0; i < r->n && st == CAB_OK; i++) {
		const struct cab_participant *pa = &run->sc->participants[i];
		for (size_t m = 0; m < r->n_months && st == CAB_OK; m++) {
			const struct cab_month *mo = &run->months[m];
			int64_t tariff = 0;
			double fee = 0;
			int n = 0;
			for (size_t k = 0; k < r->op->n_months; k++) {
				const struct cab_opmonth *o = &r->op->months[k];
				if (r->op->month_of[k] != (long)i ||
				    o->year != mo->year ||
				    o->month != mo->month ||
				    isnan(o->v[CAB_OPM_GRIDFEE]))
					continue;
				struct cab_volumes v = {
				    .shared_kwh = o->v[CAB_OPM_SHARED],
				    .complementary_kwh =
					o->v[CAB_OPM_COMPLEMENTARY]};
				tariff += cab_bill_gridfee_cents(
				    run->sc, pa, &v, run->p[i].locality,
				    &run->sharing);
				fee += o->v[CAB_OPM_GRIDFEE];
				n++;
			}
			if (n && fabs(fee - (double)tariff / 100.0) >
				     TOL_EUR * n + EPS)
				st = add_finding(
				    r, cap,
				    (struct cab_finding){
					.kind = CAB_FIND_GRIDFEE,
					.participant = (long)i,
					.month = (long)m,
					.a = fee,
					.b = (double)tariff / 100.0},
				    err);
		}
	}
	return st;
}

/* Per quantity: how many rows differ and the largest difference. */
static enum cab_status sum_up(struct cab_reconcile *r, size_t *cap,
			      struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	for (int q = 0; q < CAB_RQ_COUNT && st == CAB_OK; q++) {
		struct cab_finding f = {.kind = CAB_FIND_DIFFERENCES,
					.participant = -1,
					.month = -1,
					.q = (enum cab_rq)q};
		double worst = 0;
		for (size_t i = 0; i < r->n; i++)
			for (size_t m = 0; m < r->n_months; m++) {
				const struct cab_rcell *c =
				    cab_reconcile_cell(r, i, m, (enum cab_rq)q);
				if (!c->is_different)
					continue;
				f.count++;
				double d = c->operator_value - c->simulated;
				if (fabs(d) > fabs(worst)) {
					worst = d;
					f.participant = (long)i;
					f.month = (long)m;
				}
			}
		f.a = worst;
		if (f.count)
			st = add_finding(r, cap, f, err);
	}
	bool is_quiet = r->n_different == 0 && r->n_quarters_all == 0;
	for (size_t k = 0; k < r->n_findings && is_quiet; k++) {
		enum cab_finding_kind kind = r->findings[k].kind;
		is_quiet = kind == CAB_FIND_NO_EAN || kind == CAB_FIND_KEY ||
			   kind == CAB_FIND_LATE_START ||
			   kind == CAB_FIND_PARTIAL_MONTH;
	}
	r->is_different = !is_quiet;
	if (st == CAB_OK && is_quiet)
		st = add_finding(r, cap,
				 (struct cab_finding){.kind = CAB_FIND_AGREE,
						      .participant = -1,
						      .month = -1},
				 err);
	return st;
}

/* The order a facilitator reads findings in: who is missing, which key,
 * then what is odd in the operator's data, then the counts. Stable. */
static int rank_of(enum cab_finding_kind k)
{
	static const enum cab_finding_kind order[] = {CAB_FIND_ABSENT,
						      CAB_FIND_NO_EAN,
						      CAB_FIND_KEY,
						      CAB_FIND_LATE_START,
						      CAB_FIND_UNBALANCED,
						      CAB_FIND_GRIDFEE,
						      CAB_FIND_FILES_DISAGREE,
						      CAB_FIND_PARTIAL_MONTH,
						      CAB_FIND_DIFFERENCES,
						      CAB_FIND_AGREE};
	int r = 0;
	while ((size_t)r < sizeof order / sizeof *order && order[r] != k)
		r++;
	return r;
}

static void order_findings(struct cab_reconcile *r)
{
	for (size_t i = 1; i < r->n_findings; i++) {
		struct cab_finding f = r->findings[i];
		size_t j = i;
		while (j > 0 &&
		       rank_of(r->findings[j - 1].kind) > rank_of(f.kind)) {
			r->findings[j] = r->findings[j - 1];
			j--;
		}
		r->findings[j] = f;
	}
}

enum cab_status cab_reconcile_new(const struct cab_run *run,
				  const struct cab_operator *op,
				  const char *db_path,
				  struct cab_reconcile **out,
				  struct cab_err *err)
{
	*out = NULL;
	if (!op->has_15min && op->n_months == 0)
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: no data of the operator for the participants over "
		      "the period of %s (expected its files imported with "
		      "cabine import --format sibelga-15min or sibelga-month, "
		      "and the participants' 'ean')"),
		    db_path, run->sc->path);
	struct cab_reconcile *r = calloc(1, sizeof(*r));
	size_t cap = 0;
	if (!r)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	r->run = run;
	r->op = op;
	r->db_path = db_path;
	r->n = run->n;
	r->n_months = run->n_months;
	r->cell =
	    calloc(r->n * r->n_months * CAB_RQ_COUNT + 1, sizeof(*r->cell));
	enum cab_status st =
	    r->cell ? CAB_OK : cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	if (st == CAB_OK)
		st = compare_months(r, &cap, err);
	for (size_t i = 0; i < r->n && st == CAB_OK; i++)
		if (!run->sc->participants[i].ean)
			st = add_finding(
			    r, &cap,
			    (struct cab_finding){.kind = CAB_FIND_NO_EAN,
						 .participant = (long)i,
						 .month = -1},
			    err);
	if (st == CAB_OK)
		st = compare_quarters(r, err);
	if (st == CAB_OK)
		st = find_operator_oddities(r, &cap, err);
	if (st == CAB_OK && op->has_15min) {
		st = cab_reconcile_fit_keys(run, op, &r->fits, &r->n_fits, err);
		if (st == CAB_OK && r->n_fits)
			st = add_finding(
			    r, &cap,
			    (struct cab_finding){.kind = CAB_FIND_KEY,
						 .participant = -1,
						 .month = -1,
						 .fit = cab_reconcile_best_fit(
						     r->fits, r->n_fits)},
			    err);
	}
	if (st == CAB_OK)
		st = sum_up(r, &cap, err);
	if (st == CAB_OK)
		order_findings(r);
	if (st != CAB_OK) {
		cab_reconcile_free(r);
		return st;
	}
	*out = r;
	return CAB_OK;
}
