// Events (活动) over the API, issue #12: an event from creation to minutes, its registrations
// with the waiting list, check-in, outcomes and the projects they become, the funnel checked
// against the lists it summarises, and the "bad input and concurrency" list — every
// refusal with its status and field, nothing stored by it, and organisers racing for the last
// seats never going over capacity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, as, LJ } from './harness.mjs';
import { today } from './clock.mjs';

let server;
const u = {}; // signed-in clients by login
const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();
const count = (sql) => Number(sqlite(sql));

// A valid 统一社会信用代码 (GB 32100-2015: C18 = 31 - Σ Ci×Wi mod 31, 31 written 0).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function creditCode(n) {
  const body = '91210000' + String(n).padStart(9, '0');
  const sum = [...body].reduce((s, ch, i) => s + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}

let serial = 0;
// An enterprise of LJ's side (0: 遼寧, 1: 江蘇), recorded by that side's coordinator: its id.
async function enterprise(side) {
  const n = ++serial;
  const r = await (side ? u.js_coord : u.ln_coord).post('/api/v1/enterprises', {
    name: `${side ? '江苏' : '辽宁'}测试企业${n}有限公司`, credit_code: creditCode(n),
    region_code: side ? '320500' : '210100', industry: 'C', side,
  });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}
const enterprises = async (side, n) => { const ids = []; for (let i = 0; i < n; i++) ids.push(await enterprise(side)); return ids; };

// A docking event of LJ ahead of today (registrations close once it is over), created by
// client (ln_coord by default) with the fields given: its JSON.
async function event(fields = {}, client = u.ln_coord) {
  const day = today(30);
  const r = await client.post('/api/v1/events', {
    kind: 'docking', title: `辽宁行对接活动${++serial}`, host_side: 0, starts: `${day}T09:00`, ends: `${day}T17:00`, ...fields,
  });
  assert.equal(r.status, 201, r.body);
  return r.json;
}
const register = (client, eventId, who) => client.post(`/api/v1/events/${eventId}/registrations`, who);
const getEvent = async (id) => (await u.admin.get(`/api/v1/events/${id}`)).json;

before(async () => {
  server = await startServer();
  for (const login of ['ln_coord', 'js_coord', 'pj_member', 'ly_member', 'wx_member', 'dl_coord', 'admin'])
    u[login] = await as(server, login);
});
after(async () => { await server?.stop(); });

test('an event: created with the issue\'s fields, listed, filtered, edited with If-Match, minutes', async () => {
  const day = today(40);
  const year = Number(day.slice(0, 4));
  const r = await u.ln_coord.post('/api/v1/events', {
    kind: 'docking', title: '辽宁行·沈阳装备制造对接会', host_side: 0, host_region_code: '210100',
    starts: `${day}T09:00`, ends: `${day}T17:30`, place: '沈阳市会展中心', capacity: 60, public: true,
    themes: ['C', '35'], unit_ids: [server.units.panjin], city_pairing_ids: [2], agenda: '上午签约，下午对接',
  });
  assert.equal(r.status, 201, r.body);
  const e = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/events/${e.id}`);
  // the version, then the counts that move without it (registrations, check-ins, outcomes)
  assert.ok(r.headers.get('etag').startsWith(`"event-${e.id}-${e.updated_at}~`), r.headers.get('etag'));
  assert.equal(e.kind, 'docking');
  assert.equal(e.starts, `${day}T09:00`);
  assert.equal(e.ends, `${day}T17:30`);
  assert.equal(e.year, year);
  assert.equal(e.host_side, 0);
  assert.equal(e.host_region_code, '210100');
  assert.equal(e.capacity, 60);
  assert.equal(e.public, true);
  assert.equal(e.state, 'planned');
  assert.equal(e.past, false);
  assert.deepEqual([e.registered, e.waiting, e.attended, e.intentions, e.signed], [0, 0, 0, 0, 0]);
  assert.deepEqual(e.themes.map((t) => t.code), ['35', 'C']);
  assert.deepEqual(e.units.map((x) => x.id), [server.units.panjin]);
  assert.deepEqual(e.cities.map((x) => x.id), [2]);
  assert.equal(count(`SELECT count(*) FROM audit WHERE action = 'event.create' AND entity_id = ${e.id}`), 1);

  // the list: {"events":[…]} with at least the names
  const list = await u.pj_member.get(`/api/v1/events?pairing=${LJ}&year=${year}`);
  assert.equal(list.status, 200, list.body);
  const mine = list.json.events.find((x) => x.id === e.id);
  for (const k of ['id', 'kind', 'title', 'starts', 'ends', 'host_side', 'host_region_code', 'capacity', 'registered', 'attended', 'public'])
    assert.ok(k in mine, k);
  const ids = async (q) => (await u.ln_coord.get(`/api/v1/events?pairing=${LJ}&${q}`)).json.events.map((x) => x.id);
  assert.ok((await ids('kind=docking')).includes(e.id));
  assert.ok(!(await ids('kind=forum')).includes(e.id));
  assert.ok((await ids('when=upcoming')).includes(e.id));
  assert.ok(!(await ids('when=past')).includes(e.id));
  assert.ok((await ids('theme=C')).includes(e.id), 'a section matches');
  assert.ok((await ids('theme=35')).includes(e.id));
  assert.ok(!(await ids('theme=A')).includes(e.id));
  assert.ok(!(await ids(`year=${year + 1}`)).includes(e.id));
  for (const [q, field] of [['kind=party', 'kind'], ['when=soon', 'when'], ['year=1999', 'year'], ['theme=ZZ', 'theme']]) {
    const bad = await u.ln_coord.get(`/api/v1/events?${q}`);
    assert.equal(bad.status, 400, q);
    assert.equal(bad.json.error.field, field, q);
  }

  // PATCH needs If-Match: 428 without, 412 stale; the organising unit's member may edit
  const etag = (await u.ln_coord.get(`/api/v1/events/${e.id}`)).headers.get('etag');
  assert.equal((await u.ln_coord.get(`/api/v1/events/${e.id}`, { headers: { 'if-none-match': etag } })).status, 304);
  // a registration changes no field of the event but its counts: no 304 with the old ones
  const [ent] = await enterprises(0, 1);
  assert.equal((await register(u.ln_coord, e.id, { enterprise_id: ent })).status, 201);
  const fresh = await u.ln_coord.get(`/api/v1/events/${e.id}`, { headers: { 'if-none-match': etag } });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.json.registered, e.registered + 1);
  assert.equal((await u.ln_coord.patch(`/api/v1/events/${e.id}`, { title: '改名' })).status, 428);
  assert.equal((await u.ln_coord.patch(`/api/v1/events/${e.id}`, { title: '改名' }, { headers: { 'if-match': `"event-${e.id}-2000-01-01T00:00:00Z"` } })).status, 412);
  const ed = await u.pj_member.patch(`/api/v1/events/${e.id}`, { title: '辽宁行·沈阳对接会', capacity: null, themes: ['C'] }, { headers: { 'if-match': etag } });
  assert.equal(ed.status, 200, ed.body);
  assert.equal(ed.json.title, '辽宁行·沈阳对接会');
  assert.equal(ed.json.capacity, null);
  assert.deepEqual(ed.json.themes.map((t) => t.code), ['C']);
  assert.notEqual(ed.headers.get('etag'), etag);
  const denied = await u.ly_member.patch(`/api/v1/events/${e.id}`, { title: 'x' }, { headers: { 'if-match': ed.headers.get('etag') } });
  assert.equal(denied.status, 403, 'not an organiser');
  assert.equal((await u.ln_coord.patch(`/api/v1/events/${e.id}`, { pairing_id: 13 }, { headers: { 'if-match': ed.headers.get('etag') } })).json.error.field, 'pairing_id');

  // the minutes, with If-Match as well
  assert.equal((await u.ln_coord.put(`/api/v1/events/${e.id}/minutes`, { minutes: '纪要' })).status, 428);
  const m = await u.ln_coord.put(`/api/v1/events/${e.id}/minutes`, { minutes: '会议纪要：签约三项。' }, { headers: { 'if-match': ed.headers.get('etag') } });
  assert.equal(m.status, 200, m.body);
  assert.equal(m.json.minutes, '会议纪要：签约三项。');
  assert.equal(count(`SELECT count(*) FROM audit WHERE action = 'event.minutes' AND entity_id = ${e.id}`), 1);
});

test('an event that ends before it starts is 422 on ends, and nothing is stored', async () => {
  const before = count('SELECT count(*) FROM event');
  const day = today(10);
  for (const ends of [`${day}T08:00`, `${day}T09:00`]) {
    const r = await u.ln_coord.post('/api/v1/events', { kind: 'forum', title: '论坛', host_side: 0, starts: `${day}T09:00`, ends });
    assert.equal(r.status, 422, r.body);
    assert.equal(r.json.error.field, 'ends');
  }
  const bad = await u.ln_coord.post('/api/v1/events', { kind: 'party', title: '论坛', host_side: 0, starts: `${day}T09:00`, ends: `${day}T10:00` });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'kind');
  const noStart = await u.ln_coord.post('/api/v1/events', { kind: 'forum', title: '论坛', host_side: 0, ends: `${day}T10:00` });
  assert.equal(noStart.json.error.field, 'starts');
  const typo = await u.ln_coord.post('/api/v1/events', { kind: 'forum', title: '论坛', host_side: 0, starts: `${day}T09:00`, ends: `${day}T10:00`, capcity: 3 });
  assert.equal(typo.json.error.code, 'err_unknown_field');
  assert.equal(count('SELECT count(*) FROM event'), before);
  // and an edit to the same effect changes nothing
  const e = await event();
  const r = await u.ln_coord.patch(`/api/v1/events/${e.id}`, { ends: e.starts }, { headers: { 'if-match': `"event-${e.id}-${e.updated_at}"` } });
  assert.equal(r.status, 422, r.body);
  assert.equal(r.json.error.field, 'ends');
  assert.equal((await getEvent(e.id)).ends, e.ends);
});

test('rotation suggests the other side; the year\'s themes warn past two', async () => {
  const year = 2031; // a year of its own
  for (const [theme, side, day] of [['C', 0, '03-02'], ['35', 1, '04-03'], ['I', 0, '03-20']]) {
    const r = await u.ln_coord.post('/api/v1/events', { kind: 'docking', title: `轮值${theme}`, host_side: side, themes: [theme], starts: `${year}-${day}T09:00`, ends: `${year}-${day}T12:00` });
    assert.equal(r.status, 201, r.body);
  }
  const t = await u.js_coord.get(`/api/v1/events/themes?pairing=${LJ}&year=${year}`);
  assert.equal(t.status, 200, t.body);
  assert.deepEqual(t.json.themes.map((x) => x.code), ['35', 'C', 'I']);
  assert.equal(t.json.warning, 'event_themes_many');
  const none = await u.js_coord.get('/api/v1/events/themes?year=2020');
  assert.deepEqual(none.json.themes, []);
  assert.equal(none.json.warning, 'event_themes_none', 'a year gone by June without a theme');
  // the latest docking event (April, host side 1): the next one is Liaoning's, in one of its cities
  const rot = await u.pj_member.get('/api/v1/events/rotation');
  assert.equal(rot.status, 200, rot.body);
  assert.equal(rot.json.previous[0].host_side, 1);
  assert.equal(rot.json.suggested_side, 0);
  assert.match(rot.json.suggested_region_code, /^21\d{4}$/, 'a Liaoning city');
  assert.equal((await u.admin.get('/api/v1/events/rotation')).status, 400, 'an admin names the pairing');
  assert.equal((await u.dl_coord.get(`/api/v1/events/rotation?pairing=${LJ}`)).status, 404, 'another pairing: not there');
});

test('registering twice is 409; past capacity goes to the waiting list, which moves up in order', async () => {
  const e = await event({ capacity: 2 });
  const [a, b, c, d] = await enterprises(0, 4);
  const regs = [];
  for (const id of [a, b, c, d]) {
    const r = await register(u.ln_coord, e.id, { enterprise_id: id });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.headers.get('location'), `/api/v1/registrations/${r.json.id}`);
    regs.push(r.json);
  }
  assert.deepEqual(regs.map((r) => r.status), ['registered', 'registered', 'waiting', 'waiting']);
  assert.deepEqual(regs.map((r) => r.position), [null, null, 1, 2]);
  assert.deepEqual(regs.map((r) => r.number), [1, 2, 3, 4]);
  const twice = await register(u.ln_coord, e.id, { enterprise_id: c });
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error.code, 'err_registration_exists');
  assert.equal(count(`SELECT count(*) FROM registration WHERE event_id = ${e.id}`), 4, 'nothing stored by the refusal');
  let ev = await getEvent(e.id);
  assert.deepEqual([ev.registered, ev.waiting], [2, 2]);

  // withdrawing a seat: the first waiting (c) moves up, d becomes first
  const w = await u.ln_coord.post(`/api/v1/registrations/${regs[0].id}/withdraw`);
  assert.equal(w.status, 200, w.body);
  assert.equal(w.json.registration.status, 'withdrawn');
  assert.equal(w.json.promoted_id, regs[2].id);
  assert.equal((await u.ln_coord.get(`/api/v1/registrations/${regs[2].id}`)).json.status, 'registered');
  assert.equal((await u.ln_coord.get(`/api/v1/registrations/${regs[3].id}`)).json.position, 1);
  // a waiting one withdrawing gives no seat
  const w2 = await u.ln_coord.post(`/api/v1/registrations/${regs[3].id}/withdraw`);
  assert.equal(w2.json.promoted_id, null);
  const again = await u.ln_coord.post(`/api/v1/registrations/${regs[0].id}/withdraw`);
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'err_registration_withdrawn');
  ev = await getEvent(e.id);
  assert.deepEqual([ev.registered, ev.waiting], [2, 0]);
  // the list, by number, the withdrawn included
  const list = await u.pj_member.get(`/api/v1/events/${e.id}/registrations`);
  assert.deepEqual(list.json.registrations.map((r) => [r.number, r.status]),
    [[1, 'withdrawn'], [2, 'registered'], [3, 'registered'], [4, 'withdrawn']]);
  // who neither is an enterprise nor a unit, or both
  assert.equal((await register(u.ln_coord, e.id, {})).json.error.field, 'enterprise_id');
  assert.equal((await register(u.ln_coord, e.id, { enterprise_id: a, unit_id: server.units.panjin })).status, 422);
  assert.equal((await register(u.ln_coord, e.id, { enterprise_id: 999999 })).status, 422);
  // a cancelled event takes no one
  const etag = (await u.ln_coord.get(`/api/v1/events/${e.id}`)).headers.get('etag');
  assert.equal((await u.ln_coord.patch(`/api/v1/events/${e.id}`, { state: 'cancelled' }, { headers: { 'if-match': etag } })).json.state, 'cancelled');
  const cancelled = await register(u.ln_coord, e.id, { enterprise_id: a });
  assert.equal(cancelled.status, 409);
  assert.equal(cancelled.json.error.code, 'err_event_cancelled');
});

test('check-in: by number once, someone not registered is 404, a waiting one 409, a full event refuses walk-ins', async () => {
  const e = await event({ capacity: 2 });
  const [a, b, c] = await enterprises(0, 3);
  const ra = (await register(u.ln_coord, e.id, { enterprise_id: a })).json;
  await register(u.ln_coord, e.id, { enterprise_id: b });
  const rc = (await register(u.ln_coord, e.id, { enterprise_id: c })).json;
  assert.equal(rc.status, 'waiting');

  const first = await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, { number: ra.number });
  assert.equal(first.status, 200, first.body);
  assert.equal(first.json.already, false);
  assert.ok(first.json.registration.checked_in_at);
  const second = await u.js_coord.post(`/api/v1/events/${e.id}/checkins`, { number: ra.number });
  assert.equal(second.status, 200);
  assert.equal(second.json.already, true);
  assert.equal(second.json.registration.checked_in_at, first.json.registration.checked_in_at, 'the first check-in kept');

  const unknown = await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, { number: 99 });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, 'err_registration_unknown');
  assert.equal(unknown.json.error.field, 'number');
  assert.ok(unknown.json.error.message && unknown.json.error.message !== 'err_registration_unknown', 'a clear message');
  const waiting = await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, { number: rc.number });
  assert.equal(waiting.status, 409);
  assert.equal(waiting.json.error.code, 'err_registration_waiting');

  // at the door: no free seat
  const [d] = await enterprises(1, 1);
  const full = await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, { enterprise_id: d });
  assert.equal(full.status, 409);
  assert.equal(full.json.error.code, 'err_event_full');
  assert.equal(count(`SELECT count(*) FROM registration WHERE event_id = ${e.id} AND enterprise_id = ${d}`), 0);
  const ev = await getEvent(e.id);
  assert.deepEqual([ev.registered, ev.attended, ev.waiting], [2, 1, 1]);
  // a walk-in with a free seat: registered and checked in at once
  const open = await event();
  const walk = await u.js_coord.post(`/api/v1/events/${open.id}/checkins`, { unit_id: server.units.wuxi });
  assert.equal(walk.status, 201, walk.body);
  assert.equal(walk.json.registration.status, 'registered');
  assert.ok(walk.json.registration.checked_in_at);
  assert.equal((await getEvent(open.id)).attended, 1);
  // neither a number nor a party; both
  assert.equal((await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, {})).json.error.field, 'number');
  assert.equal((await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, { number: 1, unit_id: server.units.panjin })).status, 422);
  // only the organisers check in
  assert.equal((await u.ly_member.post(`/api/v1/events/${e.id}/checkins`, { number: ra.number })).status, 403);
});

test('an outcome naming an enterprise not registered is 422 on registration_ids', async () => {
  const e = await event();
  const other = await event();
  const [a, b] = await enterprises(0, 2);
  const ra = (await register(u.ln_coord, e.id, { enterprise_id: a })).json;
  const rb = (await register(u.ln_coord, other.id, { enterprise_id: b })).json; // of another event
  const rw = (await register(u.ln_coord, e.id, { enterprise_id: b })).json;
  await u.ln_coord.post(`/api/v1/registrations/${rw.id}/withdraw`);
  const before = count('SELECT count(*) FROM event_outcome');
  for (const ids of [[ra.id, rb.id], [ra.id, rw.id], [ra.id, 999999]]) {
    const r = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'intention', title: '合作意向', amount_wan: '100', registration_ids: ids });
    assert.equal(r.status, 422, r.body);
    assert.equal(r.json.error.field, 'registration_ids');
  }
  const none = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'intention', title: '合作意向', registration_ids: [] });
  assert.equal(none.json.error.field, 'registration_ids');
  const kind = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'hope', title: '合作意向', registration_ids: [ra.id] });
  assert.equal(kind.json.error.field, 'kind');
  assert.equal(count('SELECT count(*) FROM event_outcome'), before, 'nothing stored');
  const ok = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'intention', title: '合作意向', amount_wan: '100.5', registration_ids: [ra.id] });
  assert.equal(ok.status, 201, ok.body);
  assert.equal(ok.json.amount_yuan, 1005000);
  assert.deepEqual(ok.json.parties.map((p) => p.enterprise_id), [a]);
  assert.equal((await u.ly_member.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'intention', title: '意向', registration_ids: [ra.id] })).status, 403);
});

test('an outcome becomes a project with its partners, amount and origin, once', async () => {
  const e = await event();
  const [a] = await enterprises(0, 1);
  const [b] = await enterprises(1, 1);
  const ra = (await register(u.ln_coord, e.id, { enterprise_id: a })).json;
  const rb = (await register(u.js_coord, e.id, { enterprise_id: b })).json;
  const ru = (await register(u.ln_coord, e.id, { unit_id: server.units.panjin })).json;
  const o = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, {
    kind: 'signed', title: '高端装备合作协议', amount_wan: '1200.5', industry: '35', registration_ids: [ra.id, rb.id, ru.id],
  });
  assert.equal(o.status, 201, o.body);
  const r = await u.ln_coord.post(`/api/v1/outcomes/${o.json.id}/project`);
  assert.equal(r.status, 201, r.body);
  const pid = r.json.project_id;
  assert.equal(r.headers.get('location'), `/api/v1/projects/${pid}`);
  const p = (await u.ln_coord.get(`/api/v1/projects/${pid}`)).json;
  assert.equal(p.stage, 'signed');
  assert.equal(p.invest_contracted_yuan, 12005000);
  assert.equal(p.industry, '35');
  assert.equal(p.side, 0, "the caller's side owns it");
  const partners = p.partners.map((x) => [x.side, x.unit_id ?? x.enterprise]).sort();
  assert.deepEqual(partners, [[0, ra.name], [0, server.units.panjin], [1, rb.name]].sort());
  assert.equal(p.origin_event_id, e.id, 'the event is its origin');
  const again = await u.ln_coord.post(`/api/v1/outcomes/${o.json.id}/project`);
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'err_outcome_project');
  assert.equal(count(`SELECT count(*) FROM project WHERE origin_event_id = ${e.id}`), 1);
  const listed = (await u.pj_member.get(`/api/v1/events/${e.id}/outcomes`)).json.outcomes;
  assert.equal(listed[0].project_id, pid);
  assert.equal(listed[0].project.stage, 'signed');
  // an intention becomes a project in negotiation with the amount planned
  const i = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'intention', title: '合作意向', amount_wan: '300', registration_ids: [ra.id] });
  const pi = (await u.js_coord.post(`/api/v1/outcomes/${i.json.id}/project`)).json.project_id;
  const q = (await u.js_coord.get(`/api/v1/projects/${pi}`)).json;
  assert.deepEqual([q.stage, q.invest_planned_yuan, q.invest_contracted_yuan, q.side], ['negotiating', 3000000, 0, 1]);
  // a member makes no project
  const j = await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind: 'intention', title: '又一意向', registration_ids: [ra.id] });
  assert.equal((await u.pj_member.post(`/api/v1/outcomes/${j.json.id}/project`)).status, 403);
});

// Concurrent requests from two organisers' sessions: the statuses, and the seats held.
async function race(requests) {
  const answers = await Promise.all(requests.map((f) => f()));
  return answers.map((r) => r.status);
}

test('two organisers checking in the last seats at once never exceed capacity', async () => {
  for (let round = 0; round < 3; round++) {
    const capacity = 6;
    const free = 1 + (round % 2); // 1 or 2 seats left
    const e = await event({ capacity });
    for (const id of await enterprises(0, capacity - free))
      assert.equal((await register(u.ln_coord, e.id, { enterprise_id: id })).status, 201);
    const doors = [...await enterprises(0, 4), ...await enterprises(1, 4)];
    const statuses = await race(doors.map((id, i) => () =>
      (i % 2 ? u.js_coord : u.ln_coord).post(`/api/v1/events/${e.id}/checkins`, { enterprise_id: id })));
    assert.equal(statuses.filter((s) => s === 201).length, free, `round ${round}: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 409).length, doors.length - free, `round ${round}: ${statuses}`);
    const ev = await getEvent(e.id);
    assert.equal(ev.registered, capacity);
    assert.equal(ev.attended, free);
    assert.equal(count(`SELECT count(*) FROM registration WHERE event_id = ${e.id} AND status = 'registered'`), capacity);
    assert.ok(ev.attended <= ev.capacity && ev.registered <= ev.capacity);
  }
});

test('concurrent registrations never hold more than capacity: the rest wait, in one queue', async () => {
  const capacity = 3;
  const e = await event({ capacity });
  const side0 = await enterprises(0, 5);
  const side1 = await enterprises(1, 5);
  const requests = [...side0.map((id) => () => register(u.ln_coord, e.id, { enterprise_id: id })),
    ...side1.map((id) => () => register(u.js_coord, e.id, { enterprise_id: id }))];
  const answers = await Promise.all(requests.map((f) => f()));
  assert.deepEqual(answers.map((r) => r.status), answers.map(() => 201), answers.map((r) => r.body).join('\n'));
  assert.equal(answers.filter((r) => r.json.status === 'registered').length, capacity);
  const list = (await u.ln_coord.get(`/api/v1/events/${e.id}/registrations`)).json.registrations;
  assert.equal(list.filter((r) => r.status === 'registered').length, capacity);
  const waiting = list.filter((r) => r.status === 'waiting').map((r) => r.position).sort((x, y) => x - y);
  assert.deepEqual(waiting, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(list.map((r) => r.number).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'numbers distinct');
  const ev = await getEvent(e.id);
  assert.deepEqual([ev.registered, ev.waiting], [capacity, 7]);
});

// The funnel's steps recomputed from the lists: events (past, planned), their registrations,
// outcomes and the outcomes' projects.
async function recompute(events) {
  const steps = { events: [events.length, 0], registered: [0, 0], attended: [0, 0], intentions: [0, 0], signed: [0, 0], started: [0, 0], operating: [0, 0] };
  for (const e of events) {
    const regs = (await u.admin.get(`/api/v1/events/${e.id}/registrations`)).json.registrations;
    steps.registered[0] += regs.filter((r) => r.enterprise_id && r.status === 'registered').length;
    steps.attended[0] += regs.filter((r) => r.enterprise_id && r.checked_in_at).length;
    for (const o of (await u.admin.get(`/api/v1/events/${e.id}/outcomes`)).json.outcomes) {
      const p = o.project_id ? (await u.admin.get(`/api/v1/projects/${o.project_id}`)).json : null;
      const amount = p && p.invest_contracted_yuan > 0 ? p.invest_contracted_yuan : o.amount_yuan;
      const add = (k) => { steps[k][0]++; steps[k][1] += amount; };
      add('intentions');
      if (o.kind === 'signed' || ['signed', 'started', 'operating'].includes(p?.stage)) add('signed');
      if (['started', 'operating'].includes(p?.stage)) add('started');
      if (p?.stage === 'operating') add('operating');
    }
  }
  return Object.entries(steps).map(([key, [n, yuan]]) => ({ key, count: n, invest_yuan: yuan }));
}

test('the funnel agrees with the lists it summarises', async () => {
  // an event run from registration to projects, then moved into the past (held)
  const e = await event();
  const ents = await enterprises(0, 3);
  const [x] = await enterprises(1, 1);
  const regs = [];
  for (const id of [...ents, x]) regs.push((await register(u.ln_coord, e.id, { enterprise_id: id })).json);
  const unit = (await register(u.ln_coord, e.id, { unit_id: server.units.liaoyang })).json;
  for (const r of [regs[0], regs[1], regs[3], unit])
    assert.equal((await u.ln_coord.post(`/api/v1/events/${e.id}/checkins`, { number: r.number })).status, 200);
  await u.ln_coord.post(`/api/v1/registrations/${regs[2].id}/withdraw`);
  const out = async (kind, wan, ids) => (await u.ln_coord.post(`/api/v1/events/${e.id}/outcomes`, { kind, title: `${kind}${++serial}`, amount_wan: wan, registration_ids: ids })).json.id;
  const o1 = await out('intention', '500', [regs[0].id, regs[3].id]);
  const o2 = await out('signed', '2000', [regs[1].id, unit.id]);
  await out('intention', '80', [regs[1].id]);
  const p1 = (await u.ln_coord.post(`/api/v1/outcomes/${o1}/project`)).json.project_id;
  const p2 = (await u.ln_coord.post(`/api/v1/outcomes/${o2}/project`)).json.project_id;
  assert.equal((await u.ln_coord.post(`/api/v1/projects/${p2}/stage`, { stage: 'started' })).status, 200);
  assert.ok(p1);
  const perEvent = await u.pj_member.get(`/api/v1/funnel?event=${e.id}`);
  assert.equal(perEvent.status, 200, perEvent.body);
  assert.deepEqual(perEvent.json.steps, await recompute([e]));
  assert.deepEqual(perEvent.json.steps.map((s) => s.key), ['events', 'registered', 'attended', 'intentions', 'signed', 'started', 'operating']);
  assert.deepEqual(perEvent.json.steps.map((s) => s.count), [1, 3, 3, 3, 1, 1, 0]);

  // held: moved to yesterday; the year's funnel counts it with every other held event
  const past = today(-1);
  const year = Number(past.slice(0, 4));
  const etag = (await u.ln_coord.get(`/api/v1/events/${e.id}`)).headers.get('etag');
  const moved = await u.ln_coord.patch(`/api/v1/events/${e.id}`, { starts: `${past}T09:00`, ends: `${past}T17:00` }, { headers: { 'if-match': etag } });
  assert.equal(moved.status, 200, moved.body);
  assert.equal(moved.json.past, true);
  const held = (await u.admin.get(`/api/v1/events?pairing=${LJ}&year=${year}&when=past`)).json.events.filter((v) => v.state === 'planned');
  assert.ok(held.some((v) => v.id === e.id));
  const f = await u.ln_coord.get(`/api/v1/funnel?pairing=${LJ}&year=${year}`);
  assert.equal(f.status, 200, f.body);
  assert.deepEqual(f.json.steps, await recompute(held));
  assert.ok(f.json.steps[0].count >= 1);
  // to another pairing's member it is not there (as a missing id); an admin must name the pairing
  assert.equal((await u.dl_coord.get(`/api/v1/funnel?pairing=${LJ}&year=${year}`)).status, 404);
  assert.equal((await u.dl_coord.get(`/api/v1/funnel?event=${e.id}`)).status, 404);
  assert.equal((await u.admin.get('/api/v1/funnel')).status, 400);
  assert.equal((await u.admin.get(`/api/v1/funnel?pairing=2&year=${year}`)).status, 422, 'a city pairing');
});

test('permissions: another pairing\'s event is not found (404); a member registers its own unit and its side\'s enterprises only', async () => {
  const e = await event({ unit_ids: [] });
  assert.equal((await u.dl_coord.get(`/api/v1/events/${e.id}`)).status, 404);
  assert.equal((await u.dl_coord.get(`/api/v1/events?pairing=${LJ}`)).status, 404);
  assert.equal((await u.dl_coord.get(`/api/v1/events/${e.id}/registrations`)).status, 404);
  assert.ok(!(await u.dl_coord.get('/api/v1/events')).json.events.some((v) => v.id === e.id), "its own pairing's list");
  const [mine] = await enterprises(0, 1);
  const [theirs] = await enterprises(1, 1);
  assert.equal((await register(u.dl_coord, e.id, { enterprise_id: mine })).status, 404);
  assert.equal((await register(u.pj_member, e.id, { unit_id: server.units.panjin })).status, 201, 'its own unit');
  assert.equal((await register(u.pj_member, e.id, { unit_id: server.units.liaoyang })).status, 403, 'another unit');
  assert.equal((await register(u.pj_member, e.id, { enterprise_id: theirs })).status, 403, "the other side's enterprise");
  const r = await register(u.pj_member, e.id, { enterprise_id: mine });
  assert.equal(r.status, 201, "its side's enterprise");
  assert.equal((await register(u.wx_member, e.id, { enterprise_id: theirs })).status, 201);
  assert.equal((await u.wx_member.post(`/api/v1/registrations/${r.json.id}/withdraw`)).status, 403, "not the other side's to withdraw");
  assert.equal((await u.pj_member.post(`/api/v1/registrations/${r.json.id}/withdraw`)).status, 200);
  // members do not create events
  assert.equal((await u.pj_member.post('/api/v1/events', { kind: 'forum', title: '论坛', host_side: 0, starts: `${today(5)}T09:00`, ends: `${today(5)}T10:00` })).status, 403);
  // the CLI lists what the API lists
  const cli = JSON.parse(server.cli(['event', 'list', '--pairing', String(LJ), '--json']));
  const api = (await u.admin.get(`/api/v1/events?pairing=${LJ}`)).json;
  assert.deepEqual(cli.events.map((v) => v.id), api.events.map((v) => v.id));
  assert.deepEqual(cli.events.find((v) => v.id === e.id), api.events.find((v) => v.id === e.id));
});

test('a credit code with a wrong check character is 422 on credit_code, and nothing is stored', async () => {
  const good = creditCode(900001);
  const wrong = good.slice(0, 17) + ALPHABET[(ALPHABET.indexOf(good[17]) + 1) % 31];
  const before = count('SELECT count(*) FROM enterprise');
  const r = await u.ln_coord.post('/api/v1/enterprises', { name: '校验位错误的企业', credit_code: wrong, region_code: '210100', industry: 'C', side: 0 });
  assert.equal(r.status, 422, r.body);
  assert.equal(r.json.error.field, 'credit_code');
  assert.equal(count('SELECT count(*) FROM enterprise'), before);
  assert.equal((await u.ln_coord.post('/api/v1/enterprises', { name: '校验位正确的企业', credit_code: good, region_code: '210100', industry: 'C', side: 0 })).status, 201);
});
