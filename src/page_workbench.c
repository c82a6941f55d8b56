/*
 * page_workbench.c — 工作台 (/workbench), the home every role lands on
 * after logging in (UI.md "Each role has a home"): what waits for this
 * user first, then their figures. Built from the providers table below
 * (workbench.h); each provider writes one section and may count items for
 * a badge in the navigation.
 *   area/base/department users: records returned with the reason, drafts,
 *     returned changes; an area's reporters also their applications to
 *     endorse and their area's figures
 *   the office: items to approve (with the count), applications to file,
 *     the indicators most behind and the lagging areas
 *   leaders (viewer): the overview sorted by what is behind, lagging areas
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_kept.h"
#include "progress.h"
#include "page_records.h"
#include "tasks.h"
#include "workbench.h"

/* The scope a user's own records are found by: an area reporter's area,
 * or (base and department users) the records they submitted. */
static void own_scope(Req *r, const char **area, const char **by)
{
	*area = NULL;
	*by = NULL;
	if (r->role == ROLE_AREA)
		*area = r->session->user.scope;
	else
		*by = r->session->user.name;
}

/* ---- returned records, drafts, returned changes ---- */

static int read_returned(Req *r, WaitingItem **items)
{
	const char *area, *by;
	own_scope(r, &area, &by);
	return store_work_returned(r->store, &r->arena, area, by, items);
}

static long long returned_count(Req *r)
{
	WaitingItem *items;
	return read_returned(r, &items);
}

static void returned_write(Req *r)
{
	WaitingItem *items;
	int n = read_returned(r, &items);
	Buf *b = &r->out;
	html_printf(b, "<section class=\"work\" id=\"work-returned\"><h2>退回待修改与草稿（%d）</h2>\n", n < 0 ? 0 : n);
	if (n < 0) {
		html_printf(b, "<p class=\"form-error\">退回的记录暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	if (n == 0) {
		html_printf(b, "<p class=\"muted\">没有退回的记录或草稿。新的记录请在<a href=\"/bases\">登记库</a>中登记。</p></section>\n");
		return;
	}
	html_printf(b, "<ul class=\"cards\">");
	for (int i = 0; i < n; i++) {
		const WaitingItem *w = &items[i];
		const Kind *k = kind_by_name(w->kind);
		const char *path = k ? record_path(k) : "";
		int change = strcmp(w->status, "change_returned") == 0, draft = strcmp(w->status, "draft") == 0;
		html_printf(b, "<li class=\"card-item returned\"><p class=\"title\"><a href=\"%h/%lld\">%h</a> "
		               "<span class=\"review %h\">%h</span></p>",
		            path, w->id, w->name && *w->name ? w->name : "（未命名）", draft ? "draft" : "returned",
		            draft ? "草稿" : change ? "修改被退回" : "已退回");
		if (!draft)
			html_printf(b, "<p class=\"reason\"><span class=\"label\">退回原因</span>%h</p>",
			            w->note && *w->note ? w->note : "（未写明原因）");
		html_printf(b, "<p class=\"muted\">%h · %h %h</p>", k ? k->label : w->kind, draft ? "保存于" : "退回于",
		            fmt_time(&r->arena, w->at));
		html_printf(b, "<p><a class=\"button\" href=\"%h/%lld/edit\">%h</a></p></li>", path, w->id,
		            draft ? "继续填写" : "修改后重新提交");
	}
	html_printf(b, "</ul></section>\n");
}

/* ---- the office's review ---- */

static long long review_count(Req *r)
{
	return store_review_waiting(r->store);
}

static void review_write(Req *r)
{
	long long n = store_review_waiting(r->store);
	Buf *b = &r->out;
	html_printf(b, "<section class=\"work\" id=\"work-review\"><h2>待审核（%lld 项）</h2>", n < 0 ? 0 : n);
	if (n > 0)
		html_printf(b, "<p>镇街、功能区和运营机构提交的 %lld 项新登记与修改等待审核，通过后才计入统计。</p>"
		               "<p><a class=\"button\" href=\"/review\">去审核</a></p>", n);
	else
		html_printf(b, "<p class=\"muted\">没有等待审核的记录。</p>");
	html_printf(b, "</section>\n");
}

/* ---- applications for recognition ---- */

/* An area reporter endorses the applications of their area (not their
 * own: recognition_refusal); the office files the endorsed ones. */
static int read_recognitions(Req *r, Recognition **out)
{
	if (r->role != ROLE_AREA)
		return store_recognitions(r->store, &r->arena, 0, "endorsed", NULL, out);
	int n = store_recognitions(r->store, &r->arena, 0, "applied", r->session->user.scope, out);
	Actor who = req_actor(r);
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (!recognition_refusal(&who, &(*out)[i], "endorse"))
			(*out)[kept++] = (*out)[i];
	return n < 0 ? n : kept;
}

static long long recognitions_count(Req *r)
{
	Recognition *v;
	return read_recognitions(r, &v);
}

static void recognitions_write(Req *r)
{
	Recognition *v;
	int n = read_recognitions(r, &v);
	if (n <= 0)
		return; /* nothing to do: no section */
	Buf *b = &r->out;
	html_printf(b, "<section class=\"work\" id=\"work-recognitions\"><h2>%h（%d）</h2><ul class=\"cards\">",
	            r->role == ROLE_AREA ? "待推荐的认定申请" : "待备案的认定申请", n);
	for (int i = 0; i < n; i++)
		html_printf(b, "<li class=\"card-item\"><p class=\"title\"><a href=\"/bases/%lld/recognitions\">%h</a></p>"
		               "<p class=\"muted\">%h · 申请于 %h</p></li>",
		            v[i].base_id, v[i].base_name, area_name(r->plan, v[i].area), fmt_time(&r->arena, v[i].applied_at));
	html_printf(b, "</ul><p><a class=\"button\" href=\"/recognitions\">去处理</a></p></section>\n");
}

/* ---- figures ---- */

static int status_rank(const Progress *x)
{
	if (!x->has_target)
		return 5;
	switch (x->status) {
	case PS_AT_RISK: return 0;
	case PS_BEHIND: return 1;
	case PS_ON_TRACK: return 2;
	case PS_DONE: return 3;
	default: return 4;
	}
}

/* Most behind first: by status, then by how far the actual is from what
 * was expected by now. */
static int behind_cmp(const void *pa, const void *pb)
{
	const Progress *a = pa, *b = pb;
	int ra = status_rank(a), rb = status_rank(b);
	if (ra != rb)
		return ra - rb;
	double ga = a->expected > 0 ? a->actual / a->expected : 1, gb = b->expected > 0 ? b->actual / b->expected : 1;
	return ga < gb ? -1 : ga > gb;
}

/* An area reporter's area: its figures this year. */
static void area_figures_write(Req *r)
{
	const char *code = r->session->user.scope;
	const Area *ar = code ? plan_area(r->plan, code) : NULL;
	if (!ar)
		return;
	char today[11];
	date_today(today);
	int year = progress_default_year(r->plan, today);
	Progress *g;
	int n = progress_compute(r->store, r->plan, &r->arena, ar->code, year, today, "plan", &g);
	Buf *b = &r->out;
	html_printf(b, "<section class=\"work\" id=\"work-figures\"><h2>%h %d 年目标完成情况</h2>", ar->name, year);
	if (n < 0) {
		html_printf(b, "<p class=\"form-error\">统计数据暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	qsort(g, (size_t)n, sizeof *g, behind_cmp);
	write_progress_table(r, g, n, 1, ar->code);
	html_printf(b, "<p><a href=\"/areas/%u?year=%d\">%h详情 →</a></p></section>\n", ar->code, year, ar->name);
}

/* The lagging areas: severely behind first, then by how many (in the
 * plan's order among equals). */
static int lag_cmp(const void *pa, const void *pb)
{
	const AreaLag *x = *(const AreaLag *const *)pa, *y = *(const AreaLag *const *)pb;
	if (x->at_risk != y->at_risk)
		return x->at_risk > y->at_risk ? -1 : 1;
	if (x->behind != y->behind)
		return x->behind > y->behind ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The section "behind" kept per connection (page_kept.h) by the
 * generation of the kept figures: at most this much. */
static char behind_tag;
#define KEPT_BEHIND_BYTES (1u << 20)

/* The city's figures sorted by what is behind, and the lagging areas,
 * from the figures kept on the connection (progress_lags_kept): written
 * again only when a figure moved. */
static void behind_write(Req *r)
{
	const Plan *p = r->plan;
	char today[11];
	date_today(today);
	int year = progress_default_year(p, today);
	const Progress *city;
	const AreaLag *all;
	int ncity = 0;
	unsigned long long gen = 0;
	int na = progress_lags_kept(r->store, p, year, today, &city, &ncity, &all, &gen);
	Buf *b = &r->out;
	const char *key = arena_printf(&r->arena, "%llu|%d|%s", gen, year, today);
	if (na >= 0 && page_kept_get(r->store, &behind_tag, key, b))
		return;
	size_t start = b->len;
	html_printf(b, "<section class=\"work\" id=\"work-behind\"><h2>%d 年全市目标完成情况（落后的在前）</h2>", year);
	if (na < 0) {
		html_printf(b, "<p class=\"form-error\">统计数据暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	Progress *g = arena_alloc(&r->arena, sizeof *g * (size_t)(ncity + 1));
	memcpy(g, city, sizeof *g * (size_t)ncity);
	qsort(g, (size_t)ncity, sizeof *g, behind_cmp);
	write_progress_table(r, g, ncity, 1, NULL);
	html_printf(b, "<p><a href=\"/?year=%d\">总览 →</a></p>", year);

	/* The areas with an indicator behind, the most behind first. */
	const AreaLag **lags = arena_alloc(&r->arena, sizeof *lags * (size_t)(na + 1));
	int nl = 0;
	for (int i = 0; i < na; i++)
		if (all[i].at_risk || all[i].behind)
			lags[nl++] = &all[i];
	qsort(lags, (size_t)nl, sizeof *lags, lag_cmp);
	html_printf(b, "<h3>落后区域（%d 个）</h3>", nl);
	if (!nl) {
		html_printf(b, "<p class=\"muted\">各区域均无滞后指标。</p></section>\n");
	} else {
		html_printf(b, "<ul class=\"cards\">");
		for (int i = 0; i < nl; i++) {
			html_printf(b, "<li class=\"card-item\"><p class=\"title\"><a href=\"/areas/%u?year=%d\">%h</a> ",
			            lags[i]->area->code, year, lags[i]->area->name);
			if (lags[i]->at_risk)
				html_printf(b, "<span class=\"status at_risk\">严重滞后 %d 项</span> ", lags[i]->at_risk);
			if (lags[i]->behind)
				html_printf(b, "<span class=\"status behind\">滞后 %d 项</span>", lags[i]->behind);
			html_printf(b, "</p><p class=\"muted\">如：%h</p></li>", lags[i]->worst ? lags[i]->worst->name : "");
		}
		html_printf(b, "</ul><p><a href=\"/compare?year=%d\">各区域比较 →</a></p></section>\n", year);
	}
	page_kept_put(r->store, &behind_tag, key, b->data + start, b->len - start, KEPT_BEHIND_BYTES);
}

/* A base user's base: its pages. */
static void base_write(Req *r)
{
	const char *id = r->session->user.scope;
	if (!id)
		return;
	html_printf(&r->out, "<section class=\"work\" id=\"work-base\"><h2>本基地</h2><ul class=\"links\">"
	                     "<li><a class=\"button secondary\" href=\"/bases/%u\">基本信息</a></li>"
	                     "<li><a class=\"button secondary\" href=\"/bases/%u/figures\">年度数据</a></li>"
	                     "<li><a class=\"button secondary\" href=\"/bases/%u/evaluation\">对照评价</a></li>"
	                     "<li><a class=\"button secondary\" href=\"/bases/%u/recognitions\">认定申请</a></li></ul></section>\n",
	            id, id, id, id);
}

#define REPORTERS (ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT))

/* The sections, in the order they appear: what waits first, figures last.
 * The last column: the roles whose count and section are kept (workbench.h).
 * Not kept: a reporter's reports (a period reopened for it closes at any
 * hour), the base's links (nothing to read), "behind" (kept by the
 * generation of the figures: it outlives changes that move no figure). */
#define KEPT_ALL ALLOW_USERS
static const WorkbenchProvider providers[] = {
	{"returned", REPORTERS, "workbench", returned_count, returned_write, KEPT_ALL},
	{"tasks", ALLOW(ROLE_DEPARTMENT) | ALLOW(ROLE_AREA) | ALLOW(ROLE_ADMIN), "tasks", tasks_work_count, tasks_work_write, KEPT_ALL},
	{"tasks-leaders", ALLOW(ROLE_VIEWER), NULL, NULL, tasks_work_write, KEPT_ALL}, /* no badge: leaders' pages stay per area */
	{"events", ALLOW(ROLE_DEPARTMENT) | ALLOW(ROLE_AREA) | ALLOW(ROLE_ADMIN), NULL, NULL, events_work_write, KEPT_ALL},
	{"review", ALLOW(ROLE_ADMIN), "review", review_count, review_write, KEPT_ALL},
	{"reports", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT), "reports", reports_work_count, reports_work_write, ALLOW(ROLE_ADMIN)},
	{"bulletins", ALLOW_USERS, NULL, NULL, bulletins_work_write, KEPT_ALL},
	{"recognitions", ALLOW(ROLE_AREA) | ALLOW(ROLE_ADMIN), "recognitions", recognitions_count, recognitions_write, KEPT_ALL},
	{"policy", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE), "policy", policy_work_count, policy_work_write, KEPT_ALL},
	{"base", ALLOW(ROLE_BASE), NULL, NULL, base_write, 0},
	{"figures", ALLOW(ROLE_AREA), NULL, NULL, area_figures_write, KEPT_ALL},
	{"competition", ALLOW(ROLE_AREA), NULL, NULL, competition_work_write, KEPT_ALL},
	{"behind", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER), NULL, NULL, behind_write, 0},
};
#define NPROVIDERS ARRAY_LEN(providers)

/* ---- what the providers wrote and counted, kept per connection ----
 *
 * A made-afresh 工作台 of the office ran some twenty statements for its
 * sections and as many again for the navigation's badges (the same
 * providers counting), on every page. What a provider marked kept for the
 * role shows is a function of the database, the user and the day, so the
 * connection keeps its section and count under:
 *   - the data stamp read with the session (store_session_lookup): it
 *     moves with every commit to any table a section reads (tasks, 督办单,
 *     reports, policy applications, recognitions, records, bulletins,
 *     users); whatever is read after it is at least that new, so a piece
 *     kept under a stamp is never older than the state the stamp names,
 *     and a later request on this connection reads a newer stamp as soon
 *     as anything was committed;
 *   - the day: date_today and tasks_today (lamps and deadlines turn at
 *     Beijing midnight; the tests pin them by HATCHERY_TODAY/HATCHERY_NOW);
 *   - the user: role, scope and name.
 * Nothing is kept while a write transaction is open (its changes may be
 * rolled back), nor without a stamp. At most WORK_USERS users per
 * connection, the least recently used dropped first, and WORK_BYTES of
 * sections (the office's are a few kilobytes: a section past the bound is
 * written on each request). */
#define WORK_USERS 8
#define WORK_BYTES (512u << 10)

typedef struct WorkKept {
	struct WorkKeep *keep;       /* the connection's memory it belongs to */
	char *who;                   /* "role\nscope\nname" (malloc'd); NULL: a free slot */
	long long stamp;
	char day[24];                /* date_today, tasks_today */
	char *html[NPROVIDERS];      /* a section as written (malloc'd), or NULL */
	size_t len[NPROVIDERS];
	unsigned char written[NPROVIDERS], counted[NPROVIDERS];
	long long count[NPROVIDERS];
	unsigned long long used;
} WorkKept;

typedef struct WorkKeep {
	WorkKept k[WORK_USERS];
	size_t bytes;                /* of every slot's sections */
	unsigned long long clock;
} WorkKeep;

static char work_tag;

static void *work_keep_make(void)
{
	WorkKeep *w = calloc(1, sizeof *w);
	for (int i = 0; w && i < WORK_USERS; i++)
		w->k[i].keep = w;
	return w;
}

/* Forgets what slot k holds for its user (the user stays). */
static void work_kept_clear(WorkKept *k)
{
	for (size_t i = 0; i < NPROVIDERS; i++) {
		if (k->html[i])
			k->keep->bytes -= k->len[i];
		free(k->html[i]);
		k->html[i] = NULL;
		k->len[i] = 0;
		k->written[i] = k->counted[i] = 0;
	}
}

static void work_keep_drop(void *v)
{
	WorkKeep *w = v;
	for (int i = 0; i < WORK_USERS; i++) {
		work_kept_clear(&w->k[i]);
		free(w->k[i].who);
	}
	free(w);
}

/* The slot of r's user, emptied when the stamp or the day moved since it
 * was filled; NULL when nothing may be kept for this request. */
static WorkKept *work_kept(Req *r)
{
	if (!r->session || r->session->data_stamp < 0 || store_writing(r->store))
		return NULL;
	if (r->work_kept) /* found by an earlier provider of this request */
		return r->work_kept;
	WorkKeep *w = store_kept(r->store, &work_tag, work_keep_make, work_keep_drop);
	if (!w)
		return NULL;
	const User *u = &r->session->user;
	const char *who = arena_printf(&r->arena, "%d\n%s\n%s", (int)r->role, u->scope ? u->scope : "", u->name);
	char day[24], today[11], tday[11];
	date_today(today);
	tasks_today(tday);
	snprintf(day, sizeof day, "%s %s", today, tday);
	WorkKept *k = NULL, *lru = NULL;
	for (int i = 0; i < WORK_USERS && !k; i++) {
		WorkKept *x = &w->k[i];
		if (x->who && strcmp(x->who, who) == 0)
			k = x;
		else if (!lru || !x->who || (lru->who && x->used < lru->used))
			lru = x;
	}
	if (!k) {
		k = lru;
		work_kept_clear(k);
		free(k->who);
		if (!(k->who = strdup(who)))
			return NULL;
		k->stamp = -1;
	}
	if (k->stamp != r->session->data_stamp || strcmp(k->day, day) != 0) {
		work_kept_clear(k);
		k->stamp = r->session->data_stamp;
		memcpy(k->day, day, sizeof day);
	}
	k->used = ++w->clock;
	r->work_kept = k;
	return k;
}

/* Provider i's count for r's user: kept, or counted now (and kept). */
static long long provider_count(Req *r, size_t i)
{
	const WorkbenchProvider *p = &providers[i];
	WorkKept *k = p->kept & ALLOW(r->role) ? work_kept(r) : NULL;
	if (k && k->counted[i])
		return k->count[i];
	unsigned long failed = store_failures();
	long long n = p->count(r);
	if (k && n >= 0 && store_failures() == failed) {
		k->count[i] = n;
		k->counted[i] = 1;
	}
	return n;
}

/* Writes provider i's section: the kept one, or written now (and kept). */
static void provider_write(Req *r, size_t i)
{
	const WorkbenchProvider *p = &providers[i];
	WorkKept *k = p->kept & ALLOW(r->role) ? work_kept(r) : NULL;
	if (k && k->written[i]) {
		/* written by html_printf when it was made */
		buf_append(&r->out, SAFE_HTML(k->html[i]), k->len[i]);
		r->parts_kept++; /* X-Page-Part: hit */
		return;
	}
	size_t start = r->out.len;
	unsigned long failed = store_failures();
	p->write(r);
	if (!k || r->status != 200 || store_failures() != failed)
		return; /* a section that could not read says so, and is not kept */
	size_t len = r->out.len - start;
	if (k->keep->bytes + len > WORK_BYTES)
		return;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, r->out.data + start, len);
	k->html[i] = copy;
	k->len[i] = len;
	k->written[i] = 1;
	k->keep->bytes += len;
}

long long workbench_nav_count(Req *r, const char *nav_key)
{
	if (!r->session || !nav_key)
		return 0;
	long long sum = 0;
	for (size_t i = 0; i < NPROVIDERS; i++) {
		const WorkbenchProvider *p = &providers[i];
		if (!(p->roles & ALLOW(r->role)) || !p->count || !p->nav_key || strcmp(p->nav_key, nav_key) != 0)
			continue;
		req_depends_on_all(r); /* a badge may count in any area */
		long long n = provider_count(r, i);
		if (n > 0)
			sum += n;
	}
	return sum;
}

/* WEBPAGE: /workbench — the home of every role. */
void page_workbench(Req *r)
{
	Buf *b = &r->out;
	page_begin(r, "工作台", "workbench");
	html_printf(b, "<h1>工作台</h1>\n");
	/* What was just done, by code (no text from the address is shown). */
	const char *done = req_query(r, "done");
	if (done && strcmp(done, "password") == 0)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">密码已修改，请记住新密码。</p>\n");
	html_printf(b, "<p class=\"lead\">%h，您好。以下是等待您处理的事项和您关注的数据。</p>\n", r->session->user.name);
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i].roles & ALLOW(r->role))
			provider_write(r, i);
	html_printf(b, "<p class=\"account\"><a href=\"/password\">修改密码</a></p>\n");
	page_end(r);
}
