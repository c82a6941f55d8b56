// policy.test.mjs — the policy system (政策体系) in a browser, the issue's
// Done-when: a base manager applies for the operating subsidy on a phone
// (390×844) and sees what the base is entitled to and why (each condition
// with its measured value, the formula, the caps); the area endorses it
// from its 工作台; the office approves a different amount with a reason and
// records the payment with its voucher; the leadership group's page 政策成效
// shows what each measure paid — the operating subsidy exactly the new
// payment more — and what it bought.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, VIEWPORTS, apiGet, apiSend, assertPhoneLayout, login, openPage, parseQuantity, reportKnownBugs,
	startServerAndBrowser, textOf,
} from './harness.mjs';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'base10', role: 'base', scope: '10' },
			{ name: 'base11', role: 'base', scope: '11' },
			{ name: 'fy-reporter', role: 'area', scope: 'feiyun' },
			{ name: 'leader', role: 'viewer' },
		],
	}));
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

const OPERATING = '专业运营补助（按年度考核等级）';
/* Evidence: a PDF, and a Windows program renamed to .pdf. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

/* The operating subsidy's row of 政策成效 2024 (API): its paid yuan. */
async function operatingPaid(s) {
	const r = await apiGet(s, '/api/v1/policy-results?year=2024');
	const row = r.by_measure.find((m) => m.name === OPERATING);
	return { row: row ? row.paid_yuan : 0, total: r.total.paid_yuan };
}

describe('policy support', () => {
	test('a base applies on a phone; the area endorses; the office approves another amount and pays; the leaders see it', async (t) => {
		const s = await openPage(browser, 'phone', server.baseURL);
		const area = await openPage(browser, 'desktop', server.baseURL);
		const office = await openPage(browser, 'desktop', server.baseURL);
		const leader = await openPage(browser, 'phone', server.baseURL);
		try {
			await login(leader, 'leader', USER_PASSWORD);
			const before = await operatingPaid(leader);

			// the base manager, on a phone
			const { page } = s;
			await login(s, 'base10', USER_PASSWORD);
			await page.goto('/policy-applications');
			await assertPhoneLayout(s, '政策申请 (base)');
			// a base sees its own applications only
			for (const card of await page.locator('#applications li').all())
				assert.match(await textOf(card), /示例·飞云青年创业加速器/);
			await submit(s, page.getByRole('link', { name: '新的申请' }));
			const option = page.locator('#f-measure option', { hasText: OPERATING });
			await page.locator('#f-measure').selectOption(await option.getAttribute('value'));
			await page.locator('#f-year').selectOption('2024');
			assert.equal(await page.locator('#f-base option').count(), 1, 'a base user applies for its own base only');
			await submit(s, page.getByRole('button', { name: '测算' }));
			// what it is entitled to, and why
			assert.equal(await textOf(page.locator('#entitled')), '20 万元');
			assert.equal(await textOf(page.locator('#verdict')), '符合全部条件');
			const conds = page.locator('ul.conditions li');
			assert.equal(await conds.count(), 3);
			for (const c of await conds.all()) assert.equal(await c.getAttribute('data-result'), 'pass');
			assert.match(await textOf(page.locator('li[data-rule="grade"]')), /实测：3 级；门槛：≥ 2 级/);
			assert.match(await textOf(page.locator('li[data-rule="operating-1y"]')), /开业日期 2022-07-01/);
			assert.match(await textOf(page.locator('#formula')), /2024 年度考核良好（B）：补助 20 万元/);
			await assertPhoneLayout(s, 'the assessment');
			await s.shot('policy-assessment');
			await submit(s, page.getByRole('button', { name: '提交申请' }));
			assert.match(new URL(page.url()).pathname, /^\/policy-applications\/\d+$/);
			const appPath = new URL(page.url()).pathname;
			assert.equal(await textOf(page.locator('#status')), '已申请，待区域推荐');
			assert.equal(await textOf(page.locator('#entitled-yuan')), '20 万元');
			assert.equal(await page.locator('#form-endorse').count(), 0, 'the base does not endorse');
			await assertPhoneLayout(s, 'the application');

			// evidence: a renamed program is refused by its content, with the reason; the PDF is kept
			const upload = page.locator('#ev-app');
			s.expectStatus(400, /^\/api\/v1\/policy-applications\/\d+\/attachments$/);
			await upload.locator('input[type="file"]').setInputFiles({ name: '考核结果.pdf', mimeType: 'application/pdf', buffer: EXE });
			await s.press(upload.getByRole('button', { name: '上传' }));
			await page.waitForFunction(() => /可执行程序/.test(document.querySelector('#ev-app .upload-status')?.textContent || ''));
			assert.equal(await page.locator('#files li').count(), 0);
			await upload.locator('input[type="file"]').setInputFiles({ name: '2024年度运营台账.pdf', mimeType: 'application/pdf', buffer: PDF });
			await submit(s, upload.getByRole('button', { name: '上传' }));
			assert.match(await textOf(page.locator('p.form-ok')), /证明材料已上传/);
			assert.match(await textOf(page.locator('#files')), /2024年度运营台账\.pdf/);
			await assertPhoneLayout(s, 'the application with its evidence');
			await s.shot('policy-evidence');
			// without a script the same form posts the file itself (multipart/form-data)
			{
				const ctx = await browser.newContext({ ...VIEWPORTS.phone, baseURL: server.baseURL, locale: 'zh-CN', javaScriptEnabled: false });
				const plain = { page: await ctx.newPage(), press: (l) => l.click() };
				try {
					await login(plain, 'base10', USER_PASSWORD);
					await plain.page.goto(appPath);
					const form = plain.page.locator('#ev-app');
					await form.locator('input[type="file"]').setInputFiles({ name: '运营现场.jpg', mimeType: 'image/jpeg', buffer: JPEG });
					await Promise.all([plain.page.waitForURL(/done=attached/), form.getByRole('button', { name: '上传' }).click()]);
					assert.match(await textOf(plain.page.locator('p.form-ok')), /证明材料已上传/);
					assert.match(await textOf(plain.page.locator('#files')), /运营现场\.jpg.*图片/);
				} finally {
					await ctx.close();
				}
			}
			await page.reload();
			assert.equal(await page.locator('#files li').count(), 2);
			const appId = Number(appPath.split('/').pop());
			const fileHref = await page.locator('#files a').first().getAttribute('href');

			// over the API too a base sees only its own: the list, another base's application, its file
			const own = await apiGet(s, '/api/v1/policy-applications');
			assert.ok(own.items.length >= 2);
			for (const it of own.items) assert.equal(it.base_id, 10);
			const mine = await apiGet(s, appPath.replace('/policy-applications', '/api/v1/policy-applications'));
			assert.deepEqual(mine.attachments.map((f) => f.name), ['2024年度运营台账.pdf', '运营现场.jpg']);
			assert.equal(mine.attachments[0].sha256.length, 64);
			const all = await apiGet(leader, '/api/v1/policy-applications');
			const foreign = all.items.find((it) => it.base_id !== 10);
			assert.equal((await s.context.request.get(`/api/v1/policy-applications/${foreign.id}`)).status(), 403);
			const other = await openPage(browser, 'phone', server.baseURL);
			try {
				await login(other, 'base11', USER_PASSWORD);
				const list = await apiGet(other, '/api/v1/policy-applications');
				assert.ok(list.items.every((it) => it.base_id === 11));
				assert.equal((await other.context.request.get(`/api/v1/policy-applications/${appId}`)).status(), 403);
				assert.equal((await other.context.request.get(fileHref)).status(), 403, 'another base cannot download the evidence');
				const up = await apiSend(other, 'POST', `/api/v1/policy-applications/${appId}/attachments?name=x.pdf`, PDF);
				assert.equal(up.status(), 403);
			} finally {
				await other.close();
			}

			// the area endorses it from its 工作台
			await login(area, 'fy-reporter', USER_PASSWORD);
			await area.page.goto('/workbench');
			const work = area.page.locator('#work-policy');
			assert.match(await textOf(work), /待推荐的政策申请/);
			await submit(area, work.locator(`a[href="${appPath}"]`));
			// the area reads the evidence: a PDF, served as a download, never a page
			const pdf = await area.context.request.get(fileHref);
			assert.equal(pdf.status(), 200);
			assert.equal(pdf.headers()['content-type'], 'application/pdf');
			assert.match(pdf.headers()['content-disposition'], /^attachment/);
			assert.equal(await area.page.locator('#ev-app').count(), 1, 'the area may add evidence before it endorses');
			await submit(area, area.page.getByRole('button', { name: '推荐' }));
			assert.equal(await textOf(area.page.locator('#status')), '区域已推荐，待市专班核定');

			// the office approves a different amount with a reason, then records the payment
			await login(office, 'admin', ADMIN_PASSWORD);
			await office.page.goto('/workbench');
			await submit(office, office.page.locator(`#work-policy a[href="${appPath}"]`));
			const approve = office.page.locator('#form-approve');
			await approve.getByLabel('核定金额（元）').fill('15万');
			office.expectStatus(400, /^\/policy-applications\/\d+\/approve$/);
			await submit(office, approve.getByRole('button', { name: '核定' }));
			assert.match(await textOf(office.page.locator('body')), /核定金额与测算金额 20 万元 不同，请写明理由/);
			await office.page.goto(appPath);
			await office.page.locator('#form-approve').getByLabel('核定金额（元）').fill('15万');
			await office.page.locator('#form-approve').getByLabel(/理由/).fill('运营台账缺三个月，按七成五核定');
			await submit(office, office.page.locator('#form-approve').getByRole('button', { name: '核定' }));
			assert.equal(await textOf(office.page.locator('#status')), '已核定，待拨付');
			assert.match(await textOf(office.page.locator('#approved-yuan')), /^15 万元/);
			assert.equal(await textOf(office.page.locator('#approve-reason')), '运营台账缺三个月，按七成五核定');
			const pay = office.page.locator('#form-pay');
			await pay.getByLabel('拨付日期').fill('2025-03-28');
			await pay.getByLabel('凭证号').fill('瑞财拨〔2025〕088号');
			await submit(office, pay.getByRole('button', { name: '登记拨付' }));
			assert.equal(await textOf(office.page.locator('#status')), '已拨付');
			assert.match(await textOf(office.page.locator('#payment')), /15 万元 · 2025-03-28 · 凭证号 瑞财拨〔2025〕088号/);
			assert.equal(await office.page.locator('#ev-app').count(), 0, 'no more evidence once paid');
			assert.match(await textOf(office.page.locator('#files')), /2024年度运营台账\.pdf/);

			// 操作记录: each step of this application, in words, picked not typed
			await submit(office, office.page.getByRole('link', { name: '操作记录' }));
			assert.equal(await office.page.locator('#f-kind').inputValue(), 'policy_applications');
			assert.ok(await office.page.locator('#audit-users option[value="fy-reporter"]').count(), 'users are picked by name');
			assert.equal(await office.page.locator('input[name="id"]:not([type="hidden"])').count(), 0, 'no record number to type');
			assert.match(await textOf(office.page.locator('#audit-record')), /政策申请「示例·飞云青年创业加速器 · 专业运营补助/);
			const trail = office.page.locator('#audit tbody tr');
			assert.equal(await trail.count(), 6);
			const rows = (await trail.allInnerTexts()).join('\n');
			for (const step of ['提出申请', '上传证明材料', '推荐', '核定', '登记拨付']) assert.match(rows, new RegExp(`${step} · 政策申请`));
			assert.match(rows, /核定金额：15 万元/);
			assert.match(rows, /核定理由：运营台账缺三个月，按七成五核定/);
			assert.match(rows, /状态：区域已推荐，待市专班核定 → 已核定，待拨付/);
			assert.match(rows, /凭证号：瑞财拨〔2025〕088号/);
			assert.match(rows, /文件“2024年度运营台账\.pdf”/);
			assert.doesNotMatch(rows, /policy|null|\{/);
			await office.shot('policy-audit');
			office.assertClean();

			// the base sees the outcome
			await page.reload();
			assert.equal(await textOf(page.locator('#status')), '已拨付');

			// the leadership group: what each measure paid and what it bought
			await leader.page.goto('/policy-results?year=2024');
			await assertPhoneLayout(leader, '政策成效');
			const after = await operatingPaid(leader);
			assert.equal(after.row - before.row, 150000);
			assert.equal(after.total - before.total, 150000);
			const row = leader.page.locator('#by-measure tr', { hasText: OPERATING });
			assert.equal(parseQuantity(await textOf(row.locator('td').first())), after.row);
			// what it bought: the supported bases' firms in incubation, and what each cost
			assert.match(await textOf(row), /元\/家/);
			// each ratio as the page shows it is what was paid over what it bought (the API's figures)
			const api = (await apiGet(leader, '/api/v1/policy-results?year=2024')).by_measure.find((m) => m.name === OPERATING);
			const cells = row.locator('td');
			const ratios = [[3, api.paid_yuan / api.new_area_m2, api.yuan_per_new_m2], [5, api.paid_yuan / api.firms, api.yuan_per_firm],
				[9, api.paid_yuan / api.recognitions, api.yuan_per_recognition]];
			let shownRatios = 0;
			for (const [col, exact, fromApi] of ratios) {
				const shown = await textOf(cells.nth(col));
				if (fromApi === null) { assert.equal(shown, '—'); continue; }
				assert.ok(Math.abs(fromApi - exact) < 0.01, `API ratio ${fromApi} vs ${exact}`);
				assert.ok(Math.abs(parseQuantity(shown) - exact) <= exact * 0.01 + 0.5, `column ${col}: ${shown} vs ${exact}`);
				shownRatios++;
			}
			assert.ok(shownRatios >= 1, 'the operating subsidy bought something the page can divide by');
			assert.match(await textOf(leader.page.locator('#by-measure thead')), /元\/新增㎡.*元\/在孵企业.*元\/认定/);
			assert.equal(parseQuantity(await textOf(leader.page.locator('#paid-total'))), after.total);
			assert.match(await textOf(leader.page.locator('#by-area')), /飞云街道/);
			const xlsx = await leader.context.request.get('/policy-results.xlsx?year=2024');
			assert.equal(xlsx.status(), 200);
			assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
			await leader.shot('policy-results');

			s.assertClean();
			area.assertClean();
			leader.assertClean();
			await reportKnownBugs(t, s, 'base');
			await reportKnownBugs(t, leader, 'leader');
		} finally {
			await s.close();
			await area.close();
			await office.close();
			await leader.close();
		}
	});
});
