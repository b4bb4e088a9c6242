// The commit of an import keeps others' work (service/import.c, docs/imports.md): a work item
// edited after the preview fails the commit naming the row (409 err_stale, "row"), nothing
// written; rows replacing an accepted report are marked 更正 and need corrections=1 (else 409
// err_correction_unconfirmed, as the form); a figure error names its own column when a figure
// cell before it is empty; a cell of 1e300 jobs and a cell of 51 names are row errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, LJ } from './harness.mjs';
import { today, thisYear } from './clock.mjs';
import { makeXlsx } from './xlsx.mjs';

const YEAR = thisYear();
const PERIOD = today().slice(0, 7);
let server;
const fx = {};
const sql = (q) => execFileSync('sqlite3', [server.db, q]).toString().trim();

async function upload(client, file, kind, plan) {
  const fd = new FormData();
  fd.append('kind', kind);
  if (plan) fd.append('work_plan_id', String(plan));
  fd.append('file', new Blob([file]), 'ledger.xlsx');
  return client.request('POST', '/api/v1/imports?lang=zh-Hans', { body: fd });
}

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  fx.pj = await as(server, 'pj_member');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.plan = wp.json.id;
  const add = async (title) => {
    const r = await fx.ln.post(`/api/v1/work-plans/${fx.plan}/items`,
      { owner_unit_id: server.units.panjin, title, due: `${YEAR}-12-20` });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.i1 = await add('盘锦港口物流合作');
  fx.i2 = await add('盘锦物联网产业对接');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('a work item edited after the preview fails the commit naming its row; nothing written', async () => {
  const file = makeXlsx([['事项编号', '计划事项', '责任单位', '截止日期'],
    [fx.i2, '盘锦物联网产业对接（导入）', '盘锦市人民政府', `${YEAR}-12-20`],
    [fx.i1, '盘锦港口物流合作（导入）', '盘锦市人民政府', `${YEAR}-12-20`]]);
  const p = await upload(fx.ln, file, 'work_items', fx.plan);
  assert.equal(p.status, 200, p.body);
  assert.deepEqual(p.json.errors, []);
  assert.equal(p.json.updated, 2);
  // Someone edits item 1 through the API meanwhile.
  const it = await fx.ln.get(`/api/v1/work-items/${fx.i1}`);
  const e = await fx.ln.patch(`/api/v1/work-items/${fx.i1}`,
    { owner_unit_id: server.units.panjin, title: '盘锦港口物流合作（他人修改）', due: `${YEAR}-12-20`, task_id: null, support: [], indicator: null, target_value: null },
    { headers: { 'if-match': it.headers.get('etag') } });
  assert.equal(e.status, 200, e.body);
  const c = await fx.ln.post(`/api/v1/imports/${p.json.id}/commit?lang=zh-Hans`);
  assert.equal(c.status, 409, c.body);
  assert.equal(c.json.error.code, 'err_stale');
  assert.equal(c.json.error.row, 3);
  assert.match(c.json.error.message, /他人修改/);
  assert.equal(sql(`SELECT title FROM work_item WHERE id = ${fx.i1}`), '盘锦港口物流合作（他人修改）');
  assert.equal(sql(`SELECT title FROM work_item WHERE id = ${fx.i2}`), '盘锦物联网产业对接', 'all or nothing');
  assert.equal(sql(`SELECT count(*) FROM import WHERE id = ${p.json.id} AND committed_at IS NULL`), '1');
  // The page names the row too.
  const fd = new URLSearchParams();
  const page = await fx.ln.request('POST', `/imports/${p.json.id}/commit`, { body: fd });
  assert.equal(page.status, 409);
  assert.match(page.body, /第 3 行：/);
  // A new preview sees the edit and commits.
  const again = await upload(fx.ln, file, 'work_items', fx.plan);
  const ok = await fx.ln.post(`/api/v1/imports/${again.json.id}/commit`);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(ok.json, { created: 0, updated: 2, unchanged: 0 });
});

test('rows replacing an accepted report are marked 更正 and need the confirmation', async () => {
  const r = await fx.pj.post(`/api/v1/work-items/${fx.i2}/reports`,
    { period: PERIOD, status: 'on_track', percent: 40, narrative: '第一次报告' });
  assert.equal(r.status, 201, r.body);
  const v = await fx.ln.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accepted' });
  assert.equal(v.status, 201, v.body);
  const head = ['事项编号', '报告期', '状态', '完成比例', '进展情况'];
  const same = [fx.i2, PERIOD, '正常推进', 40, '第一次报告'];
  const file = makeXlsx([head, [fx.i2, PERIOD, '正常推进', 60, '更正后的报告'], [fx.i1, PERIOD, '正常推进', 10, '新报告']]);
  const reports = () => Number(sql('SELECT count(*) FROM report'));
  const before = reports();
  const p = await upload(fx.pj, file, 'reports');
  assert.equal(p.status, 200, p.body);
  assert.deepEqual(p.json.errors, []);
  assert.deepEqual(p.json.corrections, [2]);
  const page = await fx.pj.get(`/imports/${p.json.id}`);
  assert.match(page.body, /<strong class="correction">更正<\/strong> 更正后的报告/);
  assert.match(page.body, /name="corrections" value="1" required/);
  // Without the confirmation: refused as the form refuses it, the row named, nothing stored.
  const no = await fx.pj.post(`/api/v1/imports/${p.json.id}/commit?lang=zh-Hans`);
  assert.equal(no.status, 409, no.body);
  assert.equal(no.json.error.code, 'err_correction_unconfirmed');
  assert.equal(no.json.error.row, 2);
  assert.equal(reports(), before);
  // A row saying what the accepted report says is no correction: not marked, no confirmation.
  const plain = await upload(fx.pj, makeXlsx([head, same]), 'reports');
  assert.deepEqual(plain.json.corrections, []);
  assert.deepEqual((await fx.pj.post(`/api/v1/imports/${plain.json.id}/commit`)).json, { created: 0, unchanged: 1 });
  // Confirmed: stored.
  const yes = await fx.pj.post(`/api/v1/imports/${p.json.id}/commit?corrections=1`);
  assert.equal(yes.status, 200, yes.body);
  assert.deepEqual(yes.json, { created: 2, unchanged: 0 });
  assert.equal(reports(), before + 2);
});

test('a figure error names its column when a figure cell before it is empty', async () => {
  // 签约项目 left empty; 签约金额 twice (元, 万元): the repeat is the third figure column's
  const p = await upload(fx.pj, makeXlsx([['事项编号', '报告期', '状态', '完成比例', '进展情况', '签约项目（个）', '签约金额（元）', '签约金额（万元）'],
    [fx.i1, PERIOD, '正常推进', 20, '名称重复', null, 5, 6]]), 'reports');
  assert.equal(p.status, 200, p.body);
  assert.equal(p.json.errors.length, 1, p.body);
  assert.equal(p.json.errors[0].column, '签约金额（万元）');
});

test('1e300 jobs and 51 partners are row errors, not a crash', async () => {
  const names = Array.from({ length: 51 }, (_, i) => `合作企业${i}`).join('、');
  const p = await upload(fx.ln, makeXlsx([['项目名称', '带动就业（人）', '合作方'],
    ['盘锦巨大项目', 1e300, null], ['盘锦多方项目', null, names]]), 'projects');
  assert.equal(p.status, 200, p.body);
  const at = (row) => p.json.errors.find((e) => e.row === row);
  assert.equal(at(2).code, 'err_import_number');
  assert.equal(at(2).column, '带动就业（人）');
  assert.equal(at(3).code, 'err_import_too_many_names');
  assert.equal(at(3).column, '合作方');
});
