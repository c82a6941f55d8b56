// backup.mjs — backups while writing, then restore and verify. WRITERS
// connections save projects through the API for SECONDS (20); meanwhile
// `hatchery backup` runs BACKUPS times against the live database. Each
// backup is restored with `hatchery restore` into a new file, which must
// pass integrity_check with record_count equal to the rows, and must hold
// every save answered before the backup started (and nothing that was
// never sent). At the end every answered save must be in the live database.
//   node tests/soak/backup.mjs [SECONDS]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { as, bin, checkDb, finish, initDb, login, projectJson, request, run, sleep, sql, startServer, stopServer,
  tempDir } from './lib.mjs';

const SECONDS = Number(process.argv[2] || 20);
const WRITERS = 4;
const BACKUPS = 4;

const dir = tempDir('backup');
const db = path.join(dir, 'live.db');
initDb(db);
const srv = await startServer(db);
const l = await login(srv.port);
const failures = [];
const acked = new Map(); // name -> time answered
const sent = new Set();
let stop = false;
const writer = async (w) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; !stop; i++) {
    const name = `soak-backup-w${w}-${i}`;
    sent.add(name);
    const r = await request(srv.port, '/api/v1/projects',
      { method: 'POST', headers: as(l, 'POST', 'application/json'), body: projectJson(name), agent });
    if (r.status === 201) acked.set(name, Date.now());
    else failures.push(`save ${name}: ${r.status || r.error} ${(r.body || '').slice(0, 200)}`);
  }
  agent.destroy();
};
const loops = [...Array(WRITERS).keys()].map(writer);
const results = [];
for (let b = 0; b < BACKUPS; b++) {
  await sleep((SECONDS * 1000) / (BACKUPS + 1));
  const out = path.join(dir, `backup-${b}.db`);
  const started = Date.now();
  const ackedBefore = [...acked].filter(([, t]) => t < started).map(([n]) => n);
  const sentBefore = sent.size;
  const r = await run(bin, ['backup', '--db', db, out]);
  const sentDuring = sent.size - sentBefore;
  const ms = Date.now() - started;
  if (r.status !== 0) { failures.push(`backup ${b}: exit ${r.status}: ${r.stderr}`); continue; }
  const restored = path.join(dir, `restored-${b}.db`);
  const rr = await run(bin, ['restore', '--db', restored, out]);
  if (rr.status !== 0) { failures.push(`restore ${b}: exit ${rr.status}: ${rr.stderr}`); continue; }
  for (const p of checkDb(restored)) failures.push(`restored backup ${b}: ${p}`);
  const inside = new Set(sql(restored, "SELECT name FROM project WHERE name LIKE 'soak-backup-%'").split('\n').filter(Boolean));
  let missing = 0, unknown = 0;
  for (const n of ackedBefore) if (!inside.has(n)) { missing++; failures.push(`backup ${b}: ${n} answered before it started, not in it`); }
  for (const n of inside) if (!sent.has(n)) unknown++;
  if (unknown) failures.push(`backup ${b}: ${unknown} records never sent`);
  results.push(`${inside.size} saves inside (${ackedBefore.length} answered before it began, ${missing} missing); ${ms} ms, ${sentDuring} saves sent meanwhile`);
}
stop = true;
await Promise.all(loops);
await stopServer(srv);
for (const p of checkDb(db)) failures.push(`live database: ${p}`);
const live = new Set(sql(db, "SELECT name FROM project WHERE name LIKE 'soak-backup-%'").split('\n').filter(Boolean));
let lost = 0;
for (const n of acked.keys()) if (!live.has(n)) { lost++; failures.push(`${n} answered 201, not stored`); }
const figures = { 'saves sent / answered 201 / stored': `${sent.size} / ${acked.size} / ${live.size}` };
results.forEach((r, i) => { figures[`backup ${i} restored`] = r; });
figures['lost writes'] = lost;
finish(`backup while writing (${WRITERS} writers × ${SECONDS} s, ${BACKUPS} backups), restore, verify`, figures, failures);
fs.rmSync(dir, { recursive: true, force: true });
