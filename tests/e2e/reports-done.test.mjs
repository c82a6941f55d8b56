// reports-done.test.mjs — issue #16's "done when", as one journey in a
// browser. The server's clock is pinned (HATCHERY_NOW, read by the reports
// only) to the 6th of January 2025, 09:30 Beijing time: December's monthly
// report was due yesterday and closes on the 10th. The office opens the
// completeness table, sees who is late and reminds them in one click; the
// 塘下新区 reporter sees the reminder on 工作台 and enters the report on a
// phone (390×844) with a figure that trips a soft rule, explains it and
// submits; another account of 塘下 signs it off; the office accepts it, and
// 新增人才数 on 总览 moves by exactly the accepted number.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, assertPhoneLayout, login, openPage, overviewFigure, reportKnownBugs,
	startServerAndBrowser, textOf,
} from './harness.mjs';

process.env.HATCHERY_NOW = '2025-01-06T09:30:00+08:00';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'tx-reporter', role: 'area', scope: 'tangxia' },
			{ name: 'tx-leader', role: 'area', scope: 'tangxia' },
		],
	}));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

/* Presses a button or link and waits for the page the server answers with. */
async function submit(s, button) {
	await Promise.all([s.page.waitForEvent('framenavigated', (f) => f === s.page.mainFrame()), s.press(button)]);
	await s.page.waitForLoadState('load');
}

async function fill(page, label, value) {
	await page.getByLabel(label, { exact: true }).fill(value);
}

const TALENTS = 90; // far above three times 塘下's median of the six months before

describe('periodic reports: done when', () => {
	test('on the 6th the office chases the late, a town reports on a phone, the area approves, the office accepts, 新增人才数 moves', async (t) => {
		const office = await openPage(browser, 'desktop', server.baseURL);
		const phone = await openPage(browser, 'phone', server.baseURL);
		const leader = await openPage(browser, 'desktop', server.baseURL);
		try {
			await login(office, 'admin', ADMIN_PASSWORD);
			const before = await overviewFigure(office, 2024, 'race_talents');

			// 1. the office opens the completeness table of December from 填报 and sees who is late
			await office.page.goto('/reports');
			const card = office.page.locator('section.form-card[data-form="area-monthly"]');
			const dec = card.locator('tr', { hasText: '2024年12月' });
			assert.match(await textOf(dec), /已过截止日/);
			await submit(office, dec.getByRole('link', { name: '完成情况' }));
			assert.equal(new URL(office.page.url()).pathname, '/reports/area-monthly/2024-12');
			const txRow = office.page.locator('#completeness tr[data-org="tangxia"]');
			assert.equal(await txRow.getAttribute('data-status'), 'none');
			assert.match(await textOf(txRow), /逾期/);
			const late = await office.page.locator('#chase span.late').allInnerTexts();
			assert.ok(late.includes('塘下新区'), `塘下新区 is on the 催报 list: ${late.join('、')}`);
			assert.match(await textOf(office.page.locator('#summary')), new RegExp(`逾期未报 ${late.length}`));

			// ... and reminds them in one click
			await submit(office, office.page.locator('#remind-all'));
			assert.match(await textOf(office.page.locator('p.form-ok')), new RegExp(`已向 ${late.length} 个单位发送催报提醒`));
			assert.equal(await textOf(office.page.locator('#completeness tr[data-org="tangxia"] td.num')), '1');

			// 2. the 塘下 reporter, on a phone, finds the reminder and the report due on 工作台
			const { page } = phone;
			await login(phone, 'tx-reporter', USER_PASSWORD);
			await page.goto('/workbench');
			assert.match(await textOf(page.locator('#my-reminders')), /塘下新区：2024年12月《镇街、功能区大孵化集群建设月报》已逾期/);
			await assertPhoneLayout(phone, '工作台 with a reminder');
			await submit(phone, page.locator('#work-reports ul.due a', { hasText: '2024年12月' }));
			assert.equal(new URL(page.url()).pathname, '/reports/area-monthly/2024-12/tangxia');
			assert.equal(await textOf(page.locator('#report-status')), '未填报');
			await assertPhoneLayout(phone, 'monthly report (empty)');
			const values = {
				'新增人才数': String(TALENTS), '其中：硕士、博士': '12', '新引进科创项目': '2', '新引进科创团队': '1',
				'团队成员': '5', '举办双创活动': '3', '活动参与人次': '260',
			};
			for (const [label, v] of Object.entries(values)) await fill(page, label, v);
			await page.getByLabel('本月工作进展', { exact: true }).fill('塘下新区举办汽摩配产业人才招聘专场，集中引进技术人才。');
			// the figure trips the soft rule: the submission is held, the warning inline, what was typed kept
			phone.expectStatus(422, /^\/reports\//);
			await submit(phone, page.getByRole('button', { name: '报送', exact: true }));
			const talents = page.locator('[data-field="talents_new"]');
			assert.match(await textOf(talents.locator('.field-warning')), /中位数的3倍/);
			assert.equal(await page.getByLabel('新增人才数', { exact: true }).inputValue(), String(TALENTS));
			await assertPhoneLayout(phone, 'monthly report with a soft warning');
			// explained, it goes through
			await talents.getByLabel('说明（超出常规的原因）').fill('举办汽摩配产业人才招聘专场，集中签约 90 名技术人才，名单另附。');
			await submit(phone, page.getByRole('button', { name: '报送', exact: true }));
			assert.equal(await textOf(page.locator('#report-status')), '已报送，待区域审核');
			assert.equal(await page.locator('#review').count(), 0, 'the reporter does not approve its own report');
			await assertPhoneLayout(phone, 'monthly report submitted');

			// 3. the area signs it off (another 塘下 account)
			await login(leader, 'tx-leader', USER_PASSWORD);
			await leader.page.goto('/workbench');
			await submit(leader, leader.page.locator('#waiting').getByRole('link', { name: /塘下新区/ }));
			assert.match(await textOf(leader.page.locator('.note')), /招聘专场/);
			await submit(leader, leader.page.getByRole('button', { name: '审核通过' }));
			assert.equal(await textOf(leader.page.locator('#report-status')), '区域已审核，待市专班确认');

			// 4. the office accepts it from the completeness table
			await office.page.goto('/reports/area-monthly/2024-12');
			assert.equal(await txRow.getAttribute('data-status'), 'approved');
			await submit(office, txRow.getByRole('link', { name: '塘下新区' }));
			await submit(office, office.page.getByRole('button', { name: /确认/ }));
			assert.equal(await textOf(office.page.locator('#report-status')), '已确认');

			// 5. 新增人才数 on 总览 moved by exactly the accepted number
			const afterAccept = await overviewFigure(office, 2024, 'race_talents');
			assert.equal(afterAccept.value - before.value, TALENTS);

			for (const s of [office, phone, leader]) s.assertClean();
			await reportKnownBugs(t, phone, 'tx-reporter');
		} finally {
			await office.close();
			await phone.close();
			await leader.close();
		}
	});
});
