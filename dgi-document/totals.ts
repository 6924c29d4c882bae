import { ITBMS_RATES } from './catalogs/codes.js';
import { FORMAT_PROFILE } from './format-profile.js';
import { issueAt, type DocumentIssue, type PathSegment } from './issues.js';
import { money, round2, sum, text2, ZERO, type Money } from './money.js';
import type { ParsedDocument } from './schema/document.js';

type Item = ParsedDocument['gItem'][number];

/**
 * Item and document arithmetic of spec §5–6. Each amount fepa can compute is filled in when the
 * integrator left it out, and checked when it was sent: a mismatch names the field, both values and
 * the difference. Items are rounded half-up to 2 decimals; totals are sums of the item values.
 */
export function reconcileTotals(document: ParsedDocument): {
  document: ParsedDocument;
  issues: DocumentIssue[];
} {
  const issues: DocumentIssue[] = [];
  const doc = structuredClone(document);

  /** Fills `target[key]` with `computed`, or checks the value that is there. Returns the value in force. */
  const settle = (
    target: Record<string, unknown>,
    key: string,
    path: PathSegment[],
    computed: Money,
    explanation: string,
    tolerance: 'exact' | 'cents' = 'exact',
  ): Money => {
    const sent = target[key];
    if (typeof sent !== 'string') {
      target[key] = text2(computed);
      return round2(computed);
    }
    const sentValue = money(sent);
    const agrees = tolerance === 'exact' ? sentValue.eq(computed) : round2(sentValue).eq(round2(computed));
    if (!agrees) {
      const off = sentValue.minus(computed).abs();
      issues.push(
        issueAt(
          [...path, key],
          'sum-mismatch',
          `is ${sent} but ${explanation} gives ${text2(computed)} (off by ${off.toFixed(Math.max(2, off.decimalPlaces()))})`,
          sent,
        ),
      );
    }
    return sentValue;
  };

  const itemTotals = doc.gItem.map((item, i) => reconcileItem(item, ['gItem', i], settle, issues));

  const tot = doc.gTot as Record<string, unknown> & ParsedDocument['gTot'];
  const net = settle(
    tot,
    'dTotNeto',
    ['gTot'],
    sum(itemTotals.map((t) => t.price)),
    'Σ gItem[].gPrecios.dPrItem',
  );
  const itbms = settle(
    tot,
    'dTotITBMS',
    ['gTot'],
    sum(itemTotals.map((t) => t.itbms)),
    'Σ gItem[].gITBMSItem.dValITBMS',
  );
  const hasIsc = doc.gItem.some((item) => item.gISCItem !== undefined);
  const isc =
    hasIsc || tot.dTotISC !== undefined
      ? settle(tot, 'dTotISC', ['gTot'], sum(itemTotals.map((t) => t.isc)), 'Σ gItem[].gISCItem.dValISC')
      : ZERO;
  const otherTaxes = reconcileOtherTaxTotals(doc, settle);
  settle(
    tot,
    'dTotGravado',
    ['gTot'],
    FORMAT_PROFILE.taxedTotalIsSumOfTaxes ? itbms.plus(isc).plus(otherTaxes) : net,
    FORMAT_PROFILE.taxedTotalIsSumOfTaxes ? 'dTotITBMS + dTotISC + Σ OTI' : 'dTotNeto',
  );
  const discounts = doc.gTot.gDescBonif?.length
    ? settle(
        tot,
        'dTotDesc',
        ['gTot'],
        sum(doc.gTot.gDescBonif.map((d) => money(d.dValDesc))),
        'Σ gDescBonif[].dValDesc',
      )
    : tot.dTotDesc !== undefined
      ? settle(tot, 'dTotDesc', ['gTot'], ZERO, 'the absence of gDescBonif')
      : ZERO;
  const itemsTotal = settle(
    tot,
    'dVTotItems',
    ['gTot'],
    sum(itemTotals.map((t) => t.total)),
    'Σ gItem[].gPrecios.dValTotItem',
  );
  const extras = FORMAT_PROFILE.totalAddsInvoiceFreightAndInsurance
    ? money(tot.dTotAcar).plus(money(tot.dTotSeg))
    : ZERO;
  const grandTotal = itemsTotal.minus(discounts).plus(extras);
  if (grandTotal.isNegative()) {
    issues.push(
      issueAt(
        ['gTot', 'dTotDesc'],
        'negative-total',
        `discounts exceed the items: the total would be ${grandTotal.toFixed(2)}`,
      ),
    );
  }
  const total = settle(
    tot,
    'dVTot',
    ['gTot'],
    grandTotal.isNegative() ? ZERO : grandTotal,
    'dVTotItems − dTotDesc + dTotAcar + dTotSeg',
  );
  if (tot.dNroItems === undefined) tot.dNroItems = String(doc.gItem.length);
  else if (Number(tot.dNroItems) !== doc.gItem.length) {
    issues.push(
      issueAt(
        ['gTot', 'dNroItems'],
        'count-mismatch',
        `is ${tot.dNroItems} but the document has ${doc.gItem.length} gItem`,
        tot.dNroItems,
      ),
    );
  }

  const payments = doc.gTot.gFormaPago;
  const only = payments.length === 1 ? payments[0] : undefined;
  if (only && only.dVlrCuota === undefined) only.dVlrCuota = text2(total);
  payments.forEach((p, i) => {
    if (p.dVlrCuota === undefined) {
      issues.push(
        issueAt(
          ['gTot', 'gFormaPago', i, 'dVlrCuota'],
          'required',
          'is required when there is more than one payment',
        ),
      );
    }
  });
  const received = settle(
    tot,
    'dTotRec',
    ['gTot'],
    sum(payments.map((p) => money(p.dVlrCuota))),
    'Σ gFormaPago[].dVlrCuota',
  );
  const change = received.minus(total);
  if (change.isPositive() && !change.isZero()) settle(tot, 'dVuelto', ['gTot'], change, 'dTotRec − dVTot');
  else if (tot.dVuelto !== undefined)
    settle(tot, 'dVuelto', ['gTot'], ZERO, 'dTotRec − dVTot (no change due)');

  return { document: doc, issues };
}

type Settle = (
  target: Record<string, unknown>,
  key: string,
  path: PathSegment[],
  computed: Money,
  explanation: string,
  tolerance?: 'exact' | 'cents',
) => Money;

function reconcileItem(item: Item, path: PathSegment[], settle: Settle, issues: DocumentIssue[]) {
  const prices = item.gPrecios as Record<string, unknown> & Item['gPrecios'];
  const unitPrice = money(prices.dPrUnit);
  const unitDiscount = money(prices.dPrUnitDesc);
  if (unitDiscount.gt(unitPrice)) {
    issues.push(
      issueAt(
        [...path, 'gPrecios', 'dPrUnitDesc'],
        'discount-exceeds-price',
        `exceeds dPrUnit ${prices.dPrUnit}`,
        prices.dPrUnitDesc,
      ),
    );
  }
  const quantity = money(item.dCantCodInt);
  if (quantity.isZero())
    issues.push(issueAt([...path, 'dCantCodInt'], 'positive', 'must be greater than zero', item.dCantCodInt));

  const price = settle(
    prices,
    'dPrItem',
    [...path, 'gPrecios'],
    round2(quantity.times(unitPrice.minus(unitDiscount))),
    'dCantCodInt × (dPrUnit − dPrUnitDesc)',
    'cents',
  );
  const rate = ITBMS_RATES[item.gITBMSItem.dTasaITBMS] ?? '0';
  const itbms = settle(
    item.gITBMSItem,
    'dValITBMS',
    [...path, 'gITBMSItem'],
    round2(price.times(rate)),
    `${Number(rate) * 100}% of dPrItem`,
    'cents',
  );

  let isc = ZERO;
  if (item.gISCItem) {
    const group = item.gISCItem as Record<string, unknown> & NonNullable<Item['gISCItem']>;
    if (group.dTasaISC !== undefined) {
      isc = settle(
        group,
        'dValISC',
        [...path, 'gISCItem'],
        round2(price.times(group.dTasaISC)),
        `dTasaISC ${group.dTasaISC} × dPrItem`,
        'cents',
      );
    } else if (group.dValISC === undefined) {
      issues.push(
        issueAt([...path, 'gISCItem', 'dValISC'], 'required', 'is required when dTasaISC is absent'),
      );
    } else {
      isc = money(group.dValISC);
    }
  }
  const otherTaxes = sum((item.gOTIItem ?? []).map((o) => money(o.dValOTI)));
  const total = price
    .plus(money(prices.dPrAcarItem))
    .plus(money(prices.dPrSegItem))
    .plus(itbms)
    .plus(isc)
    .plus(FORMAT_PROFILE.itemTotalIncludesOtherTaxes ? otherTaxes : ZERO);
  const itemTotal = settle(
    prices,
    'dValTotItem',
    [...path, 'gPrecios'],
    total,
    'dPrItem + dPrAcarItem + dPrSegItem + dValITBMS + dValISC + Σ dValOTI',
    'cents',
  );
  return { price, itbms, isc, total: itemTotal };
}

/** gOTITotal: one entry per OTI code, the sum of that code over the items. Returns Σ of all OTI. */
function reconcileOtherTaxTotals(doc: ParsedDocument, settle: Settle): Money {
  const byCode = new Map<string, Money>();
  for (const item of doc.gItem) {
    for (const oti of item.gOTIItem ?? [])
      byCode.set(oti.dCodOTI, (byCode.get(oti.dCodOTI) ?? ZERO).plus(oti.dValOTI));
  }
  if (byCode.size === 0 && !doc.gTot.gOTITotal) return ZERO;
  doc.gTot.gOTITotal ??= [...byCode.keys()]
    .sort()
    .map((code) => ({ dCodOTITotal: code, dValOTITotal: text2(byCode.get(code)!) }));
  doc.gTot.gOTITotal.forEach((entry, i) => {
    settle(
      entry,
      'dValOTITotal',
      ['gTot', 'gOTITotal', i],
      byCode.get(entry.dCodOTITotal) ?? ZERO,
      `Σ dValOTI of code ${entry.dCodOTITotal}`,
    );
  });
  return sum(doc.gTot.gOTITotal.map((e) => money(e.dValOTITotal)));
}
