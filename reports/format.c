/*
 * format.c — number and name formatting shared by every writer.
 *
 * Why by hand: outputs must be byte-identical everywhere and fast
 * (allocation.csv of a large community has 35 M rows); printf's "%.6f"
 * is locale-free in the C locale but slow, so kWh are scaled to integer
 * micro-kWh and printed as integers.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cabine/report.h"

void cab_report_fmt_kwh(double kwh, char *buf, size_t size)
{
	if (isnan(kwh)) {
		if (size)
			buf[0] = 0;
		return;
	}
	double v = kwh * 1e6;
	int64_t u = (int64_t)(v < 0 ? -floor(-v + 0.5) : floor(v + 0.5));
	const char *sign = u < 0 ? "-" : "";
	uint64_t a = (uint64_t)(u < 0 ? -u : u);
	snprintf(buf, size, "%s%" PRIu64 ".%06" PRIu64, sign, a / 1000000,
		 a % 1000000);
}

void cab_report_fmt_cents(int64_t cents, char *buf, size_t size)
{
	const char *sign = cents < 0 ? "-" : "";
	uint64_t a = (uint64_t)(cents < 0 ? -cents : cents);
	snprintf(buf, size, "%s%" PRIu64 ".%02" PRIu64, sign, a / 100, a % 100);
}

void cab_report_safe_name(const char *id, char *buf, size_t size)
{
	if (size == 0)
		return;
	size_t n = 0;
	bool is_changed = false;
	/* Keep room for "-" + 8 hex digits + NUL. */
	size_t room = size > 10 ? size - 10 : 0;
	uint32_t h = 2166136261u; /* FNV-1a: stable, no dependency */
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h = (h ^ *p) * 16777619u;
		char c = (char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';
		if (!ok) {
			c = '_';
			is_changed = true;
		}
		if (n < room)
			buf[n++] = c;
		else
			is_changed = true;
	}
	if (n == 0) {
		is_changed = true;
		if (room)
			buf[n++] = '_';
	}
	buf[n] = 0;
	if (is_changed && size > n + 9)
		snprintf(buf + n, size - n, "-%08x", (unsigned)h);
}
