// Abusive clients (make faults): ABUSE_REQUESTS malformed requests, 100 at a time, over raw
// sockets — broken request lines, huge and numerous headers, lying Content-Length, broken
// chunking, bad JSON, bad UTF-8 in paths, queries, forms, cookies and JSON, every route with a
// wrong method, random bytes. Each must get a 4xx answer or a closed connection (505 is
// allowed for a request line naming an HTTP version that does not exist, and a page asked for
// with a cookie naming no session is sent to the sign-in page, 303), never a 5xx and never a
// crash; the server must then still answer normally.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, rawRequest } from '../api/harness.mjs';

const N = Number(process.env.ABUSE_REQUESTS ?? 5000);
let server;

// No per-address limit: all the requests come from 127.0.0.1, and this test is about how each
// is handled, not about the connection limit (slow.test.mjs is).
before(async () => { server = await startServer({ args: ['--max-per-address', '0'] }); });
after(async () => { await server?.stop(); });

// The status of one raw request (0: closed without an answer).
const raw = async (port, bytes) => (await rawRequest(port, bytes)).status;

const pick = (a) => a[Math.floor(Math.random() * a.length)];
const rnd = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
const bad8 = ['\xff', '\xc0\xaf', '\xed\xa0\x80', '\xf8\x88\x80\x80\x80', '\xe4\xb8'];

function generators(routes) {
  const head = (line, headers = '') => `${line}\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
  const json = (path, body, extra = '') =>
    head(`POST ${path} HTTP/1.1`, `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extra}`) + body;
  return [
    () => rnd(1 + Math.floor(Math.random() * 4096)),
    () => head(pick(['GET', 'POST', 'X']) + ' ' + rnd(40).toString('latin1').replace(/[\r\n ]/g, 'a') + ' HTTP/1.1'),
    () => head(`${pick(['BREW', 'PROPFIND', 'TRACE', 'CONNECT', 'G\x00T'])} /healthz HTTP/1.1`),
    () => head(`GET /${'a'.repeat(70000 + Math.floor(Math.random() * 100000))} HTTP/1.1`),
    () => head('GET /healthz HTTP/1.1', `X-Big: ${'b'.repeat(70000 + Math.floor(Math.random() * 100000))}\r\n`),
    () => head('GET /healthz HTTP/1.1', Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join('')),
    () => head('POST /api/v1/session HTTP/1.1', `Content-Length: ${pick(['-1', 'abc', '99999999999999999999', '1e3', '0x10'])}\r\n`),
    () => head('POST /api/v1/session HTTP/1.1', 'Content-Length: 5\r\nContent-Length: 7\r\n') + '{"a":1}',
    () => head('POST /api/v1/session HTTP/1.1', 'Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n') + pick(['zz\r\n', 'ffffffffffffffff\r\nx', '5\r\n{"a"\r\n0\r\n\r\n', '-1\r\n']),
    () => head('POST /api/v1/session HTTP/1.1', 'Content-Type: application/json\r\nContent-Length: 2000000\r\n') + 'x'.repeat(1000),
    () => json('/api/v1/session', pick(['{', '[]', 'null', '{"login":1,"password":2}', '{"login":"a"', '\x00', '{"login":"a","password":"b",}', '{"login":"' + pick(bad8) + '","password":"x"}'])),
    () => json('/api/v1/session', '[' .repeat(100000)),
    () => json('/api/v1/work-items/1/reports', '{"period":"' + pick(bad8) + '"}', 'Authorization: Bearer dk_' + 'x'.repeat(40) + '\r\n'),
    () => head(`GET /api/v1/plans/1?lang=${pick(bad8)}&limit=${pick(['-1', '1e99', 'x', '%ff', '%00'])} HTTP/1.1`),
    () => head(`GET /${pick(['%ff', '%00', '..%2f..%2fetc%2fpasswd', '%c0%af', '%', '%g1'])} HTTP/1.1`),
    () => head('GET /my HTTP/1.1', `Cookie: duikou_session=${pick(bad8)}${'c'.repeat(Math.floor(Math.random() * 5000))}; lang=${pick(bad8)}\r\n`),
    () => head('POST /login HTTP/1.1', 'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 30\r\n') + `login=%ff%fe&password=${pick(bad8)}&&&=`.padEnd(30, '&'),
    () => head('POST /login HTTP/1.1', 'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 10\r\n') + '--x\r\n\r\n--',
    () => head(`GET /api/v1/plans/${pick(['0', '-1', '99999999999999999999999', '1.5', '1e3', 'abc'])} HTTP/1.1`),
    () => head(`GET /healthz HTTP/${pick(['0.9', '2.0', '3.1', '1', 'x'])}`),
    () => {
      // A method that no route of that path takes (HEAD goes with GET).
      const r = pick(routes);
      const taken = routes.filter((o) => o.pattern === r.pattern).map((o) => o.method);
      if (taken.includes('GET')) taken.push('HEAD');
      const method = pick(['PUT', 'PATCH', 'DELETE', 'POST', 'GET', 'HEAD'].filter((m) => !taken.includes(m)));
      return head(`${method} ${r.pattern.replace(/\{id\}/g, '1').replace(/\{file\}/g, 'x')} HTTP/1.1`, 'Content-Length: 0\r\n');
    },
  ];
}

test(`${N} malformed requests: 4xx or closed, never a 5xx or a crash`, async (t) => {
  const routes = server.cli(['routes']).split('\n').filter(Boolean)
    .map((l) => l.split(/\s+/)).map(([method, pattern]) => ({ method, pattern }));
  const gens = generators(routes);
  const port = Number(new URL(server.base).port);
  const seen = {};
  const wrong = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const g = i % gens.length;
      const req = gens[g]();
      const code = await raw(port, Buffer.isBuffer(req) ? req : Buffer.from(req, 'latin1'));
      seen[code] = (seen[code] ?? 0) + 1;
      // A cookie naming no session on a page: 303 to the sign-in page, as for anyone.
      const ok = code === 0 || (code >= 400 && code < 500) || (g === 19 && code === 505) ||
        (g === 15 && code === 303);
      if (!ok) wrong.push(`generator ${g}: ${code}`);
    }
  };
  await Promise.all(Array.from({ length: 100 }, worker));
  const secs = (performance.now() - t0) / 1000;
  t.diagnostic(`${N} requests in ${secs.toFixed(1)} s; answers: ` +
    Object.entries(seen).map(([c, n]) => `${c === '0' ? 'closed' : c} ×${n}`).join(', '));
  assert.deepEqual(wrong, []);
  assert.equal(server.proc.exitCode, null, 'the server is alive');
  const r = await new Client(server.base).get('/api/v1/plans/1');
  assert.equal(r.status, 200);
  assert.doesNotMatch(server.stderr(), /AddressSanitizer|LeakSanitizer|runtime error:/);
});
