/*
 * cli_transfer.c — `hatchery import` and `hatchery export`: the registry's
 * record kinds and the targets grid in and out of spreadsheets from the
 * command line, through the same domain workflows as the pages and the API
 * (transfer.c, targets.c): the same row-exact Chinese errors, the same
 * all-or-nothing rule, audited as the named user (--as), or else as the
 * actor "cli" with the office's rights (whoever can write the database file
 * can do everything anyway).
 *
 * Exit status: 0 only when everything was done (import: every row written,
 * or with --mode check every row good; export: the file written), 1 when
 * not, 2 for a usage mistake.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "domain.h"
#include "session.h"
#include "upload.h"

#define CLI_MAX_FILE_BYTES (64u * 1024 * 1024) /* an import file read whole */
#define TARGETS_SHEET "目标分解"

/* Opens db and reads its plan; NULL after saying why. */
static Store *open_db(const char *cmd, const char *db, Arena *a, Plan **plan)
{
	char err[512];
	if (access(db, F_OK) != 0) {
		fprintf(stderr, "hatchery %s: %s does not exist: create it with `hatchery init --db %s`\n", cmd, db, db);
		return NULL;
	}
	Store *s = store_open(db, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery %s: %s\n", cmd, err);
		return NULL;
	}
	const char *json = store_plan_json(s, a);
	*plan = json ? plan_parse(a, json, strlen(json), "stored plan", err, sizeof err) : NULL;
	if (!*plan) {
		fprintf(stderr, "hatchery %s: %s holds no usable plan: %s\n", cmd, db, json ? err : "run `hatchery init` first");
		store_close(s);
		return NULL;
	}
	return s;
}

/* The actor: the user named by --as (enabled, with its role and scope), or
 * the command line itself with the office's rights. 0 after saying why not. */
static int make_actor(const char *cmd, Store *s, Arena *a, const Plan *p, const char *as, Actor *who)
{
	*who = (Actor){.name = "cli", .role = ROLE_ADMIN, .scope = NULL, .addr = "cli", .plan = p, .arena = a};
	if (!as)
		return 1;
	User u;
	int found = store_user_by_name(s, a, as, &u);
	if (found < 0) {
		fprintf(stderr, "hatchery %s: %s\n", cmd, store_errmsg(s));
		return 0;
	}
	if (!found || u.disabled) {
		fprintf(stderr, "hatchery %s: 没有名为“%s”的可用账号（--as）；`hatchery user list` 列出全部用户。\n", cmd, as);
		return 0;
	}
	who->name = u.name;
	who->role = role_from_code(u.role);
	who->scope = u.scope;
	return 1;
}

/* Reads a whole file, at most CLI_MAX_FILE_BYTES; NULL after saying why. */
static char *read_file(const char *cmd, const char *path, Arena *a, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "hatchery %s: cannot read %s: %s\n", cmd, path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > CLI_MAX_FILE_BYTES) {
		fprintf(stderr, "hatchery %s: %s is not a regular file of at most %u MiB\n", cmd, path,
		        CLI_MAX_FILE_BYTES / (1024 * 1024));
		fclose(f);
		return NULL;
	}
	char *data = arena_alloc(a, (size_t)st.st_size + 1);
	size_t n = fread(data, 1, (size_t)st.st_size, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n != (size_t)st.st_size) {
		fprintf(stderr, "hatchery %s: cannot read %s\n", cmd, path);
		return NULL;
	}
	*len = n;
	return data;
}

/* Whether path ends with ext (".csv"), ignoring case. */
static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n >= e && strcasecmp(path + n - e, ext) == 0;
}

/* Prints an import's row errors (to stderr) and what it did (to stdout). */
static void print_answer(const char *cmd, const char *kind, json_t *answer, DomResult res)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(answer, "errors"), i, e) {
		const char *cell = json_string_value(json_object_get(e, "cell"));
		const char *column = json_string_value(json_object_get(e, "column"));
		fprintf(stderr, "第 %lld 行%s%s%s%s:%s\n", (long long)json_integer_value(json_object_get(e, "row")),
		        cell ? "," : "", cell ? cell : "", column && *column ? " " : "", column ? column : "",
		        json_string_value(json_object_get(e, "message")));
	}
	/* what each row was (or would be): 第 5 行：已存在，已更新 */
	json_array_foreach(json_object_get(answer, "results"), i, e)
		printf("%s\n", json_string_value(json_object_get(e, "message")));
	long long count = json_integer_value(json_object_get(answer, "error_count"));
	if (json_is_true(json_object_get(answer, "errors_truncated")))
		fprintf(stderr, "（共 %lld 处错误，以上只列出前 %zu 处）\n", count, json_array_size(json_object_get(answer, "errors")));
	if (res.code == DOM_OK)
		printf("%s %s: %s\n", cmd, kind, res.message ? res.message : "完成。");
	else
		fprintf(stderr, "hatchery %s %s: %s\n", cmd, kind, res.message);
}

/* hatchery import KIND FILE --db F [--mode check|all|good] [--as USER] */
int cmd_import(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--mode", 1, NULL}, {"--as", 1, NULL}};
	const char *pos[2];
	int npos = cli_parse("import", argc, argv, opts, 3, pos, 2);
	if (npos < 0)
		return 2;
	if (npos != 2 || !opts[0].value)
		return cli_usage("import");
	const char *kind = pos[0], *path = pos[1];
	int targets = strcmp(kind, "targets") == 0;
	const Kind *k = targets ? NULL : kind_by_name(kind);
	if (!targets && !k) {
		fprintf(stderr, "hatchery import: 没有“%s”这类记录；KIND 应为 bases、operators、funds、investments、projects、firms 或 targets。\n",
		        kind);
		return 2;
	}
	ImportMode mode;
	if (!import_mode_parse(opts[1].value ? opts[1].value : "all", &mode) || (targets && mode == IMPORT_GOOD)) {
		fprintf(stderr, "hatchery import: --mode 应为 check（只检查）、all（全部无误才导入）%s。\n",
		        targets ? "" : "或 good（只导入无误的行）");
		return 2;
	}
	Arena a = {0};
	Plan *plan;
	int rc = 1;
	size_t len = 0;
	char *data = read_file("import", path, &a, &len);
	Store *s = data ? open_db("import", opts[0].value, &a, &plan) : NULL;
	Actor who;
	if (!s || !make_actor("import", s, &a, plan, opts[2].value, &who))
		goto done;
	char err[512] = "";
	const char *format;
	XlsxSheet *sh = upload_sheet(&a, data, len, has_ext(path, ".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : NULL,
	                             targets ? TARGETS_SHEET : NULL, &format, err, sizeof err);
	if (!sh) {
		fprintf(stderr, "hatchery import: %s: %s\n", path, err[0] ? err : "无法读取该文件；请使用 .xlsx 或 .csv 文件。");
		goto done;
	}
	json_t *answer = NULL;
	DomResult res = targets ? targets_import(s, &who, sh, mode, &answer) : transfer_import(s, &who, k, sh, mode, &answer);
	print_answer("import", kind, answer, res);
	if (res.code == DOM_OK) {
		long long bad = json_integer_value(json_object_get(answer, "bad")) + json_integer_value(json_object_get(answer, "error_count"));
		rc = bad ? 1 : 0; /* everything written (or, checking, everything good) */
	}
	json_decref(answer);
done:
	if (s)
		store_close(s);
	arena_free(&a);
	return rc;
}

/* hatchery export KIND --db F -o FILE [--area CODE] [--format xlsx|csv] [--as USER] */
int cmd_export(int argc, char **argv)
{
	/* -o is --output */
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		fatal("out of memory");
	for (int i = 0; i < argc; i++)
		args[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
	Opt opts[] = {{"--db", 1, NULL}, {"--output", 1, NULL}, {"--area", 1, NULL}, {"--format", 1, NULL}, {"--as", 1, NULL}};
	const char *pos[1];
	int npos = cli_parse("export", argc, args, opts, 5, pos, 1);
	free(args);
	if (npos < 0)
		return 2;
	if (npos != 1 || !opts[0].value || !opts[1].value)
		return cli_usage("export");
	const char *kind = pos[0], *out_path = opts[1].value, *fmt = opts[3].value;
	int targets = strcmp(kind, "targets") == 0;
	const Kind *k = targets ? NULL : kind_by_name(kind);
	if (!targets && !k) {
		fprintf(stderr, "hatchery export: 没有“%s”这类记录；KIND 应为 bases、operators、funds、investments、projects、firms 或 targets。\n",
		        kind);
		return 2;
	}
	ExportFormat format = fmt ? (strcmp(fmt, "csv") == 0 ? EXPORT_CSV : EXPORT_XLSX) : has_ext(out_path, ".csv") ? EXPORT_CSV : EXPORT_XLSX;
	if ((fmt && strcmp(fmt, "csv") && strcmp(fmt, "xlsx")) || (targets && (format == EXPORT_CSV || opts[2].value))) {
		fprintf(stderr, "hatchery export: --format 应为 xlsx 或 csv%s。\n", targets ? "（目标分解只导出 .xlsx，不按区域筛选）" : "");
		return 2;
	}
	Arena a = {0};
	Plan *plan;
	int rc = 1;
	Buf out = {0};
	Store *s = open_db("export", opts[0].value, &a, &plan);
	Actor who;
	if (!s || !make_actor("export", s, &a, plan, opts[4].value, &who))
		goto done;
	if (opts[2].value && !plan_area(plan, opts[2].value)) {
		fprintf(stderr, "hatchery export: 没有代码为“%s”的区域；区域代码见 /api/v1/areas。\n", opts[2].value);
		goto done;
	}
	RecordFilter f = {.area = opts[2].value};
	long long total = 0, rows = 0;
	/* written beside, then moved into place: never half a file */
	char *tmp = arena_printf(&a, "%s.tmp-%ld", out_path, (long)getpid());
	if (targets) {
		DomResult res = targets_grid(s, &who, 1, &out);
		if (res.code != DOM_OK) {
			fprintf(stderr, "hatchery export %s: %s\n", kind, res.message);
			goto done;
		}
		FILE *fo = fopen(tmp, "wb");
		int ok = fo && fwrite(out.data, 1, out.len, fo) == out.len;
		ok = fo && fclose(fo) == 0 && ok;
		if (!ok || rename(tmp, out_path) != 0) {
			fprintf(stderr, "hatchery export: cannot write %s: %s\n", out_path, strerror(errno));
			unlink(tmp);
			goto done;
		}
		printf("export targets: %s (%zu 字节)\n", out_path, out.len);
		rc = 0;
		goto done;
	}
	/* the same writer as the server's download, onto the file as it is made */
	TransferExport *e;
	DomResult res = transfer_export_open(s, &who, k, &f, format, &e, &total);
	if (res.code != DOM_OK) {
		fprintf(stderr, "hatchery export %s: %s\n", kind, res.message);
		goto done;
	}
	FILE *fo = fopen(tmp, "wb");
	int ok = fo != NULL, failed = 0;
	size_t bytes = 0;
	char piece[65536];
	long n = 0;
	while (ok && (n = transfer_export_read(e, piece, sizeof piece)) > 0) {
		ok = fwrite(piece, 1, (size_t)n, fo) == (size_t)n;
		bytes += (size_t)n;
	}
	if (n < 0) {
		failed = 1;
		fprintf(stderr, "hatchery export %s: 导出失败：%s\n", kind, transfer_export_error(e));
	}
	int write_errno = errno;
	rows = transfer_export_rows(e);
	transfer_export_close(e);
	if (fo && fclose(fo) != 0)
		ok = 0, write_errno = errno;
	if (failed || !ok || rename(tmp, out_path) != 0) {
		if (!failed)
			fprintf(stderr, "hatchery export: cannot write %s: %s\n", out_path, strerror(ok ? errno : write_errno));
		unlink(tmp);
		goto done;
	}
	printf("export %s: %s，共 %lld 条%s\n", kind, out_path, rows, total > rows ? "（超过上限，只导出前面的部分）" : "");
	(void)bytes;
	rc = total > rows ? 1 : 0;
done:
	buf_free(&out);
	if (s)
		store_close(s);
	arena_free(&a);
	return rc;
}
