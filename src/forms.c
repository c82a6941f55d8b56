/*
 * forms.c — report forms as data (see forms.h): the forms file's parser and
 * checker, periods and their windows in Beijing time, reading typed numbers,
 * and checking a report's values against its form's rules.
 */
#include "forms.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

/* ---- parsing the forms file ---- */

typedef JsonCheck Ck;

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 40)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

static const char *str(Ck *ck, json_t *o, const char *path, const char *key, int required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required)
			json_fail(ck, path, "\"%s\" is required", key);
		return NULL;
	}
	if (!json_is_string(v) || (required && !*json_string_value(v))) {
		json_fail(ck, path, "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	return arena_strdup(ck->a, json_string_value(v));
}

static const char *code(Ck *ck, json_t *o, const char *path, const char *key)
{
	const char *c = str(ck, o, path, key, 1);
	if (c && !code_ok(c))
		json_fail(ck, path, "\"%s\" must be 1-40 of a-z 0-9 - _ (got \"%s\")", key, c);
	return c;
}

static int integer(Ck *ck, json_t *o, const char *path, const char *key, int def, int lo, int hi)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return def;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		json_fail(ck, path, "\"%s\" must be a whole number from %d to %d", key, lo, hi);
		return def;
	}
	return (int)json_integer_value(v);
}

static int boolean(Ck *ck, json_t *o, const char *path, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (v && !json_is_boolean(v))
		json_fail(ck, path, "\"%s\" must be true or false", key);
	return v && json_is_true(v);
}

static const char **strings(Ck *ck, json_t *o, const char *path, const char *key, int *n)
{
	json_t *arr = json_object_get(o, key);
	*n = 0;
	if (!arr)
		return NULL;
	if (!json_is_array(arr)) {
		json_fail(ck, path, "\"%s\" must be a list of strings", key);
		return NULL;
	}
	const char **v = arena_alloc(ck->a, sizeof *v * (json_array_size(arr) + 1));
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x) || !*json_string_value(x)) {
			json_fail(ck, path, "\"%s\"[%zu] must be a non-empty string", key, i);
			return NULL;
		}
		v[(*n)++] = arena_strdup(ck->a, json_string_value(x));
	}
	return v;
}

static const struct {
	const char *name;
	FormFieldType t;
} field_types[] = {
	{"integer", FK_INTEGER}, {"number", FK_NUMBER}, {"money", FK_MONEY}, {"area", FK_AREA},
	{"text", FK_TEXT},       {"choice", FK_CHOICE}, {"date", FK_DATE},   {"list", FK_LIST},
};

static int is_numeric(FormFieldType t)
{
	return t == FK_INTEGER || t == FK_NUMBER || t == FK_MONEY || t == FK_AREA;
}

/* Reads one field (or, with in_list, one column of a list). */
static void parse_field(Ck *ck, json_t *o, const char *path, FormItem *fd, int in_list)
{
	if (!json_is_object(o)) {
		json_fail(ck, path, "must be an object");
		return;
	}
	json_check_keys(ck, o, path, "code,label,type,unit,hint,required,max_chars,options,in_period,counts_as,columns,max_rows");
	fd->code = code(ck, o, path, "code");
	fd->label = str(ck, o, path, "label", 1);
	fd->unit = str(ck, o, path, "unit", 0);
	fd->hint = str(ck, o, path, "hint", 0);
	fd->required = boolean(ck, o, path, "required");
	fd->in_period = boolean(ck, o, path, "in_period");
	fd->counts_as = str(ck, o, path, "counts_as", 0);
	fd->max_chars = integer(ck, o, path, "max_chars", 200, 1, 20000);
	fd->scale = 1;
	const char *t = str(ck, o, path, "type", 1);
	if (ck->failed)
		return;
	size_t k;
	for (k = 0; k < ARRAY_LEN(field_types) && strcmp(field_types[k].name, t); k++)
		;
	if (k == ARRAY_LEN(field_types)) {
		json_fail(ck, path, "unknown type \"%s\" (integer, number, money, area, text, choice, date, list)", t);
		return;
	}
	fd->type = field_types[k].t;
	if (fd->type == FK_MONEY) {
		const char *u = fd->unit ? fd->unit : "元";
		fd->scale = !strcmp(u, "元") ? 1 : !strcmp(u, "千元") ? 1000 : !strcmp(u, "万元") ? 10000 : 0;
		if (fd->scale == 0)
			json_fail(ck, path, "a money field's unit must be \"元\", \"千元\" or \"万元\", not \"%s\"", u);
		fd->unit = u;
		size_t cl = strlen(fd->code);
		if (cl < 5 || strcmp(fd->code + cl - 5, "_yuan"))
			json_fail(ck, path, "a money field's code ends in _yuan (its value is kept in yuan): \"%s\"", fd->code);
	}
	if (fd->type == FK_AREA && !fd->unit)
		fd->unit = "㎡";
	if (fd->counts_as && (fd->type != FK_INTEGER && fd->type != FK_NUMBER))
		json_fail(ck, path, "counts_as needs a numeric field");
	if (fd->in_period && fd->type != FK_DATE)
		json_fail(ck, path, "in_period is for date fields");
	if (fd->type == FK_CHOICE) {
		json_t *opts = json_object_get(o, "options");
		if (!json_is_array(opts) || json_array_size(opts) == 0) {
			json_fail(ck, path, "a choice needs a list of options, each with a code and a label");
			return;
		}
		fd->options = arena_alloc(ck->a, sizeof *fd->options * json_array_size(opts));
		size_t i;
		json_t *x;
		json_array_foreach(opts, i, x) {
			char *op = arena_printf(ck->a, "%s.options[%zu]", path, i);
			if (!json_is_object(x)) {
				json_fail(ck, op, "must be {code, label}");
				return;
			}
			json_check_keys(ck, x, op, "code,label");
			fd->options[i].code = code(ck, x, op, "code");
			fd->options[i].label = str(ck, x, op, "label", 1);
			fd->noptions++;
		}
	}
	if (fd->type == FK_LIST) {
		if (in_list) {
			json_fail(ck, path, "a list cannot hold another list");
			return;
		}
		fd->max_rows = integer(ck, o, path, "max_rows", 100, 1, 1000);
		json_t *cols = json_object_get(o, "columns");
		if (!json_is_array(cols) || json_array_size(cols) == 0) {
			json_fail(ck, path, "a list needs \"columns\"");
			return;
		}
		fd->columns = arena_alloc(ck->a, sizeof *fd->columns * json_array_size(cols));
		size_t i;
		json_t *x;
		json_array_foreach(cols, i, x) {
			parse_field(ck, x, arena_printf(ck->a, "%s.columns[%zu]", path, i), &fd->columns[i], 1);
			if (ck->failed)
				return;
			for (int j = 0; j < fd->ncolumns; j++)
				if (!strcmp(fd->columns[j].code, fd->columns[i].code))
					json_fail(ck, path, "column \"%s\" twice", fd->columns[i].code);
			fd->ncolumns++;
		}
	}
}

/* A field a rule names must exist and be numeric. */
static void rule_field(Ck *ck, const Form *f, const char *path, const char *c)
{
	int i = c ? form_field_index(f, c) : -1;
	if (i < 0)
		json_fail(ck, path, "unknown field \"%s\"", c ? c : "(none)");
	else if (!is_numeric(f->fields[i].type))
		json_fail(ck, path, "field \"%s\" is not a number", c);
}

static void parse_rule(Ck *ck, json_t *o, const char *path, Form *f, FormRule *r)
{
	if (!json_is_object(o)) {
		json_fail(ck, path, "must be an object");
		return;
	}
	json_check_keys(ck, o, path, "kind,a,b,total,parts,list,fields,factor,periods,soft,message,b_not_less");
	const char *k = str(ck, o, path, "kind", 1);
	r->message = str(ck, o, path, "message", 1);
	r->soft = boolean(ck, o, path, "soft");
	r->b_not_less = boolean(ck, o, path, "b_not_less");
	if (ck->failed)
		return;
	if (!strcmp(k, "le") || !strcmp(k, "pair")) {
		r->kind = !strcmp(k, "le") ? FR_LE : FR_PAIR;
		r->a = str(ck, o, path, "a", 1);
		r->b = str(ck, o, path, "b", 1);
		rule_field(ck, f, arena_printf(ck->a, "%s.a", path), r->a);
		rule_field(ck, f, arena_printf(ck->a, "%s.b", path), r->b);
	} else if (!strcmp(k, "sum")) {
		r->kind = FR_SUM;
		r->a = str(ck, o, path, "total", 1);
		rule_field(ck, f, arena_printf(ck->a, "%s.total", path), r->a);
		r->fields = strings(ck, o, path, "parts", &r->nfields);
		if (r->nfields < 2)
			json_fail(ck, path, "a sum needs at least two \"parts\"");
		for (int i = 0; i < r->nfields; i++)
			rule_field(ck, f, arena_printf(ck->a, "%s.parts[%d]", path, i), r->fields[i]);
	} else if (!strcmp(k, "rows_le")) {
		r->kind = FR_ROWS_LE;
		r->a = str(ck, o, path, "list", 1);
		r->b = str(ck, o, path, "b", 1);
		int li = r->a ? form_field_index(f, r->a) : -1;
		if (li < 0 || f->fields[li].type != FK_LIST)
			json_fail(ck, arena_printf(ck->a, "%s.list", path), "unknown list \"%s\"", r->a ? r->a : "");
		rule_field(ck, f, arena_printf(ck->a, "%s.b", path), r->b);
	} else if (!strcmp(k, "spike") || !strcmp(k, "zero_after")) {
		r->kind = !strcmp(k, "spike") ? FR_SPIKE : FR_ZERO_AFTER;
		r->fields = strings(ck, o, path, "fields", &r->nfields);
		if (r->nfields < 1)
			json_fail(ck, path, "\"fields\" must name at least one field");
		for (int i = 0; i < r->nfields; i++)
			rule_field(ck, f, arena_printf(ck->a, "%s.fields[%d]", path, i), r->fields[i]);
		r->periods = integer(ck, o, path, "periods", r->kind == FR_SPIKE ? 6 : 3, 1, 24);
		json_t *fa = json_object_get(o, "factor");
		r->factor = 3;
		if (fa && (!json_is_number(fa) || json_number_value(fa) <= 1))
			json_fail(ck, path, "\"factor\" must be a number above 1");
		else if (fa)
			r->factor = json_number_value(fa);
		if (!r->soft)
			json_fail(ck, path, "a %s rule compares with earlier periods: it must be soft", k);
	} else {
		json_fail(ck, path, "unknown kind \"%s\" (le, sum, pair, rows_le, spike, zero_after)", k);
	}
}

static void parse_form(Ck *ck, json_t *o, const char *path, Form *f)
{
	if (!json_is_object(o)) {
		json_fail(ck, path, "must be an object");
		return;
	}
	json_check_keys(ck, o, path, "code,name,short_name,period,reporter,base_kinds,departments,approval,window,note,sections,rules");
	f->code = code(ck, o, path, "code");
	f->name = str(ck, o, path, "name", 1);
	f->short_name = str(ck, o, path, "short_name", 0);
	if (!f->short_name)
		f->short_name = f->name;
	f->note = str(ck, o, path, "note", 0);
	const char *per = str(ck, o, path, "period", 1);
	if (ck->failed)
		return;
	if (!strcmp(per, "monthly"))
		f->period = PERIOD_MONTHLY;
	else if (!strcmp(per, "quarterly"))
		f->period = PERIOD_QUARTERLY;
	else if (!strcmp(per, "yearly"))
		f->period = PERIOD_YEARLY;
	else
		json_fail(ck, path, "\"period\" must be monthly, quarterly or yearly");
	f->reporter = str(ck, o, path, "reporter", 1);
	if (f->reporter && strcmp(f->reporter, "area") && strcmp(f->reporter, "base") && strcmp(f->reporter, "department"))
		json_fail(ck, path, "\"reporter\" must be area, base or department");
	f->base_kinds = strings(ck, o, path, "base_kinds", &f->nbase_kinds);
	f->departments = strings(ck, o, path, "departments", &f->ndepartments);
	f->approval = strings(ck, o, path, "approval", &f->napproval);
	if (ck->failed)
		return;
	if (f->nbase_kinds && strcmp(f->reporter, "base"))
		json_fail(ck, path, "\"base_kinds\" is for a form bases fill (reporter: base)");
	if (f->ndepartments && strcmp(f->reporter, "department"))
		json_fail(ck, path, "\"departments\" is for a form departments fill (reporter: department)");
	for (int i = 0; i < f->ndepartments; i++)
		if (!code_ok(f->departments[i]))
			json_fail(ck, path, "departments[%d]: \"%s\" is not a department code", i, f->departments[i]);
	/* the levels: ["office"]; ["area", "office"] for a base's form (its area,
	 * then the office) or an area's (its own sign-off by another account of
	 * the area, then the office); a department's goes to the office */
	if (f->napproval < 1 || f->napproval > 2 || strcmp(f->approval[f->napproval - 1], "office"))
		json_fail(ck, path, "\"approval\" must be [\"office\"] or [\"area\", \"office\"]: it ends with \"office\" (who accepts)");
	else if (f->napproval == 2 && strcmp(f->approval[0], "area"))
		json_fail(ck, path, "approval: the level before the office can only be \"area\" (got \"%s\")", f->approval[0]);
	else if (f->napproval == 2 && !strcmp(f->reporter, "department"))
		json_fail(ck, path, "approval: a department's report goes to the office: [\"office\"]");
	json_t *w = json_object_get(o, "window");
	if (!json_is_object(w)) {
		json_fail(ck, path, "\"window\" {opens_from, opens_days, due_days, closes_days} is required");
		return;
	}
	char *wp = arena_printf(ck->a, "%s.window", path);
	json_check_keys(ck, w, wp, "opens_from,opens_days,due_days,closes_days");
	const char *from = str(ck, w, wp, "opens_from", 1);
	if (from && strcmp(from, "start") && strcmp(from, "end"))
		json_fail(ck, wp, "\"opens_from\" must be start or end");
	f->opens_from_end = from && !strcmp(from, "end");
	f->opens_days = integer(ck, w, wp, "opens_days", 0, 0, 366);
	f->due_days = integer(ck, w, wp, "due_days", 5, 0, 366);
	f->closes_days = integer(ck, w, wp, "closes_days", 10, 0, 366);
	if (f->closes_days < f->due_days)
		json_fail(ck, wp, "a period closes on or after its due date (closes_days ≥ due_days)");
	if (f->opens_from_end && f->opens_days > f->due_days)
		json_fail(ck, wp, "a period opens before it is due");

	json_t *secs = json_object_get(o, "sections");
	if (!json_is_array(secs) || json_array_size(secs) == 0) {
		json_fail(ck, path, "\"sections\" [{title, fields}] is required");
		return;
	}
	size_t nf = 0, i;
	json_t *s;
	json_array_foreach(secs, i, s) nf += json_array_size(json_object_get(s, "fields"));
	f->sections = arena_alloc(ck->a, sizeof *f->sections * json_array_size(secs));
	f->fields = arena_alloc(ck->a, sizeof *f->fields * (nf + 1));
	json_array_foreach(secs, i, s) {
		char *sp = arena_printf(ck->a, "%s.sections[%zu]", path, i);
		if (!json_is_object(s)) {
			json_fail(ck, sp, "must be {title, fields}");
			return;
		}
		json_check_keys(ck, s, sp, "title,fields");
		f->sections[f->nsections++] = str(ck, s, sp, "title", 1);
		json_t *fl = json_object_get(s, "fields");
		if (!json_is_array(fl) || json_array_size(fl) == 0) {
			json_fail(ck, sp, "\"fields\" must list at least one field");
			return;
		}
		size_t j;
		json_t *x;
		json_array_foreach(fl, j, x) {
			FormItem *fd = &f->fields[f->nfields];
			parse_field(ck, x, arena_printf(ck->a, "%s.fields[%zu]", sp, j), fd, 0);
			if (ck->failed)
				return;
			if (form_field_index(f, fd->code) >= 0) {
				json_fail(ck, sp, "field \"%s\" twice in the form", fd->code);
				return;
			}
			fd->section = (int)i;
			f->nfields++;
		}
	}
	json_t *rules = json_object_get(o, "rules");
	if (rules && !json_is_array(rules)) {
		json_fail(ck, path, "\"rules\" must be a list");
		return;
	}
	f->rules = arena_alloc(ck->a, sizeof *f->rules * (json_array_size(rules) + 1));
	json_t *x;
	json_array_foreach(rules, i, x) {
		parse_rule(ck, x, arena_printf(ck->a, "%s.rules[%zu]", path, i), f, &f->rules[f->nrules]);
		if (ck->failed)
			return;
		f->nrules++;
	}
}

FormSet *forms_parse(Arena *a, const char *text, size_t len, const char *origin, char *err, size_t errsz)
{
	Ck ck = {a, err, errsz, origin ? origin : "forms", 0};
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errsz, "%s: line %d, column %d: not valid JSON: %s", ck.origin, je.line, je.column, je.text);
		return NULL;
	}
	FormSet *fs = arena_alloc(a, sizeof *fs);
	if (!json_is_object(root)) {
		json_fail(&ck, "(top)", "the forms file must be a JSON object");
	} else {
		json_check_keys(&ck, root, "(top)", "format,code,name,forms");
		const char *format = str(&ck, root, "(top)", "format", 1);
		if (format && strcmp(format, "hatchery-forms/1"))
			json_fail(&ck, "format", "\"%s\" is not a format this program reads (\"hatchery-forms/1\")", format);
		fs->code = code(&ck, root, "(top)", "code");
		fs->name = str(&ck, root, "(top)", "name", 1);
		json_t *forms = json_object_get(root, "forms");
		if (!ck.failed && (!json_is_array(forms) || json_array_size(forms) == 0))
			json_fail(&ck, "(top)", "\"forms\" must list at least one form");
		if (!ck.failed) {
			fs->forms = arena_alloc(a, sizeof *fs->forms * json_array_size(forms));
			size_t i;
			json_t *o;
			json_array_foreach(forms, i, o) {
				Form *f = &fs->forms[fs->nforms];
				parse_form(&ck, o, arena_printf(a, "forms[%zu]", i), f);
				if (ck.failed)
					break;
				if (forms_find(fs, f->code)) {
					json_fail(&ck, arena_printf(a, "forms[%zu].code", i), "\"%s\" twice", f->code);
					break;
				}
				fs->nforms++;
			}
		}
	}
	json_decref(root);
	return ck.failed ? NULL : fs;
}

const EmbeddedForms *forms_embedded(const char *name)
{
	for (int i = 0; i < embedded_forms_count; i++)
		if (!name || !strcmp(embedded_forms[i].name, name))
			return &embedded_forms[i];
	return NULL;
}

const Form *forms_find(const FormSet *fs, const char *c)
{
	for (int i = 0; fs && c && i < fs->nforms; i++)
		if (!strcmp(fs->forms[i].code, c))
			return &fs->forms[i];
	return NULL;
}

int form_field_index(const Form *f, const char *c)
{
	for (int i = 0; c && i < f->nfields; i++)
		if (f->fields[i].code && !strcmp(f->fields[i].code, c))
			return i;
	return -1;
}

const FormItem *form_field(const Form *f, const char *c)
{
	int i = form_field_index(f, c);
	return i < 0 ? NULL : &f->fields[i];
}

/* ---- periods ---- */

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

time_t beijing_midnight(const char *date)
{
	return (time_t)date_days(date) * 86400 - 8 * 3600;
}

static void add_days(const char *date, long n, char out[11])
{
	date_from_days(date_days(date) + n, out);
}

/* Fills start, end and the window from a year and the month range. */
static void period_fill(const Form *f, int y, int m1, int m2, Period *p)
{
	snprintf(p->start, sizeof p->start, "%04d-%02d-01", y, m1);
	snprintf(p->end, sizeof p->end, "%04d-%02d-%02d", y, m2, days_in_month(y, m2));
	if (f->period == PERIOD_MONTHLY)
		snprintf(p->key, sizeof p->key, "%04d-%02d", y, m1);
	else if (f->period == PERIOD_QUARTERLY)
		snprintf(p->key, sizeof p->key, "%04d-Q%d", y, (m1 + 2) / 3);
	else
		snprintf(p->key, sizeof p->key, "%04d", y);
	char d[11];
	add_days(f->opens_from_end ? p->end : p->start, f->opens_days, d);
	p->opens = beijing_midnight(d);
	add_days(p->end, f->due_days + 1, d);
	p->due = beijing_midnight(d);
	add_days(p->end, f->closes_days + 1, d);
	p->closes = beijing_midnight(d);
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int period_parse(const Form *f, const char *key, Period *out)
{
	memset(out, 0, sizeof *out);
	if (!key)
		return 0;
	size_t n = strlen(key);
	if (n < 4 || !digits(key, 4))
		return 0;
	int y = digits_value(key, 4);
	if (y < 2000 || y > 2099)
		return 0;
	if (f->period == PERIOD_YEARLY && n == 4) {
		period_fill(f, y, 1, 12, out);
		return 1;
	}
	if (f->period == PERIOD_MONTHLY && n == 7 && key[4] == '-' && digits(key + 5, 2)) {
		int m = digits_value(key + 5, 2);
		if (m < 1 || m > 12)
			return 0;
		period_fill(f, y, m, m, out);
		return 1;
	}
	if (f->period == PERIOD_QUARTERLY && n == 7 && key[4] == '-' && key[5] == 'Q' && key[6] >= '1' && key[6] <= '4') {
		int q = key[6] - '0';
		period_fill(f, y, q * 3 - 2, q * 3, out);
		return 1;
	}
	return 0;
}

void period_containing(const Form *f, const char *day, Period *out)
{
	int y = digits_value(day, 4), m = digits_value(day + 5, 2);
	if (f->period == PERIOD_YEARLY)
		period_fill(f, y, 1, 12, out);
	else if (f->period == PERIOD_QUARTERLY)
		period_fill(f, y, (m - 1) / 3 * 3 + 1, (m - 1) / 3 * 3 + 3, out);
	else
		period_fill(f, y, m, m, out);
}

void period_step(const Form *f, const Period *p, int n, Period *out)
{
	char d[11];
	if (n < 0)
		add_days(p->start, -1, d);
	else
		add_days(p->end, 1, d);
	period_containing(f, d, out);
}

void beijing_format(time_t t, char out[20])
{
	time_t b = t + 8 * 3600;
	struct tm tm;
	gmtime_r(&b, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

void beijing_iso(time_t t, char out[26])
{
	time_t b = t + 8 * 3600;
	struct tm tm;
	gmtime_r(&b, &tm);
	strftime(out, 26, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

time_t time_parse(const char *s)
{
	if (!s || strlen(s) < 16 || s[10] != 'T' || s[13] != ':')
		return -1;
	char d[11];
	memcpy(d, s, 10);
	d[10] = 0;
	if (!date_valid(d) || !digits(s + 11, 2) || !digits(s + 14, 2))
		return -1;
	int hh = digits_value(s + 11, 2), mm = digits_value(s + 14, 2), ss = 0;
	const char *z = s + 16;
	if (*z == ':') {
		if (!digits(z + 1, 2))
			return -1;
		ss = digits_value(z + 1, 2);
		z += 3;
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	long off;
	if (*z == 0)
		off = 8 * 3600;
	else if (!strcmp(z, "Z"))
		off = 0;
	else if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && digits(z + 1, 2) && z[3] == ':' && digits(z + 4, 2))
		off = (z[0] == '+' ? 1 : -1) * (digits_value(z + 1, 2) * 3600L + digits_value(z + 4, 2) * 60L);
	else
		return -1;
	return (time_t)date_days(d) * 86400 + hh * 3600 + mm * 60 + ss - off;
}

time_t report_now(void)
{
	time_t t = time_parse(getenv("HATCHERY_NOW"));
	return t >= 0 ? t : time(NULL);
}

const char *period_state(const Period *p, time_t now)
{
	return now < p->opens ? "not_open" : now < p->due ? "open" : now < p->closes ? "overdue" : "closed";
}

const char *period_label(Arena *a, const Form *f, const Period *p)
{
	static const char *const q[] = {"一", "二", "三", "四"};
	if (f->period == PERIOD_MONTHLY)
		return arena_printf(a, "%.4s年%d月", p->key, digits_value(p->key + 5, 2));
	if (f->period == PERIOD_QUARTERLY)
		return arena_printf(a, "%.4s年第%s季度", p->key, q[p->key[6] - '1']);
	return arena_printf(a, "%.4s年度", p->key);
}

/* ---- values ---- */

ReportData *report_data_new(Arena *a, const Form *f)
{
	ReportData *d = arena_alloc(a, sizeof *d);
	size_t n = (size_t)f->nfields + 1;
	d->text = arena_alloc(a, sizeof *d->text * n);
	d->num = arena_alloc(a, sizeof *d->num * n);
	d->note = arena_alloc(a, sizeof *d->note * n);
	d->nrows = arena_alloc(a, sizeof *d->nrows * n);
	d->cells = arena_alloc(a, sizeof *d->cells * n);
	return d;
}

void issues_add(Arena *a, Issues *is, const char *field, int soft, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	Buf b = {0};
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	Issue *x = arena_push(a, &is->v, &is->n, &is->cap, sizeof *x);
	x->field = field;
	x->soft = soft;
	x->message = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	if (!soft)
		is->hard++;
}

/* Characters of a UTF-8 text; -1 when it is not valid UTF-8. */
static long utf8_chars_valid(const char *s)
{
	long n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int k = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
		if (k < 0 || (k == 1 && *p < 0xC2))
			return -1;
		for (int i = 1; i <= k; i++)
			if ((p[i] & 0xC0) != 0x80)
				return -1;
		p += k + 1;
		n++;
	}
	return n;
}

int form_read_number(const FormItem *fd, const char *typed, int in_box_unit, double *out, const char **msg, Arena *a)
{
	char buf[64];
	size_t o = 0;
	double mult = 1;
	const unsigned char *p = (const unsigned char *)typed;
	while (*p && o + 1 < sizeof buf) {
		if (*p == ',' || *p == ' ' || *p == '\t') {
			p++;
		} else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) { /* ０-９ */
			buf[o++] = (char)('0' + (p[2] - 0x90));
			p += 3;
		} else if (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x8C || p[2] == 0x8E || p[2] == 0x8D)) { /* ，．－ */
			if (p[2] != 0x8C)
				buf[o++] = p[2] == 0x8E ? '.' : '-';
			p += 3;
		} else if (p[0] == 0xE4 && p[1] == 0xB8 && p[2] == 0x87 && (fd->type == FK_MONEY || fd->type == FK_AREA)) { /* 万 */
			mult = 10000;
			in_box_unit = 0; /* "0.8万" is 8,000 元 or ㎡ whatever the box's unit */
			p += 3;
			if (*p)
				goto bad;
		} else if (fd->unit && !strncmp((const char *)p, fd->unit, strlen(fd->unit)) && !p[strlen(fd->unit)]) {
			break; /* the unit typed after the number */
		} else if ((*p >= '0' && *p <= '9') || *p == '.' || *p == '-') {
			buf[o++] = (char)*p++;
		} else {
			goto bad;
		}
	}
	buf[o] = 0;
	if (!o)
		goto bad;
	char *end;
	double v = strtod(buf, &end);
	if (*end || !isfinite(v))
		goto bad;
	if (v < 0) {
		*msg = arena_printf(a, "%s不能为负数（填写的是 %s），请核对后重新填写。", fd->label, typed);
		return 0;
	}
	v *= mult;
	if (in_box_unit && fd->type == FK_MONEY)
		v *= fd->scale;
	if (fd->type == FK_INTEGER && v != floor(v)) {
		*msg = arena_printf(a, "%s应为整数（填写的是 %s）。", fd->label, typed);
		return 0;
	}
	if (v > 1e14) {
		*msg = arena_printf(a, "%s数值过大（填写的是 %s），请核对单位。", fd->label, typed);
		return 0;
	}
	if (fd->type == FK_MONEY)
		v = round(v * 100) / 100;
	*out = v;
	return 1;
bad:
	*msg = fd->type == FK_INTEGER ? arena_printf(a, "%s应填写整数，如 12（填写的是 %s）。", fd->label, typed)
	                              : arena_printf(a, "%s应填写数字，如 8,000 或 12.5（填写的是 %s）。", fd->label, typed);
	return 0;
}

/* The canonical text of a number in base units. */
static const char *num_text(Arena *a, double v)
{
	char b[64];
	snprintf(b, sizeof b, "%.2f", v);
	char *dot = strchr(b, '.');
	char *e = b + strlen(b) - 1;
	while (e > dot && *e == '0')
		*e-- = 0;
	if (e == dot)
		*e = 0;
	return arena_strdup(a, b);
}

/* Reads a value of a scalar field or column; NULL with an issue when bad. */
static const char *read_value(Arena *a, const FormItem *fd, const char *typed, int in_box_unit, double *num,
                              const Period *p, const char *where, Issues *is)
{
	if (utf8_chars_valid(typed) < 0) {
		issues_add(a, is, where, 0, "%s含有无法识别的字符，请重新填写。", fd->label);
		is->format_errors++;
		return NULL;
	}
	if (is_numeric(fd->type)) {
		const char *msg;
		if (!form_read_number(fd, typed, in_box_unit, num, &msg, a)) {
			issues_add(a, is, where, 0, "%s", msg);
			is->format_errors++;
			return NULL;
		}
		return num_text(a, *num);
	}
	if (fd->type == FK_TEXT) {
		long n = utf8_chars_valid(typed);
		if (n > fd->max_chars) {
			issues_add(a, is, where, 0, "%s最多 %d 个字（现有 %ld 个），请精简。", fd->label, fd->max_chars, n);
			is->format_errors++;
			return NULL;
		}
		return arena_strdup(a, typed);
	}
	if (fd->type == FK_CHOICE) {
		for (int i = 0; i < fd->noptions; i++)
			if (!strcmp(fd->options[i].code, typed) || !strcmp(fd->options[i].label, typed))
				return fd->options[i].code;
		Buf b = {0};
		for (int i = 0; i < fd->noptions; i++)
			buf_printf(&b, "%s%s", i ? "、" : "", fd->options[i].label);
		issues_add(a, is, where, 0, "%s应为%s之一（填写的是 %s）。", fd->label, buf_str(&b), typed);
		buf_free(&b);
		is->format_errors++;
		return NULL;
	}
	if (fd->type == FK_DATE) {
		if (!date_valid(typed)) {
			issues_add(a, is, where, 0, "%s应为日期，如 2024-11-05（填写的是 %s）。", fd->label, typed);
			is->format_errors++;
			return NULL;
		}
		if (fd->in_period && p && (strcmp(typed, p->start) < 0 || strcmp(typed, p->end) > 0))
			issues_add(a, is, where, 0, "%s应在本期内（%s 至 %s），填写的是 %s。", fd->label, p->start, p->end, typed);
		return arena_strdup(a, typed);
	}
	return NULL;
}

static int blank(const char *s)
{
	return !s || !*(s + strspn(s, " \t\r\n"));
}

void report_set_typed(Arena *a, const Form *f, ReportData *d, int i, const char *typed, int in_box_unit, Issues *is)
{
	const FormItem *fd = &f->fields[i];
	d->text[i] = NULL;
	d->num[i] = 0;
	if (blank(typed) || fd->type == FK_LIST)
		return;
	d->text[i] = read_value(a, fd, typed, in_box_unit, &d->num[i], NULL, fd->code, is);
}

void report_set_cell(Arena *a, const Form *f, ReportData *d, int i, int row, int col, const char *typed,
                     const Period *p, Issues *is)
{
	const FormItem *fd = &f->fields[i];
	if (row >= fd->max_rows) {
		if (row == fd->max_rows) {
			issues_add(a, is, fd->code, 0, "%s最多 %d 行。", fd->label, fd->max_rows);
			is->format_errors++;
		}
		return;
	}
	if (row >= d->nrows[i]) {
		const char **c = arena_alloc(a, sizeof *c * (size_t)(row + 1) * (size_t)fd->ncolumns);
		if (d->nrows[i])
			memcpy(c, d->cells[i], sizeof *c * (size_t)d->nrows[i] * (size_t)fd->ncolumns);
		d->cells[i] = c;
		d->nrows[i] = row + 1;
	}
	const char **slot = &d->cells[i][row * fd->ncolumns + col];
	*slot = NULL;
	if (blank(typed))
		return;
	double unused;
	*slot = read_value(a, &fd->columns[col], typed, 0, &unused, p,
	                   arena_printf(a, "%s.%d.%s", fd->code, row + 1, fd->columns[col].code), is);
}

static int median_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static const History *history_of(const History *h, int nh, const char *field)
{
	for (int i = 0; h && i < nh; i++)
		if (!strcmp(h[i].field, field))
			return &h[i];
	return NULL;
}

static void soft_issue(Arena *a, Issues *is, const Form *f, const char *field, const char *msg)
{
	issues_add(a, is, field, 1, "%s：%s", f->fields[form_field_index(f, field)].label, msg);
}

void report_check(Arena *a, const Form *f, const Period *p, const ReportData *d, const History *hist, int nhist,
                  Issues *is)
{
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type == FK_LIST) {
			int rows = 0;
			for (int r = 0; r < d->nrows[i]; r++) {
				int any = 0;
				for (int c = 0; c < fd->ncolumns; c++)
					any |= d->cells[i][r * fd->ncolumns + c] != NULL;
				if (!any)
					continue;
				rows++;
				for (int c = 0; c < fd->ncolumns; c++)
					if (fd->columns[c].required && !d->cells[i][r * fd->ncolumns + c])
						issues_add(a, is, arena_printf(a, "%s.%d.%s", fd->code, r + 1, fd->columns[c].code), 0,
						           "%s第 %d 行：请填写%s。", fd->label, r + 1, fd->columns[c].label);
			}
			if (fd->required && rows == 0)
				issues_add(a, is, fd->code, 0, "请填写%s。", fd->label);
			continue;
		}
		if (fd->required && !d->text[i])
			issues_add(a, is, fd->code, 0, "请填写%s。", fd->label);
	}
	for (int k = 0; k < f->nrules; k++) {
		const FormRule *r = &f->rules[k];
		int ia = r->a ? form_field_index(f, r->a) : -1, ib = r->b ? form_field_index(f, r->b) : -1;
		switch (r->kind) {
		case FR_LE:
			if (d->text[ia] && d->text[ib] && d->num[ia] > d->num[ib] + 1e-9)
				issues_add(a, is, r->a, r->soft, "%s", r->message);
			break;
		case FR_PAIR:
			if (d->text[ia] && d->text[ib] &&
			    ((d->num[ia] > 0) != (d->num[ib] > 0) || (r->b_not_less && d->num[ib] < d->num[ia])))
				issues_add(a, is, r->b, r->soft, "%s", r->message);
			break;
		case FR_SUM: {
			if (!d->text[ia])
				break;
			double sum = 0;
			int all = 1;
			for (int j = 0; j < r->nfields; j++) {
				int ij = form_field_index(f, r->fields[j]);
				all &= d->text[ij] != NULL;
				sum += d->num[ij];
			}
			if (all && fabs(sum - d->num[ia]) > 0.5)
				issues_add(a, is, r->a, r->soft, "%s", r->message);
			break;
		}
		case FR_ROWS_LE: {
			const FormItem *lf = &f->fields[ia];
			int rows = 0;
			for (int rr = 0; rr < d->nrows[ia]; rr++) {
				int any = 0;
				for (int c = 0; c < lf->ncolumns; c++)
					any |= d->cells[ia][rr * lf->ncolumns + c] != NULL;
				rows += any;
			}
			if (d->text[ib] && rows > d->num[ib])
				issues_add(a, is, r->a, r->soft, "%s", r->message);
			break;
		}
		case FR_SPIKE:
			/* more than factor × the median of the last `periods` periods (at least three of them, median above 0) */
			for (int j = 0; j < r->nfields; j++) {
				int i = form_field_index(f, r->fields[j]);
				const History *h = history_of(hist, nhist, r->fields[j]);
				if (!d->text[i] || !h)
					continue;
				int n = h->n < r->periods ? h->n : r->periods;
				if (n < 3)
					continue;
				double *v = arena_alloc(a, sizeof *v * (size_t)n);
				memcpy(v, h->v, sizeof *v * (size_t)n);
				qsort(v, (size_t)n, sizeof *v, median_cmp);
				double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
				if (med > 0 && d->num[i] > r->factor * med)
					soft_issue(a, is, f, r->fields[j], r->message);
			}
			break;
		case FR_ZERO_AFTER:
			/* zero now where each of the last `periods` periods was not */
			for (int j = 0; j < r->nfields; j++) {
				int i = form_field_index(f, r->fields[j]);
				const History *h = history_of(hist, nhist, r->fields[j]);
				if (!d->text[i] || d->num[i] != 0 || !h || h->n < r->periods)
					continue;
				int nonzero = 1;
				for (int q = 0; q < r->periods; q++)
					nonzero &= h->v[q] > 0;
				if (nonzero)
					soft_issue(a, is, f, r->fields[j], r->message);
			}
			break;
		}
	}
	/* a soft warning is explained by a note on the field it names */
	is->soft_open = 0;
	for (int k = 0; k < is->n; k++) {
		Issue *x = &is->v[k];
		if (!x->soft)
			continue;
		int i = form_field_index(f, x->field);
		x->explained = i >= 0 && !blank(d->note[i]);
		is->soft_open += !x->explained;
	}
	(void)p;
}

const char *form_value_text(Arena *a, const FormItem *fd, const char *text, double num, int with_unit)
{
	if (!text)
		return "";
	if (fd->type == FK_CHOICE) {
		for (int i = 0; i < fd->noptions; i++)
			if (!strcmp(fd->options[i].code, text))
				return fd->options[i].label;
		return text;
	}
	if (!is_numeric(fd->type))
		return text;
	char b[64];
	double v = fd->type == FK_MONEY ? num / fd->scale : num;
	fmt_number(b, sizeof b, v, fd->type == FK_INTEGER ? 0 : fd->type == FK_MONEY ? (fd->scale >= 1000 ? 3 : 2) : 2);
	/* drop trailing zeros of the decimals */
	char *dot = strchr(b, '.');
	if (dot) {
		char *e = b + strlen(b) - 1;
		while (e > dot && *e == '0')
			*e-- = 0;
		if (e == dot)
			*e = 0;
	}
	return with_unit && fd->unit ? arena_printf(a, "%s %s", b, fd->unit) : arena_strdup(a, b);
}
