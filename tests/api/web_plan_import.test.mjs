// Plans uploaded in the browser (web/plan_import.c, service/plan_upload.c): an admin uploads a
// .docx or a PDF on /plans/import, sees what was read — key areas, tasks, city pairings, targets,
// every warning with its paragraph or page — and for a revision the tasks added, removed and
// reworded side by side; nothing is stored until the confirmation, a cancelled or confirmed
// preview is gone, a file that is not a plan is refused in the reader's language, others may
// not upload. The documents are made here from the seed (tests/cli/plan_docx.py,
// plan_pdf_cairo.py); the preview's expiry is in tests/unit/test_plan_upload.c.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, SEED, SRC } from './harness.mjs';
import { WebClient } from './web_client.mjs';

let server;
const b = {};
const dir = mkdtempSync(join(tmpdir(), 'duikou-plan-import-'));
const seed = readFileSync(SEED, 'utf8');
const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');
const sql = (q) => execFileSync('sqlite3', [server.db, q]).toString().trim();

// A document of the text: 'docx' (Word numbering), 'pdf' (Pango + cairo) or 'scan' (no text).
function document(kind, text, name) {
  const txt = join(dir, name + '.txt'), out = join(dir, name + (kind === 'docx' ? '.docx' : '.pdf'));
  writeFileSync(txt, text ?? '');
  const [script, args] = kind === 'docx' ? ['plan_docx.py', [txt, out]]
    : kind === 'pdf' ? ['plan_pdf_cairo.py', [txt, out]] : ['plan_pdf_cairo.py', ['--scan', out]];
  execFileSync('/usr/bin/python3', [join(SRC, 'tests/cli', script), ...args]);
  return readFileSync(out);
}

async function upload(client, bytes, name) {
  const fd = new FormData();
  fd.append('csrf_token', client.csrf);
  fd.append('file', new Blob([bytes]), name);
  const res = await fetch(`${server.base}/plans/import`, { method: 'POST', body: fd, redirect: 'manual',
    headers: { cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.base } });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

before(async () => {
  server = await startServer();
  b.admin = await WebClient.signIn(server.base, 'admin');
  await b.admin.get('/plans/import?lang=zh-Hans'); // the lang cookie: the pages in 简体
  b.ln_coord = await WebClient.signIn(server.base, 'ln_coord');
  b.api = await as(server, 'admin');
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('a revised plan as .docx: preview with places and changes, nothing stored until confirmed', async () => {
  let r = await b.admin.get('/plans/import');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /enctype="multipart\/form-data"/);
  assert.match(r.body, /accept="\.txt,\.docx,\.pdf/);

  // task 5 retitled, task 24 removed, as test_import.sh revises the text
  const revised = seed.replace('5.深化智庫合作。', '5.深化高端智庫合作。').replace(/^24\.搭建多層次合作平臺.*\n/m, '');
  const plans = sql('SELECT count(*) FROM plan'), audit = sql('SELECT count(*) FROM audit');
  r = await upload(b.admin, document('docx', revised, 'revised'), '修订方案.docx');
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const at = r.location;
  assert.match(at, /^\/plans\/import\/\d+$/);
  assert.equal(sql('SELECT count(*) FROM plan'), plans, 'nothing imported by the upload');
  assert.equal(sql('SELECT count(*) FROM audit'), audit, 'nothing audited by the upload');

  r = await b.admin.get(at);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /修订方案\.docx · Word 文档/);
  assert.match(r.body, /修订版：确认后成为第2版。/);
  assert.match(r.body, /<h4>\(一\)深化改革擴大開放<\/h4>/);
  assert.match(r.body, /<li value="5">深化高端智庫合作 <span class="meta">第\d+段<\/span><\/li>/);
  assert.match(r.body, /<td>盤錦市 — 無錫市<\/td><td>“互聯網\+”產業合作標桿<\/td><td class="num">7<\/td>/);
  assert.match(r.body, /<td>不少于50家企業<\/td>/);
  // the warning names its paragraph of the document, not a line of the text drawn from it
  assert.match(r.body, /<li class="warning"><strong>第43段<\/strong>：文字有损坏/);
  // the changes: 5 reworded side by side, 24 removed
  assert.match(r.body, /<tr class="change-reworded"><th scope="row">第5条<br><span class="meta">修改<\/span><\/th><td>深化<del><\/del>智庫合作。.*<td>深化<ins>高端<\/ins>智庫合作。/);
  assert.match(r.body, /<tr class="change-removed"><th scope="row">第24条/);
  assert.equal(sql('SELECT count(*) FROM plan'), plans, 'nothing imported by the preview');
  // the same page in Traditional and English
  assert.match((await b.admin.get(at + '?lang=zh-Hant')).body, /修訂版：確認後成為第2版。/);
  const en = (await b.admin.get(at + '?lang=en')).body;
  await b.admin.get('/plans/import?lang=zh-Hans');
  assert.match(en, /paragraph 43<\/strong>: Damaged text/, en.slice(en.indexOf('<main'), en.indexOf('<main') + 3000));

  // confirm: the new version is current, its page opens, the preview is gone
  const form = /<form method="post" action="(\/plans\/import\/\d+\/confirm)">/.exec(r.body);
  assert.ok(form, 'a confirm button');
  r = await b.admin.post(form[1], {});
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const id = Number(/^\/plans\/(\d+)$/.exec(r.location)[1]);
  const plan = (await b.api.get(`/api/v1/plans/${id}`)).json;
  assert.equal(plan.version, 2);
  const tasks = plan.areas.flatMap((a) => a.tasks);
  assert.equal(tasks.length, 23);
  assert.equal(tasks.find((t) => t.number === 5).title, '深化高端智庫合作');
  assert.equal(sql('SELECT count(*) FROM plan_upload'), '0');
  r = await b.admin.get(at);
  assert.equal(r.status, 404);
  assert.match(r.body, /此预览已不存在：已确认、已取消或已过期。/);
  assert.equal((await b.admin.post(form[1], {})).status, 404, 'no second confirmation');
});

test('a new plan as PDF: pages named; cancel stores nothing', async () => {
  // another pairing's plan: the seed's first plan under two other provinces
  const text = seed.replaceAll('遼寧省與江蘇省', '吉林省與浙江省');
  const plans = sql('SELECT count(*) FROM plan');
  let r = await upload(b.admin, document('pdf', text, 'new'), 'plan.pdf');
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const at = r.location;
  r = await b.admin.get(at);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /plan\.pdf · PDF/);
  assert.match(r.body, /<h2 id="plan-0">吉林省與浙江省對口合作實施方案<\/h2>\n<p class="notice" data-status="new">新方案：确认后导入。/);
  assert.match(r.body, /<dt>合作双方<\/dt><dd>吉林省 — 浙江省<\/dd>/);
  assert.match(r.body, /<strong>第\d+页<\/strong>：文字有损坏/);
  const cancel = /<form method="post" action="(\/plans\/import\/\d+\/cancel)">/.exec(r.body)[1];
  r = await b.admin.post(cancel, {});
  assert.equal(r.status, 303);
  assert.equal(r.location, '/plans/import');
  assert.equal(sql('SELECT count(*) FROM plan'), plans);
  assert.equal(sql('SELECT count(*) FROM plan_upload'), '0');
  assert.equal((await b.admin.get(at)).status, 404);
});

test('files that are not plans are refused in the reader\'s language; a cut text has no confirm', async () => {
  const uploads = sql('SELECT count(*) FROM plan_upload');
  let r = await upload(b.admin, document('scan', null, 'scan'), 'scan.pdf');
  assert.equal(r.status, 422);
  noBareIds(r.body);
  assert.match(r.body, /id="plan-file-error">此 PDF 没有文字层，可能是扫描件。</);
  r = await upload(b.admin, Buffer.from('PK\x03\x04 not a zip at all, only its first bytes'), 'plan.docx');
  assert.equal(r.status, 422);
  assert.match(r.body, /这不是有效的 Word 文档/);
  r = await upload(b.admin, Buffer.from('一段文字，不是方案。\n'), 'plan.txt');
  assert.equal(r.status, 422);
  assert.match(r.body, /文件中没有找到实施方案/);
  assert.equal(sql('SELECT count(*) FROM plan_upload'), uploads, 'nothing kept for a refused file');

  // a plan cut short: the preview shows the error with its line, and no confirm button
  r = await upload(b.admin, Buffer.from(seed).subarray(0, 20000), 'cut.txt');
  assert.equal(r.status, 303);
  r = await b.admin.get(r.location);
  assert.equal(r.status, 200);
  assert.match(r.body, /此文件有错误，不能导入/);
  assert.match(r.body, /<li class="error"><strong>第\d+行<\/strong>：方案不完整/);
  assert.doesNotMatch(r.body, /\/confirm"/);
});

test('only admins upload plans', async () => {
  assert.equal((await b.ln_coord.get('/plans/import')).status, 403);
  const r = await upload(b.ln_coord, Buffer.from(seed), 'plan.txt');
  assert.equal(r.status, 403);
});

test('the API: POST /api/v1/plan-uploads previews, confirm imports, DELETE forgets', async () => {
  const form = (bytes, name) => { const fd = new FormData(); fd.append('file', new Blob([bytes]), name); return fd; };
  // the seed as a .docx: the first plan's current version is the revision confirmed above, so
  // this is another; the second's is the text of the same .docx generator (confirmed above with
  // the first), so it is unchanged
  let r = await b.api.request('POST', '/api/v1/plan-uploads', { body: form(document('docx', seed, 'api'), 'seed.docx') });
  assert.equal(r.status, 200, r.body.slice(0, 300));
  const up = r.json;
  assert.equal(up.format, 'docx');
  assert.equal(up.errors, false);
  assert.equal(up.document.plans.length, 2);
  assert.deepEqual(up.document.plans.map((p) => p.task_count), [24, 27]);
  assert.deepEqual(up.results.map((x) => x.status), ['revised', 'unchanged']);
  const damaged = up.document.plans[0].warnings.find((w) => w.code === 'damaged_text');
  assert.equal(damaged.paragraph, 43);
  assert.equal((await b.api.get(`/api/v1/plan-uploads/${up.id}`)).json.sha256, up.sha256);
  assert.equal((await b.api.del(`/api/v1/plan-uploads/${up.id}`)).status, 204);
  assert.equal((await b.api.get(`/api/v1/plan-uploads/${up.id}`)).status, 404);

  // confirmed through the API: the plans as imported (the first goes back to the seed's text)
  r = await b.api.request('POST', '/api/v1/plan-uploads', { body: form(Buffer.from(seed.replaceAll('上海市與大連市', '天津市與甘肅省')), 'plan.txt') });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.results.map((x) => x.status), ['revised', 'new']);
  const ok = await b.api.request('POST', `/api/v1/plan-uploads/${r.json.id}/confirm`);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.json.plans[1].title, '天津市與甘肅省對口合作實施方案');
  assert.equal(ok.json.plans[1].status, 'new');
  assert.equal((await b.api.get(`/api/v1/plans/${ok.json.plans[1].id}`)).json.title, '天津市與甘肅省對口合作實施方案');

  // not a plan: 422 with the reason's code, nothing kept
  const waiting = sql('SELECT count(*) FROM plan_upload');
  r = await b.api.request('POST', '/api/v1/plan-uploads', { body: form(document('scan', null, 'api-scan'), 'scan.pdf') });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'err_plan_file_scanned_pdf');
  assert.equal(sql('SELECT count(*) FROM plan_upload'), waiting);
  const coord = await as(server, 'ln_coord');
  assert.equal((await coord.request('POST', '/api/v1/plan-uploads', { body: form(Buffer.from(seed), 'plan.txt') })).status, 403);
});
