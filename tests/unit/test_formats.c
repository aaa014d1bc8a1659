/*
 * test_formats.c — the registry of import formats (engine/ingest/
 * formats.c): every enumerator has its table, names round-trip, the
 * name list the command line prints, which formats need --meter or
 * refuse --sum, and the sniffing behind the "this looks like a … file"
 * hint, signatures before shapes.
 */
#include "engine/ingest/formats.h"

#include "harness.h"

TEST(every_format_has_a_table_whose_name_round_trips)
{
	for (int f = 0; f < CAB_FMT_COUNT; f++) {
		const struct cab_format_ops *ops =
		    cab_format_ops((enum cab_format)f);
		CHECK(ops != NULL);
		if (!ops)
			continue;
		CHECK(ops->parse != NULL);
		CHECK(ops->sniff != NULL);
		CHECK(ops->summary && ops->summary[0]);
		CHECK_STR(cab_format_name((enum cab_format)f), ops->name);
		CHECK_STR(cab_format_summary((enum cab_format)f), ops->summary);
		CHECK(cab_format_find(ops->name) == ops);
		enum cab_format back = CAB_FMT_COUNT;
		CHECK(cab_format_parse(ops->name, &back));
		CHECK_INT(back, f);
	}
	enum cab_format out = CAB_FMT_CSV;
	CHECK(!cab_format_parse("xlsx", &out));
	CHECK(cab_format_find("CSV") == NULL);
	CHECK(cab_format_ops(CAB_FMT_COUNT) == NULL);
	CHECK_STR(cab_format_name(CAB_FMT_COUNT), "?");
}

/* The words of `cabine import`'s "unknown format" message. */
TEST(name_list_for_messages_is_in_registry_order)
{
	char list[200];
	CHECK_STR(cab_format_list(list, sizeof list),
		  "csv, power-csv, flukso-csv, flukso-json, flukso-tmpo, "
		  "dso-csv, sibelga-15min or sibelga-month");
	char small[10];
	CHECK_STR(cab_format_list(small, sizeof small),
		  "csv, powe"); /* cut, terminated */
}

TEST(meter_and_sum_rules_per_format)
{
	CHECK(!cab_format_needs_meter(CAB_FMT_CSV));
	CHECK(!cab_format_needs_meter(CAB_FMT_POWER_CSV));
	CHECK(cab_format_needs_meter(CAB_FMT_FLUKSO_CSV));
	CHECK(cab_format_needs_meter(CAB_FMT_FLUKSO_JSON));
	CHECK(cab_format_needs_meter(CAB_FMT_FLUKSO_TMPO));
	CHECK(cab_format_needs_meter(CAB_FMT_DSO_CSV));
	for (int f = 0; f < CAB_FMT_COUNT; f++) {
		const struct cab_format_ops *ops =
		    cab_format_ops((enum cab_format)f);
		/* Only the operators' files refuse --sum, and only the
		 * Flukso formats are one sensor per file. */
		CHECK((ops->no_sum != NULL) ==
		      (f == CAB_FMT_DSO_CSV || f == CAB_FMT_SIBELGA_15MIN ||
		       f == CAB_FMT_SIBELGA_MONTH));
		CHECK(ops->is_one_sensor ==
		      (f == CAB_FMT_FLUKSO_CSV || f == CAB_FMT_FLUKSO_JSON ||
		       f == CAB_FMT_FLUKSO_TMPO));
		CHECK((ops->list_folder != NULL) == (f == CAB_FMT_FLUKSO_TMPO));
	}
}

static enum cab_format sniff(const char *s)
{
	return cab_format_sniff((const unsigned char *)s, strlen(s));
}

TEST(sniffing_finds_each_format_by_its_first_bytes)
{
	CHECK_INT(sniff("timestamp,meter,kwh\n2024-01-01T00:00:00Z,m,1\n"),
		  CAB_FMT_CSV);
	CHECK_INT(sniff("\xEF\xBB\xBF timestamp,meter,watts\n"),
		  CAB_FMT_POWER_CSV);
	CHECK_INT(sniff("timestamp_europe_brussels,064fe\n"),
		  CAB_FMT_POWER_CSV);
	CHECK_INT(sniff("2024-03-05 10:00:08,420\n"), CAB_FMT_FLUKSO_CSV);
	CHECK_INT(sniff("\n  [[1709632800, 420]]"), CAB_FMT_FLUKSO_JSON);
	static const unsigned char gz[] = {0x1f, 0x8b, 8, 0};
	CHECK_INT(cab_format_sniff(gz, sizeof gz), CAB_FMT_FLUKSO_TMPO);
	CHECK_INT(sniff("\xEF\xBB\xBF"
			"From (date);From (time);Until (date)\r\n"),
		  CAB_FMT_DSO_CSV);
	CHECK_INT(sniff("Van datum;Van tijdstip\n"), CAB_FMT_DSO_CSV);
	CHECK_INT(sniff("Date Début;EAN;Type de volume;Volume (kWh)\n"),
		  CAB_FMT_SIBELGA_15MIN);
	CHECK_INT(sniff("Compteur;Mois;Registre;Volume Partagé\n"),
		  CAB_FMT_SIBELGA_MONTH);
	CHECK_INT(sniff("hello\n"), CAB_FMT_COUNT);
	CHECK_INT(sniff(""), CAB_FMT_COUNT);
}

/* A signature beats a shape whatever the registry order: the operator's
 * column names in a head that also opens like a JSON array. */
TEST(a_signature_wins_over_a_shape)
{
	CHECK_INT(sniff("[From (date);x\n"), CAB_FMT_DSO_CSV);
	CHECK_INT(sniff("timestamp,meter,kwh,From (date)\n"), CAB_FMT_DSO_CSV);
}

static const struct harness_test tests[] = {
    T(every_format_has_a_table_whose_name_round_trips),
    T(name_list_for_messages_is_in_registry_order),
    T(meter_and_sum_rules_per_format),
    T(sniffing_finds_each_format_by_its_first_bytes),
    T(a_signature_wins_over_a_shape),
};
HARNESS_MAIN("test_formats", tests)
