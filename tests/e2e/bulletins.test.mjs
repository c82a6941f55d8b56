// bulletins.test.mjs — 通报 in a browser, issue #17's Done-when: the office
// goes from the ranking to 通报, makes November's bulletin, edits its last
// paragraph, publishes it; new records of November arrive (a week later);
// the published bulletin shows the same text while a new draft reads the
// new figures; a town reporter finds it on 工作台 on a phone and reads it
// there without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiGet, apiSend, assertPhoneLayout, login, openPage, reportKnownBugs,
	startServerAndBrowser, textOf,
} from './harness.mjs';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({ users: [{ name: 'fy-reporter', role: 'area', scope: 'feiyun' }] }));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

/* Presses a button or link and waits for the page the server answers with. */
async function submit(s, locator) {
	await Promise.all([s.page.waitForEvent('framenavigated', (f) => f === s.page.mainFrame()), s.press(locator)]);
	await s.page.waitForLoadState('load');
}

describe('bulletins', () => {
	test('the office makes November\'s bulletin, edits its last paragraph, publishes it; it stays as published', async (t) => {
		const s = await openPage(browser, 'desktop', server.baseURL);
		try {
			const { page } = s;
			await login(s, 'admin', ADMIN_PASSWORD);
			// from the ranking (六比竞赛) where it exists, else the comparison of areas
			s.expectStatus(404, /^\/competition$/);
			const ranking = await page.goto('/competition?period=2024-11');
			if (ranking.status() === 404) await page.goto('/compare');
			await submit(s, page.locator('header.top nav').getByRole('link', { name: '通报' }));
			assert.equal(new URL(page.url()).pathname, '/bulletins');

			const make = page.locator('#make');
			await make.getByLabel(/通报月份/).fill('2024-11');
			await make.getByLabel(/数据截至/).fill('2024-11-30');
			await make.getByLabel(/文号/).fill('瑞孵办〔2024〕31号');
			await submit(s, make.getByRole('button', { name: '生成草稿' }));
			assert.match(new URL(page.url()).pathname, /^\/bulletins\/\d+$/);
			const article = page.locator('article.bulletin');
			assert.equal(await textOf(article.locator('h1.b-title')), '关于2024年11月全市大孵化集群建设进展情况的通报');
			assert.equal(await textOf(article.locator('.b-number')), '瑞孵办〔2024〕31号');
			assert.match(await textOf(article), /位列前三的是/);
			assert.ok(await article.locator('figure.b-table table').count() >= 2, 'the ranking tables by group');

			// the last paragraph, edited
			await submit(s, page.getByRole('link', { name: '修改段落' }));
			const boxes = page.locator('form textarea');
			const n = await boxes.count();
			assert.ok(n >= 3);
			const mine = '（三）请各地于12月10日前将整改措施和完成时限报送市专班办公室。';
			await boxes.nth(n - 1).fill(mine);
			await submit(s, page.getByRole('button', { name: '保存' }));
			assert.equal(await textOf(article.locator('.b-para[data-key]').last()), mine);

			// published: frozen
			await submit(s, page.getByRole('button', { name: '印发' }));
			assert.match(await textOf(page.locator('.b-meta')), /已印发/);
			assert.match(await textOf(page.locator('code.hash')), /^[0-9a-f]{64}$/);
			assert.equal(await page.getByRole('button', { name: '印发' }).count(), 0);
			const frozen = await textOf(article);
			const url = page.url();
			const id = Number(new URL(url).pathname.split('/').pop());
			const before = await apiGet(s, `/api/v1/bulletins/${id}`);

			// a week later: new records of November
			for (const [name, day, size] of [['飞云通报测试天使基金', '2024-11-20', 50000000], ['飞云通报测试创投基金', '2024-11-22', 80000000]]) {
				const res = await apiSend(s, 'POST', '/api/v1/funds', {
					name, stage: 'angel', size_yuan: size, origin: 'new', established_on: day, area: 'feiyun',
				});
				assert.ok(res.status() === 201 || res.status() === 200, `fund: ${res.status()} ${await res.text()}`);
			}
			await page.goto(url);
			assert.equal(await textOf(article), frozen, 'the published bulletin shows the same numbers');
			const afterwards = await apiGet(s, `/api/v1/bulletins/${id}`);
			assert.equal(afterwards.content_sha256, before.content_sha256);
			assert.deepEqual(afterwards.content, before.content);
			// a new draft of the same month reads the new figures
			const res = await apiSend(s, 'POST', '/api/v1/bulletins', { period: '2024-11', as_of: '2024-11-30' });
			assert.equal(res.status(), 201);
			const draft = await res.json();
			assert.notDeepEqual(draft.content, before.content);
			// the downloads are there
			for (const f of ['pdf', 'docx', 'xlsx']) {
				const r = await s.context.request.get(`/bulletins/${id}/file/${f}`);
				assert.equal(r.status(), 200, f);
				assert.ok((await r.body()).length > 1000, f);
			}
			s.assertClean();
			await reportKnownBugs(t, s);
		} finally {
			await s.close();
		}
	});

	test('a town reporter reads the published bulletin from 工作台 on a phone', async (t) => {
		const s = await openPage(browser, 'phone', server.baseURL);
		try {
			const { page } = s;
			await login(s, 'fy-reporter', USER_PASSWORD);
			if (new URL(page.url()).pathname !== '/workbench') await page.goto('/workbench');
			const work = page.locator('#work-bulletins');
			assert.match(await textOf(work), /关于2024年11月全市大孵化集群建设进展情况的通报/);
			await assertPhoneLayout(s, '工作台 with bulletins');
			await submit(s, work.getByRole('link', { name: /关于2024年11月/ }).first());
			assert.match(await textOf(page.locator('article.bulletin h1.b-title')), /关于2024年11月/);
			assert.equal(await page.getByRole('button', { name: '印发' }).count(), 0);
			await assertPhoneLayout(s, 'a bulletin');
			s.assertClean();
			await reportKnownBugs(t, s);
		} finally {
			await s.close();
		}
	});
});
