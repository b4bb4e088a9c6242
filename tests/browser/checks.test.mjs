// The checks of browser.mjs can fail: a page with an image without alt text and a field
// without a label fails axe-core, a bare message id fails the translation check, an inline
// script the CSP refuses is reported, a control without a focus ring is found, a page wider than a phone is found. Without this file a check that silently passes
// everything would go unnoticed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openSite, visit, checkAxe, checkTranslated, checkProblems, checkKeyboard, checkReflow, PHONE, DESKTOP,
} from './browser.mjs';

let site, page;

before(async () => {
  site = await openSite({ organisation: false });
  ({ page } = await site.anonymous());
});

after(async () => { await site?.close(); });

test('axe-core reports serious and critical violations', async () => {
  await visit(page, '/');
  await page.evaluate(() => {
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="data:,">');
  });
  await assert.rejects(checkAxe(page), (e) => /label \(critical\)/.test(e.message) && /image-alt \(critical\)/.test(e.message));
  const all = await checkAxe(page, { impacts: [] });
  assert.ok(all.some((v) => v.id === 'label'));
  await assert.doesNotReject(checkAxe(page, { disable: ['label', 'image-alt'] }));
  checkProblems(page);
});

test('an untranslated message id and a wrong lang are found', async () => {
  await visit(page, '/');
  await page.evaluate(() => { document.querySelector('h1').textContent = 'ui_portal_title'; });
  await assert.rejects(checkTranslated(page), /untranslated message id/);
  await visit(page, '/?lang=en');
  await assert.rejects(checkTranslated(page, 'zh-Hant'), /<html lang>/);
  await page.context().clearCookies({ name: 'lang' });
});

test('a script the Content-Security-Policy refuses is reported', async () => {
  await visit(page, '/');
  checkProblems(page);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.ran = true';
    document.body.append(s);
  });
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.ran), undefined, 'the inline script did not run');
  assert.throws(() => checkProblems(page), /CSP/);
});

test('a control without a focus ring is found', async () => {
  await visit(page, '/');
  await assert.doesNotReject(checkKeyboard(page));
  // app.css draws no ring for a focusable <div>: the browser's thin one is not enough.
  await page.evaluate(() => document.querySelector('h1').insertAdjacentHTML('afterend', '<div tabindex="0" id="bare">x</div>'));
  await assert.rejects(checkKeyboard(page), /div#bare/);
});

test('a page wider than a phone is found', async () => {
  await page.setViewportSize(PHONE);
  await visit(page, '/');
  await assert.doesNotReject(checkReflow(page));
  await page.evaluate(() => document.querySelector('h1').insertAdjacentHTML('afterend',
    '<pre id="wide">' + '0123456789'.repeat(60) + '</pre>'));
  await assert.rejects(checkReflow(page), /scrolls sideways|sticking out/);
  await page.setViewportSize(DESKTOP);
});
