/*
 * demo_events.c — the sample's events (示例数据): the 2024 summit, three
 * roadshows of the standing roadshow mechanism with their outcomes, the
 * city's contest, the 双创活动周 and a 现场会. The outcomes link the
 * sample's own investments and projects (demo.c), the first ones dated
 * after each roadshow, so that the roadshow page shows what each brought.
 * Deterministic: the same database every time.
 */
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "store_events.h"

/* The day n days after ymd. */
static const char *day_plus(Arena *a, const char *ymd, long n)
{
	char out[11];
	date_from_days(date_days(ymd) + n, out);
	return arena_strdup(a, out);
}

/* One project as the sample tells it: presented or not, and how far it went. */
typedef enum { GO_REGISTERED, GO_PRESENTED, GO_INTEREST, GO_DILIGENCE, GO_INVESTED, GO_SETTLED, GO_DROPPED } Go;

/* Adds one pipeline row of event ev (dated day) going as far as go; an
 * outcome takes the next registry record not yet linked (of area, NULL:
 * any) dated after the roadshow. Returns H_OK, or H_ERR on a store error;
 * a missing record leaves the row presented only. */
static int add_row(Store *s, Arena *a, long long ev, const char *day, const char *area, const char *name,
                   const char *team, const char *field, Go go, const char *investor)
{
	PipelineRec p = {.event_id = ev, .team = team, .field = field, .registered_on = day_plus(a, day, -14)};
	LinkRec *l = NULL;
	int nl = 0;
	if (go == GO_INVESTED || go == GO_SETTLED) {
		nl = store_link_candidates(s, a, go == GO_INVESTED ? "investments" : "projects", area, day_plus(a, day, 20), 1, &l);
		if (nl < 0)
			return H_ERR;
		if (nl == 0)
			go = GO_PRESENTED;
	}
	p.name = nl ? l[0].name : name;
	if (go >= GO_PRESENTED)
		p.presented_on = day;
	long long id = store_pipeline_insert(s, &p, "demo");
	if (!id)
		return H_ERR;
	if (go <= GO_PRESENTED)
		return H_OK;
	p.id = id;
	long span = nl ? date_days(l[0].on) - date_days(day) : 60;
	if (go == GO_DROPPED) {
		p.dropped_on = day_plus(a, day, 45);
		p.drop_reason = "团队未能完成融资，项目暂缓";
	} else {
		p.interest_on = day_plus(a, day, span / 4 > 3 ? span / 4 : 3);
		p.investor = investor;
		if (go >= GO_DILIGENCE && go != GO_SETTLED)
			p.diligence_on = day_plus(a, day, span / 2 > 7 ? span / 2 : 7);
		if (go == GO_INVESTED) {
			p.invested_on = l[0].on;
			p.investment_id = l[0].id;
		} else if (go == GO_SETTLED) {
			p.settled_on = l[0].on;
			p.project_id = l[0].id;
			p.settled_base_id = l[0].base_id;
		}
	}
	return store_pipeline_update(s, &p);
}

int demo_events_load(Store *s, const Plan *p, char *err, size_t errsz)
{
	(void)p;
	int ready = store_events_ready(s);
	if (ready == 0)
		return H_OK; /* a database from before events: the tests of its upgrade */
	if (ready < 0) {
		snprintf(err, errsz, "demo data (events): %s", store_errmsg(s));
		return H_ERR;
	}
	Arena a = {0};
	Base *fy;
	int nfy = store_bases(s, &a, "feiyun", &fy);
	const char *fail = nfy < 0 ? "bases" : NULL;
	static const struct {
		const char *kind, *name, *organiser, *area, *starts, *ends, *place, *mode, *attendees, *summary;
		long long participants;
		int host; /* 1: the first 飞云 base hosts it */
	} events[] = {
		{"summit", "示例·2024世界青年科学家峰会云江科创大会", "市科协、市科技局", NULL, "2024-05-18", "2024-05-19",
		 "瑞安市云江科创中心", "both", NULL, "持续放大“峰会效应”，青年科学家项目现场对接，加速成果落地。", 1200, 0},
		{"roadshow", "示例·大孵化集群常态化路演（第一期）", "市科技局", NULL, "2023-06-16", NULL, "东新科创孵化芯路演厅",
		 "both", NULL, "线上线下同步，8 家投资机构到场。", 150, 0},
		{"roadshow", "示例·飞云青年创业专场路演", "飞云街道、市科技局", "feiyun", "2024-03-22", NULL, NULL, "offline",
		 NULL, "青年创业中心入驻项目专场。", 80, 1},
		{"roadshow", "示例·塘下智造专场路演", "塘下新区管委会", "tangxia", "2024-09-12", NULL, "塘下新区科创园路演厅",
		 "online", NULL, "智能装备、汽车零部件项目专场。", 60, 0},
		{"contest", "示例·第八届中国瑞安创新创业大赛", "市科技局", NULL, "2024-10-25", "2024-10-26", "瑞安市会展中心",
		 "offline", NULL, NULL, 500, 0},
		{"activity_week", "示例·2024年瑞安市双创活动周", "市科技局", NULL, "2024-10-14", "2024-10-20", "全市各孵化基地",
		 "both", NULL, NULL, 3000, 0},
		{"site_meeting", "示例·大孵化集群建设现场会", "市大孵化集群工作专班办公室", "tangxia", "2024-07-05", NULL,
		 "塘下新区智造孵化园", "offline", "市科技局、市发改局、市经信局，各镇街、功能区分管负责人",
		 "现场察看孵化空间建设进度，通报“六比竞赛”进展，部署下半年工作。", 60, 0},
	};
	long long ids[sizeof events / sizeof events[0]] = {0};
	for (size_t i = 0; i < sizeof events / sizeof events[0] && !fail; i++) {
		EventRec e = {
			.kind = events[i].kind, .name = events[i].name, .organiser = events[i].organiser, .area = events[i].area,
			.base_id = events[i].host && nfy > 0 ? fy[0].id : 0, .starts_on = events[i].starts, .ends_on = events[i].ends,
			.place = events[i].place ? events[i].place : (events[i].host && nfy > 0 ? fy[0].name : NULL),
			.mode = events[i].mode, .participants = events[i].participants, .attendees = events[i].attendees,
			.summary = events[i].summary, .status = "held",
		};
		if (!(ids[i] = store_event_insert(s, &e, "demo")))
			fail = "event";
	}
	static const struct {
		int ev;
		const char *name, *team, *field;
		Go go;
		const char *investor;
	} rows[] = {
		/* the first roadshow: two investments, one settled, one in due diligence, one dropped, one waiting */
		{1, NULL, "陈博士团队", "智能装备", GO_INVESTED, "示例·云江天使投资"},
		{1, NULL, "林工团队", "新材料", GO_INVESTED, "示例·瑞安科创基金"},
		{1, NULL, "周博士团队", "生物医药", GO_SETTLED, NULL},
		{1, "示例·海洋传感器项目", "吴工团队", "海洋经济", GO_DILIGENCE, "示例·温州海洋产业基金"},
		{1, "示例·柔性电池项目", "郑博士团队", "新能源", GO_DROPPED, NULL},
		{1, "示例·跨境电商数据项目", "王女士团队", "轻工电商", GO_PRESENTED, NULL},
		{1, "示例·农旅直播项目", "黄先生团队", "农旅文创", GO_REGISTERED, NULL},
		/* 飞云's roadshow: one investment in the area, one settled */
		{2, NULL, "青创团队", "汽车零部件", GO_INVESTED, "示例·飞云青创基金"},
		{2, NULL, "电商团队", "轻工电商", GO_SETTLED, NULL},
		{2, "示例·鞋服设计项目", "李女士团队", "轻工电商", GO_INTEREST, "示例·瑞安创投"},
		/* 塘下's roadshow: one investment, one settled, one waiting */
		{3, NULL, "智造团队", "智能装备", GO_INVESTED, "示例·塘下智造产业投资基金"},
		{3, NULL, "零部件团队", "汽车零部件", GO_SETTLED, NULL},
		{3, "示例·工业视觉检测项目", "赵工团队", "智能装备", GO_PRESENTED, NULL},
		/* the summit: projects brought to land */
		{0, NULL, "青年科学家团队", "新材料", GO_SETTLED, NULL},
		{0, "示例·量子传感项目", "孙博士团队", "科技战新", GO_INTEREST, "示例·云江基金港"},
		{0, "示例·合成生物项目", "钱博士团队", "生物医药", GO_PRESENTED, NULL},
		/* the contest: entries presented in the final */
		{4, "示例·智慧养老平台", "何女士团队", "现代服务", GO_PRESENTED, NULL},
		{4, "示例·氢能储运项目", "冯博士团队", "新能源", GO_PRESENTED, NULL},
		{4, "示例·鞋材回收项目", "蒋先生团队", "新材料", GO_REGISTERED, NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0] && !fail; i++) {
		int k = rows[i].ev;
		const char *name = rows[i].name ? rows[i].name : arena_printf(&a, "示例·%s项目", rows[i].team);
		if (add_row(s, &a, ids[k], events[k].starts, events[k].area, name,
		            rows[i].team, rows[i].field, rows[i].go, rows[i].investor) != H_OK)
			fail = "event project";
	}
	arena_free(&a);
	if (fail) {
		snprintf(err, errsz, "demo data (%s): %s", fail, store_errmsg(s));
		return H_ERR;
	}
	return H_OK;
}
