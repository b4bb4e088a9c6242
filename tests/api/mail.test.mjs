// Notifications by e-mail (service/mail.c, http/mailer.c), delivered to a real SMTP server:
// Debian's python3-aiosmtpd (tests/mail/smtpd.py) on a free port, which writes every message
// it accepts to a directory, and answers 451 or 550 when the test asks it to. The server runs
// with --smtp; what arrived is read back: headers, the RFC 2047 subject, the base64 body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, BIN, LJ } from './harness.mjs';
import { thisYear, today } from './clock.mjs';

const YEAR = thisYear();
let server, smtp, inbox, smtpPort;
const fx = {};

function startSmtp(dir) {
  const proc = spawn('/usr/bin/python3', ['tests/mail/smtpd.py', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '', err = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => reject(new Error(`smtpd exited ${code}: ${err}`)));
  });
}

const messages = () => readdirSync(inbox).filter((f) => f.endsWith('.eml')).sort()
  .map((f) => parse(readFileSync(join(inbox, f), 'utf8')));

async function waitFor(fn, what, ms = 15000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const v = await fn();
    if (v) return v;
  }
  assert.fail(`timed out waiting for ${what}`);
}

// RFC 5322 headers (unfolded), the subject's RFC 2047 words decoded, the base64 body decoded.
function parse(raw) {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const words = headers.subject.replace(/\?=\s+=\?/g, '?==?');
  const subject = words.replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  const body = Buffer.from(raw.slice(at + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
  return { raw, headers, subject, body };
}

const outbox = async () => (await fx.admin.get('/api/v1/outbox')).json.mails;

before(async () => {
  inbox = mkdtempSync(join(tmpdir(), 'duikou-smtp-'));
  smtp = await startSmtp(inbox);
  smtpPort = smtp.port;
  server = await startServer({ args: ['--smtp', `smtp://127.0.0.1:${smtpPort}`, '--smtp-from', 'duikou@example.org',
    '--smtp-retry', '1', '--public-url', 'https://duikou.example.org/'] });
  fx.ln = await as(server, 'ln_coord');
  fx.pj = await as(server, 'pj_member');
  fx.ly = await as(server, 'ly_member');
  fx.admin = await as(server, 'admin');
  const wp = await fx.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const item = async (unit, title) => {
    const r = await fx.ln.post(`/api/v1/work-plans/${fx.wp}/items`, { owner_unit_id: unit, title, due: `${YEAR}-12-20` });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.itemP = await item(server.units.panjin, '盤錦郵件測試事項');
  fx.itemL = await item(server.units.liaoyang, '遼陽郵件測試事項');
});

after(async () => {
  await server?.stop();
  smtp?.proc.kill();
  rmSync(inbox, { recursive: true, force: true });
});

let period = 0;
// A report by c on item, returned by the coordinator with comment: a report_returned notification.
async function returned(c, item, comment) {
  period += 1;
  const r = await c.post(`/api/v1/work-items/${item}/reports`, {
    period: `${YEAR - 1}-${String(period).padStart(2, '0')}`, status: 'on_track', percent: 10, narrative: '郵件測試。',
  });
  assert.equal(r.status, 201, r.body);
  const v = await fx.ln.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'returned', comment });
  assert.equal(v.status, 201, v.body);
  return r.json.id;
}

test('one\'s address and choices: checked whole before anything is stored', async () => {
  const s = await fx.pj.get('/api/v1/me/mail');
  assert.equal(s.status, 200);
  assert.equal(s.json.email, null);
  assert.deepEqual(Object.values(s.json.channels), Array(10).fill('mail'));
  assert.ok('event_registration' in s.json.channels);
  assert.ok('project_stage' in s.json.channels && 'evaluation_step' in s.json.channels);
  assert.ok('review_waiting' in s.json.channels);
  let r = await fx.pj.patch('/api/v1/me/mail', { email: 'not an address' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'email');
  r = await fx.pj.patch('/api/v1/me/mail', { email: 'pj@example.org', channels: { report_due: 'fax' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'channels.report_due');
  r = await fx.pj.patch('/api/v1/me/mail', { channels: { report_overdue: 'mail' } });
  assert.equal(r.status, 422);
  assert.equal((await fx.pj.get('/api/v1/me/mail')).json.email, null, 'nothing stored');
  r = await fx.pj.patch('/api/v1/me/mail', { email: 'pj@example.org', channels: { report_due: 'inbox', plan_submitted: 'digest' } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.email, 'pj@example.org');
  assert.equal(r.json.channels.report_due, 'inbox');
  assert.equal(r.json.channels.plan_submitted, 'digest');
  assert.equal(r.json.channels.report_returned, 'mail');
  // the account page shows them, in a form
  const page = await fx.pj.get('/account');
  assert.match(page.body, /name="email"[^>]*value="pj@example.org"/);
  assert.match(page.body, /<select id="ch-report_due" name="report_due">[\s\S]*?<option value="inbox" selected>/);
  // audited: the choice, and the address with the account
  const audit = execFileSync(BIN, ['--db', server.db, 'audit', 'list', '--limit', '20'], { encoding: 'utf8' });
  assert.match(audit, /notification\.pref/);
});

test('a returned report is mailed to its author, in the author\'s language, with the link', async () => {
  assert.equal((await fx.pj.patch('/api/v1/me', { language: 'zh-Hant' })).status, 200);
  const before = messages().length;
  await returned(fx.pj, fx.itemP, '請補充簽約金額。');
  const m = await waitFor(() => messages()[before], 'the mail');
  assert.equal(m.headers.to, 'pj@example.org');
  assert.equal(m.headers['x-envelope-to'], 'pj@example.org');
  assert.equal(m.headers.from, 'duikou@example.org');
  assert.match(m.headers['message-id'], /^<duikou\.\d+\.\d+\.1@example\.org>$/);
  assert.match(m.headers.subject, /^=\?UTF-8\?B\?/, 'the subject in RFC 2047 words');
  assert.match(m.headers['content-type'], /text\/plain; charset=UTF-8/);
  assert.equal(m.headers['content-transfer-encoding'], 'base64');
  assert.ok(m.subject.startsWith('【對口合作】退回：「盤錦郵件測試事項」'), m.subject);
  assert.match(m.body, /請補充簽約金額。/);
  assert.ok(m.body.includes(`https://duikou.example.org/items/${fx.itemP}/report`), m.body);
  assert.match(m.body, /對口合作工作平台/, 'the footer, in Traditional Chinese');
  const sent = await waitFor(async () => (await outbox()).find((x) => x.state === 'sent'), 'sent');
  assert.equal(sent.address, 'pj@example.org');
  assert.equal(sent.kind, 'report_returned');
  assert.equal(sent.attempts, 1);
  assert.match(sent.answer, /^250/);
});

test('a 451 is tried again later; a 550 is failed at once with the server\'s answer', async () => {
  writeFileSync(join(inbox, 'refuse'), '2');
  const before = messages().length;
  await returned(fx.pj, fx.itemP, '第二次退回。');
  await waitFor(() => messages()[before], 'the mail, after two refusals');
  const m = (await outbox())[0];
  assert.equal(m.state, 'sent');
  assert.equal(m.attempts, 3);
  assert.equal(messages().length, before + 1, 'sent once');

  writeFileSync(join(inbox, 'reject'), '');
  await returned(fx.pj, fx.itemP, '第三次退回。');
  const failed = await waitFor(async () => (await outbox()).find((x) => x.state === 'failed'), 'the failure');
  assert.match(failed.answer, /550/);
  assert.equal(failed.attempts, 1);
  rmSync(join(inbox, 'reject'));
  const listed = await fx.admin.get('/api/v1/outbox?failed=1');
  assert.ok(listed.json.mails.every((x) => ['failed', 'no_address'].includes(x.state)));
  assert.equal((await fx.pj.get('/api/v1/outbox')).status, 403);
});

test('without an address, the inbox only (noted); inbox-only kinds queue no mail', async () => {
  await returned(fx.ly, fx.itemL, '遼陽請補充。');
  const m = (await outbox()).find((x) => x.login === 'ly_member');
  assert.equal(m.state, 'no_address');
  assert.equal(m.address, null);
  // ly chooses the inbox for returned reports: no mail row at all
  assert.equal((await fx.ly.patch('/api/v1/me/mail', { email: 'ly@example.org', channels: { report_returned: 'inbox' } })).status, 200);
  const n = (await outbox()).length;
  await returned(fx.ly, fx.itemL, '遼陽再補充。');
  assert.equal((await outbox()).length, n);
  const inboxList = await fx.ly.get('/api/v1/notifications');
  assert.ok(inboxList.json.notifications.some((x) => x.kind === 'report_returned'), 'still in the inbox');
});

test('the command line: bad settings refused; remind --smtp delivers a day\'s digest as one mail', async () => {
  const run = (args, env = {}) => {
    try {
      return { code: 0, out: execFileSync(BIN, ['--db', server.db, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }) };
    } catch (e) {
      return { code: e.status, out: e.stdout, err: e.stderr };
    }
  };
  let r = run(['remind', '--smtp', 'http://127.0.0.1:25', '--smtp-from', 'a@example.org']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /smtp:\/\/ or smtps:\/\//);
  r = run(['remind', '--smtp', `smtp://127.0.0.1:${smtpPort}`, '--smtp-from', 'nobody']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /--smtp-from/);
  r = run(['serve', '--smtp', 'ftp://x', '--smtp-from', 'a@example.org']);
  assert.notEqual(r.code, 0);

  // ly takes returned reports as a digest: two today, sent together the day after
  assert.equal((await fx.ly.patch('/api/v1/me/mail', { channels: { report_returned: 'digest' } })).status, 200);
  await returned(fx.ly, fx.itemL, '摘要一。');
  await returned(fx.ly, fx.itemL, '摘要二。');
  const digest = (await outbox()).filter((x) => x.login === 'ly_member' && x.digest);
  assert.equal(digest.length, 2);
  assert.ok(digest.every((x) => x.state === 'queued'), 'waits for tomorrow');
  const before = messages().length;
  // under faketime (Debian's libfaketime): noon of tomorrow in China (04:00 UTC) for this one
  // command — an absolute time, since a relative one would start from the real clock, not
  // from the clock this suite may itself run under (tests/time/at.sh)
  r = (() => {
    try {
      return { code: 0, out: execFileSync('faketime', ['-f', `@${today(1)} 04:00:00`, BIN, '--db', server.db, 'remind', '--smtp', `smtp://127.0.0.1:${smtpPort}`,
        '--smtp-from', 'duikou@example.org', '--public-url', 'https://duikou.example.org'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC', ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:verify_asan_link_order=0` } }) };
    } catch (e) { return { code: e.status, out: e.stdout, err: e.stderr }; }
  })();
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^mail \d+\tly@example.org\tsent\t250[^\t]*\tdigest\t/m);
  const got = messages().slice(before).filter((m) => m.headers.to === 'ly@example.org');
  assert.equal(got.length, 1, 'one message for the day');
  assert.match(got[0].subject, /今日提醒彙總：共 2 條|今日提醒汇总：共 2 条/);
  assert.match(got[0].body, /摘要一。/);
  assert.match(got[0].body, /摘要二。/);
  assert.ok((await outbox()).filter((x) => x.login === 'ly_member' && x.digest).every((x) => x.state === 'sent'));
  const list = run(['outbox', '--failed']);
  assert.equal(list.code, 0);
  assert.match(list.out, /\tfailed\tpj_member\tpj@example.org\treport_returned\tattempts 1\t.*550/);
});

test('kill -9 with mail queued: after the restart each arrives once; one cut off while sending is not sent again', async () => {
  // an SMTP server that is not there: the mails stay queued, tried again later
  const dead = server.serveArgs.indexOf(`smtp://127.0.0.1:${smtpPort}`);
  server.serveArgs[dead] = 'smtp://127.0.0.1:1';
  server.serveArgs[server.serveArgs.indexOf('--smtp-retry') + 1] = '3600';
  await server.kill9();
  await server.start(); // on another port: new clients
  fx.ln = await as(server, 'ln_coord');
  fx.pj = await as(server, 'pj_member');
  fx.admin = await as(server, 'admin');
  assert.equal((await fx.pj.patch('/api/v1/me/mail', { channels: { report_returned: 'mail' } })).status, 200);
  const before = messages().length;
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await returned(fx.pj, fx.itemP, `崩潰測試${i}。`));
  await waitFor(async () => (await outbox()).slice(0, 3).every((x) => x.state === 'queued' && x.attempts >= 1), 'three tried and queued');
  await server.kill9();
  // one more as if the crash came in the middle of its sending
  const victim = execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db,
    "SELECT id FROM mail WHERE state = 'queued' ORDER BY id DESC LIMIT 1"], { encoding: 'utf8' }).trim();
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, `UPDATE mail SET state = 'sending' WHERE id = ${victim}`]);
  server.serveArgs[server.serveArgs.indexOf('smtp://127.0.0.1:1')] = `smtp://127.0.0.1:${smtpPort}`;
  await server.start();
  fx.admin = await as(server, 'admin');
  await waitFor(() => messages().length >= before + 2, 'the two queued');
  await new Promise((r) => setTimeout(r, 3000)); // nothing more comes
  const got = messages().slice(before);
  assert.equal(got.length, 2, 'each once, the interrupted one not at all');
  assert.equal(new Set(got.map((m) => m.headers['message-id'])).size, 2);
  const mails = await outbox();
  const cut = mails.find((x) => String(x.id) === victim);
  assert.equal(cut.state, 'failed');
  assert.match(cut.answer, /interrupted/);
  assert.equal(mails.filter((x) => x.state === 'sent' && x.login === 'pj_member').length >= 3, true);
  assert.ok(existsSync(server.db));
});
