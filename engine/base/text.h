/*
 * text.h — the one check of a text that reaches an output (internal to
 * the library; SPEC §11 "Text in outputs").
 *
 * Why: ids and names end up in XML (workbooks: shared strings, sheet
 * names, chart caches), CSV and JSON. XML 1.0 cannot hold control
 * characters, lone surrogates or U+FFFE/U+FFFF: Excel refuses or
 * "repairs" a workbook that has them. Excel also cuts nothing silently:
 * a cell holds at most 32,767 characters, or the workbook is not written.
 * So every text a user gives (the scenario's strings, a participants
 * table's cells) is checked once, when it is loaded, with this function,
 * and refused with its JSON path or line; nothing later needs to clean it.
 *
 * Workload: one pass over the bytes of a text; no allocation.
 */
#ifndef CABINE_BASE_TEXT_H
#define CABINE_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Excel's limit for the text of one cell, in characters. */
#define CAB_TEXT_MAX_CHARS 32767

/* What is wrong with the len bytes at s, or NULL when they are printable
 * UTF-8 text of at most CAB_TEXT_MAX_CHARS characters. The problem is
 * written into why (cap bytes, ≥ 128) as the end of a sentence whose
 * subject is the text, e.g. "holds control character U+0001 at
 * character 2 (expected printable text)", "holds lone surrogate U+D800
 * …", "holds invalid UTF-8 (byte 0xff) …", "holds non-character U+FFFF
 * …", "holds a NUL character (\u0000) …", "is 40000 characters long
 * (expected at most 32767, Excel's limit for a cell)"; the return value
 * is why. Refused: U+0000–U+001F, U+007F–U+009F,
 * U+D800–U+DFFF (even encoded in UTF-8), U+FFFE, U+FFFF, overlong or
 * truncated sequences, code points above U+10FFFF. Cannot fail. */
const char *cab_text_problem(const char *s, size_t len, char *why, size_t cap);

/* Decode the UTF-8 character at s (n ≥ 1 bytes left) into *cp; returns
 * its length in bytes, or 0 for an invalid sequence (overlong,
 * truncated, a stray continuation byte, above U+10FFFF). Surrogates
 * decode. Cannot fail. */
size_t cab_text_decode(const char *s, size_t n, uint32_t *cp);

/* Characters (code points) of the valid UTF-8 text s. */
size_t cab_text_chars(const char *s);

#endif
