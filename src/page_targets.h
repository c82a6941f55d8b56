/*
 * page_targets.h — what page_targets.c shares with the spreadsheet import of
 * targets (page_targets_xlsx.c): reading a typed target value and writing
 * one target change with its audit row.
 */
#ifndef HATCHERY_PAGE_TARGETS_H
#define HATCHERY_PAGE_TARGETS_H

#include "http.h"

/* Parses a target value: "" (no target) or a number ≥ 0 (commas and a 万
 * suffix accepted, as people type them). Returns NULL when fine (*has 0 for
 * empty), else the Chinese reason. */
const char *parse_value(const char *s, double *v, int *has);

/* Applies one checked target change with one audit row; the caller holds
 * the transaction. before: the stored target (NULL: none); has 0 removes
 * the target. Nothing is written when nothing changes. H_OK or H_ERR. */
int apply_target(Req *r, const Target *before, const char *ind, const char *scope, int year, double value, int has);

#endif
