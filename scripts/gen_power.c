/*
 * gen_power.c — writes a power-csv file for `make bench`: one meter-year of
 * 8-second samples (3,942,000 lines) `timestamp,meter,watts`, with a daily
 * shape and two Wi-Fi silences of 20 minutes, deterministic.
 * Usage: gen_power OUT.csv [METERS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "cabine/time.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int meters = argc > 2 ? atoi(argv[2]) : 1;
	FILE *f = fopen(argv[1], "w");
	if (!f)
		return 1;
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fputs("timestamp,meter,watts\n", f);
	int64_t t0 = 1704067200; /* 2024-01-01T00:00:00Z */
	uint64_t x = 88172645463325252ull;
	for (int64_t t = t0; t < t0 + 365 * 86400; t += 8) {
		if ((t - t0) % (86400 * 90) < 1200 && t > t0)
			continue; /* a Wi-Fi silence every 90 days */
		char ts[21];
		cab_time_format_utc(t, ts);
		for (int m = 0; m < meters; m++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			int hour = (int)((t / 3600) % 24);
			double w = 150 + (hour >= 7 && hour < 22 ? 400 : 0) +
				   (double)(x % 2000) / 10.0;
			fprintf(f, "%s,m%d,%.1f\n", ts, m + 1, w);
		}
	}
	return fclose(f) == 0 ? 0 : 1;
}
