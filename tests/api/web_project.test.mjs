// Cooperation projects through the HTML pages, as a browser without JavaScript: a coordinator
// records a project with amounts typed in 万元, a place named in either script, partner rows and
// tasks; refusals keep every input with the message by its field; a stale edit answers 409 with
// the input kept; the stage form moves forward and refuses a step back; the list filters; the
// signed-out list shows public projects only; en and zh-Hant show no bare message ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from './harness.mjs';
import { WebClient } from './web_client.mjs';

let server, api;
const b = {};
const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');
const hidden = (body, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1];

before(async () => {
  server = await startServer();
  for (const login of ['ln_coord', 'js_coord', 'pj_member', 'ly_member', 'ln_leader'])
    b[login] = await WebClient.signIn(server.base, login);
  api = await as(server, 'ln_coord');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

// A form as pairs: the partner rows repeat their names, in order.
function form(fields, partners = []) {
  const pairs = Object.entries(fields);
  pairs.push(['partners_shown', '1']);
  for (const p of partners)
    pairs.push(['partner_side', p.side], ['partner_unit', p.unit ?? ''], ['partner_enterprise', p.enterprise ?? ''],
      ['partner_code', p.code ?? '']);
  return pairs;
}

test('record a project with the form: 万元, a place in Traditional script, partners; errors keep the input', async () => {
  let r = await b.ln_coord.get('/projects/new');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<option value="39">  39 计算机、通信和其他电子设备制造业<\/option>/);
  assert.match(r.body, /<optgroup label="C 制造业">/);
  assert.match(r.body, /name="partner_side"/);

  // Too many decimals in 万元, a bad credit code: 422, messages by the fields, input kept.
  const typed = { name: '盘锦—无锡工业互联网平台', planned: '50,000', contracted: '1.23456', region: '盤錦',
    industry: '64', stage: 'signed' };
  r = await b.ln_coord.post('/projects', form(typed, [{ side: '1', enterprise: '无锡某科技有限公司', code: '91320200MA1P000010' }]));
  assert.equal(r.status, 422);
  noBareIds(r.body);
  assert.match(r.body, /id="contracted-error"[^>]*>以万元填写时最多保留四位小数。</);
  assert.match(r.body, /aria-describedby="contracted-error"/);
  assert.match(r.body, /value="1\.23456"/);
  assert.match(r.body, /value="盘锦—无锡工业互联网平台"/);
  assert.match(r.body, /value="50,000"/);
  assert.match(r.body, /value="无锡某科技有限公司"/);
  // Fix the amount; the credit code is still wrong: its row says so.
  r = await b.ln_coord.post('/projects', form({ ...typed, contracted: '12,000.5' },
    [{ side: '1', enterprise: '无锡某科技有限公司', code: '91320200MA1P000010' }]));
  assert.equal(r.status, 422);
  assert.match(r.body, /id="pu0-error"[^>]*>统一社会信用代码不正确/);
  assert.equal((await api.get('/api/v1/projects')).json.projects.length, 0, 'nothing stored');

  // Valid: 303 to the project page.
  r = await b.ln_coord.post('/projects', form({ ...typed, contracted: '12,000.5' },
    [{ side: '0', unit: String(server.units.panjin) }, { side: '1', enterprise: '无锡某科技有限公司', code: '' },
      { side: '0', unit: '', enterprise: '', code: '' }]));
  assert.equal(r.status, 303, r.body.slice(0, 400));
  const path = r.location.replace(/\?.*/, '');
  assert.match(r.location, /^\/projects\/\d+\?done=created$/);
  r = await b.ln_coord.get(r.location);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /项目已录入。/);
  assert.match(r.body, /<dd>12,000\.5<\/dd>/);
  assert.match(r.body, /<dd>50,000<\/dd>/);
  assert.match(r.body, /<dd>盘锦市<\/dd>/, 'the place resolved from 盤錦');
  assert.match(r.body, /盤錦市人民政府/);
  assert.match(r.body, /class="badge stage stage-signed">签约</);
  const id = Number(path.split('/')[2]);
  const p = (await api.get(`/api/v1/projects/${id}`)).json;
  assert.equal(p.invest_contracted_yuan, 120005000);
  assert.equal(p.partners.length, 2, 'the blank row is dropped');

  // The partner unit's member reads it; another unit's member is refused.
  assert.equal((await b.pj_member.get(path)).status, 200);
  assert.equal((await b.ly_member.get(path)).status, 403);
  assert.doesNotMatch((await b.pj_member.get(path)).body, /action="\/projects\/\d+\/stage"/, 'no stage form for a member');
});

test('edit: the form keeps partners; a stale save answers 409 with the input kept', async () => {
  const id = (await api.post('/api/v1/projects', { name: '辽阳—南通装备制造合作项目',
    partners: [{ side: 0, unit_id: server.units.liaoyang }] })).json.id;
  let r = await b.ln_coord.get(`/projects/${id}/edit`);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  const seen = hidden(r.body, 'updated_at');
  assert.match(r.body, new RegExp(`<option value="${server.units.liaoyang}" selected>`));
  // Meanwhile another coordinator's edit through the API.
  const etag = (await api.get(`/api/v1/projects/${id}`)).headers.get('etag');
  assert.equal((await api.patch(`/api/v1/projects/${id}`, { jobs: 10 }, { headers: { 'if-match': etag } })).status, 200);
  r = await b.ln_coord.post(`/projects/${id}/edit`, form({ name: '我输入的新名称', updated_at: seen, planned: '800' },
    [{ side: '0', unit: String(server.units.liaoyang) }]));
  assert.equal(r.status, 409);
  noBareIds(r.body);
  assert.match(r.body, /该项目已被他人修改/);
  assert.match(r.body, /value="我输入的新名称"/);
  // Saving again from this form carries the new version.
  r = await b.ln_coord.post(`/projects/${id}/edit`, form({ name: '我输入的新名称', updated_at: hidden(r.body, 'updated_at'), planned: '800' },
    [{ side: '0', unit: String(server.units.liaoyang) }]));
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const p = (await api.get(`/api/v1/projects/${id}`)).json;
  assert.equal(p.name, '我输入的新名称');
  assert.equal(p.invest_planned_yuan, 8000000);
  assert.equal(p.jobs, 10, 'the other edit is kept');
  assert.equal(p.partners.length, 1);
  // The other side's coordinator may not edit it.
  assert.equal((await b.js_coord.get(`/projects/${id}/edit`)).status, 403);
});

test('the stage form: forward with a date, a step back refused, stopping needs a reason', async () => {
  const id = (await api.post('/api/v1/projects', { name: '沈抚—苏州工业园区合作园区', stage: 'started' })).json.id;
  let r = await b.ln_coord.get(`/projects/${id}`);
  const seen = hidden(r.body, 'updated_at');
  assert.doesNotMatch(r.body, /<option value="signed"/, 'only forward stages and stopped are offered');
  r = await b.ln_coord.post(`/projects/${id}/stage`, { stage: 'signed', updated_at: seen });
  assert.equal(r.status, 409);
  assert.match(r.body, /项目阶段不能倒退/);
  r = await b.ln_coord.post(`/projects/${id}/stage`, { stage: 'stopped', reason: '', updated_at: seen });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="reason-error"[^>]*>中止项目或恢复已中止的项目时须填写原因。</);
  r = await b.ln_coord.post(`/projects/${id}/stage`, { stage: 'operating', on_date: '', updated_at: seen });
  assert.equal(r.status, 303);
  r = await b.ln_coord.get(r.location);
  assert.match(r.body, /阶段已变更。/);
  assert.match(r.body, /<ol class="timeline">[\s\S]*开工[\s\S]*投产[\s\S]*<\/ol>/);
});

test('the list: filters, a bad filter is 400, signed out the public projects only', async () => {
  const mk = async (name, industry, stage, pub) => (await api.post('/api/v1/projects', { name, industry, stage, public: pub,
    description: '内部说明文字' })).json.id;
  await mk('公开的制造业项目', '34', 'signed', true);
  await mk('内部的软件项目', '65', 'negotiating', false);
  let r = await b.ln_leader.get('/projects?industry=C');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /公开的制造业项目/);
  assert.doesNotMatch(r.body, /内部的软件项目/);
  r = await b.ln_leader.get('/projects?stage=negotiating');
  assert.match(r.body, /内部的软件项目/);
  assert.doesNotMatch(r.body, /公开的制造业项目/);
  assert.equal((await b.ln_leader.get('/projects?stage=paused')).status, 400);
  assert.equal((await b.ln_leader.get('/projects?year=twenty')).status, 400);
  assert.doesNotMatch(r.body, /href="\/projects\/new"/, 'a leader records no projects');
  assert.match((await b.ln_coord.get('/projects')).body, /href="\/projects\/new"/);

  const anon = new WebClient(server.base);
  r = await anon.get('/projects');
  assert.equal(r.status, 200);
  assert.match(r.body, /公开的制造业项目/);
  assert.doesNotMatch(r.body, /内部的软件项目/);
  assert.doesNotMatch(r.body, /内部说明文字/);
  assert.doesNotMatch(r.body, /href="\/projects\/\d+"/, 'no links to the signed-in pages');

  for (const lang of ['en', 'zh-Hant']) {
    for (const path of ['/projects', '/projects/new'])
      noBareIds((await b.ln_coord.get(`${path}?lang=${lang}`)).body);
    noBareIds((await anon.get(`/projects?lang=${lang}`)).body);
  }
});

test("the dashboard's projects block: counts that link to the projects behind them", async () => {
  const year = Number((await api.get('/healthz')).json.today.slice(0, 4));
  const r = await b.ln_leader.get(`/pairings/1/dashboard?year=${year}`);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  const block = /<section class="dash-projects"[\s\S]*?<\/section>/.exec(r.body)?.[0];
  assert.ok(block, 'the block is on the dashboard');
  // Every stage's count equals the length of the list it links to.
  for (const stage of ['negotiating', 'signed', 'started', 'operating', 'stopped']) {
    const m = new RegExp(`<a href="(/projects\\?pairing=1&amp;stage=${stage})">(\\d+)</a>`).exec(block);
    assert.ok(m, stage);
    const listed = (await api.get(`/api/v1/projects?pairing=1&stage=${stage}&limit=200`)).json.projects.length;
    assert.equal(Number(m[2]), listed, stage);
    const page = await b.ln_leader.get(m[1].replaceAll('&amp;', '&'));
    assert.equal(page.status, 200);
    assert.equal((page.body.match(/<tr><th scope="row" data-label="[^"]*"><a href="\/projects\/\d+"/g) ?? []).length, listed, stage);
  }
  // The year's signings and the per-side rows link to filtered lists.
  const signed = new RegExp(`<a href="/projects\\?pairing=1&amp;year=${year}">(\\d+)</a>`).exec(block);
  assert.equal(Number(signed[1]), (await api.get(`/api/v1/projects?pairing=1&year=${year}&limit=200`)).json.projects.length);
  assert.match(block, /<a href="\/projects\?pairing=1&amp;side=0">/);
  assert.match(block, /<a href="\/projects\?pairing=1&amp;city_pairing=3">盤錦市 — 無錫市<\/a>/);
  assert.match(block, /role="img"/, 'the pipeline chart');
});

test('progress through the forms: a partner reports, the lead office returns and accepts', async () => {
  b.ln_coord.jar.delete('lang'); // the list test chose other languages
  const id = (await api.post('/api/v1/projects', { name: '盘锦进展表单项目',
    partners: [{ side: 0, unit_id: server.units.panjin }] })).json.id;
  let r = await b.pj_member.get(`/projects/${id}`);
  assert.match(r.body, new RegExp(`action="/projects/${id}/updates"`));
  assert.doesNotMatch(r.body, /action="\/project-updates\/\d+\/review"/);
  r = await b.pj_member.post(`/projects/${id}/updates`, { body: '设备安装完成。', 'u-paid': '1.23456', 'u-jobs': '' });
  assert.equal(r.status, 422);
  noBareIds(r.body);
  assert.match(r.body, /id="u-paid-error"[^>]*>以万元填写时最多保留四位小数。</);
  assert.match(r.body, />设备安装完成。<\/textarea>/);
  r = await b.pj_member.post(`/projects/${id}/updates`, { body: '设备安装完成。', 'u-paid': '1,500', 'u-jobs': '60' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.equal(r.location, `/projects/${id}?done=update#updates`);
  r = await b.ln_coord.get(`/projects/${id}`);
  noBareIds(r.body);
  const upd = /action="\/project-updates\/(\d+)\/review"/.exec(r.body)?.[1];
  assert.ok(upd, 'the review form for the owning coordinator');
  r = await b.ln_coord.post(`/project-updates/${upd}/review`, { decision: 'returned', comment: '' });
  assert.equal(r.status, 422);
  assert.match(r.body, /退回时请填写意见。/);
  r = await b.ln_coord.post(`/project-updates/${upd}/review`, { decision: 'accepted', comment: '' });
  assert.equal(r.status, 303);
  r = await b.ln_coord.get(r.location.replace(/#.*/, ''));
  assert.match(r.body, /审核已保存。/);
  assert.match(r.body, /<dd>1,500<\/dd>/, 'the accepted paid-in investment is the project\'s');
  assert.match(r.body, /class="badge review-accepted">已通过</);
  assert.equal((await b.ln_coord.post(`/project-updates/${upd}/review`, { decision: 'accepted' })).status, 409);
});

test('platforms through the forms: hectares, running units, a stale edit keeps the input', async () => {
  b.ln_coord.jar.delete('lang');
  let r = await b.ln_coord.get('/platforms');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<form method="post" action="\/platforms">/);
  r = await b.ln_coord.post('/platforms', [['pairing', '1'], ['name', '沈抚—苏州工业园区合作园区'], ['kind', 'park'],
    ['region', '沈撫新區'], ['area', '12.34567'], ['founded', '2018'], ['units_shown', '1'], ['unit', String(server.units.panjin)]]);
  assert.equal(r.status, 422);
  assert.match(r.body, /id="area-error"[^>]*>面积应为公顷数，最多四位小数。</);
  assert.match(r.body, /value="沈抚—苏州工业园区合作园区"/);
  assert.match(r.body, new RegExp(`<option value="${server.units.panjin}" selected>`));
  r = await b.ln_coord.post('/platforms', [['pairing', '1'], ['name', '沈抚—苏州工业园区合作园区'], ['kind', 'park'],
    ['region', '沈撫新區'], ['area', '1,200.5'], ['founded', '2018'], ['units_shown', '1'], ['unit', String(server.units.panjin)]]);
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const path = r.location.replace(/\?.*/, '');
  r = await b.ln_leader.get(path);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<dd>1200\.5<\/dd>/);
  assert.match(r.body, /沈抚改革创新示范区/, 'the place from a short Traditional name');
  assert.match(r.body, /盤錦市人民政府/);
  assert.doesNotMatch(r.body, /action="\/platforms\/\d+"/, 'a leader does not edit');
  // the other side's coordinator edits; a stale copy is 409 with the input kept
  r = await b.js_coord.get(path);
  const seen = hidden(r.body, 'updated_at');
  const id = path.split('/')[2];
  const etag = (await api.get(`/api/v1/platforms/${id}`)).headers.get('etag');
  assert.equal((await api.patch(`/api/v1/platforms/${id}`, { founded: 2017 }, { headers: { 'if-match': etag } })).status, 200);
  r = await b.js_coord.post(path, { name: '我改的名称', kind: 'park', updated_at: seen });
  assert.equal(r.status, 409);
  assert.match(r.body, /value="我改的名称"/);
  r = await b.js_coord.post(path, { name: '我改的名称', kind: 'park', updated_at: hidden(r.body, 'updated_at') });
  assert.equal(r.status, 303);
  assert.equal((await api.get(`/api/v1/platforms/${id}`)).json.founded, 2017, 'the other edit kept');
});

test('funds through the forms: a budget in 万元, an allocation within it, what is spent', async () => {
  b.ln_coord.jar.delete('lang');
  const year = Number((await api.get('/healthz')).json.today.slice(0, 4));
  let r = await b.ln_coord.get(`/funds?year=${year}`);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  r = await b.ln_coord.post('/funds/budget', { year: String(year), side: '0', budget: '1.23456', doc_no: '辽合作发〔2026〕3号' });
  assert.equal(r.status, 422);
  assert.match(r.body, /以万元填写时最多保留四位小数。/);
  assert.match(r.body, /value="1\.23456"/);
  assert.match(r.body, /value="辽合作发〔2026〕3号"/);
  r = await b.ln_coord.post('/funds/budget', { year: String(year), side: '0', budget: '500', doc_no: '辽合作发〔2026〕3号' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  r = await b.ln_coord.get(r.location);
  const fund = /action="\/funds\/(\d+)\/allocations"/.exec(r.body)?.[1];
  assert.ok(fund);
  r = await b.ln_coord.post(`/funds/${fund}/allocations`, { year: String(year), project: '', purpose: '辽宁行对接活动', amount: '600', doc_no: '辽合作发〔2026〕5号' });
  assert.equal(r.status, 422);
  assert.match(r.body, /分配总额将超过当年专项工作经费预算。/);
  assert.match(r.body, /value="辽宁行对接活动"/);
  r = await b.ln_coord.post(`/funds/${fund}/allocations`, { year: String(year), project: '', purpose: '辽宁行对接活动', amount: '200', doc_no: '辽合作发〔2026〕5号' });
  assert.equal(r.status, 303);
  r = await b.ln_coord.get(r.location);
  const alloc = /action="\/fund-allocations\/(\d+)"/.exec(r.body)?.[1];
  const seen = new RegExp(`action="/fund-allocations/${alloc}"[\\s\\S]*?name="updated_at" value="([^"]*)"`).exec(r.body)?.[1];
  r = await b.ln_coord.post(`/fund-allocations/${alloc}`, { year: String(year), spent: '250', updated_at: seen });
  assert.equal(r.status, 422);
  assert.match(r.body, /已支出金额不能超过分配金额。/);
  r = await b.ln_coord.post(`/fund-allocations/${alloc}`, { year: String(year), spent: '80.5', updated_at: seen });
  assert.equal(r.status, 303);
  r = await b.ln_leader.get(`/funds?year=${year}`);
  assert.match(r.body, /<dd>500<\/dd>/);
  assert.match(r.body, /<dd>80\.5<\/dd>/);
  assert.doesNotMatch(r.body, /action="\/funds\/budget"/, 'a leader reads only');
  assert.match((await b.js_coord.get(`/funds?year=${year}`)).body, /action="\/funds\/budget"/, 'Jiangsu enters its own');
  assert.equal((await b.ln_leader.get('/funds?year=abc')).status, 400);
});
