import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDocument, type DgiDocument } from '../../../domain/dgi-document/index.js';
import { dgiIssuesInMessage, hkaDocumentState, hkaSubmitStatus } from '../../../pac/hka/hka-codes.js';
import { HKA_FIELDS } from '../../../pac/hka/hka-fields.js';
import { fromHkaDocumento, leaves, segmentsOf, toHkaDocumento } from '../../../pac/hka/hka-mapping.js';
import { exampleFiles, loadExample } from '../../helpers/dgi-fixtures.js';

async function validExample(name: string): Promise<DgiDocument> {
  const result = validateDocument(await loadExample(name));
  assert.ok(result.ok, `${name}: ${JSON.stringify(!result.ok && result.issues)}`);
  return result.document;
}

function setLeaf(tree: Record<string, unknown>, path: string, value: string): void {
  const segments = segmentsOf(path);
  let node: any = tree;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) node[segment] = value;
    else node = node[segment] ??= typeof segments[i + 1] === 'number' ? [] : {};
  });
}

/** HKA's document read back into the DGI's names, completed as HKA completes it (same security code). */
function roundTrip(document: DgiDocument): DgiDocument {
  const mapped = toHkaDocumento(document);
  assert.ok(mapped.ok, JSON.stringify(!mapped.ok && mapped.issues));
  const back = fromHkaDocumento(mapped.documento, {
    environment: document.gDGen.iAmb as '1' | '2',
    emitter: document.gDGen.gEmis,
  });
  assert.deepEqual(back.unknown, []);
  const again = validateDocument(back.document, { securityCode: () => document.gDGen.dSeg! });
  assert.ok(again.ok, JSON.stringify(!again.ok && again.issues));
  return again.document;
}

describe('HKA field mapping (one table, no silent drops)', async () => {
  for (const file of await exampleFiles()) {
    it(`keeps every field of ${file} (document type and all): HKA's fields read back give the same document and CUFE`, async () => {
      const document = await validExample(file);
      const back = roundTrip(document);
      assert.deepEqual(back, document);
    });
  }

  it('carries every row of the table both ways, in positions 0 and 1 of every list', async () => {
    const emitter = (await validExample('invoice-spec-example.json')).gDGen.gEmis;
    const synthetic: Record<string, string> = {};
    HKA_FIELDS.forEach(([dgi], row) => {
      for (const position of dgi.includes('[]') ? [0, 1] : [0])
        synthetic[dgi.replaceAll('[]', `[${position}]`)] = `value-${row}-${position}`;
    });
    const tree = fromHkaDocumento({}, { environment: '2', emitter }).document; // account fields only
    for (const [path, value] of Object.entries(synthetic)) setLeaf(tree, path, value);
    const mapped = toHkaDocumento(tree as unknown as DgiDocument);
    assert.ok(mapped.ok, JSON.stringify(!mapped.ok && mapped.issues.slice(0, 3)));
    assert.equal(
      leaves(mapped.documento).length,
      Object.keys(synthetic).length,
      'one HKA field per DGI field',
    );
    const back = new Map(leaves(fromHkaDocumento(mapped.documento, { environment: '2', emitter }).document));
    for (const [path, value] of Object.entries(synthetic)) assert.equal(back.get(path), value, path);
  });

  it('names each HKA field once, and each DGI field once', () => {
    const dgi = HKA_FIELDS.map(([d]) => d);
    const hka = HKA_FIELDS.map(([, h]) => h);
    assert.equal(new Set(dgi).size, dgi.length);
    assert.equal(new Set(hka).size, hka.length);
  });

  it('reports each field HKA cannot carry, by path, instead of dropping it', async () => {
    const document = structuredClone(await validExample('invoice-spec-example.json')) as any;
    document.gItem[0].gVehicNuevo = { iModOpVN: '01', dChasi: '12345678901234567' };
    document.gInfoLog = {
      dNomTransp: 'TRANSPORTES',
      gRucTransp: { dTipoRuc: '2', dRuc: '1-1-1', dDV: '00' },
    };
    const mapped = toHkaDocumento(document);
    assert.ok(!mapped.ok);
    const paths = mapped.issues.map((i) => i.path);
    assert.ok(paths.includes('gItem[0].gVehicNuevo.dChasi'), paths.join(', '));
    assert.ok(paths.includes('gInfoLog.dNomTransp'));
    assert.ok(mapped.issues.every((i) => i.rule === 'hka-unsupported'));
  });

  it("refuses a reference to another emitter's document and a sequence HKA would renumber", async () => {
    const note = structuredClone(await validExample('credit-note.json')) as any;
    note.gDGen.gDFRef[0].dNombEmRef = 'OTRA EMPRESA, S.A.';
    note.gItem[0].dSecItem = '7';
    const mapped = toHkaDocumento(note);
    assert.ok(!mapped.ok);
    assert.deepEqual(
      mapped.issues.map((i) => [i.path, i.rule]),
      [
        ['gDGen.gDFRef[0].dNombEmRef', 'hka-reference-emitter'],
        ['gItem[0].dSecItem', 'hka-sequence'],
      ],
    );
  });
});

describe('HKA codes', () => {
  it('parses every DGI code of a message, separated by |', () => {
    assert.deepEqual(
      dgiIssuesInMessage('1513-Número duplicado | 2007-Ítem sin código|texto sin código').map((i) => [
        i.code,
        i.message,
      ]),
      [
        ['1513', 'Número duplicado'],
        ['2007', 'Ítem sin código'],
      ],
    );
  });

  it('classifies Enviar by code; 109 carrying 1513 is a duplicate; an unknown code is reconciled', () => {
    assert.equal(hkaSubmitStatus('200', []), 'authorized');
    assert.equal(hkaSubmitStatus('109', dgiIssuesInMessage('2007-x')), 'rejected-correctable');
    assert.equal(hkaSubmitStatus('109', dgiIssuesInMessage('1513-x | 2007-y')), 'duplicate');
    assert.equal(hkaSubmitStatus('201', []), 'unknown');
    assert.equal(hkaSubmitStatus('999', []), 'unknown');
    assert.equal(hkaSubmitStatus('119', []), 'error-needs-support');
  });

  it('reads estatusDocumento with or without accents and case', () => {
    assert.equal(hkaDocumentState('Autorizada'), 'authorized');
    assert.equal(hkaDocumentState(' ANULADA '), 'annulled');
    assert.equal(hkaDocumentState('En Proceso'), 'pending');
    assert.equal(hkaDocumentState('Desconocido'), undefined);
  });
});
