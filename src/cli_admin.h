/*
 * cli_admin.h — the operations commands: backup, restore, audit, check, rebuild
 * (cli_admin.c). Each takes the words after its name, like cli.h's.
 */
#ifndef HATCHERY_CLI_ADMIN_H
#define HATCHERY_CLI_ADMIN_H

int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rebuild(int argc, char **argv);

#endif
