// --trusted-proxy (issue #10): behind a reverse proxy every request comes from the proxy, so
// the sign-in rate limit, the per-address locks and the audit log would all see one address.
// A request from a trusted proxy is from the address its X-Forwarded-For names last that is
// not itself a trusted proxy; from anyone else, or without the flag, the header is ignored —
// anyone can write it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, PASSWORD } from './harness.mjs';

const servers = [];
after(() => Promise.all(servers.map((s) => s.stop())));

// Signs in as ln_coord with the header given; the client address the audit log then names.
async function signInFrom(server, xff) {
  const headers = { 'content-type': 'application/json' };
  if (xff !== undefined) headers['x-forwarded-for'] = xff;
  const r = await fetch(`${server.base}/api/v1/session`, {
    method: 'POST', headers, body: JSON.stringify({ login: 'ln_coord', password: PASSWORD }) });
  assert.equal(r.status, 201, await r.text());
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db,
    "SELECT client FROM audit WHERE action LIKE 'auth.%' ORDER BY id DESC LIMIT 1"], { encoding: 'utf8' }).trim();
}

test('behind a trusted proxy: the client X-Forwarded-For names, read from the right', async () => {
  const s = await startServer({ args: ['--trusted-proxy', '127.0.0.1', '--trusted-proxy', '10.0.0.2'] });
  servers.push(s);
  assert.equal(await signInFrom(s, '203.0.113.7'), '203.0.113.7');
  // each proxy appends who reached it: the rightmost untrusted one is the client; what the
  // client itself wrote further left is not believed
  assert.equal(await signInFrom(s, '198.51.100.9, 203.0.113.8, 10.0.0.2'), '203.0.113.8');
  assert.equal(await signInFrom(s, '2001:db8::7'), '2001:db8::7');
  // not an address: the proxy's own
  assert.equal(await signInFrom(s, 'unknown, <script>'), '127.0.0.1');
  assert.equal(await signInFrom(s, undefined), '127.0.0.1');
});

test('without --trusted-proxy the header is anyone\'s to write, and ignored', async () => {
  const s = await startServer();
  servers.push(s);
  assert.equal(await signInFrom(s, '203.0.113.7'), '127.0.0.1');
});

test('--trusted-proxy takes an address, nothing else', () => {
  const r = (() => {
    try {
      execFileSync(process.env.DUIKOU_BIN, ['--db', '/nonexistent/x.db', 'serve', '--trusted-proxy', 'proxy.example.org'], { encoding: 'utf8', stdio: 'pipe' });
      return { status: 0, stderr: '' };
    } catch (e) { return { status: e.status, stderr: String(e.stderr) }; }
  })();
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--trusted-proxy: the address of a reverse proxy/);
});
