// The audit log page (web/audit.c): filters by who, what and when narrow the rows; a leader
// sees its own pairing only; a filter that cannot be read is 422 with the message by it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, PASSWORD, LJ, SD } from './harness.mjs';
import { localDay as cst, DAY } from './clock.mjs';

let server;
const c = {};

// "Today" as the page counts days: China Standard Time.

// The rows of the page as {actor, action, text}.
function rows(body) {
  const out = [];
  const re = /<tr><td class="when">([^<]*)<\/td><td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td>([\s\S]*?)<\/tr>/g;
  for (let m; (m = re.exec(body));) out.push({ when: m[1], actor: m[2], action: m[3], text: m[4] });
  return out;
}

before(async () => {
  server = await startServer();
  c.admin = await as(server, 'admin');
  c.ln = await as(server, 'ln_coord');
  c.dl = await as(server, 'dl_coord');
  let r = await c.ln.post('/api/v1/units', { pairing_id: LJ, side: 0, name: '遼寧審計測試單位', kind: 'department', tier: 'execution' });
  assert.equal(r.status, 201, r.body);
  c.lnUnit = r.json.id;
  r = await c.dl.post('/api/v1/units', { pairing_id: SD, side: 1, name: '大連審計測試單位', kind: 'department', tier: 'execution' });
  assert.equal(r.status, 201, r.body);
  r = await c.admin.post('/api/v1/users', { login: 'sd_leader', role: 'leader', unit_id: server.units.dl_office, password: PASSWORD });
  assert.equal(r.status, 201, r.body);
  c.sd = await as(server, 'sd_leader');
  c.lnLeader = await as(server, 'ln_leader');
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('the log, newest first, readable: time in UTC+8, the change in words and as JSON', async () => {
  const r = await c.admin.get('/audit');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/);
  const all = rows(r.body);
  assert.ok(all.length >= 4, r.body.slice(0, 500));
  assert.equal(all[0].action, 'auth.login', 'the newest first (sd_leader signing in)');
  const create = all.find((x) => x.action === 'unit.create' && x.actor === 'ln_coord');
  assert.ok(create);
  assert.match(create.text, /<li>名称：遼寧審計測試單位<\/li>/, 'the field in words');
  // A review in words: the decision, the status and the time as a reader says them.
  const pj = await as(server, 'pj_member');
  const wp = await c.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: 2031 });
  const it = await c.ln.post(`/api/v1/work-plans/${wp.json.id}/items`, { title: '審計用事項', owner_unit_id: server.units.panjin, due: '2031-06-30' });
  const rep = await pj.post(`/api/v1/work-items/${it.json.id}/reports`, { period: '2031-05', status: 'at_risk', percent: 30, narrative: '進展' });
  assert.equal(rep.status, 201, rep.body);
  assert.equal((await c.ln.post(`/api/v1/reports/${rep.json.id}/review`, { decision: 'accepted' })).status, 201);
  const rows2 = rows((await c.admin.get(`/audit?object=report&object_id=${rep.json.id}`)).body);
  const submit = rows2.find((x) => x.action === 'report.submit'), review = rows2.find((x) => x.action === 'report.review');
  assert.match(submit.text, /<li>状态：存在风险<\/li>/);
  assert.match(submit.text, /<li>报告期：2031年5月<\/li>/);
  assert.match(review.text, /<li>审核结果：— → 已通过<\/li>|<li>审核结果：已通过<\/li>/);
  const words = review.text.split('<details>')[0]; // the raw JSON below keeps UTC
  assert.doesNotMatch(words, /\d{4}-\d\d-\d\dT/, 'no raw UTC time');
  assert.doesNotMatch(words, /— → —/, 'no change that is none');
  assert.match(create.text, /<details><summary>原始记录（JSON）<\/summary>/);
  assert.match(create.text, new RegExp(`href="/units/${c.lnUnit}"`));
  // The time is shown in China Standard Time.
  assert.match(create.when, new RegExp(`^${cst(Date.now()).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')} \\d\\d:\\d\\d:\\d\\d$`));
});

test('who, what and when narrow the rows', async () => {
  let r = await c.admin.get('/audit?who=ln_coord');
  let got = rows(r.body);
  assert.ok(got.length >= 2);
  assert.ok(got.every((x) => x.actor === 'ln_coord'), JSON.stringify(got.map((x) => x.actor)));

  r = await c.admin.get('/audit?what=unit.create');
  got = rows(r.body);
  const creates = got.length; // the harness's units (by the CLI) and the two made here
  assert.ok(creates >= 2);
  assert.ok(got.every((x) => x.action === 'unit.create'));
  assert.match(r.body, /遼寧審計測試單位/);
  assert.doesNotMatch(r.body, /auth\.login/);
  r = await c.admin.get('/audit?what=unit.create&who=dl_coord');
  got = rows(r.body);
  assert.equal(got.length, 1);
  assert.match(got[0].text, /大連審計測試單位/);

  r = await c.admin.get('/audit?what=auth.');
  got = rows(r.body);
  assert.ok(got.length >= 3 && got.every((x) => x.action.startsWith('auth.')));

  r = await c.admin.get(`/audit?object=unit&object_id=${c.lnUnit}`);
  got = rows(r.body);
  assert.equal(got.length, 1);
  assert.equal(got[0].actor, 'ln_coord');

  // A notice's rows: the object named in words, the change listed (its JSON is an object).
  const n = await c.admin.post('/api/v1/notices', { title: '審計測試通知', body: '正文' });
  assert.equal(n.status, 201, n.body);
  r = await c.admin.get(`/audit?object=notice&object_id=${n.json.id}`);
  assert.equal(r.status, 200);
  got = rows(r.body);
  assert.equal(got.length, 1);
  assert.match(got[0].text, /通知公告/);
  assert.match(got[0].text, /審計測試通知/);

  const today = cst(Date.now()), tomorrow = cst(Date.now() + DAY), yesterday = cst(Date.now() - DAY);
  r = await c.admin.get(`/audit?what=unit.create&from=${today}&to=${today}`);
  assert.equal(rows(r.body).length, creates);
  r = await c.admin.get(`/audit?what=unit.create&from=${tomorrow}`);
  assert.equal(r.status, 200);
  assert.equal(rows(r.body).length, 0);
  assert.match(r.body, /没有符合条件的记录。/);
  r = await c.admin.get(`/audit?to=${yesterday}`);
  assert.equal(rows(r.body).length, 0);
  // The filters stay in the form.
  assert.match((await c.admin.get('/audit?who=ln_coord&what=unit.create')).body, /id="who" name="who" type="text" value="ln_coord"/);
});

test('the older link pages by key', async () => {
  const all = rows((await c.admin.get('/audit')).body).length;
  // Make enough rows for two pages: sign-ins.
  for (let i = 0; i < 50; i++) await as(server, 'pj_member');
  let r = await c.admin.get('/audit?what=auth.login');
  const first = rows(r.body);
  assert.equal(first.length, 50);
  const older = /<a href="(\/audit\?[^"]*after=\d+)" rel="next">下一页<\/a>/.exec(r.body);
  assert.ok(older, 'a link to the next (older) page');
  assert.match(older[1], /what=auth\.login/);
  r = await c.admin.get(older[1].replaceAll('&amp;', '&'));
  const second = rows(r.body);
  assert.ok(second.length >= 1 && second.every((x) => x.action === 'auth.login'));
  assert.match(r.body, /<a href="\/audit\?what=auth\.login">回到第一页<\/a>/, 'back to the first page, filters kept');
  // A cursor that is not one is refused as on every list page.
  for (const bad of ['/audit?after=abc', '/audit?after=-3', '/notices?after=x', '/my?after=1.5']) {
    const x = await c.admin.get(bad);
    assert.equal(x.status, 400, bad);
    assert.match(x.body, /网址中的参数无效/, bad);
  }
  assert.ok(all > 0);
});

test('a leader sees its own pairing only', async () => {
  let r = await c.sd.get('/audit');
  assert.equal(r.status, 200);
  assert.match(r.body, /大連審計測試單位/);
  // A leader manages no unit or account: no links it could only get a 403 from.
  assert.doesNotMatch(r.body, /href="\/(units|users)\/\d+"/);
  assert.match((await c.admin.get('/audit?object=unit')).body, /href="\/units\/\d+"/, 'the admin gets them');
  assert.doesNotMatch(r.body, /遼寧審計測試單位/);
  assert.ok(rows(r.body).every((x) => x.actor !== 'ln_coord'));
  r = await c.sd.get('/audit?who=ln_coord');
  assert.equal(rows(r.body).length, 0);
  r = await c.lnLeader.get('/audit?what=unit.create');
  assert.match(r.body, /遼寧審計測試單位/);
  assert.doesNotMatch(r.body, /大連審計測試單位/);
  assert.ok(rows(r.body).length >= 1);
  r = await c.lnLeader.get('/audit?who=dl_coord');
  assert.equal(rows(r.body).length, 0);
  assert.equal((await c.ln.get('/audit')).status, 403, 'coordinators do not read the log');
});

test('a filter that cannot be read: 422, the message by the field, the filters kept', async () => {
  let r = await c.admin.get('/audit?who=ln_coord&from=2026-02-30');
  assert.equal(r.status, 422);
  assert.match(r.body, /id="from-error">日期格式应为 YYYY-MM-DD。</);
  assert.match(r.body, /aria-describedby="from-error"/);
  assert.match(r.body, /value="2026-02-30"/);
  assert.match(r.body, /value="ln_coord"/);
  assert.equal(rows(r.body).length, 0);
  r = await c.admin.get('/audit?to=yesterday');
  assert.equal(r.status, 422);
  assert.match(r.body, /id="to-error"/);
  r = await c.admin.get('/audit?from=2026-11-20&to=2026-11-10');
  assert.equal(r.status, 422);
  assert.match(r.body, /id="to-error">截止日期不能早于起始日期。</);
  r = await c.admin.get('/audit?object=unit&object_id=abc');
  assert.equal(r.status, 422);
  assert.match(r.body, /id="object-error"/);
  r = await c.admin.get('/audit?object=%3Cscript%3E');
  assert.equal(r.status, 422);
  assert.doesNotMatch(r.body, /<script>/);
});
