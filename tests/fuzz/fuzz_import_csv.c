/*
 * fuzz_import_csv.c — fuzz target for the import's csv parser (`cabine
 * import --format csv`: the one readings parser of dialect.h, every
 * dialect of SPEC §11; the corpus holds a Belgian export, a Dutch header,
 * quoted cells and the autumn hour).
 *
 * Each input is parsed into an empty quarter-hour set, once as is and once
 * with --meter and --sum (parts renamed). Whatever the bytes, the parser
 * returns OK or a message, and every record it accepted is on a quarter-
 * hour with a value ≥ 0 or a hole, within the years 2000 to 2099 (a
 * typo in a year must not ask for centuries of intervals). A violation
 * aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ingest/ingest.h"

static void check(struct cab_qhset *qh)
{
	for (size_t i = 0; i < cab_qhset_n_meters(qh); i++) {
		struct cab_qh_series s;
		if (!cab_qhset_series(qh, i, &s) || s.t0_s % 900 != 0 ||
		    s.t0_s < CAB_INGEST_MIN_S ||
		    s.t0_s + (int64_t)s.n * 900 > CAB_INGEST_END_S)
			abort();
		for (size_t k = 0; k < s.n; k++) {
			if (s.quality[k] > CAB_Q_MISSING)
				abort();
			if (s.quality[k] == CAB_Q_MISSING ? !isnan(s.kwh[k])
							  : !(s.kwh[k] >= 0))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int pass = 0; pass < 2; pass++) {
		struct cab_import_opts o;
		cab_import_opts_default(&o);
		if (pass) {
			o.meter = "m";
			o.sum = true;
		}
		struct cab_qhset *qh = NULL;
		struct cab_err err;
		cab_err_init(&err);
		if (cab_qhset_new(&qh, &err) != CAB_OK)
			abort();
		struct cab_ingest ing = {.qh = qh, .opts = &o};
		enum cab_status st = cab_parse_csv(
		    &ing, "fuzz.csv", (const char *)data, size, &err);
		if (st != CAB_OK &&
		    (!err.text || !strstr(err.text, "fuzz.csv:")))
			abort();
		check(qh);
		cab_qhset_free(qh);
		cab_err_release(&err);
	}
	return 0;
}
