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
	int found = store_attachment_get(r->store, &r->arena, id, 1, &f);
	if (found <= 0) {
		http_error(r, found < 0 ? 500 : 404, found < 0 ? "store_error" : "not_found",
		           found < 0 ? "数据读取失败，请稍后再试。" : "没有这个文件。");
		return;
	}
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
