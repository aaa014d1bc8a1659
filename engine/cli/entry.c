/*
 * entry.c — main() of ./cabine: the command line's dispatch (main.c)
 * without any test hook.
 *
 * Why a file of its own: the test build of the command line
 * (build/tests/cabine-hooks) links every other file of engine/cli/ with
 * its own entry, tests/hooks.c, which sets the library's test extension
 * points from test environment variables. ./cabine never reads them.
 */
#include "engine/cli/cli.h"

int main(int argc, char **argv)
{
	return cab_cli_main(argc, argv, NULL);
}
