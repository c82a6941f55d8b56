/*
 * cli_bulletin.h — the command line of bulletins (通报): `bulletin make`
 * (a month's bulletin as PDF, Word or Excel), `bulletin list` and
 * `bulletin render` (the server's child: a stored document made a file).
 */
#ifndef HATCHERY_CLI_BULLETIN_H
#define HATCHERY_CLI_BULLETIN_H

int cmd_bulletin_make(int argc, char **argv);
int cmd_bulletin_list(int argc, char **argv);
int cmd_bulletin_render(int argc, char **argv);

#endif
