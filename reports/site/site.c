/*
 * site.c — `cabine site`'s writers (SPEC §14, docs/site.md): site/ (one
 * private page per participant in site/<token>/, the community's pages
 * at the root, the charting library copied in) and tokens.csv beside it;
 * and the privacy rules that decide, once, what a page may show.
 *
 * Why the rules live here: a page holds its own participant's figures
 * and series and, of everyone else, only sums of at least
 * CAB_SITE_MIN_AGGREGATE participants who contribute to them (have
 * consumption or production), so that no page reveals a neighbour. A
 * group is shown when it has that many contributing members and when no
 * other figure shown beside it lets a reader subtract their way to fewer:
 * for every pair of shown sets where one holds the other (a cabin inside
 * the community, a group inside a cabin), the difference is empty or has
 * at least that many contributing members. The community's production is
 * shown when at least that many participants produce, or when every
 * producer is not a household (a common installation, a school). An
 * alert's community figure is shown when it counts at least that many.
 *
 * Workload: a community of tens to hundreds of participants; the pages
 * are written one after the other (the demo's 61 in about a second).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cabine/time.h"
#include "reports/io.h"
#include "reports/site/site.h"

int cab_site_lang(const struct cab_site *s, size_t i)
{
	if (s->opts && s->opts->lang >= 0)
		return s->opts->lang;
	return (int)s->run->sc->participants[i].lang;
}

bool cab_site_is_member(const struct cab_site_group *g, size_t i)
{
	for (size_t k = 0; k < g->n_members; k++)
		if (g->members[k] == i)
			return true;
	return false;
}

/* Participants who add something to a sum: consumption or production. */
static bool contributes(const struct cab_run *run, size_t i)
{
	const struct cab_volumes *v = &run->p[i].total;
	return v->consumption_kwh > 0 || v->production_kwh > 0;
}

/* Contributing members of a that are not in b (b NULL: all of a's). */
static size_t count_minus(const struct cab_run *run, const size_t *a, size_t na,
			  const struct cab_site_group *b)
{
	size_t n = 0;
	for (size_t k = 0; k < na; k++)
		if (contributes(run, a[k]) &&
		    (!b || !cab_site_is_member(b, a[k])))
			n++;
	return n;
}

static bool is_subset(const struct cab_site_group *a,
		      const struct cab_site_group *b)
{
	for (size_t k = 0; k < a->n_members; k++)
		if (!cab_site_is_member(b, a->members[k]))
			return false;
	return true;
}

/* A difference of d contributing members is safe when 0 or enough. */
static bool is_safe_difference(size_t d)
{
	return d == 0 || d >= CAB_SITE_MIN_AGGREGATE;
}

/* The groups and which of them may be shown. */
static enum cab_status build_groups(struct cab_site *s, struct cab_err *err)
{
	const struct cab_run *run = s->run;
	const struct cab_scenario *sc = run->sc;
	char name[320];
	while (cab_alerts_group_name(sc, s->n_groups, name, sizeof(name)))
		s->n_groups++;
	s->groups = calloc(s->n_groups + 1, sizeof(*s->groups));
	if (!s->groups)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	/* The community as a pseudo-group, for the difference rule. */
	struct cab_site_group all = {.n_members = run->n};
	all.members = malloc((run->n + 1) * sizeof(size_t));
	if (!all.members)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	for (size_t i = 0; i < run->n; i++)
		all.members[i] = i;
	size_t k_cabin = 0;
	for (size_t g = 0; g < s->n_groups; g++) {
		struct cab_site_group *G = &s->groups[g];
		cab_alerts_group_name(sc, g, G->label, sizeof(G->label));
		G->subject = run->n + g;
		G->is_cabin = !strncmp(G->label, "cabin:", 6);
		G->name = G->label + 6; /* after "cabin:" or "group:" */
		G->members = malloc((run->n + 1) * sizeof(size_t));
		if (!G->members) {
			free(all.members);
			return cab_err_add(err, CAB_ENOMEM, "out of memory");
		}
		if (G->is_cabin) {
			/* The k-th cabin with members, as cab_alerts counts. */
			size_t c = 0, seen = 0;
			for (; c < sc->n_cabins; c++) {
				bool has = false;
				for (size_t i = 0; i < run->n && !has; i++)
					has =
					    sc->participants[i].cabin == (int)c;
				if (has && seen++ == k_cabin)
					break;
			}
			k_cabin++;
			for (size_t i = 0; i < run->n; i++)
				if (sc->participants[i].cabin == (int)c)
					G->members[G->n_members++] = i;
		} else {
			const struct cab_group *dg = &sc->groups[g - k_cabin];
			memcpy(G->members, dg->members,
			       dg->n_members * sizeof(size_t));
			G->n_members = dg->n_members;
		}
		G->is_community = is_subset(&all, G);
		size_t own = count_minus(run, G->members, G->n_members, NULL);
		bool is_ok = own >= CAB_SITE_MIN_AGGREGATE && !G->is_community;
		/* Against the community and every group shown so far. */
		if (is_ok && s->is_community_shown)
			is_ok = is_safe_difference(
			    count_minus(run, all.members, all.n_members, G));
		for (size_t h = 0; h < g && is_ok; h++) {
			const struct cab_site_group *H = &s->groups[h];
			if (!H->is_shown)
				continue;
			if (is_subset(G, H))
				is_ok = is_safe_difference(count_minus(
				    run, H->members, H->n_members, G));
			if (is_ok && is_subset(H, G))
				is_ok = is_safe_difference(count_minus(
				    run, G->members, G->n_members, H));
		}
		G->is_shown = is_ok;
	}
	free(all.members);
	return CAB_OK;
}

static const struct cab_scenario *sort_sc;

static int by_start(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int64_t a = sort_sc->alerts[i].start_s, b = sort_sc->alerts[j].start_s;
	return a < b ? -1 : a > b ? 1 : (i > j) - (i < j);
}

/* Everything the pages share, decided once. */
static enum cab_status build(struct cab_site *s, const struct cab_run *run,
			     const struct cab_report_opts *opts,
			     struct cab_err *err)
{
	memset(s, 0, sizeof(*s));
	s->run = run;
	s->opts = opts;
	s->in = opts ? opts->site : NULL;
	s->curves = opts ? opts->curves : NULL;
	s->alerts = opts ? opts->alerts : NULL;
	s->appliances = opts ? opts->appliances : NULL;
	if (!s->in || !s->curves || s->curves->n == 0)
		return cab_err_add(err, CAB_EINTERNAL,
				   "site: the writer needs the site's input "
				   "and the load curves");
	s->default_lang = opts->lang >= 0 ? opts->lang : CAB_LANG_FR;
	const struct cab_scenario *sc = run->sc;
	s->community_subject = s->curves->n - 1;
	s->token = calloc(run->n + 1, sizeof(*s->token));
	s->alert_order = malloc((sc->n_alerts + 1) * sizeof(size_t));
	s->alert_counted = calloc(sc->n_alerts * 3 + 1, sizeof(size_t));
	if (!s->token || !s->alert_order || !s->alert_counted)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	for (size_t i = 0; i < run->n; i++) {
		cab_site_token(s->in->key, s->in->key_len,
			       sc->participants[i].id, s->token[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->token[i], s->token[j]))
				return cab_err_add(
				    err, CAB_EINPUT,
				    "%s: participants '%s' and '%s' get the "
				    "same page name (change the site's "
				    "secret)",
				    sc->site_secret_path ? sc->site_secret_path
							 : "site.secret",
				    sc->participants[j].id,
				    sc->participants[i].id);
	}
	bool is_household_producer = false;
	for (size_t i = 0; i < run->n; i++) {
		if (contributes(run, i))
			s->n_with_data++;
		if (run->p[i].total.production_kwh > 0) {
			s->n_producers++;
			is_household_producer |=
			    sc->participants[i].kind == CAB_KIND_HOUSEHOLD;
		}
	}
	s->is_community_shown = s->n_with_data >= CAB_SITE_MIN_AGGREGATE;
	s->is_production_shown = s->is_community_shown && s->n_producers > 0 &&
				 (s->n_producers >= CAB_SITE_MIN_AGGREGATE ||
				  !is_household_producer);
	enum cab_status st = build_groups(s, err);
	if (st != CAB_OK)
		return st;
	for (size_t k = 0; k < sc->n_alerts; k++)
		s->alert_order[k] = k;
	sort_sc = sc;
	qsort(s->alert_order, sc->n_alerts, sizeof(size_t), by_start);
	sort_sc = NULL;
	for (size_t r = 0; s->alerts && r < s->alerts->n; r++) {
		const struct cab_alert_effect *e = &s->alerts->effect[r];
		if (e->participant >= 0 && e->is_complete)
			s->alert_counted[e->alert * 3 + e->window]++;
	}
	size_t n_inventories = s->appliances ? s->appliances->n_households : 0;
	s->is_appliances_total_shown = n_inventories >= CAB_SITE_MIN_AGGREGATE;
	return CAB_OK;
}

static void release(struct cab_site *s)
{
	for (size_t g = 0; s->groups && g < s->n_groups; g++)
		free(s->groups[g].members);
	free(s->groups);
	free(s->token);
	free(s->alert_order);
	free(s->alert_counted);
}

const struct cab_alert_effect *cab_site_alert_row(const struct cab_site *s,
						  size_t k, int w, long i)
{
	for (size_t r = 0; s->alerts && r < s->alerts->n; r++) {
		const struct cab_alert_effect *e = &s->alerts->effect[r];
		if (e->alert == k && (int)e->window == w &&
		    e->participant == (i < 0 ? -1 : i))
			return e;
	}
	return NULL;
}

bool cab_site_alert_shown(const struct cab_site *s, size_t k, int w)
{
	return s->is_community_shown &&
	       s->alert_counted[k * 3 + (size_t)w] >= CAB_SITE_MIN_AGGREGATE;
}

void cab_site_alert_id(const struct cab_site *s, size_t k, char buf[24])
{
	cab_time_format_local(s->run->sc->alerts[k].start_s, buf);
}

/* Copy file `name` of the dygraphs folder into dir. */
static enum cab_status copy_lib(const char *from_dir, const char *name,
				const char *dir, struct cab_err *err)
{
	char src[4096], path[4096];
	snprintf(src, sizeof(src), "%s/%s", from_dir, name);
	FILE *in = fopen(src, "rb");
	if (!in)
		return cab_err_add(err, CAB_EINPUT,
				   "%s: cannot read the charting library (%s; "
				   "install Debian's libjs-dygraphs)",
				   src, strerror(errno));
	FILE *out = cab_report_open(dir, name, path, sizeof(path), err);
	if (!out) {
		fclose(in);
		return CAB_EIO;
	}
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	bool is_bad = ferror(in);
	fclose(in);
	enum cab_status st = cab_report_close(out, path, err);
	if (st == CAB_OK && is_bad)
		st = cab_err_add(err, CAB_EIO, "%s: read error", src);
	return st;
}

static enum cab_status write_text(const char *dir, const char *name,
				  const char *text, struct cab_err *err)
{
	char path[4096];
	FILE *f = cab_report_open(dir, name, path, sizeof(path), err);
	if (!f)
		return CAB_EIO;
	fputs(text, f);
	return cab_report_close(f, path, err);
}

static enum cab_status make_dir(const char *path, struct cab_err *err)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)", path,
				   strerror(errno));
	return CAB_OK;
}

static enum cab_status write_site(const struct cab_run *run,
				  const struct cab_report_opts *opts,
				  const char *dir, struct cab_err *err)
{
	struct cab_site s;
	enum cab_status st = build(&s, run, opts, err);
	char site[4096], lib[4096];
	snprintf(site, sizeof(site), "%s/site", dir);
	snprintf(lib, sizeof(lib), "%s/site/lib", dir);
	const char *dy = s.in && s.in->dygraphs_dir ? s.in->dygraphs_dir
						    : CAB_SITE_DYGRAPHS_DIR;
	if (st == CAB_OK)
		st = make_dir(site, err);
	if (st == CAB_OK)
		st = make_dir(lib, err);
	if (st == CAB_OK)
		st = copy_lib(dy, "dygraph.min.js", lib, err);
	if (st == CAB_OK)
		st = copy_lib(dy, "dygraph.min.css", lib, err);
	if (st == CAB_OK)
		st = write_text(lib, "LICENSE.txt",
				"dygraphs 2.2.1, copied from Debian's "
				"libjs-dygraphs package.\n"
				"MIT licence: Copyright (c) 2006-2023 Dan "
				"Vanderkam and the dygraphs contributors.\n"
				"https://github.com/danvk/dygraphs/blob/v2.2.1/"
				"LICENSE.txt\n",
				err);
	if (st == CAB_OK)
		st = write_text(site, "site.css", cab_site_css(), err);
	if (st == CAB_OK)
		st = write_text(site, "site.js", cab_site_js(), err);
	if (st == CAB_OK)
		st = cab_site_write_community(&s, site, err);
	for (size_t i = 0; i < run->n && st == CAB_OK; i++)
		st = cab_site_write_page(&s, i, site, err);
	release(&s);
	return st;
}

/* tokens.csv: who gets which link, for the facilitator. */
static enum cab_status write_tokens(const struct cab_run *run,
				    const struct cab_report_opts *opts,
				    const char *dir, struct cab_err *err)
{
	const struct cab_site_input *in = opts ? opts->site : NULL;
	if (!in)
		return CAB_OK;
	char path[4096];
	size_t *order = cab_report_order_by_id(run);
	if (!order)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	FILE *f = cab_report_open(dir, "tokens.csv", path, sizeof(path), err);
	if (!f) {
		free(order);
		return CAB_EIO;
	}
	fputs("id,token\n", f);
	for (size_t j = 0; j < run->n; j++) {
		const char *id = run->sc->participants[order[j]].id;
		char tok[CAB_SITE_TOKEN_HEX + 1];
		cab_site_token(in->key, in->key_len, id, tok);
		bool must_quote = strpbrk(id, ",\"\r\n") != NULL;
		if (must_quote)
			fputc('"', f);
		if (id[0] && strchr("=+-@\t\r", id[0]))
			fputc('\'', f);
		for (const char *p = id; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		if (must_quote)
			fputc('"', f);
		fprintf(f, ",%s\n", tok);
	}
	free(order);
	return cab_report_close(f, path, err);
}

const struct cab_report_ops cab_report_site = {"site", write_site};
const struct cab_report_ops cab_report_tokens_csv = {"tokens.csv",
						     write_tokens};
