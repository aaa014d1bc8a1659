/*
 * readings_csv.c — a scenario's readings CSV (SPEC §8, in any dialect of
 * SPEC §11) into a set of series (readings.c).
 *
 * Each line goes through the one readings parser (dialect.h, shared with
 * `import --format csv`): its rules say what a row is; this file keeps
 * the rows of the period, finds duplicates and lists up to 20 problems.
 *
 * Workload: a year of a thousand meters is 35 M rows (~1.2 GB of text).
 * A valid file is read once, mapped, on threads (readings_par.c); this
 * file's one-thread parser reads a file that that parse gave back (it
 * met a problem: this parser finds and words them all) and a pipe: it
 * streams in 4 MiB chunks, canonical rows take the dialect's inline fast
 * path, and it remembers which meter followed which so that rows grouped
 * by meter or in rotation rarely reach the hash table.
 *
 * Atomicity: a bad file changes nothing. A cell can only be written when
 * it was missing (NaN) — anything else is a duplicate — so each parse
 * keeps, per meter it touched, a bitmap of the cells it wrote; on any
 * problem those cells go back to NaN and arrays created by this parse are
 * freed. The same bitmap finds duplicates inside a file, also for meters
 * that are validated but not stored; a non-NaN cell not in the bitmap is
 * a duplicate of an earlier load. The line of the first occurrence is
 * found by one extra pass over the input, only when there are duplicates.
 */
#include "engine/ingest/readings_set.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cabine/time.h"
#include "engine/ingest/dialect.h"

#define MAX_PROBLEMS 20
#define CHUNK (4u << 20)
#define EMPTY_FILE "empty file (expected the header timestamp,meter,kwh)"

/* ---- the parser ---- */

/* Where the text comes from, so that it can be read a second time. */
struct source {
	const char *buf;  /* in-memory text, or NULL */
	size_t len;	  /* bytes in buf */
	const char *path; /* file to reopen when buf is NULL */
};

struct problem {
	long line;     /* line number of the problem */
	char msg[480]; /* message, unless is_dup */
	bool is_dup;   /* duplicate within the file: msg built at the end */
	size_t meter;  /* index + 1 of the duplicated meter */
	int64_t t;     /* interval start of the duplicate */
	long first;    /* line of the first occurrence, 0 until found */
};

struct parser {
	struct cab_readings *r; /* target */
	struct cab_dialect d;	/* the file's dialect (dialect.h), owned */
	long lineno;		/* lines seen, header = 1 */
	long blank_line;	/* pending empty line, 0 if none */
	size_t rows;		/* data rows accepted */
	size_t last;		/* index + 1 of the meter of the last row */
	bool stop;		/* stop reading (limit, out of memory, found) */
	bool no_memory;		/* an allocation failed */
	bool is_rescan;		/* only looking for first occurrences */
	struct problem *pb;	/* problems found, MAX_PROBLEMS allocated */
	int n_pb;		/* problems found */
	size_t n_more;		/* problems found beyond MAX_PROBLEMS */
	long rescan_until;	/* rescan: stop at this line */
};

static void problem(struct parser *p, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct parser *p, long line, const char *fmt, ...)
{
	/* Past the listed ones, only counted: the list ends with how many
	 * more there are (SPEC §10: the whole file is read). */
	if (p->n_pb >= MAX_PROBLEMS) {
		p->n_more++;
		return;
	}
	struct problem *q = &p->pb[p->n_pb++];
	memset(q, 0, sizeof(*q));
	q->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->msg, sizeof(q->msg), fmt, ap);
	va_end(ap);
}

/* Field text for messages: at most 64 bytes. */
#define SHOWN(len) ((int)((len) > 64 ? 64 : (len)))

/* The meter of the current row, via the last-row and rotation caches. */
static size_t row_meter(struct parser *p, const char *id, size_t len)
{
	struct cab_readings *r = p->r;
	size_t last = p->last;
	if (last) {
		struct cab_rd_meter *m = r->all[last - 1];
		if (meter_is(m, id, len))
			return last;
		size_t g = m->next_guess;
		if (g && meter_is(r->all[g - 1], id, len)) {
			p->last = g;
			return g;
		}
	}
	size_t k = cab_rd_add_meter(r, id, len);
	if (!k)
		return 0;
	if (last)
		r->all[last - 1]->next_guess = k;
	p->last = k;
	return k;
}

static bool touch(struct parser *p, struct cab_rd_meter *m, size_t k)
{
	struct cab_readings *r = p->r;
	if (m->is_touched)
		return true;
	m->seen = calloc(r->n / 64 + 1, sizeof(uint64_t));
	if (m->seen && cab_rd_mark_touched(r, k))
		return true;
	free(m->seen);
	m->seen = NULL;
	return false;
}

/* Record the value of a valid row inside the period. */
static void store(struct parser *p, const char *id, size_t id_len, int64_t t,
		  double v)
{
	struct cab_readings *r = p->r;
	size_t k = row_meter(p, id, id_len);
	if (!k)
		goto no_memory;
	struct cab_rd_meter *m = r->all[k - 1];
	if (!m->is_touched && !touch(p, m, k))
		goto no_memory;
	size_t idx = (size_t)((t - r->t0_s) / CAB_INTERVAL_S);
	uint64_t bit = 1ull << (idx & 63);
	bool is_stored = r->n_wanted == 0 || m->is_wanted;
	if (m->seen[idx >> 6] & bit) {
		if (p->n_pb >= MAX_PROBLEMS) {
			p->n_more++;
		} else {
			problem(p, p->lineno, "duplicate");
			struct problem *q = &p->pb[p->n_pb - 1];
			q->is_dup = true;
			q->meter = k;
			q->t = t;
		}
		return;
	}
	if (is_stored && m->kwh && !isnan(m->kwh[idx])) {
		char ts[21];
		cab_time_format_utc(t, ts);
		problem(p, p->lineno,
			"duplicate reading for meter '%.*s' at %s (already "
			"loaded before this file)",
			SHOWN(id_len), id, ts);
		return;
	}
	m->seen[idx >> 6] |= bit;
	if (!is_stored)
		return;
	if (!m->kwh) {
		m->kwh = cab_rd_nan_array(r->n);
		if (!m->kwh)
			goto no_memory;
		m->is_new = true;
	}
	m->kwh[idx] = v;
	return;
no_memory:
	p->no_memory = true;
	p->stop = true;
}

/* Rescan: note the first line of each pending duplicate. */
static void rescan_row(struct parser *p, const char *id, size_t id_len,
		       int64_t t)
{
	bool pending = false;
	for (int i = 0; i < p->n_pb; i++) {
		struct problem *q = &p->pb[i];
		if (!q->is_dup || q->first)
			continue;
		if (q->t == t && meter_is(p->r->all[q->meter - 1], id, id_len))
			q->first = p->lineno;
		else
			pending = true;
	}
	if (!pending)
		p->stop = true;
}

static void handle_line(struct parser *p, const char *s, size_t len)
{
	p->lineno++;
	if (p->is_rescan && p->lineno >= p->rescan_until) {
		p->stop = true;
		return;
	}
	if (len && s[len - 1] == '\r')
		len--;
	if (p->lineno == 1) {
		if (!cab_dialect_header(&p->d, s, len)) {
			if (!p->is_rescan)
				problem(p, 1, "%s", p->d.msg);
			p->stop = true;
		}
		return;
	}
	struct cab_dialect_row row;
	enum cab_dialect_line kind =
	    len == 0 ? CAB_DIALECT_BLANK : cab_dialect_row(&p->d, s, len, &row);
	if (kind == CAB_DIALECT_BLANK) {
		if (!p->blank_line)
			p->blank_line = p->lineno;
		return;
	}
	if (p->blank_line) {
		if (!p->is_rescan)
			problem(p, p->blank_line,
				"empty line (expected timestamp,meter,kwh)");
		p->blank_line = 0;
		if (p->stop)
			return;
	}
	if (kind == CAB_DIALECT_BAD) {
		if (p->d.is_oom) {
			p->no_memory = true;
			p->stop = true;
		} else if (!p->is_rescan) {
			problem(p, p->lineno, "%s", p->d.msg);
		}
		return;
	}
	if (p->is_rescan) {
		rescan_row(p, row.meter, row.meter_len, row.t_s);
		return;
	}
	p->rows++;
	struct cab_readings *r = p->r;
	int64_t t = row.t_s;
	/* An empty kwh cell is a known hole: the interval stays missing. */
	if (isnan(row.kwh) || t < r->t0_s ||
	    (uint64_t)(t - r->t0_s) / CAB_INTERVAL_S >= r->n)
		return;
	store(p, row.meter, row.meter_len, t, row.kwh);
}

/* Feed complete lines of buf; returns bytes consumed. With is_final the
 * remainder (no newline) is a line too. */
static size_t feed(struct parser *p, const char *buf, size_t len, bool is_final)
{
	size_t pos = 0;
	while (pos < len && !p->stop) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl) {
			if (!is_final)
				break;
			handle_line(p, buf + pos, len - pos);
			pos = len;
			break;
		}
		size_t n = (size_t)(nl - (buf + pos));
		handle_line(p, buf + pos, n);
		pos += n + 1;
	}
	return pos;
}

/* Parse a whole stream in chunks. Returns 0, or errno on a read error. */
static int feed_file(struct parser *p, FILE *f, char **bufp, size_t *capp)
{
	size_t used = 0;
	for (;;) {
		if (used == *capp) { /* one line longer than the buffer */
			size_t cap = *capp * 2;
			char *b = realloc(*bufp, cap);
			if (!b) {
				p->no_memory = true;
				return 0;
			}
			*bufp = b;
			*capp = cap;
		}
		size_t got = fread(*bufp + used, 1, *capp - used, f);
		used += got;
		bool is_final = got == 0;
		if (is_final && ferror(f))
			return errno ? errno : EIO;
		size_t done = feed(p, *bufp, used, is_final);
		if (p->stop || is_final)
			return 0;
		memmove(*bufp, *bufp + done, used - done);
		used -= done;
	}
}

/* Second pass to find the first line of duplicates inside the file. */
static void find_first_lines(struct parser *p, const struct source *src)
{
	struct parser q = *p;
	q.d = (struct cab_dialect){0};
	q.lineno = 0;
	q.blank_line = 0;
	q.stop = false;
	q.is_rescan = true;
	q.rescan_until = 0;
	for (int i = 0; i < p->n_pb; i++)
		if (p->pb[i].is_dup)
			q.rescan_until = p->pb[i].line;
	if (!q.rescan_until)
		return;
	if (src->buf) {
		feed(&q, src->buf, src->len, true);
	} else {
		FILE *f = fopen(src->path, "rb");
		size_t cap = CHUNK;
		char *buf = malloc(cap);
		if (f && buf)
			feed_file(&q, f, &buf, &cap);
		free(buf);
		if (f)
			fclose(f);
	}
	cab_dialect_release(&q.d);
}

/* End of a parse: keep or undo what it wrote, and report. */
static enum cab_status finish(struct parser *p, const char *name,
			      const struct source *src, struct cab_err *err)
{
	struct cab_readings *r = p->r;
	bool is_ok = p->n_pb == 0 && !p->no_memory;
	cab_rd_settle(r, is_ok);
	if (p->no_memory)
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", name);
	if (is_ok) {
		r->rows += p->rows;
		return CAB_OK;
	}
	find_first_lines(p, src);
	for (int i = 0; i < p->n_pb; i++) {
		struct problem *q = &p->pb[i];
		if (!q->is_dup) {
			cab_err_at_line(err, CAB_EINPUT, name, q->line, "%s",
					q->msg);
			continue;
		}
		const struct cab_rd_meter *m = r->all[q->meter - 1];
		char ts[21];
		cab_time_format_utc(q->t, ts);
		if (q->first)
			cab_err_at_line(err, CAB_EINPUT, name, q->line,
					"duplicate reading for meter '%.*s' at "
					"%s (first on line %ld)",
					SHOWN(m->id_len), m->id, ts, q->first);
		else
			cab_err_at_line(err, CAB_EINPUT, name, q->line,
					"duplicate reading for meter '%.*s' at "
					"%s",
					SHOWN(m->id_len), m->id, ts);
	}
	if (p->n_more)
		cab_err_more(err, CAB_EINPUT, p->n_more);
	return CAB_EINPUT;
}

static struct problem *new_problems(void)
{
	return malloc(MAX_PROBLEMS * sizeof(struct problem));
}

enum cab_status cab_readings_parse_csv(struct cab_readings *r, const char *name,
				       const char *buf, size_t len,
				       struct cab_err *err)
{
	if (buf && cab_rd_parse_parts(r, buf, len, false))
		return CAB_OK;
	struct parser p = {.r = r};
	p.pb = new_problems();
	if (!p.pb)
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", name);
	struct source src = {.buf = buf ? buf : "", .len = buf ? len : 0};
	feed(&p, src.buf, src.len, true);
	if (p.lineno == 0 && !p.stop) /* empty input: no header */
		problem(&p, 1, EMPTY_FILE);
	enum cab_status st = finish(&p, name, &src, err);
	cab_dialect_release(&p.d);
	free(p.pb);
	return st;
}

enum cab_status cab_readings_load_csv(struct cab_readings *r, const char *path,
				      struct cab_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cab_err_add(err, CAB_EINPUT, "%s: cannot open (%s)",
				   path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return cab_err_add(err, CAB_EINPUT,
				   "%s: is a folder (expected a file)", path);
	}
	/* A regular file is mapped and read on threads (readings_par.c);
	 * when that cannot be done without a problem, and for a pipe, it is
	 * streamed below on one thread, which words the problems. */
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size > 0 && (uintmax_t)sb.st_size <= SIZE_MAX) {
		size_t n = (size_t)sb.st_size;
		void *map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fileno(f), 0);
		if (map != MAP_FAILED) {
			bool is_done = cab_rd_parse_parts(r, map, n, true);
			munmap(map, n);
			if (is_done) {
				fclose(f);
				return CAB_OK;
			}
		}
	}
	enum cab_status st;
	struct parser p = {.r = r};
	size_t cap = CHUNK;
	char *buf = malloc(cap);
	p.pb = new_problems();
	if (!buf || !p.pb) {
		st = cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	int e = feed_file(&p, f, &buf, &cap);
	if (e) {
		cab_rd_settle(r, false);
		st = cab_err_add(err, CAB_EIO, "%s: cannot read (%s)", path,
				 strerror(e));
		goto done;
	}
	if (p.lineno == 0 && !p.stop)
		problem(&p, 1, EMPTY_FILE);
	struct source src = {.path = path};
	st = finish(&p, path, &src, err);
done:
	cab_dialect_release(&p.d);
	free(p.pb);
	free(buf);
	fclose(f);
	return st;
}
