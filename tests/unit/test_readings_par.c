/*
 * test_readings_par.c — the readings CSV read on threads
 * (engine/ingest/readings_par.c) gives what the one-thread parser gives:
 * the same series, meters in the same order, the same rows, the same
 * messages in the same order, whatever the threads and wherever the
 * parts begin.
 *
 * Property: random files (canonical rows in time, meter or random order,
 * CRLF, quoted meters, numbers the fast path leaves to the slow one, empty
 * cells, rows outside the period; rows with a UTC offset; `;` files with
 * local times around the repeated autumn hour) with injected problems
 * (bad numbers, bad timestamps, blank lines, more than 20 problems) and
 * duplicates placed at the part boundaries of 2, 3 or 7 threads, parsed
 * with the one-thread parser (the reference) and with 1, 2, 3 and 7
 * threads on parts as small as one line, into empty sets and into sets
 * that already hold data with declared meters. Hand cases: a duplicate
 * across two parts named with its first line; the autumn hour across a
 * boundary.
 *
 * Period: 2024-03-05T00:00:00Z (day 19787) for 96 intervals (one day),
 * and 2024-10-26T22:00:00Z (local midnight of the 27th, CEST) for 100
 * intervals in the local-time files.
 */
#include "cabine/readings.h"

#include <stdint.h>
#include <unistd.h>

#include "cabine/time.h"
#include "engine/ingest/readings_set.h"
#include "harness.h"

#define T0 ((int64_t)19787 * 86400)
#define N 96
/* 2024-10-26T22:00:00Z, local midnight of the 27th (CEST) */
#define T_AUTUMN (cab_time_days_from_civil(2024, 10, 27) * 86400 - 7200)
#define CAP (1 << 20)

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next_rand() % n);
}

/* A parse's outcome: status, messages, and the set's contents. */
struct outcome {
	enum cab_status st;
	char *text;	  /* messages, or "" */
	char *state;	  /* meters in order, undeclared ids, rows, series */
	size_t used;	  /* parts that read it (0: the one-thread parser) */
	size_t state_len; /* bytes in state */
};

static void append(char **s, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (*len + n > *cap) {
		*cap = (*len + n) * 2;
		*s = realloc(*s, *cap);
		if (!*s)
			exit(1);
	}
	memcpy(*s + *len, p, n);
	*len += n;
}

static void describe(const struct cab_readings *r, struct outcome *o)
{
	size_t cap = 0;
	o->state = NULL;
	o->state_len = 0;
	size_t rows = cab_readings_rows(r);
	append(&o->state, &o->state_len, &cap, &rows, sizeof(rows));
	for (size_t i = 0; cab_readings_meter_id(r, i); i++) {
		const char *id = cab_readings_meter_id(r, i);
		append(&o->state, &o->state_len, &cap, id, strlen(id) + 1);
		append(&o->state, &o->state_len, &cap,
		       cab_readings_series(r, id),
		       cab_readings_n_intervals(r) * sizeof(double));
	}
	append(&o->state, &o->state_len, &cap, "|", 1);
	for (size_t i = 0; cab_readings_undeclared_id(r, i); i++) {
		const char *id = cab_readings_undeclared_id(r, i);
		append(&o->state, &o->state_len, &cap, id, strlen(id) + 1);
	}
}

/* A set over [t0, t0 + n × 900 s); with is_loaded it already holds the
 * last interval of m00 (put) and of m01 (a file), and declares m00 …
 * m05. */
static struct cab_readings *new_set(int64_t t0, size_t n, bool is_loaded)
{
	struct cab_readings *r = NULL;
	if (cab_readings_new(t0, n, &r, NULL) != CAB_OK)
		exit(1);
	if (!is_loaded)
		return r;
	double *v = cab_rd_nan_array(n);
	v[n - 1] = 0.5;
	char pre[160], ts[21];
	cab_time_format_utc(t0 + (int64_t)(n - 1) * CAB_INTERVAL_S, ts);
	snprintf(pre, sizeof(pre), "timestamp,meter,kwh\n%s,m01,2\n", ts);
	if (cab_readings_put(r, "m00", v, NULL) != CAB_OK ||
	    cab_readings_parse_csv(r, "pre", pre, strlen(pre), NULL) != CAB_OK)
		exit(1);
	free(v);
	for (int m = 0; m < 6; m++) {
		char id[8];
		snprintf(id, sizeof(id), "m%02d", m);
		cab_readings_want(r, id, NULL);
	}
	return r;
}

/* Parse text with threads (< 0: the one-thread parser) on parts of at
 * least one byte; through a file when is_file. */
static struct outcome parse(int64_t t0, size_t n, bool is_loaded,
			    const char *text, size_t len, int threads,
			    bool is_file)
{
	struct cab_readings *r = new_set(t0, n, is_loaded);
	cab_rd_set_split(r, threads, 1);
	struct cab_err err;
	cab_err_init(&err);
	struct outcome o = {0};
	if (is_file) {
		char path[] = "/tmp/cabine-par-XXXXXX";
		int fd = mkstemp(path);
		if (fd < 0 || write(fd, text, len) != (ssize_t)len)
			exit(1);
		close(fd);
		o.st = cab_readings_load_csv(r, path, &err);
		unlink(path);
		/* messages name the file: back to the buffer's name */
		if (err.text) {
			char *s = err.text, *p;
			while ((p = strstr(s, path)) != NULL) {
				memcpy(p, "t.csv", 5);
				memmove(p + 5, p + strlen(path),
					strlen(p + strlen(path)) + 1);
				s = p + 5;
			}
		}
	} else {
		o.st = cab_readings_parse_csv(r, "t.csv", text, len, &err);
	}
	o.text = strdup(err.text ? err.text : "");
	o.used = r->split_used;
	describe(r, &o);
	cab_err_release(&err);
	cab_readings_free(r);
	return o;
}

static bool same(const struct outcome *a, const struct outcome *b)
{
	return a->st == b->st && strcmp(a->text, b->text) == 0 &&
	       a->state_len == b->state_len &&
	       memcmp(a->state, b->state, a->state_len) == 0;
}

static void drop(struct outcome *o)
{
	free(o->text);
	free(o->state);
}

/* Where the parts of `threads` begin (offsets into text), as
 * readings_par.c splits (parts of at least one byte). */
static size_t starts(const char *text, size_t len, int threads, size_t *out)
{
	const char *nl = memchr(text, '\n', len);
	size_t body = nl ? (size_t)(nl - text) + 1 : len, from = body;
	size_t n =
	    (len - body) < (size_t)threads ? len - body : (size_t)threads;
	for (size_t j = 0; j + 1 < n; j++) {
		size_t to = body + (len - body) / n * (j + 1) - 1;
		to = to < from ? from : to;
		const char *e = memchr(text + to, '\n', len - to);
		to = e ? (size_t)(e - text) + 1 : len;
		out[j] = to;
		from = to;
	}
	return n ? n - 1 : 0;
}

/* ---- the random files ---- */

enum kind { CANONICAL, OFFSETS, LOCAL };

/* One file into buf; returns its length. Canonical rows have a fixed
 * 24-byte "timestamp,meter" prefix so that a duplicate can be made by
 * copying it over another row's. */
static size_t generate(enum kind kind, char *buf, int *n_meters)
{
	size_t len = 0;
	int nm = 1 + (int)below(kind == CANONICAL && below(4) == 0 ? 90 : 12);
	int ni = kind == LOCAL ? 24 : 8 + (int)below(110);
	int order = (int)below(3); /* time-major, meter-major, shuffled */
	*n_meters = nm;
	int64_t t_from = kind == LOCAL ? T_AUTUMN + (int64_t)below(8) * 900
				       : T0 - 4 * CAB_INTERVAL_S;
	len +=
	    (size_t)sprintf(buf + len, "%s",
			    kind == LOCAL ? "\xEF\xBB\xBFHorodatage;Compteur;"
					    "kWh\r\n"
					  : "timestamp,meter,kwh\n");
	int total = nm * ni;
	int *perm = malloc((size_t)total * sizeof(int));
	for (int k = 0; k < total; k++)
		perm[k] = k;
	if (order == 2 && kind != LOCAL)
		for (int k = total - 1; k > 0; k--) {
			int j = (int)below((unsigned)k + 1), x = perm[k];
			perm[k] = perm[j];
			perm[j] = x;
		}
	for (int k = 0; k < total; k++) {
		int i =
		    order == 1 && kind != LOCAL ? perm[k] % ni : perm[k] / nm;
		int m =
		    order == 1 && kind != LOCAL ? perm[k] / ni : perm[k] % nm;
		int64_t t = t_from + (int64_t)i * CAB_INTERVAL_S;
		unsigned ip = below(10), fp = below(1000);
		const char *eol = below(5) == 0 ? "\r\n" : "\n";
		if (kind == LOCAL) {
			struct cab_civil c;
			cab_time_to_local(t, &c);
			len += (size_t)sprintf(
			    buf + len,
			    "%02d/%02d/%04d %02d:%02d;m%02d;%u,%03u\r\n", c.day,
			    c.month, c.year, c.hour, c.minute, m, ip, fp);
			continue;
		}
		char ts[32];
		if (kind == OFFSETS) {
			struct cab_civil c;
			cab_time_to_local(t, &c);
			snprintf(ts, sizeof(ts),
				 "%04d-%02d-%02dT%02d:%02d:00+01:00", c.year,
				 c.month, c.day, c.hour, c.minute);
		} else {
			cab_time_format_utc(t, ts);
		}
		/* now and then a quoted meter: the general path */
		len += (size_t)sprintf(
		    buf + len, below(15) ? "%s,m%02d," : "%s,\"m%02d\",", ts,
		    m);
		switch (below(12)) {
		case 0: /* an empty cell: a known hole */
			break;
		case 1: /* the slow path's number */
			len += (size_t)sprintf(buf + len, "%u.%03ue0", ip, fp);
			break;
		case 2: /* more digits than the one-pass path takes */
			len += (size_t)sprintf(
			    buf + len, "%u.%03u000000000000001", ip, fp);
			break;
		default:
			len += (size_t)sprintf(buf + len, "%u.%03u", ip, fp);
		}
		len += (size_t)sprintf(buf + len, "%s", eol);
	}
	free(perm);
	return len;
}

/* The offset of the line that contains offset at. */
static size_t line_start(const char *buf, size_t at)
{
	while (at && buf[at - 1] != '\n')
		at--;
	return at;
}

/* Make the row at line offset b a duplicate of the row at a (copy its
 * 24-byte canonical prefix); false when either is not canonical. */
static bool make_duplicate(char *buf, size_t len, size_t a, size_t b)
{
	if (a == b || a + 24 > len || b + 24 > len || buf[a + 20] != ',' ||
	    buf[b + 20] != ',' || buf[a + 24] != ',' || buf[b + 24] != ',' ||
	    buf[a + 19] != 'Z' || buf[b + 19] != 'Z')
		return false;
	memcpy(buf + b, buf + a, 24);
	return true;
}

/* Replace the line at offset a by `what` (length may change). */
static size_t replace_line(char *buf, size_t len, size_t a, const char *what)
{
	const char *e = memchr(buf + a, '\n', len - a);
	size_t b = e ? (size_t)(e - buf) + 1 : len, n = strlen(what);
	memmove(buf + a + n, buf + b, len - b);
	memcpy(buf + a, what, n);
	return len - (b - a) + n;
}

static size_t random_line(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t body = (size_t)(nl - buf) + 1;
	if (body >= len)
		return len;
	return line_start(buf, body + below((unsigned)(len - body)));
}

TEST(threads_give_what_one_thread_gives)
{
	char *buf = malloc(CAP);
	static const int threads[] = {1, 2, 3, 7};
	int n_cases = 0, n_bad = 0, n_split = 0, n_differ = 0;
	for (int c = 0; c < 400; c++) {
		enum kind kind = c % 5 == 4   ? LOCAL
				 : c % 5 == 3 ? OFFSETS
					      : CANONICAL;
		int nm;
		size_t len = generate(kind, buf, &nm);
		/* duplicates at the boundaries of 2, 3 or 7 threads */
		if (kind == CANONICAL && below(3) == 0) {
			size_t at[8];
			size_t nb = starts(buf, len, threads[1 + below(3)], at);
			for (size_t j = 0; j < nb; j++) {
				size_t prev = line_start(buf, at[j] - 1);
				make_duplicate(buf, len,
					       below(2) ? prev
							: random_line(buf, len),
					       at[j]);
			}
		}
		switch (below(8)) {
		case 0: /* a bad number */
			len = replace_line(buf, len, random_line(buf, len),
					   "2024-03-05T00:15:00Z,m00,1.2.3\n");
			break;
		case 1: /* a bad timestamp */
			len = replace_line(buf, len, random_line(buf, len),
					   "2024-03-05T00:16:00Z,m00,1\n");
			break;
		case 2: /* an empty line inside */
			len =
			    replace_line(buf, len, random_line(buf, len), "\n");
			break;
		case 3: /* empty lines at the end: fine */
			len += (size_t)sprintf(buf + len, "\n\r\n");
			break;
		case 4: /* more than 20 problems */
			for (int k = 0; k < 30; k++)
				len = replace_line(buf, len,
						   random_line(buf, len),
						   "x,m01,1\n");
			break;
		default:
			break;
		}
		int64_t t0 = kind == LOCAL ? T_AUTUMN : T0;
		size_t n = kind == LOCAL ? 100 : N;
		bool is_loaded = below(2);
		struct outcome ref =
		    parse(t0, n, is_loaded, buf, len, -1, false);
		n_cases++;
		n_bad += ref.st != CAB_OK;
		for (size_t k = 0; k < 4; k++) {
			struct outcome o =
			    parse(t0, n, is_loaded, buf, len, threads[k],
				  k == 1 && c % 7 == 0);
			if (!same(&ref, &o)) {
				n_differ++;
				if (n_differ < 3)
					fprintf(stderr,
						"  case %d, %d threads:\n%s\n"
						"  instead of:\n%s\n",
						c, threads[k], o.text,
						ref.text);
			}
			n_split += o.used > 1;
			drop(&o);
		}
		drop(&ref);
	}
	CHECK_INT(n_differ, 0);
	printf("%d files, %d bad, %d parses on parts\n", n_cases, n_bad,
	       n_split);
	/* both sides exercised: valid files read on threads, bad ones */
	CHECK(n_split > 300);
	CHECK(n_bad > 60 && n_bad < n_cases - 100);
	free(buf);
}

TEST(a_duplicate_across_parts_names_its_first_line)
{
	/* Lines 2–5; two threads split the 4 rows at their middle, so line 5
	 * (part 2) repeats line 2 (part 1): 00:00Z of meter a. */
	const char *text = "timestamp,meter,kwh\n"
			   "2024-03-05T00:00:00Z,a,1\n"
			   "2024-03-05T00:15:00Z,a,1\n"
			   "2024-03-05T00:30:00Z,a,1\n"
			   "2024-03-05T00:00:00Z,a,2\n";
	struct outcome o = parse(T0, N, false, text, strlen(text), 2, false);
	CHECK_INT(o.st, CAB_EINPUT);
	CHECK_STR(o.text, "t.csv:5: duplicate reading for meter 'a' at "
			  "2024-03-05T00:00:00Z (first on line 2)\n");
	drop(&o);
	/* Without the duplicate: read in two parts, a's 3 values placed. */
	const char *good = "timestamp,meter,kwh\n"
			   "2024-03-05T00:00:00Z,a,1\n"
			   "2024-03-05T00:15:00Z,b,1.5\n"
			   "2024-03-05T00:30:00Z,a,1\n"
			   "2024-03-05T00:45:00Z,a,2\n";
	struct cab_readings *r = new_set(T0, N, false);
	cab_rd_set_split(r, 2, 1);
	CHECK_INT(cab_readings_parse_csv(r, "t.csv", good, strlen(good), NULL),
		  CAB_OK);
	CHECK_INT(r->split_used, 2);
	const double *a = cab_readings_series(r, "a");
	CHECK(a && a[0] == 1 && isnan(a[1]) && a[2] == 1 && a[3] == 2);
	CHECK_STR(cab_readings_meter_id(r, 0), "a");
	CHECK_STR(cab_readings_meter_id(r, 1), "b");
	CHECK_INT(cab_readings_rows(r), 4);
	cab_readings_free(r);
}

TEST(the_autumn_hour_across_a_boundary)
{
	/* 27/10/2024 02:00 local happens twice: 00:00Z (summer), then
	 * 01:00Z (winter). Meter a's second 02:00 starts part 2: only the
	 * rows before it say it is the winter one, so the parse goes back to
	 * one thread, and gives the same values. Period from 2024-10-26
	 * 22:00Z: 00:00Z is interval 8, 01:00Z interval 12. */
	const char *text = "horodatage;compteur;kwh\n"
			   "27/10/2024 02:00;a;1\n"
			   "27/10/2024 02:00;a;2\n";
	struct outcome ref =
	    parse(T_AUTUMN, 100, false, text, strlen(text), -1, false);
	struct outcome o =
	    parse(T_AUTUMN, 100, false, text, strlen(text), 2, false);
	CHECK_INT(o.st, CAB_OK);
	CHECK(same(&ref, &o));
	CHECK_INT(o.used, 0);
	struct cab_readings *r = new_set(T_AUTUMN, 100, false);
	CHECK_INT(cab_readings_parse_csv(r, "t.csv", text, strlen(text), NULL),
		  CAB_OK);
	const double *a = cab_readings_series(r, "a");
	CHECK(a && a[8] == 1 && a[12] == 2);
	cab_readings_free(r);
	drop(&ref);
	drop(&o);
}

static const struct harness_test tests[] = {
    T(threads_give_what_one_thread_gives),
    T(a_duplicate_across_parts_names_its_first_line),
    T(the_autumn_hour_across_a_boundary),
};

HARNESS_MAIN("test_readings_par", tests)
