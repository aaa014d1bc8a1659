/*
 * test_site.c — the inhabitants' pages (SPEC §14): tokens against a
 * published HMAC-SHA256 vector, the secret file, the compact series, the
 * numbers of each language, every word in three languages, which groups
 * may be shown (hand cases), and the privacy property over random
 * communities: no page's folder holds another participant's id or any
 * run of its series, nor the sum of fewer than 3 participants' series.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/alerts.h"
#include "cabine/curves.h"
#include "cabine/readings.h"
#include "cabine/report.h"
#include "cabine/run.h"
#include "cabine/site.h"
#include "cabine/time.h"
#include "harness.h"
#include "reports/site/site.h"

TEST(token_is_the_first_16_hex_digits_of_hmac_sha256)
{
	/* RFC-independent published example: HMAC_SHA256("key", "The quick
	 * brown fox jumps over the lazy dog") = f7bc83f430538424b13298e6aa6f
	 * b143ef4d59a14946175997479dbc2d1a3cd8. */
	char tok[CAB_SITE_TOKEN_HEX + 1];
	cab_site_token((const unsigned char *)"key", 3,
		       "The quick brown fox jumps over the lazy dog", tok);
	CHECK_STR(tok, "f7bc83f430538424");
}

TEST(secret_is_created_once_then_read_without_trailing_whitespace)
{
	char dir[] = "/tmp/cabine-secret-XXXXXX", path[128];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/site.secret", dir);
	unsigned char *key = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	bool is_created = false;
	CHECK_INT(cab_site_secret(path, &key, &len, &is_created, NULL), CAB_OK);
	CHECK(is_created);
	CHECK_INT(len, 64);
	struct stat sb;
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	for (size_t k = 0; key && k < len; k++)
		CHECK(strchr("0123456789abcdef", key[k]) != NULL);
	CHECK_INT(cab_site_secret(path, &again, &len2, &is_created, NULL),
		  CAB_OK);
	CHECK(!is_created);
	CHECK(len2 == len && key && again && !memcmp(key, again, len));
	free(key), free(again);
	/* An editor's newline and spaces are not part of the key. */
	FILE *f = fopen(path, "w");
	fputs("abc \t\n\n", f);
	fclose(f);
	CHECK_INT(cab_site_secret(path, &key, &len, &is_created, NULL), CAB_OK);
	CHECK(len == 3 && key && !memcmp(key, "abc", 3));
	free(key);
	f = fopen(path, "w");
	fputs(" \n", f);
	fclose(f);
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_site_secret(path, &key, &len, &is_created, &err),
		  CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "the site's secret is empty"));
	cab_err_release(&err);
	unlink(path);
	rmdir(dir);
}

static char *series_text(const double *v, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cab_html_series(f, v, n);
	fclose(f);
	return buf;
}

TEST(series_are_wh_with_runs_of_equal_values)
{
	/* 0.1 kWh = 100 Wh three times, two missing, 0.2004 → 200, 0. */
	double v[] = {0.1, 0.1, 0.1, NAN, NAN, 0.2004, 0};
	char *s = series_text(v, 7);
	CHECK_STR(s, "\"100*3,*2,200,0\"");
	free(s);
	double w[] = {NAN};
	s = series_text(w, 1);
	CHECK_STR(s, "\"*1\"");
	free(s);
}

TEST(numbers_are_written_the_way_each_language_writes_them)
{
	char b[64];
	cab_html_eur(CAB_LANG_FR, 123456, b, sizeof(b));
	CHECK_STR(b, "1\xE2\x80\xAF"
		     "234,56\xC2\xA0€");
	cab_html_eur(CAB_LANG_NL, 123456, b, sizeof(b));
	CHECK_STR(b, "€\xC2\xA0"
		     "1.234,56");
	cab_html_eur(CAB_LANG_EN, -5, b, sizeof(b));
	CHECK_STR(b, "€\xE2\x88\x92"
		     "0.05");
	cab_html_kwh(CAB_LANG_EN, 1672.55, b, sizeof(b));
	CHECK_STR(b, "1,672.6\xC2\xA0kWh"); /* 1 decimal from 10 kWh up */
	cab_html_kwh(CAB_LANG_FR, 0.355, b, sizeof(b));
	CHECK_STR(b, "0,36\xC2\xA0kWh");
	cab_html_pct(CAB_LANG_NL, 0.448, b, sizeof(b));
	CHECK_STR(b, "44,8\xC2\xA0%");
}

TEST(every_word_exists_in_three_languages)
{
	size_t missing = 0;
	for (int w = 0; w < W_COUNT; w++)
		for (int lang = 0; lang < 3; lang++)
			if (!*cab_site_word(lang, (enum cab_site_word)w)) {
				fprintf(stderr, "  word %d has no text in %d\n",
					w, lang);
				missing++;
			}
	CHECK_INT(missing, 0);
}

/* ---- random communities ---- */

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define MAXP 9
#define DAYS 15

struct community {
	struct cab_scenario sc;
	struct cab_participant p[MAXP];
	struct cab_cabin cabins[2];
	struct cab_group groups[1];
	size_t group_members[MAXP];
	struct cab_alert alert;
	char ids[MAXP][16], meters[MAXP][2][20];
	struct cab_readings *rd;
	struct cab_run *run;
	struct cab_curves *curves;
	struct cab_alerts *alerts;
};

/* A community of n households with random ids of letters g–z (never hex,
 * never a word of the pages), cabins, a group, an alert, random series. */
static void make(struct community *c, size_t n)
{
	memset(c, 0, sizeof(*c));
	struct cab_scenario *sc = &c->sc;
	sc->path = "t.json";
	sc->name = "random";
	sc->start_y = 2024, sc->start_m = 4, sc->start_d = 1;
	sc->end_y = 2024, sc->end_m = 4, sc->end_d = 1 + DAYS;
	sc->t0_s = cab_time_local_midnight(2024, 4, 1);
	sc->n_intervals = DAYS * 96;
	sc->n_days = DAYS;
	sc->n_participants = n;
	sc->participants = c->p;
	sc->tariff.day_start_h = 7, sc->tariff.day_end_h = 22;
	sc->tariff.supplier_day_eur_kwh = sc->tariff.supplier_night_eur_kwh =
	    0.3;
	sc->billing.mode = CAB_BILLING_SHARED;
	snprintf(sc->sharing.key, sizeof(sc->sharing.key), "proportional");
	sc->sharing.price_eur_kwh = 0.15;
	sc->cabins = c->cabins;
	sc->n_cabins = 2;
	c->cabins[0] = (struct cab_cabin){.id = "zzka", .locality = 'B'};
	c->cabins[1] = (struct cab_cabin){.id = "zzkb", .locality = 'B'};
	sc->alerts = &c->alert;
	sc->n_alerts = 1;
	c->alert.start_s = sc->t0_s + (8 * 96 + 72) * 900;
	c->alert.end_s = c->alert.start_s + 12 * 900;
	sc->alerts_ref_start_s = sc->t0_s;
	sc->alerts_ref_end_s = sc->t0_s + (int64_t)sc->n_intervals * 900;
	cab_readings_new(sc->t0_s, sc->n_intervals, &c->rd, NULL);
	double *v = malloc(sc->n_intervals * sizeof(double));
	size_t in_group = 0;
	for (size_t i = 0; i < n; i++) {
		struct cab_participant *p = &c->p[i];
		for (int k = 0; k < 10; k++)
			c->ids[i][k] = (char)('g' + next() % 20);
		p->id = c->ids[i];
		p->kind = CAB_KIND_HOUSEHOLD;
		p->cabin = (int)(next() % 2);
		p->vat = 0.06;
		p->lang = (enum cab_lang)(next() % 3);
		snprintf(c->meters[i][0], 20, "%s-c", p->id);
		snprintf(c->meters[i][1], 20, "%s-p", p->id);
		p->meter_consumption = c->meters[i][0];
		for (size_t t = 0; t < sc->n_intervals; t++)
			v[t] = (double)(1 + next() % 997) / 1000.0;
		cab_readings_put(c->rd, p->meter_consumption, v, NULL);
		if (next() % 2) {
			p->meter_production = c->meters[i][1];
			for (size_t t = 0; t < sc->n_intervals; t++)
				v[t] = t % 96 > 36 && t % 96 < 64
					   ? (double)(next() % 1500) / 1000.0
					   : 0;
			cab_readings_put(c->rd, p->meter_production, v, NULL);
		}
		if (next() % 2)
			c->group_members[in_group++] = i;
	}
	free(v);
	c->groups[0] = (struct cab_group){
	    .name = "zzgr", .n_members = in_group, .members = c->group_members};
	sc->groups = c->groups;
	sc->n_groups = 1;
	CHECK_INT(cab_run_new(sc, c->rd, -1, &c->run, NULL), CAB_OK);
	CHECK_INT(cab_curves_new(c->run, &c->curves, NULL), CAB_OK);
	CHECK_INT(cab_alerts_new(c->run, &c->alerts, NULL), CAB_OK);
}

static void unmake(struct community *c)
{
	cab_alerts_free(c->alerts);
	cab_curves_free(c->curves);
	cab_run_free(c->run);
	cab_readings_free(c->rd);
}

static enum cab_status write_site_of(const struct community *c, const char *dir)
{
	struct cab_site_input in = {.key = (const unsigned char *)"k",
				    .key_len = 1};
	struct cab_report_opts ro = {
	    .lang = -1, .curves = c->curves, .alerts = c->alerts, .site = &in};
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_report_site.write(c->run, &ro, dir, &err);
	if (st != CAB_OK && err.text)
		fprintf(stderr, "  %s", err.text);
	cab_err_release(&err);
	return st;
}

/* Every file of folder dir concatenated. */
static char *folder_text(const char *dir)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, out);
		fclose(f);
	}
	if (d)
		closedir(d);
	fclose(out);
	return buf;
}

/* Does text hold a run of 6 values of series v (n values, kWh) as data.js
 * writes them (Wh, comma-separated), at any of a few places? */
static bool holds_run(const char *text, const double *v, size_t n)
{
	for (size_t t0 = 7; t0 + 6 < n; t0 += n / 9) {
		char needle[128];
		size_t o = 0;
		for (size_t t = t0; t < t0 + 6; t++)
			o += (size_t)snprintf(
			    needle + o, sizeof(needle) - o, "%s%lld",
			    t > t0 ? "," : "",
			    (long long)floor(v[t] * 1000 + 0.5));
		if (strstr(text, needle))
			return true;
	}
	return false;
}

/* Does text hold the mean day of series v (n values from local
 * midnight, no DST change) × scale, as the day charts write it (kWh with
 * 4 decimals), by a run of 4 slots at a few places? */
static bool holds_day(const char *text, const double *v, size_t n, double scale)
{
	double day[96] = {0};
	for (size_t t = 0; t < n; t++)
		day[t % 96] += v[t] / (double)(n / 96);
	for (size_t q0 = 30; q0 + 4 < 96; q0 += 17) {
		char needle[128];
		size_t o = 0;
		for (size_t q = q0; q < q0 + 4; q++)
			o += (size_t)snprintf(needle + o, sizeof(needle) - o,
					      "%s%.4f", q > q0 ? "," : "",
					      day[q] * scale);
		if (strstr(text, needle))
			return true;
	}
	return false;
}

TEST(no_page_holds_another_participant_or_a_sum_of_fewer_than_three)
{
	size_t leaks = 0, pages = 0;
	for (int round = 0; round < 12; round++) {
		struct community c;
		make(&c, 2 + next() % (MAXP - 1));
		if (!c.run || !c.curves || !c.alerts) {
			unmake(&c);
			continue;
		}
		char dir[] = "/tmp/cabine-privacy-XXXXXX";
		CHECK(mkdtemp(dir) != NULL);
		struct cab_site_input in = {.key = (const unsigned char *)"k",
					    .key_len = 1};
		CHECK_INT(write_site_of(&c, dir), CAB_OK);
		size_t n = c.run->n, nt = c.run->n_intervals;
		double *sum = malloc(nt * sizeof(double));
		for (size_t i = 0; i < n + 1; i++) {
			char page[512];
			char tok[CAB_SITE_TOKEN_HEX + 1] = "";
			if (i < n) {
				cab_site_token(in.key, in.key_len,
					       c.sc.participants[i].id, tok);
				snprintf(page, sizeof(page), "%s/site/%s", dir,
					 tok);
			} else {
				snprintf(page, sizeof(page), "%s/site", dir);
			}
			char *text = folder_text(page);
			CHECK(text && *text);
			if (!text)
				continue;
			pages++;
			for (size_t j = 0; j < n; j++) {
				if (j == i)
					continue;
				const struct cab_participant_result *r =
				    &c.run->p[j];
				bool bad =
				    strstr(text, c.sc.participants[j].id) ||
				    holds_run(text, r->consumption_kwh, nt) ||
				    holds_day(text, r->consumption_kwh, nt,
					      1) ||
				    (r->total.production_kwh > 0 &&
				     holds_run(text, r->production_kwh, nt));
				/* Sums of two: j with the reader, j with
				 * another. */
				for (size_t k = 0; k < n && !bad; k++) {
					if (k == j)
						continue;
					for (size_t t = 0; t < nt; t++)
						sum[t] =
						    r->consumption_kwh[t] +
						    c.run->p[k]
							.consumption_kwh[t];
					bad = holds_run(text, sum, nt) ||
					      holds_day(text, sum, nt, 1) ||
					      holds_day(text, sum, nt, 0.5);
				}
				if (bad) {
					fprintf(stderr,
						"  round %d: page %s holds "
						"participant %zu of %zu\n",
						round, tok[0] ? tok : "site", j,
						n);
					leaks++;
				}
			}
			free(text);
		}
		free(sum);
		char rm[600];
		snprintf(rm, sizeof(rm), "rm -rf %s", dir);
		CHECK_INT(system(rm), 0);
		unmake(&c);
	}
	CHECK(pages > 20);
	CHECK_INT(leaks, 0);
}

/* A site over hand-made memberships: which groups are shown. */
TEST(groups_are_shown_only_when_no_difference_reveals_fewer_than_three)
{
	struct community c;
	rng = 7;
	make(&c, 7);
	if (!c.run) {
		unmake(&c);
		return;
	}
	/* Cabin zzka = {0,1,2,3}, zzkb = {4,5,6}: both shown (4 and 3, the
	 * complements 3 and 4). A group {0,1,2} inside zzka: its difference
	 * with zzka is 1 participant, so it is not shown. */
	for (size_t i = 0; i < 7; i++)
		c.p[i].cabin = i < 4 ? 0 : 1;
	c.group_members[0] = 0, c.group_members[1] = 1, c.group_members[2] = 2;
	c.groups[0].n_members = 3;
	cab_curves_free(c.curves);
	cab_curves_new(c.run, &c.curves, NULL);
	char dir[] = "/tmp/cabine-groups-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(write_site_of(&c, dir), CAB_OK);
	char path[512];
	snprintf(path, sizeof(path), "%s/site/index-en.html", dir);
	FILE *f = fopen(path, "rb");
	char *html = NULL;
	size_t len = 0;
	CHECK(f != NULL);
	if (f) {
		fseek(f, 0, SEEK_END);
		len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		html = calloc(len + 1, 1);
		CHECK(fread(html, 1, len, f) == len);
		fclose(f);
	}
	CHECK(html && strstr(html, "Cabin zzka"));
	CHECK(html && strstr(html, "Cabin zzkb"));
	CHECK(html && !strstr(html, "Group zzgr"));
	free(html);
	char rm[600];
	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	CHECK_INT(system(rm), 0);
	unmake(&c);
}

static const struct harness_test tests[] = {
    T(token_is_the_first_16_hex_digits_of_hmac_sha256),
    T(secret_is_created_once_then_read_without_trailing_whitespace),
    T(series_are_wh_with_runs_of_equal_values),
    T(numbers_are_written_the_way_each_language_writes_them),
    T(every_word_exists_in_three_languages),
    T(no_page_holds_another_participant_or_a_sum_of_fewer_than_three),
    T(groups_are_shown_only_when_no_difference_reveals_fewer_than_three),
};

HARNESS_MAIN("test_site", tests)
