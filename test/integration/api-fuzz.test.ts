import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Company } from '../../platform/storage/company-store.js';
import { apiClient } from '../helpers/api-client.js';
import { ProblemBody } from '../helpers/api-fixtures.js';
import { createTestCompany, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { until } from '../helpers/workflow-waits.js';
import { CompanyId } from '../../common/search-attributes.js';

interface BadRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const SEED = 20261122;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Every path to a value inside a JSON document. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const inner = Object.entries(value).flatMap(([k, v]) =>
    pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k]),
  );
  return prefix.length ? [prefix, ...inner] : inner;
}

function setAt(doc: any, path: Array<string | number>, value: unknown): any {
  const copy = structuredClone(doc);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  target[path.at(-1)!] = value;
  return copy;
}

/** Values no DGI field accepts: wrong types, a string longer than any field, nesting where none is. */
const wrongValue = fc.constantFrom<unknown>(
  true,
  false,
  null,
  'x'.repeat(120_000),
  [[[]]],
  { '': {} },
  -0.5e300,
);

function badRequests(ctx: {
  owner: Company;
  ownerKey: string;
  strangerKey: string;
  strangerDocumentId: string;
  stranger: Company;
  document: Record<string, any>;
}): BadRequest[] {
  const docsPath = `/v1/companies/${ctx.owner.id}/documents`;
  const auth = { authorization: `Bearer ${ctx.ownerKey}`, 'content-type': 'application/json' };
  const paths = pathsOf(ctx.document);
  const valid = json(ctx.document);
  const at = (n: number) => Math.min(valid.length - 1, Math.max(1, n % valid.length));
  const mutation = fc.oneof(
    fc.tuple(fc.constantFrom(...paths), wrongValue).map(([path, value]) => setAt(ctx.document, path, value)),
    fc
      .tuple(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.string({ minLength: 1, maxLength: 12 }),
      )
      .map(([path, name]) => {
        // An unknown field next to a known one.
        const parent = path.slice(0, -1);
        const holder = parent.reduce((o: any, k) => o[k], ctx.document);
        if (Array.isArray(holder) || typeof holder !== 'object')
          return setAt(ctx.document, path, { [`x${name}`]: 1 });
        return setAt(ctx.document, [...parent, `zz${name}`], 'unknown');
      }),
    fc
      .constantFrom(...paths.filter((p) => p.length === 1 || p.at(-1) === 'gEmis' || p.at(-1) === 'gTot'))
      .map((path) => {
        // A required group or field removed.
        const copy = structuredClone(ctx.document);
        const holder = path.slice(0, -1).reduce((o: any, k) => o[k], copy);
        delete holder[path.at(-1)!];
        return copy;
      }),
  );
  const request = (
    kind: string,
    body: Buffer | undefined,
    headers: Record<string, string> = auth,
    method = 'POST',
    path = docsPath,
  ): BadRequest => ({
    kind,
    method,
    path,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const strangerDoc = `/v1/companies/${ctx.owner.id}/documents/${ctx.strangerDocumentId}`;
  const generators: Array<[number, fc.Arbitrary<BadRequest>]> = [
    [900, mutation.map((doc) => request('mutated document', json(doc)))],
    [200, fc.jsonValue({ maxDepth: 4 }).map((v) => request('random JSON', json(v)))],
    [150, fc.nat().map((n) => request('truncated JSON', valid.subarray(0, at(n))))],
    [
      150,
      fc
        .tuple(
          fc.nat(),
          fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]),
        )
        .map(([n, bytes]) => {
          // Inside a string value, so only the encoding is wrong.
          const quote = valid.indexOf('"', at(n));
          const cut = quote > 0 ? quote + 1 : 1;
          return request(
            'invalid UTF-8',
            Buffer.concat([valid.subarray(0, cut), Buffer.from(bytes), valid.subarray(cut)]),
          );
        }),
    ],
    [
      100,
      fc
        .tuple(fc.integer({ min: 33, max: 20_000 }), fc.boolean())
        .map(([depth, arrays]) =>
          request(
            'deep nesting',
            Buffer.from(
              arrays
                ? `${'['.repeat(depth)}${']'.repeat(depth)}`
                : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
            ),
          ),
        ),
    ],
    [
      100,
      fc
        .constantFrom(
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        )
        .map((type) => request('wrong content type', valid, { ...auth, 'content-type': type })),
    ],
    [
      150,
      fc
        .oneof(
          fc.constant({}),
          fc
            .string({ maxLength: 80 })
            .map((s) => ({ authorization: `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}` })),
          fc.constant({ authorization: 'Basic YWRtaW46YWRtaW4=' }),
          fc.nat().map((n) => {
            const chars = ctx.ownerKey.split('');
            const i = 18 + (n % (chars.length - 18));
            chars[i] = chars[i] === 'A' ? 'B' : 'A';
            return { authorization: `Bearer ${chars.join('')}` };
          }),
        )
        .map((h: Record<string, string>) =>
          request('missing or wrong key', valid, { 'content-type': 'application/json', ...h }),
        ),
    ],
    [
      100,
      fc.constant(
        request('another tenant’s key', valid, {
          authorization: `Bearer ${ctx.strangerKey}`,
          'content-type': 'application/json',
        }),
      ),
    ],
    [
      150,
      fc
        .constantFrom(
          ['GET', strangerDoc, undefined],
          ['GET', `${strangerDoc}/xml`, undefined],
          ['POST', `${strangerDoc}/cancel`, { actor: 'mallory', reason: 'probando' }],
          ['POST', `${strangerDoc}/resubmit`, { actor: 'mallory' }],
          ['POST', `${strangerDoc}/annul`, { actor: 'mallory', reason: 'una razon suficientemente larga' }],
          ['POST', `${strangerDoc}/correct`, { actor: 'mallory', document: ctx.document }],
          ['GET', `/v1/companies/${ctx.stranger.id}/documents`, undefined],
          ['GET', `/v1/companies/${ctx.stranger.id}/keys`, undefined],
          ['PUT', `/v1/companies/${ctx.stranger.id}/pac`, { pac: 'sandbox' }],
          ['POST', `/v1/companies/${ctx.stranger.id}/keys`, { name: 'mallory', role: 'admin' }],
        )
        .map(([method, path, body]) =>
          request(
            'another tenant’s ids',
            body === undefined ? undefined : json(body),
            auth,
            method as string,
            path,
          ),
        ),
    ],
    [
      50,
      fc
        .uuid()
        .map((id) =>
          request('unknown document id', json({ actor: 'x' }), auth, 'POST', `${docsPath}/${id}/cancel`),
        ),
    ],
    [
      50,
      fc.string({ minLength: 256, maxLength: 300 }).map((k) =>
        request('bad Idempotency-Key', valid, {
          ...auth,
          'idempotency-key': k.replace(/[^\x21-\x7e]/g, 'k'),
        }),
      ),
    ],
    [
      60,
      mutation.map((doc) =>
        request('mutated document with an Idempotency-Key', json(doc), {
          ...auth,
          'idempotency-key': `fuzz-${randomUUID()}`,
        }),
      ),
    ],
    [
      60,
      // No body at all (curl -X POST without -d), with or without a content type, on routes that need one.
      fc
        .tuple(
          fc.constantFrom(
            ['POST', docsPath],
            ['PUT', `/v1/companies/${ctx.owner.id}/contingency-settings`],
            ['PUT', `/v1/companies/${ctx.owner.id}/pac`],
            ['PUT', `/v1/companies/${ctx.owner.id}/webhook`],
            ['POST', `/v1/companies/${ctx.owner.id}/keys`],
          ),
          fc.constantFrom<Record<string, string>>({ authorization: `Bearer ${ctx.ownerKey}` }, auth, {
            authorization: `Bearer ${ctx.ownerKey}`,
            'content-type': 'text/plain',
          }),
        )
        .map(([[method, path], headers]) => request('missing body', undefined, headers, method, path)),
    ],
    // A body without any Content-Type header (fetch sends none for bytes).
    [
      40,
      fc.constant(request('body without content type', valid, { authorization: `Bearer ${ctx.ownerKey}` })),
    ],
    [10, fc.constant(request('oversized body', Buffer.from(JSON.stringify({ pad: 'x'.repeat(1_200_000) }))))],
  ];
  return generators.flatMap(([count, arbitrary], i) =>
    fc.sample(arbitrary, { numRuns: count, seed: SEED + i }),
  );
}

/** Rows of every table that has a company column, for these companies. */
async function rowCounts(companyIds: string[]): Promise<Record<string, number>> {
  const sql = testDatabase();
  const tables = await sql<Array<{ table_name: string }>>`
    select table_name from information_schema.columns
    where column_name = 'company_id' and table_schema = 'public' order by table_name`;
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await sql.unsafe<Array<{ n: number }>>(
      `select count(*)::int as n from ${table_name} where company_id = any($1::uuid[])`,
      [companyIds],
    );
    counts[table_name] = row!.n;
  }
  return counts;
}

describe('fuzzing the API with thousands of bad requests', () => {
  let api: TestApi;

  before(async () => {
    const env = await testTemporal();
    api = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      taskQueue: `nobody-${randomUUID()}`,
    });
  });
  after(async () => {
    await api.close();
    await closeTestStack();
  });

  it('answers each with a 4xx problem, starts no workflow and writes no row', async (t) => {
    const env = await testTemporal();
    const owner = await createTestCompany(testDatabase());
    const stranger = await createTestCompany(testDatabase());
    const ownerKey = await api.keyFor(owner.id, 'admin');
    const strangerKey = await api.keyFor(stranger.id, 'admin');
    const example = await loadExample('invoice-spec-example.json');
    const strangerDoc = await apiClient(api.url, strangerKey)(
      'POST',
      `/v1/companies/${stranger.id}/documents`,
      documentFor(stranger, example, '0000000001'),
    );
    assert.equal(strangerDoc.status, 202);
    const strangerHandle = env.client.workflow.getHandle(strangerDoc.body.workflowId);
    const strangerHistoryBefore = (await strangerHandle.describe()).historyLength;
    const document = documentFor(owner, example, '0000000042');
    delete document.gDGen.dSeg;

    const requests = badRequests({
      owner,
      ownerKey,
      strangerKey,
      stranger,
      strangerDocumentId: strangerDoc.body.id,
      document,
    });
    assert.ok(requests.length >= 2000, `${requests.length} requests`);
    const countsBefore = await rowCounts([owner.id, stranger.id]);

    const byKind = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < requests.length) {
          const r = requests[next++]!;
          const res = await fetch(`${api.url}${r.path}`, {
            method: r.method,
            headers: r.headers,
            ...(r.body ? { body: r.body } : {}),
          });
          const text = await res.text();
          const statuses = byKind.get(r.kind) ?? new Map<number, number>();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          byKind.set(r.kind, statuses);
          const problem = ProblemBody.safeParse(
            res.headers.get('content-type')?.startsWith('application/problem+json') ? JSON.parse(text) : null,
          );
          if (res.status < 400 || res.status >= 500 || !problem.success || /\n\s+at /.test(text)) {
            failures.push(
              `${r.kind}: ${r.method} ${r.path} → ${res.status} ${text.slice(0, 300)} (body ${r.body?.subarray(0, 200).toString()})`,
            );
          }
        }
      }),
    );
    const summary = Object.fromEntries([...byKind].map(([kind, s]) => [kind, Object.fromEntries(s)]));
    assert.deepEqual(failures.slice(0, 5), [], JSON.stringify(summary));
    t.diagnostic(`${requests.length} requests: ${JSON.stringify(summary)}`);
    // Each kind met the check meant for it, not just any 4xx.
    assert.deepEqual(Object.keys(summary['missing or wrong key']!), ['401']);
    assert.deepEqual(Object.keys(summary['another tenant’s key']!), ['404']);
    assert.deepEqual(Object.keys(summary['another tenant’s ids']!), ['404']);
    assert.deepEqual(Object.keys(summary['wrong content type']!), ['415']);
    assert.deepEqual(Object.keys(summary['oversized body']!), ['413']);
    assert.deepEqual(Object.keys(summary['missing body']!), ['400']);
    assert.deepEqual(Object.keys(summary['body without content type']!), ['415']);
    assert.deepEqual(Object.keys(summary['mutated document']!), ['400']);

    assert.deepEqual(await rowCounts([owner.id, stranger.id]), countsBefore, 'no row written');
    // Visibility is eventually consistent: a marker workflow of the company, started now, shows when the
    // index has caught up; then it must be the company's only one.
    const marker = await env.client.workflow.start('fuzzMarker', {
      taskQueue: `fuzz-marker-${randomUUID()}`,
      workflowId: `fuzz-marker-${randomUUID()}`,
      typedSearchAttributes: [{ key: CompanyId, value: owner.id }],
    });
    try {
      const count = await until('the marker is visible', async () => {
        const n = (await env.client.workflow.count(`CompanyId = "${owner.id}"`)).count;
        return n >= 1 ? n : undefined;
      });
      assert.equal(count, 1, 'no workflow started but the marker');
    } finally {
      await marker.terminate('fuzz check done');
    }
    assert.equal(
      (await strangerHandle.describe()).historyLength,
      strangerHistoryBefore,
      'no signal or update',
    );
  });
});
