// Sign-in, sessions and the basics every response carries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, PASSWORD } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('public plan routes need no sign-in', async () => {
  const c = new Client(server.base);
  const r = await c.get('/api/v1/plans');
  assert.equal(r.status, 200);
  assert.equal(r.json.plans.length, 2);
  const plan = await c.get('/api/v1/plans/1');
  assert.equal(plan.status, 200);
  assert.equal(plan.json.areas.flatMap((a) => a.tasks).length, 24);
  assert.equal(plan.json.pairings.length, 11);
  const etag = plan.headers.get('etag');
  assert.ok(etag);
  const again = await c.get('/api/v1/plans/1', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const tree = await c.get('/api/v1/pairings');
  assert.equal(tree.json.pairings.length, 2);
  assert.equal(tree.json.pairings[0].children.length, 11);
  assert.equal(tree.json.pairings[1].children.length, 3);
});

test('sign in, me, sign out; the old session stops working', async () => {
  const c = await as(server, 'pj_member');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.login, 'pj_member');
  assert.equal(me.json.user.role, 'member');
  assert.match(me.headers.get('cache-control') ?? '', /no-store/);
  const cookie = c.cookie;
  assert.equal((await c.del('/api/v1/session')).status, 204);
  const stale = new Client(server.base);
  stale.cookie = cookie;
  assert.equal((await stale.get('/api/v1/me')).status, 401);
});

test('login rotates the session token', async () => {
  const a = await as(server, 'js_coord');
  const b = await as(server, 'js_coord');
  assert.notEqual(a.cookie, b.cookie);
});

test('a wrong password and an unknown login fail alike', async () => {
  const c = new Client(server.base);
  const wrong = await c.post('/api/v1/session', { login: 'wx_member', password: 'not-the-password' });
  const unknown = await c.post('/api/v1/session', { login: 'nobody_here', password: PASSWORD });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong.json, unknown.json);
});

test('error messages follow the language', async () => {
  const c = new Client(server.base);
  const zh = await c.get('/api/v1/me');
  assert.equal(zh.status, 401);
  assert.equal(zh.json.error.message, '请先登录。');
  const en = await c.get('/api/v1/me?lang=en');
  assert.equal(en.json.error.message, 'Please sign in first.');
  const hant = await c.get('/api/v1/me', { headers: { 'accept-language': 'zh-TW,zh;q=0.9' } });
  assert.equal(hant.json.error.message, '請先登入。');
});

test('every response carries the security headers', async () => {
  const c = new Client(server.base);
  for (const path of ['/healthz', '/api/v1/plans', '/nope', '/api/v1/me']) {
    const r = await c.get(path);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /script-src 'self' 'nonce-/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.ok(r.headers.get('referrer-policy'), path);
  }
});

test('a plan superseded by a new import is served as superseded (no stale cache)', async () => {
  const c = new Client(server.base);
  const before = await c.get('/api/v1/plans/2');
  assert.equal(before.json.status, 'current');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { SEED } = await import('./harness.mjs');
  const revised = readFileSync(SEED, 'utf8').replace('1.行政管理體制改革。', '1.行政管理體制機制改革。');
  writeFileSync(`${server.dir}/revised.txt`, revised);
  server.cli(['import', `${server.dir}/revised.txt`]);
  const after = await c.get('/api/v1/plans/2', { headers: { 'if-none-match': before.headers.get('etag') } });
  assert.equal(after.status, 200);
  assert.equal(after.json.status, 'superseded');
  const list = await c.get('/api/v1/plans');
  const sd = list.json.plans.find((p) => p.pairing_id === 13);
  assert.equal(sd.version, 2);
  const v2 = await c.get(`/api/v1/plans/${sd.id}`);
  assert.equal(v2.json.areas[0].tasks[0].title, '行政管理體制機制改革');
});
