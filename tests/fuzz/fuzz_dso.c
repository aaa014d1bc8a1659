/*
 * fuzz_dso.c — fuzz target for the grid operator's export (dso-csv).
 *
 * Each input is parsed three times: into an empty set, into a set that
 * already holds an earlier export of the same meter (as with several
 * files of one import), and without --meter. Afterwards: a failed parse
 * has exactly one message and the status bad input, a successful one
 * none; every series starts on a quarter-hour, lies within the local years
 * 2000 to 2099 and holds NaN exactly where
 * it is missing, else a finite value ≥ 0; what the earlier export put is
 * never changed (a second value for an interval is an error, not an
 * overwrite); without --meter nothing is put. A violation aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ingest/ingest.h"

static const char earlier[] =
    "\xEF\xBB\xBF"
    "From (date);From (time);Until (date);Until (time);EAN code;Meter;"
    "Meter type;Register;Volume;Unit;Validation status;Description\r\n"
    "29/10/2023;01:45:00;29/10/2023;02:00:00;=\"1\";1S;D;Offtake Night;"
    "0,284;kWh;Read;\r\n"
    "29/10/2023;02:00:00;29/10/2023;02:15:00;=\"1\";1S;D;Offtake Night;"
    "0,276;kWh;Read;\r\n"
    "29/10/2023;02:00:00;29/10/2023;02:15:00;=\"1\";1S;D;Offtake Night;"
    ";kWh;Estimated;\r\n"
    "29/10/2023;02:00:00;29/10/2023;02:15:00;=\"1\";1S;D;Injection Night;"
    "0,5;kWh;Estimated;\r\n";

static void check_set(const struct cab_qhset *qh)
{
	for (size_t i = 0; i < cab_qhset_n_meters(qh); i++) {
		struct cab_qh_series s;
		/* Local dates 2000 to 2099 (a typo's year is refused). */
		if (!cab_qhset_series(qh, i, &s) || s.t0_s % 900 != 0 ||
		    s.t0_s < CAB_INGEST_MIN_S - 3600 ||
		    s.t0_s + (int64_t)s.n * 900 > CAB_INGEST_END_S)
			abort();
		for (size_t k = 0; k < s.n; k++) {
			if (s.quality[k] > CAB_Q_MISSING ||
			    isnan(s.kwh[k]) != (s.quality[k] == CAB_Q_MISSING))
				abort();
			if (!isnan(s.kwh[k]) &&
			    (!(s.kwh[k] >= 0) || isinf(s.kwh[k])))
				abort();
		}
	}
}

static enum cab_status parse(struct cab_qhset *qh, const char *meter,
			     const char *name, const uint8_t *data, size_t size)
{
	struct cab_ingest ing;
	memset(&ing, 0, sizeof ing);
	ing.qh = qh;
	ing.file_meter = meter;
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st =
	    cab_parse_dso_csv(&ing, name, (const char *)data, size, &err);
	if (st == CAB_OK ? err.count != 0 : st != CAB_EINPUT || err.count != 1)
		abort();
	cab_err_release(&err);
	check_set(qh);
	return st;
}

/* Copy of one series' values (bits) for comparison. */
static double *copy_values(const struct cab_qhset *qh, const char *meter,
			   size_t *n, int64_t *t0)
{
	struct cab_qh_series s;
	size_t i = cab_qhset_find(qh, meter);
	if (i == (size_t)-1 || !cab_qhset_series(qh, i, &s))
		abort();
	double *v = malloc(s.n * sizeof *v);
	if (!v)
		abort();
	memcpy(v, s.kwh, s.n * sizeof *v);
	*n = s.n;
	*t0 = s.t0_s;
	return v;
}

/* Every value present before is still there, bit for bit. */
static void same_values(const struct cab_qhset *qh, const char *meter,
			const double *v, size_t n, int64_t t0)
{
	struct cab_qh_series s;
	size_t i = cab_qhset_find(qh, meter);
	if (i == (size_t)-1 || !cab_qhset_series(qh, i, &s) || s.t0_s > t0 ||
	    s.t0_s + (int64_t)s.n * 900 < t0 + (int64_t)n * 900)
		abort();
	size_t shift = (size_t)((t0 - s.t0_s) / 900);
	for (size_t k = 0; k < n; k++)
		if (!isnan(v[k]) &&
		    memcmp(&v[k], &s.kwh[k + shift], sizeof *v) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_qhset *qh = NULL;
	if (cab_qhset_new(&qh, NULL) != CAB_OK)
		abort();
	parse(qh, "m", "fuzz", data, size);
	cab_qhset_free(qh);

	if (cab_qhset_new(&qh, NULL) != CAB_OK)
		abort();
	if (parse(qh, "m", "earlier", (const uint8_t *)earlier,
		  sizeof earlier - 1) != CAB_OK)
		abort();
	size_t n_off, n_inj;
	int64_t t_off, t_inj;
	double *off = copy_values(qh, "m.offtake", &n_off, &t_off);
	double *inj = copy_values(qh, "m.injection", &n_inj, &t_inj);
	parse(qh, "m", "fuzz", data, size);
	same_values(qh, "m.offtake", off, n_off, t_off);
	same_values(qh, "m.injection", inj, n_inj, t_inj);
	free(off);
	free(inj);
	cab_qhset_free(qh);

	if (cab_qhset_new(&qh, NULL) != CAB_OK)
		abort();
	if (parse(qh, NULL, "fuzz", data, size) != CAB_EINPUT ||
	    cab_qhset_n_meters(qh) != 0)
		abort();
	cab_qhset_free(qh);
	return 0;
}
