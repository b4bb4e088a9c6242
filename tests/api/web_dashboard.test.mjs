// The dashboard of a pairing (web/dashboard.c, service/dashboard.c): a work plan with one item
// in each light is built through the JSON API, then the page must show the right counts in
// the figures, the light bar and the tables, the overdue item with its owner unit, the latest
// reports, and refuse or redirect whoever may not see it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, Client, LJ, SD } from './harness.mjs';
import { localDay as cst, DAY, today, thisYear } from './clock.mjs';

let server;
const fx = {};

// "Today" as the lights see it: the date in China Standard Time.
const YEAR = thisYear();
const PAGE = `/pairings/${LJ}/dashboard`;

const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');

// The headline figure of a class (fig-done, fig-overdue …) as text.
const figure = (body, cls) => {
  const m = new RegExp(`<div class="fig ${cls}"><dt>[^<]*</dt><dd>(?:<a href="[^"]*">)?([^<]*)`).exec(body);
  assert.ok(m, `figure ${cls}`);
  return m[1];
};
// The numbers of a table's cells (a count, or a link to the items behind it).
const NUM = /<td class="num"[^>]*>(?:<a href="[^"]*">)?(\d+)/g;
// The cells of the table row whose header cell is name, as [total, done, green, yellow, red]
// (the page shows them worst first: total, red, yellow, green, done).
const groupRow = (body, name) => {
  const i = body.search(new RegExp(`<tr><th scope="row"><a href="[^"]*">${name}</a></th>`));
  assert.ok(i >= 0, `row ${name}`);
  const row = body.slice(i, body.indexOf('</tr>', i));
  const [total, red, yellow, green, done] = [...row.matchAll(NUM)].map((m) => Number(m[1]));
  return [total, done, green, yellow, red];
};
const section = (body, cls) => {
  const i = body.indexOf(`<section class="${cls}"`);
  assert.ok(i >= 0, `section ${cls}`);
  return body.slice(i, body.indexOf('</section>', i));
};

before(async () => {
  server = await startServer();
  const ln = await as(server, 'ln_coord');
  const js = await as(server, 'js_coord');
  const plan = await ln.get('/api/v1/plans/1');
  const area = plan.json.areas.find((a) => a.tasks.some((t) => t.number === 7));
  fx.task7 = area.tasks.find((t) => t.number === 7).id;
  fx.areaTitle = area.title;
  const wp = await ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const add = async (who, fields) => {
    const r = await who.post(`/api/v1/work-plans/${wp.json.id}/items`, fields);
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const pj = server.units.panjin;
  fx.done = await add(ln, { title: '盤錦—無錫產業對接完成事項', owner_unit_id: pj, due: today(60), task_id: fx.task7 });
  fx.late = await add(ln, { title: '盤錦港口合作逾期事項', owner_unit_id: pj, due: today(-5) });
  fx.soon = await add(js, { title: '無錫即將到期事項', owner_unit_id: server.units.wuxi, due: today(3) });
  fx.fine = await add(ln, { title: '遼陽裝備製造合作', owner_unit_id: server.units.liaoyang, due: today(90) });
  fx.going = await add(ln, { title: '盤錦人才交流', owner_unit_id: pj, due: today(60) });
  fx.removed = await add(ln, { title: '已刪除的事項', owner_unit_id: pj, due: today(-9) });
  const del = await ln.del(`/api/v1/work-items/${fx.removed}`, {
    headers: { 'if-match': (await ln.get(`/api/v1/work-items/${fx.removed}`)).headers.get('etag') } });
  assert.equal(del.status, 204, del.body);

  const report = async (login, item, status, percent, accept) => {
    const c = await as(server, login);
    const r = await c.post(`/api/v1/work-items/${item}/reports`,
      { period: today().slice(0, 7), status, percent, narrative: `進展：${status}` });
    assert.equal(r.status, 201, r.body);
    if (accept) {
      const v = await ln.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accepted' });
      assert.equal(v.status, 201, v.body);
    }
    return r.json.id;
  };
  await report('pj_member', fx.done, 'done', 100, true);
  await report('pj_member', fx.going, 'on_track', 50, true);
  fx.pending = await report('ly_member', fx.fine, 'on_track', 40, false);
  fx.leader = await as(server, 'ln_leader');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('the figures, the light bar and the tables count each light', async () => {
  const r = await fx.leader.get(PAGE);
  assert.equal(r.status, 200, r.body.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const b = r.body;
  assert.match(b, new RegExp(`<h1>遼寧省–江蘇省 <span class="dash-year">${YEAR}</span> 工作看板</h1>`));
  // done: the accepted "done"; green: on track and no report yet; yellow: due in 3 days;
  // red: 5 days late. The removed item counts nowhere.
  assert.equal(figure(b, 'fig-done'), '1');
  assert.equal(figure(b, 'fig-green'), '2');
  assert.equal(figure(b, 'fig-yellow'), '1');
  assert.equal(figure(b, 'fig-red'), '1');
  assert.equal(figure(b, 'fig-overdue'), '1');
  assert.match(b, new RegExp(`<div class="fig"><dt>计划事项</dt><dd><a href="/pairings/${LJ}/items\\?year=${YEAR}">5</a></dd>`));
  // (100 + 50 accepted; the pending 40 does not count) / 5 items
  assert.equal(figure(b, 'fig-progress'), '30%');
  // The bar of the lights: an image with its numbers in words, segments in the badge colours.
  assert.match(b, /<svg class="dash-bar" role="img" aria-label="灯号分布：完成 1，绿灯 2，黄灯 1，红灯 1"/);
  assert.match(b, /<title>灯号分布：完成 1，绿灯 2，黄灯 1，红灯 1<\/title>/);
  assert.match(b, /fill="#8b0f1f"/);
  assert.doesNotMatch(b, /style=/, 'no inline style (CSP)');
  // Per unit, per key area, per city pairing: counts [total, done, green, yellow, red].
  assert.deepEqual(groupRow(b, '盤錦市人民政府'), [3, 1, 1, 0, 1]);
  assert.deepEqual(groupRow(b, '遼陽市人民政府'), [1, 0, 1, 0, 0]);
  assert.deepEqual(groupRow(b, '無錫市人民政府'), [1, 0, 0, 1, 0]);
  assert.deepEqual(groupRow(b, fx.areaTitle), [1, 1, 0, 0, 0]);
  const cities = section(b, 'dash-group" aria-labelledby="h-cities');
  assert.deepEqual([...cities.matchAll(NUM)].map((m) => Number(m[1])), [1, 0, 0, 0, 1]);
  assert.match(b, /<svg class="row-bar" role="img" aria-label="盤錦市人民政府：完成 1，绿灯 1，黄灯 0，红灯 1"/);
  assert.match(b, /<th scope="col">责任单位<\/th>/);
  // The year selector: a GET form with this year chosen.
  assert.match(b, new RegExp(`<form class="year-form" method="get" action="${PAGE}">`));
  assert.match(b, new RegExp(`<option value="${YEAR}" selected>${YEAR}</option>`));
  noBareIds(b);
});

test('the overdue list names the item, its owner unit and the days late; reports come newest first', async () => {
  const r = await fx.leader.get(PAGE);
  const overdue = section(r.body, 'dash-overdue');
  assert.match(overdue, /盤錦港口合作逾期事項<\/td><td data-label="责任单位">盤錦市人民政府<\/td><td data-label="联系人">[^<—]+<\/td>/);
  assert.match(overdue, /<td class="num" data-label="逾期天数">逾期5天<\/td>/);
  assert.match(overdue, /尚未报告/);
  assert.doesNotMatch(overdue, /已刪除的事項/);
  assert.doesNotMatch(overdue, /無錫即將到期事項/);
  // A leader reports on nothing: the item is text, not a link to a clerk's form.
  assert.doesNotMatch(overdue, /\/items\/\d+\/report/);

  const recent = section(r.body, 'dash-recent');
  const rows = recent.split('<tr>').slice(2);
  assert.equal(rows.length, 3);
  assert.match(rows[0], /遼陽市人民政府/);
  assert.match(rows[0], /遼陽裝備製造合作/);
  assert.match(rows[0], /<td class="num" data-label="完成比例">40%<\/td>/);
  assert.match(rows[0], /class="review review-pending">待审核</);
  assert.match(rows[1], /盤錦人才交流/);
  assert.match(rows[1], /已通过/);
  assert.match(rows[2], /已完成/);
  assert.match(rows[2], new RegExp(`<a class="meta" href="/tasks/${fx.task7}">任务 7</a>`));

  // The clerk of the owner unit gets the link to its report form.
  const pj = await as(server, 'pj_member');
  const mine = section((await pj.get(PAGE)).body, 'dash-overdue');
  assert.match(mine, new RegExp(`<a href="/items/${fx.late}/report">盤錦港口合作逾期事項</a>`));
});

test('a year without a work plan, and a year that is not one', async () => {
  let r = await fx.leader.get(`${PAGE}?year=2020`);
  assert.equal(r.status, 200);
  assert.match(r.body, /年度工作计划：本年度尚未制定/);
  assert.equal(figure(r.body, 'fig-red'), '0');
  assert.match(r.body, /aria-label="灯号分布：完成 0，绿灯 0，黄灯 0，红灯 0"/);
  assert.match(r.body, /<option value="2020" selected>2020<\/option>/);
  assert.match(r.body, new RegExp(`<option value="${YEAR}">${YEAR}</option>`));

  for (const bad of ['abc', '1999', '2101', '20x6', '-2026']) {
    r = await fx.leader.get(`${PAGE}?year=${bad}`);
    assert.equal(r.status, 422, bad);
    assert.match(r.body, /年度应为 2000 至 2100 之间的四位数字/);
    assert.match(r.body, new RegExp(`<a href="${PAGE}">`));
    noBareIds(r.body);
  }
  r = await fx.leader.get(`${PAGE}?year=`);
  assert.equal(r.status, 200, 'an empty year is this year');
  assert.match(r.body, new RegExp(`<option value="${YEAR}" selected>`));
});

test('only users of the pairing see it; /dashboard leads to one\'s own', async () => {
  const dl = await as(server, 'dl_coord'); // to another pairing it is not there (issue #10)
  let r = await dl.get(PAGE);
  assert.equal(r.status, 404);
  assert.match(r.body, /页面不存在/);
  assert.doesNotMatch(r.body, /盤錦港口合作逾期事項/);
  r = await dl.get(`/pairings/${SD}/dashboard`);
  assert.equal(r.status, 200);
  assert.match(r.body, /年度工作计划：本年度尚未制定/);
  r = await fx.leader.get('/pairings/2/dashboard');
  assert.equal(r.status, 404, 'a city pairing has no dashboard of its own');
  r = await fx.leader.get('/pairings/999/dashboard');
  assert.equal(r.status, 404);

  r = await new Client(server.base).get(PAGE);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/login?next=${encodeURIComponent(PAGE)}`);

  r = await dl.get('/dashboard');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/pairings/${SD}/dashboard`);
  r = await fx.leader.get('/dashboard?year=2025');
  assert.equal(r.headers.get('location'), `${PAGE}?year=2025`);
  // A language chosen with ?lang= goes along, so the page it leads to speaks it.
  r = await fx.leader.get('/dashboard?year=2025&lang=zh-Hant');
  assert.equal(r.headers.get('location'), `${PAGE}?year=2025&lang=zh-Hant`);
  r = await fx.leader.get('/dashboard?lang=en');
  assert.equal(r.headers.get('location'), `${PAGE}?lang=en`);
  r = await fx.leader.get('/dashboard?lang=xx');
  assert.equal(r.headers.get('location'), PAGE);
  r = await (await as(server, 'admin')).get('/dashboard');
  assert.equal(r.headers.get('location'), PAGE);
  r = await (await as(server, 'admin')).get(`/pairings/${SD}/dashboard?year=2025`);
  assert.equal(r.status, 200);
  // The admin moves between the pairings' dashboards; others see only their own.
  assert.match(r.body, new RegExp(`<a href="/pairings/${LJ}/dashboard\\?year=2025">遼寧省—江蘇省</a>`));
  assert.match(r.body, new RegExp(`<a href="/pairings/${SD}/dashboard\\?year=2025" aria-current="page">`));
  assert.doesNotMatch((await dl.get(`/pairings/${SD}/dashboard`)).body, /class="pairing-nav"/);
});

test('English and Traditional Chinese: every text translated', async () => {
  // A fresh client per language: ?lang= answers with a cookie the test client would keep.
  let c = await as(server, 'ln_leader');
  let r = await c.get(`${PAGE}?lang=en`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<html lang="en">/);
  assert.match(r.body, /Overdue items/);
  assert.match(r.body, /aria-label="Items by light: Done 1, Green 2, Yellow 1, Red 1"/);
  assert.match(r.body, /Progress of the year/);
  noBareIds(r.body);

  c = await as(server, 'ln_leader');
  r = await c.get(`${PAGE}?lang=zh-Hant`);
  assert.equal(r.status, 200);
  assert.match(r.body, /逾期事項清單/);
  assert.match(r.body, /aria-label="燈號分佈：完成 1，綠燈 2，黃燈 1，紅燈 1"/);
  noBareIds(r.body);

  c = await as(server, 'ln_leader');
  r = await c.get(`${PAGE}?lang=en&year=abc`);
  assert.equal(r.status, 422);
  assert.match(r.body, /The year must be a number from 2000 to 2100/);
  noBareIds(r.body);
});

test('the stylesheet prints the dashboard on A4 without the navigation', async () => {
  const page = await fx.leader.get(PAGE);
  const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)[1];
  const css = (await new Client(server.base).get(href)).body;
  assert.match(css, /@page dashboard \{[^}]*size: A4/);
  assert.match(css, /\.dashboard \{[^}]*page: dashboard/);
  const print = [...css.matchAll(/@media print \{([^@]*)/g)].map((m) => m[1]).join('\n');
  assert.match(print, /\.year-form[^{]*\{[^}]*display: none/);
  assert.match(print, /break-inside: avoid/);
});

// Every number of the dashboard that links to the items behind it leads to a list of exactly
// that many items (/pairings/{id}/items): the figures, and every cell of the unit, area and
// city-pairing tables. The lists come worst first.
test('every count links to its items, and the list holds that many', async () => {
  const b = (await fx.leader.get(PAGE)).body;
  const links = [...b.matchAll(/<a href="(\/pairings\/\d+\/items\?[^"]+)">(\d+)<\/a>/g)]
    .map((m) => ({ href: m[1].replaceAll('&amp;', '&'), n: Number(m[2]) }));
  // 7 figures (items, four lights, overdue) and, per table row, the total and each light
  // that is not 0
  assert.ok(links.length >= 12, `links: ${links.length}`);
  for (const kind of ['light=red', 'overdue=1', 'unit=', 'area=', 'city='])
    assert.ok(links.some((l) => l.href.includes(kind)), kind);
  for (const { href, n } of links) {
    const r = await fx.leader.get(href);
    assert.equal(r.status, 200, href);
    const rows = (r.body.match(/<tr(?: class="overdue")?><td><a href="\/work-items\/\d+">/g) ?? []).length;
    assert.equal(rows, n, `${href}: ${rows} rows for the count ${n}`);
    noBareIds(r.body);
  }
  // worst first: the red item leads the whole list, the done one closes it
  const all = (await fx.leader.get(`/pairings/${LJ}/items?year=${YEAR}`)).body;
  const order = [...all.matchAll(/<a href="\/work-items\/(\d+)">/g)].map((m) => Number(m[1]));
  assert.equal(order[0], fx.late);
  assert.equal(order[1], fx.soon);
  assert.equal(order.at(-1), fx.done);
  assert.match(all, /<span class="badge light-red">红灯<\/span>/);
  // the overdue list: the item, its owner unit, the days late
  const late = (await fx.leader.get(`/pairings/${LJ}/items?year=${YEAR}&overdue=1`)).body;
  assert.match(late, /盤錦港口合作逾期事項[\s\S]*盤錦市人民政府[\s\S]*逾期5天/);
  assert.match(late, /<h1>遼寧省–江蘇省 <span class="dash-year">\d+<\/span> 逾期事项<\/h1>/);
});

test('the items list refuses what it cannot show, and whoever may not see it', async () => {
  for (const q of ['light=blue', 'unit=abc', 'area=-1', 'overdue=yes', 'city=1.5'])
    assert.equal((await fx.leader.get(`/pairings/${LJ}/items?${q}`)).status, 400, q);
  assert.equal((await fx.leader.get(`/pairings/${LJ}/items?year=abc`)).status, 422);
  assert.equal((await fx.leader.get(`/pairings/${LJ}/items?unit=999999`)).status, 404);
  const dl = await as(server, 'dl_coord');
  const r = await dl.get(`/pairings/${LJ}/items?overdue=1`);
  assert.equal(r.status, 404);
  assert.doesNotMatch(r.body, /盤錦港口合作逾期事項/);
  assert.equal((await new Client(server.base).get(`/pairings/${LJ}/items`)).status, 303);
});

// One truth everywhere: a report replaced by a newer one of its period before review reads
// "superseded" in the latest reports, as on the task page, not "pending".
test('a replaced report is shown as replaced, not pending', async () => {
  const ly = await as(server, 'ly_member');
  const r = await ly.post(`/api/v1/work-items/${fx.fine}/reports`,
    { period: today().slice(0, 7), status: 'on_track', percent: 45, narrative: '更正：進展45%' });
  assert.equal(r.status, 201, r.body);
  const recent = section((await fx.leader.get(PAGE)).body, 'dash-recent');
  const rows = recent.split('<tr>').slice(2);
  assert.match(rows[0], /45%[\s\S]*review-pending/);
  const old = rows.find((row) => /40%/.test(row));
  assert.ok(old, 'the replaced report is listed');
  assert.match(old, /class="review review-superseded">已被新报告取代</);
});
