// a11y.test.mjs — the main pages, as rendered by Chromium: every form
// control has a label, every image a text alternative, and body text (main
// paragraphs, list and fact items, table cells, navigation links) a
// contrast of at least 4.5:1 against the background it is painted on
// (WCAG 2 relative luminance).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, login, openPage, startServerAndBrowser } from './harness.mjs';

const MIN_CONTRAST = 4.5;

// [path, who, what the page's h1 says]
const PAGES = [
	['/workbench', 'admin', /^工作台$/],
	['/', 'admin', /总览/],
	['/areas', 'admin', /^区域$/],
	['/plan', 'admin', /行动计划/],
	['/areas/feiyun', 'admin', /^飞云街道$/],
	['/bases/10', 'admin', /飞云/],
	['/admin/users', 'admin', /用户/],
	['/login', 'anonymous', /^登录$/],
	['/', 'anonymous', /总览/],
];

let server;
let browser;
let admin; // one logged-in desktop session for the admin pages
let anon;

before(async () => {
	({ server, browser } = await startServerAndBrowser());
	admin = await openPage(browser, 'desktop', server.baseURL);
	await login(admin, 'admin', ADMIN_PASSWORD);
	assert.equal(new URL(admin.page.url()).pathname, '/workbench');
	anon = await openPage(browser, 'desktop', server.baseURL);
});

after(async () => {
	await admin?.close();
	await anon?.close();
	await browser?.close();
	await server?.stop();
});

/* Runs in the page: the three checks, each a list of problems, and counts of what was checked. */
function audit(minContrast) {
	const visible = (el) => {
		const r = el.getBoundingClientRect();
		const cs = getComputedStyle(el);
		return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
	};
	const describe = (el) => {
		const t = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 30);
		return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''}> "${t}"`;
	};

	// Labels.
	const labels = [];
	const controls = [...document.querySelectorAll('input, select, textarea')]
		.filter((el) => !['hidden', 'submit', 'button', 'reset'].includes((el.getAttribute('type') || '').toLowerCase()));
	for (const el of controls) {
		const byFor = el.id && [...document.querySelectorAll('label[for]')].find((l) => l.htmlFor === el.id);
		const ok = (byFor && byFor.textContent.trim()) || (el.getAttribute('aria-label') || '').trim() ||
			(el.closest('label') && el.closest('label').textContent.trim()) ||
			(el.getAttribute('aria-labelledby') || '').split(/\s+/).some((id) => document.getElementById(id)?.textContent.trim());
		if (!ok) labels.push(`${describe(el)} name="${el.name}" has no label`);
	}

	// Images.
	const images = [];
	for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) images.push(`${describe(img)} src=${img.src} has no alt`);
	for (const svg of document.querySelectorAll('svg[role="img"]')) {
		const name = (svg.getAttribute('aria-label') || '').trim() ||
			(svg.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent.trim()).join('');
		if (!name) images.push('svg[role=img] has no accessible name');
	}

	// Contrast.
	const parse = (c) => {
		const m = /rgba?\(([^)]+)\)/.exec(c);
		if (!m) return null;
		const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
		return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
	};
	const over = (top, bottom) => ({
		r: top.r * top.a + bottom.r * (1 - top.a),
		g: top.g * top.a + bottom.g * (1 - top.a),
		b: top.b * top.a + bottom.b * (1 - top.a),
		a: 1,
	});
	// The background an element is painted on: its own and its ancestors'
	// background colours, composed down to the nearest opaque one (white canvas
	// when none is).
	const background = (el) => {
		const layers = [];
		for (let e = el; e; e = e.parentElement) {
			const c = parse(getComputedStyle(e).backgroundColor);
			if (c && c.a > 0) layers.push(c);
			if (c && c.a >= 1) break;
		}
		let bg = { r: 255, g: 255, b: 255, a: 1 };
		if (layers.length && layers[layers.length - 1].a >= 1) bg = layers.pop();
		while (layers.length) bg = over(layers.pop(), bg);
		return bg;
	};
	const lum = ({ r, g, b }) => {
		const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
	};
	const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
	const hex = ({ r, g, b }) => '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');

	const contrast = [];
	const textEls = new Set();
	for (const root of document.querySelectorAll('main p, main li, main dt, main dd, .demo-banner, td, th, nav a')) {
		for (const el of [root, ...root.querySelectorAll('*')]) {
			if (el.closest('svg')) continue;
			const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
			if (own && visible(el)) textEls.add(el);
		}
	}
	let worst = Infinity;
	for (const el of textEls) {
		const bg = background(el);
		const fgRaw = parse(getComputedStyle(el).color);
		if (!fgRaw) { contrast.push(`${describe(el)}: unreadable color ${getComputedStyle(el).color}`); continue; }
		const fg = over(fgRaw, bg);
		const r = ratio(fg, bg);
		worst = Math.min(worst, r);
		if (r < minContrast) contrast.push(`${describe(el)}: ${hex(fg)} on ${hex(bg)} = ${r.toFixed(2)}:1`);
	}
	return {
		labels, images, contrast,
		counts: { controls: controls.length, images: document.images.length, text: textEls.size, worst },
		h1: document.querySelector('h1')?.textContent.trim(),
		lang: document.documentElement.lang,
	};
}

describe('accessibility of the main pages (desktop)', () => {
	for (const [path, who, h1] of PAGES) {
		test(`${path} as ${who}: labels, alt texts, contrast ≥ ${MIN_CONTRAST}:1`, async (t) => {
			const s = who === 'admin' ? admin : anon;
			const res = await s.page.goto(path);
			assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
			assert.equal(new URL(s.page.url()).pathname, path, 'not redirected');
			const r = await s.page.evaluate(audit, MIN_CONTRAST);
			assert.match(r.h1 || '', h1, `the page is ${path}`);
			assert.equal(r.lang, 'zh-CN');
			assert.ok(r.counts.text > 5, `checked the contrast of ${r.counts.text} text elements`);
			if (path === '/login') assert.equal(r.counts.controls, 2, 'user name and password');
			if (path === '/admin/users') assert.ok(r.counts.controls >= 3, 'the add-user form');
			assert.deepEqual(r.labels, [], `controls without a label on ${path}`);
			assert.deepEqual(r.images, [], `images without a text alternative on ${path}`);
			assert.deepEqual(r.contrast, [], `text below ${MIN_CONTRAST}:1 on ${path}`);
			t.diagnostic(`${path}: ${r.counts.controls} controls, ${r.counts.images} images, ` +
				`${r.counts.text} text elements, lowest contrast ${r.counts.worst.toFixed(2)}:1`);
			s.assertClean();
		});
	}

	// The audit itself: a page with each fault must be caught.
	test('the audit catches a missing label, a missing alt and faint text', async () => {
		const ctx = await browser.newContext();
		try {
			const page = await ctx.newPage();
			await page.setContent(`<main style="background:#fff"><p style="color:#aaa">浅灰色文字</p>
				<p style="background:rgba(0,0,0,.5);color:#333">半透明背景上的深色文字</p>
				<input name="q"><label for="x">有标签</label><input id="x" name="x">
				<img src="data:,"></main><table><tr><td style="color:#5b6675">足够深</td></tr></table>`);
			const r = await page.evaluate(audit, MIN_CONTRAST);
			assert.equal(r.labels.length, 1);
			assert.match(r.labels[0], /name="q"/);
			assert.equal(r.images.length, 1);
			assert.equal(r.contrast.length, 2, r.contrast.join('\n'));
			assert.match(r.contrast[0], /#aaaaaa on #ffffff = 2\.32:1/);
			assert.match(r.contrast[1], /on #808080/);
		} finally {
			await ctx.close();
		}
	});
});
