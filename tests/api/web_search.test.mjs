// Search (web/search.c over service/search.c and the FTS5 index of store/search.c): either
// script finds the other (遼寧 ↔ 辽宁, 大連 → 大连), results stay inside the user's pairing,
// a report is found by its narrative with the words marked, and the query is escaped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, LJ, SD } from './harness.mjs';
import { thisYear } from './clock.mjs';

let server;
const c = {};
const fx = {};
const YEAR = thisYear();

// The section of one kind on the results page.
function section(body, kind) {
  const i = body.indexOf(`<section class="search-kind" id="${kind}">`);
  if (i < 0) return '';
  return body.slice(i, body.indexOf('</section>', i));
}
const q = (s) => `/search?q=${encodeURIComponent(s)}`;

before(async () => {
  server = await startServer();
  for (const login of ['admin', 'ln_coord', 'dl_coord', 'pj_member', 'wx_member', 'ln_leader'])
    c[login] = await as(server, login);
  let r = await c.ln_coord.post('/api/v1/units', { pairing_id: LJ, side: 0, name: '辽宁省检索试验中心', kind: 'institute', tier: 'execution' });
  assert.equal(r.status, 201, r.body);
  fx.unit = r.json.id;
  // A work plan of each pairing, with an item in Simplified on the Shanghai–Dalian side.
  r = await c.dl_coord.post('/api/v1/work-plans', { pairing_id: SD, year: YEAR });
  assert.ok([200, 201].includes(r.status), r.body);
  r = await c.dl_coord.post(`/api/v1/work-plans/${r.json.id}/items`, { title: '大连港冷链物流示范项目', owner_unit_id: server.units.dl_office, due: `${YEAR}-12-20` });
  assert.equal(r.status, 201, r.body);
  fx.dlItem = r.json.id;
  r = await c.ln_coord.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  const plan = await c.admin.get('/api/v1/plans/1');
  fx.task7 = plan.json.areas.flatMap((a) => a.tasks).find((t) => t.number === 7).id;
  r = await c.ln_coord.post(`/api/v1/work-plans/${r.json.id}/items`, { title: '盤錦物聯網產業園招商', owner_unit_id: server.units.panjin, due: `${YEAR}-12-20`, task_id: fx.task7 });
  assert.equal(r.status, 201, r.body);
  fx.pjItem = r.json.id;
  r = await c.pj_member.post(`/api/v1/work-items/${fx.pjItem}/reports`, {
    period: `${YEAR}-11`, status: 'on_track', percent: 30,
    narrative: '本月与无锡方面召开对接会，盘锦物联网产业园新签约企业三家，后续推进落地。',
  });
  assert.equal(r.status, 201, r.body);
  fx.report = r.json.id;
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('遼寧 finds a unit written 辽宁, and 辽宁 finds tasks written 遼寧', async () => {
  let r = await c.ln_coord.get(q('遼寧省檢索'));
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/);
  assert.match(section(r.body, 'unit'), new RegExp(`<a href="/units/${fx.unit}">辽宁省检索试验中心</a>`));
  // The seed plan is in Traditional script.
  r = await c.ln_coord.get(q('辽宁'));
  const tasks = section(r.body, 'task');
  const ids = [...tasks.matchAll(/href="\/tasks\/(\d+)"/g)].map((m) => Number(m[1]));
  assert.ok(ids.length >= 3, tasks.slice(0, 300));
  const t = (await c.admin.get(`/api/v1/tasks/${ids[0]}`)).json;
  assert.match(JSON.stringify(t), /遼寧/);
  // A Simplified title word finds the Traditional title.
  r = await c.ln_coord.get(q('物联网 新兴产业'));
  assert.match(section(r.body, 'task'), new RegExp(`href="/tasks/${fx.task7}">任务 7 大力發展物聯網`));
});

test('Latin words match by prefix, case aside; several words must all occur', async () => {
  const r0 = await c.ln_coord.post('/api/v1/units', { pairing_id: LJ, side: 0, name: 'Panjin IoT 創新中心', kind: 'park', tier: 'execution' });
  assert.equal(r0.status, 201, r0.body);
  for (const s of ['iot', 'PAN', 'pan 创新', 'Ｐａｎｊｉｎ'])
    assert.match(section((await c.ln_coord.get(q(s))).body, 'unit'), /Panjin IoT 創新中心/, s);
  assert.doesNotMatch((await c.ln_coord.get(q('pan 冷链'))).body, /Panjin IoT/);
  assert.doesNotMatch((await c.ln_coord.get(q('anjin'))).body, /Panjin IoT/, 'a prefix, not any part of a word');
});

test('大連 finds 大连; the hits stay inside the pairing', async () => {
  let r = await c.dl_coord.get(q('大連港冷鏈'));
  assert.equal(r.status, 200);
  const items = section(r.body, 'item');
  assert.match(items, /大连港冷链物流示范项目/);
  assert.match(items, new RegExp(`href="/items/${fx.dlItem}/report"`), 'its own unit: the report form');
  // Liaoning–Jiangsu people do not see Shanghai–Dalian's item, nor Dalian its units.
  for (const who of ['ln_coord', 'pj_member', 'ln_leader']) {
    r = await c[who].get(q('冷鏈物流'));
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.body, /大连港冷链物流示范项目/, who);
  }
  r = await c.dl_coord.get(q('检索试验'));
  assert.doesNotMatch(r.body, /辽宁省检索试验中心/);
  assert.match(r.body, /没有找到相符的内容/);
  // An admin finds everything.
  r = await c.admin.get(q('冷鏈物流'));
  assert.match(section(r.body, 'item'), /大连港冷链物流示范项目/);
});

test('a report is found by its narrative in the other script, the words marked', async () => {
  let r = await c.pj_member.get(q('盤錦物聯網'));
  const reports = section(r.body, 'report');
  assert.match(reports, new RegExp(`href="/items/${fx.pjItem}/report"`));
  assert.match(reports, /<mark>盘锦物联网<\/mark>产业园新签约企业三家/);
  // Another unit of the pairing sees it too, linked to the task instead of the form.
  r = await c.wx_member.get(q('新签约企业'));
  assert.match(section(r.body, 'report'), new RegExp(`href="/tasks/${fx.task7}"`));
  assert.doesNotMatch(section(r.body, 'report'), /\/report"/);
});

test('an item removed from the work plan leaves the results, its reports with it', async () => {
  const wp = (await c.ln_coord.get(`/api/v1/work-items/${fx.pjItem}`)).json.work_plan_id;
  let r = await c.ln_coord.post(`/api/v1/work-plans/${wp}/items`, { title: '盤錦撤項測試事項', owner_unit_id: server.units.panjin, due: `${YEAR}-12-20` });
  assert.equal(r.status, 201, r.body);
  const item = r.json.id;
  r = await c.pj_member.post(`/api/v1/work-items/${item}/reports`, {
    period: `${YEAR}-11`, status: 'on_track', percent: 10, narrative: '撤项测试的进展说明。',
  });
  assert.equal(r.status, 201, r.body);
  r = await c.pj_member.get(q('撤項測試'));
  assert.match(section(r.body, 'item'), /盤錦撤項測試事項/);
  assert.match(section(r.body, 'report'), /<mark>撤项测试<\/mark>/);
  r = await c.ln_coord.get(`/api/v1/work-items/${item}`);
  assert.equal((await c.ln_coord.del(`/api/v1/work-items/${item}`, { headers: { 'if-match': r.headers.get('etag') } })).status, 204);
  r = await c.pj_member.get(q('撤項測試'));
  assert.equal(r.status, 200);
  assert.equal(section(r.body, 'item'), '');
  assert.equal(section(r.body, 'report'), '');
});

test('more than a page: a "more" link pages through one kind', async () => {
  for (let i = 1; i <= 23; i++) {
    const r = await c.ln_coord.post('/api/v1/units', { pairing_id: LJ, side: 0, name: `遼寧分頁測試單位${i}`, kind: 'department', tier: 'execution' });
    assert.equal(r.status, 201, r.body);
  }
  const r = await c.ln_coord.get(q('分页测试'));
  const more = /<a href="(\/search\?q=[^"]*kind=unit[^"]*)">更多结果<\/a>/.exec(r.body);
  assert.ok(more, 'a more link');
  const first = [...section(r.body, 'unit').matchAll(/遼寧分頁測試單位(\d+)/g)].map((m) => m[1]);
  assert.equal(first.length, 20);
  const next = await c.ln_coord.get(more[1].replaceAll('&amp;', '&'));
  assert.equal(next.status, 200);
  const second = [...section(next.body, 'unit').matchAll(/遼寧分頁測試單位(\d+)/g)].map((m) => m[1]);
  assert.equal(second.length, 3);
  assert.ok(second.every((id) => !first.includes(id)), 'no repeats');
  assert.equal(section(next.body, 'task'), '', 'only the kind asked for');
  assert.match(next.body, /返回全部结果/);
});

test('the query is escaped; empty and over-long queries are refused by the box', async () => {
  let r = await c.pj_member.get(q('<script>alert("x")</script>&'));
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /<script>alert/);
  assert.match(r.body, /value="&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;"/);
  r = await c.pj_member.get('/search?q=%20%20');
  assert.equal(r.status, 422);
  assert.match(r.body, /id="q-error">请输入要查找的文字/);
  assert.match(r.body, /aria-describedby="q-error"/);
  r = await c.pj_member.get(q('，。！'));
  assert.equal(r.status, 422);
  r = await c.pj_member.get(q('长'.repeat(101)));
  assert.equal(r.status, 422);
  assert.match(r.body, /id="q-error">内容过长。</);
  r = await c.pj_member.get('/search');
  assert.equal(r.status, 200);
  assert.match(r.body, /<input id="q" name="q" type="search"/);
  // Words that are FTS5 syntax are only words.
  r = await c.pj_member.get(q('NEAR( "a" OR * AND'));
  assert.equal(r.status, 200);
});
