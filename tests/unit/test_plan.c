/*
 * test_plan.c — plan_parse() (src/plan.c, docs/PLAN-FORMAT.md).
 *
 * First the embedded Ruian plan: that it parses and that what it says
 * (areas, years, indicators, the 15 targets, the 七个一 rules, the work
 * items) comes through. Then one broken variant per kind of mistake: each
 * is the embedded plan loaded with jansson, changed in one place (or two,
 * for a parent cycle), dumped and parsed with origin "x.json"; each must be
 * refused with NULL and one line "x.json: <json path>: <problem>".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "testutil.h"

/* ---- the embedded plan ---- */

static const Target *find_target(const Plan *p, const char *ind, int year)
{
	for (int i = 0; i < p->ntargets; i++)
		if (strcmp(p->targets[i].indicator, ind) == 0 && p->targets[i].year == year &&
		    strcmp(p->targets[i].scope, "ruian") == 0)
			return &p->targets[i];
	return NULL;
}

static const Rule *find_rule(const RuleSet *rs, const char *id)
{
	for (int i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

static void test_embedded_basics(void **state)
{
	(void)state;
	Arena a = {0};
	Plan *p = tu_embedded_plan(&a);
	assert_string_equal(p->code, "ruian-2022-2024");
	assert_string_equal(p->start, "2022-01-01");
	assert_string_equal(p->city.code, "ruian");
	assert_string_equal(p->city.level, "city");
	assert_int_equal(p->nareas, 25);
	assert_int_equal(p->ngroups, 4);
	assert_int_equal(p->nyears, 3);
	assert_int_equal(p->years[0], 2022);
	assert_int_equal(p->years[1], 2023);
	assert_int_equal(p->years[2], 2024);
	assert_near(p->on_track, 0.95, 1e-12);
	assert_near(p->behind, 0.85, 1e-12);
	/* The text is kept whole, as given. */
	assert_non_null(p->json);
	assert_int_equal(strlen(p->json), plan_embedded_ruian_len);
	assert_memory_equal(p->json, plan_embedded_ruian, plan_embedded_ruian_len);
	for (int i = 0; i < p->nareas; i++) {
		assert_string_equal(p->areas[i].level, "area");
		assert_string_equal(p->areas[i].parent, "ruian");
		assert_non_null(p->areas[i].group);
	}
	const Area *tp = plan_area(p, "tongpu");
	assert_non_null(tp);
	assert_string_equal(tp->name, "桐浦镇");
	assert_non_null(tp->note);
	assert_contains(tp->note, "桐铺镇");
	assert_null(plan_area(p, "feiyun")->note);
	assert_ptr_equal(plan_area(p, "ruian"), &p->city);
	assert_null(plan_area(p, "atlantis"));
	assert_null(plan_area(p, NULL));
	arena_free(&a);
}

static void test_embedded_indicators_targets(void **state)
{
	(void)state;
	Arena a = {0};
	Plan *p = tu_embedded_plan(&a);
	assert_int_equal(p->nindicators, 12);
	int nplan = 0, ncomp = 0;
	for (int i = 0; i < p->nindicators; i++) {
		if (strcmp(p->indicators[i].kind, "plan") == 0)
			nplan++;
		else if (strcmp(p->indicators[i].kind, "competition") == 0)
			ncomp++;
	}
	assert_int_equal(nplan, 6);
	assert_int_equal(ncomp, 6);
	const Indicator *prov = plan_indicator(p, "provincial");
	assert_non_null(prov);
	assert_string_equal(prov->measure, "bases_recognised");
	assert_string_equal(prov->level, "provincial");
	assert_null(plan_indicator(p, "nope"));
	assert_null(plan_indicator(p, NULL));

	assert_int_equal(p->ntargets, 15);
	assert_null(find_target(p, "operators", 2024));
	assert_null(find_target(p, "national", 2022));
	assert_null(find_target(p, "national", 2023));
	assert_non_null(find_target(p, "national", 2024));
	assert_non_null(find_target(p, "operators", 2023));
	const Target *t = find_target(p, "area_added", 2022);
	assert_non_null(t);
	assert_near(t->value, 250000, 0);
	assert_string_equal(t->op, ">=");
	assert_contains(t->wording, "25万平方米");
	t = find_target(p, "area_added", 2023);
	assert_non_null(t);
	assert_near(t->value, 600000, 0);
	t = find_target(p, "area_added", 2024);
	assert_non_null(t);
	assert_near(t->value, 1000000, 0);
	arena_free(&a);
}

static void test_embedded_rules_work_items(void **state)
{
	(void)state;
	Arena a = {0};
	Plan *p = tu_embedded_plan(&a);
	assert_int_equal(p->nrule_sets, 1);
	const RuleSet *rs = &p->rule_sets[0];
	assert_string_equal(rs->code, "qigeyi");
	assert_int_equal(rs->nrules, 9);
	const Rule *r = find_rule(rs, "qigeyi-6a");
	assert_non_null(r);
	assert_string_equal(r->op, ">");
	assert_int_equal(r->has_threshold, 1);
	assert_near(r->threshold, 100000000, 0);
	assert_int_equal(r->item, 6);
	r = find_rule(rs, "qigeyi-6b");
	assert_non_null(r);
	assert_string_equal(r->op, ">");
	assert_near(r->threshold, 200000000, 0);
	r = find_rule(rs, "qigeyi-1a");
	assert_non_null(r);
	assert_string_equal(r->op, ">=");
	assert_near(r->threshold, 50000, 0);
	assert_int_equal(r->has_threshold, 1);
	static const char *const judged[] = {"qigeyi-3", "qigeyi-7"};
	for (size_t i = 0; i < ARRAY_LEN(judged); i++) {
		r = find_rule(rs, judged[i]);
		assert_non_null(r);
		assert_string_equal(r->measure, "judged");
		assert_int_equal(r->has_threshold, 0);
		assert_null(r->op);
	}
	assert_int_equal(p->nwork_items, 8);
	for (int i = 0; i < 8; i++) {
		char code[8];
		snprintf(code, sizeof code, "w%d", i + 1);
		assert_string_equal(p->work_items[i].code, code);
		assert_true(p->work_items[i].nunits > 0);
	}
	/* w7 is the only item without "@areas". */
	assert_int_equal(p->work_items[6].nunits, 2);
	assert_string_equal(p->work_items[6].units[0], "kx");
	assert_string_equal(p->work_items[0].units[p->work_items[0].nunits - 1], "@areas");
	arena_free(&a);
}

/* The file in plans/ is the one compiled in. */
static void test_plan_file_matches_embedded(void **state)
{
	(void)state;
	const char *src = getenv("HATCHERY_SRC");
	if (!src)
		skip();
	char path[1024];
	snprintf(path, sizeof path, "%s/plans/ruian-2022-2024.json", src);
	size_t len = 0;
	char *text = file_read(path, &len);
	assert_non_null(text);
	assert_int_equal(len, plan_embedded_ruian_len);
	assert_memory_equal(text, plan_embedded_ruian, len);
	Arena a = {0};
	char err[512] = "";
	Plan *p = plan_parse(&a, text, len, path, err, sizeof err);
	assert_non_null(p);
	assert_int_equal(p->ntargets, 15);
	free(text);
	arena_free(&a);
}

/* ---- variants: edit the embedded plan through jansson ---- */

typedef struct Edit {
	const char *op;    /* "set" (value is JSON text), "del", "rename" (value is the new key) */
	const char *path;  /* a.b[2].c */
	const char *value;
} Edit;

/* Finds the container of the last segment of path; writes that segment as
 * a key (idx -1) or as an index (key ""). */
static json_t *walk(json_t *cur, const char *path, char *key, size_t keysz, long *idx)
{
	const char *p = path;
	while (*p) {
		char seg[64] = "";
		long si = -1;
		if (*p == '[') {
			char *end;
			si = strtol(p + 1, &end, 10);
			assert_true(*end == ']');
			p = end + 1;
		} else {
			size_t n = strcspn(p, ".[");
			assert_true(n < sizeof seg);
			memcpy(seg, p, n);
			p += n;
		}
		if (*p == '.')
			p++;
		if (!*p) {
			snprintf(key, keysz, "%s", seg);
			*idx = si;
			return cur;
		}
		cur = si >= 0 ? json_array_get(cur, (size_t)si) : json_object_get(cur, seg);
		if (!cur)
			fail_msg("test path %s: no %s", path, si >= 0 ? "such index" : seg);
	}
	fail_msg("empty test path");
	return NULL;
}

static void apply(json_t *root, const Edit *e)
{
	char key[64];
	long idx = -1;
	json_t *parent = walk(root, e->path, key, sizeof key, &idx);
	if (strcmp(e->op, "set") == 0) {
		json_error_t je;
		json_t *v = json_loads(e->value, JSON_DECODE_ANY, &je);
		assert_non_null(v);
		int rc = idx >= 0 ? json_array_set_new(parent, (size_t)idx, v) : json_object_set_new(parent, key, v);
		assert_int_equal(rc, 0);
	} else if (strcmp(e->op, "del") == 0) {
		assert_int_equal(idx >= 0 ? json_array_remove(parent, (size_t)idx) : json_object_del(parent, key), 0);
	} else if (strcmp(e->op, "rename") == 0) {
		json_t *v = json_object_get(parent, key);
		assert_non_null(v);
		json_object_set(parent, e->value, v);
		json_object_del(parent, key);
	} else {
		fail_msg("unknown edit %s", e->op);
	}
}

/* The embedded plan with edits applied, as malloc'd text. */
static char *edited_plan(const Edit *edits, int n)
{
	json_error_t je;
	json_t *root = json_loads(plan_embedded_ruian, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(root);
	for (int i = 0; i < n; i++)
		apply(root, &edits[i]);
	char *text = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	assert_non_null(text);
	return text;
}

/* Parses text as "x.json"; returns the plan (or NULL) and the message. */
static Plan *parse_x(Arena *a, const char *text, char *err, size_t errsz)
{
	snprintf(err, errsz, "stale");
	return plan_parse(a, text, strlen(text), "x.json", err, errsz);
}

typedef struct BadCase {
	const char *name;
	Edit edits[2];
	const char *frags[3];
} BadCase;

#define SET(path, v) {"set", path, v}
#define DEL(path) {"del", path, NULL}
#define REN(path, to) {"rename", path, to}

static const BadCase bad_cases[] = {
	{"wrong_format", {SET("format", "\"hatchery-plan/2\"")}, {"x.json: format: ", "hatchery-plan/1"}},
	{"missing_format", {DEL("format")}, {"(top): missing \"format\""}},
	{"bad_plan_code", {SET("code", "\"Ruian 2022\"")}, {"(top).code: ", "is not a code"}},
	{"unknown_top_key", {SET("yeers", "[2022]")}, {"(top): unknown key \"yeers\""}},
	{"start_not_date", {SET("start", "\"2022-02-30\"")}, {"start: ", "is not a date"}},
	{"years_empty", {SET("years", "[]")}, {"years: the plan names no year"}},
	{"years_not_ascending", {SET("years", "[2022, 2024, 2023]")}, {"years[2]: ", "ascending"}},
	{"target_unknown_scope", {SET("targets[3].scope", "\"nowhere\"")},
	 {"targets[3].scope: ", "unknown area or department", "\"nowhere\""}},
	{"target_unknown_indicator", {SET("targets[0].indicator", "\"nope\"")},
	 {"targets[0].indicator: ", "unknown indicator \"nope\""}},
	{"target_negative", {SET("targets[1].value", "-1")}, {"targets[1].value: ", "cannot be negative"}},
	{"target_value_string", {SET("targets[0].value", "\"2\"")}, {"targets[0].value: ", "not a number"}},
	{"target_year_outside", {SET("targets[0].year", "2025")},
	 {"targets[0].year: ", "2025 is not one of the plan's years"}},
	/* 2022 + 2^32: must not wrap to 2022 when read into an int. */
	{"target_year_huge", {SET("targets[0].year", "4294969318")}, {"targets[0].year: ", "not one of the plan's years"}},
	{"years_huge", {SET("years[0]", "4294969318")}, {"years[0]: ", "not a year"}},
	{"target_cumulative_falls", {SET("targets[6].value", "100000")},
	 {"targets[6].value: ", "cumulative targets cannot fall", "targets[1]"}},
	{"target_cumulative_falls_earlier_high", {SET("targets[1].value", "700000")},
	 {"targets[6].value: ", "cannot fall"}},
	{"target_second_same_year", {SET("targets[5].year", "2022")},
	 {"targets[5]: ", "a second target", "targets[0]"}},
	{"target_bad_op", {SET("targets[0].op", "\"<\"")}, {"targets[0].op: ", "\">=\""}},
	{"target_key_typo", {REN("targets[2].scope", "scop")}, {"targets[2]: ", "unknown key \"scop\""}},
	{"area_duplicate_code", {SET("areas[4].code", "\"tangxia\"")},
	 {"areas[4].code: ", "duplicate code \"tangxia\""}},
	{"area_code_is_city", {SET("areas[0].code", "\"ruian\"")}, {"areas[0].code: ", "duplicate code \"ruian\""}},
	{"area_missing_name", {DEL("areas[2].name")}, {"areas[2]: ", "missing \"name\""}},
	{"area_empty_name", {SET("areas[2].name", "\"\"")}, {"areas[2].name: ", "must not be empty"}},
	{"area_name_not_string", {SET("areas[2].name", "7")}, {"areas[2].name: ", "must be a string"}},
	{"area_unknown_group", {SET("areas[7].group", "\"nogroup\"")},
	 {"areas[7].group: ", "unknown area group \"nogroup\""}},
	{"area_unknown_parent", {SET("areas[3].parent", "\"atlantis\"")},
	 {"areas[3].parent: ", "unknown area \"atlantis\""}},
	{"area_parent_cycle", {SET("areas[0].parent", "\"tangxia\""), SET("areas[1].parent", "\"anyang-center\"")},
	 {"areas[0].parent: ", "cycle"}},
	{"area_parent_self", {SET("areas[5].parent", "\"feiyun\"")}, {"areas[5].parent: ", "cycle"}},
	{"areas_empty", {SET("areas", "[]")}, {"x.json: areas: ", "no area"}},
	{"areas_not_objects", {SET("areas[1]", "\"tangxia\"")}, {"areas[1]: ", "must be an object"}},
	{"indicator_unknown_measure", {SET("indicators[1].measure", "\"area_m2\"")},
	 {"indicators[1].measure: ", "unknown measure \"area_m2\""}},
	{"indicator_recognised_without_level", {DEL("indicators[4].level")},
	 {"indicators[4]: ", "\"bases_recognised\" needs \"level\""}},
	{"indicator_unknown_level", {SET("indicators[4].level", "\"galactic\"")},
	 {"indicators[4].level: ", "unknown base level \"galactic\""}},
	{"indicator_bad_kind", {SET("indicators[0].kind", "\"race\"")}, {"indicators[0].kind: ", "\"race\""}},
	{"indicator_duplicate_code", {SET("indicators[7].code", "\"race_funds\"")},
	 {"indicators[7].code: ", "duplicate code \"race_funds\""}},
	{"rule_bad_op", {SET("rule_sets[0].rules[0].op", "\"=>\"")},
	 {"rule_sets[0].rules[0].op: ", "not one of"}},
	{"rule_missing_op", {DEL("rule_sets[0].rules[2].op")}, {"rule_sets[0].rules[2].op: ", "missing"}},
	{"rule_missing_threshold", {DEL("rule_sets[0].rules[6].threshold")},
	 {"rule_sets[0].rules[6].threshold: ", "missing"}},
	{"rule_unknown_measure", {SET("rule_sets[0].rules[1].measure", "\"base.height\"")},
	 {"rule_sets[0].rules[1].measure: ", "unknown measure \"base.height\""}},
	{"rule_duplicate_id", {SET("rule_sets[0].rules[1].id", "\"qigeyi-1a\"")},
	 {"rule_sets[0].rules[1].id: ", "duplicate code"}},
	{"work_item_unknown_unit", {SET("work_items[6].units[1]", "\"nasa\"")},
	 {"work_items[6].units[1]: ", "unknown department \"nasa\""}},
	{"work_item_unit_not_string", {SET("work_items[0].units[0]", "3")}, {"work_items[0].units[0]: ", "unknown department"}},
	{"department_is_area_code", {SET("departments[2].code", "\"feiyun\"")},
	 {"departments[2].code: ", "\"feiyun\" is already an area's code"}},
	{"department_is_city_code", {SET("departments[0].code", "\"ruian\"")},
	 {"departments[0].code: ", "already an area's code"}},
	{"department_duplicate", {SET("departments[3].code", "\"kjj\"")}, {"departments[3].code: ", "duplicate code \"kjj\""}},
	{"thresholds_out_of_order", {SET("status_thresholds", "{\"on_track\": 0.8, \"behind\": 0.9}")},
	 {"x.json: status_thresholds: ", "behind < on_track"}},
	{"thresholds_above_one", {SET("status_thresholds", "{\"on_track\": 1.2, \"behind\": 0.9}")},
	 {"status_thresholds: ", "on_track <= 1"}},
	{"thresholds_not_numbers", {SET("status_thresholds.behind", "\"0.85\"")},
	 {"status_thresholds: ", "must both be numbers"}},
	{"facility_bad_where", {SET("facilities[0].where", "\"nearby\"")}, {"facilities[0].where: ", "\"nearby\""}},
	{"vocab_duplicate", {SET("base_levels[1].code", "\"national\"")}, {"base_levels[1].code: ", "duplicate code"}},
	{"layout_bad_kind", {SET("layout_units[0].kind", "\"hub\"")}, {"layout_units[0].kind: ", "core, cluster"}},
};

/* Parses text as "x.json" and frees everything; *accepted tells whether
 * plan_parse returned a plan. Nothing is left to leak when a check fails. */
static void parse_free(const char *text, int *accepted, char *err, size_t errsz)
{
	Arena a = {0};
	*accepted = parse_x(&a, text, err, errsz) != NULL;
	arena_free(&a);
}

static void assert_refused(int accepted, const char *err, const char *const *frags, int nfrags)
{
	if (accepted)
		fail_msg("plan was accepted");
	if (strncmp(err, "x.json: ", 8) != 0)
		fail_msg("message does not start with the origin: \"%s\"", err);
	for (int i = 0; i < nfrags && frags[i]; i++)
		assert_contains(err, frags[i]);
	assert_null(strchr(err, '\n'));
}

static void test_refused(void **state)
{
	const BadCase *c = *state;
	int n = c->edits[1].op ? 2 : 1, accepted;
	char err[512];
	char *text = edited_plan(c->edits, n);
	parse_free(text, &accepted, err, sizeof err);
	free(text);
	assert_refused(accepted, err, c->frags, 3);
}

static void test_not_json(void **state)
{
	(void)state;
	static const char *const frags[] = {"x.json: line ", "not valid JSON"};
	char err[512];
	int accepted;
	parse_free("{\n  \"format\": \"hatchery-plan/1\",\n  \"code\": ", &accepted, err, sizeof err);
	assert_refused(accepted, err, frags, 2);
	assert_contains(err, "line 3");
	/* Only part of the embedded plan: cut in the middle. */
	char *cut = xstrndup(plan_embedded_ruian, 1000);
	parse_free(cut, &accepted, err, sizeof err);
	free(cut);
	assert_refused(accepted, err, frags, 2);
}

static void test_duplicate_key(void **state)
{
	(void)state;
	/* jansson cannot write a duplicate: insert one into the text. */
	Buf b = {0};
	buf_puts(&b, "{\"code\": \"dup\",");
	buf_puts(&b, plan_embedded_ruian + 1);
	static const char *const frags[] = {"x.json: line ", "not valid JSON", "duplicate"};
	char err[512];
	int accepted;
	parse_free(buf_str(&b), &accepted, err, sizeof err);
	buf_free(&b);
	assert_refused(accepted, err, frags, 3);
}

static void test_not_an_object(void **state)
{
	(void)state;
	static const char *const frags[] = {"x.json: (top): ", "JSON object"};
	char err[512];
	int accepted;
	parse_free("[1, 2, 3]", &accepted, err, sizeof err);
	assert_refused(accepted, err, frags, 2);
}

static void test_short_error_buffer(void **state)
{
	(void)state;
	static const Edit e[] = {SET("targets[3].scope", "\"nowhere\"")};
	char *text = edited_plan(e, 1);
	Arena a = {0};
	char err[24];
	memset(err, 'Z', sizeof err);
	assert_null(plan_parse(&a, text, strlen(text), "x.json", err, 12));
	assert_int_equal(strlen(err), 11);
	assert_string_equal(err, "x.json: tar");
	assert_int_equal(err[12], 'Z');
	free(text);
	arena_free(&a);
}

/* Variants that are valid: the checker must not refuse them. */
static void test_valid_variants(void **state)
{
	(void)state;
	Arena a = {0};
	char err[512];

	static const Edit nested[] = {SET("areas[0].parent", "\"tangxia\"")};
	char *text = edited_plan(nested, 1);
	Plan *p = parse_x(&a, text, err, sizeof err);
	if (!p)
		fail_msg("nested area refused: %s", err);
	assert_string_equal(plan_area(p, "anyang-center")->parent, "tangxia");
	free(text);

	static const Edit dept_scope[] = {SET("targets[0].scope", "\"kjj\"")};
	text = edited_plan(dept_scope, 1);
	p = parse_x(&a, text, err, sizeof err);
	if (!p)
		fail_msg("department scope refused: %s", err);
	assert_string_equal(p->targets[0].scope, "kjj");
	free(text);

	/* op defaults to >=; status_thresholds, rule_sets and work_items are optional. */
	static const Edit optional[] = {DEL("targets[0].op"), DEL("status_thresholds")};
	text = edited_plan(optional, 2);
	p = parse_x(&a, text, err, sizeof err);
	if (!p)
		fail_msg("optional parts refused: %s", err);
	assert_string_equal(p->targets[0].op, ">=");
	assert_near(p->on_track, 0.95, 1e-12);
	assert_near(p->behind, 0.85, 1e-12);
	free(text);

	static const Edit no_rules[] = {DEL("rule_sets"), DEL("work_items")};
	text = edited_plan(no_rules, 2);
	p = parse_x(&a, text, err, sizeof err);
	if (!p)
		fail_msg("plan without rules refused: %s", err);
	assert_int_equal(p->nrule_sets, 0);
	assert_int_equal(p->nwork_items, 0);
	free(text);

	static const Edit thresholds[] = {SET("status_thresholds", "{\"on_track\": 1, \"behind\": 0.5}")};
	text = edited_plan(thresholds, 1);
	p = parse_x(&a, text, err, sizeof err);
	if (!p)
		fail_msg("thresholds 1/0.5 refused: %s", err);
	assert_near(p->on_track, 1, 0);
	assert_near(p->behind, 0.5, 0);
	free(text);
	arena_free(&a);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_embedded_basics),
		cmocka_unit_test(test_embedded_indicators_targets),
		cmocka_unit_test(test_embedded_rules_work_items),
		cmocka_unit_test(test_plan_file_matches_embedded),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_short_error_buffer),
		cmocka_unit_test(test_valid_variants),
	};
	enum { NFIXED = sizeof fixed / sizeof fixed[0], NBAD = sizeof bad_cases / sizeof bad_cases[0] };
	/* One named test per broken variant. */
	static struct CMUnitTest tests[NFIXED + NBAD];
	static char names[NBAD][80];
	memcpy(tests, fixed, sizeof fixed);
	for (size_t i = 0; i < NBAD; i++) {
		snprintf(names[i], sizeof names[i], "test_refused_%s", bad_cases[i].name);
		tests[NFIXED + i] = (struct CMUnitTest){
			.name = names[i], .test_func = test_refused,
			.initial_state = (void *)&bad_cases[i],
		};
	}
	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
