// tasks.test.mjs — 督查督办 in a browser, issue 18's "Done when": a
// department clerk (市科技局) on a phone (390×844) sees the overdue task and
// the second round of its 督办单 on 工作台, signs for it, is refused an SVG
// with script as evidence, uploads a photo and answers; another (市发改局),
// on a phone with scripts off, signs for the 督办单 the office has just
// issued and answers it with a photo through the plain form; the office's
// supervision table shows every unit's lamps (a department with no task
// too), and so does the leadership group's on a phone; the next meeting's
// agenda lists the lagging items with their figures; the roadshow page shows
// the projects and investments each roadshow brought; a 现场会 lists its
// follow-up tasks with their lamps and its photos, and the office dispatches
// one more from its page. The server's clock is pinned (HATCHERY_NOW) to
// 3 January 2025, 10:00 Beijing time, the day the sample's tasks are dated from.
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
		users: [
			{ name: 'kjj-clerk', role: 'department', scope: 'kjj' },
			{ name: 'fgj-clerk', role: 'department', scope: 'fgj' },
			{ name: 'leader', role: 'viewer' },
		],
	}));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

async function journey(t, viewport, fn, contextOptions) {
	const s = await openPage(browser, viewport, server.baseURL, contextOptions);
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
			assert.match(await textOf(page.locator('#supervision-table tr.unit-jrz')), /市金融工作服务中心 逾期 1 1 0 0 .* 40 天/);
			assert.match(await textOf(page.locator('#supervision-table tr.unit-tangxia')), /塘下新区/);
			assert.ok((await page.locator('#supervision-table .lamp.red').count()) >= 3);
			// the lamp is a coloured dot and the word on a desktop too (style.css once left a phone-only block open)
			const dot = await page.locator('#supervision-table tr.unit-jrz .lamp.red')
				.evaluate((e) => getComputedStyle(e, '::before').backgroundColor);
			assert.notEqual(dot, 'rgba(0, 0, 0, 0)');
			// every department of the plan, one leading nothing saying so
			assert.ok((await rows.count()) >= 22, 'every department of the plan has a row');
			assert.match(await textOf(page.locator('#supervision-table tr.unit-zrj')), /市自然资源和规划局 无任务 0/);
			assert.match(await textOf(page.locator('#supervision-scope')), /全部市直部门/);
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

	test('without a script: the office issues a 督办单; a clerk on a phone signs and answers it with a photo through the plain form', async (t) => {
		// the office issues it (desktop)
		let taskPath;
		await journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', server.passwords.admin);
			await page.goto('/tasks?unit=fgj&status=open');
			await submit(s, page.locator('#tasks a', { hasText: '周边' }).first());
			taskPath = new URL(page.url()).pathname;
			await page.locator('summary', { hasText: '下发督办单' }).click();
			const form = page.locator(`form[action="${taskPath}/supervisions"]`);
			await form.getByLabel('发给（牵头单位）').selectOption('fgj');
			await form.getByLabel('督办事项').fill('报送人才公寓配套落实情况，附现场照片。');
			await form.getByLabel('办理时限').fill('2025-01-08');
			await submit(s, form.getByRole('button', { name: '下发' }));
			assert.match(await textOf(page.locator('p.form-ok')), /督办单已下发/);
		});
		// the clerk on a phone, scripts off
		await journey(t, 'phone', async (s) => {
			const { page } = s;
			await login(s, 'fgj-clerk', USER_PASSWORD);
			await page.goto('/workbench');
			const work = page.locator('#work-tasks');
			// the overdue task, and the 督办单 waiting for a signature
			assert.match(await textOf(work.locator('li.task').filter({ hasText: '周边' })), /逾期 8 天/);
			const card = work.locator('li.supervision').filter({ hasText: '人才公寓配套' });
			assert.match(await textOf(card), /待签收/);
			await assertPhoneLayout(s, '工作台 without a script');
			await submit(s, card.getByRole('link', { name: '签收' }));
			assert.equal(new URL(page.url()).pathname, taskPath);
			await submit(s, page.locator('li.supervision.issued').getByRole('button', { name: '签收' }));
			assert.match(await textOf(page.locator('p.form-ok')), /已签收/);

			// the answer form takes the photo itself: an SVG with script is refused, nothing kept
			const answerForm = () => page.locator('li.supervision.signed form.answer-form');
			const evidence = answerForm().locator('input[type="file"][name="evidence"]');
			assert.equal(await evidence.getAttribute('accept'), 'image/*,application/pdf');
			// no capture attribute: with it a phone opens the camera only, and a PDF cannot be chosen
			assert.equal(await evidence.getAttribute('capture'), null);
			await answerForm().getByLabel('办理情况').fill('人才公寓 120 套已配租，见现场照片。');
			await evidence.setInputFiles({ name: '公寓.jpg', mimeType: 'image/jpeg', buffer: SVG });
			s.expectStatus(400, /\/answer$/);
			await submit(s, answerForm().getByRole('button', { name: '提交反馈' }));
			assert.match(await textOf(page.locator('main')), /网页代码|SVG/);
			await page.goto(taskPath);
			assert.equal(await page.locator('li.supervision.signed').count(), 1, 'still signed, not answered');
			assert.equal(await page.locator('li.supervision.signed ul.files li').count(), 0);

			// the photo with the answer, one step
			await answerForm().getByLabel('办理情况').fill('人才公寓 120 套已配租，见现场照片。');
			await answerForm().locator('input[name="evidence"]').setInputFiles({ name: '人才公寓.jpg', mimeType: 'image/jpeg', buffer: JPEG });
			await submit(s, answerForm().getByRole('button', { name: '提交反馈' }));
			assert.match(await textOf(page.locator('p.form-ok')), /反馈已提交/);
			const answered = page.locator('li.supervision.answered').filter({ hasText: '人才公寓配套' });
			assert.match(await textOf(answered), /已反馈，待审核/);
			assert.match(await textOf(answered.locator('ul.files')), /人才公寓\.jpg/);
			await assertPhoneLayout(s, 'the 督办单 answered without a script');
			const href = await answered.locator('ul.files a').getAttribute('href');
			const res = await s.context.request.get(href);
			assert.equal(res.headers()['content-type'], 'image/jpeg');
		}, { javaScriptEnabled: false });
		// the office sees the answer waiting
		await journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', server.passwords.admin);
			await page.goto('/supervision');
			assert.match(await textOf(page.locator('#supervision-table tr.unit-fgj')), /市发改局 逾期 .* 1$/);
		});
	});

	test('the leadership group on a phone: every unit\'s lamps, what each roadshow brought, a 现场会\'s follow-ups', (t) =>
		journey(t, 'phone', async (s) => {
			const { page } = s;
			await login(s, 'leader', USER_PASSWORD);
			await page.goto('/workbench');
			assert.match(await textOf(page.locator('#work-tasks')), /逾期任务 .*项/);
			await page.goto('/supervision');
			assert.ok((await page.locator('#supervision-table tbody tr').count()) >= 22);
			assert.match(await textOf(page.locator('#supervision-table tr.unit-jrz')), /逾期/);
			assert.match(await textOf(page.locator('#supervision-table tr.unit-zrj')), /无任务/);
			await assertPhoneLayout(s, '督办一览 (leaders)');

			await page.goto('/roadshows');
			const first = page.locator('section.roadshow').filter({ hasText: '常态化路演（第一期）' });
			assert.ok((await first.locator('.brought-investments li a[href^="/investments/"]').count()) >= 2, 'the investments it brought');
			assert.ok((await first.locator('.brought-projects li a[href^="/projects/"]').count()) >= 1, 'the projects it brought');
			assert.match(await textOf(first.locator('.funnel')), /转化率/);
			assert.ok((await page.locator('section.roadshow').count()) >= 3);
			await assertPhoneLayout(s, '路演转化');

			await page.goto('/events?kind=site_meeting');
			await page.locator('#events a', { hasText: /^示例·大孵化集群建设现场会$/ }).click();
			await page.waitForLoadState('load');
			const follow = page.locator('#follow-up-tasks li');
			assert.equal(await follow.count(), 2);
			assert.match(await textOf(follow.filter({ hasText: '公共配套' })), /逾期 5 天/);
			assert.match(await textOf(follow.filter({ hasText: '六比竞赛' })), /已完成/);
			assert.equal(await page.locator('#photos ul.photos img').count(), 1);
			assert.equal(await page.locator('#add-follow-up').count(), 0, 'leaders dispatch nothing');
			await assertPhoneLayout(s, 'a 现场会 with its follow-ups');
		}));

	test('the office dispatches a 现场会\'s follow-up from its page; the task links back', (t) =>
		journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', server.passwords.admin);
			await page.goto('/events?kind=site_meeting');
			await page.locator('#events a', { hasText: /^示例·大孵化集群建设现场会$/ }).click();
			await page.waitForLoadState('load');
			const eventPath = new URL(page.url()).pathname;
			await page.locator('#add-follow-up > summary').click();
			const form = page.locator('#add-follow-up form');
			await form.getByLabel('任务名称（会上议定的事项）').fill('市科技局牵头编制孵化园招商清单');
			await form.getByLabel('牵头单位').selectOption('kjj');
			await form.locator('details.unit-checks summary').click();
			await form.getByLabel('市经信局').check();
			await form.getByLabel('完成时限').fill('2025-02-28');
			await submit(s, form.getByRole('button', { name: '派发' }));
			const item = page.locator('#follow-up-tasks li').filter({ hasText: '招商清单' });
			assert.match(await textOf(item), /正常 .*牵头单位：市科技局/);
			await submit(s, item.getByRole('link'));
			assert.match(await textOf(page.locator('#task-source')), /现场会「示例·大孵化集群建设现场会」.*的后续任务/);
			assert.match(await textOf(page.locator('.task-head')), /市经信局/);
			assert.equal(await page.locator('#task-source a').getAttribute('href'), eventPath);
		}));
});
