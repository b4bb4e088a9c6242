// The audit log page (web/audit.c): every row a sentence in the reader's language with names
// and values in words (the action code and JSON under <details>); filters by person, unit,
// kind of action, object and days narrow the rows; sign-ins are a kind of their own, hidden
// unless asked for; a leader sees its own pairing only; a filter that cannot be read is 422
// with the message by it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, PASSWORD, LJ, SD } from './harness.mjs';
import { localDay as cst, DAY } from './clock.mjs';

let server;
const c = {};

// "Today" as the page counts days: China Standard Time.

// The rows of the page as {when, sentence, action, words (all but the raw <details>), text}.
function rows(body) {
  const out = [];
  const re = /<tr><td class="when">([^<]*)<\/td><td class="entry"><p class="sentence">([\s\S]*?)<\/p>\n([\s\S]*?)<\/td><\/tr>/g;
  for (let m; (m = re.exec(body));) {
    const action = /<details><summary>[^<]*<\/summary>\n<p>[^<]*<code>([^<]*)<\/code>/.exec(m[3]);
    const sentence = m[2].replace(/<[^>]*>/g, '');
    out.push({ when: m[1], sentence, action: action?.[1], text: m[2] + m[3],
      words: sentence + m[3].split('<details>')[0] });
  }
  return out;
}
// The page less its raw records (the <details> an engineer opens).
const shown = (body) => body.replace(/<details>[\s\S]*?<\/details>/g, '');

before(async () => {
  server = await startServer();
  c.admin = await as(server, 'admin');
  c.ln = await as(server, 'ln_coord');
  c.dl = await as(server, 'dl_coord');
  assert.equal((await c.dl.patch('/api/v1/me', { name: '王芳' })).status, 200);
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
  assert.ok(all.every((x) => !x.action.startsWith('auth.')), 'no sign-ins by default');
  const withSignIns = rows((await c.admin.get('/audit?signins=1')).body);
  assert.equal(withSignIns[0].action, 'auth.login', 'the newest first (a leader signing in)');
  assert.match(withSignIns[0].sentence, /^(ln|sd)_leader（[^）]+） 于 \d{4}年\d+月\d+日 \d\d:\d\d:\d\d 登录了系统( 查看)?$/);
  const create = all.find((x) => x.action === 'unit.create' && x.sentence.startsWith('ln_coord（遼寧省發展和改革委員會） 于 '));
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
  assert.ok(got.every((x) => x.sentence.startsWith('ln_coord（')), JSON.stringify(got.map((x) => x.sentence)));

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
  assert.match(got[0].sentence, /^ln_coord（遼寧省發展和改革委員會） 于 .* 新建了单位《遼寧審計測試單位》 查看$/);

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
  assert.ok(rows(r.body).every((x) => !x.sentence.startsWith('ln_coord')));
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

test('each row a sentence with names and values in words, in Chinese and in English', async () => {
  const js = await as(server, 'js_coord');
  const wp = (await c.ln.post('/api/v1/work-plans', { pairing_id: LJ, year: 2032 })).json.id;
  const it = await c.ln.post(`/api/v1/work-plans/${wp}/items`, { title: '審計句子事項', owner_unit_id: server.units.panjin, due: '2032-06-30' });
  assert.equal(it.status, 201, it.body);
  let r = await c.ln.get(`/api/v1/work-plans/${wp}`);
  r = await c.ln.post(`/api/v1/work-plans/${wp}/submit`, {}, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await c.ln.post(`/api/v1/work-plans/${wp}/approve`, {}, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  r = await js.post(`/api/v1/work-plans/${wp}/approve`, {}, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(r.status, 200, r.body);
  assert.equal((await c.ln.patch(`/api/v1/work-plans/${wp}/reporting`, { cycle: 'quarterly', due_day: 10 })).status, 200);

  r = await c.admin.get(`/audit?object=work_plan&object_id=${wp}`);
  assert.equal(r.status, 200);
  let got = rows(r.body);
  const approve = got.find((x) => x.action === 'work_plan.approve'); // newest first: js_coord's
  assert.match(approve.sentence, /^js_coord（江蘇省發展和改革委員會） 于 \d{4}年\d+月\d+日 \d\d:\d\d:\d\d 批准了年度工作计划《2032 [^》]+》$/);
  assert.match(approve.words, /<li>状态：已提交，待审批 → 双方已商定<\/li>/, 'statuses in words');
  assert.match(approve.words, /<li>已批准的一方：第一方 → 第一方、第二方<\/li>/);
  const submit = got.find((x) => x.action === 'work_plan.submit');
  assert.match(submit.sentence, /^ln_coord（遼寧省發展和改革委員會） 于 .* 提交了年度工作计划《2032 /);
  assert.match(submit.words, /<li>状态：草稿 → 已提交，待审批<\/li>/);
  // an action without words of its own: its code made readable, never a crash
  const reporting = got.find((x) => x.action === 'work_plan.reporting');
  assert.match(reporting.sentence, / 执行了操作 work plan: reporting 年度工作计划《2032 /);
  // the default view names no action code and no stored value; the raw record keeps them
  assert.doesNotMatch(shown(r.body), /work_plan\.approve|\bsubmitted\b|\bagreed\b/);
  assert.match(approve.text, /<code>work_plan\.approve<\/code>/);
  assert.match(approve.text, /<pre>[^<]*&quot;agreed&quot;/);

  // ids as names: the owner unit of an item
  r = await c.admin.get(`/audit?object=work_item&object_id=${it.json.id}`);
  got = rows(r.body);
  assert.match(got[0].sentence, / 添加了计划事项《審計句子事項》$/);
  assert.match(got[0].words, /<li>牵头单位：盤錦市人民政府<\/li>/);
  assert.doesNotMatch(got[0].words, /牵头单位：\d/);

  // the same in English (its own client: ?lang= answers with a cookie of its own)
  r = await (await as(server, 'admin')).get(`/audit?object=work_plan&object_id=${wp}&lang=en`);
  got = rows(r.body);
  const en = got.find((x) => x.action === 'work_plan.approve');
  assert.match(en.sentence, /^js_coord \(江蘇省發展和改革委員會\) approved the work plan “2032 [^”]+” on \d/);
  assert.match(en.words, /<li>Status: Submitted, awaiting approval → Agreed by both sides<\/li>/);
  assert.doesNotMatch(shown(r.body), /work_plan\.approve|\bagreed\b|ui_aud/); // "submitted the work plan" is English
});

test('sign-ins and sign-outs: a kind of their own, hidden unless asked for', async () => {
  let r = await c.admin.get('/audit');
  assert.ok(rows(r.body).length > 0);
  assert.ok(rows(r.body).every((x) => !x.action.startsWith('auth.')));
  assert.doesNotMatch(shown(r.body), /登录了系统/);
  assert.match(r.body, /<input id="signins" name="signins" type="checkbox" value="1"> <label for="signins">包括登录与退出<\/label>/);
  r = await c.admin.get('/audit?signins=1');
  let got = rows(r.body);
  assert.ok(got.some((x) => x.action === 'auth.login' && / 登录了系统( 查看)?$/.test(x.sentence)));
  assert.ok(got.some((x) => !x.action.startsWith('auth.')), 'and the rest too');
  assert.match(r.body, /name="signins" type="checkbox" value="1" checked>/);
  r = await c.admin.get('/audit?kind=sign_in');
  got = rows(r.body);
  assert.ok(got.length >= 3 && got.every((x) => x.action.startsWith('auth.')));
  assert.match(r.body, /<option value="sign_in" selected>登录与退出<\/option>/);
  // the API keeps every row, and filters by the same kinds
  r = await c.admin.get('/api/v1/audit?kind=sign_in&limit=200');
  assert.equal(r.status, 200, r.body);
  assert.ok(r.json.entries.length >= 3 && r.json.entries.every((e) => e.action.startsWith('auth.')));
  r = await c.admin.get('/api/v1/audit?kind=work_plan&limit=200');
  assert.ok(r.json.entries.length >= 2 && r.json.entries.every((e) => /^work_(plan|item)\./.test(e.action)));
  assert.ok((await c.admin.get('/api/v1/audit?limit=200')).json.entries.some((e) => e.action === 'auth.login'));
  assert.equal((await c.admin.get('/api/v1/audit?kind=nope')).status, 400);
});

test('person, unit and kind of action in words narrow the rows', async () => {
  for (const who of ['王芳', '王', 'dl_coord']) {
    const got = rows((await c.admin.get(`/audit?who=${encodeURIComponent(who)}`)).body);
    assert.ok(got.length >= 2, who); // the new name, the unit
    assert.ok(got.every((x) => x.sentence.startsWith('王芳（大連市發展和改革委員會） 于 ')), who);
  }
  let r = await c.admin.get(`/audit?unit=${encodeURIComponent('大連市發展')}`);
  let got = rows(r.body);
  assert.ok(got.length >= 2);
  assert.ok(got.every((x) => x.text.includes('大連市發展和改革委員會')), JSON.stringify(got.map((x) => x.sentence)));
  assert.ok(got.some((x) => x.action === 'unit.create' && x.text.includes('大連審計測試單位')));
  assert.doesNotMatch(r.body, /遼寧審計測試單位/);
  r = await c.admin.get(`/audit?unit=${encodeURIComponent('遼寧省發展')}&kind=unit`);
  got = rows(r.body);
  assert.ok(got.length >= 1 && got.every((x) => x.action.startsWith('unit.')));
  assert.ok(got.some((x) => x.text.includes('遼寧審計測試單位')));
  r = await c.admin.get('/audit?kind=account');
  got = rows(r.body);
  assert.ok(got.length >= 1 && got.every((x) => x.action.startsWith('user.')));
  r = await c.admin.get('/audit?kind=work_plan');
  got = rows(r.body);
  assert.ok(got.length >= 2 && got.every((x) => /^work_(plan|item)\./.test(x.action)));
  assert.match(r.body, /<option value="account">账号<\/option>/, 'kinds by their names');
  r = await c.admin.get('/audit?kind=nope&who=王芳');
  assert.equal(r.status, 422);
  assert.match(r.body, /id="kind-error"/);
  assert.match(r.body, /value="王芳"/);
  // a wildcard is a character, not a pattern
  assert.equal(rows((await c.admin.get('/audit?who=%25')).body).length, 0);
  // a leader's filters stay inside its pairing
  got = rows((await c.sd.get(`/audit?unit=${encodeURIComponent('遼寧')}`)).body);
  assert.equal(got.length, 0);
});
