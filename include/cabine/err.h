/*
 * err.h — status codes and error reports shared by every module.
 *
 * Why: library code never prints or exits (STYLE.md); it returns an
 * enum cab_status and fills a struct cab_err that main.c prints. A check
 * may find many problems at once (a scenario with three typos), so an
 * error holds a list of complete one-line messages, each already carrying
 * its location: "file:line: message" or "file: $.json.path: message".
 *
 * It also carries the warnings (SPEC §10) found on the way: what is legal
 * but probably wrong never stops a command, so a warning is not an error
 * code; the command line prints them ("warning: …") and summary.json
 * lists them. A list cut short (a file with thousands of bad rows) ends
 * with one line "… and N more problems" (cab_err_cap).
 *
 * Ownership: a struct cab_err is embedded by the caller, set up with
 * cab_err_init() and released with cab_err_release(); it owns its text
 * and its warnings. Every function that takes `struct cab_err *err`
 * accepts NULL.
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

/* One warning (SPEC §10). */
struct cab_warning {
	char code[32]; /* stable code for scripts: "low_coverage", … */
	char *message; /* the message in English, without its location
			  (summary.json) */
	char *line;    /* "file: $.json.path: message" or "file:line:
			  message" in the user's language (stderr) */
};

struct cab_err {
	enum cab_status code; /* first non-OK code recorded, CAB_OK if none */
	size_t count;	      /* number of messages held */
	char *text;	      /* messages, each ending in '\n'; NULL if none */
	size_t len;	      /* bytes used in text, without the final NUL */
	size_t cap;	      /* bytes allocated for text */
	size_t keep_until;    /* cab_err_cap: count at which further messages
				 are only counted; 0 when not capped */
	size_t n_dropped;     /* messages counted, not kept, under the cap */
	struct cab_warning *warnings; /* in the order found, no duplicates */
	size_t n_warnings;	      /* entries used in warnings */
	size_t cap_warnings;	      /* entries allocated in warnings */
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

/* ---- lists cut short ---- */

/* Problems listed per file before the list is cut short. */
#define CAB_ERR_LIST_MAX 20

/* Keep at most `max` more messages in err; the later ones still set the
 * code but are only counted, until cab_err_uncap(). Returns what to give
 * back to cab_err_uncap(). */
size_t cab_err_cap(struct cab_err *err, size_t max);
/* End the cap: when messages were dropped, one line "… and N more
 * problems" ends the list. `mark` is cab_err_cap's result. */
void cab_err_uncap(struct cab_err *err, size_t mark);
/* The line "… and N more problems" (code `code`), for a parser that
 * counts the problems it does not list itself. */
enum cab_status cab_err_more(struct cab_err *err, enum cab_status code,
			     size_t n);

/* ---- warnings (SPEC §10) ---- */

/* Add a warning with its stable code at "file: $.json.path". fmt is the
 * English message id (mark it N_() for the translators): summary.json
 * gets it in English, the stderr line in the user's language. An
 * identical line already held is not added twice. Returns CAB_OK, or
 * CAB_ENOMEM (the warning is dropped). */
enum cab_status cab_err_warn_at_path(struct cab_err *err, const char *code,
				     const char *file, const char *path,
				     const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Same at "file:line". */
enum cab_status cab_err_warn_at_line(struct cab_err *err, const char *code,
				     const char *file, long line,
				     const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Add a warning already formatted (copied), e.g. read back from a
 * worker process. */
enum cab_status cab_err_warn_copy(struct cab_err *err, const char *code,
				  const char *message, const char *line);
/* --strict: every warning becomes an error (its line, CAB_EINPUT) and
 * the warnings are emptied. Returns CAB_EINPUT if there was any, else
 * CAB_OK. */
enum cab_status cab_err_warnings_to_errors(struct cab_err *err);

#endif
