/*
 * err.h — status codes and error reports shared by every module.
 *
 * Why: library code never prints or exits (STYLE.md); it returns an
 * enum cab_status and fills a struct cab_err that main.c prints. A check
 * may find many problems at once (a scenario with three typos), so an
 * error holds a list of complete one-line messages, each already carrying
 * its location: "file:line: message" or "file: $.json.path: message".
 *
 * Ownership: a struct cab_err is embedded by the caller, set up with
 * cab_err_init() and released with cab_err_release(); it owns its text.
 * Every function that takes `struct cab_err *err` accepts NULL.
 */
#ifndef CABINE_ERR_H
#define CABINE_ERR_H

#include <stddef.h>

enum cab_status {
	CAB_OK = 0,    /* success */
	CAB_EINPUT,    /* bad input or usage: exit status 2 */
	CAB_ENOMEM,    /* allocation failed */
	CAB_EIO,       /* a file could not be read or written */
	CAB_ELP,       /* the linear-programming solver failed */
	CAB_EINTERNAL, /* a bug: an invariant did not hold */
	CAB_STATUS_COUNT
};

struct cab_err {
	enum cab_status code; /* first non-OK code recorded, CAB_OK if none */
	size_t count;	      /* number of messages held */
	char *text;	      /* messages, each ending in '\n'; NULL if none */
	size_t len;	      /* bytes used in text, without the final NUL */
	size_t cap;	      /* bytes allocated for text */
};

/* Short name of a status ("bad input", …); never NULL. */
const char *cab_status_str(enum cab_status s);

/* Set up an empty error report. */
void cab_err_init(struct cab_err *err);
/* Free the messages; err may be NULL. The struct can be reused after init. */
void cab_err_release(struct cab_err *err);

/* Append one message, formatted like printf; a trailing newline is added.
 * Returns `code` so that callers can write `return cab_err_add(err, …)`.
 * Allocation failure keeps the code and drops the text. */
enum cab_status cab_err_add(struct cab_err *err, enum cab_status code,
			    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "file:line: message" */
enum cab_status cab_err_at_line(struct cab_err *err, enum cab_status code,
				const char *file, long line, const char *fmt,
				...) __attribute__((format(printf, 5, 6)));

/* "file: $.json.path: message" */
enum cab_status cab_err_at_path(struct cab_err *err, enum cab_status code,
				const char *file, const char *path,
				const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
