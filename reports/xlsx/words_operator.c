/*
 * words_operator.c — the texts of what the operator's files add to the
 * workbooks (SPEC §13), in French, Dutch and English: reconcile.xlsx
 * (its findings as sentences, sheet and column names) and the invoice
 * as a document (number, dates, communication, the issuer's block).
 *
 * Why a file beside words.c: the same rule (a translator reads one
 * table, writers spell nothing), kept apart so that words.c stays below
 * the size of a file one reads in one go. Sentences are printf formats;
 * their arguments are listed beside each.
 *
 * Tables only: static, read-only, indexed by enum cab_lang.
 */
#include "reports/xlsx/words.h"

static const struct cab_reconcile_words RECONCILE[3] = {
    [CAB_LANG_FR] =
	{
	    .sheet_findings = "Constats",
	    .sheet_months = "Mois",
	    .sheet_quarters = "Quarts d'heure",
	    .title = "Simulation et fichiers de l'opérateur",
	    .community = "Communauté",
	    .period = "Période",
	    .store = "Fichiers de l'opérateur",
	    .findings = "Ce qu'il faut regarder",
	    /* participant, EAN, file */
	    .absent_all = "%s (EAN %s) est absent du %s de l'opérateur : "
			  "il n'y reçoit rien de la communauté ni n'y donne "
			  "rien. Demandez à l'opérateur s'il est bien "
			  "inscrit, et depuis quand.",
	    /* participant, EAN, file, months absent, months */
	    .absent_some = "%s (EAN %s) est absent du %s de l'opérateur "
			   "pendant %zu mois sur %zu.",
	    .files_of = {"fichier mensuel", "fichier quart-horaire"},
	    .no_ean = "%s n'a pas d'EAN dans le scénario : il n'est pas "
		      "comparé.",
	    /* participant, date */
	    .late = "Les volumes de %s sont nuls jusqu'au %s : est-il entré "
		    "dans la communauté ce jour-là ?",
	    /* key, % */
	    .key_same = "L'opérateur a appliqué la clé du scénario (%s) : "
			"%s %% de l'énergie partagée est répartie "
			"autrement.",
	    /* best key, %, scenario's key, % */
	    .key_other = "Les volumes de l'opérateur correspondent mieux à "
			 "la clé « %s » (%s %% de l'énergie partagée "
			 "répartie autrement) qu'à celle du scénario, « %s » "
			 "(%s %%). Vérifiez la clé déclarée à l'opérateur.",
	    .weights = "Poids qui reproduisent l'opérateur : %s.",
	    /* intervals, Σ kWh, largest kWh, date and time */
	    .unbalanced = "Sur %zu quarts d'heure, la consommation partagée "
			  "ne vaut pas l'injection partagée (%s kWh d'écart "
			  "en tout, au plus %s kWh le %s).",
	    /* month, shared offtake, shared injection */
	    .unbalanced_month = "En %s, le fichier mensuel donne %s kWh de "
				"consommation partagée mais %s kWh "
				"d'injection partagée.",
	    /* month, participant, operator EUR, tariff EUR */
	    .gridfee = "En %s, le gridfee de %s est de %s € ; le tarif "
		       "donne %s € pour les volumes de l'opérateur.",
	    /* month, participant, quantity, monthly, quarter-hours */
	    .files = "En %s, pour %s, le fichier mensuel et le fichier "
		     "quart-horaire diffèrent (%s) : %s kWh contre %s kWh.",
	    .partial = "%s n'est qu'en partie dans la période : le fichier "
		       "mensuel n'est pas comparé pour ce mois.",
	    /* quantity, rows, largest difference, participant, month */
	    .differences = "%s : %zu valeur(s) mensuelle(s) diffèrent ; le "
			   "plus grand écart (opérateur − simulation) est %s "
			   "pour %s en %s.",
	    .agree = "Les volumes de l'opérateur sont ceux de la simulation "
		     ": aucun écart au-delà de 0,001 kWh (0,01 €).",
	    .quantities = {"Énergie partagée reçue", "Volume complémentaire",
			   "Injection partagée", "Gridfee"},
	    .keys = "Clés essayées sur les volumes de l'opérateur",
	    .key_cols = {"Clé", "Énergie répartie autrement", "Poids"},
	    .key_names = {"fixe", "proportionnelle", "hybride", "prioritaire",
			  "optimale"},
	    .until_done = "jusqu'à épuisement",
	    .fitted = "poids ajustés",
	    .equal = "poids égaux",
	    .scenario = "(scénario)",
	    .month_cols = {"Participant", "EAN", "Mois", "Grandeur",
			   "Simulation", "Opérateur", "Écart", "Source"},
	    .sources = {"", "fichier mensuel", "quarts d'heure",
			"absent de l'opérateur"},
	    .quarter_cols = {"Quart d'heure", "Participant", "Grandeur",
			     "Simulation (kWh)", "Opérateur (kWh)",
			     "Écart (kWh)"},
	    .timeline_cols = {"Quart d'heure", "Σ |écarts| partagés (kWh)",
			      "Partagé consommé − injecté (kWh)"},
	    .truncated = "Les %zu premiers des %zu quarts d'heure qui "
			 "diffèrent.",
	    .chart_months = "Énergie partagée reçue : simulation et opérateur",
	    .chart_quarters = "Quarts d'heure qui diffèrent",
	    .axis_kwh = "kWh",
	    .decimal = ",",
	},
    [CAB_LANG_NL] =
	{
	    .sheet_findings = "Bevindingen",
	    .sheet_months = "Maanden",
	    .sheet_quarters = "Kwartieren",
	    .title = "Simulatie en bestanden van de netbeheerder",
	    .community = "Gemeenschap",
	    .period = "Periode",
	    .store = "Bestanden van de netbeheerder",
	    .findings = "Waar u naar moet kijken",
	    .absent_all = "%s (EAN %s) ontbreekt in het %s van de "
			  "netbeheerder: hij krijgt er niets van de "
			  "gemeenschap en geeft er niets. Vraag de "
			  "netbeheerder of hij wel ingeschreven is, en sinds "
			  "wanneer.",
	    .absent_some = "%s (EAN %s) ontbreekt in het %s van de "
			   "netbeheerder gedurende %zu van de %zu maanden.",
	    .files_of = {"maandbestand", "kwartierbestand"},
	    .no_ean = "%s heeft geen EAN in het scenario: niet vergeleken.",
	    .late = "De volumes van %s zijn nul tot %s: is hij die dag tot "
		    "de gemeenschap toegetreden?",
	    .key_same = "De netbeheerder paste de verdeelsleutel van het "
			"scenario toe (%s): %s %% van de gedeelde energie "
			"is anders verdeeld.",
	    .key_other = "De volumes van de netbeheerder passen beter bij "
			 "de sleutel '%s' (%s %% van de gedeelde energie "
			 "anders verdeeld) dan bij die van het scenario, "
			 "'%s' (%s %%). Controleer de sleutel die aan de "
			 "netbeheerder werd opgegeven.",
	    .weights = "Gewichten die de netbeheerder nabootsen: %s.",
	    .unbalanced = "In %zu kwartieren is de gedeelde afname niet "
			  "gelijk aan de gedeelde injectie (%s kWh verschil "
			  "in totaal, hoogstens %s kWh op %s).",
	    .unbalanced_month = "In %s geeft het maandbestand %s kWh "
				"gedeelde afname maar %s kWh gedeelde "
				"injectie.",
	    .gridfee = "In %s bedraagt de gridfee van %s %s €; het tarief "
		       "geeft %s € voor de volumes van de netbeheerder.",
	    .files = "In %s verschillen voor %s het maandbestand en het "
		     "kwartierbestand (%s): %s kWh tegenover %s kWh.",
	    .partial = "%s valt maar gedeeltelijk in de periode: het "
		       "maandbestand wordt voor die maand niet vergeleken.",
	    .differences = "%s: %zu maandwaarde(n) verschillen; het grootste "
			   "verschil (netbeheerder − simulatie) is %s voor %s "
			   "in %s.",
	    .agree = "De volumes van de netbeheerder zijn die van de "
		     "simulatie: geen verschil boven 0,001 kWh (0,01 €).",
	    .quantities = {"Ontvangen gedeelde energie", "Aanvullend volume",
			   "Gedeelde injectie", "Gridfee"},
	    .keys = "Sleutels uitgeprobeerd op de volumes van de "
		    "netbeheerder",
	    .key_cols = {"Sleutel", "Anders verdeelde energie", "Gewichten"},
	    .key_names = {"vast", "proportioneel", "hybride", "voorrang",
			  "optimaal"},
	    .until_done = "tot uitputting",
	    .fitted = "aangepaste gewichten",
	    .equal = "gelijke gewichten",
	    .scenario = "(scenario)",
	    .month_cols = {"Deelnemer", "EAN", "Maand", "Grootheid",
			   "Simulatie", "Netbeheerder", "Verschil", "Bron"},
	    .sources = {"", "maandbestand", "kwartieren",
			"ontbreekt bij de netbeheerder"},
	    .quarter_cols = {"Kwartier", "Deelnemer", "Grootheid",
			     "Simulatie (kWh)", "Netbeheerder (kWh)",
			     "Verschil (kWh)"},
	    .timeline_cols = {"Kwartier", "Σ |verschillen| gedeeld (kWh)",
			      "Gedeeld afgenomen − geïnjecteerd (kWh)"},
	    .truncated = "De eerste %zu van de %zu verschillende kwartieren.",
	    .chart_months = "Ontvangen gedeelde energie: simulatie en "
			    "netbeheerder",
	    .chart_quarters = "Kwartieren die verschillen",
	    .axis_kwh = "kWh",
	    .decimal = ",",
	},
    [CAB_LANG_EN] =
	{
	    .sheet_findings = "Findings",
	    .sheet_months = "Months",
	    .sheet_quarters = "Quarter-hours",
	    .title = "Simulation and the operator's files",
	    .community = "Community",
	    .period = "Period",
	    .store = "The operator's files",
	    .findings = "What to look at",
	    .absent_all = "%s (EAN %s) is not in the operator's %s: it "
			  "receives nothing from the community there and "
			  "gives nothing. Ask the operator whether it is "
			  "registered, and since when.",
	    .absent_some = "%s (EAN %s) is not in the operator's %s in %zu "
			   "of %zu months.",
	    .files_of = {"monthly file", "quarter-hour file"},
	    .no_ean = "%s has no EAN in the scenario: not compared.",
	    .late = "The volumes of %s are zero until %s: did it join the "
		    "community that day?",
	    .key_same = "The operator applied the scenario's key (%s): %s %% "
			"of the shared energy is allocated otherwise.",
	    .key_other = "The operator's volumes fit the key '%s' (%s %% of "
			 "the shared energy allocated otherwise) better than "
			 "the scenario's, '%s' (%s %%). Check the key "
			 "declared to the operator.",
	    .weights = "Weights that reproduce the operator: %s.",
	    .unbalanced = "In %zu quarter-hours the shared offtake is not "
			  "the shared injection (%s kWh apart in all, at "
			  "most %s kWh on %s).",
	    .unbalanced_month = "In %s the monthly file gives %s kWh of "
				"shared offtake but %s kWh of shared "
				"injection.",
	    .gridfee = "In %s the grid fee of %s is EUR %s; the tariff gives "
		       "EUR %s for the operator's volumes.",
	    .files = "In %s, for %s, the operator's monthly and quarter-hour "
		     "files differ (%s): %s kWh against %s kWh.",
	    .partial = "%s is only partly in the period: the monthly file "
		       "is not compared for that month.",
	    .differences = "%s: %zu monthly value(s) differ; the largest "
			   "difference (operator − simulation) is %s for %s in "
			   "%s.",
	    .agree = "The operator's volumes are the simulation's: no "
		     "difference above 0.001 kWh (EUR 0.01).",
	    .quantities = {"Shared energy received", "Complementary volume",
			   "Shared injection", "Grid fee"},
	    .keys = "Keys tried on the operator's volumes",
	    .key_cols = {"Key", "Energy allocated otherwise", "Weights"},
	    .key_names = {"fixed", "proportional", "hybrid", "priority",
			  "optimal"},
	    .until_done = "until done",
	    .fitted = "fitted weights",
	    .equal = "equal weights",
	    .scenario = "(scenario)",
	    .month_cols = {"Participant", "EAN", "Month", "Quantity",
			   "Simulation", "Operator", "Difference", "Source"},
	    .sources = {"", "monthly file", "quarter-hours",
			"absent from the operator"},
	    .quarter_cols = {"Quarter-hour", "Participant", "Quantity",
			     "Simulation (kWh)", "Operator (kWh)",
			     "Difference (kWh)"},
	    .timeline_cols = {"Quarter-hour", "Σ |shared differences| (kWh)",
			      "Shared offtake − injection (kWh)"},
	    .truncated = "The first %zu of the %zu quarter-hours that differ.",
	    .chart_months = "Shared energy received: simulation and operator",
	    .chart_quarters = "Quarter-hours that differ",
	    .axis_kwh = "kWh",
	    .decimal = ".",
	},
};

static const struct cab_invoice_doc_words DOC[3] = {
    [CAB_LANG_FR] = {.invoice = "Facture n°",
		     .statement = "Relevé n°",
		     .statement_title = "Relevé : ce que la communauté vous "
					"doit",
		     .issue = "Date",
		     .due = "Échéance",
		     .communication = "Communication structurée",
		     .pay_to = "À verser sur le compte",
		     .paid_by = "Versé par la communauté sur votre compte",
		     .vat_number = "TVA",
		     .email = "Contact"},
    [CAB_LANG_NL] = {.invoice = "Factuur nr.",
		     .statement = "Afrekening nr.",
		     .statement_title = "Afrekening: wat de gemeenschap u "
					"verschuldigd is",
		     .issue = "Datum",
		     .due = "Vervaldag",
		     .communication = "Gestructureerde mededeling",
		     .pay_to = "Te storten op rekening",
		     .paid_by = "Door de gemeenschap op uw rekening gestort",
		     .vat_number = "Btw",
		     .email = "Contact"},
    [CAB_LANG_EN] = {.invoice = "Invoice no.",
		     .statement = "Statement no.",
		     .statement_title = "Statement: what the community owes "
					"you",
		     .issue = "Date",
		     .due = "Due",
		     .communication = "Structured communication",
		     .pay_to = "Pay to account",
		     .paid_by = "Paid by the community to your account",
		     .vat_number = "VAT",
		     .email = "Contact"},
};

static int lang_of(int lang)
{
	return lang >= CAB_LANG_FR && lang <= CAB_LANG_EN ? lang : CAB_LANG_FR;
}

const struct cab_reconcile_words *cab_words_reconcile(int lang)
{
	return &RECONCILE[lang_of(lang)];
}

const struct cab_invoice_doc_words *cab_words_invoice_doc(int lang)
{
	return &DOC[lang_of(lang)];
}
