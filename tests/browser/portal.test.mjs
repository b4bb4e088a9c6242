// The public pages in a real browser: the portal lists both pairings and links to both
// plans, each plan page shows its tasks; the sign-in page; every one of them in three
// languages passes axe-core and shows no untranslated message id. Screenshots: portal, plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, visit, checkPage, checkKeyboard, checkReflow, sweep, screenshot, PHONE, DESKTOP } from './browser.mjs';

let site, page;

before(async () => {
  site = await openSite({ organisation: false });
  ({ page } = await site.anonymous());
});

after(async () => { await site?.close(); });

test('the portal shows both pairings and links to both plans', async () => {
  await visit(page, '/');
  await checkPage(page, { lang: 'zh-Hans' });
  await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
  const pairings = await page.locator('section.pairing h3').allTextContents();
  assert.deepEqual(pairings, ['遼寧省 — 江蘇省', '上海市 — 大連市']);
  assert.equal(await page.locator('a[href="/plans/1"]').textContent(), '遼寧省與江蘇省對口合作實施方案');
  assert.equal(await page.locator('a[href="/plans/2"]').textContent(), '上海市與大連市對口合作實施方案');
  assert.match(await page.locator('section.pairing').first().textContent(), /盤錦市 — 無錫市/);
  const stops = await checkKeyboard(page);
  assert.deepEqual(stops.slice(0, 2), ['a.skip[href=#main]', 'a.brand[href=/]']);
  assert.ok(stops.includes('a[href=/plans/1]') && stops.includes('a[href=/plans/2]'), 'both plans by Tab');
  await screenshot(page, 'portal');
});

test('each plan opens from the portal and shows its tasks', async () => {
  // The plans are stored in Traditional; their pages read in the interface's script (简体).
  for (const [id, title] of [[1, '辽宁省与江苏省对口合作实施方案'], [2, '上海市与大连市对口合作实施方案']]) {
    await visit(page, '/');
    await Promise.all([page.waitForURL(`**/plans/${id}`), page.click(`a[href="/plans/${id}"]`)]);
    assert.equal(await page.locator('h1').textContent(), title);
    assert.ok(await page.locator('h2').count() >= 5, 'key areas as headings');
    await checkPage(page, { lang: 'zh-Hans' });
    if (id === 1) {
      await checkKeyboard(page);
      await screenshot(page, 'plan');
    }
  }
});

test('the language switcher changes the page and remembers the choice', async () => {
  await visit(page, '/');
  await Promise.all([page.waitForURL('**/?lang=en'), page.click('a[hreflang="en"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await visit(page, '/plans/1');
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the lang cookie holds');
  await page.context().clearCookies({ name: 'lang' });
});

test('the sign-in page from the keyboard', async () => {
  await visit(page, '/login');
  const stops = await checkKeyboard(page);
  assert.deepEqual(stops.filter((w) => /^(input|button)/.test(w)),
    ['input#login[name=login]', 'input#password[name=password]', 'button'], 'the fields in order');
});

test('the public pages in three languages: axe-core and no untranslated ids', async () => {
  for (const path of ['/', '/plans/1', '/plans/2', '/login', '/login?next=%2Fmy'])
    await sweep(page, path);
  await sweep(page, '/plans/999', { status: 404 });
});

test('an address that does not exist answers 404', async () => {
  await sweep(page, '/no-such-page', { status: 404 });
});

test('the public pages on a phone: nothing scrolls sideways', async () => {
  await page.setViewportSize(PHONE);
  for (const path of ['/', '/plans/1', '/plans/2', '/login']) {
    await visit(page, path);
    await checkReflow(page);
  }
  await visit(page, '/');
  await screenshot(page, 'portal-phone');
  await page.setViewportSize(DESKTOP);
});
