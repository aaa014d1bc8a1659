/*
 * cmd_import.c — `cabine import`: files of any supported format into the
 * SQLite store, all or nothing (engine/store/import.c, docs/store.md).
 *
 * Workload: years of meter data per call; the import reads every file
 * completely before one transaction writes them.
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

enum cab_status cab_cli_import(const struct cab_cli_opts *o,
			       struct cab_err *err)
{
	struct cab_import_opts io = o->import;
	if (o->hooks) {
		io.before_commit = o->hooks->before_commit;
		io.before_commit_ctx = o->hooks->before_commit_ctx;
	}
	cab_cli_progress(o, _("importing %zu file(s) into %s"), o->n_operands,
			 io.db_path);
	struct cab_import_result r;
	enum cab_status st =
	    cab_import(&io, o->operands, o->n_operands, &r, err);
	if (st != CAB_OK)
		return st;
	if (!o->is_quiet && r.month_rows)
		printf(_("imported %zu file(s)%s, %zu rows: %zu new, %zu "
			 "unchanged, %zu replaced (rows of meter, month and "
			 "register)\n"),
		       r.files,
		       r.files_known ? _(" (already imported before)") : "",
		       r.month_rows, r.inserted, r.unchanged, r.replaced);
	else if (!o->is_quiet)
		printf(_("imported %zu file(s)%s, %zu rows, %zu meter(s), %zu "
			 "quarter-hours: %zu new, %zu unchanged, %zu replaced; "
			 "%zu missing, %zu estimated, %zu filled\n"),
		       r.files,
		       r.files_known ? _(" (already imported before)") : "",
		       r.rows, r.meters, r.intervals, r.inserted, r.unchanged,
		       r.replaced, r.missing, r.estimated, r.filled);
	return CAB_OK;
}
