/*
 * test_compare.c — compare.csv and compare.xlsx (`cabine compare`): the
 * CSV rows exactly (sorted by id, then base and variants in scenario
 * order), the workbook's sheets (comparison first, then one per run under
 * a name Excel accepts), its bills, spread and colours, reproducible bytes.
 * The runs and scenario are built by hand: no engine needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/report.h"
#include "harness.h"

#define N_RUNS 3

/* Scenario order "h02" then "h01": the outputs sort by id. */
struct fixture {
	struct cab_scenario sc;
	struct cab_participant parts[2];
	struct cab_run runs[N_RUNS];
	struct cab_participant_result p[N_RUNS][2];
	const struct cab_run *list[N_RUNS];
};

/* Bills in cents per run (base, "key: fixed/1", individual) for h02, h01;
 * baselines h02 = 10.00, h01 = 20.00 in every run (they do not depend on
 * the variant); individual billing gives bill = baseline. */
static const int64_t BILL[N_RUNS][2] = {
    {950, 1725}, {1080, 1690}, {1000, 2000}};
static const int64_t BASELINE[2] = {1000, 2000};

static void fixture_init(struct fixture *f, const char *v1, const char *v2)
{
	memset(f, 0, sizeof(*f));
	f->sc.name = "coin-du-balai";
	f->parts[0].id = "h02";
	f->parts[1].id = "h01";
	f->sc.n_participants = 2;
	f->sc.participants = f->parts;
	const char *names[N_RUNS] = {NULL, v1, v2};
	for (size_t r = 0; r < N_RUNS; r++) {
		struct cab_run *run = &f->runs[r];
		run->sc = &f->sc;
		run->variant = names[r];
		snprintf(run->sharing.key, sizeof(run->sharing.key), "%s",
			 r == 1 ? "fixed" : "proportional");
		run->billing.mode =
		    r == 2 ? CAB_BILLING_INDIVIDUAL : CAB_BILLING_SHARED;
		run->n = 2;
		run->p = f->p[r];
		run->ind.self_consumption_rate = 0.5;
		run->ind.self_sufficiency_rate = NAN; /* left empty */
		for (size_t i = 0; i < 2; i++) {
			struct cab_participant_result *p = &f->p[r][i];
			p->bill.total_cents = BILL[r][i];
			p->baseline.total_cents = BASELINE[i];
			p->delta_cents = BILL[r][i] - BASELINE[i];
			p->total.consumption_kwh = 40.0 + (double)i;
			p->total.shared_kwh = r == 2 ? 0 : 12.5;
			run->total_bill_cents += BILL[r][i];
			run->total_baseline_cents += BASELINE[i];
		}
		f->list[r] = run;
	}
}

static char *slurp_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
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
	if (buf) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

static void rm_rf(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* Write compare.csv and compare.xlsx into a fresh temporary dir (tmpl). */
static enum cab_status write_into(struct fixture *f, int lang, char *tmpl)
{
	strcpy(tmpl, "/tmp/cabine-compare-XXXXXX");
	if (!mkdtemp(tmpl))
		return CAB_EIO;
	struct cab_report_opts o = {.lang = lang};
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st =
	    cab_report_compare_write(f->list, N_RUNS, &o, tmpl, &err);
	if (st != CAB_OK)
		fprintf(stderr, "  %s", err.text ? err.text : "?\n");
	cab_err_release(&err);
	return st;
}

TEST(writers_are_csv_then_xlsx)
{
	const struct cab_report_compare_ops *const *w =
	    cab_report_compare_writers();
	CHECK(w[0] == &cab_report_compare_csv);
	CHECK(w[1] == &cab_report_compare_xlsx);
	CHECK(w[2] == NULL);
	CHECK_STR(w[0]->name, "compare.csv");
	CHECK_STR(w[1]->name, "compare.xlsx");
}

/* Rows by id (h01 before h02), then base and the variants in scenario
 * order; delta = bill − baseline: 17.25 − 20.00 = −2.75, 16.90 − 20.00 =
 * −3.10, 9.50 − 10.00 = −0.50, 10.80 − 10.00 = 0.80; a variant name with
 * a comma is quoted. */
TEST(csv_rows_sorted_by_participant_then_run)
{
	struct fixture f;
	fixture_init(&f, "key: fixed/1, weights", "individual");
	char dir[64], path[128];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/compare.csv", dir);
	size_t n = 0;
	char *csv = read_file(path, &n);
	CHECK_STR(csv, "participant,variant,bill_eur,baseline_eur,delta_eur\n"
		       "h01,base,17.25,20.00,-2.75\n"
		       "h01,\"key: fixed/1, weights\",16.90,20.00,-3.10\n"
		       "h01,individual,20.00,20.00,0.00\n"
		       "h02,base,9.50,10.00,-0.50\n"
		       "h02,\"key: fixed/1, weights\",10.80,10.00,0.80\n"
		       "h02,individual,10.00,10.00,0.00\n");
	free(csv);
	rm_rf(dir);
}

/* First sheet "Comparaison" (fr by default), then one sheet per run:
 * "base", the variant with ':' and '/' replaced, "individual". */
TEST(sheets_comparison_then_one_per_run_with_safe_names)
{
	struct fixture f;
	fixture_init(&f, "key: fixed/1, weights", "individual");
	char dir[64], path[128];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/compare.xlsx", dir);
	char *book = unzip_member(path, "xl/workbook.xml");
	CHECK(book != NULL);
	if (book) {
		char *a = strstr(book, "name=\"Comparaison\"");
		char *b = strstr(book, "name=\"base\"");
		char *c = strstr(book, "name=\"key_ fixed_1, weights\"");
		char *d = strstr(book, "name=\"individual\"");
		CHECK(a && b && c && d && a < b && b < c && c < d);
	}
	free(book);
	rm_rf(dir);
}

/* Long names are cut to 31 characters, never inside a UTF-8 character;
 * a name equal to another sheet's but for case (Excel sees them as the
 * same) gets "~2". */
TEST(sheet_names_cut_to_31_characters_and_kept_unique)
{
	struct fixture f;
	fixture_init(&f, "répartition proportionnelle aux besoins",
		     "COMPARAISON");
	char dir[64], path[128];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/compare.xlsx", dir);
	char *book = unzip_member(path, "xl/workbook.xml");
	CHECK(book && strstr(book, "name=\"Comparaison\"") != NULL);
	/* 31 characters: "répartition proportionnelle aux" */
	CHECK(book && strstr(book, "name=\"répartition proportionnelle "
				   "aux\"") != NULL);
	CHECK(book && strstr(book, "name=\"COMPARAISON~2\"") != NULL);
	free(book);
	rm_rf(dir);
}

/* Comparison sheet, row 6 = h01 (header in row 5): alone 20, bills 17.25
 * 16.9 20, spread 20 − 16.9 = 3.1, differences −2.75 −3.1 0. Totals: alone
 * 10 + 20 = 30, bills 9.5 + 17.25 = 26.75, 10.8 + 16.9 = 27.7, 30;
 * spread 30 − 26.75 = 3.25. */
TEST(comparison_sheet_holds_bills_spread_and_colours)
{
	struct fixture f;
	fixture_init(&f, "fixed", "individual");
	char dir[64], path[128];
	CHECK_INT(write_into(&f, -1, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/compare.xlsx", dir);
	char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
	char *strs = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(sheet && strs);
	if (sheet && strs) {
		char *row = strstr(sheet, "<row r=\"6\"");
		CHECK(row && strstr(row, "<c r=\"B6\" s=\"5\"><v>20</v>"));
		CHECK(row && strstr(row, "<c r=\"C6\" s=\"5\"><v>17.25</v>"));
		CHECK(row && strstr(row, "<c r=\"D6\" s=\"5\"><v>16.9</v>"));
		CHECK(row && strstr(row, "<c r=\"E6\" s=\"5\"><v>20</v>"));
		CHECK(row && strstr(row, "<c r=\"F6\" s=\"5\"><v>3.1</v>"));
		CHECK(row && strstr(row, "<c r=\"G6\" s=\"5\"><v>-2.75</v>"));
		CHECK(row && strstr(row, "<c r=\"H6\" s=\"5\"><v>-3.1</v>"));
		CHECK(row && strstr(row, "<c r=\"I6\" s=\"5\"><v>0</v>"));
		row = strstr(sheet, "<row r=\"8\"");
		CHECK(row && strstr(row, "<c r=\"B8\" s=\"7\"><v>30</v>"));
		CHECK(row && strstr(row, "<v>26.75</v>"));
		CHECK(row && strstr(row, "<v>27.7</v>"));
		CHECK(row && strstr(row, "<c r=\"F8\" s=\"7\"><v>3.25</v>"));
		/* Green below 0, red above, on the differences; the bills
		 * against column B. */
		CHECK(strstr(sheet, "sqref=\"G6:I8\"") != NULL);
		CHECK(strstr(sheet, "operator=\"lessThan\"") != NULL);
		CHECK(strstr(sheet, "operator=\"greaterThan\"") != NULL);
		CHECK(strstr(sheet, "<formula>C6&lt;$B6</formula>") != NULL);
		CHECK(strstr(strs, "Seul (€)") != NULL);
		CHECK(strstr(strs, "fixed − seul (€)") != NULL);
		CHECK(strstr(strs, "coin-du-balai") != NULL);
	}
	free(sheet);
	free(strs);
	char *styles = unzip_member(path, "xl/styles.xml");
	CHECK(styles && strstr(styles, "FFC6EFCE") != NULL); /* green */
	CHECK(styles && strstr(styles, "FFFFC7CE") != NULL); /* red */
	free(styles);
	char *chart = unzip_member(path, "xl/charts/chart1.xml");
	CHECK(chart && strstr(chart, "<c:barDir val=\"col\"/>") != NULL);
	CHECK(chart &&
	      strstr(chart, "<c:grouping val=\"clustered\"/>") != NULL);
	CHECK(chart && strstr(chart, "Comparaison!$D$6:$D$7") != NULL);
	free(chart);
	rm_rf(dir);
}

/* The variant's sheet (sheet3 = "fixed"): its bills, baselines and
 * differences by id, its collective self-consumption rate 0.5; the NaN
 * self-sufficiency rate is left empty. */
TEST(variant_sheet_holds_its_bills_and_indicators)
{
	struct fixture f;
	fixture_init(&f, "fixed", "individual");
	char dir[64], path[128];
	CHECK_INT(write_into(&f, CAB_LANG_NL, dir), CAB_OK);
	snprintf(path, sizeof(path), "%s/compare.xlsx", dir);
	char *sheet = unzip_member(path, "xl/worksheets/sheet3.xml");
	char *strs = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(sheet && strs);
	if (sheet && strs) {
		char *row = strstr(sheet, "<row r=\"6\"");
		CHECK(row && strstr(row, "<v>16.9</v>"));
		CHECK(row && strstr(row, "<v>-3.1</v>"));
		row = strstr(sheet, "<row r=\"7\"");
		CHECK(row && strstr(row, "<v>10.8</v>"));
		CHECK(row && strstr(row, "<v>0.8</v>"));
		/* Style 10: the percentage (style 7 is the totals row's kWh
		 * format, bold with 3 decimals like the rows above it). */
		CHECK(strstr(sheet, "<c r=\"B10\" s=\"10\"><v>0.5</v>") !=
		      NULL);
		CHECK(strstr(sheet, "r=\"B11\"") == NULL);
		CHECK(strstr(strs, "Zelfvoorzieningsgraad") != NULL);
		CHECK(strstr(strs, "Verdeelsleutel") != NULL);
	}
	free(sheet);
	free(strs);
	rm_rf(dir);
}

TEST(writing_twice_gives_identical_bytes)
{
	struct fixture f;
	fixture_init(&f, "fixed", "individual");
	char d1[64], d2[64], p1[128], p2[128];
	CHECK_INT(write_into(&f, -1, d1), CAB_OK);
	CHECK_INT(write_into(&f, -1, d2), CAB_OK);
	snprintf(p1, sizeof(p1), "%s/compare.xlsx", d1);
	snprintf(p2, sizeof(p2), "%s/compare.xlsx", d2);
	size_t n1 = 0, n2 = 0;
	char *a = read_file(p1, &n1), *b = read_file(p2, &n2);
	CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
	free(a);
	free(b);
	rm_rf(d1);
	rm_rf(d2);
}

TEST(unwritable_directory_is_an_io_error)
{
	struct fixture f;
	fixture_init(&f, "fixed", "individual");
	struct cab_report_opts o = {.lang = -1};
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_report_compare_xlsx.write(f.list, N_RUNS, &o,
						"/nonexistent/cabine", &err),
		  CAB_EIO);
	CHECK(err.text &&
	      strstr(err.text, "/nonexistent/cabine/compare.xlsx") != NULL);
	cab_err_release(&err);
	cab_err_init(&err);
	CHECK_INT(cab_report_compare_csv.write(f.list, N_RUNS, &o,
					       "/nonexistent/cabine", &err),
		  CAB_EIO);
	CHECK(err.text &&
	      strstr(err.text, "/nonexistent/cabine/compare.csv") != NULL);
	cab_err_release(&err);
}

static const struct harness_test tests[] = {
    T(writers_are_csv_then_xlsx),
    T(csv_rows_sorted_by_participant_then_run),
    T(sheets_comparison_then_one_per_run_with_safe_names),
    T(sheet_names_cut_to_31_characters_and_kept_unique),
    T(comparison_sheet_holds_bills_spread_and_colours),
    T(variant_sheet_holds_its_bills_and_indicators),
    T(writing_twice_gives_identical_bytes),
    T(unwritable_directory_is_an_io_error),
};

HARNESS_MAIN("test_compare", tests)
