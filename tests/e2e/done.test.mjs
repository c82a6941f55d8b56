/*
 * done.test.mjs — issue 15's "Done when", in a browser, each step as a
 * person takes it (no API shortcuts but to set the scene):
 *   1. a town reporter on a phone (390×844) logs in through the form, sees on
 *      工作台 the record the office returned (through 审核) with its reason,
 *      fixes it and resubmits, never scrolling sideways nor meeting a word
 *      of English;
 *   2. a leader opens the overview on a phone and reads which areas are
 *      behind: 状态 in view without scrolling sideways;
 *   3. the office prints the overview: page 1 of the PDF carries the issuing
 *      unit, the date and the page numbers.
 * And the smaller habits of item 10: after the forced password change the
 * user lands on 工作台; a skip link leads past the menu; after a form error
 * the first bad field has the focus.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiLogin, apiSend, login, openPage, phoneLayoutProblems, startServerAndBrowser,
} from './harness.mjs';

const run = promisify(execFile);
let server;
let browser;
let dir;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'fy-done', role: 'area', scope: 'feiyun' },
			{ name: 'leader-done', role: 'viewer' },
			{ name: 'new-done', role: 'area', scope: 'feiyun', password: null }, // a generated password
		],
	}));
	dir = mkdtempSync(join(tmpdir(), 'hatchery-done-'));
});

after(async () => {
	await browser?.close();
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/* Visible English words and ISO times on the page (user names excepted). */
async function english(page) {
	return page.evaluate(() => {
		const ok = new Set(['USCC', 'Excel', 'WPS', 'CSV', 'csv', 'xlsx']);
		const text = document.body.innerText;
		const out = [];
		// user names are what people chose: shown as they are
		for (const n of ['admin', 'fy-done', 'leader-done', 'new-done']) ok.add(n);
		for (const m of text.matchAll(/[A-Za-z][A-Za-z-]+/g)) if (!ok.has(m[0])) out.push(m[0]);
		for (const m of text.matchAll(/\d{4}-\d\d-\d\dT\d\d:\d\d/g)) out.push(m[0]);
		return [...new Set(out)];
	});
}

async function clean(page, where) {
	assert.deepEqual(await phoneLayoutProblems(page), [], `phone layout: ${where}`);
	assert.deepEqual(await english(page), [], `no English: ${where}`);
}

test('a town reporter on a phone: the returned record on 工作台, fixed and resubmitted', async () => {
	const NAME = '示例·飞云完成标准测试空间';
	const REASON = '请补充运营地址后重新提交';
	// The scene: the reporter registered a base; the office returns it in 审核 (its page, desktop).
	const setup = await openPage(browser, 'phone', server.baseURL);
	await apiLogin(setup, server.baseURL, 'fy-done', USER_PASSWORD);
	const created = await apiSend(setup, 'POST', '/api/v1/bases', {
		name: NAME, kind: 'maker_space', area: 'feiyun', status: 'operating', opened_on: '2024-05-06',
		total_area_m2: 1800, incubation_area_m2: 1200,
	});
	assert.equal(created.status(), 201, await created.text());
	const { id } = await created.json();
	await setup.close();

	const office = await openPage(browser, 'desktop', server.baseURL);
	try {
		await login(office, 'admin', ADMIN_PASSWORD);
		await office.page.goto('/review');
		await Promise.all([office.page.waitForURL(`**/bases/${id}`), office.page.locator(`main a[href="/bases/${id}"]`).first().click()]);
		const form = office.page.locator('form.review-actions');
		await form.locator('input[name="note"]').fill(REASON);
		await Promise.all([office.page.waitForURL((u) => u.pathname === '/review'), form.getByRole('button', { name: '退回修改' }).click()]);
	} finally {
		await office.close();
	}

	// The reporter, on a phone, logs in through the form and lands on 工作台.
	const s = await openPage(browser, 'phone', server.baseURL);
	try {
		const { page } = s;
		await page.goto('/');
		await login(s, 'fy-done', USER_PASSWORD);
		assert.equal(new URL(page.url()).pathname, '/workbench', 'logged in, home is 工作台');
		const card = page.locator('#work-returned li', { hasText: NAME });
		assert.match(await card.innerText(), new RegExp(REASON), 'the office\'s reason is on the card');
		await clean(page, '工作台');

		await Promise.all([page.waitForURL(`**/bases/${id}/edit`), card.getByRole('link', { name: '修改后重新提交' }).tap()]);
		await clean(page, 'the edit form');
		await page.locator('#f-address').fill('温州市瑞安市飞云街道创业路 8 号');
		await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/edit')), page.locator('main form button[type="submit"]').first().tap()]);
		await clean(page, 'after resubmitting');
		await page.goto('/workbench');
		assert.equal(await page.locator('#work-returned li', { hasText: NAME }).count(), 0, 'no longer waiting for the reporter');
		await clean(page, '工作台 again');
		s.assertClean();
	} finally {
		await s.close();
	}
});

test('a leader on a phone reads on the overview which areas are behind', async () => {
	const s = await openPage(browser, 'phone', server.baseURL);
	try {
		await login(s, 'leader-done', USER_PASSWORD);
		await s.page.goto('/?year=2024&as_of=2024-09-30');
		await clean(s.page, 'the overview');
		const statuses = s.page.locator('main .status');
		const n = await statuses.count();
		assert.ok(n > 0, 'statuses shown');
		const words = new Set();
		for (let i = 0; i < n; i++) {
			const el = statuses.nth(i);
			if (!(await el.isVisible())) continue;
			const box = await el.boundingBox();
			assert.ok(box.x >= 0 && box.x + box.width <= 390, `状态 "${await el.innerText()}" in view at x ${box.x}`);
			words.add((await el.innerText()).trim());
		}
		assert.ok([...words].some((w) => /滞后/.test(w)), `which areas are behind is said in words: ${[...words]}`);
	} finally {
		await s.close();
	}
});

test('the office prints the overview: unit, date and page numbers on page 1', async () => {
	const s = await openPage(browser, 'desktop', server.baseURL);
	try {
		await login(s, 'admin', ADMIN_PASSWORD);
		await s.page.goto('/?year=2024&as_of=2024-09-30');
		assert.equal(await s.page.locator('button.print-page').count() > 0, true, 'a print button on the overview');
		const file = join(dir, 'overview.pdf');
		writeFileSync(file, await s.page.pdf({ format: 'A4' }));
		const { stdout } = await run('pdftotext', ['-layout', file, '-']);
		const pages = stdout.split('\f').filter((p) => p.trim());
		const first = pages[0].replace(/[ \t]+/g, ' ');
		assert.match(first, /瑞安市大孵化集群工作专班办公室/);
		assert.match(first, /数据截至 2024年9月30日/);
		assert.match(first, new RegExp(`第\\s*1\\s*页\\s*共\\s*${pages.length}\\s*页`));
	} finally {
		await s.close();
	}
});

test('after the forced password change the user lands on 工作台', async () => {
	const s = await openPage(browser, 'phone', server.baseURL);
	try {
		const { page } = s;
		await login(s, 'new-done', server.passwords['new-done']);
		assert.equal(new URL(page.url()).pathname, '/password', 'a generated password must be changed first');
		await page.locator('input[name="old"]').fill(server.passwords['new-done']);
		await page.locator('input[name="new"]').fill('Feiyun-river-2031');
		await page.locator('input[name="again"]').fill('Feiyun-river-2031');
		await Promise.all([page.waitForURL('**/workbench**'), page.locator('main form button[type="submit"]').tap()]);
		assert.equal(new URL(page.url()).pathname, '/workbench');
		assert.equal(await page.locator('h1').count() > 0, true);
	} finally {
		await s.close();
	}
});

test('a skip link leads past the menu; after a form error the first bad field has the focus', async () => {
	const s = await openPage(browser, 'desktop', server.baseURL);
	try {
		const { page } = s;
		await login(s, 'fy-done', USER_PASSWORD);
		await page.goto('/bases/new');
		await page.keyboard.press('Tab');
		const first = await page.evaluate(() => ({ text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href') }));
		assert.deepEqual(first, { text: '跳到正文', href: '#main' }, 'the first Tab reaches the skip link');
		await page.keyboard.press('Enter');
		assert.equal(await page.evaluate(() => location.hash), '#main');
		const target = await page.evaluate(() => document.querySelector('#main').getBoundingClientRect().top);
		assert.ok(target < 5, `the page moved to the content (top at ${target})`);

		// A form sent with errors: the first field in error has the focus and is in view.
		await page.locator('#f-name').fill('示例·焦点测试空间');
		await page.locator('#f-total_area_m2').fill('1000');
		await page.locator('#f-incubation_area_m2').fill('2000'); // larger than the total: an error
		await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
		const focus = await page.evaluate(() => {
			const el = document.activeElement;
			const bad = document.querySelector('main [aria-invalid="true"]');
			const r = el.getBoundingClientRect();
			return { same: el === bad, id: el.id, inView: r.top >= 0 && r.bottom <= window.innerHeight };
		});
		assert.ok(focus.same && focus.id, `the first bad field has the focus: ${JSON.stringify(focus)}`);
		assert.ok(focus.inView, 'and is in view');
	} finally {
		await s.close();
	}
});
