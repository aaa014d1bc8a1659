/*
 * xlsx.c — invoices/<participant>.xlsx: one workbook per participant, in
 * its language (SPEC §8). The only file that includes xlsxwriter.h.
 *
 * Why a workbook: the invoice is what a household reads and prints. The
 * first sheet holds the bill (lines, total, the baseline billed alone and
 * the difference), then the monthly volumes and two charts: the months'
 * volumes, and the participant's average day (96 quarter-hours of mean
 * consumption, production and shared energy, by local time of day). The
 * average day is written as values on a second sheet "data" that the
 * chart references.
 *
 * Reproducible output: the creation date is fixed (2024-01-01T00:00Z)
 * so that identical inputs give identical bytes; every number is a stored
 * value (no formula), so a viewer that does not recalculate shows it.
 *
 * Workload: one workbook per participant; the average day reads each
 * participant's three interval series once (35 040 values each for a
 * year), the rest is a few dozen cells.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "cabine/report.h"
#include "cabine/time.h"

/* Fixed document creation time: 2024-01-01T00:00:00Z. */
#define XLSX_CREATED_S 1704067200

#define SLOTS_PER_DAY 96 /* quarter-hours in a (non-DST-change) day */

/* Every text of an invoice, in one language. */
struct xlsx_words {
	const char *sheet; /* name of the invoice sheet */
	const char *title;
	const char *community;
	const char *participant;
	const char *period;
	const char *period_fmt; /* printf: d1 m1 y1 d2 m2 y2 */
	const char *variant;
	const char *col_line;
	const char *col_quantity;
	const char *col_unit_price;
	const char *col_amount;
	const char *total;
	const char *alone;
	const char *gain;     /* bill < baseline */
	const char *pay_more; /* bill > baseline */
	const char *same;     /* bill = baseline */
	const char *monthly;
	const char *col_month;
	const char *col_consumption;
	const char *col_self;
	const char *col_shared;
	const char *col_complementary;
	const char *col_injected;
	const char *col_production;
	const char *col_time;
	const char *chart_months;
	const char *chart_day;
	const char *axis_kwh;
	const char *months[12];
};

static const struct xlsx_words WORDS[3] = {
    [CAB_LANG_FR] =
	{
	    .sheet = "Facture",
	    .title = "Facture d'énergie partagée",
	    .community = "Communauté",
	    .participant = "Participant",
	    .period = "Période",
	    .period_fmt = "du %02d/%02d/%04d au %02d/%02d/%04d",
	    .variant = "Variante",
	    .col_line = "Ligne",
	    .col_quantity = "Quantité (kWh)",
	    .col_unit_price = "Prix unitaire (€)",
	    .col_amount = "Montant (€)",
	    .total = "Total",
	    .alone = "Seul (sans communauté)",
	    .gain = "Vous gagnez",
	    .pay_more = "Vous payez en plus",
	    .same = "Aucune différence",
	    .monthly = "Volumes mensuels (kWh)",
	    .col_month = "Mois",
	    .col_consumption = "Consommation",
	    .col_self = "Autoconsommation",
	    .col_shared = "Énergie partagée",
	    .col_complementary = "Complémentaire",
	    .col_injected = "Injectée",
	    .col_production = "Production",
	    .col_time = "Heure",
	    .chart_months = "Volumes mensuels",
	    .chart_day = "Journée moyenne (kWh par quart d'heure)",
	    .axis_kwh = "kWh",
	    .months = {"janvier", "février", "mars", "avril", "mai", "juin",
		       "juillet", "août", "septembre", "octobre", "novembre",
		       "décembre"},
	},
    [CAB_LANG_NL] =
	{
	    .sheet = "Factuur",
	    .title = "Factuur gedeelde energie",
	    .community = "Gemeenschap",
	    .participant = "Deelnemer",
	    .period = "Periode",
	    .period_fmt = "van %02d/%02d/%04d t.e.m. %02d/%02d/%04d",
	    .variant = "Variant",
	    .col_line = "Lijn",
	    .col_quantity = "Hoeveelheid (kWh)",
	    .col_unit_price = "Eenheidsprijs (€)",
	    .col_amount = "Bedrag (€)",
	    .total = "Totaal",
	    .alone = "Alleen (zonder gemeenschap)",
	    .gain = "U wint",
	    .pay_more = "U betaalt meer",
	    .same = "Geen verschil",
	    .monthly = "Maandelijkse volumes (kWh)",
	    .col_month = "Maand",
	    .col_consumption = "Verbruik",
	    .col_self = "Eigen verbruik",
	    .col_shared = "Gedeelde energie",
	    .col_complementary = "Aanvullend",
	    .col_injected = "Geïnjecteerd",
	    .col_production = "Productie",
	    .col_time = "Uur",
	    .chart_months = "Maandelijkse volumes",
	    .chart_day = "Gemiddelde dag (kWh per kwartier)",
	    .axis_kwh = "kWh",
	    .months = {"januari", "februari", "maart", "april", "mei", "juni",
		       "juli", "augustus", "september", "oktober", "november",
		       "december"},
	},
    [CAB_LANG_EN] =
	{
	    .sheet = "Invoice",
	    .title = "Shared energy invoice",
	    .community = "Community",
	    .participant = "Participant",
	    .period = "Period",
	    .period_fmt = "%02d/%02d/%04d to %02d/%02d/%04d",
	    .variant = "Variant",
	    .col_line = "Line",
	    .col_quantity = "Quantity (kWh)",
	    .col_unit_price = "Unit price (EUR)",
	    .col_amount = "Amount (EUR)",
	    .total = "Total",
	    .alone = "Alone (without the community)",
	    .gain = "You save",
	    .pay_more = "You pay more",
	    .same = "No difference",
	    .monthly = "Monthly volumes (kWh)",
	    .col_month = "Month",
	    .col_consumption = "Consumption",
	    .col_self = "Own use",
	    .col_shared = "Shared energy",
	    .col_complementary = "Complementary",
	    .col_injected = "Injected",
	    .col_production = "Production",
	    .col_time = "Time",
	    .chart_months = "Monthly volumes",
	    .chart_day = "Average day (kWh per quarter-hour)",
	    .axis_kwh = "kWh",
	    .months = {"January", "February", "March", "April", "May", "June",
		       "July", "August", "September", "October", "November",
		       "December"},
	},
};

/* Bill line labels by stable id (engine/bill.c), fr / nl / en. */
static const struct {
	const char *id;
	const char *label[3];
} LINE_LABELS[] = {
    {"shared_energy",
     {"Énergie partagée", "Gedeelde energie", "Shared energy"}},
    {"supplier", {"Fourniture", "Levering", "Supply"}},
    {"supplier_day", {"Fourniture (jour)", "Levering (dag)", "Supply (day)"}},
    {"supplier_night",
     {"Fourniture (nuit)", "Levering (nacht)", "Supply (night)"}},
    {"supplier_fixed",
     {"Redevance fournisseur (par an)",
      "Vaste vergoeding leverancier (per jaar)",
      "Supplier fixed fee (per year)"}},
    {"network",
     {"Réseau (énergie complémentaire)", "Netwerk (aanvullende energie)",
      "Network (complementary energy)"}},
    {"network_shared",
     {"Réseau (énergie partagée)", "Netwerk (gedeelde energie)",
      "Network (shared energy)"}},
    {"network_fixed",
     {"Réseau, terme fixe (par an)", "Netwerk, vaste term (per jaar)",
      "Network fixed fee (per year)"}},
    {"taxes",
     {"Taxes et surcharges", "Heffingen en toeslagen", "Taxes and surcharges"}},
    {"vat", {"TVA", "Btw", "VAT"}},
    {"shared_sold",
     {"Énergie partagée vendue", "Verkochte gedeelde energie",
      "Shared energy sold"}},
    {"injection",
     {"Injection (non partagée)", "Injectie (niet gedeeld)",
      "Injection (not shared)"}},
    {"pot_share",
     {"Part du pot commun", "Aandeel in de gemeenschappelijke pot",
      "Share of the common pot"}},
};

static const char *line_label(const char *id, int lang)
{
	for (size_t k = 0; k < sizeof(LINE_LABELS) / sizeof(LINE_LABELS[0]);
	     k++)
		if (strcmp(LINE_LABELS[k].id, id) == 0)
			return LINE_LABELS[k].label[lang];
	return id;
}

/* One workbook being written; `e` keeps the first libxlsxwriter error so
 * that each cell call is checked without a test after every line. */
struct book {
	lxw_workbook *wb;
	lxw_worksheet *ws;   /* the invoice sheet */
	lxw_worksheet *data; /* average day, for the chart */
	lxw_error e;	     /* first error, LXW_NO_ERROR if none */
	lxw_format *title, *bold, *head, *head_num, *kwh, *eur, *price, *pct,
	    *total_label, *total_eur;
};

static void note(struct book *b, lxw_error e)
{
	if (!b->e)
		b->e = e;
}

static void put_str(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		    const char *s, lxw_format *f)
{
	if (!b->e)
		b->e = worksheet_write_string(ws, r, c, s, f);
}

static void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		    double v, lxw_format *f)
{
	if (!b->e && isfinite(v))
		b->e = worksheet_write_number(ws, r, c, v, f);
}

static lxw_format *new_format(struct book *b)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return f;
}

static void make_formats(struct book *b)
{
	const lxw_color_t fill = 0xDDEBF7; /* light blue header fill */
	if (!(b->title = new_format(b)) || !(b->bold = new_format(b)) ||
	    !(b->head = new_format(b)) || !(b->head_num = new_format(b)) ||
	    !(b->kwh = new_format(b)) || !(b->eur = new_format(b)) ||
	    !(b->price = new_format(b)) || !(b->pct = new_format(b)) ||
	    !(b->total_label = new_format(b)) ||
	    !(b->total_eur = new_format(b)))
		return;
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	format_set_bold(b->bold);
	format_set_bold(b->head);
	format_set_bg_color(b->head, fill);
	format_set_bottom(b->head, LXW_BORDER_THIN);
	format_set_bold(b->head_num);
	format_set_bg_color(b->head_num, fill);
	format_set_bottom(b->head_num, LXW_BORDER_THIN);
	format_set_align(b->head_num, LXW_ALIGN_RIGHT);
	format_set_text_wrap(b->head_num);
	format_set_num_format(b->kwh, "#,##0.000");
	format_set_num_format(b->eur, "#,##0.00 €");
	format_set_num_format(b->price, "#,##0.0000 €");
	format_set_num_format(b->pct, "0%");
	format_set_bold(b->total_label);
	format_set_top(b->total_label, LXW_BORDER_THIN);
	format_set_bold(b->total_eur);
	format_set_top(b->total_eur, LXW_BORDER_THIN);
	format_set_num_format(b->total_eur, "#,##0.00 €");
}

/* Header: title, community, participant, period, variant. Returns the
 * next free row. */
static lxw_row_t write_header(struct book *b, const struct cab_run *run,
			      size_t i, const struct xlsx_words *w)
{
	const struct cab_scenario *sc = run->sc;
	lxw_row_t r = 0;
	put_str(b, b->ws, r++, 0, w->title, b->title);
	r++;
	put_str(b, b->ws, r, 0, w->community, b->bold);
	put_str(b, b->ws, r++, 1, sc->name ? sc->name : "", NULL);
	put_str(b, b->ws, r, 0, w->participant, b->bold);
	put_str(b, b->ws, r++, 1, sc->participants[i].id, NULL);

	/* The scenario's end is exclusive; people read the last day billed. */
	int ey, em, ed;
	cab_time_civil_from_days(
	    cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d) - 1, &ey,
	    &em, &ed);
	char period[96];
	snprintf(period, sizeof(period), w->period_fmt, sc->start_d,
		 sc->start_m, sc->start_y, ed, em, ey);
	put_str(b, b->ws, r, 0, w->period, b->bold);
	put_str(b, b->ws, r++, 1, period, NULL);
	if (run->variant) {
		put_str(b, b->ws, r, 0, w->variant, b->bold);
		put_str(b, b->ws, r++, 1, run->variant, NULL);
	}
	return r + 1;
}

/* Texts of the pot's key block, per language (SPEC §3): the title, the
 * share paid, the weight under the key, then the criteria in enum
 * cab_criterion order. */
static const char *const pot_words[3][3 + CAB_CRIT_COUNT] = {
	[CAB_LANG_FR] = {"Clé de répartition du pot commun", "Votre part du pot",
			 "Votre poids selon la clé (avant plafonds et planchers)",
			 "Part égale", "Occupants", "Consommation historique",
			 "Consommation mesurée", "Revenus", "Bâtiment (PEB × surface)"},
	[CAB_LANG_NL] = {"Verdeelsleutel van de gemeenschappelijke pot",
			 "Uw aandeel in de pot",
			 "Uw gewicht volgens de sleutel (voor plafonds en vloeren)",
			 "Gelijk deel", "Bewoners",
			 "Historisch verbruik", "Gemeten verbruik", "Inkomen",
			 "Gebouw (EPB × oppervlakte)"},
	[CAB_LANG_EN] = {"How the common pot is split", "Your share of the pot",
			 "Your weight under the key (before caps and floors)",
			 "Equal share", "Occupants", "Consumption history",
			 "Measured consumption", "Income",
			 "Building (EPB × floor area)"},
};

/* For a member of a common pot: its weight under each criterion of the
 * key (w_i^k / Σ_j w_j^k) and its final share, so a household sees why it
 * pays what it pays. Returns the row after the block. */
static lxw_row_t write_pot_key(struct book *b, const struct cab_run *run,
			       const struct cab_participant_result *p, int lang,
			       lxw_row_t r)
{
	if (p->pot < 0 || (size_t)p->pot >= run->n_pots)
		return r;
	int64_t pot_cents = run->pots[p->pot].total_cents;
	const char *const *pw = pot_words[lang >= 0 && lang < 3 ? lang : 0];
	/* Shares need two decimals (34.29 %, not 34 %); one workbook has
	 * one invoice, so this format is made once per workbook. */
	lxw_format *pct2 = new_format(b);
	if (!pct2)
		return r;
	format_set_num_format(pct2, "0.00%");
	put_str(b, b->ws, r++, 0, pw[0], b->bold);
	for (int k = 0; k < CAB_CRIT_COUNT; k++) {
		if (isnan(p->key[k]))
			continue;
		put_str(b, b->ws, r, 0, pw[3 + k], NULL);
		put_num(b, b->ws, r++, 3, p->key[k], pct2);
	}
	put_str(b, b->ws, r, 0, pw[2], NULL);
	put_num(b, b->ws, r++, 3, p->pot_weight, pct2);
	if (pot_cents != 0) {
		put_str(b, b->ws, r, 0, pw[1], b->bold);
		put_num(b, b->ws, r++, 3,
			(double)p->bill.total_cents / (double)pot_cents, pct2);
	}
	return r + 1;
}

/* The bill, its total, the baseline and the difference. Returns the last
 * row written (end of the print area). */
static lxw_row_t write_bill(struct book *b, const struct cab_run *run,
			    const struct cab_participant_result *p, int lang,
			    const struct xlsx_words *w, lxw_row_t r)
{
	put_str(b, b->ws, r, 0, w->col_line, b->head);
	put_str(b, b->ws, r, 1, w->col_quantity, b->head_num);
	put_str(b, b->ws, r, 2, w->col_unit_price, b->head_num);
	put_str(b, b->ws, r++, 3, w->col_amount, b->head_num);
	for (size_t k = 0; k < p->bill.n_lines; k++, r++) {
		const struct cab_bill_line *l = &p->bill.lines[k];
		put_str(b, b->ws, r, 0, line_label(l->name, lang), NULL);
		if (l->has_quantity)
			put_num(b, b->ws, r, 1, l->quantity_kwh, b->kwh);
		if (l->has_unit_price)
			put_num(b, b->ws, r, 2, l->unit_price_eur,
				strcmp(l->name, "vat") == 0 ? b->pct
				: l->has_quantity	    ? b->price
							    : b->eur);
		put_num(b, b->ws, r, 3, (double)l->amount_cents / 100.0,
			b->eur);
	}
	put_str(b, b->ws, r, 0, w->total, b->total_label);
	put_str(b, b->ws, r, 1, "", b->total_label);
	put_str(b, b->ws, r, 2, "", b->total_label);
	put_num(b, b->ws, r++, 3, (double)p->bill.total_cents / 100.0,
		b->total_eur);
	r++;
	r = write_pot_key(b, run, p, lang, r);
	/* A meterless member of a pot has no bill of its own to compare. */
	if (p->is_without_baseline)
		return r - 2;
	put_str(b, b->ws, r, 0, w->alone, NULL);
	put_num(b, b->ws, r++, 3, (double)p->baseline.total_cents / 100.0,
		b->eur);
	/* delta = bill − baseline: a negative delta is a gain. */
	int64_t d = p->delta_cents;
	put_str(b, b->ws, r, 0,
		d < 0	? w->gain
		: d > 0 ? w->pay_more
			: w->same,
		b->bold);
	put_num(b, b->ws, r, 3, (double)(d < 0 ? -d : d) / 100.0, b->total_eur);
	return r;
}

/* Monthly volumes table; returns the row after it. Sets *first and *last
 * to the rows of the month values (for the chart). */
static lxw_row_t write_months(struct book *b, const struct cab_run *run,
			      const struct cab_participant_result *p,
			      const struct xlsx_words *w, lxw_row_t r,
			      lxw_row_t *first, lxw_row_t *last)
{
	put_str(b, b->ws, r++, 0, w->monthly, b->bold);
	put_str(b, b->ws, r, 0, w->col_month, b->head);
	put_str(b, b->ws, r, 1, w->col_consumption, b->head_num);
	put_str(b, b->ws, r, 2, w->col_self, b->head_num);
	put_str(b, b->ws, r, 3, w->col_shared, b->head_num);
	put_str(b, b->ws, r, 4, w->col_complementary, b->head_num);
	put_str(b, b->ws, r++, 5, w->col_injected, b->head_num);
	*first = r;
	for (size_t m = 0; m < run->n_months && p->month; m++, r++) {
		const struct cab_month *mo = &run->months[m];
		const struct cab_volumes *v = &p->month[m];
		char label[48];
		int k = mo->month >= 1 && mo->month <= 12 ? mo->month - 1 : 0;
		snprintf(label, sizeof(label), "%s %04d", w->months[k],
			 mo->year);
		put_str(b, b->ws, r, 0, label, NULL);
		put_num(b, b->ws, r, 1, v->consumption_kwh, b->kwh);
		put_num(b, b->ws, r, 2, v->self_consumed_kwh, b->kwh);
		put_num(b, b->ws, r, 3, v->shared_kwh, b->kwh);
		put_num(b, b->ws, r, 4, v->complementary_kwh, b->kwh);
		put_num(b, b->ws, r, 5, v->injected_kwh, b->kwh);
	}
	*last = r ? r - 1 : 0;
	return r;
}

/* The average day on sheet "data": row 0 the header, rows 1..96 the mean
 * kWh per quarter-hour of local time for consumption, production, shared
 * energy. Missing values (NaN) are skipped; a slot with no value stays
 * empty (the spring DST day has no 02:xx, so a one-day run may lack it).
 * slot_of[t] is interval t's quarter-hour of the local day (0..95). */
static void write_average_day(struct book *b, const struct cab_run *run,
			      const struct cab_participant_result *p,
			      const uint8_t *slot_of,
			      const struct xlsx_words *w)
{
	double sum[3][SLOTS_PER_DAY] = {{0}};
	size_t count[3][SLOTS_PER_DAY] = {{0}};
	const double *series[3] = {p->consumption_kwh, p->production_kwh,
				   p->shared_kwh};
	for (int s = 0; s < 3; s++) {
		if (!series[s])
			continue;
		for (size_t t = 0; t < run->n_intervals; t++) {
			if (isnan(series[s][t]))
				continue;
			sum[s][slot_of[t]] += series[s][t];
			count[s][slot_of[t]]++;
		}
	}
	put_str(b, b->data, 0, 0, w->col_time, b->head);
	put_str(b, b->data, 0, 1, w->col_consumption, b->head_num);
	put_str(b, b->data, 0, 2, w->col_production, b->head_num);
	put_str(b, b->data, 0, 3, w->col_shared, b->head_num);
	for (int slot = 0; slot < SLOTS_PER_DAY; slot++) {
		char hhmm[8];
		snprintf(hhmm, sizeof(hhmm), "%02d:%02d", slot / 4,
			 slot % 4 * 15);
		put_str(b, b->data, (lxw_row_t)slot + 1, 0, hhmm, NULL);
		for (int s = 0; s < 3; s++)
			if (count[s][slot])
				put_num(b, b->data, (lxw_row_t)slot + 1,
					(lxw_col_t)(s + 1),
					sum[s][slot] / (double)count[s][slot],
					b->kwh);
	}
	if (!b->e)
		b->e = worksheet_set_column(b->data, 0, 0, 10, NULL);
	if (!b->e)
		b->e = worksheet_set_column(b->data, 1, 3, 16, NULL);
}

static void add_series(struct book *b, lxw_chart *chart, const char *sheet,
		       lxw_row_t r0, lxw_row_t r1, lxw_col_t col,
		       const char *name)
{
	lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
	if (!s) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	chart_series_set_categories(s, sheet, r0, 0, r1, 0);
	chart_series_set_values(s, sheet, r0, col, r1, col);
	chart_series_set_name(s, name);
}

/* Chart of the months (shared, complementary, consumption) and chart of
 * the average day, placed one below the other from row r. */
static void write_charts(struct book *b, const struct xlsx_words *w,
			 lxw_row_t r, lxw_row_t m0, lxw_row_t m1,
			 bool has_months)
{
	if (b->e)
		return;
	if (has_months) {
		lxw_chart *c = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
		if (!c) {
			note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		add_series(b, c, w->sheet, m0, m1, 3, w->col_shared);
		add_series(b, c, w->sheet, m0, m1, 4, w->col_complementary);
		add_series(b, c, w->sheet, m0, m1, 1, w->col_consumption);
		chart_title_set_name(c, w->chart_months);
		chart_axis_set_name(c->y_axis, w->axis_kwh);
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		if (!b->e)
			b->e = worksheet_insert_chart(b->ws, r, 0, c);
		r += 16;
	}
	lxw_chart *d = workbook_add_chart(b->wb, LXW_CHART_LINE);
	if (!d) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	add_series(b, d, "data", 1, SLOTS_PER_DAY, 1, w->col_consumption);
	add_series(b, d, "data", 1, SLOTS_PER_DAY, 2, w->col_production);
	add_series(b, d, "data", 1, SLOTS_PER_DAY, 3, w->col_shared);
	chart_title_set_name(d, w->chart_day);
	chart_axis_set_name(d->y_axis, w->axis_kwh);
	chart_axis_set_interval_unit(d->x_axis, 8); /* a label every 2 h */
	chart_legend_set_position(d, LXW_CHART_LEGEND_BOTTOM);
	if (!b->e)
		b->e = worksheet_insert_chart(b->ws, r, 0, d);
}

/* Write participant i's workbook at `path`. */
static enum cab_status write_one(const struct cab_run *run, size_t i, int lang,
				 const uint8_t *slot_of, const char *path,
				 struct cab_err *err)
{
	const struct xlsx_words *w = &WORDS[lang];
	const struct cab_participant_result *p = &run->p[i];
	struct book b = {0};
	lxw_workbook_options o = {.constant_memory = LXW_FALSE,
				  .tmpdir = NULL,
				  .use_zip64 = LXW_FALSE};
	b.wb = workbook_new_opt(path, &o);
	if (!b.wb)
		return cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
				   lxw_strerror(LXW_ERROR_CREATING_XLSX_FILE));

	lxw_doc_properties props = {.title = (char *)w->title,
				    .author = "cabine",
				    .created = (time_t)XLSX_CREATED_S};
	note(&b, workbook_set_properties(b.wb, &props));
	make_formats(&b);
	if (!b.e && !(b.ws = workbook_add_worksheet(b.wb, w->sheet)))
		note(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	if (!b.e && !(b.data = workbook_add_worksheet(b.wb, "data")))
		note(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);

	if (!b.e) {
		lxw_row_t r = write_header(&b, run, i, w);
		lxw_row_t bill_end = write_bill(&b, run, p, lang, w, r);
		lxw_row_t m0, m1;
		r = write_months(&b, run, p, w, bill_end + 2, &m0, &m1);
		write_average_day(&b, run, p, slot_of, w);
		write_charts(&b, w, r + 1, m0, m1,
			     run->n_months > 0 && p->month);

		if (!b.e)
			b.e = worksheet_set_column(b.ws, 0, 0, 36, NULL);
		if (!b.e)
			b.e = worksheet_set_column(b.ws, 1, 5, 17, NULL);
		worksheet_set_paper(b.ws, 9); /* A4 */
		worksheet_set_portrait(b.ws);
		worksheet_set_margins(b.ws, 0.6, 0.6, 0.75, 0.75);
		worksheet_fit_to_pages(b.ws, 1, 0);
		if (!b.e)
			b.e = worksheet_print_area(b.ws, 0, 0, bill_end, 3);
		worksheet_activate(b.ws);
	}

	/* workbook_close frees the workbook even after an error. */
	lxw_error e = workbook_close(b.wb);
	if (b.e)
		e = b.e;
	if (e) {
		unlink(path);
		return cab_err_add(
		    err,
		    e == LXW_ERROR_MEMORY_MALLOC_FAILED ? CAB_ENOMEM : CAB_EIO,
		    "%s: cannot write (%s)", path, lxw_strerror(e));
	}
	return CAB_OK;
}

static enum cab_status write_invoices(const struct cab_run *run,
				      const struct cab_report_opts *opts,
				      const char *dir, struct cab_err *err)
{
	char sub[4096];
	if ((size_t)snprintf(sub, sizeof(sub), "%s/invoices", dir) >=
	    sizeof(sub))
		return cab_err_add(err, CAB_EIO, "%s/invoices: path too long",
				   dir);
	if (mkdir(sub, 0777) != 0 && errno != EEXIST)
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)", sub,
				   strerror(errno));
	/* The local quarter-hour of each interval is the same for everyone:
	 * computed once, not once per participant. */
	uint8_t *slot_of = malloc(run->n_intervals ? run->n_intervals : 1);
	if (!slot_of)
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", sub);
	for (size_t t = 0; t < run->n_intervals; t++) {
		struct cab_civil c;
		cab_time_to_local(run->t0_s + (int64_t)t * CAB_INTERVAL_S, &c);
		slot_of[t] = (uint8_t)((c.hour * 60 + c.minute) / 15);
	}
	enum cab_status st = CAB_OK;
	for (size_t i = 0; i < run->n && st == CAB_OK; i++) {
		int lang = opts && opts->lang >= 0
			       ? opts->lang
			       : (int)run->sc->participants[i].lang;
		if (lang < CAB_LANG_FR || lang > CAB_LANG_EN)
			lang = CAB_LANG_FR;
		char safe[128], path[4096 + 160];
		cab_report_safe_name(run->sc->participants[i].id, safe,
				     sizeof(safe));
		snprintf(path, sizeof(path), "%s/%s.xlsx", sub, safe);
		st = write_one(run, i, lang, slot_of, path, err);
	}
	free(slot_of);
	return st;
}

const struct cab_report_ops cab_report_invoices_xlsx = {"invoices",
							write_invoices};
