// Crash safety: reports are posted by several clients at once while the server is killed
// with SIGKILL at a random moment, 20 times. Every report that was answered 201 must be in the
// database after the restart, the database must pass integrity_check, and the audit chain
// must verify. (A longer run with 200 cycles is `make faults`.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, Client } from './harness.mjs';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
const CLIENTS = 6;

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
  // A bearer token: no sign-in (argon2id) in the hot loop, and no CSRF dance.
  token = server.cli(['token', 'create', '--login', 'pj_member']).match(/dk_[A-Za-z0-9_-]+/)[0];
});

after(async () => { await server?.stop(); });

const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();

test(`acknowledged reports survive ${CYCLES} kills`, async (t) => {
  const acknowledged = new Set();
  let serial = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    if (cycle > 0) await server.start();
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
          if (r.status === 201) acknowledged.add(r.json.id);
          else if (r.status !== 503) assert.fail(`unexpected ${r.status}: ${r.body}`);
        } catch (e) {
          // The server was killed under us: a refused, reset or cut connection. Anything
          // else is a real failure.
          if (!/fetch failed|ECONNRESET|ECONNREFUSED|EPIPE|socket|other side closed/i.test(
            String(e?.cause?.code ?? '') + String(e?.cause ?? e))) throw e;
          break;
        }
      }
    };
    const workers = Array.from({ length: CLIENTS }, worker);
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
    await server.kill9();
    stop = true;
    await Promise.all(workers);
  }
  t.diagnostic(`${acknowledged.size} reports acknowledged over ${CYCLES} kills`);
  assert.ok(acknowledged.size > CYCLES, `only ${acknowledged.size} reports were acknowledged`);
  const stored = new Set(sqlite('SELECT id FROM report').split('\n').filter(Boolean).map(Number));
  const lost = [...acknowledged].filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], 'acknowledged reports missing after SIGKILL');
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok');
  const verify = server.cli(['audit', 'verify']);
  assert.match(verify, /audit log intact/);
  // Every stored report has its audit row: nothing half-written.
  const unaudited = sqlite("SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'report' AND a.entity_id = r.id)");
  assert.equal(unaudited, '0');
  await server.start();
});
