/*
 * cli_task.c — `hatchery task list` (tasks with their lamps in Beijing time,
 * of one unit, overdue only, or as JSON) and `hatchery task remind` (催办:
 * every overdue 督办单 not yet answered, queued once a day for the webhook
 * and audited, as the office). The work is tasks.c's.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_task.h"
#include "tasks.h"

int cmd_task_list(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--unit", 1, NULL}, {"--overdue", 0, NULL}, {"--all", 0, NULL}, {"--json", 0, NULL}};
	if (cli_parse("task list", argc, argv, opts, 5, NULL, 0) < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery task list: --db is required\n");
		return cli_usage("task list");
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	const char *unit = opts[1].value;
	if (unit && !strcmp(unit_name(p, unit), unit)) {
		fprintf(stderr, "hatchery task list: no unit %s (a department code, an area code or @areas)\n", unit);
		store_close(s);
		arena_free(&a);
		return 2;
	}
	TaskFilter f = {.unit = unit, .unit_is_area = unit && plan_area(p, unit) != NULL, .status = opts[3].value ? NULL : "open"};
	TaskRec *t;
	int n = store_tasks(s, &a, &f, &t);
	if (n < 0) {
		fprintf(stderr, "hatchery task list: %s\n", store_errmsg(s));
		store_close(s);
		arena_free(&a);
		return 1;
	}
	char today[11];
	tasks_today(today);
	json_t *arr = json_array();
	if (!opts[4].value)
		printf("截至北京时间 %s%s%s\n", today, unit ? "，" : "", unit ? unit_name(p, unit) : "");
	for (int i = 0; i < n; i++) {
		int over;
		const char *due;
		Lamp l = task_lamp(&t[i], today, &over, &due);
		if (opts[2].value && l != LAMP_RED)
			continue;
		if (opts[4].value) {
			json_array_append_new(arr, json_pack("{s:I,s:s?,s:s,s:s,s:s?,s:s,s:i}", "id", (json_int_t)t[i].id, "code", t[i].code,
			                                     "title", t[i].title, "lead", t[i].lead, "due_on", due, "lamp", lamp_code(l),
			                                     "days_overdue", over));
			continue;
		}
		const char *state = l == LAMP_RED ? arena_printf(&a, "逾期 %d 天", over) : lamp_zh(l);
		printf("%5lld  %-6s %-10s %-14s %s（牵头：%s）\n", t[i].id, t[i].code ? t[i].code : "-", due ? due : "-", state,
		       t[i].title, unit_name(p, t[i].lead));
	}
	if (opts[4].value) {
		char *text = json_dumps(arr, JSON_COMPACT);
		printf("%s\n", text);
		free(text);
	}
	json_decref(arr);
	store_close(s);
	arena_free(&a);
	return 0;
}

int cmd_task_remind(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	if (cli_parse("task remind", argc, argv, opts, 1, NULL, 0) < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery task remind: --db is required\n");
		return cli_usage("task remind");
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Actor who = {.name = "cli", .role = ROLE_ADMIN, .addr = "cli", .plan = p, .arena = &a};
	char today[11];
	tasks_today(today);
	int sent = 0;
	DomResult r = tasks_remind(s, &who, today, &sent);
	int rc = r.code == DOM_OK ? 0 : r.code == DOM_FAILED || r.code == DOM_BUSY ? 1 : 2;
	if (rc)
		fprintf(stderr, "hatchery task remind: %s\n", r.message);
	else
		printf("%s\n", r.message);
	store_close(s);
	arena_free(&a);
	return rc;
}
