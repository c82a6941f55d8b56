// tasks.test.mjs — 督查督办 in a browser: a department clerk (市科技局) on a
// phone (390×844) sees the overdue task and the second round of its 督办单
// on 工作台, signs for it, is refused an SVG with script as evidence, uploads
// a photo and answers; the office's supervision table shows every unit's
// lamps; the next meeting's agenda lists the lagging items with their
// figures. The server's clock is pinned (HATCHERY_NOW) to 3 January 2025,
// 10:00 Beijing time, the day the sample's tasks are dated from.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	USER_PASSWORD, assertPhoneLayout, login, openPage, reportKnownBugs, startServerAndBrowser, textOf,
} from './harness.mjs';

process.env.HATCHERY_NOW = '2025-01-03T10:00:00+08:00';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [{ name: 'kjj-clerk', role: 'department', scope: 'kjj' }],
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

/* Presses and waits for the page the server answers with. */
async function submit(s, locator) {
	await Promise.all([s.page.waitForEvent('framenavigated', (f) => f === s.page.mainFrame()), s.press(locator)]);
	await s.page.waitForLoadState('load');
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');

describe('督查督办', () => {
	test('a department clerk signs for a 督办单 on a phone and answers it with a photo', (t) =>
		journey(t, 'phone', async (s) => {
			const { page } = s;
			await login(s, 'kjj-clerk', USER_PASSWORD);
			await page.goto('/workbench');
			const work = page.locator('#work-tasks');
			// the overdue task and its second-round 督办单, waiting for a signature
			assert.match(await textOf(work), /孵化基地建立专业化导师队伍/);
			assert.match(await textOf(work.locator('.lamp.red').first()), /逾期 \d+ 天/);
			const card = work.locator('li.supervision').filter({ hasText: '第2轮催办' });
			assert.equal(await card.count(), 1);
			assert.match(await textOf(card), /待签收/);
			await assertPhoneLayout(s, '工作台 (department)');

			await submit(s, card.getByRole('link', { name: '签收' }));
			assert.match(new URL(page.url()).pathname, /^\/tasks\/\d+$/);
			const sup = page.locator('li.supervision.issued');
			assert.equal(await sup.count(), 1);
			await assertPhoneLayout(s, 'the task with its 督办单');
			await submit(s, sup.getByRole('button', { name: '签收' }));
			assert.match(await textOf(page.locator('p.form-ok')), /已签收/);
			const signed = page.locator('li.supervision.signed');
			assert.match(await textOf(signed.locator('ol.steps')), /签收：kjj-clerk/);

			// an SVG with script is refused by its content, with the reason
			const upload = signed.locator('form.evidence-upload');
			s.expectStatus(400, /\/api\/v1\/tasks\/\d+\/attachments$/);
			await upload.locator('input[type="file"]').setInputFiles({ name: '照片.jpg', mimeType: 'image/jpeg', buffer: SVG });
			await s.press(upload.getByRole('button', { name: '上传' }));
			await page.waitForFunction(() => /SVG/.test(document.querySelector('li.supervision.signed .upload-status')?.textContent || ''));
			// answering without evidence is not possible either
			assert.equal(await signed.locator('ul.files li').count(), 0);

			// the photo
			await upload.locator('input[type="file"]').setInputFiles({ name: '服务记录.jpg', mimeType: 'image/jpeg', buffer: JPEG });
			await submit(s, upload.getByRole('button', { name: '上传' }));
			assert.match(await textOf(page.locator('p.form-ok')), /证明材料已上传/);
			const again = page.locator('li.supervision.signed');
			assert.match(await textOf(again.locator('ul.files')), /服务记录\.jpg/);
			await assertPhoneLayout(s, 'the 督办单 with its photo');

			await again.getByLabel('办理情况').fill('已补充塘下、滨海两家大孵化器的导师服务记录，见照片。');
			await submit(s, again.getByRole('button', { name: '提交反馈' }));
			assert.match(await textOf(page.locator('p.form-ok')), /反馈已提交/);
			const answered = page.locator('li.supervision.answered');
			assert.match(await textOf(answered), /已反馈，待审核/);
			assert.match(await textOf(answered.locator('.answer')), /见照片/);
			// the photo is served as an image, never as a page
			const href = await answered.locator('ul.files a').getAttribute('href');
			const res = await s.context.request.get(href);
			assert.equal(res.status(), 200);
			assert.equal(res.headers()['content-type'], 'image/jpeg');
			assert.equal(res.headers()['x-content-type-options'], 'nosniff');
			await assertPhoneLayout(s, 'the answered 督办单');
		}));

	test('the office sees every unit\'s lamps and the next meeting\'s lagging items with their figures', (t) =>
		journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', server.passwords.admin);
			await page.goto('/supervision');
			const rows = page.locator('#supervision-table tbody tr');
			assert.ok((await rows.count()) >= 10, 'a row per leading unit');
			assert.match(await textOf(page.locator('#supervision-table tr.unit-jrz')), /市金融工作服务中心 1 1 0 0 .* 40 天/);
			assert.match(await textOf(page.locator('#supervision-table tr.unit-tangxia')), /塘下新区/);
			assert.ok((await page.locator('#supervision-table .lamp.red').count()) >= 3);
			// the answer waits for the office on 工作台
			await page.goto('/workbench');
			assert.match(await textOf(page.locator('#work-tasks')), /待审核的督办反馈（1）/);

			await page.goto('/agenda');
			await submit(s, page.getByRole('button', { name: '汇总议题（草稿）' }));
			assert.match(await textOf(page.locator('p.form-ok')), /议题已汇总/);
			const lagging = page.locator('section.agenda-indicator');
			assert.match(await textOf(lagging), /目标 .*完成 .*按进度应达/);
			const overdue = page.locator('section.agenda-task');
			assert.match(await textOf(overdue), /推动银行保险机构创新“人才创业贷”.*已逾期 40 天/);
			assert.match(await textOf(page.locator('section.agenda-help')), /用地指标/);
		}));
});
