/*
 * source.c — the readings of a scenario, from its CSV ("readings") or its
 * SQLite store ("db", SPEC §8).
 *
 * Why: every command that runs a scenario needs the same series for the
 * meters it names, whatever holds them; only the meters named are loaded,
 * so a store of a thousand meters serves a scenario of ten cheaply.
 */
#include "cabine/source.h"

#include <stdlib.h>

#include "cabine/store.h"

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
		st = cab_err_add(err, CAB_ENOMEM, "out of memory");
	for (size_t i = 0;
	     i < sc->n_participants + sc->n_cabins && st == CAB_OK; i++) {
		const char *m[4] = {0};
		if (i < sc->n_participants) {
			const struct cab_participant *p = &sc->participants[i];
			m[0] = p->meter_consumption;
			m[1] = p->meter_production;
			m[2] = p->meter_offtake;
			m[3] = p->meter_injection;
		} else {
			m[0] = sc->cabins[i - sc->n_participants].meter;
		}
		for (int k = 0; k < 4 && st == CAB_OK; k++) {
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
		const struct cab_participant *p = &sc->participants[i];
		const char *m[] = {p->meter_consumption, p->meter_production,
				   p->meter_offtake, p->meter_injection};
		for (int k = 0; k < 4 && st == CAB_OK; k++)
			if (m[k])
				st = cab_readings_want(rd, m[k], err);
	}
	for (size_t c = 0; c < sc->n_cabins && st == CAB_OK; c++)
		if (sc->cabins[c].meter)
			st = cab_readings_want(rd, sc->cabins[c].meter, err);
	if (st == CAB_OK && sc->readings_path) {
		st = cab_readings_load_csv(rd, sc->readings_path, err);
	} else if (st == CAB_OK && sc->db_path) {
		st = load_store(sc, rd, err);
	}
	if (st != CAB_OK) {
		cab_readings_free(rd);
		return st;
	}
	*out = rd;
	return CAB_OK;
}
