// The cooperation core over real HTTP: assignments, work plans with their dual sign-off,
// progress reports and their review, lights — the whole loop, the If-Match rules, the
// denials, and bad input on every write route leaving the database as it was.
//
// Work plans are one per pairing and year, so each test works in a year of its own (the
// loop in the current year, the others in 2030 and later) and on tasks of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, Client, LJ, SD } from './harness.mjs';
import { localDay as cst, DAY, today, thisYear } from './clock.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => {
  await server?.stop();
  // Under ASan/UBSan (make test) a finding in the server goes to its stderr.
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

// "Today" as the lights see it: the date in China Standard Time.
const YEAR = thisYear();

function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, query], { encoding: 'utf8' }).trim();
}

// Row counts of every table the core writes, to prove a refused request changed nothing.
const TABLES = ['assignment', 'work_plan', 'approval', 'work_item', 'work_item_support', 'report',
  'report_figure', 'review', 'audit'];
function counts() {
  return Object.fromEntries(TABLES.map((t) => [t, Number(sql(`select count(*) from ${t}`))]));
}

async function openPlan(c, year, expect = [200, 201]) {
  const r = await c.post('/api/v1/work-plans', { pairing_id: LJ, year });
  assert.ok(expect.includes(r.status), `open ${year}: ${r.status} ${r.body}`);
  return r;
}

function item(fields) {
  return {
    title: '盤錦—無錫物聯網產業對接', task_id: 7, owner_unit_id: server.units.panjin, support: [],
    due: today(60), indicator: '簽約項目數', target_value: '3 個', ...fields,
  };
}

async function addItem(c, planId, fields = {}) {
  const r = await c.post(`/api/v1/work-plans/${planId}/items`, item(fields));
  assert.equal(r.status, 201, r.body);
  return r;
}

function report(fields = {}) {
  return {
    period: `${YEAR}-Q4`, status: 'on_track', percent: 40, narrative: '已組織兩次對接洽談。',
    figures: [{ name: '簽約金額', value: 120000000, unit: '元' }, { name: '參與企業數', value: 12 }],
    ...fields,
  };
}

// Opens a plan for year with one item of panjin's, submitted and agreed by both sides.
async function agreedPlan(year, fields = {}) {
  const ln = await as(server, 'ln_coord');
  const js = await as(server, 'js_coord');
  const plan = (await openPlan(ln, year)).json;
  const it = (await addItem(ln, plan.id, { due: `${year}-06-30`, ...fields })).json;
  let p = await ln.get(`/api/v1/work-plans/${plan.id}`);
  let r = await ln.post(`/api/v1/work-plans/${plan.id}/submit`, {},
    { headers: { 'if-match': p.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await ln.post(`/api/v1/work-plans/${plan.id}/approve`, {},
    { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await js.post(`/api/v1/work-plans/${plan.id}/approve`, {},
    { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'agreed');
  return { ln, js, plan: r.json, item: it };
}

const lightCounts = async (c) => (await c.get(`/api/v1/lights?pairing=${LJ}&year=${YEAR}`)).json;

test('the whole loop: assign, plan, both approvals, report, return, report, accept, light', async () => {
  const ln = await as(server, 'ln_coord');
  const js = await as(server, 'js_coord');
  const pj = await as(server, 'pj_member');
  const { panjin, wuxi, liaoyang } = server.units;

  // 分解任務: each side assigns its own units to task 7 (盤錦–無錫).
  let r = await ln.put('/api/v1/tasks/7/assignments', { side: 0, lead: panjin, support: [liaoyang] }, { headers: { 'if-match': (await ln.get('/api/v1/tasks/7')).json.assignments_etag } });
  assert.equal(r.status, 200, r.body);
  r = await js.put('/api/v1/tasks/7/assignments', { side: 1, lead: wuxi, support: [] }, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json.assignments.map((a) => [a.side, a.role, a.unit.id]),
    [[0, 'lead', panjin], [0, 'support', liaoyang], [1, 'lead', wuxi]]);
  // A side cannot assign the other side's units, nor assign for the other side.
  r = await ln.put('/api/v1/tasks/7/assignments', { side: 0, lead: wuxi, support: [] });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'err_other_side');
  assert.equal(r.json.error.field, 'lead');
  r = await ln.put('/api/v1/tasks/7/assignments', { side: 1, lead: panjin, support: [] });
  assert.equal(r.status, 403);

  // 年度工作計劃: get-or-create, then items owned by 盤錦.
  r = await openPlan(ln, YEAR, [201]);
  const plan = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/work-plans/${plan.id}`);
  assert.equal(plan.status, 'draft');
  assert.equal((await openPlan(js, YEAR, [200])).json.id, plan.id, 'the other side finds the same plan');
  const a = (await addItem(ln, plan.id, { support: [liaoyang, wuxi] })).json;
  assert.equal(a.owner.id, panjin);
  assert.deepEqual(a.support.map((u) => u.id).sort(), [liaoyang, wuxi].sort());
  assert.equal(a.light, 'green');
  const late = (await addItem(ln, plan.id, { title: '物聯網企業名錄互換', due: today(-1) })).json;
  assert.equal(late.light, 'red');
  const soon = (await addItem(ln, plan.id, { title: '無錫物博會組團參展', due: today(3) })).json;
  assert.equal(soon.light, 'yellow');

  // Submit with the plan's ETag, then each side's lead office approves.
  r = await ln.get(`/api/v1/work-plans/${plan.id}`);
  assert.equal(r.json.items.length, 3);
  const etag = r.headers.get('etag');
  assert.match(etag, new RegExp(`^"wp-${plan.id}-\\d+-[0-9a-f]+"$`));
  assert.equal((await ln.get(`/api/v1/work-plans/${plan.id}`, { headers: { 'if-none-match': etag } })).status, 304);
  r = await ln.post(`/api/v1/work-plans/${plan.id}/submit`, {}, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'submitted');
  // The old ETag is stale now: approving against it is refused.
  r = await ln.post(`/api/v1/work-plans/${plan.id}/approve`, {}, { headers: { 'if-match': etag } });
  assert.equal(r.status, 412);
  r = await ln.get(`/api/v1/work-plans/${plan.id}`);
  r = await ln.post(`/api/v1/work-plans/${plan.id}/approve`, {}, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'submitted');
  assert.deepEqual(r.json.approved, [true, false]);
  r = await js.post(`/api/v1/work-plans/${plan.id}/approve`, { side: 1 }, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'agreed');
  assert.deepEqual(r.json.approved, [true, true]);
  assert.deepEqual(r.json.approvals.map((x) => [x.side, x.user.login]), [[0, 'ln_coord'], [1, 'js_coord']]);

  // The clerk of 盤錦 sees its items, soonest due first.
  r = await pj.get('/api/v1/my/work-items');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((i) => i.id), [late.id, soon.id, a.id]);
  assert.deepEqual(r.json.items.map((i) => i.light), ['red', 'yellow', 'green']);

  const before = await lightCounts(ln);
  assert.deepEqual(before.pairing.counts, { green: 1, yellow: 1, red: 1, done: 0 });

  // 進展填報: at risk. A pending report moves no light.
  r = await pj.post(`/api/v1/work-items/${a.id}/reports`, report({ status: 'at_risk', percent: 20 }));
  assert.equal(r.status, 201, r.body);
  const first = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/reports/${first.id}`);
  assert.equal(first.review, null);
  assert.deepEqual(first.figures.map((f) => [f.name, f.value, f.unit]).sort(),
    [['參與企業數', 12, null], ['簽約金額', 120000000, '元']].sort());
  assert.equal((await pj.get(`/api/v1/work-items/${a.id}`)).json.light, 'green');

  // The review queue shows it; ln_coord returns it with a comment.
  r = await ln.get('/api/v1/reviews/pending');
  assert.equal(r.status, 200);
  const entry = r.json.pending.find((e) => e.report.id === first.id);
  assert.ok(entry);
  assert.equal(entry.previous, null);
  r = await ln.post(`/api/v1/reports/${first.id}/review`, { decision: 'returned', comment: '請補充簽約項目清單。' });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.review.decision, 'returned');
  assert.equal(r.json.review.comment, '請補充簽約項目清單。');
  assert.equal(r.json.review.reviewer.login, 'ln_coord');
  assert.equal((await pj.get(`/api/v1/work-items/${a.id}`)).json.latest_report.review, 'returned');
  assert.equal((await lightCounts(ln)).pairing.counts.green, 1, 'a returned report moves no light');

  // Answered by a new report (same period: it supersedes the first); ln_coord accepts it.
  r = await pj.post(`/api/v1/work-items/${a.id}/reports`, report({
    status: 'at_risk', percent: 25, narrative: '已簽約項目：物聯網感知設備產業園（1.2 億元）。',
  }));
  assert.equal(r.status, 201, r.body);
  const second = r.json;
  assert.equal(second.supersedes_id, first.id);
  r = await ln.get('/api/v1/reviews/pending');
  const e2 = r.json.pending.find((e) => e.report.id === second.id);
  assert.equal(e2.previous.id, first.id, 'the previous report is shown beside the new one');
  assert.equal(e2.previous.review.decision, 'returned');
  r = await ln.post(`/api/v1/reports/${second.id}/review`, { decision: 'accepted' });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.review.decision, 'accepted');
  assert.equal(r.headers.get('location'), `/api/v1/reports/${second.id}`);

  // The light of the item turns yellow (accepted at_risk), and every count with it.
  r = await pj.get(`/api/v1/work-items/${a.id}`);
  assert.equal(r.json.light, 'yellow');
  assert.equal(r.json.accepted_status, 'at_risk');
  assert.deepEqual(r.json.reports.map((x) => [x.id, x.review?.decision]),
    [[second.id, 'accepted'], [first.id, 'returned']]);
  assert.equal(r.json.next_after, null);
  const now = await lightCounts(ln);
  assert.deepEqual(now.pairing.counts, { green: 0, yellow: 2, red: 1, done: 0 });
  const unit = now.units.find((u) => u.id === panjin);
  assert.deepEqual(unit.counts, { green: 0, yellow: 2, red: 1, done: 0 });
  const city = now.cities.find((x) => x.id === 3); // 盤錦市–無錫市, named under task 7
  assert.ok(city, JSON.stringify(now.cities));
  assert.equal(city.counts.yellow, 2);
  assert.equal(now.areas.length, 1);
  assert.equal(now.areas[0].total, 3);

  // The task shows both sides' units and the items with their lights and latest report.
  r = await pj.get('/api/v1/tasks/7');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.number, 7);
  assert.equal(r.json.plan.id, 1);
  assert.ok(r.json.area.title);
  assert.deepEqual(r.json.pairings.map((g) => g.id), [3]);
  assert.deepEqual(r.json.assignments.map((x) => x.unit.id), [panjin, liaoyang, wuxi]);
  const shown = r.json.items.find((i) => i.id === a.id);
  assert.equal(shown.light, 'yellow');
  assert.equal(shown.year, YEAR);
  assert.equal(shown.latest_report.id, second.id);
  assert.equal(shown.latest_report.review, 'accepted');

  // Every step is in the audit log, by whom it was done.
  const log = server.cli(['audit', 'list', '--limit', '50']);
  for (const [who, action] of [['ln_coord', 'assignment.set'], ['js_coord', 'assignment.set'],
    ['ln_coord', 'work_plan.create'], ['ln_coord', 'work_item.add'], ['ln_coord', 'work_plan.submit'],
    ['ln_coord', 'work_plan.approve'], ['js_coord', 'work_plan.approve'], ['pj_member', 'report.submit'],
    ['ln_coord', 'report.review']])
    assert.match(log, new RegExp(`user:${who}\\s+${action.replace('.', '\\.')}\\b`), `${who} ${action}`);
  assert.match(server.cli(['audit', 'verify']), /ok|intact|verified/i);
});

test('If-Match: a stale one is 412 and changes nothing; a missing one is 428', async () => {
  const ln = await as(server, 'ln_coord');
  const plan = (await openPlan(ln, 2030)).json;
  const it = (await addItem(ln, plan.id, { due: '2030-05-01', task_id: 8 })).json;
  let r = await ln.get(`/api/v1/work-items/${it.id}`);
  const etag = r.headers.get('etag');
  assert.match(etag, new RegExp(`^"wi-${it.id}-1-[0-9a-f]+"$`));

  // Two coordinators edit the same revision: the first wins, the second gets 412.
  const other = await as(server, 'ln_coord');
  r = await ln.patch(`/api/v1/work-items/${it.id}`, item({ due: '2030-05-01', task_id: 8, title: '第一次修改' }),
    { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.revision, 2);
  const fresh = r.headers.get('etag');
  const before = counts();
  r = await other.patch(`/api/v1/work-items/${it.id}`, item({ due: '2030-05-01', task_id: 8, title: '第二次修改' }),
    { headers: { 'if-match': etag } });
  assert.equal(r.status, 412);
  assert.equal(r.json.error.code, 'err_stale');
  assert.deepEqual(counts(), before);
  r = await ln.get(`/api/v1/work-items/${it.id}`);
  assert.equal(r.json.title, '第一次修改');
  assert.equal(r.json.revision, 2);

  // No If-Match at all, or "*": 428, with a message saying what to send.
  for (const headers of [{}, { 'if-match': '*' }]) {
    r = await other.patch(`/api/v1/work-items/${it.id}`, item({ due: '2030-05-01', title: '覆蓋' }), { headers });
    assert.equal(r.status, 428);
    assert.equal(r.json.error.code, 'err_precondition_required');
    assert.match(r.json.error.message, /If-Match/);
    r = await other.del(`/api/v1/work-items/${it.id}`, { headers });
    assert.equal(r.status, 428);
  }
  r = await ln.post(`/api/v1/work-plans/${plan.id}/submit`, {});
  assert.equal(r.status, 428);
  // An ETag of another item, a weak one, a mangled one, revision 0: 412.
  for (const bad of [`"wi-${it.id + 1000}-2"`, `W/${fresh}`, '"wi-"', `"wi-${it.id}-0"`, `"wp-${it.id}-2"`]) {
    r = await ln.patch(`/api/v1/work-items/${it.id}`, item({ due: '2030-05-01', title: '覆蓋' }),
      { headers: { 'if-match': bad } });
    assert.equal(r.status, 412, bad);
  }
  for (const bad of [`"wp-${plan.id}-0"`, `"wp-${plan.id + 1}-1"`]) {
    r = await ln.post(`/api/v1/work-plans/${plan.id}/submit`, {}, { headers: { 'if-match': bad } });
    assert.equal(r.status, 412, bad);
  }
  assert.deepEqual(counts(), before);
  assert.equal((await ln.get(`/api/v1/work-items/${it.id}`)).json.title, '第一次修改');
  assert.equal(sql(`select status from work_plan where id = ${plan.id}`), 'draft');

  // The revision alone (without the digest) is accepted; a delete with it is 204.
  r = await ln.del(`/api/v1/work-items/${it.id}`, { headers: { 'if-match': `"wi-${it.id}-2"` } });
  assert.equal(r.status, 204);
  assert.equal((await ln.get(`/api/v1/work-items/${it.id}`)).status, 404);
  assert.equal((await ln.del(`/api/v1/work-items/${it.id}`, { headers: { 'if-match': fresh } })).status, 404);
});

test('an edit after agreement returns the plan to draft, approvals cleared and recorded', async () => {
  const { ln, plan, item: it } = await agreedPlan(2031, { task_id: 9 });
  let r = await ln.get(`/api/v1/work-items/${it.id}`);
  r = await ln.patch(`/api/v1/work-items/${it.id}`, item({ task_id: 9, due: '2031-09-30', title: '改期後的事項' }),
    { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await ln.get(`/api/v1/work-plans/${plan.id}`);
  assert.equal(r.json.status, 'draft');
  assert.deepEqual(r.json.approved, [false, false]);
  assert.equal(r.json.approvals.length, 2);
  for (const a of r.json.approvals) {
    assert.ok(a.cleared_at);
    assert.match(a.cleared_reason, new RegExp(`item ${it.id} edited`));
  }
  assert.match(server.cli(['audit', 'list', '--limit', '5']), /work_plan\.reopen/);
  // Adding an item to an agreed plan reopens it too; a draft cannot be approved.
  const again = await agreedPlan(2032, { task_id: 9 });
  r = await again.ln.post(`/api/v1/work-plans/${again.plan.id}/items`, item({ task_id: 9, due: '2032-03-01' }));
  assert.equal(r.status, 201);
  r = await again.ln.get(`/api/v1/work-plans/${again.plan.id}`);
  assert.equal(r.json.status, 'draft');
  r = await again.js.post(`/api/v1/work-plans/${again.plan.id}/approve`, {}, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'err_plan_not_submitted');
});

test('denials: other units, the other side, the other pairing, members reviewing', async () => {
  const { ln, plan, item: it } = await agreedPlan(2033, { task_id: 10 });
  const pj = await as(server, 'pj_member');
  const wx = await as(server, 'wx_member');
  const ly = await as(server, 'ly_member');
  const js = await as(server, 'js_coord');
  const dl = await as(server, 'dl_coord');
  const leader = await as(server, 'ln_leader');
  const before = counts();

  // A member reports only on its own unit's items; leaders never report.
  for (const c of [wx, ly, leader]) {
    const r = await c.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2033-05' }));
    assert.equal(r.status, 403, r.body);
  }
  assert.equal((await wx.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2033-05' }))).json.error.code,
    'err_not_owner');
  // A coordinator does not report for another unit of its side.
  assert.equal((await ln.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2033-05' }))).status, 403);
  assert.deepEqual(counts(), before);

  const rep = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2033-05' }));
  assert.equal(rep.status, 201);
  const after1 = counts();
  // Members cannot review, nor the coordinator of the other side; to the other pairing's
  // the report is not there (404, as a missing one).
  for (const [c, status, code] of [[pj, 403, 'err_forbidden'], [wx, 403, 'err_forbidden'],
    [js, 403, 'err_forbidden'], [dl, 404, 'err_not_found'], [leader, 403, 'err_forbidden']]) {
    const r = await c.post(`/api/v1/reports/${rep.json.id}/review`, { decision: 'accepted' });
    assert.equal(r.status, status, r.body);
    assert.equal(r.json.error.code, code);
  }
  // A member sees what of its own unit still awaits review, never another unit's.
  const mine = await pj.get('/api/v1/reviews/pending');
  assert.equal(mine.status, 200, mine.body);
  assert.ok(mine.json.pending.some((e) => e.report.id === rep.json.id), 'its own pending report');
  assert.ok(!(await wx.get('/api/v1/reviews/pending')).json.pending.some((e) => e.report.id === rep.json.id),
    'another unit does not see it');
  assert.ok(!(await js.get('/api/v1/reviews/pending')).json.pending.some((e) => e.report.id === rep.json.id),
    'the other side does not see it in its queue');
  assert.deepEqual(counts(), after1);

  // The SD coordinator reads nothing of 遼寧–江蘇: to it none of it is there (issue #10).
  for (const path of [`/api/v1/work-plans/${plan.id}`, `/api/v1/work-plans?pairing=${LJ}`, '/api/v1/tasks/10',
    `/api/v1/work-items/${it.id}`, `/api/v1/reports/${rep.json.id}`, `/api/v1/lights?pairing=${LJ}`]) {
    const r = await dl.get(path);
    assert.equal(r.status, 404, path);
    assert.equal(r.json.error.code, 'err_not_found');
  }
  assert.equal((await dl.get(`/api/v1/lights?pairing=${SD}`)).status, 200);
  // ... and writes nothing there (its task and plan are not there for it: 404).
  for (const [m, path, body, status] of [['POST', '/api/v1/work-plans', { pairing_id: LJ, year: 2033 }, 403],
    ['PUT', '/api/v1/tasks/10/assignments', { side: 1, lead: server.units.dl_office, support: [] }, 404],
    ['POST', `/api/v1/work-plans/${plan.id}/items`, item({ task_id: 10, due: '2033-07-01' }), 404]]) {
    const r = await dl.request(m, path, { json: body });
    assert.equal(r.status, status, `${m} ${path}: ${r.body}`);
  }
  // The other side's coordinator cannot change side 0's items, nor approve for side 0.
  let r = await js.get(`/api/v1/work-items/${it.id}`);
  r = await js.patch(`/api/v1/work-items/${it.id}`, item({ task_id: 10, due: '2033-07-01' }),
    { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 403);
  r = await js.post(`/api/v1/work-plans/${plan.id}/approve`, { side: 0 }, { headers: { 'if-match': `"wp-${plan.id}-${plan.revision}"` } });
  assert.equal(r.status, 403);
  // Members and leaders never write plans; anonymous callers are asked to sign in.
  assert.equal((await pj.post('/api/v1/work-plans', { pairing_id: LJ, year: 2033 })).status, 403);
  assert.equal((await leader.post('/api/v1/work-plans', { pairing_id: LJ, year: 2034 })).status, 403);
  assert.equal((await new Client(server.base).get('/api/v1/my/work-items')).status, 401);
  assert.deepEqual(counts(), after1);
  // The coordinator of the owner's side may review: it gets past permission to the rules.
  assert.equal((await ln.post(`/api/v1/reports/${rep.json.id}/review`, { decision: 'returned' })).json.error.code,
    'err_comment_required');
});

test('reads: work plan list, report, keyset pages, ETag 304, no-store', async () => {
  const { ln, plan, item: it } = await agreedPlan(2035, { task_id: 11 });
  const pj = await as(server, 'pj_member');
  let r = await pj.get(`/api/v1/work-plans?pairing=${LJ}`);
  assert.equal(r.status, 200);
  assert.ok(r.json.work_plans.some((p) => p.id === plan.id && p.year === 2035 && p.status === 'agreed'));
  assert.match(r.headers.get('cache-control') ?? '', /no-store/);
  assert.equal((await pj.get('/api/v1/work-plans')).status, 400);
  assert.equal((await pj.get('/api/v1/work-plans?pairing=abc')).status, 400);
  assert.equal((await pj.get('/api/v1/work-plans/999999')).status, 404);
  assert.equal((await pj.get('/api/v1/tasks/999999')).status, 404);
  assert.equal((await pj.get('/api/v1/reports/999999')).status, 404);

  const ids = [];
  for (let m = 1; m <= 5; m++) {
    r = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: `2035-0${m}` }));
    assert.equal(r.status, 201, r.body);
    ids.push(r.json.id);
  }
  r = await pj.get(`/api/v1/reports/${ids[0]}`);
  assert.equal(r.json.period, '2035-01');
  assert.equal(r.json.latest, true, 'the latest of its period: later months do not overtake it');
  // Newest first, two at a time.
  const seen = [];
  let after = null;
  do {
    r = await pj.get(`/api/v1/work-items/${it.id}?limit=2${after ? `&after=${after}` : ''}`);
    assert.equal(r.status, 200);
    assert.ok(r.json.reports.length <= 2);
    seen.push(...r.json.reports.map((x) => x.id));
    after = r.json.next_after;
  } while (after);
  assert.deepEqual(seen, [...ids].reverse());
  for (const q of ['limit=0', 'limit=201', 'limit=x', 'after=-1'])
    assert.equal((await pj.get(`/api/v1/work-items/${it.id}?${q}`)).status, 400, q);

  // The item's ETag changes with a report, though its revision does not: no stale 304.
  r = await ln.get(`/api/v1/work-plans/${plan.id}`);
  const etag = r.headers.get('etag');
  assert.equal((await ln.get(`/api/v1/work-plans/${plan.id}`, { headers: { 'if-none-match': etag } })).status, 304);
  await ln.post(`/api/v1/reports/${ids[4]}/review`, { decision: 'accepted' });
  r = await ln.get(`/api/v1/work-plans/${plan.id}`, { headers: { 'if-none-match': etag } });
  assert.equal(r.status, 200);
  assert.notEqual(r.headers.get('etag'), etag);
  assert.equal(r.json.revision, plan.revision);

  // The review queue pages too.
  r = await ln.get('/api/v1/reviews/pending?limit=1');
  assert.equal(r.status, 200);
  assert.ok(r.json.pending.length <= 1);
  assert.equal((await ln.get('/api/v1/reviews/pending?limit=500')).status, 400);
  // My items: pages, a year filter, and a cursor that is not mine.
  r = await pj.get('/api/v1/my/work-items?year=2035&limit=1');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((i) => i.id), [it.id]);
  assert.equal((await pj.get('/api/v1/my/work-items?after=999999')).status, 400);
  assert.equal((await pj.get('/api/v1/my/work-items?year=1999')).status, 400);
  // Lights: pairing required, year bounded; the admin has no unit of its own.
  assert.equal((await pj.get('/api/v1/lights')).status, 400);
  assert.equal((await pj.get(`/api/v1/lights?pairing=${LJ}&year=3000`)).status, 400);
  assert.equal((await pj.get('/api/v1/lights?pairing=2')).status, 422, 'a city pairing has no counts of its own');
  const admin = await as(server, 'admin');
  r = await admin.get('/api/v1/my/work-items');
  assert.deepEqual(r.json, { unit_id: null, items: [], next_after: null });
});

test('dual sign-off takes two people: one admin cannot give both approvals', async () => {
  const ln = await as(server, 'ln_coord');
  const js = await as(server, 'js_coord');
  const admin = await as(server, 'admin');
  const plan = (await openPlan(ln, 2038)).json;
  await addItem(ln, plan.id, { task_id: 13, due: '2038-06-30' });
  let r = await ln.get(`/api/v1/work-plans/${plan.id}`);
  r = await ln.post(`/api/v1/work-plans/${plan.id}/submit`, {}, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await admin.post(`/api/v1/work-plans/${plan.id}/approve`, { side: 0 }, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json.approved, [true, false]);
  const etag = r.headers.get('etag');
  const before = counts();
  r = await admin.post(`/api/v1/work-plans/${plan.id}/approve`, { side: 1 }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 409, r.body);
  assert.equal(r.json.error.code, 'err_same_approver');
  assert.match(r.json.error.message, /两人|兩人|two different people/);
  assert.deepEqual(counts(), before);
  assert.equal((await ln.get(`/api/v1/work-plans/${plan.id}`)).json.status, 'submitted');
  // The other side's coordinator gives the second approval.
  r = await js.post(`/api/v1/work-plans/${plan.id}/approve`, {}, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'agreed');
  assert.deepEqual(r.json.approvals.map((x) => [x.side, x.user.login]), [[0, 'admin'], [1, 'js_coord']]);
});

// The caller's whole review queue, every page of it.
async function pendingIds(c) {
  const ids = [];
  let after = null;
  do {
    const r = await c.get(`/api/v1/reviews/pending?limit=200${after ? `&after=${after}` : ''}`);
    assert.equal(r.status, 200, r.body);
    ids.push(...r.json.pending.map((e) => e.report.id));
    after = r.json.next_after;
  } while (after);
  return ids;
}

test("a pending report is not overtaken by the next period's report", async () => {
  const { ln, item: it } = await agreedPlan(2039, { task_id: 14 });
  const pj = await as(server, 'pj_member');
  let r = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2039-11' }));
  assert.equal(r.status, 201, r.body);
  const nov = r.json;
  r = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2039-12', percent: 50 }));
  assert.equal(r.status, 201, r.body);
  const dec = r.json;
  assert.equal(dec.supersedes_id, null);
  let queue = await pendingIds(ln);
  assert.ok(queue.includes(nov.id), 'November is still in the queue');
  assert.ok(queue.includes(dec.id));
  assert.equal((await pj.get(`/api/v1/reports/${nov.id}`)).json.latest, true);
  r = await ln.post(`/api/v1/reports/${nov.id}/review`, { decision: 'accepted' });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.review.decision, 'accepted');
  queue = await pendingIds(ln);
  assert.ok(!queue.includes(nov.id));
  assert.ok(queue.includes(dec.id));
  // A correction of December supersedes December's report, which then cannot be reviewed.
  r = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2039-12', percent: 55 }));
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.supersedes_id, dec.id);
  r = await ln.post(`/api/v1/reports/${dec.id}/review`, { decision: 'accepted' });
  assert.equal(r.status, 409, r.body);
  assert.equal(r.json.error.code, 'err_superseded');
});

// ---- bad input on every write route --------------------------------------------------------

const LONG = '進'.repeat(20001);
const DEEP = '{"a":'.repeat(40) + '1' + '}'.repeat(40);

test('bad input on every write route: a clear 4xx with the field, and nothing written', async () => {
  const ln = await as(server, 'ln_coord');
  const pj = await as(server, 'pj_member');
  const plan = (await openPlan(ln, 2036)).json;
  const it = (await addItem(ln, plan.id, { task_id: 12, due: '2036-06-01' })).json;
  const itemTag = (await ln.get(`/api/v1/work-items/${it.id}`)).headers.get('etag');
  const rep = (await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q1' }))).json;
  const planTag = () => `"wp-${plan.id}-${Number(sql(`select revision from work_plan where id = ${plan.id}`))}"`;
  const { panjin, wuxi } = server.units;

  // [client, method, path, body (object or raw string), headers, status, code, field]
  const cases = [
    // PUT /tasks/{id}/assignments
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { lead: panjin }, {}, 422, 'err_required', 'side'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: '0', lead: panjin }, {}, 422, 'err_type', 'side'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 2, lead: panjin }, {}, 422, 'err_side', 'side'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 0 }, {}, 422, 'err_required', 'lead'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 0, lead: 'panjin' }, {}, 422, 'err_type', 'lead'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 0, lead: panjin, support: [panjin] }, {}, 422, 'err_invalid', 'support'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 0, lead: panjin, support: ['x'] }, {}, 422, 'err_type', 'support[0]'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 0, lead: 999999 }, {}, 422, 'err_unit_unknown', 'lead'],
    [ln, 'PUT', '/api/v1/tasks/7/assignments', { side: 0, lead: panjin, extra: 1 }, {}, 422, 'err_unknown_field', 'extra'],
    [ln, 'PUT', '/api/v1/tasks/999999/assignments', { side: 0, lead: panjin }, {}, 404, 'err_not_found'],
    // POST /work-plans
    [ln, 'POST', '/api/v1/work-plans', { pairing_id: LJ }, {}, 422, 'err_required', 'year'],
    [ln, 'POST', '/api/v1/work-plans', { pairing_id: LJ, year: '2037' }, {}, 422, 'err_type', 'year'],
    [ln, 'POST', '/api/v1/work-plans', { pairing_id: LJ, year: 2037.5 }, {}, 422, 'err_type', 'year'],
    [ln, 'POST', '/api/v1/work-plans', { pairing_id: LJ, year: 1999 }, {}, 422, 'err_range', 'year'],
    [ln, 'POST', '/api/v1/work-plans', { pairing_id: 2, year: 2037 }, {}, 422, 'err_invalid', 'pairing_id'],
    [ln, 'POST', '/api/v1/work-plans', { pairing_id: -1, year: 2037 }, {}, 422, 'err_range', 'pairing_id'],
    [ln, 'POST', '/api/v1/work-plans', [LJ, 2037], {}, 422, 'err_type'],
    // POST /work-plans/{id}/items
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ title: undefined }), {}, 422, 'err_required', 'title'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ title: '   ' }), {}, 422, 'err_required', 'title'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ title: 12 }), {}, 422, 'err_type', 'title'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ title: '題'.repeat(201) }), {}, 422, 'err_too_long', 'title'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-02-30' }), {}, 422, 'err_date', 'due'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036/06/01' }), {}, 422, 'err_date', 'due'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2040-06-01' }), {}, 422, 'err_range', 'due'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: 20360601 }), {}, 422, 'err_type', 'due'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', owner_unit_id: undefined }), {}, 422, 'err_required', 'owner_unit_id'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', owner_unit_id: String(panjin) }), {}, 422, 'err_type', 'owner_unit_id'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', owner_unit_id: 999999 }), {}, 422, 'err_unit_unknown', 'owner_unit_id'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', owner_unit_id: server.units.dl_office }), {}, 422, 'err_unit_unknown', 'owner_unit_id'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', owner_unit_id: wuxi }), {}, 403, 'err_other_side', 'owner_unit_id'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', task_id: 30 }), {}, 422, 'err_task_unknown', 'task_id'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', support: 5 }), {}, 422, 'err_type', 'support'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', support: Array(51).fill(wuxi) }), {}, 422, 'err_range', 'support'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', indicator: '指'.repeat(501) }), {}, 422, 'err_too_long', 'indicator'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', indicater: 'x' }), {}, 422, 'err_unknown_field', 'indicater'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, item({ due: '2036-06-01', title: 'a\u0001b' }), {}, 422, 'err_invalid', 'title'],
    [ln, 'POST', '/api/v1/work-plans/999999/items', item({ due: '2036-06-01' }), {}, 404, 'err_not_found'],
    // PATCH /work-items/{id}: every field is required
    [ln, 'PATCH', `/api/v1/work-items/${it.id}`, { title: 'x', owner_unit_id: panjin, due: '2036-06-01' }, { 'if-match': itemTag }, 422, 'err_required', 'task_id'],
    [ln, 'PATCH', `/api/v1/work-items/${it.id}`, item({ due: '2036-13-01' }), { 'if-match': itemTag }, 422, 'err_date', 'due'],
    [ln, 'PATCH', `/api/v1/work-items/${it.id}`, item({ due: '2036-06-01', support: [0] }), { 'if-match': itemTag }, 422, 'err_range', 'support[0]'],
    // POST /work-plans/{id}/submit and approve
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/submit`, { now: true }, { 'if-match': planTag() }, 422, 'err_unknown_field', 'now'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/approve`, { side: 'mine' }, { 'if-match': planTag() }, 422, 'err_type', 'side'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/approve`, { side: 3 }, { 'if-match': planTag() }, 422, 'err_side', 'side'],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/approve`, {}, { 'if-match': planTag() }, 409, 'err_plan_not_submitted'],
    // POST /work-items/{id}/reports
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: undefined }), {}, 422, 'err_required', 'period'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-13' }), {}, 422, 'err_period', 'period'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q5' }), {}, 422, 'err_period', 'period'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2020-Q1' }), {}, 422, 'err_period', 'period'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: 202601 }), {}, 422, 'err_type', 'period'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', status: 'fine' }), {}, 422, 'err_status', 'status'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', status: undefined }), {}, 422, 'err_required', 'status'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', percent: 101 }), {}, 422, 'err_range', 'percent'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', percent: -1 }), {}, 422, 'err_range', 'percent'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', percent: '50' }), {}, 422, 'err_type', 'percent'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', percent: 50.5 }), {}, 422, 'err_type', 'percent'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', percent: 1e30 }), {}, 422, 'err_type', 'percent'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', narrative: LONG }), {}, 422, 'err_too_long', 'narrative'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', narrative: ' \n ' }), {}, 422, 'err_required', 'narrative'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', narrative: null }), {}, 422, 'err_required', 'narrative'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: {} }), {}, 422, 'err_type', 'figures'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: [1] }), {}, 422, 'err_type', 'figures[0]'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: [{ name: '金額', value: '100' }] }), {}, 422, 'err_type', 'figures[0].value'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: [{ value: 1 }] }), {}, 422, 'err_required', 'figures[0].name'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: [{ name: 'a', value: 1 }, { name: 'a', value: 2 }] }), {}, 422, 'err_invalid', 'figures[1].name'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: [{ name: 'a', value: 1, note: 'x' }] }), {}, 422, 'err_unknown_field', 'figures[0].note'],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, report({ period: '2036-Q2', figures: Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, value: i })) }), {}, 422, 'err_range', 'figures'],
    [pj, 'POST', '/api/v1/work-items/999999/reports', report({ period: '2036-Q2' }), {}, 404, 'err_not_found'],
    // POST /reports/{id}/review
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, {}, {}, 422, 'err_required', 'decision'],
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, { decision: 'approved' }, {}, 422, 'err_invalid', 'decision'],
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, { decision: true }, {}, 422, 'err_type', 'decision'],
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, { decision: 'returned' }, {}, 422, 'err_comment_required', 'comment'],
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, { decision: 'returned', comment: 5 }, {}, 422, 'err_type', 'comment'],
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, { decision: 'returned', comment: '評'.repeat(2001) }, {}, 422, 'err_too_long', 'comment'],
    [ln, 'POST', '/api/v1/reports/999999/review', { decision: 'accepted' }, {}, 404, 'err_not_found'],
  ];
  // Malformed bodies, on every JSON write route.
  const routes = [
    [ln, 'PUT', '/api/v1/tasks/7/assignments', {}],
    [ln, 'POST', '/api/v1/work-plans', {}],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/items`, {}],
    [ln, 'PATCH', `/api/v1/work-items/${it.id}`, { 'if-match': itemTag }],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/submit`, { 'if-match': planTag() }],
    [ln, 'POST', `/api/v1/work-plans/${plan.id}/approve`, { 'if-match': planTag() }],
    [pj, 'POST', `/api/v1/work-items/${it.id}/reports`, {}],
    [ln, 'POST', `/api/v1/reports/${rep.id}/review`, {}],
  ];
  for (const [c, m, path, headers] of routes) {
    cases.push([c, m, path, '{"title": "unfinished', headers, 400, 'err_bad_json']);
    cases.push([c, m, path, DEEP, headers, 400, 'err_bad_json']);
    cases.push([c, m, path, '{"a":1,"a":2}', headers, 400, 'err_bad_json']);
    cases.push([c, m, path, '"just a string"', headers, 400, 'err_bad_json']);
    cases.push([c, m, path, '', headers, 400, 'err_bad_json']);
    cases.push([c, m, path, '[]', headers, 422, 'err_type']);
    cases.push([c, m, path, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers, 400]);
  }

  const before = counts();
  const itemBefore = (await ln.get(`/api/v1/work-items/${it.id}`)).json;
  for (const [c, m, path, body, headers, status, code, field] of cases) {
    const label = `${m} ${path} ${typeof body === 'string' ? body.slice(0, 40) : Buffer.isBuffer(body) ? 'bad UTF-8' : JSON.stringify(body).slice(0, 120)}`;
    const opts = { headers: { ...headers, 'content-type': 'application/json' } };
    opts.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const r = await c.request(m, path, opts);
    assert.equal(r.status, status, `${label}: ${r.body}`);
    assert.ok(r.json?.error?.message, `${label}: a message`);
    assert.doesNotMatch(r.json.error.message, /^err_/, `${label}: a translated message`);
    if (code) assert.equal(r.json.error.code, code, `${label}: ${r.body}`);
    if (field) assert.equal(r.json.error.field, field, `${label}: ${r.body}`);
  }
  // Not JSON at all: 415.
  for (const [c, m, path, headers] of routes) {
    const r = await c.request(m, path, { form: { title: 'x' }, headers });
    assert.equal(r.status, 415, `${m} ${path}`);
  }
  // Over 1 MiB: 413.
  const big = await pj.request('POST', `/api/v1/work-items/${it.id}/reports`,
    { json: JSON.stringify(report({ period: '2036-Q3', narrative: 'x'.repeat(1024 * 1024) })) });
  assert.equal(big.status, 413);

  assert.deepEqual(counts(), before);
  const itemAfter = (await ln.get(`/api/v1/work-items/${it.id}`)).json;
  assert.deepEqual(itemAfter, itemBefore);
  assert.equal(sql(`select status || ' ' || revision from work_plan where id = ${plan.id}`),
    `draft ${plan.revision + 1}`);

  // The same messages in English when asked.
  const en = await pj.post(`/api/v1/work-items/${it.id}/reports?lang=en`, report({ period: '2036-Q2', percent: 101 }));
  assert.equal(en.json.error.message, 'The value is out of range.');
});

test('a narrative of exactly 20,000 characters and a report on a removed item', async () => {
  const ln = await as(server, 'ln_coord');
  const pj = await as(server, 'pj_member');
  const plan = (await openPlan(ln, 2037)).json;
  const it = (await addItem(ln, plan.id, { task_id: 13, due: '2037-04-01' })).json;
  let r = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2037-03', narrative: '進'.repeat(20000) }));
  assert.equal(r.status, 201, r.body.slice(0, 200));
  assert.equal([...r.json.narrative].length, 20000);
  r = await ln.get(`/api/v1/work-items/${it.id}`);
  assert.equal((await ln.del(`/api/v1/work-items/${it.id}`, { headers: { 'if-match': r.headers.get('etag') } })).status, 204);
  const before = counts();
  r = await pj.post(`/api/v1/work-items/${it.id}/reports`, report({ period: '2037-04' }));
  assert.equal(r.status, 409);
  assert.deepEqual(counts(), before);
  // Clearing a side's assignment takes lead null and no support.
  r = await ln.put('/api/v1/tasks/13/assignments', { side: 0, lead: server.units.panjin }, { headers: { 'if-match': (await ln.get('/api/v1/tasks/13')).json.assignments_etag } });
  assert.equal(r.status, 200);
  r = await ln.put('/api/v1/tasks/13/assignments', { side: 0, lead: null, support: [] }, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.assignments, []);
});
