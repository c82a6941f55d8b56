/*
 * model.h — the records of hatchery as plain C structs, shared by the plan
 * loader, the store, the computations and the pages. Strings point into the
 * arena of whoever loaded the record; nothing here owns memory.
 */
#ifndef HATCHERY_MODEL_H
#define HATCHERY_MODEL_H

/* An entry of a small code list (base kinds, levels, facilities, ...). */
typedef struct Vocab {
	const char *list;     /* base_kind, base_level, space_source, facility, operator_capability, fund_kind */
	const char *code, *name, *name_en;
	const char *extra;    /* facility: inside|around */
} Vocab;

typedef struct AreaGroup {
	const char *code, *name, *name_en, *focus, *block;
} AreaGroup;

/* The city or one of its areas (org units). */
typedef struct Area {
	const char *code, *name, *name_en;
	const char *level;    /* city | area */
	const char *group;    /* AreaGroup code; NULL for the city */
	const char *parent;   /* NULL for the city */
	const char *note;
	/* joined from the group, for display */
	const char *group_name, *focus, *block;
} Area;

typedef struct LayoutUnit {
	const char *code, *name, *name_en, *kind;
} LayoutUnit;

typedef struct Department {
	const char *code, *name, *name_en;
} Department;

typedef struct Indicator {
	const char *code, *name, *name_en, *unit;
	const char *kind;     /* plan | competition */
	const char *measure;  /* see progress.c */
	const char *level;    /* for bases_recognised */
	const char *measure_zh, *measure_en;
} Indicator;

typedef struct Target {
	const char *indicator, *scope;
	int year;
	double value;
	const char *op;       /* >= | > */
	const char *wording;
	const char *source;   /* plan | entered | imported */
} Target;

typedef struct Rule {
	const char *id;
	int item;
	const char *text, *wording, *measure, *op, *unit;
	double threshold;
	int has_threshold;
	/* an alternative that also satisfies the rule ("或"), when or_measure is set */
	const char *or_measure, *or_op;
	double or_threshold;
	/* points in a rubric, when has_score */
	double score;
	int has_score;
	/* where the wording comes from: the article (第七条第2项), and whether
	 * `wording` quotes the official text word for word (1) or paraphrases
	 * it (0) */
	const char *article;
	int verbatim;
} Rule;

typedef struct RuleSet {
	const char *code, *name, *name_en, *source, *citation, *note;
	/* which bases and applications the set judges: the level applied for
	 * (demonstration, national, provincial, municipal), the base kinds (a
	 * comma list, NULL = every kind), specialised (-1 either, 0 general
	 * only, 1 specialised only) */
	const char *level, *kinds;
	int specialised;
	/* the period the set is in force (NULL = open), the text's date and
	 * the public copy it was read from */
	const char *valid_from, *valid_to, *issued_on, *source_url;
	Rule *rules;
	int nrules;
} RuleSet;

/* A sub-clause of a work item with its own responsible units, as the plan
 * states them: the lead first, then the co-responsible ones. */
typedef struct WorkClause {
	const char *code, *title, *text;
	const char **units;   /* department codes or "@areas"; units[0] leads */
	int nunits;
	const char *indicator; /* a plan indicator that measures it, or NULL */
} WorkClause;

typedef struct WorkItem {
	const char *code, *no, *title, *summary;
	const char **units;   /* department codes or "@areas" */
	int nunits;
	WorkClause *clauses;  /* its sub-clauses (the task list's rows); may be none */
	int nclauses;
} WorkItem;

/* An incubation base (孵化基地) with what the pages show of it. */
typedef struct Base {
	long long id;
	const char *name, *kind, *area, *layout_unit, *leading_industry, *status;
	const char *opened_on, *address, *space_source, *contact, *public_platform;
	const char *facilities;  /* JSON array text */
	long long operator_id;   /* 0 = none */
	int specialised, has_public_platform;
	double total_area_m2, incubation_area_m2, public_service_area_m2;
	int firms_total, firms_leading_industry, talents, teams; /* -1 = unknown */
	const char *review_status, *created_by;
	/* joined */
	const char *operator_name, *levels; /* levels: "national:2023-05-01,..." */
} Base;

typedef struct Operator {
	long long id;
	const char *name, *area, *introduced_on, *capabilities, *evidence, *note;
	int leading_firm;
	const char *review_status, *created_by;
} Operator;

typedef struct Fund {
	long long id;
	const char *name, *kind, *stage, *origin, *established_on, *manager, *area;
	double size_yuan;
	long long base_id;       /* 0 = none */
	int inside_base, targets_leading_industry;
	const char *review_status, *created_by;
} Fund;

typedef struct Investment {
	long long id, fund_id, base_id;
	const char *investee, *area, *invested_on;
	double amount_yuan;
	const char *review_status, *created_by;
} Investment;

typedef struct Project {
	long long id, base_id;
	const char *name, *kind, *area, *field, *source, *arrived_on;
	const char *review_status, *created_by;
} Project;

typedef struct ReportFigure {
	long long id, base_id;
	const char *area, *period, *period_end, *field;
	double value;
	const char *review_status, *created_by;
} ReportFigure;

/* The 六比竞赛 (plan key "competition", docs/PLAN-FORMAT.md): how areas are
 * compared and ranked; read by competition.c. */
typedef struct CompGroup {
	const char *code, *name, *note;
	const char **area_groups;  /* AreaGroup codes whose areas rank together */
	int narea_groups;
} CompGroup;

typedef struct CompItem {
	const char *indicator;     /* an indicator's code */
	const char *target;        /* the indicator whose area targets count (default: itself) */
	const char *by;            /* "completion" (actual / target) or "amount" (actual) */
	double weight;             /* competition: weight in the overall score */
	double points;             /* assessment: points of the item */
} CompItem;

typedef struct CompMethod {
	const char *name, *source, *note;
	CompGroup *groups;         int ngroups;
	CompItem *items;           int nitems;
	int prorate;               /* 1: a period's target is the year's increment by its share of days (序时) */
	double cap;                /* a completion rate counts up to cap in a score */
	const char *ties;          /* "shared" (1, 2, 2, 4) or "dense" (1, 2, 2, 3) */
	const char *missing_target;/* "skip", "zero" (competition); "skip", "zero", "full" (assessment) */
} CompMethod;

/* A deduction of the yearly assessment (plan key "assessment"). */
typedef struct CompDeduction {
	const char *kind;          /* "late" (reported after the due time or not at all) or "returned" */
	const char *form;          /* the report form it counts (forms file code) */
	double points, max;        /* points per case, at most max in a year (0: no limit) */
} CompDeduction;

typedef struct AssessRules {
	CompMethod m;              /* items carry points; groups, ties as the competition's */
	CompDeduction *deductions; int ndeductions;
	double total;              /* the full score (sum of points) */
} AssessRules;

/* A parsed and checked plan file (plan.c, docs/PLAN-FORMAT.md). */
typedef struct Plan {
	const char *code, *name, *name_en, *document, *issued_on, *start;
	const char *office;       /* the issuing unit printed on pages (NULL: none given) */
	int *years;
	int nyears;
	Area city;
	AreaGroup *groups;        int ngroups;
	Area *areas;              int nareas;
	LayoutUnit *layout_units; int nlayout_units;
	Vocab *vocab;             int nvocab;
	Department *departments;  int ndepartments;
	Indicator *indicators;    int nindicators;
	Target *targets;          int ntargets;
	double on_track, behind;  /* status thresholds */
	RuleSet *rule_sets;       int nrule_sets;
	WorkItem *work_items;     int nwork_items;
	const char *forms;        /* the report forms file it names (forms/x.json), NULL: none */
	const CompMethod *competition; /* 六比竞赛 (NULL: the plan states none; competition.c defaults) */
	const AssessRules *assessment; /* 考核 (NULL: none stated; competition.c defaults) */
	const char *json;         /* the file's text, as given */
	/* areas[] by code and by name (plan_area, plan_area_by_name): open
	 * addressing over index + 1, 0 for empty; made by plan_parse (NULL in a
	 * Plan made otherwise: then the lookups search the list). */
	int *area_by_code, *area_by_name;
	unsigned area_slots;      /* a power of two */
} Plan;

/* A base's annual figure (staff, mentors, ...: eval.h's figure_fields). */
typedef struct BaseFigure {
	int year;
	const char *field, *updated_by, *updated_at;
	double value;
} BaseFigure;

/* Everything about one base that the measures read, loaded at once. */
typedef struct BaseFacts {
	long long id;
	const char *name, *area, *kind, *opened_on, *leading_industry, *as_of;
	double total_area_m2, incubation_area_m2, public_service_area_m2;
	int has_public_platform, operator_count, facilities_count;
	int specialised;
	/* from approved firm records as of the date: ever registered (entered
	 * by then), in incubation (entered, not graduated), of those in the
	 * leading industry, graduated by then */
	int firm_ever, firm_records, firm_leading, firm_graduated;
	int firm_now, firm_leading_now; /* in incubation today (the stated counts are today's) */
	int reported_firms, reported_leading;           /* the base's own counts; -1 unknown */
	double funds_inside_yuan, seed_angel_leading_yuan, seed_angel_yuan;
	int own_fund_cases;   /* firms of the base its own funds invested in */
	/* recognitions held by the date: 3 national, 2 provincial, 1 municipal,
	 * 0 none; demonstration (示范) 1/0; floor area added in the date's year
	 * up to the date (the support measures' conditions read them) */
	int level_rank, demonstration;
	double area_added_year_m2;
	int nfigures;
	BaseFigure *figures;  /* newest year first */
} BaseFacts;

/* Roles, lowest to highest. */
typedef enum {
	ROLE_ANON = 0,    /* not logged in */
	ROLE_BASE,        /* 运营机构, bound to one base */
	ROLE_DEPARTMENT,  /* 市直部门, bound to one department */
	ROLE_AREA,        /* 镇街/功能区 reporter, bound to one area */
	ROLE_VIEWER,      /* 领导小组: sees everything, changes nothing */
	ROLE_ADMIN,       /* 市工作专班办公室 */
	ROLE_COUNT
} Role;

/* A user account. scope: the area code, department code or base id the
 * role is bound to (NULL for admin and viewer). */
typedef struct User {
	long long id;
	const char *name, *role, *scope;
	const char *password_hash;
	int must_change, disabled;
	const char *created_at, *last_login_at;
} User;

/* A login session, with its user. Times are Unix seconds. */
typedef struct Session {
	const char *token_hash, *csrf, *addr;
	long long created_at, last_seen;
	long long data_stamp; /* the database's data stamp, read with the session (http_cache.c) */
	User user;
} Session;

#endif
