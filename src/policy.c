/*
 * policy.c — the policy system (政策体系, see policy.h): reading and
 * checking policy files, what a base is entitled to under a measure for a
 * year (conditions through the evaluation engine, formula, caps), and the
 * applications' workflow, each step in its own transaction with its audit
 * row. What the money bought and the finance products are in
 * policy_results.c. Pages and API: page_policy.c.
 */
#include "policy.h"

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

#include "attachments.h"
#include "fmt.h"
#include "plan.h"

/* ---- names ---- */

static const struct {
	const char *code, *zh;
} kinds[] = {
	{"area_subsidy", "孵化空间建设补助（按面积）"},
	{"recognition_award", "认定奖励（一次性）"},
	{"operating_subsidy", "运营补助（按考核等级）"},
	{"rent_reduction", "租金减免补助"},
	{"interest_subsidy", "贷款贴息"},
	{"investment_cofunding", "投资跟投配套"},
};

const char *policy_kind_zh(const char *kind)
{
	for (size_t i = 0; kind && i < ARRAY_LEN(kinds); i++)
		if (!strcmp(kinds[i].code, kind))
			return kinds[i].zh;
	return kind ? kind : "";
}

const char *policy_status_zh(const char *st)
{
	if (!st)
		return "";
	return !strcmp(st, "applied") ? "已申请，待区域推荐" : !strcmp(st, "endorsed") ? "区域已推荐，待市专班核定"
	     : !strcmp(st, "approved") ? "已核定，待拨付" : !strcmp(st, "paid") ? "已拨付"
	     : !strcmp(st, "returned") ? "已退回" : st;
}

/* The number of characters (code points) of UTF-8 text already checked. */
static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---- reading a policy file ---- */

typedef JsonCheck Ck;

/* A string member (required or not); NULL when absent. */
static const char *str(Ck *ck, json_t *o, const char *path, const char *key, int required)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		if (required)
			json_fail(ck, path, "\"%s\" is missing", key);
		return NULL;
	}
	if (!json_is_string(v) || !*json_string_value(v)) {
		json_fail(ck, path, "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	return arena_strdup(ck->a, json_string_value(v));
}

static const char *date_member(Ck *ck, json_t *o, const char *path, const char *key)
{
	const char *d = str(ck, o, path, key, 0);
	if (d && !date_valid(d))
		json_fail(ck, path, "\"%s\" must be a date YYYY-MM-DD", key);
	return d;
}

/* A number >= 0 (yuan, rate); -1 when absent. */
static double amount_member(Ck *ck, json_t *o, const char *path, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return -1;
	if (!json_is_number(v) || json_number_value(v) < 0 || !isfinite(json_number_value(v))) {
		json_fail(ck, path, "\"%s\" must be a number >= 0", key);
		return -1;
	}
	return json_number_value(v);
}

static int code_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* The conditions: rules in the rule sets' format, read by rules_parse so
 * that they are checked as any rule set is (measures, ops, wording). */
static void parse_conditions(Ck *ck, json_t *mo, const char *path, PolicyMeasure *m)
{
	RuleSet *rs = arena_alloc(ck->a, sizeof *rs);
	rs->code = m->code;
	rs->name = m->title;
	rs->source = m->article;
	rs->specialised = -1;
	rs->valid_from = m->valid_from;
	rs->valid_to = m->valid_to;
	json_t *kv = json_object_get(mo, "kinds");
	if (kv) {
		Buf kb = {0};
		size_t i;
		json_t *k;
		if (!json_is_array(kv) || !json_array_size(kv))
			json_fail(ck, path, "\"kinds\" must be a non-empty list of base kind codes");
		json_array_foreach(kv, i, k) {
			if (!json_is_string(k) || !code_ok(json_string_value(k))) {
				json_fail(ck, path, "kinds[%zu] must be a base kind code", i);
				break;
			}
			buf_printf(&kb, "%s%s", i ? "," : "", json_string_value(k));
		}
		rs->kinds = arena_strdup(ck->a, buf_str(&kb));
		buf_free(&kb);
	}
	json_t *sp = json_object_get(mo, "specialised");
	if (sp) {
		if (!json_is_boolean(sp))
			json_fail(ck, path, "\"specialised\" must be true or false");
		rs->specialised = json_is_true(sp);
	}
	m->conditions = rs;
	json_t *conds = json_object_get(mo, "conditions");
	if (!conds || ck->failed)
		return;
	if (!json_is_array(conds)) {
		json_fail(ck, path, "\"conditions\" must be a list of rules (docs/RULES-FORMAT.md)");
		return;
	}
	if (!json_array_size(conds))
		return;
	json_t *set = json_pack("{s:s,s:s,s:s,s:O}", "format", "hatchery-rules/1", "code", m->code, "name", m->title, "rules", conds);
	char *text = set ? json_dumps(set, JSON_COMPACT) : NULL;
	json_decref(set);
	if (!text) {
		json_fail(ck, path, "conditions cannot be read");
		return;
	}
	char err[512];
	RuleSet *parsed = rules_parse(ck->a, text, strlen(text), "", err, sizeof err);
	free(text);
	if (!parsed) {
		/* ": (top).rules[3].op: ..." → "measures[i].conditions[3].op: ..." */
		const char *p = strstr(err, "(top).rules");
		if (p)
			json_fail(ck, arena_printf(ck->a, "%s.conditions%s", path, p + strlen("(top).rules")), "%s", "");
		else
			json_fail(ck, arena_printf(ck->a, "%s.conditions", path), "%s", err);
		/* the rule parser's message already ends the text: drop the empty tail */
		size_t l = strlen(ck->err);
		if (l >= 2 && !strcmp(ck->err + l - 2, ": "))
			ck->err[l - 2] = 0;
		return;
	}
	rs->rules = parsed->rules;
	rs->nrules = parsed->nrules;
}

static const char *const level_keys = "national,provincial,municipal,demonstration";
static const char *const grade_keys = "A,B,C,D";

static void parse_amount_member(Ck *ck, json_t *mo, const char *path, PolicyMeasure *m)
{
	json_t *am = json_object_get(mo, "amount");
	const char *ap = arena_printf(ck->a, "%s.amount", path);
	if (!json_is_object(am)) {
		json_fail(ck, path, "\"amount\" is missing or not an object {basis, ...}");
		return;
	}
	json_check_keys(ck, am, ap, "basis,rate,yuan,tiers,claim_label,unit,note");
	m->basis = str(ck, am, ap, "basis", 1);
	if (ck->failed)
		return;
	m->rate = amount_member(ck, am, ap, "rate");
	m->fixed = amount_member(ck, am, ap, "yuan");
	m->claim_label = str(ck, am, ap, "claim_label", 0);
	m->unit_label = str(ck, am, ap, "unit", 0);
	if (!strcmp(m->basis, "fixed")) {
		if (m->fixed < 0)
			json_fail(ck, ap, "a fixed amount needs \"yuan\"");
	} else if (!strcmp(m->basis, "per_new_m2")) {
		if (m->rate < 0)
			json_fail(ck, ap, "per_new_m2 needs \"rate\" (yuan per new ㎡)");
	} else if (!strcmp(m->basis, "share_of_claim")) {
		if (m->rate < 0 || m->rate > 1)
			json_fail(ck, ap, "share_of_claim needs \"rate\", a share between 0 and 1");
		else if (!m->claim_label)
			json_fail(ck, ap, "share_of_claim needs a claim_label, what the applicant states, e.g. \"当年实际支付的贷款利息\"");
	} else if (!strcmp(m->basis, "by_level") || !strcmp(m->basis, "by_grade")) {
		int level = m->basis[3] == 'l';
		json_t *tiers = json_object_get(am, "tiers");
		if (!json_is_object(tiers) || !json_object_size(tiers)) {
			json_fail(ck, ap, "%s needs tiers, an object of %s to yuan", m->basis, level ? "level" : "grade");
			return;
		}
		m->tiers = arena_alloc(ck->a, sizeof *m->tiers * json_object_size(tiers));
		const char *k;
		json_t *v;
		json_object_foreach(tiers, k, v) {
			if (!json_in_list(level ? level_keys : grade_keys, k)) {
				json_fail(ck, arena_printf(ck->a, "%s.tiers.%s", ap, k), "not one of %s", level ? level_keys : grade_keys);
				return;
			}
			if (!json_is_number(v) || json_number_value(v) < 0) {
				json_fail(ck, arena_printf(ck->a, "%s.tiers.%s", ap, k), "must be an amount in yuan >= 0");
				return;
			}
			m->tiers[m->ntiers].key = arena_strdup(ck->a, k);
			m->tiers[m->ntiers++].yuan = json_number_value(v);
		}
	} else {
		json_fail(ck, arena_printf(ck->a, "%s.basis", ap), "\"%s\" is not one of fixed, per_new_m2, by_level, by_grade, share_of_claim",
		          m->basis);
	}
}

static void parse_caps(Ck *ck, json_t *mo, const char *path, PolicyMeasure *m)
{
	m->cap_application = m->cap_base_year = m->cap_base_total = m->cap_measure_year = -1;
	json_t *caps = json_object_get(mo, "caps");
	if (!caps)
		return;
	const char *cp = arena_printf(ck->a, "%s.caps", path);
	if (!json_is_object(caps)) {
		json_fail(ck, path, "\"caps\" must be an object");
		return;
	}
	json_check_keys(ck, caps, cp, "per_application,per_base_year,per_base,per_measure_year");
	m->cap_application = amount_member(ck, caps, cp, "per_application");
	m->cap_base_year = amount_member(ck, caps, cp, "per_base_year");
	m->cap_base_total = amount_member(ck, caps, cp, "per_base");
	m->cap_measure_year = amount_member(ck, caps, cp, "per_measure_year");
}

static void parse_measure(Ck *ck, const PolicyDoc *d, json_t *mo, const char *path, PolicyMeasure *m)
{
	if (!json_is_object(mo)) {
		json_fail(ck, path, "must be an object");
		return;
	}
	json_check_keys(ck, mo, path,
	                "code,article,title,kind,plan_clause,text,wording,verbatim,note,valid_from,valid_to,kinds,specialised,conditions,"
	                "amount,caps,once");
	m->code = str(ck, mo, path, "code", 1);
	if (m->code && !code_ok(m->code))
		json_fail(ck, path, "\"code\" takes letters, digits, - and _ only");
	m->article = str(ck, mo, path, "article", 1);
	m->title = str(ck, mo, path, "title", 1);
	m->kind = str(ck, mo, path, "kind", 1);
	if (m->kind && !json_in_list(POLICY_KINDS, m->kind))
		json_fail(ck, arena_printf(ck->a, "%s.kind", path), "\"%s\" is not one of %s", m->kind, POLICY_KINDS);
	m->plan_clause = str(ck, mo, path, "plan_clause", 0);
	m->text = str(ck, mo, path, "text", 1);
	m->wording = str(ck, mo, path, "wording", 0);
	m->note = str(ck, mo, path, "note", 0);
	json_t *vb = json_object_get(mo, "verbatim");
	if (m->wording && !json_is_boolean(vb))
		json_fail(ck, path, "\"verbatim\" missing or not true/false: say whether \"wording\" quotes the document word for word");
	m->verbatim = json_is_true(vb);
	m->valid_from = date_member(ck, mo, path, "valid_from");
	m->valid_to = date_member(ck, mo, path, "valid_to");
	if (!m->valid_from)
		m->valid_from = d->valid_from;
	if (!m->valid_to)
		m->valid_to = d->valid_to;
	if (m->valid_from && m->valid_to && strcmp(m->valid_from, m->valid_to) > 0)
		json_fail(ck, path, "valid_to is before valid_from");
	m->once = str(ck, mo, path, "once", 0);
	if (m->once && strcmp(m->once, "year") && strcmp(m->once, "ever"))
		json_fail(ck, path, "\"once\" must be \"year\" (one application per base and year) or \"ever\" (one per base)");
	if (ck->failed)
		return;
	parse_conditions(ck, mo, path, m);
	if (!ck->failed)
		parse_amount_member(ck, mo, path, m);
	if (!ck->failed)
		parse_caps(ck, mo, path, m);
}

PolicyDoc *policy_parse(Arena *a, const char *text, size_t len, const char *origin, char *err, size_t errsz)
{
	Ck ck = {a, err, errsz, origin ? origin : "policy", 0};
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errsz, "%s: line %d, column %d: not valid JSON: %s", ck.origin, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	PolicyDoc *d = arena_alloc(a, sizeof *d);
	if (!json_is_object(root)) {
		json_fail(&ck, "(top)", "a policy file must be a JSON object");
		goto out;
	}
	json_check_keys(&ck, root, "(top)",
	                "format,code,name,example,document,document_no,issuer,issued_on,valid_from,valid_to,source_url,note,measures");
	const char *format = str(&ck, root, "(top)", "format", 1);
	if (format && strcmp(format, "hatchery-policy/1"))
		json_fail(&ck, "format", "\"%s\" is not a format this program reads (\"hatchery-policy/1\")", format);
	d->code = str(&ck, root, "(top)", "code", 1);
	if (d->code && !code_ok(d->code))
		json_fail(&ck, "code", "takes letters, digits, - and _ only");
	d->name = str(&ck, root, "(top)", "name", 1);
	d->document = str(&ck, root, "(top)", "document", 1);
	d->document_no = str(&ck, root, "(top)", "document_no", 0);
	d->issuer = str(&ck, root, "(top)", "issuer", 0);
	d->issued_on = date_member(&ck, root, "(top)", "issued_on");
	d->valid_from = date_member(&ck, root, "(top)", "valid_from");
	d->valid_to = date_member(&ck, root, "(top)", "valid_to");
	d->source_url = str(&ck, root, "(top)", "source_url", 0);
	d->note = str(&ck, root, "(top)", "note", 0);
	json_t *ex = json_object_get(root, "example");
	if (ex && !json_is_boolean(ex))
		json_fail(&ck, "example", "must be true or false");
	d->example = json_is_true(ex);
	if (d->example && d->name && !strstr(d->name, "示例"))
		json_fail(&ck, "name", "an example must say so in its name: add \"示例\"");
	if (d->valid_from && d->valid_to && strcmp(d->valid_from, d->valid_to) > 0)
		json_fail(&ck, "valid_to", "is before valid_from");
	json_t *ms = json_object_get(root, "measures");
	if (!ck.failed && (!json_is_array(ms) || !json_array_size(ms)))
		json_fail(&ck, "measures", "missing, or not a non-empty list");
	if (ck.failed)
		goto out;
	d->measures = arena_alloc(a, sizeof *d->measures * json_array_size(ms));
	size_t i;
	json_t *mo;
	json_array_foreach(ms, i, mo) {
		const char *path = arena_printf(a, "measures[%zu]", i);
		PolicyMeasure *m = &d->measures[d->nmeasures++];
		parse_measure(&ck, d, mo, path, m);
		for (int k = 0; !ck.failed && k < d->nmeasures - 1; k++)
			if (!strcmp(d->measures[k].code, m->code))
				json_fail(&ck, arena_printf(a, "%s.code", path), "\"%s\" repeats measures[%d]", m->code, k);
		if (ck.failed)
			break;
	}
out:
	json_decref(root);
	return ck.failed ? NULL : d;
}

int policy_load(Store *s, Arena *a, const char *text, size_t len, const char *origin, const char *actor, char *err,
                size_t errsz)
{
	PolicyDoc *d = policy_parse(a, text, len, origin, err, errsz);
	if (!d)
		return H_ERR;
	char *copy = arena_alloc(a, len + 1);
	memcpy(copy, text, len);
	/* the document it replaces, for the audit's before */
	PolicyDocRow old;
	int had = store_policy_doc_get(s, a, d->code, &old);
	if (had < 0) {
		snprintf(err, errsz, "%s: %s", origin, store_errmsg(s));
		return H_ERR;
	}
	PolicyDocRow row = {d->code, d->name, d->document_no, d->valid_from, d->valid_to, copy, NULL, NULL, d->example};
	int ok = store_policy_doc_save(s, &row, actor) == H_OK && store_policy_measures_retire(s, d->code) == H_OK;
	for (int i = 0; ok && i < d->nmeasures; i++)
		ok = store_policy_measure_save(s, d->code, d->measures[i].code, d->measures[i].title, d->measures[i].kind,
		                               d->measures[i].article) > 0;
	/* what was loaded: the file's name and SHA-256, so the text can be matched later */
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	json_t *after = json_pack("{s:s,s:s,s:s,s:s,s:i,s:b,s:s?,s:s?}", "code", d->code, "name", d->name, "file", origin, "sha256", hex,
	                          "measures", d->nmeasures, "example", d->example, "valid_from", d->valid_from, "valid_to",
	                          d->valid_to);
	json_t *before = had == 1 ? json_pack("{s:s,s:s?,s:s?,s:s?,s:s?}", "code", old.code, "name", old.name, "valid_from",
	                                      old.valid_from, "valid_to", old.valid_to, "loaded_at", old.loaded_at)
	                          : NULL;
	char *at = after ? json_dumps(after, JSON_COMPACT) : NULL;
	char *bt = before ? json_dumps(before, JSON_COMPACT) : NULL;
	json_decref(after);
	json_decref(before);
	ok = ok && at && (had != 1 || bt) &&
	     store_audit(s, actor ? actor : "cli", actor && !strcmp(actor, "cli") ? "cli" : NULL, "load", "policies", d->code, bt, at) == H_OK;
	free(at);
	free(bt);
	if (!ok) {
		snprintf(err, errsz, "%s: %s", origin, store_errmsg(s));
		return H_ERR;
	}
	return H_OK;
}

int policy_measure_get(Store *s, Arena *a, long long measure_id, const PolicyDoc **doc, const PolicyMeasure **m)
{
	PolicyMeasureRow row;
	int found = store_policy_measure_get(s, a, measure_id, &row);
	if (found != 1)
		return found;
	PolicyDocRow dr;
	found = store_policy_doc_get(s, a, row.policy, &dr);
	if (found != 1)
		return found;
	char err[512];
	PolicyDoc *d = policy_parse(a, dr.json, strlen(dr.json), row.policy, err, sizeof err);
	if (!d)
		return 0; /* a measure its current document no longer has */
	for (int i = 0; i < d->nmeasures; i++)
		if (!strcmp(d->measures[i].code, row.code)) {
			*doc = d;
			*m = &d->measures[i];
			return 1;
		}
	return 0;
}

/* ---- what a base is entitled to ---- */

static const char *grade_of(double v)
{
	int g = (int)floor(v + 0.5);
	return g == 4 ? "A" : g == 3 ? "B" : g == 2 ? "C" : g == 1 ? "D" : NULL;
}

static const char *grade_zh(const char *g)
{
	return !strcmp(g, "A") ? "优秀（A）" : !strcmp(g, "B") ? "良好（B）" : !strcmp(g, "C") ? "合格（C）" : "不合格（D）";
}

static const char *level_zh(const char *l)
{
	return !strcmp(l, "demonstration") ? "示范大孵化器" : eval_level_zh(l);
}

static void add_cap(PolicyAssessment *o, const char *name, double cap, double used)
{
	PolicyCap *c = &o->caps[o->ncaps++];
	c->name = name;
	c->cap = cap;
	c->used = used;
	c->left = cap - used > 0 ? cap - used : 0;
}

int policy_assess(Store *s, Arena *a, const PolicyMeasure *m, long long measure_id, long long base_id, int year,
                  double claim, long long except_id, PolicyAssessment *out)
{
	memset(out, 0, sizeof *out);
	char end[16], start[16], today[11];
	snprintf(end, sizeof end, "%04d-12-31", year % 10000);
	snprintf(start, sizeof start, "%04d-01-01", year % 10000);
	date_today(today);
	out->as_of = arena_strdup(a, strcmp(end, today) > 0 ? today : end);
	BaseFacts f;
	int found = eval_load_facts(s, a, base_id, out->as_of, &f);
	if (found != 1)
		return H_ERR;
	/* does the measure judge this base, in this year? */
	const char *why = NULL;
	if (!eval_set_applies(m->conditions, f.kind, f.specialised, &why))
		out->applies_why = arena_printf(a, "本措施不适用于此类基地（%s）", why);
	else if ((m->valid_from && strcmp(m->valid_from, end) > 0) || (m->valid_to && strcmp(m->valid_to, start) < 0))
		out->applies_why = arena_printf(a, "%d 年不在本措施的有效期内（%s 至 %s）", year, m->valid_from ? m->valid_from : "不限",
		                                m->valid_to ? m->valid_to : "不限");
	out->cond.set = m->conditions;
	if (m->conditions->nrules > 0 && eval_set(s, a, &f, m->conditions, &out->cond) != H_OK)
		return H_ERR;
	out->eligible = out->applies_why || out->cond.failed ? 0 : out->cond.unknown ? -1 : 1;
	/* the amount by the formula */
	out->amount_known = 1;
	if (!strcmp(m->basis, "fixed")) {
		out->computed = m->fixed;
		out->formula = arena_printf(a, "定额 %s", fmt_money(a, m->fixed));
	} else if (!strcmp(m->basis, "per_new_m2")) {
		out->basis_value = f.area_added_year_m2 > 0 ? f.area_added_year_m2 : 0;
		out->computed = floor(out->basis_value * m->rate + 0.5);
		out->formula = arena_printf(a, "%d 年新增面积 %s × %g 元/㎡ = %s", year, fmt_area(a, out->basis_value), m->rate,
		                            fmt_money(a, out->computed));
	} else if (!strcmp(m->basis, "share_of_claim")) {
		if (claim <= 0) {
			out->amount_known = 0;
			out->missing = arena_printf(a, "请填写%s", m->claim_label);
		} else {
			out->basis_value = claim;
			out->computed = floor(claim * m->rate + 0.5);
			out->formula = arena_printf(a, "%s %s × %g%% = %s", m->claim_label, fmt_money(a, claim), m->rate * 100,
			                            fmt_money(a, out->computed));
		}
	} else if (!strcmp(m->basis, "by_level")) {
		int err;
		const char *levels = store_policy_levels_in_year(s, a, base_id, year, &err);
		if (err)
			return H_ERR;
		const PolicyTier *best = NULL;
		for (int i = 0; levels && i < m->ntiers; i++)
			if (json_in_list(levels, m->tiers[i].key) && (!best || m->tiers[i].yuan > best->yuan))
				best = &m->tiers[i];
		if (best) {
			out->computed = best->yuan;
			out->formula = arena_printf(a, "%d 年获%s认定：奖励 %s", year, level_zh(best->key), fmt_money(a, best->yuan));
		} else {
			out->formula = arena_printf(a, "%d 年未获本措施奖励的认定：0 元", year);
		}
	} else { /* by_grade: the year's own grade */
		const char *g = NULL;
		for (int i = 0; i < f.nfigures && !g; i++)
			if (f.figures[i].year == year && !strcmp(f.figures[i].field, "evaluation_grade"))
				g = grade_of(f.figures[i].value);
		if (!g) {
			out->amount_known = 0;
			out->missing = arena_printf(a, "缺少 %d 年度考核评价等级：请在基地的年度数据中填写", year);
		} else {
			const PolicyTier *t = NULL;
			for (int i = 0; i < m->ntiers; i++)
				if (!strcmp(m->tiers[i].key, g))
					t = &m->tiers[i];
			out->computed = t ? t->yuan : 0;
			out->formula = arena_printf(a, "%d 年度考核%s：补助 %s", year, grade_zh(g), fmt_money(a, out->computed));
		}
	}
	/* the caps: what other applications already commit */
	double used;
	if (m->cap_application >= 0)
		add_cap(out, "单次申请上限", m->cap_application, 0);
	if (m->cap_base_year >= 0) {
		if (store_policy_committed(s, measure_id, base_id, year, except_id, &used) < 0)
			return H_ERR;
		add_cap(out, arena_printf(a, "每个基地每年上限（%d 年本基地已占用）", year), m->cap_base_year, used);
	}
	if (m->cap_base_total >= 0) {
		if (store_policy_committed(s, measure_id, base_id, 0, except_id, &used) < 0)
			return H_ERR;
		add_cap(out, "每个基地累计上限（本基地已占用）", m->cap_base_total, used);
	}
	if (m->cap_measure_year >= 0) {
		if (store_policy_committed(s, measure_id, 0, year, except_id, &used) < 0)
			return H_ERR;
		add_cap(out, arena_printf(a, "本措施 %d 年总额（全市已占用）", year), m->cap_measure_year, used);
	}
	out->entitled = out->amount_known ? out->computed : 0;
	for (int i = 0; i < out->ncaps; i++)
		if (out->caps[i].left < out->entitled) {
			out->entitled = out->caps[i].left;
			out->limited_by = out->caps[i].name;
		}
	if (out->eligible == 0)
		out->entitled = 0;
	return H_OK;
}

json_t *policy_assessment_json(const PolicyAssessment *pa)
{
	json_t *caps = json_array();
	for (int i = 0; i < pa->ncaps; i++)
		json_array_append_new(caps, json_pack("{s:s,s:f,s:f,s:f}", "name", pa->caps[i].name, "cap", pa->caps[i].cap, "used",
		                                      pa->caps[i].used, "left", pa->caps[i].left));
	json_t *cond = pa->cond.set && pa->cond.set->nrules ? eval_set_json(&pa->cond) : json_null();
	return json_pack("{s:s,s:s,s:s?,s:o,s:{s:b,s:f,s:f,s:s?,s:s?,s:o,s:s?},s:f}", "as_of", pa->as_of, "eligible",
	                 pa->eligible == 1 ? "yes" : pa->eligible == 0 ? "no" : "unverified", "not_applicable", pa->applies_why,
	                 "conditions", cond, "amount", "known", pa->amount_known, "basis_value", pa->basis_value, "computed",
	                 pa->computed, "formula", pa->formula, "missing", pa->missing, "caps", caps, "limited_by",
	                 pa->limited_by, "entitled", pa->entitled);
}

/* ---- applications ---- */

static DomResult busy(void)
{
	return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
}

/* The failed conditions' texts, joined. */
static const char *failed_conditions(Arena *a, const SetOutcome *o)
{
	Buf b = {0};
	for (int i = 0; i < o->n; i++)
		if (o->rules[i].result == EV_FAIL)
			buf_printf(&b, "%s%s%s%s%s", b.len ? "；" : "", o->rules[i].rule->text, o->rules[i].gap ? "（" : "",
			           o->rules[i].gap ? o->rules[i].gap : "", o->rules[i].gap ? "）" : "");
	const char *t = arena_strdup(a, b.len ? buf_str(&b) : "");
	buf_free(&b);
	return t;
}

/* Why the assessment refuses an application; OK when it may go on. */
static DomResult assessment_refusal(Arena *a, const PolicyAssessment *pa)
{
	if (pa->applies_why)
		return dom_result(DOM_CONFLICT, "not_applicable", arena_printf(a, "%s。", pa->applies_why));
	if (pa->eligible == 0)
		return dom_result(DOM_CONFLICT, "conditions_not_met",
		                  arena_printf(a, "不符合本措施的条件：%s。", failed_conditions(a, &pa->cond)));
	if (!pa->amount_known)
		return dom_result(DOM_INVALID, "amount_unknown", arena_printf(a, "无法计算金额：%s。", pa->missing));
	if (pa->entitled <= 0)
		return dom_result(DOM_CONFLICT, "nothing_left",
		                  arena_printf(a, "按本措施可获支持 0 元：%s。",
		                               pa->limited_by ? arena_printf(a, "%s已用完", pa->limited_by) : pa->formula));
	return dom_result(DOM_OK, NULL, NULL);
}

static const char *dump(Arena *a, json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *out = arena_strdup(a, t);
	free(t);
	return out;
}

/* Who may apply for or resubmit a base's application: the office, the
 * base's area, the base's own user. */
static int applicant_side(const Actor *who, long long base_id, const char *area)
{
	return who->role == ROLE_ADMIN || (who->role == ROLE_AREA && who->scope && area && !strcmp(who->scope, area)) ||
	       (who->role == ROLE_BASE && who->scope && id_or_zero(who->scope) == base_id);
}

int policy_app_visible(const Actor *who, const PolicyApp *app)
{
	if (who->role == ROLE_ADMIN || who->role == ROLE_VIEWER)
		return 1;
	if (who->role == ROLE_AREA)
		return who->scope && !strcmp(who->scope, app->area);
	if (who->role == ROLE_BASE)
		return who->scope && id_or_zero(who->scope) == app->base_id;
	return 0;
}

static const char *app_json(Arena *a, const PolicyApp *p)
{
	return dump(a, json_pack("{s:s,s:s,s:f,s:o,s:o,s:s?,s:s?,s:s?,s:s?}", "name",
	                         arena_printf(a, "%s · %s", p->base_name ? p->base_name : "", p->measure_title ? p->measure_title : ""),
	                         "status", p->status, "entitled_yuan", p->entitled,
	                         "approved_yuan", p->has_approved ? json_real(p->approved) : json_null(), "paid_yuan",
	                         p->has_paid ? json_real(p->paid) : json_null(), "approve_reason", p->approve_reason, "paid_on",
	                         p->paid_on, "voucher_no", p->voucher_no, "return_reason", p->return_reason));
}

DomResult policy_apply(Store *s, const Actor *who, const PolicyApplyInput *in, int dry_run, long long *new_id,
                       PolicyAssessment *assessment)
{
	Arena *a = who->arena;
	if (in->year < 2000 || in->year > 2100)
		return dom_result(DOM_INVALID, "bad_year", "请选择申请年度（如 2024）。");
	if (in->note && utf8_len(in->note) > 500)
		return dom_result(DOM_INVALID, "too_long", "说明最多 500 字。");
	if (store_begin(s) != H_OK)
		return busy();
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	const PolicyDoc *doc;
	const PolicyMeasure *m;
	PolicyMeasureRow mrow;
	const char *area = NULL, *status = NULL;
	long long unused;
	int found = store_policy_measure_get(s, a, in->measure_id, &mrow);
	if (found < 0)
		res = dom_store_failed();
	else if (!found || !mrow.active || (found = policy_measure_get(s, a, in->measure_id, &doc, &m)) == 0)
		res = dom_result(DOM_NOT_FOUND, "no_measure", "没有这项支持措施（或它已不在现行政策中）。");
	else if (found < 0)
		res = dom_store_failed();
	else if ((found = store_record_visibility(s, a, "bases", in->base_id, &area, &unused, &status)) < 0)
		res = dom_store_failed();
	else if (!found || strcmp(status, "approved"))
		res = dom_result(DOM_NOT_FOUND, "no_base", "没有这个孵化基地（或它尚未通过审核）。");
	else if (!applicant_side(who, in->base_id, area))
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", "只能为本辖区或本机构运营的孵化基地申请。");
	else if (!strcmp(m->basis, "share_of_claim") && (!in->has_claim || in->claim <= 0))
		res = dom_result(DOM_INVALID, "claim_required", arena_printf(a, "请填写%s（元，大于 0）。", m->claim_label));
	else if (m->once) {
		int n = store_policy_open_count(s, in->measure_id, in->base_id, !strcmp(m->once, "year") ? in->year : 0, 0);
		if (n < 0)
			res = dom_store_failed();
		else if (n > 0)
			res = dom_result(DOM_CONFLICT, "already_applied",
			                 !strcmp(m->once, "year") ? arena_printf(a, "本基地 %d 年已申请过这项措施（每年限一次）。", in->year)
			                                          : "本基地已申请过这项措施（限一次）。");
	}
	PolicyAssessment pa;
	if (res.code == DOM_OK &&
	    policy_assess(s, a, m, in->measure_id, in->base_id, in->year, in->has_claim ? in->claim : 0, 0, &pa) != H_OK)
		res = dom_store_failed();
	if (res.code == DOM_OK && assessment)
		*assessment = pa;
	if (res.code == DOM_OK && dry_run) {
		store_rollback(s);
		return dom_result(DOM_OK, NULL, "已按现有数据测算，尚未提交。");
	}
	if (res.code == DOM_OK)
		res = assessment_refusal(a, &pa);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	PolicyApp p = {
		.measure_id = in->measure_id, .base_id = in->base_id, .area = area, .year = in->year, .claim = in->claim,
		.has_claim = in->has_claim, .entitled = pa.entitled, .assessment = dump(a, policy_assessment_json(&pa)),
		.note = in->note && *in->note ? in->note : NULL, .applied_by = who->name, .status = "applied",
	};
	long long id = store_policy_app_insert(s, &p);
	PolicyApp saved;
	const char *label = id > 0 && store_policy_app_get(s, a, id, &saved) == 1
	                        ? arena_printf(a, "%s · %s", saved.base_name, saved.measure_title)
	                        : m->title;
	const char *after = dump(a, json_pack("{s:s,s:I,s:I,s:s,s:i,s:f,s:o,s:s}", "name", label, "base_id", (json_int_t)in->base_id,
	                                      "measure_id", (json_int_t)in->measure_id, "measure", m->code, "year", in->year,
	                                      "entitled_yuan", pa.entitled, "claim_yuan",
	                                      in->has_claim ? json_real(in->claim) : json_null(), "status", "applied"));
	if (id <= 0 || !after ||
	    store_audit(s, who->name, who->addr, "apply", "policy_applications", arena_printf(a, "%lld", id), NULL, after) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (new_id)
		*new_id = id;
	return dom_result(DOM_OK, NULL,
	                  arena_printf(a, "申请已提交：按现有数据可获支持 %s，等待区域推荐。", fmt_money(a, pa.entitled)));
}

static const char *const self_message = "这份申请是您本人提交的，不能由您推荐；请由所在区域的其他人员或市专班办公室推荐。";

const char *policy_refusal(const Actor *who, const PolicyApp *app, const char *action)
{
	int own_area = who->role == ROLE_AREA && who->scope && !strcmp(who->scope, app->area);
	if (!strcmp(action, "approve") || !strcmp(action, "pay"))
		return who->role == ROLE_ADMIN ? NULL : "只有市专班办公室可以核定和拨付。";
	if (!strcmp(action, "resubmit"))
		return applicant_side(who, app->base_id, app->area) ? NULL : "只能重新提交本辖区或本机构的申请。";
	if (who->role != ROLE_ADMIN && !own_area)
		return "这份申请不属于您的辖区。";
	if (!strcmp(action, "endorse") && app->applied_by && who->name && !strcmp(app->applied_by, who->name))
		return self_message;
	return NULL;
}

/* Why the application in its state cannot take the action. */
static DomResult state_refusal(Arena *a, const Actor *who, const PolicyApp *p, const PolicyActInput *in)
{
	const char *st = p->status, *act = in->action;
	if (!strcmp(act, "endorse") && strcmp(st, "applied"))
		return dom_result(DOM_CONFLICT, "wrong_state", arena_printf(a, "这份申请%s，不能再推荐。", policy_status_zh(st)));
	if (!strcmp(act, "approve")) {
		if (strcmp(st, "endorsed"))
			return dom_result(DOM_CONFLICT, "wrong_state", "须先由区域推荐，才能核定。");
		if (!in->has_amount || in->amount < 0)
			return dom_result(DOM_INVALID, "amount_required", "请填写核定金额（元，不小于 0）。");
		if (fabs(in->amount - p->entitled) >= 0.005 && (!in->reason || !*in->reason))
			return dom_result(DOM_INVALID, "reason_required",
			                  arena_printf(a, "核定金额与测算金额 %s 不同，请写明理由。", fmt_money(a, p->entitled)));
	}
	if (!strcmp(act, "pay")) {
		if (strcmp(st, "approved"))
			return dom_result(DOM_CONFLICT, "wrong_state", "须先核定，才能登记拨付。");
		if (!in->paid_on || !date_valid(in->paid_on))
			return dom_result(DOM_INVALID, "paid_on_required", "请填写拨付日期（YYYY-MM-DD）。");
		if (!in->has_amount || in->amount <= 0)
			return dom_result(DOM_INVALID, "amount_required", "请填写拨付金额（元，大于 0）。");
		if (in->amount > p->approved + 0.005)
			return dom_result(DOM_INVALID, "amount_too_high",
			                  arena_printf(a, "拨付金额不能超过核定金额 %s。", fmt_money(a, p->approved)));
		if (!in->voucher || !*in->voucher || utf8_len(in->voucher) > 64)
			return dom_result(DOM_INVALID, "voucher_required", "请填写凭证号（最多 64 字）。");
	}
	if (!strcmp(act, "return")) {
		int may = !strcmp(st, "applied") || (who->role == ROLE_ADMIN && (!strcmp(st, "endorsed") || !strcmp(st, "approved")));
		if (!may)
			return dom_result(DOM_CONFLICT, "wrong_state", arena_printf(a, "这份申请%s，不能退回。", policy_status_zh(st)));
		if (!in->reason || !*in->reason)
			return dom_result(DOM_INVALID, "reason_required", "退回时请写明原因。");
	}
	if (!strcmp(act, "resubmit") && strcmp(st, "returned"))
		return dom_result(DOM_CONFLICT, "wrong_state", "只有退回的申请可以重新提交。");
	if (in->reason && utf8_len(in->reason) > 500)
		return dom_result(DOM_INVALID, "too_long", "理由最多 500 字。");
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult policy_act(Store *s, const Actor *who, long long id, const PolicyActInput *in)
{
	Arena *a = who->arena;
	static const char *const actions = "endorse,approve,pay,return,resubmit";
	if (!in->action || !json_in_list(actions, in->action))
		return dom_result(DOM_INVALID, "bad_action", "操作应为推荐、核定、拨付、退回或重新提交之一。");
	if (in->amount_text && *in->amount_text && !in->has_amount)
		return dom_result(DOM_INVALID, "bad_amount", "金额读不懂：请填写数字（元），如 185000 或 18.5万。");
	if (store_begin(s) != H_OK)
		return busy();
	PolicyApp p;
	int found = store_policy_app_get(s, a, id, &p);
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	const char *no;
	if (found < 0)
		res = dom_store_failed();
	else if (!found || !policy_app_visible(who, &p))
		res = dom_result(DOM_NOT_FOUND, "not_found", "没有这份申请。");
	else if ((no = policy_refusal(who, &p, in->action)) != NULL)
		res = dom_result(no == self_message ? DOM_CONFLICT : DOM_FORBIDDEN,
		                 no == self_message ? "self_endorsement" : "forbidden_scope", no);
	else
		res = state_refusal(a, who, &p, in);
	const PolicyDoc *doc;
	const PolicyMeasure *m = NULL;
	if (res.code == DOM_OK && (!strcmp(in->action, "approve") || !strcmp(in->action, "resubmit"))) {
		found = policy_measure_get(s, a, p.measure_id, &doc, &m);
		if (found < 0)
			res = dom_store_failed();
		else if (!found)
			res = dom_result(DOM_CONFLICT, "no_measure", "这项措施已不在现行政策中。");
	}
	PolicyAssessment pa;
	if (res.code == DOM_OK && m &&
	    policy_assess(s, a, m, p.measure_id, p.base_id, p.year, p.has_claim ? p.claim : 0, p.id, &pa) != H_OK)
		res = dom_store_failed();
	if (res.code == DOM_OK && !strcmp(in->action, "approve")) {
		/* the office may grant another amount, never beyond the caps */
		for (int i = 0; i < pa.ncaps && res.code == DOM_OK; i++)
			if (in->amount > pa.caps[i].left + 0.005)
				res = dom_result(DOM_CONFLICT, "over_cap",
				                 arena_printf(a, "核定金额超过%s：上限 %s，已占用 %s，至多还可核定 %s。", pa.caps[i].name,
				                              fmt_money(a, pa.caps[i].cap), fmt_money(a, pa.caps[i].used),
				                              fmt_money(a, pa.caps[i].left)));
	}
	if (res.code == DOM_OK && !strcmp(in->action, "resubmit"))
		res = assessment_refusal(a, &pa);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	const char *before = app_json(a, &p);
	char now[21];
	time_now_iso(now);
	const char *msg = "";
	if (!strcmp(in->action, "endorse")) {
		p.status = "endorsed";
		p.endorsed_by = who->name;
		p.endorsed_at = arena_strdup(a, now);
		msg = "已推荐，等待市专班核定。";
	} else if (!strcmp(in->action, "approve")) {
		p.status = "approved";
		p.approved_by = who->name;
		p.approved_at = arena_strdup(a, now);
		p.approved = in->amount;
		p.has_approved = 1;
		p.approve_reason = in->reason && *in->reason ? in->reason : NULL;
		msg = arena_printf(a, "已核定 %s，等待拨付。", fmt_money(a, in->amount));
	} else if (!strcmp(in->action, "pay")) {
		p.status = "paid";
		p.paid_by = who->name;
		p.paid_on = in->paid_on;
		p.paid = in->amount;
		p.has_paid = 1;
		p.voucher_no = in->voucher;
		msg = arena_printf(a, "已登记拨付 %s（凭证号 %s）。", fmt_money(a, in->amount), in->voucher);
	} else if (!strcmp(in->action, "return")) {
		p.status = "returned";
		p.returned_by = who->name;
		p.returned_at = arena_strdup(a, now);
		p.return_reason = in->reason;
		msg = "已退回，申请方可修改后重新提交。";
	} else { /* resubmit */
		p.status = "applied";
		p.applied_by = who->name;
		p.applied_at = arena_strdup(a, now);
		p.endorsed_by = p.endorsed_at = p.approved_by = p.approved_at = p.approve_reason = NULL;
		p.has_approved = 0;
		p.entitled = pa.entitled;
		p.assessment = dump(a, policy_assessment_json(&pa));
		msg = arena_printf(a, "已重新提交：按现有数据可获支持 %s，等待区域推荐。", fmt_money(a, pa.entitled));
	}
	const char *after = app_json(a, &p);
	if (!before || !after || store_policy_app_update(s, &p) != H_OK ||
	    store_audit(s, who->name, who->addr, in->action, "policy_applications", arena_printf(a, "%lld", id), before, after) !=
	        H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, msg);
}

DomResult policy_attach(Store *s, const Actor *who, long long id, const char *name, const unsigned char *data, size_t len,
                        long long *file_id)
{
	Arena *a = who->arena;
	if (store_begin(s) != H_OK)
		return busy();
	PolicyApp p;
	int found = store_policy_app_get(s, a, id, &p), have = -1;
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	if (found < 0)
		res = dom_store_failed();
	else if (!found || !policy_app_visible(who, &p))
		res = dom_result(DOM_NOT_FOUND, "not_found", "没有这份申请。");
	else if (!applicant_side(who, p.base_id, p.area))
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", "证明材料由申请方（基地、所在区域或市专班）上传。");
	else if (strcmp(p.status, "applied") && strcmp(p.status, "returned"))
		res = dom_result(DOM_CONFLICT, "wrong_state",
		                 arena_printf(a, "这份申请%s，不能再补充材料；如需补充，请联系区域或市专班退回后再上传。",
		                              policy_status_zh(p.status)));
	else if ((have = store_attachment_count(s, POLICY_ATTACHMENT_OWNER, id)) < 0)
		res = dom_store_failed();
	long long fid = 0;
	if (res.code == DOM_OK)
		res = attachment_add_in_tx(s, who, POLICY_ATTACHMENT_OWNER, id, name, data, len, &fid);
	Attachment f;
	if (res.code == DOM_OK && store_attachment_get(s, a, fid, 0, &f) != 1)
		res = dom_store_failed();
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	/* the application's trail: its files before and after */
	const char *label = arena_printf(a, "%s · %s", p.base_name, p.measure_title);
	const char *before = dump(a, json_pack("{s:s,s:s,s:i}", "name", label, "status", p.status, "attachments", have));
	const char *after = dump(a, json_pack("{s:s,s:s,s:i,s:{s:I,s:s,s:s,s:I,s:s}}", "name", label, "status", p.status,
	                                      "attachments", have + 1, "file", "id", (json_int_t)fid, "name", f.name, "mime", f.mime,
	                                      "size", (json_int_t)f.size, "sha256", f.sha256));
	if (!before || !after ||
	    store_audit(s, who->name, who->addr, "attach", "policy_applications", arena_printf(a, "%lld", id), before, after) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (file_id)
		*file_id = fid;
	return dom_result(DOM_OK, NULL, arena_printf(a, "已上传“%s”。", f.name));
}
