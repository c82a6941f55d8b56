// load.mjs — CONNECTIONS keep-alive connections (64) for SECONDS (60) of
// mixed reads and writes: each connection loops, one request at a time, a
// write (a project saved through the API, named uniquely) one time in
// WRITE_EVERY and otherwise a read of a page or an API list. Counts the
// writes sent, answered 201 and stored (read back afterwards from the
// database): every answered write must be stored, and no request may fail.
//   node tests/soak/load.mjs [SECONDS] [CONNECTIONS]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { as, checkDb, finish, initDb, login, maxOf, percentile, projectJson, request, sql, startServer, stopServer,
  tempDir } from './lib.mjs';

const SECONDS = Number(process.argv[2] || 60);
const CONNECTIONS = Number(process.argv[3] || 64);
const WRITE_EVERY = 4; // one write in four requests
const READS = ['/', '/bases', '/api/v1/bases?limit=50', '/api/v1/projects?page=2', '/areas/tangxia', '/api/v1/progress',
  '/evaluation', '/plan', '/firms?area=tangxia'];

const dir = tempDir('load');
const db = path.join(dir, 'load.db');
initDb(db);
const srv = await startServer(db, ['--threads', '4']);
const sessions = [];
for (let i = 0; i < 8; i++) sessions.push(await login(srv.port)); // shared by the connections
const run = `soak-load-${Date.now()}`;
const failures = [];
const acked = new Set();
let sent = 0, reads = 0, readErrors = 0, writeErrors = 0;
const readMs = [], writeMs = [];
const end = Date.now() + SECONDS * 1000;

async function connection(c) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const l = sessions[c % sessions.length];
  for (let i = 0; Date.now() < end; i++) {
    if (i % WRITE_EVERY === c % WRITE_EVERY) {
      const name = `${run}-c${c}-${i}`;
      sent++;
      const r = await request(srv.port, '/api/v1/projects',
        { method: 'POST', headers: as(l, 'POST', 'application/json'), body: projectJson(name), agent });
      writeMs.push(r.ms);
      if (r.status === 201) acked.add(name);
      else { writeErrors++; failures.push(`write ${name}: ${r.status || r.error} ${(r.body || '').slice(0, 200)}`); }
    } else {
      const p = READS[(c + i) % READS.length];
      const r = await request(srv.port, p, { headers: as(l), agent });
      reads++;
      readMs.push(r.ms);
      if (r.status !== 200) { readErrors++; failures.push(`read ${p}: ${r.status || r.error}`); }
    }
  }
  agent.destroy();
}

const t0 = Date.now();
await Promise.all([...Array(CONNECTIONS).keys()].map(connection));
const elapsed = (Date.now() - t0) / 1000;
await stopServer(srv);
const stored = new Set(sql(db, `SELECT name FROM project WHERE name LIKE '${run}-%'`).split('\n').filter(Boolean));
let lost = 0;
for (const n of acked) if (!stored.has(n)) { lost++; failures.push(`write ${n} answered 201, not stored`); }
const unacked = [...stored].filter((n) => !acked.has(n)).length;
for (const p of checkDb(db)) failures.push(p);

finish(`${CONNECTIONS} connections × ${SECONDS} s, mixed reads and writes`, {
  requests: `${reads + sent} in ${elapsed.toFixed(1)} s (${((reads + sent) / elapsed).toFixed(0)}/s)`,
  reads: `${reads}, ${readErrors} failed; p50 ${percentile(readMs, 50).toFixed(1)} ms, p99 ${percentile(readMs, 99).toFixed(1)} ms, max ${maxOf(readMs).toFixed(0)} ms`,
  'writes sent / answered 201 / stored': `${sent} / ${acked.size} / ${stored.size} (${writeErrors} failed, ${unacked} stored without an answer)`,
  'write latency': `p50 ${percentile(writeMs, 50).toFixed(1)} ms, p99 ${percentile(writeMs, 99).toFixed(1)} ms, max ${maxOf(writeMs).toFixed(0)} ms`,
  'lost writes': lost,
}, failures);
fs.rmSync(dir, { recursive: true, force: true });
