/*
 * test_invoices.c — the invoice a household reads (issue 12), as golden
 * files per mode and language, from real runs of the engine:
 * - shared: tests/golden/invoices/scenario.json, participant a (a
 *   consumer, with a name and an address), b (a producer: its production,
 *   what it gave, what went to the grid);
 * - pot: scenarios/pot-example, participant c (protected, meterless,
 *   capped at 40 EUR) and a (above its weight × pot because of c's cap);
 * each in French, Dutch and English: the sheet's XML and its shared
 * strings, byte for byte (`make golden-update` rewrites them for a person
 * to review). Beside the goldens, the facts a household must find are
 * checked by name: fixed terms as days/days, the VAT base, the pot, the
 * cap, the production block, the hidden data sheet, columns by mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cabine/report.h"
#include "cabine/run.h"
#include "cabine/scenario.h"
#include "cabine/source.h"
#include "harness.h"
#include "invoice_run.h"
#include "xlsx_read.h"

static const char *const LANGS[3] = {"fr", "nl", "en"};

/* Run the scenario and write its invoices in `lang` into a new folder
 * (dir, 64 bytes). Returns false when anything fails. */
static bool write_invoices(const char *scenario, int lang, char *dir,
			   bool is_named)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc;
	struct cab_readings *rd;
	struct cab_run *run;
	bool ok = invoice_run(scenario, is_named, &sc, &rd, &run, &err);
	snprintf(dir, 64, "/tmp/test_invoices-XXXXXX");
	ok = ok && mkdtemp(dir) != NULL;
	struct cab_report_opts o = {.lang = lang, .jobs = 1};
	ok = ok && cab_report_invoices_xlsx.write(run, &o, dir, &err) == CAB_OK;
	if (!ok)
		fprintf(stderr, "  %s", err.text ? err.text : "failed\n");
	cab_run_free(run);
	cab_readings_free(rd);
	cab_scenario_free(sc);
	cab_err_release(&err);
	return ok;
}

static void rm_rf(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "  cannot remove %s\n", dir);
}

/* Compare (or, with CABINE_GOLDEN_UPDATE, rewrite) one member of the
 * workbook with tests/golden/invoices/<name>. */
static void check_golden(const char *xlsx, const char *member, const char *name)
{
	char golden[256];
	snprintf(golden, sizeof(golden), "tests/golden/invoices/%s", name);
	char *got = xr_member(xlsx, member);
	CHECK(got != NULL);
	if (!got)
		return;
	if (getenv("CABINE_GOLDEN_UPDATE")) {
		FILE *out = fopen(golden, "w");
		CHECK(out != NULL);
		if (out) {
			fputs(got, out);
			fclose(out);
		}
	}
	size_t n = 0;
	char *want = xr_read_file(golden, &n);
	CHECK(want != NULL);
	if (want && (n != strlen(got) || memcmp(got, want, n) != 0)) {
		fprintf(stderr,
			"  %s of %s differs from %s (make golden-update, then "
			"review git diff)\n",
			member, xlsx, golden);
		CHECK(0);
	}
	free(want);
	free(got);
}

/* The goldens of participant `id` of the run in every language. */
static void goldens(const char *scenario, const char *id, const char *mode)
{
	for (int lang = 0; lang < 3; lang++) {
		char dir[64], path[160], name[96];
		CHECK(write_invoices(scenario, lang, dir, true));
		snprintf(path, sizeof(path), "%s/invoices/%s.xlsx", dir, id);
		snprintf(name, sizeof(name), "%s_%s_sheet1.xml", mode,
			 LANGS[lang]);
		check_golden(path, "xl/worksheets/sheet1.xml", name);
		snprintf(name, sizeof(name), "%s_%s_strings.xml", mode,
			 LANGS[lang]);
		check_golden(path, "xl/sharedStrings.xml", name);
		rm_rf(dir);
	}
}

#define SHARED "tests/golden/invoices/scenario.json"
#define POT "scenarios/pot-example/scenario.json"

TEST(shared_invoice_matches_its_golden_in_each_language)
{
	goldens(SHARED, "a", "shared");
}

TEST(producer_invoice_matches_its_golden_in_each_language)
{
	goldens(SHARED, "b", "producer");
}

TEST(pot_member_invoice_matches_its_golden_in_each_language)
{
	goldens(POT, "c", "pot");
}

/* The strings of participant id's invoice in lang (caller frees). */
static char *strings_of(const char *scenario, const char *id, int lang,
			char **sheet, char **workbook)
{
	char dir[64], path[160];
	if (!write_invoices(scenario, lang, dir, true))
		return NULL;
	snprintf(path, sizeof(path), "%s/invoices/%s.xlsx", dir, id);
	char *s = xr_member(path, "xl/sharedStrings.xml");
	if (sheet)
		*sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	if (workbook)
		*workbook = xr_member(path, "xl/workbook.xml");
	rm_rf(dir);
	return s;
}

/* A day of 2024 (leap): the fixed terms are 60 × 1/366 = 0.16 and
 * 47.24 × 1/366 = 0.13 EUR, shown as "1/366 jours"; the VAT line names
 * its base; the name and address head the invoice; the data sheet of
 * the chart is hidden so that printing prints the invoice alone. */
TEST(shared_invoice_shows_days_vat_base_name_and_address)
{
	char *sheet = NULL, *wb = NULL;
	char *s = strings_of(SHARED, "a", CAB_LANG_FR, &sheet, &wb);
	CHECK(s && strstr(s, "1/366 jours") != NULL);
	CHECK(s && strstr(s, "TVA (sur ") != NULL);
	CHECK(s && strstr(s, "Élise Dupont") != NULL);
	CHECK(s && strstr(s, "Rue du Tilleul 3, 1030 Schaerbeek") != NULL);
	/* A consumer: no production block, no production columns. */
	CHECK(s && strstr(s, "Votre production") == NULL);
	CHECK(s && strstr(s, "Injectée") == NULL);
	CHECK(wb &&
	      strstr(wb, "name=\"data\" sheetId=\"2\" state=\"hidden\"") !=
		  NULL);
	free(s);
	free(sheet);
	free(wb);
	s = strings_of(SHARED, "a", CAB_LANG_NL, NULL, NULL);
	CHECK(s && strstr(s, "1/366 dagen") != NULL);
	CHECK(s && strstr(s, "Btw (op € ") != NULL);
	free(s);
}

/* b produces: its block says what it produced, used itself, gave and
 * injected unshared; its months show the given and injected columns. */
TEST(producer_invoice_shows_production_given_and_injected)
{
	char *s = strings_of(SHARED, "b", CAB_LANG_EN, NULL, NULL);
	CHECK(s && strstr(s, "Your production") != NULL);
	CHECK(s && strstr(s, "Shared with the community (kWh)") != NULL);
	CHECK(s &&
	      strstr(s, "Injected into the grid, not shared (kWh)") != NULL);
	CHECK(s && strstr(s, "Shared (given)") != NULL);
	free(s);
}

/* The pot example: pot 100.00 EUR; c is protected and capped at 40 EUR,
 * meterless (no months, no chart); a pays more than its weight × pot
 * (25 % × 100 = 25.00; it pays 25.71) because c's cap is re-split; the
 * sharing columns do not apply to a pot. */
TEST(pot_invoices_show_the_pot_the_cap_and_why)
{
	char *sheet = NULL;
	char *s = strings_of(POT, "c", CAB_LANG_FR, &sheet, NULL);
	CHECK(s && strstr(s, "Pot commun à répartir") != NULL);
	CHECK(s && strstr(s, "Votre part est plafonnée à 40,00 €.") != NULL);
	CHECK(s && strstr(s, "Part égale (50 % de la clé)") != NULL);
	CHECK(s && strstr(s, "Volumes mensuels") == NULL);
	CHECK(sheet && strstr(sheet, "<v>100</v>") != NULL);
	free(s);
	free(sheet);
	s = strings_of(POT, "a", CAB_LANG_FR, NULL, NULL);
	CHECK(s && strstr(s, "les plafonds d'autres membres") != NULL);
	CHECK(s && strstr(s, "Énergie partagée") == NULL);
	CHECK(s && strstr(s, "Complémentaire") == NULL);
	free(s);
	s = strings_of(POT, "a", CAB_LANG_NL, NULL, NULL);
	CHECK(s && strstr(s, "U bespaart") != NULL);
	CHECK(s && strstr(s, "U wint") == NULL);
	free(s);
}

static const struct harness_test tests[] = {
    T(shared_invoice_matches_its_golden_in_each_language),
    T(producer_invoice_matches_its_golden_in_each_language),
    T(pot_member_invoice_matches_its_golden_in_each_language),
    T(shared_invoice_shows_days_vat_base_name_and_address),
    T(producer_invoice_shows_production_given_and_injected),
    T(pot_invoices_show_the_pot_the_cap_and_why),
};

HARNESS_MAIN("test_invoices", tests)
