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
	/* Where two sources disagree (the base's stated firm counts and its
	 * firm records): what the page flags. doubt: the value cannot decide
	 * the rule (the records are fewer than the base says it has), so the
	 * rule is 待核实 until they agree. */
	const char *conflict;
	int doubt;
} Measured;

/* An annual figure field a rule may read (staff, mentors, ...). */
typedef struct FigureField {
	const char *code, *label, *unit;
} FigureField;
extern const FigureField figure_fields[];
extern const int figure_field_count;
const FigureField *figure_field(const char *code);

/* BaseFacts, everything about one base that the measures read: model.h. */

/* Loads the facts of base id as of a date (NULL: today). 1 found, 0 not, -1 error. */
int eval_load_facts(Store *s, Arena *a, long long id, const char *as_of, BaseFacts *f);

/* The Civil Code's periods (民法典 第二百零一条、第二百零二条): the day of
 * `from` is not counted; a period of n months ends on the corresponding
 * day of the n-th month after, or on that month's last day where there is
 * none. The end day of n months after from, into out. */
void eval_add_months(const char *from, int n, char out[11]);
/* Full months from `from` to `to` (the period complete on its last day). */
int eval_months_between(const char *from, const char *to);
/* Full years with the fraction of the running one. */
double eval_years_between(const char *from, const char *to);

/* Whether a set judges this base (its kind and specialised flag), and
 * whether it is in force on a date; why (Chinese) when not. */
int eval_set_applies(const RuleSet *rs, const char *kind, int specialised, const char **why);
int eval_set_in_force(const RuleSet *rs, const char *as_of, const char **why);
/* Both: the set judges this base on f->as_of (why when not). */
int eval_set_for(const RuleSet *rs, const BaseFacts *f, const char **why);
/* The set in force on f->as_of that judges an application of this base
 * for a level (demonstration, national, provincial, municipal); NULL when
 * none. */
const RuleSet *eval_set_for_level(const RuleSet *sets, int n, const BaseFacts *f, const char *level);
/* The level's name in Chinese (示范, 国家级, 省级, 市级). */
const char *eval_level_zh(const char *level);

/* The evaluation date by default: today, or the plan's last day when the
 * plan period is over (the sets of the plan period judge it). */
void eval_default_as_of(const Plan *p, char out[11]);

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
