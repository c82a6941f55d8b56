/*
 * phone.test.mjs — every page a town reporter or a leader uses, at 390×844
 * (UI.md "Phone"): the page body never scrolls sideways, chart text is at
 * least 12 px, tap targets at least 44 px, header and demo label under
 * 120 px (harness.mjs phoneLayoutProblems), lists are cards with the status
 * in view, and no English or ISO time in the visible text. Also the
 * reporter's journey of issue 15: the office returns a record, the
 * reporter sees it with the reason on 工作台, fixes it and resubmits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiLogin, apiSend, login, openPage, phoneLayoutProblems, startServerAndBrowser,
} from './harness.mjs';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'fy-phone', role: 'area', scope: 'feiyun' },
			{ name: 'leader-phone', role: 'viewer' },
		],
	}));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const REPORTER_PAGES = ['/workbench', '/', '/areas', '/areas/feiyun', '/bases', '/bases/10', '/bases/10/edit',
	'/bases/new', '/bases/10/evaluation', '/bases/10/figures', '/bases/10/recognitions', '/recognitions', '/compare',
	'/plan', '/targets', '/progress/area_added', '/evaluation', '/operators', '/funds', '/firms', '/password'];
const LEADER_PAGES = ['/workbench', '/', '/?year=2023', '/areas', '/areas/tangxia', '/compare', '/compare?indicator=race_investment',
	'/evaluation', '/bases', '/plan', '/targets', '/bases/10/evaluation'];

/* Visible words of the page that are English (two Latin letters or more
 * not part of a number, a unit or an accepted abbreviation), and ISO times. */
async function foreignText(page) {
	return page.evaluate(() => {
		const text = document.body.innerText;
		const out = [];
		const ok = new Set(['USCC', 'Excel', 'CSV', 'xlsx', 'csv', 'API', 'WPS']);
		for (const m of text.matchAll(/[A-Za-z][A-Za-z-]+/g)) {
			if (!ok.has(m[0]) && !/^(fy|leader)-phone$/.test(m[0]) && !/^(fy|leader|phone)$/.test(m[0])) out.push(m[0]);
		}
		for (const m of text.matchAll(/\d{4}-\d\d-\d\dT\d\d:\d\d/g)) out.push(m[0]);
		return [...new Set(out)];
	});
}

for (const [who, pages] of [['fy-phone', REPORTER_PAGES], ['leader-phone', LEADER_PAGES]]) {
	describe(`phone 390×844 as ${who}`, () => {
		let s;
		before(async () => {
			s = await openPage(browser, 'phone', server.baseURL);
			await login(s, who, USER_PASSWORD);
			assert.equal(new URL(s.page.url()).pathname, '/workbench', 'lands on 工作台');
		});
		after(async () => { await s?.close(); });
		for (const path of pages) {
			test(`${path}: no sideways scroll, legible charts, 44 px targets, short header`, async () => {
				const res = await s.page.goto(path);
				assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
				assert.deepEqual(await phoneLayoutProblems(s.page), [], `phone layout of ${path}`);
			});
		}
		test('the overview\'s status is in view without scrolling sideways', async () => {
			await s.page.goto('/');
			const cell = s.page.locator('table.data tr[data-indicator="area_added"] .status').first();
			const box = await cell.boundingBox();
			assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `状态 at x ${box?.x}`);
		});
	});
}

describe('phone: a returned record on 工作台, fixed and resubmitted', () => {
	test('the reporter sees the reason, fixes the record and resubmits without sideways scrolling', async () => {
		const office = await openPage(browser, 'desktop', server.baseURL);
		const s = await openPage(browser, 'phone', server.baseURL);
		try {
			// The reporter registers a base; the office returns it with a reason.
			await apiLogin(s, server.baseURL, 'fy-phone', USER_PASSWORD);
			const created = await apiSend(s, 'POST', '/api/v1/bases', {
				name: '示例·飞云手机退回测试空间', kind: 'maker_space', area: 'feiyun', status: 'operating',
				opened_on: '2024-05-06', total_area_m2: 1800, incubation_area_m2: 1200,
			});
			assert.equal(created.status(), 201, await created.text());
			const { id } = await created.json();
			await apiLogin(office, server.baseURL, 'admin', ADMIN_PASSWORD);
			const back = await apiSend(office, 'POST', `/api/v1/bases/${id}/review`, { action: 'return', note: '请补充运营地址' });
			assert.equal(back.status(), 200, await back.text());

			// 工作台 shows it, with the reason and a count in the navigation.
			const { page } = s;
			await page.goto('/workbench');
			assert.equal(new URL(page.url()).pathname, '/workbench');
			const card = page.locator('#work-returned li', { hasText: '示例·飞云手机退回测试空间' });
			assert.match(await card.innerText(), /请补充运营地址/);
			assert.match(await page.locator('header nav a[href="/workbench"] .count').innerText(), /^\d+$/);
			assert.deepEqual(await phoneLayoutProblems(page), [], '工作台 on the phone');
			assert.deepEqual(await foreignText(page), [], 'no English on 工作台');

			// Fixes it and resubmits.
			await Promise.all([page.waitForURL(`**/bases/${id}/edit`), card.getByRole('link', { name: '修改后重新提交' }).tap()]);
			assert.deepEqual(await phoneLayoutProblems(page), [], 'the edit form on the phone');
			await page.locator('#f-address').fill('温州市瑞安市飞云街道创业路 6 号');
			await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/edit')),
				page.locator('main form button[type="submit"]').first().tap()]);
			assert.deepEqual(await phoneLayoutProblems(page), [], 'after saving');
			await page.goto('/workbench');
			assert.equal(await page.locator('#work-returned li', { hasText: '示例·飞云手机退回测试空间' }).count(), 0,
				'resubmitted: no longer waiting for the reporter');
			s.assertClean();
		} finally {
			await s.close();
			await office.close();
		}
	});
});
