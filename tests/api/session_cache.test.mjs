// The per-thread session cache (src/service/session_cache.c) over real HTTP: a session that
// has answered many requests (so every worker thread keeps it) is refused on the very next
// request after a sign-out elsewhere, sign-out everywhere, a password change, disabling the
// account by an admin or by the command line (another process), and a change of role is seen
// at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, PASSWORD } from './harness.mjs';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await as(server, 'admin');
});
after(async () => { await server?.stop(); });

// Many requests on several connections, so each worker thread has answered it.
async function warm(c) {
  for (let i = 0; i < 4; i++) {
    const rs = await Promise.all([1, 2, 3, 4].map(() => c.get('/api/v1/me')));
    for (const r of rs) assert.equal(r.status, 200);
  }
}

function sameSession(c) {
  const d = new Client(server.base);
  d.cookie = c.cookie;
  d.csrf = c.csrf;
  return d;
}

async function userId(login) {
  const r = await admin.get('/api/v1/users');
  return r.json.users.find((u) => u.login === login).id;
}

async function patchUser(login, body) {
  const path = `/api/v1/users/${await userId(login)}`;
  const etag = (await admin.get(path)).headers.get('etag');
  const r = await admin.patch(path, body, etag ? { headers: { 'if-match': etag } } : {});
  assert.equal(r.status, 200, r.body);
}

test('signed out on another connection: refused at once', async () => {
  const c = await as(server, 'wx_member');
  await warm(c);
  assert.equal((await sameSession(c).del('/api/v1/session')).status, 204);
  const r = await c.get('/api/v1/me');
  assert.equal(r.status, 401);
});

test('sign out everywhere ends the other warm session', async () => {
  const a = await as(server, 'ly_member');
  const b = await as(server, 'ly_member');
  await warm(a);
  await warm(b);
  assert.equal((await b.post('/api/v1/me/sessions/revoke', {})).status < 300, true);
  assert.equal((await a.get('/api/v1/me')).status, 401);
});

test('a password change ends the other warm session', async () => {
  const a = await as(server, 'pj_member');
  const b = await as(server, 'pj_member');
  await warm(a);
  await warm(b);
  const NEW = 'Qz7-xin-mima-2027-cache';
  const r = await b.post('/api/v1/me/password', { old_password: PASSWORD, new_password: NEW });
  assert.ok(r.status < 300, r.body);
  assert.equal((await a.get('/api/v1/me')).status, 401);
  assert.equal((await b.get('/api/v1/me')).status, 200); // the one that changed it goes on
});

test('disabled by an admin: refused at once; a change of role is seen at once', async () => {
  const c = await as(server, 'dl_coord');
  await warm(c);
  assert.equal((await c.get('/api/v1/me')).json.user.role, 'coordinator');
  await patchUser('dl_coord', { role: 'member' });
  assert.equal((await c.get('/api/v1/me')).json.user.role, 'member');
  await warm(c);
  await patchUser('dl_coord', { disabled: true });
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('disabled by the command line (another process): refused at once', async () => {
  const c = await as(server, 'js_coord');
  await warm(c);
  server.cli(['user', 'disable', '--login', 'js_coord']);
  assert.equal((await c.get('/api/v1/me')).status, 401);
  server.cli(['user', 'enable', '--login', 'js_coord']);
  assert.equal((await c.get('/api/v1/me')).status, 401); // enabling does not revive it
});
