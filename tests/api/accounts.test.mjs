// Accounts and audit over real HTTP: units, users, one's own account (password, sessions),
// CSRF and bearer tokens, lockout and session expiry, and the audit log that records it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, Client, as, PASSWORD, LJ, SD } from './harness.mjs';
import { thisYear, ZONE_MS } from './clock.mjs';

const STRONG = 'Gx7-tongguo-mima-2026';
const STRONG2 = 'Kp4-xinde-mima-2027';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let admin;
const ids = {}; // login → user id
before(async () => {
  server = await startServer();
  admin = await as(server, 'admin');
  const r = await admin.get('/api/v1/users');
  assert.equal(r.status, 200);
  for (const u of r.json.users) ids[u.login] = u.id;
});
// A sanitised build (make test) reports memory errors and leaks on the server's stderr.
function assertClean(s) {
  assert.doesNotMatch(s.stderr(), /AddressSanitizer|LeakSanitizer|runtime error/);
}
after(async () => {
  await server?.stop();
  if (server) assertClean(server);
});

// The newest audit id, to prove a refused request wrote nothing.
async function lastAuditId() {
  const r = await admin.get('/api/v1/audit?limit=1');
  assert.equal(r.status, 200);
  return r.json.entries[0]?.id ?? 0;
}

async function auditRows(query) {
  const r = await admin.get('/api/v1/audit?' + new URLSearchParams({ limit: '200', ...query }));
  assert.equal(r.status, 200, r.body);
  return r.json.entries;
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(r.json?.error?.code, code, r.body);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.body);
  assert.ok(r.json.error.message, 'a message');
}

// A PATCH made against the current version: If-Match is the ETag the admin (who reads every
// unit and account) gets now, so the answer shows the permission and input rules, not 428.
async function patchCurrent(c, path, body) {
  const etag = (await admin.get(path)).headers.get('etag');
  return c.patch(path, body, etag ? { headers: { 'if-match': etag } } : {});
}

const newUnit = (over = {}) => ({
  pairing_id: LJ, side: 0, name: '鞍山市人民政府', kind: 'city', tier: 'execution', ...over,
});

test('admin creates a unit and a member; the generated password is shown once and works', async () => {
  const u = await admin.post('/api/v1/units', newUnit());
  assert.equal(u.status, 201, u.body);
  assert.equal(u.headers.get('location'), `/api/v1/units/${u.json.id}`);
  assert.ok(u.headers.get('etag'));
  assert.equal(u.json.name, '鞍山市人民政府');
  assert.equal(u.json.pairing_id, LJ);
  assert.equal(u.json.side, 0);
  assert.equal(u.json.users, 0);
  const unitId = u.json.id;

  // Readable by anyone of the pairing; to another pairing it does not exist (404, issue #10).
  const pj = await as(server, 'pj_member');
  assert.equal((await pj.get(`/api/v1/units/${unitId}`)).status, 200);
  const dl = await as(server, 'dl_coord');
  assertError(await dl.get(`/api/v1/units/${unitId}`), 404, 'err_not_found');
  const list = await pj.get('/api/v1/units');
  assert.equal(list.status, 200);
  assert.ok(list.json.units.some((x) => x.id === unitId));
  assert.ok(list.json.units.every((x) => x.pairing_id === LJ));
  const side1 = await pj.get(`/api/v1/units?side=1`);
  assert.ok(side1.json.units.length > 0 && side1.json.units.every((x) => x.side === 1));
  assertError(await pj.get(`/api/v1/units?pairing=${SD}`), 404, 'err_not_found');

  const c = await admin.post('/api/v1/users',
    { login: 'as_member', role: 'member', unit_id: unitId, name: '鞍山联络员', language: 'zh-Hant' });
  assert.equal(c.status, 201, c.body);
  assert.equal(c.headers.get('location'), `/api/v1/users/${c.json.id}`);
  assert.equal(c.json.login, 'as_member');
  assert.equal(c.json.role, 'member');
  assert.equal(c.json.unit_id, unitId);
  assert.equal(c.json.disabled, false);
  assert.match(c.json.password, /^[A-HJ-NP-Za-km-z2-9]{5}(-[A-HJ-NP-Za-km-z2-9]{5}){3}$/);
  assert.ok(!/pw_hash|argon2/.test(c.body));
  ids.as_member = c.json.id;

  const fresh = new Client(server.base);
  assert.equal((await fresh.login('as_member', c.json.password)).status, 201);
  const me = await fresh.get('/api/v1/me');
  assert.equal(me.json.user.unit_id, unitId);

  const again = await admin.get(`/api/v1/users/${c.json.id}`);
  assert.equal(again.status, 200);
  assert.equal(again.json.password, undefined, 'shown only once');
  assert.ok(!/pw_hash|argon2/.test(again.body));
  assert.equal((await admin.get(`/api/v1/units/${unitId}`)).json.users, 1);

  // An explicit password is not echoed.
  const d = await admin.post('/api/v1/users',
    { login: 'as_leader', role: 'leader', unit_id: unitId, password: STRONG });
  assert.equal(d.status, 201, d.body);
  assert.equal(d.json.password, undefined);
  // An admin account has no unit.
  const a = await admin.post('/api/v1/users', { login: 'admin2', role: 'admin', password: STRONG });
  assert.equal(a.status, 201, a.body);
  assert.equal(a.json.unit_id, null);
});

test('a coordinator manages units and members of its own side only', async () => {
  const ln = await as(server, 'ln_coord');
  const before = await lastAuditId();
  const other = await ln.post('/api/v1/users',
    { login: 'wx_member2', role: 'member', unit_id: server.units.wuxi, password: STRONG });
  assertError(other, 403, 'err_forbidden');
  assertError(await ln.post('/api/v1/users',
    { login: 'pj_coord2', role: 'coordinator', unit_id: server.units.panjin, password: STRONG }),
  403, 'err_forbidden');
  assertError(await ln.post('/api/v1/users', { login: 'boss', role: 'admin', password: STRONG }),
    403, 'err_forbidden');
  assertError(await ln.post('/api/v1/units', newUnit({ side: 1, name: '蘇州市人民政府' })),
    403, 'err_forbidden');
  assertError(await ln.post('/api/v1/units', newUnit({ pairing_id: SD, name: '某單位' })),
    404, 'err_not_found');
  assert.equal(await lastAuditId(), before, 'refusals write nothing');
  assert.equal((await admin.get(`/api/v1/users?unit=${server.units.wuxi}`))
    .json.users.some((u) => u.login === 'wx_member2'), false);

  const mine = await ln.post('/api/v1/users',
    { login: 'pj_member2', role: 'member', unit_id: server.units.panjin, password: STRONG });
  assert.equal(mine.status, 201, mine.body);
  ids.pj_member2 = mine.json.id;
  const unit = await ln.post('/api/v1/units', newUnit({ name: '遼寧省商務廳', kind: 'department' }));
  assert.equal(unit.status, 201, unit.body);
  const edited = await patchCurrent(ln, `/api/v1/units/${unit.json.id}`, { tier: 'coordination' });
  assert.equal(edited.status, 200, edited.body);
  assert.equal(edited.json.tier, 'coordination');
  assertError(await patchCurrent(ln, `/api/v1/units/${server.units.wuxi}`, { name: '改名' }),
    403, 'err_forbidden');

  // Lists and reads stay on the side.
  const users = await ln.get('/api/v1/users');
  assert.equal(users.status, 200);
  const logins = users.json.users.map((u) => u.login);
  assert.ok(logins.includes('pj_member') && logins.includes('pj_member2'));
  assert.ok(!logins.includes('wx_member') && !logins.includes('dl_coord') && !logins.includes('admin'));
  assert.ok(users.json.users.every((u) => u.pairing_id === LJ && u.side === 0));
  assertError(await ln.get(`/api/v1/users/${ids.wx_member}`), 403, 'err_forbidden');
  const js = await as(server, 'js_coord');
  assertError(await js.get(`/api/v1/users/${ids.pj_member2}`), 403, 'err_forbidden');
  assertError(await patchCurrent(js, `/api/v1/users/${ids.pj_member2}`, { name: '改' }), 403, 'err_forbidden');
  assertError(await patchCurrent(js, `/api/v1/users/${ids.pj_member2}`, { disabled: true }), 403, 'err_forbidden');
  // A coordinator does not promote a member, nor move one to the other side.
  assertError(await patchCurrent(ln, `/api/v1/users/${ids.pj_member2}`, { role: 'coordinator' }),
    403, 'err_forbidden');
  assertError(await patchCurrent(ln, `/api/v1/users/${ids.pj_member2}`, { unit_id: server.units.wuxi }),
    403, 'err_forbidden');
  const moved = await patchCurrent(ln, `/api/v1/users/${ids.pj_member2}`, { unit_id: server.units.liaoyang });
  assert.equal(moved.status, 200, moved.body);
  assert.equal(moved.json.unit_id, server.units.liaoyang);

  // A leader reads the pairing but manages nothing.
  const leader = await as(server, 'ln_leader');
  assertError(await leader.post('/api/v1/units', newUnit({ name: '領導新單位' })), 403, 'err_forbidden');
  assertError(await leader.get('/api/v1/users'), 403, 'err_forbidden');
});

test('a member creates and edits nothing', async () => {
  const pj = await as(server, 'pj_member');
  const before = await lastAuditId();
  assertError(await pj.post('/api/v1/units', newUnit({ name: '成員單位' })), 403, 'err_forbidden');
  assertError(await pj.post('/api/v1/users',
    { login: 'pj_friend', role: 'member', unit_id: server.units.panjin, password: STRONG }),
  403, 'err_forbidden');
  assertError(await patchCurrent(pj, `/api/v1/units/${server.units.panjin}`, { name: '改名' }), 403, 'err_forbidden');
  assertError(await patchCurrent(pj, `/api/v1/users/${ids.pj_member}`, { role: 'admin' }), 403, 'err_forbidden');
  assertError(await pj.get('/api/v1/users'), 403, 'err_forbidden');
  assertError(await pj.get(`/api/v1/users/${ids.pj_member}`), 403, 'err_forbidden');
  assert.equal(await lastAuditId(), before);
});

test('a login that exists already → 409', async () => {
  for (const login of ['pj_member', 'PJ_Member', ' pj_member ']) {
    assertError(await admin.post('/api/v1/users',
      { login, role: 'member', unit_id: server.units.panjin, password: STRONG }),
    409, 'err_login_taken', 'login');
  }
  const ln = await as(server, 'ln_coord');
  assertError(await ln.post('/api/v1/units', newUnit({ name: '遼寧省發展和改革委員會' })),
    409, 'err_exists', 'name');
  // the same name once both spellings are in one script
  assertError(await ln.post('/api/v1/units', newUnit({ name: '辽宁省发展和改革委员会' })),
    409, 'err_exists', 'name');
});

test('bad input → 4xx naming the field, and nothing is stored', async () => {
  const before = await lastAuditId();
  const usersBefore = (await admin.get('/api/v1/users')).json.users.length;
  const unitsBefore = (await admin.get('/api/v1/units')).json.units.length;
  const unit = server.units.panjin;
  const ok = { login: 'new_login', role: 'member', unit_id: unit, password: STRONG };
  const cases = [
    [{}, 'err_required', 'login'],
    [{ ...ok, login: 5 }, 'err_type', 'login'],
    [{ ...ok, login: 'x' }, 'err_login_invalid', 'login'],
    [{ ...ok, login: '張三' }, 'err_login_invalid', 'login'],
    [{ ...ok, role: undefined }, 'err_required', 'role'],
    [{ ...ok, role: 'emperor' }, 'err_role', 'role'],
    [{ ...ok, unit_id: undefined }, 'err_required', 'unit_id'],
    [{ ...ok, unit_id: '12' }, 'err_type', 'unit_id'],
    [{ ...ok, unit_id: 0 }, 'err_range', 'unit_id'],
    [{ ...ok, unit_id: 1.5 }, 'err_type', 'unit_id'],
    [{ ...ok, unit_id: 999999 }, 'err_unit_unknown', 'unit_id'],
    [{ ...ok, role: 'admin' }, 'err_admin_unit', 'unit_id'],
    [{ ...ok, name: '' }, 'err_required', 'name'],
    [{ ...ok, name: 'a\u0007b' }, 'err_invalid', 'name'],
    [{ ...ok, name: '名'.repeat(65) }, 'err_too_long', 'name'],
    [{ ...ok, language: 'fr' }, 'err_language', 'language'],
    [{ ...ok, password: 'short' }, 'err_password_short', 'password'],
    [{ ...ok, password: 'password' }, 'err_password_common', 'password'],
    [{ ...ok, password: '12345678' }, 'err_password_common', 'password'],
    [{ ...ok, password: 'xnew_login9' }, 'err_password_login', 'password'],
    [{ ...ok, password: null }, 'err_type', 'password'],
    [{ ...ok, pw_hash: 'x' }, 'err_unknown_field', 'pw_hash'],
  ];
  for (const [body, code, field] of cases) {
    const json = JSON.parse(JSON.stringify(body)); // drops undefined keys
    assertError(await admin.post('/api/v1/users', json), 422, code, field);
  }
  const unitCases = [
    [{}, 'err_required', 'pairing_id'],
    [newUnit({ pairing_id: 'one' }), 'err_type', 'pairing_id'],
    [newUnit({ side: 2 }), 'err_side', 'side'],
    [newUnit({ side: -1 }), 'err_side', 'side'],
    [newUnit({ pairing_id: 2 }), 'err_invalid', 'pairing_id'],
    [newUnit({ name: '  ' }), 'err_required', 'name'],
    [newUnit({ name: '單'.repeat(101) }), 'err_too_long', 'name'],
    [newUnit({ kind: 'castle' }), 'err_kind', 'kind'],
    [newUnit({ tier: 7 }), 'err_type', 'tier'],
    [newUnit({ region_id: 999999999 }), 'err_region_unknown', 'region_id'],
    [newUnit({ colour: 'red' }), 'err_unknown_field', 'colour'],
  ];
  for (const [body, code, field] of unitCases)
    assertError(await admin.post('/api/v1/units', body), 422, code, field);
  assertError(await admin.post('/api/v1/units', newUnit({ pairing_id: 99999 })), 404, 'err_not_found', 'pairing_id');
  assertError(await patchCurrent(admin, `/api/v1/units/${unit}`, { side: 1 }), 422, 'err_fixed', 'side');
  assertError(await patchCurrent(admin, `/api/v1/units/${unit}`, { pairing_id: SD }), 422, 'err_fixed', 'pairing_id');
  assertError(await patchCurrent(admin, `/api/v1/users/${ids.pj_member}`, { login: 'renamed' }),
    422, 'err_login_fixed', 'login');
  assertError(await patchCurrent(admin, `/api/v1/users/${ids.pj_member}`, { disabled: 'yes' }),
    422, 'err_type', 'disabled');
  assertError(await patchCurrent(admin, `/api/v1/users/${ids.pj_member}`, { role: 'public' }),
    422, 'err_role', 'role');
  // Not an object, not JSON, not declared as JSON.
  assertError(await admin.post('/api/v1/users', [1, 2]), 422, 'err_type', null);
  assertError(await admin.post('/api/v1/users', '"login"'), 400, 'err_bad_json');
  assertError(await admin.post('/api/v1/users', '{"login":'), 400, 'err_bad_json');
  assertError(await admin.post('/api/v1/users', '{"login":"a","login":"b"}'), 400, 'err_bad_json');
  assertError(await admin.request('POST', '/api/v1/users',
    { body: 'login=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  415, 'err_media_type');
  // Bad query parameters.
  assertError(await admin.get('/api/v1/units?side=3'), 400, 'err_side', 'side');
  assertError(await admin.get('/api/v1/units?limit=0'), 400, 'err_range', 'limit');
  assertError(await admin.get('/api/v1/units?limit=201'), 400, 'err_range', 'limit');
  assertError(await admin.get('/api/v1/units?after=-1'), 400, 'err_range', 'after');
  assertError(await admin.get('/api/v1/users?limit=x'), 400, 'err_range', 'limit');
  assertError(await admin.get('/api/v1/users?after=1.5'), 400, 'err_range', 'after');
  assertError(await admin.get('/api/v1/users?unit=abc'), 400, 'err_range', 'unit');
  // Unknown ids.
  assertError(await admin.get('/api/v1/units/999999'), 404, 'err_unit_unknown');
  assertError(await admin.get('/api/v1/users/999999'), 404, 'err_not_found');
  assertError(await patchCurrent(admin, '/api/v1/users/999999', { name: 'x' }), 404, 'err_not_found');

  assert.equal(await lastAuditId(), before, 'no audit row');
  assert.equal((await admin.get('/api/v1/users')).json.users.length, usersBefore);
  assert.equal((await admin.get('/api/v1/units')).json.units.length, unitsBefore);
});

test('edits carry ETags; a stale If-Match → 412 and changes nothing', async () => {
  const id = server.units.liaoyang;
  const r1 = await admin.get(`/api/v1/units/${id}`);
  const etag = r1.headers.get('etag');
  assert.ok(etag);
  assert.equal((await admin.get(`/api/v1/units/${id}`, { headers: { 'if-none-match': etag } })).status, 304);
  const r2 = await admin.patch(`/api/v1/units/${id}`, { name: '遼陽市政府' }, { headers: { 'if-match': etag } });
  assert.equal(r2.status, 200, r2.body);
  assert.notEqual(r2.headers.get('etag'), etag);
  const stale = await admin.patch(`/api/v1/units/${id}`, { name: '別的名字' }, { headers: { 'if-match': etag } });
  assertError(stale, 412, 'err_stale');
  assert.equal((await admin.get(`/api/v1/units/${id}`)).json.name, '遼陽市政府');
  assertError(await admin.patch(`/api/v1/units/${id}`, { name: 'x' }, { headers: { 'if-match': '"unit-1-x"' } }),
    412, 'err_stale');

  const u = await admin.get(`/api/v1/users/${ids.ly_member}`);
  const uetag = u.headers.get('etag');
  const ok = await admin.patch(`/api/v1/users/${ids.ly_member}`, { name: '遼陽聯絡員' }, { headers: { 'if-match': uetag } });
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.json.name, '遼陽聯絡員');
  assertError(await admin.patch(`/api/v1/users/${ids.ly_member}`, { name: '又改' }, { headers: { 'if-match': uetag } }),
    412, 'err_stale');
  assertError(await admin.patch(`/api/v1/users/${ids.ly_member}`, { disabled: true }, { headers: { 'if-match': uetag } }),
    412, 'err_stale');
  const now = await admin.get(`/api/v1/users/${ids.ly_member}`);
  assert.equal(now.json.name, '遼陽聯絡員');
  assert.equal(now.json.disabled, false);
});

test('PATCH of a unit or an account needs If-Match: 428 without one, after 403 and 404', async () => {
  const ln = await as(server, 'ln_coord');
  const before = await lastAuditId();
  const unitPath = `/api/v1/units/${server.units.panjin}`;
  const userPath = `/api/v1/users/${ids.pj_member}`;
  const tier = (await admin.get(unitPath)).json.tier;
  const name = (await admin.get(userPath)).json.name;
  for (const headers of [{}, { 'if-match': '*' }]) {
    for (const [c, path, body] of [[ln, unitPath, { tier: 'decision' }], [admin, unitPath, {}],
      [ln, userPath, { name: '改名' }], [ln, userPath, { disabled: true }], [admin, userPath, {}]]) {
      const r = await c.patch(path, body, { headers });
      assertError(r, 428, 'err_precondition_required', 'If-Match');
      assert.match(r.json.error.message, /If-Match/);
    }
  }
  // Who may not write, or writes to nothing, learns that first.
  assertError(await ln.patch(`/api/v1/units/${server.units.wuxi}`, { name: '改名' }), 403, 'err_forbidden');
  assertError(await ln.patch(`/api/v1/users/${ids.wx_member}`, { name: '改' }), 403, 'err_forbidden');
  assertError(await ln.patch(`/api/v1/users/${ids.wx_member}`, { disabled: true }), 403, 'err_forbidden');
  assertError(await admin.patch('/api/v1/users/999999', { name: 'x' }), 404, 'err_not_found');
  assertError(await admin.patch('/api/v1/units/999999', { name: 'x' }), 404, 'err_unit_unknown');
  assert.equal(await lastAuditId(), before, 'nothing written');
  assert.equal((await admin.get(unitPath)).json.tier, tier);
  assert.equal((await admin.get(userPath)).json.name, name);
});

test('PATCH /me changes one\'s own name and language, nothing else', async () => {
  const c = await as(server, 'wx_member');
  const r = await c.patch('/api/v1/me', { name: '無錫聯絡員', language: 'en' });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.user.name, '無錫聯絡員');
  assert.equal(r.json.user.language, 'en');
  assert.equal(r.json.user.role, 'member');
  // Messages now follow the account's language.
  const denied = await c.get('/api/v1/users');
  assert.equal(denied.json.error.message, 'You are not allowed to do this.');
  assertError(await c.patch('/api/v1/me', { role: 'admin' }), 422, 'err_unknown_field', 'role');
  assertError(await c.patch('/api/v1/me', { language: 'de' }), 422, 'err_language', 'language');
  assertError(await c.patch('/api/v1/me', { name: 7 }), 422, 'err_type', 'name');
  assert.equal((await c.patch('/api/v1/me', { language: 'zh-Hans' })).status, 200);
});

test('password change: the old password is required, weak ones are refused, other sessions end', async () => {
  const ln = await as(server, 'ln_coord');
  const made = await ln.post('/api/v1/users',
    { login: 'pw_member', role: 'member', unit_id: server.units.panjin, password: STRONG });
  assert.equal(made.status, 201, made.body);
  ids.pw_member = made.json.id;
  const first = new Client(server.base);
  assert.equal((await first.login('pw_member', STRONG)).status, 201);
  const second = new Client(server.base);
  assert.equal((await second.login('pw_member', STRONG)).status, 201);

  assertError(await first.post('/api/v1/me/password', { new_password: STRONG2 }),
    422, 'err_required', 'old_password');
  assertError(await first.post('/api/v1/me/password', { old_password: 'wrong-password-1', new_password: STRONG2 }),
    422, 'err_password_wrong', 'old_password');
  assertError(await first.post('/api/v1/me/password', { old_password: STRONG, new_password: 'password' }),
    422, 'err_password_common', 'new_password');
  assertError(await first.post('/api/v1/me/password', { old_password: STRONG, new_password: 'abc' }),
    422, 'err_password_short', 'new_password');
  assertError(await first.post('/api/v1/me/password', { old_password: STRONG }),
    422, 'err_required', 'new_password');
  assertError(await first.post('/api/v1/me/password', { old_password: STRONG, new_password: STRONG2, x: 1 }),
    422, 'err_unknown_field', 'x');
  // Nothing changed so far: both sessions work, the old password too.
  assert.equal((await second.get('/api/v1/me')).status, 200);

  const ok = await first.post('/api/v1/me/password', { old_password: STRONG, new_password: STRONG2 });
  assert.equal(ok.status, 204, ok.body);
  assert.equal((await first.get('/api/v1/me')).status, 200, 'this session stays');
  assertError(await second.get('/api/v1/me'), 401, 'err_unauthorized');
  assert.equal((await new Client(server.base).login('pw_member', STRONG)).status, 401);
  assert.equal((await new Client(server.base).login('pw_member', STRONG2)).status, 201);
});

test('signing in ends the session the browser brought: one browser, one session', async () => {
  const c = new Client(server.base);
  assert.equal((await c.login('wx_member')).status, 201);
  const first = c.cookie;
  const elsewhere = await as(server, 'js_coord'); // another browser
  // The same browser signs in again, here as someone else (a shared computer).
  assert.equal((await c.login('js_coord')).status, 201);
  assert.notEqual(c.cookie, first);
  assert.equal((await c.get('/api/v1/me')).json.user.login, 'js_coord');
  const old = new Client(server.base);
  old.cookie = first;
  assertError(await old.get('/api/v1/me'), 401, 'err_unauthorized');
  assert.equal((await elsewhere.get('/api/v1/me')).status, 200, 'other browsers keep theirs');
  const rows = await auditRows({ action: 'auth.logout' });
  assert.ok(rows.some((e) => e.actor === 'user:wx_member' && e.client === '127.0.0.1'));
  // Signing in again as the same person: still one session in this browser.
  const before = (await c.get('/api/v1/me/sessions')).json.sessions.length;
  assert.equal((await c.login('js_coord')).status, 201);
  assert.equal((await c.get('/api/v1/me/sessions')).json.sessions.length, before);
  // A failed sign-in leaves the session the browser has.
  assert.equal((await c.login('js_coord', 'not-the-password')).status, 401);
  assert.equal((await c.get('/api/v1/me')).status, 200);
});

test('sessions: the list shows no tokens; sign out everywhere ends them all', async () => {
  const a = new Client(server.base);
  assert.equal((await a.login('pw_member', STRONG2)).status, 201);
  const b = new Client(server.base);
  assert.equal((await b.login('pw_member', STRONG2)).status, 201);
  const list = await a.get('/api/v1/me/sessions');
  assert.equal(list.status, 200);
  assert.ok(list.json.sessions.length >= 2);
  assert.equal(list.json.sessions.filter((s) => s.current).length, 1);
  for (const s of list.json.sessions) {
    assert.deepEqual(Object.keys(s).sort(),
      ['client', 'created_at', 'current', 'expires_at', 'id', 'last_seen_at']);
    assert.equal(s.client, '127.0.0.1');
  }
  assert.ok(!list.body.includes(a.cookie.split('=')[1]), 'no token in the answer');
  const fromB = await b.get('/api/v1/me/sessions');
  assert.notEqual(fromB.json.sessions.find((s) => s.current).id,
    list.json.sessions.find((s) => s.current).id);

  // A write: CSRF applies even without a body.
  assertError(await a.post('/api/v1/me/sessions/revoke', undefined, { csrf: false }), 403, 'err_csrf');
  const cookieA = a.cookie;
  const r = await a.post('/api/v1/me/sessions/revoke');
  assert.equal(r.status, 204, r.body);
  assert.match(r.headers.get('set-cookie') ?? '', /Max-Age=0/);
  const stale = new Client(server.base);
  stale.cookie = cookieA;
  assertError(await stale.get('/api/v1/me'), 401, 'err_unauthorized');
  assertError(await b.get('/api/v1/me'), 401, 'err_unauthorized');
  assert.equal((await new Client(server.base).login('pw_member', STRONG2)).status, 201);
});

test('disabling an account ends its sessions; enabling lets it back in', async () => {
  const ln = await as(server, 'ln_coord');
  const victim = new Client(server.base);
  assert.equal((await victim.login('pj_member2', STRONG)).status, 201);
  assert.equal((await victim.get('/api/v1/me')).status, 200);
  const r = await patchCurrent(ln, `/api/v1/users/${ids.pj_member2}`, { disabled: true });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.disabled, true);
  assertError(await victim.get('/api/v1/me'), 401, 'err_unauthorized');
  assertError(await new Client(server.base).login('pj_member2', STRONG), 401, 'err_login_failed');
  // A stale If-Match refuses the name and the flag together: nothing of either is written.
  const staleTag = (await admin.get(`/api/v1/users/${ids.pj_member2}`)).headers.get('etag');
  assert.equal((await patchCurrent(ln, `/api/v1/users/${ids.pj_member2}`, { name: '中間改名' })).status, 200);
  assertError(await ln.patch(`/api/v1/users/${ids.pj_member2}`, { disabled: false, name: '盤錦二號' },
    { headers: { 'if-match': staleTag } }), 412, 'err_stale');
  const still = (await admin.get(`/api/v1/users/${ids.pj_member2}`)).json;
  assert.deepEqual([still.disabled, still.name], [true, '中間改名']);
  const back = await patchCurrent(ln, `/api/v1/users/${ids.pj_member2}`, { disabled: false, name: '盤錦二號' });
  assert.equal(back.status, 200, back.body);
  assert.equal(back.json.disabled, false);
  assert.equal(back.json.name, '盤錦二號');
  // One transaction, one audit row: the enabling, whose diff also shows the new name.
  const rows = (await auditRows({ entity: 'users', entity_id: String(ids.pj_member2) }))
    .filter((e) => e.after?.name === '盤錦二號');
  assert.deepEqual(rows.map((e) => [e.action, e.before.name, e.after.disabled]),
    [['user.enable', '中間改名', false]]);
  assert.equal((await new Client(server.base).login('pj_member2', STRONG)).status, 201);
  // Nobody disables themselves; a coordinator does not disable itself or its peers.
  assertError(await patchCurrent(admin, `/api/v1/users/${ids.admin}`, { disabled: true }), 409, 'err_self_disable');
  assertError(await patchCurrent(ln, `/api/v1/users/${ids.ln_coord}`, { disabled: true }), 409, 'err_self_disable');
  const self = await patchCurrent(admin, `/api/v1/users/${ids.admin}`, { name: '系統管理員', disabled: false });
  assert.equal(self.status, 200, self.body);
  assert.equal(self.json.name, '系統管理員');
  assertError(await patchCurrent(ln, `/api/v1/users/${ids.ln_leader}`, { disabled: true }), 403, 'err_forbidden');
});

test('CSRF: a cookie write without the token or from another origin → 403; a bearer token needs neither', async () => {
  const ln = await as(server, 'ln_coord');
  const before = await lastAuditId();
  const body = newUnit({ name: '錦州市人民政府' });
  assertError(await ln.post('/api/v1/units', body, { csrf: false }), 403, 'err_csrf');
  assertError(await ln.post('/api/v1/units', body, { origin: 'http://evil.example' }), 403, 'err_csrf');
  assertError(await ln.post('/api/v1/units', body, { csrf: false, origin: 'http://evil.example' }), 403, 'err_csrf');
  assertError(await ln.patch('/api/v1/me', { name: 'x' }, { csrf: false }), 403, 'err_csrf');
  assertError(await ln.post('/api/v1/me/password', { old_password: PASSWORD, new_password: STRONG2 },
    { csrf: false }), 403, 'err_csrf');
  const wrong = new Client(server.base);
  wrong.cookie = ln.cookie;
  wrong.csrf = 'A'.repeat(43);
  assertError(await wrong.post('/api/v1/units', body), 403, 'err_csrf');
  assert.equal(await lastAuditId(), before, 'nothing written');

  const token = server.cli(['token', 'create', '--login', 'ln_coord', '--name', 'accounts test']).trim();
  assert.match(token, /^dk_[A-Za-z0-9_-]{43}$/);
  const bot = new Client(server.base);
  bot.bearer = token;
  const made = await bot.post('/api/v1/units', body, { origin: null });
  assert.equal(made.status, 201, made.body);
  assert.equal(made.headers.get('set-cookie'), null);
  const rows = await auditRows({ action: 'unit.create', entity_id: String(made.json.id) });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].actor, 'user:ln_coord');
  // The token carries its user's rights, not more.
  assertError(await bot.post('/api/v1/units', newUnit({ side: 1, name: '常州市人民政府' }), { origin: null }),
    403, 'err_forbidden');
  const badBot = new Client(server.base);
  badBot.bearer = 'dk_' + 'x'.repeat(43);
  assertError(await badBot.get('/api/v1/me'), 401, 'err_unauthorized');
});

test('audit: members and coordinators are refused; a leader sees its pairing without addresses', async () => {
  assertError(await (await as(server, 'pj_member')).get('/api/v1/audit'), 403, 'err_forbidden');
  assertError(await (await as(server, 'ln_coord')).get('/api/v1/audit'), 403, 'err_forbidden');
  await new Client(server.base).login('dl_member', 'not-the-password'); // another pairing's row
  const leader = await as(server, 'ln_leader');
  const r = await leader.get('/api/v1/audit?limit=200');
  assert.equal(r.status, 200, r.body);
  const rows = r.json.entries;
  assert.ok(rows.length > 0);
  assert.ok(rows.every((e) => e.client === null), 'no addresses for a leader');
  assert.ok(rows.some((e) => e.actor === 'user:ln_coord' && e.action === 'unit.create'));
  assert.ok(rows.some((e) => e.actor === 'user:admin' && e.action === 'unit.create'),
    'admin writes about the pairing\'s units');
  const sdLogins = new Set(['sh_coord', 'dl_coord', 'dl_member']);
  for (const e of rows) {
    assert.ok(!sdLogins.has(e.actor.replace(/^user:/, '')), `row ${e.id} by ${e.actor}`);
    assert.ok(!(e.action.startsWith('auth.login') && sdLogins.has(e.after?.login)), `row ${e.id}`);
    assert.ok(!(e.actor === 'public' && e.entity_id === null), 'unattributable sign-ins are for admins');
  }
  const adminView = await auditRows({});
  assert.ok(adminView.some((e) => e.actor === 'user:dl_coord'));
  assert.ok(adminView.some((e) => e.action === 'auth.login_failed' && e.after.login === 'dl_member'));
});

test('audit: each write is there with its actor, before and after; no secret is', async () => {
  const all = await auditRows({});
  const find = (action, pred = () => true) => all.find((e) => e.action === action && pred(e));
  const created = find('unit.create', (e) => e.after.name === '鞍山市人民政府');
  assert.ok(created, 'unit.create');
  assert.equal(created.actor, 'user:admin');
  assert.equal(created.entity, 'unit');
  assert.equal(created.before, null);
  assert.equal(created.after.kind, 'city');
  assert.equal(created.client, '127.0.0.1');
  assert.match(created.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const renamed = find('unit.update', (e) => e.entity_id === server.units.liaoyang);
  assert.equal(renamed.before.name, '遼陽市人民政府');
  assert.equal(renamed.after.name, '遼陽市政府');
  const user = find('user.create', (e) => e.after.login === 'as_member');
  assert.equal(user.actor, 'user:admin');
  assert.equal(user.entity, 'users');
  assert.equal(user.entity_id, ids.as_member);
  const byCoord = find('user.create', (e) => e.after.login === 'pj_member2');
  assert.equal(byCoord.actor, 'user:ln_coord');
  const moved = find('user.update', (e) => e.entity_id === ids.pj_member2 && e.before.unit_id === server.units.panjin);
  assert.equal(moved.after.unit_id, server.units.liaoyang);
  const disabled = find('user.disable', (e) => e.entity_id === ids.pj_member2);
  assert.equal(disabled.before.disabled, false);
  assert.equal(disabled.after.disabled, true);
  assert.ok(find('user.enable', (e) => e.entity_id === ids.pj_member2));
  assert.ok(find('auth.revoke_sessions', (e) => e.entity_id === ids.pj_member2 && e.after.reason === 'account disabled'));
  const pw = find('user.password', (e) => e.entity_id === ids.pw_member);
  assert.equal(pw.actor, 'user:pw_member');
  assert.equal(pw.after.by, 'self');
  assert.ok(pw.after.sessions_ended >= 1);
  assert.ok(find('auth.revoke_sessions', (e) => e.entity_id === ids.pw_member && e.after.reason === 'sign out everywhere'));
  assert.ok(find('user.update', (e) => e.entity_id === ids.wx_member && e.after.language === 'en'));
  assert.ok(find('token.create', (e) => e.after.login === 'ln_coord'));
  const text = JSON.stringify(all);
  assert.ok(!/argon2|pw_hash/.test(text), 'no hashes');
  assert.ok(!text.includes(STRONG) && !text.includes(STRONG2) && !text.includes(PASSWORD), 'no passwords');
});

test('audit: every sign-in attempt, failed ones too, with the client address', async () => {
  const c = new Client(server.base);
  const since = new Date(Date.now() - 1000).toISOString();
  assert.equal((await c.login('js_coord', 'wrong-one-1')).status, 401);
  assert.equal((await c.login('no_such_login', 'wrong-two-2')).status, 401);
  assert.equal((await c.login('js_coord')).status, 201);
  const rows = await auditRows({ action: 'auth.', since });
  const failed = rows.filter((e) => e.action === 'auth.login_failed');
  const known = failed.find((e) => e.after.login === 'js_coord');
  assert.ok(known);
  assert.equal(known.client, '127.0.0.1');
  assert.equal(known.entity_id, ids.js_coord);
  assert.equal(known.after.reason, 'password');
  const unknown = failed.find((e) => e.after.login === 'no_such_login');
  assert.ok(unknown);
  assert.equal(unknown.actor, 'public');
  assert.equal(unknown.entity_id, null);
  assert.equal(unknown.client, '127.0.0.1');
  assert.ok(!JSON.stringify(rows).includes('wrong-'), 'passwords typed are never logged');
  const ok = rows.find((e) => e.action === 'auth.login' && e.after.login === 'js_coord');
  assert.equal(ok.actor, 'user:js_coord');
  assert.equal(ok.client, '127.0.0.1');
  assert.ok(ok.after.session_id > 0);
});

test('audit filters: actor, action, entity, entity_id, since, until', async () => {
  const byActor = await auditRows({ actor: 'ln_coord' });
  assert.ok(byActor.length > 0 && byActor.every((e) => e.actor === 'user:ln_coord'));
  assert.deepEqual(await auditRows({ actor: 'user:ln_coord' }), byActor);
  const creates = await auditRows({ action: 'user.create' });
  assert.ok(creates.length >= 4 && creates.every((e) => e.action === 'user.create'));
  const users = await auditRows({ action: 'user.' });
  assert.ok(users.some((e) => e.action === 'user.disable') && users.every((e) => e.action.startsWith('user.')));
  const one = await auditRows({ entity: 'users', entity_id: String(ids.pj_member2) });
  assert.ok(one.length >= 4 && one.every((e) => e.entity === 'users' && e.entity_id === ids.pj_member2));
  const both = await auditRows({ actor: 'ln_coord', action: 'unit.create' });
  assert.ok(both.length >= 2 && both.every((e) => e.actor === 'user:ln_coord' && e.action === 'unit.create'));
  assert.deepEqual(await auditRows({ since: '2999-01-01' }), []);
  assert.deepEqual(await auditRows({ until: '2000-01-01T00:00:00Z' }), []);
  const all = await auditRows({});
  const mid = all[Math.floor(all.length / 2)];
  const newer = await auditRows({ since: mid.at });
  assert.ok(newer.every((e) => e.at >= mid.at) && newer.some((e) => e.id === mid.id));
  const older = await auditRows({ until: mid.at });
  assert.ok(older.every((e) => e.at < mid.at));
  // the same instant written with a zone offset
  const d = new Date(Date.parse(mid.at) + ZONE_MS).toISOString().slice(0, 23);
  assert.deepEqual((await auditRows({ since: d + '+08:00' })).map((e) => e.id), newer.map((e) => e.id));
  for (const [q, code, field] of [
    ['since=yesterday', 'err_datetime', 'since'],
    ['until=2026-02-30', 'err_datetime', 'until'],
    ['limit=0', 'err_range', 'limit'],
    ['limit=201', 'err_range', 'limit'],
    ['after=-1', 'err_range', 'after'],
    ['entity_id=x', 'err_range', 'entity_id'],
    ['actor=' + 'a'.repeat(201), 'err_too_long', 'actor'],
  ]) assertError(await admin.get('/api/v1/audit?' + q), 400, code, field);
  assert.deepEqual(await auditRows({ actor: 'nobody_at_all' }), []);
});

test('audit pages: keyset on id, newest first, next_after until the end', async () => {
  const everything = await auditRows({});
  assert.ok(everything.length > 10 && everything.length < 200, `${everything.length} rows`);
  const def = await admin.get('/api/v1/audit');
  assert.equal(def.json.entries.length, Math.min(50, everything.length));
  const seen = [];
  let after = null;
  let pages = 0;
  for (;;) {
    const q = after ? `&after=${after}` : '';
    const r = await admin.get(`/api/v1/audit?limit=7${q}`);
    assert.equal(r.status, 200);
    pages++;
    seen.push(...r.json.entries.map((e) => e.id));
    if (r.json.next_after === null) break;
    assert.equal(r.json.entries.length, 7);
    assert.equal(r.json.next_after, r.json.entries[6].id);
    after = r.json.next_after;
  }
  assert.equal(pages, Math.ceil(everything.length / 7));
  // The pages together are the whole log once, newest first (rows written meanwhile by this
  // test's own requests are not audited: reads write nothing).
  assert.deepEqual(seen, everything.map((e) => e.id));
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] < seen[i - 1]);
  // A filtered walk pages too.
  const first = await admin.get('/api/v1/audit?action=auth.&limit=2');
  const second = await admin.get(`/api/v1/audit?action=auth.&limit=2&after=${first.json.next_after}`);
  assert.ok(second.json.entries.every((e) => e.id < first.json.next_after && e.action.startsWith('auth.')));
});

// A sign-in sent from another loopback address (127.0.0.2 …): another client to the locks.
function loginFrom(base, localAddress, login, password = PASSWORD) {
  const u = new URL(base);
  const body = JSON.stringify({ login, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: '/api/v1/session', method: 'POST',
      localAddress, headers: { 'content-type': 'application/json', origin: base,
        'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('lockout after 5 failures from one address, not from others; idle sessions expire (--lock-seconds 2 --session-idle 2)', async () => {
  const s = await startServer({ args: ['--lock-seconds', '2', '--session-idle', '2'] });
  try {
    const c = new Client(s.base);
    let wrong;
    for (let i = 0; i < 5; i++) {
      wrong = await c.login('ly_member', `wrong-${i}-password`);
      assertError(wrong, 401, 'err_login_failed');
    }
    // Locked from this address: the right password is answered exactly as a wrong one, so a
    // guesser learns nothing, not even that the login exists.
    const locked = await c.login('ly_member');
    assertError(locked, 401, 'err_login_failed');
    assert.equal(locked.body, wrong.body);
    assert.equal(locked.headers.get('retry-after'), null);
    const unknown = await c.login('no_such_login', 'whatever-password');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body, wrong.body);
    // The owner at another address signs in all the same: a stranger cannot lock anyone out.
    const elsewhere = await loginFrom(s.base, '127.0.0.2', 'ly_member');
    assert.equal(elsewhere.status, 201, elsewhere.body);
    await sleep(2300);
    assert.equal((await c.login('ly_member')).status, 201, 'the lock ends by itself');

    const a = await as(s, 'admin');
    const rows = (await a.get('/api/v1/audit?action=auth.&actor=public&limit=200')).json.entries;
    const failures = rows.filter((e) => e.action === 'auth.login_failed' && e.after.login === 'ly_member');
    assert.equal(failures.length, 5);
    assert.ok(failures.every((e) => e.client === '127.0.0.1'));
    assert.deepEqual(failures.map((e) => e.after.failures), [5, 4, 3, 2, 1]);
    assert.ok(failures[0].after.locked_until, 'the fifth locks');
    assert.ok(failures.slice(1).every((e) => !e.after.locked_until));
    const lockRow = rows.find((e) => e.action === 'auth.login_locked');
    assert.equal(lockRow.after.login, 'ly_member');
    assert.equal(lockRow.client, '127.0.0.1');
    const logins = (await a.get('/api/v1/audit?action=auth.login&limit=50')).json.entries;
    assert.ok(logins.some((e) => e.after.login === 'ly_member' && e.client === '127.0.0.2'));

    const idle = await as(s, 'pj_member');
    assert.equal((await idle.get('/api/v1/me')).status, 200);
    await sleep(3000);
    assertError(await idle.get('/api/v1/me'), 401, 'err_session_expired');
  } finally {
    await s.stop();
  }
  assertClean(s);
});

test('wrong old passwords count toward the lock and are audited (--lock-seconds 2)', async () => {
  const s = await startServer({ args: ['--lock-seconds', '2'] });
  try {
    const c = await as(s, 'wx_member');
    for (let i = 0; i < 5; i++)
      assertError(await c.post('/api/v1/me/password', { old_password: `guess-${i}-password`, new_password: STRONG2 }),
        422, 'err_password_wrong', 'old_password');
    // Locked now: the right old password is refused as a sign-in is.
    const locked = await c.post('/api/v1/me/password', { old_password: PASSWORD, new_password: STRONG2 });
    assertError(locked, 429, 'err_locked');
    assert.equal(locked.headers.get('retry-after'), '2');
    // Signing in is refused too, answered as a wrong password (a sign-in tells of no lock).
    assertError(await new Client(s.base).login('wx_member'), 401, 'err_login_failed');

    const a = await as(s, 'admin');
    const rows = (await a.get('/api/v1/audit?action=auth.&limit=200')).json.entries;
    const failed = rows.filter((e) => e.action === 'auth.password_failed');
    assert.equal(failed.length, 5);
    assert.ok(failed.every((e) => e.actor === 'user:wx_member' && e.client === '127.0.0.1' && e.after.login === 'wx_member'));
    assert.deepEqual(failed.map((e) => e.after.failures), [5, 4, 3, 2, 1]);
    assert.ok(failed[0].after.locked_until, 'the fifth locks');
    assert.ok(rows.some((e) => e.action === 'auth.password_locked' && e.client === '127.0.0.1'));
    assert.ok(!JSON.stringify(rows).includes('guess-'), 'passwords typed are never logged');

    await sleep(2300);
    assert.equal((await c.post('/api/v1/me/password', { old_password: PASSWORD, new_password: STRONG2 })).status, 204);
    assert.equal((await new Client(s.base).login('wx_member', STRONG2)).status, 201);
  } finally {
    await s.stop();
  }
  assertClean(s);
});

test('absolute session end and strict password rules (--session-max 4 --password-rules strict)', async () => {
  const s = await startServer({ args: ['--session-max', '4', '--password-rules', 'strict'] });
  try {
    const a = await as(s, 'admin');
    assertError(await a.post('/api/v1/users',
      { login: 'weak_one', role: 'member', unit_id: s.units.panjin, password: 'correct horse battery' }),
    422, 'err_password_weak', 'password');
    const gen = await a.post('/api/v1/users', { login: 'strong_one', role: 'member', unit_id: s.units.panjin });
    assert.equal(gen.status, 201, gen.body);
    const c = new Client(s.base);
    const t0 = Date.now(); // before the sign-in: the session is younger than this
    assert.equal((await c.login('strong_one', gen.json.password)).status, 201);
    const t1 = Date.now(); // after it: the session is older than this
    assertError(await c.post('/api/v1/me/password', { old_password: gen.json.password, new_password: 'alllowercaseletters' }),
      422, 'err_password_weak', 'new_password');
    await sleep(1000);
    // Used all the while (a slow sanitised build included: well inside the 4 s), it still ends.
    assert.ok(Date.now() - t0 < 3500, 'the steps above took too long to test the lifetime');
    assert.equal((await c.get('/api/v1/me')).status, 200, 'used within its lifetime');
    await sleep(Math.max(0, t1 + 4300 - Date.now()));
    assertError(await c.get('/api/v1/me'), 401, 'err_session_expired');
  } finally {
    await s.stop();
  }
  assertClean(s);
});

test('units and users page by key: ?after=&limit= and next_after, by id', async () => {
  for (const [path, key] of [['/api/v1/units', 'units'], ['/api/v1/users', 'users']]) {
    const all = await admin.get(`${path}?limit=200`);
    assert.equal(all.status, 200, all.body);
    assert.equal(all.json.next_after, null, 'one page holds them all');
    const want = all.json[key].map((x) => x.id);
    assert.ok(want.length >= 3, `${key}: enough rows to page`);
    assert.deepEqual(want, [...want].sort((a, b) => a - b), `${key} by id`);
    assert.equal((await admin.get(path)).json[key].length, Math.min(want.length, 50), 'default limit 50');
    const got = [];
    let after = 0;
    for (let pages = 0; pages < 100; pages++) {
      const r = await admin.get(`${path}?after=${after}&limit=2`);
      assert.equal(r.status, 200, r.body);
      assert.ok(r.json[key].length <= 2);
      got.push(...r.json[key].map((x) => x.id));
      if (r.json.next_after === null) break;
      assert.equal(r.json.next_after, r.json[key].at(-1).id);
      after = r.json.next_after;
    }
    assert.deepEqual(got, want, `${key}: the pages together are the whole list`);
  }
  // A coordinator's pages keep to its side.
  const ln = await as(server, 'ln_coord');
  const r = await ln.get('/api/v1/users?limit=1');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.users.length, 1);
  assert.equal(typeof r.json.next_after, 'number');
});

test('unknown pairing ids answer alike: 404 (for others as another pairing does); a city pairing 422', async () => {
  const pj = await as(server, 'pj_member');
  const ln = await as(server, 'ln_coord');
  const year = thisYear();
  const reads = (id) => [`/api/v1/units?pairing=${id}`, `/api/v1/work-plans?pairing=${id}`,
    `/api/v1/lights?pairing=${id}`];
  for (const path of reads(999999)) {
    assertError(await admin.get(path), 404, 'err_not_found', 'pairing');
    assertError(await pj.get(path), 404, 'err_not_found');
  }
  assertError(await admin.post('/api/v1/units', newUnit({ pairing_id: 999999 })), 404, 'err_not_found', 'pairing_id');
  assertError(await ln.post('/api/v1/units', newUnit({ pairing_id: 999999 })), 404, 'err_not_found');
  assertError(await admin.post('/api/v1/work-plans', { pairing_id: 999999, year }), 404, 'err_not_found', 'pairing_id');
  assertError(await ln.post('/api/v1/work-plans', { pairing_id: 999999, year }), 403, 'err_forbidden');
  // Pairing 2 is a city pairing of LJ: where a province pairing is required, 422 err_invalid.
  assertError(await admin.get('/api/v1/work-plans?pairing=2'), 422, 'err_invalid', 'pairing');
  assertError(await admin.get('/api/v1/lights?pairing=2'), 422, 'err_invalid', 'pairing');
  assertError(await pj.get('/api/v1/lights?pairing=2'), 422, 'err_invalid', 'pairing');
  assertError(await admin.post('/api/v1/work-plans', { pairing_id: 2, year }), 422, 'err_invalid', 'pairing_id');
  assertError(await admin.post('/api/v1/units', newUnit({ pairing_id: 2 })), 422, 'err_invalid', 'pairing_id');
  // …while a unit list by a city pairing stands for its province pairing.
  assert.equal((await pj.get('/api/v1/units?pairing=2')).status, 200);
});

test('/api/v1/me and /api/v1/users give an account the same shape', async () => {
  const keys = ['unit_id', 'unit', 'pairing_id', 'side'];
  const me = (await admin.get('/api/v1/me')).json.user;
  const listed = (await admin.get(`/api/v1/users/${me.id}`)).json;
  for (const k of keys) {
    assert.ok(k in me, `me has ${k}`);
    assert.equal(me[k], null, `me.${k} is null for an admin`);
    assert.equal(listed[k], null, `users.${k} is null for an admin`);
  }
  const pj = await as(server, 'pj_member');
  const pme = (await pj.get('/api/v1/me')).json.user;
  const plisted = (await admin.get(`/api/v1/users/${pme.id}`)).json;
  for (const k of [...keys, 'id', 'login', 'name', 'role', 'language'])
    assert.equal(pme[k], plisted[k], k);
  assert.equal(typeof pme.unit_id, 'number');
});

test('PATCH /users/{id} with a stale If-Match and nothing to change is 412, as for units', async () => {
  const id = ids.pj_member;
  const stale = `"user-${id}-2000-01-01T00:00:00Z"`;
  assertError(await admin.patch(`/api/v1/users/${id}`, {}, { headers: { 'if-match': stale } }), 412, 'err_stale');
  const cur = (await admin.get(`/api/v1/users/${id}`)).json;
  assertError(await admin.patch(`/api/v1/users/${id}`, { name: cur.name }, { headers: { 'if-match': stale } }),
    412, 'err_stale');
  assertError(await admin.patch(`/api/v1/users/${id}`, { disabled: false }, { headers: { 'if-match': stale } }),
    412, 'err_stale');
  const unit = server.units.liaoyang;
  assertError(await admin.patch(`/api/v1/units/${unit}`, {}, { headers: { 'if-match': `"unit-${unit}-x"` } }),
    412, 'err_stale');
});
