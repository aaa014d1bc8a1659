/*
 * decimal.h — parse a decimal number of a data file (internal to engine/).
 *
 * Why: one parser for every format's numbers (readings CSV, power samples,
 * Flukso JSON), written once (STYLE: "write a formula once").
 */
#ifndef CABINE_DECIMAL_H
#define CABINE_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

/* A decimal "[+-]digits[.digits][(e|E)[+-]digits]" in s[0..len) (at least
 * one digit in the mantissa, nothing else) into *v; false when s is not
 * one. Locale-independent. May return ±inf for huge exponents. */
bool cab_decimal_parse(const char *s, size_t len, double *v);

#endif
