/*
 * source.h — load a scenario's readings from where it says they are.
 *
 * Why: a scenario names its data either as a readings CSV ("readings") or
 * as a store made by `cabine import` ("db"); the engine only needs series
 * of the meters the scenario names (participants and cabins).
 *
 * Ownership: on success *out is a new object the caller frees with
 * cab_readings_free(); on failure *out is untouched and nothing leaks.
 */
#ifndef CABINE_SOURCE_H
#define CABINE_SOURCE_H

#include <stdbool.h>

#include "cabine/err.h"
#include "cabine/readings.h"
#include "cabine/scenario.h"

enum cab_status cab_source_load(const struct cab_scenario *sc,
				struct cab_readings **out, struct cab_err *err);

/* Does the readings file at path hold power samples (a header
 * `timestamp,meter,watts`) rather than quarter-hour energies? */
bool cab_source_is_power_file(const char *path);

#endif
