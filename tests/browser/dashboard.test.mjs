// The dashboard as a leader meets it (issue 15, findings 2 and 3), measured in Chromium on a
// year of 50 items across the units of 遼寧–江蘇, 12 of them overdue:
//   - at 1366×900 the first late item, with its owner unit and whom to ask, is on the first
//     screen (the bottom of its row above y = 900) and so are at least three of them;
//   - every count links to its items (tests/api/web_dashboard.test.mjs checks the lists);
//   - the printed page (Chromium's PDF, A4 portrait by the stylesheet) is one page;
//   - the four lights stay apart in greyscale: their fills differ by 30 or more of 255 in
//     luminance and red is hatched as well;
//   - at 390×844 every table is labelled rows (each number says what it is) and nothing
//     scrolls sideways; axe finds nothing on the dashboard and the items list, in three
//     languages, at both widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSite, visit, sweep, checkReflow, screenshot, as, today, LJ, PHONE, SHOTS } from './browser.mjs';

const WIDE = { width: 1366, height: 900 };
let site;
const PAGE = `/pairings/${LJ}/dashboard`;

before(async () => {
  site = await openSite();
  const { server } = site;
  const [ln, js] = await Promise.all([as(server, 'ln_coord'), as(server, 'js_coord')]);
  const year = Number(today().slice(0, 4));
  const wp = await ln.post('/api/v1/work-plans', { pairing_id: LJ, year });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const plan = await ln.get('/api/v1/plans/1');
  const tasks = plan.json.areas.flatMap((a) => a.tasks.map((t) => t.id));
  const owners = [server.units.panjin, server.units.liaoyang, server.units.wuxi, server.units.ln_office];
  for (let i = 0; i < 50; i++) {
    // 12 overdue (1 to 45 days), 8 due within the week, the rest later in the year
    const due = i < 12 ? today(-1 - i * 4) : i < 20 ? today(i - 11) : today(30 + i);
    // each side arranges its own units' items
    const r = await (owners[i % 4] === server.units.wuxi ? js : ln).post(`/api/v1/work-plans/${wp.json.id}/items`, {
      title: `第${i + 1}项：${['產業園區共建', '人才互派交流', '港口物流合作', '科技成果轉化'][i % 4]}推進事項`,
      owner_unit_id: owners[i % 4], due, task_id: tasks[i % tasks.length],
    });
    assert.equal(r.status, 201, r.body);
  }
});

after(async () => { await site?.close(); });

test('at 1366×900 the late items, their units and people are on the first screen', async () => {
  const { page, context } = await site.as('ln_leader', { viewport: WIDE });
  await visit(page, PAGE);
  const rows = await page.evaluate(() => [...document.querySelectorAll('.dash-overdue tbody tr')].map((tr) => ({
    bottom: tr.getBoundingClientRect().bottom,
    cells: [...tr.cells].map((c) => c.textContent.trim()),
  })));
  assert.ok(rows.length >= 3, `${rows.length} late rows`);
  assert.ok(rows[0].bottom < 900, `the first late item ends at y = ${Math.round(rows[0].bottom)}`);
  const visible = rows.filter((r) => r.bottom < 900).length;
  assert.ok(visible >= 3, `${visible} late items on the first screen`);
  // most overdue first, with owner unit and a person to ask
  assert.match(rows[0].cells[0], /^第12项/);
  assert.ok(rows[0].cells[1].length > 0 && rows[0].cells[2].length > 0 && rows[0].cells[2] !== '—', rows[0].cells.join(' | '));
  assert.match(rows[0].cells[4], /^逾期45天$/);
  // "红灯 n" and "逾期事项 n" are links to their lists
  assert.equal(await page.locator('.fig-red dd a').count(), 1);
  assert.equal(await page.locator('.fig-overdue dd a').textContent(), '12');
  await screenshot(page, 'dashboard-1366', { fullPage: false });
  await context.close();
});

test('the dashboard of a 50-item year prints on one A4 page', async () => {
  const { page, context } = await site.as('ln_leader', { viewport: WIDE });
  await visit(page, PAGE);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, 'dashboard.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  assert.equal(pages, 1, `printed on ${pages} pages`);
  // A4 portrait: the page box is 595 × 842 points
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  assert.ok(box && Math.abs(box[1] - 595) < 2 && Math.abs(box[2] - 842) < 2, `page box ${box?.[0]}`);
  await context.close();
});

test('the lights stay apart in greyscale', async () => {
  const { page, context } = await site.as('ln_leader', { viewport: WIDE });
  await visit(page, PAGE);
  const fills = await page.evaluate(() => [...document.querySelectorAll('.dash-summary .legend li')].map((li) => ({
    name: li.textContent.trim(), fill: li.querySelector('rect').getAttribute('fill'),
  })));
  assert.equal(fills.length, 4);
  const grey = (hex) => {
    const n = parseInt(hex.slice(1), 16);
    return 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  };
  for (let i = 0; i < fills.length; i++)
    for (let k = i + 1; k < fills.length; k++)
      assert.ok(Math.abs(grey(fills[i].fill) - grey(fills[k].fill)) >= 30,
        `${fills[i].name} ${fills[i].fill} and ${fills[k].name} ${fills[k].fill} look alike in grey`);
  // red's part of the bar is hatched: white lines over it
  assert.ok(await page.locator('svg.dash-bar line').count() > 0, 'red is hatched');
  await context.close();
});

test('on a phone every table is labelled rows and nothing scrolls sideways', async () => {
  const { page, context } = await site.as('ln_leader', { viewport: PHONE });
  for (const path of [PAGE, `/pairings/${LJ}/items?overdue=1`, `/pairings/${LJ}/items?light=red`]) {
    await visit(page, path);
    await checkReflow(page);
    const bare = await page.evaluate(() => {
      const out = [];
      for (const table of document.querySelectorAll('main table')) {
        if (table.offsetParent === null) continue;
        const head = table.tHead;
        if (head && getComputedStyle(head).display !== 'none') out.push(`${table.className}: a header row that is a column of its own`);
        for (const tr of table.tBodies[0]?.rows ?? []) {
          [...tr.cells].forEach((td, i) => {
            if (td.tagName !== 'TD' || td.offsetParent === null || i === 0) return; // the row's own name
            const label = getComputedStyle(td, '::before').content;
            if (!label || label === 'none' || label === 'normal' || label === '""')
              out.push(`${table.className}: "${td.textContent.trim()}" without a label`);
          });
        }
      }
      return out;
    });
    assert.deepEqual(bare, [], path);
  }
  await visit(page, PAGE);
  await screenshot(page, 'dashboard-phone');
  await context.close();
});

test('axe and translations: the dashboard and the items list, three languages, two widths', async () => {
  for (const viewport of [WIDE, PHONE]) {
    const { page, context } = await site.as('ln_leader', { viewport });
    await sweep(page, PAGE);
    await sweep(page, `/pairings/${LJ}/items?overdue=1`);
    await context.close();
  }
});
