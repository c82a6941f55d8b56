/*
 * page_bulletins.c — the pages and API of 通报 (the work is bulletins.c's):
 * the archive (/bulletins) where the office makes a draft, a bulletin as a
 * printable page written from its stored document, the office's edit form
 * for a draft's own paragraphs, publish / refresh / delete / correct, the
 * downloads (PDF, Word, Excel), /api/v1/bulletins, and the 工作台 provider
 * "bulletins" (the published ones, for every user).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "bulletins.h"
#include "chart.h"
#include "page.h"
#include "page_kept.h"
#include "render_child.h"
#include "workbench.h"

static const char *status_zh(const char *st)
{
	return st && !strcmp(st, "published") ? "已印发" : "草稿";
}

/* The document as HTML: the red header, number, title, blocks, signer and date. */
static void write_doc(Req *r, const Doc *d)
{
	Buf *b = &r->out;
	html_printf(b, "<article class=\"bulletin\">");
	if (d->issuer)
		html_printf(b, "<p class=\"b-issuer\">%h</p>", d->issuer);
	if (d->number)
		html_printf(b, "<p class=\"b-number\">%h</p>", d->number);
	html_printf(b, "<hr class=\"b-rule\"><h1 class=\"b-title\">%h</h1>", d->title ? d->title : "");
	if (d->addressee)
		html_printf(b, "<p class=\"b-addressee\">%h</p>", d->addressee);
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *bl = &d->blocks[i];
		switch (bl->kind) {
		case DOC_PARA:
			if (bl->id)
				html_printf(b, "<p class=\"b-para\" data-key=\"%h\">%h</p>", bl->id, bl->text);
			else
				html_printf(b, "<p class=\"b-para\">%h</p>", bl->text);
			break;
		case DOC_HEADING:
			if (bl->level == 1)
				html_printf(b, "<h2 class=\"b-h1\">%h</h2>", bl->text);
			else
				html_printf(b, "<h3 class=\"b-h2\">%h</h3>", bl->text);
			break;
		case DOC_TABLE: {
			const DocTable *t = bl->table;
			html_printf(b, "<figure class=\"b-table\">");
			if (t->caption)
				html_printf(b, "<figcaption>%h</figcaption>", t->caption);
			html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><thead>");
			for (int row = 0; row < t->nrows; row++) {
				if (row == t->header_rows)
					html_printf(b, "</thead><tbody>");
				html_printf(b, "<tr>");
				for (int c = 0; c < t->ncols; c++) {
					const char *text = t->cells[row * t->ncols + c].text;
					if (row < t->header_rows)
						html_printf(b, "<th scope=\"col\">%h</th>", text ? text : "");
					else if (c == 1)
						html_printf(b, "<th scope=\"row\">%h</th>", text ? text : "");
					else
						html_printf(b, "<td%s>%h</td>", t->right && t->right[c] ? " class=\"num\"" : "", text ? text : "");
				}
				html_printf(b, "</tr>");
			}
			if (t->nrows <= t->header_rows)
				html_printf(b, "</thead><tbody>");
			html_printf(b, "</tbody></table></div>");
			if (t->note)
				html_printf(b, "<p class=\"muted\">%h</p>", t->note);
			html_printf(b, "</figure>");
			break;
		}
		case DOC_CHART: {
			const DocChart *c = bl->chart;
			ChartBar *bars = arena_alloc(&r->arena, sizeof *bars * (size_t)(c->n ? c->n : 1));
			for (int k = 0; k < c->n; k++) {
				bars[k].label = c->labels[k];
				bars[k].value = c->values[k];
				bars[k].has_mark = c->has_mark;
				bars[k].mark = c->mark;
			}
			ChartBars ch = {c->caption, c->unit, bars, c->n};
			html_printf(b, "<figure class=\"chart-box b-chart\">");
			chart_bars(b, &ch);
			if (c->caption)
				html_printf(b, "<figcaption>%h</figcaption>", c->caption);
			html_printf(b, "</figure>");
			break;
		}
		}
	}
	const char *signer = d->signer ? d->signer : d->issuer;
	if (signer)
		html_printf(b, "<p class=\"b-sign\">%h</p>", signer);
	if (d->date)
		html_printf(b, "<p class=\"b-date\">%h</p>", fmt_date_cn(&r->arena, d->date));
	if (d->footnote)
		html_printf(b, "<p class=\"b-foot\">%h</p>", d->footnote);
	html_printf(b, "</article>\n");
}

/* Reads {id} as the request's user may see it; answers the refusal itself (0). */
static int load(Req *r, const Actor *who, BulletinRec *b)
{
	DomResult res = bulletin_get(r->store, who, req_param_int(r, "id"), b);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return 0;
	}
	return 1;
}

static const char *bulletin_url(Req *r, long long id, const char *rest)
{
	return arena_printf(&r->arena, "/bulletins/%lld%s", id, rest ? rest : "");
}

/* The make form (the office), keeping what was typed and the error. */
static void make_form(Req *r, const char *error)
{
	Buf *b = &r->out;
	char today[11], month[24];
	date_today(today);
	/* last month by default: a bulletin reports on the month that ended */
	int y = digits_value(today, 4), m = digits_value(today + 5, 2);
	if (--m == 0) {
		m = 12;
		y--;
	}
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	const char *period = req_form(r, "period");
	html_printf(b, "<section class=\"card no-print\" id=\"make\"><h2>生成通报草稿</h2>"
	               "<p class=\"muted\">按所选月份和数据截至日期，从登记和报表数据生成通报草稿；印发前可修改办公室撰写的段落。</p>"
	               "<form method=\"post\" action=\"/bulletins\" class=\"stack\">");
	form_csrf(r);
	if (error)
		html_printf(b, "<p class=\"form-error\" role=\"alert\">%h</p>", error);
	form_input(r, "period", "通报月份（年-月）", "month", period && *period ? period : month, NULL, "required");
	form_input(r, "as_of", "数据截至（年-月-日，可不填：该月最后一天）", "date", req_form(r, "as_of"), NULL, NULL);
	form_input(r, "number", "文号（可不填：自动编号）", "text", req_form(r, "number"), NULL,
	           "placeholder=\"瑞孵办〔2024〕11号\" maxlength=\"40\"");
	html_printf(b, "<button type=\"submit\">生成草稿</button></form></section>\n");
}

static void archive(Req *r, const char *error)
{
	Actor who = req_actor(r);
	BulletinRec *list = NULL;
	int n = 0;
	DomResult res = bulletin_list(r->store, &who, &list, &n);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "通报", "bulletins");
	html_printf(b, "<h1>通报</h1><p class=\"lead\">全市大孵化集群建设进展情况通报。已印发的通报内容固定，不随数据变化；如需更正，另发更正通报。</p>\n");
	if (who.role == ROLE_ADMIN)
		make_form(r, error);
	html_printf(b, "<p class=\"count\">共 %d 份</p>", n);
	if (!n) {
		html_printf(b, "<p class=\"empty\">暂无通报。%s</p>",
		            who.role == ROLE_ADMIN ? "在上方选择月份生成草稿。" : "市专班办公室印发后在此查看。");
	} else {
		html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"bulletins\"><thead><tr>"
		               "<th scope=\"col\">标题</th><th scope=\"col\">状态</th><th scope=\"col\">文号</th>"
		               "<th scope=\"col\">数据截至</th><th scope=\"col\">印发时间</th></tr></thead><tbody>");
		for (int i = 0; i < n; i++) {
			const BulletinRec *x = &list[i];
			html_printf(b, "<tr><th scope=\"row\"><a href=\"%h\">%h</a>", bulletin_url(r, x->id, NULL), x->title);
			if (x->corrected_by_number)
				html_printf(b, " <span class=\"muted\">（已由%h更正）</span>", x->corrected_by_number);
			html_printf(b, "</th><td><span class=\"status %h\">%h</span></td><td>%h</td><td>%h</td><td>%h</td></tr>",
			            strcmp(x->status, "published") ? "behind" : "done", status_zh(x->status), x->number, x->as_of,
			            x->published_at ? fmt_time(&r->arena, x->published_at) : "—");
		}
		html_printf(b, "</tbody></table></div>\n");
	}
	page_end(r);
}

/* WEBPAGE: GET /bulletins */
void page_bulletins(Req *r)
{
	archive(r, NULL);
}

/* WEBPAGE: POST /bulletins — period, as_of, number: the office makes a draft */
void page_bulletin_make(Req *r)
{
	Actor who = req_actor(r);
	BulletinInput in = {req_form(r, "period"), req_form(r, "as_of"), req_form(r, "number"), 0, NULL};
	long long id = 0;
	DomResult res = bulletin_make(r->store, &who, &in, &id);
	if (res.code == DOM_INVALID || res.code == DOM_CONFLICT) {
		r->status = dom_http_status(res.code);
		archive(r, res.message);
		return;
	}
	page_done(r, res, bulletin_url(r, id, "?done=made"));
}

/* WEBPAGE: GET /bulletins/{id} */
/* A published bulletin's document as HTML, kept per connection by its
 * id and content hash (page_kept.h): published content is frozen (a
 * correction is another bulletin), so the same key writes the same bytes. */
static char doc_tag;
#define KEPT_DOCS_BYTES (4u << 20)

void page_bulletin(Req *r)
{
	Actor who = req_actor(r);
	BulletinRec b;
	DomResult res = bulletin_get_head(r->store, &who, req_param_int(r, "id"), &b);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	int frozen = !strcmp(b.status, "published") && b.content_sha256 && *b.content_sha256;
	const char *key = frozen ? arena_printf(&r->arena, "%lld|%s", b.id, b.content_sha256) : NULL;
	const char *kept = NULL;
	size_t kept_len = 0;
	Doc *d = NULL;
	if (!frozen || !page_kept_find(r->store, &doc_tag, key, &kept, &kept_len)) {
		if (!load(r, &who, &b))
			return;
		/* read again with its content: published meanwhile, it is kept
		 * under the hash read with the content */
		frozen = !strcmp(b.status, "published") && b.content_sha256 && *b.content_sha256;
		key = frozen ? arena_printf(&r->arena, "%lld|%s", b.id, b.content_sha256) : NULL;
		if (!(d = bulletin_doc(&who, &b))) {
			page_error(r, 500, "bad_content", "通报内容无法读取，请联系管理员。");
			return;
		}
	}
	r->as_of = b.as_of;
	Buf *bo = &r->out;
	page_begin(r, b.title, "bulletins");
	const char *done = req_query(r, "done");
	if (done)
		html_printf(bo, "<p class=\"notice no-print\" role=\"status\">%h</p>",
		            !strcmp(done, "made") ? "通报草稿已生成。请核对数据，修改办公室撰写的段落后印发。"
		            : !strcmp(done, "saved") ? "已保存。"
		            : !strcmp(done, "refreshed") ? "已按最新数据重新生成，办公室撰写的段落保持不变。"
		            : !strcmp(done, "published") ? "通报已印发，内容从此固定。"
		                                         : "已完成。");
	html_printf(bo, "<p class=\"crumbs no-print\"><a href=\"/bulletins\">通报</a> › %h</p>", b.number);
	html_printf(bo, "<section class=\"card no-print b-meta\"><p><span class=\"status %h\">%h</span> %h　数据截至 %h",
	            strcmp(b.status, "published") ? "behind" : "done", status_zh(b.status), b.number,
	            fmt_date_cn(&r->arena, b.as_of));
	if (b.published_at)
		html_printf(bo, "　印发于 %h", fmt_time(&r->arena, b.published_at));
	html_printf(bo, "</p>");
	if (b.content_sha256)
		html_printf(bo, "<p class=\"muted\">内容已固定：数据版本 %lld，内容校验码 <code class=\"hash\">%h</code></p>",
		            b.data_stamp, b.content_sha256);
	if (b.corrects_number)
		html_printf(bo, "<p>本通报更正 <a href=\"%h\">%h</a>：%h</p>", bulletin_url(r, b.corrects_id, NULL),
		            b.corrects_number, b.correction_note ? b.correction_note : "");
	if (b.corrected_by_number)
		html_printf(bo, "<p class=\"form-error\">本通报已由 <a href=\"%h\">%h</a> 更正。</p>",
		            bulletin_url(r, b.corrected_by_id, NULL), b.corrected_by_number);
	html_printf(bo, "<p class=\"actions\">下载：<a href=\"%h\" download>PDF</a> · <a href=\"%h\" download>Word</a> · "
	                "<a href=\"%h\" download>Excel 附表</a></p>",
	            bulletin_url(r, b.id, "/file/pdf"), bulletin_url(r, b.id, "/file/docx"), bulletin_url(r, b.id, "/file/xlsx"));
	if (who.role == ROLE_ADMIN && !strcmp(b.status, "draft")) {
		html_printf(bo, "<div class=\"actions\"><a class=\"button\" href=\"%h\">修改段落</a>", bulletin_url(r, b.id, "/edit"));
		html_printf(bo, "<form method=\"post\" action=\"%h\" class=\"inline\">", bulletin_url(r, b.id, "/publish"));
		form_csrf(r);
		html_printf(bo, "<button type=\"submit\" id=\"publish\">印发</button></form>");
		html_printf(bo, "<form method=\"post\" action=\"%h\" class=\"inline\">", bulletin_url(r, b.id, "/refresh"));
		form_csrf(r);
		html_printf(bo, "<button type=\"submit\" class=\"secondary\">按最新数据重新生成</button></form>");
		html_printf(bo, "<form method=\"post\" action=\"%h\" class=\"inline\">", bulletin_url(r, b.id, "/delete"));
		form_csrf(r);
		html_printf(bo, "<button type=\"submit\" class=\"secondary\">删除草稿</button></form></div>");
	}
	if (who.role == ROLE_ADMIN && !strcmp(b.status, "published") && !b.corrected_by_id) {
		html_printf(bo, "<details><summary>发更正通报</summary><form method=\"post\" action=\"%h\" class=\"stack\">",
		            bulletin_url(r, b.id, "/correct"));
		form_csrf(r);
		form_input(r, "note", "更正内容", "text", NULL, NULL, "required maxlength=\"500\"");
		form_input(r, "as_of", "数据截至（年-月-日，可不填：同原通报）", "date", NULL, NULL, NULL);
		html_printf(bo, "<button type=\"submit\">生成更正通报草稿</button></form></details>");
	}
	html_printf(bo, "</section>\n");
	if (d) {
		size_t start = bo->len;
		write_doc(r, d);
		if (frozen)
			page_kept_put(r->store, &doc_tag, key, bo->data + start, bo->len - start, KEPT_DOCS_BYTES);
	} else {
		buf_append(bo, kept, kept_len);
	}
	page_end(r);
}

static void edit_form(Req *r, const BulletinRec *b, const Doc *d, const char *error)
{
	Buf *bo = &r->out;
	page_begin(r, arena_printf(&r->arena, "修改通报 %s", b->number), "bulletins");
	html_printf(bo, "<p class=\"crumbs\"><a href=\"/bulletins\">通报</a> › <a href=\"%h\">%h</a> › 修改段落</p>"
	                "<h1>修改办公室撰写的段落</h1><p class=\"lead\">%h。数据部分由系统生成，如需更新请在通报页“按最新数据重新生成”。"
	                "某段留空则印发时不出现。</p>",
	            bulletin_url(r, b->id, NULL), b->number, b->title);
	if (error)
		html_printf(bo, "<p class=\"form-error\" role=\"alert\">%h</p>", error);
	html_printf(bo, "<form method=\"post\" action=\"%h\" class=\"stack\">", bulletin_url(r, b->id, "/edit"));
	form_csrf(r);
	int k = 0;
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *bl = &d->blocks[i];
		if (!bl->id || strncmp(bl->id, BULLETIN_EDITABLE, strlen(BULLETIN_EDITABLE)))
			continue;
		const char *typed = req_form(r, bl->id);
		html_printf(bo, "<div class=\"field\"><label for=\"p-%h\">第 %d 段</label>"
		                "<textarea id=\"p-%h\" name=\"%h\" rows=\"4\" maxlength=\"%d\">%h</textarea></div>",
		            bl->id, ++k, bl->id, bl->id, BULLETIN_PARA_MAX, typed ? typed : bl->text);
	}
	html_printf(bo, "<button type=\"submit\">保存</button> <a href=\"%h\">取消</a></form>", bulletin_url(r, b->id, NULL));
	page_end(r);
}

/* WEBPAGE: GET /bulletins/{id}/edit */
void page_bulletin_edit(Req *r)
{
	Actor who = req_actor(r);
	BulletinRec b;
	if (!load(r, &who, &b))
		return;
	if (strcmp(b.status, "draft") != 0) {
		page_refuse(r, dom_result(DOM_CONFLICT, "published", "通报已印发，不能再修改；如有错误，请发更正通报。"));
		return;
	}
	Doc *d = bulletin_doc(&who, &b);
	if (!d) {
		page_error(r, 500, "bad_content", "通报内容无法读取，请联系管理员。");
		return;
	}
	edit_form(r, &b, d, NULL);
}

/* WEBPAGE: POST /bulletins/{id}/edit — one field per editable paragraph (office-N) */
void page_bulletin_edit_post(Req *r)
{
	Actor who = req_actor(r);
	BulletinRec b;
	if (!load(r, &who, &b))
		return;
	Doc *d = bulletin_doc(&who, &b);
	if (!d) {
		page_error(r, 500, "bad_content", "通报内容无法读取，请联系管理员。");
		return;
	}
	const char **keys = arena_alloc(&r->arena, sizeof *keys * (size_t)(d->nblocks + 1));
	const char **texts = arena_alloc(&r->arena, sizeof *texts * (size_t)(d->nblocks + 1));
	int n = 0;
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *bl = &d->blocks[i];
		const char *v = bl->id ? req_form(r, bl->id) : NULL;
		if (v && !strncmp(bl->id, BULLETIN_EDITABLE, strlen(BULLETIN_EDITABLE))) {
			keys[n] = bl->id;
			texts[n++] = v;
		}
	}
	DomResult res = bulletin_edit(r->store, &who, b.id, keys, texts, n);
	if (res.code == DOM_INVALID) {
		r->status = 400;
		edit_form(r, &b, d, res.message);
		return;
	}
	page_done(r, res, bulletin_url(r, b.id, "?done=saved"));
}

/* One of the office's actions on a draft, then back to the bulletin. */
static void act(Req *r, DomResult (*fn)(Store *, const Actor *, long long), const char *done)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	DomResult res = fn(r->store, &who, id);
	page_done(r, res, done ? bulletin_url(r, id, done) : "/bulletins");
}

/* WEBPAGE: POST /bulletins/{id}/publish */
void page_bulletin_publish(Req *r)
{
	act(r, bulletin_publish, "?done=published");
}

/* WEBPAGE: POST /bulletins/{id}/refresh */
void page_bulletin_refresh(Req *r)
{
	act(r, bulletin_refresh, "?done=refreshed");
}

/* WEBPAGE: POST /bulletins/{id}/delete */
void page_bulletin_delete(Req *r)
{
	act(r, bulletin_delete, NULL);
}

/* WEBPAGE: POST /bulletins/{id}/correct — note, as_of */
void page_bulletin_correct(Req *r)
{
	Actor who = req_actor(r);
	BulletinRec b;
	if (!load(r, &who, &b))
		return;
	const char *as_of = req_form(r, "as_of");
	BulletinInput in = {b.period, as_of && *as_of ? as_of : b.as_of, NULL, b.id, req_form(r, "note")};
	long long id = 0;
	DomResult res = bulletin_make(r->store, &who, &in, &id);
	page_done(r, res, bulletin_url(r, id, "?done=made"));
}

/* WEBPAGE: GET /bulletins/{id}/file/{format} — pdf, docx, xlsx */
/* b's file made by a child process (render_child.h) into r->out, so that
 * the server's memory stays its own whatever the document's size. 0 after
 * answering 503 (too many at once) or 500 (the child failed; why in the log). */
static int make_file(Req *r, const BulletinRec *b, const char *format)
{
	if (!render_slot_take(10.0)) {
		req_add_header(r, "Retry-After", "10");
		http_error(r, 503, "busy", "正在生成的文件较多，请稍候十秒再下载。");
		return 0;
	}
	char err[1400];
	int rc = render_child(format, strcmp(b->status, "published") != 0, b->content, strlen(b->content), &r->out, err,
	                      sizeof err);
	render_slot_release();
	if (rc != H_OK) {
		fprintf(stderr, "hatchery: bulletin %lld as %s: %s\n", b->id, format, err);
		buf_reset(&r->out);
		http_error(r, 500, "render_failed", "通报文件生成失败，请稍后再试；如仍失败，请联系系统管理员。");
		return 0;
	}
	return 1;
}

void page_bulletin_file(Req *r)
{
	Actor who = req_actor(r);
	BulletinFormat f;
	const char *format = req_param(r, "format");
	if (!bulletin_format_parse(format, &f)) {
		http_error(r, 404, "not_found", "文件格式只有 pdf、docx、xlsx 三种。");
		return;
	}
	BulletinRec b;
	if (!load(r, &who, &b))
		return;
	if (!b.content) {
		http_error(r, 500, "bad_content", "通报内容无法读取。");
		return;
	}
	/* a published bulletin's file is made once and kept (bulletin_file);
	 * a draft's each time (it changes) */
	int published = !strcmp(b.status, "published") && b.content_sha256;
	char sha[65] = "";
	int kept = published ? store_bulletin_file_get(r->store, b.id, format, b.content_sha256, &r->out, sha) : 0;
	if (kept < 0) {
		buf_reset(&r->out);
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	if (!kept && !make_file(r, &b, format))
		return;
	if (published && !kept) {
		unsigned char h[32];
		crypto_hash_sha256(h, (const unsigned char *)r->out.data, r->out.len);
		sodium_bin2hex(sha, sizeof sha, h, sizeof h);
		char now[21];
		time_now_iso(now);
		/* not kept (a busy database): made again next time, no harm */
		if (store_bulletin_file_put(r->store, b.id, format, b.content_sha256, r->out.data, r->out.len, sha, now) != H_OK)
			fprintf(stderr, "hatchery: bulletin %lld: its %s was not kept: %s\n", b.id, format, store_errmsg(r->store));
	}
	if (*sha)
		req_add_header(r, "ETag", arena_printf(&r->arena, "\"%s\"", sha));
	r->content_type = f == BULLETIN_PDF    ? "application/pdf"
	                  : f == BULLETIN_DOCX ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	                                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	const char *ascii, *utf8;
	bulletin_filename(&who, &b, f, &ascii, &utf8);
	http_attachment(r, ascii, utf8);
}

/* ---- API ---- */

static json_t *bulletin_json(const BulletinRec *b, int with_content)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(b->id));
	json_object_set_new(o, "number", json_string(b->number));
	json_object_set_new(o, "title", json_string(b->title));
	json_object_set_new(o, "period", json_string(b->period));
	json_object_set_new(o, "as_of", json_string(b->as_of));
	json_object_set_new(o, "status", json_string(b->status));
	json_object_set_new(o, "data_stamp", json_integer(b->data_stamp));
	json_object_set_new(o, "content_sha256", b->content_sha256 ? json_string(b->content_sha256) : json_null());
	json_object_set_new(o, "published_at", b->published_at ? json_string(b->published_at) : json_null());
	json_object_set_new(o, "corrects_id", b->corrects_id ? json_integer(b->corrects_id) : json_null());
	json_object_set_new(o, "correction_note", b->correction_note ? json_string(b->correction_note) : json_null());
	json_object_set_new(o, "corrected_by_id", b->corrected_by_id ? json_integer(b->corrected_by_id) : json_null());
	if (with_content && b->content) {
		json_t *c = json_loads(b->content, 0, NULL);
		json_object_set_new(o, "content", c ? c : json_null());
	}
	return o;
}

/* API: GET /api/v1/bulletins */
void api_bulletins(Req *r)
{
	Actor who = req_actor(r);
	BulletinRec *list = NULL;
	int n = 0;
	DomResult res = bulletin_list(r->store, &who, &list, &n);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, bulletin_json(&list[i], 0));
	http_json(r, 200, json_pack("{s:o,s:i}", "bulletins", items, "total", n));
}

/* API: GET /api/v1/bulletins/{id} */
void api_bulletin(Req *r)
{
	Actor who = req_actor(r);
	BulletinRec b;
	if (!load(r, &who, &b))
		return;
	http_json(r, 200, bulletin_json(&b, 1));
}

/* The bulletin after a workflow, as the API answers it. */
static void api_answer(Req *r, const Actor *who, long long id, DomResult res, int status)
{
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	BulletinRec b;
	if (bulletin_get(r->store, who, id, &b).code != DOM_OK) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *o = bulletin_json(&b, 1);
	if (res.message)
		json_object_set_new(o, "message", json_string(res.message));
	http_json(r, status, o);
}

/* API: POST /api/v1/bulletins {period, as_of?, number?, corrects_id?, correction_note?} */
void api_bulletin_make(Req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	Actor who = req_actor(r);
	BulletinInput in = {json_string_value(json_object_get(body, "period")),
	                    json_string_value(json_object_get(body, "as_of")),
	                    json_string_value(json_object_get(body, "number")),
	                    json_integer_value(json_object_get(body, "corrects_id")),
	                    json_string_value(json_object_get(body, "correction_note"))};
	if (in.corrects_id < 0)
		in.corrects_id = 0;
	long long id = 0;
	DomResult res = bulletin_make(r->store, &who, &in, &id);
	api_answer(r, &who, id, res, 201);
}

/* API: PATCH /api/v1/bulletins/{id} {paragraphs: {"office-1": text, ...}} */
void api_bulletin_patch(Req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	Actor who = req_actor(r);
	json_t *paras = json_object_get(body, "paragraphs");
	if (!json_is_object(paras)) {
		http_error(r, 400, "invalid", "请在 paragraphs 中给出要修改的段落。");
		return;
	}
	size_t n = json_object_size(paras), k = 0;
	const char **keys = arena_alloc(&r->arena, sizeof *keys * (n + 1));
	const char **texts = arena_alloc(&r->arena, sizeof *texts * (n + 1));
	const char *key;
	json_t *v;
	json_object_foreach(paras, key, v) {
		if (!json_is_string(v)) {
			http_error(r, 400, "invalid", "段落内容须为文字。");
			return;
		}
		keys[k] = arena_strdup(&r->arena, key);
		texts[k++] = arena_strdup(&r->arena, json_string_value(v));
	}
	long long id = req_param_int(r, "id");
	api_answer(r, &who, id, bulletin_edit(r->store, &who, id, keys, texts, (int)k), 200);
}

/* API: POST /api/v1/bulletins/{id}/publish */
void api_bulletin_publish(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	api_answer(r, &who, id, bulletin_publish(r->store, &who, id), 200);
}

/* ---- 工作台 ---- */

/* The provider "bulletins": the latest published bulletins, for everyone. */
/* The section is the same for every user (published bulletins only) and
 * changes only with the data: kept per connection with the data stamp it
 * was written at (page_kept.h), which moves with every commit. */
static char work_tag;

void bulletins_work_write(Req *r)
{
	Buf *b = &r->out;
	long long stamp = store_data_stamp(r->store);
	const char *key = arena_printf(&r->arena, "%lld", stamp);
	if (stamp >= 0 && page_kept_get(r->store, &work_tag, key, b))
		return;
	size_t start = b->len;
	Actor who = req_actor(r);
	BulletinRec *list = NULL;
	int n = 0;
	html_printf(b, "<section class=\"work\" id=\"work-bulletins\"><h2>通报</h2>");
	if (bulletin_list(r->store, &who, &list, &n).code != DOM_OK) {
		html_printf(b, "<p class=\"form-error\">通报暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	int shown = 0;
	html_printf(b, "<ul class=\"bulletins\">");
	for (int i = 0; i < n && shown < 5; i++) {
		if (strcmp(list[i].status, "published") != 0)
			continue;
		html_printf(b, "<li><a href=\"%h\">%h</a> %h，%h印发</li>", bulletin_url(r, list[i].id, NULL), list[i].title,
		            list[i].number, fmt_time(&r->arena, list[i].published_at));
		shown++;
	}
	html_printf(b, "</ul>");
	if (!shown)
		html_printf(b, "<p class=\"muted\">暂无已印发的通报。</p>");
	html_printf(b, "<p><a href=\"/bulletins\">全部通报</a></p></section>\n");
	if (stamp >= 0)
		page_kept_put(r->store, &work_tag, key, b->data + start, b->len - start, 64u << 10);
}
