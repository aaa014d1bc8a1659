/*
 * signal.c — a signal.csv of `cabine forecast` read back as announced
 * windows of the scenario (`cabine alerts --signal`, SPEC §15).
 *
 * Why: a community that sent the surplus-hours SMS wants to know whether
 * households followed it, the way it measured its alerts: the windows
 * join the scenario's alerts (announced, the last n_signal_windows) so that the
 * one effect formula of engine/analyse/alerts.c measures them, and every
 * alert's reference windows avoid them. The file is read here because
 * the scenario's struct belongs to its loader (STYLE.md: the owner
 * writes).
 *
 * Format: header `start,end,surplus_kwh` (what forecast writes), then
 * one window a line in local Brussels time "YYYY-MM-DDTHH:MM" (an offset
 * is allowed); CRLF and a UTF-8 BOM are accepted; surplus_kwh is read
 * and not used. Problems are "path:line: message", at most 20.
 *
 * Workload: a few windows a day; one pass.
 * Ownership: the alerts array of sc is replaced by a longer copy.
 */
#include "cabine/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/base/slurp.h"

#define MAX_PROBLEMS 20
#define HEADER "start,end,surplus_kwh"

/* Field k (0-based, comma-separated) of line [s, e) into [*fs, *fe). */
static bool field(const char *s, const char *e, int k, const char **fs,
		  const char **fe)
{
	for (int i = 0; i < k; i++) {
		const char *c = memchr(s, ',', (size_t)(e - s));
		if (!c)
			return false;
		s = c + 1;
	}
	const char *c = memchr(s, ',', (size_t)(e - s));
	*fs = s;
	*fe = c ? c : e;
	return true;
}

static int count_commas(const char *s, const char *e)
{
	int n = 0;
	for (; s < e; s++)
		n += *s == ',';
	return n;
}

enum cab_status cab_scenario_parse_signal(struct cab_scenario *sc,
					  const char *name, const char *buf,
					  size_t len, struct cab_err *err)
{
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t cap = 16, n = 0, problems = 0;
	struct cab_alert *w = malloc(cap * sizeof(*w));
	if (!w)
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", name);
	long line = 0;
	while (p < end && problems < MAX_PROBLEMS) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *next = e ? e + 1 : end;
		if (!e)
			e = end;
		if (e > p && e[-1] == '\r')
			e--;
		line++;
		const char *ls = p;
		p = next;
		if (line == 1) {
			if ((size_t)(e - ls) != strlen(HEADER) ||
			    memcmp(ls, HEADER, strlen(HEADER)) != 0) {
				cab_err_at_line(err, CAB_EINPUT, name, line,
						"expected the header '" HEADER
						"' of a signal.csv written by "
						"cabine forecast");
				problems++;
				break;
			}
			continue;
		}
		if (e == ls)
			continue; /* a blank line, e.g. at the end */
		if (count_commas(ls, e) != 2) {
			cab_err_at_line(err, CAB_EINPUT, name, line,
					"expected 3 fields: start,end,"
					"surplus_kwh");
			problems++;
			continue;
		}
		int64_t t[2];
		bool is_ok = true;
		for (int k = 0; k < 2; k++) {
			const char *fs = ls, *fe = ls, *what = NULL;
			field(ls, e, k, &fs, &fe);
			if (cab_time_parse_iso(fs, (size_t)(fe - fs), &t[k],
					       &what) != CAB_OK) {
				cab_err_at_line(
				    err, CAB_EINPUT, name, line,
				    "invalid %s time '%.*s' (%s)",
				    k ? "end" : "start",
				    (int)(fe - fs < 40 ? fe - fs : 40), fs,
				    what);
				problems++;
				is_ok = false;
			}
		}
		if (!is_ok)
			continue;
		if (t[1] <= t[0] || t[1] - t[0] > 24 * 3600 ||
		    t[0] % CAB_INTERVAL_S || t[1] % CAB_INTERVAL_S) {
			cab_err_at_line(err, CAB_EINPUT, name, line,
					"the window must end after it starts, "
					"within 24 h, on quarter-hours");
			problems++;
			continue;
		}
		if (n == cap) {
			struct cab_alert *g = realloc(w, 2 * cap * sizeof(*w));
			if (!g) {
				free(w);
				return cab_err_add(err, CAB_ENOMEM,
						   "%s: out of memory", name);
			}
			w = g;
			cap *= 2;
		}
		w[n++] = (struct cab_alert){
		    .start_s = t[0], .end_s = t[1], .is_announced = true};
	}
	if (line == 0 && problems == 0) {
		cab_err_at_line(err, CAB_EINPUT, name, 1,
				"empty file (expected the header '" HEADER
				"')");
		problems++;
	}
	if (problems) {
		free(w);
		return CAB_EINPUT;
	}
	struct cab_alert *all =
	    malloc((sc->n_alerts + n + 1) * sizeof(struct cab_alert));
	if (!all) {
		free(w);
		return cab_err_add(err, CAB_ENOMEM, "%s: out of memory", name);
	}
	if (sc->n_alerts)
		memcpy(all, sc->alerts, sc->n_alerts * sizeof(*all));
	if (n)
		memcpy(all + sc->n_alerts, w, n * sizeof(*all));
	free(sc->alerts);
	free(w);
	sc->alerts = all;
	sc->n_alerts += n;
	sc->n_signal_windows += n;
	return CAB_OK;
}

enum cab_status cab_scenario_add_signal(struct cab_scenario *sc,
					const char *path, struct cab_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &buf, &len, err);
	if (st == CAB_OK)
		st = cab_scenario_parse_signal(sc, path, buf, len, err);
	free(buf);
	return st;
}
