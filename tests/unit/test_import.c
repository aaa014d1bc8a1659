/*
 * test_import.c — the store and the import's promises: what goes in comes
 * back, a second import of the same file changes nothing, a bad line, a
 * conflict or a killed process leaves the database exactly as before, the
 * merge rules, local times across the autumn hour, and a scenario reading
 * its series from the store gets the same numbers as from its CSV.
 *
 * The database is checked independently of store.c: the test dumps every
 * table with sqlite3 directly and compares the text.
 */
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cabine/cabine.h"
#include "harness.h"

static char dir[64];

static const char *path_of(const char *name)
{
	static char buf[8][256];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(path_of(name), "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

/* Every row of every table as text ("" if the file does not exist). */
static char *dump(const char *db_name)
{
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(cap, 1);
	sqlite3 *db;
	if (access(path_of(db_name), F_OK) != 0)
		return out;
	if (sqlite3_open(path_of(db_name), &db) != SQLITE_OK)
		abort();
	const char *q[] = {
	    "SELECT 'meter', id, name, '', '', '' FROM meter ORDER BY id",
	    "SELECT 'import', id, file, sha256, rows, intervals FROM import "
	    "ORDER BY id",
	    "SELECT 'reading', meter, t, quote(kwh), quality, import FROM "
	    "reading ORDER BY meter, t"};
	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, q[i], -1, &st, NULL) != SQLITE_OK)
			abort();
		while (sqlite3_step(st) == SQLITE_ROW) {
			char line[600];
			int n =
			    snprintf(line, sizeof line, "%s|%s|%s|%s|%s|%s\n",
				     sqlite3_column_text(st, 0),
				     sqlite3_column_text(st, 1),
				     sqlite3_column_text(st, 2),
				     sqlite3_column_text(st, 3),
				     sqlite3_column_text(st, 4),
				     sqlite3_column_text(st, 5));
			while (len + (size_t)n + 1 > cap)
				out = realloc(out, cap *= 2);
			memcpy(out + len, line, (size_t)n + 1);
			len += (size_t)n;
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return out;
}

static enum cab_status import_files(const char *db, enum cab_format f,
				    const char *meter, bool replace,
				    const char *const *names, size_t n,
				    struct cab_import_result *r,
				    struct cab_err *err)
{
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = path_of(db);
	o.format = f;
	o.meter = meter;
	o.replace = replace;
	const char *files[8];
	for (size_t i = 0; i < n; i++)
		files[i] = path_of(names[i]);
	return cab_import(&o, files, n, r, err);
}

static enum cab_status import1(const char *db, const char *name, bool replace,
			       struct cab_import_result *r, struct cab_err *err)
{
	const char *names[] = {name};
	return import_files(db, CAB_FMT_CSV, NULL, replace, names, 1, r, err);
}

static const char A_CSV[] = "timestamp,meter,kwh\n"
			    "2024-01-01T00:00:00Z,m1,0.5\n"
			    "2024-01-01T00:15:00Z,m1,\n"
			    "2024-01-01T00:30:00Z,m1,0.25\n"
			    "2024-01-01T00:00:00Z,m2,1\n";

/* What goes in comes back: values, the hole, the log with the file's
 * SHA-256 (computed with sha256sum when the test was written). */
TEST(csv_import_reads_back)
{
	write_file("a.csv",
		   "timestamp,meter,kwh\n2024-01-01T00:00:00Z,m1,0.5\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t1.db", "a.csv", false, &r, &err), CAB_OK);
	write_file("b.csv", A_CSV);
	CHECK_INT(import1("t1.db", "b.csv", false, &r, &err), CAB_OK);
	CHECK_INT(r.rows, 4);
	CHECK_INT(r.meters, 2);
	CHECK_INT(r.inserted, 3); /* m1 00:15, 00:30 and m2 */
	CHECK_INT(r.unchanged, 1);
	CHECK_INT(r.missing, 1);
	char *d = dump("t1.db");
	CHECK(strstr(d, "import|1|") && strstr(d, "|41eb63f271bb76129153d3e901e"
						  "545875d07ea83f25e219296b3b8"
						  "93be12b5d0|1|1\n"));
	CHECK(strstr(d, "reading|1|1704067200|0.5|0|1\n") != NULL);
	CHECK(strstr(d, "reading|1|1704068100|NULL|3|2\n") != NULL);
	CHECK(strstr(d, "reading|1|1704069000|0.25|0|2\n") != NULL);
	free(d);
	struct cab_store *s;
	CHECK_INT(cab_store_open(path_of("t1.db"), false, &s, &err), CAB_OK);
	double v[4];
	uint8_t f[4];
	bool found;
	CHECK_INT(
	    cab_store_read(s, "m1", 1704067200 - 900, 4, v, f, &found, &err),
	    CAB_OK);
	CHECK(found && isnan(v[0]) && v[1] == 0.5 && isnan(v[2]) &&
	      v[3] == 0.25);
	CHECK_INT(cab_store_read(s, "nope", 1704067200, 4, v, f, &found, &err),
		  CAB_OK);
	CHECK(!found);
	cab_store_close(s);
	cab_err_release(&err);
}

/* Importing the same file again changes nothing at all. */
TEST(second_import_changes_nothing)
{
	write_file("a.csv", A_CSV);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t2.db", "a.csv", false, &r, &err), CAB_OK);
	char *before = dump("t2.db");
	CHECK_INT(import1("t2.db", "a.csv", false, &r, &err), CAB_OK);
	char *after = dump("t2.db");
	CHECK_STR(after, before);
	CHECK_INT(r.inserted, 0);
	CHECK_INT(r.replaced, 0);
	CHECK_INT(r.unchanged, 4);
	CHECK_INT(r.files_known, 1);
	free(before);
	free(after);
	/* The same file twice in one import (here a file of holes only,
	 * which the set accepts twice): one import-log entry. */
	write_file("holes.csv", "timestamp,meter,kwh\n"
				"2024-01-01T00:00:00Z,m7,\n");
	const char *twice[] = {"holes.csv", "holes.csv"};
	CHECK_INT(import_files("t2b.db", CAB_FMT_CSV, NULL, false, twice, 2, &r,
			       &err),
		  CAB_OK);
	char *d = dump("t2b.db");
	CHECK(strstr(d, "import|1|") != NULL);
	CHECK(strstr(d, "import|2|") == NULL);
	free(d);
	cab_err_release(&err);
}

/* A bad line in the second of two files: nothing of either is stored. */
TEST(bad_line_rolls_back_everything)
{
	write_file("a.csv", A_CSV);
	write_file("big.csv",
		   "timestamp,meter,kwh\n2024-02-01T00:00:00Z,m3,1e308\n");
	{
		struct cab_err e2;
		cab_err_init(&e2);
		struct cab_import_result r2;
		CHECK_INT(import1("t3b.db", "big.csv", false, &r2, &e2),
			  CAB_EINPUT);
		CHECK(e2.text &&
		      strstr(e2.text, ":2: kwh 1e308 is too large "
				      "(expected at most 250000 kWh"));
		cab_err_release(&e2);
	}
	write_file("c.csv", "timestamp,meter,kwh\n2024-02-01T00:00:00Z,m3,1\n");
	write_file("d.csv", "timestamp,meter,kwh\n2024-02-01T00:00:00Z,m4,1\n"
			    "2024-02-01T00:15:00Z,m4,-1\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t3.db", "a.csv", false, &r, &err), CAB_OK);
	char *before = dump("t3.db");
	const char *two[] = {"c.csv", "d.csv"};
	CHECK_INT(
	    import_files("t3.db", CAB_FMT_CSV, NULL, false, two, 2, &r, &err),
	    CAB_EINPUT);
	char want[300];
	snprintf(want, sizeof want, "%s:3: kwh must be ≥ 0, got -1\n",
		 path_of("d.csv"));
	CHECK_STR(err.text, want);
	char *after = dump("t3.db");
	CHECK_STR(after, before);
	free(before);
	free(after);
	cab_err_release(&err);
}

/* A year outside 2000–2099 is a typo: refused on its line, rather than
 * a set of every quarter-hour between year 1 and 9999 (found by
 * fuzz_import_csv: gigabytes for a three-line file). */
TEST(csv_year_out_of_range_is_refused)
{
	write_file("y.csv", "timestamp,meter,kwh\n2024-01-01T00:00:00Z,m,1\n"
			    "9999-01-01T00:00:00Z,m,1\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("ty.db", "y.csv", false, &r, &err), CAB_EINPUT);
	char want[300];
	snprintf(want, sizeof want,
		 "%s:3: timestamp '9999-01-01T00:00:00Z' outside the years "
		 "2000 to 2099 (expected a date of measurement)\n",
		 path_of("y.csv"));
	CHECK_STR(err.text, want);
	cab_err_release(&err);
}

/* A different value for a stored interval is a conflict naming both
 * files; nothing is written. With --replace the new value wins. */
TEST(conflict_names_both_sources_unless_replace)
{
	write_file("a.csv", A_CSV);
	write_file("e.csv", "timestamp,meter,kwh\n2024-01-01T00:30:00Z,m1,0.3\n"
			    "2024-01-01T00:45:00Z,m1,0.1\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t4.db", "a.csv", false, &r, &err), CAB_OK);
	char *before = dump("t4.db");
	CHECK_INT(import1("t4.db", "e.csv", false, &r, &err), CAB_EINPUT);
	char want[200];
	snprintf(want, sizeof want,
		 "%s:2: meter 'm1' at 2024-01-01T00:30:00Z: 0.300000 kWh "
		 "here but 0.250000 kWh in the store from %s (import 1, ",
		 path_of("e.csv"), path_of("a.csv"));
	CHECK(err.text && strncmp(err.text, want, strlen(want)) == 0);
	CHECK(err.text && strstr(err.text, "--replace overwrites") != NULL);
	char *after = dump("t4.db");
	CHECK_STR(after, before);
	cab_err_release(&err);
	cab_err_init(&err);
	CHECK_INT(import1("t4.db", "e.csv", true, &r, &err), CAB_OK);
	CHECK_INT(r.replaced, 1);
	CHECK_INT(r.inserted, 1);
	free(after);
	after = dump("t4.db");
	CHECK(strstr(after, "reading|1|1704069000|0.3|0|2\n") != NULL);
	CHECK(strstr(after, "reading|1|1704069900|0.1|0|2\n") != NULL);
	free(before);
	free(after);
	cab_err_release(&err);
}

/* A hole never erases a value; a reading replaces a filled value without
 * conflict; filling never overwrites data. */
TEST(merge_rules_for_holes_and_filled_values)
{
	write_file("f.csv", "timestamp,meter,kwh\n2024-01-01T00:00:00Z,m1,1\n"
			    "2024-01-01T00:15:00Z,m1,\n"
			    "2024-01-01T00:30:00Z,m1,3\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = path_of("t5.db");
	o.fill = CAB_IMPORT_FILL_LINEAR;
	o.fill_max_intervals = 2;
	const char *f[] = {path_of("f.csv")};
	struct cab_import_result r;
	CHECK_INT(cab_import(&o, f, 1, &r, &err), CAB_OK);
	CHECK_INT(r.filled, 1);
	char *d = dump("t5.db");
	CHECK(strstr(d, "reading|1|1704068100|2.0|2|1\n") != NULL);
	free(d);
	/* The real value arrives: no conflict, it replaces the filled one. */
	write_file("g.csv", "timestamp,meter,kwh\n2024-01-01T00:15:00Z,m1,2.5\n"
			    "2024-01-01T00:30:00Z,m1,\n");
	CHECK_INT(import1("t5.db", "g.csv", false, &r, &err), CAB_OK);
	CHECK_INT(r.replaced, 1);
	CHECK_INT(r.unchanged, 1); /* the hole left 3 alone */
	d = dump("t5.db");
	CHECK(strstr(d, "reading|1|1704068100|2.5|0|2\n") != NULL);
	CHECK(strstr(d, "reading|1|1704069000|3.0|0|1\n") != NULL);
	free(d);
	/* Filling f.csv again must not overwrite the reading 2.5. */
	CHECK_INT(cab_import(&o, f, 1, &r, &err), CAB_OK);
	d = dump("t5.db");
	CHECK(strstr(d, "reading|1|1704068100|2.5|0|2\n") != NULL);
	free(d);
	cab_err_release(&err);
}

/* The import's test hook: the process dies just before COMMIT. */
static void kill_self(void *ctx)
{
	raise(SIGKILL);
}

/* A process killed inside the transaction (after every row is written,
 * before COMMIT) leaves the store as before: SQLite's journal. */
TEST(killed_import_leaves_store_as_before)
{
	write_file("a.csv", A_CSV);
	write_file("h.csv", "timestamp,meter,kwh\n2024-03-01T00:00:00Z,m9,7\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t6.db", "a.csv", false, &r, &err), CAB_OK);
	char *before = dump("t6.db");
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct cab_import_opts o;
		cab_import_opts_default(&o);
		o.db_path = path_of("t6.db");
		o.before_commit = kill_self;
		const char *f[] = {path_of("h.csv")};
		cab_import(&o, f, 1, &r, NULL);
		_exit(0); /* not reached */
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	char *after = dump("t6.db");
	CHECK_STR(after, before);
	CHECK(strstr(after, "m9") == NULL);
	/* And the store still takes the import afterwards. */
	CHECK_INT(import1("t6.db", "h.csv", false, &r, &err), CAB_OK);
	CHECK_INT(r.inserted, 1);
	free(before);
	free(after);
	cab_err_release(&err);
}

/* Naive local times: the autumn hour, seen twice in order, lands on
 * distinct UTC instants; a spring-gap time is an error. */
TEST(local_times_across_dst)
{
	write_file("dst.csv", "timestamp,meter,kwh\n"
			      "2024-10-27 01:45:00,m1,1\n"
			      "2024-10-27 02:00:00,m1,2\n"
			      "2024-10-27 02:45:00,m1,3\n"
			      "2024-10-27 02:00:00,m1,4\n"
			      "2024-10-27 02:45:00,m1,5\n"
			      "2024-10-27 03:00:00,m1,6\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t7.db", "dst.csv", false, &r, &err), CAB_OK);
	char *d = dump("t7.db");
	/* 01:45 CEST = 23:45Z; 02:00 CEST = 00:00Z; 02:45 CEST = 00:45Z;
	 * 02:00 CET = 01:00Z; 02:45 CET = 01:45Z; 03:00 CET = 02:00Z. */
	const int64_t z = 1729987200; /* 2024-10-27T00:00:00Z */
	char want[80];
	const int64_t at[] = {z - 900,	z,	  z + 2700,
			      z + 3600, z + 6300, z + 7200};
	for (int i = 0; i < 6; i++) {
		snprintf(want, sizeof want, "reading|1|%lld|%d.0|0|1\n",
			 (long long)at[i], i + 1);
		CHECK(strstr(d, want) != NULL);
	}
	free(d);
	write_file("gap.csv",
		   "timestamp,meter,kwh\n2024-03-31 02:30:00,m1,1\n");
	CHECK_INT(import1("t7.db", "gap.csv", false, &r, &err), CAB_EINPUT);
	char msg[200];
	snprintf(msg, sizeof msg,
		 "%s:2: timestamp '2024-03-31 02:30:00': local time does not "
		 "exist (spring DST gap)\n",
		 path_of("gap.csv"));
	CHECK_STR(err.text, msg);
	cab_err_release(&err);
}

/* The canonical file lists every meter at each time (rows sorted by
 * interval, then meter): in the autumn hour, m2's row at the same local
 * time as m1's is the same instant, not the clock gone back. */
TEST(local_times_of_several_meters_across_dst)
{
	write_file("dst2.csv", "timestamp,meter,kwh\n"
			       "2024-10-27 02:00:00,m1,1\n"
			       "2024-10-27 02:00:00,m2,2\n"
			       "2024-10-27 02:15:00,m1,3\n"
			       "2024-10-27 02:15:00,m2,4\n"
			       "2024-10-27 02:00:00,m1,5\n"
			       "2024-10-27 02:00:00,m2,6\n"
			       "2024-10-27 02:15:00,m1,7\n"
			       "2024-10-27 02:15:00,m2,8\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t7b.db", "dst2.csv", false, &r, &err), CAB_OK);
	char *d = dump("t7b.db");
	/* 02:00 CEST = 00:00Z, 02:15 CEST = 00:15Z, 02:00 CET = 01:00Z,
	 * 02:15 CET = 01:15Z, for m1 (meter 1: 1 3 5 7) and m2 (2 4 6 8). */
	const int64_t z = 1729987200; /* 2024-10-27T00:00:00Z */
	const int64_t at[] = {z, z + 900, z + 3600, z + 4500};
	char want[80];
	for (int m = 1; m <= 2; m++)
		for (int i = 0; i < 4; i++) {
			snprintf(want, sizeof want,
				 "reading|%d|%lld|%d.0|0|1\n", m,
				 (long long)at[i], 2 * i + m);
			CHECK(strstr(d, want) != NULL);
		}
	free(d);
	if (err.text)
		fprintf(stderr, "%s", err.text);
	cab_err_release(&err);
}

/* A timestamp with a zone is exact whatever the case of its 'z'
 * (2024-10-27T01:00:00z is 02:00 winter time, not 02:00 summer time);
 * one file may not mix timestamps with and without offset. */
TEST(zoned_csv_timestamps_are_exact_and_not_mixed_with_naive_ones)
{
	write_file("z.csv", "timestamp,meter,kwh\n2024-10-27T01:00:00z,m1,2\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t7c.db", "z.csv", false, &r, &err), CAB_OK);
	char *d = dump("t7c.db");
	CHECK(strstr(d, "reading|1|1729990800|2.0|0|1\n") != NULL);
	free(d);
	write_file("mix.csv", "timestamp,meter,kwh\n"
			      "2024-01-01T00:00:00Z,m1,1\n"
			      "2024-01-01 01:15:00,m1,2\n");
	CHECK_INT(import1("t7d.db", "mix.csv", false, &r, &err), CAB_EINPUT);
	char msg[300];
	snprintf(msg, sizeof msg,
		 "%s:3: timestamp '2024-01-01 01:15:00' without UTC offset in "
		 "a file whose first timestamp has one (expected the same form "
		 "on every line)\n",
		 path_of("mix.csv"));
	CHECK_STR(err.text, msg);
	cab_err_release(&err);
}

/* Every interval between a meter's first and last row is stored, so a
 * typo in a year (1924 for 2024) must not fill the store with a century
 * of holes (3.5 million rows): like the other formats, csv takes the
 * years 2000 to 2099. */
TEST(csv_year_typo_is_refused)
{
	write_file("typo.csv", "timestamp,meter,kwh\n"
			       "2024-01-01T00:00:00Z,m1,1\n"
			       "1924-01-01T00:00:00Z,m1,2\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("t7e.db", "typo.csv", false, &r, &err), CAB_EINPUT);
	char msg[300];
	snprintf(msg, sizeof msg,
		 "%s:3: timestamp '1924-01-01T00:00:00Z' outside the years "
		 "2000 to 2099 (expected a date of measurement)\n",
		 path_of("typo.csv"));
	CHECK_STR(err.text, msg);
	char *d = dump("t7e.db");
	CHECK_STR(d, "");
	free(d);
	cab_err_release(&err);
}

/* An empty file of any format is refused by name, and parsed without
 * pointer arithmetic on the NULL of an empty mapping (check-asan). */
TEST(empty_file_of_every_format_is_refused)
{
	write_file("empty.txt", "");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	const char *names[] = {"empty.txt"};
	for (int f = 0; f < CAB_FMT_COUNT; f++) {
		CHECK_INT(import_files("t7f.db", (enum cab_format)f, "m", false,
				       names, 1, &r, &err),
			  CAB_EINPUT);
		CHECK(err.text && strstr(err.text, "empty.txt") != NULL);
		cab_err_release(&err);
		cab_err_init(&err);
	}
	char *d = dump("t7f.db");
	CHECK_STR(d, "");
	free(d);
	cab_err_release(&err);
}

/* A lower-case 'z' is UTC like 'Z' (the timestamp parser accepts both):
 * 01:30z on the autumn day is 01:30Z, not the first 02:30 local (00:30Z);
 * and a second row for 01:30Z is a duplicate. */
TEST(lower_case_z_is_utc_on_the_autumn_day)
{
	write_file("z.csv", "timestamp,meter,kwh\n"
			    "2024-10-27T01:30:00z,m1,1\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("tz.db", "z.csv", false, &r, &err), CAB_OK);
	char *d = dump("tz.db");
	CHECK(strstr(d, "reading|1|1729992600|1.0|0|1\n") != NULL);
	free(d);
	write_file("z2.csv", "timestamp,meter,kwh\n"
			     "2024-10-27T01:30:00Z,m1,1\n"
			     "2024-10-27T01:30:00z,m1,1\n");
	CHECK_INT(import1("tz2.db", "z2.csv", false, &r, &err), CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "second value") != NULL);
	cab_err_release(&err);
}

/* A file that is not a store is refused by name; a missing one too. */
TEST(not_a_store_is_refused)
{
	write_file("junk.db", "this is not sqlite, just text of some length "
			      "long enough to be looked at by sqlite\n");
	struct cab_err err;
	cab_err_init(&err);
	struct cab_store *s = NULL;
	CHECK_INT(cab_store_open(path_of("junk.db"), false, &s, &err),
		  CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "junk.db: not a database") != NULL);
	cab_err_release(&err);
	cab_err_init(&err);
	CHECK_INT(cab_store_open(path_of("absent.db"), false, &s, &err),
		  CAB_EINPUT);
	CHECK(err.text &&
	      strstr(err.text, "absent.db: cannot open the store") != NULL);
	cab_err_release(&err);
}

/* A scenario reading "db" gets exactly the series of its CSV, and values
 * filled at import are counted as filled in the run. */
TEST(scenario_reads_the_store_like_its_csv)
{
	/* Two days, two participants; one hole at 10:00 on day one. */
	size_t cap = 1 << 16, len = 0;
	char *csv = malloc(cap);
	len += (size_t)snprintf(csv, cap, "timestamp,meter,kwh\n");
	int64_t t0 = cab_time_local_midnight(2024, 3, 5);
	for (int k = 0; k < 192; k++) {
		char ts[21];
		cab_time_format_utc(t0 + k * 900, ts);
		double a = 0.1 + 0.01 * (k % 7),
		       pv = (k % 96 > 36 && k % 96 < 64) ? 0.4 : 0;
		if (k != 40) /* the hole: no row (SPEC §8) */
			len += (size_t)snprintf(csv + len, cap - len,
						"%s,a-c,%.3f\n", ts, a);
		len +=
		    (size_t)snprintf(csv + len, cap - len,
				     "%s,b-c,0.2\n%s,b-pv,%.3f\n", ts, ts, pv);
	}
	write_file("r.csv", csv);
	free(csv);
	const char *sc_fmt =
	    "{\"name\": \"db-test\", \"period\": {\"start\": \"2024-03-05\", "
	    "\"end\": \"2024-03-07\"}, %s, \"cabins\": [{\"id\": \"rg\", "
	    "\"locality\": \"B\"}], \"participants\": ["
	    "{\"id\": \"a\", \"cabin\": \"rg\", \"meters\": {\"consumption\": "
	    "\"a-c\"}},"
	    "{\"id\": \"b\", \"cabin\": \"rg\", \"meters\": {\"consumption\": "
	    "\"b-c\", \"production\": \"b-pv\"}}],"
	    "\"tariff\": {\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": "
	    "0.12, \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, "
	    "\"C\": 0.09, \"D\": 0.12}, \"taxes_eur_kwh\": 0.05, "
	    "\"injection_eur_kwh\": 0.03},"
	    "\"sharing\": {\"key\": \"proportional\", \"price_eur_kwh\": "
	    "0.15}}";
	char text[2048];
	snprintf(text, sizeof text, sc_fmt, "\"readings\": \"r.csv\"");
	write_file("sc_csv.json", text);
	snprintf(text, sizeof text, sc_fmt, "\"db\": \"r.db\"");
	write_file("sc_db.json", text);
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(import1("r.db", "r.csv", false, &r, &err), CAB_OK);
	struct cab_scenario *s1 = NULL, *s2 = NULL;
	struct cab_readings *r1 = NULL, *r2 = NULL;
	CHECK_INT(cab_scenario_load(path_of("sc_csv.json"), &s1, &err), CAB_OK);
	CHECK_INT(cab_scenario_load(path_of("sc_db.json"), &s2, &err), CAB_OK);
	if (!s1 || !s2)
		return;
	CHECK_INT(cab_source_load(s1, &r1, &err), CAB_OK);
	CHECK_INT(cab_source_load(s2, &r2, &err), CAB_OK);
	const char *m[] = {"a-c", "b-c", "b-pv"};
	for (int i = 0; i < 3 && r1 && r2; i++) {
		const double *x = cab_readings_series(r1, m[i]);
		const double *y = cab_readings_series(r2, m[i]);
		CHECK(x && y);
		for (size_t k = 0; x && y && k < 192; k++)
			CHECK((isnan(x[k]) && isnan(y[k])) || x[k] == y[k]);
		CHECK_INT(cab_readings_missing(r2, m[i]), i == 0 ? 1 : 0);
	}
	cab_readings_free(r2);
	r2 = NULL;
	/* Fill the hole at import: the run counts one filled interval. */
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = path_of("r.db");
	o.fill = CAB_IMPORT_FILL_LINEAR;
	o.fill_max_intervals = 1;
	const char *f[] = {path_of("r.csv")};
	CHECK_INT(cab_import(&o, f, 1, &r, &err), CAB_OK);
	CHECK_INT(r.inserted, 1); /* the stored hole now holds the filling */
	CHECK_INT(cab_source_load(s2, &r2, &err), CAB_OK);
	struct cab_run *run = NULL;
	CHECK_INT(cab_run_new(s2, r2, -1, &run, &err), CAB_OK);
	if (run) {
		CHECK_INT(run->p[0].filled_intervals, 1);
		CHECK_INT(run->p[0].missing_intervals, 0);
	}
	cab_run_free(run);
	cab_readings_free(r1);
	cab_readings_free(r2);
	cab_scenario_free(s1);
	cab_scenario_free(s2);
	if (err.text)
		fprintf(stderr, "%s", err.text);
	cab_err_release(&err);
}

#define DSO_HEADER                                                             \
	"From (date);From (time);Until (date);Until (time);EAN code;Meter;"    \
	"Meter type;Register;Volume;Unit;Validation status;Description\r\n"
#define DSO_ROW(vol, status)                                                   \
	"05/03/2024;10:00:00;05/03/2024;10:15:00;=\"1\";M;Digital meter;"      \
	"Offtake Day;" vol ";kWh;" status ";\r\n"

/* The operator's later export turns an estimate into a reading: the
 * reading replaces it without conflict; another estimate that differs
 * from a stored reading is a conflict. */
TEST(dso_reading_replaces_an_estimate)
{
	write_file("e1.csv", DSO_HEADER DSO_ROW("0,5", "Estimated"));
	write_file("e2.csv", DSO_HEADER DSO_ROW("0,6", "Read"));
	write_file("e3.csv", DSO_HEADER DSO_ROW("0,7", "Estimated"));
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	const char *f1[] = {"e1.csv"}, *f2[] = {"e2.csv"}, *f3[] = {"e3.csv"};
	CHECK_INT(import_files("t8.db", CAB_FMT_DSO_CSV, "h1", false, f1, 1, &r,
			       &err),
		  CAB_OK);
	CHECK_INT(r.estimated, 1);
	CHECK_INT(import_files("t8.db", CAB_FMT_DSO_CSV, "h1", false, f2, 1, &r,
			       &err),
		  CAB_OK);
	CHECK_INT(r.replaced, 1);
	char *d = dump("t8.db");
	/* 10:00 local on 5 March = 09:00Z = 1709629200 */
	CHECK(strstr(d, "meter|1|h1.offtake|") != NULL);
	CHECK(strstr(d, "reading|1|1709629200|0.6|0|2\n") != NULL);
	CHECK_INT(import_files("t8.db", CAB_FMT_DSO_CSV, "h1", false, f3, 1, &r,
			       &err),
		  CAB_EINPUT);
	char *after = dump("t8.db");
	CHECK_STR(after, d);
	free(d);
	free(after);
	cab_err_release(&err);
}

/* docs/store.md's example, end to end into the store: 1,000 W every 8 s
 * from 10:00:00; silent 128 s → 796 s of 900 covered → missing; the next
 * quarter-hour read 0.25 kWh; a 72-s silence → 852 s → estimated. */
TEST(power_samples_coverage_example)
{
	int64_t t0 = 1709632800; /* 2024-03-05T10:00:00Z */
	for (int pass = 0; pass < 2; pass++) {
		int64_t gap_end = pass ? t0 + 296 + 72 : t0 + 296 + 128;
		size_t cap = 1 << 16, len = 0;
		char *csv = malloc(cap);
		len += (size_t)snprintf(csv, cap, "timestamp,meter,watts\n");
		for (int k = 0; k <= 225; k++) {
			int64_t t = t0 + 8 * k;
			if (t > t0 + 296 && t < gap_end)
				continue;
			char ts[21];
			cab_time_format_utc(t, ts);
			len += (size_t)snprintf(csv + len, cap - len,
						"%s,m,1000\n", ts);
		}
		write_file("p.csv", csv);
		free(csv);
		struct cab_err err;
		cab_err_init(&err);
		struct cab_import_result r;
		const char *f[] = {"p.csv"};
		const char *db = pass ? "t9b.db" : "t9a.db";
		CHECK_INT(import_files(db, CAB_FMT_POWER_CSV, NULL, false, f, 1,
				       &r, &err),
			  CAB_OK);
		char *d = dump(db);
		if (pass == 0) {
			CHECK(strstr(d, "reading|1|1709632800|NULL|3|1\n") !=
			      NULL);
			CHECK_INT(r.missing, 1);
		} else {
			CHECK(strstr(d, "reading|1|1709632800|0.25|1|1\n") !=
			      NULL);
			CHECK_INT(r.estimated, 1);
		}
		CHECK(strstr(d, "reading|1|1709633700|0.25|0|1\n") != NULL);
		free(d);
		cab_err_release(&err);
	}
}

/* Three phases measured by three Flukso sensors form one meter: --sum
 * adds them quarter-hour by quarter-hour; where one phase misses a
 * quarter-hour, the meter misses it. */
TEST(sum_of_phases_is_one_meter)
{
	/* One minute samples (label end) 10:00:00–10:30:00 local, 5 March
	 * 2024 (09:00Z): phase k draws k × 600 W → 0.15·k kWh a quarter-hour.
	 * Phase 3 is silent from 10:16 to 10:29 (local). */
	for (int ph = 1; ph <= 3; ph++) {
		char name[16], text[4096];
		size_t len = 0;
		for (int m = 0; m <= 30; m++) {
			if (ph == 3 && m > 15 && m < 30)
				continue;
			len += (size_t)snprintf(text + len, sizeof text - len,
						"2024-03-05 10:%02d:00,%d\n", m,
						600 * ph);
		}
		snprintf(name, sizeof name, "ph%d.csv", ph);
		write_file(name, text);
	}
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = path_of("t10.db");
	o.format = CAB_FMT_FLUKSO_CSV;
	o.meter = "h07-c";
	o.sum = true;
	const char *f[] = {path_of("ph1.csv"), path_of("ph2.csv"),
			   path_of("ph3.csv")};
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(cab_import(&o, f, 3, &r, &err), CAB_OK);
	CHECK_INT(r.meters, 1);
	char *d = dump("t10.db");
	CHECK(strstr(d, "meter|1|h07-c|") != NULL);
	CHECK(strstr(d, "h07-c#") == NULL);
	/* Each phase file gave the meter's two quarter-hours. */
	for (int ph = 1; ph <= 3; ph++) {
		char want[300];
		snprintf(want, sizeof want, "import|%d|%s|", ph,
			 path_of(ph == 1   ? "ph1.csv"
				 : ph == 2 ? "ph2.csv"
					   : "ph3.csv"));
		const char *row = strstr(d, want);
		/* rows: 31 samples, 17 for phase 3 (silent 14 minutes) */
		const char *tail = ph == 3 ? "|17|2\n" : "|31|2\n";
		CHECK(row && strstr(row, tail) == strchr(row, '\n') - 5);
	}
	/* 09:00Z: (1 + 2 + 3) × 0.15 = 0.9 kWh; 09:15Z: phase 3 missing. */
	CHECK(strstr(d, "reading|1|1709630100|NULL|3|") != NULL);
	free(d);
	struct cab_store *st = NULL;
	double v[2];
	bool found;
	CHECK_INT(cab_store_open(path_of("t10.db"), false, &st, &err), CAB_OK);
	CHECK_INT(
	    cab_store_read(st, "h07-c", 1709629200, 2, v, NULL, &found, &err),
	    CAB_OK);
	CHECK_NEAR(v[0], 0.9, 1e-12);
	CHECK(isnan(v[1]));
	cab_store_close(st);
	/* --sum without --meter is refused. */
	o.meter = NULL;
	CHECK_INT(cab_import(&o, f, 3, &r, &err), CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "--sum needs --meter ID") != NULL);
	cab_err_release(&err);
}

/* --sum adds the phases of one meter; an export of the grid operator
 * is one meter with two directions: summing its "parts" would add the
 * injection to the offtake. Refused. */
TEST(sum_of_an_operator_export_is_refused)
{
	write_file("dso-sum.csv",
		   DSO_HEADER DSO_ROW(
		       "0,4", "Read") "05/03/2024;10:00:00;05/03/"
				      "2024;10:15:00;=\"1\";M;Digital meter;"
				      "Injection Day;0,1;kWh;Read;\r\n");
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.db_path = path_of("t11.db");
	o.format = CAB_FMT_DSO_CSV;
	o.meter = "h01";
	o.sum = true;
	const char *f[] = {path_of("dso-sum.csv")};
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	CHECK_INT(cab_import(&o, f, 1, &r, &err), CAB_EINPUT);
	CHECK(err.text && strstr(err.text, "--sum") != NULL);
	char *d = dump("t11.db");
	CHECK_STR(d, ""); /* no store created, 0.5 kWh never stored */
	free(d);
	cab_err_release(&err);
}

/* A phase whose file has no covered time at all (every sample nan, or
 * no sample) is missing everywhere: the sum of the other phases is not
 * the meter's energy. */
TEST(sum_with_a_phase_without_data_is_not_the_other_phases)
{
	char text[4096];
	size_t len = 0;
	for (int m = 0; m <= 30; m++)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"2024-03-05 10:%02d:00,600\n", m);
	write_file("q1.csv", text);
	len = 0;
	for (int m = 0; m <= 30; m++)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"2024-03-05 10:%02d:00,nan\n", m);
	write_file("q2.csv", text);
	write_file("q3.csv", "");
	struct cab_import_opts o;
	cab_import_opts_default(&o);
	o.format = CAB_FMT_FLUKSO_CSV;
	o.meter = "h08-c";
	o.sum = true;
	struct cab_err err;
	cab_err_init(&err);
	struct cab_import_result r;
	const char *dbs[] = {"t12.db", "t13.db"};
	const char *second[] = {"q2.csv", "q3.csv"};
	for (int i = 0; i < 2; i++) {
		o.db_path = path_of(dbs[i]);
		const char *f[] = {path_of("q1.csv"), path_of(second[i])};
		enum cab_status st = cab_import(&o, f, 2, &r, &err);
		/* Refused, or stored as holes: never 0.15 kWh. */
		char *d = dump(dbs[i]);
		CHECK(strstr(d, "|0.15|") == NULL);
		CHECK(st != CAB_OK || strstr(d, "|NULL|3|") != NULL);
		free(d);
	}
	cab_err_release(&err);
}

static const struct harness_test tests[] = {
    T(csv_import_reads_back),
    T(second_import_changes_nothing),
    T(bad_line_rolls_back_everything),
    T(csv_year_out_of_range_is_refused),
    T(conflict_names_both_sources_unless_replace),
    T(merge_rules_for_holes_and_filled_values),
    T(killed_import_leaves_store_as_before),
    T(local_times_across_dst),
    T(local_times_of_several_meters_across_dst),
    T(zoned_csv_timestamps_are_exact_and_not_mixed_with_naive_ones),
    T(csv_year_typo_is_refused),
    T(empty_file_of_every_format_is_refused),
    T(lower_case_z_is_utc_on_the_autumn_day),
    T(not_a_store_is_refused),
    T(scenario_reads_the_store_like_its_csv),
    T(dso_reading_replaces_an_estimate),
    T(power_samples_coverage_example),
    T(sum_of_phases_is_one_meter),
    T(sum_of_an_operator_export_is_refused),
    T(sum_with_a_phase_without_data_is_not_the_other_phases),
};

static int run_all(void)
{
	snprintf(dir, sizeof dir, "/tmp/cabine-test-import-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	int rc =
	    harness_main("test_import", tests, sizeof tests / sizeof tests[0]);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}

int main(void)
{
	return run_all();
}
