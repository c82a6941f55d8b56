/*
 * print.test.mjs — the print frame (UI.md "Print and export"): the
 * overview, an area, a base's evaluation and the comparison printed to PDF
 * by chromium carry on page 1 the issuing unit (from the plan file), the
 * title, the 数据截至 date, the printed-at time and the demo label, and
 * every page its number ("第 1 页 共 N 页"). Read back with pdftotext.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ADMIN_PASSWORD, login, openPage, startServerAndBrowser } from './harness.mjs';

const run = promisify(execFile);
let server;
let browser;
let office;
let dir;

before(async () => {
	({ server, browser } = await startServerAndBrowser());
	office = await openPage(browser, 'desktop', server.baseURL);
	await login(office, 'admin', ADMIN_PASSWORD);
	dir = mkdtempSync(join(tmpdir(), 'hatchery-print-'));
});

after(async () => {
	await office?.close();
	await browser?.close();
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/* The text of each page of a PDF (pdftotext, form feeds between pages). */
async function pdfPages(pdf, name) {
	const file = join(dir, `${name}.pdf`);
	writeFileSync(file, pdf);
	const { stdout } = await run('pdftotext', ['-layout', file, '-']);
	return stdout.split('\f').filter((p) => p.trim());
}

const PAGES = [
	['overview', '/?year=2023&as_of=2023-12-31', '2023年12月31日'],
	['area', '/areas/feiyun?year=2024&as_of=2024-06-30', '2024年6月30日'],
	['evaluation', '/bases/10/evaluation', null],
	['comparison', '/compare?indicator=area_added&year=2024&as_of=2024-09-30', '2024年9月30日'],
];

for (const [name, path, asOf] of PAGES) {
	test(`printing ${name} (${path}): unit, date and demo label on page 1, page numbers`, async () => {
		const { page } = office;
		const res = await page.goto(path);
		assert.equal(res.status(), 200);
		const pdf = await page.pdf({ format: 'A4', printBackground: false });
		const pages = await pdfPages(pdf, name);
		assert.ok(pages.length >= 1, 'a page at least');
		const first = pages[0].replace(/[ \t]+/g, ' ');
		assert.match(first, /瑞安市大孵化集群工作专班办公室/, 'the issuing unit');
		assert.match(first, asOf ? new RegExp(`数据截至 ${asOf}`) : /数据截至 \d{4}年\d{1,2}月\d{1,2}日/, 'the date of the data');
		assert.match(first, /打印时间 \d{4}-\d\d-\d\d \d\d:\d\d/, 'when it was printed');
		assert.match(first, /示例数据/, 'the demo label on paper');
		assert.match(first, new RegExp(`第\\s*1\\s*页\\s*共\\s*${pages.length}\\s*页`), 'the page number');
		if (pages.length > 1) assert.match(pages[pages.length - 1], new RegExp(`第\\s*${pages.length}\\s*页\\s*共\\s*${pages.length}\\s*页`));
		assert.doesNotMatch(first, /跳到正文|修改密码|退出/, 'no screen-only controls on paper');
	});
}
