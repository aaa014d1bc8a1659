/*
 * test_participants_table.c — "participants": "participants.csv" (or
 * .xlsx) instead of the array (SPEC §11, engine/scenario/
 * participants_table.c): a table and its JSON equivalent give byte-
 * identical outputs; cells in spreadsheet form (decimal comma, oui/ja,
 * quotes, %); name, address and ean; every problem at its row and column.
 *
 * The equivalence runs on the demo (61 participants with every kind of
 * attribute, weights of a hybrid key, four variants): its participants
 * are written here as a Belgian CSV and as an xlsx sheet from the loaded
 * scenario, its JSON array and sharing.weights cut out of the file, and
 * summary.json, invoices.csv and compare.csv compared byte for byte.
 */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cabine/cabine.h"
#include "engine/base/slurp.h"
#include "harness.h"
#include "outputs.h"

static char dir[64];

static void make_dir(void)
{
	if (dir[0])
		return;
	snprintf(dir, sizeof(dir), "/tmp/cabine-ptable-XXXXXX");
	if (!mkdtemp(dir))
		exit(1);
}

static const char *in_dir(const char *name)
{
	static char p[4][160];
	static int k;
	char *s = p[k++ % 4];
	snprintf(s, 160, "%s/%s", dir, name);
	return s;
}

static void write_text(const char *name, const char *text)
{
	FILE *f = fopen(in_dir(name), "wb");
	if (!f)
		exit(1);
	fputs(text, f);
	fclose(f);
}

/* ---- the demo as a table ----------------------------------------------- */

static const char *const kinds[] = {"household", "association", "common",
				    "producer", "other"};
static const char *const langs[] = {"fr", "nl", "en"};

/* A number with a decimal comma, as a Belgian spreadsheet writes it. */
static void comma(FILE *f, double v)
{
	char b[64];
	snprintf(b, sizeof(b), "%.17g", v);
	for (char *p = b; *p; p++)
		if (*p == '.')
			*p = ',';
	fputs(b, f);
}

static void write_csv(const struct cab_scenario *sc, const char *name)
{
	FILE *f = fopen(in_dir(name), "wb");
	if (!f)
		exit(1);
	fputs("\xEF\xBB\xBF"
	      "ID;Kind;Cabin;Consumption;Production;Occupants;Income_band;"
	      "EPB_class;Floor_area_m2;Protected;VAT;Lang;Weight\r\n",
	      f);
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		fprintf(f, "\"%s\";%s;%s;%s;%s;", p->id, kinds[p->kind],
			p->cabin >= 0 ? sc->cabins[p->cabin].id : "",
			p->meter_consumption ? p->meter_consumption : "",
			p->meter_production ? p->meter_production : "");
		if (p->occupants >= 0)
			fprintf(f, "%d", p->occupants);
		fputc(';', f);
		if (p->income_band >= 0)
			fprintf(f, "%d", p->income_band);
		fputc(';', f);
		if (p->epb_class)
			fputc(p->epb_class, f);
		fputc(';', f);
		if (p->floor_area_m2 >= 0)
			comma(f, p->floor_area_m2);
		/* the JSON sets protected on households only */
		fputs(p->kind == CAB_KIND_HOUSEHOLD
			  ? (p->is_protected ? ";oui;" : ";non;")
			  : ";;",
		      f);
		/* 6 % as a percentage, 21 % as a fraction */
		if (p->vat == 0.06)
			fputs("6%", f);
		else
			comma(f, p->vat);
		fprintf(f, ";%s;", langs[p->lang]);
		if (p->has_weight)
			comma(f, p->weight);
		fputs("\r\n", f);
	}
	fclose(f);
}

static void write_xlsx(const struct cab_scenario *sc, const char *name)
{
	static const char *const head[] = {
	    "id",	   "kind",	 "cabin",
	    "consumption", "production", "occupants",
	    "income_band", "epb_class",	 "floor_area_m2",
	    "protected",   "vat",	 "lang",
	    "weight"};
	lxw_workbook *wb = workbook_new(in_dir(name));
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Participants");
	for (int k = 0; k < 13; k++)
		worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], NULL);
	for (size_t i = 0; i < sc->n_participants; i++) {
		const struct cab_participant *p = &sc->participants[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, p->id, NULL);
		worksheet_write_string(ws, r, 1, kinds[p->kind], NULL);
		if (p->cabin >= 0)
			worksheet_write_string(ws, r, 2,
					       sc->cabins[p->cabin].id, NULL);
		if (p->meter_consumption)
			worksheet_write_string(ws, r, 3, p->meter_consumption,
					       NULL);
		if (p->meter_production)
			worksheet_write_string(ws, r, 4, p->meter_production,
					       NULL);
		if (p->occupants >= 0)
			worksheet_write_number(ws, r, 5, p->occupants, NULL);
		if (p->income_band >= 0)
			worksheet_write_number(ws, r, 6, p->income_band, NULL);
		if (p->epb_class) {
			char e[2] = {p->epb_class, 0};
			worksheet_write_string(ws, r, 7, e, NULL);
		}
		if (p->floor_area_m2 >= 0)
			worksheet_write_number(ws, r, 8, p->floor_area_m2,
					       NULL);
		if (p->kind == CAB_KIND_HOUSEHOLD)
			worksheet_write_boolean(ws, r, 9, p->is_protected,
						NULL);
		worksheet_write_number(ws, r, 10, p->vat, NULL);
		worksheet_write_string(ws, r, 11, langs[p->lang], NULL);
		if (p->has_weight)
			worksheet_write_number(ws, r, 12, p->weight, NULL);
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		exit(1);
}

/* The demo's scenario text with the participants array replaced by
 * `table` and sharing.weights cut out (the demo writes both in a fixed
 * layout). */
static bool write_table_scenario(const char *src, const char *table,
				 const char *name)
{
	char *text = NULL;
	size_t len = 0;
	if (cab_slurp(src, &text, &len, NULL) != CAB_OK)
		return false;
	char *a = strstr(text, "\"participants\": [");
	char *b = a ? strstr(a, "\n  ],\n  \"tariff\"") : NULL;
	char *w = b ? strstr(b, "    \"weights\": {") : NULL;
	char *we = w ? strstr(w, "},\n") : NULL;
	FILE *f = fopen(in_dir(name), "wb");
	bool ok = a && b && w && we && f;
	if (ok) {
		fwrite(text, 1, (size_t)(a - text), f);
		fprintf(f, "\"participants\": \"%s\",\n  \"tariff\"", table);
		char *after = b + strlen("\n  ],\n  \"tariff\"");
		fwrite(after, 1, (size_t)(w - after), f);
		fputs(we + 3, f);
	}
	if (f)
		fclose(f);
	free(text);
	return ok;
}

/* Run a scenario with its variants into dir/<out>/ (tests/outputs.h). */
static bool run_into(const char *scenario, const char *out)
{
	return outputs_write(scenario, in_dir(out));
}

static bool same(const char *a, const char *b, const char *file)
{
	char pa[160];
	snprintf(pa, sizeof(pa), "%s", in_dir(a));
	return outputs_same(pa, in_dir(b), file);
}

TEST(table_and_json_give_the_same_outputs)
{
	make_dir();
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_demo_write(dir, &err), CAB_OK);
	struct cab_scenario *sc = NULL;
	CHECK_INT(cab_scenario_load(in_dir("scenario.json"), &sc, &err),
		  CAB_OK);
	cab_err_release(&err);
	if (!sc)
		return;
	CHECK_INT(sc->n_participants, 61);
	write_csv(sc, "participants.csv");
	write_xlsx(sc, "participants.xlsx");
	cab_scenario_free(sc);
	CHECK(write_table_scenario(in_dir("scenario.json"), "participants.csv",
				   "table-csv.json"));
	CHECK(write_table_scenario(in_dir("scenario.json"), "participants.xlsx",
				   "table-xlsx.json"));
	CHECK(run_into(in_dir("scenario.json"), "json"));
	CHECK(run_into(in_dir("table-csv.json"), "csv"));
	CHECK(run_into(in_dir("table-xlsx.json"), "xlsx"));
	static const char *const files[] = {"summary.json", "invoices.csv",
					    "compare.csv"};
	for (int k = 0; k < 3; k++) {
		CHECK(same("json", "csv", files[k]));
		CHECK(same("json", "xlsx", files[k]));
	}
}

/* ---- small tables ------------------------------------------------------ */

/* A scenario around a participants table (the small one: meters a-c, b-c,
 * b-pv behind cabin rg), loaded; the messages into msg. */
static enum cab_status load_table(const char *table, const char *extra,
				  struct cab_scenario **sc, char *msg,
				  size_t cap)
{
	make_dir();
	write_text("t.csv", table);
	char json[1500];
	snprintf(json, sizeof(json),
		 "{\"name\": \"t\", \"period\": {\"start\": \"2024-03-05\", "
		 "\"end\": \"2024-03-06\"}, \"readings\": \"r.csv\",\n"
		 "\"cabins\": [{\"id\": \"rg\"}],\n"
		 "\"participants\": \"t.csv\",\n"
		 "\"tariff\": {\"supplier_day_eur_kwh\": 0.25, "
		 "\"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": "
		 "{\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12}, "
		 "\"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03}%s}",
		 extra);
	write_text("t.json", json);
	struct cab_err err;
	cab_err_init(&err);
	enum cab_status st = cab_scenario_load(in_dir("t.json"), sc, &err);
	/* messages with the temp folder cut: "t.csv:2: …" */
	const char *s = err.text ? err.text : "";
	size_t dl = strlen(dir), o = 0;
	while (*s && o + 1 < cap) {
		if (!strncmp(s, dir, dl) && s[dl] == '/')
			s += dl + 1;
		else
			msg[o++] = *s++;
	}
	msg[o] = '\0';
	cab_err_release(&err);
	return st;
}

TEST(cells_in_spreadsheet_form_and_the_new_fields)
{
	struct cab_scenario *sc = NULL;
	char msg[2000];
	CHECK_INT(
	    load_table("id,name,address,cabin,consumption,ean,protected,"
		       "floor_area_m2,vat,groups\n"
		       "a,Élise Dupont,\"Rue Haute 5, 1000 Bruxelles\",rg,a-c,"
		       "541448820000000017,Ja,\"95,5\",21%,nord solidaires\n"
		       "b,\"Bram \"\"B\"\" Peeters\",,rg,b-c,"
		       "\"=\"\"541448820000000024\"\"\",0,,0.06,nord\n"
		       ",,,,,,,,,\n",
		       "", &sc, msg, sizeof(msg)),
	    CAB_OK);
	CHECK_STR(msg, "");
	if (!sc)
		return;
	CHECK_INT(sc->n_participants, 2);
	const struct cab_participant *a = &sc->participants[0],
				     *b = &sc->participants[1];
	CHECK_STR(a->name, "Élise Dupont");
	CHECK_STR(a->address, "Rue Haute 5, 1000 Bruxelles");
	CHECK_STR(a->ean, "541448820000000017");
	CHECK(a->is_protected && !b->is_protected);
	CHECK(a->floor_area_m2 == 95.5 && b->floor_area_m2 < 0);
	CHECK(a->vat == 0.21 && b->vat == 0.06);
	CHECK_STR(b->name, "Bram \"B\" Peeters");
	CHECK(b->address == NULL);
	CHECK_STR(b->ean, "541448820000000024");
	/* groups in order of first appearance, members in row order */
	CHECK_INT(sc->n_groups, 2);
	if (sc->n_groups == 2) {
		CHECK_STR(sc->groups[0].name, "nord");
		CHECK_INT(sc->groups[0].n_members, 2);
		CHECK_STR(sc->groups[1].name, "solidaires");
		CHECK_INT(sc->groups[1].n_members, 1);
	}
	cab_scenario_free(sc);
	/* the weight column is $.sharing.weights */
	CHECK_INT(load_table("id;consumption;weight\na;a-c;0,25\nb;b-c;75%\n",
			     ", \"sharing\": {\"key\": \"fixed\"}", &sc, msg,
			     sizeof(msg)),
		  CAB_OK);
	CHECK_STR(msg, "");
	if (sc) {
		CHECK(sc->sharing.has_weights);
		CHECK(sc->participants[0].has_weight &&
		      sc->participants[0].weight == 0.25);
		CHECK(sc->participants[1].weight == 0.75);
		cab_scenario_free(sc);
	}
}

TEST(problems_are_said_at_their_row_and_column)
{
	struct cab_scenario *sc = NULL;
	char msg[3000];
	CHECK_INT(
	    load_table("id;kind;cabin;occupants;protected;ean;lang;weight\n"
		       "a;menage;rg;deux;peut-être;54144882;fr;0,5\n"
		       "b;household;rgx;-1;non;5,41449E+17;de;1,5\n"
		       "a;household;rg;2;non;;fr;0,7\n"
		       ";household;rg;2;non;;fr;\n",
		       ", \"sharing\": {\"key\": \"fixed\"}", &sc, msg,
		       sizeof(msg)),
	    CAB_EINPUT);
	CHECK_STR(msg,
		  "t.csv:2: column 'occupants': 'deux' is not a number "
		  "(expected a number like 3 or 95,5)\n"
		  "t.csv:2: column 'protected': 'peut-être' is not a yes or no "
		  "(expected true/false, yes/no, oui/non, ja/nee or 1/0)\n"
		  "t.csv:3: column 'weight': weight must be between 0 and 1, "
		  "got 1.5\n"
		  "t.csv:5: column 'id': empty (expected the participant's id, "
		  "e.g. h01)\n"
		  "t.csv:2: column 'ean': ean '54144882' is not 18 digits "
		  "(expected the operator's code of the meter, like "
		  "541448820000000017)\n"
		  "t.csv:2: column 'kind': unknown kind 'menage' (expected one "
		  "of: household, association, common, producer, other)\n"
		  "t.csv:3: column 'ean': ean '5,41449E+17' was made a number "
		  "by the spreadsheet and lost its digits (expected the 18 "
		  "digits as text: format the column as Text, or type an "
		  "apostrophe first, like '541448820000000017)\n"
		  "t.csv:3: column 'cabin': cabin 'rgx' is not declared in "
		  "$.cabins (did you mean 'rg'?)\n"
		  "t.csv:3: column 'occupants': occupants must be at least 0, "
		  "got -1\n"
		  "t.csv:3: column 'lang': unknown lang 'de' (expected one of: "
		  "fr, nl, en)\n"
		  "t.csv:4: column 'id': duplicate participant id 'a'\n"
		  "t.csv: column 'weight': duplicate key 'a'\n");
	CHECK(sc == NULL);
	/* both the weight column and sharing.weights */
	CHECK_INT(load_table("id;consumption;weight\na;a-c;0,5\n",
			     ", \"sharing\": {\"weights\": {\"a\": 0.5}}", &sc,
			     msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv: column 'weight': the scenario also has "
		       "$.sharing.weights (expected the weights in one "
		       "place: the column or $.sharing.weights)\n");
	CHECK_INT(load_table("id;consumption;weight\na;a-c;0,6\nb;b-c;60%\n",
			     "", &sc, msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv: column 'weight': weights sum to 1.2 (expected "
		       "at most 1)\n");
	CHECK_INT(load_table("id;groups\na;nord\n",
			     ", \"groups\": {\"sud\": [\"a\"]}", &sc, msg,
			     sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv: column 'groups': the scenario also has $.groups "
		       "(expected the groups in one place: the column or "
		       "$.groups)\n");
	CHECK_INT(load_table("Id;Colour\na;red\n", "", &sc, msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv:1: unknown column 'Colour' (expected one of: "
		       "id, name, address, kind, cabin, consumption, "
		       "production, offtake, injection, ean, occupants, "
		       "income_band, epb_class, floor_area_m2, protected, vat, "
		       "lang, history_kwh, weight, groups)\n");
	CHECK_INT(load_table("id;name\na;\"Rue\nHaute\"\nb;x;y\n", "", &sc, msg,
			     sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv:4: 3 cells, but the header names 2 columns "
		       "(expected nothing beyond the last column)\n"
		       "t.csv:2: column 'name': has a line break or a control "
		       "character (expected one line of text)\n");
	CHECK_INT(
	    load_table("id;name\na;\xc9lise\n", "", &sc, msg, sizeof(msg)),
	    CAB_EINPUT);
	CHECK_STR(msg, "t.csv:2: column 'name': is not UTF-8 text (expected "
		       "the table saved as \"CSV UTF-8\" in Excel, or with the "
		       "character set UTF-8 in LibreOffice)\n");
	CHECK_INT(load_table("id;consumption\n", "", &sc, msg, sizeof(msg)),
		  CAB_EINPUT);
	CHECK_STR(msg, "t.csv: no participant (expected one row per "
		       "participant under the header)\n");
	CHECK_INT(load_table("", "", &sc, msg, sizeof(msg)), CAB_EINPUT);
	CHECK_STR(msg, "t.csv:1: empty file (expected a header naming the "
		       "columns, e.g. id;name;consumption)\n");
	/* a JSON participant's ean is checked too */
	make_dir();
	static const char json[] =
	    "{\"name\": \"t\", \"period\": {\"start\": \"2024-03-05\", "
	    "\"end\": \"2024-03-06\"}, \"readings\": \"r.csv\", "
	    "\"participants\": [{\"id\": \"a\", "
	    "\"name\": \"Anne\", \"ean\": \"5414-4882\"}], \"tariff\": "
	    "{\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": 0.12, "
	    "\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": "
	    "0.09, \"D\": 0.12}, \"taxes_eur_kwh\": 0.05, "
	    "\"injection_eur_kwh\": 0.03}}";
	struct cab_err err;
	cab_err_init(&err);
	CHECK_INT(cab_scenario_parse("s.json", json, strlen(json), &sc, &err),
		  CAB_EINPUT);
	CHECK_STR(err.text, "s.json: $.participants[0].ean: ean '5414-4882' is "
			    "not 18 digits (expected the operator's code of "
			    "the meter, like 541448820000000017)\n");
	cab_err_release(&err);
}

static void rm_rf(const char *path)
{
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "  cannot remove %s\n", path);
}

TEST(remove_temp_files)
{
	if (dir[0])
		rm_rf(dir);
	CHECK(1);
}

static const struct harness_test tests[] = {
    T(table_and_json_give_the_same_outputs),
    T(cells_in_spreadsheet_form_and_the_new_fields),
    T(problems_are_said_at_their_row_and_column),
    T(remove_temp_files),
};
HARNESS_MAIN("test_participants_table", tests)
