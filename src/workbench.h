/*
 * workbench.h — 工作台, every role's home (page_workbench.c): a list of
 * providers, each adding its own section (returned records, items to
 * approve, applications to endorse, the area's figures, what is behind).
 * A coming feature (reports due, tasks to sign for) adds one row to the
 * table in page_workbench.c and its two functions in its own file, without
 * touching the other providers. A provider's count also becomes the badge
 * of a navigation item (its nav_key).
 */
#ifndef HATCHERY_WORKBENCH_H
#define HATCHERY_WORKBENCH_H

#include "http.h"

typedef struct WorkbenchProvider {
	const char *key;     /* stable name, also the section's id ("work-<key>") */
	unsigned roles;      /* ALLOW(...) bits: who sees the section */
	const char *nav_key; /* the navigation item whose badge adds this count (NULL: none) */
	/* How many items wait for r's user (NULL: the section counts nothing);
	 * -1 when it could not be read. */
	long long (*count)(Req *r);
	/* Writes the section, a <section class="work" id="work-<key>">. */
	void (*write)(Req *r);
	/* The roles for which the count and the section are functions of the
	 * database, the user (role, scope, name) and the day only (no time of
	 * day, no address, no session token): page_workbench.c keeps them per
	 * connection under the data stamp, the day and the user. */
	unsigned kept;
} WorkbenchProvider;

/* The sum of the counts of r's role's providers that badge nav_key; 0 for
 * visitors and on errors. */
long long workbench_nav_count(Req *r, const char *nav_key);

/* Providers of other files: periodic reports (page_reports.c). */
long long reports_work_count(Req *r);
void reports_work_write(Req *r);
/* The competition (page_competition.c): an area's rank. */
void competition_work_write(Req *r);
/* Providers of other files: policy applications (page_policy.c). */
long long policy_work_count(Req *r);
void policy_work_write(Req *r);
/* The work system (page_tasks.c): 督办单 to sign and answer, my tasks by lamp;
 * for the office, answers to review. */
long long tasks_work_count(Req *r);
void tasks_work_write(Req *r);

/* Events (page_events.c): a department's or an area's upcoming events it
 * organises or attends; for the office, events whose follow-up tasks are open. */
void events_work_write(Req *r);

/* Bulletins (page_bulletins.c): the published ones, for every user. */
void bulletins_work_write(Req *r);

/* WEBPAGE: /workbench */
void page_workbench(Req *r);

#endif
