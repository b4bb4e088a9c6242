// 考核评估 through the HTML pages (web/evaluation.c), as a browser without JavaScript: a
// coordinator starts this year's evaluation and sets its indicators (a wrong weight sum is
// refused beside the total with the input kept), opens it; each lead office saves and submits
// its self-evaluation (a missing hand score refused beside its field), the other side gives its
// opinion; a step by the wrong side is refused (403) and one out of order too (409); the
// leaderships confirm and it closes with fixed scores; leaders choose the commendations. An
// explanation page lists the very records a unit's score counts, and its numbers add up to the
// score in the ranking. The yearly report is the same for both sides, carries its SVG charts
// and prints on A4 by the stylesheet; the workbook has its three sheets with a frozen header;
// the dashboard links to the evaluation; work items and reports have addresses to link to;
// evidence files go with a self-evaluation, hidden from the other side like its text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, as, LJ } from './harness.mjs';
import { WebClient } from './web_client.mjs';
import { thisYear, today } from './clock.mjs';

const YEAR = thisYear();
const MONTH = today().slice(0, 7);
let server;
const api = {};
const web = {};
const fx = {};

const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');
const hidden = (body, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1];
// The text of an element's content with the tags taken out.
const text = (html) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
const num = (s) => Number(String(s).replace(/[,%]/g, ''));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
// A file through a multipart form, as a browser sends it (WebClient posts url-encoded forms).
async function upload(who, path, name, bytes, type) {
  const fd = new FormData();
  fd.append('csrf_token', web[who].csrf);
  fd.append('file', new Blob([bytes], { type }), name);
  const cookie = [...web[who].jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(server.base + path, { method: 'POST', headers: { cookie, origin: server.base }, body: fd, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

before(async () => {
  server = await startServer();
  for (const l of ['ln_coord', 'js_coord', 'pj_member', 'admin'])
    api[l] = await as(server, l);
  for (const l of ['ln_coord', 'js_coord', 'ln_leader', 'pj_member', 'wx_member', 'dl_coord', 'admin'])
    web[l] = await WebClient.signIn(server.base, l);
  // this year's plan: 盤錦 finishes its item (accepted at first review), 遼陽 does not; 無錫 has one
  const wp = await api.ln_coord.post('/api/v1/work-plans', { pairing_id: LJ, year: YEAR });
  assert.ok([200, 201].includes(wp.status), wp.body);
  fx.wp = wp.json.id;
  const item = async (who, unit, title) => {
    const r = await api[who].post(`/api/v1/work-plans/${fx.wp}/items`, { owner_unit_id: unit, title, due: `${YEAR}-12-31` });
    assert.equal(r.status, 201, r.body);
    return r.json.id;
  };
  fx.pj = await item('ln_coord', server.units.panjin, '盤錦考核測試事項');
  fx.ly = await item('ln_coord', server.units.liaoyang, '遼陽考核測試事項');
  fx.wx = await item('js_coord', server.units.wuxi, '無錫考核測試事項');
  const rep = await api.pj_member.post(`/api/v1/work-items/${fx.pj}/reports`, {
    period: MONTH, status: 'done', percent: 100, narrative: '盤錦已完成<全部>工作。' });
  assert.equal(rep.status, 201, rep.body);
  fx.report = rep.json.id;
  const rv = await api.ln_coord.post(`/api/v1/reports/${fx.report}/review`, { decision: 'accepted' });
  assert.equal(rv.status, 201, rv.body);
  // a signed project of 盤錦 in the 盤錦–無錫 city pairing (3), a fifth of it paid in
  const pr = await api.ln_coord.post('/api/v1/projects', {
    name: '考核測試產業園', city_pairing_id: 3, invest_contracted_wan: '1000', invest_paid_wan: '200',
    partners: [{ side: 0, unit_id: server.units.panjin }], stage: 'signed', stage_on: today() });
  assert.equal(pr.status, 201, pr.body);
  fx.project = pr.json.id;
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

test('the list and the create form: coordinators start a year, others may not', async () => {
  let r = await web.pj_member.get(`/evaluations?pairing=${LJ}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /还没有考核评估/);
  assert.doesNotMatch(r.body, /action="\/evaluations"/, 'a member starts none');
  assert.match(r.body, /<a href="\/evaluations"[^>]*>考核评估<\/a>/, 'in the navigation');
  assert.equal((await web.pj_member.post('/evaluations', { pairing: LJ, year: YEAR })).status, 403);
  assert.equal((await web.dl_coord.post('/evaluations', { pairing: LJ, year: YEAR })).status, 404, 'another pairing: not there');

  r = await web.ln_coord.get(`/evaluations?pairing=${LJ}`);
  assert.match(r.body, /<form method="post" action="\/evaluations"/);
  r = await web.ln_coord.post('/evaluations', { pairing: LJ, year: '1999' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="ev-year-error"[^>]*>[^<]+</);
  assert.match(r.body, /id="ev-year" name="year"[^>]*value="1999"/, 'the input kept');
  r = await web.ln_coord.post('/evaluations', { pairing: LJ, year: YEAR });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const m = /^\/evaluations\/(\d+)\?done=create$/.exec(r.location);
  assert.ok(m, r.location);
  fx.id = Number(m[1]);
  fx.page = `/evaluations/${fx.id}`;
  r = await web.js_coord.post('/evaluations', { pairing: LJ, year: YEAR });
  assert.equal(r.status, 409, 'one a year');
  assert.match(r.body, /该年度已有考核评估/);
  r = await web.wx_member.get(`/evaluations?pairing=${LJ}`);
  assert.match(r.body, new RegExp(`<a href="/evaluations/${fx.id}">${YEAR}年度考核评估</a></th><td>草稿`));
});

test('a draft\'s indicators: a wrong weight sum is refused beside the total, the input kept', async () => {
  let r = await web.ln_coord.get(fx.page);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /action="\/evaluations\/\d+\/indicators"/);
  assert.match(r.body, /<th scope="row">工作事项完成率<\/th><td class="num">20<\/td>/);
  assert.doesNotMatch((await web.pj_member.get(fx.page)).body, /\/indicators"/, 'a member edits none');
  const rows = Number(hidden(r.body, 'rows'));
  assert.equal(rows, 11, 'ten defaults and a blank row');
  const form = { updated_at: hidden(r.body, 'updated_at'), rows: String(rows) };
  for (let i = 0; i < rows; i++)
    for (const f of ['key', 'name', 'weight', 'evidence'])
      form[`${f}_${i}`] = hidden(r.body, `${f}_${i}`) ?? '';
  for (let i = 0; i < rows; i++)
    form[`method_${i}`] = new RegExp(`name="method_${i}"[^>]*>[\\s\\S]*?<option value="([a-z_]+)" selected>`).exec(r.body)?.[1] ?? 'hand';
  assert.equal(form.key_0, 'items_done');
  assert.equal(form.method_9, 'hand');

  // 25 + the other 80: 105
  r = await web.ln_coord.post(`${fx.page}/indicators`, { ...form, weight_0: '25', name_0: '事项完成率（改）' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="ev-weights-error"[^>]*>各项指标权重之和须为 100。</);
  assert.match(r.body, /<td id="ev-weights" aria-invalid="true" aria-describedby="ev-weights-error"><strong>105<\/strong>/);
  assert.match(r.body, /name="weight_0" value="25"/, 'the weight kept');
  assert.match(r.body, /name="name_0" value="事项完成率（改）"/, 'the name kept');
  // a bad key is refused on its own row
  r = await web.ln_coord.post(`${fx.page}/indicators`, { ...form, key_10: 'Bad Key', name_10: '新指标', weight_10: '0', method_10: 'hand' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="ind-key-10-error"[^>]*>指标代码须为/);
  // the right sum: the first down to 15, a new hand indicator of 5, saved
  r = await web.ln_coord.post(`${fx.page}/indicators`, { ...form, weight_0: '15', key_10: 'matchmaking', name_10: '产需对接成效', weight_10: '5', method_10: 'hand', evidence_10: '对接清单' });
  assert.equal(r.status, 303, r.body.slice(0, 500));
  assert.equal(r.location, `${fx.page}?done=indicators`);
  r = await web.ln_coord.get(r.location);
  assert.match(r.body, /修改指标：已完成。/);
  assert.match(r.body, /<th scope="row">产需对接成效<\/th><td class="num">5<\/td><td>人工评分（0–100）<\/td><td>对接清单<\/td>/);
  // a stale form: 409, the input kept
  r = await web.ln_coord.post(`${fx.page}/indicators`, { ...form, weight_0: '20' });
  assert.equal(r.status, 409);
  assert.match(r.body, /name="weight_0" value="20"/);

  assert.equal((await web.pj_member.post(`${fx.page}/open`, {})).status, 403);
  r = await web.js_coord.post(`${fx.page}/open`, {});
  assert.equal(r.status, 303, 'either side\'s coordinator opens it');
  r = await web.ln_coord.get(fx.page);
  assert.doesNotMatch(r.body, /\/indicators"/, 'locked once open');
  assert.equal((await web.ln_coord.post(`${fx.page}/open`, {})).status, 409);
});

test('the steps: self-evaluation, opinion, the wrong side refused, confirmation, commendations', async () => {
  const step = (who, form) => web[who].post(`${fx.page}/steps`, form);
  const HAND = ['organisation', 'innovation', 'matchmaking']; // events and exchanges are computed
  const scores = (v) => Object.fromEntries(HAND.map((k) => [`score_${k}`, String(v)]));

  // the wrong side, or a member: 403; the opinion before the self-evaluation: 409
  let r = await step('js_coord', { form: 'self', side: '0', action: 'save', text: '越权' });
  assert.equal(r.status, 403);
  r = await step('ln_coord', { form: 'opinion', side: '0', action: 'opinion', text: '自己评自己' });
  assert.equal(r.status, 403, 'a side gives no opinion on itself');
  assert.equal((await step('pj_member', { form: 'self', side: '0', action: 'save' })).status, 403);
  r = await step('js_coord', { form: 'opinion', side: '0', action: 'opinion', text: '过早的意见' });
  assert.equal(r.status, 409);
  assert.match(r.body, /当前环节不能进行此操作/);

  // 遼寧 saves a draft: the other side does not see it
  r = await web.ln_coord.get(fx.page);
  assert.match(r.body, /<input type="hidden" name="form" value="self">\n<input type="hidden" name="side" value="0">/);
  assert.doesNotMatch(r.body, /name="form" value="self">\n<input type="hidden" name="side" value="1">/, 'not the other side\'s form');
  r = await step('ln_coord', { form: 'self', side: '0', action: 'save', text: '辽宁草稿ABC', score_organisation: '70' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.match((await web.ln_coord.get(fx.page)).body, /辽宁草稿ABC/);
  assert.doesNotMatch((await web.js_coord.get(fx.page)).body, /辽宁草稿ABC/, 'a draft is its side\'s');
  // evidence files: 遼寧's lead office adds one to its draft; hidden from 江蘇 until submitted
  let u = await upload('js_coord', `${fx.page}/sides/0/evidence`, '越权.png', PNG, 'image/png');
  assert.equal(u.status, 403, 'not the other side');
  u = await upload('ln_coord', `${fx.page}/sides/0/evidence`, '说明.txt', Buffer.from('plain text'), 'text/plain');
  assert.equal(u.status, 415, 'a type not accepted');
  assert.match(u.body, /id="evidence-0"[\s\S]*?role="alert"|role="alert"[\s\S]*?id="evidence-0"/);
  u = await upload('ln_coord', `${fx.page}/sides/0/evidence`, '对接活动签到表.png', PNG, 'image/png');
  assert.equal(u.status, 303);
  assert.equal(u.location, `${fx.page}#evidence-0`);
  assert.match((await web.ln_coord.get(fx.page)).body, /<section id="evidence-0"[\s\S]*?对接活动签到表\.png/);
  assert.doesNotMatch((await web.js_coord.get(fx.page)).body, /对接活动签到表/, 'files of a draft are its side\'s');
  // submitting without every hand score: refused beside the field, the text kept
  r = await step('ln_coord', { form: 'self', side: '0', action: 'self', text: '辽宁自评正文。', ...scores(80), score_innovation: '' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="self0-score-innovation-error"[^>]*>人工评分须为 0 至 100 的整数/);
  assert.match(r.body, /<textarea id="self0-text" name="text"[^>]*>辽宁自评正文。<\/textarea>/);
  assert.match(r.body, /name="score_organisation" type="number"[^>]*value="80"/);
  r = await step('ln_coord', { form: 'self', side: '0', action: 'self', text: '辽宁自评正文。', ...scores(80), score_organisation: '101' });
  assert.equal(r.status, 422, 'a score above 100');
  r = await step('ln_coord', { form: 'self', side: '0', action: 'self', text: '辽宁自评正文。', ...scores(80) });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${fx.page}?done=self#side-0`);
  r = await web.js_coord.get(fx.page);
  assert.match(r.body, /辽宁自评正文。/, 'submitted: both sides read it');
  assert.match(r.body, /<section id="evidence-0"[\s\S]*?对接活动签到表\.png/, 'and its evidence');
  u = await upload('ln_coord', `${fx.page}/sides/0/evidence`, '补交.png', PNG, 'image/png');
  assert.equal(u.status, 409, 'submitted: no more files');

  // 江蘇 returns it once with a reason, 遼寧 submits again, 江蘇 gives its opinion
  r = await step('js_coord', { form: 'return', side: '0', action: 'return', text: '' });
  assert.equal(r.status, 422, 'a return needs its reason');
  assert.match(r.body, /id="return0-text-error"/);
  r = await step('js_coord', { form: 'return', side: '0', action: 'return', text: '请补充对接活动材料' });
  assert.equal(r.status, 303);
  r = await step('ln_coord', { form: 'self', side: '0', action: 'self', text: '辽宁自评（补充）。', ...scores(80) });
  assert.equal(r.status, 303);
  r = await step('js_coord', { form: 'opinion', side: '0', action: 'opinion', text: '同意，对接活动建议 90 分。', score_organisation: '90' });
  assert.equal(r.status, 303);
  // and the other way round
  r = await step('js_coord', { form: 'self', side: '1', action: 'self', text: '江苏自评正文。', ...scores(60) });
  assert.equal(r.status, 303);
  r = await step('ln_coord', { form: 'opinion', side: '1', action: 'opinion', text: '同意江苏自评。' });
  assert.equal(r.status, 303);
  r = await web.ln_leader.get(fx.page);
  assert.match(r.body, /<table class="ev-hand">\n<caption>遼寧省：人工评分指标<\/caption>[\s\S]*?<th scope="row">组织领导与机制建设<\/th><td class="num">5<\/td><td class="num">80<\/td><td class="num">90<\/td><td class="num">90<\/td>/);
  assert.match(r.body, /<tr class="ev-step-return">[^\n]*请补充对接活动材料/, 'the history keeps the reason');
  assert.match(r.body, /name="action" value="confirm"/);

  // the leaders: a coordinator may not confirm; 遼寧's leader confirms once; the admin for both
  assert.equal((await step('ln_coord', { form: 'leader', side: '0', action: 'confirm' })).status, 403);
  r = await step('ln_leader', { form: 'leader', side: '0', action: 'confirm' });
  assert.equal(r.status, 303);
  r = await step('ln_leader', { form: 'leader', side: '0', action: 'confirm' });
  assert.equal(r.status, 409, 'confirmed already');
  assert.equal((await web.ln_leader.post(`${fx.page}/commend`, { unit_id: String(server.units.panjin) })).status, 409, 'not closed yet');
  r = await step('admin', { form: 'leader', side: '0', action: 'confirm' });
  assert.equal(r.status, 303);
  r = await web.pj_member.get(fx.page);
  assert.match(r.body, /<dt>状态<\/dt><dd>已审定<\/dd>/);
  assert.match(r.body, /考核已审定，得分已固定。/);
  assert.doesNotMatch(r.body, /action="\/evaluations\/\d+\/(steps|commend)"/, 'a member acts on nothing');

  // commendations: from the ranking's top 10; another pairing's unit is refused
  r = await web.ln_leader.get(fx.page);
  assert.match(r.body, new RegExp(`name="unit_id" value="${server.units.panjin}"`));
  r = await web.ln_leader.post(`${fx.page}/commend`, [['unit_id', String(server.units.sh_office)]]);
  assert.equal(r.status, 422);
  assert.match(r.body, /通报表扬只能从排名前 10 的单位中选择/);
  assert.equal((await web.ln_coord.post(`${fx.page}/commend`, { unit_id: String(server.units.panjin) })).status, 403);
  r = await web.ln_leader.post(`${fx.page}/commend`, [['unit_id', String(server.units.panjin)]]);
  assert.equal(r.status, 303);
  r = await web.wx_member.get(fx.page);
  assert.match(r.body, /<ul class="ev-commended">\n<li>盤錦市人民政府（遼寧省）<\/li>/);
  assert.match(r.body, /<tr class="commended"><td class="num">\d+<\/td><th scope="row">盤錦市人民政府<\/th>/);
  noBareIds(r.body);
});

// The rows of the ranking table: [rank, name, side, score, unit id].
function ranking(body) {
  const table = /<table class="ev-ranking ev-units">[\s\S]*?<\/table>/.exec(body)[0];
  return [...table.matchAll(/<td class="num">(\d+)<\/td><th scope="row">([^<]+)<\/th><td>([^<]+)<\/td><td class="num">([\d.]+)<\/td>[\s\S]*?href="\/evaluations\/\d+\/units\/(\d+)"/g)]
    .map((m) => ({ rank: Number(m[1]), name: m[2], side: m[3], score: Number(m[4]), id: Number(m[5]) }));
}

test('an explanation lists the records counted, and its numbers add up to the score', async () => {
  const page = await web.wx_member.get(fx.page);
  const rows = ranking(page.body);
  const pj = rows.find((x) => x.id === server.units.panjin);
  const ly = rows.find((x) => x.id === server.units.liaoyang);
  assert.ok(pj && ly, JSON.stringify(rows));
  assert.ok(pj.rank < ly.rank, '盤錦 did more');

  const r = await web.wx_member.get(`${fx.page}/units/${server.units.panjin}`);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  // the inputs are the real records, each linked: the item, its reviewed report, the project
  const done = /<section class="ev-indicator" id="ind-items_done"[\s\S]*?<\/section>/.exec(r.body)[0];
  assert.match(done, new RegExp(`<li class="counted"><span class="badge ev-in">计入</span> 工作事项：<a href="/work-items/${fx.pj}">盤錦考核測試事項</a></li>`));
  assert.match(done, /计入：1 · 共计：1/);
  const first = /<section class="ev-indicator" id="ind-reports_first_accepted"[\s\S]*?<\/section>/.exec(r.body)[0];
  assert.match(first, new RegExp(`<a href="/reports/${fx.report}">盤錦考核測試事項</a> · <span class="period">\\d{4}年\\d+月</span>`));
  const invest = /<section class="ev-indicator" id="ind-investment_paid"[\s\S]*?<\/section>/.exec(r.body)[0];
  assert.match(invest, new RegExp(`<a href="/projects/${fx.project}">考核測試產業園</a> · 协议投资：1,000 万元`));
  assert.match(invest, /协议投资合计：1,000 万元 · 到位资金合计（不超过协议投资）：200 万元/);
  assert.doesNotMatch(r.body, /遼陽考核測試事項/, 'another unit\'s item is not in it');

  // the table: points = weight × value for each row, their sum over the weights that apply
  const table = /<table class="ev-explain">[\s\S]*?<\/table>/.exec(r.body)[0];
  let points = 0, weights = 0;
  for (const m of table.matchAll(/<tr(?: class="not-applies")?><th scope="row"><a[^>]*>[^<]+<\/a><\/th><td class="num">(\d+)<\/td><td>([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td><\/tr>/g)) {
    const [, w, applies, fraction, value, pts] = m;
    if (applies !== '适用') { assert.equal(pts, '—'); continue; }
    weights += Number(w);
    points += Number(pts);
    assert.ok(Math.abs(Number(w) * num(value) / 100 - Number(pts)) <= 0.01, `${w} × ${value} = ${pts}`);
    const [a, b] = fraction.split(' / ').map((x) => num(x.replace(/\s*万元/, '')));
    assert.ok(Math.abs((a / b) * 100 - num(value)) <= 0.01, `${fraction} = ${value}`);
  }
  assert.ok(weights > 0);
  const total = /<tfoot><tr><th scope="row">适用指标合计<\/th><td class="num">(\d+)<\/td><td colspan="3"><\/td><td class="num">([\d.]+)<\/td>/.exec(table);
  assert.equal(Number(total[1]), weights);
  assert.ok(Math.abs(Number(total[2]) - points) < 0.011);
  const line = /<p class="ev-result" id="result"><strong>得分：([\d.]+) ÷ (\d+) × 100 = ([\d.]+)<\/strong>/.exec(r.body);
  assert.ok(line, 'the bottom line');
  assert.equal(Number(line[2]), weights);
  assert.ok(Math.abs(Number(line[1]) * 100 / weights - Number(line[3])) <= 0.01);
  assert.equal(Number(line[3]), pj.score, 'the same score as the ranking');

  // a city pairing and a side by the same renderer
  const city = await web.wx_member.get(`${fx.page}/cities/3`);
  assert.equal(city.status, 200);
  assert.match(city.body, new RegExp(`<a href="/projects/${fx.project}">考核測試產業園</a>`));
  const side = await web.wx_member.get(`${fx.page}/sides/1`);
  assert.equal(side.status, 200);
  assert.match(side.body, /無錫考核測試事項/);
  assert.doesNotMatch(side.body, /盤錦考核測試事項/);
  assert.equal((await web.wx_member.get(`${fx.page}/units/${server.units.sh_office}`)).status, 404);
  assert.equal((await web.dl_coord.get(`${fx.page}/units/${server.units.panjin}`)).status, 404); // another pairing's
  const en = await web.js_coord.get(`${fx.page}/units/${server.units.panjin}?lang=en`);
  noBareIds(en.body);
  assert.match(en.body, /Counted/);

  // the links lead somewhere: the item to its row in the plan, the report to its page
  let x = await web.wx_member.get(`/work-items/${fx.pj}`);
  assert.equal(x.status, 303);
  assert.equal(x.location, `/work-plans/${fx.wp}#item-${fx.pj}`);
  x = await web.wx_member.get(`/reports/${fx.report}`);
  assert.equal(x.status, 200);
  assert.match(x.body, /盤錦已完成&lt;全部&gt;工作。/, 'escaped');
  assert.equal((await web.dl_coord.get(`/reports/${fx.report}`)).status, 404); // another pairing's
});

test('the yearly report: the same for both sides, SVG charts, A4 print rules', async () => {
  const path = `${fx.page}/report`;
  const a = await web.pj_member.get(path);
  const b = await web.wx_member.get(path);
  assert.equal(a.status, 200);
  noBareIds(a.body);
  const article = (body) => /<article class="ev-report">[\s\S]*<\/article>/.exec(body)[0];
  assert.equal(article(a.body), article(b.body), 'both sides see the same report');
  const body = article(a.body);
  assert.match(body, new RegExp(`<h1>遼寧省—江蘇省 ${YEAR}年度工作总结评估报告</h1>`));
  for (const h of ['一、年度工作计划及完成情况', '二、合作项目与投资', '三、对接活动与交流合作', '四、考核结果与排名', '五、逾期事项及督办情况', '六、牵头部门工作总结'])
    assert.match(body, new RegExp(`<section class="ev-major" [^>]*>\\n<h2 [^>]*>${h}</h2>`), h);
  // the year's events and exchanges as recorded, per side, before the hand-scored indicators
  assert.match(body, /本部分列出本年度双方举办的对接活动/);
  assert.match(body, /<table class="ev-facts">\n<caption>本年度活动与人员交流（系统记录）<\/caption>[\s\S]*?<th scope="row">遼寧省<\/th><td class="num">\d+<\/td>/);
  assert.match(body, /辽宁自评（补充）。/);
  // charts: the units' scores as bars with their names and numbers as text, lights and stages
  const bars = /<svg class="ev-hbars" role="img" aria-label="各单位得分：[^"]+"[\s\S]*?<\/svg>/.exec(body);
  assert.ok(bars, 'the units\' chart');
  const pj = ranking((await web.pj_member.get(fx.page)).body).find((x) => x.id === server.units.panjin);
  assert.match(bars[0], new RegExp(`<text[^>]*>\\d+\\. 盤錦市人民政府</text>`));
  assert.match(bars[0], new RegExp(`<text[^>]*>${pj.score.toFixed(2)}</text>`));
  assert.match(body, /<svg class="ev-bar" role="img" aria-label="灯号分布：完成 1，绿灯 \d+，黄灯 \d+，红灯 \d+"/);
  assert.match(body, /<svg class="ev-bar" role="img" aria-label="项目各阶段数量：[^"]*签约 1/);
  assert.match(body, /<table class="ev-urges">|没有未报的进展报告。/);
  // A4: the report is a page of its own type, each major section on a new sheet
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(a.body)[1];
  const sheet = await (await fetch(server.base + css)).text();
  assert.match(sheet, /body:has\(\.ev-report\), \.ev-report \{ page: evaluation-report; \}/);
  assert.match(sheet, /@page evaluation-report \{ size: A4[^}]*\}/);
  assert.match(sheet, /@media print \{[^@]*\.ev-report \.ev-major \{ break-before: page; page-break-before: always; \}/);
  assert.equal((await web.dl_coord.get(path)).status, 404); // another pairing's: not there
  const en = await web.js_coord.get(`${path}?lang=en`);
  noBareIds(en.body);
  assert.match(en.body, /Annual summary and evaluation report/);
});

test('the workbook: three sheets, the title row, a frozen header, the units\' points', async () => {
  const x = await fetch(`${server.base}${fx.page}/export.xlsx`, { headers: { cookie: api.pj_member.cookie } });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const file = join(tmpdir(), `evaluation-${process.pid}.xlsx`);
  writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  const read = (part) => execFileSync('/usr/bin/python3', ['-c',
    'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', file, part], { encoding: 'utf8' });
  const book = read('xl/workbook.xml');
  const units = read('xl/worksheets/sheet1.xml');
  // the ledger writes inline strings (constant-memory mode): the text is in the sheets
  const strings = units + read('xl/worksheets/sheet2.xml') + read('xl/worksheets/sheet3.xml');
  rmSync(file);
  for (const s of ['单位排名', '结对城市排名', '考核指标'])
    assert.match(book, new RegExp(`<sheet name="${s}"`), s);
  for (const s of [`遼寧省—江蘇省 ${YEAR}年度考核评估`, '名次', '盤錦市人民政府', '工作事项完成率（15）', '产需对接成效', '★'])
    assert.ok(strings.includes(s), s);
  assert.match(units, /<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"\/>/);
  const other = await fetch(`${server.base}${fx.page}/export.xlsx`, { headers: { cookie: (await as(server, 'dl_coord')).cookie } });
  assert.equal(other.status, 404); // another pairing's: not there
});

test('the dashboard links to the current evaluation', async () => {
  const r = await web.ln_leader.get(`/pairings/${LJ}/dashboard`);
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`<p class="dash-evaluation"><a href="/evaluations/${fx.id}">查看考核评估</a></p>`));
  const other = await web.dl_coord.get('/pairings/13/dashboard');
  assert.doesNotMatch(other.body, /dash-evaluation/, 'a pairing without one');
});
