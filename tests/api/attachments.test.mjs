// Evidence files (附件): uploaded as multipart/form-data through the API and the project page;
// accepted by what the bytes are (libmagic), never by the name: a PDF and a PNG are kept, text
// and ZIP are refused (415), an empty file and a declared type the bytes are not are 422, a
// file over the limit 413 — each refusal storing nothing. Downloads are attachments with the
// stored type, for the object's readers only, and audited. `duikou check` verifies every file
// against its hash and finds a damaged one; `duikou backup` takes the files along.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, as } from './harness.mjs';
import { WebClient } from './web_client.mjs';

let server;
const c = {};
const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const ZIP = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);

function form(fields, file) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([file.bytes], { type: file.type ?? '' }), file.name);
  return fd;
}

before(async () => {
  server = await startServer({ args: ['--max-upload', '4'] }); // 4 KiB: the 413 case stays small
  for (const login of ['ln_coord', 'pj_member', 'ly_member', 'sh_coord', 'ln_leader'])
    c[login] = await as(server, login);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('upload by what the bytes are; refusals store nothing', async () => {
  const project = (await c.ln_coord.post('/api/v1/projects', { name: '附件测试项目',
    partners: [{ side: 0, unit_id: server.units.panjin }] })).json.id;
  const up = (who, fields, file) => c[who].request('POST', '/api/v1/attachments', { body: form(fields, file) });
  let r = await up('pj_member', { object: 'project', object_id: String(project) },
    { bytes: PDF, name: '签约合同.pdf', type: 'application/pdf' });
  assert.equal(r.status, 201, r.body);
  const pdf = r.json;
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.size, PDF.length);
  assert.match(pdf.sha256, /^[0-9a-f]{64}$/);
  assert.equal(pdf.filename, '签约合同.pdf');
  assert.equal(r.headers.get('location'), `/attachments/${pdf.id}`);
  // a PNG named .pdf is a PNG: the name says nothing
  r = await up('ln_coord', { object: 'project', object_id: String(project) }, { bytes: PNG, name: '照片.pdf' });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.type, 'image/png');

  const rows = () => sqlite('SELECT count(*) FROM attachment') + '|' + sqlite('SELECT count(*) FROM audit');
  const before = rows();
  const refusals = [
    [{ bytes: Buffer.from('plain words\n'), name: 'a.pdf' }, 415, 'err_attachment_type'],
    [{ bytes: ZIP, name: 'a.zip', type: 'application/zip' }, 415, 'err_attachment_type'],
    [{ bytes: Buffer.alloc(0), name: 'empty.pdf' }, 422, 'err_attachment_empty'],
    [{ bytes: PDF, name: 'a.png', type: 'image/png' }, 422, 'err_attachment_mismatch'],
    [{ bytes: Buffer.concat([PDF, Buffer.alloc(5000, 0x20)]), name: 'big.pdf', type: 'application/pdf' }, 413, null],
  ];
  for (const [file, status, code] of refusals) {
    r = await up('pj_member', { object: 'project', object_id: String(project) }, file);
    assert.equal(r.status, status, `${file.name}: ${r.body}`);
    if (code) assert.equal(r.json.error.code, code, file.name);
  }
  r = await up('pj_member', { object: 'project', object_id: String(project) }, null);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'file');
  r = await up('pj_member', { object: 'castle', object_id: '1' }, { bytes: PDF, name: 'a.pdf' });
  assert.equal(r.status, 422);
  // who takes no part may not add files
  assert.equal((await up('ly_member', { object: 'project', object_id: String(project) }, { bytes: PDF, name: 'a.pdf' })).status, 403);
  assert.equal((await up('ln_leader', { object: 'project', object_id: String(project) }, { bytes: PDF, name: 'a.pdf' })).status, 403);
  // a JSON route does not take files, a file route no JSON
  assert.equal((await c.ln_coord.request('POST', '/api/v1/projects', { body: form({ name: 'x' }) })).status, 415);
  assert.equal(rows(), before, 'nothing stored by a refusal');

  // the list, and the download: an attachment, its type, nosniff; readers only; audited
  r = await c.ln_leader.get(`/api/v1/attachments?object=project&object_id=${project}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.attachments.map((a) => a.type), ['application/pdf', 'image/png']);
  const res = await fetch(`${server.base}/attachments/${pdf.id}`, { headers: { cookie: c.ln_leader.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /^attachment; .*filename\*=UTF-8''%E7%AD%BE%E7%BA%A6%E5%90%88%E5%90%8C\.pdf$/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
  assert.equal(sqlite(`SELECT count(*) FROM audit WHERE action = 'attachment.download' AND entity_id = ${pdf.id}`), '1');
  // another pairing: not found, as a missing id (issue #10); the pairing's others: 403
  assert.equal((await c.sh_coord.get(`/attachments/${pdf.id}`)).status, 404);
  assert.equal((await c.ly_member.get(`/attachments/${pdf.id}`)).status, 403);
  assert.equal((await c.sh_coord.get(`/api/v1/attachments?object=project&object_id=${project}`)).status, 404);

  // through the project page's form
  const b = await WebClient.signIn(server.base, 'pj_member');
  const page = await b.get(`/projects/${project}`);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  const fd = form({ csrf_token: b.csrf }, { bytes: PNG, name: '现场照片.png', type: 'image/png' });
  let w = await fetch(`${server.base}/projects/${project}/attachments`, { method: 'POST', body: fd, redirect: 'manual',
    headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.base } });
  assert.equal(w.status, 303);
  assert.equal(w.headers.get('location'), `/projects/${project}?done=file#files`);
  assert.match((await b.get(`/projects/${project}`)).body, /现场照片\.png/);
  const fd2 = form({ csrf_token: b.csrf }, { bytes: Buffer.from('text'), name: 'a.txt', type: 'text/plain' });
  w = await fetch(`${server.base}/projects/${project}/attachments`, { method: 'POST', body: fd2, redirect: 'manual',
    headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.base } });
  assert.equal(w.status, 415);
  assert.match(await w.text(), /不接受该类型的文件/);
  // without the CSRF token: refused
  w = await fetch(`${server.base}/projects/${project}/attachments`, { method: 'POST', body: form({}, { bytes: PDF, name: 'a.pdf' }), redirect: 'manual',
    headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.base } });
  assert.equal(w.status, 403);
});

test('check verifies every file; backup takes them along', async () => {
  let out = server.cli(['check']);
  assert.match(out, /attachment files: ok, \d+ files?, every one matches its hash/);
  const dir = mkdtempSync(join(tmpdir(), 'duikou-backup-'));
  try {
    server.cli(['backup', join(dir, 'copy.db')]);
    assert.ok(existsSync(join(dir, 'copy.db.files')), 'the files directory beside the backup');
    const sha = sqlite('SELECT sha256 FROM attachment LIMIT 1');
    assert.ok(existsSync(join(dir, 'copy.db.files', sha.slice(0, 2), sha)));
    // damage one stored file: check names it and fails
    writeFileSync(join(`${server.db}.files`, sha.slice(0, 2), sha), 'tampered');
    let failed = false;
    try { server.cli(['check']); } catch (e) { failed = true; out = e.stdout; }
    assert.ok(failed, 'check fails');
    assert.match(out, new RegExp(`DAMAGED ${sha}`));
    assert.ok(readdirSync(join(dir, 'copy.db.files')).length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('only the routes that take files read a large multipart body', async () => {
  // 2 MiB of multipart to a JSON route: refused at the ordinary 1 MiB limit, not read whole
  const fd = form({ name: 'x' }, { bytes: Buffer.alloc(2 * 1024 * 1024, 0x41), name: 'big.pdf' });
  const r = await c.ln_coord.request('POST', '/api/v1/projects', { body: fd });
  assert.equal(r.status, 413);
});

test("a report with its file; a returned report's new version keeps or replaces them", async () => {
  const wp = await c.ln_coord.post('/api/v1/work-plans', { pairing_id: 1, year: Number((await c.ln_coord.get('/healthz')).json.today.slice(0, 4)) });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const due = (await c.ln_coord.get('/healthz')).json.today;
  const item = (await c.ln_coord.post(`/api/v1/work-plans/${wp.json.id}/items`, { title: '盤錦簽約項目', owner_unit_id: server.units.panjin, due })).json.id;
  const b = await WebClient.signIn(server.base, 'pj_member');
  const cookie = () => [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const send = (fields, file) => fetch(`${server.base}/items/${item}/report`, { method: 'POST', redirect: 'manual',
    body: form({ csrf_token: b.csrf, period: due.slice(0, 7), status: 'on_track', percent: '40', narrative: '签约两项。', ...fields }, file),
    headers: { cookie: cookie(), origin: server.base } });
  let page = await b.get(`/items/${item}/report`);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  // a refused file keeps the report out, and says why beside the field
  let w = await send({}, { bytes: Buffer.from('words'), name: 'a.txt', type: 'text/plain' });
  assert.equal(w.status, 415);
  const html = await w.text();
  assert.match(html, /id="file-error"[^>]*>不接受该类型的文件/);
  assert.match(html, />签约两项。<\/textarea>/);
  assert.equal((await c.pj_member.get(`/api/v1/work-items/${item}`)).json.latest_report?.id ?? null, null);
  w = await send({}, { bytes: PDF, name: '合同.pdf', type: 'application/pdf' });
  assert.equal(w.status, 303);
  const first = (await c.pj_member.get(`/api/v1/work-items/${item}`)).json.latest_report.id;
  let files = (await c.pj_member.get(`/api/v1/attachments?object=report&object_id=${first}`)).json.attachments;
  assert.deepEqual(files.map((f) => f.filename), ['合同.pdf']);
  assert.equal((await c.ln_coord.post(`/api/v1/reports/${first}/review`, { decision: 'returned', comment: '补充照片' })).status, 201);
  // the correction keeps the contract and adds the photo
  page = await b.get(`/items/${item}/report`);
  assert.match(page.body, /name="keep_files" type="checkbox" value="1" checked/);
  w = await send({ keep_files: '1', percent: '50' }, { bytes: PNG, name: '现场.png', type: 'image/png' });
  assert.equal(w.status, 303);
  const second = (await c.pj_member.get(`/api/v1/work-items/${item}`)).json.latest_report.id;
  assert.notEqual(second, first);
  files = (await c.ln_coord.get(`/api/v1/attachments?object=report&object_id=${second}`)).json.attachments;
  assert.deepEqual(files.map((f) => f.filename), ['合同.pdf', '现场.png']);
  assert.equal(files[0].sha256, (await c.ln_coord.get(`/api/v1/attachments?object=report&object_id=${first}`)).json.attachments[0].sha256);
  assert.equal((await c.sh_coord.get(`/api/v1/attachments?object=report&object_id=${second}`)).status, 404);
  // a member of another unit may not add files to this report
  const other = await c.ly_member.request('POST', '/api/v1/attachments', { body: form({ object: 'report', object_id: String(second) }, { bytes: PDF, name: 'x.pdf' }) });
  assert.equal(other.status, 403);
});

test('a progress update with its file, through the project page', async () => {
  const project = (await c.ln_coord.post('/api/v1/projects', { name: '进展附件项目',
    partners: [{ side: 0, unit_id: server.units.panjin }] })).json.id;
  const b = await WebClient.signIn(server.base, 'pj_member');
  const post = (file) => fetch(`${server.base}/projects/${project}/updates`, { method: 'POST', redirect: 'manual',
    body: form({ csrf_token: b.csrf, body: '厂房封顶。' }, file),
    headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.base } });
  let w = await post({ bytes: Buffer.from('words'), name: 'a.txt', type: 'text/plain' });
  assert.equal(w.status, 415);
  assert.match(await w.text(), /id="u-file-error"/);
  assert.equal((await c.ln_coord.get(`/api/v1/projects/${project}/updates`)).json.updates.length, 0, 'nothing stored');
  w = await post({ bytes: PNG, name: '封顶.png', type: 'image/png' });
  assert.equal(w.status, 303);
  const upd = (await c.ln_coord.get(`/api/v1/projects/${project}/updates`)).json.updates[0];
  const files = (await c.ln_leader.get(`/api/v1/attachments?object=project_update&object_id=${upd.id}`)).json.attachments;
  assert.deepEqual(files.map((f) => f.filename), ['封顶.png']);
  assert.match((await b.get(`/projects/${project}`)).body, /封顶\.png/);
});

test("files go with one's own pending update or report, not with reviewed ones", async () => {
  const project = (await c.ln_coord.post('/api/v1/projects', { name: '审核后附件项目',
    partners: [{ side: 0, unit_id: server.units.panjin }] })).json.id;
  const upd = (await c.pj_member.post(`/api/v1/projects/${project}/updates`, { body: '设备进场。' })).json.id;
  const up = (who, id) => c[who].request('POST', '/api/v1/attachments', { body: form({ object: 'project_update', object_id: String(id) }, { bytes: PDF, name: 'a.pdf' }) });
  assert.equal((await up('ln_coord', upd)).status, 403, 'not the author');
  assert.equal((await up('pj_member', upd)).status, 201);
  assert.equal((await c.ln_coord.post(`/api/v1/project-updates/${upd}/review`, { decision: 'accepted' })).status, 201);
  assert.equal((await up('pj_member', upd)).status, 409, 'a reviewed update does not change');
  // the public list says no more than the public fields
  await c.ln_coord.patch(`/api/v1/projects/${project}`, { public: true, region_code: '211100' },
    { headers: { 'if-match': (await c.ln_coord.get(`/api/v1/projects/${project}`)).headers.get('etag') } });
  const pub = (await fetch(`${server.base}/api/v1/projects`).then((r) => r.json())).projects.find((p) => p.id === project);
  assert.ok(pub);
  assert.equal(pub.region_code, undefined);
  assert.equal(pub.major, undefined);
});
