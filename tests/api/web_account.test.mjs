// Signing in and out and the own-account page (web/account.c) with plain HTML forms, as a
// browser without JavaScript does it: form-encoded POSTs with Origin, 303 redirects followed
// by hand, cookies kept in a small jar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from './harness.mjs';
import { today, zhDate } from './clock.mjs';

let server;
let locking;

before(async () => {
  server = await startServer();
  locking = await startServer({ args: ['--lock-failures', '5'] });
});

after(async () => {
  await server?.stop();
  await locking?.stop();
});

// A browser: a cookie jar, GET and form POST (Origin set), no redirects followed.
class Browser {
  constructor(base) { this.base = base; this.jar = new Map(); }

  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  async request(method, path, form, extra = {}) {
    const headers = { ...extra };
    if (this.jar.size) headers.cookie = this.cookieHeader();
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin ??= this.base;
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c);
      if (!m) continue;
      if (!m[2] || /Max-Age=0/i.test(c)) this.jar.delete(m[1]); else this.jar.set(m[1], m[2]);
    }
    return { status: res.status, headers: res.headers, body: await res.text(), location: res.headers.get('location') };
  }

  get(path, extra) { return this.request('GET', path, null, extra); }
  post(path, form, extra) { return this.request('POST', path, form, extra); }

  get session() { return this.jar.get('duikou_session'); }

  // The csrf_token of the first form on a page.
  static csrf(body) { return /name="csrf_token" value="([^"]+)"/.exec(body)?.[1]; }

  async signIn(login, password = PASSWORD, next) {
    const path = next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return this.post(path, { login, password });
  }

  async csrfToken() { return Browser.csrf((await this.get('/account')).body); }
}

const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');

test('the sign-in form has labelled fields with autocomplete', async () => {
  const b = new Browser(server.base);
  const r = await b.get('/login?next=%2Fplans%2F1');
  assert.equal(r.status, 200);
  assert.match(r.body, /<label for="login">/);
  assert.match(r.body, /<label for="password">/);
  assert.match(r.body, /autocomplete="username"/);
  assert.match(r.body, /autocomplete="current-password"/);
  assert.match(r.body, /<input type="hidden" name="next" value="\/plans\/1">/);
  assert.doesNotMatch(r.body, /<script/);
});

test('sign in through the form, see the account, the header shows the name and a sign-out form', async () => {
  const b = new Browser(server.base);
  const r = await b.signIn('pj_member');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/my', 'a clerk lands on its items');
  // Each role lands where its work is; the sign-in form sends a signed-in user on.
  for (const [who, home] of [['ln_coord', '/reviews'], ['ln_leader', '/dashboard'], ['admin', '/dashboard']]) {
    const x = new Browser(server.base);
    assert.equal((await x.signIn(who)).location, home, who);
    assert.equal((await x.post('/logout', { csrf_token: await x.csrfToken() })).status, 303); // sessions counted below
  }
  assert.equal((await b.get('/login')).location, '/my');
  assert.equal((await b.get('/login?next=/plans/1')).location, '/plans/1');
  assert.ok(b.session);
  const a = await b.get('/account');
  assert.equal(a.status, 200);
  assert.match(a.body, /pj_member/);
  assert.match(a.body, /盤錦市人民政府/);
  assert.match(a.body, /成员/);
  assert.match(a.body, /<form class="logout" method="post" action="\/logout"><input type="hidden" name="csrf_token" value="[^"]+">/);
  assert.doesNotMatch(a.body, /href="\/login"/);
  assert.match(a.body, /class="current"/);
  // sign-out, password, language, notifications, a calendar feed, sign out everywhere
  assert.equal((a.body.match(/name="csrf_token"/g) ?? []).length, 6);
});

test('a wrong password re-renders the form with the message and the login kept', async () => {
  const b = new Browser(server.base);
  const r = await b.signIn('ly_member', 'wrong-password-1');
  assert.equal(r.status, 401);
  assert.match(r.body, /账号或密码不正确。/);
  assert.match(r.body, /name="login"[^>]*value="ly_member"/);
  assert.doesNotMatch(r.body, /wrong-password-1/);
  const u = await b.signIn('nobody-here', 'wrong-password-1', undefined);
  assert.equal(u.status, 401);
  assert.match(u.body, /账号或密码不正确。/);
  const en = await b.post('/login?lang=en', { login: 'ly_member', password: 'x' });
  assert.match(en.body, /The login or the password is not correct\./);
  assert.equal(b.session, undefined);
});

test('five failures lock this address out, answered as a wrong password', async () => {
  const b = new Browser(locking.base);
  for (let i = 0; i < 5; i++) assert.equal((await b.signIn('wx_member', 'not-it-' + i)).status, 401);
  const r = await b.signIn('wx_member');
  assert.equal(r.status, 401);
  assert.match(r.body, /账号或密码不正确。/);
  assert.doesNotMatch(r.body, /锁定/);
  assert.match(r.body, /value="wx_member"/);
  assert.equal(b.session, undefined);
});

test('next is honoured; an external next is ignored', async () => {
  const b = new Browser(server.base);
  assert.equal((await b.signIn('ly_member', PASSWORD, '/plans/1')).location, '/plans/1');
  for (const evil of ['https://evil.example/', '//evil.example', '/\\evil.example', '/%0d%0aX: y']) {
    const c = new Browser(server.base);
    const r = await c.signIn('ly_member', PASSWORD, evil);
    assert.equal(r.status, 303, evil);
    assert.equal(r.location, '/my', evil);
    const form = await c.get(`/login?next=${encodeURIComponent(evil)}`);
    assert.doesNotMatch(form.body, /name="next"/, evil);
  }
  // next in the form field too
  const d = new Browser(server.base);
  const r = await d.post('/login', { login: 'ly_member', password: PASSWORD, next: '//evil.example' });
  assert.equal(r.location, '/my');
});

test('a page that needs sign-in redirects to /login with next; the API keeps its JSON 401', async () => {
  const b = new Browser(server.base);
  let r = await b.get('/account');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2Faccount');
  b.jar.set('duikou_session', 'expired-or-unknown-token');
  r = await b.get('/account');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2Faccount');
  r = await b.get('/api/v1/me');
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type'), /json/);
  // Following it through: sign in, come back.
  const s = await b.signIn('ly_member', PASSWORD, '/account');
  assert.equal(s.location, '/account');
  assert.equal((await b.get('/account')).status, 200);
});

test('changing the password: a wrong old one shows the error; a mismatch too; then it works', async () => {
  const b = new Browser(server.base);
  await b.signIn('dl_member');
  const csrf = await b.csrfToken();
  let r = await b.post('/account/password', { csrf_token: csrf, old_password: 'not-my-password', new_password: 'Another-long-pass-9', new_password2: 'Another-long-pass-9' });
  assert.equal(r.status, 422);
  assert.match(r.body, /role="alert"/);
  assert.doesNotMatch(r.body, /Another-long-pass-9|not-my-password/);
  noBareIds(r.body);
  r = await b.post('/account/password', { csrf_token: csrf, old_password: PASSWORD, new_password: 'Another-long-pass-9', new_password2: 'Another-long-pass-8' });
  assert.equal(r.status, 422);
  assert.match(r.body, /两次输入的新密码不一致。/);
  const other = new Browser(server.base);
  await other.signIn('dl_member');
  r = await b.post('/account/password', { csrf_token: csrf, old_password: PASSWORD, new_password: 'Another-long-pass-9', new_password2: 'Another-long-pass-9' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/account?done=password');
  assert.match((await b.get(r.location)).body, /密码已修改/);
  assert.equal((await other.get('/account')).status, 303, 'the other session ended');
  assert.equal((await new Browser(server.base).signIn('dl_member', 'Another-long-pass-9')).status, 303);
});

test('the chosen language is remembered in the account', async () => {
  const b = new Browser(server.base);
  await b.signIn('js_coord');
  const r = await b.post('/account/language', { csrf_token: await b.csrfToken(), language: 'en' });
  assert.equal(r.status, 303);
  const a = await b.get('/account?done=language');
  assert.match(a.body, /<html lang="en">/);
  assert.match(a.body, /Your language was saved\./);
  assert.match(a.body, /<option value="en" lang="en" selected>/);
  // Another browser (no lang cookie) gets it from the account after sign-in.
  const c = new Browser(server.base);
  await c.signIn('js_coord');
  assert.match((await c.get('/account')).body, /<html lang="en">/);
  // A language we do not have is refused on the page.
  const bad = await b.post('/account/language', { csrf_token: await b.csrfToken(), language: 'fr' });
  assert.equal(bad.status, 422);
  noBareIds(bad.body);
});

test('the notifications form: an address and a channel per kind, all checked first', async () => {
  const b = new Browser(server.base);
  await b.signIn('wx_member');
  const kinds = { report_due: 'mail', report_missing: 'mail', report_urged: 'inbox', report_returned: 'digest', plan_submitted: 'mail', review_waiting: 'mail', plan_reopened: 'mail', project_stage: 'mail', evaluation_step: 'inbox', event_registration: 'mail' };
  const bad = await b.post('/account/mail', { csrf_token: await b.csrfToken(), email: 'wx at example', ...kinds });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /请填写有效的电子邮件地址/);
  assert.match(bad.body, /name="email"[^>]*value="wx at example" aria-invalid="true"/, 'the input kept');
  noBareIds(bad.body);
  const wrongKind = await b.post('/account/mail', { csrf_token: await b.csrfToken(), email: 'wx@example.org', ...kinds, report_due: 'fax' });
  assert.equal(wrongKind.status, 422);
  const before = await b.get('/account');
  assert.doesNotMatch(before.body, /wx@example.org/, 'nothing stored');
  const ok = await b.post('/account/mail', { csrf_token: await b.csrfToken(), email: 'wx@example.org', ...kinds });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/account?done=mail');
  const a = await b.get('/account?done=mail');
  assert.match(a.body, /通知方式已保存。/);
  assert.match(a.body, /name="email"[^>]*value="wx@example.org"/);
  assert.match(a.body, /<select id="ch-report_urged" name="report_urged">[\s\S]*?<option value="inbox" selected>/);
  assert.match(a.body, /<select id="ch-report_returned" name="report_returned">[\s\S]*?<option value="digest" selected>/);
  assert.match(a.body, /<label for="ch-report_due">报送临近提醒<\/label>/);
});

test('sign out everywhere ends the other session too', async () => {
  const a = new Browser(server.base), b = new Browser(server.base);
  await a.signIn('ln_leader');
  await b.signIn('ln_leader');
  const list = await a.get('/account');
  assert.equal((list.body.match(/<tr( class="current")?><td>/g) ?? []).length, 2);
  // Times in China's time zone, written for a reader: not 2026-11-26T03:16:04.123Z.
  assert.match(list.body, new RegExp(`<td>(${zhDate(today())}|${zhDate(today(-1))}) \\d\\d:\\d\\d:\\d\\d</td>`));
  assert.doesNotMatch(list.body, /\d{4}-\d\d-\d\dT\d\d:/);
  const r = await a.post('/account/sessions/revoke', { csrf_token: Browser.csrf(list.body) });
  assert.equal(r.status, 303);
  assert.equal(a.session, undefined);
  assert.equal((await b.get('/account')).status, 303);
});

test('logout ends the session and clears the cookie', async () => {
  const b = new Browser(server.base);
  await b.signIn('ln_coord');
  const token = b.session;
  const r = await b.post('/logout', { csrf_token: await b.csrfToken() });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/');
  assert.match(r.headers.get('set-cookie'), /duikou_session=;.*Max-Age=0/);
  assert.equal(b.session, undefined);
  b.jar.set('duikou_session', token);
  assert.equal((await b.get('/account')).status, 303, 'the old token no longer works');
  assert.match((await b.get('/')).body, /href="\/login"/);
});

test('a POST without csrf_token is refused', async () => {
  const b = new Browser(server.base);
  await b.signIn('admin');
  for (const [path, form] of [['/logout', {}], ['/account/password', { old_password: PASSWORD, new_password: 'Another-long-pass-9', new_password2: 'Another-long-pass-9' }],
    ['/account/language', { language: 'en' }], ['/account/sessions/revoke', {}]])
    assert.equal((await b.post(path, form)).status, 403, path);
  assert.equal((await b.get('/account')).status, 200, 'still signed in');
  // A foreign Origin is refused even for the sign-in form.
  const c = new Browser(server.base);
  assert.equal((await c.post('/login', { login: 'admin', password: PASSWORD }, { origin: 'https://evil.example' })).status, 403);
});

test('every page in three languages shows no bare message id', async () => {
  const b = new Browser(server.base);
  await b.signIn('sh_coord');
  for (const lang of ['zh-Hans', 'zh-Hant', 'en']) {
    for (const path of ['/login', '/account', '/', '/plans/1']) {
      // The sign-in form is for someone not signed in (a signed-in user is sent on).
      const r = await (path === '/login' ? new Browser(server.base) : b).get(`${path}?lang=${lang}`);
      assert.equal(r.status, 200, path);
      assert.match(r.body, new RegExp(`<html lang="${lang}">`));
      noBareIds(r.body);
    }
    const anon = new Browser(server.base);
    const f = await anon.post(`/login?lang=${lang}`, { login: 'sh_coord', password: 'nope-nope' });
    assert.equal(f.status, 401);
    noBareIds(f.body);
  }
});

test('refusals of pages are pages: a form without its csrf_token, an unknown address, a wrong method', async () => {
  const b = new Browser(server.base);
  assert.equal((await b.signIn('pj_member')).status, 303);
  const before = await b.get('/account');
  // The form posted without csrf_token: refused with a readable page, nothing changed.
  const r = await b.post('/account/language', { language: 'en' });
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(r.body, /请刷新页面后重试/);
  noBareIds(r.body);
  assert.match((await b.get('/account')).body, /<html lang="zh-Hans">/);
  // A wrong token: the same page.
  const wrong = await b.post('/account/language', { language: 'en', csrf_token: 'x'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.match(wrong.body, /<h1>无权访问<\/h1>/);
  assert.equal(before.status, 200);
  // Unknown page addresses answer a 404 page; unknown API addresses stay JSON.
  const nope = await b.get('/no-such-page');
  assert.equal(nope.status, 404);
  assert.equal(nope.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(nope.body, /没有这个地址/);
  const api = await b.get('/api/v1/no-such-thing');
  assert.equal(api.status, 404);
  assert.equal(JSON.parse(api.body).error.code, 'err_route_not_found');
  const method = await b.request('PUT', '/my');
  assert.equal(method.status, 405);
  assert.equal(method.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(method.headers.get('allow'), /GET/);
});

test('the work bar offers each role its sections and a search box', async () => {
  const links = (body) => [...(/<nav class="work-nav"[^>]*><ul>([\s\S]*?)<\/ul><\/nav>/.exec(body)?.[1] ?? '')
    .matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
  const want = {
    pj_member: ['/my', '/dashboard', '/work-plans', '/projects', '/platforms', '/events', '/funnel', '/exchanges', '/enterprises', '/circulars', '/evaluations'],
    ln_coord: ['/my', '/dashboard', '/work-plans', '/assign', '/projects', '/platforms', '/events', '/funnel', '/exchanges', '/enterprises', '/funds', '/reviews', '/reporting', '/circulars', '/evaluations', '/units', '/users', '/notices/manage'],
    ln_leader: ['/dashboard', '/work-plans', '/projects', '/platforms', '/events', '/funnel', '/exchanges', '/enterprises', '/funds', '/reporting', '/circulars', '/evaluations', '/units', '/audit'],
    admin: ['/my', '/dashboard', '/work-plans', '/assign', '/projects', '/platforms', '/events', '/funnel', '/exchanges', '/enterprises', '/funds', '/reviews', '/reporting', '/circulars', '/evaluations', '/units', '/users', '/notices/manage', '/plans/import', '/audit'],
  };
  for (const [login, paths] of Object.entries(want)) {
    const b = new Browser(server.base);
    assert.equal((await b.signIn(login)).status, 303, login);
    const r = await b.get('/account');
    assert.deepEqual(links(r.body), paths, login);
    assert.match(r.body, /<form class="nav-search" method="get" action="\/search" role="search"><label for="nav-q"/);
    // Every offered section opens for that role.
    for (const p of paths) {
      const page = await b.get(p);
      assert.ok([200, 303].includes(page.status), `${login} ${p}: ${page.status}`);
    }
  }
  const b = new Browser(server.base);
  await b.signIn('ln_coord');
  const reviews = await b.get('/reviews');
  assert.match(reviews.body, /<a href="\/reviews" aria-current="page">审核<\/a>/);
  const search = await b.get('/search?q=%E9%81%BC%E5%AF%A7%22');
  assert.match(search.body, /id="nav-q" name="q" type="search" maxlength="100" value="遼寧&quot;"/);
  // Signed out: no work bar.
  assert.doesNotMatch((await new Browser(server.base).get('/')).body, /work-nav/);
});
