/*
 * i18n.h — messages in the user's language (gettext), internal to
 * engine/: the `_()`, `N_()` and `P_()` macros every message of cabine is
 * written with.
 *
 * Why: the people who read cabine's messages are facilitators and
 * inhabitants of Brussels, who read French or Dutch first. The English
 * text stays the message id, so English output (the C locale, the
 * default) is byte for byte what it always was, and a message without a
 * translation falls back to it. The translations are po/fr.po and
 * po/nl.po; the Makefile compiles them into <build>/locale, and the
 * command line binds the domain at start (engine/cli/locale.c). Library
 * code only looks messages up: dgettext() with cabine's own domain, so a
 * program embedding the library keeps its own textdomain().
 *
 * Numbers inside messages stay in the C locale (a point for decimals):
 * only LC_MESSAGES is ever set, never LC_NUMERIC.
 *
 * Ownership: the strings returned belong to gettext (or are the msgid
 * itself) and live as long as the process.
 */
#ifndef CABINE_I18N_H
#define CABINE_I18N_H

#include <libintl.h>

#define CAB_TEXT_DOMAIN "cabine"

/* The message s (a msgid, English) in the user's language. */
#define _(s) dgettext(CAB_TEXT_DOMAIN, s)
/* Marks s for extraction (xgettext) where it is translated later. */
#define N_(s) s
/* Singular s or plural p by the count n, in the user's language. */
#define P_(s, p, n) dngettext(CAB_TEXT_DOMAIN, s, p, (unsigned long)(n))

#endif
