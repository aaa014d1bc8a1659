/*
 * fmt_flukso_json.c — `--format flukso-json`: a Flukso sensor's power
 * samples as the Flukso API gives them, `[[unix_ts, watt], …]`, with
 * `"nan"` or null for no reading (SPEC §7–§8). The meter is --meter.
 *
 * Why: the API is how a member fetches recent data without the sensor's
 * tmpo history. The array is read with a small cursor of its own (no
 * JSON tree: a day of 8-s samples is 10,800 pairs) that reports line and
 * column; samples go to the integrator like the other power formats'
 * (power.h).
 */
#include <math.h>
#include <string.h>

#include "engine/base/decimal.h"
#include "engine/ingest/formats.h"
#include "engine/ingest/power.h"

struct jcur {
	const char *s, *end; /* text and its end */
	const char *p;	     /* next byte */
	long line;	     /* line of p */
	const char *bol;     /* start of that line */
};

static long jcol(const struct jcur *j)
{
	return (long)(j->p - j->bol) + 1;
}

static void jws(struct jcur *j)
{
	while (j->p < j->end) {
		char ch = *j->p;
		if (ch == '\n') {
			j->line++;
			j->bol = j->p + 1;
		} else if (ch != ' ' && ch != '\t' && ch != '\r') {
			return;
		}
		j->p++;
	}
}

static void jfail(struct cab_pparser *p, const struct jcur *j, const char *what)
{
	if (j->p >= j->end)
		cab_err_add(p->err, CAB_EINPUT,
			    "%s:%ld:%ld: unexpected end (%s)", p->name, j->line,
			    jcol(j), what);
	else
		cab_err_add(p->err, CAB_EINPUT,
			    "%s:%ld:%ld: unexpected '%c' (%s)", p->name,
			    j->line, jcol(j),
			    (*j->p >= 32 && *j->p < 127) ? *j->p : '?', what);
	p->n_problems++;
}

static bool jchar(struct cab_pparser *p, struct jcur *j, char ch,
		  const char *what)
{
	jws(j);
	if (j->p < j->end && *j->p == ch) {
		j->p++;
		return true;
	}
	jfail(p, j, what);
	return false;
}

/* A JSON number at j->p into *v; false (reported) if none. */
static bool jnumber(struct cab_pparser *p, struct jcur *j, double *v,
		    const char *what)
{
	jws(j);
	const char *a = j->p;
	while (j->p < j->end &&
	       (((unsigned)(*j->p - '0') < 10) || *j->p == '-' ||
		*j->p == '+' || *j->p == '.' || *j->p == 'e' || *j->p == 'E'))
		j->p++;
	if (j->p == a || *a == '+' ||
	    !cab_decimal_parse(a, (size_t)(j->p - a), v) || !isfinite(*v)) {
		j->p = a;
		jfail(p, j, what);
		return false;
	}
	return true;
}

static bool jword(struct jcur *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) >= n && memcmp(j->p, w, n) == 0) {
		j->p += n;
		return true;
	}
	return false;
}

enum cab_status cab_parse_flukso_json(struct cab_ingest *ing, const char *name,
				      const char *buf, size_t len,
				      struct cab_err *err)
{
	struct cab_pparser p;
	if (!cab_flukso_start(&p, ing, name, err))
		return pp_status(&p);
	struct jcur j = {buf, buf + len, buf, 1, buf};
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		j.p = j.bol = buf + 3;
	static const char PAIR[] = "expected [unix_ts, watt]";
	static const char VALUE[] =
	    "expected a number of watts, \"nan\" or null";
	if (!jchar(&p, &j, '[',
		   "expected the Flukso API's [[unix_ts, watt], "
		   "…]"))
		return pp_status(&p);
	jws(&j);
	bool is_empty = j.p < j.end && *j.p == ']';
	if (is_empty)
		j.p++;
	while (!is_empty && !must_stop(&p)) {
		jws(&j);
		long line = j.line;
		double t, w;
		if (!jchar(&p, &j, '[', PAIR) ||
		    !jnumber(&p, &j, &t, "expected a unix timestamp") ||
		    !jchar(&p, &j, ',', PAIR))
			return pp_status(&p);
		jws(&j);
		long vline = j.line, vcol = jcol(&j);
		if (jword(&j, "null") || jword(&j, "\"nan\"") ||
		    jword(&j, "\"NaN\"") || jword(&j, "NaN")) {
			w = NAN;
		} else if (!jnumber(&p, &j, &w, VALUE)) {
			return pp_status(&p);
		}
		if (!jchar(&p, &j, ']', PAIR))
			return pp_status(&p);
		if (w < 0) {
			cab_err_add(err, CAB_EINPUT,
				    "%s:%ld:%ld: power %g W is negative "
				    "(expected power ≥ 0 W)",
				    name, vline, vcol, w);
			p.n_problems++;
		} else {
			took(&p, cab_ingest_power(ing, ing->file_meter, t, w,
						  name, line, err));
		}
		jws(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (!jchar(&p, &j, ']', "expected ',' or ']'"))
			return pp_status(&p);
		break;
	}
	if (must_stop(&p))
		return pp_status(&p);
	jws(&j);
	if (j.p < j.end)
		jfail(&p, &j, "expected the end of the file after the array");
	return pp_status(&p);
}

static enum cab_sniff sniff_flukso_json(const unsigned char *raw, size_t len,
					const char *head)
{
	return head[0] == '[' ? CAB_SNIFF_SHAPE : CAB_SNIFF_NO;
}

const struct cab_format_ops cab_format_flukso_json = {
    .name = "flukso-json",
    .summary = "the Flukso API's [[unix_ts, watt], ...] (one sensor)",
    .parse = cab_parse_flukso_json,
    .sniff = sniff_flukso_json,
    .needs_meter = true,
    .is_one_sensor = true,
};
