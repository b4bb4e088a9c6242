// The reports import in a real browser (docs/imports.md): a clerk of 盤錦 uploads a sheet on
// /my, sees its rows with the errors beside them (in each language, accessible), uploads the
// corrected sheet and commits it; the result says how many reports were new.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSite, seedWork, visit, submit, checkPage, sweep, screenshot, today } from './browser.mjs';
import { makeXlsx } from '../api/xlsx.mjs';

let site;
const fx = {};
const dir = mkdtempSync(join(tmpdir(), 'duikou-import-browser-'));
const HEAD = ['事项编号', '报告期', '状态', '完成比例', '进展情况', '签约金额（元）'];

before(async () => {
  site = await openSite();
  Object.assign(fx, await seedWork(site.server));
  const period = today().slice(0, 7);
  writeFileSync(join(dir, 'bad.xlsx'), makeXlsx([['盘锦市 进展填报表'], HEAD,
    [fx.item, period, '正常推进', 60, '已与无锡两家企业洽谈。', 3000000],
    [fx.late, period, '很好', 130, '港口合作推进中。'],
    [fx.item, period, '正常推进', 60, '重复的一行。']], { merge: 'A1:F1' }));
  writeFileSync(join(dir, 'good.xlsx'), makeXlsx([['盘锦市 进展填报表'], HEAD,
    [fx.item, period, '正常推进', 60, '已与无锡两家企业洽谈。', 3000000],
    [fx.late, period, '进度滞后', 30, '港口合作推进中。']], { merge: 'A1:F1' }));
});

after(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('upload on /my, errors beside their rows, then the corrected sheet committed', async () => {
  const { page } = await site.as('pj_member');
  await visit(page, '/my');
  await page.setInputFiles('#import-file', join(dir, 'bad.xlsx'));
  const res = await submit(page, 'section.import button[type=submit]');
  assert.equal(res.status(), 200);
  assert.match(page.url(), /\/imports\/\d+$/);
  const bad = page.url();
  const rows = page.locator('table.import-rows tbody tr.has-error');
  assert.equal(await rows.count(), 2);
  const text = await page.locator('table.import-rows').innerText();
  assert.match(text, /状态应为/);
  assert.match(text, /与第 3 行重复/);
  assert.equal(await page.locator('form[action$="/commit"]').count(), 0);
  await screenshot(page, 'import-preview-errors');
  await sweep(page, new URL(bad).pathname);

  await visit(page, '/my');
  await page.setInputFiles('#import-file', join(dir, 'good.xlsx'));
  await submit(page, 'section.import button[type=submit]');
  await checkPage(page, { lang: 'zh-Hans' });
  const done = await submit(page, 'form[action$="/commit"] button');
  assert.equal(done.status(), 200);
  assert.match(await page.locator('main').innerText(), /新增 2 份报告/);
  await screenshot(page, 'import-committed');
});
