/*
 * cli_competition.c — `hatchery competition --period P` (the 六比竞赛's
 * ranking as text or JSON). The work is competition.c's; this parses
 * options and prints; `hatchery assessment --year Y` (the yearly 考核 as
 * text, JSON or the .xlsx for the 考绩办), appraisal.c's work.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_competition.h"
#include "appraisal.h"
#include "competition.h"

static void print_json(json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT);
	printf("%s\n", t);
	free(t);
	json_decref(j);
}

/* "↑2", "↓1", "→", "新" */
static const char *move(char *buf, size_t n, int has_prev, int change)
{
	if (!has_prev)
		snprintf(buf, n, "新");
	else if (change > 0)
		snprintf(buf, n, "↑%d", change);
	else if (change < 0)
		snprintf(buf, n, "↓%d", -change);
	else
		snprintf(buf, n, "→");
	return buf;
}

int cmd_competition(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--period", 1, NULL}, {"--as-of", 1, NULL}, {"--json", 0, NULL}};
	if (cli_parse("competition", argc, argv, opts, 4, NULL, 0) < 0)
		return 2;
	if (!opts[0].value || !opts[1].value) {
		fprintf(stderr, "hatchery competition: --db and --period are required\n");
		return cli_usage("competition");
	}
	if (opts[2].value && !date_valid(opts[2].value)) {
		fprintf(stderr, "hatchery competition: --as-of must be a date YYYY-MM-DD, not %s\n", opts[2].value);
		return 2;
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Competition c;
	DomResult r = competition_compute(s, p, opts[1].value, opts[2].value, &c);
	int rc = 0;
	if (!dom_done(r)) {
		fprintf(stderr, "hatchery competition: %s\n", r.message);
		rc = r.code == DOM_FAILED ? 1 : 2;
	} else if (opts[3].value) {
		print_json(competition_json(&c));
	} else {
		const CompMethod *m = c.method;
		printf("%s %s（%s 至 %s），数据截至 %s%s%s%s\n", m->name, c.period.label, c.period.from, c.period.to, c.as_of,
		       c.has_prev ? "，与" : "", c.has_prev ? c.prev.label : "", c.has_prev ? "相比" : "");
		for (int g = -1; g < m->ngroups; g++) {
			if (g < 0) /* areas of no group first, when there are any */
			{
				int any = 0;
				for (int i = 0; i < c.nrows; i++)
					any |= c.rows[i].group < 0;
				if (!any)
					continue;
			}
			printf("\n%s\n  名次  变化   得分  全市  进步  区域\n", g < 0 ? "未分组" : m->groups[g].name);
			for (int rank = 0; rank <= c.nrows; rank++) /* by rank, the unranked (0) last */
				for (int i = 0; i < c.nrows; i++) {
					const CompRow *w = &c.rows[i];
					int rg = g < 0 ? w->rank_all : w->rank_group;
					if (w->group != g || rg != (rank == c.nrows ? 0 : rank + 1))
						continue;
					char mv[16];
					printf("  %4s  %-4s %6.1f  %4d  %4s  %s\n", rg ? arena_printf(&a, "%d", rg) : "—",
					       move(mv, sizeof mv, w->has_prev, g < 0 ? w->change_all : w->change_group), w->score,
					       w->rank_all, w->progress_rank_group ? arena_printf(&a, "%d", w->progress_rank_group) : "—",
					       w->area->name);
				}
		}
	}
	competition_free(&c);
	store_close(s);
	arena_free(&a);
	return rc;
}

int cmd_assessment(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--year", 1, NULL}, {"--as-of", 1, NULL}, {"--json", 0, NULL}, {"--output", 1, NULL}};
	char **args = xmalloc(sizeof *args * (size_t)(argc + 1)); /* -o is --output */
	for (int i = 0; i < argc; i++)
		args[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
	int bad = cli_parse("assessment", argc, args, opts, 5, NULL, 0) < 0;
	free(args);
	if (bad)
		return 2;
	long long year;
	if (!opts[0].value || !opts[1].value) {
		fprintf(stderr, "hatchery assessment: --db and --year are required\n");
		return cli_usage("assessment");
	}
	if (!parse_int(opts[1].value, 1900, 2200, &year)) {
		fprintf(stderr, "hatchery assessment: --year must be a year, not %s\n", opts[1].value);
		return 2;
	}
	if (opts[2].value && !date_valid(opts[2].value)) {
		fprintf(stderr, "hatchery assessment: --as-of must be a date YYYY-MM-DD, not %s\n", opts[2].value);
		return 2;
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Appraisal x;
	DomResult r = appraisal_compute(s, p, (int)year, opts[2].value, &x);
	int rc = 0;
	char err[256];
	if (!dom_done(r)) {
		fprintf(stderr, "hatchery assessment: %s\n", r.message);
		rc = r.code == DOM_FAILED ? 1 : 2;
	} else if (opts[4].value) {
		if (appraisal_xlsx(&x, opts[4].value, NULL, err, sizeof err) != H_OK) {
			fprintf(stderr, "hatchery assessment: %s\n", err);
			rc = 1;
		} else {
			printf("%s：%d 个区域，%d 年度，数据截至 %s\n", opts[4].value, x.nrows, x.year, x.to);
		}
	} else if (opts[3].value) {
		print_json(appraisal_json(&x));
	} else {
		printf("%s %d 年度（%s 至 %s），满分 %g\n", x.rules->m.name, x.year, x.from, x.to, x.rules->total);
		if (x.warning)
			printf("%s\n", x.warning);
		printf("  全市  组内   总分  指标得分  扣分  迟报  退回  区域\n");
		for (int rank = 1; rank <= x.nrows; rank++)
			for (int i = 0; i < x.nrows; i++) {
				const AppraisalRow *w = &x.rows[i];
				if (w->rank_all != rank)
					continue;
				printf("  %4d  %4d  %5.1f  %8.1f  %4.1f  %4d  %4d  %s\n", w->rank_all, w->rank_group, w->score, w->base,
				       w->deducted, w->late, w->returned, w->area->name);
			}
	}
	appraisal_free(&x);
	store_close(s);
	arena_free(&a);
	return rc;
}
