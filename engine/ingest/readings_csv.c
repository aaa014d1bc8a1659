/*
 * readings_csv.c — the canonical readings CSV parser (`timestamp,meter,
 * kwh`, SPEC §8) into a set of series (readings.c).
 *
 * Workload: a year of a thousand meters is 35 M rows (~1.2 GB of text),
 * so the parser streams the file in 4 MiB chunks, parses the usual
 * timestamp shape "YYYY-MM-DDTHH:MM:SSZ" by hand (caching the day number
 * of the last date), reads decimals with the Clinger fast path and
 * remembers which meter followed which so that rows grouped by meter or
 * in rotation rarely reach the hash table.
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
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/time.h"
#include "engine/base/decimal.h"

#define MAX_PROBLEMS 20
#define CHUNK (4u << 20)
#define EXPECT_TS "expected a timestamp like 2024-03-05T10:00:00Z"
#define EXPECT_KWH "expected a decimal like 0.125"

/* ---- numbers and timestamps ---- */

static bool two(const char *s, int *v)
{
	unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');
	if (a > 9 || b > 9)
		return false;
	*v = (int)(a * 10 + b);
	return true;
}

/* ---- the parser ---- */

/* Where the text comes from, so that it can be read a second time. */
struct source {
	const char *buf;  /* in-memory text, or NULL */
	size_t len;	  /* bytes in buf */
	const char *path; /* file to reopen when buf is NULL */
};

struct problem {
	long line;     /* line number of the problem */
	char msg[400]; /* message, unless is_dup */
	bool is_dup;   /* duplicate within the file: msg built at the end */
	size_t meter;  /* index + 1 of the duplicated meter */
	int64_t t;     /* interval start of the duplicate */
	long first;    /* line of the first occurrence, 0 until found */
};

struct parser {
	struct cab_readings *r; /* target */
	long lineno;		/* lines seen, header = 1 */
	long blank_line;	/* pending empty line, 0 if none */
	size_t rows;		/* data rows accepted */
	size_t last;		/* index + 1 of the meter of the last row */
	bool stop;		/* stop reading (limit, out of memory, found) */
	bool no_memory;		/* an allocation failed */
	bool is_rescan;		/* only looking for first occurrences */
	char date_key[10];	/* "YYYY-MM-DD" of the cached day number */
	int64_t date_days;	/* days since epoch of date_key */
	bool has_date;		/* date_key is valid */
	struct problem *pb;	/* problems found, MAX_PROBLEMS allocated */
	int n_pb;		/* problems found */
	long rescan_until;	/* rescan: stop at this line */
};

static void problem(struct parser *p, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct parser *p, long line, const char *fmt, ...)
{
	if (p->n_pb >= MAX_PROBLEMS)
		return;
	struct problem *q = &p->pb[p->n_pb++];
	memset(q, 0, sizeof(*q));
	q->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->msg, sizeof(q->msg), fmt, ap);
	va_end(ap);
	if (p->n_pb >= MAX_PROBLEMS)
		p->stop = true;
}

/* Field text for messages: at most 64 bytes. */
#define SHOWN(len) ((int)((len) > 64 ? 64 : (len)))

/* Parse a timestamp field. Returns false and sets *what when invalid;
 * *what is NULL for "no zone" (readings need Z or an offset). */
static bool parse_ts(struct parser *p, const char *s, size_t len, int64_t *t,
		     const char **what)
{
	if (len == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
	    s[13] == ':' && s[16] == ':' && s[19] == 'Z') {
		int hh, mi, ss;
		int64_t days = 0;
		bool ok = true;
		if (p->has_date && memcmp(s, p->date_key, 10) == 0) {
			days = p->date_days;
		} else {
			int y1, y2, mo, d;
			ok = two(s, &y1) && two(s + 2, &y2) &&
			     two(s + 5, &mo) && two(s + 8, &d) && mo >= 1 &&
			     mo <= 12 && d >= 1 &&
			     d <= cab_time_days_in_month(y1 * 100 + y2, mo);
			if (ok) {
				days = cab_time_days_from_civil(y1 * 100 + y2,
								mo, d);
				memcpy(p->date_key, s, 10);
				p->date_days = days;
				p->has_date = true;
			}
		}
		if (ok && two(s + 11, &hh) && two(s + 14, &mi) &&
		    two(s + 17, &ss) && hh < 24 && mi < 60 && ss < 60) {
			*t = days * 86400 + hh * 3600 + mi * 60 + ss;
			return true;
		}
	}
	if (cab_time_parse_iso(s, len, t, what) != CAB_OK)
		return false;
	for (size_t i = 10; i < len; i++)
		if (s[i] == 'Z' || s[i] == 'z' || s[i] == '+' || s[i] == '-')
			return true;
	*what = NULL;
	return false;
}

static void report_ts(struct parser *p, const char *s, size_t len,
		      const char *what)
{
	if (!what)
		problem(p, p->lineno,
			"timestamp '%.*s' has no UTC offset (expected Z or an "
			"offset like 2024-03-05T10:00:00+01:00)",
			SHOWN(len), s);
	else if (strncmp(what, "expected ", 9) == 0)
		problem(p, p->lineno, "timestamp '%.*s' is malformed (%s)",
			SHOWN(len), s, what);
	else
		problem(p, p->lineno, "%s '%.*s' (" EXPECT_TS ")", what,
			SHOWN(len), s);
}

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
	if (r->n_touched == r->cap_touched) {
		size_t cap = r->cap_touched ? 2 * r->cap_touched : 64;
		size_t *t = realloc(r->touched, cap * sizeof(*t));
		if (!t)
			return false;
		r->touched = t;
		r->cap_touched = cap;
	}
	m->seen = calloc(r->n / 64 + 1, sizeof(uint64_t));
	if (!m->seen)
		return false;
	r->touched[r->n_touched++] = k;
	m->is_touched = true;
	return true;
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
		if (p->n_pb < MAX_PROBLEMS) {
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
	m->kwh[idx] = v + 0.0; /* -0 becomes 0 */
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
		if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (!p->is_rescan &&
		    (len != 19 || memcmp(s, "timestamp,meter,kwh", 19))) {
			problem(p, 1, "header must be 'timestamp,meter,kwh'");
			p->stop = true;
		}
		return;
	}
	if (len == 0) {
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
	const char *end = s + len;
	const char *c1 = memchr(s, ',', len);
	const char *c2 =
	    c1 ? memchr(c1 + 1, ',', (size_t)(end - c1 - 1)) : NULL;
	if (!c2 || memchr(c2 + 1, ',', (size_t)(end - c2 - 1))) {
		if (p->is_rescan)
			return;
		int cols = 1;
		for (const char *q = s; q < end; q++)
			cols += *q == ',';
		/* "…,0,5" or "…,\"0,5\"": a spreadsheet's decimal comma
		 * splits the energy in two; say so rather than just count. */
		const char *last = end;
		while (last > s && last[-1] != ',')
			last--;
		bool is_decimal_comma =
		    cols == 4 && last < end && last - 2 >= s &&
		    ((last[-2] >= '0' && last[-2] <= '9') || last[-2] == '"') &&
		    ((*last >= '0' && *last <= '9') || *last == '"');
		if (is_decimal_comma)
			problem(p, p->lineno,
				"expected 3 columns timestamp,meter,kwh, got 4 "
				"(a decimal comma? write kwh with a point, "
				"like 0.125)");
		else
			problem(
			    p, p->lineno,
			    "expected 3 columns timestamp,meter,kwh, got %d",
			    cols);
		return;
	}
	const char *id = c1 + 1, *num = c2 + 1;
	size_t ts_len = (size_t)(c1 - s), id_len = (size_t)(c2 - id),
	       num_len = (size_t)(end - num);
	int64_t t;
	const char *what = NULL;
	if (!parse_ts(p, s, ts_len, &t, &what)) {
		if (!p->is_rescan)
			report_ts(p, s, ts_len, what);
		return;
	}
	if (p->is_rescan) {
		rescan_row(p, id, id_len, t);
		return;
	}
	if (((t % CAB_INTERVAL_S) + CAB_INTERVAL_S) % CAB_INTERVAL_S) {
		problem(p, p->lineno,
			"timestamp '%.*s' is not on a quarter-hour (expected "
			"minutes 00, 15, 30 or 45 and 0 seconds)",
			SHOWN(ts_len), s);
		return;
	}
	if (id_len == 0) {
		problem(p, p->lineno,
			"meter is empty (expected a meter id like h01-c)");
		return;
	}
	for (size_t i = 0; i < id_len; i++) {
		unsigned char c = (unsigned char)id[i];
		if (c < 0x20 || c == 0x7f) {
			problem(p, p->lineno,
				"meter contains control character 0x%02x at "
				"byte %zu (expected a meter id like h01-c)",
				c, i + 1);
			return;
		}
	}
	double v;
	if (!cab_decimal_parse(num, num_len, &v)) {
		problem(p, p->lineno,
			"kwh '%.*s' is not a number (" EXPECT_KWH ")",
			SHOWN(num_len), num);
		return;
	}
	if (!isfinite(v)) {
		problem(p, p->lineno,
			"kwh '%.*s' is not finite (" EXPECT_KWH ")",
			SHOWN(num_len), num);
		return;
	}
	if (v < 0) {
		problem(p, p->lineno, "kwh must be ≥ 0, got %.*s",
			SHOWN(num_len), num);
		return;
	}
	if (v > CAB_READINGS_MAX_KWH) {
		problem(p, p->lineno,
			"kwh %.*s is too large (expected at most 250000 kWh a "
			"quarter-hour, 1 GW)",
			SHOWN(num_len), num);
		return;
	}
	p->rows++;
	struct cab_readings *r = p->r;
	if (t < r->t0_s || (uint64_t)(t - r->t0_s) / CAB_INTERVAL_S >= r->n)
		return;
	store(p, id, id_len, t, v);
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
		return;
	}
	FILE *f = fopen(src->path, "rb");
	size_t cap = CHUNK;
	char *buf = malloc(cap);
	if (f && buf)
		feed_file(&q, f, &buf, &cap);
	free(buf);
	if (f)
		fclose(f);
}

/* End of a parse: keep (is_ok) or undo what it wrote. */
static void settle(struct cab_readings *r, bool is_ok)
{
	for (size_t i = 0; i < r->n_touched; i++) {
		struct cab_rd_meter *m = r->all[r->touched[i] - 1];
		if (!is_ok && m->is_new) {
			free(m->kwh);
			m->kwh = NULL;
		} else if (!is_ok && m->kwh &&
			   (r->n_wanted == 0 || m->is_wanted)) {
			/* only stored meters had cells written */
			for (size_t w = 0; w <= r->n / 64; w++)
				for (uint64_t b = m->seen[w]; b; b &= b - 1)
					m->kwh[w * 64 + (size_t)__builtin_ctzll(
							    b)] = NAN;
		}
		free(m->seen);
		m->seen = NULL;
		m->is_new = false;
		m->is_touched = false;
	}
	r->n_touched = 0;
}

/* End of a parse: keep or undo what it wrote, and report. */
static enum cab_status finish(struct parser *p, const char *name,
			      const struct source *src, struct cab_err *err)
{
	struct cab_readings *r = p->r;
	bool is_ok = p->n_pb == 0 && !p->no_memory;
	settle(r, is_ok);
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
	struct parser p = {.r = r};
	p.pb = new_problems();
	if (!p.pb)
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", name);
	struct source src = {.buf = buf ? buf : "", .len = buf ? len : 0};
	feed(&p, src.buf, src.len, true);
	if (p.lineno == 0 && !p.stop) /* empty input: no header */
		problem(&p, 1, "header must be 'timestamp,meter,kwh'");
	enum cab_status st = finish(&p, name, &src, err);
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
		settle(r, false);
		st = cab_err_add(err, CAB_EIO, "%s: cannot read (%s)", path,
				 strerror(e));
		goto done;
	}
	if (p.lineno == 0 && !p.stop)
		problem(&p, 1, "header must be 'timestamp,meter,kwh'");
	struct source src = {.path = path};
	st = finish(&p, path, &src, err);
done:
	free(p.pb);
	free(buf);
	fclose(f);
	return st;
}
