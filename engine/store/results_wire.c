/*
 * results_wire.c — one run's results as bytes, from a batch worker to the
 * batch's parent (the only process that writes batch.sqlite).
 *
 * Why: workers are forked processes; they compute a run and hand its
 * struct cab_result over a pipe, so that SQLite never has two writers.
 * Worker and parent are the same program, so the bytes are the struct's
 * fields in order, in the machine's own representation (integers and
 * doubles as they are in memory: exact, NaN included), strings as a
 * length and their bytes.
 *
 * Workload: one message per run, a few kilobytes for sixty participants.
 */
#include <stdlib.h>
#include <string.h>

#include "cabine/store.h"
#include "engine/base/i18n.h"

struct wbuf {
	char *p;
	size_t len, cap;
	bool is_oom;
};

static void put(struct wbuf *b, const void *v, size_t n)
{
	if (b->is_oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->is_oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, v, n);
	b->len += n;
}

static void put_u64(struct wbuf *b, uint64_t v)
{
	put(b, &v, sizeof v);
}

/* A string: its length + 1 (0 for NULL), its bytes and a NUL. */
static void put_str(struct wbuf *b, const char *s)
{
	uint64_t n = s ? strlen(s) + 1 : 0;
	put_u64(b, n);
	if (s)
		put(b, s, n);
}

enum cab_status cab_result_pack(const struct cab_result *res, char **buf,
				size_t *len, struct cab_err *err)
{
	struct wbuf b = {0};
	put(&b, &res->id, sizeof res->id);
	put_str(&b, res->name);
	put_str(&b, res->params_json);
	put_u64(&b, res->is_ok);
	put_u64(&b, (uint64_t)res->code);
	put_str(&b, res->error);
	put_str(&b, res->sharing_key);
	put(&b, res->ind, sizeof res->ind);
	put_u64(&b, res->n_participants);
	for (size_t i = 0; i < res->n_participants; i++) {
		struct cab_result_participant p = res->p[i];
		put_str(&b, p.participant);
		p.participant = NULL;
		put(&b, &p, sizeof p);
	}
	if (b.is_oom) {
		free(b.p);
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	}
	*buf = b.p;
	*len = b.len;
	return CAB_OK;
}

struct rbuf {
	const char *p;
	size_t len, at;
	bool is_bad;
};

static void get(struct rbuf *b, void *v, size_t n)
{
	if (b->is_bad || b->len - b->at < n) {
		b->is_bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, b->p + b->at, n);
	b->at += n;
}

static uint64_t get_u64(struct rbuf *b)
{
	uint64_t v;
	get(b, &v, sizeof v);
	return v;
}

static const char *get_str(struct rbuf *b)
{
	uint64_t n = get_u64(b);
	if (b->is_bad || n == 0)
		return NULL;
	if (b->len - b->at < n || b->p[b->at + n - 1] != '\0') {
		b->is_bad = true;
		return NULL;
	}
	const char *s = b->p + b->at;
	b->at += n;
	return s;
}

enum cab_status cab_result_unpack(const char *buf, size_t len,
				  struct cab_result *res,
				  struct cab_result_participant **parts,
				  struct cab_err *err)
{
	struct rbuf b = {.p = buf, .len = len};
	*res = (struct cab_result){0};
	*parts = NULL;
	get(&b, &res->id, sizeof res->id);
	res->name = get_str(&b);
	res->params_json = get_str(&b);
	res->is_ok = get_u64(&b) != 0;
	res->code = (int)get_u64(&b);
	res->error = get_str(&b);
	res->sharing_key = get_str(&b);
	get(&b, res->ind, sizeof res->ind);
	uint64_t n = get_u64(&b);
	/* Each participant takes at least its struct: a count beyond what
	 * the bytes hold is a bad message, not an allocation to try. */
	if (!b.is_bad && n > (len - b.at) / sizeof(**parts))
		b.is_bad = true;
	struct cab_result_participant *p =
	    b.is_bad ? NULL : calloc(n ? n : 1, sizeof *p);
	if (!b.is_bad && !p)
		return cab_err_add(err, CAB_ENOMEM, _("out of memory"));
	for (uint64_t i = 0; !b.is_bad && i < n; i++) {
		const char *id = get_str(&b);
		get(&b, &p[i], sizeof p[i]);
		p[i].participant = id;
	}
	if (b.is_bad || !res->name || b.at != len) {
		free(p);
		return cab_err_add(
		    err, CAB_EINTERNAL,
		    _("a batch worker sent a message that cannot "
		      "be read (%zu bytes)"),
		    len);
	}
	res->n_participants = (size_t)n;
	res->p = p;
	*parts = p;
	return CAB_OK;
}
