/*
 * test_pack.c — reports/xlsx/pack.c, the workbook closed in memory: the
 * same parts, byte for byte, as libxlsxwriter's workbook_close() (under
 * the same names, in the same order; compressed otherwise), on workbooks
 * built twice by the same code and closed once each way; its
 * number printing against printf ("%.16G"); its cache reused across
 * workbooks; its errors. The invoices themselves, written by cabine's
 * invoice writer both ways: every golden invoice (tests/golden/invoices/:
 * shared, producer, pot × fr, nl, en, with the golden's own parts), the
 * operator's invoices (issuer, numbers, statements, structured
 * communication: tests/data/samples/operator) in every language, and the
 * demo's 61 households with two worker processes.
 */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabine/demo.h"
#include "cabine/report.h"
#include "cabine/run.h"
#include "cabine/scenario.h"
#include "cabine/source.h"
#include "harness.h"
#include "invoice_run.h"
#include "reports/xlsx/pack.h"
#include "xlsx_read.h"

/* libxlsxwriter prints its warnings and errors: silenced around the
 * calls that are meant to make it speak (restore with the result). */
static int quiet(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	return saved;
}

static void unquiet(int saved)
{
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}

/* A builder fills a new workbook the same way every time. */
typedef void (*build_fn)(lxw_workbook *wb);

static char dir[64];

/* Build twice, close with workbook_close and with cab_pack_close (cache
 * may be NULL), and say whether the files hold the same parts. */
static bool same_both_ways(build_fn build, struct cab_pack_cache *cache,
			   bool expect_packed)
{
	char a[128], b[128];
	snprintf(a, sizeof a, "%s/reference.xlsx", dir);
	snprintf(b, sizeof b, "%s/packed.xlsx", dir);
	lxw_workbook_options o = {.tmpdir = dir};
	lxw_workbook *wa = workbook_new_opt(a, &o);
	lxw_workbook *wb = workbook_new_opt(b, &o);
	if (!wa || !wb)
		return false;
	build(wa);
	build(wb);
	CHECK(cab_pack_is_supported(wb) == expect_packed);
	CHECK_INT(workbook_close(wa), LXW_NO_ERROR);
	CHECK_INT(cab_pack_close(wb, cache), LXW_NO_ERROR);
	size_t na = 0, nb = 0;
	char *x = xr_read_file(a, &na), *y = xr_read_file(b, &nb);
	/* The same parts; compressed by libdeflate, a little bigger. */
	bool same = x && y && na > 500 && xr_same_parts(a, b) &&
		    (expect_packed ? nb < na + na / 8 : nb == na);
	if (!same)
		fprintf(stderr, "  %s (%zu bytes) and %s (%zu) differ\n", a, na,
			b, nb);
	free(x);
	free(y);
	unlink(a);
	unlink(b);
	return same;
}

/* Text (escaped, spaced, accented, control characters, rich, repeated),
 * numbers (integers, decimals, tiny,
 * huge, −0), blanks with a format, formats from the row and the column,
 * rows with a height or hidden, a second sheet with a quoted name. */
static void build_cells(lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Données & co");
	lxw_worksheet *w2 = workbook_add_worksheet(wb, "O'Neil 2");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *eur = workbook_add_format(wb);
	format_set_num_format(eur, "#,##0.00 €");
	lxw_format *fill = workbook_add_format(wb);
	format_set_bg_color(fill, 0xDDEBF7);
	format_set_bottom(fill, LXW_BORDER_THIN);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 3, 4, 12, eur);
	worksheet_set_row(ws, 5, 30, bold);
	worksheet_set_row_opt(ws, 6, LXW_DEF_ROW_HEIGHT, NULL,
			      &(lxw_row_col_options){.hidden = 1});
	worksheet_write_string(ws, 0, 0, "a < b & c > d", bold);
	worksheet_write_string(ws, 1, 0, "  leading and trailing  ", NULL);
	worksheet_write_string(ws, 2, 0, "Énergie partagée ☀", fill);
	worksheet_write_string(ws, 2, 1, "a\x01control\x1f", NULL);
	worksheet_write_string(ws, 2, 2, "\tleading tab", NULL);
	worksheet_write_string(ws, 2, 3, "a < b & c > d", NULL); /* again */
	lxw_rich_string_tuple f1 = {.format = NULL, .string = "plain "};
	lxw_rich_string_tuple f2 = {.format = bold, .string = "bold & <b>"};
	lxw_rich_string_tuple *rich[] = {&f1, &f2, NULL};
	worksheet_write_rich_string(ws, 1, 5, rich, NULL);
	const double x[] = {0,
			    -0.0,
			    1,
			    -1,
			    60,
			    81.06,
			    1e-9,
			    1.5e-7,
			    0.1234,
			    1e15,
			    1e21,
			    -2.5e-5,
			    1.0 / 3,
			    2.0 / 3,
			    123456789.125,
			    0.30000000000000004};
	for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) {
		worksheet_write_number(ws, (lxw_row_t)(3 + i), 1, x[i], NULL);
		worksheet_write_number(ws, (lxw_row_t)(3 + i), 3, x[i], eur);
	}
	worksheet_write_blank(ws, 2, 4, fill);
	worksheet_write_blank(ws, 2, 5, NULL);	    /* not written at all */
	worksheet_write_number(ws, 5, 2, 7, NULL);  /* the row's format */
	worksheet_write_number(ws, 40, 6, 8, NULL); /* another 16-row block */
	worksheet_write_number(ws, 41, 1, 9, NULL);
	worksheet_write_string(w2, 0, 0, "other sheet", NULL);
	worksheet_hide(w2);
}

/* Print areas of three kinds, print titles, an autofilter, page set-up,
 * panes, conditional formats, a merged range, the second sheet active. */
static void build_printing(lxw_workbook *wb)
{
	lxw_worksheet *a = workbook_add_worksheet(wb, "A");
	lxw_worksheet *b = workbook_add_worksheet(wb, "B sheet");
	lxw_worksheet *c = workbook_add_worksheet(wb, "C");
	for (lxw_row_t r = 0; r < 30; r++)
		for (lxw_col_t k = 0; k < 4; k++) {
			worksheet_write_number(a, r, k, r * 4 + k - 50, NULL);
			worksheet_write_number(b, r, k, r - k, NULL);
			worksheet_write_number(c, r, k, r + k, NULL);
		}
	worksheet_print_area(a, 0, 0, 29, 3);
	worksheet_print_area(b, 0, 1, LXW_ROW_MAX - 1, 2);
	worksheet_print_area(c, 2, 0, 9, LXW_COL_MAX - 1);
	worksheet_repeat_rows(a, 0, 1);
	worksheet_repeat_columns(b, 0, 0);
	worksheet_repeat_rows(c, 0, 0);
	worksheet_repeat_columns(c, 0, 1);
	worksheet_autofilter(a, 0, 0, 29, 3);
	worksheet_set_landscape(a);
	worksheet_set_paper(a, 9);
	worksheet_set_margins(a, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(a, 1, 0);
	lxw_row_t breaks[] = {10, 20, 0};
	worksheet_set_h_pagebreaks(a, breaks);
	worksheet_freeze_panes(b, 1, 1);
	lxw_format *red = workbook_add_format(wb);
	format_set_font_color(red, 0x9C0006);
	lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
				     .criteria =
					 LXW_CONDITIONAL_CRITERIA_GREATER_THAN,
				     .value = 0,
				     .format = red};
	worksheet_conditional_format_range(a, 0, 0, 29, 3, &cf);
	worksheet_merge_range(c, 12, 0, 12, 3, "merged", NULL);
	worksheet_activate(b);
}

/* Charts: columns and lines on text categories, numeric categories,
 * scatter points, a title and a series name from cells, a 2-D range (no
 * cache), empty and text cells inside value ranges, charts on two
 * sheets, one reading the other sheet. */
static void build_charts(lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Facture");
	lxw_worksheet *data = workbook_add_worksheet(wb, "data");
	const char *months[] = {"janvier 2024", "février & co", "mars <3"};
	for (lxw_row_t r = 0; r < 3; r++) {
		worksheet_write_string(ws, r + 1, 0, months[r], NULL);
		worksheet_write_number(ws, r + 1, 1, 10.5 * (r + 1), NULL);
		worksheet_write_number(ws, r + 1, 2, 1.0 / (r + 3), NULL);
	}
	worksheet_write_string(ws, 0, 1, "Consommation", NULL);
	worksheet_write_string(ws, 2, 2, "text among numbers", NULL);
	for (lxw_row_t r = 0; r < 96; r++) {
		char hhmm[8];
		snprintf(hhmm, sizeof hhmm, "%02u:%02u", r / 4, r % 4 * 15);
		worksheet_write_string(data, r + 1, 0, hhmm, NULL);
		if (r != 9) /* an empty slot: no point */
			worksheet_write_number(data, r + 1, 1,
					       sin(r / 7.0) * 0.01, NULL);
		worksheet_write_number(data, r + 1, 2, r * 0.125, NULL);
	}
	lxw_chart *col = workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_chart_series *s =
	    chart_add_series(col, "=Facture!$A$2:$A$4", "=Facture!$B$2:$B$4");
	chart_series_set_name(s, "=Facture!$B$1");
	s = chart_add_series(col, NULL, NULL);
	chart_series_set_categories(s, "Facture", 1, 0, 3, 0);
	chart_series_set_values(s, "Facture", 1, 2, 3, 2);
	chart_series_set_name(s, "Complémentaire");
	chart_title_set_name(col, "=Facture!$A$2");
	chart_axis_set_name(col->y_axis, "kWh");
	chart_legend_set_position(col, LXW_CHART_LEGEND_BOTTOM);
	worksheet_insert_chart(ws, 6, 0, col);
	lxw_chart *line = workbook_add_chart(wb, LXW_CHART_LINE);
	s = chart_add_series(line, NULL, NULL);
	chart_series_set_categories(s, "data", 1, 0, 96, 0);
	chart_series_set_values(s, "data", 1, 1, 96, 1);
	s = chart_add_series(line, NULL, NULL);
	chart_series_set_categories(s, "data", 1, 2, 96, 2); /* numbers */
	chart_series_set_values(s, "data", 1, 2, 96, 2);
	s = chart_add_series(line, "=data!$A$2:$B$5", "=data!$B$2:$C$5");
	chart_axis_set_interval_unit(line->x_axis, 12);
	lxw_chart_options o = {.x_offset = 25, .x_scale = 0.9, .y_scale = 1.2};
	worksheet_insert_chart_opt(ws, 6, 3, line, &o);
	lxw_chart *sc = workbook_add_chart(wb, LXW_CHART_SCATTER);
	s = chart_add_series(sc, "=data!$C$2:$C$97", "=data!$B$2:$B$97");
	worksheet_insert_chart(data, 2, 5, sc);
	lxw_chart *unused = workbook_add_chart(wb, LXW_CHART_PIE);
	chart_add_series(unused, NULL, "=data!$B$2:$B$5"); /* never placed */
}

/* No chart, no string: no drawing, no sharedStrings.xml. */
static void build_numbers_only(lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	for (lxw_row_t r = 0; r < 200; r++)
		worksheet_write_number(ws, r, r % 5, r * 0.01, NULL);
}

/* A formula: not written by the packer (workbook_close instead). */
static void build_formula(lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_number(ws, 0, 0, 2, NULL);
	worksheet_write_formula(ws, 1, 0, "=A1*2", NULL);
}

/* A chart naming a sheet that does not exist: libxlsxwriter warns, so
 * workbook_close writes it. */
static void build_bad_chart(lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_number(ws, 0, 0, 2, NULL);
	lxw_chart *c = workbook_add_chart(wb, LXW_CHART_LINE);
	chart_add_series(c, NULL, "=Nowhere!$A$1:$A$3");
	worksheet_insert_chart(ws, 2, 2, c);
}

static void build_props(lxw_workbook *wb)
{
	lxw_doc_properties p = {.title = "Facture",
				.author = "cabine",
				.created = (time_t)1704067200};
	workbook_set_properties(wb, &p);
	build_cells(wb);
}

TEST(cells_and_formats_are_the_parts_of_workbook_close)
{
	CHECK(same_both_ways(build_cells, NULL, true));
	CHECK(same_both_ways(build_props, NULL, true));
	CHECK(same_both_ways(build_numbers_only, NULL, true));
}

TEST(defined_names_and_page_setup_are_the_parts_of_workbook_close)
{
	CHECK(same_both_ways(build_printing, NULL, true));
}

TEST(charts_and_their_caches_are_the_parts_of_workbook_close)
{
	CHECK(same_both_ways(build_charts, NULL, true));
}

/* What the packer does not write goes to workbook_close: same file. */
TEST(unsupported_workbooks_go_to_workbook_close)
{
	CHECK(same_both_ways(build_formula, NULL, false));
	int saved = quiet(); /* the warning of the missing sheet, twice */
	bool same = same_both_ways(build_bad_chart, NULL, false);
	unquiet(saved);
	CHECK(same);
}

/* One cache for many workbooks: the parts it reuses are the same bytes,
 * workbook after workbook, whatever came before. */
TEST(a_cache_reused_across_workbooks_gives_the_same_parts)
{
	struct cab_pack_cache *cache = cab_pack_cache_new();
	CHECK(cache != NULL);
	build_fn order[] = {build_cells,	build_charts,	build_props,
			    build_cells,	build_printing, build_charts,
			    build_numbers_only, build_cells};
	for (int round = 0; round < 3; round++)
		for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
			CHECK(same_both_ways(order[k], cache, true));
	cab_pack_cache_free(cache);
}

/* A file that cannot be created: the error workbook_close gives, and the
 * workbook is freed (valgrind/asan: no leak). */
TEST(a_file_that_cannot_be_created_is_the_same_error)
{
	lxw_workbook_options o = {.tmpdir = dir};
	lxw_workbook *wa = workbook_new_opt("/nonexistent/dir/a.xlsx", &o);
	lxw_workbook *wb = workbook_new_opt("/nonexistent/dir/b.xlsx", &o);
	build_cells(wa);
	build_cells(wb);
	CHECK_INT(cab_pack_close(wb, NULL), LXW_ERROR_CREATING_XLSX_FILE);
	int saved = quiet(); /* libxlsxwriter prints its own message */
	lxw_error e = workbook_close(wa);
	unquiet(saved);
	CHECK_INT(e, LXW_ERROR_CREATING_XLSX_FILE);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* cab_pack_g16 prints what printf's "%.16G" prints, on doubles of every
 * kind: random bit patterns, random magnitudes, cents, 6-decimal kWh,
 * short binary fractions (exact halfway cases of 16 digits: 2^-k
 * multiples), integers, and the edges of its fast range. */
TEST(numbers_print_as_printf_prints_them)
{
	long bad = 0, n = 0;
	char want[64], got[64];
	for (long i = 0; i < 600000; i++) {
		double x;
		uint64_t u = next();
		switch (i % 7) {
		case 0:
			memcpy(&x, &u, sizeof x);
			break;
		case 1:
			x = (double)(u >> 11) / 9007199254740992.0 *
			    pow(10, (int)(next() % 30) - 12);
			break;
		case 2:
			x = (double)(int64_t)(u % 100000000) / 100.0;
			break;
		case 3:
			x = (double)(int64_t)(u % 10000000000ull) / 1e6;
			break;
		case 4:
			x = ldexp((double)(u % 1000003), -(int)(next() % 60));
			break;
		case 5: /* odd / 4 near 1e14: x·10 ends in exactly .5 */
			x = (double)((u % 3600000000000000ull) | 1) / 4 + 1e14;
			break;
		default:
			x = (double)(int64_t)(u % 2000000000000000ull) - 1e15;
			break;
		}
		if (next() & 1)
			x = -x;
		snprintf(want, sizeof want, "%.16G", x);
		cab_pack_g16(x, got);
		n++;
		if (strcmp(want, got) != 0 && bad++ < 5)
			fprintf(stderr, "  %a: printf %s, cab_pack_g16 %s\n", x,
				want, got);
	}
	const double edge[] = {0,
			       -0.0,
			       1e-7,
			       nextafter(1e-7, 0),
			       1e15,
			       nextafter(1e15, 0),
			       9.9999999999999995,
			       0.5,
			       100000000000000.25,
			       100000000000000.75,
			       1e300,
			       5e-324,
			       INFINITY,
			       -INFINITY,
			       NAN};
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		snprintf(want, sizeof want, "%.16G", edge[i]);
		cab_pack_g16(edge[i], got);
		n++;
		if (strcmp(want, got) != 0 && bad++ < 10)
			fprintf(stderr, "  %a: printf %s, cab_pack_g16 %s\n",
				edge[i], want, got);
	}
	CHECK_INT(bad, 0);
	CHECK(n > 600000);
	/* The halfway cases round to even, as printf does. */
	cab_pack_g16(100000000000000.25, got);
	CHECK_STR(got, "100000000000000.2");
	cab_pack_g16(100000000000000.75, got);
	CHECK_STR(got, "100000000000000.8");
}

/* ---- the invoices, written by cabine both ways ---- */

static const char *const LANGS[3] = {"fr", "nl", "en"};

#define SHARED "tests/golden/invoices/scenario.json"
#define POT "scenarios/pot-example/scenario.json"
#define OPERATOR "tests/data/samples/operator/scenario.json"

/* Does member of xlsx hold the bytes of tests/golden/invoices/name? */
static bool is_golden(const char *xlsx, const char *member, const char *name)
{
	char path[160];
	snprintf(path, sizeof path, "tests/golden/invoices/%s", name);
	size_t n = 0;
	char *got = xr_member(xlsx, member), *want = xr_read_file(path, &n);
	bool same =
	    got && want && strlen(got) == n && memcmp(got, want, n) == 0;
	if (!same)
		fprintf(stderr, "  %s of %s is not %s\n", member, xlsx, path);
	free(got);
	free(want);
	return same;
}

/* Run `scenario` (participant 0 named as in the goldens when is_named)
 * and write its invoices in lang with `jobs` worker processes twice,
 * through reports/xlsx/pack.c and through libxlsxwriter's
 * workbook_close (is_xlsx_reference). Returns how many workbooks hold the
 * same parts both ways (*n: the participants). With golden_id, that
 * participant's packed sheet and strings must also be the goldens
 * <mode>_<lang>_sheet1.xml and _strings.xml (else it is not counted). */
static size_t invoices_both_ways(const char *scenario, bool is_named, int lang,
				 int jobs, const char *golden_id,
				 const char *mode, size_t *n)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc;
	struct cab_readings *rd;
	struct cab_run *run;
	char a[64] = "/tmp/test_pack-inv-XXXXXX";
	char b[64] = "/tmp/test_pack-ref-XXXXXX";
	bool ok = invoice_run(scenario, is_named, &sc, &rd, &run, &err) &&
		  mkdtemp(a) && mkdtemp(b);
	struct cab_report_opts o = {.lang = lang, .jobs = jobs};
	ok = ok && cab_report_invoices_xlsx.write(run, &o, a, &err) == CAB_OK;
	o.is_xlsx_reference = true;
	ok = ok && cab_report_invoices_xlsx.write(run, &o, b, &err) == CAB_OK;
	if (!ok)
		fprintf(stderr, "  %s", err.text ? err.text : "failed\n");
	size_t same = 0;
	*n = ok ? run->n : 0;
	for (size_t i = 0; ok && i < run->n; i++) {
		const char *id = sc->participants[i].id;
		char safe[128], pa[256], pb[256], name[96];
		cab_report_safe_name(id, safe, sizeof safe);
		snprintf(pa, sizeof pa, "%s/invoices/%s.xlsx", a, safe);
		snprintf(pb, sizeof pb, "%s/invoices/%s.xlsx", b, safe);
		bool is_same = xr_same_parts(pa, pb);
		if (is_same && golden_id && strcmp(id, golden_id) == 0) {
			snprintf(name, sizeof name, "%s_%s_sheet1.xml", mode,
				 LANGS[lang]);
			is_same =
			    is_golden(pa, "xl/worksheets/sheet1.xml", name);
			snprintf(name, sizeof name, "%s_%s_strings.xml", mode,
				 LANGS[lang]);
			is_same = is_golden(pa, "xl/sharedStrings.xml", name) &&
				  is_same;
		}
		same += is_same;
	}
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", a, b);
	if (ok && system(cmd) != 0)
		fprintf(stderr, "  cannot remove %s and %s\n", a, b);
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
	return same;
}

/* Every golden invoice, mode × language: the packed workbook is the
 * golden and holds, part by part, what workbook_close writes; so do the
 * other participants of the golden runs. */
TEST(every_golden_invoice_is_packed_as_workbook_close_writes_it)
{
	static const char *const golden[3][3] = {{SHARED, "a", "shared"},
						 {SHARED, "b", "producer"},
						 {POT, "c", "pot"}};
	for (int g = 0; g < 3; g++)
		for (int lang = CAB_LANG_FR; lang <= CAB_LANG_EN; lang++) {
			size_t n = 0;
			size_t same =
			    invoices_both_ways(golden[g][0], true, lang, 1,
					       golden[g][1], golden[g][2], &n);
			CHECK_INT(same, n);
			CHECK(n >= 2);
		}
}

/* The operator's invoices (SPEC §13: issuer block, numbers, dates,
 * structured communication; ecole, a producer, gets a statement), in
 * each participant's language (-1) and in each language; the unnamed
 * golden runs in each participant's language; the demo's 61 households
 * of every kind with two worker processes. */
TEST(operator_pot_and_demo_invoices_are_packed_as_workbook_close_writes_them)
{
	size_t n = 0;
	for (int lang = -1; lang <= CAB_LANG_EN; lang++) {
		CHECK_INT(invoices_both_ways(OPERATOR, false, lang, 1, NULL,
					     NULL, &n),
			  5);
		CHECK_INT(n, 5);
	}
	CHECK_INT(invoices_both_ways(SHARED, false, -1, 1, NULL, NULL, &n), 2);
	CHECK_INT(n, 2);
	size_t same = invoices_both_ways(POT, false, -1, 1, NULL, NULL, &n);
	CHECK_INT(same, n);
	CHECK(n >= 3);
	char demo[64] = "/tmp/test_pack-demo-XXXXXX";
	struct cab_err err;
	cab_err_init(&err);
	CHECK(mkdtemp(demo) != NULL);
	CHECK_INT(cab_demo_write(demo, &err), CAB_OK);
	char path[128], cmd[128];
	snprintf(path, sizeof path, "%s/scenario.json", demo);
	CHECK_INT(invoices_both_ways(path, false, -1, 2, NULL, NULL, &n), 61);
	CHECK_INT(n, 61);
	cab_err_release(&err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", demo);
	CHECK_INT(system(cmd), 0);
}

static const struct harness_test tests[] = {
    T(numbers_print_as_printf_prints_them),
    T(cells_and_formats_are_the_parts_of_workbook_close),
    T(defined_names_and_page_setup_are_the_parts_of_workbook_close),
    T(charts_and_their_caches_are_the_parts_of_workbook_close),
    T(unsupported_workbooks_go_to_workbook_close),
    T(a_cache_reused_across_workbooks_gives_the_same_parts),
    T(a_file_that_cannot_be_created_is_the_same_error),
    T(every_golden_invoice_is_packed_as_workbook_close_writes_it),
    T(operator_pot_and_demo_invoices_are_packed_as_workbook_close_writes_them),
};

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_pack-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	int rc =
	    harness_main("test_pack", tests, sizeof tests / sizeof tests[0]);
	rmdir(dir);
	return rc;
}
