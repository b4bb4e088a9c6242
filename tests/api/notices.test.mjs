// Notices (通知公告) over the JSON API: a coordinator writes a draft for its pairing, edits it
// with If-Match (428 without, 412 stale, as for units), publishes and withdraws it; an admin
// writes one for every pairing. Validation answers 422 naming the field; members, leaders and
// the other pairing's coordinator are refused; anonymous readers see published notices only;
// each write leaves its audit row and a refused one none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, Client, LJ, SD } from './harness.mjs';

let server, admin, anon;
const c = {};

before(async () => {
  server = await startServer();
  admin = await as(server, 'admin');
  for (const l of ['ln_coord', 'js_coord', 'dl_coord', 'pj_member', 'ln_leader']) c[l] = await as(server, l);
  anon = new Client(server.base);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(r.json?.error?.code, code, r.body);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.body);
}

async function lastAuditId() {
  return (await admin.get('/api/v1/audit?limit=1')).json.entries[0]?.id ?? 0;
}

async function auditOf(id) {
  const r = await admin.get(`/api/v1/audit?entity=notice&entity_id=${id}&limit=50`);
  assert.equal(r.status, 200, r.body);
  return r.json.entries.map((e) => e.action).reverse();
}

const TITLE = '关于报送2026年度对口合作工作进展情况的通知';
const BODY = '各有关单位：\n\n请于12月10日前报送本年度工作进展情况。\n\n辽宁省发展和改革委员会';

test('a coordinator writes, edits, publishes and withdraws a notice of its pairing', async () => {
  let r = await c.ln_coord.post('/api/v1/notices', { title: TITLE, body: BODY });
  assert.equal(r.status, 201, r.body);
  const id = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/notices/${id}`);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.pairing_id, LJ);
  assert.equal(r.json.published_at, null);
  assert.equal(r.json.created_by, 'ln_coord');
  const etag1 = r.headers.get('etag');
  assert.match(etag1, new RegExp(`^"notice-${id}-`));

  // A draft is not public, and not listed.
  assertError(await anon.get(`/api/v1/notices/${id}`), 404, 'err_not_found');
  assertError(await c.dl_coord.get(`/api/v1/notices/${id}`), 404, 'err_not_found');
  assert.ok(!(await anon.get('/api/v1/notices')).json.notices.some((n) => n.id === id));
  // The other side's lead office of the same pairing manages it too.
  assert.equal((await c.js_coord.get(`/api/v1/notices/${id}`)).status, 200);

  // PATCH: If-Match required, stale refused and nothing changes.
  assertError(await c.ln_coord.patch(`/api/v1/notices/${id}`, { title: '改' }), 428, 'err_precondition_required');
  r = await c.ln_coord.patch(`/api/v1/notices/${id}`, { title: TITLE + '（修订）' }, { headers: { 'if-match': etag1 } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.title, TITLE + '（修订）');
  const etag2 = r.headers.get('etag');
  assert.notEqual(etag2, etag1);
  assertError(await c.js_coord.patch(`/api/v1/notices/${id}`, { title: '旧版本' }, { headers: { 'if-match': etag1 } }), 412, 'err_stale');
  assert.equal((await admin.get(`/api/v1/notices/${id}`)).json.title, TITLE + '（修订）');
  assertError(await c.ln_coord.patch(`/api/v1/notices/${id}`, { pairing_id: SD }, { headers: { 'if-match': etag2 } }), 422, 'err_fixed', 'pairing_id');

  // Publish: public now, first in the list; a second publish is a state conflict.
  assertError(await c.ln_coord.post(`/api/v1/notices/${id}/publish`, undefined, { headers: { 'if-match': etag1 } }), 412, 'err_stale');
  r = await c.ln_coord.post(`/api/v1/notices/${id}/publish`, undefined, { headers: { 'if-match': etag2 } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'published');
  assert.ok(r.json.published_at);
  assertError(await c.ln_coord.post(`/api/v1/notices/${id}/publish`), 409, 'err_notice_state');
  r = await anon.get(`/api/v1/notices/${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.body, BODY);
  assert.equal(r.json.created_by, undefined, 'the author is not shown to the public');
  assert.equal((await anon.get('/api/v1/notices')).json.notices[0].id, id);

  // Withdraw: gone from the public again, still there for its managers.
  r = await c.js_coord.post(`/api/v1/notices/${id}/withdraw`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'withdrawn');
  assertError(await c.js_coord.post(`/api/v1/notices/${id}/withdraw`), 409, 'err_notice_state');
  assertError(await anon.get(`/api/v1/notices/${id}`), 404, 'err_not_found');
  assert.ok((await c.ln_coord.get('/api/v1/notices?manage=1')).json.notices.some((n) => n.id === id && n.status === 'withdrawn'));

  assert.deepEqual(await auditOf(id), ['notice.create', 'notice.update', 'notice.publish', 'notice.withdraw']);
  const rows = (await admin.get(`/api/v1/audit?entity=notice&entity_id=${id}&limit=1`)).json.entries;
  assert.equal(rows[0].actor, 'user:js_coord');
});

test('validation answers 422 naming the field, and writes nothing', async () => {
  const before = await lastAuditId();
  assertError(await c.ln_coord.post('/api/v1/notices', { body: BODY }), 422, 'err_required', 'title');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: '　 ', body: BODY }), 422, 'err_required', 'title');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: 'x'.repeat(101), body: BODY }), 422, 'err_too_long', 'title');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: '两行\n标题', body: BODY }), 422, 'err_invalid', 'title');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: TITLE, body: '' }), 422, 'err_required', 'body');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: TITLE, body: '字'.repeat(20001) }), 422, 'err_too_long', 'body');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: TITLE, body: BODY, audience: 'x' }), 422, 'err_unknown_field', 'audience');
  assertError(await admin.post('/api/v1/notices', { title: TITLE, body: BODY, pairing_id: 999 }), 404, 'err_not_found', 'pairing_id');
  assertError(await anon.get('/api/v1/notices?limit=101'), 400, 'err_range');
  assert.equal(await lastAuditId(), before);
  // Exactly at the limits is fine (code points, not bytes).
  const r = await c.ln_coord.post('/api/v1/notices', { title: '通'.repeat(100), body: '字'.repeat(20000) });
  assert.equal(r.status, 201, r.body.slice(0, 200));
});

test('who may write: coordinators of the pairing and admins; others are refused', async () => {
  const before = await lastAuditId();
  assertError(await c.pj_member.post('/api/v1/notices', { title: TITLE, body: BODY }), 403, 'err_forbidden');
  assertError(await c.ln_leader.post('/api/v1/notices', { title: TITLE, body: BODY }), 403, 'err_forbidden');
  assertError(await anon.post('/api/v1/notices', { title: TITLE, body: BODY }), 401, 'err_unauthorized');
  assertError(await c.ln_coord.post('/api/v1/notices', { title: TITLE, body: BODY, pairing_id: SD }), 403, 'err_forbidden');
  assertError(await c.pj_member.get('/api/v1/notices?manage=1'), 403, 'err_forbidden');
  assertError(await anon.get('/api/v1/notices?manage=1'), 401, 'err_unauthorized');
  assert.equal(await lastAuditId(), before);

  // An admin's notice for every pairing: only admins write it.
  let r = await admin.post('/api/v1/notices', { title: '关于做好年度考核准备工作的通知', body: BODY });
  assert.equal(r.status, 201, r.body);
  const all = r.json.id;
  assert.equal(r.json.pairing_id, null);
  r = await admin.post(`/api/v1/notices/${all}/publish`);
  assert.equal(r.status, 200);
  const etag = r.headers.get('etag');
  assertError(await c.ln_coord.patch(`/api/v1/notices/${all}`, { title: '改' }, { headers: { 'if-match': etag } }), 403, 'err_forbidden');
  assertError(await c.dl_coord.post(`/api/v1/notices/${all}/withdraw`), 403, 'err_forbidden');

  // The other pairing's coordinator: a published notice of LJ is forbidden to it, a draft not found.
  r = await c.ln_coord.post('/api/v1/notices', { title: '辽宁草稿', body: BODY });
  const draft = r.json.id;
  assertError(await c.dl_coord.post(`/api/v1/notices/${draft}/publish`), 404, 'err_not_found');
  assertError(await c.pj_member.post(`/api/v1/notices/${draft}/publish`), 403, 'err_forbidden');
  assertError(await c.dl_coord.patch(`/api/v1/notices/${draft}`, { title: 'x' }, { headers: { 'if-match': r.headers.get('etag') } }), 404, 'err_not_found');
  assert.equal((await admin.get(`/api/v1/notices/${draft}`)).json.status, 'draft');

  // Management lists: a coordinator its pairing's only; an admin all.
  const mine = (await c.dl_coord.get('/api/v1/notices?manage=1')).json.notices;
  assert.ok(mine.every((n) => n.pairing_id === SD));
  const every = (await admin.get('/api/v1/notices?manage=1&limit=100')).json.notices;
  assert.ok(every.some((n) => n.id === draft) && every.some((n) => n.id === all));
});

test('the public list: published only, newest first, in keyset pages', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const id = (await c.dl_coord.post('/api/v1/notices', { title: `大连通知${i}`, body: BODY })).json.id;
    assert.equal((await c.dl_coord.post(`/api/v1/notices/${id}/publish`)).status, 200);
    ids.push(id);
  }
  const hidden = (await c.dl_coord.post('/api/v1/notices', { title: '大连草稿', body: BODY })).json.id;
  const page1 = (await anon.get('/api/v1/notices?limit=2')).json;
  assert.deepEqual(page1.notices.map((n) => n.id), [ids[2], ids[1]]);
  assert.equal(page1.next_after, ids[1]);
  const page2 = (await anon.get(`/api/v1/notices?limit=2&after=${page1.next_after}`)).json;
  assert.equal(page2.notices[0].id, ids[0]);
  const everything = (await anon.get('/api/v1/notices?limit=100')).json.notices;
  assert.ok(everything.every((n) => n.status === 'published'));
  assert.ok(!everything.some((n) => n.id === hidden));
  const dates = everything.map((n) => n.published_at);
  assert.deepEqual(dates, [...dates].sort().reverse());
});

test("a leader's audit log holds its pairing's notices, not those to every pairing", async () => {
  const mine = (await admin.post('/api/v1/notices', { pairing_id: LJ, title: '辽宁通知', body: BODY })).json.id;
  const all = (await admin.post('/api/v1/notices', { title: '全体通知', body: BODY })).json.id;
  const other = (await admin.post('/api/v1/notices', { pairing_id: SD, title: '大连通知', body: BODY })).json.id;
  const seen = async (id) => (await c.ln_leader.get(`/api/v1/audit?entity=notice&entity_id=${id}`)).json.entries.length;
  assert.equal(await seen(mine), 1);
  assert.equal(await seen(all), 0);
  assert.equal(await seen(other), 0);
});
