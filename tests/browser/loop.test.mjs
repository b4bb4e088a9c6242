// The whole loop through the pages, only by clicks and form fills in a real browser (the
// JSON API only reads, to check what the pages stored): the coordinator of 遼寧 assigns 盤錦
// as lead of a task; builds this year's work plan with an item of that task owned by 盤錦
// (and two more of 遼陽, one overdue, so the dashboard shows every light); submits it; both
// sides' lead offices approve → agreed; the clerk of 盤錦 finds the item on "my work" and
// reports; the coordinator returns the report with a comment; the clerk reads it and reports
// again; the coordinator accepts; the dashboard's lights and progress moved. Screenshots: the
// dashboard (desktop and phone), the task, the work plan, the assignment page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openSite, as, visit, submit, checkPage, screenshot, today, PHONE, LJ,
} from './browser.mjs';

let site;
const fx = {};
const YEAR = Number(today().slice(0, 4));
const TITLE = '盤錦—無錫物聯網產業對接（全流程）';

before(async () => {
  site = await openSite();
  fx.api = await as(site.server, 'admin'); // reads only
  const plan = (await fx.api.get('/api/v1/plans/1')).json;
  const tasks = plan.areas.flatMap((a) => a.tasks);
  [fx.task, fx.task2, fx.task3] = [7, 1, 20].map((n) => tasks.find((t) => t.number === n));
  assert.ok(fx.task, 'task 7 of plan 1');
  [fx.ln, fx.js, fx.pj, fx.lead] = await Promise.all(
    ['ln_coord', 'js_coord', 'pj_member', 'ln_leader'].map((l) => site.as(l)));
});

after(async () => { await site?.close(); });

// Follows the link with this text (exactly) and waits for the page it opens.
async function follow(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).first().click()]);
  return new URL(page.url()).pathname;
}

// The headline figures of the dashboard: { green, yellow, red, done, items, progress }.
async function figures(page) {
  await visit(page, '/dashboard');
  assert.equal(new URL(page.url()).pathname, `/pairings/${LJ}/dashboard`);
  const get = async (cls) => Number((await page.locator(`.dash-figures .${cls} dd`).textContent()).replace('%', ''));
  return {
    items: await get('fig:not([class*="fig-"])'), green: await get('fig-green'), yellow: await get('fig-yellow'),
    red: await get('fig-red'), done: await get('fig-done'), progress: await get('fig-progress'),
  };
}

// Adds an item through the form of the work plan page.
async function addItem(page, { title, owner, due, task = fx.task, indicator = '簽約項目數', target = '3 個' }) {
  await page.selectOption('#task_id', String(task.id));
  await page.fill('#title', title);
  await page.selectOption('#owner_unit_id', String(owner));
  await page.fill('#indicator', indicator);
  await page.fill('#target_value', target);
  await page.fill('#due', due);
  const res = await submit(page, 'section.wp-add button[type="submit"]');
  assert.equal(res.status(), 200, await page.locator('main').textContent());
  assert.match(new URL(page.url()).search, /done=added/);
}

test('the coordinator assigns 盤錦 as lead of task 7 through the assignment page', async () => {
  const { page } = fx.ln;
  await visit(page, '/plans/1');
  assert.equal(await follow(page, '安排承办单位'), '/plans/1/assign');
  await checkPage(page, { lang: 'zh-Hans' });
  await page.selectOption(`select[name="lead_${fx.task.id}"]`, String(site.server.units.panjin));
  await page.click(`#task-${fx.task.id} details summary`);
  await page.check(`input[name="support_${fx.task.id}"][value="${site.server.units.liaoyang}"]`);
  const res = await submit(page, 'form.assign button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.match(new URL(page.url()).search, /done=saved/);
  assert.equal(await page.inputValue(`select[name="lead_${fx.task.id}"]`), String(site.server.units.panjin));
  await checkPage(page, { lang: 'zh-Hans' });
  const t = (await fx.api.get(`/api/v1/tasks/${fx.task.id}`)).json;
  const lead = t.assignments.filter((a) => a.side === 0 && a.role === 'lead').map((a) => a.unit.id);
  assert.deepEqual(lead, [site.server.units.panjin], 'stored');
  await screenshot(page, 'assign', { fullPage: false });
});

test('the coordinator builds this year\'s work plan and submits it; both lead offices approve', async () => {
  const { page } = fx.ln;
  await visit(page, '/my');
  assert.equal(await follow(page, '年度工作计划'), '/work-plans');
  await page.fill('#year', String(YEAR));
  let res = await submit(page, 'section.wp-open button[type="submit"]');
  assert.equal(res.status(), 200);
  const m = /^\/work-plans\/(\d+)$/.exec(new URL(page.url()).pathname);
  assert.ok(m, page.url());
  fx.wp = Number(m[1]);
  assert.match(await page.locator('.wp-state').textContent(), /草稿/);

  const u = site.server.units;
  await addItem(page, { title: TITLE, owner: u.panjin, due: today(60) });
  await addItem(page, { title: '遼陽港口合作逾期事項', owner: u.liaoyang, due: today(-3), task: fx.task2 });
  await addItem(page, { title: '遼陽—南通產業園共建', owner: u.liaoyang, due: today(90), task: fx.task3, indicator: '入園企業', target: '5 家' });
  assert.equal(await page.locator('table.wp-items tbody tr').count(), 3);
  const row = page.locator('table.wp-items tbody tr', { hasText: TITLE });
  assert.match(await row.textContent(), /盤錦市人民政府/);
  await checkPage(page, { lang: 'zh-Hans' });

  res = await submit(page, 'form.wp-submit button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('.wp-state').textContent(), /已提交，待审批/);
  res = await submit(page, 'form.wp-approve button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.equal((await fx.api.get(`/api/v1/work-plans/${fx.wp}`)).json.status, 'submitted', 'one side is not enough');

  const js = fx.js.page;
  await visit(js, '/work-plans');
  await Promise.all([js.waitForNavigation(), js.click(`a[href="/work-plans/${fx.wp}"]`)]);
  res = await submit(js, 'form.wp-approve button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.equal(await js.locator('form.wp-approve').count(), 0, 'nothing left to approve');
  await checkPage(js, { lang: 'zh-Hans' });
  assert.equal((await fx.api.get(`/api/v1/work-plans/${fx.wp}`)).json.status, 'agreed');
  await visit(page, `/work-plans/${fx.wp}`);
  assert.match(await page.locator('.wp-state').textContent(), /双方已商定/);
  await screenshot(page, 'work-plan');
});

test('report, return with a comment, report again, accept; the dashboard moves', async () => {
  const before = await figures(fx.lead.page);
  assert.deepEqual([before.items, before.green, before.yellow, before.red, before.progress], [3, 2, 0, 1, 0]);

  // The clerk of 盤錦 finds the item on "my work" and reports it at risk, 40 %, one figure.
  const { page } = fx.pj;
  await visit(page, '/my');
  const mine = page.locator('table.work tbody tr', { hasText: TITLE });
  assert.match(await mine.textContent(), /尚未报告/);
  await Promise.all([page.waitForNavigation(), mine.locator('a[href$="/report"]').first().click()]);
  fx.item = Number(/\/items\/(\d+)\/report/.exec(page.url())[1]);
  assert.equal(await page.locator('h1').textContent(), TITLE);
  await page.check('input[name="status"][value="at_risk"]');
  await page.fill('#percent', '40');
  await page.fill('#narrative', '已組織兩次對接洽談，一個項目待簽約。');
  await page.fill('input[name="fig_name1"]', '簽約金額');
  await page.fill('input[name="fig_value1"]', '120000000');
  await page.fill('input[name="fig_unit1"]', '元');
  let res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('.notice').textContent(), '报告已提交，等待审核。');

  // The coordinator returns it with a comment.
  const lp = fx.ln.page;
  await visit(lp, '/my');
  assert.equal(await follow(lp, '审核'), '/reviews');
  const entry = lp.locator('article.review-entry', { hasText: TITLE });
  assert.match(await entry.textContent(), /120000000|120,000,000|1\.2亿|簽約金額/);
  await entry.locator('summary').click(); // the details and the review form, on demand
  await entry.locator('textarea[name="comment"]').fill('请写明待签约项目的名称。');
  res = await submit(lp, 'article.review-entry button[value="returned"]');
  assert.equal(await lp.locator('.notice').textContent(), '报告已退回。');

  // The clerk reads the comment and reports again; nothing has moved yet.
  await visit(page, '/my');
  assert.match(await mine.textContent(), /已退回/);
  await Promise.all([page.waitForNavigation(), mine.locator('a[href$="/report"]').first().click()]);
  assert.match(await page.locator('.reviewer-comment').first().textContent(), /请写明待签约项目的名称。/);
  await page.check('input[name="status"][value="at_risk"]');
  await page.fill('#percent', '50');
  await page.fill('#narrative', '待簽約項目：盤錦物聯網產業園二期。');
  res = await submit(page, '.report-form button[type="submit"]');
  assert.equal(new URL(page.url()).search, '?done=report');
  assert.deepEqual(await figures(fx.lead.page), before, 'a pending report moves nothing');

  // The coordinator accepts.
  await visit(lp, '/reviews');
  const again = lp.locator('article.review-entry', { hasText: TITLE });
  assert.match(await again.textContent(), /盤錦物聯網產業園二期/);
  await again.locator('summary').click();
  res = await submit(lp, 'article.review-entry button[value="accepted"]');
  assert.equal(new URL(lp.url()).search, '?done=accepted');
  const item = (await fx.api.get(`/api/v1/work-items/${fx.item}`)).json;
  assert.equal(item.reports.length, 2);

  // The leader's dashboard: one green became yellow (at risk), progress 50 % / 3 items.
  const after = await figures(fx.lead.page);
  assert.deepEqual([after.items, after.green, after.yellow, after.red], [3, before.green - 1, before.yellow + 1, before.red]);
  assert.equal(after.progress, Math.round(50 / 3));
  assert.ok(after.progress > before.progress);
  await visit(page, '/my');
  assert.match(await mine.textContent(), /已通过/);
});

test('screenshots of the dashboard, the task and the work plan', async () => {
  const { page } = fx.lead;
  await visit(page, `/pairings/${LJ}/dashboard`);
  await checkPage(page, { lang: 'zh-Hans' });
  await screenshot(page, 'dashboard');
  await screenshot(page, 'dashboard-phone', { viewport: PHONE });
  await visit(page, `/tasks/${fx.task.id}`);
  await checkPage(page, { lang: 'zh-Hans' });
  // The task page reads in the interface's script (the item was written in Traditional).
  assert.match(await page.locator('main').textContent(), /盘锦—无锡物联网产业对接（全流程）/);
  await screenshot(page, 'task');
});
