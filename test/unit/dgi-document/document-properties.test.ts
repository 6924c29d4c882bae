import assert from 'node:assert/strict';
import { tempDir } from '../../helpers/temp-dir.js';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import {
  readRfe,
  validateDocument,
  writeCanonicalRfe,
  type DgiDocument,
} from '../../../domain/dgi-document/index.js';
import { ISC_RATES } from '../../../domain/dgi-document/catalogs/codes.js';
import { verifySignedRfe } from '../../../domain/signing/verify-rfe.js';
import { dgiSchemaDir, fixedSecurityCode, loadExample, signForTests } from '../../helpers/dgi-fixtures.js';

/**
 * One validation, one truth (issue #11): random documents shaped like production ones (1–50 items,
 * 0–6 decimals, every ITBMS rate, item and invoice discounts, ISC, OTI, several payments) are accepted,
 * built, signed, schema-valid and verifiable; reading the signed XML back validates to the same bytes
 * (what `fepa sign` does); the totals equal an independent rounded sum; a one-cent error in any total is
 * reported at its path with its amount.
 */

const run = promisify(execFile);
const RUNS = Number(process.env.FEPA_PROPERTY_RUNS ?? 500);
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
const round = (value: Decimal, places: number) => value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
const RATE: Record<string, string> = { '00': '0', '01': '0.07', '02': '0.10', '03': '0.15' };

/** A decimal text with `maxInt` integer digits at most and 0–6 decimals, never zero when `positive`. */
const decimalText = (maxIntValue: number, positive: boolean) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxIntValue }), fc.integer({ min: 0, max: 6 }), fc.nat({ max: 999_999 }))
    .map(([int, places, digits]) =>
      places === 0 ? String(int) : `${int}.${String(digits).padStart(6, '0').slice(0, places)}`,
    )
    .filter((text) => !positive || new D(text).gt(0));

const itemArb = fc.record({
  quantity: decimalText(999, true),
  price: decimalText(9_999, true),
  discountShare: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
  rate: fc.constantFrom('00', '01', '02', '03'),
  isc: fc.option(fc.constantFrom(...ISC_RATES), { nil: undefined }),
  oti: fc.option(fc.tuple(fc.constantFrom('01', '02'), decimalText(99, false)), { nil: undefined }),
});

const documentArb = fc.record({
  items: fc.array(itemArb, { minLength: 1, maxLength: 50 }),
  invoiceDiscountShare: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  payments: fc.array(fc.constantFrom('01', '02', '03', '04', '05', '06', '07', '08'), {
    minLength: 1,
    maxLength: 3,
  }),
  changeCents: fc.nat({ max: 5_000 }),
});

type Shape = typeof documentArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds the integrator's input: items from the shape, totals left out; discounts and payments fitted. */
function inputFor(base: Record<string, any>, shape: Shape): Record<string, any> {
  const doc = structuredClone(base);
  doc.gDGen.gEmis.dSucEm = 'PPAL';
  doc.gItem = shape.items.map((item, i) => {
    const price = new D(item.price);
    const line: Record<string, any> = {
      dDescProd: `Articulo ${i + 1}`,
      cUnidad: 'und',
      dCantCodInt: item.quantity,
      gPrecios: { dPrUnit: item.price },
      gITBMSItem: { dTasaITBMS: item.rate },
    };
    if (item.discountShare) {
      const discount = round(price.times(item.discountShare).div(100), 6);
      if (discount.gt(0)) line.gPrecios.dPrUnitDesc = discount.toFixed();
    }
    if (item.isc) line.gISCItem = { dTasaISC: item.isc };
    if (item.oti) line.gOTIItem = [{ dCodOTI: item.oti[0], dValOTI: item.oti[1] }];
    return line;
  });
  doc.gTot = { iPzPag: '1', gFormaPago: [{ iFormaPago: '02' }] };
  // Discounts and payments depend on the total: fit them to the items' total first.
  const first = validateDocument(structuredClone(doc), { securityCode: fixedSecurityCode });
  assert.ok(first.ok, first.ok ? '' : JSON.stringify(first.issues.slice(0, 3)));
  const itemsTotal = new D(first.document.gTot.dVTotItems!);
  let total = itemsTotal;
  if (shape.invoiceDiscountShare) {
    const discount = itemsTotal
      .times(shape.invoiceDiscountShare)
      .div(100)
      .toDecimalPlaces(2, Decimal.ROUND_DOWN);
    if (discount.gt(0)) {
      doc.gTot.gDescBonif = [{ dDetalDesc: 'Descuento de temporada', dValDesc: discount.toFixed(2) }];
      total = total.minus(discount);
    }
  }
  const received = total.plus(new D(shape.changeCents).div(100));
  const share = received.div(shape.payments.length).toDecimalPlaces(2, Decimal.ROUND_DOWN);
  doc.gTot.gFormaPago = shape.payments.map((code, i) => ({
    iFormaPago: code,
    dVlrCuota: (i === 0 ? received.minus(share.times(shape.payments.length - 1)) : share).toFixed(2),
  }));
  return doc;
}

/** The rules of docs/dgi-document.md, recomputed here without fepa's code. */
function assertDgiArithmetic(doc: DgiDocument) {
  const lines = doc.gItem.map((item) => {
    const p = item.gPrecios;
    const exactPrice = new D(item.dCantCodInt).times(new D(p.dPrUnit).minus(p.dPrUnitDesc ?? '0'));
    assert.equal(p.dPrItem, fmt6(exactPrice), 'dPrItem = qty × (price − discount), 6 decimals half-up');
    const price = new D(p.dPrItem);
    const itbms = new D(item.gITBMSItem.dValITBMS!);
    assert.equal(item.gITBMSItem.dValITBMS, fmt6(price.times(RATE[item.gITBMSItem.dTasaITBMS]!)));
    const isc = new D(item.gISCItem?.dValISC ?? '0');
    if (item.gISCItem?.dTasaISC)
      assert.equal(item.gISCItem.dValISC, fmt6(price.times(item.gISCItem.dTasaISC)));
    const oti = (item.gOTIItem ?? []).reduce((a, o) => a.plus(o.dValOTI), new D(0));
    assert.equal(p.dValTotItem, fmt6(price.plus(itbms).plus(isc).plus(oti)));
    return { price, itbms, isc, oti, total: new D(p.dValTotItem) };
  });
  const sum2 = (values: Decimal[]) =>
    round(
      values.reduce((a, b) => a.plus(b), new D(0)),
      2,
    ).toFixed(2);
  const t = doc.gTot;
  assert.equal(t.dTotNeto, sum2(lines.map((l) => l.price)));
  assert.equal(t.dTotITBMS, sum2(lines.map((l) => l.itbms)));
  if (t.dTotISC !== undefined) assert.equal(t.dTotISC, sum2(lines.map((l) => l.isc)));
  assert.equal(t.dVTotItems, sum2(lines.map((l) => l.total)));
  const otiTotal = (t.gOTITotal ?? []).reduce((a, o) => a.plus(o.dValOTITotal), new D(0));
  assert.equal(
    t.dTotGravado,
    new D(t.dTotITBMS)
      .plus(t.dTotISC ?? '0')
      .plus(otiTotal)
      .toFixed(2),
  );
  assert.equal(t.dVTot, new D(t.dVTotItems).minus(t.dTotDesc ?? '0').toFixed(2));
  const received = t.gFormaPago.reduce((a, p) => a.plus(p.dVlrCuota!), new D(0));
  assert.equal(t.dTotRec, received.toFixed(2));
  const change = received.minus(t.dVTot);
  assert.equal(t.dVuelto, change.gt(0) ? change.toFixed(2) : undefined);
}

const fmt6 = (value: Decimal) => {
  const r = round(value, 6);
  return r.decimalPlaces() < 2 ? r.toFixed(2) : r.toFixed();
};

const TOTALS = [
  'dTotNeto',
  'dTotITBMS',
  'dTotISC',
  'dTotGravado',
  'dTotDesc',
  'dVTot',
  'dTotRec',
  'dVTotItems',
];

describe(`random documents shaped like production ones (${RUNS} cases)`, () => {
  it('validate → build → sign → read back → same bytes, totals = rounded sums, one cent off is reported', async () => {
    const base = await loadExample('invoice-final-consumer.json');
    const signed: string[] = [];
    fc.assert(
      fc.property(documentArb, fc.nat(), (shape, pick) => {
        const input = inputFor(base, shape);
        const result = validateDocument(structuredClone(input), { securityCode: fixedSecurityCode });
        assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues.slice(0, 3)));
        assertDgiArithmetic(result.document);

        const canonical = writeCanonicalRfe(result.document);
        const { xml } = signForTests(result.document);
        const verified = verifySignedRfe(xml);
        assert.ok(verified.ok, verified.ok ? '' : verified.reason);
        if (signed.length < 200) signed.push(xml);

        // `fepa sign` reads the built XML and validates it again: it must accept it and write the same bytes.
        const read = readRfe(xml);
        assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.issues.slice(0, 3)));
        const again = validateDocument(read.document);
        assert.ok(again.ok, again.ok ? '' : JSON.stringify(again.issues.slice(0, 3)));
        assert.equal(writeCanonicalRfe(again.document), canonical);

        // The totals given (as fepa wrote them) are accepted; one cent off in any of them is not.
        const given = { ...input, gTot: { ...structuredClone(result.document.gTot) } } as Record<string, any>;
        assert.ok(validateDocument(structuredClone(given), { securityCode: fixedSecurityCode }).ok);
        const present = TOTALS.filter((key) => given.gTot[key] !== undefined);
        const key = present[pick % present.length]!;
        const value = new D(given.gTot[key]);
        given.gTot[key] = (
          value.gte('0.01') && pick % 2 === 0 ? value.minus('0.01') : value.plus('0.01')
        ).toFixed(2);
        const wrong = validateDocument(given, { securityCode: fixedSecurityCode });
        assert.ok(!wrong.ok, `${key} one cent off must be refused`);
        const issue = wrong.issues.find((i) => i.path === `gTot.${key}`);
        assert.equal(issue?.rule, 'sum-mismatch', `${key}: ${JSON.stringify(wrong.issues)}`);
        assert.match(issue.message, /\(off by 0\.01\)$/);
      }),
      { numRuns: RUNS },
    );

    // The official schema, checked by xmllint in one run over a sample of the signed documents.
    const dir = await tempDir('fepa-properties-');
    const files = await Promise.all(
      signed.map(async (xml, i) => {
        const file = join(dir, `doc-${i}.xml`);
        await writeFile(file, xml);
        return file;
      }),
    );
    const { stderr } = await run(
      'xmllint',
      ['--noout', '--schema', join(dgiSchemaDir(), 'FE_v1.00.xsd'), ...files],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: { stderr: string }) => ({ stderr: err.stderr }));
    const validated = stderr.split('\n').filter((line) => line.endsWith(' validates'));
    assert.equal(validated.length, files.length, stderr.split('\n').slice(0, 10).join('\n'));
  });
});
