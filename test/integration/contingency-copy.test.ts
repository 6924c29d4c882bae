import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { panamaDateTime } from '../../domain/contingency/contingency-emission.js';
import { parseCufe, readRfe } from '../../domain/dgi-document/index.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import type { Company } from '../../platform/storage/company-store.js';
import type { ApiCall } from '../helpers/api-client.js';
import { documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios, FAST_CONTINGENCY } from '../helpers/document-scenarios.js';
import type { RunningSimulator } from '../helpers/pac-simulator.js';
import { apiStatus, startApiStack, type ApiStack } from '../helpers/api-stack.js';
import { pdfText } from '../helpers/pdf-tools.js';
import type { TestApi } from '../helpers/test-api.js';
import { closeTestStack } from '../helpers/test-stack.js';
import type { TestWorker } from '../helpers/test-worker.js';
import { until } from '../helpers/workflow-waits.js';

const TIMINGS = FAST_CONTINGENCY;

type Body = Record<string, any>;

/**
 * Issue #27 §3: what the customer gets in a contingency, per PAC. Where the company's certificate is in
 * fepa, fepa signs the contingency document (even where the PAC signs in normal operation), hands over its
 * CAFE, and the PAC later receives that document once and keeps its CUFE. Where nobody can sign it, fepa
 * refuses the contingency with the reason, and a queued document has an honest provisional copy.
 */
describe('a valid copy for the customer in every contingency (Aludra, eDoc, HKA) on the real dev server', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let api: TestApi;
  let example: Body;

  let stack: ApiStack;

  before(async () => {
    stack = await startApiStack({ timings: TIMINGS });
    ({ simulator, worker, api } = stack);
    example = await loadExample('invoice-pos-6-decimals.json');
  });
  after(async () => {
    await stack.close();
    await closeTestStack();
  });

  const scenarios = () => documentScenarios(simulator, worker, example);

  const post = async (call: ApiCall, company: Company, number: string) => {
    const doc = documentFor(company, example, number);
    doc.gDGen.dFechaEm = panamaDateTime(new Date());
    const created = await call('POST', `/v1/companies/${company.id}/documents`, doc);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const self = (created.body as { links: { self: string } }).links.self;
    // The document's own links (its XML and CAFE) are in its detail.
    return { self, links: { self, xml: `${self}/xml`, cafe: `${self}/cafe` } };
  };

  const statusOf = (call: ApiCall, self: string, status: string) => apiStatus(call, self, status);

  const simulatorDocs = async (company: Company, number: string) =>
    (await (await simulator.admin(`/documents?ruc=${company.ruc}&number=${number}`)).json()) as Array<{
      submissions: number;
      cufe: string;
      status: string;
    }>;

  const contingencyPath = (company: Company) => `/v1/companies/${company.id}/contingency`;

  for (const pac of ['sandbox', 'edoc', 'hka'] as const) {
    it(`${pac}: fepa signs the contingency document, the customer gets its CAFE, and ${pac} receives it once and keeps its CUFE`, async () => {
      const { company } = scenarios();
      // The sandbox PAC (the simulator's Aludra) is every company's default.
      const c = await company(pac === 'sandbox' ? undefined : { pac });
      const admin = await api.clientFor(c.id, 'admin');
      const operator = await api.clientFor(c.id, 'operator');
      const opened = await admin('POST', contingencyPath(c), {
        environment: '2',
        actor: 'ana.soporte',
        reason: `Corte del enlace con el PAC ${pac} en la sucursal`,
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));

      const number = '0000002701';
      const doc = await post(operator, c, number);
      const issued = await statusOf(operator, doc.links.self, 'issued_in_contingency');
      // What the customer leaves with: a signed 02 document whose CAFE prints its CUFE.
      const cufe = issued.cufe as string;
      const parsed = parseCufe(cufe);
      assert.ok(parsed.ok && parsed.fields.iTpEmis === '02', `a contingency CUFE: ${cufe}`);
      const xml = (await operator('GET', doc.links.xml)).body as string;
      assert.ok(verifySignedRfe(xml).ok, "signed with the company's certificate");
      const read = readRfe(xml);
      assert.ok(read.ok && read.document.dId === cufe);
      const cafe = await operator('GET', doc.links.cafe);
      assert.equal(cafe.status, 200, JSON.stringify(cafe.body));
      assert.equal(cafe.headers.get('fepa-copy'), 'cafe');
      const text = await pdfText(cafe.bytes);
      assert.match(text, /Emitido en contingencia/);
      assert.ok(text.replace(/\s/g, '').includes(cufe), 'the CAFE prints the CUFE');
      assert.deepEqual(await simulatorDocs(c, number), [], 'nothing is sent while in contingency');

      // The contingency ends: the document is transmitted once and the PAC keeps the customer's CUFE.
      const ended = await admin('POST', `${contingencyPath(c)}/end`, {
        environment: '2',
        actor: 'ana.soporte',
      });
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      const authorized = await statusOf(operator, doc.links.self, 'authorized');
      assert.equal(authorized.cufe, cufe, "the authorized CUFE is the one on the customer's CAFE");
      const atPac = await simulatorDocs(c, number);
      assert.equal(atPac.length, 1);
      assert.equal(atPac[0]!.submissions, 1, 'transmitted exactly once');
      assert.equal(atPac[0]!.cufe, cufe, `${pac} holds the same CUFE`);
      const finalXml = (await operator('GET', doc.links.xml)).body as string;
      const final = readRfe(finalXml);
      assert.ok(final.ok && final.document.dId === cufe && verifySignedRfe(finalXml).ok);
    });
  }

  for (const pac of ['edoc', 'hka'] as const) {
    it(`${pac} without the company's certificate in fepa: the contingency is refused with the reason, and a queued document has a provisional copy until ${pac} authorizes it`, async () => {
      const { company, submissions } = scenarios();
      const c = await company({ pac, certificate: false });
      const admin = await api.clientFor(c.id, 'admin');
      const operator = await api.clientFor(c.id, 'operator');

      // By hand: refused, saying why and what to do.
      const refused = await admin('POST', contingencyPath(c), {
        environment: '2',
        actor: 'ana.soporte',
        reason: `Corte del enlace con el PAC ${pac} en la sucursal`,
      });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.match(refused.body.type, /contingency-impossible$/);
      assert.match(refused.body.detail, /no certificate of this company/);
      assert.match(refused.body.detail, /certificate/);

      // By itself: the PAC stops answering, the thresholds pass, and still no contingency opens.
      const settings = await admin('PUT', `/v1/companies/${c.id}/contingency-settings`, {
        autoOpen: true,
        afterFailures: 2,
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      await simulator.admin('/outage', { durationMs: 600_000, mode: 'reset' });
      const number = '0000002702';
      const doc = await post(operator, c, number);
      const view = await until('the PAC unanswered past the threshold', async () => {
        const v = (await operator('GET', `${contingencyPath(c)}?environment=2`)).body as Body;
        return v.reachability.consecutiveFailures >= 4 ? v : undefined;
      });
      assert.equal(view.open, false, 'no contingency: its documents could not be valid');

      // The queued document: no CAFE, but an honest provisional copy (no CUFE, no QR) on request.
      const noCafe = await operator('GET', doc.links.cafe);
      assert.equal(noCafe.status, 409);
      assert.match(noCafe.body.detail, /provisional=true/);
      const copy = await operator('GET', `${doc.links.cafe}?provisional=true`);
      assert.equal(copy.status, 200, JSON.stringify(copy.body));
      assert.equal(copy.headers.get('fepa-copy'), 'provisional');
      const copyText = await pdfText(copy.bytes);
      assert.match(copyText, /COPIA PROVISIONAL SIN VALOR FISCAL/);
      assert.doesNotMatch(copyText, /FE01\d{10}/, 'no CUFE on a provisional copy');
      assert.doesNotMatch(copyText, /Emitido en contingencia/);

      // The PAC answers again: the document is authorized once, with the PAC's CUFE; its CAFE is the real one.
      await simulator.admin('/outage', undefined, 'DELETE');
      const authorized = await statusOf(operator, doc.links.self, 'authorized');
      assert.equal(await submissions(c, number), 1);
      const cafe = await operator('GET', `${doc.links.cafe}?provisional=true`);
      assert.equal(cafe.headers.get('fepa-copy'), 'cafe', 'once signed, the real CAFE');
      assert.ok((await pdfText(cafe.bytes)).replace(/\s/g, '').includes(authorized.cufe as string));
    });
  }
});
