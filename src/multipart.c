/*
 * multipart.c — multipart/form-data bodies (multipart.h): the boundary of
 * a Content-Type, and the parts of a body between its delimiters. Every
 * index is checked against the length it reads; nothing is read past the
 * body, nothing is allocated beyond what the body holds.
 */
#include "multipart.h"

#include <string.h>
#include <strings.h>

static int bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c);
}

/* A copy of s[0..n) in a, NUL-terminated. */
static char *copy(Arena *a, const char *s, size_t n)
{
	char *c = arena_alloc(a, n + 1);
	if (n)
		memcpy(c, s, n);
	c[n] = 0;
	return c;
}

/* Reads one parameter "key=value" or "key=\"value\"" of a header value from
 * s[*i..n): *key and *klen its key, *val its value (unquoted, in a; NULL
 * when there is no '='). Returns 0 at the end, 1 for a parameter, -1 on an
 * unterminated quote or a NUL in a value. */
static int next_param(Arena *a, const char *s, size_t n, size_t *i, const char **key, size_t *klen, char **val)
{
	size_t p = *i;
	while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == ';'))
		p++;
	if (p >= n)
		return 0;
	size_t k = p;
	while (p < n && s[p] != '=' && s[p] != ';')
		p++;
	size_t ke = p;
	while (ke > k && (s[ke - 1] == ' ' || s[ke - 1] == '\t'))
		ke--;
	*key = s + k;
	*klen = ke - k;
	*val = NULL;
	if (p < n && s[p] == '=') {
		p++;
		while (p < n && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p < n && s[p] == '"') {
			p++;
			char *v = arena_alloc(a, n - p + 1);
			size_t w = 0;
			for (;;) {
				if (p >= n)
					return -1; /* no closing quote */
				char c = s[p++];
				if (c == '"')
					break;
				if (c == '\\' && p < n)
					c = s[p++];
				if (c == 0)
					return -1;
				v[w++] = c;
			}
			v[w] = 0;
			*val = v;
		} else {
			size_t vs = p;
			while (p < n && s[p] != ';')
				p++;
			size_t ve = p;
			while (ve > vs && (s[ve - 1] == ' ' || s[ve - 1] == '\t'))
				ve--;
			if (memchr(s + vs, 0, ve - vs))
				return -1;
			*val = copy(a, s + vs, ve - vs);
		}
	}
	*i = p;
	return 1;
}

const char *multipart_boundary(Arena *a, const char *ct)
{
	static const char type[] = "multipart/form-data";
	if (!ct || strncasecmp(ct, type, sizeof type - 1) != 0)
		return NULL;
	size_t n = strlen(ct), i = sizeof type - 1;
	if (i < n && ct[i] != ';' && ct[i] != ' ' && ct[i] != '\t')
		return NULL; /* multipart/form-dataX */
	const char *key;
	size_t klen;
	char *val, *boundary = NULL;
	int got;
	while ((got = next_param(a, ct, n, &i, &key, &klen, &val)) == 1)
		if (klen == 8 && strncasecmp(key, "boundary", 8) == 0)
			boundary = val;
	if (got < 0 || !boundary)
		return NULL;
	size_t bl = strlen(boundary);
	if (bl < 1 || bl > MULTIPART_MAX_BOUNDARY || boundary[bl - 1] == ' ')
		return NULL;
	for (size_t k = 0; k < bl; k++)
		if (!bchar((unsigned char)boundary[k]))
			return NULL;
	return boundary;
}

/* The headers of one part, s[0..n) (lines ending in CRLF): its name,
 * filename and type. 0, or -1 with *err. */
static int part_headers(Arena *a, const char *s, size_t n, MultipartPart *p, const char **err)
{
	size_t i = 0;
	while (i < n) {
		const char *eol = memmem(s + i, n - i, "\r\n", 2);
		size_t e = eol ? (size_t)(eol - s) : n;
		const char *line = s + i;
		size_t ll = e - i;
		i = eol ? e + 2 : n;
		const char *colon = memchr(line, ':', ll);
		if (!colon)
			continue; /* not a header: ignored */
		size_t nl = (size_t)(colon - line), vi = nl + 1;
		static const char cd[] = "Content-Disposition", ctype[] = "Content-Type";
		if (nl == sizeof cd - 1 && strncasecmp(line, cd, nl) == 0) {
			while (vi < ll && (line[vi] == ' ' || line[vi] == '\t'))
				vi++;
			if (ll - vi < 9 || strncasecmp(line + vi, "form-data", 9) != 0) {
				*err = "表单内容的格式不正确（分段不是表单字段）；请刷新页面后重新提交。";
				return -1;
			}
			vi += 9;
			const char *key;
			size_t klen;
			char *val;
			int got;
			while ((got = next_param(a, line, ll, &vi, &key, &klen, &val)) == 1) {
				if (!val)
					continue;
				if (klen == 4 && strncasecmp(key, "name", 4) == 0)
					p->name = val;
				else if (klen == 8 && strncasecmp(key, "filename", 8) == 0)
					p->filename = val;
			}
			if (got < 0) {
				*err = "表单内容的格式不正确（字段名未结束）；请刷新页面后重新提交。";
				return -1;
			}
		} else if (nl == sizeof ctype - 1 && strncasecmp(line, ctype, nl) == 0) {
			while (vi < ll && (line[vi] == ' ' || line[vi] == '\t'))
				vi++;
			if (memchr(line + vi, 0, ll - vi)) {
				*err = "表单内容的格式不正确；请刷新页面后重新提交。";
				return -1;
			}
			p->content_type = copy(a, line + vi, ll - vi);
		}
	}
	if (!p->name) {
		*err = "表单内容的格式不正确（有一段没有字段名）；请刷新页面后重新提交。";
		return -1;
	}
	return 0;
}

int multipart_parse(Arena *a, const char *boundary, const char *body, size_t len, MultipartPart **out,
                    const char **err)
{
	*out = NULL;
	*err = NULL;
	size_t bl = boundary ? strlen(boundary) : 0;
	if (bl < 1 || bl > MULTIPART_MAX_BOUNDARY) {
		*err = "表单内容的格式不正确（缺少分隔符）；请刷新页面后重新提交。";
		return -1;
	}
	/* "\r\n--" boundary: what ends a part's data */
	char delim[MULTIPART_MAX_BOUNDARY + 5];
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl);
	size_t dl = bl + 4;
	size_t pos;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
		pos = dl - 2;
	} else {
		/* a preamble before the first delimiter */
		const char *first = len ? memmem(body, len, delim, dl) : NULL;
		if (!first) {
			*err = "表单内容不完整或格式不正确；请刷新页面后重新提交。";
			return -1;
		}
		pos = (size_t)(first - body) + dl;
	}
	MultipartPart *v = NULL;
	int n = 0, cap = 0;
	for (;;) {
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break; /* the close delimiter; the epilogue is ignored */
		while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
			*err = "表单内容不完整或格式不正确；请刷新页面后重新提交。";
			return -1;
		}
		pos += 2;
		if (n >= MULTIPART_MAX_PARTS) {
			*err = "表单的字段过多；请刷新页面后重新提交。";
			return -1;
		}
		/* the part's headers end with an empty line, within MULTIPART_MAX_HEADER bytes */
		size_t room = len - pos < MULTIPART_MAX_HEADER + 2 ? len - pos : MULTIPART_MAX_HEADER + 2;
		const char *hend = NULL;
		if (room >= 2 && body[pos] == '\r' && body[pos + 1] == '\n')
			hend = body + pos - 2; /* no headers at all */
		else if (room >= 4)
			hend = memmem(body + pos, room, "\r\n\r\n", 4);
		if (!hend) {
			*err = len - pos > MULTIPART_MAX_HEADER ? "表单某一段的说明过长；请刷新页面后重新提交。"
			                                        : "表单内容不完整或格式不正确；请刷新页面后重新提交。";
			return -1;
		}
		MultipartPart p = {0};
		size_t hl = (size_t)(hend - body) + 2 > pos ? (size_t)(hend - body) + 2 - pos : 0;
		if (part_headers(a, body + pos, hl, &p, err) < 0)
			return -1;
		size_t ds = (size_t)(hend - body) + 4;
		const char *dend = ds <= len ? memmem(body + ds, len - ds, delim, dl) : NULL;
		if (!dend) {
			*err = "表单内容不完整（上传可能被中断）；请重新提交。";
			return -1;
		}
		p.len = (size_t)(dend - body) - ds;
		p.data = p.filename ? body + ds : copy(a, body + ds, p.len);
		*(MultipartPart *)arena_push(a, &v, &n, &cap, sizeof *v) = p;
		pos = (size_t)(dend - body) + dl;
	}
	*out = v;
	return n;
}
