/*
 * parts.c — pieces that a participant's page and the community's pages
 * both write: the words block site.js reads, the zoom and season
 * buttons, a chart's container with its text alternative wired in, the
 * monthly table, and the chart specs of data.js.
 *
 * Why: the two kinds of page show the same kinds of chart; each piece is
 * written once so that both look and read alike (and a fix reaches
 * both).
 */
#include <math.h>
#include <string.h>

#include "cabine/time.h"
#include "reports/site/site.h"

void cab_site_words_block(FILE *f, int lang)
{
	static const struct {
		const char *key;
		enum cab_site_word w;
	} keys[] = {
	    {"time", W_TIME},
	    {"hour", W_HOUR},
	    {"kwh_qh", W_KWH_QH},
	    {"consumption", W_CONSUMPTION},
	    {"production", W_PRODUCTION},
	    {"shared", W_SHARED},
	    {"own_day", W_OWN_DAY},
	    {"community_prod", W_COMMUNITY_PROD},
	    {"community_cons", W_COMMUNITY_CONS},
	    {"group_per_household", W_GROUP_PER_HOUSEHOLD},
	    {"power_w", W_POWER_W},
	    {"qh_power_w", W_QH_POWER_W},
	    {"watts", W_WATTS},
	    {"members", W_MEMBERS},
	    {"coincidence", W_COINCIDENCE},
	};
	fputs("<script type=\"application/json\" id=\"cabine-words\">{", f);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		fprintf(f, "%s\"%s\": ", k ? ", " : "", keys[k].key);
		cab_html_json_str(f, cab_site_word(lang, keys[k].w));
	}
	fputs("}</script>\n", f);
}

/* A local date as an <input type=date> value. */
static void iso_day(int64_t utc_s, char buf[16])
{
	struct cab_civil lc;
	cab_time_to_local(utc_s, &lc);
	snprintf(buf, 16, "%04d-%02d-%02d", lc.year % 10000, lc.month, lc.day);
}

void cab_site_section_start(FILE *f, int lang, const char *id,
			    enum cab_site_word w)
{
	fprintf(
	    f, "<section id=\"%s\" aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">",
	    id, id, id);
	cab_html_text(f, cab_site_word(lang, w));
	fputs("</h2>\n", f);
}

void cab_site_card_start(FILE *f, int lang, enum cab_site_word w)
{
	fputs("<li><span class=\"label\">", f);
	cab_html_text(f, cab_site_word(lang, w));
	fputs("</span><span class=\"big\">", f);
}

void cab_site_days_end(FILE *f, const struct cab_site *s, int lang,
		       enum cab_site_word first_label,
		       const struct cab_curve_stats *first)
{
	const struct cab_curve_subject *com =
	    &s->curves->subject[s->community_subject];
	fputs("</figcaption>\n</figure>\n", f);
	const char *labels[2] = {cab_site_word(lang, first_label),
				 cab_site_word(lang, W_PRODUCTION)};
	const struct cab_curve_stats *series[2] = {first, com->stats[1]};
	const double scale[2] = {1, 1};
	cab_site_day_table(f, lang, labels, series, scale,
			   s->is_production_shown ? 2 : 1);
	fputs("</section>\n", f);
}

void cab_site_zoom(FILE *f, int lang, int64_t t0_s, int64_t t1_s)
{
	char a[16], b[16];
	iso_day(t0_s, a);
	iso_day(t1_s - 1, b);
	fputs("<div class=\"zoom\">\n<label for=\"zoom-day\">", f);
	cab_html_text(f, cab_site_word(lang, W_DATE));
	fprintf(f,
		"</label> <input type=\"date\" id=\"zoom-day\" value=\"%s\" "
		"min=\"%s\" max=\"%s\">\n",
		a, a, b);
	const struct {
		const char *what;
		enum cab_site_word w;
	} b_[] = {{"prev", W_BTN_PREV},
		  {"next", W_BTN_NEXT},
		  {"day", W_BTN_DAY},
		  {"week", W_BTN_WEEK},
		  {"all", W_BTN_YEAR}};
	for (size_t k = 0; k < 5; k++) {
		fprintf(f, "<button type=\"button\" data-zoom=\"%s\">",
			b_[k].what);
		cab_html_text(f, cab_site_word(lang, b_[k].w));
		fputs("</button>\n", f);
	}
	fputs("</div>\n", f);
}

int cab_site_first_season(const struct cab_curve_stats *by_season)
{
	for (int k = 1; k <= 4; k++)
		if (cab_site_peak_slot(by_season[k].mean) >= 0)
			return k - 1;
	return 0;
}

void cab_site_season_buttons(FILE *f, int lang, int pressed)
{
	fputs("<div class=\"seasons\" role=\"group\">\n", f);
	for (int k = 0; k < 4; k++) {
		fprintf(f,
			"<button type=\"button\" data-season=\"%d\" "
			"aria-pressed=\"%s\">",
			k, k == pressed ? "true" : "false");
		cab_html_text(
		    f, cab_site_word(lang, (enum cab_site_word)(W_WINTER + k)));
		fputs("</button>\n", f);
	}
	fputs("</div>\n", f);
}

void cab_site_chart_div(FILE *f, const char *id, const char *heading,
			const char *caption, bool is_small)
{
	fprintf(f,
		"<div class=\"chart%s\" id=\"chart-%s\" data-chart=\"%s\" "
		"role=\"img\" aria-labelledby=\"%s\" aria-describedby=\"%s\">"
		"</div>\n<div class=\"legend\" id=\"legend-%s\" "
		"aria-hidden=\"true\"></div>\n",
		is_small ? " small" : "", id, id, heading, caption, id);
}

void cab_site_month_table(FILE *f, int lang, const struct cab_run *run,
			  const struct cab_volumes *v, bool has_production)
{
	fputs("<details>\n<summary>", f);
	cab_html_text(f, cab_site_word(lang, W_SEE_TABLE));
	fputs("</summary>\n<div class=\"scroll\"><table>\n<caption>", f);
	cab_html_text(f, cab_site_word(lang, W_MONTHS_CAPTION));
	fputs("</caption>\n<thead><tr><th scope=\"col\">", f);
	cab_html_text(f, cab_site_word(lang, W_MONTH));
	enum cab_site_word cols[] = {W_CONSUMPTION,   W_SELF,	    W_SHARED,
				     W_COMPLEMENTARY, W_PRODUCTION, W_GIVEN,
				     W_INJECTED};
	size_t n_cols = has_production ? 7 : 4;
	for (size_t c = 0; c < n_cols; c++) {
		fputs("</th><th scope=\"col\">", f);
		cab_html_text(f, cab_site_word(lang, cols[c]));
	}
	fputs("</th></tr></thead>\n<tbody>\n", f);
	for (size_t m = 0; m < run->n_months; m++) {
		const struct cab_volumes *x = &v[m];
		double vals[] = {x->consumption_kwh, x->self_consumed_kwh,
				 x->shared_kwh,	     x->complementary_kwh,
				 x->production_kwh,  x->given_kwh,
				 x->injected_kwh};
		fputs("<tr><th scope=\"row\">", f);
		cab_html_textf(
		    f, "%s %d",
		    cab_site_word(lang, (enum cab_site_word)(
					    W_JAN + run->months[m].month - 1)),
		    run->months[m].year);
		fputs("</th>", f);
		for (size_t c = 0; c < n_cols; c++) {
			char b[48];
			cab_html_num(lang, vals[c], 1, b, sizeof(b));
			fputs("<td>", f);
			cab_html_text(f, b);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n</details>\n", f);
}

int cab_site_peak_slot(const double *v)
{
	int best = -1;
	for (int k = 0; k < CAB_DAY_SLOTS; k++)
		if (!isnan(v[k]) && (best < 0 || v[k] > v[best]))
			best = k;
	return best;
}

void cab_site_slot_clock(int slot, char buf[8])
{
	snprintf(buf, 8, "%02d:%02d", (slot / 4) % 24, (slot % 4) * 15);
}

void cab_site_year_series(FILE *f, const char *word, const char *color,
			  const double *kwh, size_t n, bool is_first)
{
	fprintf(f, "%s{\"w\": \"%s\", \"color\": \"%s\", \"data\": ",
		is_first ? "" : ", ", word, color);
	cab_html_series(f, kwh, n);
	fputc('}', f);
}

void cab_site_day_series(FILE *f, const char *word, const char *color,
			 const char *axis,
			 const struct cab_curve_stats *by_season, double scale,
			 bool is_first)
{
	fprintf(f,
		"%s{\"w\": \"%s\", \"color\": \"%s\", \"axis\": \"%s\", "
		"\"data\": [",
		is_first ? "" : ", ", word, color, axis);
	for (int k = 1; k <= 4; k++) {
		if (k > 1)
			fputs(", ", f);
		cab_html_day(f, by_season[k].mean, CAB_DAY_SLOTS, scale);
	}
	fputs("]}", f);
}

void cab_site_day_table(FILE *f, int lang, const char *const *labels,
			const struct cab_curve_stats *const *by_season,
			const double *scale, size_t n_series)
{
	fputs("<details>\n<summary>", f);
	cab_html_text(f, cab_site_word(lang, W_SEE_TABLE));
	fputs("</summary>\n<div class=\"scroll\"><table>\n<caption>", f);
	cab_html_text(f, cab_site_word(lang, W_KWH_HOUR));
	fputs("</caption>\n<thead><tr><th scope=\"col\">", f);
	cab_html_text(f, cab_site_word(lang, W_HOUR));
	for (size_t s = 0; s < n_series; s++)
		for (int k = 0; k < 4; k++) {
			fputs("</th><th scope=\"col\">", f);
			cab_html_textf(f, "%s, %s", labels[s],
				       cab_site_word(lang, (enum cab_site_word)(
							       W_WINTER + k)));
		}
	fputs("</th></tr></thead>\n<tbody>\n", f);
	for (int h = 0; h < 24; h++) {
		fprintf(f, "<tr><th scope=\"row\">%02d:00</th>", h);
		for (size_t s = 0; s < n_series; s++)
			for (int k = 1; k <= 4; k++) {
				double sum = 0;
				for (int q = 0; q < 4; q++)
					sum += by_season[s][k].mean[h * 4 + q];
				char b[48];
				cab_html_num(lang, sum * scale[s], 3, b,
					     sizeof(b));
				fputs("<td>", f);
				cab_html_text(f, b);
				fputs("</td>", f);
			}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n</details>\n", f);
}

void cab_site_table_head(FILE *f, int lang, const enum cab_site_word *cols,
			 size_t n)
{
	fputs("<div class=\"scroll\"><table>\n<thead><tr>", f);
	for (size_t c = 0; c < n; c++) {
		fputs("<th scope=\"col\">", f);
		cab_html_text(f, cab_site_word(lang, cols[c]));
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
}

void cab_site_alert_when(const struct cab_site *s, size_t k, int lang,
			 char *buf, size_t size)
{
	const struct cab_alert *al = &s->run->sc->alerts[k];
	char d[40], h[8], h2[8];
	cab_html_date(lang, al->start_s, d, sizeof(d));
	cab_html_clock(al->start_s, h, sizeof(h));
	cab_html_clock(al->end_s, h2, sizeof(h2));
	snprintf(buf, size, "%s %s\xE2\x80\x93%s", d, h, h2);
}

void cab_site_kwh_data(FILE *f, int lang, const char *key, double kwh)
{
	char raw[48], shown[64];
	cab_report_fmt_kwh(kwh, raw, sizeof(raw));
	cab_html_kwh(lang, kwh, shown, sizeof(shown));
	cab_html_data(f, key, raw, shown);
}
