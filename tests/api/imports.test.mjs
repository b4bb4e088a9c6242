// Spreadsheet imports (service/import.c, docs/imports.md): a clerk exports /my as XLSX, fills
// in a month, has LibreOffice save it again and imports it back; the preview lists errors by
// row and column in the user's language and stores nothing else; commit is all or nothing,
// a second import of the same file changes nothing; another unit's items, periods outside the
// plan's years, percentages over 100, repeated rows and files that are not workbooks (a renamed
// .xls, a ZIP bomb, XXE, a password-protected workbook) are refused with a clear message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, LJ } from './harness.mjs';
import { today, thisYear } from './clock.mjs';
import { makeXlsx, zip, unzip, serial } from './xlsx.mjs';

const YEAR = thisYear();
const PERIOD = today().slice(0, 7);
let server;
const fx = {};
const dir = mkdtempSync(join(tmpdir(), 'duikou-imports-'));

async function upload(client, file, { kind = 'reports', lang, name = 'ledger.xlsx' } = {}) {
  const fd = new FormData();
  fd.append('kind', kind);
  fd.append('file', new Blob([file]), name);
  return client.request('POST', '/api/v1/imports' + (lang ? '?lang=' + lang : ''), { body: fd });
}

const imports = () => Number(execFileSync('sqlite3', [server.db, 'SELECT count(*) FROM import']).toString().trim());
const reports = () => Number(execFileSync('sqlite3', [server.db, 'SELECT count(*) FROM report']).toString().trim());

// LibreOffice Calc saves the file again, as a clerk's spreadsheet program would.
function libreoffice(buf, name) {
  const inDir = join(dir, 'in-' + name), outDir = join(dir, 'out-' + name);
  execFileSync('mkdir', ['-p', inDir, outDir]);
  writeFileSync(join(inDir, name + '.xlsx'), buf);
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`,
    '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', outDir, join(inDir, name + '.xlsx')],
  { stdio: 'ignore', timeout: 120000 });
  return readFileSync(join(outDir, name + '.xlsx'));
}

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  fx.pj = await as(server, 'pj_member');
  fx.ly = await as(server, 'ly_member');
  fx.leader = await as(server, 'ln_leader');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const add = async (owner, title) => {
    const r = await fx.ln.post(`/api/v1/work-plans/${wp.json.id}/items`,
      { owner_unit_id: owner, title, due: `${YEAR}-12-20` });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.i1 = await add(server.units.panjin, '盤錦—無錫物聯網產業對接');
  fx.i2 = await add(server.units.panjin, '盤錦港口物流合作');
  fx.i3 = await add(server.units.liaoyang, '遼陽—常州裝備製造合作');
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

// The file exactly as the server writes it (libxlsxwriter's ZIP, not re-packed by a
// spreadsheet program) is read back: sent unchanged it previews without a file error.
test('the /my export as it comes imports back as it is', async () => {
  const x = await fetch(server.base + '/my?format=xlsx', { headers: { cookie: fx.pj.cookie } });
  assert.equal(x.status, 200);
  const r = await upload(fx.pj, Buffer.from(await x.arrayBuffer()), { name: 'my-as-exported.xlsx' });
  assert.equal(r.status, 200, r.body);
  assert.ok(r.json.rows >= 1, r.body);
  assert.ok(!r.json.errors.some((e) => e.column === 'file' || e.row === 0), r.body);
});

test('a clerk exports /my, fills in a month in a spreadsheet program and imports it back', async () => {
  const x = await fetch(server.base + '/my?format=xlsx', { headers: { cookie: fx.pj.cookie } });
  assert.equal(x.status, 200);
  const parts = unzip(Buffer.from(await x.arrayBuffer()));
  const sheetName = Object.keys(parts).find((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  let sheet = parts[sheetName].toString('utf8');
  // Fill in 状态, 完成比例, 进展情况 (columns E, F, G) of every item row (from row 3), keeping
  // its 事项编号 and 报告期; an empty 报告期 gets this month.
  const ids = [];
  sheet = sheet.replace(/<row r="(\d+)"([^>]*)>(.*?)<\/row>/gs, (all, n, attrs, cells) => {
    if (Number(n) < 3) return all;
    const id = /<c r="A\d+"[^>]*><v>(\d+)<\/v><\/c>/.exec(cells)?.[1];
    if (!id) return all;
    ids.push(Number(id));
    const d = /<c r="D\d+"[^>]*>.*?<\/c>/s.exec(cells)?.[0] ??
      `<c r="D${n}" t="inlineStr"><is><t>${PERIOD}</t></is></c>`;
    return `<row r="${n}"${attrs}><c r="A${n}"><v>${id}</v></c>${d}` +
      `<c r="E${n}" t="inlineStr"><is><t>正常推进</t></is></c><c r="F${n}"><v>60</v></c>` +
      `<c r="G${n}" t="inlineStr"><is><t>已与无锡完成对接，事项 ${id}。</t></is></c></row>`;
  });
  assert.deepEqual(ids.sort(), [fx.i1, fx.i2].sort(), 'the export lists the unit\'s own items');
  parts[sheetName] = Buffer.from(sheet);
  const filled = libreoffice(zip(parts), 'filled');

  const before = reports();
  const p = await upload(fx.pj, filled);
  assert.equal(p.status, 200, p.body);
  assert.equal(p.json.rows, 2);
  assert.deepEqual(p.json.errors, []);
  assert.match(p.json.sha256, /^[0-9a-f]{64}$/);
  assert.equal(reports(), before, 'a preview stores no report');
  const c = await fx.pj.post(`/api/v1/imports/${p.json.id}/commit`);
  assert.equal(c.status, 200, c.body);
  assert.deepEqual(c.json, { created: 2, unchanged: 0 });
  const h = await fx.pj.get(`/api/v1/work-items/${fx.i1}`);
  assert.equal(h.json.reports[0].status, 'on_track');
  assert.equal(h.json.reports[0].percent, 60);
  // Committing again is refused; the same file again changes nothing.
  assert.equal((await fx.pj.post(`/api/v1/imports/${p.json.id}/commit`)).status, 409);
  const again = await upload(fx.pj, filled);
  assert.deepEqual(again.json.errors, []);
  const c2 = await fx.pj.post(`/api/v1/imports/${again.json.id}/commit`);
  assert.deepEqual(c2.json, { created: 0, unchanged: 2 });
  assert.equal(reports(), before + 2);
  // The commit is audited with the file's SHA-256.
  const audit = execFileSync('sqlite3', [server.db,
    "SELECT count(*) FROM audit WHERE action = 'import.commit' AND after LIKE '%" + p.json.sha256 + "%'"]).toString().trim();
  assert.equal(audit, '2');
});

test('errors are listed by row and column in the user\'s language, and block the commit', async () => {
  const next = `${YEAR}-${String(Math.min(12, Number(PERIOD.slice(5)) + 1)).padStart(2, '0')}`;
  const rows = [
    ['遼寧—江蘇 進展填報表', null, null, null, null],  // a merged title row above the header
    [],
    ['事項編號', '報告期', '狀態', '完成比例', '進展情況', '簽約金額（元）', '备注'],  // Traditional headers
    [fx.i1, serial(`${PERIOD}-15`), '存在風險', '50%', '物流園區選址推遲', 1200000, '随便写'],  // 3: fine
    [fx.i3, PERIOD, '正常推进', 10, '别的单位的事项'],           // 4: another unit's item
    [fx.i2, `${YEAR + 3}-01`, '正常推进', 10, '年份不对'],       // 5: outside the plan's years
    [String(fx.i2), next, '正常推进', '150', '超过一百'],         // 6: over 100 (numbers as text)
    [fx.i1, `${PERIOD}`, '正常推进', 70, '重复'],                 // 7: repeats row 4's item and period
    [fx.i2, PERIOD, '很好', 70, '状态不对'],                      // 8: not a status word
    [fx.i2, PERIOD, '已完成', 100, '完成', 'abc'],                // 9: a figure that is no number
  ];
  const before = reports();
  const p = await upload(fx.pj, makeXlsx(rows, { sheet: '我的台账', merge: 'A1:G1' }), { lang: 'en' });
  assert.equal(p.status, 200, p.body);
  assert.equal(p.json.rows, 7);
  const at = (row) => p.json.errors.filter((e) => e.row === row);
  assert.deepEqual(at(4), []);
  assert.deepEqual(at(4).length, 0);
  assert.equal(at(5)[0].column, '事項編號');
  assert.equal(at(5)[0].code, 'err_not_owner');
  assert.equal(at(6)[0].column, '報告期');
  assert.equal(at(6)[0].code, 'err_period');
  assert.equal(at(7)[0].column, '完成比例');
  assert.match(at(7)[0].message, /between 0 and 100/);
  assert.equal(at(8)[0].column, null);
  assert.match(at(8)[0].message, /Repeats row 4/);
  assert.equal(at(9)[0].column, '狀態');
  assert.equal(at(10)[0].column, '簽約金額（元）');
  assert.equal(p.json.errors.length, 6);
  // In Chinese for a Chinese reader.
  const zh = await upload(fx.pj, makeXlsx(rows, { merge: 'A1:G1' }), { lang: 'zh-Hans' });
  assert.match(zh.json.errors.find((e) => e.row === 8).message, /与第 4 行重复/);
  const c = await fx.pj.post(`/api/v1/imports/${p.json.id}/commit`);
  assert.equal(c.status, 422);
  assert.equal(c.json.error.code, 'err_import_has_errors');
  assert.equal(reports(), before, 'nothing stored');
});

test('files that are not workbooks are refused with a clear message, nothing stored', async () => {
  const ole = Buffer.alloc(2048);
  Buffer.from([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).copy(ole);
  const encrypted = Buffer.from(ole);
  Buffer.from('EncryptedPackage', 'utf16le').copy(encrypted, 1200);
  const xxe = makeXlsx([['事项编号']], { parts: { 'xl/workbook.xml':
    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><workbook>&x;</workbook>' } });
  const laughs = makeXlsx([['事项编号']], { parts: { 'xl/sharedStrings.xml':
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><sst><si><t>&c;</t></si></sst>' } });
  const bomb = makeXlsx([['事项编号']], { parts: { 'xl/worksheets/sheet1.xml': Buffer.alloc(64 << 20, 0x20) } });
  const noHeader = makeXlsx([['名称', '数量'], ['甲', 1]]);
  const cases = [
    [ole, 'err_import_legacy_format', /old Excel format/],
    [encrypted, 'err_import_encrypted', /password/],
    [xxe, 'err_import_bad_xml', /unsafe/],
    [laughs, 'err_import_bad_xml', /unsafe/],
    [bomb, 'err_import_too_large', /ZIP bomb/],
    [Buffer.from('事项编号,报告期\n1,2026-11\n'), 'err_import_not_xlsx', /not an Excel workbook/],
    [noHeader, 'err_import_no_header', /header row/],
  ];
  const n = imports(), r = reports();
  for (const [file, code, message] of cases) {
    const p = await upload(fx.pj, file, { lang: 'en' });
    assert.equal(p.status, 422, code);
    assert.equal(p.json.error.code, code);
    assert.equal(p.json.error.field, 'file');
    assert.match(p.json.error.message, message);
  }
  assert.equal(imports(), n, 'no preview stored');
  assert.equal(reports(), r);
  // The server is unharmed.
  assert.equal((await fx.pj.get('/api/v1/pairings')).status, 200);
});

test('an import is its user\'s alone; leaders and unknown kinds are refused', async () => {
  const file = makeXlsx([['事项编号', '报告期', '状态', '完成比例', '进展情况'],
    [fx.i3, PERIOD, '进度滞后', 20, '设备到货推迟']]);
  const p = await upload(fx.ly, file);
  assert.deepEqual(p.json.errors, []);
  assert.equal((await fx.pj.post(`/api/v1/imports/${p.json.id}/commit`)).status, 404);
  assert.equal((await upload(fx.leader, file)).status, 403);
  const k = await upload(fx.ly, file, { kind: 'budgets' });
  assert.equal(k.status, 422);
  assert.equal(k.json.error.field, 'kind');
  const anon = await fetch(server.base + `/api/v1/imports/${p.json.id}/commit`, { method: 'POST' });
  assert.equal(anon.status, 401);
  const c = await fx.ly.post(`/api/v1/imports/${p.json.id}/commit`);
  assert.deepEqual(c.json, { created: 1, unchanged: 0 });
});

test('the preview page shows the rows with their errors, and commits', async () => {
  const file = makeXlsx([['事项编号', '报告期', '状态', '完成比例', '进展情况'],
    [fx.i2, PERIOD, '存在风险', 30, '港口协调中'], [fx.i2, PERIOD, '存在风险', 30, '重复行']]);
  const fd = new FormData();
  fd.append('kind', 'reports');
  fd.append('file', new Blob([file]), 'ledger.xlsx');
  const up = await fx.pj.request('POST', '/imports', { body: fd });
  assert.equal(up.status, 303, up.body);
  const page = await fx.pj.get(up.headers.get('location'));
  assert.equal(page.status, 200);
  assert.match(page.body, /与第 2 行重复/);
  assert.doesNotMatch(page.body, /action="\/imports\/\d+\/commit"/, 'no commit button with errors');
  const ok = new FormData();
  ok.append('kind', 'reports');
  ok.append('file', new Blob([makeXlsx([['事项编号', '报告期', '状态', '完成比例', '进展情况'],
    [fx.i2, PERIOD, '存在风险', 30, '港口协调中']])]), 'ledger.xlsx');
  const up2 = await fx.pj.request('POST', '/imports', { body: ok });
  const where = up2.headers.get('location');
  const page2 = await fx.pj.get(where);
  assert.match(page2.body, new RegExp(`action="${where}/commit"`));
  const done = await fx.pj.request('POST', where + '/commit', { form: {} });
  assert.equal(done.status, 303);
  const result = await fx.pj.get(done.headers.get('location'));
  assert.match(result.body, /新增 1 份报告/);
  const bad = new FormData();
  bad.append('kind', 'reports');
  bad.append('file', new Blob([Buffer.from('not a workbook')]), 'ledger.xlsx');
  const refused = await fx.pj.request('POST', '/imports', { body: bad });
  assert.equal(refused.status, 422);
  assert.match(refused.body, /不是 Excel 工作簿/);
  const my = await fx.pj.get('/my');
  assert.match(my.body, /action="\/imports" enctype="multipart\/form-data"/);
});
