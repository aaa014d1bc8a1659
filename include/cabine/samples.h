/*
 * samples.h — a meter's raw power samples over one local day, read back
 * from a scenario whose readings are power samples (SPEC §8).
 *
 * Why: a Flukso shows power every few seconds; a heat pump's 4 kW bursts
 * or a kettle's peak scare people until they see the quarter-hour energy
 * beside them (the seeds report, "Interface Flukso"). The store and the
 * readings keep only quarter-hours, so a household's day of power is
 * taken again from the readings file itself when it is one of power
 * samples, through the same parser as the readings (engine/ingest/).
 *
 * Ownership: cab_samples_read() fills days the caller owns; release each
 * with cab_power_day_release().
 */
#ifndef CABINE_SAMPLES_H
#define CABINE_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/scenario.h"

/* One meter's samples over [start_s, end_s) (a local day, UTC bounds). */
struct cab_power_day {
	const char *meter;	/* borrowed: the meter asked for */
	int64_t start_s, end_s; /* the day's bounds, UTC */
	size_t n;		/* samples in the day */
	double *t_s;		/* n instants (UTC seconds), increasing */
	double *watts;		/* n powers (W), NaN = no reading */
	size_t cap;		/* private: allocated entries */
};

/* Read from the scenario's power-samples readings (sc->readings_path;
 * cab_source_is_power_file must hold) the samples of days[k].meter in
 * [days[k].start_s, days[k].end_s), for k < n: one pass over the file.
 * days[k].meter may be NULL (nothing to read). Fails like the readings
 * loader (CAB_EINPUT with "file:line: …", CAB_EIO, CAB_ENOMEM). */
enum cab_status cab_samples_read(const struct cab_scenario *sc,
				 struct cab_power_day *days, size_t n,
				 struct cab_err *err);
void cab_power_day_release(struct cab_power_day *d);

#endif
