/*
 * init.h — what `cabine init` writes, in each language (internal to
 * engine/cli/: cmd_init.c writes the folder, init_text.c holds the words).
 *
 * Why apart: the README a facilitator reads is a page of text in three
 * languages; the command that writes the files should not drown in it.
 *
 * Ownership: every text is a constant string.
 */
#ifndef CABINE_CLI_INIT_H
#define CABINE_CLI_INIT_H

#include "cabine/scenario.h"

/* The words of a starter folder in one language. */
struct cab_init_words {
	const char *readings_header; /* readings.csv's header line */
	const char *cabin;	     /* id of the starter's LV cabin */
	const char *pv_name;	     /* name of the community's panels */
	const char *community;	     /* scenario name when DIR gives none */
	/* README.txt, with "{DIR}" standing for the folder as typed and
	 * "{N}" for the number of households. */
	const char *readme;
};

/* The words of lang (enum cab_lang). */
const struct cab_init_words *cab_init_words(enum cab_lang lang);

#endif
