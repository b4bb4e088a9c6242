// 三员分立 under `serve --mlps` (service/perm.h): the system, security and audit
// administrators each call their own routes only (walked from `duikou routes`: every other
// one is 403 err_admin_kind before its handler runs); the security administrator disables and
// enables accounts and nothing else, the system administrator everything else; the audit
// administrator reads every row of the log and changes nothing; a leader's view of the log
// lacks the rows administrators wrote; an admin of no kind cannot sign in and is told the
// command that gives it one; administrator accounts are made on the command line only, with
// exactly one kind, never two. API tokens are used for the walk: --mlps asks these accounts
// for a second factor and a new password at the first sign-in, which tokens skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN, Client, PASSWORD, LJ } from './harness.mjs';

let server;
const c = {};

// The routes every administrator may call, as the router knows them (http/router.c).
const OWN = /^\/($|(healthz|assets|login|logout|account|api\/v1\/session|api\/v1\/me)(\/|$))/;
const SECURITY = new Set(['GET /users', 'GET /users/{id}', 'POST /users/{id}',
  'POST /users/{id}/unlock', 'POST /users/{id}/sessions/revoke',
  'GET /api/v1/users', 'GET /api/v1/users/{id}', 'PATCH /api/v1/users/{id}',
  'POST /api/v1/users/{id}/unlock', 'GET /api/v1/users/{id}/sessions',
  'POST /api/v1/users/{id}/sessions/revoke']);
// The own-account routes that name an object by id: each is checked below to reach only the
// caller's own (a new one must be added there).
const OWN_WITH_ID = ['POST /account/calendar/{id}/revoke'];
const AUDIT = new Set(['GET /audit', 'GET /api/v1/audit']);

const ROUTES = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n')
  .map((line) => { const [m, path] = line.trim().split(/\s+/); return { m, path }; });

function tokenClient(login) {
  const out = server.cli(['token', 'create', '--login', login, '--name', 'three admins']);
  const cl = new Client(server.base);
  cl.bearer = /dk_[A-Za-z0-9_-]+/.exec(out)[0];
  return cl;
}

function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, query], { encoding: 'utf8' }).trim();
}

function cliFails(args, input) {
  try {
    server.cli(args, input);
  } catch (e) {
    return String(e.stderr);
  }
  assert.fail(`duikou ${args.join(' ')} should have failed`);
}

before(async () => {
  // the harness's `admin` is made before the server ever ran with --mlps: an admin of no kind
  server = await startServer({ args: ['--mlps'] });
  for (const [login, kind] of [['sys_admin', 'system'], ['sec_admin', 'security'], ['aud_admin', 'audit']])
    server.cli(['user', 'add', '--login', login, '--role', 'admin', '--admin-kind', kind, '--password-stdin'], PASSWORD + '\n');
  for (const login of ['sys_admin', 'sec_admin', 'aud_admin', 'ln_leader', 'pj_member', 'admin'])
    c[login] = tokenClient(login);
  const r = await c.sys_admin.get('/api/v1/users?limit=200');
  assert.equal(r.status, 200, r.body);
  c.ids = Object.fromEntries(r.json.users.map((u) => [u.login, u.id]));
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('an admin of no kind cannot sign in, and is told how to get one', async () => {
  const cl = new Client(server.base);
  let r = await cl.login('admin');
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error.code, 'err_admin_kind_missing');
  assert.match(r.json.error.message, /duikou user set-admin-kind --login/);
  r = await new Client(server.base).request('POST', '/login', { form: { login: 'admin', password: PASSWORD, lang: 'en' } });
  assert.equal(r.status, 403);
  assert.match(r.body, /duikou user set-admin-kind/);
  // a token it had works no better
  r = await c.admin.get('/api/v1/units');
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'err_admin_kind_missing');
  // each refusal is in the log, for the audit administrator
  r = await c.aud_admin.get('/api/v1/audit?action=auth.login_refused');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.entries.length, 2);
  // a wrong password is still just a wrong password (nothing learned without it)
  r = await new Client(server.base).login('admin', 'not-the-password-1A!');
  assert.equal(r.status, 401);
});

test('each kind is 403 on every route that is not its own', async () => {
  const wrong = [];
  for (const { m, path } of ROUTES) {
    if (OWN.test(path)) continue;
    const key = `${m} ${path}`;
    const url = path.replace(/\{id\}/g, '1').replace(/\{file\}/g, 'x');
    const mine = { sys_admin: !AUDIT.has(key), sec_admin: SECURITY.has(key), aud_admin: AUDIT.has(key) };
    for (const who of ['sys_admin', 'sec_admin', 'aud_admin']) {
      // the walk only asks what it may not do, and what the audit and security administrators
      // may read; nothing is written by it
      if (mine[who] && m !== 'GET') continue;
      if (mine[who] && who === 'sys_admin') continue;
      const r = await c[who].request(m, url, { json: m === 'GET' || m === 'HEAD' ? undefined : {} });
      // a page says it in words (the admin's language: 简体), the API by code
      const code = r.json?.error?.code ?? (/三员分立：/.test(r.body) ? 'err_admin_kind' : null);
      if (!mine[who] && (r.status !== 403 || code !== 'err_admin_kind'))
        wrong.push(`${who} ${key}: ${r.status} ${code}`);
      if (mine[who] && r.status === 403)
        wrong.push(`${who} ${key}: refused its own route: ${r.body.slice(0, 200)}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(ROUTES.length > 100, 'the routing table was read');
});

test('the security administrator disables and enables, the system administrator the rest', async () => {
  const id = c.ids.pj_member;
  const etag = async (who) => (await c[who].get(`/api/v1/users/${id}`)).headers.get('etag');
  let r = await c.sys_admin.patch(`/api/v1/users/${id}`, { disabled: true }, { headers: { 'if-match': await etag('sys_admin') } });
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error.code, 'err_admin_kind');
  r = await c.sec_admin.patch(`/api/v1/users/${id}`, { disabled: true }, { headers: { 'if-match': await etag('sec_admin') } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.disabled, true);
  r = await c.sec_admin.patch(`/api/v1/users/${id}`, { disabled: false }, { headers: { 'if-match': await etag('sec_admin') } });
  assert.equal(r.status, 200, r.body);
  r = await c.sec_admin.patch(`/api/v1/users/${id}`, { name: '盤錦聯絡員' }, { headers: { 'if-match': await etag('sec_admin') } });
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error.code, 'err_admin_kind');
  r = await c.sys_admin.patch(`/api/v1/users/${id}`, { name: '盤錦聯絡員' }, { headers: { 'if-match': await etag('sys_admin') } });
  assert.equal(r.status, 200, r.body);
  // the security administrator's page of an account: the disabled flag alone, no create form
  r = await c.sec_admin.get(`/users/${id}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /name="disabled"/);
  assert.doesNotMatch(r.body, /name="role"|name="name"/);
  r = await c.sec_admin.get('/users');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /<form method="post" action="\/users">/);
  assert.doesNotMatch(r.body, /href="\/units"|href="\/audit"|action="\/search"/); // nor offered
  const seen = (await c.sec_admin.get(`/api/v1/users/${id}`)).json.updated_at;
  r = await c.sec_admin.request('POST', `/users/${id}`, { form: { updated_at: seen, disabled: '1' } });
  assert.equal(r.status, 303, r.body);
  r = await c.sec_admin.get(`/api/v1/users/${id}`);
  assert.equal(r.json.disabled, true);
  assert.equal(r.json.name, '盤錦聯絡員');
  r = await c.sec_admin.request('POST', `/users/${id}`, { form: { updated_at: r.json.updated_at } });
  assert.equal(r.status, 303, r.body);
  assert.equal((await c.sec_admin.get(`/api/v1/users/${id}`)).json.disabled, false);
  // administrator accounts are the command line's
  r = await c.sys_admin.post('/api/v1/users', { login: 'web_admin', role: 'admin', admin_kind: 'audit' });
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error.code, 'err_admin_cli');
  const aud = c.ids.aud_admin;
  r = await c.sec_admin.patch(`/api/v1/users/${aud}`, { disabled: true }, { headers: { 'if-match': (await c.sec_admin.get(`/api/v1/users/${aud}`)).headers.get('etag') } });
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error.code, 'err_admin_cli');
  r = await c.aud_admin.get('/api/v1/me');
  assert.equal(r.status, 200);
  assert.equal(r.json.user.admin_kind, 'audit');
});

test('the audit administrator reads the administrators\' rows; a leader does not see them', async () => {
  // a row by an administrator and one by a member, both about an account of 遼寧–江蘇
  const id = c.ids.pj_member;
  let r = await c.sys_admin.patch(`/api/v1/users/${id}`, { name: '盤錦市聯絡員' },
    { headers: { 'if-match': (await c.sys_admin.get(`/api/v1/users/${id}`)).headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await c.pj_member.patch('/api/v1/me', { name: '盤錦市聯絡員甲' });
  assert.equal(r.status, 200, r.body);

  r = await c.aud_admin.get(`/api/v1/audit?entity=users&entity_id=${id}&limit=200`);
  assert.equal(r.status, 200, r.body);
  const actors = new Set(r.json.entries.map((e) => e.actor));
  assert.ok(actors.has('user:sys_admin'), [...actors].join());
  assert.ok(actors.has('user:sec_admin'), [...actors].join());
  assert.ok(actors.has('user:pj_member'), [...actors].join());
  r = await c.aud_admin.get('/audit?actor=sys_admin');
  assert.equal(r.status, 200);
  assert.match(r.body, /user\.update/);
  assert.doesNotMatch(r.body, /href="\/dashboard"|href="\/users"|action="\/search"/);

  r = await c.ln_leader.get(`/api/v1/audit?entity=users&entity_id=${id}&limit=200`);
  assert.equal(r.status, 200, r.body);
  const seen = r.json.entries.map((e) => e.actor);
  assert.ok(seen.includes('user:pj_member'), seen.join());
  assert.deepEqual(seen.filter((a) => a.startsWith('cli:') || /^user:(sys|sec|aud)_admin$|^user:admin$/.test(a)), []);
  r = await c.ln_leader.get('/api/v1/audit?actor=sys_admin');
  assert.equal(r.status, 200);
  assert.equal(r.json.entries.length, 0);

  for (const who of ['sys_admin', 'sec_admin']) {
    r = await c[who].get('/api/v1/audit');
    assert.equal(r.status, 403, `${who}: ${r.body}`);
  }
  // the audit administrator changes nothing, not even a unit or a notice
  r = await c.aud_admin.post('/api/v1/units', { pairing_id: LJ, side: 0, name: '審計測試單位', kind: 'department', tier: 'execution' });
  assert.equal(r.status, 403);
  r = await c.aud_admin.patch(`/api/v1/users/${id}`, { disabled: true });
  assert.equal(r.status, 403);
});

test('duikou user add and set-admin-kind refuse combinations once the server ran with --mlps', async () => {
  let err = cliFails(['user', 'add', '--login', 'two_kinds', '--role', 'admin', '--admin-kind', 'system', '--admin-kind', 'audit', '--password-stdin'], PASSWORD + '\n');
  assert.match(err, /one kind/);
  err = cliFails(['user', 'add', '--login', 'two_kinds', '--role', 'admin', '--admin-kind', 'system,audit', '--password-stdin'], PASSWORD + '\n');
  assert.match(err, /system, security, audit/);
  err = cliFails(['user', 'add', '--login', 'no_kind', '--role', 'admin', '--password-stdin'], PASSWORD + '\n');
  assert.match(err, /exactly one kind/);
  err = cliFails(['user', 'add', '--login', 'member_kind', '--role', 'member', '--unit', String(server.units.panjin), '--admin-kind', 'audit', '--password-stdin'], PASSWORD + '\n');
  assert.match(err, /only an admin account/);
  err = cliFails(['user', 'set-admin-kind', '--login', 'sec_admin', '--kind', 'audit']);
  assert.match(err, /no account holds two kinds/);
  // the admin of no kind gets one, and then signs in (as far as the password: --mlps then
  // asks for a new one and a second factor, other helpers' parts)
  const out = server.cli(['user', 'set-admin-kind', '--login', 'admin', '--kind', 'system']);
  assert.match(out, /admin is the system administrator/);
  const r = await new Client(server.base).login('admin');
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.user.admin_kind, 'system');
});

test('the own-account routes every administrator may call reach only its own account', async () => {
  const own = ROUTES.filter(({ path }) => OWN.test(path));
  assert.ok(own.length > 10, 'the own routes were read');
  assert.deepEqual(own.filter(({ path }) => path.includes('{id}')).map(({ m, path }) => `${m} ${path}`), OWN_WITH_ID);
  // a member's calendar feed cannot be revoked by an administrator through its own route
  let r = await c.pj_member.request('POST', '/account/calendar', { form: {} });
  assert.ok(r.status === 200 || r.status === 303, r.body.slice(0, 200));
  const feed = sql(`SELECT id FROM calendar_feed WHERE user_id = ${c.ids.pj_member} AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`);
  assert.match(feed, /^\d+$/);
  for (const who of ['sys_admin', 'sec_admin', 'aud_admin']) {
    r = await c[who].request('POST', `/account/calendar/${feed}/revoke`, { form: {} });
    assert.equal(r.status, 404, `${who}: ${r.status}`);
  }
  assert.equal(sql(`SELECT revoked_at IS NULL FROM calendar_feed WHERE id = ${feed}`), '1');
  // /api/v1/me changes the caller alone
  const before = sql(`SELECT group_concat(name || '@' || updated_at, '|') FROM users WHERE login <> 'aud_admin'`);
  r = await c.aud_admin.patch('/api/v1/me', { name: '審計管理員' });
  assert.equal(r.status, 200, r.body);
  assert.equal(sql(`SELECT group_concat(name || '@' || updated_at, '|') FROM users WHERE login <> 'aud_admin'`), before);
  assert.equal(sql("SELECT name FROM users WHERE login = 'aud_admin'"), '審計管理員');
});

test('readings and exports of the log and refused routes are audited under --mlps', async () => {
  let r = await c.aud_admin.get('/audit?what=user.');
  assert.equal(r.status, 200);
  r = await c.aud_admin.get('/audit?format=csv');
  assert.equal(r.status, 200);
  const exported = r.body.trim().split('\n').length - 1; // the header line
  r = await c.sec_admin.get('/api/v1/audit?action=user.');
  assert.equal(r.status, 403);
  r = await c.aud_admin.get('/api/v1/audit?action=audit.&actor=aud_admin&limit=200');
  assert.equal(r.status, 200, r.body);
  const read = r.json.entries.find((e) => e.action === 'audit.read' && e.after.filters.action === 'user.');
  assert.ok(read, JSON.stringify(r.json.entries));
  assert.equal(typeof read.after.rows, 'number');
  const csv = r.json.entries.find((e) => e.action === 'audit.export');
  assert.equal(csv.after.format, 'csv');
  assert.ok(csv.after.rows > 0 && csv.after.rows <= exported, `${csv.after.rows} of ${exported} lines`);
  r = await c.aud_admin.get('/api/v1/audit?action=auth.denied&actor=sec_admin');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.entries[0].after.path, '/api/v1/audit');
  assert.equal(r.json.entries[0].after.code, 'err_admin_kind');
  // the reading just made is in the log too
  r = await c.aud_admin.get('/api/v1/audit?action=audit.read&limit=1');
  assert.equal(r.json.entries[0].after.filters.action, 'auth.denied');
  // an administrator's rows: not a leader's to read (its own readings are its own)
  r = await c.ln_leader.get('/api/v1/audit?action=audit.&limit=200');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.entries.filter((e) => e.actor !== 'user:ln_leader'), []);
});

test('the security administrator unlocks an account and ends its sessions', async () => {
  const id = c.ids.pj_member;
  // locked as a whole and from an address, as failed sign-ins leave it (far in the future)
  sql(`UPDATE users SET failed_logins = 9, locked_until = '2999-01-01T00:00:00.000Z' WHERE id = ${id}`);
  sql(`INSERT OR REPLACE INTO login_lock (user_id, client, failures, locked_until) VALUES (${id}, '127.0.0.1', 4, '2999-01-01T00:00:00.000Z')`);
  let r = await new Client(server.base).login('pj_member');
  assert.equal(r.status, 401, r.body); // a lock answers as a wrong password does
  for (const who of ['sys_admin', 'aud_admin']) {
    r = await c[who].post(`/api/v1/users/${id}/unlock`, {});
    assert.equal(r.status, 403, `${who}: ${r.body}`);
    assert.equal(r.json.error.code, 'err_admin_kind');
  }
  r = await c.sec_admin.post(`/api/v1/users/${c.ids.aud_admin}/unlock`, {});
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error.code, 'err_admin_cli');
  r = await c.sec_admin.post(`/api/v1/users/${id}/unlock`, {});
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.cleared, true);
  assert.equal(sql(`SELECT failed_logins || '/' || coalesce(locked_until, '-') || '/' || (SELECT count(*) FROM login_lock WHERE user_id = ${id}) FROM users WHERE id = ${id}`), '0/-/0');
  r = await c.sec_admin.post(`/api/v1/users/${id}/unlock`);
  assert.equal(r.json.cleared, false);
  r = await c.aud_admin.get(`/api/v1/audit?action=user.unlock&entity_id=${id}`);
  assert.equal(r.json.entries.length, 1);
  assert.equal(r.json.entries[0].actor, 'user:sec_admin');
  assert.equal(r.json.entries[0].before.address_locks, 1);

  // its sessions: listed, one ended, then all
  const member = new Client(server.base);
  r = await member.login('pj_member');
  assert.equal(r.status, 201, r.body);
  assert.equal((await member.get('/api/v1/me')).status, 200);
  r = await c.sys_admin.get(`/api/v1/users/${id}/sessions`);
  assert.equal(r.status, 403);
  r = await c.sec_admin.get(`/api/v1/users/${id}/sessions`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.sessions.length, 1);
  const sid = r.json.sessions[0].id;
  r = await c.sec_admin.post(`/api/v1/users/${id}/sessions/revoke`, { session_id: sid + 1000 });
  assert.equal(r.status, 404, r.body);
  r = await c.sec_admin.post(`/api/v1/users/${id}/sessions/revoke`, { session_id: sid });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.ended, 1);
  assert.equal((await member.get('/api/v1/me')).status, 401);
  r = await member.login('pj_member');
  assert.equal(r.status, 201, r.body);
  // the page: the section, and its forms
  r = await c.sec_admin.get(`/users/${id}`);
  assert.match(r.body, new RegExp(`action="/users/${id}/unlock"`));
  assert.match(r.body, new RegExp(`action="/users/${id}/sessions/revoke"`));
  assert.doesNotMatch((await c.sys_admin.get(`/users/${id}`)).body, /\/unlock"/);
  r = await c.sec_admin.request('POST', `/users/${id}/sessions/revoke`, { form: {} });
  assert.equal(r.status, 303, r.body);
  assert.match(r.headers.get('location'), /done=ended/);
  assert.equal((await member.get('/api/v1/me')).status, 401);
  r = await c.sec_admin.request('POST', `/users/${id}/unlock`, { form: {} });
  assert.equal(r.status, 303, r.body);
  assert.match(r.headers.get('location'), /done=not_locked/);
  r = await c.aud_admin.get(`/api/v1/audit?action=auth.revoke_session`);
  assert.equal(r.json.entries[0].entity_id, sid);
});
