// slow.mjs — slow and idle connections while normal requests are timed.
// Opens IDLE sockets that send nothing, SLOW_HEADERS sockets that send one
// header line every 5 s and never finish (slowloris), and SLOW_BODIES that
// announce a 1 MB body and send 16 bytes every 5 s; meanwhile a normal
// client, one request at a time, reads pages for SECONDS (40) and each
// answer is timed. Normal requests must all succeed; reports their
// latency, and how many slow sockets the server closed by itself.
//   node tests/soak/slow.mjs [SECONDS]
// The slow sockets come from 127.0.0.2 to 127.0.0.9 (as many clients as
// that; a limit per address does not turn them away), the normal client
// from 127.0.0.1. Then ONE_ADDRESS sockets from 127.0.0.10 alone show what
// the server's limit per address does (how many it refuses or closes).
// The counts stay below the server's --max-connections (1000).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { as, finish, initDb, login, maxOf, percentile, request, sleep, startServer, stopServer, tempDir } from './lib.mjs';

const SECONDS = Number(process.argv[2] || 40);
const IDLE = Number(process.env.SOAK_IDLE || 200);
const SLOW_HEADERS = Number(process.env.SOAK_SLOW_HEADERS || 200);
const SLOW_BODIES = Number(process.env.SOAK_SLOW_BODIES || 100);
const ONE_ADDRESS = Number(process.env.SOAK_ONE_ADDRESS || 200);

const dir = tempDir('slow');
const db = path.join(dir, 'slow.db');
initDb(db);
const srv = await startServer(db);
const l = await login(srv.port);
const failures = [];

// baseline: the same requests before the slow crowd arrives
const PAGES = ['/', '/bases', '/api/v1/bases?limit=50', '/areas/tangxia', '/api/v1/progress'];
const baseMs = [];
for (let i = 0; i < 50; i++) {
  const r = await request(srv.port, PAGES[i % PAGES.length], { headers: as(l) });
  if (r.status === 200) baseMs.push(r.ms);
}

const sockets = [];
let closedByServer = 0, refused = 0;
function open(kind, from = `127.0.0.${2 + (sockets.length % 8)}`) {
  const s = net.connect({ host: '127.0.0.1', port: srv.port, localAddress: from });
  s.kind = kind;
  s.on('error', () => { refused++; });
  s.on('close', () => { if (!s.ourClose) closedByServer++; });
  s.on('data', () => {});
  s.on('connect', () => {
    if (kind === 'headers') s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    if (kind === 'body') s.write(`POST /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${l.cookie}\r\n` +
      `X-CSRF-Token: ${l.csrf}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n`);
  });
  sockets.push(s);
}
for (let i = 0; i < IDLE; i++) open('idle');
for (let i = 0; i < SLOW_HEADERS; i++) open('headers');
for (let i = 0; i < SLOW_BODIES; i++) open('body');
const drip = setInterval(() => {
  for (const s of sockets) {
    if (s.destroyed || s.connecting) continue;
    if (s.kind === 'headers') s.write(`X-Slow-${Math.floor(Math.random() * 1e6)}: a\r\n`);
    if (s.kind === 'body') s.write('{"name":"slowbo');
  }
}, 5000);

const ms = [];
let errors = 0;
const end = Date.now() + SECONDS * 1000;
await sleep(500);
for (let i = 0; Date.now() < end; i++) {
  const r = await request(srv.port, PAGES[i % PAGES.length], { headers: as(l), timeout: 10000 });
  ms.push(r.ms);
  if (r.status !== 200) { errors++; failures.push(`${PAGES[i % PAGES.length]}: ${r.status || r.error} after ${r.ms.toFixed(0)} ms`); }
}
clearInterval(drip);
const stillOpen = sockets.filter((s) => !s.destroyed).length;
for (const s of sockets) { s.ourClose = true; s.destroy(); }
// one address alone opening ONE_ADDRESS idle connections: how many it keeps after 2 s
const crowd = [];
for (let i = 0; i < ONE_ADDRESS; i++) {
  const c = net.connect({ host: '127.0.0.1', port: srv.port, localAddress: '127.0.0.10' });
  c.on('error', () => {});
  c.on('data', () => {});
  crowd.push(c);
}
await sleep(2000);
const crowdKept = crowd.filter((c) => !c.destroyed && !c.connecting).length;
const during = await request(srv.port, '/healthz');
if (during.status !== 200) failures.push(`127.0.0.1 is not answered while 127.0.0.10 holds ${crowdKept} connections: ${during.status || during.error}`);
for (const c of crowd) c.destroy();
const alive = await request(srv.port, '/healthz');
if (alive.status !== 200) failures.push(`the server does not answer afterwards: ${alive.status || alive.error}`);
await stopServer(srv);
const p99 = percentile(ms, 99);
if (p99 > 2000) failures.push(`normal requests p99 ${p99.toFixed(0)} ms (over 2 s) while the slow connections were open`);

finish(`slow and idle connections (${IDLE} idle, ${SLOW_HEADERS} slow headers, ${SLOW_BODIES} slow bodies) × ${SECONDS} s`, {
  'normal requests before': `${baseMs.length}; p50 ${percentile(baseMs, 50).toFixed(1)} ms, p99 ${percentile(baseMs, 99).toFixed(1)} ms`,
  'normal requests during': `${ms.length}, ${errors} failed; p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${maxOf(ms).toFixed(0)} ms`,
  'slow sockets closed by the server / still open at the end / refused':
    `${closedByServer} / ${stillOpen} / ${refused} of ${sockets.length}`,
  [`${ONE_ADDRESS} idle connections from one address`]: `${crowdKept} kept after 2 s, ${ONE_ADDRESS - crowdKept} refused or closed`,
}, failures);
fs.rmSync(dir, { recursive: true, force: true });
