/*
 * cli_policy.c — `hatchery policy check FILE` and `hatchery policy load
 * --db DB FILE`: a policy file (docs/POLICY-FORMAT.md) checked, naming the
 * first problem by its place, or loaded (replacing the document of the same
 * code; applications keep their measures; audited with the file's SHA-256);
 * `hatchery policy applications --db DB [--year Y] [--status S] [--json]`
 * lists the applications with their amounts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "policy.h"

int cmd_policy_check(int argc, char **argv)
{
	const char *pos[1];
	int n = cli_parse("policy check", argc, argv, NULL, 0, pos, 1);
	if (n != 1) {
		if (n >= 0)
			fprintf(stderr, "hatchery policy check: name the policy file to check\n");
		return cli_usage("policy check");
	}
	size_t len;
	char *text = file_read(pos[0], &len);
	if (!text) {
		fprintf(stderr, "hatchery: cannot read %s: %s\n", pos[0], strerror(errno));
		return 1;
	}
	Arena a = {0};
	char err[1024];
	PolicyDoc *d = policy_parse(&a, text, len, pos[0], err, sizeof err);
	if (d) {
		int conds = 0;
		for (int i = 0; i < d->nmeasures; i++)
			conds += d->measures[i].conditions ? d->measures[i].conditions->nrules : 0;
		printf("%s: ok — %s (%s): %d measures, %d conditions%s\n", pos[0], d->name, d->code, d->nmeasures, conds,
		       d->example ? " (an example, 示例)" : "");
	} else {
		fprintf(stderr, "hatchery: %s\n", err);
	}
	free(text);
	arena_free(&a);
	return d ? 0 : 1;
}

int cmd_policy_load(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	const char *pos[1];
	int n = cli_parse("policy load", argc, argv, opts, 1, pos, 1);
	if (n < 0)
		return 2;
	if (!opts[0].value || n != 1) {
		fprintf(stderr, "hatchery policy load: --db and the policy file are required\n");
		return cli_usage("policy load");
	}
	size_t len;
	char *text = file_read(pos[0], &len);
	if (!text) {
		fprintf(stderr, "hatchery: cannot read %s: %s\n", pos[0], strerror(errno));
		return 1;
	}
	Arena a = {0};
	char err[1024];
	int rc = 1;
	Store *s = NULL;
	if (access(opts[0].value, F_OK) != 0)
		snprintf(err, sizeof err, "%s does not exist: create it with `hatchery init --db %s`", opts[0].value, opts[0].value);
	else
		s = store_open(opts[0].value, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
	} else if (store_begin(s) == H_OK) {
		PolicyDocRow old;
		int had = 0;
		PolicyDoc *d = policy_parse(&a, text, len, pos[0], err, sizeof err);
		if (d)
			had = store_policy_doc_get(s, &a, d->code, &old);
		if (d && had >= 0 && policy_load(s, &a, text, len, pos[0], "cli", err, sizeof err) == H_OK &&
		    store_commit(s) == H_OK) {
			printf("%s: loaded %s (%d measures)%s\n", pos[0], d->code, d->nmeasures,
			       had == 1 ? ", replacing the document of the same code" : "");
			rc = 0;
		} else {
			fprintf(stderr, "hatchery: %s\n", err);
		}
		store_rollback(s);
	} else {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
	}
	store_close(s);
	free(text);
	arena_free(&a);
	return rc;
}

int cmd_policy_applications(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--year", 1, NULL}, {"--status", 1, NULL}, {"--json", 0, NULL}};
	if (cli_parse("policy applications", argc, argv, opts, 4, NULL, 0) < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery policy applications: --db is required\n");
		return cli_usage("policy applications");
	}
	long long year = 0;
	if (opts[1].value && !parse_int(opts[1].value, 2000, 2100, &year)) {
		fprintf(stderr, "hatchery policy applications: --year %s is not a year (e.g. 2024)\n", opts[1].value);
		return 2;
	}
	const char *status = opts[2].value;
	static const char *const statuses[] = {"applied", "endorsed", "approved", "paid", "returned"};
	int known = !status;
	for (size_t i = 0; status && i < ARRAY_LEN(statuses); i++)
		known |= !strcmp(status, statuses[i]);
	if (!known) {
		fprintf(stderr, "hatchery policy applications: --status %s is not one of applied, endorsed, approved, paid, returned\n",
		        status);
		return 2;
	}
	char err[512];
	if (access(opts[0].value, F_OK) != 0) {
		fprintf(stderr, "hatchery: %s does not exist: create it with `hatchery init --db %s`\n", opts[0].value, opts[0].value);
		return 1;
	}
	Store *s = store_open(opts[0].value, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	Arena a = {0};
	PolicyApp *v;
	int n = store_policy_apps(s, &a, 0, NULL, status, (int)year, 100000, &v), rc = 0;
	if (n < 0) {
		fprintf(stderr, "hatchery policy applications: %s\n", store_errmsg(s));
		rc = 1;
	} else if (opts[3].value) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:I,s:i,s:s,s:I,s:s,s:s,s:s,s:f,s:o,s:o,s:s?}", "id", (json_int_t)v[i].id, "year",
			                                     v[i].year, "status", v[i].status, "base_id", (json_int_t)v[i].base_id, "base_name",
			                                     v[i].base_name, "area", v[i].area, "measure", v[i].measure, "entitled_yuan",
			                                     v[i].entitled, "approved_yuan",
			                                     v[i].has_approved ? json_real(v[i].approved) : json_null(), "paid_yuan",
			                                     v[i].has_paid ? json_real(v[i].paid) : json_null(), "voucher_no", v[i].voucher_no));
		char *text = json_dumps(arr, JSON_COMPACT);
		printf("%s\n", text ? text : "[]");
		free(text);
		json_decref(arr);
	} else {
		double paid = 0;
		for (int i = 0; i < n; i++) {
			paid += v[i].has_paid ? v[i].paid : 0;
			printf("%5lld  %d  %-9s %-12s %-12s %-12s %s · %s\n", v[i].id, v[i].year, v[i].status,
			       fmt_money(&a, v[i].entitled), v[i].has_approved ? fmt_money(&a, v[i].approved) : "-",
			       v[i].has_paid ? fmt_money(&a, v[i].paid) : "-", v[i].base_name, v[i].measure_title);
		}
		printf("%d applications (id, year, status, entitled, approved, paid); paid in all %s\n", n, fmt_money(&a, paid));
	}
	store_close(s);
	arena_free(&a);
	return rc;
}
