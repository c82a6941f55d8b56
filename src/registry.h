/*
 * registry.h — the record kinds of the registry described as data: each
 * field's name (API, database column, xlsx header key), Chinese label,
 * type, whether it is required, its range or code list. One description
 * drives the API's validation, the forms (with errors next to each field),
 * the lists and, later, the import and export templates.
 *
 * Values travel as strings (from a form, a JSON body or a spreadsheet
 * cell); registry_check() turns them into typed, checked values or
 * Chinese errors per field.
 */
#ifndef HATCHERY_REGISTRY_H
#define HATCHERY_REGISTRY_H

#include <jansson.h>

#include "plan.h"
#include "store.h"

typedef enum {
	FT_TEXT,   /* free text, max_len bytes */
	FT_INT,    /* whole number in [min, max] */
	FT_REAL,   /* number in [min, max] */
	FT_DATE,   /* YYYY-MM-DD */
	FT_BOOL,   /* 0/1 (是/否, true/false accepted) */
	FT_CODE,   /* one code of a plan list (vocab list name in `list`) */
	FT_CODES,  /* several codes of a plan list: a JSON array, or codes joined by , */
	FT_AREA,   /* an area code of the plan (not the city) */
	FT_LAYOUT, /* a layout unit code of the plan */
	FT_REF,    /* the id of a record of another kind (`list` names the table) */
	FT_USCC,   /* 统一社会信用代码, 18 characters with the GB 32100-2015 check digit */
} FieldType;

enum {
	FF_REQUIRED = 1,  /* must be present and non-empty on create */
	FF_LIST = 2,      /* a column of the list page */
	FF_READONLY = 4,  /* set by the system (id, review status), never by input */
};

typedef struct Field {
	const char *name;   /* API and column name */
	const char *label;  /* Chinese label */
	FieldType type;
	unsigned flags;
	const char *list;   /* FT_CODE/FT_CODES: vocab list; FT_REF: table; FT_CODE with a
	                       fixed set: "=a:标签|b:标签" */
	double min, max;    /* FT_INT/FT_REAL range */
	int max_len;        /* FT_TEXT */
	const char *hint;   /* shown under the field */
} Field;

typedef struct Kind {
	const char *name;    /* "bases": the API path and the audit record kind */
	const char *label;   /* 孵化基地 */
	const Field *fields;
	int nfields;
	const char *date_field;        /* the date lists filter on (from, to) */
	const char *filter1, *filter2; /* the kind's own list filters: field names
	                                  ("level" for a base: a recognition level) */
} Kind;

extern const Kind kind_base, kind_operator, kind_fund, kind_investment, kind_project, kind_firm;
/* Every kind, in menu order. */
extern const Kind *const registry_kinds[];
extern const int registry_kind_count;

/* 1 when code is a valid 统一社会信用代码 (GB 32100-2015, check digit included). */
int uscc_valid(const char *code);

#define REG_MAX_FIELDS 40

/* Input values by field index; NULL = absent. err: the field's problem. */
typedef struct Values {
	const Kind *kind;
	const char *v[REG_MAX_FIELDS];
	const char *err[REG_MAX_FIELDS];
	int nerr;
	const char *unknown;  /* the first input key that is no field, if any */
	/* a record with the same natural key exists (registry_natural_key):
	 * its id, and the field its error is on (pages link to it) */
	long long dup_id;
	int dup_field;
} Values;

/* The fields that name one record of kind k (its natural key), given its
 * values: a firm's 统一社会信用代码 (without one, its name within its base);
 * a base's name within its area; an operator's name; a fund's name and
 * set-up date; an investment's fund, investee and date; a project's name,
 * area and arrival date. NULL-terminated; NULL when v does not fill them. */
const char *const *registry_natural_key(const Kind *k, const Values *v);
/* The key in words for messages ("名称和所属区域"). */
const char *registry_key_words(const Kind *k, const char *const *key, Arena *a);

int registry_field_index(const Kind *k, const char *name);
/* The kind named name ("bases"); NULL when none. */
const Kind *kind_by_name(const char *name);
/* The label of code in a fixed set ("=a:甲|b:乙"), the code itself when it
 * has none, NULL when it is not in the set. */
const char *registry_fixed_label(const char *set, const char *code, Arena *a);
/* The codes of a fixed set, in order (pointers valid until the next call
 * on this thread); returns their number. */
int registry_fixed_codes(const char *set, const char **codes, int max);
/* The codes of a fixed set and their labels, in order, copied into a;
 * returns their number (at most max). */
int registry_fixed_pairs(const char *set, Arena *a, const char **codes, const char **labels, int max);

/* Reads a JSON object into v (numbers and booleans become text); keys that
 * are not writable fields are reported in v->unknown. */
void registry_from_json(Arena *a, const Kind *k, json_t *obj, Values *v);
/* Reads the urlencoded form fields of the kind (req_form-like getter). */
void registry_from_lookup(const Kind *k, const char *(*get)(void *ctx, const char *key), void *ctx, Values *v);

/*
 * Checks v: types, ranges, codes against the plan, references against the
 * store, required fields when creating. Normalises in place (是 → 1, codes
 * trimmed). Returns the number of errors (also v->nerr); each in v->err[i]
 * in Chinese, saying what is wrong and what to do. s NULL: the checks that
 * read the database (references, a record's area against its base's) are
 * left out — for a caller that made them already in the same transaction.
 */
int registry_check(Values *v, Arena *a, const Plan *p, Store *s, int creating);

/* Copies every field of `from` that is absent in `into` (PATCH on top of the stored record). */
void registry_merge(Values *into, const Values *from);

/* The stored record as Values (text), from its JSON (store_*_json). */
void registry_from_record_json(Arena *a, const Kind *k, const char *json, Values *v);

#endif
