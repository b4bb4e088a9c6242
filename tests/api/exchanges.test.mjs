// Exchanges of people (干部挂职 · 培训 · 人才交流, issue #12) through the API and the pages:
// each kind recorded; bad input refused with its field and nothing stored; a secondment's ID
// number and phone shown to its sending side's lead office and admins only, absent for
// everyone else, sealed in the database file and its audit rows; counts that agree with the
// lists they summarise, with the plan's targets of the tasks served; "in post now" and
// "returning within 30 days" by the server's today (tests/api/clock.mjs); If-Match on edits;
// the pages and a form round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { startServer, serve, as, Client, LJ } from './harness.mjs';
import { today, thisYear } from './clock.mjs';
import { WebClient } from './web_client.mjs';

let server, task4;
const c = {};

// A 居民身份证号码 with its GB 11643 check character, from 17 digits.
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
const ID = idNumber('21110219850312741'); // a 盘锦 number born 1985-03-12
const PHONE = '+86-427-5551234';

before(async () => {
  server = await startServer();
  for (const login of ['ln_coord', 'js_coord', 'pj_member', 'wx_member', 'ln_leader', 'dl_coord', 'admin'])
    c[login] = await as(server, login);
  const plan = await c.admin.get('/api/v1/plans/1');
  task4 = plan.json.areas.flatMap((a) => a.tasks).find((t) => t.number === 4).id;
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

const secondment = (over = {}) => ({
  kind: 'secondment', title: '盘锦干部赴无锡挂职', person_name: '王晓明',
  from_unit_id: server.units.panjin, host_unit_id: server.units.wuxi, post: '无锡市发改委副主任',
  field: '放管服改革', starts: today(-10), ends: today(20), ...over,
});

async function create(who, body, status = 201) {
  const r = await c[who].post('/api/v1/exchanges', body);
  assert.equal(r.status, status, r.body);
  return r;
}

function assertError(r, status, field, code) {
  assert.equal(r.status, status, r.body);
  assert.equal(r.json.error.field, field, r.body);
  if (code) assert.equal(r.json.error.code, code, r.body);
}

const allIds = async () => (await c.admin.get('/api/v1/exchanges?pairing=1')).json.exchanges.map((e) => e.id);

test('each kind is recorded, with the sending side and the people counted', async () => {
  let r = await create('ln_coord', secondment({ id_number: ID.toLowerCase(), phone: PHONE }));
  assert.equal(r.headers.get('location'), `/api/v1/exchanges/${r.json.id}`);
  const s = r.json;
  assert.equal(s.kind, 'secondment');
  assert.equal(s.side, 0);
  assert.equal(s.pairing_id, LJ);
  assert.equal(s.id_number, ID, 'normalised: the check X upper-cased');
  assert.equal(s.phone, PHONE);
  assert.equal(s.from_unit, '盤錦市人民政府');
  assert.equal(s.host_unit, '無錫市人民政府');
  assert.equal(s.from_unit_id, server.units.panjin);
  assert.equal(s.host_unit_id, server.units.wuxi);
  assert.deepEqual([s.count_a, s.count_b], [1, 0]);
  assert.equal(s.year, Number(today(-10).slice(0, 4)));
  assert.equal(s.in_post, true);
  assert.equal(s.returning, true);

  // a training organised by Jiangsu, with names and the task it serves (task 4 has targets)
  r = await create('js_coord', { kind: 'training', title: '辽宁干部赴苏对口培训', side: 1,
    from_unit_id: server.units.js_office, starts: today(), ends: today(5), place: '南京',
    count_a: 40, count_b: 5, names: ['张三', '李四'], task_id: task4 });
  assert.equal(r.json.side, 1);
  assert.deepEqual([r.json.count_a, r.json.count_b], [40, 5]);
  assert.deepEqual(r.json.names, ['张三', '李四']);
  assert.equal(r.json.task_number, 4);
  assert.equal(r.json.in_post, false, 'only a secondment is in post');
  assert.equal('id_number' in r.json, false, 'no personal data on a training');
  // the others, by counts; an admin names the pairing
  for (const [kind, a, b] of [['talent', 3, 0], ['expert', 2, 2], ['teacher', 0, 6], ['student', 20, 20]]) {
    r = await create(kind === 'student' ? 'admin' : 'ln_coord', { kind, title: `${kind}交流`, side: 0,
      starts: today(), count_a: a, count_b: b, purpose: '交流学习', ...(kind === 'student' ? { pairing_id: 1 } : {}) });
    assert.equal(r.json.kind, kind);
    assert.deepEqual([r.json.count_a, r.json.count_b], [a, b]);
  }
  // members and leaders do not record
  assert.equal((await c.pj_member.post('/api/v1/exchanges', secondment())).status, 403);
  assert.equal((await c.ln_leader.post('/api/v1/exchanges', secondment())).status, 403);
});

test('bad input: 422 with its field, nothing stored', async () => {
  const before = await allIds();
  const bad = idNumber('21110219850312741').slice(0, 17) + (ID[17] === '0' ? '1' : '0');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ id_number: bad })), 422, 'id_number', 'err_id_number');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ id_number: '2111021985031274' })), 422, 'id_number', 'err_id_number');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ id_number: idNumber('21110219851332741') })), 422, 'id_number', 'err_id_number');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ phone: '0427 555' })), 422, 'phone', 'err_phone');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ ends: today(-11) })), 422, 'ends', 'err_exchange_ends');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ starts: '2026-02-30' })), 422, 'starts', 'err_date');
  // the host on the same side, a unit of another pairing
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ host_unit_id: server.units.liaoyang })), 422, 'host_unit_id', 'err_exchange_host_side');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ from_unit_id: server.units.dl_office })), 422, 'from_unit_id', 'err_unit_unknown');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ side: 1 })), 422, 'side', 'err_exchange_side');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ person_name: null })), 422, 'person_name', 'err_required');
  assertError(await c.ln_coord.post('/api/v1/exchanges', secondment({ kind: 'tourism' })), 422, 'kind', 'err_exchange_kind');
  assertError(await c.ln_coord.post('/api/v1/exchanges', { kind: 'training', title: '培训', side: 0, starts: today(), count_a: 0 }), 422, 'count_a', 'err_exchange_count');
  assertError(await c.ln_coord.post('/api/v1/exchanges', { kind: 'training', title: '培训', starts: today(), count_a: 3 }), 422, 'side', 'err_required');
  assertError(await c.ln_coord.post('/api/v1/exchanges', { kind: 'training', title: '培训', side: 0, starts: today(), count_a: 1, names: ['甲', '乙'] }), 422, 'names', 'err_exchange_names');
  assertError(await c.ln_coord.post('/api/v1/exchanges', { kind: 'training', title: '培训', side: 0, starts: today(), count_a: 1, id_number: ID }), 422, 'id_number', 'err_exchange_personal');
  assertError(await c.ln_coord.post('/api/v1/exchanges', { kind: 'training', title: '培训', side: 0, starts: today(), count_a: 1, task_id: 999999 }), 422, 'task_id', 'err_task_unknown');
  // personal data of Liaoning's secondee typed by Jiangsu's lead office
  assertError(await c.js_coord.post('/api/v1/exchanges', secondment({ id_number: ID })), 403, 'id_number');
  assert.deepEqual(await allIds(), before);
});

test('the ID number and phone: the sending side\'s lead office and admins only', async () => {
  const id = (await create('ln_coord', secondment({ person_name: '李红', id_number: ID, phone: PHONE }))).json.id;
  for (const who of ['ln_coord', 'admin']) {
    const r = await c[who].get(`/api/v1/exchanges/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.id_number, ID, who);
    assert.equal(r.json.phone, PHONE, who);
    assert.equal(r.json.personal_unavailable, false);
  }
  // the other side's lead office, a leader, members of the from and host units: read the
  // exchange, never the data (nor that it exists)
  for (const who of ['js_coord', 'ln_leader', 'pj_member', 'wx_member']) {
    const one = await c[who].get(`/api/v1/exchanges/${id}`);
    assert.equal(one.status, 200, who);
    assert.equal(one.json.person_name, '李红');
    for (const k of ['id_number', 'phone', 'personal_unavailable']) assert.equal(k in one.json, false, `${who}: ${k}`);
    assert.ok(!one.body.includes(ID) && !one.body.includes(PHONE), who);
    const list = await c[who].get('/api/v1/exchanges');
    assert.ok(list.json.exchanges.some((e) => e.id === id), who);
    assert.ok(!list.body.includes(ID) && !list.body.includes(PHONE), who);
    const page = await c[who].get(`/exchanges/${id}`);
    assert.equal(page.status, 200, who);
    assert.ok(page.body.includes('李红') && !page.body.includes(ID) && !page.body.includes('身份证号码'), who);
  }
  assert.ok((await c.ln_coord.get(`/exchanges/${id}`)).body.includes(ID));
  // another pairing reads nothing: to it the exchange does not exist (issue #10)
  assert.equal((await c.dl_coord.get(`/api/v1/exchanges/${id}`)).status, 404);
  // Jiangsu's lead office may edit the exchange but not its personal data
  let etag = (await c.js_coord.get(`/api/v1/exchanges/${id}`)).headers.get('etag');
  assertError(await c.js_coord.patch(`/api/v1/exchanges/${id}`, { phone: '13900000000' }, { headers: { 'if-match': etag } }), 403, 'phone');
  let r = await c.js_coord.patch(`/api/v1/exchanges/${id}`, { post: '副主任' }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal((await c.ln_coord.get(`/api/v1/exchanges/${id}`)).json.id_number, ID, 'an edit keeps it');
  // …nor hand it to its own side by moving the secondee's unit
  etag = r.headers.get('etag');
  assertError(await c.js_coord.patch(`/api/v1/exchanges/${id}`, { from_unit_id: server.units.wuxi, host_unit_id: server.units.panjin }, { headers: { 'if-match': etag } }), 403, 'from_unit_id');
  // a new phone by Liaoning's lead office
  r = await c.ln_coord.patch(`/api/v1/exchanges/${id}`, { phone: '13800138000' }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.phone, '13800138000');
  // the audit rows: whether it is sealed, never what it is
  const audit = await c.admin.get(`/api/v1/audit?entity=exchange&entity_id=${id}&limit=20`);
  assert.equal(audit.status, 200);
  assert.equal(audit.json.entries.length, 3);
  assert.ok(!audit.body.includes(ID) && !audit.body.includes(PHONE) && !audit.body.includes('13800138000'));
  const created = audit.json.entries.find((e) => e.action === 'exchange.create');
  const afterImage = typeof created.after === 'string' ? JSON.parse(created.after) : created.after;
  assert.equal(afterImage.id_number_sealed, true);
  assert.equal(afterImage.phone_sealed, true);
});

test('the database file holds no ID number or phone in the clear', async () => {
  const dump = execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.match(dump, /INSERT INTO exchange/);
  assert.match(dump, /'v1:[A-Za-z0-9+/=]+'/, 'sealed texts are there');
  for (const plain of [ID, PHONE, ID.slice(6, 14)]) assert.ok(!dump.includes(plain), plain);
  // the bytes themselves, the write-ahead log included
  for (const f of [server.db, server.db + '-wal'].filter(existsSync)) {
    const bytes = readFileSync(f);
    assert.equal(bytes.indexOf(ID), -1, f);
    assert.equal(bytes.indexOf(PHONE), -1, f);
  }
  // the key is beside it, readable by its owner only
  const { statSync } = await import('node:fs');
  assert.equal(statSync(server.db + '.data-key').mode & 0o777, 0o600);
  // a copy without its key: the sealed fields are unavailable, and nothing breaks
  const copy = server.db + '.copy';
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, `.backup '${copy}'`]);
  const out = execFileSync(process.env.DUIKOU_BIN ?? 'build/duikou', ['--db', copy, 'plans'], { encoding: 'utf8' });
  assert.match(out, /對口合作實施方案/);
  assert.equal(existsSync(copy + '.data-key'), false, 'a reading command makes no key');
  const other = await serve(['--db', copy, 'serve', '--listen', '127.0.0.1:0', '--login-rate', '0']);
  try {
    // no key of its own: one made now would not open what was sealed, and the old one could
    // not be put back beside it
    assert.equal(existsSync(copy + '.data-key'), false, 'the server makes no new key');
    const refused = new Client(other.base);
    assert.equal((await refused.login('ln_coord')).status, 201);
    const r = await refused.post('/api/v1/exchanges', secondment({ phone: PHONE }));
    assert.equal(r.status, 409, r.body);
    assert.equal(r.json.error.code, 'err_data_key');
    const admin = new Client(other.base);
    assert.equal((await admin.login('admin')).status, 201);
    const list = await admin.get('/api/v1/exchanges?pairing=1');
    assert.equal(list.status, 200);
    const sealed = list.json.exchanges.filter((e) => e.personal_unavailable);
    assert.ok(sealed.length >= 2, list.body.slice(0, 300));
    assert.ok(sealed.every((e) => e.id_number === null && e.phone === null));
    const page = await admin.get(`/exchanges/${sealed[0].id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /无法读取（数据密钥不可用）/);
  } finally {
    const done = new Promise((r) => other.proc.on('exit', r));
    other.proc.kill('SIGTERM');
    await done;
  }
});

test('counts per year and side agree with the list, with the targets of the tasks served', async () => {
  const year = thisYear();
  const counts = await c.js_coord.get(`/api/v1/exchanges/counts?year=${year}`);
  assert.equal(counts.status, 200, counts.body);
  assert.equal(counts.json.year, year);
  assert.equal(counts.json.pairing_id, LJ);
  const list = (await c.js_coord.get(`/api/v1/exchanges?year=${year}`)).json.exchanges;
  assert.ok(list.length >= 5, list.length);
  assert.deepEqual(counts.json.kinds.map((k) => k.kind), ['secondment', 'training', 'talent', 'expert', 'teacher', 'student']);
  let a = 0, b = 0;
  for (const k of counts.json.kinds) {
    const of = list.filter((e) => e.kind === k.kind);
    assert.equal(k.entries, of.length, k.kind);
    const pa = of.reduce((s, e) => s + (e.kind === 'secondment' ? (e.side === 0 ? 1 : 0) : e.count_a), 0);
    const pb = of.reduce((s, e) => s + (e.kind === 'secondment' ? (e.side === 1 ? 1 : 0) : e.count_b), 0);
    assert.equal(k.people_a, pa, k.kind);
    assert.equal(k.people_b, pb, k.kind);
    a += pa; b += pb;
  }
  assert.equal(counts.json.people_a, a);
  assert.equal(counts.json.people_b, b);
  // the training serves task 4, whose targets are the plan's
  const training = counts.json.kinds.find((k) => k.kind === 'training');
  assert.ok(training.targets.some((t) => t.task_number === 4 && t.min === 50 && /50家企/.test(t.text)), JSON.stringify(training.targets));
  assert.deepEqual(counts.json.kinds.find((k) => k.kind === 'talent').targets, []);
  // the filters of the list agree too
  const side1 = (await c.js_coord.get(`/api/v1/exchanges?year=${year}&side=1`)).json.exchanges;
  assert.deepEqual(side1.map((e) => e.id), list.filter((e) => e.side === 1).map((e) => e.id));
  const trainings = (await c.js_coord.get(`/api/v1/exchanges?year=${year}&kind=training`)).json.exchanges;
  assert.deepEqual(trainings.map((e) => e.id), list.filter((e) => e.kind === 'training').map((e) => e.id));
  assert.equal((await c.js_coord.get('/api/v1/exchanges?kind=tourism')).status, 400);
  assert.equal((await c.dl_coord.get('/api/v1/exchanges/counts?pairing=1')).status, 404);
  // another pairing's year is its own
  const sd = await c.dl_coord.get(`/api/v1/exchanges/counts?year=${year}`);
  assert.equal(sd.json.people_a + sd.json.people_b, 0);
});

test('in post now and returning within 30 days, by the server\'s today', async () => {
  const make = async (name, starts, ends) => (await create('ln_coord', secondment({ person_name: name, starts, ends }))).json.id;
  const ids = {
    returning: await make('甲', today(-100), today(5)),
    endsToday: await make('乙', today(-30), today()),
    edge30: await make('丙', today(-3), today(30)),
    staying: await make('丁', today(-10), today(60)),
    openEnded: await make('戊', today(-1), null),
    ended: await make('己', today(-40), today(-1)),
    future: await make('庚', today(1), today(40)),
  };
  const mine = new Set(Object.values(ids));
  const pick = async (q) => (await c.pj_member.get(`/api/v1/exchanges?${q}`)).json.exchanges.filter((e) => mine.has(e.id));
  const now = await pick('now=1');
  assert.deepEqual(new Set(now.map((e) => e.id)),
    new Set([ids.returning, ids.endsToday, ids.edge30, ids.staying, ids.openEnded]));
  assert.ok(now.every((e) => e.in_post));
  const returning = await pick('returning=1');
  assert.deepEqual(returning.map((e) => e.id), [ids.endsToday, ids.returning, ids.edge30], 'by end date');
  assert.ok(returning.every((e) => e.returning));
  const all = await pick('');
  for (const e of all) assert.equal(e.returning, [ids.returning, ids.endsToday, ids.edge30].includes(e.id), e.person_name);
  // a training is never "in post"
  const trainings = (await c.pj_member.get('/api/v1/exchanges?now=1')).json.exchanges.filter((e) => e.kind !== 'secondment');
  assert.deepEqual(trainings, []);
  // the page shows both sections
  const page = await c.pj_member.get('/exchanges');
  assert.equal(page.status, 200);
  const nowPart = page.body.slice(page.body.indexOf('id="now"'), page.body.indexOf('id="returning"'));
  const retPart = page.body.slice(page.body.indexOf('id="returning"'), page.body.indexOf('id="year"'));
  assert.ok(nowPart.includes('>丁<') && !nowPart.includes('>己<') && !nowPart.includes('>庚<'));
  assert.ok(retPart.includes('>甲<') && retPart.includes('>乙<') && !retPart.includes('>丁<'));
});

test('edits take If-Match; the kind is fixed', async () => {
  const r0 = await create('ln_coord', { kind: 'expert', title: '专家讲座', side: 0, starts: today(), count_a: 2 });
  const id = r0.json.id;
  assert.equal((await c.ln_coord.patch(`/api/v1/exchanges/${id}`, { place: '沈阳' })).status, 428);
  const etag = (await c.ln_coord.get(`/api/v1/exchanges/${id}`)).headers.get('etag');
  assert.equal(etag, `"exchange-${id}-${r0.json.updated_at}"`);
  assert.equal((await c.ln_coord.get(`/api/v1/exchanges/${id}`, { headers: { 'if-none-match': etag } })).status, 304);
  let r = await c.js_coord.patch(`/api/v1/exchanges/${id}`, { place: '沈阳', count_b: 3 }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.place, '沈阳');
  assert.equal(r.json.count_b, 3);
  assert.equal((await c.ln_coord.patch(`/api/v1/exchanges/${id}`, { place: '大连' }, { headers: { 'if-match': etag } })).status, 412);
  assertError(await c.ln_coord.patch(`/api/v1/exchanges/${id}`, { kind: 'teacher' }, { headers: { 'if-match': r.headers.get('etag') } }), 422, 'kind', 'err_fixed');
  assertError(await c.ln_coord.patch(`/api/v1/exchanges/${id}`, { ends: today(-1) }, { headers: { 'if-match': r.headers.get('etag') } }), 422, 'ends', 'err_exchange_ends');
  assert.equal((await c.pj_member.patch(`/api/v1/exchanges/${id}`, { place: 'x' }, { headers: { 'if-match': r.headers.get('etag') } })).status, 403);
  assert.equal((await c.dl_coord.patch(`/api/v1/exchanges/${id}`, { place: 'x' }, { headers: { 'if-match': r.headers.get('etag') } })).status, 404);
});

test('the pages: lists, counts, and the form round trip', async () => {
  const b = await WebClient.signIn(server.base, 'ln_coord');
  let r = await b.get(`/exchanges?year=${thisYear()}`);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /\bui_ex_[a-z_]+\b|\berr_[a-z_]+\b/, 'no bare message id');
  for (const s of ['在岗挂职', '即将期满', '人数统计', '登记交流', '放管服改革']) assert.ok(r.body.includes(s), s);
  // a bad form: 422, the input kept, the message by the field and a summary above
  const typed = { kind: 'secondment', title: '网页挂职', person_name: '赵六', from_unit: String(server.units.panjin),
    host_unit: String(server.units.wuxi), post: '副局长', field: '金融和航运', starts: today(), ends: today(-1),
    id_number: ID };
  r = await b.post('/exchanges', typed);
  assert.equal(r.status, 422);
  assert.match(r.body, /value="网页挂职"/);
  assert.match(r.body, /value="副局长"/);
  assert.match(r.body, /id="ends-error"[^>]*>结束日期不能早于开始日期。</);
  assert.match(r.body, /aria-describedby="ends-error"/);
  assert.match(r.body, /class="error-summary"[\s\S]*<a href="#ends">[^<]*结束日期不能早于开始日期。<\/a>/);
  assert.ok(!r.body.includes(ID), 'the ID number is not shown back');
  // fixed: 303 to the new exchange
  r = await b.post('/exchanges', { ...typed, ends: today(100) });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const m = /^\/exchanges\/(\d+)\?done=created$/.exec(r.location);
  assert.ok(m, r.location);
  r = await b.get(r.location);
  assert.equal(r.status, 200);
  assert.ok(r.body.includes('赵六') && r.body.includes(ID) && r.body.includes('已登记。'));
  const api = (await c.ln_coord.get(`/api/v1/exchanges/${m[1]}`)).json;
  assert.equal(api.id_number, ID);
  assert.equal(api.field, '金融和航运');
  // edit with the form: blank personal fields keep them
  const updatedAt = /name="updated_at" value="([^"]+)"/.exec(r.body)[1];
  r = await b.post(`/exchanges/${m[1]}`, { ...typed, ends: today(100), post: '局长助理', id_number: '', updated_at: updatedAt });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  let after = (await c.ln_coord.get(`/api/v1/exchanges/${m[1]}`)).json;
  assert.equal(after.post, '局长助理');
  assert.equal(after.id_number, ID);
  // a stale form: 409, the input kept
  r = await b.post(`/exchanges/${m[1]}`, { ...typed, ends: today(100), post: '过时', updated_at: updatedAt });
  assert.equal(r.status, 409);
  assert.match(r.body, /value="过时"/);
  // a training by the form, with names one a line
  r = await b.post('/exchanges', { kind: 'training', title: '网页培训', side: '0', starts: today(), count_a: '3',
    count_b: '1', names: '甲\r\n乙\r\n', task: String(task4) });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  after = (await c.ln_coord.get(r.location.replace('/exchanges/', '/api/v1/exchanges/').replace(/\?.*/, ''))).json;
  assert.deepEqual(after.names, ['甲', '乙']);
  assert.equal(after.task_id, task4);
  // members read the pages and get no form
  const pm = await WebClient.signIn(server.base, 'pj_member');
  r = await pm.get('/exchanges');
  assert.equal(r.status, 200);
  assert.ok(!r.body.includes('action="/exchanges"'));
  assert.equal((await pm.post('/exchanges', typed)).status, 403);
  // English and Traditional: no bare ids
  for (const lang of ['en', 'zh-Hant']) {
    r = await b.get(`/exchanges?lang=${lang}`);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, lang);
  }
});
