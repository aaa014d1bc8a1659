/*
 * opfile.h — what the grid operator's files hold once read (SPEC §13):
 * the four volume types of the quarter-hour file and the series names
 * they become, and one row of the monthly file.
 *
 * Why: in Brussels the operator (Sibelga) computes the sharing itself and
 * sends the community two files, a quarter-hour file (one row per EAN,
 * quarter-hour and volume type) and a monthly file (one row per EAN,
 * month and register). The import (engine/ingest/fmt_sibelga*.c) reads
 * them, the store keeps them (the quarter-hours as ordinary series
 * `EAN.<suffix>`, the months in a table of their own), and the
 * reconciliation and the operator-sourced bills read them back; this
 * header is the shape they share.
 *
 * Plain data, no ownership: the tables below are static.
 */
#ifndef CABINE_OPFILE_H
#define CABINE_OPFILE_H

#include <stdint.h>

/* The quarter-hour file's "Type de volume", in this order. */
enum cab_opvol {
	CAB_OPVOL_SHARED_OFFTAKE = 0, /* Consommation Partagée: a_i */
	CAB_OPVOL_GRID_OFFTAKE,	      /* Consommation Réseau: G_i */
	CAB_OPVOL_SHARED_INJECTION,   /* Injection Partagée: given */
	CAB_OPVOL_GRID_INJECTION,     /* Injection Réseau: injected */
	CAB_OPVOL_COUNT
};

/* The series suffix of a volume type (".shared_offtake", …): the store
 * holds EAN + suffix. NULL outside the enum. */
const char *cab_opvol_suffix(enum cab_opvol v);
/* The operator's own name of a volume type ("Consommation Partagée"). */
const char *cab_opvol_label(enum cab_opvol v);

/* The monthly file's amounts, in this order (the grid fee's components
 * are optional columns). */
enum cab_opm_value {
	CAB_OPM_SHARED = 0,		 /* Volume Partagé, kWh */
	CAB_OPM_COMPLEMENTARY,		 /* Volume Complémentaire, kWh */
	CAB_OPM_SHARED_INJECTION,	 /* Injection Partagée, kWh */
	CAB_OPM_COMPLEMENTARY_INJECTION, /* Injection Complémentaire, kWh */
	CAB_OPM_GRIDFEE,		 /* Gridfee total, EUR excl. VAT */
	CAB_OPM_FEE_NETWORK,		 /* network use */
	CAB_OPM_FEE_SURCHARGES,		 /* surcharges */
	CAB_OPM_FEE_CAPACITY,		 /* capacity term */
	CAB_OPM_FEE_METERING,		 /* metering */
	CAB_OPM_FEE_PSO,		 /* public-service obligations */
	CAB_OPM_FEE_TRANSPORT,		 /* Elia transport */
	CAB_OPM_FEE_ROAD,		 /* road fee */
	CAB_OPM_COUNT
};
/* The store's column name of an amount ("shared_kwh", …); NULL outside
 * the enum. */
const char *cab_opm_column(enum cab_opm_value v);

/* One row of the monthly file: an EAN, a month and a register. */
struct cab_opmonth {
	char ean[40];		 /* the meter's code as the file writes it */
	int year, month;	 /* the local calendar month */
	char reg[4];		 /* "TH", "HI" or "LOW" */
	double v[CAB_OPM_COUNT]; /* amounts; NaN where the file has no column
				    or an empty cell (optional ones) */
	long row;		 /* the file's row (header = 1) */
	int64_t import_id;	 /* the store's import-log row, 0 before */
};

#endif
