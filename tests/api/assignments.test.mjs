// Assignments over HTTP as two coordinators meet them: a task's assignments have a version
// ("assignments_etag" in GET /api/v1/tasks/{id}, the ETag of a PUT's answer), and a PUT must
// name the version it was made against in If-Match — 428 without one, 412 when either side
// changed the task's assignments since — so no one replaces a set they have not seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => {
  await server?.stop();
  if (server) assert.doesNotMatch(server.stderr(), /AddressSanitizer|LeakSanitizer|runtime error/);
});

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(r.json?.error?.code, code, r.body);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.body);
  assert.ok(r.json.error.message, 'a message');
}

const TAG = /^"as-7-[0-9a-f]{16}"$/;
const PATH = '/api/v1/tasks/7/assignments';
const shape = (json) => json.assignments.map((a) => [a.side, a.role, a.unit.id]);

test('PUT assignments needs the version it was made against in If-Match', async () => {
  const ln = await as(server, 'ln_coord');
  const js = await as(server, 'js_coord');
  const { panjin, liaoyang, wuxi } = server.units;
  const admin = await as(server, 'admin');
  const auditRows = async () => (await admin.get('/api/v1/audit?action=assignment.set&limit=200')).json.entries;

  // Both coordinators read the task: the same version.
  const tag0 = (await ln.get('/api/v1/tasks/7')).json.assignments_etag;
  assert.match(tag0, TAG);
  assert.equal((await js.get('/api/v1/tasks/7')).json.assignments_etag, tag0);

  // No If-Match (or "*"): 428, with a message saying what to send; nothing changes.
  for (const headers of [{}, { 'if-match': '*' }]) {
    const r = await ln.put(PATH, { side: 0, lead: panjin, support: [] }, { headers });
    assertError(r, 428, 'err_precondition_required', 'If-Match');
    assert.match(r.json.error.message, /If-Match/);
  }
  // Refusals and bad input are answered first, as without the precondition.
  assertError(await ln.put(PATH, { side: 1, lead: panjin, support: [] }), 403, 'err_forbidden');
  assertError(await ln.put(PATH, { side: 0, lead: wuxi, support: [] }), 403, 'err_other_side', 'lead');
  assertError(await ln.put(PATH, { side: 0, lead: 999999 }), 422, 'err_unit_unknown', 'lead');
  assertError(await ln.put('/api/v1/tasks/999999/assignments', { side: 0, lead: panjin }, { headers: { 'if-match': tag0 } }),
    404, 'err_not_found');
  assert.equal((await auditRows()).length, 0);

  // ln writes against what it read: 200, and the new version in the ETag and the body.
  let r = await ln.put(PATH, { side: 0, lead: panjin, support: [liaoyang] }, { headers: { 'if-match': tag0 } });
  assert.equal(r.status, 200, r.body);
  const tag1 = r.headers.get('etag');
  assert.match(tag1, TAG);
  assert.notEqual(tag1, tag0);
  assert.equal(r.json.assignments_etag, tag1);
  assert.equal((await js.get('/api/v1/tasks/7')).json.assignments_etag, tag1);

  // js still holds tag0: its write — to its own side even — is refused and changes nothing.
  assertError(await js.put(PATH, { side: 1, lead: wuxi, support: [] }, { headers: { 'if-match': tag0 } }),
    412, 'err_stale');
  // So is any tag that is not this task's current one: another task's, a weak one, a bare one.
  for (const tag of [tag1.replace('as-7-', 'as-8-'), `W/${tag1}`, tag1.slice(1, -1), `${tag1}, ${tag1}`, '"as-7-x"'])
    assertError(await js.put(PATH, { side: 1, lead: wuxi, support: [] }, { headers: { 'if-match': tag } }),
      412, 'err_stale', undefined);
  r = await js.get('/api/v1/tasks/7');
  assert.deepEqual(shape(r.json), [[0, 'lead', panjin], [0, 'support', liaoyang]]);
  assert.equal((await auditRows()).length, 1);

  // Having read again, js writes its side; ln's tag1 is now stale in turn.
  r = await js.put(PATH, { side: 1, lead: wuxi, support: [] }, { headers: { 'if-match': r.json.assignments_etag } });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(shape(r.json), [[0, 'lead', panjin], [0, 'support', liaoyang], [1, 'lead', wuxi]]);
  const tag2 = r.headers.get('etag');
  assertError(await ln.put(PATH, { side: 0, lead: null, support: [] }, { headers: { 'if-match': tag1 } }), 412, 'err_stale');
  // Clearing a side against the current version; setting the same set again changes nothing.
  r = await ln.put(PATH, { side: 0, lead: null, support: [] }, { headers: { 'if-match': tag2 } });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(shape(r.json), [[1, 'lead', wuxi]]);
  const tag3 = r.headers.get('etag');
  r = await js.put(PATH, { side: 1, lead: wuxi, support: [] }, { headers: { 'if-match': tag3 } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.headers.get('etag'), tag3);
  assert.equal((await auditRows()).length, 3);
});
