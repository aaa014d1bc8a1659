/*
 * cmd_init.c — `cabine init DIR [--households N] [--lang fr|nl|en]`: a
 * starter folder a facilitator fills in with LibreOffice or Excel.
 *
 * What it writes (docs/guide.md): participants.csv (the table of SPEC
 * §11, `;`-separated with a UTF-8 BOM as a Belgian spreadsheet opens it,
 * N households h01… behind one LV cabin and a row for the community's
 * solar panels), an empty readings.csv (its header in the chosen
 * language), scenario.json (a month's period, an indicative Brussels
 * tariff, the proportional key, the table and the readings named) and
 * README.txt (init_text.c). `cabine check` on the fresh folder says that
 * the readings are still missing.
 *
 * Rules: DIR must be new or empty (exit 2 otherwise: init never
 * overwrites); the files are written into a staging folder inside DIR and
 * moved into place together (stage.c), so a failure leaves no half-folder.
 * The output depends only on the arguments.
 *
 * Workload: four small files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"
#include "engine/cli/init.h"

#define DEFAULT_HOUSEHOLDS 8

static const char *const lang_codes[] = {"fr", "nl", "en"};

/* Is DIR absent or an empty folder? A message otherwise. */
static enum cab_status check_dir(const char *dir, struct cab_err *err)
{
	struct stat sb;
	if (stat(dir, &sb) != 0)
		return errno == ENOENT ? CAB_OK
				       : cab_err_add(err, CAB_EINPUT,
						     _("%s: cannot read (%s)"),
						     dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: is a file (expected a new or empty "
				     "folder)"),
				   dir);
	DIR *d = opendir(dir);
	if (!d)
		return cab_err_add(err, CAB_EINPUT, _("%s: cannot read (%s)"),
				   dir, strerror(errno));
	bool is_empty = true;
	for (struct dirent *e; is_empty && (e = readdir(d));)
		is_empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	if (!is_empty)
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: not empty (expected a new or empty "
				     "folder: cabine init never overwrites a "
				     "file)"),
				   dir);
	return CAB_OK;
}

/* The scenario's name from the folder's last part: lower-case letters,
 * digits and '-', or the language's word for a community. */
static void name_of(const char *dir, const char *dflt, char *out, size_t cap)
{
	const char *base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	size_t n = 0;
	for (const char *s = base; *s && n + 1 < cap; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		bool is_ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (is_ok)
			out[n++] = c;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (!n || !strcmp(out, "."))
		snprintf(out, cap, "%s", dflt);
}

static enum cab_status open_file(const char *stage, const char *name, FILE **f,
				 struct cab_err *err)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", stage, name);
	*f = fopen(path, "wb");
	if (!*f)
		return cab_err_add(err, CAB_EIO, _("%s: cannot write (%s)"),
				   path, strerror(errno));
	return CAB_OK;
}

static enum cab_status close_file(FILE *f, const char *name,
				  struct cab_err *err)
{
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad)
		return cab_err_add(err, CAB_EIO, _("%s: cannot write (%s)"),
				   name, strerror(errno));
	return CAB_OK;
}

/* The text with "{DIR}" and "{N}" replaced. */
static void put_readme(FILE *f, const char *text, const char *dir, int n)
{
	for (const char *s = text; *s;) {
		if (!strncmp(s, "{DIR}", 5)) {
			fputs(dir, f);
			s += 5;
		} else if (!strncmp(s, "{N}", 3)) {
			fprintf(f, "%d", n);
			s += 3;
		} else {
			fputc(*s++, f);
		}
	}
}

static void put_participants(FILE *f, const struct cab_init_words *w,
			     const char *lang, int n)
{
	fputs("\xEF\xBB\xBF"
	      "id;name;address;kind;cabin;consumption;production;ean;"
	      "occupants;protected;lang\r\n",
	      f);
	int width = n > 99 ? 3 : 2;
	for (int i = 1; i <= n; i++)
		fprintf(f, "h%0*d;;;household;%s;h%0*d-c;;;;;%s\r\n", width, i,
			w->cabin, width, i, lang);
	fprintf(f, "pv;%s;;producer;%s;;pv-p;;;;%s\r\n", w->pv_name, w->cabin,
		lang);
}

static void put_scenario(FILE *f, const struct cab_init_words *w,
			 const char *name)
{
	fprintf(f,
		"{\n"
		"  \"name\": \"%s\",\n"
		"  \"period\": {\"start\": \"2025-01-01\", \"end\": "
		"\"2025-02-01\"},\n"
		"  \"readings\": \"readings.csv\",\n"
		"  \"cabins\": [{\"id\": \"%s\", \"locality\": \"B\"}],\n"
		"  \"participants\": \"participants.csv\",\n"
		"%s"
		"  \"sharing\": {\"key\": \"proportional\", \"price_eur_kwh\": "
		"0.15},\n"
		"  \"billing\": {\"mode\": \"shared\"}\n"
		"}\n",
		name, w->cabin, cab_demo_tariff_json);
}

/* Write the four files into stage. */
static enum cab_status write_files(const char *stage, const char *dir,
				   enum cab_lang lang, int n,
				   struct cab_err *err)
{
	const struct cab_init_words *w = cab_init_words(lang);
	char name[128];
	name_of(dir, w->community, name, sizeof(name));
	FILE *f;
	enum cab_status st = open_file(stage, "participants.csv", &f, err);
	if (st != CAB_OK)
		return st;
	put_participants(f, w, lang_codes[lang], n);
	if ((st = close_file(f, "participants.csv", err)) != CAB_OK ||
	    (st = open_file(stage, "readings.csv", &f, err)) != CAB_OK)
		return st;
	fprintf(f, "%s\r\n", w->readings_header);
	if ((st = close_file(f, "readings.csv", err)) != CAB_OK ||
	    (st = open_file(stage, "scenario.json", &f, err)) != CAB_OK)
		return st;
	put_scenario(f, w, name);
	if ((st = close_file(f, "scenario.json", err)) != CAB_OK ||
	    (st = open_file(stage, "README.txt", &f, err)) != CAB_OK)
		return st;
	put_readme(f, w->readme, dir, n);
	return close_file(f, "README.txt", err);
}

enum cab_status cab_cli_init(const struct cab_cli_opts *o, struct cab_err *err)
{
	char dir[4000];
	snprintf(dir, sizeof(dir), "%s", o->operands[0]);
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	enum cab_lang lang = o->lang < 0 ? CAB_LANG_FR : (enum cab_lang)o->lang;
	int n = o->households ? o->households : DEFAULT_HOUSEHOLDS;
	enum cab_status st = check_dir(dir, err);
	if (st != CAB_OK)
		return st;
	char stage[4096];
	st = cab_cli_stage_open_in(dir, ".cabine-init-", stage, sizeof(stage),
				   err);
	if (st != CAB_OK)
		return st;
	st = write_files(stage, dir, lang, n, err);
	if (st == CAB_OK)
		st = cab_cli_stage_merge(stage, dir, err);
	cab_cli_rm_tree(stage);
	if (st == CAB_OK && !o->is_quiet)
		printf(P_("%s: participants.csv (%d household and the "
			  "community's solar panels), readings.csv (empty), "
			  "scenario.json, README.txt; fill them in as "
			  "README.txt says, then run: cabine check "
			  "%s/scenario.json\n",
			  "%s: participants.csv (%d households and the "
			  "community's solar panels), readings.csv (empty), "
			  "scenario.json, README.txt; fill them in as "
			  "README.txt says, then run: cabine check "
			  "%s/scenario.json\n",
			  n),
		       dir, n, dir);
	return st;
}
