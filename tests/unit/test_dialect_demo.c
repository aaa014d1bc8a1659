/*
 * test_dialect_demo.c — a file in any accepted readings dialect gives
 * exactly the results of its canonical equivalent (SPEC §11, issue 12).
 *
 * The demo (a year of quarter-hours for 61 participants, 2.6 M rows, both
 * DST changes) is written once; its readings.csv is converted here, line
 * by line and without the parser, into four spreadsheet dialects; each
 * converted file is run as the demo's readings and its summary.json and
 * invoices.csv must equal the canonical run's byte for byte. The import
 * reads one dialect to the same quarter-hour set as the canonical file.
 *
 * Dialects (each feature at least once): BOM + CRLF + French header +
 * `;` + decimal comma + day-first local time `05/03/2024 10:00`; a Dutch
 * header reordered + `,` + local `2024-03-05T10:00` and
 * `2024-03-05 10:00:00`; every cell quoted + upper-case English header +
 * `;` + offsets `+01:00`/`+02:00` + CRLF.
 */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/cabine.h"
#include "engine/base/slurp.h"
#include "engine/ingest/ingest.h"
#include "harness.h"
#include "outputs.h"

static char dir[64];

enum { D_FR, D_NL, D_QUOTED, N_DIALECTS };

static const char *const headers[N_DIALECTS] = {
    "\xEF\xBB\xBFHorodatage;Compteur;kWh\r\n",
    "meter,kwh,tijdstip\n",
    "\"TIMESTAMP\";\"METER\";\"KWH\"\r\n",
};

/* The timestamp of canonical text ts (20 bytes) in dialect k into out:
 * local wall clock, or with its offset for D_QUOTED. D_NL alternates
 * "2024-03-05T10:00" (even days) and "2024-03-05 10:00:00" (odd days):
 * both are local times, which one file may mix. */
static void when(int k, const char *ts, char *out, size_t cap)
{
	int y, mo, d, h, mi, s;
	if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) !=
	    6) {
		fprintf(stderr, "  bad demo timestamp: %.20s\n", ts);
		exit(1);
	}
	int64_t t =
	    cab_time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	struct cab_civil c;
	cab_time_to_local(t, &c);
	if (k == D_FR)
		snprintf(out, cap, "%02d/%02d/%04d %02d:%02d", c.day, c.month,
			 c.year, c.hour, c.minute);
	else if (k == D_NL && c.day % 2 == 0)
		snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d", c.year, c.month,
			 c.day, c.hour, c.minute);
	else if (k == D_NL)
		snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d", c.year,
			 c.month, c.day, c.hour, c.minute, c.second);
	else
		snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:00+%02d:00",
			 c.year, c.month, c.day, c.hour, c.minute,
			 c.offset_s / 3600);
}

/* Append n bytes of s at *o. */
static void put(char *line, size_t *o, const char *s, size_t n)
{
	memcpy(line + *o, s, n);
	*o += n;
}

/* One canonical row "YYYY-MM-DDTHH:MM:SSZ,meter,kwh\n" in dialect k. The
 * demo writes 75 rows per timestamp: the last one's text is kept. */
static void convert(int k, const char *row, char last[2][48], FILE *out)
{
	const char *c1 = strchr(row, ','), *c2 = c1 ? strchr(c1 + 1, ',') : 0;
	if (!c2 || c1 - row != 20) {
		fprintf(stderr, "  bad demo line: %s", row);
		exit(1);
	}
	if (memcmp(last[0], row, 20) != 0) {
		memcpy(last[0], row, 20);
		when(k, row, last[1], sizeof(last[1]));
	}
	const char *m = c1 + 1, *v = c2 + 1;
	size_t mlen = (size_t)(c2 - m), vlen = strcspn(v, "\n");
	char kwh[32];
	memcpy(kwh, v, vlen < 31 ? vlen : 31);
	kwh[vlen < 31 ? vlen : 31] = '\0';
	char *dot = strchr(kwh, '.');
	if (dot && k == D_FR)
		*dot = ',';
	char line[200];
	size_t o = 0, tl = strlen(last[1]), kl = strlen(kwh);
	if (k == D_FR) {
		put(line, &o, last[1], tl);
		put(line, &o, ";", 1);
		put(line, &o, m, mlen);
		put(line, &o, ";", 1);
		put(line, &o, kwh, kl);
		put(line, &o, "\r\n", 2);
	} else if (k == D_NL) {
		put(line, &o, m, mlen);
		put(line, &o, ",", 1);
		put(line, &o, kwh, kl);
		put(line, &o, ",", 1);
		put(line, &o, last[1], tl);
		put(line, &o, "\n", 1);
	} else {
		put(line, &o, "\"", 1);
		put(line, &o, last[1], tl);
		put(line, &o, "\";\"", 3);
		put(line, &o, m, mlen);
		put(line, &o, "\";\"", 3);
		put(line, &o, kwh, kl);
		put(line, &o, "\"\r\n", 3);
	}
	fwrite(line, 1, o, out);
}

static bool write_dialect(int k)
{
	char in[128], out[128];
	snprintf(in, sizeof(in), "%s/readings.csv", dir);
	snprintf(out, sizeof(out), "%s/d%d.csv", dir, k);
	FILE *f = fopen(in, "rb"), *g = fopen(out, "wb");
	if (!f || !g)
		return false;
	static char buf[1 << 20];
	setvbuf(g, buf, _IOFBF, sizeof(buf));
	char line[256], last[2][48] = {"", ""};
	bool ok = fgets(line, sizeof(line), f) &&
		  !strcmp(line, "timestamp,meter,kwh\n");
	fputs(headers[k], g);
	while (ok && fgets(line, sizeof(line), f))
		convert(k, line, last, g);
	fclose(f);
	return fclose(g) == 0 && ok;
}

/* The demo scenario with its readings replaced by `readings` (a file name
 * in dir); returns its path (static). */
static const char *scenario_for(const char *readings)
{
	static char path[128];
	char src[128];
	snprintf(src, sizeof(src), "%s/scenario.json", dir);
	char *text = NULL;
	size_t len = 0;
	if (cab_slurp(src, &text, &len, NULL) != CAB_OK)
		return NULL;
	const char *key = "\"readings\": \"readings.csv\"";
	char *at = strstr(text, key);
	snprintf(path, sizeof(path), "%s/s-%s.json", dir, readings);
	FILE *f = fopen(path, "wb");
	if (!at || !f) {
		free(text);
		return NULL;
	}
	fwrite(text, 1, (size_t)(at - text), f);
	fprintf(f, "\"readings\": \"%s\"", readings);
	fputs(at + strlen(key), f);
	fclose(f);
	free(text);
	return path;
}

/* Run scenario `path` into dir/<name>/ (tests/outputs.h). */
static bool run_into(const char *path, const char *name)
{
	char out[128];
	snprintf(out, sizeof(out), "%s/%s", dir, name);
	return outputs_write(path, out);
}

static bool same_file(const char *a, const char *b, const char *file)
{
	char pa[128], pb[128];
	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	return outputs_same(pa, pb, file);
}

static void rm_run(const char *name)
{
	char p[160];
	snprintf(p, sizeof(p), "%s/%s/summary.json", dir, name);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s/invoices.csv", dir, name);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s/compare.csv", dir, name);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	rmdir(p);
}

TEST(every_dialect_gives_the_canonical_results)
{
	snprintf(dir, sizeof(dir), "/tmp/cabine-dialect-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_demo_write(dir, &err), CAB_OK);
	cab_err_release(&err);
	char canon[128] = "";
	const char *sc0 = scenario_for("readings.csv");
	if (sc0)
		snprintf(canon, sizeof(canon), "%s", sc0);
	CHECK(sc0 && run_into(canon, "canon"));
	for (int k = 0; k < N_DIALECTS; k++) {
		char file[16], name[16], p[160];
		snprintf(file, sizeof(file), "d%d.csv", k);
		snprintf(name, sizeof(name), "r%d", k);
		CHECK(write_dialect(k));
		const char *sc = scenario_for(file);
		CHECK(sc && run_into(sc, name));
		CHECK(same_file("canon", name, "summary.json"));
		CHECK(same_file("canon", name, "invoices.csv"));
		rm_run(name);
		if (sc)
			unlink(sc);
		snprintf(p, sizeof(p), "%s/%s", dir, file);
		if (k != D_FR)
			unlink(p);
	}
	rm_run("canon");
	unlink(canon);
}

/* `import --format csv` of the French dialect: the same quarter-hour
 * set, meter by meter, interval by interval, as the canonical file. */
TEST(import_reads_a_dialect_to_the_canonical_set)
{
	struct cab_qhset *qh[2] = {NULL, NULL};
	const char *files[2] = {"readings.csv", "d0.csv"};
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	for (int i = 0; i < 2; i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		char *text = NULL;
		size_t len = 0;
		struct cab_err err;
		cab_err_init(&err);
		CHECK_INT(cab_slurp(p, &text, &len, &err), CAB_OK);
		CHECK_INT(cab_qhset_new(&qh[i], &err), CAB_OK);
		struct cab_ingest ing = {.qh = qh[i], .opts = &o};
		CHECK_INT(cab_parse_csv(&ing, p, text ? text : "", len, &err),
			  CAB_OK);
		if (err.text)
			fprintf(stderr, "  %s", err.text);
		cab_err_release(&err);
		free(text);
		unlink(p);
	}
	size_t n = cab_qhset_n_meters(qh[0]);
	CHECK(n > 60);
	CHECK_INT(cab_qhset_n_meters(qh[1]), n);
	size_t differ = 0;
	for (size_t i = 0; i < n; i++) {
		struct cab_qh_series a, b;
		CHECK(cab_qhset_series(qh[0], i, &a));
		CHECK(cab_qhset_series(qh[1], i, &b));
		if (strcmp(a.meter, b.meter) || a.t0_s != b.t0_s ||
		    a.n != b.n) {
			differ++;
			continue;
		}
		for (size_t k = 0; k < a.n; k++)
			differ += a.quality[k] != b.quality[k] ||
				  (!isnan(a.kwh[k]) && a.kwh[k] != b.kwh[k]);
	}
	CHECK_INT(differ, 0);
	cab_qhset_free(qh[0]);
	cab_qhset_free(qh[1]);
	char p[160];
	snprintf(p, sizeof(p), "%s/scenario.json", dir);
	unlink(p);
	rmdir(dir);
}

static const struct harness_test tests[] = {
    T(every_dialect_gives_the_canonical_results),
    T(import_reads_a_dialect_to_the_canonical_set),
};
HARNESS_MAIN("test_dialect_demo", tests)
