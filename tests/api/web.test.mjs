// The public portal (web/portal.c, web/layout.c): server-rendered HTML, escaped by default,
// in the language the visitor picks (remembered in a cookie), with a fingerprinted stylesheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client } from './harness.mjs';

let server;
let anon;

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

before(async () => {
  server = await startServer({ organisation: false });
  anon = new Client(server.base);
});

after(async () => { await server?.stop(); });

async function page(path, headers = {}) {
  const res = await fetch(server.base + path, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function assertHtml(r) {
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(r.headers.get('content-security-policy'), /style-src 'self'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.body, /^<!doctype html>/);
  assert.doesNotMatch(r.body, /<script|style=/i, 'no inline script or style');
  assert.doesNotMatch(r.body, /\bui_[a-z_]+\b|\berr_[a-z_]+\b/, 'no bare message id');
}

test('/ lists both pairings with their city pairings and links the plans', async () => {
  const r = await page('/');
  assert.equal(r.status, 200);
  assertHtml(r);
  assert.match(r.body, /<html lang="zh-Hans">/);
  assert.match(r.body, /Duikou/);
  assert.match(r.body, /遼寧省 — 江蘇省/);
  assert.match(r.body, /上海市 — 大連市/);
  assert.match(r.body, /<a href="\/plans\/1">遼寧省與江蘇省對口合作實施方案<\/a>/);
  assert.match(r.body, /<a href="\/plans\/2">上海市與大連市對口合作實施方案<\/a>/);
  const tree = (await anon.get('/api/v1/pairings')).json.pairings;
  for (const p of tree)
    for (const c of p.children) assert.ok(r.body.includes(esc(c.theme ?? '')), c.theme);
  assert.match(r.body, /href="\/login">登录</);
});

test('/plans/1 shows every task and all 11 pairings of the Liaoning–Jiangsu plan', async () => {
  const r = await page('/plans/1?script=original'); // as stored (scripts.test.mjs: converted)
  assert.equal(r.status, 200);
  assertHtml(r);
  const plan = (await anon.get('/api/v1/plans/1')).json;
  const tasks = plan.areas.flatMap((a) => a.tasks);
  assert.equal(tasks.length, 24);
  assert.match(r.body, /<h1>遼寧省與江蘇省對口合作實施方案<\/h1>/);
  for (const t of tasks) {
    assert.ok(r.body.includes(`<span class="task-no">${t.number}.</span><span class="task-title">${esc(t.title)}</span>`), t.title);
    assert.ok(r.body.includes(esc(t.body)), `body of task ${t.number}`);
  }
  assert.equal(plan.pairings.length, 11);
  const rows = [...r.body.matchAll(/<a href="#task-\d+">任务 \d+<\/a>/g)];
  assert.equal(rows.length, 11);
  for (const p of plan.pairings) assert.ok(r.body.includes(`${esc(p.a)} — ${esc(p.b)}`), p.a);
  for (const h of ['指导思想', '基本原则', '主要目标', '合作重点与重点任务', '量化目标', '保障措施'])
    assert.ok(r.body.includes(`<h2>${h}</h2>`), h);
  assert.match(r.body, /不少于50家企業/);
  assert.match(r.body, /<dd>2020<\/dd>/);
});

test('?lang= switches the interface and the lang cookie remembers it', async () => {
  const en = await page('/?lang=en');
  assert.equal(en.status, 200);
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /Counterpart cooperation plans/);
  assert.match(en.body, />Sign in</);
  const cookie = en.headers.get('set-cookie');
  assert.match(cookie, /^lang=en; Path=\/; Max-Age=31536000; SameSite=Lax$/);
  // Back without ?lang=: the cookie decides, ahead of Accept-Language.
  const again = await page('/plans/2', { cookie: cookie.split(';')[0], 'accept-language': 'zh-CN' });
  assert.match(again.body, /<html lang="en">/);
  assert.match(again.body, /Key areas and key tasks/);
  assert.equal(again.headers.get('set-cookie'), null);
  // The API follows the same choice.
  const apiErr = await page('/api/v1/plans/999', { cookie: 'lang=en' });
  assert.equal(JSON.parse(apiErr.body).error.message, 'Not found.');

  const hant = await page('/plans/1?lang=zh-Hant');
  assert.match(hant.body, /<html lang="zh-Hant">/);
  assert.match(hant.body, />登入</);
  assert.match(hant.body, /<h2>指導思想<\/h2>/);
  assert.match(hant.body, /<h2>合作重點與重點任務<\/h2>/);
  assert.match(hant.headers.get('set-cookie'), /^lang=zh-Hant;/);
  const remembered = await page('/', { cookie: 'lang=zh-Hant' });
  assert.match(remembered.body, /<h1>對口合作實施方案<\/h1>/);
  // An unknown cookie value falls back to Accept-Language.
  const odd = await page('/', { cookie: 'lang=xx', 'accept-language': 'en-GB' });
  assert.match(odd.body, /<html lang="en">/);
  // Assertions about the switcher itself.
  assert.match(remembered.body, /<a href="\?lang=en" lang="en" hreflang="en">English<\/a>/);
  assert.match(remembered.body, /hreflang="zh-Hant" aria-current="true"/);
  // The switch keeps the page's query (a search, a year), only lang changes.
  const q = await page('/notices?after=5&lang=en&x=%E9%81%BC%20a%26b');
  assert.match(q.body, /<a href="\?after=5&amp;x=%E9%81%BC%20a%26b&amp;lang=zh-Hans" lang="zh-Hans"/);
});

test('the stylesheet is served at its fingerprinted URL, immutable', async () => {
  const home = await page('/');
  const url = /<link rel="stylesheet" href="(\/assets\/app\.[0-9a-f]{12}\.css)">/.exec(home.body)?.[1];
  assert.ok(url, 'the page links a fingerprinted stylesheet');
  const css = await page(url);
  assert.equal(css.status, 200);
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal(css.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(css.body, /@media print/);
  // Every block closed (a merge that drops one brace silently swallows the rules after it).
  let depth = 0;
  for (const ch of css.body.replace(/\/\*[\s\S]*?\*\//g, '')) {
    if (ch === '{') depth++;
    if (ch === '}') assert.ok(--depth >= 0, 'a stray closing brace');
  }
  assert.equal(depth, 0, 'every block of the stylesheet is closed');
  assert.match(css.body, /"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"/);
  const { createHash } = await import('node:crypto');
  assert.equal(url.slice(12, 24), createHash('sha256').update(css.body).digest('hex').slice(0, 12));
  // Any other name is a 404 page, never a stale stylesheet.
  const stale = await page('/assets/app.000000000000.css');
  assert.equal(stale.status, 404);
  assertHtml(stale);
});

test('text from the database is escaped', async () => {
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, "UPDATE plan SET title = '<script>x</script>' WHERE id = 2"]);
  for (const path of ['/plans/2', '/']) {
    const r = await page(path);
    assert.equal(r.status, 200);
    assert.ok(r.body.includes('&lt;script&gt;x&lt;/script&gt;'), path);
    assert.doesNotMatch(r.body, /<script>/, path);
  }
});

test('a missing plan is a 404 page in the visitor\'s language', async () => {
  const zh = await page('/plans/999');
  assert.equal(zh.status, 404);
  assertHtml(zh);
  assert.match(zh.body, /<h1>页面不存在<\/h1>/);
  const en = await page('/plans/999', { 'accept-language': 'en-US,en;q=0.8' });
  assert.equal(en.status, 404);
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /<h1>Page not found<\/h1>/);
  assert.match(en.body, /Back to the home page/);
  const hant = await page('/plans/999', { cookie: 'lang=zh-Hant' });
  assert.match(hant.body, /<h1>頁面不存在<\/h1>/);
});
