// reports.test.mjs — periodic reporting (填报) in a browser: a base fills
// its yearly Torch form on a phone (a paired figure wrong first, then
// right) and its town approves it on a desktop; a town reporter corrects
// the returned monthly report on a phone with a figure that trips a soft
// rule, explains it and submits; another account of the town signs it off,
// the office accepts it, and 新增人才数 on
// the overview moves by exactly the accepted number. The server's clock is
// pinned (HATCHERY_NOW) to 3 January 2025, 10:00 Beijing time: the 2024
// yearly forms are open, December's monthly report is due on the 5th.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, USER_PASSWORD, apiGet, assertPhoneLayout, login, openPage, reportKnownBugs, startServerAndBrowser,
	textOf,
} from './harness.mjs';

process.env.HATCHERY_NOW = '2025-01-03T10:00:00+08:00';

let server;
let browser;

before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'base10', role: 'base', scope: '10' },
			{ name: 'fy-reporter', role: 'area', scope: 'feiyun' },
			{ name: 'fy-leader', role: 'area', scope: 'feiyun' },
		],
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

/* Fills a report box by its label. */
async function fill(page, label, value) {
	await page.getByLabel(label, { exact: true }).fill(value);
}

/* Presses a button and waits for the page the server answers with. */
async function submit(s, button) {
	await Promise.all([s.page.waitForEvent('framenavigated', (f) => f === s.page.mainFrame()), s.press(button)]);
	await s.page.waitForLoadState('load');
}

describe('periodic reports', () => {
	test('a base fills its yearly Torch form on a phone; its town approves it', (t) =>
		journey(t, 'phone', async (s) => {
			const { page } = s;
			await login(s, 'base10', USER_PASSWORD);
			await page.goto('/reports');
			await assertPhoneLayout(s, '填报 (base)');
			const card = page.locator('section.form-card[data-form="torch-incubator"]');
			await submit(s, card.locator('a.button').first());
			assert.match(new URL(page.url()).pathname, /^\/reports\/torch-incubator\/2024\/base-10$/);
			assert.equal(await textOf(page.locator('#report-status')), '未填报');
			// the unit beside the box: money in 千元 as the Torch forms insist
			const income = page.locator('[data-field="income_total_yuan"]');
			assert.equal(await textOf(income.locator('.unit')), '千元');
			await assertPhoneLayout(s, 'Torch form (empty)');

			const values = {
				'总收入': '4,000', '其中：综合服务收入': '1500', '房租及物业收入': '2000', '投资收入': '300', '其他收入': '200',
				'获得财政资助额': '120', '孵化基金总额': '5000', '从业人员': '18', '其中：专业孵化服务人员': '15', '创业导师': '8',
				'孵化场地总面积': '12000', '其中：在孵企业使用面积': '9000', '公共服务面积': '1500', '在孵企业': '45',
				'在孵企业从业人员': '30', '当年新增在孵企业': '10', '当年毕业企业': '3', '累计毕业企业': '21',
				'在孵企业总收入': '88000', '在孵企业研发投入': '6200', '当年获得投融资的在孵企业': '6',
				'在孵企业当年获得投融资额': '21000', '在孵企业当年知识产权申请数': '60', '在孵企业当年知识产权授权数': '30',
				'其中：发明专利': '4',
			};
			for (const [label, v] of Object.entries(values)) await fill(page, label, v);
			// employees fewer than firms: the Torch pairing check refuses the submission, inline
			s.expectStatus(422, /^\/reports\//);
			await submit(s, page.getByRole('button', { name: '报送', exact: true }));
			const employees = page.locator('[data-field="firms_employees"]');
			assert.match(await textOf(employees.locator('.field-error')), /从业人员不少于企业家数/);
			assert.equal(await page.getByLabel('在孵企业', { exact: true }).inputValue(), '45', 'what was typed is kept');
			await assertPhoneLayout(s, 'Torch form with an error');
			await fill(page, '在孵企业从业人员', '520');
			await submit(s, page.getByRole('button', { name: '报送', exact: true }));
			assert.match(await textOf(page.locator('p.form-ok')), /已报送，等待所在镇街、功能区审核/);
			assert.equal(await textOf(page.locator('#report-status')), '已报送，待区域审核');
			assert.equal(await textOf(page.locator('#f-income_total_yuan')), '4,000 千元');
			await assertPhoneLayout(s, 'Torch form submitted');

			// the town approves it on a desktop
			const area = await openPage(browser, 'desktop', server.baseURL);
			try {
				await login(area, 'fy-reporter', USER_PASSWORD);
				await area.page.goto('/reports');
				const waiting = area.page.locator('#waiting');
				assert.match(await textOf(waiting), /待我审核（1 份）/);
				await submit(area, waiting.getByRole('link', { name: /飞云青年创业加速器/ }));
				await submit(area, area.page.getByRole('button', { name: '审核通过' }));
				assert.equal(await textOf(area.page.locator('#report-status')), '区域已审核，待市专班确认');
				area.assertClean();
			} finally {
				await area.close();
			}
			await page.reload();
			assert.equal(await textOf(page.locator('#report-status')), '区域已审核，待市专班确认');
			assert.match(await textOf(page.locator('#why-locked')), /正在审核/);
		}));

	test('a town corrects its returned monthly report on a phone, explains a spike; the office accepts; 新增人才数 moves', (t) =>
		journey(t, 'phone', async (s) => {
			const { page } = s;
			const office = await openPage(browser, 'desktop', server.baseURL);
			try {
				await login(office, 'admin', ADMIN_PASSWORD);
				const before = await apiGet(office, '/api/v1/progress?year=2024');
				const talentsBefore = before.indicators.find((i) => i.indicator === 'race_talents').actual;

				await login(s, 'fy-reporter', USER_PASSWORD);
				await page.goto('/reports');
				assert.match(await textOf(page.locator('#my-returned')), /退回原因：新增人才数与人才名单人数不一致/);
				await submit(s, page.locator('#my-returned a').first());
				assert.match(await textOf(page.locator('#return-reason')), /人才名单人数不一致/);
				await assertPhoneLayout(s, 'monthly report (returned)');
				// last period's value beside the box
				assert.match(await textOf(page.locator('[data-field="talents_new"] .last')), /^上期：\d+ 人$/);
				await fill(page, '新增人才数', '40');
				await fill(page, '其中：硕士、博士', '12');
				s.expectStatus(422, /^\/reports\//);
				await submit(s, page.getByRole('button', { name: '报送', exact: true }));
				const talents = page.locator('[data-field="talents_new"]');
				assert.match(await textOf(talents.locator('.field-warning')), /中位数的3倍/);
				await assertPhoneLayout(s, 'monthly report with a warning');
				await talents.getByLabel('说明（超出常规的原因）').fill('飞云街道举办人才夜市，集中签约 40 名青年人才。');
				await submit(s, page.getByRole('button', { name: '报送', exact: true }));
				assert.equal(await textOf(page.locator('#report-status')), '已报送，待区域审核');

				// the town signs it off (another account of 飞云 than the reporter's)
				const leader = await openPage(browser, 'desktop', server.baseURL);
				try {
					await login(leader, 'fy-leader', USER_PASSWORD);
					await leader.page.goto('/reports');
					await submit(leader, leader.page.locator('#waiting').getByRole('link', { name: /飞云街道/ }));
					await submit(leader, leader.page.getByRole('button', { name: '审核通过' }));
					assert.equal(await textOf(leader.page.locator('#report-status')), '区域已审核，待市专班确认');
					leader.assertClean();
				} finally {
					await leader.close();
				}

				// the office accepts it from the completeness page
				await office.page.goto('/reports/area-monthly/2024-12');
				const row = office.page.locator('#completeness tr[data-org="feiyun"]');
				assert.equal(await row.getAttribute('data-status'), 'approved');
				await submit(office, row.getByRole('link', { name: '飞云街道' }));
				assert.match(await textOf(office.page.locator('.note')), /人才夜市/);
				await submit(office, office.page.getByRole('button', { name: /确认/ }));
				assert.equal(await textOf(office.page.locator('#report-status')), '已确认');
				const afterAccept = await apiGet(office, '/api/v1/progress?year=2024');
				const talentsAfter = afterAccept.indicators.find((i) => i.indicator === 'race_talents').actual;
				// December's returned report counted nothing; now it counts its 40
				assert.equal(talentsAfter - talentsBefore, 40);
				office.assertClean();
			} finally {
				await office.close();
			}
		}));

	test('the office sees who has not reported and reminds them in one click', (t) =>
		journey(t, 'desktop', async (s) => {
			const { page } = s;
			await login(s, 'admin', ADMIN_PASSWORD);
			await page.goto('/reports/area-monthly/2024-12');
			const late = await page.locator('#chase span.late').count();
			assert.ok(late > 0, 'some areas have not reported');
			await submit(s, page.locator('#remind-all'));
			assert.match(await textOf(page.locator('p.form-ok')), new RegExp(`已向 ${late} 个单位发送催报提醒`));
			const reminded = page.locator('#completeness tr[data-status="none"] td.num');
			assert.equal(await textOf(reminded.first()), '1');
		}));
});
