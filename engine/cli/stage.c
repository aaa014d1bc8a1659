/*
 * stage.c — the command line's output staging: every command writes into
 * a hidden folder inside its output directory and moves the files into
 * place only when everything succeeded.
 *
 * Why: a failed run, compare or batch must leave nothing half-written in
 * --out (SPEC §7; the CLI cases check it). Writers and workers write into
 * the staging folder only; cab_cli_stage_commit moves its entries into
 * place (rename within one file system) and the caller removes the
 * folder whatever happened.
 *
 * Workload: a few hundred files per run (one workbook per participant);
 * 10,000 in a large batch.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/cli/cli.h"

int cab_cli_mkdir_p(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

void cab_cli_rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			cab_cli_rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Move every entry of staged dir `from` into `to`, merging directories. */
static int move_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char src[4096], dst[4096];
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
		struct stat sb;
		if (stat(src, &sb) != 0) {
			rc = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			if (mkdir(dst, 0777) != 0 && errno != EEXIST)
				rc = -1;
			else
				rc = move_tree(src, dst);
		} else if (rename(src, dst) != 0) {
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

enum cab_status cab_cli_stage_open(const char *out_dir, const char *prefix,
				   char *stage, size_t size,
				   struct cab_err *err)
{
	if (cab_cli_mkdir_p(out_dir) != 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)",
				   out_dir, strerror(errno));
	int len = snprintf(stage, size, "%s/%sXXXXXX", out_dir, prefix);
	if (len < 0 || (size_t)len >= size)
		return cab_err_add(err, CAB_EINPUT, "%s: output path too long",
				   out_dir);
	if (!mkdtemp(stage))
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)",
				   out_dir, strerror(errno));
	return CAB_OK;
}

enum cab_status cab_cli_stage_commit(const char *stage, const char *out_dir,
				     struct cab_err *err)
{
	if (move_tree(stage, out_dir) != 0)
		return cab_err_add(err, CAB_EIO,
				   "%s: cannot move reports into place (%s)",
				   out_dir, strerror(errno));
	return CAB_OK;
}

void cab_cli_out_dir(const struct cab_cli_opts *o,
		     const struct cab_scenario *sc, char *buf, size_t size)
{
	if (o->out) {
		snprintf(buf, size, "%s", o->out);
		return;
	}
	char safe[256];
	cab_report_safe_name(sc->name, safe, sizeof(safe));
	snprintf(buf, size, "out/%s", safe);
}

enum cab_status cab_cli_write_reports(const struct cab_cli_opts *o,
				      const struct cab_cli_writers *w,
				      const struct cab_run *const *runs,
				      size_t n_runs,
				      const struct cab_report_opts *ro,
				      const char *out_dir, struct cab_err *err)
{
	char stage[4096];
	enum cab_status st =
	    cab_cli_stage_open(out_dir, ".cabine-", stage, sizeof(stage), err);
	if (st != CAB_OK)
		return st;
	/* The writers that can run in worker processes (the invoices) start
	 * first; this process writes the others meanwhile, then takes its
	 * part of the invoices and waits for the workers. */
	struct cab_report_work *started[8] = {NULL};
	size_t n_started = 0;
	for (size_t k = 0; w->run && w->run[k] && st == CAB_OK; k++) {
		const struct cab_report_ops *op = w->run[k];
		if (!cab_report_can_start(op))
			continue;
		cab_cli_progress(o, "writing %s", op->name);
		if (n_started == sizeof started / sizeof started[0])
			st = op->write(runs[0], ro, stage, err);
		else if ((st = cab_report_start(op, runs[0], ro, stage,
						&started[n_started], err)) ==
			     CAB_OK &&
			 started[n_started])
			n_started++;
	}
	for (size_t k = 0; w->run && w->run[k] && st == CAB_OK; k++) {
		if (cab_report_can_start(w->run[k]))
			continue;
		cab_cli_progress(o, "writing %s", w->run[k]->name);
		st = w->run[k]->write(runs[0], ro, stage, err);
	}
	for (size_t k = 0; w->compare && w->compare[k] && st == CAB_OK; k++) {
		cab_cli_progress(o, "writing %s", w->compare[k]->name);
		st = w->compare[k]->write(runs, n_runs, ro, stage, err);
	}
	for (size_t k = 0; k < n_started; k++) {
		if (st == CAB_OK)
			st = cab_report_finish(started[k], err);
		else
			cab_report_abandon(started[k]);
	}
	if (st == CAB_OK)
		st = cab_cli_stage_commit(stage, out_dir, err);
	cab_cli_rm_tree(stage);
	return st;
}
