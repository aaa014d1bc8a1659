/*
 * html.c — the text of the inhabitants' pages: HTML escaping, numbers and
 * dates the way each language writes them, the figures a browser test
 * reads back, the page's head, and the compact series of data.js.
 *
 * Why here: every page writes numbers the same way (a French page says
 * "1 234,5 kWh" and "12,34 €", a Dutch one "€ 12,34", an English one
 * "€12.34"), and the machine-readable value beside each shown figure
 * (<data value=…>) is summary.json's text, so that a test compares the
 * page with summary.json without parsing a language. The page's head
 * carries a Content-Security-Policy that forbids any load from outside
 * the site (SPEC §14: links out are allowed, loads are not) and a
 * no-referrer policy, so that following a link never sends the page's
 * private address.
 *
 * Workload: a few hundred figures per page; data.js series of 35,000
 * values, written with integer arithmetic.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "reports/site/site.h"

void cab_html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void cab_html_textf(FILE *f, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(buf, sizeof(buf), fmt, ap) < 0)
		buf[0] = 0;
	va_end(ap);
	cab_html_text(f, buf);
}

/* Digit groups: a narrow no-break space in French, a point in Dutch, a
 * comma in English; the decimal mark a comma in French and Dutch. */
static const char *const group_sep[3] = {"\xE2\x80\xAF", ".", ","};
static const char decimal_mark[3] = {',', ',', '.'};

static int lang_of(int lang)
{
	return lang >= 0 && lang <= 2 ? lang : 0;
}

void cab_html_num(int lang, double v, int decimals, char *buf, size_t size)
{
	lang = lang_of(lang);
	if (isnan(v)) {
		snprintf(buf, size, "%s", cab_site_word(lang, W_NOT_KNOWN));
		return;
	}
	int64_t scale = 1;
	for (int k = 0; k < decimals; k++)
		scale *= 10;
	double x = fabs(v) * (double)scale;
	int64_t u = (int64_t)floor(x + 0.5);
	bool is_negative = v < 0 && u != 0;
	int64_t whole = u / scale, frac = u % scale;
	char digits[32], out[64];
	snprintf(digits, sizeof(digits), "%" PRId64, whole);
	size_t nd = strlen(digits), o = 0;
	if (is_negative) {
		/* A true minus sign reads better than a hyphen. */
		memcpy(out, "\xE2\x88\x92", 3);
		o = 3;
	}
	for (size_t k = 0; k < nd; k++) {
		if (k > 0 && (nd - k) % 3 == 0) {
			size_t gl = strlen(group_sep[lang]);
			memcpy(out + o, group_sep[lang], gl);
			o += gl;
		}
		out[o++] = digits[k];
	}
	out[o] = 0;
	char fd[24] = "";
	for (int k = decimals; k > 0 && k < (int)sizeof(fd); k--) {
		fd[k - 1] = (char)('0' + frac % 10);
		frac /= 10;
	}
	fd[decimals > 0 && decimals < (int)sizeof(fd) ? decimals : 0] = 0;
	if (decimals > 0)
		snprintf(buf, size, "%s%c%s", out, decimal_mark[lang], fd);
	else
		snprintf(buf, size, "%s", out);
}

void cab_html_kwh(int lang, double kwh, char *buf, size_t size)
{
	char n[64];
	cab_html_num(lang, kwh, fabs(kwh) < 10 ? 2 : 1, n, sizeof(n));
	snprintf(buf, size, "%s\xC2\xA0kWh", n);
}

void cab_html_eur(int lang, int64_t cents, char *buf, size_t size)
{
	char n[64];
	cab_html_num(lang, (double)cents / 100.0, 2, n, sizeof(n));
	switch (lang_of(lang)) {
	case 1:
		snprintf(buf, size, "€\xC2\xA0%s", n);
		break;
	case 2:
		snprintf(buf, size, "€%s", n);
		break;
	default:
		snprintf(buf, size, "%s\xC2\xA0€", n);
	}
}

void cab_html_pct(int lang, double ratio, char *buf, size_t size)
{
	char n[64];
	cab_html_num(lang, ratio * 100.0, 1, n, sizeof(n));
	snprintf(buf, size, "%s\xC2\xA0%%", n);
}

void cab_html_date(int lang, int64_t utc_s, char *buf, size_t size)
{
	struct cab_civil lc;
	cab_time_to_local(utc_s, &lc);
	if (lang_of(lang) == 2)
		snprintf(buf, size, "%d %s %04d", lc.day,
			 cab_site_word(
			     lang, (enum cab_site_word)(W_JAN + lc.month - 1)),
			 lc.year);
	else
		snprintf(buf, size, "%02d/%02d/%04d", lc.day, lc.month,
			 lc.year);
}

void cab_html_clock(int64_t utc_s, char *buf, size_t size)
{
	struct cab_civil lc;
	cab_time_to_local(utc_s, &lc);
	snprintf(buf, size, "%02d:%02d", lc.hour, lc.minute);
}

void cab_html_data(FILE *f, const char *key, const char *raw, const char *shown)
{
	fputs("<data data-k=\"", f);
	cab_html_text(f, key);
	fputs("\" value=\"", f);
	cab_html_text(f, raw);
	fputs("\">", f);
	cab_html_text(f, shown);
	fputs("</data>", f);
}

void cab_html_head(FILE *f, int lang, const char *title, const char *root,
		   const char *data_js)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n",
		cab_site_lang_code(lang));
	fputs("<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; script-src 'self'; style-src "
	      "'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
	      "form-action 'none'\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta name=\"robots\" content=\"noindex, nofollow\">\n",
	      f);
	fputs("<title>", f);
	cab_html_text(f, title);
	fputs("</title>\n", f);
	fprintf(f,
		"<link rel=\"stylesheet\" href=\"%slib/dygraph.min.css\">\n"
		"<link rel=\"stylesheet\" href=\"%ssite.css\">\n"
		"<script src=\"%slib/dygraph.min.js\" defer></script>\n",
		root, root, root);
	if (data_js)
		fprintf(f, "<script src=\"%s\" defer></script>\n", data_js);
	fprintf(f, "<script src=\"%ssite.js\" defer></script>\n", root);
	fputs("</head>\n<body>\n<a class=\"skip\" href=\"#main\">", f);
	cab_html_text(f, cab_site_word(lang, W_SKIP));
	fputs("</a>\n", f);
}

void cab_html_foot(FILE *f, int lang)
{
	(void)lang;
	fputs("</body>\n</html>\n", f);
}

void cab_html_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '<')
			fputs("\\u003c", f); /* never "</script>" in a page */
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* One run of k equal items (v, or missing) of a series. */
static void put_run(FILE *f, bool is_missing, int64_t v, size_t k,
		    bool is_first)
{
	if (!is_first)
		fputc(',', f);
	if (!is_missing)
		fprintf(f, "%" PRId64, v);
	if (k > 1 || (is_missing && k == 1))
		fprintf(f, "*%zu", k);
}

void cab_html_series(FILE *f, const double *kwh, size_t n)
{
	fputc('"', f);
	bool is_first = true, run_missing = false;
	int64_t run_v = 0;
	size_t run_k = 0;
	for (size_t t = 0; t < n; t++) {
		bool m = isnan(kwh[t]);
		int64_t v = m ? 0 : (int64_t)floor(kwh[t] * 1000.0 + 0.5);
		if (run_k && m == run_missing && (m || v == run_v)) {
			run_k++;
			continue;
		}
		if (run_k)
			put_run(f, run_missing, run_v, run_k, is_first),
			    is_first = false;
		run_missing = m;
		run_v = v;
		run_k = 1;
	}
	if (run_k)
		put_run(f, run_missing, run_v, run_k, is_first);
	fputc('"', f);
}

void cab_html_day(FILE *f, const double *kwh, size_t n, double scale)
{
	fputc('[', f);
	for (size_t k = 0; k < n; k++) {
		if (k)
			fputc(',', f);
		if (isnan(kwh[k]))
			fputs("null", f);
		else
			fprintf(f, "%.4f", kwh[k] * scale + 0.0);
	}
	fputc(']', f);
}
