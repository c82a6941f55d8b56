/*
 * store_schema.c — the database schema as one commented SQL text, and the
 * stepwise migrations that bring an older database up to it.
 *
 * Version 1 is the whole schema. A later change appends a step to
 * store_migrations[] (never edits an old one); store_migrate() applies the
 * missing steps in order, each in the same transaction as its
 * PRAGMA user_version bump.
 *
 * Conventions:
 *  - every registry record names its area (area.code) and carries a review
 *    status: 'draft', 'pending' (待审核), 'approved' (已通过), 'returned' (退回);
 *    only approved records count in progress;
 *  - dates are ISO 8601 text 'YYYY-MM-DD', timestamps 'YYYY-MM-DDTHH:MM:SSZ';
 *  - money in yuan (REAL, so that 0.5 yuan survives), areas in m²;
 *  - booleans are INTEGER 0/1; lists of codes are JSON arrays in TEXT.
 * The SQL keeps to what PostgreSQL also accepts where it can (no WITHOUT
 * ROWID, no typeless columns) so that another driver can follow.
 */
#include "store.h"
#include "store_measures_sql.h"

static const char schema_v1[] =
"-- Settings of this database: which plan is loaded, whether it holds demo data.\n"
"CREATE TABLE setting(\n"
"  key   TEXT PRIMARY KEY,\n"
"  value TEXT NOT NULL\n"
");\n"
"\n"
"-- The plan file as loaded, kept whole for /api/v1/plan and for re-checks.\n"
"CREATE TABLE plan_doc(\n"
"  id        INTEGER PRIMARY KEY CHECK (id = 1),\n"
"  code      TEXT NOT NULL,\n"
"  name      TEXT NOT NULL,\n"
"  start_on  TEXT NOT NULL,           -- first day progress counts from\n"
"  json      TEXT NOT NULL,\n"
"  loaded_at TEXT NOT NULL\n"
");\n"
"CREATE TABLE plan_year(year INTEGER PRIMARY KEY);\n"
"\n"
"-- Groups of areas (功能区, 街道 of two blocks, 西部镇) with their focus (三(一)).\n"
"CREATE TABLE area_group(\n"
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,\n"
"  focus TEXT, block TEXT, sort INTEGER NOT NULL\n"
");\n"
"\n"
"-- The org hierarchy: the city (level 'city') and its areas. A later plan\n"
"-- may nest deeper through parent (province → city → county ...).\n"
"CREATE TABLE area(\n"
"  code    TEXT PRIMARY KEY,\n"
"  name    TEXT NOT NULL,\n"
"  name_en TEXT,\n"
"  level   TEXT NOT NULL CHECK (level IN ('city', 'area')),\n"
"  grp     TEXT REFERENCES area_group(code),\n"
"  parent  TEXT REFERENCES area(code),\n"
"  note    TEXT,\n"
"  sort    INTEGER NOT NULL\n"
");\n"
"CREATE INDEX area_parent ON area(parent);\n"
"-- Every area with itself and each area above it (a closure table), so that\n"
"-- a province's or the country's figures count the records of the areas\n"
"-- under it (store_progress.c). The trigger fills it as a plan's areas are\n"
"-- saved, parents first (store_plan.c).\n"
"CREATE TABLE area_ancestor(\n"
"  ancestor TEXT NOT NULL REFERENCES area(code),\n"
"  area     TEXT NOT NULL REFERENCES area(code),\n"
"  PRIMARY KEY (ancestor, area)\n"
");\n"
"CREATE INDEX area_ancestor_area ON area_ancestor(area);\n"
"CREATE TRIGGER area_ancestor_insert AFTER INSERT ON area BEGIN\n"
"  INSERT INTO area_ancestor(ancestor, area) VALUES (NEW.code, NEW.code);\n"
"  INSERT INTO area_ancestor(ancestor, area)\n"
"    SELECT ancestor, NEW.code FROM area_ancestor WHERE area = NEW.parent;\n"
"END;\n"
"\n"
"-- 一芯两群三带五区 and the network of small incubators.\n"
"CREATE TABLE layout_unit(\n"
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,\n"
"  kind TEXT NOT NULL, sort INTEGER NOT NULL\n"
");\n"
"\n"
"-- 市直部门 and other responsible units.\n"
"CREATE TABLE department(\n"
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT, sort INTEGER NOT NULL\n"
");\n"
"\n"
"-- Small code lists of the plan: base_kind, base_level, space_source,\n"
"-- facility (extra = inside|around), operator_capability, fund_kind.\n"
"CREATE TABLE vocab(\n"
"  list TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT,\n"
"  extra TEXT, sort INTEGER NOT NULL,\n"
"  PRIMARY KEY (list, code)\n"
");\n"
"\n"
"-- Indicators: the plan's six targets and the six competition figures;\n"
"-- measure names how the figure is computed from records (progress.c).\n"
"CREATE TABLE indicator(\n"
"  code       TEXT PRIMARY KEY,\n"
"  name       TEXT NOT NULL,\n"
"  name_en    TEXT,\n"
"  unit       TEXT NOT NULL,\n"
"  kind       TEXT NOT NULL CHECK (kind IN ('plan', 'competition')),\n"
"  measure    TEXT NOT NULL,\n"
"  level      TEXT,                   -- for measure bases_recognised\n"
"  measure_zh TEXT, measure_en TEXT,\n"
"  sort       INTEGER NOT NULL\n"
");\n"
"\n"
"-- Targets, cumulative from the plan's start to the end of year. scope is\n"
"-- the city's or an area's or a department's code. A target the plan does\n"
"-- not state has no row (absent, not zero).\n"
"CREATE TABLE target(\n"
"  indicator TEXT NOT NULL REFERENCES indicator(code),\n"
"  scope     TEXT NOT NULL,\n"
"  year      INTEGER NOT NULL,\n"
"  value     REAL NOT NULL CHECK (value >= 0),\n"
"  op        TEXT NOT NULL CHECK (op IN ('>=', '>')),\n"
"  wording   TEXT,\n"
"  source    TEXT NOT NULL DEFAULT 'plan' CHECK (source IN ('plan', 'entered', 'imported')),\n"
"  PRIMARY KEY (indicator, scope, year)\n"
");\n"
"CREATE INDEX target_scope ON target(scope);\n"
"\n"
"-- Rule sets (七个一 first) and their rules, with the source's wording.\n"
"-- origin: 'plan' for the plan's own sets, else the rules file they came from.\n"
"CREATE TABLE rule_set(\n"
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,\n"
"  source TEXT, citation TEXT, note TEXT, origin TEXT NOT NULL DEFAULT 'plan',\n"
"  sort INTEGER NOT NULL\n"
");\n"
"CREATE TABLE rule(\n"
"  rule_set  TEXT NOT NULL REFERENCES rule_set(code) ON DELETE CASCADE,\n"
"  id        TEXT NOT NULL,\n"
"  item      INTEGER,\n"
"  text      TEXT NOT NULL,\n"
"  wording   TEXT,\n"
"  measure   TEXT NOT NULL,             -- 'judged' needs a reviewer\n"
"  op        TEXT CHECK (op IN ('>=', '>', '<=', '<', '==')),\n"
"  threshold REAL,\n"
"  unit      TEXT,\n"
"  or_measure TEXT,                     -- an alternative that also passes (或)\n"
"  or_op      TEXT CHECK (or_op IN ('>=', '>', '<=', '<', '==')),\n"
"  or_threshold REAL,\n"
"  score     REAL,                      -- points in a rubric, when the set has one\n"
"  sort      INTEGER NOT NULL,\n"
"  PRIMARY KEY (rule_set, id)\n"
");\n"
"\n"
"-- The eight work items of 三、重点工作 and their responsible units\n"
"-- (department codes, or '@areas' for 各镇街、功能区).\n"
"CREATE TABLE work_item(\n"
"  code TEXT PRIMARY KEY, no TEXT, title TEXT NOT NULL, summary TEXT,\n"
"  sort INTEGER NOT NULL\n"
");\n"
"CREATE TABLE work_item_unit(\n"
"  work_item TEXT NOT NULL REFERENCES work_item(code) ON DELETE CASCADE,\n"
"  unit      TEXT NOT NULL,\n"
"  sort      INTEGER NOT NULL,\n"
"  PRIMARY KEY (work_item, unit)\n"
");\n"
"\n"
"-- ===== The registry. Every record: area, review status, who and when. =====\n"
"\n"
"-- Operating organisations (专业运营机构) with the five capabilities (三(五)).\n"
"CREATE TABLE operator(\n"
"  id            INTEGER PRIMARY KEY,\n"
"  name          TEXT NOT NULL,\n"
"  area          TEXT NOT NULL REFERENCES area(code),\n"
"  introduced_on TEXT,                  -- 引进日期: counts toward the target\n"
"  capabilities  TEXT NOT NULL DEFAULT '[]', -- JSON [capability code] of the five\n"
"  evidence      TEXT,                  -- a line of evidence per capability\n"
"  leading_firm  INTEGER NOT NULL DEFAULT 0, -- 龙头企业 rather than an operator\n"
"  note          TEXT,\n"
"  review_status TEXT NOT NULL DEFAULT 'approved'\n"
"                CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note   TEXT,\n"
"  created_by    TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX operator_area ON operator(area, introduced_on);\n"
"CREATE INDEX operator_review ON operator(review_status, introduced_on); -- progress (store_progress.c)\n"
"\n"
"-- Incubation bases (孵化基地). Floor area is also kept as a dated history\n"
"-- in base_area_change so that growth counts when it happens.\n"
"CREATE TABLE base(\n"
"  id                     INTEGER PRIMARY KEY,\n"
"  name                   TEXT NOT NULL,\n"
"  kind                   TEXT NOT NULL,  -- vocab base_kind\n"
"  area                   TEXT NOT NULL REFERENCES area(code),\n"
"  layout_unit            TEXT REFERENCES layout_unit(code),\n"
"  specialised            INTEGER NOT NULL DEFAULT 0,\n"
"  leading_industry       TEXT,\n"
"  status                 TEXT NOT NULL DEFAULT 'operating'\n"
"                         CHECK (status IN ('planned', 'building', 'operating', 'closed')),\n"
"  opened_on              TEXT,\n"
"  operator_id            INTEGER REFERENCES operator(id),\n"
"  total_area_m2          REAL NOT NULL DEFAULT 0 CHECK (total_area_m2 >= 0),\n"
"  incubation_area_m2     REAL NOT NULL DEFAULT 0 CHECK (incubation_area_m2 >= 0),\n"
"  public_service_area_m2 REAL NOT NULL DEFAULT 0 CHECK (public_service_area_m2 >= 0),\n"
"  has_public_platform    INTEGER NOT NULL DEFAULT 0,\n"
"  public_platform        TEXT,\n"
"  facilities             TEXT NOT NULL DEFAULT '[]', -- JSON [facility code]\n"
"  firms_total            INTEGER,\n"
"  firms_leading_industry INTEGER,\n"
"  talents                INTEGER,\n"
"  teams                  INTEGER,\n"
"  address                TEXT,\n"
"  space_source           TEXT,         -- vocab space_source\n"
"  contact                TEXT,\n"
"  review_status          TEXT NOT NULL DEFAULT 'approved'\n"
"                         CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note            TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX base_area ON base(area, kind);\n"
"CREATE INDEX base_area_review ON base(area, review_status); -- progress (store_progress.c)\n"
"CREATE INDEX base_operator ON base(operator_id);\n"
"\n"
"-- Each change of a base's floor area with its date; the opening is the\n"
"-- first change (the whole area on opened_on).\n"
"CREATE TABLE base_area_change(\n"
"  id                  INTEGER PRIMARY KEY,\n"
"  base_id             INTEGER NOT NULL REFERENCES base(id) ON DELETE CASCADE,\n"
"  changed_on          TEXT NOT NULL,\n"
"  total_delta_m2      REAL NOT NULL,\n"
"  incubation_delta_m2 REAL NOT NULL DEFAULT 0,\n"
"  note                TEXT\n"
");\n"
"CREATE INDEX base_area_change_base ON base_area_change(base_id, changed_on);\n"
"CREATE INDEX base_area_change_cover ON base_area_change(base_id, changed_on, total_delta_m2); -- progress\n"
"CREATE INDEX base_area_change_date ON base_area_change(changed_on);\n"
"\n"
"-- Recognitions: national, provincial, municipal levels and demonstration\n"
"-- (示范) status, each with its date.\n"
"CREATE TABLE base_level(\n"
"  base_id       INTEGER NOT NULL REFERENCES base(id) ON DELETE CASCADE,\n"
"  level         TEXT NOT NULL,        -- vocab base_level\n"
"  recognised_on TEXT NOT NULL,\n"
"  document      TEXT,\n"
"  PRIMARY KEY (base_id, level)\n"
");\n"
"CREATE INDEX base_level_date ON base_level(level, recognised_on);\n"
"\n"
"-- Funds newly set up or brought in (三(六)).\n"
"CREATE TABLE fund(\n"
"  id                       INTEGER PRIMARY KEY,\n"
"  name                     TEXT NOT NULL,\n"
"  kind                     TEXT,       -- vocab fund_kind\n"
"  stage                    TEXT NOT NULL DEFAULT 'other'\n"
"                           CHECK (stage IN ('seed', 'angel', 'vc', 'pe', 'other')),\n"
"  size_yuan                REAL NOT NULL DEFAULT 0 CHECK (size_yuan >= 0),\n"
"  origin                   TEXT NOT NULL DEFAULT 'new' CHECK (origin IN ('new', 'brought_in')),\n"
"  established_on           TEXT,\n"
"  manager                  TEXT,\n"
"  area                     TEXT NOT NULL REFERENCES area(code),\n"
"  base_id                  INTEGER REFERENCES base(id),\n"
"  inside_base              INTEGER NOT NULL DEFAULT 0,\n"
"  targets_leading_industry INTEGER NOT NULL DEFAULT 0,\n"
"  review_status            TEXT NOT NULL DEFAULT 'approved'\n"
"                           CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note              TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX fund_area ON fund(area, established_on);\n"
"CREATE INDEX fund_base ON fund(base_id);\n"
"-- progress (store_progress.c): the whole plan, and an area's, read from the index alone\n"
"CREATE INDEX fund_review ON fund(review_status, established_on);\n"
"CREATE INDEX fund_area_review ON fund(area, review_status, established_on);\n"
"\n"
"-- Investments of a fund into a firm or project.\n"
"CREATE TABLE investment(\n"
"  id            INTEGER PRIMARY KEY,\n"
"  fund_id       INTEGER NOT NULL REFERENCES fund(id),\n"
"  investee      TEXT NOT NULL,\n"
"  base_id       INTEGER REFERENCES base(id), -- the base the investee sits in\n"
"  area          TEXT NOT NULL REFERENCES area(code),\n"
"  amount_yuan   REAL NOT NULL CHECK (amount_yuan >= 0),\n"
"  invested_on   TEXT NOT NULL,\n"
"  review_status TEXT NOT NULL DEFAULT 'approved'\n"
"                CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note   TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX investment_fund ON investment(fund_id);\n"
"CREATE INDEX investment_area ON investment(area, invested_on);\n"
"-- progress (store_progress.c): the whole plan, and an area's, read from the index alone\n"
"CREATE INDEX investment_review ON investment(review_status, invested_on, base_id, amount_yuan);\n"
"CREATE INDEX investment_area_review ON investment(area, review_status, invested_on, base_id, amount_yuan);\n"
"\n"
"-- Incubated firms (在孵企业), keyed by 统一社会信用代码 where known.\n"
"CREATE TABLE firm(\n"
"  id                  INTEGER PRIMARY KEY,\n"
"  name                TEXT NOT NULL,\n"
"  uscc                TEXT UNIQUE,\n"
"  base_id             INTEGER NOT NULL REFERENCES base(id),\n"
"  area                TEXT NOT NULL REFERENCES area(code),\n"
"  entered_on          TEXT,\n"
"  founded_on          TEXT,\n"
"  industry            TEXT,\n"
"  in_leading_industry INTEGER NOT NULL DEFAULT 0,\n"
"  graduated_on        TEXT,\n"
"  high_tech           INTEGER NOT NULL DEFAULT 0,\n"
"  review_status       TEXT NOT NULL DEFAULT 'approved'\n"
"                      CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note         TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX firm_base ON firm(base_id);\n"
"\n"
"-- Sci-tech projects and teams brought in (introduced, contest, roadshow).\n"
"CREATE TABLE project(\n"
"  id            INTEGER PRIMARY KEY,\n"
"  name          TEXT NOT NULL,\n"
"  kind          TEXT NOT NULL DEFAULT 'project' CHECK (kind IN ('project', 'team')),\n"
"  base_id       INTEGER REFERENCES base(id),\n"
"  area          TEXT NOT NULL REFERENCES area(code),\n"
"  field         TEXT,\n"
"  source        TEXT CHECK (source IN ('introduced', 'contest', 'roadshow')),\n"
"  arrived_on    TEXT NOT NULL,\n"
"  review_status TEXT NOT NULL DEFAULT 'approved'\n"
"                CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note   TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX project_area ON project(area, arrived_on);\n"
"-- progress (store_progress.c): the whole plan, and an area's, read from the index alone\n"
"CREATE INDEX project_review ON project(review_status, arrived_on);\n"
"CREATE INDEX project_area_review ON project(area, review_status, arrived_on);\n"
"\n"
"-- A base's annual figures that the national and Wenzhou rules read\n"
"-- (staff, mentors, financed firms, ...): field codes of eval.c.\n"
"CREATE TABLE base_figure(\n"
"  base_id    INTEGER NOT NULL REFERENCES base(id) ON DELETE CASCADE,\n"
"  year       INTEGER NOT NULL,\n"
"  field      TEXT NOT NULL,\n"
"  value      REAL NOT NULL CHECK (value >= 0),\n"
"  updated_by TEXT, updated_at TEXT NOT NULL,\n"
"  PRIMARY KEY (base_id, year, field)\n"
");\n"
"\n"
"-- A reviewer's verdict on a judged rule (一批青年人才, 良好创新环境 ...).\n"
"CREATE TABLE rule_verdict(\n"
"  base_id  INTEGER NOT NULL REFERENCES base(id) ON DELETE CASCADE,\n"
"  rule_set TEXT NOT NULL,\n"
"  rule_id  TEXT NOT NULL,\n"
"  verdict  TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),\n"
"  note     TEXT NOT NULL,\n"
"  by_user  TEXT NOT NULL,\n"
"  at       TEXT NOT NULL,\n"
"  PRIMARY KEY (base_id, rule_set, rule_id)\n"
");\n"
"\n"
"-- Recognition (成熟一个、备案一个): a base applies for a level or for\n"
"-- demonstration status, its area endorses, the office files it with a\n"
"-- date (then base_level gets the row that counts toward the targets).\n"
"CREATE TABLE recognition(\n"
"  id          INTEGER PRIMARY KEY,\n"
"  base_id     INTEGER NOT NULL REFERENCES base(id) ON DELETE CASCADE,\n"
"  area        TEXT NOT NULL REFERENCES area(code),\n"
"  level       TEXT NOT NULL,\n"
"  status      TEXT NOT NULL DEFAULT 'applied'\n"
"              CHECK (status IN ('applied', 'endorsed', 'filed', 'returned')),\n"
"  applied_by  TEXT NOT NULL, applied_at TEXT NOT NULL,\n"
"  endorsed_by TEXT, endorsed_at TEXT,\n"
"  filed_by    TEXT, filed_on TEXT,\n"
"  document    TEXT,\n"
"  note        TEXT,\n"
"  evaluation  TEXT                      -- the evaluation at filing, JSON\n"
");\n"
"CREATE INDEX recognition_base ON recognition(base_id, status);\n"
"\n"
"-- Figures reported periodically that are not registered record by record\n"
"-- (new talents, Torch statistics). The reporting workflow comes later;\n"
"-- the figures already count once approved.\n"
"CREATE TABLE report_figure(\n"
"  id            INTEGER PRIMARY KEY,\n"
"  area          TEXT NOT NULL REFERENCES area(code),\n"
"  base_id       INTEGER REFERENCES base(id),\n"
"  period        TEXT NOT NULL,          -- YYYY, YYYY-Qn or YYYY-MM\n"
"  period_end    TEXT NOT NULL,          -- last day of the period\n"
"  field         TEXT NOT NULL,          -- e.g. talents_new\n"
"  value         REAL NOT NULL CHECK (value >= 0),\n"
"  review_status TEXT NOT NULL DEFAULT 'approved'\n"
"                CHECK (review_status IN ('draft', 'pending', 'approved', 'returned')),\n"
"  review_note   TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX report_figure_area ON report_figure(field, area, period_end);\n"
"\n"
"-- Changes to approved records proposed by area or base users: the record\n"
"-- keeps counting as it was until the office approves (then the payload is\n"
"-- applied) or returns the change with a reason.\n"
"CREATE TABLE pending_change(\n"
"  id           INTEGER PRIMARY KEY,\n"
"  kind         TEXT NOT NULL,           -- bases, funds, ...\n"
"  record_id    INTEGER NOT NULL,\n"
"  area         TEXT NOT NULL REFERENCES area(code),\n"
"  payload      TEXT NOT NULL,           -- JSON of the proposed values\n"
"  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'returned')),\n"
"  submitted_by TEXT NOT NULL,\n"
"  submitted_at TEXT NOT NULL,\n"
"  reviewed_by  TEXT,\n"
"  reviewed_at  TEXT,\n"
"  note         TEXT\n"
");\n"
"CREATE INDEX pending_change_open ON pending_change(status, kind, record_id);\n"
"\n"
"-- ===== Accounts and the audit trail =====\n"
"\n"
"-- scope: the area, department or base the user is bound to (by role).\n"
"CREATE TABLE user(\n"
"  id            INTEGER PRIMARY KEY,\n"
"  name          TEXT NOT NULL UNIQUE,\n"
"  role          TEXT NOT NULL CHECK (role IN ('admin', 'area', 'department', 'base', 'viewer')),\n"
"  scope         TEXT,\n"
"  password_hash TEXT NOT NULL,         -- $argon2id$...\n"
"  must_change   INTEGER NOT NULL DEFAULT 1,\n"
"  disabled      INTEGER NOT NULL DEFAULT 0,\n"
"  last_login_at TEXT,\n"
"  created_at    TEXT NOT NULL,\n"
"  updated_at    TEXT NOT NULL\n"
");\n"
"\n"
"-- Sessions: only a hash (SHA-256) of the token is stored; times are Unix\n"
"-- seconds. Idle and absolute timeouts are checked on every request.\n"
"CREATE TABLE session(\n"
"  token_hash TEXT PRIMARY KEY,\n"
"  user_id    INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  csrf       TEXT NOT NULL,\n"
"  addr       TEXT,\n"
"  created_at INTEGER NOT NULL,\n"
"  last_seen  INTEGER NOT NULL\n"
");\n"
"CREATE INDEX session_user ON session(user_id);\n"
"\n"
"-- Failed logins, for throttling per user name and per client address\n"
"-- (key 'user:NAME' or 'addr:IP'). Old rows are pruned as new ones come.\n"
"CREATE TABLE login_failure(\n"
"  key TEXT NOT NULL,\n"
"  at  INTEGER NOT NULL\n"
");\n"
"CREATE INDEX login_failure_key ON login_failure(key, at);\n"
"\n"
"-- Every change to any record: who, when, from where, before and after.\n"
"-- Append-only: the triggers refuse updates and deletes.\n"
"CREATE TABLE audit(\n"
"  id          INTEGER PRIMARY KEY,\n"
"  at          TEXT NOT NULL,\n"
"  user_name   TEXT NOT NULL,           -- 'system' for init and the CLI\n"
"  addr        TEXT,\n"
"  action      TEXT NOT NULL,           -- create, update, delete, load, ...\n"
"  record_kind TEXT NOT NULL,\n"
"  record_id   TEXT,\n"
"  before_json TEXT,\n"
"  after_json  TEXT\n"
");\n"
"CREATE INDEX audit_record ON audit(record_kind, record_id);\n"
"CREATE INDEX audit_at ON audit(at);\n"
"CREATE INDEX audit_user ON audit(user_name, at);\n"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;\n"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;\n";

/* Step 2: the data stamp (http_cache.c). One row whose n moves in the
 * transaction of any change to any table but the sessions' and the login
 * throttle's, whoever makes it: a page kept in memory is served again only
 * while n is what it was when the page was made. Every table listed in
 * schema_v1 has its three triggers (tests/unit/test_store.c checks that
 * no table is left out). For the registry's lists (store_records.c):
 * indexes in each kind's default order, and record_count, the number of
 * records per kind, area and review status, kept by triggers. */
#define STAMPED(t) \
	"CREATE TRIGGER " t "_stamp_insert AFTER INSERT ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_update AFTER UPDATE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_delete AFTER DELETE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
#define COUNT_ADD(kind, row, d) \
	"INSERT INTO record_count(kind, area, review_status, n) VALUES ('" kind "', " row ".area, " row ".review_status, " d ") " \
	"ON CONFLICT(kind, area, review_status) DO UPDATE SET n = n + " d ";"
#define RECOUNT(kind, t) \
	"INSERT INTO record_count(kind, area, review_status, n) SELECT '" kind "', area, review_status, count(*) FROM " t \
	" GROUP BY area, review_status;\n"
#define COUNTED(kind, t) \
	RECOUNT(kind, t) \
	"CREATE TRIGGER " t "_count_insert AFTER INSERT ON " t " BEGIN " COUNT_ADD(kind, "NEW", "1") " END;\n" \
	"CREATE TRIGGER " t "_count_delete AFTER DELETE ON " t " BEGIN " COUNT_ADD(kind, "OLD", "-1") " END;\n" \
	"CREATE TRIGGER " t "_count_update AFTER UPDATE OF area, review_status ON " t \
	" WHEN OLD.area IS NOT NEW.area OR OLD.review_status IS NOT NEW.review_status BEGIN " \
	COUNT_ADD(kind, "OLD", "-1") " " COUNT_ADD(kind, "NEW", "1") " END;\n"
static const char schema_v2[] =
"CREATE TABLE data_stamp(\n"
"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
"  n  INTEGER NOT NULL\n"
");\n"
"INSERT INTO data_stamp(id, n) VALUES (1, 0);\n"
"CREATE INDEX base_area_name ON base(area, name);\n"
"CREATE INDEX operator_area_name ON operator(area, name);\n"
"CREATE INDEX fund_established_name ON fund(established_on, name);\n"
"CREATE INDEX investment_invested ON investment(invested_on);\n"
"CREATE INDEX project_arrived ON project(arrived_on);\n"
"DROP INDEX firm_base;\n"
"CREATE INDEX firm_base_name ON firm(base_id, name);\n"
"CREATE INDEX firm_area_review ON firm(area, review_status);\n"
"\n"
"-- How many records of each kind an area holds per review status, kept by\n"
"-- the triggers below in the transaction of each change: a list's total\n"
"-- without counting the table (store_records.c). Derived from the record\n"
"-- tables, whose own triggers move the data stamp.\n"
"CREATE TABLE record_count(\n"
"  kind          TEXT NOT NULL,\n"
"  area          TEXT NOT NULL,\n"
"  review_status TEXT NOT NULL,\n"
"  n             INTEGER NOT NULL,\n"
"  PRIMARY KEY (kind, area, review_status)\n"
");\n"
COUNTED("bases", "base")
COUNTED("operators", "operator")
COUNTED("funds", "fund")
COUNTED("investments", "investment")
COUNTED("projects", "project")
COUNTED("firms", "firm")
STAMPED("setting")
STAMPED("plan_doc")
STAMPED("plan_year")
STAMPED("area_group")
STAMPED("area")
STAMPED("area_ancestor")
STAMPED("layout_unit")
STAMPED("department")
STAMPED("vocab")
STAMPED("indicator")
STAMPED("target")
STAMPED("rule_set")
STAMPED("rule")
STAMPED("work_item")
STAMPED("work_item_unit")
STAMPED("operator")
STAMPED("base")
STAMPED("base_area_change")
STAMPED("base_level")
STAMPED("fund")
STAMPED("investment")
STAMPED("firm")
STAMPED("project")
STAMPED("base_figure")
STAMPED("rule_verdict")
STAMPED("recognition")
STAMPED("report_figure")
STAMPED("pending_change")
STAMPED("user")
STAMPED("audit");

/* Step 5: periodic reports (填报, forms.h, store_reports.c). A report is a
 * header (form, period, reporter, status, who and when at each step) and
 * its values, one row per field, with list rows as their own table, so one
 * SQL shape sums any field over areas and periods. When the office accepts
 * a report, the fields its form marks counts_as are written to
 * report_figure (with report_id) in the same transaction: progress reads
 * them from there, and each figure still opens the report behind it.
 * Reminders (催报) are rows a reporter sees; messages to the city's
 * gateway go through the outbox, written in the same transaction. */
static const char schema_v5[] =
"CREATE TABLE report(\n"
"  id            INTEGER PRIMARY KEY,\n"
"  form          TEXT NOT NULL,           -- form code of the forms file\n"
"  period        TEXT NOT NULL,           -- 2024-11, 2024-Q4, 2024\n"
"  period_end    TEXT NOT NULL,\n"
"  org           TEXT NOT NULL,           -- an area code, or base-ID\n"
"  area          TEXT NOT NULL REFERENCES area(code), -- the reporter's area\n"
"  base_id       INTEGER REFERENCES base(id),\n"
"  status        TEXT NOT NULL DEFAULT 'draft'\n"
"                CHECK (status IN ('draft', 'submitted', 'approved', 'accepted', 'returned')),\n"
"  stage         INTEGER NOT NULL DEFAULT 0, -- approvals given since the last submission\n"
"  submitted_by  TEXT, submitted_at TEXT,   -- the last submission (UTC)\n"
"  first_submitted_at TEXT,               -- the first: timeliness\n"
"  approved_by   TEXT, approved_at TEXT,\n"
"  accepted_by   TEXT, accepted_at TEXT,\n"
"  returned_by   TEXT, returned_at TEXT, return_reason TEXT,\n"
"  unlock_reason TEXT, unlock_by TEXT, unlock_at TEXT, -- an open request to change it after approval\n"
"  created_by    TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,\n"
"  UNIQUE (form, period, org)\n"
");\n"
"CREATE INDEX report_form_status ON report(form, period, status);\n"
"CREATE INDEX report_area ON report(area, status);\n"
"CREATE INDEX report_org ON report(org, form, period);\n"
"CREATE INDEX report_status ON report(status, updated_at); -- what waits (工作台)\n"
"CREATE TABLE report_value(\n"
"  report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,\n"
"  field     TEXT NOT NULL,\n"
"  num       REAL,                        -- numbers in base units (yuan, m²)\n"
"  text      TEXT,                        -- the value as text (numbers too)\n"
"  note      TEXT,                        -- the reporter's explanation of a warning\n"
"  PRIMARY KEY (report_id, field)\n"
");\n"
"CREATE TABLE report_row(\n"
"  report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,\n"
"  list      TEXT NOT NULL,\n"
"  row_no    INTEGER NOT NULL,\n"
"  data      TEXT NOT NULL,               -- JSON {column: value}\n"
"  PRIMARY KEY (report_id, list, row_no)\n"
");\n"
"-- Entry after a period closed, granted by the office to one reporter until a time.\n"
"CREATE TABLE report_exception(\n"
"  id         INTEGER PRIMARY KEY,\n"
"  form       TEXT NOT NULL, period TEXT NOT NULL, org TEXT NOT NULL,\n"
"  until      TEXT NOT NULL,              -- UTC\n"
"  reason     TEXT NOT NULL,\n"
"  granted_by TEXT NOT NULL, granted_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX report_exception_org ON report_exception(form, period, org);\n"
"-- 催报: a reminder a reporter sees on its 工作台.\n"
"CREATE TABLE report_reminder(\n"
"  id      INTEGER PRIMARY KEY,\n"
"  form    TEXT NOT NULL, period TEXT NOT NULL, org TEXT NOT NULL,\n"
"  area    TEXT NOT NULL,\n"
"  text    TEXT NOT NULL,\n"
"  sent_by TEXT NOT NULL, sent_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX report_reminder_org ON report_reminder(org, sent_at);\n"
"-- Messages to the configured webhook, written in the transaction of the\n"
"-- action; a sender thread posts them with retries; key is the idempotency\n"
"-- key the gateway sees, so a crash neither loses nor doubles one.\n"
"CREATE TABLE outbox(\n"
"  id         INTEGER PRIMARY KEY,\n"
"  key        TEXT NOT NULL UNIQUE,\n"
"  kind       TEXT NOT NULL,              -- reminder\n"
"  body       TEXT NOT NULL,              -- JSON\n"
"  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),\n"
"  attempts   INTEGER NOT NULL DEFAULT 0,\n"
"  next_at    TEXT NOT NULL,              -- UTC: not before\n"
"  last_error TEXT,\n"
"  created_at TEXT NOT NULL, sent_at TEXT\n"
");\n"
"CREATE INDEX outbox_pending ON outbox(status, next_at);\n"
"ALTER TABLE report_figure ADD COLUMN report_id INTEGER REFERENCES report(id);\n"
"CREATE INDEX report_figure_report ON report_figure(report_id);\n"
STAMPED("report")
STAMPED("report_value")
STAMPED("report_row")
STAMPED("report_exception")
STAMPED("report_reminder")
STAMPED("outbox");
#undef STAMPED
#undef COUNTED
#undef COUNT_ADD

/* Counts record_count afresh, a table at a time (after a bulk write
 * without its triggers): {kind, table, SQL}. Each reads an (area, review_status)
 * index. */
#define RECOUNT_ONE(kind, t) {kind, t, "DELETE FROM record_count WHERE kind = '" kind "';\n" RECOUNT(kind, t)}
const StoreRecount store_recounts[] = {
	RECOUNT_ONE("bases", "base"), RECOUNT_ONE("operators", "operator"), RECOUNT_ONE("funds", "fund"),
	RECOUNT_ONE("investments", "investment"), RECOUNT_ONE("projects", "project"), RECOUNT_ONE("firms", "firm"),
	{NULL, NULL, NULL},
};
#undef RECOUNT_ONE
#undef RECOUNT

/* Step 3: rule sets say which bases and applications they judge and when
 * they are in force; rules say where their wording comes from and whether
 * it is quoted word for word (docs/RULES-FORMAT.md). A base's opening floor
 * area follows its opening date when the date is corrected. The plan's
 * "专业孵化运营团队" indicator stops counting 龙头企业 (they count only in
 * the 六比 indicator "新引进专业运营机构或龙头企业数"). */
static const char schema_v3[] =
"ALTER TABLE rule_set ADD COLUMN level TEXT;          -- demonstration | national | provincial | municipal\n"
"ALTER TABLE rule_set ADD COLUMN kinds TEXT;          -- base kinds it judges, comma list; NULL every kind\n"
"ALTER TABLE rule_set ADD COLUMN specialised INTEGER NOT NULL DEFAULT -1; -- -1 either, 0 general, 1 specialised\n"
"ALTER TABLE rule_set ADD COLUMN valid_from TEXT;     -- in force from (NULL: open)\n"
"ALTER TABLE rule_set ADD COLUMN valid_to TEXT;       -- in force until, inclusive (NULL: open)\n"
"ALTER TABLE rule_set ADD COLUMN issued_on TEXT;      -- the text's date\n"
"ALTER TABLE rule_set ADD COLUMN source_url TEXT;     -- the public copy the wording was read from\n"
"ALTER TABLE rule ADD COLUMN article TEXT;            -- 第七条第2项 ...\n"
"ALTER TABLE rule ADD COLUMN verbatim INTEGER NOT NULL DEFAULT 0; -- 1: wording quotes the text word for word\n"
"\n"
"-- The opening is the base's first floor-area change (note '开业…'):\n"
"-- correcting opened_on moves it, so the area counts as new in the right year.\n"
"CREATE TRIGGER base_opening_moves AFTER UPDATE OF opened_on ON base\n"
"  WHEN OLD.opened_on IS NOT NEW.opened_on AND NEW.opened_on IS NOT NULL BEGIN\n"
"  UPDATE base_area_change SET changed_on = NEW.opened_on\n"
"   WHERE id = (SELECT id FROM base_area_change WHERE base_id = NEW.id AND note LIKE '开业%'\n"
"               ORDER BY changed_on, id LIMIT 1);\n"
"END;\n"
"\n"
"UPDATE indicator SET measure = 'operating_teams_introduced'\n"
" WHERE code = 'operators' AND measure = 'operators_introduced';\n"
"UPDATE plan_doc SET json = (\n"
"  SELECT json_set(plan_doc.json, '$.indicators[' || e.key || '].measure', 'operating_teams_introduced')\n"
"    FROM json_each(plan_doc.json, '$.indicators') e\n"
"   WHERE json_extract(e.value, '$.code') = 'operators'\n"
"     AND json_extract(e.value, '$.measure') = 'operators_introduced')\n"
" WHERE EXISTS (SELECT 1 FROM json_each(plan_doc.json, '$.indicators') e\n"
"               WHERE json_extract(e.value, '$.code') = 'operators'\n"
"                 AND json_extract(e.value, '$.measure') = 'operators_introduced');\n";

/* Step 4: one record per natural key (registry_natural_key): an index for
 * the one key no index served (an operator's name); a firm's area is its
 * base's, set right where it was typed otherwise and kept so when the base
 * moves. */
static const char schema_v4[] =
"CREATE INDEX operator_name ON operator(name);\n"
"UPDATE firm SET area = (SELECT b.area FROM base b WHERE b.id = firm.base_id)\n"
" WHERE area IS NOT (SELECT b.area FROM base b WHERE b.id = firm.base_id)\n"
"   AND EXISTS (SELECT 1 FROM base b WHERE b.id = firm.base_id);\n"
"CREATE TRIGGER base_area_moves_firms AFTER UPDATE OF area ON base\n"
"  WHEN OLD.area IS NOT NEW.area BEGIN\n"
"  UPDATE firm SET area = NEW.area WHERE base_id = NEW.id;\n"
"END;\n";

/* Step 6: the progress totals kept as the records change (measure_total,
 * store_measures_sql.h; read by store_totals.c, checked and rebuilt by
 * store_measures.c, `hatchery check` and `hatchery rebuild`). The triggers
 * below keep it in the transaction of every change, whoever makes it; a
 * base's triggers are made after schema step 3's base_opening_moves, so
 * they fire before it (SQLite fires the last made first) and a base moved
 * and reopened in one statement is counted right. An area_ancestor row
 * brings its area's records to the area above. */
static const char schema_v6[] =
"CREATE TABLE measure_total(\n"
"  measure TEXT NOT NULL,\n"
"  level   TEXT NOT NULL,                 -- base_level's level, else ''\n"
"  scope   TEXT NOT NULL,                 -- an area (and the areas under it), '*' the whole plan\n"
"  g       TEXT NOT NULL CHECK (g IN ('d', 'm')), -- by day or by month\n"
"  key     TEXT NOT NULL,                 -- the date, or its first seven characters\n"
"  v       INTEGER NOT NULL,              -- hundredths\n"
"  hi      TEXT,                          -- no day counted in the row is after hi\n"
"  PRIMARY KEY (measure, level, scope, g, key)\n"
");\n"
"INSERT INTO measure_total(measure, level, scope, g, key, v, hi) " MT_GROUPED(MT_ALL(MT_EVERY)) ";\n"
MT_TRIGGERS("operator", MT_ROW_OPERATOR, "area, review_status, introduced_on, leading_firm")
MT_TRIGGERS("fund", MT_ROW_FUND, "area, review_status, established_on")
MT_TRIGGERS("project", MT_ROW_PROJECT, "area, review_status, arrived_on")
MT_TRIGGERS("investment", MT_ROW_INVESTMENT, "area, review_status, invested_on, base_id, amount_yuan")
MT_TRIGGERS("report_figure", MT_ROW_REPORT_FIGURE, "area, review_status, field, period_end, value")
MT_TRIGGERS("base_area_change", MT_ROW_AREA_CHANGE, "base_id, changed_on, total_delta_m2")
MT_TRIGGERS("base_level", MT_ROW_BASE_LEVEL, "base_id, level, recognised_on")
/* a base's rows go with it: before its delete (cascaded deletes of its
 * changes find no base and subtract nothing), and when it changes */
"CREATE TRIGGER base_measure_insert AFTER INSERT ON base BEGIN " MT_APPLY(MT_ROW_BASE("NEW", "1")) " END;\n"
"CREATE TRIGGER base_measure_delete BEFORE DELETE ON base BEGIN " MT_APPLY(MT_ROW_BASE("OLD", "-1")) " END;\n"
"CREATE TRIGGER base_measure_update AFTER UPDATE OF id, area, review_status ON base BEGIN "
MT_APPLY(MT_ROW_BASE("OLD", "-1") " UNION ALL " MT_ROW_BASE("NEW", "1")) " END;\n"
"CREATE TRIGGER area_ancestor_measure_insert AFTER INSERT ON area_ancestor BEGIN "
MT_APPLY_SCOPE(MT_ALL(MT_OF_NEW), "NEW.ancestor") " END;\n"
"CREATE TRIGGER area_ancestor_measure_delete AFTER DELETE ON area_ancestor BEGIN "
MT_APPLY_SCOPE("SELECT m, l, ar, d, -v AS v FROM (" MT_ALL(MT_OF_OLD) ")", "OLD.ancestor") " END;\n"
"CREATE TRIGGER area_ancestor_measure_update AFTER UPDATE ON area_ancestor BEGIN "
MT_APPLY_SCOPE("SELECT m, l, ar, d, -v AS v FROM (" MT_ALL(MT_OF_OLD) ")", "OLD.ancestor")
MT_APPLY_SCOPE(MT_ALL(MT_OF_NEW), "NEW.ancestor") " END;\n";

/* Step 7: what a change touches, for the page cache (http_cache.c,
 * store_area_stamps). data_stamp.area_n counts the changes that belong to
 * an area, so n - area_n moves only with what is in no area (the plan,
 * targets, rules, operators, users, settings, and any new table whose
 * triggers are schema step 2's); area_stamp holds, per area, the data stamp
 * of the last change to a record of it or of an area under it. A record's
 * change touches its area, its base's area and, for an investment, its
 * fund's and the fund's base's (a base's evaluation counts the investments
 * of its funds). The audit trail is written with every change and belongs
 * to none: a page that shows audit rows depends on everything. */
#define ST_HEAD "UPDATE data_stamp SET n = n + 1, area_n = area_n + 1; "
#define ST_TOUCH(AREAS)                                                                                            \
	"INSERT INTO area_stamp(area, n) SELECT DISTINCT a.ancestor, (SELECT n FROM data_stamp WHERE id = 1) "         \
	"FROM area_ancestor a WHERE a.area IN (" AREAS ") ON CONFLICT(area) DO UPDATE SET n = excluded.n;"
#define ST_TRIGGERS(t, AREAS)                                                                                      \
	"DROP TRIGGER " t "_stamp_insert;\nDROP TRIGGER " t "_stamp_update;\nDROP TRIGGER " t "_stamp_delete;\n"       \
	"CREATE TRIGGER " t "_stamp_insert AFTER INSERT ON " t " BEGIN " ST_HEAD ST_TOUCH(AREAS("NEW")) " END;\n"       \
	"CREATE TRIGGER " t "_stamp_update AFTER UPDATE ON " t " BEGIN " ST_HEAD                                        \
	ST_TOUCH(AREAS("OLD") ", " AREAS("NEW")) " END;\n"                                                              \
	"CREATE TRIGGER " t "_stamp_delete AFTER DELETE ON " t " BEGIN " ST_HEAD ST_TOUCH(AREAS("OLD")) " END;\n"
#define ST_BASE_OF(x) "(SELECT area FROM base WHERE id = " x ")"
#define ST_OWN(R) R ".area"
#define ST_OWN_BASE(R) R ".area, " ST_BASE_OF(R ".base_id")
#define ST_BASE(R) ST_BASE_OF(R ".base_id")
#define ST_INVESTMENT(R)                                                                                           \
	ST_OWN_BASE(R) ", (SELECT area FROM fund WHERE id = " R ".fund_id), "                                          \
	"(SELECT b.area FROM fund f JOIN base b ON b.id = f.base_id WHERE f.id = " R ".fund_id)"
#define ST_REPORT_PART(R)                                                                                          \
	"(SELECT area FROM report WHERE id = " R ".report_id), "                                                       \
	"(SELECT b.area FROM report p JOIN base b ON b.id = p.base_id WHERE p.id = " R ".report_id)"
static const char schema_v7[] =
"ALTER TABLE data_stamp ADD COLUMN area_n INTEGER NOT NULL DEFAULT 0;\n"
"CREATE TABLE area_stamp(\n"
"  area TEXT PRIMARY KEY,\n"
"  n    INTEGER NOT NULL                  -- data_stamp.n at the last change in the area or under it\n"
");\n"
ST_TRIGGERS("base", ST_OWN)
ST_TRIGGERS("fund", ST_OWN_BASE)
ST_TRIGGERS("investment", ST_INVESTMENT)
ST_TRIGGERS("project", ST_OWN_BASE)
ST_TRIGGERS("firm", ST_OWN_BASE)
ST_TRIGGERS("report_figure", ST_OWN_BASE)
ST_TRIGGERS("recognition", ST_OWN_BASE)
ST_TRIGGERS("base_area_change", ST_BASE)
ST_TRIGGERS("base_level", ST_BASE)
ST_TRIGGERS("base_figure", ST_BASE)
ST_TRIGGERS("rule_verdict", ST_BASE)
ST_TRIGGERS("pending_change", ST_OWN)
ST_TRIGGERS("report", ST_OWN_BASE)
ST_TRIGGERS("report_value", ST_REPORT_PART)
ST_TRIGGERS("report_row", ST_REPORT_PART)
ST_TRIGGERS("report_reminder", ST_OWN)
"DROP TRIGGER audit_stamp_insert;\nDROP TRIGGER audit_stamp_update;\nDROP TRIGGER audit_stamp_delete;\n"
"CREATE TRIGGER audit_stamp_insert AFTER INSERT ON audit BEGIN " ST_HEAD " END;\n"
"CREATE TRIGGER audit_stamp_update AFTER UPDATE ON audit BEGIN " ST_HEAD " END;\n"
"CREATE TRIGGER audit_stamp_delete AFTER DELETE ON audit BEGIN " ST_HEAD " END;\n";
#undef ST_HEAD
#undef ST_TOUCH
#undef ST_TRIGGERS
/* Step 8: bulletins (通报). A draft holds the document generated from the
 * data as of a date (doc.h's JSON) with the office's paragraphs in it; a
 * published one is frozen: content never changes again, and content_sha256
 * and data_stamp say what it was made from. A correction is a new bulletin
 * naming the one it corrects. */
static const char schema_v8[] =
"CREATE TABLE bulletin(\n"
"  id             INTEGER PRIMARY KEY,\n"
"  number         TEXT NOT NULL UNIQUE,   -- 瑞孵办〔2024〕11号\n"
"  year           INTEGER NOT NULL,       -- of the number\n"
"  seq            INTEGER NOT NULL,       -- the number within its year\n"
"  period         TEXT NOT NULL,          -- 2024-11\n"
"  as_of          TEXT NOT NULL,          -- the data as of this day\n"
"  title          TEXT NOT NULL,\n"
"  status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),\n"
"  content        TEXT NOT NULL,          -- the document (JSON, doc.h)\n"
"  content_sha256 TEXT,                   -- of content, when published\n"
"  data_stamp     INTEGER NOT NULL,       -- data_stamp.n the figures were read at\n"
"  corrects_id    INTEGER REFERENCES bulletin(id),\n"
"  correction_note TEXT,                  -- what the correction corrects\n"
"  created_by     TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,\n"
"  published_by   TEXT, published_at TEXT,\n"
"  UNIQUE (year, seq)\n"
");\n"
"CREATE INDEX bulletin_status ON bulletin(status, period);\n"
"CREATE INDEX bulletin_corrects ON bulletin(corrects_id);\n"
"-- A published bulletin is never changed again.\n"
"CREATE TRIGGER bulletin_frozen BEFORE UPDATE ON bulletin WHEN OLD.status = 'published' BEGIN\n"
"  SELECT RAISE(ABORT, 'bulletin published');\n"
"END;\n"
"CREATE TRIGGER bulletin_frozen_delete BEFORE DELETE ON bulletin WHEN OLD.status = 'published' BEGIN\n"
"  SELECT RAISE(ABORT, 'bulletin published');\n"
"END;\n"
"CREATE TRIGGER bulletin_stamp_insert AFTER INSERT ON bulletin BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
"CREATE TRIGGER bulletin_stamp_update AFTER UPDATE ON bulletin BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
"CREATE TRIGGER bulletin_stamp_delete AFTER DELETE ON bulletin BEGIN UPDATE data_stamp SET n = n + 1; END;\n";
/* Step 11: the work system (tasks.c): tasks from the plan's sub-clauses and
 * the office's, their responsible units (the lead and the co-responsible),
 * milestones, updates from the units; 督办单 (supervision) and each of their
 * steps; evidence files (attachments.c) of any owner; the leadership group's
 * agendas, their items with figures and the decisions taken. */
#define STAMPED11(t) \
	"CREATE TRIGGER " t "_stamp_insert AFTER INSERT ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_update AFTER UPDATE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_delete AFTER DELETE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
static const char schema_v11[] =
"CREATE TABLE task(\n"
"  id          INTEGER PRIMARY KEY,\n"
"  code        TEXT UNIQUE,              -- the plan's sub-clause (w1-1); NULL for others\n"
"  work_item   TEXT,                     -- the plan's work item code, or NULL\n"
"  title       TEXT NOT NULL,\n"
"  detail      TEXT,\n"
"  lead        TEXT NOT NULL,            -- a department code, an area code or '@areas'\n"
"  start_on    TEXT,\n"
"  due_on      TEXT,                     -- Beijing calendar day, inclusive\n"
"  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),\n"
"  indicator   TEXT,                     -- a plan indicator measuring it\n"
"  record_kind TEXT,                     -- or a count of records of a kind (bases, funds, ...)\n"
"  target      REAL,                     -- the count or figure aimed at, when stated\n"
"  source      TEXT NOT NULL DEFAULT 'office' CHECK (source IN ('plan', 'office', 'meeting', 'event')),\n"
"  source_ref  TEXT,                     -- the agenda, decision or event it came from\n"
"  done_on     TEXT,\n"
"  created_by  TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX task_due ON task(status, due_on);\n"
"CREATE TABLE task_unit(\n"
"  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,\n"
"  unit    TEXT NOT NULL,                -- department code, area code or '@areas'\n"
"  lead    INTEGER NOT NULL DEFAULT 0,\n"
"  ord     INTEGER NOT NULL DEFAULT 0,   -- as the plan lists them\n"
"  PRIMARY KEY (task_id, unit)\n"
");\n"
"CREATE INDEX task_unit_unit ON task_unit(unit, lead);\n"
"CREATE TABLE task_milestone(\n"
"  id      INTEGER PRIMARY KEY,\n"
"  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,\n"
"  title   TEXT NOT NULL,\n"
"  due_on  TEXT NOT NULL,\n"
"  done_on TEXT, done_by TEXT\n"
");\n"
"CREATE INDEX task_milestone_task ON task_milestone(task_id, due_on);\n"
"CREATE TABLE task_update(\n"
"  id      INTEGER PRIMARY KEY,\n"
"  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,\n"
"  unit    TEXT NOT NULL,                -- who reports (the lead unit, or the office)\n"
"  text    TEXT NOT NULL,\n"
"  percent INTEGER CHECK (percent BETWEEN 0 AND 100),\n"
"  by_user TEXT NOT NULL, at TEXT NOT NULL\n"
");\n"
"CREATE INDEX task_update_task ON task_update(task_id, at);\n"
"-- 督办单: what, by when, to whom; signed (签收), answered (反馈), then the\n"
"-- office accepts it or presses again (催办: a new round, the old one 'pressed').\n"
"CREATE TABLE supervision(\n"
"  id          INTEGER PRIMARY KEY,\n"
"  task_id     INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,\n"
"  round       INTEGER NOT NULL DEFAULT 1,\n"
"  unit        TEXT NOT NULL,            -- to whom: a lead unit of the task\n"
"  demand      TEXT NOT NULL,            -- what\n"
"  due_on      TEXT NOT NULL,            -- by when (Beijing day, inclusive)\n"
"  status      TEXT NOT NULL DEFAULT 'issued'\n"
"              CHECK (status IN ('issued', 'signed', 'answered', 'accepted', 'pressed')),\n"
"  issued_by   TEXT NOT NULL, issued_at TEXT NOT NULL,\n"
"  signed_by   TEXT, signed_at TEXT,\n"
"  answer      TEXT, answered_by TEXT, answered_at TEXT,\n"
"  verdict     TEXT, verdict_by TEXT, verdict_at TEXT, -- the office's note on accepting or pressing\n"
"  previous_id INTEGER REFERENCES supervision(id)\n"
");\n"
"CREATE INDEX supervision_task ON supervision(task_id, round);\n"
"CREATE INDEX supervision_unit ON supervision(unit, status);\n"
"-- Evidence files: photos, PDFs, scans, checked by their content.\n"
"CREATE TABLE attachment(\n"
"  id         INTEGER PRIMARY KEY,\n"
"  owner_kind TEXT NOT NULL,             -- task, supervision, task_update, ...\n"
"  owner_id   INTEGER NOT NULL,\n"
"  name       TEXT NOT NULL,             -- as uploaded, for people\n"
"  mime       TEXT NOT NULL,             -- from the content: image/jpeg, image/png, image/webp, application/pdf\n"
"  size       INTEGER NOT NULL,\n"
"  sha256     TEXT NOT NULL,\n"
"  data       BLOB NOT NULL,\n"
"  created_by TEXT NOT NULL, created_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX attachment_owner ON attachment(owner_kind, owner_id);\n"
"-- The leadership group's meetings: a draft agenda gathered with figures,\n"
"-- then held, with decisions that become tasks.\n"
"CREATE TABLE agenda(\n"
"  id         INTEGER PRIMARY KEY,\n"
"  title      TEXT NOT NULL,\n"
"  meeting_on TEXT,\n"
"  status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'held')),\n"
"  created_by TEXT NOT NULL, created_at TEXT NOT NULL,\n"
"  held_by    TEXT, held_at TEXT\n"
");\n"
"CREATE TABLE agenda_item(\n"
"  id        INTEGER PRIMARY KEY,\n"
"  agenda_id INTEGER NOT NULL REFERENCES agenda(id) ON DELETE CASCADE,\n"
"  ord       INTEGER NOT NULL,\n"
"  kind      TEXT NOT NULL CHECK (kind IN ('indicator', 'task', 'help', 'recognition', 'other')),\n"
"  ref       TEXT,                       -- indicator code, task id, report, recognition id\n"
"  title     TEXT NOT NULL,\n"
"  figures   TEXT                        -- the figures attached, as people read them\n"
");\n"
"CREATE INDEX agenda_item_agenda ON agenda_item(agenda_id, ord);\n"
"CREATE TABLE agenda_decision(\n"
"  id         INTEGER PRIMARY KEY,\n"
"  agenda_id  INTEGER NOT NULL REFERENCES agenda(id) ON DELETE CASCADE,\n"
"  item_id    INTEGER REFERENCES agenda_item(id),\n"
"  text       TEXT NOT NULL,\n"
"  task_id    INTEGER REFERENCES task(id),\n"
"  created_by TEXT NOT NULL, created_at TEXT NOT NULL\n"
");\n"
STAMPED11("task")
STAMPED11("task_unit")
STAMPED11("task_milestone")
STAMPED11("task_update")
STAMPED11("supervision")
STAMPED11("attachment")
STAMPED11("agenda")
STAMPED11("agenda_item")
STAMPED11("agenda_decision");
#undef STAMPED11

/* Step 9: the policy system (policy.h, docs/POLICY-FORMAT.md). A policy
 * document is kept as its file's text; its measures get ids that
 * applications name (kept by code when the document is loaded again; a
 * measure the new version drops stays, inactive, for its applications).
 * An application is for a base, a measure and a year: the assessment
 * (conditions and amount) is kept as JSON at each submission; endorsement,
 * approval (amount, reason), payment (date, amount, voucher) and return
 * (reason) are columns. Finance products (人才创业贷、人才创业险) and the
 * loans and policies granted to firms in the bases. */
#define STAMPED(t) \
	"CREATE TRIGGER " t "_stamp_insert AFTER INSERT ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_update AFTER UPDATE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_delete AFTER DELETE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
static const char schema_v9[] =
"CREATE TABLE policy_doc(\n"
"  code        TEXT PRIMARY KEY,\n"
"  name        TEXT NOT NULL,\n"
"  document_no TEXT,\n"
"  valid_from  TEXT, valid_to TEXT,\n"
"  example     INTEGER NOT NULL DEFAULT 0, -- 1: an example (示例), not a real document\n"
"  json        TEXT NOT NULL,              -- the file as loaded\n"
"  loaded_by   TEXT, loaded_at TEXT NOT NULL\n"
");\n"
"CREATE TABLE policy_measure(\n"
"  id      INTEGER PRIMARY KEY,\n"
"  policy  TEXT NOT NULL REFERENCES policy_doc(code),\n"
"  code    TEXT NOT NULL,\n"
"  title   TEXT NOT NULL,\n"
"  kind    TEXT NOT NULL,\n"
"  article TEXT,\n"
"  active  INTEGER NOT NULL DEFAULT 1,\n"
"  UNIQUE (policy, code)\n"
");\n"
"CREATE TABLE policy_application(\n"
"  id             INTEGER PRIMARY KEY,\n"
"  measure_id     INTEGER NOT NULL REFERENCES policy_measure(id),\n"
"  base_id        INTEGER NOT NULL REFERENCES base(id),\n"
"  area           TEXT NOT NULL REFERENCES area(code),\n"
"  year           INTEGER NOT NULL,\n"
"  status         TEXT NOT NULL DEFAULT 'applied'\n"
"                 CHECK (status IN ('applied', 'endorsed', 'approved', 'paid', 'returned')),\n"
"  claim_yuan     REAL,                   -- the applicant's figure (rent, interest, investment)\n"
"  entitled_yuan  REAL NOT NULL DEFAULT 0 CHECK (entitled_yuan >= 0),\n"
"  assessment     TEXT,                   -- JSON: conditions, formula, caps\n"
"  note           TEXT,\n"
"  applied_by     TEXT NOT NULL, applied_at TEXT NOT NULL,\n"
"  endorsed_by    TEXT, endorsed_at TEXT,\n"
"  approved_by    TEXT, approved_at TEXT,\n"
"  approved_yuan  REAL CHECK (approved_yuan >= 0),\n"
"  approve_reason TEXT,\n"
"  paid_on        TEXT, paid_yuan REAL CHECK (paid_yuan >= 0), voucher_no TEXT, paid_by TEXT,\n"
"  returned_by    TEXT, returned_at TEXT, return_reason TEXT,\n"
"  updated_at     TEXT NOT NULL\n"
");\n"
"CREATE INDEX policy_application_measure ON policy_application(measure_id, year, base_id);\n"
"CREATE INDEX policy_application_base ON policy_application(base_id, year);\n"
"CREATE INDEX policy_application_area ON policy_application(area, status);\n"
"CREATE INDEX policy_application_status ON policy_application(status, updated_at);\n"
"CREATE TABLE finance_product(\n"
"  id         INTEGER PRIMARY KEY,\n"
"  kind       TEXT NOT NULL CHECK (kind IN ('loan', 'insurance')),\n"
"  name       TEXT NOT NULL,\n"
"  provider   TEXT NOT NULL,              -- the bank or insurer\n"
"  note       TEXT,\n"
"  created_by TEXT, created_at TEXT NOT NULL,\n"
"  UNIQUE (name, provider)\n"
");\n"
"CREATE TABLE finance_grant(\n"
"  id          INTEGER PRIMARY KEY,\n"
"  product_id  INTEGER NOT NULL REFERENCES finance_product(id),\n"
"  base_id     INTEGER NOT NULL REFERENCES base(id),\n"
"  area        TEXT NOT NULL REFERENCES area(code),\n"
"  firm        TEXT NOT NULL,\n"
"  amount_yuan REAL NOT NULL CHECK (amount_yuan > 0), -- the loan, or the sum insured\n"
"  granted_on  TEXT NOT NULL,\n"
"  note        TEXT,\n"
"  created_by  TEXT, created_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX finance_grant_base ON finance_grant(base_id, granted_on);\n"
"CREATE INDEX finance_grant_area ON finance_grant(area, granted_on);\n"
STAMPED("policy_doc")
STAMPED("policy_measure")
STAMPED("policy_application")
STAMPED("finance_product")
STAMPED("finance_grant");
#undef STAMPED

/* Step 10: events (三(七): the summit, the contests, 双创活动周, professional
 * contests at big incubators, roadshows, 现场会) and the roadshow pipeline
 * (常态化路演机制, events.c). An event belongs to an area (NULL: the city,
 * the office's own) and may be hosted by a base. Each project an event
 * takes in is a row of event_project, its steps dated in order: registered
 * → presented → investor interest → due diligence → invested (linked to
 * the registry's investment) and/or settled in a base (linked to the
 * registry's project); or dropped. A registry record is brought by at most
 * one pipeline row (UNIQUE), so an investment traces back to one roadshow;
 * deleting the record leaves the row and its dates, without the link. */
#define STAMPED10(t) \
	"CREATE TRIGGER " t "_stamp_insert AFTER INSERT ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_update AFTER UPDATE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n" \
	"CREATE TRIGGER " t "_stamp_delete AFTER DELETE ON " t " BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
static const char schema_v10[] =
"CREATE TABLE event(\n"
"  id           INTEGER PRIMARY KEY,\n"
"  kind         TEXT NOT NULL CHECK (kind IN ('summit', 'contest', 'activity_week', 'pro_contest',\n"
"                                             'roadshow', 'site_meeting', 'other')),\n"
"  name         TEXT NOT NULL,\n"
"  organiser    TEXT NOT NULL,            -- 主办单位 as written: 市科协、市科技局\n"
"  area         TEXT REFERENCES area(code), -- the area that holds it; NULL: the city (the office)\n"
"  base_id      INTEGER REFERENCES base(id) ON DELETE SET NULL, -- the base that hosts it\n"
"  starts_on    TEXT NOT NULL,\n"
"  ends_on      TEXT,                     -- NULL: one day\n"
"  place        TEXT,\n"
"  mode         TEXT NOT NULL DEFAULT 'offline' CHECK (mode IN ('offline', 'online', 'both')),\n"
"  participants INTEGER CHECK (participants >= 0), -- 参与人数\n"
"  attendees    TEXT,                     -- 参会单位和人员 (a 现场会's)\n"
"  summary      TEXT,\n"
"  status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),\n"
"  created_by   TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
");\n"
"CREATE INDEX event_starts ON event(starts_on);\n"
"CREATE INDEX event_area ON event(area, starts_on);\n"
"CREATE INDEX event_base ON event(base_id);\n"
"CREATE TABLE event_project(\n"
"  id              INTEGER PRIMARY KEY,\n"
"  event_id        INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,\n"
"  name            TEXT NOT NULL,         -- the project or team as it registered\n"
"  team            TEXT,                  -- 负责人或团队\n"
"  field           TEXT,                  -- 领域\n"
"  registered_on   TEXT NOT NULL,\n"
"  presented_on    TEXT,\n"
"  interest_on     TEXT, investor TEXT,   -- who showed interest\n"
"  diligence_on    TEXT,\n"
"  invested_on     TEXT,\n"
"  investment_id   INTEGER UNIQUE REFERENCES investment(id) ON DELETE SET NULL,\n"
"  settled_on      TEXT,\n"
"  project_id      INTEGER UNIQUE REFERENCES project(id) ON DELETE SET NULL,\n"
"  settled_base_id INTEGER REFERENCES base(id) ON DELETE SET NULL,\n"
"  dropped_on      TEXT, drop_reason TEXT,\n"
"  note            TEXT,\n"
"  created_by      TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,\n"
"  UNIQUE (event_id, name)\n"
");\n"
"CREATE INDEX event_project_event ON event_project(event_id);\n"
STAMPED10("event")
STAMPED10("event_project");
#undef STAMPED10

/* Step 12: a published bulletin's files, each made once (issue #20): the
 * bulletin is frozen, so its PDF, .docx and .xlsx are too. Made by the
 * server's renderer child on the first download and kept with the hash of
 * the content they were made from and their own SHA-256; drafts are never
 * kept (they change). A row is only ever inserted. */
static const char schema_v12[] =
"CREATE TABLE bulletin_file(\n"
"  bulletin_id    INTEGER NOT NULL REFERENCES bulletin(id),\n"
"  format         TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'xlsx')),\n"
"  content_sha256 TEXT NOT NULL,          -- bulletin.content_sha256 it was made from\n"
"  size           INTEGER NOT NULL,\n"
"  sha256         TEXT NOT NULL,          -- of data\n"
"  data           BLOB NOT NULL,\n"
"  made_at        TEXT NOT NULL,\n"
"  PRIMARY KEY (bulletin_id, format)\n"
");\n"
"CREATE TRIGGER bulletin_file_stamp_insert AFTER INSERT ON bulletin_file BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
"CREATE TRIGGER bulletin_file_stamp_update AFTER UPDATE ON bulletin_file BEGIN UPDATE data_stamp SET n = n + 1; END;\n"
"CREATE TRIGGER bulletin_file_stamp_delete AFTER DELETE ON bulletin_file BEGIN UPDATE data_stamp SET n = n + 1; END;\n";

/* Step 13: the firm list filtered on 入孵日期 (issue 20). The list's
 * statements name only the filters given (store_records.c), so a window of
 * dates is read from this index instead of scanning the million firms; it
 * also holds the list's default order (base, name), so the matches are
 * sorted without reading the table, and a list sorted by 入孵日期 is read
 * in order from it. */
static const char schema_v13[] =
"CREATE INDEX firm_entered ON firm(entered_on, base_id, name);\n";

/* Step 16: the office's waiting count (store_review_waiting: the navigation's
 * 审核 badge and 工作台) sums record_count's pending rows of the six kinds.
 * The table's key leads with kind and area, so the sum read every row of it
 * (3,500 at national scale); this index holds the rows by status and kind
 * with their n, so the sum reads only the pending ones. Steps 14 and 15 are
 * another change's: a database that took this step first keeps their
 * numbers in schema_step_skipped until a program that has them runs
 * (store_migrate). */
static const char schema_v16[] =
"CREATE INDEX record_count_waiting ON record_count(review_status, kind, n);\n";

/* The migrations, in order. Step N brings user_version N-1 to N. */
const StoreMigration store_migrations[] = {
	{1, schema_v1},
	{2, schema_v2},
	{3, schema_v3},
	{4, schema_v4},
	{5, schema_v5},
	{6, schema_v6},
	{7, schema_v7},
	{8, schema_v8},
	{9, schema_v9},
	{10, schema_v10},
	{11, schema_v11},
	{12, schema_v12},
	{13, schema_v13},
	{16, schema_v16},
};
const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);
