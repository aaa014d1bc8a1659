/*
 * demo.h — the embedded demo community (`cabine demo`).
 *
 * Why: a new user should see cabine work before preparing any data. The
 * demo writes a deterministic Brussels neighbourhood — about 60
 * participants behind several LV cabins (one metered), households with
 * rooftop PV, a co-housing block with a 15 kWp common installation, a
 * school — with a full year of quarter-hour readings whose daily, weekly
 * and seasonal shapes are believable. Same output bytes on every machine
 * (own PRNG, no libc rand, no local time zone).
 */
#ifndef CABINE_DEMO_H
#define CABINE_DEMO_H

#include "cabine/err.h"

/* Write `scenario.json` and `readings.csv` into directory `dir` (created
 * if needed). Files appear only complete (temp file + rename). Fails with
 * CAB_EIO or CAB_ENOMEM. */
enum cab_status cab_demo_write(const char *dir, struct cab_err *err);

/* The demo's tariff as scenario.json lines (`  "tariff": {…},\n`): the
 * indicative Brussels orders of magnitude of SPEC §8's example, which
 * `cabine init` and the templates of scenarios/ write too (docs/guide.md
 * says where they come from). */
extern const char cab_demo_tariff_json[];

#endif
