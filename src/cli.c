/*
 * cli.c — the command table and the commands: init, plan check, serve, user
 * add, help, version (backup, restore, audit: cli_admin.c; import, export:
 * cli_transfer.c; gen: cli_gen.c).
 * Each prints what it did; errors say what is wrong and what to do, and
 * exit 1 (a failure) or 2 (a usage mistake).
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "demo.h"
#include "http.h"
#include "page.h"
#include "session.h"
#include "plan.h"
#include "store.h"
#include "cli_admin.h"
#include "cli_competition.h"
#include "cli_report.h"
#include "cli_bulletin.h"
#include "cli_task.h"
#include "users.h"
#include "rules.h"
#include "eval.h"
#include "tasks.h"

const Command commands[] = {
	{"init", cmd_init, "hatchery init --db FILE [--plan FILE] [--demo]",
	 "Creates a database from a plan (the embedded Ruian 2022-2024 plan unless --plan is given),\n"
	 "adds the fictional sample data with --demo, and creates the user admin, whose password is\n"
	 "$HATCHERY_ADMIN_PASSWORD when set, else a random one printed once.\n"
	 "用规划文件创建数据库（默认内置瑞安 2022-2024 规划）；--demo 加入虚构的示例数据；创建管理员 admin。"},
	{"plan check", cmd_plan_check, "hatchery plan check FILE",
	 "Checks a plan file (docs/PLAN-FORMAT.md) and names the first problem by its place in the file.\n"
	 "检查规划文件，指出第一个错误所在的位置。"},
	{"serve", cmd_serve,
	 "hatchery serve --db FILE [--listen HOST:PORT] [--threads N] [--max-connections N] [--page-cache MB] [--page-parts MB] [--behind-https] [--quiet]\n"
	 "               [--max-per-address N] [--request-timeout S] [--idle-timeout S]",
	 "Serves the web pages and the JSON API (default 127.0.0.1:8080; port 0 picks a free one).\n"
	 "--max-per-address N: connections at once from one client address (64; 0: no limit; off by\n"
	 "default with --behind-https, where the proxy limits per client). --request-timeout S: a\n"
	 "request's headers and body must arrive within S seconds in all (120). --idle-timeout S: an idle\n"
	 "connection is closed after S seconds (30). See docs/OPERATIONS.md.\n"
	 "--behind-https marks session cookies Secure (use it behind an HTTPS proxy, docs/OPERATIONS.md).\n"
	 "--page-cache MB bounds the memory of pages answered again while the data is unchanged (16; 0: off).\n"
	 "--page-parts MB bounds the memory of the parts of pages every session shares while what they show is unchanged (8; 0: off).\n"
	 "Stops cleanly on SIGTERM or SIGINT. 启动网页与 API 服务。"},
	{"user add", cmd_user_add, "hatchery user add --db FILE NAME --role ROLE [--scope CODE] [--keep-password]",
	 "Adds a user. ROLE is admin, area, department, base or viewer; area, department and base\n"
	 "users need --scope (an area code, a department code or a base id). The password is\n"
	 "$HATCHERY_PASSWORD when set, else a random one printed once; either way it must be changed\n"
	 "at first login, except that --keep-password keeps the one of $HATCHERY_PASSWORD as it is\n"
	 "(for an account used by a script, and for tests).\n"
	 "添加用户；密码取自 HATCHERY_PASSWORD，否则随机生成并打印一次；首次登录时须修改密码。"},
	{"user passwd", cmd_user_passwd, "hatchery user passwd --db FILE NAME",
	 "Sets a new password for NAME: $HATCHERY_PASSWORD when set, else a random one printed once\n"
	 "that must be changed at first login. Ends the user's sessions.\n"
	 "重设用户密码（取自 HATCHERY_PASSWORD，否则随机生成）；同时结束该用户的全部会话。"},
	{"user disable", cmd_user_disable, "hatchery user disable --db FILE NAME [--enable]",
	 "Disables a user and ends their sessions (or enables them again with --enable).\n"
	 "停用用户并结束其会话（--enable 重新启用）。"},
	{"user list", cmd_user_list, "hatchery user list --db FILE",
	 "Lists the users with their role, scope and state. 列出全部用户。"},
	{"backup", cmd_backup, "hatchery backup --db FILE OUT",
	 "Copies the database into the new file OUT, one consistent snapshot taken with SQLite's\n"
	 "backup API; safe while `hatchery serve` runs. Refuses an OUT that exists, checks the copy's\n"
	 "integrity, and leaves nothing behind when it fails. See docs/OPERATIONS.md.\n"
	 "备份数据库到新文件 OUT（一致的快照，服务运行时也可执行）；OUT 已存在时拒绝；完成后检查完整性。"},
	{"restore", cmd_restore, "hatchery restore --db FILE IN",
	 "Replaces the database FILE by the backup IN. Stop the server first. IN is checked before\n"
	 "anything changes (an intact hatchery database of a schema version this program knows); an\n"
	 "older backup is migrated up. Prints the schema version and the record counts restored.\n"
	 "用备份 IN 替换数据库 FILE。请先停止服务。先检查备份文件，有问题时不做任何改动；打印恢复后的版本和记录数。"},
	{"audit", cmd_audit,
	 "hatchery audit --db FILE [--user NAME] [--kind KIND] [--id ID] [--since DATE] [--until DATE] "
	 "[--limit N] [--offset N] [--json]",
	 "Lists the audit trail, newest first: who changed which record, when, from where, and the\n"
	 "record before and after. Dates are YYYY-MM-DD (UTC, both ends included); --limit is 1 to\n"
	 "1000 (default 50); --json prints one JSON object per line.\n"
	 "查看审计日志（最新在前）：谁在何时从何处修改了哪条记录，以及修改前后的内容。日期格式 YYYY-MM-DD（UTC）。"},
	{"check", cmd_check, "hatchery check --db FILE",
	 "Compares the progress totals kept as records change (and the record counts of the lists) with a\n"
	 "full recomputation from the records, in one snapshot; safe while the server runs. Lists each\n"
	 "row that differs and exits 1 when any does (then run `hatchery rebuild`).\n"
	 "核对随数据变动即时维护的进度合计与记录数：与按记录全量重算的结果比较，列出不一致之处；有不一致时退出码为 1。"},
	{"rebuild", cmd_rebuild, "hatchery rebuild --db FILE",
	 "Makes the kept progress totals and record counts afresh from the records in one transaction\n"
	 "(after a bulk load by other means, or when `check` found a difference); audited. Servers see the\n"
	 "change at once.\n"
	 "按记录重建进度合计与记录数（一次事务，记入审计日志）。"},
	{"rules check", cmd_rules_check, "hatchery rules check FILE",
	 "Checks a rules file (docs/RULES-FORMAT.md) and names the first problem by its place.\n"
	 "检查规则集文件，指出第一个错误所在的位置。"},
	{"rules load", cmd_rules_load, "hatchery rules load --db FILE RULES.json",
	 "Adds a rule set to a database, or replaces the set of the same code. A broken file is\n"
	 "refused with the place and the reason; the sets already loaded stay as they were.\n"
	 "加载（或替换同代码的）规则集；文件有误时拒绝并指出位置，已有规则集不受影响。"},
	{"policy check", cmd_policy_check, "hatchery policy check FILE",
	 "Checks a policy file (docs/POLICY-FORMAT.md: support measures, their conditions, amounts and caps) and names the\n"
	 "first problem by its place. 检查政策文件（支持措施、条件、金额与上限），指出第一个问题所在位置。"},
	{"policy load", cmd_policy_load, "hatchery policy load --db FILE POLICY.json",
	 "Loads a policy file into the database, replacing the document of the same code; applications keep their\n"
	 "measures. A broken file changes nothing. Audited with the file's SHA-256 and the document it replaced.\n"
	 "载入政策文件（同代码的文件被替换，记入审计日志）；文件有误时不做任何改动。"},
	{"policy applications", cmd_policy_applications, "hatchery policy applications --db FILE [--year Y] [--status S] [--json]",
	 "Lists the applications for policy support (status applied, endorsed, approved, paid or returned) with what\n"
	 "each is entitled to, was approved and was paid, and the total paid. 列出政策申请及测算、核定、拨付金额。"},
	{"evaluate", cmd_evaluate, "hatchery evaluate --db FILE --base ID [--rules SET] [--as-of DATE] [--format text|json]",
	 "Evaluates a base against every rule set (or one): each rule's measured value, threshold,\n"
	 "result (pass, fail, unknown) and the gap. 按规则集评价孵化基地:每条规则的实测值、门槛、结果与差距。"},
	{"import", cmd_import, "hatchery import KIND FILE --db FILE [--mode check|all|good] [--as USER]",
	 "Imports records from an .xlsx or .csv file, as the import pages do: KIND is bases, operators,\n"
	 "funds, investments, projects, firms, or targets (the grid of 目标分解). Every row is checked and\n"
	 "every error named by its row and cell; --mode all (the default) writes only when every row is\n"
	 "good, good writes the good rows, check writes nothing; writing is one transaction. Audited as\n"
	 "USER (with USER's role and scope), else as \"cli\" with the office's rights. Exits 0 only when\n"
	 "every row was written (with --mode check: every row is good).\n"
	 "从 .xlsx 或 .csv 文件导入记录或目标分解，逐行检查并指出错误所在的行和单元格；全部无误才写入（一次事务）。"},
	{"export", cmd_export, "hatchery export KIND --db FILE -o FILE [--area CODE] [--format xlsx|csv] [--as USER]",
	 "Exports the records of KIND (bases, operators, funds, investments, projects, firms) as the\n"
	 "list pages do, every record or one area's, as .xlsx (with a 说明 sheet) or .csv (UTF-8 with BOM;\n"
	 "the default when FILE ends in .csv); or the targets grid (targets, .xlsx). The file imports back\n"
	 "unchanged. As USER, only what USER may see.\n"
	 "导出记录（可按区域）或目标分解为 .xlsx 或 .csv；导出的文件可原样导回。"},
	{"gen", cmd_gen, "hatchery gen --db FILE --scale city|province|national [--seed N]",
	 "Creates a new database with a deterministic synthetic data set for the benchmarks\n"
	 "(docs/BENCHMARKS.md): city is the Ruian plan at about the demo's size; province and national\n"
	 "generate a plan with nested areas (national: 31 provinces, 350 cities and counties, 20,000 bases,\n"
	 "1,000,000 firms). The same --seed (default 1) gives the same data. All of it is fictional (模拟数据).\n"
	 "The user admin is created as by init.\n"
	 "生成用于性能测试的确定性模拟数据（city / province / national 三种规模）；数据均为虚构。"},
	{"event list", cmd_event_list, "hatchery event list --db FILE [--kind KIND] [--year YEAR] [--json]",
	 "The events (summit, contests, 双创活动周, roadshows, 现场会) with each one's roadshow funnel:\n"
	 "registered, presented, invested, settled, dropped, and the conversion (invested or settled / presented).\n"
	 "活动与路演：每场活动的报名、路演、获得投资、落地入驻和转化率。"},
	{"report status", cmd_report_status, "hatchery report status --db FILE --form F --period P [--area CODE] [--json]",
	 "Completeness and timeliness of one report form and period (2024-11, 2024-Q4, 2024): who was\n"
	 "expected, who reported, who on time (before the due date, Beijing time), who is late.\n"
	 "某张报表某一期的报送率、及时率和逾期未报单位。"},
	{"report remind", cmd_report_remind, "hatchery report remind --db FILE --form F --period P [--org ORG]",
	 "Sends a reminder (催报) to every reporter of the period not yet reported, or to one: it shows on\n"
	 "their 工作台 and, where a webhook is configured (setting webhook_url), is queued for it. Logged.\n"
	 "向本期未报送的单位（或指定单位）发送催报提醒，记入审计日志。"},
	{"task list", cmd_task_list, "hatchery task list --db FILE [--unit CODE] [--overdue] [--all] [--json]",
	 "Lists the open tasks (--all: every task) with their lamps as of today in Beijing time: 正常, 临期 (due\n"
	 "within 7 days), 逾期 N 天; --unit: those a department, an area or @areas is responsible for.\n"
	 "列出任务及其状态灯（北京时间）；可按责任单位筛选，或只列逾期任务。"},
	{"task remind", cmd_task_remind, "hatchery task remind --db FILE",
	 "催办: queues a reminder for every overdue 督办单 not yet answered (once a day each) for the webhook\n"
	 "(setting webhook_url) and logs it in the audit trail, as the office.\n"
	 "对逾期未反馈的督办单发出催办提醒（每天一次），记入审计日志。"},
	{"outbox webhook", cmd_outbox_webhook, "hatchery outbox webhook --db FILE [URL]",
	 "Shows, sets or (with \"\") turns off the webhook the reminders go to: http://HOST[:PORT]/PATH of the\n"
	 "city's messaging gateway (e.g. 浙政钉). Each message is posted as JSON with an Idempotency-Key header.\n"
	 "查看、设置或关闭催报消息推送的网关地址。"},
	{"outbox send", cmd_outbox_send, "hatchery outbox send --db FILE",
	 "Posts the messages waiting in the outbox to the webhook once (the server does it every 5 seconds);\n"
	 "a refused post is tried again later, up to 8 times. 立即推送待发的催报消息。"},
	{"areas", cmd_areas, "hatchery areas --db FILE",
	 "Lists the plan's areas with their codes (what --scope takes for an area user), by group:\n"
	 "code, name, group. 列出规划中的区域及其代码（添加镇街、功能区账号时 --scope 所用）。"},
	{"competition", cmd_competition, "hatchery competition --db FILE --period P [--as-of YYYY-MM-DD] [--json]",
	 "The 六比竞赛 over a period P: a month (2024-11), a quarter (2024-Q4), a year (2024), the year to\n"
	 "date (ytd) or the plan to date (plan), as of a date (default today): each area's score, its rank\n"
	 "within its group and across all, the change since the previous period and its progress rank;\n"
	 "--json prints everything, the six figures and their targets too (as GET /api/v1/competition).\n"
	 "六比竞赛排名：各区域综合得分、组内和全市名次、名次变化和进步排名。"},
	{"assessment", cmd_assessment, "hatchery assessment --db FILE --year Y [--as-of YYYY-MM-DD] [--json | -o FILE.xlsx]",
	 "The areas' yearly assessment (考核) by the plan's scoring rules: points per indicator, deductions\n"
	 "for late and returned reports, the score and its ranks; -o writes the table for the city's\n"
	 "assessment office (考绩办) as .xlsx, --json everything (as GET /api/v1/assessment).\n"
	 "各区域年度考核得分（指标得分、迟报和退回扣分、名次）；-o 导出报市考绩办的 Excel 表。"},
	{"bulletin make", cmd_bulletin_make,
	 "hatchery bulletin make --db FILE --period YYYY-MM [--format pdf|docx|xlsx] -o FILE [--as-of DATE] [--number N] [--save] [--draft]",
	 "Writes the month's bulletin (通报) as PDF (default), Word or Excel (its tables): the newest published\n"
	 "one as it was frozen; without one (or with --draft), one generated from the data now, marked as a\n"
	 "draft (--save keeps it in the database as a draft, numbered; --number gives its number).\n"
	 "输出某月的通报（PDF、Word 或 Excel 附表）：已印发的按印发时的内容；否则按当前数据生成草稿。"},
	{"bulletin list", cmd_bulletin_list, "hatchery bulletin list --db FILE",
	 "Lists the bulletins: id, number, month, status, content hash, title. 列出全部通报。"},
	{"bulletin render", cmd_bulletin_render, "hatchery bulletin render --format pdf|docx|xlsx [--draft]",
	 "Reads a stored bulletin document (JSON, as GET /api/v1/bulletins/ID's content) on stdin and writes\n"
	 "the file on stdout; the server runs it to make files outside its own memory.\n"
	 "从标准输入读取通报内容（JSON），向标准输出写出文件；服务器用它在独立进程中生成文件。"},
	{"help", cmd_help, "hatchery help [COMMAND | routes]",
	 "Lists the commands, or explains one; `routes` lists every URL of the server with its method,\n"
	 "the roles allowed and what it does. 帮助;routes 列出全部网址及可访问的角色。"},
	{"version", cmd_version, "hatchery version", "Prints the version. 版本。"},
};
const int command_count = (int)(sizeof commands / sizeof commands[0]);

int cli_usage(const char *cmd)
{
	for (int i = 0; i < command_count; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			fprintf(stderr, "usage: %s\n", commands[i].usage);
	return 2;
}

int cli_parse(const char *cmd, int argc, char **argv, Opt *opts, int nopts, const char **pos, int maxpos)
{
	int npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) == 0 && a[2]) {
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a) : strlen(a);
			Opt *o = NULL;
			for (int k = 0; k < nopts; k++)
				if (strlen(opts[k].name) == nl && strncmp(opts[k].name, a, nl) == 0)
					o = &opts[k];
			if (!o) {
				fprintf(stderr, "hatchery %s: unknown option %.*s\n", cmd, (int)nl, a);
				return cli_usage(cmd), -1;
			}
			if (!o->takes_value) {
				if (eq) {
					fprintf(stderr, "hatchery %s: %s takes no value\n", cmd, o->name);
					return cli_usage(cmd), -1;
				}
				o->value = "1";
			} else if (eq) {
				o->value = eq + 1;
			} else if (i + 1 < argc) {
				o->value = argv[++i];
			} else {
				fprintf(stderr, "hatchery %s: %s needs a value\n", cmd, o->name);
				return cli_usage(cmd), -1;
			}
			if (o->takes_value && !*o->value) {
				fprintf(stderr, "hatchery %s: %s needs a non-empty value\n", cmd, o->name);
				return cli_usage(cmd), -1;
			}
		} else {
			if (npos >= maxpos) {
				fprintf(stderr, "hatchery %s: unexpected argument \"%s\"\n", cmd, a);
				return cli_usage(cmd), -1;
			}
			pos[npos++] = a;
		}
	}
	return npos;
}

/* Reads and checks the plan named by path (NULL: the embedded one). */
static Plan *load_plan(Arena *a, const char *path)
{
	char err[1024];
	if (!path)
		return plan_parse(a, plan_embedded_ruian, plan_embedded_ruian_len, "plans/ruian-2022-2024.json (embedded)",
		                  err, sizeof err) ?: (fprintf(stderr, "hatchery: %s\n", err), NULL);
	size_t len;
	char *text = file_read(path, &len);
	if (!text) {
		fprintf(stderr, "hatchery: cannot read %s: %s\n", path, strerror(errno));
		return NULL;
	}
	Plan *p = plan_parse(a, text, len, path, err, sizeof err);
	free(text);
	if (!p)
		fprintf(stderr, "hatchery: %s\n", err);
	return p;
}

int cmd_plan_check(int argc, char **argv)
{
	const char *pos[1];
	int n = cli_parse("plan check", argc, argv, NULL, 0, pos, 1);
	if (n < 0)
		return 2;
	if (n != 1) {
		fprintf(stderr, "hatchery plan check: name the plan file to check\n");
		return cli_usage("plan check");
	}
	Arena a = {0};
	Plan *p = load_plan(&a, pos[0]);
	if (p)
		printf("%s: ok — %s: %d areas, %d indicators, %d targets, %d rule sets, %d work items, %d departments\n",
		       pos[0], p->name, p->nareas, p->nindicators, p->ntargets, p->nrule_sets, p->nwork_items,
		       p->ndepartments);
	arena_free(&a);
	return p ? 0 : 1;
}

/* The password of $env_var, checked; NULL when unset (then one is
 * generated). *bad is set when it is set but unacceptable. */
static const char *env_password(const char *env_var, const char *name, int *bad)
{
	const char *pw = getenv(env_var);
	*bad = 0;
	if (!pw || !*pw)
		return NULL;
	const char *problem = auth_password_problem(name, pw);
	if (problem) {
		fprintf(stderr, "hatchery: $%s: %s\n", env_var, problem);
		*bad = 1;
	}
	return pw;
}

/* Creates a user inside the caller's transaction; prints a generated
 * password. A password from env_var must be changed at first login unless
 * keep (the first admin of init, or `user add --keep-password`). */
static int add_user(Store *s, Arena *a, const char *name, const char *role, const char *scope, const char *env_var,
                    int keep)
{
	int bad;
	const char *pw = env_password(env_var, name, &bad);
	if (bad)
		return H_ERR;
	char generated[USER_GENERATED_LEN];
	if (!user_create(s, a, name, role, scope, pw, keep, generated, NULL, NULL)) {
		fprintf(stderr, "hatchery: cannot add user %s: %s\n", name, store_errmsg(s));
		return H_ERR;
	}
	if (!pw)
		printf("user %s (%s): password %s (must be changed at first login)\n", name, role, generated);
	else
		printf("user %s (%s): password from $%s%s\n", name, role, env_var,
		       keep ? "" : " (must be changed at first login)");
	return H_OK;
}

/* The rule sets compiled into the binary, after the plan's own. */
static int load_embedded_rules(Store *s, Arena *a, char *err, size_t errsz)
{
	for (int i = 0; i < embedded_rules_count; i++)
		if (rules_load(s, a, embedded_rules[i].data, *embedded_rules[i].len, embedded_rules[i].name, NULL, err, errsz) !=
		    H_OK)
			return H_ERR;
	return H_OK;
}

/* The current UTC time as stored ("2026-12-02T01:59:31Z"), in the arena. */
static const char *now_iso(Arena *a)
{
	char t[21];
	time_now_iso(t);
	return arena_strdup(a, t);
}

int cmd_init(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--plan", 1, NULL}, {"--demo", 0, NULL}};
	if (cli_parse("init", argc, argv, opts, 3, NULL, 0) < 0)
		return 2;
	const char *db = opts[0].value;
	if (!db) {
		fprintf(stderr, "hatchery init: --db FILE is required\n");
		return cli_usage("init");
	}
	if (auth_init() != H_OK) {
		fprintf(stderr, "hatchery: libsodium failed to start\n");
		return 1;
	}
	Arena a = {0};
	/* Check the plan before touching the database: a broken plan writes nothing. */
	Plan *p = load_plan(&a, opts[1].value);
	if (!p) {
		arena_free(&a);
		return 1;
	}
	struct stat sb;
	int existed = stat(db, &sb) == 0;
	char err[512];
	Store *s = store_open(db, STORE_CREATE, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		arena_free(&a);
		return 1;
	}
	int rc = 1;
	if (store_begin(s) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
	} else if (store_plan_save(s, p) != H_OK) {
		fprintf(stderr, "hatchery: %s: %s%s\n", db, store_errmsg(s),
		        existed ? " (init only creates new databases; choose another --db)" : "");
	} else if (store_audit(s, NULL, NULL, "load", "plan", p->code, NULL, NULL) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
	} else if (load_embedded_rules(s, &a, err, sizeof err) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", err);
	} else if (tasks_seed_plan(s, p, now_iso(&a)) != H_OK) {
		fprintf(stderr, "hatchery: the plan's tasks: %s\n", store_errmsg(s));
	} else if (opts[2].value && demo_load(s, p, err, sizeof err) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", err);
	} else if (opts[2].value && store_audit(s, NULL, NULL, "load", "demo", NULL, NULL, NULL) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
	} else if (add_user(s, &a, "admin", "admin", NULL, "HATCHERY_ADMIN_PASSWORD", 1) != H_OK) {
		/* add_user said why */
	} else if (store_commit(s) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
	} else {
		rc = 0;
	}
	if (rc != 0)
		store_rollback(s);
	RegistryCounts c = {0};
	if (rc == 0 && store_registry_counts(s, &c) == H_OK)
		printf("%s: plan %s (%d areas, %d targets)%s: %lld bases, %lld operators, %lld funds, "
		       "%lld investments, %lld projects\n",
		       db, p->code, p->nareas, p->ntargets, opts[2].value ? " with demo data 示例数据" : "", c.bases,
		       c.operators, c.funds, c.investments, c.projects);
	store_close(s);
	if (rc != 0 && !existed) {
		/* Nothing half-written: a new file that failed is removed whole. */
		char side[4096];
		unlink(db);
		snprintf(side, sizeof side, "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", db);
		unlink(side);
	}
	arena_free(&a);
	return rc;
}

Store *cli_open_with_plan(const char *db, Arena *a, Plan **plan)
{
	char err[512];
	if (access(db, F_OK) != 0) {
		fprintf(stderr, "hatchery: %s does not exist: create it with `hatchery init --db %s`\n", db, db);
		return NULL;
	}
	Store *s = store_open(db, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return NULL;
	}
	const char *json = store_plan_json(s, a);
	*plan = json ? plan_parse(a, json, strlen(json), "stored plan", err, sizeof err) : NULL;
	if (!*plan) {
		fprintf(stderr, "hatchery: %s holds no usable plan: %s\n", db, json ? err : "run `hatchery init` first");
		store_close(s);
		return NULL;
	}
	return s;
}

/* hatchery areas --db FILE: the area codes --scope takes, by group. */
int cmd_areas(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	int n = cli_parse("areas", argc, argv, opts, 1, NULL, 0);
	if (n < 0 || !opts[0].value)
		return cli_usage("areas");
	Arena a = {0};
	Plan *plan;
	Store *s = cli_open_with_plan(opts[0].value, &a, &plan);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	printf("%-16s %s\n", "CODE", "NAME (GROUP)");
	for (int g = -1; g < plan->ngroups; g++)
		for (int i = 0; i < plan->nareas; i++) {
			const Area *ar = &plan->areas[i];
			const char *grp = ar->group;
			int in_group = g >= 0 ? grp && strcmp(grp, plan->groups[g].code) == 0 : !grp || !*grp;
			if (in_group)
				printf("%-16s %s%s%s%s\n", ar->code, ar->name, g >= 0 ? " (" : "", g >= 0 ? plan->groups[g].name : "",
				       g >= 0 ? ")" : "");
		}
	store_close(s);
	arena_free(&a);
	return 0;
}

int cmd_user_add(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--role", 1, NULL}, {"--scope", 1, NULL}, {"--keep-password", 0, NULL}};
	const char *pos[1];
	int n = cli_parse("user add", argc, argv, opts, 4, pos, 1);
	if (n < 0)
		return 2;
	if (!opts[0].value || !opts[1].value || n != 1) {
		fprintf(stderr, "hatchery user add: --db, --role and the user's NAME are required\n");
		return cli_usage("user add");
	}
	if (opts[3].value && !(getenv("HATCHERY_PASSWORD") && *getenv("HATCHERY_PASSWORD"))) {
		fprintf(stderr, "hatchery user add: --keep-password keeps the password of $HATCHERY_PASSWORD, "
		                "which is not set\n");
		return 2;
	}
	if (auth_init() != H_OK)
		return 1;
	Arena a = {0};
	Plan *plan;
	Store *s = cli_open_with_plan(opts[0].value, &a, &plan);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	const char *field;
	const char *problem = user_check(s, plan, &a, pos[0], opts[1].value, opts[2].value, &field);
	int rc = 1;
	if (problem)
		fprintf(stderr, "hatchery user add: %s: %s\n", strcmp(field, "name") == 0 ? "NAME" : field[0] == 'r' ? "--role" : "--scope",
		        problem);
	else if (store_begin(s) == H_OK && add_user(s, &a, pos[0], opts[1].value, opts[2].value, "HATCHERY_PASSWORD",
	                                                     opts[3].value != NULL) == H_OK &&
	         store_commit(s) == H_OK)
		rc = 0;
	store_rollback(s);
	store_close(s);
	arena_free(&a);
	return problem ? 2 : rc;
}

/* Shared by passwd and disable: opens db and finds user NAME. */
static Store *open_user(const char *cmd, int argc, char **argv, Opt *opts, int nopts, Arena *a, User *u)
{
	const char *pos[1];
	int n = cli_parse(cmd, argc, argv, opts, nopts, pos, 1);
	if (n < 0)
		return NULL;
	if (!opts[0].value || n != 1) {
		fprintf(stderr, "hatchery %s: --db and the user's NAME are required\n", cmd);
		cli_usage(cmd);
		return NULL;
	}
	if (auth_init() != H_OK)
		return NULL;
	Plan *plan;
	Store *s = cli_open_with_plan(opts[0].value, a, &plan);
	if (!s)
		return NULL;
	int found = store_user_by_name(s, a, pos[0], u);
	if (found != 1) {
		fprintf(stderr, "hatchery %s: no user \"%s\" (`hatchery user list --db %s` lists them)\n", cmd, pos[0],
		        opts[0].value);
		store_close(s);
		return NULL;
	}
	return s;
}

int cmd_user_passwd(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	Arena a = {0};
	User u;
	Store *s = open_user("user passwd", argc, argv, opts, 1, &a, &u);
	if (!s) {
		arena_free(&a);
		return 2;
	}
	int bad, rc = 1;
	const char *pw = env_password("HATCHERY_PASSWORD", u.name, &bad);
	char generated[USER_GENERATED_LEN], hash[AUTH_HASH_MAX], rid[24];
	snprintf(rid, sizeof rid, "%lld", u.id);
	if (bad) {
		rc = 2;
	} else if (!pw) {
		if (store_begin(s) == H_OK && user_reset_password(s, &a, u.id, generated, NULL, NULL) == H_OK &&
		    store_commit(s) == H_OK) {
			printf("user %s: password %s (must be changed at first login); sessions ended\n", u.name, generated);
			rc = 0;
		}
	} else if (auth_hash_password(pw, hash) == H_OK && store_begin(s) == H_OK &&
	           store_user_set_password(s, u.id, hash, 0) == H_OK && store_sessions_delete_user(s, u.id) >= 0 &&
	           store_audit(s, NULL, NULL, "update", "user", rid, "{\"password\":\"(old)\"}",
	                       "{\"password\":\"(changed)\"}") == H_OK &&
	           store_commit(s) == H_OK) {
		printf("user %s: password from $HATCHERY_PASSWORD; sessions ended\n", u.name);
		rc = 0;
	}
	if (rc == 1)
		fprintf(stderr, "hatchery user passwd: %s\n", store_errmsg(s));
	store_rollback(s);
	store_close(s);
	arena_free(&a);
	return rc;
}

int cmd_user_disable(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--enable", 0, NULL}};
	Arena a = {0};
	User u;
	Store *s = open_user("user disable", argc, argv, opts, 2, &a, &u);
	if (!s) {
		arena_free(&a);
		return 2;
	}
	int disable = opts[1].value == NULL, rc = 1;
	if (store_begin(s) == H_OK && user_set_disabled(s, &a, u.id, disable, NULL, NULL) == H_OK && store_commit(s) == H_OK) {
		printf("user %s: %s\n", u.name, disable ? "disabled, sessions ended" : "enabled");
		rc = 0;
	} else {
		fprintf(stderr, "hatchery user disable: %s\n", store_errmsg(s));
	}
	store_rollback(s);
	store_close(s);
	arena_free(&a);
	return rc;
}

int cmd_user_list(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	if (cli_parse("user list", argc, argv, opts, 1, NULL, 0) < 0)
		return 2;
	if (!opts[0].value) {
		fprintf(stderr, "hatchery user list: --db FILE is required\n");
		return cli_usage("user list");
	}
	Arena a = {0};
	Plan *plan;
	Store *s = cli_open_with_plan(opts[0].value, &a, &plan);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	User *u;
	int n = store_users(s, &a, &u);
	printf("%-20s %-11s %-16s %-10s %s\n", "NAME", "ROLE", "SCOPE", "STATE", "LAST LOGIN");
	for (int i = 0; i < n; i++)
		printf("%-20s %-11s %-16s %-10s %s\n", u[i].name, u[i].role, u[i].scope ? u[i].scope : "-",
		       u[i].disabled ? "disabled" : u[i].must_change ? "new" : "active",
		       u[i].last_login_at ? u[i].last_login_at : "-");
	store_close(s);
	arena_free(&a);
	return n < 0 ? 1 : 0;
}

int cmd_serve(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--listen", 1, NULL}, {"--threads", 1, NULL},
	              {"--max-connections", 1, NULL}, {"--quiet", 0, NULL}, {"--behind-https", 0, NULL},
	              {"--page-cache", 1, NULL}, {"--max-per-address", 1, NULL}, {"--request-timeout", 1, NULL},
	              {"--idle-timeout", 1, NULL}, {"--page-parts", 1, NULL}};
	if (cli_parse("serve", argc, argv, opts, 11, NULL, 0) < 0)
		return 2;
	ServerConfig c;
	server_config_defaults(&c);
	c.db_path = opts[0].value;
	if (!c.db_path) {
		fprintf(stderr, "hatchery serve: --db FILE is required\n");
		return cli_usage("serve");
	}
	static char host[64];
	if (opts[1].value) {
		const char *colon = strrchr(opts[1].value, ':');
		char *end;
		long port = colon ? strtol(colon + 1, &end, 10) : -1;
		if (!colon || colon == opts[1].value || (size_t)(colon - opts[1].value) >= sizeof host || *end ||
		    port < 0 || port > 65535) {
			fprintf(stderr, "hatchery serve: --listen wants HOST:PORT, e.g. 127.0.0.1:8080\n");
			return 2;
		}
		memcpy(host, opts[1].value, (size_t)(colon - opts[1].value));
		c.host = host;
		c.port = (int)port;
	}
	long long n;
	if (opts[2].value && !parse_int(opts[2].value, 1, 256, &n)) {
		fprintf(stderr, "hatchery serve: --threads wants 1 to 256\n");
		return 2;
	}
	if (opts[2].value)
		c.threads = (int)n;
	if (opts[3].value && !parse_int(opts[3].value, 1, 1000000, &n)) {
		fprintf(stderr, "hatchery serve: --max-connections wants a number from 1 to 1000000\n");
		return 2;
	}
	if (opts[3].value)
		c.max_connections = (int)n;
	if (opts[6].value) {
		char *end;
		long mb = strtol(opts[6].value, &end, 10);
		if (*end || end == opts[6].value || mb < 0 || mb > 4096) {
			fprintf(stderr, "hatchery serve: --page-cache wants megabytes from 0 (off) to 4096, e.g. 16\n");
			return 2;
		}
		c.page_cache_bytes = (size_t)mb * 1024 * 1024;
	}
	if (opts[10].value) {
		char *end;
		long mb = strtol(opts[10].value, &end, 10);
		if (*end || end == opts[10].value || mb < 0 || mb > 1024) {
			fprintf(stderr, "hatchery serve: --page-parts wants megabytes from 0 (off) to 1024, e.g. 8\n");
			return 2;
		}
		c.page_parts_bytes = (size_t)mb * 1024 * 1024;
	}
	c.quiet = opts[4].value != NULL;
	c.behind_https = opts[5].value != NULL;
	/* Behind the proxy every connection comes from it: the proxy limits per client. */
	if (c.behind_https)
		c.max_per_address = 0;
	static const struct {
		int opt, min, max;
		const char *what;
	} limits[] = {
		{7, 0, 100000, "--max-per-address wants a number of connections, 0 (no limit) to 100000"},
		{8, 1, 3600, "--request-timeout wants seconds, 1 to 3600"},
		{9, 1, 3600, "--idle-timeout wants seconds, 1 to 3600"},
	};
	int *fields[] = {&c.max_per_address, &c.request_timeout_seconds, &c.timeout_seconds};
	for (int i = 0; i < 3; i++) {
		const char *v = opts[limits[i].opt].value;
		if (!v)
			continue;
		if (!parse_int(v, limits[i].min, limits[i].max, &n)) {
			fprintf(stderr, "hatchery serve: %s\n", limits[i].what);
			return 2;
		}
		*fields[i] = (int)n;
	}
	if (access(c.db_path, F_OK) != 0) {
		fprintf(stderr, "hatchery serve: %s does not exist: create it with `hatchery init --db %s --demo`\n",
		        c.db_path, c.db_path);
		return 1;
	}
	if (auth_init() != H_OK)
		return 1;
	http_set_error_page(page_error);
	return server_run(&c);
}

int cmd_version(int argc, char **argv)
{
	printf("hatchery %s\n", HATCHERY_VERSION);
	return 0;
}

/* `hatchery help routes`: every URL of the server with who may call it. */
static int help_routes(void)
{
	for (int i = 0; i < route_count; i++) {
		const Route *rt = &routes[i];
		char who[128] = "";
		size_t n = 0;
		if (rt->roles == ALLOW_ALL)
			snprintf(who, sizeof who, "everyone");
		else if (rt->roles == ALLOW_USERS)
			snprintf(who, sizeof who, "users");
		else
			for (int role = 0; role < ROLE_COUNT; role++)
				if ((rt->roles & ALLOW(role)) && n < sizeof who)
					n += (size_t)snprintf(who + n, sizeof who - n, "%s%s", n ? "," : "", role_code((Role)role));
		printf("%-6s %-44s %-22s %s\n", rt->method, rt->pattern, who, rt->summary ? rt->summary : "");
	}
	return 0;
}

/* The commands of a group ("report": report status, report remind), one
 * usage line each, to out; how many. */
int cli_print_group(FILE *out, const char *group)
{
	size_t gl = strlen(group);
	int n = 0;
	for (int i = 0; i < command_count; i++)
		if (strncmp(commands[i].name, group, gl) == 0 && commands[i].name[gl] == ' ') {
			if (n++ == 0)
				fprintf(out, "hatchery %s: its commands\n", group);
			fprintf(out, "  %s\n", commands[i].usage);
		}
	if (n)
		fprintf(out, "\n`hatchery help %s SUBCOMMAND` explains one.\n", group);
	return n;
}

int cmd_help(int argc, char **argv)
{
	if (argc == 1 && strcmp(argv[0], "routes") == 0)
		return help_routes();
	if (argc > 0) {
		char name[64];
		snprintf(name, sizeof name, "%s%s%s", argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		for (int i = 0; i < command_count; i++)
			if (strcmp(commands[i].name, name) == 0 || strcmp(commands[i].name, argv[0]) == 0) {
				printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
				return 0;
			}
		/* a group of commands ("user"): every command of the group */
		size_t len = strlen(argv[0]);
		int found = 0;
		for (int i = 0; i < command_count; i++)
			if (strncmp(commands[i].name, argv[0], len) == 0 && commands[i].name[len] == ' ') {
				printf("%susage: %s\n\n%s\n", found ? "\n" : "", commands[i].usage, commands[i].help);
				found = 1;
			}
		if (found)
			return 0;
		fprintf(stderr, "hatchery help: no command \"%s\"; `hatchery help` lists them\n", name);
		return 2;
	}
	printf("hatchery %s — the platform of a city's big incubation cluster programme (大孵化集群)\n\n"
	       "commands:\n", HATCHERY_VERSION);
	for (int i = 0; i < command_count; i++)
		printf("  %s\n", commands[i].usage);
	printf("\n`hatchery help COMMAND` explains one; `hatchery help routes` lists every URL of the server.\n");
	return 0;
}

int cmd_rules_check(int argc, char **argv)
{
	const char *pos[1];
	int n = cli_parse("rules check", argc, argv, NULL, 0, pos, 1);
	if (n != 1) {
		if (n >= 0)
			fprintf(stderr, "hatchery rules check: name the rules file to check\n");
		return cli_usage("rules check");
	}
	size_t len;
	char *text = file_read(pos[0], &len);
	if (!text) {
		fprintf(stderr, "hatchery: cannot read %s: %s\n", pos[0], strerror(errno));
		return 1;
	}
	Arena a = {0};
	char err[1024];
	RuleSet *rs = rules_parse(&a, text, len, pos[0], err, sizeof err);
	if (rs)
		printf("%s: ok — %s (%s): %d rules\n", pos[0], rs->name, rs->code, rs->nrules);
	else
		fprintf(stderr, "hatchery: %s\n", err);
	free(text);
	arena_free(&a);
	return rs ? 0 : 1;
}

int cmd_rules_load(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}};
	const char *pos[1];
	int n = cli_parse("rules load", argc, argv, opts, 1, pos, 1);
	if (n < 0)
		return 2;
	if (!opts[0].value || n != 1) {
		fprintf(stderr, "hatchery rules load: --db and the rules file are required\n");
		return cli_usage("rules load");
	}
	size_t len;
	char *text = file_read(pos[0], &len);
	if (!text) {
		fprintf(stderr, "hatchery: cannot read %s: %s\n", pos[0], strerror(errno));
		return 1;
	}
	Arena a = {0};
	Plan *plan;
	Store *s = cli_open_with_plan(opts[0].value, &a, &plan);
	char err[1024];
	int rc = 1;
	if (s && store_begin(s) == H_OK) {
		if (rules_load(s, &a, text, len, pos[0], NULL, err, sizeof err) == H_OK && store_commit(s) == H_OK) {
			printf("%s: loaded\n", pos[0]);
			rc = 0;
		} else {
			fprintf(stderr, "hatchery: %s\n", err);
		}
		store_rollback(s);
	}
	store_close(s);
	free(text);
	arena_free(&a);
	return rc;
}

int cmd_evaluate(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--base", 1, NULL}, {"--rules", 1, NULL}, {"--as-of", 1, NULL}, {"--format", 1, NULL}};
	if (cli_parse("evaluate", argc, argv, opts, 5, NULL, 0) < 0)
		return 2;
	const char *fmt = opts[4].value ? opts[4].value : "text";
	if (!opts[0].value || !id_or_zero(opts[1].value)) {
		fprintf(stderr, "hatchery evaluate: --db and --base ID (a base's number) are required\n");
		return cli_usage("evaluate");
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json")) {
		fprintf(stderr, "hatchery evaluate: --format is text or json\n");
		return 2;
	}
	if (opts[3].value && !date_valid(opts[3].value)) {
		fprintf(stderr, "hatchery evaluate: --as-of wants a date YYYY-MM-DD\n");
		return 2;
	}
	Arena a = {0};
	Plan *plan;
	Store *s = cli_open_with_plan(opts[0].value, &a, &plan);
	if (!s) {
		arena_free(&a);
		return 1;
	}
	int rc = 1;
	BaseFacts f;
	RuleSet *sets;
	int nsets = store_rule_sets(s, &a, &sets);
	char def[11];
	eval_default_as_of(plan, def);
	int found = eval_load_facts(s, &a, id_or_zero(opts[1].value), opts[3].value ? opts[3].value : def, &f);
	if (found == 0)
		fprintf(stderr, "hatchery evaluate: no base %s\n", opts[1].value);
	int matched = 0;
	json_t *out = json_array();
	if (found == 1 && !strcmp(fmt, "text"))
		printf("%s（评价日期 %s）\n", f.name, f.as_of);
	for (int i = 0; found == 1 && i < nsets; i++) {
		if (opts[2].value && strcmp(opts[2].value, sets[i].code))
			continue;
		/* without --rules only the sets that judge this base on the date */
		const char *why;
		int applies = eval_set_for(&sets[i], &f, &why);
		if (!opts[2].value && !applies)
			continue;
		matched++;
		SetOutcome o;
		if (eval_set(s, &a, &f, &sets[i], &o) != H_OK)
			break;
		json_t *js = eval_set_json(&o);
		json_object_set_new(js, "applies", json_boolean(applies));
		if (!applies)
			json_object_set_new(js, "why_not", json_string(why));
		json_array_append_new(out, js);
		if (!strcmp(fmt, "text")) {
			if (!applies)
				printf("（不适用：%s）", why);
			printf("%s %s — 达标 %d，未达标 %d，待核实 %d", sets[i].code, sets[i].name, o.passed, o.failed, o.unknown);
			if (o.has_score)
				printf("，得分 %g / %g", o.score, o.max_score);
			printf("\n");
			for (int k = 0; k < o.n; k++) {
				const RuleOutcome *ro = &o.rules[k];
				printf("  %-8s %-16s %s", eval_result_code(ro->result), ro->rule->id, ro->rule->text);
				if (ro->value.known)
					printf(" | 实测 %g", ro->value.value);
				if (ro->gap)
					printf(" | %s", ro->gap);
				if (ro->value.conflict)
					printf(" | ⚠ %s", ro->value.conflict);
				printf("\n");
			}
		}
		rc = 0;
	}
	if (found == 1 && !matched && opts[2].value) {
		fprintf(stderr, "hatchery evaluate: no rule set \"%s\"\n", opts[2].value);
		rc = 2;
	} else if (found == 1 && !matched) {
		printf("评价日没有适用于该基地的规则集。\n");
		rc = 0;
	}
	if (rc == 0 && !strcmp(fmt, "json")) {
		char *text = json_dumps(out, JSON_INDENT(2));
		printf("%s\n", text);
		free(text);
	}
	json_decref(out);
	store_close(s);
	arena_free(&a);
	return rc;
}
