/*
 * decimal.c — decimal numbers of the data files, fast and exact.
 *
 * Why: the readings CSV (35 M rows) and 8-second power samples (4 M lines
 * a meter-year) spend most of their parse in numbers; strtod is slow and
 * depends on the locale. Numbers with at most 19 significant digits and a
 * small exponent are converted exactly (one rounding, like strtod); the
 * rest go through strtod on a copy with the locale's decimal point.
 */
#include "engine/base/decimal.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>

static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,	 1e4,  1e5,  1e6,  1e7,
				 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod on a NUL-terminated copy, with '.' mapped to the locale's
 * decimal point so that a caller's setlocale cannot change the value. */
static bool slow_decimal(const char *s, size_t len, double *v)
{
	char small[128];
	char *buf = len < sizeof(small) ? small : malloc(len + 1);
	if (!buf)
		return false;
	const char *dp = localeconv()->decimal_point;
	for (size_t i = 0; i < len; i++)
		buf[i] = (s[i] == '.' && dp && dp[0] && !dp[1]) ? dp[0] : s[i];
	buf[len] = '\0';
	char *end;
	*v = strtod(buf, &end);
	bool ok = end == buf + len;
	if (buf != small)
		free(buf);
	return ok;
}

/* A decimal "[+-]digits[.digits][(e|E)[+-]digits]" (at least one digit
 * in the mantissa); false when s is not one. May return ±inf. */
bool cab_decimal_parse(const char *s, size_t len, double *v)
{
	size_t i = 0;
	bool neg = false, any = false, inexact = false;
	uint64_t m = 0;
	int nd = 0;
	long e10 = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < len && (unsigned)(s[i] - '0') < 10; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		any = true;
		if (nd < 19) {
			m = m * 10 + d;
			nd += m != 0;
		} else {
			inexact = true;
			e10++;
		}
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && (unsigned)(s[i] - '0') < 10; i++) {
			unsigned d = (unsigned)(s[i] - '0');
			any = true;
			if (nd < 19) {
				m = m * 10 + d;
				nd += m != 0;
				e10--;
			} else {
				inexact = true;
			}
		}
	}
	if (!any)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false, edig = false;
		long ex = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len && (unsigned)(s[i] - '0') < 10; i++) {
			edig = true;
			if (ex < 100000)
				ex = ex * 10 + (s[i] - '0');
		}
		if (!edig)
			return false;
		e10 += eneg ? -ex : ex;
	}
	if (i != len)
		return false;
	if (!inexact && m <= (1ull << 53) && e10 >= -22 && e10 <= 22) {
		/* Clinger: both operands exact, so one IEEE operation rounds
		 * correctly. */
		double x = (double)m;
		x = e10 < 0 ? x / POW10[-e10] : x * POW10[e10];
		*v = neg ? -x : x;
		return true;
	}
	return slow_decimal(s, len, v);
}
