/*
 * test_scenario.c — the scenario loader: a full valid file (SPEC §8), the
 * defaults, and every validation message with its exact text, since
 * `cabine check` shows them to users as they are.
 */
#include "harness.h"

#include <unistd.h>

#include "cabine/scenario.h"

/* The example of SPEC §8. */
static const char spec_example[] =
    "{\n"
    "  \"name\": \"coin-du-balai\",\n"
    "  \"period\": {\"start\": \"2024-01-01\", \"end\": \"2025-01-01\"},\n"
    "  \"readings\": \"readings.csv\",\n"
    "  \"cabins\": [{\"id\": \"rouge-gorge\", \"meter\": \"cabin-rg\", "
    "\"locality\": \"B\"}],\n"
    "  \"participants\": [\n"
    "    {\"id\": \"h01\", \"kind\": \"household\", \"cabin\": "
    "\"rouge-gorge\",\n"
    "     \"meters\": {\"consumption\": \"h01-c\", \"production\": "
    "\"h01-pv\"},\n"
    "     \"occupants\": 3, \"income_band\": 2, \"epb_class\": \"D\", "
    "\"floor_area_m2\": 95,\n"
    "     \"protected\": false, \"vat\": 0.06, \"lang\": \"fr\"}\n"
    "  ],\n"
    "  \"tariff\": {\"supplier_day_eur_kwh\": 0.25, "
    "\"supplier_night_eur_kwh\": 0.22,\n"
    "             \"supplier_fixed_eur_year\": 60, \"network_eur_kwh\": "
    "0.12,\n"
    "             \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
    "\"C\": 0.09, \"D\": 0.12},\n"
    "             \"network_fixed_eur_year\": 47.24, \"taxes_eur_kwh\": "
    "0.05,\n"
    "             \"injection_eur_kwh\": 0.03},\n"
    "  \"sharing\": {\"key\": \"hybrid\", \"weights\": {\"h01\": 0.05}, "
    "\"perimeter\": \"community\",\n"
    "              \"price_eur_kwh\": 0.15},\n"
    "  \"billing\": {\"mode\": \"shared\"},\n"
    "  \"alerts\": [{\"start\": \"2024-05-14T18:00\", \"end\": "
    "\"2024-05-14T21:00\", \"announced\": false}],\n"
    "  \"compare\": [{\"name\": \"prorata\", \"sharing\": {\"key\": "
    "\"proportional\"}}]\n"
    "}\n";

#define TARIFF                                                                 \
	"\"tariff\": {\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": "   \
	"0.12, \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": " \
	"0.09, \"D\": 0.12}, \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": " \
	"0.03}"
#define HEAD                                                                   \
	"{\"name\": \"t\", \"period\": {\"start\": \"2024-01-01\", \"end\": "  \
	"\"2024-01-02\"}, \"readings\": \"r.csv\", " TARIFF ", "
#define HEAD_NO_TARIFF                                                         \
	"{\"name\": \"t\", \"period\": {\"start\": \"2024-01-01\", \"end\": "  \
	"\"2024-01-02\"}, \"readings\": \"r.csv\", "
#define PARTS                                                                  \
	"\"participants\": [{\"id\": \"h01\"}, {\"id\": \"h02\"}, {\"id\": "   \
	"\"h03\"}]"

static struct cab_scenario *parse_ok(const char *path, const char *json)
{
	struct cab_err err;
	struct cab_scenario *sc = NULL;
	cab_err_init(&err);
	enum cab_status st =
	    cab_scenario_parse(path, json, strlen(json), &sc, &err);
	if (st != CAB_OK)
		fprintf(stderr, "  unexpected errors:\n%s",
			err.text ? err.text : "(none)\n");
	CHECK_INT(st, CAB_OK);
	CHECK(sc != NULL);
	cab_err_release(&err);
	return sc;
}

/* Parse json expecting CAB_EINPUT and exactly the messages `expected`
 * (each ending in '\n'). */
static void expect_errors(const char *json, const char *expected)
{
	struct cab_err err;
	struct cab_scenario *sc = NULL;
	cab_err_init(&err);
	enum cab_status st =
	    cab_scenario_parse("sc.json", json, strlen(json), &sc, &err);
	CHECK_INT(st, CAB_EINPUT);
	CHECK(sc == NULL);
	CHECK_STR(err.text, expected);
	size_t lines = 0;
	for (const char *s = expected; *s; s++)
		lines += *s == '\n';
	CHECK_INT(err.count, lines);
	cab_scenario_free(sc);
	cab_err_release(&err);
}

TEST(spec_example_is_read_field_by_field)
{
	struct cab_scenario *sc = parse_ok("data/coin.json", spec_example);
	if (!sc)
		return;
	CHECK_STR(sc->path, "data/coin.json");
	CHECK_STR(sc->dir, "data");
	CHECK_STR(sc->name, "coin-du-balai");
	CHECK_INT(sc->start_y, 2024);
	CHECK_INT(sc->start_m, 1);
	CHECK_INT(sc->start_d, 1);
	CHECK_INT(sc->end_y, 2025);
	CHECK_INT(sc->end_m, 1);
	CHECK_INT(sc->end_d, 1);
	/* local midnight 2024-01-01 is 2023-12-31T23:00Z = 1704063600 */
	CHECK_INT(sc->t0_s, 1704063600);
	/* leap year: 366 days × 96; the DST days cancel (92 + 100) */
	CHECK_INT(sc->n_days, 366);
	CHECK_INT(sc->n_intervals, 366 * 96);
	CHECK_STR(sc->readings_path, "data/readings.csv");
	CHECK(sc->db_path == NULL);
	CHECK_NEAR(sc->min_coverage, 0.9, 1e-12);
	CHECK_INT(sc->fill, CAB_FILL_NONE);

	CHECK_INT(sc->n_cabins, 1);
	CHECK_STR(sc->cabins[0].id, "rouge-gorge");
	CHECK_STR(sc->cabins[0].meter, "cabin-rg");
	CHECK_INT(sc->cabins[0].locality, 'B');

	CHECK_INT(sc->n_participants, 1);
	const struct cab_participant *p = &sc->participants[0];
	CHECK_STR(p->id, "h01");
	CHECK_INT(p->kind, CAB_KIND_HOUSEHOLD);
	CHECK_INT(p->cabin, 0);
	CHECK_STR(p->meter_consumption, "h01-c");
	CHECK_STR(p->meter_production, "h01-pv");
	CHECK(p->meter_offtake == NULL);
	CHECK(p->meter_injection == NULL);
	CHECK(!p->is_meterless);
	CHECK_INT(p->occupants, 3);
	CHECK_INT(p->income_band, 2);
	CHECK_INT(p->epb_class, 'D');
	CHECK_NEAR(p->floor_area_m2, 95, 1e-12);
	CHECK(!p->is_protected);
	CHECK_NEAR(p->vat, 0.06, 1e-12);
	CHECK_INT(p->lang, CAB_LANG_FR);
	CHECK(p->history_kwh < 0);
	CHECK_NEAR(p->weight, 0.05, 1e-12);
	CHECK(p->has_weight);
	CHECK_INT(p->priority_group, 0);

	const struct cab_tariff *t = &sc->tariff;
	CHECK_NEAR(t->supplier_day_eur_kwh, 0.25, 1e-12);
	CHECK_NEAR(t->supplier_night_eur_kwh, 0.22, 1e-12);
	CHECK(t->has_night_price);
	CHECK_NEAR(t->supplier_fixed_eur_year, 60, 1e-12);
	CHECK_NEAR(t->network_eur_kwh, 0.12, 1e-12);
	CHECK_NEAR(t->network_shared_eur_kwh[0], 0.03, 1e-12);
	CHECK_NEAR(t->network_shared_eur_kwh[1], 0.05, 1e-12);
	CHECK_NEAR(t->network_shared_eur_kwh[2], 0.09, 1e-12);
	CHECK_NEAR(t->network_shared_eur_kwh[3], 0.12, 1e-12);
	CHECK_NEAR(t->network_fixed_eur_year, 47.24, 1e-12);
	CHECK_NEAR(t->taxes_eur_kwh, 0.05, 1e-12);
	CHECK_NEAR(t->injection_eur_kwh, 0.03, 1e-12);
	CHECK_INT(t->day_start_h, 7);
	CHECK_INT(t->day_end_h, 22);

	CHECK_STR(sc->sharing.key, "hybrid");
	CHECK(!sc->sharing.is_until_done);
	CHECK(sc->sharing.has_weights);
	CHECK_INT(sc->sharing.perimeter, CAB_PERIMETER_COMMUNITY);
	CHECK_NEAR(sc->sharing.price_eur_kwh, 0.15, 1e-12);
	CHECK_INT(sc->sharing.locality, 0);
	CHECK_INT(sc->sharing.n_groups, 1);
	CHECK_STR(sc->sharing.group_key, "proportional");

	CHECK_INT(sc->billing.mode, CAB_BILLING_SHARED);
	CHECK_NEAR(sc->billing.vat, 0.06, 1e-12);
	CHECK_INT(sc->billing.n_bounds, 0);

	CHECK_INT(sc->n_alerts, 1);
	/* 18:00 CEST = 16:00Z on 2024-05-14 = 1715702400 */
	CHECK_INT(sc->alerts[0].start_s, 1715702400);
	CHECK_INT(sc->alerts[0].end_s, 1715702400 + 3 * 3600);
	CHECK(!sc->alerts[0].is_announced);

	CHECK_INT(sc->n_variants, 1);
	const struct cab_variant *v = &sc->variants[0];
	CHECK_STR(v->name, "prorata");
	CHECK_STR(v->sharing.key, "proportional");
	CHECK_INT(sc->n_groups, 0);
	CHECK_INT(cab_scenario_find(sc, "h01"), 0);
	CHECK_INT(cab_scenario_find(sc, "h02"), -1);
	cab_scenario_free(sc);
}

TEST(omitted_keys_take_their_defaults)
{
	struct cab_scenario *sc =
	    parse_ok("sc.json", HEAD "\"participants\": [{\"id\": \"a\"}, "
				     "{\"id\": \"b\", \"meters\": {}}]}");
	if (!sc)
		return;
	CHECK_STR(sc->dir, ".");
	CHECK_STR(sc->readings_path, "r.csv");
	CHECK_INT(sc->n_days, 1);
	CHECK_INT(sc->n_intervals, 96);
	CHECK_NEAR(sc->min_coverage, 0.9, 1e-12);
	CHECK_INT(sc->fill, CAB_FILL_NONE);
	CHECK_INT(sc->n_cabins, 0);
	for (size_t i = 0; i < 2; i++) {
		const struct cab_participant *p = &sc->participants[i];
		CHECK_INT(p->kind, CAB_KIND_HOUSEHOLD);
		CHECK_INT(p->cabin, -1);
		CHECK(p->is_meterless);
		CHECK_INT(p->occupants, -1);
		CHECK_INT(p->income_band, -1);
		CHECK_INT(p->epb_class, 0);
		CHECK(p->floor_area_m2 < 0);
		CHECK(!p->is_protected);
		CHECK_NEAR(p->vat, 0.06, 1e-12);
		CHECK_INT(p->lang, CAB_LANG_FR);
		CHECK(p->history_kwh < 0);
		CHECK(!p->has_weight);
		CHECK_INT(p->priority_group, 0);
	}
	CHECK_NEAR(sc->tariff.supplier_night_eur_kwh, 0.25, 1e-12);
	CHECK(!sc->tariff.has_night_price);
	CHECK_NEAR(sc->tariff.supplier_fixed_eur_year, 0, 1e-12);
	CHECK_NEAR(sc->tariff.network_fixed_eur_year, 0, 1e-12);
	CHECK_INT(sc->tariff.day_start_h, 7);
	CHECK_INT(sc->tariff.day_end_h, 22);
	CHECK_STR(sc->sharing.key, "proportional");
	CHECK(!sc->sharing.has_weights);
	CHECK(!sc->sharing.is_until_done);
	CHECK_INT(sc->sharing.perimeter, CAB_PERIMETER_COMMUNITY);
	CHECK_NEAR(sc->sharing.price_eur_kwh, 0, 1e-12);
	CHECK_INT(sc->sharing.n_groups, 1);
	CHECK_INT(sc->billing.mode, CAB_BILLING_SHARED);
	CHECK_INT(sc->n_alerts, 0);
	CHECK_INT(sc->n_variants, 0);
	cab_scenario_free(sc);
}

TEST(optional_values_are_read)
{
	struct cab_scenario *sc = parse_ok(
	    "/abs/sc.json",
	    "{\"name\": \"t\", \"period\": {\"start\": \"2024-03-31\", "
	    "\"end\": \"2024-04-01\"}, \"db\": \"/data/x.sqlite\", "
	    "\"min_coverage\": 1, \"fill\": \"linear\", "
	    "\"tariff\": {\"supplier_day_eur_kwh\": 0.25, "
	    "\"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": {\"A\": "
	    "0, \"B\": 0, \"C\": 0, \"D\": 0}, \"taxes_eur_kwh\": 0, "
	    "\"injection_eur_kwh\": 0, \"day_start_h\": 0, \"day_end_h\": "
	    "24}, \"cabins\": [{\"id\": \"c1\", \"locality\": \"A\"}], "
	    "\"participants\": [{\"id\": \"p\", \"kind\": \"producer\", "
	    "\"cabin\": \"c1\", \"meters\": {\"offtake\": \"m.offtake\", "
	    "\"injection\": \"m.injection\"}, \"lang\": \"nl\", "
	    "\"protected\": true, \"history_kwh\": 1200}], "
	    "\"sharing\": {\"key\": \"fixed\", \"rounds\": \"until-done\", "
	    "\"perimeter\": \"cabin\", \"locality\": \"C\"}, "
	    "\"alerts\": [{\"start\": \"2024-03-31T20:00\", \"end\": "
	    "\"2024-04-01T02:00\", \"announced\": true}], "
	    "\"groups\": {\"pv\": [\"p\"]}}");
	if (!sc)
		return;
	CHECK(sc->readings_path == NULL);
	CHECK_STR(sc->db_path, "/data/x.sqlite");
	CHECK_NEAR(sc->min_coverage, 1, 1e-12);
	CHECK_INT(sc->fill, CAB_FILL_LINEAR);
	/* the spring DST day has 92 quarter-hours */
	CHECK_INT(sc->n_intervals, 92);
	CHECK_INT(sc->tariff.day_start_h, 0);
	CHECK_INT(sc->tariff.day_end_h, 24);
	CHECK_INT(sc->cabins[0].locality, 'A');
	const struct cab_participant *p = &sc->participants[0];
	CHECK_INT(p->kind, CAB_KIND_PRODUCER);
	CHECK_STR(p->meter_offtake, "m.offtake");
	CHECK_STR(p->meter_injection, "m.injection");
	CHECK_INT(p->lang, CAB_LANG_NL);
	CHECK(p->is_protected);
	CHECK_NEAR(p->history_kwh, 1200, 1e-12);
	CHECK_STR(sc->sharing.key, "fixed");
	CHECK(sc->sharing.is_until_done);
	CHECK(!sc->sharing.has_weights);
	CHECK_INT(sc->sharing.perimeter, CAB_PERIMETER_CABIN);
	CHECK_INT(sc->sharing.locality, 'C');
	CHECK(sc->alerts[0].is_announced);
	CHECK_INT(sc->alerts[0].end_s - sc->alerts[0].start_s, 6 * 3600);
	CHECK_INT(sc->n_groups, 1);
	CHECK_STR(sc->groups[0].name, "pv");
	CHECK_INT(sc->groups[0].n_members, 1);
	CHECK_INT(sc->groups[0].members[0], 0);
	cab_scenario_free(sc);
}

TEST(load_reads_a_file_and_resolves_paths_from_its_directory)
{
	char dir[] = "/tmp/cab-scenario-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[128];
	snprintf(path, sizeof(path), "%s/sc.json", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(spec_example, f);
	fclose(f);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	CHECK_INT(cab_scenario_load(path, &sc, &err), CAB_OK);
	CHECK_INT(err.count, 0);
	if (sc) {
		char want[160];
		snprintf(want, sizeof(want), "%s/readings.csv", dir);
		CHECK_STR(sc->readings_path, want);
		CHECK_STR(sc->dir, dir);
	}
	cab_scenario_free(sc);
	cab_err_release(&err);
	remove(path);
	rmdir(dir);
}

TEST(missing_file_names_the_system_error)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = (struct cab_scenario *)&err;
	CHECK_INT(cab_scenario_load("/nonexistent/sc.json", &sc, &err),
		  CAB_EINPUT);
	CHECK(sc == NULL);
	CHECK_STR(err.text, "/nonexistent/sc.json: cannot open (No such file "
			    "or directory)\n");
	cab_err_release(&err);
	cab_scenario_free(NULL);
}

TEST(json_syntax_errors_carry_line_and_column)
{
	/* ':' missing: the '{' of line 3 is at column 12 */
	expect_errors("{\n  \"name\": \"x\",\n  \"period\" {}\n}",
		      "sc.json:3:12: invalid JSON (unexpected '{')\n");
	expect_errors("{\"name\": ",
		      "sc.json:1:10: invalid JSON (unexpected end of input)\n");
	expect_errors("",
		      "sc.json:1:1: invalid JSON (unexpected end of input)\n");
	expect_errors("{}\n x",
		      "sc.json:2:2: invalid JSON (unexpected 'x' after the "
		      "JSON value)\n");
	/* columns count characters, not bytes: "é" is one */
	expect_errors("{\"é\": tru}",
		      "sc.json:1:7: invalid JSON (unexpected 't')\n");
}

TEST(root_must_be_an_object)
{
	expect_errors("[1]", "sc.json: $: expected an object, got an array\n");
}

TEST(unknown_key_lists_the_expected_ones_and_the_closest)
{
	expect_errors(HEAD PARTS ", \"sharing\": {\"wieghts\": {}}}",
		      "sc.json: $.sharing: unknown key 'wieghts' (did you mean "
		      "'weights'? expected one of: key, weights, rounds, "
		      "perimeter, price_eur_kwh, "
		      "locality, groups, group_key, objective)\n");
	expect_errors(
	    HEAD PARTS ", \"nmae\": 1}",
	    "sc.json: $: unknown key 'nmae' (did you mean 'name'? expected "
	    "one of: name, "
	    "period, readings, db, min_coverage, fill, cabins, "
	    "participants, tariff, sharing, billing, alerts, "
	    "compare, groups, alerts_reference, fill_max_intervals, "
	    "appliances, site, location)\n");
}

/* Text cut for a message ends on a whole UTF-8 character: 30 × '€' (3
 * bytes each) keep 22 whole ones, not 22 and the first two bytes of the
 * 23rd (the cut used to test a byte past the copied text). */
TEST(long_quoted_text_is_cut_between_characters)
{
	char json[600], want[600], euros[100] = "", kept[100] = "";
	for (int i = 0; i < 30; i++)
		strcat(euros, "\xe2\x82\xac");
	for (int i = 0; i < 22; i++)
		strcat(kept, "\xe2\x82\xac");
	snprintf(json, sizeof json, HEAD PARTS ", \"fill\": \"%s\"}", euros);
	snprintf(want, sizeof want,
		 "sc.json: $.fill: unknown fill '%s...' (expected one of: "
		 "none, linear, profile)\n",
		 kept);
	expect_errors(json, want);
}

TEST(weight_out_of_range_names_the_participant)
{
	expect_errors(HEAD PARTS ", \"sharing\": {\"key\": \"fixed\", "
				 "\"weights\": {\"h01\": 0.2, \"h02\": 1.2}}}",
		      "sc.json: $.sharing.weights.h02: participant 'h02': "
		      "weight must be between 0 and 1, got 1.2\n");
}

TEST(weights_above_one_name_their_sum)
{
	/* 0.5 + 0.55 = 1.05 */
	expect_errors(HEAD PARTS ", \"sharing\": {\"key\": \"fixed\", "
				 "\"weights\": {\"h01\": 0.5, \"h02\": 0.55}}}",
		      "sc.json: $.sharing.weights: weights sum to 1.05 "
		      "(expected at most 1)\n");
	/* a sum of exactly 1 is fine */
	struct cab_scenario *sc = parse_ok(
	    "sc.json", HEAD PARTS ", \"sharing\": {\"key\": \"fixed\", "
				  "\"weights\": {\"h01\": 0.7, \"h02\": 0.2, "
				  "\"h03\": 0.1}}}");
	cab_scenario_free(sc);
}

TEST(weight_of_undeclared_participant_is_an_error)
{
	expect_errors(HEAD PARTS ", \"sharing\": {\"weights\": {\"h9\": 0.1}}}",
		      "sc.json: $.sharing.weights.h9: participant 'h9' is not "
		      "declared in $.participants\n");
}

TEST(undeclared_cabin_is_an_error)
{
	expect_errors(HEAD "\"participants\": [{\"id\": \"h01\", \"cabin\": "
			   "\"x\"}]}",
		      "sc.json: $.participants[0].cabin: cabin 'x' is not "
		      "declared in $.cabins\n");
}

TEST(wrong_types_say_what_was_expected)
{
	expect_errors(HEAD_NO_TARIFF PARTS
		      ", \"tariff\": {\"supplier_day_eur_kwh\": 0.25, "
		      "\"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": "
		      "{\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12}, "
		      "\"taxes_eur_kwh\": \"0.05\", \"injection_eur_kwh\": "
		      "0.03}}",
		      "sc.json: $.tariff.taxes_eur_kwh: expected a number, got "
		      "a string\n");
	expect_errors(HEAD "\"participants\": [{\"id\": \"h01\", "
			   "\"occupants\": 2.5, \"protected\": 1}]}",
		      "sc.json: $.participants[0].occupants: expected an "
		      "integer, got 2.5\n"
		      "sc.json: $.participants[0].protected: expected a "
		      "boolean, got a number\n");
}

TEST(missing_required_keys_are_named)
{
	expect_errors(HEAD_NO_TARIFF PARTS
		      ", \"tariff\": {\"network_eur_kwh\": 0.12, "
		      "\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
		      "\"D\": 0.12}, \"taxes_eur_kwh\": 0.05, "
		      "\"injection_eur_kwh\": 0.03}}",
		      "sc.json: $.tariff: missing required key "
		      "'supplier_day_eur_kwh'\n"
		      "sc.json: $.tariff.network_shared_eur_kwh: missing "
		      "required key 'C'\n");
	expect_errors("{}", "sc.json: $: missing required key 'name'\n"
			    "sc.json: $: missing required key 'period'\n"
			    "sc.json: $: missing required key 'readings' (or "
			    "'db')\n"
			    "sc.json: $: missing required key 'participants'\n"
			    "sc.json: $: missing required key 'tariff'\n");
}

TEST(duplicate_ids_are_errors)
{
	expect_errors(HEAD "\"participants\": [{\"id\": \"h01\"}, {\"id\": "
			   "\"h01\"}], \"cabins\": [{\"id\": \"c\"}, {\"id\": "
			   "\"c\"}]}",
		      "sc.json: $.cabins[1].id: duplicate cabin id 'c'\n"
		      "sc.json: $.participants[1].id: duplicate participant "
		      "id 'h01'\n");
}

TEST(participant_values_are_checked)
{
	expect_errors(
	    HEAD "\"participants\": [{\"id\": \"\"}, {\"id\": \"h07\", "
		 "\"kind\": \"houshold\", \"vat\": 1.5, \"epb_class\": "
		 "\"H\", \"lang\": \"de\", \"occupants\": -1, "
		 "\"meters\": {\"consumption\": \"c\", \"offtake\": \"o\"}}"
		 "]}",
	    "sc.json: $.participants[0].id: expected a non-empty string\n"
	    "sc.json: $.participants[1].kind: unknown kind 'houshold' "
	    "(did you mean 'household'? expected one of: household, "
	    "association, common, producer, "
	    "other)\n"
	    "sc.json: $.participants[1].meters: participant 'h07': cannot "
	    "mix gross meters (consumption, production) with net meters "
	    "(offtake, injection)\n"
	    "sc.json: $.participants[1].occupants: participant 'h07': "
	    "occupants must be at least 0, got -1\n"
	    "sc.json: $.participants[1].epb_class: unknown epb_class 'H' "
	    "(expected one of: A, B, C, D, E, F, G)\n"
	    "sc.json: $.participants[1].vat: participant 'h07': vat must "
	    "be between 0 and 1, got 1.5\n"
	    "sc.json: $.participants[1].lang: unknown lang 'de' (expected "
	    "one of: fr, nl, en)\n");
	expect_errors(HEAD "\"participants\": []}",
		      "sc.json: $.participants: expected at least one "
		      "participant\n");
}

TEST(period_and_sources_are_checked)
{
	expect_errors("{\"name\": \"t\", \"period\": {\"start\": "
		      "\"2024-02-01\", \"end\": \"2024-01-01\"}, \"readings\": "
		      "\"r\", \"db\": \"d\", \"min_coverage\": 0, " TARIFF
		      ", " PARTS "}",
		      "sc.json: $.period: end '2024-01-01' must be after start "
		      "'2024-02-01'\n"
		      "sc.json: $: keys 'readings' and 'db' cannot both be "
		      "given\n"
		      "sc.json: $.min_coverage: min_coverage must be greater "
		      "than 0 and at most 1, got 0\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	const char *bad = "{\"name\": \"t\", \"period\": {\"start\": "
			  "\"2024-02-30\", \"end\": \"2024-03-01\"}, "
			  "\"readings\": \"r\", " TARIFF ", " PARTS "}";
	CHECK_INT(cab_scenario_parse("sc.json", bad, strlen(bad), &sc, &err),
		  CAB_EINPUT);
	CHECK_INT(err.count, 1);
	CHECK(err.text && strncmp(err.text,
				  "sc.json: $.period.start: invalid date "
				  "'2024-02-30' (",
				  50) == 0);
	cab_err_release(&err);
}

TEST(tariff_hours_and_prices_are_checked)
{
	expect_errors(HEAD_NO_TARIFF PARTS
		      ", \"tariff\": {\"supplier_day_eur_kwh\": -0.25, "
		      "\"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": "
		      "{\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12, "
		      "\"E\": 1}, \"taxes_eur_kwh\": 1e999, "
		      "\"injection_eur_kwh\": 0.03, \"day_start_h\": 22, "
		      "\"day_end_h\": 7}}",
		      "sc.json: $.tariff.supplier_day_eur_kwh: "
		      "supplier_day_eur_kwh must be at least 0, got -0.25\n"
		      "sc.json: $.tariff.network_shared_eur_kwh: unknown key "
		      "'E' (expected one of: A, B, C, D)\n"
		      "sc.json: $.tariff.taxes_eur_kwh: taxes_eur_kwh must be "
		      "a finite number\n"
		      "sc.json: $.tariff: day_start_h (22) must be before "
		      "day_end_h (7)\n");
}

TEST(sharing_values_are_checked)
{
	expect_errors(HEAD PARTS ", \"sharing\": {\"key\": \"equal\", "
				 "\"rounds\": \"two\", \"perimeter\": "
				 "\"street\", \"price_eur_kwh\": -1, "
				 "\"group_key\": \"optimal\"}}",
		      "sc.json: $.sharing.key: unknown sharing key 'equal' "
		      "(expected one of: fixed, proportional, hybrid, "
		      "priority, optimal)\n"
		      "sc.json: $.sharing.rounds: unknown rounds 'two' "
		      "(expected one of: one, until-done)\n"
		      "sc.json: $.sharing.perimeter: unknown perimeter "
		      "'street' (expected one of: community, cabin)\n"
		      "sc.json: $.sharing.price_eur_kwh: price_eur_kwh must be "
		      "at least 0, got -1\n"
		      "sc.json: $.sharing.group_key: unknown group_key "
		      "'optimal' (expected one of: proportional, fixed, "
		      "hybrid)\n");
}

TEST(cabin_perimeter_needs_every_participant_in_a_cabin)
{
	expect_errors(HEAD "\"cabins\": [{\"id\": \"c\"}], \"participants\": "
			   "[{\"id\": \"h01\", \"cabin\": \"c\"}, {\"id\": "
			   "\"h02\"}], \"sharing\": {\"perimeter\": "
			   "\"cabin\"}}",
		      "sc.json: $.sharing.perimeter: participant 'h02' has no "
		      "cabin (perimeter 'cabin' needs one for every "
		      "participant)\n");
}

TEST(priority_groups_put_unlisted_participants_last)
{
	struct cab_scenario *sc =
	    parse_ok("sc.json", HEAD
		     "\"participants\": [{\"id\": \"h01\"}, {\"id\": \"h02\"}, "
		     "{\"id\": \"h03\"}, {\"id\": \"h04\"}], \"sharing\": "
		     "{\"key\": \"priority\", \"groups\": [[\"h03\"], "
		     "[\"h01\", \"h04\"]], \"group_key\": \"fixed\"}}");
	if (sc) {
		CHECK_STR(sc->sharing.key, "priority");
		CHECK_STR(sc->sharing.group_key, "fixed");
		CHECK_INT(sc->sharing.n_groups, 3);
		CHECK_INT(sc->participants[0].priority_group, 1);
		CHECK_INT(sc->participants[1].priority_group, 2);
		CHECK_INT(sc->participants[2].priority_group, 0);
		CHECK_INT(sc->participants[3].priority_group, 1);
	}
	cab_scenario_free(sc);
	/* everyone listed: no extra group */
	sc =
	    parse_ok("sc.json", HEAD PARTS ", \"sharing\": {\"key\": "
					   "\"priority\", \"groups\": "
					   "[[\"h02\", \"h03\"], [\"h01\"]]}}");
	if (sc) {
		CHECK_INT(sc->sharing.n_groups, 2);
		CHECK_INT(sc->participants[0].priority_group, 1);
		CHECK_INT(sc->participants[1].priority_group, 0);
	}
	cab_scenario_free(sc);
}

TEST(priority_group_errors)
{
	expect_errors(HEAD PARTS ", \"sharing\": {\"key\": \"priority\"}}",
		      "sc.json: $.sharing: missing required key 'groups' (key "
		      "'priority' needs priority groups)\n");
	expect_errors(HEAD PARTS ", \"sharing\": {\"key\": \"priority\", "
				 "\"groups\": [[\"h01\"], [\"h02\", \"h01\"], "
				 "[], \"h03\"]}}",
		      "sc.json: $.sharing.groups[1][1]: participant 'h01' is "
		      "in more than one group\n"
		      "sc.json: $.sharing.groups[2]: empty group (expected at "
		      "least one participant id)\n"
		      "sc.json: $.sharing.groups[3]: expected an array, got a "
		      "string\n");
}

TEST(several_errors_are_listed_at_once)
{
	struct cab_err err;
	cab_err_init(&err);
	struct cab_scenario *sc = NULL;
	const char *json = HEAD PARTS
	    ", \"colour\": \"red\", \"sharing\": {\"key\": \"fixed\", "
	    "\"weights\": {\"h01\": 2}}, \"billing\": {\"mode\": \"all\"}}";
	CHECK_INT(cab_scenario_parse("sc.json", json, strlen(json), &sc, &err),
		  CAB_EINPUT);
	/* unknown key, weight out of range, unknown mode */
	CHECK_INT(err.count, 3);
	CHECK(sc == NULL);
	cab_err_release(&err);
}

TEST(variant_keeps_the_base_keys_it_does_not_name)
{
	struct cab_scenario *sc =
	    parse_ok("sc.json", HEAD PARTS
		     ", \"sharing\": {\"key\": \"fixed\", \"weights\": "
		     "{\"h01\": 0.4, \"h03\": 0.1}, \"price_eur_kwh\": "
		     "0.12}, \"compare\": [{\"name\": \"hyb\", "
		     "\"sharing\": {\"key\": \"hybrid\"}}, {\"name\": "
		     "\"w\", \"sharing\": {\"weights\": {\"h02\": 1}}, "
		     "\"billing\": {\"mode\": \"individual\"}}]}");
	if (!sc)
		return;
	CHECK_INT(sc->n_variants, 2);
	const struct cab_variant *v = &sc->variants[0];
	CHECK_STR(v->name, "hyb");
	CHECK_STR(v->sharing.key, "hybrid");
	CHECK(v->sharing.has_weights);
	CHECK_NEAR(v->sharing.price_eur_kwh, 0.12, 1e-12);
	CHECK_NEAR(v->weights[0], 0.4, 1e-12);
	CHECK(v->has_weight[0] && !v->has_weight[1] && v->has_weight[2]);
	CHECK_NEAR(v->weights[2], 0.1, 1e-12);
	CHECK_INT(v->billing.mode, CAB_BILLING_SHARED);
	v = &sc->variants[1];
	CHECK_STR(v->sharing.key, "fixed");
	CHECK(!v->has_weight[0] && v->has_weight[1] && !v->has_weight[2]);
	CHECK_NEAR(v->weights[1], 1, 1e-12);
	CHECK_INT(v->billing.mode, CAB_BILLING_INDIVIDUAL);
	/* the base is untouched */
	CHECK_NEAR(sc->participants[0].weight, 0.4, 1e-12);
	CHECK(!sc->participants[1].has_weight);
	cab_scenario_free(sc);
}

TEST(variant_is_validated_like_the_base)
{
	expect_errors(
	    HEAD PARTS ", \"sharing\": {\"key\": \"fixed\", "
		       "\"weights\": {\"h01\": 0.6}}, \"compare\": "
		       "[{\"name\": \"a\", \"sharing\": {\"weights\": "
		       "{\"h02\": 0.5}, \"key\": \"priority\"}}, "
		       "{\"name\": \"a\", \"colour\": 1}, {\"sharing\": "
		       "{\"wieghts\": 1}}]}",
	    "sc.json: $.compare[0].sharing: missing required key "
	    "'groups' (key 'priority' needs priority groups)\n"
	    "sc.json: $.compare[1]: unknown key 'colour' (expected "
	    "one of: name, sharing, billing)\n"
	    "sc.json: $.compare[1].name: duplicate variant name 'a'\n"
	    "sc.json: $.compare[2]: missing required key 'name'\n"
	    "sc.json: $.compare[2].sharing: unknown key 'wieghts' "
	    "(did you mean 'weights'? expected one of: key, weights, rounds, "
	    "perimeter, "
	    "price_eur_kwh, locality, groups, group_key, objective)\n");
}

#define POT_PARTS                                                              \
	"\"participants\": [{\"id\": \"h01\", \"occupants\": 2, "              \
	"\"income_band\": 0, \"epb_class\": \"C\", \"floor_area_m2\": 80, "    \
	"\"history_kwh\": 3000, \"protected\": true}, {\"id\": \"h02\", "      \
	"\"occupants\": 1, \"income_band\": 2, \"epb_class\": \"E\", "         \
	"\"floor_area_m2\": 60, \"history_kwh\": 2000}]"

TEST(pot_billing_is_read)
{
	struct cab_scenario *sc = parse_ok(
	    "sc.json", HEAD POT_PARTS
	    ", \"billing\": {\"mode\": \"pot\", \"key\": {\"history\": "
	    "0.5, \"income\": 0.3, \"building\": 0.2}, \"income_factors\": "
	    "{\"0\": 0.5, \"2\": 1.5}, \"building_factors\": {\"C\": 1, "
	    "\"E\": 1.2}, \"vat\": 0.21, \"fixed_eur_year\": 120, "
	    "\"bounds\": {\"protected\": {\"max_price_eur_kwh\": 0.2}, "
	    "\"h02\": {\"min_eur\": 10, \"max_eur\": 500}}}}");
	if (!sc)
		return;
	const struct cab_billing *b = &sc->billing;
	CHECK_INT(b->mode, CAB_BILLING_POT);
	CHECK_NEAR(b->alpha[CAB_CRIT_HISTORY], 0.5, 1e-12);
	CHECK_NEAR(b->alpha[CAB_CRIT_INCOME], 0.3, 1e-12);
	CHECK_NEAR(b->alpha[CAB_CRIT_BUILDING], 0.2, 1e-12);
	CHECK_NEAR(b->alpha[CAB_CRIT_EQUAL], 0, 1e-12);
	CHECK_INT(b->n_income_factors, 3);
	CHECK_NEAR(b->income_factors[0], 0.5, 1e-12);
	CHECK(b->income_factors[1] < 0);
	CHECK_NEAR(b->income_factors[2], 1.5, 1e-12);
	CHECK(b->building_factors[0] < 0);
	CHECK_NEAR(b->building_factors[2], 1, 1e-12);
	CHECK_NEAR(b->building_factors[4], 1.2, 1e-12);
	CHECK_NEAR(b->vat, 0.21, 1e-12);
	CHECK_NEAR(b->fixed_eur_year, 120, 1e-12);
	CHECK_INT(b->n_bounds, 2);
	CHECK_STR(b->bounds[0].who, "protected");
	CHECK_NEAR(b->bounds[0].max_price_eur_kwh, 0.2, 1e-12);
	CHECK(b->bounds[0].max_eur < 0 && b->bounds[0].min_eur < 0);
	CHECK_STR(b->bounds[1].who, "h02");
	CHECK_NEAR(b->bounds[1].min_eur, 10, 1e-12);
	CHECK_NEAR(b->bounds[1].max_eur, 500, 1e-12);
	CHECK_STR(cab_criterion_name(CAB_CRIT_BUILDING), "building");
	CHECK_STR(cab_criterion_name(CAB_CRIT_EQUAL), "equal");
	cab_scenario_free(sc);
}

TEST(pot_participants_need_what_their_criteria_use)
{
	expect_errors(
	    HEAD PARTS ", \"billing\": {\"mode\": \"pot\", \"key\": "
		       "{\"income\": 0.5, \"occupants\": 0.5}}}",
	    "sc.json: $.billing.key.occupants: participant 'h01': "
	    "criterion 'occupants' needs 'occupants'\n"
	    "sc.json: $.billing.key.occupants: participant 'h02': "
	    "criterion 'occupants' needs 'occupants'\n"
	    "sc.json: $.billing.key.occupants: participant 'h03': "
	    "criterion 'occupants' needs 'occupants'\n"
	    "sc.json: $.billing.key.income: participant 'h01': criterion "
	    "'income' needs 'income_band'\n"
	    "sc.json: $.billing.key.income: participant 'h02': criterion "
	    "'income' needs 'income_band'\n"
	    "sc.json: $.billing.key.income: participant 'h03': criterion "
	    "'income' needs 'income_band'\n");
	expect_errors(
	    HEAD POT_PARTS ", \"billing\": {\"mode\": \"pot\", \"key\": "
			   "{\"income\": 0.5, \"building\": 0.5}, "
			   "\"income_factors\": {\"0\": 1}, "
			   "\"building_factors\": {\"C\": 1}}}",
	    "sc.json: $.billing.key.income: participant 'h02': criterion "
	    "'income' needs a factor for income band 2 in "
	    "income_factors\n"
	    "sc.json: $.billing.key.building: participant 'h02': "
	    "criterion 'building' needs a factor for EPB class 'E' in "
	    "building_factors\n");
}

TEST(pot_key_and_bounds_are_checked)
{
	expect_errors(HEAD POT_PARTS ", \"billing\": {\"mode\": \"pot\"}}",
		      "sc.json: $.billing: missing required key 'key'\n");
	expect_errors(
	    HEAD POT_PARTS
	    ", \"billing\": {\"mode\": \"pot\", \"key\": {\"equal\": 0.5, "
	    "\"measured\": 0.4, \"luck\": 0.1}, \"income_factors\": "
	    "{\"x\": 1}, \"bounds\": {\"h9\": {\"max_eur\": 1}, \"h01\": "
	    "{\"min_eur\": 5, \"max_eur\": 4}}}}",
	    "sc.json: $.billing.key: unknown criterion 'luck' (expected "
	    "one of: equal, occupants, history, measured, income, "
	    "building)\n"
	    "sc.json: $.billing.income_factors: invalid income band 'x' "
	    "(expected an integer from 0 to 999)\n"
	    "sc.json: $.billing.bounds.h9: participant 'h9' is not "
	    "declared in $.participants\n"
	    "sc.json: $.billing.bounds.h01: min_eur (5) is above max_eur "
	    "(4)\n");
	/* 0.5 + 0.4 = 0.9 */
	expect_errors(
	    HEAD POT_PARTS
	    ", \"billing\": {\"mode\": \"pot\", \"key\": {\"equal\": "
	    "0.5, \"measured\": 0.4}}}",
	    "sc.json: $.billing.key: alphas sum to 0.9 (expected 1)\n");
}

TEST(pot_keys_outside_pot_mode_are_errors)
{
	expect_errors(HEAD PARTS ", \"billing\": {\"mode\": \"individual\", "
				 "\"bounds\": {}, \"vat\": 0.21}}",
		      "sc.json: $.billing: key 'bounds' is only used with mode "
		      "'pot'\n"
		      "sc.json: $.billing: key 'vat' is only used with mode "
		      "'pot'\n");
}

TEST(billing_variant_changing_mode_inherits_nothing_else)
{
	struct cab_scenario *sc = parse_ok(
	    "sc.json", HEAD POT_PARTS
	    ", \"billing\": {\"mode\": \"pot\", \"key\": {\"equal\": 1}, "
	    "\"vat\": 0.21}, \"compare\": [{\"name\": \"alone\", "
	    "\"billing\": {\"mode\": \"individual\"}}, {\"name\": \"occ\", "
	    "\"billing\": {\"key\": {\"occupants\": 1}}}]}");
	if (!sc)
		return;
	CHECK_INT(sc->variants[0].billing.mode, CAB_BILLING_INDIVIDUAL);
	CHECK_INT(sc->variants[1].billing.mode, CAB_BILLING_POT);
	CHECK_NEAR(sc->variants[1].billing.alpha[CAB_CRIT_OCCUPANTS], 1, 1e-12);
	CHECK_NEAR(sc->variants[1].billing.alpha[CAB_CRIT_EQUAL], 0, 1e-12);
	CHECK_NEAR(sc->variants[1].billing.vat, 0.21, 1e-12);
	cab_scenario_free(sc);
}

TEST(alerts_are_checked)
{
	expect_errors(HEAD PARTS
		      ", \"alerts\": [{\"start\": "
		      "\"2024-05-14T21:00\", \"end\": "
		      "\"2024-05-14T18:00\"}, {\"start\": "
		      "\"2024-05-14T18:00\", \"end\": "
		      "\"2024-05-15T19:00\"}, {\"start\": "
		      "\"2024-05-14T18:00\", \"announced\": \"no\"}]}",
		      "sc.json: $.alerts[0]: end '2024-05-14T18:00' must be "
		      "after start '2024-05-14T21:00'\n"
		      "sc.json: $.alerts[1]: alert lasts 25 h (expected at "
		      "most 24 h)\n"
		      "sc.json: $.alerts[2]: missing required key 'end'\n"
		      "sc.json: $.alerts[2].announced: expected a boolean, got "
		      "a string\n");
}

TEST(top_level_groups_are_checked)
{
	expect_errors(HEAD PARTS ", \"groups\": {\"a\": [\"h01\", \"h01\", "
				 "\"hx\"], \"b\": 3}}",
		      "sc.json: $.groups.a[1]: participant 'h01' is listed "
		      "twice in group 'a'\n"
		      "sc.json: $.groups.a[2]: participant 'hx' is not "
		      "declared in $.participants\n"
		      "sc.json: $.groups.b: expected an array, got a number\n");
}

TEST(odd_bytes_in_keys_stay_on_one_line)
{
	expect_errors(HEAD PARTS ", \"a\\nb\": 1}",
		      "sc.json: $: unknown key 'a?b' (expected one of: name, "
		      "period, readings, db, min_coverage, fill, cabins, "
		      "participants, tariff, sharing, billing, alerts, "
		      "compare, groups, alerts_reference, fill_max_intervals, "
		      "appliances, site, location)\n");
}

static const struct harness_test tests[] = {
    T(spec_example_is_read_field_by_field),
    T(omitted_keys_take_their_defaults),
    T(optional_values_are_read),
    T(load_reads_a_file_and_resolves_paths_from_its_directory),
    T(missing_file_names_the_system_error),
    T(json_syntax_errors_carry_line_and_column),
    T(root_must_be_an_object),
    T(unknown_key_lists_the_expected_ones_and_the_closest),
    T(long_quoted_text_is_cut_between_characters),
    T(weight_out_of_range_names_the_participant),
    T(weights_above_one_name_their_sum),
    T(weight_of_undeclared_participant_is_an_error),
    T(undeclared_cabin_is_an_error),
    T(wrong_types_say_what_was_expected),
    T(missing_required_keys_are_named),
    T(duplicate_ids_are_errors),
    T(participant_values_are_checked),
    T(period_and_sources_are_checked),
    T(tariff_hours_and_prices_are_checked),
    T(sharing_values_are_checked),
    T(cabin_perimeter_needs_every_participant_in_a_cabin),
    T(priority_groups_put_unlisted_participants_last),
    T(priority_group_errors),
    T(several_errors_are_listed_at_once),
    T(variant_keeps_the_base_keys_it_does_not_name),
    T(variant_is_validated_like_the_base),
    T(pot_billing_is_read),
    T(pot_participants_need_what_their_criteria_use),
    T(pot_key_and_bounds_are_checked),
    T(pot_keys_outside_pot_mode_are_errors),
    T(billing_variant_changing_mode_inherits_nothing_else),
    T(alerts_are_checked),
    T(top_level_groups_are_checked),
    T(odd_bytes_in_keys_stay_on_one_line),
};

HARNESS_MAIN("test_scenario", tests)
