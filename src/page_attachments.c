/*
 * page_attachments.c — downloading an evidence file (attachments.h):
 * GET /attachments/{id}. authz_check has already checked the owner's scope
 * (SCOPE_ATTACHMENT). A file is never served as HTML: its type is the one
 * read from its content when it was stored (JPEG, PNG, WebP, PDF), with
 * nosniff (http.c), a CSP that runs nothing, and inline only for images;
 * a PDF is always a download.
 */
#include <string.h>

#include "attachments.h"
#include "page.h"

/* API uploads (the file as the body): 1 when the body may be a file;
 * else answers 413 with the limit and returns 0. Shared by the tasks',
 * the events' and the policy applications' upload routes. */
int api_attachment_size_ok(Req *r)
{
	if (r->body_too_big || r->body.len > ATTACHMENT_MAX_BYTES) {
		http_error(r, 413, "file_too_large",
		           arena_printf(&r->arena, "文件过大，上限为 %d MB；请压缩照片或拆分 PDF 后再上传。", ATTACHMENT_MAX_BYTES / (1024 * 1024)));
		return 0;
	}
	return 1;
}

/* Answers an API upload: the domain's refusal as it is, else 201 with the
 * stored file (id, name, type, size, hash, its download URL). */
void api_attachment_answer(Req *r, DomResult res, long long fid)
{
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	Attachment f;
	if (store_attachment_get(r->store, &r->arena, fid, 0, &f) != 1) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	http_json(r, 201, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)fid, "name", f.name, "mime", f.mime, "size",
	                            (json_int_t)f.size, "sha256", f.sha256, "url", arena_printf(&r->arena, "/attachments/%lld", fid),
	                            "message", res.message));
}

/* The files of an owner (kind, id) as the API lists them. */
json_t *api_attachments_json(Req *r, const char *kind, long long id)
{
	Attachment *f;
	int n = store_attachments(r->store, &r->arena, kind, id, &f);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)f[i].id, "name", f[i].name,
		                                     "mime", f[i].mime, "size", (json_int_t)f[i].size, "sha256", f[i].sha256,
		                                     "created_by", f[i].created_by, "created_at", f[i].created_at, "url",
		                                     arena_printf(&r->arena, "/attachments/%lld", f[i].id)));
	return arr;
}

/* The name's extension for the stored type. */
static const char *ext_of(const char *mime)
{
	if (!strcmp(mime, "image/jpeg")) return "jpg";
	if (!strcmp(mime, "image/png")) return "png";
	if (!strcmp(mime, "image/webp")) return "webp";
	return "pdf";
}

/* WEBPAGE: GET /attachments/{id} */
void page_attachment(Req *r)
{
	long long id = req_param_int(r, "id");
	Attachment f;
	if (!page_found(r, store_attachment_get(r->store, &r->arena, id, 1, &f), "没有这个文件。"))
		return;
	/* the type as checked when stored; anything else (a hand edit) is a download of bytes */
	const char *mime = f.mime;
	int image = !strcmp(mime, "image/jpeg") || !strcmp(mime, "image/png") || !strcmp(mime, "image/webp");
	if (!image && strcmp(mime, "application/pdf"))
		mime = "application/octet-stream";
	Buf out = {0};
	buf_append(&out, (const char *)f.data, (size_t)f.size);
	buf_free(&r->out);
	r->out = out;
	r->content_type = mime;
	const char *ascii = arena_printf(&r->arena, "evidence-%lld.%s", id, ext_of(mime));
	if (image)
		req_add_header(r, "Content-Disposition", arena_printf(&r->arena, "inline; filename=\"%s\"", ascii));
	else
		http_attachment(r, ascii, f.name);
	req_add_header(r, "Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox");
	req_add_header(r, "X-Checksum-SHA256", f.sha256);
}
