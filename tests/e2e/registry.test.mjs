// registry.test.mjs — the registry's journeys in a browser, on a desktop and
// on a phone: an area reporter registers a base (a wrong floor-area figure
// first), the office approves it and 总览 grows by exactly its area; a
// reporter's list of a foreign area shows approved records only; the office
// imports a CSV with a bad row, fixes it and imports it; an exported list
// reads back through the import. One server for the file (fresh demo data);
// each journey has its own browser contexts, logged in once per role.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiGet, apiLogin, apiSend, assertPhoneLayout, fmtQuantity, login, openPage,
	overviewFigure, reportKnownBugs, startServerAndBrowser, textOf as text,
} from './harness.mjs';

const VIEWPORT_NAMES = ['desktop', 'phone'];

let server;
let browser;
let files; // a scratch directory for uploads and downloads
const PENDING_XIANJIANG = '示例·仙降待审核鞋服众创空间(e2e)';

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'fy-reporter', role: 'area', scope: 'feiyun' },
			{ name: 'xj-reporter', role: 'area', scope: 'xianjiang' },
		],
	}));
	files = mkdtempSync(join(tmpdir(), 'hatchery-e2e-files-'));

	// A 仙降街道 record that waits for review: its area's reporter registers it.
	const xj = await openPage(browser, 'desktop', server.baseURL);
	try {
		await apiLogin(xj, server.baseURL, 'xj-reporter', USER_PASSWORD);
		const res = await apiSend(xj, 'POST', '/api/v1/bases', {
			name: PENDING_XIANJIANG, kind: 'maker_space', area: 'xianjiang', status: 'operating',
			opened_on: '2024-05-06', total_area_m2: 2600, incubation_area_m2: 1800,
		});
		assert.equal(res.status(), 201, `register the pending 仙降 base: ${await res.text()}`);
		assert.equal((await res.json()).review_status, 'pending');
	} finally {
		await xj.close();
	}
});

after(async () => {
	await browser?.close();
	await server?.stop();
	if (files) rmSync(files, { recursive: true, force: true });
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

/* Another person's session (the office, say) next to a journey's. */
async function alongside(t, viewport, who, fn) {
	const s = await openPage(browser, viewport, server.baseURL);
	try {
		await fn(s);
		s.assertClean();
		await reportKnownBugs(t, s, who);
	} finally {
		await s.close();
	}
}

const path = (page) => new URL(page.url()).pathname;
/* 共 N 条 on a list page. */
const listTotal = async (page) => {
	const shown = await text(page.locator('p.result-count'));
	const m = /^共 (\d+) 条$/.exec(shown);
	assert.ok(m, `the list says how many: "${shown}"`);
	assert.equal(await text(page.locator('#total')), m[1]);
	return Number(m[1]);
};
/* The shown value of a field on a record's page. */
const fact = (page, field) => page.locator(`dl.facts dd[data-field="${field}"]`);

// What each viewport's reporter registers, and the wrong figure typed first.
const NEW_BASE = {
	desktop: {
		name: '示例·飞云数字创意孵化器(桌面登记)', total: 12300, incubation: 8000, opened: '2024-06-18',
		wrong: { field: 'total_area_m2', value: '三万', message: '“三万”应为数字，例如 8000、8,000 或 0.8万。' },
	},
	phone: {
		name: '示例·飞云青创众创空间(手机登记)', total: 23400, incubation: 15000, opened: '2024-09-09',
		wrong: { field: 'incubation_area_m2', value: '25000', message: '孵化面积不能大于总面积，请核对。' },
	},
};

for (const viewport of VIEWPORT_NAMES) {
	describe(`${viewport}`, () => {
		test(`area reporter registers a base with a wrong area, fixes it; the office approves; 总览 grows by its area (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				const b = NEW_BASE[viewport];
				const typed = {
					name: b.name, leading_industry: '数字经济', opened_on: b.opened,
					address: `温州市瑞安市飞云街道创业路 ${viewport === 'phone' ? 9 : 18} 号`, contact: '飞云填报员 0577-0000000',
					total_area_m2: String(b.total), incubation_area_m2: String(b.incubation),
				};
				typed[b.wrong.field] = b.wrong.value;

				await alongside(t, viewport, 'office', async (office) => {
					await login(office, 'admin', ADMIN_PASSWORD);
					// 新增孵化场地面积 of 2024 before anything is registered.
					const before = await overviewFigure(office, 2024, 'area_added');

					// The reporter opens 登记孵化基地 from the list.
					await login(s, 'fy-reporter', USER_PASSWORD);
					await page.goto('/bases');
					await Promise.all([page.waitForURL('**/bases/new'), s.press(page.getByRole('link', { name: '登记孵化基地' }))]);
					assert.equal(await text(page.locator('h1')), '登记孵化基地');
					assert.match(await text(page.locator('main p.hint').first()), /审核通过前，新记录不计入统计/);
					// Its own area is chosen, and the only one offered.
					assert.equal(await page.locator('#f-area').inputValue(), 'feiyun');
					assert.deepEqual(await page.locator('#f-area option:not([value=""])').allInnerTexts(), ['飞云街道']);

					// Types the form, one floor-area figure wrong.
					await page.locator('#f-name').fill(typed.name);
					await page.locator('#f-kind').selectOption({ label: '科技企业孵化器' });
					await page.locator('#f-status').selectOption({ label: '运营中' });
					await page.locator('#f-leading_industry').fill(typed.leading_industry);
					await page.locator('#f-opened_on').fill(typed.opened_on);
					await page.locator('#f-total_area_m2').fill(typed.total_area_m2);
					await page.locator('#f-incubation_area_m2').fill(typed.incubation_area_m2);
					await page.locator('#f-address').fill(typed.address);
					await page.locator('#f-contact').fill(typed.contact);
					await assertPhoneLayout(s, '登记孵化基地');
					s.expectStatus(400, /^\/bases\/new$/);
					const [refused] = await Promise.all([
						page.waitForResponse((r) => path(r) === '/bases/new' && r.request().method() === 'POST'),
						s.press(page.locator('form[action="/bases/new"] button[type="submit"]')),
					]);
					assert.equal(refused.status(), 400);
					await page.waitForLoadState('load');

					// The error, in Chinese, next to that field and no other.
					assert.match(await text(page.getByRole('alert')), /有 1 处需要修改/);
					const bad = page.locator('.field.has-error');
					assert.equal(await bad.count(), 1, 'one field is marked');
					assert.equal(await bad.locator('input').getAttribute('id'), `f-${b.wrong.field}`);
					assert.equal(await bad.locator('input').getAttribute('aria-invalid'), 'true');
					assert.equal(await text(bad.locator('p.field-error')), b.wrong.message);
					// ... shown right under the field.
					const box = await bad.locator('input').boundingBox();
					const say = await bad.locator('p.field-error').boundingBox();
					assert.ok(say.y >= box.y + box.height - 1 && say.y - (box.y + box.height) < 24,
						`the error sits under its field (field ends at ${box.y + box.height}, error starts at ${say.y})`);
					// ... and tied to it for screen readers
					assert.equal(await bad.locator('input').getAttribute('aria-describedby'), `e-${b.wrong.field}`);
					// Everything typed is still there, the wrong figure too.
					for (const [field, value] of Object.entries(typed))
						assert.equal(await page.locator(`#f-${field}`).inputValue(), value, `${field} kept`);
					assert.equal(await page.locator('#f-kind').inputValue(), 'incubator');
					assert.equal(await page.locator('#f-status').inputValue(), 'operating');
					assert.equal(await page.locator('#f-area').inputValue(), 'feiyun');
					await assertPhoneLayout(s, '登记孵化基地 with an error');
					await s.shot('reporter-register-error');

					// Fixes the figure and submits: saved, waiting for the office.
					const fixed = b.wrong.field === 'total_area_m2' ? b.total : b.incubation;
					await page.locator(`#f-${b.wrong.field}`).fill(String(fixed));
					await Promise.all([
						page.waitForURL((u) => /^\/bases\/\d+$/.test(u.pathname) && u.searchParams.get('saved') === 'pending'),
						s.press(page.locator('form[action="/bases/new"] button[type="submit"]')),
					]);
					const id = Number(/\/bases\/(\d+)$/.exec(path(page))[1]);
					assert.equal(await text(page.locator('h1')), b.name);
					assert.equal(await text(page.getByRole('status')), '已提交，等待市专班审核。');
					assert.equal(await text(page.locator('main span.review')), '待审核');
					assert.equal(await text(fact(page, 'total_area_m2')), b.total.toLocaleString('en-US'));
					assert.equal(await text(fact(page, 'incubation_area_m2')), b.incubation.toLocaleString('en-US'));
					assert.equal(await text(fact(page, 'area')), '飞云街道');
					await assertPhoneLayout(s, 'the new base, pending');
					await s.shot('reporter-registered-pending');

					// Waiting for review, it does not count yet.
					const waiting = await overviewFigure(office, 2024, 'area_added');
					assert.equal(waiting.api, before.api, 'a pending base adds nothing');

					// The office opens 审核, then the new base, and approves it.
					await office.page.goto('/');
					await Promise.all([
						office.page.waitForURL('**/review'),
						office.press(office.page.locator('header nav a', { hasText: '审核' })),
					]);
					assert.equal(await text(office.page.locator('h1')), '审核');
					const row = office.page.locator('table#queue tbody tr', { hasText: b.name });
					assert.equal(await row.count(), 1, 'the new base waits in 审核');
					// 选择 (a checkbox for batch actions), 类型, 区域, 提交人
					assert.equal(await row.locator('td').nth(0).locator('input[type="checkbox"][form="batch"]').count(), 1);
					assert.equal(await text(row.locator('td').nth(1)), '孵化基地');
					assert.equal(await text(row.locator('td').nth(2)), '飞云街道');
					assert.equal(await text(row.locator('td').nth(3)), 'fy-reporter');
					await assertPhoneLayout(office, '审核');
					await office.shot('office-review-queue');
					await Promise.all([
						office.page.waitForURL(`**/bases/${id}`),
						office.press(row.getByRole('link', { name: b.name })),
					]);
					assert.equal(await text(office.page.locator('main span.review')), '待审核');
					await assertPhoneLayout(office, 'the new base (office)');
					await Promise.all([
						office.page.waitForURL((u) => u.pathname === '/review'),
						office.press(office.page.getByRole('button', { name: '审核通过' })),
					]);
					assert.equal(await text(office.page.getByRole('status')), '已审核通过，记录开始计入统计。');
					assert.equal(await office.page.locator('table#queue tbody tr', { hasText: b.name }).count(), 0);

					// 总览 2024: 新增孵化场地面积 rose by exactly the base's area.
					const after = await overviewFigure(office, 2024, 'area_added');
					assert.equal(after.api - before.api, b.total, `API area_added: ${before.api} → ${after.api}`);
					assert.equal(after.value - before.value, b.total, `总览 shows ${before.shown} → ${after.shown}`);
					assert.equal(after.shown, fmtQuantity(before.api + b.total, '㎡'));
					await assertPhoneLayout(office, '总览 2024');
					await office.shot('office-overview-2024-approved');

					// The reporter sees it approved.
					await page.goto(`/bases/${id}`);
					assert.equal(await text(page.locator('main span.review')), '已通过');
					assert.equal((await apiGet(s, `/api/v1/bases/${id}`)).review_status, 'approved');
				});
			}));

		test(`area reporter: a foreign area's list shows approved records only (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				// (Typing /bases/13/edit and being refused is journeys.test.mjs's.)
				await login(s, 'fy-reporter', USER_PASSWORD);
				await page.goto('/bases');
				// No 审核状态 filter outside its own area; with 仙降街道 chosen, 筛选.
				await page.locator('#q-area').selectOption({ label: '仙降街道' });
				await Promise.all([
					page.waitForURL((u) => u.searchParams.get('area') === 'xianjiang'),
					s.press(page.locator('form.filters button[type="submit"]')),
				]);
				assert.equal(await page.locator('#q-area').inputValue(), 'xianjiang');
				assert.equal(await page.locator('#q-review_status').count(), 0, 'no 审核状态 filter for a foreign area');

				// What the office sees: the approved records and one waiting.
				const office = await openPage(browser, viewport, server.baseURL);
				let all;
				let approved;
				try {
					await apiLogin(office, server.baseURL, 'admin', ADMIN_PASSWORD);
					all = await apiGet(office, '/api/v1/bases?area=xianjiang&limit=1000');
					approved = all.items.filter((x) => x.review_status === 'approved');
				} finally {
					await office.close();
				}
				assert.ok(all.items.some((x) => x.name === PENDING_XIANJIANG && x.review_status === 'pending'));
				assert.ok(approved.length >= 1 && approved.length <= 20, `${approved.length} approved records fit one page`);

				// The reporter's list: exactly the approved ones, none 待审核.
				assert.equal(await listTotal(page), approved.length);
				const names = (await page.locator('table#records tbody th a').allInnerTexts()).map((n) => n.trim());
				assert.deepEqual(names.sort(), approved.map((x) => x.name).sort());
				const states = (await page.locator('table#records tbody span.review').allInnerTexts()).map((x) => x.trim());
				assert.equal(states.length, approved.length);
				assert.ok(states.every((x) => x === '已通过'), `review states shown: ${states.join(', ')}`);
				assert.doesNotMatch(await text(page.locator('main')), /待审核/);
				assert.equal(await page.getByText(PENDING_XIANJIANG).count(), 0);
				// The API answers the reporter the same.
				const mine = await apiGet(s, '/api/v1/bases?area=xianjiang&limit=1000');
				assert.equal(mine.total, approved.length);
				await assertPhoneLayout(s, '仙降街道 list (reporter)');
				await s.shot('reporter-foreign-list');

				// Asking for the waiting ones by URL is refused, saying why.
				s.expectStatus(403, /^\/bases$/);
				const res = await page.goto('/bases?area=xianjiang&review_status=pending');
				assert.equal(res.status(), 403);
				assert.match(await text(page.locator('main')), /只能查看本辖区待审核或退回的记录/);
				assert.equal(await page.getByText(PENDING_XIANJIANG).count(), 0);
			}));

		test(`office imports a CSV with a bad row, fixes it, imports all (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				const tag = viewport === 'phone' ? '手机导入' : '桌面导入';
				await login(s, 'admin', ADMIN_PASSWORD);
				await page.goto('/bases');
				const before = await listTotal(page);
				await Promise.all([page.waitForURL('**/bases/import'), s.press(page.getByRole('link', { name: '从 Excel 导入' }))]);
				assert.equal(await text(page.locator('h1')), '从 Excel 导入孵化基地');
				// The template is there to download (a workbook).
				const template = await s.context.request.get('/bases/template.xlsx');
				assert.equal(template.status(), 200);
				assert.equal((await template.body()).subarray(0, 2).toString(), 'PK');

				// Three rows, the second (Excel row 3) with a date that does not
				// exist and an area as people say it (飞云镇 for 飞云街道).
				const csv = (date, area = '飞云街道') => '\uFEFF' + [
					'名称,类型,所属区域,运营状态,开业日期,总面积(㎡),孵化面积(㎡),主导产业',
					`示例·经开区光电众创空间(${tag}),众创空间,经济开发区,运营中,2024-03-12,3200,2400,激光与光电`,
					`示例·飞云医药孵化器(${tag}),科技企业孵化器,${area},建设中,${date},15000,10500,生物医药`,
					`示例·云周鞋服加速器(${tag}),科技企业加速器,云周街道,运营中,2024-07-01,21000,15000,轻工鞋服`,
				].join('\r\n') + '\r\n';
				const file = join(files, `import-${viewport}.csv`);
				writeFileSync(file, csv('2024-02-30', '飞云镇'));

				const summary = page.locator('#import-summary');
				const check = async () => {
					await page.locator('#import-file').setInputFiles(file);
					await Promise.all([
						page.waitForResponse((r) => r.url().includes('/api/v1/bases/import?mode=check')),
						s.press(page.locator('#import-check')),
					]);
					await page.locator('#import-status', { hasText: '检查完成。' }).waitFor();
					assert.ok(await page.locator('#import-progress').isHidden(), 'the progress bar is put away');
				};
				await check();
				assert.equal(await text(summary), '共 3 行，无误 2 行，有误 1 行（共 2 处错误）。');
				const errors = page.locator('#import-errors tbody tr');
				assert.equal(await errors.count(), 2);
				const rowsShown = [];
				for (let i = 0; i < 2; i++) rowsShown.push((await errors.nth(i).locator('td').allInnerTexts()).map((x) => x.trim()));
				const areaErr = rowsShown.find((c) => c[1] === '所属区域');
				const dateErr = rowsShown.find((c) => c[1] === '开业日期');
				assert.ok(areaErr && dateErr, JSON.stringify(rowsShown));
				assert.equal(dateErr[0], '3', 'the row as Excel numbers it');
				assert.equal(dateErr[2], '2024-02-30', 'the value as typed');
				assert.match(dateErr[3], /日期格式应为 年-月-日/);
				assert.equal(areaErr[2], '飞云镇');
				assert.match(areaErr[3], /“飞云镇”不是本市的区域名称，是否应为“飞云街道”/, 'the near match suggested');

				// The rows with errors as a file, with an error column, to fix and send again.
				const [download] = await Promise.all([page.waitForEvent('download'), s.press(page.locator('#import-rejected'))]);
				const got = readFileSync(await download.path(), 'utf8');
				const lines = got.replace(/^\uFEFF/, '').trim().split(/\r\n/);
				assert.equal(lines.length, 2, got);
				assert.equal(lines[0], '名称,类型,所属区域,运营状态,开业日期,总面积(㎡),孵化面积(㎡),主导产业,错误说明');
				assert.match(lines[1], /^示例·飞云医药孵化器\(.+\),科技企业孵化器,飞云镇,建设中,2024-02-30,15000,10500,生物医药,/);
				assert.match(lines[1], /所属区域：“飞云镇”不是本市的区域名称/);
				assert.match(lines[1], /开业日期：/);
				assert.ok(await page.locator('#import-all').isDisabled(), '全部导入 waits for a clean file');
				assert.equal(await text(page.locator('#import-good')), '只导入无误的 2 行');
				await assertPhoneLayout(s, 'import with an error');
				await s.shot('office-import-errors');

				// The date fixed, the same file again: no errors, and 全部导入.
				writeFileSync(file, csv('2024-02-29'));
				await check();
				assert.equal(await text(summary), '共 3 行，无误 3 行。');
				assert.ok(await page.locator('#import-errors-wrap').isHidden(), 'no error table');
				assert.ok(await page.locator('#import-good').isHidden());
				assert.ok(await page.locator('#import-all').isEnabled());
				await Promise.all([
					page.waitForResponse((r) => r.url().includes('/api/v1/bases/import?mode=all') && r.status() === 200),
					s.press(page.locator('#import-all')),
				]);
				const done = page.locator('#import-done');
				await done.waitFor();
				assert.match(await text(done), /^已导入 3 行：新增 3 行，修改 0 行，未改动 0 行。/);
				await assertPhoneLayout(s, 'import done');
				await s.shot('office-import-done');

				// Back on the list: three more, approved, findable by name.
				await Promise.all([page.waitForURL((u) => u.pathname === '/bases'), s.press(done.getByRole('link', { name: '返回列表' }))]);
				assert.equal(await listTotal(page), before + 3);
				await page.locator('#f-q').fill(tag);
				await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === tag), s.press(page.locator('form.filters button[type="submit"]'))]);
				assert.equal(await listTotal(page), 3);
				const states = (await page.locator('table#records tbody span.review').allInnerTexts()).map((x) => x.trim());
				assert.deepEqual(states, ['已通过', '已通过', '已通过']);
				const dates = await page.locator('table#records tbody tr', { hasText: '飞云医药孵化器' }).innerText();
				assert.match(dates, /2024-02-29/);
			}));

		test(`office exports 塘下新区's list and the import reads it back without errors (${viewport})`, (t) =>
			journey(t, viewport, async (s) => {
				const { page } = s;
				await login(s, 'admin', ADMIN_PASSWORD);
				await page.goto('/bases?area=tangxia');
				const shown = await listTotal(page);
				assert.ok(shown >= 2, 'the demo data has bases in 塘下新区');
				const exportLink = page.getByRole('link', { name: '导出 Excel' });
				assert.equal(await exportLink.getAttribute('href'), '/bases/export.xlsx?area=tangxia');
				const [download] = await Promise.all([page.waitForEvent('download'), s.press(exportLink)]);
				assert.match(download.suggestedFilename(), /^孵化基地-\d{4}-\d{2}-\d{2}\.xlsx$/);
				const file = join(files, `tangxia-${viewport}.xlsx`);
				await download.saveAs(file);
				assert.ok(statSync(file).size > 1000, 'a workbook, not an empty file');
				await assertPhoneLayout(s, '塘下新区 list');

				// Uploaded to the import page in check mode: every row good.
				await page.goto('/bases/import');
				await page.locator('#import-file').setInputFiles(file);
				await Promise.all([
					page.waitForResponse((r) => r.url().includes('/api/v1/bases/import?mode=check')),
					s.press(page.locator('#import-check')),
				]);
				await page.locator('#import-status', { hasText: '检查完成。' }).waitFor();
				assert.equal(await text(page.locator('#import-summary')), `共 ${shown} 行，无误 ${shown} 行。`);
				assert.ok(await page.locator('#import-errors-wrap').isHidden(), 'no error table');
				assert.equal(await page.locator('#import-errors tbody tr').count(), 0);
				assert.ok(await page.locator('#import-all').isEnabled());
				await assertPhoneLayout(s, 'import of the export, checked');
				// The API says the same of the file, naming any error.
				const res = await apiSend(s, 'POST', '/api/v1/bases/import?mode=check', readFileSync(file));
				const j = await res.json();
				assert.equal(res.status(), 200);
				assert.deepEqual([j.format, j.rows, j.good, j.error_count], ['xlsx', shown, shown, 0], JSON.stringify(j.errors));
				await s.shot('office-export-reimport-check');
			}));
	});
}
