// "My work" says what to report now and by when (issue 15, finding 7), in a real browser: a
// clerk of 盤錦 with one returned report, one report missing this period and one accepted
// sees them in that order, each row's state in words (a returned report never shows a green
// light), 填报进展 only where a report is wanted; a second report on the accepted period is
// refused until it is confirmed as a correction; and from sign-in to a submitted report it
// takes at most 2 page loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, seedWork, sendReport, visit, submit, checkPage, sweep, screenshot, as, today } from './browser.mjs';

let site;
const fx = {};

before(async () => {
  site = await openSite();
  Object.assign(fx, await seedWork(site.server));
  const add = async (title, due) => {
    const r = await fx.coord.post(`/api/v1/work-plans/${fx.workPlan}/items`, {
      owner_unit_id: site.server.units.panjin, title, due,
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  // Due in the opposite order to the one /my must show, so soonest-due alone would fail.
  fx.returned = await add('退回待重报事项', today(90));
  fx.missing = await add('本期未报事项', today(60));
  fx.accepted = await add('本期已通过事项', today(30));
  const ln = await as(site.server, 'ln_coord');
  const rid = await sendReport(site.server, 'pj_member', fx.returned, { narrative: '初稿。' });
  assert.equal((await ln.post(`/api/v1/reports/${rid}/review`, { decision: 'returned', comment: '请补充数字。' })).status, 201);
  const aid = await sendReport(site.server, 'pj_member', fx.accepted, { narrative: '已完成本月工作。' });
  assert.equal((await ln.post(`/api/v1/reports/${aid}/review`, { decision: 'accepted' })).status, 201);
  // seedWork's two items are not this test's: one reported and accepted, like the third
  for (const id of [fx.item, fx.late]) {
    const r = await sendReport(site.server, 'pj_member', id);
    assert.equal((await ln.post(`/api/v1/reports/${r}/review`, { decision: 'accepted' })).status, 201);
  }
  fx.ln = ln;
});

after(async () => { await site?.close(); });

const rowOf = (page, id) => page.locator('table.work tbody tr', { has: page.locator(`a[href="/items/${id}/report"]`) });

test('returned first, then this period\'s missing report with its due day, then the rest', async () => {
  const { page, context } = await site.as('pj_member');
  await visit(page, '/my');
  const order = await page.locator('table.work tbody tr td:nth-child(2) > a').evaluateAll((as) =>
    as.map((a) => Number(/\/items\/(\d+)\//.exec(a.getAttribute('href'))[1])));
  const mine = order.filter((id) => [fx.returned, fx.missing, fx.accepted].includes(id));
  assert.deepEqual(mine, [fx.returned, fx.missing, fx.accepted]);
  // The first two under 需要处理, the accepted one under 其他事项.
  const headings = await page.locator('main h2').allTextContents();
  assert.deepEqual(headings.slice(0, 2), ['需要处理', '其他事项']);
  const returned = rowOf(page, fx.returned), missing = rowOf(page, fx.missing), accepted = rowOf(page, fx.accepted);
  // Each row says where this period stands, in words.
  assert.equal(await returned.locator('.light-green').count(), 0, 'a returned report shows no green light');
  assert.match(await returned.locator('td').first().textContent(), /已退回/);
  assert.match(await returned.textContent(), /请补充数字。/);
  assert.match(await missing.locator('td').nth(3).textContent(), /应报[\s\S]*截止 \d{4}年\d{1,2}月\d{1,2}日/);
  assert.match(await accepted.locator('td').nth(3).textContent(), /已通过/);
  // 填报进展 only where a report is wanted.
  const action = async (row) => (await row.locator('td').last().locator('a').textContent()).split(' · ')[0];
  assert.equal(await action(returned), '按意见重新填报');
  assert.equal(await action(missing), '填报进展');
  assert.equal(await action(accepted), '查看或更正');
  await checkPage(page, { lang: 'zh-Hans' });
  await screenshot(page, 'my-needs-action');
  await sweep(page, '/my');
  await context.close();
});

test('a report on an accepted period is a correction only when confirmed', async () => {
  const { page, context } = await site.as('pj_member');
  const before = (await fx.ln.get(`/api/v1/work-items/${fx.accepted}`)).json.reports.length;
  await visit(page, '/my');
  await Promise.all([page.waitForURL(`**/items/${fx.accepted}/report`),
    rowOf(page, fx.accepted).locator('td').last().locator('a').click()]);
  assert.equal(await page.isChecked('#correction'), false);
  await page.fill('#percent', '60');
  await page.fill('#narrative', '补充更正：签约金额有误。');
  let res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 409);
  assert.match(await page.locator('#correction-error').textContent(), /该期报告已审核通过。如确需更正，请勾选/);
  assert.match(await page.title(), /^错误：/);
  assert.equal(await page.inputValue('#narrative'), '补充更正：签约金额有误。', 'what was typed is kept');
  assert.equal((await fx.ln.get(`/api/v1/work-items/${fx.accepted}`)).json.reports.length, before, 'nothing stored');
  await checkPage(page, { lang: 'zh-Hans' });
  await page.check('#correction');
  res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).search, '?done=report');
  assert.equal((await fx.ln.get(`/api/v1/work-items/${fx.accepted}`)).json.reports.length, before + 1);
  await context.close();
});

test('from sign-in to a submitted report: at most 2 page loads', async () => {
  const { page, context } = await site.anonymous();
  await visit(page, '/login');
  await page.fill('#login', 'pj_member');
  await page.fill('#password', (await import('./browser.mjs')).PASSWORD);
  await Promise.all([page.waitForURL('**/my'), page.click('main form button[type="submit"]')]);
  let loads = 0;
  page.on('load', () => { loads++; });
  // The missing report leads the list of what needs action: its 填报进展.
  await Promise.all([page.waitForURL(`**/items/${fx.missing}/report`),
    rowOf(page, fx.missing).locator('td').last().locator('a').click()]);
  await page.fill('#percent', '30');
  await page.fill('#narrative', '本月已启动。');
  const res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).search, '?done=report');
  assert.ok(loads <= 2, `${loads} page loads after sign-in`);
  assert.equal((await fx.ln.get(`/api/v1/work-items/${fx.missing}`)).json.reports.length, 1);
  await context.close();
});
