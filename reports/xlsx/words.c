/*
 * words.c — the texts of the bills' workbooks in French, Dutch and
 * English (reports/xlsx/words.h): the invoice, its bill lines and the
 * pot's key, the keys' names, compare.xlsx, community.xlsx and
 * sibelga.xlsx; words_analyse.c holds those of alerts.xlsx, curves.xlsx
 * and appliances.xlsx. Tables only: static, read-only, indexed by enum
 * cab_lang.
 *
 * Why here: a translator reads and corrects two files; the writers take
 * their words from the accessors at the end and spell none themselves.
 */
#include "reports/xlsx/words.h"

#include <string.h>

#define N_LANGS 3 /* enum cab_lang: fr, nl, en */

static const struct cab_invoice_words INVOICE[3] = {
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
		       "juillet", "août", "septembre", "octobre", "novembre",
		       "décembre"},
	    .name = "Nom",
	    .address = "Adresse",
	    .days_fmt = "%d/%d jours",
	    .years_fmt = "%s an",
	    .vat_fmt = "TVA (sur %s €)",
	    .decimal = ',',
	    .producer = "Votre production",
	    .produced = "Production (kWh)",
	    .given = "Partagée avec la communauté (kWh)",
	    .injected_unshared = "Injectée sur le réseau, non partagée (kWh)",
	    .col_given = "Partagée (donnée)",
	    .pot_total = "Pot commun à répartir",
	    .pot_alpha = "%s (%s %% de la clé)",
	    .cap_price = "Votre part est plafonnée à %s € (%s €/kWh × "
			 "votre consommation).",
	    .cap = "Votre part est plafonnée à %s €.",
	    .floor = "Votre part est d'au moins %s € (plancher).",
	    .others_caps = "Votre part dépasse votre poids × le pot : ce que "
			   "les plafonds d'autres membres retirent est "
			   "réparti entre les autres selon leurs poids.",
	    .others_floors = "Votre part est sous votre poids × le pot : ce "
			     "que les planchers d'autres membres ajoutent "
			     "est retiré aux autres selon leurs poids.",
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
	    .gain = "U bespaart",
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
	    .months = {"januari", "februari", "maart", "april", "mei", "juni",
		       "juli", "augustus", "september", "oktober", "november",
		       "december"},
	    .name = "Naam",
	    .address = "Adres",
	    .days_fmt = "%d/%d dagen",
	    .years_fmt = "%s jaar",
	    .vat_fmt = "Btw (op € %s)",
	    .decimal = ',',
	    .producer = "Uw productie",
	    .produced = "Productie (kWh)",
	    .given = "Gedeeld met de gemeenschap (kWh)",
	    .injected_unshared = "Op het net geïnjecteerd, niet gedeeld (kWh)",
	    .col_given = "Gedeeld (gegeven)",
	    .pot_total = "Te verdelen gemeenschappelijke pot",
	    .pot_alpha = "%s (%s %% van de sleutel)",
	    .cap_price = "Uw aandeel is begrensd op € %s (€ %s/kWh × uw "
			 "verbruik).",
	    .cap = "Uw aandeel is begrensd op € %s.",
	    .floor = "Uw aandeel bedraagt minstens € %s (ondergrens).",
	    .others_caps = "Uw aandeel ligt boven uw gewicht × de pot: wat de "
			   "plafonds van andere leden wegnemen, wordt over "
			   "de anderen verdeeld volgens hun gewicht.",
	    .others_floors = "Uw aandeel ligt onder uw gewicht × de pot: wat "
			     "de ondergrenzen van andere leden toevoegen, "
			     "wordt bij de anderen weggenomen volgens hun "
			     "gewicht.",
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
	    .months = {"January", "February", "March", "April", "May", "June",
		       "July", "August", "September", "October", "November",
		       "December"},
	    .name = "Name",
	    .address = "Address",
	    .days_fmt = "%d/%d days",
	    .years_fmt = "%s years",
	    .vat_fmt = "VAT (on EUR %s)",
	    .decimal = '.',
	    .producer = "Your production",
	    .produced = "Production (kWh)",
	    .given = "Shared with the community (kWh)",
	    .injected_unshared = "Injected into the grid, not shared (kWh)",
	    .col_given = "Shared (given)",
	    .pot_total = "Common pot to split",
	    .pot_alpha = "%s (%s %% of the key)",
	    .cap_price = "Your share is capped at EUR %s (EUR %s/kWh × your "
			 "consumption).",
	    .cap = "Your share is capped at EUR %s.",
	    .floor = "Your share is at least EUR %s (floor).",
	    .others_caps = "Your share is above your weight × the pot: what "
			   "other members' caps remove is split among the "
			   "others by their weights.",
	    .others_floors = "Your share is below your weight × the pot: what "
			     "other members' floors add is taken from the "
			     "others by their weights.",
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

/* Texts of the pot's key block, per language (SPEC §3): the title, the
 * share paid, the weight under the key, then the criteria in enum
 * cab_criterion order. */
static const char *const POT[3][3 + CAB_CRIT_COUNT] = {
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

/* Sharing keys by registry name (keys/registry.c), fr / nl / en. */
static const struct {
	const char *id;
	const char *label[3];
} KEY_NAMES[] = {
    {"fixed", {"fixe", "vast", "fixed"}},
    {"proportional", {"proportionnelle", "proportioneel", "proportional"}},
    {"hybrid", {"hybride", "hybride", "hybrid"}},
    {"priority", {"par priorité", "met voorrang", "priority"}},
    {"optimal", {"optimale", "optimaal", "optimal"}},
};

static const char *const BILLING_KEY[3] = {"Clé de facturation du pot",
					   "Verdeelsleutel van de pot",
					   "Billing key of the pot"};

static const struct cab_compare_words COMPARE[3] = {
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

static const struct cab_community_words COMMUNITY[3] = {
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

/* The operator's own column heads (French), whatever the language. */
static const char *const SIBELGA_HEAD[7] = {"Compteur",
					    "Mois",
					    "Registre",
					    "Volume Partagé",
					    "Volume Complémentaire",
					    "Injection Partagée",
					    "Gridfee total"};

static const struct cab_sibelga_words SIBELGA[3] = {
    [CAB_LANG_FR] =
	{
	    .head = SIBELGA_HEAD,
	    .rounding = "Arrondis : chaque redevance est arrondie au cent par "
			"mois et par registre. Pour les compteurs ci-dessous, "
			"la somme des mois diffère des lignes réseau de la "
			"facture sur la période (hors terme fixe et TVA).",
	    .cols = {"Compteur", "Somme des mois (€)",
		     "Facture, lignes réseau (€)", "Écart (€)"},
	},
    [CAB_LANG_NL] =
	{
	    .head = SIBELGA_HEAD,
	    .rounding =
		"Afronding: elke netvergoeding is per maand en per "
		"register op de cent afgerond. Voor de meters hieronder "
		"verschilt de som van de maanden van de netwerklijnen "
		"van de factuur over de periode (zonder vaste term en "
		"btw).",
	    .cols = {"Meter", "Som van de maanden (€)",
		     "Factuur, netwerklijnen (€)", "Verschil (€)"},
	},
    [CAB_LANG_EN] =
	{
	    .head = SIBELGA_HEAD,
	    .rounding = "Rounding: each grid fee is rounded to the cent per "
			"month and register. For the meters below, the months "
			"do not add up to the bill's network lines over the "
			"period (without the fixed term and VAT).",
	    .cols = {"Meter", "Sum of the months (EUR)",
		     "Bill, network lines (EUR)", "Difference (EUR)"},
	},
};

static int lang_or_french(int lang)
{
	return lang >= CAB_LANG_FR && lang < N_LANGS ? lang : CAB_LANG_FR;
}

const struct cab_invoice_words *cab_words_invoice(int lang)
{
	return &INVOICE[lang_or_french(lang)];
}

const char *cab_words_line_label(const char *id, int lang)
{
	for (size_t k = 0; k < sizeof(LINE_LABELS) / sizeof(LINE_LABELS[0]);
	     k++)
		if (strcmp(LINE_LABELS[k].id, id) == 0)
			return LINE_LABELS[k].label[lang_or_french(lang)];
	return id;
}

const char *const *cab_words_pot(int lang)
{
	return POT[lang_or_french(lang)];
}

const struct cab_compare_words *cab_words_compare(int lang)
{
	return &COMPARE[lang_or_french(lang)];
}

const struct cab_community_words *cab_words_community(int lang)
{
	return &COMMUNITY[lang_or_french(lang)];
}

const struct cab_sibelga_words *cab_words_sibelga(int lang)
{
	return &SIBELGA[lang_or_french(lang)];
}

const char *cab_words_key_name(const char *id, int lang)
{
	int l = lang >= 0 && lang < N_LANGS ? lang : 0;
	for (size_t k = 0; k < sizeof(KEY_NAMES) / sizeof(KEY_NAMES[0]); k++)
		if (strcmp(KEY_NAMES[k].id, id) == 0)
			return KEY_NAMES[k].label[l];
	return id;
}

const char *cab_words_billing_key(int lang)
{
	return BILLING_KEY[lang >= 0 && lang < N_LANGS ? lang : 0];
}

/* backtest.xlsx (`cabine forecast --backtest`). */
static const struct cab_backtest_words BACKTEST[3] = {
    [CAB_LANG_FR] =
	{"Backtest",
	 "Jours",
	 "Fenêtres",
	 "Prévision des heures de surplus contre les mesures",
	 {"Sujet", "Grandeur", "Quarts d'heure", "Prévu (kWh)", "Mesuré (kWh)",
	  "Biais (kWh)", "Biais (%)", "Erreur absolue (%)"},
	 {"production", "consommation", "surplus"},
	 "communauté",
	 "%zu fenêtres signalées sur %zu ont eu un surplus mesuré (%.0f %%)",
	 "Aucune fenêtre signalée n'a été mesurée entièrement",
	 {"Jour", "Production prévue (kWh)", "Production mesurée (kWh)"},
	 {"Début", "Fin", "Surplus prévu (kWh)", "Surplus mesuré (kWh)",
	  "Quarts d'heure en surplus", "Surplus réel"},
	 "oui",
	 "non",
	 "Production de la communauté par jour : prévue et mesurée",
	 "kWh",
	 "Biais = prévu − mesuré (positif : la prévision promettait trop). "
	 "Erreur absolue = Σ |prévu − mesuré| / Σ |mesuré|, quart d'heure "
	 "par quart d'heure."},
    [CAB_LANG_NL] =
	{"Backtest",
	 "Dagen",
	 "Vensters",
	 "Voorspelling van de overschoturen tegenover de metingen",
	 {"Onderwerp", "Grootheid", "Kwartieren", "Voorspeld (kWh)",
	  "Gemeten (kWh)", "Bias (kWh)", "Bias (%)", "Absolute fout (%)"},
	 {"productie", "verbruik", "overschot"},
	 "gemeenschap",
	 "%zu van de %zu gemelde vensters hadden een gemeten overschot "
	 "(%.0f %%)",
	 "Geen enkel gemeld venster werd volledig gemeten",
	 {"Dag", "Voorspelde productie (kWh)", "Gemeten productie (kWh)"},
	 {"Begin", "Einde", "Voorspeld overschot (kWh)",
	  "Gemeten overschot (kWh)", "Kwartieren met overschot",
	  "Echt overschot"},
	 "ja",
	 "nee",
	 "Productie van de gemeenschap per dag: voorspeld en gemeten",
	 "kWh",
	 "Bias = voorspeld − gemeten (positief: de voorspelling beloofde te "
	 "veel). Absolute fout = Σ |voorspeld − gemeten| / Σ |gemeten|, "
	 "kwartier per kwartier."},
    [CAB_LANG_EN] =
	{"Backtest",
	 "Days",
	 "Windows",
	 "Surplus-hours forecast against the measurements",
	 {"Subject", "Quantity", "Quarter-hours", "Forecast (kWh)",
	  "Measured (kWh)", "Bias (kWh)", "Bias (%)", "Absolute error (%)"},
	 {"production", "consumption", "surplus"},
	 "community",
	 "%zu of %zu signalled windows had a measured surplus (%.0f %%)",
	 "No signalled window was measured whole",
	 {"Day", "Forecast production (kWh)", "Measured production (kWh)"},
	 {"Start", "End", "Forecast surplus (kWh)", "Measured surplus (kWh)",
	  "Quarter-hours in surplus", "Real surplus"},
	 "yes",
	 "no",
	 "The community's production per day: forecast and measured",
	 "kWh",
	 "Bias = forecast − measured (positive: the forecast promised too "
	 "much). Absolute error = Σ |forecast − measured| / Σ |measured|, "
	 "quarter-hour by quarter-hour."},
};

const struct cab_backtest_words *cab_words_backtest(int lang)
{
	return &BACKTEST[lang_or_french(lang)];
}
