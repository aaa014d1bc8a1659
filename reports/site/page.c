/*
 * page.c — one participant's private page, site/<token>/index.html and
 * its data.js (SPEC §14, docs/site.md).
 *
 * What a page shows, in the participant's language: its bill, baseline
 * and saving with one sentence of why; its year quarter-hour by
 * quarter-hour (zoom to a day); its average day per season with the
 * community's production beside it; each alert's effect on it and on the
 * community; its groups' curves; a day of power samples against
 * quarter-hour energy when the readings are power samples; its appliance
 * inventory. Every figure is text in the page (readable without the
 * script, and by a screen reader); every chart has a sentence and a
 * table beside it. Of other participants it holds only what site.c
 * allows: sums of enough contributing participants.
 *
 * Workload: one page per participant; its data.js holds its own year
 * (three compact series of ~35,000 values) and a day of samples.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/time.h"
#include "reports/io.h"
#include "reports/site/site.h"

/* Most samples a page draws: above, each bucket keeps its peak. */
#define MAX_SAMPLES 20000

static void eur_data(FILE *f, int lang, const char *key, int64_t cents,
		     bool is_abs)
{
	char raw[48], shown[64];
	cab_report_fmt_cents(cents, raw, sizeof(raw));
	cab_html_eur(lang, is_abs && cents < 0 ? -cents : cents, shown,
		     sizeof(shown));
	cab_html_data(f, key, raw, shown);
}

/* Write fmt with its %s replaced, in order, by pieces of HTML already
 * made (fmt itself is text and gets escaped). */
static void sentence(FILE *f, const char *fmt, const char *const *pieces,
		     size_t n)
{
	size_t k = 0;
	char text[1024];
	size_t t = 0;
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's' && k < n) {
			text[t] = 0;
			cab_html_text(f, text);
			t = 0;
			fputs(pieces[k++], f);
			p++;
		} else if (t + 1 < sizeof(text)) {
			text[t++] = *p;
		}
	}
	text[t] = 0;
	cab_html_text(f, text);
}

/* A figure as HTML in a buffer (for sentences). */
static void kwh_piece(char *buf, size_t size, int lang, const char *key,
		      double kwh)
{
	char raw[48], shown[64];
	cab_report_fmt_kwh(kwh, raw, sizeof(raw));
	cab_html_kwh(lang, kwh, shown, sizeof(shown));
	snprintf(buf, size, "<data data-k=\"%s\" value=\"%s\">%s</data>", key,
		 raw, shown);
}

static void eur_piece(char *buf, size_t size, int lang, const char *key,
		      int64_t cents)
{
	char raw[48], shown[64];
	cab_report_fmt_cents(cents, raw, sizeof(raw));
	/* A saving or an extra cost is said as an amount, its sign in the
	 * words around it. */
	bool is_abs = !strcmp(key, "delta_eur") && cents < 0;
	cab_html_eur(lang, is_abs ? -cents : cents, shown, sizeof(shown));
	snprintf(buf, size, "<data data-k=\"%s\" value=\"%s\">%s</data>", key,
		 raw, shown);
}

static void write_bill(FILE *f, const struct cab_site *s, size_t i, int lang)
{
	const struct cab_participant_result *r = &s->run->p[i];
	cab_site_section_start(f, lang, "bill", W_SEC_BILL);
	fputs("<ul class=\"cards\">\n", f);
	cab_site_card_start(f, lang, W_BILL);
	eur_data(f, lang, "bill_eur", r->bill.total_cents, false);
	fputs("</span></li>\n", f);
	if (!r->is_without_baseline) {
		cab_site_card_start(f, lang, W_BASELINE);
		eur_data(f, lang, "baseline_eur", r->baseline.total_cents,
			 false);
		fputs("</span></li>\n<li><span class=\"label\">", f);
		cab_html_text(f, cab_site_word(lang, r->delta_cents > 0
							 ? W_EXTRA_COST
							 : W_SAVING));
		fprintf(f, "</span><span class=\"big %s\">",
			r->delta_cents > 0 ? "bad" : "good");
		eur_data(f, lang, "delta_eur", r->delta_cents, true);
		fputs("</span></li>\n", f);
	}
	fputs("</ul>\n<p>", f);
	char b[160], a[160], d[160];
	eur_piece(b, sizeof(b), lang, "bill_eur", r->bill.total_cents);
	if (r->is_without_baseline) {
		cab_html_text(f, cab_site_word(lang, W_NO_BASELINE));
	} else {
		eur_piece(a, sizeof(a), lang, "baseline_eur",
			  r->baseline.total_cents);
		eur_piece(d, sizeof(d), lang, "delta_eur", r->delta_cents);
		const char *p[] = {b, a, d};
		enum cab_site_word w = r->delta_cents < 0   ? W_GAIN_FMT
				       : r->delta_cents > 0 ? W_LOSS_FMT
							    : W_SAME_FMT;
		sentence(f, cab_site_word(lang, w), p, 3);
	}
	fputs("</p>\n<p>", f);
	enum cab_billing_mode mode = s->run->billing.mode;
	if (mode == CAB_BILLING_POT) {
		cab_html_text(f, cab_site_word(lang, W_WHY_POT));
	} else if (mode == CAB_BILLING_INDIVIDUAL) {
		cab_html_text(f, cab_site_word(lang, W_WHY_ALONE));
	} else {
		char k[160], price[64];
		kwh_piece(k, sizeof(k), lang, "shared_kwh",
			  r->total.shared_kwh);
		cab_html_num(lang, s->run->sharing.price_eur_kwh, 2, price,
			     sizeof(price));
		char pe[80];
		snprintf(pe, sizeof(pe), "%s\xC2\xA0€", price);
		const char *p[] = {k, pe};
		sentence(f, cab_site_word(lang, W_WHY_SHARED_FMT), p, 2);
		if (r->total.given_kwh > 0) {
			fputc(' ', f);
			kwh_piece(k, sizeof(k), lang, "given_kwh",
				  r->total.given_kwh);
			const char *q[] = {k};
			sentence(f, cab_site_word(lang, W_WHY_GIVEN_FMT), q, 1);
		}
	}
	fputs("</p>\n</section>\n", f);
}

/* The interval of the participant's largest quarter-hour, or -1. */
static long peak_interval(const struct cab_participant_result *r, size_t n)
{
	long best = -1;
	for (size_t t = 0; t < n; t++)
		if (!isnan(r->consumption_kwh[t]) &&
		    (best < 0 ||
		     r->consumption_kwh[t] > r->consumption_kwh[(size_t)best]))
			best = (long)t;
	return best;
}

static void write_year(FILE *f, const struct cab_site *s, size_t i, int lang)
{
	const struct cab_run *run = s->run;
	const struct cab_participant_result *r = &run->p[i];
	const struct cab_volumes *v = &r->total;
	int64_t t1 = run->t0_s + (int64_t)run->n_intervals * CAB_INTERVAL_S;
	cab_site_section_start(f, lang, "year", W_SEC_YEAR);
	fputs("<figure>\n<p class=\"note\">", f);
	cab_html_text(f, cab_site_word(lang, W_YEAR_HELP));
	fputs("</p>\n", f);
	cab_site_zoom(f, lang, run->t0_s, t1);
	cab_site_chart_div(f, "year", "h-year", "cap-year", false);
	fputs("<figcaption id=\"cap-year\">", f);
	char c[160], o[160], a[160], g[160];
	kwh_piece(c, sizeof(c), lang, "consumption_kwh", v->consumption_kwh);
	kwh_piece(o, sizeof(o), lang, "self_consumed_kwh",
		  v->self_consumed_kwh);
	kwh_piece(a, sizeof(a), lang, "shared_kwh", v->shared_kwh);
	kwh_piece(g, sizeof(g), lang, "complementary_kwh",
		  v->complementary_kwh);
	if (v->production_kwh > 0) {
		const char *p[] = {c, o, a, g};
		sentence(f, cab_site_word(lang, W_YEAR_FMT), p, 4);
	} else {
		const char *p[] = {c, a, g};
		sentence(f, cab_site_word(lang, W_YEAR_NOPV_FMT), p, 3);
	}
	if (v->production_kwh > 0) {
		fputs(" ", f);
		cab_html_text(f, cab_site_word(lang, W_PRODUCTION));
		fputs(": ", f);
		cab_site_kwh_data(f, lang, "production_kwh", v->production_kwh);
		fputs("; ", f);
		cab_html_text(f, cab_site_word(lang, W_GIVEN));
		fputs(": ", f);
		cab_site_kwh_data(f, lang, "given_kwh", v->given_kwh);
		fputs("; ", f);
		cab_html_text(f, cab_site_word(lang, W_INJECTED));
		fputs(": ", f);
		cab_site_kwh_data(f, lang, "injected_kwh", v->injected_kwh);
		fputs(".", f);
	}
	long pk = peak_interval(r, run->n_intervals);
	if (pk >= 0) {
		int64_t ts = run->t0_s + pk * CAB_INTERVAL_S;
		char k[64], d[40], h[8];
		cab_html_kwh(lang, r->consumption_kwh[pk], k, sizeof(k));
		cab_html_date(lang, ts, d, sizeof(d));
		cab_html_clock(ts, h, sizeof(h));
		fputs(" ", f);
		cab_html_textf(f, cab_site_word(lang, W_PEAK_FMT), k, d, h);
	}
	fputs("</figcaption>\n</figure>\n", f);
	cab_site_month_table(f, lang, run, r->month, v->production_kwh > 0);
	fputs("<p class=\"note\">", f);
	char m[48], raw[24];
	snprintf(raw, sizeof(raw), "%zu", r->missing_intervals);
	cab_html_num(lang, (double)r->missing_intervals, 0, m, sizeof(m));
	char piece[160];
	snprintf(piece, sizeof(piece),
		 "<data data-k=\"missing_intervals\" value=\"%s\">%s</data>",
		 raw, m);
	const char *q[] = {piece};
	sentence(f, cab_site_word(lang, W_MISSING_FMT), q, 1);
	fputs("</p>\n</section>\n", f);
}

static void write_days(FILE *f, const struct cab_site *s, size_t i, int lang)
{
	const struct cab_curve_subject *own = &s->curves->subject[i];
	const struct cab_curve_subject *com =
	    &s->curves->subject[s->community_subject];
	cab_site_section_start(f, lang, "days", W_SEC_DAYS);
	fputs("<figure>\n", f);
	cab_site_season_buttons(f, lang, cab_site_first_season(own->stats[0]));
	cab_site_chart_div(f, "days", "h-days", "cap-days", false);
	fputs("<figcaption id=\"cap-days\">", f);
	for (int k = 1; k <= 4; k++) {
		int slot = cab_site_peak_slot(own->stats[0][k].mean);
		if (slot < 0)
			continue;
		char h[8], e[64];
		cab_site_slot_clock(slot, h);
		cab_html_kwh(lang, own->stats[0][k].mean[slot], e, sizeof(e));
		cab_html_textf(f, cab_site_word(lang, W_DAYS_FMT),
			       cab_site_word(lang, (enum cab_site_word)(
						       W_IN_WINTER + k - 1)),
			       h, e);
		fputc(' ', f);
	}
	if (s->is_production_shown) {
		int slot = cab_site_peak_slot(com->stats[1][0].mean);
		if (slot >= 0) {
			char h[8];
			cab_site_slot_clock(slot, h);
			cab_html_textf(f, cab_site_word(lang, W_DAYS_PROD_FMT),
				       h);
		}
	} else if (s->n_producers > 0) {
		cab_html_text(f, cab_site_word(lang, W_PROD_HIDDEN));
	}
	cab_site_days_end(f, s, lang, W_OWN_DAY, own->stats[0]);
}

static void pct_text(int lang, double pct, char *buf, size_t size)
{
	if (isnan(pct)) {
		snprintf(buf, size, "%s", cab_site_word(lang, W_NOT_KNOWN));
		return;
	}
	char n[48];
	cab_html_num(lang, pct, 1, n, sizeof(n));
	snprintf(buf, size, "%s\xC2\xA0%%", n);
}

/* One cell of an alert's row: Δ kWh or Δ % of effect e (NULL: unknown),
 * keyed for the browser test as alerts.csv writes it. */
static void alert_cell(FILE *f, int lang, const char *key,
		       const struct cab_alert_effect *e, bool is_pct)
{
	fputs("<td>", f);
	if (!e || !e->is_complete || (is_pct && isnan(e->delta_pct))) {
		cab_html_text(f, cab_site_word(lang, W_NOT_KNOWN));
	} else if (is_pct) {
		char raw[48], shown[64];
		snprintf(raw, sizeof(raw), "%.2f", e->delta_pct + 0.0);
		pct_text(lang, e->delta_pct, shown, sizeof(shown));
		cab_html_data(f, key, raw, shown);
	} else {
		char raw[48], shown[64];
		cab_report_fmt_kwh(e->delta_kwh, raw, sizeof(raw));
		cab_html_num(lang, e->delta_kwh, 2, shown, sizeof(shown));
		cab_html_data(f, key, raw, shown);
	}
	fputs("</td>", f);
}

static const char *const window_names[3] = {"during", "after", "before"};

static void write_alerts(FILE *f, const struct cab_site *s, size_t i, int lang)
{
	const struct cab_scenario *sc = s->run->sc;
	cab_site_section_start(f, lang, "alerts", W_SEC_ALERTS);
	if (sc->n_alerts == 0 || !s->alerts) {
		fputs("<p>", f);
		cab_html_text(f, cab_site_word(lang, W_NO_ALERT));
		fputs("</p>\n</section>\n", f);
		return;
	}
	fputs("<p>", f);
	cab_html_text(f, cab_site_word(lang, W_ALERTS_HELP));
	fputs("</p>\n", f);
	enum cab_site_word head[] = {W_ALERT,		W_WINDOW,
				     W_YOU_DELTA,	W_YOU_PCT,
				     W_COMMUNITY_DELTA, W_COMMUNITY_PCT};
	cab_site_table_head(f, lang, head, 6);
	for (size_t ka = 0; ka < sc->n_alerts; ka++) {
		size_t k = s->alert_order[ka];
		char id[24], when[80];
		cab_site_alert_id(s, k, id);
		cab_site_alert_when(s, k, lang, when, sizeof(when));
		for (int w = 0; w < 3; w++) {
			const struct cab_alert_effect *own =
			    cab_site_alert_row(s, k, w, (long)i);
			if (!own)
				continue;
			const struct cab_alert_effect *com =
			    cab_site_alert_shown(s, k, w)
				? cab_site_alert_row(s, k, w, -1)
				: NULL;
			fputs("<tr><th scope=\"row\">", f);
			cab_html_text(f, when);
			fputs("</th><td class=\"text\">", f);
			cab_html_text(
			    f, cab_site_word(
				   lang, (enum cab_site_word)(W_DURING + w)));
			fputs("</td>", f);
			char key[96];
			snprintf(key, sizeof(key), "alert/%s/%s/self/delta_kwh",
				 id, window_names[w]);
			alert_cell(f, lang, key, own, false);
			snprintf(key, sizeof(key), "alert/%s/%s/self/delta_pct",
				 id, window_names[w]);
			alert_cell(f, lang, key, own, true);
			snprintf(key, sizeof(key),
				 "alert/%s/%s/community/delta_kwh", id,
				 window_names[w]);
			alert_cell(f, lang, key, com, false);
			snprintf(key, sizeof(key),
				 "alert/%s/%s/community/delta_pct", id,
				 window_names[w]);
			alert_cell(f, lang, key, com, true);
			fputs("</tr>\n", f);
		}
	}
	fputs("</tbody>\n</table></div>\n</section>\n", f);
}

static void group_label(const struct cab_site_group *g, int lang, char *buf,
			size_t size)
{
	snprintf(buf, size,
		 cab_site_word(lang, g->is_cabin ? W_CABIN_FMT : W_GROUP_FMT),
		 g->name);
}

static void write_groups(FILE *f, const struct cab_site *s, size_t i, int lang)
{
	cab_site_section_start(f, lang, "groups", W_SEC_GROUPS);
	size_t shown = 0;
	for (size_t g = 0; g < s->n_groups; g++) {
		const struct cab_site_group *G = &s->groups[g];
		if (!G->is_shown || !cab_site_is_member(G, i))
			continue;
		const struct cab_curve_subject *sub =
		    &s->curves->subject[G->subject];
		char label[400], hid[32], cid[32], cname[32];
		group_label(G, lang, label, sizeof(label));
		snprintf(hid, sizeof(hid), "h-group-%zu", g);
		snprintf(cid, sizeof(cid), "cap-group-%zu", g);
		snprintf(cname, sizeof(cname), "group-%zu", g);
		fprintf(f, "<h3 id=\"%s\">", hid);
		cab_html_text(f, label);
		fputs("</h3>\n<figure>\n", f);
		cab_site_chart_div(f, cname, hid, cid, true);
		fprintf(f, "<figcaption id=\"%s\">", cid);
		char pct[48];
		cab_html_pct(lang, sub->coincidence[sub->n_members - 1], pct,
			     sizeof(pct));
		cab_html_textf(f, cab_site_word(lang, W_GROUP_FMT_SENTENCE),
			       label, sub->n_members, pct);
		fputs("</figcaption>\n</figure>\n", f);
		shown++;
	}
	if (!shown) {
		fputs("<p>", f);
		cab_html_text(f, cab_site_word(lang, W_NO_GROUP));
		fputs("</p>\n", f);
	}
	fputs("</section>\n", f);
}

/* The participant's day of power samples, if any. */
static const struct cab_power_day *power_day(const struct cab_site *s, size_t i)
{
	if (!s->in || !s->in->power_days || s->in->power_days[i].n == 0)
		return NULL;
	return &s->in->power_days[i];
}

static void write_power(FILE *f, const struct cab_site *s, size_t i, int lang)
{
	const struct cab_power_day *pd = power_day(s, i);
	const struct cab_run *run = s->run;
	cab_site_section_start(f, lang, "power", W_SEC_POWER);
	if (!pd) {
		fputs("<p class=\"note\">", f);
		cab_html_text(f, cab_site_word(lang, s->in->is_power_source
							 ? W_POWER_NONE_DAY
							 : W_POWER_NONE_STORE));
		fputs("</p>\n</section>\n", f);
		return;
	}
	double peak_w = 0;
	for (size_t k = 0; k < pd->n; k++)
		if (!isnan(pd->watts[k]) && pd->watts[k] > peak_w)
			peak_w = pd->watts[k];
	double qh_peak = NAN;
	const double *c = run->p[i].consumption_kwh;
	for (int64_t t = pd->start_s; t < pd->end_s; t += CAB_INTERVAL_S) {
		long k = (long)((t - run->t0_s) / CAB_INTERVAL_S);
		if (k >= 0 && (size_t)k < run->n_intervals && !isnan(c[k]) &&
		    (isnan(qh_peak) || c[k] > qh_peak))
			qh_peak = c[k];
	}
	fputs("<figure>\n", f);
	cab_site_chart_div(f, "power", "h-power", "cap-power", false);
	fputs("<figcaption id=\"cap-power\">", f);
	char d[40], pw[48], qw[48], qk[64];
	cab_html_date(lang, pd->start_s + 12 * 3600, d, sizeof(d));
	cab_html_num(lang, peak_w, 0, pw, sizeof(pw));
	strcat(pw, "\xC2\xA0W");
	cab_html_num(lang, qh_peak * 4000.0, 0, qw, sizeof(qw));
	strcat(qw, "\xC2\xA0W");
	cab_html_kwh(lang, qh_peak, qk, sizeof(qk));
	cab_html_textf(f, cab_site_word(lang, W_POWER_FMT), d, pw, qw, qk);
	fputs("</figcaption>\n</figure>\n</section>\n", f);
}

static void write_power_data(FILE *f, const struct cab_site *s, size_t i)
{
	const struct cab_power_day *pd = power_day(s, i);
	if (!pd)
		return;
	const struct cab_run *run = s->run;
	size_t step = (pd->n + MAX_SAMPLES - 1) / MAX_SAMPLES;
	fprintf(
	    f, ",\n\"power\": {\"kind\": \"power\", \"t0\": 0, \"qh_t0\": %lld",
	    (long long)pd->start_s * 1000);
	fputs(", \"dt\": [", f);
	long long last = 0;
	for (size_t k = 0; k < pd->n; k += step) {
		long long ms = (long long)llround(pd->t_s[k] * 1000.0);
		fprintf(f, "%s%lld", k ? "," : "", ms - last);
		last = ms;
	}
	fputs("], \"w\": [", f);
	for (size_t k = 0; k < pd->n; k += step) {
		/* A bucket of samples keeps its peak, at its first time. */
		size_t best = k;
		for (size_t j = k; j < k + step && j < pd->n; j++)
			if (!isnan(pd->watts[j]) &&
			    (isnan(pd->watts[best]) ||
			     pd->watts[j] > pd->watts[best]))
				best = j;
		if (isnan(pd->watts[best]))
			fputs(k ? ",null" : "null", f);
		else
			fprintf(f, "%s%.0f", k ? "," : "",
				pd->watts[best] + 0.0);
	}
	fputs("], \"qh\": [", f);
	const double *c = run->p[i].consumption_kwh;
	bool is_first = true;
	for (int64_t t = pd->start_s; t < pd->end_s; t += CAB_INTERVAL_S) {
		long k = (long)((t - run->t0_s) / CAB_INTERVAL_S);
		fputs(is_first ? "" : ",", f);
		is_first = false;
		if (k < 0 || (size_t)k >= run->n_intervals || isnan(c[k]))
			fputs("null", f);
		else
			fprintf(f, "%.0f", c[k] * 4000.0 + 0.0);
	}
	fputs("]}", f);
}

static void write_appliances(FILE *f, const struct cab_site *s, size_t i,
			     int lang)
{
	const struct cab_appliance_household *h =
	    cab_appliances_find(s->appliances, i);
	if (!h)
		return;
	const struct cab_scenario *sc = s->run->sc;
	cab_site_section_start(f, lang, "appliances", W_SEC_APPLIANCES);
	fputs("<p>", f);
	char inv[64], share[48], meter[64];
	cab_html_num(lang, h->sums.inventory_kwh_day, 2, inv, sizeof(inv));
	strcat(inv, "\xC2\xA0kWh");
	cab_html_pct(lang, h->explained_share, share, sizeof(share));
	cab_html_num(lang, h->meter_kwh_day, 2, meter, sizeof(meter));
	strcat(meter, "\xC2\xA0kWh");
	cab_html_textf(f, cab_site_word(lang, W_INVENTORY_FMT), inv, share,
		       meter);
	if (h->sums.n_measured) {
		char e[64], m[64];
		cab_html_num(lang, h->sums.estimate_of_measured_kwh_day, 2, e,
			     sizeof(e));
		strcat(e, "\xC2\xA0kWh");
		cab_html_num(lang, h->sums.measured_kwh_day, 2, m, sizeof(m));
		strcat(m, "\xC2\xA0kWh");
		fputc(' ', f);
		cab_html_textf(f, cab_site_word(lang, W_ESTIMATE_FMT), e, m);
	}
	fputs("</p>\n", f);
	enum cab_site_word head[] = {W_APPLIANCE,     W_CLASS,
				     W_ESTIMATED_DAY, W_MEASURED_DAY,
				     W_SHIFTABLE,     W_ALTERNATIVE};
	cab_site_table_head(f, lang, head, 6);
	for (size_t r = 0; r < sc->n_appliances; r++) {
		const struct cab_appliance *a = &sc->appliances[r];
		if (a->participant != i)
			continue;
		char e[48], m[48];
		cab_html_num(lang, a->watts * a->hours_per_day / 1000.0, 2, e,
			     sizeof(e));
		cab_html_num(lang,
			     isnan(a->measured_kwh)
				 ? NAN
				 : a->measured_kwh / a->measured_days,
			     2, m, sizeof(m));
		fputs("<tr><th scope=\"row\">", f);
		cab_html_text(f, a->name ? a->name : "");
		fputs("</th><td class=\"text\">", f);
		cab_html_text(f, cab_site_word(lang, (enum cab_site_word)(
							 W_INDISPENSABLE +
							 a->use_class)));
		fputs("</td><td>", f);
		cab_html_text(f, e);
		fputs("</td><td>", f);
		cab_html_text(f, m);
		fputs("</td><td class=\"text\">", f);
		cab_html_text(
		    f, cab_site_word(lang, a->is_shiftable ? W_YES : W_NO));
		fputs("</td><td class=\"text\">", f);
		cab_html_text(f, a->alternative ? a->alternative : "");
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n", f);
	if (sc->n_alerts && s->appliances->n_alert_rows) {
		fputs("<p>", f);
		cab_html_text(f, cab_site_word(lang, W_SHED_HELP));
		fputs("</p>\n<div class=\"scroll\"><table>\n<thead><tr>"
		      "<th scope=\"col\">",
		      f);
		cab_html_text(f, cab_site_word(lang, W_ALERT));
		fputs("</th><th scope=\"col\">", f);
		cab_html_text(f, cab_site_word(lang, W_COULD_SHED));
		fputs("</th><th scope=\"col\">", f);
		cab_html_text(f, cab_site_word(lang, W_DID_SHED));
		fputs("</th></tr></thead>\n<tbody>\n", f);
		size_t hi = (size_t)(h - s->appliances->household);
		for (size_t ka = 0; ka < sc->n_alerts; ka++) {
			size_t k = s->alert_order[ka];
			const struct cab_appliance_alert *row =
			    &s->appliances
				 ->alert_row[k * s->appliances->n_households +
					     hi];
			char d[40], hh[8], c1[48], c2[48];
			cab_html_date(lang, sc->alerts[k].start_s, d,
				      sizeof(d));
			cab_html_clock(sc->alerts[k].start_s, hh, sizeof(hh));
			cab_html_num(lang, row->could_shed_kwh, 2, c1,
				     sizeof(c1));
			cab_html_num(lang,
				     row->has_effect ? row->shed_kwh : NAN, 2,
				     c2, sizeof(c2));
			fputs("<tr><th scope=\"row\">", f);
			cab_html_textf(f, "%s %s", d, hh);
			fputs("</th><td>", f);
			cab_html_text(f, c1);
			fputs("</td><td>", f);
			cab_html_text(f, c2);
			fputs("</td></tr>\n", f);
		}
		fputs("</tbody>\n</table></div>\n", f);
	}
	fputs("</section>\n", f);
}

/* data.js: the charts' series. */
static enum cab_status write_data(const struct cab_site *s, size_t i,
				  const char *dir, struct cab_err *err)
{
	const struct cab_run *run = s->run;
	const struct cab_participant_result *r = &run->p[i];
	char path[4096];
	FILE *f = cab_report_open(dir, "data.js", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	size_t n = run->n_intervals;
	double *buf = malloc((n + 1) * sizeof(double));
	if (!buf) {
		fclose(f);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	fputs("window.CABINE_DATA = {\"charts\": {\n\"year\": {\"kind\": "
	      "\"year\", ",
	      f);
	fprintf(f, "\"t0\": %lld, \"step\": 900000, \"series\": [",
		(long long)run->t0_s * 1000);
	cab_site_year_series(f, "consumption", "consumption",
			     r->consumption_kwh, n, true);
	/* Production and shared energy are meaningless where consumption
	 * is missing (run.h): masked there. */
	const double *other[2] = {r->production_kwh, r->shared_kwh};
	const char *names[2] = {"production", "shared"};
	double totals[2] = {r->total.production_kwh, r->total.shared_kwh};
	for (int k = 0; k < 2; k++) {
		if (!(totals[k] > 0))
			continue;
		for (size_t t = 0; t < n; t++)
			buf[t] =
			    isnan(r->consumption_kwh[t]) ? NAN : other[k][t];
		cab_site_year_series(f, names[k], names[k], buf, n, false);
	}
	fprintf(f, "]},\n\"days\": {\"kind\": \"day\", \"season\": %d, ",
		cab_site_first_season(s->curves->subject[i].stats[0]));
	if (s->is_production_shown)
		fputs("\"y2\": \"community_prod\", ", f);
	fputs("\"series\": [", f);
	cab_site_day_series(f, "own_day", "consumption", "y",
			    s->curves->subject[i].stats[0], 1, true);
	if (s->is_production_shown)
		cab_site_day_series(
		    f, "community_prod", "production", "y2",
		    s->curves->subject[s->community_subject].stats[1], 1,
		    false);
	fputs("]}", f);
	for (size_t g = 0; g < s->n_groups; g++) {
		const struct cab_site_group *G = &s->groups[g];
		if (!G->is_shown || !cab_site_is_member(G, i))
			continue;
		const struct cab_curve_subject *sub =
		    &s->curves->subject[G->subject];
		fprintf(f,
			",\n\"group-%zu\": {\"kind\": \"day\", \"season\": 0, "
			"\"series\": [{\"w\": \"own_day\", \"color\": "
			"\"consumption\", \"axis\": \"y\", \"data\": [",
			g);
		cab_html_day(f, s->curves->subject[i].stats[0][0].mean,
			     CAB_DAY_SLOTS, 1);
		fputs("]}, {\"w\": \"group_per_household\", \"color\": "
		      "\"group\", \"axis\": \"y\", \"data\": [",
		      f);
		cab_html_day(f, sub->stats[0][0].mean, CAB_DAY_SLOTS,
			     1.0 / (double)sub->n_members);
		fputs("]}]}", f);
	}
	write_power_data(f, s, i);
	fputs("\n}};\n", f);
	free(buf);
	return cab_report_close(f, path, err);
}

enum cab_status cab_site_write_page(const struct cab_site *s, size_t i,
				    const char *site_dir, struct cab_err *err)
{
	const struct cab_run *run = s->run;
	const struct cab_scenario *sc = run->sc;
	int lang = cab_site_lang(s, i);
	char dir[4096], path[4096];
	snprintf(dir, sizeof(dir), "%s/%s", site_dir, s->token[i]);
	if (mkdir(dir, 0777) != 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot create", dir);
	enum cab_status st = write_data(s, i, dir, err);
	if (st != CAB_OK)
		return st;
	FILE *f = cab_report_open(dir, "index.html", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	char title[256];
	snprintf(title, sizeof(title), "%s — %s",
		 cab_site_word(lang, W_PAGE_TITLE), sc->name);
	cab_html_head(f, lang, title, "../", "data.js");
	cab_site_words_block(f, lang);
	fprintf(f, "<header class=\"top\">\n<p><a href=\"../index-%s.html\">",
		cab_site_lang_code(lang));
	cab_html_text(f, sc->name);
	fputs("</a></p>\n<h1>", f);
	cab_html_text(f, cab_site_word(lang, W_PAGE_TITLE));
	fputs("</h1>\n<p class=\"who\">", f);
	cab_html_text(f, sc->participants[i].id);
	fputs("</p>\n<p>", f);
	char d0[40], d1[40];
	int64_t t1 = run->t0_s + (int64_t)run->n_intervals * CAB_INTERVAL_S;
	cab_html_date(lang, run->t0_s + 3600, d0, sizeof(d0));
	cab_html_date(lang, t1 - 3600, d1, sizeof(d1));
	cab_html_textf(f, cab_site_word(lang, W_PERIOD_FMT), d0, d1);
	fputs("</p>\n</header>\n<main id=\"main\">\n", f);
	cab_site_tomorrow(f, s, lang);
	write_bill(f, s, i, lang);
	write_year(f, s, i, lang);
	write_days(f, s, i, lang);
	write_alerts(f, s, i, lang);
	write_groups(f, s, i, lang);
	write_power(f, s, i, lang);
	write_appliances(f, s, i, lang);
	fputs("</main>\n<footer>\n<p>", f);
	cab_html_text(f, cab_site_word(lang, W_PRIVATE));
	fprintf(f, "</p>\n<p><a href=\"../index-%s.html\">",
		cab_site_lang_code(lang));
	cab_html_text(f, cab_site_word(lang, W_TO_COMMUNITY));
	fputs("</a></p>\n</footer>\n", f);
	cab_html_foot(f, lang);
	return cab_report_close(f, path, err);
}
