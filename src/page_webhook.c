/*
 * page_webhook.c — the office's settings of the outgoing webhook (消息推送):
 * the address of the city's messaging gateway (e.g. 浙政钉) that 催报
 * reminders are posted to, its signing secret, on or off, and a test send.
 *   GET  /admin/webhook        the settings, the outbox's counts
 *   POST /admin/webhook        save (url, enabled, secret, clear_secret)
 *   POST /admin/webhook/test   post a test message now and say what the gateway answered
 * The work (checks, audit, the post) is outbox.c's; this parses and renders.
 */
#include <string.h>

#include "outbox.h"
#include "page.h"
#include "session.h"

/* The page; error: a refusal of the form (kept values shown), notice: what was just done. */
static void webhook_page(Req *r, int status, const char *error, const char *notice, int notice_ok)
{
	WebhookSettings w;
	if (webhook_settings_read(r->store, &r->arena, &w) != H_OK) {
		http_error(r, 500, "store_error", "设置读取失败，请稍后再试。");
		return;
	}
	r->status = status;
	Buf *b = &r->out;
	page_begin(r, "消息推送设置", "reports");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/reports\">填报</a> › 消息推送</p><h1>消息推送设置</h1>\n"
	               "<p class=\"lead\">催报提醒除显示在填报单位的工作台上，还可以推送到市里的消息网关（如浙政钉），"
	               "由网关转发给填报人。每次修改和测试都记入审计日志。</p>\n");
	if (notice)
		html_printf(b, "<p class=\"%s\" role=\"status\" id=\"notice\">%h</p>\n", notice_ok ? "form-ok" : "form-error", notice);
	html_printf(b, "<dl class=\"facts\" id=\"webhook-state\"><dt>状态</dt><dd>%s</dd><dt>签名密钥</dt><dd>%s</dd>"
	               "<dt>待发送</dt><dd>%d</dd><dt>已发送</dt><dd>%d</dd><dt>发送失败</dt><dd>%d</dd></dl>\n",
	            !w.url ? "未设置地址" : w.enabled ? "已开启" : "已关闭", w.has_secret ? "已设置" : "未设置", w.pending, w.sent,
	            w.failed);
	html_printf(b, "<form method=\"post\" action=\"/admin/webhook\" class=\"card narrow\" id=\"webhook-form\">");
	form_csrf(r);
	const char *url = error ? req_form(r, "url") : w.url;
	form_input(r, "url", "网关地址", "text", url, error, " maxlength=\"500\" inputmode=\"url\" autocomplete=\"off\" placeholder=\"http://10.1.2.3:8080/robot/send\"");
	html_printf(b, "<p class=\"hint\">政务内网网关的地址，如 http://10.1.2.3:8080/robot/send；留空表示不推送。</p>");
	int enabled = error ? req_form(r, "enabled") != NULL : w.enabled;
	html_printf(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"enabled\" value=\"1\" id=\"f-enabled\"%s> "
	               "开启推送</label></div>",
	            enabled ? " checked" : "");
	form_input(r, "secret", w.has_secret ? "签名密钥（已设置；填写则替换）" : "签名密钥（可选）", "password", NULL, NULL,
	           " maxlength=\"200\" autocomplete=\"new-password\"");
	html_printf(b, "<p class=\"hint\">设置后，每条消息按钉钉机器人的方式签名（地址后附时间戳和签名）。密钥保存后不再显示。</p>");
	if (w.has_secret)
		html_printf(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"clear_secret\" value=\"1\" "
		               "id=\"f-clear-secret\"> 删除签名密钥</label></div>");
	html_printf(b, "<button type=\"submit\">保存</button></form>\n");
	if (w.url) {
		html_printf(b, "<form method=\"post\" action=\"/admin/webhook/test\" class=\"card narrow\" id=\"webhook-test\">"
		               "<h2>测试推送</h2><p class=\"muted\">立即向网关发送一条测试消息，并显示网关的答复。</p>");
		form_csrf(r);
		html_printf(b, "<button type=\"submit\" class=\"secondary\">发送测试消息</button></form>\n");
	}
	page_end(r);
}

/* WEBPAGE: GET /admin/webhook — the outgoing webhook's settings */
void page_webhook(Req *r)
{
	const char *d = req_query(r, "done");
	webhook_page(r, 200, NULL, d && !strcmp(d, "saved") ? "设置已保存，已记入审计日志。" : NULL, 1);
}

/* WEBPAGE: POST /admin/webhook — url, enabled, secret, clear_secret */
void page_webhook_post(Req *r)
{
	Actor who = req_actor(r);
	DomResult res = webhook_settings_save(r->store, &who, req_form(r, "url"), req_form(r, "enabled") != NULL,
	                                      req_form(r, "secret"), req_form(r, "clear_secret") != NULL);
	if (res.code == DOM_INVALID) {
		webhook_page(r, 400, res.message, NULL, 0);
		return;
	}
	page_done(r, res, "/admin/webhook?done=saved");
}

/* WEBPAGE: POST /admin/webhook/test — a test message now */
void page_webhook_test(Req *r)
{
	Actor who = req_actor(r);
	DomResult res = webhook_test_send(r->store, &who);
	if (res.code == DOM_FAILED || res.code == DOM_FORBIDDEN) {
		page_refuse(r, res);
		return;
	}
	webhook_page(r, res.code == DOM_OK ? 200 : 409, NULL, res.message, res.code == DOM_OK);
}
