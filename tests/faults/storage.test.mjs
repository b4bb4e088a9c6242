// Storage faults under load (make faults): several clients post reports and read them while
// the fault-injecting VFS (src/store/fault_vfs.c, DUIKOU_FAULTS) turns a fault on at a random
// moment and off again, FAULT_ROUNDS times, cycling through a full disk, I/O errors on read,
// write and fsync, and failing allocations. Every answer must be 200/201 or a clean 503 with
// a storage message; after each fault a write and a read must succeed again; at the end every
// report answered 201 is stored, none answered "disk full" is, every stored report is whole
// (its figure and its audit row), integrity_check is ok and the audit chain verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, Client } from '../api/harness.mjs';

const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 60);
const CLIENTS = 6;
const MODES = ['full', 'ioerr-write', 'ioerr-sync', 'nomem-write', 'ioerr-read', 'nomem'];

const dir = mkdtempSync(join(tmpdir(), 'duikou-faults-'));
const ctl = join(dir, 'faults');
writeFileSync(ctl, 'none\n');
process.env.DUIKOU_FAULTS = ctl;
const inject = (what) => writeFileSync(ctl, what + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server, itemId, token;

before(async () => {
  server = await startServer();
  const coord = await as(server, 'ln_coord');
  const wp = await coord.post('/api/v1/work-plans', { pairing_id: 1, year: 2026 });
  const item = await coord.post(`/api/v1/work-plans/${wp.json.id}/items`, {
    title: '盤錦—無錫產業合作年度推進', owner_unit_id: server.units.panjin,
    due: '2026-12-31', indicator: '簽約項目數', target_value: '5',
  });
  assert.equal(item.status, 201, item.body);
  itemId = item.json.id;
  token = server.cli(['token', 'create', '--login', 'pj_member']).match(/dk_[A-Za-z0-9_-]+/)[0];
});

after(async () => {
  inject('none');
  if (process.env.FAULTS_LOG) writeFileSync(process.env.FAULTS_LOG, server?.stderr() ?? '');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sqlite = (sql) => execFileSync('sqlite3', [server.db, sql], { encoding: 'utf8' }).trim();

test(`${ROUNDS} rounds of storage faults under concurrent writes and reads`, async (t) => {
  if (!/fault injection enabled/.test(server.stderr()))
    return t.skip('this build has no fault injection (configure a Debug build)');
  const acknowledged = new Set();
  const refusedFull = []; // narratives answered 503 err_disk_full: must not be stored
  const counts = {};
  for (const m of MODES) counts[m] = { posts: 0, created: 0, s503: 0, reads: 0, read503: 0 };
  let serial = 0;
  let worst = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const mode = MODES[round % MODES.length];
    const k = counts[mode];
    let stop = false;
    const worker = async (w) => {
      const c = new Client(server.base);
      c.bearer = token;
      for (let i = 0; !stop; i++) {
        const t0 = performance.now();
        if ((i + w) % 3 === 2) {
          const r = await c.get(`/api/v1/work-items/${itemId}?limit=5`);
          k.reads++;
          if (r.status === 503) k.read503++;
          else assert.equal(r.status, 200, `${mode}: read ${r.status} ${r.body}`);
        } else {
          const n = ++serial;
          const narrative = `第${n}次填報。`;
          const r = await c.post(`/api/v1/work-items/${itemId}/reports`, {
            period: '2026-11', status: 'on_track', percent: n % 101, narrative,
            figures: [{ name: '參與企業數', value: n }],
          });
          k.posts++;
          if (r.status === 201) { acknowledged.add(r.json.id); k.created++; }
          else {
            assert.equal(r.status, 503, `${mode}: post ${r.status} ${r.body}`);
            assert.ok(['err_disk_full', 'err_storage'].includes(r.json?.error?.code), r.body);
            k.s503++;
            if (r.json.error.code === 'err_disk_full') refusedFull.push(narrative);
          }
        }
        worst = Math.max(worst, performance.now() - t0);
      }
    };
    const workers = Array.from({ length: CLIENTS }, (_, w) => worker(w));
    await sleep(20 + Math.random() * 80);
    inject(mode);
    await sleep(50 + Math.random() * 150);
    inject('none');
    stop = true;
    await Promise.all(workers);
    // Space is back, the fault is gone: a write and a read succeed at once.
    const c = new Client(server.base);
    c.bearer = token;
    const r = await c.post(`/api/v1/work-items/${itemId}/reports`, {
      period: '2026-11', status: 'on_track', percent: 1, narrative: `第${++serial}次填報（恢復後）。`,
      figures: [{ name: '參與企業數', value: 1 }],
    });
    assert.equal(r.status, 201, `after ${mode}: ${r.body}`);
    acknowledged.add(r.json.id);
    assert.equal((await c.get(`/api/v1/work-items/${itemId}?limit=5`)).status, 200);
  }

  for (const m of MODES) {
    const k = counts[m];
    t.diagnostic(`${m}: ${k.posts} posts, ${k.created} created, ${k.s503} answered 503; ` +
      `${k.reads} reads, ${k.read503} answered 503`);
    assert.ok(k.s503 + k.read503 > 0, `${m}: the fault was never met`);
  }
  t.diagnostic(`slowest answer ${worst.toFixed(0)} ms; ${acknowledged.size} reports acknowledged`);

  const stored = new Set(sqlite('SELECT id FROM report').split('\n').filter(Boolean).map(Number));
  const lost = [...acknowledged].filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], 'acknowledged reports missing');
  const narratives = new Set(sqlite('SELECT narrative FROM report').split('\n'));
  const leaked = refusedFull.filter((n) => narratives.has(n));
  assert.deepEqual(leaked, [], 'a report answered "disk full" was stored');
  t.diagnostic(`${refusedFull.length} posts refused for a full disk, none stored`);
  assert.equal(sqlite('SELECT count(*) FROM report r WHERE (SELECT count(*) FROM report_figure f WHERE f.report_id = r.id) <> 1'), '0', 'a report without its figure');
  assert.equal(sqlite("SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'report' AND a.entity_id = r.id)"), '0', 'a report without its audit row');
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok');
  assert.match(server.cli(['audit', 'verify']), /audit log intact/);
  assert.doesNotMatch(server.stderr(), /AddressSanitizer|LeakSanitizer|runtime error:/);
});
