/*
 * forms.h — periodic report forms as data (docs/PLAN-FORMAT.md, "Report
 * forms"): the forms file a plan names (forms/x.json, embedded), parsed and
 * checked; periods ("2024-11", "2024-Q4", "2024") with their open, due and
 * close times in Beijing time; a report's values checked against its form's
 * fields and rules (hard rules block submission, soft ones need a note).
 *
 * Pure functions over memory: nothing here reads the store or knows HTTP.
 */
#ifndef HATCHERY_FORMS_H
#define HATCHERY_FORMS_H

#include <time.h>

#include "util.h"

typedef enum {
	FK_INTEGER, /* a count */
	FK_NUMBER,  /* a decimal */
	FK_MONEY,   /* stored in yuan; shown in the field's unit (元, 千元, 万元) */
	FK_AREA,    /* stored in m² */
	FK_TEXT,
	FK_CHOICE,
	FK_DATE,
	FK_LIST,    /* named rows (新引进人才名单): columns of the other types */
} FormFieldType;

typedef struct FormOption {
	const char *code, *label;
} FormOption;

typedef struct FormItem {
	const char *code, *label, *unit, *hint;
	FormFieldType type;
	int required;
	double scale;             /* money: yuan per unit shown (千元: 1000); else 1 */
	int max_chars;            /* text: at most this many characters */
	FormOption *options;      /* choice */
	int noptions;
	int in_period;            /* date: must fall inside the report's period */
	const char *counts_as;    /* the figure it becomes once accepted (talents_new) */
	int section;              /* index into Form.sections */
	struct FormItem *columns; /* list */
	int ncolumns, max_rows;
} FormItem;

typedef enum { FR_LE, FR_SUM, FR_PAIR, FR_ROWS_LE, FR_SPIKE, FR_ZERO_AFTER } FormRuleKind;

typedef struct FormRule {
	FormRuleKind kind;
	int soft;                 /* needs a note, does not block */
	const char *a, *b;        /* le: a ≤ b; pair: a > 0 ⇔ b > 0 (and b ≥ a when b_not_less); rows_le: rows(list a) ≤ b */
	int b_not_less;
	const char **fields;      /* sum: the parts (a is the total); spike, zero_after: the fields watched */
	int nfields;
	double factor;            /* spike: more than factor × the median */
	int periods;              /* spike, zero_after: how many earlier periods */
	const char *message;      /* Chinese, full-width punctuation */
} FormRule;

typedef enum { PERIOD_MONTHLY, PERIOD_QUARTERLY, PERIOD_YEARLY } PeriodType;

typedef struct Form {
	const char *code, *name, *short_name, *note;
	PeriodType period;
	const char *reporter;     /* "area", "base" or "department" */
	const char **base_kinds;  /* base reporters: the kinds that fill it (none: every kind) */
	int nbase_kinds;
	const char **departments; /* department reporters: the codes that fill it (none: every department of the plan) */
	int ndepartments;
	const char **approval;    /* levels, lowest first: ["office"] or ["area", "office"] (a base's area; an area's own sign-off) */
	int napproval;
	int opens_from_end, opens_days, due_days, closes_days;
	const char **sections;    /* titles */
	int nsections;
	FormItem *fields;        /* in order, each with its section */
	int nfields;
	FormRule *rules;
	int nrules;
} Form;

typedef struct FormSet {
	const char *code, *name;
	Form *forms;
	int nforms;
} FormSet;

/* The forms files compiled into the binary. */
typedef struct EmbeddedForms {
	const char *name; /* forms/x.json */
	const char *data;
	const unsigned long *len;
} EmbeddedForms;
extern const EmbeddedForms embedded_forms[];
extern const int embedded_forms_count;

/* Parses and checks a forms file; NULL with err naming the place
 * ("forms/x.json: forms[0].fields[2].type: ...") when broken. */
FormSet *forms_parse(Arena *a, const char *text, size_t len, const char *origin, char *err, size_t errsz);
/* The embedded forms file of this name (NULL: the first); NULL when none. */
const EmbeddedForms *forms_embedded(const char *name);
const Form *forms_find(const FormSet *fs, const char *code);
const FormItem *form_field(const Form *f, const char *code);
int form_field_index(const Form *f, const char *code);

/* ---- periods ---- */

typedef struct Period {
	char key[32];             /* 2024-11, 2024-Q4, 2024 */
	char start[40], end[40];  /* first and last day (sized for the compiler) */
	time_t opens, due, closes; /* Unix seconds: open from `opens`; on time before `due`; closed from `closes` */
} Period;

/* Reads a period key of the form's type and computes its window. 0 when the
 * key is not one (wrong shape, or of another period type). */
int period_parse(const Form *f, const char *key, Period *out);
/* The period of the form's type that contains the Beijing day `day`. */
void period_containing(const Form *f, const char *day, Period *out);
/* The period before (n = -1) or after (n = 1) p. */
void period_step(const Form *f, const Period *p, int n, Period *out);
/* Unix time of 00:00 Beijing time of a date. */
time_t beijing_midnight(const char *date);
/* "2026-12-02 09:59" in Beijing time (out ≥ 17 bytes). */
void beijing_format(time_t t, char out[20]);
/* "2026-12-02T09:59:31+08:00" (out ≥ 26 bytes). */
void beijing_iso(time_t t, char out[26]);
/* Reads "YYYY-MM-DDTHH:MM[:SS]" with "Z" or "+08:00" (or no zone: Beijing); -1 when not one. */
time_t time_parse(const char *s);
/* What time it is: $HATCHERY_NOW (tests pin it) or the clock. */
time_t report_now(void);
/* A period's state at `now`: "not_open", "open" (before due), "overdue" (past due, not closed), "closed". */
const char *period_state(const Period *p, time_t now);
/* "2024年11月", "2024年第四季度", "2024年度". */
const char *period_label(Arena *a, const Form *f, const Period *p);

/* ---- values and their checks ---- */

/* A report's values, one slot per form field (lists: rows of cells). */
typedef struct ReportData {
	const char **text;        /* per field: the value as text (numbers canonical, in base units), NULL when empty */
	double *num;              /* per numeric field, in base units (yuan, m²) */
	const char **note;        /* per field: the reporter's explanation of a soft warning */
	int *nrows;               /* per list field */
	const char ***cells;      /* per list field: nrows × ncolumns texts */
} ReportData;

ReportData *report_data_new(Arena *a, const Form *f);

/* One message about a field (or the whole report when field is NULL). */
typedef struct Issue {
	const char *field;        /* field code; for a list cell "list.row.column" (row from 1) */
	const char *message;
	int soft;                 /* a warning that needs a note */
	int explained;            /* soft: the note is there */
} Issue;

typedef struct Issues {
	Issue *v;
	int n, cap;
	int format_errors;        /* values that could not be read (nothing may be saved) */
	int hard, soft_open;      /* broken hard rules and missing fields; soft warnings without a note */
} Issues;

/* Reads what a person typed into a field of type t ("8,000", "８０００", "0.8万",
 * "1.5"): the value in base units (yuan for money, scaled from the box's unit).
 * 0 with a Chinese message when it is not a number of that kind. */
int form_read_number(const FormItem *fd, const char *typed, int in_box_unit, double *out, const char **msg, Arena *a);
/* Sets a field from typed text (page: in the box's unit; API: base units);
 * a bad value is an issue with format_errors counted. */
void report_set_typed(Arena *a, const Form *f, ReportData *d, int field, const char *typed, int in_box_unit,
                      Issues *is);
/* Sets one cell of a list row. */
void report_set_cell(Arena *a, const Form *f, ReportData *d, int field, int row, int col, const char *typed,
                     const Period *p, Issues *is);

/* Earlier values of one field, newest first (what the soft rules compare to). */
typedef struct History {
	const char *field;
	double *v;
	int n;                    /* periods found, newest first */
} History;

/* Checks required fields, the rules and list cells. hist: the earlier
 * periods' values of the same reporter (may be NULL). Adds issues. */
void report_check(Arena *a, const Form *f, const Period *p, const ReportData *d, const History *hist, int nhist,
                  Issues *is);
void issues_add(Arena *a, Issues *is, const char *field, int soft, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A value for people: "1,234", "12.5 千元" (money in the field's unit). */
const char *form_value_text(Arena *a, const FormItem *fd, const char *text, double num, int with_unit);

#endif
