/*
 * plan.c — reads and checks a plan file (docs/PLAN-FORMAT.md) into a Plan.
 *
 * The checker stops at the first problem and names it by its JSON path
 * ("targets[3].scope: unknown area or department \"foo\""), so the person
 * editing the file can go straight to it. Nothing is written anywhere: the
 * caller saves the Plan (store_plan_save) only when parsing succeeded.
 */
#include "plan.h"
#include "forms.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_check.h"

#include "eval.h"
#include "store.h"

typedef JsonCheck Ck;

static const char *pathf(Ck *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *pathf(Ck *ck, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return arena_strdup(ck->a, tmp);
}

/* A string member; required ones must be present and non-empty. */
static const char *get_str(Ck *ck, json_t *obj, const char *path, const char *key, int required)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			json_fail(ck, path, "missing \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		json_fail(ck, pathf(ck, "%s.%s", path, key), "must be a string");
		return NULL;
	}
	const char *s = json_string_value(v);
	if (required && !*s) {
		json_fail(ck, pathf(ck, "%s.%s", path, key), "must not be empty");
		return NULL;
	}
	return arena_strdup(ck->a, s);
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static const char *get_code(Ck *ck, json_t *obj, const char *path, const char *key)
{
	const char *s = get_str(ck, obj, path, key, 1);
	if (s && !code_ok(s)) {
		json_fail(ck, pathf(ck, "%s.%s", path, key),
		          "\"%s\" is not a code (1-40 of a-z, 0-9, - and _)", s);
		return NULL;
	}
	return s;
}

static json_t *get_array(Ck *ck, json_t *obj, const char *path, const char *key, int required)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			json_fail(ck, path, "missing \"%s\"", key);
		return NULL;
	}
	if (!json_is_array(v)) {
		json_fail(ck, pathf(ck, "%s.%s", path, key), "must be a list");
		return NULL;
	}
	return v;
}

/* An array member whose elements must all be objects. */
static json_t *get_objects(Ck *ck, json_t *obj, const char *key, int required)
{
	json_t *arr = get_array(ck, obj, "(top)", key, required);
	if (!arr)
		return NULL;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_object(v)) {
			json_fail(ck, pathf(ck, "%s[%zu]", key, i), "must be an object");
			return NULL;
		}
	}
	return arr;
}

/* ---- code spaces ---- */

typedef struct Codes {
	const char **v;
	int n, cap;
} Codes;

static int codes_has(const Codes *c, const char *code)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], code) == 0)
			return 1;
	return 0;
}

/* Adds code, refusing a duplicate. */
static void codes_add(Ck *ck, Codes *c, const char *code, const char *path)
{
	if (!code)
		return;
	if (codes_has(c, code)) {
		json_fail(ck, path, "duplicate code \"%s\"", code);
		return;
	}
	const char **slot = arena_push(ck->a, &c->v, &c->n, &c->cap, sizeof *slot);
	*slot = code;
}

static void parse_vocab(Ck *ck, Plan *p, json_t *root, const char *key, const char *list, int cap_vocab)
{
	json_t *arr = get_objects(ck, root, key, 1);
	if (!arr)
		return;
	Codes seen = {0};
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *path = pathf(ck, "%s[%zu]", key, i);
		int is_fac = strcmp(list, "facility") == 0;
		json_check_keys(ck, o, path, is_fac ? "code,name,name_en,where" : "code,name,name_en");
		Vocab *v = &p->vocab[p->nvocab];
		if (p->nvocab >= cap_vocab) {
			json_fail(ck, path, "too many entries");
			return;
		}
		v->list = list;
		v->code = get_code(ck, o, path, "code");
		v->name = get_str(ck, o, path, "name", 1);
		v->name_en = get_str(ck, o, path, "name_en", 0);
		if (is_fac) {
			v->extra = get_str(ck, o, path, "where", 1);
			if (v->extra && strcmp(v->extra, "inside") && strcmp(v->extra, "around"))
				json_fail(ck, pathf(ck, "%s.where", path), "must be \"inside\" or \"around\", not \"%s\"", v->extra);
		}
		codes_add(ck, &seen, v->code, pathf(ck, "%s.code", path));
		if (ck->failed)
			return;
		p->nvocab++;
	}
}

static int vocab_has(const Plan *p, const char *list, const char *code)
{
	for (int i = 0; i < p->nvocab; i++)
		if (strcmp(p->vocab[i].list, list) == 0 && strcmp(p->vocab[i].code, code) == 0)
			return 1;
	return 0;
}


static int one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static void parse_areas(Ck *ck, Plan *p, json_t *root, Codes *scopes)
{
	json_t *city = json_object_get(root, "city");
	if (!json_is_object(city)) {
		json_fail(ck, "city", "missing, or not an object {code, name}");
		return;
	}
	json_check_keys(ck, city, "city", "code,name,name_en");
	p->city.code = get_code(ck, city, "city", "code");
	p->city.name = get_str(ck, city, "city", "name", 1);
	p->city.name_en = get_str(ck, city, "city", "name_en", 0);
	p->city.level = "city";
	codes_add(ck, scopes, p->city.code, "city.code");

	json_t *arr = get_objects(ck, root, "area_groups", 1);
	Codes groups = {0};
	if (arr) {
		p->groups = arena_alloc(ck->a, sizeof *p->groups * (json_array_size(arr) + 1));
		size_t i;
		json_t *o;
		json_array_foreach(arr, i, o) {
			const char *path = pathf(ck, "area_groups[%zu]", i);
			json_check_keys(ck, o, path, "code,name,name_en,focus,block");
			AreaGroup *g = &p->groups[p->ngroups++];
			g->code = get_code(ck, o, path, "code");
			g->name = get_str(ck, o, path, "name", 1);
			g->name_en = get_str(ck, o, path, "name_en", 0);
			g->focus = get_str(ck, o, path, "focus", 0);
			g->block = get_str(ck, o, path, "block", 0);
			codes_add(ck, &groups, g->code, pathf(ck, "%s.code", path));
		}
	}

	arr = get_objects(ck, root, "areas", 1);
	if (!arr || ck->failed)
		return;
	if (json_array_size(arr) == 0) {
		json_fail(ck, "areas", "the plan names no area");
		return;
	}
	p->areas = arena_alloc(ck->a, sizeof *p->areas * json_array_size(arr));
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *path = pathf(ck, "areas[%zu]", i);
		json_check_keys(ck, o, path, "code,name,name_en,group,parent,note");
		Area *a = &p->areas[p->nareas++];
		a->level = "area";
		a->code = get_code(ck, o, path, "code");
		a->name = get_str(ck, o, path, "name", 1);
		a->name_en = get_str(ck, o, path, "name_en", 0);
		a->group = get_str(ck, o, path, "group", 0);
		a->parent = get_str(ck, o, path, "parent", 0);
		a->note = get_str(ck, o, path, "note", 0);
		if (!a->parent)
			a->parent = p->city.code;
		codes_add(ck, scopes, a->code, pathf(ck, "%s.code", path));
		if (a->group && !codes_has(&groups, a->group))
			json_fail(ck, pathf(ck, "%s.group", path), "unknown area group \"%s\"", a->group);
		if (ck->failed)
			return;
	}
	/* Parents: known, and no cycles (walk up at most nareas steps). */
	for (int k = 0; k < p->nareas && !ck->failed; k++) {
		const char *cur = p->areas[k].parent;
		int steps = 0;
		while (cur && strcmp(cur, p->city.code) != 0) {
			const Area *up = NULL;
			for (int j = 0; j < p->nareas; j++)
				if (strcmp(p->areas[j].code, cur) == 0)
					up = &p->areas[j];
			if (!up) {
				json_fail(ck, pathf(ck, "areas[%d].parent", k), "unknown area \"%s\"", cur);
				break;
			}
			if (++steps > p->nareas) {
				json_fail(ck, pathf(ck, "areas[%d].parent", k), "the parents form a cycle");
				break;
			}
			cur = up->parent;
		}
	}
}

static void parse_indicators(Ck *ck, Plan *p, json_t *root)
{
	json_t *arr = get_objects(ck, root, "indicators", 1);
	if (!arr)
		return;
	Codes seen = {0};
	p->indicators = arena_alloc(ck->a, sizeof *p->indicators * (json_array_size(arr) + 1));
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *path = pathf(ck, "indicators[%zu]", i);
		json_check_keys(ck, o, path, "code,name,name_en,unit,kind,measure,level,measure_zh,measure_en");
		Indicator *in = &p->indicators[p->nindicators++];
		in->code = get_code(ck, o, path, "code");
		in->name = get_str(ck, o, path, "name", 1);
		in->name_en = get_str(ck, o, path, "name_en", 0);
		in->unit = get_str(ck, o, path, "unit", 1);
		in->kind = get_str(ck, o, path, "kind", 1);
		in->measure = get_str(ck, o, path, "measure", 1);
		in->level = get_str(ck, o, path, "level", 0);
		in->measure_zh = get_str(ck, o, path, "measure_zh", 0);
		in->measure_en = get_str(ck, o, path, "measure_en", 0);
		codes_add(ck, &seen, in->code, pathf(ck, "%s.code", path));
		if (ck->failed)
			return;
		if (strcmp(in->kind, "plan") && strcmp(in->kind, "competition"))
			json_fail(ck, pathf(ck, "%s.kind", path), "must be \"plan\" or \"competition\", not \"%s\"", in->kind);
		else if (!store_measure_known(in->measure))
			json_fail(ck, pathf(ck, "%s.measure", path), "unknown measure \"%s\" (see docs/PLAN-FORMAT.md)", in->measure);
		else if (strcmp(in->measure, "bases_recognised") == 0 && !in->level)
			json_fail(ck, path, "measure \"bases_recognised\" needs \"level\"");
		else if (in->level && !vocab_has(p, "base_level", in->level))
			json_fail(ck, pathf(ck, "%s.level", path), "unknown base level \"%s\"", in->level);
		if (ck->failed)
			return;
	}
}

static int scope_known(const Plan *p, const Codes *scopes, const char *scope)
{
	if (codes_has(scopes, scope))
		return 1;
	for (int i = 0; i < p->ndepartments; i++)
		if (strcmp(p->departments[i].code, scope) == 0)
			return 1;
	return 0;
}

static void parse_targets(Ck *ck, Plan *p, json_t *root, const Codes *scopes)
{
	json_t *arr = get_objects(ck, root, "targets", 1);
	if (!arr)
		return;
	p->targets = arena_alloc(ck->a, sizeof *p->targets * (json_array_size(arr) + 1));
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *path = pathf(ck, "targets[%zu]", i);
		json_check_keys(ck, o, path, "indicator,scope,year,value,op,wording");
		Target *t = &p->targets[p->ntargets];
		t->indicator = get_str(ck, o, path, "indicator", 1);
		t->scope = get_str(ck, o, path, "scope", 1);
		t->op = get_str(ck, o, path, "op", 0);
		t->wording = get_str(ck, o, path, "wording", 0);
		if (!t->op)
			t->op = ">=";
		json_t *y = json_object_get(o, "year"), *v = json_object_get(o, "value");
		if (ck->failed)
			return;
		if (!plan_indicator(p, t->indicator)) {
			json_fail(ck, pathf(ck, "%s.indicator", path), "unknown indicator \"%s\"", t->indicator);
			return;
		}
		if (!scope_known(p, scopes, t->scope)) {
			json_fail(ck, pathf(ck, "%s.scope", path), "unknown area or department \"%s\"", t->scope);
			return;
		}
		if (!json_is_integer(y)) {
			json_fail(ck, pathf(ck, "%s.year", path), "missing, or not a whole number");
			return;
		}
		json_int_t yv = json_integer_value(y);
		t->year = yv >= 1900 && yv <= 2200 ? (int)yv : 0; /* out of range: no plan year matches */
		int in_plan = 0;
		for (int k = 0; k < p->nyears; k++)
			in_plan |= p->years[k] == t->year;
		if (!in_plan) {
			json_fail(ck, pathf(ck, "%s.year", path), "%d is not one of the plan's years", t->year);
			return;
		}
		if (!json_is_number(v)) {
			json_fail(ck, pathf(ck, "%s.value", path), "missing, or not a number");
			return;
		}
		t->value = json_number_value(v);
		if (t->value < 0 || !isfinite(t->value)) {
			json_fail(ck, pathf(ck, "%s.value", path), "a target cannot be negative (%g)", t->value);
			return;
		}
		if (strcmp(t->op, ">=") && strcmp(t->op, ">")) {
			json_fail(ck, pathf(ck, "%s.op", path), "must be \">=\" (以上) or \">\" (超), not \"%s\"", t->op);
			return;
		}
		for (int k = 0; k < p->ntargets; k++) {
			const Target *u = &p->targets[k];
			if (strcmp(u->indicator, t->indicator) || strcmp(u->scope, t->scope))
				continue;
			if (u->year == t->year) {
				json_fail(ck, path, "a second target for %s, %s, %d (first at targets[%d])",
				          t->indicator, t->scope, t->year, k);
				return;
			}
			/* Targets are cumulative: a later year cannot ask for less. */
			if ((u->year < t->year && u->value > t->value) || (u->year > t->year && u->value < t->value)) {
				json_fail(ck, pathf(ck, "%s.value", path),
				          "cumulative targets cannot fall: %g in %d but %g in %d (targets[%d])",
				          t->value, t->year, u->value, u->year, k);
				return;
			}
		}
		p->ntargets++;
	}
}

/* One comparison (op, threshold) of a rule or of its "or" alternative. */
static int parse_comparison(Ck *ck, json_t *r, const char *rp, const char **op, double *threshold)
{
	static const char *const ops[] = {">=", ">", "<=", "<", "=="};
	*op = get_str(ck, r, rp, "op", 0);
	json_t *th = json_object_get(r, "threshold");
	if (!*op || !one_of(*op, ops, ARRAY_LEN(ops))) {
		json_fail(ck, pathf(ck, "%s.op", rp), "missing or not one of >= > <= < == (以上/达到 >=, 超/超过 >)");
		return 0;
	}
	if (!json_is_number(th)) {
		json_fail(ck, pathf(ck, "%s.threshold", rp), "missing, or not a number");
		return 0;
	}
	*threshold = json_number_value(th);
	return 1;
}

/* One rule set object (of a plan's rule_sets, or a rules file's top). */
static void parse_rule_set(Ck *ck, json_t *o, const char *path, RuleSet *rs, int file)
{
	json_check_keys(ck, o, path,
	                file ? "format,code,name,name_en,source,citation,note,level,kinds,specialised,valid_from,valid_to,issued_on,"
	                "source_url,rules"
	                : "code,name,name_en,source,citation,note,level,kinds,specialised,valid_from,valid_to,issued_on,"
	                "source_url,rules");
	rs->code = get_code(ck, o, path, "code");
	rs->name = get_str(ck, o, path, "name", 1);
	rs->name_en = get_str(ck, o, path, "name_en", 0);
	rs->source = get_str(ck, o, path, "source", 0);
	rs->citation = get_str(ck, o, path, "citation", 0);
	rs->note = get_str(ck, o, path, "note", 0);
	rs->level = get_str(ck, o, path, "level", 0);
	if (rs->level && strcmp(rs->level, "demonstration") && strcmp(rs->level, "national") &&
	    strcmp(rs->level, "provincial") && strcmp(rs->level, "municipal"))
		json_fail(ck, pathf(ck, "%s.level", path), "must be one of demonstration, national, provincial, municipal");
	json_t *kinds = json_object_get(o, "kinds");
	if (kinds) {
		Buf kb = {0};
		size_t ki;
		json_t *kv;
		if (!json_is_array(kinds) || json_array_size(kinds) == 0)
			json_fail(ck, pathf(ck, "%s.kinds", path), "must be a non-empty list of base kind codes");
		else
			json_array_foreach(kinds, ki, kv) {
				if (!json_is_string(kv) || !code_ok(json_string_value(kv))) {
					json_fail(ck, pathf(ck, "%s.kinds[%zu]", path, ki), "must be a base kind code");
					break;
				}
				buf_printf(&kb, "%s%s", ki ? "," : "", json_string_value(kv));
			}
		rs->kinds = arena_strdup(ck->a, buf_str(&kb));
		buf_free(&kb);
	}
	json_t *sp = json_object_get(o, "specialised");
	rs->specialised = -1;
	if (sp) {
		if (!json_is_boolean(sp))
			json_fail(ck, pathf(ck, "%s.specialised", path), "must be true or false (leave it out for either)");
		else
			rs->specialised = json_is_true(sp);
	}
	static const char *const dates[] = {"valid_from", "valid_to", "issued_on"};
	const char **dv[] = {&rs->valid_from, &rs->valid_to, &rs->issued_on};
	for (int d = 0; d < 3; d++) {
		*dv[d] = get_str(ck, o, path, dates[d], 0);
		if (*dv[d] && !date_valid(*dv[d]))
			json_fail(ck, pathf(ck, "%s.%s", path, dates[d]), "must be a date YYYY-MM-DD");
	}
	if (rs->valid_from && rs->valid_to && strcmp(rs->valid_from, rs->valid_to) > 0)
		json_fail(ck, pathf(ck, "%s.valid_to", path), "is before valid_from");
	rs->source_url = get_str(ck, o, path, "source_url", 0);
	json_t *rules = get_array(ck, o, path, "rules", 1);
	if (ck->failed)
		return;
	if (json_array_size(rules) == 0) {
		json_fail(ck, pathf(ck, "%s.rules", path), "a rule set needs at least one rule");
		return;
	}
	rs->rules = arena_alloc(ck->a, sizeof *rs->rules * (json_array_size(rules) + 1));
	Codes ids = {0};
	size_t j;
	json_t *r;
	json_array_foreach(rules, j, r) {
		const char *rp = pathf(ck, "%s.rules[%zu]", path, j);
		if (!json_is_object(r)) {
			json_fail(ck, rp, "must be an object");
			return;
		}
		json_check_keys(ck, r, rp, "id,item,text,wording,article,verbatim,measure,op,threshold,unit,or,score");
		Rule *ru = &rs->rules[rs->nrules++];
		ru->id = get_str(ck, r, rp, "id", 1);
		ru->text = get_str(ck, r, rp, "text", 1);
		ru->wording = get_str(ck, r, rp, "wording", 0);
		ru->article = get_str(ck, r, rp, "article", 0);
		/* a quotation must say whether it is word for word: never a
		 * paraphrase passed off as the official text */
		json_t *vb = json_object_get(r, "verbatim");
		if (ru->wording && !json_is_boolean(vb)) {
			json_fail(ck, pathf(ck, "%s.verbatim", rp),
			          "missing or not true/false: say whether \"wording\" quotes the official text word for word");
			return;
		}
		ru->verbatim = json_is_true(vb);
		ru->measure = get_str(ck, r, rp, "measure", 1);
		ru->unit = get_str(ck, r, rp, "unit", 0);
		json_t *item = json_object_get(r, "item"), *score = json_object_get(r, "score");
		json_int_t iv = json_is_integer(item) ? json_integer_value(item) : 0;
		ru->item = iv >= 0 && iv <= 1000 ? (int)iv : 0;
		if (score) {
			if (!json_is_number(score) || json_number_value(score) < 0) {
				json_fail(ck, pathf(ck, "%s.score", rp), "must be a number >= 0 (the rule's points in a rubric)");
				return;
			}
			ru->score = json_number_value(score);
			ru->has_score = 1;
		}
		codes_add(ck, &ids, ru->id, pathf(ck, "%s.id", rp));
		if (ck->failed)
			return;
		if (!eval_measure_known(ru->measure)) {
			json_fail(ck, pathf(ck, "%s.measure", rp), "unknown measure \"%s\" (see docs/RULES-FORMAT.md)", ru->measure);
			return;
		}
		if (strcmp(ru->measure, "judged") == 0) {
			if (json_object_get(r, "op") || json_object_get(r, "threshold")) {
				json_fail(ck, rp, "a judged rule takes no op or threshold: a reviewer records the verdict");
				return;
			}
			continue;
		}
		if (!parse_comparison(ck, r, rp, &ru->op, &ru->threshold))
			return;
		ru->has_threshold = 1;
		json_t *alt = json_object_get(r, "or");
		if (alt) {
			const char *ap = pathf(ck, "%s.or", rp);
			if (!json_is_object(alt)) {
				json_fail(ck, ap, "must be an object {measure, op, threshold}");
				return;
			}
			json_check_keys(ck, alt, ap, "measure,op,threshold");
			ru->or_measure = get_str(ck, alt, ap, "measure", 1);
			if (ck->failed)
				return;
			if (!eval_measure_known(ru->or_measure) || strcmp(ru->or_measure, "judged") == 0) {
				json_fail(ck, pathf(ck, "%s.measure", ap), "unknown measure \"%s\"", ru->or_measure);
				return;
			}
			if (!parse_comparison(ck, alt, ap, &ru->or_op, &ru->or_threshold))
				return;
		}
	}
}

static void parse_rule_sets(Ck *ck, Plan *p, json_t *root)
{
	json_t *arr = get_objects(ck, root, "rule_sets", 0);
	if (!arr)
		return;
	Codes seen = {0};
	p->rule_sets = arena_alloc(ck->a, sizeof *p->rule_sets * (json_array_size(arr) + 1));
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *path = pathf(ck, "rule_sets[%zu]", i);
		RuleSet *rs = &p->rule_sets[p->nrule_sets++];
		parse_rule_set(ck, o, path, rs, 0);
		codes_add(ck, &seen, rs->code, pathf(ck, "%s.code", path));
		if (ck->failed)
			return;
	}
}

RuleSet *rules_parse(Arena *arena, const char *text, size_t len, const char *origin, char *err, size_t errsz)
{
	Ck ck = {arena, err, errsz, origin ? origin : "rules", 0};
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errsz, "%s: line %d, column %d: not valid JSON: %s", ck.origin, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	RuleSet *rs = arena_alloc(arena, sizeof *rs);
	if (!json_is_object(root)) {
		json_fail(&ck, "(top)", "a rules file must be a JSON object");
	} else {
		const char *format = get_str(&ck, root, "(top)", "format", 1);
		if (format && strcmp(format, "hatchery-rules/1") != 0)
			json_fail(&ck, "format", "\"%s\" is not a format this program reads (\"hatchery-rules/1\")", format);
		if (!ck.failed)
			parse_rule_set(&ck, root, "(top)", rs, 1);
	}
	json_decref(root);
	return ck.failed ? NULL : rs;
}

/* A list of responsible units: department codes or "@areas"; NULL after failing. */
static const char **parse_units(Ck *ck, Plan *p, json_t *units, const char *path, int *n)
{
	const char **out = arena_alloc(ck->a, sizeof *out * (json_array_size(units) + 1));
	*n = 0;
	size_t j;
	json_t *u;
	json_array_foreach(units, j, u) {
		const char *up = pathf(ck, "%s.units[%zu]", path, j);
		const char *code = json_string_value(u);
		int known = code && strcmp(code, "@areas") == 0;
		for (int k = 0; code && k < p->ndepartments && !known; k++)
			known = strcmp(p->departments[k].code, code) == 0;
		if (!known) {
			json_fail(ck, up, "unknown department \"%s\" (or use \"@areas\")", code ? code : "(not a string)");
			return NULL;
		}
		out[(*n)++] = arena_strdup(ck->a, code);
	}
	return out;
}

/* A work item's sub-clauses: {code, title, text, units (lead first), indicator?}. */
static void parse_clauses(Ck *ck, Plan *p, WorkItem *w, json_t *o, const char *path, Codes *seen)
{
	json_t *arr = get_objects(ck, o, "clauses", 0);
	if (!arr || ck->failed)
		return;
	w->clauses = arena_alloc(ck->a, sizeof *w->clauses * (json_array_size(arr) + 1));
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		const char *cp = pathf(ck, "%s.clauses[%zu]", path, i);
		json_check_keys(ck, c, cp, "code,title,text,units,indicator");
		WorkClause *wc = &w->clauses[w->nclauses++];
		wc->code = get_code(ck, c, cp, "code");
		wc->title = get_str(ck, c, cp, "title", 1);
		wc->text = get_str(ck, c, cp, "text", 0);
		wc->indicator = get_str(ck, c, cp, "indicator", 0);
		codes_add(ck, seen, wc->code, pathf(ck, "%s.code", cp));
		json_t *units = get_array(ck, c, cp, "units", 1);
		if (ck->failed)
			return;
		if (!json_array_size(units)) {
			json_fail(ck, pathf(ck, "%s.units", cp), "name at least the lead unit");
			return;
		}
		if (wc->indicator && !plan_indicator(p, wc->indicator)) {
			json_fail(ck, pathf(ck, "%s.indicator", cp), "unknown indicator \"%s\"", wc->indicator);
			return;
		}
		wc->units = parse_units(ck, p, units, cp, &wc->nunits);
		if (!wc->units)
			return;
	}
}

static void parse_work_items(Ck *ck, Plan *p, json_t *root)
{
	json_t *arr = get_objects(ck, root, "work_items", 0);
	if (!arr)
		return;
	Codes seen = {0}, clause_codes = {0};
	p->work_items = arena_alloc(ck->a, sizeof *p->work_items * (json_array_size(arr) + 1));
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *path = pathf(ck, "work_items[%zu]", i);
		json_check_keys(ck, o, path, "code,no,title,summary,units,clauses");
		WorkItem *w = &p->work_items[p->nwork_items++];
		w->code = get_code(ck, o, path, "code");
		w->no = get_str(ck, o, path, "no", 0);
		w->title = get_str(ck, o, path, "title", 1);
		w->summary = get_str(ck, o, path, "summary", 0);
		codes_add(ck, &seen, w->code, pathf(ck, "%s.code", path));
		json_t *units = get_array(ck, o, path, "units", 1);
		if (ck->failed)
			return;
		w->units = parse_units(ck, p, units, path, &w->nunits);
		if (!w->units)
			return;
		parse_clauses(ck, p, w, o, path, &clause_codes);
		if (ck->failed)
			return;
	}
}

const Indicator *plan_indicator(const Plan *p, const char *code)
{
	for (int i = 0; code && i < p->nindicators; i++)
		if (strcmp(p->indicators[i].code, code) == 0)
			return &p->indicators[i];
	return NULL;
}

/* The slot of key in an area table (by code: by_name 0), or the empty slot
 * where it would go. */
static unsigned area_slot(const Plan *p, const int *table, int by_name, const char *key)
{
	unsigned mask = p->area_slots - 1, i = hash_fnv1a(key, strlen(key)) & mask;
	while (table[i]) {
		const Area *a = &p->areas[table[i] - 1];
		if (strcmp(by_name ? a->name : a->code, key) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* Makes the lookup tables of areas by code and by name (the first of a
 * repeated name wins, as a search of the list would). A national plan has
 * hundreds of areas, and imports look one up per row. */
static void index_areas(Arena *arena, Plan *p)
{
	unsigned n = 16;
	while (n < (unsigned)p->nareas * 2)
		n *= 2;
	p->area_slots = n;
	p->area_by_code = arena_alloc(arena, sizeof(int) * n); /* zeroed: every slot empty */
	p->area_by_name = arena_alloc(arena, sizeof(int) * n);
	for (int i = 0; i < p->nareas; i++) {
		unsigned c = area_slot(p, p->area_by_code, 0, p->areas[i].code);
		if (!p->area_by_code[c])
			p->area_by_code[c] = i + 1;
		if (p->areas[i].name) {
			unsigned m = area_slot(p, p->area_by_name, 1, p->areas[i].name);
			if (!p->area_by_name[m])
				p->area_by_name[m] = i + 1;
		}
	}
}

const Area *plan_area(const Plan *p, const char *code)
{
	if (!code)
		return NULL;
	if (p->city.code && strcmp(p->city.code, code) == 0)
		return &p->city;
	if (p->area_by_code) {
		int i = p->area_by_code[area_slot(p, p->area_by_code, 0, code)];
		return i ? &p->areas[i - 1] : NULL;
	}
	for (int i = 0; i < p->nareas; i++)
		if (strcmp(p->areas[i].code, code) == 0)
			return &p->areas[i];
	return NULL;
}

const Area *plan_area_by_name(const Plan *p, const char *name)
{
	if (!name)
		return NULL;
	if (p->area_by_name) {
		int i = p->area_by_name[area_slot(p, p->area_by_name, 1, name)];
		return i ? &p->areas[i - 1] : NULL;
	}
	for (int i = 0; i < p->nareas; i++)
		if (p->areas[i].name && strcmp(p->areas[i].name, name) == 0)
			return &p->areas[i];
	return NULL;
}

/* ---- the competition (六比竞赛) and the assessment (考核) ---- */

/* A number member: absent gives def; present must be a number in [lo, hi]. */
static double get_num(Ck *ck, json_t *o, const char *path, const char *key, double def, double lo, double hi)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return def;
	if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi) {
		json_fail(ck, pathf(ck, "%s.%s", path, key), "must be a number from %g to %g", lo, hi);
		return def;
	}
	return json_number_value(v);
}

/* A word member: absent gives def; present must be one of set. */
static const char *get_word(Ck *ck, json_t *o, const char *path, const char *key, const char *def,
                            const char *const *set, size_t n)
{
	const char *w = get_str(ck, o, path, key, 0);
	if (!w)
		return def;
	if (!one_of(w, set, n)) {
		Buf b = {0};
		for (size_t i = 0; i < n; i++)
			buf_printf(&b, "%s\"%s\"", i ? ", " : "", set[i]);
		json_fail(ck, pathf(ck, "%s.%s", path, key), "must be one of %s, not \"%s\"", buf_str(&b), w);
		buf_free(&b);
		return def;
	}
	return w;
}

/* The items, groups and options shared by "competition" and "assessment"
 * (assess 1: items carry points, not weights). */
static void parse_comp_method(Ck *ck, const Plan *p, json_t *o, const char *path, CompMethod *m, int assess)
{
	m->name = get_str(ck, o, path, "name", 1);
	m->source = get_str(ck, o, path, "source", 0);
	m->note = get_str(ck, o, path, "note", 0);
	static const char *const ties[] = {"shared", "dense"};
	static const char *const miss_c[] = {"skip", "zero"};
	static const char *const miss_a[] = {"skip", "zero", "full"};
	m->ties = get_word(ck, o, path, "ties", "shared", ties, ARRAY_LEN(ties));
	m->missing_target = assess ? get_word(ck, o, path, "missing_target", "skip", miss_a, ARRAY_LEN(miss_a))
	                           : get_word(ck, o, path, "missing_target", "skip", miss_c, ARRAY_LEN(miss_c));
	m->cap = get_num(ck, o, path, "cap", 1.0, 1.0, 10.0);
	json_t *pr = json_object_get(o, "prorate");
	if (pr && !json_is_boolean(pr))
		json_fail(ck, pathf(ck, "%s.prorate", path), "must be true or false");
	m->prorate = pr ? json_is_true(pr) : 1;
	json_t *groups = get_array(ck, o, path, "groups", !assess);
	if (groups) {
		Codes seen = {0}, used = {0};
		m->groups = arena_alloc(ck->a, sizeof *m->groups * (json_array_size(groups) + 1));
		size_t i;
		json_t *g;
		json_array_foreach(groups, i, g) {
			const char *gp = pathf(ck, "%s.groups[%zu]", path, i);
			if (!json_is_object(g)) {
				json_fail(ck, gp, "must be an object");
				return;
			}
			json_check_keys(ck, g, gp, "code,name,note,area_groups");
			CompGroup *cg = &m->groups[m->ngroups++];
			cg->code = get_code(ck, g, gp, "code");
			cg->name = get_str(ck, g, gp, "name", 1);
			cg->note = get_str(ck, g, gp, "note", 0);
			codes_add(ck, &seen, cg->code, pathf(ck, "%s.code", gp));
			json_t *ag = get_array(ck, g, gp, "area_groups", 1);
			if (ck->failed)
				return;
			cg->area_groups = arena_alloc(ck->a, sizeof *cg->area_groups * (json_array_size(ag) + 1));
			size_t k;
			json_t *c;
			json_array_foreach(ag, k, c) {
				const char *cp = pathf(ck, "%s.area_groups[%zu]", gp, k);
				const char *code = json_is_string(c) ? json_string_value(c) : NULL;
				int known = 0;
				for (int j = 0; code && j < p->ngroups; j++)
					known |= strcmp(p->groups[j].code, code) == 0;
				if (!known) {
					json_fail(ck, cp, "must be the code of one of area_groups");
					return;
				}
				codes_add(ck, &used, code, cp); /* an area group ranks in one group only */
				if (ck->failed)
					return;
				cg->area_groups[cg->narea_groups++] = arena_strdup(ck->a, code);
			}
			if (cg->narea_groups == 0)
				json_fail(ck, pathf(ck, "%s.area_groups", gp), "names no area group");
			if (ck->failed)
				return;
		}
		if (m->ngroups == 0)
			json_fail(ck, pathf(ck, "%s.groups", path), "names no group");
	}
	json_t *items = get_array(ck, o, path, "indicators", 1);
	if (!items || ck->failed)
		return;
	Codes seen = {0};
	m->items = arena_alloc(ck->a, sizeof *m->items * (json_array_size(items) + 1));
	size_t i;
	json_t *it;
	static const char *const by[] = {"completion", "amount"};
	json_array_foreach(items, i, it) {
		const char *ip = pathf(ck, "%s.indicators[%zu]", path, i);
		if (!json_is_object(it)) {
			json_fail(ck, ip, "must be an object");
			return;
		}
		json_check_keys(ck, it, ip, assess ? "indicator,target,by,points" : "indicator,target,by,weight");
		CompItem *ci = &m->items[m->nitems++];
		ci->indicator = get_code(ck, it, ip, "indicator");
		ci->target = json_object_get(it, "target") ? get_code(ck, it, ip, "target") : NULL;
		ci->by = get_word(ck, it, ip, "by", "completion", by, ARRAY_LEN(by));
		ci->weight = assess ? 0 : get_num(ck, it, ip, "weight", 1, 0, 1000);
		ci->points = assess ? get_num(ck, it, ip, "points", 0, 0, 1000) : 0;
		if (ck->failed)
			return;
		codes_add(ck, &seen, ci->indicator, pathf(ck, "%s.indicator", ip));
		if (!plan_indicator(p, ci->indicator))
			json_fail(ck, pathf(ck, "%s.indicator", ip), "unknown indicator \"%s\"", ci->indicator);
		else if (ci->target && !plan_indicator(p, ci->target))
			json_fail(ck, pathf(ck, "%s.target", ip), "unknown indicator \"%s\"", ci->target);
		if (!ci->target)
			ci->target = ci->indicator;
		if (ck->failed)
			return;
	}
	if (m->nitems == 0)
		json_fail(ck, pathf(ck, "%s.indicators", path), "names no indicator");
}

static void parse_competition(Ck *ck, Plan *p, json_t *root)
{
	json_t *o = json_object_get(root, "competition");
	if (o) {
		if (!json_is_object(o)) {
			json_fail(ck, "competition", "must be an object");
			return;
		}
		json_check_keys(ck, o, "competition", "name,source,note,groups,indicators,prorate,cap,ties,missing_target");
		CompMethod *m = arena_alloc(ck->a, sizeof *m);
		parse_comp_method(ck, p, o, "competition", m, 0);
		p->competition = m;
	}
	o = json_object_get(root, "assessment");
	if (!o || ck->failed)
		return;
	if (!json_is_object(o)) {
		json_fail(ck, "assessment", "must be an object");
		return;
	}
	json_check_keys(ck, o, "assessment", "name,source,note,indicators,cap,ties,missing_target,prorate,deductions");
	AssessRules *r = arena_alloc(ck->a, sizeof *r);
	parse_comp_method(ck, p, o, "assessment", &r->m, 1);
	for (int i = 0; i < r->m.nitems; i++)
		r->total += r->m.items[i].points;
	json_t *ded = get_array(ck, o, "assessment", "deductions", 0);
	if (ded && !ck->failed) {
		r->deductions = arena_alloc(ck->a, sizeof *r->deductions * (json_array_size(ded) + 1));
		size_t i;
		json_t *d;
		static const char *const kinds[] = {"late", "returned"};
		json_array_foreach(ded, i, d) {
			const char *dp = pathf(ck, "assessment.deductions[%zu]", i);
			if (!json_is_object(d)) {
				json_fail(ck, dp, "must be an object");
				return;
			}
			json_check_keys(ck, d, dp, "kind,form,points,max");
			CompDeduction *cd = &r->deductions[r->ndeductions++];
			cd->kind = get_word(ck, d, dp, "kind", NULL, kinds, ARRAY_LEN(kinds));
			if (!cd->kind && !ck->failed)
				json_fail(ck, dp, "missing \"kind\"");
			cd->form = get_code(ck, d, dp, "form");
			cd->points = get_num(ck, d, dp, "points", 0, 0, 1000);
			cd->max = get_num(ck, d, dp, "max", 0, 0, 1000);
			if (ck->failed)
				return;
		}
	}
	p->assessment = r;
}

static void parse_all(Ck *ck, Plan *p, json_t *root)
{
	json_check_keys(ck, root, "(top)",
	                "format,code,name,name_en,document,issued_on,office,start,years,city,area_groups,areas,"
	                "layout_units,base_kinds,base_levels,space_sources,facilities,operator_capabilities,"
	                "fund_kinds,departments,indicators,targets,status_thresholds,rule_sets,work_items,forms,"
	                "competition,assessment");
	const char *format = get_str(ck, root, "(top)", "format", 1);
	if (format && strcmp(format, "hatchery-plan/1") != 0)
		json_fail(ck, "format", "\"%s\" is not a format this program reads (\"hatchery-plan/1\")", format);
	p->code = get_code(ck, root, "(top)", "code");
	p->name = get_str(ck, root, "(top)", "name", 1);
	/* the report forms it uses: a forms file compiled into the program (forms.h) */
	p->forms = get_str(ck, root, "(top)", "forms", 0);
	if (p->forms && !forms_embedded(p->forms))
		json_fail(ck, "forms", "\"%s\" is not a forms file of this program (forms/*.json)", p->forms);
	p->name_en = get_str(ck, root, "(top)", "name_en", 0);
	p->document = get_str(ck, root, "(top)", "document", 0);
	p->issued_on = get_str(ck, root, "(top)", "issued_on", 0);
	p->office = get_str(ck, root, "(top)", "office", 0);
	p->start = get_str(ck, root, "(top)", "start", 1);
	if (ck->failed)
		return;
	if (!date_valid(p->start))
		{ json_fail(ck, "start", "\"%s\" is not a date YYYY-MM-DD", p->start); return; }
	if (p->issued_on && !date_valid(p->issued_on))
		{ json_fail(ck, "issued_on", "\"%s\" is not a date YYYY-MM-DD", p->issued_on); return; }

	json_t *years = get_array(ck, root, "(top)", "years", 1);
	if (!years)
		return;
	if (json_array_size(years) == 0)
		{ json_fail(ck, "years", "the plan names no year"); return; }
	p->years = arena_alloc(ck->a, sizeof *p->years * json_array_size(years));
	size_t i;
	json_t *y;
	json_array_foreach(years, i, y) {
		if (!json_is_integer(y) || json_integer_value(y) < 1900 || json_integer_value(y) > 2200)
			{ json_fail(ck, pathf(ck, "years[%zu]", i), "not a year"); return; }
		p->years[p->nyears] = (int)json_integer_value(y);
		if (p->nyears > 0 && p->years[p->nyears] <= p->years[p->nyears - 1])
			{ json_fail(ck, pathf(ck, "years[%zu]", i), "years must be ascending and distinct"); return; }
		p->nyears++;
	}

	Codes scopes = {0};
	parse_areas(ck, p, root, &scopes);
	if (ck->failed)
		return;

	json_t *arr = get_objects(ck, root, "layout_units", 0);
	if (arr) {
		Codes seen = {0};
		p->layout_units = arena_alloc(ck->a, sizeof *p->layout_units * (json_array_size(arr) + 1));
		json_t *o;
		json_array_foreach(arr, i, o) {
			const char *path = pathf(ck, "layout_units[%zu]", i);
			json_check_keys(ck, o, path, "code,name,name_en,kind");
			LayoutUnit *u = &p->layout_units[p->nlayout_units++];
			u->code = get_code(ck, o, path, "code");
			u->name = get_str(ck, o, path, "name", 1);
			u->name_en = get_str(ck, o, path, "name_en", 0);
			u->kind = get_str(ck, o, path, "kind", 1);
			codes_add(ck, &seen, u->code, pathf(ck, "%s.code", path));
			static const char *const kinds[] = {"core", "cluster", "belt", "block", "network"};
			if (u->kind && !one_of(u->kind, kinds, ARRAY_LEN(kinds)))
				json_fail(ck, pathf(ck, "%s.kind", path), "must be core, cluster, belt, block or network");
			if (ck->failed)
				return;
		}
	}

	static const struct { const char *key, *list; } lists[] = {
		{"base_kinds", "base_kind"}, {"base_levels", "base_level"},
		{"space_sources", "space_source"}, {"facilities", "facility"},
		{"operator_capabilities", "operator_capability"}, {"fund_kinds", "fund_kind"},
	};
	int nv = 0;
	for (size_t k = 0; k < ARRAY_LEN(lists); k++)
		nv += (int)json_array_size(json_object_get(root, lists[k].key));
	p->vocab = arena_alloc(ck->a, sizeof *p->vocab * (size_t)(nv + 1));
	for (size_t k = 0; k < ARRAY_LEN(lists) && !ck->failed; k++)
		parse_vocab(ck, p, root, lists[k].key, lists[k].list, nv);
	if (ck->failed)
		return;

	arr = get_objects(ck, root, "departments", 0);
	if (arr) {
		Codes seen = {0};
		p->departments = arena_alloc(ck->a, sizeof *p->departments * (json_array_size(arr) + 1));
		json_t *o;
		json_array_foreach(arr, i, o) {
			const char *path = pathf(ck, "departments[%zu]", i);
			json_check_keys(ck, o, path, "code,name,name_en");
			Department *d = &p->departments[p->ndepartments++];
			d->code = get_code(ck, o, path, "code");
			d->name = get_str(ck, o, path, "name", 1);
			d->name_en = get_str(ck, o, path, "name_en", 0);
			codes_add(ck, &seen, d->code, pathf(ck, "%s.code", path));
			if (d->code && codes_has(&scopes, d->code))
				json_fail(ck, pathf(ck, "%s.code", path), "\"%s\" is already an area's code", d->code);
			if (ck->failed)
				return;
		}
	}

	parse_indicators(ck, p, root);
	if (ck->failed)
		return;
	parse_targets(ck, p, root, &scopes);
	if (ck->failed)
		return;

	p->on_track = 0.95;
	p->behind = 0.85;
	json_t *th = json_object_get(root, "status_thresholds");
	if (th) {
		if (!json_is_object(th))
			{ json_fail(ck, "status_thresholds", "must be an object {on_track, behind}"); return; }
		json_check_keys(ck, th, "status_thresholds", "on_track,behind");
		json_t *on = json_object_get(th, "on_track"), *be = json_object_get(th, "behind");
		if (!json_is_number(on) || !json_is_number(be))
			{ json_fail(ck, "status_thresholds", "on_track and behind must both be numbers"); return; }
		p->on_track = json_number_value(on);
		p->behind = json_number_value(be);
		if (!(p->behind > 0 && p->behind < p->on_track && p->on_track <= 1))
			{ json_fail(ck, "status_thresholds", "need 0 < behind < on_track <= 1"); return; }
	}
	parse_rule_sets(ck, p, root);
	if (ck->failed)
		return;
	parse_work_items(ck, p, root);
	if (ck->failed)
		return;
	parse_competition(ck, p, root);
}

Plan *plan_parse(Arena *arena, const char *text, size_t len, const char *origin,
                 char *err, size_t errsz)
{
	Ck ck = {arena, err, errsz, origin ? origin : "plan", 0};
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errsz, "%s: line %d, column %d: not valid JSON: %s", ck.origin, jerr.line,
		         jerr.column, jerr.text);
		return NULL;
	}
	Plan *p = arena_alloc(arena, sizeof *p);
	if (!json_is_object(root))
		json_fail(&ck, "(top)", "the plan must be a JSON object");
	else
		parse_all(&ck, p, root);
	json_decref(root);
	if (ck.failed)
		return NULL;
	char *copy = arena_alloc(arena, len + 1);
	memcpy(copy, text, len);
	p->json = copy;
	index_areas(arena, p);
	return p;
}

const char *vocab_name(const Plan *p, const char *list, const char *code)
{
	for (int i = 0; code && i < p->nvocab; i++)
		if (strcmp(p->vocab[i].list, list) == 0 && strcmp(p->vocab[i].code, code) == 0)
			return p->vocab[i].name;
	return code ? code : "";
}

const char *area_name(const Plan *p, const char *code)
{
	const Area *a = plan_area(p, code);
	return a ? a->name : code ? code : "";
}

const char *department_name(const Plan *p, const char *code)
{
	if (code && strcmp(code, "@areas") == 0)
		return "各镇街、功能区";
	for (int i = 0; code && i < p->ndepartments; i++)
		if (strcmp(p->departments[i].code, code) == 0)
			return p->departments[i].name;
	return code ? code : "";
}

const char *group_name(const Plan *p, const char *code)
{
	for (int i = 0; code && i < p->ngroups; i++)
		if (strcmp(p->groups[i].code, code) == 0)
			return p->groups[i].name;
	return code ? code : "";
}
