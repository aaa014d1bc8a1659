/*
 * stage_merge.c — staging for the commands whose outputs are *added* to a
 * folder rather than replacing it: `cabine batch` (its results file is
 * committed run by run into --out, and --all-or-nothing stages the whole
 * set), `cabine site` (site/ and tokens.csv beside the run's reports),
 * `cabine init` (a new folder). Everything is written into a hidden
 * staging folder inside the target, then moved into place entry by
 * entry; a failure removes the staging folder (stage.c replaces a whole
 * --out instead, for run, compare, alerts, curves and the others).
 *
 * Symbolic links are never followed: an entry of the staging folder is
 * examined with lstat, a link is moved as a link, and a target entry that
 * is a symbolic link is replaced, not written through.
 *
 * Workload: a few files (init, site) to a few hundred (a batch's folders).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

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
		struct stat sb, db;
		if (lstat(src, &sb) != 0) {
			rc = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			/* A link where a folder goes is replaced, never
			 * entered. */
			if (lstat(dst, &db) == 0 && !S_ISDIR(db.st_mode))
				unlink(dst);
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

enum cab_status cab_cli_stage_open_in(const char *out_dir, const char *prefix,
				      char *stage, size_t size,
				      struct cab_err *err)
{
	if (cab_cli_mkdir_p(out_dir) != 0)
		return cab_err_add(err, CAB_EIO, _("%s: cannot create (%s)"),
				   out_dir, strerror(errno));
	int len = snprintf(stage, size, "%s/%sXXXXXX", out_dir, prefix);
	if (len < 0 || (size_t)len >= size)
		return cab_err_add(err, CAB_EINPUT,
				   _("%s: output path too long"), out_dir);
	if (!mkdtemp(stage))
		return cab_err_add(err, CAB_EIO, _("%s: cannot create (%s)"),
				   out_dir, strerror(errno));
	return CAB_OK;
}

enum cab_status cab_cli_stage_merge(const char *stage, const char *out_dir,
				    struct cab_err *err)
{
	if (move_tree(stage, out_dir) != 0)
		return cab_err_add(err, CAB_EIO,
				   _("%s: cannot move reports into place (%s)"),
				   out_dir, strerror(errno));
	return CAB_OK;
}
