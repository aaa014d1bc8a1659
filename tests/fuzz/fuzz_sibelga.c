/*
 * fuzz_sibelga.c — fuzz target for the grid operator's files
 * (sibelga-15min and sibelga-month, CSV; their xlsx go through the sheet
 * reader, fuzzed by fuzz_sheet.c).
 *
 * Each input is parsed as a quarter-hour file and as a monthly file.
 * Afterwards: a failed parse has exactly one message and the status bad
 * input, a successful one none; every quarter-hour series starts on a
 * quarter-hour, lies within the local years 2000 to 2099, spans whole
 * local days and holds a finite value ≥ 0 in every interval (a left-out
 * row is 0, never missing); every monthly row has an EAN, a month 1–12
 * of 2000–2099, a register TH, HI or LOW and volumes finite and ≥ 0. A
 * violation aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ingest/formats.h"

static void check_series(const struct cab_qhset *qh)
{
	for (size_t i = 0; i < cab_qhset_n_meters(qh); i++) {
		struct cab_qh_series s;
		if (!cab_qhset_series(qh, i, &s) || s.t0_s % 900 != 0 ||
		    s.t0_s < CAB_INGEST_MIN_S - 7200 ||
		    s.t0_s + (int64_t)s.n * 900 > CAB_INGEST_END_S || s.n < 92)
			abort();
		for (size_t k = 0; k < s.n; k++)
			if (!(s.kwh[k] >= 0) || isinf(s.kwh[k]) ||
			    s.quality[k] != CAB_Q_READ)
				abort();
	}
}

static void check_months(const struct cab_opmonth_set *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct cab_opmonth *r = &m->row[i];
		if (!r->ean[0] || r->month < 1 || r->month > 12 ||
		    r->year < 2000 || r->year > 2099 ||
		    (strcmp(r->reg, "TH") && strcmp(r->reg, "HI") &&
		     strcmp(r->reg, "LOW")))
			abort();
		for (int v = 0; v <= CAB_OPM_SHARED_INJECTION; v++)
			if (!(r->v[v] >= 0) || isinf(r->v[v]))
				abort();
	}
}

static void parse(enum cab_format f, const uint8_t *data, size_t size)
{
	struct cab_qhset *qh = NULL;
	struct cab_opmonth_set months = {0};
	if (cab_qhset_new(&qh, NULL) != CAB_OK)
		abort();
	struct cab_ingest ing;
	memset(&ing, 0, sizeof ing);
	ing.qh = qh;
	ing.months = &months;
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_format_ops(f)->parse(
	    &ing, "fuzz", size ? (const char *)data : "", size, &err);
	if (st == CAB_OK ? err.count != 0 : st != CAB_EINPUT || err.count != 1)
		abort();
	if (st == CAB_OK) {
		check_series(qh);
		check_months(&months);
	}
	cab_err_release(&err);
	cab_opmonth_set_release(&months);
	cab_qhset_free(qh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse(CAB_FMT_SIBELGA_15MIN, data, size);
	parse(CAB_FMT_SIBELGA_MONTH, data, size);
	return 0;
}
