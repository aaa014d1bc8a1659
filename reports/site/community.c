/*
 * community.c — the community's pages: site/index.html (in the first
 * language), site/index-fr.html, index-nl.html, index-en.html, and their
 * shared data file site/community.js (SPEC §14: totals, production,
 * collective self-consumption, groups of at least 3 members, alerts).
 *
 * Why a page per language and one data file: the community's page is
 * the same for everyone, read in three languages; the series (the year
 * at quarter-hour resolution) are written once. Everything shown is a
 * sum over the community or over a group that site.c let through; with
 * fewer than CAB_SITE_MIN_AGGREGATE contributing participants the page
 * says so and shows no sum at all.
 *
 * Workload: one year of the community's sums (~35,000 quarter-hours,
 * three series), computed once per site.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "reports/io.h"
#include "reports/site/site.h"

static void rate_data(FILE *f, int lang, const char *key, double rate)
{
	char raw[48], shown[64];
	if (isnan(rate)) {
		cab_html_text(f, cab_site_word(lang, W_NOT_KNOWN));
		return;
	}
	snprintf(raw, sizeof(raw), "%.6f", rate + 0.0);
	cab_html_pct(lang, rate, shown, sizeof(shown));
	cab_html_data(f, key, raw, shown);
}

static void eur_data(FILE *f, int lang, const char *key, int64_t cents)
{
	char raw[48], shown[64];
	cab_report_fmt_cents(cents, raw, sizeof(raw));
	cab_html_eur(lang, cents, shown, sizeof(shown));
	cab_html_data(f, key, raw, shown);
}

/* The community's sums over the period (for the cards). */
struct totals {
	double consumption, production, shared;
	struct cab_volumes *month; /* run->n_months */
};

static void write_totals(FILE *f, const struct cab_site *s,
			 const struct totals *t, int lang)
{
	const struct cab_run *run = s->run;
	const struct cab_indicators *ind = &run->ind;
	cab_site_section_start(f, lang, "totals", W_SEC_TOTALS);
	fputs("<ul class=\"cards\">\n", f);
	cab_site_card_start(f, lang, W_PARTICIPANTS);
	char n[24], shown[24];
	snprintf(n, sizeof(n), "%zu", run->n);
	cab_html_num(lang, (double)run->n, 0, shown, sizeof(shown));
	cab_html_data(f, "participants", n, shown);
	fputs("</span></li>\n", f);
	cab_site_card_start(f, lang, W_CONSUMPTION);
	cab_site_kwh_data(f, lang, "sum/consumption_kwh", t->consumption);
	fputs("</span></li>\n", f);
	/* What the producers made and gave: only when their sum may be
	 * shown (site.c). */
	if (s->is_production_shown) {
		cab_site_card_start(f, lang, W_PRODUCTION);
		cab_site_kwh_data(f, lang, "sum/production_kwh", t->production);
		fputs("</span></li>\n", f);
		cab_site_card_start(f, lang, W_SHARED);
		cab_site_kwh_data(f, lang, "indicators/allocated_kwh",
				  ind->allocated_kwh);
		fputs("</span></li>\n", f);
		cab_site_card_start(f, lang, W_SELF_CONSUMPTION_RATE);
		rate_data(f, lang, "indicators/self_consumption_rate",
			  ind->self_consumption_rate);
		fputs("</span></li>\n", f);
		cab_site_card_start(f, lang, W_SELF_SUFFICIENCY_RATE);
		rate_data(f, lang, "indicators/self_sufficiency_rate",
			  ind->self_sufficiency_rate);
		fputs("</span></li>\n", f);
		cab_site_card_start(f, lang, W_BALANCE);
		cab_site_kwh_data(f, lang,
				  "indicators/positive_energy_balance_kwh",
				  ind->positive_energy_balance_kwh);
		fputs("</span></li>\n", f);
	}
	cab_site_card_start(f, lang, W_TOTAL_BILLS);
	eur_data(f, lang, "totals/bill_eur", run->total_bill_cents);
	fputs("</span></li>\n", f);
	cab_site_card_start(f, lang, W_TOTAL_BASELINES);
	eur_data(f, lang, "totals/baseline_eur", run->total_baseline_cents);
	fputs("</span></li>\n", f);
	int64_t delta = 0;
	for (size_t i = 0; i < run->n; i++)
		delta += run->p[i].delta_cents;
	cab_site_card_start(f, lang, W_TOTAL_SAVING);
	eur_data(f, lang, "totals/delta_eur", delta);
	fputs("</span></li>\n</ul>\n</section>\n", f);
}

static void write_year(FILE *f, const struct cab_site *s,
		       const struct totals *t, int lang)
{
	const struct cab_run *run = s->run;
	cab_site_section_start(f, lang, "year", W_COMMUNITY_YEAR);
	fputs("<figure>\n", f);
	cab_site_zoom(f, lang, run->t0_s,
		      run->t0_s + (int64_t)run->n_intervals * CAB_INTERVAL_S);
	cab_site_chart_div(f, "year", "h-year", "cap-year", false);
	fputs("<figcaption id=\"cap-year\">", f);
	char c[64], p[64], a[64], r[48];
	cab_html_kwh(lang, t->consumption, c, sizeof(c));
	cab_html_kwh(lang, s->is_production_shown ? t->production : NAN, p,
		     sizeof(p));
	cab_html_kwh(lang, run->ind.allocated_kwh, a, sizeof(a));
	cab_html_pct(lang, run->ind.self_consumption_rate, r, sizeof(r));
	if (s->is_production_shown)
		cab_html_textf(f, cab_site_word(lang, W_COMMUNITY_YEAR_FMT), c,
			       p, a, r);
	else if (s->n_producers > 0)
		cab_html_text(f, cab_site_word(lang, W_PROD_HIDDEN));
	fputs("</figcaption>\n</figure>\n", f);
	cab_site_month_table(f, lang, run, t->month, s->is_production_shown);
	fputs("</section>\n", f);
}

static void write_days(FILE *f, const struct cab_site *s, int lang)
{
	const struct cab_curve_subject *com =
	    &s->curves->subject[s->community_subject];
	cab_site_section_start(f, lang, "days", W_COMMUNITY_DAYS);
	fputs("<figure>\n", f);
	cab_site_season_buttons(f, lang, cab_site_first_season(com->stats[0]));
	cab_site_chart_div(f, "days", "h-days", "cap-days", false);
	fputs("<figcaption id=\"cap-days\">", f);
	int slot = cab_site_peak_slot(com->stats[0][0].mean);
	if (slot >= 0) {
		char h[8], e[64];
		cab_site_slot_clock(slot, h);
		cab_html_kwh(lang, com->stats[0][0].mean[slot], e, sizeof(e));
		cab_html_text(f, cab_site_word(lang, W_COMMUNITY_CONS));
		cab_html_textf(f, ": %s, %s. ", h, e);
	}
	slot = s->is_production_shown
		   ? cab_site_peak_slot(com->stats[1][0].mean)
		   : -1;
	if (slot >= 0) {
		char h[8];
		cab_site_slot_clock(slot, h);
		cab_html_textf(f, cab_site_word(lang, W_DAYS_PROD_FMT), h);
	}
	cab_site_days_end(f, s, lang, W_CONSUMPTION, com->stats[0]);
}

/* Coincidence of the first k participants, for k from the smallest sum
 * a page may show up to all of them. */
static void write_smooth(FILE *f, const struct cab_site *s, int lang)
{
	const struct cab_curve_subject *com =
	    &s->curves->subject[s->community_subject];
	if (com->n_members < CAB_SITE_MIN_AGGREGATE)
		return;
	cab_site_section_start(f, lang, "smooth", W_SEC_SMOOTH);
	fputs("<figure>\n", f);
	cab_site_chart_div(f, "smooth", "h-smooth", "cap-smooth", true);
	fputs("<figcaption id=\"cap-smooth\">", f);
	char pct[48];
	cab_html_pct(lang, com->coincidence[com->n_members - 1], pct,
		     sizeof(pct));
	cab_html_textf(f, cab_site_word(lang, W_SMOOTH_FMT), com->n_members,
		       pct);
	fputs(" ", f);
	cab_html_text(f, cab_site_word(lang, W_HIDDEN_SMALL));
	fputs("</figcaption>\n</figure>\n</section>\n", f);
}

/* May group G's production be shown (enough producers, or none a
 * household)? */
static bool group_production_shown(const struct cab_site *s,
				   const struct cab_site_group *G)
{
	size_t producers = 0;
	bool is_household = false;
	for (size_t k = 0; k < G->n_members; k++) {
		size_t i = G->members[k];
		if (s->run->p[i].total.production_kwh > 0) {
			producers++;
			is_household |= s->run->sc->participants[i].kind ==
					CAB_KIND_HOUSEHOLD;
		}
	}
	return producers > 0 &&
	       (producers >= CAB_SITE_MIN_AGGREGATE || !is_household);
}

static void write_groups(FILE *f, const struct cab_site *s, int lang)
{
	size_t n_shown = 0;
	for (size_t g = 0; g < s->n_groups; g++)
		n_shown += s->groups[g].is_shown;
	if (!n_shown)
		return;
	cab_site_section_start(f, lang, "groups", W_COMMUNITY_GROUPS);
	for (size_t g = 0; g < s->n_groups; g++) {
		const struct cab_site_group *G = &s->groups[g];
		if (!G->is_shown)
			continue;
		const struct cab_curve_subject *sub =
		    &s->curves->subject[G->subject];
		char label[400], hid[32], cid[32], cname[32], pct[48];
		snprintf(label, sizeof(label),
			 cab_site_word(lang,
				       G->is_cabin ? W_CABIN_FMT : W_GROUP_FMT),
			 G->name);
		snprintf(hid, sizeof(hid), "h-group-%zu", g);
		snprintf(cid, sizeof(cid), "cap-group-%zu", g);
		snprintf(cname, sizeof(cname), "group-%zu", g);
		fprintf(f, "<h3 id=\"%s\">", hid);
		cab_html_text(f, label);
		fputs("</h3>\n<figure>\n", f);
		cab_site_chart_div(f, cname, hid, cid, true);
		fprintf(f, "<figcaption id=\"%s\">", cid);
		cab_html_pct(lang, sub->coincidence[sub->n_members - 1], pct,
			     sizeof(pct));
		cab_html_textf(f, cab_site_word(lang, W_GROUP_FMT_SENTENCE),
			       label, sub->n_members, pct);
		fputs("</figcaption>\n</figure>\n", f);
	}
	fputs("</section>\n", f);
}

static const char *const window_names[3] = {"during", "after", "before"};

static void write_alerts(FILE *f, const struct cab_site *s, int lang)
{
	const struct cab_scenario *sc = s->run->sc;
	if (!s->alerts || sc->n_alerts == 0)
		return;
	cab_site_section_start(f, lang, "alerts", W_COMMUNITY_ALERTS);
	fputs("<p>", f);
	cab_html_text(f, cab_site_word(lang, W_ALERTS_HELP));
	fputs("</p>\n", f);
	enum cab_site_word head[] = {W_ALERT, W_WINDOW, W_COMMUNITY_DELTA,
				     W_COMMUNITY_PCT};
	cab_site_table_head(f, lang, head, 4);
	for (size_t ka = 0; ka < sc->n_alerts; ka++) {
		size_t k = s->alert_order[ka];
		char id[24], when[80];
		cab_site_alert_id(s, k, id);
		cab_site_alert_when(s, k, lang, when, sizeof(when));
		for (int w = 0; w < 3; w++) {
			const struct cab_alert_effect *e =
			    cab_site_alert_row(s, k, w, -1);
			if (!e)
				continue;
			bool is_shown =
			    cab_site_alert_shown(s, k, w) && e->is_complete;
			fputs("<tr><th scope=\"row\">", f);
			cab_html_text(f, when);
			fputs("</th><td class=\"text\">", f);
			cab_html_text(
			    f, cab_site_word(
				   lang, (enum cab_site_word)(W_DURING + w)));
			fputs("</td><td>", f);
			char key[96], raw[48], shown[64];
			if (is_shown) {
				snprintf(key, sizeof(key),
					 "alert/%s/%s/community/delta_kwh", id,
					 window_names[w]);
				cab_report_fmt_kwh(e->delta_kwh, raw,
						   sizeof(raw));
				cab_html_num(lang, e->delta_kwh, 2, shown,
					     sizeof(shown));
				cab_html_data(f, key, raw, shown);
			} else {
				cab_html_text(f,
					      cab_site_word(lang, W_NOT_KNOWN));
			}
			fputs("</td><td>", f);
			if (is_shown && !isnan(e->delta_pct)) {
				snprintf(key, sizeof(key),
					 "alert/%s/%s/community/delta_pct", id,
					 window_names[w]);
				snprintf(raw, sizeof(raw), "%.2f",
					 e->delta_pct + 0.0);
				cab_html_num(lang, e->delta_pct, 1, shown,
					     sizeof(shown));
				strcat(shown, "\xC2\xA0%");
				cab_html_data(f, key, raw, shown);
			} else {
				cab_html_text(f,
					      cab_site_word(lang, W_NOT_KNOWN));
			}
			fputs("</td></tr>\n", f);
		}
	}
	fputs("</tbody>\n</table></div>\n</section>\n", f);
}

static void write_appliances(FILE *f, const struct cab_site *s, int lang)
{
	if (!s->is_appliances_total_shown)
		return;
	const struct cab_appliance_sums *t = &s->appliances->community;
	cab_site_section_start(f, lang, "appliances", W_COMMUNITY_APPLIANCES);
	fputs("<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">",
	      f);
	cab_html_text(f, cab_site_word(lang, W_CLASS));
	fputs("</th><th scope=\"col\">", f);
	cab_html_text(f, cab_site_word(lang, W_APPLIANCE));
	fputs("</th><th scope=\"col\">", f);
	cab_html_text(f, cab_site_word(lang, W_UNIT_KWH_DAY));
	fputs("</th></tr></thead>\n<tbody>\n", f);
	for (int c = 0; c < CAB_USE_CLASSES; c++) {
		char n[24], e[48];
		snprintf(n, sizeof(n), "%zu", t->class_count[c]);
		cab_html_num(lang, t->class_kwh_day[c], 2, e, sizeof(e));
		fputs("<tr><th scope=\"row\">", f);
		cab_html_text(f, cab_site_word(lang, (enum cab_site_word)(
							 W_INDISPENSABLE + c)));
		fprintf(f, "</th><td>%s</td><td>", n);
		cab_html_text(f, e);
		fputs("</td></tr>\n", f);
	}
	char n[24], e[48];
	snprintf(n, sizeof(n), "%zu", t->n_appliances);
	cab_html_num(lang, t->inventory_kwh_day, 2, e, sizeof(e));
	fputs("<tr><th scope=\"row\">", f);
	cab_html_text(f, cab_site_word(lang, W_TOTAL));
	fprintf(f, "</th><td>%s</td><td>", n);
	cab_html_text(f, e);
	fputs("</td></tr>\n</tbody>\n</table></div>\n", f);
	fputs("<p>", f);
	cab_html_text(f, cab_site_word(lang, W_HOUSEHOLDS));
	fprintf(f, ": %zu</p>\n</section>\n", s->appliances->n_households);
}

static enum cab_status write_page(const struct cab_site *s,
				  const struct totals *t, int lang,
				  const char *dir, const char *name,
				  struct cab_err *err)
{
	const struct cab_run *run = s->run;
	const struct cab_scenario *sc = run->sc;
	char path[4096];
	FILE *f = cab_report_open(dir, name, path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	char title[256];
	snprintf(title, sizeof(title), "%s — %s",
		 cab_site_word(lang, W_COMMUNITY_TITLE), sc->name);
	cab_html_head(f, lang, title, "", "community.js");
	cab_site_words_block(f, lang);
	fputs("<header class=\"top\">\n<p>", f);
	cab_html_text(f, cab_site_word(lang, W_COMMUNITY_TITLE));
	fputs("</p>\n<h1>", f);
	cab_html_text(f, sc->name);
	fputs("</h1>\n<p>", f);
	char d0[40], d1[40];
	int64_t t1 = run->t0_s + (int64_t)run->n_intervals * CAB_INTERVAL_S;
	cab_html_date(lang, run->t0_s + 3600, d0, sizeof(d0));
	cab_html_date(lang, t1 - 3600, d1, sizeof(d1));
	cab_html_textf(f, cab_site_word(lang, W_PERIOD_FMT), d0, d1);
	fputs("</p>\n<nav aria-label=\"", f);
	cab_html_text(f, cab_site_word(lang, W_LANGUAGES));
	fputs("\"><p>", f);
	static const char *const names[3] = {"Français", "Nederlands",
					     "English"};
	for (int k = 0; k < 3; k++)
		fprintf(f,
			"%s<a href=\"index-%s.html\" lang=\"%s\" "
			"hreflang=\"%s\"%s>%s</a>",
			k ? " · " : "", cab_site_lang_code(k),
			cab_site_lang_code(k), cab_site_lang_code(k),
			k == lang ? " aria-current=\"page\"" : "", names[k]);
	fputs("</p></nav>\n</header>\n<main id=\"main\">\n", f);
	cab_site_tomorrow(f, s, lang);
	if (!s->is_community_shown) {
		fputs("<p>", f);
		cab_html_text(f, cab_site_word(lang, W_COMMUNITY_HIDDEN));
		fputs("</p>\n", f);
	} else {
		write_totals(f, s, t, lang);
		write_year(f, s, t, lang);
		write_days(f, s, lang);
		write_smooth(f, s, lang);
		write_groups(f, s, lang);
		write_alerts(f, s, lang);
		write_appliances(f, s, lang);
	}
	fputs("</main>\n<footer>\n<p>", f);
	cab_html_text(f, cab_site_word(lang, W_HIDDEN_SMALL));
	fputs("</p>\n</footer>\n", f);
	cab_html_foot(f, lang);
	return cab_report_close(f, path, err);
}

/* community.js: the community's and groups' series. */
static enum cab_status write_data(const struct cab_site *s, const char *dir,
				  struct cab_err *err)
{
	const struct cab_run *run = s->run;
	char path[4096];
	FILE *f = cab_report_open(dir, "community.js", path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	fputs("window.CABINE_DATA = {\"charts\": {", f);
	if (!s->is_community_shown) {
		fputs("}};\n", f);
		return cab_report_close(f, path, err);
	}
	size_t n = run->n_intervals;
	double *sum[3];
	for (int k = 0; k < 3; k++)
		sum[k] = calloc(n + 1, sizeof(double));
	if (!sum[0] || !sum[1] || !sum[2]) {
		for (int k = 0; k < 3; k++)
			free(sum[k]);
		fclose(f);
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	}
	/* As the load curves add a subject up (curves.h): missing where any
	 * member is missing. */
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		for (size_t t = 0; t < n; t++) {
			double c = r->consumption_kwh[t];
			sum[0][t] += c;
			sum[1][t] += isnan(c) ? NAN : r->production_kwh[t];
			sum[2][t] += isnan(c) ? NAN : r->shared_kwh[t];
		}
	}
	fprintf(f,
		"\n\"year\": {\"kind\": \"year\", \"t0\": %lld, \"step\": "
		"900000, \"series\": [",
		(long long)run->t0_s * 1000);
	cab_site_year_series(f, "consumption", "consumption", sum[0], n, true);
	if (s->is_production_shown) {
		cab_site_year_series(f, "production", "production", sum[1], n,
				     false);
		if (run->ind.allocated_kwh > 0)
			cab_site_year_series(f, "shared", "shared", sum[2], n,
					     false);
	}
	for (int k = 0; k < 3; k++)
		free(sum[k]);
	const struct cab_curve_subject *com =
	    &s->curves->subject[s->community_subject];
	fprintf(f, "]},\n\"days\": {\"kind\": \"day\", \"season\": %d, ",
		cab_site_first_season(com->stats[0]));
	fputs("\"series\": [", f);
	cab_site_day_series(f, "consumption", "consumption", "y", com->stats[0],
			    1, true);
	if (s->is_production_shown)
		cab_site_day_series(f, "production", "production", "y",
				    com->stats[1], 1, false);
	fputs("]}", f);
	if (com->n_members >= CAB_SITE_MIN_AGGREGATE) {
		fputs(",\n\"smooth\": {\"kind\": \"smooth\", \"k\": [", f);
		for (size_t k = CAB_SITE_MIN_AGGREGATE; k <= com->n_members;
		     k++)
			fprintf(f, "%s%zu",
				k > CAB_SITE_MIN_AGGREGATE ? "," : "", k);
		fputs("], \"factor\": [", f);
		for (size_t k = CAB_SITE_MIN_AGGREGATE; k <= com->n_members;
		     k++) {
			double v = com->coincidence[k - 1];
			if (isnan(v))
				fputs(k > CAB_SITE_MIN_AGGREGATE ? ",null"
								 : "null",
				      f);
			else
				fprintf(f, "%s%.4f",
					k > CAB_SITE_MIN_AGGREGATE ? "," : "",
					v + 0.0);
		}
		fputs("]}", f);
	}
	for (size_t g = 0; g < s->n_groups; g++) {
		const struct cab_site_group *G = &s->groups[g];
		if (!G->is_shown)
			continue;
		const struct cab_curve_subject *sub =
		    &s->curves->subject[G->subject];
		fprintf(f,
			",\n\"group-%zu\": {\"kind\": \"day\", \"season\": 0, "
			"\"series\": [{\"w\": \"consumption\", \"color\": "
			"\"consumption\", \"axis\": \"y\", \"data\": [",
			g);
		cab_html_day(f, sub->stats[0][0].mean, CAB_DAY_SLOTS, 1);
		fputs("]}", f);
		if (group_production_shown(s, G)) {
			fputs(", {\"w\": \"production\", \"color\": "
			      "\"production\", \"axis\": \"y\", \"data\": [",
			      f);
			cab_html_day(f, sub->stats[1][0].mean, CAB_DAY_SLOTS,
				     1);
			fputs("]}", f);
		}
		fputs("]}", f);
	}
	fputs("\n}};\n", f);
	return cab_report_close(f, path, err);
}

enum cab_status cab_site_write_community(const struct cab_site *s,
					 const char *dir, struct cab_err *err)
{
	const struct cab_run *run = s->run;
	struct totals t = {0};
	t.month = calloc(run->n_months + 1, sizeof(*t.month));
	if (!t.month)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *r = &run->p[i];
		t.consumption += r->total.consumption_kwh;
		t.production += r->total.production_kwh;
		for (size_t m = 0; m < run->n_months; m++) {
			struct cab_volumes *d = &t.month[m];
			const struct cab_volumes *v = &r->month[m];
			d->consumption_kwh += v->consumption_kwh;
			d->self_consumed_kwh += v->self_consumed_kwh;
			d->shared_kwh += v->shared_kwh;
			d->complementary_kwh += v->complementary_kwh;
			d->production_kwh += v->production_kwh;
			d->given_kwh += v->given_kwh;
			d->injected_kwh += v->injected_kwh;
		}
	}
	enum cab_status st = write_data(s, dir, err);
	if (st == CAB_OK)
		st = write_page(s, &t, s->default_lang, dir, "index.html", err);
	for (int lang = 0; lang < 3 && st == CAB_OK; lang++) {
		char name[32];
		snprintf(name, sizeof(name), "index-%s.html",
			 cab_site_lang_code(lang));
		st = write_page(s, &t, lang, dir, name, err);
	}
	free(t.month);
	return st;
}
