/*
 * transfer_export.c — the registry's records out to spreadsheets (.xlsx
 * through xlsx_stream.c, or CSV), for every kind registry.c describes,
 * whoever asks: the pages and API (page_transfer.c) and the command line
 * (`hatchery export`); and the columns of a kind's sheet (headers, types,
 * drop-downs, notes, the 说明 sheet) that the import templates of
 * transfer.c share.
 *
 * Columns are the kind's fields in order: 编号 (the id) first, the writable
 * fields, and in exports 审核状态 last (read-only: ignored on import). An
 * export holds what a list's filters match (up to TRANSFER_MAX_EXPORT_ROWS),
 * with Chinese headers, typed cells and codes as their Chinese labels, so
 * that it imports back unchanged (transfer.c). It is written while it is
 * read, in memory that does not grow with the rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain.h"
#include "transfer_internal.h"
#include "upload.h"
#include "xlsx_stream.h"
#include "xlsx_write.h"

/* ---- labels and codes ---- */

/* The allowed values of a coded field as people read them (Chinese
 * labels), NULL-terminated, in the arena; NULL for fields without a list.
 * own_area: only this area for FT_AREA (an area reporter's template). */
static const char **field_choices(const Actor *who, const Field *f, const char *own_area)
{
	const Plan *p = who->plan;
	Arena *a = who->arena;
	const char **out = NULL;
	int n = 0, cap = 0;
	switch (f->type) {
	case FT_BOOL:
		*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = "是";
		*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = "否";
		break;
	case FT_CODE:
	case FT_CODES:
		if (f->list[0] == '=') {
			const char *codes[32], *labels[32];
			int nc = registry_fixed_pairs(f->list, a, codes, labels, 32);
			for (int i = 0; i < nc; i++)
				*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = labels[i];
		} else {
			for (int i = 0; i < p->nvocab; i++)
				if (strcmp(p->vocab[i].list, f->list) == 0)
					*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = p->vocab[i].name;
		}
		break;
	case FT_AREA:
		for (int i = 0; i < p->nareas; i++)
			if (strcmp(p->areas[i].level, "area") == 0 && (!own_area || strcmp(own_area, p->areas[i].code) == 0))
				*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = p->areas[i].name;
		break;
	case FT_LAYOUT:
		for (int i = 0; i < p->nlayout_units; i++)
			*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = p->layout_units[i].name;
		break;
	default:
		return NULL;
	}
	*(const char **)arena_push(a, &out, &n, &cap, sizeof *out) = NULL;
	return out;
}

/* A code's label (the code itself when it has none). */
static const char *code_label(const Actor *who, const Field *f, const char *code)
{
	if (!code)
		return "";
	switch (f->type) {
	case FT_AREA:
		return area_name(who->plan, code);
	case FT_LAYOUT:
		for (int i = 0; i < who->plan->nlayout_units; i++)
			if (strcmp(who->plan->layout_units[i].code, code) == 0)
				return who->plan->layout_units[i].name;
		return code;
	default:
		if (f->list && f->list[0] == '=') {
			const char *l = registry_fixed_label(f->list, code, who->arena);
			return l ? l : code;
		}
		return f->list ? vocab_name(who->plan, f->list, code) : code;
	}
}

/* The JSON string at *pp (after its opening quote) unescaped into a; *pp
 * after the closing quote. NULL when malformed. */
static const char *jstr(const char **pp, Arena *a)
{
	const char *p = *pp, *q = p;
	while (*q && *q != '"' && *q != '\\')
		q++;
	if (*q == '"') { /* no escapes */
		char *out = arena_alloc(a, (size_t)(q - p) + 1);
		memcpy(out, p, (size_t)(q - p));
		*pp = q + 1;
		return out;
	}
	Buf b = {0};
	buf_append(&b, p, (size_t)(q - p));
	p = q;
	while (*p && *p != '"') {
		if (*p != '\\') {
			buf_putc(&b, *p++);
			continue;
		}
		p++;
		switch (*p) {
		case 'n': buf_putc(&b, '\n'); break;
		case 't': buf_putc(&b, '\t'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 'b': buf_putc(&b, '\b'); break;
		case 'f': buf_putc(&b, '\f'); break;
		case 'u': {
			unsigned c = 0;
			for (int i = 1; i <= 4; i++) {
				char h = p[i];
				c = c * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
				                       : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0);
				if (!h) {
					buf_free(&b);
					return NULL;
				}
			}
			p += 4;
			if (c >= 0xD800 && c < 0xDC00 && p[1] == '\\' && p[2] == 'u') {
				unsigned lo = (unsigned)strtoul((char[]){p[3], p[4], p[5], p[6], 0}, NULL, 16);
				if (lo >= 0xDC00 && lo < 0xE000) {
					c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			if (c < 0x80)
				buf_putc(&b, (char)c);
			else if (c < 0x800) {
				buf_putc(&b, (char)(0xC0 | c >> 6));
				buf_putc(&b, (char)(0x80 | (c & 0x3F)));
			} else if (c < 0x10000) {
				buf_putc(&b, (char)(0xE0 | c >> 12));
				buf_putc(&b, (char)(0x80 | (c >> 6 & 0x3F)));
				buf_putc(&b, (char)(0x80 | (c & 0x3F)));
			} else {
				buf_putc(&b, (char)(0xF0 | c >> 18));
				buf_putc(&b, (char)(0x80 | (c >> 12 & 0x3F)));
				buf_putc(&b, (char)(0x80 | (c >> 6 & 0x3F)));
				buf_putc(&b, (char)(0x80 | (c & 0x3F)));
			}
			break;
		}
		case 0:
			buf_free(&b);
			return NULL;
		default: buf_putc(&b, *p); break; /* " \ / */
		}
		p++;
	}
	if (*p != '"') {
		buf_free(&b);
		return NULL;
	}
	*pp = p + 1;
	const char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* One field of a stored record (as store_record_cursor reads it) as an
 * export cell. A text where a number belongs is written as text; a number
 * where a text belongs is an empty cell. */
static XlsxCell export_cell(const Actor *who, const Field *f, const StoreValue *val)
{
	if (val->type == SV_NULL)
		return xlsx_empty();
	const char *text = val->type == SV_TEXT ? val->text : NULL;
	if (strcmp(f->name, "review_status") == 0)
		return xlsx_str(review_status_zh(text));
	switch (f->type) {
	case FT_INT:
	case FT_REAL:
	case FT_REF:
		return val->type == SV_NUM ? xlsx_num(val->num) : xlsx_str(text);
	case FT_DATE:
		return xlsx_date(text);
	case FT_BOOL:
		return xlsx_str(val->type == SV_NUM && val->num != 0 ? "是" : "否");
	case FT_CODE:
	case FT_AREA:
	case FT_LAYOUT:
		return xlsx_str(code_label(who, f, text));
	case FT_CODES: {
		/* a JSON array of codes, as stored */
		const char *p = text;
		while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (!p || *p != '[')
			return xlsx_empty();
		p++;
		Buf b = {0};
		while (*p && *p != ']') {
			if (*p == '"') {
				p++;
				const char *item = jstr(&p, who->arena);
				if (!item)
					break;
				if (b.len)
					buf_puts(&b, "、");
				buf_puts(&b, code_label(who, f, item));
			} else {
				p++;
			}
		}
		const char *s = arena_strdup(who->arena, buf_str(&b));
		buf_free(&b);
		return *s ? xlsx_str(s) : xlsx_empty();
	}
	default:
		return xlsx_str(text);
	}
}

/* Which columns a file has: every field, or all but the review status. */
static int column_wanted(const Field *f, int with_status)
{
	return with_status || strcmp(f->name, "review_status") != 0;
}

static const char *ref_label(const char *table)
{
	if (strcmp(table, "operator") == 0)
		return "运营机构";
	if (strcmp(table, "base") == 0)
		return "孵化基地";
	if (strcmp(table, "fund") == 0)
		return "基金";
	return table;
}

/* What a column holds and how to fill it, in one line for people. */
static const char *field_rule(const Actor *who, const Field *f, const char *const *choices)
{
	Arena *a = who->arena;
	if (strcmp(f->name, "id") == 0)
		return "留空表示新增记录；填写已有记录的编号表示修改该记录（从列表页导出的表格已带编号，请勿改动）。";
	if (strcmp(f->name, "review_status") == 0)
		return "仅供查看，导入时忽略；新增和修改的审核按平台规则进行。";
	Buf b = {0};
	if (f->flags & FF_REQUIRED)
		buf_puts(&b, "必填。");
	switch (f->type) {
	case FT_TEXT:
		buf_printf(&b, "文本，最多 %d 个字。", f->max_len / 3);
		break;
	case FT_INT:
		buf_printf(&b, "整数，%.0f 到 %.0f。", f->min, f->max);
		break;
	case FT_REAL:
		buf_printf(&b, "数字，%.0f 到 %.0f，不带单位和千分位逗号。", f->min, f->max);
		break;
	case FT_DATE:
		buf_puts(&b, "日期，填写为日期或 年-月-日 文本（如 2023-06-30）。");
		break;
	case FT_BOOL:
		buf_puts(&b, "填写“是”或“否”。");
		break;
	case FT_USCC:
		buf_puts(&b, "18 位统一社会信用代码，含校验位。");
		break;
	case FT_REF:
		buf_printf(&b, "已登记的%s的名称（名称重复时写“名称（区域）”），或其编号。", ref_label(f->list));
		break;
	case FT_CODES:
		buf_puts(&b, "可多选，多个值用顿号“、”分隔。");
		/* fall through */
	case FT_CODE:
	case FT_AREA:
	case FT_LAYOUT:
		buf_puts(&b, f->type == FT_CODES ? "可选值：" : "从下拉列表选择，可选值：");
		for (int i = 0; choices && choices[i]; i++)
			buf_printf(&b, "%s%s", i ? "、" : "", choices[i]);
		buf_puts(&b, "。");
		break;
	}
	if (f->hint)
		buf_printf(&b, "%s。", f->hint);
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

const char *const *transfer_instructions(const Actor *who, const Kind *k, int with_status,
                                         const char *const *const *choices, const char *first)
{
	Arena *a = who->arena;
	const char **lines = NULL;
	int n = 0, cap = 0;
#define LINE(s) (*(const char **)arena_push(a, &lines, &n, &cap, sizeof *lines) = (s))
	LINE(first);
	LINE(arena_printf(a, "1. 在“%s”工作表中每行填写一条记录；第 1 行是表头，请勿修改表头。不需要的列可以删除，“编号”列和必填列请保留。", k->label));
	LINE("2. “编号”留空表示新增记录；填写已有记录的编号表示修改该记录。可先在列表页“导出 Excel”，修改后再导入；未改动的行不会写入。");
	LINE("3. 必填列见下表。日期填写为日期格式或 年-月-日 文本（如 2023-06-30）；数字不带单位和千分位逗号；是/否 列填写“是”或“否”。");
	LINE("4. 有下拉列表的列请从列表中选择（也可填写代码）；可多选的列用顿号“、”分隔多个值。");
	LINE("5. 导入时先逐行检查，列出每个错误的行号（与 Excel 行号一致）、列名和原因；全部无误才能“全部导入”，也可明确选择“只导入无误的行”。导入在一个事务中完成：要么全部写入，要么都不写入。");
	LINE("6. 镇街、功能区填报员只能导入本辖区的记录；新增记录经市专班办公室审核通过后才计入统计，对已通过记录的修改在审核通过前不生效。");
	LINE(arena_printf(a, "7. 每次最多导入 %d 行；文件可为 .xlsx，或 UTF-8（带或不带 BOM）、GB18030 编码的 .csv。", TRANSFER_MAX_ROWS));
	LINE("");
	LINE("各列说明：");
	for (int i = 0; i < k->nfields; i++) {
		const Field *f = &k->fields[i];
		if (!column_wanted(f, with_status))
			continue;
		LINE(arena_printf(a, "%s%s:%s", f->label, f->flags & FF_REQUIRED ? "（必填）" : "", field_rule(who, f, choices[i])));
	}
	LINE(NULL);
#undef LINE
	return lines;
}


XlsxColumn *transfer_sheet_columns(const Actor *who, const Kind *k, int with_status, const char *own_area, int *ncols,
                                   const char *const **choices)
{
	XlsxColumn *cols = arena_alloc(who->arena, sizeof *cols * (size_t)k->nfields);
	int n = 0;
	for (int i = 0; i < k->nfields; i++) {
		const Field *f = &k->fields[i];
		choices[i] = field_choices(who, f, f->type == FT_AREA ? own_area : NULL);
		if (!column_wanted(f, with_status))
			continue;
		XlsxColumn *c = &cols[n++];
		c->header = f->label;
		c->type = f->type == FT_DATE ? XLSX_DATE
		        : f->type == FT_INT || f->type == FT_REAL || f->type == FT_REF ? XLSX_NUMBER : XLSX_STRING;
		if (f->type != FT_CODES && !(f->flags & FF_READONLY))
			c->choices = choices[i];
		const char *rule = field_rule(who, f, f->type == FT_CODES ? choices[i] : NULL);
		c->note = rule;
	}
	*ncols = n;
	return cols;
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break. Text that a spreadsheet would take for a formula gets a leading '. */
static void csv_field(Buf *b, const char *s, int text)
{
	if (!s)
		return;
	int guard = text && strchr("=+-@", s[0]) && s[0];
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '));
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (guard)
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* ---- export ---- */

/* An export being written: the records read one at a time from one read
 * transaction (store_record_cursor), each turned into cells and written
 * out (xlsx_stream.c, or CSV lines) as the reader takes the bytes; memory
 * does not grow with the rows. */
struct TransferExport {
	Store *s;
	RecordCursor *cur;
	Actor who;           /* the caller's, with the export's own arena */
	Arena keep;          /* columns, choices, names: as long as the export */
	Arena row;           /* one record's memory, freed at the next */
	const Kind *k;
	ExportFormat format;
	long long total;
	int ncols;
	XlsxColumn *cols;
	const char *const *choices[REG_MAX_FIELDS];
	StoreValue *vals;    /* the current record's, by the cursor's column (the texts are the cursor's) */
	int col[REG_MAX_FIELDS]; /* each field's column in vals */
	int failed;
	XlsxStream *x;
	Buf csv;             /* CSV not yet taken */
	size_t csv_taken;
	int csv_rows, csv_started, csv_done;
	double started;
	char err[256];
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The next record's values (in e->vals), 1; 0 at the end or when the read
 * failed (e->failed). */
static int next_record(TransferExport *e)
{
	arena_free(&e->row);
	if (e->failed)
		return 0;
	if (mono_now() - e->started > TRANSFER_EXPORT_SECONDS) {
		/* the read transaction is not held for ever by a client that does not read */
		snprintf(e->err, sizeof e->err, "导出超过 %d 秒未完成，已停止", TRANSFER_EXPORT_SECONDS);
		e->failed = 1;
		return 0;
	}
	int rc = store_record_cursor_next(e->cur, e->vals);
	if (rc < 0) {
		snprintf(e->err, sizeof e->err, "数据读取失败");
		e->failed = 1;
	}
	return rc > 0;
}

static int xlsx_next_row(void *cls, XlsxCell *cells)
{
	TransferExport *e = cls;
	if (!next_record(e))
		return e->failed ? -1 : 0;
	e->who.arena = &e->row;
	for (int i = 0, c = 0; i < e->k->nfields; i++)
		cells[c++] = export_cell(&e->who, &e->k->fields[i], &e->vals[e->col[i]]);
	return 1;
}

static const char *const *xlsx_instructions(void *cls, int n)
{
	TransferExport *e = cls;
	e->who.arena = &e->keep;
	Arena *a = &e->keep;
	char now[21];
	time_now_iso(now);
	const char *first = arena_printf(a, "%s导出，共 %d 条（%s UTC，导出人 %s）。修改后可在“%s › 从 Excel 导入”页面导回。",
	                                 e->k->label, n, now, e->who.name, e->k->label);
	if (e->total > n)
		first = arena_printf(a, "%s注意：符合筛选条件的共 %lld 条，本文件只含前 %d 条；请缩小筛选范围后分批导出。", first,
		                     e->total, n);
	return transfer_instructions(&e->who, e->k, 1, e->choices, first);
}

/* The next CSV lines into b, e->csv (buf_pull's more). */
static int csv_more(void *cls, Buf *b)
{
	TransferExport *e = cls;
	if (e->failed)
		return -1;
	if (e->csv_done)
		return 0;
	if (!e->csv_started) {
		e->csv_started = 1;
		buf_puts(b, "\xEF\xBB\xBF");
		for (int i = 0; i < e->k->nfields; i++) {
			if (i)
				buf_putc(b, ',');
			csv_field(b, e->k->fields[i].label, 0);
		}
		buf_puts(b, "\r\n");
	}
	while (b->len < 65536 && e->csv_rows < TRANSFER_MAX_EXPORT_ROWS) {
		if (!next_record(e))
			break;
		e->who.arena = &e->row;
		for (int i = 0; i < e->k->nfields; i++) {
			const Field *f = &e->k->fields[i];
			if (i)
				buf_putc(b, ',');
			XlsxCell x = export_cell(&e->who, f, &e->vals[e->col[i]]);
			if (x.type == XLSX_NUMBER)
				xlsx_put_number(b, x.number);
			else
				csv_field(b, x.text, f->type == FT_TEXT);
		}
		buf_puts(b, "\r\n");
		e->csv_rows++;
	}
	if (b->len < 65536)
		e->csv_done = 1;
	return e->failed ? -1 : 1;
}

DomResult transfer_export_open(Store *s, const Actor *who, const Kind *k, const RecordFilter *f, ExportFormat format,
                               TransferExport **out, long long *total)
{
	*out = NULL;
	if (who->role == ROLE_ANON || who->role == ROLE_BASE)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "您的账号角色无权导出登记的记录。");
	/* What is not approved is exported only to those who see its area in full. */
	RecordFilter mine = *f;
	int full = who->role == ROLE_ADMIN || who->role == ROLE_VIEWER ||
	           (who->role == ROLE_AREA && f->area && who->scope && strcmp(f->area, who->scope) == 0);
	if (!full && !(f->review_status && strcmp(f->review_status, "approved") == 0)) {
		if (f->review_status)
			return dom_result(DOM_FORBIDDEN, "forbidden_scope",
			                  "只能导出本辖区待审核或退回的记录；请在“区域”筛选中选择本辖区。");
		mine.review_status = "approved";
	}
	mine.limit = TRANSFER_MAX_EXPORT_ROWS;
	mine.offset = 0;
	TransferExport *e = xcalloc(1, sizeof *e);
	e->s = s;
	e->k = k;
	e->format = format;
	e->started = mono_now();
	e->who = *who;
	e->who.arena = &e->keep;
	/* what the caller's memory held: the export may outlive it (a response) */
	e->who.name = arena_strdup(&e->keep, who->name);
	e->who.scope = arena_strdup(&e->keep, who->scope);
	e->who.addr = arena_strdup(&e->keep, who->addr);
	e->cur = store_record_cursor(s, k->name, &mine, &e->total);
	if (!e->cur) {
		transfer_export_close(e);
		return dom_result(DOM_FAILED, "store_error", "数据读取失败，请稍后再试。");
	}
	/* each field's column, by name */
	const char *const *names;
	int n = store_record_cursor_columns(e->cur, &names);
	e->vals = arena_alloc(&e->keep, sizeof *e->vals * (size_t)(n + 1));
	for (int i = 0; i < k->nfields; i++) {
		e->col[i] = -1;
		for (int c = 0; c < n && e->col[i] < 0; c++)
			if (strcmp(names[c], k->fields[i].name) == 0)
				e->col[i] = c;
		if (e->col[i] < 0) { /* store_records.c's columns and registry.c's fields disagree */
			fprintf(stderr, "hatchery: export %s: no column for the field %s\n", k->name, k->fields[i].name);
			transfer_export_close(e);
			return dom_result(DOM_FAILED, "export_failed", "导出失败：数据列不全。请联系管理员。");
		}
	}
	if (total)
		*total = e->total;
	if (format == EXPORT_XLSX) {
		e->cols = transfer_sheet_columns(&e->who, k, 1, NULL, &e->ncols, e->choices);
		XlsxStreamSpec spec = {.name = k->label, .cols = e->cols, .ncols = e->ncols, .next_row = xlsx_next_row,
		                       .instructions = xlsx_instructions, .cls = e, .max_rows = TRANSFER_MAX_EXPORT_ROWS};
		char err[256];
		if (!(e->x = xlsx_stream_new(&spec, err, sizeof err))) {
			transfer_export_close(e);
			return dom_result(DOM_FAILED, "export_failed", arena_printf(who->arena, "导出失败：%s。请稍后再试。", err));
		}
	}
	*out = e;
	return dom_result(DOM_OK, NULL, NULL);
}

long transfer_export_read(TransferExport *e, void *buf, size_t max)
{
	if (e->format == EXPORT_XLSX) {
		long n = xlsx_stream_read(e->x, buf, max);
		if (n < 0 && !e->err[0])
			snprintf(e->err, sizeof e->err, "%s", xlsx_stream_error(e->x));
		return n;
	}
	return buf_pull(&e->csv, &e->csv_taken, csv_more, e, buf, max);
}

const char *transfer_export_error(const TransferExport *e)
{
	return e->err[0] ? e->err : "导出失败";
}

long long transfer_export_rows(const TransferExport *e)
{
	return e->format == EXPORT_XLSX ? xlsx_stream_rows(e->x) : e->csv_rows;
}

void transfer_export_close(TransferExport *e)
{
	if (!e)
		return;
	xlsx_stream_free(e->x);
	store_record_cursor_close(e->cur);
	buf_free(&e->csv);
	arena_free(&e->row);
	arena_free(&e->keep);
	free(e);
}

DomResult transfer_export(Store *s, const Actor *who, const Kind *k, const RecordFilter *f, ExportFormat format,
                          Buf *out, long long *total)
{
	TransferExport *e;
	DomResult res = transfer_export_open(s, who, k, f, format, &e, total);
	if (res.code != DOM_OK)
		return res;
	char piece[65536];
	long n;
	while ((n = transfer_export_read(e, piece, sizeof piece)) > 0)
		buf_append(out, piece, (size_t)n);
	if (n < 0)
		res = dom_result(DOM_FAILED, "export_failed",
		                 arena_printf(who->arena, "导出失败：%s。请稍后再试。", transfer_export_error(e)));
	transfer_export_close(e);
	return res;
}

