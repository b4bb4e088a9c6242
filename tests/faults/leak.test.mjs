// The leak soak (make faults; hardening issue): LEAK_REQUESTS (100,000) requests without
// sign-in whose heads are too large for the server — half a query of 480–519 parameters
// (which used to exhaust libmicrohttpd's connection pool and leak the request), half 600
// header lines — 64 connections at a time. The server's resident memory after them must be
// within 10 MB of where it stood after a warm-up of 5,000, and a stop must find nothing in
// flight. ASan's quarantine is kept small so that RSS shows what is held, not what ASan
// holds back for its own checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, rawRequest } from '../api/harness.mjs';

const N = Number(process.env.LEAK_REQUESTS ?? 100000);
let server;
before(async () => {
  process.env.ASAN_OPTIONS = `${process.env.ASAN_OPTIONS ?? ''}:quarantine_size_mb=1:thread_local_quarantine_size_kb=64`;
  // No per-address limit: the 64 connections come from one address and reconnect quickly.
  server = await startServer({ organisation: false, args: ['--max-per-address', '0'] });
});
after(async () => { await server?.stop(); });

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))[1]);
const query = (n) => Array.from({ length: n }, (_, i) => `a${i}=1`).join('&');
const lines = Array.from({ length: 600 }, (_, i) => `X-H${i}: v\r\n`).join('');

const raw = async (port, bytes) => (await rawRequest(port, bytes, 10000)).status;

async function burst(port, n) {
  const counts = {};
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const st = await raw(port, i % 2
        ? `GET /?${query(480 + (i % 40))} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`
        : `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines}\r\n`);
      counts[st] = (counts[st] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return counts;
}

test(`${N} oversized heads: RSS within 10 MB, nothing left in flight`, async () => {
  const port = Number(new URL(server.base).port);
  await burst(port, 5000);
  const start = rssKb();
  const t0 = Date.now();
  const counts = await burst(port, N);
  const secs = (Date.now() - t0) / 1000;
  const end = rssKb();
  console.log(`leak soak: ${N} requests in ${secs.toFixed(1)} s, answers ${JSON.stringify(counts)}, ` +
    `RSS ${(start / 1024).toFixed(1)} MB -> ${(end / 1024).toFixed(1)} MB`);
  assert.ok(end - start <= 10 * 1024, `RSS grew ${((end - start) / 1024).toFixed(1)} MB`);
  const h = await fetch(`${server.base}/healthz`);
  assert.equal(h.status, 200);
  const exited = new Promise((r) => server.proc.on('exit', (code) => r(code)));
  server.proc.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.doesNotMatch(server.stderr(), /requests were cut off/);
});
