import { FORMAT_PROFILE } from '../../../domain/dgi-document/format-profile.js';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { computeCufe, validateDocument } from '../../../domain/dgi-document/index.js';
import { loadExample } from '../../helpers/dgi-fixtures.js';

type Doc = Record<string, any>;

interface Case {
  name: string;
  base?: string;
  mutate: (d: Doc) => void;
  path: string;
  rule: string;
  field?: string;
}

const CUFE_FE = 'FE0120000155123456-2-2023-9500002025031000000000010010124829135707';
/** An invoice of another emitter (the spec example's receiver), issued on the same day as CUFE_FE. */
const OTHER_EMITTER = { dTipoRuc: '2', dRuc: '155654321-2-2020', dDV: '24' };
const CUFE_OTHER_EMITTER = computeCufe({
  iDoc: '01',
  ...OTHER_EMITTER,
  dSucEm: '0000',
  issueDate: '20250310',
  dNroDF: '0000000077',
  dPtoFacDF: '001',
  iTpEmis: '01',
  iAmb: '2',
  dSeg: '987654321',
});

/** One broken rule per document; each must be reported at its exact path with its rule. */
const CASES: Case[] = [
  {
    name: 'missing iDoc',
    mutate: (d) => delete d.gDGen.iDoc,
    path: 'gDGen.iDoc',
    rule: 'required',
    field: 'B06',
  },
  { name: 'unknown iDoc 11', mutate: (d) => (d.gDGen.iDoc = '11'), path: 'gDGen.iDoc', rule: 'enum' },
  { name: 'iAmb 3', mutate: (d) => (d.gDGen.iAmb = '3'), path: 'gDGen.iAmb', rule: 'enum', field: 'B02' },
  {
    name: 'dNroDF all zeros',
    mutate: (d) => (d.gDGen.dNroDF = '0000000000'),
    path: 'gDGen.dNroDF',
    rule: 'not-zero',
    field: 'B07',
  },
  {
    name: 'dNroDF with 11 digits',
    mutate: (d) => (d.gDGen.dNroDF = '12345678901'),
    path: 'gDGen.dNroDF',
    rule: 'pattern',
  },
  {
    name: 'dPtoFacDF 000',
    mutate: (d) => (d.gDGen.dPtoFacDF = '000'),
    path: 'gDGen.dPtoFacDF',
    rule: 'not-zero',
    field: 'B08',
  },
  {
    name: 'dSeg with letters',
    mutate: (d) => (d.gDGen.dSeg = '12345678A'),
    path: 'gDGen.dSeg',
    rule: 'pattern',
    field: 'B09',
  },
  {
    name: 'dFechaEm without offset',
    mutate: (d) => (d.gDGen.dFechaEm = '2025-03-10T10:15:00'),
    path: 'gDGen.dFechaEm',
    rule: 'pattern',
    field: 'B10',
  },
  {
    name: 'dFechaEm on 30 February',
    mutate: (d) => (d.gDGen.dFechaEm = '2025-02-30T10:15:00-05:00'),
    path: 'gDGen.dFechaEm',
    rule: 'date',
  },
  {
    name: 'contingency without its start',
    mutate: (d) => {
      d.gDGen.iTpEmis = '02';
      d.gDGen.dMotCont = 'Falla de conexion con el PAC';
    },
    path: 'gDGen.dFechaCont',
    rule: 'required-in-contingency',
    field: 'B04',
  },
  {
    name: 'contingency reason outside a contingency',
    mutate: (d) => (d.gDGen.dMotCont = 'Falla de conexion con el PAC'),
    path: 'gDGen.dMotCont',
    rule: 'only-in-contingency',
    field: 'B05',
  },
  {
    name: 'contingency reason too short',
    mutate: (d) => {
      d.gDGen.iTpEmis = '02';
      d.gDGen.dFechaCont = '2025-03-10T09:00:00-05:00';
      d.gDGen.dMotCont = 'corta';
    },
    path: 'gDGen.dMotCont',
    rule: 'min-length',
  },
  {
    name: 'iNatOp not allowed for an invoice',
    mutate: (d) => (d.gDGen.iNatOp = '11'),
    path: 'gDGen.iNatOp',
    rule: 'combination',
    field: 'B12',
  },
  {
    name: 'iTipoOp 2 on a sale',
    mutate: (d) => (d.gDGen.iTipoOp = '2'),
    path: 'gDGen.iTipoOp',
    rule: 'combination',
  },
  {
    name: 'iDest 2 on a domestic invoice',
    mutate: (d) => (d.gDGen.iDest = '2'),
    path: 'gDGen.iDest',
    rule: 'combination',
  },
  {
    name: 'iTipoTranVenta on a debit note',
    base: 'debit-note-spec-example.json',
    mutate: (d) => (d.gDGen.iTipoTranVenta = '1'),
    path: 'gDGen.iTipoTranVenta',
    rule: 'sales-only',
    field: 'B19',
  },
  {
    name: 'credit note without references',
    base: 'credit-note.json',
    mutate: (d) => delete d.gDGen.gDFRef,
    path: 'gDGen.gDFRef',
    rule: 'required-for-note',
    field: 'B60',
  },
  {
    name: 'debit note referencing a paper invoice',
    base: 'debit-note-spec-example.json',
    mutate: (d) => (d.gDGen.gDFRef[0].gDFRefNum = { gDFRefFacPap: { dNroFacPap: 'A-1' } }),
    path: 'gDGen.gDFRef[0].gDFRefNum.gDFRefFE',
    rule: 'reference-by-cufe',
    field: 'B605',
  },
  {
    name: 'reference with two kinds of number',
    base: 'credit-note.json',
    mutate: (d) => (d.gDGen.gDFRef[0].gDFRefNum.gDFRefFacPap = { dNroFacPap: 'A-1' }),
    path: 'gDGen.gDFRef[0].gDFRefNum',
    rule: 'choice',
    field: 'B604',
  },
  {
    name: 'referenced CUFE with a wrong check digit',
    base: 'credit-note.json',
    mutate: (d) => (d.gDGen.gDFRef[0].gDFRefNum.gDFRefFE.dCUFERef = `${CUFE_FE.slice(0, 65)}8`),
    path: 'gDGen.gDFRef[0].gDFRefNum.gDFRefFE.dCUFERef',
    rule: 'cufe',
    field: 'B606',
  },
  {
    name: 'referenced CUFE of another emitter',
    base: 'credit-note.json',
    mutate: (d) => (d.gDGen.gDFRef[0].gRucEmDFRef = { dTipoRuc: '2', dRuc: '155654321-2-2020', dDV: '24' }),
    path: 'gDGen.gDFRef[0].gDFRefNum.gDFRefFE.dCUFERef',
    rule: 'reference-mismatch',
  },
  {
    name: 'reference date other than the CUFE’s',
    base: 'credit-note.json',
    mutate: (d) => (d.gDGen.gDFRef[0].dFechaDFRef = '2025-03-09T10:15:00-05:00'),
    path: 'gDGen.gDFRef[0].dFechaDFRef',
    rule: 'reference-mismatch',
    field: 'B603',
  },
  {
    name: 'export invoice without gFExp',
    base: 'export-invoice.json',
    mutate: (d) => delete d.gDGen.gFExp,
    path: 'gDGen.gFExp',
    rule: 'required-for-export',
    field: 'B50',
  },
  {
    name: 'unknown incoterm',
    base: 'export-invoice.json',
    mutate: (d) => (d.gDGen.gFExp.cCondEntr = 'XYZ'),
    path: 'gDGen.gFExp.cCondEntr',
    rule: 'enum',
    field: 'B501',
  },
  {
    name: 'foreign receiver with a RUC',
    base: 'export-invoice.json',
    mutate: (d) => (d.gDGen.gDatRec.gRucRec = { dTipoRuc: '1', dRuc: '8-274-125' }),
    path: 'gDGen.gDatRec.gRucRec',
    rule: 'foreign-without-ruc',
    field: 'B402',
  },
  {
    name: 'foreign receiver without gIdExt',
    base: 'export-invoice.json',
    mutate: (d) => delete d.gDGen.gDatRec.gIdExt,
    path: 'gDGen.gDatRec.gIdExt',
    rule: 'required-for-receiver-type',
    field: 'B406',
  },
  {
    name: 'taxpayer receiver without RUC',
    mutate: (d) => delete d.gDGen.gDatRec.gRucRec,
    path: 'gDGen.gDatRec.gRucRec',
    rule: 'required-for-receiver-type',
  },
  {
    name: 'taxpayer receiver without address',
    mutate: (d) => delete d.gDGen.gDatRec.dDirecRec,
    path: 'gDGen.gDatRec.dDirecRec',
    rule: 'required-for-receiver-type',
    field: 'B404',
  },
  {
    name: 'juridical RUC sent as a final consumer',
    base: 'invoice-final-consumer.json',
    mutate: (d) => (d.gDGen.gDatRec.gRucRec = { dTipoRuc: '2', dRuc: '155654321-2-2020', dDV: '24' }),
    path: 'gDGen.gDatRec.gRucRec.dTipoRuc',
    rule: 'juridical-as-taxpayer',
  },
  {
    name: 'domestic operation abroad',
    mutate: (d) => (d.gDGen.gDatRec.cPaisRec = 'CO'),
    path: 'gDGen.gDatRec.cPaisRec',
    rule: 'domestic-country',
    field: 'B411',
  },
  {
    name: 'unknown country',
    mutate: (d) => (d.gDGen.gDatRec.cPaisRec = 'XX'),
    path: 'gDGen.gDatRec.cPaisRec',
    rule: 'catalog',
  },
  {
    name: 'emitter DV wrong',
    mutate: (d) => (d.gDGen.gEmis.gRucEmi.dDV = '59'),
    path: 'gDGen.gEmis.gRucEmi.dDV',
    rule: 'check-digit',
    field: 'B3013',
  },
  {
    name: 'receiver DV wrong',
    mutate: (d) => (d.gDGen.gDatRec.gRucRec.dDV = '42'),
    path: 'gDGen.gDatRec.gRucRec.dDV',
    rule: 'check-digit',
  },
  {
    name: 'RUC in an unregistered form',
    mutate: (d) => (d.gDGen.gEmis.gRucEmi.dRuc = 'ABC-123'),
    path: 'gDGen.gEmis.gRucEmi.dRuc',
    rule: 'pattern',
    field: 'B3012',
  },
  {
    name: 'lowercase branch code',
    mutate: (d) => (d.gDGen.gEmis.dSucEm = 'ab01'),
    path: 'gDGen.gEmis.dSucEm',
    rule: 'pattern',
    field: 'B303',
  },
  {
    name: 'coordinates with a positive longitude',
    mutate: (d) => (d.gDGen.gEmis.dCoordEm = '+8.983300,79.516700'),
    path: 'gDGen.gEmis.dCoordEm',
    rule: 'pattern',
    field: 'B304',
  },
  {
    name: 'phone without a hyphen',
    mutate: (d) => (d.gDGen.gEmis.dTfnEm = ['60000000']),
    path: 'gDGen.gEmis.dTfnEm[0]',
    rule: 'pattern',
    field: 'B309',
  },
  {
    name: 'four phones',
    mutate: (d) => (d.gDGen.gEmis.dTfnEm = ['600-0000', '600-0001', '600-0002', '600-0003']),
    path: 'gDGen.gEmis.dTfnEm',
    rule: 'max-items',
  },
  {
    name: 'bad e-mail',
    mutate: (d) => (d.gDGen.gEmis.dCorElectEmi = ['facturacion@']),
    path: 'gDGen.gEmis.dCorElectEmi[0]',
    rule: 'pattern',
    field: 'B310',
  },
  {
    name: 'location not in the catalog',
    mutate: (d) => (d.gDGen.gEmis.gUbiEm.dCodUbi = '8-99-99'),
    path: 'gDGen.gEmis.gUbiEm.dCodUbi',
    rule: 'catalog',
  },
  {
    name: 'emitter name too long',
    mutate: (d) => (d.gDGen.gEmis.dNombEm = 'X'.repeat(FORMAT_PROFILE.emitterNameMaxLength + 1)),
    path: 'gDGen.gEmis.dNombEm',
    rule: 'max-length',
    field: 'B302',
  },
  {
    name: 'control character in a description',
    mutate: (d) => (d.gItem[1].dDescProd = 'Libro\u0007tecnico'),
    path: 'gItem[1].dDescProd',
    rule: 'xml-character',
    field: 'C03',
  },
  {
    name: 'description of one character',
    mutate: (d) => (d.gItem[0].dDescProd = 'X'),
    path: 'gItem[0].dDescProd',
    rule: 'min-length',
  },
  {
    name: 'unit price with a comma',
    mutate: (d) => (d.gItem[1].gPrecios.dPrUnit = '25,00'),
    path: 'gItem[1].gPrecios.dPrUnit',
    rule: 'pattern',
    field: 'C201',
  },
  {
    name: 'unit price with 7 decimals',
    mutate: (d) => (d.gItem[0].gPrecios.dPrUnit = '50.0000001'),
    path: 'gItem[0].gPrecios.dPrUnit',
    rule: 'decimals',
  },
  {
    name: 'negative quantity',
    mutate: (d) => (d.gItem[0].dCantCodInt = '-2'),
    path: 'gItem[0].dCantCodInt',
    rule: 'pattern',
    field: 'C06',
  },
  {
    name: 'zero quantity',
    mutate: (d) => (d.gItem[0].dCantCodInt = '0'),
    path: 'gItem[0].dCantCodInt',
    rule: 'positive',
  },
  {
    name: 'unknown ITBMS rate 04',
    mutate: (d) => (d.gItem[0].gITBMSItem.dTasaITBMS = '04'),
    path: 'gItem[0].gITBMSItem.dTasaITBMS',
    rule: 'enum',
    field: 'C401',
  },
  {
    name: 'unit of measure not in the catalog',
    mutate: (d) => (d.gItem[0].cUnidad = 'unidad'),
    path: 'gItem[0].cUnidad',
    rule: 'catalog',
    field: 'C05',
  },
  {
    name: 'discount above the unit price',
    mutate: (d) => (d.gItem[1].gPrecios.dPrUnitDesc = '26.00'),
    path: 'gItem[1].gPrecios.dPrUnitDesc',
    rule: 'discount-exceeds-price',
    field: 'C202',
  },
  {
    name: 'item price that does not multiply out',
    mutate: (d) => (d.gItem[0].gPrecios.dPrItem = '101.00'),
    path: 'gItem[0].gPrecios.dPrItem',
    rule: 'sum-mismatch',
    field: 'C203',
  },
  {
    name: 'ITBMS that is not 7%',
    mutate: (d) => (d.gItem[0].gITBMSItem.dValITBMS = '7.50'),
    path: 'gItem[0].gITBMSItem.dValITBMS',
    rule: 'sum-mismatch',
    field: 'C402',
  },
  {
    name: 'dTotNeto off by a cent',
    mutate: (d) => (d.gTot.dTotNeto = '122.49'),
    path: 'gTot.dTotNeto',
    rule: 'sum-mismatch',
    field: 'D02',
  },
  {
    name: 'dVTot off',
    mutate: (d) => (d.gTot.dVTot = '130.00'),
    path: 'gTot.dVTot',
    rule: 'sum-mismatch',
    field: 'D09',
  },
  {
    name: 'item count off',
    mutate: (d) => (d.gTot.dNroItems = '3'),
    path: 'gTot.dNroItems',
    rule: 'count-mismatch',
    field: 'D13',
  },
  {
    name: 'two payments, one without its amount',
    mutate: (d) => (d.gTot.gFormaPago = [{ iFormaPago: '02', dVlrCuota: '100.00' }, { iFormaPago: '03' }]),
    path: 'gTot.gFormaPago[1].dVlrCuota',
    rule: 'required',
    field: 'D303',
  },
  {
    name: 'other payment without description',
    mutate: (d) => (d.gTot.gFormaPago = [{ iFormaPago: '99' }]),
    path: 'gTot.gFormaPago[0].dFormaPagoDesc',
    rule: 'required-for-other-payment',
    field: 'D302',
  },
  {
    name: 'no payments',
    mutate: (d) => (d.gTot.gFormaPago = []),
    path: 'gTot.gFormaPago',
    rule: 'min-items',
  },
  { name: 'no items', mutate: (d) => (d.gItem = []), path: 'gItem', rule: 'min-items', field: 'C01' },
  {
    name: 'duplicate item sequence',
    mutate: (d) => {
      d.gItem[0].dSecItem = 1;
      d.gItem[1].dSecItem = 1;
    },
    path: 'gItem[1].dSecItem',
    rule: 'unique',
    field: 'C02',
  },
  {
    name: 'a field the DGI format does not have',
    mutate: (d) => (d.gDGen.gEmis.dFax = '600-0000'),
    path: 'gDGen.gEmis.dFax',
    rule: 'unknown-field',
  },
  {
    name: 'a group sent as a string',
    mutate: (d) => (d.gTot = 'total'),
    path: 'gTot',
    rule: 'type',
    field: 'D01',
  },
  {
    name: 'government receiver items without CPBS codes',
    mutate: (d) => {
      d.gDGen.gDatRec.iTipoRec = '03';
      d.gItem = [d.gItem[0]];
      d.gItem[0].dCodCPBSabr = '85';
      d.gItem[0].cUnidadCPBS = 'und';
    },
    path: 'gItem[0].dCodCPBScmp',
    rule: 'required-for-government',
    field: 'C10',
  },
  {
    name: 'CUFE that does not match the fields',
    mutate: (d) => (d.dId = CUFE_FE.replace('0000000001001', '0000000002001')),
    path: 'dId',
    rule: 'cufe-mismatch',
    field: 'A03',
  },
  {
    name: 'a sale (iDoc 01) without iTipoTranVenta',
    mutate: (d) => delete d.gDGen.iTipoTranVenta,
    path: 'gDGen.iTipoTranVenta',
    rule: 'required-for-sale',
    field: 'B19',
  },
  {
    name: 'a wrong check digit in gAutXML',
    mutate: (d) => (d.gDGen.gAutXML = [{ gRucAutXML: { ...OTHER_EMITTER, dDV: '25' } }]),
    path: 'gDGen.gAutXML[0].gRucAutXML.dDV',
    rule: 'check-digit',
  },
  {
    name: 'installments that do not add up to dVTot',
    base: 'invoice-installments.json',
    mutate: (d) => (d.gTot.gPagPlazo[2].dValItPlazo = '160.00'),
    path: 'gTot.gPagPlazo',
    rule: 'installments-sum',
    field: 'D50',
  },
  {
    name: 'installments numbered out of order',
    base: 'invoice-installments.json',
    mutate: (d) => (d.gTot.gPagPlazo[1].dSecItem = '3'),
    path: 'gTot.gPagPlazo[1].dSecItem',
    rule: 'consecutive',
  },
  {
    name: 'installments on an immediate payment (iPzPag 1)',
    base: 'invoice-installments.json',
    mutate: (d) => (d.gTot.iPzPag = '1'),
    path: 'gTot.gPagPlazo',
    rule: 'installments-without-terms',
  },
  {
    name: 'payment on terms (iPzPag 2) without installments',
    base: 'invoice-installments.json',
    mutate: (d) => delete d.gTot.gPagPlazo,
    path: 'gTot.gPagPlazo',
    rule: 'required-for-terms',
  },
  {
    name: 'a withholding above the total',
    base: 'invoice-withholding.json',
    mutate: (d) => (d.gTot.gRetenc.cValRetenc = '481.51'),
    path: 'gTot.gRetenc.cValRetenc',
    rule: 'withholding-exceeds-total',
  },
  {
    name: 'the same CUFE referenced twice',
    base: 'credit-note.json',
    mutate: (d) => d.gDGen.gDFRef.push(structuredClone(d.gDGen.gDFRef[0])),
    path: 'gDGen.gDFRef[1].gDFRefNum.gDFRefFE.dCUFERef',
    rule: 'unique',
  },
  {
    name: "a credit note referencing another emitter's invoice",
    base: 'credit-note.json',
    mutate: (d) => {
      d.gDGen.gDFRef[0].gRucEmDFRef = OTHER_EMITTER;
      d.gDGen.gDFRef[0].gDFRefNum.gDFRefFE.dCUFERef = CUFE_OTHER_EMITTER;
    },
    path: 'gDGen.gDFRef[0].gDFRefNum.gDFRefFE.dCUFERef',
    rule: 'reference-other-emitter',
  },
];

describe('invalid documents', () => {
  const bases = new Map<string, Doc>();
  before(async () => {
    for (const name of new Set(CASES.map((c) => c.base ?? 'invoice-spec-example.json')))
      bases.set(name, await loadExample(name));
  });

  it('cover at least 40 distinct rules', () => {
    assert.ok(CASES.length >= 40, `${CASES.length} cases`);
  });

  for (const c of CASES) {
    it(`reports ${c.name} at ${c.path} (${c.rule})`, () => {
      const doc = structuredClone(bases.get(c.base ?? 'invoice-spec-example.json')!);
      c.mutate(doc);
      const result = validateDocument(doc);
      assert.equal(result.ok, false, 'the document must be rejected');
      const issues = result.ok ? [] : result.issues;
      assert.deepEqual(
        issues.map((i) => ({ path: i.path, rule: i.rule })),
        [{ path: c.path, rule: c.rule }],
        JSON.stringify(issues, null, 2),
      );
      if (c.field) assert.equal(issues[0]?.field, c.field);
      assert.ok(issues[0]!.message.length > 5, 'a message a person can read');
    });
  }

  it('reports every issue of a document at once, not only the first', () => {
    const doc = structuredClone(bases.get('invoice-spec-example.json')!);
    doc.gDGen.dNroDF = 'abc';
    doc.gDGen.gEmis.dTfnEm = ['1'];
    doc.gItem[0].gPrecios.dPrUnit = 'x';
    doc.gTot.iPzPag = '9';
    const result = validateDocument(doc);
    assert.equal(result.ok, false);
    assert.deepEqual((result.ok ? [] : result.issues).map((i) => i.path).sort(), [
      'gDGen.dNroDF',
      'gDGen.gEmis.dTfnEm[0]',
      'gItem[0].gPrecios.dPrUnit',
      'gTot.iPzPag',
    ]);
  });

  it('says by how much a sum is off', () => {
    const doc = structuredClone(bases.get('invoice-spec-example.json')!);
    doc.gTot.dTotNeto = '122.40';
    const result = validateDocument(doc);
    assert.equal(result.ok, false);
    const issue = result.ok ? undefined : result.issues[0];
    assert.equal(issue?.value, '122.40');
    assert.match(issue?.message ?? '', /is 122\.40 but .* gives 122\.50 \(off by 0\.10\)/);
  });
});
