/*
 * source.c — the readings of a scenario, from its CSV ("readings") or its
 * SQLite store ("db", SPEC §8).
 *
 * Why: every command that runs a scenario needs the same series for the
 * meters it names, whatever holds them; only the meters named are loaded,
 * so a store of a thousand meters serves a scenario of ten cheaply.
 */
#include "cabine/source.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/operator.h"
#include "cabine/store.h"
#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/ingest/ingest.h"

/* Does the file start (after a BOM) with a power-samples header
 * `timestamp,meter,watts` rather than the canonical `…,kwh`? */
bool cab_source_is_power_file(const char *path)
{
	char head[64] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return false; /* the CSV loader reports it */
	size_t n = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	head[n] = '\0';
	const char *h = strncmp(head, "\xEF\xBB\xBF", 3) == 0 ? head + 3 : head;
	return strncmp(h, "timestamp,meter,watts", 21) == 0 &&
	       (h[21] == '\n' || h[21] == '\r');
}

/* A readings file of power samples (SPEC §8): integrated into quarter-
 * hours with the scenario's min_coverage, by the import's integrator
 * (label start, max gap 3 × each meter's median spacing), then the
 * meters the scenario names are kept over its period. */
static enum cab_status load_power(const struct cab_scenario *sc,
				  struct cab_readings *rd, struct cab_err *err)
{
	const char *path = sc->readings_path;
	char *buf = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st != CAB_OK)
		return st;
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.format = CAB_FMT_POWER_CSV;
	o.min_coverage = sc->min_coverage;
	struct cab_qhset *qh = NULL;
	st = cab_qhset_new(&qh, err);
	struct cab_ingest ing;
	if (st == CAB_OK) {
		cab_ingest_init(&ing, qh, &o);
		st = cab_parse_power_csv(&ing, path, buf, len, err);
		if (st == CAB_OK)
			st = cab_ingest_finish(&ing, err);
		cab_ingest_release(&ing);
	}
	free(buf);
	size_t n = sc->n_intervals;
	double *kwh = st == CAB_OK ? malloc((n + 1) * sizeof *kwh) : NULL;
	if (st == CAB_OK && !kwh)
		st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t i = 0; st == CAB_OK && i < cab_qhset_n_meters(qh); i++) {
		struct cab_qh_series s;
		cab_qhset_series(qh, i, &s);
		bool any = false;
		for (size_t k = 0; k < n; k++) {
			int64_t t = sc->t0_s + (int64_t)k * CAB_INTERVAL_S;
			int64_t j = (t - s.t0_s) / CAB_INTERVAL_S;
			kwh[k] = NAN;
			if (t >= s.t0_s && (size_t)j < s.n) {
				kwh[k] = s.kwh[j];
				any = true;
			}
		}
		/* Like the CSV loader: a meter with no sample in the period
		 * has no series (the run names it). */
		if (any)
			st = cab_readings_put(rd, s.meter, kwh, err);
	}
	free(kwh);
	cab_qhset_free(qh);
	return st;
}

/* Whether the base or a variant bills from the operator's volumes: then
 * each participant's four operator series are read too (SPEC §13). */
static bool uses_operator(const struct cab_scenario *sc)
{
	bool is_used = sc->billing.source == CAB_SOURCE_OPERATOR;
	for (size_t v = 0; v < sc->n_variants; v++)
		is_used |=
		    sc->variants[v].billing.source == CAB_SOURCE_OPERATOR;
	return is_used;
}

/* The series names participant i needs: its meters, and its operator
 * series when the scenario bills from them (names[] in buf). */
static size_t series_of(const struct cab_scenario *sc, size_t i,
			char buf[CAB_OPVOL_COUNT][64], const char *m[8])
{
	const struct cab_participant *p = &sc->participants[i];
	size_t n = 0;
	m[n++] = p->meter_consumption;
	m[n++] = p->meter_production;
	m[n++] = p->meter_offtake;
	m[n++] = p->meter_injection;
	for (int v = 0; p->ean && uses_operator(sc) && v < CAB_OPVOL_COUNT;
	     v++) {
		cab_operator_series_name(p->ean, (enum cab_opvol)v, buf[v],
					 sizeof buf[v]);
		m[n++] = buf[v];
	}
	return n;
}

/* Read every meter the scenario names from its store ("db"). */
static enum cab_status load_store(const struct cab_scenario *sc,
				  struct cab_readings *rd, struct cab_err *err)
{
	struct cab_store *store = NULL;
	enum cab_status st = cab_store_open(sc->db_path, false, &store, err);
	if (st != CAB_OK)
		return st;
	size_t n = sc->n_intervals;
	double *kwh = malloc((n + 1) * sizeof *kwh);
	uint8_t *filled = malloc(n + 1);
	if (!kwh || !filled)
		st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (size_t i = 0;
	     i < sc->n_participants + sc->n_cabins && st == CAB_OK; i++) {
		const char *m[8] = {0};
		char names[CAB_OPVOL_COUNT][64];
		size_t nm = 1;
		if (i < sc->n_participants)
			nm = series_of(sc, i, names, m);
		else
			m[0] = sc->cabins[i - sc->n_participants].meter;
		for (size_t k = 0; k < nm && st == CAB_OK; k++) {
			bool found = false;
			if (!m[k] || cab_readings_series(rd, m[k]))
				continue;
			st = cab_store_read(store, m[k], sc->t0_s, n, kwh,
					    filled, &found, err);
			if (st == CAB_OK && found)
				st = cab_readings_put_filled(rd, m[k], kwh,
							     filled, err);
		}
	}
	free(kwh);
	free(filled);
	cab_store_close(store);
	return st;
}

enum cab_status cab_source_load(const struct cab_scenario *sc,
				struct cab_readings **out, struct cab_err *err)
{
	struct cab_readings *rd = NULL;
	enum cab_status st =
	    cab_readings_new(sc->t0_s, sc->n_intervals, &rd, err);
	if (st != CAB_OK)
		return st;
	for (size_t i = 0; i < sc->n_participants && st == CAB_OK; i++) {
		const char *m[8] = {0};
		char names[CAB_OPVOL_COUNT][64];
		size_t nm = series_of(sc, i, names, m);
		for (size_t k = 0; k < nm && st == CAB_OK; k++)
			if (m[k])
				st = cab_readings_want(rd, m[k], err);
	}
	for (size_t c = 0; c < sc->n_cabins && st == CAB_OK; c++)
		if (sc->cabins[c].meter)
			st = cab_readings_want(rd, sc->cabins[c].meter, err);
	if (st == CAB_OK && sc->readings_path &&
	    cab_source_is_power_file(sc->readings_path)) {
		st = load_power(sc, rd, err);
	} else if (st == CAB_OK && sc->readings_path) {
		st = cab_readings_load_csv(rd, sc->readings_path, err);
		/* A header and nothing else: a template not filled in yet
		 * (`cabine init`), said once rather than meter by meter. */
		if (st == CAB_OK && cab_readings_rows(rd) == 0)
			st = cab_err_add(
			    err, CAB_EINPUT,
			    _("%s: no readings yet (expected one row per meter "
			      "and quarter-hour under the header, e.g. "
			      "05/03/2025 10:00;h01-c;0,125)"),
			    sc->readings_path);
	} else if (st == CAB_OK && sc->db_path) {
		st = load_store(sc, rd, err);
		if (st == CAB_OK && uses_operator(sc))
			st = cab_operator_check_eans(sc, sc->db_path, err);
	}
	if (st != CAB_OK) {
		cab_readings_free(rd);
		return st;
	}
	*out = rd;
	return CAB_OK;
}
