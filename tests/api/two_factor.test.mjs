// Two-factor sign-in (service/two_factor.c, web/two_factor.c; 等级保护 level 3, 身份鉴别):
// enrolment on the account page (QR code drawn as SVG, base32 secret, first code, recovery
// codes once), sign-in over the API with a code and through the form in two steps, wrong
// codes, replay of a used code, recovery codes once, switching it off, bearer tokens
// unaffected, and under --mlps a coordinator who has not enrolled reaching only the enrolment
// page while a member is not forced.
//
// Codes are computed here from the secret the page shows (RFC 6238 with node's HMAC-SHA-1)
// at the time of this machine, which is the server's (both under libfaketime when moved). So
// that no test depends on where in a 30-second step it runs, each code is the one of the step
// after the last taken (the server takes ±1 step), and a replay is a code of a step already
// taken, refused whatever the clock says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';

import { startServer, Client, PASSWORD } from './harness.mjs';
import { WebClient } from './web_client.mjs';

const STEP = 30;
const stepNow = () => Math.floor(Date.now() / 1000 / STEP);

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// RFC 4226/6238: the 6-digit code of the secret at a step.
function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = mac[19] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// A code that is none of the account's near steps.
function wrongCode(secret) {
  const near = new Set([-2, -1, 0, 1, 2].map((d) => totp(secret, stepNow() + d)));
  for (let n = 100000; ; n++) if (!near.has(String(n))) return String(n);
}

const csrfOf = (html) => /name="csrf_token" value="([^"]+)"/.exec(html)[1];

// Enrols login through the pages; returns { secret, recovery, step } (step: the one taken).
async function enrol(base, login) {
  const b = await WebClient.signIn(base, login);
  const page = await b.get('/account/two-factor');
  assert.equal(page.status, 200);
  assert.match(page.body, /data-on="0"/);
  const started = await b.post('/account/two-factor/start', {});
  assert.equal(started.status, 200, started.body.slice(0, 300));
  assert.match(started.body, /<svg[^>]*viewBox=/, 'the QR code, drawn by the server');
  const secret = /id="two-factor-secret">([A-Z2-7]+)</.exec(started.body)[1];
  assert.equal(secret.length, 32);
  const bad = await b.post('/account/two-factor/confirm', { code: wrongCode(secret) });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /id="two-factor-secret">/, 'the same secret again to retry');
  const step = stepNow();
  const ok = await b.post('/account/two-factor/confirm', { code: totp(secret, step) });
  assert.equal(ok.status, 200, ok.body.slice(0, 300));
  const recovery = [...ok.body.matchAll(/class="recovery-code">([a-z2-7]{5}-[a-z2-7]{5})</g)].map((m) => m[1]);
  assert.equal(recovery.length, 10);
  assert.match((await b.get('/account/two-factor')).body, /data-on="1"/);
  return { secret, recovery, step, browser: b };
}

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();

test('enrol, then sign in over the API with a code: required, wrong, replay, next step, recovery once', async () => {
  const token = server.cli(['token', 'create', '--login', 'pj_member']).match(/dk_[A-Za-z0-9_-]+/)[0];
  const { secret, recovery, step } = await enrol(server.base, 'pj_member');

  // At rest: sealed; in the audit: enabled, never the secret.
  assert.match(sqlite("SELECT secret FROM two_factor WHERE user_id = (SELECT id FROM users WHERE login = 'pj_member')"), /^v1:/);
  assert.equal(sqlite(`SELECT count(*) FROM audit WHERE instr(coalesce(after,'') || coalesce(before,''), '${secret}')`), '0');
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE action = 'two_factor.enabled'"), '1');

  const c = new Client(server.base);
  let r = await c.login('pj_member');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'err_two_factor_required', r.body);
  assert.equal(c.cookie, null, 'no session on the password alone');
  r = await c.post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: wrongCode(secret) });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'err_two_factor_wrong');
  // The code the enrolment took: a replay, refused whatever the hour.
  r = await c.post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: totp(secret, step) });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'err_two_factor_wrong');
  // A wrong password with a right code is a wrong password.
  r = await c.post('/api/v1/session', { login: 'pj_member', password: 'nope-' + PASSWORD, code: totp(secret, step + 1) });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'err_login_failed');
  r = await c.post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: 123456 });
  assert.equal(r.status, 422);
  // The next step's code (the server accepts one step either side): a session.
  r = await c.post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: totp(secret, step + 1) });
  assert.equal(r.status, 201, r.body);
  c.csrf = r.json.csrf_token;
  assert.equal((await c.get('/api/v1/me')).json.user.login, 'pj_member');
  // The same code again: refused.
  const again = new Client(server.base);
  r = await again.post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: totp(secret, step + 1) });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'err_two_factor_wrong');
  // A recovery code, once.
  r = await again.post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: recovery[0].toUpperCase() });
  assert.equal(r.status, 201, r.body);
  r = await new Client(server.base).post('/api/v1/session', { login: 'pj_member', password: PASSWORD, code: recovery[0] });
  assert.equal(r.status, 401);
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE action = 'two_factor.recovery_used'"), '1');
  // Bearer tokens are not affected.
  const bot = new Client(server.base);
  bot.bearer = token;
  r = await bot.get('/api/v1/me');
  assert.equal(r.status, 200);
  assert.equal(r.json.user.login, 'pj_member');
});

test('the sign-in form: password, then the code on a second step whose token works once', async () => {
  const { recovery } = await enrol(server.base, 'ly_member');
  const b = new WebClient(server.base);
  let r = await b.send('/login', { login: 'ly_member', password: PASSWORD, next: '/my' });
  assert.equal(r.status, 200, 'the code step, not a session');
  assert.equal(b.jar.size, 0, 'no session cookie yet');
  const pending = /name="pending" value="([^"]+)"/.exec(r.body)[1];
  assert.match(r.body, /name="next" value="\/my"/);
  r = await b.send('/login/two-factor', { pending, code: recovery[1], next: '/my' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/my');
  assert.equal((await b.get('/my')).status, 200);
  // The step's token again: used up.
  r = await new WebClient(server.base).send('/login/two-factor', { pending, code: recovery[2] });
  assert.equal(r.status, 401);
  assert.match(r.body, /登录步骤已过期/);
  // A lost phone: the command line resets it, audited; then the password alone signs in.
  assert.equal((await b.get('/my')).status, 200);
  assert.match(server.cli(['user', 'two-factor-reset', '--login', 'ly_member']), /is off/);
  assert.equal((await b.get('/my')).status, 303, 'the reset ends every session of the account');
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE action = 'two_factor.reset'"), '1');
  assert.equal((await new Client(server.base).login('ly_member')).status, 201);
});

test('wrong codes count toward the lock as wrong passwords do', async () => {
  const { secret, step } = await enrol(server.base, 'wx_member');
  for (let i = 0; i < 5; i++) {
    const r = await new Client(server.base).post('/api/v1/session', { login: 'wx_member', password: PASSWORD, code: wrongCode(secret) });
    assert.equal(r.json.error.code, 'err_two_factor_wrong');
  }
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE action = 'auth.two_factor_failed' AND entity_id = (SELECT id FROM users WHERE login = 'wx_member')"), '5');
  // Locked from this address: even the right code answers as a wrong password.
  const r = await new Client(server.base).post('/api/v1/session', { login: 'wx_member', password: PASSWORD, code: totp(secret, step + 1) });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'err_login_failed');
});

test('switching it off takes the password and a code; wrong ones count as guesses; other sessions end', async () => {
  const { secret, step, recovery, browser } = await enrol(server.base, 'dl_member');
  const uid = "(SELECT id FROM users WHERE login = 'dl_member')";
  // another session of the account, opened with a recovery code
  const other = new Client(server.base);
  assert.equal((await other.post('/api/v1/session', { login: 'dl_member', password: PASSWORD, code: recovery[0] })).status, 201);
  let r = await browser.post('/account/two-factor/disable', { password: 'nope-' + PASSWORD, code: totp(secret, step + 1) });
  assert.equal(r.status, 422);
  assert.match(r.body, /当前密码不正确/);
  r = await browser.post('/account/two-factor/disable', { password: PASSWORD, code: totp(secret, step) });
  assert.equal(r.status, 422, 'the code taken at enrolment, again');
  // each a guess: toward the lock, and in the audit with the address
  assert.equal(sqlite(`SELECT failed_logins FROM users WHERE id = ${uid}`), '2');
  assert.equal(sqlite(`SELECT count(*) FROM audit WHERE entity_id = ${uid} AND action = 'auth.password_failed' AND client = '127.0.0.1'`), '1');
  assert.equal(sqlite(`SELECT count(*) FROM audit WHERE entity_id = ${uid} AND action = 'auth.two_factor_failed'`), '1');
  assert.equal((await other.get('/api/v1/me')).status, 200);
  r = await browser.post('/account/two-factor/disable', { password: PASSWORD, code: totp(secret, step + 1) });
  assert.equal(r.status, 303);
  assert.match((await browser.get(r.location)).body, /data-on="0"/);
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE action = 'two_factor.disabled'"), '1');
  // this browser stays signed in; the account's other session has ended
  assert.equal((await other.get('/api/v1/me')).status, 401);
  assert.equal((await browser.get('/account')).status, 200);
  assert.equal((await new Client(server.base).login('dl_member')).status, 201);
});

test('--mlps: a coordinator must enrol before anything else, a member need not', async () => {
  const mlps = await startServer({ args: ['--mlps'] });
  const NEW = 'Xq7!-xin-mima-2027';
  try {
    // Accounts the command line made change their password first (that gate comes before
    // this one); then the coordinator's session reaches only the enrolment.
    const coord = new Client(mlps.base);
    let r = await coord.login('ln_coord');
    assert.equal(r.status, 201, r.body);
    r = await coord.post('/api/v1/me/password', { old_password: PASSWORD, new_password: NEW });
    assert.ok(r.status < 300, r.body);
    r = await coord.get('/api/v1/me/sessions');
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'err_two_factor_enrol');
    // The member is not forced.
    const member = new Client(mlps.base);
    assert.equal((await member.login('pj_member')).status, 201);
    r = await member.post('/api/v1/me/password', { old_password: PASSWORD, new_password: NEW });
    assert.ok(r.status < 300, r.body);
    assert.equal((await member.get('/api/v1/me/sessions')).status, 200);

    const b = new WebClient(mlps.base);
    r = await b.send('/login', { login: 'ln_coord', password: NEW });
    assert.ok(r.status === 303 || r.status === 200, r.body.slice(0, 300));
    r = await b.get('/reviews');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/account/two-factor');
    r = await b.get('/account');
    assert.equal(r.location, '/account/two-factor');
    r = await b.get('/account/two-factor');
    assert.equal(r.status, 200);
    assert.match(r.body, /必须使用双因素登录/);
    b.csrf = csrfOf(r.body);
    // Public routes answer more for a signed-in user (drafts, the signed-in pages): before
    // enrolling, the session reads them as anyone does. A draft of the coordinator's
    // pairing, written through a bearer token (not a session, so not gated):
    const bot = new Client(mlps.base);
    bot.bearer = mlps.cli(['token', 'create', '--login', 'ln_coord']).match(/dk_[A-Za-z0-9_-]+/)[0];
    r = await bot.post('/api/v1/notices', { title: '草稿通知（未发布）', body: '草稿正文' });
    assert.equal(r.status, 201, r.body);
    const draft = r.json.id;
    assert.equal(r.json.status, 'draft');
    r = await coord.get(`/api/v1/notices/${draft}`);
    assert.equal(r.status, 404, r.body);
    r = await coord.get('/api/v1/notices?manage=1');
    assert.equal(r.status, 401, r.body);
    assert.ok(!(await coord.get('/api/v1/notices')).json.notices.some((n) => n.id === draft));
    r = await b.get(`/notices/${draft}`);
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /草稿通知/);
    r = await b.get('/notices/manage');
    assert.equal(r.location, '/account/two-factor');
    r = await b.get('/notices');
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.body, /href="\/notices\/manage"/, 'the public list, not the manager\'s');
    r = await b.get('/projects');
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.body, /action="\/logout"/, 'the public page, not the signed-in one');
    assert.match(r.body, /href="\/login"/);
    // sign-in and the enrolment pages still know the session
    assert.match((await b.get('/account/two-factor')).body, /action="\/logout"/);
    // Enrolled, the coordinator goes on.
    const started = await b.post('/account/two-factor/start', {});
    const secret = /id="two-factor-secret">([A-Z2-7]+)</.exec(started.body)[1];
    const step = stepNow();
    r = await b.post('/account/two-factor/confirm', { code: totp(secret, step) });
    assert.equal(r.status, 200);
    assert.equal((await b.get('/reviews')).status, 200);
    // enrolled: the signed-in pages again, and the drafts to manage
    assert.match((await b.get('/projects')).body, /action="\/logout"/);
    assert.match((await b.get('/notices')).body, /href="\/notices\/manage"/);
    assert.match((await b.get('/notices/manage')).body, /草稿通知/);
    const api = new Client(mlps.base);
    r = await api.post('/api/v1/session', { login: 'ln_coord', password: NEW, code: totp(secret, step + 1) });
    assert.equal(r.status, 201, r.body);
    assert.equal((await api.get('/api/v1/me/sessions')).status, 200);
    assert.equal((await api.get(`/api/v1/notices/${draft}`)).status, 200, 'an enrolled session reads its draft');
  } finally {
    await mlps.stop();
  }
});
