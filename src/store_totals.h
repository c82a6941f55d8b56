/*
 * store_totals.h — the progress measures read from the totals kept as the
 * records change (measure_total, schema step 6), with a per-connection
 * memory of them while the database is unchanged. See store_totals.c.
 */
#ifndef HATCHERY_STORE_TOTALS_H
#define HATCHERY_STORE_TOTALS_H

#include "store.h"

/*
 * The series (measure_total.measure) with level ('' when the series has
 * none) for area (NULL: the whole plan) over [from, to], both ISO dates.
 * Returns 1 with *out set (what store_progress.c's statements would count,
 * with each amount rounded to hundredths); 0 when the caller must run its
 * own SQL (the totals are turned off by HATCHERY_MEASURE_CACHE=0, or a date
 * is not YYYY-MM-DD); -1 on a store error (store_errmsg).
 */
int store_totals_lookup(Store *s, const char *series, const char *level, const char *area, const char *from,
                        const char *to, double *out);

/* The same window for every area (area.code) at once: *codes and *values
 * (in a) and their count; 0: the caller asks per area (as
 * store_totals_lookup's 0); -1 on a store error. */
int store_totals_every_area(Store *s, Arena *a, const char *series, const char *level, const char *from,
                            const char *to, const char ***codes, double **values);

/* How many series this connection has read from measure_total so far (a
 * series is read once and kept until a commit may have changed it; tests
 * count the reads). */
long long store_totals_loads(Store *s);

/* Turns the totals on or off for the whole process (tests compare both). */
void store_totals_set_enabled(int on);

#endif
