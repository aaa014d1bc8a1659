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
 * Workload: one workbook per participant, up to ~10,000 of them; the
 * average day reads each participant's three interval series once
 * (35 040 values each for a year), the rest is a few dozen cells. A
 * workbook costs ~2.5 ms of CPU, nearly all inside libxlsxwriter and zlib,
 * so the invoices are shared among --jobs worker processes
 * (reports/workers.c) and libxlsxwriter's temporary files go to /dev/shm
 * (docs/PERFORMANCE.md).
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

#include "cabine/alerts.h"
#include "cabine/report.h"
#include "cabine/time.h"
#include "reports/io.h"
#include "reports/workers.h"
#include "reports/xlsx/book.h"

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
	const char *gain;      /* bill < baseline */
	const char *pay_more;  /* bill > baseline */
	const char *same;      /* bill = baseline */
	const char *missing;   /* printf: %s missing, %s intervals (grouped) */
	const char *filled;    /* printf: %s filled intervals */
	const char *thousands; /* digit group separator in counts */
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

static const struct xlsx_words WORDS[3] =
    {
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
		.missing = "Données manquantes : %s quarts d'heure sur %s "
			   "sans mesure valide",
		.filled = "Données complétées (estimées) : %s quarts d'heure",
		.thousands = "\xE2\x80\xAF", /* narrow no-break space */
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
			   "juillet", "août", "septembre", "octobre",
			   "novembre", "décembre"},
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
		.missing = "Ontbrekende gegevens: %s van %s kwartieren zonder "
			   "geldige meting",
		.filled = "Aangevulde (geschatte) gegevens: %s kwartieren",
		.thousands = ".",
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
		.months = {"januari", "februari", "maart", "april", "mei",
			   "juni", "juli", "augustus", "september", "oktober",
			   "november", "december"},
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
		.missing = "Missing data: %s of %s quarter-hours without a "
			   "valid reading",
		.filled = "Filled-in (estimated) data: %s quarter-hours",
		.thousands = ",",
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
		.months = {"January", "February", "March", "April", "May",
			   "June", "July", "August", "September",
			   "October", "November", "December"},
	    },
};

/* Bill line labels by stable id (engine/billing/bill.c), fr / nl / en. */
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

/* struct book and the shared helpers: reports/xlsx/book.h. */

void note(struct book *b, lxw_error e)
{
	if (!b->e)
		b->e = e;
}

void put_str(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	     const char *s, lxw_format *f)
{
	if (!b->e)
		b->e = worksheet_write_string(ws, r, c, s, f);
}

void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	     double v, lxw_format *f)
{
	if (!b->e && isfinite(v))
		b->e = worksheet_write_number(ws, r, c, v, f);
}

lxw_format *new_format(struct book *b)
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
	    !(b->total_eur = new_format(b)) || !(b->remark = new_format(b)))
		return;
	format_set_italic(b->remark);
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

/* Print a table sheet on A4, one page wide (its rows flow onto the next
 * pages) with rows 0..head repeated on top of each page: printed, a wide
 * table otherwise spreads its columns over many pages. */
void print_table(struct book *b, lxw_worksheet *ws, bool is_landscape,
		 lxw_row_t head)
{
	if (b->e || !ws)
		return;
	worksheet_set_paper(ws, 9); /* A4 */
	if (is_landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(ws, 1, 0);
	note(b, worksheet_repeat_rows(ws, 0, head));
}

/* Print a sheet of charts on A4 portrait, one page wide, a new page every
 * `every` rows (n_pages pages): a chart is never cut at a page's edge. */
void print_charts(struct book *b, lxw_worksheet *ws, lxw_row_t every,
		  size_t n_pages)
{
	if (b->e || !ws)
		return;
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_portrait(ws);
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(ws, 1, 0);
	if (n_pages < 2)
		return;
	lxw_row_t *breaks = calloc(n_pages, sizeof(*breaks)); /* 0-ended */
	if (!breaks) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t k = 1; k < n_pages; k++)
		breaks[k - 1] = (lxw_row_t)(k * every);
	note(b, worksheet_set_h_pagebreaks(ws, breaks));
	free(breaks);
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
		     "Consommation mesurée", "Revenus",
		     "Bâtiment (PEB × surface)"},
    [CAB_LANG_NL] = {"Verdeelsleutel van de gemeenschappelijke pot",
		     "Uw aandeel in de pot",
		     "Uw gewicht volgens de sleutel (voor plafonds en vloeren)",
		     "Gelijk deel", "Bewoners", "Historisch verbruik",
		     "Gemeten verbruik", "Inkomen",
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
/* n with its digits grouped by three ("35 136", "35.136", "35,136"). */
static void group_digits(size_t n, const char *sep, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%zu", n);
	size_t out = 0, seplen = strlen(sep);
	for (int i = 0; i < len && out + seplen + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			memcpy(buf + out, sep, seplen);
			out += seplen;
		}
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
}

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
	/* Gaps in the meter data are said where the total is read (SPEC §8:
	 * missing intervals are shown in every output that depends on them). */
	char note_text[200], n1[32], n2[32];
	if (p->missing_intervals) {
		group_digits(p->missing_intervals, w->thousands, n1, sizeof n1);
		group_digits(run->n_intervals, w->thousands, n2, sizeof n2);
		snprintf(note_text, sizeof(note_text), w->missing, n1, n2);
		put_str(b, b->ws, r++, 0, note_text, b->remark);
	}
	if (p->filled_intervals) {
		group_digits(p->filled_intervals, w->thousands, n1, sizeof n1);
		snprintf(note_text, sizeof(note_text), w->filled, n1);
		put_str(b, b->ws, r++, 0, note_text, b->remark);
	}
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

/* The invoice sheet's columns: A holds the labels, B..F the numbers. */
#define INVOICE_COL_A 36
#define INVOICE_COL_NUM 18 /* "Autoconsommation" in bold fits */
/* Their width in pixels (Excel's rule for the default font: 7 px a
 * character plus 5 of padding) and the charts' (half of it each, less a
 * gap): the two charts stand side by side under the months, so that the
 * whole invoice prints on one A4 page. */
#define INVOICE_WIDTH_PX                                                       \
	((INVOICE_COL_A * 7 + 5) + 5 * (INVOICE_COL_NUM * 7 + 5))
#define INVOICE_CHART_PX (INVOICE_WIDTH_PX / 2 - 6)
#define INVOICE_CHART_ROWS 18 /* 360 px high: 18 rows of 20 px */

static void insert_invoice_chart(struct book *b, lxw_row_t r, int x_px,
				 lxw_chart *chart)
{
	lxw_chart_font title = {.bold = LXW_TRUE, .size = 11};
	chart_title_set_name_font(chart, &title);
	lxw_chart_options o = {.x_offset = x_px,
			       .x_scale = INVOICE_CHART_PX / 480.0,
			       .y_scale = INVOICE_CHART_ROWS * 20 / 288.0};
	if (!b->e)
		b->e = worksheet_insert_chart_opt(b->ws, r, 0, chart, &o);
}

/* Chart of the months (shared, complementary, consumption) and, beside
 * it, chart of the average day, from row r. Returns the last row they
 * cover. */
static lxw_row_t write_charts(struct book *b, const struct xlsx_words *w,
			      lxw_row_t r, lxw_row_t m0, lxw_row_t m1,
			      bool has_months)
{
	lxw_row_t last = r + INVOICE_CHART_ROWS - 1;
	if (b->e)
		return last;
	int x = 0;
	if (has_months) {
		lxw_chart *c = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
		if (!c) {
			note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return last;
		}
		add_series(b, c, w->sheet, m0, m1, 3, w->col_shared);
		add_series(b, c, w->sheet, m0, m1, 4, w->col_complementary);
		add_series(b, c, w->sheet, m0, m1, 1, w->col_consumption);
		chart_title_set_name(c, w->chart_months);
		chart_axis_set_name(c->y_axis, w->axis_kwh);
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		insert_invoice_chart(b, r, 0, c);
		x = INVOICE_WIDTH_PX - INVOICE_CHART_PX;
	}
	lxw_chart *d = workbook_add_chart(b->wb, LXW_CHART_LINE);
	if (!d) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return last;
	}
	add_series(b, d, "data", 1, SLOTS_PER_DAY, 1, w->col_consumption);
	add_series(b, d, "data", 1, SLOTS_PER_DAY, 2, w->col_production);
	add_series(b, d, "data", 1, SLOTS_PER_DAY, 3, w->col_shared);
	chart_title_set_name(d, w->chart_day);
	chart_axis_set_name(d->y_axis, w->axis_kwh);
	chart_axis_set_interval_unit(d->x_axis, 12); /* a label every 3 h */
	chart_legend_set_position(d, LXW_CHART_LEGEND_BOTTOM);
	insert_invoice_chart(b, r, x, d);
	return last;
}

/* Write participant i's workbook at `path`. */
static enum cab_status write_one(const struct cab_run *run, size_t i, int lang,
				 const uint8_t *slot_of, const char *tmpdir,
				 const char *path, struct cab_err *err)
{
	const struct xlsx_words *w = &WORDS[lang];
	const struct cab_participant_result *p = &run->p[i];
	struct book b = {0};
	/* Not constant_memory: it would be faster (no chart caches) but a
	 * chart would then carry no values of its own, and a viewer that does
	 * not recalculate would draw it empty (docs/PERFORMANCE.md). */
	lxw_workbook_options o = {.constant_memory = LXW_FALSE,
				  .tmpdir = (char *)tmpdir,
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
		lxw_row_t end = write_charts(&b, w, r + 1, m0, m1,
					     run->n_months > 0 && p->month);

		if (!b.e)
			b.e = worksheet_set_column(b.ws, 0, 0, INVOICE_COL_A,
						   NULL);
		if (!b.e)
			b.e = worksheet_set_column(b.ws, 1, 5, INVOICE_COL_NUM,
						   NULL);
		/* The bill, the months and both charts on one A4 page. */
		worksheet_set_paper(b.ws, 9); /* A4 */
		worksheet_set_portrait(b.ws);
		worksheet_set_margins(b.ws, 0.5, 0.5, 0.6, 0.6);
		worksheet_fit_to_pages(b.ws, 1, 1);
		if (!b.e)
			b.e = worksheet_print_area(b.ws, 0, 0, end, 5);
		/* The chart's 96 rows print on one page too. */
		worksheet_set_paper(b.data, 9);
		worksheet_fit_to_pages(b.data, 1, 1);
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

/* What every invoice worker shares: borrowed, read-only. */
struct invoice_job {
	const struct cab_run *run;
	const struct cab_report_opts *opts;
	const char *sub;	/* the invoices/ folder */
	const uint8_t *slot_of; /* local quarter-hour of each interval */
	const char *tmpdir;	/* libxlsxwriter's temporary files, or NULL */
};

/* Worker k of n writes the invoices of participants k, k + n, k + 2n, …:
 * interleaved, so that every worker gets as many of each kind. */
static enum cab_status write_invoice_share(int k, int n, void *arg,
					   struct cab_err *err)
{
	const struct invoice_job *job = arg;
	const struct cab_run *run = job->run;
	enum cab_status st = CAB_OK;
	for (size_t i = (size_t)k; i < run->n && st == CAB_OK; i += (size_t)n) {
		int lang = job->opts && job->opts->lang >= 0
			       ? job->opts->lang
			       : (int)run->sc->participants[i].lang;
		if (lang < CAB_LANG_FR || lang > CAB_LANG_EN)
			lang = CAB_LANG_FR;
		char safe[128], path[4096 + 160];
		cab_report_safe_name(run->sc->participants[i].id, safe,
				     sizeof(safe));
		snprintf(path, sizeof(path), "%s/%s.xlsx", job->sub, safe);
		st = write_one(run, i, lang, job->slot_of, job->tmpdir, path,
			       err);
	}
	return st;
}

/* Where libxlsxwriter stages each part of a workbook (about sixteen small
 * files per workbook, created and deleted at once). On a disk file system
 * creating that many files dominates the cost of an invoice (ext4 scans
 * recently deleted inodes on every creation: 2.5 ms of a workbook became
 * 5–7 ms, docs/PERFORMANCE.md), so they go to the memory file system
 * /dev/shm when it is there, unless the user chose TMPDIR. NULL leaves the
 * choice to libxlsxwriter (TMPDIR, else /tmp). */
static const char *invoice_tmpdir(void)
{
	const char *env = getenv("TMPDIR");
	if (env && *env)
		return NULL;
	struct stat sb;
	if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return NULL;
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
	struct invoice_job job = {.run = run,
				  .opts = opts,
				  .sub = sub,
				  .slot_of = slot_of,
				  .tmpdir = invoice_tmpdir()};
	/* No idle worker: at most one per participant. */
	int jobs = opts ? opts->jobs : 1;
	if (jobs > 1 && (size_t)jobs > run->n)
		jobs = (int)run->n;
	enum cab_status st = cab_report_workers_run_opts(
	    opts, jobs, write_invoice_share, &job, err);
	free(slot_of);
	return st;
}

const struct cab_report_ops cab_report_invoices_xlsx = {"invoices",
							write_invoices};

/*
 * compare.xlsx (`cabine compare`): the assembly's view of its variants.
 *
 * First sheet: one row per participant (by id) with the bill billed alone,
 * the bill under the base scenario and under each variant, the spread
 * (max − min of those bills) and, per scenario, the difference against
 * billing alone, green when the participant gains and red when it loses
 * (conditional formats, so the colours follow the stored values); a
 * totals row; a clustered column chart of the bills. Then one sheet per
 * run with its volumes, bills and indicators. Every number is a stored
 * value; the creation date is fixed as for the invoices.
 */

/* Texts of compare.xlsx, in one language. */
struct compare_words {
	const char *sheet; /* first sheet's name */
	const char *title;
	const char *community;
	const char *participant;
	const char *alone;    /* column: billed alone */
	const char *spread;   /* column: max − min over the scenarios */
	const char *vs_alone; /* printf: "%s" a run name; bill − alone */
	const char *total;
	const char *chart;
	const char *axis_eur;
	const char *variant;
	const char *key;
	const char *billing;
	const char *modes[3]; /* enum cab_billing_mode */
	const char *col_consumption;
	const char *col_shared;
	const char *col_complementary;
	const char *col_injected;
	const char *col_bill;
	const char *col_delta;
	const char *self_consumption;
	const char *self_sufficiency;
	const char *legend; /* how to read the colours */
};

static const struct compare_words CWORDS[3] = {
    [CAB_LANG_FR] =
	{
	    .sheet = "Comparaison",
	    .title = "Comparaison des variantes (factures en €)",
	    .community = "Communauté",
	    .participant = "Participant",
	    .alone = "Seul (€)",
	    .spread = "Écart max − min (€)",
	    .vs_alone = "%s − seul (€)",
	    .total = "Total",
	    .chart = "Facture par participant et par variante",
	    .axis_eur = "€",
	    .variant = "Variante",
	    .key = "Clé de répartition",
	    .billing = "Facturation",
	    .modes = {"individuelle", "partagée", "pot commun"},
	    .col_consumption = "Consommation (kWh)",
	    .col_shared = "Énergie partagée (kWh)",
	    .col_complementary = "Complémentaire (kWh)",
	    .col_injected = "Injectée (kWh)",
	    .col_bill = "Facture (€)",
	    .col_delta = "Différence (€)",
	    .self_consumption = "Taux d'autoconsommation collective",
	    .self_sufficiency = "Taux d'autosuffisance",
	    .legend = "Vert : le participant paie moins que seul ; rouge : "
		      "il paie plus.",
	},
    [CAB_LANG_NL] =
	{
	    .sheet = "Vergelijking",
	    .title = "Vergelijking van de varianten (facturen in €)",
	    .community = "Gemeenschap",
	    .participant = "Deelnemer",
	    .alone = "Alleen (€)",
	    .spread = "Verschil max − min (€)",
	    .vs_alone = "%s − alleen (€)",
	    .total = "Totaal",
	    .chart = "Factuur per deelnemer en per variant",
	    .axis_eur = "€",
	    .variant = "Variant",
	    .key = "Verdeelsleutel",
	    .billing = "Facturatie",
	    .modes = {"individueel", "gedeeld", "gemeenschappelijke pot"},
	    .col_consumption = "Verbruik (kWh)",
	    .col_shared = "Gedeelde energie (kWh)",
	    .col_complementary = "Aanvullend (kWh)",
	    .col_injected = "Geïnjecteerd (kWh)",
	    .col_bill = "Factuur (€)",
	    .col_delta = "Verschil (€)",
	    .self_consumption = "Collectieve zelfconsumptiegraad",
	    .self_sufficiency = "Zelfvoorzieningsgraad",
	    .legend = "Groen: de deelnemer betaalt minder dan alleen; rood: "
		      "meer.",
	},
    [CAB_LANG_EN] =
	{
	    .sheet = "Comparison",
	    .title = "Comparison of the variants (bills in EUR)",
	    .community = "Community",
	    .participant = "Participant",
	    .alone = "Alone (EUR)",
	    .spread = "Spread max − min (EUR)",
	    .vs_alone = "%s − alone (EUR)",
	    .total = "Total",
	    .chart = "Bill per participant and variant",
	    .axis_eur = "EUR",
	    .variant = "Variant",
	    .key = "Sharing key",
	    .billing = "Billing",
	    .modes = {"individual", "shared", "common pot"},
	    .col_consumption = "Consumption (kWh)",
	    .col_shared = "Shared energy (kWh)",
	    .col_complementary = "Complementary (kWh)",
	    .col_injected = "Injected (kWh)",
	    .col_bill = "Bill (EUR)",
	    .col_delta = "Difference (EUR)",
	    .self_consumption = "Collective self-consumption rate",
	    .self_sufficiency = "Self-sufficiency rate",
	    .legend = "Green: the participant pays less than alone; red: "
		      "more.",
	},
};

#define SHEET_NAME_MAX 31 /* Excel's limit, in characters */

/* ASCII case-insensitive equality: Excel treats "Base" and "base" as the
 * same sheet. */
static bool same_sheet_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		int cb = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
		if (ca != cb)
			return false;
	}
	return *a == *b;
}

/* Copy at most max_chars UTF-8 characters of s into buf (size ≥ 4·max+1),
 * never cutting a character. */
static void utf8_prefix(const char *s, size_t max_chars, char *buf, size_t size)
{
	size_t n = 0, chars = 0;
	while (s[n] && chars < max_chars) {
		size_t len = 1;
		while ((s[n + len] & 0xC0) == 0x80)
			len++;
		if (n + len + 1 > size)
			break;
		n += len;
		chars++;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
}

/* A sheet name from a run name that Excel accepts: none of []:*?/\, no
 * apostrophe at either end, 1 to 31 characters, not "History", and unlike
 * every name in taken[0..n_taken) (case-insensitively), with "~2", "~3"…
 * appended when needed. buf holds at least 4·31+1 bytes. */
void sheet_name(const char *name, const char *const *taken, size_t n_taken,
		char *buf, size_t size)
{
	char clean[256];
	size_t n = 0;
	for (const char *s = name; *s && n + 1 < sizeof(clean); s++)
		clean[n++] = strchr("[]:*?/\\", *s) ? '_' : *s;
	clean[n] = 0;
	if (n && clean[0] == '\'')
		clean[0] = '_';
	if (n && clean[n - 1] == '\'')
		clean[n - 1] = '_';
	if (!n)
		snprintf(clean, sizeof(clean), "variant");
	for (unsigned k = 1;; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof(suffix), "~%u", k);
		utf8_prefix(clean, SHEET_NAME_MAX - strlen(suffix), buf, size);
		strncat(buf, suffix, size - strlen(buf) - 1);
		/* Truncation may leave an apostrophe at the end. */
		size_t len = strlen(buf);
		if (len && buf[len - 1] == '\'')
			buf[len - 1] = '_';
		/* Excel reserves "History" for its change tracking. */
		bool is_taken = same_sheet_name(buf, "History");
		for (size_t j = 0; j < n_taken && !is_taken; j++)
			is_taken = same_sheet_name(buf, taken[j]);
		if (!is_taken)
			return;
	}
}

static double eur(int64_t cents)
{
	return (double)cents / 100.0;
}

/* One run's sheet: key and billing mode, one row per participant with
 * volumes, bill, baseline and difference, a totals row, the indicators. */
static void write_run_sheet(struct book *b, lxw_worksheet *ws,
			    const struct cab_run *run, const size_t *order,
			    const struct compare_words *w)
{
	lxw_row_t r = 0;
	put_str(b, ws, r, 0, w->variant, b->bold);
	put_str(b, ws, r++, 1, cab_report_run_name(run), NULL);
	char key[64];
	snprintf(key, sizeof(key), "%s%s", run->sharing.key,
		 run->sharing.is_until_done ? " (until-done)" : "");
	put_str(b, ws, r, 0, w->key, b->bold);
	put_str(b, ws, r++, 1, key, NULL);
	int mode = (int)run->billing.mode;
	put_str(b, ws, r, 0, w->billing, b->bold);
	put_str(b, ws, r++, 1, mode >= 0 && mode < 3 ? w->modes[mode] : "?",
		NULL);
	r++;
	const char *heads[] = {w->participant,	w->col_consumption,
			       w->col_shared,	w->col_complementary,
			       w->col_injected, w->col_bill,
			       w->alone,	w->col_delta};
	for (lxw_col_t c = 0; c < 8; c++)
		put_str(b, ws, r, c, heads[c], c ? b->head_num : b->head);
	r++;
	struct cab_volumes sum = {0};
	for (size_t k = 0; k < run->n; k++, r++) {
		size_t i = order[k];
		const struct cab_participant_result *p = &run->p[i];
		put_str(b, ws, r, 0, run->sc->participants[i].id, NULL);
		put_num(b, ws, r, 1, p->total.consumption_kwh, b->kwh);
		put_num(b, ws, r, 2, p->total.shared_kwh, b->kwh);
		put_num(b, ws, r, 3, p->total.complementary_kwh, b->kwh);
		put_num(b, ws, r, 4, p->total.injected_kwh, b->kwh);
		put_num(b, ws, r, 5, eur(p->bill.total_cents), b->eur);
		put_num(b, ws, r, 6, eur(p->baseline.total_cents), b->eur);
		put_num(b, ws, r, 7, eur(p->delta_cents), b->eur);
		sum.consumption_kwh += p->total.consumption_kwh;
		sum.shared_kwh += p->total.shared_kwh;
		sum.complementary_kwh += p->total.complementary_kwh;
		sum.injected_kwh += p->total.injected_kwh;
	}
	put_str(b, ws, r, 0, w->total, b->total_label);
	put_num(b, ws, r, 1, sum.consumption_kwh, b->total_label);
	put_num(b, ws, r, 2, sum.shared_kwh, b->total_label);
	put_num(b, ws, r, 3, sum.complementary_kwh, b->total_label);
	put_num(b, ws, r, 4, sum.injected_kwh, b->total_label);
	put_num(b, ws, r, 5, eur(run->total_bill_cents), b->total_eur);
	put_num(b, ws, r, 6, eur(run->total_baseline_cents), b->total_eur);
	put_num(b, ws, r++, 7,
		eur(run->total_bill_cents - run->total_baseline_cents),
		b->total_eur);
	r++;
	/* A rate is NaN when nothing was shared or consumed: the cell stays
	 * empty rather than showing a made-up 0 %. */
	put_str(b, ws, r, 0, w->self_consumption, b->bold);
	put_num(b, ws, r++, 1, run->ind.self_consumption_rate, b->pct);
	put_str(b, ws, r, 0, w->self_sufficiency, b->bold);
	put_num(b, ws, r, 1, run->ind.self_sufficiency_rate, b->pct);
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 34, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 7, 16, NULL);
	print_table(b, ws, true, 0);
}

/* The comparison sheet (b->ws): see the block comment above. */
static void write_compare_sheet(struct book *b,
				const struct cab_run *const *runs,
				size_t n_runs, const size_t *order,
				const struct compare_words *w, lxw_format *gain,
				lxw_format *loss)
{
	const struct cab_run *base = runs[0];
	lxw_worksheet *ws = b->ws;
	lxw_row_t r = 0;
	put_str(b, ws, r++, 0, w->title, b->title);
	put_str(b, ws, r, 0, w->community, b->bold);
	put_str(b, ws, r++, 1, base->sc->name ? base->sc->name : "", NULL);
	put_str(b, ws, r++, 0, w->legend, NULL);
	r++;
	/* Columns: 0 id, 1 alone, 2..2+n_runs-1 bills, then the spread,
	 * then one difference per run. */
	lxw_col_t c_spread = (lxw_col_t)(2 + n_runs);
	lxw_col_t c_delta = (lxw_col_t)(3 + n_runs);
	lxw_row_t head = r;
	put_str(b, ws, r, 0, w->participant, b->head);
	put_str(b, ws, r, 1, w->alone, b->head_num);
	for (size_t k = 0; k < n_runs; k++) {
		char label[160];
		snprintf(label, sizeof(label), "%s (%s)",
			 cab_report_run_name(runs[k]), w->axis_eur);
		put_str(b, ws, r, (lxw_col_t)(2 + k), label, b->head_num);
		snprintf(label, sizeof(label), w->vs_alone,
			 cab_report_run_name(runs[k]));
		put_str(b, ws, r, (lxw_col_t)(c_delta + k), label, b->head_num);
	}
	put_str(b, ws, r++, c_spread, w->spread, b->head_num);
	lxw_row_t first = r;
	for (size_t k = 0; k < base->n; k++, r++) {
		size_t i = order[k];
		/* The baseline does not depend on the variant: the base's. */
		int64_t alone = base->p[i].baseline.total_cents;
		put_str(b, ws, r, 0, base->sc->participants[i].id, NULL);
		put_num(b, ws, r, 1, eur(alone), b->eur);
		int64_t lo = 0, hi = 0;
		for (size_t v = 0; v < n_runs; v++) {
			int64_t bill = runs[v]->p[i].bill.total_cents;
			lo = v == 0 || bill < lo ? bill : lo;
			hi = v == 0 || bill > hi ? bill : hi;
			put_num(b, ws, r, (lxw_col_t)(2 + v), eur(bill),
				b->eur);
			put_num(b, ws, r, (lxw_col_t)(c_delta + v),
				eur(bill - alone), b->eur);
		}
		put_num(b, ws, r, c_spread, eur(hi - lo), b->eur);
	}
	lxw_row_t last = r - 1;
	put_str(b, ws, r, 0, w->total, b->total_label);
	put_num(b, ws, r, 1, eur(base->total_baseline_cents), b->total_eur);
	int64_t lo = 0, hi = 0;
	for (size_t v = 0; v < n_runs; v++) {
		int64_t bill = runs[v]->total_bill_cents;
		lo = v == 0 || bill < lo ? bill : lo;
		hi = v == 0 || bill > hi ? bill : hi;
		put_num(b, ws, r, (lxw_col_t)(2 + v), eur(bill), b->total_eur);
		put_num(b, ws, r, (lxw_col_t)(c_delta + v),
			eur(bill - base->total_baseline_cents), b->total_eur);
	}
	put_num(b, ws, r, c_spread, eur(hi - lo), b->total_eur);
	lxw_row_t totals = r;

	/* Gains in green, losses in red: on the differences (cell < 0 or
	 * > 0) and on the bills themselves (compared with column B). */
	if (!b->e && base->n) {
		lxw_col_t c_last = (lxw_col_t)(c_delta + n_runs - 1);
		lxw_conditional_format cf = {0};
		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
		cf.value = 0;
		cf.format = gain;
		note(b, worksheet_conditional_format_range(
			    ws, first, c_delta, totals, c_last, &cf));
		cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
		cf.format = loss;
		note(b, worksheet_conditional_format_range(
			    ws, first, c_delta, totals, c_last, &cf));
		char rule[64];
		lxw_conditional_format ff = {0};
		ff.type = LXW_CONDITIONAL_TYPE_FORMULA;
		snprintf(rule, sizeof(rule), "=C%u<$B%u", (unsigned)first + 1,
			 (unsigned)first + 1);
		ff.value_string = rule;
		ff.format = gain;
		note(b,
		     worksheet_conditional_format_range(
			 ws, first, 2, totals, (lxw_col_t)(1 + n_runs), &ff));
		snprintf(rule, sizeof(rule), "=C%u>$B%u", (unsigned)first + 1,
			 (unsigned)first + 1);
		ff.format = loss;
		note(b,
		     worksheet_conditional_format_range(
			 ws, first, 2, totals, (lxw_col_t)(1 + n_runs), &ff));
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 20, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, c_delta + (lxw_col_t)n_runs,
					    15, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, head, 45, NULL);
	worksheet_freeze_panes(ws, head + 1, 1);
	print_table(b, ws, true, head);

	/* Clustered columns: one category per participant, one series for
	 * billing alone and one per scenario. */
	if (b->e || !base->n)
		return;
	lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
	if (!ch) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t v = 0; v <= n_runs; v++)
		add_series(b, ch, w->sheet, first, last, (lxw_col_t)(1 + v),
			   v ? cab_report_run_name(runs[v - 1]) : w->alone);
	chart_title_set_name(ch, w->chart);
	chart_axis_set_name(ch->y_axis, w->axis_eur);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	/* One bar per participant and scenario: as wide as the table, or
	 * the bars are too thin to read. */
	lxw_chart_options o = {.x_scale = 3.0, .y_scale = 1.6};
	if (!b->e)
		b->e = worksheet_insert_chart_opt(ws, totals + 2, 0, ch, &o);
}

static enum cab_status write_compare_xlsx(const struct cab_run *const *runs,
					  size_t n_runs,
					  const struct cab_report_opts *opts,
					  const char *dir, struct cab_err *err)
{
	int lang =
	    opts && opts->lang >= CAB_LANG_FR && opts->lang <= CAB_LANG_EN
		? opts->lang
		: CAB_LANG_FR;
	const struct compare_words *w = &CWORDS[lang];
	char path[4096];
	if ((size_t)snprintf(path, sizeof(path), "%s/compare.xlsx", dir) >=
	    sizeof(path))
		return cab_err_add(err, CAB_EIO,
				   "%s/compare.xlsx: path too long", dir);
	size_t *order = cab_report_order_by_id(runs[0]);
	const char **taken = calloc(n_runs + 1, sizeof(*taken));
	char(*names)[4 * SHEET_NAME_MAX + 1] = calloc(n_runs, sizeof(*names));
	if (!order || !taken || !names) {
		free(order);
		free(taken);
		free(names);
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", path);
	}
	struct book b = {0};
	lxw_workbook_options o = {.constant_memory = LXW_FALSE,
				  .tmpdir = NULL,
				  .use_zip64 = LXW_FALSE};
	enum cab_status st = CAB_OK;
	b.wb = workbook_new_opt(path, &o);
	if (!b.wb) {
		st = cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
				 lxw_strerror(LXW_ERROR_CREATING_XLSX_FILE));
		goto done;
	}
	lxw_doc_properties props = {.title = (char *)w->title,
				    .author = "cabine",
				    .created = (time_t)XLSX_CREATED_S};
	note(&b, workbook_set_properties(b.wb, &props));
	make_formats(&b);
	lxw_format *gain = new_format(&b), *loss = new_format(&b);
	if (gain && loss) {
		format_set_bg_color(gain, 0xC6EFCE); /* Excel's "good" */
		format_set_font_color(gain, 0x006100);
		format_set_bg_color(loss, 0xFFC7CE); /* Excel's "bad" */
		format_set_font_color(loss, 0x9C0006);
	}
	if (!b.e && !(b.ws = workbook_add_worksheet(b.wb, w->sheet)))
		note(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	taken[0] = w->sheet;
	for (size_t k = 0; k < n_runs && !b.e; k++) {
		sheet_name(cab_report_run_name(runs[k]), taken, k + 1, names[k],
			   sizeof(names[k]));
		taken[k + 1] = names[k];
		lxw_worksheet *ws = workbook_add_worksheet(b.wb, names[k]);
		if (!ws) {
			note(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			break;
		}
		write_run_sheet(&b, ws, runs[k], order, w);
	}
	if (!b.e)
		write_compare_sheet(&b, runs, n_runs, order, w, gain, loss);
	if (!b.e)
		worksheet_activate(b.ws);
	/* workbook_close frees the workbook even after an error. */
	lxw_error e = workbook_close(b.wb);
	if (b.e)
		e = b.e;
	if (e) {
		unlink(path);
		st = cab_err_add(
		    err,
		    e == LXW_ERROR_MEMORY_MALLOC_FAILED ? CAB_ENOMEM : CAB_EIO,
		    "%s: cannot write (%s)", path, lxw_strerror(e));
	}
done:
	free(order);
	free(taken);
	free(names);
	return st;
}

const struct cab_report_compare_ops cab_report_compare_xlsx = {
    "compare.xlsx", write_compare_xlsx};

/*
 * Helpers shared by the community, operator, alerts and curves workbooks:
 * open a workbook with the fixed creation date and the usual formats,
 * close it (unlinking a half-written file), green/red formats, charts.
 */

/* Open dir/name as a workbook in b (formats made); path receives the
 * full name. Fails with CAB_EIO. */
enum cab_status book_open(struct book *b, const char *dir, const char *name,
			  const char *title, char *path, size_t size,
			  struct cab_err *err)
{
	memset(b, 0, sizeof(*b));
	if ((size_t)snprintf(path, size, "%s/%s", dir, name) >= size)
		return cab_err_add(err, CAB_EIO, "%s/%s: path too long", dir,
				   name);
	lxw_workbook_options o = {.constant_memory = LXW_FALSE,
				  .tmpdir = NULL,
				  .use_zip64 = LXW_FALSE};
	b->wb = workbook_new_opt(path, &o);
	if (!b->wb)
		return cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
				   lxw_strerror(LXW_ERROR_CREATING_XLSX_FILE));
	lxw_doc_properties props = {.title = (char *)title,
				    .author = "cabine",
				    .created = (time_t)XLSX_CREATED_S};
	note(b, workbook_set_properties(b->wb, &props));
	make_formats(b);
	return CAB_OK;
}

/* Close b's workbook (freed even after an error); on any error the file
 * is removed and err names it. */
enum cab_status book_close(struct book *b, const char *path,
			   struct cab_err *err)
{
	lxw_error e = workbook_close(b->wb);
	b->wb = NULL;
	if (b->e)
		e = b->e;
	if (!e)
		return CAB_OK;
	unlink(path);
	return cab_err_add(
	    err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? CAB_ENOMEM : CAB_EIO,
	    "%s: cannot write (%s)", path, lxw_strerror(e));
}

lxw_worksheet *book_sheet(struct book *b, const char *name)
{
	if (b->e)
		return NULL;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
	if (!ws)
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return ws;
}

/* Excel's "good" (green) and "bad" (red) cell styles. */
static void make_gain_loss(struct book *b, lxw_format **gain, lxw_format **loss)
{
	*gain = new_format(b);
	*loss = new_format(b);
	if (!*gain || !*loss)
		return;
	format_set_bg_color(*gain, 0xC6EFCE);
	format_set_font_color(*gain, 0x006100);
	format_set_bg_color(*loss, 0xFFC7CE);
	format_set_font_color(*loss, 0x9C0006);
}

/* Cells of the range below 0 in green, above 0 in red (conditional
 * formats: the colours follow the stored values). */
static void highlight_sign(struct book *b, lxw_worksheet *ws, lxw_row_t r0,
			   lxw_col_t c0, lxw_row_t r1, lxw_col_t c1,
			   lxw_format *gain, lxw_format *loss)
{
	if (b->e || r1 < r0)
		return;
	lxw_conditional_format cf = {0};
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
	cf.value = 0;
	cf.format = gain;
	note(b, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf));
	cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
	cf.format = loss;
	note(b, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf));
}

lxw_chart *new_chart(struct book *b, uint8_t type)
{
	if (b->e)
		return NULL;
	lxw_chart *c = workbook_add_chart(b->wb, type);
	if (!c)
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return c;
}

/* A series of values in column `col`, rows r0..r1 of `sheet`, with the
 * categories in column `cat` of the same rows. */
lxw_chart_series *add_series_at(struct book *b, lxw_chart *chart,
				const char *sheet, lxw_row_t r0, lxw_row_t r1,
				lxw_col_t cat, lxw_col_t col, const char *name)
{
	if (!chart)
		return NULL;
	lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
	if (!s) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	chart_series_set_categories(s, sheet, r0, cat, r1, cat);
	chart_series_set_values(s, sheet, r0, col, r1, col);
	if (name)
		chart_series_set_name(s, name);
	return s;
}

/* Title, axis name, legend at the bottom, inserted at (r, c) of ws. */
void place_chart(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		 lxw_chart *chart, const char *title, const char *y_name,
		 uint16_t x_interval)
{
	if (!chart || b->e)
		return;
	chart_title_set_name(chart, title);
	if (y_name && chart->y_axis)
		chart_axis_set_name(chart->y_axis, y_name);
	if (x_interval && chart->x_axis)
		chart_axis_set_interval_unit(chart->x_axis, x_interval);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options o = {.x_scale = 1.5, .y_scale = 1.2};
	note(b, worksheet_insert_chart_opt(ws, r, c, chart, &o));
}

/* Local quarter-hour of the day (0..95) of each interval and its
 * meteorological season (1 winter DJF, 2 spring, 3 summer, 4 autumn, as
 * in curves.h), into arrays of run->n_intervals entries. */
static void local_slots(const struct cab_run *run, uint8_t *slot_of,
			uint8_t *season_of)
{
	for (size_t t = 0; t < run->n_intervals; t++) {
		struct cab_civil c;
		cab_time_to_local(run->t0_s + (int64_t)t * CAB_INTERVAL_S, &c);
		slot_of[t] = (uint8_t)((c.hour * 60 + c.minute) / 15);
		if (season_of)
			season_of[t] = (uint8_t)(c.month % 12 / 3 + 1);
	}
}

void put_hhmm(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	      int slot)
{
	char hhmm[24];
	snprintf(hhmm, sizeof(hhmm), "%02d:%02d", slot / 4, slot % 4 * 15);
	put_str(b, ws, r, c, hhmm, NULL);
}

int report_lang(const struct cab_report_opts *opts)
{
	return opts && opts->lang >= CAB_LANG_FR && opts->lang <= CAB_LANG_EN
		   ? opts->lang
		   : CAB_LANG_FR;
}

/*
 * community.xlsx (`cabine run`, SPEC §8): the facilitator's and the
 * assembly's overview, in --lang (French by default).
 *
 * Sheet 1: every participant (by id) side by side — volumes in kWh,
 * missing intervals, bill, billed alone and the difference (green when
 * the participant gains, red when it loses) — a totals row whose bill
 * is run->total_bill_cents exactly, then the indicators. Sheet 2: the
 * charts — the community's consumption and production over an average
 * day per season, how shared energy is split, gains and losses per
 * participant. Sheet 3 "data": the average days the charts read.
 *
 * The community's average day at a local quarter-hour is the sum of its
 * participants' means there (each over its own valid intervals), so a
 * participant's missing month does not remove everyone's month.
 */

#define N_SEASONS 4 /* winter, spring, summer, autumn */

struct community_words {
	const char *sheet, *charts, *title, *community, *period, *legend;
	const char *cols[12];
	const char *total, *indicators;
	const char *ind[6]; /* self-consumption, self-sufficiency, balance,
			     * coincidence, cabin residual, pot */
	const char *seasons[N_SEASONS];
	const char *consumption, *production, *time;
	const char *chart_day_c, *chart_day_p, *chart_shared, *chart_delta;
	const char *axis_kwh, *axis_eur;
};

static const struct community_words MWORDS[3] = {
    [CAB_LANG_FR] =
	{
	    .sheet = "Communauté",
	    .charts = "Graphiques",
	    .title = "Bilan de la communauté",
	    .community = "Communauté",
	    .period = "Période",
	    .legend = "Différence = facture − seul : vert, le participant "
		      "paie moins que seul ; rouge, il paie plus.",
	    .cols = {"Participant", "Consommation (kWh)", "Production (kWh)",
		     "Autoconsommation (kWh)", "Énergie partagée reçue (kWh)",
		     "Énergie partagée donnée (kWh)", "Complémentaire (kWh)",
		     "Injectée (kWh)", "Intervalles manquants", "Facture (€)",
		     "Seul (€)", "Différence (€)"},
	    .total = "Total",
	    .indicators = "Indicateurs",
	    .ind = {"Taux d'autoconsommation collective",
		    "Taux d'autosuffisance", "Bilan énergétique (kWh)",
		    "Facteur de simultanéité", "Résidu à la cabine (kWh)",
		    "Pot commun (€)"},
	    .seasons = {"hiver", "printemps", "été", "automne"},
	    .consumption = "Consommation",
	    .production = "Production",
	    .time = "Heure",
	    .chart_day_c = "Consommation de la communauté, journée moyenne "
			   "par saison (kWh par quart d'heure)",
	    .chart_day_p = "Production de la communauté, journée moyenne "
			   "par saison (kWh par quart d'heure)",
	    .chart_shared = "Répartition de l'énergie partagée (kWh reçus)",
	    .chart_delta = "Gains (−) et pertes (+) par participant (€)",
	    .axis_kwh = "kWh",
	    .axis_eur = "€",
	},
    [CAB_LANG_NL] =
	{
	    .sheet = "Gemeenschap",
	    .charts = "Grafieken",
	    .title = "Overzicht van de gemeenschap",
	    .community = "Gemeenschap",
	    .period = "Periode",
	    .legend = "Verschil = factuur − alleen: groen, de deelnemer "
		      "betaalt minder dan alleen; rood, meer.",
	    .cols = {"Deelnemer", "Verbruik (kWh)", "Productie (kWh)",
		     "Eigen verbruik (kWh)", "Ontvangen gedeelde energie (kWh)",
		     "Gegeven gedeelde energie (kWh)", "Aanvullend (kWh)",
		     "Geïnjecteerd (kWh)", "Ontbrekende kwartieren",
		     "Factuur (€)", "Alleen (€)", "Verschil (€)"},
	    .total = "Totaal",
	    .indicators = "Indicatoren",
	    .ind = {"Collectieve zelfconsumptiegraad", "Zelfvoorzieningsgraad",
		    "Energiebalans (kWh)", "Gelijktijdigheidsfactor",
		    "Residu aan de cabine (kWh)", "Gemeenschappelijke pot (€)"},
	    .seasons = {"winter", "lente", "zomer", "herfst"},
	    .consumption = "Verbruik",
	    .production = "Productie",
	    .time = "Uur",
	    .chart_day_c = "Verbruik van de gemeenschap, gemiddelde dag per "
			   "seizoen (kWh per kwartier)",
	    .chart_day_p = "Productie van de gemeenschap, gemiddelde dag per "
			   "seizoen (kWh per kwartier)",
	    .chart_shared = "Verdeling van de gedeelde energie (ontvangen kWh)",
	    .chart_delta = "Winst (−) en verlies (+) per deelnemer (€)",
	    .axis_kwh = "kWh",
	    .axis_eur = "€",
	},
    [CAB_LANG_EN] =
	{
	    .sheet = "Community",
	    .charts = "Charts",
	    .title = "Community overview",
	    .community = "Community",
	    .period = "Period",
	    .legend = "Difference = bill − alone: green, the participant pays "
		      "less than alone; red, more.",
	    .cols = {"Participant", "Consumption (kWh)", "Production (kWh)",
		     "Own use (kWh)", "Shared energy received (kWh)",
		     "Shared energy given (kWh)", "Complementary (kWh)",
		     "Injected (kWh)", "Missing intervals", "Bill (EUR)",
		     "Alone (EUR)", "Difference (EUR)"},
	    .total = "Total",
	    .indicators = "Indicators",
	    .ind = {"Collective self-consumption rate", "Self-sufficiency rate",
		    "Positive-energy balance (kWh)", "Coincidence factor",
		    "Cabin residual (kWh)", "Common pot (EUR)"},
	    .seasons = {"winter", "spring", "summer", "autumn"},
	    .consumption = "Consumption",
	    .production = "Production",
	    .time = "Time",
	    .chart_day_c = "Community consumption, average day per season "
			   "(kWh per quarter-hour)",
	    .chart_day_p = "Community production, average day per season "
			   "(kWh per quarter-hour)",
	    .chart_shared = "How shared energy is split (kWh received)",
	    .chart_delta = "Gains (−) and losses (+) per participant (EUR)",
	    .axis_kwh = "kWh",
	    .axis_eur = "EUR",
	},
};

/* The community's average day per season: out[s][k][slot] with k 0
 * consumption, 1 production; NaN where no participant has a value.
 * has[s] tells whether season s has any value. Fails with ENOMEM. */
static bool community_days(const struct cab_run *run,
			   double out[N_SEASONS][2][SLOTS_PER_DAY],
			   bool has[N_SEASONS])
{
	size_t nt = run->n_intervals;
	uint8_t *slot_of = malloc(nt ? nt : 1);
	uint8_t *season_of = malloc(nt ? nt : 1);
	if (!slot_of || !season_of) {
		free(slot_of);
		free(season_of);
		return false;
	}
	local_slots(run, slot_of, season_of);
	bool any[N_SEASONS][2][SLOTS_PER_DAY] = {{{0}}};
	for (int s = 0; s < N_SEASONS; s++)
		for (int k = 0; k < 2; k++)
			for (int q = 0; q < SLOTS_PER_DAY; q++)
				out[s][k][q] = 0;
	for (size_t i = 0; i < run->n; i++) {
		const struct cab_participant_result *p = &run->p[i];
		if (!p->consumption_kwh)
			continue;
		double sum[N_SEASONS][2][SLOTS_PER_DAY] = {{{0}}};
		size_t cnt[N_SEASONS][SLOTS_PER_DAY] = {{0}};
		for (size_t t = 0; t < nt; t++) {
			double c = p->consumption_kwh[t];
			if (isnan(c))
				continue; /* missing: P must not be used */
			int s = season_of[t] - 1, q = slot_of[t];
			double pv =
			    p->production_kwh ? p->production_kwh[t] : 0;
			sum[s][0][q] += c;
			sum[s][1][q] += isnan(pv) ? 0 : pv;
			cnt[s][q]++;
		}
		for (int s = 0; s < N_SEASONS; s++)
			for (int q = 0; q < SLOTS_PER_DAY; q++)
				for (int k = 0; k < 2 && cnt[s][q]; k++) {
					out[s][k][q] +=
					    sum[s][k][q] / (double)cnt[s][q];
					any[s][k][q] = true;
				}
	}
	for (int s = 0; s < N_SEASONS; s++) {
		has[s] = false;
		for (int k = 0; k < 2; k++)
			for (int q = 0; q < SLOTS_PER_DAY; q++) {
				if (!any[s][k][q])
					out[s][k][q] = NAN;
				else
					has[s] = true;
			}
	}
	free(slot_of);
	free(season_of);
	return true;
}

static void write_period(struct book *b, lxw_worksheet *ws, lxw_row_t r,
			 const struct cab_scenario *sc, const char *label,
			 int lang)
{
	int ey, em, ed;
	cab_time_civil_from_days(
	    cab_time_days_from_civil(sc->end_y, sc->end_m, sc->end_d) - 1, &ey,
	    &em, &ed);
	char period[96];
	snprintf(period, sizeof(period), WORDS[lang].period_fmt, sc->start_d,
		 sc->start_m, sc->start_y, ed, em, ey);
	put_str(b, ws, r, 0, label, b->bold);
	put_str(b, ws, r, 1, period, NULL);
}

/* Bars of the differences, each bar green (gain) or red (loss). */
static void delta_chart(struct book *b, lxw_worksheet *at, lxw_row_t r,
			lxw_col_t c, const char *sheet, lxw_row_t first,
			const struct cab_run *run, const size_t *order,
			const struct community_words *w)
{
	lxw_chart *ch = new_chart(b, LXW_CHART_COLUMN);
	lxw_chart_series *s =
	    add_series_at(b, ch, sheet, first, first + (lxw_row_t)run->n - 1, 0,
			  11, w->cols[11]);
	if (!s)
		return;
	lxw_chart_fill green = {.color = 0x00A050}, red = {.color = 0xD03030};
	lxw_chart_point pg = {.fill = &green}, pr = {.fill = &red};
	lxw_chart_point **pts = calloc(run->n + 1, sizeof(*pts));
	if (!pts) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t k = 0; k < run->n; k++)
		pts[k] = run->p[order[k]].delta_cents > 0 ? &pr : &pg;
	note(b, chart_series_set_points(s, pts));
	free(pts);
	place_chart(b, at, r, c, ch, w->chart_delta, w->axis_eur, 0);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
}

static enum cab_status write_community_xlsx(const struct cab_run *run,
					    const struct cab_report_opts *opts,
					    const char *dir,
					    struct cab_err *err)
{
	int lang = report_lang(opts);
	const struct community_words *w = &MWORDS[lang];
	const struct cab_scenario *sc = run->sc;
	char path[4096];
	struct book b;
	size_t *order = cab_report_order_by_id(run);
	double(*day)[2][SLOTS_PER_DAY] = malloc(N_SEASONS * sizeof(*day));
	bool has[N_SEASONS];
	if (!order || !day || !community_days(run, day, has)) {
		free(order);
		free(day);
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/community.xlsx: out of memory", dir);
	}
	enum cab_status st = book_open(&b, dir, "community.xlsx", w->title,
				       path, sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *gain, *loss, *count = new_format(&b);
	make_gain_loss(&b, &gain, &loss);
	if (count)
		format_set_num_format(count, "0");
	lxw_worksheet *ws = book_sheet(&b, w->sheet);
	lxw_worksheet *cs = book_sheet(&b, w->charts);
	lxw_worksheet *ds = book_sheet(&b, "data");
	if (b.e)
		goto close;

	lxw_row_t r = 0;
	put_str(&b, ws, r++, 0, w->title, b.title);
	put_str(&b, ws, r, 0, w->community, b.bold);
	put_str(&b, ws, r++, 1, sc->name ? sc->name : "", NULL);
	write_period(&b, ws, r++, sc, w->period, lang);
	put_str(&b, ws, r++, 0, w->legend, NULL);
	r++;
	lxw_row_t head = r;
	for (lxw_col_t c = 0; c < 12; c++)
		put_str(&b, ws, r, c, w->cols[c], c ? b.head_num : b.head);
	r++;
	lxw_row_t first = r;
	struct cab_volumes sum = {0};
	size_t missing = 0;
	for (size_t k = 0; k < run->n; k++, r++) {
		size_t i = order[k];
		const struct cab_participant_result *p = &run->p[i];
		const struct cab_volumes *v = &p->total;
		put_str(&b, ws, r, 0, sc->participants[i].id, NULL);
		const double kwh[7] = {
		    v->consumption_kwh, v->production_kwh, v->self_consumed_kwh,
		    v->shared_kwh,	v->given_kwh,	   v->complementary_kwh,
		    v->injected_kwh};
		for (int c = 0; c < 7; c++)
			put_num(&b, ws, r, (lxw_col_t)(1 + c), kwh[c], b.kwh);
		put_num(&b, ws, r, 8, (double)p->missing_intervals, count);
		put_num(&b, ws, r, 9, eur(p->bill.total_cents), b.eur);
		if (!p->is_without_baseline) {
			put_num(&b, ws, r, 10, eur(p->baseline.total_cents),
				b.eur);
			put_num(&b, ws, r, 11, eur(p->delta_cents), b.eur);
		}
		sum.consumption_kwh += v->consumption_kwh;
		sum.production_kwh += v->production_kwh;
		sum.self_consumed_kwh += v->self_consumed_kwh;
		sum.shared_kwh += v->shared_kwh;
		sum.given_kwh += v->given_kwh;
		sum.complementary_kwh += v->complementary_kwh;
		sum.injected_kwh += v->injected_kwh;
		missing += p->missing_intervals;
	}
	lxw_row_t last = r - 1;
	put_str(&b, ws, r, 0, w->total, b.total_label);
	const double tot[7] = {sum.consumption_kwh,   sum.production_kwh,
			       sum.self_consumed_kwh, sum.shared_kwh,
			       sum.given_kwh,	      sum.complementary_kwh,
			       sum.injected_kwh};
	/* Totals in kWh read like the rows above (1,959,723.321), not as
	 * raw digits. */
	lxw_format *total_kwh = new_format(&b);
	if (total_kwh) {
		format_set_bold(total_kwh);
		format_set_top(total_kwh, LXW_BORDER_THIN);
		format_set_num_format(total_kwh, "#,##0.000");
	}
	for (int c = 0; c < 7; c++)
		put_num(&b, ws, r, (lxw_col_t)(1 + c), tot[c], total_kwh);
	put_num(&b, ws, r, 8, (double)missing, b.total_label);
	put_num(&b, ws, r, 9, eur(run->total_bill_cents), b.total_eur);
	put_num(&b, ws, r, 10, eur(run->total_baseline_cents), b.total_eur);
	put_num(&b, ws, r, 11,
		eur(run->total_bill_cents - run->total_baseline_cents),
		b.total_eur);
	lxw_row_t totals = r++;
	if (run->n)
		highlight_sign(&b, ws, first, 11, totals, 11, gain, loss);
	r++;
	put_str(&b, ws, r++, 0, w->indicators, b.bold);
	/* A rate is NaN when nothing was shared or consumed: its cell stays
	 * empty rather than showing a made-up 0 %. */
	const struct cab_indicators *ind = &run->ind;
	put_str(&b, ws, r, 0, w->ind[0], NULL);
	put_num(&b, ws, r++, 1, ind->self_consumption_rate, b.pct);
	put_str(&b, ws, r, 0, w->ind[1], NULL);
	put_num(&b, ws, r++, 1, ind->self_sufficiency_rate, b.pct);
	put_str(&b, ws, r, 0, w->ind[2], NULL);
	put_num(&b, ws, r++, 1, ind->positive_energy_balance_kwh, b.kwh);
	put_str(&b, ws, r, 0, w->ind[3], NULL);
	put_num(&b, ws, r++, 1, ind->coincidence_factor, b.kwh);
	if (!isnan(run->cabin_residual_kwh) && run->n_cabin_flows) {
		put_str(&b, ws, r, 0, w->ind[4], NULL);
		put_num(&b, ws, r++, 1, run->cabin_residual_kwh, b.kwh);
	}
	if (run->n_pots) {
		put_str(&b, ws, r, 0, w->ind[5], NULL);
		put_num(&b, ws, r++, 1, eur(run->pot_cents), b.eur);
	}
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 0, 34, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 1, 11, 17, NULL);
	if (!b.e)
		b.e = worksheet_set_row(ws, head, 45, NULL);
	if (!b.e)
		worksheet_freeze_panes(ws, head + 1, 1);
	print_table(&b, ws, true, head);

	/* data: Heure, then consumption and production per season. */
	put_str(&b, ds, 0, 0, w->time, b.head);
	for (int s = 0; s < N_SEASONS; s++) {
		char label[96];
		for (int k = 0; k < 2; k++) {
			snprintf(label, sizeof(label), "%s, %s",
				 k ? w->production : w->consumption,
				 w->seasons[s]);
			put_str(&b, ds, 0, (lxw_col_t)(1 + 2 * s + k), label,
				b.head_num);
		}
	}
	for (int q = 0; q < SLOTS_PER_DAY; q++) {
		put_hhmm(&b, ds, (lxw_row_t)q + 1, 0, q);
		for (int s = 0; s < N_SEASONS; s++)
			for (int k = 0; k < 2; k++)
				put_num(&b, ds, (lxw_row_t)q + 1,
					(lxw_col_t)(1 + 2 * s + k),
					day[s][k][q], b.kwh);
	}
	if (!b.e)
		b.e = worksheet_set_column(ds, 1, 8, 16, NULL);

	/* Charts: two average-day line charts, the split of shared energy,
	 * the differences. */
	for (int k = 0; k < 2; k++) {
		lxw_chart *ch = new_chart(&b, LXW_CHART_LINE);
		for (int s = 0; s < N_SEASONS; s++)
			if (has[s])
				add_series_at(&b, ch, "data", 1, SLOTS_PER_DAY,
					      0, (lxw_col_t)(1 + 2 * s + k),
					      w->seasons[s]);
		place_chart(&b, cs, (lxw_row_t)(k * 18), 0, ch,
			    k ? w->chart_day_p : w->chart_day_c, w->axis_kwh,
			    8);
	}
	if (run->n) {
		lxw_chart *pie = new_chart(&b, LXW_CHART_PIE);
		add_series_at(&b, pie, w->sheet, first, last, 0, 4, w->cols[4]);
		place_chart(&b, cs, 36, 0, pie, w->chart_shared, NULL, 0);
		delta_chart(&b, cs, 54, 0, w->sheet, first, run, order, w);
	}
	print_charts(&b, cs, 36, run->n ? 2 : 1); /* two charts a page */
	if (!b.e)
		worksheet_activate(ws);
close:
	st = book_close(&b, path, err);
done:
	free(order);
	free(day);
	return st;
}

const struct cab_report_ops cab_report_community_xlsx = {"community.xlsx",
							 write_community_xlsx};

/*
 * sibelga.xlsx (`cabine run`, SPEC §8): the shape of the grid operator's
 * monthly file, so a facilitator can reconcile both line by line. One row
 * per meter, month and register: `TH` (total) when the tariff has a single
 * rate, else `HI` (day) and `LOW` (night). Columns as in the operator's
 * file (its French headers, whatever --lang): the meter, the month
 * ("2024-01"), the register, shared volume (kWh received), complementary
 * volume (kWh), shared injection (kWh given), and the grid fee in EUR
 * excluding VAT: complementary × network_eur_kwh + shared ×
 * network_shared_eur_kwh[locality], rounded to the cent.
 *
 * The meter is the participant's consumption (or offtake) meter, else its
 * production (or injection) meter; a meterless participant has no row.
 */

static const char *const SIBELGA_HEAD[7] = {"Compteur",
					    "Mois",
					    "Registre",
					    "Volume Partagé",
					    "Volume Complémentaire",
					    "Injection Partagée",
					    "Gridfee total"};

/* The meter a participant's rows are filed under, or NULL. */
static const char *operator_meter(const struct cab_participant *pt)
{
	return pt->meter_consumption  ? pt->meter_consumption
	       : pt->meter_offtake    ? pt->meter_offtake
	       : pt->meter_production ? pt->meter_production
				      : pt->meter_injection;
}

/* Grid fee in cents (excl. VAT) of one row: the network lines of the bill
 * (SPEC §5) restricted to the row's volumes. */
static int64_t grid_fee_cents(const struct cab_tariff *tf, char locality,
			      double shared_kwh, double complementary_kwh)
{
	double shared_price = locality >= 'A' && locality <= 'D'
				  ? tf->network_shared_eur_kwh[locality - 'A']
				  : 0;
	return cab_round_cents(complementary_kwh * tf->network_eur_kwh +
			       shared_kwh * shared_price);
}

static enum cab_status write_sibelga_xlsx(const struct cab_run *run,
					  const struct cab_report_opts *opts,
					  const char *dir, struct cab_err *err)
{
	const struct cab_scenario *sc = run->sc;
	const struct cab_tariff *tf = &sc->tariff;
	char path[4096];
	struct book b;
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/sibelga.xlsx: out of memory", dir);
	enum cab_status st = book_open(&b, dir, "sibelga.xlsx", "Sibelga", path,
				       sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_worksheet *ws = book_sheet(&b, "Sibelga");
	if (b.e)
		goto close;
	for (lxw_col_t c = 0; c < 7; c++)
		put_str(&b, ws, 0, c, SIBELGA_HEAD[c],
			c > 2 ? b.head_num : b.head);
	lxw_row_t r = 1;
	for (size_t k = 0; k < run->n; k++) {
		size_t i = order[k];
		const struct cab_participant_result *p = &run->p[i];
		const char *meter = operator_meter(&sc->participants[i]);
		if (!meter || !p->month)
			continue;
		for (size_t m = 0; m < run->n_months; m++) {
			const struct cab_volumes *v = &p->month[m];
			char month[16];
			snprintf(month, sizeof(month), "%04d-%02d",
				 run->months[m].year, run->months[m].month);
			/* register, shared, complementary, given */
			struct {
				const char *name;
				double shared, compl, given;
			} reg[2] = {
			    {"HI", v->shared_day_kwh, v->complementary_day_kwh,
			     v->given_day_kwh},
			    {"LOW", v->shared_kwh - v->shared_day_kwh,
			     v->complementary_kwh - v->complementary_day_kwh,
			     v->given_kwh - v->given_day_kwh}};
			int n_reg = 2;
			if (!tf->has_night_price) {
				reg[0].name = "TH";
				reg[0].shared = v->shared_kwh;
				reg[0].compl = v->complementary_kwh;
				reg[0].given = v->given_kwh;
				n_reg = 1;
			}
			for (int g = 0; g < n_reg; g++, r++) {
				put_str(&b, ws, r, 0, meter, NULL);
				put_str(&b, ws, r, 1, month, NULL);
				put_str(&b, ws, r, 2, reg[g].name, NULL);
				put_num(&b, ws, r, 3, reg[g].shared, b.kwh);
				put_num(&b, ws, r, 4, reg[g].compl, b.kwh);
				put_num(&b, ws, r, 5, reg[g].given, b.kwh);
				put_num(&b, ws, r, 6,
					eur(grid_fee_cents(tf, p->locality,
							   reg[g].shared,
							   reg[g].compl )),
					b.eur);
			}
		}
	}
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 0, 24, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 1, 2, 10, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 3, 6, 18, NULL);
	if (!b.e)
		worksheet_freeze_panes(ws, 1, 0);
	print_table(&b, ws, false, 0);
	if (!b.e && r > 1)
		b.e = worksheet_autofilter(ws, 0, 0, r - 1, 6);
close:
	st = book_close(&b, path, err);
done:
	free(order);
	return st;
}

const struct cab_report_ops cab_report_sibelga_xlsx = {"sibelga.xlsx",
						       write_sibelga_xlsx};

/*
 * alerts.xlsx (`cabine alerts`, SPEC §8): alerts.csv's table, in the same
 * row order (alerts by start, windows during/after/before, participants by
 * id, groups, the community), with localized headers; then per alert two
 * charts: the community's curve on the alert day against its reference
 * day with the alert window drawn over it, and the distribution of the
 * participants' Δ % during the window (sorted columns).
 *
 * The community's curve at an interval is the sum of the participants
 * with a value there. Its reference at a local quarter-hour is the mean
 * of that curve on the reference days: the same weekday, inside the
 * alerts' reference range and the period, on days that no alert touches.
 */

/* Does [a0, a1) (UTC seconds) overlap any alert of the scenario? */
static bool overlaps_any_alert(const struct cab_scenario *sc, int64_t a0,
			       int64_t a1)
{
	for (size_t k = 0; k < sc->n_alerts; k++)
		if (a0 < sc->alerts[k].end_s && sc->alerts[k].start_s < a1)
			return true;
	return false;
}

struct alerts_words {
	const char *sheet, *charts, *cols[8], *windows[3], *community;
	const char *time, *day, *reference, *window, *chart_day, *chart_pct,
	    *axis_pct, *axis_kwh;
};

static const struct alerts_words AWORDS[3] = {
    [CAB_LANG_FR] = {"Alertes",
		     "Graphiques",
		     {"Alerte", "Participant", "Fenêtre", "Pendant (kWh)",
		      "Référence (kWh)", "Écart (kWh)", "Écart (%)",
		      "Fenêtres de référence"},
		     {"pendant", "après", "avant"},
		     "communauté",
		     "Heure",
		     "Jour d'alerte",
		     "Référence",
		     "Fenêtre d'alerte",
		     "Alerte du %s : la communauté ce jour-là et un jour de "
		     "référence (kWh par quart d'heure)",
		     "Alerte du %s : écart de chaque participant pendant "
		     "l'alerte (%%)",
		     "%",
		     "kWh"},
    [CAB_LANG_NL] =
	{"Alarmen",
	 "Grafieken",
	 {"Alarm", "Deelnemer", "Venster", "Tijdens (kWh)", "Referentie (kWh)",
	  "Verschil (kWh)", "Verschil (%)", "Referentievensters"},
	 {"tijdens", "na", "voor"},
	 "gemeenschap",
	 "Uur",
	 "Alarmdag",
	 "Referentie",
	 "Alarmvenster",
	 "Alarm van %s: de gemeenschap die dag en een referentiedag "
	 "(kWh per kwartier)",
	 "Alarm van %s: verschil per deelnemer tijdens het alarm "
	 "(%%)",
	 "%",
	 "kWh"},
    [CAB_LANG_EN] = {"Alerts",
		     "Charts",
		     {"Alert", "Participant", "Window", "During (kWh)",
		      "Reference (kWh)", "Difference (kWh)", "Difference (%)",
		      "Reference windows"},
		     {"during", "after", "before"},
		     "community",
		     "Time",
		     "Alert day",
		     "Reference",
		     "Alert window",
		     "Alert of %s: the community that day and a reference day "
		     "(kWh per quarter-hour)",
		     "Alert of %s: each participant's difference during the "
		     "alert (%%)",
		     "%",
		     "kWh"},
};

/* Sort key of an alerts row: the CSV's order. */
struct alert_row {
	int64_t start_s;
	size_t alert;
	int window;
	int kind;	/* 0 participant, 1 group, 2 community */
	const char *id; /* participant id, for kind 0 */
	long group;	/* k of a group, for kind 1 */
	size_t effect;
};

static int by_alert_row(const void *x, const void *y)
{
	const struct alert_row *a = x, *b = y;
	if (a->start_s != b->start_s)
		return a->start_s < b->start_s ? -1 : 1;
	if (a->alert != b->alert)
		return a->alert < b->alert ? -1 : 1;
	if (a->window != b->window)
		return a->window - b->window;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->kind == 0)
		return strcmp(a->id, b->id);
	return (a->group > b->group) - (a->group < b->group);
}

struct pct_item {
	double pct;
	const char *id;
};

static int by_pct(const void *x, const void *y)
{
	const struct pct_item *a = x, *b = y;
	if (a->pct != b->pct)
		return a->pct < b->pct ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* The community's consumption at interval t: Σ of the participants with a
 * value there, NaN if none has one. */
static double community_at(const struct cab_run *run, size_t t)
{
	double s = 0;
	bool any = false;
	for (size_t i = 0; i < run->n; i++) {
		const double *c = run->p[i].consumption_kwh;
		if (c && !isnan(c[t])) {
			s += c[t];
			any = true;
		}
	}
	return any ? s : NAN;
}

/* Alert k's day and reference curves by local quarter-hour (NaN where no
 * value) and which slots the alert covers. */
static void alert_day(const struct cab_run *run, size_t k,
		      const uint8_t *slot_of, double day[SLOTS_PER_DAY],
		      double ref[SLOTS_PER_DAY], bool in_window[SLOTS_PER_DAY])
{
	const struct cab_scenario *sc = run->sc;
	const struct cab_alert *al = &sc->alerts[k];
	int64_t end_s = run->t0_s + (int64_t)run->n_intervals * CAB_INTERVAL_S;
	int64_t lo = sc->alerts_ref_start_s, hi = sc->alerts_ref_end_s;
	if (hi <= lo)
		lo = run->t0_s, hi = end_s;
	struct cab_civil la;
	cab_time_to_local(al->start_s, &la);
	double dsum[SLOTS_PER_DAY] = {0}, rsum[SLOTS_PER_DAY] = {0};
	size_t dn[SLOTS_PER_DAY] = {0}, rn[SLOTS_PER_DAY] = {0};
	for (int q = 0; q < SLOTS_PER_DAY; q++)
		in_window[q] = false;
	int64_t d_alert = cab_time_days_from_civil(la.year, la.month, la.day);
	/* Walk the period day by day. */
	for (size_t t = 0; t < run->n_intervals;) {
		struct cab_civil lc;
		int64_t ts = run->t0_s + (int64_t)t * CAB_INTERVAL_S;
		cab_time_to_local(ts, &lc);
		size_t len = (size_t)cab_time_local_day_intervals(
		    lc.year, lc.month, lc.day);
		int64_t day_end = ts + (int64_t)len * CAB_INTERVAL_S;
		int64_t d = cab_time_days_from_civil(lc.year, lc.month, lc.day);
		bool is_alert_day = d == d_alert;
		bool is_ref = !is_alert_day && lc.wday == la.wday && ts >= lo &&
			      day_end <= hi &&
			      !overlaps_any_alert(sc, ts, day_end);
		for (size_t u = 0; u < len && t + u < run->n_intervals; u++) {
			if (!is_alert_day && !is_ref)
				break;
			size_t tt = t + u;
			double v = community_at(run, tt);
			int q = slot_of[tt];
			int64_t it = ts + (int64_t)u * CAB_INTERVAL_S;
			if (is_alert_day && it >= al->start_s && it < al->end_s)
				in_window[q] = true;
			if (isnan(v))
				continue;
			if (is_alert_day)
				dsum[q] += v, dn[q]++;
			else
				rsum[q] += v, rn[q]++;
		}
		t += len;
	}
	for (int q = 0; q < SLOTS_PER_DAY; q++) {
		day[q] = dn[q] ? dsum[q] / (double)dn[q] : NAN;
		ref[q] = rn[q] ? rsum[q] / (double)rn[q] : NAN;
	}
}

/* Alert k's two charts and their data: columns 4j..4j+3 of `ds` (time,
 * day, reference, window) and 4·n_alerts + 2j.. (participant, Δ %). */
static void alert_charts(struct book *b, const struct cab_run *run, size_t k,
			 size_t j, const uint8_t *slot_of,
			 const struct cab_alerts *al, lxw_worksheet *ds,
			 lxw_worksheet *cs, const struct alerts_words *w)
{
	const struct cab_scenario *sc = run->sc;
	double day[SLOTS_PER_DAY], ref[SLOTS_PER_DAY];
	bool in_window[SLOTS_PER_DAY];
	alert_day(run, k, slot_of, day, ref, in_window);
	lxw_col_t c0 = (lxw_col_t)(4 * j);
	put_str(b, ds, 0, c0, w->time, b->head);
	put_str(b, ds, 0, c0 + 1, w->day, b->head_num);
	put_str(b, ds, 0, c0 + 2, w->reference, b->head_num);
	put_str(b, ds, 0, c0 + 3, w->window, b->head_num);
	for (int q = 0; q < SLOTS_PER_DAY; q++) {
		lxw_row_t r = (lxw_row_t)q + 1;
		put_hhmm(b, ds, r, c0, q);
		put_num(b, ds, r, c0 + 1, day[q], b->kwh);
		put_num(b, ds, r, c0 + 2, ref[q], b->kwh);
		if (in_window[q])
			put_num(b, ds, r, c0 + 3, day[q], b->kwh);
	}
	char start[24], title[256];
	cab_time_format_local(sc->alerts[k].start_s, start);
	snprintf(title, sizeof(title), w->chart_day, start);
	lxw_chart *ch = new_chart(b, LXW_CHART_LINE);
	add_series_at(b, ch, "data", 1, SLOTS_PER_DAY, c0, c0 + 1, w->day);
	add_series_at(b, ch, "data", 1, SLOTS_PER_DAY, c0, c0 + 2,
		      w->reference);
	lxw_chart_series *s = add_series_at(b, ch, "data", 1, SLOTS_PER_DAY, c0,
					    c0 + 3, w->window);
	if (s) {
		lxw_chart_line thick = {.color = 0xD03030, .width = 4.5};
		chart_series_set_line(s, &thick);
	}
	lxw_row_t at = (lxw_row_t)(j * 38);
	place_chart(b, cs, at, 0, ch, title, w->axis_kwh, 8);

	/* The participants' Δ % during the alert, sorted. */
	struct pct_item *items = calloc(run->n ? run->n : 1, sizeof(*items));
	if (!items) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	size_t m = 0;
	for (size_t e = 0; e < al->n; e++) {
		const struct cab_alert_effect *ef = &al->effect[e];
		if (ef->alert == k && ef->window == CAB_WINDOW_DURING &&
		    ef->participant >= 0 && ef->is_complete &&
		    isfinite(ef->delta_pct) && m < run->n)
			items[m++] = (struct pct_item){
			    ef->delta_pct,
			    sc->participants[ef->participant].id};
	}
	qsort(items, m, sizeof(*items), by_pct);
	lxw_col_t p0 = (lxw_col_t)(4 * sc->n_alerts + 2 * j);
	put_str(b, ds, 0, p0, w->cols[1], b->head);
	put_str(b, ds, 0, p0 + 1, w->cols[6], b->head_num);
	for (size_t u = 0; u < m; u++) {
		put_str(b, ds, (lxw_row_t)u + 1, p0, items[u].id, NULL);
		put_num(b, ds, (lxw_row_t)u + 1, p0 + 1, items[u].pct, NULL);
	}
	free(items);
	if (!m)
		return;
	snprintf(title, sizeof(title), w->chart_pct, start);
	lxw_chart *pc = new_chart(b, LXW_CHART_COLUMN);
	add_series_at(b, pc, "data", 1, (lxw_row_t)m, p0, p0 + 1, w->cols[6]);
	if (pc)
		chart_legend_set_position(pc, LXW_CHART_LEGEND_NONE);
	place_chart(b, cs, at + 19, 0, pc, title, w->axis_pct, 0);
	if (pc)
		chart_legend_set_position(pc, LXW_CHART_LEGEND_NONE);
}

static enum cab_status write_alerts_xlsx(const struct cab_run *run,
					 const struct cab_report_opts *opts,
					 const char *dir, struct cab_err *err)
{
	const struct cab_alerts *al = opts ? opts->alerts : NULL;
	if (!al)
		return CAB_OK;
	const struct cab_scenario *sc = run->sc;
	const struct alerts_words *w = &AWORDS[report_lang(opts)];
	char path[4096];
	struct book b;
	size_t nt = run->n_intervals;
	struct alert_row *rows = calloc(al->n ? al->n : 1, sizeof(*rows));
	size_t *alert_order =
	    calloc(sc->n_alerts ? sc->n_alerts : 1, sizeof(*alert_order));
	uint8_t *slot_of = malloc(nt ? nt : 1);
	if (!rows || !alert_order || !slot_of) {
		free(rows);
		free(alert_order);
		free(slot_of);
		return cab_err_add(err, CAB_ENOMEM,
				   "%s/alerts.xlsx: out of memory", dir);
	}
	local_slots(run, slot_of, NULL);
	for (size_t e = 0; e < al->n; e++) {
		const struct cab_alert_effect *ef = &al->effect[e];
		struct alert_row *r = &rows[e];
		r->start_s = sc->alerts[ef->alert].start_s;
		r->alert = ef->alert;
		r->window = (int)ef->window;
		r->kind = ef->participant >= 0	  ? 0
			  : ef->participant == -1 ? 2
						  : 1;
		r->id = ef->participant >= 0
			    ? sc->participants[ef->participant].id
			    : "";
		r->group = ef->participant < -1 ? -2 - ef->participant : 0;
		r->effect = e;
	}
	qsort(rows, al->n, sizeof(*rows), by_alert_row);
	/* Alerts in start order, for the charts. */
	size_t n_order = 0;
	for (size_t e = 0; e < al->n; e++)
		if (n_order == 0 || rows[e].alert != alert_order[n_order - 1])
			if (n_order < sc->n_alerts)
				alert_order[n_order++] = rows[e].alert;
	enum cab_status st = book_open(&b, dir, "alerts.xlsx", w->sheet, path,
				       sizeof(path), err);
	if (st != CAB_OK)
		goto done;
	lxw_format *pct = new_format(&b), *count = new_format(&b);
	if (pct)
		format_set_num_format(pct, "0.00");
	if (count)
		format_set_num_format(count, "0");
	lxw_worksheet *ws = book_sheet(&b, w->sheet);
	lxw_worksheet *cs = book_sheet(&b, w->charts);
	lxw_worksheet *ds = book_sheet(&b, "data");
	if (b.e)
		goto close;
	for (lxw_col_t c = 0; c < 8; c++)
		put_str(&b, ws, 0, c, w->cols[c], c > 2 ? b.head_num : b.head);
	for (size_t u = 0; u < al->n; u++) {
		const struct cab_alert_effect *ef = &al->effect[rows[u].effect];
		lxw_row_t r = (lxw_row_t)u + 1;
		char start[24], who[300];
		cab_time_format_local(rows[u].start_s, start);
		put_str(&b, ws, r, 0, start, NULL);
		if (rows[u].kind == 0)
			snprintf(who, sizeof(who), "%s", rows[u].id);
		else if (rows[u].kind == 2)
			snprintf(who, sizeof(who), "%s", w->community);
		else if (!cab_alerts_group_name(sc, (size_t)rows[u].group, who,
						sizeof(who)))
			who[0] = 0;
		put_str(&b, ws, r, 1, who, rows[u].kind ? b.bold : NULL);
		put_str(&b, ws, r, 2, w->windows[rows[u].window], NULL);
		if (ef->is_complete) {
			put_num(&b, ws, r, 3, ef->e_alert_kwh, b.kwh);
			put_num(&b, ws, r, 4, ef->e_ref_kwh, b.kwh);
			put_num(&b, ws, r, 5, ef->delta_kwh, b.kwh);
			put_num(&b, ws, r, 6, ef->delta_pct, pct);
		}
		put_num(&b, ws, r, 7, (double)ef->reference_windows, count);
	}
	if (!b.e)
		b.e = worksheet_set_column(ws, 0, 1, 20, NULL);
	if (!b.e)
		b.e = worksheet_set_column(ws, 2, 7, 15, NULL);
	if (!b.e)
		worksheet_freeze_panes(ws, 1, 0);
	print_table(&b, ws, true, 0);
	if (!b.e && al->n)
		b.e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)al->n, 7);
	for (size_t j = 0; j < n_order && !b.e; j++)
		alert_charts(&b, run, alert_order[j], j, slot_of, al, ds, cs,
			     w);
	print_charts(&b, cs, 38, n_order); /* one alert a page */
	if (!b.e)
		worksheet_activate(ws);
close:
	st = book_close(&b, path, err);
done:
	free(rows);
	free(alert_order);
	free(slot_of);
	return st;
}

const struct cab_report_ops cab_report_alerts_xlsx = {"alerts.xlsx",
						      write_alerts_xlsx};
