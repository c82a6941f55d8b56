/*
 * cli_bulletin.c — `hatchery bulletin make`: a month's bulletin (通报) as a
 * PDF, Word or Excel file. The newest published bulletin of the month is
 * written as it was frozen; without one, the document is generated from
 * the data as it is now and marked as a draft (--save also keeps it as a
 * draft in the database, as the office would make it on /bulletins).
 * `hatchery bulletin list` prints the archive. `hatchery bulletin render`
 * is the server's child (render_child.h): a stored document on stdin, the
 * file on stdout. The work is bulletins.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletins.h"
#include "cli.h"

/* The newest published bulletin of period (1), none (0), or an error (-1). */
static int published_of(Store *s, const Actor *who, const char *period, BulletinRec *out)
{
	BulletinRec *list = NULL;
	int n = 0;
	if (bulletin_list(s, who, &list, &n).code != DOM_OK)
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].status, "published") && !strcmp(list[i].period, period) && !list[i].corrected_by_id)
			return bulletin_get(s, who, list[i].id, out).code == DOM_OK ? 1 : -1;
	return 0;
}

int cmd_bulletin_make(int argc, char **argv)
{
	/* -o is --output */
	char **args = xcalloc((size_t)argc + 1, sizeof *args);
	for (int i = 0; i < argc; i++)
		args[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
	Opt opts[] = {{"--db", 1, NULL}, {"--period", 1, NULL}, {"--format", 1, NULL}, {"--output", 1, NULL},
	              {"--as-of", 1, NULL}, {"--number", 1, NULL}, {"--save", 0, NULL}, {"--draft", 0, NULL}};
	int parsed = cli_parse("bulletin make", argc, args, opts, 8, NULL, 0);
	free(args);
	if (parsed < 0)
		return 2;
	if (!opts[0].value || !opts[1].value || !opts[3].value) {
		fprintf(stderr, "hatchery bulletin make: --db, --period and -o (--output) are required\n");
		return cli_usage("bulletin make");
	}
	BulletinFormat f = BULLETIN_PDF;
	if (opts[2].value && !bulletin_format_parse(opts[2].value, &f)) {
		fprintf(stderr, "hatchery bulletin make: --format is pdf, docx or xlsx\n");
		return 2;
	}
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Actor who = {.name = "cli", .role = ROLE_ADMIN, .addr = "cli", .plan = p, .arena = &a};
	BulletinInput in = {opts[1].value, opts[4].value, opts[5].value, 0, NULL};
	BulletinRec b;
	int rc = 0, found = opts[7].value ? 0 : published_of(s, &who, opts[1].value, &b);
	Buf out = {0};
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	if (found < 0) {
		res = dom_store_failed();
	} else if (found) {
		res = bulletin_render(&who, &b, f, &out, NULL);
		if (res.code == DOM_OK)
			fprintf(stderr, "%s（已印发，内容校验码 %s）\n", b.number, b.content_sha256);
	} else if (opts[6].value) {
		long long id = 0;
		res = bulletin_make(s, &who, &in, &id);
		if (res.code == DOM_OK && (res = bulletin_get(s, &who, id, &b)).code == DOM_OK) {
			res = bulletin_render(&who, &b, f, &out, NULL);
			fprintf(stderr, "%s（草稿，编号 %lld）\n", b.number, id);
		}
	} else {
		Doc *d = NULL;
		res = bulletin_preview(s, &who, &in, &d);
		if (res.code == DOM_OK) {
			char err[256] = "";
			int ok = f == BULLETIN_PDF    ? doc_pdf(d, &out, NULL, err, sizeof err)
			         : f == BULLETIN_DOCX ? doc_docx(d, &out, err, sizeof err)
			                              : doc_xlsx(d, &out, err, sizeof err);
			if (ok != H_OK)
				res = dom_result(DOM_FAILED, "render_failed", arena_strdup(&a, err));
			else
				fprintf(stderr, "%s（草稿，未保存）\n", d->number);
		}
	}
	if (res.code != DOM_OK) {
		fprintf(stderr, "hatchery bulletin make: %s\n", res.message ? res.message : "failed");
		rc = res.code == DOM_FAILED ? 1 : 2;
	} else {
		FILE *fp = strcmp(opts[3].value, "-") ? fopen(opts[3].value, "wb") : stdout;
		if (!fp || fwrite(out.data, 1, out.len, fp) != out.len || (fp != stdout && fclose(fp) != 0)) {
			fprintf(stderr, "hatchery bulletin make: cannot write %s\n", opts[3].value);
			rc = 1;
		}
	}
	buf_free(&out);
	store_close(s);
	arena_free(&a);
	return rc;
}

int cmd_bulletin_list(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	if (cli_parse("bulletin list", argc, argv, opts, 1, NULL, 0) < 0)
		return 2;
	if (!opts[0].value)
		return cli_usage("bulletin list");
	Arena a = {0};
	Plan *p;
	Store *s = cli_open_with_plan(opts[0].value, &a, &p);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	Actor who = {.name = "cli", .role = ROLE_ADMIN, .addr = "cli", .plan = p, .arena = &a};
	BulletinRec *list = NULL;
	int n = 0, rc = 0;
	if (bulletin_list(s, &who, &list, &n).code != DOM_OK) {
		fprintf(stderr, "hatchery bulletin list: %s\n", store_errmsg(s));
		rc = 1;
	}
	for (int i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\t%s\n", list[i].id, list[i].number, list[i].period, list[i].status,
		       list[i].content_sha256 ? list[i].content_sha256 : "-", list[i].title);
	store_close(s);
	arena_free(&a);
	return rc;
}

/* The most a stored document may be (the national bulletin's is ~0.5 MB). */
#define RENDER_INPUT_MAX (32u * 1024 * 1024)

int cmd_bulletin_render(int argc, char **argv)
{
	Opt opts[] = {{"--format", 1, NULL}, {"--draft", 0, NULL}};
	if (cli_parse("bulletin render", argc, argv, opts, 2, NULL, 0) < 0)
		return 2;
	BulletinFormat f;
	if (!opts[0].value || !bulletin_format_parse(opts[0].value, &f)) {
		fprintf(stderr, "hatchery bulletin render: --format is pdf, docx or xlsx\n");
		return 2;
	}
	Buf in = {0}, out = {0};
	for (;;) {
		buf_grow(&in, 65536);
		size_t k = fread(in.data + in.len, 1, 65536, stdin);
		in.len += k;
		in.data[in.len] = 0;
		if (in.len > RENDER_INPUT_MAX) {
			fprintf(stderr, "hatchery bulletin render: the document is over %u MB\n", RENDER_INPUT_MAX >> 20);
			buf_free(&in);
			return 1;
		}
		if (k == 0)
			break;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "hatchery bulletin render: cannot read the document\n");
		buf_free(&in);
		return 1;
	}
	Arena a = {0};
	char err[256] = "";
	int rc = 0;
	if (bulletin_render_content(&a, in.data, in.len, opts[1].value != NULL, f, &out, NULL, err, sizeof err) != H_OK) {
		fprintf(stderr, "hatchery bulletin render: %s\n", *err ? err : "failed");
		rc = 1;
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "hatchery bulletin render: cannot write the file\n");
		rc = 1;
	}
	buf_free(&in);
	buf_free(&out);
	arena_free(&a);
	return rc;
}
