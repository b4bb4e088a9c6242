// Two `duikou serve` on one database file (as several machines will share one database):
// what is written through one is seen through the other at once — the work plan's cached
// JSON, the review queue (review_queue, kept by triggers), the leader's audit page
// (audit_scope) and search (indexed by the other server's own indexer thread) — and a
// session made through one is valid on the other (sessions live in the database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serve, as, Client, LJ } from './harness.mjs';
import { thisYear } from './clock.mjs';

let a, second, baseB;
before(async () => {
  a = await startServer();
  ({ proc: second, base: baseB } = await serve(['--db', a.db, 'serve', '--listen', '127.0.0.1:0',
    '--login-rate', '0', '--write-rate', '0']));
});
after(async () => {
  if (second && second.exitCode === null) {
    const done = new Promise((r) => second.on('exit', r));
    second.kill('SIGTERM');
    await done;
  }
  await a?.stop();
});

// The same signed-in user, through the other server (same cookie and CSRF token).
function through(base, c) {
  const o = new Client(base);
  o.cookie = c.cookie;
  o.csrf = c.csrf;
  return o;
}

test('a write through one server is seen through the other at once', async () => {
  const year = thisYear();
  const lnA = await as(a, 'ln_coord');
  const lnB = through(baseB, lnA);
  const wp = await lnA.post('/api/v1/work-plans', { pairing_id: LJ, year });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const item = await lnA.post(`/api/v1/work-plans/${wp.json.id}/items`, {
    owner_unit_id: a.units.panjin, title: '雙機共用資料庫事項', due: `${year}-12-20` });
  assert.equal(item.status, 201, item.body);

  // B reads the plan (and caches it); A adds an item; B shows it on the next read.
  const before = await lnB.get(`/api/v1/work-plans/${wp.json.id}`);
  assert.equal(before.status, 200, before.body);
  assert.ok(before.json.items.some((i) => i.title === '雙機共用資料庫事項'));
  const more = await lnA.post(`/api/v1/work-plans/${wp.json.id}/items`, {
    owner_unit_id: a.units.panjin, title: '雙機共用資料庫事項二', due: `${year}-12-21` });
  assert.equal(more.status, 201, more.body);
  const afterAdd = await lnB.get(`/api/v1/work-plans/${wp.json.id}`);
  assert.ok(afterAdd.json.items.some((i) => i.title === '雙機共用資料庫事項二'), 'B does not serve its stale copy');

  // The pages kept per pairing version (the dashboard, /my, the review queue): B renders
  // them before the report below and must not serve those copies after it.
  const pj = await as(a, 'pj_member');
  const pjB = through(baseB, pj);
  const dashBefore = await lnB.get(`/pairings/${LJ}/dashboard`);
  const myBefore = await pjB.get('/my');
  const queueBefore = await lnB.get('/reviews');
  for (const r of [dashBefore, myBefore, queueBefore]) assert.equal(r.status, 200);

  // A member reports through A; B's review queue, audit page and search have it at once.
  const rep = await pj.post(`/api/v1/work-items/${item.json.id}/reports`, {
    period: `${year}-11`, status: 'on_track', percent: 30, narrative: '冷鏈物流對接會已召開，雙機測試。' });
  assert.equal(rep.status, 201, rep.body);
  assert.notEqual((await lnB.get(`/pairings/${LJ}/dashboard`)).body, dashBefore.body,
    'the dashboard through B shows the report');
  const myAfter = await pjB.get('/my');
  assert.notEqual(myAfter.body, myBefore.body, '/my through B shows the report');
  assert.match(myAfter.body, /30\s*%/);
  const queueAfter = await lnB.get('/reviews');
  assert.ok(queueAfter.body.includes('冷鏈物流對接會已召開'), 'the review queue page through B');
  assert.ok(!queueBefore.body.includes('冷鏈物流對接會已召開'));
  const pending = await lnB.get('/api/v1/reviews/pending');
  assert.ok(pending.json.pending.some((e) => e.report.id === rep.json.id), 'the queue through B');
  const leaderB = through(baseB, await as(a, 'ln_leader'));
  const audit = await leaderB.get('/api/v1/audit?limit=50');
  assert.equal(audit.status, 200, audit.body);
  assert.ok(audit.json.entries.some((e) => e.entity === 'report' && e.entity_id === rep.json.id),
    'the leader\'s audit page through B');
  const found = await lnB.get(`/search?q=${encodeURIComponent('冷鏈物流')}`);
  assert.equal(found.status, 200);
  assert.match(found.body, /<mark>冷鏈物流<\/mark>對接會已召開/, 'search through B finds the report written through A');
});
