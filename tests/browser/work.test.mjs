// Reporting and reviewing in a real browser, as people do it: a clerk of 盤錦 signs in through
// the form, finds the item on "my work", reports; the coordinator of 遼寧 returns the report
// with a comment; the clerk sees the comment, reports again; the coordinator accepts. Then
// the denials (a member at the review queue, at another unit's item, a form without its
// CSRF token) and every page in three languages through axe-core. The work plan and its items
// are set up through the JSON API. Screenshots: my work, the report form (also on a phone),
// the review queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openSite, seedWork, sendReport, visit, submit, signIn, checkPage, checkKeyboard, checkReflow, sweep,
  screenshot, PHONE, DESKTOP,
} from './browser.mjs';

let site;
let fx = {};

before(async () => {
  site = await openSite();
  fx = await seedWork(site.server);
  [fx.pj, fx.ln] = await Promise.all([site.as('pj_member'), site.as('ln_coord')]);
});

after(async () => { await site?.close(); });

// The number of reports of an item, as the API tells it.
async function reportCount(id) {
  const r = await fx.coord.get(`/api/v1/work-items/${id}`);
  assert.equal(r.status, 200, r.body);
  return r.json.reports.length;
}

// The row of an item on /my.
const row = (page, id) => page.locator('table.work tbody tr', { has: page.locator(`a[href="/items/${id}/report"]`) });

test('a member signs in through the form and sees the items of the unit', async () => {
  const { page } = await site.anonymous();
  await visit(page, '/my');
  assert.equal(new URL(page.url()).pathname, '/login', 'sign-in first');
  assert.equal(await signIn(page, 'pj_member'), '/my', 'back to the page asked for');
  await checkPage(page, { lang: 'zh-Hans' });
  assert.match(await row(page, fx.item).textContent(), /盤錦—無錫物聯網產業對接[\s\S]*尚未报告/);
  assert.match(await row(page, fx.late).textContent(), /红灯[\s\S]*已逾期/);
  assert.equal(await row(page, fx.late).getAttribute('class'), 'overdue');
  await checkKeyboard(page);
  await page.context().close();
});

test('report, return with a comment, report again, accept', async () => {
  const { page } = fx.pj;
  await visit(page, '/my');
  await screenshot(page, 'my');
  await Promise.all([page.waitForURL(`**/items/${fx.item}/report`), page.click(`a[href="/items/${fx.item}/report"] >> nth=0`)]);
  assert.equal(await page.locator('h1').textContent(), '盤錦—無錫物聯網產業對接');
  await checkPage(page, { lang: 'zh-Hans' });
  const stops = await checkKeyboard(page);
  assert.ok(stops.includes('textarea#narrative[name=narrative]') && stops.includes('select#period[name=period]'));

  assert.equal(await page.isChecked('input[name="status"][value="on_track"]'), true, 'on track to start with');
  await page.check('input[name="status"][value="at_risk"]');
  await page.fill('#percent', '40');
  await page.fill('#narrative', '已組織兩次對接洽談。');
  await page.fill('input[name="fig_name1"]', '簽約金額');
  await page.fill('input[name="fig_value1"]', '120000000');
  await page.fill('input[name="fig_unit1"]', '元');
  await screenshot(page, 'report-form');
  await screenshot(page, 'report-form-phone', { viewport: PHONE });

  // A figure without its value: the form again, the message by the field, the rest kept.
  await page.fill('input[name="fig_value1"]', '');
  let res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 422);
  assert.equal(await page.inputValue('#narrative'), '已組織兩次對接洽談。');
  assert.equal(await page.inputValue('#percent'), '40');
  assert.equal(await page.inputValue('input[name="fig_name1"]'), '簽約金額');
  assert.equal(await page.isChecked('input[name="status"][value="at_risk"]'), true);
  assert.ok(await page.locator('.report-form [role="alert"]').count() >= 1, 'the form says what is wrong');
  await checkPage(page, { lang: 'zh-Hans' });

  await page.check('input[name="status"][value="on_track"]');
  await page.fill('input[name="fig_value1"]', '120000000');
  res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/my?done=report');
  assert.equal(await page.locator('.notice').textContent(), '报告已提交，等待审核。');
  assert.match(await row(page, fx.item).textContent(), /待审核/);
  assert.match(await row(page, fx.item).textContent(), /40%/);
  await checkPage(page, { lang: 'zh-Hans' });

  // The coordinator returns it with a comment.
  const lp = fx.ln.page;
  await visit(lp, '/reviews');
  const entry = lp.locator('article.review-entry', { hasText: '盤錦—無錫物聯網產業對接' });
  assert.match(await entry.textContent(), /已組織兩次對接洽談。/);
  await checkPage(lp, { lang: 'zh-Hans' });
  await checkKeyboard(lp);
  await screenshot(lp, 'reviews');
  await entry.locator('summary').click(); // the details and the review form, on demand
  await entry.locator('textarea[name="comment"]').fill('请补充签约项目名称。');
  res = await submit(lp, 'article.review-entry button[value="returned"]');
  assert.equal(res.status(), 200);
  assert.equal(await lp.locator('.notice').textContent(), '报告已退回。');
  await checkPage(lp, { lang: 'zh-Hans' });

  // The clerk sees the comment on the form and reports again from what was sent.
  await visit(page, '/my');
  assert.match(await row(page, fx.item).textContent(), /已退回/);
  await visit(page, `/items/${fx.item}/report`);
  assert.match(await page.locator('.reviewer-comment').first().textContent(), /请补充签约项目名称。/);
  assert.equal(await page.inputValue('#narrative'), '已組織兩次對接洽談。');
  await checkPage(page, { lang: 'zh-Hans' });
  await page.check('input[name="status"][value="on_track"]');
  await page.fill('#percent', '50');
  await page.fill('#narrative', '已签约项目：盤錦物聯網產業園。');
  res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(new URL(page.url()).search, '?done=report');
  assert.equal(await page.locator('.notice').textContent(), '报告已提交，等待审核。');

  // The coordinator sees the correction beside the returned report and accepts it.
  await visit(lp, '/reviews');
  const again = lp.locator('article.review-entry', { hasText: '盤錦—無錫物聯網產業對接' });
  assert.match(await again.locator('section').first().textContent(), /已签约项目：盤錦物聯網產業園。/);
  assert.match(await again.locator('section.previous').textContent(), /请补充签约项目名称。/);
  await checkPage(lp, { lang: 'zh-Hans' });
  await again.locator('summary').click();
  res = await submit(lp, 'article.review-entry button[value="accepted"]');
  assert.equal(res.status(), 200);
  assert.equal(new URL(lp.url()).search, '?done=accepted');
  assert.equal(await lp.locator('main p', { hasText: '暂无待审核的报告。' }).count(), 1);
  await checkPage(lp, { lang: 'zh-Hans' });

  await visit(page, '/my');
  assert.match(await row(page, fx.item).textContent(), /已通过/);
  assert.match(await row(page, fx.item).textContent(), /50%/);
  assert.equal(await reportCount(fx.item), 2);
});

test('a member opening the review queue gets the forbidden page', async () => {
  const { page } = fx.pj;
  await visit(page, '/reviews', { status: 403 });
  assert.equal(await page.locator('h1').textContent(), '无权访问');
  assert.equal(await page.locator('article.review-entry').count(), 0);
  await checkPage(page, { lang: 'zh-Hans' });
  await sweep(page, '/reviews', { status: 403 });
});

test("a member opening another unit's item gets the forbidden page", async () => {
  const { page, context } = await site.as('ly_member');
  await visit(page, `/items/${fx.item}/report`, { status: 403 });
  assert.equal(await page.locator('h1').textContent(), '无权访问');
  assert.doesNotMatch(await page.content(), /盤錦—無錫物聯網產業對接/);
  await checkPage(page, { lang: 'zh-Hans' });
  await sweep(page, `/items/${fx.item}/report`, { status: 403 });
  await context.close();
});

test('a form posted without its CSRF token is refused', async () => {
  const { page } = fx.pj;
  const before = await reportCount(fx.late);
  await visit(page, `/items/${fx.late}/report`);
  await page.check('input[name="status"][value="delayed"]');
  await page.fill('#percent', '10');
  await page.fill('#narrative', '没有令牌的表单。');
  await page.locator('.report-form input[name="csrf_token"]').evaluate((e) => e.remove());
  const res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 403);
  assert.equal(await reportCount(fx.late), before, 'nothing stored');
  // A page, not a JSON error: the person reads what happened and what to do.
  assert.match(res.headers()['content-type'], /text\/html/);
  assert.match(await page.locator('main').textContent(), /请刷新页面后重试/);
  await checkPage(page, { lang: 'zh-Hans' });
});

test('the signed-in pages on a phone: nothing scrolls sideways', async () => {
  for (const [u, paths] of [[fx.pj, ['/my', `/items/${fx.item}/report`, '/account']], [fx.ln, ['/reviews']]]) {
    await u.page.setViewportSize(PHONE);
    for (const path of paths) {
      await visit(u.page, path);
      await checkReflow(u.page);
    }
    await u.page.setViewportSize(DESKTOP);
  }
});

test('the signed-in pages in three languages: axe-core and no untranslated ids', async () => {
  // A pending report so the queue and the form show everything they can.
  await sendReport(site.server, 'pj_member', fx.late, { status: 'at_risk', percent: 20, narrative: '港口合作推进中。' });
  for (const path of ['/my', `/items/${fx.item}/report`, `/items/${fx.late}/report`, '/account'])
    await sweep(fx.pj.page, path);
  for (const path of ['/reviews', '/account']) await sweep(fx.ln.page, path);
});
