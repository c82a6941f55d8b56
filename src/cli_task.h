/*
 * cli_task.h — the command line of the work system: `task list`,
 * `task remind` (cli_task.c).
 */
#ifndef HATCHERY_CLI_TASK_H
#define HATCHERY_CLI_TASK_H

int cmd_task_list(int argc, char **argv);
int cmd_task_remind(int argc, char **argv);

#endif
