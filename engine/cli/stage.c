/*
 * stage.c — the command line's outputs, replaced whole or not at all
 * (SPEC §11, docs/reports.md "The output folder").
 *
 * Why: a reader of --out (a person, a script, a web server) must see the
 * old set of reports or the new one, never a mix, and no file of an old
 * run may survive (a participant removed keeps no invoice). So every
 * command writes its whole set into a staging folder *beside* --out, in
 * the same parent (so that a rename is atomic), then:
 *   1. keeps what is not its own: every entry of the old --out that the
 *      command does not write (the demo's scenario and readings, another
 *      command's reports, another shard's folders) is hard-linked into
 *      the staging folder (folders recreated, symbolic links kept as
 *      links, never followed);
 *   2. swaps the staging folder and --out in one step
 *      (renameat2(RENAME_EXCHANGE); where the file system cannot, the old
 *      folder is renamed away and the new one renamed in, and a run killed
 *      between the two finds the old folder and puts it back);
 *   3. removes the old tree without following any symbolic link.
 * A command that fails removes its staging folder; one that is killed
 * leaves it, and the next run into the same place removes it: every
 * staging folder is locked (flock) by the process that owns it, so a
 * folder nobody holds is a dead run's (the lock is on a file inside it,
 * ALIVE, so that a folder inside a staging folder, as `cabine batch`
 * writes them, can be swapped under its parent's lock). --out itself may
 * not be a symbolic
 * link, a file, or the current folder (or one holding it): those are
 * refused (exit 2).
 *
 * Workload: a few hundred files per run (one workbook per participant),
 * 10,000 in a large batch; keeping the rest costs one link per file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/cli/cli.h"

/* The file of a staging folder whose flock says that its owner lives. */
#define ALIVE ".cabine-alive"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1) /* linux/fs.h */
#endif

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

/* The folder name in folder at (NULL: at itself), open for reading
 * without following a symbolic link, or NULL. */
static DIR *open_dir(int at, const char *name)
{
	int fd = name ? openat(at, name,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		      : dup(at);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d && fd >= 0)
		close(fd);
	return d;
}

/* rm -rf of name in folder at, never following a symbolic link: a link is
 * removed as a link, a folder is entered through O_NOFOLLOW. */
static void rm_at(int at, const char *name)
{
	if (unlinkat(at, name, 0) == 0 || errno == ENOENT)
		return;
	DIR *d = open_dir(at, name);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rm_at(dirfd(d), e->d_name);
	closedir(d);
	unlinkat(at, name, AT_REMOVEDIR);
}

void cab_cli_rm_tree(const char *path)
{
	rm_at(AT_FDCWD, path);
}

/* ---- the folder --out names ------------------------------------------ */

/* The prefix of staging folders beside out: ".cabine-<its name>." (the
 * name cut so that the folder's name fits in NAME_MAX). */
static void stage_prefix(const struct cab_cli_stage *s, char *buf, size_t size)
{
	snprintf(buf, size, ".cabine-%.200s.", s->base);
}

/* Split out into parent and base, refusing what cannot be replaced
 * whole: a symbolic link, a file, the current folder or one holding it. */
static enum cab_status resolve_out(struct cab_cli_stage *s, const char *out,
				   struct cab_err *err)
{
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof(s->out))
		return cab_err_add(err, CAB_EINPUT,
				   "%s: cannot be an output folder (expected "
				   "a folder name)",
				   out);
	memcpy(s->out, out, n);
	s->out[n] = '\0';
	const char *slash = strrchr(s->out, '/');
	const char *base = slash ? slash + 1 : s->out;
	char real[PATH_MAX], cwd[PATH_MAX];
	if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(s->out, "/")) {
		if (!realpath(s->out, real))
			return cab_err_add(err, CAB_EINPUT, "%s: %s", s->out,
					   strerror(errno));
		snprintf(s->out, sizeof(s->out), "%s", real);
		slash = strrchr(s->out, '/');
		base = slash + 1;
	}
	struct stat st;
	s->has_out = lstat(s->out, &st) == 0;
	if (s->has_out && S_ISLNK(st.st_mode))
		return cab_err_add(err, CAB_EINPUT,
				   "%s: is a symbolic link (expected a "
				   "folder: cabine replaces its output folder "
				   "whole and never follows a link)",
				   s->out);
	if (s->has_out && !S_ISDIR(st.st_mode))
		return cab_err_add(err, CAB_EINPUT,
				   "%s: is a file (expected a folder for the "
				   "reports)",
				   s->out);
	if (!s->has_out && errno != ENOENT)
		return cab_err_add(err, CAB_EIO, "%s: %s", s->out,
				   strerror(errno));
	if (s->has_out && realpath(s->out, real) && getcwd(cwd, sizeof(cwd))) {
		size_t k = strlen(real);
		if (!strcmp(real, "/") ||
		    (!strncmp(cwd, real, k) && (cwd[k] == '/' || !cwd[k])))
			return cab_err_add(err, CAB_EINPUT,
					   "%s: is the current folder or holds "
					   "it (expected a folder of its own: "
					   "cabine replaces it whole)",
					   out);
	}
	s->mode = s->has_out ? st.st_mode & 07777 : 0;
	size_t nb = strlen(base);
	if (nb >= sizeof(s->base))
		return cab_err_add(err, CAB_EINPUT,
				   "%s: name too long (expected at most 255 "
				   "bytes)",
				   s->out);
	memcpy(s->base, base, nb + 1);
	if (slash == s->out)
		snprintf(s->parent, sizeof(s->parent), "/");
	else if (slash)
		snprintf(s->parent, sizeof(s->parent), "%.*s",
			 (int)(slash - s->out), s->out);
	else
		snprintf(s->parent, sizeof(s->parent), ".");
	return CAB_OK;
}

/* Does name (an entry of parent) name a staging folder of ours ("prefix"
 * + 6 characters) or an old tree set aside ("prefix" + "old-" + 6)? */
static int stage_kind(const char *name, const char *prefix)
{
	size_t k = strlen(prefix);
	if (strncmp(name, prefix, k) != 0)
		return 0;
	size_t rest = strlen(name + k);
	if (rest == 6 && !strchr(name + k, '.'))
		return 1;
	if (rest == 10 && !strncmp(name + k, "old-", 4))
		return 2;
	return 0;
}

/* Remove the staging folders beside out that no live process holds (a
 * killed run's), and put back an old tree set aside by a run killed
 * between its two renames when out is gone. Called with the parent
 * locked. */
static void clean_stale(const struct cab_cli_stage *s, int parent_fd)
{
	char prefix[256];
	stage_prefix(s, prefix, sizeof(prefix));
	DIR *d = open_dir(parent_fd, NULL);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		int kind = stage_kind(e->d_name, prefix);
		if (!kind)
			continue;
		/* Alive while its owner holds the lock of its ALIVE file; an
		 * old tree set aside has none (its owner holds the parent's
		 * lock while it is there). */
		char alive[512];
		snprintf(alive, sizeof(alive), "%s/" ALIVE, e->d_name);
		int afd =
		    openat(parent_fd, alive, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		bool is_dead = afd < 0 || flock(afd, LOCK_EX | LOCK_NB) == 0;
		if (afd >= 0)
			close(afd);
		if (!is_dead)
			continue;
		if (kind == 2 &&
		    faccessat(parent_fd, s->base, F_OK, AT_SYMLINK_NOFOLLOW) !=
			0 &&
		    renameat(parent_fd, e->d_name, parent_fd, s->base) == 0)
			continue;
		rm_at(parent_fd, e->d_name);
	}
	closedir(d);
}

enum cab_status cab_cli_out_check(const char *out, struct cab_err *err)
{
	struct cab_cli_stage s;
	return resolve_out(&s, out, err);
}

enum cab_status cab_cli_stage_open(struct cab_cli_stage *s, const char *out,
				   struct cab_err *err)
{
	*s = (struct cab_cli_stage){.lock_fd = -1};
	enum cab_status st = resolve_out(s, out, err);
	if (st != CAB_OK)
		return st;
	if (cab_cli_mkdir_p(s->parent) != 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot create (%s)",
				   s->parent, strerror(errno));
	int pfd = open(s->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot open (%s)",
				   s->parent, strerror(errno));
	/* One command at a time cleans or swaps beside out (best effort: a
	 * file system without locks still gets every other guarantee). */
	flock(pfd, LOCK_EX);
	clean_stale(s, pfd);
	char prefix[256];
	stage_prefix(s, prefix, sizeof(prefix));
	int len =
	    snprintf(s->dir, sizeof(s->dir), "%s/%sXXXXXX", s->parent, prefix);
	if (len < 0 || (size_t)len >= sizeof(s->dir))
		st = cab_err_add(err, CAB_EINPUT, "%s: output path too long",
				 s->out);
	else if (!mkdtemp(s->dir))
		st = cab_err_add(err, CAB_EIO, "%s: cannot create (%s)",
				 s->parent, strerror(errno));
	char alive[sizeof(s->dir) + 32];
	snprintf(alive, sizeof(alive), "%s/" ALIVE, s->dir);
	if (st == CAB_OK) {
		s->lock_fd =
		    open(alive, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX) != 0)
			st = cab_err_add(err, CAB_EIO, "%s: cannot lock (%s)",
					 s->dir, strerror(errno));
	}
	/* The new folder takes the old one's permissions, or those a new
	 * folder gets (mkdtemp made it private). */
	mode_t mask = umask(0);
	umask(mask);
	if (st == CAB_OK &&
	    chmod(s->dir, s->has_out ? s->mode : 0777 & ~mask) != 0)
		st = cab_err_add(err, CAB_EIO, "%s: cannot set its mode (%s)",
				 s->dir, strerror(errno));
	close(pfd);
	if (st != CAB_OK)
		cab_cli_stage_release(s);
	return st;
}

void cab_cli_stage_release(struct cab_cli_stage *s)
{
	if (s->dir[0] && !s->is_committed)
		cab_cli_rm_tree(s->dir);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
	s->dir[0] = '\0';
}

/* ---- commit ------------------------------------------------------------ */

static bool is_in(const char *name, const char *const *names)
{
	for (size_t k = 0; names && names[k]; k++)
		if (!strcmp(name, names[k]))
			return true;
	return false;
}

/* A copy of regular file name from `from` into `to` (a file system that
 * cannot hard-link). */
static int copy_file(int from, int to, const char *name, mode_t mode)
{
	int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			 mode & 07777);
	int rc = in >= 0 && out >= 0 ? 0 : -1;
	char buf[65536];
	ssize_t got;
	while (rc == 0 && (got = read(in, buf, sizeof(buf))) != 0) {
		if (got < 0 || write(out, buf, (size_t)got) != got)
			rc = -1;
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0)
		rc = -1;
	return rc;
}

/* Keep entry name of folder from in folder to: a folder recreated and
 * its entries kept in turn, anything else hard-linked (a symbolic link
 * as the link itself), or copied where links are refused. */
static int keep_entry(int from, int to, const char *name)
{
	struct stat st;
	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode)) {
		if (linkat(from, name, to, name, 0) == 0)
			return 0;
		if (S_ISREG(st.st_mode))
			return copy_file(from, to, name, st.st_mode);
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n =
			    readlinkat(from, name, target, sizeof(target) - 1);
			if (n < 0)
				return -1;
			target[n] = '\0';
			return symlinkat(target, to, name);
		}
		return -1;
	}
	if (mkdirat(to, name, st.st_mode & 07777) != 0)
		return -1;
	DIR *d = open_dir(from, name);
	int sub_to =
	    openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = d && sub_to >= 0 ? 0 : -1;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = keep_entry(dirfd(d), sub_to, e->d_name);
	if (d)
		closedir(d);
	if (sub_to >= 0)
		close(sub_to);
	return rc;
}

/* Keep every entry of the old out that the command does not own (not in
 * owned, not written into the staging folder, not a staging folder of
 * an older version of cabine, ".cabine-…", which dies with the old
 * tree). The failing entry's name goes into bad. */
static int keep_others(const struct cab_cli_stage *s, int parent_fd,
		       const char *const *owned, char *bad, size_t size)
{
	DIR *d = open_dir(parent_fd, s->base);
	int stage_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = d && stage_fd >= 0 ? 0 : -1;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, "..") ||
		    !strncmp(name, ".cabine-", 8) || is_in(name, owned) ||
		    faccessat(stage_fd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		rc = keep_entry(dirfd(d), stage_fd, name);
		if (rc != 0)
			snprintf(bad, size, "%s", name);
	}
	if (d)
		closedir(d);
	if (stage_fd >= 0)
		close(stage_fd);
	return rc;
}

/* Swap the staging folder in: exchanged with out in one step, or (a file
 * system that cannot, or a test) out renamed away to old, then the
 * staging folder renamed in. Afterwards the old tree is at s->dir or at
 * old (old[0] != 0). */
static int swap_in(struct cab_cli_stage *s, int parent_fd,
		   const struct cab_cli_hooks *h, char *old, size_t size)
{
	old[0] = '\0';
	const char *stage = strrchr(s->dir, '/') + 1;
	if (!s->has_out)
		return renameat(parent_fd, stage, parent_fd, s->base);
#ifdef SYS_renameat2
	if (!(h && h->is_exchange_off)) {
		if (syscall(SYS_renameat2, parent_fd, stage, parent_fd, s->base,
			    RENAME_EXCHANGE) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
			return -1;
	}
#endif
	char prefix[256];
	stage_prefix(s, prefix, sizeof(prefix));
	snprintf(old, size, "%s/%sold-XXXXXX", s->parent, prefix);
	/* rename() of a folder replaces an empty one: mkdtemp reserves the
	 * name. */
	if (!mkdtemp(old) || rename(s->out, old) != 0) {
		int e = errno;
		if (old[0])
			rmdir(old);
		old[0] = '\0';
		errno = e;
		return -1;
	}
	if (h && h->between_renames)
		h->between_renames(h->ctx);
	if (renameat(parent_fd, stage, parent_fd, s->base) != 0) {
		int e = errno;
		rename(old, s->out); /* the old set back */
		old[0] = '\0';
		errno = e;
		return -1;
	}
	return 0;
}

enum cab_status cab_cli_stage_commit(struct cab_cli_stage *s,
				     const char *const *owned,
				     const struct cab_cli_hooks *hooks,
				     struct cab_err *err)
{
	int pfd = open(s->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return cab_err_add(err, CAB_EIO, "%s: cannot open (%s)",
				   s->parent, strerror(errno));
	flock(pfd, LOCK_EX);
	/* What the folder is now (another command may have made it since
	 * the staging folder was opened). */
	struct stat st;
	s->has_out = fstatat(pfd, s->base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	enum cab_status st_ = CAB_OK;
	char bad[NAME_MAX + 1] = "", old[sizeof(s->dir) + 16] = "";
	if (s->has_out && !S_ISDIR(st.st_mode))
		st_ = cab_err_add(
		    err, CAB_EINPUT,
		    "%s: is %s (expected a folder for the "
		    "reports)",
		    s->out, S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
	else if (s->has_out &&
		 keep_others(s, pfd, owned, bad, sizeof(bad)) != 0)
		st_ = cab_err_add(err, CAB_EIO,
				  "%s: cannot keep '%s' in the new folder (%s)",
				  s->out, bad[0] ? bad : ".", strerror(errno));
	/* The lock file goes (its lock stays with our descriptor): the
	 * parent's lock keeps others' cleaning away until the swap. */
	char alive[sizeof(s->dir) + 32];
	snprintf(alive, sizeof(alive), "%s/" ALIVE, s->dir);
	if (st_ == CAB_OK && unlink(alive) != 0)
		st_ = cab_err_add(err, CAB_EIO, "%s: cannot remove (%s)", alive,
				  strerror(errno));
	if (st_ == CAB_OK && hooks && hooks->before_swap)
		hooks->before_swap(hooks->ctx);
	if (st_ == CAB_OK && swap_in(s, pfd, hooks, old, sizeof(old)) != 0)
		st_ = cab_err_add(err, CAB_EIO,
				  "%s: cannot move the reports into place (%s)",
				  s->out, strerror(errno));
	close(pfd);
	if (st_ != CAB_OK)
		return st_;
	/* The old tree, wherever the swap left it. */
	if (old[0])
		cab_cli_rm_tree(old);
	else if (s->has_out)
		cab_cli_rm_tree(s->dir);
	s->is_committed = true;
	return CAB_OK;
}

/* ---- a command's reports ----------------------------------------------- */

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
	struct cab_cli_stage stage;
	enum cab_status st = cab_cli_stage_open(&stage, out_dir, err);
	if (st != CAB_OK)
		return st;
	/* What this command owns in --out: every writer's name, written or
	 * not (no allocation.csv of an old --detail run survives). */
	const char *owned[64];
	size_t n = 0;
	for (size_t k = 0; w->run && w->run[k] && n + 1 < 64; k++)
		owned[n++] = w->run[k]->name;
	for (size_t k = 0; w->compare && w->compare[k] && n + 1 < 64; k++)
		owned[n++] = w->compare[k]->name;
	owned[n] = NULL;
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
			st = op->write(runs[0], ro, stage.dir, err);
		else if ((st = cab_report_start(op, runs[0], ro, stage.dir,
						&started[n_started], err)) ==
			     CAB_OK &&
			 started[n_started])
			n_started++;
	}
	for (size_t k = 0; w->run && w->run[k] && st == CAB_OK; k++) {
		if (cab_report_can_start(w->run[k]))
			continue;
		cab_cli_progress(o, "writing %s", w->run[k]->name);
		st = w->run[k]->write(runs[0], ro, stage.dir, err);
	}
	for (size_t k = 0; w->compare && w->compare[k] && st == CAB_OK; k++) {
		cab_cli_progress(o, "writing %s", w->compare[k]->name);
		st = w->compare[k]->write(runs, n_runs, ro, stage.dir, err);
	}
	for (size_t k = 0; k < n_started; k++) {
		if (st == CAB_OK)
			st = cab_report_finish(started[k], err);
		else
			cab_report_abandon(started[k]);
	}
	if (st == CAB_OK)
		st = cab_cli_stage_commit(&stage, owned, o->hooks, err);
	cab_cli_stage_release(&stage);
	return st;
}
