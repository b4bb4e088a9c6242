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
  const dl = await as(server, 'dl_coord'); // the other pairing
  assert.equal((await dl.get(path)).status, 403);
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
