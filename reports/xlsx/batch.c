/*
 * batch.c — batch.xlsx, the summary workbook of `cabine batch` (docs/
 * batch.md): what a sweep found, for a researcher or an assembly that
 * wants to see it without SQL.
 *
 * First sheet ("Grid"): the bill saving of the community (Σ stand-alone
 * bills − Σ bills, EUR) across the sweep's grid. The last swept key is
 * the horizontal axis (it varies fastest: e.g. the price), the first one
 * names the lines (e.g. the key), and each combination of the keys in
 * between gets its own table and chart (e.g. one per PV scale), so
 * "bill saving by key and price" reads at a glance. A list batch, or a
 * sweep of one key, gets one chart of the saving per run. Second sheet
 * ("Runs"): every run recorded, with its parameters, status, totals,
 * indicators and, for a failed run, its messages.
 *
 * Words: the texts of this workbook in French, Dutch and English are in
 * the table below (not yet in words.c, so that the workbook arrived
 * without touching the other workbooks' file).
 *
 * Workload: one row per run (thousands), read from batch.sqlite into
 * memory once; at most MAX_CHARTS charts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/batch.h"
#include "reports/xlsx/book.h"

#define MAX_CHARTS 24 /* tables and charts on the grid sheet */

struct batch_words {
	const char *title, *grid, *runs, *saving, *saving_eur, *id, *name,
	    *status, *ok, *failed, *key, *participants, *bill, *baseline,
	    *shared, *scr, *ssr, *error, *by, *more, *none;
};

static const struct batch_words WORDS[3] = {
    {
	.title = "Lot de scénarios",
	.grid = "Grille",
	.runs = "Exécutions",
	.saving = "Économie sur les factures (€), selon %s",
	.saving_eur = "Économie (€)",
	.id = "N°",
	.name = "Exécution",
	.status = "Statut",
	.ok = "ok",
	.failed = "échec",
	.key = "Clé de partage",
	.participants = "Participants",
	.bill = "Factures (€)",
	.baseline = "Seuls (€)",
	.shared = "Énergie partagée (kWh)",
	.scr = "Taux d'autoconsommation collective",
	.ssr = "Taux d'autosuffisance",
	.error = "Erreur",
	.by = "par exécution",
	.more = "%zu autres combinaisons : voir la feuille Exécutions",
	.none = "Aucune exécution réussie",
    },
    {
	.title = "Reeks scenario's",
	.grid = "Rooster",
	.runs = "Uitvoeringen",
	.saving = "Besparing op de facturen (€), volgens %s",
	.saving_eur = "Besparing (€)",
	.id = "Nr.",
	.name = "Uitvoering",
	.status = "Status",
	.ok = "ok",
	.failed = "mislukt",
	.key = "Verdeelsleutel",
	.participants = "Deelnemers",
	.bill = "Facturen (€)",
	.baseline = "Alleen (€)",
	.shared = "Gedeelde energie (kWh)",
	.scr = "Collectieve zelfverbruiksgraad",
	.ssr = "Zelfvoorzieningsgraad",
	.error = "Fout",
	.by = "per uitvoering",
	.more = "%zu andere combinaties: zie het blad Uitvoeringen",
	.none = "Geen geslaagde uitvoering",
    },
    {
	.title = "Scenario batch",
	.grid = "Grid",
	.runs = "Runs",
	.saving = "Bill saving (EUR), by %s",
	.saving_eur = "Saving (EUR)",
	.id = "No.",
	.name = "Run",
	.status = "Status",
	.ok = "ok",
	.failed = "failed",
	.key = "Sharing key",
	.participants = "Participants",
	.bill = "Bills (EUR)",
	.baseline = "Alone (EUR)",
	.shared = "Shared energy (kWh)",
	.scr = "Self-consumption rate",
	.ssr = "Self-sufficiency rate",
	.error = "Error",
	.by = "by run",
	.more = "%zu more combinations: see the Runs sheet",
	.none = "No run succeeded",
    },
};

/* One run as the workbook needs it. */
struct brow {
	char *name, *key, *error;
	bool is_ok;
	double ind[CAB_RES_IND_COUNT];
	size_t *v; /* per parameter: index of its value in that key's list */
};

/* The runs and the distinct values of each swept key. */
struct table {
	struct brow *rows;
	size_t n, cap;
	size_t n_params;
	char **param;	    /* the keys' paths */
	char ***values;	    /* per key: its distinct values, in order */
	bool **is_number;   /* per key and value */
	size_t *n_values;   /* per key */
	size_t *cap_values; /* per key */
	bool is_oom;
};

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].name);
		free(t->rows[i].key);
		free(t->rows[i].error);
		free(t->rows[i].v);
	}
	free(t->rows);
	for (size_t k = 0; k < t->n_params; k++) {
		free(t->param[k]);
		for (size_t j = 0; t->values && j < t->n_values[k]; j++)
			free(t->values[k][j]);
		if (t->values)
			free(t->values[k]);
		if (t->is_number)
			free(t->is_number[k]);
	}
	free(t->param);
	free(t->values);
	free(t->is_number);
	free(t->n_values);
	free(t->cap_values);
}

static char *dup(struct table *t, const char *s)
{
	char *d = strdup(s ? s : "");
	t->is_oom |= d == NULL;
	return d;
}

/* The index of value s of key k, added if new. */
static size_t value_index(struct table *t, size_t k, const char *s,
			  bool is_number)
{
	for (size_t j = 0; j < t->n_values[k]; j++)
		if (!strcmp(t->values[k][j], s))
			return j;
	if (t->n_values[k] == t->cap_values[k]) {
		size_t cap = t->cap_values[k] ? 2 * t->cap_values[k] : 8;
		char **v = realloc(t->values[k], cap * sizeof *v);
		if (v)
			t->values[k] = v;
		bool *b = v ? realloc(t->is_number[k], cap * sizeof *b) : NULL;
		if (!b) {
			t->is_oom = true;
			return 0;
		}
		t->is_number[k] = b;
		t->cap_values[k] = cap;
	}
	t->values[k][t->n_values[k]] = dup(t, s);
	t->is_number[k][t->n_values[k]] = is_number;
	return t->n_values[k]++;
}

static int add_row(void *ctx, const struct cab_results_row *r)
{
	struct table *t = ctx;
	if (t->n == 0 && !t->param) {
		t->n_params = r->n_params;
		size_t n = r->n_params ? r->n_params : 1;
		t->param = calloc(n, sizeof *t->param);
		t->values = calloc(n, sizeof *t->values);
		t->is_number = calloc(n, sizeof *t->is_number);
		t->n_values = calloc(n, sizeof *t->n_values);
		t->cap_values = calloc(n, sizeof *t->cap_values);
		if (!t->param || !t->values || !t->is_number || !t->n_values ||
		    !t->cap_values) {
			t->n_params = 0;
			t->is_oom = true;
			return 1;
		}
		for (size_t k = 0; k < r->n_params; k++)
			t->param[k] = dup(t, r->param[k]);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct brow *nr = realloc(t->rows, cap * sizeof *nr);
		if (!nr) {
			t->is_oom = true;
			return 1;
		}
		t->rows = nr;
		t->cap = cap;
	}
	struct brow *b = &t->rows[t->n++];
	*b = (struct brow){.name = dup(t, r->run.name),
			   .key = dup(t, r->run.sharing_key),
			   .error = dup(t, r->run.error),
			   .is_ok = r->run.is_ok};
	memcpy(b->ind, r->run.ind, sizeof b->ind);
	b->v = calloc(t->n_params ? t->n_params : 1, sizeof *b->v);
	t->is_oom |= b->v == NULL;
	for (size_t k = 0; b->v && k < t->n_params && k < r->n_params; k++)
		b->v[k] = value_index(t, k, r->value[k], r->is_number[k]);
	return t->is_oom;
}

/* A parameter's value in a cell: a number as a number. */
static void put_value(struct cab_book *b, lxw_worksheet *ws, lxw_row_t r,
		      lxw_col_t c, const struct table *t, size_t k, size_t j)
{
	if (t->is_number[k][j])
		cab_book_put_num(b, ws, r, c, strtod(t->values[k][j], NULL),
				 NULL);
	else
		cab_book_put_str(b, ws, r, c, t->values[k][j], NULL);
}

static double saving_of(const struct brow *r)
{
	return r->is_ok ? -r->ind[CAB_RES_DELTA_EUR] : NAN;
}

/* The Runs sheet. */
static void write_runs(struct cab_book *b, lxw_worksheet *ws,
		       const struct table *t, const struct batch_words *w)
{
	lxw_col_t c = 0;
	cab_book_put_str(b, ws, 0, c++, w->id, b->head);
	cab_book_put_str(b, ws, 0, c++, w->name, b->head);
	cab_book_put_str(b, ws, 0, c++, w->status, b->head);
	for (size_t k = 0; k < t->n_params; k++)
		cab_book_put_str(b, ws, 0, c++, t->param[k], b->head);
	const char *heads[] = {w->key,	    w->participants, w->bill,
			       w->baseline, w->saving_eur,   w->shared,
			       w->scr,	    w->ssr,	     w->error};
	lxw_col_t c0 = c;
	for (size_t h = 0; h < sizeof heads / sizeof *heads; h++)
		cab_book_put_str(b, ws, 0, c++, heads[h],
				 h ? b->head_num : b->head);
	for (size_t i = 0; i < t->n; i++) {
		const struct brow *r = &t->rows[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		c = 0;
		cab_book_put_num(b, ws, row, c++, (double)(i + 1), NULL);
		cab_book_put_str(b, ws, row, c++, r->name, NULL);
		cab_book_put_str(b, ws, row, c++, r->is_ok ? w->ok : w->failed,
				 NULL);
		for (size_t k = 0; k < t->n_params; k++)
			put_value(b, ws, row, c++, t, k, r->v[k]);
		cab_book_put_str(b, ws, row, c++, r->key, NULL);
		if (r->is_ok) {
			cab_book_put_num(b, ws, row, c++,
					 r->ind[CAB_RES_PARTICIPANTS], NULL);
			cab_book_put_num(b, ws, row, c++,
					 r->ind[CAB_RES_BILL_EUR], b->eur);
			cab_book_put_num(b, ws, row, c++,
					 r->ind[CAB_RES_BASELINE_EUR], b->eur);
			cab_book_put_num(b, ws, row, c++, saving_of(r), b->eur);
			cab_book_put_num(b, ws, row, c++,
					 r->ind[CAB_RES_SHARED_KWH], b->kwh);
			cab_book_put_num(b, ws, row, c++,
					 r->ind[CAB_RES_SELF_CONSUMPTION_RATE],
					 b->pct);
			cab_book_put_num(b, ws, row, c++,
					 r->ind[CAB_RES_SELF_SUFFICIENCY_RATE],
					 b->pct);
		} else {
			c += 7;
		}
		cab_book_put_str(b, ws, row, c++, r->error, NULL);
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, 0, 6, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, 1, 2, 18, NULL);
	/* A path has no space to wrap at: its column is as wide as it. */
	for (size_t k = 0; k < t->n_params && !b->e; k++) {
		size_t len = strlen(t->param[k]) + 2;
		b->e = worksheet_set_column(ws, (lxw_col_t)(3 + k),
					    (lxw_col_t)(3 + k),
					    len < 12 ? 12 : (double)len, NULL);
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, c0, c0, 16, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, c0 + 1, c0 + 5, 14, NULL);
	if (!b->e)
		b->e = worksheet_set_column(ws, c0 + 6, c0 + 7, 20, NULL);
	if (!b->e)
		b->e = worksheet_set_row(ws, 0, 45, NULL);
	worksheet_freeze_panes(ws, 1, 2);
	cab_book_print_table(b, ws, true, 0);
}

/* A chart of the saving: one series per column c0..c1 of the table at
 * rows r0..r1 (categories in column 0), placed at (at, cc). */
static void saving_chart(struct cab_book *b, lxw_worksheet *ws,
			 const char *sheet, lxw_row_t head, lxw_row_t r0,
			 lxw_row_t r1, lxw_col_t c0, lxw_col_t c1, uint8_t type,
			 const char *title, const struct batch_words *w,
			 lxw_row_t at, lxw_col_t cc)
{
	lxw_chart *ch = cab_book_chart(b, type);
	for (lxw_col_t c = c0; ch && c <= c1; c++) {
		lxw_chart_series *s =
		    cab_book_add_series(b, ch, sheet, r0, r1, 0, c, NULL);
		if (s)
			chart_series_set_name_range(s, sheet, head, c);
		if (s && type == LXW_CHART_LINE)
			chart_series_set_marker_type(
			    s, LXW_CHART_MARKER_AUTOMATIC);
	}
	cab_book_place_chart(b, ws, at, cc, ch, title, w->saving_eur, 0);
}

/* The grid sheet: tables and charts of the saving (see the header). */
static void write_grid(struct cab_book *b, lxw_worksheet *ws, const char *sheet,
		       const struct table *t, const struct batch_words *w)
{
	size_t np = t->n_params;
	char title[512];
	if (np < 2) {
		/* One chart: the saving of each run (or of each value). */
		cab_book_put_str(b, ws, 0, 0, np ? t->param[0] : w->name,
				 b->head);
		cab_book_put_str(b, ws, 0, 1, w->saving_eur, b->head_num);
		for (size_t i = 0; i < t->n; i++) {
			lxw_row_t r = (lxw_row_t)(i + 1);
			if (np)
				put_value(b, ws, r, 0, t, 0, t->rows[i].v[0]);
			else
				cab_book_put_str(b, ws, r, 0, t->rows[i].name,
						 NULL);
			cab_book_put_num(b, ws, r, 1, saving_of(&t->rows[i]),
					 b->eur);
		}
		snprintf(title, sizeof title, w->saving,
			 np ? t->param[0] : w->by);
		if (t->n)
			saving_chart(b, ws, sheet, 0, 1, (lxw_row_t)t->n, 1, 1,
				     LXW_CHART_COLUMN, title, w, 0, 3);
		if (!b->e)
			b->e = worksheet_set_column(ws, 0, 1, 18, NULL);
		cab_book_print_table(b, ws, true, 0);
		return;
	}
	/* x: the last key; lines: the first; one block per combination of
	 * the keys between. */
	size_t nx = t->n_values[np - 1], ns = t->n_values[0], nb = 1;
	for (size_t k = 1; k + 1 < np; k++)
		nb *= t->n_values[k];
	lxw_row_t r = 0;
	size_t shown = nb < MAX_CHARTS ? nb : MAX_CHARTS;
	for (size_t blk = 0; blk < shown && !b->e; blk++) {
		/* The block's values of the middle keys, and its title. */
		size_t rest = blk, mid[16] = {0};
		char which[256] = "";
		for (size_t k = np - 2; k >= 1 && k < 16; k--) {
			mid[k] = rest % t->n_values[k];
			rest /= t->n_values[k];
		}
		for (size_t k = 1; k + 1 < np && k < 16; k++) {
			size_t len = strlen(which);
			snprintf(which + len, sizeof which - len, "%s%s = %s",
				 len ? ", " : " — ", t->param[k],
				 t->values[k][mid[k]]);
		}
		snprintf(title, sizeof title, w->saving, t->param[np - 1]);
		size_t tl = strlen(title);
		snprintf(title + tl, sizeof title - tl, "%s", which);
		lxw_row_t head = r;
		cab_book_put_str(b, ws, head, 0, t->param[np - 1], b->head);
		for (size_t s = 0; s < ns; s++) {
			char h[320];
			snprintf(h, sizeof h, "%s = %s", t->param[0],
				 t->values[0][s]);
			cab_book_put_str(b, ws, head, (lxw_col_t)(1 + s), h,
					 b->head_num);
		}
		for (size_t x = 0; x < nx; x++)
			put_value(b, ws, head + 1 + (lxw_row_t)x, 0, t, np - 1,
				  x);
		for (size_t i = 0; i < t->n; i++) {
			const struct brow *br = &t->rows[i];
			bool is_here = true;
			for (size_t k = 1; k + 1 < np && k < 16; k++)
				is_here &= br->v[k] == mid[k];
			if (is_here && br->is_ok)
				cab_book_put_num(
				    b, ws, head + 1 + (lxw_row_t)br->v[np - 1],
				    (lxw_col_t)(1 + br->v[0]), saving_of(br),
				    b->eur);
		}
		cab_book_put_str(b, ws, head + 1 + (lxw_row_t)nx, 0, title,
				 b->remark);
		saving_chart(b, ws, sheet, head, head + 1, head + (lxw_row_t)nx,
			     1, (lxw_col_t)ns,
			     nx > 1 ? LXW_CHART_LINE : LXW_CHART_COLUMN, title,
			     w, head, (lxw_col_t)(ns + 2));
		/* A chart is about 20 rows high. */
		lxw_row_t h = (lxw_row_t)(nx + 3);
		r += h > 22 ? h : 22;
	}
	if (nb > shown) {
		char more[160];
		snprintf(more, sizeof more, w->more, nb - shown);
		cab_book_put_str(b, ws, r, 0, more, b->remark);
	}
	if (!b->e)
		b->e = worksheet_set_column(ws, 0, (lxw_col_t)ns, 16, NULL);
	/* Three blocks a page, each a table and its chart side by side,
	 * never cut. */
	lxw_row_t hb = (lxw_row_t)(nx + 3 > 22 ? nx + 3 : 22);
	cab_book_print_charts(b, ws, 3 * hb, (shown + 2) / 3);
}

enum cab_status cab_report_batch_xlsx(const char *results, const char *dir,
				      const char *name, int lang,
				      struct cab_err *err)
{
	const struct batch_words *w = &WORDS[lang >= 0 && lang < 3 ? lang : 0];
	struct table t = {0};
	enum cab_status st = cab_results_scan(results, add_row, &t, err);
	if (st == CAB_OK && t.is_oom)
		st = cab_err_add(err, CAB_ENOMEM, "%s/%s: out of memory", dir,
				 name);
	char path[4096];
	struct cab_book b;
	if (st == CAB_OK)
		st = cab_book_open(&b, dir, name, w->title, NULL, path,
				   sizeof path, err);
	if (st != CAB_OK) {
		table_release(&t);
		return st;
	}
	b.ws = cab_book_sheet(&b, w->grid);
	lxw_worksheet *runs = cab_book_sheet(&b, w->runs);
	size_t n_ok = 0;
	for (size_t i = 0; i < t.n; i++)
		n_ok += t.rows[i].is_ok;
	if (b.ws && !n_ok)
		cab_book_put_str(&b, b.ws, 0, 0, w->none, b.remark);
	else if (b.ws)
		write_grid(&b, b.ws, w->grid, &t, w);
	if (runs)
		write_runs(&b, runs, &t, w);
	if (!b.e && b.ws)
		worksheet_activate(b.ws);
	st = cab_book_close(&b, path, err);
	table_release(&t);
	return st;
}
