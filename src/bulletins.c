/*
 * bulletins.c — the office's bulletins (通报): the draft generated from the
 * data as of a date (competition.c's ranking, progress.c's totals against
 * the year's targets, reports.c's late reporters), the office's paragraphs,
 * publishing (freezing the document with its data stamp and SHA-256), a
 * correction as a new bulletin, and rendering the stored document as PDF,
 * .docx and .xlsx (doc_*.c). See bulletins.h.
 */
#include "bulletins.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "competition.h"
#include "fmt.h"
#include "progress.h"
#include "reports.h"

static DomResult invalid(const char *msg)
{
	return dom_result(DOM_INVALID, "invalid", msg);
}

static int is_office(const Actor *who)
{
	return who->role == ROLE_ADMIN;
}

int bulletin_sees_drafts(const Actor *who)
{
	return who->role == ROLE_ADMIN || who->role == ROLE_VIEWER;
}

const char *bulletin_sha256(Arena *a, const char *text)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	char *hex = arena_alloc(a, sizeof h * 2 + 1);
	sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
	return hex;
}

/* The document as the text stored and hashed: compact, keys sorted. */
static const char *doc_text(Arena *a, const Doc *d)
{
	json_t *j = doc_to_json(d);
	char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (!t)
		return NULL;
	const char *out = arena_strdup(a, t);
	free(t);
	return out;
}

Doc *bulletin_doc(const Actor *who, const BulletinRec *b)
{
	if (!b->content)
		return NULL;
	json_error_t je;
	json_t *j = json_loads(b->content, 0, &je);
	if (!j)
		return NULL;
	char err[256];
	Doc *d = doc_from_json(who->arena, j, err, sizeof err);
	json_decref(j);
	return d;
}

/* ---- numbers and periods ---- */

/* "瑞孵办〔2024〕11号" → year 2024, seq 11; 0 when it is not written so. */
static int number_parse(const char *s, int *year, int *seq)
{
	const char *open = strstr(s, "〔"), *close = open ? strstr(open, "〕") : NULL;
	if (!open || open == s || !close || close - open != 3 + 4)
		return 0;
	long long y, n;
	char ys[5];
	memcpy(ys, open + 3, 4);
	ys[4] = 0;
	if (!parse_int(ys, 1900, 2999, &y))
		return 0;
	const char *num = close + 3, *hao = strstr(num, "号");
	if (!hao || hao == num || hao[3] != 0 || hao - num > 4)
		return 0;
	char ns[8];
	memcpy(ns, num, (size_t)(hao - num));
	ns[hao - num] = 0;
	if (!parse_int(ns, 1, 9999, &n) || ns[0] == '0')
		return 0;
	*year = (int)y;
	*seq = (int)n;
	return 1;
}

/* The first character of the city's name and 孵办: 瑞孵办. */
static const char *number_prefix(Arena *a, const Plan *p)
{
	const unsigned char *c = (const unsigned char *)(p->city.name ? p->city.name : "");
	size_t len = *c < 0x80 ? 1 : *c < 0xE0 ? 2 : *c < 0xF0 ? 3 : 4;
	if (!*c)
		len = 0;
	return arena_printf(a, "%.*s孵办", (int)len, (const char *)c);
}

/* Reads a month "YYYY-MM" into year and month; 0 when not one. */
static int month_parse(const char *s, int *y, int *m)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return 0;
	char d[11];
	snprintf(d, sizeof d, "%s-01", s);
	if (!date_valid(d))
		return 0;
	*y = digits_value(s, 4);
	*m = digits_value(s + 5, 2);
	return 1;
}

static void month_last_day(int y, int m, char out[11])
{
	char first[32];
	int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
	snprintf(first, sizeof first, "%04d-%02d-01", ny, nm);
	date_from_days(date_days(first) - 1, out);
}

/* ---- the draft's text ---- */

typedef struct Gen {
	Store *s;
	const Plan *p;
	Arena *a;
	Competition comp;
	Doc *d;
	int ntables, ncharts;
} Gen;

/* The rank of row r in group (-1: across all) on item (-1: overall); 0: not ranked. */
static int rank_of(const CompRow *r, int group, int item)
{
	if (item < 0)
		return group < 0 ? r->rank_all : r->rank_group;
	return group < 0 ? r->cells[item].rank_all : r->cells[item].rank_group;
}

/* Row indices of group g (-1: all areas) ranked by item (-1: overall),
 * ranked rows first, best first, the plan's order among equals (into idx,
 * *n of them). Returns how many are ranked. */
static int ranked(Gen *g, int group, int item, int *idx, int *n)
{
	const Competition *c = &g->comp;
	int k = 0;
	for (int i = 0; i < c->nrows; i++)
		if (group < 0 || c->rows[i].group == group)
			idx[k++] = i;
	*n = k;
	for (int i = 1; i < k; i++) {
		int v = idx[i], j = i;
		int rv = rank_of(&c->rows[v], group, item);
		unsigned kv = rv > 0 ? (unsigned)rv : 0xffffffffu;
		for (; j > 0; j--) {
			int ru = rank_of(&c->rows[idx[j - 1]], group, item);
			unsigned ku = ru > 0 ? (unsigned)ru : 0xffffffffu;
			if (ku <= kv)
				break;
			idx[j] = idx[j - 1];
		}
		idx[j] = v;
	}
	int nr = 0;
	for (int i = 0; i < k; i++)
		nr += rank_of(&c->rows[idx[i]], group, item) > 0;
	return nr;
}

/* The figure of a cell as the bulletin writes it: a completion rate, or
 * the amount in the indicator's unit. */
static const char *cell_text(Gen *g, int item, const CompCell *cell)
{
	const CompItem *it = &g->comp.method->items[item];
	if (it->by && !strcmp(it->by, "completion"))
		return cell->has_target ? fmt_percent(g->a, cell->rate) : "无目标";
	return fmt_quantity(g->a, cell->value, g->comp.ind[item]->unit);
}

/* "安阳街道、玉海街道、锦湖街道" of rows idx[from..from+k), with the figure
 * of item (-1: the score) in brackets when figures is set. */
static void names(Gen *g, Buf *b, const int *idx, int from, int k, int item, int figures)
{
	for (int i = 0; i < k; i++) {
		const CompRow *r = &g->comp.rows[idx[from + i]];
		if (i)
			buf_puts(b, "、");
		buf_puts(b, r->area->name);
		if (figures) {
			if (item < 0)
				buf_printf(b, "（%.1f分）", r->score);
			else
				buf_printf(b, "（%s）", cell_text(g, item, &r->cells[item]));
		}
	}
}

/* "前三位是……，排名靠后的是……" of group (-1 all) on item (-1 overall). */
static void ahead_behind(Gen *g, Buf *b, int group, int item, int figures)
{
	int *idx = arena_alloc(g->a, sizeof *idx * (size_t)(g->comp.nrows + 1)), n = 0;
	int nr = ranked(g, group, item, idx, &n);
	if (nr == 0) {
		buf_puts(b, "暂无可比数据");
		return;
	}
	const Competition *c = &g->comp;
	int first = rank_of(&c->rows[idx[0]], group, item), lastrank = rank_of(&c->rows[idx[nr - 1]], group, item);
	if (nr > 1 && first == lastrank) {
		buf_puts(b, "各地持平");
		if (figures) {
			buf_puts(b, "（均为");
			if (item < 0)
				buf_printf(b, "%.1f分", c->rows[idx[0]].score);
			else
				buf_puts(b, cell_text(g, item, &c->rows[idx[0]].cells[item]));
			buf_puts(b, "）");
		}
		return;
	}
	int top = nr < 3 ? nr : 3;
	/* behind: the last three of those ranked below the third */
	int cut = rank_of(&c->rows[idx[top - 1]], group, item), below = 0;
	for (int i = top; i < nr; i++)
		below += rank_of(&c->rows[idx[i]], group, item) > cut;
	int bottom = below < 3 ? below : 3;
	buf_puts(b, "位列前三的是");
	names(g, b, idx, 0, top, item, figures);
	if (bottom > 0) {
		buf_puts(b, "，排名靠后的是");
		names(g, b, idx, nr - bottom, bottom, item, figures);
	}
}

/* 一、总体情况: the city's totals against the year's targets, what lags. */
static int overall(Gen *g, const char *as_of, const char *label)
{
	Progress *pg = NULL;
	int year = progress_default_year(g->p, as_of);
	int n = progress_compute(g->s, g->p, g->a, g->p->city.code, year, as_of, "plan", &pg);
	if (n < 0)
		return H_ERR;
	doc_heading(g->d, 1, "一、总体情况");
	Buf b = {0};
	buf_printf(&b, "截至%s，全市", fmt_date_cn(g->a, as_of));
	int any = 0;
	for (int i = 0; i < n; i++) {
		const Progress *x = &pg[i];
		if (any++)
			buf_puts(&b, "；");
		buf_printf(&b, "%s%s", x->ind->name, fmt_quantity(g->a, x->actual, x->ind->unit));
		if (x->has_target)
			buf_printf(&b, "，完成%d年目标（%s）的%s", year, fmt_quantity(g->a, x->target, x->ind->unit),
			           fmt_percent(g->a, x->ratio));
	}
	buf_puts(&b, any ? "。" : "各项指标暂无数据。");
	doc_para(g->d, b.data);
	buf_reset(&b);
	int lag = 0;
	for (int i = 0; i < n; i++) {
		const Progress *x = &pg[i];
		if (x->status != PS_BEHIND && x->status != PS_AT_RISK)
			continue;
		buf_puts(&b, lag++ ? "；" : "对照序时进度，");
		buf_printf(&b, "%s%s，%s", x->ind->name, progress_status_zh(x->status),
		           fmt_gap(g->a, x->expected - x->actual, x->ind->unit));
	}
	if (lag)
		buf_puts(&b, "，需加快推进。");
	else
		buf_puts(&b, "对照序时进度，各项指标均达到进度要求。");
	doc_para(g->d, b.data);
	buf_reset(&b);
	/* the period's own figures */
	const Competition *c = &g->comp;
	buf_printf(&b, "%s，全市", label);
	for (int i = 0; i < c->nitems; i++) {
		if (i)
			buf_puts(&b, "，");
		buf_printf(&b, "%s%s", c->ind[i]->name, fmt_quantity(g->a, c->city[i].value, c->ind[i]->unit));
	}
	buf_puts(&b, "。");
	doc_para(g->d, b.data);
	buf_free(&b);
	return H_OK;
}

/* The change of rank as the table shows it: ↑2, ↓1, —, 新. */
static const char *change_text(Arena *a, const CompRow *r)
{
	if (!r->has_prev || !r->rank_group)
		return "—";
	if (r->change_group > 0)
		return arena_printf(a, "↑%d", r->change_group);
	if (r->change_group < 0)
		return arena_printf(a, "↓%d", -r->change_group);
	return "—";
}

/* One group's paragraphs, table and chart. */
static void group_section(Gen *g, int group, const char *label)
{
	const Competition *c = &g->comp;
	const CompGroup *gr = &c->method->groups[group];
	static const char *const nums[] = {"（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）"};
	doc_heading(g->d, 2, arena_printf(g->a, "%s%s", nums[group % 8], gr->name));
	Buf b = {0};
	buf_printf(&b, "%s综合得分", gr->name);
	ahead_behind(g, &b, group, -1, 1);
	buf_puts(&b, "。");
	/* who moved most */
	int best = -1;
	for (int i = 0; i < c->nrows; i++) {
		const CompRow *r = &c->rows[i];
		if (r->group == group && r->has_progress && r->progress_rank_group == 1 && r->progress > 0)
			best = i;
	}
	if (best >= 0) {
		const CompRow *r = &c->rows[best];
		int members = 0;
		for (int i = 0; i < c->nrows; i++)
			members += c->rows[i].group == group && c->rows[i].rank_group > 0;
		if (r->rank_group > (members + 1) / 2)
			buf_printf(&b, "值得关注的是，%s虽综合排名仍居第%d位，但得分较上期提高%.1f分，进步最为明显。", r->area->name,
			           r->rank_group, r->progress);
		else
			buf_printf(&b, "%s得分较上期提高%.1f分，进步最为明显。", r->area->name, r->progress);
	}
	doc_para(g->d, b.data);
	buf_reset(&b);
	buf_puts(&b, "分指标看：");
	for (int i = 0; i < c->nitems; i++) {
		if (i)
			buf_puts(&b, "；");
		buf_printf(&b, "%s", c->ind[i]->name);
		ahead_behind(g, &b, group, i, 1);
	}
	buf_puts(&b, "。");
	doc_para(g->d, b.data);
	buf_free(&b);
	/* the table */
	int *idx = arena_alloc(g->a, sizeof *idx * (size_t)(c->nrows + 1)), n = 0;
	ranked(g, group, -1, idx, &n);
	int ncols = 4 + c->nitems;
	DocTable *t = doc_table(g->d, arena_printf(g->a, "表%d %s综合排名（%s）", ++g->ntables, gr->name, label), ncols, 1,
	                        n + 1);
	t->name = arena_printf(g->a, "%s排名", gr->name);
	t->widths[0] = 0.7;
	t->widths[1] = 1.6;
	t->widths[2] = 0.9;
	t->widths[3] = 0.8;
	doc_cell(t, 0, 0, "排名");
	doc_cell(t, 0, 1, "地区");
	doc_cell(t, 0, 2, "综合得分");
	doc_cell(t, 0, 3, "较上期");
	for (int i = 0; i < c->nitems; i++) {
		const CompItem *it = &c->method->items[i];
		int by_rate = it->by && !strcmp(it->by, "completion");
		doc_cell(t, 0, 4 + i, arena_printf(g->a, "%s%s", c->ind[i]->name, by_rate ? "（完成率）" : ""));
		t->right[4 + i] = 1;
	}
	t->right[0] = t->right[2] = 1;
	for (int k = 0; k < n; k++) {
		const CompRow *r = &c->rows[idx[k]];
		if (r->rank_group)
			doc_cell_num(t, k + 1, 0, arena_printf(g->a, "%d", r->rank_group), r->rank_group);
		else
			doc_cell(t, k + 1, 0, "—");
		doc_cell(t, k + 1, 1, arena_strdup(g->a, r->area->name));
		if (r->has_score)
			doc_cell_num(t, k + 1, 2, arena_printf(g->a, "%.1f", r->score), r->score);
		else
			doc_cell(t, k + 1, 2, "—");
		doc_cell(t, k + 1, 3, change_text(g->a, r));
		for (int i = 0; i < c->nitems; i++)
			doc_cell(t, k + 1, 4 + i, arena_strdup(g->a, cell_text(g, i, &r->cells[i])));
	}
	/* the chart of scores */
	DocChart *ch = doc_chart(g->d, arena_printf(g->a, "图%d %s综合得分", ++g->ncharts, gr->name), "分", n);
	for (int k = 0; k < n; k++) {
		ch->labels[k] = arena_strdup(g->a, c->rows[idx[k]].area->name);
		ch->values[k] = c->rows[idx[k]].has_score ? c->rows[idx[k]].score : 0;
	}
}

/* 三、数据报送情况: the late reporters of the areas' monthly report. */
static void reporting(Gen *g, const char *period, const char *label)
{
	doc_heading(g->d, 1, "三、数据报送情况");
	const FormSet *fs = reports_forms(g->s, g->p);
	const Form *f = NULL;
	for (int i = 0; fs && i < fs->nforms; i++)
		if (fs->forms[i].period == PERIOD_MONTHLY && !strcmp(fs->forms[i].reporter, "area")) {
			f = &fs->forms[i];
			break;
		}
	if (!f) {
		doc_para(g->d, "本期无需报送月报。");
		return;
	}
	Completeness c;
	ReportOutcome out;
	memset(&c, 0, sizeof c);
	memset(&out, 0, sizeof out);
	if (report_completeness(g->s, g->a, g->p, f->code, period, NULL, report_now(), &c, &out) != 200) {
		doc_para(g->d, arena_printf(g->a, "《%s》%s的报送情况暂无法统计。", f->name, label));
		return;
	}
	Buf b = {0}, late = {0}, tardy = {0};
	int nlate = 0, ntardy = 0;
	for (int i = 0; i < c.nrows; i++) {
		const CompletenessRow *r = &c.rows[i];
		if (r->late) {
			buf_puts(&late, nlate++ ? "、" : "");
			buf_puts(&late, r->org.name);
		} else if (r->reported && !r->on_time) {
			buf_puts(&tardy, ntardy++ ? "、" : "");
			buf_puts(&tardy, r->org.name);
		}
	}
	buf_printf(&b, "%s《%s》应报%d家，已报%d家，按时报送%d家。", label, f->name, c.expected, c.reported, c.on_time);
	if (nlate)
		buf_printf(&b, "%s逾期未报；", late.data);
	if (ntardy)
		buf_printf(&b, "%s未按时报送；", tardy.data);
	if (nlate || ntardy) {
		b.len -= strlen("；");
		b.data[b.len] = 0;
		buf_puts(&b, "，请相关地区引起重视。");
	} else {
		buf_puts(&b, "各地均按时报送。");
	}
	doc_para(g->d, b.data);
	buf_free(&b);
	buf_free(&late);
	buf_free(&tardy);
}

static const char *const office_defaults[] = {
    "（一）加快补齐短板。排名靠后的地区要认真分析原因，对照年度目标倒排时间节点，逐项明确举措和责任人，确保按期完成目标任务。",
    "（二）按时准确报送。各地要严格落实月报制度，于每月5日前完成上月数据报送，确保数据真实、准确、完整。",
    "（三）加强协同推进。各地各部门要加强沟通对接，及时协调解决孵化基地建设中遇到的困难和问题，重大情况及时报告市专班办公室。",
};

/*
 * Builds the document of a bulletin: period "YYYY-MM" as of as_of, with
 * number, dated today; corrects: the bulletin this one corrects (NULL).
 * The office's paragraphs come from keep (a draft's document) when given,
 * else the defaults.
 */
static DomResult generate(Store *s, const Actor *who, const char *period, const char *as_of, const char *number,
                          const BulletinRec *corrects, const char *note, const Doc *keep, Doc **out,
                          long long *stamp)
{
	const Plan *p = who->plan;
	Gen g = {.s = s, .p = p, .a = who->arena};
	DomResult res = competition_compute(s, p, period, as_of, &g.comp);
	if (res.code != DOM_OK) {
		competition_free(&g.comp);
		return res;
	}
	*stamp = store_data_stamp(s);
	const char *label = arena_strdup(g.a, g.comp.period.label);
	Doc *d = g.d = doc_new(g.a);
	int y = digits_value(period, 4), m = digits_value(period + 5, 2);
	d->issuer = p->office ? p->office : arena_printf(g.a, "%s大孵化集群工作专班办公室", p->city.name);
	d->number = arena_strdup(g.a, number);
	d->title = corrects ? arena_printf(g.a, "%s（更正）", corrects->title)
	                    : arena_printf(g.a, "关于%d年%d月全市大孵化集群建设进展情况的通报", y, m);
	d->addressee = "各镇（街道）、功能区，市级有关单位：";
	char today[11];
	date_today(today);
	d->date = arena_strdup(g.a, today);
	const char *demo = store_setting_get(s, g.a, "demo");
	d->footnote = arena_printf(g.a, "数据截至%s（数据版本 %lld）。%s", fmt_date_cn(g.a, as_of), *stamp,
	                           demo && !strcmp(demo, "1") ? "本通报所用数据为虚构的示例数据，仅供演示。" : "");
	if (corrects)
		doc_para(d, arena_printf(g.a, "%s《%s》有误，现予更正：%s。原通报同时废止，以本通报为准。",
		                         corrects->number, corrects->title, note));
	doc_para(d, arena_printf(g.a, "为全面掌握全市大孵化集群建设进展，根据《%s》要求，现将%s全市大孵化集群建设进展情况通报如下。",
	                         p->name, label));
	if (overall(&g, as_of, label) != H_OK) {
		competition_free(&g.comp);
		return dom_store_failed();
	}
	doc_heading(d, 1, "二、各地比拼情况");
	Buf b = {0};
	buf_printf(&b, "从综合得分看，全市%d个镇街和功能区中，", g.comp.nrows);
	ahead_behind(&g, &b, -1, -1, 0);
	buf_puts(&b, "。");
	doc_para(d, b.data);
	buf_free(&b);
	for (int gi = 0; gi < g.comp.method->ngroups; gi++)
		group_section(&g, gi, label);
	reporting(&g, period, label);
	doc_heading(d, 1, "四、下步工作要求");
	int nkept = 0;
	for (int i = 0; keep && i < keep->nblocks; i++)
		if (keep->blocks[i].id && !strncmp(keep->blocks[i].id, BULLETIN_EDITABLE, strlen(BULLETIN_EDITABLE))) {
			DocBlock *bl = doc_para(d, keep->blocks[i].text);
			bl->id = arena_strdup(g.a, keep->blocks[i].id);
			nkept++;
		}
	for (size_t i = 0; !nkept && i < ARRAY_LEN(office_defaults); i++) {
		DocBlock *bl = doc_para(d, office_defaults[i]);
		bl->id = arena_printf(g.a, "%s%zu", BULLETIN_EDITABLE, i + 1);
	}
	/* the method in words */
	doc_heading(d, 1, "附：排名方法");
	const char *method = competition_method_zh(g.comp.method, p, g.a);
	for (const char *line = method; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len)
			doc_para(d, arena_printf(g.a, "%.*s", (int)len, line));
		line = nl ? nl + 1 : NULL;
	}
	competition_free(&g.comp);
	*out = d;
	return dom_result(DOM_OK, NULL, NULL);
}

/* ---- workflows ---- */

static json_t *summary_json(const BulletinRec *b)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(b->number ? b->number : ""));
	json_object_set_new(o, "number", json_string(b->number ? b->number : ""));
	json_object_set_new(o, "title", json_string(b->title ? b->title : ""));
	json_object_set_new(o, "period", json_string(b->period ? b->period : ""));
	json_object_set_new(o, "as_of", json_string(b->as_of ? b->as_of : ""));
	json_object_set_new(o, "status", json_string(b->status ? b->status : ""));
	json_object_set_new(o, "data_stamp", json_integer(b->data_stamp));
	if (b->content_sha256)
		json_object_set_new(o, "content_sha256", json_string(b->content_sha256));
	if (b->corrects_id)
		json_object_set_new(o, "corrects_id", json_integer(b->corrects_id));
	return o;
}

static int audit(Store *s, const Actor *who, const char *action, long long id, json_t *before, json_t *after)
{
	char ids[32];
	snprintf(ids, sizeof ids, "%lld", id);
	return store_audit_json(s, who->name, who->addr, action, "bulletin", ids, before, after);
}

/* The workflows below own their transaction (own 1), or run inside the
 * caller's (own 0: the demo data, made inside init's transaction). */
static int tx_begin(Store *s, int own)
{
	return own ? store_begin(s) : H_OK;
}

static int tx_commit(Store *s, int own)
{
	return own ? store_commit(s) : H_OK;
}

static void tx_rollback(Store *s, int own)
{
	if (own)
		store_rollback(s);
}

/* Checks in for making a bulletin: the period, as_of (into as_of), the
 * corrected bulletin (into *corrects), the number (into b). */
static DomResult prepare(Store *s, const Actor *who, const BulletinInput *in, char as_of[11], BulletinRec *corrects,
                         BulletinRec *b)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden", "通报由市专班办公室制发。");
	int y, m;
	if (!in->period || !*in->period)
		return invalid("请选择通报的月份。");
	if (!month_parse(in->period, &y, &m))
		return invalid(arena_printf(who->arena, "月份“%s”不对，请写成 2024-11 这样的年-月。", in->period));
	char today[11];
	date_today(today);
	if (in->as_of && *in->as_of) {
		if (!date_valid(in->as_of))
			return invalid(arena_printf(who->arena, "数据截至日期“%s”不对，请写成 2024-11-30 这样的年-月-日。", in->as_of));
		snprintf(as_of, 11, "%s", in->as_of);
	} else {
		month_last_day(y, m, as_of);
		if (strcmp(as_of, today) > 0)
			snprintf(as_of, 11, "%s", today);
	}
	char first[11];
	snprintf(first, sizeof first, "%s-01", in->period);
	if (strcmp(as_of, first) < 0)
		return invalid(arena_printf(who->arena, "数据截至日期 %s 早于%d年%d月，请选择该月内或之后的日期。", as_of, y, m));
	memset(corrects, 0, sizeof *corrects);
	if (in->corrects_id) {
		int f = store_bulletin_get(s, who->arena, in->corrects_id, corrects);
		if (f < 0)
			return dom_store_failed();
		if (f == 0)
			return dom_result(DOM_NOT_FOUND, "not_found", "要更正的通报不存在。");
		if (strcmp(corrects->status, "published") != 0)
			return dom_result(DOM_CONFLICT, "not_published", "草稿可以直接修改，不需要更正。");
		if (!in->correction_note || !*in->correction_note)
			return invalid("请写明更正的内容。");
		if (utf8_text_bad(in->correction_note, strlen(in->correction_note), NULL) != strlen(in->correction_note))
			return invalid("更正说明含有无法识别的字符，请重新填写。");
	}
	memset(b, 0, sizeof *b);
	b->period = in->period;
	b->as_of = as_of;
	b->corrects_id = in->corrects_id;
	b->correction_note = in->corrects_id ? in->correction_note : NULL;
	b->year = y;
	if (in->number && *in->number) {
		if (!number_parse(in->number, &b->year, &b->seq))
			return invalid(arena_printf(who->arena, "文号“%s”不对，请写成 瑞孵办〔2024〕11号 这样的格式。", in->number));
		b->number = in->number;
	}
	return dom_result(DOM_OK, NULL, NULL);
}

/* The next number of b's year when it has none (inside the caller's transaction or read). */
static int number_next(Store *s, const Actor *who, BulletinRec *b)
{
	if (b->number)
		return H_OK;
	b->seq = store_bulletin_next_seq(s, b->year);
	if (b->seq < 0)
		return H_ERR;
	b->number = arena_printf(who->arena, "%s〔%d〕%d号", number_prefix(who->arena, who->plan), b->year, b->seq);
	return H_OK;
}

DomResult bulletin_preview(Store *s, const Actor *who, const BulletinInput *in, Doc **out)
{
	char as_of[11];
	BulletinRec corrects, b;
	DomResult res = prepare(s, who, in, as_of, &corrects, &b);
	if (res.code != DOM_OK)
		return res;
	if (number_next(s, who, &b) != H_OK)
		return dom_store_failed();
	long long stamp;
	res = generate(s, who, in->period, as_of, b.number, in->corrects_id ? &corrects : NULL, b.correction_note, NULL, out,
	               &stamp);
	if (res.code == DOM_OK)
		(*out)->footnote = arena_printf(who->arena, "%s（草稿，未印发）", (*out)->footnote ? (*out)->footnote : "");
	return res;
}

static DomResult make(Store *s, const Actor *who, const BulletinInput *in, long long *new_id, int own)
{
	char as_of[11];
	BulletinRec corrects, b;
	DomResult res = prepare(s, who, in, as_of, &corrects, &b);
	if (res.code != DOM_OK)
		return res;
	if (tx_begin(s, own) != H_OK)
		return dom_store_failed();
	if (number_next(s, who, &b) != H_OK) {
		tx_rollback(s, own);
		return dom_store_failed();
	}
	Doc *d = NULL;
	res = generate(s, who, in->period, as_of, b.number, in->corrects_id ? &corrects : NULL,
	                         b.correction_note, NULL, &d, &b.data_stamp);
	if (res.code != DOM_OK) {
		tx_rollback(s, own);
		return res;
	}
	b.title = d->title;
	b.content = doc_text(who->arena, d);
	char now[21];
	time_now_iso(now);
	b.created_by = who->name;
	b.created_at = now;
	long long id = 0;
	if (!b.content || store_bulletin_insert(s, &b, &id) != H_OK) {
		int taken = store_constraint_failed(s);
		tx_rollback(s, own);
		if (taken)
			return dom_result(DOM_CONFLICT, "number_taken",
			                  arena_printf(who->arena, "文号 %s 已被使用，请换一个文号。", b.number));
		return dom_store_failed();
	}
	b.id = id;
	b.status = "draft";
	if (audit(s, who, "bulletin_make", id, NULL, summary_json(&b)) != H_OK || tx_commit(s, own) != H_OK) {
		tx_rollback(s, own);
		return dom_store_failed();
	}
	*new_id = id;
	return dom_result(DOM_OK, NULL, arena_printf(who->arena, "已生成通报草稿 %s。", b.number));
}

DomResult bulletin_make(Store *s, const Actor *who, const BulletinInput *in, long long *new_id)
{
	return make(s, who, in, new_id, 1);
}

DomResult bulletin_make_in_tx(Store *s, const Actor *who, const BulletinInput *in, long long *new_id)
{
	return make(s, who, in, new_id, 0);
}

/* Reads draft id for the office inside the open transaction: DOM_OK with *b. */
static DomResult draft_for_office(Store *s, const Actor *who, long long id, BulletinRec *b)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden", "通报由市专班办公室修改和印发。");
	int f = store_bulletin_get(s, who->arena, id, b);
	if (f < 0)
		return dom_store_failed();
	if (f == 0)
		return dom_result(DOM_NOT_FOUND, "not_found", "没有这份通报。");
	if (strcmp(b->status, "draft") != 0)
		return dom_result(DOM_CONFLICT, "published", "通报已印发，不能再修改；如有错误，请发更正通报。");
	return dom_result(DOM_OK, NULL, NULL);
}

static DomResult edit(Store *s, const Actor *who, long long id, const char *const *keys, const char *const *texts, int n,
                      int own)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden", "通报由市专班办公室修改和印发。");
	for (int i = 0; i < n; i++) {
		size_t len = strlen(texts[i]);
		if (utf8_text_bad(texts[i], len, NULL) != len)
			return invalid("段落含有无法识别的字符，请重新填写。");
		size_t chars = 0;
		for (const char *p = texts[i]; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		if (chars > BULLETIN_PARA_MAX)
			return invalid(arena_printf(who->arena, "每段最多 %d 个字，第 %d 段有 %zu 个字。", BULLETIN_PARA_MAX, i + 1, chars));
	}
	if (tx_begin(s, own) != H_OK)
		return dom_store_failed();
	BulletinRec b;
	DomResult res = draft_for_office(s, who, id, &b);
	if (res.code != DOM_OK) {
		tx_rollback(s, own);
		return res;
	}
	Doc *d = bulletin_doc(who, &b);
	if (!d) {
		tx_rollback(s, own);
		return dom_result(DOM_FAILED, "bad_content", "通报内容无法读取。");
	}
	json_t *before = json_object(), *after = json_object();
	for (int i = 0; i < n; i++) {
		DocBlock *bl = NULL;
		for (int k = 0; k < d->nblocks; k++)
			if (d->blocks[k].id && !strcmp(d->blocks[k].id, keys[i]) &&
			    !strncmp(keys[i], BULLETIN_EDITABLE, strlen(BULLETIN_EDITABLE)))
				bl = &d->blocks[k];
		if (!bl) {
			tx_rollback(s, own);
			json_decref(before);
			json_decref(after);
			return invalid("要修改的段落不在这份通报中，请刷新页面后再试。");
		}
		if (strcmp(bl->text, texts[i]) != 0) {
			json_object_set_new(before, keys[i], json_string(bl->text));
			json_object_set_new(after, keys[i], json_string(texts[i]));
			bl->text = arena_strdup(who->arena, texts[i]);
		}
	}
	if (json_object_size(after) == 0) {
		tx_rollback(s, own);
		json_decref(before);
		json_decref(after);
		return dom_result(DOM_OK, NULL, "内容没有变化。");
	}
	char now[21];
	time_now_iso(now);
	const char *content = doc_text(who->arena, d);
	/* audit() takes both references; a failure before it must drop them */
	if (!content || store_bulletin_update_content(s, id, content, b.data_stamp, now) != 1) {
		json_decref(before);
		json_decref(after);
		before = after = NULL;
	}
	if (!before || audit(s, who, "bulletin_edit", id, before, after) != H_OK || tx_commit(s, own) != H_OK) {
		tx_rollback(s, own);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "已保存。");
}

DomResult bulletin_edit(Store *s, const Actor *who, long long id, const char *const *keys, const char *const *texts,
                        int n)
{
	return edit(s, who, id, keys, texts, n, 1);
}

DomResult bulletin_edit_in_tx(Store *s, const Actor *who, long long id, const char *const *keys,
                              const char *const *texts, int n)
{
	return edit(s, who, id, keys, texts, n, 0);
}

DomResult bulletin_refresh(Store *s, const Actor *who, long long id)
{
	if (store_begin(s) != H_OK)
		return dom_store_failed();
	BulletinRec b, corrects = {0};
	DomResult res = draft_for_office(s, who, id, &b);
	if (res.code == DOM_OK && b.corrects_id && store_bulletin_get(s, who->arena, b.corrects_id, &corrects) != 1)
		res = dom_store_failed();
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	Doc *old = bulletin_doc(who, &b), *d = NULL;
	long long stamp = 0;
	res = generate(s, who, b.period, b.as_of, b.number, b.corrects_id ? &corrects : NULL, b.correction_note, old, &d,
	               &stamp);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	char now[21];
	time_now_iso(now);
	const char *content = doc_text(who->arena, d);
	json_t *before = json_pack("{s:I}", "data_stamp", (json_int_t)b.data_stamp),
	       *after = json_pack("{s:I}", "data_stamp", (json_int_t)stamp);
	/* audit() takes both references; a failure before it must drop them */
	if (!content || store_bulletin_update_content(s, id, content, stamp, now) != 1) {
		json_decref(before);
		json_decref(after);
		before = after = NULL;
	}
	if (!before || audit(s, who, "bulletin_refresh", id, before, after) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "已按最新数据重新生成，办公室撰写的段落保持不变。");
}

static DomResult publish(Store *s, const Actor *who, long long id, int own)
{
	if (tx_begin(s, own) != H_OK)
		return dom_store_failed();
	BulletinRec b;
	DomResult res = draft_for_office(s, who, id, &b);
	if (res.code != DOM_OK) {
		tx_rollback(s, own);
		return res;
	}
	Doc *d = bulletin_doc(who, &b);
	if (!d) {
		tx_rollback(s, own);
		return dom_result(DOM_FAILED, "bad_content", "通报内容无法读取。");
	}
	/* dated the day it is issued; empty paragraphs of the office left out */
	char today[11], now[21];
	date_today(today);
	time_now_iso(now);
	d->date = today;
	int k = 0;
	for (int i = 0; i < d->nblocks; i++)
		if (!(d->blocks[i].kind == DOC_PARA && d->blocks[i].id && !*d->blocks[i].text))
			d->blocks[k++] = d->blocks[i];
	d->nblocks = k;
	const char *content = doc_text(who->arena, d);
	const char *hash = content ? bulletin_sha256(who->arena, content) : NULL;
	json_t *before = summary_json(&b);
	b.status = "published";
	b.content_sha256 = hash;
	/* audit() takes the reference of before; a failure before it must drop it */
	if (!content || store_bulletin_publish(s, id, content, hash, who->name, now) != 1) {
		json_decref(before);
		before = NULL;
	}
	if (!before || audit(s, who, "bulletin_publish", id, before, summary_json(&b)) != H_OK || tx_commit(s, own) != H_OK) {
		tx_rollback(s, own);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, arena_printf(who->arena, "通报 %s 已印发。", b.number));
}

DomResult bulletin_publish(Store *s, const Actor *who, long long id)
{
	return publish(s, who, id, 1);
}

DomResult bulletin_publish_in_tx(Store *s, const Actor *who, long long id)
{
	return publish(s, who, id, 0);
}

DomResult bulletin_delete(Store *s, const Actor *who, long long id)
{
	if (store_begin(s) != H_OK)
		return dom_store_failed();
	BulletinRec b;
	DomResult res = draft_for_office(s, who, id, &b);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	if (store_bulletin_delete_draft(s, id) != 1 || audit(s, who, "bulletin_delete", id, summary_json(&b), NULL) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "草稿已删除。");
}

DomResult bulletin_get(Store *s, const Actor *who, long long id, BulletinRec *out)
{
	if (who->role == ROLE_ANON)
		return dom_result(DOM_FORBIDDEN, "forbidden", "请先登录。");
	int f = store_bulletin_get(s, who->arena, id, out);
	if (f < 0)
		return dom_store_failed();
	if (f == 0 || (strcmp(out->status, "published") != 0 && !bulletin_sees_drafts(who)))
		return dom_result(DOM_NOT_FOUND, "not_found", "没有这份通报。");
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult bulletin_get_head(Store *s, const Actor *who, long long id, BulletinRec *out)
{
	if (who->role == ROLE_ANON)
		return dom_result(DOM_FORBIDDEN, "forbidden", "请先登录。");
	int f = store_bulletin_head(s, who->arena, id, out);
	if (f < 0)
		return dom_store_failed();
	if (f == 0 || (strcmp(out->status, "published") != 0 && !bulletin_sees_drafts(who)))
		return dom_result(DOM_NOT_FOUND, "not_found", "没有这份通报。");
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult bulletin_list(Store *s, const Actor *who, BulletinRec **out, int *n)
{
	if (who->role == ROLE_ANON)
		return dom_result(DOM_FORBIDDEN, "forbidden", "请先登录。");
	*n = store_bulletins_list(s, who->arena, bulletin_sees_drafts(who), out);
	if (*n < 0)
		return dom_store_failed();
	return dom_result(DOM_OK, NULL, NULL);
}

int bulletin_format_parse(const char *s, BulletinFormat *f)
{
	if (!s)
		return 0;
	if (!strcmp(s, "pdf"))
		*f = BULLETIN_PDF;
	else if (!strcmp(s, "docx"))
		*f = BULLETIN_DOCX;
	else if (!strcmp(s, "xlsx"))
		*f = BULLETIN_XLSX;
	else
		return 0;
	return 1;
}

int bulletin_render_content(Arena *a, const char *content, size_t len, int draft, BulletinFormat f, Buf *out,
                            DocPdfInfo *info, char *err, size_t errsz)
{
	json_error_t je;
	json_t *j = json_loadb(content, len, 0, &je);
	if (!j) {
		snprintf(err, errsz, "the content is not JSON: %s (line %d)", je.text, je.line);
		return H_ERR;
	}
	Doc *d = doc_from_json(a, j, err, errsz);
	json_decref(j);
	if (!d)
		return H_ERR;
	if (draft)
		d->footnote = arena_printf(a, "%s（草稿，未印发）", d->footnote ? d->footnote : "");
	return f == BULLETIN_PDF ? doc_pdf(d, out, info, err, errsz)
	       : f == BULLETIN_DOCX ? doc_docx(d, out, err, errsz)
	                            : doc_xlsx(d, out, err, errsz);
}

DomResult bulletin_render(const Actor *who, const BulletinRec *b, BulletinFormat f, Buf *out, DocPdfInfo *info)
{
	if (!b->content)
		return dom_result(DOM_FAILED, "bad_content", "通报内容无法读取。");
	char err[256] = "";
	if (bulletin_render_content(who->arena, b->content, strlen(b->content), strcmp(b->status, "published") != 0, f,
	                            out, info, err, sizeof err) != H_OK)
		return dom_result(DOM_FAILED, "render_failed", arena_strdup(who->arena, err));
	return dom_result(DOM_OK, NULL, NULL);
}

void bulletin_filename(const Actor *who, const BulletinRec *b, BulletinFormat f, const char **ascii, const char **utf8)
{
	const char *ext = f == BULLETIN_PDF ? "pdf" : f == BULLETIN_DOCX ? "docx" : "xlsx";
	*ascii = arena_printf(who->arena, "bulletin-%s-%d-%d.%s", b->period, b->year, b->seq, ext);
	*utf8 = arena_printf(who->arena, "%s%s.%s", b->number, f == BULLETIN_XLSX ? "附表" : "", ext);
}
