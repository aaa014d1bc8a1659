/*
 * words.c — every text of the inhabitants' pages in French, Dutch and
 * English (reports/site/words.h): one row per text, the three languages
 * side by side.
 *
 * Why one table: a household reads its page in its own language
 * (SPEC §14); a translator corrects one row and every page follows. The
 * words are plain, for people who are not energy specialists: "from the
 * neighbours' panels" rather than "allocated volume".
 */
#include "reports/site/site.h"

#define NBSP "\xC2\xA0" /* before French : ; ? ! and inside numbers */

static const char *const words[W_COUNT][3] = {
    [W_SKIP] = {"Aller au contenu", "Naar de inhoud", "Skip to content"},
    [W_PAGE_TITLE] = {"Ma page énergie", "Mijn energiepagina",
		      "My energy page"},
    [W_COMMUNITY_TITLE] = {"La communauté d'énergie", "De energiegemeenschap",
			   "The energy community"},
    [W_PERIOD_FMT] = {"Période du %s au %s", "Periode van %s tot %s",
		      "Period from %s to %s"},
    [W_PRIVATE] =
	{"Cette page est la vôtre" NBSP ": quiconque en a l'adresse peut la "
	 "voir. Elle ne montre les données d'aucun autre ménage" NBSP "; les "
	 "chiffres de la communauté et des groupes additionnent au moins 3 "
	 "participants.",
	 "Deze pagina is van u: wie het adres heeft, kan ze zien. Ze toont "
	 "de gegevens van geen enkel ander gezin; de cijfers van de "
	 "gemeenschap en van de groepen tellen minstens 3 deelnemers samen.",
	 "This page is yours: anyone who has its address can see it. It shows "
	 "no other household's data; the community's and groups' figures add "
	 "up at least 3 participants."},
    [W_TO_COMMUNITY] = {"La page de la communauté",
			"De pagina van de "
			"gemeenschap",
			"The community's page"},
    [W_LANGUAGES] = {"Langue", "Taal", "Language"},
    [W_SEE_TABLE] = {"Les valeurs en tableau", "De waarden in een tabel",
		     "The values as a table"},
    [W_MISSING_FMT] = {"%s quarts d'heure sans mesure valide ne sont pas "
		       "comptés.",
		       "%s kwartieren zonder geldige meting worden niet "
		       "meegeteld.",
		       "%s quarter-hours without a valid reading are not "
		       "counted."},
    [W_HIDDEN_SMALL] = {"Les chiffres additionnés de moins de 3 participants "
			"ne sont pas montrés.",
			"Cijfers die minder dan 3 deelnemers samentellen, "
			"worden niet getoond.",
			"Figures adding up fewer than 3 participants are not "
			"shown."},
    [W_SEC_BILL] = {"Votre facture", "Uw factuur", "Your bill"},
    [W_BILL] = {"Dans la communauté", "In de gemeenschap", "In the community"},
    [W_BASELINE] = {"Seul·e, sans communauté", "Alleen, zonder gemeenschap",
		    "Alone, without the community"},
    [W_SAVING] = {"Économie", "Besparing", "Saving"},
    [W_EXTRA_COST] = {"Surcoût", "Meerkost", "Extra cost"},
    [W_GAIN_FMT] = {"Votre facture de la période est de %s au lieu de %s si "
		    "vous étiez seul·e" NBSP ": vous économisez %s.",
		    "Uw factuur voor de periode bedraagt %s in plaats van %s "
		    "als u alleen was: u bespaart %s.",
		    "Your bill for the period is %s instead of %s on your "
		    "own: you save %s."},
    [W_LOSS_FMT] = {"Votre facture de la période est de %s au lieu de %s si "
		    "vous étiez seul·e" NBSP ": %s de plus.",
		    "Uw factuur voor de periode bedraagt %s in plaats van %s "
		    "als u alleen was: %s meer.",
		    "Your bill for the period is %s instead of %s on your "
		    "own: %s more."},
    [W_SAME_FMT] = {"Votre facture de la période est de %s, la même que si "
		    "vous étiez seul·e.",
		    "Uw factuur voor de periode bedraagt %s, dezelfde als "
		    "alleen.",
		    "Your bill for the period is %s, the same as on your own."},
    [W_WHY_SHARED_FMT] = {"Vous avez reçu %s de l'énergie solaire de vos "
			  "voisins, payée %s le kWh au lieu du prix du "
			  "fournisseur.",
			  "U kreeg %s zonne-energie van uw buren, betaald aan "
			  "%s per kWh in plaats van de prijs van de "
			  "leverancier.",
			  "You received %s of your neighbours' solar energy, "
			  "paid %s per kWh instead of the supplier's price."},
    [W_WHY_GIVEN_FMT] = {"Vos panneaux ont donné %s à vos voisins, vendus au "
			 "prix de la communauté plutôt qu'au prix "
			 "d'injection.",
			 "Uw panelen gaven %s aan uw buren, verkocht tegen de "
			 "prijs van de gemeenschap in plaats van de "
			 "injectieprijs.",
			 "Your panels gave %s to your neighbours, sold at the "
			 "community's price rather than the injection price."},
    [W_WHY_POT] = {"La communauté paie une seule facture, mesurée à la "
		   "cabine" NBSP "; elle est partagée selon la clé décidée "
		   "ensemble.",
		   "De gemeenschap betaalt één factuur, gemeten aan de "
		   "cabine; ze wordt verdeeld volgens de samen gekozen "
		   "sleutel.",
		   "The community pays one bill, measured at the cabin; it is "
		   "split by the key decided together."},
    [W_WHY_ALONE] = {"Chacun est facturé seul dans ce scénario" NBSP ": "
		     "c'est la référence.",
		     "In dit scenario wordt iedereen alleen gefactureerd: dat "
		     "is de referentie.",
		     "Everyone is billed alone in this scenario: it is the "
		     "reference."},
    [W_NO_BASELINE] = {"Sans compteur, vous n'avez pas de facture seul·e à "
		       "comparer.",
		       "Zonder meter hebt u geen factuur alleen om te "
		       "vergelijken.",
		       "Without a meter you have no bill alone to compare."},
    [W_SEC_YEAR] = {"Votre année, quart d'heure par quart d'heure",
		    "Uw jaar, kwartier per kwartier",
		    "Your year, quarter-hour by quarter-hour"},
    [W_YEAR_HELP] = {"Glissez sur le graphique pour zoomer (double-clic pour "
		     "revenir) ou choisissez un jour" NBSP ":",
		     "Sleep over de grafiek om in te zoomen (dubbelklik om "
		     "terug te gaan) of kies een dag:",
		     "Drag over the chart to zoom (double-click to go back) "
		     "or choose a day:"},
    [W_DATE] = {"Jour", "Dag", "Day"},
    [W_BTN_DAY] = {"Ce jour", "Deze dag", "This day"},
    [W_BTN_WEEK] = {"Cette semaine", "Deze week", "This week"},
    [W_BTN_YEAR] = {"Toute la période", "De hele periode", "Whole period"},
    [W_BTN_PREV] = {"Jour précédent", "Vorige dag", "Previous day"},
    [W_BTN_NEXT] = {"Jour suivant", "Volgende dag", "Next day"},
    [W_CONSUMPTION] = {"Consommation", "Verbruik", "Consumption"},
    [W_PRODUCTION] = {"Production", "Productie", "Production"},
    [W_SHARED] = {"Reçu des voisins", "Van de buren", "From the neighbours"},
    [W_COMPLEMENTARY] = {"Acheté au fournisseur", "Gekocht bij de leverancier",
			 "Bought from the supplier"},
    [W_SELF] = {"De vos panneaux", "Van uw panelen", "From your panels"},
    [W_GIVEN] = {"Donné aux voisins", "Aan de buren gegeven",
		 "Given to the neighbours"},
    [W_INJECTED] = {"Injecté sur le réseau", "Op het net geïnjecteerd",
		    "Fed into the grid"},
    [W_KWH_QH] = {"kWh par quart d'heure", "kWh per kwartier",
		  "kWh per quarter-hour"},
    [W_YEAR_FMT] = {"Sur la période, vous avez consommé %s" NBSP ": %s de "
		    "vos panneaux, %s reçus des voisins et %s achetés au "
		    "fournisseur.",
		    "Over de periode verbruikte u %s: %s van uw panelen, %s "
		    "van de buren en %s gekocht bij de leverancier.",
		    "Over the period you used %s: %s from your panels, %s "
		    "from the neighbours and %s bought from the supplier."},
    [W_YEAR_NOPV_FMT] = {"Sur la période, vous avez consommé %s" NBSP ": %s "
			 "reçus des voisins et %s achetés au fournisseur.",
			 "Over de periode verbruikte u %s: %s van de buren en "
			 "%s gekocht bij de leverancier.",
			 "Over the period you used %s: %s from the neighbours "
			 "and %s bought from the supplier."},
    [W_PEAK_FMT] = {"Votre quart d'heure le plus chargé" NBSP ": %s le %s à "
		    "%s.",
		    "Uw drukste kwartier: %s op %s om %s.",
		    "Your busiest quarter-hour: %s on %s at %s."},
    [W_MONTH] = {"Mois", "Maand", "Month"},
    [W_MONTHS_CAPTION] = {"Vos volumes par mois (kWh)",
			  "Uw volumes per maand (kWh)",
			  "Your volumes by month (kWh)"},
    [W_JAN] = {"janvier", "januari", "January"},
    [W_JAN + 1] = {"février", "februari", "February"},
    [W_JAN + 2] = {"mars", "maart", "March"},
    [W_JAN + 3] = {"avril", "april", "April"},
    [W_JAN + 4] = {"mai", "mei", "May"},
    [W_JAN + 5] = {"juin", "juni", "June"},
    [W_JAN + 6] = {"juillet", "juli", "July"},
    [W_JAN + 7] = {"août", "augustus", "August"},
    [W_JAN + 8] = {"septembre", "september", "September"},
    [W_JAN + 9] = {"octobre", "oktober", "October"},
    [W_JAN + 10] = {"novembre", "november", "November"},
    [W_DEC] = {"décembre", "december", "December"},
    [W_SEC_DAYS] = {"Votre journée moyenne, par saison",
		    "Uw gemiddelde dag, per seizoen",
		    "Your average day, by season"},
    [W_SEASON] = {"Saison", "Seizoen", "Season"},
    [W_WINTER] = {"hiver", "winter", "winter"},
    [W_SPRING] = {"printemps", "lente", "spring"},
    [W_SUMMER] = {"été", "zomer", "summer"},
    [W_AUTUMN] = {"automne", "herfst", "autumn"},
    [W_IN_WINTER] = {"En hiver", "In de winter", "In winter"},
    [W_IN_SPRING] = {"Au printemps", "In de lente", "In spring"},
    [W_IN_SUMMER] = {"En été", "In de zomer", "In summer"},
    [W_IN_AUTUMN] = {"En automne", "In de herfst", "In autumn"},
    [W_HOUR] = {"Heure", "Uur", "Time"},
    [W_OWN_DAY] = {"Votre consommation", "Uw verbruik", "Your consumption"},
    [W_COMMUNITY_PROD] = {"Production de la communauté (axe de droite)",
			  "Productie van de gemeenschap (rechteras)",
			  "The community's production (right axis)"},
    [W_COMMUNITY_CONS] = {"Consommation de la communauté",
			  "Verbruik van de gemeenschap",
			  "The community's consumption"},
    [W_DAYS_FMT] = {"%s, votre consommation est la plus forte vers %s "
		    "(%s par quart d'heure).",
		    "%s is uw verbruik het hoogst rond %s (%s per "
		    "kwartier).",
		    "%s your consumption is highest around %s (%s per "
		    "quarter-hour)."},
    [W_DAYS_PROD_FMT] = {"La production de la communauté culmine vers %s" NBSP
			 ": c'est le meilleur moment pour consommer.",
			 "De productie van de gemeenschap piekt rond %s: dat "
			 "is het beste moment om te verbruiken.",
			 "The community's production peaks around %s: the "
			 "best time to use electricity."},
    [W_PROD_HIDDEN] = {"La production de la communauté n'est pas montrée" NBSP
		       ": moins de 3 ménages produisent.",
		       "De productie van de gemeenschap wordt niet getoond: "
		       "minder dan 3 gezinnen produceren.",
		       "The community's production is not shown: fewer than "
		       "3 households produce."},
    [W_SEC_ALERTS] = {"Les alertes", "De alarmen", "The alerts"},
    [W_ALERTS_HELP] = {"Chaque alerte est comparée aux mêmes heures des "
		       "mêmes jours de la semaine sans alerte" NBSP ": un "
		       "chiffre négatif veut dire que la consommation a "
		       "baissé.",
		       "Elk alarm wordt vergeleken met dezelfde uren op "
		       "dezelfde weekdagen zonder alarm: een negatief cijfer "
		       "betekent dat het verbruik daalde.",
		       "Each alert is compared with the same hours of the same "
		       "weekdays without an alert: a negative figure means "
		       "consumption went down."},
    [W_ALERT] = {"Alerte", "Alarm", "Alert"},
    [W_WINDOW] = {"Moment", "Moment", "When"},
    [W_DURING] = {"pendant", "tijdens", "during"},
    [W_AFTER] = {"juste après", "net erna", "right after"},
    [W_BEFORE] = {"juste avant", "net ervoor", "right before"},
    [W_YOU_DELTA] = {"Vous (kWh)", "U (kWh)", "You (kWh)"},
    [W_YOU_PCT] = {"Vous (%)", "U (%)", "You (%)"},
    [W_COMMUNITY_DELTA] = {"Communauté (kWh)", "Gemeenschap (kWh)",
			   "Community (kWh)"},
    [W_COMMUNITY_PCT] = {"Communauté (%)", "Gemeenschap (%)", "Community (%)"},
    [W_NO_ALERT] = {"Aucune alerte pendant la période.",
		    "Geen alarm tijdens de periode.",
		    "No alert during the period."},
    [W_NOT_KNOWN] = {"—", "—", "—"},
    [W_SEC_GROUPS] = {"Vos groupes", "Uw groepen", "Your groups"},
    [W_CABIN_FMT] = {"Cabine %s", "Cabine %s", "Cabin %s"},
    [W_GROUP_FMT] = {"Groupe %s", "Groep %s", "Group %s"},
    [W_GROUP_FMT_SENTENCE] =
	{"%s rassemble %zu participants. Additionnées, leurs courbes se "
	 "lissent" NBSP ": le pic du groupe ne vaut que %s de la somme des "
	 "pics de ses membres.",
	 "%s telt %zu deelnemers. Samengeteld worden hun curves gladder: de "
	 "piek van de groep is maar %s van de som van de pieken van de "
	 "leden.",
	 "%s has %zu participants. Added up, their curves smooth out: the "
	 "group's peak is only %s of the sum of its members' peaks."},
    [W_GROUP_PER_HOUSEHOLD] = {"Le groupe, par participant",
			       "De groep, per deelnemer",
			       "The group, per participant"},
    [W_NO_GROUP] = {"Vous ne faites partie d'aucun groupe d'au moins 3 "
		    "participants qui puisse être montré.",
		    "U maakt geen deel uit van een groep van minstens 3 "
		    "deelnemers die getoond kan worden.",
		    "You are in no group of at least 3 participants that can "
		    "be shown."},
    [W_SMOOTH_FMT] = {"Plus on additionne de participants, plus la courbe "
		      "est lisse" NBSP ": avec les %zu, le pic commun ne vaut "
		      "que %s de la somme des pics.",
		      "Hoe meer deelnemers samengeteld, hoe gladder de curve: "
		      "met alle %zu is de gezamenlijke piek maar %s van de "
		      "som van de pieken.",
		      "The more participants are added up, the smoother the "
		      "curve: with all %zu, the joint peak is only %s of the "
		      "sum of the peaks."},
    [W_SEC_SMOOTH] = {"Les courbes se lissent en s'additionnant",
		      "Curves worden gladder als ze samengeteld worden",
		      "Curves smooth out as they add up"},
    [W_MEMBERS] = {"Participants additionnés", "Samengetelde deelnemers",
		   "Participants added up"},
    [W_COINCIDENCE] = {"Pic commun / somme des pics",
		       "Gezamenlijke piek / som van de pieken",
		       "Joint peak / sum of peaks"},
    [W_SEC_POWER] = {"Puissance d'un instant, énergie d'un quart d'heure",
		     "Vermogen van een ogenblik, energie van een kwartier",
		     "Power of a moment, energy of a quarter-hour"},
    [W_POWER_FMT] =
	{"Le %s, votre compteur a vu des pointes jusqu'à %s (une bouilloire, "
	 "une pompe à chaleur…), mais sur le quart d'heure le plus chargé la "
	 "puissance moyenne n'était que de %s, soit %s" NBSP ": c'est "
	 "l'énergie qui compte sur la facture.",
	 "Op %s zag uw meter pieken tot %s (een waterkoker, een "
	 "warmtepomp…), maar over het drukste kwartier was het gemiddelde "
	 "vermogen maar %s, of %s: het is de energie die op de factuur "
	 "telt.",
	 "On %s your meter saw peaks up to %s (a kettle, a heat pump…), but "
	 "over the busiest quarter-hour the mean power was only %s, that is "
	 "%s: energy is what the bill counts."},
    [W_POWER_W] = {"Puissance mesurée (W)", "Gemeten vermogen (W)",
		   "Measured power (W)"},
    [W_QH_POWER_W] = {"Moyenne du quart d'heure (W)",
		      "Gemiddelde van het kwartier (W)",
		      "Quarter-hour mean (W)"},
    [W_POWER_NONE_STORE] =
	{"Cette page montre des quarts d'heure" NBSP ": la communauté garde "
	 "ses mesures par quart d'heure, sans les puissances de quelques "
	 "secondes. Quand les relevés du scénario sont des mesures de "
	 "puissance, une journée de pointes apparaît ici.",
	 "Deze pagina toont kwartieren: de gemeenschap bewaart haar metingen "
	 "per kwartier, zonder de vermogens van enkele seconden. Als de "
	 "gegevens van het scenario vermogensmetingen zijn, verschijnt hier "
	 "een dag met pieken.",
	 "This page shows quarter-hours: the community keeps its readings by "
	 "quarter-hour, without the power of every few seconds. When the "
	 "scenario's readings are power samples, a day of peaks appears "
	 "here."},
    [W_POWER_NONE_DAY] = {"Pas de mesure de puissance pour votre compteur.",
			  "Geen vermogensmeting voor uw meter.",
			  "No power samples for your meter."},
    [W_WATTS] = {"Puissance (W)", "Vermogen (W)", "Power (W)"},
    [W_TIME] = {"Heure", "Tijd", "Time"},
    [W_SEC_APPLIANCES] = {"Vos appareils", "Uw toestellen", "Your appliances"},
    [W_APPLIANCE] = {"Appareil ou usage", "Toestel of gebruik",
		     "Appliance or use"},
    [W_CLASS] = {"Classe", "Klasse", "Class"},
    [W_INDISPENSABLE] = {"indispensable", "onmisbaar", "indispensable"},
    [W_USEFUL] = {"utile", "nuttig", "useful"},
    [W_COMFORT] = {"confort", "comfort", "comfort"},
    [W_ESTIMATED_DAY] = {"Estimé (kWh/jour)", "Geschat (kWh/dag)",
			 "Estimated (kWh/day)"},
    [W_MEASURED_DAY] = {"Wattmètre (kWh/jour)", "Wattmeter (kWh/dag)",
			"Wattmeter (kWh/day)"},
    [W_SHIFTABLE] = {"Déplaçable", "Verschuifbaar", "Shiftable"},
    [W_ALTERNATIVE] = {"Alternative", "Alternatief", "Alternative"},
    [W_YES] = {"oui", "ja", "yes"},
    [W_NO] = {"non", "nee", "no"},
    [W_INVENTORY_FMT] = {"Votre inventaire compte %s par jour, soit %s de ce "
			 "que votre compteur mesure un jour moyen (%s).",
			 "Uw inventaris telt %s per dag, of %s van wat uw "
			 "meter op een gemiddelde dag meet (%s).",
			 "Your inventory adds up to %s a day, %s of what your "
			 "meter measures on an average day (%s)."},
    [W_ESTIMATE_FMT] = {"Pour les appareils mesurés, vous aviez estimé %s par "
			"jour" NBSP "; le wattmètre a mesuré %s.",
			"Voor de gemeten toestellen schatte u %s per dag; de "
			"wattmeter mat %s.",
			"For the measured appliances you had estimated %s a "
			"day; the wattmeter measured %s."},
    [W_COULD_SHED] = {"Utile + confort, d'habitude (kWh)",
		      "Nuttig + comfort, gewoonlijk (kWh)",
		      "Useful + comfort, usually (kWh)"},
    [W_DID_SHED] = {"Économisé pendant l'alerte (kWh)",
		    "Bespaard tijdens het alarm (kWh)",
		    "Saved during the alert (kWh)"},
    [W_SHED_HELP] = {"Ce que vos usages utiles et de confort consomment "
		     "d'habitude pendant chaque alerte (ce que vous pourriez "
		     "effacer), à côté de ce que vous avez réellement "
		     "économisé.",
		     "Wat uw nuttige en comfortgebruik gewoonlijk verbruikt "
		     "tijdens elk alarm (wat u zou kunnen schrappen), naast "
		     "wat u echt bespaarde.",
		     "What your useful and comfort uses usually draw during "
		     "each alert (what you could shed), beside what you really "
		     "saved."},
    [W_TOTAL] = {"Total", "Totaal", "Total"},
    [W_HOUSEHOLDS] = {"Ménages", "Gezinnen", "Households"},
    [W_SEC_TOMORROW] = {"Quand utiliser le soleil", "Wanneer de zon gebruiken",
			"When to use the sun"},
    [W_MONDAY] = {"lundi", "maandag", "Monday"},
    [W_MONDAY + 1] = {"mardi", "dinsdag", "Tuesday"},
    [W_MONDAY + 2] = {"mercredi", "woensdag", "Wednesday"},
    [W_MONDAY + 3] = {"jeudi", "donderdag", "Thursday"},
    [W_MONDAY + 4] = {"vendredi", "vrijdag", "Friday"},
    [W_MONDAY + 5] = {"samedi", "zaterdag", "Saturday"},
    [W_MONDAY + 6] = {"dimanche", "zondag", "Sunday"},
    [W_SUN_DAY_FMT] = {"%s, le soleil devrait couvrir toute la consommation "
		       "de la communauté %s (environ %s de surplus).",
		       "Op %s dekt de zon naar verwachting het hele verbruik "
		       "van de gemeenschap %s (ongeveer %s overschot).",
		       "On %s the sun should cover all of the community's "
		       "consumption %s (about %s of surplus)."},
    [W_SUN_DAY_NOKWH_FMT] = {"%s, le soleil devrait couvrir toute la "
			     "consommation de la communauté %s.",
			     "Op %s dekt de zon naar verwachting het hele "
			     "verbruik van de gemeenschap %s.",
			     "On %s the sun should cover all of the "
			     "community's consumption %s."},
    [W_SUN_SPAN_FMT] = {"de %s à %s", "van %s tot %s", "from %s to %s"},
    [W_AND] = {" et ", " en ", " and "},
    [W_SUN_ADVICE] = {"C'est le moment de lancer le lave-linge, le "
		      "lave-vaisselle ou une recharge ; avec un départ "
		      "différé, même si vous n'êtes pas chez vous.",
		      "Dan is het moment om de wasmachine, de vaatwasser of "
		      "het opladen te starten; met een uitgestelde start lukt "
		      "het ook als u niet thuis bent.",
		      "That is the time to run the washing machine, the "
		      "dishwasher or a charge; with a delayed start, even when "
		      "you are not at home."},
    [W_SUN_HELP] = {"Une prévision faite la veille à partir de la météo : "
		    "elle peut se tromper quand le ciel change.",
		    "Een voorspelling van de avond ervoor op basis van het "
		    "weerbericht: bij wisselende bewolking kan ze ernaast "
		    "zitten.",
		    "A forecast made the evening before from the weather: it "
		    "can be wrong when the sky changes."},
    [W_SUN_NONE] = {"La dernière prévision n'annonce aucune heure où le "
		    "soleil couvrirait la consommation de la communauté : pas "
		    "besoin de déplacer vos usages.",
		    "De laatste voorspelling verwacht geen uren waarin de zon "
		    "het verbruik van de gemeenschap dekt: u hoeft niets te "
		    "verplaatsen.",
		    "The latest forecast expects no hours when the sun would "
		    "cover the community's consumption: no need to move your "
		    "uses."},
    [W_SEC_TOTALS] = {"La communauté sur la période",
		      "De gemeenschap over de periode",
		      "The community over the period"},
    [W_PARTICIPANTS] = {"Participants", "Deelnemers", "Participants"},
    [W_SELF_CONSUMPTION_RATE] = {"Autoconsommation collective",
				 "Collectief zelfverbruik",
				 "Collective self-consumption"},
    [W_SELF_SUFFICIENCY_RATE] = {"Autosuffisance", "Zelfvoorziening",
				 "Self-sufficiency"},
    [W_BALANCE] = {"Production − consommation", "Productie − verbruik",
		   "Production − consumption"},
    [W_TOTAL_BILLS] = {"Factures dans la communauté",
		       "Facturen in de gemeenschap", "Bills in the community"},
    [W_TOTAL_BASELINES] = {"Factures seul·e", "Facturen alleen", "Bills alone"},
    [W_TOTAL_SAVING] = {"Différence", "Verschil", "Difference"},
    [W_COMMUNITY_YEAR] = {"L'année de la communauté, quart d'heure par quart "
			  "d'heure",
			  "Het jaar van de gemeenschap, kwartier per kwartier",
			  "The community's year, quarter-hour by "
			  "quarter-hour"},
    [W_COMMUNITY_DAYS] = {"La journée moyenne de la communauté, par saison",
			  "De gemiddelde dag van de gemeenschap, per seizoen",
			  "The community's average day, by season"},
    [W_COMMUNITY_HIDDEN] = {"La communauté compte moins de 3 participants "
			    "mesurés" NBSP ": ses chiffres additionnés ne "
			    "sont pas montrés.",
			    "De gemeenschap telt minder dan 3 gemeten "
			    "deelnemers: haar samengetelde cijfers worden "
			    "niet getoond.",
			    "The community has fewer than 3 measured "
			    "participants: its added-up figures are not "
			    "shown."},
    [W_COMMUNITY_YEAR_FMT] = {"Sur la période, la communauté a consommé %s et "
			      "produit %s" NBSP "; %s ont été partagés entre "
			      "voisins, soit %s de l'énergie injectée.",
			      "Over de periode verbruikte de gemeenschap %s en "
			      "produceerde ze %s; %s werd tussen buren "
			      "gedeeld, of %s van de geïnjecteerde energie.",
			      "Over the period the community used %s and "
			      "produced %s; %s was shared between neighbours, "
			      "%s of the energy fed in."},
    [W_COMMUNITY_GROUPS] = {"Les groupes", "De groepen", "The groups"},
    [W_COMMUNITY_ALERTS] = {"Les alertes de la communauté",
			    "De alarmen van de gemeenschap",
			    "The community's alerts"},
    [W_COMMUNITY_APPLIANCES] = {"Les inventaires d'appareils, par classe",
				"De inventarissen van toestellen, per klasse",
				"The appliance inventories, by class"},
    [W_UNIT_KWH_DAY] = {"kWh par jour", "kWh per dag", "kWh per day"},
    [W_KWH_HOUR] = {"kWh par heure, journée moyenne",
		    "kWh per uur, gemiddelde dag", "kWh per hour, average day"},
};

static const char *const codes[3] = {"fr", "nl", "en"};

const char *cab_site_word(int lang, enum cab_site_word w)
{
	if (lang < 0 || lang > 2)
		lang = 0;
	const char *s = (unsigned)w < W_COUNT ? words[w][lang] : NULL;
	return s ? s : "";
}

const char *cab_site_lang_code(int lang)
{
	return codes[lang >= 0 && lang <= 2 ? lang : 0];
}
