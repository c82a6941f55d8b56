// evaluation.test.mjs — evaluation and recognition in a browser, on a
// desktop and on a phone: the office reads 示例·滨海新能源大孵化器 against
// 七个一 and records a reviewer's verdict, finds the incubator one rule
// short of national recognition with the matrix's filter; the base's
// operator applies for 示范大孵化器, the 滨海新区 reporter recommends it (never
// one's own application), the office files it in 2024 and 总览's 示范孵化基地
// of 2024 rises by one.
//
// Both journeys change base 3 for good (a verdict, a filed level), so each
// viewport has its own server with fresh demo data (a start costs well
// under a second); the browser is shared.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiGet, assertPhoneLayout, fmtQuantity, launchBrowser, login, openPage,
	overviewFigure, reportKnownBugs, startServer, textOf as text,
} from './harness.mjs';

const VIEWPORT_NAMES = ['desktop', 'phone'];
const BINHAI = { id: 3, name: '示例·滨海新能源大孵化器' };
const ANYANG = { id: 17, name: '示例·安阳科技企业孵化器' };

let browser;

before(async () => {
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
});

const path = (page) => new URL(page.url()).pathname;

/* Presses a form's button and waits for the page the server sends next
 * (also when it is the same address again). */
async function submit(s, button) {
	await Promise.all([
		s.page.waitForEvent('framenavigated', (f) => f === s.page.mainFrame()),
		s.press(button),
	]);
	await s.page.waitForLoadState('load');
}

/* One rule's row of a rule set's table on an evaluation page. */
const ruleRow = (page, set, rule) => page.locator(`section#set-${set} tr[data-rule="${rule}"]`);
const cell = (row, i) => row.locator('td').nth(i); // 0 条, 1 要求, 2 实测, 3 门槛, 4 结果, 5 差距 / 说明
const measured = async (row) => (await row.locator('td').nth(2).evaluate((td) => td.firstChild?.textContent || '')).trim();

for (const viewport of VIEWPORT_NAMES) {
	describe(`${viewport}`, () => {
		let server;

		before(async () => {
			server = await startServer({
				users: [{ name: 'bh-reporter', role: 'area', scope: 'binhai' }, { name: 'bh-base', role: 'base', scope: String(BINHAI.id) }],
			});
		});

		after(async () => {
			await server?.stop();
		});

		/* A fresh page of the viewport on this server; it must stay clean. */
		async function session(t, who, fn) {
			const s = await openPage(browser, viewport, server.baseURL);
			try {
				await fn(s);
				s.assertClean();
				await reportKnownBugs(t, s, who);
			} finally {
				await s.close();
			}
		}

		test(`office: 七个一 of base 3 with a reviewer's verdict; the incubator one rule short of national (${viewport})`, (t) =>
			session(t, 'office', async (s) => {
				const { page } = s;
				await login(s, 'admin', ADMIN_PASSWORD);
				await page.goto(`/bases/${BINHAI.id}`);
				await Promise.all([
					page.waitForURL(`**/bases/${BINHAI.id}/evaluation`),
					s.press(page.getByRole('link', { name: '对照标准评价' })),
				]);
				assert.equal(await text(page.locator('h1')), `${BINHAI.name} · 对照标准评价`);
				const set = page.locator('section#set-qigeyi');
				assert.equal(await text(set.locator('h2')), '示范大孵化器“七个一”标准');
				const api = (await apiGet(s, `/api/v1/bases/${BINHAI.id}/evaluation?rules=qigeyi`)).rule_sets[0];

				// Every rule of 七个一 has its row, with the result the API computes.
				const rows = set.locator('tbody tr');
				assert.equal(await rows.count(), api.rules.length);
				assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.rule)), api.rules.map((r) => r.id));
				const zh = { pass: '达标', fail: '未达标', unknown: '待核实' };
				for (const r of api.rules)
					assert.equal(await text(cell(ruleRow(page, 'qigeyi', r.id), 4)), zh[r.result], `${r.id} result`);

				// 总孵化空间面积: measured 5 万㎡ from the registration, 达标.
				const area = ruleRow(page, 'qigeyi', 'qigeyi-1a');
				assert.match(await text(cell(area, 1)), /^总孵化空间面积不少于5万平方米。/);
				assert.equal(await measured(area), '5 万㎡');
				assert.equal(await text(cell(area, 2).locator('small')), '基地登记的总面积');
				assert.equal(await text(cell(area, 3)), '≥ 5 万㎡');
				assert.equal(await text(cell(area, 4)), '达标');
				assert.equal(await measured(ruleRow(page, 'qigeyi', 'qigeyi-1b')), '3.5 万㎡');
				// The judged rules wait for a reviewer.
				for (const id of ['qigeyi-3', 'qigeyi-7']) {
					const row = ruleRow(page, 'qigeyi', id);
					assert.equal(await text(cell(row, 4)), '待核实', `${id} before any verdict`);
					assert.equal(await text(cell(row, 3)), '由评审人判定');
					assert.match(await text(cell(row, 5)), /需评审人判定/);
				}
				const summary = set.locator('p.summary');
				assert.equal(await text(summary), `达标 ${api.passed} 未达标 ${api.failed} 待核实 ${api.unknown}`);
				assert.equal(api.unknown, 2);
				await assertPhoneLayout(s, `base ${BINHAI.id} evaluation`);
				await s.shot('office-evaluation-qigeyi');

				// A verdict on 有一批青年创新创业人才: 评审意见, then 达标.
				const talents = ruleRow(page, 'qigeyi', 'qigeyi-3');
				assert.match(await text(cell(talents, 1)), /^有一批青年创新创业人才/);
				const note = `现场核查:入驻青年创业团队 ${viewport === 'phone' ? 12 : 15} 个,名单已存档`;
				await talents.getByLabel('评审意见').fill(note);
				await submit(s, talents.getByRole('button', { name: '达标', exact: true }));
				assert.equal(path(page), `/bases/${BINHAI.id}/evaluation`);
				assert.equal(await text(cell(talents, 4)), '达标');
				assert.equal(await talents.getAttribute('data-result'), 'pass');
				const said = await text(cell(talents, 5));
				assert.ok(said.startsWith(`评审意见：${note}（admin）`), `the verdict's note is shown: ${said}`);
				assert.equal(await talents.getByLabel('评审意见').inputValue(), note, 'the form shows the note kept');
				assert.equal(await text(cell(ruleRow(page, 'qigeyi', 'qigeyi-7'), 4)), '待核实', 'the other judged rule still waits');
				assert.equal(await text(summary), `达标 ${api.passed + 1} 未达标 ${api.failed} 待核实 ${api.unknown - 1}`);
				const judged = (await apiGet(s, `/api/v1/bases/${BINHAI.id}/evaluation?rules=qigeyi`)).rule_sets[0];
				assert.equal(judged.rules.find((r) => r.id === 'qigeyi-3').result, 'pass');
				await assertPhoneLayout(s, `base ${BINHAI.id} evaluation with a verdict`);
				await s.shot('office-evaluation-verdict');

				// 评价: the national rule set, 只差 1 条 — one 筛选 finds 安阳.
				await Promise.all([page.waitForURL('**/evaluation'), s.press(page.locator('header nav a', { hasText: '评价' }))]);
				assert.equal(await text(page.locator('h1')), '对照评价');
				await page.locator('#f-rules').selectOption({ label: '国家级科技企业孵化器认定条件（综合孵化器）' });
				await page.locator('#f-away').selectOption({ label: '只差 1 条' });
				await Promise.all([
					page.waitForURL((u) => u.searchParams.get('rules') === 'national-incubator-2018' && u.searchParams.get('away') === '1'),
					s.press(page.locator('form.filters button[type="submit"]')),
				]);
				const matrix = (await apiGet(s, '/api/v1/evaluation?rules=national-incubator-2018&away=1')).items;
				const rowsShown = page.locator('table#matrix tbody tr');
				assert.equal(await rowsShown.count(), matrix.length);
				assert.equal(await text(page.locator('#total')), String(matrix.length));
				const anyang = rowsShown.filter({ hasText: ANYANG.name });
				assert.equal(await anyang.count(), 1, `${ANYANG.name} is one rule short`);
				assert.equal(await text(anyang.locator('th small')), '安阳街道');
				assert.equal(await page.locator('table#matrix thead th').count(), 2, 'only the chosen rule set');
				const result = anyang.locator('td.cell');
				assert.equal(await text(result.locator('small.counts')), '达标 14 · 未达标 1 · 待核实 0');
				assert.equal(await text(result.locator('span.verdict')), '未达标', 'the verdict in words, not colour alone');
				assert.match(await result.getAttribute('class'), /\bnear\b/);
				assert.match(await result.getAttribute('class'), /\bv-fail\b/);
				await assertPhoneLayout(s, '评价, one rule away');
				await s.shot('office-evaluation-one-rule-away');

				// Its row opens its evaluation: 运营满3年 — opened 2022-02-20, full on 2025-02-20.
				await Promise.all([
					page.waitForURL((u) => u.pathname === `/bases/${ANYANG.id}/evaluation`),
					s.press(result.getByRole('link')),
				]);
				assert.equal(new URL(page.url()).hash, '#set-national-incubator-2018');
				assert.equal(await text(page.locator('h1')), `${ANYANG.name} · 对照标准评价`);
				const operating = ruleRow(page, 'national-incubator-2018', 'operating');
				assert.equal(await text(cell(operating, 4)), '未达标');
				assert.equal(await measured(operating), '2.86 年');
				assert.equal(await text(cell(operating, 3)), '≥ 3 年');
				assert.equal(await text(cell(operating, 5).locator('strong.gap')), '还差 0.14 年；2025-02-20 期满');
				const graduates = ruleRow(page, 'national-incubator-2018', 'graduates');
				assert.equal(await text(cell(graduates, 4)), '达标');
				assert.equal(await measured(graduates), '20 家');
				const failing = page.locator('section#set-national-incubator-2018 tr[data-result="fail"]');
				assert.equal(await failing.count(), 1, 'operating is the only rule failed');
				assert.equal(await page.locator('section#set-national-incubator-2018 tr[data-result="unknown"]').count(), 0);
				await assertPhoneLayout(s, `base ${ANYANG.id} evaluation`);
				await s.shot('office-evaluation-anyang');
			}));

		test(`filing: the base applies for 示范大孵化器, the 滨海 reporter recommends it, the office files it; 示范孵化基地 2024 +1 (${viewport})`, (t) =>
			session(t, 'binhai reporter', async (s) => {
				const { page } = s;
				await session(t, 'office', async (office) => {
					await login(office, 'admin', ADMIN_PASSWORD);
					const before = await overviewFigure(office, 2024, 'demo_bases');
					const before2023 = await overviewFigure(office, 2023, 'demo_bases');

					// The base's operator: base 3 → 对照标准评价 → 认定申请.
					await session(t, 'binhai base', async (b) => {
						const bp = b.page;
						await login(b, 'bh-base', USER_PASSWORD);
						await bp.goto(`/bases/${BINHAI.id}/evaluation`);
						await Promise.all([
							bp.waitForURL(`**/bases/${BINHAI.id}/recognitions`),
							b.press(bp.getByRole('link', { name: '认定申请' })),
						]);
						assert.equal(await text(bp.locator('h1')), `${BINHAI.name} · 认定与备案`);
						assert.equal(await bp.locator('ul#levels li', { hasText: '示范大孵化器' }).count(), 0, 'not yet recognised');
						await bp.locator('#f-level').selectOption({ label: '示范大孵化器' });
						await assertPhoneLayout(b, `base ${BINHAI.id} recognitions (base)`);
						await submit(b, bp.getByRole('button', { name: '提交申请' }));
						assert.equal(path(bp), `/bases/${BINHAI.id}/recognitions`);
						const applied = bp.locator('table#recognitions tbody tr', { hasText: '示范大孵化器' });
						assert.equal(await applied.count(), 1);
						assert.equal(await text(applied.locator('td').nth(1)), '已申请，待区域推荐');
						assert.match(await text(applied.locator('td').nth(2)), /^bh-base /);
						assert.equal(await text(applied.locator('td').nth(3)), '—');
						assert.equal(await applied.getByRole('button', { name: '推荐' }).count(), 0, 'the applicant does not recommend');
						await b.shot('base-applied');
					});

					// The reporter of its area.
					await login(s, 'bh-reporter', USER_PASSWORD);
					assert.match(await text(page.locator('header .who')), s.isPhone ? /bh-reporter/ : /bh-reporter · 镇街、功能区填报员 · 滨海新区/);

					// 认定申请 (/recognitions): the reporter recommends it (推荐).
					await page.goto('/recognitions');
					assert.equal(await text(page.locator('h1')), '认定申请');
					const mine = page.locator('table#recognitions tbody tr', { hasText: BINHAI.name });
					assert.equal(await mine.count(), 1);
					assert.equal(await mine.getByRole('button', { name: '备案' }).count(), 0, 'filing is the office\'s');
					await assertPhoneLayout(s, '认定申请 (reporter)');
					await submit(s, mine.getByRole('button', { name: '推荐' }));
					assert.equal(path(page), '/recognitions');
					assert.equal(await text(mine.locator('td').nth(1)), '区域已推荐，待市专班备案');
					assert.equal(await mine.locator('button').count(), 0, 'nothing more for the area to do');
					await s.shot('reporter-endorsed');

					// The office files it on /recognitions with a date in 2024.
					await office.page.goto('/evaluation');
					assert.ok(await office.page.locator('main a[href="/recognitions"]').count() > 0, '评价 links to 认定申请');
					assert.ok(await office.page.locator('nav a[href="/recognitions"]').count() > 0, 'the navigation links to 认定申请');
					await office.page.goto('/recognitions');
					const row = office.page.locator('table#recognitions tbody tr', { hasText: BINHAI.name });
					assert.equal(await text(row.locator('td').nth(0)), '示范大孵化器');
					assert.equal(await text(row.locator('td').nth(1)), '区域已推荐，待市专班备案');
					const filedOn = viewport === 'phone' ? '2024-11-20' : '2024-12-18';
					const date = row.locator('input[name="filed_on"]');
					assert.equal(await date.getAttribute('type'), 'date');
					await date.fill(filedOn);
					await row.getByLabel('备案文号').fill(`瑞孵集〔2024〕${viewport === 'phone' ? 21 : 12} 号`);
					await assertPhoneLayout(office, '认定申请 (office)');
					await office.shot('office-recognitions-to-file');
					await submit(office, row.getByRole('button', { name: '备案' }));
					assert.equal(path(office.page), '/recognitions');
					assert.equal(await text(row.locator('td').nth(1)), '已备案');
					assert.equal(await text(row.locator('td').nth(3)), filedOn);
					assert.equal(await row.locator('button').count(), 0);

					// 总览 2024: 示范孵化基地 one more; 2023 as it was.
					const after = await overviewFigure(office, 2024, 'demo_bases');
					assert.equal(after.api, before.api + 1, `API demo_bases 2024: ${before.api} → ${after.api}`);
					assert.equal(after.value, before.value + 1, `总览 shows ${before.shown} → ${after.shown}`);
					assert.equal(after.shown, fmtQuantity(before.api + 1, '个'));
					const after2023 = await overviewFigure(office, 2023, 'demo_bases');
					assert.equal(after2023.api, before2023.api, 'filed in 2024, it does not count in 2023');
					await office.page.goto('/?year=2024');
					await assertPhoneLayout(office, '总览 2024 after filing');
					await office.shot('office-overview-2024-filed');

					// The base's page lists the level from the filing date.
					await page.goto(`/bases/${BINHAI.id}/recognitions`);
					assert.equal(await text(page.locator('ul#levels li', { hasText: '示范大孵化器' })), `示范大孵化器（${filedOn} 起）`);
				});
			}));
	});
}

/* The matrix (issue 15, item 9): a verdict per cell in colour and in words
 * with a legend; at 1,366 px it fits the screen (the page leaves its 1,100 px
 * column; nothing cut, the bases' column sticky); in a 1,100 px window it
 * scrolls inside its box with the bases in view; on a phone, cards. */
describe('the evaluation matrix', () => {
	let server;
	before(async () => { server = await startServer(); });
	after(async () => { await server?.stop(); });

	test('colours with words, fits 1,366 px, sticky names at 1,100 px, cards on a phone', async () => {
		const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL: server.baseURL, locale: 'zh-CN' });
		try {
			const page = await ctx.newPage();
			await login({ page, press: (l) => l.click() }, 'admin', ADMIN_PASSWORD);
			await page.goto('/evaluation');
			const m = await page.evaluate(() => {
				const t = document.querySelector('table#matrix');
				const w = t.closest('.table-wrap');
				return { right: t.getBoundingClientRect().right, scroll: w.scrollWidth, client: w.clientWidth, vw: window.innerWidth,
					doc: document.documentElement.scrollWidth };
			});
			assert.ok(m.scroll <= m.client + 1, `the matrix fits its box at 1,366 px (${m.scroll} > ${m.client})`);
			assert.ok(m.right <= m.vw && m.doc <= m.vw, `nothing past the screen: ${JSON.stringify(m)}`);
			// every judged cell: a class of colour and the same verdict in words
			const cells = await page.locator('table#matrix td.cell:not(.na)').evaluateAll((tds) => tds.map((td) => ({
				cls: td.className, word: td.querySelector('span.verdict')?.textContent, bg: getComputedStyle(td.querySelector('span.verdict')).backgroundColor })));
			assert.ok(cells.length > 10);
			const words = { 'v-pass': '达标', 'v-fail': '未达标', 'v-wait': '待判定' };
			const colours = {};
			for (const c of cells) {
				const k = Object.keys(words).find((x) => c.cls.split(' ').includes(x));
				assert.ok(k, `a verdict class on ${c.cls}`);
				assert.equal(c.word, words[k]);
				colours[k] = c.bg;
			}
			assert.ok(Object.keys(colours).length >= 2, 'more than one verdict in the demo');
			assert.equal(new Set(Object.values(colours)).size, Object.keys(colours).length, 'one colour per verdict');
			assert.match(await text(page.locator('#matrix-legend')), /达标.*未达标.*待判定/);

			// a 1,100 px window: the matrix scrolls inside its box, the names stay
			await page.setViewportSize({ width: 1100, height: 800 });
			await page.goto('/evaluation');
			const n = await page.evaluate(() => {
				const t = document.querySelector('table#matrix');
				const w = t.closest('.table-wrap');
				w.scrollLeft = w.scrollWidth;
				const th = t.querySelector('tbody th');
				return { doc: document.documentElement.scrollWidth, vw: window.innerWidth, thLeft: th.getBoundingClientRect().left,
					wrapLeft: w.getBoundingClientRect().left, pos: getComputedStyle(th).position, ox: getComputedStyle(w).overflowX };
			});
			assert.ok(n.doc <= n.vw, `the page itself does not scroll sideways: ${JSON.stringify(n)}`);
			assert.equal(n.pos, 'sticky');
			assert.ok(Math.abs(n.thLeft - n.wrapLeft) <= 2, `the base's name stays in view when scrolled: ${JSON.stringify(n)}`);
		} finally {
			await ctx.close();
		}

		const s = await openPage(browser, 'phone', server.baseURL);
		try {
			await login(s, 'admin', ADMIN_PASSWORD);
			await s.page.goto('/evaluation');
			await assertPhoneLayout(s, 'the matrix on a phone');
			const card = s.page.locator('table#matrix tbody tr').first();
			assert.equal(await card.evaluate((tr) => getComputedStyle(tr).display), 'flex', 'a base is a card');
			const judged = card.locator('td.cell:not(.na)').first();
			assert.match(await judged.evaluate((td) => getComputedStyle(td, '::before').content), /标准|条件|规则|大孵化器|众创空间/,
				'each verdict labelled with its rule set');
		} finally {
			await s.close();
		}
	});
});
