/*
 * batch_sample.h — internal to engine/scenario/: a sub-community drawn
 * from a scenario's tree, for the sweep key "participants_sample" of a
 * batch (batch.c, docs/batch.md).
 */
#ifndef CABINE_SCENARIO_BATCH_SAMPLE_H
#define CABINE_SCENARIO_BATCH_SAMPLE_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keep n of the participants of scenario tree `sc` (an object whose
 * "participants" is an array of at least n objects with an "id"), drawn
 * with `seed`: the same n and seed draw the same participants whatever
 * else the run changes. They stay in file order, and every reference to
 * the others (sharing weights and priority groups, pot bounds, groups,
 * the variants' own) is removed, so that the sub-community is a valid
 * scenario whenever the whole one is. False when out of memory. */
bool cab_batch_sample(cJSON *sc, size_t n, uint64_t seed);

#endif
