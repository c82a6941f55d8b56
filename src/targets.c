/*
 * targets.c — the areas' and departments' targets: setting them (the grid
 * of /targets, PUT /api/v1/targets) and the grid in and out of
 * spreadsheets (pages and API in page_targets.c and page_targets_xlsx.c;
 * `hatchery import targets`, `export targets`). The city's targets come
 * from the plan and are not set here. Every changed target is one audit
 * row; every write is one transaction.
 *
 * The grid: 区域 and one column per plan indicator × year
 * ("新增孵化场地面积(㎡) 2023"), the city's row for reference, and a 说明
 * sheet. An import reads every cell under a known header in a row of a
 * known area: a number ≥ 0 (target_parse_value: commas and 万 allowed) sets
 * the target, an empty cell removes it; columns and rows not in the file
 * are left alone. The city's row is skipped. Unknown areas and headers and
 * bad cells are errors naming the row (as Excel numbers it) and the column.
 * Writing happens only when every cell is good, so an exported file
 * imports back with nothing changed.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "upload.h"
#include "xlsx_write.h"

#define SHEET "目标分解"
#define AREA_HEADER "区域"
#define CITY_ROW "全市目标（规划，仅供参考，导入时忽略）"
#define MAX_ROWS 1000   /* data rows of an import: the plan has a few dozen areas */
#define MAX_ERRORS 1000 /* errors listed in one answer (all are counted) */

/* A value column of the sheet: one plan indicator in one year. */
typedef struct Col {
	const Indicator *ind;
	int year;
	const char *header;
} Col;

/* The header of a value column, as the sheet shows it. */
static const char *col_header(Arena *a, const Indicator *in, int year)
{
	if (in->unit && *in->unit)
		return arena_printf(a, "%s(%s) %d", in->name, in->unit, year);
	return arena_printf(a, "%s %d", in->name, year);
}

/* The value columns in the grid's order: plan indicators, then years. */
static Col *plan_cols(const Actor *who, int *n)
{
	const Plan *p = who->plan;
	Col *cols = arena_alloc(who->arena, sizeof *cols * (size_t)(p->nindicators * p->nyears + 1));
	int k = 0;
	for (int i = 0; i < p->nindicators; i++) {
		if (strcmp(p->indicators[i].kind, "plan") != 0)
			continue;
		for (int y = 0; y < p->nyears; y++) {
			cols[k].ind = &p->indicators[i];
			cols[k].year = p->years[y];
			cols[k].header = col_header(who->arena, cols[k].ind, cols[k].year);
			k++;
		}
	}
	*n = k;
	return cols;
}

static const Target *stored(const Target *t, int n, const char *ind, const char *scope, int year)
{
	for (int i = 0; i < n; i++)
		if (t[i].year == year && strcmp(t[i].indicator, ind) == 0 && strcmp(t[i].scope, scope) == 0)
			return &t[i];
	return NULL;
}

/* Parses a target value: "" (no target) or a number ≥ 0 (commas and a 万
 * suffix accepted, as people type them). Returns NULL when fine (*has 0 for
 * empty), else the Chinese reason. */
const char *target_parse_value(const char *s, double *v, int *has)
{
	*has = 0;
	if (!s)
		return NULL;
	char buf[64];
	size_t o = 0;
	for (const char *p = s; *p && o + 1 < sizeof buf; p++)
		if (*p != ',' && *p != ' ')
			buf[o++] = *p;
	buf[o] = 0;
	if (!*buf)
		return NULL;
	double mult = 1;
	size_t n = strlen(buf);
	if (n >= 3 && strcmp(buf + n - 3, "万") == 0) {
		mult = 1e4;
		buf[n - 3] = 0;
	}
	char *end;
	double d = strtod(buf, &end);
	if (*end || !isfinite(d))
		return "应为数字，如 50000 或 5万；不设目标请留空。";
	if (d < 0)
		return "目标不能为负数。";
	*v = d * mult;
	*has = 1;
	return NULL;
}

/* {"value": v} for the audit trail (malloc'd; NULL when out of memory). */
static char *value_json(double v)
{
	json_t *j = json_pack("{s:f}", "value", v);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
	json_decref(j);
	return s;
}

/* Applies checked target changes with one audit row each; the caller holds
 * the transaction. value_has 0 removes a target. */
static int apply_target(Store *s, const Actor *who, const Target *before, const char *ind, const char *scope, int year,
                        double value, int has)
{
	if (!has && !before)
		return H_OK;
	if (has && before && before->value == value)
		return H_OK;
	int rc = has ? store_target_set(s, ind, scope, year, value, ">=", "entered") : store_target_delete(s, ind, scope, year);
	if (rc != H_OK)
		return H_ERR;
	const char *id = arena_printf(who->arena, "%s/%s/%d", ind, scope, year);
	char *b = before ? value_json(before->value) : NULL, *a = has ? value_json(value) : NULL;
	rc = (before && !b) || (has && !a) ? H_ERR
	   : store_audit(s, who->name, who->addr, has ? (before ? "update" : "create") : "delete", "targets", id, b, a);
	free(b);
	free(a);
	return rc;
}

static DomResult office_only(const Actor *who)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以设定目标。");
	return dom_result(DOM_OK, NULL, NULL);
}

const char *target_check(const Plan *p, const TargetChange *c, const char **field)
{
	int known_year = 0;
	for (int y = 0; y < p->nyears; y++)
		known_year |= p->years[y] == c->year;
	int dept = 0;
	for (int d = 0; c->scope && d < p->ndepartments; d++)
		dept |= strcmp(p->departments[d].code, c->scope) == 0;
	const Area *ar = c->scope ? plan_area(p, c->scope) : NULL;
	if (!c->indicator || !plan_indicator(p, c->indicator))
		return *field = "indicator", "不是规划中的指标代码，可从 /api/v1/plan 查询。";
	if (!ar && !dept)
		return *field = "scope", "不是区域或部门代码。";
	if (ar && strcmp(ar->level, "city") == 0)
		return *field = "scope", "全市目标来自规划文件，不能在此修改。";
	if (!known_year)
		return *field = "year", "不是规划年份。";
	if (c->has && (!isfinite(c->value) || c->value < 0))
		return *field = "value", "目标应为不小于 0 的数字，或 null 表示不设目标。";
	return NULL;
}

DomResult targets_set(Store *s, const Actor *who, const TargetChange *c, int n)
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	for (int i = 0; i < n; i++) {
		const char *field, *why = target_check(who->plan, &c[i], &field);
		if (why)
			return dom_result(DOM_INVALID, "invalid", arena_printf(who->arena, "第 %d 项（%s）：%s", i + 1, field, why));
	}
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	/* read inside the transaction: what is compared is what is changed */
	Target *t;
	int nt = store_targets(s, who->arena, NULL, &t);
	int ok = nt >= 0;
	for (int i = 0; ok && i < n; i++)
		ok = apply_target(s, who, stored(t, nt, c[i].indicator, c[i].scope, c[i].year), c[i].indicator, c[i].scope,
		                  c[i].year, c[i].value, c[i].has) == H_OK;
	if (!ok || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "已保存。");
}

/* ---- the grid as a spreadsheet ---- */

static const char *const *instructions(const Actor *who, const Col *cols, int ncols, const char *first)
{
	const Plan *p = who->plan;
	Arena *a = who->arena;
	const char **lines = NULL;
	int n = 0, cap = 0;
#define LINE(s) (*(const char **)arena_push(a, &lines, &n, &cap, sizeof *lines) = (s))
	LINE(first);
	LINE(arena_printf(a, "1. “%s”工作表每行是一个区域（镇街、功能区），每列是一个规划指标在一个年度的目标，列名如“%s”。"
	                     "请勿修改第 1 行的列名和第 1 列的区域名称；不需要改动的行或列可以删除，文件中没有的目标保持不变。",
	                  SHEET, ncols ? cols[0].header : ""));
	LINE(arena_printf(a, "2. 目标是自 %s 起的累计值，不是当年新增：如“2023”列填写截至 2023 年底累计应完成的数量。", p->start));
	LINE("3. 填写不小于 0 的数字，单位见列名括号（如 ㎡ 为平方米），不要填写单位；可带千分位逗号（如 50,000），也可写作“5万”（即 50000）。");
	LINE("4. 留空表示该区域该年度不设目标：导入时会删除已有的目标。");
	LINE(arena_printf(a, "5. 最后一行“%s”是规划确定的%s目标，供对照各区域合计；全市目标以规划文件为准，不能通过导入修改，导入时忽略该行。",
	                  CITY_ROW, p->city.name));
	LINE("6. 导入时先检查每个格子，列出有误格子的行号（与 Excel 行号一致）、列名和原因；全部无误才能导入。"
	     "导入在一个事务中完成：要么全部写入，要么都不写入；每个改动的目标都记入审计日志。只有市专班办公室可以导入。");
	LINE("7. 文件可为 .xlsx，或同样格式的 .csv（UTF-8，带或不带 BOM，或 GB18030 编码）。");
	LINE("");
	LINE("各指标：");
	for (int i = 0; i < p->nindicators; i++) {
		const Indicator *in = &p->indicators[i];
		if (strcmp(in->kind, "plan") != 0)
			continue;
		LINE(arena_printf(a, "%s：单位 %s。%s", in->name, in->unit && *in->unit ? in->unit : "（无）",
		                  in->measure_zh ? in->measure_zh : ""));
	}
	LINE(NULL);
#undef LINE
	return lines;
}


DomResult targets_grid(Store *s, const Actor *who, int filled, Buf *out)
{
	const Plan *p = who->plan;
	Arena *a = who->arena;
	Target *t;
	int nt = store_targets(s, a, NULL, &t);
	if (nt < 0)
		return dom_result(DOM_FAILED, "store_error", "目标数据读取失败，请稍后再试。");
	int nc;
	Col *vc = plan_cols(who, &nc);
	int ncols = nc + 1;
	XlsxColumn *cols = arena_alloc(a, sizeof *cols * (size_t)ncols);
	cols[0] = (XlsxColumn){.header = AREA_HEADER, .type = XLSX_STRING, .width = 16,
	                       .note = "区域名称，请勿修改；最后一行全市目标仅供参考。"};
	for (int c = 0; c < nc; c++)
		cols[c + 1] = (XlsxColumn){
			.header = vc[c].header,
			.type = XLSX_NUMBER,
			.width = 18,
			.note = arena_printf(a, "自 %s 起至 %d 年底的累计目标，单位 %s；留空表示不设目标。", p->start, vc[c].year,
			                     vc[c].ind->unit && *vc[c].ind->unit ? vc[c].ind->unit : "（无）"),
		};
	/* the areas, a blank row, the city */
	int nrows = p->nareas + 2;
	XlsxCell *cells = arena_alloc(a, sizeof *cells * (size_t)nrows * (size_t)ncols);
	for (int row = 0; row < nrows; row++) {
		XlsxCell *x = &cells[(size_t)row * (size_t)ncols];
		const char *scope = row < p->nareas ? p->areas[row].code : row == p->nareas + 1 ? p->city.code : NULL;
		if (!scope)
			continue;
		x[0] = xlsx_str(row < p->nareas ? p->areas[row].name : CITY_ROW);
		for (int c = 0; c < nc; c++) {
			const Target *v = filled || row > p->nareas ? stored(t, nt, vc[c].ind->code, scope, vc[c].year) : NULL;
			x[c + 1] = v ? xlsx_num(v->value) : xlsx_empty();
		}
	}
	const char *first;
	if (filled) {
		char now[21];
		time_now_iso(now);
		first = arena_printf(a, "目标分解导出（%s UTC）。修改后可在“目标分解 › 从 Excel 导入”页面导回；本工作表导入时忽略。", now);
	} else {
		first = "《目标分解》导入模板 · 使用说明（本工作表导入时忽略）";
	}
	XlsxTable table = {.name = SHEET, .cols = cols, .ncols = ncols, .cells = cells, .nrows = nrows,
	                   .input_rows = p->nareas};
	XlsxBook book = {.tables = &table, .ntables = 1, .instructions = instructions(who, vc, nc, first)};
	char err[256];
	if (xlsx_write_table(NULL, out, &book, err, sizeof err) != H_OK)
		return dom_result(DOM_FAILED, "export_failed", arena_printf(a, "表格生成失败：%s。请稍后再试。", err));
	return dom_result(DOM_OK, NULL, NULL);
}

/* s without white space at either end (ASCII, no-break and ideographic). */
static const char *trim(Arena *a, const char *s)
{
	size_t n = strlen(s);
	for (int again = 1; again;) {
		again = 0;
		if (n && isspace((unsigned char)*s)) { s++; n--; again = 1; }
		else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) { s += 3; n -= 3; again = 1; }
		else if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0) { s += 2; n -= 2; again = 1; }
		if (n && isspace((unsigned char)s[n - 1])) { n--; again = 1; }
		else if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0) { n -= 3; again = 1; }
		else if (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0) { n -= 2; again = 1; }
	}
	char *t = arena_alloc(a, n + 1);
	memcpy(t, s, n);
	return t;
}

/* A header as a key to compare: without white space anywhere, full-width
 * parentheses as ASCII ones, and without a 年 after the year:
 * "新增孵化场地面积(㎡)2023". */
static const char *header_key(Arena *a, const char *s)
{
	char *k = arena_alloc(a, strlen(s) * 3 + 1), *o = k;
	while (*s) {
		if (isspace((unsigned char)*s))
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else if (strncmp(s, "\xC2\xA0", 2) == 0)
			s += 2;
		else if (strncmp(s, "\xEF\xBC\x88", 3) == 0 || strncmp(s, "\xEF\xBC\x89", 3) == 0) {
			*o++ = s[2] == '\x88' ? '(' : ')'; /* full-width ( ) as the plan writes them */
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = 0;
	size_t n = strlen(k);
	if (n > 3 && strcmp(k + n - 3, "年") == 0 && isdigit((unsigned char)k[n - 4]))
		k[n - 3] = 0;
	return k;
}

/* Whether a name in the first column is the city's (its row is for reference only). */
static int is_city(const Plan *p, const char *name)
{
	return strncmp(name, "全市", strlen("全市")) == 0 || strcmp(name, p->city.name) == 0 || strcmp(name, p->city.code) == 0;
}

/* An import in progress. */
typedef struct Import {
	Store *s;
	const Actor *who;
	const XlsxSheet *sh;
	int header;        /* the sheet row of the header */
	const Col **colmap; /* per sheet column: its value column, or NULL */
	const char **names; /* per sheet column: its header as written (trimmed) */
	int ncols;
	json_t *errors;
	int nerrors;       /* all errors, also those not listed */
} Import;

static void add_error(Import *im, int row, int col, const char *column, const char *msg)
{
	im->nerrors++;
	if (json_array_size(im->errors) >= MAX_ERRORS)
		return;
	json_t *e = json_pack("{s:i,s:s,s:s}", "row", row, "column", column ? column : "", "message", msg);
	if (col >= 0)
		json_object_set_new(e, "cell", json_string(arena_printf(im->who->arena, "%s%d", sheet_col_letters(im->who->arena, col), row)));
	json_array_append_new(im->errors, e);
}

/* Maps the header row to value columns; returns how many it recognised.
 * Problems are errors of the header row; *blocking counts them. */
static int read_header(Import *im, const Col *cols, int ncols, int *blocking)
{
	const Actor *who = im->who;
	Arena *a = who->arena;
	const XlsxSheet *sh = im->sh;
	int hr = im->header, known = 0;
	im->ncols = sh->ncols;
	im->colmap = arena_alloc(a, sizeof *im->colmap * (size_t)(im->ncols + 1));
	im->names = arena_alloc(a, sizeof *im->names * (size_t)(im->ncols + 1));
	const char **keys = arena_alloc(a, sizeof *keys * (size_t)(ncols * 3 + 1));
	for (int c = 0; c < ncols; c++) {
		keys[c * 3] = header_key(a, cols[c].header);
		keys[c * 3 + 1] = header_key(a, arena_printf(a, "%s%d", cols[c].ind->name, cols[c].year));
		keys[c * 3 + 2] = header_key(a, arena_printf(a, "%s%d", cols[c].ind->code, cols[c].year));
	}
	const char *first = xlsx_cell_text(sh, hr, 0);
	first = first ? trim(a, first) : "";
	if (strcmp(first, AREA_HEADER) != 0) {
		add_error(im, hr + 1, 0, *first ? first : "A",
		          arena_printf(a, "第 1 列的列名应为“%s”（各区域的名称），这里是“%s”；请使用模板的列名。", AREA_HEADER, first));
		(*blocking)++;
	}
	for (int c = 1; c < im->ncols; c++) {
		const char *text = xlsx_cell_text(sh, hr, c);
		text = text ? trim(a, text) : "";
		if (!*text) {
			/* no header: an error only when the column holds values */
			for (int ri = hr + 1; ri < sh->nrows; ri++) {
				const XlsxCell *x = xlsx_cell(sh, ri, c);
				const char *name = xlsx_cell_text(sh, ri, 0);
				if (x && x->type != XLSX_EMPTY && !(name && is_city(who->plan, trim(a, name)))) {
					add_error(im, hr + 1, c, sheet_col_letters(a, c),
					          arena_printf(a, "第 %s 列有数据但没有列名；请填写列名（如“%s”）或删除该列。", sheet_col_letters(a, c),
					                       ncols ? cols[0].header : ""));
					(*blocking)++;
					break;
				}
			}
			continue;
		}
		const char *key = header_key(a, text);
		const Col *hit = NULL;
		for (int k = 0; k < ncols * 3 && !hit; k++)
			if (strcmp(keys[k], key) == 0)
				hit = &cols[k / 3];
		if (!hit) {
			add_error(im, hr + 1, c, text,
			          arena_printf(a, "没有“%s”这一列：列名应为规划指标加年度，如“%s”（见模板的“说明”工作表），或删除该列。", text,
			                       ncols ? cols[0].header : ""));
			(*blocking)++;
			continue;
		}
		int dup = -1;
		for (int k = 1; k < c && dup < 0; k++)
			if (im->colmap[k] == hit)
				dup = k;
		if (dup >= 0) {
			add_error(im, hr + 1, c, text,
			          arena_printf(a, "“%s”列重复（第 %s 列和第 %s 列），请删除其中一列。", hit->header, sheet_col_letters(a, dup),
			                       sheet_col_letters(a, c)));
			(*blocking)++;
			continue;
		}
		im->colmap[c] = hit;
		im->names[c] = text;
		known++;
	}
	return known;
}

/* Whether two values are the same figure as a spreadsheet keeps it (15
 * significant digits). */
static int same_figure(double x, double y)
{
	return x == y || fabs(x - y) <= fabs(y) * 1e-15;
}

/* A cell as a target value: *has 0 for empty. NULL when good, else why not. */
static const char *cell_value(Arena *a, const XlsxCell *c, double *v, int *has)
{
	*v = 0;
	*has = 0;
	if (!c || c->type == XLSX_EMPTY || !c->text)
		return NULL;
	char num[40];
	switch (c->type) {
	case XLSX_ERROR:
		return arena_printf(a, "单元格是公式错误 %s；请改为数字，或留空表示不设目标。", c->text);
	case XLSX_DATE:
		return arena_printf(a, "单元格是日期（%s），应为数字；请把单元格格式改为“常规”后重新填写。", c->text);
	case XLSX_NUMBER:
		snprintf(num, sizeof num, "%.17g", c->number);
		return target_parse_value(num, v, has);
	default: {
		const char *t = trim(a, c->text);
		/* parse_value reads at most 63 bytes: longer text is no number */
		return target_parse_value(strlen(t) < 60 ? t : "?", v, has);
	}
	}
}

/* What an import did or would do. */
typedef struct Tally {
	int cells, rows, good, city_rows;
	int added, modified, removed;
	int rows_changed;
} Tally;

/* One pass over the data rows: every cell checked against the stored
 * targets t; write: apply each change (in the caller's transaction). */
static int check_rows(Import *im, const Target *t, int nt, int blocking, int write, Tally *n)
{
	const Plan *p = im->who->plan;
	Arena *a = im->who->arena;
	const XlsxSheet *sh = im->sh;
	memset(n, 0, sizeof *n);
	int *seen_row = arena_alloc(a, sizeof *seen_row * (size_t)(p->nareas + 1));
	for (int ri = im->header + 1; ri < sh->nrows; ri++) {
		int row = ri + 1, any = 0;
		for (int c = 0; c < sh->rowlen[ri] && !any; c++)
			any = (c == 0 || (c < im->ncols && im->colmap[c])) && xlsx_cell(sh, ri, c);
		if (!any)
			continue;
		const char *name = xlsx_cell_text(sh, ri, 0);
		name = name ? trim(a, name) : "";
		if (is_city(p, name)) {
			n->city_rows++; /* the city's targets come from the plan */
			continue;
		}
		n->rows++;
		int before_errors = im->nerrors;
		int area = -1;
		for (int i = 0; i < p->nareas && area < 0; i++)
			if (strcmp(p->areas[i].name, name) == 0 || strcmp(p->areas[i].code, name) == 0)
				area = i;
		if (!*name)
			add_error(im, row, 0, AREA_HEADER, "缺少区域名称；请填写区域（镇街、功能区）的名称，或删除该行。");
		else if (area < 0)
			add_error(im, row, 0, AREA_HEADER,
			          arena_printf(a, "没有“%s”这个区域；请使用模板中的区域名称（如“%s”）。", name, p->nareas ? p->areas[0].name : ""));
		else if (seen_row[area])
			add_error(im, row, 0, AREA_HEADER,
			          arena_printf(a, "“%s”与第 %d 行重复：每个区域只能有一行。", name, seen_row[area]));
		else
			seen_row[area] = row;
		int changed = 0;
		for (int c = 1; c < im->ncols; c++) {
			const Col *col = im->colmap[c];
			if (!col)
				continue;
			n->cells++;
			double v;
			int has;
			const char *why = cell_value(a, xlsx_cell(sh, ri, c), &v, &has);
			if (why) {
				add_error(im, row, c, im->names[c], why);
				continue;
			}
			if (area < 0)
				continue;
			const char *scope = p->areas[area].code;
			const Target *was = stored(t, nt, col->ind->code, scope, col->year);
			if (has && was && same_figure(v, was->value))
				continue;
			if (!has && !was)
				continue;
			changed = 1;
			n->added += has && !was;
			n->modified += has && was;
			n->removed += !has;
			if (write && apply_target(im->s, im->who, was, col->ind->code, scope, col->year, v, has) != H_OK)
				return H_ERR;
		}
		n->rows_changed += changed;
		n->good += im->nerrors == before_errors;
	}
	if (blocking)
		n->good = 0;
	return H_OK;
}

DomResult targets_import(Store *s, const Actor *who, const XlsxSheet *sh, ImportMode mode, json_t **answer_out)
{
	const Plan *p = who->plan;
	Arena *a = who->arena;
	*answer_out = NULL;
	DomResult allowed = office_only(who);
	if (allowed.code != DOM_OK)
		return allowed;
	if (mode == IMPORT_GOOD)
		return dom_result(DOM_INVALID, "bad_mode", "目标分解只能全部导入：mode 应为 check（只检查）或 all（全部无误才导入，一次写入）。");
	Import im = {.s = s, .who = who, .sh = sh, .header = -1};
	for (int i = 0; i < sh->nrows && im.header < 0; i++)
		if (sh->rowlen[i] > 0)
			im.header = i;
	if (im.header < 0)
		return dom_result(DOM_INVALID, "no_rows", "文件中没有数据：第 1 行应为列名（区域、各指标年度），其下每行一个区域。");
	int data_rows = 0;
	for (int i = im.header + 1; i < sh->nrows; i++)
		data_rows += sh->rowlen[i] > 0;
	if (data_rows > MAX_ROWS)
		return dom_result(DOM_INVALID, "too_many_rows",
		                  arena_printf(a, "文件有 %d 行数据，目标分解表每行一个区域（共 %d 个）；请检查是否选错了文件。", data_rows,
		                               p->nareas));
	int ncols;
	Col *cols = plan_cols(who, &ncols);
	im.errors = json_array();
	int blocking = 0;
	int known = read_header(&im, cols, ncols, &blocking);
	const char *first = xlsx_cell_text(sh, im.header, 0);
	if (!known && (!first || strcmp(trim(a, first), AREA_HEADER) != 0)) {
		json_decref(im.errors);
		return dom_result(DOM_INVALID, "not_targets",
		                  arena_printf(a, "该文件不是目标分解表：第 1 行应为列名，第 1 列为“%s”，其后各列如“%s”。"
		                                  "请下载模板或导出现有目标后填写。", AREA_HEADER, ncols ? cols[0].header : ""));
	}
	int write = mode == IMPORT_ALL;
	if (write && store_begin(s) != H_OK) {
		json_decref(im.errors);
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	}
	/* Read inside the transaction when writing: what is compared is what is changed. */
	Target *t;
	int nt = store_targets(s, a, NULL, &t);
	Tally n;
	if (nt < 0 || check_rows(&im, t, nt, blocking, 0, &n) != H_OK) {
		if (write)
			store_rollback(s);
		json_decref(im.errors);
		return dom_result(DOM_FAILED, "store_error", "目标数据读取失败，请稍后再试。");
	}
	int changed = n.added + n.modified + n.removed;
	json_t *answer = json_pack("{s:i,s:o,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:s}", "cells", n.cells, "errors", im.errors,
	                           "error_count", im.nerrors, "changed", changed, "added", n.added, "modified", n.modified,
	                           "removed", n.removed, "rows", n.rows, "good", n.good, "bad", n.rows - n.good, "mode",
	                           write ? "all" : "check", "sheet", sh->name ? sh->name : "");
	if (json_array_size(im.errors) < (size_t)im.nerrors)
		json_object_set_new(answer, "errors_truncated", json_true());
	if (n.city_rows)
		json_object_set_new(answer, "ignored_rows", json_integer(n.city_rows));
	/* row counts for the upload page's script (web/app.js) */
	json_object_set_new(answer, "imported", json_integer(0));
	*answer_out = answer;
	if (!write)
		return dom_result(DOM_OK, NULL, im.nerrors ? arena_printf(a, "检查完毕：有 %d 处错误。", im.nerrors)
		                                           : arena_printf(a, "检查完毕：全部无误，将改动 %d 个目标。", changed));
	const char *code = NULL, *refusal = NULL;
	if (blocking)
		code = "bad_header", refusal = "表头有误（见第 1 行的错误），未导入任何目标；请改正列名后重新上传。";
	else if (im.nerrors)
		code = "cells_invalid",
		refusal = arena_printf(a, "有 %d 处错误，未导入任何目标；请按错误列表改正后重新上传。", im.nerrors);
	else if (!n.rows)
		code = "no_rows", refusal = "文件中没有区域的行，未导入任何目标。";
	if (refusal) {
		store_rollback(s);
		json_object_set_new(answer, "error", json_pack("{s:s,s:s}", "code", code, "message", refusal));
		return dom_result(DOM_REFUSED, code, refusal);
	}
	Tally w;
	if (check_rows(&im, t, nt, blocking, 1, &w) != H_OK || store_commit(s) != H_OK) {
		fprintf(stderr, "hatchery: targets import: %s\n", store_errmsg(s));
		store_rollback(s);
		json_decref(answer);
		*answer_out = NULL;
		return dom_result(DOM_FAILED, "store_error", "保存失败，未导入任何目标；请稍后再试。");
	}
	json_object_set_new(answer, "imported", json_integer(w.rows));
	json_object_set_new(answer, "created", json_integer(0));
	json_object_set_new(answer, "updated", json_integer(w.rows_changed));
	json_object_set_new(answer, "unchanged", json_integer(w.rows - w.rows_changed));
	return dom_result(DOM_OK, NULL, arena_printf(a, "已导入：%d 个区域的行，改动 %d 个目标（新增 %d，修改 %d，删除 %d）。", w.rows,
	                                             changed, n.added, n.modified, n.removed));
}
