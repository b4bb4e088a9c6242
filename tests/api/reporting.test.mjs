// The reporting calendar over HTTP (service/reporting.c): GET /api/v1/reporting, the cycle's
// PATCH, the /reporting page, and what /my and /api/v1/my/work-items say must be reported
// now. Dates come from the plans' time zone (clock.mjs), so this holds at any hour: an item
// added today reports the period that contains today, due on the 5th of the next month.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, Client, LJ } from './harness.mjs';
import { today, thisYear, zhDate } from './clock.mjs';

let server;
const fx = {};
const YEAR = thisYear();
const MONTH = Number(today().slice(5, 7));
const PERIOD = `${YEAR}-${String(MONTH).padStart(2, '0')}`;
const QUARTER = `${YEAR}-Q${Math.floor((MONTH - 1) / 3) + 1}`;
const dueOf = (endMonth, day) => { // the due day in the month after endMonth of YEAR
  const y = endMonth === 12 ? YEAR + 1 : YEAR, m = endMonth === 12 ? 1 : endMonth + 1;
  return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  fx.pj = await as(server, 'pj_member');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const item = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, {
    owner_unit_id: server.units.panjin, title: '報送日曆測試事項', due: `${YEAR}-12-31`,
  });
  assert.equal(item.status, 201, item.body);
  fx.item = item.json.id;
});
after(() => server?.stop());

const mine = (grid) => grid.units.flatMap((u) => u.items).find((i) => i.id === fx.item);
const stateNow = (grid) => mine(grid).states[grid.periods.findIndex((p) => p.period === PERIOD)];

test('an item added today must report this month, due on the 5th of the next', async () => {
  const r = await fx.ln.get(`/api/v1/reporting?pairing=${LJ}`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.work_plan_id, fx.wp);
  assert.equal(r.json.cycle, 'monthly');
  assert.equal(r.json.due_day, 5);
  assert.equal(r.json.today, today());
  const p = r.json.periods.find((x) => x.period === PERIOD);
  assert.ok(p, 'this month is a column');
  assert.equal(p.due, dueOf(MONTH, 5));
  assert.equal(stateNow(r.json), 'due');
  const unit = r.json.units.find((u) => u.unit_id === server.units.panjin);
  assert.equal(unit.cells.find((c) => c.period === PERIOD).due >= 1, true);

  const my = await fx.pj.get('/api/v1/my/work-items');
  const row = my.json.items.find((i) => i.id === fx.item);
  assert.deepEqual(row.reporting, { period: PERIOD, due: dueOf(MONTH, 5), state: 'due', missing: 0 });
  const page = await fx.pj.get('/my');
  assert.match(page.body, /本期报送/);
  assert.ok(page.body.includes(`截止 ${zhDate(dueOf(MONTH, 5))}`), 'the due day on /my');
});

test('submitted, returned, accepted: the calendar follows the review', async () => {
  const sub = await fx.pj.post(`/api/v1/work-items/${fx.item}/reports`, {
    period: PERIOD, status: 'on_track', percent: 20, narrative: '本月已召開對接會。',
  });
  assert.equal(sub.status, 201, sub.body);
  assert.equal(stateNow((await fx.ln.get(`/api/v1/reporting?pairing=${LJ}`)).json), 'submitted');
  const ret = await fx.ln.post(`/api/v1/reports/${sub.json.id}/review`, { decision: 'returned', comment: '請補充數字。' });
  assert.equal(ret.status, 201, ret.body);
  assert.equal(stateNow((await fx.ln.get(`/api/v1/reporting?pairing=${LJ}`)).json), 'returned');
  const my = await fx.pj.get('/api/v1/my/work-items');
  assert.equal(my.json.items.find((i) => i.id === fx.item).reporting.state, 'returned');
  const again = await fx.pj.post(`/api/v1/work-items/${fx.item}/reports`, {
    period: PERIOD, status: 'on_track', percent: 25, narrative: '已補充：簽約三個項目。',
  });
  assert.equal(again.status, 201, again.body);
  const ok = await fx.ln.post(`/api/v1/reports/${again.json.id}/review`, { decision: 'accepted' });
  assert.equal(ok.status, 201, ok.body);
  const grid = (await fx.ln.get(`/api/v1/reporting?pairing=${LJ}`)).json;
  assert.equal(stateNow(grid), 'accepted');
  // the page: the unit's row and the state's label; a member sees its own unit's items
  const page = await fx.ln.get('/reporting');
  assert.equal(page.status, 200);
  assert.match(page.body, /报送日历/);
  assert.match(page.body, /盘锦市人民政府|盤錦市人民政府/);
  assert.match(page.body, /已通过 \d/);
  const own = await fx.pj.get('/reporting');
  assert.equal(own.status, 200);
  assert.match(own.body, /報送日曆測試事項/);
  assert.match(own.body, /class="rs rs-accepted">已通过</);
});

test('the cycle: quarterly, then back; bad values refused with the field', async () => {
  const q = await fx.ln.patch(`/api/v1/work-plans/${fx.wp}/reporting`, { cycle: 'quarterly', due_day: 10 });
  assert.equal(q.status, 200, q.body);
  assert.deepEqual(q.json, { work_plan_id: fx.wp, cycle: 'quarterly', due_day: 10 });
  const grid = (await fx.ln.get(`/api/v1/reporting?pairing=${LJ}`)).json;
  assert.equal(grid.cycle, 'quarterly');
  const p = grid.periods.find((x) => x.period === QUARTER);
  assert.ok(p, 'this quarter is a column');
  assert.equal(p.due, dueOf(Math.ceil(MONTH / 3) * 3, 10));
  // this month's accepted report covers the quarter
  assert.equal(mine(grid).states[grid.periods.indexOf(p)], 'accepted');
  const audit = await (await as(server, 'admin')).get(`/api/v1/audit?entity=work_plan&entity_id=${fx.wp}&limit=5`);
  assert.ok(audit.json.entries.some((e) => e.action === 'work_plan.reporting'), 'audited');

  for (const [body, field] of [[{ cycle: 'weekly' }, 'cycle'], [{ due_day: 29 }, 'due_day'], [{ due_day: 0 }, 'due_day'], [{ other: 1 }, 'other']]) {
    const bad = await fx.ln.patch(`/api/v1/work-plans/${fx.wp}/reporting`, body);
    assert.ok([400, 422].includes(bad.status), `${JSON.stringify(body)}: ${bad.status}`);
    assert.equal(bad.json.error.field, field);
  }
  assert.equal((await fx.pj.patch(`/api/v1/work-plans/${fx.wp}/reporting`, { due_day: 3 })).status, 403);
  const back = await fx.ln.patch(`/api/v1/work-plans/${fx.wp}/reporting`, { cycle: 'monthly', due_day: 5 });
  assert.equal(back.json.cycle, 'monthly');
  // the form on the work plan page
  const page = await fx.ln.get(`/work-plans/${fx.wp}`);
  assert.match(page.body, /action="\/work-plans\/\d+\/reporting"/);
  assert.match(page.body, /每月报送，次月 5 日前截止/);
});

test('who reads: the pairing\'s people; a member its own unit; bad queries are 400', async () => {
  const member = (await fx.pj.get(`/api/v1/reporting?pairing=${LJ}&unit=${server.units.wuxi}`)).json;
  assert.deepEqual(member.units.map((u) => u.unit_id), [server.units.panjin]);
  assert.equal((await (await as(server, 'dl_coord')).get(`/api/v1/reporting?pairing=${LJ}`)).status, 404); // not there for it
  assert.equal((await new Client(server.base).get(`/api/v1/reporting?pairing=${LJ}`)).status, 401);
  for (const q of ['', '?pairing=x', `?pairing=${LJ}&year=1999`, `?pairing=${LJ}&side=2`]) {
    const r = await fx.ln.get(`/api/v1/reporting${q}`);
    assert.equal(r.status, 400, `${q}: ${r.body}`);
  }
  const none = await fx.ln.get(`/api/v1/reporting?pairing=${LJ}&year=2099`);
  assert.equal(none.status, 200);
  assert.equal(none.json.work_plan_id, null);
  assert.deepEqual(none.json.units, []);
  assert.equal((await fx.ln.get('/reporting?year=abc')).status, 400);
});
