import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { cancelUpdate, getDocumentState } from '../../common/document-messages.js';
import { CertificateService } from '../../app/services/certificate-service.js';
import { DocumentService } from '../../app/services/document-service.js';
import { SigningKeyCache } from '../../domain/signing/signing-key-cache.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import { certificateHistory } from '../../platform/storage/certificate-store.js';
import { loadSignedXml } from '../../platform/storage/document-store.js';
import type { Company } from '../../platform/storage/company-store.js';
import { createTestCompany, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { makeCertificate, makeKeyPair, makeP12 } from '../helpers/p12-factory.js';
import { startTestApi, testSecretBox, type TestApi } from '../helpers/test-api.js';
import { capturedSdkLogs, closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { waitForStatus } from '../helpers/workflow-waits.js';

const DAY = 86_400_000;
const PASSWORD = 'Sup3r-Secreta-De-Prueba!';

function certificateFor(company: Company, options: { daysLeft?: number } = {}) {
  const keys = makeKeyPair();
  const certificatePem = makeCertificate({
    keys,
    commonName: `${company.name} ${company.ruc} DV ${company.dv}`,
    notAfter: new Date(Date.now() + (options.daysLeft ?? 365) * DAY),
  });
  return {
    keys,
    certificatePem,
    p12: makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [certificatePem], password: PASSWORD }),
  };
}

const adminKeys = new Map<string, string>();

/** A call to the company's certificate endpoint with an admin key of that company. */
async function asAdmin(api: TestApi, companyId: string, init: RequestInit = {}): Promise<Response> {
  let key = adminKeys.get(companyId);
  if (!key) adminKeys.set(companyId, (key = await api.keyFor(companyId, 'admin')));
  return fetch(`${api.url}/v1/companies/${companyId}/certificate`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` },
  });
}

async function uploadJson(api: TestApi, companyId: string, p12: Buffer, password: string) {
  const res = await asAdmin(api, companyId, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ p12Base64: p12.toString('base64'), password }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, text: '' };
}

describe('certificates: upload, status, rotation, signing, secrecy', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  const apiLogs: string[] = [];

  before(async () => {
    const env = await testTemporal();
    const { pino } = await import('pino');
    const log = pino({ level: 'debug' }, { write: (line: string) => void apiLogs.push(line) });
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    api = await startTestApi({ client: env.client, sql: testDatabase(), log, taskQueue: worker.taskQueue });
  });
  after(async () => {
    await api.close();
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  it('uploads a P12 as multipart and answers with its facts and a green status', async () => {
    const company = await createTestCompany(testDatabase());
    const { p12 } = certificateFor(company);
    const form = new FormData();
    form.set('file', new Blob([p12]), 'empresa.p12');
    form.set('password', PASSWORD);
    const res = await asAdmin(api, company.id, {
      method: 'POST',
      body: form,
    });
    const body = (await res.json()) as Record<string, any>;
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.status, 'ready');
    assert.equal(body.facts.ruc, company.ruc);
    assert.deepEqual(body.warnings, []);
    assert.match(body.notAfter, /^\d{4}-\d\d-\d\dT/);
    const status = (await (await asAdmin(api, company.id)).json()) as Record<string, any>;
    assert.equal(status.status, 'ready');
  });

  it('refuses a wrong password, a file that is not a P12 and an expired certificate with a clear 422', async () => {
    const company = await createTestCompany(testDatabase());
    const { p12 } = certificateFor(company);
    const wrong = await uploadJson(api, company.id, p12, 'nope');
    assert.equal(wrong.status, 422);
    assert.match(wrong.body.type, /certificate-wrong-password$/);
    assert.equal(wrong.body.detail, 'The password does not open this certificate file.');
    const garbage = await uploadJson(api, company.id, Buffer.from('not a certificate at all'), PASSWORD);
    assert.match(garbage.body.type, /certificate-not-pkcs12$/);
    const keys = makeKeyPair();
    const expiredPem = makeCertificate({
      keys,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    });
    const expired = await uploadJson(
      api,
      company.id,
      makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [expiredPem], password: PASSWORD }),
      PASSWORD,
    );
    assert.equal(expired.status, 422);
    assert.match(expired.body.type, /certificate-expired$/);
    assert.ok(expired.body.certificate.daysLeft < 0, 'the facts say when it expired');
    assert.equal(
      (
        (await (await asAdmin(api, company.id)).json()) as {
          status: string;
        }
      ).status,
      'missing',
    );
  });

  it('warns when the certificate is for another RUC, and reports expiring ones', async () => {
    const company = await createTestCompany(testDatabase());
    const other = await createTestCompany(testDatabase());
    const foreign = await uploadJson(api, company.id, certificateFor(other).p12, PASSWORD);
    assert.equal(foreign.status, 201);
    assert.match(
      foreign.body.warnings[0],
      new RegExp(`for RUC ${other.ruc}, but the company's RUC is ${company.ruc}`),
    );
    const soon = await uploadJson(api, company.id, certificateFor(company, { daysLeft: 10 }).p12, PASSWORD);
    assert.equal(soon.body.status, 'expiring');
    const service = new CertificateService(testDatabase(), testSecretBox, 30);
    assert.equal((await service.status(company.id, new Date(Date.now() + 20 * DAY))).status, 'expired');
  });

  it('signs a document with the active certificate, then with the new one after a rotation', async () => {
    const env = await testTemporal();
    const company = await createTestCompany(testDatabase());
    const first = certificateFor(company);
    assert.equal((await uploadJson(api, company.id, first.p12, PASSWORD)).status, 201);
    const documents = new DocumentService({
      sql: testDatabase(),
      client: env.client,
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: { annulWindowMs: 1 },
    });
    const example = await loadExample('invoice-spec-example.json');

    const sign = async (number: string) => {
      const created = await documents.create(company.id, documentFor(company, example, number));
      assert.ok(created.outcome === 'created', JSON.stringify(created));
      await waitForStatus(env.client.workflow.getHandle(created.workflowId), 'authorized', 20_000);
      const state = await env.client.workflow.getHandle(created.workflowId).result();
      assert.equal(state.status, 'authorized', JSON.stringify(state));
      assert.ok(state.history.some((h: { status: string }) => h.status === 'signed'));
      const xml = await loadSignedXml(testDatabase(), created.documentId);
      const verified = verifySignedRfe(xml!);
      assert.ok(verified.ok, verified.ok ? '' : verified.reason);
      return { state, certificate: verified.certificate, workflowId: created.workflowId };
    };
    const before = await sign('0000000101');
    assert.ok(before.certificate.raw.equals(new X509Certificate(first.certificatePem).raw));

    const second = certificateFor(company);
    assert.equal((await uploadJson(api, company.id, second.p12, PASSWORD)).status, 201);
    const afterRotation = await sign('0000000102');
    assert.ok(
      afterRotation.certificate.raw.equals(new X509Certificate(second.certificatePem).raw),
      'the worker saw the rotation',
    );
    const history = await certificateHistory(testDatabase(), company.id);
    assert.deepEqual(
      history.map((c) => c.status),
      ['active', 'replaced'],
    );

    // Nothing secret anywhere: workflow history, logs, database text.
    const secrets = [
      PASSWORD,
      Buffer.from(PASSWORD).toString('hex'),
      Buffer.from(PASSWORD).toString('base64'),
      first.p12.toString('base64').slice(0, 64),
      first.p12.toString('hex').slice(0, 64),
      // The private parts of the keys (the modulus is public: it is in every signed document's certificate).
      ...[first, second].flatMap(({ keys }) => {
        const jwk = createPrivateKey(keys.privateKeyPem).export({ format: 'jwk' });
        return [
          jwk.d!.slice(0, 40),
          Buffer.from(jwk.d!, 'base64url').toString('base64').slice(0, 40),
          Buffer.from(jwk.p!, 'base64url').toString('hex').slice(0, 40),
        ];
      }),
      first.keys.privateKeyPem.split('\n')[12]!,
      // The API key that uploaded the certificates, and its secret part alone.
      adminKeys.get(company.id)!,
      adminKeys.get(company.id)!.slice('fepa_123456789abc_'.length),
    ];
    const histories = await Promise.all(
      [before.workflowId, afterRotation.workflowId].map(async (id) =>
        historyToJSON(await env.client.workflow.getHandle(id).fetchHistory()),
      ),
    );
    const tables = [
      'companies',
      'documents',
      'document_events',
      'company_certificates',
      'certificate_events',
      'api_keys',
      'idempotent_requests',
    ];
    const databaseText = (
      await Promise.all(
        tables.map((t) =>
          testDatabase().unsafe<Array<{ row: string }>>(`select to_jsonb(t)::text as row from ${t} t`),
        ),
      )
    )
      .flat()
      .map((r) => r.row)
      .join('\n');
    assert.ok(databaseText.includes(company.ruc), 'the dump does hold the data');
    assert.ok(histories.join('').includes('signDocument'), 'the history is the real one');
    for (const secret of secrets) {
      for (const [where, text] of [
        ['workflow history', histories.join('\n')],
        ['SDK logs', capturedSdkLogs.join('\n')],
        ['API logs', apiLogs.join('\n')],
        ['database', databaseText],
      ] as const) {
        assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in the ${where}`);
      }
    }
  });

  it('deletes a certificate: status missing, secrets erased, signing refused', async () => {
    const company = await createTestCompany(testDatabase());
    await uploadJson(api, company.id, certificateFor(company).p12, PASSWORD);
    const res = await asAdmin(api, company.id, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal(
      (
        (await (await asAdmin(api, company.id)).json()) as {
          status: string;
        }
      ).status,
      'missing',
    );
    const [row] = await testDatabase()<Array<{ p12_sealed: Buffer | null; status: string }>>`
      select p12_sealed, status from company_certificates where company_id = ${company.id}`;
    assert.deepEqual(row, { p12_sealed: null, status: 'deleted' });
    assert.equal((await asAdmin(api, company.id, { method: 'DELETE' })).status, 404);
  });

  it('fails the signing step of a document whose certificate expired, once, with a typed error', async () => {
    const env = await testTemporal();
    const company = await createTestCompany(testDatabase());
    await uploadJson(api, company.id, certificateFor(company, { daysLeft: 5 }).p12, PASSWORD);
    const later = await startTestWorker({
      signingKeys: new SigningKeyCache(
        new CertificateService(testDatabase(), testSecretBox, 30).keySource(),
        () => new Date(Date.now() + 10 * DAY),
      ),
    });
    try {
      const documents = new DocumentService({
        sql: testDatabase(),
        client: env.client,
        taskQueue: later.taskQueue,
        pacTaskQueuePrefix: later.pacTaskQueuePrefix,
      });
      const created = await documents.create(
        company.id,
        documentFor(company, await loadExample('credit-note.json'), '0000000201'),
      );
      assert.ok(created.outcome === 'created');
      const handle = env.client.workflow.getHandle(created.workflowId);
      const waiting = await waitForStatus(handle, 'needs_support');
      assert.equal(waiting.needsPerson?.code, 'CertificateError');
      await handle.executeUpdate(cancelUpdate, {
        args: [{ actor: 'soporte@fepa', reason: 'certificate expired; reissued as a new document' }],
      });
      const state = await handle.result();
      assert.equal(state.status, 'cancelled');
      assert.match(waiting.needsPerson?.reason ?? '', /^expired: The certificate has expired/);
      assert.deepEqual(await handle.query(getDocumentState), state);
      const history = await handle.fetchHistory();
      const signAttempts = (history.events ?? []).filter(
        (e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt !== 1,
      );
      assert.equal(signAttempts.length, 0, 'no retry of a non-retryable failure');
    } finally {
      await later.stop();
    }
  });
});
