// Work-plan items imported from a spreadsheet (service/import.c, docs/imports.md): a coordinator
// exports the draft work plan's ledger, changes a row and adds one, imports it into the same
// plan — the preview says 1 changed and 1 new, the commit stores them, the same file again
// changes nothing. Rows go through the checks of the item form (work_plan_item_check): an
// unknown unit, a date that is none, the other side's unit, an item of another plan, a repeated
// row are listed by row and column; a plan that is not a draft, a member and another pairing's
// coordinator are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, LJ, SD } from './harness.mjs';
import { thisYear } from './clock.mjs';
import { makeXlsx, zip, unzip, serial } from './xlsx.mjs';

const YEAR = thisYear();
let server;
const fx = {};
const sql = (q) => execFileSync('sqlite3', [server.db, q]).toString().trim();

async function upload(client, file, plan, { lang, kind = 'work_items' } = {}) {
  const fd = new FormData();
  fd.append('kind', kind);
  if (plan) fd.append('work_plan_id', String(plan));
  fd.append('file', new Blob([file]), 'items.xlsx');
  return client.request('POST', '/api/v1/imports' + (lang ? '?lang=' + lang : ''), { body: fd });
}

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  fx.js = await as(server, 'js_coord');
  fx.sh = await as(server, 'sh_coord');
  fx.pj = await as(server, 'pj_member');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.plan = wp.json.id;
  fx.task = sql(`SELECT t.id || '|' || t.number FROM task t JOIN plan p ON p.id = t.plan_id
    WHERE p.pairing_id = ${LJ} ORDER BY t.number LIMIT 1`).split('|').map(Number);
  const add = async (plan, body) => {
    const r = await fx.ln.post(`/api/v1/work-plans/${plan}/items`, body);
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.i1 = await add(fx.plan, { owner_unit_id: server.units.panjin, title: '盤錦—無錫物聯網產業對接',
    due: `${YEAR}-06-30`, task_id: fx.task[0], support: [server.units.wuxi],
    indicator: '签约项目数', target_value: '5' });
  fx.i2 = await add(fx.plan, { owner_unit_id: server.units.panjin, title: '盤錦港口物流合作', due: `${YEAR}-09-30` });
  // a plan of next year, submitted: no import into it
  const next = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR + 1 });
  fx.submitted = next.json.id;
  fx.other = await add(fx.submitted, { owner_unit_id: server.units.liaoyang, title: '遼陽裝備製造', due: `${YEAR + 1}-03-31` });
  const plan = await fx.ln.get(`/api/v1/work-plans/${fx.submitted}`);
  const sub = await fx.ln.post(`/api/v1/work-plans/${fx.submitted}/submit`, {},
    { headers: { 'if-match': plan.headers.get('etag') } });
  assert.ok([200, 204].includes(sub.status), sub.body);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('export the items, change one and add one, import: 1 changed, 1 new; again: unchanged', async () => {
  const x = await fetch(server.base + `/work-plans/${fx.plan}?format=xlsx`, { headers: { cookie: fx.ln.cookie } });
  assert.equal(x.status, 200);
  const parts = unzip(Buffer.from(await x.arrayBuffer()));
  const name = Object.keys(parts).find((n) => /^xl\/worksheets\/sheet1\.xml$/.test(n));
  let sheet = parts[name].toString('utf8');
  const strings = parts['xl/sharedStrings.xml']?.toString('utf8');
  // change the second item's title, wherever the writer put the text
  const changed = '盤錦港口物流合作（二期）';
  if (sheet.includes('盤錦港口物流合作')) sheet = sheet.replace('盤錦港口物流合作', changed);
  else parts['xl/sharedStrings.xml'] = Buffer.from(strings.replace('盤錦港口物流合作', changed));
  // a new row without an item number: its owner in Simplified script, the due date a serial
  const last = Math.max(...[...sheet.matchAll(/<row r="(\d+)"/g)].map((m) => Number(m[1])));
  const n = last + 1;
  const is = (ref, t) => `<c r="${ref}${n}" t="inlineStr"><is><t>${t}</t></is></c>`;
  sheet = sheet.replace('</sheetData>', `<row r="${n}">${is('B', String(fx.task[1]))}${is('C', '辽阳—常州装备制造合作')}` +
    `${is('D', '辽阳市人民政府')}${is('E', '无锡市人民政府、盘锦市人民政府')}<c r="H${n}"><v>${serial(`${YEAR}-11-30`)}</v></c></row></sheetData>`);
  parts[name] = Buffer.from(sheet);
  const file = zip(parts);

  const before = Number(sql('SELECT count(*) FROM work_item'));
  const p = await upload(fx.ln, file, fx.plan);
  assert.equal(p.status, 200, p.body);
  assert.deepEqual(p.json.errors, []);
  assert.equal(p.json.rows, 3);
  assert.equal(p.json.work_plan_id, fx.plan);
  assert.deepEqual([p.json.new, p.json.updated, p.json.unchanged], [1, 1, 1]);
  assert.equal(Number(sql('SELECT count(*) FROM work_item')), before, 'a preview stores nothing');
  const c = await fx.ln.post(`/api/v1/imports/${p.json.id}/commit`);
  assert.equal(c.status, 200, c.body);
  assert.deepEqual(c.json, { created: 1, updated: 1, unchanged: 1 });
  const plan = await fx.ln.get(`/api/v1/work-plans/${fx.plan}`);
  const items = plan.json.items;
  assert.equal(items.length, 3);
  assert.equal(items.find((i) => i.id === fx.i2).title, changed);
  const added = items.find((i) => i.title === '辽阳—常州装备制造合作');
  assert.equal(added.owner.id, server.units.liaoyang);
  assert.equal(added.due, `${YEAR}-11-30`);
  assert.equal(added.task.id, fx.task[0]);
  const first = items.find((i) => i.id === fx.i1);
  assert.equal(first.target_value, '5', 'the unchanged row kept its values');
  // the same file again: nothing changes (the new row is recognised by its owner and title)
  const again = await upload(fx.ln, file, fx.plan);
  assert.deepEqual(again.json.errors, []);
  assert.deepEqual([again.json.new, again.json.updated, again.json.unchanged], [0, 0, 3]);
  const c2 = await fx.ln.post(`/api/v1/imports/${again.json.id}/commit`);
  assert.deepEqual(c2.json, { created: 0, updated: 0, unchanged: 3 });
  assert.equal(Number(sql('SELECT count(*) FROM work_item')), before + 1);
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'import.commit' AND after LIKE '%${p.json.sha256}%'`), '2');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'work_item.edit' AND entity_id = ${fx.i2}`), '1');
});

test('errors by row and column in the user\'s language; nothing stored', async () => {
  const rows = [
    ['遼寧—江蘇 年度工作計劃台賬'],
    ['事項編號', '任務', '計劃事項', '責任單位', '配合單位', '指標', '目標值', '截止日期', '备注'],
    [null, null, '盤錦新事項', '盤錦市人民政府', null, null, null, `${YEAR}-10-31`, '好'], // 3: fine
    [null, null, '不存在的單位', '鞍山市人民政府', null, null, null, `${YEAR}-10-31`],     // 4: unknown unit
    [null, null, '日期不對', '盤錦市人民政府', null, null, null, '下周二'],              // 5: no date
    [null, null, '對方的單位', '無錫市人民政府', null, null, null, `${YEAR}-10-31`],     // 6: the other side's
    [fx.other, null, '別的計劃', '遼陽市人民政府', null, null, null, `${YEAR}-10-31`],   // 7: another plan's item
    [null, null, '盤錦新事項', '盘锦市人民政府', null, null, null, `${YEAR}-11-30`],     // 8: repeats row 3
    [null, null, '配合單位不存在', '盤錦市人民政府', '无锡市人民政府、某某局', null, null, `${YEAR}-10-31`], // 9
    [null, 999, '任務不存在', '盤錦市人民政府', null, null, null, `${YEAR}-10-31`],      // 10
  ];
  const before = sql('SELECT count(*) FROM work_item');
  const p = await upload(fx.ln, makeXlsx(rows, { merge: 'A1:I1' }), fx.plan, { lang: 'en' });
  assert.equal(p.status, 200, p.body);
  const at = (row) => p.json.errors.filter((e) => e.row === row);
  assert.deepEqual(at(3), []);
  assert.deepEqual([at(4)[0].column, at(4)[0].code], ['責任單位', 'err_import_unit_unknown']);
  assert.match(at(4)[0].message, /No unit of this pairing/);
  assert.deepEqual([at(5)[0].column, at(5)[0].code], ['截止日期', 'err_date']);
  assert.deepEqual([at(6)[0].column, at(6)[0].code], ['責任單位', 'err_other_side']);
  assert.deepEqual([at(7)[0].column, at(7)[0].code], ['事項編號', 'err_import_item_plan']);
  assert.equal(at(8)[0].column, null);
  assert.match(at(8)[0].message, /Repeats row 3/);
  assert.deepEqual([at(9)[0].column, at(9)[0].code], ['配合單位', 'err_import_unit_unknown']);
  assert.deepEqual([at(10)[0].column, at(10)[0].code], ['任務', 'err_task_unknown']);
  assert.equal(p.json.errors.length, 7);
  const zh = await upload(fx.ln, makeXlsx(rows), fx.plan, { lang: 'zh-Hans' });
  assert.match(zh.json.errors.find((e) => e.row === 4).message, /本结对中没有这个名称的单位/);
  const c = await fx.ln.post(`/api/v1/imports/${p.json.id}/commit`);
  assert.equal(c.status, 422);
  assert.equal(c.json.error.code, 'err_import_has_errors');
  assert.equal(sql('SELECT count(*) FROM work_item'), before, 'nothing stored');
});

test('the work-plan editor uploads, the preview says what each row does, the commit stores it', async () => {
  const page = await fx.ln.get(`/work-plans/${fx.plan}`);
  assert.match(page.body, /<input type="hidden" name="kind" value="work_items">/);
  assert.match(page.body, new RegExp(`<input type="hidden" name="work_plan_id" value="${fx.plan}">`));
  const fd = new FormData();
  fd.append('kind', 'work_items');
  fd.append('work_plan_id', String(fx.plan));
  fd.append('file', new Blob([makeXlsx([['计划事项', '责任单位', '截止日期'],
    ['盘锦网页导入事项', '盤錦市人民政府', `${YEAR}-08-31`]])]), 'items.xlsx');
  const up = await fx.ln.request('POST', '/imports', { body: fd });
  assert.equal(up.status, 303, up.body);
  const where = up.headers.get('location');
  const preview = await fx.ln.get(where);
  assert.match(preview.body, /确认后：新增 1 行，修改 0 行，0 行无变化/);
  assert.match(preview.body, /<td>新增<\/td>/);
  assert.match(preview.body, new RegExp(`href="/work-plans/${fx.plan}"`));
  const done = await fx.ln.request('POST', where + '/commit', { form: {} });
  assert.equal(done.status, 303);
  const result = await fx.ln.get(done.headers.get('location'));
  assert.match(result.body, /已导入：新增 1 行，修改 0 行，0 行无变化/);
  // a member sees the plan without the form
  const my = await fx.pj.get(`/work-plans/${fx.plan}`);
  assert.doesNotMatch(my.body, /name="kind" value="work_items"/);
});

test('only a coordinator who may edit the plan, and only into a draft', async () => {
  const file = makeXlsx([['计划事项', '责任单位', '截止日期'], ['盘锦新事项二', '盘锦市人民政府', `${YEAR}-10-31`]]);
  const member = await upload(fx.pj, file, fx.plan);
  assert.equal(member.status, 403);
  const other = await upload(fx.sh, file, fx.plan);
  assert.equal(other.status, 404, 'another pairing\'s coordinator: its plan is not there');
  const draft = await upload(fx.ln, file, fx.submitted, { lang: 'en' });
  assert.equal(draft.status, 409);
  assert.equal(draft.json.error.code, 'err_import_not_draft');
  assert.match(draft.json.error.message, /draft only/);
  const none = await upload(fx.ln, file, null);
  assert.equal(none.status, 422);
  assert.equal(none.json.error.field, 'work_plan_id');
  // the other side's coordinator may edit the plan, not this side's items
  const js = await upload(fx.js, file, fx.plan);
  assert.equal(js.status, 200);
  assert.equal(js.json.errors[0].code, 'err_other_side');
  // a preview is its user's: another coordinator cannot commit it
  const mine = await upload(fx.ln, file, fx.plan);
  assert.equal((await fx.js.post(`/api/v1/imports/${mine.json.id}/commit`)).status, 404);
  // the plan submitted between preview and commit: the commit is refused, nothing stored
  const n = sql('SELECT count(*) FROM work_item');
  const plan = await fx.ln.get(`/api/v1/work-plans/${fx.plan}`);
  const sub = await fx.ln.post(`/api/v1/work-plans/${fx.plan}/submit`, {},
    { headers: { 'if-match': plan.headers.get('etag') } });
  assert.ok([200, 204].includes(sub.status), sub.body);
  const late = await fx.ln.post(`/api/v1/imports/${mine.json.id}/commit`);
  assert.equal(late.status, 409);
  assert.equal(late.json.error.code, 'err_import_not_draft');
  assert.equal(sql('SELECT count(*) FROM work_item'), n);
});
