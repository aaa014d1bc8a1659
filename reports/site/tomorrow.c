/*
 * tomorrow.c — the "when to use the sun" box that opens every page of
 * the site when `cabine site --signal signal.csv` is given (SPEC §15,
 * issue 16; docs/site.md): day by day, the hours when the community's
 * panels should give more than it uses, the expected surplus, and what
 * to do then.
 *
 * Why: the signal is the positive twin of the alerts; the SMS says it in
 * 160 characters (signal.txt), the page says it in a sentence a
 * household understands, in its language: "Samedi 1er juin 2024, le
 * soleil devrait couvrir toute la consommation de la communauté de 11:15
 * à 15:30 (environ 12,3 kWh de surplus)." then the advice (washing,
 * dishwasher, charging; a delayed start for who is away, since shifting
 * needs someone at home to start the machine). Windows are grouped by
 * their local day (Europe/Brussels), in time order; a day's surplus is the
 * sum of its windows, with one decimal as in the SMS. The site is static
 * and deterministic: there is no "now", so windows before the run's data
 * or long past are shown all the same, with their date. With a file that
 * has no window the box says that no surplus is expected. The expected
 * surplus is a figure of the whole community's consumption: on a
 * community whose sums are hidden (fewer than CAB_SITE_MIN_AGGREGATE
 * participants with data) the box gives the hours without the kWh.
 *
 * Each time is a <time datetime> and each day's surplus a <data
 * data-k="signal/<local day>/surplus_kwh" value> that the browser test
 * checks against signal.csv. The windows come in time order (cmd_site.c
 * sorts them); consecutive windows of one local day make one sentence.
 *
 * Workload: a few windows a day, one pass per page, no allocation.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "cabine/time.h"
#include "reports/site/site.h"

/* fmt with its k-th "%s" written by arg(f, k, ctx) (HTML), the rest of
 * fmt escaped. */
static void put_fmt(FILE *f, const char *fmt,
		    void (*arg)(FILE *f, size_t k, const void *ctx),
		    const void *ctx)
{
	size_t k = 0;
	char chunk[2] = {0, 0};
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			arg(f, k++, ctx);
			p++;
			continue;
		}
		chunk[0] = *p;
		cab_html_text(f, chunk);
	}
}

/* An argument of HTML text already written: ctx is a char *[]. */
static void raw_arg(FILE *f, size_t k, const void *ctx)
{
	fputs(((const char *const *)ctx)[k], f);
}

/* "<time datetime=…>11:15</time>" of a UTC instant into buf. */
static void clock_html(int64_t t, char *buf, size_t size)
{
	struct cab_civil c;
	cab_time_to_local(t, &c);
	int off = c.offset_s / 60;
	snprintf(buf, size,
		 "<time datetime=\"%04d-%02d-%02dT%02d:%02d%c%02d:%02d\">"
		 "%02d:%02d</time>",
		 c.year, c.month, c.day, c.hour, c.minute, off < 0 ? '-' : '+',
		 abs(off) / 60, abs(off) % 60, c.hour, c.minute);
}

/* "Samedi 1er juin 2024" (fr, capitalised: it opens the sentence),
 * "zaterdag 1 juni 2024", "Saturday 1 June 2024". */
static void day_label(int lang, const struct cab_civil *c, char *buf,
		      size_t size)
{
	const char *wd =
	    cab_site_word(lang, (enum cab_site_word)(W_MONDAY + c->wday));
	const char *mo =
	    cab_site_word(lang, (enum cab_site_word)(W_JAN + c->month - 1));
	bool is_fr = lang != CAB_LANG_NL && lang != CAB_LANG_EN;
	snprintf(buf, size, "%s %d%s %s %04d", wd, c->day,
		 is_fr && c->day == 1 ? "er" : "", mo, c->year);
	if (is_fr && buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* One day of the box: windows w[0..n), all starting that local day. */
struct day {
	int lang;
	const struct cab_signal_window *w;
	size_t n;
};

/* The day's sentence's arguments: 0 the day, 1 its windows, 2 the kWh. */
static void day_arg(FILE *f, size_t k, const void *ctx)
{
	const struct day *d = ctx;
	struct cab_civil c;
	cab_time_to_local(d->w[0].start_s, &c);
	if (k == 0) {
		char day[96];
		day_label(d->lang, &c, day, sizeof(day));
		cab_html_text(f, day);
	} else if (k == 1) {
		for (size_t j = 0; j < d->n; j++) {
			char a[96], b[96];
			clock_html(d->w[j].start_s, a, sizeof(a));
			clock_html(d->w[j].end_s, b, sizeof(b));
			if (j > 0)
				cab_html_text(
				    f, j + 1 == d->n
					   ? cab_site_word(d->lang, W_AND)
					   : ", ");
			const char *ab[2] = {a, b};
			put_fmt(f, cab_site_word(d->lang, W_SUN_SPAN_FMT),
				raw_arg, ab);
		}
	} else {
		double kwh = 0;
		for (size_t j = 0; j < d->n; j++)
			kwh += d->w[j].surplus_kwh;
		char key[48], raw[48], num[64], shown[80];
		snprintf(key, sizeof(key), "signal/%04d-%02d-%02d/surplus_kwh",
			 c.year, c.month, c.day);
		cab_report_fmt_kwh(kwh, raw, sizeof(raw));
		/* One decimal as the SMS says it; two below 0.1 kWh. */
		cab_html_num(d->lang, kwh, kwh < 0.095 ? 2 : 1, num,
			     sizeof(num));
		snprintf(shown, sizeof(shown), "%s\xC2\xA0kWh", num);
		cab_html_data(f, key, raw, shown);
	}
}

static bool same_day(int64_t a, int64_t b)
{
	struct cab_civil x, y;
	cab_time_to_local(a, &x);
	cab_time_to_local(b, &y);
	return x.year == y.year && x.month == y.month && x.day == y.day;
}

void cab_site_tomorrow(FILE *f, const struct cab_site *s, int lang)
{
	const struct cab_site_input *in = s->in;
	if (!in || !in->has_tomorrow)
		return;
	fputs("<section id=\"tomorrow\" class=\"box\" aria-labelledby="
	      "\"h-tomorrow\">\n<h2 id=\"h-tomorrow\">",
	      f);
	cab_html_text(f, cab_site_word(lang, W_SEC_TOMORROW));
	fputs("</h2>\n", f);
	size_t n = in->n_tomorrow;
	const struct cab_signal_window *w = in->tomorrow;
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && same_day(w[a].start_s, w[b].start_s);
		     b++)
			;
		struct day d = {.lang = lang, .w = w + a, .n = b - a};
		fputs("<p>", f);
		put_fmt(f,
			cab_site_word(lang, s->is_community_shown
						? W_SUN_DAY_FMT
						: W_SUN_DAY_NOKWH_FMT),
			day_arg, &d);
		fputs("</p>\n", f);
	}
	fputs("<p>", f);
	cab_html_text(f, cab_site_word(lang, n ? W_SUN_ADVICE : W_SUN_NONE));
	fputs("</p>\n", f);
	fputs("<p class=\"note\">", f);
	cab_html_text(f, cab_site_word(lang, W_SUN_HELP));
	fputs("</p>\n</section>\n", f);
}
