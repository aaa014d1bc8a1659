/*
 * json.c — the scenario loader's JSON toolkit: messages, paths and typed
 * getters over a cJSON tree (see json.h).
 *
 * Why: one way to take a value out of the tree and to say what is wrong
 * with it, for every section of a scenario and for batch files, so that
 * messages read alike ("file: $.json.path: message") and every problem is
 * reported, not only the first. We never use cJSON's global error
 * pointer; a syntax error's line and column are computed from the parse
 * end offset.
 *
 * Workload: a few calls per key of a file of a few kilobytes to a few
 * megabytes; nothing here allocates but cab_json_zalloc/dup/resolve and
 * cab_json_dir_of, whose results the caller owns.
 */
#include "engine/scenario/json.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/i18n.h"
#include "engine/base/suggest.h"
#include "engine/base/text.h"

/* ---- messages ---------------------------------------------------------- */

/* Copy s into dst (cap bytes) replacing what a terminal line cannot show
 * (control characters, invalid UTF-8, surrogates, U+FFFE/U+FFFF) by '?'
 * and cutting long text with "..." (never inside a UTF-8 character). */
static void sanitize(char *dst, size_t cap, const char *s)
{
	size_t n = 0, max = cap - 4, left = strlen(s);
	while (left) {
		uint32_t cp = 0;
		size_t k = cab_text_decode(s, left, &cp);
		char why[160];
		bool is_bad =
		    k == 0 || cab_text_problem(s, k, why, sizeof(why)) != NULL;
		size_t w = is_bad ? 1 : k;
		if (n + w > max)
			break;
		if (is_bad)
			dst[n++] = '?';
		else
			memcpy(dst + n, s, k);
		n += is_bad ? 0 : k;
		s += k ? k : 1;
		left -= k ? k : 1;
	}
	if (left) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

/* User text in single quotes, made safe for a one-line message. The
 * result lives until four more calls. */
const char *cab_json_quote(struct cab_json_ctx *c, const char *s)
{
	char *b = c->quoted[c->next_quote++ % 4];
	char tmp[CAB_JSON_QUOTE_CAP];
	sanitize(tmp, sizeof(tmp), s ? s : "");
	if (snprintf(b, CAB_JSON_QUOTE_CAP + 8, "'%s'", tmp) < 0)
		b[0] = '\0';
	return b;
}

void cab_json_fail(struct cab_json_ctx *c, const char *path, const char *fmt,
		   ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	c->n_errors++;
	if (c->relocate && c->relocate(c, path, msg))
		return;
	cab_err_at_path(c->err, CAB_EINPUT, c->file, path, "%s", msg);
}

/* out = base + ".key" (or base + "[\"key\"]" for keys that are not plain
 * identifiers). out holds CAB_JSON_PATH_CAP bytes. */
void cab_json_path_key(char *out, const char *base, const char *key)
{
	bool is_plain = key && key[0] && !isdigit((unsigned char)key[0]);
	for (const char *k = key; is_plain && *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
			is_plain = false;
	if (is_plain) {
		if (snprintf(out, CAB_JSON_PATH_CAP, "%s.%s", base, key) < 0)
			out[0] = '\0';
	} else {
		char safe[CAB_JSON_QUOTE_CAP];
		sanitize(safe, sizeof(safe), key ? key : "");
		if (snprintf(out, CAB_JSON_PATH_CAP, "%s[\"%s\"]", base, safe) <
		    0)
			out[0] = '\0';
	}
}

/* out = base + "[i]" */
void cab_json_path_index(char *out, const char *base, size_t i)
{
	if (snprintf(out, CAB_JSON_PATH_CAP, "%s[%zu]", base, i) < 0)
		out[0] = '\0';
}

/* "a, b, c" from a NULL-terminated list. */
void cab_json_join(char *out, size_t cap, const char *const *names)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; names[i] && n + 1 < cap; i++) {
		int w =
		    snprintf(out + n, cap - n, "%s%s", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return N_("a string");
	if (cJSON_IsNumber(v))
		return N_("a number");
	if (cJSON_IsBool(v))
		return N_("a boolean");
	if (cJSON_IsNull(v))
		return N_("null");
	if (cJSON_IsArray(v))
		return N_("an array");
	if (cJSON_IsObject(v))
		return N_("an object");
	return N_("an invalid value");
}

void cab_json_type_error(struct cab_json_ctx *c, const char *path,
			 const char *expected, const cJSON *v)
{
	/* expected is one of type_name()'s words, or "an integer" */
	cab_json_fail(c, path, _("expected %s, got %s"), _(expected),
		      _(type_name(v)));
}

/* ---- allocation -------------------------------------------------------- */

void *cab_json_zalloc(struct cab_json_ctx *c, size_t n, size_t size)
{
	if (n == 0)
		return NULL;
	void *p = calloc(n, size);
	if (!p)
		c->is_oom = true;
	return p;
}

char *cab_json_dup(struct cab_json_ctx *c, const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		c->is_oom = true;
	return d;
}

/* ---- typed getters ----------------------------------------------------- */

/* Report members of obj that are not in allowed, or given twice. */
void cab_json_check_keys(struct cab_json_ctx *c, const cJSON *obj,
			 const char *path, const char *const *allowed)
{
	bool seen[16] = {false};
	char list[400];
	cab_json_join(list, sizeof(list), allowed);
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t k = 0;
		while (allowed[k] &&
		       (!m->string || strcmp(m->string, allowed[k])))
			k++;
		if (!allowed[k]) {
			struct cab_suggest sg;
			cab_suggest_init(&sg, m->string);
			cab_suggest_offer_all(&sg, allowed);
			const char *best = cab_suggest_best(&sg);
			if (best)
				cab_json_fail(c, path,
					      _("unknown key %s (did you mean "
						"'%s'? expected one of: %s)"),
					      cab_json_quote(c, m->string),
					      best, list);
			else
				cab_json_fail(
				    c, path,
				    _("unknown key %s (expected one of: %s)"),
				    cab_json_quote(c, m->string), list);
		} else if (k < 16 && seen[k]) {
			cab_json_fail(c, path, _("duplicate key %s"),
				      cab_json_quote(c, m->string));
		} else if (k < 16) {
			seen[k] = true;
		}
	}
}

/* Member key of obj, or NULL; reports a missing required key. obj NULL
 * (a section that is absent or invalid) reports nothing. */
static const cJSON *get_member(struct cab_json_ctx *c, const cJSON *obj,
			       const char *path, const char *key,
			       bool is_required)
{
	const cJSON *v =
	    obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v && obj && is_required)
		cab_json_fail(c, path, _("missing required key '%s'"), key);
	return v;
}

/* Member key if is_type(it), else NULL (absent, or of another type:
 * reported as "expected <what>"). */
static const cJSON *get_typed(struct cab_json_ctx *c, const cJSON *obj,
			      const char *path, const char *key,
			      bool is_required,
			      cJSON_bool (*is_type)(const cJSON *),
			      const char *what)
{
	const cJSON *v = get_member(c, obj, path, key, is_required);
	if (v && !is_type(v)) {
		char p[CAB_JSON_PATH_CAP];
		cab_json_path_key(p, path, key);
		cab_json_type_error(c, p, what, v);
		return NULL;
	}
	return v;
}

const cJSON *cab_json_get_object(struct cab_json_ctx *c, const cJSON *obj,
				 const char *path, const char *key,
				 bool is_required)
{
	return get_typed(c, obj, path, key, is_required, cJSON_IsObject,
			 N_("an object"));
}

const cJSON *cab_json_get_array(struct cab_json_ctx *c, const cJSON *obj,
				const char *path, const char *key,
				bool is_required)
{
	return get_typed(c, obj, path, key, is_required, cJSON_IsArray,
			 N_("an array"));
}

/* v as a non-empty string, or NULL (reported). */
const char *cab_json_str_value(struct cab_json_ctx *c, const cJSON *v,
			       const char *path)
{
	if (!cJSON_IsString(v) || !v->valuestring) {
		cab_json_type_error(c, path, "a string", v);
		return NULL;
	}
	if (!v->valuestring[0]) {
		cab_json_fail(c, path, _("expected a non-empty string"));
		return NULL;
	}
	if (!cab_json_text_value(c, path, v->valuestring))
		return NULL;
	return v->valuestring;
}

/* s (at path) as text that may reach an output (engine/base/text.h). */
bool cab_json_text_value(struct cab_json_ctx *c, const char *path,
			 const char *s)
{
	char why[160];
	if (!cab_text_problem(s, strlen(s), why, sizeof(why)))
		return true;
	cab_json_fail(c, path, _("text %s %s"), cab_json_quote(c, s), why);
	return false;
}

const char *cab_json_get_str(struct cab_json_ctx *c, const cJSON *obj,
			     const char *path, const char *key,
			     bool is_required)
{
	const cJSON *v = get_member(c, obj, path, key, is_required);
	if (!v)
		return NULL;
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, key);
	return cab_json_str_value(c, v, p);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The upper bound of a number of range CAB_RANGE_NONNEG or
 * CAB_RANGE_PRICE named name (its unit, for messages, into *unit). */
static double unit_bound(const char *name, enum cab_json_range r,
			 const char **unit)
{
	if (r == CAB_RANGE_PRICE || ends_with(name, "_eur_kwh")) {
		*unit = " EUR/kWh";
		return CAB_JSON_MAX_EUR_KWH;
	}
	if (ends_with(name, "_eur_year")) {
		*unit = _(" EUR a year");
		return CAB_JSON_MAX_EUR_YEAR;
	}
	if (ends_with(name, "_eur")) {
		*unit = " EUR";
		return CAB_JSON_MAX_EUR;
	}
	if (ends_with(name, "_kwh")) {
		*unit = " kWh";
		return CAB_JSON_MAX_KWH;
	}
	return CAB_JSON_MAX_NUMBER;
}

/* v as a finite number in range r; subject prefixes messages (e.g.
 * "participant 'h01': "), name is the quantity's name. */
bool cab_json_num_value(struct cab_json_ctx *c, const cJSON *v,
			const char *path, const char *subject, const char *name,
			enum cab_json_range r, double *out)
{
	if (!cJSON_IsNumber(v)) {
		cab_json_type_error(c, path, "a number", v);
		return false;
	}
	double x = v->valuedouble;
	name = _(name); /* a key, or a word the caller marked N_() */
	if (!isfinite(x)) {
		cab_json_fail(c, path, _("%s%s must be a finite number"),
			      subject, name);
		return false;
	}
	if ((r == CAB_RANGE_NONNEG || r == CAB_RANGE_PRICE) && x < 0) {
		cab_json_fail(c, path, _("%s%s must be at least 0, got %g"),
			      subject, name, x);
		return false;
	}
	const char *unit = "";
	double max = unit_bound(name, r, &unit);
	if ((r == CAB_RANGE_NONNEG || r == CAB_RANGE_PRICE) && x > max) {
		cab_json_fail(c, path,
			      _("%s%s must be at most %.0f%s, got %g (see the "
				"bounds in docs/scenario.md)"),
			      subject, name, max, unit, x);
		return false;
	}
	if (r == CAB_RANGE_UNIT && (x < 0 || x > 1)) {
		cab_json_fail(c, path,
			      _("%s%s must be between 0 and 1, got %g"),
			      subject, name, x);
		return false;
	}
	if (r == CAB_RANGE_COVERAGE && (x <= 0 || x > 1)) {
		cab_json_fail(
		    c, path,
		    _("%s%s must be greater than 0 and at most 1, got %g"),
		    subject, name, x);
		return false;
	}
	*out = x;
	return true;
}

bool cab_json_get_num(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, bool is_required,
		      const char *subject, enum cab_json_range r, double *out)
{
	const cJSON *v = get_member(c, obj, path, key, is_required);
	if (!v)
		return false;
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, key);
	return cab_json_num_value(c, v, p, subject, key, r, out);
}

/* Optional integer in [lo, hi]. */
bool cab_json_get_int(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, const char *subject,
		      long lo, long hi, int *out)
{
	const cJSON *v = get_member(c, obj, path, key, false);
	if (!v)
		return false;
	char p[CAB_JSON_PATH_CAP];
	cab_json_path_key(p, path, key);
	if (!cJSON_IsNumber(v)) {
		cab_json_type_error(c, p, N_("an integer"), v);
		return false;
	}
	double x = v->valuedouble;
	if (!isfinite(x) || x != floor(x)) {
		cab_json_fail(c, p, _("expected an integer, got %g"), x);
		return false;
	}
	if (x < (double)lo) {
		cab_json_fail(c, p, _("%s%s must be at least %ld, got %g"),
			      subject, key, lo, x);
		return false;
	}
	if (x > (double)hi) {
		cab_json_fail(c, p, _("%s%s must be at most %ld, got %g"),
			      subject, key, hi, x);
		return false;
	}
	*out = (int)x;
	return true;
}

bool cab_json_get_bool(struct cab_json_ctx *c, const cJSON *obj,
		       const char *path, const char *key, bool *out)
{
	const cJSON *v = get_member(c, obj, path, key, false);
	if (!v)
		return false;
	if (!cJSON_IsBool(v)) {
		char p[CAB_JSON_PATH_CAP];
		cab_json_path_key(p, path, key);
		cab_json_type_error(c, p, "a boolean", v);
		return false;
	}
	*out = cJSON_IsTrue(v);
	return true;
}

/* Index in names of the string at key, or dflt when absent or invalid
 * (reported as "unknown <what> 'x' (expected one of: …)"). */
int cab_json_get_enum(struct cab_json_ctx *c, const cJSON *obj,
		      const char *path, const char *key, const char *what,
		      const char *const *names, int dflt)
{
	const char *s = cab_json_get_str(c, obj, path, key, false);
	if (!s)
		return dflt;
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	char p[CAB_JSON_PATH_CAP], list[200];
	cab_json_path_key(p, path, key);
	cab_json_join(list, sizeof(list), names);
	struct cab_suggest sg;
	cab_suggest_init(&sg, s);
	cab_suggest_offer_all(&sg, names);
	const char *best = cab_suggest_best(&sg);
	if (best)
		cab_json_fail(
		    c, p,
		    _("unknown %s %s (did you mean '%s'? expected one of: %s)"),
		    _(what), cab_json_quote(c, s), best, list);
	else
		cab_json_fail(c, p, _("unknown %s %s (expected one of: %s)"),
			      _(what), cab_json_quote(c, s), list);
	return dflt;
}

/* ---- dates and times (Europe/Brussels) ---- */

bool cab_json_date_value(struct cab_json_ctx *c, const char *path,
			 const char *s, int *y, int *m, int *d)
{
	const char *what = NULL;
	if (cab_time_parse_date(s, strlen(s), y, m, d, &what) == CAB_OK)
		return true;
	cab_json_fail(c, path, _("invalid date %s (%s)"), cab_json_quote(c, s),
		      what ? _(what) : _("expected YYYY-MM-DD"));
	return false;
}

bool cab_json_local_time_value(struct cab_json_ctx *c, const char *path,
			       const char *s, int64_t *t_s)
{
	const char *what = NULL;
	if (cab_time_parse_iso(s, strlen(s), t_s, &what) == CAB_OK)
		return true;
	/* The parser's shape message shows a UTC instant ("…Z"); here a
	 * local time is what people write. */
	if (!what || strncmp(what, "expected ", 9) == 0)
		what = N_("expected a local time like 2024-03-05T18:00");
	cab_json_fail(c, path, _("invalid local time %s (%s)"),
		      cab_json_quote(c, s), _(what));
	return false;
}

/* ---- syntax errors and paths ------------------------------------------ */

/* Does the syntax error at pos come from a decimal comma ("0,25": the
 * number ends at the comma and cJSON stops in the digits after it)? Then
 * the number with a point goes into out ("0.25"). */
static bool decimal_comma(const char *buf, size_t len, size_t pos, char *out,
			  size_t size)
{
	size_t k = pos, end = pos;
	while (end < len && isdigit((unsigned char)buf[end]))
		end++;
	while (k > 0 && isdigit((unsigned char)buf[k - 1]))
		k--;
	if (k == end || k < 2 || buf[k - 1] != ',' ||
	    !isdigit((unsigned char)buf[k - 2]))
		return false;
	size_t a = k - 2;
	while (a > 0 && isdigit((unsigned char)buf[a - 1]))
		a--;
	if (a > 0 && buf[a - 1] == '-')
		a--;
	int n = snprintf(out, size, "%.*s.%.*s", (int)(k - 1 - a), buf + a,
			 (int)(end - k), buf + k);
	return n > 0 && (size_t)n < size;
}

/* Report a JSON syntax error at byte offset pos of buf (len bytes). */
void cab_json_syntax_error(struct cab_json_ctx *c, const char *buf, size_t len,
			   size_t pos, const char *after)
{
	long line = 1, col = 1;
	for (size_t i = 0; i < pos && i < len; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	char what[160], number[64];
	/* cJSON may stop inside a character: say its first byte. */
	size_t q = pos;
	while (q > 0 && q < len && ((unsigned char)buf[q] & 0xc0) == 0x80)
		q--;
	if (q < pos)
		col--; /* the column of that first byte */
	unsigned char ch = q < len ? (unsigned char)buf[q] : 0;
	bool is_curly = q + 2 < len && (unsigned char)buf[q] == 0xe2 &&
			(unsigned char)buf[q + 1] == 0x80 &&
			((unsigned char)buf[q + 2] & 0xf8) == 0x98;
	unsigned hex = 0;
	if (pos >= len)
		snprintf(what, sizeof(what), "%s",
			 _("unexpected end of input"));
	else if (ch == '\\' && pos + 6 <= len && buf[pos + 1] == 'u' &&
		 sscanf(buf + pos + 2, "%4x", &hex) == 1 && hex >= 0xD800 &&
		 hex <= 0xDFFF)
		snprintf(what, sizeof(what),
			 _("lone surrogate \\u%04x; expected printable text"),
			 hex);
	else if (is_curly)
		snprintf(what, sizeof(what), _("unexpected '%.3s'%s"), buf + q,
			 after);
	else if (ch >= 0x20 && ch < 0x7f)
		snprintf(what, sizeof(what), _("unexpected '%c'%s"), ch, after);
	else
		snprintf(what, sizeof(what), _("unexpected byte 0x%02x%s"), ch,
			 after);
	/* The shapes a spreadsheet or a word processor leaves. */
	size_t w = strlen(what);
	if (pos < len && decimal_comma(buf, len, pos, number, sizeof(number)))
		snprintf(what + w, sizeof(what) - w,
			 _(": a decimal comma? write %s"), number);
	else if (is_curly)
		snprintf(what + w, sizeof(what) - w, "%s",
			 _(": curly quotes? write straight quotes \" as a text "
			   "editor does"));
	c->n_errors++;
	cab_err_add(c->err, CAB_EINPUT, _("%s:%ld:%ld: invalid JSON (%s)"),
		    c->file, line, col, what);
}

/* ---- NUL characters, at which cJSON cuts a string -------------------- */

/* A walk over the JSON text beside its cJSON tree (same order: cJSON
 * keeps members as written, duplicates included). */
struct raw_walk {
	struct cab_json_ctx *c;
	const char *p, *end;		 /* unread text */
	char path[CAB_JSON_PATH_CAP];	 /* JSON path of the value at p */
	char scratch[CAB_JSON_PATH_CAP]; /* the next path, being made */
};

static void raw_space(struct raw_walk *w)
{
	while (w->p < w->end && *w->p && strchr(" \t\r\n", *w->p))
		w->p++;
}

/* Past the string at w->p (on its opening quote); true when it holds a
 * NUL, raw or escaped as \u0000 (cJSON keeps the escape's hex digits in
 * any case: only zeros make a NUL). */
static bool raw_string_has_nul(struct raw_walk *w)
{
	bool has_nul = false;
	for (w->p++; w->p < w->end && *w->p != '"'; w->p++) {
		if (*w->p == '\0')
			has_nul = true;
		if (*w->p != '\\' || w->p + 1 >= w->end)
			continue;
		if (w->end - w->p >= 6 && memcmp(w->p + 1, "u0000", 5) == 0)
			has_nul = true;
		w->p++; /* the escaped character */
	}
	if (w->p < w->end)
		w->p++;
	return has_nul;
}

static void raw_value(struct raw_walk *w, const cJSON *v);

/* Walk member or element v of the container at w->path: its path is
 * w->path + key (key != NULL) or + [i]. */
static void raw_child(struct raw_walk *w, const cJSON *v, const char *key,
		      size_t i)
{
	size_t len = strlen(w->path);
	if (key)
		cab_json_path_key(w->scratch, w->path, key);
	else
		cab_json_path_index(w->scratch, w->path, i);
	memcpy(w->path, w->scratch, sizeof(w->path));
	raw_value(w, v);
	w->path[len] = '\0';
}

static void raw_value(struct raw_walk *w, const cJSON *v)
{
	raw_space(w);
	if (w->p >= w->end)
		return;
	char open = *w->p;
	if (open == '"') {
		if (raw_string_has_nul(w))
			cab_json_fail(w->c, w->path,
				      _("text holds a NUL character (\\u0000), "
					"at which it would be cut (expected "
					"printable text)"));
		return;
	}
	if (open != '{' && open != '[') {
		while (w->p < w->end && *w->p && !strchr(",]} \t\r\n", *w->p))
			w->p++;
		return;
	}
	w->p++;
	size_t i = 0;
	for (const cJSON *m = v ? v->child : NULL; m; m = m->next, i++) {
		raw_space(w);
		if (w->p < w->end && *w->p == ',')
			w->p++;
		raw_space(w);
		if (open == '{') {
			if (w->p >= w->end || *w->p != '"')
				return; /* not the text cJSON read: stop */
			if (raw_string_has_nul(w))
				cab_json_fail(
				    w->c, w->path,
				    _("key %s holds a NUL character "
				      "(\\u0000), at which it would be "
				      "cut (expected printable text)"),
				    cab_json_quote(w->c, m->string));
			raw_space(w);
			if (w->p >= w->end || *w->p != ':')
				return;
			w->p++;
		}
		raw_child(w, m,
			  open == '{' ? (m->string ? m->string : "") : NULL, i);
	}
	raw_space(w);
	if (w->p < w->end && (*w->p == '}' || *w->p == ']'))
		w->p++;
}

void cab_json_check_nul(struct cab_json_ctx *c, const char *buf, size_t len,
			const cJSON *root)
{
	/* Most files hold neither: only those are walked. */
	bool has_nul = memchr(buf, '\0', len) != NULL;
	for (size_t i = 0; !has_nul && i + 6 <= len; i++)
		has_nul =
		    buf[i] == '\\' && memcmp(buf + i + 1, "u0000", 5) == 0;
	if (!has_nul)
		return;
	struct raw_walk w = {.c = c, .p = buf, .end = buf + len, .path = "$"};
	raw_value(&w, root);
}

char *cab_json_dir_of(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return strdup(".");
	if (s == path)
		return strdup("/");
	return strndup(path, (size_t)(s - path));
}

/* A path of the scenario resolved against its directory. */
char *cab_json_resolve(struct cab_json_ctx *c, const char *rel)
{
	const char *dir = c->dir;
	if (rel[0] == '/' || strcmp(dir, ".") == 0)
		return cab_json_dup(c, rel);
	size_t nd = strlen(dir), nr = strlen(rel);
	char *p = malloc(nd + nr + 2);
	if (!p) {
		c->is_oom = true;
		return NULL;
	}
	memcpy(p, dir, nd);
	size_t k = nd;
	if (k == 0 || p[k - 1] != '/')
		p[k++] = '/';
	memcpy(p + k, rel, nr + 1);
	return p;
}
