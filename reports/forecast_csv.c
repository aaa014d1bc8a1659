/*
 * forecast_csv.c — the files of `cabine forecast` (SPEC §15):
 * forecast.csv (the community per quarter-hour), signal.csv (the windows),
 * signal.ics (one calendar event per window) and signal.txt (one SMS per
 * language, as the communities sent their alerts).
 *
 * Why these four: a researcher reads forecast.csv, a script or
 * `cabine alerts --signal` reads signal.csv, the households subscribe to
 * signal.ics, and the facilitator pastes signal.txt into the SMS that the
 * communities' experiments used. Every byte comes from the inputs: the
 * calendar's UIDs from the window and the community's name, its DTSTAMP
 * from the weather file's first period (not the clock), so the same
 * inputs give the same files.
 *
 * The SMS fits one message: at most 160 characters, all from the GSM
 * 7-bit alphabet (é, è, à are in it; ê, ç, "–" are not, and would turn the
 * message into 70-character UCS-2 parts). When every window does not fit,
 * the ones with the least surplus are left out, then the community's
 * name, then the advice.
 *
 * Workload: a few days of quarter-hours; a year for a backtest.
 * Ownership: the writers borrow opts->forecast for the call.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/forecast.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"

/* The words of the SMS and the calendar, per language (plain GSM 7-bit
 * characters only). */
struct signal_words {
	const char *days[7]; /* Monday first */
	char hour_sep;	     /* 11h15, 11u15, 11:15 */
	char decimal;	     /* decimal separator of kWh */
	const char *and_;    /* between two windows of a day */
	const char *some;    /* there is a surplus */
	const char *energy;  /* printf: the kWh */
	const char *advice;  /* what to do */
	const char *none;    /* no surplus */
	const char *summary; /* calendar event title, printf: the kWh */
};

static const struct signal_words WORDS[3] = {
    [CAB_LANG_FR] = {{"lun", "mar", "mer", "jeu", "ven", "sam", "dim"},
		     'h',
		     ',',
		     " et ",
		     "surplus solaire pr\xC3\xA9vu",
		     " (env. %s kWh)",
		     " Lessive, vaisselle, recharge: c'est le moment!",
		     "pas de surplus solaire pr\xC3\xA9vu",
		     "Surplus solaire pr\xC3\xA9vu (%s kWh)"},
    [CAB_LANG_NL] = {{"ma", "di", "wo", "do", "vr", "za", "zo"},
		     'u',
		     ',',
		     " en ",
		     "zonne-overschot verwacht",
		     " (ong. %s kWh)",
		     " Was, vaatwas, laden: nu is het moment!",
		     "geen zonne-overschot verwacht",
		     "Zonne-overschot verwacht (%s kWh)"},
    [CAB_LANG_EN] = {{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
		     ':',
		     '.',
		     " and ",
		     "solar surplus expected",
		     " (about %s kWh)",
		     " Washing, dishwasher, charging: now is the time!",
		     "no solar surplus expected",
		     "Solar surplus expected (%s kWh)"},
};

static const struct signal_words *words_of(int lang)
{
	return lang >= 0 && lang <= CAB_LANG_EN ? &WORDS[lang]
						: &WORDS[CAB_LANG_FR];
}

/* kWh with one decimal and the language's separator. */
static void fmt_kwh1(double kwh, char dec, char *buf, size_t size)
{
	long tenths = (long)(kwh * 10 + (kwh < 0 ? -0.5 : 0.5));
	snprintf(buf, size, "%s%ld%c%ld", tenths < 0 ? "-" : "",
		 labs(tenths) / 10, dec, labs(tenths) % 10);
}

/* UTF-8 characters in s. */
static size_t n_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Append printf text to buf (size bytes, *len used). */
__attribute__((format(printf, 4, 5))) static void
cat(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	if (*len >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len += (size_t)k < size - *len ? (size_t)k : size - *len - 1;
}

/* "sam 1/6" of the local day of t. */
static void day_label(const struct signal_words *wd, int64_t t, char *buf,
		      size_t size)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	snprintf(buf, size, "%s %d/%d", wd->days[c.wday], c.day, c.month);
}

static void clock_label(const struct signal_words *wd, int64_t t, char *buf,
			size_t size)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	snprintf(buf, size, "%02d%c%02d", c.hour, wd->hour_sep, c.minute);
}

/* The SMS with the windows flagged in use[] (and the name, the advice
 * when asked) into buf. */
static void compose(const struct cab_forecast *f, const struct signal_words *wd,
		    const bool *use, bool has_name, bool has_advice, char *buf,
		    size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	if (has_name)
		cat(buf, size, &len, "%s: ", f->sc->name);
	char day[32], prev[32] = "", a[16], b[16];
	double kwh = 0;
	size_t n_used = 0;
	for (size_t k = 0; k < f->n_windows; k++)
		n_used += use[k];
	if (n_used == 0) {
		char last[32];
		day_label(wd, f->t0_s, day, sizeof(day));
		day_label(wd, f->t0_s + (int64_t)(f->n - 1) * CAB_INTERVAL_S,
			  last, sizeof(last));
		if (strcmp(day, last) == 0)
			cat(buf, size, &len, "%s %s.", wd->none, day);
		else
			cat(buf, size, &len, "%s %s - %s.", wd->none, day,
			    last);
		return;
	}
	cat(buf, size, &len, "%s", wd->some);
	for (size_t k = 0; k < f->n_windows; k++) {
		if (!use[k])
			continue;
		const struct cab_forecast_window *w = &f->windows[k];
		day_label(wd, w->start_s, day, sizeof(day));
		clock_label(wd, w->start_s, a, sizeof(a));
		clock_label(wd, w->end_s, b, sizeof(b));
		if (strcmp(day, prev) == 0)
			cat(buf, size, &len, "%s%s-%s", wd->and_, a, b);
		else
			cat(buf, size, &len, "%s %s %s-%s", prev[0] ? "," : "",
			    day, a, b);
		snprintf(prev, sizeof(prev), "%s", day);
		kwh += w->surplus_kwh;
	}
	char e[32];
	fmt_kwh1(kwh, wd->decimal, e, sizeof(e));
	cat(buf, size, &len, wd->energy, e);
	cat(buf, size, &len, ".");
	if (has_advice)
		cat(buf, size, &len, "%s", wd->advice);
}

void cab_report_signal_sms(const struct cab_forecast *f, int lang, char *buf,
			   size_t size)
{
	const struct signal_words *wd = words_of(lang);
	size_t n = f->n_windows;
	bool *use = calloc(n + 1, sizeof(bool));
	size_t *order = calloc(n + 1, sizeof(size_t));
	if (!use || !order) {
		free(use), free(order);
		snprintf(buf, size, "%s", wd->some);
		return;
	}
	/* Windows by decreasing surplus (then time): the first k kept. */
	for (size_t k = 0; k < n; k++)
		order[k] = k;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i;
		     j > 0 && f->windows[order[j]].surplus_kwh >
				  f->windows[order[j - 1]].surplus_kwh;
		     j--) {
			size_t x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (int pass = 0; pass < 3; pass++) {
		bool has_name = pass < 1, has_advice = pass < 2;
		for (size_t k = n;; k--) {
			memset(use, 0, (n + 1) * sizeof(bool));
			for (size_t j = 0; j < k; j++)
				use[order[j]] = true;
			compose(f, wd, use, has_name, has_advice, buf, size);
			if (n_chars(buf) <= CAB_REPORT_SMS_MAX || k <= 1)
				break;
		}
		if (n_chars(buf) <= CAB_REPORT_SMS_MAX)
			break;
	}
	free(use), free(order);
}

/* ---- forecast.csv, signal.csv ---------------------------------------- */

/* The forecast of opts and dir/name opened for writing into *fp (path
 * receives its name): *fp NULL and CAB_OK when there is no forecast. */
static enum cab_status open_out(const struct cab_report_opts *opts,
				const char *dir, const char *name, char *path,
				size_t size, const struct cab_forecast **f,
				FILE **fp, struct cab_err *err)
{
	*f = opts ? opts->forecast : NULL;
	*fp = NULL;
	if (!*f)
		return CAB_OK;
	*fp = cab_report_open(dir, name, path, size, err);
	return *fp ? CAB_OK : CAB_EIO;
}

static enum cab_status write_forecast(const struct cab_run *run,
				      const struct cab_report_opts *opts,
				      const char *dir, struct cab_err *err)
{
	char path[4096];
	const struct cab_forecast *f;
	FILE *fp;
	enum cab_status st = open_out(opts, dir, "forecast.csv", path,
				      sizeof(path), &f, &fp, err);
	if (st != CAB_OK || !fp)
		return st;
	fputs("interval,pv_kwh,consumption_kwh,surplus_kwh\n", fp);
	for (size_t q = 0; q < f->n; q++) {
		/* A day inside the range that the file does not cover (a
		 * null in an archive) has no PV: it is not written. */
		if (f->pv_kwh[q] != f->pv_kwh[q])
			continue;
		char t[21], p[32], c[32], s[32];
		cab_time_format_utc(f->t0_s + (int64_t)q * CAB_INTERVAL_S, t);
		cab_report_fmt_kwh(f->pv_kwh[q], p, sizeof(p));
		cab_report_fmt_kwh(f->consumption_kwh[q], c, sizeof(c));
		cab_report_fmt_kwh(f->surplus_kwh[q], s, sizeof(s));
		fprintf(fp, "%s,%s,%s,%s\n", t, p, c, s);
	}
	return cab_report_close(fp, path, err);
}

static enum cab_status write_signal(const struct cab_run *run,
				    const struct cab_report_opts *opts,
				    const char *dir, struct cab_err *err)
{
	char path[4096];
	const struct cab_forecast *f;
	FILE *fp;
	enum cab_status st =
	    open_out(opts, dir, "signal.csv", path, sizeof(path), &f, &fp, err);
	if (st != CAB_OK || !fp)
		return st;
	fputs("start,end,surplus_kwh\n", fp);
	for (size_t k = 0; k < f->n_windows; k++) {
		char a[17], b[17], s[32];
		cab_time_format_local(f->windows[k].start_s, a);
		cab_time_format_local(f->windows[k].end_s, b);
		cab_report_fmt_kwh(f->windows[k].surplus_kwh, s, sizeof(s));
		fprintf(fp, "%s,%s,%s\n", a, b, s);
	}
	return cab_report_close(fp, path, err);
}

/* ---- signal.ics (RFC 5545) --------------------------------------------- */

/* One content line, folded at 75 octets (never inside a UTF-8
 * character) and ended by CRLF. */
static void ics_line(FILE *fp, const char *s)
{
	size_t width = 0;
	for (; *s; s++) {
		bool is_start = ((unsigned char)*s & 0xc0) != 0x80;
		size_t clen = 1;
		if (is_start && ((unsigned char)*s & 0x80))
			for (const char *k = s + 1;
			     *k && ((unsigned char)*k & 0xc0) == 0x80; k++)
				clen++;
		if (is_start && width + clen > 75) {
			fputs("\r\n ", fp);
			width = 1;
		}
		fputc(*s, fp);
		width++;
	}
	fputs("\r\n", fp);
}

/* RFC 5545 TEXT: backslash, semicolon, comma escaped. */
static void ics_text(char *out, size_t size, const char *s)
{
	size_t n = 0;
	for (; *s && n + 3 < size; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n] = '\0';
}

/* "20240601T091500Z" into buf (ICS_STAMP bytes). */
#define ICS_STAMP 32
static void ics_stamp(int64_t t, char buf[ICS_STAMP])
{
	struct cab_civil c;
	cab_time_to_utc_civil(t, &c);
	snprintf(buf, ICS_STAMP, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month,
		 c.day, c.hour, c.minute, c.second);
}

static enum cab_status write_ics(const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_err *err)
{
	const struct signal_words *wd = words_of(opts ? opts->lang : -1);
	char path[4096], line[1024], text[900];
	char stamp[ICS_STAMP], a[ICS_STAMP], b[ICS_STAMP];
	const struct cab_forecast *f;
	FILE *fp;
	enum cab_status st =
	    open_out(opts, dir, "signal.ics", path, sizeof(path), &f, &fp, err);
	if (st != CAB_OK || !fp)
		return st;
	uint32_t h = 2166136261u; /* FNV-1a of the name: UIDs per community */
	for (const unsigned char *p = (const unsigned char *)f->sc->name; *p;
	     p++)
		h = (h ^ *p) * 16777619u;
	ics_line(fp, "BEGIN:VCALENDAR");
	ics_line(fp, "VERSION:2.0");
	ics_line(fp, "PRODID:-//cabine//surplus-hours signal//EN");
	ics_line(fp, "CALSCALE:GREGORIAN");
	ics_line(fp, "METHOD:PUBLISH");
	ics_stamp(f->weather_start_s, stamp);
	for (size_t k = 0; k < f->n_windows; k++) {
		const struct cab_forecast_window *w = &f->windows[k];
		ics_stamp(w->start_s, a);
		ics_stamp(w->end_s, b);
		ics_line(fp, "BEGIN:VEVENT");
		snprintf(line, sizeof(line), "UID:%s-%s-%08x@cabine", a, b,
			 (unsigned)h);
		ics_line(fp, line);
		snprintf(line, sizeof(line), "DTSTAMP:%s", stamp);
		ics_line(fp, line);
		snprintf(line, sizeof(line), "DTSTART:%s", a);
		ics_line(fp, line);
		snprintf(line, sizeof(line), "DTEND:%s", b);
		ics_line(fp, line);
		char kwh[32], title[200];
		fmt_kwh1(w->surplus_kwh, wd->decimal, kwh, sizeof(kwh));
		snprintf(title, sizeof(title), wd->summary, kwh);
		ics_text(text, sizeof(text), title);
		snprintf(line, sizeof(line), "SUMMARY:%s", text);
		ics_line(fp, line);
		snprintf(title, sizeof(title), "%s:%s", f->sc->name,
			 wd->advice);
		ics_text(text, sizeof(text), title);
		snprintf(line, sizeof(line), "DESCRIPTION:%s", text);
		ics_line(fp, line);
		ics_line(fp, "TRANSP:TRANSPARENT");
		ics_line(fp, "END:VEVENT");
	}
	ics_line(fp, "END:VCALENDAR");
	return cab_report_close(fp, path, err);
}

/* ---- signal.txt ---------------------------------------------------------- */

static enum cab_status write_txt(const struct cab_run *run,
				 const struct cab_report_opts *opts,
				 const char *dir, struct cab_err *err)
{
	static const char *const tags[3] = {"fr", "nl", "en"};
	char path[4096], sms[4 * CAB_REPORT_SMS_MAX + 64];
	const struct cab_forecast *f;
	FILE *fp;
	enum cab_status st =
	    open_out(opts, dir, "signal.txt", path, sizeof(path), &f, &fp, err);
	if (st != CAB_OK || !fp)
		return st;
	for (int lang = 0; lang < 3; lang++) {
		cab_report_signal_sms(f, lang, sms, sizeof(sms));
		fprintf(fp, "%s: %s\n", tags[lang], sms);
	}
	return cab_report_close(fp, path, err);
}

const struct cab_report_ops cab_report_forecast_csv = {"forecast.csv",
						       write_forecast};
const struct cab_report_ops cab_report_signal_csv = {"signal.csv",
						     write_signal};
const struct cab_report_ops cab_report_signal_ics = {"signal.ics", write_ics};
const struct cab_report_ops cab_report_signal_txt = {"signal.txt", write_txt};
