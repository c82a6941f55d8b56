/*
 * store_totals.h — exact running totals per day behind the progress
 * measures (store_progress.c), kept per connection while the database is
 * unchanged. See store_totals.c.
 */
#ifndef HATCHERY_STORE_TOTALS_H
#define HATCHERY_STORE_TOTALS_H

#include "store.h"

/*
 * The measure over [from, to] from running totals, when it can answer:
 * days_sql is a static statement text returning (day, value) rows (a day
 * may come more than once: its values add up), for ?1 area (NULL: the
 * whole plan), ?2 first day, ?3 last day, ?4 level (when the text has it). Returns 1 with *out set; 0 when the
 * caller must run its own SQL (a transaction is open, the window is not
 * inside [from, the plan's last day], the totals are turned off by
 * HATCHERY_MEASURE_CACHE=0, or a day is not an ISO date).
 */
int store_totals_lookup(Store *s, const char *days_sql, const char *level, const char *area, const char *from,
                        const char *to, double *out);

#endif
