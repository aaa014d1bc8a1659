/*
 * words_analyse.c — the texts of the analysis workbooks in French, Dutch
 * and English (reports/xlsx/words.h): alerts.xlsx, curves.xlsx and
 * appliances.xlsx. Tables only, as words.c (the bills' workbooks) is;
 * split from it by job so that each stays readable for a translator.
 */
#include "reports/xlsx/words.h"

#include <string.h>

#define N_LANGS 3 /* enum cab_lang: fr, nl, en */

static const struct cab_alerts_words ALERTS[3] = {
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
		     "Alerte du %s : la communauté ce jour-là et la moyenne de "
		     "ses jours de référence (kWh par quart d'heure)",
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
	 "Alarm van %s: de gemeenschap die dag en het gemiddelde van "
	 "haar referentiedagen (kWh per kwartier)",
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
		     "Alert of %s: the community that day and the mean of its "
		     "reference days (kWh per quarter-hour)",
		     "Alert of %s: each participant's difference during the "
		     "alert (%%)",
		     "%",
		     "kWh"},
};

static const struct cab_curves_words CURVES[3] = {
    [CAB_LANG_FR] =
	{
	    .title = "Courbes de charge",
	    .community_sheet = "Communauté",
	    .week_sheet = "Semaine",
	    .coincidence_sheet = "Simultanéité",
	    .participants_sheet = "Participants",
	    .community = "Communauté",
	    .cabin = "Cabine",
	    .group = "Groupe",
	    .band_note = "Trait plein : la médiane (un jour sur deux est "
			 "au-dessus). Pointillés : le 1er et le 3e quartile ; "
			 "entre les deux se trouve la moitié des jours.",
	    .seasons = {"année", "hiver", "printemps", "été", "automne"},
	    .series = {"Consommation", "Production", "Net"},
	    .stats = {"1er quartile", "médiane", "3e quartile"},
	    .time = "Heure",
	    .day = "Jour",
	    .members = "Participants",
	    .weekdays = {"lun", "mar", "mer", "jeu", "ven", "sam", "dim"},
	    .chart_day = "Journée type de la communauté, %s (kWh par quart "
			 "d'heure)",
	    .chart_group = "%s, journée type sur la période (kWh par quart "
			   "d'heure)",
	    .chart_week = "Semaine moyenne de la communauté (kWh par quart "
			  "d'heure)",
	    .chart_cf = "Facteur de simultanéité selon le nombre de "
			"participants",
	    .chart_participants = "Consommation médiane de quelques "
				  "participants (kWh par quart d'heure)",
	    .participants_note = "Consommation médiane de chaque participant "
				 "par quart d'heure, sur toute la période "
				 "(kWh).",
	    .cf_note = "Pointe du groupe / somme des pointes de ses membres, "
		       "quand ses k premiers membres s'additionnent : plus "
		       "c'est bas, plus les courbes se compensent.",
	    .members_fmt = "%s (%zu participants)",
	    .axis_kwh = "kWh",
	    .axis_cf = "Facteur de simultanéité",
	},
    [CAB_LANG_NL] =
	{
	    .title = "Belastingscurves",
	    .community_sheet = "Gemeenschap",
	    .week_sheet = "Week",
	    .coincidence_sheet = "Gelijktijdigheid",
	    .participants_sheet = "Deelnemers",
	    .community = "Gemeenschap",
	    .cabin = "Cabine",
	    .group = "Groep",
	    .band_note = "Volle lijn: de mediaan (één dag op twee ligt "
			 "hoger). Stippellijnen: het 1e en 3e kwartiel; "
			 "daartussen ligt de helft van de dagen.",
	    .seasons = {"jaar", "winter", "lente", "zomer", "herfst"},
	    .series = {"Verbruik", "Productie", "Netto"},
	    .stats = {"1e kwartiel", "mediaan", "3e kwartiel"},
	    .time = "Uur",
	    .day = "Dag",
	    .members = "Deelnemers",
	    .weekdays = {"ma", "di", "wo", "do", "vr", "za", "zo"},
	    .chart_day = "Typische dag van de gemeenschap, %s (kWh per "
			 "kwartier)",
	    .chart_group = "%s, typische dag over de periode (kWh per "
			   "kwartier)",
	    .chart_week = "Gemiddelde week van de gemeenschap (kWh per "
			  "kwartier)",
	    .chart_cf = "Gelijktijdigheidsfactor volgens het aantal "
			"deelnemers",
	    .chart_participants = "Mediaan verbruik van enkele deelnemers "
				  "(kWh per kwartier)",
	    .participants_note = "Mediaan verbruik van elke deelnemer per "
				 "kwartier, over de hele periode (kWh).",
	    .cf_note = "Piek van de groep / som van de pieken van de leden, "
		       "wanneer de eerste k leden optellen: hoe lager, hoe "
		       "meer de curves elkaar compenseren.",
	    .members_fmt = "%s (%zu deelnemers)",
	    .axis_kwh = "kWh",
	    .axis_cf = "Gelijktijdigheidsfactor",
	},
    [CAB_LANG_EN] =
	{
	    .title = "Load curves",
	    .community_sheet = "Community",
	    .week_sheet = "Week",
	    .coincidence_sheet = "Coincidence",
	    .participants_sheet = "Participants",
	    .community = "Community",
	    .cabin = "Cabin",
	    .group = "Group",
	    .band_note = "Solid line: the median (one day in two is above "
			 "it). Dashed lines: the 1st and 3rd quartiles; half "
			 "of the days lie between them.",
	    .seasons = {"year", "winter", "spring", "summer", "autumn"},
	    .series = {"Consumption", "Production", "Net"},
	    .stats = {"1st quartile", "median", "3rd quartile"},
	    .time = "Time",
	    .day = "Day",
	    .members = "Participants",
	    .weekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
	    .chart_day = "The community's typical day, %s (kWh per "
			 "quarter-hour)",
	    .chart_group = "%s, typical day over the period (kWh per "
			   "quarter-hour)",
	    .chart_week = "The community's mean week (kWh per quarter-hour)",
	    .chart_cf = "Coincidence factor by number of participants",
	    .chart_participants = "Median consumption of a few participants "
				  "(kWh per quarter-hour)",
	    .participants_note = "Each participant's median consumption per "
				 "quarter-hour over the whole period (kWh).",
	    .cf_note = "Peak of the group / sum of its members' peaks, as "
		       "its first k members add up: the lower, the more the "
		       "curves offset each other.",
	    .members_fmt = "%s (%zu participants)",
	    .axis_kwh = "kWh",
	    .axis_cf = "Coincidence factor",
	},
};

static const struct cab_appliances_words APPLIANCES[3] = {
    [CAB_LANG_FR] =
	{
	    .title = "Inventaire des appareils",
	    .households_sheet = "Ménages",
	    .inventory_sheet = "Inventaire",
	    .alerts_sheet = "Alertes",
	    .participant = "Participant",
	    .community = "Communauté",
	    .total = "Total",
	    .household_cols = {"Participant", "Appareils", "Mesurés",
			       "Estimé (kWh/j)", "Wattmètre (kWh/j)",
			       "Estimé des mesurés (kWh/j)",
			       "Inventaire (kWh/j)", "Indispensable (kWh/j)",
			       "Utile (kWh/j)", "Confort (kWh/j)",
			       "Déplaçable (kWh/j)", "Compteur (kWh/j)",
			       "Part expliquée"},
	    .inventory_cols = {"Participant", "Appareil ou usage", "Classe",
			       "Puissance (W)", "Heures par jour", "Moment",
			       "Déplaçable", "Alternative", "Estimé (kWh/j)",
			       "Wattmètre (kWh/j)"},
	    .alert_cols = {"Alerte", "Participant", "Indispensable (kWh)",
			   "Utile (kWh)", "Confort (kWh)",
			   "Effaçable : utile + confort (kWh)",
			   "Économisé (kWh)"},
	    .classes = {"indispensable", "utile", "confort"},
	    .yes = "oui",
	    .no = "non",
	    .by_class = "Par classe, toute la communauté",
	    .class_cols = {"Classe", "Appareils", "kWh par jour"},
	    .note = "Estimé = puissance × heures par jour ; le wattmètre "
		    "compte là où il y a une mesure ; part expliquée = "
		    "inventaire / journée moyenne du compteur. Pendant une "
		    "alerte, un usage compte au prorata de ses heures "
		    "habituelles couvertes ; économisé = −Δ de l'alerte.",
	    .chart_households = "Inventaire et compteur, par jour",
	    .chart_alerts = "Ce qui pouvait être effacé, ce qui l'a été",
	    .axis_kwh_day = "kWh par jour",
	    .axis_kwh = "kWh",
	    .series_inventory = "Inventaire",
	    .series_meter = "Compteur",
	    .series_could = "Effaçable (utile + confort)",
	    .series_shed = "Économisé",
	},
    [CAB_LANG_NL] =
	{
	    .title = "Inventaris van de toestellen",
	    .households_sheet = "Gezinnen",
	    .inventory_sheet = "Inventaris",
	    .alerts_sheet = "Alarmen",
	    .participant = "Deelnemer",
	    .community = "Gemeenschap",
	    .total = "Totaal",
	    .household_cols = {"Deelnemer", "Toestellen", "Gemeten",
			       "Geschat (kWh/d)", "Wattmeter (kWh/d)",
			       "Schatting van de gemeten (kWh/d)",
			       "Inventaris (kWh/d)", "Onmisbaar (kWh/d)",
			       "Nuttig (kWh/d)", "Comfort (kWh/d)",
			       "Verschuifbaar (kWh/d)", "Meter (kWh/d)",
			       "Verklaard deel"},
	    .inventory_cols = {"Deelnemer", "Toestel of gebruik", "Klasse",
			       "Vermogen (W)", "Uren per dag", "Tijdstip",
			       "Verschuifbaar", "Alternatief",
			       "Geschat (kWh/d)", "Wattmeter (kWh/d)"},
	    .alert_cols = {"Alarm", "Deelnemer", "Onmisbaar (kWh)",
			   "Nuttig (kWh)", "Comfort (kWh)",
			   "Schrapbaar: nuttig + comfort (kWh)",
			   "Bespaard (kWh)"},
	    .classes = {"onmisbaar", "nuttig", "comfort"},
	    .yes = "ja",
	    .no = "nee",
	    .by_class = "Per klasse, de hele gemeenschap",
	    .class_cols = {"Klasse", "Toestellen", "kWh per dag"},
	    .note = "Geschat = vermogen × uren per dag; de wattmeter telt "
		    "waar er een meting is; verklaard deel = inventaris / "
		    "gemiddelde dag van de meter. Tijdens een alarm telt een "
		    "gebruik naar rata van de gewone uren die het dekt; "
		    "bespaard = −Δ van het alarm.",
	    .chart_households = "Inventaris en meter, per dag",
	    .chart_alerts = "Wat geschrapt kon worden, wat geschrapt werd",
	    .axis_kwh_day = "kWh per dag",
	    .axis_kwh = "kWh",
	    .series_inventory = "Inventaris",
	    .series_meter = "Meter",
	    .series_could = "Schrapbaar (nuttig + comfort)",
	    .series_shed = "Bespaard",
	},
    [CAB_LANG_EN] =
	{
	    .title = "Appliance inventory",
	    .households_sheet = "Households",
	    .inventory_sheet = "Inventory",
	    .alerts_sheet = "Alerts",
	    .participant = "Participant",
	    .community = "Community",
	    .total = "Total",
	    .household_cols = {"Participant", "Appliances", "Measured",
			       "Estimated (kWh/d)", "Wattmeter (kWh/d)",
			       "Estimate of the measured (kWh/d)",
			       "Inventory (kWh/d)", "Indispensable (kWh/d)",
			       "Useful (kWh/d)", "Comfort (kWh/d)",
			       "Shiftable (kWh/d)", "Meter (kWh/d)",
			       "Share explained"},
	    .inventory_cols = {"Participant", "Appliance or use", "Class",
			       "Power (W)", "Hours per day", "Time of day",
			       "Shiftable", "Alternative", "Estimated (kWh/d)",
			       "Wattmeter (kWh/d)"},
	    .alert_cols = {"Alert", "Participant", "Indispensable (kWh)",
			   "Useful (kWh)", "Comfort (kWh)",
			   "Could shed: useful + comfort (kWh)", "Shed (kWh)"},
	    .classes = {"indispensable", "useful", "comfort"},
	    .yes = "yes",
	    .no = "no",
	    .by_class = "By class, the whole community",
	    .class_cols = {"Class", "Appliances", "kWh per day"},
	    .note = "Estimated = power × hours per day; the wattmeter counts "
		    "where there is a reading; share explained = inventory / "
		    "the meter's average day. During an alert, a use counts "
		    "in proportion to its usual hours covered; shed = the "
		    "alert's −Δ.",
	    .chart_households = "Inventory and meter, per day",
	    .chart_alerts = "What could be shed, what was",
	    .axis_kwh_day = "kWh per day",
	    .axis_kwh = "kWh",
	    .series_inventory = "Inventory",
	    .series_meter = "Meter",
	    .series_could = "Could shed (useful + comfort)",
	    .series_shed = "Shed",
	},
};

static int lang_or_french(int lang)
{
	return lang >= CAB_LANG_FR && lang < N_LANGS ? lang : CAB_LANG_FR;
}

const struct cab_alerts_words *cab_words_alerts(int lang)
{
	return &ALERTS[lang_or_french(lang)];
}

const struct cab_curves_words *cab_words_curves(int lang)
{
	return &CURVES[lang_or_french(lang)];
}

const struct cab_appliances_words *cab_words_appliances(int lang)
{
	return &APPLIANCES[lang_or_french(lang)];
}
