/*
 * cli_competition.h — the command line of the competition and the
 * assessment: `hatchery competition`, `hatchery assessment` (cli_competition.c).
 */
#ifndef HATCHERY_CLI_COMPETITION_H
#define HATCHERY_CLI_COMPETITION_H

int cmd_competition(int argc, char **argv);
int cmd_assessment(int argc, char **argv);

#endif
