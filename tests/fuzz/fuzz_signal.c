/*
 * fuzz_signal.c — fuzz target for the one reader of signal.csv
 * (engine/ingest/signal_csv.c), and for its use by `cabine alerts
 * --signal` (engine/scenario/signal.c); `cabine site --signal` calls the
 * same reader.
 *
 * The reader: on success, no message and every window on quarter-hours,
 * ending after it starts and within 24 h, with a finite surplus ≥ 0 and at
 * most 250,000 kWh a quarter-hour of the window; on failure, no window and
 * messages "fuzz.csv:LINE: …", one a line, at most 20, then possibly one
 * "… and N more problems". The scenario's reader, given a scenario
 * holding one alert, agrees: the same windows appended after it as
 * announced signal windows, or the scenario unchanged and the same
 * messages. A violation aborts.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/readings.h"
#include "cabine/scenario.h"
#include "cabine/signal_csv.h"

/* Check the messages of a failed read; returns their count. */
static size_t check_messages(const struct cab_err *err)
{
	size_t lines = 0;
	if (!err->text)
		abort();
	for (const char *s = err->text; *s; lines++) {
		const char *nl = strchr(s, '\n');
		if (!nl)
			abort();
		bool is_more = strncmp(s, "… and ", strlen("… and ")) == 0;
		if (strncmp(s, "fuzz.csv:", 9) != 0 && !(is_more && !nl[1]))
			abort();
		s = nl + 1;
	}
	if (lines != err->count || lines == 0 || lines > 21)
		abort();
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct cab_err err;
	cab_err_init(&err);
	struct cab_signal_window *w = NULL;
	size_t n = 0;
	enum cab_status st =
	    cab_signal_csv_parse("fuzz.csv", text, size, &w, &n, &err);
	if (st == CAB_OK) {
		if (err.count)
			abort();
		for (size_t k = 0; k < n; k++) {
			int64_t d = w[k].end_s - w[k].start_s;
			double v = w[k].surplus_kwh;
			if (d <= 0 || d > 86400 || w[k].start_s % 900 ||
			    w[k].end_s % 900 || !isfinite(v) || v < 0 ||
			    signbit(v) ||
			    v > CAB_READINGS_MAX_KWH * (double)(d / 900))
				abort();
		}
	} else {
		if (st != CAB_EINPUT || w || n)
			abort();
		check_messages(&err);
	}

	struct cab_scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.alerts = malloc(sizeof(struct cab_alert));
	if (!sc.alerts)
		abort();
	sc.alerts[0] = (struct cab_alert){.start_s = 900, .end_s = 1800};
	sc.n_alerts = 1;
	struct cab_err err2;
	cab_err_init(&err2);
	enum cab_status st2 =
	    cab_scenario_parse_signal(&sc, "fuzz.csv", text, size, &err2);
	if (st2 != st)
		abort();
	if (st == CAB_OK) {
		if (err2.count || sc.n_alerts != 1 + n ||
		    sc.n_signal_windows != n || sc.alerts[0].end_s != 1800)
			abort();
		for (size_t k = 0; k < n; k++) {
			const struct cab_alert *a = &sc.alerts[1 + k];
			if (!a->is_announced || a->start_s != w[k].start_s ||
			    a->end_s != w[k].end_s)
				abort();
		}
	} else {
		if (sc.n_alerts != 1 || sc.n_signal_windows ||
		    strcmp(err.text, err2.text) != 0)
			abort();
	}
	free(sc.alerts);
	free(w);
	cab_err_release(&err);
	cab_err_release(&err2);
	return 0;
}
