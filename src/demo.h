/*
 * demo.h — the clearly labelled fictional sample (示例数据) that
 * `hatchery init --demo` adds: bases, operators, funds, investments,
 * projects and reported talents across 2022-2024.
 */
#ifndef HATCHERY_DEMO_H
#define HATCHERY_DEMO_H

#include "plan.h"
#include "store.h"

/* Adds the sample; the caller holds the transaction. Needs the plan's areas
 * to include the Ruian codes (skips records of areas the plan lacks).
 * H_OK or H_ERR with err set. */
int demo_load(Store *s, const Plan *p, char *err, size_t errsz);
/* The sample's periodic reports (demo_reports.c), called by demo_load. */
int demo_reports_load(Store *s, const Plan *p, char *err, size_t errsz);
/* The sample's events and roadshows with their outcomes (demo_events.c),
 * called by demo_load after the registry's records it links. */
int demo_events_load(Store *s, const Plan *p, char *err, size_t errsz);
/* The sample's bulletins (demo_bulletins.c): November 2024 published, December a draft. */
int demo_bulletins_load(Store *s, const Plan *p, char *err, size_t errsz);
/* The sample's policy system (demo_policy.c): the example policy file, a
 * year of applications and payments, talent loans and insurance. */
int demo_policy_load(Store *s, const Plan *p, char *err, size_t errsz);
/* The sample's tasks and 督办单 (demo_tasks.c), called by demo_load after the
 * plan's tasks are seeded. */
int demo_tasks_load(Store *s, const Plan *p, char *err, size_t errsz);

#endif
