// A refused form opens at what is wrong (issue 15, finding 4), measured in a real browser at
// 1366×900 and on a 390×844 phone: after the failed submission the error summary is inside
// the first screen (its top below 0 and above the window's height), focus is on it, the title
// starts with 错误： (錯誤：, Error: ), every mistake of the submission is named at once, each
// as a link that takes focus to its field. Cases: the report form with an empty narrative and
// 已完成 at 40 % (two mistakes, judged by the form and by the service's rule), and the review
// queue's "return" without a comment on a report far down the queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, seedWork, sendReport, visit, submit, checkPage, today, PHONE } from './browser.mjs';

const WIDE = { width: 1366, height: 900 };
let site;
let fx = {};

before(async () => {
  site = await openSite();
  fx = await seedWork(site.server);
});

after(async () => { await site?.close(); });

// What the page shows of its error summary: the title, where the summary is, whether it has
// focus, and its links with whether each target exists.
async function summaryOf(page) {
  return page.evaluate(() => {
    const s = document.getElementById('error-summary');
    const rect = s ? s.getBoundingClientRect() : null;
    return {
      title: document.title,
      top: rect ? rect.top : null,
      height: window.innerHeight,
      focused: document.activeElement === s,
      links: s ? [...s.querySelectorAll('a')].map((a) => ({
        href: a.getAttribute('href'), text: a.textContent,
        target: !!document.getElementById(a.getAttribute('href').slice(1)),
      })) : [],
    };
  });
}

function assertOpensAtErrors(s, hrefs, prefix = '错误：') {
  assert.ok(s.title.startsWith(prefix), `the title starts with ${prefix}: ${s.title}`);
  assert.notEqual(s.top, null, 'there is an error summary');
  assert.ok(s.top >= 0 && s.top < s.height, `the summary is in the first screen: y = ${s.top} of ${s.height}`);
  assert.ok(s.focused, 'focus is on the summary');
  assert.deepEqual(s.links.map((l) => l.href).sort(), [...hrefs].sort(), 'every mistake, each a link');
  for (const l of s.links) assert.ok(l.target, `${l.href} leads to an element of the page`);
}

for (const [name, viewport] of [['1366×900', WIDE], ['phone', PHONE]]) {
  test(`report form (${name}): both mistakes named at once, the page opens at them`, async () => {
    const { page, context } = await site.as('pj_member', { viewport });
    await visit(page, `/items/${fx.item}/report`);
    await page.check('input[name="status"][value="done"]');
    await page.fill('#percent', '40');
    await page.fill('#narrative', '');
    await page.fill('input[name="fig_name1"]', '签约项目');
    const res = await submit(page, '.report-form button[type="submit"]');
    assert.equal(res.status(), 422);
    const s = await summaryOf(page);
    assertOpensAtErrors(s, ['#percent', '#narrative', '#fig1-error']);
    assert.match(s.links.find((l) => l.href === '#percent').text, /^完成比例/);
    assert.match(s.links.find((l) => l.href === '#narrative').text, /^进展情况：/);
    // the input is kept, and a link takes focus to its field
    assert.equal(await page.inputValue('#percent'), '40');
    assert.equal(await page.inputValue('input[name="fig_name1"]'), '签约项目');
    await page.click('#error-summary a[href="#narrative"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'narrative');
    await checkPage(page, { lang: 'zh-Hans' });
    await context.close();
  });
}

test('the title and summary speak the reader\'s language', async () => {
  for (const [lang, prefix] of [['zh-Hant', '錯誤：'], ['en', 'Error: ']]) {
    const { page, context } = await site.as('pj_member', { viewport: WIDE });
    await visit(page, `/items/${fx.item}/report?lang=${lang}`);
    await page.check('input[name="status"][value="on_track"]');
    await page.fill('#percent', '');
    await page.fill('#narrative', '');
    assert.equal((await submit(page, '.report-form button[type="submit"]')).status(), 422);
    assertOpensAtErrors(await summaryOf(page), ['#percent', '#narrative'], prefix);
    await checkPage(page, { lang });
    await context.close();
  }
});

for (const [name, viewport] of [['1366×900', WIDE], ['phone', PHONE]]) {
  test(`review queue (${name}): returning without a comment opens at the error`, async () => {
    // A queue of several reports; the one returned is the last on the page.
    const ids = [];
    for (let i = 0; i < 6; i++)
      ids.push(await sendReport(site.server, 'pj_member', i % 2 ? fx.item : fx.late,
        { period: `${today().slice(0, 4)}-0${i + 1}`, narrative: `第${i + 1}次报告：对接洽谈进展。` }));
    const { page, context } = await site.as('ln_coord', { viewport });
    await visit(page, '/reviews');
    const last = page.locator('article.review-entry').last();
    const id = (await last.getAttribute('id')).replace('report-', '');
    await last.locator('summary').click(); // the review form is in the entry's details
    await last.locator('textarea[name="comment"]').fill('');
    const res = await submit(page, `#report-${id} button[value="returned"]`);
    assert.equal(res.status(), 422);
    const s = await summaryOf(page);
    assertOpensAtErrors(s, [`#comment-${id}`]);
    await page.click(`#error-summary a[href="#comment-${id}"]`);
    assert.equal(await page.evaluate(() => document.activeElement.id), `comment-${id}`);
    await checkPage(page, { lang: 'zh-Hans' });
    await context.close();
  });
}

// "Also expected" in issue 15: figures on demand. From the narrative, Tab reaches the submit
// button in at most 8 stops (one empty figure row, the "more figures" summary, the file
// field), not through five rows of three empty fields; opening the summary offers the rest,
// and a form that comes back with figures in rows 1–2 shows those rows and one more.
test('report form: the submit button is a few Tab stops after the narrative', async () => {
  const { page, context } = await site.as('pj_member', { viewport: WIDE });
  await visit(page, `/items/${fx.item}/report`);
  await page.focus('#narrative');
  const stops = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const what = await page.evaluate(() => {
      const e = document.activeElement;
      return `${e.tagName.toLowerCase()}${e.getAttribute('name') ? `[${e.getAttribute('name')}]` : ''}${e.type === 'submit' ? ':submit' : ''}`;
    });
    stops.push(what);
    if (what.endsWith(':submit')) break;
  }
  assert.ok(stops.at(-1).endsWith(':submit'), stops.join(' → '));
  assert.ok(stops.length <= 8, `${stops.length} Tab stops from the narrative to submit: ${stops.join(' → ')}`);
  assert.equal(await page.locator('input[name="fig_name2"]').isVisible(), false, 'row 2 waits in the summary');
  await page.click('details.more-figures summary');
  assert.equal(await page.locator('input[name="fig_name2"]').isVisible(), true);
  // rows in use come back open, with one empty row after them
  await page.fill('input[name="fig_name1"]', '签约项目');
  await page.fill('input[name="fig_value1"]', '2');
  await page.fill('input[name="fig_name2"]', '意向金额');
  await page.fill('#narrative', '');
  assert.equal((await submit(page, '.report-form button[type="submit"]')).status(), 422);
  assert.equal(await page.inputValue('input[name="fig_name2"]'), '意向金额');
  assert.equal(await page.locator('input[name="fig_name2"]').isVisible(), true);
  assert.equal(await page.locator('input[name="fig_name3"]').isVisible(), true);
  assert.equal(await page.locator('input[name="fig_name4"]').isVisible(), false);
  await checkPage(page, { lang: 'zh-Hans' });
  await context.close();
});
