/*
 * text.test.mjs — Chinese as officials write it (UI.md "Language", "Time";
 * issue 15, Deliver 1):
 *   1. a scan of the page templates and message tables (the C string
 *      literals of the files that write pages and messages) that fails on
 *      ASCII punctuation , : ; ? ! ( ) inside Chinese text;
 *   2. every page rendered as each role, failing on an ISO "T..Z" time, an
 *      area code or an English word in the visible text.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
	ADMIN_PASSWORD, ROOT, USER_PASSWORD, apiGet, login, openPage, startServerAndBrowser,
} from './harness.mjs';

/* ---- 1. the scan ---- */

// The files whose strings people read on pages and in messages; the store
// (SQL), the plan and rule readers (English errors for developers) and the
// command line are not among them.
const UI_FILES = readdirSync(join(ROOT, 'src')).filter((f) =>
	/^(page_.*|api_.*|registry|records|review|recognition|targets|transfer|upload|session|users|auth|http|fmt|chart|eval|progress|xlsx_read|xlsx_write|domain|reports|forms|competition|appraisal|assessment|bulletins|doc|tasks|events|attachments|policy|policy_results|outbox)\.c$/.test(f));

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’、。《》]/;
const PUNCT = new Set([',', ':', ';', '?', '!', '(', ')']);

/* The C string literals of a source, each with its line. */
function literals(src) {
	const out = [];
	let line = 1;
	for (let i = 0; i < src.length; i++) {
		const c = src[i];
		if (c === '\n') line++;
		else if (src.startsWith('//', i)) { const j = src.indexOf('\n', i); i = (j < 0 ? src.length : j) - 1; }
		else if (src.startsWith('/*', i)) {
			const j = src.indexOf('*/', i + 2);
			const end = j < 0 ? src.length : j + 2;
			line += (src.slice(i, end).match(/\n/g) || []).length;
			i = end - 1;
		} else if (c === "'") { let j = i + 1; while (j < src.length && src[j] !== "'") j += src[j] === '\\' ? 2 : 1; i = j; }
		else if (c === '"') {
			let j = i + 1;
			while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
			out.push({ text: src.slice(i + 1, j), line });
			i = j;
		}
	}
	return out;
}

/* ASCII punctuation whose nearest non-space neighbour is Chinese. */
function badPunctuation(s) {
	const bad = [];
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (!PUNCT.has(c) || (c === ':' && s[i + 1] === '/') || s[i - 1] === '\\') continue;
		let p = i - 1; while (p >= 0 && s[p] === ' ') p--;
		let n = i + 1; while (n < s.length && s[n] === ' ') n++;
		if (CJK.test(s[p] || '') || CJK.test(s[n] || '')) bad.push(c);
	}
	return bad;
}

// Literals that are syntax, not text: a field's inline code list
// ("=planned:规划中|…") and the separators codes may be typed with.
const SYNTAX = [/^=[a-z_]+:/, /^,，、 $/];

test('page templates and message tables: no ASCII , : ; ? ! ( ) inside Chinese text', () => {
	assert.ok(UI_FILES.length >= 20, `scanned ${UI_FILES.length} files`);
	const found = [];
	for (const f of UI_FILES) {
		for (const { text, line } of literals(readFileSync(join(ROOT, 'src', f), 'utf8'))) {
			if (!CJK.test(text) || SYNTAX.some((re) => re.test(text))) continue;
			const bad = badPunctuation(text);
			if (bad.length) found.push(`src/${f}:${line}: ${bad.join(' ')} in "${text.slice(0, 60)}"`);
		}
	}
	assert.deepEqual(found, [], `ASCII punctuation in Chinese text (GB/T 15834: ，：；？！（）):\n  ${found.join('\n  ')}`);
});

/* The quoted strings of a script ('...' and "..."), each with its line. */
function scriptStrings(src) {
	const out = [];
	for (const m of src.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g))
		out.push({ text: m[1] ?? m[2], line: src.slice(0, m.index).split('\n').length });
	return out;
}

test('the page script\'s messages: no ASCII , : ; ? ! ( ) inside Chinese text', () => {
	const found = [];
	for (const { text, line } of scriptStrings(readFileSync(join(ROOT, 'web', 'app.js'), 'utf8'))) {
		if (!CJK.test(text)) continue;
		const bad = badPunctuation(text);
		if (bad.length) found.push(`web/app.js:${line}: ${bad.join(' ')} in "${text.slice(0, 60)}"`);
	}
	assert.deepEqual(found, [], `ASCII punctuation in Chinese text:\n  ${found.join('\n  ')}`);
	assert.deepEqual(scriptStrings("a = '共 ' + n + ' 行,无误';").map((x) => badPunctuation(x.text)), [[], [',']]);
});

test('the scan finds what it should', () => {
	assert.deepEqual(badPunctuation('请核对,然后提交(必填)'), [',', '(', ')']);
	assert.deepEqual(badPunctuation('单位: 元'), [':']);
	assert.deepEqual(badPunctuation('请核对，然后提交（必填）：'), []);
	assert.deepEqual(badPunctuation('<a href=\\"/x?y=1\\">%s(%d)</a>'), []);
	assert.deepEqual(literals('a = "汉,字"; /* "注释,不算" */ b = \'"\';').map((l) => l.text), ['汉,字']);
});

/* ---- 2. every page as each role ---- */

let server;
let browser;
before(async () => {
	({ server, browser } = await startServerAndBrowser({
		users: [
			{ name: 'fy-text', role: 'area', scope: 'feiyun' },
			{ name: 'leader-text', role: 'viewer' },
			{ name: 'kjj-text', role: 'department', scope: 'kjj' },
			{ name: 'base-text', role: 'base', scope: '10' },
		],
	}));
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/* The GET pages of routes.c with a value for each {param}. */
function pagePaths() {
	const src = readFileSync(join(ROOT, 'src', 'routes.c'), 'utf8');
	const paths = new Set();
	for (const m of src.matchAll(/\{"GET", "([^"]+)", page_[a-z_]+/g)) paths.add(m[1]);
	for (const m of src.matchAll(/REGISTRY_PAGES\("([^"]+)"/g))
		for (const s of ['', '/new', '/import', '/{id}', '/{id}/edit', '/{id}/delete']) paths.add(m[1] + s);
	// a value for each parameter by its name, typed ({id:int}) or not ({id});
	// the demo's records: base 10, the first of every other kind, the area
	// report form's month of 2024-11 for 飞云街道
	const values = {
		id: '10', code: 'feiyun', indicator: 'area_added', set: 'qigeyi',
		form: 'area-monthly', period: '2024-11', org: 'feiyun', sid: '1', mid: '1', pid: '1',
	};
	return [...paths]
		.filter((p) => !/^\/(api|static)|healthz|\.xlsx$|\.csv$|\/file\/|^\/attachments\//.test(p))
		.map((p) => p.replace(/\{([a-z]+)(?::[a-z]+)?\}/g, (k, name) => values[name] ?? k))
		.map((p) => (/^\/(bases|areas|progress|rules|reports)\b/.test(p) ? p : p.replace(/\/10\b/, '/1')));
}

// Words a page may show: names of formats and programs people use, units.
const LATIN_OK = new Set(['USCC', 'Excel', 'Word', 'WPS', 'CSV', 'csv', 'xlsx', 'XLSX', 'zip', 'ID', 'UTF', 'GB', 'BOM', 'PDF', 'JPEG', 'PNG', 'WebP', 'MB', 'KB']);

const ROLES = [
	['anonymous', null],
	['admin', ADMIN_PASSWORD],
	['leader-text', USER_PASSWORD],
	['fy-text', USER_PASSWORD],
	['kjj-text', USER_PASSWORD],
	['base-text', USER_PASSWORD],
];

describe('every page as each role: no ISO time, area code or English word on screen', () => {
	for (const [who, password] of ROLES) {
		test(`as ${who}`, async () => {
			const s = await openPage(browser, 'desktop', server.baseURL);
			try {
				if (password) await login(s, who, password);
				const codes = (await apiGet(s, '/api/v1/areas')).items.map((a) => a.code).filter((c) => c.length > 2);
				// user names are what people typed: shown as they are
				const names = new Set([who, 'admin', 'fy-text', 'leader-text', 'kjj-text', 'base-text', 'cli', 'demo', 'system']);
				const found = [];
				let seen = 0;
				for (const path of pagePaths()) {
					const res = await s.page.goto(path);
					if (res.status() !== 200 || new URL(s.page.url()).pathname === '/login' && path !== '/login') continue;
					seen++;
					const text = (await s.page.evaluate(() => document.body.innerText)).replace(/https?:\/\/\S+/g, ' ');
					for (const m of text.matchAll(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z?/g)) found.push(`${path}: time "${m[0]}"`);
					for (const m of text.matchAll(/(?<![A-Za-z0-9])[A-Za-z][A-Za-z_-]*[A-Za-z](?![A-Za-z0-9])/g)) {
						const w = m[0];
						// the demo's reports name their areas' accounts (feiyun_reporter, feiyun_leader)
						if (/^[a-z]+_(reporter|leader)$/.test(w)) continue;
						if (codes.includes(w)) found.push(`${path}: area code "${w}"`);
						else if (!LATIN_OK.has(w) && !names.has(w)) found.push(`${path}: English "${w}"`);
					}
				}
				assert.ok(seen >= (password ? 8 : 3), `rendered ${seen} pages as ${who}`);
				const unique = [...new Set(found)];
				assert.deepEqual(unique, [], `visible text as ${who}:\n  ${unique.join('\n  ')}`);
			} finally {
				await s.close();
			}
		});
	}
});
