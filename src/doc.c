/*
 * doc.c — building an official document (doc.h) and keeping it as JSON:
 * the frozen form of a published bulletin is the JSON doc_to_json writes,
 * and every rendering reads it back with doc_from_json.
 */
#include "doc.h"

#include <string.h>

Doc *doc_new(Arena *a)
{
	Doc *d = arena_alloc(a, sizeof *d);
	d->arena = a;
	return d;
}

static DocBlock *push(Doc *d, DocKind kind)
{
	DocBlock *b = arena_push(d->arena, &d->blocks, &d->nblocks, &d->cap, sizeof *b);
	b->kind = kind;
	return b;
}

DocBlock *doc_para(Doc *d, const char *text)
{
	DocBlock *b = push(d, DOC_PARA);
	b->text = arena_strdup(d->arena, text ? text : "");
	return b;
}

DocBlock *doc_heading(Doc *d, int level, const char *text)
{
	DocBlock *b = push(d, DOC_HEADING);
	b->level = level == 2 ? 2 : 1;
	b->text = arena_strdup(d->arena, text ? text : "");
	return b;
}

DocTable *doc_table(Doc *d, const char *caption, int ncols, int header_rows, int nrows)
{
	DocBlock *b = push(d, DOC_TABLE);
	DocTable *t = arena_alloc(d->arena, sizeof *t);
	t->caption = arena_strdup(d->arena, caption);
	t->ncols = ncols > 0 ? ncols : 1;
	t->header_rows = header_rows < 0 ? 0 : header_rows > nrows ? nrows : header_rows;
	t->nrows = nrows > 0 ? nrows : 0;
	t->cells = arena_alloc(d->arena, sizeof *t->cells * (size_t)(t->ncols * (t->nrows ? t->nrows : 1)));
	t->widths = arena_alloc(d->arena, sizeof *t->widths * (size_t)t->ncols);
	t->right = arena_alloc(d->arena, (size_t)t->ncols);
	for (int i = 0; i < t->ncols; i++)
		t->widths[i] = 1;
	b->table = t;
	return t;
}

void doc_cell(DocTable *t, int row, int col, const char *text)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return;
	DocCell *c = &t->cells[row * t->ncols + col];
	c->text = text;
	c->is_num = 0;
}

void doc_cell_num(DocTable *t, int row, int col, const char *text, double num)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return;
	DocCell *c = &t->cells[row * t->ncols + col];
	c->text = text;
	c->num = num;
	c->is_num = 1;
}

DocChart *doc_chart(Doc *d, const char *caption, const char *unit, int n)
{
	DocBlock *b = push(d, DOC_CHART);
	DocChart *c = arena_alloc(d->arena, sizeof *c);
	c->caption = arena_strdup(d->arena, caption);
	c->unit = arena_strdup(d->arena, unit ? unit : "");
	c->n = n > 0 ? n : 0;
	c->labels = arena_alloc(d->arena, sizeof *c->labels * (size_t)(c->n ? c->n : 1));
	c->values = arena_alloc(d->arena, sizeof *c->values * (size_t)(c->n ? c->n : 1));
	b->chart = c;
	return c;
}

/* ---- JSON ---- */

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

json_t *doc_to_json(const Doc *d)
{
	json_t *o = json_object();
	set_str(o, "issuer", d->issuer);
	set_str(o, "number", d->number);
	set_str(o, "title", d->title);
	set_str(o, "addressee", d->addressee);
	set_str(o, "signer", d->signer);
	set_str(o, "date", d->date);
	set_str(o, "footnote", d->footnote);
	json_t *blocks = json_array();
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *b = &d->blocks[i];
		json_t *jb = json_object();
		switch (b->kind) {
		case DOC_PARA:
			json_object_set_new(jb, "kind", json_string("para"));
			set_str(jb, "text", b->text);
			break;
		case DOC_HEADING:
			json_object_set_new(jb, "kind", json_string("heading"));
			json_object_set_new(jb, "level", json_integer(b->level));
			set_str(jb, "text", b->text);
			break;
		case DOC_TABLE: {
			const DocTable *t = b->table;
			json_object_set_new(jb, "kind", json_string("table"));
			set_str(jb, "caption", t->caption);
			set_str(jb, "name", t->name);
			set_str(jb, "note", t->note);
			json_object_set_new(jb, "header_rows", json_integer(t->header_rows));
			json_t *w = json_array(), *rt = json_array(), *rows = json_array();
			for (int c = 0; c < t->ncols; c++) {
				json_array_append_new(w, json_real(t->widths ? t->widths[c] : 1));
				json_array_append_new(rt, json_boolean(t->right && t->right[c]));
			}
			for (int r = 0; r < t->nrows; r++) {
				json_t *row = json_array();
				for (int c = 0; c < t->ncols; c++) {
					const DocCell *cell = &t->cells[r * t->ncols + c];
					if (cell->is_num) {
						json_t *jc = json_object();
						json_object_set_new(jc, "t", json_string(cell->text ? cell->text : ""));
						json_object_set_new(jc, "n", json_real(cell->num));
						json_array_append_new(row, jc);
					} else {
						json_array_append_new(row, json_string(cell->text ? cell->text : ""));
					}
				}
				json_array_append_new(rows, row);
			}
			json_object_set_new(jb, "widths", w);
			json_object_set_new(jb, "right", rt);
			json_object_set_new(jb, "rows", rows);
			break;
		}
		case DOC_CHART: {
			const DocChart *c = b->chart;
			json_object_set_new(jb, "kind", json_string("chart"));
			set_str(jb, "caption", c->caption);
			set_str(jb, "unit", c->unit);
			if (c->has_mark)
				json_object_set_new(jb, "mark", json_real(c->mark));
			json_t *items = json_array();
			for (int k = 0; k < c->n; k++) {
				json_t *it = json_array();
				json_array_append_new(it, json_string(c->labels[k] ? c->labels[k] : ""));
				json_array_append_new(it, json_real(c->values[k]));
				json_array_append_new(items, it);
			}
			json_object_set_new(jb, "items", items);
			break;
		}
		}
		set_str(jb, "id", b->id);
		json_array_append_new(blocks, jb);
	}
	json_object_set_new(o, "blocks", blocks);
	return o;
}

/* A string member copied into a (NULL when absent or not a string). */
static const char *get_str(Arena *a, const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? arena_strdup(a, utf8_sanitize(a, json_string_value(v))) : NULL;
}

#define DOC_MAX_CELLS 200000

Doc *doc_from_json(Arena *a, const json_t *j, char *err, size_t errsz)
{
	if (!json_is_object(j)) {
		snprintf(err, errsz, "文档内容不是对象。");
		return NULL;
	}
	Doc *d = doc_new(a);
	d->issuer = get_str(a, j, "issuer");
	d->number = get_str(a, j, "number");
	d->title = get_str(a, j, "title");
	d->addressee = get_str(a, j, "addressee");
	d->signer = get_str(a, j, "signer");
	d->date = get_str(a, j, "date");
	d->footnote = get_str(a, j, "footnote");
	const json_t *blocks = json_object_get(j, "blocks");
	if (!json_is_array(blocks)) {
		snprintf(err, errsz, "文档缺少正文（blocks）。");
		return NULL;
	}
	size_t i;
	const json_t *jb;
	json_array_foreach(blocks, i, jb) {
		const char *kind = json_string_value(json_object_get(jb, "kind"));
		DocBlock *b = NULL;
		if (!kind) {
			snprintf(err, errsz, "第 %zu 段缺少类型。", i + 1);
			return NULL;
		}
		if (!strcmp(kind, "para")) {
			b = doc_para(d, get_str(a, jb, "text"));
		} else if (!strcmp(kind, "heading")) {
			b = doc_heading(d, (int)json_integer_value(json_object_get(jb, "level")), get_str(a, jb, "text"));
		} else if (!strcmp(kind, "table")) {
			const json_t *rows = json_object_get(jb, "rows"), *w = json_object_get(jb, "widths"),
			             *rt = json_object_get(jb, "right");
			size_t nrows = json_array_size(rows), ncols = json_array_size(w);
			if (!json_is_array(rows) || ncols == 0 || ncols > 64 || nrows * ncols > DOC_MAX_CELLS) {
				snprintf(err, errsz, "第 %zu 段的表格不完整。", i + 1);
				return NULL;
			}
			DocTable *t = doc_table(d, get_str(a, jb, "caption"), (int)ncols,
			                        (int)json_integer_value(json_object_get(jb, "header_rows")), (int)nrows);
			t->name = get_str(a, jb, "name");
			t->note = get_str(a, jb, "note");
			for (size_t c = 0; c < ncols; c++) {
				double wv = json_number_value(json_array_get(w, c));
				t->widths[c] = wv > 0 ? wv : 1;
				t->right[c] = json_is_true(json_array_get(rt, c));
			}
			for (size_t r = 0; r < nrows; r++) {
				const json_t *row = json_array_get(rows, r);
				for (size_t c = 0; c < ncols; c++) {
					const json_t *cell = json_array_get(row, c);
					if (json_is_object(cell))
						doc_cell_num(t, (int)r, (int)c, get_str(a, cell, "t"),
						             json_number_value(json_object_get(cell, "n")));
					else if (json_is_string(cell))
						doc_cell(t, (int)r, (int)c, arena_strdup(a, utf8_sanitize(a, json_string_value(cell))));
					else
						doc_cell(t, (int)r, (int)c, "");
				}
			}
			b = &d->blocks[d->nblocks - 1];
		} else if (!strcmp(kind, "chart")) {
			const json_t *items = json_object_get(jb, "items");
			size_t n = json_array_size(items);
			if (n > 10000) {
				snprintf(err, errsz, "第 %zu 段的图表过大。", i + 1);
				return NULL;
			}
			DocChart *c = doc_chart(d, get_str(a, jb, "caption"), get_str(a, jb, "unit"), (int)n);
			const json_t *mark = json_object_get(jb, "mark");
			if (json_is_number(mark)) {
				c->has_mark = 1;
				c->mark = json_number_value(mark);
			}
			for (size_t k = 0; k < n; k++) {
				const json_t *it = json_array_get(items, k);
				const char *l = json_string_value(json_array_get(it, 0));
				c->labels[k] = arena_strdup(a, utf8_sanitize(a, l ? l : ""));
				c->values[k] = json_number_value(json_array_get(it, 1));
			}
			b = &d->blocks[d->nblocks - 1];
		} else {
			snprintf(err, errsz, "第 %zu 段的类型不认识。", i + 1);
			return NULL;
		}
		b->id = get_str(a, jb, "id");
	}
	return d;
}
