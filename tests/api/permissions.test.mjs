// The permission matrix: every route × every role, on its own unit and side and on others'.
// "allow" means the handler did the work: a 2xx or 3xx, or the one status a case names
// (expectStatus) for a request refused on its merits, such as a 422 of a form that does not
// validate — never a 404 or a 5xx, which would hide a route that fails for everyone; "deny"
// means 403 for a signed-in user and 401 for an anonymous one — except on HTML pages (routes
// outside /api/), where an anonymous request is sent to the sign-in page: 303 to /login, or for
// a form sent from this site the sign-in form itself (401) carrying the submission; and except
// for the other pairing's user on a route with ids, who gets exactly the answer of ids that
// do not exist (no enumeration, issue #10) and changes nothing. The
// last test fails when a route of the routing table is missing here, so a new route cannot
// skip this table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { makeXlsx } from './xlsx.mjs';
import { startServer, as, Client, BIN, SEED } from './harness.mjs';
import { readFileSync } from 'node:fs';
import { creditCode } from './credit_code.mjs';

// anon; LJ pairing side 0: pj_member (盤錦), ly_member (遼陽), ln_coord, ln_leader;
// LJ side 1: wx_member (無錫), js_coord; SD pairing: dl_coord; admin.
const ACTORS = ['anon', 'pj_member', 'ly_member', 'wx_member', 'ln_coord', 'js_coord', 'ln_leader',
  'dl_coord', 'admin'];
const SIGNED_IN = ACTORS.filter((a) => a !== 'anon');
const LJ_USERS = ['pj_member', 'ly_member', 'wx_member', 'ln_coord', 'js_coord', 'ln_leader', 'admin'];
// The other pairing's users on LJ's objects (see sameAsMissing); dl_member only there.
const OTHER = 'dl_coord';
const OTHER_MEMBER = 'dl_member';

let server;
const client = {};
const fx = {}; // fixture ids
let serial = 0;

// An account nobody signs in with (its sessions may be ended), made by the admin: its id.
async function freshAccount() {
  const r = await client.admin.post('/api/v1/users', { login: `careclerk${++serial}`, role: 'member', unit_id: server.units.panjin });
  return r.json.id;
}

async function fresh(actor) {
  if (actor === 'anon') return new Client(server.base);
  return as(server, actor);
}

before(async () => {
  server = await startServer();
  for (const a of ACTORS) client[a] = await fresh(a);
  client[OTHER_MEMBER] = await fresh(OTHER_MEMBER);
  const admin = client.admin;
  const plan = await admin.get('/api/v1/plans/1');
  fx.task7 = plan.json.areas.flatMap((a) => a.tasks).find((t) => t.number === 7).id;
  const wp = await client.ln_coord.post('/api/v1/work-plans', { pairing_id: 1, year: 2026 });
  fx.wp = wp.json.id;
  fx.itemP = (await client.ln_coord.post(`/api/v1/work-plans/${fx.wp}/items`, {
    title: '盤錦項目對接', owner_unit_id: server.units.panjin, due: '2026-12-20', task_id: fx.task7,
  })).json.id;
  fx.itemW = (await client.js_coord.post(`/api/v1/work-plans/${fx.wp}/items`, {
    title: '無錫項目對接', owner_unit_id: server.units.wuxi, due: '2026-12-20',
  })).json.id;
  fx.reportP = (await client.pj_member.post(`/api/v1/work-items/${fx.itemP}/reports`, report())).json.id;
  fx.pjUser = (await client.pj_member.get('/api/v1/me')).json.user.id;
  fx.notice = await publishedNotice();
  fx.project = await project();
  fx.attachment = (await client.pj_member.request('POST', '/api/v1/attachments', { body: upload({ object: 'project', object_id: String(fx.project) }) })).json.id;
  assert.ok(fx.attachment);
  fx.platform = (await client.ln_coord.post('/api/v1/platforms', { name: '合作园区', kind: 'park' })).json.id;
  // 干部挂职 (#12): 盤錦 to 無錫, recorded by Liaoning's lead office
  fx.exchange = (await client.ln_coord.post('/api/v1/exchanges', { kind: 'secondment', title: '挂职', person_name: '王晓明', from_unit_id: server.units.panjin, host_unit_id: server.units.wuxi, starts: '2026-03-01', ends: '2027-02-28' })).json.id;
  assert.ok(fx.exchange);
  fx.enterprise = await enterprise(); // 企业库: an enterprise of LJ's Liaoning side
  fx.workFund = (await client.ln_coord.put('/api/v1/work-funds', { year: 2026, budget_wan: '100000' })).json.id;
  fx.allocation = (await client.ln_coord.post(`/api/v1/work-funds/${fx.workFund}/allocations`, { purpose: '对接活动', amount_wan: '1', doc_no: '文号' })).json.id;
  fx.industryFund = (await client.ln_coord.post('/api/v1/industry-funds', { name: '产业基金', size_wan: '1000' })).json.id;
  assert.ok(fx.workFund && fx.allocation && fx.industryFund, JSON.stringify(fx));
  // a published 通报 (a draft is its writers' alone: to others it does not exist)
  fx.circular = (await client.ln_coord.post('/api/v1/circulars', { pairing_id: 1, side: 0, year: 2026 })).json.id;
  assert.equal((await client.ln_coord.post(`/api/v1/circulars/${fx.circular}/publish`)).status, 200);
  assert.ok(fx.itemP && fx.itemW && fx.reportP, JSON.stringify(fx));
  // a closed 考核评估, driven through every step by an admin (who may take each)
  fx.evaluation = await openEvaluation();
  const hand = { organisation: 80, innovation: 80 }; // events and exchanges are computed
  for (const [action, side] of [['self', 0], ['self', 1], ['opinion', 0], ['opinion', 1], ['confirm', 0]])
    assert.equal((await admin.post(`/api/v1/evaluations/${fx.evaluation}/steps`, { action, side, text: '文字', scores: action === 'self' ? hand : undefined })).status, 200, action);
  // events (#12): an event of LJ that 盤錦 organises, with a registration and an outcome
  await eventFixtures();
});

after(async () => { await server?.stop(); });

// A published notice of the LJ pairing, written by its coordinator: its id.
async function publishedNotice() {
  const id = (await client.ln_coord.post('/api/v1/notices', { title: `通知${++serial}`, body: '正文' })).json.id;
  assert.equal((await client.ln_coord.post(`/api/v1/notices/${id}/publish`)).status, 200);
  return id;
}

// A draft 考核评估 of LJ, each of a year of its own (2040 on), made by the admin: its id.
let evaluationYear = 2040;
async function draftEvaluation() {
  const r = await client.admin.post('/api/v1/evaluations', { pairing_id: 1, year: evaluationYear++ });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}
async function openEvaluation() {
  const id = await draftEvaluation();
  assert.equal((await client.admin.post(`/api/v1/evaluations/${id}/open`)).status, 200);
  return id;
}

// A project of LJ's Liaoning side with 盤錦 as a partner, recorded by ln_coord: its id.
async function project() {
  const r = await client.ln_coord.post('/api/v1/projects', { name: `合作项目${++serial}`, partners: [{ side: 0, unit_id: server.units.panjin }] });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}

// An enterprise of LJ's Liaoning side (企业库) with a credit code of its own, recorded by
// ln_coord: its id.
async function enterprise() {
  const n = ++serial;
  const r = await client.ln_coord.post('/api/v1/enterprises', { name: `权限企业${n}`, credit_code: creditCode(700000 + n) });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}

// A multipart body with a small PNG in "file" and the given text fields.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
function upload(fields) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
  return fd;
}

// An .xlsx of one report on 盤錦's item (a new period each time, so a commit is never a repeat).
const IMPORTERS = SIGNED_IN.filter((a) => a !== 'ln_leader');
function importForm() {
  const fd = new FormData();
  fd.append('kind', 'reports');
  const month = String(1 + (++serial % 12)).padStart(2, '0');
  fd.append('file', new Blob([makeXlsx([['事项编号', '报告期', '状态', '完成比例', '进展情况'],
    [fx.itemP, `2026-${month}`, '正常推进', serial % 90, `导入 ${serial}`]])]), 'ledger.xlsx');
  return fd;
}
// A preview made by actor a (its own; 1 for those who cannot make one).
async function ownImport(a) {
  if (a === 'anon' || a === 'ln_leader') return 1;
  const r = await client[a].request('POST', '/api/v1/imports', { body: importForm() });
  assert.equal(r.status, 200, r.body);
  return r.json.id;
}

// The seed plans as an uploaded file, and an upload waiting for actor a (1 for the others).
function planForm() {
  const fd = new FormData();
  fd.append('file', new Blob([readFileSync(SEED)]), 'plan.txt');
  return fd;
}
async function ownPlanUpload(a) {
  if (a !== 'admin') return 1;
  const r = await client.admin.request('POST', '/api/v1/plan-uploads', { body: planForm() });
  assert.equal(r.status, 200, r.body.slice(0, 200));
  return r.json.id;
}

// A pending progress update by 盤錦's member on fx.project: its id.
async function projectUpdate() {
  const r = await client.pj_member.post(`/api/v1/projects/${fx.project}/updates`, { body: `进展${++serial}` });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}

// The project's current version: its updated_at (forms) and its ETag (API).
async function projectVersion(id) {
  const r = await client.admin.get(`/api/v1/projects/${id}`);
  return { updated_at: r.json.updated_at, etag: r.headers.get('etag') };
}

// The notice's current version: its updated_at (forms) and its ETag (API).
async function noticeVersion(id) {
  const r = await client.admin.get(`/api/v1/notices/${id}`);
  return { updated_at: r.json.updated_at, etag: r.headers.get('etag') };
}

function report() {
  return { period: '2026-11', status: 'on_track', percent: 40, narrative: `進展正常（${++serial}）` };
}

// The fingerprinted stylesheet the portal links to.
async function stylesheet() {
  return /href="(\/assets\/app\.[0-9a-f]+\.css)"/.exec((await client.anon.get('/')).body)[1];
}

// updated_at of a unit or account, as its edit form carries it.
async function updatedAt(path) {
  return (await client.admin.get(path)).json.updated_at;
}

async function etag(path) {
  return (await client.admin.get(path)).headers.get('etag');
}

// The revision a page's hidden field would carry (the JSON's revision of the same thing).
async function revision(path) {
  return String((await client.admin.get(path)).json.revision);
}

// ---- events (#12) ---------------------------------------------------------------------
// A new enterprise of LJ's Liaoning side, recorded by ln_coord: its id.
async function enterpriseId() {
  const r = await client.ln_coord.post('/api/v1/enterprises', { name: `接口企业${++serial}有限公司`, side: 0 });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}
// A side-0 enterprise registered at fx.event by ln_coord: the registration's id.
async function registration() {
  const r = await client.ln_coord.post(`/api/v1/events/${fx.event}/registrations`, { enterprise_id: await enterpriseId() });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}
// An intention at fx.event between fx.registration and nobody else, by ln_coord: its id.
async function outcome() {
  const r = await client.ln_coord.post(`/api/v1/events/${fx.event}/outcomes`, { kind: 'intention', title: `意向${++serial}`, amount_wan: '5', registration_ids: [fx.registration] });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}
async function eventFixtures() {
  const e = await client.ln_coord.post('/api/v1/events', { kind: 'docking', title: '辽宁行对接活动', host_side: 0, starts: '2099-06-01T09:00', ends: '2099-06-01T17:00', capacity: 500, unit_ids: [server.units.panjin] });
  assert.equal(e.status, 201, e.body);
  fx.event = e.json.id;
  fx.registration = await registration();
  fx.registrationNumber = (await client.admin.get(`/api/v1/registrations/${fx.registration}`)).json.number;
  fx.outcome = await outcome();
  // a personal calendar feed of pj_member's, made on the account page: its token
  const feed = await client.pj_member.request('POST', '/account/calendar', { form: {} });
  fx.calendarToken = /\/calendar\/(cal_[A-Za-z0-9_-]+)\.ics/.exec(feed.body)?.[1];
  assert.ok(fx.calendarToken, feed.body.slice(0, 200));
}

// Each case: method, route pattern (as `duikou routes` prints it), allowed actors, and
// prepare(actor) → {path, json?, headers?, client?} building the request.
const CASES = [
  { m: 'GET', route: '/healthz', allow: ACTORS, prepare: () => ({ path: '/healthz' }) },
  { m: 'GET', route: '/', allow: ACTORS, prepare: () => ({ path: '/' }) },
  { m: 'GET', route: '/plans/{id}', allow: ACTORS, prepare: () => ({ path: '/plans/2' }) },
  { m: 'GET', route: '/assets/{file}', allow: ACTORS, prepare: async () => ({ path: await stylesheet() }) },
  { m: 'GET', route: '/login', allow: ACTORS, prepare: () => ({ path: '/login' }) },
  { m: 'POST', route: '/login', allow: ACTORS,
    prepare: () => ({ path: '/login', form: { login: 'nobody', password: 'wrong-password' }, client: new Client(server.base), expectStatus: 401 }) },
  { m: 'POST', route: '/logout', allow: SIGNED_IN,
    prepare: async (a) => ({ path: '/logout', form: {}, client: await fresh(a) }) },
  { m: 'GET', route: '/account', allow: SIGNED_IN, prepare: () => ({ path: '/account' }) },
  // two-factor sign-in (web/two_factor.c): a second step without a pending token is 401; a
  // code that matches nothing and a wrong password are refused on their merits (422)
  { m: 'POST', route: '/login/two-factor', allow: ACTORS,
    prepare: () => ({ path: '/login/two-factor', form: { pending: 'none', code: '123456' }, client: new Client(server.base), expectStatus: 401 }) },
  { m: 'GET', route: '/account/two-factor', allow: SIGNED_IN, prepare: () => ({ path: '/account/two-factor' }) },
  { m: 'POST', route: '/account/two-factor/start', allow: SIGNED_IN, prepare: () => ({ path: '/account/two-factor/start', form: {} }) },
  { m: 'POST', route: '/account/two-factor/confirm', allow: SIGNED_IN,
    prepare: () => ({ path: '/account/two-factor/confirm', form: { code: 'x' }, expectStatus: 422 }) },
  { m: 'POST', route: '/account/two-factor/disable', allow: SIGNED_IN,
    prepare: () => ({ path: '/account/two-factor/disable', form: { password: 'not-my-password', code: '123456' }, expectStatus: 422 }) },
  // A repeat that differs is refused before the old password is checked (no lock counted).
  { m: 'POST', route: '/account/password', allow: SIGNED_IN,
    prepare: () => ({ path: '/account/password', form: { old_password: 'not-my-password', new_password: 'Another-long-pass-9', new_password2: 'Another-long-pass-8' }, expectStatus: 422 }) },
  // A fresh client: the answer sets the lang cookie, which the test client would keep instead of the session.
  { m: 'POST', route: '/account/language', allow: SIGNED_IN,
    prepare: async (a) => ({ path: '/account/language', form: { language: 'zh-Hans' }, client: await fresh(a) }) },
  { m: 'GET', route: '/my', allow: SIGNED_IN, prepare: () => ({ path: '/my' }) },
  { m: 'GET', route: '/items/{id}/report', allow: ['pj_member', 'admin'], prepare: () => ({ path: `/items/${fx.itemP}/report` }) },
  { m: 'POST', route: '/items/{id}/report', allow: ['pj_member', 'admin'],
    prepare: () => ({ path: `/items/${fx.itemP}/report`, form: report() }) },
  { m: 'GET', route: '/reviews', allow: ['ln_coord', 'js_coord', 'ln_leader', 'dl_coord', 'admin'], prepare: () => ({ path: '/reviews' }) },
  // the reports ledger of one's own pairing (a member: its unit's reports)
  { m: 'GET', route: '/reports', allow: SIGNED_IN, prepare: () => ({ path: '/reports' }) },
  { m: 'POST', route: '/reports/{id}/review', allow: ['ln_coord', 'admin'],
    prepare: async () => {
      const id = (await client.pj_member.post(`/api/v1/work-items/${fx.itemP}/reports`, report())).json.id;
      return { path: `/reports/${id}/review`, form: { decision: 'accepted' } };
    } },
  { m: 'POST', route: '/reviews/accept', ids: ['report'], allow: ['ln_coord', 'admin'],
    prepare: async () => {
      const id = (await client.pj_member.post(`/api/v1/work-items/${fx.itemP}/reports`, report())).json.id;
      return { path: '/reviews/accept', form: { report: String(id) } };
    } },
  // The dashboard: users of the pairing (dl_coord is of the other one); /dashboard answers
  // everyone signed in with 303 to their own pairing's page.
  { m: 'GET', route: '/pairings/{id}/dashboard', allow: LJ_USERS, prepare: () => ({ path: '/pairings/1/dashboard' }) },
  { m: 'GET', route: '/pairings/{id}/items', allow: LJ_USERS, prepare: () => ({ path: '/pairings/1/items?light=red' }) },
  { m: 'GET', route: '/dashboard', allow: SIGNED_IN, prepare: () => ({ path: '/dashboard', expectStatus: 303 }) },
  { m: 'GET', route: '/tasks/{id}', allow: LJ_USERS, prepare: () => ({ path: `/tasks/${fx.task7}` }) },
  // The assignment page: a coordinator for its own side of the plan's pairing, or an admin.
  { m: 'GET', route: '/plans/{id}/assign', allow: ['ln_coord', 'js_coord', 'admin'], prepare: () => ({ path: '/plans/1/assign' }) },
  { m: 'GET', route: '/assign', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'], prepare: () => ({ path: '/assign', expectStatus: 303 }) },
  { m: 'POST', route: '/plans/{id}/assign', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: '/plans/1/assign', form: {}, expectStatus: 303 }) },
  // Plans uploaded as files (#14): admins only, each its own upload (the seed again: unchanged).
  { m: 'GET', route: '/plans/import', allow: ['admin'], prepare: () => ({ path: '/plans/import' }) },
  { m: 'POST', route: '/plans/import', allow: ['admin'], prepare: () => ({ path: '/plans/import', body: planForm() }) },
  { m: 'GET', route: '/plans/import/{id}', allow: ['admin'], prepare: async (a) => ({ path: `/plans/import/${await ownPlanUpload(a)}` }) },
  { m: 'POST', route: '/plans/import/{id}/confirm', allow: ['admin'],
    prepare: async (a) => ({ path: `/plans/import/${await ownPlanUpload(a)}/confirm`, form: {} }) },
  { m: 'POST', route: '/plans/import/{id}/cancel', allow: ['admin'],
    prepare: async (a) => ({ path: `/plans/import/${await ownPlanUpload(a)}/cancel`, form: {} }) },
  { m: 'POST', route: '/api/v1/plan-uploads', allow: ['admin'], prepare: () => ({ path: '/api/v1/plan-uploads', body: planForm() }) },
  { m: 'GET', route: '/api/v1/plan-uploads/{id}', allow: ['admin'], prepare: async (a) => ({ path: `/api/v1/plan-uploads/${await ownPlanUpload(a)}` }) },
  { m: 'POST', route: '/api/v1/plan-uploads/{id}/confirm', allow: ['admin'],
    prepare: async (a) => ({ path: `/api/v1/plan-uploads/${await ownPlanUpload(a)}/confirm` }) },
  { m: 'DELETE', route: '/api/v1/plan-uploads/{id}', allow: ['admin'], prepare: async (a) => ({ path: `/api/v1/plan-uploads/${await ownPlanUpload(a)}` }) },
  // Administration, audit log and search pages (web/admin.c, web/audit.c, web/search.c).
  // An edit without the revision it was loaded at is stale (409): past every permission.
  { m: 'GET', route: '/units', allow: ['ln_coord', 'js_coord', 'ln_leader', 'dl_coord', 'admin'], prepare: () => ({ path: '/units' }) },
  { m: 'POST', route: '/units', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/units', form: { pairing: '1', side: '0', name: `頁面測試單位${++serial}`, kind: 'department', tier: 'execution' } }) },
  { m: 'GET', route: '/units/{id}', allow: ['ln_coord', 'js_coord', 'ln_leader', 'admin'], prepare: () => ({ path: `/units/${server.units.panjin}` }) },
  { m: 'POST', route: '/units/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/units/${server.units.liaoyang}`, form: { name: '遼陽市人民政府', kind: 'city', tier: 'execution', updated_at: await updatedAt(`/api/v1/units/${server.units.liaoyang}`) } }) },
  { m: 'GET', route: '/users', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'], prepare: () => ({ path: '/users' }) },
  { m: 'POST', route: '/users', ids: ['unit'], allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: '/users', form: { login: `pageclerk${++serial}`, role: 'member', unit: String(server.units.panjin) } }) },
  { m: 'GET', route: '/users/{id}', allow: ['ln_coord', 'admin'], prepare: () => ({ path: `/users/${fx.pjUser}` }) },
  { m: 'POST', route: '/users/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/users/${fx.pjUser}`, form: { name: 'pj_member', role: 'member', unit: String(server.units.panjin), language: 'zh-Hans', updated_at: await updatedAt(`/api/v1/users/${fx.pjUser}`) } }) },
  // 三员分立's care of an account (an admin's without --mlps); sessions end of a fresh account
  { m: 'POST', route: '/users/{id}/unlock', allow: ['admin'], prepare: () => ({ path: `/users/${fx.pjUser}/unlock`, form: {} }) },
  { m: 'POST', route: '/users/{id}/sessions/revoke', allow: ['admin'], prepare: async () => ({ path: `/users/${await freshAccount()}/sessions/revoke`, form: {} }) },
  { m: 'GET', route: '/audit', allow: ['ln_leader', 'admin'], prepare: () => ({ path: '/audit?what=unit.' }) },
  { m: 'GET', route: '/search', allow: SIGNED_IN, prepare: () => ({ path: `/search?q=${encodeURIComponent('盤錦')}` }) },
  // The work plan editor (web/work_plan.c): forms carry the revision the page showed.
  { m: 'GET', route: '/work-plans', allow: SIGNED_IN, prepare: () => ({ path: '/work-plans' }) },
  // A coordinator opens its own pairing's year (dl_coord: Shanghai–Dalian); admin names the pairing.
  { m: 'POST', route: '/work-plans', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/work-plans', form: { year: '2026', pairing: '1' } }) },
  { m: 'GET', route: '/work-plans/{id}', allow: LJ_USERS, prepare: () => ({ path: `/work-plans/${fx.wp}` }) },
  // js_coord may not add an item whose owner is on Liaoning's side.
  { m: 'POST', route: '/work-plans/{id}/items', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/work-plans/${fx.wp}/items`,
      form: { revision: await revision(`/api/v1/work-plans/${fx.wp}`), title: `盤錦網頁事項${++serial}`, owner_unit_id: String(server.units.panjin), due: '2026-12-01' } }) },
  // Once the first allowed actor has submitted, the others meet a submitted plan: 409.
  { m: 'POST', route: '/work-plans/{id}/submit', allow: ['ln_coord', 'js_coord', 'admin'], merits: [409],
    prepare: async () => ({ path: `/work-plans/${fx.wp}/submit`, form: { revision: await revision(`/api/v1/work-plans/${fx.wp}`) } }) },
  // Both sides approve; the admin then meets an agreed plan: 409.
  { m: 'POST', route: '/work-plans/{id}/approve', allow: ['ln_coord', 'js_coord', 'admin'], merits: [409],
    prepare: async () => ({ path: `/work-plans/${fx.wp}/approve`, form: { revision: await revision(`/api/v1/work-plans/${fx.wp}`), side: '0' } }) },
  { m: 'POST', route: '/work-plans/{id}/reporting', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/work-plans/${fx.wp}/reporting`, form: { cycle: 'monthly', due_day: '5' } }) },
  { m: 'POST', route: '/reporting/urge', ids: ['unit'], allow: ['ln_coord', 'admin'], merits: [409],
    prepare: () => ({ path: '/reporting/urge', form: { unit: String(server.units.panjin), year: '2026' } }) },
  { m: 'GET', route: '/reporting', allow: SIGNED_IN, prepare: () => ({ path: '/reporting' }) },
  { m: 'GET', route: '/inbox', allow: SIGNED_IN, prepare: () => ({ path: '/inbox' }) },
  // Another's notification (or none): 303 to /inbox, nothing marked.
  { m: 'POST', route: '/inbox/{id}/open', allow: SIGNED_IN, prepare: () => ({ path: '/inbox/999999/open', form: {} }) },
  { m: 'POST', route: '/inbox/read-all', allow: SIGNED_IN, prepare: () => ({ path: '/inbox/read-all', form: {} }) },
  { m: 'GET', route: '/circulars', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/circulars?pairing=1' }) },
  { m: 'POST', route: '/circulars', ids: ['pairing'], allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: '/circulars', form: { pairing: '1', side: '0', year: '2026', period: '' } }) },
  { m: 'GET', route: '/circulars/{id}', allow: LJ_USERS, prepare: () => ({ path: `/circulars/${fx.circular}` }) },
  { m: 'GET', route: '/circulars/{id}/export.xlsx', allow: LJ_USERS, prepare: () => ({ path: `/circulars/${fx.circular}/export.xlsx` }) },
  // Published: its writers meet a fixed circular (409); everyone else is refused first.
  { m: 'POST', route: '/circulars/{id}/edit', allow: ['ln_coord', 'admin'], merits: [409],
    prepare: () => ({ path: `/circulars/${fx.circular}/edit`, form: { title: '改', body: '改。' } }) },
  { m: 'POST', route: '/circulars/{id}/publish', allow: ['ln_coord', 'admin'], merits: [409],
    prepare: () => ({ path: `/circulars/${fx.circular}/publish`, form: {} }) },
  // 考核评估 pages (web/evaluation.c): the same rules as the API, through the forms; the links
  // an explanation leads to (a work item's place in its plan, a report's page). Years are
  // few (2040–2100): only those allowed get a new year or a new draft, the others one shared.
  { m: 'GET', route: '/evaluations', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/evaluations?pairing=1' }) },
  { m: 'POST', route: '/evaluations', ids: ['pairing'], allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: (a) => ({ path: '/evaluations', form: { pairing: '1', year: String(['ln_coord', 'js_coord', 'admin'].includes(a) ? evaluationYear++ : 2039) } }) },
  { m: 'GET', route: '/evaluations/{id}', allow: LJ_USERS, prepare: () => ({ path: `/evaluations/${fx.evaluation}` }) },
  { m: 'POST', route: '/evaluations/{id}/indicators', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/evaluations/${fx.webDraft ??= await draftEvaluation()}/indicators`,
      form: { rows: '1', key_0: 'work', name_0: '工作', weight_0: '100', method_0: 'items_done' } }) },
  { m: 'POST', route: '/evaluations/{id}/open', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async (a) => ({ path: `/evaluations/${['ln_coord', 'js_coord', 'admin'].includes(a) ? await draftEvaluation() : (fx.webDraft ??= await draftEvaluation())}/open`, form: {} }) },
  { m: 'POST', route: '/evaluations/{id}/steps', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/evaluations/${fx.webOpen ??= await openEvaluation()}/steps`, form: { form: 'self', action: 'save', side: '0', text: '草稿' } }) },
  { m: 'POST', route: '/evaluations/{id}/commend', allow: ['ln_leader', 'admin'],
    prepare: () => ({ path: `/evaluations/${fx.evaluation}/commend`, form: {} }) },
  { m: 'GET', route: '/evaluations/{id}/units/{id}', allow: LJ_USERS,
    prepare: () => ({ path: `/evaluations/${fx.evaluation}/units/${server.units.panjin}` }) },
  { m: 'GET', route: '/evaluations/{id}/cities/{id}', allow: LJ_USERS, prepare: () => ({ path: `/evaluations/${fx.evaluation}/cities/3` }) },
  { m: 'GET', route: '/evaluations/{id}/sides/0', allow: LJ_USERS, prepare: () => ({ path: `/evaluations/${fx.evaluation}/sides/0` }) },
  { m: 'GET', route: '/evaluations/{id}/sides/1', allow: LJ_USERS, prepare: () => ({ path: `/evaluations/${fx.evaluation}/sides/1` }) },
  { m: 'POST', route: '/evaluations/{id}/sides/0/evidence', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/evaluations/${fx.webOpen ??= await openEvaluation()}/sides/0/evidence`, body: upload({}) }) },
  { m: 'POST', route: '/evaluations/{id}/sides/1/evidence', allow: ['js_coord', 'admin'],
    prepare: async () => ({ path: `/evaluations/${fx.webOpen ??= await openEvaluation()}/sides/1/evidence`, body: upload({}) }) },
  { m: 'GET', route: '/evaluations/{id}/report', allow: LJ_USERS, prepare: () => ({ path: `/evaluations/${fx.evaluation}/report` }) },
  { m: 'GET', route: '/evaluations/{id}/export.xlsx', allow: LJ_USERS, prepare: () => ({ path: `/evaluations/${fx.evaluation}/export.xlsx` }) },
  { m: 'GET', route: '/work-items/{id}', allow: LJ_USERS, prepare: () => ({ path: `/work-items/${fx.itemP}` }) },
  { m: 'GET', route: '/reports/{id}', allow: LJ_USERS, prepare: () => ({ path: `/reports/${fx.reportP}` }) },
  { m: 'POST', route: '/account/mail', allow: SIGNED_IN,
    prepare: () => ({ path: '/account/mail', form: { email: '', report_due: 'mail', report_missing: 'mail',
      report_urged: 'mail', report_returned: 'mail', plan_submitted: 'mail', review_waiting: 'mail', plan_reopened: 'mail',
      project_stage: 'mail', evaluation_step: 'mail', event_registration: 'mail' } }) },
  { m: 'GET', route: '/work-items/{id}/edit', allow: ['ln_coord', 'admin'], prepare: () => ({ path: `/work-items/${fx.itemP}/edit` }) },
  { m: 'POST', route: '/work-items/{id}/edit', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/work-items/${fx.itemP}/edit`,
      form: { revision: await revision(`/api/v1/work-items/${fx.itemP}`), title: '盤錦項目對接', task_id: String(fx.task7), owner_unit_id: String(server.units.panjin), due: '2026-12-20' } }) },
  // Without confirm=yes the answer is the confirmation page: the permission shows, nothing is removed.
  { m: 'POST', route: '/work-items/{id}/remove', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/work-items/${fx.itemP}/remove`, form: { revision: await revision(`/api/v1/work-items/${fx.itemP}`) } }) },
  // Notices: anyone reads the published ones; the pairing's coordinators (either side) and
  // admins write them. A published notice of LJ is 403 to dl_coord and the leader (a draft
  // would be 404 to them, which the matrix would count as allowed).
  // Projects: the pairing's coordinators and leader read them all, a member those of its
  // unit (pj_member: 盤錦 is a partner), the owning side's coordinator writes; anyone reads
  // the public list. A coordinator records for its own side (dl_coord in its own pairing).
  { m: 'GET', route: '/projects', allow: ACTORS, prepare: () => ({ path: '/projects' }) },
  // Funds: the pairing's coordinators and leaders read (members not: the allocations name
  // projects they may not open); a side's coordinator its own work fund; either side's
  // coordinator the industry funds.
  { m: 'GET', route: '/funds', allow: ['ln_coord', 'js_coord', 'ln_leader', 'dl_coord', 'admin'], prepare: () => ({ path: '/funds?year=2026' }) },
  { m: 'POST', route: '/funds/budget', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/funds/budget', form: { year: '2026', budget: '100000', ...(a === 'admin' ? { pairing: '1', side: '0' } : {}) } }) },
  { m: 'POST', route: '/funds/{id}/allocations', allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: `/funds/${fx.workFund}/allocations`, form: { year: '2026', purpose: `网页分配${++serial}`, amount: '1', doc_no: '文号' } }) },
  { m: 'POST', route: '/fund-allocations/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/fund-allocations/${fx.allocation}`, form: { year: '2026', spent: String((++serial) % 2),
      updated_at: (await client.admin.get('/api/v1/funds?year=2026&pairing=1')).json.work_funds[0].allocations.find((a) => a.id === fx.allocation).updated_at } }) },
  { m: 'POST', route: '/industry-funds', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/industry-funds', form: { year: '2026', name: `网页基金${++serial}`, size: '10', ...(a === 'admin' ? { pairing: '1' } : {}) } }) },
  { m: 'POST', route: '/industry-funds/{id}/investments', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/industry-funds/${fx.industryFund}/investments`, form: { year: '2026', project: String(fx.project), amount: '1' } }) },
  // Platforms: everyone of the pairing reads; its coordinators (either side) write.
  { m: 'GET', route: '/platforms', allow: SIGNED_IN, prepare: () => ({ path: '/platforms' }) },
  { m: 'POST', route: '/platforms', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/platforms', form: { name: `网页平台${++serial}`, kind: 'park', pairing: '1' } }) },
  { m: 'GET', route: '/platforms/{id}', allow: LJ_USERS, prepare: () => ({ path: `/platforms/${fx.platform}` }) },
  { m: 'POST', route: '/platforms/{id}', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/platforms/${fx.platform}`, form: { name: `合作园区${++serial}`, updated_at: (await client.admin.get(`/api/v1/platforms/${fx.platform}`)).json.updated_at } }) },
  // exchanges of people (web/exchange.c): the lead offices of the pairing record and edit
  { m: 'GET', route: '/exchanges', allow: SIGNED_IN, prepare: () => ({ path: '/exchanges' }) },
  { m: 'POST', route: '/exchanges', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/exchanges', form: { kind: 'talent', title: `网页交流${++serial}`, side: '0', starts: '2026-05-01', count_a: '2', pairing: '1' } }) },
  { m: 'GET', route: '/exchanges/{id}', allow: LJ_USERS, prepare: () => ({ path: `/exchanges/${fx.exchange}` }) },
  { m: 'POST', route: '/exchanges/{id}', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/exchanges/${fx.exchange}`, form: { title: `挂职${++serial}`, updated_at: (await client.admin.get(`/api/v1/exchanges/${fx.exchange}`)).json.updated_at } }) },
  // 企业库: coordinators and member units record and edit for their own side (leaders read
  // only); the side's coordinator merges. Each merge case merges a fresh pair.
  { m: 'GET', route: '/enterprises', allow: SIGNED_IN, prepare: () => ({ path: '/enterprises' }) },
  { m: 'POST', route: '/enterprises', allow: ['pj_member', 'ly_member', 'wx_member', 'ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/enterprises', form: { name: `网页企业${++serial}`, pairing: '1', side: '0' } }) },
  { m: 'GET', route: '/enterprises/{id}', allow: LJ_USERS, prepare: () => ({ path: `/enterprises/${fx.enterprise}` }) },
  { m: 'POST', route: '/enterprises/{id}', allow: ['pj_member', 'ly_member', 'ln_coord', 'admin'],
    prepare: async () => ({ path: `/enterprises/${fx.enterprise}`, form: { name: `权限企业${++serial}`, updated_at: await updatedAt(`/api/v1/enterprises/${fx.enterprise}`) } }) },
  { m: 'POST', route: '/enterprises/{id}/merge', allow: ['ln_coord', 'admin'],
    prepare: async () => {
      const from = await enterprise();
      return { path: `/enterprises/${from}/merge`, form: { into: String(await enterprise()), updated_at: await updatedAt(`/api/v1/enterprises/${from}`) } };
    } },
  { m: 'POST', route: '/projects/{id}/updates', allow: ['pj_member', 'ln_coord', 'admin'],
    prepare: () => ({ path: `/projects/${fx.project}/updates`, form: { body: `网页进展${++serial}` } }) },
  { m: 'POST', route: '/project-updates/{id}/review', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/project-updates/${await projectUpdate()}/review`, form: { decision: 'accepted' } }) },
  // Files: who takes part in the project adds them; its readers download them.
  { m: 'POST', route: '/projects/{id}/attachments', allow: ['pj_member', 'ln_coord', 'admin'],
    prepare: () => ({ path: `/projects/${fx.project}/attachments`, body: upload({}) }) },
  { m: 'GET', route: '/attachments/{id}', allow: ['pj_member', 'ln_coord', 'js_coord', 'ln_leader', 'admin'],
    prepare: () => ({ path: `/attachments/${fx.attachment}` }) },
  { m: 'GET', route: '/projects/new', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'], prepare: () => ({ path: '/projects/new' }) },
  { m: 'POST', route: '/projects', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/projects', form: { name: `网页项目${++serial}`, side: '0', planned: '1,000.5' } }) },
  { m: 'GET', route: '/projects/{id}', allow: ['pj_member', 'ln_coord', 'js_coord', 'ln_leader', 'admin'], prepare: () => ({ path: `/projects/${fx.project}` }) },
  { m: 'GET', route: '/projects/{id}/edit', allow: ['ln_coord', 'admin'], prepare: () => ({ path: `/projects/${fx.project}/edit` }) },
  { m: 'POST', route: '/projects/{id}/edit', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/projects/${fx.project}/edit`, form: { name: `合作项目${++serial}`, updated_at: (await projectVersion(fx.project)).updated_at } }) },
  { m: 'POST', route: '/projects/{id}/stage', allow: ['ln_coord', 'admin'],
    prepare: async () => { const id = await project(); return { path: `/projects/${id}/stage`, form: { stage: 'signed', updated_at: (await projectVersion(id)).updated_at } }; } },
  { m: 'GET', route: '/notices', allow: ACTORS, prepare: () => ({ path: '/notices' }) },
  { m: 'GET', route: '/notices/{id}', allow: ACTORS, prepare: () => ({ path: `/notices/${fx.notice}` }) },
  { m: 'GET', route: '/notices/manage', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'], prepare: () => ({ path: '/notices/manage' }) },
  { m: 'POST', route: '/notices', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/notices', form: { title: `网页通知${++serial}`, body: '正文' } }) },
  { m: 'GET', route: '/notices/{id}/edit', seen: true, allow: ['ln_coord', 'js_coord', 'admin'], prepare: () => ({ path: `/notices/${fx.notice}/edit` }) },
  { m: 'POST', route: '/notices/{id}/edit', seen: true, allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/notices/${fx.notice}/edit`, form: { title: `已发布通知${++serial}`, body: '正文', updated_at: (await noticeVersion(fx.notice)).updated_at } }) },
  // Publishing a published notice: 409 for who may (the permission shows), 403 for others.
  { m: 'POST', route: '/notices/{id}/publish', seen: true, allow: ['ln_coord', 'js_coord', 'admin'], merits: [409],
    prepare: async () => ({ path: `/notices/${fx.notice}/publish`, form: { updated_at: (await noticeVersion(fx.notice)).updated_at } }) },
  { m: 'POST', route: '/notices/{id}/withdraw', seen: true, allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => {
      const id = await publishedNotice();
      return { path: `/notices/${id}/withdraw`, form: { updated_at: (await noticeVersion(id)).updated_at } };
    } },
  { m: 'GET', route: '/api/v1/pairings', allow: ACTORS, prepare: () => ({ path: '/api/v1/pairings' }) },
  { m: 'GET', route: '/api/v1/pairings/{id}', allow: ACTORS, prepare: () => ({ path: '/api/v1/pairings/3' }) },
  { m: 'GET', route: '/api/v1/plans', allow: ACTORS, prepare: () => ({ path: '/api/v1/plans' }) },
  { m: 'GET', route: '/api/v1/plans/{id}', allow: ACTORS, prepare: () => ({ path: '/api/v1/plans/2' }) },
  { m: 'POST', route: '/api/v1/session', allow: ACTORS,
    prepare: () => ({ path: '/api/v1/session', json: { login: 'nobody', password: 'wrong-password' }, client: new Client(server.base), expectStatus: 401 }) },
  { m: 'DELETE', route: '/api/v1/session', allow: SIGNED_IN,
    prepare: async (a) => ({ path: '/api/v1/session', client: await fresh(a) }) },
  { m: 'GET', route: '/api/v1/me', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/me' }) },
  { m: 'PATCH', route: '/api/v1/me', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/me', json: { language: 'zh-Hans' } }) },
  { m: 'POST', route: '/api/v1/me/password', allow: SIGNED_IN,
    prepare: () => ({ path: '/api/v1/me/password', json: { old_password: 'not-my-password', new_password: 'Another-long-pass-9' }, expectStatus: 422 }) },
  { m: 'GET', route: '/api/v1/me/sessions', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/me/sessions' }) },

  { m: 'GET', route: '/api/v1/units', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/units' }) },
  { m: 'GET', route: '/api/v1/units/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/units/${server.units.panjin}` }) },
  { m: 'POST', route: '/api/v1/units', ids: ['pairing_id'], allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/units', json: { pairing_id: 1, side: 0, name: `遼寧測試單位${++serial}`, kind: 'department', tier: 'execution' } }) },
  { m: 'PATCH', route: '/api/v1/units/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/units/${server.units.liaoyang}`, json: { tier: 'execution' }, headers: { 'if-match': await etag(`/api/v1/units/${server.units.liaoyang}`) } }) },
  { m: 'GET', route: '/api/v1/users', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'], prepare: () => ({ path: '/api/v1/users' }) },
  { m: 'POST', route: '/api/v1/users', ids: ['unit_id'], allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/users', json: { login: `clerk${++serial}`, role: 'member', unit_id: server.units.panjin } }) },
  { m: 'GET', route: '/api/v1/users/{id}', allow: ['ln_coord', 'admin'], prepare: () => ({ path: `/api/v1/users/${fx.pjUser}` }) },
  { m: 'PATCH', route: '/api/v1/users/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/users/${fx.pjUser}`, json: { language: 'zh-Hans' }, headers: { 'if-match': await etag(`/api/v1/users/${fx.pjUser}`) } }) },
  { m: 'POST', route: '/api/v1/users/{id}/unlock', allow: ['admin'], prepare: () => ({ path: `/api/v1/users/${fx.pjUser}/unlock`, json: {} }) },
  { m: 'GET', route: '/api/v1/users/{id}/sessions', allow: ['admin'], prepare: () => ({ path: `/api/v1/users/${fx.pjUser}/sessions` }) },
  { m: 'POST', route: '/api/v1/users/{id}/sessions/revoke', allow: ['admin'], prepare: async () => ({ path: `/api/v1/users/${await freshAccount()}/sessions/revoke`, json: {} }) },

  { m: 'GET', route: '/api/v1/tasks/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/tasks/${fx.task7}` }) },
  { m: 'PUT', route: '/api/v1/tasks/{id}/assignments', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/tasks/${fx.task7}/assignments`, json: { side: 0, lead: server.units.panjin, support: [] }, headers: { 'if-match': (await client.admin.get(`/api/v1/tasks/${fx.task7}`)).json.assignments_etag } }) },
  { m: 'GET', route: '/api/v1/work-plans', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/work-plans?pairing=1' }) },
  { m: 'POST', route: '/api/v1/work-plans', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/work-plans', json: { pairing_id: 1, year: 2026 } }) },
  { m: 'GET', route: '/api/v1/work-plans/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/work-plans/${fx.wp}` }) },
  { m: 'POST', route: '/api/v1/work-plans/{id}/items', allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/work-plans/${fx.wp}/items`, json: { title: `盤錦新事項${++serial}`, owner_unit_id: server.units.panjin, due: '2026-12-01' } }) },
  { m: 'POST', route: '/api/v1/work-plans/{id}/submit', allow: ['ln_coord', 'js_coord', 'admin'], merits: [409],
    prepare: async () => ({ path: `/api/v1/work-plans/${fx.wp}/submit`, json: {}, headers: { 'if-match': await etag(`/api/v1/work-plans/${fx.wp}`) } }) },
  { m: 'POST', route: '/api/v1/work-plans/{id}/approve', allow: ['ln_coord', 'js_coord', 'admin'], merits: [409],
    prepare: async (a) => ({ path: `/api/v1/work-plans/${fx.wp}/approve`, json: a === 'admin' ? { side: 0 } : {}, headers: { 'if-match': await etag(`/api/v1/work-plans/${fx.wp}`) } }) },
  { m: 'GET', route: '/api/v1/work-items/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/work-items/${fx.itemP}` }) },
  { m: 'PATCH', route: '/api/v1/work-items/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/work-items/${fx.itemP}`, headers: { 'if-match': await etag(`/api/v1/work-items/${fx.itemP}`) },
      json: { title: '盤錦項目對接', task_id: fx.task7, owner_unit_id: server.units.panjin, support: [], due: '2026-12-20', indicator: null, target_value: null } }) },
  { m: 'DELETE', route: '/api/v1/work-items/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => {
      const id = (await client.admin.post(`/api/v1/work-plans/${fx.wp}/items`, { title: `待刪事項${++serial}`, owner_unit_id: server.units.panjin, due: '2026-12-01' })).json.id;
      return { path: `/api/v1/work-items/${id}`, headers: { 'if-match': await etag(`/api/v1/work-items/${id}`) } };
    } },
  { m: 'GET', route: '/api/v1/my/work-items', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/my/work-items' }) },
  { m: 'POST', route: '/api/v1/work-items/{id}/reports', allow: ['pj_member', 'admin'],
    prepare: () => ({ path: `/api/v1/work-items/${fx.itemP}/reports`, json: report() }) },
  { m: 'GET', route: '/api/v1/reports/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/reports/${fx.reportP}` }) },
  // A member sees its own unit's reports still awaiting review (what the clerk waits on).
  { m: 'GET', route: '/api/v1/reviews/pending', allow: SIGNED_IN,
    prepare: () => ({ path: '/api/v1/reviews/pending' }) },
  { m: 'POST', route: '/api/v1/reports/{id}/review', allow: ['ln_coord', 'admin'],
    prepare: async () => {
      const id = (await client.pj_member.post(`/api/v1/work-items/${fx.itemP}/reports`, report())).json.id;
      return { path: `/api/v1/reports/${id}/review`, json: { decision: 'accepted' } };
    } },
  { m: 'GET', route: '/api/v1/lights', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/lights?pairing=1' }) },
  { m: 'GET', route: '/api/v1/notifications', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/notifications' }) },
  { m: 'POST', route: '/api/v1/notifications/read', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/notifications/read', json: { ids: [999999] } }) },
  { m: 'GET', route: '/api/v1/circulars', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/circulars?pairing=1' }) },
  { m: 'POST', route: '/api/v1/circulars', ids: ['pairing_id'], allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/circulars', json: { pairing_id: 1, side: 0, year: 2026 } }) },
  { m: 'GET', route: '/api/v1/circulars/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/circulars/${fx.circular}` }) },
  { m: 'PATCH', route: '/api/v1/circulars/{id}', allow: ['ln_coord', 'admin'], merits: [409],
    prepare: () => ({ path: `/api/v1/circulars/${fx.circular}`, json: { title: '改' } }) },
  { m: 'POST', route: '/api/v1/circulars/{id}/publish', allow: ['ln_coord', 'admin'], merits: [409],
    prepare: () => ({ path: `/api/v1/circulars/${fx.circular}/publish` }) },
  // 考核评估: the pairing reads; its coordinators (either side) create, configure and open; a
  // side's own coordinator writes its self-evaluation; leaders choose the commendations.
  { m: 'GET', route: '/api/v1/evaluations', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/evaluations?pairing=1' }) },
  { m: 'POST', route: '/api/v1/evaluations', ids: ['pairing_id'], allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/evaluations', json: { pairing_id: 1, year: evaluationYear++ } }) },
  { m: 'GET', route: '/api/v1/evaluations/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/evaluations/${fx.evaluation}` }) },
  { m: 'GET', route: '/api/v1/evaluations/{id}/scores', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/evaluations/${fx.evaluation}/scores` }) },
  { m: 'PUT', route: '/api/v1/evaluations/{id}/indicators', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/evaluations/${await draftEvaluation()}/indicators`,
      json: { indicators: [{ key: 'work', name: '工作', weight: 100, method: 'items_done' }] } }) },
  { m: 'POST', route: '/api/v1/evaluations/{id}/open', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/evaluations/${await draftEvaluation()}/open` }) },
  { m: 'POST', route: '/api/v1/evaluations/{id}/steps', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/evaluations/${await openEvaluation()}/steps`, json: { action: 'save', side: 0, text: '草稿' } }) },
  { m: 'POST', route: '/api/v1/evaluations/{id}/commendations', allow: ['ln_leader', 'admin'],
    prepare: () => ({ path: `/api/v1/evaluations/${fx.evaluation}/commendations`, json: { unit_ids: [] } }) },
  { m: 'GET', route: '/api/v1/me/mail', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/me/mail' }) },
  { m: 'PATCH', route: '/api/v1/me/mail', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/me/mail', json: { channels: { report_due: 'mail' } } }) },
  { m: 'GET', route: '/api/v1/outbox', allow: ['admin'], prepare: () => ({ path: '/api/v1/outbox' }) },
  // 催办 for 盤錦 (side 0): nothing of it is missing yet, so the allowed meet 409.
  { m: 'POST', route: '/api/v1/reporting/urge', ids: ['pairing_id', 'unit_id'], allow: ['ln_coord', 'admin'], merits: [409],
    prepare: () => ({ path: '/api/v1/reporting/urge', json: { pairing_id: 1, year: 2026, unit_id: server.units.panjin } }) },
  { m: 'GET', route: '/api/v1/reporting', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/reporting?pairing=1' }) },
  { m: 'PATCH', route: '/api/v1/work-plans/{id}/reporting', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/work-plans/${fx.wp}/reporting`, json: { due_day: 5 } }) },
  { m: 'GET', route: '/api/v1/projects', allow: ACTORS, prepare: () => ({ path: '/api/v1/projects' }) },
  { m: 'GET', route: '/api/v1/industries', allow: ACTORS, prepare: () => ({ path: `/api/v1/industries?q=${encodeURIComponent('製造')}` }) },
  { m: 'GET', route: '/api/v1/platforms', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/platforms' }) },
  // Spreadsheet imports (#14): anyone who reports may preview (another unit's item is an error
  // of its row, not a refusal); a preview is its user's own; leaders never import.
  { m: 'POST', route: '/api/v1/imports', allow: IMPORTERS, prepare: () => ({ path: '/api/v1/imports', body: importForm() }) },
  { m: 'POST', route: '/api/v1/imports/{id}/commit', allow: IMPORTERS, merits: [422],
    prepare: async (a) => ({ path: `/api/v1/imports/${await ownImport(a)}/commit` }) },
  { m: 'POST', route: '/imports', allow: IMPORTERS, prepare: () => ({ path: '/imports', body: importForm() }) },
  { m: 'GET', route: '/imports/{id}', allow: IMPORTERS, prepare: async (a) => ({ path: `/imports/${await ownImport(a)}` }) },
  { m: 'POST', route: '/imports/{id}/commit', allow: IMPORTERS, merits: [422],
    prepare: async (a) => ({ path: `/imports/${await ownImport(a)}/commit`, form: {} }) },
  { m: 'POST', route: '/api/v1/attachments', ids: ['object_id'], allow: ['pj_member', 'ln_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/attachments', body: upload({ object: 'project', object_id: String(fx.project) }) }) },
  { m: 'GET', route: '/api/v1/attachments', ids: ['object_id'], allow: ['pj_member', 'ln_coord', 'js_coord', 'ln_leader', 'admin'],
    prepare: () => ({ path: `/api/v1/attachments?object=project&object_id=${fx.project}` }) },
  { m: 'GET', route: '/api/v1/funds', allow: ['ln_coord', 'js_coord', 'ln_leader', 'dl_coord', 'admin'], prepare: () => ({ path: '/api/v1/funds?year=2026' }) },
  { m: 'PUT', route: '/api/v1/work-funds', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/work-funds', json: { year: 2026, budget_wan: '100000', ...(a === 'admin' ? { pairing_id: 1, side: 0 } : {}) } }) },
  { m: 'POST', route: '/api/v1/work-funds/{id}/allocations', allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/work-funds/${fx.workFund}/allocations`, json: { purpose: `接口分配${++serial}`, amount_wan: '1', doc_no: '文号' } }) },
  { m: 'PATCH', route: '/api/v1/work-fund-allocations/{id}', allow: ['ln_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/work-fund-allocations/${fx.allocation}`, json: { spent_wan: String((++serial) % 2) } }) },
  { m: 'POST', route: '/api/v1/industry-funds', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/industry-funds', json: { name: `接口基金${++serial}`, size_wan: '10', ...(a === 'admin' ? { pairing_id: 1 } : {}) } }) },
  { m: 'POST', route: '/api/v1/industry-funds/{id}/investments', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/industry-funds/${fx.industryFund}/investments`, json: { project_id: fx.project, amount_wan: '1' } }) },
  { m: 'POST', route: '/api/v1/platforms', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/platforms', json: { name: `接口平台${++serial}`, kind: 'innovation', ...(a === 'admin' ? { pairing_id: 1 } : {}) } }) },
  { m: 'GET', route: '/api/v1/platforms/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/platforms/${fx.platform}` }) },
  { m: 'PATCH', route: '/api/v1/platforms/{id}', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/platforms/${fx.platform}`, json: { founded: 2000 + (++serial % 20) }, headers: { 'if-match': await etag(`/api/v1/platforms/${fx.platform}`) } }) },
  // exchanges of people (api/exchange.c)
  { m: 'GET', route: '/api/v1/exchanges', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/exchanges' }) },
  { m: 'POST', route: '/api/v1/exchanges', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/exchanges', json: { kind: 'training', title: `接口培训${++serial}`, side: 1, starts: '2026-06-01', count_a: 3, count_b: 1, ...(a === 'admin' ? { pairing_id: 1 } : {}) } }) },
  { m: 'GET', route: '/api/v1/exchanges/counts', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/exchanges/counts?pairing=1&year=2026' }) },
  { m: 'GET', route: '/api/v1/exchanges/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/exchanges/${fx.exchange}` }) },
  { m: 'PATCH', route: '/api/v1/exchanges/{id}', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/exchanges/${fx.exchange}`, json: { post: `副主任${++serial}` }, headers: { 'if-match': await etag(`/api/v1/exchanges/${fx.exchange}`) } }) },
  { m: 'GET', route: '/api/v1/enterprises', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/enterprises' }) },
  { m: 'POST', route: '/api/v1/enterprises', allow: ['pj_member', 'ly_member', 'wx_member', 'ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/enterprises', json: { name: `接口企业${++serial}`, ...(a === 'admin' ? { pairing_id: 1, side: 1 } : {}) } }) },
  { m: 'GET', route: '/api/v1/enterprises/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/enterprises/${fx.enterprise}` }) },
  { m: 'PATCH', route: '/api/v1/enterprises/{id}', allow: ['pj_member', 'ly_member', 'ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/enterprises/${fx.enterprise}`, json: { name: `权限企业${++serial}` }, headers: { 'if-match': await etag(`/api/v1/enterprises/${fx.enterprise}`) } }) },
  { m: 'POST', route: '/api/v1/enterprises/{id}/merge', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/enterprises/${await enterprise()}/merge`, json: { into: await enterprise() } }) },
  { m: 'GET', route: '/api/v1/projects/{id}/updates', allow: ['pj_member', 'ln_coord', 'js_coord', 'ln_leader', 'admin'], prepare: () => ({ path: `/api/v1/projects/${fx.project}/updates` }) },
  // Who takes part reports: 盤錦's users (a partner) and the owning side's coordinator.
  { m: 'POST', route: '/api/v1/projects/{id}/updates', allow: ['pj_member', 'ln_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/projects/${fx.project}/updates`, json: { body: `进展${++serial}` } }) },
  { m: 'POST', route: '/api/v1/project-updates/{id}/review', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/project-updates/${await projectUpdate()}/review`, json: { decision: 'accepted' } }) },
  { m: 'POST', route: '/api/v1/projects', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/projects', json: { name: `接口项目${++serial}`, ...(a === 'admin' ? { pairing_id: 1, side: 0 } : {}) } }) },
  { m: 'GET', route: '/api/v1/projects/{id}', allow: ['pj_member', 'ln_coord', 'js_coord', 'ln_leader', 'admin'], prepare: () => ({ path: `/api/v1/projects/${fx.project}` }) },
  { m: 'PATCH', route: '/api/v1/projects/{id}', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/projects/${fx.project}`, json: { name: `合作项目${++serial}` }, headers: { 'if-match': (await projectVersion(fx.project)).etag } }) },
  { m: 'POST', route: '/api/v1/projects/{id}/stage', allow: ['ln_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/projects/${await project()}/stage`, json: { stage: 'started' } }) },
  { m: 'GET', route: '/api/v1/notices', allow: ACTORS, prepare: () => ({ path: '/api/v1/notices' }) },
  { m: 'GET', route: '/api/v1/notices/{id}', allow: ACTORS, prepare: () => ({ path: `/api/v1/notices/${fx.notice}` }) },
  { m: 'POST', route: '/api/v1/notices', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/api/v1/notices', json: { title: `接口通知${++serial}`, body: '正文' } }) },
  { m: 'PATCH', route: '/api/v1/notices/{id}', seen: true, allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/notices/${fx.notice}`, json: { title: `已发布通知${++serial}` }, headers: { 'if-match': (await noticeVersion(fx.notice)).etag } }) },
  { m: 'POST', route: '/api/v1/notices/{id}/publish', seen: true, allow: ['ln_coord', 'js_coord', 'admin'], merits: [409],
    prepare: () => ({ path: `/api/v1/notices/${fx.notice}/publish` }) },
  { m: 'POST', route: '/api/v1/notices/{id}/withdraw', seen: true, allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/notices/${await publishedNotice()}/withdraw` }) },
  { m: 'GET', route: '/api/v1/audit', allow: ['ln_leader', 'admin'], prepare: () => ({ path: '/api/v1/audit?limit=5' }) },
  // ---- events, 活动 (api/event.c): the pairing reads; its coordinators and the event's
  // organising units (盤錦 for fx.event) organise; a member registers and withdraws its own
  // unit or an enterprise of its side (a fresh side-0 enterprise each time).
  { m: 'GET', route: '/api/v1/events', allow: SIGNED_IN, prepare: () => ({ path: '/api/v1/events' }) },
  { m: 'POST', route: '/api/v1/events', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: (a) => ({ path: '/api/v1/events', json: { kind: 'forum', title: `接口论坛${++serial}`, host_side: 0, starts: '2099-05-01T09:00', ends: '2099-05-01T12:00', ...(a === 'admin' ? { pairing_id: 1 } : {}) } }) },
  { m: 'GET', route: '/api/v1/events/rotation', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/events/rotation?pairing=1' }) },
  { m: 'GET', route: '/api/v1/events/themes', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/events/themes?pairing=1&year=2099' }) },
  { m: 'GET', route: '/api/v1/events/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/events/${fx.event}` }) },
  { m: 'PATCH', route: '/api/v1/events/{id}', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/events/${fx.event}`, json: { place: `会场${++serial}` }, headers: { 'if-match': await etag(`/api/v1/events/${fx.event}`) } }) },
  { m: 'PUT', route: '/api/v1/events/{id}/minutes', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/events/${fx.event}/minutes`, json: { minutes: `纪要${++serial}` }, headers: { 'if-match': await etag(`/api/v1/events/${fx.event}`) } }) },
  { m: 'GET', route: '/api/v1/events/{id}/registrations', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/events/${fx.event}/registrations` }) },
  { m: 'POST', route: '/api/v1/events/{id}/registrations', allow: ['pj_member', 'ly_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/events/${fx.event}/registrations`, json: { enterprise_id: await enterpriseId() } }) },
  { m: 'GET', route: '/api/v1/registrations/{id}', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/registrations/${fx.registration}` }) },
  { m: 'POST', route: '/api/v1/registrations/{id}/withdraw', allow: ['pj_member', 'ly_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/registrations/${await registration()}/withdraw` }) },
  // checking in twice is no error (already: true), so one registration serves every actor
  { m: 'POST', route: '/api/v1/events/{id}/checkins', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/events/${fx.event}/checkins`, json: { number: fx.registrationNumber } }) },
  { m: 'GET', route: '/api/v1/events/{id}/outcomes', allow: LJ_USERS, prepare: () => ({ path: `/api/v1/events/${fx.event}/outcomes` }) },
  { m: 'POST', route: '/api/v1/events/{id}/outcomes', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/api/v1/events/${fx.event}/outcomes`, json: { kind: 'intention', title: `合作意向${++serial}`, amount_wan: '10', registration_ids: [fx.registration] } }) },
  // a lead office (either side: the project is its side's) or an admin makes the project
  { m: 'POST', route: '/api/v1/outcomes/{id}/project', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/api/v1/outcomes/${await outcome()}/project` }) },
  { m: 'GET', route: '/api/v1/funnel', ids: ['pairing'], allow: LJ_USERS, prepare: () => ({ path: '/api/v1/funnel?pairing=1&year=2099' }) },
  // ---- events, 活动: the pages (web/event.c, web/funnel.c, web/ics.c), the API's rules through
  // the forms (fx.event is organised by 盤錦: pj_member organises it too); the calendars are
  // public, a personal feed by its token.
  { m: 'GET', route: '/events', allow: SIGNED_IN, prepare: () => ({ path: '/events' }) },
  { m: 'POST', route: '/events', allow: ['ln_coord', 'js_coord', 'dl_coord', 'admin'],
    prepare: () => ({ path: '/events', form: { pairing: '1', kind: 'forum', title: `网页论坛${++serial}`, host_side: '0', starts: '2099-05-02T09:00', ends: '2099-05-02T12:00' } }) },
  { m: 'GET', route: '/events/{id}', allow: LJ_USERS, prepare: () => ({ path: `/events/${fx.event}` }) },
  { m: 'POST', route: '/events/{id}', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/events/${fx.event}`, form: { place: `网页会场${++serial}`, public: '1', updated_at: (await client.admin.get(`/api/v1/events/${fx.event}`)).json.updated_at } }) },
  { m: 'POST', route: '/events/{id}/registrations', allow: ['pj_member', 'ly_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/events/${fx.event}/registrations`, form: { party: `enterprise:${await enterpriseId()}` } }) },
  { m: 'POST', route: '/events/{id}/registrations/{id}/withdraw', allow: ['pj_member', 'ly_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/events/${fx.event}/registrations/${await registration()}/withdraw`, form: {} }) },
  { m: 'POST', route: '/events/{id}/minutes', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/events/${fx.event}/minutes`, form: { minutes: `网页纪要${++serial}`, updated_at: (await client.admin.get(`/api/v1/events/${fx.event}`)).json.updated_at } }) },
  { m: 'POST', route: '/events/{id}/outcomes', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/events/${fx.event}/outcomes`, form: { kind: 'intention', title: `网页意向${++serial}`, amount_wan: '1', party: String(fx.registration) } }) },
  { m: 'POST', route: '/events/{id}/outcomes/{id}/project', allow: ['ln_coord', 'js_coord', 'admin'],
    prepare: async () => ({ path: `/events/${fx.event}/outcomes/${await outcome()}/project`, form: {} }) },
  { m: 'GET', route: '/events/{id}/checkin', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/events/${fx.event}/checkin?number=${fx.registrationNumber}` }) },
  // checking in twice is no error, so one registration serves every actor
  { m: 'POST', route: '/events/{id}/checkin', allow: ['pj_member', 'ln_coord', 'js_coord', 'admin'],
    prepare: () => ({ path: `/events/${fx.event}/checkin`, form: { number: String(fx.registrationNumber) } }) },
  { m: 'GET', route: '/events/{id}/registrations/{id}/qr.svg', allow: LJ_USERS,
    prepare: () => ({ path: `/events/${fx.event}/registrations/${fx.registration}/qr.svg` }) },
  { m: 'GET', route: '/funnel', allow: SIGNED_IN, prepare: () => ({ path: '/funnel' }) },
  { m: 'GET', route: '/events.ics', allow: ACTORS, prepare: () => ({ path: '/events.ics' }) },
  { m: 'GET', route: '/calendar/{file}', allow: ACTORS, prepare: () => ({ path: `/calendar/${fx.calendarToken}.ics` }) },
  { m: 'POST', route: '/account/calendar', allow: SIGNED_IN, prepare: () => ({ path: '/account/calendar', form: {} }) },
  // each signed-in actor revokes a feed of its own, made just before
  { m: 'POST', route: '/account/calendar/{id}/revoke', allow: SIGNED_IN,
    prepare: async (a) => {
      if (a === 'anon') return { path: '/account/calendar/1/revoke', form: {} };
      const made = await client[a].request('POST', '/account/calendar', { form: {} });
      return { path: `/account/calendar/${/action="\/account\/calendar\/(\d+)\/revoke"/.exec(made.body)[1]}/revoke`, form: {} };
    } },
  // Last: signing out everywhere also ends the sessions the cases above use.
  { m: 'POST', route: '/account/sessions/revoke', allow: SIGNED_IN,
    prepare: async (a) => ({ path: '/account/sessions/revoke', form: {}, client: await fresh(a) }) },
  { m: 'POST', route: '/api/v1/me/sessions/revoke', allow: SIGNED_IN,
    prepare: async (a) => ({ path: '/api/v1/me/sessions/revoke', client: await fresh(a), raw: true }) },
];

// Another pairing's objects are hidden (issue #10): dl_coord (Shanghai–Dalian) asking for an
// object of LJ gets what the same request gets with each id replaced by one nobody has — the
// same status, the same body (of an HTML page: its error text; tokens aside), the same
// Location — and a write leaves no audit row, so nothing changed.
const MISSING = '987654321';
// Ids in a query or body are named by the case (ids: their keys). (seen: the object is
// public — a published notice — so a refusal may stay 403.)
const hidden = (c, actor) => actor === OTHER && !c.allow.includes(actor) && !c.seen &&
  (c.route.includes('{id}') || c.ids !== undefined);
// The request with each id replaced by MISSING: path segments of {id}, and the case's ids
// in the query, a JSON or form body, or a multipart form.
function missingRequest(c, req) {
  const keys = c.ids ?? [];
  const [p, q] = req.path.split('?');
  const rs = c.route.split('/');
  let path = p.split('/').map((seg, i) => (rs[i] === '{id}' ? MISSING : seg)).join('/');
  if (q !== undefined) {
    const query = new URLSearchParams(q);
    for (const k of keys) if (query.has(k)) query.set(k, MISSING);
    path += `?${query}`;
  }
  const swap = (o, v) => o && Object.fromEntries(Object.entries(o).map(([k, x]) => [k, keys.includes(k) ? v : x]));
  const body = req.body;
  if (body instanceof FormData) for (const k of keys) if (body.has(k)) body.set(k, MISSING);
  // An ETag names its object ("wp-ID-REV"): the missing id's request names the missing id.
  const ids = p.split('/').filter((seg, i) => rs[i] === '{id}');
  const headers = { ...(req.headers ?? {}) };
  if (headers['if-match']) for (const id of ids) headers['if-match'] = headers['if-match'].replace(`-${id}-`, `-${MISSING}-`);
  return { path, json: swap(req.json, Number(MISSING)), form: swap(req.form, MISSING), body, headers };
}
function answer(r) {
  const page = /<div class="error-page">[\s\S]*?<\/div>/.exec(r.body);
  const body = page ? page[0] : r.body.replace(/ nonce="[^"]*"/g, '')
    .replace(/(name="csrf_token" value=")[^"]*"/g, '$1"');
  return { status: r.status, location: r.headers.get('location'), body };
}
async function auditHead() {
  const r = await client.admin.get('/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.body);
  return r.json.entries[0]?.id ?? 0;
}
async function sameAsMissing(c, actor, req, r, head) {
  const changed = head !== null && (await auditHead()) !== head;
  const q = missingRequest(c, req); // the very same request but for its ids
  const m = await (req.client ?? client[actor]).request(c.m, q.path, q);
  const [got, want] = [answer(r), answer(m)];
  if (changed) return `${actor}: a refused write changed something (a new audit row)`;
  if (got.status < 400 || JSON.stringify(got) !== JSON.stringify(want))
    return `${actor}: the answer of a missing id expected, got ${JSON.stringify(got).slice(0, 300)} where a missing id gets ${JSON.stringify(want).slice(0, 300)}`;
  return null;
}

for (const c of CASES) {
  test(`${c.m} ${c.route}`, async () => {
    const wrong = [];
    for (const actor of ACTORS) {
      const req = await c.prepare(actor);
      const who = req.client ?? client[actor];
      if (actor === 'anon' && req.client) { req.client.cookie = null; req.client.csrf = null; }
      const head = hidden(c, actor) && c.m !== 'GET' ? await auditHead() : null;
      const r = await who.request(c.m, req.path, { json: req.json, form: req.form, body: req.body, headers: req.headers });
      const allowed = c.allow.includes(actor);
      if (hidden(c, actor)) {
        const why = await sameAsMissing(c, actor, req, r, head);
        if (why) wrong.push(why);
        continue;
      }
      const page = !c.route.startsWith('/api/') && c.route !== '/healthz';
      // A page sends an anonymous request to the sign-in page (a successful sign-out
      // everywhere also ends at /login, but that answer carries no ?next= and comes from a POST).
      // A form posted from this site after its session ended gets the sign-in form itself,
      // 401, carrying what was sent (web/account.c web_login_again).
      const toLogin = page && ((r.status === 303 && /^\/login(\?|$)/.test(r.headers.get('location') ?? '')) ||
        (c.m !== 'GET' && r.status === 401 && /<form method="post" action="\/login">/.test(r.body)));
      // Allowed means the handler did the work: a 2xx or 3xx (a GET page not sent to sign
      // in), or the status the case names for a request refused on its merits (a 422 of a
      // form that does not validate). A 404 or a 5xx never counts as allowed: it would hide
      // a route that fails for everyone.
      const merits = [...(c.merits ?? []), ...(req.expectStatus ? [req.expectStatus] : [])];
      assert.ok(merits.every((st) => st !== 404 && st < 500), 'a case may not expect 404 or 5xx');
      const ok = allowed
        ? (req.expectStatus ? r.status === req.expectStatus
          : (r.status >= 200 && r.status < 400 && !(toLogin && c.m === 'GET')) || merits.includes(r.status))
        : actor === 'anon' ? (page ? toLogin : r.status === 401)
          : r.status === 403;
      if (!ok) wrong.push(`${actor}: ${allowed ? 'allow' : 'deny'} expected, got ${r.status} ${r.body.slice(0, 160)}`);
    }
    if (hidden(c, OTHER)) {
      const req = await c.prepare(OTHER_MEMBER);
      const head = c.m !== 'GET' ? await auditHead() : null;
      const r = await (req.client ?? client[OTHER_MEMBER]).request(c.m, req.path, { json: req.json, form: req.form, body: req.body, headers: req.headers });
      const why = await sameAsMissing(c, OTHER_MEMBER, req, r, head);
      if (why) wrong.push(why);
    }
    assert.deepEqual(wrong, []);
  });
}

test('the matrix covers every route', () => {
  const table = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  const covered = new Set(CASES.map((c) => `${c.m} ${c.route}`));
  assert.deepEqual(table.filter((r) => !covered.has(r)), []);
});
