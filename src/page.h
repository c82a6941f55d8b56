/*
 * page.h — the shared layout of every HTML page and small helpers for
 * writing pages. Every dynamic value goes through html_printf's %h / %u.
 */
#ifndef HATCHERY_PAGE_H
#define HATCHERY_PAGE_H

#include "domain.h"
#include "fmt.h"
#include "html.h"
#include "http.h"

/* Writes <!doctype>, <head>, the header with navigation (active: the nav
 * item's key, e.g. "home"), the demo banner, and opens <main>. */
void page_begin(Req *r, const char *title, const char *active);
/* Closes <main>, writes the footer and the script tag (our own file: CSP allows no inline script). */
void page_end(Req *r);
/* A whole error page with status and a Chinese message saying what to do. */
void page_error(Req *r, int status, const char *code, const char *message);

/* The request's user as the domain workflows see it (domain.h). */
Actor req_actor(Req *r);
/* The HTTP status of a domain result's code (200, 202, 400, 403, ...). */
int dom_http_status(DomCode code);
/* Answers a domain result that is not done as an error page or the API's error object. */
void page_refuse(Req *r, DomResult res);
/* After a form's post: the refusal (page_refuse), or a redirect to url (303). */
void page_done(Req *r, DomResult res, const char *url);
/* What a store read of one record answered: 1 (found) returns 1; 0 answers
 * 404 with missing (what is missing and what to do, in Chinese) and -1 a
 * 500; both return 0. */
int page_found(Req *r, int found, const char *missing);
/* The API's answer to a record created: 201 {"id", "message"}. */
void api_created(Req *r, DomResult res, long long id);
/* Evidence uploads over the API (page_attachments.c): the body's size
 * checked (413 when over the limit; returns 0), then the domain's answer
 * given as 201 with the stored file, or its refusal. */
int api_attachment_size_ok(Req *r);
void api_attachment_answer(Req *r, DomResult res, long long fid);
/* The files of an owner (kind, id) as the API lists them (a JSON array). */
json_t *api_attachments_json(Req *r, const char *kind, long long id);

/* Form pieces: a labelled input that keeps what was typed and shows its
 * error next to it (error NULL: none); the hidden CSRF field of the session. */
void form_input(Req *r, const char *name, const char *label, const char *type, const char *value,
                const char *error, const char *extra_attrs);
void form_csrf(Req *r);
/* A workbook as the answer, a download named ascii_name (and zh_name for
 * browsers that read RFC 5987 names); a 500 when it cannot be written. */
struct XlsxBook;
void page_send_xlsx(Req *r, const struct XlsxBook *book, const char *ascii_name, const char *zh_name);
/* Content-Disposition: attachment with an ASCII name and the UTF-8 one (RFC 6266, 5987). */
void http_attachment(Req *r, const char *ascii, const char *utf8);
/* 303 to location. */
void http_redirect(Req *r, const char *location);



/* Shared by the overview, the area pages and the progress API (page_home.c). */
struct Progress;
/* Reads ?year= and ?as_of= (defaults: the plan year of today, today);
 * answers 400 itself and returns 0 when one is bad. */
int read_year_as_of(Req *r, int *year, const char **as_of);
/* scope_area: the area of the figures (NULL: the city), for their links. */
void write_progress_table(Req *r, const struct Progress *g, int n, int show_targets, const char *scope_area);
void write_year_tabs(Req *r, const char *base_url, int year);

/* Handlers of page_layout.c. */
/* The work system's unit pickers (page_tasks.c), for every form that
 * makes a task: a <select> of departments and areas (with_all: and
 * 各镇街、功能区; blank: a "请选择" first), checkboxes for co-responsible
 * units, and the checked codes of a posted form (a value "a，b" split too). */
void tasks_unit_select(Req *r, const char *name, const char *label, const char *selected, int with_all, int blank);
void tasks_unit_checks(Req *r, const char *name, const char *label);
int tasks_form_units(Req *r, const char *name, const char ***out);

void page_static(Req *r);
void page_healthz(Req *r);

#endif
