// 通报 (service/circular.c) over HTTP: drawn up from last year's work plan (all twelve months
// begun whatever today is), the worst first and the punctual commended; a draft seen by its
// side's coordinators only; edited, published to both sides, then fixed; the page, the form,
// the Excel export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, BIN, LJ, SD } from './harness.mjs';
import { thisYear, today } from './clock.mjs';

const YEAR = thisYear() - 1;
// Last December's report is due on 5 January: until then it is due, not missing.
const MISSING = today() <= `${YEAR + 1}-01-05` ? 11 : 12;
let server;
const fx = {};
const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();

before(async () => {
  server = await startServer();
  for (const l of ['ln_coord', 'js_coord', 'pj_member', 'ly_member', 'wx_member', 'dl_coord', 'admin'])
    fx[l] = await as(server, l);
  const wp = await fx.ln_coord.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const item = async (unit, title, due) => {
    const r = await fx.ln_coord.post(`/api/v1/work-plans/${fx.wp}/items`, { owner_unit_id: unit, title, due });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.pj = await item(server.units.panjin, '盤錦通報測試事項', `${YEAR}-12-31`);
  fx.ly = await item(server.units.liaoyang, '遼陽通報測試事項', `${YEAR}-06-30`);
  // both items exist from January of last year, as if added then
  sqlite(`UPDATE work_item SET created_at = '${YEAR}-01-02T00:00:00.000Z' WHERE work_plan_id = ${fx.wp}`);
  // 盤錦 reports every month, accepted, and is done in December; 遼陽 reports nothing
  for (let m = 1; m <= 12; m++) {
    const r = await fx.pj_member.post(`/api/v1/work-items/${fx.pj}/reports`, {
      period: `${YEAR}-${String(m).padStart(2, '0')}`, status: m === 12 ? 'done' : 'on_track',
      percent: m === 12 ? 100 : m * 8, narrative: `第${m}月進展。`,
    });
    assert.equal(r.status, 201, r.body);
    const v = await fx.ln_coord.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accepted' });
    assert.equal(v.status, 201, v.body);
  }
});
after(() => server?.stop());

test('who may draw one up, and what is refused', async () => {
  const body = { pairing_id: LJ, side: 0, year: YEAR };
  assert.equal((await fx.pj_member.post('/api/v1/circulars', body)).status, 403);
  assert.equal((await fx.js_coord.post('/api/v1/circulars', body)).status, 403, 'the other side');
  assert.equal((await fx.dl_coord.post('/api/v1/circulars', body)).status, 404, 'another pairing: not there');
  let r = await fx.ln_coord.post('/api/v1/circulars', { ...body, period: `${YEAR + 5}-01` });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'period');
  r = await fx.ln_coord.post('/api/v1/circulars', { ...body, year: YEAR - 3 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'err_no_work_plan');
  r = await fx.ln_coord.post('/api/v1/circulars', { ...body, side: 2 });
  assert.equal(r.status, 422);
  assert.equal(sqlite('SELECT count(*) FROM circular'), '0', 'nothing stored');
});

test('the whole year: the worst first, the punctual commended, the wording from the figures', async () => {
  const r = await fx.ln_coord.post('/api/v1/circulars', { pairing_id: LJ, side: 0, year: YEAR });
  assert.equal(r.status, 201, r.body);
  fx.id = r.json.id;
  const c = r.json;
  assert.equal(c.status, 'draft');
  assert.equal(c.period, null);
  const ly = c.units.find((u) => u.unit_id === server.units.liaoyang);
  const pj = c.units.find((u) => u.unit_id === server.units.panjin);
  assert.equal(c.units[0].unit_id, server.units.liaoyang, 'the worst first');
  assert.deepEqual({ items: ly.items, overdue: ly.overdue, expected: ly.expected, missing: ly.missing, reported: ly.reported },
    { items: 1, overdue: 1, expected: 12, missing: MISSING, reported: 0 });
  assert.deepEqual({ items: pj.items, done: pj.done, overdue: pj.overdue, expected: pj.expected, accepted: pj.accepted, missing: pj.missing },
    { items: 1, done: 1, overdue: 0, expected: 12, accepted: 12, missing: 0 });
  assert.equal(pj.commended, true);
  assert.equal(ly.commended, false);
  assert.equal(c.total.missing, c.units.reduce((s, u) => s + u.missing, 0));
  assert.match(c.title, /^遼寧省对口合作工作情况通报（\d{4}年全年）$/);
  assert.ok(c.body.includes('一、通报表扬\n盤錦市人民政府按时报送进展'), c.body);
  assert.ok(c.body.includes(`遼陽市人民政府：未报进展报告 ${MISSING} 份，逾期事项 1 项`), c.body);
  assert.ok(c.body.includes('三、下一步要求'));
  // one month: March only
  const m = await fx.ln_coord.post('/api/v1/circulars', { pairing_id: LJ, side: 0, year: YEAR, period: `${YEAR}-03` });
  assert.equal(m.status, 201, m.body);
  assert.equal(m.json.units.find((u) => u.unit_id === server.units.liaoyang).missing, 1);
  assert.match(m.json.title, /（\d{4}年3月）/);
  // in English when asked in English
  const en = await fx.ln_coord.post('/api/v1/circulars?lang=en', { pairing_id: LJ, side: 0, year: YEAR, period: `${YEAR}-Q2` });
  assert.equal(en.status, 201, en.body);
  assert.match(en.json.body, /^For \d{4} Q2, /);
  assert.equal(en.json.units.find((u) => u.unit_id === server.units.liaoyang).missing, 3, 'a quarter of a monthly plan: its three months');
});

test('a draft is its side\'s coordinators\' until published; then both sides read it, and it is fixed', async () => {
  const path = `/api/v1/circulars/${fx.id}`;
  for (const who of ['pj_member', 'js_coord', 'wx_member', 'dl_coord'])
    assert.equal((await fx[who].get(path)).status, 404, who);
  assert.ok((await fx.ln_coord.get(`/api/v1/circulars?pairing=${LJ}`)).json.circulars.some((x) => x.id === fx.id));
  assert.ok(!(await fx.js_coord.get(`/api/v1/circulars?pairing=${LJ}`)).json.circulars.some((x) => x.id === fx.id));
  const cur = (await fx.ln_coord.get(path)).json;
  let r = await fx.ln_coord.patch(path, { title: '關於上年度對口合作工作情況的通報', updated_at: '2000-01-01T00:00:00.000Z' });
  assert.equal(r.status, 412);
  r = await fx.ln_coord.patch(path, { title: '關於上年度對口合作工作情況的通報', updated_at: cur.updated_at });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.title, '關於上年度對口合作工作情況的通報');
  r = await fx.ln_coord.patch(path, { body: '   ' });
  assert.equal(r.status, 422);
  assert.equal((await fx.js_coord.post(`${path}/publish`)).status, 404, 'the other side cannot see the draft');
  r = await fx.ln_coord.post(`${path}/publish`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'published');
  assert.ok(r.json.published_at);
  for (const who of ['pj_member', 'js_coord', 'wx_member'])
    assert.equal((await fx[who].get(path)).status, 200, who);
  assert.equal((await fx.dl_coord.get(path)).status, 404, 'another pairing: not found (issue #10)');
  r = await fx.ln_coord.patch(path, { title: '改' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'err_circular_state');
  assert.equal((await fx.ln_coord.post(`${path}/publish`)).status, 409);
  const audit = execFileSync(BIN, ['--db', server.db, 'audit', 'list', '--limit', '50'], { encoding: 'utf8' });
  for (const a of ['circular.create', 'circular.edit', 'circular.publish']) assert.match(audit, new RegExp(a.replace('.', '\\.')));
});

test('the pages: the list, the printable circular, the form, the Excel export', async () => {
  const list = await fx.wx_member.get(`/circulars?pairing=${LJ}`);
  assert.equal(list.status, 200);
  assert.ok(list.body.includes('關於上年度對口合作工作情況的通報'));
  assert.doesNotMatch(list.body, /action="\/circulars"/, 'a member draws none up');
  const page = await fx.pj_member.get(`/circulars/${fx.id}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<table class="circular-figures" tabindex="0">/);
  assert.match(page.body, /<th scope="row">遼陽市人民政府<\/th><td>1<\/td><td>0<\/td><td>1<\/td><td>12<\/td><td>0<\/td>/);
  assert.match(page.body, /<th scope="row">盤錦市人民政府<\/th>[^\n]*<td>★<\/td>/);
  assert.doesNotMatch(page.body, /action="\/circulars\/\d+\/edit"/, 'published: no form');

  // the coordinator's form: a period not begun is refused on the page, input kept
  const form = await fx.ln_coord.get(`/circulars?pairing=${LJ}`);
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(form.body)[1];
  let r = await fx.ln_coord.request('POST', '/circulars', { form: { csrf_token: csrf, pairing: String(LJ), side: '0', year: String(YEAR + 3), period: `${YEAR + 3}-02` } });
  assert.equal(r.status, 422);
  assert.match(r.body, /该年度还没有工作计划/);
  r = await fx.ln_coord.request('POST', '/circulars', { form: { csrf_token: csrf, pairing: String(LJ), side: '0', year: String(YEAR), period: `${YEAR}-Q4` } });
  assert.equal(r.status, 303, r.body);
  const draft = r.headers.get('location');
  assert.match(draft, /^\/circulars\/\d+$/);
  const d = await fx.ln_coord.get(draft);
  assert.match(d.body, /action="\/circulars\/\d+\/edit"/);
  const upd = /name="updated_at" value="([^"]+)"/.exec(d.body)[1];
  r = await fx.ln_coord.request('POST', `${draft}/edit`, { form: { csrf_token: csrf, updated_at: upd, title: '第四季度通報', body: '正文。\n\n第二段。' } });
  assert.equal(r.status, 303);
  const saved = await fx.ln_coord.get(`${draft}?done=saved`);
  assert.match(saved.body, /通报已保存/);
  assert.match(saved.body, /<p class="section-body">第二段。<\/p>/);

  // Excel: a real workbook with the units and the wording
  const x = await fetch(`${server.base}/circulars/${fx.id}/export.xlsx`, { headers: { cookie: fx.wx_member.cookie } });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const file = join(tmpdir(), `circular-${process.pid}.xlsx`);
  writeFileSync(file, bytes);
  const strings = execFileSync('/usr/bin/python3', ['-c',
    // the ledger writes inline strings (constant-memory mode): the text is in the sheets
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")))', file], { encoding: 'utf8' });
  rmSync(file);
  for (const s of ['遼陽市人民政府', '盤錦市人民政府', '關於上年度對口合作工作情況的通報', '一、通报表扬'])
    assert.ok(strings.includes(s), s);
  const other = await fetch(`${server.base}/circulars/${fx.id}/export.xlsx`, { headers: { cookie: fx.dl_coord.cookie } });
  assert.equal(other.status, 404); // another pairing's: as a missing one
  assert.equal(SD, 13);
});
