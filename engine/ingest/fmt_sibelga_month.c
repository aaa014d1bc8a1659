/*
 * fmt_sibelga_month.c — the grid operator's monthly file of a community
 * (`sibelga-month`, SPEC §13): one row per meter, month and register,
 * xlsx or CSV, kept per EAN, month and register in the store.
 *
 * Why: the monthly file is what the operator bills the members' grid
 * fee on, and where a facilitator first sees a member missing or a key
 * applied otherwise than declared. cabine writes the same shape
 * (sibelga.xlsx) from its simulation; this reads the operator's.
 *
 * Rules chosen (docs/operator.md):
 * - Columns by name, accents, case and a unit in parentheses free:
 *   `Compteur` or `EAN`, `Mois`, `Registre`, `Volume Partagé`, `Volume
 *   Complémentaire`, `Injection Partagée` (required); `Injection
 *   Complémentaire`, `Gridfee total` and the fee's components (network
 *   use, surcharges, capacity term, metering, public-service
 *   obligations, Elia transport, road fee) when present.
 * - The meter is text (an EAN as a number cell has lost digits:
 *   refused); `Mois` is `YYYY-MM`, `MM/YYYY`, a date in the month or a
 *   date cell; `Registre` is TH, HI or LOW. An EAN and month has TH
 *   alone or HI and LOW; a register twice is refused with both rows.
 * - Volumes are ≥ 0; amounts in EUR may be negative (a credit). When
 *   the components and the total are both given they must agree to the
 *   cent per component; with components only, the total is their sum.
 * - A row whose meter, month and register cells are all empty, or whose
 *   meter reads "Total", is a total line under the table: skipped.
 *
 * Workload: a row per member, month and register: tens to thousands.
 */
#include "engine/ingest/formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/opfile.h"
#include "engine/ingest/optable.h"

enum { COL_EAN, COL_MONTH, COL_REG, N_KEYS };
#define N_COLS (N_KEYS + CAB_OPM_COUNT)
#define N_REQUIRED_VALUES 3 /* shared, complementary, shared injection */

/* Accepted header names, folded, by column: the keys, then the amounts
 * in enum cab_opm_value order. */
static const char *const col_names[N_COLS][6] = {
    {"ean", "compteur", "code ean", "ean code", "meter", NULL},
    {"mois", "maand", "month", "periode", NULL},
    {"registre", "register", NULL},
    {"volume partage", "gedeeld volume", "shared volume", NULL},
    {"volume complementaire", "aanvullend volume", "complementary volume",
     NULL},
    {"injection partagee", "gedeelde injectie", "shared injection", NULL},
    {"injection complementaire", "aanvullende injectie",
     "complementary injection", NULL},
    {"gridfee total", "gridfee", "grid fee total", "grid fee", "total gridfee",
     NULL},
    {"utilisation du reseau", "gridfee utilisation du reseau", "netgebruik",
     "network use", NULL},
    {"surcharges", "toeslagen", NULL},
    {"terme capacitaire", "capacite", "capaciteitstarief", "capacity term",
     NULL},
    {"comptage", "activite de comptage", "meting", "metering", NULL},
    {"osp", "obligations de service public", "ods",
     "public service "
     "obligations",
     NULL},
    {"transport elia", "transport", "elia", NULL},
    {"redevance voirie", "redevance de voirie", "wegenisretributie", "road fee",
     NULL},
};
static const char *const col_shown[N_COLS] = {"Compteur",
					      "Mois",
					      "Registre",
					      "Volume Partagé",
					      "Volume Complémentaire",
					      "Injection Partagée",
					      "Injection Complémentaire",
					      "Gridfee total",
					      "network use",
					      "surcharges",
					      "capacity term",
					      "metering",
					      "public-service obligations",
					      "Elia transport",
					      "road fee"};
static const char *const columns[CAB_OPM_COUNT] = {
    "shared_kwh",	    "complementary_kwh",
    "shared_injection_kwh", "complementary_injection_kwh",
    "gridfee_eur",	    "fee_network_eur",
    "fee_surcharges_eur",   "fee_capacity_eur",
    "fee_metering_eur",	    "fee_pso_eur",
    "fee_transport_eur",    "fee_road_eur"};
static const char *const registers[3] = {"TH", "HI", "LOW"};

#define EXPECT_HEADER                                                          \
	"expected the operator's columns Compteur (or EAN), Mois, Registre, "  \
	"Volume Partagé, Volume Complémentaire, Injection Partagée"

const char *cab_opm_column(enum cab_opm_value v)
{
	return (unsigned)v < CAB_OPM_COUNT ? columns[v] : NULL;
}

enum cab_status cab_opmonth_add(struct cab_opmonth_set *s,
				const struct cab_opmonth *m, const char *file,
				struct cab_err *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct cab_opmonth *r = realloc(s->row, cap * sizeof *r);
		if (!r)
			return cab_err_add(err, CAB_ENOMEM, "out of memory");
		s->row = r;
		const char **f = realloc(s->file, cap * sizeof *f);
		if (!f)
			return cab_err_add(err, CAB_ENOMEM, "out of memory");
		s->file = f;
		s->cap = cap;
	}
	s->row[s->n] = *m;
	s->file[s->n++] = file;
	return CAB_OK;
}

void cab_opmonth_set_release(struct cab_opmonth_set *s)
{
	if (!s)
		return;
	free(s->row);
	free(s->file);
	memset(s, 0, sizeof *s);
}

struct monthly {
	struct cab_ingest *ing;
	const char *name;
	struct cab_err *err;
	size_t col[N_COLS];
	bool is_1904;
	size_t first; /* this file's first row in ing->months */
};

/* "name:row: message" as bad input. */
#define FAIL(q, row, ...)                                                      \
	cab_err_at_line((q)->err, CAB_EINPUT, (q)->name, (row), __VA_ARGS__)

static enum cab_status read_header(struct monthly *q,
				   const struct cab_sheet_row *h)
{
	return cab_optable_header(q->name, h, col_names, col_shown, N_COLS,
				  N_KEYS + N_REQUIRED_VALUES,
				  "the operator's monthly file", EXPECT_HEADER,
				  q->col, q->err);
}

/* The meter of a cell into out (40 bytes); NULL or what is wrong. */
static const char *read_meter(const struct cab_cell *c, char out[40])
{
	const char *s;
	size_t n;
	const char *what = cab_optable_code(c, &s, &n);
	if (what)
		return what;
	if (n == 0)
		return "is empty (expected the meter's EAN)";
	if (n >= 40)
		return "is longer than 39 characters (expected an EAN of 18 "
		       "digits)";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "holds a control character (expected an EAN)";
	memcpy(out, s, n);
	out[n] = '\0';
	return NULL;
}

static bool is_total_row(const struct cab_cell *c[N_KEYS])
{
	char f[CAB_OPTABLE_TEXT];
	cab_optable_fold(c[COL_EAN]->text ? c[COL_EAN]->text : "", f, sizeof f);
	if (!strcmp(f, "total") || !strcmp(f, "totaal"))
		return true;
	for (int k = 0; k < N_KEYS; k++)
		if (c[k]->text && *c[k]->text)
			return false;
	return true;
}

static enum cab_status read_values(struct monthly *q,
				   const struct cab_sheet_row *r, long row,
				   struct cab_opmonth *m)
{
	const struct cab_cell empty = {.type = CAB_CELL_EMPTY};
	char shown[CAB_OPTABLE_TEXT];
	double parts = 0;
	int n_parts = 0;
	for (int v = 0; v < CAB_OPM_COUNT; v++) {
		m->v[v] = NAN;
		size_t col = q->col[N_KEYS + v];
		if (col == SIZE_MAX)
			continue;
		const struct cab_cell *c =
		    col < r->n_cells ? &r->cell[col] : &empty;
		bool is_required = v < N_REQUIRED_VALUES;
		if ((!c->text || !*c->text) && !is_required)
			continue;
		const char *what = cab_optable_number(c, &m->v[v]);
		if (what)
			return FAIL(q, row, "column '%s': '%s' %s",
				    col_shown[N_KEYS + v],
				    cab_optable_show(c->text, shown), what);
		bool is_kwh = v <= CAB_OPM_COMPLEMENTARY_INJECTION;
		if (is_kwh && m->v[v] < 0)
			return FAIL(q, row,
				    "column '%s': '%s' is negative (expected "
				    "an energy of 0 kWh or more)",
				    col_shown[N_KEYS + v],
				    cab_optable_show(c->text, shown));
		if (v > CAB_OPM_GRIDFEE) {
			parts += m->v[v];
			n_parts++;
		}
	}
	if (n_parts && isnan(m->v[CAB_OPM_GRIDFEE])) {
		m->v[CAB_OPM_GRIDFEE] = parts;
	} else if (n_parts && fabs(parts - m->v[CAB_OPM_GRIDFEE]) >
				  0.01 * n_parts + 1e-9) {
		return FAIL(q, row,
			    "the grid fee's components add up to %.2f EUR, not "
			    "the Gridfee total %.2f EUR (expected the total of "
			    "its parts)",
			    parts, m->v[CAB_OPM_GRIDFEE]);
	}
	return CAB_OK;
}

static enum cab_status read_row(struct monthly *q,
				const struct cab_sheet_row *r)
{
	long row = (long)r->number;
	const struct cab_cell empty = {.type = CAB_CELL_EMPTY};
	const struct cab_cell *c[N_KEYS];
	for (int k = 0; k < N_KEYS; k++)
		c[k] = q->col[k] < r->n_cells ? &r->cell[q->col[k]] : &empty;
	if (is_total_row(c))
		return CAB_OK;
	struct cab_opmonth m = {.row = row};
	char shown[CAB_OPTABLE_TEXT];
	const char *what = read_meter(c[COL_EAN], m.ean);
	if (what)
		return FAIL(q, row, "meter '%s' %s",
			    cab_optable_show(c[COL_EAN]->text, shown), what);
	struct cab_optable_when w;
	if ((what = cab_optable_when(c[COL_MONTH], q->is_1904, &w)) != NULL)
		return FAIL(q, row, "month '%s' %s",
			    cab_optable_show(c[COL_MONTH]->text, shown),
			    strncmp(what, "is not a date", 13)
				? what
				: "is not a month (expected 2024-10, 10/2024 "
				  "or a date in the month)");
	m.year = w.year;
	m.month = w.month;
	char f[CAB_OPTABLE_TEXT];
	cab_optable_fold(c[COL_REG]->text ? c[COL_REG]->text : "", f, sizeof f);
	int reg = !strcmp(f, "th")    ? 0
		  : !strcmp(f, "hi")  ? 1
		  : !strcmp(f, "low") ? 2
				      : -1;
	if (reg < 0)
		return FAIL(q, row,
			    "unknown register '%s' (expected TH, or HI and "
			    "LOW)",
			    cab_optable_show(c[COL_REG]->text, shown));
	snprintf(m.reg, sizeof m.reg, "%s", registers[reg]);
	enum cab_status st = read_values(q, r, row, &m);
	if (st != CAB_OK)
		return st;
	/* One register per EAN and month, TH alone or HI and LOW. */
	const struct cab_opmonth_set *s = q->ing->months;
	for (size_t i = q->first; i < s->n; i++) {
		const struct cab_opmonth *o = &s->row[i];
		if (strcmp(o->ean, m.ean) || o->year != m.year ||
		    o->month != m.month)
			continue;
		bool is_same = !strcmp(o->reg, m.reg);
		bool is_mixed = (reg == 0) != !strcmp(o->reg, "TH");
		if (is_same || is_mixed)
			return FAIL(q, row,
				    "meter %s in %04d-%02d: register %s %s "
				    "(first at %s:%ld; expected TH alone, or "
				    "HI and LOW, once each)",
				    m.ean, m.year, m.month, m.reg,
				    is_same ? "appears twice"
					    : "beside another register",
				    q->name, o->row);
	}
	q->ing->rows++;
	return cab_opmonth_add(q->ing->months, &m, q->name, q->err);
}

static enum cab_status parse_month(struct cab_ingest *ing, const char *name,
				   const char *buf, size_t len,
				   struct cab_err *err)
{
	if (!ing->months)
		return cab_err_add(err, CAB_EINTERNAL,
				   "%s: the import keeps no monthly rows",
				   name);
	struct monthly q = {
	    .ing = ing, .name = name, .err = err, .first = ing->months->n};
	struct cab_sheet *sh = NULL;
	enum cab_status st = cab_optable_read(name, buf, len, &sh, err);
	if (st != CAB_OK)
		return st;
	q.is_1904 = sh->is_1904;
	size_t head = cab_optable_header_row(sh, col_names, N_COLS);
	if (sh->n_rows == 0)
		st = cab_err_at_line(err, CAB_EINPUT, name, 1,
				     "empty file (" EXPECT_HEADER ")");
	else
		st = read_header(&q, &sh->row[head]);
	for (size_t r = head + 1; r < sh->n_rows && st == CAB_OK; r++)
		st = read_row(&q, &sh->row[r]);
	if (st == CAB_OK && ing->months->n == q.first)
		st = cab_err_at_line(err, CAB_EINPUT, name,
				     (long)sh->row[head].number,
				     "no row under the header (expected one "
				     "row per meter, month and register)");
	cab_sheet_free(sh);
	return st;
}

static enum cab_sniff sniff_month(const unsigned char *raw, size_t len,
				  const char *head)
{
	return strstr(head, "Registre") && strstr(head, "Mois")
		   ? CAB_SNIFF_SIGNATURE
		   : CAB_SNIFF_NO;
}

const struct cab_format_ops cab_format_sibelga_month = {
    .name = "sibelga-month",
    .summary = "the grid operator's monthly file of a community (xlsx or "
	       "CSV): per EAN, month and register, kept in the store",
    .parse = parse_month,
    .sniff = sniff_month,
    .no_sum = "--sum: the operator's monthly file is not phases to add "
	      "(expected sibelga-month without --sum)",
};
