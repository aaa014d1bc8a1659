/*
 * err.c — error reports: a growable list of one-line messages, and the
 * warnings found on the way.
 *
 * Why a list: `cabine check` must list every problem of a scenario, not
 * only the first. Messages are formatted once here so that all modules
 * use the same "file:line: message" shape. A capped list (a file with
 * thousands of bad rows) keeps its first messages and counts the rest,
 * so that memory stays bounded and the user learns how many there are; and each
 * message stays one line: a control character that a path or a library's
 * message brings (a newline, a tab) is written as '?'.
 */
#include "cabine/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/i18n.h"

static const char *const status_names[CAB_STATUS_COUNT] = {
    [CAB_OK] = N_("ok"),
    [CAB_EINPUT] = N_("bad input"),
    [CAB_ENOMEM] = N_("out of memory"),
    [CAB_EIO] = N_("input/output error"),
    [CAB_ELP] = N_("solver error"),
    [CAB_EINTERNAL] = N_("internal error"),
};

const char *cab_status_str(enum cab_status s)
{
	if ((unsigned)s >= CAB_STATUS_COUNT || !status_names[s])
		return "unknown status";
	return status_names[s];
}

void cab_err_init(struct cab_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void cab_err_release(struct cab_err *err)
{
	if (!err)
		return;
	free(err->text);
	for (size_t i = 0; i < err->n_warnings; i++) {
		free(err->warnings[i].message);
		free(err->warnings[i].line);
	}
	free(err->warnings);
	memset(err, 0, sizeof(*err));
}

static void append_always(struct cab_err *err, enum cab_status code,
			  const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void append_always(struct cab_err *err, enum cab_status code,
			  const char *prefix, const char *fmt, va_list ap)
{
	if (err->code == CAB_OK)
		err->code = code;
	char msg[1024];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	size_t need = strlen(prefix) + strlen(msg) + 2;
	if (err->len + need + 1 > err->cap) {
		size_t cap = err->cap ? err->cap * 2 : 256;
		while (cap < err->len + need + 1)
			cap *= 2;
		char *t = realloc(err->text, cap);
		if (!t)
			return;
		err->text = t;
		err->cap = cap;
	}
	size_t start = err->len;
	err->len += (size_t)snprintf(err->text + err->len, err->cap - err->len,
				     "%s%s\n", prefix, msg);
	/* One line per problem, whatever a library's message or a path
	 * holds: a control character there would break it. */
	for (size_t k = start; k + 1 < err->len; k++)
		if ((unsigned char)err->text[k] < 0x20 || err->text[k] == 0x7f)
			err->text[k] = '?';
	err->count++;
}

/* Append one message, or only count it when the list is capped. */
static void append(struct cab_err *err, enum cab_status code,
		   const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void append(struct cab_err *err, enum cab_status code,
		   const char *prefix, const char *fmt, va_list ap)
{
	if (err->keep_until && err->count >= err->keep_until) {
		if (err->code == CAB_OK)
			err->code = code;
		err->n_dropped++;
		return;
	}
	append_always(err, code, prefix, fmt, ap);
}

static void add_always(struct cab_err *err, enum cab_status code,
		       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_always(struct cab_err *err, enum cab_status code,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append_always(err, code, "", fmt, ap);
	va_end(ap);
}

enum cab_status cab_err_add(struct cab_err *err, enum cab_status code,
			    const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	append(err, code, "", fmt, ap);
	va_end(ap);
	return code;
}

enum cab_status cab_err_at_line(struct cab_err *err, enum cab_status code,
				const char *file, long line, const char *fmt,
				...)
{
	if (!err)
		return code;
	char prefix[600];
	snprintf(prefix, sizeof(prefix), "%s:%ld: ", file, line);
	va_list ap;
	va_start(ap, fmt);
	append(err, code, prefix, fmt, ap);
	va_end(ap);
	return code;
}

enum cab_status cab_err_at_path(struct cab_err *err, enum cab_status code,
				const char *file, const char *path,
				const char *fmt, ...)
{
	if (!err)
		return code;
	char prefix[800];
	snprintf(prefix, sizeof(prefix), "%s: %s: ", file, path);
	va_list ap;
	va_start(ap, fmt);
	append(err, code, prefix, fmt, ap);
	va_end(ap);
	return code;
}

/* ---- lists cut short ---- */

size_t cab_err_cap(struct cab_err *err, size_t max)
{
	if (!err)
		return 0;
	size_t mark = err->keep_until;
	err->keep_until = err->count + max;
	err->n_dropped = 0;
	return mark;
}

void cab_err_uncap(struct cab_err *err, size_t mark)
{
	if (!err)
		return;
	size_t n = err->n_dropped;
	err->keep_until = mark;
	err->n_dropped = 0;
	if (n)
		cab_err_more(err, err->code ? err->code : CAB_EINPUT, n);
}

enum cab_status cab_err_more(struct cab_err *err, enum cab_status code,
			     size_t n)
{
	if (!err)
		return code;
	add_always(err, code,
		   P_("… and %zu more problem", "… and %zu more problems", n),
		   n);
	return code;
}

/* ---- warnings ---- */

static bool has_line(const struct cab_err *err, const char *line)
{
	for (size_t i = 0; i < err->n_warnings; i++)
		if (strcmp(err->warnings[i].line, line) == 0)
			return true;
	return false;
}

enum cab_status cab_err_warn_copy(struct cab_err *err, const char *code,
				  const char *message, const char *line)
{
	if (!err || has_line(err, line))
		return CAB_OK;
	if (err->n_warnings == err->cap_warnings) {
		size_t cap = err->cap_warnings ? 2 * err->cap_warnings : 8;
		struct cab_warning *w =
		    realloc(err->warnings, cap * sizeof(*w));
		if (!w)
			return CAB_ENOMEM;
		err->warnings = w;
		err->cap_warnings = cap;
	}
	struct cab_warning *w = &err->warnings[err->n_warnings];
	snprintf(w->code, sizeof(w->code), "%s", code);
	w->message = strdup(message);
	w->line = strdup(line);
	if (!w->message || !w->line) {
		free(w->message);
		free(w->line);
		return CAB_ENOMEM;
	}
	err->n_warnings++;
	return CAB_OK;
}

/* The English message and the located line in the user's language. */
static enum cab_status warn(struct cab_err *err, const char *code,
			    const char *where, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static enum cab_status warn(struct cab_err *err, const char *code,
			    const char *where, const char *fmt, va_list ap)
{
	char en[1024], tr[1024], line[1900];
	va_list ap2;
	va_copy(ap2, ap);
	if (vsnprintf(en, sizeof(en), fmt, ap) < 0)
		en[0] = '\0';
	if (vsnprintf(tr, sizeof(tr), _(fmt), ap2) < 0)
		tr[0] = '\0';
	va_end(ap2);
	snprintf(line, sizeof(line), "%s%s", where, tr);
	return cab_err_warn_copy(err, code, en, line);
}

enum cab_status cab_err_warn_at_path(struct cab_err *err, const char *code,
				     const char *file, const char *path,
				     const char *fmt, ...)
{
	if (!err)
		return CAB_OK;
	char where[800];
	snprintf(where, sizeof(where), "%s: %s: ", file, path);
	va_list ap;
	va_start(ap, fmt);
	enum cab_status st = warn(err, code, where, fmt, ap);
	va_end(ap);
	return st;
}

enum cab_status cab_err_warn_at_line(struct cab_err *err, const char *code,
				     const char *file, long line,
				     const char *fmt, ...)
{
	if (!err)
		return CAB_OK;
	char where[600];
	snprintf(where, sizeof(where), "%s:%ld: ", file, line);
	va_list ap;
	va_start(ap, fmt);
	enum cab_status st = warn(err, code, where, fmt, ap);
	va_end(ap);
	return st;
}

enum cab_status cab_err_warnings_to_errors(struct cab_err *err)
{
	if (!err || err->n_warnings == 0)
		return CAB_OK;
	for (size_t i = 0; i < err->n_warnings; i++) {
		add_always(err, CAB_EINPUT, "%s", err->warnings[i].line);
		free(err->warnings[i].message);
		free(err->warnings[i].line);
	}
	err->n_warnings = 0;
	return CAB_EINPUT;
}
