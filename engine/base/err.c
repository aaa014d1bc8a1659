/*
 * err.c — error reports: a growable list of one-line messages.
 *
 * Why a list: `cabine check` must list every problem of a scenario, not
 * only the first. Messages are formatted once here so that all modules
 * use the same "file:line: message" shape, and each stays one line: a
 * control character that a path or a library's message brings (a
 * newline, a tab) is written as '?'.
 */
#include "cabine/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[CAB_STATUS_COUNT] = {
    [CAB_OK] = "ok",
    [CAB_EINPUT] = "bad input",
    [CAB_ENOMEM] = "out of memory",
    [CAB_EIO] = "input/output error",
    [CAB_ELP] = "solver error",
    [CAB_EINTERNAL] = "internal error",
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
	memset(err, 0, sizeof(*err));
}

static void append(struct cab_err *err, enum cab_status code,
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
