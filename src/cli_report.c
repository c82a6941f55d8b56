/*
 * cli_report.c — `hatchery report status` (completeness and timeliness of
 * one form and period, who is late) and `hatchery report remind` (催报:
 * a reminder to each reporter not yet reported, as the office). The work
 * is reports.c's; this parses options and prints.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_report.h"
#include "outbox.h"
#include "reports.h"

/* The command line acts as the office (it holds the database file). */
static Actor cli_actor(const Plan *p, Arena *a)
{
	Actor x = {.name = "cli", .role = ROLE_ADMIN, .addr = "cli", .plan = p, .arena = a};
	return x;
}

int cmd_report_status(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--form", 1, NULL}, {"--period", 1, NULL}, {"--area", 1, NULL}, {"--json", 0, NULL}};
	if (cli_parse("report status", argc, argv, opts, 5, NULL, 0) < 0)
		return 2;
	if (!opts[0].value || !opts[1].value || !opts[2].value) {
		fprintf(stderr, "hatchery report status: --db, --form and --period are required\n");
		return cli_usage("report status");
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Completeness c;
	ReportOutcome o = {0};
	int rc = 0;
	if (opts[3].value && !plan_area(p, opts[3].value)) {
		fprintf(stderr, "hatchery report status: no area %s\n", opts[3].value);
		rc = 2;
	} else if (report_completeness(s, &a, p, opts[1].value, opts[2].value, opts[3].value, report_now(), &c, &o) != 200) {
		fprintf(stderr, "hatchery report status: %s\n", o.message);
		rc = o.status == 500 ? 1 : 2;
	} else if (opts[4].value) {
		json_t *items = json_array();
		for (int i = 0; i < c.nrows; i++)
			json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:b,s:b,s:b}", "org", c.rows[i].org.org, "name",
			                                       c.rows[i].org.name, "status", c.rows[i].status, "reported",
			                                       c.rows[i].reported, "on_time", c.rows[i].on_time, "late", c.rows[i].late));
		json_t *j = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:o}", "form", c.form->code, "period", c.period.key, "state",
		                      c.state, "expected", c.expected, "reported", c.reported, "on_time", c.on_time, "late", c.late,
		                      "items", items);
		char *t = json_dumps(j, JSON_COMPACT);
		printf("%s\n", t);
		free(t);
		json_decref(j);
	} else {
		char due[20];
		beijing_format(c.period.due - 60, due);
		printf("%s %s《%s》 截止 %s（北京时间）\n", c.period.key, period_label(&a, c.form, &c.period), c.form->name, due);
		printf("应报 %d，已报 %d（%.1f%%），按时 %d（%.1f%%），已确认 %d，待审核 %d，逾期未报 %d\n", c.expected, c.reported,
		       c.expected ? 100.0 * c.reported / c.expected : 0.0, c.on_time,
		       c.expected ? 100.0 * c.on_time / c.expected : 0.0, c.accepted, c.waiting, c.late);
		for (int i = 0; i < c.nrows; i++)
			printf("  %-16s %-10s %s%s\n", c.rows[i].org.org, c.rows[i].status, c.rows[i].org.name,
			       c.rows[i].late ? " 逾期" : c.rows[i].reported && !c.rows[i].on_time ? " 迟报" : "");
	}
	store_close(s);
	arena_free(&a);
	return rc;
}

int cmd_report_remind(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--form", 1, NULL}, {"--period", 1, NULL}, {"--org", 1, NULL}};
	if (cli_parse("report remind", argc, argv, opts, 4, NULL, 0) < 0)
		return 2;
	if (!opts[0].value || !opts[1].value || !opts[2].value) {
		fprintf(stderr, "hatchery report remind: --db, --form and --period are required\n");
		return cli_usage("report remind");
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Actor who = cli_actor(p, &a);
	ReportOutcome o = {0};
	int sent = 0;
	const char *one[1] = {opts[3].value};
	int st = report_remind(s, &a, p, &who, opts[1].value, opts[2].value, opts[3].value ? one : NULL, opts[3].value ? 1 : 0,
	                       report_now(), &sent, &o);
	if (st != 200)
		fprintf(stderr, "hatchery report remind: %s\n", o.message);
	else
		printf("%s\n", o.message);
	store_close(s);
	arena_free(&a);
	return st == 200 ? 0 : st == 500 ? 1 : 2;
}

int cmd_outbox_webhook(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	const char *pos[1] = {NULL};
	int np = cli_parse("outbox webhook", argc, argv, opts, 1, pos, 1);
	if (np < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery outbox webhook: --db FILE is required\n");
		return cli_usage("outbox webhook");
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	int rc = 0;
	if (np == 0) {
		const char *u = store_setting_get(s, &a, "webhook_url");
		printf("%s\n", u && *u ? u : "(none)");
	} else if (webhook_url_problem(pos[0])) {
		fprintf(stderr, "hatchery outbox webhook: %s (\"\" turns it off)\n", webhook_url_problem(pos[0]));
		rc = 2;
	} else {
		const char *before = store_setting_get(s, &a, "webhook_url");
		json_t *b = json_pack("{s:s?}", "webhook_url", before), *af = json_pack("{s:s}", "webhook_url", pos[0]);
		char *bt = json_dumps(b, JSON_COMPACT), *at = json_dumps(af, JSON_COMPACT);
		int ok = store_begin(s) == H_OK && store_setting_set(s, "webhook_url", pos[0]) == H_OK &&
		         store_audit(s, "cli", "cli", "update", "settings", "webhook_url", bt, at) == H_OK && store_commit(s) == H_OK;
		free(bt);
		free(at);
		json_decref(b);
		json_decref(af);
		if (!ok) {
			store_rollback(s);
			fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
			rc = 1;
		} else {
			printf("webhook_url %s\n", *pos[0] ? pos[0] : "(none)");
		}
	}
	store_close(s);
	arena_free(&a);
	return rc;
}

int cmd_outbox_send(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	if (cli_parse("outbox send", argc, argv, opts, 1, NULL, 0) < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery outbox send: --db FILE is required\n");
		return cli_usage("outbox send");
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	const char *url = store_setting_get(s, &a, "webhook_url");
	int rc = 0, sent = 0, failed = 0;
	if (!url || !*url) {
		fprintf(stderr, "hatchery outbox send: no webhook configured (hatchery outbox webhook --db FILE URL)\n");
		rc = 2;
	} else if (outbox_send_due(s, url, time(NULL), 1000, &sent, &failed) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
		rc = 1;
	} else {
		printf("sent %d, failed %d (to be tried again), pending %d\n", sent, failed, store_outbox_count(s, "pending"));
	}
	store_close(s);
	arena_free(&a);
	return rc;
}
