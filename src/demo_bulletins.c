/*
 * demo_bulletins.c — the sample's bulletins (示例数据): November 2024's
 * published, its last paragraph written by the office, and December's as a
 * draft, made through bulletins.c inside init's transaction.
 */
#include <string.h>

#include "bulletins.h"
#include "demo.h"

int demo_bulletins_load(Store *s, const Plan *p, char *err, size_t errsz)
{
	if (store_version(s) < 8)
		return H_OK; /* a database from before bulletins: the tests of its upgrade */
	Arena a = {0};
	Actor who = {.name = "admin", .role = ROLE_ADMIN, .addr = "demo", .plan = p, .arena = &a};
	BulletinInput nov = {"2024-11", "2024-11-30", "瑞孵办〔2024〕11号", 0, NULL};
	BulletinInput dec = {"2024-12", "2024-12-31", "瑞孵办〔2024〕12号", 0, NULL};
	long long id = 0, id2 = 0;
	const char *key = BULLETIN_EDITABLE "3";
	const char *text = "（三）加强协同推进。各地要在12月20日前完成年度目标任务自查，"
	                   "对尚未完成的指标逐项列出清单，明确完成时限，报市专班办公室汇总。";
	DomResult res = bulletin_make_in_tx(s, &who, &nov, &id);
	if (res.code == DOM_OK)
		res = bulletin_edit_in_tx(s, &who, id, &key, &text, 1);
	if (res.code == DOM_OK)
		res = bulletin_publish_in_tx(s, &who, id);
	if (res.code == DOM_OK)
		res = bulletin_make_in_tx(s, &who, &dec, &id2);
	int rc = H_OK;
	if (res.code != DOM_OK) {
		snprintf(err, errsz, "demo bulletins: %s (%s)", res.message ? res.message : "failed", store_errmsg(s));
		rc = H_ERR;
	}
	arena_free(&a);
	return rc;
}
