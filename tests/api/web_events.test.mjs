// Events (活动) through the HTML pages, as a browser without JavaScript (issue #12): a lead
// office creates a docking event with the form, and a refused one comes back with its input
// and a summary linking to the fields; units register up to the capacity and then onto the
// waiting list, which moves up when one withdraws; the organiser checks in at the door by
// number (as the QR code's address fills it in), with a clear message for an unknown number,
// the waiting list, a withdrawn registration and a second check-in; the QR code is SVG that
// parses as XML; an outcome becomes a project; the funnel page says what the API says; the
// portal lists the public upcoming events and no private one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, as, SRC, LJ } from './harness.mjs';
import { WebClient } from './web_client.mjs';
import { today } from './clock.mjs';

let server;
const b = {}; // browsers by login
const api = {}; // API clients by login
const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');

// The Simplified text of a message id, read from the catalog the server is built with.
const CATALOG = readFileSync(join(SRC, 'src/core/messages.def'), 'utf8');
function msg(id) {
  const m = new RegExp(`^MSG\\(${id}, "((?:[^"\\\\]|\\\\.)*)"`, 'm').exec(CATALOG);
  assert.ok(m, `${id} is in the catalog`);
  return m[1];
}
// yuan in 万元 without trailing zeros, as the pages write it (less its thousands separators)
const wan = (yuan) => String(Math.trunc(yuan / 10000)) +
  (yuan % 10000 ? '.' + String(yuan % 10000).padStart(4, '0').replace(/0+$/, '') : '');
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The rows of an event page's registrations table: {id, number, status, name}.
function registrationRows(body) {
  const rows = [];
  const re = /<tr id="reg-(\d+)" class="reg-(\w+)"><td class="num"[^>]*>(\d+)<\/td><td[^>]*>([^<]*)<\/td>([\s\S]*?)<\/tr>/g;
  for (let m; (m = re.exec(body));)
    rows.push({ id: Number(m[1]), status: m[2], number: Number(m[3]), name: m[4], rest: m[5] });
  return rows;
}

// A minimal XML well-formedness check: one root, every element closed in order, attributes
// quoted, nothing but whitespace outside the root.
function wellFormedXml(text) {
  const stack = [];
  let roots = 0;
  const re = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<\?xml[^>]*\?>|([^<]+)|(<)/g;
  for (let m; (m = re.exec(text));) {
    if (m[6]) return false; // a stray '<'
    if (m[5] !== undefined) { if (!stack.length && m[5].trim()) return false; continue; }
    if (!m[2]) continue; // the declaration
    if (m[1]) { if (stack.pop() !== m[2]) return false; continue; }
    if (!stack.length) roots++;
    if (!m[4]) stack.push(m[2]);
  }
  return stack.length === 0 && roots === 1;
}

const day = today(30);
let eventId; // the public docking event of the tests below, capacity 2

// The form of a new event as pairs (units and cities repeat their names).
function eventForm(fields, units = [], cities = []) {
  const pairs = [['pairing', String(LJ)], ['lists_shown', '1'], ...Object.entries(fields)];
  for (const u of units) pairs.push(['unit', String(u)]);
  for (const c of cities) pairs.push(['city', String(c)]);
  return pairs;
}

before(async () => {
  server = await startServer();
  for (const login of ['ln_coord', 'js_coord', 'pj_member', 'ly_member', 'wx_member', 'ln_leader', 'dl_coord'])
    b[login] = await WebClient.signIn(server.base, login);
  for (const login of ['ln_coord', 'admin'])
    api[login] = await as(server, login);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('a lead office creates an event with the form; a refused one keeps its input and sums up the errors', async () => {
  let r = await b.ln_coord.get('/events');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<input id="starts" name="starts" type="datetime-local"/);
  assert.match(r.body, /<select id="host_region" name="host_region"/);
  assert.match(r.body, /<option value="210100">沈阳市<\/option>/, 'the pairing\'s cities are offered as host');
  assert.match(r.body, /name="unit" value="\d+"/, 'organising units as checkboxes');
  assert.match(r.body, /<optgroup label="C 制造业">/, 'themes from GB/T 4754');
  // A member may not create: no form for them, and the POST is refused.
  assert.doesNotMatch((await b.pj_member.get('/events')).body, /method="post" action="\/events"/);
  assert.equal((await b.pj_member.post('/events', eventForm({ kind: 'forum', title: '论坛', starts: `${day}T09:00`, ends: `${day}T12:00` }))).status, 403);

  // Ends before it starts: 422, the summary links to the field, every input kept.
  const typed = { kind: 'docking', title: '辽宁行·沈阳（2026年）', host_side: '0', host_region: '210100',
    starts: `${day}T09:00`, ends: `${day}T08:00`, place: '沈阳国际展览中心', capacity: '2', public: '1',
    theme: '39', agenda: '上午：推介会\n下午：项目对接' };
  r = await b.ln_coord.post('/events', eventForm(typed, [server.units.ln_office]));
  assert.equal(r.status, 422);
  noBareIds(r.body);
  assert.match(r.body, /<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus>/);
  assert.match(r.body, /<title>错误：/);
  assert.match(r.body, new RegExp(`<li><a href="#ends">结束时间：${esc(msg('err_event_ends'))}</a></li>`));
  assert.match(r.body, new RegExp(`id="ends-error">${esc(msg('err_event_ends'))}<`));
  assert.match(r.body, /id="ends" name="ends" type="datetime-local" value="[^"]+T08:00" required aria-invalid="true" aria-describedby="ends-error"/);
  assert.match(r.body, /value="辽宁行·沈阳（2026年）"/);
  assert.match(r.body, /value="沈阳国际展览中心"/);
  assert.match(r.body, /<option value="210100" selected>沈阳市<\/option>/);
  assert.match(r.body, /<option value="39" selected>/);
  assert.match(r.body, /上午：推介会\n下午：项目对接<\/textarea>/);
  assert.match(r.body, new RegExp(`name="unit" value="${server.units.ln_office}" checked`));
  assert.match(r.body, /name="public" value="1" checked/);

  // Mended: 303 to the new event, which shows what was typed.
  r = await b.ln_coord.post('/events', eventForm({ ...typed, ends: `${day}T17:00` }, [server.units.ln_office], [3]));
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const m = /^\/events\/(\d+)\?done=created$/.exec(r.location);
  assert.ok(m, r.location);
  eventId = Number(m[1]);
  r = await b.ln_coord.get(r.location);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<h1>辽宁行·沈阳（2026年）<\/h1>/);
  assert.match(r.body, new RegExp(msg('ui_evt_done_created')));
  assert.match(r.body, /遼寧省 · 沈阳市/);
  const ev = (await api.ln_coord.get(`/api/v1/events/${eventId}`)).json;
  assert.equal(ev.title, '辽宁行·沈阳（2026年）');
  assert.equal(ev.capacity, 2);
  assert.equal(ev.public, true);
  assert.equal(ev.starts, `${day}T09:00`);
  assert.equal(ev.host_region_code, '210100');
  // the list shows it among the upcoming ones, for the other side too
  r = await b.js_coord.get('/events');
  assert.match(r.body, new RegExp(`<a href="/events/${eventId}">辽宁行·沈阳（2026年）</a>`));
});

test('registering past the capacity goes to the waiting list; a withdrawal moves it up', async () => {
  assert.ok(eventId);
  const reg = (who, unit) => b[who].post(`/events/${eventId}/registrations`, { party: `unit:${server.units[unit]}` });
  let r = await reg('pj_member', 'panjin');
  assert.equal(r.status, 303);
  assert.match(r.location, new RegExp(`^/events/${eventId}\\?done=registered#reg-\\d+$`));
  assert.match((await reg('ly_member', 'liaoyang')).location, /done=registered/);
  r = await reg('wx_member', 'wuxi');
  assert.match(r.location, /done=waiting/, 'the third of two seats waits');
  r = await b.wx_member.get(r.location);
  assert.match(r.body, new RegExp(msg('ui_evt_done_waiting')));
  // Registering twice: 409 with the message by the form, the choice kept.
  r = await reg('wx_member', 'wuxi');
  assert.equal(r.status, 409);
  assert.match(r.body, new RegExp(`id="party-error">${esc(msg('err_registration_exists'))}<`));
  assert.match(r.body, new RegExp(`<option value="unit:${server.units.wuxi}" selected>`));
  // Nothing chosen: 422.
  assert.equal((await b.wx_member.post(`/events/${eventId}/registrations`, { party: '' })).status, 422);

  r = await b.ln_leader.get(`/events/${eventId}`);
  let rows = registrationRows(r.body);
  assert.deepEqual(rows.map((x) => [x.number, x.status]), [[1, 'registered'], [2, 'registered'], [3, 'waiting']]);
  assert.match(rows[2].rest, new RegExp(esc(msg('ui_evt_position').replace('%lld', '1'))), 'its place on the waiting list');
  assert.match(r.body, /<dt>已报名<\/dt><dd>2<\/dd>/);
  assert.match(r.body, /<dt>候补<\/dt><dd>1<\/dd>/);
  // each registration's QR code is on the page
  assert.match(rows[0].rest, new RegExp(`<img class="qr-thumb" src="/events/${eventId}/registrations/${rows[0].id}/qr.svg"`));
  // a leader reads but withdraws nobody; pj_member may withdraw its own
  assert.doesNotMatch(r.body, /\/withdraw"/);
  assert.match((await b.pj_member.get(`/events/${eventId}`)).body, new RegExp(`/registrations/${rows[0].id}/withdraw`));
  // another side's member may not withdraw 盤錦's registration
  assert.equal((await b.wx_member.post(`/events/${eventId}/registrations/${rows[0].id}/withdraw`, {})).status, 403);

  r = await b.pj_member.post(`/events/${eventId}/registrations/${rows[0].id}/withdraw`, {});
  assert.equal(r.status, 303);
  assert.match(r.location, /done=withdrawn/);
  rows = registrationRows((await b.ln_coord.get(`/events/${eventId}`)).body);
  assert.deepEqual(rows.map((x) => [x.number, x.status]), [[1, 'withdrawn'], [2, 'registered'], [3, 'registered']],
    '無錫 moved up from the waiting list');
  // withdrawing again: 409 with the message
  r = await b.pj_member.post(`/events/${eventId}/registrations/${rows[0].id}/withdraw`, {});
  assert.equal(r.status, 409);
  assert.match(r.body, new RegExp(esc(msg('err_registration_withdrawn'))));
});

test('check-in at the door by number: the QR address prefills it; unknown, waiting, withdrawn and twice each say so', async () => {
  assert.ok(eventId);
  // one more on the waiting list (both seats are taken): 遼陽 and 無錫 hold them
  let r = await b.ly_member.post(`/events/${eventId}/registrations`, { party: `unit:${server.units.liaoyang}` });
  assert.equal(r.status, 409, 'liaoyang is registered already');
  r = await b.ln_coord.post(`/events/${eventId}/registrations`, { party: `unit:${server.units.ln_office}` });
  assert.match(r.location, /done=waiting/);
  const rows = registrationRows((await b.ln_coord.get(`/events/${eventId}`)).body);
  const byNumber = Object.fromEntries(rows.map((x) => [x.number, x]));
  assert.equal(byNumber[4].status, 'waiting');

  // The organiser's page, as the QR code's address opens it: the number filled in.
  r = await b.ln_coord.get(`/events/${eventId}/checkin?number=2`);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<input id="number" name="number" type="text" inputmode="numeric"[^>]* value="2"/);
  assert.match(r.body, /<meta name="viewport" content="width=device-width/, 'a phone page');
  // Not an organiser: no door page.
  assert.equal((await b.pj_member.get(`/events/${eventId}/checkin`)).status, 403);
  assert.equal((await b.pj_member.post(`/events/${eventId}/checkin`, { number: '2' })).status, 403);

  r = await b.ln_coord.post(`/events/${eventId}/checkin`, { number: '2' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/events/${eventId}/checkin?checked=${byNumber[2].id}`);
  r = await b.ln_coord.get(r.location);
  assert.match(r.body, new RegExp(`<strong>${msg('ui_evt_checked_ok')}</strong><br>No\\. 2 · 遼陽市人民政府`));
  assert.match(r.body, /已报名 <strong>2<\/strong> \/ 2 · 已签到 <strong>1<\/strong>/);
  // the whole address a scanner types in is taken too; the second time says so
  r = await b.ln_coord.post(`/events/${eventId}/checkin`, { number: `${server.base}/events/${eventId}/checkin?number=2` });
  assert.equal(r.location, `/events/${eventId}/checkin?checked=${byNumber[2].id}&already=1`);
  r = await b.ln_coord.get(r.location);
  assert.match(r.body, new RegExp(`<strong>${msg('ui_evt_checked_already')}</strong>`));
  assert.match(r.body, /已签到 <strong>1<\/strong>/, 'counted once');

  const refused = async (number, status, id) => {
    const res = await b.ln_coord.post(`/events/${eventId}/checkin`, { number });
    assert.equal(res.status, status, `${number}: ${res.body.slice(0, 200)}`);
    noBareIds(res.body);
    assert.match(res.body, new RegExp(`<p class="form-error checkin-result" role="alert">${esc(msg(id))}</p>`), number);
    assert.match(res.body, new RegExp(`name="number"[^>]* value="${esc(number)}" aria-invalid="true"`), 'the number kept');
  };
  await refused('99', 404, 'err_registration_unknown');
  await refused('4', 409, 'err_registration_waiting');
  await refused('1', 409, 'err_registration_withdrawn');
  await refused('二', 422, 'err_evt_number');
  // A withdrawn registration checked in? never: its row still says withdrawn
  const after = registrationRows((await b.ln_coord.get(`/events/${eventId}`)).body);
  assert.deepEqual(after.map((x) => [x.number, x.status]), [[1, 'withdrawn'], [2, 'registered'], [3, 'registered'], [4, 'waiting']]);
  const ev = (await api.ln_coord.get(`/api/v1/events/${eventId}`)).json;
  assert.equal(ev.attended, 1);
  // A walk-in when the event is full: 409 with the message by the party.
  r = await b.ln_coord.post(`/events/${eventId}/checkin`, { walk_in: '1', party: `unit:${server.units.js_office}` });
  assert.equal(r.status, 409);
  assert.match(r.body, new RegExp(`id="party-error">${esc(msg('err_event_full'))}<`));
});

test('a registration\'s QR code is an SVG image that parses as XML and differs per registration', async () => {
  const rows = registrationRows((await b.ln_coord.get(`/events/${eventId}`)).body);
  const svgs = [];
  for (const row of rows.slice(1, 3)) {
    const r = await b.wx_member.get(`/events/${eventId}/registrations/${row.id}/qr.svg`);
    assert.equal(r.status, 200);
    assert.equal(r.type, 'image/svg+xml');
    assert.ok(wellFormedXml(r.body), r.body.slice(0, 200));
    assert.match(r.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 (\d+) \1"/);
    const d = /<path fill="#000000" d="((?:M\d+ \d+h1v1h-1z)+)"\/>/.exec(r.body);
    assert.ok(d, 'one path of dark modules');
    svgs.push(d[1]);
  }
  assert.notEqual(svgs[0], svgs[1]);
  assert.ok(!wellFormedXml('<svg><path></svg>'), 'the checker itself refuses a broken one');
  // Another pairing's coordinator, a registration of another event: not found.
  assert.equal((await b.dl_coord.get(`/events/${eventId}/registrations/${rows[1].id}/qr.svg`)).status, 404);
  assert.equal((await b.ln_coord.get(`/events/${eventId + 1000}/registrations/${rows[1].id}/qr.svg`)).status, 404);
});

test('an outcome between registered parties becomes a project: 303 to it', async () => {
  const rows = registrationRows((await b.ln_coord.get(`/events/${eventId}`)).body);
  const parties = rows.filter((x) => x.status === 'registered').map((x) => ['party', String(x.id)]);
  assert.equal(parties.length, 2);
  // no party: 422, the input kept
  let r = await b.ln_coord.post(`/events/${eventId}/outcomes`, [['kind', 'intention'], ['title', '智能制造合作意向'], ['amount_wan', '3,000']]);
  assert.equal(r.status, 422);
  noBareIds(r.body);
  assert.match(r.body, /id="o-title" name="title"[^>]* value="智能制造合作意向"/);
  assert.match(r.body, /name="amount_wan"[^>]* value="3,000"/);
  r = await b.ln_coord.post(`/events/${eventId}/outcomes`, [['kind', 'intention'], ['title', '智能制造合作意向'], ['amount_wan', '3,000'], ['industry', '39'], ...parties]);
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const oid = Number(/#outcome-(\d+)$/.exec(r.location)[1]);
  r = await b.ln_coord.get(`/events/${eventId}`);
  assert.match(r.body, new RegExp(`<tr id="outcome-${oid}"><th scope="row"[^>]*>智能制造合作意向</th>`));
  assert.match(r.body, /<td class="num" data-label="[^"]*">3,000<\/td>/);
  assert.match(r.body, new RegExp(`action="/events/${eventId}/outcomes/${oid}/project"`));
  // a member sees no such button, and may not
  assert.doesNotMatch((await b.pj_member.get(`/events/${eventId}`)).body, /\/project"/);
  assert.equal((await b.pj_member.post(`/events/${eventId}/outcomes/${oid}/project`, {})).status, 403);

  r = await b.ln_coord.post(`/events/${eventId}/outcomes/${oid}/project`, {});
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const pid = Number(/^\/projects\/(\d+)$/.exec(r.location)[1]);
  assert.equal((await b.ln_coord.get(r.location)).status, 200);
  const project = (await api.ln_coord.get(`/api/v1/projects/${pid}`)).json;
  assert.equal(project.stage, 'negotiating');
  // the event page links the project now; a second time is refused (409)
  assert.match((await b.ln_coord.get(`/events/${eventId}`)).body, new RegExp(`<a href="/projects/${pid}">`));
  r = await b.ln_coord.post(`/events/${eventId}/outcomes/${oid}/project`, {});
  assert.equal(r.status, 409);
  assert.match(r.body, new RegExp(esc(msg('err_outcome_project'))));
});

test('minutes: the organisers write them and add a file; others only read', async () => {
  let r = await b.ln_coord.get(`/events/${eventId}`);
  const seen = /<input type="hidden" name="updated_at" value="([^"]+)">\n<p><label for="minutes-text">/.exec(r.body)?.[1];
  assert.ok(seen);
  r = await b.ln_coord.post(`/events/${eventId}/minutes`, { minutes: '一、双方介绍合作重点。\n二、签署意向协议。', updated_at: seen });
  assert.equal(r.status, 303);
  assert.match(r.location, /done=minutes#minutes$/);
  // written against the old version again: 409, the text kept
  r = await b.ln_coord.post(`/events/${eventId}/minutes`, { minutes: '改过的纪要', updated_at: seen });
  assert.equal(r.status, 409);
  assert.match(r.body, />改过的纪要<\/textarea>/);
  r = await b.ln_leader.get(`/events/${eventId}`);
  assert.match(r.body, /<p class="section-body">一、双方介绍合作重点。/);
  assert.doesNotMatch(r.body, /name="minutes"/, 'a leader reads the minutes, writes none');
  assert.equal((await b.ln_leader.post(`/events/${eventId}/minutes`, { minutes: 'x', updated_at: seen })).status, 403);
  // a file of the minutes, as the files section's multipart form sends it
  const fd = new FormData();
  fd.append('csrf_token', b.ln_coord.csrf);
  fd.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], { type: 'application/pdf' }), '纪要.pdf');
  const res = await fetch(`${server.base}/events/${eventId}/minutes`, { method: 'POST', body: fd, redirect: 'manual',
    headers: { cookie: [...b.ln_coord.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.base } });
  assert.equal(res.status, 303, await res.text());
  assert.match(res.headers.get('location'), /done=file#files$/);
  r = await b.wx_member.get(`/events/${eventId}`);
  assert.match(r.body, /<a href="\/attachments\/\d+" download>纪要\.pdf<\/a>/);
  assert.doesNotMatch(r.body, /enctype="multipart\/form-data"/, 'no upload form for a reader');
});

test('the funnel page shows the API\'s counts, and a past event short of its target is flagged', async () => {
  // a past event of last month with the plan's 50-enterprise target, attended by nobody
  const past = today(-30);
  const r0 = await api.ln_coord.post('/api/v1/events', { kind: 'docking', title: '江苏行·苏州', host_side: 1,
    starts: `${past}T09:00`, ends: `${past}T17:00`, target_enterprises: 50 });
  assert.equal(r0.status, 201, r0.body);
  let r = await b.js_coord.get(`/events/${r0.json.id}`);
  assert.match(r.body, /<p class="target target-short" id="target">计划要求企业不少于：50 · 报名企业 0 · 签到企业 0/);
  assert.match(r.body, new RegExp(msg('ui_evt_target_short')));
  // the upcoming one has not happened yet: not flagged
  assert.doesNotMatch((await b.js_coord.get(`/events/${eventId}`)).body, /target-short/);

  for (const [year, ev] of [[Number(past.slice(0, 4)), ''], [Number(day.slice(0, 4)), ''], [Number(day.slice(0, 4)), `&event=${eventId}`]]) {
    const want = (await api.ln_coord.get(`/api/v1/funnel?pairing=1&year=${year}${ev}`)).json.steps;
    assert.equal(want.length, 7);
    r = await b.ln_leader.get(`/funnel?pairing=1&year=${year}${ev}`);
    assert.equal(r.status, 200);
    noBareIds(r.body);
    assert.match(r.body, /<svg class="funnel-chart" role="img"/);
    for (const step of want) {
      const m = new RegExp(`<tr data-step="${step.key}"><th scope="row">[^<]+</th><td class="num count"[^>]*>(\\d+)</td><td class="num invest"[^>]*>([^<]+)</td>`).exec(r.body);
      assert.ok(m, step.key);
      assert.equal(Number(m[1]), step.count, `${year}${ev} ${step.key}`);
      assert.equal(m[2].replace(/,/g, ''), wan(step.invest_yuan), `${step.key} 万元`);
    }
  }
  // the year of the past event held one event
  const held = (await api.ln_coord.get(`/api/v1/funnel?pairing=1&year=${past.slice(0, 4)}`)).json.steps[0];
  assert.ok(held.count >= 1);
  // the event's own funnel counts the intention of 3,000 万元
  const one = (await api.ln_coord.get(`/api/v1/funnel?pairing=1&year=${day.slice(0, 4)}&event=${eventId}`)).json.steps;
  assert.equal(one.find((s) => s.key === 'intentions').count, 1);
  assert.equal(one.find((s) => s.key === 'intentions').invest_yuan, 30000000);
  assert.equal((await b.ln_leader.get('/funnel?year=x')).status, 400);
  assert.equal((await b.dl_coord.get('/funnel?pairing=1')).status, 404); // another pairing: not there
});

test('the portal lists public upcoming events, never a private one', async () => {
  const r0 = await api.ln_coord.post('/api/v1/events', { kind: 'joint_meeting', title: '内部联席会议（不公开）', host_side: 0,
    starts: `${day}T14:00`, ends: `${day}T16:00` });
  assert.equal(r0.status, 201, r0.body);
  const r = await fetch(`${server.base}/`);
  const body = await r.text();
  assert.equal(r.status, 200);
  const block = /<section class="public-events"[\s\S]*?<\/section>/.exec(body)?.[0];
  assert.ok(block, 'the portal has the events block');
  assert.match(block, /<strong>辽宁行·沈阳（2026年）<\/strong> · 对接活动 · 沈阳国际展览中心/);
  assert.match(block, /主办：遼寧省 · 沈阳市/);
  assert.doesNotMatch(body, /内部联席会议/);
  assert.doesNotMatch(block, /江苏行·苏州/, 'a past event is not upcoming');
  // and in English, no bare ids
  noBareIds(await (await fetch(`${server.base}/?lang=en`)).text());
});

test('the pages read in Traditional Chinese and English without bare message ids', async () => {
  for (const lang of ['zh-Hant', 'en'])
    for (const path of ['/events', `/events/${eventId}`, `/events/${eventId}/checkin`, '/funnel']) {
      const r = await b.ln_coord.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      assert.equal(r.status, 200, `${lang} ${path}`);
      noBareIds(r.body);
    }
});
