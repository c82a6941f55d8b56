/*
 * cli_policy.c — `hatchery policy check FILE` and `hatchery policy load
 * --db DB FILE`: a policy file (docs/POLICY-FORMAT.md) checked, naming the
 * first problem by its place, or loaded (replacing the document of the same
 * code; applications keep their measures).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
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
		if (policy_load(s, &a, text, len, pos[0], "cli", err, sizeof err) == H_OK && store_commit(s) == H_OK) {
			printf("%s: loaded\n", pos[0]);
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
