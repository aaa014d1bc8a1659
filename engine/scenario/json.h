/*
 * json.h — the scenario loader's JSON toolkit (internal to
 * engine/scenario/).
 *
 * Why: every section of a scenario (SPEC §8) and the batch file are read
 * the same way: typed getters that report a wrong type, a missing key or
 * a value out of range as "file: $.json.path: message" and go on, so
 * that `cabine check` lists every problem, not only the first. The
 * sections (period_sources.c, participants.c, tariff.c, sharing.c,
 * billing.c, alerts.c, variants.c) hold what the keys mean; this toolkit
 * holds how a value is taken out of the tree and how a problem is said.
 *
 * cJSON stays inside engine/scenario/: this header is included by the
 * loader's files only, never by another stage.
 *
 * Ownership: the context borrows its file name, error list and
 * scenario; strings returned by the getters are borrowed from the cJSON
 * tree (copy them with cab_json_dup() to keep them); cab_json_quote()'s
 * result lives until four more calls on the same context.
 */
#ifndef CABINE_SCENARIO_JSON_H
#define CABINE_SCENARIO_JSON_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/scenario.h"

#define CAB_JSON_PATH_CAP 320 /* bytes of a JSON path in messages */
#define CAB_JSON_QUOTE_CAP 72 /* longest user text quoted in a message */

/* A participant id and its index, for the sorted lookup table. */
struct cab_sc_id {
	const char *id; /* borrowed from the participant */
	size_t index;	/* index in sc->participants */
};

/* Parsing state for one scenario (or one batch file). */
struct cab_json_ctx {
	const char *file;	 /* scenario path, prefix of every message */
	const char *dir;	 /* its folder: base of relative paths */
	struct cab_err *err;	 /* where problems go; may be NULL */
	size_t n_errors;	 /* problems found so far */
	bool is_oom;		 /* an allocation failed */
	struct cab_scenario *sc; /* the scenario being filled (NULL for a
				    batch file) */
	bool has_participants;	 /* participants parsed: ids can be checked */
	struct cab_sc_id *by_id; /* participants sorted by (id, index) */
	size_t n_by_id;		 /* entries in by_id */
	char quoted[4][CAB_JSON_QUOTE_CAP + 8]; /* rotating buffers for
						   cab_json_quote() */
	unsigned next_quote; /* next buffer of quoted to use */
	/* Participants read from a table (participants_table.c): its state,
	 * and the hook that says a problem found at a JSON path the table
	 * filled at the table's row and column instead; true when it
	 * reported it. Both NULL for a JSON array. */
	struct cab_sc_table *table;
	bool (*relocate)(struct cab_json_ctx *c, const char *path,
			 const char *msg);
};

/* ---- messages ---- */

/* User text in single quotes, made safe for a one-line message (control
 * bytes as '?', long text cut with "..." between UTF-8 characters). */
const char *cab_json_quote(struct cab_json_ctx *c, const char *s);
/* One problem at JSON path `path`: counted, and added to c->err as
 * "file: path: message". */
__attribute__((format(printf, 3, 4))) void
cab_json_fail(struct cab_json_ctx *c, const char *path, const char *fmt, ...);
/* "expected <expected>, got <the type of v>" at path. */
void cab_json_type_error(struct cab_json_ctx *c, const char *path,
			 const char *expected, const cJSON *v);
/* A JSON syntax error at byte offset pos of buf (len bytes), with its
 * line and column ("file:line:col: invalid JSON (unexpected …<after>)"). */
void cab_json_syntax_error(struct cab_json_ctx *c, const char *buf, size_t len,
			   size_t pos, const char *after);

/* ---- paths (out holds CAB_JSON_PATH_CAP bytes) ---- */

/* out = base + ".key", or base + "[\"key\"]" for keys that are not plain
 * identifiers. */
void cab_json_path_key(char *out, const char *base, const char *key);
/* out = base + "[i]". */
void cab_json_path_index(char *out, const char *base, size_t i);
/* "a, b, c" from a NULL-terminated list, into out (cap bytes). */
void cab_json_join(char *out, size_t cap, const char *const *names);

/* ---- allocation (a failure sets c->is_oom; the caller goes on) ---- */

/* calloc(n, size), NULL when n is 0. */
void *cab_json_zalloc(struct cab_json_ctx *c, size_t n, size_t size);
/* strdup(s); NULL stays NULL. */
char *cab_json_dup(struct cab_json_ctx *c, const char *s);
/* A heap copy of path `rel` resolved against c->dir. */
char *cab_json_resolve(struct cab_json_ctx *c, const char *rel);
/* The folder of a file path ("." when it has none); heap, NULL on OOM. */
char *cab_json_dir_of(const char *path);

/* Report every string (value or key) of the JSON text buf (len bytes),
 * which cJSON parsed into root, that holds a NUL character, raw or as
 * \u0000: cJSON cuts a string there ("a\u0000b" reads as "a"), so only
 * the text can tell. Walks the text only when it holds a NUL or the
 * escape. */
void cab_json_check_nul(struct cab_json_ctx *c, const char *buf, size_t len,
			const cJSON *root);

/* ---- typed getters: a problem is reported, the value left as it was;
 * obj NULL (a section absent or invalid) reports nothing ---- */

/* Report members of obj that are not in allowed, or given twice. */
void cab_json_check_keys(struct cab_json_ctx *c, const cJSON *obj,
			 const char *path, const char *const *allowed);
/* Member key as an object / an array, or NULL (absent, or of another
 * type: reported); a missing required key is reported. */
const cJSON *cab_json_get_object(struct cab_json_ctx *c, const cJSON *obj,
				 const char *path, const char *key,
				 bool is_required);
const cJSON *cab_json_get_array(struct cab_json_ctx *c, const cJSON *obj,
				const char *path, const char *key,
				bool is_required);
/* v (at path) as a non-empty string, or NULL (reported). */
const char *cab_json_str_value(struct cab_json_ctx *c, const cJSON *v,
			       const char *path);
/* true when s (at path) may reach an output: printable UTF-8 text of at
 * most 32,767 characters (engine/base/text.h); else reported as "text
 * 'x' holds control character U+0001 at character 2 (expected printable
 * text)". cab_json_str_value checks every string with it; a section
 * calls it for an object key that becomes a name (a group). */
bool cab_json_text_value(struct cab_json_ctx *c, const char *path,
			 const char *s);
/* Member key as a non-empty string, or NULL. */
const char *cab_json_get_str(struct cab_json_ctx *c, const cJSON *obj,
			     const char *path, const char *key,
			     bool is_required);

/* The bounds of numbers (cabine/scenario.h, docs/scenario.md "Bounds"). */
#define CAB_JSON_MAX_EUR_KWH CAB_SCENARIO_MAX_EUR_KWH
#define CAB_JSON_MAX_EUR_YEAR CAB_SCENARIO_MAX_EUR_YEAR
#define CAB_JSON_MAX_EUR CAB_SCENARIO_MAX_EUR
#define CAB_JSON_MAX_KWH CAB_SCENARIO_MAX_KWH
#define CAB_JSON_MAX_NUMBER CAB_SCENARIO_MAX_NUMBER

enum cab_json_range {
	CAB_RANGE_NONNEG,   /* [0, CAB_JSON_MAX_NUMBER], or the unit's bound
			       when the key ends in _eur_kwh, _eur_year, _eur
			       or _kwh (quantities carry their unit) */
	CAB_RANGE_UNIT,	    /* [0, 1] */
	CAB_RANGE_COVERAGE, /* (0, 1] */
	CAB_RANGE_PRICE	    /* [0, CAB_JSON_MAX_EUR_KWH], for a price whose
			       key names no unit ("A" of
			       network_shared_eur_kwh) */
};
/* v as a finite number in range r into *out; false if not (reported).
 * subject prefixes messages (e.g. "participant 'h01': "), name is the
 * quantity's name (its key: it gives the unit of CAB_RANGE_NONNEG). */
bool cab_json_num_value(struct cab_json_ctx *c, const cJSON *v,
			const char *path, const char *subject, const char *name,
			enum cab_json_range r, double *out);
/* Member key as a number in range r (name in messages: the key). */
bool cab_json_get_num(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, bool is_required,
		      const char *subject, enum cab_json_range r, double *out);
/* Optional member key as an integer in [lo, hi]. */
bool cab_json_get_int(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, const char *subject,
		      long lo, long hi, int *out);
/* Optional member key as a boolean. */
bool cab_json_get_bool(struct cab_json_ctx *c, const cJSON *obj,
		       const char *path, const char *key, bool *out);
/* Index in names of the string at key, or dflt when absent or invalid
 * (reported as "unknown <what> 'x' (expected one of: …)"). */
int cab_json_get_enum(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, const char *what,
		      const char *const *names, int dflt);

/* s (at path) as a local date YYYY-MM-DD, or false ("invalid date 'x'
 * (why)" reported). */
bool cab_json_date_value(struct cab_json_ctx *c, const char *path,
			 const char *s, int *y, int *m, int *d);
/* s (at path) as a local time YYYY-MM-DDTHH:MM[:SS] (or an ISO instant)
 * into its UTC instant, or false ("invalid local time 'x' (why)"). */
bool cab_json_local_time_value(struct cab_json_ctx *c, const char *path,
			       const char *s, int64_t *t_s);

#endif
