/*
 * registry.c — checking registry input against the kinds' field
 * descriptions (registry.h), and the descriptions themselves.
 */
#include "registry.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"


/* The base (孵化基地): DESIGN.md's fields plus what DOMAIN.md asks for.
 * Order matters: store_registry.c binds the writable fields in this order. */
static const Field base_fields[] = {
	{"id", "编号", FT_INT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
	{"name", "名称", FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 0, 0, 120, "全称，如“瑞安市××众创空间”"},
	{"kind", "类型", FT_CODE, FF_REQUIRED | FF_LIST, "base_kind", 0, 0, 0, NULL},
	{"area", "所属区域", FT_AREA, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"layout_unit", "空间布局单元", FT_LAYOUT, 0, NULL, 0, 0, 0, "一芯两群三带五区，可不填"},
	{"specialised", "专业孵化器", FT_BOOL, 0, NULL, 0, 0, 0, "75% 以上企业属同一产业并有专业技术平台"},
	{"leading_industry", "主导产业", FT_TEXT, FF_LIST, NULL, 0, 0, 60, NULL},
	{"status", "运营状态", FT_CODE, FF_REQUIRED, "=planned:规划中|building:建设中|operating:运营中|closed:已关闭", 0, 0, 0,
	 NULL},
	{"opened_on", "开业日期", FT_DATE, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, "年-月-日；新增面积自此日起计"},
	{"operator_id", "运营机构编号", FT_REF, 0, "operator", 0, 0, 0, NULL},
	{"total_area_m2", "总面积（㎡）", FT_REAL, FF_REQUIRED | FF_LIST, NULL, 0, 5e6, 0, "孵化空间总面积，平方米"},
	{"incubation_area_m2", "孵化面积（㎡）", FT_REAL, FF_REQUIRED, NULL, 0, 5e6, 0, "直接用于企业孵化的面积，不大于总面积"},
	{"public_service_area_m2", "公共服务面积（㎡）", FT_REAL, 0, NULL, 0, 5e6, 0, NULL},
	{"has_public_platform", "有专业技术公共平台", FT_BOOL, 0, NULL, 0, 0, 0, NULL},
	{"public_platform", "公共平台说明", FT_TEXT, 0, NULL, 0, 0, 500, NULL},
	{"facilities", "功能配套", FT_CODES, 0, "facility", 0, 0, 0, "可多选"},
	{"firms_total", "在孵企业数", FT_INT, 0, NULL, 0, 100000, 0, NULL},
	{"firms_leading_industry", "主导产业企业数", FT_INT, 0, NULL, 0, 100000, 0, "不大于在孵企业数"},
	{"talents", "人才数", FT_INT, 0, NULL, 0, 1000000, 0, NULL},
	{"teams", "团队数", FT_INT, 0, NULL, 0, 100000, 0, NULL},
	{"address", "地址", FT_TEXT, 0, NULL, 0, 0, 200, NULL},
	{"space_source", "空间来源", FT_CODE, 0, "space_source", 0, 0, 0, NULL},
	{"contact", "联系人及电话", FT_TEXT, 0, NULL, 0, 0, 100, NULL},
	{"review_status", "审核状态", FT_TEXT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
};

const Kind kind_base = {"bases", "孵化基地", base_fields, (int)(sizeof base_fields / sizeof base_fields[0]), "opened_on", "kind", "level"};

/* 专业运营机构 (三(五)): the five capabilities, with a line of evidence each. */
static const Field operator_fields[] = {
	{"id", "编号", FT_INT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
	{"name", "名称", FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 0, 0, 120, NULL},
	{"area", "所属区域", FT_AREA, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, "引进到的镇街或功能区"},
	{"introduced_on", "引进日期", FT_DATE, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, "计入“新引进专业运营机构”的日期"},
	{"leading_firm", "龙头企业", FT_BOOL, FF_LIST, NULL, 0, 0, 0, "是龙头企业而非专业运营机构时选“是”"},
	{"capabilities", "具备的能力", FT_CODES, 0, "operator_capability", 0, 0, 0, "“五种能力”中具备的，可多选"},
	{"evidence", "能力佐证", FT_TEXT, 0, NULL, 0, 0, 2000, "每种能力一行，写明佐证（如合作机构、服务案例）"},
	{"note", "备注", FT_TEXT, 0, NULL, 0, 0, 500, NULL},
	{"review_status", "审核状态", FT_TEXT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
};
const Kind kind_operator = {"operators", "运营机构", operator_fields, (int)(sizeof operator_fields / sizeof operator_fields[0]),
                            "introduced_on", "leading_firm", "capabilities"};

/* 基金 (三(六)). */
static const Field fund_fields[] = {
	{"id", "编号", FT_INT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
	{"name", "名称", FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 0, 0, 120, NULL},
	{"kind", "基金类型", FT_CODE, FF_LIST, "fund_kind", 0, 0, 0, NULL},
	{"stage", "投资阶段", FT_CODE, FF_REQUIRED, "=seed:种子|angel:天使|vc:创投|pe:私募股权|other:其他", 0, 0, 0, NULL},
	{"size_yuan", "规模（元）", FT_REAL, FF_REQUIRED | FF_LIST, NULL, 0, 1e12, 0, "单位：元，如 1 亿元填 100000000"},
	{"origin", "来源", FT_CODE, FF_REQUIRED, "=new:新设立|brought_in:引进合作", 0, 0, 0, NULL},
	{"established_on", "设立或引进日期", FT_DATE, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"manager", "管理人", FT_TEXT, 0, NULL, 0, 0, 120, NULL},
	{"area", "所属区域", FT_AREA, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"base_id", "所在孵化基地编号", FT_REF, 0, "base", 0, 0, 0, "设在孵化器内部的基金填写"},
	{"inside_base", "设在孵化器内部", FT_BOOL, 0, NULL, 0, 0, 0, NULL},
	{"targets_leading_industry", "针对主导产业", FT_BOOL, 0, NULL, 0, 0, 0, NULL},
	{"review_status", "审核状态", FT_TEXT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
};
const Kind kind_fund = {"funds", "基金", fund_fields, (int)(sizeof fund_fields / sizeof fund_fields[0]), "established_on",
                        "stage", "origin"};

/* 基金投资 (六比竞赛 6). */
static const Field investment_fields[] = {
	{"id", "编号", FT_INT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
	{"fund_id", "基金编号", FT_REF, FF_REQUIRED | FF_LIST, "fund", 0, 0, 0, NULL},
	{"investee", "被投企业（项目）", FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 0, 0, 120, NULL},
	{"base_id", "所在孵化基地编号", FT_REF, FF_LIST, "base", 0, 0, 0, "被投企业在孵化基地内时填写；计入“基金对孵化基地内企业投资”"},
	{"area", "所属区域", FT_AREA, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"amount_yuan", "金额（元）", FT_REAL, FF_REQUIRED | FF_LIST, NULL, 0, 1e12, 0, "单位：元"},
	{"invested_on", "投资日期", FT_DATE, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"review_status", "审核状态", FT_TEXT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
};
const Kind kind_investment = {"investments", "基金投资", investment_fields,
                              (int)(sizeof investment_fields / sizeof investment_fields[0]), "invested_on", "fund_id",
                              "base_id"};

/* 科创项目(团队). */
static const Field project_fields[] = {
	{"id", "编号", FT_INT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
	{"name", "名称", FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 0, 0, 120, NULL},
	{"kind", "类别", FT_CODE, FF_REQUIRED | FF_LIST, "=project:项目|team:团队", 0, 0, 0, NULL},
	{"base_id", "入驻孵化基地编号", FT_REF, 0, "base", 0, 0, 0, NULL},
	{"area", "所属区域", FT_AREA, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"field", "领域", FT_TEXT, FF_LIST, NULL, 0, 0, 60, NULL},
	{"source", "来源", FT_CODE, 0, "=introduced:招引|contest:赛事|roadshow:路演", 0, 0, 0, NULL},
	{"arrived_on", "落地日期", FT_DATE, FF_REQUIRED | FF_LIST, NULL, 0, 0, 0, NULL},
	{"review_status", "审核状态", FT_TEXT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
};
const Kind kind_project = {"projects", "科创项目（团队）", project_fields, (int)(sizeof project_fields / sizeof project_fields[0]),
                           "arrived_on", "kind", "source"};

/* 在孵企业 (火炬统计 per firm). */
static const Field firm_fields[] = {
	{"id", "编号", FT_INT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
	{"name", "企业名称", FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 0, 0, 120, NULL},
	{"uscc", "统一社会信用代码", FT_USCC, FF_LIST, NULL, 0, 0, 0, "18 位，含校验码"},
	{"base_id", "孵化基地编号", FT_REF, FF_REQUIRED | FF_LIST, "base", 0, 0, 0, NULL},
	{"area", "所属区域", FT_AREA, 0, NULL, 0, 0, 0, "自动取所在孵化基地的区域，无须填写"},
	{"entered_on", "入孵日期", FT_DATE, FF_LIST, NULL, 0, 0, 0, NULL},
	{"founded_on", "成立日期", FT_DATE, 0, NULL, 0, 0, 0, NULL},
	{"industry", "行业", FT_TEXT, FF_LIST, NULL, 0, 0, 60, NULL},
	{"in_leading_industry", "属主导产业", FT_BOOL, FF_LIST, NULL, 0, 0, 0, NULL},
	{"graduated_on", "毕业日期", FT_DATE, 0, NULL, 0, 0, 0, NULL},
	{"high_tech", "高新技术企业", FT_BOOL, 0, NULL, 0, 0, 0, NULL},
	{"review_status", "审核状态", FT_TEXT, FF_READONLY | FF_LIST, NULL, 0, 0, 0, NULL},
};
const Kind kind_firm = {"firms", "在孵企业", firm_fields, (int)(sizeof firm_fields / sizeof firm_fields[0]), "entered_on",
                        "base_id", "high_tech"};

const Kind *const registry_kinds[] = {&kind_base, &kind_operator, &kind_fund, &kind_investment, &kind_project, &kind_firm};
const int registry_kind_count = (int)(sizeof registry_kinds / sizeof registry_kinds[0]);

int uscc_valid(const char *code)
{
	/* GB 32100-2015: 17 characters of the alphabet below, then a check
	 * character = 31 - (sum of value x weight mod 31), 31 → 0. */
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	if (!code || strlen(code) != 18)
		return 0;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		const char *p = strchr(alphabet, code[i]);
		if (!p || !code[i])
			return 0;
		sum += (int)(p - alphabet) * weights[i];
	}
	int check = 31 - sum % 31;
	if (check == 31)
		check = 0;
	return code[17] == alphabet[check];
}

int registry_field_index(const Kind *k, const char *name)
{
	for (int i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return i;
	return -1;
}

const Kind *kind_by_name(const char *name)
{
	for (int i = 0; i < registry_kind_count; i++)
		if (name && strcmp(registry_kinds[i]->name, name) == 0)
			return registry_kinds[i];
	return NULL;
}

void registry_from_json(Arena *a, const Kind *k, json_t *obj, Values *v)
{
	memset(v, 0, sizeof *v);
	v->kind = k;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		int i = registry_field_index(k, key);
		if (i < 0 || (k->fields[i].flags & FF_READONLY)) {
			if (!v->unknown)
				v->unknown = arena_strdup(a, key);
			continue;
		}
		if (json_is_null(val)) {
			v->v[i] = "";
		} else if (json_is_string(val)) {
			v->v[i] = arena_strdup(a, json_string_value(val));
		} else if (json_is_boolean(val)) {
			v->v[i] = json_is_true(val) ? "1" : "0";
		} else if (json_is_integer(val)) {
			v->v[i] = arena_printf(a, "%lld", (long long)json_integer_value(val));
		} else if (json_is_real(val)) {
			v->v[i] = arena_printf(a, "%.17g", json_real_value(val));
		} else if (json_is_array(val) && k->fields[i].type == FT_CODES) {
			char *s = json_dumps(val, JSON_COMPACT);
			v->v[i] = arena_strdup(a, s ? s : "[]");
			free(s);
		} else {
			v->v[i] = "\x01"; /* a type no field takes: reported by registry_check */
		}
	}
}

void registry_from_lookup(const Kind *k, const char *(*get)(void *ctx, const char *key), void *ctx, Values *v)
{
	memset(v, 0, sizeof *v);
	v->kind = k;
	for (int i = 0; i < k->nfields; i++)
		if (!(k->fields[i].flags & FF_READONLY))
			v->v[i] = get(ctx, k->fields[i].name);
}

void registry_merge(Values *into, const Values *from)
{
	for (int i = 0; i < into->kind->nfields; i++)
		if (!into->v[i])
			into->v[i] = from->v[i];
}

void registry_from_record_json(Arena *a, const Kind *k, const char *json, Values *v)
{
	memset(v, 0, sizeof *v);
	v->kind = k;
	json_error_t e;
	json_t *o = json ? json_loads(json, 0, &e) : NULL;
	if (!o)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val) {
		int i = registry_field_index(k, key);
		if (i < 0 || json_is_null(val))
			continue;
		if (json_is_string(val))
			v->v[i] = arena_strdup(a, json_string_value(val));
		else if (json_is_integer(val))
			v->v[i] = arena_printf(a, "%lld", (long long)json_integer_value(val));
		else if (json_is_real(val))
			v->v[i] = arena_printf(a, "%.17g", json_real_value(val));
		else if (json_is_boolean(val))
			v->v[i] = json_is_true(val) ? "1" : "0";
		else if (json_is_array(val)) {
			char *s = json_dumps(val, JSON_COMPACT);
			v->v[i] = arena_strdup(a, s ? s : "[]");
			free(s);
		}
	}
	json_decref(o);
}

static const char *trim(Arena *a, const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *t = arena_alloc(a, n + 1);
	memcpy(t, s, n);
	return t;
}

static int vocab_has(const Plan *p, const char *list, const char *code)
{
	for (int i = 0; i < p->nvocab; i++)
		if (strcmp(p->vocab[i].list, list) == 0 && strcmp(p->vocab[i].code, code) == 0)
			return 1;
	return 0;
}

const char *registry_fixed_label(const char *set, const char *code, Arena *a)
{
	size_t n = strlen(code);
	for (const char *p = set + 1; *p;) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		const char *colon = memchr(p, ':', l);
		size_t cl = colon ? (size_t)(colon - p) : l;
		if (cl == n && strncmp(p, code, n) == 0) {
			if (!colon)
				return code;
			char *label = arena_alloc(a, l - cl);
			memcpy(label, colon + 1, l - cl - 1);
			return label;
		}
		p += l + (bar ? 1 : 0);
	}
	return NULL;
}

int registry_fixed_codes(const char *set, const char **codes, int max)
{
	int n = 0;
	static _Thread_local char buf[512];
	snprintf(buf, sizeof buf, "%s", set + 1);
	char *save = NULL;
	for (char *t = strtok_r(buf, "|", &save); t && n < max; t = strtok_r(NULL, "|", &save)) {
		char *colon = strchr(t, ':');
		if (colon)
			*colon = 0;
		codes[n++] = t;
	}
	return n;
}

int registry_fixed_pairs(const char *set, Arena *a, const char **codes, const char **labels, int max)
{
	int n = registry_fixed_codes(set, codes, max);
	for (int i = 0; i < n; i++)
		codes[i] = arena_strdup(a, codes[i]);
	for (int i = 0; i < n; i++)
		labels[i] = registry_fixed_label(set, codes[i], a);
	return n;
}

static int code_known(const Plan *p, const char *list, const char *code)
{
	static _Thread_local Arena scratch;
	int known = list[0] == '=' ? registry_fixed_label(list, code, &scratch) != NULL : vocab_has(p, list, code);
	arena_free(&scratch);
	return known;
}

/* Normalises a list of codes to a JSON array text; NULL on a bad code (*bad set). */
static const char *codes_json(Arena *a, const Plan *p, const char *list, const char *in, const char **bad)
{
	json_error_t e;
	json_t *arr = in[0] == '[' ? json_loads(in, 0, &e) : NULL;
	if (in[0] == '[' && !json_is_array(arr)) {
		json_decref(arr);
		*bad = in;
		return NULL;
	}
	if (!arr) {
		arr = json_array();
		/* split on ',' ' ' and the full-width '，' '、' as whole characters
		 * (strtok_r would take their UTF-8 bytes one by one and cut Chinese) */
		static const char *const seps[] = {",", " ", "，", "、", "；", ";"};
		const char *q = in;
		while (*q) {
			size_t sl = 0;
			for (size_t i = 0; i < ARRAY_LEN(seps) && !sl; i++)
				if (!strncmp(q, seps[i], strlen(seps[i])))
					sl = strlen(seps[i]);
			const char *start = q;
			while (*q && !sl) {
				q++;
				for (size_t i = 0; i < ARRAY_LEN(seps) && !sl; i++)
					if (!strncmp(q, seps[i], strlen(seps[i])))
						sl = strlen(seps[i]);
			}
			if (q > start)
				json_array_append_new(arr, json_string(arena_printf(a, "%.*s", (int)(q - start), start)));
			q += sl;
		}
	}
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		const char *c = json_string_value(x);
		if (!c || !code_known(p, list, c)) {
			*bad = c ? arena_strdup(a, c) : "（非文本）";
			json_decref(arr);
			return NULL;
		}
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	const char *out = arena_strdup(a, s);
	free(s);
	return out;
}

/* The part of an area's name before its kind ("飞云街道" → "飞云",
 * "马屿镇" → "马屿", "塘下新区" → "塘下"). */
static size_t area_stem(const char *name)
{
	static const char *const kinds[] = {"中心城区", "街道", "新区", "开发区", "功能区", "镇", "乡", "区"};
	size_t n = strlen(name);
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		size_t k = strlen(kinds[i]);
		if (n > k && !strcmp(name + n - k, kinds[i]))
			return n - k;
	}
	return n;
}

/* The area a mistyped name most likely means: the one with the same name
 * before its kind (飞云镇 → 飞云街道), or named in its note as the text
 * wrote it (“桐铺镇” → 桐浦镇); NULL when none or more than one. */
static const Area *area_near(const Plan *p, const char *typed)
{
	const Area *hit = NULL;
	int hits = 0;
	size_t ts = area_stem(typed);
	for (int i = 0; i < p->nareas; i++) {
		const Area *ar = &p->areas[i];
		if (!ar->name || strcmp(ar->level, "area") != 0)
			continue;
		size_t as = area_stem(ar->name);
		int same = ts >= 3 && ts == as && !strncmp(typed, ar->name, ts);
		if (!same && ar->note) {
			const char *q = strstr(ar->note, "“");
			same = q && !strncmp(q + strlen("“"), typed, strlen(typed)) && !strncmp(q + strlen("“") + strlen(typed), "”", strlen("”"));
		}
		if (same) {
			hit = ar;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}

/* What a reference field's table holds, in Chinese. */
static const char *ref_word(const char *table)
{
	return !strcmp(table, "operator") ? "运营机构" : !strcmp(table, "base") ? "孵化基地" : !strcmp(table, "fund") ? "基金" : "记录";
}

/* A reference given by name ("名称", or "名称（区域）" where names repeat):
 * *val becomes the record's id; NULL, or the error for the field. */
static const char *ref_by_name(Store *s, Arena *a, const Plan *p, const Field *f, const char *x, const char **val)
{
	const char *word = ref_word(f->list);
	if (!s)
		return arena_printf(a, "“%s”不是%s的编号。", x, word);
	RefChoice *c;
	int n = store_ref_named(s, a, f->list, x, 8, &c);
	const char *open = strstr(x, "（");
	size_t xl = strlen(x), cl = strlen("）");
	if (n == 0 && open && open > x && xl > cl && !strcmp(x + xl - cl, "）")) {
		/* "名称（区域）": the one of that name in that area */
		const char *name = arena_printf(a, "%.*s", (int)(open - x), x);
		const char *where = arena_printf(a, "%.*s", (int)(xl - cl - (size_t)(open - x) - strlen("（")), open + strlen("（"));
		RefChoice *all;
		int m = store_ref_named(s, a, f->list, name, 64, &all);
		n = m < 0 ? -1 : 0;
		for (int i = 0; i < m; i++)
			if (!strcmp(area_name(p, all[i].area), where) || !strcmp(all[i].area, where)) {
				if (n == 0)
					c = &all[i];
				n++;
			}
	}
	if (n < 0)
		return "暂时无法查找，请稍后再试。";
	if (n == 0)
		return arena_printf(a, "没有名为“%s”的%s，请从列表中选择；尚未登记的请先登记该%s。", x, word, word);
	if (n > 1)
		return arena_printf(a, "有 %d 个名为“%s”的%s，请选择带区域的一项，如“%s（%s）”。", n, x, word, x,
		                    area_name(p, c[0].area));
	*val = arena_printf(a, "%lld", c[0].id);
	return NULL;
}

int registry_check(Values *v, Arena *a, const Plan *p, Store *s, int creating)
{
	const Kind *k = v->kind;
	v->nerr = 0;
	for (int i = 0; i < k->nfields; i++) {
		const Field *f = &k->fields[i];
		v->err[i] = NULL;
		if (f->flags & FF_READONLY)
			continue;
		const char *x = v->v[i];
		if (x && strcmp(x, "\x01") == 0) {
			v->err[i] = "类型不对：应为文本、数字、true/false 或 null。";
			v->nerr++;
			continue;
		}
		if (x)
			x = v->v[i] = trim(a, x);
		if (!x || !*x) {
			if ((f->flags & FF_REQUIRED) && (creating || x)) {
				v->err[i] = arena_printf(a, "请填写%s。", f->label);
				v->nerr++;
			}
			continue;
		}
		const char *err = NULL;
		char *end;
		switch (f->type) {
		case FT_TEXT:
			if (f->max_len && utf8_chars(x) > (size_t)(f->max_len / 3))
				err = arena_printf(a, "内容过长：最多 %d 个字，现有 %d 个字，请精简。", f->max_len / 3, (int)utf8_chars(x));
			break;
		case FT_INT: {
			long long n = strtoll(x, &end, 10);
			if (*end)
				err = "应为整数，例如 12。";
			else if (n < f->min || n > f->max)
				err = arena_printf(a, "应在 %.0f 到 %.0f 之间。", f->min, f->max);
			break;
		}
		case FT_REAL: {
			/* As people type it: "8,000", "0.8万", full-width digits. */
			double d = 0;
			if (parse_amount(x, &d))
				err = arena_printf(a, "“%s”应为数字，例如 8000、8,000 或 0.8万。", x);
			else if (d < f->min || d > f->max)
				err = arena_printf(a, "“%s”超出范围，应在 %.0f 到 %.0f 之间。", x, f->min, f->max);
			else
				v->v[i] = arena_printf(a, "%.15g", d);
			break;
		}
		case FT_DATE:
			if (!date_valid(x))
				err = "日期格式应为 年-月-日，例如 2023-06-30，且须是真实日期。";
			break;
		case FT_BOOL:
			if (!strcmp(x, "1") || !strcmp(x, "true") || !strcmp(x, "是") || !strcmp(x, "on"))
				v->v[i] = "1";
			else if (!strcmp(x, "0") || !strcmp(x, "false") || !strcmp(x, "否"))
				v->v[i] = "0";
			else
				err = "应为“是”或“否”。";
			break;
		case FT_CODE:
			if (!code_known(p, f->list, x))
				err = "不是可选的值，请从下拉列表中选择。";
			break;
		case FT_CODES: {
			const char *bad = NULL;
			const char *j = codes_json(a, p, f->list, x, &bad);
			if (!j)
				err = arena_printf(a, "“%s”不是可选的值，请从列表中选择。", bad);
			else
				v->v[i] = j;
			break;
		}
		case FT_AREA: {
			const Area *ar = plan_area(p, x);
			if (!ar || strcmp(ar->level, "area") != 0) {
				/* repeat what was typed, and the area it most likely means */
				const Area *near = area_near(p, x);
				err = near ? arena_printf(a, "“%s”不是本市的区域名称，是否应为“%s”？请改为“%s”。", x, near->name, near->name)
				           : arena_printf(a, "“%s”不是本市的区域，请填写镇街或功能区的全称，或从下拉列表中选择。", x);
			}
			break;
		}
		case FT_LAYOUT: {
			int known = 0;
			for (int j = 0; j < p->nlayout_units; j++)
				known |= strcmp(p->layout_units[j].code, x) == 0;
			if (!known)
				err = "不是规划中的空间布局单元，请从下拉列表中选择。";
			break;
		}
		case FT_USCC: {
			char *up = arena_strdup(a, x);
			for (char *c = up; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			v->v[i] = up;
			if (strlen(up) != 18)
				err = "统一社会信用代码应为 18 位，请核对营业执照。";
			else if (!uscc_valid(up))
				err = "统一社会信用代码校验位不符（或含 I、O、S、V、Z 等不允许的字母），请核对营业执照。";
			break;
		}
		case FT_REF: {
			long long id = strtoll(x, &end, 10);
			if (*end || id <= 0) {
				/* a name, as the picker offers it: "名称" or "名称（区域）" */
				err = ref_by_name(s, a, p, f, x, &v->v[i]);
				break;
			}
			int found = !s ? 1 : store_record_exists(s, f->list, id);
			if (found <= 0)
				err = arena_printf(a, "没有编号为 %s 的%s，请从列表中选择。", x, ref_word(f->list));
			break;
		}
		}
		if (err) {
			v->err[i] = err;
			v->nerr++;
		}
	}
	/* A record placed in a base belongs to the base's area. */
	int bi = registry_field_index(k, "base_id"), ai = registry_field_index(k, "area");
	if (s && k != &kind_base && bi >= 0 && ai >= 0 && !v->err[bi] && !v->err[ai] && v->v[bi] && *v->v[bi] && v->v[ai] &&
	    *v->v[ai]) {
		const char *barea = NULL;
		if (store_base_area(s, a, id_or_zero(v->v[bi]), &barea) == 1 && strcmp(barea, v->v[ai]) != 0) {
			const Area *ar = plan_area(p, barea);
			v->err[ai] = arena_printf(a, "应与所在孵化基地的区域一致（%s）。", ar ? ar->name : barea);
			v->nerr++;
		}
	}
	/* Cross-field rules of the base. */
	if (k == &kind_base) {
		int ti = registry_field_index(k, "total_area_m2"), ii = registry_field_index(k, "incubation_area_m2");
		if (!v->err[ti] && !v->err[ii] && v->v[ti] && v->v[ii] && *v->v[ti] && *v->v[ii] &&
		    real_or_zero(v->v[ii]) > real_or_zero(v->v[ti])) {
			v->err[ii] = "孵化面积不能大于总面积，请核对。";
			v->nerr++;
		}
		int fi = registry_field_index(k, "firms_total"), li = registry_field_index(k, "firms_leading_industry");
		if (!v->err[fi] && !v->err[li] && v->v[fi] && v->v[li] && *v->v[fi] && *v->v[li] &&
		    int_or_zero(v->v[li]) > int_or_zero(v->v[fi])) {
			v->err[li] = "主导产业企业数不能大于在孵企业数，请核对。";
			v->nerr++;
		}
	}
	return v->nerr;
}

const char *const *registry_natural_key(const Kind *k, const Values *v)
{
	static const char *const base[] = {"name", "area", NULL}, *const op[] = {"name", NULL},
	                         *const fund[] = {"name", "established_on", NULL},
	                         *const inv[] = {"fund_id", "investee", "invested_on", NULL},
	                         *const proj[] = {"name", "area", "arrived_on", NULL}, *const firm_uscc[] = {"uscc", NULL},
	                         *const firm_name[] = {"name", "base_id", NULL};
	const char *const *key = k == &kind_base ? base : k == &kind_operator ? op : k == &kind_fund ? fund
	                       : k == &kind_investment ? inv : k == &kind_project ? proj : NULL;
	if (k == &kind_firm) {
		int ui = registry_field_index(k, "uscc");
		key = ui >= 0 && v->v[ui] && *v->v[ui] ? firm_uscc : firm_name;
	}
	for (int i = 0; key && key[i]; i++) {
		int fi = registry_field_index(k, key[i]);
		if (fi < 0 || !v->v[fi] || !*v->v[fi])
			return NULL;
	}
	return key;
}

const char *registry_key_words(const Kind *k, const char *const *key, Arena *a)
{
	Buf b = {0};
	for (int i = 0; key[i]; i++) {
		int fi = registry_field_index(k, key[i]);
		buf_printf(&b, "%s%s", i == 0 ? "" : key[i + 1] ? "\u3001" : "和", fi >= 0 ? k->fields[fi].label : key[i]);
	}
	const char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}
