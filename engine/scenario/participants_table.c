/*
 * participants_table.c — `"participants": "participants.csv"` (or .xlsx,
 * its first sheet): the community as a table a facilitator keeps in
 * LibreOffice or Excel, read into the same participants as the JSON
 * array (SPEC §11).
 *
 * Why this way: the table becomes the JSON it stands for — one object
 * per row in $.participants, the weight column in $.sharing.weights, the
 * groups column in $.groups — before the sections are read, so a table
 * and its JSON equivalent go through the very same checks and give
 * byte-identical results. What only a table can get wrong (a cell that is
 * not a number, a yes/no, an unknown column) is said here; what the
 * sections find later on a participant from the table is said at its row
 * and column ("participants.csv:7: column 'occupants': …") by the
 * relocation hook this file sets in the JSON toolkit.
 *
 * Cells: the columns are the participant keys (id, name, address, kind,
 * cabin, the meters consumption, production, offtake, injection, ean,
 * occupants, income_band, epb_class, floor_area_m2, protected, vat, lang,
 * history_kwh) plus weight and groups; names in any case, in any order.
 * CSV separated by `,` or `;` with RFC 4180 quoting (csvtok.c); numbers
 * with a decimal point or comma (vat and weight may end in %); booleans
 * true/false, yes/no, oui/non, ja/nee, 1/0 in any case; spaces around a
 * cell are ignored; an empty cell is an absent key; rows without any
 * value are skipped; groups are names separated by spaces.
 *
 * Workload: tens to thousands of rows, read once per scenario load.
 *
 * Ownership: the table's state (struct cab_sc_table) belongs to the
 * parse context and is freed by cab_sc_table_free(); the cJSON items made
 * here belong to the root tree.
 */
#include "engine/scenario/sections.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/sheet.h"
#include "engine/base/decimal.h"
#include "engine/base/i18n.h"
#include "engine/base/slurp.h"
#include "engine/ingest/csvtok.h"

/* What a column holds. */
enum col_kind {
	COL_TEXT,   /* a string key of the participant */
	COL_METER,  /* a meter id, into "meters" */
	COL_NUMBER, /* a number key */
	COL_RATE,   /* a number that may end in % (vat) */
	COL_BOOL,   /* protected */
	COL_EAN, /* 18 digits, also ="…" as the operator's exports write it */
	COL_WEIGHT, /* into $.sharing.weights */
	COL_GROUPS  /* into $.groups */
};

static const struct {
	const char *name;
	enum col_kind kind;
} columns[] = {
    {"id", COL_TEXT},	       {"name", COL_TEXT},
    {"address", COL_TEXT},     {"kind", COL_TEXT},
    {"cabin", COL_TEXT},       {"consumption", COL_METER},
    {"production", COL_METER}, {"offtake", COL_METER},
    {"injection", COL_METER},  {"ean", COL_EAN},
    {"occupants", COL_NUMBER}, {"income_band", COL_NUMBER},
    {"epb_class", COL_TEXT},   {"floor_area_m2", COL_NUMBER},
    {"protected", COL_BOOL},   {"vat", COL_RATE},
    {"lang", COL_TEXT},	       {"history_kwh", COL_NUMBER},
    {"weight", COL_WEIGHT},    {"groups", COL_GROUPS},
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))
#define NO_COLUMN ((size_t)-1)
#define CAB_SC_MAX_TABLE_BYTES (64 << 20) /* a table of ~500,000 rows */

/* The table as read: the header's columns and every row's cells. */
struct table_row {
	long line;   /* line (CSV) or row number (xlsx) */
	char **cell; /* one per header column, NULL when empty; owned */
};

struct cab_sc_table {
	char *file;	       /* the table's path, in messages; owned */
	size_t n_cols;	       /* columns in the header */
	size_t *col;	       /* n_cols: index in columns[], NO_COLUMN for
				  an unnamed column */
	size_t n_rows;	       /* data rows */
	struct table_row *row; /* n_rows rows, in file order */
	long *line_of;	       /* participant index → its line */
	size_t n_participants; /* entries in line_of */
	bool has_weights;      /* the weight column gave $.sharing.weights */
	bool has_groups;       /* the groups column gave $.groups */
};

/* ---- messages ---------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static void
problem(struct cab_json_ctx *c, long line, const char *column, const char *fmt,
	...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	c->n_errors++;
	const char *file = c->table->file;
	if (line && column)
		cab_err_at_line(c->err, CAB_EINPUT, file, line,
				_("column '%s': %s"), column, msg);
	else if (line)
		cab_err_at_line(c->err, CAB_EINPUT, file, line, "%s", msg);
	else if (column)
		cab_err_add(c->err, CAB_EINPUT, _("%s: column '%s': %s"), file,
			    column, msg);
	else
		cab_err_add(c->err, CAB_EINPUT, "%s: %s", file, msg);
}

/* The hook of cab_json_fail: a problem the sections find at
 * $.participants[i]… is said at the row of participant i (and its
 * column); at $.sharing.weights or $.groups, filled from the table, at
 * the weight or groups column. */
static bool relocate(struct cab_json_ctx *c, const char *path, const char *msg)
{
	const struct cab_sc_table *t = c->table;
	static const char pfx[] = "$.participants[";
	if (strncmp(path, pfx, sizeof(pfx) - 1) == 0) {
		char *end;
		unsigned long i = strtoul(path + sizeof(pfx) - 1, &end, 10);
		if (*end != ']' || i >= t->n_participants)
			return false;
		const char *key = strrchr(end, '.');
		/* a meter's column is its key under "meters" */
		if (key && strcmp(key, ".meters") == 0)
			key = NULL;
		c->n_errors--; /* counted again by problem() */
		problem(c, t->line_of[i], key ? key + 1 : NULL, "%s", msg);
		return true;
	}
	bool is_weights = strncmp(path, "$.sharing.weights", 17) == 0;
	bool is_groups = strncmp(path, "$.groups", 8) == 0;
	if ((is_weights && t->has_weights) || (is_groups && t->has_groups)) {
		c->n_errors--;
		problem(c, 0, is_weights ? "weight" : "groups", "%s", msg);
		return true;
	}
	return false;
}

/* ---- reading the file -------------------------------------------------- */

static void table_release(struct cab_sc_table *t)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t k = 0; k < t->n_cols; k++)
			free(t->row[r].cell[k]);
		free(t->row[r].cell);
	}
	free(t->row);
	free(t->col);
	free(t->line_of);
	free(t->file);
}

void cab_sc_table_free(struct cab_json_ctx *c)
{
	if (!c->table)
		return;
	table_release(c->table);
	free(c->table);
	c->table = NULL;
	c->relocate = NULL;
}

/* A heap copy of s[0..len) with the spaces around it removed, or NULL
 * when nothing is left (an empty cell). */
static char *cell_copy(struct cab_json_ctx *c, const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return NULL;
	char *d = malloc(len + 1);
	if (!d) {
		c->is_oom = true;
		return NULL;
	}
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* The header's names into t->col. */
static bool read_header(struct cab_json_ctx *c, struct cab_sc_table *t,
			char **names, size_t n, long line)
{
	t->col = cab_json_zalloc(c, n ? n : 1, sizeof(*t->col));
	if (!t->col)
		return false;
	t->n_cols = n;
	bool ok = true;
	for (size_t k = 0; k < n; k++) {
		t->col[k] = NO_COLUMN;
		if (!names[k])
			continue;
		for (size_t j = 0; j < N_COLUMNS; j++)
			if (strcasecmp(names[k], columns[j].name) == 0)
				t->col[k] = j;
		if (t->col[k] == NO_COLUMN) {
			char list[400];
			size_t o = 0;
			for (size_t j = 0; j < N_COLUMNS && o < sizeof(list);
			     j++)
				o += (size_t)snprintf(
				    list + o, sizeof(list) - o, "%s%s",
				    j ? ", " : "", columns[j].name);
			problem(c, line, NULL,
				_("unknown column %s (expected one of: %s)"),
				cab_json_quote(c, names[k]), list);
			ok = false;
			continue;
		}
		for (size_t j = 0; j < k; j++)
			if (t->col[j] == t->col[k]) {
				problem(c, line, NULL,
					_("column '%s' is given twice"),
					columns[t->col[k]].name);
				ok = false;
			}
	}
	bool has_id = false;
	for (size_t k = 0; k < n; k++)
		has_id |= t->col[k] == 0;
	if (ok && !has_id) {
		problem(c, line, NULL,
			_("no column 'id' (expected a header naming the "
			  "columns, e.g. id;name;consumption)"));
		ok = false;
	}
	return ok;
}

/* Append a data row of n cells (owned, taken). */
static bool add_row(struct cab_json_ctx *c, struct cab_sc_table *t,
		    char **cells, size_t n, long line)
{
	bool is_empty = true;
	for (size_t k = 0; k < n; k++)
		is_empty &= cells[k] == NULL;
	bool ok = true;
	for (size_t k = t->n_cols; k < n; k++)
		if (cells[k]) {
			if (ok)
				problem(
				    c, line, NULL,
				    _("%zu cells, but the header names %zu "
				      "columns (expected nothing beyond the "
				      "last column)"),
				    n, t->n_cols);
			ok = false;
		}
	for (size_t k = 0; k < t->n_cols && k < n; k++)
		if (cells[k] && t->col[k] == NO_COLUMN) {
			if (ok)
				problem(
				    c, line, NULL,
				    _("a value under a column without a "
				      "name (expected a name in the header, "
				      "line 1)"));
			ok = false;
		}
	struct table_row *rows = NULL;
	char **full = NULL;
	if (!is_empty && ok) {
		rows = realloc(t->row, (t->n_rows + 1) * sizeof(*rows));
		if (rows)
			t->row = rows;
		full = calloc(t->n_cols ? t->n_cols : 1, sizeof(*full));
		if (!rows || !full) {
			c->is_oom = true;
			ok = false;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (full && k < t->n_cols)
			full[k] = cells[k];
		else
			free(cells[k]);
	}
	free(cells);
	if (full && ok)
		t->row[t->n_rows++] = (struct table_row){line, full};
	else
		free(full);
	return ok;
}

/* Only a regular file of a sensible size is read (a fuzzed or mistyped
 * name such as /dev/zero must not read forever). */
static bool is_table_file(struct cab_json_ctx *c, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return true; /* the reader says it cannot open it */
	if (!S_ISREG(sb.st_mode)) {
		problem(c, 0, NULL,
			_("not a file (expected a participants table, .csv or "
			  ".xlsx)"));
		return false;
	}
	if (sb.st_size > CAB_SC_MAX_TABLE_BYTES) {
		problem(
		    c, 0, NULL,
		    _("%lld bytes (expected a participants table of at most "
		      "%d MiB)"),
		    (long long)sb.st_size, CAB_SC_MAX_TABLE_BYTES >> 20);
		return false;
	}
	return true;
}

static bool read_csv(struct cab_json_ctx *c, struct cab_sc_table *t)
{
	char *text = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(t->file, &text, &len, c->err);
	if (st != CAB_OK) {
		c->n_errors++;
		c->is_oom |= st == CAB_ENOMEM;
		return false;
	}
	const char *s = text;
	size_t left = len;
	if (left >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, left -= 3;
	char sep = cab_csv_guess_sep(s, left);
	struct cab_csv_record rec = {0};
	long line = 1;
	bool ok = true, has_header = false;
	while (left && ok) {
		size_t used = 0;
		const char *what = NULL;
		if (!cab_csv_split(s, left, sep, true, &rec, &used, &what)) {
			problem(c, line, NULL, "%s", what);
			ok = false;
			break;
		}
		char **cells = calloc(rec.n, sizeof(*cells));
		if (!cells) {
			c->is_oom = true;
			ok = false;
			break;
		}
		for (size_t k = 0; k < rec.n; k++)
			cells[k] = cell_copy(c, rec.f[k].s, rec.f[k].len);
		if (!has_header) {
			has_header = true;
			ok = read_header(c, t, cells, rec.n, line);
			for (size_t k = 0; k < rec.n; k++)
				free(cells[k]);
			free(cells);
		} else {
			/* a row's problems are listed, reading goes on */
			add_row(c, t, cells, rec.n, line);
		}
		line += 1 + rec.newlines;
		s += used;
		left -= used;
	}
	if (ok && !has_header)
		problem(c, 1, NULL,
			_("empty file (expected a header naming the columns, "
			  "e.g. id;name;consumption)"));
	cab_csv_record_release(&rec);
	free(text);
	return ok && has_header;
}

static bool read_xlsx(struct cab_json_ctx *c, struct cab_sc_table *t)
{
	struct cab_sheet *sh = NULL;
	enum cab_status st = cab_sheet_read(t->file, NULL, &sh, c->err);
	if (st != CAB_OK) {
		c->n_errors++;
		c->is_oom |= st == CAB_ENOMEM;
		return false;
	}
	bool ok = sh->n_rows > 0;
	if (!ok)
		problem(c, 1, NULL,
			_("the first sheet is empty (expected a header naming "
			  "the columns, e.g. id, name, consumption)"));
	for (size_t r = 0; ok && r < sh->n_rows; r++) {
		const struct cab_sheet_row *row = &sh->row[r];
		char **cells =
		    calloc(row->n_cells ? row->n_cells : 1, sizeof(*cells));
		if (!cells) {
			c->is_oom = true;
			break;
		}
		for (size_t k = 0; k < row->n_cells; k++) {
			const struct cab_cell *cl = &row->cell[k];
			if (cl->type == CAB_CELL_ERROR && r > 0)
				problem(
				    c, (long)row->number,
				    k < t->n_cols && t->col[k] != NO_COLUMN
					? columns[t->col[k]].name
					: NULL,
				    _("the cell holds the error %s (expected "
				      "a value)"),
				    cab_json_quote(c, cl->text));
			else if (cl->text)
				cells[k] =
				    cell_copy(c, cl->text, strlen(cl->text));
		}
		if (r == 0) {
			ok = read_header(c, t, cells, row->n_cells,
					 (long)row->number);
			for (size_t k = 0; k < row->n_cells; k++)
				free(cells[k]);
			free(cells);
		} else {
			add_row(c, t, cells, row->n_cells, (long)row->number);
		}
	}
	cab_sheet_free(sh);
	return ok;
}

/* ---- cells into JSON --------------------------------------------------- */

/* A number cell: point or comma decimal, % allowed for rates. */
static bool cell_number(const char *s, bool is_rate, double *v)
{
	char buf[64];
	size_t n = strlen(s);
	bool is_pct = is_rate && n > 1 && s[n - 1] == '%';
	if (is_pct)
		n--;
	while (is_pct && n && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *comma = strchr(buf, ',');
	if (comma && (strchr(buf, '.') || strchr(comma + 1, ',')))
		return false;
	if (comma)
		*comma = '.';
	if (!cab_decimal_parse(buf, n, v))
		return false;
	if (is_pct)
		*v /= 100;
	return true;
}

/* A boolean cell: SPEC §11's words, and what LibreOffice writes for a
 * boolean cell in French (VRAI/FAUX) and Dutch (WAAR/ONWAAR). */
static bool cell_bool(const char *s, bool *v)
{
	static const char *const yes[] = {"true", "yes",  "oui",  "ja",
					  "1",	  "vrai", "waar", NULL};
	static const char *const no[] = {"false", "no",	  "non",    "nee",
					 "0",	  "faux", "onwaar", NULL};
	for (size_t i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *v = true, true;
	for (size_t i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *v = false, true;
	return false;
}

/* A control character in a text cell (a line break typed in a cell). */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Is s valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF)?
 * Excel's plain "CSV" saves in Windows-1252, where "é" is one byte. */
static bool is_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s;
		size_t n = c < 0x80		   ? 0
			   : c >= 0xC2 && c < 0xE0 ? 1
			   : c >= 0xE0 && c < 0xF0 ? 2
			   : c >= 0xF0 && c < 0xF5 ? 3
						   : 9;
		if (n == 9)
			return false;
		unsigned long cp = n == 0   ? c
				   : n == 1 ? c & 0x1F
				   : n == 2 ? c & 0x0F
					    : c & 0x07;
		for (size_t k = 1; k <= n; k++) {
			if ((s[k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		s += n + 1;
	}
	return true;
}

/* Add the participant of row r (id already valid) to arr; its weight to
 * weights and its groups to groups. */
static void row_to_json(struct cab_json_ctx *c, const struct table_row *row,
			const struct cab_sc_table *t, cJSON *arr,
			cJSON *weights, cJSON *groups)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *meters = NULL;
	const char *id = NULL;
	for (size_t k = 0; k < t->n_cols; k++)
		if (t->col[k] == 0)
			id = row->cell[k];
	if (!o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		c->is_oom = true;
		return;
	}
	for (size_t k = 0; k < t->n_cols; k++) {
		const char *v = row->cell[k];
		if (!v || t->col[k] == NO_COLUMN)
			continue;
		const char *name = columns[t->col[k]].name;
		enum col_kind kind = columns[t->col[k]].kind;
		double x;
		bool b;
		cJSON *item = NULL;
		if (has_control(v)) {
			problem(c, row->line, name,
				_("has a line break or a control character "
				  "(expected one line of text)"));
			continue;
		}
		if (!is_utf8((const unsigned char *)v)) {
			problem(c, row->line, name,
				_("is not UTF-8 text (expected the table saved "
				  "as \"CSV UTF-8\" in Excel, or with the "
				  "character set UTF-8 in LibreOffice)"));
			continue;
		}
		switch (kind) {
		case COL_TEXT:
		case COL_METER:
			item = cJSON_CreateString(v);
			break;
		case COL_EAN: {
			/* ="541…": how the operator's exports keep the
			 * digits from becoming a number */
			size_t n = strlen(v);
			if (n > 3 && v[0] == '=' && v[1] == '"' &&
			    v[n - 1] == '"') {
				char tmp[64];
				snprintf(tmp, sizeof(tmp), "%.*s", (int)(n - 3),
					 v + 2);
				item = cJSON_CreateString(tmp);
			} else {
				item = cJSON_CreateString(v);
			}
			break;
		}
		case COL_NUMBER:
		case COL_RATE:
		case COL_WEIGHT:
			if (!cell_number(v, kind != COL_NUMBER, &x)) {
				problem(c, row->line, name,
					kind == COL_NUMBER
					    ? _("%s is not a number (expected "
						"a number like 3 or 95,5)")
					    : _("%s is not a number (expected "
						"a number like 0,06 or 6%%)"),
					cab_json_quote(c, v));
				continue;
			}
			if (kind == COL_WEIGHT && (x < 0 || x > 1)) {
				problem(c, row->line, name,
					_("weight must be between 0 and 1, got "
					  "%g"),
					x);
				continue;
			}
			item = cJSON_CreateNumber(x);
			break;
		case COL_BOOL:
			if (!cell_bool(v, &b)) {
				problem(
				    c, row->line, name,
				    _("%s is not a yes or no (expected true/"
				      "false, yes/no, oui/non, ja/nee or "
				      "1/0)"),
				    cab_json_quote(c, v));
				continue;
			}
			item = cJSON_CreateBool(b);
			break;
		case COL_GROUPS:
			break;
		}
		if (kind == COL_WEIGHT) {
			if (!cJSON_AddItemToObject(weights, id, item)) {
				cJSON_Delete(item);
				c->is_oom = true;
			}
			continue;
		}
		if (kind == COL_GROUPS) {
			char *list = cab_json_dup(c, v);
			char *save = NULL;
			for (char *g = list ? strtok_r(list, " \t", &save)
					    : NULL;
			     g; g = strtok_r(NULL, " \t", &save)) {
				cJSON *ga =
				    cJSON_GetObjectItemCaseSensitive(groups, g);
				if (!ga) {
					ga = cJSON_AddArrayToObject(groups, g);
					if (!ga) {
						c->is_oom = true;
						break;
					}
				}
				bool is_dup = false;
				for (const cJSON *m = ga->child; m && !is_dup;
				     m = m->next)
					is_dup =
					    strcmp(m->valuestring, id) == 0;
				if (!is_dup && !cJSON_AddItemToArray(
						   ga, cJSON_CreateString(id)))
					c->is_oom = true;
			}
			free(list);
			continue;
		}
		cJSON *dst = o;
		if (kind == COL_METER) {
			if (!meters)
				meters = cJSON_AddObjectToObject(o, "meters");
			dst = meters;
		}
		if (!item || !dst || !cJSON_AddItemToObject(dst, name, item)) {
			cJSON_Delete(item);
			c->is_oom = true;
		}
	}
}

/* Put what the table gave in place in the root. */
static void place(struct cab_json_ctx *c, cJSON *root, cJSON *arr,
		  cJSON *weights, cJSON *groups)
{
	cJSON_ReplaceItemInObjectCaseSensitive(root, "participants", arr);
	struct cab_sc_table *t = c->table;
	if (weights->child) {
		cJSON *sh = cJSON_GetObjectItemCaseSensitive(root, "sharing");
		if (!sh)
			sh = cJSON_AddObjectToObject(root, "sharing");
		if (sh && cJSON_HasObjectItem(sh, "weights")) {
			problem(c, 0, "weight",
				_("the scenario also has $.sharing.weights "
				  "(expected the weights in one place: the "
				  "column or $.sharing.weights)"));
		} else if (cJSON_IsObject(sh)) {
			cJSON_AddItemToObject(sh, "weights", weights);
			weights = NULL;
			t->has_weights = true;
		}
	}
	cJSON_Delete(weights);
	if (groups->child) {
		if (cJSON_HasObjectItem(root, "groups")) {
			problem(
			    c, 0, "groups",
			    _("the scenario also has $.groups (expected the "
			      "groups in one place: the column or "
			      "$.groups)"));
		} else {
			cJSON_AddItemToObject(root, "groups", groups);
			groups = NULL;
			t->has_groups = true;
		}
	}
	cJSON_Delete(groups);
}

void cab_sc_expand_participants(struct cab_json_ctx *c, cJSON *root)
{
	const cJSON *v =
	    cJSON_IsObject(root)
		? cJSON_GetObjectItemCaseSensitive(root, "participants")
		: NULL;
	if (!cJSON_IsString(v))
		return;
	struct cab_sc_table *t = cab_json_zalloc(c, 1, sizeof(*t));
	if (!t)
		return;
	c->table = t; /* from now on the participants section leaves it */
	if (!v->valuestring || !v->valuestring[0]) {
		cab_json_fail(c, "$.participants",
			      _("expected a table file (participants.csv or "
				"participants.xlsx) or an array of "
				"participants"));
		return;
	}
	t->file = cab_json_resolve(c, v->valuestring);
	if (!t->file)
		return;
	bool ok =
	    is_table_file(c, t->file) &&
	    (cab_sheet_is_xlsx(t->file) ? read_xlsx(c, t) : read_csv(c, t));
	cJSON *arr = cJSON_CreateArray(), *weights = cJSON_CreateObject(),
	      *groups = cJSON_CreateObject();
	t->line_of =
	    cab_json_zalloc(c, t->n_rows ? t->n_rows : 1, sizeof(*t->line_of));
	if (!arr || !weights || !groups || !t->line_of) {
		c->is_oom = true;
		ok = false;
	}
	if (ok && t->n_rows == 0) {
		problem(c, 0, NULL,
			_("no participant (expected one row per participant "
			  "under the header)"));
		ok = false;
	}
	size_t id_col = NO_COLUMN;
	for (size_t k = 0; k < t->n_cols; k++)
		if (t->col[k] == 0)
			id_col = k;
	for (size_t r = 0; ok && r < t->n_rows; r++) {
		const struct table_row *row = &t->row[r];
		if (!row->cell[id_col]) {
			problem(c, row->line, "id",
				_("empty (expected the participant's id, e.g. "
				  "h01)"));
			continue;
		}
		t->line_of[t->n_participants++] = row->line;
		row_to_json(c, row, t, arr, weights, groups);
	}
	if (ok) {
		place(c, root, arr, weights, groups);
		c->relocate = relocate;
	} else {
		cJSON_Delete(arr);
		cJSON_Delete(weights);
		cJSON_Delete(groups);
	}
}
