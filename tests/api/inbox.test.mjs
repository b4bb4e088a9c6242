// The inbox over HTTP (service/notification.c): a returned report tells its author, a
// submitted plan the other side; the header of every page shows the unread count (filled in
// per user even on a shared, cached page); reading one, reading all; the /inbox page and its
// buttons; and `duikou remind`, whose dry run tells what a pass would make.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, LJ, BIN } from './harness.mjs';
import { thisYear, today } from './clock.mjs';

let server;
const fx = {};
const YEAR = thisYear();
const PERIOD = today().slice(0, 7);
const count = (page) => /<span class="unread">(\d*)<\/span>/.exec(page.body)?.[1];

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  fx.js = await as(server, 'js_coord');
  fx.pj = await as(server, 'pj_member');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const item = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, {
    owner_unit_id: server.units.panjin, title: '消息測試事項', due: `${YEAR}-12-31`,
  });
  assert.equal(item.status, 201, item.body);
  fx.item = item.json.id;
});
after(() => server?.stop());

test('a submitted plan tells the other side; the header counts it', async () => {
  assert.equal(count(await fx.js.get('/my')), '');
  const wp = await fx.ln.get(`/api/v1/work-plans/${fx.wp}`);
  const sub = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/submit`, {}, { headers: { 'if-match': wp.headers.get('etag') } });
  assert.equal(sub.status, 200, sub.body);
  const n = await fx.js.get('/api/v1/notifications');
  assert.equal(n.status, 200);
  assert.equal(n.json.unread, 1);
  assert.equal(n.json.notifications[0].kind, 'plan_submitted');
  assert.equal(n.json.notifications[0].link, `/work-plans/${fx.wp}`);
  assert.equal(count(await fx.js.get('/my')), '1');
  // the submitting side is not told
  assert.equal((await fx.ln.get('/api/v1/notifications')).json.unread, 0);
  // the same shared page for the other side's coordinator without a notification
  assert.equal(count(await fx.ln.get(`/pairings/${LJ}/dashboard`)), '');
  assert.equal(count(await fx.js.get(`/pairings/${LJ}/dashboard`)), '1');
});

test('a returned report tells its author, with the comment; open and read', async () => {
  const r = await fx.pj.post(`/api/v1/work-items/${fx.item}/reports`, {
    period: PERIOD, status: 'on_track', percent: 20, narrative: '消息測試報告。',
  });
  assert.equal(r.status, 201, r.body);
  const ret = await fx.ln.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'returned', comment: '請補充簽約金額。' });
  assert.equal(ret.status, 201, ret.body);
  const n = (await fx.pj.get('/api/v1/notifications')).json;
  const mine = n.notifications.find((x) => x.kind === 'report_returned');
  assert.ok(mine, JSON.stringify(n));
  assert.equal(mine.comment, '請補充簽約金額。');
  assert.equal(mine.link, `/items/${fx.item}/report`);
  assert.equal(mine.read_at, null);
  const page = await fx.pj.get('/inbox');
  assert.equal(page.status, 200);
  assert.match(page.body, /退回：「消息測試事項」的进展报告被退回：請補充簽約金額。/);
  assert.equal(count(page), String(n.unread));
  // another's id marks nothing; the open button goes to the item's report form
  assert.equal((await fx.js.post('/api/v1/notifications/read', { ids: [mine.id] })).status, 200);
  assert.equal((await fx.pj.get('/api/v1/notifications')).json.unread, n.unread);
  const token = /name="csrf_token" value="([^"]+)"/.exec(page.body)[1];
  const open = await fx.pj.request('POST', `/inbox/${mine.id}/open`, { form: { csrf_token: token }, csrf: false });
  assert.equal(open.status, 303);
  assert.equal(open.headers.get('location'), `/items/${fx.item}/report`);
  const after1 = (await fx.pj.get('/api/v1/notifications')).json;
  assert.ok(after1.notifications.find((x) => x.id === mine.id).read_at);
  assert.equal(after1.unread, n.unread - 1);
  // all read
  const all = await fx.js.post('/api/v1/notifications/read', {});
  assert.deepEqual(all.json, { unread: 0 });
  assert.equal(count(await fx.js.get('/my')), '');
  // bad bodies
  for (const body of [{ ids: 'x' }, { ids: [0] }, { other: 1 }]) {
    const bad = await fx.js.post('/api/v1/notifications/read', body);
    assert.ok([400, 422].includes(bad.status), `${JSON.stringify(body)}: ${bad.status}`);
  }
});

test('duikou remind: the dry run tells, the pass makes each once', async () => {
  // the 28th of the month after this one: this month's report (due on the 5th) is 23 days late
  const [y, m] = PERIOD.split('-').map(Number);
  const late = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-28`;
  const item = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, {
    owner_unit_id: server.units.liaoyang, title: '催辦測試事項', due: `${YEAR}-12-31`,
  });
  assert.equal(item.status, 201, item.body);
  const run = (args) => execFileSync(BIN, ['--db', server.db, 'remind', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const dry = run(['--dry-run', '--at', late]);
  assert.match(dry, /ly_member\treport_missing\t\d{4}-\d{2}\tstep 0\t催辦測試事項/);
  assert.match(dry, /ln_coord\treport_missing\t\d{4}-\d{2}\tstep 1/);
  assert.equal(run(['--dry-run', '--at', late]), dry, 'a dry run stores nothing');
  assert.equal(run(['--at', late]), dry);
  assert.equal(run(['--at', late]), '', 'twice the same day: nothing twice');
  const ly = await as(server, 'ly_member');
  const n = (await ly.get('/api/v1/notifications')).json;
  assert.ok(n.notifications.some((x) => x.kind === 'report_missing' && x.step === 0));
  assert.match((await ly.get("/inbox")).body, /<strong>催办：<\/strong>「催辦測試事項」/);
});

test('催办 by hand: only with a missing report; the unit is told, the calendar counts it', async () => {
  // nothing missing today (every item was added today): 409
  const none = await fx.ln.post('/api/v1/reporting/urge', { pairing_id: LJ, year: YEAR, unit_id: server.units.liaoyang });
  assert.equal(none.status, 409, none.body);
  assert.equal(none.json.error.code, 'err_nothing_missing');
  // the other side's coordinator may not urge this side's unit
  assert.equal((await fx.js.post('/api/v1/reporting/urge', { pairing_id: LJ, year: YEAR, unit_id: server.units.liaoyang })).status, 403);
  for (const body of [{ pairing_id: LJ, year: 1999, unit_id: server.units.liaoyang }, { pairing_id: LJ, year: YEAR }]) {
    const bad = await fx.ln.post('/api/v1/reporting/urge', body);
    assert.ok([400, 422].includes(bad.status), `${JSON.stringify(body)}: ${bad.status}`);
  }
});

test('reports waiting for review: their side\'s coordinators are told how many, once a day', async () => {
  const r = await fx.pj.post(`/api/v1/work-items/${fx.item}/reports`, {
    period: PERIOD, status: 'on_track', percent: 20, narrative: '待審測試。',
  });
  assert.equal(r.status, 201, r.body);
  // the pass as of ten days on (China's date): the report has waited more than 3 days
  const at = new Date(Date.now() + 8 * 3600000 + 10 * 86400000).toISOString().slice(0, 10);
  const run = (args) => execFileSync(BIN, ['--db', server.db, 'remind', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const out = run(['--at', at]);
  assert.match(out, new RegExp(`^ln_coord\\treview_waiting\\t${at}\\tstep [1-9]\\d*\\t$`, 'm'));
  assert.doesNotMatch(out, /js_coord\treview_waiting/, 'not the other side');
  assert.doesNotMatch(run(['--at', at]), /review_waiting/, 'once a day');
  const n = (await fx.ln.get('/api/v1/notifications')).json.notifications.find((x) => x.kind === 'review_waiting');
  assert.ok(n);
  assert.equal(n.link, '/reviews');
  assert.match((await fx.ln.get('/inbox')).body, /<strong>待审：<\/strong>\d+ 份进展报告提交已超过 3 天，尚未审核/);
});
