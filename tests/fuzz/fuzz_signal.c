/*
 * fuzz_signal.c — fuzz target for signal.csv read back by `cabine alerts
 * --signal` (engine/scenario/signal.c).
 *
 * Each input is read into a scenario holding one alert. Success: the
 * windows appended after it, counted in n_signal_windows, each announced,
 * on quarter-hours, ending after it starts and within 24 h, no message.
 * Failure: the scenario unchanged, at least one message, each one line
 * "fuzz.csv:LINE: …". A violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.alerts = malloc(sizeof(struct cab_alert));
	if (!sc.alerts)
		return 0;
	sc.alerts[0] = (struct cab_alert){.start_s = 900, .end_s = 1800};
	sc.n_alerts = 1;
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_scenario_parse_signal(
	    &sc, "fuzz.csv", (const char *)data, size, &err);
	if (st == CAB_OK) {
		if (err.count || sc.n_alerts != 1 + sc.n_signal_windows ||
		    sc.alerts[0].end_s != 1800)
			abort();
		for (size_t k = 1; k < sc.n_alerts; k++) {
			const struct cab_alert *a = &sc.alerts[k];
			if (!a->is_announced || a->end_s <= a->start_s ||
			    a->end_s - a->start_s > 86400 || a->start_s % 900 ||
			    a->end_s % 900)
				abort();
		}
	} else {
		if (st != CAB_EINPUT || sc.n_alerts != 1 ||
		    sc.n_signal_windows || !err.text || err.count == 0)
			abort();
		size_t lines = 0;
		for (const char *s = err.text; *s; lines++) {
			const char *nl = strchr(s, '\n');
			if (strncmp(s, "fuzz.csv:", 9) != 0 || !nl)
				abort();
			s = nl + 1;
		}
		if (lines != err.count)
			abort();
	}
	free(sc.alerts);
	cab_err_release(&err);
	return 0;
}
