// diskfull.mjs — a full disk during writes. The database lives on a small
// tmpfs (SIZE_MB, 48) mounted for the run (needs root: mount -t tmpfs); a
// writer saves projects through the API throughout. After a few seconds a
// filler file takes every free byte: saves must then fail with an error
// answer (5xx, {"error":{code,message}} in Chinese) while the server stays
// up and reads still answer; the filler is removed and saves must succeed
// again. Afterwards: integrity_check, record_count equal to the rows, and
// every save answered 201 stored.
//   node tests/soak/diskfull.mjs
// Without root (or where mount is refused) it says so and exits 77
// (skipped): SQLite's max_page_count is not a substitute here, since it
// fails only the database file and not the WAL, the journal or the log.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { apiError, as, checkDb, chinese, finish, initDb, login, projectJson, request, sleep, sql, startServer,
  stopServer, tempDir } from './lib.mjs';

const SIZE_MB = 48;
const mnt = tempDir('diskfull');
const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MB}m`, 'tmpfs', mnt], { encoding: 'utf8' });
if (m.status !== 0) {
  console.log(`diskfull: skipped: cannot mount a tmpfs (${(m.stderr || m.error || '').toString().trim()}); run as root`);
  fs.rmSync(mnt, { recursive: true, force: true });
  process.exit(77);
}
const failures = [];
const figures = {};
let srv;
try {
  const db = path.join(mnt, 'full.db');
  initDb(db);
  srv = await startServer(db);
  const l = await login(srv.port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const acked = new Set();
  const phase = { before: [0, 0], full: [0, 0], after: [0, 0] }; // [answered 201, failed]
  let current = 'before', n = 0, badAnswers = 0, readsDuringFull = 0, readsFailed = 0;
  const save = async () => {
    const name = `soak-full-${current}-${n++}`;
    const r = await request(srv.port, '/api/v1/projects',
      { method: 'POST', headers: as(l, 'POST', 'application/json'), body: projectJson(name), agent, timeout: 15000 });
    if (r.status === 201) { acked.add(name); phase[current][0]++; return true; }
    phase[current][1]++;
    const e = apiError(r.body);
    if (!r.status || r.status < 500 || !e || !chinese(e.message)) {
      badAnswers++;
      failures.push(`${current}: save answered ${r.status || r.error}: ${(r.body || '').slice(0, 200)}`);
    } else if (!figures['answer on a full disk']) {
      figures['answer on a full disk'] = `${r.status} ${e.code}: ${e.message}`;
    }
    return false;
  };
  for (let t = Date.now(); Date.now() - t < 3000;) await save();
  // fill the disk: dd stops at ENOSPC
  spawnSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler')}`, 'bs=1M'], { stdio: 'ignore' });
  spawnSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler2')}`, 'bs=4k'], { stdio: 'ignore' });
  figures['free bytes after the filler'] = execFileSync('df', ['-B1', '--output=avail', mnt], { encoding: 'utf8' }).split('\n')[1].trim();
  current = 'full';
  for (let t = Date.now(); Date.now() - t < 5000;) {
    await save();
    const r = await request(srv.port, '/api/v1/bases?limit=5', { headers: as(l), agent });
    readsDuringFull++;
    if (r.status !== 200) readsFailed++;
  }
  const health = await request(srv.port, '/healthz');
  if (health.status !== 200) failures.push(`the server does not answer on a full disk: ${health.status || health.error}`);
  if (phase.full[1] === 0) failures.push('no save failed while the disk was full: the filler did not fill it');
  fs.rmSync(path.join(mnt, 'filler'));
  fs.rmSync(path.join(mnt, 'filler2'));
  current = 'after';
  // space is back: the first saves may still meet the WAL's state; within 3 s they must succeed
  let recovered = -1;
  for (let t = Date.now(); Date.now() - t < 3000;) {
    if (await save() && recovered < 0) recovered = Date.now() - t;
  }
  if (phase.after[0] === 0) failures.push('saves still fail after the space came back');
  agent.destroy();
  const logged = srv.log.split('\n').filter((x) => /full|disk|I\/O|store/i.test(x));
  figures['server log lines about it'] = logged.length ? `${logged.length}, e.g. ${logged[0].slice(0, 160)}` : 'none';
  await stopServer(srv);
  srv = null;
  for (const p of checkDb(db)) failures.push(p);
  const stored = new Set(sql(db, "SELECT name FROM project WHERE name LIKE 'soak-full-%'").split('\n').filter(Boolean));
  let lost = 0;
  for (const name of acked) if (!stored.has(name)) { lost++; failures.push(`${name} answered 201, not stored`); }
  Object.assign(figures, {
    'filesystem': `tmpfs of ${SIZE_MB} MB mounted for the run`,
    'saves before (201 / failed)': phase.before.join(' / '),
    'saves on the full disk (201 / failed)': phase.full.join(' / '),
    'reads on the full disk (answered / failed)': `${readsDuringFull - readsFailed} / ${readsFailed}`,
    'saves after space returned (201 / failed)': `${phase.after.join(' / ')}; first success after ${recovered} ms`,
    'answers that were not an error object in Chinese': badAnswers,
    'lost writes': lost,
  });
} catch (e) {
  failures.push(`run failed: ${e.stack || e}`);
} finally {
  if (srv) await stopServer(srv, 'SIGKILL');
  spawnSync('umount', [mnt]);
  fs.rmSync(mnt, { recursive: true, force: true });
}
finish('full disk during writes', figures, failures);
