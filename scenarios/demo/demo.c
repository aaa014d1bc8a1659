/*
 * demo.c — the embedded demo community written by `cabine demo`.
 *
 * Why: a newcomer should see cabine work on a believable neighbourhood
 * before preparing any data. We synthesise one year (2024, local
 * Brussels dates) of quarter-hour readings for 61 participants behind
 * five LV cabins: 40 households (12 with rooftop PV, 5 with heat pumps),
 * a co-housing block of 18 households sharing a 15 kWp installation, a
 * school with 30 kWp and a common space. The cabin "rouge-gorge" has a
 * meter measuring the net import of everyone behind it.
 *
 * Determinism: a splitmix64 generator seeded from fixed constants and
 * the meter ids (so the order of generation does not matter), no libc
 * rand or time zone (local time comes from time.h), numbers formatted by
 * integer arithmetic. Output bytes are the same on every machine.
 *
 * Workload: ~75 meters × 35,136 intervals ≈ 2.6 M rows (~100 MB) kept in
 * memory as one double array per meter (~21 MB), written through a large
 * buffer; the whole demo takes about a second.
 *
 * The community is community.c, its year (calendar, sun, loads)
 * profiles.c; this file builds the series and writes the two files.
 */
#include "cabine/demo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/time.h"
#include "scenarios/demo/demo.h"

static enum cab_status mkdir_p(const char *dir, struct cab_err *err)
{
	char path[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof(path))
		return cab_err_add(err, CAB_EIO, "'%s': bad directory name",
				   dir);
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return cab_err_add(err, CAB_EIO,
					   "cannot create '%s': %s", path,
					   strerror(errno));
		path[i] = c;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cab_err_add(err, CAB_EIO, "'%s' is not a directory",
				   dir);
	return CAB_OK;
}

/* Close f and rename tmp to final; on failure remove tmp. */
static enum cab_status finish_file(FILE *f, const char *tmp, const char *final,
				   struct cab_err *err)
{
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0)
		bad = true;
	if (bad) {
		remove(tmp);
		return cab_err_add(err, CAB_EIO, "cannot write '%s': %s", tmp,
				   strerror(errno));
	}
	if (rename(tmp, final) != 0) {
		int e = errno;
		remove(tmp);
		return cab_err_add(err, CAB_EIO,
				   "cannot rename '%s' to '%s': %s", tmp, final,
				   strerror(e));
	}
	return CAB_OK;
}

static FILE *open_tmp(const char *dir, const char *name, char *tmp, char *final,
		      size_t size, struct cab_err *err)
{
	if ((size_t)snprintf(final, size, "%s/%s", dir, name) >= size ||
	    (size_t)snprintf(tmp, size, "%s/%s.tmp", dir, name) >= size) {
		cab_err_add(err, CAB_EIO, "'%s': path too long", dir);
		return NULL;
	}
	FILE *f = fopen(tmp, "wb");
	if (!f)
		cab_err_add(err, CAB_EIO, "cannot write '%s': %s", tmp,
			    strerror(errno));
	return f;
}

/* A meter: its id and its series (borrowed from the series block). */
struct demo_meter {
	char id[24];   /* meter id */
	size_t id_len; /* strlen(id) */
	double *kwh;   /* DEMO_N values, DEMO_MISSING for absent rows */
};

/* id + suffix; participant ids are < 16 bytes, so it always fits. */
static void meter_name(struct demo_meter *m, const char *id, const char *suffix)
{
	size_t a = strlen(id), b = strlen(suffix);
	if (a + b >= sizeof(m->id))
		a = sizeof(m->id) - 1 - b;
	memcpy(m->id, id, a);
	memcpy(m->id + a, suffix, b + 1);
}

static int meter_cmp(const void *a, const void *b)
{
	return strcmp(((const struct demo_meter *)a)->id,
		      ((const struct demo_meter *)b)->id);
}

/* Append "<int>.<6 digits>" for v ≥ 0, rounded half up at 1e-6. */
static size_t fmt_kwh(char *b, double v)
{
	uint64_t u = (uint64_t)(v * 1e6 + 0.5);
	uint64_t ip = u / 1000000u, fp = u % 1000000u;
	char tmp[24];
	size_t n = 0, k = 0;
	do {
		tmp[k++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (k)
		b[n++] = tmp[--k];
	b[n++] = '.';
	for (int d = 5; d >= 0; d--) {
		b[n + (size_t)d] = (char)('0' + fp % 10);
		fp /= 10;
	}
	return n + 6;
}

#define DEMO_BUF (1u << 20)

static enum cab_status write_readings(FILE *f, const struct demo_slot *s,
				      const struct demo_meter *m, size_t nm,
				      char *buf)
{
	static const char header[] = "timestamp,meter,kwh\n";
	size_t len = sizeof(header) - 1;
	memcpy(buf, header, len);
	for (int i = 0; i < DEMO_N; i++) {
		char ts[21];
		cab_time_format_utc(s[i].utc_s, ts);
		for (size_t k = 0; k < nm; k++) {
			double v = m[k].kwh[i];
			if (v < 0.0)
				continue;
			if (len + 128 > DEMO_BUF) {
				if (fwrite(buf, 1, len, f) != len)
					return CAB_EIO;
				len = 0;
			}
			memcpy(buf + len, ts, 20);
			buf[len + 20] = ',';
			len += 21;
			memcpy(buf + len, m[k].id, m[k].id_len);
			len += m[k].id_len;
			buf[len++] = ',';
			len += fmt_kwh(buf + len, v);
			buf[len++] = '\n';
		}
	}
	if (len && fwrite(buf, 1, len, f) != len)
		return CAB_EIO;
	return CAB_OK;
}

enum cab_status cab_demo_write(const char *dir, struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	struct demo_part parts[DEMO_NPARTS];
	struct demo_meter meters[2 * DEMO_NPARTS + 1];
	struct demo_slot *slots = NULL;
	double *block = NULL;
	char *buf = NULL;
	char tmp[4200], final[4200];
	FILE *f = NULL;
	size_t nm = 0;

	st = mkdir_p(dir, err);
	if (st != CAB_OK)
		goto done;
	size_t np = cab_demo_build(parts);
	size_t nseries = 1;
	for (size_t i = 0; i < np; i++)
		nseries +=
		    (parts[i].has_c ? 1 : 0) + (parts[i].kwp > 0 ? 1 : 0);
	slots = calloc(DEMO_N, sizeof(*slots));
	block = malloc(nseries * DEMO_N * sizeof(double));
	buf = malloc(DEMO_BUF);
	if (!slots || !block || !buf) {
		st = cab_err_add(err, CAB_ENOMEM, "demo: out of memory");
		goto done;
	}
	cab_demo_calendar(slots);

	/* the cabin meter first, filled once its participants are known */
	double *cabin = block;
	memset(cabin, 0, DEMO_N * sizeof(double));
	snprintf(meters[0].id, sizeof(meters[0].id), "%s",
		 cab_demo_cabins[0].meter);
	meters[0].kwh = cabin;
	nm = 1;
	for (size_t i = 0; i < np; i++) {
		const struct demo_part *p = &parts[i];
		if (p->has_c) {
			double *v = block + nm * DEMO_N;
			if (p->kind == DEMO_K_HOUSE)
				cab_demo_gen_household(p, slots, v);
			else if (p->kind == DEMO_K_SCHOOL)
				cab_demo_gen_school(p, slots, v);
			else
				cab_demo_gen_common(p, slots, v);
			cab_demo_shape_finish(p, slots, v);
			meter_name(&meters[nm], p->id, "-c");
			meters[nm++].kwh = v;
			if (p->cabin == 0)
				for (int t = 0; t < DEMO_N; t++)
					cabin[t] += v[t];
		}
		if (p->kwp > 0) {
			double *v = block + nm * DEMO_N;
			cab_demo_gen_pv(p, slots, v);
			meter_name(&meters[nm], p->id, "-pv");
			meters[nm++].kwh = v;
			if (p->cabin == 0)
				for (int t = 0; t < DEMO_N; t++)
					cabin[t] -= v[t];
		}
	}
	/* the cabin sees the net import of everything behind it, plus losses */
	for (int t = 0; t < DEMO_N; t++)
		cabin[t] = cabin[t] > 0.0 ? cabin[t] * 1.03 : 0.0;
	/* a Flukso sensor down for a day: rows absent, never zero */
	for (size_t i = 0, k = 1; i < np; i++) {
		const struct demo_part *p = &parts[i];
		if (p->has_c && p->gap_day >= 0)
			for (int t = 0; t < DEMO_N; t++)
				if (slots[t].day == p->gap_day)
					meters[k].kwh[t] = DEMO_MISSING;
		k += (p->has_c ? 1 : 0) + (p->kwp > 0 ? 1 : 0);
	}
	for (size_t k = 0; k < nm; k++)
		meters[k].id_len = strlen(meters[k].id);
	qsort(meters, nm, sizeof(meters[0]), meter_cmp);

	f = open_tmp(dir, "scenario.json", tmp, final, sizeof(tmp), err);
	if (!f) {
		st = CAB_EIO;
		goto done;
	}
	cab_demo_write_scenario(f, parts, np);
	st = finish_file(f, tmp, final, err);
	f = NULL;
	if (st != CAB_OK)
		goto done;

	f = open_tmp(dir, "readings.csv", tmp, final, sizeof(tmp), err);
	if (!f) {
		st = CAB_EIO;
		goto done;
	}
	if (write_readings(f, slots, meters, nm, buf) != CAB_OK) {
		st = cab_err_add(err, CAB_EIO, "cannot write '%s': %s", tmp,
				 strerror(errno));
		fclose(f);
		remove(tmp);
		f = NULL;
		goto done;
	}
	st = finish_file(f, tmp, final, err);
	f = NULL;
done:
	free(slots);
	free(block);
	free(buf);
	return st;
}
