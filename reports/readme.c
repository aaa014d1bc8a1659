/*
 * readme.c — README.txt in the output folder (issue 12): which file to
 * open for what, in the run's language (--lang, else French, as the
 * workbooks), so that a facilitator who is not a programmer finds the
 * invoices without reading the documentation.
 *
 * Why a fixed text: the folder's files are known by name (SPEC §8); a
 * file this command did not write is named with the command that writes
 * it. Deterministic: no date, no path.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cabine/report.h"

static const char *const README[3] = {
    /* fr */
    "Résultats de cabine pour la communauté « %s »\n"
    "\n"
    "Que faut-il ouvrir ?\n"
    "- invoices/ : une facture par ménage (un classeur .xlsx à imprimer\n"
    "  ou à envoyer), dans la langue du ménage.\n"
    "- community.xlsx : tous les participants côte à côte, les totaux, les\n"
    "  indicateurs (autoconsommation collective, autosuffisance) et les\n"
    "  graphiques. C'est le fichier à montrer en assemblée.\n"
    "- sibelga.xlsx : les volumes par compteur, mois et registre, dans la\n"
    "  forme du fichier mensuel du gestionnaire de réseau, pour comparer.\n"
    "- invoices.csv : chaque ligne de chaque facture (pour un tableur).\n"
    "- summary.json : les mêmes chiffres pour un programme.\n"
    "- allocation.csv (avec --detail) : chaque quart d'heure de chaque\n"
    "  participant.\n"
    "- compare.xlsx (cabine compare) : les factures de chaque variante\n"
    "  côte à côte, qui gagne et qui perd.\n"
    "- alerts.xlsx (cabine alerts) et curves.xlsx (cabine curves) : l'effet\n"
    "  des alertes et les courbes de charge.\n"
    "\n"
    "Les montants sont en euros, TVA comprise ; les volumes en kWh.\n",
    /* nl */
    "Resultaten van cabine voor de gemeenschap '%s'\n"
    "\n"
    "Wat opent u?\n"
    "- invoices/: een factuur per gezin (een .xlsx-werkmap om af te drukken\n"
    "  of te versturen), in de taal van het gezin.\n"
    "- community.xlsx: alle deelnemers naast elkaar, de totalen, de\n"
    "  indicatoren (collectief eigen verbruik, zelfvoorziening) en de\n"
    "  grafieken. Dit is het bestand voor de algemene vergadering.\n"
    "- sibelga.xlsx: de volumes per meter, maand en register, in de vorm\n"
    "  van het maandbestand van de netbeheerder, om te vergelijken.\n"
    "- invoices.csv: elke lijn van elke factuur (voor een rekenblad).\n"
    "- summary.json: dezelfde cijfers voor een programma.\n"
    "- allocation.csv (met --detail): elk kwartier van elke deelnemer.\n"
    "- compare.xlsx (cabine compare): de facturen van elke variant naast\n"
    "  elkaar, wie wint en wie verliest.\n"
    "- alerts.xlsx (cabine alerts) en curves.xlsx (cabine curves): het\n"
    "  effect van de alarmen en de belastingscurves.\n"
    "\n"
    "Bedragen in euro, btw inbegrepen; volumes in kWh.\n",
    /* en */
    "cabine's results for the community '%s'\n"
    "\n"
    "What to open\n"
    "- invoices/: one invoice per household (an .xlsx workbook to print or\n"
    "  send), in the household's language.\n"
    "- community.xlsx: every participant side by side, the totals, the\n"
    "  indicators (collective self-consumption, self-sufficiency) and the\n"
    "  charts. This is the file to show the assembly.\n"
    "- sibelga.xlsx: the volumes per meter, month and register, in the\n"
    "  shape of the grid operator's monthly file, to compare with it.\n"
    "- invoices.csv: every line of every invoice (for a spreadsheet).\n"
    "- summary.json: the same figures for a program.\n"
    "- allocation.csv (with --detail): every quarter-hour of every\n"
    "  participant.\n"
    "- compare.xlsx (cabine compare): every variant's bills side by side,\n"
    "  who gains and who loses.\n"
    "- alerts.xlsx (cabine alerts) and curves.xlsx (cabine curves): what\n"
    "  the alerts did, and the load curves.\n"
    "\n"
    "Amounts in euros, VAT included; volumes in kWh.\n",
};

static enum cab_status write_readme(const struct cab_run *run,
				    const struct cab_report_opts *opts,
				    const char *dir, struct cab_err *err)
{
	int lang =
	    opts && opts->lang >= CAB_LANG_FR && opts->lang <= CAB_LANG_EN
		? opts->lang
		: CAB_LANG_FR;
	char path[4096];
	if ((size_t)snprintf(path, sizeof(path), "%s/README.txt", dir) >=
	    sizeof(path))
		return cab_err_add(err, CAB_EIO, "%s/README.txt: path too long",
				   dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)", path,
				   strerror(errno));
	const char *name = run->sc->name ? run->sc->name : "";
	fprintf(f, README[lang], name);
	if (fclose(f) != 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot write (%s)", path,
				   strerror(errno));
	return CAB_OK;
}

const struct cab_report_ops cab_report_readme_txt = {"README.txt",
						     write_readme};
