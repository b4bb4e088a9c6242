// Power loss: the kill -9 test (crash.test.mjs) keeps the kernel's page cache, so it shows
// that a report is answered after its commit, not after its fsync. Here the fault-injecting
// VFS holds every write until it is synced ("powerloss", src/store/fault_vfs.c) and cuts the
// power at a chosen operation: whatever was not synced is lost, in whole or torn at 512-byte
// sectors. Six clients post reports (the 201 path: report, figure and audit row in one
// transaction, group commit before the answer) through POWER_CUTS cuts (20; 200 in make
// faults); after each the database is reopened through the normal path and every report
// answered 201 so far must be there, integrity_check ok, the audit chain intact. The cuts
// rotate over where they land: a write of the WAL (inside a commit, or between a commit and
// its sync), just before a sync, a write of the database file (inside a checkpoint), any
// write. POWER_SEED replays a run's cut points and tears; POWER_VERBOSE=1 prints each cut.
// Last, a disk that ignores fsync ("lie") must be caught losing acknowledged reports: the
// test of the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync as write } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, Client } from './harness.mjs';

const CUTS = Number(process.env.POWER_CUTS ?? 20);
const SEED = Number(process.env.POWER_SEED ?? Math.floor(Math.random() * 1e9));
const CLIENTS = 6;
const CUT_EXIT = 86; // fault_vfs.c PL_EXIT
// Where a cut lands, and how many operations of that kind after arming (at most).
const KINDS = [['wal', 400], ['sync', 40], ['db', 60], ['write', 600]];

const ctlDir = mkdtempSync(join(tmpdir(), 'duikou-powerctl-'));
const ctl = join(ctlDir, 'control');
// Replaced whole (a new file renamed over it): the server never reads it half-written.
const writeFileSync = (path, text) => { write(path + '.new', text); renameSync(path + '.new', path); };
writeFileSync(ctl, 'none\n');
process.env.DUIKOU_FAULTS = ctl; // the servers and the CLI read it

// xorshift, so POWER_SEED replays the run's choices.
let rng = BigInt(SEED) * 0x9E3779B97F4A7C15n | 1n;
const random = (n) => {
  const m = (1n << 64n) - 1n;
  rng ^= (rng << 13n) & m; rng ^= rng >> 7n; rng ^= (rng << 17n) & m;
  return Number(rng % BigInt(n));
};

let server;
let itemId;
let token;

before(async () => {
  server = await startServer();
  const coord = await as(server, 'ln_coord');
  const plan = await coord.get('/api/v1/plans/1');
  const task7 = plan.json.areas.flatMap((a) => a.tasks).find((t) => t.number === 7);
  const wp = await coord.post('/api/v1/work-plans', { pairing_id: 1, year: 2026 });
  assert.ok(wp.status === 201 || wp.status === 200, wp.body);
  const item = await coord.post(`/api/v1/work-plans/${wp.json.id}/items`, {
    task_id: task7.id, title: '盤錦—無錫“互聯網+”產業合作標桿年度推進', owner_unit_id: server.units.panjin,
    support: [], due: '2026-12-31', indicator: '簽約項目數', target_value: '5',
  });
  assert.equal(item.status, 201, item.body);
  itemId = item.json.id;
  token = server.cli(['token', 'create', '--login', 'pj_member']).match(/dk_[A-Za-z0-9_-]+/)[0];
  await server.kill9(); // under "none": the kernel keeps it all, as a clean disk would
});

after(async () => {
  writeFileSync(ctl, 'none\n');
  await server?.stop();
  rmSync(ctlDir, { recursive: true, force: true });
});

const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();

let serial = 0;

// One cycle: a server with the power-loss VFS, six clients posting, the cut armed after a
// moment with `arm` (the control file's arguments). Resolves the reports answered 201, how
// the server ended and its line about the cut.
async function cycle(arm, { waitForAcks = 0, lie = false } = {}) {
  writeFileSync(ctl, lie ? 'powerloss lie\n' : 'powerloss\n');
  await server.start();
  const proc = server.proc;
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const acked = [];
  let stop = false;
  const worker = async () => {
    const c = new Client(server.base);
    c.bearer = token;
    while (!stop) {
      const n = ++serial;
      try {
        const r = await c.post(`/api/v1/work-items/${itemId}/reports`, {
          period: '2026-11', status: 'on_track', percent: n % 101,
          narrative: `第${n}次填報：項目推進順利。`, figures: [{ name: '參與企業數', value: n }],
        });
        if (r.status === 201) acked.push(r.json.id);
        else if (r.status !== 503) assert.fail(`unexpected ${r.status}: ${r.body}`);
      } catch (e) {
        // The power went: a refused, reset or cut connection. Anything else is a failure.
        if (!/fetch failed|ECONNRESET|ECONNREFUSED|EPIPE|socket|other side closed/i.test(
          String(e?.cause?.code ?? '') + String(e?.cause ?? e))) throw e;
        break;
      }
    }
  };
  const workers = Array.from({ length: CLIENTS }, worker);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 20 + random(150)));
  while (acked.length < waitForAcks && Date.now() - t0 < 10000)
    await new Promise((r) => setTimeout(r, 10));
  writeFileSync(ctl, `powerloss ${arm}${lie ? ' lie' : ''}\n`);
  // A cut that is never reached (no checkpoint came): the process ends anyway, by SIGKILL,
  // which under this VFS is a cut that loses everything held.
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30000);
  const end = await exited;
  clearTimeout(timer);
  stop = true;
  await Promise.all(workers);
  writeFileSync(ctl, 'none\n');
  const line = /faults: power cut at [^\n]*/.exec(stderr)?.[0] ?? '';
  return { acked, ...end, line };
}

// After a cut: open the database through the normal path (duikou's own db_open, which runs
// SQLite's recovery of the WAL) and check it. Resolves the acknowledged reports not found.
function check(acknowledged, what) {
  const verify = server.cli(['audit', 'verify']);
  assert.match(verify, /audit log intact/, `${what}: ${verify}`);
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok', what);
  const unaudited = sqlite("SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'report' AND a.entity_id = r.id)");
  assert.equal(unaudited, '0', `${what}: a report without its audit row`);
  const stored = new Set(sqlite('SELECT id FROM report').split('\n').filter(Boolean).map(Number));
  return [...acknowledged].filter((id) => !stored.has(id));
}

test(`acknowledged reports survive ${CUTS} power cuts (POWER_SEED=${SEED})`, async (t) => {
  const acknowledged = new Set();
  const t0 = Date.now();
  const landed = { wal: 0, sync: 0, db: 0, write: 0 };
  let torn = 0, killed = 0;
  for (let i = 0; i < CUTS; i++) {
    const [kind, most] = KINDS[i % KINDS.length];
    const arm = `${kind} ${1 + random(most)} ${random(1e9)}`;
    const r = await cycle(arm);
    for (const id of r.acked) acknowledged.add(id);
    const what = `cut ${i + 1} (powerloss ${arm}): ${r.line || `ended ${r.code ?? r.signal}`}`;
    if (r.code === CUT_EXIT) {
      assert.match(r.line, /power cut at/, what);
      landed[kind]++;
      if (/torn/.test(r.line)) torn++;
    } else {
      assert.equal(r.signal, 'SIGKILL', what);
      killed++;
    }
    if (process.env.POWER_VERBOSE) t.diagnostic(what);
    const lost = check(acknowledged, what);
    assert.deepEqual(lost, [], `${what}: acknowledged reports lost`);
  }
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  t.diagnostic(`${CUTS} power cuts in ${s} s: ${acknowledged.size} reports acknowledged, 0 lost; ` +
    `cut at a WAL write ${landed.wal}, before a sync ${landed.sync}, in a checkpoint ${landed.db}, ` +
    `at any write ${landed.write}; ${torn} torn; ${killed} by SIGKILL (the cut point not reached)`);
  assert.ok(acknowledged.size > CUTS, `only ${acknowledged.size} reports were acknowledged`);
  // Every kind of cut happened (the `db` ones in the checkpoints the server runs at 1,000
  // pages of WAL).
  if (CUTS >= KINDS.length)
    for (const [k] of KINDS) assert.ok(landed[k] > 0, `no cut at ${k}`);
});

test('a disk that ignores fsync loses acknowledged reports, and the check sees it', async () => {
  const r = await cycle(`write 1 ${random(1e9)}`, { waitForAcks: 5, lie: true });
  assert.equal(r.code, CUT_EXIT, r.line);
  assert.ok(r.acked.length >= 5, `only ${r.acked.length} acknowledged`);
  const lost = check(new Set(r.acked), 'lie');
  assert.deepEqual(lost, r.acked, 'a lying disk should have lost every report of the cycle');
});
