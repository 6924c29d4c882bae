import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import type { Company } from '../../platform/storage/company-store.js';
import { createCompanyWithCertificate, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { FAST } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { until } from '../helpers/workflow-waits.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const exec = promisify(execFile);

/**
 * `fepa doc …` as support runs it, against the real API, worker, dev server and simulator (issue #24 §4), and
 * the Temporal UI's live details of a document (what the UI reads: the workflow's metadata query).
 */
describe('fepa doc: support from the terminal', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let api: TestApi;
  let company: Company;
  let operatorKey: string;
  let example: Record<string, any>;
  let dir: string;

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    api = await startTestApi({
      client: (await testTemporal()).client,
      sql: testDatabase(),
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: { ...FAST, annulWindowMs: 600_000 },
    });
    company = await createCompanyWithCertificate(testDatabase());
    operatorKey = await api.keyFor(company.id, 'operator');
    example = await loadExample('invoice-spec-example.json');
    dir = await mkdtemp(join(tmpdir(), 'fepa-doc-cli-'));
  });
  after(async () => {
    await api.close();
    await worker.stop();
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
    await closeTestStack();
  });

  async function fepa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec(join(PROJECT_ROOT, 'bin', 'fepa.js'), ['doc', ...args], {
        cwd: PROJECT_ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          FEPA_API_URL: api.url,
          FEPA_API_KEY: operatorKey,
        },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  async function issue(number: string, script?: string[]): Promise<string> {
    if (script) await simulator.admin('/rules', { match: { ruc: company.ruc, number }, script });
    const call = await api.clientFor(company.id, 'integrator');
    const posted = await call(
      'POST',
      `/v1/companies/${company.id}/documents`,
      documentFor(company, example, number),
    );
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    return posted.body.id as string;
  }

  const statusOf = async (ref: string) =>
    (JSON.parse((await fepa('show', ref, '--json')).stdout) as { status: string }).status;
  const reaches = (ref: string, status: string) =>
    until(`${ref} ${status}`, async () => ((await statusOf(ref)) === status ? true : undefined), 60_000);

  it('list and show (by id, number and CUFE): status, CUFE, protocol, what to do next, history', async () => {
    const id = await issue('0000000801');
    await reaches(id, 'authorized');
    const listed = await fepa('list', '--status', 'authorized');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${id}\\s+authorized`));
    const shown = await fepa('show', '801');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^status\s+authorized$/m);
    assert.match(shown.stdout, /^CUFE\s+FE01\S{62}$/m);
    assert.match(shown.stdout, /^protocol\s+\d+/m);
    assert.match(shown.stdout, /^next\s+nothing: authorized/m);
    assert.match(shown.stdout, /^history$/m);
    const cufe = /^CUFE\s+(\S+)$/m.exec(shown.stdout)![1]!;
    assert.match((await fepa('show', cufe)).stdout, new RegExp(`^document\\s+${id}$`, 'm'));
    const xml = await fepa('xml', id);
    assert.match(xml.stdout, /^<\?xml[\s\S]*<rFE[\s\S]*<\/rFE>/);
    const cafe = join(dir, 'cafe.pdf');
    assert.equal((await fepa('cafe', id, '--out', cafe)).code, 0);
  });

  it('resubmit of an authorized document is refused with the reason; annul goes through', async () => {
    const id = await issue('0000000802');
    await reaches(id, 'authorized');
    const refused = await fepa('resubmit', id, '--reason', 'por si acaso');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /409/);
    assert.match(refused.stderr, /resubmit/i);
    const annulled = await fepa('annul', id, '--reason', 'La operación comercial no se realizó');
    assert.equal(annulled.code, 0, annulled.stderr);
    await reaches(id, 'annulled');
  });

  it('a rejected document: corrected from a file with the same number (authorized), another cancelled', async () => {
    const rejected = await issue('0000000803', ['reject:1601']);
    await reaches(rejected, 'rejected');
    const shown = await fepa('show', rejected);
    assert.match(shown.stdout, /^next\s+correct the document/m);
    const fixed = join(dir, 'fixed.json');
    await writeFile(fixed, JSON.stringify(documentFor(company, example, '0000000803')));
    const corrected = await fepa(
      'correct',
      rejected,
      '--file',
      fixed,
      '--reason',
      'RUC del receptor corregido',
    );
    assert.equal(corrected.code, 0, corrected.stderr);
    await reaches(rejected, 'authorized');

    const other = await issue('0000000804', ['reject:1601']);
    await reaches(other, 'rejected');
    const cancelled = await fepa('cancel', other, '--reason', 'venta anulada en caja');
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(await statusOf(other), 'cancelled');
  });

  it('a document without dFechaEm: fepa stamps the time it accepted it, and a repeat is the same document', async () => {
    const call = await api.clientFor(company.id, 'integrator');
    const document = documentFor(company, example, '0000000806');
    delete document.gDGen.dFechaEm;
    const before = Date.now();
    const posted = await call('POST', `/v1/companies/${company.id}/documents`, document);
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const again = await call('POST', `/v1/companies/${company.id}/documents`, document);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, posted.body.id);
    await reaches(posted.body.id as string, 'authorized');
    const xml = (await fepa('xml', posted.body.id as string)).stdout;
    const stamped = /<dFechaEm>([^<]+)<\/dFechaEm>/.exec(xml)?.[1];
    assert.match(stamped ?? '', /-05:00$/);
    assert.ok(Math.abs(Date.parse(stamped!) - before) < 120_000, `${stamped} is when it was accepted`);
  });

  it("the ERP's own references: returned by the API, fepa doc and webhooks, unique per company, searchable", async () => {
    const call = await api.clientFor(company.id, 'integrator');
    const hooks = await startWebhookReceiver();
    after(() => hooks.close()); // also when an assertion fails: an open server would keep the file running
    const admin = await api.clientFor(company.id, 'admin');
    assert.equal((await admin('PUT', `/v1/companies/${company.id}/webhook`, { url: hooks.url })).status, 200);
    const erp = {
      uniqueCode: 'ERP-2026-000123',
      documentCode: 'FAC-123',
      user: 'cajero3',
      responsibleEmail: 'contabilidad@empresa-ejemplo.com',
      integration: 'SAP B1',
      free: ['sucursal centro', 'caja 3'],
    };
    const posted = await call('POST', `/v1/companies/${company.id}/documents`, {
      ...documentFor(company, example, '0000000807'),
      erp,
    });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const id = posted.body.id as string;
    await reaches(id, 'authorized');
    const detail = await call('GET', `/v1/companies/${company.id}/documents/${id}`);
    assert.deepEqual(detail.body.erp, erp);
    const listed = await call('GET', `/v1/companies/${company.id}/documents?erp=${erp.uniqueCode}`);
    assert.deepEqual(
      listed.body.items.map((i: { id: string }) => i.id),
      [id],
    );
    const shown = await fepa('show', erp.uniqueCode);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^document\\s+${id}$`, 'm'));
    assert.match(shown.stdout, /^ERP\s+code ERP-2026-000123 · document FAC-123 · user cajero3/m);
    assert.doesNotMatch((await fepa('xml', id)).stdout, /ERP-2026-000123/, 'outside the signed XML');

    // Another document with the same code: 409 naming the field; the same request again: the same document.
    const clash = await call('POST', `/v1/companies/${company.id}/documents`, {
      ...documentFor(company, example, '0000000808'),
      erp,
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.issues[0].path, 'erp.uniqueCode');
    const repeat = await call('POST', `/v1/companies/${company.id}/documents`, {
      ...documentFor(company, example, '0000000807'),
      erp,
    });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.id, id);

    // Bad references are refused with their paths, together with the document's own issues.
    const bad = await call('POST', `/v1/companies/${company.id}/documents`, {
      ...documentFor(company, example, '0000000809'),
      erp: {
        uniqueCode: 'con espacios',
        responsibleEmail: 'no-es-correo',
        free: Array(11).fill('x'),
        extra: 1,
      },
    });
    assert.equal(bad.status, 400);
    const paths = bad.body.issues.map((i: { path: string }) => i.path).sort();
    for (const path of ['erp', 'erp.free', 'erp.responsibleEmail', 'erp.uniqueCode'])
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);

    // Support finds it in the Temporal UI by its ERP code.
    const { client } = await testTemporal();
    const found = await until('the search attribute is visible', async () => {
      const ids: string[] = [];
      for await (const w of client.workflow.list({ query: `ErpCode = '${erp.uniqueCode}'` }))
        ids.push(w.workflowId);
      return ids.length ? ids : undefined;
    });
    assert.deepEqual(found, [detail.body.workflowId]);

    const event = await until('the authorized webhook', () =>
      (hooks.bodies as Array<{ documentId?: string; status?: string; erp?: unknown }>).find(
        (e) => e.documentId === id && e.status === 'authorized',
      ),
    );
    assert.deepEqual(event.erp, erp);
  });

  it("the Temporal UI's current details follow the document: status, CUFE, the PAC's answer, the next step", async () => {
    const id = await issue('0000000805', ['reject:1601']);
    await reaches(id, 'rejected');
    const { client } = await testTemporal();
    const detail = (await api.clientFor(company.id))('GET', `/v1/companies/${company.id}/documents/${id}`);
    const workflowId = (await detail).body.workflowId as string;
    const metadata = await client.workflow
      .getHandle(workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    const details = metadata.currentDetails ?? '';
    assert.match(details, /\*\*rejected\*\*/);
    assert.match(details, /CUFE `FE01/);
    assert.match(details, /PAC: rejected-correctable/);
    assert.match(details, /Next: correct the document/);
  });
});
