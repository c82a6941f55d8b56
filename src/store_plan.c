/*
 * store_plan.c — writing a checked plan into its tables, and reading back
 * the parts that change after init (targets) or that are kept whole (the
 * plan's JSON text).
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int insert_area(Store *s, const Area *a, int sort)
{
	static const char sql[] =
		"INSERT INTO area(code, name, name_en, level, grp, parent, note, sort) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, a->code);
	bind_text(st, 2, a->name);
	bind_text(st, 3, a->name_en);
	bind_text(st, 4, a->level);
	bind_text(st, 5, a->group);
	bind_text(st, 6, a->parent);
	bind_text(st, 7, a->note);
	sqlite3_bind_int(st, 8, sort);
	return store_step_done(s, st, "save area");
}

/* Areas may name a parent listed after them; insert in passes until all
 * are in (the plan checker has already refused cycles and unknown parents). */
static int insert_areas(Store *s, const Plan *p)
{
	if (insert_area(s, &p->city, 0) != H_OK)
		return H_ERR;
	char *done = xcalloc((size_t)p->nareas + 1, 1);
	int left = p->nareas, rc = H_OK;
	while (left > 0 && rc == H_OK) {
		int progressed = 0;
		for (int i = 0; i < p->nareas && rc == H_OK; i++) {
			if (done[i])
				continue;
			const char *par = p->areas[i].parent;
			int ready = !par || strcmp(par, p->city.code) == 0;
			for (int j = 0; j < p->nareas && !ready; j++)
				if (done[j] && strcmp(p->areas[j].code, par) == 0)
					ready = 1;
			if (!ready)
				continue;
			rc = insert_area(s, &p->areas[i], i + 1);
			done[i] = 1;
			left--;
			progressed = 1;
		}
		if (!progressed && rc == H_OK) {
			snprintf(s->err, sizeof s->err, "areas: a parent cycle");
			rc = H_ERR;
		}
	}
	free(done);
	return rc;
}

int store_plan_save(Store *s, const Plan *p)
{
	static const char q_has[] = "SELECT count(*) FROM plan_doc";
	static const char q_doc[] =
		"INSERT INTO plan_doc(id, code, name, start_on, json, loaded_at) "
		"VALUES (1, ?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
	static const char q_year[] = "INSERT INTO plan_year(year) VALUES (?1)";
	static const char q_group[] =
		"INSERT INTO area_group(code, name, name_en, focus, block, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	static const char q_unit[] =
		"INSERT INTO layout_unit(code, name, name_en, kind, sort) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char q_dept[] =
		"INSERT INTO department(code, name, name_en, sort) VALUES (?1, ?2, ?3, ?4)";
	static const char q_vocab[] =
		"INSERT INTO vocab(list, code, name, name_en, extra, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	static const char q_ind[] =
		"INSERT INTO indicator(code, name, name_en, unit, kind, measure, level, measure_zh, measure_en, sort) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	static const char q_target[] =
		"INSERT INTO target(indicator, scope, year, value, op, wording, source) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'plan')";
	static const char q_work[] =
		"INSERT INTO work_item(code, no, title, summary, sort) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char q_work_unit[] =
		"INSERT INTO work_item_unit(work_item, unit, sort) VALUES (?1, ?2, ?3)";

	sqlite3_stmt *st = store_stmt(s, q_has);
	if (!st)
		return H_ERR;
	int has = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (has) {
		snprintf(s->err, sizeof s->err, "the database already holds a plan");
		return H_ERR;
	}

	if (!(st = store_stmt(s, q_doc)))
		return H_ERR;
	bind_text(st, 1, p->code);
	bind_text(st, 2, p->name);
	bind_text(st, 3, p->start);
	bind_text(st, 4, p->json);
	if (store_step_done(s, st, "save plan") != H_OK)
		return H_ERR;

	for (int i = 0; i < p->nyears; i++) {
		if (!(st = store_stmt(s, q_year)))
			return H_ERR;
		sqlite3_bind_int(st, 1, p->years[i]);
		if (store_step_done(s, st, "save plan year") != H_OK)
			return H_ERR;
	}
	for (int i = 0; i < p->ngroups; i++) {
		const AreaGroup *g = &p->groups[i];
		if (!(st = store_stmt(s, q_group)))
			return H_ERR;
		bind_text(st, 1, g->code);
		bind_text(st, 2, g->name);
		bind_text(st, 3, g->name_en);
		bind_text(st, 4, g->focus);
		bind_text(st, 5, g->block);
		sqlite3_bind_int(st, 6, i);
		if (store_step_done(s, st, "save area group") != H_OK)
			return H_ERR;
	}
	if (insert_areas(s, p) != H_OK)
		return H_ERR;
	for (int i = 0; i < p->nlayout_units; i++) {
		const LayoutUnit *u = &p->layout_units[i];
		if (!(st = store_stmt(s, q_unit)))
			return H_ERR;
		bind_text(st, 1, u->code);
		bind_text(st, 2, u->name);
		bind_text(st, 3, u->name_en);
		bind_text(st, 4, u->kind);
		sqlite3_bind_int(st, 5, i);
		if (store_step_done(s, st, "save layout unit") != H_OK)
			return H_ERR;
	}
	for (int i = 0; i < p->ndepartments; i++) {
		const Department *d = &p->departments[i];
		if (!(st = store_stmt(s, q_dept)))
			return H_ERR;
		bind_text(st, 1, d->code);
		bind_text(st, 2, d->name);
		bind_text(st, 3, d->name_en);
		sqlite3_bind_int(st, 4, i);
		if (store_step_done(s, st, "save department") != H_OK)
			return H_ERR;
	}
	for (int i = 0; i < p->nvocab; i++) {
		const Vocab *v = &p->vocab[i];
		if (!(st = store_stmt(s, q_vocab)))
			return H_ERR;
		bind_text(st, 1, v->list);
		bind_text(st, 2, v->code);
		bind_text(st, 3, v->name);
		bind_text(st, 4, v->name_en);
		bind_text(st, 5, v->extra);
		sqlite3_bind_int(st, 6, i);
		if (store_step_done(s, st, "save code list") != H_OK)
			return H_ERR;
	}
	for (int i = 0; i < p->nindicators; i++) {
		const Indicator *in = &p->indicators[i];
		if (!(st = store_stmt(s, q_ind)))
			return H_ERR;
		bind_text(st, 1, in->code);
		bind_text(st, 2, in->name);
		bind_text(st, 3, in->name_en);
		bind_text(st, 4, in->unit);
		bind_text(st, 5, in->kind);
		bind_text(st, 6, in->measure);
		bind_text(st, 7, in->level);
		bind_text(st, 8, in->measure_zh);
		bind_text(st, 9, in->measure_en);
		sqlite3_bind_int(st, 10, i);
		if (store_step_done(s, st, "save indicator") != H_OK)
			return H_ERR;
	}
	for (int i = 0; i < p->ntargets; i++) {
		const Target *t = &p->targets[i];
		if (!(st = store_stmt(s, q_target)))
			return H_ERR;
		bind_text(st, 1, t->indicator);
		bind_text(st, 2, t->scope);
		sqlite3_bind_int(st, 3, t->year);
		sqlite3_bind_double(st, 4, t->value);
		bind_text(st, 5, t->op);
		bind_text(st, 6, t->wording);
		if (store_step_done(s, st, "save target") != H_OK)
			return H_ERR;
	}
	for (int i = 0; i < p->nrule_sets; i++)
		if (store_rule_set_save(s, &p->rule_sets[i], "plan", i) != H_OK)
			return H_ERR;
	for (int i = 0; i < p->nwork_items; i++) {
		const WorkItem *w = &p->work_items[i];
		if (!(st = store_stmt(s, q_work)))
			return H_ERR;
		bind_text(st, 1, w->code);
		bind_text(st, 2, w->no);
		bind_text(st, 3, w->title);
		bind_text(st, 4, w->summary);
		sqlite3_bind_int(st, 5, i);
		if (store_step_done(s, st, "save work item") != H_OK)
			return H_ERR;
		for (int j = 0; j < w->nunits; j++) {
			if (!(st = store_stmt(s, q_work_unit)))
				return H_ERR;
			bind_text(st, 1, w->code);
			bind_text(st, 2, w->units[j]);
			sqlite3_bind_int(st, 3, j);
			if (store_step_done(s, st, "save responsible unit") != H_OK)
				return H_ERR;
		}
	}
	return H_OK;
}

const char *store_plan_json(Store *s, Arena *a)
{
	static const char sql[] = "SELECT json FROM plan_doc WHERE id = 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return NULL;
	const char *json = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		json = col_text(a, st, 0);
	sqlite3_reset(st);
	return json;
}

#define STRINGS_MAX_BYTES (1u << 20)

/* The connection's copy of str (NULL: NULL), or NULL when the pool is full
 * or out of memory. Never freed before the connection closes: what the
 * kept targets point to stays valid for every request's copy of them. */
static const char *intern(Store *s, const char *str, int *ok)
{
	if (!str)
		return NULL;
	size_t len = strlen(str);
	uint32_t h = hash_fnv1a(str, len);
	if (s->strings_cap) {
		for (size_t k = h & (s->strings_cap - 1);; k = (k + 1) & (s->strings_cap - 1)) {
			if (!s->strings[k])
				break;
			if (strcmp(s->strings[k], str) == 0)
				return s->strings[k];
		}
	}
	if (s->strings_bytes + len + 1 > STRINGS_MAX_BYTES) {
		*ok = 0;
		return NULL;
	}
	if ((s->strings_used + 1) * 2 > s->strings_cap) {
		size_t cap = s->strings_cap ? s->strings_cap * 2 : 256;
		char **v = calloc(cap, sizeof *v);
		if (!v) {
			*ok = 0;
			return NULL;
		}
		for (size_t i = 0; i < s->strings_cap; i++)
			if (s->strings[i]) {
				size_t k = hash_fnv1a(s->strings[i], strlen(s->strings[i])) & (cap - 1);
				while (v[k])
					k = (k + 1) & (cap - 1);
				v[k] = s->strings[i];
			}
		free(s->strings);
		s->strings = v;
		s->strings_cap = cap;
	}
	char *c = malloc(len + 1);
	if (!c) {
		*ok = 0;
		return NULL;
	}
	memcpy(c, str, len + 1);
	size_t k = h & (s->strings_cap - 1);
	while (s->strings[k])
		k = (k + 1) & (s->strings_cap - 1);
	s->strings[k] = c;
	s->strings_used++;
	s->strings_bytes += len + 1;
	return c;
}

/* One row of (indicator, scope, year, value, op, wording, source) into t:
 * its strings in a, or the connection's own (intern) when a is NULL, which
 * clears *ok when they cannot be kept. */
static void target_row(Store *s, Arena *a, sqlite3_stmt *st, Target *t, int *ok)
{
	const char *text[7] = {0};
	for (int i = 0; i < 7; i++)
		if (i != 2 && i != 3)
			text[i] = a ? col_text(a, st, i) : intern(s, (const char *)sqlite3_column_text(st, i), ok);
	t->indicator = text[0];
	t->scope = text[1];
	t->year = sqlite3_column_int(st, 2);
	t->value = sqlite3_column_double(st, 3);
	t->op = text[4];
	t->wording = text[5];
	t->source = text[6];
}

int store_targets(Store *s, Arena *a, const char *scope, Target **out)
{
	static const char sql[] =
		"SELECT t.indicator, t.scope, t.year, t.value, t.op, t.wording, t.source "
		"FROM target t JOIN indicator i ON i.code = t.indicator "
		"WHERE ?1 IS NULL OR t.scope = ?1 ORDER BY i.sort, t.scope, t.year";
	/* one scope: the same rows through the index target_scope */
	static const char sql_scope[] =
		"SELECT t.indicator, t.scope, t.year, t.value, t.op, t.wording, t.source "
		"FROM target t JOIN indicator i ON i.code = t.indicator "
		"WHERE t.scope = ?1 ORDER BY i.sort, t.scope, t.year";
	sqlite3_stmt *st = store_stmt(s, scope ? sql_scope : sql);
	if (!st)
		return -1;
	bind_text(st, 1, scope);
	int n = 0, cap = 0;
	Target *v = NULL;
	int ok = 1;
	while (sqlite3_step(st) == SQLITE_ROW)
		target_row(s, a, st, arena_push(a, &v, &n, &cap, sizeof *v), &ok);
	sqlite3_reset(st);
	*out = v;
	return n;
}

/* Reads every target, grouped by scope: into a when a is given, else into
 * a new malloc'd array whose strings are the connection's (intern); -1 on
 * a store error, -2 when the strings cannot be kept. */
static int targets_read(Store *s, Arena *a, Target **out)
{
	/* the index target_scope gives them grouped by scope, no sort */
	static const char sql[] =
		"SELECT indicator, scope, year, value, op, wording, source FROM target INDEXED BY target_scope ORDER BY scope";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0, rc, ok = 1;
	Target *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && ok) {
		Target *t;
		if (a) {
			t = arena_push(a, &v, &n, &cap, sizeof *t);
		} else {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				Target *w = realloc(v, (size_t)cap * sizeof *w);
				if (!w) {
					ok = 0;
					break;
				}
				v = w;
			}
			t = &v[n++];
		}
		target_row(s, a, st, t, &ok);
	}
	sqlite3_reset(st);
	if (!ok || rc != SQLITE_DONE) {
		if (!a)
			free(v);
		return ok ? -1 : -2;
	}
	*out = v;
	return n;
}

/* Brings the connection's targets up to date: 1 when s->targets holds
 * them, 0 when they cannot be kept now (read them into the arena), -1 on
 * a store error.
 * Targets are in no area: they change only with n - area_n (schema step
 * 7). Outside a transaction the connection keeps them while that stamp
 * stays; the stamp is read first, so what is kept is at least as new as
 * the stamp it is kept under. */
static int targets_memo(Store *s)
{
	static const char q_global[] = "SELECT n - area_n FROM data_stamp WHERE id = 1";
	if (!sqlite3_get_autocommit(s->db) || s->targets_kept < 0)
		return 0;
	sqlite3_stmt *st = store_stmt(s, q_global);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	long long global = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		store_fail(s, "targets: the data stamp");
		return -1;
	}
	if (s->targets_kept && s->targets_global == global)
		return 1;
	Target *v = NULL;
	int n = targets_read(s, NULL, &v);
	if (n == -1)
		return -1;
	free(s->targets);
	s->targets = NULL;
	s->targets_kept = 0;
	if (n == -2) { /* the strings could not be kept: never again */
		s->targets_kept = -1;
		return 0;
	}
	s->targets = v;
	s->ntargets = n;
	s->targets_global = global;
	s->targets_kept = 1;
	return 1;
}

int store_targets_by_scope(Store *s, Arena *a, Target **out)
{
	int m = targets_memo(s);
	if (m <= 0)
		return m < 0 ? -1 : targets_read(s, a, out);
	Target *v = arena_alloc(a, sizeof *v * (size_t)(s->ntargets + 1));
	if (s->ntargets)
		memcpy(v, s->targets, sizeof *v * (size_t)s->ntargets);
	*out = v;
	return s->ntargets;
}

int store_targets_in_scope(Store *s, Arena *a, const char *scope, Target **out)
{
	int m = targets_memo(s);
	if (m < 0)
		return -1;
	if (m == 0)
		return store_targets(s, a, scope, out);
	const Target *first;
	int n = store_targets_of_scope(s->targets, s->ntargets, scope, &first);
	Target *v = arena_alloc(a, sizeof *v * (size_t)(n + 1));
	if (n)
		memcpy(v, first, sizeof *v * (size_t)n);
	*out = v;
	return n;
}

int store_targets_of_scope(const Target *t, int nt, const char *scope, const Target **first)
{
	int lo = 0, hi = nt;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (strcmp(t[mid].scope, scope) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int end = lo;
	while (end < nt && strcmp(t[end].scope, scope) == 0)
		end++;
	*first = t + lo;
	return end - lo;
}

int store_target_set(Store *s, const char *indicator, const char *scope, int year, double value, const char *op,
                     const char *source)
{
	static const char sql[] =
		"INSERT INTO target(indicator, scope, year, value, op, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		"ON CONFLICT(indicator, scope, year) DO UPDATE SET value = excluded.value, op = excluded.op, "
		"source = excluded.source";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, indicator);
	bind_text(st, 2, scope);
	sqlite3_bind_int(st, 3, year);
	sqlite3_bind_double(st, 4, value);
	bind_text(st, 5, op ? op : ">=");
	bind_text(st, 6, source);
	return store_step_done(s, st, "save target");
}

int store_target_delete(Store *s, const char *indicator, const char *scope, int year)
{
	static const char sql[] = "DELETE FROM target WHERE indicator = ?1 AND scope = ?2 AND year = ?3";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, indicator);
	bind_text(st, 2, scope);
	sqlite3_bind_int(st, 3, year);
	return store_step_done(s, st, "delete target");
}
