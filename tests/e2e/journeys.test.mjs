// journeys.test.mjs — what the programme's people do in a browser, on a
// desktop and on a phone, checked by what they see. One server for the file
// (fresh database with the demo data); each journey has its own browser
// context, so its own cookies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiGet, assertPhoneLayout, fmtQuantity, login, openPage,
	parseQuantity, reportKnownBugs, startServerAndBrowser,
} from './harness.mjs';

const VIEWPORT_NAMES = ['desktop', 'phone'];
const STATUSES = ['已完成', '正常', '滞后', '严重滞后'];

let server;
let browser;

before(async () => {
	const users = [
		{ name: 'fy-reporter', role: 'area', scope: 'feiyun' },
		{ name: 'leader', role: 'viewer' },
	];
	// A user added without a password gets a generated one that must be
	// changed; one per viewport, since the journey changes it.
	for (const vp of VIEWPORT_NAMES) users.push({ name: `newcomer-${vp}`, role: 'viewer', password: null });
	({ server, browser } = await startServerAndBrowser({ users }));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

/* Runs fn(s) in a fresh page of the viewport; the page must stay clean. */
async function journey(t, viewport, fn) {
	const s = await openPage(browser, viewport, server.baseURL);
	try {
		await fn(s);
		s.assertClean();
		await reportKnownBugs(t, s);
	} finally {
		await s.close();
	}
}

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
const path = (page) => new URL(page.url()).pathname;
/* The value shown for 地址 in a record's facts list. */
const addressShown = (page) =>
	page.locator('dl.facts dt', { hasText: /^地址$/ }).locator('xpath=following-sibling::dd[1]');

for (const viewport of VIEWPORT_NAMES) {
	describe(`${viewport}`, () => {
		test(`office: logs in, reads 总览 and the 2023 figures, opens 飞云街道 and a lagging area from 比较 (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				await page.goto('/login');
				await assertPhoneLayout(s, '登录');
				await login(s, 'admin', ADMIN_PASSWORD);

				// Lands on 工作台 (what waits for the office), then opens 总览.
				assert.equal(path(page), '/workbench');
				assert.equal(await text(page.locator('h1')), '工作台');
				assert.match(await text(page.locator('#work-review h2')), /^待审核（\d+ 项）$/);
				await assertPhoneLayout(s, '工作台');
				await Promise.all([page.waitForURL((u) => u.pathname === '/'),
					s.press(page.locator('header nav').getByRole('link', { name: '总览', exact: true }))]);
				assert.match(await text(page.locator('h1')), /总览/);
				assert.equal(await text(page.locator('header nav a[aria-current="page"]')), '总览');
				assert.match(await text(page.locator('header .who')), s.isPhone ? /admin/ : /admin · 市专班办公室（管理员）/);

				// The plan indicators with a status for 新增孵化场地面积, as the API says.
				const plan = await apiGet(s, '/api/v1/plan');
				const now = await apiGet(s, '/api/v1/progress');
				const current = page.locator('h2', { hasText: '年度目标完成情况' });
				assert.equal(await text(current), `${now.year} 年度目标完成情况`);
				const table = page.locator('table.data').first();
				const planIndicators = plan.indicators.filter((i) => i.kind === 'plan').map((i) => i.name);
				const rowNames = await table.locator('tbody th[scope="row"]').allInnerTexts();
				assert.deepEqual(rowNames.map((n) => n.trim()), planIndicators);
				const area = table.locator('tr[data-indicator="area_added"]');
				assert.equal(await text(area.locator('th')), '新增孵化场地面积');
				const status = await text(area.locator('.status'));
				assert.ok(STATUSES.includes(status), `status "${status}"`);
				const apiArea = now.indicators.find((i) => i.indicator === 'area_added');
				assert.equal(status, apiArea.status_zh);

				// The year tabs: one per plan year, the shown year current.
				const tabs = page.locator('nav.tabs[aria-label="年度"] a');
				assert.deepEqual((await tabs.allInnerTexts()).map((t) => t.trim()), plan.years.map((y) => `${y} 年`));
				assert.equal(await text(page.locator('nav.tabs a[aria-current="true"]')), `${now.year} 年`);
				await assertPhoneLayout(s, '总览');

				// 2023: the heading, and the area figure the API computes, formatted as the page does.
				await Promise.all([page.waitForURL(/\?year=2023$/), s.press(tabs.filter({ hasText: '2023 年' }))]);
				assert.ok(await page.getByRole('heading', { name: '2023 年度目标完成情况' }).isVisible());
				assert.equal(await text(page.locator('nav.tabs a[aria-current="true"]')), '2023 年');
				const p2023 = await apiGet(s, '/api/v1/progress?year=2023');
				const a2023 = p2023.indicators.find((i) => i.indicator === 'area_added');
				const row = page.locator('table.data').first().locator('tr[data-indicator="area_added"]');
				assert.equal(await text(row.locator('td.actual')), fmtQuantity(a2023.actual, a2023.unit));
				assert.equal(await text(row.locator('td').first()), fmtQuantity(a2023.target, a2023.unit));
				assert.equal(await text(row.locator('.status')), a2023.status_zh);
				assert.match(fmtQuantity(a2023.actual, a2023.unit), /^\d+(\.\d{1,2})? 万㎡$/);
				await assertPhoneLayout(s, '总览 2023');
				await s.shot('office-overview-2023');

				// 区域 → 飞云街道: its bases, as the API lists them.
				await Promise.all([page.waitForURL('**/areas'), s.press(page.locator('header nav a', { hasText: '区域' }))]);
				assert.equal(await text(page.locator('h1')), '区域');
				await assertPhoneLayout(s, '区域');
				await Promise.all([page.waitForURL('**/areas/feiyun'), s.press(page.getByRole('link', { name: '飞云街道' }))]);
				assert.equal(await text(page.locator('h1')), '飞云街道');
				const feiyun = await apiGet(s, '/api/v1/areas/feiyun');
				assert.ok(feiyun.bases.length >= 2, 'the demo data has bases in 飞云街道');
				assert.equal(await text(page.locator('h2', { hasText: '孵化基地' })), `孵化基地（${feiyun.bases.length}）`);
				const listed = await page.locator('table#bases tbody th a').allInnerTexts();
				assert.deepEqual(listed.map((n) => n.trim()).sort(), feiyun.bases.map((b) => b.name).sort());
				for (const b of feiyun.bases)
					assert.equal(await page.locator('table#bases a', { hasText: b.name }).getAttribute('href'), `/bases/${b.id}`);
				await assertPhoneLayout(s, '飞云街道');
				await s.shot('office-feiyun');

				// 比较: the areas on 新增孵化场地面积 in 2023; open the most lagging one.
				await page.goto('/?year=2023');
				await Promise.all([page.waitForURL('**/compare**'), s.press(page.getByRole('link', { name: '各区域比较 →' }))]);
				assert.equal(await text(page.locator('h1')), '区域比较');
				await assertPhoneLayout(s, '区域比较');
				const lagging = page.locator('table#compare tbody tr', { has: page.locator('span.status.at_risk') });
				assert.ok(await lagging.count() > 0, 'some area is 严重滞后 in 2023');
				const last = lagging.last();
				const areaName = await text(last.locator('th a'));
				const shownActual = await text(last.locator('td').nth(2)); // 状态, 完成率, 完成
				await s.shot('office-compare-2023');
				await Promise.all([page.waitForURL('**/areas/**'), s.press(last.locator('th a'))]);
				assert.equal(await text(page.locator('h1')), areaName);
				const areaRow = page.locator('tr[data-indicator="area_added"]');
				// the same figure (the comparison writes its column in one unit, 万㎡ when any area passes 10,000 ㎡)
				assert.equal(parseQuantity(await text(areaRow.locator('td.actual'))), parseQuantity(shownActual),
					`the area page shows the figure the comparison did (${shownActual})`);
				assert.equal(await text(areaRow.locator('span.status')), '严重滞后');
				await assertPhoneLayout(s, `${areaName} from 比较`);
			}));

		test(`area reporter: edits a 飞云 base, is refused a 仙降 base (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				await login(s, 'fy-reporter', USER_PASSWORD);
				assert.equal(path(page), '/workbench');
				assert.match(await text(page.locator('header .who')), s.isPhone ? /fy-reporter/ : /fy-reporter · 镇街、功能区填报员 · 飞云街道/);

				// Opens base 10 from its area's page.
				const b10 = await apiGet(s, '/api/v1/bases/10');
				assert.equal(b10.area, 'feiyun');
				assert.equal(b10.review_status, 'approved');
				await page.goto('/areas/feiyun');
				await Promise.all([page.waitForURL('**/bases/10'), s.press(page.getByRole('link', { name: b10.name }))]);
				assert.equal(await text(page.locator('h1')), b10.name);
				assert.equal(await text(addressShown(page)), b10.address ?? '—');
				await assertPhoneLayout(s, 'base 10');

				// Edits its address and saves.
				const address = `温州市瑞安市飞云街道示例路 ${viewport === 'phone' ? 88 : 66} 号(${Date.now() % 100000})`;
				await Promise.all([page.waitForURL('**/bases/10/edit'), s.press(page.locator('main a[href="/bases/10/edit"]'))]);
				assert.match(await text(page.locator('h1')), /编辑/);
				const field = page.getByLabel('地址', { exact: true });
				assert.equal(await field.inputValue(), b10.address ?? '');
				await field.fill(address);
				await assertPhoneLayout(s, 'edit base 10');
				await Promise.all([
					page.waitForURL((u) => u.pathname === '/bases/10'),
					s.press(page.locator('form[action="/bases/10/edit"] button[type="submit"]')),
				]);

				// An approved base's change waits for the office: the page says so and
				// shows the new address in the proposed change; the record stays as it was.
				// The first viewport's run ends with a PATCH of the contact that is still
				// waiting: the second run's save joins it (one proposal per reporter and
				// record), and the page says so.
				const joins = viewport !== VIEWPORT_NAMES[0];
				assert.equal(new URL(page.url()).searchParams.get('saved'), joins ? 'merged' : 'proposed');
				assert.match(await text(page.getByRole('status')), joins ? /合并为一条，等待市专班审核/ : /修改已提交，等待市专班审核/);
				const proposal = page.locator('section.change', { hasText: address });
				assert.ok(await proposal.isVisible(), 'the proposed change shows the new address');
				assert.equal(await page.locator('section.change').count(), 1, 'one proposal of this reporter');
				if (joins) assert.match(await text(proposal), new RegExp(`飞云填报员 ${VIEWPORT_NAMES[0]}`));
				assert.equal(await text(addressShown(page)), b10.address ?? '—');
				await s.shot('reporter-proposed');

				// The office approves it (its own session, same kind of device) ...
				const office = await openPage(browser, viewport, server.baseURL);
				try {
					await login(office, 'admin', ADMIN_PASSWORD);
					await office.page.goto('/bases/10');
					const card = office.page.locator('section.change', { hasText: address });
					assert.match(await text(card), /fy-reporter/);
					await assertPhoneLayout(office, 'base 10 with a proposed change (office)');
					await Promise.all([
						office.page.waitForURL((u) => u.pathname === '/review'),
						office.press(card.getByRole('button', { name: '通过' })),
					]);
					assert.ok(new URL(office.page.url()).searchParams.get('done'), 'the review page says what was done');
					office.assertClean();
					await reportKnownBugs(t, office, 'office');
				} finally {
					await office.close();
				}

				// ... and the reporter sees the new address on the base page.
				await page.goto('/bases/10');
				assert.equal(await text(addressShown(page)), address);
				const approved = await apiGet(s, '/api/v1/bases/10');
				assert.equal(approved.address, address);
				if (joins) assert.equal(approved.contact, `飞云填报员 ${VIEWPORT_NAMES[0]}`, 'the joined contact came with it');
				await assertPhoneLayout(s, 'base 10 after approval');
				await s.shot('reporter-base');

				// Types the address of a 仙降街道 base's edit page: refused.
				const b13 = await apiGet(s, '/api/v1/bases/13');
				assert.equal(b13.area, 'xianjiang');
				s.expectStatus(403, /^\/bases\/13\/edit$/);
				const res = await page.goto('/bases/13/edit');
				assert.equal(res.status(), 403);
				assert.equal(await text(page.locator('h1')), '无权访问');
				assert.ok(await page.getByText('不属于您的辖区').isVisible(), 'the refusal says why');
				assert.equal(await page.locator('form[action="/bases/13/edit"]').count(), 0);
				assert.equal(await page.getByLabel('地址', { exact: true }).count(), 0);
				await assertPhoneLayout(s, '403');
				await s.shot('reporter-refused');

				// Its public page offers no edit link.
				await page.goto('/bases/13');
				assert.equal(await text(page.locator('h1')), b13.name);
				assert.equal(await page.locator('a[href="/bases/13/edit"]').count(), 0);

				// The API refuses the change too (with a valid CSRF token: the scope is
				// what says no), while the same call on its own base is taken.
				const { csrf_token: csrf } = await apiGet(s, '/api/v1/session');
				const patch = (id, body) => s.context.request.patch(`/api/v1/bases/${id}`, {
					headers: { 'X-CSRF-Token': csrf, Origin: server.baseURL }, data: body,
				});
				const refused = await patch(13, { address: '不该写入' });
				assert.equal(refused.status(), 403);
				assert.equal((await refused.json()).error.code, 'forbidden_scope');
				assert.equal((await apiGet(s, '/api/v1/bases/13')).address, b13.address);
				const own = await patch(10, { contact: `飞云填报员 ${viewport}` });
				assert.ok([200, 202].includes(own.status()), `PATCH own base: ${own.status()} ${await own.text()}`);
			}));

		test(`generated password: must be changed before 总览 (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				const name = `newcomer-${viewport}`;
				const initial = server.passwords[name];
				assert.match(initial, /^\S{8,}$/);
				await login(s, name, initial);

				// Sent to 修改密码, and kept there.
				assert.equal(path(page), '/password');
				assert.equal(await text(page.locator('h1')), '修改密码');
				assert.match(await text(page.getByRole('alert')), /系统生成的初始密码/);
				await page.goto('/');
				assert.equal(path(page), '/password');
				await assertPhoneLayout(s, '修改密码');

				// Sets a new one.
				const fresh = `Hatch-${viewport}-own-2025`;
				await page.getByLabel('当前密码').fill(initial);
				await page.getByLabel(/^新密码/).fill(fresh);
				await page.getByLabel('再次输入新密码').fill(fresh);
				await Promise.all([
					page.waitForURL((u) => u.pathname === '/workbench'),
					s.press(page.getByRole('button', { name: '保存' })),
				]);
				await page.waitForLoadState('load');
				// On to 工作台, the home, with the change confirmed (not a blank form).
				assert.equal(path(page), '/workbench');
				assert.equal(await page.getByRole('alert').count(), 0, 'no error');
				assert.match(await text(page.getByRole('status')), /密码已修改/);
				assert.equal(await text(page.locator('h1')), '工作台');
				await assertPhoneLayout(s, '工作台 after password change');
				await s.shot('password-changed');

				// Now reaches 总览.
				await Promise.all([page.waitForURL((u) => u.pathname === '/'),
					s.press(page.locator('header nav').getByRole('link', { name: '总览', exact: true }))]);
				assert.match(await text(page.locator('h1')), /总览/);
				assert.ok(await page.locator('table.data tr[data-indicator="area_added"]').isVisible());
				await assertPhoneLayout(s, '总览 after password change');

				// The new password is the one that works from now on.
				const relog = await s.context.request.post('/api/v1/session', {
					headers: { Origin: server.baseURL }, data: { user: name, password: fresh },
				});
				assert.equal(relog.status(), 200);
				assert.equal((await relog.json()).user.must_change, false);
			}));

		test(`anonymous: /areas/feiyun asks for a login, then opens (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				await page.goto('/areas/feiyun');
				assert.equal(path(page), '/login');
				assert.equal(new URL(page.url()).searchParams.get('next'), '/areas/feiyun');
				assert.equal(await text(page.locator('h1')), '登录');
				assert.equal(await page.locator('form[action="/login"] input[name="next"]').inputValue(), '/areas/feiyun');
				assert.ok(await page.getByLabel('用户名').isVisible());
				await assertPhoneLayout(s, 'login with next');
				await s.shot('anonymous-login');

				await login(s, 'leader', USER_PASSWORD);
				assert.equal(path(page), '/areas/feiyun');
				assert.equal(await text(page.locator('h1')), '飞云街道');
				assert.match(await text(page.locator('header .who')), s.isPhone ? /leader/ : /leader · 领导小组（只读）/);
				assert.ok((await page.locator('table#bases tbody tr').count()) >= 2);
				await assertPhoneLayout(s, '飞云街道 after login');
			}));
	});
}
