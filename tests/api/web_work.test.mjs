// Reporting progress and reviewing it through the HTML pages (web/report.c), as a browser
// without JavaScript does it: form-encoded POSTs with Origin, 303 redirects followed by hand,
// cookies kept in a jar. The item is set up through the JSON API; the loop runs on the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, PASSWORD, LJ } from './harness.mjs';
import { localDay as cst, DAY, today, thisYear, zhDate } from './clock.mjs';
import { WebClient } from './web_client.mjs';

let server;
const fx = {};

// "Today" as the lights see it: the date in China Standard Time.
const YEAR = thisYear();


const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');

before(async () => {
  server = await startServer();
  const ln = await as(server, 'ln_coord');
  const wp = await ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const add = async (fields) => {
    const r = await ln.post(`/api/v1/work-plans/${wp.json.id}/items`, {
      owner_unit_id: server.units.panjin, indicator: '簽約項目數', target_value: '3 個', ...fields,
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.due = today(60);
  fx.item = await add({ title: '盤錦—無錫物聯網產業對接', due: fx.due });
  fx.late = await add({ title: '盤錦港口合作逾期事項', due: today(-3) });
  fx.pj = await WebClient.signIn(server.base, 'pj_member');
  fx.ln = await WebClient.signIn(server.base, 'ln_coord');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

// The table row of an item on /my.
const row = (body, id) => {
  const i = body.indexOf(`<a href="/items/${id}/report">`);
  assert.ok(i > 0, `item ${id} on /my`);
  return body.slice(body.lastIndexOf('<tr', i), body.indexOf('</tr>', i));
};

const report = (fields = {}) => ({
  period: today().slice(0, 7), status: 'on_track', percent: '40', narrative: '已組織兩次對接洽談。',
  fig_name1: '簽約金額', fig_value1: '120000000', fig_unit1: '元', ...fields,
});

test('the whole loop: my work, report, review, return, report again, accept selected', async () => {
  const { pj, ln } = fx;
  let r = await pj.get('/my');
  assert.equal(r.status, 200);
  assert.match(row(r.body, fx.item), /class="badge light-green">绿灯</);
  assert.match(row(r.body, fx.item), new RegExp(zhDate(fx.due)));
  assert.match(row(r.body, fx.item), /尚未报告/);
  assert.match(row(r.body, fx.late), /<tr class="overdue">/);
  assert.match(row(r.body, fx.late), /红灯/);
  assert.match(row(r.body, fx.late), /已逾期/);
  assert.ok(r.body.indexOf(`/items/${fx.late}/report`) < r.body.indexOf(`/items/${fx.item}/report`), 'overdue first');

  r = await pj.get(`/items/${fx.item}/report`);
  assert.equal(r.status, 200);
  assert.match(r.body, /盤錦—無錫物聯網產業對接/);
  assert.match(r.body, /簽約項目數/);
  assert.match(r.body, /<select id="period" name="period">/);
  assert.match(r.body, new RegExp(`value="${YEAR}-Q\\d"`));
  assert.equal((r.body.match(/type="radio" name="status"/g) ?? []).length, 5);
  assert.match(r.body, /name="percent" type="number" min="0" max="100"/);
  assert.match(r.body, /maxlength="20000"/);
  assert.equal((r.body.match(/name="fig_name\d"/g) ?? []).length, 5);

  // A bad percent: the form again, the message next to the field, the inputs kept.
  r = await pj.post(`/items/${fx.item}/report`, report({ percent: '150', narrative: '第一行\n<b>保留</b>' }));
  assert.equal(r.status, 422);
  assert.match(r.body, /id="percent-error">数值超出允许范围。</);
  assert.match(r.body, /value="150"/);
  assert.match(r.body, /第一行\n&lt;b&gt;保留&lt;\/b&gt;<\/textarea>/);
  assert.match(r.body, /value="簽約金額"/);
  assert.match(r.body, /value="on_track" checked/);
  assert.match(r.body, /name="percent"[^>]* aria-invalid="true" aria-describedby="percent-error"/);

  // Several mistakes at once are all named, each by its field.
  r = await pj.post(`/items/${fx.item}/report`, report({ percent: '150', narrative: '  ', fig_name1: '簽約項目', fig_value1: 'abc' }));
  assert.equal(r.status, 422);
  assert.match(r.body, /id="percent-error">/);
  assert.match(r.body, /id="narrative-error">/);
  assert.match(r.body, /id="fig1-error">/);
  assert.match(r.body, /name="fig_value1"[^>]*value="abc" aria-invalid="true" aria-describedby="fig1-error"/);

  r = await pj.post(`/items/${fx.item}/report`, report());
  assert.equal(r.status, 303);
  assert.equal(r.location, '/my?done=report');
  r = await pj.get(r.location);
  assert.match(r.body, /class="notice"/);
  assert.match(row(r.body, fx.item), /待审核/);
  assert.doesNotMatch(row(r.body, fx.item), /尚未报告/);
  assert.match(row(r.body, fx.item), /40%/);

  // The coordinator's queue.
  r = await ln.get('/reviews');
  assert.equal(r.status, 200);
  assert.match(r.body, /盤錦—無錫物聯網產業對接/);
  assert.match(r.body, /<dt>提交人<\/dt><dd>[^<]*pj_member/, 'who sent it (its name; the test accounts have none but the login)');
  assert.match(r.body, /已組織兩次對接洽談。/);
  assert.match(r.body, /这是该事项的第一份报告。/);
  // Money in 万元, as Chinese reports give it; other figures grouped by three.
  assert.match(r.body, /<th scope="row">簽約金額<\/th><td class="num">12,000 万元<\/td>/);
  const id = Number(/name="report" value="(\d+)"/.exec(r.body)[1]);

  r = await ln.post(`/reports/${id}/review`, { decision: 'returned', comment: '' });
  assert.equal(r.status, 422);
  assert.match(r.body, new RegExp(`id="comment-${id}-error">`));
  assert.doesNotMatch(r.body, /\berr_comment_required\b/);

  r = await ln.post(`/reports/${id}/review`, { decision: 'returned', comment: '请补充签约项目名称。' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/reviews?done=returned');
  assert.match((await ln.get(r.location)).body, /报告已退回。/);

  r = await pj.get('/my');
  assert.match(row(r.body, fx.item), /已退回/);
  assert.match(row(r.body, fx.item), /审核意见：请补充签约项目名称。/, 'the comment where the clerk looks first');
  r = await pj.get(`/items/${fx.item}/report`);
  assert.match(r.body, /请补充签约项目名称。/);
  assert.match(r.body, /已組織兩次對接洽談。<\/textarea>/, 'the correction starts from what was sent');

  r = await pj.post(`/items/${fx.item}/report`, report({ percent: '50', narrative: '已签约项目：盤錦物聯網產業園。' }));
  assert.equal(r.status, 303);

  // The queue shows the correction beside the returned report; accept it with "accept selected".
  r = await ln.get('/reviews');
  assert.match(r.body, /已签约项目：盤錦物聯網產業園。/);
  assert.match(r.body, /请补充签约项目名称。/);
  assert.match(r.body, /<dt>审核状态<\/dt><dd><span class="review review-returned">已退回</);
  const ids = [...r.body.matchAll(/name="report" value="(\d+)"/g)].map((m) => m[1]);
  assert.equal(ids.length, 1);
  r = await ln.post('/reviews/accept', ids.map((v) => ['report', v]));
  assert.equal(r.status, 303);
  assert.equal(r.location, '/reviews?done=selected');
  r = await ln.get(r.location);
  assert.match(r.body, /选中的报告已通过。/);
  assert.match(r.body, /暂无待审核的报告。/);

  r = await pj.get('/my');
  assert.match(row(r.body, fx.item), /已通过/);
  assert.match(row(r.body, fx.item), /50%/);
  assert.doesNotMatch(row(r.body, fx.item), /尚未报告/, 'a reported item is not "no report yet"');

  // Reporting again on the accepted period asks for a correction on purpose: refused (409,
  // the message by the box, the input kept) until the box is ticked.
  r = await pj.get(`/items/${fx.item}/report`);
  assert.match(r.body, /<input id="correction" name="correction" type="checkbox" value="1">/);
  r = await pj.post(`/items/${fx.item}/report`, report({ percent: '60', narrative: '初稿。' }));
  assert.equal(r.status, 409);
  assert.match(r.body, /id="correction-error">该期报告已审核通过。/);
  assert.match(r.body, /初稿。<\/textarea>/);
  // Corrected before review: beside the correction, the first is shown as replaced.
  assert.equal((await pj.post(`/items/${fx.item}/report`, report({ percent: '60', narrative: '初稿。', correction: '1' }))).status, 303);
  assert.equal((await pj.post(`/items/${fx.item}/report`, report({ percent: '65', narrative: '更正稿。' }))).status, 303);
  r = await ln.get('/reviews');
  assert.match(r.body, /更正稿。/);
  assert.match(r.body, /<span class="review review-superseded">已被新报告取代</);
  assert.equal([...r.body.matchAll(/name="report" value="(\d+)"/g)].length, 1, 'only the correction waits');

  // Nothing selected: the queue with the error.
  r = await ln.post('/reviews/accept', {});
  assert.equal(r.status, 422);
  assert.match(r.body, /请至少选中一份报告。/);
});

test('/my lists the open items; a finished one moves to "show every item"', async () => {
  const { pj, ln } = fx;
  const done = await as(server, 'ln_coord');
  const wp = (await done.get(`/api/v1/work-items/${fx.late}`)).json.work_plan_id;
  const add = await done.post(`/api/v1/work-plans/${wp}/items`, { title: '盤錦已完成事項', owner_unit_id: server.units.panjin, due: today(-30) });
  assert.equal(add.status, 201, add.body);
  let r = await pj.get('/my');
  assert.match(r.body, /盤錦已完成事項/);
  // Reported done and accepted: off the default list, on the full one.
  r = await pj.post(`/items/${add.json.id}/report`, report({ status: 'done', percent: '100', narrative: '已完成。' }));
  assert.equal(r.status, 303);
  const id = Math.max(...(await done.get(`/api/v1/work-items/${add.json.id}`)).json.reports.map((x) => x.id));
  r = await ln.post('/reviews/accept', [['report', String(id)]]);
  assert.equal(r.status, 303);
  r = await pj.get('/my');
  assert.doesNotMatch(r.body, /盤錦已完成事項/);
  assert.match(r.body, /盤錦港口合作逾期事項/, 'the late one stays');
  assert.match(r.body, /<a href="\/my\?all=1">显示全部事项（含已完成）<\/a>/);
  r = await pj.get('/my?all=1');
  assert.match(row(r.body, add.json.id), /class="badge light-done">/);
  assert.match(r.body, /<a href="\/my">只看未完成事项<\/a>/);
  noBareIds(r.body);
});

test('an item of a plan three years back: the form offers periods the service takes', async () => {
  const coord = await as(server, 'ln_coord');
  const wp = await coord.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR - 3 });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const it = await coord.post(`/api/v1/work-plans/${wp.json.id}/items`, { title: '三年前的事項', owner_unit_id: server.units.panjin, due: `${YEAR - 3}-12-20` });
  assert.equal(it.status, 201, it.body);
  let r = await fx.pj.get(`/items/${it.json.id}/report`);
  assert.match(r.body, new RegExp(`<option value="${YEAR - 2}-12" selected>`));
  assert.doesNotMatch(r.body, new RegExp(`value="${YEAR}-`), 'nothing of this year');
  r = await fx.pj.post(`/items/${it.json.id}/report`, report({ period: `${YEAR - 2}-12` }));
  assert.equal(r.status, 303, r.body.slice(0, 300));
});

test('a member may not open the review queue', async () => {
  const r = await fx.pj.get('/reviews');
  assert.equal(r.status, 403);
  assert.match(r.type, /text\/html/);
  assert.match(r.body, /无权访问/);
  noBareIds(r.body);
});

test("another unit's member gets a 403 page in its language", async () => {
  const ly = await WebClient.signIn(server.base, 'ly_member');
  let r = await ly.post(`/items/${fx.item}/report`, report());
  assert.equal(r.status, 403);
  assert.match(r.type, /text\/html/);
  assert.match(r.body, /无权访问/);
  r = await ly.get(`/items/${fx.item}/report?lang=en`);
  assert.equal(r.status, 403);
  assert.match(r.body, /Not allowed/);
  noBareIds(r.body);
});

test('the pages in three languages show no bare message ids', async () => {
  for (const lang of ['zh-Hans', 'zh-Hant', 'en']) {
    for (const [b, path] of [[fx.pj, '/my'], [fx.pj, `/items/${fx.item}/report`], [fx.pj, `/items/${fx.late}/report`],
      [fx.ln, '/reviews']]) {
      const r = await b.get(`${path}?lang=${lang}`);
      assert.equal(r.status, 200, `${lang} ${path}`);
      assert.match(r.body, new RegExp(`<html lang="${lang}">`));
      noBareIds(r.body);
    }
  }
  const en = await fx.pj.get('/my?lang=en');
  assert.match(en.body, new RegExp(fx.due));
  assert.match(en.body, />Overdue</);
  // An error shown in place, in English too.
  const bad = await fx.pj.post(`/items/${fx.item}/report?lang=en`, report({ percent: '150' }));
  assert.equal(bad.status, 422);
  noBareIds(bad.body);
  await fx.pj.get('/my?lang=zh-Hans');
});

test('the queue: filters by unit, task and period, counts per unit, the correction flag', async () => {
  const ln = await as(server, 'ln_coord');
  const wp = (await ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR })).json;
  const add = async (unit, title, task) => {
    const r = await ln.post(`/api/v1/work-plans/${wp.id}/items`, {
      owner_unit_id: unit, title, due: today(20), ...(task ? { task_id: task } : {}),
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const pj = await as(server, 'pj_member'), ly = await as(server, 'ly_member');
  const send = async (c, item, period = today().slice(0, 7), extra = {}) => {
    const r = await c.post(`/api/v1/work-items/${item}/reports`, {
      period, status: 'on_track', percent: 10, narrative: '筛选用报告。', ...extra,
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const a = await send(pj, await add(server.units.panjin, '筛选甲', 7));
  const b = await send(pj, await add(server.units.panjin, '筛选乙'), `${YEAR}-Q1`);
  const c = await send(ly, await add(server.units.liaoyang, '筛选丙', 7));
  const ids = async (q) => {
    const r = await ln.get(`/api/v1/reviews/pending?limit=200${q}`);
    assert.equal(r.status, 200, r.body);
    return r.json;
  };
  const mine = (list) => list.pending.map((e) => e.report.id).filter((id) => [a, b, c].includes(id));
  let all = await ids('');
  assert.deepEqual(mine(all), [a, b, c]);
  const counts = Object.fromEntries(all.pending_by_unit.map((u) => [u.unit_id, u.pending]));
  assert.equal(all.pending_total, all.pending.length);
  assert.equal(counts[server.units.liaoyang], all.pending.filter((e) => e.report.unit.id === server.units.liaoyang).length);
  assert.deepEqual(mine(await ids(`&unit=${server.units.panjin}`)), [a, b]);
  assert.deepEqual(mine(await ids('&task=7')), [a, c]);
  assert.deepEqual(mine(await ids(`&period=${YEAR}-Q1`)), [b]);
  assert.deepEqual(mine(await ids(`&unit=${server.units.liaoyang}&task=7`)), [c]);
  const filtered = await ids(`&unit=${server.units.liaoyang}`);
  assert.equal(filtered.pending_total, all.pending_total, 'the counts are the whole window');
  for (const bad of ['&unit=x', '&task=0', '&period=2026-13', '&period=Q1'])
    assert.equal((await ln.get(`/api/v1/reviews/pending?${bad.slice(1)}`)).status, 400, bad);

  // The page: the same filters, the counts per unit as links, each report's controls named.
  let r = await fx.ln.get(`/reviews?task=7&unit=${server.units.liaoyang}&lang=zh-Hans`);
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`aria-label="选中：遼陽市人民政府 · ${YEAR}年\\d+月 · 筛选丙"`));
  assert.doesNotMatch(r.body, /筛选甲|筛选乙/);
  assert.match(r.body, new RegExp(`<a href="/reviews\\?unit=${server.units.panjin}">盤錦市人民政府</a>`));
  assert.match(r.body, /<option value="7" selected>/);
  r = await fx.ln.get(`/reviews?task=7&unit=${server.units.liaoyang}&select=all`);
  assert.match(r.body, new RegExp(`name="report" value="${c}" form="bulk" aria-label="[^"]+" checked>`));
  // accepting keeps the filter for the way back
  r = await fx.ln.post('/reviews/accept', [['report', String(c)], ['unit', String(server.units.liaoyang)], ['task', '7']]);
  assert.equal(r.status, 303);
  assert.equal(r.location, `/reviews?unit=${server.units.liaoyang}&task=7&done=selected`);

  // The API keeps taking a report on an accepted period without the flag (as before); false
  // refuses it (409), true takes it.
  const again = { period: today().slice(0, 7), status: 'on_track', percent: 20, narrative: '更正。' };
  const item = (await ln.get(`/api/v1/reports/${c}`)).json.work_item_id;
  r = await ly.post(`/api/v1/work-items/${item}/reports`, { ...again, correction: false });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'err_correction_unconfirmed');
  assert.equal((await ly.post(`/api/v1/work-items/${item}/reports`, { ...again, correction: 'yes' })).status, 422);
  const d = await send(ly, item, again.period, { correction: true });
  assert.equal((await ln.post(`/api/v1/reports/${d}/review`, { decision: 'accepted' })).status, 201);
  await send(ly, item, again.period); // no flag: as before
});

test('/my and /reviews page by 50 with next and first-page links', async () => {
  const ln = await as(server, 'ln_coord');
  const wp = (await ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR })).json;
  for (let i = 0; i < 55; i++) {
    const r = await ln.post(`/api/v1/work-plans/${wp.id}/items`, {
      owner_unit_id: server.units.panjin, title: `翻頁事項 ${i}`, due: today(100 + i),
    });
    assert.equal(r.status, 201, r.body);
  }
  const first = await fx.pj.get('/my');
  assert.equal(first.status, 200);
  const rows = (b) => (b.match(/<tr(?: class="overdue")?><td>/g) ?? []).length;
  assert.equal(rows(first.body), 50);
  const next = /<a href="(\/my\?after=\d+)" rel="next">下一页<\/a>/.exec(first.body)?.[1];
  assert.ok(next, 'a next-page link');
  assert.doesNotMatch(first.body, /回到第一页/);
  const second = await fx.pj.get(next);
  assert.equal(second.status, 200);
  assert.ok(rows(second.body) >= 5);
  assert.match(second.body, /<a href="\/my">回到第一页<\/a>/);
  assert.doesNotMatch(second.body, /rel="next"/);
  // No item twice across the pages.
  const ids = (b) => new Set([...b.matchAll(/<td><a href="\/items\/(\d+)\/report">/g)].map((m) => m[1]));
  const a = ids(first.body), b2 = ids(second.body);
  assert.equal(a.size, 50);
  for (const id of b2) assert.ok(!a.has(id), `item ${id} on both pages`);
  for (const bad of ['/my?after=x', '/my?after=-1', '/reviews?after=1.5']) {
    const r = await (bad.startsWith('/my') ? fx.pj : fx.ln).get(bad);
    assert.equal(r.status, 400, bad);
    assert.match(r.body, /网址中的参数无效|網址中的參數無效|parameter that is not valid/);
  }
});
