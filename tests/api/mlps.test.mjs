// The sign-in policies of `serve --mlps` (等级保护 level 3, issue #10; service/sign_in.c):
// a password set by someone else or older than --password-days must be changed before
// anything else, one session per account (the older one is told it signed in elsewhere),
// the 10-minute idle limit, and the last sign-in with the failures since.
// The server's clock moves under libfaketime (Debian's faketime, `scripts/deps.sh --test`):
// its offset is read from a file on every call, so the test moves only the server's clock,
// forward, by whole days or minutes; nothing depends on the hour the test runs at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, Client, PASSWORD, BIN } from './harness.mjs';
import { WebClient } from './web_client.mjs';

const NEW = 'Nx7-xinde-mima-2026';
const NEWER = 'Qz5-gengxin-mima-2027';

// libfaketime for the server: the offset file is read on every clock call (no cache);
// monotonic clocks stay real, so libmicrohttpd's timeouts do not jump.
function fakeClock() {
  const lib = readdirSync('/usr/lib', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join('/usr/lib', d.name, 'faketime/libfaketimeMT.so.1'))
    .find((p) => existsSync(p));
  assert.ok(lib, 'libfaketime is missing: bash scripts/deps.sh --test');
  const dir = mkdtempSync(join(tmpdir(), 'duikou-mlps-clock-'));
  const file = join(dir, 'offset');
  writeFileSync(file, '+0s');
  let seconds = 0;
  return {
    env: { LD_PRELOAD: lib, FAKETIME_TIMESTAMP_FILE: file, FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1' },
    // Moves the server's clock forward by s seconds (it only ever moves forward).
    forward(s) { seconds += s; writeFileSync(file, `+${seconds}s`); },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}

let server, clock;
const saved = {};
before(async () => {
  clock = fakeClock();
  for (const [k, v] of Object.entries(clock.env)) { saved[k] = process.env[k]; process.env[k] = v; }
  // under tests/time/at.sh an inherited FAKETIME would win over the offset file
  saved.FAKETIME = process.env.FAKETIME;
  delete process.env.FAKETIME;
  // ASan must let libfaketime load first (tests/time/at.sh does the same)
  saved.ASAN_OPTIONS = process.env.ASAN_OPTIONS;
  process.env.ASAN_OPTIONS = `${process.env.ASAN_OPTIONS ? process.env.ASAN_OPTIONS + ':' : ''}verify_asan_link_order=0`;
  server = await startServer({ args: ['--mlps', '--password-days', '30'] });
});
after(async () => {
  await server?.stop();
  for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  clock?.remove();
});

function assertError(r, status, code) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(r.json?.error?.code, code, r.body);
  assert.ok(r.json.error.message, 'a message');
}

async function signIn(login, password = PASSWORD) {
  const c = new Client(server.base);
  const r = await c.login(login, password);
  assert.equal(r.status, 201, r.body);
  return { c, r };
}

// A member's own change of password (members need no second factor under --mlps).
async function changeOwn(c, from, to) {
  const r = await c.post('/api/v1/me/password', { old_password: from, new_password: to });
  assert.equal(r.status, 204, r.body);
}

test('a password set by the command line (user add, reset) must be changed first: API 403, every page leads to the change', async () => {
  const { c, r } = await signIn('pj_member');
  assert.equal(r.json.password_change, 'err_password_must_change');
  // the API refuses everything else with a clear code; who am I and the change still work
  assertError(await c.get('/api/v1/notifications'), 403, 'err_password_must_change');
  assertError(await c.get(`/api/v1/units/${server.units.panjin}`), 403, 'err_password_must_change');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.password_change, 'err_password_must_change');
  // the same session in a browser: a page leads to the account page, which says why
  const web = new WebClient(server.base);
  web.jar.set(c.cookie.split('=')[0], c.cookie.split('=')[1]);
  const my = await web.get('/my');
  assert.equal(my.status, 303);
  assert.equal(my.location, '/account');
  const account = await web.get('/account');
  assert.equal(account.status, 200);
  assert.match(account.body, /密码由管理员设置，请先改为只有你知道的密码。/);
  assert.match(account.body, /action="\/account\/password"/);
  // a weak new password is refused as ever; a good one clears the rule, this session stays
  assertError(await c.post('/api/v1/me/password', { old_password: PASSWORD, new_password: 'abcdefgh1' }),
    422, 'err_password_weak');
  const listed = () => server.cli(['user', 'list']).split('\n').find((l) => / pj_member /.test(l));
  assert.match(listed(), /\[password to change\]/);
  await changeOwn(c, PASSWORD, NEW);
  assert.doesNotMatch(listed(), /\[password to change\]/);
  assert.equal((await c.get('/api/v1/notifications')).status, 200);
  assert.equal((await c.get('/api/v1/me')).json.password_change, null);
  assert.equal((await web.get('/my')).status, 200);
  // an administrator's reset (here the command line's) sets the rule again
  server.cli(['user', 'password', '--login', 'pj_member'], NEWER + '\n');
  const again = await signIn('pj_member', NEWER);
  assert.equal(again.r.json.password_change, 'err_password_must_change');
  assertError(await again.c.get('/api/v1/notifications'), 403, 'err_password_must_change');
  // the audit has each change, by whom
  const audit = server.cli(['audit', 'list', '--limit', '1000']).split('\n')
    .filter((l) => / user\.password /.test(l) && /"login":"pj_member"/.test(l));
  assert.ok(audit.some((l) => /"by":"self".*"must_change":false/.test(l)), audit.join('\n'));
  assert.ok(audit.some((l) => /"by":"cli".*"must_change":true/.test(l)), audit.join('\n'));
});

test('a second sign-in ends the first at once and says so; the first is told it signed in elsewhere; API tokens live on', async () => {
  const first = await signIn('ly_member');
  await changeOwn(first.c, PASSWORD, NEW);
  assert.equal((await first.c.get('/api/v1/notifications')).status, 200); // kept in the session cache
  const token = server.cli(['token', 'create', '--login', 'ly_member']).match(/dk_[A-Za-z0-9_-]{43}/)[0];
  // the second, through the sign-in form: its page names the session it ended
  const web = new WebClient(server.base);
  const signedIn = await web.request('POST', '/login', { login: 'ly_member', password: NEW });
  assert.equal(signedIn.status, 200, signedIn.body.slice(0, 300));
  assert.match(signedIn.body, /你的另一个会话（来自 127\.0\.0\.1，[^）]+登录）已结束。/);
  assert.equal((await web.get('/my')).status, 200);
  // the first: the API says why, a page leads to the sign-in page that says so
  assertError(await first.c.get('/api/v1/me'), 401, 'err_session_elsewhere');
  const firstWeb = new WebClient(server.base);
  firstWeb.jar.set(first.c.cookie.split('=')[0], first.c.cookie.split('=')[1]);
  const page = await firstWeb.get('/my');
  assert.equal(page.status, 303);
  assert.equal(page.location, '/login?why=elsewhere&next=%2Fmy');
  const login = await firstWeb.get(page.location);
  assert.match(login.body, /此账号已在别处登录，本会话已结束，请重新登录。/);
  assert.doesNotMatch(login.body, /登录已过期/);
  // the API sign-in ends the form's session too, and says which it ended
  const third = await signIn('ly_member', NEW);
  assert.equal(third.r.json.ended_session.client, '127.0.0.1');
  assert.equal((await web.get('/my')).status, 303);
  // a bearer token is not a session
  const bearer = new Client(server.base);
  bearer.bearer = token;
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const audit = server.cli(['audit', 'list', '--limit', '1000']);
  assert.match(audit, /user:ly_member +auth\.revoke_sessions .*"reason":"signed in elsewhere"/);
});

test('last sign-in and failures since: on the page after sign-in, the account page and the API', async () => {
  const { c } = await signIn('wx_member');
  await changeOwn(c, PASSWORD, NEW);
  for (const pw of ['wrong-one-2026', 'wrong-two-2026'])
    assertError(await new Client(server.base).login('wx_member', pw), 401, 'err_login_failed');
  const web = new WebClient(server.base);
  const signedIn = await web.request('POST', '/login', { login: 'wx_member', password: NEW });
  assert.equal(signedIn.status, 200);
  assert.match(signedIn.body, /上次登录：[^，<]+，来自 127\.0\.0\.1。 此后登录失败 2 次。/);
  assert.match(signedIn.body, /href="\/my"/); // on to the member's page
  const account = await web.get('/account');
  assert.match(account.body, /此后登录失败 2 次。/);
  // the next sign-in counts from this one
  const { r } = await signIn('wx_member', NEW);
  assert.equal(r.json.last_sign_in.client, '127.0.0.1');
  assert.equal(r.json.last_sign_in.failures_since, 0);
  assert.ok(r.json.last_sign_in.at);
});

test('idle timeout 10 minutes; a password older than --password-days must be changed', async () => {
  const { c } = await signIn('dl_member');
  await changeOwn(c, PASSWORD, NEW);
  clock.forward(9 * 60);
  assert.equal((await c.get('/api/v1/notifications')).status, 200);
  clock.forward(9 * 60);
  assert.equal((await c.get('/api/v1/notifications')).status, 200);
  clock.forward(10 * 60 + 30); // silent for 10½ minutes (30 would pass without --mlps)
  assertError(await c.get('/api/v1/me'), 401, 'err_session_expired');
  // 29 days after the change: still good; 31: to be changed first (--password-days 30)
  clock.forward(29 * 86400);
  let s = await signIn('dl_member', NEW);
  assert.equal(s.r.json.password_change, null);
  clock.forward(2 * 86400);
  const web = new WebClient(server.base);
  const page = await web.request('POST', '/login', { login: 'dl_member', password: NEW });
  assert.match(page.body, /密码已过期，请先修改密码。/);
  assert.match(page.body, /href="\/account"/); // not on to the member's page
  assert.equal((await web.get('/my')).location, '/account');
  // "changed" to itself: refused on the form, and it stays expired
  web.csrf = /name="csrf_token" value="([^"]+)"/.exec((await web.get('/account')).body)[1];
  const same = await web.post('/account/password', { old_password: NEW, new_password: NEW, new_password2: NEW });
  assert.equal(same.status, 422);
  assert.match(same.body, /新密码不能与当前密码相同。/);
  assert.equal((await web.get('/my')).location, '/account');
  s = await signIn('dl_member', NEW);
  assert.equal(s.r.json.password_change, 'err_password_expired');
  assertError(await s.c.get('/api/v1/notifications'), 403, 'err_password_expired');
  assertError(await s.c.post('/api/v1/me/password', { old_password: NEW, new_password: NEW }), 422, 'err_password_same');
  assertError(await s.c.get('/api/v1/notifications'), 403, 'err_password_expired');
  await changeOwn(s.c, NEW, NEWER);
  assert.equal((await s.c.get('/api/v1/notifications')).status, 200);
});

test('--mlps keeps the idle limit at 10 minutes at most: a longer --session-idle is refused', () => {
  let err = '';
  try {
    execFileSync(BIN, ['--db', server.db, 'serve', '--listen', '127.0.0.1:0', '--mlps', '--session-idle', '601'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 });
  } catch (e) { err = String(e.stderr); assert.notEqual(e.status, 0); assert.equal(e.signal, null, 'it did not start'); }
  assert.match(err, /--session-idle: with --mlps at most 600 seconds/);
});
