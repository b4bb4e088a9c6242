// The demo as its people meet it (`duikou demo`, what `make run` serves): the first pairing's
// leader sees on last year's dashboard who did not report for its latest quarter past its due
// day (本期报送),
// a link to the evaluation; last year's evaluation closed with its commendations and every
// unit's score explained; this year's open, one side's self-evaluation waiting for the other
// side's opinion — and that side's coordinator told so in the inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { WebClient } from './web_client.mjs';
import { thisYear, today } from './clock.mjs';

let server;
const passwords = {};

before(async () => {
  server = await startServer({ organisation: false });
  // the demo goes into the database while no server holds it
  const proc = server.proc;
  await new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); });
  const out = server.cli(['demo']);
  for (const m of out.matchAll(/^\s*(\w+)\s+(\S+)\s+(\S{23})(?:\s|$)/gm)) passwords[m[2]] = m[3];
  await server.start();
});
after(() => server.stop());

const signIn = (login) => WebClient.signIn(server.base, login, passwords[login]);

test("last year's dashboard: who did not report for the latest quarter due, and the evaluation", async () => {
  assert.ok(passwords['p1a.leader'], 'the demo printed the logins');
  const b = await signIn('p1a.leader');
  const last = thisYear() - 1;
  const d = await b.get(`/pairings/1/dashboard?year=${last}`);
  assert.equal(d.status, 200);
  const block = /<section class="dash-missing"[\s\S]*?<\/section>/.exec(d.body)?.[0] ?? '';
  assert.match(block, /本期报送/);
  // the last quarter is due on 10 January: until that day has passed, the third is the latest
  // past its due day (the demo leaves both unreported for every ninth item)
  const q4due = today() > `${last + 1}-01-10`;
  assert.match(block, q4due ? new RegExp(`${last}年第4季度的进展报告已于 ${last + 1}年1月10日 截止`)
    : new RegExp(`${last}年第3季度的进展报告已于 ${last}年10月10日 截止`));
  assert.match(block, /未报 [1-9]\d* 项，涉及 [1-9]\d* 个单位。/);
  // each unit links to its row of the reporting calendar
  assert.match(block, new RegExp(`<li><a href="/reporting\\?year=${last}&amp;unit=\\d+">[^<]+</a> 未报 [1-9]\\d* 项</li>`));
  // the dashboard names the pairing's current evaluation (this year's, open)
  const link = /<p class="dash-evaluation"><a href="\/evaluations\/(\d+)">/.exec(d.body);
  assert.ok(link, 'a link to the evaluation');
  const open = await b.get(`/evaluations/${link[1]}`);
  assert.equal(open.status, 200);
  assert.match(open.body, new RegExp(`${thisYear()}`));
});

test("last year's evaluation: closed, commended, and every unit's score explained", async () => {
  const b = await signIn('p1b.coord');
  const list = await b.get('/evaluations?pairing=1');
  assert.equal(list.status, 200);
  const ids = [...list.body.matchAll(/href="\/evaluations\/(\d+)"/g)].map((m) => Number(m[1]));
  assert.ok(ids.length >= 2, 'two evaluations listed');
  const closed = await b.get(`/evaluations/${Math.min(...ids)}`);
  assert.match(closed.body, /已审定|已完成|closed/);
  assert.match(closed.body, /class="commended"/, 'the commendation list chosen by the leaders');
  const units = [...new Set([...closed.body.matchAll(/href="\/evaluations\/\d+\/units\/(\d+)"/g)].map((m) => m[1]))];
  assert.ok(units.length >= 5);
  for (const u of units.slice(0, 3)) {
    const e = await b.get(`/evaluations/${Math.min(...ids)}/units/${u}`);
    assert.equal(e.status, 200, `unit ${u}`);
    assert.match(e.body, /href="\/(work-items|reports|projects)\/\d+"/, 'the records counted, linked');
  }
});

test("this year's evaluation: side 0's self-evaluation is the other side's to answer", async () => {
  const b = await signIn('p1b.coord');
  const inbox = await b.get('/inbox');
  assert.equal(inbox.status, 200);
  assert.match(inbox.body, /考核评估：/, 'told in the inbox');
  assert.match(inbox.body, /的自评已提交，请提出你方意见。/);
  // a's leader cannot see b's saved draft; b's coordinator can
  const ids = [...(await b.get('/evaluations?pairing=1')).body.matchAll(/href="\/evaluations\/(\d+)"/g)].map((m) => Number(m[1]));
  const current = Math.max(...ids);
  assert.match((await b.get(`/evaluations/${current}`)).body, /（草稿）我方今年对口合作工作/);
  const a = await signIn('p1a.leader');
  assert.doesNotMatch((await a.get(`/evaluations/${current}`)).body, /（草稿）我方今年对口合作工作/);
});

test("the dashboard's events and exchanges: the demo's 辽宁行 and 江苏行 held, who came, and the funnel", async () => {
  const b = await signIn('p1a.leader');
  // the demo held its docking events 150 and 60 days ago (China's today), 30 + 32 enterprises
  // of each side registered and 27 + 29 of each side checked in
  const ymd = (days) => {
    const d = new Date(`${today()}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const year = Number(ymd(-60).slice(0, 4));
  const first = ymd(-150).startsWith(String(year));
  const d = await b.get(`/pairings/1/dashboard?year=${year}`);
  assert.equal(d.status, 200);
  const block = /<section class="dash-events"[\s\S]*?<\/section>/.exec(d.body)?.[0] ?? '';
  assert.match(block, /活动与交流/);
  assert.match(block, new RegExp(`已举办活动</dt><dd><a href="/events\\?pairing=1&amp;year=${year}&amp;when=past">${first ? 2 : 1}</a>`));
  assert.match(block, new RegExp(`到会企业（家次）</dt><dd><a [^>]*>${(first ? 54 : 0) + 58}</a>`));
  assert.match(block, /活动现场签约（项）<\/dt><dd><a href="\/funnel\?pairing=1&amp;year=\d+">[1-9]\d*<\/a>/);
  assert.match(block, /挂职干部（人）<\/dt><dd><a href="\/exchanges\?pairing=1&amp;year=\d+&amp;kind=secondment">\d+<\/a>/);
  // both met the plan's "不少于50家企业": nothing flagged
  assert.doesNotMatch(block, /dash-short/);
});
