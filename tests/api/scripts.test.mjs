// Mixed scripts (#15 finding 8): the plan and task pages show data in the interface's script
// (OpenCC: the seed's Traditional plan in Simplified on zh-Hans, its Simplified words in
// Traditional on zh-Hant), the wording as stored one click away (?script=original), English
// as stored; and search reads a query without spaces as its two-character words.
// (That form values stay as stored: tests/unit/test_html.c, test_script.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, LJ } from './harness.mjs';
import { thisYear } from './clock.mjs';

let server;
const fx = {};
const YEAR = thisYear();
const get = (path) => fetch(server.base + path).then(async (r) => ({ status: r.status, body: await r.text() }));
const h1 = (body) => /<h1>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? '';
const item = (body) => {
  const i = body.indexOf('<section class="search-kind" id="item">');
  return i < 0 ? '' : body.slice(i, body.indexOf('</section>', i));
};

before(async () => {
  server = await startServer();
  fx.ln = await as(server, 'ln_coord');
  const plan = (await fx.ln.get('/api/v1/plans/1')).json;
  const tasks = plan.areas.flatMap((a) => a.tasks);
  fx.t1 = tasks.find((t) => t.number === 1);
  let r = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(r.status), r.body);
  r = await fx.ln.post(`/api/v1/work-plans/${r.json.id}/items`, { title: '经贸合作平台建设', owner_unit_id: server.units.panjin, due: `${YEAR}-12-20`, task_id: fx.t1.id });
  assert.equal(r.status, 201, r.body);
  fx.item = r.json.id;
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('the task page reads in the interface\'s script, the original one click away', async () => {
  assert.match(fx.t1.title, /體制/, 'the seed is stored in Traditional');
  let r = await fx.ln.get(`/tasks/${fx.t1.id}`);
  assert.equal(r.status, 200);
  assert.match(h1(r.body), /深化行政管理体制改革/);
  assert.doesNotMatch(r.body, /體制|遼寧/);
  assert.match(r.body, /<title>任务 1 深化行政管理体制改革/);
  const link = new RegExp(`<a href="/tasks/${fx.t1.id}\\?script=original">显示原文（按录入的文字）</a>`);
  assert.match(r.body, link);

  r = await fx.ln.get(`/tasks/${fx.t1.id}?script=original`);
  assert.equal(r.status, 200);
  assert.match(h1(r.body), /深化行政管理體制改革/);
  assert.match(r.body, new RegExp(`<a href="/tasks/${fx.t1.id}">转为简体显示</a>`));
  assert.equal((await fx.ln.get(`/tasks/${fx.t1.id}?script=simplified`)).status, 400);

  // Traditional: the item written in Simplified reads in Traditional, the task as stored.
  const hant = await as(server, 'ln_coord');
  r = await hant.get(`/tasks/${fx.t1.id}?lang=zh-Hant`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<html lang="zh-Hant">/);
  assert.match(r.body, /經貿合作平臺建設/);
  assert.doesNotMatch(r.body, /经贸合作平台建设/);
  assert.match(h1(r.body), /深化行政管理體制改革/);
  assert.match(r.body, new RegExp(`<a href="/tasks/${fx.t1.id}\\?script=original">顯示原文（按錄入的文字）</a>`));
  const hant2 = await as(server, 'ln_coord');
  r = await hant2.get(`/tasks/${fx.t1.id}?lang=zh-Hant&script=original`);
  assert.match(r.body, /经贸合作平台建设/);

  // English: as stored, no switch.
  const en = await as(server, 'ln_coord');
  r = await en.get(`/tasks/${fx.t1.id}?lang=en`);
  assert.match(h1(r.body), /深化行政管理體制改革/);
  assert.doesNotMatch(r.body, /script=original/);
});

test('the public plan page reads in the interface\'s script', async () => {
  let r = await get('/plans/1');
  assert.equal(r.status, 200);
  assert.equal(h1(r.body), '辽宁省与江苏省对口合作实施方案');
  assert.match(r.body, /不少于50家企业/);
  assert.match(r.body, /<a href="\/plans\/1\?script=original">/);
  r = await get('/plans/1?script=original');
  assert.equal(h1(r.body), '遼寧省與江蘇省對口合作實施方案');
  assert.match(r.body, /不少于50家企業/);
  r = await get('/plans/1?lang=zh-Hant');
  assert.equal(h1(r.body), '遼寧省與江蘇省對口合作實施方案');
  assert.match(r.body, /不少於50家企業/);
  assert.equal((await get('/plans/1?script=')).status, 400);
});

test('a query without spaces finds a text holding each of its two-character words', async () => {
  for (const q of ['经贸平台', '经贸 平台', '經貿平臺', '合作平台建设']) {
    const r = await fx.ln.get(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    assert.match(item(r.body), /经贸合作平台建设/, q);
  }
  // Every word must be there: 贸易 is not.
  const r = await fx.ln.get(`/search?q=${encodeURIComponent('贸易平台')}`);
  assert.doesNotMatch(item(r.body), /经贸合作平台建设/);
});
