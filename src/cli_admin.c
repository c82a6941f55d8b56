/*
 * cli_admin.c — the operations commands: backup, restore, audit.
 * Each prints what it did; errors say what is wrong and what to do, and
 * exit 1 (a failure) or 2 (a usage mistake), like cli.c's commands.
 *
 * Their entries for cli.c's command table (copy as they are; declare the
 * functions by including "cli_admin.h"):
 *
 *	{"backup", cmd_backup, "hatchery backup --db FILE OUT",
 *	 "Copies the database into the new file OUT, one consistent snapshot taken with SQLite's\n"
 *	 "backup API; safe while `hatchery serve` runs. Refuses an OUT that exists, checks the copy's\n"
 *	 "integrity, and leaves nothing behind when it fails. See docs/OPERATIONS.md.\n"
 *	 "备份数据库到新文件 OUT(一致的快照,服务运行时也可执行);OUT 已存在时拒绝;完成后检查完整性。"},
 *	{"restore", cmd_restore, "hatchery restore --db FILE IN",
 *	 "Replaces the database FILE by the backup IN. Stop the server first. IN is checked before\n"
 *	 "anything changes (an intact hatchery database of a schema version this program knows); an\n"
 *	 "older backup is migrated up. Prints the schema version and the record counts restored.\n"
 *	 "用备份 IN 替换数据库 FILE。请先停止服务。先检查备份文件,有问题时不做任何改动;打印恢复后的版本和记录数。"},
 *	{"audit", cmd_audit,
 *	 "hatchery audit --db FILE [--user NAME] [--kind KIND] [--id ID] [--since DATE] [--until DATE] "
 *	 "[--limit N] [--offset N] [--json]",
 *	 "Lists the audit trail, newest first: who changed which record, when, from where, and the\n"
 *	 "record before and after. Dates are YYYY-MM-DD (UTC, both ends included); --limit is 1 to\n"
 *	 "1000 (default 50); --json prints one JSON object per line.\n"
 *	 "查看审计日志(最新在前):谁在何时从何处修改了哪条记录,以及修改前后的内容。日期格式 YYYY-MM-DD(UTC)。"},
 */
#include "cli_admin.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "store_admin.h"

/* Says so and returns 0 when the database file db is missing. */
static int db_exists(const char *cmd, const char *db)
{
	if (access(db, F_OK) == 0)
		return 1;
	fprintf(stderr, "hatchery %s: %s does not exist: name the database with --db (see `hatchery help %s`)\n", cmd,
	        db, cmd);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	const char *pos[1];
	int n = cli_parse("backup", argc, argv, opts, 1, pos, 1);
	if (n < 0)
		return 2;
	if (!opts[0].value || n != 1) {
		fprintf(stderr, "hatchery backup: --db FILE and the new backup file OUT are required\n");
		return cli_usage("backup");
	}
	const char *db = opts[0].value, *out = pos[0];
	if (!db_exists("backup", db))
		return 1;
	char err[1024];
	/* Open only: a backup copies the database as it is, whatever its schema version. */
	Store *s = store_open(db, STORE_NO_MIGRATE, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	int rc = 1;
	if (store_backup_to(s, out, err, sizeof err) != H_OK) {
		fprintf(stderr, "hatchery backup: %s\n", err);
	} else {
		struct stat sb;
		long long size = stat(out, &sb) == 0 ? (long long)sb.st_size : -1;
		printf("backup: %s → %s (schema version %d, %lld bytes, integrity ok)\n", db, out, store_version(s), size);
		rc = 0;
	}
	store_close(s);
	return rc;
}

/* Appends the restore, with the backup's full path, to the audit trail of
 * the restored database. */
static int audit_restore(Store *s, const char *in)
{
	char *full = realpath(in, NULL);
	json_t *after = json_pack("{s:s}", "from", full ? full : in);
	free(full);
	char *text = after ? json_dumps(after, JSON_COMPACT) : NULL;
	int rc = store_audit(s, NULL, NULL, "restore", "database", NULL, NULL, text);
	free(text);
	json_decref(after);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	const char *pos[1];
	int n = cli_parse("restore", argc, argv, opts, 1, pos, 1);
	if (n < 0)
		return 2;
	if (!opts[0].value || n != 1) {
		fprintf(stderr, "hatchery restore: --db FILE and the backup file IN are required\n");
		return cli_usage("restore");
	}
	const char *db = opts[0].value, *in = pos[0];
	char err[1024];
	if (store_restore_from(db, in, err, sizeof err) != H_OK) {
		fprintf(stderr, "hatchery restore: %s\n", err);
		return 1;
	}
	Store *s = store_open(db, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	int rc = 1;
	RegistryCounts c;
	if (audit_restore(s, in) != H_OK || store_registry_counts(s, &c) != H_OK) {
		fprintf(stderr, "hatchery restore: %s was restored, but: %s\n", db, store_errmsg(s));
	} else {
		printf("restored %s from %s: schema version %d; %lld bases, %lld operators, %lld funds, "
		       "%lld investments, %lld projects, %lld firms, %lld report figures, %lld users, %lld audit rows\n",
		       db, in, store_version(s), c.bases, c.operators, c.funds, c.investments, c.projects, c.firms,
		       c.report_figures, c.users, c.audit);
		rc = 0;
	}
	store_close(s);
	return rc;
}

/* ---- audit ---- */

/* Terminal cells s takes: East Asian wide characters count two. Bytes
 * that are not UTF-8 count one each. */
static int display_width(const char *s)
{
	int w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = *p;
		int len = 1;
		if (cp >= 0xf0 && p[1] && p[2] && p[3]) {
			cp = ((cp & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
			len = 4;
		} else if (cp >= 0xe0 && p[1] && p[2]) {
			cp = ((cp & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
			len = 3;
		} else if (cp >= 0xc0 && p[1]) {
			cp = ((cp & 0x1fu) << 6) | (p[1] & 0x3fu);
			len = 2;
		}
		w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
		             (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
		             (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000
		         ? 2
		         : 1;
		p += len;
	}
	return w;
}

/* text as compact JSON (one line) when it parses, else as it is; "-" for NULL. */
static const char *compact_json(Arena *a, const char *text)
{
	if (!text)
		return "-";
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	if (!j)
		return text;
	char *c = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	const char *out = c ? arena_strdup(a, c) : text;
	free(c);
	return out;
}

/* A JSON string, or null for NULL (and for text jansson refuses as not UTF-8). */
static json_t *json_str_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

/* A stored JSON text as a JSON value: parsed when it parses, else a string. */
static json_t *json_embedded(const char *text)
{
	if (!text)
		return json_null();
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	return j ? j : json_str_or_null(text);
}

/* Prints one row as one line of JSON. */
static void print_audit_json(const AuditRow *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "at", json_str_or_null(r->at));
	json_object_set_new(o, "user", json_str_or_null(r->user_name));
	json_object_set_new(o, "addr", json_str_or_null(r->addr));
	json_object_set_new(o, "action", json_str_or_null(r->action));
	json_object_set_new(o, "kind", json_str_or_null(r->record_kind));
	json_object_set_new(o, "record_id", json_str_or_null(r->record_id));
	json_object_set_new(o, "before", json_embedded(r->before_json));
	json_object_set_new(o, "after", json_embedded(r->after_json));
	char *line = json_dumps(o, JSON_COMPACT);
	if (line)
		puts(line);
	free(line);
	json_decref(o);
}

enum { AUDIT_COLS = 8 };

/* Prints the rows as a table with a header; the last column is not padded. */
static void print_audit_table(Arena *a, const AuditRow *rows, int n)
{
	static const char *const head[AUDIT_COLS] = {"ID", "AT (UTC)", "USER", "ADDR", "ACTION", "KIND", "RECORD",
	                                             "BEFORE → AFTER"};
	const char **cells = arena_alloc(a, sizeof *cells * AUDIT_COLS * (size_t)(n + 1));
	int width[AUDIT_COLS] = {0};
	for (int c = 0; c < AUDIT_COLS; c++)
		cells[c] = head[c];
	for (int i = 0; i < n; i++) {
		const AuditRow *r = &rows[i];
		const char **row = cells + AUDIT_COLS * (i + 1);
		row[0] = arena_printf(a, "%lld", r->id);
		row[1] = r->at ? r->at : "-";
		row[2] = r->user_name ? r->user_name : "-";
		row[3] = r->addr ? r->addr : "-";
		row[4] = r->action ? r->action : "-";
		row[5] = r->record_kind ? r->record_kind : "-";
		row[6] = r->record_id ? r->record_id : "-";
		row[7] = r->before_json || r->after_json ? arena_printf(a, "%s → %s", compact_json(a, r->before_json),
		                                                        compact_json(a, r->after_json))
		                                         : "";
	}
	for (int i = 0; i <= n; i++)
		for (int c = 0; c < AUDIT_COLS - 1; c++) {
			int w = display_width(cells[AUDIT_COLS * i + c]);
			if (w > width[c])
				width[c] = w;
		}
	Buf line = {0};
	for (int i = 0; i <= n; i++) {
		const char **row = cells + AUDIT_COLS * i;
		buf_reset(&line);
		for (int c = 0; c < AUDIT_COLS - 1; c++)
			buf_printf(&line, "%s%*s", row[c], width[c] - display_width(row[c]) + 2, "");
		buf_puts(&line, row[AUDIT_COLS - 1]);
		while (line.len && line.data[line.len - 1] == ' ') /* no padding after the last word */
			line.data[--line.len] = 0;
		puts(buf_str(&line));
	}
	buf_free(&line);
}

/* Reads a whole number from min to max into *out; 0 when value is not one. */
static int opt_int(const char *value, long min, long max, int *out)
{
	long long v;
	if (!parse_int(value, min, max, &v))
		return 0;
	*out = (int)v;
	return 1;
}

int cmd_audit(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL},    {"--user", 1, NULL},  {"--kind", 1, NULL},   {"--id", 1, NULL},
	              {"--since", 1, NULL}, {"--until", 1, NULL}, {"--limit", 1, NULL},  {"--offset", 1, NULL},
	              {"--json", 0, NULL}};
	if (cli_parse("audit", argc, argv, opts, (int)ARRAY_LEN(opts), NULL, 0) < 0)
		return 2;
	const char *db = opts[0].value;
	if (!db) {
		fprintf(stderr, "hatchery audit: --db FILE is required\n");
		return cli_usage("audit");
	}
	AuditFilter f = {.user = opts[1].value, .kind = opts[2].value, .record_id = opts[3].value,
	                 .since = opts[4].value, .until = opts[5].value};
	for (int k = 4; k <= 5; k++)
		if (opts[k].value && !date_valid(opts[k].value)) {
			fprintf(stderr, "hatchery audit: %s wants a date YYYY-MM-DD, e.g. 2024-03-31 (got \"%s\")\n",
			        opts[k].name, opts[k].value);
			return 2;
		}
	if (f.since && f.until && strcmp(f.since, f.until) > 0) {
		fprintf(stderr, "hatchery audit: --since %s is after --until %s: give the earlier date to --since\n",
		        f.since, f.until);
		return 2;
	}
	f.limit = 50;
	if (opts[6].value && !opt_int(opts[6].value, 1, 1000, &f.limit)) {
		fprintf(stderr, "hatchery audit: --limit wants a number from 1 to 1000 (got \"%s\")\n", opts[6].value);
		return 2;
	}
	if (opts[7].value && !opt_int(opts[7].value, 0, 1000000000L, &f.offset)) {
		fprintf(stderr, "hatchery audit: --offset wants a number from 0 (got \"%s\")\n", opts[7].value);
		return 2;
	}
	int json = opts[8].value != NULL;
	if (!db_exists("audit", db))
		return 1;

	char err[512];
	Store *s = store_open(db, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	Arena a = {0};
	AuditRow *rows;
	long long total = 0;
	int n = store_audit_list(s, &a, &f, &rows, &total);
	int rc = 1;
	if (n < 0) {
		fprintf(stderr, "hatchery audit: %s\n", store_errmsg(s));
	} else {
		rc = 0;
		if (json) {
			for (int i = 0; i < n; i++)
				print_audit_json(&rows[i]);
		} else if (n == 0) {
			if (total)
				printf("no audit rows past --offset %d (%lld match)\n", f.offset, total);
			else
				printf("no audit rows match\n");
		} else {
			print_audit_table(&a, rows, n);
			if (f.offset > 0 || f.offset + n < total)
				printf("rows %d–%d of %lld%s\n", f.offset + 1, f.offset + n, total,
				       f.offset + n < total ? arena_printf(&a, "; more with --offset %d", f.offset + n) : "");
		}
	}
	arena_free(&a);
	store_close(s);
	return rc;
}

/* `check`: the kept totals (measure_total, record_count) against a full
 * recomputation from the records; lists what differs, exit 1 when anything
 * does. Reads one snapshot; safe while the server runs. */
int cmd_check(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	if (cli_parse("check", argc, argv, opts, 1, NULL, 0) < 0)
		return 2;
	const char *db = opts[0].value;
	if (!db) {
		fprintf(stderr, "hatchery check: --db FILE is required\n");
		return cli_usage("check");
	}
	if (!db_exists("check", db))
		return 1;
	char err[512];
	Store *s = store_open(db, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	Arena a = {0};
	char **lines;
	long long rows = 0;
	int n = store_measures_check(s, &a, 50, &lines, &rows);
	int rc = 1;
	if (n < 0) {
		fprintf(stderr, "hatchery check: %s\n", store_errmsg(s));
	} else if (n == 0) {
		printf("progress totals and record counts exact: %lld totals rows equal a full recomputation\n", rows);
		rc = 0;
	} else {
		for (int i = 0; i < n && i < 50; i++)
			printf("%s\n", lines[i]);
		if (n > 50)
			printf("... and %d more\n", n - 50);
		printf("%d kept rows differ from a full recomputation: run `hatchery rebuild --db %s` (the server may stay up)\n",
		       n, db);
	}
	arena_free(&a);
	store_close(s);
	return rc;
}

/* `rebuild`: the kept totals made afresh from the records in one
 * transaction (after a bulk load by other means, or when `check` found a
 * difference), the data stamp moved so servers drop what they kept, and
 * audited. */
int cmd_rebuild(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	if (cli_parse("rebuild", argc, argv, opts, 1, NULL, 0) < 0)
		return 2;
	const char *db = opts[0].value;
	if (!db) {
		fprintf(stderr, "hatchery rebuild: --db FILE is required\n");
		return cli_usage("rebuild");
	}
	if (!db_exists("rebuild", db))
		return 1;
	char err[512];
	Store *s = store_open(db, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	Arena a = {0};
	char **lines;
	long long rows = 0;
	int n = -1, rc = 1;
	if (store_begin(s) == H_OK && (n = store_measures_check(s, &a, 0, &lines, &rows)) >= 0 &&
	    store_measures_rebuild(s, "*") == H_OK && store_counts_rebuild(s) == H_OK) {
		json_t *after = json_pack("{s:i,s:I}", "differed", n, "rows", (json_int_t)rows);
		char *text = json_dumps(after, JSON_COMPACT);
		json_decref(after);
		int ok = store_audit(s, NULL, NULL, "rebuild", "totals", NULL, NULL, text) == H_OK && store_commit(s) == H_OK;
		free(text);
		if (ok) {
			printf("rebuilt the progress totals (%lld rows) and record counts; %d rows differed before\n", rows, n);
			rc = 0;
		}
	}
	if (rc != 0) {
		fprintf(stderr, "hatchery rebuild: %s\n", store_errmsg(s));
		store_rollback(s);
	}
	arena_free(&a);
	store_close(s);
	return rc;
}
