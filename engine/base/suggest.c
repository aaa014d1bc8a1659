/*
 * suggest.c — "did you mean …?" by edit distance, and the day/month/year
 * hint (see suggest.h).
 *
 * Workload: a few dozen candidates of a few dozen bytes per problem
 * found; called only on error paths, so a quadratic distance on short
 * strings is cheap.
 */
#include "engine/base/suggest.h"

#include <stdio.h>
#include <string.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool equal_folded(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (fold((unsigned char)*a) != fold((unsigned char)*b))
			return false;
	return *a == *b;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t cab_suggest_distance(const char *a, const char *b)
{
	if (equal_folded(a, b))
		return 0;
	size_t na = strlen(a), nb = strlen(b);
	if (na > CAB_SUGGEST_MAX_LEN || nb > CAB_SUGGEST_MAX_LEN)
		return (size_t)-1;
	/* Three rows of the distance matrix: i - 2, i - 1 and i. */
	size_t row[3][CAB_SUGGEST_MAX_LEN + 1];
	for (size_t j = 0; j <= nb; j++)
		row[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t *cur = row[i % 3], *prev = row[(i + 2) % 3],
		       *prev2 = row[(i + 1) % 3];
		unsigned char ca = fold((unsigned char)a[i - 1]);
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned char cb = fold((unsigned char)b[j - 1]);
			size_t cost = ca == cb ? 0 : 1;
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
				      prev[j - 1] + cost);
			if (i > 1 && j > 1 &&
			    ca == fold((unsigned char)b[j - 2]) &&
			    fold((unsigned char)a[i - 2]) == cb &&
			    prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
	}
	return row[na % 3][nb];
}

void cab_suggest_init(struct cab_suggest *s, const char *word)
{
	size_t len = word ? strlen(word) : 0;
	*s = (struct cab_suggest){.word = word ? word : ""};
	s->limit = len <= 3 ? 1 : len <= 8 ? 2 : len / 3;
	s->best_d = (size_t)-1;
}

void cab_suggest_offer(struct cab_suggest *s, const char *candidate)
{
	if (!candidate || strcmp(candidate, s->word) == 0)
		return;
	size_t d = cab_suggest_distance(s->word, candidate);
	if (d == (size_t)-1)
		return;
	if (d < s->best_d) {
		s->best = candidate;
		s->best_d = d;
		s->is_tie = false;
	} else if (d == s->best_d && strcmp(candidate, s->best) != 0) {
		s->is_tie = true;
	}
}

void cab_suggest_offer_all(struct cab_suggest *s, const char *const *list)
{
	for (size_t i = 0; list && list[i]; i++)
		cab_suggest_offer(s, list[i]);
}

const char *cab_suggest_best(const struct cab_suggest *s)
{
	if (!s->best || s->is_tie)
		return NULL;
	/* A case-only difference is always worth saying. */
	return s->best_d == 0 || s->best_d <= s->limit ? s->best : NULL;
}

/* ---- day/month/year ---- */

/* 1 or 2 digits at s[*i] (the number into *v); false if none. */
static bool digits(const char *s, size_t len, size_t *i, size_t max, int *v)
{
	size_t k = 0;
	*v = 0;
	while (*i < len && k < max && s[*i] >= '0' && s[*i] <= '9') {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k > 0 && (*i >= len || s[*i] < '0' || s[*i] > '9');
}

bool cab_hint_day_month_year(const char *s, size_t len, char *out, size_t size)
{
	size_t i = 0;
	int d, m, y, hh = 0, mi = 0, ss = 0;
	if (!digits(s, len, &i, 2, &d) || i >= len)
		return false;
	char sep = s[i];
	if (sep != '/' && sep != '-' && sep != '.')
		return false;
	i++;
	if (!digits(s, len, &i, 2, &m) || i >= len || s[i] != sep)
		return false;
	i++;
	size_t y0 = i;
	if (!digits(s, len, &i, 4, &y) || i - y0 != 4)
		return false;
	if (d < 1 || d > 31 || m < 1 || m > 12)
		return false;
	if (i < len) {
		if (s[i] != ' ' && s[i] != 'T')
			return false;
		i++;
		if (!digits(s, len, &i, 2, &hh) || i >= len || s[i] != ':')
			return false;
		i++;
		if (!digits(s, len, &i, 2, &mi))
			return false;
		if (i < len && s[i] == ':') {
			i++;
			if (!digits(s, len, &i, 2, &ss))
				return false;
		}
		if (i != len || hh > 24 || mi > 59 || ss > 59)
			return false;
	}
	int n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
			 hh, mi, ss);
	return n > 0 && (size_t)n < size;
}
