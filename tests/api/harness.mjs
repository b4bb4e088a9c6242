// harness: a real `duikou serve` on a free loopback port with a fresh database holding the
// seed plans and a small organisation, and a client that signs in like a browser (cookie +
// CSRF token) or an integration (bearer token). Used by every tests/api/*.test.mjs.
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkServerToday } from './clock.mjs';
export const BIN = process.env.DUIKOU_BIN ?? 'build/duikou';
export const SRC = process.env.DUIKOU_SOURCE_DIR ?? '.';
export const SEED = join(SRC, 'data/plans/liaoning-jiangsu-shanghai-dalian.txt');
export const PASSWORD = 'Tx9-ceshi-mima-2026';

// Pairings as the seed import numbers them: 1 遼寧省–江蘇省 (children 2–12), 13 上海市–大連市.
export const LJ = 1;
export const SD = 13;

// name, pairing, side, kind, tier, and the accounts on it
export const ORG = [
  { key: 'ln_office', pairing: LJ, side: 0, name: '遼寧省發展和改革委員會', kind: 'department', tier: 'coordination',
    users: [['ln_coord', 'coordinator']] },
  { key: 'ln_lead', pairing: LJ, side: 0, name: '遼寧省對口合作工作領導小組', kind: 'government', tier: 'decision',
    users: [['ln_leader', 'leader']] },
  { key: 'panjin', pairing: LJ, side: 0, name: '盤錦市人民政府', kind: 'city', tier: 'execution',
    users: [['pj_member', 'member']] },
  { key: 'liaoyang', pairing: LJ, side: 0, name: '遼陽市人民政府', kind: 'city', tier: 'execution',
    users: [['ly_member', 'member']] },
  { key: 'js_office', pairing: LJ, side: 1, name: '江蘇省發展和改革委員會', kind: 'department', tier: 'coordination',
    users: [['js_coord', 'coordinator']] },
  { key: 'wuxi', pairing: LJ, side: 1, name: '無錫市人民政府', kind: 'city', tier: 'execution',
    users: [['wx_member', 'member']] },
  { key: 'sh_office', pairing: SD, side: 0, name: '上海市人民政府合作交流辦公室', kind: 'department', tier: 'coordination',
    users: [['sh_coord', 'coordinator']] },
  { key: 'dl_office', pairing: SD, side: 1, name: '大連市發展和改革委員會', kind: 'department', tier: 'coordination',
    users: [['dl_coord', 'coordinator'], ['dl_member', 'member']] },
];

function cli(db, args, input) {
  return execFileSync(BIN, ['--db', db, ...args], {
    encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

// Spawns `duikou ARGS` (a serve command) and resolves { proc, base } once it listens;
// onStderr receives what it writes there.
export function serve(args, onStderr = () => {}) {
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; onStderr(d); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, base: m[1] }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
}

// Starts a server; returns { base, db, units: {key: id}, stop(), cli(args) }.
export async function startServer({ args = [], organisation = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'duikou-api-'));
  const db = join(dir, 'duikou.db');
  cli(db, ['import', SEED]);
  const units = {};
  if (organisation) {
    for (const u of ORG) {
      const out = cli(db, ['unit', 'add', '--pairing', String(u.pairing), '--side', String(u.side),
        '--name', u.name, '--kind', u.kind, '--tier', u.tier]);
      units[u.key] = Number(/unit (\d+):/.exec(out)[1]);
      for (const [login, role] of u.users)
        cli(db, ['user', 'add', '--login', login, '--unit', String(units[u.key]), '--role', role,
          '--password-stdin'], PASSWORD + '\n');
    }
    cli(db, ['user', 'add', '--login', 'admin', '--role', 'admin', '--password-stdin'], PASSWORD + '\n');
  }
  const serveArgs = ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--login-rate', '0',
    '--write-rate', '0', ...args];
  const server = { db, dir, units, cli: (a, input) => cli(db, a, input), serveArgs };
  let stderr = '';
  // Starts (or restarts, on the same database) the server process.
  server.start = async () => {
    const started = await serve(server.serveArgs, (d) => { stderr += d; });
    server.proc = started.proc;
    server.base = started.base;
    return server.base;
  };
  // kill -9: no chance to flush anything; what was acknowledged must already be on disk.
  server.kill9 = async () => {
    const proc = server.proc;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const done = new Promise((r) => proc.on('exit', r));
    proc.kill('SIGKILL');
    await done;
  };
  server.stderr = () => stderr;
  server.stop = async () => {
    const proc = server.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const done = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  await server.start();
  await checkServerToday(server.base);
  return server;
}
// A client: request(method, path, {json, form, headers, csrf:false, origin}) → {status, headers, body, json}
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.bearer = null; }

  async request(method, path, opts = {}) {
    const headers = { ...(opts.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = 'Bearer ' + this.bearer;
    if (this.csrf && opts.csrf !== false && method !== 'GET' && method !== 'HEAD')
      headers['x-csrf-token'] = this.csrf;
    if (opts.origin !== undefined) { if (opts.origin) headers.origin = opts.origin; }
    else if (method !== 'GET' && method !== 'HEAD') headers.origin = this.base;
    let body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
    } else if (opts.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      body = opts.body;
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /^([^=]+)=([^;]*)/.exec(setCookie);
      this.cookie = m && m[2] ? `${m[1]}=${m[2]}` : null;
    }
    return { status: res.status, headers: res.headers, body: text, json };
  }

  get(p, o) { return this.request('GET', p, o); }
  post(p, json, o = {}) { return this.request('POST', p, { ...o, json }); }
  put(p, json, o = {}) { return this.request('PUT', p, { ...o, json }); }
  patch(p, json, o = {}) { return this.request('PATCH', p, { ...o, json }); }
  del(p, o) { return this.request('DELETE', p, o); }

  async login(login, password = PASSWORD) {
    const r = await this.post('/api/v1/session', { login, password });
    if (r.status === 201) this.csrf = r.json.csrf_token;
    return r;
  }
}

// Signs in and returns the client; throws when sign-in fails.
export async function as(server, login) {
  const c = new Client(server.base);
  const r = await c.login(login);
  if (r.status !== 201) throw new Error(`login ${login}: ${r.status} ${r.body}`);
  return c;
}

// One request written as raw bytes on a new connection to 127.0.0.1:port (for heads a client
// library would refuse to send). Resolves { status, head, ms } once the answer's head has
// arrived or the connection ends (status 0: closed without an answer) or after timeout ms;
// localAddress (127.0.0.2 …) makes it another client address.
// No half-close after the request: with it, libmicrohttpd (0.9.75, epoll) keeps its end in
// CLOSE-WAIT until --timeout (docs/faults.md).
export function rawRequest(port, bytes, timeout = 5000, localAddress = undefined) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = net.connect({ port: Number(port), host: '127.0.0.1', localAddress });
    let got = '';
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      s.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      resolve({ status: m ? Number(m[1]) : 0, head: got.split('\r\n\r\n')[0], ms: Date.now() - t0 });
    };
    s.setTimeout(timeout, done);
    s.on('data', (d) => { got += d.toString('latin1'); if (got.includes('\r\n\r\n')) done(); });
    s.on('error', done);
    s.on('close', done);
    s.write(bytes);
  });
}
