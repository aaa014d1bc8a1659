/*
 * curves_csv.c — load-curve statistics for researchers (SPEC §6):
 *   curves.csv       subject,series,season,slot,time,q1,median,q3,mean
 *                    96 local quarter-hours of the day per subject,
 *                    series (consumption, production, net) and season;
 *   curves_week.csv  subject,series,season,slot,weekday,time,mean
 *                    the 672-slot mean week (Monday 00:00 first), for
 *                    cabins, groups and the community, and for every
 *                    participant with --detail (it is large);
 *   coincidence.csv  subject,members,coincidence_factor — how a group's
 *                    curve smooths out as its first k members add up.
 * kWh with 6 decimals; an empty field where there is no value.
 */
#include <math.h>
#include <string.h>

#include "cabine/curves.h"
#include "cabine/report.h"
#include "reports/io.h"

static const char *const weekdays[7] = {"mon", "tue", "wed", "thu",
					"fri", "sat", "sun"};

static void put_kwh(FILE *f, double v)
{
	char b[40];
	cab_report_fmt_kwh(v, b, sizeof(b)); /* empty for NaN */
	fputc(',', f);
	fputs(b, f);
}

/* Subject i is a participant: the run's participants come first (by
 * position, as curves.xlsx tells them, so that an id such as
 * "=HYPERLINK(\"http://…\")" or "cabin:x" is not taken for a group). */
static bool is_participant(const struct cab_run *run, size_t i)
{
	return i < run->sc->n_participants;
}

static enum cab_status write_curves(const struct cab_run *run,
				    const struct cab_report_opts *opts,
				    const char *dir, struct cab_err *err)
{
	const struct cab_curves *cv = opts ? opts->curves : NULL;
	if (!cv)
		return CAB_OK;
	char path[4096];
	FILE *f = cab_report_open(dir, "curves.csv", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	fputs("subject,series,season,slot,time,q1,median,q3,mean\n", f);
	for (size_t i = 0; i < cv->n; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		for (int se = 0; se < CAB_CURVE_SERIES; se++)
			for (int sn = 0; sn < CAB_SEASONS; sn++) {
				const struct cab_curve_stats *st =
				    &s->stats[se][sn];
				for (int k = 0; k < CAB_DAY_SLOTS; k++) {
					cab_report_csv_text(f, s->name);
					fprintf(f, ",%s,%s,%d,%02d:%02d",
						cab_curves_series_name(se),
						cab_curves_season_name(sn), k,
						k / 4, k % 4 * 15);
					put_kwh(f, st->q1[k]);
					put_kwh(f, st->median[k]);
					put_kwh(f, st->q3[k]);
					put_kwh(f, st->mean[k]);
					fputc('\n', f);
				}
			}
	}
	enum cab_status st = cab_report_close(f, path, err);
	if (st != CAB_OK)
		return st;
	f = cab_report_open(dir, "curves_week.csv", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	fputs("subject,series,season,slot,weekday,time,mean\n", f);
	for (size_t i = 0; i < cv->n; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		if (is_participant(run, i) && !opts->is_detail)
			continue;
		for (int se = 0; se < CAB_CURVE_SERIES; se++)
			for (int sn = 0; sn < CAB_SEASONS; sn++)
				for (int k = 0; k < CAB_WEEK_SLOTS; k++) {
					int q = k % 96;
					cab_report_csv_text(f, s->name);
					fprintf(f, ",%s,%s,%d,%s,%02d:%02d",
						cab_curves_series_name(se),
						cab_curves_season_name(sn), k,
						weekdays[k / 96], q / 4,
						q % 4 * 15);
					put_kwh(f,
						s->stats[se][sn].week_mean[k]);
					fputc('\n', f);
				}
	}
	st = cab_report_close(f, path, err);
	if (st != CAB_OK)
		return st;
	f = cab_report_open(dir, "coincidence.csv", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	fputs("subject,members,coincidence_factor\n", f);
	for (size_t i = 0; i < cv->n; i++) {
		const struct cab_curve_subject *s = &cv->subject[i];
		if (is_participant(run, i))
			continue;
		for (size_t k = 0; k < s->n_members; k++) {
			cab_report_csv_text(f, s->name);
			fprintf(f, ",%zu,", k + 1);
			if (!isnan(s->coincidence[k]))
				fprintf(f, "%.6f", s->coincidence[k]);
			fputc('\n', f);
		}
	}
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_curves_csv = {"curves.csv",
						     write_curves};
