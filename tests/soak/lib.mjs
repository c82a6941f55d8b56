// lib.mjs — what the soak runs share (tests/soak/*.mjs, `make soak`): a
// database made with `hatchery init --demo`, a server on 127.0.0.1 with a
// free port, logins, HTTP requests with keep-alive, the sqlite3 shell, and
// the figures each run prints. Everything listens and connects on 127.0.0.1
// only; every run is bounded in time and in the number of connections.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export const top = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const bin = process.env.HATCHERY_BIN || path.join(top, 'build/hatchery');
export const PASSWORD = 'Soak-Run-Passw0rd-2026';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh directory under /tmp (or under `under`), removed by the caller's cleanup. */
export function tempDir(name, under = os.tmpdir()) {
  return fs.mkdtempSync(path.join(under, `hatchery-soak-${name}-`));
}

/** `hatchery init --demo` into db; the admin's password is PASSWORD. */
export function initDb(db) {
  const r = spawnSync(bin, ['init', '--db', db, '--demo'], {
    env: { ...process.env, HATCHERY_ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hatchery init: ${r.stderr}`);
}

/** Runs SQL through the sqlite3 shell; returns its output, trimmed. */
export function sql(db, text) {
  const r = spawnSync('sqlite3', ['-batch', db, text], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${db}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Starts `hatchery serve` on a free port of 127.0.0.1; resolves to { proc, port, log }. */
export function startServer(db, extra = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet', ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${log}`)), 15000);
    proc.stderr.on('data', (d) => { log += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]), get log() { return log; } });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}${log}`)); });
  });
}

/** Stops a server with SIGTERM (or SIGKILL when kill is set) and waits for it. */
export function stopServer(srv, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return resolve();
    srv.proc.removeAllListeners('exit');
    srv.proc.on('exit', () => resolve());
    srv.proc.kill(signal);
  });
}

/**
 * One request; resolves to { status, body, headers, ms } or { error, ms }
 * (never rejects). opts: method, headers, body (string or Buffer), agent,
 * timeout (ms, default 30000).
 */
export function request(port, pathname, opts = {}) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const body = opts.body === undefined ? null : Buffer.from(opts.body);
    const headers = { ...(opts.headers || {}) };
    if (body) headers['Content-Length'] = body.length;
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: opts.method || 'GET', headers,
      agent: opts.agent || false, timeout: opts.timeout || 30000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', (e) => resolve({ error: e.message, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message, ms: performance.now() - t0 }));
    if (body) req.write(body);
    req.end();
  });
}

/** Logs in through the API; resolves to { cookie, csrf } for `as`. */
export async function login(port, user = 'admin', password = PASSWORD) {
  const r = await request(port, '/api/v1/session', { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, password }) });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${r.body || r.error}`);
  const cookie = String(r.headers['set-cookie']).split(';')[0];
  return { cookie, csrf: JSON.parse(r.body).csrf_token };
}

/** Headers of a logged-in request (the CSRF token on state changes). */
export function as(l, method = 'GET', type) {
  const h = { Cookie: l.cookie };
  if (method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = l.csrf;
  if (type) h['Content-Type'] = type;
  return h;
}

/** A project record as the API takes it (a kind with few required fields). */
export function projectJson(name) {
  return JSON.stringify({ name, kind: 'project', area: 'tangxia', arrived_on: '2024-03-03' });
}

/** A CSV import of n projects named `${tag}-${i}`. */
export function projectsCsv(tag, n) {
  let s = '名称,类别,所属区域,落地日期\r\n';
  for (let i = 0; i < n; i++) s += `${tag}-${i},project,tangxia,2024-03-03\r\n`;
  return s;
}

/** The p-th percentile (0..100) of an array of numbers. */
export function percentile(xs, p) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** 1 when the text holds a Chinese character. */
export const chinese = (s) => /[\u4e00-\u9fff]/.test(s || '');

/** The error object of a JSON answer, or null. */
export function apiError(body) {
  try { return JSON.parse(body).error || null; } catch { return null; }
}

/** Checks the database: integrity_check, and record_count (kept by triggers) equal to the rows. */
export function checkDb(db) {
  const problems = [];
  const ic = sql(db, 'PRAGMA integrity_check');
  if (ic !== 'ok') problems.push(`integrity_check: ${ic}`);
  const kinds = { bases: 'base', operators: 'operator', funds: 'fund', investments: 'investment', projects: 'project', firms: 'firm' };
  for (const [kind, table] of Object.entries(kinds)) {
    const have = sql(db, `SELECT count(*) FROM ${table}`);
    const kept = sql(db, `SELECT coalesce(sum(n), 0) FROM record_count WHERE kind = '${kind}'`);
    if (have !== kept) problems.push(`record_count says ${kept} ${kind}, the table holds ${have}`);
  }
  return problems;
}

/** Prints the run's figures and its verdict; exits non-zero on any failure. */
export function finish(name, figures, failures) {
  console.log(`== ${name}`);
  for (const [k, v] of Object.entries(figures)) console.log(`   ${k}: ${v}`);
  if (failures.length) {
    for (const f of failures.slice(0, 30)) console.log(`   FAIL ${f}`);
    if (failures.length > 30) console.log(`   ... and ${failures.length - 30} more`);
    console.log(`${name}: ${failures.length} error(s)`);
    process.exit(1);
  }
  console.log(`${name}: 0 errors, 0 lost writes`);
}

/** The largest of an array of numbers (0 when empty), without spreading it into arguments. */
export const maxOf = (xs) => xs.reduce((m, x) => (x > m ? x : m), 0);

/** Runs a program without blocking the event loop (the writers keep writing); resolves to { status, stdout, stderr }. */
export function run(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}
