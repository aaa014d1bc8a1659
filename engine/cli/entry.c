/*
 * entry.c — main() of ./cabine: the command line's dispatch (main.c).
 *
 * Why a file of its own: another entry point (a test build of the
 * command line) can link every other file of engine/cli/ with its own
 * main().
 */
#include "engine/cli/cli.h"

int main(int argc, char **argv)
{
	return cab_cli_main(argc, argv);
}
