// web_client: a browser without JavaScript for the page tests — a cookie jar, GET, and form
// POSTs with Origin, redirects not followed (a test checks each 303 itself).
//   const b = await WebClient.signIn(server.base, 'ln_coord');   // through the /login form
//   await b.get('/my');  await b.post('/work-plans', { year: 2026 });   // csrf_token added
//   await b.send('/plans/1/assign', pairs);   // the form exactly as given (no csrf_token added)
// post/send take an object, or [name, value] pairs for repeated names.
import assert from 'node:assert/strict';
import { PASSWORD } from './harness.mjs';

export class WebClient {
  constructor(base) { this.base = base; this.jar = new Map(); this.csrf = null; }

  async request(method, path, form) {
    const headers = {};
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = this.base;
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c);
      if (!m) continue;
      if (!m[2] || /Max-Age=0/i.test(c)) this.jar.delete(m[1]); else this.jar.set(m[1], m[2]);
    }
    return { status: res.status, headers: res.headers, body: await res.text(),
      location: res.headers.get('location'), type: res.headers.get('content-type'),
      cache: res.headers.get('cache-control') };
  }

  get(path) { return this.request('GET', path); }
  send(path, form) { return this.request('POST', path, form); }
  post(path, form) {
    const pairs = Array.isArray(form) ? form : Object.entries(form);
    return this.request('POST', path, [['csrf_token', this.csrf], ...pairs]);
  }

  // Signs in through the form and reads the session's csrf_token from /account.
  static async signIn(base, login, password = PASSWORD) {
    const b = new WebClient(base);
    const r = await b.request('POST', '/login', { login, password });
    assert.equal(r.status, 303, `${login}: ${r.body.slice(0, 200)}`);
    b.csrf = /name="csrf_token" value="([^"]+)"/.exec((await b.get('/account')).body)[1];
    return b;
  }
}
