// Slow clients (make faults): slowhttptest (Debian) holds 1,000 connections open that send
// their headers (slowloris) or their body (R-U-Dead-Yet) a few bytes every few seconds, while
// a normal client opens a fresh connection every 100 ms for GET /healthz and
// GET /api/v1/plans/1. Every one of its requests must be answered 200 within 1 s.
//
// Phase 1: the server's capacity as behind a reverse proxy (every client one address, so no
// per-address limit: --max-per-address 0), --max-connections 1024, --timeout 30, and 1,000
// slowloris connections. Phase 2: the same with --max-connections 4096 and both attacks at
// once (2,000 connections). Phase 3: the default settings, whose per-address limit (64) holds
// one attacking address to 64 connections: SLOW_CONNECTIONS + 30 slowloris connections from
// 127.0.0.1 while the normal client comes from 127.0.0.2 (hardening issue: one address took
// the service down by filling the 1,024 connections).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { startServer } from '../api/harness.mjs';

const SECONDS = Number(process.env.SLOW_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.SLOW_CONNECTIONS ?? 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const servers = [];
const attackers = [];

after(async () => {
  for (const a of attackers) if (a.exitCode === null) a.kill('SIGTERM');
  for (const s of servers) await s.stop();
});

// One request on a new connection: { status, ms }; status 0 when it failed or took > 5 s.
function probe(base, path, localAddress) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(base + path, { agent: false, timeout: 5000, localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ status: 0, ms: performance.now() - t0 }); });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
  });
}

function attack(base, mode, connections = CONNECTIONS) {
  const port = new URL(base).port;
  const args = mode === 'body'
    ? ['-B', '-t', 'POST', '-s', '8192', '-f', 'application/json', '-u', `http://127.0.0.1:${port}/api/v1/session`]
    : ['-H', '-u', `http://127.0.0.1:${port}/healthz`];
  const p = spawn('slowhttptest', [...args, '-c', String(connections), '-r', '500', '-i', '5',
    '-x', '10', '-p', '3', '-l', String(SECONDS + 5)], { stdio: 'ignore' });
  attackers.push(p);
  return p;
}

// Established connections to the server's port, seen from the client side.
function established(base) {
  const port = new URL(base).port;
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).length;
}

async function phase(t, name, args, modes, { from, held: expectHeld, connections = CONNECTIONS } = {}) {
  const server = await startServer({ args, organisation: false });
  servers.push(server);
  for (const m of modes) attack(server.base, m, connections);
  await sleep(4000); // the attackers ramp up at 500 connections a second
  const held = [];
  const results = [];
  const end = performance.now() + (SECONDS - 5) * 1000;
  for (let i = 0; performance.now() < end; i++) {
    results.push(await probe(server.base, i % 2 ? '/api/v1/plans/1' : '/healthz', from));
    if (i % 50 === 0) held.push(established(server.base));
    await sleep(100);
  }
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const bad = results.filter((r) => r.status !== 200 || r.ms >= 1000);
  t.diagnostic(`${name}: slow connections held ${Math.min(...held)}–${Math.max(...held)}; ` +
    `${results.length} normal requests, median ${ms[ms.length >> 1].toFixed(1)} ms, ` +
    `p99 ${ms[Math.floor(ms.length * 0.99)].toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms, ` +
    `${bad.length} failed or ≥ 1 s`);
  if (expectHeld)
    expectHeld(held);
  else
    assert.ok(Math.max(...held) >= connections * modes.length * 0.9,
      `the attack did not hold its connections (${held.join(',')})`);
  assert.deepEqual(bad, [], `${name}: normal requests failed or were slow`);
  for (const a of attackers) if (a.exitCode === null) a.kill('SIGTERM');
  assert.equal(server.proc.exitCode, null, 'the server is alive');
  assert.equal((await probe(server.base, '/healthz')).status, 200);
  assert.doesNotMatch(server.stderr(), /AddressSanitizer|LeakSanitizer|runtime error:/);
}

test(`${CONNECTIONS} slowloris connections, as behind a proxy (no per-address limit)`, async (t) => {
  await phase(t, 'slowloris, one address for all', ['--max-per-address', '0'], ['headers']);
});

test(`${CONNECTIONS} slowloris + ${CONNECTIONS} slow-body connections, --max-connections 4096`, async (t) => {
  await phase(t, 'slowloris + slow body, 4096', ['--max-per-address', '0', '--max-connections', '4096'],
    ['headers', 'body']);
});

test(`${CONNECTIONS + 30} slowloris connections from one address, default settings: others served`, async (t) => {
  await phase(t, 'slowloris from one address, defaults', [], ['headers'], {
    from: '127.0.0.2',
    connections: CONNECTIONS + 30,
    held: (held) => assert.ok(Math.max(...held) <= 100,
      `one address held more than its 64 connections (${held.join(',')})`),
  });
});
