/*
 * text.c — the one check of a text that reaches an output (see text.h):
 * a strict UTF-8 decoder that refuses what XML 1.0 and Excel cannot hold.
 *
 * Why strict: cJSON copies raw bytes into its strings without checking
 * them, and decodes \uXXXX escapes into UTF-8 itself, so the only place
 * where "a\u0001b", a raw 0xff byte and a surrogate written in UTF-8
 * (ED A0 80) look alike is the decoded UTF-8 that this file reads.
 *
 * Workload: one pass over the bytes; no allocation.
 */
#include "engine/base/text.h"

#include <stdint.h>
#include <stdio.h>

#define EXPECT " (expected printable text)"

/* Surrogates decode here: cab_text_problem refuses them with their code
 * point. */
size_t cab_text_decode(const char *text, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char b = s[0];
	size_t len;
	uint32_t min;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
		min = 0x80;
		*cp = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		min = 0x800;
		*cp = b & 0x0F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		min = 0x10000;
		*cp = b & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[k] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF)
		return 0;
	return len;
}

const char *cab_text_problem(const char *s, size_t len, char *why, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t chars = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = cab_text_decode(s + i, len - i, &cp);
		chars++;
		if (n == 0) {
			snprintf(why, cap,
				 "holds invalid UTF-8 (byte 0x%02x) at "
				 "character %zu" EXPECT,
				 u[i], chars);
			return why;
		}
		if (cp == 0) {
			snprintf(why, cap,
				 "holds a NUL character (\\u0000) at "
				 "character %zu" EXPECT,
				 chars);
			return why;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			snprintf(why, cap,
				 "holds control character U+%04X at "
				 "character %zu" EXPECT,
				 (unsigned)cp, chars);
			return why;
		}
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			snprintf(why, cap,
				 "holds lone surrogate U+%04X at "
				 "character %zu" EXPECT,
				 (unsigned)cp, chars);
			return why;
		}
		if (cp == 0xFFFE || cp == 0xFFFF) {
			snprintf(why, cap,
				 "holds non-character U+%04X at "
				 "character %zu" EXPECT,
				 (unsigned)cp, chars);
			return why;
		}
		i += n;
	}
	if (chars > CAB_TEXT_MAX_CHARS) {
		snprintf(why, cap,
			 "is %zu characters long (expected at most %d, "
			 "Excel's limit for a cell)",
			 chars, CAB_TEXT_MAX_CHARS);
		return why;
	}
	return NULL;
}

size_t cab_text_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}
