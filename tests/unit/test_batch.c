/*
 * test_batch.c — `cabine batch` at scale (SPEC §16): sweeps expanded in
 * cartesian order, batch.sqlite the same whether the batch ran on one
 * machine or in shards merged afterwards, the same after being killed at
 * random moments and restarted, a failing run recorded while the others
 * succeed, --all-or-nothing writing nothing, pv_scale equal to scaled
 * readings, and the results' wire format and merge rules.
 *
 * The command line runs as a child process: $CABINE_HOOKS (the test
 * build of the command line, set by `make test`) or ./cabine, in its own
 * process group so that a test can SIGKILL the batch and its workers at
 * once. Databases are compared through cab_results_dump: every row of
 * every table in key order (the rows hold no timestamps).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cabine/scenario.h"
#include "cabine/store.h"
#include "harness.h"
#include "xlsx_read.h"

static char dir[256];	   /* scratch folder of this binary */
static const char *cabine; /* the program under test */

/* Write text into dir/name. */
static void put_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A community of 6 over two weeks of March 2024 (CET): h0..h5 consume,
 * h0, h2 and h4 produce at midday; numbers from a fixed recurrence. */
static void write_community(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/readings.csv", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs("timestamp,meter,kwh\n", f);
	unsigned x = 7;
	for (int t = 0; t < 14 * 96; t++) {
		int m = 23 * 60 + t * 15; /* minutes from 2024-03-03T00:00Z */
		int q = t % 96;
		char ts[32];
		snprintf(ts, sizeof ts, "2024-03-%02dT%02d:%02d:00Z",
			 3 + m / 1440, m % 1440 / 60, m % 60);
		for (int i = 0; i < 6; i++) {
			x = x * 1103515245u + 12345u;
			double c = 0.05 + (x >> 16) % 1000 / 5000.0 +
				   (q > 70 && q < 88 ? 0.2 : 0);
			fprintf(f, "%s,h%d-c,%.3f\n", ts, i, c);
			if (i % 2 == 0) {
				x = x * 1103515245u + 12345u;
				double p = q > 36 && q < 64
					       ? (x >> 16) % 1000 / 1500.0
					       : 0;
				fprintf(f, "%s,h%d-pv,%.3f\n", ts, i, p);
			}
		}
	}
	fclose(f);
	char sc[4096];
	int n = snprintf(sc, sizeof sc,
			 "{\"name\": \"t\",\n"
			 "\"period\": {\"start\": \"2024-03-04\", \"end\": "
			 "\"2024-03-18\"},\n"
			 "\"readings\": \"%s\",\n"
			 "\"participants\": [\n",
			 "readings.csv");
	for (int i = 0; i < 6; i++)
		n += snprintf(sc + n, sizeof sc - (size_t)n,
			      "{\"id\": \"h%d\", \"meters\": {\"consumption\": "
			      "\"h%d-c\"%s%s%s}}%s\n",
			      i, i, i % 2 == 0 ? ", \"production\": \"h" : "",
			      i % 2 == 0 ? (const char[]){(char)('0' + i), 0}
					 : "",
			      i % 2 == 0 ? "-pv\"" : "", i < 5 ? "," : "");
	snprintf(sc + n, sizeof sc - (size_t)n,
		 "],\n\"tariff\": {\"supplier_day_eur_kwh\": 0.25, "
		 "\"supplier_night_eur_kwh\": 0.22, \"network_eur_kwh\": 0.12, "
		 "\"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
		 "\"C\": 0.09, \"D\": 0.12}, \"taxes_eur_kwh\": 0.05, "
		 "\"injection_eur_kwh\": 0.03},\n"
		 "\"sharing\": {\"key\": \"proportional\", \"price_eur_kwh\": "
		 "0.15}}\n");
	put_file("base.json", sc);
	put_file("sweep.json",
		 "{\"base\": \"base.json\", \"sweep\": {\"sharing.key\": "
		 "[\"proportional\", \"hybrid\", \"fixed\"], "
		 "\"sharing.price_eur_kwh\": [0.1, 0.15, 0.2, 0.25], "
		 "\"pv_scale\": [1, 2, 0.5]}}\n");
}

/* Run the command line with args (NULL-terminated) in its own process
 * group; stdout and stderr into dir/stdout and dir/stderr. kill_after_s
 * > 0: SIGKILL the group after that long (returns -9). Otherwise the
 * exit status. */
static int run_cli(const char *const *args, double kill_after_s)
{
	const char *argv[32];
	int n = 0;
	argv[n++] = cabine;
	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		char p[512];
		snprintf(p, sizeof p, "%s/stdout", dir);
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		snprintf(p, sizeof p, "%s/stderr", dir);
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		if (chdir(dir) != 0)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	setpgid(pid, pid);
	if (kill_after_s > 0) {
		struct timespec ts = {
		    (time_t)kill_after_s,
		    (long)((kill_after_s - (double)(time_t)kill_after_s) *
			   1e9)};
		nanosleep(&ts, NULL);
		kill(-pid, SIGKILL);
	}
	int ws = 0;
	waitpid(pid, &ws, 0);
	/* Workers die with their parent (PR_SET_PDEATHSIG); give them the
	 * moment it takes. */
	if (kill_after_s > 0) {
		for (int i = 0; i < 100 && kill(-pid, 0) == 0; i++)
			usleep(10000);
		return -9;
	}
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* The canonical dump of a results file (heap; "" if unreadable). */
static char *dump(const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return strdup("");
	if (cab_results_dump(path, f, NULL) != CAB_OK)
		fputs("(unreadable)", f);
	fclose(f);
	return buf;
}

/* A file's text (heap; "" if absent). */
static char *slurp_rel(const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		return strdup("");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The reference: the sweep on one machine, two workers. */
#define N_RUNS 36 /* of sweep.json */
static char *reference;
static double reference_s;

TEST(one_machine_reference_has_every_run)
{
	double t0 = now_s();
	const char *a[] = {"batch",  "sweep.json", "--out",   "one",
			   "--jobs", "2",	   "--quiet", NULL};
	CHECK_INT(run_cli(a, 0), 0);
	reference_s = now_s() - t0;
	reference = dump("one/batch.sqlite");
	/* 3 keys × 4 prices × 3 scales = 36 runs, 6 participants each, 15
	 * indicators each. */
	size_t runs = 0, parts = 0, inds = 0, section = 0;
	for (const char *l = reference; l && *l;) {
		if (!strncmp(l, "-- ", 3))
			section++;
		else if (section == 3)
			runs++;
		else if (section == 4)
			parts++;
		else if (section == 5)
			inds++;
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	CHECK_INT(runs, 36);
	CHECK_INT(parts, 36 * 6);
	CHECK_INT(inds, 36 * 15);
	/* Run 14 is key hybrid (14 = 12 + 2: the second key), price 0.1
	 * (the first), PV scale 2 (the second): the first key slowest. */
	CHECK(strstr(reference, "14|'t-14'|'{\"sharing.key\":\"hybrid\","
				"\"sharing.price_eur_kwh\":0.1,\"pv_scale\":2}'"
				"|'ok'|NULL|'hybrid'") != NULL);
}

/* Column col (0-based) of the row of run `name` in a batch.csv text, as
 * a number (NAN if absent). */
static double csv_field(const char *csv, const char *name, int col)
{
	char key[64];
	snprintf(key, sizeof key, "\n%s,", name);
	const char *l = strstr(csv, key);
	if (!l)
		return NAN;
	l++;
	for (int c = 0; c < col && l; c++) {
		l = strchr(l, ',');
		l = l ? l + 1 : NULL;
	}
	return l ? strtod(l, NULL) : NAN;
}

TEST(workbook_grid_puts_each_run_where_its_values_say)
{
	/* Grid: x = the last key (pv_scale: 1, 2, 0.5 in rows 2-4), one
	 * column per value of the first (key: B proportional, C hybrid, D
	 * fixed), one block of 22 rows per value of the middle one (price
	 * 0.1 from row 1, 0.15 from row 23). Saving = −delta_eur (column
	 * 10 of batch.csv). */
	char path[512];
	snprintf(path, sizeof path, "%s/one/batch.xlsx", dir);
	char *sheet = xr_member(path, "xl/worksheets/sheet1.xml");
	char *runs = xr_member(path, "xl/worksheets/sheet2.xml");
	char *csv = slurp_rel("one/batch.csv");
	CHECK(sheet && runs && csv);
	if (!sheet || !runs || !csv)
		goto done;
	static const struct {
		const char *ref, *run;
	} cells[] = {
	    {"B2", "t-1"},   /* proportional, 0.1, 1 */
	    {"C3", "t-14"},  /* hybrid, 0.1, 2 */
	    {"D4", "t-27"},  /* fixed, 0.1, 0.5 */
	    {"B24", "t-4"},  /* proportional, 0.15, 1 */
	    {"D26", "t-30"}, /* fixed, 0.15, 0.5 */
	};
	for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
		double v = NAN;
		CHECK(xr_num(sheet, cells[k].ref, &v));
		CHECK_NEAR(v, -csv_field(csv, cells[k].run, 10), 1e-9);
	}
	char *strs = xr_member(path, "xl/sharedStrings.xml");
	char text[64] = "";
	CHECK(xr_text(sheet, strs, "A1", text, sizeof text));
	CHECK_STR(text, "pv_scale");
	free(strs);
	/* Runs: one row per run (row r + 1 is run r), the bill in column 8
	 * (I), after No., name, status, the 3 keys and the sharing key. */
	for (int r = 1; r <= N_RUNS; r += 7) {
		char ref[16], name[16];
		xr_ref(8, r + 1, ref, sizeof ref);
		snprintf(name, sizeof name, "t-%d", r);
		double bill = NAN;
		CHECK(xr_num(runs, ref, &bill));
		CHECK_NEAR(bill, csv_field(csv, name, 8), 1e-9);
	}
	/* The same runs give the same bytes, whichever process ran them. */
	char other[512];
	snprintf(other, sizeof other, "%s/killed/batch.xlsx", dir);
	CHECK(xr_same_bytes(path, other));
done:
	free(sheet);
	free(runs);
	free(csv);
}

TEST(shards_merged_equal_one_machine_row_for_row)
{
	for (int k = 1; k <= 3; k++) {
		char shard[16];
		snprintf(shard, sizeof shard, "%d/3", k);
		const char *a[] = {"batch",   "sweep.json", "--out",   "shards",
				   "--shard", shard,	    "--quiet", NULL};
		CHECK_INT(run_cli(a, 0), 0);
	}
	const char *m[] = {"batch",
			   "merge",
			   "shards/merged.sqlite",
			   "shards/batch-3-of-3.sqlite",
			   "shards/batch-1-of-3.sqlite",
			   "shards/batch-2-of-3.sqlite",
			   "--quiet",
			   NULL};
	CHECK_INT(run_cli(m, 0), 0);
	char *merged = dump("shards/merged.sqlite");
	CHECK_STR(merged, reference);
	free(merged);
	/* The merge's batch.csv beside it is the one machine's. */
	char *a = slurp_rel("one/batch.csv"),
	     *b = slurp_rel("shards/merged.csv");
	CHECK(a[0] && !strcmp(a, b));
	free(a);
	free(b);
	/* A shard alone holds only its runs: 12 of 36. */
	char *s1 = dump("shards/batch-1-of-3.sqlite");
	CHECK(strstr(s1, "\n1|'t-1'") && strstr(s1, "\n34|'t-34'") &&
	      !strstr(s1, "\n2|'t-2'"));
	free(s1);
	/* Merging shards of two different batches is refused. */
	put_file("other.json", "{\"base\": \"base.json\", \"sweep\": "
			       "{\"pv_scale\": [1, 3]}}\n");
	const char *o[] = {"batch", "other.json", "--out",
			   "other", "--quiet",	  NULL};
	CHECK_INT(run_cli(o, 0), 0);
	const char *bad[] = {"batch",
			     "merge",
			     "bad.sqlite",
			     "shards/batch-1-of-3.sqlite",
			     "other/batch.sqlite",
			     NULL};
	CHECK_INT(run_cli(bad, 0), 2);
	char *err = slurp_rel("stderr");
	CHECK_STR(err, "other/batch.sqlite: holds the results of another batch "
		       "than shards/batch-1-of-3.sqlite (expected shards of "
		       "one batch)\n");
	free(err);
	struct stat sb;
	char p[512];
	snprintf(p, sizeof p, "%s/bad.sqlite", dir);
	CHECK(stat(p, &sb) != 0);
}

/* Runs recorded in a results file's dump. */
static int count_runs(const char *d)
{
	int n = 0;
	for (const char *l = strstr(d, "-- SELECT * FROM run "); l;) {
		l = strchr(l, '\n');
		if (!l || !strncmp(l + 1, "-- ", 3))
			break;
		l++;
		n += *l != '\0';
	}
	return n;
}

TEST(killed_at_random_and_restarted_gives_the_same_database)
{
	/* Kill the whole process group at random moments of the run, five
	 * times, each restart skipping what finished: a kill that left a
	 * run half-recorded would show as a missing or duplicate row. The
	 * moments are random around a delay that follows what the kills
	 * find, so that they fall while runs are being recorded whatever
	 * the machine's speed: longer after a kill that found nothing
	 * recorded, shorter (and the series starts again from scratch)
	 * after one that found every run done. */
	srand(20261201);
	int partial = 0, kills = 0;
	double delay = reference_s / 4;
	const char *a[] = {"batch",  "sweep.json", "--out",   "killed",
			   "--jobs", "2",	   "--quiet", NULL};
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/killed'", dir);
	CHECK_INT(system(cmd), 0);
	for (int k = 0; k < 40 && kills < 5; k++) {
		double f = 0.5 + (double)rand() / RAND_MAX;
		CHECK_INT(run_cli(a, f * delay), -9);
		char *d = dump("killed/batch.sqlite");
		int n = count_runs(d);
		free(d);
		if (n == N_RUNS) {
			delay *= 0.6;
			kills = partial = 0;
			CHECK_INT(system(cmd), 0);
			continue;
		}
		if (n == 0 && kills == 0) {
			delay *= 1.5;
			continue;
		}
		kills++;
		partial += n > 0;
	}
	/* Five kills in one series, at least one while runs were being
	 * recorded (the others before the first run was). */
	CHECK_INT(kills, 5);
	CHECK(partial >= 1);
	printf("test_batch: %d of %d kills fell while runs were recorded\n",
	       partial, kills);
	CHECK_INT(run_cli(a, 0), 0);
	char *d = dump("killed/batch.sqlite");
	CHECK_STR(d, reference);
	free(d);
	char *x = slurp_rel("killed/batch.csv"),
	     *y = slurp_rel("one/batch.csv");
	CHECK(x[0] && !strcmp(x, y));
	free(x);
	free(y);
	/* Started again once finished: nothing to do, nothing changes. */
	CHECK_INT(run_cli(a, 0), 0);
	d = dump("killed/batch.sqlite");
	CHECK_STR(d, reference);
	free(d);
}

TEST(failing_run_is_recorded_and_the_others_succeed)
{
	put_file("bad.json", "{\"base\": \"base.json\", \"sweep\": "
			     "{\"sharing.key\": [\"hybrid\", \"nokey\"], "
			     "\"pv_scale\": [1, 2]}}\n");
	const char *a[] = {"batch", "bad.json", "--out",
			   "bad",   "--quiet",	NULL};
	CHECK_INT(run_cli(a, 0), 0);
	char *err = slurp_rel("stderr");
	const char *msg = "base.json: $.sharing.key: unknown sharing key "
			  "'nokey' (expected one of: fixed, proportional, "
			  "hybrid, priority, optimal)";
	char want[1024];
	snprintf(want, sizeof want, "run 't-3': %s\nrun 't-4': %s\n", msg, msg);
	CHECK_STR(err, want);
	free(err);
	char *d = dump("bad/batch.sqlite");
	char row[1024];
	snprintf(row, sizeof row,
		 "\n3|'t-3'|'{\"sharing.key\":\"nokey\",\"pv_scale\":1}'|"
		 "'failed'|'%s'|NULL\n",
		 msg);
	CHECK(strstr(d, row) != NULL);
	CHECK(strstr(d, "\n1|'t-1'|'{\"sharing.key\":\"hybrid\","
			"\"pv_scale\":1}'|'ok'|NULL|'hybrid'\n") != NULL);
	CHECK(strstr(d, "\n2|'h0'|") != NULL); /* run 2's participants */
	CHECK(strstr(d, "\n3|'h0'|") == NULL); /* none for a failed run */
	free(d);
	/* batch.csv lists the runs that succeeded. */
	char *csv = slurp_rel("bad/batch.csv");
	CHECK(strstr(csv, "\nt-2,hybrid,2,") && !strstr(csv, "t-3"));
	free(csv);
	/* A restart runs the failed runs again (they fail again) and keeps
	 * one row each. */
	CHECK_INT(run_cli(a, 0), 0);
	char *d2 = dump("bad/batch.sqlite");
	d = dump("bad/batch.sqlite");
	CHECK_STR(d2, d);
	free(d);
	free(d2);
}

TEST(all_or_nothing_writes_nothing_when_one_fails)
{
	const char *a[] = {"batch",   "bad.json",	  "--out", "aon",
			   "--quiet", "--all-or-nothing", NULL};
	CHECK_INT(run_cli(a, 0), 2);
	char *err = slurp_rel("stderr");
	/* Every message once per failing scenario, as batch always did. */
	CHECK(strstr(err, "base.json: $.sharing.key: unknown sharing key "
			  "'nokey'") == err);
	free(err);
	char p[512];
	snprintf(p, sizeof p, "%s/aon", dir);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s' 2>/dev/null)\"", p);
	CHECK_INT(system(cmd), 0);
	/* Without the failing runs it writes everything. */
	put_file("good.json", "{\"base\": \"base.json\", \"sweep\": "
			      "{\"sharing.key\": [\"hybrid\"], \"pv_scale\": "
			      "[1, 2]}}\n");
	const char *g[] = {"batch",   "good.json",	  "--out", "aon",
			   "--quiet", "--all-or-nothing", NULL};
	CHECK_INT(run_cli(g, 0), 0);
	char *csv = slurp_rel("aon/batch.csv");
	CHECK(strstr(csv, "\nt-1,hybrid,1,") && strstr(csv, "\nt-2,hybrid,2,"));
	free(csv);
}

TEST(pv_scale_equals_readings_with_production_scaled)
{
	/* An independent recomputation: the same community whose
	 * production meters were doubled in the file itself. */
	char *rd = slurp_rel("readings.csv");
	char path[512];
	snprintf(path, sizeof path, "%s/double.csv", dir);
	FILE *f = fopen(path, "w");
	for (char *l = rd; f && l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		char *c = strrchr(l, ',');
		if (strstr(l, "-pv,") && c)
			fprintf(f, "%.*s,%.3f\n", (int)(c - l), l,
				2 * strtod(c + 1, NULL));
		else
			fprintf(f, "%s\n", l);
		l = nl ? nl + 1 : NULL;
	}
	if (f)
		fclose(f);
	free(rd);
	char *base = slurp_rel("base.json");
	char *at = strstr(base, "\"readings.csv\"");
	if (at)
		memcpy(at, "\"double.csv\"  ", 14);
	put_file("double.json", base);
	free(base);
	put_file("list.json", "{\"scenarios\": [\"double.json\"]}\n");
	put_file("scaled.json", "{\"base\": \"base.json\", \"sweep\": "
				"{\"pv_scale\": [2]}}\n");
	const char *a[] = {"batch", "list.json", "--out",
			   "list",  "--quiet",	 NULL};
	const char *b[] = {"batch",  "scaled.json", "--out",
			   "scaled", "--quiet",	    NULL};
	CHECK_INT(run_cli(a, 0), 0);
	CHECK_INT(run_cli(b, 0), 0);
	char *x = slurp_rel("list/t/invoices.csv");
	char *y = slurp_rel("scaled/t-1/invoices.csv");
	CHECK(x[0] && !strcmp(x, y));
	free(x);
	free(y);
}

TEST(result_bytes_round_trip_and_bad_bytes_are_refused)
{
	struct cab_result_participant p[2] = {
	    {.participant = "a",
	     .bill_cents = 53,
	     .baseline_cents = 89,
	     .delta_cents = -36,
	     .has_baseline = true,
	     .shared_kwh = 2,
	     .self_sufficiency_rate = NAN,
	     .missing_intervals = 3},
	    {.participant = "b", .bill_cents = -32, .consumption_kwh = 0.5}};
	struct cab_result r = {.id = 7,
			       .name = "x-7",
			       .params_json = "{\"pv_scale\":2}",
			       .is_ok = true,
			       .sharing_key = "hybrid",
			       .n_participants = 2,
			       .p = p};
	for (int k = 0; k < CAB_RES_IND_COUNT; k++)
		r.ind[k] = k == 3 ? NAN : k * 1.5;
	char *buf = NULL;
	size_t len = 0;
	CHECK(cab_result_pack(&r, &buf, &len, NULL) == CAB_OK);
	struct cab_result u;
	struct cab_result_participant *parts = NULL;
	CHECK(cab_result_unpack(buf, len, &u, &parts, NULL) == CAB_OK);
	CHECK_INT(u.id, 7);
	CHECK_STR(u.name, "x-7");
	CHECK_STR(u.params_json, "{\"pv_scale\":2}");
	CHECK(u.is_ok && u.error == NULL);
	CHECK_INT(u.n_participants, 2);
	if (u.n_participants == 2) {
		CHECK_STR(u.p[1].participant, "b");
		CHECK_INT(u.p[0].delta_cents, -36);
		CHECK(isnan(u.p[0].self_sufficiency_rate));
		CHECK_INT(u.p[0].missing_intervals, 3);
	}
	CHECK(isnan(u.ind[3]) && u.ind[4] == 6.0);
	free(parts);
	/* Cut anywhere, the bytes are refused, never read past. */
	int refused = 0;
	for (size_t cut = 0; cut < len; cut += 7) {
		struct cab_err err;
		cab_err_init(&err);
		refused += cab_result_unpack(buf, cut, &u, &parts, &err) ==
			   CAB_EINTERNAL;
		cab_err_release(&err);
	}
	CHECK_INT(refused, (int)((len + 6) / 7));
	free(buf);
}

TEST(sweep_runs_are_named_and_valued_in_cartesian_order)
{
	struct cab_batch *b = NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/sweep.json", dir);
	CHECK(cab_batch_load(path, &b, NULL) == CAB_OK);
	if (!b)
		return;
	CHECK_INT(b->n, 36);
	CHECK_INT(b->n_axes, 3);
	/* Run 36 (index 35): the last of every key. */
	char *p = cab_batch_params_json(b, 35);
	CHECK_STR(p, "{\"sharing.key\":\"fixed\",\"sharing.price_eur_kwh\":"
		     "0.25,\"pv_scale\":0.5}");
	free(p);
	struct cab_scenario *sc = NULL;
	double pv = 0;
	CHECK(cab_batch_scenario(b, 4, &sc, &pv, NULL) == CAB_OK);
	/* Index 4 = 1 × 3 + 1: proportional, price 0.15, scale 2. */
	if (sc) {
		CHECK_STR(sc->name, "t-5");
		CHECK_STR(sc->sharing.key, "proportional");
		CHECK_NEAR(sc->sharing.price_eur_kwh, 0.15, 1e-12);
	}
	CHECK_NEAR(pv, 2, 0);
	cab_scenario_free(sc);
	char name[64];
	cab_batch_run_name(b, 35, name, sizeof name);
	CHECK_STR(name, "t-36");
	cab_batch_free(b);
}

TEST(participants_sample_draws_one_sub_community_per_seed)
{
	/* A base whose weights, priority groups and groups name everyone:
	 * a drawn sub-community must still load (the loader rejects a
	 * reference to an unknown participant). */
	char *base = slurp_rel("base.json");
	char *sh = strstr(base, "\"sharing\": {");
	char text[8192];
	if (sh)
		snprintf(text, sizeof text,
			 "%.*s\"groups\": {\"g\": [\"h2\", \"h5\"]},\n"
			 "\"sharing\": {\"weights\": {\"h0\": 0.3, "
			 "\"h3\": 0.2}, \"groups\": [[\"h1\"], [\"h4\", "
			 "\"h5\"]], %s",
			 (int)(sh - base), base, sh + 12);
	free(base);
	put_file("sampled.json", text);
	put_file("sample.json",
		 "{\"base\": \"sampled.json\", \"sweep\": "
		 "{\"participants_sample\": [3, {\"n\": 3, \"seed\": 7}], "
		 "\"sharing.key\": [\"hybrid\", \"priority\"]}}\n");
	struct cab_batch *b = NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/sample.json", dir);
	CHECK(cab_batch_load(path, &b, NULL) == CAB_OK);
	if (!b)
		return;
	char ids[4][64] = {{0}};
	for (size_t i = 0; i < 4; i++) {
		struct cab_scenario *sc = NULL;
		double pv;
		struct cab_err err;
		cab_err_init(&err);
		CHECK(cab_batch_scenario(b, i, &sc, &pv, &err) == CAB_OK);
		if (err.text)
			fprintf(stderr, "  %s", err.text);
		cab_err_release(&err);
		if (!sc)
			continue;
		CHECK_INT(sc->n_participants, 3);
		for (size_t k = 0; k < sc->n_participants; k++) {
			size_t len = strlen(ids[i]);
			snprintf(ids[i] + len, sizeof ids[i] - len, "%s ",
				 sc->participants[k].id);
		}
		cab_scenario_free(sc);
	}
	/* The same draw whatever the key; another seed, another draw (for
	 * these seeds), each in file order. */
	CHECK_STR(ids[0], ids[1]);
	CHECK_STR(ids[2], ids[3]);
	CHECK(strcmp(ids[0], ids[2]) != 0);
	cab_batch_free(b);
	/* More participants than the base has is refused at load. */
	put_file("toomany.json", "{\"base\": \"sampled.json\", \"sweep\": "
				 "{\"participants_sample\": [7]}}\n");
	snprintf(path, sizeof path, "%s/toomany.json", dir);
	struct cab_err err;
	cab_err_init(&err);
	CHECK(cab_batch_load(path, &b, &err) == CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "$.sweep.participants_sample[0]: "
					   "expected a number of participants "
					   "from 1 to 6 (the base's)"));
	cab_err_release(&err);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/cabine-test-batch-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	const char *hooks = getenv("CABINE_HOOKS");
	static char abs_bin[1024];
	const char *bin = hooks && *hooks ? hooks : "build/tests/cabine-hooks";
	if (access(bin, X_OK) != 0)
		bin = "./cabine";
	if (bin[0] != '/' && getcwd(abs_bin, 512)) {
		size_t n = strlen(abs_bin);
		snprintf(abs_bin + n, sizeof abs_bin - n, "/%s", bin);
		bin = abs_bin;
	}
	cabine = bin;
	write_community();
	static const struct harness_test tests[] = {
	    T(one_machine_reference_has_every_run),
	    T(shards_merged_equal_one_machine_row_for_row),
	    T(killed_at_random_and_restarted_gives_the_same_database),
	    T(workbook_grid_puts_each_run_where_its_values_say),
	    T(failing_run_is_recorded_and_the_others_succeed),
	    T(all_or_nothing_writes_nothing_when_one_fails),
	    T(pv_scale_equals_readings_with_production_scaled),
	    T(result_bytes_round_trip_and_bad_bytes_are_refused),
	    T(sweep_runs_are_named_and_valued_in_cartesian_order),
	    T(participants_sample_draws_one_sub_community_per_seed),
	};
	int rc =
	    harness_main("test_batch", tests, sizeof tests / sizeof *tests);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (rc == 0 && system(cmd) != 0)
		rc = 1;
	free(reference);
	return rc;
}
