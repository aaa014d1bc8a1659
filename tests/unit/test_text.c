/*
 * test_text.c — texts on their way to an output (SPEC §11, issue 11):
 * the one check a text passes when it is loaded (engine/base/text.c),
 * the CSV text field every CSV writer uses (cab_report_csv_text), file
 * names that open on Windows too, and sheet names Excel accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "cabine/report.h"
#include "cabine/scenario.h"
#include "engine/base/text.h"
#include "harness.h"
#include "reports/xlsx/book.h"

/* The problem found in s (len bytes), or "" when it is fine. */
static const char *problem(const char *s, size_t len)
{
	static char why[160];
	return cab_text_problem(s, len, why, sizeof(why)) ? why : "";
}

TEST(printable_unicode_passes)
{
	const char *ok[] = {"h01",
			    "Coin du Balai — 3ᵉ étage",
			    "Ωmega",
			    "\xF0\x9F\x8C\x9E soleil",
			    "=HYPERLINK(\"x\")",
			    "U+FFFD \xEF\xBF\xBD",
			    "\xEF\xBF\xBD"};
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
		CHECK_STR(problem(ok[k], strlen(ok[k])), "");
}

/* Each case: the bytes, how many, what is said. */
TEST(what_xml_cannot_hold_is_named)
{
	static const struct {
		const char *s;
		size_t len;
		const char *why;
	} cases[] = {
	    {"a\x01"
	     "b",
	     3,
	     "holds control character U+0001 at character 2 (expected "
	     "printable text)"},
	    {"tab\there", 8,
	     "holds control character U+0009 at character 4 (expected "
	     "printable text)"},
	    {"del\x7f", 4,
	     "holds control character U+007F at character 4 (expected "
	     "printable text)"},
	    /* C1: U+0085 (NEL) is C2 85 in UTF-8. */
	    {"x\xC2\x85y", 4,
	     "holds control character U+0085 at character 2 (expected "
	     "printable text)"},
	    {"\xEF\xBF\xBF", 3,
	     "holds non-character U+FFFF at character 1 (expected printable "
	     "text)"},
	    {"\xEF\xBF\xBE", 3,
	     "holds non-character U+FFFE at character 1 (expected printable "
	     "text)"},
	    /* A surrogate written in UTF-8 (CESU), which cJSON lets
	     * through. */
	    {"rue-\xED\xA0\x80", 7,
	     "holds lone surrogate U+D800 at character 5 (expected printable "
	     "text)"},
	    {"a\0b", 3,
	     "holds a NUL character (\\u0000) at character 2 (expected "
	     "printable text)"},
	    {"\xFF", 1,
	     "holds invalid UTF-8 (byte 0xff) at character 1 (expected "
	     "printable text)"},
	    /* Overlong '/' (C0 AF), a truncated é, beyond U+10FFFF. */
	    {"\xC0\xAF", 2,
	     "holds invalid UTF-8 (byte 0xc0) at character 1 (expected "
	     "printable text)"},
	    {"caf\xC3", 4,
	     "holds invalid UTF-8 (byte 0xc3) at character 4 (expected "
	     "printable text)"},
	    {"\xF4\x90\x80\x80", 4,
	     "holds invalid UTF-8 (byte 0xf4) at character 1 (expected "
	     "printable text)"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		CHECK_STR(problem(cases[k].s, cases[k].len), cases[k].why);
}

/* 32,767 characters fit in an Excel cell; one more does not (counted in
 * characters, not bytes: é is two bytes). */
TEST(excel_cell_limit_in_characters)
{
	size_t n = CAB_TEXT_MAX_CHARS + 1;
	char *s = malloc(2 * n + 1);
	CHECK(s != NULL);
	if (!s)
		return;
	for (size_t k = 0; k < n; k++)
		memcpy(s + 2 * k, "\xC3\xA9", 2);
	CHECK_STR(problem(s, 2 * (n - 1)), "");
	CHECK_STR(problem(s, 2 * n), "is 32768 characters long (expected at "
				     "most 32767, Excel's limit for a cell)");
	free(s);
}

/* The scenario loader checks every string with it, and finds the NUL
 * that cJSON would have cut a string at. */
TEST(the_loader_checks_every_string)
{
	const char *json =
	    "{\"name\": \"n\\u0000x\", \"period\": {\"start\": \"2024-03-05\", "
	    "\"end\": \"2024-03-06\"}, \"readings\": \"r\\u0085.csv\", "
	    "\"participants\": [{\"id\": \"a\\u001fb\"}, {\"id\": "
	    "\"ok\"}], \"groups\": {\"g\\u0007\": [\"ok\"]}, \"tariff\": "
	    "{\"supplier_day_eur_kwh\": 0.2, \"network_eur_kwh\": 0.1, "
	    "\"network_shared_eur_kwh\": {\"A\": 0, \"B\": 0, \"C\": 0, "
	    "\"D\": 0}, \"taxes_eur_kwh\": 0, \"injection_eur_kwh\": 0}}";
	struct cab_scenario *sc = NULL;
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_scenario_parse("s.json", json, strlen(json), &sc, &err),
		  CAB_EINPUT);
	CHECK_STR(err.text,
		  "s.json: $.name: text holds a NUL character (\\u0000), at "
		  "which it would be cut (expected printable text)\n"
		  "s.json: $.readings: text 'r?.csv' holds control character "
		  "U+0085 at character 2 (expected printable text)\n"
		  "s.json: $.participants[0].id: text 'a?b' holds control "
		  "character U+001F at character 2 (expected printable text)\n"
		  "s.json: $.groups[\"g?\"]: text 'g?' holds control character "
		  "U+0007 at character 2 (expected printable text)\n");
	cab_err_release(&err);
	cab_scenario_free(sc);
}

/* The field as cab_report_csv_text writes it. */
static const char *csv(const char *s)
{
	static char buf[256];
	memset(buf, 0, sizeof(buf));
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	if (!f)
		return "(fmemopen failed)";
	cab_report_csv_text(f, s);
	fclose(f);
	return buf;
}

/* OWASP's CSV injection: a field that begins with = + - @ tab or CR gets
 * a leading apostrophe; quoting (RFC 4180) comes on top. */
TEST(csv_text_neutralises_formulas)
{
	CHECK_STR(csv("h01"), "h01");
	CHECK_STR(csv("=HYPERLINK(\"http://x\",\"y\")"),
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	CHECK_STR(csv("+1"), "'+1");
	CHECK_STR(csv("-1+2"), "'-1+2");
	CHECK_STR(csv("@SUM(1)"), "'@SUM(1)");
	CHECK_STR(csv("\t=1"), "'\t=1");
	CHECK_STR(csv("\r=1"), "\"'\r=1\"");
	CHECK_STR(csv("a=1"), "a=1"); /* only at the start */
	CHECK_STR(csv("a,b"), "\"a,b\"");
	CHECK_STR(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
	CHECK_STR(csv("line\nbreak"), "\"line\nbreak\"");
	CHECK_STR(csv(""), "");
}

/* A device name of Windows never becomes a file name. */
TEST(file_names_avoid_windows_device_names)
{
	char buf[64];
	const char *reserved[] = {"CON",  "con",  "PRN",  "AUX", "Nul",
				  "COM1", "com9", "LPT1", "lpt0"};
	for (size_t k = 0; k < sizeof(reserved) / sizeof(reserved[0]); k++) {
		cab_report_safe_name(reserved[k], buf, sizeof(buf));
		/* The name, then "-" and 8 hex digits of its hash. */
		CHECK(strncmp(buf, reserved[k], strlen(reserved[k])) == 0);
		CHECK(strlen(buf) == strlen(reserved[k]) + 9);
		CHECK(buf[strlen(reserved[k])] == '-');
	}
	const char *fine[] = {"CONS", "CO", "COM", "LPT10", "h01", "con-1"};
	for (size_t k = 0; k < sizeof(fine) / sizeof(fine[0]); k++) {
		cab_report_safe_name(fine[k], buf, sizeof(buf));
		CHECK_STR(buf, fine[k]);
	}
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static unsigned next_rand(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Random printable names (ASCII with Excel's forbidden []:*?/\ and
 * apostrophes, accents, characters beyond U+FFFF), up to 60 characters:
 * every sheet name made of one is accepted by libxlsxwriter and holds at
 * most 31 UTF-16 units, as Excel counts. */
TEST(sheet_names_are_always_valid)
{
	static const char *const pieces[] = {
	    "a",       "Z", "0",  " ", "[", "]", ":", "*",
	    "?",       "/", "\\", "'", "é", "ß", "€", "\xF0\x9F\x8C\x9E",
	    "History", "-", "="};
	char path[] = "/tmp/cabine-text-XXXXXX";
	int fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	lxw_workbook *wb = workbook_new(path);
	CHECK(wb != NULL);
	if (!wb)
		return;
	int bad = 0;
	for (int trial = 0; trial < 2000; trial++) {
		char name[512] = "";
		unsigned n = 1 + next_rand(60);
		for (unsigned k = 0; k < n; k++)
			strcat(name, pieces[next_rand(19)]);
		char buf[CAB_BOOK_SHEET_BUF];
		cab_book_sheet_name(name, NULL, 0, buf, sizeof(buf));
		size_t units = 0;
		for (const unsigned char *p = (const unsigned char *)buf; *p;
		     p++)
			units += (*p & 0xC0) != 0x80 ? (*p >= 0xF0 ? 2 : 1) : 0;
		if (workbook_validate_sheet_name(wb, buf) != LXW_NO_ERROR ||
		    units > 31 || units == 0 || !strcasecmp(buf, "History"))
			bad++;
	}
	CHECK_INT(bad, 0);
	workbook_close(wb);
	unlink(path);
}

/* One line per problem, whatever a path or a library's message (SQLite's,
 * libxlsxwriter's) holds: a newline or a tab there shows as '?'. */
TEST(messages_stay_one_line)
{
	struct cab_err err;
	cab_err_init(&err);
	cab_err_add(&err, CAB_EIO, "%s: cannot open the store: %s",
		    "store\n.sqlite", "disk I/O\terror\r");
	cab_err_at_line(&err, CAB_EINPUT, "a\nb.csv", 3, "bad\x7f");
	CHECK_STR(err.text, "store?.sqlite: cannot open the store: disk "
			    "I/O?error?\na?b.csv:3: bad?\n");
	CHECK_INT(err.count, 2);
	cab_err_release(&err);
}

static const struct harness_test tests[] = {
    T(printable_unicode_passes),       T(what_xml_cannot_hold_is_named),
    T(excel_cell_limit_in_characters), T(the_loader_checks_every_string),
    T(csv_text_neutralises_formulas),  T(file_names_avoid_windows_device_names),
    T(sheet_names_are_always_valid),   T(messages_stay_one_line),
};

HARNESS_MAIN("test_text", tests)
