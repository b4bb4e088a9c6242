// 企业库 over the API and the pages: recording with a GB 32100-2015 credit code (a wrong check
// character is 422 naming credit_code, a duplicate 409), who sees the contact, If-Match on
// edits, search in either script, the industry filter, keyset pages, merging two records;
// and the forms as a browser without JavaScript sends them (422 keeps the input with the
// message by the field and a summary above, 303 on success), with the project form offering
// the directory's names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, SD } from './harness.mjs';
import { WebClient } from './web_client.mjs';
import { creditCode, wrongCreditCode } from './credit_code.mjs';

let server;
const api = {};
const web = {};
const noBareIds = (body) => assert.doesNotMatch(body, /\bui_[a-z_0-9]+\b|\berr_[a-z_0-9]+\b/, 'no bare message id');

before(async () => {
  server = await startServer();
  for (const login of ['ln_coord', 'js_coord', 'pj_member', 'wx_member', 'ln_leader', 'dl_coord', 'admin'])
    api[login] = await as(server, login);
  for (const login of ['ln_coord', 'pj_member'])
    web[login] = await WebClient.signIn(server.base, login);
});

after(async () => {
  await server?.stop();
  assert.doesNotMatch(server?.stderr() ?? '', /AddressSanitizer|LeakSanitizer|runtime error:/);
});

async function count(client = api.ln_coord, query = 'merged=1&limit=200') {
  return (await client.get(`/api/v1/enterprises?${query}`)).json.enterprises.length;
}

test('record an enterprise: 201 with Location and ETag; a wrong check character is 422 on credit_code; a duplicate 409', async () => {
  const before = await count();
  const body = { name: '盘锦辽河装备制造有限公司', credit_code: creditCode(1, '211100'), region_code: '211100',
    industry: '35', size: 'small', contact_name: '王经理', contact_phone: '0427-1234567' };
  let r = await api.ln_coord.post('/api/v1/enterprises', { ...body, credit_code: wrongCreditCode(1, '211100') });
  assert.equal(r.status, 422, r.body);
  assert.equal(r.json.error.code, 'err_credit_code');
  assert.equal(r.json.error.field, 'credit_code');
  assert.match(r.json.error.message, /统一社会信用代码不正确/);
  assert.equal(await count(), before, 'nothing stored');

  r = await api.ln_coord.post('/api/v1/enterprises', body);
  assert.equal(r.status, 201, r.body);
  assert.equal(r.headers.get('location'), `/api/v1/enterprises/${r.json.id}`);
  assert.equal(r.headers.get('etag'), `"enterprise-${r.json.id}-${r.json.updated_at}"`);
  assert.equal(r.json.side, 0);
  assert.equal(r.json.pairing_id, 1);
  assert.equal(r.json.credit_code, creditCode(1, '211100'));
  assert.equal(r.json.region_name, '盘锦市');
  assert.equal(r.json.industry_name, '专用设备制造业');
  assert.equal(r.json.size, 'small');
  assert.equal(r.json.contact_visible, true);
  assert.equal(r.json.contact_phone, '0427-1234567');
  assert.equal(r.json.merged_into, null);
  assert.equal(await count(), before + 1);

  // the same code again, typed in lower case with spaces: 409 naming the field
  r = await api.js_coord.post('/api/v1/enterprises', { name: '另一家', credit_code: ` ${creditCode(1, '211100').toLowerCase()} ` });
  assert.equal(r.status, 409, r.body);
  assert.equal(r.json.error.code, 'err_exists');
  assert.equal(r.json.error.field, 'credit_code');
  // …but another pairing keeps its own directory
  r = await api.dl_coord.post('/api/v1/enterprises', { name: '大连某公司', credit_code: creditCode(1, '211100') });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.pairing_id, SD);

  // other refusals name their fields
  for (const [bad, code, field] of [[{ size: 'huge' }, 'err_ent_size', 'size'], [{ industry: '98' }, 'err_industry_unknown', 'industry'],
    [{ region_code: '999999' }, 'err_region_unknown', 'region_code'], [{ contact_phone: 'call me' }, 'err_ent_phone', 'contact_phone']]) {
    r = await api.ln_coord.post('/api/v1/enterprises', { name: '某公司', ...bad });
    assert.equal(r.status, 422, JSON.stringify(bad));
    assert.deepEqual([r.json.error.code, r.json.error.field], [code, field]);
  }
  r = await api.ln_coord.post('/api/v1/enterprises', { credit_code: creditCode(2) });
  assert.deepEqual([r.status, r.json.error.field], [422, 'name']);
  r = await api.ln_coord.post('/api/v1/enterprises', { name: '某公司', phone: '1' });
  assert.deepEqual([r.status, r.json.error.code], [422, 'err_unknown_field']);
  // a leader reads only; a member records for its own side only
  r = await api.ln_leader.post('/api/v1/enterprises', { name: '某公司' });
  assert.equal(r.status, 403);
  r = await api.pj_member.post('/api/v1/enterprises', { name: '盘锦某公司', side: 1 });
  assert.deepEqual([r.status, r.json.error.code], [403, 'err_other_side']);
  r = await api.pj_member.post('/api/v1/enterprises', { name: '盘锦某公司' });
  assert.deepEqual([r.status, r.json.side, r.json.created_by], [201, 0, 'pj_member']);
  assert.equal(await count(), before + 2);
});

test('the contact: the side\'s coordinators and admins see it; the others of the pairing read the rest', async () => {
  const r = await api.wx_member.post('/api/v1/enterprises', { name: '无锡某物联网有限公司', contact_name: '赵工', contact_phone: '0510-8888888' });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.contact_visible, false, 'the member who typed it is not a reader of it');
  assert.equal('contact_name' in r.json, false);
  const id = r.json.id;
  for (const login of ['js_coord', 'admin']) {
    const g = await api[login].get(`/api/v1/enterprises/${id}`);
    assert.equal(g.status, 200);
    assert.deepEqual([g.json.contact_visible, g.json.contact_name, g.json.contact_phone], [true, '赵工', '0510-8888888'], login);
  }
  for (const login of ['ln_coord', 'pj_member', 'wx_member', 'ln_leader']) {
    const g = await api[login].get(`/api/v1/enterprises/${id}`);
    assert.equal(g.status, 200);
    assert.equal(g.json.contact_visible, false, login);
    assert.equal(g.body.includes('8888888') || g.body.includes('赵工'), false, login);
  }
  assert.equal((await api.dl_coord.get(`/api/v1/enterprises/${id}`)).status, 404); // another pairing: not there
  // the list says the same
  const l = await api.ln_coord.get('/api/v1/enterprises?q=无锡某物联网');
  assert.equal(l.json.enterprises.length, 1);
  assert.equal(l.body.includes('8888888'), false);
  // the audit log has the fact of a contact, never the contact
  const audit = await api.admin.get('/api/v1/audit?limit=50');
  assert.equal(audit.status, 200);
  assert.equal(audit.body.includes('8888888'), false);
});

test('edits need If-Match (428 without, 412 stale); pairing and side stay; another side is 403', async () => {
  const c = await api.js_coord.post('/api/v1/enterprises', { name: '苏州某精密机械有限公司' });
  const id = c.json.id;
  const etag = c.headers.get('etag');
  let r = await api.js_coord.patch(`/api/v1/enterprises/${id}`, { size: 'medium' });
  assert.equal(r.status, 428);
  r = await api.ln_coord.patch(`/api/v1/enterprises/${id}`, { size: 'medium' }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 403);
  r = await api.js_coord.patch(`/api/v1/enterprises/${id}`, { side: 0 }, { headers: { 'if-match': etag } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_fixed', 'side']);
  r = await api.wx_member.patch(`/api/v1/enterprises/${id}`, { size: 'medium', industry: 'C' }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual([r.json.size, r.json.industry, r.json.industry_name], ['medium', 'C', '制造业']);
  assert.notEqual(r.headers.get('etag'), etag);
  r = await api.js_coord.patch(`/api/v1/enterprises/${id}`, { size: 'large' }, { headers: { 'if-match': etag } });
  assert.equal(r.status, 412);
  // a wrong check character on an edit, and null clears
  const now = (await api.js_coord.get(`/api/v1/enterprises/${id}`)).headers.get('etag');
  r = await api.js_coord.patch(`/api/v1/enterprises/${id}`, { credit_code: wrongCreditCode(3) }, { headers: { 'if-match': now } });
  assert.deepEqual([r.status, r.json.error.field], [422, 'credit_code']);
  r = await api.js_coord.patch(`/api/v1/enterprises/${id}`, { size: null }, { headers: { 'if-match': now } });
  assert.deepEqual([r.status, r.json.size], [200, null]);
  // an unchanged answer: 304 on its ETag
  const g = await api.js_coord.get(`/api/v1/enterprises/${id}`);
  r = await api.js_coord.get(`/api/v1/enterprises/${id}`, { headers: { 'if-none-match': g.headers.get('etag') } });
  assert.equal(r.status, 304);
});

test('lists: either script, credit code, industry section, side, keyset pages', async () => {
  for (const [name, industry] of [['遼寧華錦化工集團', '26'], ['辽宁忠旺铝业', 'C'], ['辽宁某软件公司', '65']])
    assert.equal((await api.ln_coord.post('/api/v1/enterprises', { name, industry })).status, 201);
  let r = await api.js_coord.get('/api/v1/enterprises?q=' + encodeURIComponent('辽宁'));
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.enterprises.map((e) => e.name).sort(), ['辽宁忠旺铝业', '辽宁某软件公司', '遼寧華錦化工集團'].sort());
  r = await api.js_coord.get('/api/v1/enterprises?q=' + encodeURIComponent('遼寧忠旺'));
  assert.deepEqual(r.json.enterprises.map((e) => e.name), ['辽宁忠旺铝业']);
  r = await api.js_coord.get(`/api/v1/enterprises?q=${creditCode(1, '211100').slice(0, 12).toLowerCase()}`);
  assert.deepEqual(r.json.enterprises.map((e) => e.name), ['盘锦辽河装备制造有限公司']);
  r = await api.js_coord.get('/api/v1/enterprises?industry=C&q=' + encodeURIComponent('辽宁'));
  assert.deepEqual(r.json.enterprises.map((e) => e.name).sort(), ['辽宁忠旺铝业', '遼寧華錦化工集團'].sort());
  r = await api.js_coord.get('/api/v1/enterprises?industry=X9');
  assert.deepEqual([r.status, r.json.error.field], [400, 'industry']);
  r = await api.js_coord.get('/api/v1/enterprises?side=1');
  assert.ok(r.json.enterprises.length > 0 && r.json.enterprises.every((e) => e.side === 1));
  r = await api.js_coord.get(`/api/v1/enterprises?pairing=${SD}`);
  assert.equal(r.status, 404); // another pairing: not there

  // pages of 2 walk the whole list once, by name
  const all = (await api.ln_leader.get('/api/v1/enterprises?limit=200')).json;
  assert.equal(all.next_after, null);
  const seen = [];
  let after = 0;
  do {
    r = await api.ln_leader.get(`/api/v1/enterprises?limit=2&after=${after}`);
    assert.equal(r.status, 200);
    assert.ok(r.json.enterprises.length <= 2);
    seen.push(...r.json.enterprises.map((e) => e.id));
    after = r.json.next_after ?? 0;
  } while (after);
  assert.deepEqual(seen, all.enterprises.map((e) => e.id));
  assert.ok(seen.length >= 6);
  r = await api.ln_leader.get('/api/v1/enterprises?limit=201');
  assert.equal(r.status, 400);
});

test('merge: registrations move, the duplicate stays readable and leaves the lists; only the side\'s coordinator', async () => {
  const a = (await api.ln_coord.post('/api/v1/enterprises', { name: '盘锦某石化公司' })).json;
  const b = (await api.pj_member.post('/api/v1/enterprises', { name: '盘锦某石化有限公司', credit_code: creditCode(9, '211100'), contact_phone: '0427-7777777' })).json;
  let r = await api.pj_member.post(`/api/v1/enterprises/${b.id}/merge`, { into: a.id });
  assert.equal(r.status, 403);
  r = await api.js_coord.post(`/api/v1/enterprises/${b.id}/merge`, { into: a.id });
  assert.equal(r.status, 403);
  r = await api.ln_coord.post(`/api/v1/enterprises/${b.id}/merge`, { into: b.id });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'err_ent_merge_self', 'into']);
  const other = (await api.js_coord.post('/api/v1/enterprises', { name: '无锡某石化' })).json;
  r = await api.ln_coord.post(`/api/v1/enterprises/${b.id}/merge`, { into: other.id });
  assert.deepEqual([r.status, r.json.error.code], [422, 'err_ent_merge_into']);
  r = await api.ln_coord.post(`/api/v1/enterprises/${b.id}/merge`, { into: a.id }, { headers: { 'if-match': `"enterprise-${b.id}-2000-01-01T00:00:00.000Z"` } });
  assert.equal(r.status, 412);

  r = await api.ln_coord.post(`/api/v1/enterprises/${b.id}/merge`, { into: a.id });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.id, a.id);
  assert.equal(r.json.credit_code, creditCode(9, '211100'), 'the kept one takes the code it lacked');
  assert.equal(r.json.contact_phone, '0427-7777777');
  r = await api.pj_member.get(`/api/v1/enterprises/${b.id}`);
  assert.deepEqual([r.status, r.json.merged_into, r.json.merged_into_name, r.json.credit_code], [200, a.id, '盘锦某石化公司', null]);
  let list = (await api.ln_coord.get('/api/v1/enterprises?limit=200')).json.enterprises.map((e) => e.id);
  assert.ok(list.includes(a.id) && !list.includes(b.id));
  list = (await api.ln_coord.get('/api/v1/enterprises?limit=200&merged=1')).json.enterprises.map((e) => e.id);
  assert.ok(list.includes(b.id));
  r = await api.ln_coord.post(`/api/v1/enterprises/${b.id}/merge`, { into: a.id });
  assert.deepEqual([r.status, r.json.error.code], [409, 'err_ent_merged']);
  const etag = (await api.ln_coord.get(`/api/v1/enterprises/${b.id}`)).headers.get('etag');
  r = await api.ln_coord.patch(`/api/v1/enterprises/${b.id}`, { name: '改名' }, { headers: { 'if-match': etag } });
  assert.deepEqual([r.status, r.json.error.code], [409, 'err_ent_merged']);
  const audit = (await api.admin.get('/api/v1/audit?limit=50')).json;
  const actions = JSON.stringify(audit);
  assert.match(actions, /enterprise\.merge_in/);
  assert.match(actions, /"enterprise\.merge"/);
});

test('pages: the 422 form keeps the input with the message by credit_code and a summary; 303 on success', async () => {
  let r = await web.ln_coord.get('/enterprises');
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /<h1>企业库<\/h1>/);
  assert.match(r.body, /action="\/enterprises"/);
  assert.match(r.body, /<a href="\/enterprises"[^>]*aria-current="page">企业库<\/a>/);
  assert.match(r.body, /<th scope="col">联系人及电话<\/th>/, 'the side\'s coordinator sees the contact column');

  const typed = { name: '盘锦某新材料有限公司', credit_code: wrongCreditCode(20, '211100'), region: '盤錦', industry: '26',
    size: 'micro', contact_name: '孙女士', contact_phone: '13800000000' };
  r = await web.ln_coord.post('/enterprises', typed);
  assert.equal(r.status, 422);
  noBareIds(r.body);
  assert.match(r.body, /提交的内容有误，请按提示修改。/, 'the summary');
  assert.match(r.body, /id="credit_code-error"[^>]*>统一社会信用代码不正确/);
  assert.match(r.body, /aria-describedby="credit_code-error"/);
  for (const v of [typed.name, typed.credit_code, typed.region, typed.contact_name, typed.contact_phone])
    assert.match(r.body, new RegExp(`value="${v}"`), v);
  assert.match(r.body, /<option value="micro" selected>/);
  assert.match(r.body, /<option value="26" selected>/);

  // a code in the directory already: the message by the field says so (409)
  r = await web.ln_coord.post('/enterprises', { ...typed, credit_code: creditCode(1, '211100') });
  assert.equal(r.status, 409);
  assert.match(r.body, /id="credit_code-error"[^>]*>该统一社会信用代码已登记在企业库中。/);

  r = await web.ln_coord.post('/enterprises', { ...typed, credit_code: creditCode(20, '211100') });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.match(r.location, /^\/enterprises\/\d+\?done=created$/);
  const path = r.location.replace(/\?.*/, '');
  r = await web.ln_coord.get(r.location);
  assert.equal(r.status, 200);
  noBareIds(r.body);
  assert.match(r.body, /企业已录入企业库。/);
  assert.match(r.body, /<dd>盘锦市<\/dd>/, 'the place resolved from 盤錦');
  assert.match(r.body, /<dd>13800000000<\/dd>/);
  assert.match(r.body, /尚未报名任何活动。/);
  assert.match(r.body, /action="\/enterprises\/\d+\/merge"/, 'the coordinator may merge');

  // a member of the side edits without seeing the contact, and cannot merge
  r = await web.pj_member.get(path);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /13800000000|孙女士/);
  assert.match(r.body, /联系人信息已登记/);
  assert.doesNotMatch(r.body, /\/merge"/);
  const updatedAt = /name="updated_at" value="([^"]+)"/.exec(r.body)[1];
  r = await web.pj_member.post(path, { updated_at: updatedAt, name: typed.name, credit_code: creditCode(20, '211100'),
    region: '盘锦市', industry: '26', size: 'small', contact_name: '', contact_phone: '' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const g = (await api.ln_coord.get(`/api/v1${path}`)).json;
  assert.deepEqual([g.size, g.contact_name, g.contact_phone], ['small', '孙女士', '13800000000'], 'blank contact fields kept it');
  // the same version again: stale, 409 with the input kept
  r = await web.pj_member.post(path, { updated_at: updatedAt, name: '旧版本的名字', size: 'large' });
  assert.equal(r.status, 409);
  assert.match(r.body, /value="旧版本的名字"/);
  assert.match(r.body, /该企业信息已被他人修改/);
  // the list as a member: no contact column
  r = await web.pj_member.get('/enterprises?q=' + encodeURIComponent('盘锦某新材料'));
  assert.equal(r.status, 200);
  assert.match(r.body, /盘锦某新材料有限公司/);
  assert.doesNotMatch(r.body, /联系人及电话<\/th>/);

  // merging through the form: 303 to the one kept
  const dup = (await api.ln_coord.post('/api/v1/enterprises', { name: '盘锦某新材料' })).json;
  const page = await web.ln_coord.get(`/enterprises/${dup.id}`);
  const seen = /name="updated_at" value="([^"]+)"/.exec(page.body.slice(page.body.indexOf('id="merge"')))[1];
  r = await web.ln_coord.post(`/enterprises/${dup.id}/merge`, { into: 'x', updated_at: seen });
  assert.equal(r.status, 422);
  assert.match(r.body, /id="into-error"/);
  r = await web.ln_coord.post(`/enterprises/${dup.id}/merge`, { into: path.split('/')[2], updated_at: seen });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${path}?done=merged`);
  r = await web.ln_coord.get(`/enterprises/${dup.id}`);
  assert.match(r.body, /已合并到 <a href="\/enterprises\/\d+">盘锦某新材料有限公司<\/a>/);

  // other languages show no bare ids
  for (const lang of ['en', 'zh-Hant']) {
    r = await web.ln_coord.get(`${path}?lang=${lang}`);
    assert.equal(r.status, 200);
    noBareIds(r.body);
  }
  r = await web.ln_coord.get('/enterprises?lang=en');
  assert.match(r.body, /Enterprise directory/);
  await web.ln_coord.get('/enterprises?lang=zh-Hans');
});

test('the project form offers the directory\'s names to its partner rows', async () => {
  const r = await web.ln_coord.get('/projects/new');
  assert.equal(r.status, 200);
  assert.match(r.body, /name="partner_enterprise" type="text" list="enterprise-names"/);
  assert.match(r.body, /<datalist id="enterprise-names">[^]*<option value="辽宁忠旺铝业">[^]*<\/datalist>/);
  assert.doesNotMatch(r.body, /<option value="盘锦某石化有限公司">/, 'not a merged one');
});
