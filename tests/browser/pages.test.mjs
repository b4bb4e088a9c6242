// Every page of the routing table in a real browser: each GET page route (not /api/, not
// /healthz, not /assets) opened as a person who may see it, in all three languages, through
// axe-core (nothing serious or critical) and the translation check (no bare message id);
// the error pages too (403, 404) and the confirmation a POST answers with. The list of
// routes comes from `duikou routes`, and the test fails when a GET page is not swept, so a
// new page cannot skip it. Then the keyboard on the dashboard, the work plan and the
// assignment page; reflow at phone width; screenshots of search results and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  openSite, seedWork, sendReport, as, visit, submit, sweep, checkPage, checkKeyboard, checkReflow,
  screenshot, PHONE, DESKTOP, LJ,
} from './browser.mjs';
import { SEED } from '../api/harness.mjs';

const BIN = process.env.DUIKOU_BIN ?? 'build/duikou';

let site;
const fx = {};
const swept = new Set(); // route patterns swept

before(async () => {
  site = await openSite();
  Object.assign(fx, await seedWork(site.server));
  await sendReport(site.server, 'pj_member', fx.item, { status: 'at_risk', percent: 30, narrative: '洽談進行中。' });
  const admin = await as(site.server, 'admin');
  const users = (await admin.get('/api/v1/users?limit=100')).json;
  fx.pjUser = (users.users ?? users.items ?? users).find((u) => u.login === 'pj_member').id;
  const plan = (await admin.get('/api/v1/plans/1')).json;
  fx.task = plan.areas.flatMap((a) => a.tasks).find((t) => t.number === 7).id;
  const roles = ['pj_member', 'ln_coord', 'ln_leader', 'admin'];
  const users2 = await Promise.all(roles.map((l) => site.as(l)));
  roles.forEach((l, i) => { fx[l] = users2[i]; });
  fx.anon = await site.anonymous();
});

after(async () => { await site?.close(); });

// The GET page routes of `duikou routes`: their patterns.
function pageRoutes() {
  const out = execFileSync(BIN, ['routes'], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.trim().split(/\s+/)).filter(([m, p]) => m === 'GET' && p &&
    !p.startsWith('/api/') && p !== '/healthz' && !p.startsWith('/assets') &&
    !p.startsWith('/attachments/') && !p.endsWith('.xlsx') && // downloads, not pages
    !p.endsWith('.svg') && !p.endsWith('.ics') && !p.startsWith('/calendar/')).map(([, p]) => p); // images, calendars
}

// Sweeps path as user, noting the route pattern it covers.
async function page(user, route, path = route, opts = {}) {
  await sweep(fx[user].page, path, opts);
  swept.add(route);
}

test('the public pages, as a person not signed in', async () => {
  await page('anon', '/');
  await page('anon', '/plans/{id}', '/plans/1');
  await page('anon', '/login');
  await page('anon', '/login', '/login?next=%2Fmy');
  await page('anon', '/notices');
});

test('notices: published ones for everyone, managed by the lead office', async () => {
  const c = await as(site.server, 'ln_coord');
  const n = await c.post('/api/v1/notices', { pairing_id: LJ, title: '關於報送年度進展的通知',
    body: '請各單位於月底前報送。\n第二段。' });
  assert.equal(n.status, 201, n.body);
  const etag = n.headers.get('etag');
  assert.equal((await c.post(`/api/v1/notices/${n.json.id}/publish`, {}, { headers: { 'if-match': etag } })).status, 200);
  await page('anon', '/notices/{id}', `/notices/${n.json.id}`);
  await page('anon', '/notices');
  await page('ln_coord', '/notices/manage');
  await page('ln_coord', '/notices/{id}/edit', `/notices/${n.json.id}/edit`);
  await page('pj_member', '/notices/manage', '/notices/manage', { status: 403 });
});

test('projects: the public list, the list, a project, the forms', async () => {
  const c = await as(site.server, 'ln_coord');
  const r = await c.post('/api/v1/projects', { name: '盤錦—無錫工業互聯網平臺', city_pairing_id: 3, industry: '64',
    region_code: '211100', invest_contracted_wan: '12000.5', stage: 'signed', public: true,
    partners: [{ side: 0, unit_id: site.server.units.panjin }, { side: 1, enterprise: '無錫某科技有限公司' }] });
  assert.equal(r.status, 201, r.body);
  await page('anon', '/projects');
  await page('ln_leader', '/projects', '/projects?industry=I&sort=investment');
  await page('pj_member', '/projects/{id}', `/projects/${r.json.id}`);
  await page('ln_coord', '/projects/{id}', `/projects/${r.json.id}`);
  await page('ln_coord', '/projects/new');
  await page('ln_coord', '/projects/{id}/edit', `/projects/${r.json.id}/edit`);
  await page('ln_leader', '/projects/new', '/projects/new', { status: 403 });
  const pf = await c.post('/api/v1/platforms', { name: '沈撫—蘇州工業園區合作園區', kind: 'park', region_code: 'Z210002',
    area_ha: '1200.5', founded: 2018, unit_ids: [site.server.units.panjin] });
  assert.equal(pf.status, 201, pf.body);
  await page('ln_coord', '/platforms');
  await page('pj_member', '/platforms/{id}', `/platforms/${pf.json.id}`);
  await page('ln_coord', '/platforms/{id}', `/platforms/${pf.json.id}`);
  const wf = await c.put('/api/v1/work-funds', { year: 2026, budget_wan: '500', doc_no: '遼合作發〔2026〕3號' });
  assert.equal(wf.status, 200, wf.body);
  assert.equal((await c.post(`/api/v1/work-funds/${wf.json.id}/allocations`, { project_id: r.json.id, amount_wan: '300', doc_no: '遼合作發〔2026〕5號' })).status, 201);
  assert.equal((await c.post('/api/v1/industry-funds', { name: '遼蘇產業投資基金', size_wan: '100000' })).status, 201);
  await page('ln_coord', '/funds', '/funds?year=2026');
  await page('ln_leader', '/funds', '/funds?year=2026');
});

test("a member's pages", async () => {
  await page('pj_member', '/account');
  await page('pj_member', '/account/two-factor');
  await page('pj_member', '/my');
  await page('pj_member', '/items/{id}/report', `/items/${fx.item}/report`);
  await page('pj_member', '/items/{id}/report', `/items/${fx.late}/report`);
  await page('pj_member', '/dashboard');
  await page('pj_member', '/pairings/{id}/dashboard', `/pairings/${LJ}/dashboard`);
  await page('pj_member', '/pairings/{id}/items', `/pairings/${LJ}/items?overdue=1`);
  await page('pj_member', '/tasks/{id}', `/tasks/${fx.task}`);
  await page('pj_member', '/work-plans');
  await page('pj_member', '/work-plans/{id}', `/work-plans/${fx.workPlan}`);
  await page('pj_member', '/search', '/search?q=盤錦');
  await page('pj_member', '/search', '/search');
  await page('pj_member', '/search', '/search?q=', { status: 422 });
  await page('pj_member', '/search', '/search?q=沒有這樣的事項');
  await page('pj_member', '/reporting');
  await page('pj_member', '/inbox');
});

test("a coordinator's pages", async () => {
  const coord = await as(site.server, 'ln_coord');
  const year = (await coord.get(`/api/v1/work-plans/${fx.workPlan}`)).json.year;
  const cc = await coord.post('/api/v1/circulars', { pairing_id: 1, side: 0, year });
  assert.equal(cc.status, 201, cc.body);
  await page('ln_coord', '/circulars');
  await page('ln_coord', '/circulars/{id}', `/circulars/${cc.json.id}`);
  await page('pj_member', '/circulars');
  await page('ln_coord', '/reviews');
  await page('ln_coord', '/reporting');
  await page('ln_coord', '/reports');
  await page('pj_member', '/reports');
  await page('ln_coord', '/inbox');
  await page('ln_coord', '/plans/{id}/assign', '/plans/1/assign');
  await page('ln_coord', '/assign');
  await page('ln_coord', '/work-plans/{id}', `/work-plans/${fx.workPlan}`);
  await page('ln_coord', '/work-items/{id}/edit', `/work-items/${fx.item}/edit`);
  await page('ln_coord', '/units');
  await page('ln_coord', '/units/{id}', `/units/${site.server.units.panjin}`);
  await page('ln_coord', '/users');
  await page('ln_coord', '/users/{id}', `/users/${fx.pjUser}`);
  await page('ln_coord', '/tasks/{id}', `/tasks/${fx.task}`);
});

test("a leader's and an administrator's pages", async () => {
  await page('ln_leader', '/audit');
  await page('ln_leader', '/pairings/{id}/dashboard', `/pairings/${LJ}/dashboard`);
  await page('ln_leader', '/units');
  await page('admin', '/audit');
  await page('admin', '/units');
  await page('admin', '/users');
  await page('admin', '/work-plans', `/work-plans?pairing=${LJ}`);
  // A plan file's upload form and its preview (#14): the seed as text, nothing stored yet.
  await page('admin', '/plans/import');
  const admin = await as(site.server, 'admin');
  const up = new FormData();
  up.append('file', new Blob([readFileSync(SEED)]), 'plan.txt');
  const u = await admin.request('POST', '/api/v1/plan-uploads', { body: up });
  assert.equal(u.status, 200, u.body.slice(0, 200));
  await page('admin', '/plans/import/{id}', `/plans/import/${u.json.id}`);
  // A spreadsheet of reports previewed (#14): the clerk's own /my export sent back.
  const pj = await as(site.server, 'pj_member');
  const xlsx = await fetch(site.server.base + '/my?format=xlsx', { headers: { cookie: pj.cookie }, redirect: 'manual' });
  assert.equal(xlsx.status, 200, `${xlsx.headers.get('content-type')} ${xlsx.headers.get('location')} ${pj.cookie}`);
  const fd = new FormData();
  fd.append('kind', 'reports');
  fd.append('file', new Blob([await xlsx.arrayBuffer()]), 'my.xlsx');
  const imp = await pj.request('POST', '/api/v1/imports', { body: fd });
  assert.equal(imp.status, 200, imp.body);
  await page('pj_member', '/imports/{id}', `/imports/${imp.json.id}`);
});

// 考核评估 (web/evaluation.c): a draft with its indicators' form, an open one with a
// self-evaluation and an opinion form, a closed one with the commendation form; the
// explanations, the yearly report, and the pages an explanation links to.
test('the evaluation pages', async () => {
  const admin = await as(site.server, 'admin');
  const hand = { organisation: 90, innovation: 60 }; // events and exchanges are computed
  const make = async (year) => {
    const r = await admin.post('/api/v1/evaluations', { pairing_id: LJ, year });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const draft = await make(fx.year + 1), open = await make(fx.year), closed = await make(fx.year - 1);
  for (const id of [open, closed])
    assert.equal((await admin.post(`/api/v1/evaluations/${id}/open`)).status, 200);
  const step = async (id, action, side) => assert.equal((await admin.post(`/api/v1/evaluations/${id}/steps`,
    { action, side, text: '文字', scores: action === 'self' ? hand : undefined })).status, 200, action);
  await step(open, 'save', 0);
  await step(open, 'self', 1);
  for (const [action, side] of [['self', 0], ['self', 1], ['opinion', 0], ['opinion', 1], ['confirm', 0]])
    await step(closed, action, side);
  const report = await sendReport(site.server, 'pj_member', fx.item, { percent: 50 });
  await page('ln_coord', '/evaluations');
  await page('ln_coord', '/evaluations/{id}', `/evaluations/${draft}`);
  await page('ln_coord', '/evaluations/{id}', `/evaluations/${open}`);
  await page('ln_leader', '/evaluations/{id}', `/evaluations/${closed}`);
  await page('pj_member', '/evaluations/{id}/units/{id}', `/evaluations/${open}/units/${site.server.units.panjin}`);
  await page('pj_member', '/evaluations/{id}/cities/{id}', `/evaluations/${closed}/cities/3`);
  await page('pj_member', '/evaluations/{id}/sides/0', `/evaluations/${open}/sides/0`);
  await page('pj_member', '/evaluations/{id}/sides/1', `/evaluations/${open}/sides/1`);
  await page('ln_leader', '/evaluations/{id}/report', `/evaluations/${closed}/report`);
  await page('pj_member', '/reports/{id}', `/reports/${report}`);
  await page('pj_member', '/work-items/{id}', `/work-items/${fx.item}`);
});

test('events: the list, an event, the door page (on a phone too), the funnel', async () => {
  const c = await as(site.server, 'ln_coord');
  const day = new Date(Date.now() + 8 * 3600000 + 20 * 86400000).toISOString().slice(0, 10);
  const e = await c.post('/api/v1/events', { kind: 'docking', title: '遼寧行·瀋陽（裝備製造）', host_side: 0,
    host_region_code: '210100', starts: `${day}T09:00`, ends: `${day}T17:00`, place: '瀋陽國際展覽中心', capacity: 1,
    public: true, themes: ['C'], unit_ids: [site.server.units.panjin] });
  assert.equal(e.status, 201, e.body);
  const id = e.json.id;
  for (const unit of [site.server.units.panjin, site.server.units.liaoyang])
    assert.equal((await c.post(`/api/v1/events/${id}/registrations`, { unit_id: unit })).status, 201);
  await page('ln_coord', '/events');
  await page('pj_member', '/events', '/events?kind=docking');
  await page('ln_coord', '/events/{id}', `/events/${id}`);
  await page('ln_leader', '/events/{id}', `/events/${id}`);
  await page('ln_coord', '/events/{id}/checkin', `/events/${id}/checkin?number=1`);
  await page('ln_leader', '/funnel');
  await page('ln_coord', '/funnel', `/funnel?pairing=${LJ}&event=${id}`);
  // the door page is for a phone: one column, nothing sideways at 375 px
  const { page: p } = fx.ln_coord;
  await p.setViewportSize({ width: 375, height: 812 });
  for (const path of [`/events/${id}/checkin?number=1`, `/events/${id}`, '/events']) {
    await visit(p, path);
    await checkReflow(p);
  }
  await visit(p, `/events/${id}/checkin?number=1`);
  await screenshot(p, 'event-checkin-phone');
  await p.setViewportSize(DESKTOP);
});

test('enterprises and exchanges: the directory, an enterprise, the exchanges, a secondment', async () => {
  const c = await as(site.server, 'ln_coord');
  const ent = await c.post('/api/v1/enterprises', { name: '盤錦遼河裝備製造有限公司', region_code: '211100',
    industry: '35', size: 'small', contact_name: '王經理', contact_phone: '0427-1234567' });
  assert.equal(ent.status, 201, ent.body);
  const day = (d) => new Date(Date.now() + 8 * 3600000 + d * 86400000).toISOString().slice(0, 10);
  const x = await c.post('/api/v1/exchanges', { kind: 'secondment', title: '盤錦幹部赴無錫掛職', person_name: '王曉明',
    from_unit_id: site.server.units.panjin, host_unit_id: site.server.units.wuxi, post: '無錫市發改委副主任',
    field: '放管服改革', starts: day(-10), ends: day(20) });
  assert.equal(x.status, 201, x.body);
  await page('ln_coord', '/enterprises');
  await page('pj_member', '/enterprises/{id}', `/enterprises/${ent.json.id}`);
  await page('ln_coord', '/enterprises/{id}', `/enterprises/${ent.json.id}`);
  await page('ln_leader', '/exchanges');
  await page('ln_coord', '/exchanges', '/exchanges?kind=secondment');
  await page('ln_coord', '/exchanges/{id}', `/exchanges/${x.json.id}`);
});

test('the error pages: forbidden, not found, and the confirmation a POST shows', async () => {
  await page('pj_member', '/reviews', '/reviews', { status: 403 });
  await page('pj_member', '/plans/{id}/assign', '/plans/1/assign', { status: 403 });
  await sweep(fx.pj_member.page, '/no-such-page', { status: 404 });
  await sweep(fx.anon.page, '/no-such-page', { status: 404 });
  await sweep(fx.pj_member.page, '/tasks/999999', { status: 404 });
  await sweep(fx.ln_coord.page, '/work-plans/999999', { status: 404 });
  // Removing an item first asks: that page comes from a POST.
  const { page: p } = fx.ln_coord;
  await visit(p, `/work-plans/${fx.workPlan}`);
  const res = await submit(p, `form[action="/work-items/${fx.late}/remove"] button[type="submit"]`);
  assert.equal(res.status(), 200);
  assert.equal(await p.locator(`form[action="/work-items/${fx.late}/remove"] input[name="confirm"]`).count(), 1);
  await checkPage(p, { lang: 'zh-Hans' });
  // Setting up two-factor sign-in: the page with the QR code comes from a POST.
  const { page: m } = fx.pj_member;
  await visit(m, '/account/two-factor');
  const started = await submit(m, 'form[action="/account/two-factor/start"] button[type="submit"]');
  assert.equal(started.status(), 200);
  assert.equal(await m.locator('.qr svg').count(), 1);
  await checkPage(m, { lang: 'zh-Hans' });
});

test('every GET page of the routing table was swept', () => {
  const routes = pageRoutes();
  assert.ok(routes.length >= 15, `routes: ${routes}`);
  assert.deepEqual(routes.filter((r) => !swept.has(r)), [], 'GET pages without a sweep: add them above');
});

test('the keyboard on the dashboard, the work plan and the assignment page', async () => {
  for (const [user, path] of [['ln_leader', `/pairings/${LJ}/dashboard`], ['ln_coord', `/work-plans/${fx.workPlan}`],
    ['ln_coord', '/plans/1/assign']]) {
    const { page: p } = fx[user];
    await visit(p, path);
    const stops = await checkKeyboard(p, { max: 400 });
    assert.ok(stops.length > 5, `${path}: ${stops}`);
  }
});

test('on a phone nothing scrolls sideways: dashboard, my work, report form, work plan', async () => {
  const { page: p } = fx.pj_member;
  await p.setViewportSize(PHONE);
  for (const path of [`/pairings/${LJ}/dashboard`, '/my', `/items/${fx.item}/report`, `/work-plans/${fx.workPlan}`]) {
    await visit(p, path);
    await checkReflow(p);
  }
  await p.setViewportSize(DESKTOP);
  const { page: c } = fx.ln_coord;
  await c.setViewportSize(PHONE);
  await visit(c, `/work-plans/${fx.workPlan}`);
  await checkReflow(c);
  await c.setViewportSize(DESKTOP);
});

test('screenshots: search results and the audit log', async () => {
  const { page: p } = fx.ln_coord;
  await visit(p, '/my');
  await p.fill('#nav-q', '盤錦');
  await submit(p, 'form.nav-search button[type="submit"]');
  assert.equal(new URL(p.url()).pathname, '/search');
  assert.match(await p.locator('main').textContent(), /盤錦—無錫物聯網產業對接/);
  await screenshot(p, 'search');
  const { page: l } = fx.ln_leader;
  await visit(l, '/audit');
  assert.ok(await l.locator('main table tbody tr').count() > 0, 'entries');
  await screenshot(l, 'audit', { fullPage: false });
});
