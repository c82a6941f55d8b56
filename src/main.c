/*
 * main.c — finds the command named on the command line (one or two words,
 * "init" or "plan check") in cli.c's table and runs it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return cmd_help(0, NULL), 2;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	/* Two-word commands first ("plan check"), then one-word ones. */
	if (argc >= 3) {
		char two[64];
		snprintf(two, sizeof two, "%s %s", argv[1], argv[2]);
		for (int i = 0; i < command_count; i++)
			if (strcmp(commands[i].name, two) == 0)
				return commands[i].run(argc - 3, argv + 3);
	}
	for (int i = 0; i < command_count; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].run(argc - 2, argv + 2);
	/* a group without (or with an unknown) second word: its commands */
	if (cli_print_group(stderr, argv[1]))
		return 2;
	fprintf(stderr, "hatchery: unknown command \"%s\"; `hatchery help` lists the commands\n", argv[1]);
	return 2;
}
