import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import type { Company } from '../../platform/storage/company-store.js';
import { createCompanyWithCertificate, createTestCompany, documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { decodeQrCodes, pdfPageSizesMm, pdfText } from '../helpers/pdf-tools.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import type { ApiCall } from '../helpers/api-client.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';

describe('the documents HTTP API', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let api: TestApi;
  let company: Company;
  let example: Record<string, any>;

  let call: ApiCall;
  const until = async (path: string, status: string) => {
    for (let i = 0; i < 200; i++) {
      const r = await call('GET', path);
      if (r.body.status === status) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`${path} never reached ${status}`);
  };

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    const env = await testTemporal();
    api = await startTestApi({
      client: env.client,
      sql: testDatabase(),
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: { pollInitialMs: 50, pollMaxMs: 200, annulWindowMs: 30_000 },
    });
    company = await createCompanyWithCertificate(testDatabase());
    call = await api.clientFor(company.id, 'operator');
    example = await loadExample('invoice-spec-example.json');
  });
  after(async () => {
    await api.close();
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  it('creates a document with one request, answers 202 with links, and it becomes authorized', async () => {
    const created = await call(
      'POST',
      `/v1/companies/${company.id}/documents`,
      documentFor(company, example, '0000000501'),
    );
    assert.equal(created.status, 202, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), created.body.links.self);
    const doc = await until(created.body.links.self, 'authorized');
    assert.equal(doc.number, '0000000501');
    assert.match(doc.cufe, /^FE01/);
    assert.equal(doc.state.status, 'authorized');
    const xml = await call('GET', created.body.links.xml);
    assert.equal(xml.status, 200);
    assert.ok(verifySignedRfe(xml.body as string).ok);
    assert.ok((xml.body as string).includes(`<dId>${doc.cufe}</dId>`), 'the answer names the CUFE issued');
    const again = await call(
      'POST',
      `/v1/companies/${company.id}/documents`,
      documentFor(company, example, '0000000501'),
    );
    assert.equal(again.status, 200, 'the same request again returns the existing document');
    assert.equal(again.body.id, created.body.id);
  });

  it("the seller's rounding: the company's convention, a document's own override, and a clear 400", async () => {
    const c = await createCompanyWithCertificate(testDatabase());
    const admin = await api.clientFor(c.id, 'admin');
    const lines = await loadExample('invoice-line-rounding.json');
    const set = await admin('PUT', `/v1/companies/${c.id}/document-settings`, { lineDecimals: 2 });
    assert.deepEqual([set.status, set.body], [200, { lineDecimals: 2 }]);
    const amounts = async (number: string, extra: Record<string, unknown> = {}) => {
      const created = await admin('POST', `/v1/companies/${c.id}/documents`, {
        ...documentFor(c, lines, number),
        ...extra,
      });
      assert.equal(created.status, 202, JSON.stringify(created.body));
      for (
        let i = 0;
        i < 200 && (await admin('GET', created.body.links.self)).body.status !== 'authorized';
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      const xml = String((await admin('GET', created.body.links.xml)).body);
      return [
        [...xml.matchAll(/<dValITBMS>([^<]*)</g)].map((m) => m[1]).join(' '),
        /<dTotITBMS>([^<]*)</.exec(xml)?.[1],
        /<dVTot>([^<]*)</.exec(xml)?.[1],
      ];
    };
    // The company rounds per line, as its POS prints; a document may still ask for 6 decimals.
    assert.deepEqual(await amounts('0000000601'), ['0.86 0.29 0.29', '1.44', '21.92']);
    assert.deepEqual(await amounts('0000000602', { lineDecimals: 6 }), [
      '0.8575 0.2877 0.2884',
      '1.43',
      '21.91',
    ]);
    const bad = await admin('POST', `/v1/companies/${c.id}/documents`, {
      ...documentFor(c, lines, '0000000603'),
      lineDecimals: 3,
    });
    assert.equal(bad.status, 400);
    assert.deepEqual([bad.body.issues[0].path, bad.body.issues[0].rule], ['lineDecimals', 'one-of']);
    assert.equal(
      (await admin('PUT', `/v1/companies/${c.id}/document-settings`, { lineDecimals: 4 })).status,
      400,
    );
  });

  it('authorizes a document shaped like a production POS invoice (6-decimal lines, totals given, branch PPAL)', async () => {
    const pos = documentFor(company, await loadExample('invoice-pos-6-decimals.json'), '0000000521');
    const created = await call('POST', `/v1/companies/${company.id}/documents`, pos);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const doc = await until(created.body.links.self, 'authorized');
    const xml = (await call('GET', created.body.links.xml)).body as string;
    assert.ok(xml.includes(`<dId>${doc.cufe}</dId>`));
    assert.match(doc.cufe, /^FE01.{24}PPAL/, 'the branch with letters is in the CUFE');
    assert.match(xml, /<dValITBMS>0\.087664<\/dValITBMS>.*<dTotITBMS>0\.18<\/dTotITBMS>/);
    assert.equal(doc.total, '2.68');
  });

  it('prints the CAFE of an authorized document: linked once signed, QR and protocol read back from the PDF', async () => {
    const created = await call(
      'POST',
      `/v1/companies/${company.id}/documents`,
      documentFor(company, await loadExample('invoice-pos-6-decimals.json'), '0000000531'),
    );
    const doc = await until(created.body.links.self, 'authorized');
    const detail = (await call('GET', created.body.links.self)).body;
    assert.equal(detail.links.cafe, `${created.body.links.self}/cafe`);
    const xml = (await call('GET', created.body.links.xml)).body as string;
    const qr = /<dQRCode><!\[CDATA\[(.*?)\]\]>/.exec(xml)![1];
    for (const format of ['roll', 'letter'] as const) {
      const cafe = await call('GET', `${detail.links.cafe}?format=${format}`);
      assert.equal(cafe.status, 200);
      assert.equal(cafe.headers.get('content-type'), 'application/pdf');
      assert.match(cafe.headers.get('content-disposition') ?? '', /CAFE-PPAL-002-0000000531\.pdf/);
      assert.deepEqual(await decodeQrCodes(cafe.bytes), [qr]);
      const text = await pdfText(cafe.bytes);
      assert.ok(text.includes(doc.protocol), `${format}: protocol ${doc.protocol} printed`);
      assert.ok(text.replace(/\s+/g, '').includes(doc.cufe));
    }
    // Without a format the document's iFormCAFE decides (1: letter).
    const [page] = await pdfPageSizesMm((await call('GET', detail.links.cafe)).bytes);
    assert.ok(Math.abs(page!.width - 215.9) < 0.1);
    const bad = await call('GET', `${detail.links.cafe}?format=a4`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /format/);
    const missing = await call('GET', `/v1/companies/${company.id}/documents/${crypto.randomUUID()}/cafe`);
    assert.equal(missing.status, 404);
  });

  it('answers a bad document with 400 and every issue', async () => {
    const bad = documentFor(company, example, '0000000502');
    bad.gItem[0].gPrecios.dPrUnit = 'cincuenta';
    bad.gDGen.gEmis.dTfnEm = ['123'];
    const r = await call('POST', `/v1/companies/${company.id}/documents`, bad);
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
    assert.deepEqual(r.body.issues.map((i: { path: string }) => i.path).sort(), [
      'gDGen.gEmis.dTfnEm[0]',
      'gItem[0].gPrecios.dPrUnit',
    ]);
    const rows =
      await testDatabase()`select 1 from documents where company_id = ${company.id} and number = '0000000502'`;
    assert.equal(rows.length, 0, 'nothing written');
  });

  it('refuses a different document under a used number with 409', async () => {
    const changed = documentFor(company, example, '0000000501');
    changed.gItem[0].dDescProd = 'Otra cosa distinta';
    assert.equal((await call('POST', `/v1/companies/${company.id}/documents`, changed)).status, 409);
  });

  it('lists with filters and paging', async () => {
    for (const n of ['0000000511', '0000000512', '0000000513']) {
      assert.equal(
        (await call('POST', `/v1/companies/${company.id}/documents`, documentFor(company, example, n)))
          .status,
        202,
      );
    }
    const page1 = await call('GET', `/v1/companies/${company.id}/documents?limit=2`);
    assert.equal(page1.body.items.length, 2);
    assert.ok(page1.body.nextCursor);
    const page2 = await call(
      'GET',
      `/v1/companies/${company.id}/documents?limit=2&cursor=${page1.body.nextCursor}`,
    );
    assert.ok(page2.body.items.length >= 1);
    assert.equal(
      new Set([...page1.body.items, ...page2.body.items].map((d: { id: string }) => d.id)).size,
      page1.body.items.length + page2.body.items.length,
    );
    const one = await call('GET', `/v1/companies/${company.id}/documents?number=512`);
    assert.deepEqual(
      one.body.items.map((d: { number: string }) => d.number),
      ['0000000512'],
    );
    assert.equal((await call('GET', `/v1/companies/${company.id}/documents?type=abc`)).status, 400);
  });

  it('annuls through the API, and refuses an action that does not apply with 409 and the reason', async () => {
    const created = await call(
      'POST',
      `/v1/companies/${company.id}/documents`,
      documentFor(company, example, '0000000520'),
    );
    await until(created.body.links.self, 'authorized');
    const refused = await call('POST', created.body.links.resubmit, { actor: 'ana' });
    assert.equal(refused.status, 409);
    assert.match(refused.body.detail, /cannot resubmit a document in status authorized/);
    assert.equal(
      (await call('POST', created.body.links.annul, { actor: 'ana', reason: 'corta' })).status,
      400,
      'reason too short is a 400',
    );
    const annulled = await call('POST', created.body.links.annul, {
      actor: 'ana',
      reason: 'La operacion no se realizo',
    });
    assert.equal(annulled.status, 200, JSON.stringify(annulled.body));
    await until(created.body.links.self, 'annulled');
  });

  it('sets a company’s PAC and never returns its credentials', async () => {
    const c = await createTestCompany(testDatabase());
    const admin = await api.clientFor(c.id, 'admin');
    const put = await admin('PUT', `/v1/companies/${c.id}/pac`, {
      pac: 'edoc',
      baseUrl: simulator.edocUrl,
      autoSubmit: false,
      edoc: { user: 'u-1', password: 'very-secret-edoc-password' },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.pac, 'edoc');
    assert.equal(put.body.hasCredentials, true);
    const get = await admin('GET', `/v1/companies/${c.id}/pac`);
    assert.ok(!JSON.stringify(get.body).includes('very-secret'));
    assert.equal(
      (await admin('PUT', `/v1/companies/${c.id}/pac`, { pac: 'aludra' })).status,
      400,
      'Aludra needs its credentials',
    );
    const [row] =
      await testDatabase()`select credentials_sealed::text as t from company_pac_settings where company_id = ${c.id}`;
    assert.ok(
      !String(row!.t).includes(Buffer.from('very-secret-edoc-password').toString('hex')),
      'sealed, not plain',
    );
  });
});

describe('fiscal numbers allocated by fepa', () => {
  after(closeTestStack);
  it('gives documents without dNroDF consecutive numbers per series, without gaps, also under concurrency', async () => {
    const env = await testTemporal();
    const company = await createTestCompany(testDatabase());
    const { DocumentService } = await import('../../app/services/document-service.js');
    const service = new DocumentService({
      sql: testDatabase(),
      client: env.client,
      taskQueue: 'no-worker-needed',
    });
    const base = documentFor(company, await loadExample('invoice-spec-example.json'), '1');
    delete base.gDGen.dNroDF;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => service.create(company.id, structuredClone(base))),
    );
    const numbers = await testDatabase()<
      Array<{ number: string }>
    >`select number from documents where company_id = ${company.id} order by number`;
    assert.ok(results.every((r) => r.outcome === 'created'));
    assert.deepEqual(
      numbers.map((n) => Number(n.number)),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    const otherPoint = structuredClone(base);
    otherPoint.gDGen.dPtoFacDF = '002';
    await service.create(company.id, otherPoint);
    const [second] = await testDatabase()<
      Array<{ number: string }>
    >`select number from documents where company_id = ${company.id} and point_of_sale = '002'`;
    assert.equal(second!.number, '0000000001', 'each point of sale has its own series');
    const [stored] = await testDatabase()<
      Array<{ request: { gDGen: { dNroDF: string } } }>
    >`select request from documents where company_id = ${company.id} and number = '0000000003'`;
    assert.equal(
      stored!.request.gDGen.dNroDF,
      '0000000003',
      'the allocated number is in the stored request, reused by every rebuild',
    );
  });
});
