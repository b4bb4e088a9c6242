// Ledgers (台账) as XLSX and CSV (web/ledger.c, docs/ledgers.md), checked with their real
// consumer: every XLSX is opened by LibreOffice Calc headless (soffice --convert-to csv, all the
// files in one call, a private profile) and its cells compared with what the API returns; the
// CSV is parsed and compared too (BOM, RFC 4180 quoting, the formula guard). The headers of the
// answers (type, both file names), the defined names that identify the columns in any language,
// and the permissions (as the page's) are checked for each list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, LJ } from './harness.mjs';
import { today, thisYear, ZONE_MS } from './clock.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const YEAR = thisYear();
const PERIOD = today().slice(0, 7);
let server;
const fx = {};
const dir = mkdtempSync(join(tmpdir(), 'duikou-ledgers-'));
const calc = {}; // name → rows of the CSV LibreOffice made of name.xlsx

// RFC 4180: fields in double quotes may hold commas, quotes (doubled) and line breaks.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const files = {}; // name → { xlsx: Buffer, csv: string, headers }
async function fetchBoth(client, name, path) {
  const sep = path.includes('?') ? '&' : '?';
  const x = await fetch(client.base + path + sep + 'format=xlsx', { headers: { cookie: client.cookie } });
  const c = await fetch(client.base + path + sep + 'format=csv', { headers: { cookie: client.cookie } });
  assert.equal(x.status, 200, `${path} xlsx`);
  assert.equal(c.status, 200, `${path} csv`);
  const xlsx = Buffer.from(await x.arrayBuffer());
  const csvBytes = Buffer.from(await c.arrayBuffer());
  writeFileSync(join(dir, name + '.xlsx'), xlsx);
  files[name] = { xlsx, csvBytes, csv: csvBytes.toString('utf8'), xh: x.headers, ch: c.headers };
}

// The cell under header h in row (of a table whose header row is head).
const col = (head, h) => { const i = head.indexOf(h); assert.ok(i >= 0, `a column ${h} in ${head}`); return i; };

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  fx.pj = await as(server, 'pj_member');
  fx.ly = await as(server, 'ly_member');
  fx.sh = await as(server, 'sh_coord');
  fx.admin = await as(server, 'admin');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const add = async (owner, title, due, extra = {}) => {
    const r = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, { owner_unit_id: owner, title, due, ...extra });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.i1 = await add(server.units.panjin, '盤錦—無錫物聯網產業對接', `${YEAR}-12-20`,
    { indicator: '簽約項目數', target_value: '3 個', support: [server.units.wuxi] });
  // a title a spreadsheet would take for a formula, with a comma, quotes and a line's worth
  fx.i2 = await add(server.units.panjin, '=HYPERLINK("http://x","點我"), 測試', `${YEAR}-06-30`);
  fx.i3 = await add(server.units.liaoyang, '遼陽—常州裝備製造合作', `${YEAR}-11-30`);
  const report = async (who, item, body) => {
    const r = await who.post(`/api/v1/work-items/${item}/reports`, { period: PERIOD, ...body });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.r1 = await report(fx.pj, fx.i1, { status: 'on_track', percent: 60, narrative: '已召開兩次對接會，簽約 2 個項目。',
    figures: [{ name: '簽約金額', value: 12345678, unit: '元' }, { name: '參與企業數', value: 12, unit: '家' }] });
  fx.r2 = await report(fx.pj, fx.i2, { status: 'at_risk', percent: 10, narrative: '+待協調, "場地"\n第二行' });
  fx.r3 = await report(fx.ly, fx.i3, { status: 'done', percent: 100, narrative: '已完成。' });
  assert.equal((await fx.ln.post(`/api/v1/reports/${fx.r1}/review`, { decision: 'accepted', comment: '好' })).status, 201);
  assert.equal((await fx.ln.post(`/api/v1/reports/${fx.r2}/review`, { decision: 'returned', comment: '請補充。' })).status, 201);

  // a project, an event with a registration, an exchange
  const prj = await fx.ln.post('/api/v1/projects', { name: '盘锦—无锡"互联网+"产业园', city_pairing_id: 3,
    industry: '65', region_code: '211100', invest_planned_wan: '50,000', invest_contracted_wan: '12000.5', jobs: 300,
    partners: [{ side: 0, unit_id: server.units.panjin }, { side: 1, enterprise: '无锡某物联网科技有限公司' }],
    task_ids: [], stage: 'signed', stage_on: today() });
  assert.equal(prj.status, 201, prj.body);
  fx.project = prj.json.id;
  const day = today(5);
  const ev = await fx.ln.post('/api/v1/events', { kind: 'docking', title: '辽宁行·沈阳装备制造对接会', host_side: 0,
    starts: `${day}T09:00`, ends: `${day}T17:30`, place: '沈阳市会展中心', capacity: 60 });
  assert.equal(ev.status, 201, ev.body);
  fx.event = ev.json.id;
  const reg = await fx.ln.post(`/api/v1/events/${fx.event}/registrations`, { unit_id: server.units.panjin });
  assert.equal(reg.status, 201, reg.body);
  fx.registration = reg.json;
  const ex = await fx.ln.post('/api/v1/exchanges', { kind: 'secondment', title: '盘锦干部赴无锡挂职', person_name: '王晓明',
    from_unit_id: server.units.panjin, host_unit_id: server.units.wuxi, post: '无锡市发改委副主任',
    field: '放管服改革', starts: today(-10), ends: today(20) });
  assert.equal(ex.status, 201, ex.body);
  fx.exchange = ex.json.id;
  fx.leader = await as(server, 'ln_leader');

  await fetchBoth(fx.ln, 'work-plan', `/work-plans/${fx.wp}`);
  await fetchBoth(fx.ln, 'reviews', '/reviews');
  await fetchBoth(fx.ln, 'projects', '/projects');
  await fetchBoth(fx.ln, 'events', '/events');
  await fetchBoth(fx.ln, 'exchanges', `/exchanges?year=${today(-10).slice(0, 4)}`);
  await fetchBoth(fx.admin, 'audit', '/audit');
  await fetchBoth(fx.leader, 'dashboard', `/pairings/${LJ}/dashboard`);
  await fetchBoth(fx.ln, 'reports', `/reports?year=${YEAR}`);
  await fetchBoth(fx.pj, 'my', '/my');
  fx.en = await as(server, 'js_coord');
  await fetchBoth({ base: server.base, cookie: fx.en.cookie + '; lang=en' }, 'work-plan-en', `/work-plans/${fx.wp}?lang=en`);

  // LibreOffice: every workbook in one call (it is slow to start), a private profile.
  const names = Object.keys(files);
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless',
    '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', join(dir, 'calc'),
    ...names.map((n) => join(dir, n + '.xlsx'))], { timeout: 300000, stdio: 'pipe' });
  for (const n of names) {
    const p = join(dir, 'calc', n + '.csv');
    assert.ok(existsSync(p), `LibreOffice converted ${n}.xlsx`);
    calc[n] = parseCsv(readFileSync(p, 'utf8'));
  }
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('the answers: content types and both forms of the file name', () => {
  const f = files['work-plan'];
  assert.equal(f.xh.get('content-type'), XLSX);
  assert.equal(f.ch.get('content-type'), 'text/csv; charset=utf-8');
  const d = f.xh.get('content-disposition');
  assert.match(d, new RegExp(`^attachment; filename="work-plan-${fx.wp}-${YEAR}\\.xlsx"; filename\\*=UTF-8''`));
  assert.equal(decodeURIComponent(d.split("UTF-8''")[1]), `工作计划台账-${YEAR}.xlsx`);
  assert.equal(decodeURIComponent(f.ch.get('content-disposition').split("UTF-8''")[1]), `工作计划台账-${YEAR}.csv`);
  assert.equal(f.xh.get('cache-control'), 'no-store');
  assert.equal(Number(f.xh.get('content-length')), f.xlsx.length);
  assert.equal(f.xlsx.subarray(0, 2).toString(), 'PK', 'a ZIP (OOXML) file');
  assert.equal(decodeURIComponent(files.reports.xh.get('content-disposition').split("UTF-8''")[1]),
    `进展报告台账-${YEAR}.xlsx`);
});

test('the work plan ledger: LibreOffice reads the items as the API gives them', async () => {
  const api = (await fx.ln.get(`/api/v1/work-plans/${fx.wp}`)).json;
  const rows = calc['work-plan'];
  assert.match(rows[0][0], new RegExp(`${YEAR}.*台账 · 导出日期：${Number(today().slice(0, 4))}年${Number(today().slice(5, 7))}月${Number(today().slice(8))}日`));
  const head = rows[1];
  assert.deepEqual(head.slice(0, 4), ['事项编号', '任务', '计划事项', '责任单位']);
  const body = rows.slice(2).filter((r) => r.some((c) => c !== ''));
  assert.equal(body.length, api.items.length);
  const lights = { green: '绿灯', yellow: '黄灯', red: '红灯', done: '完成' };
  for (const it of api.items) {
    const row = body.find((r) => Number(r[col(head, '事项编号')]) === it.id);
    assert.ok(row, `item ${it.id}`);
    assert.equal(row[col(head, '计划事项')], it.title);
    assert.equal(row[col(head, '责任单位')], it.owner.name);
    assert.equal(row[col(head, '截止日期')], it.due, 'a date cell shown as yyyy-mm-dd');
    assert.equal(row[col(head, '配合单位')], (it.support ?? []).map((s) => s.name).join('、'));
    assert.equal(row[col(head, '灯号')], lights[it.light], 'the light as a word');
    if (it.latest_report) {
      assert.equal(row[col(head, '报告期')], it.latest_report.period);
      assert.equal(Number(row[col(head, '完成比例')]), it.latest_report.percent);
    }
  }
  for (const [who, path] of [[fx.ln, `/work-plans/${fx.wp}`], [fx.pj, '/my'], [fx.ln, '/projects'],
    [fx.ln, '/events'], [fx.leader, `/pairings/${LJ}/dashboard`], [fx.admin, '/audit']]) {
    const page = await who.get(path);
    assert.ok(page.body.includes('导出 Excel / CSV') && page.body.includes('format=xlsx') &&
      page.body.includes('format=csv'), `the export links on ${path}`);
  }
  const csv = files['work-plan'].csv;
  assert.equal(files['work-plan'].csvBytes.subarray(0, 3).toString('hex'), 'efbbbf', 'a BOM');
  const crows = parseCsv(csv.slice(1)).filter((r) => r.some((c) => c !== ''));
  assert.deepEqual(crows[0], head, 'CSV and XLSX have the same headers');
  for (const r of crows.slice(1)) {
    const x = body.find((b) => b[0] === r[0]);
    // the same cells, but for the guarded formula
    assert.deepEqual(r.map((c) => c.replace(/^'/, '')), x);
  }
});

test('CSV: a cell that would be a formula starts with an apostrophe; quotes and line breaks survive', () => {
  const csv = files['work-plan'].csv;
  assert.ok(csv.includes(`"'=HYPERLINK(""http://x"",""點我""), 測試"`), 'guarded and quoted');
  const rep = files.reports.csv;
  assert.ok(rep.includes(`"'+待協調, ""場地""\n第二行"`), 'a narrative starting with + guarded, its line break kept');
  const xl = calc['work-plan'].find((r) => r.includes('=HYPERLINK("http://x","點我"), 測試'));
  assert.ok(xl, 'in the XLSX the text stays text (LibreOffice shows it, no formula)');
});

test('the reports ledger: every report with its review and reviewer', async () => {
  const rows = calc.reports;
  const head = rows[1];
  const body = rows.slice(2).filter((r) => r.some((c) => c !== ''));
  assert.equal(body.length, 3);
  for (const id of [fx.r1, fx.r2, fx.r3]) {
    const api = (await fx.ln.get(`/api/v1/reports/${id}`)).json;
    const row = body.find((r) => Number(r[col(head, '报告编号')]) === id);
    assert.ok(row, `report ${id}`);
    assert.equal(Number(row[col(head, '事项编号')]), api.work_item_id);
    assert.equal(row[col(head, '填报单位')], api.unit.name);
    assert.equal(row[col(head, '报告期')], api.period);
    assert.equal(Number(row[col(head, '完成比例')]), api.percent);
    assert.equal(row[col(head, '进展情况')], api.narrative);
    assert.equal(row[col(head, '审核结果')], api.review ? { accepted: '已通过', returned: '已退回' }[api.review.decision] : '待审核');
    assert.equal(row[col(head, '审核意见')], api.review?.comment ?? '');
    assert.equal(row[col(head, '审核人')] !== '', Boolean(api.review));
    assert.match(row[col(head, '填报时间')], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  }
  const r1 = body.find((r) => Number(r[0]) === fx.r1);
  assert.equal(r1[col(head, '量化数据')], '參與企業數 12 家；簽約金額 12345678 元');
  // the CSV: the same cells but for the guarded narrative
  const crows = parseCsv(files.reports.csv.slice(1)).filter((r) => r.some((c) => c !== ''));
  assert.deepEqual(crows[0], head);
  for (const r of crows.slice(1))
    assert.deepEqual(r.map((c) => c.replace(/^'/, '')), body.find((b) => b[0] === r[0]));
  // the time of a report is in the plans' zone: the API's UTC instant moved there
  const at = (await fx.ln.get(`/api/v1/reports/${fx.r1}`)).json.at;
  const cst = new Date(Date.parse(at) + ZONE_MS).toISOString().slice(0, 19).replace('T', ' ');
  assert.equal(r1[col(head, '填报时间')], cst);
  // the page lists them and links the files
  const page = await fx.ln.get(`/reports?year=${YEAR}`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes('导出 Excel / CSV'));
  assert.ok(page.body.includes(`/reports?year=${YEAR}&amp;format=xlsx`));
});

test('/my: the template the import reads (事项编号, 报告期, 状态, 完成比例, 进展情况, one column per figure)', async () => {
  const rows = calc.my;
  const head = rows[1];
  for (const h of ['事项编号', '报告期', '状态', '完成比例', '进展情况', '簽約金額（元）', '參與企業數（家）'])
    assert.ok(head.includes(h), `column ${h} in ${head}`);
  const my = (await fx.pj.get('/api/v1/my/work-items')).json.items;
  const body = rows.slice(2).filter((r) => r.some((c) => c !== ''));
  assert.deepEqual(body.map((r) => Number(r[0])).sort(), my.map((i) => i.id).sort(), 'the unit\'s items only');
  const r1 = body.find((r) => Number(r[0]) === fx.i1);
  assert.equal(r1[col(head, '报告期')], PERIOD);
  assert.equal(r1[col(head, '状态')], '正常推进');
  assert.equal(Number(r1[col(head, '完成比例')]), 60);
  assert.equal(Number(r1[col(head, '簽約金額（元）')]), 12345678);
  // the columns are named in the workbook, whatever the language of the headers
  const wb = execFileSync('unzip', ['-p', join(dir, 'my.xlsx'), 'xl/workbook.xml'], { encoding: 'utf8' });
  for (const k of ['item_id', 'period', 'status', 'percent', 'narrative', 'figure_1'])
    assert.match(wb, new RegExp(`<definedName name="duikou_${k}">`), `defined name duikou_${k}`);
  const sheet = execFileSync('unzip', ['-p', join(dir, 'my.xlsx'), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.match(sheet, /<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"\/>/, 'the header frozen');
  assert.match(sheet, /<autoFilter ref="A2:/, 'a filter on the header');
  assert.match(sheet, /<col min="2" max="2" width="[3-9]\d/, 'the item column as wide as its text');
  const notes = execFileSync('unzip', ['-l', join(dir, 'my.xlsx')], { encoding: 'utf8' });
  assert.match(notes, /xl\/worksheets\/sheet2\.xml/, 'a notes sheet');
});

test('English headers, the same defined names', () => {
  const head = calc['work-plan-en'][1];
  assert.deepEqual(head.slice(0, 4), ['Item no.', 'Task', 'Work item', 'Owner unit']);
  const wb = execFileSync('unzip', ['-p', join(dir, 'work-plan-en.xlsx'), 'xl/workbook.xml'], { encoding: 'utf8' });
  assert.match(wb, /<definedName name="duikou_item_id">'Ledger'!\$A\$2<\/definedName>/);
  const light = execFileSync('unzip', ['-p', join(dir, 'work-plan-en.xlsx'), 'xl/styles.xml'], { encoding: 'utf8' });
  assert.match(light, /FFC6EFCE|FFFFC7CE|FFFFEB9C|FFD9D9D9/, 'a light\'s fill');
});

test('permissions are the page\'s: another pairing is refused, a member sees its own unit', async () => {
  const page = (await fx.sh.get(`/work-plans/${fx.wp}`)).status;
  const list = (await fx.sh.get(`/reports?pairing=${LJ}&year=${YEAR}`)).status;
  assert.ok([403, 404].includes(page) && [403, 404].includes(list), `${page} ${list}`);
  for (const f of ['xlsx', 'csv']) {
    const r = await fx.sh.get(`/work-plans/${fx.wp}?format=${f}`);
    assert.equal(r.status, page, `sh_coord on the work plan as ${f}: as the page`);
    assert.doesNotMatch(r.headers.get('content-type'), /spreadsheet|csv/);
    const q = await fx.sh.get(`/reports?pairing=${LJ}&year=${YEAR}&format=${f}`);
    assert.equal(q.status, list, `sh_coord on the reports of LJ as ${f}: as the page`);
  }
  const anon = await fetch(`${server.base}/reports?format=xlsx`, { redirect: 'manual' });
  assert.equal(anon.status, 303);
  const mine = await fetch(`${server.base}/reports?year=${YEAR}&format=csv`, { headers: { cookie: fx.pj.cookie } });
  const rows = parseCsv((await mine.text()).slice(1)).filter((r) => r.some((c) => c !== ''));
  assert.deepEqual(rows.slice(1).map((r) => Number(r[0])).sort(), [fx.r1, fx.r2].sort(), 'pj_member: Panjin\'s reports only');
  assert.equal((await fx.ln.get(`/work-plans/${fx.wp}?format=pdf`)).status, 400);
  assert.equal((await fx.ln.get('/my?format=x')).status, 400);
});

const bodyOf = (rows) => rows.slice(2).filter((r) => r.some((c) => c !== ''));
const csvRows = (name) => parseCsv(files[name].csv.slice(1));

test('the review queue: the pending reports as the API lists them', async () => {
  const api = (await fx.ln.get('/api/v1/reviews/pending?limit=200')).json.pending;
  const head = calc.reviews[1], body = bodyOf(calc.reviews);
  assert.deepEqual(body.map((r) => Number(r[col(head, '报告编号')])), api.map((x) => x.report.id));
  const r3 = body.find((r) => Number(r[0]) === fx.r3);
  assert.equal(r3[col(head, '进展情况')], '已完成。');
  assert.equal(Number(r3[col(head, '完成比例')]), 100);
  assert.deepEqual(csvRows('reviews')[0], head);
  assert.ok((await fx.ln.get('/reviews')).body.includes('/reviews?format=csv'));
});

test('projects: amounts in 万元 as numbers, dates as dates', async () => {
  const api = (await fx.ln.get(`/api/v1/projects/${fx.project}`)).json;
  const head = calc.projects[1];
  const row = bodyOf(calc.projects).find((r) => Number(r[0]) === fx.project);
  assert.equal(row[col(head, '项目名称')], api.name);
  assert.equal(row[col(head, '协议投资（万元）')], '12,000.50', 'the number format of 万元');
  assert.equal(row[col(head, '计划投资（万元）')], '50,000.00');
  assert.equal(Number(row[col(head, '协议投资（万元）')].replace(/,/g, '')) * 10000, api.invest_contracted_yuan);
  assert.equal(row[col(head, '签约日期')], api.signed_on ?? today());
  const crow = csvRows('projects').find((r) => Number(r[0]) === fx.project);
  assert.equal(crow[col(head, '协议投资（万元）')], '12000.5', 'CSV: exact 万元');
  assert.equal(crow[col(head, '带动就业（人）')], '300');
});

test('events and their registrations', () => {
  const head = calc.events[1];
  const row = bodyOf(calc.events).find((r) => Number(r[0]) === fx.event);
  assert.ok(row, 'the event');
  assert.equal(row[col(head, '活动名称')], '辽宁行·沈阳装备制造对接会');
  assert.equal(row[col(head, '开始时间')], `${today(5)} 09:00:00`, 'the event\'s own local time');
  assert.equal(Number(row[col(head, '名额')]), 60);
  assert.equal(Number(row[col(head, '已报名')]), 1);
  // the CSV: the events, a blank line, then the registrations with their header
  const csv = csvRows('events');
  const blank = csv.findIndex((r) => r.length === 1 && r[0] === '');
  assert.ok(blank > 0, 'a blank line between the sheets');
  const rhead = csv[blank + 1];
  const reg = csv.slice(blank + 2).find((r) => Number(r[0]) === fx.event);
  assert.equal(Number(reg[col(rhead, '报名编号')]), fx.registration.number);
  assert.equal(reg[col(rhead, '企业或单位')], '盤錦市人民政府');
});

test('exchanges: the year\'s, without the sealed personal data', async () => {
  const api = (await fx.ln.get(`/api/v1/exchanges/${fx.exchange}`)).json;
  const head = calc.exchanges[1];
  const row = bodyOf(calc.exchanges).find((r) => Number(r[0]) === fx.exchange);
  assert.equal(row[col(head, '人员')], api.person_name);
  assert.equal(row[col(head, '开始日期')], api.starts);
  assert.equal(row[col(head, '结束日期')], api.ends);
  assert.ok(!head.some((h) => /身份证|电话/.test(h)));
});

test('the audit log: the rows the reader may read, newest first', async () => {
  const head = calc.audit[1], body = bodyOf(calc.audit);
  // the rows up to the export (later requests write more), sign-ins left out as on the page
  const newest = Number(body[0][0]);
  const api = (await fx.admin.get('/api/v1/audit?limit=200')).json.entries
    .filter((e) => e.id <= newest && !e.action.startsWith('auth.'));
  assert.equal(body.length, api.length);
  assert.deepEqual(body.slice(0, api.length).map((r) => [Number(r[0]), r[col(head, '操作')]]),
    api.map((e) => [e.id, e.action]));
  assert.equal((await fx.pj.get('/audit?format=csv')).status, 403, 'a member reads no log');
});

test('the dashboard\'s tables: the lights by unit add up to the plan\'s items', async () => {
  const head = calc.dashboard[1], body = bodyOf(calc.dashboard);
  const total = body.reduce((a, r) => a + Number(r[col(head, '合计')]), 0);
  assert.equal(total, (await fx.ln.get(`/api/v1/work-plans/${fx.wp}`)).json.items.length);
  for (const r of body)
    assert.equal(Number(r[1]), Number(r[2]) + Number(r[3]) + Number(r[4]) + Number(r[5]));
  assert.equal((await fx.sh.get(`/pairings/${LJ}/dashboard?format=xlsx`)).status,
    (await fx.sh.get(`/pairings/${LJ}/dashboard`)).status, 'another pairing: as the page');
});
