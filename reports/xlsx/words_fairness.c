/*
 * words_fairness.c — the texts of the fairness and recipients sheets of
 * community.xlsx and compare.xlsx (reports/xlsx/fairness.c) in French,
 * Dutch and English, and the one sentence per run an assembly reads
 * ("3 participants pay more than alone; …"). Tables only, with words.c
 * (which would pass 800 lines with them); indexed by enum cab_lang.
 */
#include <stdio.h>

#include "reports/xlsx/words.h"

static const struct cab_fairness_words FAIRNESS[3] = {
    [CAB_LANG_FR] =
	{
	    .sheet = "Équité",
	    .title = "Équité du partage",
	    .legend = "Économie : la facture seul moins la facture dans la "
		      "communauté. Part de Shapley : ce que la présence de "
		      "chacun apporte en moyenne à la valeur que la communauté "
		      "crée ensemble (l'énergie partagée au prorata, valorisée "
		      "à ce qu'elle fait économiser).",
	    .participant = "Participant",
	    .share = "Part de Shapley (€)",
	    .share_of = "Part de Shapley, %s (€)",
	    .saving_of = "Économie, %s (€)",
	    .se = "Erreur type (€)",
	    .scenario = "Scénario",
	    .summary = "En une phrase",
	    .nobody = "Personne ne paie plus que seul",
	    .one = "1 participant paie plus que seul",
	    .many = "%zu participants paient plus que seuls",
	    .spread = "économie de %s € à %s € (médiane %s €)",
	    .no_shapley = "Parts de Shapley non calculées : ajoutez "
			  "\"fairness\": {\"shapley\": true} au scénario "
			  "(cabine compare les calcule toujours).",
	    .exact = "Parts de Shapley exactes (toutes les coalitions).",
	    .sampled = "Parts de Shapley estimées sur %zu ordres d'arrivée "
		       "tirés au hasard (erreur type en dernière colonne).",
	    .chart = "Économie et part de Shapley par participant",
	    .axis_eur = "€",
	    .recipients_sheet = "Bénéficiaires",
	    .recipients_title = "Participants qui reçoivent de l'énergie "
				"partagée, par quart d'heure avec injection "
				"partagée",
	    .served = "Participants servis",
	    .intervals = "Quarts d'heure",
	    .intervals_pct = "Part des quarts d'heure",
	    .recipients_chart =
		"Quarts d'heure selon le nombre de participants servis",
	    .decimal = ',',
	},
    [CAB_LANG_NL] =
	{
	    .sheet = "Billijkheid",
	    .title = "Billijkheid van de verdeling",
	    .legend = "Besparing: de factuur alleen min de factuur in de "
		      "gemeenschap. Shapley-aandeel: wat de aanwezigheid van "
		      "elk gemiddeld bijdraagt aan de waarde die de "
		      "gemeenschap samen creëert (de gedeelde energie naar "
		      "rato, gewaardeerd tegen wat ze bespaart).",
	    .participant = "Deelnemer",
	    .share = "Shapley-aandeel (€)",
	    .share_of = "Shapley-aandeel, %s (€)",
	    .saving_of = "Besparing, %s (€)",
	    .se = "Standaardfout (€)",
	    .scenario = "Scenario",
	    .summary = "In één zin",
	    .nobody = "Niemand betaalt meer dan alleen",
	    .one = "1 deelnemer betaalt meer dan alleen",
	    .many = "%zu deelnemers betalen meer dan alleen",
	    .spread = "besparing van %s € tot %s € (mediaan %s €)",
	    .no_shapley = "Shapley-aandelen niet berekend: voeg "
			  "\"fairness\": {\"shapley\": true} toe aan het "
			  "scenario (cabine compare berekent ze altijd).",
	    .exact = "Exacte Shapley-aandelen (alle coalities).",
	    .sampled = "Shapley-aandelen geschat over %zu willekeurige "
		       "volgordes van toetreding (standaardfout in de "
		       "laatste kolom).",
	    .chart = "Besparing en Shapley-aandeel per deelnemer",
	    .axis_eur = "€",
	    .recipients_sheet = "Ontvangers",
	    .recipients_title = "Deelnemers die gedeelde energie ontvangen, "
				"per kwartier met gedeelde injectie",
	    .served = "Bediende deelnemers",
	    .intervals = "Kwartieren",
	    .intervals_pct = "Aandeel van de kwartieren",
	    .recipients_chart = "Kwartieren naar aantal bediende deelnemers",
	    .decimal = ',',
	},
    [CAB_LANG_EN] =
	{
	    .sheet = "Fairness",
	    .title = "Is the split fair?",
	    .legend = "Saving: the bill alone minus the bill in the "
		      "community. Shapley share: what each member's presence "
		      "adds on average to the value the community creates "
		      "together (the shared energy pro rata, valued at what "
		      "it saves).",
	    .participant = "Participant",
	    .share = "Shapley share (€)",
	    .share_of = "Shapley share, %s (€)",
	    .saving_of = "Saving, %s (€)",
	    .se = "Standard error (€)",
	    .scenario = "Scenario",
	    .summary = "In one sentence",
	    .nobody = "Nobody pays more than alone",
	    .one = "1 participant pays more than alone",
	    .many = "%zu participants pay more than alone",
	    .spread = "savings from %s € to %s € (median %s €)",
	    .no_shapley = "Shapley shares not computed: add \"fairness\": "
			  "{\"shapley\": true} to the scenario (cabine "
			  "compare always computes them).",
	    .exact = "Exact Shapley shares (every coalition).",
	    .sampled = "Shapley shares estimated over %zu random joining "
		       "orders (standard error in the last column).",
	    .chart = "Saving and Shapley share per participant",
	    .axis_eur = "€",
	    .recipients_sheet = "Recipients",
	    .recipients_title = "Participants receiving shared energy, per "
				"quarter-hour with shared injection",
	    .served = "Participants served",
	    .intervals = "Quarter-hours",
	    .intervals_pct = "Share of the quarter-hours",
	    .recipients_chart =
		"Quarter-hours by number of participants served",
	    .decimal = '.',
	},
};

const struct cab_fairness_words *cab_words_fairness(int lang)
{
	return &FAIRNESS[lang >= 0 && lang < 3 ? lang : CAB_LANG_FR];
}

/* Cents as "-12.30" with the language's decimal separator. */
static void eur_text(int64_t cents, char decimal, char *buf, size_t size)
{
	const char *sign = cents < 0 ? "-" : "";
	uint64_t a = (uint64_t)(cents < 0 ? -cents : cents);
	snprintf(buf, size, "%s%llu%c%02llu", sign,
		 (unsigned long long)(a / 100), decimal,
		 (unsigned long long)(a % 100));
}

void cab_words_fairness_sentence(int lang, size_t worse_off, int64_t min_cents,
				 int64_t max_cents, int64_t median_cents,
				 char *buf, size_t size)
{
	const struct cab_fairness_words *w = cab_words_fairness(lang);
	char head[160], lo[32], hi[32], med[32], spread[256];
	if (worse_off == 0)
		snprintf(head, sizeof head, "%s", w->nobody);
	else if (worse_off == 1)
		snprintf(head, sizeof head, "%s", w->one);
	else
		snprintf(head, sizeof head, w->many, worse_off);
	eur_text(min_cents, w->decimal, lo, sizeof lo);
	eur_text(max_cents, w->decimal, hi, sizeof hi);
	eur_text(median_cents, w->decimal, med, sizeof med);
	snprintf(spread, sizeof spread, w->spread, lo, hi, med);
	snprintf(buf, size, "%s; %s.", head, spread);
}
