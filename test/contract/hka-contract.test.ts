import assert from 'node:assert/strict';
import { meaning } from '../helpers/pac-meaning.js';
import { tempDir } from '../helpers/temp-dir.js';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  computeRucDv,
  readRfe,
  validateDocument,
  type DgiDocument,
} from '../../domain/dgi-document/index.js';
import { HkaAdapter } from '../../pac/hka/hka-adapter.js';
import type { DocumentRef, Submission } from '../../pac/pac-adapter.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import { checkAgainstDgiSchema } from '../../platform/xsd-check/xmllint-schema-check.js';
import { randomJuridicalRuc } from '../helpers/companies.js';
import { dgiSchemaDir, loadExample } from '../helpers/dgi-fixtures.js';
import { pdfText } from '../helpers/pdf-tools.js';
import { documentKeyOf } from '../helpers/document-key.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';

/**
 * The Factory HKA's own cases (issue #16, done-when list), over real HTTP against the simulator's SOAP
 * service; the cases shared with Aludra and eDoc run in pac-contract.test.ts.
 */
let simulator: RunningSimulator;
let example: Record<string, any>;
let number = 5000;

interface HkaCompany {
  ruc: { ruc: string; dv: string };
  adapter: HkaAdapter;
}

/** An HKA account in the simulator (its own tokens and emitter) and the adapter that uses it. */
async function hkaCompany(account: Record<string, unknown> = {}): Promise<HkaCompany> {
  const ruc = randomJuridicalRuc();
  const id = `hka-${ruc.ruc}`;
  const emitter = {
    ...structuredClone(example.gDGen.gEmis),
    gRucEmi: { dTipoRuc: '2', dRuc: ruc.ruc, dDV: ruc.dv },
  };
  await simulator.admin('/accounts', {
    id,
    pac: 'hka',
    environment: '2',
    tokenEmpresa: `${id}-token`,
    tokenPassword: `${id}-password`,
    emitter,
    ...account,
  });
  return {
    ruc,
    adapter: new HkaAdapter({
      baseUrl: simulator.hkaUrl,
      credentials: { tokenEmpresa: `${id}-token`, tokenPassword: `${id}-password` },
    }),
  };
}

function documentOf(
  company: HkaCompany,
  base = example,
  mutate?: (d: Record<string, any>) => void,
): DgiDocument {
  const doc = structuredClone(base);
  doc.gDGen.gEmis.gRucEmi = { dTipoRuc: '2', dRuc: company.ruc.ruc, dDV: company.ruc.dv };
  doc.gDGen.dNroDF = String(++number);
  delete doc.gDGen.dSeg;
  mutate?.(doc);
  const result = validateDocument(doc);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues));
  return result.document;
}

const refOf = (doc: DgiDocument, cufe?: string): DocumentRef => ({
  key: documentKeyOf(doc),
  ...(cufe ? { cufe } : {}),
});

const submission = (doc: DgiDocument): Submission => {
  const { dId: _cufe, ...document } = doc;
  return { ref: refOf(doc), document, idempotencyKey: doc.dId };
};

const rule = (script: string[], doc: DgiDocument) =>
  simulator.admin('/rules', {
    pac: 'hka',
    match: { ruc: doc.gDGen.gEmis.gRucEmi.dRuc, number: doc.gDGen.dNroDF },
    script,
  });

async function submissionsOf(doc: DgiDocument): Promise<number> {
  const res = await simulator.admin(
    `/documents?ruc=${doc.gDGen.gEmis.gRucEmi.dRuc}&number=${doc.gDGen.dNroDF}`,
  );
  return ((await res.json()) as Array<{ submissions: number }>).reduce((n, d) => n + d.submissions, 0);
}

before(async () => {
  simulator = await startSimulator();
  example = await loadExample('invoice-spec-example.json');
});
after(async () => {
  await simulator.close();
});

describe('PAC contract: The Factory HKA (SOAP) against the simulator over HTTP', () => {
  it('HKA signs: the XML it returns verifies, is schema-valid, and carries every field fepa sent', async () => {
    const company = await hkaCompany();
    const sent = documentOf(company, await loadExample('invoice-several-rates-and-discounts.json'));
    const result = await company.adapter.submit(submission(sent));
    assert.equal(result.status, 'authorized', JSON.stringify(result.pacMessage));
    assert.ok(verifySignedRfe(result.signedXml ?? '').ok);
    const schema = await checkAgainstDgiSchema(result.signedXml!, dgiSchemaDir());
    assert.ok(schema.ok, JSON.stringify(schema));
    const signed = readRfe(result.signedXml!);
    assert.ok(signed.ok);
    const { dId: _a, gDGen: signedGen, ...signedRest } = signed.document;
    const { dId: _b, gDGen: sentGen, ...sentRest } = sent;
    assert.deepEqual(signedRest, sentRest, 'items and totals as sent');
    assert.deepEqual(
      { ...signedGen, dSeg: '' },
      { ...sentGen, dSeg: '' },
      'general data as sent (HKA draws dSeg)',
    );
  });

  it('reports a rejection with two DGI codes, each parsed from the message', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    await rule(['reject:2007+2152'], doc);
    const result = await company.adapter.submit(submission(doc));
    assert.deepEqual(
      [result.status, result.pacCode, meaning(result)],
      ['rejected-correctable', '109', 'person'],
    );
    assert.deepEqual(
      result.dgiIssues.map((i) => i.code),
      ['2007', '2152'],
    );
    assert.match(result.dgiIssues[1]!.message, /ITBMS/);
  });

  it('a repeat of an authorized number is 102 (duplicate): the status query adopts what HKA holds', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    const first = await company.adapter.submit(submission(doc));
    assert.equal(first.status, 'authorized');
    const again = await company.adapter.submit(submission(doc));
    assert.deepEqual(
      [again.status, again.pacCode, meaning(again)],
      ['duplicate', '102', 'reconcile-duplicate'],
    );
    assert.deepEqual(
      again.dgiIssues.map((i) => i.code),
      ['1513'],
    );
    const adopted = await company.adapter.queryStatus(refOf(doc));
    assert.equal(adopted.status, 'authorized');
    assert.equal(adopted.cufe, first.cufe);
    assert.ok(verifySignedRfe(adopted.signedXml ?? '').ok, 'the adopted document comes with its signed XML');
    assert.equal(await submissionsOf(doc), 2);
  });

  it('an ambiguous 201 with a CUFE is reconciled before anything else, and found authorized', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    await rule(['pac-code:201'], doc);
    const ambiguous = await company.adapter.submit(submission(doc));
    assert.deepEqual(
      [ambiguous.status, ambiguous.pacCode, meaning(ambiguous)],
      ['unknown', '201', 'reconcile-unknown'],
    );
    assert.match(ambiguous.cufe ?? '', /^FE01/);
    const found = await company.adapter.queryStatus(refOf(doc, ambiguous.cufe));
    assert.equal(found.status, 'authorized');
    assert.equal(found.cufe, ambiguous.cufe);
    assert.equal(await submissionsOf(doc), 1, 'never resent');
  });

  it('an ambiguous 201 without a CUFE is reconciled: HKA holds nothing, so it is sent again once', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    await rule(['refuse:201'], doc);
    const ambiguous = await company.adapter.submit(submission(doc));
    assert.deepEqual([ambiguous.status, ambiguous.cufe], ['unknown', undefined]);
    assert.equal((await company.adapter.queryStatus(refOf(doc))).status, 'not-found');
    assert.equal((await company.adapter.submit(submission(doc))).status, 'authorized');
    assert.equal(await submissionsOf(doc), 1);
  });

  it('300 asks for a later resend: transient', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    await rule(['refuse:300'], doc);
    const result = await company.adapter.submit(submission(doc));
    assert.deepEqual([result.status, meaning(result), result.pacCode], ['transient', 'poll', '300']);
  });

  it('no folios left: 119 goes to support, and FoliosRestantes shows the figures', async () => {
    const company = await hkaCompany({ folios: { total: 1, used: 0 } });
    const first = await company.adapter.submit(submission(documentOf(company)));
    assert.equal(first.status, 'authorized');
    const doc = documentOf(company);
    const refused = await company.adapter.submit(submission(doc));
    assert.deepEqual(
      [refused.status, refused.pacCode, meaning(refused)],
      ['error-needs-support', '119', 'person'],
    );
    assert.equal(await submissionsOf(doc), 0);
    const folios = await company.adapter.remainingFolios();
    assert.ok(folios.ok);
    assert.deepEqual([folios.folios.cycleTotal, folios.folios.cycleUsed, folios.folios.available], [1, 1, 0]);
  });

  it('annuls an authorized document; after the annulment window it is 112 (issue a credit note)', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    const submitted = await company.adapter.submit(submission(doc));
    const annulled = await company.adapter.annul(
      refOf(doc, submitted.cufe),
      'Operacion no realizada por el cliente',
    );
    assert.equal(annulled.status, 'annulled');
    assert.equal((await company.adapter.queryStatus(refOf(doc))).status, 'annulled');

    const late = await hkaCompany({ annulmentWindowHours: 0 });
    const lateDoc = documentOf(late);
    await late.adapter.submit(submission(lateDoc));
    const refused = await late.adapter.annul(refOf(lateDoc), 'Operacion no realizada por el cliente');
    assert.deepEqual([refused.status, refused.pacCode], ['rejected-correctable', '112']);
    assert.match(refused.pacMessage ?? '', /credit note/);
    assert.equal((await late.adapter.queryStatus(refOf(lateDoc))).status, 'authorized', 'still authorized');
  });

  it('a credit note on an invoice older than 180 days is 180, a rejection with that reason', async () => {
    const company = await hkaCompany();
    const issuedAt = '2024-01-10T10:00:00-05:00';
    const invoice = documentOf(company, example, (d) => {
      d.gDGen.dFechaEm = issuedAt;
    });
    const note = documentOf(company, await loadExample('credit-note.json'), (d) => {
      d.gDGen.gDFRef[0].gRucEmDFRef = { dTipoRuc: '2', dRuc: company.ruc.ruc, dDV: company.ruc.dv };
      d.gDGen.gDFRef[0].dNombEmRef = example.gDGen.gEmis.dNombEm;
      d.gDGen.gDFRef[0].dFechaDFRef = issuedAt;
      d.gDGen.gDFRef[0].gDFRefNum = { gDFRefFE: { dCUFERef: invoice.dId } };
    });
    const result = await company.adapter.submit(submission(note));
    assert.deepEqual([result.status, result.pacCode], ['rejected-correctable', '180']);
    assert.match(result.pacMessage ?? '', /180/);
  });

  it('a field HKA has no name for is never sent (nor silently dropped)', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company, example, (d) => {
      d.gItem[0].gMedicina = { dNroLote: 'LOTE-2026-01', dCtLote: '10' };
    });
    const result = await company.adapter.submit(submission(doc));
    assert.deepEqual(
      [result.status, result.notSent, result.pacCode],
      ['rejected-correctable', true, 'FEPA-HKA-FIELDS'],
    );
    assert.match(result.pacMessage ?? '', /gItem\[0\]\.gMedicina\.dNroLote/);
    assert.equal(await submissionsOf(doc), 0);
  });

  it('downloads the XML and the CAFE PDF; sends and tracks an e-mail', async () => {
    const company = await hkaCompany();
    const doc = documentOf(company);
    const submitted = await company.adapter.submit(submission(doc));
    const xml = await company.adapter.downloadXml(refOf(doc, submitted.cufe));
    assert.equal(xml.signedXml, submitted.signedXml);
    const pdf = await company.adapter.downloadPdf(refOf(doc));
    assert.ok(pdf.ok);
    assert.equal(pdf.pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(
      (await pdfText(pdf.pdf)).replace(/\s/g, '').includes(submitted.cufe!),
      'the CAFE shows the CUFE',
    );
    assert.deepEqual(await company.adapter.sendEmail(refOf(doc), 'compras@cliente.example'), { ok: true });
    const tracked = await company.adapter.trackEmail(submitted.cufe!);
    assert.ok(tracked.ok);
    assert.deepEqual(
      tracked.messages.map((m) => [m.correo, m.estado]),
      [['compras@cliente.example', 'Enviado']],
    );
    const unknown = await company.adapter.downloadXml(
      refOf({ ...doc, gDGen: { ...doc.gDGen, dNroDF: '0999999999' } }),
    );
    assert.equal(unknown.status, 'not-found');
  });

  it('looks up a RUC: the DV by the DGI algorithm, the name, and whether it is enrolled in e-invoicing', async () => {
    const company = await hkaCompany();
    const other = await hkaCompany();
    const enrolled = await company.adapter.rucLookup('2', other.ruc.ruc);
    assert.ok(enrolled.ok);
    assert.deepEqual(
      [enrolled.info.dv, enrolled.info.enrolled, enrolled.info.name],
      [other.ruc.dv, true, example.gDGen.gEmis.dNombEm],
    );
    const stranger = randomJuridicalRuc();
    const unenrolled = await company.adapter.rucLookup('2', stranger.ruc);
    assert.ok(unenrolled.ok);
    assert.deepEqual(
      [unenrolled.info.dv, unenrolled.info.enrolled],
      [computeRucDv(stranger.ruc, '2'), false],
    );
    const bad = await company.adapter.rucLookup('2', 'not-a-ruc');
    assert.deepEqual(bad.ok ? 'found' : bad.result.pacCode, '102');
  });

  it("serves a WSDL whose types validate the adapter's own Enviar request (xmllint)", async () => {
    const wsdl = await (await fetch(`${simulator.hkaUrl}/ws/obj/v1.0/Service.svc?wsdl`)).text();
    assert.match(wsdl, /soapAction="http:\/\/tempuri.org\/IService\/ConsultarRucDV"/);
    const schema = /<xs:schema[^>]*Services\.ObjComprobante\.v1_0">[\s\S]*?<\/xs:schema>/.exec(wsdl)?.[0];
    assert.ok(schema, 'the documento schema is in the WSDL');
    const company = await hkaCompany();
    let envelope = '';
    const original = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (body.includes('<tem:Enviar>')) envelope = body;
      return original(input, init);
    };
    try {
      await company.adapter.submit(
        submission(documentOf(company, await loadExample('invoice-installments.json'))),
      );
    } finally {
      globalThis.fetch = original;
    }
    const ns = 'http://schemas.datacontract.org/2004/07/Services.ObjComprobante.v1_0';
    const content = /<tem:documento>([\s\S]*)<\/tem:documento>/.exec(envelope)?.[1];
    assert.ok(content);
    const dir = await tempDir('hka-wsdl-');
    await writeFile(
      join(dir, 'documento.xsd'),
      schema.replace(
        '<xs:schema',
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:obj="' + ns + '"',
      ) + '\n',
    );
    const wrapped = `<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${ns}" xmlns:obj="${ns}" elementFormDefault="qualified"><xs:include schemaLocation="documento.xsd"/><xs:element name="documento" type="obj:documento"/></xs:schema>`;
    await writeFile(join(dir, 'root.xsd'), wrapped);
    await writeFile(join(dir, 'request.xml'), `<d0:documento xmlns:d0="${ns}">${content}</d0:documento>`);
    const run = await promisify(execFile)('xmllint', [
      '--noout',
      '--schema',
      join(dir, 'root.xsd'),
      join(dir, 'request.xml'),
    ]).then(
      (r) => ({ ok: true, out: r.stderr }),
      (e: { stderr?: string }) => ({ ok: false, out: e.stderr ?? '' }),
    );
    assert.ok(run.ok, run.out);
  });
});
