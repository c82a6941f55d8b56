/*
 * cli_gen.c — `hatchery gen`: a deterministic synthetic data set for the
 * benchmarks (docs/BENCHMARKS.md), at three scales:
 *
 *   city      the embedded Ruian plan (25 areas) with about the demo's
 *             number of bases, and 3,000 firms;
 *   province  a generated plan: a province → 4 prefectures → 35 counties,
 *             2,000 bases, 100,000 firms, 6,000 funds, 20,000 investments,
 *             10,000 projects (one tenth of national);
 *   national  a generated plan: the country → 31 provinces → 350 cities and
 *             counties, 20,000 bases, 1,000,000 firms, 60,000 funds,
 *             200,000 investments, 100,000 projects.
 *
 * The generated plans are hatchery-plan/1 documents built in memory from
 * the Ruian plan (its indicators, code lists, rule sets and work items are
 * reused; the area hierarchy, years and targets are new) and saved through
 * the same path as `init` (plan_parse + store_plan_save). Records are dated
 * across the five years that end with the plan's last year; every area
 * gets a target for every plan indicator and year, set around what its
 * records add up to so that the statuses vary. Everything is fictional
 * (模拟数据) and marked as demo data; the same --seed gives the same rows.
 *
 * All rows go in inside one transaction through prepared statements
 * (store_gen.c).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "plan.h"
#include "store.h"
#include "store_gen.h"
#include "users.h"

typedef struct Scale {
	const char *name;
	int bases, operators, funds, investments, projects;
	long firms;
} Scale;

static const Scale scales[] = {
	{"city", 60, 15, 180, 600, 300, 3000},
	{"province", 2000, 500, 6000, 20000, 10000, 100000},
	{"national", 20000, 5000, 60000, 200000, 100000, 1000000},
};

/* ---- randomness: splitmix64, the same on every machine ---- */

static unsigned long long rng_state;
static unsigned long long rng_next(void)
{
	unsigned long long z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static int rng_int(int lo, int hi) /* inclusive */
{
	return hi <= lo ? lo : lo + (int)(rng_next() % (unsigned long long)(hi - lo + 1));
}
static double rng_unit(void) /* [0, 1) */
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}
static int rng_pct(int p) /* true p% of the time */
{
	return rng_int(0, 99) < p;
}

/* ---- the area hierarchy ---- */

typedef struct GArea {
	const char *code, *name;
	int parent;      /* index, -1 for the root */
	int leaf;        /* bases sit in leaves only */
	int region;      /* two digits of the USCC's region code */
	double weight;   /* a leaf's share of the records */
	int first_base, nbases; /* its bases: base_of_leaf[first_base ..] */
	int first_op, nops;
} GArea;

typedef struct GBase {
	int area, kind, op;           /* op: index into ops, -1 none */
	long opened, grow_on, shrink_on, demo_on, prov_on, nat_on; /* day numbers, 0 none */
	double total, grow, shrink;
	int pending;
} GBase;

typedef struct GFund {
	int area, base;               /* base -1: none */
	long on;
	int pending;
} GFund;

typedef struct GOp {
	int area;
	long on;
	int pending;
} GOp;

/* The tallies behind the generated targets: per area, per plan year,
 * cumulative at the year's end, for each plan measure. */
enum { T_DEMO, T_AREA, T_OPS, T_FUNDS, T_PROV, T_NAT, T_N };

typedef struct Gen {
	const Scale *sc;
	Arena a;
	GArea *areas;
	int nareas;
	GBase *bases;
	int *base_of_leaf;
	GOp *ops;
	int *op_of_leaf;
	GFund *funds;
	int nyears, year0;
	long win_from, win_to, plan_start;
	double *tally;               /* [area][year][T_N] */
	double *leaf_cum;            /* cumulative leaf weights, for picking */
	int *leaves;
	int nleaves;
} Gen;

static const char *const province_names[31] = {
	"北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
	"上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
	"湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省",
	"云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
};
static const char *const province_short[31] = {
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
	"鄂", "湘", "粤", "桂", "琼", "渝", "川", "黔", "滇", "藏", "陕", "甘", "青", "宁", "新",
};
static const char *const base_kinds[] = {"maker_space", "incubator", "accelerator", "science_park", "big_incubator"};
static const char *const base_kind_zh[] = {"众创空间", "孵化器", "加速器", "科创园", "大孵化器"};
static const int base_kind_pct[] = {40, 35, 10, 10, 5};
static const double base_kind_min[] = {1500, 5000, 20000, 30000, 50000};
static const double base_kind_max[] = {8000, 30000, 60000, 120000, 150000};
static const char *const fields[] = {"智能装备", "汽车零部件", "新能源", "生物医药", "新材料",
                                     "数字经济", "电子商务", "现代农业", "激光与光电", "文化创意"};
static const char *const words[] = {"智芯", "云图", "瑞科", "光启", "海蓝", "新源", "康泰", "恒锐", "启明", "鼎盛",
                                    "博创", "睿达", "星河", "华瓯", "飞鸿", "安泰", "众联", "远航", "青禾", "微澜"};
static const char *const tails[] = {"科技有限公司", "智能科技有限公司", "生物科技有限公司", "新材料有限公司",
                                    "信息技术有限公司"};
static const char *const fund_kinds[] = {"gov_innovation", "public_welfare", "private_equity", "platform", "angel",
                                         "seed", "industry_guidance", "mna", "industry_investment", "fund_of_funds"};
static const char *const stages[] = {"seed", "angel", "vc", "pe", "other"};
static const char *const sources[] = {"introduced", "contest", "roadshow"};

#define NELEM(x) ((int)(sizeof(x) / sizeof((x)[0])))

static void day_str(long d, char out[11])
{
	date_from_days(d, out);
}

static long rand_day(long from, long to)
{
	if (to <= from)
		return from;
	return from + (long)(rng_next() % (unsigned long long)(to - from + 1));
}

/* The plan year index (0..nyears-1) a day counts toward at each year's
 * end: the first year whose end is on or after the day; nyears when after
 * the last, -1 when before the plan's start. */
static int year_of(const Gen *g, long day)
{
	if (day < g->plan_start)
		return -1;
	char s[11];
	day_str(day, s);
	int y = digits_value(s, 4) - g->year0;
	return y < 0 ? 0 : y;
}

static void tally_add(Gen *g, int area, long day, int what, double v)
{
	int y = year_of(g, day);
	if (y < 0 || y >= g->nyears)
		return;
	/* cumulative: counts at this year's end and every later one, for the
	 * area and each area above it */
	for (int a = area; a >= 0; a = g->areas[a].parent)
		for (int k = y; k < g->nyears; k++)
			g->tally[((size_t)a * (size_t)g->nyears + (size_t)k) * T_N + what] += v;
}

static int pick_leaf(Gen *g)
{
	double u = rng_unit() * g->leaf_cum[g->nleaves - 1];
	int lo = 0, hi = g->nleaves - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (g->leaf_cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return g->leaves[lo];
}

/* ---- building the areas ---- */

static int add_area(Gen *g, int *cap, const char *code, const char *name, int parent, int leaf, int region)
{
	if (g->nareas == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		g->areas = realloc(g->areas, sizeof *g->areas * (size_t)*cap);
		if (!g->areas)
			fatal("out of memory");
	}
	GArea *a = &g->areas[g->nareas];
	memset(a, 0, sizeof *a);
	a->code = arena_strdup(&g->a, code);
	a->name = arena_strdup(&g->a, name);
	a->parent = parent;
	a->leaf = leaf;
	a->region = region;
	a->weight = leaf ? 0.3 + 3.0 * rng_unit() * rng_unit() : 0;
	return g->nareas++;
}

static void build_areas(Gen *g, const Plan *ruian)
{
	int cap = 0;
	if (strcmp(g->sc->name, "city") == 0) {
		add_area(g, &cap, ruian->city.code, ruian->city.name, -1, 0, 33);
		for (int i = 0; i < ruian->nareas; i++)
			add_area(g, &cap, ruian->areas[i].code, ruian->areas[i].name, 0, 1, 33);
	} else if (strcmp(g->sc->name, "province") == 0) {
		add_area(g, &cap, "sim-province", "模拟省", -1, 0, 33);
		static const int counties[4] = {9, 9, 9, 8};
		for (int p = 0; p < 4; p++) {
			char code[40], name[80];
			snprintf(code, sizeof code, "pref-%02d", p + 1);
			snprintf(name, sizeof name, "模拟省第%d地级市", p + 1);
			int pi = add_area(g, &cap, code, name, 0, 0, 33);
			for (int c = 0; c < counties[p]; c++) {
				snprintf(code, sizeof code, "pref-%02d-county-%02d", p + 1, c + 1);
				snprintf(name, sizeof name, "第%d地级市%02d号县（市、区）", p + 1, c + 1);
				add_area(g, &cap, code, name, pi, 1, 33);
			}
		}
	} else {
		add_area(g, &cap, "cn", "全国", -1, 0, 11);
		for (int p = 0; p < 31; p++) {
			char code[40], name[80];
			snprintf(code, sizeof code, "prov-%02d", p + 1);
			int pi = add_area(g, &cap, code, province_names[p], 0, 0, 11 + p);
			int ncities = 11 + (p < 9); /* 9 × 12 + 22 × 11 = 350 */
			for (int c = 0; c < ncities; c++) {
				snprintf(code, sizeof code, "prov-%02d-city-%02d", p + 1, c + 1);
				snprintf(name, sizeof name, "%s%02d号市县", province_short[p], c + 1);
				add_area(g, &cap, code, name, pi, 1, 11 + p);
			}
		}
	}
	g->leaves = arena_alloc(&g->a, sizeof *g->leaves * (size_t)g->nareas);
	g->leaf_cum = arena_alloc(&g->a, sizeof *g->leaf_cum * (size_t)g->nareas);
	double cum = 0;
	for (int i = 0; i < g->nareas; i++)
		if (g->areas[i].leaf) {
			cum += g->areas[i].weight;
			g->leaves[g->nleaves] = i;
			g->leaf_cum[g->nleaves++] = cum;
		}
}

/* ---- the plan of a generated scale ---- */

static json_t *plan_json(Gen *g, const char *ruian_text, size_t ruian_len, const char *ind_codes[T_N])
{
	json_error_t jerr;
	json_t *root = json_loadb(ruian_text, ruian_len, 0, &jerr);
	if (!root)
		return NULL;
	int national = strcmp(g->sc->name, "national") == 0;
	char buf[200];
	snprintf(buf, sizeof buf, "synthetic-%s-%d-%d", g->sc->name, g->year0, g->year0 + g->nyears - 1);
	json_object_set_new(root, "code", json_string(buf));
	snprintf(buf, sizeof buf, "%s大孵化集群发展五年行动计划（%d-%d年）（模拟数据）", g->areas[0].name, g->year0,
	         g->year0 + g->nyears - 1);
	json_object_set_new(root, "name", json_string(buf));
	snprintf(buf, sizeof buf, "Synthetic %s-scale plan %d-%d (benchmark data)", g->sc->name, g->year0,
	         g->year0 + g->nyears - 1);
	json_object_set_new(root, "name_en", json_string(buf));
	json_object_set_new(root, "document", json_string("模拟数据，非真实文件"));
	snprintf(buf, sizeof buf, "%d-03-01", g->year0);
	json_object_set_new(root, "issued_on", json_string(buf));
	snprintf(buf, sizeof buf, "%d-01-01", g->year0);
	json_object_set_new(root, "start", json_string(buf));
	json_t *years = json_array();
	for (int y = 0; y < g->nyears; y++)
		json_array_append_new(years, json_integer(g->year0 + y));
	json_object_set_new(root, "years", years);
	json_object_set_new(root, "city", json_pack("{s:s,s:s,s:s}", "code", g->areas[0].code, "name", g->areas[0].name,
	                                            "name_en", national ? "The country (synthetic)" : "A province (synthetic)"));
	const char *upper = national ? "province" : "prefecture", *lower = national ? "city" : "county";
	json_object_set_new(
		root, "area_groups",
		json_pack("[{s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s,s:s}]", "code", upper, "name",
		          national ? "省级区域" : "地级市", "name_en", national ? "Provinces" : "Prefectures", "focus",
		          "统筹下辖市县的孵化集群建设（模拟）", "block", "模拟区块", "code", lower, "name",
		          national ? "市县" : "县（市、区）", "name_en", national ? "Cities and counties" : "Counties", "focus",
		          "建设众创空间、孵化器、加速器与科创园（模拟）", "block", "模拟区块"));
	json_t *areas = json_array();
	for (int i = 1; i < g->nareas; i++) {
		const GArea *a = &g->areas[i];
		json_array_append_new(areas, json_pack("{s:s,s:s,s:s,s:s}", "code", a->code, "name", a->name, "group",
		                                       a->leaf ? lower : upper, "parent", g->areas[a->parent].code));
	}
	json_object_set_new(root, "areas", areas);
	/* The plan's own targets: the root's, around what its records add up to. */
	json_t *targets = json_array();
	double prev[T_N] = {0}; /* cumulative targets never fall */
	for (int y = 0; y < g->nyears; y++)
		for (int t = 0; t < T_N; t++) {
			if (!ind_codes[t])
				continue;
			double actual = g->tally[(size_t)y * T_N + (size_t)t];
			double v = actual * (0.85 + 0.4 * rng_unit());
			v = t == T_AREA ? (double)((long long)(v / 10000.0 + 0.5) * 10000) : (double)(long long)(v + 0.5);
			if (v < 1)
				v = 1;
			if (v < prev[t])
				v = prev[t];
			prev[t] = v;
			snprintf(buf, sizeof buf, "模拟目标：累计%.0f", v);
			json_array_append_new(targets, json_pack("{s:s,s:s,s:i,s:f,s:s,s:s}", "indicator", ind_codes[t], "scope",
			                                         g->areas[0].code, "year", g->year0 + y, "value", v, "op", ">=",
			                                         "wording", buf));
		}
	json_object_set_new(root, "targets", targets);
	/* the competition's groups name Ruian's area groups: the generated plan
	 * takes the default method (competition.c) instead */
	json_object_del(root, "competition");
	json_object_del(root, "assessment");
	return root;
}

/* ---- the records ---- */

static const char *at_of(long day, char out[40])
{
	char d[24];
	day_str(day, d);
	snprintf(out, 40, "%sT09:00:00Z", d);
	return out;
}

/* 统一社会信用代码 with a valid check digit (GB 32100-2015), unique per n. */
static void make_uscc(int region, int area, long n, char out[19])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	snprintf(out, 19, "91%02d%04d", region % 100, area % 10000);
	/* a bijection of [0, 31^9): multiplying by a number prime to 31 */
	const unsigned long long mod = 26439622160671ULL; /* 31^9 */
	unsigned long long x = ((unsigned long long)n * 2654435761ULL + 12345ULL) % mod;
	for (int i = 16; i >= 8; i--) {
		out[i] = alphabet[x % 31];
		x /= 31;
	}
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(alphabet, out[i]) - alphabet) * weights[i];
	out[17] = alphabet[(31 - sum % 31) % 31];
	out[18] = 0;
}

static void plan_records(Gen *g)
{
	const Scale *sc = g->sc;
	/* operators */
	g->ops = arena_alloc(&g->a, sizeof *g->ops * (size_t)sc->operators);
	for (int i = 0; i < sc->operators; i++) {
		GOp *o = &g->ops[i];
		o->area = pick_leaf(g);
		o->on = rand_day(g->win_from, g->win_to);
		o->pending = rng_pct(3);
		if (!o->pending)
			tally_add(g, o->area, o->on, T_OPS, 1);
	}
	/* bases: one in every leaf first, the rest by weight */
	g->bases = arena_alloc(&g->a, sizeof *g->bases * (size_t)sc->bases);
	for (int i = 0; i < sc->bases; i++) {
		GBase *b = &g->bases[i];
		b->area = i < g->nleaves ? g->leaves[i] : pick_leaf(g);
		int r = rng_int(0, 99), k = 0;
		for (int acc = base_kind_pct[0]; r >= acc && k < NELEM(base_kinds) - 1; acc += base_kind_pct[++k])
			;
		b->kind = k;
		b->total = (double)((long long)((base_kind_min[k] + (base_kind_max[k] - base_kind_min[k]) * rng_unit()) / 100) * 100);
		b->opened = rng_pct(15) ? rand_day(g->win_from - 5 * 365, g->win_from - 1) : rand_day(g->win_from, g->win_to);
		long after = b->opened > g->win_from ? b->opened : g->win_from;
		if (rng_pct(30)) {
			b->grow_on = rand_day(after, g->win_to);
			b->grow = (double)((long long)(b->total * (0.1 + 0.4 * rng_unit()) / 100) * 100);
		}
		if (rng_pct(3)) {
			b->shrink_on = rand_day(after, g->win_to);
			b->shrink = (double)((long long)(b->total * 0.1 / 100) * 100);
		}
		if (rng_pct(6))
			b->demo_on = rand_day(after, g->win_to);
		if (rng_pct(15))
			b->prov_on = rand_day(after, g->win_to);
		if (rng_pct(4))
			b->nat_on = rand_day(after, g->win_to);
		b->pending = rng_pct(3);
		b->op = -1;
		if (!b->pending) {
			tally_add(g, b->area, b->opened, T_AREA, b->total);
			if (b->grow_on)
				tally_add(g, b->area, b->grow_on, T_AREA, b->grow);
			if (b->shrink_on)
				tally_add(g, b->area, b->shrink_on, T_AREA, -b->shrink);
			if (b->demo_on)
				tally_add(g, b->area, b->demo_on, T_DEMO, 1);
			if (b->prov_on)
				tally_add(g, b->area, b->prov_on, T_PROV, 1);
			if (b->nat_on)
				tally_add(g, b->area, b->nat_on, T_NAT, 1);
		}
	}
	/* the bases and operators of each leaf */
	g->base_of_leaf = arena_alloc(&g->a, sizeof *g->base_of_leaf * (size_t)sc->bases);
	g->op_of_leaf = arena_alloc(&g->a, sizeof *g->op_of_leaf * (size_t)(sc->operators + 1));
	int nb = 0, no = 0;
	for (int i = 0; i < g->nareas; i++) {
		GArea *a = &g->areas[i];
		a->first_base = nb;
		for (int k = 0; k < sc->bases; k++)
			if (g->bases[k].area == i)
				g->base_of_leaf[nb++] = k;
		a->nbases = nb - a->first_base;
		a->first_op = no;
		for (int k = 0; k < sc->operators; k++)
			if (g->ops[k].area == i)
				g->op_of_leaf[no++] = k;
		a->nops = no - a->first_op;
	}
	/* a quarter of the bases are run by an operator of their area */
	for (int i = 0; i < sc->bases; i++) {
		GArea *a = &g->areas[g->bases[i].area];
		if (a->nops && rng_pct(25))
			g->bases[i].op = g->op_of_leaf[a->first_op + rng_int(0, a->nops - 1)];
	}
	/* funds: 40% sit in a base of their area */
	g->funds = arena_alloc(&g->a, sizeof *g->funds * (size_t)sc->funds);
	for (int i = 0; i < sc->funds; i++) {
		GFund *f = &g->funds[i];
		f->area = pick_leaf(g);
		GArea *a = &g->areas[f->area];
		f->base = a->nbases && rng_pct(40) ? g->base_of_leaf[a->first_base + rng_int(0, a->nbases - 1)] : -1;
		f->on = rand_day(g->win_from, g->win_to);
		f->pending = rng_pct(3);
		if (!f->pending)
			tally_add(g, f->area, f->on, T_FUNDS, 1);
	}
}

static int insert_records(Gen *g, Store *s, long long *counts)
{
	const Scale *sc = g->sc;
	char d1[11], d2[11], at[40], name[160];
	long long *op_id = arena_alloc(&g->a, sizeof *op_id * (size_t)(sc->operators + 1));
	long long *base_id = arena_alloc(&g->a, sizeof *base_id * (size_t)sc->bases);
	long long *fund_id = arena_alloc(&g->a, sizeof *fund_id * (size_t)sc->funds);

	for (int i = 0; i < sc->operators; i++) {
		const GOp *o = &g->ops[i];
		day_str(o->on, d1);
		snprintf(name, sizeof name, "模拟·%s孵化运营管理有限公司%04d", words[i % NELEM(words)], i + 1);
		if (!(op_id[i] = store_gen_operator(s, name, g->areas[o->area].code, d1, o->pending ? "pending" : "approved",
		                                    at_of(o->on, at))))
			return H_ERR;
	}
	counts[0] = sc->operators;
	for (int i = 0; i < sc->bases; i++) {
		const GBase *gb = &g->bases[i];
		const GArea *a = &g->areas[gb->area];
		const char *field = fields[rng_int(0, NELEM(fields) - 1)];
		double total = gb->total + gb->grow - gb->shrink;
		int platform = gb->kind >= 2 || rng_pct(30);
		int firms = (int)(total / 1000.0 * 1.6) + rng_int(3, 12);
		snprintf(name, sizeof name, "模拟·%s%s%s%05d", a->name, field, base_kind_zh[gb->kind], i + 1);
		day_str(gb->opened, d1);
		Base b = {
			.name = name, .kind = base_kinds[gb->kind], .area = a->code, .leading_industry = field,
			.opened_on = d1, .operator_id = gb->op >= 0 ? op_id[gb->op] : 0, .total_area_m2 = total,
			.incubation_area_m2 = (double)(long long)(total * 0.7), .public_service_area_m2 = (double)(long long)(total * 0.08),
			.has_public_platform = platform, .public_platform = platform ? "模拟：研发与中试公共技术平台" : NULL,
			.facilities = platform ? "[\"cafe\",\"roadshow_hall\",\"meeting_room\",\"charging\",\"parking\"]"
			                       : "[\"meeting_room\",\"parking\"]",
			.firms_total = firms, .firms_leading_industry = firms * rng_int(55, 90) / 100,
			.talents = rng_int(10, 120), .teams = rng_int(3, 30),
			.review_status = gb->pending ? "pending" : "approved",
		};
		if (!(base_id[i] = store_gen_base(s, &b, at_of(gb->opened, at))))
			return H_ERR;
		if (store_base_area_change(s, base_id[i], d1, gb->total, gb->total * 0.7, "开业") != H_OK)
			return H_ERR;
		if (gb->grow_on) {
			day_str(gb->grow_on, d2);
			if (store_base_area_change(s, base_id[i], d2, gb->grow, gb->grow * 0.7, "扩建") != H_OK)
				return H_ERR;
		}
		if (gb->shrink_on) {
			day_str(gb->shrink_on, d2);
			if (store_base_area_change(s, base_id[i], d2, -gb->shrink, -gb->shrink * 0.7, "退租 floor returned") != H_OK)
				return H_ERR;
		}
		static const char *const lv[3] = {"demonstration", "provincial", "national"};
		const long on[3] = {gb->demo_on, gb->prov_on, gb->nat_on};
		for (int k = 0; k < 3; k++) {
			if (!on[k])
				continue;
			day_str(on[k], d2);
			if (store_base_level_set(s, base_id[i], lv[k], d2, "模拟认定文件") != H_OK)
				return H_ERR;
		}
	}
	counts[1] = sc->bases;
	for (int i = 0; i < sc->funds; i++) {
		const GFund *gf = &g->funds[i];
		int k = rng_int(0, NELEM(fund_kinds) - 1);
		day_str(gf->on, d1);
		snprintf(name, sizeof name, "模拟·%s%s基金%05d", g->areas[gf->area].name, words[rng_int(0, NELEM(words) - 1)],
		         i + 1);
		Fund f = {
			.name = name, .kind = fund_kinds[k], .stage = stages[rng_int(0, NELEM(stages) - 1)],
			.origin = rng_pct(30) ? "brought_in" : "new", .established_on = d1,
			.size_yuan = rng_int(10, 1000) * 1e6, .area = g->areas[gf->area].code,
			.base_id = gf->base >= 0 ? base_id[gf->base] : 0, .inside_base = gf->base >= 0,
			.targets_leading_industry = rng_pct(60), .review_status = gf->pending ? "pending" : "approved",
		};
		if (!(fund_id[i] = store_gen_fund(s, &f, at_of(gf->on, at))))
			return H_ERR;
	}
	counts[2] = sc->funds;
	/* Investments: into a firm of the fund's base, else of a base of its area. */
	for (int i = 0; i < sc->investments; i++) {
		int fi = rng_int(0, sc->funds - 1);
		const GFund *gf = &g->funds[fi];
		const GArea *a = &g->areas[gf->area];
		int bi = gf->base >= 0 && rng_pct(70) ? gf->base
		         : a->nbases ? g->base_of_leaf[a->first_base + rng_int(0, a->nbases - 1)] : -1;
		long on = rand_day(gf->on, g->win_to);
		day_str(on, d1);
		snprintf(name, sizeof name, "模拟·%s%s", words[rng_int(0, NELEM(words) - 1)], tails[rng_int(0, NELEM(tails) - 1)]);
		Investment inv = {
			.fund_id = fund_id[fi], .investee = name, .base_id = bi >= 0 ? base_id[bi] : 0,
			.area = g->areas[bi >= 0 ? g->bases[bi].area : gf->area].code, .amount_yuan = rng_int(1, 300) * 100000.0,
			.invested_on = d1, .review_status = rng_pct(3) ? "pending" : "approved",
		};
		if (!store_gen_investment(s, &inv, at_of(on, at)))
			return H_ERR;
	}
	counts[3] = sc->investments;
	for (int i = 0; i < sc->projects; i++) {
		int bi = rng_int(0, sc->bases - 1);
		const GBase *gb = &g->bases[bi];
		long on = rand_day(gb->opened > g->win_from ? gb->opened : g->win_from, g->win_to);
		day_str(on, d1);
		const char *field = fields[rng_int(0, NELEM(fields) - 1)];
		int team = rng_pct(25);
		snprintf(name, sizeof name, "模拟·%s%s%s%06d", words[rng_int(0, NELEM(words) - 1)], field,
		         team ? "创业团队" : "项目", i + 1);
		Project p = {
			.name = name, .kind = team ? "team" : "project", .base_id = base_id[bi],
			.area = g->areas[gb->area].code, .field = field, .source = sources[rng_int(0, 2)], .arrived_on = d1,
			.review_status = rng_pct(3) ? "pending" : "approved",
		};
		if (!store_gen_project(s, &p, at_of(on, at)))
			return H_ERR;
	}
	counts[4] = sc->projects;
	for (long i = 0; i < sc->firms; i++) {
		int bi = rng_int(0, sc->bases - 1);
		const GBase *gb = &g->bases[bi];
		const GArea *a = &g->areas[gb->area];
		long entered = rand_day(gb->opened > g->win_from ? gb->opened : g->win_from, g->win_to);
		char uscc[19];
		make_uscc(a->region, gb->area, i, uscc);
		day_str(entered, d1);
		day_str(entered - rng_int(30, 700), d2);
		int leading = rng_pct(78);
		const char *field = leading ? NULL : fields[rng_int(0, NELEM(fields) - 1)];
		snprintf(name, sizeof name, "模拟·%s%s%07ld", words[rng_int(0, NELEM(words) - 1)],
		         tails[rng_int(0, NELEM(tails) - 1)], i + 1);
		if (!store_gen_firm(s, name, uscc, base_id[bi], a->code, d1, d2, field ? field : "主导产业", leading,
		                    rng_pct(10), at_of(entered, at)))
			return H_ERR;
	}
	counts[5] = sc->firms;
	/* New talents, per leaf area and quarter. */
	long reports = 0;
	for (int li = 0; li < g->nleaves; li++) {
		const GArea *a = &g->areas[g->leaves[li]];
		int rate = 2 + (int)(a->weight * 8);
		char from[11], to[11];
		day_str(g->win_from, from);
		day_str(g->win_to, to);
		for (int y = digits_value(from, 4); y <= digits_value(to, 4); y++)
			for (int q = 1; q <= 4; q++) {
				static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};
				char period[16], end[16];
				snprintf(period, sizeof period, "%04d-Q%d", y, q);
				snprintf(end, sizeof end, "%04d-%s", y, ends[q - 1]);
				snprintf(at, sizeof at, "%sT09:00:00Z", end);
				if (!store_gen_report(s, a->code, period, end, rng_int(0, rate * 2), at))
					return H_ERR;
				reports++;
			}
	}
	counts[6] = reports;
	return H_OK;
}

/* Every area's targets for every plan indicator and year, around its tally. */
static int area_targets(Gen *g, Store *s, const char *ind_codes[T_N], long long *n)
{
	for (int i = 1; i < g->nareas; i++) {
		double prev[T_N] = {0}; /* cumulative targets never fall */
		for (int y = 0; y < g->nyears; y++)
			for (int t = 0; t < T_N; t++) {
				if (!ind_codes[t])
					continue;
				double actual = g->tally[((size_t)i * (size_t)g->nyears + (size_t)y) * T_N + (size_t)t];
				double v = actual * (0.85 + 0.4 * rng_unit());
				v = t == T_AREA ? (double)((long long)(v / 1000.0 + 0.5) * 1000) : (double)(long long)(v + 0.5);
				if (v < 1)
					v = t == T_AREA ? 1000 : 1;
				if (v < prev[t])
					v = prev[t];
				prev[t] = v;
				if (store_target_set(s, ind_codes[t], g->areas[i].code, g->year0 + y, v, ">=", "entered") != H_OK)
					return H_ERR;
				(*n)++;
			}
	}
	return H_OK;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_gen(int argc, char **argv)
{
	Opt opts[] = {{"--db", 1, NULL}, {"--scale", 1, NULL}, {"--seed", 1, NULL}};
	if (cli_parse("gen", argc, argv, opts, 3, NULL, 0) < 0)
		return 2;
	const char *db = opts[0].value;
	const Scale *sc = NULL;
	for (int i = 0; i < NELEM(scales); i++)
		if (opts[1].value && strcmp(opts[1].value, scales[i].name) == 0)
			sc = &scales[i];
	if (!db || !sc) {
		fprintf(stderr, "hatchery gen: --db FILE and --scale city|province|national are required\n");
		return cli_usage("gen");
	}
	unsigned long long seed = 1;
	if (opts[2].value) {
		char *end;
		errno = 0;
		seed = strtoull(opts[2].value, &end, 10);
		if (*end || errno || opts[2].value[0] == '-') {
			fprintf(stderr, "hatchery gen: --seed wants a whole number ≥ 0\n");
			return 2;
		}
	}
	struct stat sb;
	if (stat(db, &sb) == 0) {
		fprintf(stderr, "hatchery gen: %s exists: gen only creates new databases; choose another --db\n", db);
		return 1;
	}
	if (auth_init() != H_OK) {
		fprintf(stderr, "hatchery: libsodium failed to start\n");
		return 1;
	}
	double t0 = now_s();
	Gen g = {.sc = sc};
	rng_state = seed * 0x2545F4914F6CDD1DULL + 20220615ULL;
	char err[1024];
	Plan *ruian = plan_parse(&g.a, plan_embedded_ruian, plan_embedded_ruian_len, "plans/ruian-2022-2024.json (embedded)",
	                         err, sizeof err);
	if (!ruian) {
		fprintf(stderr, "hatchery: %s\n", err);
		arena_free(&g.a);
		return 1;
	}
	int is_city = strcmp(sc->name, "city") == 0;
	g.nyears = is_city ? ruian->nyears : 5;
	g.year0 = is_city ? ruian->years[0] : 2021;
	int last = g.year0 + g.nyears - 1;
	char d[24];
	snprintf(d, sizeof d, "%04d-01-01", last - 4);
	g.win_from = date_days(d);
	snprintf(d, sizeof d, "%04d-12-31", last);
	g.win_to = date_days(d);
	snprintf(d, sizeof d, "%04d-01-01", g.year0);
	g.plan_start = date_days(is_city ? ruian->start : d);
	build_areas(&g, ruian);
	g.tally = arena_alloc(&g.a, sizeof *g.tally * (size_t)g.nareas * (size_t)g.nyears * T_N);
	plan_records(&g);

	/* The plan indicators the tallies stand for. */
	const char *ind_codes[T_N] = {0};
	for (int i = 0; i < ruian->nindicators; i++) {
		const Indicator *in = &ruian->indicators[i];
		if (strcmp(in->kind, "plan") != 0)
			continue;
		int t = !strcmp(in->measure, "demo_bases")             ? T_DEMO
		        : !strcmp(in->measure, "area_added_m2")        ? T_AREA
		        : !strcmp(in->measure, "operators_introduced") ||
		                  !strcmp(in->measure, "operating_teams_introduced") ? T_OPS
		        : !strcmp(in->measure, "funds_established")    ? T_FUNDS
		        : !strcmp(in->measure, "bases_recognised") && in->level && !strcmp(in->level, "provincial") ? T_PROV
		        : !strcmp(in->measure, "bases_recognised") && in->level && !strcmp(in->level, "national")   ? T_NAT
		                                                                                                    : -1;
		if (t >= 0 && !ind_codes[t])
			ind_codes[t] = in->code;
	}

	Plan *p = ruian;
	char *text = NULL;
	if (!is_city) {
		json_t *j = plan_json(&g, plan_embedded_ruian, plan_embedded_ruian_len, ind_codes);
		text = j ? json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		if (!text || !(p = plan_parse(&g.a, text, strlen(text), "generated plan", err, sizeof err))) {
			fprintf(stderr, "hatchery gen: %s\n", text ? err : "cannot build the plan");
			free(text);
			free(g.areas);
			arena_free(&g.a);
			return 1;
		}
	}

	Store *s = store_open(db, STORE_CREATE, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		free(text);
		free(g.areas);
		arena_free(&g.a);
		return 1;
	}
	long long counts[7] = {0}, ntargets = 0;
	int rc = 1;
	Buf saved_triggers = {0}; /* dropped for the load, made again before the commit */
	const char *pw = getenv("HATCHERY_ADMIN_PASSWORD");
	const char *problem = pw && *pw ? auth_password_problem("admin", pw) : NULL;
	char generated[USER_GENERATED_LEN];
	if (problem)
		fprintf(stderr, "hatchery: $HATCHERY_ADMIN_PASSWORD: %s\n", problem);
	else if (store_gen_bulk_begin(s) != H_OK || store_begin(s) != H_OK ||
	         store_triggers_suspend(s, "*", &saved_triggers) != H_OK ||
	         store_plan_save(s, p) != H_OK ||
	         store_audit(s, NULL, NULL, "load", "plan", p->code, NULL, NULL) != H_OK ||
	         insert_records(&g, s, counts) != H_OK || area_targets(&g, s, ind_codes, &ntargets) != H_OK ||
	         store_setting_set(s, "demo", "1") != H_OK || store_setting_set(s, "synthetic", sc->name) != H_OK ||
	         store_audit(s, NULL, NULL, "load", "synthetic", sc->name, NULL, NULL) != H_OK)
		fprintf(stderr, "hatchery gen: %s\n", store_errmsg(s));
	else if (!user_create(s, &g.a, "admin", "admin", NULL, pw && *pw ? pw : NULL, 1, generated, NULL, NULL))
		fprintf(stderr, "hatchery gen: cannot add user admin: %s\n", store_errmsg(s));
	else if (store_triggers_restore(s, "*", &saved_triggers) != H_OK)
		fprintf(stderr, "hatchery gen: %s\n", store_errmsg(s));
	else if (store_commit(s) != H_OK || store_gen_analyze(s) != H_OK)
		fprintf(stderr, "hatchery gen: %s\n", store_errmsg(s));
	else
		rc = 0;
	if (rc != 0)
		store_rollback(s);
	buf_free(&saved_triggers);
	store_close(s);
	if (rc != 0) {
		char side[4096];
		unlink(db);
		snprintf(side, sizeof side, "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", db);
		unlink(side);
	} else {
		if (!(pw && *pw))
			printf("user admin (admin): password %s (must be changed at first login)\n", generated);
		else
			printf("user admin (admin): password from $HATCHERY_ADMIN_PASSWORD\n");
		printf("%s: %s scale, seed %llu, plan %s: %d areas, %lld operators, %lld bases, %lld funds, "
		       "%lld investments, %lld projects, %lld firms, %lld reported figures, %lld area targets "
		       "(模拟数据) in %.1f s\n",
		       db, sc->name, seed, p->code, p->nareas, counts[0], counts[1], counts[2], counts[3], counts[4],
		       counts[5], counts[6], ntargets, now_s() - t0);
	}
	free(text);
	free(g.areas);
	arena_free(&g.a);
	return rc;
}
