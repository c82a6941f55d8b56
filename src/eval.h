/*
 * eval.h — evaluating a base against rule sets (七个一, the national,
 * provincial and Wenzhou rules): the measures rules read, the facts of a
 * base they read them from, and the result of each rule with its gap.
 *
 * A rule passes or fails only on measured data; a missing figure is
 * `unknown`, never `pass`. Comparisons follow the source's wording: 以上 is
 * >= (the number itself counts), 超 is >.
 */
#ifndef HATCHERY_EVAL_H
#define HATCHERY_EVAL_H

#include "plan.h"
#include "store.h"

typedef enum { EV_UNKNOWN = 0, EV_PASS, EV_FAIL } EvalResult;

/* 1 when m is a measure rules may name. */
int eval_measure_known(const char *m);

/* A measured value, with where it came from (shown to the reviewer). */
typedef struct Measured {
	int known;
	double value;
	const char *source;  /* e.g. "在孵企业登记 48/55", "2024 年度数据" */
} Measured;

/* An annual figure field a rule may read (staff, mentors, ...). */
typedef struct FigureField {
	const char *code, *label, *unit;
} FigureField;
extern const FigureField figure_fields[];
extern const int figure_field_count;
const FigureField *figure_field(const char *code);

/* Everything about one base that the measures read, loaded at once. */
typedef struct BaseFacts {
	long long id;
	const char *name, *area, *kind, *opened_on, *leading_industry, *as_of;
	double total_area_m2, incubation_area_m2, public_service_area_m2;
	int has_public_platform, operator_count, facilities_count;
	int firm_records, firm_leading, firm_graduated; /* from firm records (approved) */
	int reported_firms, reported_leading;           /* the base's own counts; -1 unknown */
	double funds_inside_yuan, seed_angel_leading_yuan, seed_angel_yuan;
	int nfigures;
	BaseFigure *figures;  /* newest year first */
} BaseFacts;

/* Loads the facts of base id as of a date (NULL: today). 1 found, 0 not, -1 error. */
int eval_load_facts(Store *s, Arena *a, long long id, const char *as_of, BaseFacts *f);

/* The value of a measure for a base (unknown when the data is missing). */
Measured eval_measure(Arena *a, const BaseFacts *f, const char *measure);

/* a <op> b */
int eval_compare(double a, const char *op, double b);

/* One rule's outcome. */
typedef struct RuleOutcome {
	const Rule *rule;
	EvalResult result;
	Measured value, or_value;
	const char *gap;         /* "还差 12,000 ㎡"; NULL when passed or unknown */
	const char *verdict_note, *verdict_by; /* judged rules */
} RuleOutcome;

/* A rule set's outcome for a base. */
typedef struct SetOutcome {
	const RuleSet *set;
	RuleOutcome *rules;
	int n, passed, failed, unknown;
	int has_score;
	double score, max_score;
} SetOutcome;

/* Evaluates one rule on measured values (pure: the unit tests use it). */
EvalResult eval_rule(const Rule *r, Measured v, Measured alt);
/* The gap to the threshold in the rule's unit, in Chinese; NULL when none. */
const char *eval_gap(Arena *a, const Rule *r, Measured v);

/* Evaluates a base against one set; verdicts of judged rules come from the store. */
int eval_set(Store *s, Arena *a, const BaseFacts *f, const RuleSet *set, SetOutcome *out);

/* A set's outcome as the API's JSON (a new reference). */
struct json_t;
struct json_t *eval_set_json(const SetOutcome *o);

const char *eval_result_code(EvalResult r);  /* pass, fail, unknown */
const char *eval_result_zh(EvalResult r);    /* 达标, 未达标, 待核实 */

#endif
