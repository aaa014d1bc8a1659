/*
 * fuzz_tmpo.c — fuzz target for the tmpo block reader.
 *
 * Each input is read twice: as the raw gzip bytes of a block (the gzip
 * layer) and gzip-compressed here first (so that mutations reach the
 * JSON and consistency checks). The name carries a level and start so
 * that the span check runs. Success must come without messages, failure
 * as CAB_EINPUT with one; stored values are NaN and missing, or finite
 * and ≥ 0; and no interval lies outside the quarter-hours that the block's
 * span [1404225792, 1404225792 + 2^8) touches (points outside the block
 * are refused). A violation aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine/ingest/ingest.h"

/* Quarter-hours touched by the block s/0/8/1404225792: [start, start +
 * 256 s) rounded out to multiples of 900 s. */
#define SPAN_LO ((int64_t)1404225792 / 900 * 900)
#define SPAN_HI (((int64_t)1404225792 + 256 + 899) / 900 * 900)

static void one(const unsigned char *gz, size_t len)
{
	struct cab_import_opts o = {0};
	o.min_coverage = 0.9;
	o.format = CAB_FMT_FLUKSO_TMPO;
	struct cab_qhset *qh = NULL;
	if (cab_qhset_new(&qh, NULL) != CAB_OK)
		abort();
	struct cab_ingest ing;
	cab_ingest_init(&ing, qh, &o);
	ing.file_meter = "e";
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st =
	    cab_parse_tmpo_block(&ing, "s/0/8/1404225792", gz, len, &err);
	if (st == CAB_OK) {
		if (err.count != 0)
			abort();
		if (cab_ingest_finish(&ing, &err) != CAB_OK)
			abort();
	} else if (st != CAB_EINPUT || err.count == 0) {
		abort();
	}
	for (size_t i = 0; i < cab_qhset_n_meters(qh); i++) {
		struct cab_qh_series s;
		if (!cab_qhset_series(qh, i, &s) || s.t0_s < SPAN_LO ||
		    s.t0_s + (int64_t)s.n * 900 > SPAN_HI)
			abort();
		for (size_t k = 0; k < s.n; k++)
			if ((s.quality[k] == CAB_Q_MISSING) !=
				isnan(s.kwh[k]) ||
			    (!isnan(s.kwh[k]) &&
			     !(s.kwh[k] >= 0 && isfinite(s.kwh[k]))))
				abort();
	}
	cab_ingest_release(&ing);
	cab_qhset_free(qh);
	cab_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size);
	/* gzip (not zlib) wrapper: what the reader expects. */
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t cap = deflateBound(&z, (uLong)size);
	unsigned char *gz = malloc(cap);
	if (!gz)
		abort();
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)size;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	one(gz, len);
	free(gz);
	return 0;
}
