/*
 * test_xlsx.c — invoices/<participant>.xlsx: files land inside invoices/
 * under safe names, output is byte-for-byte reproducible (fixed creation
 * date), and the sheet holds the amounts and the localized labels.
 * The run and scenario are built by hand: no engine needed.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cabine/report.h"
#include "engine/base/pool.h"
#include "harness.h"
#include "reports/xlsx/book.h"

#define T0 1704063600 /* 2024-01-01 00:00 Brussels = 2023-12-31T23:00Z */

struct fixture {
	struct cab_scenario sc;
	struct cab_participant parts[2];
	struct cab_run run;
	struct cab_participant_result p[2];
	struct cab_month month;
	struct cab_volumes vols[2];
};

static void add_line(struct cab_bill *b, const char *name, double q,
		     double price, int64_t cents)
{
	struct cab_bill_line *l = &b->lines[b->n_lines++];
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->has_quantity = q >= 0;
	l->quantity_kwh = q >= 0 ? q : 0;
	l->has_unit_price = true;
	l->unit_price_eur = price;
	l->amount_cents = cents;
	b->total_cents += cents;
}

/* A run of n_intervals from T0 with one month; participant 0 is "h01"
 * (fr), participant 1 is "../evil" (nl). */
static void fixture_init(struct fixture *f, size_t n_intervals, const char *id1)
{
	memset(f, 0, sizeof(*f));
	f->sc.name = "coin-du-balai";
	f->sc.start_y = 2024, f->sc.start_m = 1, f->sc.start_d = 1;
	f->sc.end_y = 2024, f->sc.end_m = 1, f->sc.end_d = 3;
	f->sc.t0_s = T0;
	f->sc.n_intervals = n_intervals;
	f->sc.n_days = n_intervals / 96;
	f->parts[0].id = "h01";
	f->parts[0].lang = CAB_LANG_FR;
	f->parts[1].id = (char *)id1;
	f->parts[1].lang = CAB_LANG_NL;
	f->sc.n_participants = 2;
	f->sc.participants = f->parts;

	f->month = (struct cab_month){
	    .year = 2024, .month = 1, .first = 0, .count = n_intervals};
	f->run.sc = &f->sc;
	f->run.t0_s = T0;
	f->run.n_intervals = n_intervals;
	f->run.n_months = 1;
	f->run.months = &f->month;
	f->run.n = 2;
	f->run.p = f->p;
	f->run.billing.mode = CAB_BILLING_SHARED; /* it shares: see the lines */
	for (size_t i = 0; i < 2; i++) {
		struct cab_participant_result *p = &f->p[i];
		double *c = calloc(n_intervals, sizeof(double));
		double *pv = calloc(n_intervals, sizeof(double));
		double *sh = calloc(n_intervals, sizeof(double));
		for (size_t t = 0; c && pv && sh && t < n_intervals; t++) {
			c[t] = 0.1 + 0.01 * (double)(t % 96);
			pv[t] = (t % 96 >= 40 && t % 96 < 64) ? 0.3 : 0;
			sh[t] = t % 7 == 0 ? NAN : 0.05;
		}
		p->consumption_kwh = p->copy[0] = c;
		p->production_kwh = p->copy[1] = pv;
		p->shared_kwh = p->out[0] = sh;
		f->vols[i] = (struct cab_volumes){.consumption_kwh = 50,
						  .self_consumed_kwh = 5,
						  .shared_kwh = 12.5,
						  .complementary_kwh = 32.5,
						  .injected_kwh = 1.25,
						  .production_kwh = 7.5,
						  .given_kwh = 1.25};
		p->month = &f->vols[i];
		p->total = f->vols[i]; /* one month: the period's totals */
		/* 12.5 kWh × 0.15 = 1.875 → 1.88; 32.5 × 0.25 = 8.125 → 8.13;
		 * a fixed term 0.27; VAT 0.62; injection −1.25 × 0.03 → −0.04;
		 * an unknown line 12.34: total 23.20. Baseline 45 × 0.25 =
		 * 11.25, so the delta is +11.95. */
		add_line(&p->bill, "shared_energy", 12.5, 0.15, 188);
		add_line(&p->bill, "supplier", 32.5, 0.25, 813);
		add_line(&p->bill, "network_fixed", -1, 47.24, 27);
		add_line(&p->bill, "vat", -1, 0.06, 62);
		/* VAT base 1.88 + 8.13 + 0.27 = 10.28 (0.62 = 6 % of it). */
		p->bill.lines[p->bill.n_lines - 1].base_cents = 1028;
		add_line(&p->bill, "injection", 1.25, 0.03, -4);
		add_line(&p->bill, "mystery_line", -1, 1, 1234); /* 12.34 */
		add_line(&p->baseline, "supplier", 45, 0.25, 1125);
		p->delta_cents = p->bill.total_cents - p->baseline.total_cents;
	}
}

static void fixture_release(struct fixture *f)
{
	for (size_t i = 0; i < 2; i++) {
		free(f->p[i].copy[0]);
		free(f->p[i].copy[1]);
		free(f->p[i].out[0]);
	}
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whole output of a command, malloc'd (NULL on failure). */
static char *slurp_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	pclose(p);
	if (buf)
		buf[len] = 0;
	return buf;
}

static char *unzip_member(const char *xlsx, const char *member)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", xlsx,
		 member);
	return slurp_cmd(cmd);
}

static char *read_file(const char *path, size_t *len)
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
	if (buf)
		*len = (size_t)n;
	return buf;
}

static void rm_rf(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* Write the fixture's invoices into a fresh temporary dir (in tmpl). */
static enum cab_status write_into(struct fixture *f, int lang, char *tmpl)
{
	strcpy(tmpl, "/tmp/cabine-xlsx-XXXXXX");
	if (!mkdtemp(tmpl))
		return CAB_EIO;
	struct cab_report_opts o = {.lang = lang};
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st =
	    cab_report_invoices_xlsx.write(&f->run, &o, tmpl, &err);
	if (st != CAB_OK)
		fprintf(stderr, "  %s", err.text ? err.text : "?\n");
	cab_err_release(&err);
	return st;
}

static void invoice_path(const char *dir, const char *id, char *out,
			 size_t size)
{
	char safe[128];
	cab_report_safe_name(id, safe, sizeof(safe));
	snprintf(out, size, "%s/invoices/%s.xlsx", dir, safe);
}

TEST(one_workbook_per_participant_under_safe_names)
{
	struct fixture f;
	fixture_init(&f, 192, "../evil");
	char dir[64];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	char path[512];
	invoice_path(dir, "h01", path, sizeof(path));
	CHECK(file_exists(path));
	CHECK(strstr(path, "/invoices/h01.xlsx") != NULL);
	invoice_path(dir, "../evil", path, sizeof(path));
	CHECK(file_exists(path));
	/* The escaped id stays inside invoices/ and nothing lands beside. */
	CHECK(strstr(path, "/invoices/") != NULL);
	CHECK(strstr(path + strlen(dir) + strlen("/invoices/"), "/") == NULL);
	char evil[256];
	snprintf(evil, sizeof(evil), "%s/evil.xlsx", dir);
	CHECK(!file_exists(evil));
	rm_rf(dir);
	fixture_release(&f);
}

TEST(writing_twice_gives_identical_bytes)
{
	struct fixture f;
	fixture_init(&f, 192, "../evil");
	char d1[64], d2[64], p1[512], p2[512];
	CHECK_INT(write_into(&f, -1, d1), CAB_OK);
	CHECK_INT(write_into(&f, -1, d2), CAB_OK);
	invoice_path(d1, "h01", p1, sizeof(p1));
	invoice_path(d2, "h01", p2, sizeof(p2));
	size_t n1 = 0, n2 = 0;
	char *a = read_file(p1, &n1), *b = read_file(p2, &n2);
	CHECK(a && b);
	CHECK_INT(n1, n2);
	CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
	free(a);
	free(b);
	char *s1 = unzip_member(p1, "xl/worksheets/sheet1.xml");
	char *s2 = unzip_member(p2, "xl/worksheets/sheet1.xml");
	CHECK(s1 && s2 && strlen(s1) > 100);
	CHECK(s1 && s2 && strcmp(s1, s2) == 0);
	free(s1);
	free(s2);
	rm_rf(d1);
	rm_rf(d2);
	fixture_release(&f);
}

/* Golden: the invoice sheet's XML and its shared strings, exactly. A
 * change of layout or wording shows as a diff of tests/golden/ for a
 * person to review; `make golden-update` rewrites them
 * (CABINE_GOLDEN_UPDATE=1). */
TEST(invoice_sheet_xml_matches_golden)
{
	struct fixture f;
	fixture_init(&f, 192, "h01");
	char d[64], p[512];
	CHECK_INT(write_into(&f, -1, d), CAB_OK);
	invoice_path(d, "h01", p, sizeof(p));
	const char *member[] = {"xl/worksheets/sheet1.xml",
				"xl/sharedStrings.xml"};
	const char *golden[] = {"tests/golden/invoice_sheet1.xml",
				"tests/golden/invoice_strings.xml"};
	for (int k = 0; k < 2; k++) {
		char *got = unzip_member(p, member[k]);
		CHECK(got != NULL);
		if (!got)
			continue;
		if (getenv("CABINE_GOLDEN_UPDATE")) {
			FILE *out = fopen(golden[k], "w");
			CHECK(out != NULL);
			if (out) {
				fputs(got, out); /* the member as read, byte for
						    byte */
				fclose(out);
			}
		}
		size_t n = 0;
		char *want = read_file(golden[k], &n);
		CHECK(want != NULL);
		if (want && (n != strlen(got) || memcmp(got, want, n) != 0)) {
			fprintf(stderr,
				"  %s differs from %s (make "
				"golden-update, then review git diff)\n",
				member[k], golden[k]);
			CHECK(0);
		}
		free(want);
		free(got);
	}
	rm_rf(d);
	fixture_release(&f);
}

TEST(sheet_holds_amounts_and_french_labels)
{
	struct fixture f;
	fixture_init(&f, 192, "../evil");
	char dir[64], path[512];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	invoice_path(dir, "h01", path, sizeof(path));
	char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
	char *strs = unzip_member(path, "xl/sharedStrings.xml");
	char *book = unzip_member(path, "xl/workbook.xml");
	CHECK(sheet && strs && book);
	if (sheet && strs && book) {
		CHECK(strstr(sheet, "<v>12.34</v>") != NULL);
		CHECK(strstr(sheet, "<v>1.88</v>") != NULL);
		CHECK(strstr(sheet, "<v>-0.04</v>") != NULL);
		CHECK(strstr(strs, "Énergie partagée") != NULL);
		CHECK(strstr(strs, "Fourniture") != NULL);
		CHECK(strstr(strs, "TVA") != NULL);
		CHECK(strstr(strs, "mystery_line") != NULL); /* unknown id */
		CHECK(strstr(strs, "coin-du-balai") != NULL);
		CHECK(strstr(strs, "du 01/01/2024 au 02/01/2024") != NULL);
		CHECK(strstr(strs, "janvier 2024") != NULL);
		CHECK(strstr(strs, "Seul (sans communauté)") != NULL);
		/* bill 23.20 vs baseline 11.25: pays 11.95 more */
		CHECK(strstr(sheet, "<v>23.2</v>") != NULL);
		CHECK(strstr(sheet, "<v>11.25</v>") != NULL);
		CHECK(strstr(strs, "Vous payez en plus") != NULL);
		CHECK(strstr(sheet, "<v>11.95</v>") != NULL);
		CHECK(strstr(book, "name=\"Facture\"") != NULL);
		CHECK(strstr(book, "name=\"data\"") != NULL);
		CHECK(strstr(book, "Print_Area") != NULL);
		CHECK(strstr(sheet, "paperSize=\"9\"") != NULL);
		/* One page wide and one high: the whole invoice on A4. */
		CHECK(strstr(sheet, "fitToPage=\"1\"") != NULL);
		CHECK(strstr(sheet, "fitToHeight=\"0\"") == NULL);
	}
	free(sheet);
	free(strs);
	free(book);
	/* Two charts per invoice. */
	char *c1 = unzip_member(path, "xl/charts/chart1.xml");
	char *c2 = unzip_member(path, "xl/charts/chart2.xml");
	CHECK(c1 && strstr(c1, "barChart") != NULL);
	CHECK(c2 && strstr(c2, "lineChart") != NULL);
	CHECK(c2 && strstr(c2, "data!$B$2:$B$97") != NULL);
	free(c1);
	free(c2);
	rm_rf(dir);
	fixture_release(&f);
}

TEST(participant_language_and_override)
{
	struct fixture f;
	fixture_init(&f, 192, "h02");
	char dir[64], path[512];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	invoice_path(dir, "h02", path, sizeof(path));
	char *strs = unzip_member(path, "xl/sharedStrings.xml");
	char *book = unzip_member(path, "xl/workbook.xml");
	CHECK(strs && strstr(strs, "Gedeelde energie") != NULL);
	CHECK(strs && strstr(strs, "januari 2024") != NULL);
	CHECK(book && strstr(book, "name=\"Factuur\"") != NULL);
	free(strs);
	free(book);
	rm_rf(dir);

	CHECK_INT(write_into(&f, CAB_LANG_EN, dir), CAB_OK);
	invoice_path(dir, "h02", path, sizeof(path));
	strs = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(strs && strstr(strs, "Shared energy") != NULL);
	CHECK(strs && strstr(strs, "Alone (without the community)") != NULL);
	free(strs);
	rm_rf(dir);
	fixture_release(&f);
}

/* The average day: participant consumption at slot s is 0.1 + 0.01·s on
 * both days, so the mean at 12:00 (slot 48) is 0.58; shared is 0.05
 * wherever not missing. */
TEST(average_day_is_mean_by_local_quarter_hour)
{
	struct fixture f;
	fixture_init(&f, 192, "h02");
	char dir[64], path[512];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	invoice_path(dir, "h01", path, sizeof(path));
	char *data = unzip_member(path, "xl/worksheets/sheet2.xml");
	CHECK(data != NULL);
	if (data) {
		/* Row 50 = slot 48 (header in row 1). */
		char *row = strstr(data, "<row r=\"50\"");
		CHECK(row != NULL);
		CHECK(row && strstr(row, "<c r=\"B50\" s=\"") != NULL);
		CHECK(row && strstr(row, "<v>0.58</v>") != NULL);
		CHECK(row && strstr(row, "<v>0.3</v>") != NULL);
		CHECK(row && strstr(row, "<v>0.05</v>") != NULL);
		CHECK(strstr(data, "<row r=\"97\"") != NULL);
	}
	free(data);
	rm_rf(dir);
	fixture_release(&f);
}

/* Same in summer (CEST, UTC+2): the run starts at local midnight
 * 2024-07-01 = 2024-06-30T22:00Z, so interval t is still local slot
 * t mod 96 and 12:00 local (slot 48) has the mean 0.58. */
TEST(average_day_follows_summer_time)
{
	struct fixture f;
	fixture_init(&f, 192, "h02");
	f.sc.t0_s = f.run.t0_s = 1719784800;
	f.sc.start_m = f.sc.end_m = 7;
	f.month.month = 7;
	char dir[64], path[512];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	invoice_path(dir, "h01", path, sizeof(path));
	char *data = unzip_member(path, "xl/worksheets/sheet2.xml");
	char *row = data ? strstr(data, "<row r=\"50\"") : NULL;
	CHECK(row != NULL);
	CHECK(row && strstr(row, "<v>0.58</v>") != NULL);
	free(data);
	rm_rf(dir);
	fixture_release(&f);
}

TEST(unwritable_directory_is_an_io_error)
{
	struct fixture f;
	fixture_init(&f, 192, "h02");
	struct cab_report_opts o = {.lang = -1};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_report_invoices_xlsx.write(&f.run, &o,
						 "/nonexistent/cabine", &err),
		  CAB_EIO);
	CHECK(err.text &&
	      strstr(err.text, "/nonexistent/cabine/invoices") != NULL);
	cab_err_release(&err);
	fixture_release(&f);
}

/* A full disk (a workbook written into /dev/full through a link, so
 * that the file removed after the failure is the link): one line naming
 * the file and the system's error, and nothing of libxlsxwriter's own
 * "[ERROR]…" lines on stderr. */
TEST(full_disk_is_one_line_and_nothing_raw)
{
	char dir[64] = "/tmp/cabine-full-XXXXXX", link[128], log[128];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(link, sizeof(link), "%s/full.xlsx", dir);
	snprintf(log, sizeof(log), "%s/stderr.txt", dir);
	CHECK(symlink("/dev/full", link) == 0);
	struct cab_book b;
	char path[256];
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_book_open(&b, dir, "full.xlsx", "t", NULL, path,
				sizeof(path), &err),
		  CAB_OK);
	lxw_worksheet *ws = cab_book_sheet(&b, "s");
	cab_book_put_str(&b, ws, 0, 0, "hello", NULL);
	/* stderr into a file while the workbook is written out. */
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(saved >= 0 && fd >= 0 && dup2(fd, STDERR_FILENO) >= 0);
	enum cab_status st = cab_book_close(&b, path, &err);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	CHECK_INT(st, CAB_EIO);
	char want[256];
	snprintf(want, sizeof(want),
		 "%s/full.xlsx: cannot write (Zip generic error ZIP_ERRNO "
		 "while creating the xlsx file: No space left on device)\n",
		 dir);
	CHECK_STR(err.text, want);
	struct stat sb;
	CHECK(stat(log, &sb) == 0 && sb.st_size == 0);
	CHECK(lstat(link, &sb) != 0); /* the half-written file is gone */
	CHECK(stat("/dev/full", &sb) == 0 && S_ISCHR(sb.st_mode));
	cab_err_release(&err);
	rm_rf(dir);
}

/* A member of a common pot sees the key: each criterion's weight, its
 * weight under the key and the share it pays (bill / pot). Pot 100.00,
 * h01 pays 23.20 (the fixture's bill) → 23.20 %. */
TEST(pot_member_sees_the_key_and_its_share)
{
	struct fixture f;
	fixture_init(&f, 192, "h02");
	struct cab_pot pot = {.cabin = 0, .n_members = 2, .total_cents = 10000};
	f.run.pots = &pot;
	f.run.n_pots = 1;
	for (int i = 0; i < 2; i++) {
		f.p[i].pot = 0;
		for (int k = 0; k < CAB_CRIT_COUNT; k++)
			f.p[i].key[k] = NAN;
	}
	f.p[0].key[CAB_CRIT_OCCUPANTS] = 0.375;
	f.p[0].pot_weight = 0.375;
	char dir[64], path[512];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	invoice_path(dir, "h01", path, sizeof(path));
	char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
	char *strs = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(sheet && strs);
	if (sheet && strs) {
		CHECK(strstr(strs, "Clé de répartition du pot commun") != NULL);
		CHECK(strstr(strs, "Occupants") != NULL);
		CHECK(strstr(strs, "Revenus") == NULL); /* criterion not used */
		CHECK(strstr(sheet, "<v>0.375</v>") != NULL);
		CHECK(strstr(sheet, "<v>0.232</v>") != NULL);
	}
	free(sheet);
	free(strs);
	rm_rf(dir);
	fixture_release(&f);
}

/* A run of 7 participants "p0".."p6" made of the fixture's two (their
 * series, volumes and bills alternate), for the worker processes. */
struct big_run {
	struct fixture f;
	struct cab_participant parts[7];
	struct cab_participant_result p[7];
	char ids[7][8];
};

static void big_run_init(struct big_run *b)
{
	fixture_init(&b->f, 192, "h02");
	for (size_t i = 0; i < 7; i++) {
		snprintf(b->ids[i], sizeof(b->ids[i]), "p%zu", i);
		b->parts[i] = b->f.parts[i % 2];
		b->parts[i].id = b->ids[i];
		b->parts[i].lang = (enum cab_lang)(i % 3);
		b->p[i] = b->f.p[i % 2];
	}
	b->f.sc.participants = b->parts;
	b->f.sc.n_participants = 7;
	b->f.run.p = b->p;
	b->f.run.n = 7;
}

/* Write b's invoices with `jobs` workers, each with the pool's test hook
 * (NULL: none), into a fresh dir (in tmpl). */
static enum cab_status write_jobs_hooked(struct big_run *b, int jobs,
					 const struct cab_pool_hook *hook,
					 char *tmpl, struct cab_err *err)
{
	strcpy(tmpl, "/tmp/cabine-xlsx-XXXXXX");
	if (!mkdtemp(tmpl))
		return CAB_EIO;
	struct cab_report_opts o = {
	    .lang = -1, .jobs = jobs, .worker_hook = hook};
	return cab_report_invoices_xlsx.write(&b->f.run, &o, tmpl, err);
}

/* Write b's invoices with `jobs` workers into a fresh dir (in tmpl). */
static enum cab_status write_jobs(struct big_run *b, int jobs, char *tmpl,
				  struct cab_err *err)
{
	return write_jobs_hooked(b, jobs, NULL, tmpl, err);
}

/* The pool's test hook: worker *ctx fails after its share, with the
 * message the test build of the command line gives (tests/hooks.c). */
static enum cab_status fail_worker(int k, int n, void *ctx, struct cab_err *err)
{
	if (k != *(const int *)ctx)
		return CAB_OK;
	return cab_err_add(err, CAB_EINTERNAL,
			   "worker %d: failing on purpose "
			   "(CABINE_TEST_FAIL_WORKER)",
			   k);
}

static size_t count_files(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "ls -A '%s/invoices' | wc -l", dir);
	char *out = slurp_cmd(cmd);
	size_t n = out ? (size_t)atol(out) : 0;
	free(out);
	return n;
}

/* Each of b's 7 invoices in folder d1 is byte-for-byte the one in dn. */
static void same_invoices(const struct big_run *b, const char *d1,
			  const char *dn)
{
	for (size_t i = 0; i < 7; i++) {
		char p1[512], pn[512];
		invoice_path(d1, b->ids[i], p1, sizeof(p1));
		invoice_path(dn, b->ids[i], pn, sizeof(pn));
		size_t n1 = 0, nn = 0;
		char *x = read_file(p1, &n1), *y = read_file(pn, &nn);
		CHECK(x && y && n1 > 1000 && n1 == nn && memcmp(x, y, n1) == 0);
		free(x);
		free(y);
	}
}

/* The files do not depend on the number of worker processes: each of the
 * 7 workbooks is byte-for-byte the one a single process writes. */
TEST(worker_processes_write_the_same_bytes)
{
	struct big_run b;
	big_run_init(&b);
	char d1[64], dn[64];
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(write_jobs(&b, 1, d1, &err), CAB_OK);
	for (int jobs = 2; jobs <= 9; jobs += 7) { /* 9 > 7 participants */
		CHECK_INT(write_jobs(&b, jobs, dn, &err), CAB_OK);
		CHECK_INT(count_files(dn), 7);
		same_invoices(&b, d1, dn);
		rm_rf(dn);
	}
	CHECK(err.text == NULL);
	cab_err_release(&err);
	rm_rf(d1);
	fixture_release(&b.f);
}

/* Started (cab_report_start), the invoices are written by 3 workers
 * while this process writes invoices.csv, and end with the bytes of one
 * process; abandoned, their workers are stopped and waited for. */
TEST(started_invoices_end_with_the_same_bytes_or_are_abandoned)
{
	struct big_run b;
	big_run_init(&b);
	char d1[64], dn[64];
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(write_jobs(&b, 1, d1, &err), CAB_OK);
	CHECK(cab_report_can_start(&cab_report_invoices_xlsx));
	CHECK(!cab_report_can_start(&cab_report_invoices_csv));
	strcpy(dn, "/tmp/cabine-xlsx-XXXXXX");
	CHECK(mkdtemp(dn) != NULL);
	struct cab_report_opts o = {.lang = -1, .jobs = 3};
	struct cab_report_work *work = NULL, *none = NULL;
	CHECK_INT(cab_report_start(&cab_report_invoices_xlsx, &b.f.run, &o, dn,
				   &work, &err),
		  CAB_OK);
	CHECK(work != NULL);
	/* Any other writer is written at once: nothing left running. */
	CHECK_INT(cab_report_start(&cab_report_invoices_csv, &b.f.run, &o, dn,
				   &none, &err),
		  CAB_OK);
	CHECK(none == NULL);
	char csv[128];
	snprintf(csv, sizeof(csv), "%s/invoices.csv", dn);
	CHECK(file_exists(csv));
	CHECK_INT(cab_report_finish(work, &err), CAB_OK);
	CHECK_INT(count_files(dn), 7);
	same_invoices(&b, d1, dn);
	rm_rf(dn);
	CHECK(mkdtemp(strcpy(dn, "/tmp/cabine-xlsx-XXXXXX")) != NULL);
	CHECK_INT(cab_report_start(&cab_report_invoices_xlsx, &b.f.run, &o, dn,
				   &work, &err),
		  CAB_OK);
	cab_report_abandon(work); /* returns once its workers are gone */
	cab_report_abandon(NULL);
	CHECK_INT(cab_report_finish(NULL, &err), CAB_OK);
	CHECK(err.text == NULL);
	cab_err_release(&err);
	rm_rf(dn);
	rm_rf(d1);
	fixture_release(&b.f);
}

/* A worker that cannot write its file (a folder is in the way of
 * p4.xlsx, written by worker 1 of 3) fails the whole write with the
 * library's message naming the file. */
TEST(a_failing_worker_fails_the_write)
{
	struct big_run b;
	big_run_init(&b);
	char dir[64];
	strcpy(dir, "/tmp/cabine-xlsx-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	char block[256];
	snprintf(block, sizeof(block), "%s/invoices/p4.xlsx", dir);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", block);
	CHECK(system(cmd) == 0);
	struct cab_report_opts o = {.lang = -1, .jobs = 3};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_report_invoices_xlsx.write(&b.f.run, &o, dir, &err),
		  CAB_EIO);
	CHECK(err.text &&
	      strstr(err.text, "/invoices/p4.xlsx: cannot write") != NULL);
	cab_err_release(&err);
	rm_rf(dir);

	/* The pool's test hook: worker 2 fails after writing its share. */
	int which = 2;
	const struct cab_pool_hook hook = {.after_share = fail_worker,
					   .ctx = &which};
	cab_err_init(&err);
	CHECK_INT(write_jobs_hooked(&b, 3, &hook, dir, &err), CAB_EINTERNAL);
	CHECK_STR(err.text,
		  "worker 2: failing on purpose (CABINE_TEST_FAIL_WORKER)\n");
	cab_err_release(&err);
	rm_rf(dir);
	/* With one process there is no worker to fail. */
	cab_err_init(&err);
	CHECK_INT(write_jobs_hooked(&b, 1, &hook, dir, &err), CAB_OK);
	cab_err_release(&err);
	rm_rf(dir);
	fixture_release(&b.f);
}

/* Gaps in the data are said under the total, in the participant's
 * language, only when there are any: h01 (fr) misses 3 of 192
 * quarter-hours and had 2 filled; the other participant (nl) none. */
TEST(missing_and_filled_intervals_are_said_under_the_total)
{
	struct fixture f;
	fixture_init(&f, 192, "h02");
	f.p[0].missing_intervals = 12345; /* grouped: 12 345 */
	f.p[0].filled_intervals = 2;
	char dir[64], path[512];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	invoice_path(dir, "h01", path, sizeof(path));
	char *strs = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(strs && strstr(strs, "Données manquantes : 12\xE2\x80\xAF"
				   "345 "
				   "quarts d'heure sur 192 sans mesure "
				   "valide") != NULL);
	CHECK(strs && strstr(strs, "Données complétées (estimées) : 2 quarts "
				   "d'heure") != NULL);
	free(strs);
	invoice_path(dir, "h02", path, sizeof(path));
	strs = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(strs && strstr(strs, "Ontbrekende") == NULL);
	CHECK(strs && strstr(strs, "Aangevulde") == NULL);
	free(strs);
	rm_rf(dir);
	fixture_release(&f);
}

static const struct harness_test tests[] = {
    T(missing_and_filled_intervals_are_said_under_the_total),
    T(worker_processes_write_the_same_bytes),
    T(started_invoices_end_with_the_same_bytes_or_are_abandoned),
    T(a_failing_worker_fails_the_write),
    T(pot_member_sees_the_key_and_its_share),
    T(one_workbook_per_participant_under_safe_names),
    T(writing_twice_gives_identical_bytes),
    T(invoice_sheet_xml_matches_golden),
    T(sheet_holds_amounts_and_french_labels),
    T(participant_language_and_override),
    T(average_day_is_mean_by_local_quarter_hour),
    T(average_day_follows_summer_time),
    T(unwritable_directory_is_an_io_error),
    T(full_disk_is_one_line_and_nothing_raw),
};

HARNESS_MAIN("test_xlsx", tests)
