/*
 * cmd_demo.c — `cabine demo`: write the embedded demo community
 * (scenarios/demo.c) into --out (default out/demo), then show every
 * report on it: run, compare, alerts and curves, in that order, each
 * staged like the command of that name.
 *
 * Workload: ~60 participants over a year of quarter-hours, run once per
 * command and per variant.
 */
#include <stdio.h>

#include "engine/base/i18n.h"
#include "engine/cli/cli.h"

enum cab_status cab_cli_demo(const struct cab_cli_opts *o, struct cab_err *err)
{
	const char *dir = o->out ? o->out : "out/demo";
	/* The demo's data go straight into dir: refuse a dir that its
	 * reports could not replace before writing anything there. */
	enum cab_status st = cab_cli_out_check(dir, err);
	if (st != CAB_OK)
		return st;
	cab_cli_progress(o, _("writing the demo community into %s"), dir);
	st = cab_demo_write(dir, err);
	if (st != CAB_OK)
		return st;
	char path[4096];
	snprintf(path, sizeof(path), "%s/scenario.json", dir);
	const char *operands[] = {path};
	struct cab_cli_opts d = *o; /* demo's options, on its scenario */
	d.operands = operands;
	d.n_operands = 1;
	d.out = dir;
	st = cab_cli_run(&d, err);
	/* The assembly's view too: every variant of the demo side by side;
	 * then what the community did during its alerts, and its load
	 * curves, so that one command shows every report. */
	if (st == CAB_OK)
		st = cab_cli_compare(&d, err);
	if (st == CAB_OK)
		st = cab_cli_alerts(&d, err);
	if (st == CAB_OK)
		st = cab_cli_curves(&d, err);
	return st;
}
