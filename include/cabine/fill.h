/*
 * fill.h — explicit filling of missing quarter-hours (SPEC §8 "fill").
 *
 * Why: a missing interval is never zero; filling is a choice the user
 * makes, and every output says how many intervals were filled. Two
 * methods:
 * - linear: a gap of at most max_gap intervals with a valid value on each
 *   side gets the values on the straight line between those neighbours
 *   (longer gaps, and gaps at the ends of the series, stay missing);
 * - profile: a missing interval gets the mean of the same meter's valid
 *   values at the same local quarter-hour of the week (Monday 00:00 …
 *   Sunday 23:45, Europe/Brussels) over the series; a slot with no value
 *   stays missing.
 *
 * Functions work in place on one series and cannot fail.
 */
#ifndef CABINE_FILL_H
#define CABINE_FILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fill gaps of at most max_gap intervals linearly. is_filled (n flags,
 * may be NULL) is set for each interval filled. Returns how many. */
size_t cab_fill_linear(double *kwh, size_t n, size_t max_gap, bool *is_filled);

/* Fill every missing interval from the series' mean week profile; t0_s is
 * the UTC start of interval 0 (a multiple of 900). Returns how many were
 * filled; is_filled as above. */
size_t cab_fill_profile(double *kwh, size_t n, int64_t t0_s, bool *is_filled);

#endif
