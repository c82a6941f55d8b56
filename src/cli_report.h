/*
 * cli_report.h — the command line of periodic reports: `report status`,
 * `report remind` (cli_report.c).
 */
#ifndef HATCHERY_CLI_REPORT_H
#define HATCHERY_CLI_REPORT_H

int cmd_report_status(int argc, char **argv);
int cmd_report_remind(int argc, char **argv);
int cmd_outbox_webhook(int argc, char **argv);
int cmd_outbox_send(int argc, char **argv);

#endif
