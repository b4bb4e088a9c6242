// An expired session in a real browser: with sessions ending after 2 idle seconds, a page
// opened later sends the member to /login?next=<the page>, and signing in there leads back to
// that page. A server of its own (--session-idle 2), so the other files keep their sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, seedWork, visit, signIn, checkPage } from './browser.mjs';

const IDLE = 2;
let site, item;

before(async () => {
  site = await openSite({ args: ['--session-idle', String(IDLE)] });
  ({ item } = await seedWork(site.server));
});

after(async () => { await site?.close(); });

const idle = () => new Promise((r) => setTimeout(r, (IDLE + 1) * 1000));
const here = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

test('an expired session sends the member to sign in and back to the page', async () => {
  const { page, context } = await site.as('wx_member');
  await visit(page, '/my');
  assert.equal(here(page), '/my', 'signed in');
  await idle();
  await visit(page, '/my');
  assert.equal(here(page), '/login?next=%2Fmy');
  await checkPage(page, { lang: 'zh-Hans' });
  assert.equal(await page.inputValue('input[name="next"]'), '/my');
  assert.equal(await signIn(page, 'wx_member'), '/my');
  assert.equal(await page.locator('h1').textContent(), '我的工作');
  await context.close();
});

test('the page asked for may be deeper: the report form of an item', async () => {
  const { page, context } = await site.as('pj_member');
  const path = `/items/${item}/report`;
  await visit(page, path);
  await idle();
  await visit(page, path);
  assert.equal(here(page), `/login?next=${encodeURIComponent(path)}`);
  assert.equal(await signIn(page, 'pj_member'), path);
  assert.equal(await page.locator('h1').textContent(), '盤錦—無錫物聯網產業對接');
  await checkPage(page, { lang: 'zh-Hans' });
  await context.close();
});
