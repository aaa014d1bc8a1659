/*
 * fuzz_power.c — fuzz target for the power-sample parsers (power-csv,
 * flukso-csv, flukso-json) and the integrator behind them.
 *
 * The first byte chooses the parser (value % 3) and the options (bits:
 * label, --meter, --sum, a fixed max gap); the rest is the file. Every
 * outcome must be coherent: success without messages, or CAB_EINPUT with
 * at least one; after cab_ingest_finish every stored value is NaN with
 * quality missing, or finite, ≥ 0, at most 1 GW × 15 min (the mean power
 * over the covered time of samples of at most 1 GW) and not missing, and
 * every series lies within the years 2000 to 2099 (samples outside are
 * refused); for flukso-json, within the quarter-hours spanned by the
 * samples (no interval before the first or after the last). A violation
 * aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ingest/ingest.h"

/* 1 GW (the integrator's bound on power) for 900 s, in kWh, with room
 * for rounding. */
#define MAX_KWH (1e9 * 900 / 3.6e6 * (1 + 1e-9))

static bool is_num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
	       c == 'e' || c == 'E';
}

/* flukso-json: the parser reads each number as a maximal run of
 * [0-9.eE+-], so every sample's instant is one of these runs. The span
 * [lo, hi] of the runs that are numbers in 2000–2099 (a superset of the
 * instants, widened by 1 s for rounding) bounds the quarter-hours put:
 * lo_s and hi_s on return (whole intervals), or the years' bounds. */
static void json_span(const char *s, size_t len, int64_t *lo_s, int64_t *hi_s)
{
	double lo = INFINITY, hi = -INFINITY;
	char *tok = malloc(len + 1);
	if (!tok)
		abort();
	for (size_t i = 0; i < len;) {
		if (!is_num_char(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && is_num_char(s[j]))
			j++;
		memcpy(tok, s + i, j - i);
		tok[j - i] = '\0';
		char *end;
		double v = strtod(tok, &end);
		if (end == tok + (j - i) && v >= (double)CAB_INGEST_MIN_S &&
		    v < (double)CAB_INGEST_END_S) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		i = j;
	}
	free(tok);
	*lo_s = CAB_INGEST_MIN_S;
	*hi_s = CAB_INGEST_END_S;
	if (lo <= hi) {
		*lo_s = (int64_t)floor((lo - 1) / 900) * 900;
		*hi_s = (int64_t)ceil((hi + 1) / 900) * 900;
	}
}

static void check_set(const struct cab_qhset *qh, int64_t lo_s, int64_t hi_s)
{
	for (size_t i = 0; i < cab_qhset_n_meters(qh); i++) {
		struct cab_qh_series s;
		if (!cab_qhset_series(qh, i, &s) || s.t0_s % 900 != 0 ||
		    s.t0_s < CAB_INGEST_MIN_S ||
		    s.t0_s + (int64_t)s.n * 900 > CAB_INGEST_END_S ||
		    s.t0_s < lo_s || s.t0_s + (int64_t)s.n * 900 > hi_s)
			abort();
		for (size_t k = 0; k < s.n; k++) {
			bool is_missing = s.quality[k] == CAB_Q_MISSING;
			if (is_missing != isnan(s.kwh[k]))
				abort();
			if (!is_missing &&
			    !(s.kwh[k] >= 0 && s.kwh[k] <= MAX_KWH))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t sel = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct cab_import_opts o = {0};
	o.min_coverage = 0.9;
	o.label = (enum cab_label)((sel >> 2) % 3);
	o.meter = sel & 0x20 ? "m" : NULL;
	o.sum = (sel & 0x40) && o.meter;
	o.max_gap_s = sel & 0x80 ? 120 : 0;
	struct cab_qhset *qh = NULL;
	if (cab_qhset_new(&qh, NULL) != CAB_OK)
		abort();
	struct cab_ingest ing;
	cab_ingest_init(&ing, qh, &o);
	ing.file_meter = o.meter;
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st;
	switch (sel % 3) {
	case 0:
		o.format = CAB_FMT_POWER_CSV;
		st = cab_parse_power_csv(&ing, "fuzz", text, len, &err);
		break;
	case 1:
		o.format = CAB_FMT_FLUKSO_CSV;
		st = cab_parse_flukso_csv(&ing, "fuzz", text, len, &err);
		break;
	default:
		o.format = CAB_FMT_FLUKSO_JSON;
		st = cab_parse_flukso_json(&ing, "fuzz", text, len, &err);
		break;
	}
	if (st == CAB_OK) {
		if (err.count != 0)
			abort();
		st = cab_ingest_finish(&ing, &err);
		if (st != CAB_OK && st != CAB_EINPUT)
			abort();
	} else if (st != CAB_EINPUT || err.count == 0) {
		abort();
	}
	int64_t lo_s = CAB_INGEST_MIN_S, hi_s = CAB_INGEST_END_S;
	if (sel % 3 == 2)
		json_span(text, len, &lo_s, &hi_s);
	check_set(qh, lo_s, hi_s);
	cab_ingest_release(&ing);
	cab_qhset_free(qh);
	cab_err_release(&err);
	return 0;
}
