/*
 * fmt_csv.c — `--format csv`: the canonical quarter-hour file of SPEC §8
 * (`timestamp,meter,kwh`) into the import's quarter-hour set.
 *
 * Why a second reader beside readings.c: readings.c fills the arrays of
 * one scenario period and ignores the rest; an import keeps every row of
 * the file, whatever its dates, with its line for conflict messages. The
 * rules on values are the same: ISO 8601 instants with Z or an offset
 * (or naive Brussels time), on a quarter-hour; kwh ≥ 0; an empty kwh is a
 * known hole (missing), never zero.
 */
#include "engine/ingest/formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/decimal.h"
#include "engine/base/i18n.h"
#include "engine/base/suggest.h"

static size_t trim_len(const char *s, size_t len)
{
	while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	return len;
}

enum cab_status cab_parse_csv(struct cab_ingest *ing, const char *name,
			      const char *buf, size_t len, struct cab_err *err)
{
	const char *p = buf, *end = buf + len;
	long line = 0;
	bool has_header = false;
	struct cab_local_clock clock = {0};
	char meter[256];
	/* The previous naive row: its wall time, instant and meter. */
	bool has_wall = false;
	int64_t last_wall = 0, last_utc = 0;
	char last_meter[256] = "";
	int form = 0; /* of the first timestamp: 1 zoned, 2 naive */
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		p += 3;
	const char *hinted = p;
	while (p < end) {
		if ((size_t)(p - hinted) >= ((size_t)4 << 20)) {
			cab_ingest_done_upto(ing, p); /* every 4 MiB */
			hinted = p;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t n = trim_len(p, (size_t)(e - p));
		const char *s = p;
		p = nl ? nl + 1 : end;
		line++;
		if (n == 0)
			continue;
		if (!has_header) {
			if (n != 19 || memcmp(s, "timestamp,meter,kwh", 19))
				return cab_err_at_line(
				    err, CAB_EINPUT, name, line,
				    _("unexpected header (expected "
				      "timestamp,meter,kwh)"));
			has_header = true;
			continue;
		}
		const char *c1 = memchr(s, ',', n);
		const char *c2 =
		    c1 ? memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s)) : NULL;
		if (!c1 || !c2 || memchr(c2 + 1, ',', n - (size_t)(c2 + 1 - s)))
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    _("expected 3 fields timestamp,meter,kwh%s"),
			    c2 ? _(" (a decimal comma? write kwh with a point, "
				   "like 0.25)")
			       : "");
		size_t mlen = (size_t)(c2 - c1 - 1);
		if (mlen == 0 || mlen >= sizeof meter)
			return cab_err_at_line(err, CAB_EINPUT, name, line,
					       "meter id empty or longer than "
					       "255 bytes (expected an id)");
		memcpy(meter, c1 + 1, mlen);
		meter[mlen] = '\0';
		const char *what = NULL;
		int64_t t;
		size_t tlen = (size_t)(c1 - s);
		bool is_zoned =
		    tlen > 10 && (s[tlen - 1] == 'Z' || s[tlen - 1] == 'z' ||
				  memchr(s + 10, '+', tlen - 10) ||
				  memchr(s + 10, '-', tlen - 10));
		bool is_naive = tlen >= 16 && !is_zoned;
		int this_form = is_naive ? 2 : is_zoned ? 1 : 0;
		if (!form)
			form = this_form;
		if (this_form && form != this_form)
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    "timestamp '%.*s' %s UTC offset in a file whose "
			    "first timestamp has %s (expected the same form "
			    "on every line)",
			    (int)(tlen > 40 ? 40 : tlen), s,
			    is_naive ? "without" : "with a",
			    is_naive ? "one" : "none");
		enum cab_status st;
		if (is_naive) {
			/* Naive local time: resolve the autumn hour in order.
			 */
			int64_t wall;
			st = cab_time_parse_iso(s, tlen, &wall, &what);
			if (st == CAB_OK) {
				wall += cab_time_brussels_offset_s(wall);
				/* wall is now back to the local clock value
				 * whatever occurrence parse_iso chose. */
				if (has_wall && wall == last_wall &&
				    strcmp(meter, last_meter) != 0) {
					/* Rows of several meters at one local
					 * time are one instant, not the clock
					 * gone back. */
					t = last_utc;
				} else {
					st = cab_time_local_in_order(
					    &clock, wall, &t, &what);
				}
			}
			if (st == CAB_OK) {
				has_wall = true;
				last_wall = wall;
				last_utc = t;
				memcpy(last_meter, meter, mlen + 1);
			}
		} else {
			st = cab_time_parse_iso(s, tlen, &t, &what);
		}
		char iso[32];
		if (st != CAB_OK &&
		    cab_hint_day_month_year(s, tlen, iso, sizeof iso))
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    _("timestamp '%.*s' is written day/month/year "
			      "(expected year first, like %s)"),
			    (int)(tlen > 40 ? 40 : tlen), s, iso);
		if (st != CAB_OK)
			return cab_err_at_line(err, CAB_EINPUT, name, line,
					       _("timestamp '%.*s': %s"),
					       (int)(tlen > 40 ? 40 : tlen), s,
					       what ? _(what) : "");
		/* Every interval between a meter's first and last row is
		 * kept: a typo in a year must not ask for centuries. */
		if (t < CAB_INGEST_MIN_S || t >= CAB_INGEST_END_S)
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    "timestamp '%.*s' outside the years 2000 to 2099 "
			    "(expected a date of measurement)",
			    (int)(tlen > 40 ? 40 : tlen), s);
		if (t % CAB_INTERVAL_S != 0)
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    _("timestamp '%.*s' is not the start of a "
			      "quarter-hour (expected :00, :15, :30 or :45)"),
			    (int)tlen, s);
		const char *v = c2 + 1;
		size_t vlen = (size_t)(s + n - v);
		double kwh = NAN;
		if (vlen &&
		    (!cab_decimal_parse(v, vlen, &kwh) || !isfinite(kwh)))
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    _("kwh '%.*s' is not a number (expected a decimal "
			      "like 0.25)"),
			    (int)(vlen > 40 ? 40 : vlen), v);
		if (kwh < 0)
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    _("kwh %.*s is negative (expected energy ≥ 0)"),
			    (int)vlen, v);
		/* 1 GW for a quarter-hour, the power formats' bound: beyond,
		 * a typo (and sums of phases could overflow to infinity). */
		if (kwh > 250000)
			return cab_err_at_line(
			    err, CAB_EINPUT, name, line,
			    "kwh %.*s is too large (expected "
			    "at most 250000 kWh a "
			    "quarter-hour, 1 GW)",
			    (int)(vlen > 40 ? 40 : vlen), v);
		ing->rows++;
		if (ing->opts->meter && !ing->opts->sum &&
		    strcmp(meter, ing->opts->meter) != 0)
			continue;
		const char *dst = meter;
		char part[600];
		if (ing->opts->sum && ing->opts->meter) {
			snprintf(part, sizeof part, "%s#%s", ing->opts->meter,
				 meter);
			dst = part;
		}
		st = cab_qhset_put(ing->qh, dst, t, kwh,
				   isnan(kwh) ? CAB_Q_MISSING : CAB_Q_READ,
				   CAB_QH_SET, name, line, err);
		if (st != CAB_OK)
			return st;
	}
	if (!has_header)
		return cab_err_at_line(
		    err, CAB_EINPUT, name, 1,
		    _("empty file (expected the header timestamp,meter,kwh)"));
	return CAB_OK;
}

static enum cab_sniff sniff_csv(const unsigned char *raw, size_t len,
				const char *head)
{
	return strncmp(head, "timestamp,meter,kwh", 19) ? CAB_SNIFF_NO
							: CAB_SNIFF_SHAPE;
}

const struct cab_format_ops cab_format_csv = {
    .name = "csv",
    .summary = "quarter-hour energies: timestamp,meter,kwh",
    .parse = cab_parse_csv,
    .sniff = sniff_csv,
};
