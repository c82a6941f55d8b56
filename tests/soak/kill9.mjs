// kill9.mjs — kill -9 of the server while it writes, ROUNDS times (50).
// Each round starts the server on the same database, runs WRITERS loops of
// CSV imports (IMPORT_ROWS projects each, a tag per import) and of single
// saves, kills the server with SIGKILL after a random 0.3–1.5 s, then
// checks the database with the sqlite3 shell: integrity_check, record_count
// equal to the rows, every import all there or not at all, every import
// and save that was answered 2xx stored.
//   node tests/soak/kill9.mjs [ROUNDS]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { as, checkDb, finish, initDb, login, projectJson, projectsCsv, request, sleep, sql, startServer,
  stopServer, tempDir } from './lib.mjs';

const ROUNDS = Number(process.argv[2] || 50);
const WRITERS = 3;
const IMPORT_ROWS = 200;

const dir = tempDir('kill9');
const db = path.join(dir, 'kill9.db');
initDb(db);
const failures = [];
const tags = new Map(); // import tag -> 'acked' | 'sent'
const saves = new Map(); // record name -> 'acked' | 'sent'
let imports = 0, importsAcked = 0, savesSent = 0, savesAcked = 0, killedMidImport = 0, rowsStored = 0;
const t0 = Date.now();

for (let round = 0; round < ROUNDS; round++) {
  const srv = await startServer(db);
  const l = await login(srv.port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS * 2 });
  let stop = false;
  const writer = async (w) => {
    for (let i = 0; !stop; i++) {
      if (i % 2 === 0) {
        const tag = `soak-kill-r${round}-w${w}-i${i}`;
        tags.set(tag, 'sent');
        imports++;
        const r = await request(srv.port, '/api/v1/projects/import?mode=all',
          { method: 'POST', headers: as(l, 'POST', 'text/csv'), body: projectsCsv(tag, IMPORT_ROWS), agent });
        if (r.status >= 200 && r.status < 300) { tags.set(tag, 'acked'); importsAcked++; }
        else if (r.status) failures.push(`round ${round}: import answered ${r.status}: ${r.body.slice(0, 200)}`);
      } else {
        const name = `soak-kill-r${round}-w${w}-s${i}`;
        saves.set(name, 'sent');
        savesSent++;
        const r = await request(srv.port, '/api/v1/projects',
          { method: 'POST', headers: as(l, 'POST', 'application/json'), body: projectJson(name), agent });
        if (r.status === 201) { saves.set(name, 'acked'); savesAcked++; }
        else if (r.status) failures.push(`round ${round}: save answered ${r.status}: ${r.body.slice(0, 200)}`);
      }
    }
  };
  const loops = [...Array(WRITERS).keys()].map(writer);
  await sleep(300 + Math.random() * 1200);
  await stopServer(srv, 'SIGKILL');
  stop = true;
  await Promise.all(loops);
  agent.destroy();

  for (const p of checkDb(db)) failures.push(`round ${round}: ${p}`);
  // every import of this round: all its rows or none
  const counts = new Map();
  for (const line of sql(db, `SELECT rtrim(rtrim(name, '0123456789'), '-'), count(*) FROM project
                              WHERE name LIKE 'soak-kill-r${round}-%' AND name LIKE '%-i%' GROUP BY 1`).split('\n')) {
    if (!line) continue;
    const [tag, n] = line.split('|');
    counts.set(tag, Number(n));
  }
  for (const [tag, state] of tags) {
    if (!tag.startsWith(`soak-kill-r${round}-`)) continue;
    const n = counts.get(tag) || 0;
    rowsStored += n;
    if (n !== 0 && n !== IMPORT_ROWS) failures.push(`round ${round}: import ${tag} has ${n} of ${IMPORT_ROWS} rows`);
    if (state === 'acked' && n !== IMPORT_ROWS) failures.push(`round ${round}: import ${tag} answered 2xx, ${n} rows stored`);
    if (state === 'sent' && n === 0) killedMidImport++;
  }
  const stored = new Set(sql(db, `SELECT name FROM project WHERE name LIKE 'soak-kill-r${round}-%-s%'`).split('\n'));
  for (const [name, state] of saves)
    if (name.startsWith(`soak-kill-r${round}-`) && state === 'acked' && !stored.has(name))
      failures.push(`round ${round}: save ${name} answered 201, not stored`);
}

const lost = failures.filter((f) => /answered (2xx|201)/.test(f)).length;
finish('kill -9 during writes', {
  rounds: `${ROUNDS} (kill -9 after 0.3–1.5 s of ${WRITERS} writers each)`,
  'imports sent / answered 2xx': `${imports} / ${importsAcked} (${IMPORT_ROWS} rows each; ${killedMidImport} cut by the kill, absent whole)`,
  'single saves sent / answered 201': `${savesSent} / ${savesAcked}`,
  'import rows stored': rowsStored,
  'lost writes': lost,
  'time': `${((Date.now() - t0) / 1000).toFixed(0)} s`,
}, failures);
fs.rmSync(dir, { recursive: true, force: true });
