// 考核评估 (service/evaluation.c) over HTTP: a draft per pairing and year, its indicators
// configurable (weights sum to 100, nothing stored otherwise, If-Match) until it opens; then
// each side's self-evaluation, the other side's opinion or return, both leaderships'
// confirmation, and the closed evaluation's figures frozen whatever happens after; every
// score explained by inputs that are real records; commendations from the first ten only; a
// side's unsubmitted self-evaluation hidden from the other side.
// Last year's work plan is made here (all twelve months begun whatever today is): 盤錦 and ten
// side-0 test units finish their items and tie at the top, 遼陽 does nothing (12th), 無錫
// reports with one return and has a signed project.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, LJ, PASSWORD } from './harness.mjs';
import { thisYear } from './clock.mjs';

const YEAR = thisYear() - 1;
const LATER = thisYear() + 2; // no work plan: for the indicator tests
const HAND = ['organisation', 'innovation']; // events and exchanges are computed
let server;
const fx = { extras: [] };
const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();
const path = (id, rest = '') => `/api/v1/evaluations/${id}${rest}`;
const hand = (base) => Object.fromEntries(HAND.map((k, i) => [k, base + i]));
const step = (who, id, body) => fx[who].post(path(id, '/steps'), body);

before(async () => {
  server = await startServer();
  // the other side's leadership, so that each side's leader confirms
  const out = server.cli(['unit', 'add', '--pairing', String(LJ), '--side', '1', '--name',
    '江蘇省對口合作工作領導小組', '--kind', 'government', '--tier', 'decision']);
  const jsLead = Number(/unit (\d+):/.exec(out)[1]);
  server.cli(['user', 'add', '--login', 'js_leader', '--unit', String(jsLead), '--role', 'leader',
    '--password-stdin'], PASSWORD + '\n');
  for (let k = 1; k <= 10; k++) {
    const o = server.cli(['unit', 'add', '--pairing', String(LJ), '--side', '0', '--name',
      `遼寧考核測試單位${k}`, '--kind', 'department', '--tier', 'execution']);
    fx.extras.push(Number(/unit (\d+):/.exec(o)[1]));
  }
  for (const l of ['ln_coord', 'js_coord', 'ln_leader', 'js_leader', 'pj_member', 'wx_member', 'dl_coord', 'admin'])
    fx[l] = await as(server, l);

  const wp = await fx.ln_coord.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const item = async (who, unit, title, due) => {
    const r = await fx[who].post(`/api/v1/work-plans/${wp.json.id}/items`, { owner_unit_id: unit, title, due });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const report = async (who, itemId, month, status = 'on_track') => {
    const r = await fx[who].post(`/api/v1/work-items/${itemId}/reports`, {
      period: `${YEAR}-${String(month).padStart(2, '0')}`, status,
      percent: status === 'done' ? 100 : month * 8, narrative: `第${month}月進展。`,
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const review = async (who, id, decision = 'accepted') => {
    const r = await fx[who].post(`/api/v1/reports/${id}/review`, decision === 'accepted' ? { decision } : { decision, comment: '請補充數據。' });
    assert.equal(r.status, 201, r.body);
  };
  fx.pj = await item('ln_coord', server.units.panjin, '盤錦考核測試事項', `${YEAR}-12-31`);
  fx.ly = await item('ln_coord', server.units.liaoyang, '遼陽考核測試事項', `${YEAR}-06-30`);
  fx.wx = await item('js_coord', server.units.wuxi, '無錫考核測試事項', `${YEAR}-09-30`);
  const extraItems = [];
  for (const [k, u] of fx.extras.entries())
    extraItems.push(await item('ln_coord', u, `測試單位${k + 1}事項`, `${YEAR}-12-31`));
  // every item exists from January of last year, as if added then
  sqlite(`UPDATE work_item SET created_at = '${YEAR}-01-02T00:00:00.000Z' WHERE work_plan_id = ${wp.json.id}`);
  // 盤錦 reports every month, accepted, done in December; each test unit reports once, done
  for (let m = 1; m <= 12; m++)
    await review('ln_coord', await report('pj_member', fx.pj, m, m === 12 ? 'done' : 'on_track'));
  for (const x of extraItems) await review('ln_coord', await report('admin', x, 1, 'done'));
  // 無錫: March returned, then accepted; April accepted
  await review('js_coord', await report('wx_member', fx.wx, 3), 'returned');
  await review('js_coord', await report('wx_member', fx.wx, 3));
  await review('js_coord', await report('wx_member', fx.wx, 4));
  const p = await fx.js_coord.post('/api/v1/projects', {
    name: '無錫考核測試項目', partners: [{ side: 1, unit_id: server.units.wuxi }],
    stage: 'signed', stage_on: `${YEAR}-06-01`, invest_contracted_wan: '100', invest_paid_wan: '40',
  });
  assert.equal(p.status, 201, p.body);
  fx.project = p.json.id;
});
after(() => server?.stop());

test('create: a draft with the default indicators, once per year; who may', async () => {
  const body = { pairing_id: LJ, year: YEAR };
  assert.equal((await fx.pj_member.post('/api/v1/evaluations', body)).status, 403);
  assert.equal((await fx.ln_leader.post('/api/v1/evaluations', body)).status, 403, 'a leader does not run it');
  assert.equal((await fx.dl_coord.post('/api/v1/evaluations', body)).status, 404, 'another pairing: not there');
  let r = await fx.ln_coord.post('/api/v1/evaluations', { ...body, year: 1999 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'year');
  r = await fx.ln_coord.post('/api/v1/evaluations', { ...body, extra: 1 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'err_unknown_field');
  assert.equal(sqlite('SELECT count(*) FROM evaluation'), '0', 'nothing stored');

  r = await fx.ln_coord.post('/api/v1/evaluations', body);
  assert.equal(r.status, 201, r.body);
  const e = r.json;
  fx.id = e.id;
  assert.equal(r.headers.get('location'), path(e.id));
  assert.equal(r.headers.get('etag'), `"evaluation-${e.id}-${e.updated_at}"`);
  assert.deepEqual({ state: e.state, year: e.year, pairing_id: e.pairing_id }, { state: 'draft', year: YEAR, pairing_id: LJ });
  assert.equal(e.indicators.length, 10);
  assert.equal(e.indicators.reduce((s, x) => s + x.weight, 0), 100);
  assert.deepEqual(e.indicators.filter((x) => x.method === 'hand').map((x) => x.key), HAND);
  assert.equal(e.indicators[0].name, '工作事项完成率');
  assert.deepEqual(e.sides.map((s) => s.stage), [null, null]);
  assert.deepEqual(e.steps.map((s) => s.action), ['create']);

  r = await fx.js_coord.post('/api/v1/evaluations', body);
  assert.equal(r.status, 409, 'twice');
  assert.equal(r.json.error.code, 'err_evaluation_exists');
  assert.equal(r.json.error.message, '该年度已有考核评估。');
  r = await fx.js_coord.post('/api/v1/evaluations?lang=en', { pairing_id: LJ, year: LATER });
  assert.equal(r.status, 201, 'the other side creates another year, in English');
  assert.equal(r.json.indicators[0].name, 'Work items completed');
  fx.later = r.json.id;

  const list = await fx.wx_member.get(`/api/v1/evaluations?pairing=${LJ}`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.evaluations.map((x) => x.year), [LATER, YEAR], 'newest first');
  assert.deepEqual(Object.keys(list.json.evaluations[0]).sort(),
    ['id', 'pairing', 'pairing_id', 'sides', 'state', 'updated_at', 'year']);
  // another pairing's: not found, as a missing id (issue #10)
  assert.equal((await fx.dl_coord.get(`/api/v1/evaluations?pairing=${LJ}`)).status, 404);
  assert.equal((await fx.dl_coord.get(path(fx.id))).status, 404);
  assert.equal((await fx.admin.get('/api/v1/evaluations?pairing=99999')).status, 404);
  const again = await fx.pj_member.get(path(fx.id), { headers: { 'if-none-match': `"evaluation-${e.id}-${e.updated_at}"` } });
  assert.equal(again.status, 304);
});

test('indicators: the weights sum to 100 or nothing is stored; methods; If-Match; locked once open', async () => {
  const cur = await fx.ln_coord.get(path(fx.later));
  const etag = cur.headers.get('etag');
  const put = (indicators, headers) => fx.ln_coord.put(path(fx.later, '/indicators'), { indicators }, { headers });
  const mine = [
    { key: 'items_done', name: '事项完成', weight: 40, method: 'items_done' },
    { key: 'reports', name: '按时报送', weight: 30, method: 'reports_on_time' },
    { key: 'docking', name: '对接活动', weight: 30, method: 'hand', evidence: '签到表' },
  ];
  let r = await put([...mine.slice(0, 2), { ...mine[2], weight: 20 }]);
  assert.equal(r.status, 422);
  assert.deepEqual([r.json.error.code, r.json.error.field], ['err_evaluation_weights', 'indicators']);
  assert.equal(r.json.error.message, '各项指标权重之和须为 100。');
  const now = await fx.ln_coord.get(path(fx.later));
  assert.deepEqual(now.json.indicators, cur.json.indicators, 'nothing stored');
  assert.equal(now.json.updated_at, cur.json.updated_at);
  r = await put([mine[0], { ...mine[1], method: 'guesswork' }, mine[2]]);
  assert.equal(r.status, 422);
  assert.deepEqual([r.json.error.code, r.json.error.field], ['err_evaluation_method', 'indicators[1].method']);
  r = await put([mine[0], mine[1], { ...mine[2], key: 'items_done' }]);
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_evaluation_key', 'indicators[2].key']);
  r = await put([mine[0], mine[1], { ...mine[2], colour: 'red' }]);
  assert.deepEqual([r.status, r.json.error.field], [422, 'indicators[2].colour']);
  r = await put([mine[0], { ...mine[1], weight: '30' }, mine[2]]);
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_type', 'indicators[1].weight']);
  r = await put([]);
  assert.equal(r.status, 422);
  assert.equal((await fx.pj_member.put(path(fx.later, '/indicators'), { indicators: mine })).status, 403);
  assert.equal((await fx.dl_coord.put(path(fx.later, '/indicators'), { indicators: mine })).status, 404);
  assert.equal((await fx.dl_coord.put(path(fx.later, '/indicators'), { indicators: [] })).status, 404, 'another pairing\'s: 404 before the body');
  assert.equal((await fx.ln_coord.put(path(99999, '/indicators'), { indicators: [] })).status, 404, '404 before the body');

  r = await put(mine, { 'if-match': `"evaluation-${fx.later}-2000-01-01T00:00:00.000Z"` });
  assert.equal(r.status, 412, 'stale');
  assert.equal(r.json.error.code, 'err_stale');
  r = await put(mine, { 'if-match': etag });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json.indicators, mine.map((x) => ({ evidence: null, ...x })));
  assert.notEqual(r.headers.get('etag'), etag);
  r = await put(mine, { 'if-match': etag });
  assert.equal(r.status, 412, 'the old ETag is stale now');

  assert.equal((await fx.pj_member.post(path(fx.later, '/open'))).status, 403);
  assert.equal((await fx.ln_leader.post(path(fx.later, '/open'))).status, 403);
  r = await fx.js_coord.post(path(fx.later, '/open'));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.state, 'open');
  assert.deepEqual(r.json.sides.map((s) => s.stage), ['self', 'self']);
  assert.ok(r.json.opened_at);
  r = await put(mine);
  assert.equal(r.status, 409, 'locked once open');
  assert.equal(r.json.error.code, 'err_evaluation_locked');
  r = await fx.js_coord.post(path(fx.later, '/open'));
  assert.deepEqual([r.status, r.json.error.code], [409, 'err_evaluation_step']);
});

test('steps: the wrong side, out of order, hand scores checked; a draft hidden from the other side', async () => {
  const id = fx.id;
  let r = await step('ln_coord', id, { action: 'save', side: 0, text: '草稿' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'err_evaluation_step'], 'not open yet');
  assert.equal((await fx.ln_coord.post(path(id, '/open'))).status, 200);

  r = await step('js_coord', id, { action: 'save', side: 0, text: '替對方寫' });
  assert.equal(r.status, 403, 'the wrong side');
  r = await step('ln_leader', id, { action: 'self', side: 0, text: '領導代寫', scores: hand(80) });
  assert.equal(r.status, 403, 'a leader does not write the self-evaluation');
  r = await step('js_coord', id, { action: 'opinion', side: 0, text: '意見' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'err_evaluation_step'], 'an opinion before the self-evaluation');
  r = await step('ln_leader', id, { action: 'confirm' });
  assert.equal(r.status, 409, 'a confirmation before both are final');
  r = await step('ln_coord', id, { action: 'vote', side: 0 });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_evaluation_action', 'action']);

  r = await step('ln_coord', id, { action: 'self', side: 0, text: '自評', scores: { ...hand(80), organisation: 101 } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_evaluation_score', 'scores.organisation']);
  assert.match(r.json.error.message, /0 至 100/);
  r = await step('ln_coord', id, { action: 'self', side: 0, text: '自評', scores: { ...hand(80), innovation: -1 } });
  assert.deepEqual([r.status, r.json.error.field], [422, 'scores.innovation']);
  r = await step('ln_coord', id, { action: 'self', side: 0, text: '自評', scores: { ...hand(80), cheer: 5 } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_unknown_field', 'scores.cheer']);
  r = await step('ln_coord', id, { action: 'self', side: 0, text: '自評', scores: { ...hand(80), items_done: 100 } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_evaluation_not_hand', 'scores.items_done']);
  r = await step('ln_coord', id, { action: 'self', side: 0, text: '自評', scores: { organisation: 82 } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_evaluation_score', 'scores.innovation'], 'a hand score missing on submit');
  r = await step('ln_coord', id, { action: 'self', side: 0, scores: hand(80) });
  assert.deepEqual([r.status, r.json.error.field], [422, 'text'], 'a self-evaluation has a text');
  assert.equal(sqlite(`SELECT count(*) FROM evaluation_hand_score WHERE evaluation_id = ${id}`), '0', 'nothing stored');

  // a saved draft is its own side's
  const draft = '遼寧方自評草稿：尚未提交的內容。';
  r = await step('ln_coord', id, { action: 'save', side: 0, text: draft, scores: { organisation: 70 } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.sides[0].stage, 'self');
  assert.equal(r.json.sides[0].self_text, draft);
  assert.deepEqual(r.json.sides[0].self_scores, { organisation: 70 });
  for (const who of ['js_coord', 'wx_member', 'js_leader']) {
    const o = await fx[who].get(path(id));
    assert.equal(o.status, 200);
    assert.equal(o.json.sides[0].self_text, null, who);
    assert.equal(o.json.sides[0].self_visible, false, who);
    assert.deepEqual(o.json.sides[0].self_scores, {}, who);
    assert.ok(!o.body.includes(draft), `${who} reads no trace of the draft`);
    assert.ok(!o.json.steps.some((s) => s.action === 'save'), who);
    const sc = await fx[who].get(path(id, '/scores'));
    assert.ok(!sc.json.sides[0].indicators.find((x) => x.key === 'organisation').applies, `${who}: the draft's score not counted`);
  }
  const audit = await fx.js_leader.get(`/api/v1/audit?entity=evaluation&entity_id=${id}`);
  assert.equal(audit.status, 200);
  assert.ok(audit.json.entries.some((e) => e.action === 'evaluation.save'));
  assert.ok(!audit.body.includes(draft), 'nor in the audit log the other side\'s leader reads');
  for (const who of ['ln_coord', 'pj_member', 'ln_leader', 'admin'])
    assert.equal((await fx[who].get(path(id))).json.sides[0].self_text, draft, who);
  const own = await fx.ln_coord.get(path(id, '/scores'));
  assert.equal(own.json.sides[0].indicators.find((x) => x.key === 'organisation').value, 0.7);
});

test('the full run: self, opinion, a return, again, both leaders confirm; closed', async () => {
  const id = fx.id;
  let r = await step('ln_coord', id, { action: 'self', side: 0, text: '遼寧方自評：全年完成既定任務。', scores: hand(80) });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.sides[0].stage, 'opinion');
  assert.equal((await fx.js_coord.get(path(id))).json.sides[0].self_text, '遼寧方自評：全年完成既定任務。', 'submitted: the other side reads it');
  r = await step('ln_coord', id, { action: 'save', side: 0, text: '改' });
  assert.equal(r.status, 409, 'submitted: no more saves');
  r = await step('js_coord', id, { action: 'self', side: 1, text: '江蘇方自評（初稿）。', scores: hand(60) });
  assert.equal(r.status, 200, r.body);

  // 遼寧 returns 江蘇's self-evaluation with a reason; 江蘇 submits again
  r = await step('ln_coord', id, { action: 'return', side: 1 });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_required', 'text'], 'a return gives its reason');
  r = await step('js_coord', id, { action: 'return', side: 1, text: '自己退回' });
  assert.equal(r.status, 403, 'a side does not give the opinion on itself');
  r = await step('ln_coord', id, { action: 'return', side: 1, text: '請補充干部互派的數據。' });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.sides[1].stage, 'self');
  const ret = r.json.steps.at(-1);
  assert.deepEqual([ret.action, ret.side, ret.text, ret.by], ['return', 1, '請補充干部互派的數據。', 'ln_coord']);
  r = await step('js_coord', id, { action: 'self', side: 1, text: '江蘇方自評：已補充干部互派數據。', scores: hand(62) });
  assert.equal(r.status, 200, r.body);

  // the opinions: 江蘇 proposes another score for one of 遼寧's hand indicators
  r = await step('js_coord', id, { action: 'opinion', side: 0, text: '同意遼寧方自評，對接活動分數調整。', scores: { organisation: 75 } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.sides[0].stage, 'final');
  assert.deepEqual(r.json.sides[0].final_scores, { ...hand(80), organisation: 75 }, 'the opinion\'s proposal where it made one');
  r = await step('ln_coord', id, { action: 'opinion', side: 1, text: '同意江蘇方自評。' });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json.sides.map((s) => s.stage), ['final', 'final']);

  // the leaderships: a return to the opinion clears the confirmations; then both confirm
  assert.equal((await step('ln_coord', id, { action: 'confirm' })).status, 403, 'a coordinator does not confirm');
  assert.equal((await step('pj_member', id, { action: 'confirm' })).status, 403);
  r = await step('ln_leader', id, { action: 'confirm' });
  assert.equal(r.status, 200, r.body);
  assert.ok(r.json.sides[0].confirmed_at);
  assert.equal(r.json.sides[0].confirmed_by, 'ln_leader');
  assert.equal(r.json.state, 'open');
  assert.equal((await step('ln_leader', id, { action: 'confirm' })).status, 409, 'once');
  r = await step('js_leader', id, { action: 'return', side: 0, text: '請再核實' });
  assert.deepEqual([r.status, r.json.error.field], [422, 'to_stage'], 'a leadership says where to');
  r = await step('js_leader', id, { action: 'return', side: 0, to_stage: 'opinion', text: '請江蘇方再核實對接活動分數。' });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.sides[0].stage, 'opinion');
  assert.deepEqual(r.json.sides.map((s) => s.confirmed_at), [null, null], 'confirmations cleared');
  r = await step('js_coord', id, { action: 'opinion', side: 0, text: '核實後維持原意見。', scores: { organisation: 76 } });
  assert.equal(r.status, 200, r.body);
  r = await step('ln_leader', id, { action: 'confirm' });
  assert.equal(r.status, 200, r.body);
  r = await step('js_leader', id, { action: 'confirm' });
  assert.equal(r.status, 200, r.body);
  const e = r.json;
  assert.equal(e.state, 'closed');
  assert.ok(e.closed_at);
  assert.deepEqual(e.sides.map((s) => s.confirmed_by), ['ln_leader', 'js_leader']);
  assert.deepEqual(e.sides[0].final_scores, { ...hand(80), organisation: 76 });
  assert.deepEqual(e.sides[1].final_scores, hand(62));
  assert.deepEqual(e.steps.map((s) => s.action), ['create', 'open', 'save', 'self', 'self', 'return', 'self',
    'opinion', 'opinion', 'confirm', 'return', 'opinion', 'confirm', 'confirm']);
  r = await step('ln_coord', id, { action: 'summary', side: 0, text: '年度工作总结。' });
  assert.equal(r.status, 200, 'the lead office\'s summary after closing');
  assert.equal(r.json.sides[0].summary, '年度工作总结。');
  assert.equal((await step('ln_coord', id, { action: 'self', side: 0, text: 'x', scores: hand(1) })).status, 409);
  const audit = server.cli(['audit', 'list', '--limit', '60']);
  for (const a of ['evaluation.create', 'evaluation.open', 'evaluation.self', 'evaluation.return', 'evaluation.confirm'])
    assert.match(audit, new RegExp(a.replace('.', '\\.')));
});

test('a closed evaluation\'s scores stay as they were after new data', async () => {
  const before = await fx.wx_member.get(path(fx.id, '/scores'));
  assert.equal(before.status, 200);
  assert.deepEqual(Object.keys(before.json), ['as_of', 'frozen', 'sides', 'scores', 'cities']);
  assert.equal(before.json.frozen, true);
  const ly = before.json.scores.find((u) => u.unit_id === server.units.liaoyang);
  assert.equal(ly.indicators.find((x) => x.key === 'items_done').value, 0);
  // 遼陽 now reports its item done, accepted
  const ly_member = await as(server, 'ly_member');
  const rep = await ly_member.post(`/api/v1/work-items/${fx.ly}/reports`, { period: `${YEAR}-06`, status: 'done', percent: 100, narrative: '補報：已完成。' });
  assert.equal(rep.status, 201, rep.body);
  assert.equal((await fx.ln_coord.post(`/api/v1/reports/${rep.json.id}/review`, { decision: 'accepted' })).status, 201);
  const after = await fx.wx_member.get(path(fx.id, '/scores'));
  assert.deepEqual(after.json, before.json, 'unchanged');
  const cli = JSON.parse(server.cli(['evaluation', 'show', String(fx.id), '--json']));
  assert.deepEqual(cli.scores, before.json, 'the command line reads the same figures');
});

test('every score is explained by inputs that are real records', async () => {
  const s = (await fx.pj_member.get(path(fx.id, '/scores'))).json;
  assert.deepEqual(s.sides.map((x) => x.scope), ['side', 'side']);
  const pj = s.scores.find((u) => u.unit_id === server.units.panjin);
  assert.ok(pj && pj.score > 0);
  for (const ind of pj.indicators) {
    if (!ind.applies) continue;
    assert.ok(Math.abs(ind.points - ind.weight * ind.value) < 0.01, ind.key);
  }
  const applied = pj.indicators.filter((x) => x.applies);
  const expect = applied.reduce((t, x) => t + x.points, 0) * 100 / applied.reduce((t, x) => t + x.weight, 0);
  assert.ok(Math.abs(pj.score - expect) < 0.02, `${pj.score} vs ${expect}`);
  const seen = new Map();
  for (const sc of [...s.sides, ...s.scores, ...s.cities])
    for (const ind of sc.indicators)
      for (const x of ind.inputs) seen.set(`${x.kind}:${x.id}`, x);
  const kinds = new Set([...seen.values()].map((x) => x.kind));
  assert.deepEqual([...kinds].sort(), ['project', 'report', 'work_item']);
  const url = { work_item: 'work-items', report: 'reports', project: 'projects' };
  for (const x of seen.values()) {
    const r = await fx.admin.get(`/api/v1/${url[x.kind]}/${x.id}`);
    assert.equal(r.status, 200, `${x.kind} ${x.id}`);
    if (x.kind === 'work_item') assert.equal(r.json.title ?? r.json.item?.title, x.label);
    if (x.kind === 'project') assert.equal(r.json.name, x.label);
  }
  assert.ok(seen.has(`work_item:${fx.pj}`) && seen.has(`project:${fx.project}`));
  const wx = s.scores.find((u) => u.unit_id === server.units.wuxi);
  assert.equal(wx.indicators.find((x) => x.key === 'reports_first_accepted').value, 0.5, 'March was returned first');
  assert.equal(wx.indicators.find((x) => x.key === 'investment_paid').value, 0.4);
});

test('commendations: leaders choose from the first ten of the ranking only', async () => {
  const s = (await fx.ln_leader.get(path(fx.id, '/scores'))).json;
  const ly = s.scores.find((u) => u.unit_id === server.units.liaoyang);
  assert.ok(ly.rank > 10, `遼陽 ranks ${ly.rank}`);
  const top = s.scores.filter((u) => u.rank <= 10).map((u) => u.unit_id);
  assert.ok(top.includes(server.units.panjin) && fx.extras.every((u) => top.includes(u)), 'eleven tie at the top');
  const url = path(fx.id, '/commendations');
  let r = await fx.ln_leader.post(url, { unit_ids: [server.units.panjin, ly.unit_id] });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_evaluation_commend', 'unit_ids']);
  r = await fx.ln_leader.post(url, { unit_ids: [server.units.ln_office] });
  assert.equal(r.status, 422, 'a unit not ranked');
  assert.equal((await fx.ln_coord.post(url, { unit_ids: [server.units.panjin] })).status, 403);
  assert.equal((await fx.ln_leader.post(path(fx.later, '/commendations'), { unit_ids: [] })).status, 409, 'not closed');
  assert.equal((await fx.ln_leader.post(url, { unit_ids: ['x'] })).status, 422);
  r = await fx.ln_leader.post(url, { unit_ids: [server.units.panjin, fx.extras[0]] });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json.commended, [server.units.panjin, fx.extras[0]].sort((a, b) => a - b));
  const after = (await fx.wx_member.get(path(fx.id, '/scores'))).json;
  assert.deepEqual(after.scores.filter((u) => u.commended).map((u) => u.unit_id).sort((a, b) => a - b),
    [server.units.panjin, fx.extras[0]].sort((a, b) => a - b));
});

test('errors in the user\'s language', async () => {
  let r = await fx.ln_coord.put(path(fx.id, '/indicators?lang=en'), { indicators: [{ key: 'a', name: 'A', weight: 100, method: 'hand' }] });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.message, 'The evaluation is open: its indicators are locked.');
  r = await fx.ln_coord.get(path(99999));
  assert.equal(r.status, 404);
  r = await step('ln_coord', fx.later, { action: 'self', side: 0, text: 't', scores: { docking: 101 } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'scores.docking');
  r = await fx.ln_coord.post(path(fx.later, '/steps?lang=zh-Hant'), { action: 'self', side: 0, text: 't', scores: { items_done: 5 } });
  assert.equal(r.json.error.message, '該指標由系統根據資料計算，不能人工評分。');
});
