/*
 * policy.h — the policy system (政策体系, 四(二) and 三(三) of the plan):
 * support measures as data (policies/ files, docs/POLICY-FORMAT.md), what a
 * base is entitled to under a measure for a year (conditions read by the
 * evaluation engine, the amount formula, the caps), the applications'
 * workflow (apply, endorse, approve, pay, return, resubmit), what the money
 * bought, and the finance products (人才创业贷、人才创业险) granted to firms
 * in the bases.
 *
 * The workflows are domain functions over (Store *, const Actor *, input):
 * each checks who may, owns its transaction, writes its audit rows and
 * answers a DomResult (domain.h). The SQL is store_policy.c's.
 */
#ifndef HATCHERY_POLICY_H
#define HATCHERY_POLICY_H

#include <jansson.h>

#include "domain.h"
#include "eval.h"
#include "store_policy.h"

/* The kinds of measure (四(二)): */
#define POLICY_KINDS "area_subsidy,recognition_award,operating_subsidy,rent_reduction,interest_subsidy,investment_cofunding"
/* The Chinese name of a kind ("场地建设补助" ...); the code when unknown. */
const char *policy_kind_zh(const char *kind);

/* One amount tier: a recognition level or an evaluation grade, and its sum. */
typedef struct PolicyTier {
	const char *key;   /* national, provincial, municipal, demonstration; A, B, C, D */
	double yuan;
} PolicyTier;

/* A support measure of a policy document. */
typedef struct PolicyMeasure {
	const char *code, *article, *title, *kind, *text, *wording, *plan_clause, *note;
	int verbatim;
	/* the conditions as a rule set the evaluation engine reads (eval_set):
	 * its kinds, specialised flag and validity are the measure's; rules may
	 * be none (nrules 0) */
	RuleSet *conditions;
	const char *valid_from, *valid_to; /* the measure's (or its document's) period */
	/* amount: basis fixed | per_new_m2 | by_level | by_grade | share_of_claim */
	const char *basis, *claim_label, *unit_label;
	double rate, fixed;
	PolicyTier *tiers;
	int ntiers;
	/* caps in yuan, < 0 none: per application, per base and year, per base
	 * in all, for the measure in a year (all bases together) */
	double cap_application, cap_base_year, cap_base_total, cap_measure_year;
	/* "year": one application per base and year; "ever": one per base; NULL: several */
	const char *once;
} PolicyMeasure;

/* A policy document (one file). */
typedef struct PolicyDoc {
	const char *code, *name, *document, *document_no, *issuer, *issued_on, *valid_from, *valid_to, *note, *source_url;
	int example;       /* 1: an example (示例), not a real document */
	PolicyMeasure *measures;
	int nmeasures;
} PolicyDoc;

/* Parses and checks a policy file (hatchery-policy/1). NULL with err naming
 * the place ("policies/x.json: measures[2].caps.per_base_year: ...") when broken. */
PolicyDoc *policy_parse(Arena *a, const char *text, size_t len, const char *origin, char *err, size_t errsz);
/* Checks and saves a document (replacing one of the same code; measures
 * kept by code so applications keep theirs), with its audit row, inside the
 * caller's transaction. H_ERR with err when broken or the store failed. */
int policy_load(Store *s, Arena *a, const char *text, size_t len, const char *origin, const char *actor, char *err,
                size_t errsz);

/* The embedded policy files (of policies/): the example the demo loads. */
typedef struct EmbeddedPolicy {
	const char *name, *data;
	const unsigned long *len;
} EmbeddedPolicy;
extern const EmbeddedPolicy embedded_policies[];
extern const int embedded_policy_count;

/* A loaded measure by its id, with its document: 1, 0 not found, -1 error. */
int policy_measure_get(Store *s, Arena *a, long long measure_id, const PolicyDoc **doc, const PolicyMeasure **m);

/* One cap as applied: its name, the cap, what is already committed, what is left. */
typedef struct PolicyCap {
	const char *name;
	double cap, used, left;
} PolicyCap;

/* What a base is entitled to under a measure for a year, and why. */
typedef struct PolicyAssessment {
	const char *as_of;           /* the conditions' date: 31 December of the year, or today */
	SetOutcome cond;             /* the conditions as the evaluation shows them (cond.set NULL: none) */
	const char *applies_why;     /* the measure does not judge this base (kind, period): why; NULL */
	int eligible;                /* 1 all met, 0 one failed, -1 one unverified (待核实) */
	int amount_known;
	double basis_value, computed, entitled;
	const char *formula;         /* "新增面积 12,000 ㎡ × 20 元/㎡ = 24 万元" */
	const char *missing;         /* why the amount cannot be computed */
	PolicyCap caps[4];
	int ncaps;
	const char *limited_by;      /* the cap that bound it; NULL */
} PolicyAssessment;

/* Assesses base_id under measure m for year (claim: the applicant's figure
 * for share_of_claim, else ignored); except_id: an application not to count
 * in the caps (itself). H_OK or H_ERR (store). */
int policy_assess(Store *s, Arena *a, const PolicyMeasure *m, long long measure_id, long long base_id, int year,
                  double claim, long long except_id, PolicyAssessment *out);
/* The assessment as JSON (new reference): conditions as the evaluation's API
 * writes them, amount with formula, caps and limit. */
json_t *policy_assessment_json(const PolicyAssessment *pa);

/* Status names in Chinese. */
const char *policy_status_zh(const char *status);

/* An application's input. */
typedef struct PolicyApplyInput {
	long long measure_id, base_id;
	int year;
	double claim;       /* share_of_claim: the figure claimed (rent, interest, investment), yuan */
	int has_claim;
	const char *note;
} PolicyApplyInput;

/* A base (its user), its area or the office applies; the conditions are
 * checked and the amount computed and kept with the application. A failed
 * condition refuses it (DOM_CONFLICT, saying which). dry_run: only assess
 * (*assessment set; nothing written). */
DomResult policy_apply(Store *s, const Actor *who, const PolicyApplyInput *in, int dry_run, long long *new_id,
                       PolicyAssessment *assessment);

/* An action on an application: "endorse" (the area, never the applicant),
 * "approve" (the office: amount; a reason when it differs from the
 * entitlement), "pay" (the office: paid_on, amount, voucher), "return" (the
 * area or the office: reason), "resubmit" (the applicant's side, after a
 * return: assessed again). */
typedef struct PolicyActInput {
	const char *action, *reason, *paid_on, *voucher, *amount_text;
	double amount;
	int has_amount;
} PolicyActInput;
DomResult policy_act(Store *s, const Actor *who, long long id, const PolicyActInput *in);
/* The applicant's side (the office, the base's area, the base's user)
 * attaches evidence (attachments.h: a PDF or an image, checked by content)
 * to an application while it is applied or returned; audited on the
 * application (before/after: its files) and on the file. DOM_OK with *file_id. */
DomResult policy_attach(Store *s, const Actor *who, long long id, const char *name, const unsigned char *data, size_t len,
                        long long *file_id);
/* The owner kind of an application's files in the attachment table. */
#define POLICY_ATTACHMENT_OWNER "policy_application"
/* Why the actor may not take the action on app (NULL: it may, as far as who
 * it is goes; the state is checked when acting). */
const char *policy_refusal(const Actor *who, const PolicyApp *app, const char *action);
/* Whether the actor sees the application (base: its own; area: its area's). */
int policy_app_visible(const Actor *who, const PolicyApp *app);

/* ---- what the money bought ---- */

/* One row: paid and what the supported bases delivered in the period. */
typedef struct PolicyResultRow {
	const char *key, *name;      /* measure code / base id / area code, and its name */
	int applications, bases;
	double paid, new_area_m2, firms, new_firms, funds_yuan, recognitions;
} PolicyResultRow;
typedef struct PolicyResults {
	int year;                    /* 0: the whole period */
	PolicyResultRow *by_measure, *by_area, *by_base, total;
	int nmeasure, narea, nbase;
} PolicyResults;
int policy_results(Store *s, Arena *a, const Plan *p, int year, PolicyResults *out);

/* ---- finance products (人才创业贷、人才创业险) ---- */

/* The office adds a product: kind loan|insurance, name, provider. */
DomResult finance_product_add(Store *s, const Actor *who, const char *kind, const char *name, const char *provider,
                              const char *note, long long *new_id);
/* The office, or the base's area, records a loan or policy granted to a
 * firm of a base: amount (yuan) > 0, date. */
DomResult finance_grant_add(Store *s, const Actor *who, long long product_id, long long base_id, const char *firm,
                            double amount, const char *granted_on, const char *note, long long *new_id);

#endif
