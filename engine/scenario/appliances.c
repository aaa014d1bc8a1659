/*
 * appliances.c — the scenario's "appliances": the households' inventory
 * of appliance uses (docs/appliances.md, issue 15).
 *
 * Why: at L'Échappée each household listed its appliances, estimated
 * their power and hours of use, classed each use as indispensable,
 * useful or comfort, said whether it could be shifted and how to do
 * without it, then measured some with a wattmeter. The table is typed in
 * a spreadsheet, one for everyone (`"appliances": "appliances.csv"`, a
 * participant column says whose row it is) or one per household
 * (`"appliances": {"h01": "h01.xlsx", …}`). Every cell is checked here,
 * every problem reported as `file:line: column 'watts': …` (the CSV line
 * or the spreadsheet row), so that `cabine check` lists them all.
 *
 * Columns (any order, any case; English, French or Dutch names):
 * participant, appliance, class, watts, hours_per_day, time_of_day,
 * shiftable, alternative, measured_kwh, measured_days.
 *
 * Workload: a few hundred rows.
 *
 * Ownership: the rows go into c->sc (sc->appliances), freed by
 * cab_sc_free_appliances() from cab_scenario_free().
 */
#include "engine/scenario/sections.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/base/decimal.h"
#include "engine/base/i18n.h"
#include "engine/scenario/table.h"

#define MAX_PROBLEMS 20 /* per table, then "… and N more problems" */

enum col {
	COL_PARTICIPANT = 0,
	COL_APPLIANCE,
	COL_CLASS,
	COL_WATTS,
	COL_HOURS,
	COL_TIME,
	COL_SHIFTABLE,
	COL_ALTERNATIVE,
	COL_MEASURED_KWH,
	COL_MEASURED_DAYS,
	N_COLS
};

/* Accepted names of each column: the first is the one messages use. */
static const char *const col_names[N_COLS][5] = {
    [COL_PARTICIPANT] = {"participant", "deelnemer", NULL},
    [COL_APPLIANCE] = {"appliance", "appareil", "toestel", "use", NULL},
    [COL_CLASS] = {"class", "classe", "klasse", NULL},
    [COL_WATTS] = {"watts", "w", "puissance_w", "vermogen_w", NULL},
    [COL_HOURS] = {"hours_per_day", "heures_par_jour", "uren_per_dag", NULL},
    [COL_TIME] = {"time_of_day", "moment", "tijdstip", NULL},
    [COL_SHIFTABLE] = {"shiftable", "deplacable",
		       "d\xC3\xA9pla\xC3\xA7"
		       "able",
		       "verschuifbaar", NULL},
    [COL_ALTERNATIVE] = {"alternative", "alternatief", NULL},
    [COL_MEASURED_KWH] = {"measured_kwh", "kwh_mesures", "gemeten_kwh", NULL},
    [COL_MEASURED_DAYS] = {"measured_days", "jours_mesures", "gemeten_dagen",
			   NULL},
};

/* Class words, by enum cab_use_class, in the three languages. */
static const char *const class_names[CAB_USE_CLASSES][5] = {
    [CAB_USE_INDISPENSABLE] = {"indispensable", "onmisbaar", NULL},
    [CAB_USE_USEFUL] = {"useful", "utile", "nuttig", NULL},
    [CAB_USE_COMFORT] = {"comfort", "confort", "confortable", NULL},
};

static const char *const yes_words[] = {"true", "yes", "oui", "ja", "1", NULL};
static const char *const no_words[] = {"false", "no", "non", "nee", "0", NULL};

/* One table being read. */
struct reader {
	struct cab_json_ctx *c;
	const char *path;     /* resolved file */
	long owner;	      /* participant of a per-household table, or -1 */
	size_t col[N_COLS];   /* column index of each, or SIZE_MAX */
	size_t problems;      /* reported in this table */
	size_t more_problems; /* beyond MAX_PROBLEMS */
};

__attribute__((format(printf, 3, 4))) static void
problem(struct reader *r, unsigned long line, const char *fmt, ...)
{
	r->c->n_errors++;
	if (r->problems >= MAX_PROBLEMS) {
		r->more_problems++;
		return;
	}
	r->problems++;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = 0;
	va_end(ap);
	cab_err_at_line(r->c->err, CAB_EINPUT, r->path, (long)line, "%s", msg);
}

static bool is_word(const char *s, const char *const *words)
{
	for (size_t k = 0; words[k]; k++)
		if (!strcasecmp(s, words[k]))
			return true;
	return false;
}

/* Map the header row's cells to columns. */
static bool read_header(struct reader *r, const struct cab_sheet_row *h)
{
	for (size_t k = 0; k < N_COLS; k++)
		r->col[k] = SIZE_MAX;
	bool is_ok = true;
	for (size_t j = 0; j < h->n_cells; j++) {
		const char *name = cab_sheet_text(h, j);
		if (!name)
			continue;
		size_t k = 0;
		while (k < N_COLS && !is_word(name, col_names[k]))
			k++;
		if (k == N_COLS) {
			problem(r, h->number,
				_("unknown column %s (expected participant, "
				  "appliance, class, watts, hours_per_day, "
				  "time_of_day, shiftable, alternative, "
				  "measured_kwh, measured_days)"),
				cab_json_quote(r->c, name));
			is_ok = false;
		} else if (r->col[k] != SIZE_MAX) {
			problem(r, h->number, _("column '%s' appears twice"),
				col_names[k][0]);
			is_ok = false;
		} else {
			r->col[k] = j;
		}
	}
	const enum col required[] = {COL_APPLIANCE, COL_CLASS, COL_WATTS,
				     COL_HOURS};
	for (size_t k = 0; k < sizeof(required) / sizeof(required[0]); k++)
		if (r->col[required[k]] == SIZE_MAX) {
			problem(r, h->number,
				_("no column '%s' (expected it in the header)"),
				col_names[required[k]][0]);
			is_ok = false;
		}
	if (r->owner < 0 && r->col[COL_PARTICIPANT] == SIZE_MAX) {
		problem(r, h->number,
			_("no column 'participant' (a table for every "
			  "household says whose each row is)"));
		is_ok = false;
	}
	return is_ok;
}

static const char *cell(const struct reader *r, const struct cab_sheet_row *row,
			enum col k)
{
	return r->col[k] == SIZE_MAX ? NULL : cab_sheet_text(row, r->col[k]);
}

/* A number with a decimal point or comma in [lo, hi] into *v; otherwise
 * the problem fmt (of the column's name and the cell). */
static bool number(struct reader *r, const struct cab_sheet_row *row,
		   enum col k, double lo, double hi, const char *fmt, double *v)
{
	const char *s = cell(r, row, k);
	char buf[64];
	size_t n = strlen(s);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	char *comma = strchr(buf, ',');
	if (comma && !strchr(comma + 1, ','))
		*comma = '.';
	if (!cab_decimal_parse(buf, n, v) || !isfinite(*v) || *v < lo ||
	    *v > hi) {
		problem(r, row->number, fmt, col_names[k][0],
			cab_json_quote(r->c, s));
		return false;
	}
	return true;
}

/* "HH[:MM]" or "HHhMM" at *p, in minutes after midnight (24:00 = 1440). */
static bool clock_value(const char **p, int *min)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	int h = 0, m = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 2)
		h = h * 10 + (*s++ - '0'), digits++;
	if (*s == ':' || *s == 'h' || *s == 'H') {
		s++;
		if (isdigit((unsigned char)s[0]) &&
		    isdigit((unsigned char)s[1])) {
			m = (s[0] - '0') * 10 + (s[1] - '0');
			s += 2;
		}
	}
	while (*s == ' ')
		s++;
	if (h > 24 || m > 59 || (h == 24 && m > 0))
		return false;
	*min = h * 60 + m;
	*p = s;
	return true;
}

/* "18:00-21:00" (also "18h-21h30", an en dash, "22:00-06:00" crossing
 * midnight) into [from, to); false when it is not one. */
static bool time_range(const char *s, int *from, int *to)
{
	const char *p = s;
	if (!clock_value(&p, from))
		return false;
	if (*p == '-')
		p++;
	else if (!strncmp(p, "\xE2\x80\x93", 3))
		p += 3;
	else
		return false;
	if (!clock_value(&p, to) || *p)
		return false;
	if (*from == 1440)
		*from = 0;
	if (*to == 0 && *from > 0)
		*to = 1440;
	return *from != *to || (*from == 0 && *to == 1440);
}

/* Text without control characters (SPEC §11). */
static bool text_ok(struct reader *r, const struct cab_sheet_row *row,
		    enum col k, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			problem(r, row->number,
				_("column '%s': a control character in %s "
				  "(expected printable text)"),
				col_names[k][0], cab_json_quote(r->c, s));
			return false;
		}
	return true;
}

/* One data row into a new entry of sc->appliances. */
static void read_row(struct reader *r, const struct cab_sheet_row *row,
		     struct cab_appliance *a)
{
	struct cab_json_ctx *c = r->c;
	unsigned long line = row->number;
	*a = (struct cab_appliance){.measured_kwh = NAN, .measured_days = 1};
	a->line = line;
	a->file = cab_json_dup(c, r->path);
	long who = r->owner;
	const char *s = cell(r, row, COL_PARTICIPANT);
	if (s) {
		long i = cab_scenario_find(c->sc, s);
		if (i < 0)
			problem(r, line,
				_("column 'participant': %s is not declared in "
				  "$.participants"),
				cab_json_quote(c, s));
		else if (r->owner >= 0 && i != r->owner)
			problem(r, line,
				_("column 'participant': %s in the table of "
				  "%s (expected that participant or an empty "
				  "cell)"),
				cab_json_quote(c, s),
				cab_json_quote(
				    c, c->sc->participants[r->owner].id));
		else
			who = i;
	} else if (r->owner < 0) {
		problem(r, line,
			_("column 'participant' is empty (expected a "
			  "participant id)"));
	}
	a->participant = who < 0 ? 0 : (size_t)who;
	if (!(s = cell(r, row, COL_APPLIANCE)))
		problem(r, line,
			_("column 'appliance' is empty (expected what "
			  "the appliance or use is)"));
	else if (text_ok(r, row, COL_APPLIANCE, s))
		a->name = cab_json_dup(c, s);
	if (!(s = cell(r, row, COL_CLASS))) {
		problem(r, line,
			_("column 'class' is empty (expected "
			  "indispensable, useful or comfort)"));
	} else {
		int k = 0;
		while (k < CAB_USE_CLASSES && !is_word(s, class_names[k]))
			k++;
		if (k == CAB_USE_CLASSES)
			problem(r, line,
				_("column 'class': %s (expected indispensable, "
				  "useful or comfort)"),
				cab_json_quote(c, s));
		else
			a->use_class = (enum cab_use_class)k;
	}
	if (!cell(r, row, COL_WATTS))
		problem(r, line,
			_("column 'watts' is empty (expected the "
			  "estimated power in W)"));
	else
		number(r, row, COL_WATTS, 0, 1e6,
		       _("column '%s': %s is not a power in W from 0"),
		       &a->watts);
	if (!cell(r, row, COL_HOURS))
		problem(r, line,
			_("column 'hours_per_day' is empty (expected "
			  "hours from 0 to 24)"));
	else
		number(
		    r, row, COL_HOURS, 0, 24,
		    _("column '%s': %s is not a number of hours from 0 to 24"),
		    &a->hours_per_day);
	if ((s = cell(r, row, COL_TIME))) {
		a->has_time = time_range(s, &a->from_min, &a->to_min);
		if (!a->has_time)
			problem(r, line,
				_("column 'time_of_day': %s (expected a range "
				  "of local time such as 18:00-21:00)"),
				cab_json_quote(c, s));
	}
	if ((s = cell(r, row, COL_SHIFTABLE))) {
		if (is_word(s, yes_words))
			a->is_shiftable = true;
		else if (!is_word(s, no_words))
			problem(
			    r, line,
			    _("column 'shiftable': %s (expected yes or no)"),
			    cab_json_quote(c, s));
	}
	if ((s = cell(r, row, COL_ALTERNATIVE)) &&
	    text_ok(r, row, COL_ALTERNATIVE, s))
		a->alternative = cab_json_dup(c, s);
	if (cell(r, row, COL_MEASURED_KWH))
		number(r, row, COL_MEASURED_KWH, 0, 1e6,
		       _("column '%s': %s is not a wattmeter reading in kWh "
			 "from 0"),
		       &a->measured_kwh);
	if (cell(r, row, COL_MEASURED_DAYS)) {
		if (number(r, row, COL_MEASURED_DAYS, 1e-3, 3660,
			   _("column '%s': %s is not a number of days above 0"),
			   &a->measured_days) &&
		    !cell(r, row, COL_MEASURED_KWH))
			problem(r, line,
				_("column 'measured_days' without "
				  "'measured_kwh' (expected the wattmeter's "
				  "reading beside its days)"));
	}
}

/* Read one table (rel: as written at path) into c->sc->appliances. */
static void read_table(struct cab_json_ctx *c, const char *path,
		       const char *rel, long owner)
{
	struct cab_scenario *sc = c->sc;
	char *file = cab_json_resolve(c, rel);
	if (!file)
		return;
	struct cab_sheet *t = NULL;
	struct cab_err terr;
	cab_err_init(&terr);
	enum cab_status st = cab_table_read(file, &t, &terr);
	if (st == CAB_ENOMEM) {
		c->is_oom = true;
	} else if (st != CAB_OK) {
		/* The reader's message names the file; say which key. */
		size_t len = terr.text ? strlen(terr.text) : 0;
		while (len && terr.text[len - 1] == '\n')
			len--;
		cab_json_fail(c, path, "%.*s", (int)len,
			      terr.text ? terr.text
					: _("cannot read the table"));
	} else if (t->n_rows == 0) {
		cab_json_fail(c, path,
			      _("%s is empty (expected a header row, then one "
				"row per appliance)"),
			      cab_json_quote(c, rel));
	} else {
		struct reader r = {.c = c, .path = file, .owner = owner};
		if (read_header(&r, &t->row[0])) {
			size_t n = t->n_rows - 1;
			struct cab_appliance *grown =
			    n ? realloc(sc->appliances,
					(sc->n_appliances + n) * sizeof(*grown))
			      : sc->appliances;
			if (n && !grown) {
				c->is_oom = true;
			} else {
				sc->appliances = grown;
				for (size_t i = 1; i < t->n_rows; i++)
					read_row(&r, &t->row[i],
						 &sc->appliances
						      [sc->n_appliances++]);
			}
		}
		if (r.more_problems)
			cab_err_add(c->err, CAB_EINPUT,
				    P_("%s: … and %zu more problem",
				       "%s: … and %zu more problems",
				       r.more_problems),
				    file, r.more_problems);
	}
	cab_err_release(&terr);
	cab_sheet_free(t);
	free(file);
}

void cab_sc_parse_appliances(struct cab_json_ctx *c, const cJSON *root)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "appliances");
	if (!v)
		return;
	if (cJSON_IsString(v)) {
		const char *rel = cab_json_str_value(c, v, "$.appliances");
		if (rel)
			read_table(c, "$.appliances", rel, -1);
		return;
	}
	if (!cJSON_IsObject(v)) {
		cab_json_type_error(c, "$.appliances",
				    N_("a table's file name, or an object of "
				       "participant id → file name"),
				    v);
		return;
	}
	for (const cJSON *el = v->child; el; el = el->next) {
		char p[CAB_JSON_PATH_CAP];
		cab_json_path_key(p, "$.appliances", el->string);
		long who = cab_sc_need_participant(c, p, el->string);
		const char *rel = cab_json_str_value(c, el, p);
		if (who >= 0 && rel)
			read_table(c, p, rel, who);
	}
}

void cab_sc_free_appliances(struct cab_scenario *sc)
{
	for (size_t i = 0; i < sc->n_appliances; i++) {
		free(sc->appliances[i].name);
		free(sc->appliances[i].alternative);
		free(sc->appliances[i].file);
	}
	free(sc->appliances);
	sc->appliances = NULL;
	sc->n_appliances = 0;
}

const char *cab_scenario_use_class_name(enum cab_use_class k)
{
	return k < CAB_USE_CLASSES ? class_names[k][0] : "?";
}
