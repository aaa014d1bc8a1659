/*
 * test_demo.c — the embedded demo community (scenarios/demo/).
 *
 * The demo is generated once into a mkdtemp directory and its CSV parsed
 * here by hand (no dependency on the readings loader), then checked for
 * determinism, completeness, DST days, gaps and believable yearly totals.
 */
#include "cabine/demo.h"
#include "cabine/time.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Rooftop and common PV in the demo (mirrors scenarios/demo/community.c). */
static const struct {
	const char *meter;
	double kwp;
} pv_table[] = {
    {"h02-pv", 3.5},	       {"h05-pv", 4.0},
    {"h08-pv", 5.0},	       {"h11-pv", 3.0},
    {"h14-pv", 6.0},	       {"h17-pv", 4.5},
    {"h20-pv", 3.5},	       {"h24-pv", 5.5},
    {"h27-pv", 4.0},	       {"h30-pv", 3.0},
    {"h34-pv", 5.0},	       {"h38-pv", 4.5},
    {"cohousing-pv-pv", 15.0}, {"ecole-tilleuls-pv", 30.0},
};
#define N_PV (sizeof(pv_table) / sizeof(pv_table[0]))

struct meter_stat {
	char id[32];	 /* meter id */
	double sum_kwh;	 /* yearly total */
	long rows;	 /* rows read */
	int spring_rows; /* rows on local 2024-03-31 */
	int autumn_rows; /* rows on local 2024-10-27 */
	int dec_lit;	 /* rows > 0 on local 2024-12-21 */
	int jun_lit;	 /* rows > 0 on local 2024-06-21 */
	int feb13_rows;	 /* rows on local 2024-02-13 */
	int sep04_rows;	 /* rows on local 2024-09-04 */
};

struct demo_data {
	char dir[64];		 /* mkdtemp directory */
	char dir2[64];		 /* second copy, for determinism */
	bool is_ready;		 /* generated and parsed */
	bool has_header;	 /* first line is the header */
	long rows;		 /* data rows */
	bool is_sorted;		 /* timestamps never decrease */
	struct meter_stat m[96]; /* per meter */
	size_t nm;		 /* meters seen */
};

static struct demo_data data;

static void rm_demo(const char *dir)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/scenario.json", dir);
	remove(p);
	snprintf(p, sizeof(p), "%s/readings.csv", dir);
	remove(p);
	rmdir(dir);
}

static void cleanup(void)
{
	if (data.dir[0])
		rm_demo(data.dir);
	if (data.dir2[0])
		rm_demo(data.dir2);
}

static struct meter_stat *stat_for(const char *id, size_t len)
{
	static size_t last;
	if (last < data.nm && strlen(data.m[last].id) == len &&
	    memcmp(data.m[last].id, id, len) == 0)
		return &data.m[last];
	for (size_t i = 0; i < data.nm; i++)
		if (strlen(data.m[i].id) == len &&
		    memcmp(data.m[i].id, id, len) == 0)
			return &data.m[last = i];
	if (data.nm == sizeof(data.m) / sizeof(data.m[0]) || len >= 32)
		return NULL;
	memcpy(data.m[data.nm].id, id, len);
	data.m[data.nm].id[len] = '\0';
	last = data.nm;
	return &data.m[data.nm++];
}

/* Generate once and parse readings.csv into per-meter statistics. */
static const struct demo_data *demo(void)
{
	if (data.is_ready)
		return &data;
	snprintf(data.dir, sizeof(data.dir), "/tmp/cabine-demo-XXXXXX");
	if (!mkdtemp(data.dir)) {
		data.dir[0] = '\0';
		return NULL;
	}
	atexit(cleanup);
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_demo_write(data.dir, &err);
	if (st != CAB_OK)
		fprintf(stderr, "  demo: %s", err.text ? err.text : "?\n");
	cab_err_release(&err);
	if (st != CAB_OK)
		return NULL;

	char path[128], line[256], last_ts[32] = "";
	snprintf(path, sizeof(path), "%s/readings.csv", data.dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	int day =
	    -1; /* 0 spring, 1 autumn, 2 dec21, 3 jun21, 4 feb13, 5 sep04 */
	data.is_sorted = true;
	if (fgets(line, sizeof(line), f))
		data.has_header = strcmp(line, "timestamp,meter,kwh\n") == 0;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ','),
		     *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		if (!c2)
			break;
		data.rows++;
		size_t tl = (size_t)(c1 - line);
		if (tl < sizeof(last_ts) &&
		    (strlen(last_ts) != tl || memcmp(last_ts, line, tl) != 0)) {
			if (strlen(last_ts) == tl &&
			    memcmp(last_ts, line, tl) > 0)
				data.is_sorted = false;
			memcpy(last_ts, line, tl);
			last_ts[tl] = '\0';
			int64_t t;
			struct cab_civil lc;
			if (cab_time_parse_iso(line, tl, &t, NULL) != CAB_OK)
				break;
			cab_time_to_local(t, &lc);
			int k = lc.month * 100 + lc.day;
			day = k == 331	  ? 0
			      : k == 1027 ? 1
			      : k == 1221 ? 2
			      : k == 621  ? 3
			      : k == 213  ? 4
			      : k == 904  ? 5
					  : -1;
		}
		struct meter_stat *m = stat_for(c1 + 1, (size_t)(c2 - c1 - 1));
		if (!m)
			break;
		double v = strtod(c2 + 1, NULL);
		m->sum_kwh += v;
		m->rows++;
		m->spring_rows += day == 0;
		m->autumn_rows += day == 1;
		m->dec_lit += day == 2 && v > 0;
		m->jun_lit += day == 3 && v > 0;
		m->feb13_rows += day == 4;
		m->sep04_rows += day == 5;
	}
	fclose(f);
	data.is_ready = true;
	return &data;
}

static const struct meter_stat *meter(const struct demo_data *d, const char *id)
{
	for (size_t i = 0; i < d->nm; i++)
		if (strcmp(d->m[i].id, id) == 0)
			return &d->m[i];
	return NULL;
}

static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;
	static char ba[1 << 16], bb[1 << 16];
	while (same) {
		size_t na = fread(ba, 1, sizeof(ba), fa);
		size_t nb = fread(bb, 1, sizeof(bb), fb);
		if (na != nb || memcmp(ba, bb, na) != 0)
			same = false;
		if (na == 0)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

TEST(writing_twice_gives_byte_identical_files)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	snprintf(data.dir2, sizeof(data.dir2), "/tmp/cabine-demo-XXXXXX");
	if (!mkdtemp(data.dir2)) {
		data.dir2[0] = '\0';
		CHECK(0);
		return;
	}
	/* a not-yet-existing subdirectory: created on the way */
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/a", data.dir2);
	CHECK_INT(cab_demo_write(sub, NULL), CAB_OK);
	static const char *files[] = {"scenario.json", "readings.csv"};
	for (size_t i = 0; i < 2; i++) {
		char a[160], b[160];
		snprintf(a, sizeof(a), "%s/%s", d->dir, files[i]);
		snprintf(b, sizeof(b), "%s/%s", sub, files[i]);
		CHECK(same_file(a, b));
		remove(b);
	}
	rmdir(sub);
}

TEST(readings_have_header_and_one_row_per_meter_and_interval)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(d->has_header);
	CHECK(d->is_sorted);
	/* 60 consumption + 14 PV + 1 cabin meter = 75 meters;
	 * 366 days × 96 = 35,136 intervals; two missing days of 96 rows:
	 * 75 × 35,136 − 2 × 96 = 2,635,200 − 192 = 2,635,008 */
	CHECK_INT(d->nm, 75);
	CHECK_INT(d->rows, 2635008);
	CHECK(meter(d, "cabin-rg") != NULL);
}

TEST(dst_days_have_92_and_100_intervals)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	const struct meter_stat *m = meter(d, "h01-c");
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(m->rows, 35136);
	CHECK_INT(m->spring_rows, 92);
	CHECK_INT(m->autumn_rows, 100);
}

TEST(gaps_are_absent_rows_never_zeros)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	const struct meter_stat *a = meter(d, "h12-c"), *b = meter(d, "h29-c");
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK_INT(a->rows, 35136 - 96);
	CHECK_INT(a->feb13_rows, 0);
	CHECK_INT(b->rows, 35136 - 96);
	CHECK_INT(b->sep04_rows, 0);
	/* every other meter is complete */
	int complete = 0;
	for (size_t i = 0; i < d->nm; i++)
		complete += d->m[i].rows == 35136;
	CHECK_INT(complete, 73);
}

TEST(yearly_totals_are_believable)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	int households = 0;
	for (size_t i = 0; i < d->nm; i++) {
		const struct meter_stat *m = &d->m[i];
		size_t l = strlen(m->id);
		bool house =
		    (m->id[0] == 'h' || strncmp(m->id, "co", 2) == 0) &&
		    l == (m->id[0] == 'h' ? 5u : 6u) &&
		    strcmp(m->id + l - 2, "-c") == 0;
		if (!house)
			continue;
		households++;
		if (m->sum_kwh < 1200.0 || m->sum_kwh > 6000.0) {
			fprintf(stderr, "  %s: %.0f kWh/year\n", m->id,
				m->sum_kwh);
			CHECK(0);
		}
	}
	CHECK_INT(households, 58);
	for (size_t k = 0; k < N_PV; k++) {
		const struct meter_stat *m = meter(d, pv_table[k].meter);
		CHECK(m != NULL);
		if (!m)
			continue;
		double y = m->sum_kwh / pv_table[k].kwp;
		if (y < 850.0 || y > 1100.0) {
			fprintf(stderr, "  %s: %.0f kWh/kWp\n", m->id, y);
			CHECK(0);
		}
	}
	const struct meter_stat *s = meter(d, "ecole-tilleuls-c");
	CHECK(s && s->sum_kwh > 20000.0 && s->sum_kwh < 60000.0);
	const struct meter_stat *c = meter(d, "cabin-rg");
	CHECK(c && c->sum_kwh > 10000.0);
}

TEST(daylight_is_short_in_december_and_long_in_june)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	const struct meter_stat *m = meter(d, "cohousing-pv-pv");
	CHECK(m != NULL);
	if (!m)
		return;
	/* ~7.7 h of sun at 50.8°N on 21 December, ~16.3 h on 21 June */
	CHECK(m->dec_lit >= 28 && m->dec_lit <= 34);
	CHECK(m->jun_lit >= 62 && m->jun_lit <= 68);
}

TEST(scenario_names_the_demo_and_its_readings)
{
	const struct demo_data *d = demo();
	CHECK(d != NULL);
	if (!d)
		return;
	char path[128];
	static char text[1 << 16];
	snprintf(path, sizeof(path), "%s/scenario.json", d->dir);
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	CHECK(strstr(text, "\"name\": \"demo-brussels\"") != NULL);
	CHECK(strstr(text, "\"readings\": \"readings.csv\"") != NULL);
	CHECK(strstr(text, "\"meter\": \"cabin-rg\"") != NULL);
	CHECK(strstr(text, "\"key\": \"hybrid\"") != NULL);
	CHECK(strstr(text, "\"production\": \"cohousing-pv-pv\"") != NULL);
	CHECK(text[n - 1] == '\n');
}

static const struct harness_test tests[] = {
    T(writing_twice_gives_byte_identical_files),
    T(readings_have_header_and_one_row_per_meter_and_interval),
    T(dst_days_have_92_and_100_intervals),
    T(gaps_are_absent_rows_never_zeros),
    T(yearly_totals_are_believable),
    T(daylight_is_short_in_december_and_long_in_june),
    T(scenario_names_the_demo_and_its_readings),
};
HARNESS_MAIN("test_demo", tests)
