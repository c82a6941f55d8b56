/*
 * cli.h — the command table and the option parser shared by every command.
 */
#ifndef HATCHERY_CLI_H
#define HATCHERY_CLI_H

#include <stdio.h>

typedef struct Command {
	const char *name;        /* "init", "plan check", ... */
	int (*run)(int argc, char **argv); /* argv[0] is the first word after the name */
	const char *usage;       /* one line */
	const char *help;        /* a paragraph, English then Chinese */
} Command;

extern const Command commands[];
extern const int command_count;

/* Options of one command. Flags have takes_value 0 and get "1" when present. */
typedef struct Opt {
	const char *name;        /* "--db" */
	int takes_value;
	const char *value;       /* out: NULL when absent */
} Opt;

/*
 * Parses argv against opts. Positional arguments go to pos (at most maxpos).
 * On an unknown option, a missing value or too many positionals, prints the
 * problem and the command's usage to stderr and returns -1 (exit 2).
 * Returns the number of positionals otherwise.
 */
int cli_parse(const char *cmd, int argc, char **argv, Opt *opts, int nopts, const char **pos, int maxpos);
/* Prints "usage: ..." of cmd to stderr; returns 2. */
int cli_usage(const char *cmd);

typedef struct Store Store;
typedef struct Arena Arena;
typedef struct Plan Plan;
/* Opens the database file db and parses its stored plan into a; NULL after
 * saying on stderr why (no such file, not a database, no usable plan). */
Store *cli_open_with_plan(const char *db, Arena *a, Plan **plan);

int cmd_init(int argc, char **argv);
int cmd_plan_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_event_list(int argc, char **argv); /* cli_event.c */
int cmd_user_add(int argc, char **argv);
int cmd_user_passwd(int argc, char **argv);
int cmd_user_disable(int argc, char **argv);
int cmd_user_list(int argc, char **argv);
int cmd_gen(int argc, char **argv); /* cli_gen.c */
int cmd_version(int argc, char **argv);
int cmd_rules_check(int argc, char **argv);
int cmd_rules_load(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_import(int argc, char **argv); /* cli_transfer.c */
int cmd_export(int argc, char **argv); /* cli_transfer.c */
int cmd_help(int argc, char **argv);
int cmd_areas(int argc, char **argv);
/* Lists the commands of a group ("report") to out; how many (0: no such group). */
int cli_print_group(FILE *out, const char *group);
int cmd_policy_check(int argc, char **argv); /* cli_policy.c */
int cmd_policy_load(int argc, char **argv);  /* cli_policy.c */
int cmd_policy_applications(int argc, char **argv); /* cli_policy.c */

#endif
