/*
 * site.h — internal to reports/site/: what the writers of the
 * inhabitants' pages share (SPEC §14, docs/site.md).
 *
 * Why: the site is written by a few files — site.c (the writer, the
 * privacy rules, tokens.csv, the library copied in), page.c (a
 * participant's page), community.c (the community's pages), html.c (HTML
 * text, numbers in each language, the compact series of data.js),
 * words.c (every text in fr/nl/en, one table), tomorrow.c (the box of
 * the sun hours of a signal.csv), token.c (the HMAC tokens
 * and the secret file), assets.c (site.css and site.js, embedded). They
 * share one struct cab_site, built once by site.c: who may be shown
 * beside whom is decided there, once, and the pages only read it.
 *
 * Ownership: struct cab_site borrows the run and the analyses; it owns
 * its arrays (site.c frees them).
 */
#ifndef CABINE_REPORTS_SITE_SITE_H
#define CABINE_REPORTS_SITE_SITE_H

#include <stdbool.h>
#include <stdio.h>

#include "cabine/alerts.h"
#include "cabine/appliances.h"
#include "cabine/curves.h"
#include "cabine/report.h"
#include "cabine/site.h"
#include "reports/site/words.h"

/* A group of participants the pages may show (a cabin with members, or
 * one of the scenario's "groups", in cab_alerts_group_name's order). */
struct cab_site_group {
	size_t subject;	   /* its index in curves->subject */
	char label[320];   /* "cabin:<id>" or "group:<name>" */
	const char *name;  /* the cabin's id or the group's name */
	bool is_cabin;	   /* a cabin (else a declared group) */
	size_t n_members;  /* participants in it */
	size_t *members;   /* their indices (owned) */
	bool is_shown;	   /* passes the privacy rules of site.c */
	bool is_community; /* the same set as the whole community */
};

struct cab_site {
	const struct cab_run *run;
	const struct cab_report_opts *opts;
	const struct cab_site_input *in;
	const struct cab_curves *curves;
	const struct cab_alerts *alerts;	 /* NULL without alerts */
	const struct cab_appliances *appliances; /* NULL without inventory */
	char (*token)[CAB_SITE_TOKEN_HEX + 1];	 /* per participant */
	size_t community_subject;		 /* index in curves */
	size_t n_with_data;	  /* participants with a valid interval */
	bool is_community_shown;  /* ≥ CAB_SITE_MIN_AGGREGATE of them */
	size_t n_producers;	  /* participants with production */
	bool is_production_shown; /* the community's production may be shown */
	size_t n_groups;	  /* every group, shown or not */
	struct cab_site_group *groups;
	size_t *alert_order;		/* alerts by start time */
	size_t *alert_counted;		/* per alert × 3 windows: participants
					   the community row counts */
	bool is_appliances_total_shown; /* ≥ 3 households with inventory */
	int default_lang; /* the community page's first language */
};

/* ---- html.c: writing text ---- */

/* HTML text, escaped (& < > " '). */
void cab_html_text(FILE *f, const char *s);
/* printf into a buffer, then escaped. */
void cab_html_textf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A number in lang's way (decimal comma in fr and nl, digit groups) with
 * `decimals` decimals, into buf. */
void cab_html_num(int lang, double v, int decimals, char *buf, size_t size);
/* "1 234,5 kWh", "12,34 €" / "€ 12,34" / "€12.34", "12,3 %". */
void cab_html_kwh(int lang, double kwh, char *buf, size_t size);
void cab_html_eur(int lang, int64_t cents, char *buf, size_t size);
void cab_html_pct(int lang, double ratio, char *buf, size_t size);
/* A local date "14/05/2024" (fr, nl) or "14 May 2024" (en), and a local
 * clock time "18:00", of a UTC instant. */
void cab_html_date(int lang, int64_t utc_s, char *buf, size_t size);
void cab_html_clock(int64_t utc_s, char *buf, size_t size);
/* A figure the browser test reads back: <data data-k="key" value="raw">
 * shown</data>; raw is the summary.json text of the value. */
void cab_html_data(FILE *f, const char *key, const char *raw,
		   const char *shown);
/* The head of a page (lang, title, CSS and scripts relative to `root`,
 * "" or "../"), and its end. data_js: the page's own data file or NULL. */
void cab_html_head(FILE *f, int lang, const char *title, const char *root,
		   const char *data_js);
void cab_html_foot(FILE *f, int lang);
/* A JSON string (for data.js and the words block). */
void cab_html_json_str(FILE *f, const char *s);
/* A series of kWh (n values, NaN = missing) as data.js's compact text:
 * Wh rounded to integers, comma-separated, "v*k" for k equal values in a
 * row, an empty item for a missing one ("*k" for k of them). */
void cab_html_series(FILE *f, const double *kwh, size_t n);
/* 96 values as a JSON array of kWh with 4 decimals (null = NaN). */
void cab_html_day(FILE *f, const double *kwh, size_t n, double scale);

/* ---- words.c ---- */
const char *cab_site_word(int lang, enum cab_site_word w);
const char *cab_site_lang_code(int lang);

/* ---- the pages ---- */
enum cab_status cab_site_write_page(const struct cab_site *s, size_t i,
				    const char *dir, struct cab_err *err);
enum cab_status cab_site_write_community(const struct cab_site *s,
					 const char *dir, struct cab_err *err);

/* ---- shared pieces (site.c) ---- */

/* The language of participant i's page: --lang, else its own. */
int cab_site_lang(const struct cab_site *s, size_t i);
/* Is participant i a member of group g? */
bool cab_site_is_member(const struct cab_site_group *g, size_t i);
/* The community row of alert k, window w (NULL if none), and its own
 * row for participant i (i < 0: the community's). */
const struct cab_alert_effect *cab_site_alert_row(const struct cab_site *s,
						  size_t k, int w, long i);
/* Is the community row of alert k, window w shown (it counts at least
 * CAB_SITE_MIN_AGGREGATE participants)? */
bool cab_site_alert_shown(const struct cab_site *s, size_t k, int w);
/* tomorrow.c: the "when to use the sun" box of a signal.csv (issue 16),
 * when the input has one (has_tomorrow). */
void cab_site_tomorrow(FILE *f, const struct cab_site *s, int lang);
/* The alert's local start "2024-05-14T18:00" as alerts.csv writes it. */
void cab_site_alert_id(const struct cab_site *s, size_t k, char buf[24]);

/* ---- parts.c: pieces both kinds of page write ---- */

/* A section's start: <section id=id aria-labelledby="h-id"> and its
 * heading, word w in lang. */
void cab_site_section_start(FILE *f, int lang, const char *id,
			    enum cab_site_word w);
/* A card's start: its label, word w in lang, then the open <span> of
 * its figure (the caller writes it and "</span></li>\n"). */
void cab_site_card_start(FILE *f, int lang, enum cab_site_word w);
/* The end of a days section: its caption and figure closed, the hourly
 * table of the mean day — first row `first_label` over `first`, then
 * the community's production where it is shown — and the section
 * closed. */
void cab_site_days_end(FILE *f, const struct cab_site *s, int lang,
		       enum cab_site_word first_label,
		       const struct cab_curve_stats *first);

/* The JSON block of the words site.js needs, in lang. */
void cab_site_words_block(FILE *f, int lang);
/* The zoom buttons of a year chart over [t0_s, t1_s). */
void cab_site_zoom(FILE *f, int lang, int64_t t0_s, int64_t t1_s);
/* The season buttons of a day chart, season `pressed` (0 winter … 3
 * autumn) pressed. */
void cab_site_season_buttons(FILE *f, int lang, int pressed);
/* The first season (0 winter … 3 autumn) whose mean day has a value in
 * by_season[1..4], or 0. */
int cab_site_first_season(const struct cab_curve_stats *by_season);
/* A chart's container: <div class="chart" data-chart=id role="img"
 * aria-labelledby=heading aria-describedby=caption></div>. */
void cab_site_chart_div(FILE *f, const char *id, const char *heading,
			const char *caption, bool is_small);
/* A table of monthly volumes (n_months entries of v, period order). */
void cab_site_month_table(FILE *f, int lang, const struct cab_run *run,
			  const struct cab_volumes *v, bool has_production);
/* The slot (0..95) of the largest of 96 values (NaN skipped), or -1. */
int cab_site_peak_slot(const double *v);
/* "08:15" of a slot. */
void cab_site_slot_clock(int slot, char buf[8]);
/* One series of a year chart's spec: {"w": word, "color": c, "data":
 * compact series} (is_first: no comma before). */
void cab_site_year_series(FILE *f, const char *word, const char *color,
			  const double *kwh, size_t n, bool is_first);
/* One series of a day chart: {"w", "color", "axis", "data": [[96] × 4
 * seasons]} from stats[1..4].mean × scale. */
void cab_site_day_series(FILE *f, const char *word, const char *color,
			 const char *axis,
			 const struct cab_curve_stats *by_season, double scale,
			 bool is_first);
/* The hourly table of a day chart's series (kWh per hour, 24 rows). */
void cab_site_day_table(FILE *f, int lang, const char *const *labels,
			const struct cab_curve_stats *const *by_season,
			const double *scale, size_t n_series);

/* A table's start: its scrolling box, the header row of cols (n words),
 * the body's opening tag. */
void cab_site_table_head(FILE *f, int lang, const enum cab_site_word *cols,
			 size_t n);
/* "14/05/2024 18:00–21:00": alert k's local day and hours. */
void cab_site_alert_when(const struct cab_site *s, size_t k, int lang,
			 char *buf, size_t size);
/* A figure of kWh (summary.json's text as its value) and one of a rate. */
void cab_site_kwh_data(FILE *f, int lang, const char *key, double kwh);

/* ---- assets.c: the embedded site.css and site.js ---- */
const char *cab_site_css(void);
const char *cab_site_js(void);

#endif
