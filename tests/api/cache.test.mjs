// The cache of rendered answers (http/cache.c): a cached answer is what the handler would
// write now. A write moves the data version, so the next GET shows it; the key holds who asks,
// so one user's answer (or an anonymous one) is never served to another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, Client, LJ } from './harness.mjs';
import { thisYear } from './clock.mjs';

let server;
const fx = {};
const YEAR = thisYear();

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const item = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, {
    owner_unit_id: server.units.panjin, title: '緩存測試事項', due: `${YEAR}-12-20`,
  });
  assert.equal(item.status, 201, item.body);
  fx.item = item.json.id;
});
after(() => server?.stop());

test('a write shows in the next GET of a cached work plan', async () => {
  const path = `/api/v1/work-plans/${fx.wp}`;
  const a = await fx.ln.get(path);
  const b = await fx.ln.get(path);
  assert.equal(a.status, 200);
  assert.equal(b.body, a.body, 'the same answer twice');
  assert.equal(b.headers.get('etag'), a.headers.get('etag'));
  assert.equal(a.json.items.find((i) => i.id === fx.item).latest_report, null);

  const pj = await as(server, 'pj_member');
  const r = await pj.post(`/api/v1/work-items/${fx.item}/reports`, {
    period: `${YEAR}-11`, status: 'at_risk', percent: 30, narrative: '緩存之後的報告。',
  });
  assert.equal(r.status, 201, r.body);
  const c = await fx.ln.get(path);
  const latest = c.json.items.find((i) => i.id === fx.item).latest_report;
  assert.ok(latest, 'the new report is there');
  assert.equal(latest.id, r.json.id);
  assert.equal(latest.status, 'at_risk');
});

test('a cached answer is never served to someone else', async () => {
  const path = `/api/v1/work-plans/${fx.wp}`;
  assert.equal((await fx.ln.get(path)).status, 200);
  const dl = await as(server, 'dl_coord'); // the other pairing: to it the plan is not there
  assert.equal((await dl.get(path)).status, 404);
  assert.equal((await new Client(server.base).get(path)).status, 401);

  const anon = new Client(server.base);
  const page1 = await anon.get('/plans/1');
  const page2 = await anon.get('/plans/1');
  assert.equal(page1.status, 200);
  assert.equal(page2.body, page1.body);
  const signed = await fx.ln.get('/plans/1');
  assert.equal(signed.status, 200);
  assert.notEqual(signed.body, page1.body, 'the signed-in page is its own');
  assert.match(signed.body, /ln_coord|登出|退出|sign out/i);
  assert.equal(signed.headers.get('cache-control'), 'no-store');
  const en = await anon.get('/plans/1?lang=en');
  assert.notEqual(en.body, page1.body, 'another language, another answer');
});

// The daily pages (/my, the dashboard, the review queue, /api/v1/my/work-items) are rendered
// once for every caller of the same role and unit (ROUTE_SHARED): each caller still gets
// their own name in the header and their own session's CSRF token in every form, and a write
// in the pairing shows at once. (Under the tests, DUIKOU_CACHE_VERIFY=1 also renders every hit
// again and aborts the server on any difference.)
test('a shared page carries each caller\'s own name and CSRF token', async () => {
  const admin = await as(server, 'admin');
  const made = await admin.post('/api/v1/users', {
    login: 'pj_member2', name: '盤錦第二位', role: 'member', unit_id: server.units.panjin,
  });
  assert.equal(made.status, 201, made.body);
  const one = await as(server, 'pj_member');
  const two = new Client(server.base);
  assert.equal((await two.login('pj_member2', made.json.password)).status, 201);
  assert.notEqual(one.csrf, two.csrf);
  for (const path of ['/my', `/pairings/${LJ}/dashboard`]) {
    const a = await one.get(path);
    const b = await two.get(path); // the same rendering, filled for the second member
    assert.equal(a.status, 200, path);
    assert.equal(b.status, 200, path);
    assert.ok(b.body.includes(two.csrf), `${path}: the second member's CSRF token`);
    assert.ok(!b.body.includes(one.csrf), `${path}: never the first member's token`);
    assert.match(b.body, /<a class="account" href="\/account">盤錦第二位<\/a>/);
    assert.ok(!a.body.includes('盤錦第二位'), `${path}: the first member sees their own name`);
    const again = await one.get(path);
    assert.equal(again.body, a.body, `${path}: the first member's page, as before`);
  }
  // a sign-out form made from the shared page works: the token is the caller's own
  const page = await two.get('/my');
  const token = /name="csrf_token" value="([^"]+)"/.exec(page.body)[1];
  const out = await two.request('POST', '/logout', { form: { csrf_token: token }, csrf: false });
  assert.equal(out.status, 303);
  // a report by one member of the unit shows on the other's /my at once
  const before = await one.get('/my');
  const r = await one.post(`/api/v1/work-items/${fx.item}/reports`, {
    period: `${YEAR}-10`, status: 'on_track', percent: 55, narrative: '共享頁面之後的報告。',
  });
  assert.equal(r.status, 201, r.body);
  const after = await one.get('/my');
  assert.notEqual(after.body, before.body, 'the write re-rendered the shared page');
  assert.match(after.body, /55\s*%/);
});

// /my and the API's work items are kept per unit (schema 13: unit_version): a report
// re-renders the pages of the unit that owns its item, and no other unit's; every hit is
// rendered again and compared (DUIKOU_CACHE_VERIFY=1), so a stale page would abort the server.
test('a report re-renders its own unit\'s /my, not the other units\'', async () => {
  const ly = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, {
    owner_unit_id: server.units.liaoyang, title: '遼陽緩存事項', due: `${YEAR}-12-21`,
  });
  assert.equal(ly.status, 201, ly.body);
  const pj = await as(server, 'pj_member');
  const lyMember = await as(server, 'ly_member');
  const wx = await as(server, 'wx_member');
  const pages = ['/my', '/api/v1/my/work-items'];
  const seen = async (c) => {
    const out = {};
    for (const path of pages) {
      await c.get(path); // filed
      const again = await c.get(path);
      assert.equal(again.status, 200, path);
      assert.equal(again.headers.get('x-duikou-cache'), 'hit', `${path}: kept`);
      out[path] = again.body;
    }
    return out;
  };
  const pjBefore = await seen(pj);
  const wxBefore = await seen(wx);
  const lyBefore = await seen(lyMember);

  const r = await lyMember.post(`/api/v1/work-items/${ly.json.id}/reports`, {
    period: `${YEAR}-11`, status: 'on_track', percent: 42, narrative: '遼陽的報告。',
  });
  assert.equal(r.status, 201, r.body);
  for (const [c, before, who] of [[pj, pjBefore, 'panjin'], [wx, wxBefore, 'wuxi']])
    for (const path of pages) {
      const a = await c.get(path);
      assert.equal(a.headers.get('x-duikou-cache'), 'hit', `${who} ${path}: left alone`);
      assert.equal(a.body, before[path]);
    }
  for (const path of pages) {
    const a = await lyMember.get(path);
    assert.equal(a.headers.get('x-duikou-cache'), null, `liaoyang ${path}: rendered again`);
    assert.notEqual(a.body, lyBefore[path]);
  }
  assert.ok((await lyMember.get('/api/v1/my/work-items')).json.items
    .some((i) => i.id === ly.json.id && i.latest_report?.percent === 42));

  // Its review by the coordinator: liaoyang's pages again, panjin's still kept.
  const rv = await fx.ln.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'returned', comment: '請補充數據。' });
  assert.equal(rv.status, 201, rv.body);
  assert.equal((await pj.get('/my')).headers.get('x-duikou-cache'), 'hit');
  const lyMy = await lyMember.get('/my');
  assert.equal(lyMy.headers.get('x-duikou-cache'), null);
  assert.ok(lyMy.body.includes('請補充數據。'), 'the returned report\'s comment');

  // Anything else in the pairing (an item added to panjin) re-renders every unit's pages.
  const added = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, {
    owner_unit_id: server.units.panjin, title: '盤錦新增事項', due: `${YEAR}-12-22`,
  });
  assert.equal(added.status, 201, added.body);
  for (const c of [pj, wx, lyMember])
    assert.equal((await c.get('/my')).headers.get('x-duikou-cache'), null);
  assert.ok((await pj.get('/my')).body.includes('盤錦新增事項'));
});
