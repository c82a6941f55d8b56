/*
 * attachments.c — evidence files checked by their content and stored with
 * their SHA-256 (attachments.h). The checks read the bytes only: a name
 * ending in .jpg says nothing about what a file is.
 */
#include "attachments.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "fmt.h"

/* Whether the text occurs in the first n bytes, ignoring ASCII case. */
static int head_has(const unsigned char *d, size_t n, const char *text)
{
	size_t k = strlen(text);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp((const char *)d + i, text, k) == 0)
			return 1;
	return 0;
}

const char *attachment_sniff(const unsigned char *d, size_t n)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
	if (n >= 4 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "image/jpeg";
	if (n >= 16 && memcmp(d, png, 8) == 0)
		return "image/png";
	if (n >= 16 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBPVP8", 7) == 0)
		return "image/webp";
	if (n >= 8 && memcmp(d, "%PDF-", 5) == 0)
		return "application/pdf";
	return NULL;
}

/* What a refused file looks like, for the message. */
static const char *looks_like(const unsigned char *d, size_t n)
{
	if (n >= 2 && d[0] == 'M' && d[1] == 'Z')
		return "Windows 可执行程序";
	if (n >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F')
		return "可执行程序";
	if (n >= 2 && d[0] == '#' && d[1] == '!')
		return "脚本";
	if (n >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4)
		return "压缩包或 Office 文档";
	size_t h = n < 1024 ? n : 1024;
	if (head_has(d, h, "<svg"))
		return "SVG 矢量图";
	if (head_has(d, h, "<html") || head_has(d, h, "<!doctype") || head_has(d, h, "<script"))
		return "网页（HTML）";
	if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return "GIF 图片";
	return NULL;
}

const char *attachment_check(Arena *a, const char *name, const unsigned char *data, size_t len, const char **mime,
                             const char **clean_name, const char **code)
{
	*mime = NULL;
	*code = "bad_file";
	if (len == 0) {
		*code = "empty_file";
		return "文件是空的，请重新选择要上传的照片或 PDF。";
	}
	if (len > ATTACHMENT_MAX_BYTES) {
		*code = "file_too_large";
		return arena_printf(a, "文件过大（%.1f MB），上限为 %d MB；请压缩照片或拆分 PDF 后再上传。",
		                    (double)len / (1024.0 * 1024.0), ATTACHMENT_MAX_BYTES / (1024 * 1024));
	}
	const char *nm = name && *name ? name : "证明材料";
	int bad_what;
	if (utf8_text_bad(nm, strlen(nm), &bad_what) != strlen(nm)) {
		*code = "bad_name";
		return "文件名含有无效字符，请改名后再上传。";
	}
	/* the last part of a path ("C:\fakepath\x.jpg", "../x.jpg") */
	const char *base = nm;
	for (const char *p = nm; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (!*base)
		base = "证明材料";
	size_t chars = 0;
	for (const char *p = base; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (chars > 200) {
		*code = "bad_name";
		return "文件名过长（最多 200 个字），请改名后再上传。";
	}
	const char *type = attachment_sniff(data, len);
	if (!type) {
		const char *what = looks_like(data, len);
		*code = "bad_file_type";
		return what ? arena_printf(a, "这个文件是%s，不能作为证明材料上传；只接受 JPEG、PNG、WebP 照片和 PDF 文件。", what)
		            : "无法识别的文件类型：只接受 JPEG、PNG、WebP 照片和 PDF 文件（按文件内容判断，而非扩展名）。";
	}
	/* an image or PDF that carries markup in its head (a polyglot) */
	size_t h = len < 1024 ? len : 1024;
	if (head_has(data, h, "<script") || head_has(data, h, "<html") || head_has(data, h, "<svg")) {
		*code = "bad_file_type";
		return "文件开头含有网页代码，不能作为证明材料上传；请上传原始照片或 PDF。";
	}
	*mime = type;
	*clean_name = arena_strdup(a, base);
	*code = NULL;
	return NULL;
}

const char *attachment_type_zh(const char *mime)
{
	return mime && !strcmp(mime, "application/pdf") ? "PDF" : "图片";
}

DomResult attachment_add_in_tx(Store *s, const Actor *who, const char *owner_kind, long long owner_id, const char *name,
                               const unsigned char *data, size_t len, long long *id)
{
	const char *mime, *clean, *code;
	const char *why = attachment_check(who->arena, name, data, len, &mime, &clean, &code);
	if (why)
		return dom_result(DOM_INVALID, code, why);
	int have = store_attachment_count(s, owner_kind, owner_id);
	if (have < 0)
		return dom_store_failed();
	if (have >= ATTACHMENT_MAX_PER_OWNER)
		return dom_result(DOM_CONFLICT, "too_many_files",
		                  arena_printf(who->arena, "每项最多上传 %d 个文件，已达上限。", ATTACHMENT_MAX_PER_OWNER));
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	char now[21];
	time_now_iso(now);
	Attachment f = {
		.owner_kind = owner_kind, .owner_id = owner_id, .name = clean, .mime = mime, .size = (long long)len,
		.sha256 = hex, .data = data, .created_by = who->name, .created_at = now,
	};
	long long nid = store_attachment_insert(s, &f);
	if (!nid)
		return dom_store_failed();
	json_t *after = json_object();
	json_object_set_new(after, "id", json_integer(nid));
	json_object_set_new(after, "owner", json_string(arena_printf(who->arena, "%s/%lld", owner_kind, owner_id)));
	json_object_set_new(after, "name", json_string(clean));
	json_object_set_new(after, "mime", json_string(mime));
	json_object_set_new(after, "size", json_integer((json_int_t)len));
	json_object_set_new(after, "sha256", json_string(hex));
	if (store_audit_json(s, who->name, who->addr, "attach", "attachments", arena_printf(who->arena, "%lld", nid), NULL,
	                     after) != H_OK)
		return dom_store_failed();
	if (id)
		*id = nid;
	return dom_result(DOM_OK, NULL, "已上传。");
}
