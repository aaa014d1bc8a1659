/*
 * suggest.h — "did you mean …?" and the hints that recognise a common
 * mistake's shape (internal to engine/).
 *
 * Why: most problems in a community's files are typos (`proportionnel`
 * for `proportional`, `m01-C` for `m01-c`) or a spreadsheet's habits (a
 * date written 05/03/2024, a decimal comma). A message that names the
 * likely intent saves a facilitator the search. The scenario loader asks
 * for a suggestion among the keys, values or ids it knows; the readings
 * parsers ask whether a timestamp is a day/month/year date.
 *
 * The distance is the optimal-string-alignment Damerau–Levenshtein
 * distance (insertions, deletions, substitutions and transpositions of
 * two neighbours) on ASCII-case-folded bytes, so a word that differs only
 * by case is at distance 0 and always suggested. A candidate is close
 * enough when its distance to the word is at most 1 for words of up to 3
 * bytes, 2 up to 8 bytes, and a third of the length beyond; it is
 * suggested only when no other candidate is as close.
 *
 * Ownership: a struct cab_suggest borrows the word and the candidates;
 * they must outlive it.
 */
#ifndef CABINE_SUGGEST_H
#define CABINE_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#define CAB_SUGGEST_MAX_LEN 64 /* longer words are only matched by case */

/* The search for the candidate closest to one word. */
struct cab_suggest {
	const char *word; /* what the user wrote (borrowed) */
	size_t limit;	  /* largest distance accepted */
	const char *best; /* closest candidate so far, or NULL (borrowed) */
	size_t best_d;	  /* its distance */
	bool is_tie;	  /* another candidate is as close as best */
};

/* Edit distance between a and b (see above), or (size_t)-1 when either
 * is longer than CAB_SUGGEST_MAX_LEN bytes and they differ by more than
 * case. */
size_t cab_suggest_distance(const char *a, const char *b);

/* Start a search for word (borrowed). */
void cab_suggest_init(struct cab_suggest *s, const char *word);
/* Offer one candidate (borrowed; NULL and the word itself are skipped). */
void cab_suggest_offer(struct cab_suggest *s, const char *candidate);
/* Offer every string of a NULL-terminated list. */
void cab_suggest_offer_all(struct cab_suggest *s, const char *const *list);
/* The candidate to suggest: the closest one if it is close enough and
 * no other is as close; else NULL. */
const char *cab_suggest_best(const struct cab_suggest *s);

/* Is s[0..len) a date written day/month/year (05/03/2024, 5-3-2024,
 * 05.03.2024, with or without a time "10:00" or "10:00:00" after a space
 * or a 'T')? Then the same instant in the shape cabine reads,
 * "2024-03-05T10:00:00" (midnight without a time), goes into out (size
 * bytes, at least 20) and the result is true. */
bool cab_hint_day_month_year(const char *s, size_t len, char *out, size_t size);

#endif
