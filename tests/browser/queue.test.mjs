// The review queue at scale (issue 15, finding 5), measured in a real browser: 50 pending
// reports from three units of 遼寧's side. A coordinator clears the 40 of one unit in at most
// 3 actions (the unit's count, 全选本页, 通过选中的报告); the counts per unit are the API's;
// every checkbox, summary and button names its report (unit · period · item), each name once;
// the page of 50 stays short at 1366×900; a report that arrives after the page was loaded is
// never accepted with the others (only what was on the screen is).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openSite, seedWork, sendReport, visit, checkPage, checkKeyboard, sweep, screenshot, as, PASSWORD, today,
} from './browser.mjs';

const WIDE = { width: 1366, height: 900 };
// A compact entry is three short lines (the item with its box, the facts, the summary) and
// its border: about 100 px at 1366 px wide; 120 px leaves room for a title that wraps once.
// Above the list: the navigation, the title, the introduction, the counts of three units and
// the filter form, the bulk buttons: about 750 px; 900 px is one screen. Before the change an
// entry took about 600 px, so 50 made 30,000 px.
const PER_ENTRY = 120, HEADER = 900;

let site;
const fx = {};

before(async () => {
  site = await openSite();
  const s = site.server;
  Object.assign(fx, await seedWork(s));
  // a third unit of the side, with its clerk
  const out = s.cli(['unit', 'add', '--pairing', '1', '--side', '0', '--name', '鞍山市人民政府',
    '--kind', 'city', '--tier', 'execution']);
  fx.anshan = Number(/unit (\d+):/.exec(out)[1]);
  s.cli(['user', 'add', '--login', 'as_member', '--unit', String(fx.anshan), '--role', 'member',
    '--password-stdin'], PASSWORD + '\n');
  const add = async (unit, title, extra = {}) => {
    const r = await fx.coord.post(`/api/v1/work-plans/${fx.workPlan}/items`, {
      owner_unit_id: unit, title, due: today(30), ...extra,
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  // 40 of 盤錦 (the two of seedWork and 38 more), 6 of 遼陽 and 4 of 鞍山: 50 in all
  const items = [[fx.item, 'pj_member'], [fx.late, 'pj_member']];
  for (let i = 0; i < 38; i++) items.push([await add(s.units.panjin, `盤錦例行事項 ${i + 1}`, i % 2 ? { task_id: 7 } : {}), 'pj_member']);
  for (let i = 0; i < 6; i++) items.push([await add(s.units.liaoyang, `遼陽例行事項 ${i + 1}`), 'ly_member']);
  for (let i = 0; i < 4; i++) items.push([await add(fx.anshan, `鞍山例行事項 ${i + 1}`), 'as_member']);
  const clerks = {};
  for (const [item, login] of items) {
    clerks[login] ??= await as(s, login);
    const r = await clerks[login].post(`/api/v1/work-items/${item}/reports`, {
      period: today().slice(0, 7), status: 'on_track', percent: 40,
      narrative: '本月按计划推进，已完成既定工作。\n'.repeat(6),
    });
    assert.equal(r.status, 201, r.body);
  }
  fx.items = items;
  fx.ln = await site.as('ln_coord', { viewport: WIDE });
});

after(async () => { await site?.close(); });

const pendingApi = async (query = '') => {
  const r = await fx.coord.get(`/api/v1/reviews/pending?limit=200${query}`);
  assert.equal(r.status, 200, r.body);
  return r.json;
};

test('50 pending reports: the page stays short, counts per unit, every control named once', async () => {
  const { page } = fx.ln;
  await visit(page, '/reviews');
  assert.equal(await page.locator('article.review-entry').count(), 50);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height <= 50 * PER_ENTRY + HEADER, `the queue of 50 is ${height} px high`);
  console.log(`# the queue of 50 at 1366×900: ${height} px`);
  await screenshot(page, 'reviews-50');

  // The counts per unit are the API's, and each is a link to that unit's queue.
  const api = await pendingApi();
  assert.equal(api.pending_total, 50);
  const byName = Object.fromEntries(api.pending_by_unit.map((u) => [u.unit_name, u.pending]));
  assert.deepEqual(byName, { 盤錦市人民政府: 40, 遼陽市人民政府: 6, 鞍山市人民政府: 4 });
  const shown = await page.locator('.queue-counts tbody tr').evaluateAll((rows) =>
    rows.map((tr) => [tr.querySelector('th').textContent.trim(), Number(tr.querySelector('td').textContent)]));
  assert.deepEqual(Object.fromEntries(shown.filter(([n]) => n !== '合计')), byName);
  assert.deepEqual(shown.find(([n]) => n === '合计'), ['合计', 50]);

  // Every checkbox is named for its report: 选中：unit · period · item, no two alike, and
  // nothing else (a label, aria-labelledby) overrides that name.
  const boxes = await page.locator('input[type="checkbox"][name="report"]').evaluateAll((els) =>
    els.map((e) => ({ name: e.getAttribute('aria-label'), by: e.getAttribute('aria-labelledby'), id: e.value })));
  assert.equal(boxes.length, 50);
  assert.equal(new Set(boxes.map((b) => b.name)).size, 50, 'every checkbox has its own name');
  const titles = new Map(api.pending.map((e) => [String(e.report.id), e.report]));
  for (const b of boxes) {
    assert.equal(b.by, null);
    const rep = titles.get(b.id);
    assert.match(b.name, /^选中：.+ · \d{4}年\d{1,2}月 · .+$/);
    assert.ok(b.name.includes(rep.unit.name) && b.name.endsWith(rep.item_title), `${b.name} names report ${b.id}`);
  }
  // The summary and the buttons of each entry say which report too.
  for (const sel of ['details > summary', 'button[value="accepted"]', 'button[value="returned"]']) {
    const names = await page.locator(`article.review-entry ${sel}`).evaluateAll((els) =>
      els.map((e) => e.getAttribute('aria-label') ?? e.textContent));
    assert.equal(new Set(names).size, 50, `${sel}: one name per report`);
  }
  // The bulk buttons above and below the list.
  assert.equal(await page.locator('button[form="bulk"]').count(), 2);
  await checkPage(page, { lang: 'zh-Hans' });
});

test('a coordinator clears the 40 reports of one unit in 3 actions', async () => {
  const { page } = fx.ln;
  await visit(page, '/reviews');
  let actions = 0;
  const act = async (what) => {
    actions++;
    await Promise.all([page.waitForNavigation(), what()]);
  };
  // 1: the unit's count is a link to its queue
  await act(() => page.locator('.queue-counts a', { hasText: '盤錦市人民政府' }).click());
  assert.equal(new URL(page.url()).searchParams.get('unit'), String(site.server.units.panjin));
  assert.equal(await page.locator('article.review-entry').count(), 40);
  // 2: select the whole page (a reload with every box ticked: no script on this page)
  await act(() => page.locator('.bulk-actions a', { hasText: '全选本页' }).first().click());
  assert.equal(await page.locator('input[name="report"]:checked').count(), 40);
  // Meanwhile one more report of 盤錦 arrives: it was never on this screen.
  const late = (await fx.coord.post(`/api/v1/work-plans/${fx.workPlan}/items`, {
    owner_unit_id: site.server.units.panjin, title: '盤錦新到事項', due: today(30),
  })).json.id;
  const newcomer = await sendReport(site.server, 'pj_member', late);
  // 3: accept what is ticked (the button below the list this time)
  await act(() => page.locator('button[form="bulk"]').last().click());
  assert.ok(actions <= 3, `${actions} actions`);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('done'), 'selected');
  assert.equal(url.searchParams.get('unit'), String(site.server.units.panjin), 'back to the same filter');
  assert.equal(await page.locator('.notice').textContent(), '选中的报告已通过。');

  const api = await pendingApi();
  assert.equal(api.pending_total, 11, 'the 40 are accepted; 遼陽, 鞍山 and the newcomer wait');
  assert.deepEqual(api.pending.filter((e) => e.report.unit.id === site.server.units.panjin).map((e) => e.report.id), [newcomer]);
  const panjin = await pendingApi(`&unit=${site.server.units.panjin}`);
  assert.deepEqual(panjin.pending.map((e) => e.report.id), [newcomer]);
  await checkPage(page, { lang: 'zh-Hans' });
});

test('filters by unit, task and period work without script; the details open on demand', async () => {
  const { page } = fx.ln;
  await visit(page, '/reviews');
  await page.selectOption('#f-unit', String(site.server.units.liaoyang));
  await page.selectOption('#f-period', today().slice(0, 7));
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
  assert.equal(await page.locator('article.review-entry').count(), 6);
  await checkKeyboard(page, { max: 120 });
  const entry = page.locator('article.review-entry').first();
  assert.equal(await entry.locator('textarea[name="comment"]').isVisible(), false, 'details closed');
  await entry.locator('summary').click();
  assert.equal(await entry.locator('textarea[name="comment"]').isVisible(), true);
  await checkPage(page, { lang: 'zh-Hans' });
  // Returning without a comment: the entry comes back open with its message.
  await Promise.all([page.waitForNavigation(), entry.locator('button[value="returned"]').click()]);
  const open = page.locator('article.review-entry details[open]');
  assert.equal(await open.count(), 1);
  assert.equal(await open.locator('textarea[name="comment"]').isVisible(), true);
  await checkPage(page, { lang: 'zh-Hans' });
  await visit(page, '/reviews?unit=abc', { status: 400 });
  await visit(page, '/reviews?period=2026-13', { status: 400 });
  await sweep(page, `/reviews?unit=${site.server.units.liaoyang}&select=all`);
});
