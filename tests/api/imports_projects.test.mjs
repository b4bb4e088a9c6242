// Projects imported from a spreadsheet (service/import.c, docs/imports.md): a coordinator
// exports the projects list, changes a project and adds one, imports it — the preview says 1
// changed and 1 new, the commit stores them through the project service's own checks, the
// same file again changes nothing. Unknown industries, regions and city pairings, a stage
// changed in the file, a negative amount and a repeated row are listed by row and column; a
// member and a leader are refused; an admin only updates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as } from './harness.mjs';
import { today } from './clock.mjs';
import { makeXlsx, zip, unzip, serial } from './xlsx.mjs';

let server;
const c = {};
const sql = (q) => execFileSync('sqlite3', [server.db, q]).toString().trim();

async function upload(client, file, { lang } = {}) {
  const fd = new FormData();
  fd.append('kind', 'projects');
  fd.append('file', new Blob([file]), 'projects.xlsx');
  return client.request('POST', '/api/v1/imports' + (lang ? '?lang=' + lang : ''), { body: fd });
}

before(async () => {
  server = await startServer();
  for (const login of ['admin', 'ln_coord', 'js_coord', 'pj_member', 'ln_leader'])
    c[login] = await as(server, login);
  const add = async (body) => {
    const r = await c.ln_coord.post('/api/v1/projects', body);
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  c.p1 = await add({ name: '盘锦—无锡“互联网+”产业园', city_pairing_id: 3, industry: '65',
    region_code: '211100', invest_planned_wan: '50,000', invest_contracted_wan: '12000.5', jobs: 300,
    description: '落实实施方案“互联网+”合作标杆。', stage: 'signed', stage_on: today(),
    partners: [{ side: 0, unit_id: server.units.panjin }, { side: 1, enterprise: '无锡某物联网科技有限公司' }] });
  c.p2 = await add({ name: '辽阳装备制造合作项目', industry: 'C' });
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('export the projects, change one and add one, import: 1 changed, 1 new; again: unchanged', async () => {
  const x = await fetch(server.base + '/projects?format=xlsx', { headers: { cookie: c.ln_coord.cookie } });
  assert.equal(x.status, 200);
  const parts = unzip(Buffer.from(await x.arrayBuffer()));
  let sheet = parts['xl/worksheets/sheet1.xml'].toString('utf8');
  const renamed = '辽阳装备制造合作项目（一期）';
  if (sheet.includes('辽阳装备制造合作项目')) sheet = sheet.replace('辽阳装备制造合作项目', renamed);
  else parts['xl/sharedStrings.xml'] = Buffer.from(parts['xl/sharedStrings.xml'].toString('utf8').replace('辽阳装备制造合作项目', renamed));
  const n = Math.max(...[...sheet.matchAll(/<row r="(\d+)"/g)].map((m) => Number(m[1]))) + 1;
  const is = (col, t) => `<c r="${col}${n}" t="inlineStr"><is><t>${t}</t></is></c>`;
  const num = (col, v) => `<c r="${col}${n}"><v>${v}</v></c>`;
  // B name, D city pairing, E partners, F industry, G region, H stage, I signed on, J–L 万元, M jobs
  sheet = sheet.replace('</sheetData>', `<row r="${n}">${is('B', '盤錦新材料合作項目')}${is('D', '盘锦市-无锡市')}` +
    `${is('E', '盘锦市人民政府、盘锦某新材料有限公司')}${is('F', '製造業')}${is('G', '盤錦市')}${is('H', '簽約')}` +
    `${num('I', serial(today()))}${num('J', 500)}${num('K', 320.25)}${num('M', 80)}</row></sheetData>`);
  parts['xl/worksheets/sheet1.xml'] = Buffer.from(sheet);
  const file = zip(parts);

  const count = sql('SELECT count(*) FROM project');
  const p = await upload(c.ln_coord, file);
  assert.equal(p.status, 200, p.body);
  assert.deepEqual(p.json.errors, []);
  assert.deepEqual([p.json.rows, p.json.new, p.json.updated, p.json.unchanged], [3, 1, 1, 1]);
  assert.equal(sql('SELECT count(*) FROM project'), count, 'a preview stores nothing');
  const done = await c.ln_coord.post(`/api/v1/imports/${p.json.id}/commit`);
  assert.equal(done.status, 200, done.body);
  assert.deepEqual(done.json, { created: 1, updated: 1, unchanged: 1 });
  assert.equal((await c.ln_coord.get(`/api/v1/projects/${c.p2}`)).json.name, renamed);
  const one = (await c.ln_coord.get(`/api/v1/projects/${c.p1}`)).json;
  assert.equal(one.description, '落实实施方案“互联网+”合作标杆。', 'what the ledger does not show is kept');
  assert.equal(one.invest_contracted_yuan, 120005000);
  const id = Number(sql("SELECT id FROM project WHERE name = '盤錦新材料合作項目'"));
  const made = (await c.ln_coord.get(`/api/v1/projects/${id}`)).json;
  assert.equal(made.stage, 'signed');
  assert.equal(made.side, 0);
  assert.equal(made.city_pairing_id, 3);
  assert.equal(made.industry, 'C');
  assert.equal(made.region_code, '211100');
  assert.equal(made.invest_planned_yuan, 5000000);
  assert.equal(made.invest_contracted_yuan, 3202500);
  assert.equal(made.jobs, 80);
  assert.deepEqual(made.partners.map((x) => [x.side, x.unit_id ?? null, x.enterprise ?? null]),
    [[0, server.units.panjin, null], [0, null, '盘锦某新材料有限公司']]);
  const again = await upload(c.ln_coord, file);
  assert.deepEqual(again.json.errors, []);
  assert.deepEqual([again.json.new, again.json.updated, again.json.unchanged], [0, 0, 3]);
  const d2 = await c.ln_coord.post(`/api/v1/imports/${again.json.id}/commit`);
  assert.deepEqual(d2.json, { created: 0, updated: 0, unchanged: 3 });
  assert.equal(Number(sql('SELECT count(*) FROM project')), Number(count) + 1);
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'import.commit' AND after LIKE '%${p.json.sha256}%'`), '2');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'project.update' AND entity_id = ${c.p2}`), '1');
});

test('errors by row and column in the user\'s language; nothing stored', async () => {
  const rows = [
    ['項目編號', '項目名稱', '城市（園區）對口', '行業（GB/T 4754-2017）', '項目所在地', '階段', '計畫投資（萬元）'],
    [null, '新項目甲', null, '製造業', '盘锦市', '洽談', 100],          // 2: fine
    [null, '新項目乙', null, '不存在的行業', null, null, null],          // 3: industry
    [null, '新項目丙', null, null, '火星市', null, null],                // 4: region
    [null, '新項目丁', '某市—某市', null, null, null, null],             // 5: city pairing
    [c.p1, '盘锦—无锡“互联网+”产业园', null, null, null, '投產', null], // 6: a stage changed
    [null, '新項目戊', null, null, null, null, '-5'],                    // 7: negative
    [null, '新项目甲', null, null, null, null, null],                    // 8: repeats row 2
    [null, '新項目己', null, null, '鼓楼区', null, null],                // 9: several regions
  ];
  const count = sql('SELECT count(*) FROM project');
  const p = await upload(c.ln_coord, makeXlsx(rows), { lang: 'en' });
  assert.equal(p.status, 200, p.body);
  const at = (row) => p.json.errors.filter((e) => e.row === row);
  assert.deepEqual(at(2), []);
  assert.deepEqual([at(3)[0].column, at(3)[0].code], ['行業（GB/T 4754-2017）', 'err_industry_unknown']);
  assert.deepEqual([at(4)[0].column, at(4)[0].code], ['項目所在地', 'err_region_unknown']);
  assert.deepEqual([at(5)[0].column, at(5)[0].code], ['城市（園區）對口', 'err_pairing_unknown']);
  assert.deepEqual([at(6)[0].column, at(6)[0].code], ['階段', 'err_import_stage']);
  assert.match(at(6)[0].message, /stage changes on its page/);
  assert.deepEqual([at(7)[0].column, at(7)[0].code], ['計畫投資（萬元）', 'err_amount_negative']);
  assert.match(at(8)[0].message, /Repeats row 2/);
  assert.deepEqual([at(9)[0].column, at(9)[0].code], ['項目所在地', 'err_import_region_ambiguous']);
  assert.equal(p.json.errors.length, 7);
  const zh = await upload(c.ln_coord, makeXlsx(rows), { lang: 'zh-Hant' });
  assert.match(zh.json.errors.find((e) => e.row === 6).message, /項目階段請在項目頁面變更/);
  assert.equal((await c.ln_coord.post(`/api/v1/imports/${p.json.id}/commit`)).status, 422);
  assert.equal(sql('SELECT count(*) FROM project'), count, 'nothing stored');
});

test('who may import projects; the upload form on /projects', async () => {
  const file = makeXlsx([['项目名称', '阶段'], ['又一个项目', '洽谈']]);
  assert.equal((await upload(c.pj_member, file)).status, 403);
  assert.equal((await upload(c.ln_leader, file)).status, 403);
  const admin = await upload(c.admin, file);
  assert.equal(admin.status, 200);
  assert.equal(admin.json.errors[0].code, 'err_import_admin_create');
  // the other side's coordinator cannot change this side's project
  const js = await upload(c.js_coord, makeXlsx([['项目编号', '项目名称'], [c.p2, '改名']]));
  assert.equal(js.json.errors[0].code, 'err_forbidden');
  const page = await c.ln_coord.get('/projects');
  assert.match(page.body, /<input type="hidden" name="kind" value="projects">/);
  assert.doesNotMatch((await c.pj_member.get('/projects')).body, /name="kind" value="projects"/);
});
