// Storage faults and bad clients, the short version that runs with make test (make faults runs
// the long ones: tests/faults/run.sh). The server runs with the fault-injecting VFS of
// src/store/fault_vfs.c, steered by a control file (DUIKOU_FAULTS): a full disk, I/O errors on
// read, write and fsync, and SQLite's allocator failing. Each failed request must answer 503
// with a clear message (a page for the HTML form), reads must keep working while the disk is
// full, nothing may be half-written, and the next request after the fault must succeed. Then a
// burst of malformed requests must get 4xx or a closed connection and leave the server alive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, as, Client } from './harness.mjs';

const ctl = join(mkdtempSync(join(tmpdir(), 'duikou-faults-')), 'faults');
writeFileSync(ctl, 'none\n');
// Set before the server (and the set-up CLI calls) start: they inherit it. With "none" in the
// control file the VFS passes everything through.
process.env.DUIKOU_FAULTS = ctl;
const inject = (what) => writeFileSync(ctl, what + '\n');

let server, coord, member, itemId;
// A Debug build has the fault VFS and says so on stderr at start; other builds skip.
const enabled = () => /fault injection enabled/.test(server.stderr());
const fx = {};

before(async () => {
  // One worker thread: every request meets the same connection, so "the next request" is
  // really the next one on the connection that failed.
  server = await startServer({ args: ['--threads', '1'] });
  coord = await as(server, 'ln_coord');
  const plan = await coord.get('/api/v1/plans/1');
  const task7 = plan.json.areas.flatMap((a) => a.tasks).find((t) => t.number === 7);
  const wp = await coord.post('/api/v1/work-plans', { pairing_id: 1, year: 2026 });
  assert.ok([200, 201].includes(wp.status), wp.body);
  const item = await coord.post(`/api/v1/work-plans/${wp.json.id}/items`, {
    task_id: task7.id, title: '盤錦—無錫產業合作年度推進', owner_unit_id: server.units.panjin,
    support: [], due: '2026-12-31', indicator: '簽約項目數', target_value: '5',
  });
  assert.equal(item.status, 201, item.body);
  itemId = item.json.id;
  // A bearer token: ?lang= answers with a lang cookie, which would replace a session cookie
  // in this simple client.
  member = new Client(server.base);
  member.bearer = server.cli(['token', 'create', '--login', 'pj_member']).match(/dk_[A-Za-z0-9_-]+/)[0];
  fx.web = await as(server, 'pj_member');
  fx.reader = await as(server, 'pj_member');
});

after(async () => {
  if (process.env.FAULTS_LOG) writeFileSync(process.env.FAULTS_LOG, server.stderr());
  inject('none');
  await server?.stop();
  rmSync(join(ctl, '..'), { recursive: true, force: true });
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();
const reportCount = () => Number(sqlite('SELECT count(*) FROM report'));
let serial = 0;
const postReport = (lang = 'zh-Hans') => member.post(`/api/v1/work-items/${itemId}/reports?lang=${lang}`, {
  period: '2026-11', status: 'on_track', percent: ++serial % 101,
  narrative: `第${serial}次填報。`, figures: [{ name: '參與企業數', value: serial }],
});
// The injected fault was met (the VFS logs its first injection under each mode).
const met = (mode) => assert.match(server.stderr(), new RegExp(`faults: injected ${mode} in`));

// Whole: integrity, the audit chain, and an audit row for every report.
function assertWhole() {
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok');
  assert.match(server.cli(['audit', 'verify']), /audit log intact/);
  assert.equal(sqlite("SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'report' AND a.entity_id = r.id)"), '0');
}

test('disk full: writes 503 with a clear message, reads keep working, writes resume', async (t) => {
  if (!enabled()) return t.skip('this build has no fault injection (not a Debug build)');
  let r = await postReport();
  assert.equal(r.status, 201, r.body);
  const before = reportCount();

  inject('full');
  r = await postReport('en');
  assert.equal(r.status, 503, r.body);
  assert.equal(r.json.error.code, 'err_disk_full');
  assert.match(r.json.error.message, /disk is full/);
  r = await postReport('zh-Hans');
  assert.equal(r.status, 503);
  assert.match(r.json.error.message, /磁盘已满/);
  // The HTML form gets a readable page in the person's language.
  r = await fx.web.request('POST', `/items/${itemId}/report?lang=zh-Hant`, {
    form: { period: '2026-11', status: 'on_track', percent: '30', narrative: '表單填報。' },
  });
  assert.equal(r.status, 503, r.body.slice(0, 300));
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.body, /磁碟已滿/);
  met('full');
  // Reads: public, signed in, and a page.
  r = await new Client(server.base).get('/api/v1/plans/1');
  assert.equal(r.status, 200);
  r = await member.get(`/api/v1/work-items/${itemId}`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.reports.length, before > 20 ? 20 : before);
  r = await fx.reader.get('/my');
  assert.equal(r.status, 200);
  assert.match(r.body, /盤錦—無錫產業合作年度推進/);
  // Signing in writes a session: it fails the same way.
  r = await new Client(server.base).login('ly_member');
  assert.equal(r.status, 503);
  assert.equal(r.json.error.code, 'err_disk_full');
  assert.equal(reportCount(), before, 'nothing written while the disk was full');

  inject('none');
  r = await postReport();
  assert.equal(r.status, 201, r.body);
  assert.equal(reportCount(), before + 1);
  assertWhole();
});

for (const mode of ['ioerr-write', 'ioerr-sync', 'nomem-write']) {
  test(`${mode} on a write: 503, rolled back, the next request succeeds`, async (t) => {
    if (!enabled()) return t.skip('no fault injection in this build');
    const before = reportCount();
    inject(mode);
    let r = await postReport('en');
    inject('none');
    assert.equal(r.status, 503, r.body);
    assert.ok(['err_storage', 'err_busy'].includes(r.json?.error?.code), r.body);
    met(mode);
    const afterFault = reportCount();
    // A failed fsync leaves it open whether the commit reached the disk (SQLite may find the
    // frames in the WAL); every other fault must leave nothing.
    if (mode === 'ioerr-sync') assert.ok(afterFault === before || afterFault === before + 1);
    else assert.equal(afterFault, before, 'the failed report was rolled back');
    r = await postReport();
    assert.equal(r.status, 201, r.body);
    // After a failed sync the next write is acknowledged only once a checkpoint has copied
    // the WAL into the database file (durable.c: a plain sync could hide the lost frames).
    if (mode === 'ioerr-sync') { // the log and the answer travel apart: wait for the line
      const heal = /the WAL is checkpointed and synced; writes are acknowledged again/;
      for (let i = 0; i < 50 && !heal.test(server.stderr()); i++) await new Promise((ok) => setTimeout(ok, 20));
      assert.match(server.stderr(), heal);
    }
    r = await member.get(`/api/v1/work-items/${itemId}`);
    assert.equal(r.status, 200);
    assert.equal(reportCount(), afterFault + 1);
    assertWhole();
  });
}

for (const mode of ['ioerr-read', 'nomem']) {
  test(`${mode} on a read: a clean 503, the next read succeeds`, async (t) => {
    if (!enabled()) return t.skip('no fault injection in this build');
    // Another process writes, so the server's page cache is stale and the read must go to
    // the file.
    server.cli(['token', 'create', '--login', 'ly_member']);
    inject(mode);
    let r = await member.get(`/api/v1/work-items/${itemId}`);
    inject('none');
    assert.equal(r.status, 503, r.body);
    assert.ok(['err_storage', 'err_busy'].includes(r.json?.error?.code), r.body);
    met(mode);
    r = await member.get(`/api/v1/work-items/${itemId}`);
    assert.equal(r.status, 200, r.body);
    r = await postReport();
    assert.equal(r.status, 201, r.body);
    assertWhole();
  });
}

// Sends raw bytes and returns the status line's code, or 0 when the server closed without one.
function raw(bytes, { port = new URL(server.base).port, wait = 3000 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1');
    let got = '';
    const done = () => { s.destroy(); const m = /^HTTP\/1\.[01] (\d{3})/.exec(got); resolve(m ? Number(m[1]) : 0); };
    s.setTimeout(wait, done);
    s.on('data', (d) => { got += d; if (/\r\n\r\n/.test(got)) done(); });
    s.on('error', done);
    s.on('close', done);
    s.write(bytes);
  });
}

test('a burst of bad requests gets 4xx or a closed connection, and the server lives on', async () => {
  const bad = [
    'GARBAGE\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    `GET /${'a'.repeat(100000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(200000)}\r\n\r\n`,
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"login":',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"login":"\xff\xfe"}',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    'DELETE /api/v1/plans/1 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /%00%ff/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/plans/99999999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  const junk = Array.from({ length: 20 }, () => Buffer.from(Array.from({ length: 512 }, () => Math.floor(Math.random() * 256))));
  const answers = await Promise.all([...bad.map((b) => raw(Buffer.from(b, 'latin1'))), ...junk.map((b) => raw(b))]);
  for (const [i, code] of answers.entries()) // 505: HTTP Version Not Supported
    assert.ok(code === 0 || (code >= 400 && code < 500) || (i === 1 && code === 505), `request ${i}: answered ${code}`);
  // JSON bodies that are not acceptable.
  const c = new Client(server.base);
  for (const body of ['{', '[]', '{"login":1}', '"\u0000"', '{"login":"a","password":"' + 'x'.repeat(2e6) + '"}']) {
    // The 2 MB one is read and dropped, then answered 413 (server.c: a reset connection
    // would lose the answer).
    const r = await c.post('/api/v1/session', body);
    if (body.length > 1e6) assert.equal(r.status, 413);
    else assert.ok(r.status >= 400 && r.status < 500, `${body.slice(0, 20)}: ${r.status}`);
  }
  const r = await new Client(server.base).get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(server.proc.exitCode, null, 'the server is alive');
});
