// sqlmap (Debian) against every /api/v1 route of the routing table with a valid session:
// every path id, query parameter, JSON value and the cookie is tried (level 2, risk 1,
// boolean, error, union, stacked and time-based techniques for SQLite). It fails when
// sqlmap finds an injectable parameter, when the server answers any of its requests with
// 500, or when a route of the table has no entry here. Run by `make fuzz` (or alone:
// node tests/scan/sqlmap.mjs after `make build`); takes a few minutes.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, BIN } from '../api/harness.mjs';

const server = await startServer();
const out = mkdtempSync(join(tmpdir(), 'duikou-sqlmap-'));
const admin = await as(server, 'admin');
const ln = await as(server, 'ln_coord');
const plan = (await admin.get('/api/v1/plans/1')).json;
const task = plan.areas.flatMap((a) => a.tasks)[6].id;
const wp = (await ln.post('/api/v1/work-plans', { pairing_id: 1, year: 2026 })).json.id;
const item = (await ln.post(`/api/v1/work-plans/${wp}/items`, {
  title: '盤錦項目對接', owner_unit_id: server.units.panjin, due: '2026-12-20', task_id: task,
})).json.id;
const pj = await as(server, 'pj_member');
const report = (await pj.post(`/api/v1/work-items/${item}/reports`, {
  period: '2026-11', status: 'on_track', percent: 40, narrative: '進展正常',
})).json.id;
// The account edited by PATCH /users/{id} (an edit ends its sessions): one no scan signs in as.
const user = (await (await as(server, 'ly_member')).get('/api/v1/me')).json.user.id;
const unit = server.units.panjin;
// A notice of LJ, published (the publish sample answers 409 to every retry; withdraw and
// publish again alternate as sqlmap repeats them, which is fine: each is a valid request).
const notice = (await ln.post('/api/v1/notices', { title: '關於報送進展情況的通知', body: '各有關單位' })).json.id;
await ln.post(`/api/v1/notices/${notice}/publish`);
assert.ok(task && wp && item && report && user && notice, 'fixtures');

// route → [path with * after each id to inject, JSON body or null, login, more sqlmap
// arguments]. Query
// parameters are marked with * too. Every /api/v1 route must be here.
const SAMPLES = {
  'GET /api/v1/pairings': ['/api/v1/pairings'],
  'GET /api/v1/pairings/{id}': ['/api/v1/pairings/3*'],
  'GET /api/v1/plans': ['/api/v1/plans?all=1*'],
  'GET /api/v1/plans/{id}': ['/api/v1/plans/1*'],
  // A wrong sign-in answers 401 by design: sqlmap must not stop at it.
  'POST /api/v1/session': ['/api/v1/session', { login: 'nobody', password: 'wrong-password' },
    'admin', ['--ignore-code=401']],
  'DELETE /api/v1/session': ['/api/v1/session', null, 'dl_coord'],
  'GET /api/v1/me': ['/api/v1/me'],
  'PATCH /api/v1/me': ['/api/v1/me', { name: '管理員', language: 'zh-Hans' }],
  'POST /api/v1/me/password': ['/api/v1/me/password',
    { old_password: 'not-my-password', new_password: 'Another-long-pass-9' }, 'wx_member'],
  'GET /api/v1/me/sessions': ['/api/v1/me/sessions'],
  'POST /api/v1/me/sessions/revoke': ['/api/v1/me/sessions/revoke', null, 'dl_coord'],
  'GET /api/v1/units': ['/api/v1/units?pairing=1*&side=a*&after=0*&limit=10*'],
  'POST /api/v1/units': ['/api/v1/units',
    { pairing_id: 1, side: 0, name: '遼寧測試單位', kind: 'department', tier: 'execution' }],
  'GET /api/v1/units/{id}': [`/api/v1/units/${unit}*`],
  'PATCH /api/v1/units/{id}': [`/api/v1/units/${unit}*`, { name: '盤錦市人民政府' }],
  'GET /api/v1/users': [`/api/v1/users?unit=${unit}*&after=0*&limit=10*`],
  'POST /api/v1/users': ['/api/v1/users', { login: 'clerk-scan', role: 'member', unit_id: unit, name: '張' }],
  'GET /api/v1/users/{id}': [`/api/v1/users/${user}*`],
  'PATCH /api/v1/users/{id}': [`/api/v1/users/${user}*`, { name: '李', language: 'en' }],
  'GET /api/v1/tasks/{id}': [`/api/v1/tasks/${task}*`],
  'PUT /api/v1/tasks/{id}/assignments': [`/api/v1/tasks/${task}*/assignments`,
    { side: 0, lead_unit_id: unit, support_unit_ids: [] }],
  'GET /api/v1/work-plans': ['/api/v1/work-plans?pairing=1*'],
  'POST /api/v1/work-plans': ['/api/v1/work-plans', { pairing_id: 1, year: 2027 }],
  'GET /api/v1/work-plans/{id}': [`/api/v1/work-plans/${wp}*`],
  'POST /api/v1/work-plans/{id}/items': [`/api/v1/work-plans/${wp}*/items`,
    { title: '對接', owner_unit_id: unit, due: '2026-12-20', indicator: '項目數', target_value: '3' }],
  'POST /api/v1/work-plans/{id}/submit': [`/api/v1/work-plans/${wp}*/submit`, {}],
  'POST /api/v1/work-plans/{id}/approve': [`/api/v1/work-plans/${wp}*/approve`, { side: 0 }],
  'GET /api/v1/work-items/{id}': [`/api/v1/work-items/${item}*?after=0*&limit=5*`],
  'PATCH /api/v1/work-items/{id}': [`/api/v1/work-items/${item}*`,
    { title: '對接', owner_unit_id: unit, due: '2026-12-20' }],
  'DELETE /api/v1/work-items/{id}': [`/api/v1/work-items/${item}*`],
  'GET /api/v1/my/work-items': ['/api/v1/my/work-items?year=2026*&after=0*&limit=5*', null, 'pj_member'],
  'POST /api/v1/work-items/{id}/reports': [`/api/v1/work-items/${item}*/reports`,
    { period: '2026-10', status: 'on_track', percent: 50, narrative: '進展' }, 'pj_member'],
  'GET /api/v1/reports/{id}': [`/api/v1/reports/${report}*`],
  'GET /api/v1/reviews/pending': ['/api/v1/reviews/pending?after=0*&limit=5*', null, 'ln_coord'],
  'POST /api/v1/reports/{id}/review': [`/api/v1/reports/${report}*/review`,
    { decision: 'returned', comment: '請補充' }, 'ln_coord'],
  'GET /api/v1/lights': ['/api/v1/lights?pairing=1*&year=2026*'],
  'GET /api/v1/notices': ['/api/v1/notices?manage=0*&after=0*&limit=10*'],
  'GET /api/v1/notices/{id}': [`/api/v1/notices/${notice}*`],
  'POST /api/v1/notices': ['/api/v1/notices', { pairing_id: 1, title: '通知', body: '正文' }],
  'PATCH /api/v1/notices/{id}': [`/api/v1/notices/${notice}*`, { title: '通知', body: '正文' }],
  'POST /api/v1/notices/{id}/publish': [`/api/v1/notices/${notice}*/publish`],
  'POST /api/v1/notices/{id}/withdraw': [`/api/v1/notices/${notice}*/withdraw`],
  'GET /api/v1/audit': ['/api/v1/audit?actor=ln_coord*&action=report.submit*&object=1*&from=2026-01-01*&to=2026-12-31*&limit=5*'],
};

const table = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n')
  .map((l) => l.split(/\s+/)).filter(([, p]) => p.startsWith('/api/v1'))
  .map(([m, p]) => `${m} ${p}`);
const missing = table.filter((k) => !SAMPLES[k]);
assert.deepEqual(missing, [], 'routes without a sqlmap sample');

// Signs in, once more if the idle keep-alive connection node's fetch reused was closed by
// the server meanwhile (sqlmap runs for seconds between two sign-ins).
async function signIn(login) {
  try {
    return await as(server, login);
  } catch {
    return as(server, login);
  }
}

const found = [];
// One sqlmap per route, SQLMAP_JOBS at a time (each mostly waits on the server).
async function scan(key) {
  const [method] = key.split(' ');
  const [path, body, login = 'admin', extra = []] = SAMPLES[key];
  const c = await signIn(login); // fresh: some routes end the session
  const args = ['-u', server.base + path, '--method', method, '--batch', '--dbms=SQLite',
    '--level=2', '--risk=1', '--time-sec=1', '--flush-session', '--disable-coloring',
    '--output-dir', join(out, String(table.indexOf(key))), '--cookie', c.cookie,
    '--headers', `X-CSRF-Token: ${c.csrf}\nOrigin: ${server.base}`];
  if (body) args.push('--data', JSON.stringify(body));
  args.push(...extra);
  const log = await new Promise((resolve) => {
    let text = '';
    const p = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d) => { text += d; });
    p.stderr.on('data', (d) => { text += d; });
    p.on('close', () => resolve(text));
  });
  const injectable = /identified the following injection point|is vulnerable/.test(log);
  const errors = /500 \(Internal Server Error\)/.test(log);
  const tested = (log.match(/does not seem to be injectable/g) ?? []).length;
  console.log(`${key.padEnd(44)} parameters tested: ${tested}${injectable ? '  INJECTABLE' : ''}${errors ? '  500s' : ''}`);
  if (injectable || errors) found.push({ key, log: log.slice(-3000) });
}
const queue = [...table];
const jobs = Number(process.env.SQLMAP_JOBS ?? 4);
await Promise.all(Array.from({ length: jobs }, async () => {
  while (queue.length) await scan(queue.shift());
}));
await server.stop();
for (const f of found) console.log(`\n== ${f.key}\n${f.log}`);
assert.deepEqual(found.map((f) => f.key), [], 'sqlmap found something');
console.log(`sqlmap: ${table.length} routes, no injectable parameter, no 500`);
