/*
 * transfer_internal.h — what transfer.c (imports, templates) and
 * transfer_export.c (exports) share: the columns of a kind's sheet and its
 * 说明 sheet. Not for other files: domain.h is the transfer's interface.
 */
#ifndef HATCHERY_TRANSFER_INTERNAL_H
#define HATCHERY_TRANSFER_INTERNAL_H

#include "domain.h"
#include "xlsx_write.h"

/* The columns of kind k's sheet (in who->arena): its fields in order, with
 * 审核状态 only when with_status, typed, with drop-downs (own_area: only
 * that area in the area column, for an area reporter's template) and a
 * note per column. choices[REG_MAX_FIELDS] receives each field's allowed
 * values as labels (NULL-terminated; NULL for free fields), indexed by
 * field. */
XlsxColumn *transfer_sheet_columns(const Actor *who, const Kind *k, int with_status, const char *own_area, int *ncols,
                                   const char *const **choices);
/* The 说明 sheet's lines (NULL-terminated, in who->arena): first, how to
 * fill the sheet, then each column's rule (choices as from
 * transfer_sheet_columns). */
const char *const *transfer_instructions(const Actor *who, const Kind *k, int with_status,
                                         const char *const *const *choices, const char *first);

#endif
