/*
 * locale.c — the language of cabine's messages: the user's locale
 * (LC_ALL, LC_MESSAGES, LANG, and LANGUAGE as gettext reads it), English
 * by default, and where the translations are (engine/base/i18n.h).
 *
 * Why here: only the program decides its locale; the library only looks
 * messages up. Only LC_MESSAGES is set: numbers keep the C locale's
 * point in every output and message.
 *
 * Robustness: gettext translates only when setlocale() accepts the
 * locale, and a machine often lacks the one its user names (a container
 * with only C.UTF-8, a fresh install without fr_BE.UTF-8 generated). The
 * messages should not depend on that: when the named locale is missing,
 * LC_MESSAGES becomes C.UTF-8 (built into glibc) and, unless LANGUAGE
 * already says which, LANGUAGE takes the locale's name, which glibc's
 * gettext honours for every locale but "C". So LANG=fr_BE.UTF-8 gives
 * French messages whether or not that locale is installed, and
 * LANG=C or no variable at all gives English.
 *
 * The translations (<lang>/LC_MESSAGES/cabine.mo) are looked for next to
 * the program: <dir>/build/locale (./cabine in the source tree),
 * <dir>/locale (build-asan/cabine), <dir>/../locale (build/tests/…) and
 * <dir>/../share/locale (an installed bin/cabine, `make install`), the
 * first that holds a catalog; else gettext's default folder.
 *
 * Workload: once per process, before anything is printed.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

/* The locale name the environment gives messages, or NULL. */
static const char *messages_locale(void)
{
	const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (int k = 0; k < 3; k++) {
		const char *v = getenv(names[k]);
		if (v && v[0])
			return v;
	}
	return NULL;
}

/* Does dir hold one of cabine's catalogs? */
static bool has_catalog(const char *dir)
{
	static const char *const langs[] = {"fr", "nl"};
	struct stat st;
	for (int k = 0; k < 2; k++) {
		char p[4400];
		int n = snprintf(p, sizeof p, "%s/%s/LC_MESSAGES/%s.mo", dir,
				 langs[k], CAB_TEXT_DOMAIN);
		if (n > 0 && (size_t)n < sizeof p && stat(p, &st) == 0)
			return true;
	}
	return false;
}

static void bind_catalogs(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	static const char *const rel[] = {"build/locale", "locale", "../locale",
					  "../share/locale"};
	for (int k = 0; k < 4; k++) {
		char dir[4200];
		int m = snprintf(dir, sizeof dir, "%s/%s", exe, rel[k]);
		if (m > 0 && (size_t)m < sizeof dir && has_catalog(dir)) {
			bindtextdomain(CAB_TEXT_DOMAIN, dir);
			return;
		}
	}
}

void cab_cli_locale_init(void)
{
	const char *name = messages_locale();
	bool is_c = !name || !strcmp(name, "C") || !strcmp(name, "POSIX");
	if (!setlocale(LC_MESSAGES, "") && !is_c &&
	    setlocale(LC_MESSAGES, "C.UTF-8")) {
		const char *language = getenv("LANGUAGE");
		if (!language || !language[0])
			setenv("LANGUAGE", name, 1);
	}
	bind_catalogs();
	/* The catalogs are UTF-8, and so are cabine's messages, whatever
	 * LC_CTYPE says (it stays "C"). */
	bind_textdomain_codeset(CAB_TEXT_DOMAIN, "UTF-8");
}
