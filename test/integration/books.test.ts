import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ReceivedService } from '../../app/services/received-service.js';
import type { DocumentTimings } from '../../common/document-messages.js';
import type { ReceivedTimings } from '../../common/received-messages.js';
import { panamaDateTime } from '../../domain/contingency/contingency-emission.js';
import { readRfe } from '../../domain/dgi-document/index.js';
import { zipEntries } from '../../domain/zip/zip-entries.js';
import { ZipWriter } from '../../domain/zip/zip-writer.js';
import { readFile, writeFile } from 'node:fs/promises';
import { tempDir } from '../helpers/temp-dir.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import type { Company } from '../../platform/storage/company-store.js';
import type { ApiCall } from '../helpers/api-client.js';
import { documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios } from '../helpers/document-scenarios.js';
import type { RunningSimulator } from '../helpers/pac-simulator.js';
import { apiStatus, startApiStack, type ApiStack } from '../helpers/api-stack.js';
import type { TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import type { TestWorker } from '../helpers/test-worker.js';

const TIMINGS: Partial<DocumentTimings> = { pollInitialMs: 50, pollMaxMs: 200, pollJitter: 0 };
const RECEIVED: Partial<ReceivedTimings> = { firstRetryMs: 200, maxRetryMs: 1_000 };
type Body = Record<string, any>;

const cents = (text: string) => BigInt(text.replace('.', ''));

/** The CLI as a person runs it, with the company's key: exit code and everything it printed. */
async function fepa(key: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(join(PROJECT_ROOT, 'bin', 'fepa.js'), args, {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FEPA_API_URL: apiUrl, FEPA_API_KEY: key },
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: `${e.stdout}${e.stderr}` };
  }
}
let apiUrl = '';

/**
 * Issue #28 on real parts: documents issued through the API and authorized by the simulated PAC, one of
 * them annulled, a supplier's document received and confirmed; then the month's books through the API
 * (JSON and CSV) and the CLI, checked against the documents' own totals (gTot/dTotITBMS, dTotNeto).
 */
describe('the ITBMS books of a month through the API and the CLI (dev server, PostgreSQL, simulator)', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let api: TestApi;

  let stack: ApiStack;

  before(async () => {
    const testClient = (await testTemporal()).client;
    stack = await startApiStack({
      timings: TIMINGS,
      api: (w) => ({
        received: new ReceivedService({
          sql: testDatabase(),
          client: testClient,
          taskQueue: w.taskQueue,
          pacTaskQueuePrefix: w.pacTaskQueuePrefix,
          timings: RECEIVED,
        }),
      }),
    });
    ({ simulator, worker, api } = stack);
    apiUrl = api.url;
  });
  after(async () => {
    const env = await testTemporal();
    for await (const w of env.client.workflow.list({
      query: `ExecutionStatus = 'Running' AND TaskQueue = '${worker.taskQueue}'`,
    }))
      await env.client.workflow
        .getHandle(w.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    await stack.close();
    await closeTestStack();
  });

  const statusOf = (call: ApiCall, self: string, status: string) => apiStatus(call, self, status);

  async function issue(call: ApiCall, c: Company, example: string, number: string) {
    const doc = documentFor(c, await loadExample(example), number);
    doc.gDGen.dFechaEm = panamaDateTime(new Date());
    const created = await call('POST', `/v1/companies/${c.id}/documents`, doc);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const self = (created.body as Body).links.self as string;
    await statusOf(call, self, 'authorized');
    const xml = (await call('GET', `${self}/xml`)).body as string;
    const read = readRfe(xml);
    assert.ok(read.ok);
    return { self, docType: read.document.gDGen.iDoc, gTot: read.document.gTot };
  }

  it('sales: invoices and a debit note add, a credit note subtracts, an annulled invoice is left out; purchases: the confirmed supplier document; JSON, CSV and CLI agree', async () => {
    const { company } = documentScenarios(simulator, worker);
    const c = await company();
    const call = await api.clientFor(c.id, 'operator');
    const period = panamaDateTime(new Date()).slice(0, 7);

    const counted = [
      await issue(call, c, 'invoice-spec-example.json', '0000002801'),
      await issue(call, c, 'invoice-several-rates-and-discounts.json', '0000002802'),
      await issue(call, c, 'credit-note.json', '0000002803'),
      await issue(call, c, 'debit-note-spec-example.json', '0000002804'),
    ];
    const annulled = await issue(call, c, 'invoice-spec-example.json', '0000002805');
    const annul = await call('POST', `${annulled.self}/annul`, {
      actor: 'ana.contabilidad',
      reason: 'Factura emitida por error al cliente equivocado',
    });
    assert.ok([200, 202].includes(annul.status), JSON.stringify(annul.body));
    await statusOf(call, annulled.self, 'annulled');

    // A supplier's document, received and confirmed with the DGI: the purchase book's one entry.
    const supplier = await simulator.admin('/supplier-documents', {
      receiver: { ruc: c.ruc, dv: c.dv, name: c.name },
      environment: '2',
    });
    const supplied = (await supplier.json()) as { cufe: string; xml: string };
    const key = await api.keyFor(c.id, 'operator');
    const posted = await fetch(`${api.url}/v1/companies/${c.id}/received`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' },
      body: supplied.xml,
    });
    const receivedId = ((await posted.json()) as Body).id as string;
    await statusOf(call, `/v1/companies/${c.id}/received/${receivedId}`, 'accepted');

    // The sales book: what the documents themselves say, signed by type.
    const sales = await call('GET', `/v1/companies/${c.id}/books/sales?period=${period}&environment=2`);
    assert.equal(sales.status, 200, JSON.stringify(sales.body));
    const book = sales.body as Body;
    const sign = (t: string) => (t === '04' || t === '06' ? -1n : 1n);
    const expectedTax = counted.reduce((a, d) => a + sign(d.docType) * cents(d.gTot.dTotITBMS!), 0n);
    assert.equal(book.totals.documents, 4);
    assert.equal(cents(book.totals.tax), expectedTax, JSON.stringify(book.totals));
    assert.deepEqual(book.excluded, { annulled: 1 });
    assert.ok(
      (book.rows as Body[]).some((r) => r.docType === '04' && cents(r.tax) < 0n),
      'the credit note subtracts',
    );
    assert.ok(new Set((book.rows as Body[]).map((r) => r.rate)).size >= 2, 'rows by rate');

    // CSV, asked both ways, and the CLI: the same rows.
    const csv = await call(
      'GET',
      `/v1/companies/${c.id}/books/sales?period=${period}&environment=2&format=csv`,
    );
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = (csv.body as string).trimEnd().split('\r\n');
    assert.equal(lines[0], 'doc_type,branch,pointOfSale,itbms_rate,documents,base,itbms');
    assert.equal(lines.length, (book.rows as Body[]).length + 1);
    const byAccept = await call(
      'GET',
      `/v1/companies/${c.id}/books/sales?period=${period}&environment=2`,
      undefined,
      {
        accept: 'text/csv',
      },
    );
    assert.equal(byAccept.body, csv.body);
    const { stdout } = await promisify(execFile)(
      join(PROJECT_ROOT, 'bin', 'fepa.js'),
      ['books', 'sales', '--period', period, '--environment', '2', '--csv', '--company', c.id],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, FEPA_API_URL: api.url, FEPA_API_KEY: key },
      },
    );
    assert.equal(stdout.trimEnd(), (csv.body as string).trimEnd());
    const table = await promisify(execFile)(
      join(PROJECT_ROOT, 'bin', 'fepa.js'),
      ['books', 'sales', '--period', period, '--environment', '2', '--company', c.id],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, FEPA_API_URL: api.url, FEPA_API_KEY: key },
      },
    );
    assert.match(
      table.stdout,
      new RegExp(
        `total: base ${book.totals.base.replace('.', '\\.')}, ITBMS ${book.totals.tax.replace('.', '\\.')}`,
      ),
    );
    assert.match(table.stdout, /left out: 1 annulled/);

    // The purchase book: the supplier's confirmed document, by supplier.
    const purchases = (
      await call('GET', `/v1/companies/${c.id}/books/purchases?period=${period}&environment=2`)
    ).body as Body;
    const suppliedDoc = readRfe(supplied.xml);
    assert.ok(suppliedDoc.ok);
    assert.equal(purchases.totals.documents, 1);
    assert.equal(cents(purchases.totals.tax), cents(suppliedDoc.document.gTot.dTotITBMS!));
    assert.equal(purchases.rows[0].group.supplierRuc, suppliedDoc.document.gDGen.gEmis.gRucEmi.dRuc);

    // The month's archive, exported and verified offline by the CLI; then one amount changed in one file.
    const dir = await tempDir('fepa-archive-');
    const zipFile = join(dir, 'archive.zip');
    const exported = await fepa(
      key,
      'archive',
      'export',
      '--period',
      period,
      '--environment',
      '2',
      '--out',
      zipFile,
    );
    assert.equal(exported.code, 0, exported.stdout);
    const zip = await readFile(zipFile);
    const files = new Map(
      zipEntries(zip, { wanted: () => true, maxEntries: 1_000, maxInflatedBytes: 100 * 1024 ** 2 }).map(
        (e) => [e.name, e.content],
      ),
    );
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Body;
    const issuedDocs = (manifest.documents as Body[]).filter((d) => d.kind === 'issued');
    assert.equal(issuedDocs.length, 5, 'four authorized and the annulled one');
    assert.equal(issuedDocs.filter((d) => d.status === 'annulled').length, 1);
    assert.equal((manifest.documents as Body[]).filter((d) => d.kind === 'received').length, 1);
    for (const d of issuedDocs) {
      assert.ok(files.get(d.files.cafe)?.subarray(0, 5).toString() === '%PDF-', `${d.number}: a CAFE`);
      const authorization = JSON.parse(files.get(d.files.authorization)!.toString()) as Body;
      assert.match(authorization.protocol ?? '', /^[0-9]{10,}$/, `${d.number}: the authorization's protocol`);
    }
    const verified = await fepa(key, 'archive', 'verify', zipFile);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /6 document\(s\).*6 signature\(s\) checked/s);
    assert.match(verified.stdout, /OK: every hash, signature and CUFE checks/);

    const victim = issuedDocs[0]!.files.xml as string;
    const chunks: Buffer[] = [];
    const rewritten = new ZipWriter((chunk) => {
      chunks.push(chunk);
      return Promise.resolve();
    });
    for (const [name, content] of files)
      await rewritten.add(
        name,
        name === victim ? Buffer.from(content.toString().replace(/<dVTot>/, '<dVTot>1')) : content,
      );
    await rewritten.finish();
    const tamperedFile = join(dir, 'tampered.zip');
    await writeFile(tamperedFile, Buffer.concat(chunks));
    const caught = await fepa(key, 'archive', 'verify', tamperedFile);
    assert.equal(caught.code, 1, caught.stdout);
    assert.ok(caught.stdout.includes(`FAIL hash      ${victim}`), caught.stdout);
    assert.ok(caught.stdout.includes(`FAIL signature ${victim}`), caught.stdout);

    // Bad input names the field; another month is empty.
    const bad = await call('GET', `/v1/companies/${c.id}/books/sales?period=2026-13`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /period/);
    const empty = (await call('GET', `/v1/companies/${c.id}/books/sales?period=2001-01&environment=2`))
      .body as Body;
    assert.equal(empty.totals.documents, 0);
    assert.equal(empty.totals.tax, '0.00');
  });
});
