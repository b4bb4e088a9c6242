// Calendars (issue #12): /events.ics and the personal feeds, read by a real iCalendar parser
// (ical.js). The public calendar holds the public events only, each start in Asia/Shanghai
// through its VTIMEZONE, every line ending in CRLF and at most 75 octets with no UTF-8
// character cut by a fold, TEXT escaped (comma, semicolon, backslash, line breaks) and
// Chinese intact. A personal feed made on the account page shows the events of the user's
// unit, keeps only the token's hash, and answers 404 once revoked — the same 404 as a token
// that never was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import ICAL from 'ical.js';
import { startServer, as } from './harness.mjs';
import { WebClient } from './web_client.mjs';
import { today } from './clock.mjs';

let server;
const api = {};
const sqlite = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, sql], { encoding: 'utf8' }).trim();
const day = today(20);
const ev = {}; // event ids by name

// A title with every character TEXT must escape but the line break (a title is one line),
// long enough in Chinese to be folded more than once.
const TRICKY = '对接会, 第一场; 辽宁行\\江苏行：盘锦—无锡“互联网+”产业合作标杆项目签约暨重点企业交流座谈会（沈阳·盘锦·无锡·苏州）';

async function create(client, fields) {
  const r = await client.post('/api/v1/events', { kind: 'docking', host_side: 0, starts: `${day}T09:00`,
    ends: `${day}T17:30`, ...fields });
  assert.equal(r.status, 201, r.body);
  return r.json.id;
}

before(async () => {
  server = await startServer();
  for (const login of ['ln_coord', 'js_coord'])
    api[login] = await as(server, login);
  ev.tricky = await create(api.ln_coord, { title: TRICKY, public: true, place: '沈阳市, 和平区; 会议中心' });
  ev.plain = await create(api.js_coord, { title: '江苏行·苏州', host_side: 1, public: true, starts: `${day}T14:00`, ends: `${today(21)}T12:00` });
  ev.private = await create(api.ln_coord, { title: '内部联席会议', kind: 'joint_meeting' });
  ev.panjin = await create(api.ln_coord, { title: '盘锦专场对接会', unit_ids: [server.units.panjin] });
  ev.cancelled = await create(api.ln_coord, { title: '已取消的论坛', kind: 'forum', public: true });
  const cur = await api.ln_coord.get(`/api/v1/events/${ev.cancelled}`);
  const r = await api.ln_coord.patch(`/api/v1/events/${ev.cancelled}`, { state: 'cancelled' }, { headers: { 'if-match': cur.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

// The raw rules of RFC 5545 §3.1 on a calendar's text.
function checkLines(text) {
  assert.ok(text.endsWith('\r\n'), 'the last line ends with CRLF');
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF');
  const lines = text.split('\r\n').slice(0, -1);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let folded = 0;
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    assert.ok(bytes.length <= 75, `${bytes.length} octets: ${line}`);
    assert.doesNotThrow(() => utf8.decode(bytes), 'a fold never cuts a UTF-8 character');
    if (line.startsWith(' ')) folded++;
  }
  return folded;
}

// Parses the calendar with ical.js, registering its VTIMEZONE: [calendar, events by UID].
function parse(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const vtz = cal.getFirstSubcomponent('vtimezone');
  assert.ok(vtz, 'a VTIMEZONE');
  ICAL.TimezoneService.register(vtz);
  const events = new Map();
  for (const c of cal.getAllSubcomponents('vevent'))
    events.set(c.getFirstPropertyValue('uid'), c);
  return { cal, events };
}

const uidOf = (id) => new RegExp(`^event-${id}@`);
const find = (events, id) => [...events].find(([uid]) => uidOf(id).test(uid))?.[1];

test('/events.ics: the public events, RFC 5545 text a real parser reads', async () => {
  const r = await fetch(`${server.base}/events.ics`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  const text = await r.text();
  assert.ok(checkLines(text) >= 2, 'the long title and description were folded');
  assert.match(text, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:[^\r]+\r\nCALSCALE:GREGORIAN\r\n/);
  assert.match(text, /BEGIN:VTIMEZONE\r\nTZID:Asia\/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:\+0800\r\nTZOFFSETTO:\+0800\r\nTZNAME:CST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n/);
  // the escapes as written
  const unfolded = text.replace(/\r\n /g, '');
  assert.ok(unfolded.includes('SUMMARY:对接会\\, 第一场\\; 辽宁行\\\\江苏行：'), 'comma, semicolon and backslash escaped');
  assert.ok(unfolded.includes('LOCATION:沈阳市\\, 和平区\\; 会议中心'));
  assert.match(unfolded, /DESCRIPTION:对接活动\\n主办：遼寧省\\n遼寧省 — 江蘇省\r\n/, 'line breaks as \\n');

  const { cal, events } = parse(text);
  assert.equal(cal.getFirstPropertyValue('version'), '2.0');
  assert.equal(cal.getFirstPropertyValue('calscale'), 'GREGORIAN');
  assert.equal(events.size, 3, 'the public events only');
  assert.equal(find(events, ev.private), undefined);
  assert.equal(find(events, ev.panjin), undefined);

  const tricky = find(events, ev.tricky);
  assert.equal(tricky.getFirstPropertyValue('summary'), TRICKY, 'the title back whole, Chinese and escapes');
  assert.equal(tricky.getFirstPropertyValue('location'), '沈阳市, 和平区; 会议中心');
  assert.equal(tricky.getFirstPropertyValue('description'), '对接活动\n主办：遼寧省\n遼寧省 — 江蘇省');
  const start = tricky.getFirstProperty('dtstart');
  assert.equal(start.getParameter('tzid'), 'Asia/Shanghai');
  const e = new ICAL.Event(tricky);
  // 09:00 in Shanghai is 01:00 UTC the same day
  assert.equal(e.startDate.toJSDate().toISOString(), `${day}T01:00:00.000Z`);
  assert.equal(e.endDate.toJSDate().toISOString(), `${day}T09:30:00.000Z`);
  assert.match(tricky.getFirstPropertyValue('dtstamp').toString(), /Z$/, 'DTSTAMP in UTC');
  assert.equal(tricky.getFirstPropertyValue('dtstamp').zone.tzid, 'UTC');
  assert.notEqual(tricky.getFirstPropertyValue('status'), 'CANCELLED');

  const plain = new ICAL.Event(find(events, ev.plain));
  assert.equal(plain.summary, '江苏行·苏州');
  assert.equal(plain.startDate.toJSDate().toISOString(), `${day}T06:00:00.000Z`);
  assert.equal(plain.endDate.toJSDate().toISOString(), `${today(21)}T04:00:00.000Z`, 'a two-day event');
  assert.match(find(events, ev.plain).getFirstPropertyValue('description'), /主办：江蘇省/);
  assert.equal(find(events, ev.cancelled).getFirstPropertyValue('status'), 'CANCELLED');
  // UIDs are unique and stable
  const again = parse(await (await fetch(`${server.base}/events.ics`)).text()).events;
  assert.deepEqual([...again.keys()].sort(), [...events.keys()].sort());
});

test('a personal feed: made on the account page, the unit\'s events, 404 once revoked', async () => {
  const pj = await WebClient.signIn(server.base, 'pj_member');
  let r = await pj.get('/account');
  assert.match(r.body, /<section id="calendar"/);
  assert.match(r.body, /action="\/account\/calendar"/);
  r = await pj.post('/account/calendar', {});
  assert.equal(r.status, 200);
  const m = /value="(http:\/\/[^"]+\/calendar\/(cal_[A-Za-z0-9_-]{43})\.ics)"/.exec(r.body);
  assert.ok(m, 'the address shown once');
  const [, url, token] = m;
  // only its SHA-256 is kept, and the making is audited
  assert.equal(sqlite(`SELECT count(*) FROM calendar_feed WHERE token_hash = '${token}'`), '0');
  assert.match(sqlite('SELECT token_hash FROM calendar_feed ORDER BY id DESC LIMIT 1'), /^[0-9a-f]{64}$/);
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE entity = 'calendar_feed' AND action = 'calendar_feed.create'"), '1');
  // the account page later shows the feed but never the token again
  const page = (await pj.get('/account')).body;
  assert.ok(!page.includes(token));
  const feedId = Number(/action="\/account\/calendar\/(\d+)\/revoke"/.exec(page)?.[1]);
  assert.ok(feedId);

  // no cookie needed: a calendar application polls the address as it is
  r = await fetch(url.replace(/^http:\/\/[^/]+/, server.base));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  const text = await r.text();
  checkLines(text);
  const { events } = parse(text);
  assert.ok(find(events, ev.panjin), '盤錦 organises it');
  assert.equal(find(events, ev.private), undefined, 'another unit\'s private meeting');
  assert.equal(find(events, ev.plain), undefined, 'an event 盤錦 takes no part in');

  // Another user may not revoke it; its owner may, and then it is gone like a token never made.
  const ly = await WebClient.signIn(server.base, 'ly_member');
  assert.equal((await ly.post(`/account/calendar/${feedId}/revoke`, {})).status, 404);
  assert.equal((await fetch(`${server.base}/calendar/${token}.ics`)).status, 200);
  r = await pj.post(`/account/calendar/${feedId}/revoke`, {});
  assert.equal(r.status, 303);
  assert.equal(r.location, '/account?done=calendar#calendar');
  assert.equal(sqlite("SELECT count(*) FROM audit WHERE entity = 'calendar_feed' AND action = 'calendar_feed.revoke'"), '1');
  const gone = await fetch(`${server.base}/calendar/${token}.ics`);
  const never = await fetch(`${server.base}/calendar/cal_${'A'.repeat(43)}.ics`);
  const noSuffix = await fetch(`${server.base}/calendar/${token}`);
  assert.equal(gone.status, 404);
  assert.equal(never.status, 404);
  assert.equal(noSuffix.status, 404);
  const [g, n] = [await gone.text(), await never.text()];
  assert.equal(g, n, 'a revoked token and an unknown one answer alike');
  assert.doesNotMatch(g, /revok|撤销|calendar/i);
  // the request log names the route, never the token (the feed's only key)
  assert.ok(!server.stderr().includes(token), 'the token is not in the log');
  assert.match(server.stderr(), /GET \/calendar\/… 200/);
});

test('at most five live feeds each; a revoked one makes room', async () => {
  const c = await WebClient.signIn(server.base, 'ln_coord');
  for (let i = 0; i < 5; i++)
    assert.equal((await c.post('/account/calendar', {})).status, 200);
  const r = await c.post('/account/calendar', {});
  assert.equal(r.status, 409);
  assert.match(r.body, /日历订阅地址已达上限/);
  const id = /action="\/account\/calendar\/(\d+)\/revoke"/.exec(r.body)[1];
  assert.equal((await c.post(`/account/calendar/${id}/revoke`, {})).status, 303);
  const made = await c.post('/account/calendar', {});
  assert.equal(made.status, 200);
  // a coordinator's feed: every event of the pairing, the private ones too
  const token = /\/calendar\/(cal_[A-Za-z0-9_-]+)\.ics/.exec(made.body)[1];
  const { events } = parse(await (await fetch(`${server.base}/calendar/${token}.ics`)).text());
  for (const name of ['tricky', 'plain', 'private', 'panjin', 'cancelled'])
    assert.ok(find(events, ev[name]), name);
});
