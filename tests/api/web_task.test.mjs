// The task page (web/task.c) and the assignment page (web/assignment.c) as a browser without
// JavaScript uses them: form-encoded POSTs with Origin, 303 redirects, a cookie jar, and
// forms filled in from the page itself (hidden fields, selected options, checked boxes).
// Work plans, items, reports and reviews are made through the JSON API; what the pages
// save is checked through GET /api/v1/tasks/{id}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, PASSWORD, LJ } from './harness.mjs';
import { thisYear } from './clock.mjs';
import { WebClient } from './web_client.mjs';

let server;
const fx = {};
const YEAR = thisYear();
const PLAN = 1; // 遼寧省與江蘇省對口合作實施方案


const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');
const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// What a browser would send for the POST form of the page: hidden inputs, the selected option
// of each select, the checked checkboxes — as [name, value] pairs in document order.
function formOf(html) {
  const start = html.indexOf('<form class="assign"');
  assert.ok(start >= 0, 'the assignment form');
  const form = html.slice(start, html.indexOf('</form>', start));
  const pairs = [];
  const re = /<input type="hidden" name="([^"]+)" value="([^"]*)">|<select id="[^"]*" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>|<input type="checkbox" name="([^"]+)" value="([^"]+)"( checked)?>/g;
  for (const m of form.matchAll(re)) {
    if (m[1]) pairs.push([m[1], unescape(m[2])]);
    else if (m[3]) {
      const sel = /<option value="([^"]*)" selected>/.exec(m[4]);
      pairs.push([m[3], sel ? sel[1] : '']);
    } else if (m[7]) pairs.push([m[5], m[6]]);
  }
  return pairs;
}

// The pairs with task's lead set to lead and its supports replaced by support.
function choose(pairs, task, lead, support = []) {
  const out = pairs.filter(([k]) => k !== `support_${task}`)
    .map(([k, v]) => (k === `lead_${task}` ? [k, lead ? String(lead) : ''] : [k, v]));
  for (const s of support) out.push([`support_${task}`, String(s)]);
  return out;
}

// The <tr> of a task on the assignment page.
const rowOf = (html, task) => {
  const i = html.indexOf(`<tr id="task-${task}"`);
  assert.ok(i >= 0, `row of task ${task}`);
  return html.slice(i, html.indexOf('</tr>', i));
};

const sides = async (client, task) => {
  const t = (await client.get(`/api/v1/tasks/${task}`)).json;
  const of = (side, role) => t.assignments.filter((a) => a.side === side && a.role === role).map((a) => a.unit.id).sort();
  return { lead0: of(0, 'lead'), support0: of(0, 'support'), lead1: of(1, 'lead'), support1: of(1, 'support'), etag: t.assignments_etag };
};

before(async () => {
  server = await startServer();
  const u = server.units;
  fx.ln = await as(server, 'ln_coord');
  fx.js = await as(server, 'js_coord');
  fx.admin = await as(server, 'admin');
  const plan = (await fx.admin.get(`/api/v1/plans/${PLAN}`)).json;
  const byNo = (n) => plan.areas.flatMap((a) => a.tasks).find((t) => t.number === n).id;
  fx.t4 = byNo(4);
  fx.t7 = byNo(7);
  fx.t9 = byNo(9);
  fx.t10 = byNo(10);
  fx.t11 = byNo(11);
  fx.t12 = byNo(12);
  fx.t13 = byNo(13);

  // Both sides' units on task 4.
  let tag = (await fx.ln.get(`/api/v1/tasks/${fx.t4}`)).json.assignments_etag;
  let r = await fx.ln.put(`/api/v1/tasks/${fx.t4}/assignments`, { side: 0, lead: u.panjin, support: [u.liaoyang] }, { headers: { 'if-match': tag } });
  assert.equal(r.status, 200, r.body);
  r = await fx.js.put(`/api/v1/tasks/${fx.t4}/assignments`, { side: 1, lead: u.wuxi, support: [] }, { headers: { 'if-match': r.json.assignments_etag } });
  assert.equal(r.status, 200, r.body);

  // Items of task 4 in two years' work plans, reports and reviews on them, in a known order.
  const item = async (year, owner, title) => {
    const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year });
    assert.ok([200, 201].includes(wp.status), wp.body);
    const coord = owner === u.wuxi ? fx.js : fx.ln;
    const it = await coord.post(`/api/v1/work-plans/${wp.json.id}/items`, { title, owner_unit_id: owner, due: `${year}-12-20`, task_id: fx.t4 });
    assert.equal(it.status, 201, it.body);
    return it.json.id;
  };
  fx.itemOld = await item(YEAR - 1, u.panjin, '盤錦企業赴蘇南對接（上年度）');
  fx.itemNew = await item(YEAR, u.wuxi, '無錫接待遼寧企業考察團');
  const pj = await as(server, 'pj_member');
  const wx = await as(server, 'wx_member');
  const report = async (who, itemId, period, narrative, percent) => {
    const x = await who.post(`/api/v1/work-items/${itemId}/reports`, { period, status: 'on_track', percent, narrative });
    assert.equal(x.status, 201, x.body);
    return x.json.id;
  };
  fx.r1 = await report(pj, fx.itemOld, `${YEAR - 1}-11`, '第一份報告：已聯繫蘇南五市商務部門。', 20);
  r = await fx.ln.post(`/api/v1/reports/${fx.r1}/review`, { decision: 'returned', comment: '請列明參會企業名單。' });
  assert.equal(r.status, 201, r.body);
  fx.r2 = await report(pj, fx.itemOld, `${YEAR - 1}-11`, '第二份報告：參會企業52家，名單附後。' + '詳'.repeat(200), 60);
  fx.r3 = await report(wx, fx.itemNew, `${YEAR}-11`, '第三份報告：無錫接待考察團兩批。', 50);
  r = await fx.js.post(`/api/v1/reports/${fx.r3}/review`, { decision: 'accepted' });
  assert.equal(r.status, 201, r.body);
  // A report corrected before review: the first is replaced, never reviewed.
  fx.r4 = await report(wx, fx.itemNew, `${YEAR}-10`, '第四份報告：十月進展（初稿）。', 30);
  fx.r5 = await report(wx, fx.itemNew, `${YEAR}-10`, '第五份報告：十月進展（更正）。', 35);

  fx.pjWeb = await WebClient.signIn(server.base, 'pj_member');
  fx.lnWeb = await WebClient.signIn(server.base, 'ln_coord');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('the task page: text, targets, both sides, items across years, timeline newest first', async () => {
  const r = await fx.pjWeb.get(`/tasks/${fx.t4}?script=original`); // as stored (scripts.test.mjs)
  assert.equal(r.status, 200, r.body.slice(0, 300));
  const b = r.body;
  assert.match(b, new RegExp(`<a href="/plans/${PLAN}">遼寧省與江蘇省對口合作實施方案</a>`), 'breadcrumb to the plan');
  assert.match(b, /任务 4<\/span> 搭建經貿合作平臺/);
  assert.match(b, /不少于50家企業/, 'targets');
  assert.match(b, /<p class="task-body">[^<]*蘇南5市/, 'the full text');
  assert.match(b, /\(一\)深化改革擴大開放/, 'the key area');
  // Both sides with their units.
  const units = b.slice(b.indexOf('class="task-units"'), b.indexOf('</table>', b.indexOf('class="task-units"')));
  assert.match(units, /<th scope="row">遼寧省<\/th><td><span class="unit">盤錦市人民政府<\/span><\/td><td><span class="unit">遼陽市人民政府<\/span>/);
  assert.match(units, /<th scope="row">江蘇省<\/th><td><span class="unit">無錫市人民政府<\/span><\/td><td><span class="meta">尚未安排<\/span>/);
  // Items of two years, each with owner, due date and light in words.
  assert.match(b, new RegExp(`<h3 id="year-${YEAR - 1}">${YEAR - 1}年</h3>[\\s\\S]*盤錦企業赴蘇南對接（上年度）`));
  assert.match(b, new RegExp(`<h3 id="year-${YEAR}">${YEAR}年</h3>[\\s\\S]*無錫接待遼寧企業考察團`));
  assert.ok(b.indexOf(`id="year-${YEAR - 1}"`) < b.indexOf(`id="year-${YEAR}"`), 'years in order');
  assert.match(b, /class="badge light-(red|yellow|green|done)">(红灯|黄灯|绿灯|完成)</);
  assert.match(b, new RegExp(`${YEAR}年12月20日`));
  // The pj member owns the old item: a link to its report form, none to the other.
  assert.match(b, new RegExp(`<a href="/items/${fx.itemOld}/report">`));
  assert.doesNotMatch(b, new RegExp(`/items/${fx.itemNew}/report`));
  // The timeline: newest report first, each with its review.
  const tl = b.slice(b.indexOf('<ol class="timeline">'));
  const at = [fx.r3, fx.r2, fx.r1].map((id) => tl.indexOf(`id="report-${id}"`));
  assert.ok(at.every((i) => i >= 0), `every report on the timeline: ${at}`);
  assert.deepEqual([...at].sort((x, y) => x - y), at, 'newest first');
  const entry = (id) => tl.slice(tl.indexOf(`id="report-${id}"`), tl.indexOf('</li>', tl.indexOf(`id="report-${id}"`)));
  assert.match(entry(fx.r1), /已退回/);
  assert.match(entry(fx.r1), /請列明參會企業名單。/);
  assert.match(entry(fx.r1), /pj_member/);
  assert.match(entry(fx.r1), /盤錦市人民政府/);
  assert.match(entry(fx.r1), /20%/);
  assert.match(entry(fx.r2), /待审核/);
  assert.match(entry(fx.r2), /60%/);
  assert.match(entry(fx.r2), /第二份報告：參會企業52家/);
  assert.match(entry(fx.r2), /詳…<\/p>/, 'a long narrative is cut');
  assert.doesNotMatch(entry(fx.r2), /詳{150}/);
  assert.match(entry(fx.r3), /已通过/);
  assert.match(entry(fx.r3), /js_coord/);
  assert.match(entry(fx.r3), new RegExp(`${YEAR}年11月`));
  assert.match(entry(fx.r3), /正常推进/);
  assert.match(entry(fx.r4), /class="review review-superseded">已被新报告取代</);
  assert.doesNotMatch(entry(fx.r4), /待审核/);
  assert.match(entry(fx.r5), /class="review review-pending">待审核</);
  noBareIds(b);

  // An older page of the timeline.
  const older = await fx.pjWeb.get(`/tasks/${fx.t4}?before=${fx.r3}`);
  assert.equal(older.status, 200);
  assert.doesNotMatch(older.body, new RegExp(`id="report-${fx.r3}"`));
  assert.match(older.body, new RegExp(`id="report-${fx.r2}"`));
  assert.match(older.body, /回到最新记录/);
  assert.equal((await fx.pjWeb.get(`/tasks/${fx.t4}?before=x`)).status, 400);

  // City pairings named under a task; another pairing's user is refused; no such task.
  const t7 = await fx.pjWeb.get(`/tasks/${fx.t7}?script=original`);
  assert.match(t7.body, /盤錦市 — 無錫市/);
  // Task 7's source text lost characters (the seed's damaged_text): the page says so.
  assert.match(t7.body, /<p class="damaged-note">注：本段原文有字符损坏/);
  assert.doesNotMatch(b, /damaged-note/, 'task 4 is whole');
  const plan = (await fx.admin.get(`/api/v1/plans/${PLAN}`)).json.areas.flatMap((a) => a.tasks);
  assert.deepEqual(plan.filter((t) => t.damaged).map((t) => t.number), [1, 3, 7, 10]); // of the tasks in key areas
  assert.match((await new WebClient(server.base).get(`/plans/${PLAN}`)).body, /class="damaged-note"/);
  assert.match(t7.body, /尚无进展报告。/);
  const dl = await WebClient.signIn(server.base, 'dl_coord');
  assert.equal((await dl.get(`/tasks/${fx.t4}`)).status, 404); // another pairing's: as a missing one
  assert.equal((await fx.pjWeb.get('/tasks/999999')).status, 404);
  const anon = await new WebClient(server.base).get(`/tasks/${fx.t4}`);
  assert.equal(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=/);
});

test('the plan page links the tasks for the pairing, and the assignment page for a coordinator', async () => {
  const ln = await fx.lnWeb.get(`/plans/${PLAN}?script=original`);
  assert.match(ln.body, new RegExp(`<a class="task-title" href="/tasks/${fx.t4}">搭建經貿合作平臺</a>`));
  assert.match(ln.body, new RegExp(`<a class="button" href="/plans/${PLAN}/assign">安排承办单位</a>`));
  const pj = await fx.pjWeb.get(`/plans/${PLAN}`);
  assert.match(pj.body, new RegExp(`href="/tasks/${fx.t4}"`));
  assert.doesNotMatch(pj.body, /\/assign"/);
  const anon = await new WebClient(server.base).get(`/plans/${PLAN}`);
  assert.equal(anon.status, 200);
  assert.doesNotMatch(anon.body, /href="\/tasks\/|\/assign"/);
  // (the navigation's own 任务分工 link, /assign, leads to the other pairing's plan)
  const dl = await WebClient.signIn(server.base, 'dl_coord');
  assert.doesNotMatch((await dl.get(`/plans/${PLAN}`)).body, new RegExp(`href="/tasks/|/plans/${PLAN}/assign"`));
});

test('the assignment form saves several tasks at once, each change audited', async () => {
  const u = server.units;
  let r = await fx.lnWeb.get(`/plans/${PLAN}/assign`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<th scope="colgroup" colspan="3">\(一\)深化改革擴大開放<\/th>/, 'grouped by key area');
  // Pre-filled with task 4's assignment; only side 0's units are offered.
  const row4 = rowOf(r.body, fx.t4);
  assert.match(row4, new RegExp(`<option value="${u.panjin}" selected>盤錦市人民政府</option>`));
  assert.match(row4, new RegExp(`name="support_${fx.t4}" value="${u.liaoyang}" checked>`));
  assert.doesNotMatch(r.body, /無錫市人民政府/);
  assert.match(row4, new RegExp(`<label class="visually-hidden" for="lead-${fx.t4}">`));
  const auditBefore = (await fx.admin.get('/api/v1/audit?action=assignment.set&limit=200')).json.entries.length;

  let pairs = formOf(r.body);
  assert.ok(pairs.some(([k]) => k === 'csrf_token'));
  pairs = choose(pairs, fx.t9, u.liaoyang, [u.panjin, u.ln_office]);
  pairs = choose(pairs, fx.t10, u.ln_office);
  pairs = choose(pairs, fx.t4, u.panjin, []); // drop the support
  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, pairs);
  assert.equal(r.status, 303, r.body.slice(0, 400));
  assert.equal(r.location, `/plans/${PLAN}/assign?side=0&done=saved`);
  assert.match((await fx.lnWeb.get(r.location)).body, /承办单位已保存。/);

  let s = await sides(fx.admin, fx.t9);
  assert.deepEqual(s.lead0, [u.liaoyang]);
  assert.deepEqual(s.support0, [u.ln_office, u.panjin].sort());
  s = await sides(fx.admin, fx.t10);
  assert.deepEqual(s.lead0, [u.ln_office]);
  s = await sides(fx.admin, fx.t4);
  assert.deepEqual(s.lead0, [u.panjin]);
  assert.deepEqual(s.support0, []);
  assert.deepEqual(s.lead1, [u.wuxi], "the other side's units stay");
  const audit = (await fx.admin.get('/api/v1/audit?action=assignment.set&limit=200')).json.entries;
  assert.equal(audit.length - auditBefore, 3, 'one audit row per changed task');

  // The same form again changes nothing.
  r = await fx.lnWeb.get(`/plans/${PLAN}/assign`);
  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, formOf(r.body));
  assert.equal(r.status, 303);
  assert.equal(r.location, `/plans/${PLAN}/assign?side=0&done=unchanged`);
});

test('a stale form gives 409 with the choices kept; saving again keeps them', async () => {
  const u = server.units;
  const page = await fx.lnWeb.get(`/plans/${PLAN}/assign`);
  // Meanwhile someone changes task 11 through the API.
  const tag = (await fx.ln.get(`/api/v1/tasks/${fx.t11}`)).json.assignments_etag;
  let r = await fx.ln.put(`/api/v1/tasks/${fx.t11}/assignments`, { side: 0, lead: u.ln_office, support: [] }, { headers: { 'if-match': tag } });
  assert.equal(r.status, 200, r.body);

  let pairs = formOf(page.body);
  pairs = choose(pairs, fx.t11, u.liaoyang, [u.panjin]);
  pairs = choose(pairs, fx.t12, u.panjin);
  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, pairs);
  assert.equal(r.status, 409);
  assert.match(r.body, /role="alert">部分任务的承办单位在您编辑期间已被他人修改/);
  const row11 = rowOf(r.body, fx.t11);
  assert.match(row11, new RegExp(`id="task-${fx.t11}-error">此任务的安排已被他人修改`));
  assert.match(row11, /牵头单位: 遼寧省發展和改革委員會/, 'the stored set beside the choices');
  assert.match(row11, new RegExp(`<option value="${u.liaoyang}" selected>`), 'the choice kept');
  assert.match(row11, new RegExp(`name="support_${fx.t11}" value="${u.panjin}" checked`));
  assert.match(row11, new RegExp(`aria-describedby="task-${fx.t11}-error"`));
  assert.match(rowOf(r.body, fx.t12), new RegExp(`<option value="${u.panjin}" selected>`), 'other changes kept');
  assert.doesNotMatch(rowOf(r.body, fx.t12), /field-error/);
  // Nothing was saved.
  assert.deepEqual((await sides(fx.admin, fx.t11)).lead0, [u.ln_office]);
  assert.deepEqual((await sides(fx.admin, fx.t12)).lead0, []);

  // A change of only the other side's units meanwhile is no conflict.
  const again = await fx.lnWeb.get(`/plans/${PLAN}/assign`);
  const t13 = (await fx.js.get(`/api/v1/tasks/${fx.t13}`)).json.assignments_etag;
  assert.equal((await fx.js.put(`/api/v1/tasks/${fx.t13}/assignments`, { side: 1, lead: u.wuxi, support: [] },
    { headers: { 'if-match': t13 } })).status, 200);
  let ok = await fx.lnWeb.send(`/plans/${PLAN}/assign`, choose(formOf(again.body), fx.t13, u.liaoyang));
  assert.equal(ok.status, 303, ok.body.slice(0, 300));
  const s13 = await sides(fx.admin, fx.t13);
  assert.deepEqual([s13.lead0, s13.lead1], [[u.liaoyang], [u.wuxi]]);

  // Sending the form of the 409 page saves the person's choices.
  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, formOf(r.body));
  assert.equal(r.status, 303, r.body.slice(0, 300));
  let s = await sides(fx.admin, fx.t11);
  assert.deepEqual(s.lead0, [u.liaoyang]);
  assert.deepEqual(s.support0, [u.panjin]);
  assert.deepEqual((await sides(fx.admin, fx.t12)).lead0, [u.panjin]);
});

test('units of the other side or unknown units: 422 next to the row, nothing saved', async () => {
  const u = server.units;
  const page = await fx.lnWeb.get(`/plans/${PLAN}/assign`);
  const base = formOf(page.body);
  let r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, choose(choose(base, fx.t7, u.wuxi), fx.t12, u.liaoyang));
  assert.equal(r.status, 422);
  assert.match(rowOf(r.body, fx.t7), new RegExp(`id="task-${fx.t7}-error">只能安排本方单位。`));
  assert.doesNotMatch(rowOf(r.body, fx.t12), /field-error/);
  assert.match(rowOf(r.body, fx.t12), new RegExp(`<option value="${u.liaoyang}" selected>`), 'input kept');
  assert.deepEqual((await sides(fx.admin, fx.t7)).lead0, []);
  assert.deepEqual((await sides(fx.admin, fx.t12)).lead0, [u.panjin], 'all or nothing');

  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, choose(base, fx.t7, u.panjin, [999999]));
  assert.equal(r.status, 422);
  assert.match(rowOf(r.body, fx.t7), /单位不存在。/);
  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, choose(base, fx.t7, u.panjin, [u.panjin]));
  assert.equal(r.status, 422);
  assert.match(rowOf(r.body, fx.t7), /牵头单位不能同时作为配合单位。/);
  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, choose(base, fx.t7, 0, [u.panjin]));
  assert.equal(r.status, 422);
  assert.match(rowOf(r.body, fx.t7), /安排配合单位前请先选择牵头单位。/);
  assert.deepEqual((await sides(fx.admin, fx.t7)).support0, []);
  noBareIds(r.body);
});

test('who may assign: members 403, no CSRF token 403, the admin chooses a side', async () => {
  const u = server.units;
  let r = await fx.pjWeb.get(`/plans/${PLAN}/assign`);
  assert.equal(r.status, 403);
  assert.match(r.body, /无权访问/);
  const page = await fx.lnWeb.get(`/plans/${PLAN}/assign`);
  const pairs = choose(formOf(page.body), fx.t7, u.panjin);
  r = await fx.pjWeb.send(`/plans/${PLAN}/assign`, pairs);
  assert.equal(r.status, 403);
  const leader = await WebClient.signIn(server.base, 'ln_leader');
  assert.equal((await leader.get(`/plans/${PLAN}/assign`)).status, 403);
  const dl = await WebClient.signIn(server.base, 'dl_coord');
  assert.equal((await dl.get(`/plans/${PLAN}/assign`)).status, 404); // another pairing's plan

  r = await fx.lnWeb.send(`/plans/${PLAN}/assign`, pairs.filter(([k]) => k !== 'csrf_token'));
  assert.equal(r.status, 403);
  assert.deepEqual((await sides(fx.admin, fx.t7)).lead0, [], 'nothing saved without the token');

  // Jiangsu's coordinator sees its own side's units.
  const js = await WebClient.signIn(server.base, 'js_coord');
  r = await js.get(`/plans/${PLAN}/assign`);
  assert.equal(r.status, 200);
  assert.match(rowOf(r.body, fx.t4), new RegExp(`<option value="${u.wuxi}" selected>無錫市人民政府</option>`));
  assert.doesNotMatch(r.body, /盤錦市人民政府/);

  const admin = await WebClient.signIn(server.base, 'admin');
  r = await admin.get(`/plans/${PLAN}/assign?side=1`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<option value="1" selected>江蘇省<\/option>/);
  r = await admin.send(`/plans/${PLAN}/assign`, choose(formOf(r.body), fx.t7, u.js_office, [u.wuxi]));
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.equal(r.location, `/plans/${PLAN}/assign?side=1&done=saved`);
  const s = await sides(fx.admin, fx.t7);
  assert.deepEqual(s.lead1, [u.js_office]);
  assert.deepEqual(s.support1, [u.wuxi]);
});

test('the pages in three languages show no bare message ids', async () => {
  for (const lang of ['zh-Hans', 'zh-Hant', 'en']) {
    for (const path of [`/tasks/${fx.t4}`, `/plans/${PLAN}/assign`, `/plans/${PLAN}`]) {
      const r = await fx.lnWeb.get(`${path}?lang=${lang}`);
      assert.equal(r.status, 200, `${lang} ${path}`);
      assert.match(r.body, new RegExp(`<html lang="${lang}">`));
      noBareIds(r.body);
    }
  }
  const en = await fx.lnWeb.get(`/tasks/${fx.t4}?lang=en`);
  assert.match(en.body, /Reports and reviews/);
  assert.match(en.body, /Lead unit/);
  const hant = await fx.lnWeb.get(`/plans/${PLAN}/assign?lang=zh-Hant`);
  assert.match(hant.body, /儲存全部變更/);
  await fx.lnWeb.get(`/plans/${PLAN}?lang=zh-Hans`);
});

// "Also expected" in issue 15: an item's progress over time on the task page — a small SVG
// column chart of each period's latest report (the replaced one left out), its percent as
// the height, pale while not accepted, every value in words.
test('each item shows its progress across periods as a chart', async () => {
  const b = (await fx.pjWeb.get(`/tasks/${fx.t4}?script=original`)).body;
  const charts = [...b.matchAll(/<svg class="progress-chart" role="img" aria-label="([^"]+)"[\s\S]*?<\/svg>/g)];
  assert.equal(charts.length, 2, 'one chart per item');
  const [label, svg] = [charts.find((m) => m[1].includes('無錫接待遼寧企業考察團'))?.[1],
    charts.find((m) => m[1].includes('無錫接待遼寧企業考察團'))?.[0]];
  assert.ok(label, 'the chart of the item of this year');
  // October (the correction, 35 %, pending) before November (50 %, accepted)
  assert.match(label, new RegExp(`${YEAR}年10月 35% 正常推进（待审核）[^"]*${YEAR}年11月 50% 正常推进（已通过）`));
  assert.doesNotMatch(label, /30%/, 'the replaced report is not a point');
  const bars = [...svg.matchAll(/<rect x="\d+" y="\d+" width="\d+" height="(\d+)" fill="#[0-9a-f]{6}"( fill-opacity)?/g)];
  assert.equal(bars.length, 2);
  assert.ok(Number(bars[1][1]) > Number(bars[0][1]), '50 % is taller than 35 %');
  assert.ok(bars[0][2] && !bars[1][2], 'pending pale, accepted full');
  assert.match(svg, />35%<\/text>[\s\S]*>10<\/text>[\s\S]*>50%<\/text>[\s\S]*>11<\/text>/);
});
