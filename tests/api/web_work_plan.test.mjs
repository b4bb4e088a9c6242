// The work plan editor through its HTML pages (web/work_plan.c), as a browser without
// JavaScript uses it: form-encoded POSTs with Origin and the csrf_token of the page, 303
// redirects followed by hand, every revision taken from the hidden field of the page shown.
// The whole cycle: open a year, add two items, edit one, remove one, submit, both lead
// offices approve → agreed; then a member's view, a stale edit, a bad date, three languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, PASSWORD, LJ } from './harness.mjs';
import { localDay as cst, DAY, today, thisYear, zhDate } from './clock.mjs';
import { WebClient } from './web_client.mjs';

let server;
const fx = {};

const YEAR = thisYear();


const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');

// The form posting to action, and the revision in its hidden field.
const formOf = (body, action) => {
  const i = body.indexOf(`action="${action}"`);
  assert.ok(i > 0, `a form posting to ${action}`);
  return body.slice(i, body.indexOf('</form>', i));
};
const revisionOf = (body, action) => {
  const m = /name="revision" value="(\d+)"/.exec(formOf(body, action));
  assert.ok(m, `revision in the form of ${action}`);
  return m[1];
};
const rowOf = (body, id) => {
  const i = body.indexOf(`<tr id="item-${id}">`);
  assert.ok(i > 0, `row of item ${id}`);
  return body.slice(i, body.indexOf('</tr>', i));
};
const itemIds = (body) => [...body.matchAll(/<tr id="item-(\d+)">/g)].map((m) => Number(m[1]));

before(async () => {
  server = await startServer();
  const plan = (await (await as(server, 'admin')).get('/api/v1/plans/1')).json;
  const tasks = plan.areas.flatMap((a) => a.tasks);
  fx.task7 = tasks.find((t) => t.number === 7);
  fx.task4 = tasks.find((t) => t.number === 4);
  fx.ln = await WebClient.signIn(server.base, 'ln_coord');
  fx.js = await WebClient.signIn(server.base, 'js_coord');
  fx.pj = await WebClient.signIn(server.base, 'pj_member');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

const item = (fields) => ({
  task_id: String(fx.task7.id), title: '盤錦—無錫物聯網產業對接', owner_unit_id: String(server.units.panjin),
  indicator: '簽約項目數', target_value: '3 個', due: `${YEAR}-12-20`, ...fields,
});

test('the whole cycle through the forms: open, add, edit, remove, submit, approve twice', async () => {
  const { ln, js } = fx;
  // The list, and the form to open a year.
  let r = await ln.get('/work-plans');
  assert.equal(r.status, 200);
  assert.match(r.body, /尚无年度工作计划。/);
  assert.match(formOf(r.body, '/work-plans'), new RegExp(`name="year" min="2000" max="2100" step="1" inputmode="numeric" value="${YEAR}"`));
  r = await ln.post('/work-plans', { year: String(YEAR) });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const m = /^\/work-plans\/(\d+)$/.exec(r.location);
  assert.ok(m, r.location);
  fx.wp = Number(m[1]);
  // Opening the same year again finds the same plan.
  r = await js.post('/work-plans', { year: String(YEAR) });
  assert.equal(r.location, `/work-plans/${fx.wp}`);

  r = await ln.get(`/work-plans/${fx.wp}`);
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`${YEAR}年度工作计划`));
  assert.match(r.body, /class="badge wp-state wp-state-draft">草稿</);
  assert.match(r.body, /该计划还没有事项。/);
  const add = formOf(r.body, `/work-plans/${fx.wp}/items`);
  assert.match(add, /name="csrf_token"/);
  assert.match(add, new RegExp(`<option value="${fx.task7.id}">7 `));
  assert.match(add, new RegExp(`<option value="${server.units.panjin}">盤錦市人民政府</option>`));
  assert.doesNotMatch(add.slice(0, add.indexOf('id="support"')), /無錫市人民政府/, 'owners: own side only');
  assert.match(add.slice(add.indexOf('id="support"')), /無錫市人民政府/, 'support: either side');
  for (const name of ['task_id', 'title', 'owner_unit_id', 'indicator', 'target_value', 'due'])
    assert.match(add, new RegExp(`<label for="${name}">`), `label for ${name}`);
  // 配合单位: a checkbox per unit in a fieldset named by its legend (no Ctrl-click); the due
  // date a date input
  assert.match(add, /<fieldset id="support" class="wp-support"[^>]*>\n<legend>配合单位<\/legend>/);
  assert.match(add, new RegExp(`<label class="choice"><input type="checkbox" name="support" value="${server.units.wuxi}"> 無錫市人民政府</label>`));
  assert.doesNotMatch(add, /<select[^>]*multiple/);
  assert.match(add, /<input type="date" id="due" name="due"/);
  assert.doesNotMatch(r.body, /action="\/work-plans\/\d+\/submit"/, 'nothing to submit yet');

  // Two items.
  r = await ln.post(`/work-plans/${fx.wp}/items`, [['revision', revisionOf(r.body, `/work-plans/${fx.wp}/items`)],
    ...Object.entries(item()), ['support', String(server.units.wuxi)]]);
  assert.equal(r.status, 303, r.body.slice(0, 400));
  assert.equal(r.location, `/work-plans/${fx.wp}?done=added`);
  r = await ln.get(r.location);
  assert.match(r.body, /事项已添加。/);
  r = await ln.post(`/work-plans/${fx.wp}/items`, { revision: revisionOf(r.body, `/work-plans/${fx.wp}/items`),
    ...item({ title: '遼陽—南通產業園共建', task_id: String(fx.task4.id), owner_unit_id: String(server.units.liaoyang), indicator: '', target_value: '' }) });
  assert.equal(r.status, 303, r.body.slice(0, 400));
  r = await ln.get(`/work-plans/${fx.wp}`);
  const [first, second] = itemIds(r.body);
  assert.ok(first && second, 'two rows');
  const row1 = rowOf(r.body, first);
  assert.match(row1, new RegExp(`<span class="task-no">7</span> ${fx.task7.title}`));
  assert.match(row1, /盤錦—無錫物聯網產業對接/);
  assert.match(row1, /盤錦市人民政府/);
  assert.match(row1, /無錫市人民政府/);
  assert.match(row1, /簽約項目數/);
  assert.match(row1, /3 個/);
  assert.match(row1, new RegExp(zhDate(`${YEAR}-12-20`)));
  assert.match(row1, /class="badge light-/);
  assert.match(row1, new RegExp(`href="/work-items/${first}/edit"`));
  assert.match(rowOf(r.body, second), /遼陽市人民政府/);

  // Edit the first: the form comes filled in; change the title and the target.
  r = await ln.get(`/work-items/${first}/edit`);
  assert.equal(r.status, 200);
  const edit = formOf(r.body, `/work-items/${first}/edit`);
  assert.match(edit, /id="title" name="title" maxlength="200" value="盤錦—無錫物聯網產業對接"/);
  assert.match(edit, new RegExp(`<option value="${fx.task7.id}" selected>`));
  assert.match(edit, new RegExp(`<input type="checkbox" name="support" value="${server.units.wuxi}" checked>`));
  assert.match(edit, new RegExp(`value="${YEAR}-12-20"`));
  r = await ln.post(`/work-items/${first}/edit`, [['revision', revisionOf(r.body, `/work-items/${first}/edit`)],
    ...Object.entries(item({ title: '盤錦—無錫物聯網產業對接（第一批）', target_value: '5 個' })),
    ['support', String(server.units.wuxi)]]);
  assert.equal(r.status, 303, r.body.slice(0, 400));
  assert.equal(r.location, `/work-plans/${fx.wp}?done=saved`);
  r = await ln.get(r.location);
  assert.match(r.body, /修改已保存。/);
  assert.match(rowOf(r.body, first), /盤錦—無錫物聯網產業對接（第一批）/);
  assert.match(rowOf(r.body, first), /5 個/);
  assert.match(rowOf(r.body, first), /無錫市人民政府/, 'support kept');

  // Remove the second: the button asks first, then removes.
  const rm = `/work-items/${second}/remove`;
  r = await ln.post(rm, { revision: revisionOf(r.body, rm) });
  assert.equal(r.status, 200);
  assert.match(r.body, /确定从计划中删除此事项吗？/);
  assert.match(r.body, /遼陽—南通產業園共建/);
  assert.match(formOf(r.body, rm), /name="confirm" value="yes"/);
  assert.equal(itemIds((await ln.get(`/work-plans/${fx.wp}`)).body).length, 2, 'not removed before confirming');
  r = await ln.post(rm, { revision: revisionOf(r.body, rm), confirm: 'yes' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/work-plans/${fx.wp}?done=removed`);
  r = await ln.get(r.location);
  assert.match(r.body, /事项已删除。/);
  assert.deepEqual(itemIds(r.body), [first]);
  assert.doesNotMatch(r.body, /遼陽—南通產業園共建/);

  // Submit.
  const sub = `/work-plans/${fx.wp}/submit`;
  r = await ln.post(sub, { revision: revisionOf(r.body, sub) });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/work-plans/${fx.wp}?done=submitted`);
  r = await ln.get(r.location);
  assert.match(r.body, /class="badge wp-state wp-state-submitted">已提交，待审批</);
  assert.equal((r.body.match(/注意：该计划已提交或已商定。/g) ?? []).length, 1,
    'the editor is told once, above the add form, that an edit reopens it');

  // Liaoning's lead office approves for side a; it has no button for side b.
  const ap = `/work-plans/${fx.wp}/approve`;
  assert.equal((r.body.match(/action="\/work-plans\/\d+\/approve"/g) ?? []).length, 1);
  assert.match(formOf(r.body, ap), /审批通过：遼寧省/);
  r = await ln.post(ap, { revision: revisionOf(r.body, ap) });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/work-plans/${fx.wp}?done=approved`);
  r = await ln.get(r.location);
  assert.match(r.body, /id="approval-0">已审批：ln_coord（遼寧省發展和改革委員會）/);
  assert.match(r.body, /id="approval-1"><span class="meta">尚未审批/);
  assert.doesNotMatch(r.body, /action="\/work-plans\/\d+\/approve"/);

  // Jiangsu's lead office approves for side b: agreed.
  r = await js.get(`/work-plans/${fx.wp}`);
  assert.match(formOf(r.body, ap), /审批通过：江蘇省/);
  assert.doesNotMatch(rowOf(r.body, first), /\/edit"/, "no edit link on the other side's item");
  r = await js.post(ap, { revision: revisionOf(r.body, ap) });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/work-plans/${fx.wp}?done=agreed`);
  r = await js.get(r.location);
  assert.match(r.body, /双方均已审批，计划已商定。/);
  assert.match(r.body, /class="badge wp-state wp-state-agreed">双方已商定</);
  const day = `(${zhDate(today())}|${zhDate(today(-1))})`; // approved just now, maybe before midnight in China
  assert.match(r.body, new RegExp(`id="approval-0">已审批：ln_coord（遼寧省發展和改革委員會） · ${day}`));
  assert.match(r.body, new RegExp(`id="approval-1">已审批：js_coord（江蘇省發展和改革委員會） · ${day}`));
  assert.doesNotMatch(r.body, /action="\/work-plans\/\d+\/(approve|submit)"/);

  // The list shows the year with its state and both approvals.
  r = await ln.get('/work-plans');
  assert.match(r.body, new RegExp(`<a href="/work-plans/${fx.wp}">${YEAR}年度工作计划</a>`));
  assert.match(r.body, /双方已商定/);
  assert.match(r.body, /遼寧省：已审批 · ln_coord/);
  assert.match(r.body, /江蘇省：已审批 · js_coord/);
  // Stored: the JSON API sees the same plan.
  const api = await (await as(server, 'ln_leader')).get(`/api/v1/work-plans/${fx.wp}`);
  assert.equal(api.json.status, 'agreed');
  assert.deepEqual(api.json.items.map((i) => i.title), ['盤錦—無錫物聯網產業對接（第一批）']);
  fx.item = first;
});

test('a member sees the plan, no forms, and every POST is refused', async () => {
  const { pj } = fx;
  let r = await pj.get(`/work-plans/${fx.wp}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /盤錦—無錫物聯網產業對接（第一批）/);
  assert.match(r.body, /双方已商定/);
  assert.doesNotMatch(r.body, /<form method="post" action="\/work-/);
  assert.doesNotMatch(r.body, /\/edit"|name="revision"/);
  r = await pj.get('/work-plans');
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`href="/work-plans/${fx.wp}"`));
  assert.doesNotMatch(r.body, /action="\/work-plans"/);
  for (const [path, form] of [
    ['/work-plans', { year: String(YEAR + 1) }],
    [`/work-plans/${fx.wp}/items`, { revision: '1', ...item() }],
    [`/work-plans/${fx.wp}/submit`, { revision: '1' }],
    [`/work-plans/${fx.wp}/approve`, { revision: '1' }],
    [`/work-items/${fx.item}/edit`, { revision: '1', ...item() }],
    [`/work-items/${fx.item}/remove`, { revision: '1', confirm: 'yes' }],
  ]) {
    r = await pj.post(path, form);
    assert.equal(r.status, 403, path);
    assert.match(r.body, /无权访问/, path);
  }
  r = await pj.get(`/work-items/${fx.item}/edit`);
  assert.equal(r.status, 403);
  // A coordinator of another pairing does not see it at all: not found, as a missing one.
  const dl = await WebClient.signIn(server.base, 'dl_coord');
  assert.equal((await dl.get(`/work-plans/${fx.wp}`)).status, 404);
  // The plan is unchanged.
  r = await fx.ln.get(`/work-plans/${fx.wp}`);
  assert.deepEqual(itemIds(r.body), [fx.item]);
  assert.match(r.body, /wp-state-agreed/);
});

test('a stale edit is answered 409 with the typed input kept; the edit then reopens the agreed plan', async () => {
  const { ln } = fx;
  const path = `/work-items/${fx.item}/edit`;
  let r = await ln.get(path);
  assert.match(r.body, /注意：该计划已提交或已商定。/, 'told before editing');
  const seen = revisionOf(r.body, path);
  // Someone else (the same office, in another window) saves first.
  const other = await WebClient.signIn(server.base, 'ln_coord');
  const o = await other.get(path);
  r = await other.post(path, [['revision', revisionOf(o.body, path)],
    ...Object.entries(item({ title: '盤錦—無錫物聯網產業對接（他人修改）' }))]);
  assert.equal(r.status, 303);
  assert.equal(r.location, `/work-plans/${fx.wp}?done=reopened`);
  // Our edit, made against what we saw.
  r = await ln.post(path, [['revision', seen], ...Object.entries(item({ title: '我輸入的新標題 <b>' }))]);
  assert.equal(r.status, 409);
  assert.match(r.body, /此内容已被他人修改。/);
  assert.match(r.body, /id="title" name="title" maxlength="200" value="我輸入的新標題 &lt;b&gt;"/);
  assert.match(r.body, /当前保存的内容/);
  assert.match(r.body, /盤錦—無錫物聯網產業對接（他人修改）/);
  const fresh = revisionOf(r.body, path);
  assert.notEqual(fresh, seen);
  // Sent again from that page: saved.
  r = await ln.post(path, [['revision', fresh], ...Object.entries(item({ title: '我輸入的新標題' }))]);
  assert.equal(r.status, 303);
  r = await ln.get(`/work-plans/${fx.wp}`);
  assert.match(rowOf(r.body, fx.item), /我輸入的新標題/);
  // The plan went back to draft; the cleared approvals stay on record.
  assert.match(r.body, /wp-state-draft/);
  assert.match(r.body, /id="approval-0"><span class="meta">尚未审批/);
  assert.match(r.body, /此前的审批（因计划修改已撤销）/);
  // A submit from a page shown before a change is refused the same way.
  const sub = `/work-plans/${fx.wp}/submit`;
  const rev = revisionOf(r.body, sub);
  await other.post(`/work-plans/${fx.wp}/items`, { revision: revisionOf((await other.get(`/work-plans/${fx.wp}`)).body, `/work-plans/${fx.wp}/items`), ...item({ title: '另一事項' }) });
  r = await ln.post(sub, { revision: rev });
  assert.equal(r.status, 409);
  assert.match(r.body, /此计划在您打开后已被他人修改/);
  // An add made against an older revision keeps what was typed too.
  r = await ln.post(`/work-plans/${fx.wp}/items`, { revision: rev, ...item({ title: '過期頁面上填寫的事項' }) });
  assert.equal(r.status, 409);
  assert.match(r.body, /value="過期頁面上填寫的事項"/);
});

test('a bad due date is answered 422 next to the field, with the input kept', async () => {
  const { ln } = fx;
  let r = await ln.get(`/work-plans/${fx.wp}`);
  const action = `/work-plans/${fx.wp}/items`;
  r = await ln.post(action, { revision: revisionOf(r.body, action), ...item({ title: '日期有誤的事項', due: `${YEAR}-02-30` }) });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="due-error">日期格式应为 YYYY-MM-DD。</);
  assert.match(r.body, /id="due" name="due" maxlength="10" value="\d{4}-02-30" aria-invalid="true" aria-describedby="due-error due-hint"/);
  assert.match(r.body, /value="日期有誤的事項"/);
  assert.match(r.body, /value="簽約項目數"/);
  assert.match(r.body, /提交的内容有误/);
  // Out of the plan's year ±1, and a missing title with it.
  r = await ln.post(action, { revision: revisionOf(r.body, action), ...item({ title: '', due: `${YEAR + 5}-01-01` }) });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="title-error">此项为必填项。</);
  // The edit form answers the same way.
  const edit = `/work-items/${fx.item}/edit`;
  r = await ln.get(edit);
  r = await ln.post(edit, { revision: revisionOf(r.body, edit), ...item({ due: 'tomorrow' }) });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="due-error">日期格式应为 YYYY-MM-DD。</);
  assert.match(r.body, /value="tomorrow"/);
  // Nothing was stored.
  r = await ln.get(`/work-plans/${fx.wp}`);
  assert.doesNotMatch(r.body, /日期有誤的事項/);
});

test('the pages in three languages show no bare message ids; print hides the forms', async () => {
  const { ln, pj } = fx;
  const rm = `/work-items/${fx.item}/remove`;
  for (const lang of ['zh-Hans', 'zh-Hant', 'en']) {
    for (const [b, path] of [[ln, '/work-plans'], [ln, `/work-plans/${fx.wp}`], [pj, `/work-plans/${fx.wp}`],
      [ln, `/work-items/${fx.item}/edit`]]) {
      const r = await b.get(`${path}?lang=${lang}`);
      assert.equal(r.status, 200, `${lang} ${path}`);
      assert.match(r.body, new RegExp(`<html lang="${lang}">`));
      noBareIds(r.body);
    }
    const plan = await ln.get(`/work-plans/${fx.wp}?lang=${lang}`);
    const r = await ln.post(`${rm}?lang=${lang}`, { revision: revisionOf(plan.body, rm) });
    assert.equal(r.status, 200);
    noBareIds(r.body);
    const bad = await ln.post(`/work-plans/${fx.wp}/items?lang=${lang}`, { revision: revisionOf(plan.body, `/work-plans/${fx.wp}/items`), ...item({ due: 'x' }) });
    assert.equal(bad.status, 422);
    noBareIds(bad.body);
  }
  const en = await ln.get(`/work-plans/${fx.wp}?lang=en`);
  assert.match(en.body, new RegExp(`${YEAR} work plan`));
  assert.match(en.body, /Draft/);
  const hant = await ln.get(`/work-plans/${fx.wp}?lang=zh-Hant`);
  assert.match(hant.body, /年度工作計畫/);
  await ln.get('/work-plans?lang=zh-Hans');
  // The stylesheet: the table on A4 landscape, no forms or buttons in print.
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(en.body)[1];
  const sheet = await (await fetch(server.base + css)).text();
  assert.match(sheet, /@page wp-landscape \{[^}]*size: A4 landscape/);
  assert.match(sheet, /@media print \{[^]*\.wp-actions[^}]*display: none/);
  assert.match(en.body, /<div class="wp-page">/);
});

test('an admin picks the pairing and opens a year for it', async () => {
  const admin = await WebClient.signIn(server.base, 'admin');
  let r = await admin.get('/work-plans');
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`href="/work-plans\\?pairing=${LJ}"`));
  r = await admin.get(`/work-plans?pairing=${LJ}`);
  assert.match(r.body, new RegExp(`href="/work-plans/${fx.wp}"`));
  assert.match(formOf(r.body, '/work-plans'), new RegExp(`name="pairing" value="${LJ}"`));
  r = await admin.post('/work-plans', { pairing: String(LJ), year: '1999' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="year-error">数值超出允许范围。</);
  assert.match(r.body, /value="1999"/);
  r = await admin.post('/work-plans', { pairing: String(LJ), year: String(YEAR + 1) });
  assert.equal(r.status, 303);
  const next = r.location;
  assert.notEqual(next, `/work-plans/${fx.wp}`);
  r = await admin.get(next);
  assert.match(r.body, new RegExp(`${YEAR + 1}年度工作计划`));
});

// Issue 15, finding 6: a side approving again sees what changed since it last approved — on
// the page where it approves: items added, removed, and each changed field before → after.
test('re-approval shows what changed since each side approved', async () => {
  const ln = await as(server, 'ln_coord');
  const year = YEAR + 1;
  const wp = await ln.post('/api/v1/work-plans', { pairing_id: LJ, year });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const id = wp.json.id;
  const add = async (fields) => {
    const r = await ln.post(`/api/v1/work-plans/${id}/items`, { task_id: fx.task7.id, indicator: '簽約項目數',
      target_value: '3 個', owner_unit_id: server.units.panjin, due: `${year}-06-30`, ...fields });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const a = await add({ title: '盤錦—無錫物聯網產業對接' });
  const bItem = await add({ title: '遼陽裝備製造招商推介', owner_unit_id: server.units.liaoyang });
  const etag = async () => (await ln.get(`/api/v1/work-plans/${id}`)).headers.get('etag');
  let r = await ln.post(`/api/v1/work-plans/${id}/submit`, {}, { headers: { 'if-match': await etag() } });
  assert.equal(r.status, 200, r.body);
  r = await ln.post(`/api/v1/work-plans/${id}/approve`, {}, { headers: { 'if-match': await etag() } });
  assert.equal(r.status, 200, r.body);
  // Liaoning then moves A's due date and its target, removes B, adds C: the plan reopens.
  const itemTag = async (x) => (await ln.get(`/api/v1/work-items/${x}`)).headers.get('etag');
  r = await ln.patch(`/api/v1/work-items/${a}`, { task_id: fx.task7.id, title: '盤錦—無錫物聯網產業對接',
    owner_unit_id: server.units.panjin, support: [], indicator: '簽約項目數', target_value: '5 個', due: `${year}-09-30` },
  { headers: { 'if-match': await itemTag(a) } });
  assert.equal(r.status, 200, r.body);
  r = await ln.del(`/api/v1/work-items/${bItem}`, { headers: { 'if-match': await itemTag(bItem) } });
  assert.equal(r.status, 204, r.body);
  await add({ title: '盤錦港口物流合作', due: `${year}-10-31` });
  r = await ln.post(`/api/v1/work-plans/${id}/submit`, {}, { headers: { 'if-match': await etag() } });
  assert.equal(r.status, 200, r.body);

  const page = (await fx.js.get(`/work-plans/${id}`)).body;
  const i = page.indexOf('<section class="wp-changes"');
  assert.ok(i > 0, 'a changes section');
  assert.ok(i < page.indexOf('action="/work-plans/' + id + '/approve"'), 'above the approve button');
  const sec = page.slice(i, page.indexOf('</section>', i));
  noBareIds(sec);
  assert.match(sec, /<h2 id="h-changes">自上次批准以来的变更<\/h2>/);
  assert.match(sec, /<h3>遼寧省方于[^<]+批准后<\/h3>/);
  assert.doesNotMatch(sec, /江蘇省方于/, 'Jiangsu never approved: nothing to compare with');
  assert.match(sec, /<li class="wpc-added"><strong>新增<\/strong>：盤錦港口物流合作<\/li>/);
  assert.match(sec, /<li class="wpc-removed"><strong>删除<\/strong>：遼陽裝備製造招商推介<\/li>/);
  const changed = sec.slice(sec.indexOf('<li class="wpc-changed">'));
  assert.match(changed, /盤錦—無錫物聯網產業對接/);
  assert.match(changed, /<li>目标值：<del>3 個<\/del> → <ins>5 個<\/ins><\/li>/);
  assert.match(changed, new RegExp(`<li>截止日期：<del>${year}年6月30日</del> → <ins>${year}年9月30日</ins></li>`));
  assert.doesNotMatch(changed, /牵头单位|事项名称/, 'unchanged fields are not listed');
  // Once both sides approve again, the plan is agreed and the section goes.
  r = await ln.post(`/api/v1/work-plans/${id}/approve`, {}, { headers: { 'if-match': await etag() } });
  assert.equal(r.status, 200, r.body);
  const js = await as(server, 'js_coord');
  r = await js.post(`/api/v1/work-plans/${id}/approve`, {}, { headers: { 'if-match': (await js.get(`/api/v1/work-plans/${id}`)).headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.doesNotMatch((await fx.js.get(`/work-plans/${id}`)).body, /wp-changes/);
});
