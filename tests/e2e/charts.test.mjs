/*
 * charts.test.mjs — the charts as UI.md "Charts" wants them (issue 15,
 * items 6 and 7): no text over a bar, a target mark or the 100% line, on a
 * desktop and on a phone; a legend beside every chart whose colours carry
 * meaning; the comparison ranked by completion rate, in its table's unit.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, startServerAndBrowser } from './harness.mjs';

let server;
let browser;
before(async () => { ({ server, browser } = await startServerAndBrowser()); });
after(async () => { await browser?.close(); await server?.stop(); });

/* Pairs (text, mark) of each chart on the page whose boxes overlap. */
async function overlaps(page) {
	return page.evaluate(() => {
		const out = [];
		const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
		for (const svg of document.querySelectorAll('svg.chart')) {
			const marks = [...svg.querySelectorAll('rect, line')].map((m) => ({ m, r: m.getBoundingClientRect() }))
				.filter((x) => x.r.width > 0 || x.r.height > 0);
			for (const t of svg.querySelectorAll('text')) {
				if (!t.textContent.trim()) continue;
				const r = t.getBoundingClientRect();
				for (const { m, r: mr } of marks) {
					// a line is a box of its stroke
					const box = m.tagName === 'line' ? { left: mr.left - 1, right: mr.right + 1, top: mr.top, bottom: mr.bottom } : mr;
					if (hit(r, box)) out.push(`"${t.textContent.trim().slice(0, 20)}" over a ${m.tagName}`);
				}
			}
		}
		return [...new Set(out)];
	});
}

for (const viewport of ['desktop', 'phone']) {
	test(`charts: no text over a bar, mark or line; legends; the ranking (${viewport})`, async () => {
		const s = await openPage(browser, viewport, server.baseURL);
		try {
			const { page } = s;
			for (const path of ['/?year=2024&as_of=2024-09-30', '/areas/tangxia?year=2024', '/compare?indicator=area_added&year=2024',
				'/compare?indicator=race_investment&year=2024']) {
				await page.goto(path);
				const n = await page.locator('svg.chart').count();
				if (!path.startsWith('/areas')) assert.ok(n > 0, `${path} has a chart`);
				assert.deepEqual(await overlaps(page), [], `${path}: text over marks`);
				for (let i = 0; i < n; i++) {
					const svg = page.locator('svg.chart').nth(i);
					const coloured = await svg.evaluate((el) => new Set([...el.querySelectorAll('rect')].map((r) => r.getAttribute('fill'))).size);
					if (coloured > 1) {
						const legend = await svg.evaluate((el) => el.previousElementSibling?.matches('ul.legend') ? el.previousElementSibling.innerText : '');
						assert.ok(legend.trim(), `${path}: chart ${i + 1} has colours and a legend`);
					}
				}
			}
			// the comparison ranks by completion rate: the rates fall down the table
			await page.goto('/compare?indicator=area_added&year=2024');
			const rates = (await page.locator('table#compare td.rate').allInnerTexts()).map((x) => x.trim())
				.filter((x) => x !== '—').map((x) => parseFloat(x));
			assert.ok(rates.length > 3);
			for (let i = 1; i < rates.length; i++) assert.ok(rates[i] <= rates[i - 1], `ranked by rate: ${rates.join(', ')}`);
		} finally {
			await s.close();
		}
	});
}
