/*
 * routes.c — every URL of the server in one table (STYLE.md 2): method,
 * pattern, handler, the roles allowed, how the scope is read, flags, and a
 * line saying what it is. A reader finds a URL's handler by searching here.
 * Each {name:type} part of a pattern is checked against its type by the
 * route matching in http.c (types: int, area, indicator, code, file) before
 * anything else: a value that fails is a 404 and the handler never runs;
 * handlers read req_param_int(r, "id") and req_param(r, "code").
 * session.c's authz_check() enforces roles, scope, CSRF and origin before
 * any handler runs; no handler checks by itself.
 *
 * Who sees what (DOMAIN.md, issue "Accounts"): anonymous visitors see the
 * login page and the public summary (overview, plan, list of areas and
 * their API mirrors: the plan is a public document and progress is
 * published); every logged-in role sees public data; area reporters edit
 * their own area's records, base users their own base; viewers read all;
 * admins do everything.
 */
#include "http.h"
#include "registry.h"

void page_home(Req *r);
void page_workbench(Req *r);
void page_areas(Req *r);
void page_area(Req *r);
void page_plan(Req *r);
void page_static(Req *r);
void page_healthz(Req *r);
void page_login(Req *r);
void page_login_post(Req *r);
void page_logout(Req *r);
void page_password(Req *r);
void page_password_post(Req *r);
void page_targets(Req *r);
void page_targets_post(Req *r);
void page_progress_records(Req *r);
void page_compare(Req *r);
void api_targets(Req *r);
void api_targets_put(Req *r);
void page_targets_template(Req *r);
void page_targets_export(Req *r);
void page_targets_import(Req *r);
void api_targets_import(Req *r);
void page_evaluation(Req *r);
void page_verdict_post(Req *r);
void page_figures(Req *r);
void page_figures_post(Req *r);
void page_evaluation_matrix(Req *r);
void api_evaluation(Req *r);
void api_verdict(Req *r);
void api_figures(Req *r);
void api_figures_put(Req *r);
void api_evaluation_matrix(Req *r);
void page_base_recognitions(Req *r);
void page_apply_post(Req *r);
void page_recognitions(Req *r);
void page_recognition_endorse(Req *r);
void page_recognition_file(Req *r);
void page_recognition_return(Req *r);
void api_apply(Req *r);
void api_recognitions(Req *r);
void api_recognition_endorse(Req *r);
void api_recognition_file(Req *r);
void api_recognition_return(Req *r);
void page_rule_sets(Req *r);
void page_sources(Req *r);
void page_rule_set(Req *r);
void page_rule_set_post(Req *r);
void api_rule_scores(Req *r);
void page_records(Req *r);
void page_record_new(Req *r);
void page_record_create(Req *r);
void page_record(Req *r);
void page_record_edit(Req *r);
void page_record_update(Req *r);
void page_record_delete_confirm(Req *r);
void page_record_delete(Req *r);
void page_record_review(Req *r);
void page_review(Req *r);
void page_change_review(Req *r);
void page_review_batch(Req *r);
void page_users(Req *r);
void page_users_post(Req *r);
void page_user(Req *r);
void page_user_post(Req *r);
void page_sessions(Req *r);
void page_audit(Req *r);
void api_plan(Req *r);
void api_areas(Req *r);
void api_area(Req *r);
void api_progress(Req *r);
void api_session_create(Req *r);
void api_session_get(Req *r);
void api_session_password(Req *r);
void api_records(Req *r);
void api_record_create(Req *r);
void api_record_get(Req *r);
void api_record_put(Req *r);
void api_record_patch(Req *r);
void api_record_delete(Req *r);
void api_record_review(Req *r);
void api_review(Req *r);
void api_change_review(Req *r);
void api_users(Req *r);
void api_users_create(Req *r);
void api_user_patch(Req *r);
void api_user_sessions_delete(Req *r);
void api_audit(Req *r);
void page_transfer_import(Req *r);
void page_transfer_template(Req *r);
void page_transfer_export_xlsx(Req *r);
void page_transfer_export_csv(Req *r);
void api_transfer_import(Req *r);
void page_tasks(Req *r);
void page_task_new(Req *r);
void page_task_create(Req *r);
void page_task(Req *r);
void page_task_update_post(Req *r);
void page_task_milestone_post(Req *r);
void page_task_milestone_reached(Req *r);
void page_task_set(Req *r);
void page_supervision_issue(Req *r);
void page_supervision_sign(Req *r);
void page_supervision_answer(Req *r);
void page_task_attach_post(Req *r);
void page_supervision_accept(Req *r);
void page_supervision_press(Req *r);
void page_supervision(Req *r);
void page_supervision_xlsx(Req *r);
void page_agendas(Req *r);
void page_agenda_post(Req *r);
void page_agenda(Req *r);
void page_agenda_decide(Req *r);
void page_agenda_held(Req *r);
void page_attachment(Req *r);
void api_tasks(Req *r);
void api_task_create(Req *r);
void api_task(Req *r);
void api_task_update(Req *r);
void api_task_attach(Req *r);
void api_supervision_issue(Req *r);
void api_supervision_sign(Req *r);
void api_supervision_answer(Req *r);
void api_supervision_accept(Req *r);
void api_supervision_press(Req *r);
void api_supervision(Req *r);
void api_agendas(Req *r);
void api_agenda_create(Req *r);
void api_agenda(Req *r);
void api_agenda_decide(Req *r);
void page_reports(Req *r);
void page_competition(Req *r);
void page_competition_xlsx(Req *r);
void page_assessment(Req *r);
void page_assessment_xlsx(Req *r);
void api_assessment(Req *r);
void api_competition(Req *r);
void page_report_period(Req *r);
void page_webhook(Req *r);
void page_webhook_post(Req *r);
void page_webhook_test(Req *r);
void page_report_batch(Req *r);
void page_report_remind(Req *r);
void page_report_exception(Req *r);
void page_report_completeness_xlsx(Req *r);
void page_report_fill_xlsx(Req *r);
void api_report_upload(Req *r);
void page_report(Req *r);
void page_report_post(Req *r);
void page_report_review(Req *r);
void page_report_unlock(Req *r);
void api_report_forms(Req *r);
void api_report_period(Req *r);
void api_report_get(Req *r);
void api_report_put(Req *r);
void api_report_submit(Req *r);
void api_report_approve(Req *r);
void api_report_accept(Req *r);
void api_report_return(Req *r);
void api_report_unlock_request(Req *r);
void api_report_unlock(Req *r);
void api_report_exception(Req *r);
void api_report_remind(Req *r);
void api_report_batch(Req *r);
void page_events(Req *r);
void page_event_new(Req *r);
void page_event_create(Req *r);
void page_event(Req *r);
void page_event_edit(Req *r);
void page_event_update(Req *r);
void page_event_project_add(Req *r);
void page_event_step(Req *r);
void page_event_task_add(Req *r);
void page_event_photos(Req *r);
void page_roadshows(Req *r);
void api_events(Req *r);
void api_event_create(Req *r);
void api_event_get(Req *r);
void api_event_patch(Req *r);
void api_event_project_add(Req *r);
void api_event_step(Req *r);
void api_event_task_add(Req *r);
void api_event_attach(Req *r);
void page_bulletins(Req *r);
void page_bulletin_make(Req *r);
void page_bulletin(Req *r);
void page_bulletin_edit(Req *r);
void page_bulletin_edit_post(Req *r);
void page_bulletin_publish(Req *r);
void page_bulletin_refresh(Req *r);
void page_bulletin_delete(Req *r);
void page_bulletin_correct(Req *r);
void page_bulletin_file(Req *r);
void api_bulletins(Req *r);
void api_bulletin(Req *r);
void api_bulletin_make(Req *r);
void api_bulletin_patch(Req *r);
void api_bulletin_publish(Req *r);
void page_policies(Req *r);
void api_policies(Req *r);
void page_policy_applications(Req *r);
void page_policy_apply_form(Req *r);
void page_policy_apply_post(Req *r);
void page_policy_application(Req *r);
void page_policy_endorse(Req *r);
void page_policy_approve(Req *r);
void page_policy_pay(Req *r);
void page_policy_return(Req *r);
void page_policy_resubmit(Req *r);
void page_policy_attach_post(Req *r);
void api_policy_applications(Req *r);
void api_policy_apply(Req *r);
void api_policy_application(Req *r);
void api_policy_endorse(Req *r);
void api_policy_approve(Req *r);
void api_policy_pay(Req *r);
void api_policy_return(Req *r);
void api_policy_resubmit(Req *r);
void api_policy_attach(Req *r);
void page_policy_results(Req *r);
void page_policy_results_xlsx(Req *r);
void api_policy_results(Req *r);
void page_finance(Req *r);
void page_finance_product_post(Req *r);
void page_finance_grant_post(Req *r);
void api_finance(Req *r);

#define ADMIN ALLOW(ROLE_ADMIN)
#define READERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT))
#define BASE_EDITORS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE))
#define CREATORS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA))
#define PRE ROUTE_BEFORE_PASSWORD_CHANGE
/* Periodic reports: who reports (areas, bases, departments), who reads their area's (the
 * office, leaders, areas); SCOPE_REPORT narrows {org:code} to one's own. */
#define REPORTERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT))
#define REPORT_READERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT))
#define APPROVERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA))
/* Events and roadshows (events.h): every user reads; the office, areas and
 * bases hold events (their own: SCOPE_EVENT and events.c). */
#define EVENT_HOLDERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE))
/* The work system (督查督办): the office, leaders, and the units responsible
 * (departments, areas); SCOPE_TASK narrows to a unit's own and co-owned
 * tasks, SCOPE_TASK_LEAD to those it leads. */
#define TASK_READERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT))
#define TASK_UNITS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT))
#define LEADERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER))
/* A 督办单 is signed and answered by the unit it is addressed to, never the office. */
#define ADDRESSEES (ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT))
/* Pages that depend only on who asks, the address, today and the database:
 * answered again from the page cache while the data is unchanged
 * (http_cache.c). Not: forms, exports, sessions, users, audit, review. */
#define C ROUTE_CACHED
/* The policy system: who applies (the office, areas, bases), who reads the
 * applications (the same and leaders), who reads what the money bought. */
#define POLICY_APPLICANTS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE))
#define POLICY_READERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE))
/* Every record kind of the registry has these pages and API calls; a
 * search for "/funds" finds them here. Creating is for the office and area
 * reporters; changing is for the office, the record's area and its base. */
#define REGISTRY_PAGES(P, K) \
	{"GET", P, page_records, READERS, SCOPE_NONE, C, "list: filters, search, sort, paging", K}, \
	{"GET", P "/new", page_record_new, CREATORS, SCOPE_NONE, 0, "register (form)", K}, \
	{"POST", P "/new", page_record_create, CREATORS, SCOPE_NONE, 0, "register", K}, \
	{"GET", P "/import", page_transfer_import, CREATORS, SCOPE_NONE, 0, "import from .xlsx/.csv (upload page)", K}, \
	{"GET", P "/template.xlsx", page_transfer_template, CREATORS, SCOPE_NONE, 0, "import template with 说明", K}, \
	{"GET", P "/export.xlsx", page_transfer_export_xlsx, READERS, SCOPE_NONE, 0, "export what the list shows (.xlsx)", K}, \
	{"GET", P "/export.csv", page_transfer_export_csv, READERS, SCOPE_NONE, 0, "export what the list shows (.csv)", K}, \
	{"GET", P "/{id:int}", page_record, ALLOW_USERS, SCOPE_RECORD_READ, C, "one record with its history", K}, \
	{"GET", P "/{id:int}/edit", page_record_edit, BASE_EDITORS, SCOPE_RECORD, 0, "edit (form)", K}, \
	{"POST", P "/{id:int}/edit", page_record_update, BASE_EDITORS, SCOPE_RECORD, 0, "save", K}, \
	{"GET", P "/{id:int}/delete", page_record_delete_confirm, BASE_EDITORS, SCOPE_RECORD, 0, "confirm deleting", K}, \
	{"POST", P "/{id:int}/delete", page_record_delete, BASE_EDITORS, SCOPE_RECORD, 0, "delete", K}, \
	{"POST", P "/{id:int}/review", page_record_review, ADMIN, SCOPE_NONE, 0, "approve or return a new record", K}
#define REGISTRY_API(P, K) \
	{"GET", P, api_records, READERS, SCOPE_NONE, C, "list ?area=&q=&from=&to=&sort=&desc=&limit=&offset=", K}, \
	{"POST", P, api_record_create, CREATORS, SCOPE_NONE, 0, "create", K}, \
	{"POST", P "/import", api_transfer_import, CREATORS, SCOPE_NONE, 0, "import ?mode=check|all|good, body .xlsx/.csv", K}, \
	{"GET", P "/{id:int}", api_record_get, ALLOW_USERS, SCOPE_RECORD_READ, C, "one record", K}, \
	{"PUT", P "/{id:int}", api_record_put, BASE_EDITORS, SCOPE_RECORD, 0, "replace", K}, \
	{"PATCH", P "/{id:int}", api_record_patch, BASE_EDITORS, SCOPE_RECORD, 0, "update", K}, \
	{"DELETE", P "/{id:int}", api_record_delete, BASE_EDITORS, SCOPE_RECORD, 0, "delete", K}, \
	{"POST", P "/{id:int}/review", api_record_review, ADMIN, SCOPE_NONE, 0, "approve or return a new record", K}

const Route routes[] = {
	/* public summary */
	{"GET", "/", page_home, ALLOW_ALL, SCOPE_NONE, C, "总览: targets and progress", NULL},
	{"GET", "/areas", page_areas, ALLOW_ALL, SCOPE_NONE, C, "区域: the areas and their groups", NULL},
	{"GET", "/plan", page_plan, ALLOW_ALL, SCOPE_NONE, C, "规划与标准: targets, 七个一, work items", NULL},
	{"GET", "/compare", page_compare, ALLOW_ALL, SCOPE_NONE, C, "区域比较: all areas on one indicator", NULL},
	{"GET", "/targets", page_targets, ALLOW_ALL, SCOPE_NONE, C, "目标分解: the grid and the sum check", NULL},
	{"POST", "/targets", page_targets_post, ADMIN, SCOPE_NONE, 0, "save the areas' targets", NULL},
	{"GET", "/targets/template.xlsx", page_targets_template, ALLOW_ALL, SCOPE_NONE, 0, "the grid's import template with 说明", NULL},
	{"GET", "/targets/export.xlsx", page_targets_export, ALLOW_ALL, SCOPE_NONE, 0, "the grid with the current targets (.xlsx)", NULL},
	{"GET", "/targets/import", page_targets_import, ADMIN, SCOPE_NONE, 0, "import the areas' targets (upload page)", NULL},
	{"GET", "/progress/{indicator:indicator}", page_progress_records, READERS, SCOPE_NONE, C, "the records behind a figure", NULL},
	/* infrastructure */
	{"GET", "/healthz", page_healthz, ALLOW_ALL, SCOPE_NONE, PRE, "liveness: 200 ok", NULL},
	{"GET", "/static/{name:file}", page_static, ALLOW_ALL, SCOPE_NONE, PRE, "embedded CSS and JS", NULL},
	/* accounts */
	{"GET", "/login", page_login, ALLOW_ALL, SCOPE_NONE, PRE, "登录 form", NULL},
	{"POST", "/login", page_login_post, ALLOW_ALL, SCOPE_NONE, PRE | ROUTE_NO_CSRF | ROUTE_SMALL_BODY, "log in (form)", NULL},
	{"POST", "/logout", page_logout, ALLOW_USERS, SCOPE_NONE, PRE, "log out", NULL},
	{"GET", "/password", page_password, ALLOW_USERS, SCOPE_NONE, PRE, "修改密码 form", NULL},
	{"POST", "/password", page_password_post, ALLOW_USERS, SCOPE_NONE, PRE, "change one's password", NULL},
	/* every role's home */
	{"GET", "/workbench", page_workbench, ALLOW_USERS, SCOPE_NONE, C, "工作台: what waits for the user, then their figures", NULL},
	/* areas and bases */
	{"GET", "/areas/{code:area}", page_area, READERS, SCOPE_NONE, C, "one area: figures and bases", NULL},
	/* the registry: the same rows for every kind (REGISTRY_PAGES below) */
	REGISTRY_PAGES("/bases", &kind_base),
	REGISTRY_PAGES("/operators", &kind_operator),
	REGISTRY_PAGES("/funds", &kind_fund),
	REGISTRY_PAGES("/investments", &kind_investment),
	REGISTRY_PAGES("/projects", &kind_project),
	REGISTRY_PAGES("/firms", &kind_firm),
	/* evaluation against the standards */
	{"GET", "/rules", page_rule_sets, ALLOW_USERS, SCOPE_NONE, C, "规则集: the loaded standards", NULL},
	{"GET", "/sources", page_sources, ALLOW_USERS, SCOPE_NONE, C, "标准出处: every indicator and rule with its text", NULL},
	{"GET", "/rules/{set:code}", page_rule_set, ALLOW_USERS, SCOPE_NONE, C, "one rule set and its rubric", NULL},
	{"POST", "/rules/{set:code}", page_rule_set_post, ADMIN, SCOPE_NONE, 0, "save a rubric's points", NULL},
	{"GET", "/evaluation", page_evaluation_matrix, READERS, SCOPE_NONE, C, "对照评价: bases × rule sets, ?rules=&away=", NULL},
	{"GET", "/bases/{id:int}/evaluation", page_evaluation, ALLOW_USERS, SCOPE_RECORD_READ, C, "a base against every rule set", &kind_base},
	{"POST", "/bases/{id:int}/verdicts", page_verdict_post, ADMIN, SCOPE_NONE, 0, "a reviewer's verdict on a judged rule", NULL},
	{"GET", "/bases/{id:int}/figures", page_figures, ALLOW_USERS, SCOPE_RECORD_READ, C, "a base's annual figures", &kind_base},
	{"POST", "/bases/{id:int}/figures", page_figures_post, BASE_EDITORS, SCOPE_RECORD, 0, "save a year's figures", &kind_base},
	{"GET", "/bases/{id:int}/recognitions", page_base_recognitions, ALLOW_USERS, SCOPE_RECORD_READ, C, "a base's recognitions and applications", &kind_base},
	{"POST", "/bases/{id:int}/recognitions", page_apply_post, BASE_EDITORS, SCOPE_RECORD, 0, "apply for a level", &kind_base},
	{"GET", "/recognitions", page_recognitions, READERS, SCOPE_NONE, C, "认定申请: endorse, file, return", NULL},
	{"POST", "/recognitions/{id:int}/endorse", page_recognition_endorse, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_RECOGNITION, 0, "the area recommends an application", NULL},
	{"POST", "/recognitions/{id:int}/file", page_recognition_file, ADMIN, SCOPE_NONE, 0, "the office files it (备案) with a date", NULL},
	{"POST", "/recognitions/{id:int}/return", page_recognition_return, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_RECOGNITION, 0, "return an application with a reason", NULL},
	{"GET", "/review", page_review, ADMIN, SCOPE_NONE, 0, "审核: what waits for the office (?show=records|changes&kind=&area=&page=)", NULL},
	{"POST", "/review/changes/{id:int}", page_change_review, ADMIN, SCOPE_NONE, 0, "approve or return a proposed change", NULL},
	/* the competition (六比竞赛) and the assessment (考核) */
	{"GET", "/competition", page_competition, ALLOW_USERS, SCOPE_NONE, C, "六比竞赛: ranking ?period=&as_of=&group=&view=", NULL},
	{"GET", "/competition.xlsx", page_competition_xlsx, ALLOW_USERS, SCOPE_NONE, 0, "六比竞赛 ranking as .xlsx (a sheet per group) ?period=&as_of=", NULL},
	{"GET", "/assessment", page_assessment, ADMIN, SCOPE_NONE, C, "考核: the areas' yearly scores ?year=&as_of=", NULL},
	{"GET", "/assessment.xlsx", page_assessment_xlsx, ADMIN, SCOPE_NONE, 0, "考核 table for the 考绩办 (.xlsx) ?year=&as_of=", NULL},
	/* bulletins (通报) */
	{"GET", "/bulletins", page_bulletins, ALLOW_USERS, SCOPE_NONE, C, "通报: the archive; the office makes a draft here", NULL},
	{"POST", "/bulletins", page_bulletin_make, ADMIN, SCOPE_NONE, 0, "make a draft: period, as_of, number", NULL},
	{"GET", "/bulletins/{id:int}", page_bulletin, ALLOW_USERS, SCOPE_NONE, C, "one bulletin, printable; the office's actions on a draft", NULL},
	{"GET", "/bulletins/{id:int}/edit", page_bulletin_edit, ADMIN, SCOPE_NONE, 0, "edit a draft's own paragraphs (form)", NULL},
	{"POST", "/bulletins/{id:int}/edit", page_bulletin_edit_post, ADMIN, SCOPE_NONE, 0, "save a draft's own paragraphs (office-N)", NULL},
	{"POST", "/bulletins/{id:int}/publish", page_bulletin_publish, ADMIN, SCOPE_NONE, 0, "publish a draft: frozen from now on", NULL},
	{"POST", "/bulletins/{id:int}/refresh", page_bulletin_refresh, ADMIN, SCOPE_NONE, 0, "make a draft's figures again from today's data", NULL},
	{"POST", "/bulletins/{id:int}/delete", page_bulletin_delete, ADMIN, SCOPE_NONE, 0, "delete a draft", NULL},
	{"POST", "/bulletins/{id:int}/correct", page_bulletin_correct, ADMIN, SCOPE_NONE, 0, "a correction of a published one: note, as_of", NULL},
	{"GET", "/bulletins/{id:int}/file/{format:code}", page_bulletin_file, ALLOW_USERS, SCOPE_NONE, 0, "download: pdf, docx, xlsx", NULL},
	/* the policy system (政策体系): measures, applications, what the money bought, finance products */
	{"GET", "/policies", page_policies, ALLOW_USERS, SCOPE_NONE, C, "支持政策: documents, measures, conditions, amounts, caps", NULL},
	{"GET", "/policy-applications", page_policy_applications, POLICY_READERS, SCOPE_NONE, 0, "政策申请 ?status=&year= (a base its own, an area its area's)", NULL},
	{"GET", "/policy-applications/new", page_policy_apply_form, POLICY_APPLICANTS, SCOPE_NONE, 0, "apply: ?measure=&base=&year=&claim= shows the assessment", NULL},
	{"POST", "/policy-applications", page_policy_apply_post, POLICY_APPLICANTS, SCOPE_NONE, 0, "apply: measure, base, year, claim, note", NULL},
	{"GET", "/policy-applications/{id:int}", page_policy_application, POLICY_READERS, SCOPE_POLICY_APP, 0, "one application: assessment, steps, actions", NULL},
	{"POST", "/policy-applications/{id:int}/endorse", page_policy_endorse, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_POLICY_APP, 0, "the area recommends it", NULL},
	{"POST", "/policy-applications/{id:int}/approve", page_policy_approve, ADMIN, SCOPE_POLICY_APP, 0, "the office approves an amount (reason when it differs)", NULL},
	{"POST", "/policy-applications/{id:int}/pay", page_policy_pay, ADMIN, SCOPE_POLICY_APP, 0, "the office records the payment: paid_on, amount, voucher", NULL},
	{"POST", "/policy-applications/{id:int}/return", page_policy_return, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_POLICY_APP, 0, "return it with a reason", NULL},
	{"POST", "/policy-applications/{id:int}/resubmit", page_policy_resubmit, POLICY_APPLICANTS, SCOPE_POLICY_APP, 0, "resubmit a returned one (assessed again)", NULL},
	{"POST", "/policy-applications/{id:int}/attachments", page_policy_attach_post, POLICY_APPLICANTS, SCOPE_POLICY_APP, 0, "evidence from a plain form (multipart): file", NULL},
	{"GET", "/policy-results", page_policy_results, READERS, SCOPE_NONE, C, "政策成效: paid per measure, area, base against what it bought ?year=", NULL},
	{"GET", "/policy-results.xlsx", page_policy_results_xlsx, READERS, SCOPE_NONE, 0, "政策成效 as .xlsx ?year=", NULL},
	{"GET", "/finance", page_finance, READERS, SCOPE_NONE, C, "人才创业贷、人才创业险: products, per area and base", NULL},
	{"POST", "/finance/products", page_finance_product_post, ADMIN, SCOPE_NONE, 0, "add a product: kind, name, provider", NULL},
	{"POST", "/finance/grants", page_finance_grant_post, CREATORS, SCOPE_NONE, 0, "record a loan or policy granted to a firm of a base", NULL},
	/* the work system (督查督办): literal routes before {id} */
	{"GET", "/tasks", page_tasks, TASK_READERS, SCOPE_NONE, 0, "督查督办: tasks with lamps ?status=&lamp=&unit=&q= (a unit: its own, co-owned read-only)", NULL},
	{"GET", "/tasks/new", page_task_new, ADMIN, SCOPE_NONE, 0, "a new task (form)", NULL},
	{"POST", "/tasks/new", page_task_create, ADMIN, SCOPE_NONE, 0, "create a task", NULL},
	{"GET", "/tasks/{id:int}", page_task, TASK_READERS, SCOPE_TASK, 0, "one task: units, 督办单, updates, milestones, evidence", NULL},
	{"POST", "/tasks/{id:int}/updates", page_task_update_post, TASK_UNITS, SCOPE_TASK_LEAD, 0, "the lead reports progress", NULL},
	{"POST", "/tasks/{id:int}/milestones", page_task_milestone_post, ADMIN, SCOPE_NONE, 0, "add a milestone", NULL},
	{"POST", "/tasks/{id:int}/milestones/{mid:int}/reached", page_task_milestone_reached, TASK_UNITS, SCOPE_TASK_LEAD, 0, "a milestone reached", NULL},
	{"POST", "/tasks/{id:int}/set", page_task_set, ADMIN, SCOPE_NONE, 0, "close, reopen, cancel, move the due day", NULL},
	{"POST", "/tasks/{id:int}/supervisions", page_supervision_issue, ADMIN, SCOPE_NONE, 0, "issue a 督办单: unit, demand, due_on", NULL},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/sign", page_supervision_sign, ADDRESSEES, SCOPE_TASK_LEAD, 0, "签收", NULL},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/answer", page_supervision_answer, ADDRESSEES, SCOPE_TASK_LEAD, 0, "反馈: answer-{sid}, with the photo as a plain form's file (evidence) or uploaded first", NULL},
	{"POST", "/tasks/{id:int}/attachments", page_task_attach_post, TASK_UNITS, SCOPE_TASK_LEAD, 0, "evidence from a plain form (multipart): file, owner=task|supervision, sid", NULL},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/accept", page_supervision_accept, ADMIN, SCOPE_NONE, 0, "the office accepts the answer", NULL},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/press", page_supervision_press, ADMIN, SCOPE_NONE, 0, "催办: a new round with a new due day", NULL},
	{"GET", "/supervision", page_supervision, LEADERS, SCOPE_NONE, 0, "督办一览: every unit's lamps", NULL},
	{"GET", "/supervision.xlsx", page_supervision_xlsx, LEADERS, SCOPE_NONE, 0, "督办一览 as .xlsx", NULL},
	{"GET", "/agenda", page_agendas, LEADERS, SCOPE_NONE, 0, "领导小组议题: meetings; the office drafts the next", NULL},
	{"POST", "/agenda", page_agenda_post, ADMIN, SCOPE_NONE, 0, "gather a draft agenda: title, meeting_on", NULL},
	{"GET", "/agenda/{id:int}", page_agenda, LEADERS, SCOPE_NONE, 0, "one agenda: items with figures, decisions", NULL},
	{"POST", "/agenda/{id:int}/decisions", page_agenda_decide, ADMIN, SCOPE_NONE, 0, "a decision, which becomes a task", NULL},
	{"POST", "/agenda/{id:int}/held", page_agenda_held, ADMIN, SCOPE_NONE, 0, "the meeting was held", NULL},
	{"GET", "/attachments/{id:int}", page_attachment, ALLOW_USERS, SCOPE_ATTACHMENT, 0, "an evidence file (image inline, PDF as a download), read as its owner (a task, a policy application, an event) is", NULL},
	/* periodic reports (填报): literal routes before {org:code} */
	{"GET", "/reports", page_reports, REPORT_READERS, SCOPE_NONE, 0, "填报: forms, periods, what waits for me ?year=", NULL},
	{"GET", "/reports/{form:code}/{period:code}", page_report_period, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA), SCOPE_NONE, 0, "completeness, timeliness, 催报, batch approval ?area=", NULL},
	{"POST", "/reports/{form:code}/{period:code}/approve", page_report_batch, APPROVERS, SCOPE_NONE, 0, "batch approve the ticked reports (sel_ORG=1)", NULL},
	{"POST", "/reports/{form:code}/{period:code}/remind", page_report_remind, APPROVERS, SCOPE_NONE, 0, "remind every reporter not yet reported", NULL},
	{"POST", "/reports/{form:code}/{period:code}/exception", page_report_exception, ADMIN, SCOPE_NONE, 0, "let one reporter enter after closing: org, days, reason", NULL},
	{"GET", "/reports/{form:code}/{period:code}/completeness.xlsx", page_report_completeness_xlsx, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA), SCOPE_NONE, 0, "the completeness table (.xlsx)", NULL},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}", page_report, REPORT_READERS, SCOPE_REPORT, 0, "one report: entry (cards) or review", NULL},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}", page_report_post, REPORTERS, SCOPE_REPORT, 0, "save a draft or submit: action=save|submit", NULL},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}/fill.xlsx", page_report_fill_xlsx, REPORT_READERS, SCOPE_REPORT, 0, "the report as a fill-in workbook (说明, drop-downs)", NULL},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}/review", page_report_review, APPROVERS, SCOPE_REPORT, 0, "approve, accept or return (reason)", NULL},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}/unlock", page_report_unlock, REPORTERS, SCOPE_REPORT, 0, "request (reporter) or grant (office) an unlock", NULL},
	{"POST", "/review/batch", page_review_batch, ADMIN, SCOPE_NONE, 0, "approve or return the checked items, each on its own", NULL},
	/* events and the roadshow pipeline (三(七)): literal routes before {id} */
	{"GET", "/events", page_events, ALLOW_USERS, SCOPE_NONE, C, "活动与路演: events with their funnels ?kind=&year=&area=", NULL},
	{"GET", "/events/new", page_event_new, EVENT_HOLDERS, SCOPE_NONE, 0, "register an event (form)", NULL},
	{"POST", "/events/new", page_event_create, EVENT_HOLDERS, SCOPE_NONE, 0, "register an event", NULL},
	{"GET", "/events/{id:int}", page_event, ALLOW_USERS, SCOPE_NONE, C, "one event: facts, funnel, projects and their steps", NULL},
	{"GET", "/events/{id:int}/edit", page_event_edit, EVENT_HOLDERS, SCOPE_EVENT, 0, "change an event (form)", NULL},
	{"POST", "/events/{id:int}/edit", page_event_update, EVENT_HOLDERS, SCOPE_EVENT, 0, "change an event", NULL},
	{"POST", "/events/{id:int}/projects", page_event_project_add, EVENT_HOLDERS, SCOPE_EVENT, 0, "register a project for the event", NULL},
	{"POST", "/events/{id:int}/projects/{pid:int}/step", page_event_step, EVENT_HOLDERS, SCOPE_EVENT, 0, "record a step of a project", NULL},
	{"POST", "/events/{id:int}/tasks", page_event_task_add, ADMIN, SCOPE_NONE, 0, "a follow-up task of the event (a 现场会's decision): title, lead, co, due_on, detail", NULL},
	{"POST", "/events/{id:int}/photos", page_event_photos, EVENT_HOLDERS, SCOPE_EVENT, 0, "photos or scans of the event from a plain form (multipart): file", NULL},
	{"GET", "/roadshows", page_roadshows, ALLOW_USERS, SCOPE_NONE, C, "路演转化: what each roadshow brought ?kind=&year=", NULL},
	/* administration */
	{"GET", "/admin/users", page_users, ADMIN, SCOPE_NONE, 0, "用户管理: users and the add form", NULL},
	{"POST", "/admin/users", page_users_post, ADMIN, SCOPE_NONE, 0, "add a user", NULL},
	{"GET", "/admin/users/{id:int}", page_user, ADMIN, SCOPE_NONE, 0, "one user and its actions", NULL},
	{"POST", "/admin/users/{id:int}", page_user_post, ADMIN, SCOPE_NONE, 0, "reset password, end sessions, disable", NULL},
	{"GET", "/admin/sessions", page_sessions, ADMIN, SCOPE_NONE, 0, "在线会话", NULL},
	{"GET", "/admin/webhook", page_webhook, ADMIN, SCOPE_NONE, 0, "消息推送: the webhook to the messaging gateway (催报)", NULL},
	{"POST", "/admin/webhook", page_webhook_post, ADMIN, SCOPE_NONE, 0, "save url, enabled, secret, clear_secret", NULL},
	{"POST", "/admin/webhook/test", page_webhook_test, ADMIN, SCOPE_NONE, 0, "post a test message now", NULL},
	{"GET", "/admin/audit", page_audit, ADMIN, SCOPE_NONE, 0, "审计日志 with filters", NULL},
	/* API v1 */
	{"GET", "/api/v1/plan", api_plan, ALLOW_ALL, SCOPE_NONE, C, "the loaded plan", NULL},
	{"GET", "/api/v1/areas", api_areas, ALLOW_ALL, SCOPE_NONE, C, "areas (org units)", NULL},
	{"GET", "/api/v1/areas/{code:area}", api_area, READERS, SCOPE_NONE, C, "one area with its bases", NULL},
	{"GET", "/api/v1/progress", api_progress, ALLOW_ALL, SCOPE_NONE, C, "progress ?year=&area=&as_of=", NULL},
	{"GET", "/api/v1/competition", api_competition, ALLOW_USERS, SCOPE_NONE, C, "六比竞赛: figures, targets, ranks ?period=&as_of=", NULL},
	{"GET", "/api/v1/assessment", api_assessment, ADMIN, SCOPE_NONE, C, "考核: scores, points, deductions ?year=&as_of=", NULL},
	{"GET", "/api/v1/targets", api_targets, ALLOW_ALL, SCOPE_NONE, C, "targets ?scope=&year=&indicator= and the sum check", NULL},
	{"PUT", "/api/v1/targets", api_targets_put, ADMIN, SCOPE_NONE, 0, "set areas' and departments' targets", NULL},
	{"POST", "/api/v1/targets/import", api_targets_import, ADMIN, SCOPE_NONE, 0, "import the grid ?mode=check|all, body .xlsx/.csv", NULL},
	{"POST", "/api/v1/session", api_session_create, ALLOW_ALL, SCOPE_NONE, PRE | ROUTE_NO_CSRF | ROUTE_SMALL_BODY, "log in → cookie, csrf_token", NULL},
	{"GET", "/api/v1/session", api_session_get, ALLOW_USERS, SCOPE_NONE, PRE, "who is logged in", NULL},
	{"DELETE", "/api/v1/session", page_logout, ALLOW_USERS, SCOPE_NONE, PRE, "log out", NULL},
	{"PUT", "/api/v1/session/password", api_session_password, ALLOW_USERS, SCOPE_NONE, PRE, "change one's password", NULL},
	REGISTRY_API("/api/v1/bases", &kind_base),
	REGISTRY_API("/api/v1/operators", &kind_operator),
	REGISTRY_API("/api/v1/funds", &kind_fund),
	REGISTRY_API("/api/v1/investments", &kind_investment),
	REGISTRY_API("/api/v1/projects", &kind_project),
	REGISTRY_API("/api/v1/firms", &kind_firm),
	{"PUT", "/api/v1/rules/{set:code}/scores", api_rule_scores, ADMIN, SCOPE_NONE, 0, "a rubric {rule id: points|null}", NULL},
	{"GET", "/api/v1/evaluation", api_evaluation_matrix, READERS, SCOPE_NONE, C, "bases × rule sets ?rules=&away=", NULL},
	{"GET", "/api/v1/bases/{id:int}/evaluation", api_evaluation, ALLOW_USERS, SCOPE_RECORD_READ, C, "evaluation ?rules=&as_of=", &kind_base},
	{"POST", "/api/v1/bases/{id:int}/verdicts", api_verdict, ADMIN, SCOPE_NONE, 0, "a verdict {rule_set, rule_id, verdict, note}", NULL},
	{"GET", "/api/v1/bases/{id:int}/figures", api_figures, ALLOW_USERS, SCOPE_RECORD_READ, C, "annual figures", &kind_base},
	{"PUT", "/api/v1/bases/{id:int}/figures", api_figures_put, BASE_EDITORS, SCOPE_RECORD, 0, "set a year's figures", &kind_base},
	{"POST", "/api/v1/bases/{id:int}/recognitions", api_apply, BASE_EDITORS, SCOPE_RECORD, 0, "apply for a level {level}", &kind_base},
	{"GET", "/api/v1/recognitions", api_recognitions, READERS, SCOPE_NONE, C, "applications ?status=", NULL},
	{"POST", "/api/v1/recognitions/{id:int}/endorse", api_recognition_endorse, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_RECOGNITION, 0, "recommend an application", NULL},
	{"POST", "/api/v1/recognitions/{id:int}/file", api_recognition_file, ADMIN, SCOPE_NONE, 0, "file it {filed_on, document}", NULL},
	{"POST", "/api/v1/recognitions/{id:int}/return", api_recognition_return, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_RECOGNITION, 0, "return it {note}", NULL},
	{"GET", "/api/v1/review", api_review, ADMIN, SCOPE_NONE, 0, "new records and proposed changes waiting (?kind=&area=&limit=&offset=)", NULL},
	{"POST", "/api/v1/review/changes/{id:int}", api_change_review, ADMIN, SCOPE_NONE, 0, "approve or return a proposed change", NULL},
	{"GET", "/api/v1/bulletins", api_bulletins, ALLOW_USERS, SCOPE_NONE, 0, "bulletins (通报): published ones; drafts too for the office and leaders", NULL},
	{"POST", "/api/v1/bulletins", api_bulletin_make, ADMIN, SCOPE_NONE, 0, "make a draft {period, as_of?, number?, corrects_id?, correction_note?}", NULL},
	{"GET", "/api/v1/bulletins/{id:int}", api_bulletin, ALLOW_USERS, SCOPE_NONE, 0, "one bulletin with its document (content)", NULL},
	{"PATCH", "/api/v1/bulletins/{id:int}", api_bulletin_patch, ADMIN, SCOPE_NONE, 0, "a draft's own paragraphs {paragraphs: {office-N: text}}", NULL},
	{"POST", "/api/v1/bulletins/{id:int}/publish", api_bulletin_publish, ADMIN, SCOPE_NONE, 0, "publish: frozen with its hash", NULL},
	{"GET", "/api/v1/policies", api_policies, ALLOW_USERS, SCOPE_NONE, C, "policy documents with their measures", NULL},
	{"GET", "/api/v1/policy-applications", api_policy_applications, POLICY_READERS, SCOPE_NONE, 0, "applications ?status=&year= (scoped)", NULL},
	{"POST", "/api/v1/policy-applications", api_policy_apply, POLICY_APPLICANTS, SCOPE_NONE, 0, "apply {measure_id, base_id, year, claim_yuan?, note?, dry_run?}", NULL},
	{"GET", "/api/v1/policy-applications/{id:int}", api_policy_application, POLICY_READERS, SCOPE_POLICY_APP, 0, "one application with its assessment", NULL},
	{"POST", "/api/v1/policy-applications/{id:int}/endorse", api_policy_endorse, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_POLICY_APP, 0, "recommend it {}", NULL},
	{"POST", "/api/v1/policy-applications/{id:int}/approve", api_policy_approve, ADMIN, SCOPE_POLICY_APP, 0, "approve {amount_yuan, reason}", NULL},
	{"POST", "/api/v1/policy-applications/{id:int}/pay", api_policy_pay, ADMIN, SCOPE_POLICY_APP, 0, "record the payment {paid_on, amount_yuan, voucher_no}", NULL},
	{"POST", "/api/v1/policy-applications/{id:int}/return", api_policy_return, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA), SCOPE_POLICY_APP, 0, "return it {reason}", NULL},
	{"POST", "/api/v1/policy-applications/{id:int}/resubmit", api_policy_resubmit, POLICY_APPLICANTS, SCOPE_POLICY_APP, 0, "resubmit a returned one {}", NULL},
	{"POST", "/api/v1/policy-applications/{id:int}/attachments", api_policy_attach, POLICY_APPLICANTS, SCOPE_POLICY_APP, 0, "evidence: the file as the body ?name= (PDF or image, while applied or returned)", NULL},
	{"GET", "/api/v1/policy-results", api_policy_results, READERS, SCOPE_NONE, C, "what the money bought ?year=", NULL},
	{"GET", "/api/v1/finance", api_finance, READERS, SCOPE_NONE, C, "finance products and grants", NULL},
	{"GET", "/api/v1/reports", api_report_forms, ALLOW_USERS, SCOPE_NONE, C, "report forms: fields, periods, approval levels", NULL},
	{"GET", "/api/v1/reports/{form:code}/{period:code}", api_report_period, ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA), SCOPE_NONE, 0, "completeness and timeliness ?area=", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/remind", api_report_remind, APPROVERS, SCOPE_NONE, 0, "催报 {orgs?}", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/approve", api_report_batch, APPROVERS, SCOPE_NONE, 0, "batch approve {orgs}", NULL},
	{"GET", "/api/v1/reports/{form:code}/{period:code}/{org:code}", api_report_get, REPORT_READERS, SCOPE_REPORT, 0, "one report: values, last period's, checks, window", NULL},
	{"PUT", "/api/v1/reports/{form:code}/{period:code}/{org:code}", api_report_put, REPORTERS, SCOPE_REPORT, 0, "save a draft {values, notes}", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/submit", api_report_submit, REPORTERS, SCOPE_REPORT, 0, "submit {values?, notes?}", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/upload", api_report_upload, REPORTERS, SCOPE_REPORT, 0, "the filled workbook as the body ?submit=0|1", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/approve", api_report_approve, APPROVERS, SCOPE_REPORT, 0, "approve at the next level", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/accept", api_report_accept, ADMIN, SCOPE_NONE, 0, "the office accepts: it counts", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/return", api_report_return, APPROVERS, SCOPE_REPORT, 0, "return {reason}", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/unlock-request", api_report_unlock_request, ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT), SCOPE_REPORT, 0, "ask to change an approved report {reason}", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/unlock", api_report_unlock, ADMIN, SCOPE_NONE, 0, "unlock an approved report {reason}", NULL},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/exception", api_report_exception, ADMIN, SCOPE_NONE, 0, "entry after closing {days, reason}", NULL},
	{"GET", "/api/v1/events", api_events, ALLOW_USERS, SCOPE_NONE, C, "events with funnels ?kind=&year=&area=&limit=&offset=", NULL},
	{"POST", "/api/v1/events", api_event_create, EVENT_HOLDERS, SCOPE_NONE, 0, "create an event", NULL},
	{"GET", "/api/v1/events/{id:int}", api_event_get, ALLOW_USERS, SCOPE_NONE, C, "one event with its funnel and pipeline", NULL},
	{"PATCH", "/api/v1/events/{id:int}", api_event_patch, EVENT_HOLDERS, SCOPE_EVENT, 0, "change an event's given fields", NULL},
	{"POST", "/api/v1/events/{id:int}/projects", api_event_project_add, EVENT_HOLDERS, SCOPE_EVENT, 0, "register a project {name, registered_on, presented_on?}", NULL},
	{"POST", "/api/v1/events/{id:int}/projects/{pid:int}/steps", api_event_step, EVENT_HOLDERS, SCOPE_EVENT, 0, "a step {step, on, investor?, investment_id?, project_id?, reason?}", NULL},
	{"POST", "/api/v1/events/{id:int}/tasks", api_event_task_add, ADMIN, SCOPE_NONE, 0, "a follow-up task {title, lead, co?, due_on?, detail?}", NULL},
	{"POST", "/api/v1/events/{id:int}/attachments", api_event_attach, EVENT_HOLDERS, SCOPE_EVENT, 0, "a photo or scan of the event: the file as the body ?name=", NULL},
	{"GET", "/api/v1/tasks", api_tasks, TASK_READERS, SCOPE_NONE, 0, "tasks with lamps ?status=&lamp=&unit=&q=", NULL},
	{"POST", "/api/v1/tasks", api_task_create, ADMIN, SCOPE_NONE, 0, "create {title, lead, co, due_on, indicator, source, source_ref}", NULL},
	{"GET", "/api/v1/tasks/{id:int}", api_task, TASK_READERS, SCOPE_TASK, 0, "one task with 督办单, updates, milestones, files", NULL},
	{"POST", "/api/v1/tasks/{id:int}/updates", api_task_update, TASK_UNITS, SCOPE_TASK_LEAD, 0, "progress {text, percent}", NULL},
	{"POST", "/api/v1/tasks/{id:int}/attachments", api_task_attach, TASK_UNITS, SCOPE_TASK_LEAD, 0, "evidence: the file as the body ?owner=task|supervision&sid=&name=", NULL},
	{"POST", "/api/v1/tasks/{id:int}/supervisions", api_supervision_issue, ADMIN, SCOPE_NONE, 0, "issue a 督办单 {unit, demand, due_on}", NULL},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/sign", api_supervision_sign, ADDRESSEES, SCOPE_TASK_LEAD, 0, "签收", NULL},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/answer", api_supervision_answer, ADDRESSEES, SCOPE_TASK_LEAD, 0, "反馈 {answer}", NULL},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/accept", api_supervision_accept, ADMIN, SCOPE_NONE, 0, "accept {note}", NULL},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/press", api_supervision_press, ADMIN, SCOPE_NONE, 0, "催办 {note, due_on}", NULL},
	{"GET", "/api/v1/supervision", api_supervision, LEADERS, SCOPE_NONE, 0, "the supervision table by unit", NULL},
	{"GET", "/api/v1/agendas", api_agendas, LEADERS, SCOPE_NONE, 0, "the leadership group's agendas", NULL},
	{"POST", "/api/v1/agendas", api_agenda_create, ADMIN, SCOPE_NONE, 0, "gather a draft agenda {title, meeting_on}", NULL},
	{"GET", "/api/v1/agendas/{id:int}", api_agenda, LEADERS, SCOPE_NONE, 0, "an agenda: items with figures, decisions", NULL},
	{"POST", "/api/v1/agendas/{id:int}/decisions", api_agenda_decide, ADMIN, SCOPE_NONE, 0, "a decision {text, lead, due_on, item}: becomes a task", NULL},
	{"GET", "/api/v1/users", api_users, ADMIN, SCOPE_NONE, 0, "users", NULL},
	{"POST", "/api/v1/users", api_users_create, ADMIN, SCOPE_NONE, 0, "add a user → initial_password", NULL},
	{"PATCH", "/api/v1/users/{id:int}", api_user_patch, ADMIN, SCOPE_NONE, 0, "disable/enable, reset password", NULL},
	{"DELETE", "/api/v1/users/{id:int}/sessions", api_user_sessions_delete, ADMIN, SCOPE_NONE, 0, "end a user's sessions", NULL},
	{"GET", "/api/v1/audit", api_audit, ADMIN, SCOPE_NONE, 0, "the audit trail, filtered", NULL},
};
const int route_count = (int)(sizeof routes / sizeof routes[0]);
