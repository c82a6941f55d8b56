/*
 * http_input.c — what a request brings, read and checked at the door: its
 * query and headers, the form (urlencoded or multipart) and the JSON body,
 * every text in them checked as UTF-8 without control characters before
 * any handler sees it (split from http.c, the server around it).
 */
#include "http.h"
#include "http_input.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "multipart.h"
#include "registry.h"

/* The value of key among n decoded fields; NULL when absent. */
static const char *field_lookup(const FormField *f, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return f[i].value;
	return NULL;
}

const char *req_query(Req *r, const char *key)
{
	if (!r->conn) /* a request made without a connection (fuzz/): its query is in r->query */
		return field_lookup(r->query, r->nquery, key);
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_header(Req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

int http_form_parse(Arena *a, const char *text, FormField **fields)
{
	int n = 0, cap = 0;
	*fields = NULL;
	char *copy = arena_strdup(a, text), *save = NULL;
	for (char *tok = strtok_r(copy, "&", &save); tok; tok = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq = 0;
		FormField *f = arena_push(a, fields, &n, &cap, sizeof *f);
		f->key = tok;
		f->klen = url_decode(tok);
		f->value = eq ? eq + 1 : "";
		f->vlen = eq ? url_decode(eq + 1) : 0;
	}
	return n;
}

/* A multipart/form-data body: text parts as form fields, files apart. */
static void multipart_fields(Req *r, const char *ct)
{
	const char *boundary = multipart_boundary(&r->arena, ct);
	MultipartPart *parts;
	const char *err = "表单内容的格式不正确（缺少分隔符）；请刷新页面后重新提交。";
	int n = boundary ? multipart_parse(&r->arena, boundary, r->body.data ? r->body.data : "", r->body.len, &parts, &err) : -1;
	if (n < 0) {
		r->form_error = err;
		return;
	}
	int nf = 0, cap = 0, nfi = 0, capf = 0;
	for (int i = 0; i < n; i++) {
		if (parts[i].filename) {
			FormFile *f = arena_push(&r->arena, &r->files, &nfi, &capf, sizeof *f);
			f->key = parts[i].name;
			f->filename = parts[i].filename;
			f->content_type = parts[i].content_type;
			f->data = (const unsigned char *)parts[i].data;
			f->len = parts[i].len;
		} else {
			FormField *f = arena_push(&r->arena, &r->form, &nf, &cap, sizeof *f);
			f->key = parts[i].name;
			f->klen = strlen(parts[i].name);
			f->value = parts[i].data;
			f->vlen = parts[i].len; /* a NUL inside shows as more than strlen: input_check refuses it */
		}
	}
	r->nform = nf;
	r->nfiles = nfi;
}

static int is_multipart(const char *ct)
{
	return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

/* Splits the urlencoded (or multipart) body into fields, once. */
static void form_parse(Req *r)
{
	if (r->form_parsed)
		return;
	r->form_parsed = 1;
	const char *ct = req_header(r, "Content-Type");
	/* a raw NUL in the body ends the text here: input_check() refuses it */
	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 && r->body.len)
		r->nform = http_form_parse(&r->arena, buf_str(&r->body), &r->form);
	else if (is_multipart(ct))
		multipart_fields(r, ct);
}

const FormFile *req_file(Req *r, const char *key)
{
	form_parse(r);
	for (int i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].key, key) && (r->files[i].len || (r->files[i].filename && *r->files[i].filename)))
			return &r->files[i];
	return NULL;
}

/* A field of the urlencoded body (parsed on first use). */
const char *req_form(Req *r, const char *key)
{
	form_parse(r);
	return field_lookup(r->form, r->nform, key);
}

/* ---- text checked at the door ---- */

static const char *bad_what(int what)
{
	return what == UTF8_BAD_CONTROL ? "不可见的控制字符" : "无效的 UTF-8 编码";
}

/* How a refusal names a form or JSON field: the label of the route's record
 * kind when it has that field ("名称"), else the key itself when it is
 * short, readable text; NULL when it is neither. */
static const char *field_shown(Req *r, const char *key, size_t klen)
{
	const Kind *k = r->route ? r->route->kind : NULL;
	int fi = k && strlen(key) == klen ? registry_field_index(k, key) : -1;
	if (fi >= 0)
		return k->fields[fi].label;
	if (klen == 0 || klen > 64 || utf8_text_bad(key, klen, NULL) != klen)
		return NULL;
	return key;
}

/* Answers 400 invalid_utf8 (with the field's key in the API's error object
 * when there is one to give). */
static void refuse_text(Req *r, const char *key, const char *message)
{
	if (!req_is_api(r)) {
		http_error(r, 400, "invalid_utf8", message);
		return;
	}
	json_t *err = json_pack("{s:s,s:s}", "code", "invalid_utf8", "message", message);
	if (err && key && utf8_text_bad(key, strlen(key), NULL) == strlen(key))
		json_object_set_new(err, "field", json_string(key));
	http_json(r, 400, err ? json_pack("{s:o}", "error", err) : NULL);
}

/* The first string of a JSON value (keys included) that is not field
 * text: *field gets the top-level key it is under. */
static int json_text_bad(json_t *j, const char *top, const char **field, int *what)
{
	if (json_is_string(j)) {
		size_t n = json_string_length(j);
		if (utf8_text_bad(json_string_value(j), n, what) != n) {
			*field = top;
			return 1;
		}
	} else if (json_is_object(j)) {
		const char *key;
		json_t *v;
		json_object_foreach(j, key, v) {
			const char *under = top ? top : key;
			if (utf8_text_bad(key, strlen(key), what) != strlen(key) || json_text_bad(v, under, field, what)) {
				*field = under;
				return 1;
			}
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			if (json_text_bad(v, top, field, what))
				return 1;
	}
	return 0;
}

int req_form_all(Req *r, const char *key, const char ***out)
{
	req_form(r, key); /* parses the body once */
	int n = 0, cap = 0;
	const char **v = NULL;
	for (int i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, key) == 0)
			*(const char **)arena_push(&r->arena, &v, &n, &cap, sizeof *v) = r->form[i].value;
	*out = v;
	return n;
}

json_t *req_json(Req *r)
{
	if (r->json_body)
		return r->json_body;
	if (!utf8_valid(r->body.data, r->body.len)) {
		/* jansson would refuse it too, with an English reason: say where */
		size_t at = utf8_text_bad(r->body.data, r->body.len, NULL);
		int line = 1;
		for (size_t i = 0; i < r->body.len && i < at; i++)
			line += r->body.data[i] == '\n';
		refuse_text(r, NULL, arena_printf(&r->arena, "请求体第 %d 行含有无法识别的字符（无效的 UTF-8 编码）；请以 UTF-8 编码提交。", line));
		return NULL;
	}
	json_error_t e;
	json_t *j = r->body.len ? json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &e) : NULL;
	if (!j || !json_is_object(j)) {
		char msg[300];
		if (j)
			snprintf(msg, sizeof msg, "请求体应为 JSON 对象 {...}。");
		else if (!r->body.len)
			snprintf(msg, sizeof msg, "请求体为空，应为 JSON 对象。");
		else
			snprintf(msg, sizeof msg, "请求体不是有效的 JSON（第 %d 行第 %d 列：%s）。", e.line, e.column, e.text);
		json_decref(j);
		http_error(r, 400, "bad_json", msg);
		return NULL;
	}
	const char *field = NULL;
	int what = 0;
	if (json_text_bad(j, NULL, &field, &what)) {
		const char *shown = field ? field_shown(r, field, strlen(field)) : NULL;
		refuse_text(r, shown ? field : NULL,
		            shown ? arena_printf(&r->arena, "字段“%s”含有无法识别的字符（%s）；请删除这些字符后重新提交。", shown, bad_what(what))
		                  : arena_printf(&r->arena, "请求中有字段含有无法识别的字符（%s）；请删除这些字符后重新提交。", bad_what(what)));
		json_decref(j);
		return NULL;
	}
	r->json_body = j;
	return j;
}

/* One query parameter (with its length: a %00 inside is seen) checked. */
struct QueryCheck {
	const char *key;
	int what, bad;
};

static enum MHD_Result query_arg_check(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                       const char *value, size_t value_size)
{
	(void)kind;
	struct QueryCheck *q = cls;
	if (utf8_text_bad(key, key_size, &q->what) != key_size ||
	    (value && utf8_text_bad(value, value_size, &q->what) != value_size)) {
		q->bad = 1;
		q->key = utf8_text_bad(key, key_size, NULL) == key_size && key_size <= 64 ? key : NULL;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Every text the request brings, checked before a handler sees it: the
 * query and an urlencoded body must be UTF-8 (utf8_text_bad: strict, no
 * NUL or control characters but tab, CR and LF). The path's parameters are
 * typed, and route matching refuses what is not of its type; JSON bodies
 * are checked by req_json(), uploaded files by their readers (upload.c,
 * xlsx_read.c). Answers 400 invalid_utf8 naming the field and returns 0
 * when one is not. */
int http_input_check(Req *r)
{
	int what = 0;
	struct QueryCheck q = {0};
	if (r->conn)
		MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_arg_check, &q);
	if (q.bad) {
		refuse_text(r, q.key,
		            q.key ? arena_printf(&r->arena, "地址中的参数“%s”含有无法识别的字符（%s）；请检查地址后重试。", q.key, bad_what(q.what))
		                  : arena_printf(&r->arena, "地址中的参数含有无法识别的字符（%s）；请检查地址后重试。", bad_what(q.what)));
		return 0;
	}
	form_parse(r);
	const char *ct = req_header(r, "Content-Type");
	if (r->form_error) {
		http_error(r, 400, "bad_form", r->form_error);
		return 0;
	}
	if (r->nform == 0 && !(ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 && r->body.len))
		return 1;
	const FormField *bad = NULL;
	/* a multipart body carries files: only its text fields are text */
	if (!is_multipart(ct) && r->body.len && memchr(r->body.data, 0, r->body.len))
		what = UTF8_BAD_CONTROL; /* a raw NUL: no field can be named */
	else
		for (int i = 0; i < r->nform && !bad; i++)
			if (utf8_text_bad(r->form[i].key, r->form[i].klen, &what) != r->form[i].klen ||
			    utf8_text_bad(r->form[i].value, r->form[i].vlen, &what) != r->form[i].vlen)
				bad = &r->form[i];
	if (!bad && !what)
		return 1;
	const char *shown = bad ? field_shown(r, bad->key, bad->klen) : NULL;
	refuse_text(r, shown ? bad->key : NULL,
	            shown ? arena_printf(&r->arena, "“%s”含有无法识别的字符（%s）；请删除这些字符后重新提交。", shown, bad_what(what))
	                  : arena_printf(&r->arena, "表单中有内容含有无法识别的字符（%s）；请删除这些字符后重新提交。", bad_what(what)));
	return 0;
}
