// Units and accounts through the HTML pages (web/admin.c), as a browser without JavaScript:
// form POSTs with Origin and the CSRF field, 303s followed by hand. Checks the stored effect
// through the JSON API, a stale edit (409, input kept), the generated password shown once
// (and that it signs in), and the refusals: members, and a coordinator of the other side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, Client, PASSWORD, LJ } from './harness.mjs';
import { WebClient } from './web_client.mjs';

let server;
const b = {};


const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');
const hidden = (body, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1];

before(async () => {
  server = await startServer();
  for (const login of ['admin', 'ln_coord', 'js_coord', 'pj_member', 'ln_leader'])
    b[login] = await WebClient.signIn(server.base, login);
  b.api = await as(server, 'admin');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('a coordinator lists its side, creates a unit on it; errors keep the input', async () => {
  let r = await b.ln_coord.get('/units');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /盤錦市人民政府/);
  assert.doesNotMatch(r.body, /無錫市人民政府/, 'the other side is not listed');
  assert.match(r.body, /<form method="post" action="\/units">/);
  assert.doesNotMatch(r.body, /name="pairing"/, 'a coordinator does not choose the pairing');

  // A blank name: 422, the message beside the name, kind and tier kept.
  r = await b.ln_coord.post('/units', { name: '  ', kind: 'university', tier: 'decision' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="name-error">此项为必填项。</);
  assert.match(r.body, /aria-describedby="name-error"/);
  assert.match(r.body, /<option value="university" selected>/);
  assert.match(r.body, /<option value="decision" selected>/);

  r = await b.ln_coord.post('/units', { name: '辽宁省测试研究院', kind: 'institute', tier: 'execution' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const id = Number(/^\/units\/(\d+)\?done=created$/.exec(r.location)[1]);
  const api = await b.api.get(`/api/v1/units/${id}`);
  assert.equal(api.json.name, '辽宁省测试研究院');
  assert.equal(api.json.pairing_id, LJ);
  assert.equal(api.json.side, 0);
  assert.equal(api.json.kind, 'institute');
  r = await b.ln_coord.get(r.location);
  assert.match(r.body, /单位已新建。/);

  // The same name in the other script is the same unit: 409, input kept.
  r = await b.ln_coord.post('/units', { name: '遼寧省測試研究院', kind: 'park', tier: 'execution' });
  assert.equal(r.status, 409);
  assert.match(r.body, /id="name-error">已存在同名记录。</);
  assert.match(r.body, /value="遼寧省測試研究院"/);
});

test('an admin creates a unit on any pairing and side, filters the list', async () => {
  let r = await b.admin.post('/units', { pairing: '13', side: '1', name: '大連市測試單位', kind: 'enterprise', tier: 'execution' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const id = Number(/\/units\/(\d+)/.exec(r.location)[1]);
  assert.equal((await b.api.get(`/api/v1/units/${id}`)).json.pairing_id, 13);
  r = await b.admin.get('/units?pairing=13&side=1');
  assert.equal(r.status, 200);
  assert.match(r.body, /大連市測試單位/);
  assert.doesNotMatch(r.body, /盤錦市人民政府/);
  r = await b.admin.get('/units?side=7');
  assert.equal(r.status, 422);
  assert.match(r.body, /合作方应为 0 或 1。/);
  r = await b.admin.post('/units', { pairing: 'x', side: '0', name: '某單位', kind: 'city', tier: 'execution' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="pairing-error"/);
  assert.match(r.body, /value="某單位"/);
});

test('more than a page of units: the pager keeps the filters', async () => {
  for (let i = 1; i <= 50; i++) {
    const r = await b.api.post('/api/v1/units', { pairing_id: LJ, side: 1, name: `江蘇分頁單位${i}`, kind: 'department', tier: 'execution' });
    assert.equal(r.status, 201, r.body);
  }
  let r = await b.admin.get(`/units?pairing=${LJ}&side=1`);
  const names = (body) => [...body.matchAll(/江蘇分頁單位(\d+)/g)].map((m) => m[1]);
  const next = new RegExp(`<a href="(/units\\?pairing=${LJ}&amp;side=1&amp;after=\\d+)" rel="next">下一页</a>`).exec(r.body);
  assert.ok(next, 'a next link with both filters');
  const first = names(r.body);
  r = await b.admin.get(next[1].replaceAll('&amp;', '&'));
  assert.equal(r.status, 200);
  const second = names(r.body);
  assert.equal(new Set([...first, ...second]).size, 50, 'every unit once over the two pages');
  assert.doesNotMatch(r.body, /盤錦市人民政府/, 'still side 1: none of side 0');
  assert.match(r.body, new RegExp(`<a href="/units\\?pairing=${LJ}&amp;side=1">回到第一页</a>`));
  assert.doesNotMatch(r.body, /rel="next"/);
});

test('a stale edit is refused with 409, the input kept, and can then be saved', async () => {
  const id = server.units.liaoyang;
  let r = await b.ln_coord.get(`/units/${id}`);
  assert.equal(r.status, 200);
  const seen = hidden(r.body, 'updated_at');
  assert.ok(seen);
  // Someone else saves first.
  r = await b.admin.post(`/units/${id}`, { name: '遼陽市人民政府', kind: 'city', tier: 'coordination', updated_at: seen });
  assert.equal(r.status, 303);
  // The first form, sent now, is stale.
  r = await b.ln_coord.post(`/units/${id}`, { name: '遼陽市政府（改名）', kind: 'government', tier: 'execution', updated_at: seen });
  assert.equal(r.status, 409);
  noBareIds(r.body);
  assert.match(r.body, /value="遼陽市政府（改名）"/);
  assert.match(r.body, /<option value="government" selected>/);
  assert.match(r.body, /有人已修改并保存/);
  assert.match(r.body, /现已保存：/);
  assert.equal((await b.api.get(`/api/v1/units/${id}`)).json.tier, 'coordination', 'nothing written');
  // Sent again from the 409 page (it carries the current revision): saved.
  r = await b.ln_coord.post(`/units/${id}`, { name: '遼陽市政府（改名）', kind: 'government', tier: 'execution', updated_at: hidden(r.body, 'updated_at') });
  assert.equal(r.status, 303);
  assert.equal((await b.api.get(`/api/v1/units/${id}`)).json.name, '遼陽市政府（改名）');
});

test('a coordinator of side 1 cannot edit a unit of side 0', async () => {
  const id = server.units.panjin;
  let r = await b.js_coord.get(`/units/${id}`);
  assert.equal(r.status, 200, 'it may read its pairing');
  assert.doesNotMatch(r.body, new RegExp(`action="/units/${id}"`), 'but gets no form');
  const seen = (await b.api.get(`/api/v1/units/${id}`)).json.updated_at;
  r = await b.js_coord.post(`/units/${id}`, { name: '盤錦市（被改）', kind: 'city', tier: 'execution', updated_at: seen });
  assert.equal(r.status, 403);
  assert.equal((await b.api.get(`/api/v1/units/${id}`)).json.name, '盤錦市人民政府');
  r = await b.ln_leader.post(`/units/${id}`, { name: '盤錦市（被改）', kind: 'city', tier: 'execution', updated_at: seen });
  assert.equal(r.status, 403);
});

test('members get 403 on the administration pages', async () => {
  for (const path of ['/units', `/units/${server.units.panjin}`, '/users'])
    assert.equal((await b.pj_member.get(path)).status, 403, path);
  assert.equal((await b.pj_member.post('/units', { name: '偷建', kind: 'city', tier: 'execution' })).status, 403);
  assert.equal((await b.pj_member.post('/users', { login: 'sneaky', role: 'member', unit: String(server.units.panjin) })).status, 403);
  assert.equal((await b.ln_leader.get('/users')).status, 403);
});

test('creating an account shows its password once, and it signs in', async () => {
  let r = await b.ln_coord.get('/users');
  assert.equal(r.status, 200);
  assert.match(r.body, />pj_member</);
  assert.doesNotMatch(r.body, />wx_member</);
  assert.doesNotMatch(r.body, /<option value="admin"/, 'a coordinator creates members only');
  // A bad login: 422 beside the field, the other inputs kept.
  r = await b.ln_coord.post('/users', { login: '王', name: '王小明', role: 'member', unit: String(server.units.panjin), language: 'zh-Hant' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="login-error">账号须为/);
  assert.match(r.body, /value="王小明"/);
  assert.match(r.body, /<option value="zh-Hant" selected>/);
  assert.match(r.body, new RegExp(`<option value="${server.units.panjin}" selected>`));
  // A unit of the other side: refused beside the unit.
  r = await b.ln_coord.post('/users', { login: 'wx_clerk', role: 'member', unit: String(server.units.wuxi) });
  assert.equal(r.status, 403);
  assert.match(r.body, /id="unit-error"/);

  r = await b.ln_coord.post('/users', { login: 'pj_clerk2', name: '王小明', role: 'member', unit: String(server.units.panjin), language: 'zh-Hant' });
  assert.equal(r.status, 201, r.body.slice(0, 300));
  assert.match(r.cache, /no-store/);
  noBareIds(r.body);
  const password = /<code id="new-password">([^<]+)<\/code>/.exec(r.body)[1];
  assert.match(password, /^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  const id = Number(/href="\/users\/(\d+)"/.exec(r.body)[1]);
  const c = new Client(server.base);
  assert.equal((await c.login('pj_clerk2', password)).status, 201, 'the shown password signs in');
  // Never shown again.
  r = await b.ln_coord.get(`/users/${id}`);
  assert.equal(r.status, 200);
  assert.ok(!r.body.includes(password));
  assert.ok(!(await b.ln_coord.get('/users')).body.includes(password));
  // The same login again: 409 beside the login.
  r = await b.ln_coord.post('/users', { login: 'PJ_Clerk2', role: 'member', unit: String(server.units.panjin) });
  assert.equal(r.status, 409);
  assert.match(r.body, /id="login-error">该账号已被使用。</);
});

test('editing an account: name, language, disable (its sessions end); not oneself', async () => {
  const api = await b.api.post('/api/v1/users', { login: 'ly_clerk', role: 'member', unit_id: server.units.liaoyang, password: PASSWORD });
  assert.equal(api.status, 201);
  const id = api.json.id;
  const clerk = await as(server, 'ly_clerk');
  let r = await b.ln_coord.get(`/users/${id}`);
  const seen = hidden(r.body, 'updated_at');
  r = await b.ln_coord.post(`/users/${id}`, { name: '遼陽填報員', role: 'member', unit: String(server.units.liaoyang), language: 'en', disabled: '1', updated_at: seen });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const now = (await b.api.get(`/api/v1/users/${id}`)).json;
  assert.equal(now.name, '遼陽填報員');
  assert.equal(now.language, 'en');
  assert.equal(now.disabled, true);
  assert.equal((await clerk.get('/api/v1/me')).status, 401, 'its session ended');
  // A stale form: 409, input kept.
  r = await b.ln_coord.post(`/users/${id}`, { name: '另一個名字', role: 'member', unit: String(server.units.liaoyang), language: 'zh-Hans', updated_at: seen });
  assert.equal(r.status, 409);
  assert.match(r.body, /value="另一個名字"/);
  // Nobody disables themselves.
  const me = (await b.api.get('/api/v1/me')).json.user.id;
  r = await b.admin.get(`/users/${me}`);
  r = await b.admin.post(`/users/${me}`, { name: 'admin', role: 'admin', unit: '', language: 'zh-Hans', disabled: '1', updated_at: hidden(r.body, 'updated_at') });
  assert.equal(r.status, 409);
  assert.match(r.body, /id="disabled-error">不能停用自己的账号。</);
  // A coordinator cannot edit the other side's account.
  const wx = (await b.api.get('/api/v1/users')).json.users.find((u) => u.login === 'wx_member');
  assert.equal((await b.ln_coord.get(`/users/${wx.id}`)).status, 403);
  assert.equal((await b.ln_coord.post(`/users/${wx.id}`, { name: 'x', role: 'member', updated_at: wx.updated_at })).status, 403);
});
