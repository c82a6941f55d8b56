/*
 * transfer.c — the registry's records in from spreadsheets, and the import
 * templates, for every kind registry.c describes, whoever asks: the pages
 * and API (page_transfer.c) and the command line (`hatchery import`). The
 * exports and the columns both share are in transfer_export.c.
 *
 * Columns are the kind's fields in order: 编号 (the id) first, the writable
 * fields, and in exports 审核状态 last (read-only: ignored on import). An
 * export holds what a list's filters match (up to TRANSFER_MAX_ROWS), with
 * Chinese headers, typed cells and codes as their Chinese labels. An import
 * maps headers to fields by label or API name, turns labels back into
 * codes, checks each row as a create with the actor's scope
 * (records_check), names every error by its row and cell as Excel numbers
 * them, and finds a record or a 统一社会信用代码 given twice; a row whose
 * 编号 is filled changes that record, so an exported file imports back
 * unchanged (rows equal to the stored record are left alone: no write, no
 * audit row). Writing is one transaction with records_save_in_tx per row,
 * so the review rules and the audit trail are those of the forms: all or
 * nothing. A large import saves the rows already checked while it checks
 * the rest, in a thread of its own (pass 2 beside pass 1, below).
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain.h"
#include "transfer_internal.h"
#include "upload.h"
#include "xlsx_write.h"

#define TRANSFER_MAX_ERRORS 10000  /* errors listed in one answer (all are counted) */

/* ---- labels and codes ---- */

/* The code of a label (or of a code) of field f; the input itself when it
 * is neither, so that registry_check names the problem. */
static const char *code_of(const Plan *p, const Field *f, const char *in, Arena *a)
{
	switch (f->type) {
	case FT_AREA: {
		const Area *ar = plan_area_by_name(p, in);
		return ar ? ar->code : in;
	}
	case FT_LAYOUT:
		for (int i = 0; i < p->nlayout_units; i++)
			if (strcmp(p->layout_units[i].name, in) == 0)
				return p->layout_units[i].code;
		return in;
	default:
		if (f->list[0] == '=') {
			const char *codes[32], *labels[32];
			int nc = registry_fixed_pairs(f->list, a, codes, labels, 32);
			for (int i = 0; i < nc; i++)
				if (labels[i] && strcmp(labels[i], in) == 0)
					return codes[i];
			return in;
		}
		for (int i = 0; i < p->nvocab; i++)
			if (strcmp(p->vocab[i].list, f->list) == 0 && strcmp(p->vocab[i].name, in) == 0)
				return p->vocab[i].code;
		return in;
	}
}

/* ---- values for people ---- */

/* A number as short as it reads back exactly: 12, 3500.5, 0.1. */
static const char *num_text(Arena *a, double d)
{
	if (d == floor(d) && fabs(d) < 1e15)
		return arena_printf(a, "%.0f", d == 0 ? 0.0 : d);
	char buf[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return arena_strdup(a, buf);
}

DomResult transfer_template(const Actor *who, const Kind *k, Buf *out)
{
	const char *own = who->role == ROLE_AREA ? who->scope : NULL;
	const char *const *choices[REG_MAX_FIELDS];
	int ncols;
	XlsxColumn *cols = transfer_sheet_columns(who, k, 0, own, &ncols, choices);
	const char *first = arena_printf(who->arena, "《%s》导入模板 · 使用说明（本工作表导入时忽略）", k->label);
	XlsxTable t = {.name = k->label, .cols = cols, .ncols = ncols, .nrows = 0};
	XlsxBook book = {.tables = &t, .ntables = 1, .instructions = transfer_instructions(who, k, 0, choices, first),
	                 .instructions_first = 1};
	char err[256];
	if (xlsx_write_table(NULL, out, &book, err, sizeof err) != H_OK)
		return dom_result(DOM_FAILED, "template_failed", arena_printf(who->arena, "模板生成失败：%s。请稍后再试。", err));
	return dom_result(DOM_OK, NULL, NULL);
}

static const char *trim_copy(Arena *a, const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	/* a no-break or ideographic space at either end, as pasted from web pages */
	for (int again = 1; again;) {
		again = 0;
		if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) { s += 3; n -= 3; again = 1; }
		else if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0) { s += 2; n -= 2; again = 1; }
		if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0) { n -= 3; again = 1; }
		else if (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0) { n -= 2; again = 1; }
	}
	char *t = arena_alloc(a, n + 1);
	memcpy(t, s, n);
	return t;
}

/* The header text as a field name: trimmed, without a required mark
 * ("名称*", "*名称", "名称(必填)"). */
static const char *header_key(Arena *a, const char *text)
{
	const char *t = trim_copy(a, text);
	size_t n = strlen(t);
	static const char *const marks[] = {"（必填）", "（必填）", "*", "*"};
	for (size_t m = 0; m < ARRAY_LEN(marks); m++) {
		size_t ml = strlen(marks[m]);
		if (n > ml && strcmp(t + n - ml, marks[m]) == 0) {
			n -= ml;
			break;
		}
	}
	if (n > 1 && t[0] == '*') {
		t++;
		n--;
	}
	/* ASCII brackets as full-width ones: files made before the labels
	 * took full-width punctuation ("总面积(㎡)") still match. */
	Buf kb = {0};
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '(')
			buf_puts(&kb, "（");
		else if (t[i] == ')')
			buf_puts(&kb, "）");
		else
			buf_putc(&kb, t[i]);
	}
	const char *k = trim_copy(a, buf_str(&kb));
	buf_free(&kb);
	return k;
}

/* "2023/6/30", "2023.6.30", "2023年6月30日", "20230630", "2023-06-30 00:00"
 * → "2023-06-30"; anything else as it is (registry_check names it). */
static const char *norm_date(Arena *a, const char *s)
{
	int y = 0, m = 0, d = 0;
	const char *p = s;
	int digits = 0;
	while (isdigit((unsigned char)p[digits]))
		digits++;
	if (digits == 8 && (!p[8] || p[8] == ' ' || p[8] == 'T')) {
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		m = (p[4] - '0') * 10 + (p[5] - '0');
		d = (p[6] - '0') * 10 + (p[7] - '0');
	} else {
		if (digits != 4)
			return s;
		y = digits_value(p, 4);
		p += 4;
		static const char *const seps1[] = {"-", "/", ".", "年"}, *const seps2[] = {"-", "/", ".", "月"};
		size_t sl = 0;
		for (size_t i = 0; i < 4 && !sl; i++)
			if (strncmp(p, seps1[i], strlen(seps1[i])) == 0)
				sl = strlen(seps1[i]);
		if (!sl)
			return s;
		p += sl;
		if (!isdigit((unsigned char)*p))
			return s;
		m = (int)strtol(p, (char **)&p, 10);
		sl = 0;
		for (size_t i = 0; i < 4 && !sl; i++)
			if (strncmp(p, seps2[i], strlen(seps2[i])) == 0)
				sl = strlen(seps2[i]);
		if (!sl || !isdigit((unsigned char)p[sl]))
			return s;
		p += sl;
		d = (int)strtol(p, (char **)&p, 10);
		if (strncmp(p, "日", strlen("日")) == 0)
			p += strlen("日");
		if (*p && *p != ' ' && *p != 'T')
			return s;
	}
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000)
		return s;
	const char *iso = arena_printf(a, "%04d-%02d-%02d", y, m, d);
	return date_valid(iso) ? iso : s;
}

static int is_sep(const char *p, size_t *len)
{
	static const char *const seps[] = {",", ";", " ", "\t", "\n", "\r", "、", ",", ";"};
	for (size_t i = 0; i < ARRAY_LEN(seps); i++)
		if (strncmp(p, seps[i], strlen(seps[i])) == 0) {
			*len = strlen(seps[i]);
			return 1;
		}
	return 0;
}

/* An import in progress. */
typedef struct Import {
	Store *s;
	const Actor *who;
	Arena *a;                      /* the actor's arena: a row's memory while it is checked */
	const Kind *k;
	const XlsxSheet *sh;
	int header;                    /* the sheet row of the header */
	int present[REG_MAX_FIELDS];   /* the column of each field, or -1 */
	int *colmap;                   /* per column: the field, or -1 */
	int ncols;
	json_t *errors;
	int nerrors;                   /* all errors, also those not listed */
	int missing_needed;            /* a new row lacks a required column */
	long long *seen;               /* ids met so far (open addressing), and their rows */
	int *seen_row;
	size_t nseen;
	const char **useen;            /* 统一社会信用代码 met so far (open addressing, nseen slots), and their rows */
	int *useen_row;
	const char **kseen;            /* natural keys of new rows met so far (the same way), and their rows */
	int *kseen_row;
	long long *keyed;              /* per sheet row: the record its natural key names (pass 1 finds) */
	Arena *keep;                   /* what lives as long as the import (the codes met) */
	json_t *results;               /* per row: what was (or would be) done, up to TRANSFER_MAX_RESULTS */
	int nresults;
} Import;

#define TRANSFER_MAX_RESULTS 2000  /* rows listed with what was done (all are counted) */

/* Says what was (done 1) or would be (done 0) done with a good row:
 * "第 5 行：已存在，已更新（编号 12）". action: created, updated, unchanged. */
static void add_result(Import *im, int row, const char *action, long long id, int done, const char *review)
{
	if (im->nresults++ >= TRANSFER_MAX_RESULTS)
		return;
	const char *msg;
	if (!strcmp(action, "created"))
		msg = done ? arena_printf(im->keep, "第 %d 行：已新增（编号 %lld）%s", row, id, review ? review : "")
		           : arena_printf(im->keep, "第 %d 行：将新增", row);
	else if (!strcmp(action, "updated"))
		msg = arena_printf(im->keep, done ? "第 %d 行：已存在，已更新（编号 %lld）%s" : "第 %d 行：已存在（编号 %lld），将更新%s", row, id,
		                   review ? review : "");
	else
		msg = arena_printf(im->keep, done ? "第 %d 行：未变化，已跳过（编号 %lld）%s" : "第 %d 行：未变化（编号 %lld），将跳过%s", row,
		                   id, "");
	json_t *x = json_pack("{s:i,s:s,s:s}", "row", row, "action", action, "message", msg);
	if (id > 0) {
		json_object_set_new(x, "id", json_integer(id));
		json_object_set_new(x, "href", json_string(arena_printf(im->keep, "/%s/%lld", im->k->name, id)));
	}
	json_array_append_new(im->results, x);
}

static void add_error(Import *im, int row, int col, const Field *f, const char *label, const char *msg)
{
	im->nerrors++;
	if (json_array_size(im->errors) >= TRANSFER_MAX_ERRORS)
		return;
	json_t *e = json_pack("{s:i,s:s,s:s?,s:s}", "row", row, "column", label, "field", f ? f->name : NULL, "message", msg);
	if (col >= 0)
		json_object_set_new(e, "cell", json_string(arena_printf(im->a, "%s%d", sheet_col_letters(im->a, col), row)));
	/* a data cell's value as it was typed, so the error can repeat it */
	const char *t = col >= 0 && row - 1 > im->header ? xlsx_cell_text(im->sh, row - 1, col) : NULL;
	if (t && *t)
		json_object_set_new(e, "value", json_string(t));
	json_array_append_new(im->errors, e);
}

/* The row where id was met first, or 0 (and remembers it for row). */
static int seen_before(Import *im, long long id, int row)
{
	size_t h = (size_t)((unsigned long long)id * 11400714819323198485ULL) % im->nseen;
	while (im->seen[h]) {
		if (im->seen[h] == id)
			return im->seen_row[h];
		h = (h + 1) % im->nseen;
	}
	im->seen[h] = id;
	im->seen_row[h] = row;
	return 0;
}

/* The row where a 统一社会信用代码 was met first, or 0 (and remembers it for row). */
static int uscc_seen_before(Import *im, const char *code, int row)
{
	size_t h = (size_t)(hash_fnv1a(code, strlen(code)) % im->nseen);
	while (im->useen[h]) {
		if (strcmp(im->useen[h], code) == 0)
			return im->useen_row[h];
		h = (h + 1) % im->nseen;
	}
	im->useen[h] = arena_strdup(im->keep, code);
	im->useen_row[h] = row;
	return 0;
}

/* The row where a new record's natural key was met first, or 0 (and remembers it for row). */
static int key_seen_before(Import *im, const char *key, int row)
{
	size_t h = (size_t)(hash_fnv1a(key, strlen(key)) % im->nseen);
	while (im->kseen[h]) {
		if (strcmp(im->kseen[h], key) == 0)
			return im->kseen_row[h];
		h = (h + 1) % im->nseen;
	}
	im->kseen[h] = arena_strdup(im->keep, key);
	im->kseen_row[h] = row;
	return 0;
}

/* A cell as the text registry_check reads; *err for a cell no value can come from. */
static const char *cell_value(Import *im, const Field *f, const XlsxCell *c, Arena *a, const char **err)
{
	if (!c || c->type == XLSX_EMPTY || !c->text)
		return "";
	if (c->type == XLSX_ERROR) {
		*err = arena_printf(a, "单元格是公式错误 %s，请改为具体的值。", c->text);
		return "";
	}
	const char *t = c->type == XLSX_STRING ? trim_copy(a, c->text) : c->text;
	switch (f->type) {
	case FT_INT:
	case FT_REAL:
	case FT_REF:
		if (c->type == XLSX_NUMBER)
			return num_text(a, c->number);
		if (f->type == FT_REF && t[0] == '#') {
			/* "#12 名称" as the pages show it */
			char *copy = arena_strdup(a, t + 1);
			copy[strcspn(copy, " ")] = 0;
			return copy;
		}
		if (strchr(t, ',')) {
			/* 12,000.5: thousands separators */
			char *copy = arena_strdup(a, t), *o = copy;
			for (const char *q = t; *q; q++)
				if (*q != ',')
					*o++ = *q;
			*o = 0;
			char *end;
			if (*copy && (strtod(copy, &end), !*end))
				return copy;
		}
		return t;
	case FT_DATE:
		if (c->type == XLSX_DATE)
			return c->text;
		if (c->type == XLSX_NUMBER && c->number >= 1 && c->number < 2958466) {
			char day[11];
			if (xlsx_serial_to_date(c->number, im->sh->date1904, day) == H_OK)
				return arena_strdup(a, day);
		}
		return norm_date(a, t);
	case FT_BOOL: {
		static const char *const yes[] = {"是", "1", "TRUE", "true", "True", "Y", "y", "yes", "Yes", "√", "有"};
		static const char *const no[] = {"否", "0", "FALSE", "false", "False", "N", "n", "no", "No", "×", "无"};
		for (size_t i = 0; i < ARRAY_LEN(yes); i++)
			if (strcmp(t, yes[i]) == 0)
				return "1";
		for (size_t i = 0; i < ARRAY_LEN(no); i++)
			if (strcmp(t, no[i]) == 0)
				return "0";
		return t;
	}
	case FT_CODE:
	case FT_AREA:
	case FT_LAYOUT:
		return code_of(im->who->plan, f, t, a);
	case FT_CODES: {
		if (t[0] == '[')
			return t;
		json_t *arr = json_array();
		const char *p = t;
		while (*p) {
			size_t sl;
			while (*p && is_sep(p, &sl))
				p += sl;
			if (!*p)
				break;
			const char *start = p;
			while (*p && !is_sep(p, &sl))
				p++;
			char *item = arena_alloc(a, (size_t)(p - start) + 1);
			memcpy(item, start, (size_t)(p - start));
			json_array_append_new(arr, json_string(code_of(im->who->plan, f, item, a)));
		}
		char *s = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		const char *out = arena_strdup(a, s ? s : "[]");
		free(s);
		return strcmp(out, "[]") == 0 ? "" : out;
	}
	default:
		/* text: what a CSV export guarded against formulas ('=...) comes back as it was */
		if (c->type == XLSX_STRING && t[0] == '\'' && t[1] && strchr("=+-@", t[1]))
			return t + 1;
		return t;
	}
}

/* Whether a value equals the stored one, as the database would keep it. */
static int same_value(const Field *f, const char *x, const char *y)
{
	x = x ? x : "";
	y = y ? y : "";
	if (f->type == FT_CODES) {
		if (strcmp(x, "[]") == 0)
			x = "";
		if (strcmp(y, "[]") == 0)
			y = "";
	}
	if (!*x || !*y)
		return !*x && !*y;
	if (f->type == FT_INT || f->type == FT_REAL || f->type == FT_REF || f->type == FT_BOOL) {
		char *ex, *ey;
		double a = strtod(x, &ex), b = strtod(y, &ey);
		if (!*ex && !*ey)
			return a == b;
	}
	/* a line break is a line break, CR LF or LF */
	while (*x && *y) {
		if (x[0] == '\r' && x[1] == '\n')
			x++;
		if (y[0] == '\r' && y[1] == '\n')
			y++;
		if (*x != *y)
			return 0;
		x++;
		y++;
	}
	return !*x && !*y;
}

static int row_is_empty(const Import *im, int ri)
{
	const XlsxSheet *sh = im->sh;
	for (int c = 0; c < sh->rowlen[ri] && c < im->ncols; c++)
		if (im->colmap[c] >= 0 && xlsx_cell(sh, ri, c))
			return 0;
	return 1;
}

/* Builds and checks the data row ri of the sheet as a create or (编号) a
 * change; emit: records its errors. *id: the record it changes (0: new);
 * *unchanged: it equals the stored record. Returns 1 when the row is good.
 * Allocates in the actor's arena. */
static int check_row(Import *im, int ri, Values *v, long long *id, int *unchanged, int emit)
{
	const Actor *who = im->who;
	const Kind *k = im->k;
	Arena *a = im->a;
	int row = ri + 1; /* as Excel numbers it */
	memset(v, 0, sizeof *v);
	v->kind = k;
	*id = 0;
	*unchanged = 0;
	const char *pre[REG_MAX_FIELDS] = {0};
	for (int fi = 0; fi < k->nfields; fi++) {
		const Field *f = &k->fields[fi];
		if (im->present[fi] < 0 || (f->flags & FF_READONLY))
			continue;
		v->v[fi] = cell_value(im, f, xlsx_cell(im->sh, ri, im->present[fi]), a, &pre[fi]);
	}
	/* 编号: the record this row changes */
	int idf = registry_field_index(k, "id"), idcol = im->present[idf];
	const char *id_err = NULL;
	Values cur;
	int have_cur = 0;
	const XlsxCell *ic = idcol >= 0 ? xlsx_cell(im->sh, ri, idcol) : NULL;
	const char *it = ic && ic->type != XLSX_EMPTY && ic->text
	               ? (ic->type == XLSX_NUMBER ? num_text(a, ic->number) : trim_copy(a, ic->text)) : "";
	if (it[0] == '#')
		it++;
	if (*it) {
		char *end;
		long long n = strtoll(it, &end, 10);
		const char *json = NULL;
		const char *area = NULL;
		if (*end || n <= 0)
			id_err = "编号应为已有记录的编号（正整数）；新增记录请把编号留空。";
		else if (!(json = store_record_json(im->s, a, k->name, n)))
			id_err = arena_printf(a, "没有编号为 %lld 的%s；新增记录请把编号留空。", n, k->label);
		else {
			registry_from_record_json(a, k, json, &cur);
			have_cur = 1;
			*id = n;
			int ai = registry_field_index(k, "area");
			area = ai >= 0 ? cur.v[ai] : NULL;
			int first;
			if (who->role == ROLE_AREA && !(area && who->scope && strcmp(area, who->scope) == 0))
				id_err = arena_printf(a, "编号 %lld 的记录属于%s，只能修改本辖区的记录。", n, area_name(who->plan, area));
			else if (emit && (first = seen_before(im, n, row)) != 0)
				id_err = arena_printf(a, "编号 %lld 与第 %d 行重复：同一记录只能出现一次。", n, first);
		}
	}
	/* no 编号: the record the row's natural key names, if any (a re-import
	 * updates it, or leaves it when nothing changed, never a second one) */
	records_derive(im->s, who, k, v);
	const char *const *key = registry_natural_key(k, v);
	const char *key_err = NULL;
	if (!*it && !id_err) {
		long long kid = 0;
		if (emit) {
			kid = records_find_by_key(im->s, who, k, v);
			im->keyed[ri] = kid > 0 ? kid : 0;
		} else {
			kid = im->keyed[ri];
		}
		const char *json = kid > 0 ? store_record_json(im->s, a, k->name, kid) : NULL;
		if (json) {
			registry_from_record_json(a, k, json, &cur);
			have_cur = 1;
			*id = kid;
			int ai = registry_field_index(k, "area"), first;
			const char *area = ai >= 0 ? cur.v[ai] : NULL;
			if (who->role == ROLE_AREA && !(area && who->scope && strcmp(area, who->scope) == 0))
				key_err = arena_printf(a, "已有%s相同的%s（编号 %lld），属于%s；只能修改本辖区的记录。",
				                      registry_key_words(k, key, a), k->label, kid, area_name(who->plan, area));
			else if (emit && (first = seen_before(im, kid, row)) != 0)
				key_err = arena_printf(a, "与第 %d 行是同一条%s（%s相同，编号 %lld）：同一记录只能出现一次。", first,
				                      k->label, registry_key_words(k, key, a), kid);
		} else if (emit && key && strcmp(key[0], "uscc") != 0) {
			/* two new rows naming the same record */
			Buf kb = {0};
			for (int i = 0; key[i]; i++)
				buf_printf(&kb, "%s\x1f", v->v[registry_field_index(k, key[i])]);
			int first = key_seen_before(im, buf_str(&kb), row);
			buf_free(&kb);
			if (first)
				key_err = arena_printf(a, "与第 %d 行的%s相同：同一%s只能出现一次。", first, registry_key_words(k, key, a),
				                      k->label);
		}
	}
	if (have_cur)
		registry_merge(v, &cur);
	/* Pass 2 saves what this pass made of the row (Checked), in the same
	 * transaction: what was found in the database still holds (the rows of
	 * one kind never refer to records of that kind). */
	const char *refusal = NULL;
	if (records_check(emit ? im->s : NULL, who, k, *id, v, have_cur ? &cur : NULL, &refusal) < 0 && !id_err)
		id_err = refusal;
	for (int fi = 0; fi < k->nfields; fi++)
		if (pre[fi]) {
			if (!v->err[fi])
				v->nerr++;
			v->err[fi] = pre[fi];
		}
	/* a 统一社会信用代码 names one firm: twice in one file is an error of the second row */
	int ui = registry_field_index(k, "uscc"), first_row;
	if (emit && ui >= 0 && v->v[ui] && *v->v[ui] && !v->err[ui] && (first_row = uscc_seen_before(im, v->v[ui], row)) != 0) {
		v->err[ui] = arena_printf(a, "统一社会信用代码与第 %d 行重复：同一企业只能出现一次。", first_row);
		v->nerr++;
	}
	if (have_cur && !v->nerr && !id_err) {
		int same = 1;
		for (int fi = 0; fi < k->nfields && same; fi++)
			if (!(k->fields[fi].flags & FF_READONLY))
				same = same_value(&k->fields[fi], v->v[fi], cur.v[fi]);
		*unchanged = same;
	}
	if (emit) {
		if (id_err)
			add_error(im, row, idcol, &k->fields[idf], k->fields[idf].label, id_err);
		if (key_err) {
			int kf = registry_field_index(k, key[0]);
			add_error(im, row, im->present[kf], &k->fields[kf], k->fields[kf].label, key_err);
		}
		for (int fi = 0; fi < k->nfields; fi++) {
			const Field *f = &k->fields[fi];
			if (!v->err[fi])
				continue;
			if (im->present[fi] < 0 && (f->flags & FF_REQUIRED) && !have_cur) {
				im->missing_needed = 1; /* said once, for the header */
				continue;
			}
			add_error(im, row, im->present[fi], f, f->label, v->err[fi]);
		}
	}
	return !v->nerr && !id_err && !key_err;
}

/* A good row as pass 1 made it (its values derived, merged and checked),
 * kept for pass 2: the import checks each row once. Pass 2 runs in the
 * transaction pass 1 ran in, so what pass 1 found in the database holds. */
typedef struct Checked {
	const char **v;     /* per field: the value to save; NULL: not kept */
	long long id;       /* the record the row changes, 0: new */
	int unchanged;
} Checked;

static void checked_keep(Checked *c, const Values *v, long long id, int unchanged, Arena *keep)
{
	const Kind *k = v->kind;
	c->v = arena_alloc(keep, sizeof *c->v * (size_t)(k->nfields ? k->nfields : 1));
	for (int fi = 0; fi < k->nfields; fi++)
		c->v[fi] = v->v[fi] ? (*v->v[fi] ? arena_strdup(keep, v->v[fi]) : "") : NULL;
	c->id = id;
	c->unchanged = unchanged;
}

/* The values pass 1 kept for a good row; 0 if none were kept. */
static int checked_values(const Checked *c, const Kind *k, Values *v, long long *id, int *unchanged)
{
	if (!c || !c->v)
		return 0;
	memset(v, 0, sizeof *v);
	v->kind = k;
	for (int fi = 0; fi < k->nfields; fi++)
		v->v[fi] = c->v[fi];
	*id = c->id;
	*unchanged = c->unchanged;
	return 1;
}

#define CREATE_BATCH 256 /* new records saved together (their audit rows in one statement) */

/* Saves the n new records of pass 2 whose checked values are rows[i]
 * (sheet rows rowno[i]) with records_create_many_in_tx, and says so in the
 * results. Allocates in im->keep. */
static DomResult save_created(Import *im, const char *const *const *rows, const int *rowno, int n, long long *ids,
                              int *created, int *pending)
{
	int at;
	DomResult res = records_create_many_in_tx(im->s, im->who, im->k, rows, n, ids, &at);
	if (!dom_done(res)) {
		int row = (at >= 0 ? rowno[at] : rowno[0]) + 1;
		fprintf(stderr, "hatchery: import %s row %d: %s\n", im->k->name, row, store_errmsg(im->s));
		return res.code == DOM_FAILED
		           ? dom_result(DOM_FAILED, "store_error", "保存失败，本次未导入任何记录；请稍后再试。")
		           : dom_result(res.code, res.error, arena_printf(im->keep, "第 %d 行：%s本次未导入任何记录。", row, res.message));
	}
	for (int i = 0; i < n; i++)
		add_result(im, rowno[i] + 1, "created", ids[i], 1, res.code == DOM_PENDING ? "，待市专班审核" : NULL);
	*created += n;
	if (res.code == DOM_PENDING)
		*pending += n;
	return dom_result(DOM_OK, NULL, NULL);
}

/* ---- pass 2: the good rows saved ----
 *
 * Pass 2 saves the rows pass 1 passed, in sheet order, in the import's
 * transaction on its connection. A large import runs the two at once
 * (issue 20: checking was a third of an import's time, saving half): pass 1
 * reads the database through a second connection whose snapshot is the one
 * the import's transaction began with — the import holds the write lock,
 * so nothing else commits, and pass 1 never saw pass 2's writes before
 * either — while a thread of its own saves behind it on the import's
 * connection, which no other thread touches meanwhile. A refusal (an error
 * under mode=all, found late) rolls back what was saved. */

/* How far pass 1 has come, for the saver running beside it. */
typedef struct Progress {
	pthread_mutex_t lock;
	pthread_cond_t moved;
	int upto;  /* the sheet rows below this one are checked */
	int ended; /* pass 1 has checked every row */
	int stop;  /* nothing more is to be saved: the import will be refused */
} Progress;

/* Pass 2: what it saves from, and what it did. */
typedef struct Saver {
	Import im;          /* the saver's copy: its connection, actor and arenas */
	Actor who;          /* the importer, with the saver's own arena */
	Arena keep, row;    /* the import's life (messages), a row's */
	const char *good;   /* per sheet row: pass 1 passed it */
	const Checked *checked;
	Progress *progress; /* NULL: pass 1 has ended */
	int known;          /* rows below this are known to be checked */
	const char *area_on;
	int created, updated, unchanged, pending, proposed;
	DomResult failure;
} Saver;

/* 1 when sheet row ri is there to save (waiting for pass 1 to check it),
 * 0 past the last row, -1 when the import will be refused (nothing more
 * is worth saving). */
static int row_checked(Saver *sv, int ri)
{
	Progress *p = sv->progress;
	if (!p || ri < sv->known)
		return ri < sv->im.sh->nrows;
	pthread_mutex_lock(&p->lock);
	while (ri >= p->upto && !p->ended && !p->stop)
		pthread_cond_wait(&p->moved, &p->lock);
	int stop = p->stop;
	sv->known = p->upto;
	pthread_mutex_unlock(&p->lock);
	return stop ? -1 : ri < sv->known;
}

/* Pass 1 has checked the rows below upto (ended: all of them; stop: the
 * import will be refused). */
static void progress_tell(Progress *p, int upto, int ended, int stop)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->upto = upto;
	p->ended |= ended;
	p->stop |= stop;
	pthread_cond_signal(&p->moved);
	pthread_mutex_unlock(&p->lock);
}

/* Saves the good rows as the forms save them: new records (not bases) in
 * runs of up to CREATE_BATCH, whose audit rows are written by one
 * statement (records_create_many_in_tx); the rest one by one
 * (records_save_in_tx). Stops at the first failure. A thread's body. */
static void *save_rows(void *arg)
{
	Saver *sv = arg;
	Import *im = &sv->im;
	const Kind *k = im->k;
	const char *const *batch[CREATE_BATCH];
	int batch_row[CREATE_BATCH], nbatch = 0;
	long long batch_id[CREATE_BATCH];
	for (int ri = im->header + 1; sv->failure.code == DOM_OK; ri++) {
		int more = row_checked(sv, ri);
		if (more < 0)
			break;
		if (more && !sv->good[ri])
			continue;
		const Checked *c = more ? &sv->checked[ri] : NULL;
		if (c && k != &kind_base && c->v && c->id == 0 && !c->unchanged) {
			batch[nbatch] = c->v;
			batch_row[nbatch++] = ri;
			if (nbatch < CREATE_BATCH)
				continue;
			c = NULL; /* saved with its run, next */
		}
		if (nbatch) { /* a full run, or before a row of another sort, or at the end */
			sv->failure = save_created(im, batch, batch_row, nbatch, batch_id, &sv->created, &sv->pending);
			nbatch = 0;
			arena_free(&sv->row);
		}
		if (!more)
			break;
		if (!c || sv->failure.code != DOM_OK)
			continue;
		Values v;
		long long id, new_id = 0;
		int unchanged;
		if (!checked_values(c, k, &v, &id, &unchanged)) {
			sv->failure = dom_result(DOM_CONFLICT, "changed_meanwhile", "数据在检查后被他人修改，本次未导入任何记录；请重新上传检查。");
		} else if (unchanged) {
			sv->unchanged++;
			add_result(im, ri + 1, "unchanged", id, 1, NULL);
		} else {
			DomResult res = records_save_in_tx(im->s, &sv->who, k, id, &v, sv->area_on, &new_id);
			if (!dom_done(res)) {
				fprintf(stderr, "hatchery: import %s row %d: %s\n", k->name, ri + 1, store_errmsg(im->s));
				sv->failure = res.code == DOM_FAILED
				                  ? dom_result(DOM_FAILED, "store_error", "保存失败，本次未导入任何记录；请稍后再试。")
				                  : dom_result(res.code, res.error,
				                               arena_printf(&sv->keep, "第 %d 行：%s本次未导入任何记录。", ri + 1, res.message));
			} else {
				sv->created += id == 0;
				sv->updated += id != 0;
				sv->pending += res.code == DOM_PENDING;
				sv->proposed += res.code == DOM_PROPOSED;
				add_result(im, ri + 1, id == 0 ? "created" : "updated", id ? id : new_id, 1,
				           res.code == DOM_PENDING ? "，待市专班审核" : res.code == DOM_PROPOSED ? "，修改待市专班审核" : NULL);
			}
		}
		arena_free(&sv->row);
	}
	/* a statement that failed on this thread makes the transaction one
	 * that cannot commit: the importer's thread commits it */
	if (sv->failure.code == DOM_OK && store_tx_failed(im->s))
		sv->failure = dom_result(DOM_FAILED, "store_error", "保存失败，本次未导入任何记录；请稍后再试。");
	return NULL;
}

/* A second connection to s's database for pass 1, in a read transaction
 * that sees the database as s's transaction began with it (s holds the
 * write lock), with the import's lookups kept; NULL when there is none (a
 * database in memory, a failure: the passes then run one after the other). */
static Store *open_checker(Store *s)
{
	Store *r = store_open_reader(s);
	if (r)
		store_memo_begin(r, 0); /* the lookups kept; its page cache left as it is */
	return r;
}

/* Maps the header row to fields; header problems are errors of row 1
 * (as Excel numbers the header) and block the import. Returns the number of
 * blocking problems. */
static int read_header(Import *im)
{
	const XlsxSheet *sh = im->sh;
	const Kind *k = im->k;
	Arena *a = im->a;
	int hr = im->header, blocking = 0;
	im->ncols = sh->rowlen[hr];
	im->colmap = arena_alloc(a, sizeof *im->colmap * (size_t)(im->ncols + 1));
	for (int i = 0; i < REG_MAX_FIELDS; i++)
		im->present[i] = -1;
	for (int c = 0; c < im->ncols; c++) {
		im->colmap[c] = -1;
		const char *text = xlsx_cell_text(sh, hr, c);
		if (!text || !*trim_copy(a, text))
			continue;
		const char *key = header_key(a, text);
		int fi = -1;
		for (int i = 0; i < k->nfields && fi < 0; i++)
			if (strcmp(k->fields[i].label, key) == 0 || strcmp(k->fields[i].name, key) == 0)
				fi = i;
		if (fi < 0) {
			add_error(im, hr + 1, c, NULL, text,
			          arena_printf(a, "没有“%s”这一列：请使用模板中的列名（见模板的“说明”工作表），或删除该列。", text));
			blocking++;
		} else if (im->present[fi] >= 0) {
			add_error(im, hr + 1, c, &k->fields[fi], text,
			          arena_printf(a, "“%s”列重复（第 %s 列和第 %s 列），请删除其中一列。", k->fields[fi].label,
			                       sheet_col_letters(a, im->present[fi]), sheet_col_letters(a, c)));
			blocking++;
		} else {
			im->present[fi] = c;
			im->colmap[c] = fi;
		}
	}
	return blocking;
}

static json_t *errors_sorted_header_first(Import *im, json_t *header_errors)
{
	if (!json_array_size(header_errors)) {
		json_decref(header_errors);
		return im->errors;
	}
	json_array_extend(header_errors, im->errors);
	json_decref(im->errors);
	return header_errors;
}

int import_mode_parse(const char *text, ImportMode *mode)
{
	if (!text || !*text || strcmp(text, "check") == 0)
		*mode = IMPORT_CHECK;
	else if (strcmp(text, "all") == 0)
		*mode = IMPORT_ALL;
	else if (strcmp(text, "good") == 0)
		*mode = IMPORT_GOOD;
	else
		return 0;
	return 1;
}

static const char *const mode_names[] = {"check", "all", "good"};

DomResult transfer_import(Store *s, const Actor *who, const Kind *k, const XlsxSheet *sh, ImportMode mode,
                          json_t **answer_out)
{
	Arena *a = who->arena;
	*answer_out = NULL;
	if (who->role != ROLE_ADMIN && who->role != ROLE_AREA)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室和镇街、功能区填报员可以导入记录。");
	if (who->role == ROLE_AREA && !who->scope)
		return dom_result(DOM_FORBIDDEN, "forbidden_scope", "您的账号没有绑定辖区，不能导入记录。");
	Import im = {.s = s, .who = who, .a = a, .k = k, .sh = sh, .header = -1};
	for (int i = 0; i < sh->nrows && im.header < 0; i++)
		if (sh->rowlen[i] > 0)
			im.header = i;
	if (im.header < 0)
		return dom_result(DOM_INVALID, "no_rows", "文件中没有数据：第 1 行应为表头（列名），从第 2 行起每行一条记录。");
	int data_rows = 0;
	for (int i = im.header + 1; i < sh->nrows; i++)
		data_rows += sh->rowlen[i] > 0;
	if (data_rows > TRANSFER_MAX_ROWS)
		return dom_result(DOM_INVALID, "too_many_rows",
		                  arena_printf(a, "文件有 %d 行数据，超过每次 %d 行的上限；请拆分后分批导入。", data_rows, TRANSFER_MAX_ROWS));
	im.errors = json_array();
	im.results = json_array();
	int blocking = read_header(&im);
	json_t *header_errors = im.errors;
	im.errors = json_array();
	im.nseen = (size_t)data_rows * 2 + 1;
	im.seen = arena_alloc(a, sizeof *im.seen * im.nseen);
	im.seen_row = arena_alloc(a, sizeof *im.seen_row * im.nseen);
	im.useen = arena_alloc(a, sizeof *im.useen * im.nseen);
	im.useen_row = arena_alloc(a, sizeof *im.useen_row * im.nseen);
	im.kseen = arena_alloc(a, sizeof *im.kseen * im.nseen);
	im.kseen_row = arena_alloc(a, sizeof *im.kseen_row * im.nseen);
	im.keyed = arena_alloc(a, sizeof *im.keyed * ((size_t)sh->nrows + 1));
	char *good = arena_alloc(a, (size_t)sh->nrows + 1);
	/* per good row of an import: what pass 1 made of it, for pass 2 to save
	 * (each row is checked once) */
	Checked *checked = mode != IMPORT_CHECK ? arena_alloc(a, sizeof *checked * ((size_t)sh->nrows + 1)) : NULL;

	/* To import, the write transaction starts before the check: nothing can
	 * change between the check and the save, and the many lookups of both
	 * passes run inside one transaction instead of one each. */
	int importing = mode != IMPORT_CHECK;
	if (importing && store_begin(s) != H_OK) {
		json_decref(header_errors);
		json_decref(im.errors);
		json_decref(im.results);
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	}
	/* the lookups the rows repeat (a base's area, a code's firm) answered
	 * from memory after the first, and the page cache sized for the rows,
	 * until the commit or rollback (store_memo.c) */
	if (importing)
		store_memo_begin(s, data_rows);

	/* A large import moves the data stamp once and counts its kind's
	 * records once, instead of a trigger per row for each (0.6 s of 3.5 s
	 * for 100,000 firms with their audit rows). */
	Buf stamp_triggers = {0};
	int bulk = importing && data_rows > TRANSFER_BULK_ROWS;
	if (bulk && store_triggers_suspend(s, k->name, &stamp_triggers) != H_OK) {
		buf_free(&stamp_triggers);
		store_rollback(s);
		json_decref(header_errors);
		json_decref(im.errors);
		json_decref(im.results);
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	}

	/* Pass 2's saver: beside pass 1 for a large import whose header is
	 * right, on a second connection for pass 1 (above save_rows); after it
	 * otherwise. It has its own arenas and, for what it writes, the actor. */
	char today[11];
	date_today(today);
	Saver sv = {.im = im, .who = *who, .area_on = arena_strdup(a, today), .failure = dom_result(DOM_OK, NULL, NULL)};
	sv.who.arena = &sv.row;
	sv.im.who = &sv.who;
	sv.im.a = &sv.row;
	sv.im.keep = &sv.keep;
	sv.good = good;
	sv.checked = checked;
	Progress progress = {.lock = PTHREAD_MUTEX_INITIALIZER};
	Store *checker = bulk && !blocking ? open_checker(s) : NULL;
	pthread_t saver;
	if (checker) {
		pthread_cond_init(&progress.moved, NULL);
		sv.progress = &progress;
		if (pthread_create(&saver, NULL, save_rows, &sv) != 0) {
			store_close(checker);
			checker = NULL;
			sv.progress = NULL;
			pthread_cond_destroy(&progress.moved);
		} else {
			im.s = checker;
		}
	}

	/* Pass 1: every row checked, every error named. A row's memory is its own.
	 * The rows with errors are given back as they were (the page offers them
	 * as a file with an error column, to fix and import again). */
	int rows = 0, ngood = 0;
	json_t *rejected = json_array(), *rejected_columns = json_array();
	for (int c = 0; c < im.ncols; c++) {
		const char *t = xlsx_cell_text(sh, im.header, c);
		json_array_append_new(rejected_columns, json_string(t ? t : ""));
	}
	Arena keep = *a;
	im.keep = &keep;
	for (int ri = im.header + 1; ri < sh->nrows; ri++) {
		if (row_is_empty(&im, ri))
			continue;
		rows++;
		*a = (Arena){0};
		Values v;
		long long id;
		int unchanged;
		good[ri] = (char)check_row(&im, ri, &v, &id, &unchanged, 1);
		if (good[ri] && checked)
			checked_keep(&checked[ri], &v, id, unchanged, &keep);
		if (!good[ri] && json_array_size(rejected) < TRANSFER_MAX_ERRORS) {
			json_t *cells = json_array();
			for (int c = 0; c < im.ncols; c++) {
				const char *t = xlsx_cell_text(sh, ri, c);
				json_array_append_new(cells, json_string(t ? t : ""));
			}
			json_array_append_new(rejected, json_pack("{s:i,s:o}", "row", ri + 1, "cells", cells));
		}
		if (good[ri] && mode == IMPORT_CHECK)
			add_result(&im, ri + 1, id == 0 ? "created" : unchanged ? "unchanged" : "updated", id, 0, NULL);
		arena_free(a);
		*a = keep;
		ngood += good[ri];
		/* the saver is told every 64 rows, and at once of a row that refuses the import */
		if (checker && (!good[ri] || (ri & 63) == 63))
			progress_tell(&progress, ri + 1, 0, !good[ri] && mode == IMPORT_ALL);
	}
	if (checker) {
		progress_tell(&progress, sh->nrows, 1, im.missing_needed && mode == IMPORT_ALL);
		pthread_join(saver, NULL);
		pthread_cond_destroy(&progress.moved);
		store_rollback(checker); /* it read only */
		store_close(checker);
		im.s = s;
	}
	if (im.missing_needed) {
		for (int fi = 0; fi < k->nfields; fi++) {
			const Field *f = &k->fields[fi];
			if ((f->flags & FF_REQUIRED) && im.present[fi] < 0) {
				json_array_append_new(header_errors, json_pack("{s:i,s:s,s:s,s:s}", "row", im.header + 1, "column", f->label,
				                                                "field", f->name, "message",
				                                                arena_printf(a, "缺少必填列“%s”，新增记录无法导入；请从模板复制该列。", f->label)));
				im.nerrors++;
			}
		}
	}
	if (blocking)
		ngood = 0;
	json_t *errors = errors_sorted_header_first(&im, header_errors);
	int error_count = im.nerrors;
	json_t *answer = json_pack("{s:i,s:i,s:i,s:o,s:i,s:s,s:s}", "rows", rows, "good", ngood, "bad", rows - ngood,
	                           "errors", errors, "error_count", error_count, "mode", mode_names[mode],
	                           "sheet", sh->name ? sh->name : "");
	if (json_array_size(errors) < (size_t)error_count)
		json_object_set_new(answer, "errors_truncated", json_true());
	json_object_set_new(answer, "rejected_columns", rejected_columns);
	json_object_set_new(answer, "rejected", rejected);
	json_object_set_new(answer, "imported", json_integer(0));
	/* what each good row was or would be: the answer owns the list, pass 2 fills it */
	json_object_set_new(answer, "results", im.results);
	if (!importing && im.nresults > TRANSFER_MAX_RESULTS)
		json_object_set_new(answer, "results_truncated", json_true());
	*answer_out = answer;
	if (!importing)
		return dom_result(DOM_OK, NULL, error_count ? arena_printf(a, "检查完毕：%d 行中 %d 行有误（共 %d 处错误）。", rows, rows - ngood, error_count)
		                                            : arena_printf(a, "检查完毕：%d 行全部无误。", rows));
	const char *refusal = NULL, *code = NULL;
	if (!rows)
		code = "no_rows", refusal = "文件中没有数据行，未导入任何记录。";
	else if (blocking)
		code = "bad_header", refusal = "表头有误（见第 1 行的错误），未导入任何记录；请改正表头后重新上传。";
	else if (mode == IMPORT_ALL && (ngood < rows || error_count))
		code = "rows_invalid",
		refusal = arena_printf(a, "有 %d 行有误（共 %d 处错误），未导入任何记录；请改正后重新上传，或选择“只导入无误的行”。",
		                       rows - ngood, error_count);
	else if (ngood == 0)
		code = "no_good_rows", refusal = "没有无误的行，未导入任何记录；请按错误列表改正后重新上传。";
	if (refusal) {
		store_rollback(s); /* with what the saver saved meanwhile */
		buf_free(&stamp_triggers);
		arena_free(&sv.keep);
		arena_free(&sv.row);
		json_object_set_new(answer, "error", json_pack("{s:s,s:s}", "code", code, "message", refusal));
		return dom_result(DOM_REFUSED, code, refusal);
	}

	/* Pass 2, if it did not run beside pass 1 */
	if (!sv.progress)
		save_rows(&sv);
	DomResult failure = sv.failure;
	if (failure.message) /* the saver's arenas go below */
		failure.message = arena_strdup(a, failure.message);
	arena_free(&sv.keep);
	arena_free(&sv.row);
	im.nresults = sv.im.nresults;
	int created = sv.created, updated = sv.updated, unchanged_n = sv.unchanged, pending = sv.pending,
	    proposed = sv.proposed;
	if (failure.code == DOM_OK && bulk && store_triggers_restore(s, k->name, &stamp_triggers) != H_OK)
		failure = dom_result(DOM_FAILED, "store_error", "保存失败，本次未导入任何记录；请稍后再试。");
	buf_free(&stamp_triggers);
	if (failure.code == DOM_OK && store_commit(s) != H_OK)
		failure = dom_result(DOM_FAILED, "store_error", "保存失败，本次未导入任何记录；请稍后再试。");
	if (failure.code != DOM_OK) {
		store_rollback(s);
		json_decref(answer);
		*answer_out = NULL;
		return failure;
	}
	json_object_set_new(answer, "imported", json_integer(created + updated + unchanged_n));
	json_object_set_new(answer, "created", json_integer(created));
	json_object_set_new(answer, "updated", json_integer(updated));
	json_object_set_new(answer, "unchanged", json_integer(unchanged_n));
	json_object_set_new(answer, "pending", json_integer(pending));
	json_object_set_new(answer, "proposed", json_integer(proposed));
	if (im.nresults > TRANSFER_MAX_RESULTS)
		json_object_set_new(answer, "results_truncated", json_true());
	return dom_result(DOM_OK, NULL,
	                  arena_printf(a, "已导入 %d 行：新增 %d 条，修改 %d 条，未改动 %d 条（其中 %d 条待审核，%d 项修改待审核）。",
	                               created + updated + unchanged_n, created, updated, unchanged_n, pending, proposed));
}
