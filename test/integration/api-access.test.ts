import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../platform/access/roles.js';
import type { AnyRoute } from '../../api/route-definition.js';
import { apiRoutes } from '../../api/server.js';
import { getDocumentState } from '../../common/document-messages.js';
import { insertApiKey } from '../../platform/storage/api-key-store.js';
import type { Company } from '../../platform/storage/company-store.js';
import { generateApiKey } from '../../platform/access/api-key.js';
import { recordReceived } from '../../platform/storage/received-store.js';
import { apiClient, type ApiCall } from '../helpers/api-client.js';
import { concretePath, ProblemBody, rolesBelow } from '../helpers/api-fixtures.js';
import { createCompanyWithCertificate, createTestCompany, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { waitForStatus } from '../helpers/workflow-waits.js';

/** A body each route accepts, so that only the key decides the answer. */
function validBody(route: AnyRoute, document: Record<string, any>): unknown {
  if (route.method === 'get' || route.method === 'delete') return undefined;
  if (route.path.endsWith('/documents')) return document;
  if (route.path.endsWith('/correct')) return { actor: 'ana', document };
  if (route.path.endsWith('/annul')) return { actor: 'ana', reason: 'La operación no se realizó' };
  if (route.path.endsWith('/keys')) return { name: 'x', role: 'integrator' };
  if (route.path.endsWith('/pac')) return { pac: 'sandbox' };
  if (route.path.endsWith('/webhook')) return { url: 'http://127.0.0.1:9999/hook' };
  if (route.path.endsWith('/certificate')) return { p12Base64: 'AAAA', password: 'x' };
  if (route.path.endsWith('/roundtrip')) return { note: 'x' };
  if (route.path.endsWith('/manifest')) return { code: '1001', actor: 'ana' };
  if (route.path.endsWith('/mailbox'))
    return {
      host: 'imap.gmail.com',
      port: 993,
      secure: true,
      username: 'u',
      password: 'p',
      whenDone: 'flag',
    };
  if (route.path.endsWith('/receiving-settings')) return { autoAcknowledge: null };
  return { actor: 'ana' };
}

describe('API keys, roles and tenant isolation on every route', () => {
  let api: TestApi;
  let worker: TestWorker;
  let stateBefore: unknown;
  let owner: Company;
  let stranger: Company;
  let document: Record<string, any>;
  let documentId: string;
  let workflowId: string;
  let ownerKeyId: string;
  const keys: Partial<Record<Role, string>> = {};
  let strangerAdmin: ApiCall;
  let routes: AnyRoute[];
  let params: Record<string, string>;

  before(async () => {
    const env = await testTemporal();
    worker = await startTestWorker();
    api = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
    });
    owner = await createCompanyWithCertificate(testDatabase());
    stranger = await createTestCompany(testDatabase());
    for (const role of ['integrator', 'operator', 'admin'] as const)
      keys[role] = await api.keyFor(owner.id, role);
    strangerAdmin = await api.clientFor(stranger.id, 'admin');
    const ownerAdmin = apiClient(api.url, keys.admin);
    // Held before submission: the document then stays put, so any later change would be this test's doing.
    const held = await ownerAdmin('PUT', `/v1/companies/${owner.id}/pac`, {
      pac: 'sandbox',
      autoSubmit: false,
    });
    assert.equal(held.status, 200);
    document = documentFor(owner, await loadExample('invoice-spec-example.json'), '0000000777');
    const created = await ownerAdmin('POST', `/v1/companies/${owner.id}/documents`, document);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    documentId = created.body.id;
    workflowId = created.body.workflowId;
    await waitForStatus(env.client.workflow.getHandle(workflowId), 'awaiting_submission', 20_000);
    stateBefore = await env.client.workflow.getHandle(workflowId).query(getDocumentState);
    ownerKeyId = (await ownerAdmin('GET', `/v1/companies/${owner.id}/keys`)).body.items[0].id;
    routes = apiRoutes(api.deps).filter((r) => r.access !== 'public');
    // A supplier's document of the owner's (recorded only: no workflow needs to run for these tests).
    const { row: received } = await recordReceived(testDatabase(), {
      companyId: owner.id,
      identity: {
        cufe: 'FE0120000155700001-2-2021-4300002026120700000000010010126653232301',
        environment: '2',
        docType: '01',
        supplierRuc: '155700001-2-2021',
        supplierName: 'PROVEEDOR',
        receiverRuc: owner.ruc,
        number: '0000000001',
        pointOfSale: '001',
        issuedAt: '2026-12-07T09:00:00-05:00',
        total: '1.07',
        itbms: '0.07',
      },
      xml: '<rFE/>',
      source: 'api',
      workflowId: `received:${owner.id}:test`,
    });
    params = { companyId: owner.id, documentId, keyId: ownerKeyId, ruc: owner.ruc, receivedId: received.id };
  });
  after(async () => {
    await api.close();
    await worker.stop();
    await closeTestStack();
  });

  it('answers 401 without a key, with a malformed, unknown, revoked or expired one: on every route', async () => {
    const revoked = await api.deps.keys.create({ companyId: owner.id, role: 'admin', name: 'to revoke' });
    assert.ok(await api.deps.keys.revoke(owner.id, revoked.record.id));
    const expired = generateApiKey();
    await insertApiKey(testDatabase(), {
      companyId: owner.id,
      prefix: expired.prefix,
      hash: expired.hash,
      role: 'admin',
      name: 'expired',
      expiresAt: new Date(Date.now() - 1000),
    });
    const unknown = generateApiKey().key;
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['no key', {}, /Authorization: Bearer/],
      ['malformed', { authorization: 'Bearer not-a-key' }, /not valid/],
      ['basic auth', { authorization: 'Basic YWRtaW46YWRtaW4=' }, /Authorization: Bearer/],
      ['unknown', { authorization: `Bearer ${unknown}` }, /not valid/],
      ['tampered', { authorization: `Bearer ${keys.admin!.slice(0, -2)}xx` }, /not valid/],
      ['revoked', { authorization: `Bearer ${revoked.key}` }, /revoked/],
      ['expired', { authorization: `Bearer ${expired.key}` }, /expired/],
    ];
    for (const route of routes) {
      for (const [name, headers, detail] of cases) {
        const r = await apiClient(api.url)(
          route.method.toUpperCase(),
          concretePath(route, params),
          validBody(route, document),
          headers,
        );
        assert.equal(r.status, 401, `${name} on ${route.method} ${route.path}`);
        ProblemBody.parse(r.body);
        assert.match(r.body.detail, detail);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="fepa"');
      }
    }
  });

  it('answers 403 naming the role to every key below the role a route needs', async () => {
    let checked = 0;
    for (const route of routes) {
      for (const role of rolesBelow(route.access as Role)) {
        const r = await apiClient(api.url, keys[role])(
          route.method.toUpperCase(),
          concretePath(route, params),
          validBody(route, document),
        );
        assert.equal(r.status, 403, `${role} on ${route.method} ${route.path}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.requiredRole, route.access);
        checked++;
      }
    }
    assert.ok(checked >= 20, `${checked} route × role pairs`);
  });

  it("answers 404 to another company's key on every route of the company, as for a company that does not exist", async () => {
    for (const route of routes.filter((r) => r.path.includes(':companyId'))) {
      const path = concretePath(route, params);
      const r = await strangerAdmin(route.method.toUpperCase(), path, validBody(route, document));
      assert.equal(r.status, 404, `${route.method} ${path}: ${JSON.stringify(r.body)}`);
      const nobody = await strangerAdmin(
        route.method.toUpperCase(),
        concretePath(route, { ...params, companyId: randomUUID() }),
        validBody(route, document),
      );
      assert.deepEqual(
        { ...r.body, detail: '' },
        { ...nobody.body, detail: '' },
        'the same answer as for a company that does not exist',
      );
    }
  });

  it("does not find the company's documents and keys under the stranger's own company either", async () => {
    const own = { ...params, companyId: stranger.id };
    for (const route of routes.filter((r) => /:(documentId|keyId|receivedId)\b/.test(r.path))) {
      const r = await strangerAdmin(
        route.method.toUpperCase(),
        concretePath(route, own),
        validBody(route, document),
      );
      assert.equal(r.status, 404, `${route.method} ${route.path}: ${JSON.stringify(r.body)}`);
    }
    const listed = await strangerAdmin('GET', `/v1/companies/${stranger.id}/documents`);
    assert.deepEqual(listed.body.items, []);
  });

  it('left the owner’s document, workflow and keys untouched', async () => {
    const env = await testTemporal();
    const state = await env.client.workflow.getHandle(workflowId).query(getDocumentState);
    assert.equal(state.status, 'awaiting_submission');
    assert.deepEqual(state, stateBefore, 'no signal, update or action reached the workflow');
    const [row] = await testDatabase()<Array<{ status: string; company_id: string }>>`
      select status, company_id from documents where id = ${documentId}`;
    assert.deepEqual(row, { status: 'awaiting_submission', company_id: owner.id });
    const ownerKeys = await api.deps.keys.list(owner.id);
    assert.equal(ownerKeys.find((k) => k.id === ownerKeyId)?.revokedAt, null);
    const [{ n }] = (await testDatabase()`
      select count(*)::int as n from documents where company_id = ${stranger.id}`) as unknown as [
      { n: number },
    ];
    assert.equal(n, 0);
    // In Temporal too, the company is in the workflow id and in a search attribute.
    assert.ok(workflowId.startsWith(`document:${owner.id}:`));
    const description = await env.client.workflow.getHandle(workflowId).describe();
    assert.deepEqual(description.searchAttributes.CompanyId, [owner.id]);
  });

  it('lets each role do what it may: integrator reads, operator acts, admin manages keys', async () => {
    const integrator = apiClient(api.url, keys.integrator);
    const me = await integrator('GET', '/v1/me');
    assert.deepEqual(
      { role: me.body.role, company: me.body.company.id },
      { role: 'integrator', company: owner.id },
    );
    assert.equal((await integrator('GET', `/v1/companies/${owner.id}/documents/${documentId}`)).status, 200);
    const operator = apiClient(api.url, keys.operator);
    const cancelled = await operator('POST', `/v1/companies/${owner.id}/documents/${documentId}/cancel`, {
      actor: 'ana',
      reason: 'prueba de rol',
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(
      cancelled.body.state.actions.find((a: { kind: string }) => a.kind === 'cancel')?.actor,
      `ana (key ${keys.operator!.slice(5, 17)})`,
      'the history says who, and with which key',
    );
    const admin = apiClient(api.url, keys.admin);
    const created = await admin('POST', `/v1/companies/${owner.id}/keys`, {
      name: 'ERP',
      role: 'integrator',
    });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^fepa_[0-9a-f]{12}_/);
    const listed = await admin('GET', `/v1/companies/${owner.id}/keys`);
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    assert.equal(entry.prefix, created.body.key.slice(5, 17));
    assert.ok(!JSON.stringify(listed.body).includes(created.body.key), 'a listed key shows its prefix only');
    assert.ok(!('key' in entry) && !('hash' in entry));
    assert.equal((await apiClient(api.url, created.body.key)('GET', '/v1/me')).status, 200);
    assert.equal((await admin('DELETE', `/v1/companies/${owner.id}/keys/${created.body.id}`)).status, 204);
    assert.equal((await apiClient(api.url, created.body.key)('GET', '/v1/me')).status, 401);
    const [stored] = await testDatabase()<Array<{ row: string }>>`
      select to_jsonb(k)::text as row from api_keys k where id = ${created.body.id}`;
    assert.ok(!stored!.row.includes(created.body.key.slice(18)), 'stored hashed, not in plain');
  });
});
