// events.test.mjs — events and the roadshow pipeline in a browser: the
// roadshow page shows, per roadshow, which projects and investments it
// brought, each linked to its registry record (checked against the API);
// the office registers a project at a roadshow on a desktop, records its
// presentation and the investment it then received, and the roadshow page
// counts it; a town reporter reads its own roadshow's pipeline on a phone
// (390x844, nothing scrolls sideways) and records a step there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiGet, assertPhoneLayout, login, openPage, reportKnownBugs, startServerAndBrowser,
	textOf,
} from './harness.mjs';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [{ name: 'fy-reporter', role: 'area', scope: 'feiyun' }],
	}));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

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

/* Presses a button and waits for the page the server answers with. */
async function submit(s, button) {
	await Promise.all([s.page.waitForEvent('framenavigated', (f) => f === s.page.mainFrame()), s.press(button)]);
	await s.page.waitForLoadState('load');
}

/* The funnel line of a section as numbers: [registered, presented, interest, diligence, invested, settled]. */
async function funnel(locator) {
	const nums = await locator.locator('p.funnel strong').allTextContents();
	return nums.slice(0, 6).map(Number);
}

describe('events and roadshows', () => {
	test('the roadshow page shows what each roadshow brought, traced to the registry', (t) =>
		journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', ADMIN_PASSWORD);
			await page.goto('/roadshows');
			const first = page.locator('section.roadshow', { hasText: '示例·大孵化集群常态化路演（第一期）' });
			await first.waitFor();
			const [registered, presented, , , invested, settled] = await funnel(first);
			assert.equal(registered, 7);
			assert.equal(presented, 6);
			assert.equal(invested, 2);
			assert.equal(settled, 1);
			// each investment it brought links to the registry's record, whose investee is the project
			const investments = first.locator('ul.brought-investments li');
			assert.equal(await investments.count(), 2);
			for (let i = 0; i < 2; i++) {
				const item = investments.nth(i);
				const href = await item.locator('a').getAttribute('href');
				assert.match(href, /^\/investments\/\d+$/);
				const rec = await apiGet(s, `/api/v1${href}`);
				assert.equal(rec.investee, await textOf(item.locator('.title')));
			}
			const projects = first.locator('ul.brought-projects li a');
			assert.equal(await projects.count(), 1);
			const project = await apiGet(s, `/api/v1${await projects.first().getAttribute('href')}`);
			assert.ok(project.name);
			// every roadshow of the sample brought something
			for (const name of ['示例·飞云青年创业专场路演', '示例·塘下智造专场路演']) {
				const sec = page.locator('section.roadshow', { hasText: name });
				assert.ok((await sec.locator('ul.brought-investments li, ul.brought-projects li').count()) >= 1, name);
			}
		}));

	test('the office records a roadshow project through to its investment', (t) =>
		journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', ADMIN_PASSWORD);
			const list = await apiGet(s, '/api/v1/events?kind=roadshow');
			const ev = list.items.find((e) => e.name === '示例·塘下智造专场路演');
			assert.ok(ev, 'the sample roadshow of 塘下');
			const before = ev.funnel;
			await page.goto(`/events/${ev.id}`);
			// register a project and present it on the day of the roadshow
			const add = page.locator('#add-project');
			if (!(await add.getAttribute('open'))) await add.locator('summary').click();
			await add.getByLabel('项目名称').fill('浏览器测试项目');
			await add.getByLabel('负责人或团队').fill('测试团队');
			await add.getByLabel('报名日期').fill('2024-09-01');
			await add.getByLabel('路演日期（已路演时填写）').fill(ev.starts_on);
			await submit(s, add.getByRole('button', { name: '登记' }));
			const row = page.locator('#pipeline tr[data-project="浏览器测试项目"]');
			assert.equal(await textOf(row.locator('td.status-cell')), '路演');
			// an investment of the registry made after the roadshow, not yet any event's
			await row.locator('details.step summary').click();
			const pick = row.locator('select[name="investment_id"] option:not([value=""])').first();
			const investmentId = await pick.getAttribute('value');
			await row.locator('select[name="step"]').selectOption('invested');
			await row.locator('select[name="investment_id"]').selectOption(investmentId);
			await submit(s, row.getByRole('button', { name: '记录' }));
			const done = page.locator('#pipeline tr[data-project="浏览器测试项目"]');
			assert.equal(await textOf(done.locator('td.status-cell')), '获得投资');
			assert.equal(await done.locator('td.outcome a').getAttribute('href'), `/investments/${investmentId}`);
			// the roadshow page counts it, and lists it among what the roadshow brought
			await page.goto('/roadshows');
			const sec = page.locator('section.roadshow', { hasText: '示例·塘下智造专场路演' });
			const after = await funnel(sec);
			assert.equal(after[0], before.registered + 1);
			assert.equal(after[1], before.presented + 1);
			assert.equal(after[4], before.invested + 1);
			const item = sec.locator('ul.brought-investments li', { hasText: '浏览器测试项目' });
			assert.equal(await item.locator('a').getAttribute('href'), `/investments/${investmentId}`);
			// traced back through the API: the event's project names the investment
			const one = await apiGet(s, `/api/v1/events/${ev.id}`);
			const p = one.projects.find((x) => x.name === '浏览器测试项目');
			assert.equal(p.stage, 'invested');
			assert.equal(String(p.investment.id), investmentId);
		}));

	test('a town reporter works its own roadshow on a phone', (t) =>
		journey(t, 'phone', async (s) => {
			const { page } = s;
			await login(s, 'fy-reporter', USER_PASSWORD);
			await page.goto('/roadshows');
			await assertPhoneLayout(s, '路演转化 (area)');
			await page.goto('/events');
			await assertPhoneLayout(s, '活动与路演 (area)');
			await submit(s, page.locator('#events a', { hasText: '示例·飞云青年创业专场路演' }));
			await assertPhoneLayout(s, 'the roadshow (area)');
			const row = page.locator('#pipeline tr[data-project="示例·鞋服设计项目"]');
			assert.equal(await textOf(row.locator('td.status-cell')), '投资意向');
			await s.press(row.locator('details.step summary'));
			await assertPhoneLayout(s, 'the step form open (area)');
			await row.locator('select[name="step"]').selectOption('diligence');
			await row.getByLabel('日期（获得投资、落地入驻以登记库日期为准）').fill('2024-05-06');
			await submit(s, row.getByRole('button', { name: '记录' }));
			const again = page.locator('#pipeline tr[data-project="示例·鞋服设计项目"]');
			assert.equal(await textOf(again.locator('td.status-cell')), '尽职调查');
			await assertPhoneLayout(s, 'the roadshow after the step (area)');
			// the city's roadshow is the reporter's to read, not to change
			const city = (await apiGet(s, '/api/v1/events?kind=roadshow')).items.find((e) => !e.area);
			await page.goto(`/events/${city.id}`);
			assert.equal(await page.locator('details.step').count(), 0);
			assert.equal(await page.locator('#add-project').count(), 0);
		}));
});
