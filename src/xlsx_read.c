/*
 * xlsx_read.c — reads one sheet of an .xlsx workbook from memory (libzip for
 * the archive, expat for the small XML parts and xml_scan.c for the sheet
 * and the shared strings — expat was most of an import's reading — all
 * streamed: a part is parsed while it is inflated, and the inflated bytes
 * are counted against the limits).
 *
 * The parts are found as Excel finds them: _rels/.rels names the workbook,
 * the workbook's relationships name its sheets, shared strings and styles.
 * Element and attribute names are compared by local name (expat's namespace
 * mode), so prefixed XML ("x:c") and the Strict namespaces read the same.
 * See xlsx_read.h for the shapes, the types and the limits.
 */
#include "xlsx_read.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "xml_scan.h"

#define NS_SEP '|'
#define CHUNK 65536

/* The advice that ends most messages. */
#define RESAVE "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传"

typedef struct Rel {
	const char *id, *type, *target; /* target resolved to a zip path */
} Rel;

typedef struct SheetRef {
	const char *name, *rid;
	int hidden;
} SheetRef;

typedef struct Reader {
	Arena *a;
	zip_t *z;
	char *err;
	size_t errsz;
	int failed;
	/* workbook */
	const char *wb_path;
	int date1904;
	SheetRef *sheets;
	int nsheets, csheets;
	Rel *rels;
	int nrels, crels;
	/* styles: 1 per cellXfs index when its number format is a date */
	unsigned char *xf_date;
	int nxf;
	/* shared strings (the arrays are malloc'd, the strings are in the arena);
	 * sst_bad[i]: 0, or why string i is no cell text (UTF8_BAD_...) */
	const char **sst;
	unsigned char *sst_bad;
	int nsst, csst;
} Reader;

static void fail(Reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(Reader *r, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = 1;
	if (r->err && r->errsz) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err, r->errsz, fmt, ap);
		va_end(ap);
	}
}

/* ---- small helpers ---- */

/* A name without its namespace (expat's "uri|c"; xml_scan.c passes "c"):
 * a loop, not strrchr: names are short and there are millions of them. */
static inline const char *lname(const char *n)
{
	const char *l = n;
	for (const char *p = n; *p; p++)
		if (*p == NS_SEP)
			l = p + 1;
	return l;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2) {
		const char *a = lname(atts[i]);
		if (a[0] == name[0] && strcmp(a, name) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* Parses a whole non-negative decimal integer: -1 when not one, limit + 1
 * when it is larger than limit. */
static long parse_uint(const char *s, long limit)
{
	if (!s || !*s)
		return -1;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v <= limit)
			v = v * 10 + (*s - '0');
	}
	return v > limit ? limit + 1 : v;
}

/* Appends the UTF-8 encoding of code point c. */
static void put_utf8(Buf *b, unsigned c)
{
	char u[4];
	if (c < 0x80) {
		u[0] = (char)c;
		buf_append(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		buf_append(b, u, 2);
	} else {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		buf_append(b, u, 3);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies s[0..n) into the arena, decoding OOXML's "_xHHHH_" escapes (how
 * Excel stores control characters, and "_x005F_" for a literal "_"). */
static const char *ooxml_text(Arena *a, const char *s, size_t n)
{
	if (!memmem(s, n, "_x", 2))
		return arena_strndup(a, s, n);
	Buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
			int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]), h2 = hexval(s[i + 4]), h3 = hexval(s[i + 5]);
			if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
				unsigned c = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
				if (c && (c < 0xD800 || c > 0xDFFF)) {
					put_utf8(&b, c);
					i += 6;
					continue;
				}
			}
		}
		buf_putc(&b, s[i]);
	}
	const char *out = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return out;
}

/* Resolves a relationship target against the folder of its source part
 * ("" for the package root, "xl/" for the workbook): handles absolute
 * targets, "." and "..". */
static const char *resolve(Arena *a, const char *base_dir, const char *target)
{
	Buf joined = {0};
	if (target[0] == '/')
		buf_puts(&joined, target + 1);
	else {
		buf_puts(&joined, base_dir);
		buf_puts(&joined, target);
	}
	/* Normalise segment by segment. */
	char *path = joined.data ? joined.data : (char *)"";
	size_t len = strlen(path);
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	char *seg = path;
	while (seg && *seg) {
		char *slash = strchr(seg, '/');
		size_t sl = slash ? (size_t)(slash - seg) : strlen(seg);
		if (sl == 0 || (sl == 1 && seg[0] == '.')) {
			/* skip */
		} else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o > 0) {
				o--; /* drop the trailing '/' then the segment */
				while (o > 0 && out[o - 1] != '/')
					o--;
			}
		} else {
			memcpy(out + o, seg, sl);
			o += sl;
			if (slash)
				out[o++] = '/';
		}
		seg = slash ? slash + 1 : NULL;
	}
	if (o > 0 && out[o - 1] == '/')
		o--;
	out[o] = 0;
	buf_free(&joined);
	return out;
}

/* The folder of a part ("xl/workbook.xml" -> "xl/"). */
static const char *dir_of(Arena *a, const char *part)
{
	const char *slash = strrchr(part, '/');
	return slash ? arena_strndup(a, part, (size_t)(slash - part + 1)) : "";
}

/* ---- the archive ---- */

static int open_zip(Reader *r, const void *data, size_t len)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (!data || len == 0) {
		fail(r, "文件是空的，请选择要上传的 .xlsx 文件");
		return H_ERR;
	}
	if (len >= 8 && memcmp(data, ole, 8) == 0) {
		fail(r, "这是旧版 .xls 文件或加了密码的 Excel 文件，无法读取；请去掉密码，"
		        "或用 Excel 或 WPS 另存为 .xlsx 后重试");
		return H_ERR;
	}
	if (len < 4 || memcmp(data, "PK", 2) != 0) {
		fail(r, "文件不是有效的 .xlsx（无法作为 zip 打开），请用 Excel 或 WPS 另存为 .xlsx 后重试");
		return H_ERR;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		fail(r, "文件不是有效的 .xlsx（无法作为 zip 打开），请用 Excel 或 WPS 另存为 .xlsx 后重试");
		return H_ERR;
	}
	r->z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!r->z) {
		zip_source_free(src);
		zip_error_fini(&ze);
		fail(r, "文件已损坏或不完整（zip 结构无法读取），可能是上传中断或文件被截断；"
		        "请重新上传，或用 Excel 或 WPS 另存为 .xlsx 后重试");
		return H_ERR;
	}
	zip_error_fini(&ze);
	zip_int64_t n = zip_get_num_entries(r->z, 0);
	if (n > XLSX_MAX_ENTRIES) {
		fail(r, "文件中的条目过多（%lld 个，正常的 .xlsx 不超过 %d 个），不像是 Excel 工作簿，已拒绝；"
		        RESAVE, (long long)n, XLSX_MAX_ENTRIES);
		return H_ERR;
	}
	return H_OK;
}

static zip_int64_t locate(Reader *r, const char *path)
{
	zip_int64_t i = zip_name_locate(r->z, path, 0);
	if (i < 0)
		i = zip_name_locate(r->z, path, ZIP_FL_NOCASE);
	return i;
}

/* ---- streaming one part through expat ---- */

typedef struct Xml {
	Reader *r;
	XML_Parser p;
	XmlScan *scan; /* instead of p: the sheet and the shared strings (xml_scan.h) */
	const char *part;
} Xml;

static void stop(Xml *x)
{
	if (x->p)
		XML_StopParser(x->p, XML_FALSE);
	if (x->scan)
		xml_scan_stop(x->scan);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
	Xml *x = ud;
	fail(x->r, "文件中的 %s 含有 DTD 声明（Excel 不会这样写），可能是恶意构造的文件，已拒绝；" RESAVE,
	     x->part);
	stop(x);
}

/* Parses part (a zip path) with the handlers; x must be the first member of
 * the handlers' user data. scan: with xml_scan.c instead of expat (the
 * large parts; a part that is not UTF-8 is read again with expat). Returns
 * H_OK, or H_ERR with the reason set. A missing part is H_ERR with the
 * reason set only when required. */
static int parse_part(Reader *r, const char *part, int required, Xml *x,
                      XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler chars, int scan)
{
	zip_int64_t idx = locate(r, part);
	if (idx < 0) {
		if (required)
			fail(r, "文件缺少 %s，不是完整的 Excel 工作簿；" RESAVE, part);
		return H_ERR;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(r->z, (zip_uint64_t)idx, 0, &st) != 0) {
		fail(r, "文件中的 %s 无法读取，文件可能已损坏；" RESAVE, part);
		return H_ERR;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		fail(r, "文件中的 %s 已加密，无法读取；请去掉密码后另存为 .xlsx 再上传", part);
		return H_ERR;
	}
	zip_uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	if ((st.valid & ZIP_STAT_SIZE) && declared > XLSX_MAX_PART) {
		fail(r, "文件中的 %s 解压后超过 64 MiB（记录为 %llu 字节），表格过大或是恶意构造的压缩包，已拒绝；"
		        "请把数据拆分成几个较小的文件后分别上传",
		     part, (unsigned long long)declared);
		return H_ERR;
	}
	if ((st.valid & ZIP_STAT_SIZE) && declared > XLSX_RATIO_FROM &&
	    declared / (comp ? comp : 1) > XLSX_MAX_RATIO) {
		fail(r, "文件中的 %s 压缩比异常（超过 %d:1），可能是恶意构造的压缩包（zip 炸弹），已拒绝；" RESAVE,
		     part, XLSX_MAX_RATIO);
		return H_ERR;
	}
	zip_file_t *f = zip_fopen_index(r->z, (zip_uint64_t)idx, 0);
	if (!f) {
		int ze = zip_error_code_zip(zip_get_error(r->z));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
			fail(r, "文件中的 %s 已加密，无法读取；请去掉密码后另存为 .xlsx 再上传", part);
		else if (ze == ZIP_ER_COMPNOTSUPP)
			fail(r, "文件中的 %s 使用了不支持的压缩方式；" RESAVE, part);
		else
			fail(r, "文件中的 %s 无法读取，文件可能已损坏；" RESAVE, part);
		return H_ERR;
	}

	XML_Parser p = NULL;
	x->r = r;
	x->p = NULL;
	x->scan = NULL;
	x->part = part;
	if (scan)
		x->scan = xml_scan_new(x, start, end, chars);
	else {
		p = XML_ParserCreateNS(NULL, NS_SEP);
		if (!p)
			fatal("out of memory (XML parser)");
		x->p = p;
		XML_SetUserData(p, x);
		XML_SetElementHandler(p, start, end);
		if (chars)
			XML_SetCharacterDataHandler(p, chars);
		XML_SetStartDoctypeDeclHandler(p, on_doctype);
	}

	int rc = H_OK, other_encoding = 0;
	zip_uint64_t total = 0;
	for (;;) {
		void *buf = scan ? xml_scan_buffer(x->scan, CHUNK) : XML_GetBuffer(p, CHUNK);
		if (!buf)
			fatal("out of memory (XML buffer)");
		zip_int64_t n = zip_fread(f, buf, CHUNK);
		if (n < 0) {
			int ze = zip_error_code_zip(zip_file_get_error(f));
			if (ze == ZIP_ER_CRC)
				fail(r, "文件中的 %s 校验失败（数据已损坏），可能是上传不完整；请重新上传，或" RESAVE "后重试",
				     part);
			else
				fail(r, "文件中的 %s 解压失败（数据已损坏），可能是上传不完整；请重新上传，或" RESAVE "后重试",
				     part);
			rc = H_ERR;
			break;
		}
		total += (zip_uint64_t)n;
		/* Count what really comes out: the headers may lie. */
		if (total > XLSX_MAX_PART) {
			fail(r, "文件中的 %s 解压后超过 64 MiB，表格过大或是恶意构造的压缩包，已拒绝；"
			        "请把数据拆分成几个较小的文件后分别上传",
			     part);
			rc = H_ERR;
			break;
		}
		if ((st.valid & ZIP_STAT_SIZE) && total > declared) {
			fail(r, "文件中的 %s 解压后的大小与记录不符（超过记录的 %llu 字节），可能是恶意构造的压缩包，已拒绝；"
			        RESAVE,
			     part, (unsigned long long)declared);
			rc = H_ERR;
			break;
		}
		if (total > XLSX_RATIO_FROM && total / (comp ? comp : 1) > XLSX_MAX_RATIO) {
			fail(r, "文件中的 %s 压缩比异常（超过 %d:1），可能是恶意构造的压缩包（zip 炸弹），已拒绝；" RESAVE,
			     part, XLSX_MAX_RATIO);
			rc = H_ERR;
			break;
		}
		if (scan) {
			int sc = xml_scan_parse(x->scan, (size_t)n, n == 0);
			if (sc == XML_SCAN_ENCODING) {
				other_encoding = 1;
				break;
			}
			if (sc == XML_SCAN_DTD)
				on_doctype(x, NULL, NULL, NULL, 0);
			else if (sc == XML_SCAN_BAD && !r->failed) {
				unsigned long line, col;
				xml_scan_error(x->scan, &line, &col);
				fail(r, "文件中的 %s 不是有效的 XML（第 %lu 行第 %lu 列出错），文件可能已损坏；" RESAVE, part, line,
				     col);
			}
			if (sc != XML_SCAN_OK && !r->failed) /* stopped without a reason: cannot be, but never pass */
				fail(r, "文件中的 %s 无法读取，文件可能已损坏；" RESAVE, part);
		} else if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			if (!r->failed)
				fail(r, "文件中的 %s 不是有效的 XML（第 %lu 行第 %lu 列出错），文件可能已损坏；" RESAVE,
				     part, (unsigned long)XML_GetCurrentLineNumber(p),
				     (unsigned long)XML_GetCurrentColumnNumber(p) + 1);
			rc = H_ERR;
			break;
		}
		if (r->failed) { /* a handler refused and stopped */
			rc = H_ERR;
			break;
		}
		if (n == 0)
			break;
	}
	if (p)
		XML_ParserFree(p);
	xml_scan_free(x->scan);
	x->p = NULL;
	x->scan = NULL;
	zip_fclose(f);
	if (other_encoding) /* UTF-16 or a declared 8-bit encoding: expat reads those */
		return parse_part(r, part, required, x, start, end, chars, 0);
	return rc;
}

/* ---- relationships ---- */

typedef struct RelsState {
	Xml x;
	const char *base;
	Rel *rels;
	int n, cap;
} RelsState;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	RelsState *s = ud;
	if (strcmp(lname(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
	const char *mode = attr(atts, "TargetMode");
	if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
		return;
	Arena *a = s->x.r->a;
	Rel *rel = arena_push(a, &s->rels, &s->n, &s->cap, sizeof *rel);
	rel->id = arena_strdup(a, id);
	rel->type = arena_strdup(a, type);
	rel->target = resolve(a, s->base, target);
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
}

/* Reads the relationships of part ("" for the package): into *rels. */
static int read_rels(Reader *r, const char *part, Rel **rels, int *n)
{
	const char *dir = dir_of(r->a, part);
	const char *file = strrchr(part, '/') ? strrchr(part, '/') + 1 : part;
	const char *path = arena_printf(r->a, "%s_rels/%s.rels", dir, file);
	RelsState s = {.base = dir};
	int rc = parse_part(r, path, 0, &s.x, rels_start, no_end, NULL, 0);
	*rels = s.rels;
	*n = s.n;
	return rc == H_OK || !r->failed ? H_OK : H_ERR;
}

static const Rel *find_rel_type(const Rel *rels, int n, const char *suffix)
{
	for (int i = 0; i < n; i++)
		if (ends_with(rels[i].type, suffix))
			return &rels[i];
	return NULL;
}

/* ---- the workbook ---- */

typedef struct WorkbookState {
	Xml x;
	int seen_workbook;
} WorkbookState;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	WorkbookState *s = ud;
	Reader *r = s->x.r;
	const char *n = lname(name);
	if (strcmp(n, "workbook") == 0)
		s->seen_workbook = 1;
	else if (strcmp(n, "workbookPr") == 0) {
		const char *v = attr(atts, "date1904");
		r->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(n, "sheet") == 0) {
		const char *sname = attr(atts, "name"), *rid = attr(atts, "id"), *state = attr(atts, "state");
		if (!sname || !rid)
			return;
		SheetRef *sr = arena_push(r->a, &r->sheets, &r->nsheets, &r->csheets, sizeof *sr);
		sr->name = arena_strdup(r->a, sname);
		sr->rid = arena_strdup(r->a, rid);
		sr->hidden = state && strcmp(state, "visible") != 0;
	}
}

/* Finds the workbook, its sheets and its relationships. */
static int read_workbook(Reader *r)
{
	Rel *pkg = NULL;
	int npkg = 0;
	if (read_rels(r, "", &pkg, &npkg) != H_OK)
		return H_ERR;
	const Rel *office = find_rel_type(pkg, npkg, "/officeDocument");
	r->wb_path = office && locate(r, office->target) >= 0 ? office->target : "xl/workbook.xml";
	WorkbookState s = {0};
	if (parse_part(r, r->wb_path, 1, &s.x, wb_start, no_end, NULL, 0) != H_OK)
		return H_ERR;
	if (!s.seen_workbook) {
		fail(r, "文件中的 %s 不是 Excel 工作簿，文件可能不是由 Excel 生成；" RESAVE, r->wb_path);
		return H_ERR;
	}
	if (r->nsheets == 0) {
		fail(r, "工作簿中没有工作表，请确认文件内容后" RESAVE);
		return H_ERR;
	}
	return read_rels(r, r->wb_path, &r->rels, &r->nrels);
}

/* ---- styles: which cell formats are dates ---- */

/* 1 when an Excel number format code shows a date or time: y, m, d or h
 * outside quotes, escapes and [colour]/[$-locale] brackets; "[h]" (elapsed
 * hours) counts. */
static int format_is_date(const char *code)
{
	for (const char *p = code; *p; p++) {
		switch (*p) {
		case '"':
			p = strchr(p + 1, '"');
			if (!p)
				return 0;
			break;
		case '\\':
		case '_':
		case '*':
			if (!p[1])
				return 0;
			p++;
			break;
		case '[': {
			const char *close = strchr(p, ']');
			if (!close)
				return 0;
			int elapsed = close > p + 1;
			for (const char *q = p + 1; q < close; q++)
				if (!strchr("hHmMsS", *q))
					elapsed = 0;
			if (elapsed)
				return 1;
			p = close;
			break;
		}
		case 'y': case 'Y': case 'm': case 'M': case 'd': case 'D': case 'h': case 'H':
			return 1;
		default:
			break;
		}
	}
	return 0;
}

/* Built-in number formats that are dates or times: 14-22 and 45-47 in every
 * locale, 27-36 and 50-58 in the Chinese, Japanese and Korean ones (files
 * from Chinese Excel and WPS use them without defining them). */
static int builtin_is_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

typedef struct CustomFmt {
	long id;
	int date;
} CustomFmt;

typedef struct StylesState {
	Xml x;
	CustomFmt *fmts;
	int nfmts, cfmts;
	long *xf_fmt;
	int nxf, cxf;
	int in_cellxfs;
} StylesState;

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	StylesState *s = ud;
	Arena *a = s->x.r->a;
	const char *n = lname(name);
	if (strcmp(n, "numFmt") == 0) {
		long id = parse_uint(attr(atts, "numFmtId"), 1000000);
		const char *code = attr(atts, "formatCode");
		if (id < 0 || !code)
			return;
		CustomFmt *f = arena_push(a, &s->fmts, &s->nfmts, &s->cfmts, sizeof *f);
		f->id = id;
		f->date = format_is_date(code);
	} else if (strcmp(n, "cellXfs") == 0) {
		s->in_cellxfs = 1;
	} else if (s->in_cellxfs && strcmp(n, "xf") == 0) {
		long id = parse_uint(attr(atts, "numFmtId"), 1000000);
		*(long *)arena_push(a, &s->xf_fmt, &s->nxf, &s->cxf, sizeof(long)) = id < 0 ? 0 : id;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	StylesState *s = ud;
	if (strcmp(lname(name), "cellXfs") == 0)
		s->in_cellxfs = 0;
}

static int read_styles(Reader *r)
{
	const Rel *rel = find_rel_type(r->rels, r->nrels, "/styles");
	StylesState s = {0};
	if (parse_part(r, rel ? rel->target : "xl/styles.xml", 0, &s.x, styles_start, styles_end, NULL, 0) !=
	    H_OK)
		return r->failed ? H_ERR : H_OK; /* no styles: nothing is a date */
	r->nxf = s.nxf;
	r->xf_date = arena_alloc(r->a, (size_t)s.nxf + 1);
	for (int i = 0; i < s.nxf; i++) {
		long id = s.xf_fmt[i];
		int date = builtin_is_date(id);
		for (int k = 0; k < s.nfmts; k++) /* a later definition wins */
			if (s.fmts[k].id == id)
				date = s.fmts[k].date;
		r->xf_date[i] = (unsigned char)date;
	}
	return H_OK;
}

/* ---- shared strings ---- */

typedef struct SstState {
	Xml x;
	Buf text;
	int in_si, in_t, in_rph;
} SstState;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	SstState *s = ud;
	const char *n = lname(name);
	if (strcmp(n, "si") == 0) {
		s->in_si = 1;
		buf_reset(&s->text);
	} else if (strcmp(n, "t") == 0)
		s->in_t = s->in_si;
	else if (strcmp(n, "rPh") == 0)
		s->in_rph = 1;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	SstState *s = ud;
	Reader *r = s->x.r;
	const char *n = lname(name);
	if (strcmp(n, "t") == 0)
		s->in_t = 0;
	else if (strcmp(n, "rPh") == 0)
		s->in_rph = 0;
	else if (strcmp(n, "si") == 0 && s->in_si) {
		s->in_si = 0;
		if (r->nsst >= XLSX_MAX_CELLS) {
			fail(r, "文件中的共享字符串过多（超过 %d 万个），不像是正常的工作簿，已拒绝；"
			        "请把数据拆分成几个较小的文件后分别上传。", XLSX_MAX_CELLS / 10000);
			stop(&s->x);
			return;
		}
		if (r->nsst == r->csst) {
			r->csst = r->csst ? r->csst * 2 : 256;
			r->sst = xrealloc(r->sst, sizeof *r->sst * (size_t)r->csst);
			r->sst_bad = xrealloc(r->sst_bad, (size_t)r->csst);
		}
		const char *t = ooxml_text(r->a, buf_str(&s->text), s->text.len);
		int what = 0;
		/* checked once here, not at each of the cells that use it */
		r->sst_bad[r->nsst] = utf8_text_bad(t, strlen(t), &what) == strlen(t) ? 0 : (unsigned char)what;
		r->sst[r->nsst++] = t;
	}
}

static void XMLCALL sst_chars(void *ud, const XML_Char *t, int len)
{
	SstState *s = ud;
	if (s->in_t && !s->in_rph)
		buf_append(&s->text, t, (size_t)len);
}

static int read_shared_strings(Reader *r)
{
	const Rel *rel = find_rel_type(r->rels, r->nrels, "/sharedStrings");
	SstState s = {0};
	int rc = parse_part(r, rel ? rel->target : "xl/sharedStrings.xml", 0, &s.x, sst_start, sst_end,
	                    sst_chars, 1);
	buf_free(&s.text);
	return rc == H_OK || !r->failed ? H_OK : H_ERR;
}

/* ---- dates and numbers ---- */

int xlsx_serial_to_date(double serial, int date1904, char out[11])
{
	const long max_days = 2932896; /* 9999-12-31, days after 1970-01-01 */
	if (!isfinite(serial) || serial < 0 || serial > 3e6)
		return H_ERR;
	long d = (long)floor(serial);
	long days;
	if (date1904)
		days = d - 24107; /* 1904-01-01 is day 0 */
	else if (d < 1)
		return H_ERR; /* "1900-01-00": a time of day without a date */
	else if (d <= 60)
		days = d - 25568; /* before Excel's phantom 1900-02-29 (60 reads as 02-28) */
	else
		days = d - 25569;
	if (d == 60 && !date1904)
		days = 59 - 25568;
	if (days > max_days)
		return H_ERR;
	date_from_days(days, out);
	return H_OK;
}

/* The serial of an ISO date "YYYY-MM-DD..." (for t="d" cells). */
static int iso_to_serial(const char *s, int date1904, double *serial)
{
	if (!s || strlen(s) < 10)
		return H_ERR;
	char day[11];
	memcpy(day, s, 10);
	day[10] = 0;
	if (!date_valid(day))
		return H_ERR;
	long days = date_days(day);
	double v = date1904 ? days + 24107 : days + 25569;
	if (!date1904 && v < 61)
		v -= 1;
	if (v < (date1904 ? 0 : 1))
		return H_ERR;
	*serial = v;
	return H_OK;
}

/* A number as Excel shows it in a General cell, near enough: integers
 * without ".0", others with up to 15 significant digits. */
static const char *number_text(Arena *a, double v)
{
	char tmp[40];
	if (v == floor(v) && fabs(v) < 1e15) {
		long long n = (long long)v;
		char *p = tmp + sizeof tmp;
		*--p = 0;
		unsigned long long u = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (n < 0)
			*--p = '-';
		return arena_strndup(a, p, strlen(p));
	}
	snprintf(tmp, sizeof tmp, "%.15g", v);
	return arena_strndup(a, tmp, strlen(tmp));
}

/* ---- the sheet ---- */

enum { CT_N, CT_S, CT_STR, CT_INLINE, CT_B, CT_E, CT_D };

typedef struct SheetState {
	Xml x;
	const char *sheet;
	int in_data;     /* inside <sheetData> */
	int cur_row;     /* row of the current <row>, -1 before the first */
	int in_c, ctype, cstyle, crow, ccol, has_v, last_col;
	int in_v, in_is, in_t, in_rph;
	Buf v, is;
	/* the cells that hold a value, in order of arrival (malloc'd): nothing
	 * is kept for a gap, so a cell far away costs what any cell costs */
	XlsxCell *cells;
	size_t ncells, ccells;
	int sorted;      /* 1 while each cell came after the one before, by (row, col) */
} SheetState;

/* Parses "AB12" into 0-based col and row. Returns 0, or -1 when malformed,
 * -2 past the last column, -3 past the last row. row is -1 when the
 * reference has no digits. */
static int parse_ref(const char *s, int *col, int *row)
{
	long c = 0;
	int letters = 0;
	for (; *s && isalpha((unsigned char)*s); s++) {
		if (++letters > 3)
			return -2;
		c = c * 26 + (toupper((unsigned char)*s) - 'A' + 1);
	}
	if (letters == 0)
		return -1;
	if (c > XLSX_MAX_COLS)
		return -2;
	*col = (int)(c - 1);
	if (!*s) {
		*row = -1;
		return 0;
	}
	long rv = 0;
	int digits = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (++digits > 8)
			return -3;
		rv = rv * 10 + (*s - '0');
	}
	if (rv < 1)
		return -1;
	if (rv > XLSX_MAX_ROWS)
		return -3;
	*row = (int)(rv - 1);
	return 0;
}

static void sheet_fail(SheetState *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sheet_fail(SheetState *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fail(s->x.r, "%s", msg);
	stop(&s->x);
}

static void too_many_rows(SheetState *s)
{
	sheet_fail(s, "工作表“%s”超过 %d 行（Excel 的上限），文件可能已损坏或是恶意构造的，已拒绝；"
	              "请检查文件，或把数据拆分成几个较小的文件后分别上传",
	           s->sheet, XLSX_MAX_ROWS);
}

static void too_many_cols(SheetState *s)
{
	sheet_fail(s, "工作表“%s”超过 %d 列（Excel 的上限），文件可能已损坏或是恶意构造的，已拒绝；"
	              "请检查文件后" RESAVE,
	           s->sheet, XLSX_MAX_COLS);
}

static void too_many_cells(SheetState *s)
{
	sheet_fail(s, "工作表“%s”中有内容的单元格过多（超过 %d 万个）；请把数据拆分成几个较小的文件后分别上传。",
	           s->sheet, XLSX_MAX_CELLS / 10000);
}

/* Excel's letters of a 0-based column below XLSX_MAX_COLS ("A", "IV", "XFD"). */
static void col_letters(int col, char out[4])
{
	char tmp[4];
	int n = 0;
	for (col++; col > 0 && n < 3; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

/* The header of column col (the text in that column of the first row that
 * has values), cut to a readable length; NULL when row is that row or the
 * column has none. Looked at only when a cell is refused. */
static const char *header_of(SheetState *s, int row, int col, char *out, size_t outsz)
{
	if (!s->ncells || s->cells[0].row == row)
		return NULL;
	int hr = s->cells[0].row;
	for (size_t i = 0; i < s->ncells && i < 4096 && s->cells[i].row == hr; i++) {
		if (s->cells[i].col != col || s->cells[i].type != XLSX_STRING)
			continue;
		const char *t = s->cells[i].text;
		size_t n = strlen(t);
		if (n >= outsz) { /* cut at a character's start */
			n = outsz - 1;
			while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(out, t, n);
		out[n] = 0;
		return out;
	}
	return NULL;
}

/* Refuses the cell at (row, col) whose text is not cell text (what: UTF8_BAD_...). */
static void bad_text(SheetState *s, int row, int col, int what)
{
	char letters[4], head[64];
	col_letters(col, letters);
	const char *h = header_of(s, row, col, head, sizeof head);
	sheet_fail(s, "工作表“%s”第 %d 行 %s 列%s%s%s含有无法识别的字符（%s）；请删除这些字符后重新上传。", s->sheet, row + 1,
	           letters, h ? "（" : "", h ? h : "", h ? "）" : "",
	           what == UTF8_BAD_CONTROL ? "不可见的控制字符" : "无效的文字编码");
}

/* Keeps a cell that holds a value. */
static void put_cell(SheetState *s, XlsxCell cell)
{
	if (cell.col >= XLSX_READ_COLS) {
		char letters[4], last[4];
		col_letters(cell.col, letters);
		col_letters(XLSX_READ_COLS - 1, last);
		sheet_fail(s, "工作表“%s”的 %s%d 单元格有内容，超出了可以读取的 %d 列（A 到 %s 列）；"
		              "请删除 %s 列右侧的内容后重新上传。",
		           s->sheet, letters, cell.row + 1, XLSX_READ_COLS, last, last);
		return;
	}
	if (s->ncells >= XLSX_MAX_CELLS) {
		too_many_cells(s);
		return;
	}
	if (s->ncells) {
		const XlsxCell *prev = &s->cells[s->ncells - 1];
		if (cell.row < prev->row || (cell.row == prev->row && cell.col <= prev->col))
			s->sorted = 0;
	}
	if (s->ncells == s->ccells) {
		s->ccells = s->ccells ? s->ccells * 2 : 1024;
		s->cells = xrealloc(s->cells, sizeof *s->cells * s->ccells);
	}
	s->cells[s->ncells++] = cell;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	SheetState *s = ud;
	const char *n = lname(name);
	if (!s->in_data) {
		if (strcmp(n, "sheetData") == 0)
			s->in_data = 1;
		return;
	}
	if (s->in_c) {
		if (strcmp(n, "v") == 0) {
			s->in_v = 1;
			buf_reset(&s->v);
		} else if (strcmp(n, "is") == 0) {
			s->in_is = 1;
			buf_reset(&s->is);
		} else if (strcmp(n, "t") == 0)
			s->in_t = s->in_is;
		else if (strcmp(n, "rPh") == 0)
			s->in_rph = 1;
		return;
	}
	if (strcmp(n, "row") == 0) {
		const char *rv = attr(atts, "r");
		long row;
		if (rv) {
			row = parse_uint(rv, 100000000);
			if (row > XLSX_MAX_ROWS) {
				too_many_rows(s);
				return;
			}
			if (row < 1) {
				sheet_fail(s, "工作表“%s”中有无效的行号“%.20s”，文件可能已损坏；" RESAVE, s->sheet, rv);
				return;
			}
			row--;
		} else
			row = s->cur_row + 1;
		if (row >= XLSX_MAX_ROWS) {
			too_many_rows(s);
			return;
		}
		s->cur_row = (int)row;
		s->last_col = -1;
	} else if (strcmp(n, "c") == 0) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
		int col = s->last_col + 1, row = s->cur_row < 0 ? 0 : s->cur_row;
		if (ref) {
			int rr = -1, rc = parse_ref(ref, &col, &rr);
			if (rc == -2) {
				too_many_cols(s);
				return;
			}
			if (rc == -3) {
				too_many_rows(s);
				return;
			}
			if (rc < 0) {
				sheet_fail(s, "工作表“%s”中有无效的单元格位置“%.20s”，文件可能已损坏；" RESAVE, s->sheet,
				           ref);
				return;
			}
			if (rr >= 0)
				row = rr;
		} else if (col >= XLSX_MAX_COLS) {
			too_many_cols(s);
			return;
		}
		s->in_c = 1;
		s->crow = row;
		s->ccol = col;
		s->last_col = col;
		s->has_v = 0;
		buf_reset(&s->v);
		buf_reset(&s->is);
		s->ctype = CT_N;
		if (t) {
			if (strcmp(t, "s") == 0)
				s->ctype = CT_S;
			else if (strcmp(t, "str") == 0)
				s->ctype = CT_STR;
			else if (strcmp(t, "inlineStr") == 0)
				s->ctype = CT_INLINE;
			else if (strcmp(t, "b") == 0)
				s->ctype = CT_B;
			else if (strcmp(t, "e") == 0)
				s->ctype = CT_E;
			else if (strcmp(t, "d") == 0)
				s->ctype = CT_D;
		}
		long sv = parse_uint(st, 10000000);
		s->cstyle = sv < 0 ? 0 : (int)sv;
	}
}

/* Turns the gathered <c> into a cell. */
static void finish_cell(SheetState *s)
{
	Reader *r = s->x.r;
	Arena *a = r->a;
	XlsxCell cell = {.row = s->crow, .col = s->ccol, .type = XLSX_EMPTY};
	const char *v = buf_str(&s->v);
	switch (s->ctype) {
	case CT_INLINE:
		if (s->is.len) {
			cell.type = XLSX_STRING;
			cell.text = ooxml_text(a, buf_str(&s->is), s->is.len);
		}
		break;
	case CT_STR:
		if (s->has_v && s->v.len) {
			cell.type = XLSX_STRING;
			cell.text = ooxml_text(a, v, s->v.len);
		}
		break;
	case CT_S:
		if (s->has_v) {
			long i = parse_uint(v, 2000000000);
			if (i < 0 || i >= r->nsst) {
				sheet_fail(s, "工作表“%s”的单元格引用了不存在的共享字符串（编号 %.20s），文件可能已损坏；" RESAVE,
				           s->sheet, v);
				return;
			}
			if (r->sst[i][0]) {
				if (r->sst_bad[i]) {
					bad_text(s, s->crow, s->ccol, r->sst_bad[i]);
					return;
				}
				cell.type = XLSX_STRING;
				cell.text = r->sst[i];
			}
		}
		break;
	case CT_B:
		if (s->has_v && s->v.len) {
			int on = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
			cell.type = XLSX_BOOL;
			cell.number = on;
			cell.text = on ? "TRUE" : "FALSE";
		}
		break;
	case CT_E:
		if (s->has_v && s->v.len) {
			cell.type = XLSX_ERROR;
			cell.text = arena_strndup(a, v, s->v.len);
		}
		break;
	case CT_D:
		if (s->has_v && s->v.len) {
			double serial;
			if (iso_to_serial(v, r->date1904, &serial) == H_OK) {
				cell.type = XLSX_DATE;
				cell.number = serial;
				cell.text = arena_strndup(a, v, 10);
			} else {
				cell.type = XLSX_STRING;
				cell.text = arena_strndup(a, v, s->v.len);
			}
		}
		break;
	default:
		if (s->has_v && s->v.len) {
			char *end;
			errno = 0;
			double d = strtod(v, &end);
			while (*end == ' ')
				end++;
			if (end == v || *end || !isfinite(d)) {
				cell.type = XLSX_STRING; /* not a number after all: keep the text */
				cell.text = arena_strndup(a, v, s->v.len);
				break;
			}
			cell.type = XLSX_NUMBER;
			cell.number = d;
			char day[11];
			if (s->cstyle < r->nxf && r->xf_date[s->cstyle] &&
			    xlsx_serial_to_date(d, r->date1904, day) == H_OK) {
				cell.type = XLSX_DATE;
				cell.text = arena_strndup(a, day, 10);
			} else
				cell.text = number_text(a, d);
		}
		break;
	}
	if (cell.type == XLSX_EMPTY)
		return;
	/* text from the file (not our own number and date forms, nor shared
	 * strings, checked once each): cell text only */
	int what = 0;
	if (cell.text && s->ctype != CT_S && s->ctype != CT_B && cell.type != XLSX_NUMBER && cell.type != XLSX_DATE &&
	    utf8_text_bad(cell.text, strlen(cell.text), &what) != strlen(cell.text)) {
		bad_text(s, cell.row, cell.col, what);
		return;
	}
	put_cell(s, cell);
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	SheetState *s = ud;
	if (!s->in_data)
		return;
	const char *n = lname(name);
	if (s->in_c) {
		if (strcmp(n, "v") == 0) {
			s->in_v = 0;
			s->has_v = 1;
		} else if (strcmp(n, "is") == 0)
			s->in_is = 0;
		else if (strcmp(n, "t") == 0)
			s->in_t = 0;
		else if (strcmp(n, "rPh") == 0)
			s->in_rph = 0;
		else if (strcmp(n, "c") == 0) {
			s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
			finish_cell(s);
		}
		return;
	}
	if (strcmp(n, "sheetData") == 0)
		s->in_data = 0;
}

static void XMLCALL sheet_chars(void *ud, const XML_Char *t, int len)
{
	SheetState *s = ud;
	if (s->in_v)
		buf_append(&s->v, t, (size_t)len);
	else if (s->in_t && !s->in_rph)
		buf_append(&s->is, t, (size_t)len);
}

static XlsxSheet *read_sheet_part(Reader *r, const SheetRef *ref)
{
	const Rel *rel = NULL;
	for (int i = 0; i < r->nrels; i++)
		if (strcmp(r->rels[i].id, ref->rid) == 0)
			rel = &r->rels[i];
	if (!rel) {
		fail(r, "工作簿中找不到工作表“%s”的内容（关系 %s 缺失），文件可能已损坏；" RESAVE, ref->name, ref->rid);
		return NULL;
	}
	if (ends_with(rel->type, "/chartsheet") || ends_with(rel->type, "/dialogsheet") ||
	    ends_with(rel->type, "/macrosheet")) {
		fail(r, "工作表“%s”是图表或宏表，没有表格数据；请选择含数据的工作表", ref->name);
		return NULL;
	}
	SheetState s = {.sheet = ref->name, .cur_row = -1, .sorted = 1};
	int rc = parse_part(r, rel->target, 1, &s.x, sheet_start, sheet_end, sheet_chars, 1);
	XlsxSheet *sh = NULL;
	if (rc == H_OK && !r->failed) {
		sh = xlsx_sheet_from_cells(r->a, ref->name, s.cells, s.ncells, s.sorted);
		sh->date1904 = r->date1904;
		s.cells = NULL; /* the arena's now */
	}
	free(s.cells);
	buf_free(&s.v);
	buf_free(&s.is);
	return sh;
}

static void reader_close(Reader *r)
{
	if (r->z)
		zip_discard(r->z);
	free(r->sst);
	free(r->sst_bad);
}

XlsxSheet *xlsx_read_sheet(Arena *a, const void *data, size_t len, const char *sheet_name,
                           char *err, size_t errsz)
{
	Reader r = {.a = a, .err = err, .errsz = errsz};
	if (err && errsz)
		err[0] = 0;
	XlsxSheet *sh = NULL;
	if (open_zip(&r, data, len) != H_OK || read_workbook(&r) != H_OK)
		goto out;
	const SheetRef *ref = NULL;
	if (sheet_name) {
		for (int i = 0; i < r.nsheets && !ref; i++)
			if (strcmp(r.sheets[i].name, sheet_name) == 0)
				ref = &r.sheets[i];
		for (int i = 0; i < r.nsheets && !ref; i++) /* Excel's names ignore ASCII case */
			if (strcasecmp(r.sheets[i].name, sheet_name) == 0)
				ref = &r.sheets[i];
		if (!ref) {
			Buf names = {0};
			for (int i = 0; i < r.nsheets && names.len < 300; i++)
				buf_printf(&names, "%s“%s”", i ? "、" : "", r.sheets[i].name);
			fail(&r, "文件中没有名为“%s”的工作表（文件中的工作表：%s），请检查工作表名称，或使用下载的模板填写",
			     sheet_name, buf_str(&names));
			buf_free(&names);
			goto out;
		}
	} else {
		for (int i = 0; i < r.nsheets && !ref; i++)
			if (!r.sheets[i].hidden)
				ref = &r.sheets[i];
		if (!ref)
			ref = &r.sheets[0];
	}
	if (read_styles(&r) != H_OK || read_shared_strings(&r) != H_OK)
		goto out;
	sh = read_sheet_part(&r, ref);
out:
	reader_close(&r);
	return sh;
}

int xlsx_sheet_names(Arena *a, const void *data, size_t len, const char ***names, char *err,
                     size_t errsz)
{
	Reader r = {.a = a, .err = err, .errsz = errsz};
	if (err && errsz)
		err[0] = 0;
	int n = -1;
	*names = NULL;
	if (open_zip(&r, data, len) == H_OK && read_workbook(&r) == H_OK) {
		const char **v = arena_alloc(a, sizeof *v * (size_t)(r.nsheets + 1));
		for (int i = 0; i < r.nsheets; i++)
			v[i] = r.sheets[i].name;
		*names = v;
		n = r.nsheets;
	}
	reader_close(&r);
	return n;
}

const XlsxCell *xlsx_cell(const XlsxSheet *s, int row, int col)
{
	if (!s || row < 0 || row >= s->nrows || col < 0 || col >= s->rowlen[row])
		return NULL;
	const XlsxCell *c = s->cells[row];
	int lo = 0, hi = s->ncells[row];
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (c[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->ncells[row] && c[lo].col == col ? &c[lo] : NULL;
}

/* 1 when cell a comes before cell b in reading order. */
static int cell_before(const XlsxCell *a, const XlsxCell *b)
{
	return a->row < b->row || (a->row == b->row && a->col < b->col);
}

/* Sorts c[0..n) by (row, col), keeping cells at one place in their order
 * (a merge sort through tmp). */
static void sort_cells(XlsxCell *c, XlsxCell *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_cells(c, tmp, h);
	sort_cells(c + h, tmp, n - h);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n)
		tmp[o++] = cell_before(&c[j], &c[i]) ? c[j++] : c[i++];
	while (i < h)
		tmp[o++] = c[i++];
	while (j < n)
		tmp[o++] = c[j++];
	memcpy(c, tmp, sizeof *c * n);
}

XlsxSheet *xlsx_sheet_from_cells(Arena *a, const char *name, XlsxCell *cells, size_t n, int sorted)
{
	if (!sorted && n > 1) {
		XlsxCell *tmp = xmalloc(sizeof *tmp * n);
		sort_cells(cells, tmp, n);
		free(tmp);
		size_t o = 0; /* of two cells at one place the later wins */
		for (size_t i = 0; i < n; i++) {
			if (o && cells[o - 1].row == cells[i].row && cells[o - 1].col == cells[i].col)
				cells[o - 1] = cells[i];
			else
				cells[o++] = cells[i];
		}
		n = o;
	}
	cells = xrealloc(cells, sizeof *cells * (n ? n : 1)); /* give back the spare room */
	arena_own(a, cells);
	XlsxSheet *sh = arena_alloc(a, sizeof *sh);
	sh->name = arena_strdup(a, name);
	sh->nrows = n ? cells[n - 1].row + 1 : 0;
	size_t rows = (size_t)(sh->nrows ? sh->nrows : 1);
	sh->cells = arena_alloc(a, sizeof *sh->cells * rows);
	sh->ncells = arena_alloc(a, sizeof *sh->ncells * rows);
	sh->rowlen = arena_alloc(a, sizeof *sh->rowlen * rows);
	for (size_t i = 0; i < n;) {
		int r = cells[i].row;
		size_t j = i;
		while (j < n && cells[j].row == r)
			j++;
		sh->cells[r] = cells + i;
		sh->ncells[r] = (int)(j - i);
		sh->rowlen[r] = cells[j - 1].col + 1;
		if (sh->rowlen[r] > sh->ncols)
			sh->ncols = sh->rowlen[r];
		i = j;
	}
	return sh;
}

const char *xlsx_cell_text(const XlsxSheet *s, int row, int col)
{
	const XlsxCell *c = xlsx_cell(s, row, col);
	return c && c->type != XLSX_EMPTY ? c->text : NULL;
}
