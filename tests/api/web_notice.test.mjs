// Notices (通知公告) through the HTML pages, as a browser without JavaScript: the portal and
// /notices show published notices only (not drafts, not withdrawn ones); a notice's page is
// public and printable with its text escaped; a coordinator creates, edits, publishes and
// withdraws through the forms (303s followed by hand), errors keep the input, a stale edit
// answers 409 with the input kept; members are refused; en and zh-Hant show no bare ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from './harness.mjs';
import { WebClient } from './web_client.mjs';

let server, api, anon;
const b = {};

const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');
const hidden = (body, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1];

before(async () => {
  server = await startServer();
  for (const login of ['admin', 'ln_coord', 'js_coord', 'dl_coord', 'pj_member', 'ln_leader'])
    b[login] = await WebClient.signIn(server.base, login);
  api = await as(server, 'admin');
  anon = new WebClient(server.base);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

// The id of the newest notice ln_coord manages with that title (from the management page).
async function idOf(title) {
  const r = await api.get('/api/v1/notices?manage=1&limit=100');
  return r.json.notices.find((n) => n.title === title)?.id;
}

test('the management forms: create, edit, publish, withdraw; the portal follows', async () => {
  let r = await b.ln_coord.get('/notices/manage');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<form method="post" action="\/notices">/);
  assert.match(r.body, /name="csrf_token"/);
  assert.doesNotMatch(r.body, /name="pairing"/, 'a coordinator does not choose the pairing');
  assert.match(r.body, /遼寧省 — 江蘇省/);

  // A blank title: 422, the message beside it, the text kept.
  r = await b.ln_coord.post('/notices', { title: '  ', body: '保留的正文' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="title-error"[^>]*>此项为必填项。</);
  assert.match(r.body, /aria-describedby="title-error"/);
  assert.match(r.body, />保留的正文<\/textarea>/);
  r = await b.ln_coord.post('/notices', { title: '标'.repeat(101), body: '正文' });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="title-error"[^>]*>内容过长。</);

  const title = '关于召开对口合作联席会议的通知';
  r = await b.ln_coord.post('/notices', { title, body: '第一段。\n\n第二段 <b>加粗</b>。' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.equal(r.location, '/notices/manage?done=created');
  const id = await idOf(title);
  assert.ok(id);
  r = await b.ln_coord.get(r.location);
  assert.match(r.body, /通知已保存为草稿/);
  assert.match(r.body, new RegExp(`${title}</th><td>[^<]*</td><td>草稿</td>`));

  // A draft: not on the portal, not in the list, not found on its page.
  assert.doesNotMatch((await anon.get('/')).body, new RegExp(title));
  assert.doesNotMatch((await anon.get('/notices')).body, new RegExp(title));
  assert.equal((await anon.get(`/notices/${id}`)).status, 404);
  assert.equal((await b.ln_coord.get(`/notices/${id}`)).status, 404, 'the public page is for published notices');

  // Edit: the form carries updated_at; a save answers 303 back to the form.
  r = await b.ln_coord.get(`/notices/${id}/edit`);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  const seen = hidden(r.body, 'updated_at');
  assert.ok(seen);
  r = await b.ln_coord.post(`/notices/${id}/edit`, { title: title + '（更正）', body: '第一段。\n\n第二段 <b>加粗</b>。', updated_at: seen });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.equal(r.location, `/notices/${id}/edit?done=saved`);
  assert.match((await b.ln_coord.get(r.location)).body, /修改已保存。/);

  // A stale edit (the other side saved meanwhile): 409, the input kept, the saved text shown.
  r = await b.js_coord.post(`/notices/${id}/edit`, { title: '我的标题', body: '我的正文', updated_at: seen });
  assert.equal(r.status, 409);
  noBareIds(r.body);
  assert.match(r.body, /已被他人修改/);
  assert.match(r.body, /value="我的标题"/);
  assert.match(r.body, />我的正文<\/textarea>/);
  assert.match(r.body, new RegExp(title + '（更正）'));
  assert.equal((await api.get(`/api/v1/notices/${id}`)).json.title, title + '（更正）');

  // Publish: on the portal, in the list, on its page with the text escaped, as paragraphs.
  const current = hidden((await b.ln_coord.get(`/notices/${id}/edit`)).body, 'updated_at');
  r = await b.ln_coord.post(`/notices/${id}/publish`, { updated_at: current });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.equal(r.location, '/notices/manage?done=published');
  r = await anon.get('/');
  assert.equal(r.status, 200);
  assert.match(r.body, /<h2 id="notices-heading">通知公告<\/h2>/);
  assert.match(r.body, new RegExp(`<a href="/notices/${id}">${title}（更正）</a>`));
  assert.match(r.body, /<a href="\/notices">全部通知<\/a>/);
  assert.match((await anon.get('/notices')).body, new RegExp(`${title}（更正）`));
  r = await anon.get(`/notices/${id}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<p class="section-body">第一段。<\/p>\n<p class="section-body">第二段 &lt;b&gt;加粗&lt;\/b&gt;。<\/p>/);
  assert.match(r.body, /遼寧省 — 江蘇省/);
  // Publishing twice: a state conflict, not a second publication.
  const now = hidden((await b.ln_coord.get(`/notices/${id}/edit`)).body, 'updated_at');
  assert.equal((await b.ln_coord.post(`/notices/${id}/publish`, { updated_at: now })).status, 409);

  // Withdraw: gone from the portal and its page; still managed.
  r = await b.js_coord.post(`/notices/${id}/withdraw`, { updated_at: now });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.doesNotMatch((await anon.get('/')).body, new RegExp(title));
  assert.equal((await anon.get(`/notices/${id}`)).status, 404);
  assert.match((await b.ln_coord.get('/notices/manage')).body, /已撤回/);

  const actions = (await api.get(`/api/v1/audit?entity=notice&entity_id=${id}`)).json.entries.map((e) => e.action).reverse();
  assert.deepEqual(actions, ['notice.create', 'notice.update', 'notice.publish', 'notice.withdraw']);
});

test('an admin writes a notice for every pairing; HTML in titles is escaped everywhere', async () => {
  let r = await b.admin.get('/notices/manage');
  assert.match(r.body, /<select id="pairing" name="pairing"/);
  const title = '<script>alert(1)</script>关于年度考核的通知';
  r = await b.admin.post('/notices', { pairing: '0', title, body: '全体' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const id = await idOf(title);
  assert.equal((await api.get(`/api/v1/notices/${id}`)).json.pairing_id, null);
  const seen = hidden((await b.admin.get(`/notices/${id}/edit`)).body, 'updated_at');
  assert.equal((await b.admin.post(`/notices/${id}/publish`, { updated_at: seen })).status, 303);
  for (const path of ['/', '/notices', `/notices/${id}`]) {
    r = await anon.get(path);
    assert.equal(r.status, 200, path);
    assert.doesNotMatch(r.body, /<script>alert/, path);
    assert.match(r.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;关于年度考核的通知/, path);
  }
  assert.match((await anon.get(`/notices/${id}`)).body, /全部对口合作/);
  // A coordinator may not edit it, nor may the other pairing's.
  assert.equal((await b.ln_coord.get(`/notices/${id}/edit`)).status, 403);
  assert.equal((await b.dl_coord.post(`/notices/${id}/withdraw`, { updated_at: seen })).status, 403);
});

test('refusals: members and leaders do not manage; anonymous goes to sign in', async () => {
  assert.equal((await b.pj_member.get('/notices/manage')).status, 403);
  assert.equal((await b.ln_leader.get('/notices/manage')).status, 403);
  assert.equal((await b.pj_member.post('/notices', { title: '成员通知', body: '正文' })).status, 403);
  const r = await anon.get('/notices/manage');
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/login\?next=/);
  // The manage link shows to who may manage only.
  assert.match((await b.ln_coord.get('/notices')).body, /href="\/notices\/manage"/);
  assert.doesNotMatch((await b.pj_member.get('/notices')).body, /href="\/notices\/manage"/);
  assert.doesNotMatch((await anon.get('/notices')).body, /href="\/notices\/manage"/);
  // A draft of LJ is not found by the other pairing's coordinator.
  const id = (await (await as(server, 'ln_coord')).post('/api/v1/notices', { title: '辽宁草稿', body: '正文' })).json.id;
  assert.equal((await b.dl_coord.get(`/notices/${id}/edit`)).status, 404);
});

test('every language: no untranslated ids on the public and management pages', async () => {
  const id = (await api.get('/api/v1/notices')).json.notices[0].id;
  for (const lang of ['en', 'zh-Hant', 'zh-Hans']) {
    for (const path of ['/', '/notices', `/notices/${id}`, '/notices/manage', `/notices/${id}/edit`]) {
      const r = await b.admin.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      assert.equal(r.status, 200, `${lang} ${path}`);
      noBareIds(r.body);
    }
  }
  const en = await new WebClient(server.base).get('/?lang=en');
  assert.match(en.body, /<h2 id="notices-heading">Notices<\/h2>/);
  assert.match(en.body, /All notices/);
  const hant = await new WebClient(server.base).get('/notices?lang=zh-Hant');
  assert.match(hant.body, /<h1>通知公告<\/h1>/);
});

test('the public list pages by keyset', async () => {
  const ln = await as(server, 'ln_coord');
  for (let i = 0; i < 22; i++) {
    const id = (await ln.post('/api/v1/notices', { title: `分页通知${i}`, body: '正文' })).json.id;
    await ln.post(`/api/v1/notices/${id}/publish`);
  }
  const r = await anon.get('/notices');
  assert.match(r.body, /分页通知21/);
  assert.doesNotMatch(r.body, /分页通知1</);
  const next = /href="(\/notices\?after=\d+)" rel="next"/.exec(r.body)?.[1];
  assert.ok(next, 'a next-page link');
  const r2 = await anon.get(next);
  assert.equal(r2.status, 200);
  assert.match(r2.body, /分页通知1</);
  assert.doesNotMatch(r2.body, /分页通知21/);
  assert.equal((await anon.get('/notices?after=x')).status, 400);
});
