/*
 * cli.c — the commands: init, plan check, serve, user add, help, version.
 * Each prints what it did; errors say what is wrong and what to do, and
 * exit 1 (a failure) or 2 (a usage mistake).
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "demo.h"
#include "http.h"
#include "plan.h"
#include "store.h"

const Command commands[] = {
	{"init", cmd_init, "hatchery init --db FILE [--plan FILE] [--demo]",
	 "Creates a database from a plan (the embedded Ruian 2022-2024 plan unless --plan is given),\n"
	 "adds the fictional sample data with --demo, and creates the user admin, whose password is\n"
	 "$HATCHERY_ADMIN_PASSWORD when set, else a random one printed once.\n"
	 "用规划文件创建数据库(默认内置瑞安 2022-2024 规划);--demo 加入虚构的示例数据;创建管理员 admin。"},
	{"plan check", cmd_plan_check, "hatchery plan check FILE",
	 "Checks a plan file (docs/PLAN-FORMAT.md) and names the first problem by its place in the file.\n"
	 "检查规划文件,指出第一个错误所在的位置。"},
	{"serve", cmd_serve, "hatchery serve --db FILE [--listen HOST:PORT] [--threads N] [--max-connections N] [--quiet]",
	 "Serves the web pages and the JSON API (default 127.0.0.1:8080; port 0 picks a free one).\n"
	 "Stops cleanly on SIGTERM or SIGINT. 启动网页与 API 服务。"},
	{"user add", cmd_user_add, "hatchery user add --db FILE NAME --role ROLE [--scope CODE]",
	 "Adds a user. ROLE is admin, area, department, base or viewer; area, department and base\n"
	 "users need --scope (an area code, a department code or a base id). The password is\n"
	 "$HATCHERY_PASSWORD when set, else a random one printed once; it must be changed at first login.\n"
	 "添加用户;密码取自 HATCHERY_PASSWORD,否则随机生成并打印一次。"},
	{"help", cmd_help, "hatchery help [COMMAND]", "Lists the commands, or explains one. 帮助。"},
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

/* Creates a user inside the caller's transaction; prints a generated password. */
static int add_user(Store *s, const char *name, const char *role, const char *scope, const char *env_var)
{
	char generated[17], hash[AUTH_HASH_MAX];
	const char *pw = getenv(env_var);
	int must_change = 1;
	if (pw && *pw) {
		const char *problem = auth_password_problem(name, pw);
		if (problem) {
			fprintf(stderr, "hatchery: %s: %s\n", env_var, problem);
			return H_ERR;
		}
		must_change = 0;
	} else {
		auth_random_password(generated, sizeof generated);
		pw = generated;
	}
	if (auth_hash_password(pw, hash) != H_OK) {
		fprintf(stderr, "hatchery: cannot hash the password (out of memory)\n");
		return H_ERR;
	}
	if (!store_user_insert(s, name, role, scope, hash, must_change)) {
		fprintf(stderr, "hatchery: cannot add user %s: %s\n", name, store_errmsg(s));
		return H_ERR;
	}
	char after[256];
	snprintf(after, sizeof after, "{\"name\":\"%s\",\"role\":\"%s\"}", name, role);
	if (store_audit(s, NULL, NULL, "create", "user", name, NULL, after) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
		return H_ERR;
	}
	if (pw == generated)
		printf("user %s (%s): password %s (must be changed at first login)\n", name, role, generated);
	else
		printf("user %s (%s): password from $%s\n", name, role, env_var);
	return H_OK;
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
	} else if (opts[2].value && demo_load(s, p, err, sizeof err) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", err);
	} else if (opts[2].value && store_audit(s, NULL, NULL, "load", "demo", NULL, NULL, NULL) != H_OK) {
		fprintf(stderr, "hatchery: %s\n", store_errmsg(s));
	} else if (add_user(s, "admin", "admin", NULL, "HATCHERY_ADMIN_PASSWORD") != H_OK) {
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

int cmd_user_add(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--role", 1, NULL}, {"--scope", 1, NULL}};
	const char *pos[1];
	int n = cli_parse("user add", argc, argv, opts, 3, pos, 1);
	if (n < 0)
		return 2;
	if (!opts[0].value || !opts[1].value || n != 1) {
		fprintf(stderr, "hatchery user add: --db, --role and the user's NAME are required\n");
		return cli_usage("user add");
	}
	const char *role = opts[1].value, *scope = opts[2].value;
	static const char *const roles[] = {"admin", "area", "department", "base", "viewer"};
	int known = 0;
	for (size_t i = 0; i < ARRAY_LEN(roles); i++)
		known |= strcmp(roles[i], role) == 0;
	if (!known) {
		fprintf(stderr, "hatchery user add: unknown role \"%s\" (admin, area, department, base, viewer)\n", role);
		return 2;
	}
	int needs_scope = strcmp(role, "area") == 0 || strcmp(role, "department") == 0 || strcmp(role, "base") == 0;
	if (needs_scope != (scope != NULL)) {
		fprintf(stderr, "hatchery user add: role %s %s --scope\n", role, needs_scope ? "needs" : "takes no");
		return 2;
	}
	if (auth_init() != H_OK)
		return 1;
	char err[512];
	Store *s = store_open(opts[0].value, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	int rc = 1;
	if (store_begin(s) == H_OK && add_user(s, pos[0], role, scope, "HATCHERY_PASSWORD") == H_OK &&
	    store_commit(s) == H_OK)
		rc = 0;
	store_rollback(s);
	store_close(s);
	return rc;
}

int cmd_serve(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--listen", 1, NULL}, {"--threads", 1, NULL},
	              {"--max-connections", 1, NULL}, {"--quiet", 0, NULL}};
	if (cli_parse("serve", argc, argv, opts, 5, NULL, 0) < 0)
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
	if (opts[2].value && ((c.threads = atoi(opts[2].value)) < 1 || c.threads > 256)) {
		fprintf(stderr, "hatchery serve: --threads wants 1 to 256\n");
		return 2;
	}
	if (opts[3].value && ((c.max_connections = atoi(opts[3].value)) < 1)) {
		fprintf(stderr, "hatchery serve: --max-connections wants a positive number\n");
		return 2;
	}
	c.quiet = opts[4].value != NULL;
	if (access(c.db_path, F_OK) != 0) {
		fprintf(stderr, "hatchery serve: %s does not exist: create it with `hatchery init --db %s --demo`\n",
		        c.db_path, c.db_path);
		return 1;
	}
	if (auth_init() != H_OK)
		return 1;
	return server_run(&c);
}

int cmd_version(int argc, char **argv)
{
	printf("hatchery %s\n", HATCHERY_VERSION);
	return 0;
}

int cmd_help(int argc, char **argv)
{
	if (argc > 0) {
		char name[64];
		snprintf(name, sizeof name, "%s%s%s", argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		for (int i = 0; i < command_count; i++)
			if (strcmp(commands[i].name, name) == 0 || strcmp(commands[i].name, argv[0]) == 0) {
				printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
				return 0;
			}
		fprintf(stderr, "hatchery help: no command \"%s\"; `hatchery help` lists them\n", name);
		return 2;
	}
	printf("hatchery %s — the platform of a city's big incubation cluster programme (大孵化集群)\n\n"
	       "commands:\n", HATCHERY_VERSION);
	for (int i = 0; i < command_count; i++)
		printf("  %s\n", commands[i].usage);
	printf("\n`hatchery help COMMAND` explains one.\n");
	return 0;
}
