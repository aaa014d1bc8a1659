/*
 * test_suggest.c — "did you mean", the day/month/year hint and the
 * error list's cut and warnings (engine/base/suggest.c, err.c).
 */
#include <string.h>

#include "cabine/err.h"
#include "engine/base/suggest.h"
#include "harness.h"

TEST(distance_counts_edits_and_swaps_of_neighbours)
{
	/* kitten → sitting: k→s, e→i, +g = 3 */
	CHECK_INT(cab_suggest_distance("kitten", "sitting"), 3);
	/* one transposition of neighbours is one edit, not two */
	CHECK_INT(cab_suggest_distance("wieghts", "weights"), 1);
	CHECK_INT(cab_suggest_distance("ab", "ba"), 1);
	/* proportionnel → proportional: drop one n, e→a = 2 */
	CHECK_INT(cab_suggest_distance("proportionnel", "proportional"), 2);
	CHECK_INT(cab_suggest_distance("", "abc"), 3);
	CHECK_INT(cab_suggest_distance("abc", ""), 3);
	/* case is folded: a case-only difference is distance 0 */
	CHECK_INT(cab_suggest_distance("m01-C", "m01-c"), 0);
	CHECK_INT(cab_suggest_distance("Supplier_Day", "supplier_day"), 0);
}

TEST(distance_of_long_words_is_only_by_case)
{
	char a[100], b[100];
	memset(a, 'x', 80);
	a[80] = 0;
	memcpy(b, a, 81);
	b[0] = 'X';
	CHECK_INT(cab_suggest_distance(a, b), 0);
	b[0] = 'y';
	CHECK(cab_suggest_distance(a, b) == (size_t)-1);
}

static const char *best_of(const char *word, const char *const *list)
{
	struct cab_suggest s;
	cab_suggest_init(&s, word);
	cab_suggest_offer_all(&s, list);
	return cab_suggest_best(&s);
}

TEST(best_is_the_unique_closest_within_the_limit)
{
	static const char *const keys[] = {
	    "key", "weights", "rounds", "perimeter", "price_eur_kwh", NULL};
	CHECK_STR(best_of("prise_eur_kwh", keys), "price_eur_kwh");
	CHECK_STR(best_of("wieghts", keys), "weights");
	CHECK_STR(best_of("KEY", keys), "key");
	/* "colour" is 5 or more edits from every key: no suggestion */
	CHECK(best_of("colour", keys) == NULL);
	static const char *const kinds[] = {
	    "fixed", "proportional", "hybrid", "priority", "optimal", NULL};
	CHECK_STR(best_of("proportionnel", kinds), "proportional");
	/* a 3-byte word accepts 1 edit: "fxd" is 2 insertions from
	 * "fixed", so none */
	CHECK(best_of("fxd", kinds) == NULL);
	/* a 10-byte word accepts 10 / 3 = 3 edits: "proportion" is 2
	 * insertions from "proportional" */
	CHECK_STR(best_of("proportion", kinds), "proportional");
}

TEST(ties_and_case_only_differences)
{
	/* 'H' is one edit from each of A..G: a tie, no suggestion */
	static const char *const epb[] = {"A", "B", "C", "D",
					  "E", "F", "G", NULL};
	CHECK(best_of("H", epb) == NULL);
	/* 'h11' is one edit from h01, h10 and h12 */
	static const char *const ids[] = {"h01", "h10", "h12", NULL};
	CHECK(best_of("h11", ids) == NULL);
	/* a case-only difference wins over a one-edit neighbour */
	static const char *const meters[] = {"m01-c", "m01-p", "m02-c", NULL};
	CHECK_STR(best_of("m01-C", meters), "m01-c");
	/* the word itself is no suggestion */
	CHECK(best_of("m01-c", meters) == NULL);
}

TEST(day_month_year_dates_are_recognised)
{
	char out[32];
	CHECK(cab_hint_day_month_year("05/03/2024 10:00", 16, out, 32));
	CHECK_STR(out, "2024-03-05T10:00:00");
	CHECK(cab_hint_day_month_year("5-3-2024", 8, out, 32));
	CHECK_STR(out, "2024-03-05T00:00:00");
	CHECK(cab_hint_day_month_year("31.12.2024T23:45:30", 19, out, 32));
	CHECK_STR(out, "2024-12-31T23:45:30");
	CHECK(!cab_hint_day_month_year("2024-03-05T10:00:00Z", 20, out, 32));
	CHECK(!cab_hint_day_month_year("05/13/2024", 10, out, 32));
	CHECK(!cab_hint_day_month_year("05/03/24", 8, out, 32));
	CHECK(!cab_hint_day_month_year("05/03-2024", 10, out, 32));
	CHECK(!cab_hint_day_month_year("05/03/2024 10h00", 16, out, 32));
}

TEST(a_capped_list_counts_the_rest_and_says_so)
{
	struct cab_err err;
	cab_err_init(&err);
	cab_err_add(&err, CAB_EINPUT, "before");
	size_t mark = cab_err_cap(&err, 2);
	for (int i = 0; i < 5; i++)
		cab_err_at_line(&err, CAB_EINPUT, "f.csv", i + 2, "bad %d", i);
	cab_err_uncap(&err, mark);
	cab_err_add(&err, CAB_EINPUT, "after");
	/* 1 before, 2 kept of 5, the line for 3 more, 1 after */
	CHECK_INT(err.count, 5);
	CHECK_STR(err.text, "before\nf.csv:2: bad 0\nf.csv:3: bad 1\n"
			    "… and 3 more problems\nafter\n");
	cab_err_release(&err);
	cab_err_init(&err);
	cab_err_more(&err, CAB_EINPUT, 1);
	CHECK_STR(err.text, "… and 1 more problem\n");
	cab_err_release(&err);
}

TEST(warnings_are_kept_once_and_strict_makes_them_errors)
{
	struct cab_err err;
	cab_err_init(&err);
	cab_err_warn_at_path(&err, "low_coverage", "s.json",
			     "$.participants[0]",
			     "participant '%s': %d %% missing", "h01", 12);
	cab_err_warn_at_path(&err, "low_coverage", "s.json",
			     "$.participants[0]",
			     "participant '%s': %d %% missing", "h01", 12);
	cab_err_warn_at_line(&err, "unused_meter", "r.csv", 7, "meter '%s'",
			     "x");
	CHECK_INT(err.n_warnings, 2);
	CHECK_INT(err.code, CAB_OK);
	CHECK_INT(err.count, 0);
	CHECK_STR(err.warnings[0].code, "low_coverage");
	CHECK_STR(err.warnings[0].message, "participant 'h01': 12 % missing");
	CHECK_STR(err.warnings[0].line,
		  "s.json: $.participants[0]: participant 'h01': 12 % missing");
	CHECK_STR(err.warnings[1].line, "r.csv:7: meter 'x'");
	CHECK_INT(cab_err_warnings_to_errors(&err), CAB_EINPUT);
	CHECK_INT(err.n_warnings, 0);
	CHECK_INT(err.code, CAB_EINPUT);
	CHECK_STR(err.text,
		  "s.json: $.participants[0]: participant 'h01': 12 % missing\n"
		  "r.csv:7: meter 'x'\n");
	CHECK_INT(cab_err_warnings_to_errors(&err), CAB_OK);
	cab_err_release(&err);
}

static const struct harness_test tests[] = {
    T(distance_counts_edits_and_swaps_of_neighbours),
    T(distance_of_long_words_is_only_by_case),
    T(best_is_the_unique_closest_within_the_limit),
    T(ties_and_case_only_differences),
    T(day_month_year_dates_are_recognised),
    T(a_capped_list_counts_the_rest_and_says_so),
    T(warnings_are_kept_once_and_strict_makes_them_errors),
};

HARNESS_MAIN("test_suggest", tests)
