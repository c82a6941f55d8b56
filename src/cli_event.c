/*
 * cli_event.c — `hatchery event list`: the events (三(七)) with their
 * roadshow funnels — registered, presented, investor interest, due
 * diligence, invested, settled, dropped — and each event's conversion, as
 * a table or JSON. Reads only; the workflows are events.c's and the pages'.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "events.h"

int cmd_event_list(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--kind", 1, NULL}, {"--year", 1, NULL}, {"--json", 0, NULL}};
	if (cli_parse("event list", argc, argv, opts, 4, NULL, 0) < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery event list: --db is required\n");
		return cli_usage("event list");
	}
	EventFilter f = {.limit = 100000};
	if (opts[1].value) {
		int ok = 0;
		for (int i = 0; event_kinds[i]; i++)
			ok |= !strcmp(opts[1].value, event_kinds[i]);
		if (!ok) {
			fprintf(stderr, "hatchery event list: --kind is one of summit, contest, activity_week, pro_contest, roadshow, "
			                "site_meeting, other\n");
			return 2;
		}
		f.kind = opts[1].value;
	}
	long long year = 0;
	char from[11], to[11];
	if (opts[2].value) {
		if (!parse_int(opts[2].value, 2000, 2100, &year)) {
			fprintf(stderr, "hatchery event list: --year is a year such as 2024\n");
			return 2;
		}
		snprintf(from, sizeof from, "%04lld-01-01", year);
		snprintf(to, sizeof to, "%04lld-12-31", year);
		f.from = from;
		f.to = to;
	}
	if (access(opts[0].value, F_OK) != 0) {
		fprintf(stderr, "hatchery: %s does not exist: create it with `hatchery init --db %s`\n", opts[0].value, opts[0].value);
		return 1;
	}
	char err[512];
	Store *s = store_open(opts[0].value, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	Arena a = {0};
	EventRow *rows;
	long long total = 0;
	EventFunnel sum;
	int n = store_events(s, &a, &f, &rows, &total, &sum);
	int rc = 0;
	if (n < 0) {
		fprintf(stderr, "hatchery event list: %s\n", store_errmsg(s));
		rc = 1;
	} else if (opts[3].value) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++) {
			const EventRec *e = &rows[i].e;
			const EventFunnel *fu = &rows[i].f;
			json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "id",
			                                       (json_int_t)e->id, "kind", e->kind, "name", e->name, "starts_on",
			                                       e->starts_on, "ends_on", e->ends_on, "area", e->area, "status", e->status,
			                                       "registered", (json_int_t)fu->registered, "presented",
			                                       (json_int_t)fu->presented, "interest", (json_int_t)fu->interest,
			                                       "diligence", (json_int_t)fu->diligence, "invested",
			                                       (json_int_t)fu->invested, "settled", (json_int_t)fu->settled,
			                                       "dropped", (json_int_t)fu->dropped, "converted",
			                                       (json_int_t)fu->converted, "invested_yuan", fu->invested_yuan));
		}
		json_t *j = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
		char *t = json_dumps(j, JSON_COMPACT);
		printf("%s\n", t);
		free(t);
		json_decref(j);
	} else {
		printf("%-5s %-10s %-8s %5s %5s %5s %5s %5s %7s  %s\n", "id", "date", "kind", "reg", "pres", "inv", "settl", "drop",
		       "conv", "name");
		for (int i = 0; i < n; i++) {
			const EventRec *e = &rows[i].e;
			const EventFunnel *fu = &rows[i].f;
			printf("%-5lld %-10s %-8.8s %5lld %5lld %5lld %5lld %5lld %6.1f%%  %s\n", e->id, e->starts_on, e->kind,
			       fu->registered, fu->presented, fu->invested, fu->settled, fu->dropped, 100.0 * event_conversion(fu),
			       e->name);
		}
		printf("%lld events; registered %lld, presented %lld, invested %lld, settled %lld, conversion %.1f%%\n", total,
		       sum.registered, sum.presented, sum.invested, sum.settled, 100.0 * event_conversion(&sum));
	}
	store_close(s);
	arena_free(&a);
	return rc;
}
