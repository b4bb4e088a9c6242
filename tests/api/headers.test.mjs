// A scan of every route's response headers, read from the routing table itself (`duikou
// routes`), so a new route is scanned without being listed here: as an anonymous visitor and
// signed in, every response carries the CSP with a fresh nonce and frame-ancestors 'none',
// nosniff and a Referrer-Policy; every answer to a signed-in caller on a route behind
// sign-in says Cache-Control: no-store (a shared computer's back button shows nothing).
// Writes are sent with an empty JSON object or form by a freshly signed-in coordinator, so
// the handler's own answer (mostly 4xx) is scanned, not only the router's refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, Client, BIN } from './harness.mjs';

let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const routes = () => execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n')
  .map((line) => { const [method, path, role] = line.split(/\s+/); return { method, path, role }; });

const concrete = (p) => p.replace(/\{id\}/g, '1').replace('{file}', 'app.000000000000.css');

function check(r, where, signedIn, role) {
  const h = r.headers;
  const csp = h.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'|default-src 'self'/, `${where}: CSP default-src`);
  assert.match(csp, /frame-ancestors 'none'/, `${where}: frame-ancestors`);
  assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=_-]{16,}'/, `${where}: script nonce`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
  assert.ok(h.get('referrer-policy'), `${where}: Referrer-Policy`);
  if (signedIn && role !== 'public')
    assert.match(h.get('cache-control') ?? '', /no-store/, `${where}: no-store behind sign-in`);
}

test('every route, anonymous and signed in, reads and writes: security headers', async () => {
  const table = routes();
  assert.ok(table.length > 40, 'the table is read');
  const anon = new Client(server.base);
  const coord = await as(server, 'ln_coord');
  const nonces = new Set();
  let scanned = 0;
  for (const rt of table) {
    const path = concrete(rt.path);
    const writes = !['GET', 'HEAD'].includes(rt.method);
    const page = !rt.path.startsWith('/api/') && rt.path !== '/healthz';
    const body = writes ? (page ? { form: {} } : { json: {} }) : {};
    // A fresh coordinator for writes: some of them sign out or end every session.
    const signed = writes ? await as(server, 'ln_coord') : coord;
    for (const [who, c] of [['anon', anon], ['ln_coord', signed]]) {
      const r = await c.request(rt.method, path, body);
      assert.notEqual(r.status, 500, `${rt.method} ${path} as ${who}: ${r.body.slice(0, 200)}`);
      check(r, `${rt.method} ${path} as ${who} (${r.status})`, who !== 'anon', rt.role);
      nonces.add(/nonce-([^']+)/.exec(r.headers.get('content-security-policy'))[1]);
      scanned++;
    }
  }
  assert.equal(nonces.size, scanned, 'a fresh CSP nonce for every response');
});
