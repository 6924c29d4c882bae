import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createWebhookActivities } from '../../activities/webhook-activities.js';
import { PROBLEM_BASE } from '../../api/problem.js';
import { validateDocument } from '../../domain/dgi-document/index.js';
import type { Company } from '../../platform/storage/company-store.js';
import { purgeExpiredIdempotentRequests } from '../../platform/storage/idempotency-store.js';
import { saveWebhook } from '../../platform/storage/webhook-store.js';
import { apiClient, type ApiCall } from '../helpers/api-client.js';
import { ProblemBody } from '../helpers/api-fixtures.js';
import { createTestCompany, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { startTestApi, testSecretBox, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';

/** Express's routes as `METHOD /path` (OpenAPI style), read from the app itself. */
function expressRoutes(app: any): string[] {
  const found: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          found.push(`${method.toUpperCase()} ${String(layer.route.path).replace(/:([A-Za-z]+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(app.router.stack);
  return found.sort();
}

const send = (api: TestApi, key: string, path: string, init: RequestInit) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as object) },
  });

async function problemOf(res: Response): Promise<Record<string, any>> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.ok(res.headers.get('x-request-id'), 'a request id');
  const text = await res.text();
  assert.doesNotMatch(text, /\n\s+at |node_modules|\.ts:\d+/, 'no stack trace');
  return ProblemBody.passthrough().parse(JSON.parse(text));
}

describe('the API as a product: reference, errors, idempotency, limits, headers, webhooks', () => {
  let api: TestApi;
  let company: Company;
  let key: string;
  let call: ApiCall;
  let example: Record<string, any>;
  const logs: string[] = [];

  before(async () => {
    const env = await testTemporal();
    api = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      taskQueue: `nobody-${randomUUID()}`,
      log: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
    });
    company = await createTestCompany(testDatabase());
    key = await api.keyFor(company.id, 'admin');
    call = apiClient(api.url, key);
    example = await loadExample('invoice-spec-example.json');
  });
  after(async () => {
    await api.close();
    await closeTestStack();
  });

  it('documents every route in OpenAPI 3.1, and documents only routes that exist', async () => {
    const res = await fetch(`${api.url}/openapi.json`);
    assert.equal(res.status, 200);
    const spec = (await res.json()) as any;
    assert.equal(spec.openapi, '3.1.0');
    const documented = Object.entries(spec.paths as Record<string, object>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    assert.deepEqual(documented, expressRoutes(api.app));
    assert.ok(documented.length >= 25, `${documented.length} operations`);
    for (const [path, ops] of Object.entries(spec.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(op.summary && op['x-fepa-role'], `${method} ${path} has a summary and a role`);
        if (op['x-fepa-role'] !== 'public') {
          assert.deepEqual(op.security, [{ apiKey: [] }]);
          for (const status of ['401', '403', '429'])
            assert.ok(op.responses[status], `${method} ${path} ${status}`);
        }
      }
    }
    // Generated from the schemas that validate: the DGI document as the body of a new document.
    const body =
      spec.paths['/v1/companies/{companyId}/documents'].post.requestBody.content['application/json'].schema;
    assert.equal(body.additionalProperties, false);
    assert.ok(body.properties.gDGen.properties.iDoc, 'iDoc is documented');
    const example =
      spec.paths['/v1/companies/{companyId}/documents'].post.requestBody.content['application/json'].example;
    assert.equal(validateDocument(example).ok, true, 'the documented example is a valid document');
    const keyBody =
      spec.paths['/v1/companies/{companyId}/keys'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(keyBody.required.sort(), ['name', 'role']);
    assert.deepEqual(keyBody.properties.role.enum, ['integrator', 'operator', 'admin']);
  });

  it('serves the interactive reference at /docs, with its assets, under a strict CSP', async () => {
    const page = await fetch(`${api.url}/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /swagger-ui-bundle\.js/);
    assert.doesNotMatch(html, /<script>[^<]/, 'no inline script');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    for (const asset of [
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/assets/swagger-ui.css',
      '/docs/assets/start.js',
    ]) {
      const res = await fetch(`${api.url}${asset}`);
      assert.equal(res.status, 200, asset);
      assert.ok(Number(res.headers.get('content-length') ?? (await res.arrayBuffer()).byteLength) > 100);
    }
  });

  it('answers every kind of bad request with a problem document naming what is wrong', async () => {
    const docs = `/v1/companies/${company.id}/documents`;
    const keys = `/v1/companies/${company.id}/keys`;
    const post = (path: string, body: string | Buffer, type = 'application/json') =>
      send(api, key, path, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: Array<[string, Promise<Response>, number, string, RegExp?]> = [
      ['malformed JSON', post(keys, '{"name": '), 400, 'malformed-json'],
      [
        'wrong content type',
        post(keys, 'name=x', 'text/plain'),
        415,
        'unsupported-media-type',
        /application\/json/,
      ],
      ['oversized body', post(docs, JSON.stringify({ pad: 'x'.repeat(1_100_000) })), 413, 'body-too-large'],
      [
        'invalid UTF-8',
        post(
          keys,
          Buffer.concat([
            Buffer.from('{"name":"'),
            Buffer.from([0xc3, 0x28]),
            Buffer.from('","role":"admin"}'),
          ]),
        ),
        400,
        'invalid-utf8',
      ],
      ['deep nesting', post(docs, '['.repeat(5000) + ']'.repeat(5000)), 400, 'too-deep'],
      [
        'unknown field',
        post(keys, JSON.stringify({ name: 'x', role: 'admin', owner: 'me' })),
        400,
        'validation',
        /owner/,
      ],
      ['wrong type', post(keys, JSON.stringify({ name: 7, role: 'root' })), 400, 'validation'],
      [
        'bad query',
        send(api, key, `${docs}?limit=abc&since=yesterday`, {}),
        400,
        'validation',
        /query\.limit/,
      ],
      ['bad cursor', send(api, key, `${docs}?cursor=bm90LWEtY3Vyc29y`, {}), 400, 'validation', /cursor/],
      ['unknown query parameter', send(api, key, '/v1/me?verbose=1', {}), 400, 'validation', /verbose/],
      ['unknown route', send(api, key, '/v1/invoices', {}), 404, 'not-found'],
      ['unknown document', send(api, key, `${docs}/${randomUUID()}`, {}), 404, 'not-found'],
      ['not a uuid', send(api, key, `${docs}/------------------------------------`, {}), 404, 'not-found'],
    ];
    for (const [name, request, status, type, mentions] of cases) {
      const res = await request;
      assert.equal(res.status, status, name);
      const problem = await problemOf(res);
      assert.equal(problem.type, `${PROBLEM_BASE}${type}`, name);
      assert.equal(problem.status, status);
      if (mentions) assert.match(JSON.stringify(problem), mentions, name);
    }
    const unknownField = await call('POST', `/v1/companies/${company.id}/keys`, {
      name: 'x',
      role: 'admin',
      owner: 'me',
    });
    assert.deepEqual(
      unknownField.body.issues.map((i: any) => i.rule),
      ['unrecognized_keys'],
    );
    const [{ n }] =
      (await testDatabase()`select count(*)::int as n from api_keys where company_id = ${company.id}`) as unknown as [
        { n: number },
      ];
    assert.equal(n, 1, 'no key was created by any of them');
  });

  it('replays the first answer for the same Idempotency-Key, and refuses the key for another request', async () => {
    const doc = documentFor(company, example, '0000000901');
    const path = `/v1/companies/${company.id}/documents`;
    const first = await call('POST', path, doc, { 'idempotency-key': 'erp-order-901' });
    assert.equal(first.status, 202);
    const again = await call('POST', path, doc, { 'idempotency-key': 'erp-order-901' });
    assert.equal(again.status, 202, 'the first answer, not "existing"');
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    const other = await call('POST', path, documentFor(company, example, '0000000902'), {
      'idempotency-key': 'erp-order-901',
    });
    assert.equal(other.status, 422);
    assert.match(other.body.type, /idempotency-key-reused$/);
    const rows = await testDatabase()<Array<{ number: string }>>`
      select number from documents where company_id = ${company.id} and number in ('0000000901', '0000000902')`;
    assert.deepEqual(
      rows.map((r) => r.number),
      ['0000000901'],
    );

    // A refused request changed nothing, so its key is free for the corrected one.
    const bad = structuredClone(doc);
    bad.gDGen.dNroDF = '0000000903';
    bad.gDGen.iDoc = '99';
    assert.equal((await call('POST', path, bad, { 'idempotency-key': 'erp-order-903' })).status, 400);
    const fixed = await call('POST', path, documentFor(company, example, '0000000903'), {
      'idempotency-key': 'erp-order-903',
    });
    assert.equal(fixed.status, 202);

    // At the same moment: one document, whatever the interleaving.
    const same = documentFor(company, example, '0000000904');
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => call('POST', path, same, { 'idempotency-key': 'erp-order-904' })),
    );
    for (const r of racing) assert.ok([202, 409].includes(r.status), String(r.status));
    assert.ok(racing.some((r) => r.status === 202));
    const ids = new Set(racing.filter((r) => r.status === 202).map((r) => r.body.id));
    assert.equal(ids.size, 1);

    const badKey = await call('POST', path, same, { 'idempotency-key': 'x'.repeat(300) });
    assert.equal(badKey.status, 400);
  });

  it('takes over a reservation abandoned by a crashed request, and forgets answers after 24 hours', async () => {
    const sql = testDatabase();
    await sql`
      insert into idempotent_requests (company_id, idempotency_key, request_hash, state, created_at)
      values (${company.id}, 'crashed-mid-request', ${Buffer.alloc(32)}, 'in-progress', now() - interval '2 minutes'),
             (${company.id}, 'old-answer', ${Buffer.alloc(32)}, 'done', now() - interval '25 hours')`;
    const path = `/v1/companies/${company.id}/keys`;
    const taken = await call(
      'POST',
      path,
      { name: 'after crash', role: 'integrator' },
      { 'idempotency-key': 'crashed-mid-request' },
    );
    assert.equal(taken.status, 201, JSON.stringify(taken.body));
    const purged = await purgeExpiredIdempotentRequests(sql);
    assert.ok(purged >= 1);
    const left = await sql<Array<{ idempotency_key: string }>>`
      select idempotency_key from idempotent_requests where company_id = ${company.id} order by idempotency_key`;
    const keysLeft = left.map((r) => r.idempotency_key);
    assert.ok(keysLeft.includes('crashed-mid-request') && !keysLeft.includes('old-answer'), keysLeft.join());
  });

  it('replays a new API key without storing it in plain text', async () => {
    const path = `/v1/companies/${company.id}/keys`;
    const first = await call(
      'POST',
      path,
      { name: 'ERP', role: 'integrator' },
      { 'idempotency-key': 'key-1' },
    );
    const again = await call(
      'POST',
      path,
      { name: 'ERP', role: 'integrator' },
      { 'idempotency-key': 'key-1' },
    );
    assert.equal(first.status, 201);
    assert.equal(again.body.key, first.body.key);
    const dump = await testDatabase()<
      Array<{ row: string }>
    >`select to_jsonb(r)::text as row from idempotent_requests r`;
    assert.ok(dump.length > 0);
    assert.ok(
      !dump
        .map((r) => r.row)
        .join('')
        .includes(first.body.key.slice(18)),
      'sealed at rest',
    );
  });

  it('limits requests per key, and failed authentications per address', async () => {
    const env = await testTemporal();
    const limited = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      rateLimit: { perMinute: 60, burst: 3 },
    });
    try {
      const a = apiClient(limited.url, await limited.keyFor(company.id, 'integrator'));
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await a('GET', '/v1/me'));
      assert.deepEqual(
        statuses.map((s) => s.status),
        [200, 200, 200, 429],
      );
      const refused = statuses[3]!;
      assert.match(refused.body.type, /rate-limited$/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal(statuses[0]!.headers.get('ratelimit-remaining'), '2');
      const b = apiClient(limited.url, await limited.keyFor(company.id, 'integrator'));
      assert.equal((await b('GET', '/v1/me')).status, 200, 'another key has its own budget');
      const guesses = [];
      const guesser = apiClient(limited.url, 'fepa_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      for (let i = 0; i < 5; i++) guesses.push((await guesser('GET', '/v1/me')).status);
      assert.deepEqual(guesses, [401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
    // Behind a trusted proxy, the address is the one the proxy saw, so callers do not share one budget.
    const proxied = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      rateLimit: { perMinute: 60, burst: 2 },
      trustProxy: 'loopback',
    });
    try {
      const from = (address: string) =>
        apiClient(proxied.url, 'fepa_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')(
          'GET',
          '/v1/me',
          undefined,
          {
            'x-forwarded-for': address,
          },
        );
      const first = [];
      for (let i = 0; i < 3; i++) first.push((await from('203.0.113.7')).status);
      assert.deepEqual(first, [401, 401, 429]);
      assert.equal((await from('198.51.100.9')).status, 401, 'another client behind the proxy');
    } finally {
      await proxied.close();
    }
  });

  it('sends security headers and a request id on every answer, and logs each request without secrets', async () => {
    for (const res of [
      await fetch(`${api.url}/healthz`),
      await fetch(`${api.url}/v1/me`),
      await send(api, key, '/v1/me', {}),
      await send(api, key, '/nowhere', {}),
    ]) {
      assert.ok(res.headers.get('x-request-id'));
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(res.headers.get('content-security-policy'));
      assert.ok(res.headers.get('strict-transport-security'));
      assert.equal(res.headers.get('x-powered-by'), null);
    }
    const traced = await send(api, key, '/v1/me', { headers: { 'x-request-id': 'erp-trace-7' } });
    assert.equal(traced.headers.get('x-request-id'), 'erp-trace-7');
    await new Promise((r) => setTimeout(r, 50));
    const line = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.requestId === 'erp-trace-7' && l.msg === 'request');
    assert.ok(line, 'an access log line with the request id');
    assert.deepEqual(
      {
        method: line.method,
        path: line.path,
        status: line.status,
        keyPrefix: line.keyPrefix,
        companyId: line.companyId,
      },
      { method: 'GET', path: '/v1/me', status: 200, keyPrefix: key.slice(5, 17), companyId: company.id },
    );
    const all = logs.join('\n');
    assert.ok(!all.includes(key.slice(18)), 'no API key in the logs');
    for (const l of logs.map((x) => JSON.parse(x))) if (l.msg === 'request') assert.ok(l.requestId);
  });

  it('sends webhooks only to allowed hosts, and rotates their secret with an overlap', async () => {
    const path = `/v1/companies/${company.id}/webhook`;
    const refused = await call('PUT', path, { url: 'http://169.254.169.254/latest/meta-data' });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.issues.map((i: any) => i.rule),
      ['allowed-host'],
    );
    assert.match(refused.body.detail, /FEPA_WEBHOOK_ALLOWED_HOSTS/);

    const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const set = await call('PUT', path, { url });
      assert.equal(set.status, 200);
      const rotated = await call('POST', `${path}/rotate-secret`);
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.secret, set.body.secret);
      const overlapHours = (Date.parse(rotated.body.previousValidUntil) - Date.now()) / 3_600_000;
      assert.ok(overlapHours > 23.9 && overlapHours <= 24, String(overlapHours));
      const shown = await call('GET', path);
      assert.ok(!JSON.stringify(shown.body).includes(rotated.body.secret), 'the secret is shown once');

      const deliver = (allowedHosts: string[]) =>
        createWebhookActivities({ sql: testDatabase(), box: testSecretBox, allowedHosts }).deliverWebhook({
          companyId: company.id,
          event: { eventId: 'e-1', documentId: randomUUID(), status: 'authorized' } as any,
        });
      assert.deepEqual(await deliver(['127.0.0.1']), { delivered: true, status: 200 });
      const [hit] = received;
      const signatures = String(hit!.headers['x-fepa-signature']).split(',');
      const expected = (secret: string) =>
        `sha256=${createHmac('sha256', secret)
          .update(`${String(hit!.headers['x-fepa-timestamp'])}.${hit!.body}`)
          .digest('hex')}`;
      assert.deepEqual(
        signatures,
        [expected(rotated.body.secret), expected(set.body.secret)],
        'new and old both sign',
      );

      // The allowlist is checked again at delivery: narrowing the setting stops deliveries at once.
      await assert.rejects(deliver(['erp.example.com']), (err: any) => {
        assert.equal(err.type, 'WebhookHostNotAllowed');
        assert.equal(err.nonRetryable, true);
        return true;
      });
      assert.equal(received.length, 1);

      // A subdomain allowed by a wildcard may not resolve inside the network (DNS is the tenant's to control).
      await saveWebhook(
        testDatabase(),
        testSecretBox,
        company.id,
        'http://erp.hooks.example.test/fepa',
        's'.repeat(32),
      );
      const viaWildcard = (addresses: string[]) =>
        createWebhookActivities({
          sql: testDatabase(),
          box: testSecretBox,
          allowedHosts: ['*.hooks.example.test'],
          resolve: () => Promise.resolve(addresses),
        }).deliverWebhook({ companyId: company.id, event: { eventId: 'e-2' } as any });
      for (const inside of [
        ['10.1.2.3'],
        ['203.0.113.5', '169.254.169.254'],
        ['::1'],
        ['::ffff:127.0.0.1'],
      ]) {
        await assert.rejects(viaWildcard(inside), (err: any) => {
          assert.equal(err.type, 'WebhookHostNotAllowed');
          assert.match(err.message, /internal address/);
          return true;
        });
      }
      assert.equal(received.length, 1, 'nothing sent');
    } finally {
      receiver.close();
    }
  });
});
