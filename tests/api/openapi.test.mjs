// The OpenAPI document describes every route of the routing table (and no route that is not
// there), and is valid OpenAPI 3.1 by a real validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Validator } from '@seriousme/openapi-schema-validator';
import { BIN, SRC } from './harness.mjs';

const doc = parse(readFileSync(join(SRC, 'docs/api/openapi.yaml'), 'utf8'));

function routes() {
  return execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n').map((line) => {
    const [method, path, role] = line.split(/\s+/);
    return { method: method.toLowerCase(), path, role };
  });
}

// /api/v1/plans/{id} in the table; the document may name the parameter: /api/v1/plans/{planId}
const shape = (p) => p.replace(/\{[^}]+\}/g, '{}');

test('the document is valid OpenAPI', async () => {
  const res = await new Validator().validate(doc);
  assert.equal(res.valid, true, JSON.stringify(res.errors, null, 2));
});

test('every route is documented', () => {
  const documented = new Map(Object.entries(doc.paths).map(([p, ops]) => [shape(p), ops]));
  const missing = routes().filter((r) => !documented.get(shape(r.path))?.[r.method]);
  assert.deepEqual(missing, [], 'routes missing from docs/api/openapi.yaml');
});

test('every documented operation is a route', () => {
  const table = new Set(routes().map((r) => `${r.method} ${shape(r.path)}`));
  const extra = [];
  for (const [p, ops] of Object.entries(doc.paths))
    for (const m of Object.keys(ops))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m) && !table.has(`${m} ${shape(p)}`))
        extra.push(`${m} ${p}`);
  assert.deepEqual(extra, [], 'documented but not routed');
});

test('each operation states who may call it', () => {
  const byRoute = new Map(routes().map((r) => [`${r.method} ${shape(r.path)}`, r.role]));
  for (const [p, ops] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(ops)) {
      const role = byRoute.get(`${m} ${shape(p)}`);
      if (!role) continue;
      assert.equal(op['x-least-role'], role, `${m} ${p}: x-least-role`);
    }
});
