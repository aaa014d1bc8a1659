/*
 * operator_files.h — test support: the grid operator's two files written
 * from one of cabine's own runs, as Sibelga lays them out (SPEC §13,
 * docs/operator.md), so that a test can import them back and reconcile.
 *
 * Why: no operator file is public. A quarter-hour file made from the
 * run's allocation must reconcile with zero differences, and one made
 * from another key, or without a member, must be found out; the sample
 * generator (scripts/gen_operator.c) writes the committed samples with
 * the same functions.
 *
 * Layout written: CSV with ';' and a decimal comma (as Excel saves it in
 * Belgium); the quarter-hour file in time order (local start, then EAN,
 * then type), rows of 0 kWh left out as the operator does; the monthly
 * file one row per EAN, month and register (HI and LOW for the meters
 * listed as dual-rate, TH for the others), with the grid fee the tariff
 * gives (engine/billing/gridfee.c). Volumes with 6 decimals.
 *
 * Static functions only (included by one test and the generator).
 */
#ifndef CABINE_TEST_OPERATOR_FILES_H
#define CABINE_TEST_OPERATOR_FILES_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cabine/opfile.h"
#include "cabine/run.h"
#include "cabine/time.h"
#include "engine/billing/bill.h"

/* x with `decimals` decimals and a decimal comma into buf; is_short:
 * trailing zeros dropped ("0,25", "0"), as the operator writes volumes. */
static void opf_decimal(double x, int decimals, int is_short, char *buf,
			size_t size)
{
	snprintf(buf, size, "%.*f", decimals, x);
	char *dot = strchr(buf, '.');
	if (!dot)
		return;
	*dot = ',';
	if (!is_short)
		return;
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == ',')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0"))
		snprintf(buf, size, "0");
}

/* The operator's four volumes of participant i in interval t of run
 * (NaN-free: a missing interval gives zeros), in enum cab_opvol order. */
static void opf_volumes(const struct cab_run *run, size_t i, size_t t,
			double v[CAB_OPVOL_COUNT])
{
	const struct cab_participant_result *p = &run->p[i];
	for (int k = 0; k < CAB_OPVOL_COUNT; k++)
		v[k] = 0;
	double c = p->consumption_kwh[t];
	if (isnan(c))
		return;
	double o, d, x;
	cab_own_split(c, p->production_kwh[t], p->is_net, &o, &d, &x);
	double a = p->shared_kwh[t], g = p->given_kwh[t];
	v[CAB_OPVOL_SHARED_OFFTAKE] = a;
	v[CAB_OPVOL_GRID_OFFTAKE] = d - a > 0 ? d - a : 0;
	v[CAB_OPVOL_SHARED_INJECTION] = g;
	v[CAB_OPVOL_GRID_INJECTION] = x - g > 0 ? x - g : 0;
}

/* Is participant i written? Those without ean, and `skip`, are not. */
static int opf_is_written(const struct cab_run *run, size_t i, long skip)
{
	return run->sc->participants[i].ean && (long)i != skip;
}

/* The quarter-hour file of run into path; participant `skip` (or -1)
 * left out. Returns 0, or -1 if the file cannot be written. */
static int opf_write_15min_csv(const struct cab_run *run, const char *path,
			       long skip)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs("Date Début;EAN;Type de volume;Volume (kWh)\r\n", f);
	for (size_t t = 0; t < run->n_intervals; t++) {
		struct cab_civil c;
		cab_time_to_local(run->t0_s + (int64_t)t * CAB_INTERVAL_S, &c);
		for (size_t i = 0; i < run->n; i++) {
			if (!opf_is_written(run, i, skip))
				continue;
			double v[CAB_OPVOL_COUNT];
			opf_volumes(run, i, t, v);
			for (int k = 0; k < CAB_OPVOL_COUNT; k++) {
				char num[48];
				opf_decimal(v[k], 6, 1, num, sizeof num);
				if (!strcmp(num, "0"))
					continue; /* the operator omits 0 */
				fprintf(
				    f, "%02d/%02d/%04d %02d:%02d;%s;%s;%s\r\n",
				    c.day, c.month, c.year, c.hour, c.minute,
				    run->sc->participants[i].ean,
				    cab_opvol_label((enum cab_opvol)k), num);
			}
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* Participant i's registers of month m: HI and LOW when dual-rate. */
static int opf_registers(const struct cab_run *run, size_t i, size_t m,
			 int is_dual, struct cab_register reg[2])
{
	return cab_bill_registers(&run->p[i].month[m], is_dual, reg);
}

/* The grid fee of one register in cents, as the tariff gives it. */
static int64_t opf_fee_cents(const struct cab_run *run, size_t i,
			     const struct cab_register *reg)
{
	return cab_bill_gridfee_cents(run->sc, &run->sc->participants[i],
				      &reg->v, run->p[i].locality,
				      &run->sharing);
}

/* The monthly file of run into path; participants whose id is in dual
 * (NULL-terminated, or NULL) have HI and LOW registers. */
static int opf_write_month_csv(const struct cab_run *run, const char *path,
			       long skip, const char *const *dual)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs("Compteur;Mois;Registre;Volume Partagé (kWh);Volume "
	      "Complémentaire (kWh);Injection Partagée (kWh);Injection "
	      "Complémentaire (kWh);Gridfee total (EUR)\r\n",
	      f);
	for (size_t i = 0; i < run->n; i++) {
		if (!opf_is_written(run, i, skip))
			continue;
		int is_dual = 0;
		for (size_t k = 0; dual && dual[k]; k++)
			is_dual |=
			    !strcmp(dual[k], run->sc->participants[i].id);
		for (size_t m = 0; m < run->n_months; m++) {
			struct cab_register reg[2];
			int n = opf_registers(run, i, m, is_dual, reg);
			double inj = run->p[i].month[m].injected_kwh;
			for (int g = 0; g < n; g++) {
				char v[4][48];
				opf_decimal(reg[g].v.shared_kwh, 6, 0, v[0],
					    48);
				opf_decimal(reg[g].v.complementary_kwh, 6, 0,
					    v[1], 48);
				opf_decimal(reg[g].v.given_kwh, 6, 0, v[2], 48);
				opf_decimal(g == 0 ? inj : 0, 6, 0, v[3], 48);
				char fee[48];
				opf_decimal(
				    (double)opf_fee_cents(run, i, &reg[g]) /
					100.0,
				    2, 0, fee, sizeof fee);
				fprintf(f, "%s;%04d-%02d;%s;%s;%s;%s;%s;%s\r\n",
					run->sc->participants[i].ean,
					run->months[m].year,
					run->months[m].month, reg[g].name, v[0],
					v[1], v[2], v[3], fee);
			}
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

#endif
