/*
 * cli_bulletin.h — the command line of bulletins (通报): `bulletin make`
 * (a month's bulletin as PDF, Word or Excel) and `bulletin list`.
 */
#ifndef HATCHERY_CLI_BULLETIN_H
#define HATCHERY_CLI_BULLETIN_H

int cmd_bulletin_make(int argc, char **argv);
int cmd_bulletin_list(int argc, char **argv);

#endif
