/*
 * competition.test.mjs — the 六比竞赛 ranking as a leader reads it on a
 * phone (390×844): cards, no sideways scroll, 44 px targets; the period
 * chosen in the form; the progress ranking; a figure opens the records
 * behind it and they add up to it. A town reporter lands on its own group
 * with its card marked and open. The office's assessment and its .xlsx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, login, openPage, parseQuantity, phoneLayoutProblems, startServerAndBrowser,
} from './harness.mjs';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'leader-rank', role: 'viewer' },
			{ name: 'fy-rank', role: 'area', scope: 'feiyun' },
		],
	}));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

describe('competition on a phone', () => {
	test('a leader reads the ranking, switches period and view, and opens a figure\'s records', async () => {
		const s = await openPage(browser, 'phone', server.baseURL);
		try {
			await login(s, 'leader-rank', USER_PASSWORD);
			const { page } = s;
			await page.goto('/competition?period=2024-11&as_of=2024-11-30');
			assert.match(await page.locator('h1').innerText(), /六比竞赛排名/);
			const cards = page.locator('#ranking > li.rank-card');
			assert.equal(await cards.count(), 5, 'the five 功能区');
			// ranks in order, each card with its arrow
			const ranks = await page.locator('#ranking .rank-no').allInnerTexts();
			const nums = ranks.map(Number);
			assert.deepEqual([...nums].sort((a, b) => a - b), nums, `ranks in order: ${ranks}`);
			assert.equal(await page.locator('#ranking .move').count(), 5);
			assert.deepEqual(await phoneLayoutProblems(page), [], 'the ranking on the phone');

			// the towns, by progress
			await Promise.all([page.waitForURL(/group=towns/), page.getByRole('link', { name: '镇街' }).tap()]);
			await Promise.all([page.waitForURL(/view=progress/), page.getByRole('link', { name: '进步排名' }).tap()]);
			assert.match(await page.locator('main h2').first().innerText(), /镇街进步排名（20 个）/);
			assert.deepEqual(await phoneLayoutProblems(page), [], 'the progress ranking on the phone');

			// another period through the form
			await page.locator('select[name="period"]').selectOption('2024-Q3');
			await Promise.all([page.waitForURL(/period=2024-Q3/), page.locator('form.rank-filters button').tap()]);
			assert.match(await page.locator('.lead').innerText(), /2024年第三季度/);

			// a figure opens its records, which add up to it
			await page.goto('/competition?period=2024&as_of=2024-12-31');
			const first = cards.first();
			await first.locator('summary').tap();
			const link = first.locator('a.fig').nth(3); // 新增科创项目(团队)数
			const shown = parseQuantity(await link.innerText());
			await Promise.all([page.waitForURL(/\/progress\/race_projects/), link.tap()]);
			assert.equal(parseQuantity(await page.locator('#total').innerText()), shown, 'the records add up to the figure');
			assert.deepEqual(await phoneLayoutProblems(page), [], 'the records on the phone');
			s.assertClean();
		} finally {
			await s.close();
		}
	});

	test('a town reporter lands on its own group, its card marked and open, its rank on 工作台', async () => {
		const s = await openPage(browser, 'phone', server.baseURL);
		try {
			await login(s, 'fy-rank', USER_PASSWORD);
			const { page } = s;
			assert.match(await page.locator('#work-competition').innerText(), /镇街第 \d+ 名/);
			await page.goto('/competition?period=2024-11&as_of=2024-11-30');
			const mine = page.locator('#ranking li.mine');
			assert.equal(await mine.count(), 1);
			assert.match(await mine.innerText(), /飞云街道/);
			assert.equal(await mine.locator('details').getAttribute('open'), '');
			assert.match(await page.locator('.mine-note').innerText(), /飞云街道：镇街第 \d+ 名/);
			assert.deepEqual(await phoneLayoutProblems(page), [], 'the reporter\'s ranking on the phone');
			s.assertClean();
		} finally {
			await s.close();
		}
	});
});

describe('assessment', () => {
	test('the office reads the scores and downloads the table for the 考绩办', async () => {
		const s = await openPage(browser, 'desktop', server.baseURL);
		try {
			await login(s, 'admin', ADMIN_PASSWORD);
			const { page } = s;
			await page.goto('/assessment?year=2024&as_of=2024-12-31');
			assert.match(await page.locator('h1').innerText(), /2024 年度/);
			assert.equal(await page.locator('#assess-zones tbody tr').count(), 5);
			assert.equal(await page.locator('#assess-towns tbody tr').count(), 20);
			const [download] = await Promise.all([page.waitForEvent('download'),
				page.getByRole('link', { name: /导出 Excel/ }).click()]);
			assert.match(download.suggestedFilename(), /考核得分.*\.xlsx$/);
			s.assertClean();
		} finally {
			await s.close();
		}
	});
});
