import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validateDocument, type DgiDocument } from '../../../domain/dgi-document/index.js';
import { loadExample } from '../../helpers/dgi-fixtures.js';

type Doc = Record<string, any>;

function complete(doc: Doc): DgiDocument {
  const result = validateDocument(doc);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues, null, 2));
  return result.document;
}

describe('totals (spec §5–6)', () => {
  let base: Doc;
  before(async () => {
    base = await loadExample('invoice-spec-example.json');
  });

  it('computes the spec example exactly: 122.50 net, 7.00 ITBMS, 129.50 total', () => {
    const t = complete(structuredClone(base)).gTot;
    assert.deepEqual(
      [
        t.dTotNeto,
        t.dTotITBMS,
        t.dTotGravado,
        t.dVTot,
        t.dTotRec,
        t.dVTotItems,
        t.dNroItems,
        t.gFormaPago[0]?.dVlrCuota,
      ],
      ['122.50', '7.00', '7.00', '129.50', '129.50', '129.50', '2', '129.50'],
    );
    assert.equal(t.dVuelto, undefined, 'no change when paid exactly');
  });

  const screwsAndWashers = () => [
    {
      dDescProd: 'Tornillo',
      dCantCodInt: '3.5',
      gPrecios: { dPrUnit: '0.245' } as Record<string, string>,
      gITBMSItem: { dTasaITBMS: '01' } as Record<string, string>,
    },
    {
      dDescProd: 'Arandela',
      dCantCodInt: '1',
      gPrecios: { dPrUnit: '4.12' } as Record<string, string>,
      gITBMSItem: { dTasaITBMS: '01' } as Record<string, string>,
    },
  ];

  it('computes item amounts to 6 decimals and totals as the rounded sum of the unrounded lines', () => {
    const doc = structuredClone(base);
    doc.gItem = screwsAndWashers();
    const d = complete(doc);
    assert.equal(d.gItem[0]?.gPrecios.dPrItem, '0.8575', '3.5 × 0.245');
    assert.equal(d.gItem[0]?.gITBMSItem.dValITBMS, '0.060025', '7% of 0.8575');
    assert.equal(d.gItem[1]?.gITBMSItem.dValITBMS, '0.2884', '7% of 4.12');
    assert.equal(d.gTot.dTotITBMS, '0.35', 'Σ 0.348425 → 0.35');
    assert.equal(d.gTot.dTotNeto, '4.98', 'Σ 4.9775 → 4.98');
    assert.equal(d.gTot.dVTotItems, '5.33', 'Σ 5.325925 → 5.33');
  });

  it("accepts the DGI test sample's 2-decimal item rounding (0.8575 → 0.86) and sums those values", () => {
    const doc = structuredClone(base);
    doc.gItem = screwsAndWashers();
    Object.assign(doc.gItem[0].gPrecios, { dPrItem: '0.86', dValTotItem: '0.92' });
    doc.gItem[0].gITBMSItem.dValITBMS = '0.06';
    doc.gItem[1].gITBMSItem.dValITBMS = '0.29';
    const d = complete(doc);
    assert.equal(d.gTot.dTotITBMS, '0.35');
    assert.equal(d.gTot.dTotNeto, '4.98');
    assert.equal(d.gItem[1]?.gPrecios.dValTotItem, '4.41', '4.12 + 0.29 (the value in force)');
  });

  it('refuses an item amount more than half a cent from its formula, naming both values', () => {
    const doc = structuredClone(base);
    doc.gItem = screwsAndWashers();
    doc.gItem[1].gITBMSItem.dValITBMS = '0.294';
    const result = validateDocument(doc);
    assert.ok(!result.ok);
    const issue = result.issues.find((i) => i.path === 'gItem[1].gITBMSItem.dValITBMS');
    assert.equal(issue?.rule, 'sum-mismatch');
    assert.match(
      issue?.message ?? '',
      /is 0\.294 but 7% of dPrItem gives 0\.2884 \(off by 0\.0056; .* at most 0\.005\)/,
    );
  });

  it('adds ISC and other taxes to the item total and to dTotGravado, and totals OTI per code', () => {
    const doc = structuredClone(base);
    doc.gItem = [
      {
        dDescProd: 'Licor importado',
        dCantCodInt: '2',
        gPrecios: { dPrUnit: '20.00' },
        gITBMSItem: { dTasaITBMS: '02' },
        gISCItem: { dTasaISC: '0.05' },
        gOTIItem: [{ dCodOTI: '01', dValOTI: '0.50' }],
      },
      {
        dDescProd: 'Linea telefonica',
        dCantCodInt: '1',
        gPrecios: { dPrUnit: '10.00' },
        gITBMSItem: { dTasaITBMS: '01' },
        gOTIItem: [{ dCodOTI: '01', dValOTI: '0.25' }],
      },
    ];
    const d = complete(doc);
    assert.equal(d.gItem[0]?.gISCItem?.dValISC, '2.00');
    assert.equal(d.gItem[0]?.gPrecios.dValTotItem, '46.50', '40 + 4 ITBMS + 2 ISC + 0.50 OTI');
    assert.equal(d.gTot.dTotISC, '2.00');
    assert.deepEqual(d.gTot.gOTITotal, [{ dCodOTITotal: '01', dValOTITotal: '0.75' }]);
    assert.equal(d.gTot.dTotGravado, '7.45', 'ITBMS 4.70 + ISC 2.00 + OTI 0.75');
  });

  it('keeps item freight and insurance out of the ITBMS base but in the item total', () => {
    const doc = structuredClone(base);
    doc.gItem = [
      {
        dDescProd: 'Mueble',
        dCantCodInt: '1',
        gPrecios: { dPrUnit: '558.00', dPrAcarItem: '5.00', dPrSegItem: '1.50' },
        gITBMSItem: { dTasaITBMS: '01' },
      },
    ];
    const d = complete(doc);
    assert.equal(d.gItem[0]?.gITBMSItem.dValITBMS, '39.06');
    assert.equal(d.gItem[0]?.gPrecios.dValTotItem, '603.56');
  });

  it('subtracts invoice discounts, adds invoice freight and insurance, and gives change', () => {
    const doc = structuredClone(base);
    doc.gTot = {
      iPzPag: '1',
      dTotAcar: '10.00',
      dTotSeg: '2.00',
      gDescBonif: [{ dDetalDesc: 'Cliente frecuente', dValDesc: '9.50' }],
      gFormaPago: [{ iFormaPago: '02', dVlrCuota: '150.00' }],
    };
    const t = complete(doc).gTot;
    assert.equal(t.dTotDesc, '9.50');
    assert.equal(t.dVTot, '132.00', '129.50 − 9.50 + 10.00 + 2.00');
    assert.equal(t.dTotRec, '150.00');
    assert.equal(t.dVuelto, '18.00');
  });

  it('accepts totals an integrator computed the same way, and keeps their text', () => {
    const doc = structuredClone(base);
    doc.gTot = {
      ...doc.gTot,
      dTotNeto: 122.5,
      dTotITBMS: '7',
      dTotGravado: '7.00',
      dVTot: '129.50',
      dTotRec: '129.50',
      dNroItems: 2,
      dVTotItems: '129.50',
    };
    const t = complete(doc).gTot;
    assert.equal(t.dTotNeto, '122.50');
    assert.equal(t.dTotITBMS, '7.00');
  });

  it('refuses discounts larger than the document', () => {
    const doc = structuredClone(base);
    doc.gTot.gDescBonif = [{ dDetalDesc: 'Error de digitacion', dValDesc: '500.00' }];
    const result = validateDocument(doc);
    assert.equal(result.ok, false);
    assert.ok(
      !result.ok && result.issues.some((i) => i.rule === 'negative-total' && i.path === 'gTot.dTotDesc'),
    );
  });
});
