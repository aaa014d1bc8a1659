/*
 * samples.c — a day of raw power samples per meter from a scenario's
 * power-samples readings (include/cabine/samples.h).
 *
 * Why: the readings loader (source.c) integrates samples into
 * quarter-hours and keeps no sample; the inhabitants' pages want one day
 * of them per household. The file is parsed again by the same parser
 * (engine/ingest/, so every form it accepts works here too) with the
 * ingest's sample tap; the samples of the meters and days asked for are
 * kept, the quarter-hours thrown away.
 *
 * Workload: one parse of the file (a day of 8-s samples for 60 meters is
 * 650,000 lines); memory is what the days asked for hold.
 */
#include "cabine/samples.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/source.h"
#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/ingest/ingest.h"

struct tap {
	struct cab_power_day *days;
	size_t n;
	const char *last_meter; /* the parser's last meter name … */
	long last_k;		/* … and the day it asked for, or -1 */
	bool is_oom;
};

static void on_power(void *ctx, const char *meter, double t_s, double watts)
{
	struct tap *tp = ctx;
	if (meter != tp->last_meter &&
	    (!tp->last_meter || strcmp(meter, tp->last_meter))) {
		tp->last_k = -1;
		for (size_t k = 0; k < tp->n && tp->last_k < 0; k++)
			if (tp->days[k].meter &&
			    !strcmp(tp->days[k].meter, meter))
				tp->last_k = (long)k;
		tp->last_meter = meter;
	}
	/* Several days may ask for one meter: look at each. */
	for (size_t k = tp->last_k < 0 ? tp->n : (size_t)tp->last_k; k < tp->n;
	     k++) {
		struct cab_power_day *d = &tp->days[k];
		if (!d->meter || strcmp(d->meter, meter) || t_s < d->start_s ||
		    t_s >= d->end_s)
			continue;
		if (d->n == d->cap) {
			size_t cap = d->cap ? 2 * d->cap : 1024;
			double *t = realloc(d->t_s, cap * sizeof(double));
			if (t)
				d->t_s = t;
			double *w =
			    t ? realloc(d->watts, cap * sizeof(double)) : NULL;
			if (w)
				d->watts = w;
			if (!t || !w) {
				tp->is_oom = true;
				return;
			}
			d->cap = cap;
		}
		d->t_s[d->n] = t_s;
		d->watts[d->n] = watts;
		d->n++;
	}
}

enum cab_status cab_samples_read(const struct cab_scenario *sc,
				 struct cab_power_day *days, size_t n,
				 struct cab_err *err)
{
	if (!sc->readings_path || !cab_source_is_power_file(sc->readings_path))
		return cab_err_add(
		    err, CAB_EINPUT,
		    _("%s: $.readings: not a file of power samples "
		      "(expected the header "
		      "timestamp,meter,watts)"),
		    sc->path);
	char *buf = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(sc->readings_path, &buf, &len, err);
	if (st != CAB_OK)
		return st;
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.format = CAB_FMT_POWER_CSV;
	o.min_coverage = sc->min_coverage;
	struct cab_qhset *qh = NULL;
	struct tap tp = {.days = days, .n = n, .last_k = -1};
	st = cab_qhset_new(&qh, err);
	if (st == CAB_OK) {
		struct cab_ingest ing;
		cab_ingest_init(&ing, qh, &o);
		ing.on_power = on_power;
		ing.on_power_ctx = &tp;
		st =
		    cab_parse_power_csv(&ing, sc->readings_path, buf, len, err);
		cab_ingest_release(&ing);
	}
	if (st == CAB_OK && tp.is_oom)
		st = cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	cab_qhset_free(qh);
	free(buf);
	return st;
}

void cab_power_day_release(struct cab_power_day *d)
{
	if (!d)
		return;
	free(d->t_s);
	free(d->watts);
	d->t_s = d->watts = NULL;
	d->n = d->cap = 0;
}
