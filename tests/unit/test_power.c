/*
 * test_power.c — power samples and counters into quarter-hours: the
 * integrator on hand-computed cases (coverage, max gap, labels, NaN,
 * counters), each format on its real sample file checked against an
 * independent computation done here, local times over both DST changes,
 * tmpo blocks (every consistent one accepted, every inconsistent one
 * rejected with its message) and every malformed input rejected.
 *
 * Sample files live in the shared data folder next to the worktrees;
 * tests run from the repository root.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cJSON.h>

#include "cabine/time.h"
#include "engine/ingest/ingest.h"
#include "harness.h"

#define SAMPLES "tests/data/samples/"
#define TMPO SAMPLES "flukso_tmpo_example_blocks/"
#define T0 ((int64_t)1704067200) /* 2024-01-01T00:00:00Z */

/* An import in miniature: a set, options and the ingest context. */
struct ctx {
	struct cab_qhset *qh;
	struct cab_import_opts o;
	struct cab_ingest ing;
	struct cab_err err;
};

static void ctx_init(struct ctx *c)
{
	memset(c, 0, sizeof *c);
	if (cab_qhset_new(&c->qh, NULL) != CAB_OK)
		abort();
	c->o.format = CAB_FMT_POWER_CSV;
	c->o.min_coverage = 0.9;
	c->o.label = CAB_LABEL_DEFAULT;
	cab_ingest_init(&c->ing, c->qh, &c->o);
	cab_err_init(&c->err);
}

static void ctx_free(struct ctx *c)
{
	cab_ingest_release(&c->ing);
	cab_qhset_free(c->qh);
	cab_err_release(&c->err);
}

/* The series of `meter`, or a zeroed one if absent. */
static struct cab_qh_series series(struct ctx *c, const char *meter)
{
	struct cab_qh_series s;
	memset(&s, 0, sizeof s);
	size_t i = cab_qhset_find(c->qh, meter);
	if (i != (size_t)-1)
		cab_qhset_series(c->qh, i, &s);
	return s;
}

static enum cab_status power(struct ctx *c, const char *m, double t, double w,
			     long line)
{
	return cab_ingest_power(&c->ing, m, t, w, "f.csv", line, &c->err);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* ---- integrator by hand ---- */

/* 10-s samples of 3600 W from 00:00 to 00:15 (START): the quarter-hour
 * is covered, 3600 W × 900 s = 3.24e6 J = 0.9 kWh, read. The sample at
 * 00:15 starts a period nobody closes: nothing after it. */
TEST(constant_3600_w_over_a_quarter_hour_is_0_9_kwh)
{
	struct ctx c;
	ctx_init(&c);
	for (int i = 0; i <= 90; i++)
		CHECK_INT(power(&c, "m", T0 + 10.0 * i, 3600, i + 2), CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 1);
	CHECK_INT(s.t0_s, T0);
	CHECK_NEAR(s.kwh[0], 0.9, 1e-12);
	CHECK_INT(s.quality[0], CAB_Q_READ);
	CHECK_INT(c.ing.rows, 91);
	ctx_free(&c);
}

/* 8-s samples (max gap 3 × 8 = 24 s), 1000 W up to 00:06:40 then a
 * one-minute gap (next sample 00:07:40), 2000 W after. START: the sample
 * at 400 s covers only 24 s of the gap. Covered in [0, 900): 400 + 24 +
 * 440 = 864 s ≥ 810, estimated; energy (1000 × 424 + 2000 × 440) / 3600
 * Wh, scaled by 900 / 864. [900, 1800) has 8 s: missing. */
TEST(one_minute_gap_in_8_s_samples_is_partly_covered)
{
	struct ctx c;
	ctx_init(&c);
	long line = 2;
	for (int t = 0; t <= 400; t += 8)
		power(&c, "m", T0 + t, 1000, line++);
	for (int t = 460; t <= 908; t += 8)
		power(&c, "m", T0 + t, 2000, line++);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 2);
	double wh = (1000.0 * 424 + 2000.0 * 440) / 3600;
	CHECK_NEAR(s.kwh[0], wh / 1000 * 900 / 864, 1e-12);
	CHECK_INT(s.quality[0], CAB_Q_ESTIMATED);
	CHECK(isnan(s.kwh[1]));
	CHECK_INT(s.quality[1], CAB_Q_MISSING);
	ctx_free(&c);
}

/* A two-hour Wi-Fi silence in 8-s samples: the quarter-hours in it are
 * missing, not bridged by the last sample (which covers its 24 s). */
TEST(wifi_silence_longer_than_max_gap_is_missing)
{
	struct ctx c;
	ctx_init(&c);
	long line = 2;
	for (int t = 0; t <= 1800; t += 8)
		power(&c, "m", T0 + t, 1000, line++);
	for (int t = 7200; t <= 9000; t += 8)
		power(&c, "m", T0 + t, 1000, line++);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 10);
	double total = 0;
	for (size_t k = 0; k < s.n; k++) {
		bool is_gap = k >= 2 && k <= 7;
		CHECK(is_gap == (s.quality[k] == CAB_Q_MISSING));
		if (!is_gap) {
			CHECK_INT(s.quality[k], CAB_Q_READ);
			total += s.kwh[k];
		}
	}
	/* 4 quarter-hours at 1 kW = 1 kWh. */
	CHECK_NEAR(total, 1.0, 1e-9);
	ctx_free(&c);
}

/* 30-s samples, max gap 30 s: meter a covers [0, 810) exactly (0.9 ×
 * 900): estimated, 1000 W over 810 s scaled to 900 s = 0.25 kWh; meter b
 * covers [0, 780): missing. */
TEST(coverage_of_exactly_0_9_counts_and_less_is_missing)
{
	struct ctx c;
	ctx_init(&c);
	c.o.max_gap_s = 30;
	for (int t = 0; t < 810; t += 30)
		power(&c, "a", T0 + t, 1000, 2);
	power(&c, "a", T0 + 810, NAN, 3);
	power(&c, "a", T0 + 900, 1000, 4);
	for (int t = 0; t < 780; t += 30)
		power(&c, "b", T0 + t, 1000, 2);
	power(&c, "b", T0 + 780, NAN, 3);
	power(&c, "b", T0 + 900, 1000, 4);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series a = series(&c, "a"), b = series(&c, "b");
	CHECK_INT(a.n, 1);
	CHECK_NEAR(a.kwh[0], 0.25, 1e-12);
	CHECK_INT(a.quality[0], CAB_Q_ESTIMATED);
	CHECK_INT(b.n, 1);
	CHECK(isnan(b.kwh[0]));
	CHECK_INT(b.quality[0], CAB_Q_MISSING);
	/* With min_coverage 0.8, b's 780 s (0.867) count. */
	struct ctx d;
	ctx_init(&d);
	d.o.max_gap_s = 30;
	d.o.min_coverage = 0.8;
	for (int t = 0; t < 780; t += 30)
		power(&d, "b", T0 + t, 1000, 2);
	power(&d, "b", T0 + 780, NAN, 3);
	CHECK_INT(cab_ingest_finish(&d.ing, &d.err), CAB_OK);
	b = series(&d, "b");
	CHECK_NEAR(b.kwh[0], 0.25, 1e-12);
	ctx_free(&c);
	ctx_free(&d);
}

/* 60-s samples from 0 to 1800 s, 1000 W up to 840 s, 2000 W from 900 s.
 * START: [0, 900) holds 1000 W → 0.25 kWh; [900, 1800) 2000 W → 0.5.
 * END: the 900-s sample's 2000 W held over (840, 900]: [0, 900) gets
 * (1000 × 840 + 2000 × 60) / 3600 Wh = 0.2666… kWh; [900, 1800) 0.5. */
TEST(label_start_and_end_shift_energy_across_a_boundary)
{
	for (int pass = 0; pass < 2; pass++) {
		struct ctx c;
		ctx_init(&c);
		c.o.label = pass ? CAB_LABEL_END : CAB_LABEL_START;
		for (int t = 0; t <= 1800; t += 60)
			power(&c, "m", T0 + t, t <= 840 ? 1000 : 2000, 2);
		CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
		struct cab_qh_series s = series(&c, "m");
		CHECK_INT(s.n, 2);
		CHECK_NEAR(s.kwh[0],
			   pass ? (1000.0 * 840 + 2000.0 * 60) / 3.6e6 : 0.25,
			   1e-12);
		CHECK_NEAR(s.kwh[1], 0.5, 1e-12);
		CHECK_INT(s.quality[0], CAB_Q_READ);
		CHECK_INT(s.quality[1], CAB_Q_READ);
		ctx_free(&c);
	}
}

/* A NaN sample leaves its own minute uncovered: START, NaN at 300 s →
 * [300, 360) uncovered; END, NaN at 300 s → (240, 300] uncovered. Both
 * 840 s covered, estimated, 1000 W → 0.25 kWh; and the other minutes
 * keep their own power (2000 W at 360 s counts under START only). */
TEST(nan_samples_leave_their_own_period_uncovered)
{
	for (int pass = 0; pass < 2; pass++) {
		struct ctx c;
		ctx_init(&c);
		c.o.max_gap_s = 60;
		c.o.label = pass ? CAB_LABEL_END : CAB_LABEL_START;
		for (int t = 0; t <= 900; t += 60)
			power(&c, "m", T0 + t, t == 300 ? NAN : 1000, 2);
		CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
		struct cab_qh_series s = series(&c, "m");
		CHECK_NEAR(s.kwh[0], 0.25, 1e-12);
		CHECK_INT(s.quality[0], CAB_Q_ESTIMATED);
		ctx_free(&c);
	}
}

/* Intervals are put as soon as complete, before finish (streaming). */
TEST(intervals_are_put_as_soon_as_complete)
{
	struct ctx c;
	ctx_init(&c);
	c.o.max_gap_s = 60;
	for (int t = 0; t <= 900; t += 60)
		power(&c, "m", T0 + t, 1000, t / 60 + 2);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 1);
	CHECK_NEAR(s.kwh[0], 0.25, 1e-12);
	/* Completed by the sample at 900 s (line 17). */
	CHECK_INT(s.line[0], 17);
	CHECK_STR(s.file[0], "f.csv");
	ctx_free(&c);
}

/* Counter readings 0, 100, 200, 300 Wh every 600 s, max gap 600: each
 * 100 Wh spreads over its 600 s. [0, 900): 100 + 50 = 150 Wh; [900,
 * 1800): 50 + 100 = 150 Wh. Then an hour without reading (> max gap):
 * its 100 Wh are not placed, [1800, 5400) missing; the next 600 s hold
 * 100 Wh → [5400, 6300) gets 600 s × (100/600) + … */
TEST(counter_spreads_energy_between_readings)
{
	struct ctx c;
	ctx_init(&c);
	c.o.max_gap_s = 600;
	double t[] = {0, 600, 1200, 1800, 5400, 6000, 6300};
	double v[] = {0, 100, 200, 300, 400, 500, 550};
	for (int i = 0; i < 7; i++)
		CHECK_INT(cab_ingest_counter(&c.ing, "m", T0 + t[i], v[i],
					     "tmpo", i + 1, &c.err),
			  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 7);
	CHECK_NEAR(s.kwh[0], 0.15, 1e-12);
	CHECK_NEAR(s.kwh[1], 0.15, 1e-12);
	for (int k = 2; k < 6; k++)
		CHECK_INT(s.quality[k], CAB_Q_MISSING);
	/* [5400, 6300): 100 Wh over 600 s then 50 Wh over 300 s = 150 Wh. */
	CHECK_NEAR(s.kwh[6], 0.15, 1e-12);
	CHECK_INT(s.quality[6], CAB_Q_READ);
	ctx_free(&c);
}

/* A pulse counter read every second at 3.6 kW, then slowly: the quiet
 * spacing is not an outage (the default gap of a counter is at least an
 * hour, not 3 s), a 2-hour silence is. 65 readings 1 s apart (64 Wh),
 * then 1 Wh at 1800 s, 10 Wh at 9000 s (not placed), 1 Wh at 9900 s. */
TEST(counter_default_gap_is_at_least_an_hour)
{
	struct ctx c;
	ctx_init(&c);
	long line = 1;
	for (int i = 0; i < 65; i++)
		cab_ingest_counter(&c.ing, "m", T0 + i, i, "t", line++, &c.err);
	cab_ingest_counter(&c.ing, "m", T0 + 1800, 65, "t", line++, &c.err);
	cab_ingest_counter(&c.ing, "m", T0 + 9000, 75, "t", line++, &c.err);
	cab_ingest_counter(&c.ing, "m", T0 + 9900, 76, "t", line++, &c.err);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK(c.err.text == NULL);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 11);
	/* [0, 900): 64 Wh in 64 s, then 1 Wh over [64, 1800): 836/1736. */
	CHECK_NEAR(s.kwh[0], (64 + 836.0 / 1736) / 1000, 1e-12);
	CHECK_INT(s.quality[0], CAB_Q_READ);
	CHECK_NEAR(s.kwh[1], 900.0 / 1736 / 1000, 1e-12);
	for (int k = 2; k < 10; k++)
		CHECK_INT(s.quality[k], CAB_Q_MISSING);
	CHECK_NEAR(s.kwh[10], 0.001, 1e-12);
	ctx_free(&c);
}

TEST(counter_going_down_is_an_error)
{
	struct ctx c;
	ctx_init(&c);
	c.o.max_gap_s = 600;
	cab_ingest_counter(&c.ing, "m", T0, 100, "f.csv", 2, &c.err);
	CHECK_INT(
	    cab_ingest_counter(&c.ing, "m", T0 + 60, 90, "f.csv", 3, &c.err),
	    CAB_EINPUT);
	CHECK_STR(c.err.text, "f.csv:3: counter of meter 'm' goes down from "
			      "100 to 90 Wh (expected a cumulative counter)\n");
	ctx_free(&c);
}

/* Also across files of one import: the state outlives a file. */
TEST(samples_going_back_in_time_are_an_error)
{
	struct ctx c;
	ctx_init(&c);
	CHECK_INT(power(&c, "m", T0 + 60, 100, 2), CAB_OK);
	CHECK_INT(power(&c, "m", T0 + 60, 100, 3), CAB_EINPUT);
	CHECK_INT(cab_ingest_power(&c.ing, "m", T0, 100, "g.csv", 2, &c.err),
		  CAB_EINPUT);
	CHECK_STR(c.err.text,
		  "f.csv:3: samples of meter 'm' go back in time (expected "
		  "increasing timestamps)\n"
		  "g.csv:2: samples of meter 'm' go back in time (expected "
		  "increasing timestamps)\n");
	/* Other meters have their own clocks. */
	CHECK_INT(power(&c, "n", T0, 100, 4), CAB_OK);
	ctx_free(&c);
}

TEST(meter_with_power_and_counter_is_an_error)
{
	struct ctx c;
	ctx_init(&c);
	CHECK_INT(power(&c, "m", T0, 100, 2), CAB_OK);
	CHECK_INT(cab_ingest_counter(&c.ing, "m", T0 + 60, 5, "t", 7, &c.err),
		  CAB_EINPUT);
	CHECK_STR(c.err.text, "t:7: meter 'm' has both power samples and "
			      "counter readings (expected one kind per "
			      "meter)\n");
	ctx_free(&c);
}

/* The max gap comes from the median of the first 64 spacings: with
 * 60-s samples the gap is 180 s, so a 150-s hole is bridged (END: the
 * sample after it covers 150 s) and a 240-s hole is not (180 s of it). */
TEST(max_gap_is_three_times_the_median_spacing)
{
	struct ctx c;
	ctx_init(&c);
	c.o.label = CAB_LABEL_END;
	long line = 2;
	for (int t = 0; t <= 60 * 70; t += 60)
		power(&c, "m", T0 + t, 1000, line++);
	power(&c, "m", T0 + 4200 + 150, 1000, line++); /* bridged */
	power(&c, "m", T0 + 4350 + 240, 1000, line++); /* 60 s lost */
	double end = 4590;
	for (double t = end + 60; t <= 6300; t += 60)
		power(&c, "m", T0 + t, 1000, line++);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	/* [3600, 4500) holds the 60 s lost (4350..4410): 840 s covered;
	 * its neighbours are complete. */
	size_t k = 4350 / 900;
	CHECK_INT(s.quality[k - 1], CAB_Q_READ);
	CHECK_INT(s.quality[k], CAB_Q_ESTIMATED);
	CHECK_NEAR(s.kwh[k], 0.25, 1e-12);
	CHECK_INT(s.quality[k + 1], CAB_Q_READ);
	ctx_free(&c);
}

/* ---- flukso-csv on the real sample ---- */

/* The sample: 1-min power, naive local time (January: UTC+1), nan gaps.
 * flukso-* samples are labelled by their end: a quarter-hour is read
 * exactly when its 15 samples at +1 … +15 min are numbers, and its
 * energy is Σ W × 60 s. Computed here straight from the text. */
TEST(flukso_csv_sample_matches_the_direct_sum)
{
	size_t len;
	char *buf = read_all(SAMPLES "opengrid_fluksoapi_savecsv_FL12345678_"
				     "sensorD_1min.csv",
			     &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	/* Direct: minute → watts (NaN = nan), UTC = local − 1 h. */
	enum { MAXS = 2000 };
	static double tt[MAXS], ww[MAXS];
	int n = 0;
	for (char *p = buf; *p && n < MAXS;) {
		int y, mo, d, h, mi, sec;
		char val[32];
		if (sscanf(p, "%d-%d-%d %d:%d:%d,%31[^\r\n]", &y, &mo, &d, &h,
			   &mi, &sec, val) != 7)
			break;
		tt[n] = (double)(cab_time_days_from_civil(y, mo, d) * 86400 +
				 h * 3600 + mi * 60 + sec - 3600);
		ww[n] = strcmp(val, "nan") == 0 ? NAN : atof(val);
		n++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	CHECK_INT(n, 1440);

	struct ctx c;
	ctx_init(&c);
	c.o.format = CAB_FMT_FLUKSO_CSV;
	c.ing.file_meter = "fl";
	CHECK_INT(cab_parse_flukso_csv(&c.ing, "fl.csv", buf, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK_INT(c.ing.rows, 1440);
	struct cab_qh_series s = series(&c, "fl");
	int n_read = 0, n_direct = 0;
	double e_read = 0, e_direct = 0;
	for (size_t k = 0; k < s.n; k++)
		if (s.quality[k] == CAB_Q_READ) {
			n_read++;
			e_read += s.kwh[k];
		}
	/* Intervals whose 15 end-labelled minutes are all present. */
	for (int i = 0; i + 14 < n; i++) {
		double start = tt[i] - 60;
		if (fmod(start, 900) != 0)
			continue;
		double e = 0;
		bool ok = true;
		for (int j = 0; j < 15; j++) {
			ok &= tt[i + j] == start + 60 * (j + 1) &&
			      !isnan(ww[i + j]);
			e += ww[i + j] * 60 / 3.6e6;
		}
		if (ok) {
			n_direct++;
			e_direct += e;
			size_t k = (size_t)((start - (double)s.t0_s) / 900);
			CHECK(k < s.n && s.quality[k] == CAB_Q_READ);
			if (k < s.n)
				CHECK_NEAR(s.kwh[k], e, 1e-9);
		}
	}
	CHECK(n_direct > 80);
	CHECK_INT(n_read, n_direct);
	CHECK_NEAR(e_read, e_direct, 1e-9);
	ctx_free(&c);
	free(buf);
}

/* ---- power-csv, wide: the opengrid file ---- */

/* 23040 minutes of one sensor, +02:00, labelled by their start (power-
 * csv's default): a quarter-hour is read when its 15 minutes from its
 * start are numbers; the last one misses its final minute (840 s:
 * estimated). */
TEST(opengrid_wide_file_matches_the_direct_sum)
{
	size_t len;
	char *buf =
	    read_all(SAMPLES "opengrid_elec_power_min_1sensor_W.csv", &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	const char *id = "064fe87f3b0879ae531fa71dee4ac037";
	struct ctx c;
	ctx_init(&c);
	CHECK_INT(cab_parse_power_csv(&c.ing, "og.csv", buf, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK_INT(c.ing.rows, 23040);
	struct cab_qh_series s = series(&c, id);
	CHECK_INT(s.n, 16 * 96);
	/* 2017-10-07 00:00+02:00 */
	CHECK_INT(s.t0_s, cab_time_days_from_civil(2017, 10, 7) * 86400 - 7200);

	/* Direct: Σ W over each block of 15 rows / 60 (W·min → Wh). */
	double e_direct = 0;
	int n_direct = 0;
	const char *p = strchr(buf, '\n') + 1;
	double w[15];
	int row = 0, in_block = 0;
	bool ok = true;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		if (!comma)
			break;
		w[in_block] =
		    strncmp(comma + 1, "nan", 3) == 0 ? NAN : atof(comma + 1);
		ok &= !isnan(w[in_block]);
		in_block++;
		row++;
		if (in_block == 15) {
			double e = 0;
			for (int j = 0; j < 15; j++)
				e += w[j] * 60 / 3.6e6;
			size_t k = (size_t)(row / 15 - 1);
			if (ok && k + 1 < s.n) {
				n_direct++;
				e_direct += e;
				CHECK_INT(s.quality[k], CAB_Q_READ);
				CHECK_NEAR(s.kwh[k], e, 1e-9);
			}
			in_block = 0;
			ok = true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	CHECK_INT(row, 23040);
	CHECK_INT(n_direct, 16 * 96 - 1);
	CHECK_INT(s.quality[s.n - 1], CAB_Q_ESTIMATED);
	double e_read = 0;
	for (size_t k = 0; k + 1 < s.n; k++)
		e_read += s.kwh[k];
	CHECK_NEAR(e_read, e_direct, 1e-9);
	ctx_free(&c);

	/* --meter names the single column; --sum makes it a part. */
	ctx_init(&c);
	c.o.meter = "h01-c";
	CHECK_INT(cab_parse_power_csv(&c.ing, "og.csv", buf, len, &c.err),
		  CAB_OK);
	CHECK(cab_qhset_find(c.qh, "h01-c") != (size_t)-1);
	ctx_free(&c);
	ctx_init(&c);
	c.o.meter = "h01-c";
	c.o.sum = true;
	CHECK_INT(cab_parse_power_csv(&c.ing, "og.csv", buf, len, &c.err),
		  CAB_OK);
	CHECK(cab_qhset_find(c.qh, "h01-c#064fe87f3b0879ae531fa71dee4ac037") !=
	      (size_t)-1);
	ctx_free(&c);
	free(buf);
}

/* ---- power-csv, long ---- */

TEST(long_power_csv_with_bom_crlf_offsets_and_fractions)
{
	static const char text[] = "\xEF\xBB\xBFtimestamp,meter,watts\r\n"
				   "2024-01-01T00:00:00Z,a,1000\r\n"
				   "2024-01-01T01:00:00+01:00,b,2000\r\n"
				   "2024-01-01 00:07:30.000Z,a,1000\r\n"
				   "2024-01-01T00:07:30+00:00,b,2000\r\n"
				   "2024-01-01T00:15:00Z,a,nan\r\n"
				   "2024-01-01T00:15:00.000+0000,b,\r\n";
	struct ctx c;
	ctx_init(&c);
	CHECK_INT(
	    cab_parse_power_csv(&c.ing, "l.csv", text, sizeof text - 1, &c.err),
	    CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series a = series(&c, "a"), b = series(&c, "b");
	CHECK_INT(a.n, 1);
	CHECK_NEAR(a.kwh[0], 0.25, 1e-12);
	CHECK_NEAR(b.kwh[0], 0.5, 1e-12);
	CHECK_INT(c.ing.rows, 6);
	ctx_free(&c);

	/* --meter keeps that meter's rows only; --sum prefixes parts. */
	ctx_init(&c);
	c.o.meter = "b";
	CHECK_INT(
	    cab_parse_power_csv(&c.ing, "l.csv", text, sizeof text - 1, &c.err),
	    CAB_OK);
	CHECK_INT(c.ing.rows, 3);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK(cab_qhset_find(c.qh, "a") == (size_t)-1);
	CHECK(cab_qhset_find(c.qh, "b") != (size_t)-1);
	ctx_free(&c);
	ctx_init(&c);
	c.o.meter = "h";
	c.o.sum = true;
	CHECK_INT(
	    cab_parse_power_csv(&c.ing, "l.csv", text, sizeof text - 1, &c.err),
	    CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK(cab_qhset_find(c.qh, "h#a") != (size_t)-1);
	CHECK(cab_qhset_find(c.qh, "h#b") != (size_t)-1);
	ctx_free(&c);
}

/* ---- local time over the DST changes ---- */

/* Naive 1-min samples from 01:00 to 04:00 local on 2023-10-29: the hour
 * 02:00–02:59 appears twice (summer, then winter). 241 samples, 4 hours
 * of UTC from 23:00Z: 16 quarter-hours of 600 W = 0.15 kWh each. */
TEST(autumn_repeated_hour_placed_in_order)
{
	char *text = malloc(64 * 300);
	size_t len = 0;
	for (int pass = 0, n = 0; n < 241; n++) {
		int m = 60 + n; /* minutes after 00:00 local, summer pass */
		if (m >= 180 && pass == 0)
			pass = 1; /* 03:00 summer is 02:00 winter */
		int lm = pass ? m - 60 : m;
		len +=
		    (size_t)sprintf(text + len, "2023-10-29 %02d:%02d:00,600\n",
				    lm / 60, lm % 60);
	}
	struct ctx c;
	ctx_init(&c);
	c.ing.file_meter = "m";
	CHECK_INT(cab_parse_flukso_csv(&c.ing, "dst.csv", text, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.t0_s,
		  cab_time_days_from_civil(2023, 10, 28) * 86400 + 23 * 3600);
	CHECK_INT(s.n, 16);
	for (size_t k = 0; k < s.n; k++) {
		CHECK_NEAR(s.kwh[k], 0.15, 1e-12);
		CHECK_INT(s.quality[k], CAB_Q_READ);
	}
	if (c.err.text)
		fprintf(stderr, "%s", c.err.text);
	ctx_free(&c);
	free(text);
}

/* Long shape, naive local time, two meters on each local minute: both
 * rows of one minute are one instant, and the repeated hour is placed
 * for both (a clock per row would put b's rows an hour late). */
TEST(autumn_hour_with_two_meters_per_minute)
{
	char *text = malloc(80 * 600);
	size_t len = (size_t)sprintf(text, "timestamp,meter,watts\n");
	for (int pass = 0, n = 0; n < 241; n++) {
		int m = 60 + n;
		if (m >= 180 && pass == 0)
			pass = 1;
		int lm = pass ? m - 60 : m;
		for (int k = 0; k < 2; k++)
			len += (size_t)sprintf(
			    text + len, "2023-10-29 %02d:%02d:00,%c,600\n",
			    lm / 60, lm % 60, "ab"[k]);
	}
	struct ctx c;
	ctx_init(&c);
	CHECK_INT(cab_parse_power_csv(&c.ing, "dst.csv", text, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	for (int k = 0; k < 2; k++) {
		struct cab_qh_series s = series(&c, k ? "b" : "a");
		CHECK_INT(s.t0_s,
			  cab_time_days_from_civil(2023, 10, 28) * 86400 +
			      23 * 3600);
		CHECK_INT(s.n, 16);
		for (size_t i = 0; i < s.n; i++)
			CHECK_NEAR(s.kwh[i], 0.15, 1e-12);
	}
	ctx_free(&c);
	free(text);
}

/* 2024-03-31: local 01:59 is followed by 03:00 (one UTC minute later);
 * 01:00 to 04:00 local is 00:00Z to 02:00Z, 8 full quarter-hours; 02:30
 * does not exist. */
TEST(spring_gap_is_continuous_and_its_hour_rejected)
{
	char text[64 * 130];
	size_t len = 0;
	for (int m = 60; m <= 240; m++) {
		if (m >= 120 && m < 180)
			continue;
		len +=
		    (size_t)sprintf(text + len, "2024-03-31 %02d:%02d:00,600\n",
				    m / 60, m % 60);
	}
	struct ctx c;
	ctx_init(&c);
	c.ing.file_meter = "m";
	CHECK_INT(cab_parse_flukso_csv(&c.ing, "s.csv", text, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 8); /* 00:00Z to 02:00Z */
	for (size_t k = 0; k < s.n; k++)
		CHECK_INT(s.quality[k], CAB_Q_READ);
	ctx_free(&c);

	static const char bad[] = "2024-03-31 01:59:00,600\n"
				  "2024-03-31 02:30:00,600\n";
	ctx_init(&c);
	c.ing.file_meter = "m";
	CHECK_INT(
	    cab_parse_flukso_csv(&c.ing, "s.csv", bad, sizeof bad - 1, &c.err),
	    CAB_EINPUT);
	CHECK_STR(c.err.text, "s.csv:2: '2024-03-31 02:30:00': local time does "
			      "not exist (spring DST gap)\n");
	ctx_free(&c);
}

/* ---- flukso-json ---- */

/* END-labelled: [0, 900) gets the samples at 60 … 900 s: 14 of 1000 W
 * and one "nan" (its minute uncovered: 840 s, estimated, 0.25 kWh). */
TEST(flukso_json_reads_numbers_nan_and_null)
{
	char text[4096];
	size_t len = (size_t)sprintf(text, "[");
	for (int t = 0; t <= 900; t += 60)
		len += (size_t)sprintf(text + len, "%s[%lld,%s]\n",
				       t ? "," : "", (long long)(T0 + t),
				       t == 300	  ? "\"nan\""
				       : t == 360 ? "1000.0"
						  : "1000");
	len +=
	    (size_t)sprintf(text + len, ",[%lld,null]]", (long long)T0 + 960);
	struct ctx c;
	ctx_init(&c);
	c.ing.file_meter = "m";
	c.o.max_gap_s = 60;
	CHECK_INT(cab_parse_flukso_json(&c.ing, "j.json", text, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	struct cab_qh_series s = series(&c, "m");
	CHECK_INT(s.n, 1);
	CHECK_NEAR(s.kwh[0], 0.25, 1e-12);
	CHECK_INT(s.quality[0], CAB_Q_ESTIMATED);
	CHECK_INT(c.ing.rows, 17);
	ctx_free(&c);
}

/* One bad input and its exact message. */
struct bad_case {
	const char *what;  /* test label */
	int format;	   /* 0 power-csv, 1 flukso-csv, 2 flukso-json */
	const char *meter; /* --meter, NULL if not given */
	const char *text;
	const char *message;
};

static const struct bad_case bad_cases[] = {
    {"bad number", 0, NULL,
     "timestamp,meter,watts\n2024-01-01T00:00:00Z,m,12x\n",
     "f.csv:2: '12x' is not a number of watts (expected a decimal like "
     "155.9, or nan for no reading)\n"},
    {"decimal comma", 0, NULL,
     "timestamp,meter,watts\n2024-01-01T00:00:00Z,m,155,9\n",
     "f.csv:2: 4 fields, expected 3 (timestamp,meter,watts); a decimal "
     "comma? write 155.9, not 155,9\n"},
    {"decimal comma wide", 0, NULL,
     "timestamp_utc,s1\n2024-01-01T00:00:00Z,155,9\n",
     "f.csv:2: 3 fields, expected 2 (timestamp and one value per sensor); "
     "a decimal comma? write 155.9, not 155,9\n"},
    {"decimal comma flukso", 1, "m", "2024-01-01 00:00:00,155,9\n",
     "f.csv:1: 3 fields, expected 2 (timestamp,watt); a decimal comma? "
     "write 155.9, not 155,9\n"},
    {"missing --meter csv", 1, NULL, "2024-01-01 00:00:00,155\n",
     "f.csv: the file does not name its sensor (expected --meter ID)\n"},
    {"missing --meter json", 2, NULL, "[[1704067200,1]]",
     "f.csv: the file does not name its sensor (expected --meter ID)\n"},
    {"mixed offsets", 0, NULL,
     "timestamp,meter,watts\n2024-01-01T00:00:00+01:00,m,1\n"
     "2024-01-01 00:01:00,m,1\n",
     "f.csv:3: timestamp without UTC offset in a file whose first "
     "timestamp has one (expected the same form on every line)\n"},
    {"mixed offsets naive first", 1, "m",
     "2024-01-01 00:00:00,1\n2024-01-01 00:01:00Z,1\n",
     "f.csv:2: timestamp with a UTC offset in a file whose first timestamp "
     "has none (expected the same form on every line)\n"},
    {"negative watts", 0, NULL,
     "timestamp,meter,watts\n2024-01-01T00:00:00Z,m,-5\n",
     "f.csv:2: power -5 W is negative (expected power ≥ 0 W)\n"},
    {"negative watts json", 2, "m", "[[1704067200,\n -5]]",
     "f.csv:2:2: power -5 W is negative (expected power ≥ 0 W)\n"},
    {"wrong column count", 0, NULL,
     "timestamp,meter,watts\n2024-01-01T00:00:00Z,m\n",
     "f.csv:2: 2 fields, expected 3 (timestamp,meter,watts)\n"},
    {"unknown header", 0, NULL, "time,meter,watts\n",
     "f.csv:1: unknown header 'time,meter,watts' (expected "
     "timestamp,meter,watts or timestamp,<sensor>[,<sensor>…])\n"},
    {"canonical header", 0, NULL, "timestamp,meter,kwh\n",
     "f.csv:1: unknown header 'timestamp,meter,kwh' (expected "
     "timestamp,meter,watts or timestamp,<sensor>[,<sensor>…])\n"},
    {"empty file", 0, NULL, "",
     "f.csv:1: no header (expected timestamp,meter,watts or "
     "timestamp,<sensor>[,<sensor>…])\n"},
    {"several sensors for one meter", 0, "m", "timestamp,s1,s2\n",
     "f.csv:1: 2 sensor columns for one --meter (expected one column, or "
     "--sum to add them as parts of 'm')\n"},
    {"sensor twice", 0, NULL, "timestamp,s1,s1\n",
     "f.csv:1: sensor 's1' appears twice in the header (expected one "
     "column per sensor)\n"},
    {"meter not in file", 0, "x",
     "timestamp,meter,watts\n2024-01-01T00:00:00Z,m,1\n",
     "f.csv: no rows of meter 'x' (expected --meter to name a meter of "
     "the file)\n"},
    {"bad timestamp", 0, NULL,
     "timestamp,meter,watts\n2024-02-30T00:00:00Z,m,1\n",
     "f.csv:2: '2024-02-30T00:00:00Z' is not a valid timestamp (impossible "
     "date)\n"},
    {"year out of range", 0, NULL,
     "timestamp,meter,watts\n1999-12-31T23:59:59Z,m,1\n",
     "f.csv:2: sample of meter 'm' outside the years 2000 to 2099 (expected "
     "a date of measurement)\n"},
    {"implausible watts", 1, "m", "2024-01-01 00:00:00,1e308\n",
     "f.csv:1: power 1e+308 W of meter 'm' (expected power ≥ 0 W and at "
     "most 1 GW)\n"},
    {"infinite watts", 1, "m", "2024-01-01 00:00:00,inf\n",
     "f.csv:1: 'inf' is not a number of watts (expected a decimal like "
     "155.9, or nan for no reading)\n"},
    {"back in time", 1, "m", "2024-01-01 00:01:00,1\n2024-01-01 00:00:00,1\n",
     "f.csv:2: samples of meter 'm' go back in time (expected increasing "
     "timestamps)\n"},
    {"json bad value", 2, "m", "[[1704067200, 100],\n [1704067260, abc]]",
     "f.csv:2:15: unexpected 'a' (expected a number of watts, \"nan\" or "
     "null)\n"},
    {"json truncated", 2, "m", "[[1704067200, 100],",
     "f.csv:1:20: unexpected end (expected [unix_ts, watt])\n"},
    {"json trailing", 2, "m", "[[1704067200, 100]] x",
     "f.csv:1:21: unexpected 'x' (expected the end of the file after the "
     "array)\n"},
};

TEST(every_malformed_input_is_rejected_with_its_message)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
		const struct bad_case *b = &bad_cases[i];
		struct ctx c;
		ctx_init(&c);
		c.o.meter = b->meter;
		c.ing.file_meter = b->meter;
		enum cab_status st;
		size_t len = strlen(b->text);
		if (b->format == 0)
			st = cab_parse_power_csv(&c.ing, "f.csv", b->text, len,
						 &c.err);
		else if (b->format == 1)
			st = cab_parse_flukso_csv(&c.ing, "f.csv", b->text, len,
						  &c.err);
		else
			st = cab_parse_flukso_json(&c.ing, "f.csv", b->text,
						   len, &c.err);
		if (st != CAB_EINPUT || !c.err.text ||
		    strcmp(c.err.text, b->message) != 0)
			fprintf(stderr, "  case '%s':\n", b->what);
		CHECK_INT(st, CAB_EINPUT);
		CHECK_STR(c.err.text, b->message);
		ctx_free(&c);
	}
}

/* Flukso formats default to END, power-csv to START: the same minute
 * samples 0..900 s at 1000 W then 2000 W at 900 s give [0, 900) 0.25
 * kWh under START and (1000 × 840 + 2000 × 60) / 3.6e6 under END. */
TEST(label_default_depends_on_the_format)
{
	static const char csv[] = "timestamp,meter,watts\n"
				  "2024-01-01T00:00:00Z,m,1000\n"
				  "2024-01-01T00:14:00Z,m,1000\n"
				  "2024-01-01T00:15:00Z,m,2000\n";
	char fl[2048];
	size_t len = 0;
	for (int t = 0; t <= 900; t += 60)
		len += (size_t)sprintf(fl + len, "2024-01-01 01:%02d:%02d,%d\n",
				       t / 60, t % 60, t < 900 ? 1000 : 2000);
	struct ctx c;
	ctx_init(&c);
	c.o.max_gap_s = 840;
	CHECK_INT(
	    cab_parse_power_csv(&c.ing, "p.csv", csv, sizeof csv - 1, &c.err),
	    CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK_NEAR(series(&c, "m").kwh[0], 0.25, 1e-12);
	ctx_free(&c);
	ctx_init(&c);
	c.ing.file_meter = "m";
	CHECK_INT(cab_parse_flukso_csv(&c.ing, "f.csv", fl, len, &c.err),
		  CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK_NEAR(series(&c, "m").kwh[0], (1000.0 * 840 + 2000.0 * 60) / 3.6e6,
		   1e-12);
	ctx_free(&c);
}

/* ---- tmpo ---- */

static unsigned char *read_bytes(const char *path, size_t *len)
{
	return (unsigned char *)read_all(path, len);
}

/* What the test expects of each sample block. */
struct tmpo_case {
	const char *path;    /* under TMPO */
	const char *message; /* expected text after "<path>: ", NULL = ok */
};

#define ELEC "fed676021dacaaf6a12a8dda7685be34/0/"
#define GAS "527a737e3b5959d25ad4bb9ff4e32b36/0/"
#define LEN_MISMATCH(a, b)                                                     \
	"block is inconsistent: t has " #a " values, v has " #b                \
	" (expected equal lengths)"
#define GAS_TYPE                                                               \
	"$.h.cfg.type: a 'gas' sensor (expected an electricity sensor "        \
	"counting Wh)"

/* The merged blocks' lists disagree (found by decompressing each block
 * and comparing len(t), len(v) and head + Σ deltas with tail); the
 * level-20 electricity block is not even JSON (",," in t). The gas
 * sensor's consistent blocks are refused for their type only. */
static const struct tmpo_case tmpo_cases[] = {
    {ELEC "8/1404223488", NULL},
    {ELEC "8/1404223744", NULL},
    {ELEC "8/1404224000", NULL},
    {ELEC "8/1404224256", NULL},
    {ELEC "8/1404224512", NULL},
    {ELEC "8/1404224768", NULL},
    {ELEC "8/1404225024", NULL},
    {ELEC "8/1404225280", NULL},
    {ELEC "8/1404225536", NULL},
    {ELEC "8/1404225792", NULL},
    {ELEC "12/1404174336", LEN_MISMATCH(133, 148)},
    {ELEC "12/1404178432", LEN_MISMATCH(127, 142)},
    {ELEC "12/1404182528", LEN_MISMATCH(126, 141)},
    {ELEC "12/1404186624", LEN_MISMATCH(128, 143)},
    {ELEC "12/1404190720", LEN_MISMATCH(142, 157)},
    {ELEC "12/1404194816", LEN_MISMATCH(144, 159)},
    {ELEC "12/1404198912", LEN_MISMATCH(132, 147)},
    {ELEC "12/1404203008", LEN_MISMATCH(150, 165)},
    {ELEC "12/1404207104", LEN_MISMATCH(166, 181)},
    {ELEC "12/1404211200", LEN_MISMATCH(174, 189)},
    {ELEC "12/1404215296", LEN_MISMATCH(140, 155)},
    {ELEC "12/1404219392", LEN_MISMATCH(162, 177)},
    {ELEC "16/1404043264", LEN_MISMATCH(8151, 8406)},
    {ELEC "16/1404108800", LEN_MISMATCH(12232, 12487)},
    {ELEC "20/1402994688", "INVALID_JSON"},
    {GAS "8/1404224768", GAS_TYPE},
    {GAS "8/1404225024", GAS_TYPE},
    {GAS "8/1404225280", GAS_TYPE},
    {GAS "8/1404225536", GAS_TYPE},
    {GAS "12/1404190720", GAS_TYPE},
    {GAS "12/1404219392", GAS_TYPE},
    {GAS "16/1404043264", LEN_MISMATCH(73, 88)},
    {GAS "16/1404108800", LEN_MISMATCH(127, 144)},
    {GAS "20/1402994688", LEN_MISMATCH(675, 772)},
};

/* Decompress a block in the test (zlib's own one-shot reader). */
static char *gunzip_test(const unsigned char *gz, size_t len)
{
	size_t cap = 1 << 22;
	char *out = malloc(cap);
	z_stream z;
	memset(&z, 0, sizeof z);
	inflateInit2(&z, 16 + MAX_WBITS);
	z.next_in = (unsigned char *)gz;
	z.avail_in = (uInt)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (uInt)cap - 1;
	int rc = inflate(&z, Z_FINISH);
	out[cap - 1 - z.avail_out] = '\0';
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

/* Independent energy of a consistent block: the points rebuilt here, the
 * max gap 3 × median of the first 64 spacings (at least an hour), the covered
 * seconds of each quarter-hour from the pairs within the gap. With min_coverage
 * at its smallest every touched interval has a value, and value × covered / 900
 * summed is (tail − head) minus the Wh of the pairs beyond the gap. */
static void check_block_energy(const char *path, const unsigned char *gz,
			       size_t len)
{
	char *json = gunzip_test(gz, len);
	CHECK(json != NULL);
	cJSON *root = json ? cJSON_Parse(json) : NULL;
	CHECK(root != NULL);
	if (!root) {
		free(json);
		return;
	}
	cJSON *h = cJSON_GetObjectItem(root, "h");
	cJSON *head = cJSON_GetObjectItem(h, "head");
	cJSON *tail = cJSON_GetObjectItem(h, "tail");
	cJSON *jt = cJSON_GetObjectItem(root, "t");
	cJSON *jv = cJSON_GetObjectItem(root, "v");
	int n = cJSON_GetArraySize(jt);
	double *t = calloc((size_t)n, sizeof *t),
	       *v = calloc((size_t)n, sizeof *v);
	double ct = cJSON_GetArrayItem(head, 0)->valuedouble;
	double cv = cJSON_GetArrayItem(head, 1)->valuedouble;
	for (int i = 0; i < n; i++) {
		ct += cJSON_GetArrayItem(jt, i)->valuedouble;
		cv += cJSON_GetArrayItem(jv, i)->valuedouble;
		t[i] = ct;
		v[i] = cv;
	}
	double sp[64];
	int ns = 0;
	for (int i = 1; i < n && ns < 64; i++)
		sp[ns++] = t[i] - t[i - 1];
	for (int i = 0; i < ns; i++) /* insertion sort: tiny */
		for (int j = i; j > 0 && sp[j] < sp[j - 1]; j--) {
			double x = sp[j];
			sp[j] = sp[j - 1];
			sp[j - 1] = x;
		}
	/* Counters: 3 × median, but at least an hour (integ.c). */
	double median =
	    ns ? (ns % 2 ? sp[ns / 2] : (sp[ns / 2 - 1] + sp[ns / 2]) / 2) : 0;
	double gap = ns ? fmax(3600, 3 * median) : 0;
	double expect_wh = cJSON_GetArrayItem(tail, 1)->valuedouble -
			   cJSON_GetArrayItem(head, 1)->valuedouble;
	int64_t k0 = (int64_t)floor(t[0] / 900);
	int64_t k1 = (int64_t)floor(t[n - 1] / 900);
	double *cov = calloc((size_t)(k1 - k0 + 1), sizeof *cov);
	for (int i = 1; i < n; i++) {
		if (t[i] - t[i - 1] > gap) {
			expect_wh -= v[i] - v[i - 1];
			continue;
		}
		for (int64_t k = k0; k <= k1; k++) {
			double a = fmax(t[i - 1], (double)k * 900);
			double b = fmin(t[i], (double)(k + 1) * 900);
			if (b > a)
				cov[k - k0] += b - a;
		}
	}

	struct ctx c;
	ctx_init(&c);
	c.o.min_coverage = 1e-12;
	c.ing.file_meter = "e";
	CHECK_INT(cab_parse_tmpo_block(&c.ing, path, gz, len, &c.err), CAB_OK);
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	CHECK_INT(c.ing.rows, n);
	struct cab_qh_series s = series(&c, "e");
	double got_wh = 0;
	for (size_t k = 0; k < s.n; k++) {
		int64_t kk = s.t0_s / 900 + (int64_t)k;
		double cv_s = kk >= k0 && kk <= k1 ? cov[kk - k0] : 0;
		CHECK(cv_s > 0 || s.quality[k] == CAB_Q_MISSING);
		if (cv_s > 0)
			got_wh += s.kwh[k] * 1000 * cv_s / 900;
	}
	CHECK_NEAR(got_wh, expect_wh, 1e-6);
	ctx_free(&c);
	free(cov);
	free(t);
	free(v);
	cJSON_Delete(root);
	free(json);
}

TEST(tmpo_consistent_blocks_accepted_and_inconsistent_rejected)
{
	for (size_t i = 0; i < sizeof tmpo_cases / sizeof *tmpo_cases; i++) {
		const struct tmpo_case *tc = &tmpo_cases[i];
		char path[512];
		snprintf(path, sizeof path, TMPO "%s", tc->path);
		size_t len;
		unsigned char *gz = read_bytes(path, &len);
		CHECK(gz != NULL);
		if (!gz)
			continue;
		if (!tc->message) {
			check_block_energy(path, gz, len);
		} else {
			struct ctx c;
			ctx_init(&c);
			c.ing.file_meter = "e";
			CHECK_INT(
			    cab_parse_tmpo_block(&c.ing, path, gz, len, &c.err),
			    CAB_EINPUT);
			char want[600];
			if (strcmp(tc->message, "INVALID_JSON") == 0)
				snprintf(want, sizeof want,
					 "%s:1:13060: invalid JSON (expected a "
					 "tmpo block)\n",
					 path);
			else
				snprintf(want, sizeof want, "%s: %s\n", path,
					 tc->message);
			CHECK_STR(c.err.text, want);
			CHECK_INT(cab_qhset_n_meters(c.qh), 0);
			ctx_free(&c);
		}
		free(gz);
	}
}

/* The ten consecutive level-8 blocks read in a row: energy across block
 * borders is spread too; the total is the last tail − the first head. */
TEST(tmpo_consecutive_blocks_join)
{
	struct ctx c;
	ctx_init(&c);
	c.o.max_gap_s = 3600;
	c.o.min_coverage = 1e-12;
	c.ing.file_meter = "e";
	double first_t = 0, last_t = 0;
	for (size_t i = 0; i < 10; i++) {
		char path[512];
		snprintf(path, sizeof path, TMPO "%s", tmpo_cases[i].path);
		size_t len;
		unsigned char *gz = read_bytes(path, &len);
		CHECK_INT(cab_parse_tmpo_block(&c.ing, path, gz, len, &c.err),
			  CAB_OK);
		free(gz);
	}
	CHECK_INT(cab_ingest_finish(&c.ing, &c.err), CAB_OK);
	/* heads/tails from the blocks: 2510676 … 2510791 Wh, times
	 * 1404223506 … 1404226026. */
	first_t = 1404223506;
	last_t = 1404226026;
	struct cab_qh_series s = series(&c, "e");
	double wh = 0;
	for (size_t k = 0; k < s.n; k++) {
		double a = fmax(first_t, (double)(s.t0_s + 900 * (int64_t)k));
		double b =
		    fmin(last_t, (double)(s.t0_s + 900 * (int64_t)k + 900));
		wh += s.kwh[k] * 1000 * (b - a) / 900;
	}
	CHECK_NEAR(wh, 2510791 - 2510676, 1e-6);
	ctx_free(&c);
}

TEST(tmpo_truncated_or_corrupt_gzip_rejected)
{
	size_t len;
	unsigned char *gz = read_bytes(TMPO ELEC "8/1404225792", &len);
	CHECK(gz != NULL);
	if (!gz)
		return;
	struct ctx c;
	ctx_init(&c);
	c.ing.file_meter = "e";
	CHECK_INT(cab_parse_tmpo_block(&c.ing, "blk", gz, len / 2, &c.err),
		  CAB_EINPUT);
	CHECK_STR(c.err.text, "blk: truncated or corrupt gzip data (expected a "
			      "tmpo block)\n");
	ctx_free(&c);
	ctx_init(&c);
	c.ing.file_meter = "e";
	gz[len / 2] ^= 0x55;
	gz[len / 2 + 1] ^= 0x55;
	CHECK_INT(cab_parse_tmpo_block(&c.ing, "blk", gz, len, &c.err),
		  CAB_EINPUT);
	CHECK_STR(c.err.text, "blk: truncated or corrupt gzip data (expected a "
			      "tmpo block)\n");
	ctx_free(&c);
	ctx_init(&c);
	CHECK_INT(cab_parse_tmpo_block(&c.ing, "blk", gz, len, &c.err),
		  CAB_EINPUT);
	CHECK_STR(c.err.text, "blk: a tmpo block does not name its meter "
			      "(expected --meter ID)\n");
	ctx_free(&c);
	free(gz);
}

/* Hand-made blocks: each inconsistency named. */
static void check_json_block(const char *json, const char *message)
{
	uLongf cap = compressBound((uLong)strlen(json)) + 32;
	unsigned char *gz = malloc(cap);
	/* gzip wrapper via deflateInit2 (compress() writes zlib). */
	z_stream z;
	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)json;
	z.avail_in = (uInt)strlen(json);
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	struct ctx c;
	ctx_init(&c);
	c.ing.file_meter = "e";
	enum cab_status st =
	    cab_parse_tmpo_block(&c.ing, "x/0/8/1404225792", gz, len, &c.err);
	if (message) {
		CHECK_INT(st, CAB_EINPUT);
		CHECK_STR(c.err.text, message);
	} else {
		CHECK_INT(st, CAB_OK);
	}
	ctx_free(&c);
	free(gz);
}

TEST(tmpo_inconsistencies_are_named)
{
	const char *B = "x/0/8/1404225792";
	char want[512];
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404225855,"
	    "12],\"vsn\":1},\"t\":[0,30,30],\"v\":[0,1,1]}",
	    NULL);
	snprintf(want, sizeof want,
		 "%s: block is inconsistent: the points end at [1404225855, "
		 "12], tail is [1404225855, 13] (expected the sums of t and v "
		 "to reach tail)\n",
		 B);
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404225855,"
	    "13],\"vsn\":1},\"t\":[0,30,30],\"v\":[0,1,1]}",
	    want);
	snprintf(want, sizeof want,
		 "%s: block is inconsistent: time does not increase at point 2 "
		 "(Δt = 0; expected Δt > 0)\n",
		 B);
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404225825,"
	    "12],\"vsn\":1},\"t\":[0,30,0],\"v\":[0,1,1]}",
	    want);
	snprintf(want, sizeof want,
		 "%s: block is inconsistent: the counter goes down at point 1 "
		 "(Δv = -1; expected a cumulative counter)\n",
		 B);
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404225855,"
	    "10],\"vsn\":1},\"t\":[0,30,30],\"v\":[0,-1,1]}",
	    want);
	snprintf(want, sizeof want,
		 "%s: block is inconsistent: its points span "
		 "1404225795..1404226095, outside the block [1404225792, "
		 "1404226048) of level 8 (expected times within 2^8 s of the "
		 "block's start)\n",
		 B);
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404226095,"
	    "11],\"vsn\":1},\"t\":[0,300],\"v\":[0,1]}",
	    want);
	snprintf(want, sizeof want,
		 "%s: block is inconsistent: the first point is head + [5, 0] "
		 "(expected t and v to start at 0: the first point is head)\n",
		 B);
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404225800,"
	    "10],\"vsn\":1},\"t\":[5],\"v\":[0]}",
	    want);
	snprintf(want, sizeof want,
		 "%s: not a tmpo block (expected an object with \"h\", \"t\" "
		 "and \"v\")\n",
		 B);
	check_json_block("[1,2]", want);
	snprintf(want, sizeof want,
		 "%s: $.h.vsn: unknown tmpo version (expected 1)\n", B);
	check_json_block(
	    "{\"h\":{\"head\":[1404225795,10],\"tail\":[1404225795,"
	    "10],\"vsn\":2},\"t\":[0],\"v\":[0]}",
	    want);
	snprintf(want, sizeof want,
		 "%s:2:3: invalid JSON (expected a tmpo block)\n", B);
	check_json_block("{\"h\":\n{]}", want);
}

/* The folder listing: time order, and a block contained in a wider one
 * (its merge) is skipped. */
TEST(tmpo_list_orders_blocks_and_skips_merged_parts)
{
	char **paths;
	size_t n;
	CHECK_INT(cab_tmpo_list(TMPO "fed676021dacaaf6a12a8dda7685be34", &paths,
				&n, NULL),
		  CAB_OK);
	CHECK_INT(n, 25);
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			long long a = atoll(strrchr(paths[i - 1], '/') + 1);
			long long b = atoll(strrchr(paths[i], '/') + 1);
			CHECK(a < b);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);

	char dir[] = "/tmp/cabine-tmpo-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char p[256];
	const char *files[] = {"0/12/1404190720", "0/8/1404190720",
			       "0/8/1404194560", "0/8/1404194816", "0/README"};
	snprintf(p, sizeof p, "%s/0", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/0/12", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/0/8", dir);
	mkdir(p, 0700);
	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
	}
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_tmpo_list(dir, &paths, &n, &err), CAB_OK);
	CHECK_INT(n, 2);
	if (n == 2) {
		snprintf(p, sizeof p, "%s/0/12/1404190720", dir);
		CHECK_STR(paths[0], p);
		snprintf(p, sizeof p, "%s/0/8/1404194816", dir);
		CHECK_STR(paths[1], p);
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	/* A block starting inside another and ending after it: bad name. */
	snprintf(p, sizeof p, "%s/0/12/1404194000", dir);
	FILE *f = fopen(p, "w");
	if (f)
		fclose(f);
	CHECK_INT(cab_tmpo_list(dir, &paths, &n, &err), CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "overlaps") != NULL);
	cab_err_release(&err);
	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/0/12/1404194000", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/0/12", dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/0/8", dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/0", dir);
	rmdir(p);
	rmdir(dir);
}

static const struct harness_test tests[] = {
    T(constant_3600_w_over_a_quarter_hour_is_0_9_kwh),
    T(one_minute_gap_in_8_s_samples_is_partly_covered),
    T(wifi_silence_longer_than_max_gap_is_missing),
    T(coverage_of_exactly_0_9_counts_and_less_is_missing),
    T(label_start_and_end_shift_energy_across_a_boundary),
    T(nan_samples_leave_their_own_period_uncovered),
    T(intervals_are_put_as_soon_as_complete),
    T(counter_spreads_energy_between_readings),
    T(counter_default_gap_is_at_least_an_hour),
    T(counter_going_down_is_an_error),
    T(samples_going_back_in_time_are_an_error),
    T(meter_with_power_and_counter_is_an_error),
    T(max_gap_is_three_times_the_median_spacing),
    T(flukso_csv_sample_matches_the_direct_sum),
    T(opengrid_wide_file_matches_the_direct_sum),
    T(long_power_csv_with_bom_crlf_offsets_and_fractions),
    T(autumn_repeated_hour_placed_in_order),
    T(autumn_hour_with_two_meters_per_minute),
    T(spring_gap_is_continuous_and_its_hour_rejected),
    T(flukso_json_reads_numbers_nan_and_null),
    T(every_malformed_input_is_rejected_with_its_message),
    T(label_default_depends_on_the_format),
    T(tmpo_consistent_blocks_accepted_and_inconsistent_rejected),
    T(tmpo_consecutive_blocks_join),
    T(tmpo_truncated_or_corrupt_gzip_rejected),
    T(tmpo_inconsistencies_are_named),
    T(tmpo_list_orders_blocks_and_skips_merged_parts),
};
HARNESS_MAIN("test_power", tests)
