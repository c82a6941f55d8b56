/*
 * page_tasks.h — what the work system's pages share (page_tasks.c,
 * page_supervision.c, page_agenda.c); not for other pages.
 */
#ifndef HATCHERY_PAGE_TASKS_H
#define HATCHERY_PAGE_TASKS_H

#include "attachments.h"
#include "page.h"
#include "tasks.h"

/* Today in Beijing as YYYY-MM-DD, in the request's arena. */
const char *tasks_page_today(Req *r);
/* The line saying what was just done (?done=CODE; no text from the address is shown). */
void tasks_page_flash(Req *r);
/* After a task page's form post: the refusal, or back to the task
 * (/tasks/{id}?done=DONE#ANCHOR; anchor may be NULL). */
void tasks_page_after(Req *r, DomResult res, const char *done, const char *anchor);
/* The file of a plain form's field key as evidence: 1, or 0 when none was chosen. */
int tasks_page_form_evidence(Req *r, const char *key, EvidenceFile *f);
/* The anchor of a 督办单's card on the task's page: "sup-{sid}". */
const char *tasks_page_sup_anchor(Req *r, long long sid);

#endif
