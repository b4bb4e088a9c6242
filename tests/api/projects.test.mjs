// Cooperation projects (合作项目) over the API: a coordinator records a project from first talks
// to operation; partners, industry, place, 万元 amounts as exact yuan; stages forward only with
// dates and history; who reads and writes (members: their unit's projects only); If-Match on
// edits (428, 412); every bad input is 422 naming its field with the database unchanged; the
// public list shows public projects with public fields only; the CLI prints the same shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, Client, LJ, SD } from './harness.mjs';
import { today } from './clock.mjs';

let server;
const c = {};
const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();
// Everything a project write touches, to compare before and after a refused request.
const snapshot = () => sqlite('SELECT count(*) FROM audit') + '|' +
  sqlite('SELECT * FROM project') + sqlite('SELECT * FROM project_partner') +
  sqlite('SELECT * FROM project_stage') + sqlite('SELECT * FROM project_task');

// A credit code with its GB 32100-2015 check character.
function creditCode(first17) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17[i]) * w[i];
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}
const WX_CODE = creditCode('91320200MA1P00001');

before(async () => {
  server = await startServer();
  for (const login of ['admin', 'ln_coord', 'js_coord', 'sh_coord', 'pj_member', 'ly_member', 'ln_leader'])
    c[login] = await as(server, login);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

const base = () => ({
  name: '盘锦—无锡“互联网+”产业园',
  city_pairing_id: 3,
  industry: '65',
  region_code: '211100',
  invest_planned_wan: '50,000',
  invest_contracted_wan: '12000.5',
  jobs: 300,
  description: '落实实施方案“互联网+”合作标杆。',
  partners: [{ side: 0, unit_id: server.units.panjin },
    { side: 1, enterprise: '无锡某物联网科技有限公司', credit_code: WX_CODE.toLowerCase() }],
  task_ids: [],
  stage: 'signed',
  stage_on: today(),
});

test('a coordinator records a project; readers and writers as the rules say', async () => {
  let r = await c.ln_coord.post('/api/v1/projects', base());
  assert.equal(r.status, 201, r.body);
  const p = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/projects/${p.id}`);
  assert.equal(p.pairing_id, LJ);
  assert.equal(p.side, 0);
  assert.equal(p.stage, 'signed');
  assert.equal(p.signed_on, today());
  assert.equal(p.invest_planned_yuan, 500000000);
  assert.equal(p.invest_contracted_yuan, 120005000);
  assert.equal(p.invest_paid_yuan, 0);
  assert.equal(p.industry, '65');
  assert.equal(p.region_code, '211100');
  assert.equal(p.partners[1].credit_code, WX_CODE, 'stored upper case');
  assert.equal(p.major, false);
  assert.equal(p.public, false);
  assert.equal(p.stages.length, 1);
  assert.equal(sqlite(`SELECT count(*) FROM audit WHERE action = 'project.create' AND entity_id = ${p.id}`), '1');

  // readers: both sides' coordinators, the leader, the partner unit's member
  for (const who of ['js_coord', 'ln_leader', 'pj_member', 'admin'])
    assert.equal((await c[who].get(`/api/v1/projects/${p.id}`)).status, 200, who);
  // not a member of another unit: refused; to another pairing it is not there (as 99999)
  assert.equal((await c.ly_member.get(`/api/v1/projects/${p.id}`)).status, 403);
  assert.equal((await c.sh_coord.get(`/api/v1/projects/${p.id}`)).status, 404);
  assert.equal((await c.ln_coord.get('/api/v1/projects/99999')).status, 404);
  // lists follow the same rule
  assert.ok((await c.pj_member.get('/api/v1/projects')).json.projects.some((x) => x.id === p.id));
  assert.equal((await c.ly_member.get('/api/v1/projects')).json.projects.length, 0);
  assert.equal((await c.sh_coord.get(`/api/v1/projects?pairing=${LJ}`)).status, 404);

  // writers: the owning side's coordinator; the other side's is forbidden
  r = await c.ln_coord.get(`/api/v1/projects/${p.id}`);
  const etag = r.headers.get('etag');
  assert.match(etag, new RegExp(`^"project-${p.id}-`));
  assert.equal((await c.ln_coord.get(`/api/v1/projects/${p.id}`, { headers: { 'if-none-match': etag } })).status, 304);
  r = await c.js_coord.patch(`/api/v1/projects/${p.id}`, { jobs: 1 }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 403);
  r = await c.ln_coord.patch(`/api/v1/projects/${p.id}`, { jobs: 350 });
  assert.equal(r.status, 428);
  r = await c.ln_coord.patch(`/api/v1/projects/${p.id}`, { jobs: 350, public: true }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.jobs, 350);
  // the second coordinator working from the same copy: 412
  r = await c.ln_coord.patch(`/api/v1/projects/${p.id}`, { jobs: 400 }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 412);
  assert.equal((await c.ln_coord.get(`/api/v1/projects/${p.id}`)).json.jobs, 350);

  // the public list: anyone, public fields only
  const anon = new Client(server.base);
  r = await anon.get('/api/v1/projects');
  assert.equal(r.status, 200);
  const pub = r.json.projects.find((x) => x.id === p.id);
  assert.ok(pub);
  assert.equal(pub.invest_contracted_yuan, 120005000);
  assert.equal(pub.description, undefined);
  assert.equal(pub.partners[1].credit_code, undefined);
  assert.equal((await anon.get(`/api/v1/projects/${p.id}`)).status, 401);

  // members, leaders and the other side may not record projects
  for (const who of ['pj_member', 'ln_leader'])
    assert.equal((await c[who].post('/api/v1/projects', base())).status, 403, who);

  // the command line prints the API's shape
  const out = JSON.parse(server.cli(['project', 'list', '--pairing', String(LJ), '--json']));
  const mine = out.projects.find((x) => x.id === p.id);
  assert.equal(mine.invest_contracted_yuan, 120005000);
  assert.deepEqual(mine.partners.map((x) => x.side), [0, 1]);
  assert.match(server.cli(['project', 'show', String(p.id)]), /签约|signed/);
});

test('stages go forward with dates, back only out of 中止 with a reason; history kept', async () => {
  let r = await c.ln_coord.post('/api/v1/projects', { name: '苏州工业园区—沈抚新区合作园区', stage_on: '2026-01-05' });
  assert.equal(r.status, 201, r.body);
  const id = r.json.id;
  assert.equal(r.json.stage, 'negotiating');
  const stage = (body) => c.ln_coord.post(`/api/v1/projects/${id}/stage`, body);
  r = await stage({ stage: 'signed', on_date: '2026-01-04' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'err_project_date_order');
  r = await stage({ stage: 'started', on_date: '2026-03-01' });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.signed_on, '2026-03-01', 'skipping 签约 signs on the same day');
  r = await stage({ stage: 'signed' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'err_project_stage_back');
  r = await stage({ stage: 'stopped' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'reason');
  r = await stage({ stage: 'stopped', on_date: '2026-04-01', reason: '资金未到位' });
  assert.equal(r.status, 200);
  r = await stage({ stage: 'started', reason: '资金已落实' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.stages.map((s) => s.stage), ['negotiating', 'started', 'stopped', 'started']);
  assert.equal(r.json.stages[2].reason, '资金未到位');
  assert.equal((await c.js_coord.post(`/api/v1/projects/${id}/stage`, { stage: 'operating' })).status, 403);
  r = await c.ln_coord.post(`/api/v1/projects/${id}/stage`, { stage: 'operating' },
    { headers: { 'if-match': `"project-${id}-2000-01-01T00:00:00.000Z"` } });
  assert.equal(r.status, 412);
});

test('bad input: 422 (or 400) naming the field, nothing stored', async () => {
  const before = snapshot();
  const cases = [
    [{ name: '' }, 'name', 'err_required'],
    [{ industry: '98' }, 'industry', 'err_industry_unknown'],
    [{ region_code: '999999' }, 'region_code', 'err_region_unknown'],
    [{ invest_planned_wan: '-5' }, 'invest_planned_wan', 'err_amount_negative'],
    [{ invest_planned_wan: '1.23456' }, 'invest_planned_wan', 'err_amount_decimals'],
    [{ invest_planned_wan: '一百' }, 'invest_planned_wan', 'err_amount_number'],
    [{ invest_paid_wan: '100000000000.0001' }, 'invest_paid_wan', 'err_amount'],
    [{ invest_paid_yuan: 1e15 + 1 }, 'invest_paid_yuan', 'err_amount'],
    [{ invest_paid_yuan: -1 }, 'invest_paid_yuan', 'err_amount_negative'],
    [{ invest_paid_yuan: 1.5 }, 'invest_paid_yuan', 'err_type'],
    [{ invest_paid_yuan: 5, invest_paid_wan: '5' }, 'invest_paid_wan', 'err_invalid'],
    [{ stage: 'stopped' }, 'stage', 'err_project_stage'],
    [{ stage_on: '2026-02-30' }, 'stage_on', 'err_date'],
    [{ stage_on: '2099-01-01' }, 'stage_on', 'err_date_future'],
    [{ city_pairing_id: 15 }, 'city_pairing_id', 'err_pairing_unknown'],
    [{ partners: [{ side: 1, enterprise: '某公司', credit_code: WX_CODE.slice(0, 17) + (WX_CODE[17] === '0' ? '1' : '0') }] },
      'partners[0].credit_code', 'err_credit_code'],
    [{ partners: [{ side: 1, unit_id: server.units.panjin }] }, 'partners[0].unit_id', 'err_unit_unknown'],
    [{ partners: [{ side: 0 }] }, 'partners[0].enterprise', 'err_required'],
    [{ partners: [{ side: 2, enterprise: 'x' }] }, 'partners[0].side', 'err_range'],
    [{ task_ids: [99999] }, 'task_ids', 'err_task_unknown'],
    [{ major: true, invest_contracted_wan: '9999.9999' }, 'major', 'err_project_major'],
    [{ colour: 'red' }, 'colour', 'err_unknown_field'],
  ];
  for (const [patch, field, code] of cases) {
    const r = await c.ln_coord.post('/api/v1/projects', { name: '某合作项目', ...patch });
    assert.equal(r.status, 422, `${JSON.stringify(patch)}: ${r.body}`);
    assert.equal(r.json.error.field, field, JSON.stringify(patch));
    assert.equal(r.json.error.code, code, JSON.stringify(patch));
  }
  assert.equal((await c.ln_coord.post('/api/v1/projects', '{"name":', {})).status, 400);
  assert.equal((await c.ln_coord.get('/api/v1/projects?stage=paused')).status, 400);
  assert.equal((await c.ln_coord.get('/api/v1/projects?industry=98')).status, 400);
  assert.equal((await c.ln_coord.get('/api/v1/projects?year=abc')).status, 400);
  // an edit may not move a project to another pairing, side or stage
  const id = (await c.ln_coord.post('/api/v1/projects', { name: '不可移动的项目' })).json.id;
  const mid = snapshot();
  const etag = (await c.ln_coord.get(`/api/v1/projects/${id}`)).headers.get('etag');
  for (const f of ['pairing_id', 'side', 'stage']) {
    const r = await c.ln_coord.patch(`/api/v1/projects/${id}`, { [f]: f === 'stage' ? 'signed' : 1 }, { headers: { 'if-match': etag } });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'err_fixed');
  }
  assert.equal(snapshot(), mid);
  assert.notEqual(before, mid);
  assert.equal(sqlite(`SELECT count(*) FROM project WHERE name = '某合作项目'`), '0');
});

test('lists: filters, sort by investment, keyset pages', async () => {
  const made = [];
  for (const [name, industry, wan, stage] of [['甲', '39', '300', 'signed'], ['乙', 'C', '100', 'negotiating'],
    ['丙', '65', '200', 'signed'], ['丁', '34', '400', 'operating']]) {
    const r = await c.js_coord.post('/api/v1/projects', { name: `江苏方项目${name}`, industry, invest_contracted_wan: wan, stage });
    assert.equal(r.status, 201, r.body);
    made.push(r.json.id);
  }
  let r = await c.ln_leader.get('/api/v1/projects?side=1&industry=C');
  assert.deepEqual(r.json.projects.map((p) => p.id), [made[3], made[1], made[0]], 'section C finds its divisions');
  r = await c.ln_leader.get('/api/v1/projects?side=1&sort=investment&limit=2');
  assert.deepEqual(r.json.projects.map((p) => p.id), [made[3], made[0]]);
  assert.equal(r.json.next, made[0]);
  r = await c.ln_leader.get(`/api/v1/projects?side=1&sort=investment&limit=2&after=${r.json.next}`);
  assert.deepEqual(r.json.projects.map((p) => p.id), [made[2], made[1]]);
  assert.equal(r.json.next, null);
  r = await c.ln_leader.get(`/api/v1/projects?side=1&stage=signed&year=${today().slice(0, 4)}`);
  assert.deepEqual(r.json.projects.map((p) => p.id), [made[2], made[0]]);
  r = await c.admin.get(`/api/v1/projects?pairing=${SD}`);
  assert.equal(r.json.projects.length, 0);
});

test('progress updates: partners report, the owning lead office reviews, accepted figures apply', async () => {
  const id = (await c.ln_coord.post('/api/v1/projects', { name: '盘锦进展测试项目',
    partners: [{ side: 0, unit_id: server.units.panjin }] })).json.id;
  let r = await c.pj_member.post(`/api/v1/projects/${id}/updates`, { body: '厂房主体完工。', invest_paid_wan: '2,000', jobs: 80 });
  assert.equal(r.status, 201, r.body);
  const u = r.json;
  assert.equal(u.state, 'pending');
  assert.equal(u.invest_paid_yuan, 20000000);
  assert.equal((await c.ly_member.post(`/api/v1/projects/${id}/updates`, { body: 'x' })).status, 403);
  assert.equal((await c.ln_leader.post(`/api/v1/projects/${id}/updates`, { body: 'x' })).status, 403);
  r = await c.pj_member.post(`/api/v1/projects/${id}/updates`, { body: '', invest_paid_wan: '1.00001' });
  assert.equal(r.status, 422);
  const before = snapshot();
  r = await c.pj_member.post(`/api/v1/projects/${id}/updates`, { body: '有效正文', invest_paid_wan: '1.00001' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'invest_paid_wan');
  assert.equal(sqlite('SELECT count(*) FROM project_update'), sqlite('SELECT count(*) FROM project_update'));
  assert.equal(snapshot(), before);
  r = await c.js_coord.post(`/api/v1/project-updates/${u.id}/review`, { decision: 'accepted' });
  assert.equal(r.status, 403);
  r = await c.ln_coord.post(`/api/v1/project-updates/${u.id}/review`, { decision: 'returned' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'err_comment_required');
  r = await c.ln_coord.post(`/api/v1/project-updates/${u.id}/review`, { decision: 'maybe' });
  assert.equal(r.status, 422);
  r = await c.ln_coord.post(`/api/v1/project-updates/${u.id}/review`, { decision: 'accepted' });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.state, 'accepted');
  assert.equal(r.json.reviewed_by, 'ln_coord');
  assert.equal((await c.ln_coord.post(`/api/v1/project-updates/${u.id}/review`, { decision: 'accepted' })).status, 409);
  const p = (await c.ln_leader.get(`/api/v1/projects/${id}`)).json;
  assert.equal(p.invest_paid_yuan, 20000000);
  assert.equal(p.jobs, 80);
  r = await c.ln_leader.get(`/api/v1/projects/${id}/updates`);
  assert.equal(r.status, 200);
  assert.equal(r.json.updates.length, 1);
  assert.equal((await c.sh_coord.get(`/api/v1/projects/${id}/updates`)).status, 404);
});

test('platforms: run jointly, projects inside roll up; bad input refused', async () => {
  let r = await c.ln_coord.post('/api/v1/platforms', { name: '沈抚—苏州工业园区合作园区', kind: 'park',
    region_code: 'Z210002', area_ha: '1,200.5', founded: 2018, unit_ids: [server.units.panjin, server.units.wuxi] });
  assert.equal(r.status, 201, r.body);
  const pf = r.json;
  assert.equal(pf.area_m2, 12005000);
  assert.equal(pf.area_ha, '1200.5');
  assert.deepEqual(pf.units.map((u) => u.side), [0, 1]);
  for (const [body, field, code] of [
    [{ name: '甲', kind: 'castle' }, 'kind', 'err_platform_kind'],
    [{ name: '乙', kind: 'park', area_ha: '1.00001' }, 'area_ha', 'err_area'],
    [{ name: '丙', kind: 'park', unit_ids: [99999] }, 'unit_ids', 'err_unit_unknown'],
    [{ name: '丁', kind: 'park', founded: 1900 }, 'founded', 'err_range'],
    [{ kind: 'park' }, 'name', 'err_required'],
  ]) {
    const x = await c.ln_coord.post('/api/v1/platforms', body);
    assert.equal(x.status, 422, JSON.stringify(body));
    assert.equal(x.json.error.field, field);
    assert.equal(x.json.error.code, code);
  }
  assert.equal((await c.ln_coord.post('/api/v1/platforms', { name: '沈抚—苏州工业园区合作园区', kind: 'park' })).status, 409);
  assert.equal((await c.pj_member.post('/api/v1/platforms', { name: '成员不能录入', kind: 'park' })).status, 403);
  assert.equal((await c.sh_coord.get(`/api/v1/platforms/${pf.id}`)).status, 404);
  // two projects inside: one with an enterprise partner; a platform of another pairing is refused
  for (const [name, stage, ent] of [['园区项目一', 'operating', '苏州某精密制造有限公司'], ['园区项目二', 'signed', null]]) {
    r = await c.ln_coord.post('/api/v1/projects', { name, stage, platform_id: pf.id, invest_contracted_wan: '1000',
      partners: ent ? [{ side: 1, enterprise: ent }] : [] });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json.platform_id, pf.id);
  }
  const sd = (await c.sh_coord.post('/api/v1/platforms', { name: '张江—大连高新区合作中心', kind: 'innovation' })).json.id;
  r = await c.ln_coord.post('/api/v1/projects', { name: '错配平台', platform_id: sd });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'err_platform_unknown');
  r = await c.pj_member.get(`/api/v1/platforms/${pf.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.projects, 2);
  assert.equal(r.json.projects_by_stage.operating, 1);
  assert.equal(r.json.enterprises, 1);
  assert.equal(r.json.invest_contracted_yuan, 20000000);
  assert.equal((await c.ln_leader.get(`/api/v1/projects?platform=${pf.id}`)).json.projects.length, 2);
  // the other side's coordinator edits too (run jointly); If-Match required
  const etag = r.headers.get('etag');
  assert.equal((await c.js_coord.patch(`/api/v1/platforms/${pf.id}`, { founded: 2019 })).status, 428);
  r = await c.js_coord.patch(`/api/v1/platforms/${pf.id}`, { founded: 2019, area_ha: null }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.founded, 2019);
  assert.equal(r.json.area_m2, null);
  assert.equal((await c.ln_coord.patch(`/api/v1/platforms/${pf.id}`, { founded: 2020 }, { headers: { 'if-match': etag } })).status, 412);
  assert.equal((await c.ln_coord.patch(`/api/v1/platforms/${pf.id}`, { pairing_id: 13 }, { headers: { 'if-match': etag } })).status, 422);
});

test('funds: each side its budget and allocations within it; industry funds invest in projects', async () => {
  const year = Number(today().slice(0, 4));
  let r = await c.ln_coord.put('/api/v1/work-funds', { year, budget_wan: '500', doc_no: '辽合作发〔2026〕3号' });
  assert.equal(r.status, 200, r.body);
  const lnFund = r.json.id;
  assert.equal((await c.js_coord.put('/api/v1/work-funds', { year, side: 0, budget_wan: '1' })).status, 403, 'not the other side\'s');
  assert.equal((await c.pj_member.put('/api/v1/work-funds', { year, budget_wan: '1' })).status, 403);
  const project = (await c.ln_coord.post('/api/v1/projects', { name: '经费支持项目' })).json.id;
  r = await c.ln_coord.post(`/api/v1/work-funds/${lnFund}/allocations`, { project_id: project, amount_wan: '300', doc_no: '辽合作发〔2026〕5号' });
  assert.equal(r.status, 201, r.body);
  const alloc = r.json.id;
  const before = snapshot() + sqlite('SELECT * FROM work_fund_allocation') + sqlite('SELECT * FROM work_fund');
  for (const [body, field, code] of [
    [{ purpose: '对接活动', amount_wan: '300', doc_no: 'x' }, 'amount_yuan', 'err_fund_over_budget'],
    [{ purpose: '对接活动', amount_wan: '10', spent_wan: '11', doc_no: 'x' }, 'spent_yuan', 'err_fund_overspent'],
    [{ amount_wan: '10', doc_no: 'x' }, 'purpose', 'err_required'],
    [{ purpose: '对接活动', amount_wan: '10' }, 'doc_no', 'err_required'],
    [{ project_id: 99999, amount_wan: '10', doc_no: 'x' }, 'project_id', 'err_project_unknown'],
  ]) {
    const x = await c.ln_coord.post(`/api/v1/work-funds/${lnFund}/allocations`, body);
    assert.equal(x.status, 422, JSON.stringify(body) + x.body);
    assert.equal(x.json.error.field, field);
    assert.equal(x.json.error.code, code);
  }
  assert.equal((await c.js_coord.post(`/api/v1/work-funds/${lnFund}/allocations`, { purpose: 'x', amount_wan: '1', doc_no: 'x' })).status, 403);
  r = await c.ln_coord.put('/api/v1/work-funds', { year, budget_wan: '200' });
  assert.equal(r.status, 422, 'a budget below what is allocated');
  assert.equal(snapshot() + sqlite('SELECT * FROM work_fund_allocation') + sqlite('SELECT * FROM work_fund'), before);
  r = await c.ln_coord.patch(`/api/v1/work-fund-allocations/${alloc}`, { spent_wan: '120.5' });
  assert.equal(r.status, 200, r.body);
  r = await c.ln_coord.patch(`/api/v1/work-fund-allocations/${alloc}`, { spent_wan: '1' },
    { headers: { 'if-match': `"work_fund_allocation-${alloc}-2000-01-01T00:00:00.000Z"` } });
  assert.equal(r.status, 412);
  // industry funds: either side's coordinator records; investments into the pairing's projects
  r = await c.js_coord.post('/api/v1/industry-funds', { name: '辽苏对口合作产业投资基金', size_wan: '100,000', managers: '某基金管理有限公司' });
  assert.equal(r.status, 201, r.body);
  const fund = r.json.id;
  assert.equal((await c.js_coord.post('/api/v1/industry-funds', { name: '辽苏对口合作产业投资基金', size_wan: '1' })).status, 409);
  r = await c.js_coord.post(`/api/v1/industry-funds/${fund}/investments`, { project_id: project, amount_wan: '2000', on_date: today() });
  assert.equal(r.status, 201, r.body);
  r = await c.js_coord.post(`/api/v1/industry-funds/${fund}/investments`, { project_id: project, amount_wan: '1', on_date: '2099-01-01' });
  assert.equal(r.status, 422);
  r = await c.js_coord.post(`/api/v1/industry-funds/${fund}/investments`, { project_id: project, amount_wan: '98,000.0001' });
  assert.equal(r.status, 422, 'more than the fund holds');
  assert.equal(r.json.error.code, 'err_fund_over_size');
  const sdProject = (await c.sh_coord.post('/api/v1/projects', { name: '上海的项目' })).json.id;
  r = await c.js_coord.post(`/api/v1/industry-funds/${fund}/investments`, { project_id: sdProject, amount_wan: '1' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'err_project_unknown');
  // the pairing's lead offices and leaders read the year; members and another pairing do not
  assert.equal((await c.pj_member.get(`/api/v1/funds?year=${year}`)).status, 403);
  r = await c.ln_leader.get(`/api/v1/funds?year=${year}`);
  assert.equal(r.status, 200);
  const ln = r.json.work_funds[0];
  assert.equal(ln.budget_yuan, 5000000);
  assert.equal(ln.allocated_yuan, 3000000);
  assert.equal(ln.spent_yuan, 1205000);
  assert.equal(ln.allocations[0].target, '经费支持项目');
  assert.equal(r.json.work_funds[1].id, null, 'Jiangsu has entered no budget');
  assert.equal(r.json.industry_funds[0].invested_in_year_yuan, 20000000);
  assert.equal(r.json.invested_in_year_yuan, 20000000);
  assert.equal((await c.sh_coord.get(`/api/v1/funds?year=${year}&pairing=${LJ}`)).status, 404);
  assert.equal((await c.ln_leader.get('/api/v1/funds')).status, 400, 'the year is required');
});

test('industries: the list the forms pick from, searched in either script', async () => {
  const anon = new Client(server.base);
  let r = await anon.get('/api/v1/industries');
  assert.equal(r.status, 200);
  assert.equal(r.json.industries.length, 117, '20 sections and 97 divisions');
  r = await anon.get(`/api/v1/industries?q=${encodeURIComponent('軟件')}`);
  assert.deepEqual(r.json.industries.map((i) => i.code), ['I', '65'], 'the section and its division');
  r = await anon.get(`/api/v1/industries?q=${encodeURIComponent('製造')}`);
  const codes = r.json.industries.map((i) => i.code);
  assert.ok(codes.includes('C') && codes.includes('39') && r.json.industries.every((i) => /制造/.test(i.name)), codes.join());
  r = await anon.get('/api/v1/industries?q=39');
  assert.equal(r.json.industries[0].name, '计算机、通信和其他电子设备制造业');
});
