// browser: what every tests/browser/*.test.mjs shares. A real `duikou serve` (the API
// harness's startServer, with its seeded organisation) driven by Debian's chromium through
// playwright-core (which never downloads a browser): one browser per test file, one context
// (cookie jar) per user, sign-in through the /login form as a person does it, and the checks
// every page must pass: axe-core finds nothing serious or critical, no message id is shown
// untranslated, the Content-Security-Policy refused nothing. Screenshots go to
// $DUIKOU_SCREENSHOTS (cmake sets <build dir>/screenshots).
//
// A test file (see work.test.mjs):
//   before: site = await openSite();                     // server + browser (after: site.close())
//           fx = await seedWork(site.server);            // a work plan with two items of 盤錦
//   const { page } = await site.as('pj_member');         // a context signed in through /login
//   await visit(page, '/my');                            // 200, else the test fails
//   await checkPage(page, { lang: 'zh-Hans' });          // axe + translations + CSP
//   await checkKeyboard(page);                           // skip link first, focus rings
//   await page.setViewportSize(PHONE); await checkReflow(page); // nothing scrolls sideways
//   await sweep(page, '/my');                            // checkPage in zh-Hans, zh-Hant, en
//   await screenshot(page, 'my');                        // <screenshots>/my.png
// A new page joins the axe and language sweep with one line: `await sweep(page, '/path')`
// (`{ status: 403 }` for a page a user may not see).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startServer, as, PASSWORD, LJ } from '../api/harness.mjs';
import { today } from '../api/clock.mjs';

export { startServer, as, Client, PASSWORD, LJ, SD, ORG } from '../api/harness.mjs';

export const CHROMIUM = process.env.DUIKOU_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = process.env.DUIKOU_SCREENSHOTS ?? 'build/screenshots';
export const LANGS = ['zh-Hans', 'zh-Hant', 'en'];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// A message id shown as is: the catalog had no text for it.
export const BARE_ID = /\b(?:ui|err)_[a-z_0-9]+\b/;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// The flags keep chromium from reaching out (updates, sync, QUIC) and working in a container
// (no sandbox without user namespaces, small /dev/shm, no GPU).
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

// Debian's chromium, headless. Fails with the way out when it is not installed.
export async function launch() {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: run \`bash scripts/deps.sh --test\` (or set DUIKOU_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

// What went wrong in a page since the last check: CSP refusals and uncaught script errors.
const problems = new WeakMap();

function watch(page) {
  const list = [];
  problems.set(page, list);
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) list.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => list.push(`script error: ${e.message}`));
}

// A fresh context (its own cookies) with one page. opts: viewport (DESKTOP), locale (zh-CN:
// the browser asks for Chinese with Accept-Language, as the people using Duikou do), lang
// (sets the lang cookie, as choosing a language on the page does), and any playwright
// context option.
export async function newUser(browser, server, { viewport = DESKTOP, locale = 'zh-CN', lang, ...more } = {}) {
  const context = await browser.newContext({ baseURL: server.base, viewport, locale, ...more });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(20000);
  if (lang) await context.addCookies([{ name: 'lang', value: lang, url: server.base }]);
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page };
}

// Signs in through the /login form the page shows (going to /login first unless it is there
// already, e.g. after a redirect with ?next=). Waits until the browser has left /login and
// returns the page's path; fails with the page's error message when sign-in is refused.
export async function signIn(page, login, { password = PASSWORD } = {}) {
  if (new URL(page.url()).pathname !== '/login') await visit(page, '/login');
  await page.fill('#login', login);
  await page.fill('#password', password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
  if (res.status() !== 303) {
    await page.waitForLoadState();
    const why = await page.locator('.form-error').allTextContents().catch(() => []);
    assert.fail(`sign-in as ${login}: ${res.status()} ${why.join(' ')}`);
  }
  await page.waitForURL((u) => u.pathname !== '/login');
  return new URL(page.url()).pathname;
}

// newUser + signIn: { context, page } of a signed-in user.
export async function asUser(browser, server, login, opts = {}) {
  const u = await newUser(browser, server, opts);
  await signIn(u.page, login);
  return u;
}

// Opens path and asserts the final status (after redirects); returns the response.
export async function visit(page, path, { status = 200 } = {}) {
  const res = await page.goto(path);
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `${path}: status ${res.status()}, at ${page.url()}`);
  return res;
}

// Clicks what the selector names (a submit button) and waits for the page the form answers
// with; returns that navigation's last response (after any 303).
export async function submit(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return res;
}

// axe-core on the current page: fails on any violation whose impact is in `impacts`
// (serious and critical by default), listing rule, impact, help and the elements. Rules in
// `disable` are skipped (name why in the test). Returns axe's violations (all impacts).
// axe is put into the page with page.evaluate, which the page's CSP does not govern, so the
// CSP stays on while the test runs.
export async function checkAxe(page, { impacts = ['serious', 'critical'], disable = [] } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
  const result = await page.evaluate((opts) => window.axe.run(document, opts),
    { resultTypes: ['violations'], rules });
  const bad = result.violations.filter((v) => impacts.includes(v.impact));
  const where = new URL(page.url());
  assert.deepEqual(bad.map((v) => [
    `${v.id} (${v.impact}): ${v.help}`,
    v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
  ]), [], `axe on ${where.pathname}${where.search}`);
  return result.violations;
}

// No message id shown untranslated (text, attributes, the title), and <html lang> is `lang`
// when given.
export async function checkTranslated(page, lang) {
  const html = await page.content();
  const where = new URL(page.url());
  const m = BARE_ID.exec(html);
  assert.equal(m && html.slice(Math.max(0, m.index - 80), m.index + 80), null,
    `untranslated message id on ${where.pathname}${where.search}`);
  if (lang) assert.equal(await page.getAttribute('html', 'lang'), lang, `<html lang> of ${where.pathname}`);
}

// Nothing refused by the CSP and no script error since the page opened or the last check.
export function checkProblems(page) {
  const list = problems.get(page) ?? [];
  const found = list.splice(0);
  assert.deepEqual(found, [], `problems on ${page.url()}`);
}

// The keyboard: from the top of the page, Tab reaches first the skip link (shown on the
// screen while focused), then every control in turn, and each one shows a focus ring of at
// least 2px (an outline, as app.css draws it). Fails naming the controls without one.
// Returns the tab order as short descriptions (tag#id.class[name=…][href=…]).
export async function checkKeyboard(page, { max = 80 } = {}) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const seen = [], bare = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e), box = e.getBoundingClientRect();
      const what = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.classList.length ? '.' + [...e.classList].join('.') : '') +
        (e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : '') +
        (e.tagName === 'A' ? `[href=${e.getAttribute('href')}]` : '');
      return { what, ring: cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) : 0,
        onScreen: box.right > 0 && box.bottom > 0 && box.width > 0 };
    });
    if (!f || (seen.length && f.what === seen[0] && i > 1)) break;
    if (seen.length === 0)
      assert.ok(f.what.startsWith('a.skip') && f.onScreen, `the first Tab stop is the visible skip link, not ${f.what}`);
    seen.push(f.what);
    if (f.ring < 2) bare.push(f.what);
  }
  assert.deepEqual(bare, [], `controls without a visible focus ring on ${new URL(page.url()).pathname}`);
  return seen;
}

// Reflow (WCAG 1.4.10): at the page's current width (set PHONE first) nothing sticks out
// sideways, so the page never scrolls horizontally. A wide table may scroll inside its own
// box (overflow-x: auto) without failing. Fails naming the elements that stick out.
export async function checkReflow(page) {
  const r = await page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const inScroller = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
        if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > W + 1 && !inScroller(e))
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).replace(/ /g, '.') : ''} (right edge ${Math.round(e.getBoundingClientRect().right)}px)`);
    return { width: W, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 8) };
  });
  const where = new URL(page.url()).pathname;
  assert.deepEqual(r.wide, [], `sticking out of ${r.width}px on ${where}`);
  assert.ok(r.scroll <= r.width, `${where} scrolls sideways at ${r.width}px (${r.scroll}px wide)`);
}

// Every check a page must pass, on the page as it is now.
export async function checkPage(page, { lang, axe = {} } = {}) {
  await checkTranslated(page, lang);
  await checkAxe(page, axe);
  checkProblems(page);
}

// The page at path in every language (?lang=): the status, then checkPage. The language
// chosen stays in a cookie, so the cookie is removed afterwards and the context speaks its
// user's language again. opts: status (200), langs (LANGS), axe (checkAxe options).
export async function sweep(page, path, { status = 200, langs = LANGS, axe = {} } = {}) {
  for (const lang of langs) {
    const u = new URL(path, 'http://x');
    u.searchParams.set('lang', lang);
    await visit(page, u.pathname + u.search, { status });
    await checkPage(page, { lang, axe });
  }
  await page.context().clearCookies({ name: 'lang' });
}

// A PNG of the current page at <SHOTS>/<name>.png, full length; opts.viewport ({width,
// height}) sets the window for this shot and puts the old one back; the field last typed
// in loses its focus ring unless opts.blur is false. Returns the file.
export async function screenshot(page, name, { viewport, fullPage = true, blur = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  const old = page.viewportSize();
  if (viewport) await page.setViewportSize(viewport);
  if (blur) await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  if (viewport && old) await page.setViewportSize(old);
  return file;
}

// ---- data for the pages, made through the JSON API ----------------------------------------

// A date (YYYY-MM-DD) `plus` days from today as the lights see it: in the plans' time zone.
export { today };

// This year's work plan of 遼寧–江蘇 with two items owned by 盤錦 (pj_member's unit), opened
// by ln_coord: `item` due in 60 days (green, titled 盤錦—無錫物聯網產業對接) and `late` three
// days overdue (red, 盤錦港口合作逾期事項). Returns { year, workPlan, item, late, coord }
// (coord: ln_coord's API Client, to add more).
export async function seedWork(server) {
  const coord = await as(server, 'ln_coord');
  const year = Number(today().slice(0, 4));
  const wp = await coord.post('/api/v1/work-plans', { pairing_id: LJ, year });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const add = async (fields) => {
    const r = await coord.post(`/api/v1/work-plans/${wp.json.id}/items`, {
      owner_unit_id: server.units.panjin, indicator: '簽約項目數', target_value: '3 個', ...fields,
    });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  const item = await add({ title: '盤錦—無錫物聯網產業對接', due: today(60) });
  const late = await add({ title: '盤錦港口合作逾期事項', due: today(-3) });
  return { year, workPlan: wp.json.id, item, late, coord };
}

// A report on an item sent through the API by `login` (status on_track, 40 %, this month
// unless `fields` says otherwise); it awaits review. Returns the report's id.
export async function sendReport(server, login, item, fields = {}) {
  const c = await as(server, login);
  const r = await c.post(`/api/v1/work-items/${item}/reports`, {
    period: today().slice(0, 7), status: 'on_track', percent: 40, narrative: '已組織兩次對接洽談。', ...fields,
  });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}

// ---- the site --------------------------------------------------------------------------

// The server (startServer options: args, organisation) and a browser, started together.
// site.as(login, opts) is asUser on them; site.anonymous(opts) is newUser; site.close()
// ends every context, the browser and the server, and fails when the server's stderr shows
// a sanitizer report.
export async function openSite(serverOptions = {}) {
  const [s, b] = await Promise.allSettled([startServer(serverOptions), launch()]);
  if (s.status === 'rejected' || b.status === 'rejected') {
    if (s.status === 'fulfilled') await s.value.stop();
    if (b.status === 'fulfilled') await b.value.close();
    throw s.status === 'rejected' ? s.reason : b.reason;
  }
  const server = s.value, browser = b.value;
  return {
    server,
    browser,
    as: (login, opts) => asUser(browser, server, login, opts),
    anonymous: (opts) => newUser(browser, server, opts),
    async close() {
      await browser.close();
      await server.stop();
      assert.doesNotMatch(server.stderr(), /AddressSanitizer|LeakSanitizer|runtime error:/);
    },
  };
}
